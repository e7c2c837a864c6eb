// Whether V8's memory reducer gives an idle process's heap back after a burst of allocation, and
// how soon. `node memory-reducer-probe.cjs AID MAX_S`: AID is the path of the built
// memory-reducer-aid module, started after the burst, or `none`. Allocates 3 million small
// objects, up to 900,000 of them live at a time, drops them, then idles, reading V8's committed
// heap every half second; prints how long it took to fall below a third of its size after the
// burst and exits 0, or exits 1, saying so, if it has not after MAX_S seconds. On Node 24 the aid
// makes it about 10-20 s; without it the reducer does not run within 40 s (decision 020).
// CI runs this file's text inside the image: process.getBuiltinModule rather than require, and
// import() of the module, so the text runs as a file or as the argument of `node -e`.
const v8 = process.getBuiltinModule('node:v8');
const [aidPath, maxSecondsArg] = process.argv.slice(-2);
const maxSeconds = Number(maxSecondsArg);
const committedMb = () => v8.getHeapStatistics().total_heap_size / 1048576;

const window = [];
for (let round = 0; round < 30; round++) {
  window.push(Array.from({ length: 100000 }, (_, i) => ({ i, text: `item ${round} ${i}` })));
  if (window.length > 8) window.shift();
}
window.length = 0;
const afterBurst = committedMb();
const burstEnded = Date.now();

async function main() {
  const aid = aidPath === 'none' ? null : (await import(process.getBuiltinModule('node:url').pathToFileURL(aidPath).href)).startMemoryReducerAid({ v8Version: process.versions.v8 });
  const timer = setInterval(() => {
    const seconds = (Date.now() - burstEnded) / 1000;
    const now = committedMb();
    if (now < afterBurst / 3) {
      console.log(`V8 gave back ${Math.round(afterBurst - now)} of ${Math.round(afterBurst)} MB of committed heap ${seconds.toFixed(0)} s after the burst (aid ${aid ? (aid.active ? 'on' : 'not needed on this V8') : 'not started'})`);
      clearInterval(timer);
      aid?.stop();
    } else if (seconds > maxSeconds) {
      console.error(`V8's committed heap was still ${Math.round(now)} MB (${Math.round(afterBurst)} MB after the burst) ${maxSeconds} s after the burst: its memory reducer did not run`);
      process.exit(1);
    }
  }, 500);
}
main().catch((error) => {
  console.error(error);
  process.exit(1);
});
