// The streaming multipart/form-data parser (stack/gateway/storage/multipart.ts):
// a body as undici's FormData encodes it must parse to the same parts whichever
// way the bytes are split into chunks, including splits inside the boundary.
import { describe, expect, it } from 'vitest';
import { MultipartParser, multipartBoundary, type MultipartEvent } from '../../../stack/gateway/storage/multipart.ts';

interface Part {
  name: string;
  filename: string | undefined;
  contentType: string | undefined;
  body: string;
}

function collect(events: MultipartEvent[]): { parts: Part[]; ended: boolean } {
  const parts: Part[] = [];
  let ended = false;
  const chunks: Buffer[] = [];
  for (const event of events) {
    if (event.kind === 'part') {
      parts.push({ ...event.headers, body: '' });
      chunks.length = 0;
    } else if (event.kind === 'data') {
      chunks.push(Buffer.from(event.bytes));
    } else if (event.kind === 'partEnd') {
      parts[parts.length - 1]!.body = Buffer.concat(chunks).toString('utf8');
    } else {
      ended = true;
    }
  }
  return { parts, ended };
}

function parse(body: Buffer, boundary: string, chunkSizes: (i: number) => number): { parts: Part[]; ended: boolean } {
  const parser = new MultipartParser(boundary);
  const events: MultipartEvent[] = [];
  let offset = 0;
  for (let i = 0; offset < body.length; i++) {
    const size = Math.max(1, chunkSizes(i));
    events.push(...parser.push(body.subarray(offset, offset + size)));
    offset += size;
  }
  parser.finish();
  return collect(events);
}

async function encode(form: FormData): Promise<{ body: Buffer; boundary: string }> {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  const boundary = multipartBoundary(request.headers.get('content-type') ?? undefined);
  return { body: Buffer.from(await request.arrayBuffer()), boundary: boundary! };
}

describe('multipart parser', () => {
  it('reads the boundary from the Content-Type', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc123')).toBe('----abc123');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="quoted; value"')).toBe('quoted; value');
    expect(multipartBoundary('application/json')).toBeUndefined();
    expect(multipartBoundary(undefined)).toBeUndefined();
  });

  it('parses storage-js’s form (fields, then the file part) for every chunking', async () => {
    const fileBody = `line one\r\n--not-the-boundary\r\n${'x'.repeat(300)}\r\n`;
    const form = new FormData();
    form.append('cacheControl', '3600');
    form.append('metadata', JSON.stringify({ a: 'ü' }));
    form.append('', new Blob([fileBody], { type: 'application/pdf' }), 'scan.pdf');
    const { body, boundary } = await encode(form);
    const expected: Part[] = [
      { name: 'cacheControl', filename: undefined, contentType: undefined, body: '3600' },
      { name: 'metadata', filename: undefined, contentType: undefined, body: '{"a":"ü"}' },
      { name: '', filename: 'scan.pdf', contentType: 'application/pdf', body: fileBody },
    ];
    for (const size of [1, 2, 3, 7, 16, 41, 64, 1000, body.length]) {
      expect(parse(body, boundary, () => size), `chunks of ${size}`).toEqual({ parts: expected, ended: true });
    }
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 50;
    for (let run = 0; run < 50; run++) {
      expect(parse(body, boundary, random)).toEqual({ parts: expected, ended: true });
    }
  });

  it('keeps binary content byte for byte, including CR/LF and boundary look-alikes', () => {
    const boundary = 'b0und';
    const payload = Buffer.from([0, 13, 10, 45, 45, 98, 48, 117, 110, 13, 10, 255, 13, 10, 45, 45]);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name=""; filename="f.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      payload,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    for (const size of [1, 2, 5, body.length]) {
      const parser = new MultipartParser(boundary);
      const data: Buffer[] = [];
      for (let offset = 0; offset < body.length; offset += size) {
        for (const event of parser.push(body.subarray(offset, offset + size))) {
          if (event.kind === 'data') data.push(Buffer.from(event.bytes));
        }
      }
      parser.finish();
      expect(Buffer.concat(data).equals(payload)).toBe(true);
    }
  });

  it('refuses truncated bodies and parts without Content-Disposition', () => {
    const truncated = new MultipartParser('zz');
    truncated.push(Buffer.from('--zz\r\nContent-Disposition: form-data; name="a"; filename="a"\r\n\r\npartial'));
    expect(() => truncated.finish()).toThrow('Malformed multipart/form-data body');
    const noDisposition = new MultipartParser('zz');
    expect(() => noDisposition.push(Buffer.from('--zz\r\nContent-Type: text/plain\r\n\r\nx\r\n--zz--'))).toThrow('Malformed');
  });

  it('ignores a preamble and an epilogue', () => {
    const body = Buffer.from('preamble text\r\n--q\r\nContent-Disposition: form-data; name="f"\r\n\r\nvalue\r\n--q--\r\nepilogue');
    expect(parse(body, 'q', () => 4)).toEqual({ parts: [{ name: 'f', filename: undefined, contentType: undefined, body: 'value' }], ended: true });
  });
});
