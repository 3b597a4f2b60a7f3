// Child process of beats.bench.ts: loads one record's leads and beats from raw files, then times
// one call and measures the peak memory it adds, in a fresh process where nothing else is in the way.
// usage: node --expose-gc --import tsx bench/beats.measure.ts DIR FS beats|rhythm
import { closeSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractBeatWindows } from '../src/main/beats';
import { rhythmWindows } from '../src/main/rhythm/windows';

/** The file's bytes read straight into a new buffer (no intermediate copy left behind as garbage). */
function raw(file: string): ArrayBuffer {
  const size = statSync(file).size;
  const buf = new ArrayBuffer(size);
  const view = new Uint8Array(buf);
  const fd = openSync(file, 'r');
  try {
    for (let done = 0; done < size;) {
      const got = readSync(fd, view, done, size - done, done);
      if (got === 0) throw new Error(`${file}: short read`);
      done += got;
    }
  } finally {
    closeSync(fd);
  }
  return buf;
}

function vmHwm(): number {
  const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

const [dir, fsArg, what] = process.argv.slice(2);
if (!dir || !fsArg || (what !== 'beats' && what !== 'rhythm')) throw new Error('usage: beats.measure.ts DIR FS beats|rhythm');
const fs = Number(fsArg);
const signals = [new Float32Array(raw(join(dir, 'lead0.f32'))), new Float32Array(raw(join(dir, 'lead1.f32')))];
const beats = new Int32Array(raw(join(dir, 'beats.i32')));
(globalThis as { gc?: () => void }).gc?.();
let canReset = true;
try {
  writeFileSync('/proc/self/clear_refs', '5');
} catch {
  canReset = false;
}
const base = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const t = performance.now();
let n: number;
let outBytes: number;
if (what === 'beats') {
  const b = extractBeatWindows(signals, fs, beats);
  n = b.valid.length;
  outBytes = b.windows.byteLength + b.rr.byteLength + b.scale.byteLength + b.valid.byteLength + b.flags.byteLength + b.r360.byteLength;
} else {
  const r = rhythmWindows(signals[0]!, fs, 5);
  n = r.startSample.length;
  outBytes = r.x.byteLength + r.startSample.byteLength * 3;
}
const ms = performance.now() - t;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(JSON.stringify({ ms, cpuMs, n, outBytes, peakExtra: canReset ? vmHwm() - base : null }) + '\n');
