// Pan–Tompkins feature signal for one lead at any sampling rate: band-pass (zero phase), a
// central derivative scaled to fs, squaring, and a centred moving-window integration (kept as
// its square root, a moving RMS), so the feature's peaks sit on the QRS (no delay to undo).
import { fillInvalid } from '../dsp/invalid';
import { butterHighpass, butterLowpass, filtfilt32Many } from '../dsp/iir';
import { scratchFloat32 } from '../dsp/scratch';

export interface LeadFeatures {
  /** the lead itself, invalid samples interpolated */
  ecg: Float32Array;
  /** band-passed ECG (QRS band) */
  band: Float32Array;
  /** moving RMS of the derivative: sqrt of the moving-window integral of its square */
  rms: Float32Array;
}

export interface FeatureOptions {
  /** QRS band, Hz (default 8–20: above the P and T waves more than Pan & Tompkins' 5–15) */
  loHz: number;
  hiHz: number;
  /** integration window, s (default 0.15) */
  windowS: number;
}

export const DEFAULT_FEATURES: FeatureOptions = { loHz: 8, hiHz: 20, windowS: 0.15 };

export function leadFeatures(x: Float32Array, fs: number, o: FeatureOptions = DEFAULT_FEATURES): LeadFeatures {
  return leadFeaturesOfClean([fillInvalid(x)], fs, o)[0]!;
}

/** leadFeatures of leads without invalid samples, all of one length: band-passed two at a time. */
export function leadFeaturesOfClean(leads: Float32Array[], fs: number, o: FeatureOptions = DEFAULT_FEATURES): LeadFeatures[] {
  const sos = [...butterHighpass(fs, o.loHz, 2), ...butterLowpass(fs, Math.min(o.hiHz, 0.45 * fs), 2)];
  const n = leads[0]?.length ?? 0;
  const bands = filtfilt32Many(sos, leads, Math.min(n - 1, Math.ceil(fs)));
  return leads.map((ecg, l) => ({ ecg, band: bands[l]!, rms: movingRms(bands[l]!, fs, o.windowS) }));
}

/** Moving RMS of the derivative of band (units per second) over a centred window of windowS. */
function movingRms(band: Float32Array, fs: number, windowS: number): Float32Array {
  const n = band.length;
  const k = fs / 2; // derivative in units per second
  const w = Math.max(1, Math.round(windowS * fs));
  const half = w >> 1;
  const sq = scratchFloat32('square', n); // read only here
  sq[0] = 0;
  if (n > 1) sq[n - 1] = 0;
  for (let i = 1; i < n - 1; i++) {
    const d = (band[i + 1]! - band[i - 1]!) * k;
    sq[i] = d * d;
  }
  // centred running mean of sq over [i - half, i - half + w), then its square root
  const rms = new Float32Array(n);
  const inv = 1 / w;
  let acc = 0;
  for (let i = 0; i < Math.min(n, w - half); i++) acc += sq[i]!;
  for (let i = 0; i < n; i++) {
    rms[i] = acc > 0 ? Math.sqrt(acc * inv) : 0;
    const add = i + w - half;
    const drop = i - half;
    if (add < n) acc += sq[add]!;
    if (drop >= 0) acc -= sq[drop]!;
  }
  return rms;
}
