// Evidence scanning: decides whether a document a practice uploaded may be
// kept as claim evidence or must be quarantined, and says why in words a
// practice manager understands.
//
// `EvidenceScanner` is the seam: production can plug in a real antivirus
// service (docs/functions.md, "Evidence scanning"); `createBuiltInScanner()`
// is the portal's own set of checks, which also runs where no antivirus
// service is available (the local stack, tests).
//
// Runs unchanged in Deno (edge functions) and Node (vitest, seed scripts), so
// it uses only web APIs (Web Crypto, TextDecoder) and npm packages resolved by
// bare specifiers (supabase/functions/deno.json maps them to npm: for Deno;
// the root package.json installs the same versions for Node):
// - file-type sniffs the real type from the bytes;
// - fflate opens the zip containers of docx/xlsx/odt/ods. Their text is read
//   from the XML parts directly (tags stripped here) rather than through
//   officeparser, whose Node-oriented file and stream handling does not run
//   from npm: imports under Deno; reading the parts works the same in both;
// - unpdf (PDF.js built for servers) opens PDFs and extracts their text. It is
//   loaded on first use: it is large, and most callers never scan a PDF.
//   Pinned to 1.7.0: 2.x needs Node 22 (iterator helpers) and the tests run on Node 20;
// - ./compound-file.ts reads the CFB containers of legacy doc/xls files and of
//   password-protected docx/xlsx.
import { unzipSync, unzlibSync } from 'fflate';
import { fileTypeFromBuffer } from 'file-type';
import { CompoundFileError, isCompoundFile, readCompoundFile, type CompoundFile } from './compound-file.ts';
import { findNhsNumbers } from './nhs-number.ts';

export interface EvidenceFile {
  /** The file name as uploaded, e.g. `report.pdf`; its extension says what the file claims to be. */
  name: string;
  /**
   * The MIME type the uploader's browser declared, if any. The built-in scanner
   * does not rely on it (browsers derive it from the extension and disagree
   * about legacy types); an external service may.
   */
  declaredType: string | null;
  bytes: Uint8Array;
}

export interface EvidenceVerdict {
  status: 'clean' | 'quarantined';
  /** Why the file was quarantined, as a sentence for the practice; null when clean. */
  reason: string | null;
  /** The MIME type of the content as sniffed from the bytes; null when it is not recognised. */
  sniffedType: string | null;
  /** Hex SHA-256 of the bytes, whatever the verdict. */
  sha256: string;
}

export interface EvidenceScanner {
  scan(file: EvidenceFile): Promise<EvidenceVerdict>;
}

/** The evidence types practices may upload, by extension. */
export const EVIDENCE_TYPES = {
  pdf: { mime: 'application/pdf', label: 'a PDF' },
  doc: { mime: 'application/msword', label: 'a Word document' },
  docx: { mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', label: 'a Word document' },
  xls: { mime: 'application/vnd.ms-excel', label: 'an Excel spreadsheet' },
  xlsx: { mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', label: 'an Excel spreadsheet' },
  odt: { mime: 'application/vnd.oasis.opendocument.text', label: 'an OpenDocument text document' },
  ods: { mime: 'application/vnd.oasis.opendocument.spreadsheet', label: 'an OpenDocument spreadsheet' },
} as const;

export type EvidenceExtension = keyof typeof EVIDENCE_TYPES;

/** The largest evidence file, 5 MB. */
export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export interface BuiltInScannerOptions {
  /** Larger files are quarantined. Default EVIDENCE_MAX_BYTES (5 MB). */
  maxBytes?: number;
  /**
   * The most a file may unpack to (zip parts, PDF object streams) before it is
   * quarantined as a possible decompression bomb. Default 64 MB.
   */
  maxUnpackedBytes?: number;
}

const DEFAULT_MAX_UNPACKED_BYTES = 64 * 1024 * 1024;

const ACCEPTED_LIST = 'a PDF, Word (.doc, .docx), Excel (.xls, .xlsx) or OpenDocument (.odt, .ods) file';
const NEVER_PROGRAMS = 'Programs and scripts are never accepted as evidence.';
const SAVE_AGAIN = 'Save it again from the program that made it and upload the new copy.';

/** Hex SHA-256 of `bytes` (Web Crypto: the same in Deno and Node 20). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // A copy: digest() wants bytes backed by a plain ArrayBuffer, and the caller's may be a view of a shared one.
  const digest = await crypto.subtle.digest('SHA-256', new Uint8Array(bytes));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

function limitsOf(options: BuiltInScannerOptions): Limits {
  return {
    maxBytes: options.maxBytes ?? EVIDENCE_MAX_BYTES,
    maxUnpackedBytes: options.maxUnpackedBytes ?? DEFAULT_MAX_UNPACKED_BYTES,
  };
}

/** The portal's own checks (see the header comment and docs/functions.md). */
export function createBuiltInScanner(options: BuiltInScannerOptions = {}): EvidenceScanner {
  const limits = limitsOf(options);
  return {
    async scan(file) {
      const sha256 = await sha256Hex(file.bytes);
      let finding: Finding;
      try {
        finding = await inspect(file, limits);
      } catch (error) {
        const name = displayName(file.name);
        // A bug or a file shaped in a way no check foresaw: hold it back rather than let it through.
        finding = { sniffedType: null, problem: failureProblem(name, error, limits) ?? `${name} could not be checked, so it has been held back. ${SAVE_AGAIN}` };
      }
      return { status: finding.problem ? 'quarantined' : 'clean', reason: finding.problem, sniffedType: finding.sniffedType, sha256 };
    },
  };
}

// ---------------------------------------------------------------------------
// What the content is

/** What the bytes turned out to be. `kind` is an extension-like key (`pdf`, `docx`, `exe`, `sh`, …). */
interface Content {
  kind: string;
  mime: string;
  /** For sentences: "a Windows program (exe)". */
  description: string;
  /** Programs and scripts: quarantined whatever the extension. */
  executable?: boolean;
  /** Set when the container was opened: what it holds. */
  zip?: Record<string, Uint8Array>;
  compound?: CompoundFile;
  encrypted?: boolean;
  macros?: boolean;
}

interface Finding {
  sniffedType: string | null;
  problem: string | null;
}

interface Limits {
  maxBytes: number;
  maxUnpackedBytes: number;
}

/** A container that cannot be opened; the message completes "<name> could not be read: …". */
class UnreadableFile extends Error {}
class UnpacksTooLarge extends Error {}

const EXECUTABLE_KINDS: Record<string, string> = {
  exe: 'a Windows program (exe)',
  elf: 'a Linux program (ELF)',
  macho: 'a macOS program (Mach-O)',
  class: 'a Java program (class)',
  jar: 'a Java program (jar)',
  apk: 'an Android app (apk)',
  dex: 'an Android program (dex)',
  wasm: 'a WebAssembly program (wasm)',
  swf: 'a Flash program (swf)',
  lnk: 'a Windows shortcut (lnk)',
  reg: 'a Windows registry file (reg)',
  chm: 'a compiled help file (chm)',
  crx: 'a browser extension (crx)',
  xpi: 'a browser extension (xpi)',
  deb: 'a software package (deb)',
  rpm: 'a software package (rpm)',
};

function describeOther(ext: string, mime: string): string {
  if (mime.startsWith('image/')) return `an image (${ext})`;
  if (mime.startsWith('audio/')) return `a sound recording (${ext})`;
  if (mime.startsWith('video/')) return `a video (${ext})`;
  if (ext === 'rtf') return 'a Rich Text Format document (rtf)';
  if (['zip', 'rar', '7z', 'gz', 'tar', 'tar.gz', 'bz2', 'xz', 'zst', 'cab', 'lz', 'lz4', 'arj', 'ace', 'cpio', 'Z', 'lzh', 'iso', 'dmg'].includes(ext)) {
    return `a compressed archive (${ext})`;
  }
  return `a ${ext.toUpperCase()} file`;
}

async function sniff(bytes: Uint8Array, limits: Limits): Promise<Content | null> {
  if (isCompoundFile(bytes)) return sniffCompoundFile(bytes);
  if (isZip(bytes)) return sniffZip(bytes, limits);
  const detected = await fileTypeFromBuffer(bytes);
  if (detected?.ext === 'pdf') return { kind: 'pdf', mime: 'application/pdf', description: 'a PDF (pdf)' };
  if (detected && Object.hasOwn(EXECUTABLE_KINDS, detected.ext)) {
    return { kind: detected.ext, mime: detected.mime, description: EXECUTABLE_KINDS[detected.ext]!, executable: true };
  }
  if (detected && detected.ext !== 'xml') return { kind: detected.ext, mime: detected.mime, description: describeOther(detected.ext, detected.mime) };
  return sniffText(bytes);
}

function isZip(bytes: Uint8Array): boolean {
  // Local file header, or the end-of-central-directory record of an empty archive.
  return bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

// --- text: scripts, or text that is no document at all

const SCRIPT_SIGNS: ReadonlyArray<{ pattern: RegExp; kind: string; mime: string; description: string }> = [
  { pattern: /^#!.*\b(?:python\d*)\b/, kind: 'py', mime: 'text/x-python', description: 'a Python script' },
  { pattern: /^#!.*\b(?:node|deno|bun)\b/, kind: 'js', mime: 'text/javascript', description: 'a JavaScript program' },
  { pattern: /^#!/, kind: 'sh', mime: 'text/x-shellscript', description: 'a shell script' },
  { pattern: /<script\b|<hta:application\b/i, kind: 'html', mime: 'text/html', description: 'a web page with scripts (html)' },
  {
    pattern: /\b(?:Invoke-Expression|Invoke-WebRequest|Start-Process|Set-ExecutionPolicy|New-Object\s+(?:System\.)?Net\.WebClient|-EncodedCommand|Write-Host)\b|\$env:|\bpowershell(?:\.exe)?\b/i,
    kind: 'ps1',
    mime: 'text/x-powershell',
    description: 'a PowerShell script',
  },
  {
    pattern: /\bCreateObject\s*\(|\bWScript\.|\bOn\s+Error\s+Resume\s+Next\b|^\s*End\s+(?:Sub|Function)\b/im,
    kind: 'vbs',
    mime: 'text/vbscript',
    description: 'a VBScript program',
  },
  { pattern: /^\s*@?echo\s+off\b|^\s*(?:rem\s|goto\s+\w|set\s+\w+=|start\s+\S)|%~dp0/im, kind: 'bat', mime: 'application/x-bat', description: 'a Windows batch script' },
  {
    pattern: /\bfunction\s*[\w$]*\s*\(|\beval\s*\(|\brequire\s*\(|\bActiveXObject\b|\bdocument\.write\b|\bwindow\.location\b|=>\s*\{|\bmodule\.exports\b|^\s*(?:var|let|const)\s+[\w$]+\s*=/m,
    kind: 'js',
    mime: 'text/javascript',
    description: 'a JavaScript program',
  },
  { pattern: /^\s*(?:curl|wget|chmod|sudo|bash|sh\s+-c|rm\s+-rf|export\s+\w+=)\b/m, kind: 'sh', mime: 'text/x-shellscript', description: 'a shell script' },
];

function sniffText(bytes: Uint8Array): Content | null {
  const head = bytes.subarray(0, 64 * 1024);
  let controls = 0;
  for (const byte of head) {
    if (byte === 0) return null;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) controls++;
  }
  if (controls > head.length / 100) return null;
  const text = new TextDecoder('utf-8').decode(head).replace(/^\uFEFF/, '');
  for (const sign of SCRIPT_SIGNS) {
    if (sign.pattern.test(text)) return { kind: sign.kind, mime: sign.mime, description: sign.description, executable: true };
  }
  return { kind: 'txt', mime: 'text/plain', description: 'plain text' };
}

// --- zip containers: OOXML (docx, xlsx) and OpenDocument (odt, ods)

const ODF_TYPES: Record<string, { kind: string; description: string }> = {
  'application/vnd.oasis.opendocument.text': { kind: 'odt', description: 'an OpenDocument text document (odt)' },
  'application/vnd.oasis.opendocument.spreadsheet': { kind: 'ods', description: 'an OpenDocument spreadsheet (ods)' },
  'application/vnd.oasis.opendocument.presentation': { kind: 'odp', description: 'an OpenDocument presentation (odp)' },
  'application/vnd.oasis.opendocument.graphics': { kind: 'odg', description: 'an OpenDocument drawing (odg)' },
};

function unpackZip(bytes: Uint8Array, limits: Limits): Record<string, Uint8Array> {
  let declaredTotal = 0;
  try {
    // fflate inflates each entry into a buffer of its declared size, so a lying
    // header cannot make it allocate more than the declared total allowed here.
    return unzipSync(bytes, {
      filter(entry) {
        declaredTotal += entry.originalSize;
        if (declaredTotal > limits.maxUnpackedBytes) throw new UnpacksTooLarge();
        return true;
      },
    });
  } catch (error) {
    if (error instanceof UnpacksTooLarge) throw error;
    throw new UnreadableFile('its zip container is damaged');
  }
}

function sniffZip(bytes: Uint8Array, limits: Limits): Content {
  const entries = unpackZip(bytes, limits);
  const names = Object.keys(entries);
  const text = (name: string) => (entries[name] ? new TextDecoder('utf-8').decode(entries[name]) : '');

  const odfMime = entries['mimetype'] ? text('mimetype').trim() : '';
  if (odfMime.startsWith('application/vnd.oasis.opendocument.')) {
    const odf = ODF_TYPES[odfMime] ?? { kind: 'odf', description: 'an OpenDocument file' };
    return {
      kind: odf.kind,
      mime: odfMime,
      description: odf.description,
      zip: entries,
      // Encrypted parts are listed in the manifest with their key derivation.
      encrypted: /<(?:\w+:)?encryption-data\b/.test(text('META-INF/manifest.xml')),
      // Basic/ holds StarBasic macro libraries; Scripts/ holds Python, BeanShell or JavaScript macros.
      macros: names.some((name) => (name.startsWith('Basic/') || name.startsWith('Scripts/')) && !name.endsWith('/')),
    };
  }

  const contentTypes = text('[Content_Types].xml');
  const macros =
    /macroEnabled/i.test(contentTypes) ||
    names.some((name) => /(?:^|\/)vbaProject\.bin$/i.test(name) || name.startsWith('xl/macrosheets/'));
  if (entries['word/document.xml']) {
    return macros
      ? { kind: 'docm', mime: 'application/vnd.ms-word.document.macroEnabled.12', description: 'a Word document with macros (docm)', zip: entries, macros }
      : { kind: 'docx', mime: EVIDENCE_TYPES.docx.mime, description: 'a Word document (docx)', zip: entries };
  }
  if (entries['xl/workbook.xml']) {
    return macros
      ? { kind: 'xlsm', mime: 'application/vnd.ms-excel.sheet.macroEnabled.12', description: 'an Excel spreadsheet with macros (xlsm)', zip: entries, macros }
      : { kind: 'xlsx', mime: EVIDENCE_TYPES.xlsx.mime, description: 'an Excel spreadsheet (xlsx)', zip: entries };
  }
  if (entries['ppt/presentation.xml']) {
    return { kind: 'pptx', mime: 'application/vnd.openxmlformats-officedocument.presentationml.presentation', description: 'a PowerPoint presentation (pptx)', zip: entries, macros };
  }
  if (entries['classes.dex']) return { kind: 'apk', mime: 'application/vnd.android.package-archive', description: EXECUTABLE_KINDS['apk']!, executable: true };
  if (entries['META-INF/MANIFEST.MF']) return { kind: 'jar', mime: 'application/java-archive', description: EXECUTABLE_KINDS['jar']!, executable: true };
  return { kind: 'zip', mime: 'application/zip', description: 'a compressed archive (zip)', zip: entries };
}

// --- compound files: legacy doc/xls, and password-protected docx/xlsx

function sniffCompoundFile(bytes: Uint8Array): Content {
  const compound = readCompoundFile(bytes);
  const topLevel = new Set(compound.entries.filter((entry) => !entry.path.includes('/')).map((entry) => entry.name));
  // Word keeps VBA under Macros/, Excel under _VBA_PROJECT_CUR/; both have a VBA storage and a _VBA_PROJECT stream.
  const macros = compound.entries.some((entry) => ['Macros', '_VBA_PROJECT_CUR', 'VBA', '_VBA_PROJECT'].includes(entry.name));
  const stream = (name: string) => {
    const entry = compound.entries.find((candidate) => candidate.name === name && candidate.kind === 'stream' && !candidate.path.includes('/'));
    return entry ? compound.readStream(entry) : undefined;
  };

  if (topLevel.has('EncryptionInfo') && topLevel.has('EncryptedPackage')) {
    // Office's "Encrypt with password" wraps the whole docx/xlsx in a compound file.
    return { kind: 'encrypted-office', mime: 'application/x-cfb', description: 'a password-protected Office document', compound, encrypted: true };
  }
  if (topLevel.has('WordDocument')) {
    const wordDocument = stream('WordDocument');
    return { kind: 'doc', mime: EVIDENCE_TYPES.doc.mime, description: 'a Word 97-2003 document (doc)', compound, macros, encrypted: wordDocument ? wordIsEncrypted(wordDocument) : false };
  }
  const workbook = stream('Workbook') ?? stream('Book');
  if (workbook) {
    return { kind: 'xls', mime: EVIDENCE_TYPES.xls.mime, description: 'an Excel 97-2003 spreadsheet (xls)', compound, macros, encrypted: workbookIsEncrypted(workbook) };
  }
  if (topLevel.has('PowerPoint Document')) {
    return { kind: 'ppt', mime: 'application/vnd.ms-powerpoint', description: 'a PowerPoint 97-2003 presentation (ppt)', compound, macros };
  }
  return { kind: 'cfb', mime: 'application/x-cfb', description: 'an unrecognised Microsoft compound file', compound, macros };
}

/** The Word file information block's fEncrypted flag (MS-DOC: FibBase, bit 8 of the flags word at offset 0x0A). */
function wordIsEncrypted(wordDocument: Uint8Array): boolean {
  return wordDocument.length >= 12 && (wordDocument[0x0b]! & 0x01) !== 0;
}

/** An Excel workbook whose globals substream carries a FILEPASS record (type 0x002F) before its end. */
function workbookIsEncrypted(workbook: Uint8Array): boolean {
  const view = new DataView(workbook.buffer, workbook.byteOffset, workbook.byteLength);
  for (let offset = 0, records = 0; offset + 4 <= workbook.length && records < 10_000; records++) {
    const type = view.getUint16(offset, true);
    if (type === 0x002f) return true;
    if (type === 0x000a) return false; // EOF of the globals substream
    offset += 4 + view.getUint16(offset + 2, true);
  }
  return false;
}

// ---------------------------------------------------------------------------
// The checks

function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

function isEvidenceExtension(ext: string): ext is EvidenceExtension {
  return Object.hasOwn(EVIDENCE_TYPES, ext);
}

/** The file name as sentences show it: no folders, no control characters, not overly long. */
function displayName(name: string): string {
  // deno-lint-ignore no-control-regex
  const base = (name.split(/[\\/]/).pop() ?? '').replace(/[\u0000-\u001f\u007f]/g, '').trim();
  if (!base) return 'The file';
  return base.length > 120 ? `${base.slice(0, 117)}...` : base;
}

// Built from pieces so this repository never holds the signature itself (antivirus
// on a developer's machine would quarantine the source file).
const EICAR_TEXT = ['X5O!P%@AP[4\\PZX54(P^)7CC)7}', '$EICAR', '-STANDARD-ANTIVIRUS', '-TEST-FILE!', '$H+H*'].join('');
const EICAR_SIGNATURE = new TextEncoder().encode(EICAR_TEXT);

function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  const first = needle[0];
  outer: for (let start = haystack.indexOf(first!); start !== -1 && start + needle.length <= haystack.length; start = haystack.indexOf(first!, start + 1)) {
    for (let index = 1; index < needle.length; index++) if (haystack[start + index] !== needle[index]) continue outer;
    return true;
  }
  return false;
}

function containsEicar(content: Content | null, bytes: Uint8Array): boolean {
  if (containsBytes(bytes, EICAR_SIGNATURE)) return true;
  // Inside containers the signature may be compressed or split across sectors.
  if (content?.zip && Object.values(content.zip).some((part) => containsBytes(part, EICAR_SIGNATURE))) return true;
  if (content?.compound) {
    const compound = content.compound;
    return compound.entries.some((entry) => entry.kind === 'stream' && containsBytes(compound.readStream(entry), EICAR_SIGNATURE));
  }
  return false;
}

async function inspect(file: EvidenceFile, limits: Limits): Promise<Finding> {
  const name = displayName(file.name);
  const ext = extensionOf(file.name);
  const bytes = file.bytes;
  if (bytes.length === 0) return { sniffedType: null, problem: `${name} is empty.` };
  if (bytes.length > limits.maxBytes) {
    return { sniffedType: null, problem: `${name} is ${sizeText(bytes.length)}, more than the ${sizeText(limits.maxBytes)} limit for evidence.` };
  }

  let content: Content | null;
  try {
    content = await sniff(bytes, limits);
  } catch (error) {
    // A damaged container that carries the test signature in plain sight is still "infected".
    if (containsBytes(bytes, EICAR_SIGNATURE)) return { sniffedType: null, problem: eicarProblem(name) };
    throw error;
  }
  const sniffedType = content?.mime ?? null;
  const found = (problem: string | null): Finding => ({ sniffedType, problem });

  if (containsEicar(content, bytes)) return found(eicarProblem(name));

  const expected = isEvidenceExtension(ext) ? EVIDENCE_TYPES[ext] : null;
  if (content?.executable) {
    return found(
      expected
        ? `${name} is not ${expected.label}: its content is ${content.description}. ${NEVER_PROGRAMS}`
        : `${name} is ${content.description}. ${NEVER_PROGRAMS}`,
    );
  }
  if (!expected) return found(`${name} is not an accepted type of evidence: upload ${ACCEPTED_LIST}.`);
  if (!content) {
    return found(`${name} is not ${expected.label}: its content is not a type of document the portal recognises. Upload ${ACCEPTED_LIST}.`);
  }
  if (content.encrypted) {
    return found(`${name} is password-protected, so its content cannot be checked. Remove the password and upload it again.`);
  }
  if (content.macros) {
    const macroFreeFormat = MACRO_FREE_FORMAT[content.kind];
    return found(
      `${name} contains macros (programs inside the document), which are not accepted as evidence. Save a copy without macros${
        macroFreeFormat ? ` as .${macroFreeFormat}` : ''
      } and upload that.`,
    );
  }
  if (content.kind !== ext) {
    const renameHint = isEvidenceExtension(content.kind) ? `If it is the right file, rename it to end in .${content.kind} and upload it again.` : `Upload ${ACCEPTED_LIST}.`;
    return found(`${name} is not ${expected.label}: its content is ${content.description}. ${renameHint}`);
  }

  let text: string;
  try {
    const read = await documentText(content, bytes, limits);
    if (read.problem) return found(`${name} ${read.problem}`);
    text = read.text;
  } catch (error) {
    const problem = failureProblem(name, error, limits);
    if (problem) return found(problem);
    throw error;
  }
  if (text.includes(EICAR_TEXT)) return found(eicarProblem(name));

  const nhsNumbers = findNhsNumbers(text);
  if (nhsNumbers.length > 0) {
    // Only the last four digits: the reason is stored and shown, and must not spread the identifier itself.
    const ending = nhsNumbers[0]!.slice(-4);
    const what = nhsNumbers.length === 1 ? `an NHS number (ending ${ending})` : `${nhsNumbers.length} NHS numbers (the first ends ${ending})`;
    return found(`${name} appears to contain ${what}. Evidence must not identify patients: remove patient details and upload it again.`);
  }
  return found(null);
}

/** The text of a recognised document (a PDF with active content gives its problem instead). */
async function documentText(content: Content, bytes: Uint8Array, limits: Limits): Promise<{ problem: string | null; text: string }> {
  if (content.kind === 'pdf') return inspectPdf(bytes, limits);
  if (content.zip) return { problem: null, text: officeText(content.kind, content.zip) };
  return { problem: null, text: legacyText(bytes, content.compound) };
}

/**
 * The text of an evidence document (PDF, Word, Excel, OpenDocument), for checks
 * outside the system review (validate-claim's NHS-number check); null when the
 * bytes are not such a document or cannot be read — the system review gives
 * those their verdict.
 */
export async function extractDocumentText(file: EvidenceFile, options: BuiltInScannerOptions = {}): Promise<string | null> {
  const limits = limitsOf(options);
  if (file.bytes.length === 0 || file.bytes.length > limits.maxBytes) return null;
  try {
    const content = await sniff(file.bytes, limits);
    if (!content || content.executable || content.encrypted || !isEvidenceExtension(content.kind)) return null;
    const read = await documentText(content, file.bytes, limits);
    return read.problem ? null : read.text;
  } catch {
    return null;
  }
}

/** The reason for a file that could not be opened, or null for an error that is no verdict on the file. */
function failureProblem(name: string, error: unknown, limits: Limits): string | null {
  if (error instanceof UnreadableFile) return `${name} could not be read: ${error.message}. ${SAVE_AGAIN}`;
  if (error instanceof CompoundFileError) return `${name} could not be read: its Office container is damaged. ${SAVE_AGAIN}`;
  if (error instanceof UnpacksTooLarge) return `${name} could not be checked: it unpacks to more than ${sizeText(limits.maxUnpackedBytes)}.`;
  return null;
}

/** Where Office's "save without macros" leads from a macro-bearing kind. */
const MACRO_FREE_FORMAT: Record<string, string> = { docm: 'docx', doc: 'docx', xlsm: 'xlsx', xls: 'xlsx' };

function eicarProblem(name: string): string {
  return `${name} contains the EICAR anti-malware test signature, so it is treated as infected.`;
}

/** A size for people: whole KB below 1 MB, else MB to one decimal, rounded up (so a file just over 5 MB never reads "5.0 MB"). */
function sizeText(bytes: number): string {
  const megabyte = 1024 * 1024;
  if (bytes < megabyte) return `${Math.ceil(bytes / 1024)} KB`;
  const value = bytes / megabyte;
  return Number.isInteger(value) ? `${value} MB` : `${(Math.ceil(value * 10) / 10).toFixed(1)} MB`;
}

// ---------------------------------------------------------------------------
// PDF

/** Bytes as a string of the same length, one character per byte: PDF syntax is ASCII. */
function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let start = 0; start < bytes.length; start += 0x8000) {
    out += String.fromCharCode(...bytes.subarray(start, start + 0x8000));
  }
  return out;
}

// A PDF name ends at whitespace or a delimiter; "#xx" inside a name is a hex-escaped
// byte, which is how /JavaScript gets disguised as /J#61vaScript.
const PDF_NAME = /\/[^\s/<>[\]()%{}]*/g;
const NAME_END = String.raw`(?=[\s/<>[\]()%{}]|$)`;
const PDF_ENCRYPT = new RegExp(String.raw`/Encrypt${NAME_END}`);
const PDF_JAVASCRIPT = new RegExp(String.raw`/(?:JavaScript|JS)${NAME_END}`);
const PDF_LAUNCH = new RegExp(String.raw`/Launch${NAME_END}`);

function decodePdfNames(syntax: string): string {
  return syntax.replace(PDF_NAME, (name) => (name.includes('#') ? name.replace(/#([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))) : name));
}

/**
 * The PDF's object syntax: the file itself plus the inflated object streams
 * (PDF 1.5 packs objects, actions included, into compressed /ObjStm streams).
 */
function pdfObjectSyntax(bytes: Uint8Array, limits: Limits): string {
  const raw = latin1(bytes);
  const parts = [raw];
  let unpacked = 0;
  const streamStart = /\bstream\r?\n/g;
  for (let match = streamStart.exec(raw); match; match = streamStart.exec(raw)) {
    // The stream's dictionary: between its object's "N G obj" and the stream keyword.
    const before = raw.slice(Math.max(0, match.index - 4096), match.index);
    const ownDictionary = before.slice(Math.max(0, before.lastIndexOf('obj')));
    if (!/\/Type\s*\/ObjStm\b/.test(ownDictionary) || !/\/FlateDecode\b/.test(ownDictionary)) continue;
    const dataStart = match.index + match[0].length;
    const end = raw.indexOf('endstream', dataStart);
    if (end === -1) continue;
    const remaining = limits.maxUnpackedBytes - unpacked;
    if (remaining <= 0) throw new UnpacksTooLarge();
    try {
      // The output buffer caps how much one stream may inflate to.
      const inflated = unzlibSync(bytes.subarray(dataStart, end), { out: new Uint8Array(Math.min(remaining, 16 * 1024 * 1024)) });
      unpacked += inflated.length;
      parts.push(latin1(inflated));
    } catch {
      // A stream that does not inflate hides nothing readable from PDF readers either.
    }
    streamStart.lastIndex = end;
  }
  return decodePdfNames(parts.join('\n'));
}

async function inspectPdf(bytes: Uint8Array, limits: Limits): Promise<{ problem: string; text: '' } | { problem: null; text: string }> {
  const syntax = pdfObjectSyntax(bytes, limits);
  const encrypted = `is password-protected, so its content cannot be checked. Remove the password and upload it again.`;
  if (PDF_ENCRYPT.test(syntax)) return { problem: encrypted, text: '' };
  if (PDF_JAVASCRIPT.test(syntax)) {
    return { problem: 'contains JavaScript (code that runs when it is opened), which is not accepted as evidence. Print it to a new PDF and upload that.', text: '' };
  }
  if (PDF_LAUNCH.test(syntax)) {
    return { problem: 'contains an action that starts a program when it is opened, which is not accepted as evidence. Print it to a new PDF and upload that.', text: '' };
  }

  const { getDocumentProxy, extractText } = await import('unpdf');
  let document: Awaited<ReturnType<typeof getDocumentProxy>>;
  try {
    // A copy: PDF.js may take over (detach) the buffer it is given. verbosity 0: errors only, no console noise.
    document = await getDocumentProxy(new Uint8Array(bytes), { isEvalSupported: false, verbosity: 0 });
  } catch (error) {
    if (error instanceof Error && error.name === 'PasswordException') return { problem: encrypted, text: '' };
    throw new UnreadableFile('the PDF is damaged or incomplete');
  }
  try {
    // PDF.js's own view of document-level scripts, in case they were hidden from the scan above.
    if (await document.getJSActions()) {
      return { problem: 'contains JavaScript (code that runs when it is opened), which is not accepted as evidence. Print it to a new PDF and upload that.', text: '' };
    }
    const { text } = await extractText(document, { mergePages: true });
    return { problem: null, text };
  } catch {
    throw new UnreadableFile('the PDF is damaged or incomplete');
  } finally {
    await document.destroy();
  }
}

// ---------------------------------------------------------------------------
// Text of Office and OpenDocument files

const TEXT_PARTS: Record<string, RegExp> = {
  docx: /^word\/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml$/,
  xlsx: /^xl\/(?:sharedStrings|worksheets\/[^/]+|comments\d*)\.xml$/,
  odt: /^(?:content|styles)\.xml$/,
  ods: /^(?:content|styles)\.xml$/,
};

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/**
 * The readable text of an XML part. Elements that end a paragraph, cell or row
 * become line breaks and tabs/spaces become spaces, so words from different
 * cells do not run together, while runs within a paragraph (Word splits
 * "943 476 5919" across runs freely) join up as the reader sees them.
 */
function xmlText(xml: string): string {
  return xml
    .replace(/<(?:[\w.-]+:)?(?:tab|br|cr|s|line-break)\b[^>]*>/g, ' ')
    .replace(/<\/(?:[\w.-]+:)?(?:p|h|tr|tc|row|si|c|table-cell|table-row|list-item)>/g, '\n')
    // OpenDocument keeps a cell's number in an attribute; the paragraph may show it formatted.
    .replace(/\boffice:value="([^"]*)"/g, '>\n$1\n<')
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:#x([0-9a-fA-F]+)|#(\d+)|(\w+));/g, (entity, hex: string | undefined, decimal: string | undefined, named: string | undefined) => {
      if (named) return XML_ENTITIES[named] ?? entity;
      const codePoint = parseInt(hex ?? decimal ?? '', hex ? 16 : 10);
      return codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    });
}

function officeText(kind: string, parts: Record<string, Uint8Array>): string {
  const pattern = TEXT_PARTS[kind];
  if (!pattern) return '';
  const decoder = new TextDecoder('utf-8');
  return Object.entries(parts)
    .filter(([partName]) => pattern.test(partName))
    .map(([, data]) => xmlText(decoder.decode(data)))
    .join('\n');
}

/**
 * Legacy doc/xls: no text extraction, but the text is stored as 8-bit or
 * UTF-16LE characters, so digit runs show up in both readings of the bytes (a
 * best effort: numbers Excel stores as binary doubles are not seen).
 */
function legacyText(bytes: Uint8Array, compound: CompoundFile | undefined): string {
  const main = compound?.entries.find((entry) => entry.kind === 'stream' && ['WordDocument', 'Workbook', 'Book'].includes(entry.path));
  // The main stream reassembled (a number may straddle two sectors in the file), and the file as stored.
  const sources = main && compound ? [compound.readStream(main), bytes] : [bytes];
  const readings: string[] = [];
  for (const source of sources) {
    readings.push(latin1(source));
    const utf16 = new TextDecoder('utf-16le');
    readings.push(utf16.decode(source.subarray(0, source.length - (source.length % 2))));
    readings.push(utf16.decode(source.subarray(1, source.length - ((source.length - 1) % 2))));
  }
  return readings.join('\n');
}
