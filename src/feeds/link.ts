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
  if (url.search && mayHoldTrackingParameter(url.search)) {
    const href = url.href;
    const kept = keptPlainPairs(url.search);
    // The query's own text, less the tracking pairs, when that is what URLSearchParams would write.
    if (kept !== null) return href.slice(0, href.length - url.search.length) + (kept.length > 0 ? `?${kept.join('&')}` : '');
    // URLSearchParams re-encodes the query when touched; keep the original when nothing is removed.
    const decoded = [...url.searchParams].filter(([name]) => !TRACKING_PARAMETER.test(name));
    if (decoded.length < url.searchParams.size) url.search = new URLSearchParams(decoded).toString();
  }
  return url.href.replace(/\?$/, '');
}

/** A name=value pair that URLSearchParams reads and writes back unchanged: nothing it decodes or encodes. */
const PLAIN_PAIR = /^[A-Za-z0-9*._-]*=[A-Za-z0-9*._-]*$/;
/** A pair whose name, undecoded, is a tracking parameter (its value is dropped with it, whatever it holds). */
const PLAIN_TRACKING_NAME = /^[A-Za-z0-9*._-]+(?==|$)/;

/**
 * The query's pairs less its tracking ones, as written, when removing them textually gives what
 * rewriting the query through URLSearchParams gives (the common case: utm_ names and plain
 * values): each kept pair plain, each dropped pair named plainly. Null otherwise, or when no pair
 * is dropped.
 */
function keptPlainPairs(search: string): string[] | null {
  const kept: string[] = [];
  let dropped = false;
  for (const pair of search.slice(1).split('&')) {
    const name = PLAIN_TRACKING_NAME.exec(pair)?.[0];
    if (name !== undefined && TRACKING_PARAMETER.test(name)) dropped = true;
    else if (PLAIN_PAIR.test(pair)) kept.push(pair);
    else return null;
  }
  return dropped ? kept : null;
}

/**
 * Whether a query ("?a=1&b=2") may name a tracking parameter, read without parsing it: a name
 * with no '%' or '+' is the name URLSearchParams decodes, and one with them is assumed to.
 */
function mayHoldTrackingParameter(search: string): boolean {
  for (const pair of search.slice(1).split('&')) {
    const equals = pair.indexOf('=');
    const name = equals < 0 ? pair : pair.slice(0, equals);
    if (name.includes('%') || name.includes('+') || TRACKING_PARAMETER.test(name)) return true;
  }
  return false;
}
