"""Threshold-free and thresholded metrics on numpy arrays (no sklearn here)."""
from __future__ import annotations

import numpy as np

AAMI = ["N", "S", "V", "F", "Q"]
V = 2


def pr_curve(score: np.ndarray, positive: np.ndarray) -> dict[str, np.ndarray]:
    """Precision/recall at every distinct score used as a threshold (score >= t is positive).

    Returned arrays are ordered by decreasing threshold."""
    order = np.argsort(-score, kind="mergesort")
    s = score[order]
    y = positive[order].astype(np.float64)
    tp = np.cumsum(y)
    fp = np.cumsum(1.0 - y)
    # keep the last index of each run of equal scores (ties share one threshold)
    last = np.r_[np.nonzero(np.diff(s))[0], len(s) - 1]
    tp, fp, thr = tp[last], fp[last], s[last]
    npos = max(y.sum(), 1.0)
    precision = tp / np.maximum(tp + fp, 1.0)
    recall = tp / npos
    return {"threshold": thr, "precision": precision, "recall": recall, "tp": tp, "fp": fp}


def average_precision(score: np.ndarray, positive: np.ndarray) -> float:
    """Area under the PR curve as the step sum  sum_k (R_k - R_{k-1}) P_k (sklearn's AP)."""
    if positive.sum() == 0:
        return float("nan")
    c = pr_curve(score, positive)
    r = np.r_[0.0, c["recall"]]
    return float(np.sum(np.diff(r) * c["precision"]))


def label_at(probs: np.ndarray, threshold: float) -> np.ndarray:
    """The app's one labelling rule (src/shared/analysis.ts labelAt): V when P(V) >= threshold,
    else the most probable of the other classes."""
    other = probs.copy()
    other[:, V] = -1.0
    lab = other.argmax(axis=1)
    lab[probs[:, V] >= threshold] = V
    return lab


def confusion(true: np.ndarray, pred: np.ndarray, k: int = 5) -> np.ndarray:
    m = np.zeros((k, k), dtype=np.int64)
    np.add.at(m, (true.astype(np.int64), pred.astype(np.int64)), 1)
    return m


# EC57 (and the app's evaluate, src/main/evaluation/stats.ts): fusion and unclassifiable beats called
# V are not VEB false positives, unclassifiable beats called S are not SVEB false positives.
NOT_FALSE_POSITIVE = {V: (3, 4), 1: (4,)}


def not_false_positive(labels: np.ndarray, cls: int = V) -> np.ndarray:
    """Beats whose call as `cls` EC57 does not count against its +P."""
    return np.isin(labels, NOT_FALSE_POSITIVE.get(cls, ()))


def per_class(cm: np.ndarray) -> dict[str, dict[str, float]]:
    """Se (recall) and +P (precision) per class from a confusion matrix (rows = truth), +P the
    EC57 way (NOT_FALSE_POSITIVE rows left out of the class's calls)."""
    out = {}
    for i, name in enumerate(AAMI[: cm.shape[0]]):
        tp = cm[i, i]
        pos = cm[i, :].sum()
        pred = cm[:, i].sum() - sum(cm[r, i] for r in NOT_FALSE_POSITIVE.get(i, ()) if r < cm.shape[0])
        out[name] = {
            "se": float(tp / pos) if pos else float("nan"),
            "ppv": float(tp / pred) if pred else float("nan"),
            "n": int(pos),
        }
    return out


def choose_threshold(score: np.ndarray, positive: np.ndarray, min_recall: float) -> float:
    """Recall-first rule: the highest threshold whose recall is >= min_recall."""
    c = pr_curve(score, positive)
    ok = np.nonzero(c["recall"] >= min_recall)[0]
    if len(ok) == 0:
        return float(c["threshold"][-1])
    return float(c["threshold"][ok[0]])


def choose_threshold_ppv(score: np.ndarray, positive: np.ndarray, min_ppv: float) -> tuple[float, str]:
    """Recall first under a false-alarm budget: of the thresholds whose precision is >= min_ppv,
    the one with the highest recall (the highest such threshold among equal recalls). When no
    threshold reaches min_ppv, the one with the best F2 (recall weighted 4x). Returns (threshold,
    the rule that chose it)."""
    c = pr_curve(score, positive)
    ok = np.nonzero(c["precision"] >= min_ppv)[0]
    if len(ok):
        best = ok[np.argmax(c["recall"][ok] - 1e-9 * np.arange(len(ok)))]
        return float(c["threshold"][best]), f"the highest V recall with out-of-fold +P >= {min_ppv}"
    p, r = c["precision"], c["recall"]
    f2 = np.where(p + r > 0, 5 * p * r / np.maximum(4 * p + r, 1e-12), 0)
    return float(c["threshold"][int(np.argmax(f2))]), f"no threshold reaches +P {min_ppv}: the best F2"


def precision_recall_at(score: np.ndarray, positive: np.ndarray, thresholds: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(precision, recall, predicted count) of `score >= t` for every t in thresholds."""
    pos = np.sort(score[positive])
    neg = np.sort(score[~positive])
    tp = len(pos) - np.searchsorted(pos, thresholds, side="left")
    fp = len(neg) - np.searchsorted(neg, thresholds, side="left")
    pred = tp + fp
    return tp / np.maximum(pred, 1), tp / max(len(pos), 1), pred


def choose_threshold_groups(score: np.ndarray, positive: np.ndarray, groups: np.ndarray, min_ppv: float,
                            min_pred: int = 20, ignore: np.ndarray | None = None) -> tuple[float, str]:
    """The threshold rule across databases: of the thresholds whose precision is >= min_ppv in
    every group (database) that makes at least min_pred positive calls there, the one with the
    highest pooled recall (the highest such threshold among equal recalls), so the operating point
    means the same false-alarm budget on every database. ignore: beats left out of the precision
    (EC57's fusion and unclassifiable beats called V: `not_false_positive`). Falls back to the
    pooled rule."""
    if ignore is not None and ignore.any():
        keep = ~ignore
        score, positive, groups = score[keep], positive[keep], groups[keep]
    grid = np.unique(np.r_[np.quantile(score[positive], np.linspace(0, 1, 401)) if positive.any() else [],
                           np.linspace(0.01, 0.99, 99)])
    ok = np.ones(len(grid), dtype=bool)
    for gname in sorted(set(groups)):
        m = groups == gname
        p, _, pred = precision_recall_at(score[m], positive[m], grid)
        ok &= (p >= min_ppv) | (pred < min_pred)
    if len(set(groups)) < 2 or not ok.any():
        return choose_threshold_ppv(score, positive, min_ppv)
    _, r, _ = precision_recall_at(score, positive, grid)
    cand = np.nonzero(ok)[0]
    best = cand[np.lexsort((-grid[cand], -r[cand]))[0]]
    return float(grid[best]), (f"the highest pooled V recall with out-of-fold +P >= {min_ppv} on every database"
                                + (" (+P the EC57 way: fusion and unclassifiable beats called V not counted)" if ignore is not None else ""))


def calibration_bins(prob: np.ndarray, positive: np.ndarray, edges: np.ndarray | None = None) -> list[dict]:
    """Reliability table: per bin of predicted probability, the mean prediction, the observed
    positive fraction and the count (empty bins left out)."""
    edges = np.array([0, 0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.95, 0.98, 1.0001]) if edges is None else edges
    out = []
    for lo, hi in zip(edges[:-1], edges[1:]):
        m = (prob >= lo) & (prob < hi)
        if m.any():
            out.append({"lo": float(lo), "hi": float(min(hi, 1.0)), "predicted": float(prob[m].mean()),
                        "observed": float(positive[m].mean()), "n": int(m.sum())})
    return out


def ambiguous_share(probs: np.ndarray, level: float = 0.8) -> float:
    """Share of beats whose most probable class has probability < level: how unsure the model is
    of a record as a whole (a record unlike its training data scores high)."""
    return float((probs.max(axis=1) < level).mean()) if len(probs) else 0.0
