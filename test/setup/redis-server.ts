/**
 * Vitest global setup: starts a throwaway redis-server on a free loopback port for the store
 * tests, and tells them its URL. On a machine without the binary the Redis variants skip,
 * saying why (CI installs Debian's redis-server, so there they always run).
 */
import type { TestProject } from 'vitest/node';
import { startThrowawayRedis } from '../helpers/throwaway-redis.js';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string | null;
    redisSkipReason: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const redis = await startThrowawayRedis();
  if ('skip' in redis) {
    project.provide('redisUrl', null);
    project.provide('redisSkipReason', redis.skip);
    return async () => {};
  }
  project.provide('redisUrl', redis.url);
  project.provide('redisSkipReason', '');
  return async () => redis.stop();
}
