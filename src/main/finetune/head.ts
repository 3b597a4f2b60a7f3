// The beat model's linear head on its embedding: probs = softmax(embedding · Wᵀ + b), W [K, D],
// b [K] (ONNX initializers head.weight / head.bias). Multinomial logistic regression fitted from
// the parent's weights: sample-weighted cross-entropy + L2 pull toward the parent, full-batch Adam,
// early stopping on a validation set (best epoch kept).
import { CancelledError, type CancelToken } from '../inference/cancel';

export interface Head {
  K: number;
  D: number;
  /** K × D, row-major (the ONNX head.weight layout). */
  W: Float32Array;
  b: Float32Array;
}

export interface Labelled {
  /** n × D embeddings. */
  x: Float32Array;
  /** Class index per row. */
  y: Uint8Array;
  /** Sample weight per row (the weighted loss divides by their sum). */
  w: Float64Array;
  n: number;
}

/** n × K probabilities of the head on n × D embeddings (float64 arithmetic, float32 out). */
export function headProbs(h: Head, x: Float32Array, n: number): Float32Array {
  const { K, D, W, b } = h;
  const out = new Float32Array(n * K);
  const z = new Float64Array(K);
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) {
      let s = b[k]!;
      for (let d = 0; d < D; d++) s += x[i * D + d]! * W[k * D + d]!;
      z[k] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
    for (let k = 0; k < K; k++) out[i * K + k] = z[k]! / sum;
  }
  return out;
}

/** Weighted mean cross-entropy of a head on labelled rows (no regulariser). */
export function weightedLoss(h: Head, s: Labelled): number {
  if (!s.n) return NaN;
  const p = headProbs(h, s.x, s.n);
  let l = 0;
  let ws = 0;
  for (let i = 0; i < s.n; i++) {
    l -= s.w[i]! * Math.log(Math.max(p[i * h.K + s.y[i]!]!, 1e-12));
    ws += s.w[i]!;
  }
  return ws > 0 ? l / ws : NaN;
}

export interface TrainOptions {
  /** L2 strength toward the parent weights (on the mean loss). */
  l2: number;
  /** Adam step size. */
  lr: number;
  maxEpochs: number;
  /** Epochs without a better validation loss before stopping. */
  patience: number;
  /** Smallest improvement of the validation loss that counts. */
  minDelta: number;
}

export const DEFAULT_TRAIN: TrainOptions = { l2: 0.01, lr: 0.02, maxEpochs: 300, patience: 30, minDelta: 1e-4 };

export interface EpochPoint {
  epoch: number;
  /** Weighted training loss (cross-entropy + L2 term). */
  train: number;
  /** Weighted validation cross-entropy (NaN without a validation set). */
  val: number;
}

export interface TrainResult {
  head: Head;
  curve: EpochPoint[];
  bestEpoch: number;
  stoppedEarly: boolean;
}

export interface TrainHooks {
  cancel?: CancelToken;
  onEpoch?: (p: EpochPoint, bestEpoch: number) => void;
}

/**
 * Fits the head on `train` starting from (and pulled toward) `parent`. With a non-empty `val`
 * the weights of the epoch with the lowest validation loss are returned (epoch 0 = the parent).
 */
export function trainHead(parent: Head, train: Labelled, val: Labelled | null, o: TrainOptions = DEFAULT_TRAIN, hooks: TrainHooks = {}): TrainResult {
  const { K, D } = parent;
  const P = K * D + K;
  // Parameters: W (K·D) then b (K), in float64.
  const theta = new Float64Array(P);
  const theta0 = new Float64Array(P);
  for (let i = 0; i < K * D; i++) theta[i] = theta0[i] = parent.W[i]!;
  for (let k = 0; k < K; k++) theta[K * D + k] = theta0[K * D + k] = parent.b[k]!;
  const grad = new Float64Array(P);
  const m = new Float64Array(P);
  const v = new Float64Array(P);
  const b1 = 0.9;
  const b2 = 0.999;
  const eps = 1e-8;
  let wsum = 0;
  for (let i = 0; i < train.n; i++) wsum += train.w[i]!;
  if (!(wsum > 0)) throw new Error('no training weight: the training set is empty');
  const z = new Float64Array(K);

  const asHead = (t: Float64Array): Head => ({ K, D, W: Float32Array.from(t.subarray(0, K * D)), b: Float32Array.from(t.subarray(K * D)) });
  const hasVal = !!val && val.n > 0;
  let best = asHead(theta);
  let bestVal = hasVal ? weightedLoss(best, val!) : NaN;
  let bestEpoch = 0;
  const curve: EpochPoint[] = [{ epoch: 0, train: NaN, val: bestVal }];
  let stoppedEarly = false;

  for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
    if (hooks.cancel?.aborted) throw new CancelledError('fine-tuning cancelled');
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < train.n; i++) {
      const xi = i * D;
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = theta[K * D + k]!;
        for (let d = 0; d < D; d++) s += train.x[xi + d]! * theta[k * D + d]!;
        z[k] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let k = 0; k < K; k++) sum += z[k] = Math.exp(z[k]! - max);
      const wi = train.w[i]! / wsum;
      const yi = train.y[i]!;
      loss -= wi * Math.log(Math.max(z[yi]! / sum, 1e-300));
      for (let k = 0; k < K; k++) {
        const g = wi * (z[k]! / sum - (k === yi ? 1 : 0));
        if (g === 0) continue;
        for (let d = 0; d < D; d++) grad[k * D + d] += g * train.x[xi + d]!;
        grad[K * D + k] += g;
      }
    }
    let reg = 0;
    for (let j = 0; j < P; j++) {
      const dlt = theta[j]! - theta0[j]!;
      reg += dlt * dlt;
      grad[j] += o.l2 * dlt;
    }
    loss += 0.5 * o.l2 * reg;
    const c1 = 1 - Math.pow(b1, epoch);
    const c2 = 1 - Math.pow(b2, epoch);
    for (let j = 0; j < P; j++) {
      m[j] = b1 * m[j]! + (1 - b1) * grad[j]!;
      v[j] = b2 * v[j]! + (1 - b2) * grad[j]! * grad[j]!;
      theta[j] -= (o.lr * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + eps);
    }
    const h = asHead(theta);
    const vl = hasVal ? weightedLoss(h, val!) : NaN;
    const point = { epoch, train: loss, val: vl };
    curve.push(point);
    if (hasVal) {
      if (vl < bestVal - o.minDelta) {
        bestVal = vl;
        best = h;
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= o.patience) {
        hooks.onEpoch?.(point, bestEpoch);
        stoppedEarly = true;
        break;
      }
    } else {
      best = h;
      bestEpoch = epoch;
    }
    hooks.onEpoch?.(point, bestEpoch);
  }
  return { head: best, curve, bestEpoch, stoppedEarly };
}
