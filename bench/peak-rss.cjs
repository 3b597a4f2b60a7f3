// Preloaded into a benchmarked process (NODE_OPTIONS=--require): at exit, writes the process's own
// peak RSS and CPU time (all threads: the analysis worker is a thread) to HBS_BENCH_USAGE_FILE.
const { writeFileSync } = require('node:fs');

const file = process.env.HBS_BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssMB: u.maxRSS / 1024, cpuS: (u.userCPUTime + u.systemCPUTime) / 1e6 }));
  });
}
