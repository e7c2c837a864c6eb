/**
 * The clusterer on stories written for these tests (not the development headlines): reports of
 * one event in English and Spanish join; different events about the same people, days apart,
 * stay apart; so do the same kind of event about different people or countries.
 */
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/file.js';
import { createClusterer, StoryVocabulary, type ClusterStory, type EventClusterer } from '../../src/events/index.js';
import type { EntityDefinition } from '../../src/watch/definition.js';
import { PROJECT_ROOT } from '../helpers/cli.js';

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
let entities: EntityDefinition[];

beforeAll(() => {
  const file = loadConfigFile(resolve(PROJECT_ROOT, 'config/default.yaml'));
  if (!file.ok) throw new Error('the shipped config must load');
  entities = file.value.entities;
});

const clusterer = (): EventClusterer => createClusterer({ entities, windowMs: 72 * HOUR });

type Report = Omit<ClusterStory, 'publishedAt'> & { after?: number };

function story(report: Report, at: number): ClusterStory {
  return { title: report.title, description: report.description ?? null, language: report.language ?? null, publishedAt: at };
}

const en = (title: string, description = ''): Report => ({ title, description, language: 'en' });
const es = (title: string, description = ''): Report => ({ title, description, language: 'es' });

describe('an English and a Spanish report of one event join', () => {
  it.each([
    [
      'an extradition',
      en('Mexico extradites Sinaloa cartel financier "El Contador" to the United States', 'Jesús Ramírez Soto, known as El Contador, was flown to San Diego on Thursday to face money laundering charges.'),
      es('México extradita a Estados Unidos a "El Contador", operador financiero del Cártel de Sinaloa', 'Jesús Ramírez Soto, alias El Contador, fue enviado a San Diego este jueves para enfrentar cargos por lavado de dinero.'),
    ],
    [
      'a mass transfer',
      en('Mexico sends 18 more cartel prisoners to the US', 'The 18 inmates, among them leaders of the Gulf Cartel, were flown from Mexico City on Wednesday.'),
      es('México envía a 18 reos más a Estados Unidos', 'Entre los 18 presos trasladados este miércoles hay líderes del Cártel del Golfo, informó el Gabinete de Seguridad.'),
    ],
    [
      'a tariff announced',
      en('Trump announces 17% tariff on Mexican tomatoes', 'The duty on fresh tomatoes from Mexico starts on July 14, the Commerce Department said.'),
      es('Trump anuncia arancel de 17% a tomates mexicanos', 'El arancel a los tomates frescos de México comenzará el 14 de julio, informó el Departamento de Comercio.'),
    ],
    [
      'a postponement',
      en('US delays 30% tariffs on Mexico for 90 days', 'President Trump said on Thursday that talks with Mexico would continue.'),
      es('EU pospone 90 días los aranceles de 30% a México', 'El presidente Trump dijo el jueves que las pláticas con México continuarán.'),
    ],
    [
      'a capo killed',
      en('Mexican army kills CJNG commander "El Jardinero" in Nayarit', 'Audias Flores Silva died in a clash with soldiers on Sunday, officials said.'),
      es('Abaten a "El Jardinero", mando del CJNG, en Nayarit', 'Audias Flores Silva murió el domingo en un enfrentamiento con militares.'),
    ],
    [
      'a guilty plea',
      en('Son of "El Mayo" Zambada pleads guilty in Chicago', 'Vicente Zambada Niebla admitted to drug trafficking charges before a federal judge.'),
      es('Hijo de "El Mayo" Zambada se declara culpable en Chicago', 'Vicente Zambada Niebla admitió ante un juez federal cargos por narcotráfico.'),
    ],
    [
      'an arrest',
      en('Police arrest Tijuana Cartel leader in Baja California', 'The suspect, wanted in the United States, was detained in Mexicali on Monday.'),
      es('Detienen en Baja California a líder del Cártel de Tijuana', 'El sospechoso, buscado en Estados Unidos, fue capturado en Mexicali el lunes.'),
    ],
  ])('%s', (_kind, first, second) => {
    const events = clusterer();
    const opened = events.assign(story(first, T0));
    const joined = events.assign(story(second, T0 + 3 * HOUR));
    expect(opened.isNew).toBe(true);
    expect(joined.isNew, `score ${joined.score.toFixed(2)}, nearest ${JSON.stringify(joined.nearest)}`).toBe(false);
    expect(joined.eventId).toBe(opened.eventId);
    expect(joined.sharedTerms.length).toBeGreaterThan(0);
  });
});

describe('different events stay apart', () => {
  it.each([
    [
      'an arraignment, and the plea three days later',
      en('Caro Quintero pleads not guilty in Brooklyn', 'Rafael Caro Quintero appeared before a federal judge in Brooklyn after his expulsion from Mexico.'),
      en('Caro Quintero pleads guilty in Brooklyn', 'Rafael Caro Quintero admitted the charges before the same federal judge in Brooklyn.'),
      3 * DAY,
    ],
    [
      'an arrest, and the extradition two days later',
      en('"El Jardinero" arrested in Nayarit', 'Audias Flores Silva, a CJNG commander, was detained by soldiers.'),
      es('Extraditan a "El Jardinero" a Estados Unidos', 'Audias Flores Silva, mando del CJNG, fue enviado a Washington.'),
      2 * DAY,
    ],
    [
      'a tariff announced, and postponed two days later',
      en('Trump announces 25% tariffs on Mexican steel', 'The tariffs on steel from Mexico would start next week, the White House said.'),
      en('Trump postpones 25% tariffs on Mexican steel', 'The tariffs on steel from Mexico are delayed while talks continue, the White House said.'),
      2 * DAY,
    ],
    [
      'a tariff taking effect, and paused the next day',
      es('Entran en vigor aranceles de 25% al acero mexicano', 'Los aranceles de Estados Unidos al acero de México comenzaron a cobrarse este lunes.'),
      es('Trump pausa los aranceles de 25% al acero mexicano', 'Los aranceles de Estados Unidos al acero de México quedan suspendidos mientras siguen las pláticas.'),
      1 * DAY,
    ],
    [
      'a plea, and the sentence two days later',
      en('"La Tuta" pleads guilty in New York', 'Servando Gómez Martínez admitted drug trafficking charges.'),
      en('"La Tuta" sentenced to 30 years in New York', 'Servando Gómez Martínez was sentenced for drug trafficking.'),
      2 * DAY,
    ],
    [
      'two capos extradited the same day',
      en('Mexico extradites "El Cholo Iván" to the United States', 'Orso Iván Gastélum was flown to San Diego to face drug charges.'),
      en('Mexico extradites "El Gil" to the United States', 'José Gil Caro Quintero was flown to Houston to face drug charges.'),
      2 * HOUR,
    ],
    [
      'extraditions by two countries',
      en('Colombia extradites drug lord to the US', 'The trafficker was flown to Miami to face cocaine charges.'),
      en('Ecuador extradites drug lord to the US', 'The trafficker was flown to Miami to face cocaine charges.'),
      2 * HOUR,
    ],
    [
      'tariffs on two countries',
      en('Trump announces 35% tariffs on Canada', 'The tariffs start on August 1, the White House said.'),
      en('Trump announces 30% tariffs on Mexico', 'The tariffs start on August 1, the White House said.'),
      2 * DAY,
    ],
  ])('%s', (_kind, first, second, gap) => {
    const events = clusterer();
    const opened = events.assign(story(first, T0));
    const next = events.assign(story(second, T0 + gap));
    expect(next.isNew, `joined with score ${next.score.toFixed(2)} sharing ${next.sharedTerms.map((t) => t.term).join(', ')}`).toBe(true);
    expect(next.eventId).not.toBe(opened.eventId);
  });

  it('the same report after the window opens a new event, and the old one is closed', () => {
    const events = clusterer();
    const report = en('Mexico sends 18 more cartel prisoners to the US', 'The 18 inmates were flown from Mexico City.');
    const first = events.assign(story(report, T0));
    expect(events.assign(story(report, T0 + 71 * HOUR)).eventId).toBe(first.eventId);
    const late = events.assign(story(report, T0 + 71 * HOUR + 72 * HOUR + HOUR));
    expect(late.isNew).toBe(true);
    expect(events.record(first.eventId)).toBeUndefined();
    expect(events.takeChanges().closed).toContain(first.eventId);
  });
});

describe('the vocabulary', () => {
  const terms = (title: string, language = 'en') => [...new StoryVocabulary(entities).terms({ title, language }).weights.keys()];

  it('names an entity by any alias, in either language', () => {
    expect(terms('Ismael Zambada pleads guilty')).toContain('@el_mayo');
    expect(terms('"El Mayo" se declara culpable', 'es')).toContain('@el_mayo');
    expect(terms('Cártel Jalisco Nueva Generación', 'es')).toContain('@cjng');
    expect(terms('Jalisco New Generation Cartel')).toContain('@cjng');
  });

  it('reads only the start of a huge title or description: a story costs a bounded number of terms', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `Wq${i.toString(36)}`).join(' ');
    const huge = new StoryVocabulary(entities).terms({ title: words(100_000), description: words(100_000), language: 'en' });
    expect(huge.weights.size).toBeGreaterThan(50);
    expect(huge.weights.size).toBeLessThan(300);
  });

  it('takes no word for a number or a unit because every object has a property of that name', () => {
    const story = new StoryVocabulary(entities).terms({ title: 'Building constructor fined 5 constructor fees', language: 'en' });
    expect([...story.weights.keys()].filter((term) => term.startsWith('#'))).toEqual(['#5']);
    expect([...story.titleNumbers]).toEqual(['5']);
  });

  it('maps both languages to one concept, and keeps numbers, dates and durations apart', () => {
    expect(terms('Mexico extradites 29 capos to the US')).toEqual(expect.arrayContaining(['mexico', 'handover', 'trafficker', 'united-states', '#29']));
    expect(terms('México extradita a 29 narcos a EU', 'es')).toEqual(expect.arrayContaining(['mexico', 'handover', 'trafficker', 'united-states', '#29']));
    expect(terms('Tariffs start April 2')).toContain('date:apr-2');
    expect(terms('Aranceles a partir del 2 de abril', 'es')).toContain('date:apr-2');
    expect(terms('Sentenced to 29 years')).toContain('#29-years');
  });

  it.each([
    ['Court hears 2nd appeal of 26 capos', ['#2', '#26']],
    ['Se entregan 12mil dólares y 3 narcos', ['#12', '#3']],
    ['Agents seize 007 weapons in 2025', ['#7', 'year:2025']],
    ['Agents seize weapons near the border', []],
  ])('a word that starts with digits counts as its number: %s', (title, numbers) => {
    expect(terms(title).filter((term) => term.startsWith('#') || term.startsWith('year:'))).toEqual(numbers);
  });

  it('tells the country from the pronoun, the death penalty from a killing, and "EU" by language', () => {
    expect(terms('Trump tells us tariffs are coming')).not.toContain('united-states');
    expect(terms('Trump says US tariffs are coming')).toContain('united-states');
    expect(terms('No death penalty for Caro Quintero')).not.toContain('killed');
    expect(terms('Aranceles de EU a México', 'es')).toContain('united-states');
    expect(terms('Tariffs on the EU and Mexico')).toContain('european-union');
  });
});
