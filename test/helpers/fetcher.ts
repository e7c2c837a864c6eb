/** Shared pieces of the fetcher tests: default options and "this must fail with a coded error". */
import { expect } from 'vitest';
import { WirewatchError } from '../../src/errors.js';
import type { FeedFetcherOptions } from '../../src/feeds/fetch/feed-fetcher.js';

export function testFetcherOptions(overrides: Partial<FeedFetcherOptions> = {}): FeedFetcherOptions {
  return {
    userAgent: 'wirewatch-test/1.0',
    timeoutMs: 5000,
    connectTimeoutMs: 2000,
    maxBytes: 5 * 1024 * 1024,
    maxRedirects: 5,
    allowPrivate: false,
    globalConcurrency: 8,
    perHostConcurrency: 4,
    ...overrides,
  };
}

/** Awaits a promise that must reject with a WirewatchError, and returns that error. */
export async function failure(promise: Promise<unknown>): Promise<WirewatchError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(WirewatchError);
    return error as WirewatchError;
  }
  throw new Error('expected the promise to fail');
}
