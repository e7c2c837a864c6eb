import { describe, expect, it } from 'vitest';
import { createServiceMetrics, CHAT_ADDED } from '../../src/metrics/service-metrics.js';
import { createMemoryOutbox } from '../../src/outbox/memory-outbox.js';
import { manualClock } from '../../src/clock.js';

describe('matches by watchlist', () => {
  it("counts the config file's watchlists by id and every server's own under one label", async () => {
    const metrics = createServiceMetrics({ clock: manualClock(0), outbox: createMemoryOutbox() });
    const matcher = metrics.meteredMatcher({ match: () => ({ watchlists: ['extradition', 'discord:1123456789012345678/w1', 'slack:T0TEST001/tariffs'], matches: [] }) });
    matcher.match({ title: 'x', summary: '', link: null, source: null, language: null });
    const { body } = await metrics.render();
    expect(body).toContain('wirewatch_matches_total{watchlist="extradition"} 1');
    expect(body).toContain(`wirewatch_matches_total{watchlist="${CHAT_ADDED}"} 2`);
    expect(body).not.toMatch(/watchlist="(discord|slack):/);
  });
});
