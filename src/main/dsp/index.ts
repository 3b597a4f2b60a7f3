// Signal conditioning: resampling, baseline removal, zero-phase filters, the beat-window chain.
// All functions are pure, take Float32Array samples in physical units, and return new arrays.
export { DspError } from './errors';
export { fillInvalid, hasInvalid } from './invalid';
export { ArrayLead, asLead, type Lead, type LeadInput } from './lead';
export { runningMedian, runningMedianHeap, cascadedMedian, quantise, runningMedianCodes } from './median';
export { butterLowpass, butterHighpass, sosFilter, filtfilt, filtfilt32, filtfilt32Many, type Biquad, type Sos } from './iir';
export { baseline, removeBaseline, lowpass, highpass, bandpass, oddWidth } from './filters';
export { conditionForBeats, conditionInChunks, conditionContext, BEAT_LOWPASS_HZ, type SampleReader } from './condition';
export {
  resample,
  resampleBlock,
  resampleInputSpan,
  resampledLength,
  resampleRatio,
  mapIndex,
  mapPosition,
  type Ratio,
  type ResampleOptions,
} from './resample';
export { simdAvailable } from './resample-simd';
