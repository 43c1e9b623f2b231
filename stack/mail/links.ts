// Finds the links a tester would click in a message. Pure: no I/O.
//
// Rules (docs/mail.md):
// - every http:// or https:// URL in the text body, then in the HTML body;
// - HTML is decoded from character references first, so `href="…?a=1&amp;b=2"`
//   yields `…?a=1&b=2`, and `&lt;https://…&gt;` yields the URL without brackets;
// - a URL ends at whitespace, a quote, a backtick or an angle bracket; trailing
//   sentence punctuation and unbalanced closing brackets are not part of it;
// - each URL appears once, at its first occurrence.

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00A0',
  sol: '/',
  colon: ':',
  equals: '=',
  quest: '?',
  num: '#',
  percnt: '%',
  period: '.',
  comma: ',',
  lowbar: '_',
  hyphen: '-',
  dash: '-',
  plus: '+',
  semi: ';',
  excl: '!',
  commat: '@',
  lpar: '(',
  rpar: ')',
  lsqb: '[',
  rsqb: ']',
  tilde: '~',
};

function codePoint(value: number, original: string): string {
  if (!Number.isInteger(value) || value <= 0 || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return original;
  return String.fromCodePoint(value);
}

/** Decodes numeric character references and the common named ones; leaves anything unknown as written. */
export function decodeHtmlEntities(input: string): string {
  return input.replace(/&(?:#(\d{1,7})|#[xX]([0-9A-Fa-f]{1,6})|([A-Za-z]{2,8}));/g, (match, dec, hex, name) => {
    if (dec !== undefined) return codePoint(Number.parseInt(dec, 10), match);
    if (hex !== undefined) return codePoint(Number.parseInt(hex, 16), match);
    return NAMED_ENTITIES[name as string] ?? NAMED_ENTITIES[(name as string).toLowerCase()] ?? match;
  });
}

const URL_CANDIDATE = /https?:\/\/[^\s<>"'`]+/gi;
const TRAILING_PUNCTUATION = new Set(['.', ',', ';', ':', '!', '?']);
const CLOSERS: Readonly<Record<string, string>> = { ')': '(', ']': '[', '}': '{' };

function count(text: string, char: string): number {
  let n = 0;
  for (const c of text) if (c === char) n++;
  return n;
}

function trimUrl(candidate: string): string {
  let url = candidate;
  for (;;) {
    const last = url.at(-1);
    if (last === undefined) return url;
    if (TRAILING_PUNCTUATION.has(last)) {
      url = url.slice(0, -1);
      continue;
    }
    const opener = CLOSERS[last];
    if (opener !== undefined && count(url, last) > count(url, opener)) {
      url = url.slice(0, -1);
      continue;
    }
    return url;
  }
}

/** A run of plain text, or a URL found in it. */
export type TextSegment = { text: string; url?: undefined } | { text: string; url: string };

/** Splits plain text into runs and URLs (for showing a body with clickable links). Joined, the segments give back the text. */
export function linkSegments(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let at = 0;
  for (const match of text.matchAll(URL_CANDIDATE)) {
    const url = trimUrl(match[0]);
    // Something must follow the scheme: `https://` alone is not a link.
    if (!/^https?:\/\/[^/?#]/i.test(url)) continue;
    if (match.index > at) segments.push({ text: text.slice(at, match.index) });
    segments.push({ text: url, url });
    at = match.index + url.length;
  }
  if (at < text.length) segments.push({ text: text.slice(at) });
  return segments;
}

/** http(s) URLs in a piece of plain text, in order (duplicates kept). */
export function findUrls(text: string): string[] {
  return linkSegments(text).flatMap((segment) => (segment.url === undefined ? [] : [segment.url]));
}

/** The links of a message: text body first, then the HTML body (decoded), each URL once. */
export function extractLinks(message: { text: string; html?: string | undefined }): string[] {
  const all = [...findUrls(message.text), ...(message.html ? findUrls(decodeHtmlEntities(message.html)) : [])];
  return [...new Set(all)];
}
