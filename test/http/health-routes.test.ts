import { describe, expect, it } from 'vitest';
import { healthRoutes, type ReadinessCheck } from '../../src/http/health-routes.js';

const request = { method: 'GET', headers: {}, body: Buffer.alloc(0) };

function readyz(checks: ReadinessCheck[]) {
  const routes = healthRoutes({ checks, metrics: () => Promise.resolve({ contentType: 'text/plain', body: '' }), checkTimeoutMs: 50 });
  return routes.find((route) => route.path === '/readyz')!.handle({ ...request, path: '/readyz' });
}

const passing = (name: string): ReadinessCheck => ({ name, run: () => Promise.resolve({ ok: true, detail: 'fine' }) });

describe('/readyz verdicts', () => {
  it.each([
    { what: 'every check passes', checks: [passing('store'), passing('poll')], status: 200, failing: [] },
    { what: 'a check fails', checks: [passing('store'), { name: 'poll', run: () => Promise.resolve({ ok: false, detail: 'late' }) }], status: 503, failing: ['poll'] },
    { what: 'a check throws', checks: [{ name: 'store', run: () => Promise.reject(new Error('connection refused')) }, passing('poll')], status: 503, failing: ['store'] },
    { what: 'a check hangs past the timeout', checks: [{ name: 'store', run: () => new Promise<never>(() => undefined) }], status: 503, failing: ['store'] },
  ])('$what → $status', async ({ checks, status, failing }) => {
    const response = await readyz(checks);
    expect(response.status).toBe(status);
    const body = JSON.parse(response.body!) as { ready: boolean; checks: Record<string, { ok: boolean; detail: string }> };
    expect(body.ready).toBe(status === 200);
    expect(Object.entries(body.checks).filter(([, result]) => !result.ok).map(([name]) => name)).toEqual(failing);
  });

  it('says why a check failed', async () => {
    const body = JSON.parse((await readyz([{ name: 'store', run: () => Promise.reject(new Error('connection refused')) }])).body!) as { checks: Record<string, { detail: string }> };
    expect(body.checks['store']?.detail).toBe('connection refused');
    const hung = JSON.parse((await readyz([{ name: 'store', run: () => new Promise<never>(() => undefined) }])).body!) as { checks: Record<string, { detail: string }> };
    expect(hung.checks['store']?.detail).toBe('no answer within 50 ms');
  });
});
