/** Roll-ups as Discord messages: rendered (pure), then posted by the real sink and client to the fake Discord. */
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertNonce, EMBED_LIMITS } from '../../../src/chat/discord/render-alert.js';
import { renderRollUpMessage } from '../../../src/chat/discord/render-rollup.js';
import { createDiscordSink } from '../../../src/chat/discord/sink.js';
import { silentLogger } from '../../../src/log.js';
import { startFakeDiscord, type FakeDiscord } from '../../fakes/fake-discord.js';
import { HOSTILE_TITLES, rollUpOf } from '../../helpers/rollups.js';
import { CHANNEL_ID, CHANNEL_KEY, unsafeParts, type EmbedLike } from './render-fixtures.js';

const ZW = '\u200b';
/** One list line of our making: `- [label](url)`; the label must be escaped feed text. */
const LINE = /^- \[((?:\\.|[^\\[\]()])*)\]\((https?:\/\/[^\s()]+)\)$/;
const MORE = /^…and (\d+) more$/;

/** The list's lines, checked: each ours, its label safe; returns the labels and the "more" count. */
function listOf(embed: EmbedLike): { labels: string[]; more: number } {
  const lines = (embed.description ?? '').split('\n');
  const labels: string[] = [];
  let more = 0;
  for (const line of lines) {
    const m = MORE.exec(line);
    if (m) {
      more = Number(m[1]);
      continue;
    }
    const link = LINE.exec(line);
    expect(link, line).not.toBeNull();
    labels.push(link![1]!);
  }
  // With our own link syntax taken out, what is left must pass the alert rules.
  expect(unsafeParts({ ...embed, description: labels.join('\n') })).toEqual([]);
  return { labels, more };
}

describe('Discord roll-up rendering', () => {
  it('one embed titled with the count and watchlist names, every story a masked link, oldest first', () => {
    const rollup = rollUpOf(CHANNEL_KEY, 23);
    const message = renderRollUpMessage(rollup);
    expect(message).toMatchObject({ allowed_mentions: { parse: [] }, nonce: alertNonce(rollup.id, CHANNEL_KEY), enforce_nonce: true });
    expect(message.embeds).toHaveLength(1);
    const embed = message.embeds[0];
    expect(embed.title).toBe('23 more stories matched Tariffs');
    const { labels, more } = listOf(embed);
    expect(labels).toEqual(Array.from({ length: 23 }, (_, i) => `Tariffs story number ${i}`));
    expect(more).toBe(0);
    // the link's parentheses are encoded so they cannot end it early
    expect(embed.description!.split('\n')[0]).toBe('- [Tariffs story number 0](https://outlet.example/story/0?a=%281%29&b=|x|)');
  });

  it.each([
    ['490 short titles', rollUpOf(CHANNEL_KEY, 490)],
    ['490 hostile titles', rollUpOf(CHANNEL_KEY, 490, { titles: HOSTILE_TITLES })],
    ['hostile watchlist names', rollUpOf(CHANNEL_KEY, 40, { titles: HOSTILE_TITLES, watchlists: [{ id: 'w', name: '@everyone [x](https://evil.example) <@1234567890123456789>' }] })],
    ['stories without links', rollUpOf(CHANNEL_KEY, 30, { titles: HOSTILE_TITLES, links: () => null })],
  ])('%s: within every limit, nothing that pings or links, the cut counted', (_name, rollup) => {
    const embed = renderRollUpMessage(rollup).embeds[0] as EmbedLike;
    const description = embed.description ?? '';
    expect(description.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect((embed.title ?? '').length + description.length).toBeLessThanOrEqual(EMBED_LIMITS.total);
    expect(embed.title).toMatch(new RegExp(`^${rollup.stories.length} more stories matched `));
    const lines = description.split('\n');
    const shown = lines.filter((l) => !MORE.test(l)).length;
    const more = Number(MORE.exec(lines.at(-1)!)?.[1] ?? 0);
    expect(shown + more).toBe(rollup.stories.length);
    expect(shown).toBeGreaterThan(0);
    for (const line of lines.filter((l) => !MORE.test(l))) {
      const label = LINE.exec(line)?.[1] ?? line.replace(/^- /, '');
      expect(unsafeParts({ title: label })).toEqual([]);
    }
    expect(unsafeParts({ title: embed.title ?? '' })).toEqual([]);
    expect(description).not.toMatch(/@(everyone|here)(?!\u200b)/);
  });

  it('escapes a hostile title in the list as an alert title is escaped', () => {
    const line = renderRollUpMessage(rollUpOf(CHANNEL_KEY, 1, { titles: [HOSTILE_TITLES[0]] })).embeds[0].description;
    expect(line).toBe(`- [@${ZW}everyone @${ZW}here <${ZW}@123456789012345678> <${ZW}#123456789012345678>](https://outlet.example/story/0?a=%281%29&b=|x|)`);
  });

  it('minimal: the heading alone', () => {
    const embed = renderRollUpMessage(rollUpOf(CHANNEL_KEY, 5), { minimal: true }).embeds[0];
    expect(embed.title).toBe('5 more stories matched Tariffs');
    expect(embed.description).toBeUndefined();
  });
});

describe('Discord sink with a roll-up', () => {
  let fake: FakeDiscord;
  beforeEach(async () => {
    fake = await startFakeDiscord();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('posts 490 hostile stories as one message the fake Discord (enforcing the embed limits) accepts', async () => {
    const rest = new REST({ api: fake.url, offset: 0, retries: 1, timeout: 2000 }).setToken('fake');
    const rollup = rollUpOf(CHANNEL_KEY, 490, { titles: HOSTILE_TITLES });
    await createDiscordSink({ rest, logger: silentLogger() }).deliver(rollup);
    const posts = fake.requests.filter((r) => r.method === 'POST');
    expect(posts).toHaveLength(1);
    const body = posts[0]!.body as { embeds: EmbedLike[]; nonce: string; allowed_mentions: unknown };
    expect(body.nonce).toBe(alertNonce(rollup.id, CHANNEL_KEY));
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.embeds[0]!.title).toBe('490 more stories matched Tariffs');
    expect(fake.messages(CHANNEL_ID)).toHaveLength(1);
  });
});
