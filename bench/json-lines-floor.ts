/**
 * The floor of `npm run bench -- match-cli`: what reading and writing JSON lines alone costs.
 * Each line of stdin is read with readline and JSON.parse'd; a constant `{"watchlists":[]}` is
 * JSON.stringify'd for it, and the lines go out in chunks as the CLI and the baseline write them.
 */
import { createInterface } from 'node:readline';

const OUTPUT_BATCH_BYTES = 64 * 1024;
const NOTHING = { watchlists: [] };

let pending = '';
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  JSON.parse(line);
  pending += `${JSON.stringify(NOTHING)}\n`;
  if (pending.length >= OUTPUT_BATCH_BYTES) {
    if (!process.stdout.write(pending)) await new Promise((resolve) => process.stdout.once('drain', resolve));
    pending = '';
  }
}
process.stdout.write(pending);
