// One analysis benchmark case in a fresh process (so peak RSS is this case's own): runs the
// analysis in its worker, watches the main thread's event loop, prints one JSON line.
// usage: node --import tsx bench/analysis-case.ts <record> '<AnalyzeSettings JSON>' [--warm]
// --warm: analyse once more in the same (warm) worker and report that run too.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { AnalysisWorker, type AnalyzeSettings } from '../src/main/analysis';

const [record, json, warmFlag] = process.argv.slice(2);
if (!record) throw new Error('usage: analysis-case.ts <record|--idle SECONDS> [settings JSON]');
if (record === '--idle') {
  // Baseline: the same measurement on an idle main thread (what the machine itself adds).
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const elu0 = performance.eventLoopUtilization();
  await new Promise((r) => setTimeout(r, Number(json ?? 5) * 1000));
  const elu = performance.eventLoopUtilization(elu0);
  loop.disable();
  console.log(JSON.stringify({ mainBusyMs: elu.active, maxStallMs: loop.max / 1e6, p99StallMs: loop.percentile(99) / 1e6 }));
  process.exit(0);
}
const settings = JSON.parse(json ?? '{}') as AnalyzeSettings;
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
// Which stage the longest stall fell in: a 20-ms timer's lateness, tagged with the current stage.
let stage = 'start';
let worst = { ms: 0, stage };
let last = performance.now();
const timer = setInterval(() => {
  const now = performance.now();
  if (now - last - 20 > worst.ms) worst = { ms: now - last - 20, stage };
  last = now;
}, 20);
const cpu0 = process.cpuUsage();
const elu0 = performance.eventLoopUtilization();
const t0 = performance.now();
const worker = new AnalysisWorker();
const a = await worker.analyze(record, settings, (p) => (stage = p.stage)).promise;
const wallMs = performance.now() - t0;
let warm: { wallMs: number; pipelineMs: number } | null = null;
if (warmFlag === '--warm') {
  const t1 = performance.now();
  const b = await worker.analyze(record, settings).promise;
  warm = { wallMs: performance.now() - t1, pipelineMs: b.timingsMs.totalMs ?? NaN };
}
await worker.close();
const cpu = process.cpuUsage(cpu0);
const elu = performance.eventLoopUtilization(elu0);
clearInterval(timer);
loop.disable();
console.log(
  JSON.stringify({
    wallMs,
    timingsMs: a.timingsMs,
    beats: a.summary.beats,
    pvcCount: a.summary.pvcCount,
    models: a.models,
    cpuMs: (cpu.user + cpu.system) / 1000,
    warm,
    mainBusyMs: elu.active,
    maxStallMs: loop.max / 1e6,
    worstStall: worst,
    p99StallMs: loop.percentile(99) / 1e6,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  })
);
