/**
 * The parts of undici the fetcher uses, loaded by path (decision 018). undici's index loads all it
 * offers (fetch, WebSocket, EventSource, caches, mocks, interceptors): about 115 ms of CPU and 9 MB
 * at the start of every process that polls, where these parts cost about 38 ms. undici has no
 * "exports" map, so its files resolve by path; test/feeds/fetch/undici-parts.test.ts checks that
 * they are the very objects the index exports, so an upgrade that moves them fails a test, not the
 * fetcher. Types come from the index, as type-only imports, which load nothing.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const requireFromUndici = createRequire(import.meta.url);

export const Agent = requireFromUndici('undici/lib/dispatcher/agent') as typeof Undici.Agent;
export const errors = requireFromUndici('undici/lib/core/errors') as typeof Undici.errors;
export const buildConnector = requireFromUndici('undici/lib/core/connect') as typeof Undici.buildConnector;

type RequestFunction = (this: Undici.Dispatcher, options: Undici.Dispatcher.RequestOptions) => Promise<Undici.Dispatcher.ResponseData>;
const apiRequest = requireFromUndici('undici/lib/api/api-request') as RequestFunction;
const { parseURL } = requireFromUndici('undici/lib/core/util') as { parseURL: (url: URL) => URL };

export type RequestOptions = Omit<Undici.Dispatcher.RequestOptions, 'origin' | 'path'> & { dispatcher: Undici.Dispatcher };

/** undici's `request(url, options)` for a URL object and a given dispatcher, made as its index makes it. */
export function request(url: URL, options: RequestOptions): Promise<Undici.Dispatcher.ResponseData> {
  const parsed = parseURL(url);
  return apiRequest.call(options.dispatcher, {
    ...options,
    origin: parsed.origin,
    path: parsed.search ? `${parsed.pathname}${parsed.search}` : parsed.pathname,
    method: options.method ?? (options.body ? 'PUT' : 'GET'),
  });
}
