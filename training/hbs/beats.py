"""Train the beat (PVC) model on a `heartbeat-sensei dataset --kind beats` directory (DS1).

  /usr/bin/python3 -m hbs.beats --data training/work/beats/ds1 --out training/work/beats/run \
      --val-records 106,116,201,215,220

Patient-wise: the validation records (held out of DS1) choose the early-stopping epoch (best
validation average precision of V) and the operating threshold (recall-first rule, see
`--min-recall`). DS2 is never read here. Writes into --out: beat-pvc.onnx, train.json (history,
threshold, validation metrics), val_*.npy (validation probabilities/embeddings/labels), the replay
and reference sets, and parity/*.npy (a batch with PyTorch's outputs for the ONNX parity check)."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .beat_model import BeatNet, augment, rr_log
from .common import ema_update, export_onnx, load_dir, save_npy, seed_everything, write_json
from .metrics import AAMI, V, average_precision, choose_threshold, confusion, label_at, per_class

REPLAY_QUOTA = {0: 1100, 1: 350, 2: 350, 3: 150, 4: 50}


def record_names(data: dict) -> np.ndarray:
    """Per-beat record name: record.npy indexes meta.records (names or {name|record} objects)."""
    rec = data["record"].astype(np.int64)
    recs = data["meta"].get("records")
    if recs:
        names = [r if isinstance(r, str) else str(r.get("name") or r.get("record") or r.get("id")) for r in recs]
        names = [n.split("/")[-1] for n in names]
        if rec.max() < len(names):
            return np.array(names, dtype=object)[rec]
    return rec.astype(str).astype(object)


def stratified_sample(labels: np.ndarray, quota: dict[int, int], total: int, rng: np.random.Generator) -> np.ndarray:
    """Up to quota[c] beats of each class, the shortfall filled with further N beats; sorted indices."""
    chosen = []
    for c, q in quota.items():
        idx = np.nonzero(labels == c)[0]
        chosen.append(rng.choice(idx, size=min(q, len(idx)), replace=False) if len(idx) else idx)
    sel = np.concatenate(chosen)
    short = total - len(sel)
    if short > 0:
        rest = np.setdiff1d(np.nonzero(labels == 0)[0], sel)
        sel = np.concatenate([sel, rng.choice(rest, size=min(short, len(rest)), replace=False)])
    return np.sort(sel)


@torch.no_grad()
def predict(model: BeatNet, win: np.ndarray, rr: np.ndarray, bs: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    model.eval()
    probs, embs = [], []
    for i in range(0, len(win), bs):
        p, e = model(torch.from_numpy(win[i:i + bs]), torch.from_numpy(rr[i:i + bs]))
        probs.append(p.numpy())
        embs.append(e.numpy())
    return np.concatenate(probs), np.concatenate(embs)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, help="dataset dir of DS1 beats")
    ap.add_argument("--out", required=True)
    ap.add_argument("--val-records", default="106,116,201,215,220")
    ap.add_argument("--seed", type=int, default=20260422)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--patience", type=int, default=6)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-3)
    ap.add_argument("--emb", type=int, default=32)
    ap.add_argument("--n-ratio", type=float, default=4.0, help="N beats drawn per epoch per non-N beat")
    ap.add_argument("--hard-frac", type=float, default=0.5,
                    help="share of each epoch's N beats that are the hardest (lowest P(N)) of a random candidate pool")
    ap.add_argument("--hard-pool", type=int, default=12000, help="N beats scored per epoch to find the hard ones")
    ap.add_argument("--scale-aug", type=float, default=0.15, help="per-lead amplitude augmentation ±this")
    ap.add_argument("--ema", type=float, default=0.99,
                    help="exponential moving average of the weights (per step) used for validation and export; 0 = off")
    ap.add_argument("--min-recall", type=float, default=0.95,
                    help="threshold rule: the highest P(V) threshold with validation V recall >= this")
    ap.add_argument("--no-prior-correction", action="store_true",
                    help="keep the head bias as trained (default: shift it to the training records' class prior)")
    ap.add_argument("--max-beats", type=int, default=0, help="smoke tests: keep at most this many beats")
    ap.add_argument("--time-budget", type=float, default=0, help="stop after this many seconds (0 = none)")
    a = ap.parse_args(argv)

    seed_everything(a.seed)
    rng = np.random.default_rng(a.seed)
    g = torch.Generator().manual_seed(a.seed)
    out = Path(a.out)
    (out / "parity").mkdir(parents=True, exist_ok=True)

    d = load_dir(a.data, ["windows", "rr", "labels", "record"])
    win = d["windows"].astype(np.float32)
    rr = d["rr"].astype(np.float32)
    lab = d["labels"].astype(np.int64)
    rec = record_names(d)
    if win.ndim != 3 or win.shape[1:] != (2, 216) or rr.shape[0] != len(win) or len(lab) != len(win):
        raise SystemExit(f"{a.data}: unexpected shapes windows {win.shape} rr {rr.shape} labels {lab.shape}")
    if a.max_beats and len(win) > a.max_beats:
        keep = np.sort(rng.choice(len(win), a.max_beats, replace=False))
        win, rr, lab, rec = win[keep], rr[keep], lab[keep], rec[keep]

    val_names = [s for s in a.val_records.split(",") if s]
    is_val = np.isin(rec, val_names)
    if not is_val.any() or is_val.all():  # smoke subsets: fall back to the last record as validation
        last = sorted(set(rec))[-1]
        is_val = rec == last
        val_names = [last]
    tr, va = np.nonzero(~is_val)[0], np.nonzero(is_val)[0]
    train_records = sorted(set(rec[tr]))
    assert not set(rec[tr]) & set(rec[va]), "patient-wise split violated"
    counts = lambda idx: {AAMI[c]: int((lab[idx] == c).sum()) for c in range(5)}
    print(f"train {len(tr)} beats from {len(train_records)} records {counts(tr)}")
    print(f"val   {len(va)} beats from {val_names} {counts(va)}")

    rr_l = rr_log(torch.from_numpy(rr[tr])).numpy()
    rr_mean = rr_l.mean(axis=0)
    rr_std = rr_l.std(axis=0) + 1e-6
    win_scale = win[tr].std(axis=(0, 2)) + 1e-6
    model = BeatNet(rr.shape[1], rr_mean, rr_std, win_scale, d_emb=a.emb)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"model: {n_params} parameters, embedding {a.emb}")
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=a.epochs)

    tr_n = tr[lab[tr] == 0]
    tr_other = tr[lab[tr] != 0]
    n_draw = min(len(tr_n), int(a.n_ratio * max(len(tr_other), 1)))
    ep_counts = np.bincount(lab[tr_other], minlength=5).astype(np.float64)
    ep_counts[0] = n_draw
    w = np.where(ep_counts > 0, np.sqrt(ep_counts.max() / np.maximum(ep_counts, 1)), 0.0)
    w = np.minimum(w, 10.0)
    class_w = torch.tensor(w, dtype=torch.float32)
    print("class weights", dict(zip(AAMI, np.round(w, 2).tolist())))

    win_t, rr_t, lab_t = torch.from_numpy(win), torch.from_numpy(rr), torch.from_numpy(lab)
    best = {"ap": -1.0, "epoch": -1, "state": None}
    history = []
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()} if a.ema else None
    live = None
    t0 = time.time()
    for epoch in range(a.epochs):
        if live is not None:
            model.load_state_dict(live)
        model.train()
        n_hard = int(a.hard_frac * n_draw) if epoch > 0 else 0
        if n_hard:
            # hard negatives: N beats the current model finds least N-like (bundle-branch-block and
            # aberrant-looking normal beats are the V false positives of an inter-patient model)
            pool = rng.choice(tr_n, min(a.hard_pool, len(tr_n)), replace=False)
            pn, _ = predict(model, win[pool], rr[pool])
            hard = pool[np.argsort(pn[:, 0])[:n_hard]]
            rest = rng.choice(np.setdiff1d(tr_n, hard), n_draw - n_hard, replace=False)
            n_idx = np.concatenate([hard, rest])
        else:
            n_idx = rng.choice(tr_n, n_draw, replace=False)
        idx = np.concatenate([tr_other, n_idx])
        rng.shuffle(idx)
        tot, nb = 0.0, 0
        for i in range(0, len(idx), a.batch):
            b = torch.from_numpy(idx[i:i + a.batch])
            x = augment(win_t[b], g, scale_range=a.scale_aug)
            loss = F.cross_entropy(model.logits(x, rr_t[b]), lab_t[b], weight=class_w)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if ema is not None:
                ema_update(ema, model, a.ema)
            tot += float(loss)
            nb += 1
        sched.step()
        if ema is not None:  # validate (and keep) the averaged weights; training resumes from the live ones
            live = {k: v.detach().clone() for k, v in model.state_dict().items()}
            model.load_state_dict(ema)
        pv, _ = predict(model, win[va], rr[va])
        ap_v = average_precision(pv[:, V], lab[va] == V)
        ap_s = average_precision(pv[:, 1], lab[va] == 1)
        history.append({"epoch": epoch + 1, "loss": tot / max(nb, 1), "valApV": ap_v, "valApS": ap_s,
                        "sec": round(time.time() - t0, 1)})
        print(f"epoch {epoch + 1:2d} loss {tot / max(nb, 1):.4f} val AP(V) {ap_v:.4f} AP(S) {ap_s:.4f} "
              f"[{time.time() - t0:.0f}s]", flush=True)
        if ap_v > best["ap"]:
            best = {"ap": ap_v, "epoch": epoch + 1,
                    "state": {k: v.detach().clone() for k, v in model.state_dict().items()}}
        elif epoch + 1 - best["epoch"] >= a.patience:
            print(f"early stop: no AP(V) gain for {a.patience} epochs")
            break
        if a.time_budget and time.time() - t0 > a.time_budget:
            print("time budget reached")
            break
    train_sec = time.time() - t0
    model.load_state_dict(best["state"])
    model.eval()
    # Prior correction (logit adjustment): training saw N subsampled and classes re-weighted, so the
    # softmax is calibrated to that effective distribution. Adding log(true prior / effective
    # prior) to head.bias makes probs estimate the class posteriors of the training records again
    # (no F/S labels on ordinary N beats from a deflated N prior); the head stays one plain linear
    # layer. The V threshold is chosen after this, on validation.
    true_c = np.bincount(lab[tr], minlength=5).astype(np.float64)
    eff_c = ep_counts * w
    shift = np.where((true_c > 0) & (eff_c > 0), np.log(np.maximum(true_c, 1) / np.maximum(eff_c, 1e-9)), 0.0)
    shift -= shift[0]
    if not a.no_prior_correction:
        with torch.no_grad():
            model.head.bias += torch.tensor(shift, dtype=torch.float32)
    print("head.bias prior shift", dict(zip(AAMI, np.round(shift, 3).tolist())) if not a.no_prior_correction else "off")
    torch.save(model.state_dict(), out / "model.pt")

    pv, ev = predict(model, win[va], rr[va])
    thr = choose_threshold(pv[:, V], lab[va] == V, a.min_recall) if (lab[va] == V).any() else 0.5
    cm = confusion(lab[va], label_at(pv, thr))
    val_metrics = {"threshold": thr, "apV": average_precision(pv[:, V], lab[va] == V),
                   "apS": average_precision(pv[:, 1], lab[va] == 1), "perClass": per_class(cm),
                   "confusion": cm.tolist()}
    print(f"best epoch {best['epoch']} val AP(V) {best['ap']:.4f}; threshold {thr:.4f} -> "
          f"V Se {val_metrics['perClass']['V']['se']:.3f} +P {val_metrics['perClass']['V']['ppv']:.3f}")

    # export + a parity batch (PyTorch outputs saved for the onnxruntime-node check)
    onnx_path = out / "beat-pvc.onnx"
    pidx = np.sort(np.concatenate([rng.choice(va, min(48, len(va)), replace=False),
                                   rng.choice(tr_other, min(16, len(tr_other)), replace=False)]))
    pw, pr = torch.from_numpy(win[pidx]), torch.from_numpy(rr[pidx])
    export_onnx(model, (pw, pr), onnx_path, ["window", "rr"], ["probs", "embedding"])
    with torch.no_grad():
        pp, pe = model(pw, pr)
    for name, arr in {"window": win[pidx], "rr": rr[pidx], "probs": pp.numpy(), "embedding": pe.numpy()}.items():
        save_npy(out / "parity" / f"{name}.npy", arr)

    # validation arrays (threshold plots), reference set (all validation beats) and replay sample
    save_npy(out / "val_probs.npy", pv.astype(np.float32))
    save_npy(out / "val_labels.npy", lab[va].astype(np.uint8))
    save_npy(out / "reference_embeddings.npy", ev.astype(np.float32))
    save_npy(out / "reference_labels.npy", lab[va].astype(np.uint8))
    rsel = stratified_sample(lab[tr], REPLAY_QUOTA, 2000, rng)
    _, er = predict(model, win[tr][rsel], rr[tr][rsel])
    save_npy(out / "replay_embeddings.npy", er.astype(np.float32))
    save_npy(out / "replay_labels.npy", lab[tr][rsel].astype(np.uint8))

    info = {"seed": a.seed, "valRecords": val_names, "trainRecords": train_records,
            "trainCounts": counts(tr), "valCounts": counts(va), "params": n_params, "embedding": a.emb,
            "rrFeatures": d["meta"].get("rrFeatures"), "bestEpoch": best["epoch"], "history": history,
            "trainSec": round(train_sec, 1), "minRecall": a.min_recall, "val": val_metrics,
            "hyper": {k: getattr(a, k) for k in ["epochs", "patience", "batch", "lr", "weight_decay", "n_ratio", "ema", "hard_frac", "hard_pool", "scale_aug", "no_prior_correction", "time_budget"]},
            "priorShift": None if a.no_prior_correction else shift.tolist(),
            "replay": {"n": int(len(rsel)), "counts": {AAMI[c]: int((lab[tr][rsel] == c).sum()) for c in range(5)}}}
    write_json(out / "train.json", info)
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes) in {train_sec:.0f}s of training")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
