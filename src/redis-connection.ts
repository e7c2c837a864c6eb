/**
 * One Redis connection as the outbox and the replica coordination open it: commands fail at once
 * while the connection is down (store_unavailable) instead of queueing; at start-up a wrong URL
 * fails fast, and once up the client reconnects for as long as it takes.
 */
import { createClient } from '@redis/client';
import { WirewatchError } from './errors.js';
import { redactUrl } from './redact.js';

function newClient(url: string, connected: () => boolean) {
  return createClient({
    url,
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5000,
      reconnectStrategy: (retries, cause) => (!connected() && retries >= 2 ? cause : Math.min(100 * 2 ** retries, 5000)),
    },
  });
}

export type RedisConnection = ReturnType<typeof newClient>;

/** Connects to `url`; `what` names the connection in the error ("the outbox", "the coordination"). */
export async function connectRedis(url: string, what: string): Promise<RedisConnection> {
  let ready = false;
  const client = newClient(url, () => ready);
  client.on('error', () => {
    // Reported through the failing command; without a listener an error event ends the process.
  });
  try {
    await client.connect();
    ready = true;
  } catch (error) {
    throw new WirewatchError('store_unavailable', `cannot open ${what} at ${redactUrl(url)}: ${(error as Error).message}`, { cause: error });
  }
  return client;
}
