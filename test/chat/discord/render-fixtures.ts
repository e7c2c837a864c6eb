/** Alerts for the Discord rendering and sink tests: an ordinary one and one built to attack the channel. */
import type { Alert } from '../../../src/alerts/alert.js';
import { hostileSummary, ordinaryAlert } from '../../helpers/stories.js';

export const GUILD_ID = '123456789012345678';
export const CHANNEL_ID = '234567890123456789';
export const CHANNEL_KEY = `discord:${GUILD_ID}:${CHANNEL_ID}`;

export const alert: Alert = ordinaryAlert(CHANNEL_KEY);
export const story = alert.story;

const ATTACK = '@everyone @here <@123456789012345678> <@&123456789012345678> <#123456789012345678> <t:1700000000:R> [click](https://evil.example) **bold** __u__ ~~s~~ ||spoiler|| `code` ```block```';

const summary = hostileSummary(ATTACK);
const cartel = summary.indexOf('word1😀');

export const hostileAlert: Alert = {
  channel: CHANNEL_KEY,
  story: {
    ...story,
    id: 'ffff0000ffff0000ffff',
    // no space near the title limit, and an emoji straddling it
    title: `${ATTACK} # Heading > quote ${'x'.repeat(120)}😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀😀`,
    link: 'javascript:alert(1)',
    imageUrl: 'data:image/png;base64,AAAA',
    source: '[Reuters](https://evil.example) @everyone <@&123456789012345678>',
    summary,
  },
  watchlists: [
    { id: 'evil', name: '<@&123456789012345678> [list](https://evil.example) @here' },
    { id: 'cartel_leaders', name: 'Cartel leaders' },
  ],
  matches: [{ watchlist: 'evil', term: '[x](https://evil.example) @everyone', field: 'summary', start: cartel, end: cartel + 5, clause: 'x', entity: null, role: 'term' }],
  summary,
  summaryHighlights: [{ start: cartel, end: cartel + 5 }],
};

export interface EmbedLike {
  title?: string;
  description?: string;
  url?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
  thumbnail?: { url: string };
}

/** Text Discord renders as Markdown (the footer renders none). */
export function markdownTexts(embed: EmbedLike): string[] {
  return [embed.title ?? '', embed.description ?? '', ...(embed.fields ?? []).flatMap((f) => [f.name, f.value])];
}

/** Problems that would let the message ping, hide a link, break a limit or hold half a character. */
export function unsafeParts(embed: EmbedLike): string[] {
  const problems: string[] = [];
  const all = [...markdownTexts(embed), embed.footer?.text ?? ''];
  for (const text of all) {
    if (/@(everyone|here)/i.test(text)) problems.push(`@everyone/@here in ${JSON.stringify(text.slice(0, 60))}`);
    if (/<(?!\u200b)/.test(text)) problems.push(`live <…> syntax in ${JSON.stringify(text.slice(0, 60))}`);
    if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) problems.push('half a surrogate pair');
  }
  for (const text of markdownTexts(embed)) {
    // every bracket or parenthesis escaped: preceded by an odd number of backslashes
    if (/(?<!\\)(?:\\\\)*[[\]()]/.test(text)) problems.push(`unescaped bracket in ${JSON.stringify(text.slice(0, 60))}`);
  }
  const fields = embed.fields ?? [];
  const total = (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length + fields.reduce((n, f) => n + f.name.length + f.value.length, 0);
  if ((embed.title ?? '').length > 256) problems.push('title over 256');
  if ((embed.description ?? '').length > 4096) problems.push('description over 4096');
  if ((embed.footer?.text ?? '').length > 2048) problems.push('footer over 2048');
  if (fields.some((f) => f.name.length > 256 || f.value.length > 1024)) problems.push('field over its limit');
  if (total > 6000) problems.push(`embed total ${total} over 6000`);
  for (const url of [embed.url, embed.thumbnail?.url]) if (url !== undefined && !/^https?:\/\//.test(url)) problems.push(`non-http url ${url}`);
  return problems;
}
