// AF decided on readable signal only: noise makes RR intervals irregular (missed and extra
// beats) and gives the rhythm model windows it cannot read, so an AF episode of a long record
// that rests on unreadable stretches is not AF the app can report.
//  - an AF episode whose readable time (its length less the unreadable stretches inside it) is
//    shorter than the AF minimum is dropped;
//  - an episode that starts or ends inside an unreadable stretch starts or ends where readable
//    signal does;
//  - unreadable stretches inside an episode stay bridged: one episode per continuous run.
import type { Episode } from '../../shared/analysis';

type Span = { onsetSample: number; offsetSample: number };

/** Samples of [a, b) inside the (sorted, disjoint) spans. */
function overlap(spans: readonly Span[], a: number, b: number): number {
  let t = 0;
  for (const s of spans) t += Math.max(0, Math.min(b, s.offsetSample) - Math.max(a, s.onsetSample));
  return t;
}

/** The spans' union as sorted, disjoint spans: the signal quality's and the rhythm model's noise often cover the same time. */
function union(noise: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of [...noise].sort((x, y) => x.onsetSample - y.onsetSample)) {
    const last = out[out.length - 1];
    if (last && s.onsetSample <= last.offsetSample) last.offsetSample = Math.max(last.offsetSample, s.offsetSample);
    else out.push({ onsetSample: s.onsetSample, offsetSample: s.offsetSample });
  }
  return out;
}

/** The AF episodes of `episodes` gated by the unreadable stretches `noise` (others pass unchanged); minSec: the AF minimum. */
export function gateAfByQuality(episodes: readonly Episode[], noise: readonly Span[], fs: number, minSec: number): Episode[] {
  const spans = union(noise);
  const out: Episode[] = [];
  for (const e of episodes) {
    if (e.type !== 'AF' || !spans.length) {
      out.push(e);
      continue;
    }
    let on = e.onsetSample;
    let off = e.offsetSample;
    for (const s of spans) if (s.onsetSample <= on && on < s.offsetSample) on = s.offsetSample;
    for (const s of [...spans].reverse()) if (s.onsetSample < off && off <= s.offsetSample) off = s.onsetSample;
    if (off <= on) continue;
    const unreadable = overlap(spans, on, off);
    const readableSec = (off - on - unreadable) / fs;
    if (readableSec < minSec) continue;
    if (on === e.onsetSample && off === e.offsetSample) {
      out.push(e);
      continue;
    }
    out.push({ ...e, onsetSample: on, offsetSample: off, explanation: `${e.explanation}; ends moved out of unreadable signal` });
  }
  return out;
}
