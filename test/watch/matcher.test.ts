/**
 * The matcher, table-driven: what fires for which text, and why. Definitions go through the
 * same zod schemas as the config file.
 */
import { describe, expect, it } from 'vitest';
import { compileWatchlists, WatchlistMatcher, type MatchInput } from '../../src/watch/matcher.js';
import { entityDefinitionSchema, watchlistDefinitionSchema } from '../../src/watch/definition.js';
import { explainMatch, listMatches } from '../../src/watch/explain.js';
import { LIMITS } from '../../src/watch/limits.js';

const watchlist = (id: string, fields: Record<string, unknown>) => watchlistDefinitionSchema.parse({ id, name: id, ...fields });
const story = (title: string, summary = '', extra: Partial<MatchInput> = {}): MatchInput => ({ title, summary, ...extra });

function fires(query: string, input: MatchInput): boolean {
  return compileWatchlists([watchlist('w', { query })]).match(input).watchlists.includes('w');
}

describe('folding and word boundaries', () => {
  it.each([
    ['extradición', 'Ordenan la EXTRADICION de un capo', true],
    ['extradicion', 'Ordenan la extradición de un capo', true],
    ['"El Mayo"', 'Detienen a “El Mayo” en El Paso', true],
    ['"El Mayo"', "Detienen a 'El Mayo' en El Paso", true],
    ['"O\'Brien"', 'Statement from O’Brien', true],
    ['Caro-Quintero', 'Caro Quintero pleads not guilty', true],
    ['"Caro Quintero"', 'Caro-Quintero pleads not guilty', true],
    ['Mayo', 'The mayor of Culiacán', false],
    ['caro', 'Los alimentos más caros', false],
    ['Zetas', 'Los Zetas leaders sent to US', true],
    ['año', 'El ano fiscal', true],
    ['ano', 'el año pasado', true],
    ['cartel', 'Sinaloa-cartel figure', true],
    ['cartel', 'The cartels split', false],
    ['cartel*', 'The cartels split', true],
    ['"Los Cuinis"', 'Los Cuinis: the money men', true],
    ['CJNG', 'líder del CJNG detenido', true],
    ['CJNG', 'CJNGX', false],
    ['straße', 'Strasse closed', true],
    ['Lodz', 'Łódź police', true],
    ['"Estados Unidos"', 'enviados a Estados\u00a0Unidos', true],
    ['extradited', 'extra\u00addited', true],
  ])('%s on %j → %s', (query, text, expected) => {
    expect(fires(query, story(text))).toBe(expected);
  });
});

describe('operators', () => {
  it.each([
    ['tariffs Mexico', 'Tariffs on Mexico', true],
    ['tariffs Mexico', 'Tariffs on Canada', false],
    ['tariffs (Mexico OR México OR Mexican)', 'Mexican tariffs', true],
    ['tariffs -China', 'Tariffs on Mexico and China', false],
    ['tariffs NOT (China OR Canada)', 'Tariffs on Mexico', true],
    ['extradit*', 'Mexico extradites 29', true],
    ['extradit*', 'Extraditados a EU', true],
    ['extradit*', 'Extra ditch', false],
    ['"sent to the United States"', 'Capos sent to the United States', true],
    ['"sent to the United States"', 'Capos sent from the United States', false],
    ['"transfer* to the US"', 'Mexico transferred to the US 26 prisoners', true],
    ['tariff* NEAR/3 Mexico', 'Tariffs on Mexico', true],
    ['tariff* NEAR/3 Mexico', 'Mexico faces tariffs', true],
    ['tariff* NEAR/1 Mexico', 'Tariffs imposed on all of Mexico', false],
    ['tariff* NEAR/4 Mexico', 'Tariffs imposed on all of Mexico', true],
    ['tariff* NEAR/3 Mexico', 'Tariffs imposed on all of Mexico', false],
    ['tariff* NEAR/0 Mexico', 'Mexico tariffs', true],
    ['tariff* NEAR/2 Mexico', 'Tariffs rise.', false],
  ])('%s on %j → %s', (query, text, expected) => {
    expect(fires(query, story(text))).toBe(expected);
  });

  // Many occurrences on both sides: the one close pair may be anywhere among them.
  const far = (count: number) => Array.from({ length: count }, () => 'Mexico filler filler filler filler filler').join(' ');
  it.each([
    ['tariff* NEAR/1 Mexico', 'the close pair in the middle', true, `${far(200)} tariffs ${far(200)}`],
    ['tariff* NEAR/4 Mexico', 'the nearest 5 words away', false, `${far(400)} tariffs`],
    ['tariff* NEAR/5 Mexico', 'the nearest 5 words away', true, `${far(400)} tariffs`],
    ['"new tariffs" NEAR/1 "Mexico City"', 'phrases 1 word apart', true, `${far(300)} Mexico City said new tariffs ${far(300)}`],
    ['"new tariffs" NEAR/0 "Mexico City"', 'phrases 1 word apart', false, `${far(300)} Mexico City said new tariffs ${far(300)}`],
  ])('%s among hundreds of occurrences, %s → %s', (query, _label, expected, text) => {
    expect(fires(query, story(text))).toBe(expected);
  });

  // Either side of the point (64 pairs) where the pairs stop being compared one by one and the
  // nearest partner is searched for: the same answer, and the same evidence (the close pair only).
  it.each([
    [8, 4, false],
    [8, 5, true],
    [65, 4, false],
    [65, 5, true],
  ])('%i occurrences of Mexico, then "tariffs" 5 words after the last: NEAR/%i → %s', (count, distance, expected) => {
    const result = compileWatchlists([watchlist('w', { query: `tariff* NEAR/${distance} Mexico` })]).match(story(`${far(count)} tariffs`));
    expect(result.watchlists.includes('w')).toBe(expected);
    const lastMexico = (count - 1) * 'Mexico filler filler filler filler filler '.length;
    expect(result.matches.map((m) => [m.term, m.start])).toEqual(expected ? [['Mexico', lastMexico], ['tariff*', lastMexico + 42]] : []);
  });

  // Occurrences of a term past LIMITS.occurrencesPerTerm in one field are not looked at; the
  // count starts again in the next field.
  it.each([
    ['the title', story(`${'Mexico '.repeat(LIMITS.occurrencesPerTerm)}and Mexico tariffs`), false],
    ['the title, one fewer', story(`${'Mexico '.repeat(LIMITS.occurrencesPerTerm - 1)}and Mexico tariffs`), true],
    ['the title, then the summary', story('Mexico '.repeat(LIMITS.occurrencesPerTerm), 'Mexico tariffs'), true],
  ])('the occurrence past the limit in %s', (_label, input, expected) => {
    expect(fires('Mexico NEAR/0 tariffs', input)).toBe(expected);
  });

  it('NEAR holds only within one field', () => {
    expect(fires('tariff* NEAR/3 Mexico', story('New tariffs announced', 'Mexico responds'))).toBe(false);
  });

  // An AND asks its leaves before building evidence; nested ANDs and ORs are answered by evaluating them.
  describe('a query nested as deep as its length allows', () => {
    const nested = (level: (inner: string, depth: number) => string) => {
      let query = 'w0';
      for (let depth = 1; level(query, depth).length <= LIMITS.queryLength; depth++) query = level(query, depth);
      return query;
    };
    const words = 'w0 w1 w2 w3 w4 w5 w6 w7 w8 w9';
    it.each([
      ['ANDs', nested((inner, depth) => `(${inner} w${depth % 10})`), words, true],
      ['ANDs, one word missing', nested((inner, depth) => `(${inner} w${depth % 10})`), words.replace('w7 ', ''), false],
      ['ANDs and ORs', nested((inner, depth) => (depth % 2 ? `(${inner} w${depth % 10})` : `(${inner} OR nothing${depth})`)), words, true],
      ['ANDs and ORs, the innermost word missing', nested((inner, depth) => (depth % 2 ? `(${inner} w${depth % 10})` : `(${inner} OR nothing${depth})`)), words.replace('w0 ', ''), false],
    ])('%s', (_label, query, title, expected) => {
      const result = compileWatchlists([watchlist('w', { query })]).match(story(title));
      expect(result.watchlists).toEqual(expected ? ['w'] : []);
      // Every word the query needs is in the explanation, once.
      if (expected) expect(new Set(result.matches.map((match) => match.term))).toEqual(new Set(query.match(/\bw\d\b/g)));
    });
  });
});

describe('fields', () => {
  const input = story('Capo extradited', 'A transfer to Texas.', { source: 'Reuters', link: 'https://www.reuters.com/world/americas/capo-123/' });
  it.each([
    ['title:extradited', true],
    ['summary:extradited', false],
    ['summary:transfer', true],
    ['extradited transfer', true],
    ['source:Reuters', true],
    ['source:AP', false],
    ['link:reuters.com', true],
    ['link:americas', true],
    ['reuters', false],
    ['title:(transfer OR capo)', true],
    ['title:@capos', true],
    ['summary:@capos', false],
  ])('%s → %s', (query, expected) => {
    const matcher = compileWatchlists(
      [watchlist('w', { query })],
      [entityDefinitionSchema.parse({ id: 'capos', name: 'Capos', aliases: ['capo'] })],
    );
    expect(matcher.match(input).watchlists.includes('w')).toBe(expected);
  });
});

describe('entities and their aliases', () => {
  const entities = [
    entityDefinitionSchema.parse({
      id: 'el_mayo',
      name: 'Ismael "El Mayo" Zambada',
      aliases: ['Mayo Zambada', 'Ismael Zambada'],
      ambiguous_aliases: ['El Mayo'],
      context: 'cartel* OR cártel* OR narco* OR capo OR Sinaloa OR drug*',
      exclude: '"Cinco de Mayo"',
    }),
    entityDefinitionSchema.parse({
      id: 'caro_quintero',
      name: 'Rafael Caro Quintero',
      aliases: ['Caro Quintero', 'Rafael Caro'],
    }),
  ];
  const matcher = compileWatchlists(
    [
      watchlist('leaders', { entities: ['el_mayo', 'caro_quintero'] }),
      watchlist('mayo_extradited', { query: '@el_mayo extradit*' }),
    ],
    entities,
  );
  it.each([
    ['Mayo Zambada pleads guilty', '', ['leaders']],
    ['El Mayo pleads guilty', 'The Sinaloa cartel co-founder appeared in Brooklyn.', ['leaders']],
    ['El Mayo pleads guilty', 'He appeared in Brooklyn.', []],
    ['El Mayo festival opens', 'Music in the park all weekend.', []],
    ['Cinco de Mayo parade', 'Drug-free celebration, say organisers.', []],
    ['Robert Caro’s new book', 'The biographer of LBJ.', []],
    ['Caro Quintero extradited', '', ['leaders']],
    ['El Mayo to be extradited', 'The capo faces charges.', ['leaders', 'mayo_extradited']],
  ])('%s / %s → %j', (title, summary, expected) => {
    expect(matcher.match(story(title, summary)).watchlists).toEqual(expected);
  });

  it('measures NEAR from an entity’s alias, not from the context words that allowed it', () => {
    const near = compileWatchlists([watchlist('w', { query: '@el_mayo NEAR/1 extradi*' })], entities);
    const far = 'El Mayo appears in court in Brooklyn on Monday after weeks of delays, while a narco was extradited elsewhere';
    expect(near.match(story(far)).watchlists).toEqual([]);
    expect(near.match(story('El Mayo in court', 'A narco was extradited elsewhere')).watchlists).toEqual([]);
    expect(near.match(story('El Mayo extradited', 'The capo left on Friday.')).watchlists).toEqual(['w']);
  });

  // Entities a story names no alias of are false at once; an entity asked about only from inside
  // another entity, a NOT or an exclusion must still count as named when its alias is there.
  describe('entities reached only through another clause', () => {
    const nested = [
      entityDefinitionSchema.parse({ id: 'sinaloa_cartel', name: 'Sinaloa Cartel', aliases: ['Sinaloa cartel', 'cártel de Sinaloa'] }),
      entityDefinitionSchema.parse({ id: 'mayo_film', name: 'El Mayo (film)', aliases: ['Mayo premiere'] }),
      entityDefinitionSchema.parse({
        id: 'el_mayo',
        name: 'Ismael "El Mayo" Zambada',
        ambiguous_aliases: ['El Mayo'],
        context: '@sinaloa_cartel',
        exclude: '@mayo_film',
      }),
      entityDefinitionSchema.parse({ id: 'tomato_moth', name: 'Tuta absoluta', aliases: ['Tuta absoluta'] }),
      entityDefinitionSchema.parse({ id: 'narcos_series', name: 'Narcos (television)', aliases: ['Narcos season'] }),
    ];
    const matcher = compileWatchlists(
      [
        watchlist('mayo', { query: '@el_mayo' }),
        watchlist('la_tuta', { query: '"La Tuta" AND NOT @tomato_moth' }),
        watchlist('cartel_news', { query: 'cartel*', exclude: ['@narcos_series'] }),
      ],
      nested,
    );
    it.each([
      ['El Mayo in court', 'A founder of the Sinaloa cartel.', ['mayo', 'cartel_news']],
      ['El Mayo in court', 'A founder of the cartel.', ['cartel_news']],
      ['El Mayo premiere: the Sinaloa cartel on screen', '', ['cartel_news']],
      ['La Tuta sentenced', '', ['la_tuta']],
      ['La Tuta: Tuta absoluta spreads in Sinaloa', '', []],
      ['Narcos season five: the cartel wars', '', []],
    ])('%s / %s → %j', (title, summary, expected) => {
      expect(matcher.match(story(title, summary)).watchlists).toEqual(expected);
    });
  });

  it('explains an ambiguous alias with the context that allowed it', () => {
    const input = story('El Mayo pleads guilty', 'The Sinaloa cartel co-founder appeared in Brooklyn.');
    const result = matcher.match(input);
    expect(result.matches).toEqual([
      { watchlist: 'leaders', term: 'El Mayo', field: 'title', start: 0, end: 7, clause: '@el_mayo', entity: 'el_mayo', role: 'alias' },
      { watchlist: 'leaders', term: 'cartel*', field: 'summary', start: 12, end: 18, clause: '@el_mayo', entity: 'el_mayo', role: 'context' },
      { watchlist: 'leaders', term: 'Sinaloa', field: 'summary', start: 4, end: 11, clause: '@el_mayo', entity: 'el_mayo', role: 'context' },
    ]);
    expect(explainMatch(input, result)).toBe(
      [
        '  leaders',
        '    clause @el_mayo',
        '      alias "El Mayo" of @el_mayo in title [0–7]',
        '      context "cartel*" for @el_mayo matched "cartel" in summary [12–18]',
        '      context "Sinaloa" for @el_mayo in summary [4–11]',
      ].join('\n'),
    );
  });
});

describe('the entities a story names (story grouping)', () => {
  // el_mayo is defined first but names sinaloa_cartel in its context, which is compiled first:
  // the answer still follows the definitions.
  const library = [
    entityDefinitionSchema.parse({
      id: 'el_mayo',
      name: 'Ismael "El Mayo" Zambada',
      aliases: ['Ismael Zambada'],
      ambiguous_aliases: ['El Mayo'],
      context: '@sinaloa_cartel',
      exclude: '"Cinco de Mayo"',
    }),
    entityDefinitionSchema.parse({ id: 'sinaloa_cartel', name: 'Sinaloa Cartel', aliases: ['Sinaloa cartel', 'cártel de Sinaloa'] }),
    entityDefinitionSchema.parse({ id: 'tariff', name: 'Tariffs', aliases: ['tariff*'] }),
  ];
  const matcher = compileWatchlists([], library);
  const named = (title: string, summary = '') =>
    matcher.entitiesNamed(story(title, summary)).map(({ entity, aliases }) => [entity, aliases.map((e) => `${e.field}:${e.start}-${e.end} ${e.term}`)]);

  it.each<[string, string, unknown[]]>([
    ['Ismael Zambada and the Sinaloa cartel', '', [['el_mayo', ['title:0-14 Ismael Zambada']], ['sinaloa_cartel', ['title:23-37 Sinaloa cartel']]]],
    // An ambiguous alias counts only with its context, and reports the alias alone, not the context.
    ['El Mayo in court', 'A founder of the Sinaloa cartel.', [['el_mayo', ['title:0-7 El Mayo']], ['sinaloa_cartel', ['summary:17-31 Sinaloa cartel']]]],
    ['El Mayo in court', 'A founder of the cartel.', []],
    // In the order the entities are defined, not the order the story names them; each once.
    ['The Sinaloa cartel and Ismael Zambada', '', [['el_mayo', ['title:23-37 Ismael Zambada']], ['sinaloa_cartel', ['title:4-18 Sinaloa cartel']]]],
    ['Ismael Zambada, El Mayo', 'Ismael Zambada of the Sinaloa cartel', [['el_mayo', ['title:0-14 Ismael Zambada', 'summary:0-14 Ismael Zambada', 'title:16-23 El Mayo']], ['sinaloa_cartel', ['summary:22-36 Sinaloa cartel']]]],
    // The exclusion holds: a holiday story about the cartel does not name the capo.
    ['Cinco de Mayo: El Mayo and the Sinaloa cartel', '', [['sinaloa_cartel', ['title:31-45 Sinaloa cartel']]]],
    ['Tariffs, tariffs and more tariffs', '', [['tariff', ['title:0-7 tariff*', 'title:9-16 tariff*', 'title:26-33 tariff*']]]],
    ['Weather service warns of storms', '', []],
  ])('%s / %s', (title, summary, expected) => {
    expect(named(title, summary)).toEqual(expected);
  });

  it("reads the fields an entity's context or exclusion looks at", () => {
    const sourced = compileWatchlists([], [
      entityDefinitionSchema.parse({ id: 'wire_capo', name: 'A capo on the wire', ambiguous_aliases: ['El Jefe'], context: 'source:Reuters' }),
      entityDefinitionSchema.parse({ id: 'capo', name: 'A capo, not in a satire', aliases: ['El Capo'], exclude: 'link:satire' }),
    ]);
    const entitiesOf = (input: MatchInput) => sourced.entitiesNamed(input).map((named) => named.entity);
    expect(entitiesOf(story('El Jefe and El Capo', '', { source: 'Reuters', link: 'https://news.example/capo' }))).toEqual(['wire_capo', 'capo']);
    expect(entitiesOf(story('El Jefe and El Capo', '', { source: 'AP', link: 'https://satire.example/capo' }))).toEqual([]);
  });

  it('keeps at most LIMITS.evidencePerTerm hits of one alias per field, as a watchlist reports', () => {
    const text = Array.from({ length: LIMITS.evidencePerTerm + 5 }, () => 'tariff').join(' ');
    const [tariff] = matcher.entitiesNamed(story(text, text));
    expect(tariff!.aliases.filter((e) => e.field === 'title')).toHaveLength(LIMITS.evidencePerTerm);
    expect(tariff!.aliases.filter((e) => e.field === 'summary')).toHaveLength(LIMITS.evidencePerTerm);
  });

  it('answers what one watchlist per entity reports of the entity', () => {
    const perEntity = compileWatchlists(library.map((entity) => watchlist(entity.id, { entities: [entity.id] })), library);
    for (const [title, summary] of [
      ['El Mayo in court', 'A founder of the Sinaloa cartel. Tariffs on steel.'],
      ['Cinco de Mayo: El Mayo and the Sinaloa cartel', 'Ismael Zambada, tariff talks'],
      ['Ismael Zambada', 'El Mayo, El Mayo, cártel de Sinaloa'],
    ] as const) {
      const input = story(title, summary);
      const viaWatchlists = perEntity
        .match(input)
        .matches.filter((m) => m.role === 'alias' && m.entity === m.watchlist)
        .map((m) => [m.watchlist, m.field, m.start, m.end, m.term]);
      const viaEntities = matcher.entitiesNamed(input).flatMap(({ entity, aliases }) => aliases.map((e) => [entity, e.field, e.start, e.end, e.term]));
      expect(viaEntities).toEqual(viaWatchlists);
    }
  });
});

describe('listed matches', () => {
  it('name each term once per watchlist and field, whether it came as a term or as an entity’s context', () => {
    const matcher = compileWatchlists(
      [watchlist('w', { query: '@el_mayo extradit*' })],
      [entityDefinitionSchema.parse({ id: 'el_mayo', name: 'El Mayo', ambiguous_aliases: ['El Mayo'], context: 'extradit*' })],
    );
    const result = matcher.match(story('El Mayo extradited; extradition hearing ends', 'Nothing else.'));
    expect(result.matches.filter((m) => m.term === 'extradit*')).toHaveLength(4);
    expect(listMatches(result.matches)).toEqual([
      { watchlist: 'w', term: 'El Mayo', field: 'title', entity: 'el_mayo' },
      { watchlist: 'w', term: 'extradit*', field: 'title', entity: 'el_mayo' },
    ]);
  });
});

describe('explanations name the clause, term, field and offsets', () => {
  it('for a query with several clauses', () => {
    const matcher = compileWatchlists([watchlist('extradition', { query: '(extradit* OR "sent to") (Mexico OR México) -Honduras' })]);
    const input = story('Mexico extradites two', 'They were sent to Texas.');
    expect(matcher.match(input).matches.map((m) => [m.clause, m.term, m.field, m.start, m.end])).toEqual([
      ['(extradit* OR "sent to")', 'extradit*', 'title', 7, 17],
      ['(extradit* OR "sent to")', 'sent to', 'summary', 10, 17],
      ['(Mexico OR México)', 'Mexico', 'title', 0, 6],
    ]);
  });
});

describe('watchlist options', () => {
  it('skips stories in languages the watchlist is not written for, but not stories of unknown language', () => {
    const matcher = compileWatchlists([watchlist('w', { query: 'Mexico', languages: ['en'] })]);
    expect(matcher.match(story('Mexico', '', { language: 'en' })).watchlists).toEqual(['w']);
    expect(matcher.match(story('Mexico', '', { language: 'fr' })).watchlists).toEqual([]);
    expect(matcher.match(story('Mexico', '', { language: null })).watchlists).toEqual(['w']);
  });

  it('vetoes with exclusions, a query or a list of them', () => {
    const matcher = compileWatchlists([
      watchlist('a', { query: 'tariffs', exclude: 'China OR Canada' }),
      watchlist('b', { terms: ['tariffs'], exclude: ['China', '"Canadian steel"'] }),
    ]);
    expect(matcher.match(story('Tariffs on Mexico')).watchlists).toEqual(['a', 'b']);
    expect(matcher.match(story('Tariffs on China')).watchlists).toEqual([]);
    expect(matcher.match(story('Tariffs on Canadian steel')).watchlists).toEqual(['a']);
  });

  it('keeps two watchlists’ inline entities of the same id apart', () => {
    // One story's evaluation is shared by every watchlist it nominates; an entity that answered
    // for another watchlist's entity of the same id would make one watchlist's result depend on
    // another's (on a shared bot: on another tenant's).
    const boss = (alias: string) => ({ id: 'boss', name: `Boss ${alias}`, aliases: [alias] });
    const matcher = compileWatchlists([
      watchlist('first', { query: 'arrested AND @boss', entities: [boss('alpha man')] }),
      watchlist('second', { entities: [boss('beta man')] }),
      watchlist('library', { query: '@boss' }),
    ], [entityDefinitionSchema.parse(boss('gamma man'))]);
    expect(matcher.match(story('Beta man arrested')).watchlists).toEqual(['second']);
    expect(matcher.match(story('Alpha man arrested')).watchlists).toEqual(['first']);
    expect(matcher.match(story('Gamma man arrested')).watchlists).toEqual(['library']);
    const both = matcher.match(story('Alpha man and beta man arrested'));
    expect(both.matches.filter((m) => m.entity === 'boss').map((m) => [m.watchlist, m.term])).toEqual([
      ['first', 'alpha man'],
      ['second', 'beta man'],
    ]);
  });

  it('reports watchlists in definition order and each piece of evidence once', () => {
    const matcher = compileWatchlists([watchlist('z', { query: 'capo' }), watchlist('a', { query: 'capo OR capo' })]);
    const result = matcher.match(story('Capo'));
    expect(result.watchlists).toEqual(['z', 'a']);
    expect(result.matches.filter((m) => m.watchlist === 'a')).toHaveLength(1);
  });
});

describe('a story whose matching fails', () => {
  it('costs that story only: the next story is matched in full', () => {
    const matcher = compileWatchlists([watchlist('w', { query: 'tariffs' })]);
    // Its title is scanned and nominates the watchlist; reading its summary then fails.
    const failing = {
      title: 'tariffs',
      get summary(): string {
        throw new Error('unreadable summary');
      },
    };
    expect(() => matcher.match(failing)).toThrow('unreadable summary');
    expect(matcher.match(story('tariffs')).watchlists).toEqual(['w']);
  });
});

describe('incremental recompilation', () => {
  it('adds, replaces and removes one watchlist without touching the others', () => {
    const matcher = new WatchlistMatcher({ watchlists: [watchlist('keep', { query: 'capo' })] });
    matcher.upsert(watchlist('new', { query: 'tariffs' }));
    expect(matcher.match(story('capo tariffs')).watchlists).toEqual(['keep', 'new']);
    matcher.upsert(watchlist('new', { query: 'aranceles' }));
    expect(matcher.match(story('capo tariffs')).watchlists).toEqual(['keep']);
    expect(matcher.match(story('aranceles')).watchlists).toEqual(['new']);
    expect(matcher.remove('new')).toBe(true);
    expect(matcher.match(story('aranceles')).watchlists).toEqual([]);
    expect(matcher.size).toBe(1);
  });

  it('drops patterns nobody uses once they outnumber the live ones', () => {
    const matcher = new WatchlistMatcher();
    for (let round = 0; round < 30; round++) {
      matcher.upsert(watchlist('churn', { terms: Array.from({ length: 100 }, (_, i) => `term${round}x${i}`) }));
    }
    expect(matcher.patternCount).toBeLessThanOrEqual(2 * 100 + 1000);
    expect(matcher.match(story('term29x5')).watchlists).toEqual(['churn']);
    expect(matcher.match(story('term0x5')).watchlists).toEqual([]);
  });
});

describe('limits', () => {
  it('refuses a watchlist with more terms than allowed, saying how many', () => {
    const result = watchlistDefinitionSchema.safeParse({
      id: 'big',
      name: 'Big',
      terms: Array.from({ length: LIMITS.termsPerWatchlist - 100 }, (_, i) => `w${i}`),
      query: Array.from({ length: 200 }, (_, i) => `t${i}`).join(' OR '),
      exclude: Array.from({ length: 150 }, (_, i) => `x${i}`).join(' OR '),
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe(`the watchlist has ${LIMITS.termsPerWatchlist + 250} terms; the most is ${LIMITS.termsPerWatchlist}`);
  });

  it('refuses a bad query with its column, as the config file reports it', () => {
    const result = watchlistDefinitionSchema.safeParse({ id: 'w', name: 'W', query: 'tariffs NEAR Mexico' });
    expect(result.error?.issues).toMatchObject([{ path: ['query'], message: 'NEAR needs a distance at column 9, e.g. NEAR/5' }]);
  });

  it('refuses a watchlist with nothing to match', () => {
    const result = watchlistDefinitionSchema.safeParse({ id: 'w', name: 'W' });
    expect(result.error?.issues[0]?.message).toBe('a watchlist needs a query, terms or entities');
  });

  it('refuses an ambiguous alias without a context', () => {
    const result = entityDefinitionSchema.safeParse({ id: 'e', name: 'E', ambiguous_aliases: ['El Mayo'] });
    expect(result.error?.issues).toMatchObject([{ path: ['context'], message: 'ambiguous aliases need a context query that must also match' }]);
  });
});
