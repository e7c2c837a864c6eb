/**
 * Planning a cycle from what chat commands stored (a real SQLite file): one target per URL,
 * tenant-owned watchlists under scoped ids, copies of shipped watchlists per tenant, chat-added
 * feeds untrusted, paused channels left out.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, createRepositories, type KeyValueStore, type Repositories, type Subscription } from '../../src/store/index.js';
import { planCycle } from '../../src/pipeline/cycle-plan.js';
import { chatFeedSourceId } from '../../src/feeds/feed-source.js';

let dir: string;
let store: KeyValueStore;
let repositories: Repositories;
const A = 'discord:100000000000000001';
const B = 'discord:100000000000000002';
const configFeeds = [{ id: 'wire', url: 'https://wire.example/rss', name: 'Wire', language: null }];
const shippedWatchlists = [{ id: 'extradition', name: 'Extraditions', terms: ['extradited'] }];
const sub = (channel: string, tenant: string | null, watchlists: string[], feeds: string[] | '*' = '*', paused = false): Subscription => ({
  channel, tenant, watchlists, feeds, createdAt: 0, updatedAt: 0, paused: paused ? { code: 'delivery_permanent', reason: 'Missing Access', at: 0 } : null,
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-plan-'));
  store = await openStore(`sqlite://${join(dir, 'store.sqlite')}`);
  repositories = createRepositories(store, { seenTtlMs: 86_400_000, deliveryTtlMs: 86_400_000 });
  await repositories.watchlists.update(A, () => [{ id: 'w1', name: 'A’s tariffs', terms: ['tariffs'] }, { id: 'extradition', name: 'A’s copy', terms: ['expelled'] }]);
  await repositories.watchlists.update(B, () => [{ id: 'w1', name: 'B’s aranceles', terms: ['aranceles'] }]);
  const feed = (id: string, url: string) => ({ id, url, name: null, addedBy: 'u', addedAt: 0 });
  await repositories.tenantFeeds.update(A, () => [feed('mine', 'https://shared.example/rss'), feed('dup-of-wire', 'https://wire.example/rss')]);
  await repositories.tenantFeeds.update(B, () => [feed('theirs', 'https://shared.example/rss')]);
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('planCycle', () => {
  it('fetches each URL once, with every channel that follows it under its own tenant’s watchlists', async () => {
    const plan = await planCycle({
      configFeeds,
      shippedWatchlists,
      repositories,
      subscriptions: [
        sub('console', null, ['extradition']),
        sub(`${A}:1`, A, ['w1', 'extradition']),
        sub(`${B}:2`, B, ['w1', 'extradition'], ['theirs']),
        sub(`${B}:3`, B, ['w1'], '*', true),
      ],
    });
    expect(plan.targets.map((t) => [t.feed.url, t.trusted, t.feed.id])).toEqual([
      ['https://wire.example/rss', true, 'wire'],
      ['https://shared.example/rss', false, chatFeedSourceId('https://shared.example/rss')],
    ]);
    const [wire, shared] = plan.targets;
    expect(wire!.subscribers).toEqual([
      { channel: 'console', watchlists: ['extradition'] },
      { channel: `${A}:1`, watchlists: [`${A}/w1`, `${A}/extradition`] },
    ]);
    expect(shared!.subscribers).toEqual([
      { channel: `${A}:1`, watchlists: [`${A}/w1`, `${A}/extradition`] },
      { channel: `${B}:2`, watchlists: [`${B}/w1`, 'extradition'] },
    ]);
    expect(plan.watchlists.map((w) => w.id).sort()).toEqual([`${A}/extradition`, `${A}/w1`, `${B}/w1`, 'extradition']);
    expect(plan.watchlistNames.get(`${B}/w1`)).toBe('B’s aranceles');
    expect(plan.watchlists.find((w) => w.id === `${A}/extradition`)?.terms).toEqual(['expelled']);
  });

  it('leaves out watchlists that no longer exist, and a channel left with none', async () => {
    const plan = await planCycle({ configFeeds, shippedWatchlists, repositories, subscriptions: [sub(`${A}:9`, A, ['gone'])] });
    expect(plan.targets.flatMap((t) => t.subscribers)).toEqual([]);
  });
});
