// The adaptable top of the beat model as a stack of dense layers: x → [W·x + b → ReLU]… → W·x + b
// → softmax. One layer is the head on the embedding (probs = softmax(embedding·Wᵀ + b)); two are
// the embedding layer and the head on the features before it (embedding = ReLU(features·W₁ᵀ + b₁)).
// Fitted from the parent's weights: sample-weighted cross-entropy + L2 pull toward the parent,
// full-batch Adam, early stopping on a validation set (the best epoch's weights are kept).
import { CancelledError, type CancelToken } from '../inference/cancel';

export interface Dense {
  /** out × in, row-major (the ONNX Gemm weight layout with transB = 1, as PyTorch exports Linear). */
  W: Float32Array;
  b: Float32Array;
  out: number;
  in: number;
}

/** Layers in order; every layer but the last is followed by a ReLU, the last by a softmax. */
export interface Net {
  layers: Dense[];
}

export interface Labelled {
  /** n × in rows (the first layer's input). */
  x: Float32Array;
  /** Class index per row. */
  y: Uint8Array;
  /** Sample weight per row (the weighted loss divides by their sum). */
  w: Float64Array;
  n: number;
  /**
   * Soft targets, n × K, for rows marked in `soft` (the others use their class y): cross-entropy
   * against a distribution, e.g. the parent's own probabilities on replay beats (distillation).
   */
  t?: Float32Array;
  soft?: Uint8Array;
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

export interface NetTrainResult {
  net: Net;
  curve: EpochPoint[];
  bestEpoch: number;
  stoppedEarly: boolean;
}

export interface TrainHooks {
  cancel?: CancelToken;
  onEpoch?: (p: EpochPoint, bestEpoch: number) => void;
}

/** Flat float64 parameters [W₀, b₀, W₁, b₁, …] and their offsets. */
interface Layout {
  dims: { out: number; in: number; w: number; b: number }[];
  P: number;
}

function layoutOf(net: Net): Layout {
  let o = 0;
  const dims = net.layers.map((l, i) => {
    if (i && l.in !== net.layers[i - 1]!.out) throw new Error(`layer ${i} takes ${l.in} values, layer ${i - 1} gives ${net.layers[i - 1]!.out}`);
    if (l.W.length !== l.out * l.in || l.b.length !== l.out) throw new Error(`layer ${i}: weights are not [${l.out}, ${l.in}] and [${l.out}]`);
    const d = { out: l.out, in: l.in, w: o, b: o + l.out * l.in };
    o = d.b + l.out;
    return d;
  });
  return { dims, P: o };
}

function flatten(net: Net, L: Layout): Float64Array {
  const t = new Float64Array(L.P);
  net.layers.forEach((l, i) => {
    t.set(l.W, L.dims[i]!.w);
    t.set(l.b, L.dims[i]!.b);
  });
  return t;
}

function unflatten(t: Float64Array, L: Layout): Net {
  return {
    layers: L.dims.map((d) => ({ out: d.out, in: d.in, W: Float32Array.from(t.subarray(d.w, d.b)), b: Float32Array.from(t.subarray(d.b, d.b + d.out)) })),
  };
}

/**
 * Forward pass of one row through flat float64 parameters (theta = [W₀, b₀, W₁, b₁, …]): acts[l]
 * receives layer l's output (after ReLU for hidden layers, the softmax for the last). One typed-array
 * type per argument, so V8 keeps the inner loops monomorphic (the training loop runs it n × epochs).
 */
function forwardRow(t: Float64Array, L: Layout, x: Float32Array, xi: number, acts: Float64Array[]): void {
  const nL = L.dims.length;
  for (let l = 0; l < nL; l++) {
    const d = L.dims[l]!;
    const a = acts[l]!;
    const din = d.in;
    if (l === 0) {
      for (let k = 0; k < d.out; k++) {
        let s = t[d.b + k]!;
        const r = d.w + k * din;
        for (let j = 0; j < din; j++) s += x[xi + j]! * t[r + j]!;
        a[k] = s;
      }
    } else {
      const prev = acts[l - 1]!;
      for (let k = 0; k < d.out; k++) {
        let s = t[d.b + k]!;
        const r = d.w + k * din;
        for (let j = 0; j < din; j++) s += prev[j]! * t[r + j]!;
        a[k] = s;
      }
    }
    if (l < nL - 1) {
      for (let k = 0; k < d.out; k++) if (a[k]! < 0) a[k] = 0;
    } else {
      let max = -Infinity;
      for (let k = 0; k < d.out; k++) if (a[k]! > max) max = a[k]!;
      let sum = 0;
      for (let k = 0; k < d.out; k++) sum += a[k] = Math.exp(a[k]! - max);
      for (let k = 0; k < d.out; k++) a[k] = a[k]! / sum;
    }
  }
}

/** n × K probabilities of the net on n rows (float64 arithmetic, float32 out). */
export function netProbs(net: Net, x: Float32Array, n: number): Float32Array {
  const L = layoutOf(net);
  const K = L.dims[L.dims.length - 1]!.out;
  const F = L.dims[0]!.in;
  const acts = L.dims.map((d) => new Float64Array(d.out));
  const out = new Float32Array(n * K);
  const last = acts[acts.length - 1]!;
  const t = flatten(net, L);
  for (let i = 0; i < n; i++) {
    forwardRow(t, L, x, i * F, acts);
    for (let k = 0; k < K; k++) out[i * K + k] = last[k]!;
  }
  return out;
}

/** The hidden layers' output (for a two-layer net: the embedding) of n rows, float32. */
export function netHidden(net: Net, x: Float32Array, n: number): Float32Array {
  const L = layoutOf(net);
  if (L.dims.length < 2) throw new Error('netHidden: a one-layer net has no hidden layer');
  const H = L.dims[L.dims.length - 2]!.out;
  const F = L.dims[0]!.in;
  const acts = L.dims.map((d) => new Float64Array(d.out));
  const out = new Float32Array(n * H);
  const t = flatten(net, L);
  for (let i = 0; i < n; i++) {
    forwardRow(t, L, x, i * F, acts);
    const h = acts[acts.length - 2]!;
    for (let k = 0; k < H; k++) out[i * H + k] = h[k]!;
  }
  return out;
}

/** Weighted mean cross-entropy of a net on labelled rows (no regulariser). */
export function netLoss(net: Net, s: Labelled): number {
  if (!s.n) return NaN;
  const K = net.layers[net.layers.length - 1]!.out;
  const p = netProbs(net, s.x, s.n);
  let l = 0;
  let ws = 0;
  for (let i = 0; i < s.n; i++) {
    if (s.soft?.[i]) for (let k = 0; k < K; k++) l -= s.w[i]! * s.t![i * K + k]! * Math.log(Math.max(p[i * K + k]!, 1e-12));
    else l -= s.w[i]! * Math.log(Math.max(p[i * K + s.y[i]!]!, 1e-12));
    ws += s.w[i]!;
  }
  return ws > 0 ? l / ws : NaN;
}

/**
 * Weighted mean cross-entropy of the flat parameters on the rows (weights divided by wsum) and its
 * gradient, written into grad (backpropagation through the softmax, the layers and their ReLUs).
 */
function accumulate(theta: Float64Array, L: Layout, set: Labelled, wsum: number, grad: Float64Array, acts: Float64Array[], deltas: Float64Array[]): number {
  const nL = L.dims.length;
  const F = L.dims[0]!.in;
  grad.fill(0);
  let loss = 0;
  for (let i = 0; i < set.n; i++) {
    const xi = i * F;
    forwardRow(theta, L, set.x, xi, acts);
    const wi = set.w[i]! / wsum;
    const yi = set.y[i]!;
    const p = acts[nL - 1]!;
    const dz = deltas[nL - 1]!;
    // output delta: wi · (p − target), then back through the layers
    if (set.soft?.[i]) {
      const K = p.length;
      for (let k = 0; k < K; k++) {
        const tk = set.t![i * K + k]!;
        if (tk > 0) loss -= wi * tk * Math.log(Math.max(p[k]!, 1e-300));
        dz[k] = wi * (p[k]! - tk);
      }
    } else {
      loss -= wi * Math.log(Math.max(p[yi]!, 1e-300));
      for (let k = 0; k < p.length; k++) dz[k] = wi * (p[k]! - (k === yi ? 1 : 0));
    }
    for (let l = nL - 1; l >= 0; l--) {
      const d = L.dims[l]!;
      const dl = deltas[l]!;
      const inp = l ? acts[l - 1]! : null;
      const below = l ? deltas[l - 1]! : null;
      if (below) below.fill(0);
      for (let k = 0; k < d.out; k++) {
        const g = dl[k]!;
        if (g === 0) continue;
        const r = d.w + k * d.in;
        if (inp) {
          for (let j = 0; j < d.in; j++) {
            grad[r + j] += g * inp[j]!;
            below![j] += g * theta[r + j]!;
          }
        } else for (let j = 0; j < d.in; j++) grad[r + j] += g * set.x[xi + j]!;
        grad[d.b + k] += g;
      }
      // through the ReLU of the layer below: no gradient where it was off
      if (below && inp) for (let j = 0; j < d.in; j++) if (!(inp[j]! > 0)) below[j] = 0;
    }
  }
  return loss;
}

/** The training loss (weighted mean cross-entropy, no regulariser) and its gradient in the layers' shapes (for tests). */
export function netLossGradient(net: Net, set: Labelled): { loss: number; grad: Net } {
  const L = layoutOf(net);
  let wsum = 0;
  for (let i = 0; i < set.n; i++) wsum += set.w[i]!;
  const grad = new Float64Array(L.P);
  const loss = accumulate(
    flatten(net, L),
    L,
    set,
    wsum,
    grad,
    L.dims.map((d) => new Float64Array(d.out)),
    L.dims.map((d) => new Float64Array(d.out))
  );
  return { loss, grad: unflatten(grad, L) };
}

/** Adam's state over the flat parameters, and the parent's parameters the L2 term pulls toward. */
interface AdamState {
  theta: Float64Array;
  theta0: Float64Array;
  grad: Float64Array;
  m: Float64Array;
  v: Float64Array;
}

const ADAM = { b1: 0.9, b2: 0.999, eps: 1e-8 };

/** One Adam step on theta, after adding the L2 pull toward theta0 to the gradient; returns the pull's loss term. */
function stepTowardParent(s: AdamState, epoch: number, o: TrainOptions): number {
  const { theta, theta0, grad, m, v } = s;
  const { b1, b2, eps } = ADAM;
  const P = theta.length;
  let reg = 0;
  for (let j = 0; j < P; j++) {
    const dlt = theta[j]! - theta0[j]!;
    reg += dlt * dlt;
    grad[j] += o.l2 * dlt;
  }
  const c1 = 1 - Math.pow(b1, epoch);
  const c2 = 1 - Math.pow(b2, epoch);
  for (let j = 0; j < P; j++) {
    m[j] = b1 * m[j]! + (1 - b1) * grad[j]!;
    v[j] = b2 * v[j]! + (1 - b2) * grad[j]! * grad[j]!;
    theta[j] -= (o.lr * (m[j]! / c1)) / (Math.sqrt(v[j]! / c2) + eps);
  }
  return 0.5 * o.l2 * reg;
}

/**
 * Fits the net on `train` starting from (and pulled toward) `parent`. With a non-empty `val`
 * the weights of the epoch with the lowest validation loss are returned (epoch 0 = the parent).
 */
export function trainNet(parent: Net, train: Labelled, val: Labelled | null, o: TrainOptions = DEFAULT_TRAIN, hooks: TrainHooks = {}): NetTrainResult {
  const L = layoutOf(parent);
  const P = L.P;
  const theta0 = flatten(parent, L);
  const theta = Float64Array.from(theta0);
  const adam: AdamState = { theta, theta0, grad: new Float64Array(P), m: new Float64Array(P), v: new Float64Array(P) };
  let wsum = 0;
  for (let i = 0; i < train.n; i++) wsum += train.w[i]!;
  if (!(wsum > 0)) throw new Error('no training weight: the training set is empty');
  const acts = L.dims.map((d) => new Float64Array(d.out));
  const deltas = L.dims.map((d) => new Float64Array(d.out));

  const hasVal = !!val && val.n > 0;
  let best = unflatten(theta, L);
  let bestVal = hasVal ? netLoss(best, val!) : NaN;
  let bestEpoch = 0;
  const curve: EpochPoint[] = [{ epoch: 0, train: NaN, val: bestVal }];
  let stoppedEarly = false;

  for (let epoch = 1; epoch <= o.maxEpochs; epoch++) {
    if (hooks.cancel?.aborted) throw new CancelledError('fine-tuning cancelled');
    let loss = accumulate(theta, L, train, wsum, adam.grad, acts, deltas);
    loss += stepTowardParent(adam, epoch, o);
    const net = unflatten(theta, L);
    const vl = hasVal ? netLoss(net, val!) : NaN;
    const point = { epoch, train: loss, val: vl };
    curve.push(point);
    if (hasVal) {
      if (vl < bestVal - o.minDelta) {
        bestVal = vl;
        best = net;
        bestEpoch = epoch;
      } else if (epoch - bestEpoch >= o.patience) {
        hooks.onEpoch?.(point, bestEpoch);
        stoppedEarly = true;
        break;
      }
    } else {
      best = net;
      bestEpoch = epoch;
    }
    hooks.onEpoch?.(point, bestEpoch);
  }
  return { net: best, curve, bestEpoch, stoppedEarly };
}
