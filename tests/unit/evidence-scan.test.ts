// The built-in evidence scanner (supabase/functions/_shared/evidence-scan.ts)
// against the sample files of tests/shared/evidence-files.ts: each clean file
// passes with its real type, each bad one is quarantined with its own reason.
// The same module runs under Deno in tests/api/functions/evidence-scan-deno.test.ts.
import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readCompoundFile } from '../../supabase/functions/_shared/compound-file.ts';
import {
  EVIDENCE_MAX_BYTES,
  createBuiltInScanner,
  extractDocumentText,
  sha256Hex,
  type EvidenceVerdict,
} from '../../supabase/functions/_shared/evidence-scan.ts';
import {
  ENCRYPTED_PDF_PASSWORD,
  MIME,
  cleanDocx,
  cleanOds,
  cleanOdt,
  cleanPdf,
  cleanXlsx,
  docmRenamedDocx,
  docxWithNhsNumber,
  eicarFile,
  eicarSignature,
  encryptedDocx,
  encryptedOdt,
  encryptedPdf,
  exeRenamedPdf,
  legacyDoc,
  legacyXls,
  macroDocx,
  macroOdt,
  pdfWithEscapedJavaScriptNames,
  pdfWithJavaScript,
  pdfWithJavaScriptInObjectStream,
  pdfWithLaunchAction,
  shellScriptAsXlsx,
  writeCompoundFile,
  type EvidenceSample,
} from '../shared/evidence-files.ts';

const scanner = createBuiltInScanner();
const scan = (sample: EvidenceSample): Promise<EvidenceVerdict> => scanner.scan({ name: sample.name, declaredType: sample.type, bytes: sample.bytes });
const renamed = (sample: EvidenceSample, name: string): EvidenceSample => ({ ...sample, name });
const named = (name: string, bytes: Uint8Array | string): EvidenceSample => ({ name, type: 'application/octet-stream', bytes: typeof bytes === 'string' ? strToU8(bytes) : bytes });
const nodeSha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

const NHS_NUMBER_WITH_SPACES = '943 476 5919';
const VALID_BUT_WRONG_CHECK_DIGIT = '943 476 5918';
const PATIENT_DETAILS = /appears to contain an NHS number \(ending 5919\)\. Evidence must not identify patients/;
const PASSWORD = /is password-protected, so its content cannot be checked\. Remove the password/;
const MACROS = /contains macros \(programs inside the document\), which are not accepted as evidence/;
const PROGRAMS = /Programs and scripts are never accepted as evidence\.$/;

describe('clean evidence', () => {
  it.each([
    ['PDF', cleanPdf(), MIME.pdf],
    ['Word document', cleanDocx(), MIME.docx],
    ['Excel workbook', cleanXlsx(), MIME.xlsx],
    ['OpenDocument text', cleanOdt(), MIME.odt],
    ['OpenDocument spreadsheet', cleanOds(), MIME.ods],
    ['Word 97-2003 document', legacyDoc(), MIME.doc],
    ['Excel 97-2003 workbook', legacyXls(), MIME.xls],
  ])('a %s is clean, with its real type and checksum', async (_label, sample, mime) => {
    const verdict = await scan(sample);
    expect(verdict).toEqual({ status: 'clean', reason: null, sniffedType: mime, sha256: nodeSha256(sample.bytes) });
  });

  it('ignores the declared type (browsers disagree about it): a docx declared as octet-stream is clean', async () => {
    const sample = cleanDocx();
    const verdict = await scanner.scan({ name: 'Evidence.DOCX', declaredType: 'application/octet-stream', bytes: sample.bytes });
    expect(verdict.status).toBe('clean');
  });

  it('passes numbers that look like NHS numbers but fail the check digit', async () => {
    for (const sample of [cleanDocx(`Reference ${VALID_BUT_WRONG_CHECK_DIGIT}`), cleanPdf(`Reference ${VALID_BUT_WRONG_CHECK_DIGIT}`), cleanXlsx([['Ref', 9434765918]])]) {
      expect((await scan(sample)).status, sample.name).toBe('clean');
    }
  });
});

describe('checksum', () => {
  it('is the SHA-256 of the bytes (FIPS 180-2 test vector "abc")', async () => {
    expect(await sha256Hex(strToU8('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is given for quarantined files too, and for a view into a larger buffer only its own bytes count', async () => {
    const sample = exeRenamedPdf();
    const verdict = await scan(sample);
    expect(verdict.status).toBe('quarantined');
    expect(verdict.sha256).toBe(nodeSha256(sample.bytes));

    const pdf = cleanPdf().bytes;
    const padded = new Uint8Array(pdf.length + 20);
    padded.set(pdf, 10);
    const view = padded.subarray(10, 10 + pdf.length);
    const viewVerdict = await scanner.scan({ name: 'evidence.pdf', declaredType: null, bytes: view });
    expect(viewVerdict).toMatchObject({ status: 'clean', sha256: nodeSha256(pdf) });
  });
});

describe('quarantine', () => {
  it.each<[string, () => EvidenceSample, string | null, RegExp]>([
    ['a Windows program named .pdf', exeRenamedPdf, 'application/x-msdownload', /^invoice\.pdf is not a PDF: its content is a Windows program \(exe\)\. Programs and scripts/],
    ['a shell script named .xlsx', shellScriptAsXlsx, 'text/x-shellscript', /^figures\.xlsx is not an Excel spreadsheet: its content is a shell script\. Programs and scripts/],
    ['the EICAR signature in a PDF', () => eicarFile('eicar-test.pdf'), MIME.pdf, /^eicar-test\.pdf contains the EICAR anti-malware test signature, so it is treated as infected\.$/],
    ['the EICAR signature compressed inside a docx', () => eicarFile('eicar-test.docx'), MIME.docx, /^eicar-test\.docx contains the EICAR anti-malware test signature/],
    ['the bare EICAR signature under a .doc name', () => eicarFile('eicar.doc'), 'text/plain', /^eicar\.doc contains the EICAR anti-malware test signature/],
    ['a docx naming a patient', docxWithNhsNumber, MIME.docx, new RegExp(`^patient-letter\\.docx ${PATIENT_DETAILS.source}`)],
    ['an encrypted PDF', encryptedPdf, MIME.pdf, new RegExp(`^protected\\.pdf ${PASSWORD.source}`)],
    ['a PDF that runs JavaScript when opened', pdfWithJavaScript, MIME.pdf, /^scripted\.pdf contains JavaScript \(code that runs when it is opened\), which is not accepted as evidence\./],
    ['a PDF with JavaScript spelt in hex escapes', pdfWithEscapedJavaScriptNames, MIME.pdf, /^escaped-script\.pdf contains JavaScript/],
    ['a PDF with JavaScript in a compressed object stream', pdfWithJavaScriptInObjectStream, MIME.pdf, /^compressed-script\.pdf contains JavaScript/],
    ['a PDF with a /Launch action', pdfWithLaunchAction, MIME.pdf, /^launches\.pdf contains an action that starts a program when it is opened/],
    ['a docx carrying word/vbaProject.bin', macroDocx, 'application/vnd.ms-word.document.macroEnabled.12', new RegExp(`^with-macros\\.docx ${MACROS.source}.* as \\.docx`)],
    ['a macro-enabled document (.docm) named .docx', docmRenamedDocx, 'application/vnd.ms-word.document.macroEnabled.12', MACROS],
    ['an OpenDocument text with a Basic macro library', macroOdt, MIME.odt, new RegExp(`^with-macros\\.odt ${MACROS.source}`)],
    ['a Word 97-2003 document with a Macros storage', () => legacyDoc('text', { macros: true }), MIME.doc, new RegExp(`^with-macros\\.doc ${MACROS.source}`)],
    ['an Excel 97-2003 workbook with a VBA project', () => legacyXls('text', { macros: true }), MIME.xls, new RegExp(`^with-macros\\.xls ${MACROS.source}.* as \\.xlsx`)],
    ['a password-protected docx (a compound file with EncryptionInfo)', encryptedDocx, 'application/x-cfb', new RegExp(`^protected\\.docx ${PASSWORD.source}`)],
    ['an encrypted OpenDocument text', encryptedOdt, MIME.odt, new RegExp(`^protected\\.odt ${PASSWORD.source}`)],
    ['a password-protected Word 97-2003 document', () => legacyDoc('text', { encrypted: true }), MIME.doc, PASSWORD],
    ['a password-protected Excel 97-2003 workbook', () => legacyXls('text', { encrypted: true }), MIME.xls, PASSWORD],
  ])('%s', async (_label, build, sniffedType, reason) => {
    const sample = build();
    const verdict = await scan(sample);
    expect(verdict.status).toBe('quarantined');
    expect(verdict.reason).toMatch(reason);
    expect(verdict.sniffedType).toBe(sniffedType);
    expect(verdict.sha256).toBe(nodeSha256(sample.bytes));
  });

  it('finds the EICAR signature in a PDF\'s page text, where the file itself holds it only with PDF string escapes', async () => {
    const sample = cleanPdf(`Test: ${eicarSignature()}`, 'page-text.pdf');
    expect(Buffer.from(sample.bytes).toString('latin1')).not.toContain(eicarSignature());
    expect((await scan(sample)).reason).toMatch(/^page-text\.pdf contains the EICAR anti-malware test signature/);
  });

  it('says "password-protected", not "wrong type", for an encrypted docx even though its container is not a zip', async () => {
    const verdict = await scan(encryptedDocx());
    expect(verdict.reason).not.toMatch(/is not a Word document/);
  });
});

describe('NHS numbers in every readable format', () => {
  it.each([
    ['PDF text', cleanPdf(`Patient NHS number ${NHS_NUMBER_WITH_SPACES}`, 'letter.pdf')],
    ['PDF text with hyphens', cleanPdf('NHS no. 943-476-5919', 'letter.pdf')],
    ['a docx paragraph', cleanDocx(`NHS number 9434765919`, 'letter.docx')],
    ['an xlsx shared string', cleanXlsx([['NHS number', NHS_NUMBER_WITH_SPACES]], 'list.xlsx')],
    ['an xlsx number cell', cleanXlsx([['NHS number', 9434765919]], 'list.xlsx')],
    ['an odt paragraph', cleanOdt(`NHS number ${NHS_NUMBER_WITH_SPACES}`, 'letter.odt')],
    ['an ods number cell', cleanOds([['NHS number', 9434765919]], 'list.ods')],
    ['an ods text cell', cleanOds([['NHS number', '943-476-5919']], 'list.ods')],
    ['a legacy doc (8-bit text)', legacyDoc(`NHS number ${NHS_NUMBER_WITH_SPACES}`)],
    ['a legacy xls (UTF-16 string in the mini stream)', legacyXls(`NHS number ${NHS_NUMBER_WITH_SPACES}`)],
  ])('are found in %s', async (_label, sample) => {
    const verdict = await scan(sample);
    expect(verdict.status).toBe('quarantined');
    expect(verdict.reason).toMatch(PATIENT_DETAILS);
  });

  it('counts several numbers and shows only the last four digits of the first', async () => {
    const verdict = await scan(cleanDocx('Patients 401 023 2137 and 943 476 5919', 'list.docx'));
    expect(verdict.reason).toBe('list.docx appears to contain 2 NHS numbers (the first ends 2137). Evidence must not identify patients: remove patient details and upload it again.');
    expect(verdict.reason).not.toMatch(/4010232137|401 023 2137|9434765919/);
  });

  it('does not take a longer run of digits for an NHS number', async () => {
    expect((await scan(cleanDocx('Account 19434765919', 'statement.docx'))).status).toBe('clean');
  });
});

describe('wrong type for the extension', () => {
  it.each<[string, EvidenceSample, RegExp]>([
    ['a docx named .xlsx', renamed(cleanDocx(), 'figures.xlsx'), /^figures\.xlsx is not an Excel spreadsheet: its content is a Word document \(docx\)\. If it is the right file, rename it to end in \.docx/],
    ['a PDF named .docx', renamed(cleanPdf(), 'letter.docx'), /^letter\.docx is not a Word document: its content is a PDF \(pdf\)\. If it is the right file, rename it to end in \.pdf/],
    ['an ods named .odt', renamed(cleanOds(), 'notes.odt'), /^notes\.odt is not an OpenDocument text document: its content is an OpenDocument spreadsheet \(ods\)/],
    ['an xls named .doc', renamed(legacyXls(), 'letter.doc'), /^letter\.doc is not a Word document: its content is an Excel 97-2003 spreadsheet \(xls\)/],
    ['a doc named .docx', renamed(legacyDoc(), 'letter.docx'), /^letter\.docx is not a Word document: its content is a Word 97-2003 document \(doc\)\. If it is the right file, rename it to end in \.doc/],
    ['plain text named .pdf', named('notes.pdf', 'Just some notes about the claim.\n'), /^notes\.pdf is not a PDF: its content is plain text\. Upload a PDF, Word/],
    ['a PNG image named .pdf', named('scan.pdf', Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0])), /^scan\.pdf is not a PDF: its content is an image \(png\)/],
    ['a plain zip named .docx', named('bundle.docx', zipSync({ 'readme.txt': strToU8('hello') })), /^bundle\.docx is not a Word document: its content is a compressed archive \(zip\)/],
    ['unrecognisable bytes named .pdf', named('blob.pdf', Uint8Array.from({ length: 512 }, (_, index) => (index * 7919) % 256)), /^blob\.pdf is not a PDF: its content is not a type of document the portal recognises/],
  ])('%s', async (_label, sample, reason) => {
    const verdict = await scan(sample);
    expect(verdict.status).toBe('quarantined');
    expect(verdict.reason).toMatch(reason);
  });

  it('an extension outside the evidence types is refused, whatever the content', async () => {
    for (const name of ['photo.jpg', 'evidence', 'archive.zip', 'notes.txt']) {
      const verdict = await scan(renamed(cleanPdf(), name));
      expect(verdict.reason).toBe(`${name} is not an accepted type of evidence: upload a PDF, Word (.doc, .docx), Excel (.xls, .xlsx) or OpenDocument (.odt, .ods) file.`);
    }
  });
});

describe('programs and scripts', () => {
  const elf = Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, ...new Array<number>(56).fill(0)]);
  const machO = Uint8Array.from([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1, ...new Array<number>(56).fill(0)]);
  it.each<[string, EvidenceSample, string]>([
    ['a Linux program', named('report.doc', elf), 'a Linux program \\(ELF\\)'],
    ['a macOS program', named('report.pdf', machO), 'a macOS program \\(Mach-O\\)'],
    ['a batch file', named('report.pdf', '@echo off\r\ndel /q C:\\claims\\*\r\n'), 'a Windows batch script'],
    ['a PowerShell script', named('report.pdf', '$client = New-Object System.Net.WebClient\nInvoke-Expression $client.DownloadString("x")\n'), 'a PowerShell script'],
    ['a VBScript', named('report.pdf', 'Set shell = CreateObject("WScript.Shell")\nshell.Run "cmd"\n'), 'a VBScript program'],
    ['a JavaScript file', named('report.pdf', 'var files = new ActiveXObject("Scripting.FileSystemObject");\n'), 'a JavaScript program'],
    ['a Node script', named('report.pdf', "const fs = require('fs');\nfs.rmSync('/', { recursive: true });\n"), 'a JavaScript program'],
    ['an HTML application', named('report.pdf', '<html><script>alert(1)</script></html>'), 'a web page with scripts \\(html\\)'],
    ['a Python script', named('report.pdf', '#!/usr/bin/env python3\nimport os\n'), 'a Python script'],
  ])('%s is quarantined as a program', async (_label, sample, description) => {
    const verdict = await scan(sample);
    expect(verdict.status).toBe('quarantined');
    expect(verdict.reason).toMatch(new RegExp(`^report\\.(pdf|doc) is not an? [A-Za-z ]+: its content is (${description})\\. ${PROGRAMS.source}`));
  });

  it('a program under its own name is refused as a program, not as an unknown type', async () => {
    const verdict = await scan(renamed(exeRenamedPdf(), 'setup.exe'));
    expect(verdict.reason).toBe('setup.exe is a Windows program (exe). Programs and scripts are never accepted as evidence.');
  });
});

describe('damaged, empty and oversized files are quarantined, never crash the scan', () => {
  const pdf = cleanPdf().bytes;
  const docx = cleanDocx().bytes;
  const doc = legacyDoc().bytes;
  const docWithBrokenDirectory = new Uint8Array(doc);
  new DataView(docWithBrokenDirectory.buffer).setUint32(0x30, 99_999, true); // first directory sector: beyond the file

  it.each<[string, EvidenceSample, RegExp]>([
    ['a truncated PDF', named('cut.pdf', pdf.subarray(0, pdf.length >> 1)), /^cut\.pdf could not be read: the PDF is damaged or incomplete\. Save it again/],
    ['a PDF header followed by junk', named('junk.pdf', `%PDF-1.7\n${'x'.repeat(300)}`), /^junk\.pdf could not be read: the PDF is damaged or incomplete/],
    ['a truncated docx', named('cut.docx', docx.subarray(0, docx.length >> 1)), /^cut\.docx could not be read: its zip container is damaged\. Save it again/],
    ['a zip header alone', named('stub.xlsx', docx.subarray(0, 40)), /^stub\.xlsx could not be read: its zip container is damaged/],
    ['a compound file whose directory points past its end', named('broken.doc', docWithBrokenDirectory), /^broken\.doc could not be read: its Office container is damaged/],
    ['a truncated compound file', named('cut.xls', doc.subarray(0, 600)), /^cut\.xls could not be read: its Office container is damaged/],
    ['an empty file', named('empty.pdf', new Uint8Array(0)), /^empty\.pdf is empty\.$/],
  ])('%s', async (_label, sample, reason) => {
    const verdict = await scan(sample);
    expect(verdict.status).toBe('quarantined');
    expect(verdict.reason).toMatch(reason);
    expect(verdict.sha256).toBe(nodeSha256(sample.bytes));
  });

  it('refuses files over the 5 MB limit before looking inside', async () => {
    const big = new Uint8Array(EVIDENCE_MAX_BYTES + 1);
    big.set(pdf);
    const verdict = await scan(named('big.pdf', big));
    expect(verdict.reason).toBe('big.pdf is 5.1 MB, more than the 5 MB limit for evidence.');
    const small = createBuiltInScanner({ maxBytes: 1024 });
    expect((await small.scan({ name: 'a.docx', declaredType: null, bytes: docx })).reason).toBe(`a.docx is ${Math.ceil(docx.length / 1024)} KB, more than the 1 KB limit for evidence.`);
    expect(pdf.length).toBeLessThanOrEqual(1024);
    expect((await small.scan({ name: 'a.pdf', declaredType: null, bytes: pdf })).status).toBe('clean');
  });

  it('stops at the unpacking limit (a decompression bomb)', async () => {
    const bomb = zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': new Uint8Array(2 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(20_000);
    const verdict = await createBuiltInScanner({ maxUnpackedBytes: 1024 * 1024 }).scan({ name: 'bomb.docx', declaredType: null, bytes: bomb });
    expect(verdict.reason).toBe('bomb.docx could not be checked: it unpacks to more than 1 MB.');
  });

  it('gives every mangled sample a verdict (seeded random byte damage)', async () => {
    let seed = 20260401;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const originals = [cleanPdf(), cleanDocx(), cleanXlsx(), cleanOdt(), cleanOds(), legacyDoc(), legacyXls(), encryptedPdf(), pdfWithJavaScriptInObjectStream()];
    for (let round = 0; round < 120; round++) {
      const original = originals[round % originals.length]!;
      const bytes = new Uint8Array(original.bytes);
      for (let hit = 0; hit < 1 + Math.floor(random() * 8); hit++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      const verdict = await scan({ ...original, bytes });
      expect(['clean', 'quarantined']).toContain(verdict.status);
      expect(verdict.status === 'clean' ? verdict.reason : typeof verdict.reason).toBe(verdict.status === 'clean' ? null : 'string');
    }
  }, 30_000);
});

describe('sample files', () => {
  const everySample: EvidenceSample[] = [
    cleanPdf(), cleanDocx(), cleanXlsx(), cleanOdt(), cleanOds(), exeRenamedPdf(), eicarFile('eicar.pdf'), eicarFile('eicar.docx'), docxWithNhsNumber(),
    encryptedPdf(), pdfWithJavaScript(), macroDocx(), shellScriptAsXlsx(), docmRenamedDocx(), pdfWithLaunchAction(), pdfWithEscapedJavaScriptNames(),
    pdfWithJavaScriptInObjectStream(), encryptedOdt(), macroOdt(), legacyDoc(), legacyXls(), encryptedDocx(),
  ];

  it('are each under 50 KB', () => {
    for (const sample of everySample) expect(sample.bytes.length, sample.name).toBeLessThan(50 * 1024);
  });

  it('keep the EICAR signature out of this repository\'s text: it is assembled at run time', () => {
    expect(eicarSignature()).toHaveLength(68);
    expect(createHash('sha256').update(eicarSignature()).digest('hex')).toBe('275a021bbfb6489e54d471899f7db9d1663fc695ec2fe2a2c4538aabf651fd0f');
  });

  it('clean PDFs have exact cross-reference tables', () => {
    for (const sample of [cleanPdf(), eicarFile('eicar.pdf'), pdfWithJavaScript(), encryptedPdf()]) {
      const text = Buffer.from(sample.bytes).toString('latin1');
      const startxref = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(text)?.[1]);
      expect(text.slice(startxref, startxref + 4), sample.name).toBe('xref');
      const table = /^xref\n0 (\d+)\n([\s\S]*?)trailer/.exec(text.slice(startxref));
      const rows = table![2]!.match(/.{20}/gs)!;
      expect(rows).toHaveLength(Number(table![1]));
      rows.slice(1).forEach((row, index) => {
        const offset = Number(row.slice(0, 10));
        expect(text.slice(offset, offset + `${index + 1} 0 obj`.length), `${sample.name} object ${index + 1}`).toBe(`${index + 1} 0 obj`);
      });
    }
  });

  it('PDF.js reads the clean PDF\'s text, and the encrypted one only with its password', async () => {
    const { extractText, getDocumentProxy } = await import('unpdf');
    const open = (bytes: Uint8Array, password?: string) => getDocumentProxy(new Uint8Array(bytes), { verbosity: 0, ...(password ? { password } : {}) });
    const clean = await extractText(await open(cleanPdf('First line\nSecond (bracketed) line').bytes), { mergePages: true });
    expect(clean.text).toContain('First line');
    expect(clean.text).toContain('Second (bracketed) line');
    await expect(open(encryptedPdf().bytes)).rejects.toMatchObject({ name: 'PasswordException' });
    const unlocked = await extractText(await open(encryptedPdf().bytes, ENCRYPTED_PDF_PASSWORD), { mergePages: true });
    expect(unlocked.text).toContain('Confidential claim evidence');
  });

  it('compound files read back stream for stream (regular and mini streams)', () => {
    const big = Uint8Array.from({ length: 5000 }, (_, index) => index % 251);
    const small = strToU8('small stream');
    const file = readCompoundFile(writeCompoundFile([{ name: 'Big', data: big }, { name: 'Folder', children: [{ name: 'Small', data: small }] }]));
    expect(file.entries.map((entry) => [entry.path, entry.kind, entry.size])).toEqual([
      ['Big', 'stream', 5000],
      ['Folder', 'storage', 0],
      ['Folder/Small', 'stream', small.length],
    ]);
    expect(file.readStream(file.entries[0]!)).toEqual(big);
    expect(file.readStream(file.entries[2]!)).toEqual(small);
  });
});

describe('extractDocumentText (validate-claim\'s NHS-number check)', () => {
  const text = (sample: EvidenceSample) => extractDocumentText({ name: sample.name, declaredType: sample.type, bytes: sample.bytes });

  it('reads the words of PDF, Word, Excel and OpenDocument files', async () => {
    expect(await text(cleanPdf('Ear irrigation log, 3 procedures'))).toContain('Ear irrigation log, 3 procedures');
    expect(await text(cleanDocx('Clinic audit for Q2'))).toContain('Clinic audit for Q2');
    expect(await text(cleanOdt('Clinic audit for Q3'))).toContain('Clinic audit for Q3');
    // Spreadsheets: every cell's text, in no promised order (shared strings come after the sheet).
    for (const sheet of [cleanXlsx([['Week', 'Visits'], ['1', 14]]), cleanOds([['Week', 'Visits'], ['1', 14]])]) {
      const words = (await text(sheet))!.split(/\s+/);
      expect(words).toEqual(expect.arrayContaining(['Week', 'Visits', '1', '14']));
    }
    expect(await text(docxWithNhsNumber())).toMatch(/943\s?476\s?5919/);
  });

  it('gives null for what is not a readable document: programs, encrypted or active files, empty bytes', async () => {
    expect(await text(exeRenamedPdf())).toBeNull();
    expect(await text(encryptedPdf())).toBeNull();
    expect(await text(pdfWithJavaScript())).toBeNull();
    expect(await text(named('empty.pdf', new Uint8Array()))).toBeNull();
  });
});
