/**
 * The SSRF guard. Feeds added by chat users may only reach public addresses: never the bot's own
 * host, the LAN, or a cloud metadata service. The check runs inside the undici connector, so it
 * covers every new connection (each redirect hop to a new origin included) and connects to the
 * very address it verified, which leaves no window for DNS rebinding.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { buildConnector } from 'undici';
import { buildConnector as tcpConnectorOf } from './undici.js';
import { WirewatchError } from '../../errors.js';

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'cgnat'
  | 'multicast'
  | 'broadcast'
  | 'reserved'
  | 'documentation'
  | 'unique-local'
  | 'benchmarking'
  | 'invalid';

// ---------------------------------------------------------------------------------------------
// Classification

type Bytes = readonly number[];

interface Rule {
  prefix: Bytes;
  bits: number;
  /** A class, or 'embedded-v4' to classify the IPv4 address carried in the IPv6 one. */
  verdict: AddressClass | EmbeddedV4;
}

/** Where an IPv6 transition address carries its IPv4 address (byte offset). */
interface EmbeddedV4 {
  embeddedAt: number;
}

function parseIPv4(ip: string): Bytes {
  return ip.split('.').map(Number);
}

/** Expects a string `net.isIPv6` accepted (zone id allowed and ignored). */
function parseIPv6(ip: string): Bytes {
  let text = ip.split('%')[0] ?? '';
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (tail.includes('.')) {
    // A trailing dotted quad stands for the last two 16-bit groups.
    const [a = 0, b = 0, c = 0, d = 0] = parseIPv4(tail);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', rest] = text.split('::');
  const groupsOf = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groupsOf(head);
  const right = rest === undefined ? [] : groupsOf(rest);
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  const groups = [...left, ...zeros, ...right].map((group) => parseInt(group, 16));
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

function rule(cidr: string, verdict: Rule['verdict']): Rule {
  const [address = '', bits = '0'] = cidr.split('/');
  const prefix = address.includes(':') ? parseIPv6(address) : parseIPv4(address);
  return { prefix, bits: Number(bits), verdict };
}

function matches(bytes: Bytes, { prefix, bits }: Rule): boolean {
  for (let i = 0; i < bits; i += 8) {
    const width = Math.min(8, bits - i);
    const mask = (0xff << (8 - width)) & 0xff;
    if (((bytes[i / 8] ?? 0) & mask) !== ((prefix[i / 8] ?? 0) & mask)) return false;
  }
  return true;
}

// Most specific first; the first match wins. Anything unmatched is public.
const IPV4_RULES: Rule[] = [
  rule('169.254.169.254/32', 'metadata'), // AWS, GCP, Azure, OpenStack … instance metadata
  rule('100.100.100.200/32', 'metadata'), // Alibaba Cloud metadata
  rule('168.63.129.16/32', 'metadata'), // Azure wire server: a public-range address only the host answers
  rule('255.255.255.255/32', 'broadcast'),
  rule('0.0.0.0/8', 'unspecified'), // connecting to 0.0.0.0 reaches the local host on Linux
  rule('10.0.0.0/8', 'private'),
  rule('100.64.0.0/10', 'cgnat'),
  rule('127.0.0.0/8', 'loopback'),
  rule('169.254.0.0/16', 'link-local'),
  rule('172.16.0.0/12', 'private'),
  rule('192.0.0.0/24', 'reserved'), // IETF protocol assignments
  rule('192.0.2.0/24', 'documentation'),
  rule('192.88.99.0/24', 'reserved'), // former 6to4 relay anycast
  rule('192.168.0.0/16', 'private'),
  rule('198.18.0.0/15', 'benchmarking'),
  rule('198.51.100.0/24', 'documentation'),
  rule('203.0.113.0/24', 'documentation'),
  rule('224.0.0.0/4', 'multicast'),
  rule('240.0.0.0/4', 'reserved'),
];

// Most specific first; the first match wins. Unlike IPv4, anything outside 2000::/3 (global
// unicast) is unallocated and treated as reserved.
const IPV6_RULES: Rule[] = [
  rule('::/128', 'unspecified'),
  rule('::1/128', 'loopback'),
  rule('::ffff:0:0/96', { embeddedAt: 12 }), // IPv4-mapped
  rule('::/96', { embeddedAt: 12 }), // IPv4-compatible (deprecated, still routed by some stacks)
  rule('64:ff9b::/96', { embeddedAt: 12 }), // NAT64 well-known prefix: DNS64 hands these out for public hosts
  rule('64:ff9b:1::/48', 'reserved'), // local-use NAT64: may translate to private IPv4
  rule('100::/64', 'reserved'), // discard-only
  rule('2001::/32', 'reserved'), // Teredo: tunnels to an address we cannot vet
  rule('2001:2::/48', 'benchmarking'),
  rule('2001:db8::/32', 'documentation'),
  rule('2001::/23', 'reserved'), // rest of the IETF protocol assignments (ORCHID, AMT, …)
  rule('2002::/16', { embeddedAt: 2 }), // 6to4
  rule('3fff::/20', 'documentation'),
  rule('5f00::/16', 'reserved'), // SRv6 SIDs
  rule('fd00:ec2::254/128', 'metadata'), // AWS instance metadata over IPv6
  rule('fc00::/7', 'unique-local'),
  rule('fe80::/10', 'link-local'),
  rule('fec0::/10', 'private'), // site-local (deprecated)
  rule('ff00::/8', 'multicast'),
  rule('2000::/3', 'public'),
  rule('::/0', 'reserved'),
];

function classifyBytes(bytes: Bytes, rules: Rule[]): AddressClass {
  const found = rules.find((candidate) => matches(bytes, candidate));
  if (!found) return 'public';
  if (typeof found.verdict === 'string') return found.verdict;
  const at = found.verdict.embeddedAt;
  return classifyBytes(bytes.slice(at, at + 4), IPV4_RULES);
}

/** What kind of address `ip` is; only 'public' may be fetched for an untrusted feed. */
export function classifyAddress(ip: string): AddressClass {
  const family = isIP(ip);
  if (family === 4) return classifyBytes(parseIPv4(ip), IPV4_RULES);
  if (family === 6) return classifyBytes(parseIPv6(ip), IPV6_RULES);
  return 'invalid';
}

const DESCRIPTIONS: Record<AddressClass, string> = {
  public: 'a public address',
  unspecified: 'an unspecified address',
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  metadata: 'a cloud metadata address',
  cgnat: 'a carrier-grade NAT address',
  multicast: 'a multicast address',
  broadcast: 'a broadcast address',
  reserved: 'a reserved address',
  documentation: 'a documentation address',
  'unique-local': 'a unique-local address',
  benchmarking: 'a benchmarking address',
  invalid: 'not a valid IP address',
};

/**
 * Throws feed_blocked_address unless `address` is public. `hostname` is the name it came from
 * (the address itself for an IP literal), for the message.
 */
export function assertPublicAddress(address: string, hostname: string): void {
  const addressClass = classifyAddress(address);
  if (addressClass === 'public') return;
  const description = DESCRIPTIONS[addressClass];
  const message =
    hostname === address
      ? `refused: ${address} is ${description}`
      : `refused: ${hostname} resolves to ${address}, ${description}`;
  throw new WirewatchError('feed_blocked_address', message, { details: { hostname, address, addressClass } });
}

// ---------------------------------------------------------------------------------------------
// URLs

/**
 * Parses a feed URL as given by a person. Only http and https. Credentials (user:pass@) are
 * allowed — some private feeds need them — but the fetcher sends them as an Authorization
 * header to that origin only and never prints them (see src/redact.ts).
 */
export function parseFeedUrl(raw: string): URL {
  const text = raw.trim();
  if (text === '') throw new WirewatchError('feed_bad_url', 'feed URL is empty');
  let url: URL;
  try {
    url = new URL(text);
  } catch (error) {
    // The raw text is not echoed: it may hold credentials we cannot locate to redact.
    throw new WirewatchError('feed_bad_url', 'feed URL is not a valid absolute URL (e.g. https://example.com/feed.xml)', {
      cause: error,
    });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new WirewatchError('feed_bad_url', `only http and https feeds are supported, got ${url.protocol}`, {
      details: { protocol: url.protocol },
    });
  }
  if (url.hostname === '') throw new WirewatchError('feed_bad_url', 'feed URL has no host');
  return url;
}

/** A URL's hostname as a connector sees it: IPv6 literals without their brackets. */
export function bareHostname(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

// ---------------------------------------------------------------------------------------------
// DNS and the connector

/** Every address `hostname` resolves to. A seam so tests can answer without a DNS server. */
export type ResolveHost = (hostname: string) => Promise<string[]>;

/** The system resolver (getaddrinfo: /etc/hosts, then DNS), answers in the order it gave them. */
export const systemResolve: ResolveHost = async (hostname) => {
  const answers = await lookup(hostname, { all: true, order: 'verbatim' });
  return answers.map((answer) => answer.address);
};

export interface GuardedConnectorOptions {
  resolve: ResolveHost;
  connectTimeoutMs: number;
  /** Skip the classification (names are still resolved and the verified address dialled). */
  allowPrivate: boolean;
  /** Opens the socket to an already-verified IP; undici's own connector by default. */
  tcpConnect?: buildConnector.connector;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

async function resolveOrFail(hostname: string, resolve: ResolveHost): Promise<string[]> {
  let addresses: string[];
  try {
    addresses = await resolve(hostname);
  } catch (error) {
    const code = errorCode(error);
    const suffix = code === undefined ? '' : ` (${code})`;
    throw new WirewatchError('feed_dns', `could not resolve ${hostname}${suffix}`, {
      cause: error,
      details: { hostname, code },
    });
  }
  if (addresses.length === 0) {
    throw new WirewatchError('feed_dns', `${hostname} has no addresses`, { details: { hostname } });
  }
  return addresses;
}

/** The addresses a connection to `hostname` may use, in order; throws when any is refused. */
async function verifiedAddresses(hostname: string, options: Pick<GuardedConnectorOptions, 'resolve' | 'allowPrivate'>): Promise<string[]> {
  if (isIP(hostname) !== 0) {
    if (!options.allowPrivate) assertPublicAddress(hostname, hostname);
    return [hostname];
  }
  const addresses = await resolveOrFail(hostname, options.resolve);
  // Every answer must pass, not just the one we would dial: a name that mixes a public and a
  // private answer is a rebinding setup, and a later connection could get the other one.
  if (!options.allowPrivate) for (const address of addresses) assertPublicAddress(address, hostname);
  return addresses;
}

/**
 * The guard's verdict on a URL a person gave, without connecting: parses it (http and https
 * only), resolves the host, and refuses private destinations unless `allowPrivate`. The fetcher
 * checks again on every connection and redirect; this is for telling the person at once.
 */
export async function checkFeedDestination(raw: string, options: Pick<GuardedConnectorOptions, 'resolve' | 'allowPrivate'>): Promise<URL> {
  const url = parseFeedUrl(raw);
  await verifiedAddresses(bareHostname(url), options);
  return url;
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Dials the verified addresses in order until one connects (an IPv6 answer may be unroutable here). */
function dialInOrder(
  tcpConnect: buildConnector.connector,
  options: buildConnector.Options,
  addresses: string[],
  callback: buildConnector.Callback,
): void {
  const [address, ...rest] = addresses;
  // TLS must still present and verify the name the user asked for, not the IP we dial.
  const servername = options.servername ?? (isIP(options.hostname) === 0 ? options.hostname : undefined);
  const onDone: buildConnector.Callback = (error, socket) => {
    if (error !== null && rest.length > 0) dialInOrder(tcpConnect, options, rest, callback);
    else if (error !== null) callback(error, null);
    else callback(null, socket);
  };
  try {
    tcpConnect({ ...options, hostname: address ?? options.hostname, servername }, onDone);
  } catch (error) {
    onDone(asError(error), null);
  }
}

/**
 * An undici `connect` function that refuses non-public destinations (unless allowPrivate) with
 * feed_blocked_address, fails unresolvable names with feed_dns, and otherwise connects to the
 * address it checked.
 */
export function createGuardedConnector(options: GuardedConnectorOptions): buildConnector.connector {
  const tcpConnect = options.tcpConnect ?? tcpConnectorOf({ timeout: options.connectTimeoutMs });
  return (connectOptions, callback) => {
    verifiedAddresses(connectOptions.hostname, options).then(
      (addresses) => dialInOrder(tcpConnect, connectOptions, addresses, callback),
      (error: unknown) => callback(asError(error), null),
    );
  };
}
