import { describe, expect, it } from 'vitest';
import { PassThrough } from 'node:stream';
import { completeAlert, type DraftAlert } from '../../src/alerts/alert.js';
import { buildRollUp, isRollUp, rollUpHeading } from '../../src/alerts/rollup.js';
import { createConsoleSink, renderRollUpText } from '../../src/delivery/console-sink.js';
import { planEntries } from '../../src/pipeline/burst.js';
import { testStory } from '../helpers/stories.js';
import { HOSTILE_TITLES, rollUpOf } from '../helpers/rollups.js';

const T0 = Date.UTC(2026, 10, 28, 12);

/** Stories whose summary was written, by id. */
let summarised: string[] = [];

function alertAt(channel: string, i: number, minutes: number, watchlist = { id: 'tariffs', name: 'Tariffs' }, link: string | null = `https://o.example/${i}`): DraftAlert {
  return {
    channel,
    story: testStory({ id: `id${i}`, title: `Story ${i}`, link, published: new Date(T0 + minutes * 60_000).toISOString() }),
    watchlists: [watchlist],
    matches: [],
    summarise: () => {
      summarised.push(`id${i}`);
      return { text: `Summary ${i}`, highlights: [] };
    },
  };
}

describe('roll-ups', () => {
  it('keep every story, the watchlists involved, and tell themselves apart from alerts', () => {
    const alerts = [alertAt('console', 1, 1), alertAt('console', 2, 2, { id: 'extradition', name: 'Extraditions' }), alertAt('console', 3, 3)];
    const rollup = buildRollUp('console', alerts);
    expect(rollup).toMatchObject({ kind: 'rollup', channel: 'console', watchlists: [{ id: 'tariffs', name: 'Tariffs' }, { id: 'extradition', name: 'Extraditions' }] });
    expect(rollup.stories.map((s) => [s.id, s.title, s.feedId, s.watchlists])).toEqual([
      ['id1', 'Story 1', 'insightcrime', ['tariffs']],
      ['id2', 'Story 2', 'insightcrime', ['extradition']],
      ['id3', 'Story 3', 'insightcrime', ['tariffs']],
    ]);
    expect(isRollUp(rollup)).toBe(true);
    expect(isRollUp(completeAlert(alerts[0]!))).toBe(false);
    expect(rollUpHeading(rollup)).toBe('3 more stories matched Tariffs, Extraditions');
    expect(rollUpHeading(rollup, 'ids')).toBe('3 more stories matched tariffs, extradition');
    expect(rollUpHeading(buildRollUp('console', alerts.slice(0, 1)))).toBe('1 more story matched Tariffs');
  });
});

describe('planEntries', () => {
  it.each([
    ['under the limit', 3, 5, 3, false],
    ['at the limit', 5, 5, 5, false],
    ['over the limit', 12, 5, 5, true],
    ['a limit of 1', 4, 1, 1, true],
  ])('%s: the oldest go one by one, the rest in one roll-up after them', (_name, count, limit, singles, rolled) => {
    // Offered newest first, as feeds list them.
    const alerts = Array.from({ length: count }, (_, i) => ({ alert: alertAt('c', i, i), feedIndex: i % 2 })).reverse();
    summarised = [];
    const { entries, rollUps, queuedByFeed } = planEntries(alerts, limit, T0);
    expect(entries.slice(0, singles).map((e) => e.storyId)).toEqual(Array.from({ length: singles }, (_, i) => `id${i}`));
    // Only the alerts queued one by one have their summary written; a roll-up shows none.
    expect(entries.slice(0, singles).map((e) => (e.payload as { summary: string }).summary)).toEqual(Array.from({ length: singles }, (_, i) => `Summary ${i}`));
    expect(summarised.sort()).toEqual(Array.from({ length: singles }, (_, i) => `id${i}`).sort());
    expect(rollUps).toBe(rolled ? 1 : 0);
    expect(entries).toHaveLength(singles + (rolled ? 1 : 0));
    expect((queuedByFeed.get(0) ?? 0) + (queuedByFeed.get(1) ?? 0)).toBe(count);
    if (rolled) {
      const last = entries.at(-1)!;
      expect(last.storyId).toMatch(/^rollup:[0-9a-f]{20}$/);
      expect(last.order).toBeGreaterThan(entries[singles - 1]!.order);
      const payload = last.payload as ReturnType<typeof buildRollUp>;
      expect(payload.stories.map((s) => s.id)).toEqual(Array.from({ length: count - singles }, (_, i) => `id${singles + i}`));
    }
  });

  it('limits each channel on its own, and gives the same roll-up id for the same stories whatever order they came in', () => {
    const offered = ['a', 'b'].flatMap((channel) => Array.from({ length: 6 }, (_, i) => ({ alert: alertAt(channel, i, i), feedIndex: 0 })));
    const first = planEntries(offered, 2, T0);
    const second = planEntries([...offered].reverse(), 2, T0 + 1);
    const summary = (p: typeof first) => p.entries.map((e) => `${e.channel}/${e.storyId}/${e.order}`).sort();
    expect(summary(first)).toEqual(summary(second));
    expect(first.entries.filter((e) => e.channel === 'a')).toHaveLength(3);
    expect(first.entries.filter((e) => e.channel === 'b')).toHaveLength(3);
    expect(first.rollUps).toBe(2);
    // a different set of stories, a different id
    const fewer = planEntries(offered.slice(1), 2, T0);
    expect(fewer.entries.find((e) => e.channel === 'a' && e.storyId.startsWith('rollup:'))!.storyId).not.toBe(first.entries.find((e) => e.channel === 'a' && e.storyId.startsWith('rollup:'))!.storyId);
  });

  it('queues an alert whose summary cannot be written without a summary, reports it, and summarises the others', () => {
    const broken: DraftAlert = {
      ...alertAt('c', 1, 1),
      summarise: () => {
        throw new RangeError('segmenter gave up');
      },
    };
    const failed: string[] = [];
    const { entries } = planEntries([{ alert: broken, feedIndex: 0 }, { alert: alertAt('c', 2, 2), feedIndex: 0 }], 10, T0, (alert, error) =>
      failed.push(`${alert.story.id}: ${(error as Error).message}`),
    );
    expect(entries.map((e) => [e.storyId, (e.payload as { summary: string }).summary])).toEqual([
      ['id1', ''],
      ['id2', 'Summary 2'],
    ]);
    expect(failed).toEqual(['id1: segmenter gave up']);
  });

  it('queues an article that came through two feeds once per channel, the oldest copy', () => {
    const older = { alert: alertAt('c', 1, 1, undefined, 'https://o.example/same'), feedIndex: 0 };
    const newer = { alert: alertAt('c', 2, 2, undefined, 'https://o.example/same'), feedIndex: 1 };
    const { entries } = planEntries([newer, older], 10, T0);
    expect(entries.map((e) => e.storyId)).toEqual(['id1']);
  });
});

describe('console roll-up', () => {
  it('prints one block: the heading, then one line per story, every one of them, oldest first', () => {
    const text = renderRollUpText(rollUpOf('console', 23));
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('■ 23 more stories matched tariffs');
    expect(lines).toHaveLength(24);
    expect(lines[1]).toBe('  - Tariffs story number 0 (Outlet <@U1> @everyone · 2026-11-28 12:00 UTC) · https://outlet.example/story/0?a=(1)&b=|x|');
    expect(lines[23]).toContain('Tariffs story number 22');
  });

  it.each(HOSTILE_TITLES.map((title) => [title]))('keeps a hostile title %j on its own line, with no control character', (title) => {
    const text = renderRollUpText(rollUpOf('console', 3, { titles: [title] }));
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).every((line) => line.startsWith('  - '))).toBe(true);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
  });

  it('prints JSON with the count and every story in json format', async () => {
    const out = new PassThrough();
    let printed = '';
    out.setEncoding('utf8').on('data', (chunk: string) => (printed += chunk));
    await createConsoleSink({ out, format: 'json' }).deliver(rollUpOf('console', 490, { titles: HOSTILE_TITLES }));
    const json = JSON.parse(printed) as { kind: string; count: number; stories: { title: string }[] };
    expect(json).toMatchObject({ kind: 'rollup', count: 490, channel: 'console', watchlists: ['tariffs'] });
    expect(json.stories).toHaveLength(490);
    expect(printed.trimEnd().split('\n')).toHaveLength(1);
    expect(printed).not.toMatch(/[\u001b\u202e]/);
  });
});
