/**
 * Scoring a grouping of stories into events against gold event ids, and the baselines it is
 * compared with.
 *
 *  - B-cubed precision, recall and F1, over the items that have a gold event: for each item,
 *    the share of its predicted cluster that is its gold event (precision) and the share of its
 *    gold event that is in its predicted cluster (recall), averaged over items.
 *  - Wrong merges: predicted clusters holding items of two or more different gold events
 *    (items without a gold event are not counted either way).
 *  - Alerts per multi-story event: for each gold event with two or more items, the number of
 *    distinct predicted clusters its items fall into (each would be one alert), averaged.
 */
import { tokenize } from '../../src/watch/fold.js';

export interface GroupingScore {
  items: number;
  precision: number;
  recall: number;
  f1: number;
  wrongMerges: number;
  multiStoryEvents: number;
  alertsPerMultiStoryEvent: number;
}

/** `gold[i]` is item i's event id (null: not scored); `predicted[i]` its predicted cluster. */
export function scoreGrouping(gold: readonly (string | null)[], predicted: readonly string[]): GroupingScore {
  const scored = gold.flatMap((event, index) => (event === null ? [] : [index]));
  const members = (key: (index: number) => string) => {
    const groups = new Map<string, number[]>();
    for (const index of scored) {
      const list = groups.get(key(index));
      if (list) list.push(index);
      else groups.set(key(index), [index]);
    }
    return groups;
  };
  const byPrediction = members((index) => predicted[index]!);
  const byGold = members((index) => gold[index]!);
  let precision = 0;
  let recall = 0;
  for (const index of scored) {
    const cluster = byPrediction.get(predicted[index]!)!;
    const event = byGold.get(gold[index]!)!;
    const both = cluster.filter((other) => gold[other] === gold[index]).length;
    precision += both / cluster.length;
    recall += both / event.length;
  }
  precision /= scored.length;
  recall /= scored.length;
  const wrongMerges = [...byPrediction.values()].filter((cluster) => new Set(cluster.map((index) => gold[index])).size > 1).length;
  const multi = [...byGold.values()].filter((event) => event.length >= 2);
  const alerts = multi.reduce((sum, event) => sum + new Set(event.map((index) => predicted[index])).size, 0);
  return {
    items: scored.length,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    wrongMerges,
    multiStoryEvents: multi.length,
    alertsPerMultiStoryEvent: alerts / multi.length,
  };
}

export interface TimedTitle {
  title: string;
  publishedAt: number;
}

/** Baseline: every story is its own event (what a bot without grouping posts). */
export function everyStoryAlone(stories: readonly TimedTitle[]): string[] {
  return stories.map((_, index) => `s${index}`);
}

/**
 * Baseline: title-word Jaccard. Each story, in order, joins the cluster of the most similar
 * earlier story within the window (Jaccard of their folded title words) when that similarity
 * reaches `threshold`; otherwise it starts a cluster.
 */
export function titleJaccard(stories: readonly TimedTitle[], windowMs: number, threshold: number): string[] {
  const words = stories.map((story) => new Set(tokenize(story.title).map((token) => token.text)));
  const clusters: string[] = [];
  stories.forEach((story, index) => {
    let best = -1;
    let bestScore = 0;
    for (let other = 0; other < index; other++) {
      if (Math.abs(story.publishedAt - stories[other]!.publishedAt) > windowMs) continue;
      const a = words[index]!;
      const b = words[other]!;
      let shared = 0;
      for (const word of a) if (b.has(word)) shared++;
      const score = shared / (a.size + b.size - shared || 1);
      if (score > bestScore) {
        bestScore = score;
        best = other;
      }
    }
    clusters.push(best >= 0 && bestScore >= threshold ? clusters[best]! : `s${index}`);
  });
  return clusters;
}

export function formatScore(name: string, score: GroupingScore): string {
  return (
    `${name.padEnd(46)} B3 P=${score.precision.toFixed(3)} R=${score.recall.toFixed(3)} F1=${score.f1.toFixed(3)}` +
    `  wrong merges ${score.wrongMerges}  alerts per multi-story event ${score.alertsPerMultiStoryEvent.toFixed(2)}`
  );
}
