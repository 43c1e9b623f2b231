// Link extraction (stack/mail/links.ts): what a tester clicks in a message.
import { describe, expect, it } from 'vitest';
import { decodeHtmlEntities, extractLinks, findUrls, linkSegments } from '../../../stack/mail/links.ts';

describe('decodeHtmlEntities', () => {
  it('decodes named, decimal and hex references and leaves unknown ones alone', () => {
    expect(decodeHtmlEntities('a &amp; b &lt;c&gt; &quot;d&quot; &#39;e&#x27; &#8364; &nbsp;|')).toBe(
      'a & b <c> "d" \'e\' € \u00A0|',
    );
    expect(decodeHtmlEntities('&unknown; &#0; &#xD800; &#99999999;')).toBe('&unknown; &#0; &#xD800; &#99999999;');
  });
});

describe('findUrls', () => {
  it('finds http and https URLs in order and ignores other schemes', () => {
    expect(findUrls('First http://a.example/x then https://b.example/y?z=1#top, ftp://c.example and mailto:d@e.example')).toEqual([
      'http://a.example/x',
      'https://b.example/y?z=1#top',
    ]);
  });

  it('drops trailing sentence punctuation and unbalanced brackets but keeps balanced ones', () => {
    expect(findUrls('Go to https://a.example/confirm. Or (https://b.example/path) or https://c.example/wiki/Foo_(bar)!')).toEqual([
      'https://a.example/confirm',
      'https://b.example/path',
      'https://c.example/wiki/Foo_(bar)',
    ]);
  });

  it('stops at whitespace, quotes and angle brackets, and needs a host', () => {
    expect(findUrls('<https://a.example/x> "https://b.example/y" https:// nothing')).toEqual(['https://a.example/x', 'https://b.example/y']);
  });

  it('is case-insensitive about the scheme', () => {
    expect(findUrls('HTTPS://A.EXAMPLE/X')).toEqual(['HTTPS://A.EXAMPLE/X']);
  });
});

describe('linkSegments', () => {
  it('splits text into runs and links that join back to the text', () => {
    const text = 'Confirm: https://a.example/c?t=1. Thanks';
    const segments = linkSegments(text);
    expect(segments).toEqual([{ text: 'Confirm: ' }, { text: 'https://a.example/c?t=1', url: 'https://a.example/c?t=1' }, { text: '. Thanks' }]);
    expect(segments.map((s) => s.text).join('')).toBe(text);
  });
});

describe('extractLinks', () => {
  it('decodes entities in the HTML body (href=…&amp;…)', () => {
    const html = '<p><a href="https://portal.example/auth/v1/verify?token=abc&amp;type=signup&amp;redirect_to=http%3A%2F%2F127.0.0.1%3A5173">Confirm</a></p>';
    expect(extractLinks({ text: 'Confirm your email', html })).toEqual([
      'https://portal.example/auth/v1/verify?token=abc&type=signup&redirect_to=http%3A%2F%2F127.0.0.1%3A5173',
    ]);
  });

  it('takes the text body first, then the HTML body, each URL once', () => {
    const links = extractLinks({
      text: 'Open https://a.example/1 and https://b.example/2',
      html: '<a href="https://b.example/2">b</a> <a href="https://c.example/3">c</a> &lt;https://d.example/4&gt;',
    });
    expect(links).toEqual(['https://a.example/1', 'https://b.example/2', 'https://c.example/3', 'https://d.example/4']);
  });

  it('returns no links for a body without any', () => {
    expect(extractLinks({ text: 'Your claim was approved.' })).toEqual([]);
  });
});
