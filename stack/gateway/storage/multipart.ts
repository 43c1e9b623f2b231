// A streaming multipart/form-data parser (RFC 7578 / RFC 2046). Bytes go in as they
// arrive; events come out in order. A part's body is emitted in pieces as soon as it
// is known not to contain the boundary, so a file part never has to be held in
// memory and the caller can stop reading the moment a size limit is crossed.
// Pure: no I/O, no knowledge of storage.
import { errors } from './errors.ts';

export interface PartHeaders {
  /** `name` from Content-Disposition. */
  name: string;
  /** `filename` from Content-Disposition: present for file parts. */
  filename: string | undefined;
  /** The part's own Content-Type, if it has one. */
  contentType: string | undefined;
}

export type MultipartEvent =
  | { kind: 'part'; headers: PartHeaders }
  | { kind: 'data'; bytes: Uint8Array }
  | { kind: 'partEnd' }
  | { kind: 'end' };

/** The boundary parameter of a multipart Content-Type, or undefined. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^\s*multipart\/form-data\s*(;|$)/i.test(contentType)) return undefined;
  const params = parseParameters(contentType.slice(contentType.indexOf(';') + 1));
  const boundary = params.get('boundary');
  return boundary && boundary.length <= 200 ? boundary : undefined;
}

/** `; key=value; key="quoted \" value"` → Map (keys lower-cased). */
function parseParameters(text: string): Map<string, string> {
  const params = new Map<string, string>();
  const pattern = /(?:^|;)\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  for (const match of text.matchAll(pattern)) {
    let value = match[2]!.trim();
    if (value.startsWith('"')) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    params.set(match[1]!.toLowerCase(), value);
  }
  return params;
}

function parsePartHeaders(block: string): PartHeaders {
  let disposition: string | undefined;
  let contentType: string | undefined;
  for (const line of block.split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw malformed();
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-disposition') disposition = value;
    else if (name === 'content-type') contentType = value;
  }
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition)) throw malformed();
  const params = parseParameters(disposition.slice(disposition.indexOf(';') + 1));
  const filename = params.get('filename*')?.replace(/^UTF-8''/i, '') ?? params.get('filename');
  return { name: params.get('name') ?? '', filename, contentType: contentType || undefined };
}

function malformed() {
  return errors.noContent('Malformed multipart/form-data body');
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

type State = 'preamble' | 'afterDelimiter' | 'headers' | 'body' | 'end';

export class MultipartParser {
  /** `\r\n--boundary`: every delimiter, the first one included (a CRLF is assumed before the body). */
  private readonly delimiter: Buffer;
  private buffer: Buffer = CRLF;
  private state: State = 'preamble';

  constructor(
    boundary: string,
    private readonly maxHeaderBytes = 16 * 1024,
  ) {
    this.delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  }

  get ended(): boolean {
    return this.state === 'end';
  }

  /** Feed the next bytes; returns the events they complete, in order. */
  push(chunk: Uint8Array): MultipartEvent[] {
    if (this.state === 'end') return [];
    this.buffer = this.buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buffer, chunk]);
    const events: MultipartEvent[] = [];
    for (;;) {
      if (this.state === 'preamble') {
        const at = this.buffer.indexOf(this.delimiter);
        if (at < 0) {
          // Keep only what could be the start of a delimiter.
          this.buffer = this.buffer.subarray(Math.max(0, this.buffer.length - this.delimiter.length + 1));
          return events;
        }
        this.buffer = this.buffer.subarray(at + this.delimiter.length);
        this.state = 'afterDelimiter';
      } else if (this.state === 'afterDelimiter') {
        // `--` closes the body; otherwise optional linear whitespace, then the CRLF that
        // starts the header block (kept: an empty header block is then just CRLF CRLF).
        let i = 0;
        if (this.buffer.length < 2) return events;
        if (this.buffer[0] === 0x2d && this.buffer[1] === 0x2d) {
          this.state = 'end';
          this.buffer = Buffer.alloc(0);
          events.push({ kind: 'end' });
          return events;
        }
        while (i < this.buffer.length && (this.buffer[i] === 0x20 || this.buffer[i] === 0x09)) i++;
        if (i > 256) throw malformed();
        if (this.buffer.length < i + 2) return events;
        if (this.buffer[i] !== 0x0d || this.buffer[i + 1] !== 0x0a) throw malformed();
        this.buffer = this.buffer.subarray(i);
        this.state = 'headers';
      } else if (this.state === 'headers') {
        const at = this.buffer.indexOf(HEADER_END);
        if (at < 0) {
          if (this.buffer.length > this.maxHeaderBytes) throw malformed();
          return events;
        }
        const headers = parsePartHeaders(this.buffer.subarray(2, at).toString('utf8'));
        this.buffer = this.buffer.subarray(at + HEADER_END.length);
        this.state = 'body';
        events.push({ kind: 'part', headers });
      } else if (this.state === 'body') {
        const at = this.buffer.indexOf(this.delimiter);
        if (at < 0) {
          // Everything except a possible partial delimiter at the end is part data.
          const safe = this.buffer.length - this.delimiter.length + 1;
          if (safe > 0) {
            events.push({ kind: 'data', bytes: this.buffer.subarray(0, safe) });
            this.buffer = Buffer.from(this.buffer.subarray(safe));
          }
          return events;
        }
        if (at > 0) events.push({ kind: 'data', bytes: this.buffer.subarray(0, at) });
        events.push({ kind: 'partEnd' });
        this.buffer = this.buffer.subarray(at + this.delimiter.length);
        this.state = 'afterDelimiter';
      } else {
        return events;
      }
    }
  }

  /** The input is over: anything but a properly closed body is malformed. */
  finish(): void {
    if (this.state !== 'end') throw malformed();
  }
}
