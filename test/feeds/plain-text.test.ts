/**
 * The shortcuts for text that is already plain (foldWhitespace and withoutControls returning
 * their input when there is nothing to change, htmlToText not parsing text without '<' or '&')
 * give exactly what the full path gives. The references below are the full paths, written out.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { detached, foldWhitespace, htmlToText, repairMojibake } from '../../src/feeds/text.js';
import { parseFeedDocument } from '../../src/feeds/parse.js';
import { normaliseFeed } from '../../src/feeds/normalise.js';
import type { Story } from '../../src/feeds/story.js';
import { withoutControls } from '../../src/safe-text.js';

const referenceFold = (text: string) => text.replace(/[\s\u00a0\u200b\ufeff]+/g, ' ').trim();
const referenceWithoutControls = (text: string) => text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '').replace(/[\u202a-\u202e\u2066-\u2069]/g, '');
/** htmlToText of text that LOOKS_LIKE_MARKUP cannot match: mojibake repaired, controls out, whitespace folded. */
const referencePlain = (text: string) => referenceFold(referenceWithoutControls(repairMojibake(text)));

/** Every UTF-16 code unit, lone surrogates included. */
const EVERY_CODE_UNIT = Array.from({ length: 0x10000 }, (_, code) => String.fromCharCode(code));

const PLAIN = [
  '',
  ' ',
  'a',
  'Mexico extradites 26 cartel figures',
  ' leading space',
  'trailing space ',
  'two  spaces',
  'tab\there',
  'line\nbreak',
  'crlf\r\nline',
  'no\u00a0break',
  'zero\u200bwidth',
  'bom\ufeffinside',
  '\ufeffbom first',
  'ideographic\u3000space',
  'line\u2028separator',
  'según la reunión, continuará la próxima semana en el país',
  'São Paulo, Zürich, Łódź, İstanbul',
  'MÃ©xico extraditÃ³ a â€œEl Mayoâ€\u009d',
  'animarÃ¡n la Navidad',
  'Ã la carte',
  'ESC\u001b[2J and BEL\u0007',
  'C1\u0085\u009b controls',
  'bidi\u202egpj.exe \u2067x\u2069',
  'LRM\u200e and RLM\u200f',
  'emoji 🇲🇽 and a lone \ud800 surrogate',
  'a > b, x = "y", 50% off; it’s — fine',
];

describe('plain text shortcuts', () => {
  it.each(PLAIN)('htmlToText(%j) is the full path', (text) => {
    expect(htmlToText(text)).toBe(referencePlain(text));
  });

  it('foldWhitespace agrees with the full replacement around every code unit', () => {
    for (const char of EVERY_CODE_UNIT) {
      for (const text of [char, `a${char}b`, `${char}a`, `a${char}`, `a ${char}b`, `a${char} b`, `${char}${char}`, ` a${char}b `, ` ${char}a `, `${char} a b ${char}`]) {
        if (foldWhitespace(text) !== referenceFold(text)) expect(foldWhitespace(text), JSON.stringify(text)).toBe(referenceFold(text));
      }
    }
  });

  it('withoutControls agrees with the full replacement for every code unit', () => {
    for (const char of EVERY_CODE_UNIT) {
      const text = `a${char}b`;
      if (withoutControls(text) !== referenceWithoutControls(text)) expect(withoutControls(text), JSON.stringify(text)).toBe(referenceWithoutControls(text));
    }
  });

  it.each([
    ['AT&T and a < b', 'AT&T and a < b'],
    ['Caro&nbsp;Quintero &amp; &quot;El Mayo&quot;', 'Caro Quintero & "El Mayo"'],
    ['<p>Mexico <b>sends</b> 26</p><p>cartel figures</p>', 'Mexico sends 26 cartel figures'],
    ['&lt;p&gt;double &amp;amp; escaped&lt;/p&gt;', 'double & escaped'],
    ['&#27;[2J escape by reference', '[2J escape by reference'],
  ])('text with "<" or "&" still goes through the parser: %j → %j', (html, text) => {
    expect(htmlToText(html)).toBe(text);
  });
});

describe('detached copies a string exactly', () => {
  const document = `<rss>${'x'.repeat(50_000)}<title>Mexico extradites a cartel figure</title></rss>`;
  const cases: [string, string][] = [
    ['empty', ''],
    ['short, kept as is', 'El Mayo'],
    ['cut from a large document', document.slice(50_012, 50_045)],
    ['accents and emoji', 'Extradición de «El Mencho» a EU 🇺🇸 — según fuentes'],
    ['a lone surrogate', `broken \ud800 text and \udfff too, long enough`],
    ['controls and NUL', 'a\u0000b\u0007c\u2028d'.repeat(5)],
  ];
  it.each(cases)('%s', (_, text) => {
    expect(detached(text)).toBe(text);
    expect(detached(text).length).toBe(text.length);
  });
});

describe('detached keeps nothing of the text it was cut from', () => {
  // The collector, exposed for this test alone, so what a slice keeps alive can be weighed.
  setFlagsFromString('--expose-gc');
  const collect = runInNewContext('gc') as () => void;

  /** Heap growth while 40 titles cut from 40 one-megabyte documents are held, `keep` applied to each. */
  function heldBy(keep: (title: string) => string): number {
    collect();
    const before = process.memoryUsage().heapUsed;
    const titles: string[] = [];
    for (let n = 0; n < 40; n++) {
      const document = `<rss>${String(n).repeat(1_000_000 / String(n).length)}<title>Mexico extradites figure ${n}</title></rss>`;
      titles.push(keep(document.slice(document.indexOf('<title>') + 7, document.indexOf('</title>'))));
    }
    collect();
    const grown = process.memoryUsage().heapUsed - before;
    expect(titles).toHaveLength(40);
    return grown;
  }

  it('the Stories of 20 parsed half-megabyte feeds hold none of their documents', async () => {
    collect();
    const before = process.memoryUsage().heapUsed;
    const stories: Story[] = [];
    for (let n = 0; n < 20; n++) {
      const filler = `feed ${n} `.repeat(50_000);
      const document =
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Outlet ${n}</title><description>${filler}</description>` +
        `<item><title>Mexico extradites cartel figure number ${n} to the United States</title><link>https://outlet.example/${n}</link>` +
        `<guid>guid-of-item-number-${n}</guid><category>Security and justice</category><description>Officials said the transfer happened overnight.</description></item></channel></rss>`;
      const parsed = await parseFeedDocument(document, { baseUrl: 'https://outlet.example/feed' });
      stories.push(...normaliseFeed(parsed, { feedId: `f${n}`, feedName: null, feedLanguage: null, documentUrl: 'https://outlet.example/feed', now: 0 }));
    }
    collect();
    expect(stories).toHaveLength(20);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(3_000_000);
  });

  it('a plain slice holds its documents (the control), a detached one does not', () => {
    expect(heldBy((title) => title)).toBeGreaterThan(20_000_000);
    expect(heldBy(detached)).toBeLessThan(2_000_000);
  });
});

