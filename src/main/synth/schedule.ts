// The beat schedule: when each beat fires, what kind it is, which shape it has and which rhythm
// it belongs to — the ground truth, decided before any sample is drawn. Times are seconds (so the
// same seed gives the same rhythm at any sampling rate).
//
// Physiology encoded here:
// - Sinus node: a clock with RR = 60/bpm(t) × (1 + HRV(t)) that keeps running under ectopy.
// - PVC: premature (coupling 0.5–0.7 RR, fixed per focus), no P wave; the sinus beats that fall
//   within the ventricles' refractory period (0.6 RR after the last ventricular beat) are not
//   conducted, so an isolated PVC is followed by a full compensatory pause (pre + post = 2 RR).
// - PAC: premature (0.6–0.78 RR) with an ectopic P wave; it resets the sinus node (next sinus
//   beat 1.0–1.08 RR later), so the pause is not compensatory (pre + post < 2 RR).
// - Runs of ≥ 3 PVCs are ventricular tachycardia ("(VT", as in MIT-BIH) at 120–220 bpm.
// - AF: RR independent and log-normal (CV ≈ 0.22) around 1.3 × the sinus rate, no P waves.
// - Sinus arrest: no beat for the pause's length.
import { createHrv, type Modulation } from './hrv';
import type { MorphologySet } from './morphology';
import type { Ectopy, Plan, Segment } from './plan';
import type { Rng } from './prng';

export type BeatCode = 'N' | 'A' | 'V';

/** MIT-BIH rhythm labels used by the generator. */
export type RhythmLabel = '(N' | '(AFIB' | '(VT' | '(B' | '(T';

export interface ScheduledBeat {
  /** Fiducial (R-peak) time, seconds. */
  time: number;
  code: BeatCode;
  /** Index into MorphologySet.shapes. */
  shape: number;
  /** P-wave scale: 1 when the beat is conducted from an atrial depolarisation, 0 otherwise. */
  p: number;
  /** QRS/T amplitude scale per lead (breathing modulation and beat-to-beat jitter). */
  gain: readonly [number, number];
  rhythm: RhythmLabel;
}

export interface Schedule {
  beats: ScheduledBeat[];
  /** Sinus arrests: [last beat before, first beat after], seconds. */
  pauses: { start: number; end: number }[];
  /** Breathing rate shared with the HRV and the baseline wander, Hz. */
  respHz: number;
}

const REFRACTORY = 0.6; // × RR after a ventricular beat, during which sinus beats are not conducted
const VT_RR_MIN = 60 / 220;
const VT_RR_MAX = 60 / 120;

export function buildSchedule(plan: Plan, morph: MorphologySet, rng: Rng): Schedule {
  const respHz = rng.uniform(0.2, 0.3);
  const hrv: Modulation = createHrv(rng, { ...plan.hrv, hfHz: respHz });
  const b = new Builder(plan, morph, rng, hrv, respHz);
  for (const seg of plan.segments) {
    if (b.done) break;
    b.segment(seg);
  }
  if (!b.done) b.sinus(plan.seconds - b.clock, plan.fill);
  return { beats: b.beats, pauses: b.pauses, respHz };
}

class Builder {
  readonly beats: ScheduledBeat[] = [];
  readonly pauses: { start: number; end: number }[] = [];
  /** Planned time of the current segment boundary. */
  clock = 0;
  done = false;
  private sinusNext: number;
  private lastV = -Infinity;
  private readonly coupling: number[];
  private readonly respMod: [number, number];
  private readonly respPhase: [number, number];

  constructor(
    private readonly plan: Plan,
    private readonly morph: MorphologySet,
    private readonly rng: Rng,
    private readonly hrv: Modulation,
    private readonly respHz: number
  ) {
    this.sinusNext = rng.uniform(0.3, 0.8) * this.rr(0);
    this.coupling = morph.foci.map(() => rng.uniform(0.5, 0.7));
    this.respMod = [rng.uniform(0.04, 0.08), rng.uniform(0.06, 0.12)];
    this.respPhase = [2 * Math.PI * rng.next(), 2 * Math.PI * rng.next()];
  }

  /** Sinus RR at time t. */
  rr(t: number): number {
    return (60 / this.plan.bpm(t)) * (1 + this.hrv(t));
  }

  get last(): ScheduledBeat | undefined {
    return this.beats[this.beats.length - 1];
  }

  private lastTime(): number {
    return this.last?.time ?? 0;
  }

  private emit(time: number, code: BeatCode, shape: number, p: number, rhythm: RhythmLabel): void {
    if (this.done) return;
    if (time >= this.plan.seconds) {
      this.done = true;
      return;
    }
    const g = (l: 0 | 1) => (1 + this.respMod[l] * Math.sin(2 * Math.PI * this.respHz * time + this.respPhase[l])) * (1 + 0.02 * this.rng.normal());
    this.beats.push({ time, code, shape, p, gain: [g(0), g(1)], rhythm });
    if (code === 'V') this.lastV = time;
  }

  /** Advances the sinus clock past the beats the ventricles could not conduct. */
  private block(): void {
    while (this.sinusNext < this.lastV + REFRACTORY * this.rr(this.sinusNext)) this.sinusNext += this.rr(this.sinusNext);
  }

  private emitSinus(rhythm: RhythmLabel): void {
    const t = this.sinusNext;
    this.emit(t, 'N', this.morph.sinus, 1, rhythm);
    this.sinusNext = t + this.rr(t);
  }

  private pickFocus(multifocal: number): number {
    const n = this.morph.foci.length;
    return n > 1 && this.rng.chance(multifocal) ? 1 + this.rng.int(0, n - 2) : 0;
  }

  segment(seg: Segment): void {
    switch (seg.kind) {
      case 'sinus':
        return this.sinus(seg.seconds, seg.ectopy ?? this.plan.fill);
      case 'af':
        return this.af(seg.seconds, seg.pvc ?? 0);
      case 'bigeminy':
        return this.pattern(seg.seconds, 1, '(B');
      case 'trigeminy':
        return this.pattern(seg.seconds, 2, '(T');
      case 'vt':
        this.ensureBeat();
        this.vt(seg.beats, seg.bpm, seg.focus ?? 0);
        break;
      case 'pvc':
        this.ensureBeat();
        this.pvcRun(seg.run, seg.multifocal ? 1 : 0, '(N', seg.focus);
        break;
      case 'pac':
        this.ensureBeat();
        this.pac('(N');
        break;
      case 'pause':
        this.ensureBeat();
        this.pause(seg.seconds);
        break;
    }
    this.clock = Math.max(this.clock, this.lastTime());
  }

  /** Ectopic events need a preceding beat to be premature to. */
  private ensureBeat(): void {
    if (this.beats.length === 0 || this.last!.code !== 'N') this.emitSinus('(N');
  }

  sinus(seconds: number, e: Ectopy): void {
    const end = this.clock + seconds;
    while (!this.done && this.sinusNext < end) {
      const last = this.last;
      if (last && last.code === 'N' && last.rhythm === '(N') {
        const u = this.rng.next();
        if (u < e.pvc) {
          const v = this.rng.next();
          const run = v < e.triplet ? 3 : v < e.triplet + e.couplet ? 2 : 1;
          this.pvcRun(run, e.multifocal, '(N');
          continue;
        }
        if (u < e.pvc + e.pac) {
          this.pac('(N');
          continue;
        }
      }
      this.emitSinus('(N');
    }
    this.clock = end;
  }

  /** `run` consecutive PVCs premature to the last beat (from `focus` when given); runs of ≥ 3 are VT. */
  private pvcRun(run: number, multifocal: number, rhythm: RhythmLabel, focus?: number): void {
    const t0 = this.lastTime();
    const rr = this.rr(t0);
    const label: RhythmLabel = run >= 3 ? '(VT' : rhythm;
    const pick = () => (focus === undefined ? this.pickFocus(multifocal) : Math.min(focus, this.morph.foci.length - 1));
    let f = pick();
    let t = t0 + this.coupling[f]! * rr * (1 + 0.02 * this.rng.normal());
    for (let i = 0; i < run; i++) {
      if (i > 0) {
        f = pick();
        const gap = this.rng.uniform(0.5, 0.7) * rr;
        t += run >= 3 ? Math.min(VT_RR_MAX, Math.max(VT_RR_MIN, gap)) : Math.max(0.3, gap);
      }
      this.emit(t, 'V', this.morph.foci[f]!, 0, label);
    }
    this.block();
  }

  private pac(rhythm: RhythmLabel): void {
    const t0 = this.lastTime();
    const rr = this.rr(t0);
    const t = t0 + this.rng.uniform(0.6, 0.78) * rr;
    this.emit(t, 'A', this.morph.pac, 1, rhythm);
    this.sinusNext = t + rr * this.rng.uniform(1.0, 1.08);
  }

  /** Repeating groups of `k` sinus beats and one PVC of the dominant focus (k = 1 bigeminy, 2 trigeminy). */
  private pattern(seconds: number, k: number, label: RhythmLabel): void {
    const end = this.clock + seconds;
    let started = false;
    while (!this.done && this.sinusNext < end) {
      for (let i = 0; i < k; i++) this.emitSinus(started ? label : '(N');
      const t0 = this.lastTime();
      this.emit(t0 + this.coupling[0]! * this.rr(t0) * (1 + 0.02 * this.rng.normal()), 'V', this.morph.foci[0]!, 0, label);
      started = true;
      this.block();
    }
    this.clock = end;
  }

  private vt(beats: number, bpm: number, focus: number): void {
    const rrV = 60 / bpm;
    const t0 = this.lastTime();
    let t = t0 + Math.min(rrV * this.rng.uniform(1.0, 1.15), 0.9 * (this.sinusNext - t0));
    const shape = this.morph.foci[Math.min(focus, this.morph.foci.length - 1)]!;
    for (let i = 0; i < beats; i++) {
      if (i > 0) t += Math.min(VT_RR_MAX, Math.max(VT_RR_MIN, rrV * (1 + 0.03 * this.rng.normal())));
      this.emit(t, 'V', shape, 0, '(VT');
    }
    this.block();
  }

  private af(seconds: number, pvc: number): void {
    const end = this.clock + seconds;
    let t = this.lastTime();
    while (!this.done) {
      const mean = 60 / (1.3 * this.plan.bpm(t));
      const z = this.rng.normal();
      const rr = Math.min(2, Math.max(0.28, mean * Math.exp(0.22 * z - 0.0242)));
      const last = this.last;
      if (pvc > 0 && last && last.code !== 'V' && this.rng.chance(pvc)) {
        const tv = t + Math.max(0.3, this.rng.uniform(0.5, 0.7) * mean);
        if (tv >= end) break;
        this.emit(tv, 'V', this.morph.foci[this.pickFocus(0.3)]!, 0, '(AFIB');
        t = tv;
        continue;
      }
      if (t + rr >= end) break;
      t += rr;
      this.emit(t, 'N', this.morph.sinus, 0, '(AFIB');
    }
    // Sinus rhythm resumes after a short post-conversion pause.
    const tl = this.lastTime();
    this.sinusNext = tl + this.rr(tl) * this.rng.uniform(1.1, 1.4);
    this.clock = end;
  }

  private pause(seconds: number): void {
    const t0 = this.lastTime();
    this.sinusNext = t0 + seconds;
    const n = this.beats.length;
    this.emitSinus('(N');
    if (this.beats.length > n) this.pauses.push({ start: t0, end: this.lastTime() });
  }
}
