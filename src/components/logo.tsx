// The product mark: a document list on a rounded square, drawn in the current colour.
export function PortalLogo({ size = 24 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="6" fill="currentColor" />
      <path d="M8 9h16v3H8zM8 15h16v3H8zM8 21h10v3H8z" fill="#fff" />
    </svg>
  );
}
