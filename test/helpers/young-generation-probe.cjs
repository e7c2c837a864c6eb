// How large V8's young generation grows while 6 million small objects pass through a window of
// 300,000 of them: about 32 MB with --max-semi-space-size=16 (32.75 MB in the image on Node 24),
// 128 MB under Node 24's defaults. `node young-generation-probe.cjs MAX_MB` prints the peak in MB
// and exits 1, saying so, when it is above MAX_MB. CI runs this file's text inside the image.
// process.getBuiltinModule rather than require: the text assumes no module system, as a file or as
// the argument of `node -e` inside the image.
const v8 = process.getBuiltinModule('node:v8');
const maxMb = Number(process.argv[process.argv.length - 1]);
const ring = new Array(300000);
let peak = 0;
for (let i = 0; i < 6e6; i++) {
  ring[i % ring.length] = { i };
  if ((i & 65535) === 0) peak = Math.max(peak, v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
}
const mb = peak / 1048576;
console.log(`young generation at most ${mb} MB`);
if (!(mb <= maxMb)) {
  console.error(`the young generation grew to ${mb} MB, past ${maxMb} MB: --max-semi-space-size=16 is not in effect`);
  process.exit(1);
}
