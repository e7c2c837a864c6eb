import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalEncoding, decodeFeedBody } from '../../src/feeds/decode.js';
import { WirewatchError } from '../../src/errors.js';

/** ISO-8859-1 bytes; a C1 character (\u0080–\u009F) gives that byte, which windows-1252 reads as € “ ” … */
const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));

/** Encodes text in a legacy code page (TextEncoder only does UTF-8). Not for windows-1252: see latin1. */
function legacyBytes(text: string, encoding: string): Uint8Array {
  const decoder = new TextDecoder(encoding);
  const table = new Map<string, number>();
  for (let byte = 0; byte < 256; byte++) table.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Uint8Array.from(Array.from(text, (char) => {
    const byte = table.get(char);
    if (byte === undefined) throw new Error(`${char} is not in ${encoding}`);
    return byte;
  }));
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
// Sniffing a single-byte code page needs a realistic amount of text: chardet misreads one short line.
const RUSSIAN =
  '<rss><channel><item><title>Новости Оренбурга и области</title><description>В Бузулуке главные стройплощадки - детсад и ' +
  'Ледовый дворец. ЧОПовцы в Оренбурге избили молодого человека. Два оренбуржца перевозили героин в автомобиле.</description></item></channel></rss>';
const GREEK = '<rss><channel><title>«Πορτραίτα καραντίνας» για έμπνευση από τη συλλογή</title></channel></rss>';
const PORTUGUESE = '<rss><channel><title>Mãe de utente é a nova presidente da Raríssimas; reações dos partidos</title></channel></rss>';

describe('decodeFeedBody: choosing the encoding', () => {
  const cases: Array<{
    name: string;
    bytes: Uint8Array;
    contentType: string | null;
    encoding: string;
    source: string;
    contains: string;
  }> = [
    {
      name: 'HTTP header charset',
      bytes: legacyBytes(RUSSIAN, 'windows-1251'),
      contentType: 'application/rss+xml; charset=windows-1251',
      encoding: 'windows-1251',
      source: 'http-header',
      contains: 'Новости Оренбурга',
    },
    {
      name: 'HTTP header charset beats a wrong XML declaration',
      bytes: legacyBytes(`<?xml version="1.0" encoding="windows-1251"?>${RUSSIAN}`, 'koi8-r'),
      contentType: 'text/xml; charset="KOI8-R"',
      encoding: 'koi8-r',
      source: 'http-header',
      contains: 'Ледовый дворец',
    },
    {
      name: 'XML declaration',
      bytes: legacyBytes(`<?xml version="1.0" encoding="ISO-8859-7"?>${GREEK}`, 'iso-8859-7'),
      contentType: 'text/xml',
      encoding: 'iso-8859-7',
      source: 'xml-declaration',
      contains: '«Πορτραίτα καραντίνας»',
    },
    {
      name: 'XML declaration ISO-8859-1 decodes as windows-1252 (WHATWG), so 0x80 is the euro sign',
      bytes: latin1(`<?xml version='1.0' encoding='ISO-8859-1'?>${PORTUGUESE.replace('reações', 'custo 5 \u0080')}`),
      contentType: null,
      encoding: 'windows-1252',
      source: 'xml-declaration',
      contains: 'Mãe de utente é a nova presidente da Raríssimas; custo 5 €',
    },
    {
      name: 'UTF-8 BOM (stripped)',
      bytes: Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(GREEK)]),
      contentType: null,
      encoding: 'utf-8',
      source: 'bom',
      contains: GREEK,
    },
    {
      name: 'UTF-16LE BOM',
      bytes: Uint8Array.from(Buffer.from(`\uFEFF${RUSSIAN}`, 'utf16le')),
      contentType: null,
      encoding: 'utf-16le',
      source: 'bom',
      contains: RUSSIAN,
    },
    {
      name: 'UTF-16BE BOM',
      bytes: Uint8Array.from(Buffer.from(`\uFEFF${GREEK}`, 'utf16le').swap16()),
      contentType: null,
      encoding: 'utf-16be',
      source: 'bom',
      contains: GREEK,
    },
    {
      name: 'a BOM beats a header that contradicts it',
      bytes: Uint8Array.from([0xef, 0xbb, 0xbf, ...utf8(PORTUGUESE)]),
      contentType: 'text/xml; charset=iso-8859-1',
      encoding: 'utf-8',
      source: 'bom',
      contains: 'Mãe de utente',
    },
    {
      name: 'sniffing: no charset anywhere, windows-1251 bytes',
      bytes: legacyBytes(RUSSIAN, 'windows-1251'),
      contentType: 'application/xml',
      encoding: 'windows-1251',
      source: 'sniffed',
      contains: 'В Бузулуке главные стройплощадки',
    },
    {
      name: 'sniffing: no charset anywhere, valid UTF-8',
      bytes: utf8(GREEK),
      contentType: null,
      encoding: 'utf-8',
      source: 'sniffed',
      contains: 'έμπνευση',
    },
    {
      name: 'declared UTF-8 (declaration) but Latin-1 bytes: sniffed instead',
      bytes: latin1(`<?xml version="1.0" encoding="UTF-8"?>${PORTUGUESE}`),
      contentType: null,
      encoding: 'windows-1252',
      source: 'sniffed',
      contains: 'Mãe de utente é a nova presidente da Raríssimas; reações',
    },
    {
      name: 'declared UTF-8 (header) but Latin-1 bytes: sniffed instead',
      bytes: latin1(PORTUGUESE),
      contentType: 'text/xml; charset=utf-8',
      encoding: 'windows-1252',
      source: 'sniffed',
      contains: 'reações dos partidos',
    },
    {
      name: 'declared ISO-8859-1 but the bytes are valid UTF-8: UTF-8 wins',
      bytes: utf8(`<?xml version="1.0" encoding="iso-8859-1"?>${PORTUGUESE}`),
      contentType: null,
      encoding: 'utf-8',
      source: 'sniffed',
      contains: 'Mãe de utente é a nova presidente',
    },
    {
      name: 'an unknown label falls through to the next rule',
      bytes: legacyBytes(`<?xml version="1.0" encoding="x-mac-nonsense"?>${GREEK}`, 'iso-8859-7'),
      contentType: 'text/xml; charset=bogus',
      encoding: 'iso-8859-7',
      source: 'sniffed',
      contains: 'καραντίνας',
    },
    {
      name: 'an alias TextDecoder does not know (cp-1251)',
      bytes: legacyBytes(RUSSIAN, 'windows-1251'),
      contentType: 'text/xml; charset=cp-1251',
      encoding: 'windows-1251',
      source: 'http-header',
      contains: 'Новости',
    },
    {
      name: 'plain ASCII with no charset: default',
      bytes: utf8('<rss><channel><title>News</title></channel></rss>'),
      contentType: null,
      encoding: 'utf-8',
      source: 'default',
      contains: '<title>News</title>',
    },
  ];

  it.each(cases)('$name', ({ bytes, contentType, encoding, source, contains }) => {
    const decoded = decodeFeedBody(bytes, contentType);
    expect(decoded.encoding).toBe(encoding);
    expect(decoded.encodingSource).toBe(source);
    expect(decoded.text).toContain(contains);
    expect(decoded.text).not.toContain('\uFFFD');
    expect(decoded.text.startsWith('\uFEFF')).toBe(false);
    expect(decoded.inflated).toBe(false);
  });

  it('decodes windows-1252 punctuation in 0x80–0x9F correctly (Node 20.18.3+ TextDecoder maps it to C1 controls)', () => {
    const bytes = latin1('<rss><channel><title>\u0093Caf\u00e9\u0094 \u0096 it\u0092s \u0080 5\u0085</title></channel></rss>');
    const decoded = decodeFeedBody(bytes, 'text/xml; charset=iso-8859-1');
    expect(decoded.encoding).toBe('windows-1252');
    expect(decoded.text).toContain('“Café” – it’s € 5…');
    expect(decoded.text).not.toMatch(/[\u0080-\u009f]/);
  });

  it('keeps mostly-UTF-8 text as UTF-8 when a few bytes are corrupt', () => {
    const bytes = Uint8Array.from([...utf8(`<?xml version="1.0" encoding="utf-8"?>${GREEK}`), 0xe9, ...utf8('</x>')]);
    const decoded = decodeFeedBody(bytes, null);
    expect(decoded).toMatchObject({ encoding: 'utf-8', encodingSource: 'sniffed' });
    expect(decoded.text).toContain('«Πορτραίτα καραντίνας»');
  });
});

describe('decodeFeedBody: gzip bytes without a Content-Encoding header', () => {
  it('inflates them, then decodes by the rules', () => {
    const decoded = decodeFeedBody(gzipSync(legacyBytes(`<?xml version="1.0" encoding="windows-1251"?>${RUSSIAN}`, 'windows-1251')), null);
    expect(decoded).toMatchObject({ encoding: 'windows-1251', encodingSource: 'xml-declaration', inflated: true });
    expect(decoded.text).toContain('Новости Оренбурга');
  });

  it('refuses a body that inflates past maxBytes with feed_too_large', () => {
    const bomb = gzipSync(Buffer.alloc(3_000_000, 0x20));
    expect(bomb.length).toBeLessThan(10_000);
    expect(() => decodeFeedBody(bomb, null, { maxBytes: 1_000_000 })).toThrow(
      expect.objectContaining({ name: 'WirewatchError', code: 'feed_too_large' }),
    );
    expect(decodeFeedBody(bomb, null, { maxBytes: 4_000_000 }).text.length).toBe(3_000_000);
  });

  it('applies a 5 MB cap by default', () => {
    expect(() => decodeFeedBody(gzipSync(Buffer.alloc(6 * 1024 * 1024, 0x20)), null)).toThrow(
      expect.objectContaining({ code: 'feed_too_large' }),
    );
  });

  it('keeps what a truncated gzip download holds', () => {
    const gzipped = gzipSync(utf8(GREEK));
    const decoded = decodeFeedBody(gzipped.subarray(0, gzipped.length - 10), null);
    expect(decoded.inflated).toBe(true);
    expect(decoded.text).toContain('«Πορτραίτα καραντίνας»');
  });

  it('reports bytes that only look like gzip as feed_decode_error', () => {
    const error = catchError(() => decodeFeedBody(Uint8Array.from([0x1f, 0x8b, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]), null));
    expect(error).toBeInstanceOf(WirewatchError);
    expect((error as WirewatchError).code).toBe('feed_decode_error');
  });
});

describe('canonicalEncoding', () => {
  it.each([
    ['latin1', 'windows-1252'],
    ['ISO-8859-1', 'windows-1252'],
    ['iso8859_15', 'iso-8859-15'],
    ['Latin-1', 'windows-1252'],
    ['win-1251', 'windows-1251'],
    ['CP1252', 'windows-1252'],
    ['Shift-JIS', 'shift_jis'],
    ['utf8', 'utf-8'],
    ['TIS-620', 'windows-874'],
    ['EUC-KR', 'euc-kr'],
    ['gb2312', 'gbk'],
    ['iso-2022-kr', null],
    ['no-such-charset', null],
  ])('%s → %s', (label, expected) => {
    expect(canonicalEncoding(label)).toBe(expected);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  return undefined;
}
