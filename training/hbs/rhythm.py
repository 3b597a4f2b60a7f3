"""Train the rhythm model on a `heartbeat-sensei dataset --kind rhythm` directory.

  /usr/bin/python3 -m hbs.rhythm --data training/work/rhythm/all --out training/work/rhythm/run

Record-wise splits (documented in training/README.md), chosen before any training:
  - mitdb: test = DS2 (de Chazal 2004), validation = 119 201 208, train = the other records;
  - cinc2017, vfdb, cudb: recordings sorted by name; index i % 5 == 0 → test (20 %),
    i % 10 == 3 → validation (10 %), the rest train.
Early stopping on the validation mean of AP(AF) and AP(VT) (with --vf-class: AP of VT or VF, P(VT) + P(VF)).
--vf-class: flutter/fibrillation windows (vf.npy, scripts/rhythm-vf-labels.ts) become a fifth class VF. Writes beat-free artefacts into --out:
rhythm.onnx, train.json (history, split, PyTorch test figures), test_*.npy, parity/*.npy."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from .common import MITDB_DS2, clean_json, export_onnx, fit_epoch, load_dir, save_npy, start_run, write_json
from .metrics import average_precision, confusion
from .rhythm_model import RhythmNet, augment_rhythm, focal_loss

CLASSES = ["other", "AF", "VT", "noise"]
WINDOW_SEC = 10  # the model's window (src/main/rhythm/windows.ts)
WINDOW_FS = 125
DS2 = list(MITDB_DS2)
MITDB_VAL = ["119", "201", "208"]


def auc(score: np.ndarray, positive: np.ndarray) -> float:
    """Area under the ROC curve (Mann-Whitney, ties half); NaN without both classes."""
    pos, neg = score[positive], score[~positive]
    if not len(pos) or not len(neg):
        return float("nan")
    order = np.argsort(np.concatenate([pos, neg]), kind="mergesort")
    ranks = np.empty(len(order))
    allv = np.concatenate([pos, neg])[order]
    i = 0
    while i < len(allv):  # average ranks over ties
        j = i
        while j + 1 < len(allv) and allv[j + 1] == allv[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def record_ids(meta: dict) -> list[tuple[str, str]]:
    """(db, name) of each meta.records entry: objects with db/name fields or 'db/name' paths."""
    out = []
    for r in meta.get("records", []):
        if isinstance(r, str):
            parts = r.replace("\\", "/").split("/")
            out.append((parts[-2] if len(parts) > 1 else "", parts[-1]))
        else:
            name = str(r.get("name") or r.get("record"))
            db = str(r.get("db") or r.get("database") or "")
            if not db and "/" in str(r.get("path", "")):
                db = str(r["path"]).replace("\\", "/").split("/")[-2]
            out.append((db, name.split("/")[-1]))
    return out


def split_of(db: str, name: str, sorted_names: list[str]) -> str:
    if db == "mitdb":
        return "test" if name in DS2 else "val" if name in MITDB_VAL else "train"
    i = sorted_names.index(name)
    return "test" if i % 5 == 0 else "val" if i % 10 == 3 else "train"


def record_splits(ids: list[tuple[str, str]]) -> list[str]:
    by_db: dict[str, list[str]] = {}
    for db, name in ids:
        by_db.setdefault(db, []).append(name)
    for db in by_db:
        by_db[db] = sorted(set(by_db[db]))
    return [split_of(db, name, by_db[db]) for db, name in ids]


@torch.no_grad()
def predict(model, x, bs: int = 1024):
    model.eval()
    ps, es = [], []
    for i in range(0, len(x), bs):
        p, e = model(torch.from_numpy(x[i:i + bs]))
        ps.append(p.numpy())
        es.append(e.numpy())
    return np.concatenate(ps), np.concatenate(es)


def runs(flags: np.ndarray, rec: np.ndarray, start: np.ndarray) -> list[tuple[int, int, int]]:
    """Maximal runs of consecutive (same record, ordered by start) flagged windows: (record, i0, i1)."""
    out = []
    order = np.lexsort((start, rec))
    cur = None
    for k in order:
        if flags[k] and cur is not None and cur[0] == rec[k]:
            cur[2] = k
        else:
            if cur is not None:
                out.append(tuple(cur))
            cur = [rec[k], k, k] if flags[k] else None
    if cur is not None:
        out.append(tuple(cur))
    return out


def episode_scores(ref: np.ndarray, pred: np.ndarray, rec: np.ndarray, start: np.ndarray, win) -> dict:
    """Window-run approximation of episode Se/+P (PyTorch side; EC57 epic figures come from the TS
    evaluator): reference episodes = runs of windows labelled the class, detections = runs predicted;
    a reference episode counts detected when some detection overlaps it in time, and vice versa.
    win: window length in the unit of `start` (one number, or one per window)."""
    w = np.broadcast_to(np.asarray(win, dtype=np.int64), start.shape)
    def spans(flags):
        res = []
        for r, i0, i1 in runs(flags, rec, start):
            res.append((r, int(start[i0]), int(start[i1]) + int(w[i1])))
        return res
    R, P = spans(ref), spans(pred)
    ov = lambda a, b: a[0] == b[0] and a[1] < b[2] and b[1] < a[2]
    se = sum(any(ov(r, p) for p in P) for r in R) / len(R) if R else float("nan")
    ppv = sum(any(ov(p, r) for r in R) for p in P) / len(P) if P else float("nan")
    return {"se": se, "ppv": ppv, "nRef": len(R), "nPred": len(P)}


def record_fs(meta: dict) -> np.ndarray:
    """Sampling rate of each meta.records entry: the rate its windows' `start` counts in (the
    dataset's own `fs`, 125 Hz, where an entry does not say)."""
    own = float(meta.get("fs", WINDOW_FS))
    return np.array([float(r.get("fs", own)) if isinstance(r, dict) else own for r in meta.get("records", [])])


def figures(pt: np.ndarray, lab: np.ndarray, rec: np.ndarray, start: np.ndarray, db: np.ndarray, fs: np.ndarray) -> dict:
    """Test-set figures from window probabilities: window confusion (argmax) per database; CinC 2017
    recording-level F1 of AF (recording label = argmax of its windows' mean probabilities, as the
    challenge scores one label per recording); window-run episode Se/+P elsewhere. fs: each window's
    record's sampling rate, the unit of `start` (start.npy counts samples at the record's own rate)."""
    win = np.round(WINDOW_SEC * np.asarray(fs, dtype=np.float64)).astype(np.int64)
    pred = pt.argmax(1)
    res: dict = {"windowConfusion": confusion(lab, pred, 4).tolist(),
                 "apAF": average_precision(pt[:, 1], lab == 1), "apVT": average_precision(pt[:, 2], lab == 2)}
    for name in sorted(set(db)):
        m = db == name
        ent: dict = {"windows": int(m.sum()), "confusion": confusion(lab[m], pred[m], 4).tolist(),
                     "records": int(len(set(rec[m])))}
        if name == "cinc2017":
            recs = np.unique(rec[m])
            ref = np.array([np.bincount(lab[m][rec[m] == r], minlength=4).argmax() for r in recs])
            prd = np.array([pt[m][rec[m] == r].mean(0).argmax() for r in recs])
            tp = int(((ref == 1) & (prd == 1)).sum())
            ent["recordingConfusion"] = confusion(ref, prd, 4).tolist()
            ent["f1AF"] = 2 * tp / max(int((ref == 1).sum() + (prd == 1).sum()), 1)
        else:
            for k, kname in ((1, "AF"), (2, "VT")):
                if (lab[m] == k).any():
                    ent[f"episode{kname}"] = episode_scores(lab[m] == k, pred[m] == k, rec[m], start[m], win[m])
        res[name or "?"] = ent
    return res


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=20260422)
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--patience", type=int, default=8)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-3)
    ap.add_argument("--take", default="3000,3000,1000,1000",
                    help="windows per class drawn each epoch (other,AF,VT,noise), capped at what the training split has")
    ap.add_argument("--ema", type=float, default=0.99, help="EMA of the weights per step for validation/export; 0 = off")
    ap.add_argument("--no-attention", action="store_true")
    ap.add_argument("--max-windows", type=int, default=0, help="smoke tests: keep at most this many windows")
    ap.add_argument("--time-budget", type=float, default=0)
    ap.add_argument("--vf-class", action="store_true", help="VF/VFL as a class of its own (needs vf.npy in --data)")
    ap.add_argument("--p-sign-flip", type=float, default=0.2, help="probability that a training window is inverted (augmentation)")
    a = ap.parse_args(argv)

    rng, g, out = start_run(a.seed, a.out)
    d = load_dir(a.data, ["x", "labels", "record", "start"])
    x, lab, rec, start = d["x"].astype(np.float32), d["labels"].astype(np.int64), d["record"].astype(np.int64), d["start"].astype(np.int64)
    ids = record_ids(d["meta"])
    classes = CLASSES + (["VF"] if a.vf_class else [])
    if a.vf_class:
        vf = np.load(Path(a.data) / "vf.npy")
        if vf.shape != lab.shape:
            raise SystemExit(f"{a.data}/vf.npy: {vf.shape} labels for {lab.shape} windows")
        lab[(lab == 2) & (vf == 1)] = 4
    K = len(classes)
    if x.ndim != 3 or x.shape[1:] != (1, 1250):
        raise SystemExit(f"{a.data}: unexpected x shape {x.shape}")
    keep = lab < K
    if a.max_windows and keep.sum() > a.max_windows:
        sel = rng.choice(np.nonzero(keep)[0], a.max_windows, replace=False)
        keep = np.zeros_like(keep)
        keep[sel] = True
    x, lab, rec, start = x[keep], lab[keep], rec[keep], start[keep]
    rsplit = np.array(record_splits(ids)) if ids else np.array(["train"] * (rec.max() + 1))
    split = rsplit[rec]
    if not (split == "val").any():  # tiny subsets (smoke test): the last training record validates
        split[rec == rec[split == "train"].max()] = "val"
    if not (split == "train").any():
        raise SystemExit(f"{a.data}: no training records left after the record-wise split")
    tr, va, te = (np.nonzero(split == s)[0] for s in ("train", "val", "test"))
    db_of = np.array([db for db, _ in ids]) if ids else np.array([""] * (rec.max() + 1))
    fs_of = record_fs(d["meta"]) if ids else np.full(rec.max() + 1, float(WINDOW_FS))
    def summary(idx):
        res = {}
        for db in sorted(set(db_of[rec[idx]])):
            m = idx[db_of[rec[idx]] == db]
            res[db or "?"] = {"records": int(len(set(rec[m]))), **{c: int((lab[m] == k).sum()) for k, c in enumerate(classes)}}
        return res
    split_info = {"train": summary(tr), "val": summary(va), "test": summary(te)}
    print(json.dumps(split_info))

    model = RhythmNet(attention=not a.no_attention, n_classes=K)
    n_params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs)
    per_class = [np.nonzero(lab[tr] == k)[0] for k in range(K)]
    want = ([int(v) for v in a.take.split(",")] + [1000] * K)[:K]
    take = [min(len(pc), w) for pc, w in zip(per_class, want)]
    eff = np.array(take, dtype=np.float64)
    alpha = np.where(eff > 0, np.sqrt(eff.max() / np.maximum(eff, 1)), 0.0)
    alpha = torch.tensor(alpha / alpha[eff > 0].mean(), dtype=torch.float32)
    print(f"model {n_params} parameters; per epoch {dict(zip(classes, take))}; alpha {alpha.numpy().round(2).tolist()}")

    xt, lt = torch.from_numpy(x), torch.from_numpy(lab)
    best = {"score": -1.0, "epoch": -1, "state": None}
    history = []
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()} if a.ema else None
    live = None
    t0 = time.time()
    for epoch in range(a.epochs):
        if live is not None:
            model.load_state_dict(live)
        idx = tr[np.concatenate([rng.choice(pc, t, replace=False) for pc, t in zip(per_class, take) if t > 0])]
        rng.shuffle(idx)

        def batch_losses(idx=idx):
            for i in range(0, len(idx), a.batch):
                b = torch.from_numpy(idx[i:i + a.batch])
                yield focal_loss(model.logits(augment_rhythm(xt[b], g, p_sign_flip=a.p_sign_flip)), lt[b], alpha)
        # validate (and keep) the averaged weights; training resumes from the live ones
        mean_loss, live = fit_epoch(model, opt, sched, ema, a.ema, batch_losses())
        pv, _ = predict(model, x[va])
        ap_af = average_precision(pv[:, 1], lab[va] == 1)
        vta = [2, 4] if a.vf_class else [2]
        ap_vt = average_precision(pv[:, vta].sum(1), np.isin(lab[va], vta))
        score = np.nanmean([ap_af, ap_vt])
        row = {"epoch": epoch + 1, "loss": mean_loss, "valApAF": ap_af, "valApVT": ap_vt, "sec": round(time.time() - t0, 1)}
        if a.vf_class:  # VF told apart from VT, among the windows that are one of them
            m = np.isin(lab[va], vta)
            row["valAucVfVsVt"] = auc(pv[m, 4] / np.maximum(pv[m][:, vta].sum(1), 1e-9), lab[va][m] == 4)
        history.append(row)
        print(f"epoch {epoch + 1:2d} loss {mean_loss:.4f} val AP(AF) {ap_af:.4f} AP(VT) {ap_vt:.4f}"
              + (f" AUC(VF vs VT) {row['valAucVfVsVt']:.3f}" if a.vf_class else "") + f" [{time.time() - t0:.0f}s]", flush=True)
        if score > best["score"]:
            best = {"score": float(score), "epoch": epoch + 1, "state": {k: v.detach().clone() for k, v in model.state_dict().items()}}
        elif epoch + 1 - best["epoch"] >= a.patience:
            print("early stop")
            break
        if a.time_budget and time.time() - t0 > a.time_budget:
            print("time budget reached")
            break
    train_sec = time.time() - t0
    model.load_state_dict(best["state"])
    model.eval()

    save_npy(out / "test_index.npy", te.astype(np.int32))
    save_npy(out / "kept_index.npy", np.nonzero(keep)[0].astype(np.int32))
    onnx_path = out / "rhythm.onnx"
    pick = np.sort(rng.choice(len(x), min(48, len(x)), replace=False))
    px = torch.from_numpy(x[pick])
    export_onnx(model, (px,), onnx_path, ["ecg"], ["probs", "embedding"])
    with torch.no_grad():
        pp, pe = model(px)
    for name, arr in {"ecg": x[pick], "probs": pp.numpy(), "embedding": pe.numpy()}.items():
        save_npy(out / "parity" / f"{name}.npy", arr)

    # PyTorch figures on the held-out test records (the card recomputes them from onnxruntime's
    # outputs of the shipped file; the TS evaluator gives the EC57 episode figures)
    res = {}
    if len(te):
        pt, _ = predict(model, x[te])
        res = figures(pt, lab[te], rec[te], start[te], db_of[rec[te]], fs_of[rec[te]]) if not a.vf_class else {}
        print(json.dumps(clean_json(res)))
    info = {"classes": classes, "seed": a.seed, "params": n_params, "attention": not a.no_attention, "bestEpoch": best["epoch"],
            "history": history, "trainSec": round(train_sec, 1), "split": split_info,
            "splitRule": __doc__.split("Record-wise splits")[1].split("Early stopping")[0].strip(),
            "testPyTorch": res, "testIndexFile": "test_index.npy",
            "hyper": {k: getattr(a, k) for k in ["epochs", "patience", "batch", "lr", "weight_decay", "take", "ema", "p_sign_flip"]}}
    write_json(out / "train.json", info)
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes), {train_sec:.0f}s of training")
    return 0


def heldout(dataset_dir: str, dbs: list[str]) -> list[str]:
    """Paths of the test records of `dbs` in a rhythm dataset (meta.json), by the split rule above."""
    meta = json.loads(Path(dataset_dir, "meta.json").read_text())
    ids = record_ids(meta)
    splits = record_splits(ids)
    return [str(r.get("path")) for r, (db, _), s in zip(meta["records"], ids, splits) if db in dbs and s == "test"]


if __name__ == "__main__":
    raise SystemExit(main())

