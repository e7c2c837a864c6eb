/**
 * Preloaded with `node --import` into each process the whole-process benchmarks time: at exit it
 * writes the process's own CPU time (user + system, µs) and peak RSS (KB) to the file named by
 * BENCH_CPU_REPORT. Asked of the process itself, so no reading of /proc races its end.
 */
import { writeFileSync } from 'node:fs';

const file = process.env['BENCH_CPU_REPORT'];
if (file) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ userUs: cpu.user, systemUs: cpu.system, maxRssKb: process.resourceUsage().maxRSS }));
  });
}
