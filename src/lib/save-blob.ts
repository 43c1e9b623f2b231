// Hand a file the portal fetched (evidence, a payment file, a template) to the
// browser as a download under its own name.
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.appendChild(link);
    link.click();
    link.remove();
  } finally {
    // Let the browser start the download before the address is released.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
