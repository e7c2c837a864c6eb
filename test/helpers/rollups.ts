/** Roll-ups for the rendering and sink tests: built from alerts by the real buildRollUp. */
import type { Alert } from '../../src/alerts/alert.js';
import { buildRollUp, type RollUp } from '../../src/alerts/rollup.js';
import { testStory } from './stories.js';

/** Titles built to attack every sink: pings, links of the feed's making, markup, controls, line breaks. */
export const HOSTILE_TITLES = [
  '@everyone @here <@123456789012345678> <#123456789012345678>',
  '[click](https://evil.example) **bold** `code` ||spoiler|| > quote',
  '<!channel> <!here> <@U12345> <!subteam^S0123> <https://evil.example|Your bank> *bold* `code`',
  'Tom & Jerry &amp; &lt;b&gt;',
  'ESC \u001b[31mred\u001b[0m and \u202egnirts desrever\u202c',
  'line one\nline two\r\n■ 999 more stories matched nothing',
  `${'x'.repeat(300)} ${'😀'.repeat(150)}`,
] as const;

export function rollUpOf(channel: string, count: number, options: { titles?: readonly string[]; watchlists?: Alert['watchlists']; links?: (i: number) => string | null } = {}): RollUp {
  const watchlists = options.watchlists ?? [{ id: 'tariffs', name: 'Tariffs' }];
  const t0 = Date.UTC(2026, 10, 28, 12);
  const alerts: Alert[] = Array.from({ length: count }, (_, i) => ({
    channel,
    story: testStory({
      id: `story${String(i).padStart(15, '0')}`,
      feedId: 'feed0',
      title: options.titles?.[i % options.titles.length] ?? `Tariffs story number ${i}`,
      link: options.links ? options.links(i) : `https://outlet.example/story/${i}?a=(1)&b=|x|`,
      published: new Date(t0 + i * 60_000).toISOString(),
      source: 'Outlet <@U1> @everyone',
    }),
    watchlists,
    matches: [],
    summary: '',
    summaryHighlights: [],
  }));
  return buildRollUp(channel, alerts);
}
