"""The PVC threshold for records analysed with one lead, by the shipped threshold's own rule applied to
single-lead out-of-fold scores:

  /usr/bin/python3 -m hbs.single_lead --run training/work/beats/run --data W/ds1 W/svdb --scores W/analyze-oof-lead0

One lead carries less evidence than two, so at the two-lead threshold the single-lead +P falls below
the rule's budget (svdb: 0.87 at 0.12); a threshold of its own keeps the promise that a threshold
means the same false-alarm budget whatever the record. --scores holds `analyze --beats atr --leads 0
--models FOLD` CSVs of every cross-validation record, each by the fold model that never saw it (the
app's whole path: single-lead input, consensus). Writes crossValidation.singleLead in train.json and
`singleLeadThreshold` in the fold models' manifests (hbs.card_beats writes the shipped one)."""
from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path

import numpy as np

from .beats import record_databases, record_names
from .common import load_dir, write_json
from .metrics import V, choose_threshold_groups, not_false_positive


def joined_scores(dirs: list[str], scores: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """(labels, database, P(V)) of the datasets' beats found in the records' CSVs (by sample), and
    the records with no CSV."""
    lab, db, pv, missing = [], [], [], []
    for p in dirs:
        d = load_dir(p, ["labels", "record", "sample", "flags"])
        names, dbs = record_names(d), record_databases(d, p)
        for name in dict.fromkeys(names):
            f = scores / f"{name}.csv"
            if not f.exists():
                missing.append(name)
                continue
            with f.open() as fh:
                by_sample = {int(r["sample"]): float(r["pvc_score"]) for r in csv.DictReader(fh)}
            m = np.nonzero(names == name)[0]
            got = [(i, by_sample[int(d["sample"][i])]) for i in m if int(d["sample"][i]) in by_sample]
            if len(got) < len(m):
                raise SystemExit(f"{f}: {len(m) - len(got)} of the record's {len(m)} reference beats have no score (not an --beats atr analysis?)")
            lab.append(d["labels"][m].astype(np.int64))
            db.append(dbs[m])
            pv.append(np.array([s for _, s in got]))
    if not lab:
        raise SystemExit(f"{scores}: no record's CSV found")
    return np.concatenate(lab), np.concatenate(db), np.concatenate(pv), missing


def figures(pv: np.ndarray, lab: np.ndarray, thr: float) -> dict:
    """V Se and +P (EC57: fusion and unclassifiable beats called V not counted) at thr."""
    ign = not_false_positive(lab)
    pos, isv = pv >= thr, lab == V
    tp, fp = int((pos & isv).sum()), int((pos & ~isv & ~ign).sum())
    return {"se": tp / max(1, int(isv.sum())), "ppv": tp / max(1, tp + fp), "n": int(isv.sum())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="a hbs.beats output directory made with --folds")
    ap.add_argument("--data", required=True, nargs="+", help="the run's --data directories")
    ap.add_argument("--scores", required=True, help="directory of the single-lead out-of-fold analyses (<record>.csv)")
    a = ap.parse_args(argv)
    run = Path(a.run)
    info = json.loads((run / "train.json").read_text())
    cv = info.get("crossValidation")
    if not cv:
        raise SystemExit(f"{run}/train.json: not a cross-validated run (no crossValidation)")
    lab, db, pv, missing = joined_scores(a.data, Path(a.scores))
    if missing:
        raise SystemExit(f"{a.scores}: no analysis of {' '.join(missing)}: every cross-validation record is needed")
    min_ppv = float(info["hyper"]["min_ppv"])
    thr, rule = choose_threshold_groups(pv, lab == V, db, min_ppv, ignore=not_false_positive(lab))
    two = float(info["val"]["threshold"])
    by_db = {name: {"atThreshold": figures(pv[db == name], lab[db == name], thr),
                    "atTwoLeadThreshold": figures(pv[db == name], lab[db == name], two)}
             for name in sorted(set(db))}
    for name, r in by_db.items():
        t, o = r["atThreshold"], r["atTwoLeadThreshold"]
        print(f"  single-lead out-of-fold {name}: V Se {t['se']:.3f} +P {t['ppv']:.3f} at {thr:.4f} "
              f"(at the two-lead threshold {two:.4f}: Se {o['se']:.3f} +P {o['ppv']:.3f})")
    cv["singleLead"] = {"threshold": round(thr, 6), "rule": f"{rule}, on lead 0 alone (the app's single-lead input and consensus)",
                        "byDatabase": by_db}
    write_json(run / "train.json", info)
    for f in sorted((run / "folds").glob("f*/manifest.json")):
        doc = json.loads(f.read_text())
        for e in doc["models"]:
            if e.get("task") == "beat":
                e["singleLeadThreshold"] = round(thr, 6)
        write_json(f, doc)
    print(f"single-lead threshold {thr:.4f} ({rule})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
