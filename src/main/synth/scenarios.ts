// The scripted contents of each scenario. `demo` is the app's bundled record: every overlay and
// review feature has something to show. `holter` is a 24-hour day: circadian heart rate,
// activity bouts raising rate and noise, a few % PVCs, hours of paroxysmal AF, VT runs, pauses.
import { DEFAULT_HRV } from './hrv';
import type { NoiseOptions } from './noise';
import { NO_ECTOPY, type Ectopy, type Plan, type Segment } from './plan';
import type { Rng } from './prng';

export const SCENARIOS = ['demo', 'holter', 'normal', 'af', 'pvc'] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

/** Default length of each scenario, minutes. */
export const DEFAULT_MINUTES: Record<ScenarioName, number> = { demo: 10, holter: 1440, normal: 10, af: 10, pvc: 10 };

const MILD_NOISE: NoiseOptions = { snrDb: 18, baseline: 0.5, muscle: 0.3, motion: 0.2 };

export function isScenario(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s);
}

/** The plan of scenario `name` for `minutes` minutes; `rng` draws whatever the scenario leaves to chance. */
export function scenarioPlan(name: ScenarioName, minutes: number, rng: Rng): Plan {
  const seconds = minutes * 60;
  switch (name) {
    case 'demo':
      return demo(seconds, rng);
    case 'holter':
      return holter(seconds, rng);
    case 'normal':
      return steady(seconds, rng, [], NO_ECTOPY, 0.5);
    case 'af':
      return steady(seconds, rng, [{ kind: 'af', seconds, pvc: 0.01 }], NO_ECTOPY, 0.5);
    case 'pvc': {
      const pvc: Ectopy = { pvc: 0.12, pac: 0.01, multifocal: 0.3, couplet: 0.1, triplet: 0.02 };
      const s = (f: number) => f * seconds;
      return steady(
        seconds,
        rng,
        [
          { kind: 'sinus', seconds: s(0.3), ectopy: pvc },
          { kind: 'bigeminy', seconds: s(0.1) },
          { kind: 'sinus', seconds: s(0.3), ectopy: pvc },
          { kind: 'trigeminy', seconds: s(0.1) },
        ],
        pvc,
        0.5
      );
    }
  }
}

function steady(seconds: number, rng: Rng, segments: Segment[], fill: Ectopy, activity: number): Plan {
  const bpm0 = rng.uniform(62, 78);
  const period = rng.uniform(180, 400);
  return {
    seconds,
    segments,
    fill,
    bpm: (t) => bpm0 + 3 * Math.sin((2 * Math.PI * t) / period),
    activity: () => activity,
    hrv: DEFAULT_HRV,
    foci: 4,
    // the SNR holds at the record's (constant) activity, so --snr gives the noise level asked for
    noise: { ...MILD_NOISE, atActivity: activity },
  };
}

/**
 * 10 minutes (times scale with `seconds`): sinus with scattered unifocal PVCs, a couplet, PACs
 * with multifocal PVCs, bigeminy, trigeminy, an 8-beat VT run, a 2.5 s sinus arrest, 2 minutes
 * of AF, then sinus with occasional multifocal PVCs.
 */
function demo(seconds: number, rng: Rng): Plan {
  const k = seconds / 600;
  const uni: Ectopy = { pvc: 0.03, pac: 0.01, multifocal: 0, couplet: 0, triplet: 0 };
  const tail: Ectopy = { pvc: 0.02, pac: 0.01, multifocal: 0.4, couplet: 0, triplet: 0 };
  const sinus = (sec: number, ectopy: Ectopy = NO_ECTOPY): Segment => ({ kind: 'sinus', seconds: sec * k, ectopy });
  const focus = (f: number): Segment => ({ kind: 'pvc', run: 1, focus: f });
  const plan = steady(
    seconds,
    rng,
    [
      sinus(50, uni),
      { kind: 'pvc', run: 2 },
      // PACs and one PVC from each secondary focus (multifocal), scripted so every shape shows
      sinus(8),
      focus(1),
      sinus(7),
      { kind: 'pac' },
      sinus(7),
      focus(2),
      sinus(6),
      { kind: 'pac' },
      sinus(8),
      focus(3),
      sinus(6),
      { kind: 'pac' },
      sinus(8),
      { kind: 'bigeminy', seconds: 40 * k },
      sinus(40, uni),
      { kind: 'trigeminy', seconds: 24 * k },
      sinus(36, uni),
      { kind: 'vt', beats: 8, bpm: 170 },
      sinus(45, uni),
      { kind: 'pause', seconds: 2.5 },
      sinus(30, uni),
      { kind: 'af', seconds: 120 * k, pvc: 0.01 },
    ],
    tail,
    1
  );
  return plan;
}

interface Bout {
  start: number;
  end: number;
  level: number;
}

/** Smooth 0→1→0 plateau over [start, end] with `ramp`-second raised-cosine edges. */
function plateau(t: number, start: number, end: number, ramp: number): number {
  if (t <= start || t >= end) return 0;
  const r = Math.min(ramp, (end - start) / 2);
  if (t < start + r) return 0.5 - 0.5 * Math.cos((Math.PI * (t - start)) / r);
  if (t > end - r) return 0.5 - 0.5 * Math.cos((Math.PI * (end - t)) / r);
  return 1;
}

function holter(seconds: number, rng: Rng): Plan {
  const startHour = 9; // the recording starts at 09:00
  const hourAt = (t: number) => (startHour + t / 3600) % 24;
  const asleep = (h: number) => h >= 23 || h < 7;
  // Activity bouts while awake: every ~50 min on average, 5–40 min long.
  const bouts: Bout[] = [];
  for (let t = rng.uniform(0, 1800); t < seconds; t += rng.uniform(1200, 4800)) {
    if (asleep(hourAt(t))) continue;
    const len = rng.uniform(300, 2400);
    bouts.push({ start: t, end: t + len, level: rng.uniform(0.3, 1) });
  }
  const activity = (t: number): number => {
    const h = hourAt(t);
    let a = asleep(h) ? 0 : 0.15;
    for (const b of bouts) if (t > b.start && t < b.end) a = Math.max(a, b.level * plateau(t, b.start, b.end, 120));
    return a;
  };
  const bpm = (t: number) => 64 + 8 * Math.cos((2 * Math.PI * (hourAt(t) - 16)) / 24) - (asleep(hourAt(t)) ? 4 : 0) + 55 * activity(t);

  // Episodes placed at random, never overlapping each other (AF first: it is the longest).
  const scale = seconds / 86400;
  const count = (perDay: number, min: number) => Math.max(min, Math.round(perDay * scale));
  const taken: [number, number][] = [];
  const place = (len: number, pick: () => number): number | null => {
    for (let tries = 0; tries < 50; tries++) {
      const t = pick();
      if (t < 30 || t + len > seconds - 30) continue;
      if (taken.some(([a, b]) => t < b + 20 && t + len > a - 20)) continue;
      taken.push([t, t + len]);
      return t;
    }
    return null;
  };
  const anywhere = () => rng.uniform(0, seconds);
  const events: { at: number; seg: Segment; len: number }[] = [];
  const add = (len: number, seg: Segment, pick = anywhere) => {
    const at = place(len, pick);
    if (at !== null) events.push({ at, seg, len });
  };
  for (let i = count(2, 1); i > 0; i--) {
    const len = rng.uniform(0.04, 0.08) * seconds;
    add(len, { kind: 'af', seconds: len, pvc: 0.01 });
  }
  for (let i = count(3, 0); i > 0; i--) {
    const len = Math.min(rng.uniform(60, 480), 0.05 * seconds);
    add(len, { kind: 'bigeminy', seconds: len });
  }
  for (let i = count(2, 0); i > 0; i--) {
    const len = Math.min(rng.uniform(60, 300), 0.05 * seconds);
    add(len, { kind: 'trigeminy', seconds: len });
  }
  for (let i = count(4, 1); i > 0; i--) add(10, { kind: 'vt', beats: rng.int(4, 15), bpm: rng.uniform(130, 200), focus: rng.int(0, 1) });
  const night = () => {
    // mostly at night: 02:00–05:00 of the first night when the record covers it
    const t = ((26 - startHour) % 24) * 3600 + rng.uniform(0, 3 * 3600);
    return t < seconds && rng.chance(0.75) ? t : anywhere();
  };
  for (let i = count(4, 1); i > 0; i--) {
    const len = rng.uniform(2.1, 3.5);
    add(len + 5, { kind: 'pause', seconds: len }, night);
  }
  events.sort((a, b) => a.at - b.at);

  const fill: Ectopy = { pvc: 0.022, pac: 0.006, multifocal: 0.2, couplet: 0.06, triplet: 0.01 };
  const segments: Segment[] = [];
  let t = 0;
  for (const e of events) {
    segments.push({ kind: 'sinus', seconds: e.at - t, ectopy: fill }, e.seg);
    t = e.at + (e.seg.kind === 'af' || e.seg.kind === 'bigeminy' || e.seg.kind === 'trigeminy' ? e.len : 0);
  }
  return {
    seconds,
    segments,
    fill,
    bpm,
    activity,
    hrv: DEFAULT_HRV,
    foci: 4,
    noise: { snrDb: 12, baseline: 0.4, muscle: 0.4, motion: 0.2 },
  };
}
