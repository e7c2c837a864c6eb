/**
 * A feed server for benchmarks, run as its own process so its CPU time is not charged to the
 * poller: N feeds of M items each at /feed/<n>.xml, with ETags (If-None-Match → 304).
 * GET /next-round adds ten new items, published just now, at the top of every feed (a cycle with
 * news); they keep that date in later rounds, and the ETags change with the round.
 * `/next-round?at=<epoch ms>` dates the round's items at that time instead (a benchmark whose
 * clock runs faster than the wall's). An optional third argument keeps only that many items per
 * feed, newest first, so old items drop off as they do from real feeds (0, the default: every
 * item stays). Prints its port on stdout once listening.
 */
import { createServer } from 'node:http';

const feeds = Number(process.argv[2] ?? 1000);
const itemsPerFeed = Number(process.argv[3] ?? 50);
const keep = Number(process.argv[4] ?? 0);
const base = Date.UTC(2026, 10, 28);

const WORDS = 'mexico officials said the transfer of cartel figures to the united states followed talks on tariffs border security trade'.split(' ');

function paragraph(seed: number, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(WORDS[(seed * 7 + i * 13) % WORDS.length]!);
  return `${out.join(' ')}.`;
}

let round = 0;
/** When each round's items were published (round r at index r; rounds start at 1). */
const roundTimes: number[] = [];

/** News headlines of the kinds the shipped watchlists are for, and some they are not. */
const NEWS_TITLES = [
  'Mexico extradites alleged Sinaloa cartel figure to the United States',
  'US tariffs on Mexican steel take effect as talks stall',
  'El Mencho associate arrested in Jalisco',
  'Weather service warns of storms along the gulf coast',
  'Mexico sends 26 cartel prisoners to the US in mass transfer',
  'Local council approves new budget for parks',
  'Trump threatens new tariffs on Mexico over border security',
  'Football: late goal settles derby',
  'CJNG leader extradited to face charges in Washington',
  'Markets close higher after quiet session',
];

function newsItems(n: number, upTo: number): string[] {
  const items: string[] = [];
  // Rounds past what the feed keeps are not built.
  const oldest = keep > 0 ? Math.max(1, upTo - Math.ceil(keep / 10) + 1) : 1;
  for (let r = upTo; r >= oldest; r--) {
    for (let j = 0; j < 10; j++) {
      items.push(
        `<item><title>${NEWS_TITLES[(n + r + j) % NEWS_TITLES.length]} (${n}-${r}-${j})</title>` +
          `<link>https://outlet${n}.example/2026/12/news-${r}-${j}</link>` +
          `<guid isPermaLink="false">feed-${n}-round-${r}-item-${j}</guid>` +
          `<pubDate>${new Date(roundTimes[r]! - j * 60_000).toUTCString()}</pubDate>` +
          `<description><![CDATA[<p>${paragraph(n * 5 + r + j, 60)}</p>]]></description></item>`,
      );
    }
  }
  return items;
}

function document(n: number): string {
  const items: string[] = newsItems(n, round);
  for (let i = 0; i < itemsPerFeed; i++) {
    items.push(
      `<item><title>Feed ${n} story ${i}: ${paragraph(n + i, 8)}</title>` +
        `<link>https://outlet${n}.example/2026/11/story-${i}?utm_source=rss</link>` +
        `<guid isPermaLink="false">feed-${n}-item-${i}</guid>` +
        `<pubDate>${new Date(base - i * 3_600_000).toUTCString()}</pubDate>` +
        `<description><![CDATA[<p>${paragraph(n * 3 + i, 60)}</p><p>${paragraph(i, 40)}</p>]]></description></item>`,
    );
  }
  const shown = keep > 0 ? items.slice(0, keep) : items;
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Bench feed ${n}</title><link>https://outlet${n}.example/</link><language>en</language>${shown.join('')}</channel></rss>`;
}

let bodies = Array.from({ length: feeds }, (_, n) => Buffer.from(document(n)));
const server = createServer((req, res) => {
  const next = /^\/next-round(?:\?at=(\d+))?$/.exec(req.url ?? '');
  if (next) {
    round++;
    // Each round's items keep the date they were published with, as a real feed's do: re-dating
    // them at every rebuild changed the text of every earlier round's items every round.
    roundTimes[round] = next[1] === undefined ? Date.now() : Number(next[1]);
    bodies = Array.from({ length: feeds }, (_, n) => Buffer.from(document(n)));
    res.writeHead(200).end(String(round));
    return;
  }
  const match = /^\/feed\/(\d+)\.xml$/.exec(req.url ?? '');
  const body = match ? bodies[Number(match[1])] : undefined;
  if (!body) {
    res.writeHead(404).end();
    return;
  }
  const etag = `"v${round + 1}-${match![1]}"`;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, { etag }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag, 'content-length': body.length }).end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0} ${bodies[0]!.length}\n`);
});
