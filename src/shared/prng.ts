// One small seeded PRNG for every place that needs reproducible randomness outside the
// synthetic generator (which has its own multi-stream xoshiro in src/main/synth/prng.ts):
// k-means seeding in the renderer, held-out splits in fine-tuning, fuzz tests.

/** mulberry32: a fast 32-bit PRNG with uniform output in [0, 1); the same seed gives the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
