/**
 * Language of a story. The feed's or item's declared language wins; otherwise a stop-word
 * count decides between English and Spanish, the two languages the watchlists are written
 * for. Anything else, or too little text to tell, is null.
 */

const ENGLISH = new Set(
  'the of and to in is for on that with as was by at from are be has have it its this an will were said after who not but over their than'.split(' '),
);
const SPANISH = new Set(
  'el la los las de del y en que por con para una un se es al su sus como más pero fue son ha han lo le desde sobre entre tras según este esta'.split(' '),
);

/** 'en-US' → 'en', 'es-419' → 'es'; null for empty or malformed tags. */
export function primaryLanguage(tag: string | null | undefined): string | null {
  const match = tag?.trim().toLowerCase().match(/^([a-z]{2,3})(?:[-_].*)?$/);
  return match?.[1] ?? null;
}

export function detectLanguage(text: string): 'en' | 'es' | null {
  let english = 0;
  let spanish = 0;
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    if (ENGLISH.has(word)) english++;
    // Spanish orthography is evidence too: short headlines often have no stop-words at all.
    if (SPANISH.has(word) || /[áéíóúñ]/.test(word)) spanish++;
  }
  if (/[¿¡]/.test(text)) spanish++;
  // "de", "a", "la" also occur in English names (Cinco de Mayo); demand a clear margin.
  if (english + spanish < 2) return null;
  if (english >= spanish * 2 && english >= 2) return 'en';
  if (spanish >= english * 2 && spanish >= 2) return 'es';
  return null;
}
