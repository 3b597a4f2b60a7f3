"""Threshold-free V figures of `analyze` outputs against the reference beats, per database:

  /usr/bin/python3 -m hbs.oof_ap --data W/ds1 W/svdb --scores OUT/atr OUT/detect

For each --scores directory (`analyze` CSVs of the datasets' records, on the reference beat
positions or on the app's QRS detector) every analysed beat is matched to the nearest reference
beat within 150 ms (one to one, the EC57 window); a reference V beat with no analysed beat is a V
missed at every threshold. Analysed beats with no reference beat are left out: the datasets do not
hold the reference's ventricular flutter episodes, which EC57 skips and where most of them lie
(MIT-BIH 207's flutter waves), so the figures score the classification of the beats the marks
found, not QRS detection (`evaluate` scores both, with the exclusions). Prints AP(V) and
V +P at fixed V recalls per database: two runs, or the same run on two kinds of beat marks, compared
without the threshold rule's choice in between (scripts/beat-oof-modes.sh writes such directories).
Fusion and unclassifiable beats called V are not counted as false (EC57)."""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import numpy as np

from .beats import record_databases, record_names
from .common import load_dir
from .metrics import V, average_precision, not_false_positive, pr_curve

RECALLS = (0.90, 0.95, 0.97)


def match(ref: np.ndarray, test: np.ndarray, tol: int) -> np.ndarray:
    """For each reference sample (sorted) the index of its test sample (sorted) within tol, or -1;
    nearest first, one to one."""
    out = np.full(len(ref), -1, dtype=np.int64)
    if len(test) == 0:
        return out
    j = np.clip(np.searchsorted(test, ref), 1, len(test) - 1) if len(test) > 1 else np.zeros(len(ref), np.int64)
    cand = np.stack([j - 1, j], axis=1) if len(test) > 1 else j[:, None]
    dist = np.abs(test[cand] - ref[:, None])
    order = np.argsort(dist.min(axis=1), kind="stable")
    taken = np.zeros(len(test), dtype=bool)
    for i in order:
        for k in np.argsort(dist[i], kind="stable"):
            t = cand[i, k]
            if dist[i, k] <= tol and not taken[t]:
                taken[t] = True
                out[i] = t
                break
    return out


def scored(dirs: list[str], scores: Path) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per database: (P(V), or -inf for a reference beat with no analysed beat; its reference class)."""
    per_db: dict[str, list] = {}
    for p in dirs:
        d = load_dir(p, ["labels", "record", "sample"])
        names, dbs = record_names(d), record_databases(d, p)
        fs_of = {str(r["name"]): float(r["fs"]) for r in d["meta"]["records"]}
        for name in dict.fromkeys(names):
            f = scores / f"{name}.csv"
            if not f.exists():
                raise SystemExit(f"{f}: missing (every record of {p} must be analysed)")
            with f.open() as fh:
                rows = [(int(r["sample"]), float(r["pvc_score"])) for r in csv.DictReader(fh)]
            ts = np.array([s for s, _ in rows], dtype=np.int64)
            tv = np.array([v for _, v in rows])
            order = np.argsort(ts, kind="stable")
            ts, tv = ts[order], tv[order]
            m = np.nonzero(names == name)[0]
            rs, rl = d["sample"][m].astype(np.int64), d["labels"][m].astype(np.int64)
            k = match(rs, ts, int(round(0.15 * fs_of[name])))
            pv = np.where(k >= 0, tv[np.maximum(k, 0)], -np.inf)
            acc = per_db.setdefault(str(dbs[m[0]]), [[], []])
            acc[0].append(pv)
            acc[1].append(rl)
    return {db: (np.concatenate(a[0]), np.concatenate(a[1])) for db, a in per_db.items()}


def figures(pv: np.ndarray, lab: np.ndarray) -> dict:
    """AP(V) and V +P at RECALLS (recall over all reference V beats, missed ones included)."""
    keep = ~not_false_positive(lab)
    pv, isv = pv[keep], lab[keep] == V
    seen = np.isfinite(pv)
    frac = isv[seen].sum() / max(1, isv.sum())  # the share of V beats that got a score at all
    c = pr_curve(pv[seen], isv[seen])
    rec = np.asarray(c["recall"]) * frac
    prec = np.asarray(c["precision"])
    out = {"apV": average_precision(pv[seen], isv[seen]) * frac, "nV": int(isv.sum())}
    for r in RECALLS:
        ok = rec >= r
        out[f"ppv@{r:.2f}"] = float(prec[ok].max()) if ok.any() else float("nan")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, nargs="+", help="beat datasets (reference beats) of the analysed records")
    ap.add_argument("--scores", required=True, nargs="+", help="directories of analyze CSVs (<record>.csv)")
    a = ap.parse_args(argv)
    print("scores | database | V beats | AP(V) | " + " | ".join(f"+P at Se {r:.2f}" for r in RECALLS))
    for s in a.scores:
        for db, (pv, lab) in sorted(scored(a.data, Path(s)).items()):
            f = figures(pv, lab)
            print(f"{s} | {db} | {f['nV']} | {f['apV']:.4f} | " + " | ".join(f"{f[f'ppv@{r:.2f}']:.3f}" for r in RECALLS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
