/**
 * Many tenants sharing one matcher.
 *
 * `benchTenants`: 10,000 watchlists of ten terms each (70% a plain `terms` list, 30% a query
 * `(a OR b OR c OR d) NEAR/10 (e OR f OR g) OR h i -j`) over a vocabulary of 5,000 invented
 * names, so that one name is watched by about twenty watchlists, as when many servers follow
 * the same people. Compile time (validated definitions in, matcher out), stories per second on
 * 10,000 stories of ~600 characters, and the process's peak RSS.
 *
 * `benchAlerts`: 500 stories (title + three-sentence summary, each naming Mexico and tariffs),
 * 1,000 watchlists that all match every story, and `alertsFor` building the alerts, each
 * summary written (`completeAlert`): with one
 * channel subscribing to all 1,000 watchlists (what `poll --dry-run` does), or 1,000 channels
 * subscribing to one watchlist each (a busy multi-server bot). Alerts built per second and peak
 * RSS; each layout runs in its own process.
 */
import { compileWatchlists } from '../src/watch/matcher.js';
import { watchlistDefinitionSchema, type WatchlistDefinition } from '../src/watch/definition.js';
import { alertsFor, type FeedTarget } from '../src/pipeline/poll-feed.js';
import { completeAlert } from '../src/alerts/alert.js';
import type { Story } from '../src/feeds/story.js';
import { makeStories, makeTerms, random } from './matcher.js';


const peakRssMb = () => process.resourceUsage().maxRSS / 1024;

function tenantWatchlists(vocabulary: readonly string[], count: number): WatchlistDefinition[] {
  const next = random(3);
  const pick = () => vocabulary[Math.floor(next() * vocabulary.length)]!;
  const quoted = (term: string) => (term.includes(' ') ? `"${term}"` : term);
  const lists: WatchlistDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const t = Array.from({ length: 10 }, () => quoted(pick()));
    const fields =
      next() < 0.7
        ? { terms: t.map((term) => term.replaceAll('"', '')) }
        : { query: `(${t[0]} OR ${t[1]} OR ${t[2]} OR ${t[3]}) NEAR/10 (${t[4]} OR ${t[5]} OR ${t[6]}) OR ${t[7]} ${t[8]} -${t[9]}` };
    lists.push(watchlistDefinitionSchema.parse({ id: `t${i}`, name: `Tenant ${i}`, ...fields }));
  }
  return lists;
}

export interface TenantsResult {
  watchlists: number;
  patterns: number;
  compileMs: number;
  storiesPerSecond: number;
  watchlistHitsPerStory: number;
  peakRssMb: number;
}

export function benchTenants(): TenantsResult {
  const vocabulary = makeTerms(5000);
  const lists = tenantWatchlists(vocabulary, 10_000);
  const stories = makeStories(10_000, vocabulary);
  const started = performance.now();
  const matcher = compileWatchlists(lists);
  const compileMs = performance.now() - started;
  let hits = 0;
  for (const story of stories) hits += matcher.match(story).watchlists.length; // warm-up
  const rates: number[] = [];
  for (let round = 0; round < 3; round++) {
    const begun = performance.now();
    let done = 0;
    while (performance.now() - begun < 1500) {
      for (const story of stories) matcher.match(story);
      done += stories.length;
    }
    rates.push(done / ((performance.now() - begun) / 1000));
  }
  return {
    watchlists: matcher.size,
    patterns: matcher.patternCount,
    compileMs,
    storiesPerSecond: rates.sort((a, b) => a - b)[1]!,
    watchlistHitsPerStory: hits / stories.length,
    peakRssMb: peakRssMb(),
  };
}

export function formatTenants(r: TenantsResult): string {
  return [
    '| watchlists | patterns | compile | stories/s | watchlists fired per story | peak RSS |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${r.watchlists.toLocaleString('en')} | ${r.patterns.toLocaleString('en')} | ${r.compileMs.toFixed(0)} ms | ${r.storiesPerSecond.toFixed(0)} | ${r.watchlistHitsPerStory.toFixed(2)} | ${r.peakRssMb.toFixed(0)} MB |`,
  ].join('\n');
}

function alertStories(count: number): Story[] {
  const next = random(5);
  const cities = ['Monterrey', 'Tijuana', 'Ciudad Juárez', 'Nuevo Laredo', 'Reynosa', 'Saltillo'];
  return Array.from({ length: count }, (_, i) => {
    const city = cities[Math.floor(next() * cities.length)]!;
    return {
      id: `s${i}`,
      feedId: 'bench',
      identity: { kind: 'guid', key: `s${i}` },
      earlierIds: [],
      title: `Trump weighs new tariffs on Mexico as ${city} exporters wait (${i})`,
      link: `https://news.example/story/${i}`,
      summary:
        `Exporters in ${city} said on Tuesday that the threatened tariffs on Mexico would hit steel and cars first. ` +
        'Officials in Mexico City said talks with Washington would continue next week. ' +
        `Markets in Mexico fell ${(next() * 3).toFixed(1)} percent as investors weighed the duties on Mexican goods.`,
      published: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      publishedFrom: 'feed',
      language: 'en',
      categories: [],
      imageUrl: null,
      source: 'Bench News',
    } satisfies Story;
  });
}

export type AlertLayout = 'one-channel' | 'many-channels';

export interface AlertsResult {
  layout: AlertLayout;
  alerts: number;
  seconds: number;
  alertsPerSecond: number;
  storiesPerSecond: number;
  peakRssMb: number;
}

export function benchAlerts(layout: AlertLayout): AlertsResult {
  const words = makeTerms(10_000, 13);
  // Ten terms each: two that every story has, eight of its own.
  const lists = Array.from({ length: 1000 }, (_, i) =>
    watchlistDefinitionSchema.parse({
      id: `w${i}`,
      name: `Watchlist ${i}`,
      query: `(Mexico OR mexican*) (tariff* OR ${words.slice(i * 8, i * 8 + 7).map((w) => `"${w}"`).join(' OR ')})`,
    }),
  );
  const matcher = compileWatchlists(lists);
  const watchlistNames = new Map(lists.map((list) => [list.id, list.name]));
  const ids = lists.map((list) => list.id);
  const target: FeedTarget = {
    feed: { id: 'bench', url: 'http://127.0.0.1/feed.xml', name: 'Bench', language: 'en' },
    trusted: true,
    subscribers: layout === 'one-channel' ? [{ channel: 'console', watchlists: ids }] : ids.map((id) => ({ channel: `channel-${id}`, watchlists: [id] })),
  };
  const stories = alertStories(500);
  const started = performance.now();
  let alerts = 0;
  let check = 0;
  for (const alert of alertsFor(stories, target, { matcher, watchlistNames })) {
    alerts++;
    // Each alert's summary written, as for an alert queued on its own.
    check += alert.watchlists.length + completeAlert(alert).summary.length;
  }
  const seconds = (performance.now() - started) / 1000;
  if (check === 0) throw new Error('no alerts were built');
  return { layout, alerts, seconds, alertsPerSecond: alerts / seconds, storiesPerSecond: stories.length / seconds, peakRssMb: peakRssMb() };
}

export function formatAlerts(r: AlertsResult): string {
  return `| ${r.layout} | ${r.alerts.toLocaleString('en')} | ${r.seconds.toFixed(2)} s | ${r.alertsPerSecond.toFixed(0)} | ${r.storiesPerSecond.toFixed(0)} | ${r.peakRssMb.toFixed(0)} MB |`;
}
