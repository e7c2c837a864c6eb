/**
 * `wirewatch cluster` as a user runs it: one JSON line out per line in, in order; bad lines get
 * an error and the rest go on; --explain says why; EVENT_WINDOW comes from the environment.
 */
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const line = (fields: Record<string, unknown>) => JSON.stringify(fields);
const transferEn = (published: string) =>
  line({
    title: 'Mexico sends 18 more cartel prisoners to the US',
    description: 'The 18 inmates, among them leaders of the Gulf Cartel, were flown from Mexico City on Wednesday.',
    language: 'en',
    published,
    link: 'https://outlet-a.example/18',
  });
const transferEs = (published: string) =>
  line({
    title: 'México envía a 18 reos más a Estados Unidos',
    description: 'Entre los 18 presos trasladados este miércoles hay líderes del Cártel del Golfo.',
    language: 'es',
    published,
  });
const tariff = line({ title: 'Trump announces 17% tariff on Mexican tomatoes', language: 'en', published: '2026-03-04T10:00:00Z' });

const outputs = (stdout: string) => stdout.trim().split('\n').map((text) => JSON.parse(text) as Record<string, unknown>);

describe('wirewatch cluster', () => {
  it('answers every line in order; a bad line gets an error and the rest go on', async () => {
    const input = [
      transferEn('2026-03-04T09:00:00Z'),
      'not json',
      line({ title: 'No date', language: 'en' }),
      line({ title: 'Bad date', language: 'en', published: 'yesterday-ish' }),
      transferEs('2026-03-04T12:00:00Z'),
      tariff,
    ].join('\n');
    const result = await runCli(['cluster'], { input });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('3 input line(s) could not be read');
    const all = outputs(result.stdout);
    expect(all).toHaveLength(6);
    const [first, notJson, noDate, badDate, second, third] = all;
    expect(first).toEqual({ cluster: expect.stringMatching(/^ev-[0-9a-f]{12}$/), new: true });
    expect(notJson).toEqual({ error: expect.stringMatching(/^not JSON/) });
    expect(noDate).toEqual({ error: expect.stringMatching(/^published: /) });
    expect(badDate).toEqual({ error: 'published: "yesterday-ish" is not a date (e.g. 2025-08-12T14:00:00Z)' });
    expect(second).toEqual({ cluster: first!['cluster'], new: false });
    expect(third).toEqual({ cluster: expect.stringMatching(/^ev-/), new: true });
    expect(third!['cluster']).not.toBe(first!['cluster']);
  });

  it('--explain says which terms were shared, the score, and the event joined or kept apart', async () => {
    const input = [transferEn('2026-03-04T09:00:00Z'), transferEs('2026-03-04T12:00:00Z'), tariff].join('\n');
    const result = await runCli(['cluster', '--explain'], { input });
    expect(result.code).toBe(0);
    const [first, second, third] = outputs(result.stdout);
    expect(first).toMatchObject({ new: true, score: 0, shared: [], nearest: null });
    expect(second).toMatchObject({
      cluster: first!['cluster'],
      new: false,
      event: { title: 'Mexico sends 18 more cartel prisoners to the US', stories: 2 },
    });
    expect(second!['score']).toBeGreaterThan(0.2);
    expect(second!['shared']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ term: '#18', text: '18' }),
        expect.objectContaining({ term: 'handover', text: 'envía' }),
      ]),
    );
    expect(third).toMatchObject({ new: true });
  });

  it('keeps apart what EVENT_WINDOW says is too far apart', async () => {
    const input = [transferEn('2026-03-04T09:00:00Z'), transferEs('2026-03-04T12:00:00Z')].join('\n');
    const wide = outputs((await runCli(['cluster'], { input })).stdout);
    expect(wide[1]).toMatchObject({ new: false });
    const narrow = await runCli(['cluster'], { input, env: { EVENT_WINDOW: '2h' } });
    expect(narrow.code).toBe(0);
    expect(outputs(narrow.stdout)[1]).toMatchObject({ new: true });
  });

  it('refuses an EVENT_WINDOW out of range with exit 78', async () => {
    const result = await runCli(['cluster'], { input: transferEn('2026-03-04T09:00:00Z'), env: { EVENT_WINDOW: '90d' } });
    expect(result.code).toBe(78);
    expect(result.stderr).toContain('EVENT_WINDOW: "90d" is out of range: must be between 1h and 30d');
    expect(result.stdout).toBe('');
  });
});
