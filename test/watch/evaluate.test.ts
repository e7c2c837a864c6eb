/**
 * StoryEvaluation.holds answers whether a node is true without building its evidence; the
 * matcher asks it first and builds evidence only for what fires. It must agree with
 * `evaluate(node) !== null` on every node: checked on every node of the shipped watchlists (their
 * queries, exclusions, and the contexts and exclusions of their entities) against the labelled
 * development headlines and texts dense in watched words.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { PatternAutomaton } from '../../src/watch/automaton.js';
import { compileEntities, compileWatchlist, type CompiledEntity, type CompiledNode } from '../../src/watch/compile.js';
import { StoryEvaluation, type FieldHit } from '../../src/watch/evaluate.js';
import { HEADLINES_DEV, fixturesMissingReason } from '../helpers/shared-fixtures.js';

const config = loadConfig({ env: {}, packageRoot: resolve(import.meta.dirname, '../..') });
const automaton = new PatternAutomaton();
const library = compileEntities(config.entities, automaton, () => undefined);
const watchlists = config.watchlists.map((definition) => compileWatchlist(definition, automaton, (id) => library.get(id)));

/** Every node of a tree, entities' contexts and exclusions included (each entity once). */
function nodesOf(root: CompiledNode, into: CompiledNode[], entities: Set<CompiledEntity>): CompiledNode[] {
  into.push(root);
  switch (root.kind) {
    case 'term':
      break;
    case 'entity':
      if (!entities.has(root.entity)) {
        entities.add(root.entity);
        for (const inner of [root.entity.context, root.entity.exclude]) if (inner) nodesOf(inner, into, entities);
      }
      break;
    case 'not':
      nodesOf(root.child, into, entities);
      break;
    case 'near':
      nodesOf(root.left, into, entities);
      nodesOf(root.right, into, entities);
      break;
    default:
      for (const child of root.children) nodesOf(child, into, entities);
  }
  return into;
}
const entitiesSeen = new Set<CompiledEntity>();
const NODES = watchlists.flatMap((w) => [...nodesOf(w.positive, [], entitiesSeen), ...(w.exclude ? nodesOf(w.exclude, [], entitiesSeen) : [])]);

function hitsOf(story: { title: string; summary: string }): Map<number, FieldHit[]> {
  const hits = new Map<number, FieldHit[]>();
  for (const field of ['title', 'summary'] as const) {
    for (const hit of automaton.scan(story[field])) {
      const list = hits.get(hit.pattern) ?? [];
      list.push({ pattern: hit.pattern, field, start: hit.start, end: hit.end, firstWord: hit.firstWord, lastWord: hit.lastWord });
      hits.set(hit.pattern, list);
    }
  }
  return hits;
}

function disagreements(stories: { title: string; summary: string }[]): string[] {
  const found: string[] = [];
  for (const story of stories) {
    const hits = hitsOf(story);
    // Separate evaluations, so neither answer comes from the other's memo.
    const asked = new StoryEvaluation(hits);
    const built = new StoryEvaluation(hits);
    NODES.forEach((node, index) => {
      if (asked.holds(node) !== (built.evaluate(node) !== null)) found.push(`node ${index} (${node.kind}) on ${JSON.stringify(story.title)}`);
    });
  }
  return found;
}

const WORDS = 'mexico officials said the transfer of cartel figures to the united states followed talks on tariffs border security trade extradited el mayo handed over'.split(' ');
const dense = Array.from({ length: 40 }, (_, n) => ({
  title: `${WORDS[n % WORDS.length]} ${WORDS[(n * 3) % WORDS.length]} CJNG leader extradited to Washington`,
  summary: Array.from({ length: 60 }, (_, i) => WORDS[(n * 7 + i * 13) % WORDS.length]).join(' '),
}));

describe('StoryEvaluation.holds', () => {
  it(`agrees with evaluate on all ${NODES.length} nodes of the shipped watchlists, on texts dense in watched words`, () => {
    expect(NODES.length).toBeGreaterThan(500);
    expect(disagreements(dense)).toEqual([]);
  });

  const missing = fixturesMissingReason(HEADLINES_DEV);
  if (missing) console.warn(missing);
  it.skipIf(missing)('agrees with evaluate on every node, for every development headline', () => {
    const stories = readFileSync(HEADLINES_DEV, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { title: string; description?: string })
      .map((item) => ({ title: item.title, summary: item.description ?? '' }));
    expect(disagreements(stories)).toEqual([]);
  });
});
