/** Roll-ups as Slack messages: rendered (pure), then posted by the real sink and WebClient to the fake Slack. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SLACK_LIMITS } from '../../../src/chat/slack/render-alert.js';
import { renderRollUpMessage } from '../../../src/chat/slack/render-rollup.js';
import { createSlackSink } from '../../../src/chat/slack/sink.js';
import { createSlackWebClient } from '../../../src/chat/slack/web-client.js';
import { silentLogger } from '../../../src/log.js';
import { startFakeSlack, type FakeSlack } from '../../fakes/fake-slack.js';
import { HOSTILE_TITLES, rollUpOf } from '../../helpers/rollups.js';
import { blockTexts, CHANNEL_ID, CHANNEL_KEY, TEAM_ID, unsafeParts, type BlockLike } from './render-fixtures.js';

/** One list line of our making: `• <url|label>` (or `• label` without a link). */
const LINK_LINE = /^• <(https?:\/\/[^\s|<>]+)\|([^<>]*)>$/;
const MORE = /^…and (\d+) more$/;

/** The blocks with our own link syntax replaced by its label, so the alert rules can judge the rest; and the counts. */
function inspect(blocks: readonly BlockLike[]): { labels: string[]; more: number; stripped: BlockLike[] } {
  const labels: string[] = [];
  let more = 0;
  const stripped = blocks.map((block, i) => {
    if (i === 0 || typeof block.text?.text !== 'string') {
      for (const e of block.elements ?? []) {
        const m = MORE.exec(String(e.text));
        if (m) more = Number(m[1]);
      }
      return block;
    }
    const lines = block.text.text.split('\n').map((line) => {
      const link = LINK_LINE.exec(line);
      const label = link ? link[2]! : line.replace(/^• /, '');
      labels.push(label);
      return label;
    });
    return { ...block, text: { ...block.text, text: lines.join('\n') } };
  });
  return { labels, more, stripped };
}

describe('Slack roll-up rendering', () => {
  it('a section with the bold heading, then a bulleted list of links, oldest first; text fallback; unfurls off', () => {
    const message = renderRollUpMessage(rollUpOf(CHANNEL_KEY, 23));
    expect(message).toMatchObject({ text: '23 more stories matched Tariffs', unfurl_links: false, unfurl_media: false, parse: 'none' });
    expect(message.blocks[0]).toEqual({ type: 'section', text: { type: 'mrkdwn', text: '*23 more stories matched Tariffs*', verbatim: true } });
    const { labels, more } = inspect(message.blocks);
    expect(labels).toEqual(Array.from({ length: 23 }, (_, i) => `Tariffs story number ${i}`));
    expect(more).toBe(0);
    // `|` in the URL is encoded: it would end the URL early
    expect(blockTexts(message.blocks)[1]!.text.split('\n')[0]).toBe('• <https://outlet.example/story/0?a=(1)&b=%7Cx%7C|Tariffs story number 0>');
  });

  it.each([
    ['490 short titles', rollUpOf(CHANNEL_KEY, 490)],
    ['490 hostile titles', rollUpOf(CHANNEL_KEY, 490, { titles: HOSTILE_TITLES })],
    ['hostile watchlist names', rollUpOf(CHANNEL_KEY, 40, { titles: HOSTILE_TITLES, watchlists: [{ id: 'w', name: '<!channel> <https://evil.example|x> *w*' }] })],
    ['stories without links', rollUpOf(CHANNEL_KEY, 30, { titles: HOSTILE_TITLES, links: () => null })],
  ])('%s: within every limit, nothing that pings or links, the cut counted', (_name, rollup) => {
    const message = renderRollUpMessage(rollup);
    const { labels, more, stripped } = inspect(message.blocks);
    expect(unsafeParts(stripped, message.text)).toEqual([]);
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const block of message.blocks) if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(blockTexts(message.blocks).reduce((n, t) => n + t.text.length, 0)).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
    expect(labels.length).toBeGreaterThan(0);
    expect(labels.length + more).toBe(rollup.stories.length);
    expect(message.text).toMatch(new RegExp(`^${rollup.stories.length} more stories matched `));
  });

  it('escapes a hostile title in the list as an alert title is escaped', () => {
    const message = renderRollUpMessage(rollUpOf(CHANNEL_KEY, 1, { titles: [HOSTILE_TITLES[2]] }));
    expect(blockTexts(message.blocks)[1]!.text).toBe(
      '• <https://outlet.example/story/0?a=(1)&b=%7Cx%7C|&lt;!channel&gt; &lt;!here&gt; &lt;@U12345&gt; &lt;!subteam^S0123&gt; &lt;https://evil.example|Your bank&gt; \u2217bold\u2217 \u02cbcode\u02cb>',
    );
  });
});

describe('Slack sink with a roll-up', () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await startFakeSlack({ teamId: TEAM_ID, token: 'xoxb-test' });
  });
  afterEach(async () => {
    await fake.close();
  });

  it('posts 490 hostile stories as one message the fake Slack (enforcing Block Kit limits) accepts', async () => {
    const client = createSlackWebClient({ token: 'xoxb-test', apiUrl: fake.url, timeoutMs: 2000, retries: 0, retryMinTimeoutMs: 10, logger: silentLogger() });
    await createSlackSink({ client, logger: silentLogger() }).deliver(rollUpOf(CHANNEL_KEY, 490, { titles: HOSTILE_TITLES }));
    const messages = fake.messages(CHANNEL_ID);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe('490 more stories matched Tariffs');
    const posts = fake.requests.filter((r) => r.path === '/api/chat.postMessage');
    expect(posts).toHaveLength(1);
    expect((posts[0]!.body as Record<string, unknown>).unfurl_links).toBe('false');
  });
});
