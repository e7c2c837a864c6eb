import { FoldBuffer } from '../src/watch/fold.js';
import { makeStories, makeTerms } from './matcher.js';
const fb = new FoldBuffer();
const stories = makeStories(10000, makeTerms(10));
let x = 0;
for (let round = 0; round < 5; round++) {
const t = performance.now(); let chars = 0; for (let r = 0; r < 5; r++) for (const s of stories) { x += fb.fill(s.summary).length; chars += s.summary.length; } const dt = performance.now() - t;
console.log('10k stories', (dt * 1e6 / chars).toFixed(2), 'ns/char');
}
