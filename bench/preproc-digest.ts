// Digests (sha256) of the beat-model and rhythm-model inputs for a set of records: the
// preprocessing the shipped ONNX models were trained on must not change without retraining.
// usage: npx tsx bench/preproc-digest.ts RECORD... (prints one JSON line per record)
import { createHash } from 'node:crypto';
import { extractBeatWindows } from '../src/main/beats';
import { rhythmWindows, RHYTHM_WINDOW_SEC } from '../src/main/rhythm/windows';
import { openRecord, readAnnotations } from '../src/main/wfdb';
import { aamiClassOf } from '../src/main/evaluation';

const hex = (...a: ArrayBufferView[]): string => {
  const h = createHash('sha256');
  for (const v of a) h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return h.digest('hex').slice(0, 16);
};

export async function digest(path: string): Promise<Record<string, string | number>> {
  const rec = await openRecord(path);
  const signals = (await rec.readPhysical(0, rec.nFrames)).slice(0, 2);
  const fs = rec.fs;
  await rec.close();
  const beats = Int32Array.from((await readAnnotations(path, 'atr')).filter((a) => aamiClassOf(a.code) !== null).map((a) => a.sample));
  const bw = extractBeatWindows(signals, fs, beats);
  const rw = rhythmWindows(signals[0]!, fs, RHYTHM_WINDOW_SEC);
  return {
    path,
    fs,
    beats: beats.length,
    windows: hex(bw.windows),
    scale: hex(bw.scale),
    rest: hex(bw.rr, bw.valid, bw.flags, bw.r360),
    rhythm: hex(rw.x),
    rhythmIdx: hex(rw.startSample, rw.start125, rw.nReal),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const p of process.argv.slice(2)) console.log(JSON.stringify(await digest(p)));
}
