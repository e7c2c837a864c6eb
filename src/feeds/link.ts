/**
 * Canonical links: absolute, lower-case host, no fragment, no tracking parameters. Links that
 * are themselves redirects (Google News, feedburner, t.co …) are kept exactly as given: their
 * query string is the destination, and rewriting it breaks them.
 */

/** Query parameters that only track the click; removing them never changes the page. */
const TRACKING_PARAMETER = new RegExp(
  '^(?:' +
    [
      'utm_[a-z0-9_]+', 'fbclid', 'gclid', 'gclsrc', 'dclid', 'gbraid', 'wbraid', 'msclkid', 'yclid', 'twclid',
      'mc_cid', 'mc_eid', 'igshid', '_ga', '_gl', 'ocid', 'cmpid', 'smid', 'sr_share', 'at_medium', 'at_campaign',
      'ns_mchannel', 'ns_source', 'ns_campaign', 'ns_linkname', 'ns_fee', 'spm', 'vero_id', 'oly_enc_id', 'oly_anon_id',
      '__twitter_impression', 'rss_source',
    ].join('|') +
    ')$',
  'i',
);

/** Hosts whose every link is a redirect. */
const REDIRECT_HOSTS = new Set([
  'news.google.com',
  'feedproxy.google.com',
  'feeds.feedburner.com',
  'feedburner.google.com',
  't.co',
  'bit.ly',
  'l.facebook.com',
  'lnkd.in',
]);
/** Google itself redirects only through /url (the links of Google Alerts feeds). */
const GOOGLE_HOSTS = new Set(['www.google.com', 'google.com']);

export function isRedirectLink(url: URL): boolean {
  return REDIRECT_HOSTS.has(url.hostname) || (GOOGLE_HOSTS.has(url.hostname) && url.pathname === '/url');
}

/**
 * Returns the canonical form of `link` resolved against `base`, or null when it is not an
 * http(s) URL at all (javascript:, mailto:, garbage).
 */
export function canonicalLink(link: string | null | undefined, base: string | null = null): string | null {
  const raw = link?.trim();
  if (!raw) return null;
  let url: URL;
  try {
    url = base ? new URL(raw, base) : new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (isRedirectLink(url)) return url.href;
  // Each change of a URL re-serialises it: only those that change something are made.
  // '#' in a parsed URL can only start its fragment ("…/a#" has an empty one, and no `hash`).
  if (url.href.includes('#')) url.hash = '';
  if (url.search) {
    const plan = withoutTracking(url.search);
    if (plan.kind === 'pairs') {
      const href = url.href;
      return href.slice(0, href.length - url.search.length) + (plan.kept.length > 0 ? `?${plan.kept.join('&')}` : '');
    }
    if (plan.kind === 'rewrite') {
      // URLSearchParams re-encodes the query when touched; keep the original when nothing is removed.
      const decoded = [...url.searchParams].filter(([name]) => !TRACKING_PARAMETER.test(name));
      if (decoded.length < url.searchParams.size) url.search = new URLSearchParams(decoded).toString();
    }
  }
  return url.href.replace(/\?$/, '');
}

/** A name=value pair that URLSearchParams reads and writes back unchanged: nothing it decodes or encodes. */
const PLAIN_PAIR = /^[A-Za-z0-9*._-]*=[A-Za-z0-9*._-]*$/;

type QueryPlan = { kind: 'unchanged' } | { kind: 'pairs'; kept: string[] } | { kind: 'rewrite' };

/**
 * What removing tracking parameters does to a query ("?a=1&b=2"), read without parsing it:
 * - unchanged: no name is a tracking parameter, or may be one (a name with no '%' or '+' is the
 *   name URLSearchParams decodes; one with them is assumed to be one);
 * - pairs: some are, and every other pair is plain, so the query's own text less the tracking
 *   pairs is what rewriting it through URLSearchParams gives (the common case: utm_ names);
 * - rewrite: otherwise, through URLSearchParams.
 */
function withoutTracking(search: string): QueryPlan {
  const kept: string[] = [];
  let dropped = false;
  for (const pair of search.slice(1).split('&')) {
    const name = nameOf(pair);
    if (name.includes('%') || name.includes('+')) return { kind: 'rewrite' };
    if (TRACKING_PARAMETER.test(name)) dropped = true;
    else kept.push(pair);
  }
  if (!dropped) return { kind: 'unchanged' };
  return kept.every((pair) => PLAIN_PAIR.test(pair)) ? { kind: 'pairs', kept } : { kind: 'rewrite' };
}

/** A query pair's name as written: up to its first '=', or the whole pair. */
function nameOf(pair: string): string {
  const equals = pair.indexOf('=');
  return equals < 0 ? pair : pair.slice(0, equals);
}
