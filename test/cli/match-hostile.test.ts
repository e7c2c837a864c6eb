/**
 * `wirewatch match` on hostile input and on configs that used to slip through: very long lines
 * with tens of thousands of hits, entities that name entities defined later, entity cycles, and
 * config files beyond the limits. Everything is asserted on what the user sees: stdout lines,
 * the exit code and stderr.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'wirewatch-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeConfig(name: string, lines: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, lines.join('\n'));
  return path;
}

const outputLines = (stdout: string) => stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

describe('wirewatch match on very long lines', () => {
  // Generous timeouts: these lines used to take minutes (or forever); no duration is asserted.
  it('answers a ~1 MB title repeating a tariff headline with the shipped watchlists, and the next line too', async () => {
    const title = 'Tariffs on Mexico. '.repeat(55_000);
    const input = `${JSON.stringify({ title, language: 'en' })}\n${JSON.stringify({ title: 'Local weather' })}\n`;
    const result = await runCli(['match'], { input });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const [long, short] = outputLines(result.stdout);
    expect(long).toMatchObject({ watchlists: ['tariffs'] });
    expect(long!['matches']).toContainEqual({ watchlist: 'tariffs', term: 'tariff*', field: 'title' });
    expect(short).toEqual({ watchlists: [], matches: [] });
  }, 180_000);

  it('answers a line with ~130,000 hits (and explains it) instead of losing the whole run', async () => {
    const path = writeConfig('many-hits.yaml', ['watchlists:', '  - id: w', '    name: W', '    query: mexico tariff*']);
    const title = `${'Mexico '.repeat(130_000)}tariffs`;
    const input = `${JSON.stringify({ title })}\n${JSON.stringify({ title: 'Mexico tariffs' })}\n`;
    const result = await runCli(['match', '--config', path], { input });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const expected = {
      watchlists: ['w'],
      matches: [
        { watchlist: 'w', term: 'mexico', field: 'title' },
        { watchlist: 'w', term: 'tariff*', field: 'title' },
      ],
    };
    expect(outputLines(result.stdout)).toEqual([expected, expected]);

    const explained = await runCli(['match', '--config', path, '--explain'], { input });
    expect(explained.code).toBe(0);
    expect(explained.stdout).toContain('2. Mexico tariffs\n  w (W)\n    clause mexico\n      "mexico" matched "Mexico" in title [0–6]');
    // The explanation of the long line is bounded: a cap on occurrences per term, not 130,000 lines.
    expect(explained.stdout.split('\n').length).toBeLessThan(200);
  }, 180_000);
});

describe('entities may name entities defined later', () => {
  it('in the library, in inline entities, through context and exclude', async () => {
    const path = writeConfig('order.yaml', [
      'entities:',
      '  - id: el_mayo',
      '    name: El Mayo',
      '    ambiguous_aliases: [El Mayo]',
      '    context: "@crime"',
      '    exclude: "@fiesta"',
      '  - id: crime',
      '    name: crime words',
      '    aliases: [cartel, capo]',
      '  - id: fiesta',
      '    name: the holiday',
      '    aliases: [Cinco de Mayo]',
      'watchlists:',
      '  - id: library',
      '    name: Library',
      '    entities: [el_mayo]',
      '  - id: inline',
      '    name: Inline',
      '    entities:',
      '      - id: la_tuta',
      '        name: La Tuta',
      '        ambiguous_aliases: [La Tuta]',
      '        context: "@templarios"',
      '      - id: templarios',
      '        name: Caballeros Templarios',
      '        aliases: [Templarios]',
    ]);
    const input = [
      { title: 'El Mayo, the cartel boss' },
      { title: 'El Mayo cartel party on Cinco de Mayo' },
      { title: 'La Tuta, jefe de los Templarios' },
      { title: 'La Tuta absoluta, una polilla' },
    ]
      .map((line) => JSON.stringify(line))
      .join('\n');
    const result = await runCli(['match', '--config', path], { input: `${input}\n` });
    expect(result.code).toBe(0);
    const lines = outputLines(result.stdout);
    expect(lines.map((line) => line['watchlists'])).toEqual([['library'], [], ['inline'], []]);
    // The inline watchlist fires on "Templarios" alone too; the evidence shows "La Tuta" was recognised.
    expect(lines[2]!['matches']).toContainEqual({ watchlist: 'inline', term: 'La Tuta', field: 'title' });
  });
});

describe('entity cycles are refused at load (exit 78), naming the file, the path and the cycle', () => {
  it.each([
    [
      'a context cycle in the library',
      [
        'entities:',
        '  - id: other',
        '    name: Other',
        '    aliases: [other]',
        '  - id: el_mayo',
        '    name: El Mayo',
        '    ambiguous_aliases: [El Mayo]',
        '    context: cartel OR @sinaloa_cartel',
        '  - id: sinaloa_cartel',
        '    name: Sinaloa cartel',
        '    ambiguous_aliases: [Sinaloa]',
        '    context: "@el_mayo"',
        'watchlists:',
        '  - id: w',
        '    name: W',
        '    entities: [el_mayo]',
      ],
      '(entities[1].context, line 8): entity cycle el_mayo → sinaloa_cartel → el_mayo',
    ],
    [
      'a longer cycle through an exclusion',
      [
        'entities:',
        '  - id: a',
        '    name: A',
        '    aliases: [alpha]',
        '    exclude: "@b"',
        '  - id: b',
        '    name: B',
        '    aliases: [beta]',
        '    exclude: "@c"',
        '  - id: c',
        '    name: C',
        '    aliases: [gamma]',
        '    exclude: "@a"',
        'watchlists:',
        '  - id: w',
        '    name: W',
        '    query: "@a"',
      ],
      '(entities[0].exclude, line 5): entity cycle a → b → c → a',
    ],
    [
      'a cycle among a watchlist’s inline entities',
      [
        'watchlists:',
        '  - id: w',
        '    name: W',
        '    entities:',
        '      - id: a',
        '        name: A',
        '        aliases: [alpha]',
        '        exclude: "@a"',
      ],
      '(watchlists[0].entities[0].exclude, line 8): entity cycle a → a',
    ],
  ])('%s', async (_name, lines, expected) => {
    const path = writeConfig('cycle.yaml', lines);
    const result = await runCli(['match', '--config', path], { input: '{"title":"x"}\n' });
    expect(result.code).toBe(78);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`${path} ${expected}`);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('config file limits are config errors naming the path', () => {
  const aliases = (prefix: string, count: number) => `[${Array.from({ length: count }, (_, i) => `${prefix}${i}`).join(', ')}]`;

  it('counts the aliases of the entities a watchlist uses towards its 1,000 terms', async () => {
    const lines = ['entities:'];
    for (let e = 0; e < 100; e++) lines.push(`  - id: e${e}`, `    name: E${e}`, `    aliases: ${aliases(`w${e}x`, 100)}`);
    lines.push('watchlists:', '  - id: w', '    name: W', `    entities: [${Array.from({ length: 100 }, (_, e) => `e${e}`).join(', ')}]`);
    lines.push('  - id: v', '    name: V', `    query: "@e1 OR @e2"`);
    const path = writeConfig('aliases.yaml', lines);
    const result = await runCli(['match', '--config', path], { input: '{"title":"x"}\n' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(new RegExp(`\\(watchlists\\[0\\], line \\d+\\): the watchlist has 10000 terms, phrases and aliases \\(its entities' included\\); the most is 1000`));
    expect(result.stderr).not.toContain('watchlists[1]');
  });

  it('refuses too many aliases for one entity, too many entities and too many watchlists', async () => {
    const lines = ['entities:'];
    lines.push('  - id: big', '    name: Big', `    aliases: ${aliases('a', 80)}`, `    ambiguous_aliases: ${aliases('b', 40)}`, '    context: crime');
    for (let e = 0; e < 2_000; e++) lines.push(`  - id: e${e}`, `    name: E${e}`, `    aliases: [x${e}]`);
    lines.push('watchlists:');
    for (let w = 0; w < 1_001; w++) lines.push(`  - id: w${w}`, `    name: W${w}`, `    terms: [t${w}]`);
    const path = writeConfig('limits.yaml', lines);
    const result = await runCli(['match', '--config', path], { input: '{"title":"x"}\n' });
    expect(result.code).toBe(78);
    expect(result.stderr).toMatch(/\(entities\[0\]\.aliases, line \d+\): the entity has 120 aliases; the most is 100/);
    expect(result.stderr).toMatch(/\(entities, line \d+\): 2001 entities; the most is 2000/);
    expect(result.stderr).toMatch(/\(watchlists, line \d+\): 1001 watchlists; the most is 1000/);
  }, 60_000);
});
