/**
 * Loaded with `node --import` into a process the benchmarks time as a whole: at exit it writes the
 * process's own CPU time (user + system, every thread) and peak RSS to the file named by
 * BENCH_USAGE_FILE, so the figure covers start-up, module loading and shutdown too.
 */
import { writeFileSync } from 'node:fs';

const file = process.env['BENCH_USAGE_FILE'];
if (file) {
  process.on('exit', () => {
    const cpu = process.cpuUsage();
    writeFileSync(file, JSON.stringify({ cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
  });
}
