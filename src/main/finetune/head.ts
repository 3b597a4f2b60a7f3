// The beat model's linear head on its embedding: probs = softmax(embedding · Wᵀ + b), W [K, D],
// b [K] (ONNX initializers head.weight / head.bias): the one-layer case of net.ts.
import { netLoss, netProbs, trainNet, DEFAULT_TRAIN, type EpochPoint, type Labelled, type Net, type TrainHooks, type TrainOptions } from './net';

export { DEFAULT_TRAIN, type EpochPoint, type Labelled, type TrainHooks, type TrainOptions } from './net';

export interface Head {
  K: number;
  D: number;
  /** K × D, row-major (the ONNX head.weight layout). */
  W: Float32Array;
  b: Float32Array;
}

export interface TrainResult {
  head: Head;
  curve: EpochPoint[];
  bestEpoch: number;
  stoppedEarly: boolean;
}

export const headNet = (h: Head): Net => ({ layers: [{ W: h.W, b: h.b, out: h.K, in: h.D }] });
const netHead = (n: Net): Head => {
  const l = n.layers[n.layers.length - 1]!;
  return { K: l.out, D: l.in, W: l.W, b: l.b };
};

/** n × K probabilities of the head on n × D embeddings (float64 arithmetic, float32 out). */
export function headProbs(h: Head, x: Float32Array, n: number): Float32Array {
  return netProbs(headNet(h), x, n);
}

/** Weighted mean cross-entropy of a head on labelled rows (no regulariser). */
export function weightedLoss(h: Head, s: Labelled): number {
  return netLoss(headNet(h), s);
}

/**
 * Fits the head on `train` starting from (and pulled toward) `parent`. With a non-empty `val`
 * the weights of the epoch with the lowest validation loss are returned (epoch 0 = the parent).
 */
export function trainHead(parent: Head, train: Labelled, val: Labelled | null, o: TrainOptions = DEFAULT_TRAIN, hooks: TrainHooks = {}): TrainResult {
  const r = trainNet(headNet(parent), train, val, o, hooks);
  return { head: netHead(r.net), curve: r.curve, bestEpoch: r.bestEpoch, stoppedEarly: r.stoppedEarly };
}
