/** Where the Redis outbox keeps its keys by default: its own module, so naming it loads no Redis client. */
export const REDIS_OUTBOX_PREFIX = 'wirewatch:outbox:';
