/** Alerts for the Slack rendering and sink tests, an ordinary one and one built to attack the channel, and the check both must pass. */
import type { Alert } from '../../../src/alerts/alert.js';
import { hostileSummary, ordinaryAlert } from '../../helpers/stories.js';

export const TEAM_ID = 'T0TEST001';
export const CHANNEL_ID = 'C0NEWS0001';
export const CHANNEL_KEY = `slack:${TEAM_ID}:${CHANNEL_ID}`;

export const alert: Alert = ordinaryAlert(CHANNEL_KEY);
export const story = alert.story;

export const HOSTILE_TITLE = '<!channel> <@U12345> <https://evil.example|Bank> & co';
const ATTACK = '<!here> <!everyone> <!subteam^S0123|@ops> <@U12345|boss> <#C0123|general> <https://evil.example|Your bank> *bold* `code` &lt;!channel&gt; @here';

const summary = hostileSummary(ATTACK);
const highlight = summary.indexOf('word1😀');

export const hostileAlert: Alert = {
  channel: CHANNEL_KEY,
  story: {
    ...story,
    id: 'ffff0000ffff0000ffff',
    title: `${HOSTILE_TITLE} ${'x'.repeat(400)} ${'😀'.repeat(200)}`,
    link: 'https://example.org/a|b>c?q=<x>',
    imageUrl: 'javascript:alert(1)',
    source: '<!channel> Reuters <https://evil.example|Reuters> *',
    summary,
  },
  watchlists: [
    { id: 'evil', name: '<!subteam^S0123> <@U12345> *list*' },
    { id: 'cartel_leaders', name: 'Cartel leaders' },
  ],
  matches: [{ watchlist: 'evil', term: '<!channel> <https://evil.example|x>', field: 'summary', start: highlight, end: highlight + 5, clause: 'x', entity: null, role: 'term' }],
  summary,
  summaryHighlights: [{ start: highlight, end: highlight + 5 }],
};

export interface BlockLike {
  type?: unknown;
  text?: { type?: unknown; text?: unknown };
  elements?: { type?: unknown; text?: unknown }[];
  accessory?: { type?: unknown; image_url?: unknown; alt_text?: unknown };
}

/** Every text of the blocks Slack will render or count, in order, with where each came from. */
export function blockTexts(blocks: readonly BlockLike[]): { where: string; text: string }[] {
  const texts: { where: string; text: string }[] = [];
  blocks.forEach((block, i) => {
    if (typeof block.text?.text === 'string') texts.push({ where: `blocks[${i}].text`, text: block.text.text });
    (block.elements ?? []).forEach((e, j) => {
      if (typeof e.text === 'string') texts.push({ where: `blocks[${i}].elements[${j}]`, text: e.text });
    });
    if (typeof block.accessory?.alt_text === 'string') texts.push({ where: `blocks[${i}].accessory.alt_text`, text: block.accessory.alt_text });
  });
  return texts;
}

/** The only `<…>` a rendered alert may hold: the date token and the title link (its URL checked by the caller). */
const DATE_TOKEN = /<!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\d \d\d:\d\d UTC>/g;
const TITLE_LINK = /^\*<(https?:\/\/[^\s|<>]+)\|([^<>]*)>\*$/;

/**
 * Problems that would let the message ping, link or restyle, break a limit or hold half a
 * character; empty when the message is safe. `text` is the top-level fallback.
 */
export function unsafeParts(blocks: readonly BlockLike[], text: string): string[] {
  const problems: string[] = [];
  const texts = blockTexts(blocks);
  for (const { where, text: value } of [...texts, { where: 'text', text }]) {
    let rest = value.replace(DATE_TOKEN, '');
    if (where === 'blocks[0].text') rest = rest.replace(TITLE_LINK, (_m, _url: string, label: string) => label);
    if (/[<>]/.test(rest)) problems.push(`live <…> syntax in ${where}: ${JSON.stringify(rest.slice(0, 80))}`);
    if (/&(?!amp;|lt;|gt;)/.test(rest)) problems.push(`unescaped & in ${where}`);
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) problems.push(`half a surrogate pair in ${where}`);
  }
  for (const block of blocks) {
    if (block.type === 'section' && typeof block.text?.text === 'string' && block.text.text.length > 3000) problems.push('section text over 3000');
    if (block.type === 'header' && typeof block.text?.text === 'string' && block.text.text.length > 150) problems.push('header over 150');
    const image = block.accessory?.image_url;
    if (image !== undefined && !(typeof image === 'string' && /^https?:\/\//.test(image))) problems.push(`non-http image ${JSON.stringify(image)}`);
  }
  if (blocks.length > 50) problems.push('more than 50 blocks');
  const total = texts.reduce((n, t) => n + t.text.length, 0);
  if (total > 10_000) problems.push(`block text ${total} over the 10 000 budget`);
  if (!text) problems.push('no text fallback');
  if (text.length > 4000) problems.push('text fallback over 4000');
  return problems;
}
