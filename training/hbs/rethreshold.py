"""Re-apply the stated operating-point rules (S logit offset, V threshold: `beats.operating_point`)
to a finished cross-validated run's out-of-fold probabilities, without training again:

  /usr/bin/python3 -m hbs.rethreshold --run training/work/beats/run --data W/ds1 W/svdb

Training does not depend on these rules, so the result is what a fresh `hbs.beats` run with the
same seed writes. Updates train.json (threshold, S rule, figures) and the fold models' manifests (the
card step writes the shipped manifest). A run whose S offset was added to head.bias (before the
supraventricular rule moved it to the manifest) cannot be re-ruled: it says so."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from . import consensus as morph
from .beats import operating_point, record_databases, record_names, reference_af
from .common import load_dir, save_npy, write_json


def load_index(dirs: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
    """(labels, record, database, in reference AF or None) per beat of the datasets, in hbs.beats'
    order (no windows read)."""
    datasets = [load_dir(p, ["labels", "record", "flags"]) for p in dirs]
    return (np.concatenate([d["labels"].astype(np.int64) for d in datasets]),
            np.concatenate([record_names(d) for d in datasets]),
            np.concatenate([record_databases(d, p) for d, p in zip(datasets, dirs)]),
            reference_af(datasets, dirs))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True, help="a hbs.beats output directory made with --folds")
    ap.add_argument("--data", required=True, nargs="+", help="the run's --data directories, in the same order")
    ap.add_argument("--no-consensus", dest="consensus", action="store_false", help="leave out the morphology consensus (hbs.consensus)")
    a = ap.parse_args(argv)
    run = Path(a.run)
    info = json.loads((run / "train.json").read_text())
    cv = info.get("crossValidation")
    if not cv:
        raise SystemExit(f"{run}/train.json: not a cross-validated run (no crossValidation)")
    lab, rec, db, in_af = load_index(a.data)
    saved = np.load(run / "val_labels.npy").astype(np.int64)
    if len(saved) != len(lab) or (saved != lab).any():
        raise SystemExit(f"{run}/val_labels.npy does not match the beats of {a.data}")
    if "supraventricular" not in cv and float(cv.get("sOffset", 0.0)) != 0.0:
        raise SystemExit(f"{run}: its S offset is in head.bias (made before the supraventricular rule): retrain")
    # the model's own out-of-fold probabilities (val_probs.npy holds them after the S rule)
    src = run / "oof_probs.npy" if (run / "oof_probs.npy").exists() else run / "val_probs.npy"
    oof = np.load(src).astype(np.float64)
    h = info["hyper"]
    features = np.concatenate([morph.morphology_features(np.load(f"{p}/windows.npy", mmap_mode="r")) for p in a.data]) if a.consensus else None
    op = operating_point(oof, lab, db, rec, float(h["min_ppv"]), float(h["min_s_ppv"]), float(info["minRecall"]), in_af, features)
    thr = op["threshold"]
    info["val"] = op["val"]
    info["thresholdRule"] = op["thresholdRule"]
    cv.update(sOffset=op["sOffset"], sOffsetGrid=op["sOffsetGrid"], supraventricular=op["supraventricular"],
              byDatabase=op["byDatabase"], thresholdRule=op["thresholdRule"], recallRule=op["recallRule"],
              consensus=op["consensus"], consensusGrid=op["consensusGrid"])
    write_json(run / "train.json", info)
    if src.name == "val_probs.npy":
        save_npy(run / "oof_probs.npy", oof.astype(np.float32))
    save_npy(run / "val_probs.npy", op["probs"].astype(np.float32))
    for m in sorted((run / "folds").glob("f*/manifest.json")):
        doc = json.loads(m.read_text())
        for entry in doc["models"]:
            entry["defaultThreshold"] = round(thr, 6)
            entry["supraventricular"] = op["supraventricular"]
            entry.pop("consensus", None)
            if op["consensus"]:
                entry["consensus"] = op["consensus"]
        write_json(m, doc)
    pc = op["val"]["perClass"]["V"]
    print(f"{run}: threshold {thr:.4f} ({op['thresholdRule']}) -> out-of-fold V Se {pc['se']:.3f} +P {pc['ppv']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
