/**
 * Precision and recall of the watchlists on the labelled headlines, per watchlist and language.
 */
export interface LabelledItem {
  title: string;
  description: string;
  language: string;
  topics: string[];
  title_basis?: string;
  note?: string;
}

export interface Score {
  watchlist: string;
  language: string;
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export function score(items: LabelledItem[], predicted: string[][], watchlists: string[]): Score[] {
  const scores: Score[] = [];
  const languages = [...new Set(items.map((item) => item.language))].sort();
  for (const watchlist of watchlists) {
    for (const language of [...languages, 'all']) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      items.forEach((item, index) => {
        if (language !== 'all' && item.language !== language) return;
        const expected = item.topics.includes(watchlist);
        const got = predicted[index]?.includes(watchlist) ?? false;
        if (expected && got) tp++;
        else if (got) fp++;
        else if (expected) fn++;
      });
      const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
      const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
      const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
      scores.push({ watchlist, language, tp, fp, fn, precision, recall, f1 });
    }
  }
  return scores;
}

export function formatScores(scores: Score[]): string {
  const rows = scores.map(
    (s) =>
      `${s.watchlist.padEnd(15)} ${s.language.padEnd(4)} P=${s.precision.toFixed(3)} R=${s.recall.toFixed(3)} F1=${s.f1.toFixed(3)}  (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`,
  );
  return rows.join('\n');
}
