/**
 * Health, readiness and metrics on the service's HTTP server:
 *   GET /healthz  200 while the process answers at all (the container's HEALTHCHECK);
 *   GET /readyz   200 when every readiness check passes, else 503 — each check's verdict in JSON;
 *   GET /metrics  the Prometheus text format.
 * The checks come in as small functions, so this module knows nothing of stores or chat SDKs.
 */
import type { HttpRoute } from './server.js';

export interface CheckResult {
  ok: boolean;
  detail: string;
}

export interface ReadinessCheck {
  name: string;
  run(): Promise<CheckResult>;
}

export interface HealthRoutesOptions {
  checks: readonly ReadinessCheck[];
  metrics(): Promise<{ contentType: string; body: string }>;
  /** A check that has not answered by then fails (a Redis that hangs must not hang /readyz). */
  checkTimeoutMs?: number;
}

const DEFAULT_CHECK_TIMEOUT_MS = 2000;

async function runCheck(check: ReadinessCheck, timeoutMs: number): Promise<CheckResult> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<CheckResult>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, detail: `no answer within ${timeoutMs} ms` }), timeoutMs);
  });
  try {
    return await Promise.race([
      check.run().catch((error: unknown): CheckResult => ({ ok: false, detail: error instanceof Error ? error.message : String(error) })),
      timedOut,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRoutes(options: HealthRoutesOptions): HttpRoute[] {
  const timeoutMs = options.checkTimeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS;
  return [
    { method: 'GET', path: '/healthz', handle: () => Promise.resolve({ status: 200, body: 'ok\n' }) },
    {
      method: 'GET',
      path: '/readyz',
      handle: async () => {
        const results = await Promise.all(options.checks.map(async (check) => [check.name, await runCheck(check, timeoutMs)] as const));
        const ready = results.every(([, result]) => result.ok);
        return {
          status: ready ? 200 : 503,
          headers: { 'content-type': 'application/json' },
          body: `${JSON.stringify({ ready, checks: Object.fromEntries(results) })}\n`,
        };
      },
    },
    {
      method: 'GET',
      path: '/metrics',
      handle: async () => {
        const { contentType, body } = await options.metrics();
        return { status: 200, headers: { 'content-type': contentType }, body };
      },
    },
  ];
}
