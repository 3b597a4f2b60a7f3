"""Morphology consensus: a beat the model is unsure of is pulled towards the call of the beats of its
record that look most like it, as a Holter scanner labels a morphology family rather than each
beat alone. PVCs of one focus repeat their shape across a record; a single beat's P(V) wavers with
noise and timing, its family's does not.

For a beat whose P(V) lies in (band, 1 - band):
    logit P'(V) = (1 - weight) * logit P(V) + weight * logit(median P(V) of its k nearest beats)
nearest by Euclidean distance of the morphology feature (both leads of the normalised window,
-83..+128 ms around R, every 4th sample at 360 Hz: 2 x 20 values), among the other beats of the
same block (a record split into equal blocks of at most BLOCK beats, so a 24-hour Holter compares a
beat with its own hour). The other classes keep their ratios and share 1 - P'(V). Beats outside the
band keep their probabilities. src/main/beats/consensus.ts is the app's copy of this rule."""
from __future__ import annotations

import numpy as np

from .metrics import V

FEATURE_FROM, FEATURE_TO, FEATURE_STEP = 60, 140, 4
BLOCK = 4096
P_CLIP = 1e-6
GRID_K = (3, 5, 10)
GRID_WEIGHT = (0.2, 0.3, 0.4, 0.5)
BAND = 0.01


def morphology_features(windows: np.ndarray) -> np.ndarray:
    """[n, 2, 216] normalised beat windows -> [n, 40] float32."""
    return np.ascontiguousarray(windows[:, :, FEATURE_FROM:FEATURE_TO:FEATURE_STEP], dtype=np.float32).reshape(len(windows), -1)


def blocks(n: int, block: int = BLOCK) -> list[tuple[int, int]]:
    """[from, to) of ceil(n / block) blocks of equal size (the last ones one shorter)."""
    count = max(1, -(-n // block))
    edges = [(i * n) // count for i in range(count + 1)]
    return [(edges[i], edges[i + 1]) for i in range(count)]


def logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, P_CLIP, 1 - P_CLIP)
    return np.log(p / (1 - p))


def neighbours(features: np.ndarray, pv: np.ndarray, records: np.ndarray, k: int, band: float = BAND,
               block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """(query beat indices, [q, k] indices of their nearest beats): queries are the beats with P(V)
    inside the band; beats are in record order, each record's beats contiguous and in time order."""
    qs, nbs = [], []
    starts = np.r_[0, np.nonzero(records[1:] != records[:-1])[0] + 1, len(records)]
    for r0, r1 in zip(starts[:-1], starts[1:]):
        for b0, b1 in blocks(int(r1 - r0), block):
            idx = np.arange(r0 + b0, r0 + b1)
            q = idx[(pv[idx] > band) & (pv[idx] < 1 - band)]
            if len(q) == 0 or len(idx) < 2:
                continue
            f, fq = features[idx].astype(np.float64), features[q].astype(np.float64)
            d = (fq * fq).sum(1)[:, None] + (f * f).sum(1)[None, :] - 2 * fq @ f.T
            d[np.arange(len(q)), q - idx[0]] = np.inf  # not itself
            order = np.argsort(d, axis=1, kind="stable")[:, :k]
            nb = np.full((len(q), k), -1, dtype=np.int64)  # -1: a block of fewer than k + 1 beats has no more
            kk = min(k, len(idx) - 1)
            nb[:, :kk] = idx[order[:, :kk]]
            qs.append(q)
            nbs.append(nb)
    if not qs:
        return np.zeros(0, dtype=np.int64), np.zeros((0, k), dtype=np.int64)
    return np.concatenate(qs), np.concatenate(nbs)


def apply(probs: np.ndarray, q: np.ndarray, nb: np.ndarray, k: int, weight: float) -> np.ndarray:
    """probs [n, 5] with the consensus applied to the query beats (neighbour lists from `neighbours`)."""
    out = probs.astype(np.float64).copy()
    if len(q) == 0:
        return out
    pv = out[:, V]
    near = nb[:, :k]
    z = (1 - weight) * logit(pv[q]) + weight * logit(np.nanmedian(np.where(near >= 0, pv[np.maximum(near, 0)], np.nan), axis=1))
    new = 1 / (1 + np.exp(-z))
    rest = 1 - pv[q]
    scale = np.where(rest > 0, (1 - new) / np.maximum(rest, 1e-12), 0.0)
    out[q] *= scale[:, None]
    out[q, V] = new
    return out


def consensus(probs: np.ndarray, features: np.ndarray, records: np.ndarray, k: int, weight: float, band: float = BAND,
              block: int = BLOCK) -> np.ndarray:
    q, nb = neighbours(features, probs[:, V], records, k, band, block)
    return apply(probs, q, nb, k, weight)


def choose(probs: np.ndarray, features: np.ndarray, records: np.ndarray, score) -> tuple[dict, list[dict]]:
    """The (k, weight) of the grid with the highest score(probs after consensus) (pooled out-of-fold
    V recall at the threshold rule); within 0.001 of the best, the smaller weight, then the smaller k
    (the least change to the model's own call). Returns the manifest entry and the grid."""
    q, nb = neighbours(features, probs[:, V], records, max(GRID_K))
    grid = []
    for k in GRID_K:
        for w in GRID_WEIGHT:
            grid.append({"k": k, "weight": w, "score": float(score(apply(probs, q, nb, k, w)))})
    best = max(g["score"] for g in grid)
    pick = min((g for g in grid if g["score"] >= best - 1e-3), key=lambda g: (g["weight"], g["k"]))
    return {"k": pick["k"], "weight": pick["weight"], "band": BAND, "block": BLOCK,
            "feature": {"from": FEATURE_FROM, "to": FEATURE_TO, "step": FEATURE_STEP}}, grid
