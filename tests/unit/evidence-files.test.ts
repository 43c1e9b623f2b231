// @vitest-environment jsdom
// The sample documents of tests/shared/evidence-files.ts are real packages,
// not just bytes the scanner happens to accept: every XML part is well-formed
// (jsdom's DOMParser, hence this file's environment), OOXML parts all have a
// content type and every relationship points at a part that exists, and
// OpenDocument files start with their uncompressed `mimetype` and list every
// part in the manifest. (LibreOffice opens them too; that needs a local
// install, so it is not part of the suite.)
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import {
  MIME,
  cleanDocx,
  cleanOds,
  cleanOdt,
  cleanXlsx,
  docmRenamedDocx,
  docxWithNhsNumber,
  eicarFile,
  macroDocx,
  macroOdt,
  type EvidenceSample,
} from '../shared/evidence-files.ts';

function parseXml(text: string, label: string): Document {
  const document = new DOMParser().parseFromString(text, 'application/xml');
  const error = document.getElementsByTagName('parsererror')[0];
  if (error) throw new Error(`${label} is not well-formed XML: ${error.textContent ?? ''}`);
  return document;
}

const decode = (bytes: Uint8Array) => new TextDecoder('utf-8').decode(bytes);
const isXmlPart = (name: string) => name.endsWith('.xml') || name.endsWith('.rels');

describe('XML check used below', () => {
  it('rejects malformed XML', () => {
    expect(() => parseXml('<a><b></a>', 'sample')).toThrow(/not well-formed/);
    expect(parseXml('<a><b/></a>', 'sample').documentElement.nodeName).toBe('a');
  });
});

describe('Office Open XML samples', () => {
  it.each<[string, EvidenceSample]>([
    ['cleanDocx', cleanDocx('Text with <angle brackets> & ampersands')],
    ['cleanXlsx', cleanXlsx([['Name & role', 'Count'], ['<none>', 3], ['Shared', 'Shared']])],
    ['docxWithNhsNumber', docxWithNhsNumber()],
    ['macroDocx', macroDocx()],
    ['docmRenamedDocx', docmRenamedDocx()],
    ['eicarFile(.docx)', eicarFile('eicar.docx')],
  ])('%s: well-formed parts, each with a content type, and relationships that resolve', (_label, sample) => {
    const parts = unzipSync(sample.bytes);
    const names = Object.keys(parts);
    for (const name of names.filter(isXmlPart)) parseXml(decode(parts[name]!), `${sample.name}:${name}`);

    const types = parseXml(decode(parts['[Content_Types].xml']!), 'content types');
    const defaults = new Set(Array.from(types.getElementsByTagName('Default'), (element) => element.getAttribute('Extension')!.toLowerCase()));
    const overrides = Array.from(types.getElementsByTagName('Override'), (element) => element.getAttribute('PartName')!.slice(1));
    for (const part of overrides) expect(names, `override for a missing part ${part}`).toContain(part);
    for (const name of names.filter((part) => part !== '[Content_Types].xml')) {
      const typed = overrides.includes(name) || defaults.has(name.slice(name.lastIndexOf('.') + 1).toLowerCase());
      expect(typed, `${name} has no content type`).toBe(true);
    }

    for (const relsName of names.filter((name) => name.endsWith('.rels'))) {
      // word/_rels/document.xml.rels describes word/document.xml: targets are relative to word/.
      const sourceFolder = relsName.replace(/_rels\/[^/]+$/, '');
      const relationships = parseXml(decode(parts[relsName]!), relsName).getElementsByTagName('Relationship');
      for (const relationship of Array.from(relationships)) {
        if (relationship.getAttribute('TargetMode') === 'External') continue;
        const target = `${sourceFolder}${relationship.getAttribute('Target')!}`;
        expect(names, `${relsName} points at ${target}`).toContain(target);
      }
    }
    expect(parts['_rels/.rels'], 'package relationships').toBeDefined();
  });

  it('the workbook keeps strings in the shared-string table and numbers as numbers', () => {
    const parts = unzipSync(cleanXlsx([['Month', 'Appointments'], ['April 2026', 412]]).bytes);
    const strings = Array.from(parseXml(decode(parts['xl/sharedStrings.xml']!), 'shared strings').getElementsByTagName('t'), (t) => t.textContent);
    expect(strings).toEqual(['Month', 'Appointments', 'April 2026']);
    const cells = parseXml(decode(parts['xl/worksheets/sheet1.xml']!), 'sheet').getElementsByTagName('c');
    expect(Array.from(cells, (cell) => [cell.getAttribute('r'), cell.getAttribute('t'), cell.textContent])).toEqual([
      ['A1', 's', '0'],
      ['B1', 's', '1'],
      ['A2', 's', '2'],
      ['B2', null, '412'],
    ]);
  });
});

describe('OpenDocument samples', () => {
  it.each<[string, EvidenceSample, string]>([
    ['cleanOdt', cleanOdt('Text with <angle brackets> & ampersands'), MIME.odt],
    ['cleanOds', cleanOds([['Name & role', 'Count'], ['<none>', 3]]), MIME.ods],
    ['macroOdt', macroOdt(), MIME.odt],
  ])('%s: uncompressed mimetype first, well-formed parts, all in the manifest', (_label, sample, mimeType) => {
    const bytes = sample.bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    expect(view.getUint32(0, true), 'local file header').toBe(0x04034b50);
    expect(view.getUint16(8, true), 'compression method: stored').toBe(0);
    const nameLength = view.getUint16(26, true);
    const extraLength = view.getUint16(28, true);
    expect(decode(bytes.subarray(30, 30 + nameLength))).toBe('mimetype');
    const dataStart = 30 + nameLength + extraLength;
    expect(decode(bytes.subarray(dataStart, dataStart + mimeType.length))).toBe(mimeType);

    const parts = unzipSync(bytes);
    for (const name of Object.keys(parts).filter(isXmlPart)) parseXml(decode(parts[name]!), `${sample.name}:${name}`);
    const manifest = parseXml(decode(parts['META-INF/manifest.xml']!), 'manifest');
    const listed = Array.from(manifest.getElementsByTagName('manifest:file-entry'), (entry) => entry.getAttribute('manifest:full-path'));
    expect(listed[0]).toBe('/');
    for (const name of Object.keys(parts).filter((part) => part !== 'mimetype' && part !== 'META-INF/manifest.xml')) {
      expect(listed, `${name} is in the manifest`).toContain(name);
    }
  });
});
