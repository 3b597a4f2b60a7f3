"""Train the beat (PVC) model on a `heartbeat-sensei dataset --kind beats` directory (DS1).

  /usr/bin/python3 -m hbs.beats --data training/work/beats/ds1 --out training/work/beats/run --folds 5

Patient-wise K-fold cross-validation inside DS1 (`--folds K`, records dealt into folds by their V
count): every fold model is trained for --epochs epochs and scored on its held-out records after
each epoch. The epoch count is the one with the best mean out-of-fold average precision of V; the
operating threshold is chosen on the pooled out-of-fold probabilities at that epoch (rule: the
highest V recall whose +P is still >= --min-ppv, i.e. recall first under a false-alarm budget).
The shipped model is then trained on all of DS1 for that many epochs. `--folds 0` keeps the older
single split (`--val-records` choose the early-stopping epoch and the threshold, rule --min-recall).
DS2 is never read here. Writes into --out: beat-pvc.onnx, train.json (history, threshold,
out-of-fold or validation metrics), val_*.npy (the probabilities/labels the threshold came from),
the replay and reference sets, and parity/*.npy (a batch with PyTorch's outputs for the parity check)."""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from . import consensus as morph
from .beat_model import BeatEnsemble, BeatNet, app_lead_input, augment, augment_leads, rr_log
from .common import export_onnx, fit_epoch, load_dir, mitdb_ds2_records, onnx_io, save_npy, sha256_file, start_run, write_json
from .corrections import add_corrections
from .quantize import calibration_rows, quantize_file
from .metrics import (AAMI, V, ambiguous_share, average_precision, calibration_bins, choose_threshold, choose_threshold_groups,
                      choose_threshold_ppv, confusion, label_at, not_false_positive, per_class)

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
def predict(model: BeatNet, win: np.ndarray, rr: np.ndarray, tpl: np.ndarray | None = None,
            bs: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    model.eval()
    probs, embs = [], []
    for i in range(0, len(win), bs):
        args = [torch.from_numpy(win[i:i + bs])]
        if model.template:
            args.append(torch.from_numpy(tpl[i:i + bs]))
        args.append(torch.from_numpy(rr[i:i + bs]))
        p, e = model(*args)
        probs.append(p.numpy())
        embs.append(e.numpy())
    return np.concatenate(probs), np.concatenate(embs)


class Data:
    """The training arrays (template None when the model does not use one). Rows [0, n) are the
    beats as recorded; rows from n on are their low-rate twins (`alt`: row of each beat's twin,
    -1 when it has none), which training draws in place of the beat (--alt-prob), then the twins
    cut at the QRS detector's marks (`mark`, over the beats and their low-rate twins: the row of the same beat at the same
    rate cut at the detector's mark, -1 when none; drawn with --mark-prob)."""

    def __init__(self, win, rr, lab, rec, tpl, db=None, n=None, alt=None, in_af=None, mark=None):
        self.win, self.rr, self.lab, self.rec, self.tpl = win, rr, lab, rec, tpl
        self.n = len(lab) if n is None else n
        # beats [0, n) inside reference AF (flags bit 4); None when a dataset predates the flag
        self.in_af = in_af
        self.db = np.full(self.n, "", dtype=object) if db is None else db
        self.alt = np.full(self.n, -1, dtype=np.int64) if alt is None else alt
        self.mark = mark

    def rows(self, idx):
        return self.win[idx], self.rr[idx], None if self.tpl is None else self.tpl[idx]


def record_dbs(data: dict) -> np.ndarray:
    """Per-beat database name (meta.records[i].db), "" when the dataset does not say."""
    rec = data["record"].astype(np.int64)
    recs = data["meta"].get("records") or []
    dbs = [str(r.get("db", "")) if isinstance(r, dict) else "" for r in recs]
    return np.array(dbs, dtype=object)[rec] if dbs and rec.max() < len(dbs) else np.full(len(rec), "", dtype=object)


def load_one(path: str, template: bool):
    d0 = load_dir(path, ["windows", "rr", "labels", "record", "flags"] + (["template"] if template else []))
    win = d0["windows"].astype(np.float32)
    tpl = d0["template"].astype(np.float32) if template else None
    if win.ndim != 3 or win.shape[1:] != (2, 216) or d0["rr"].shape[0] != len(win) or len(d0["labels"]) != len(win):
        raise SystemExit(f"{path}: unexpected shapes windows {win.shape} rr {d0['rr'].shape} labels {d0['labels'].shape}")
    if tpl is not None and tpl.shape != win.shape:
        raise SystemExit(f"{path}: template.npy {tpl.shape} differs from windows.npy {win.shape}")
    app_lead_input(win, tpl, d0["flags"])
    return d0, win, d0["rr"].astype(np.float32), d0["labels"].astype(np.int64), record_names(d0), record_databases(d0, path), tpl


def rates(d0: dict) -> np.ndarray:
    """Per beat: the rate its record was resampled to before cutting (meta.records[i].viaFs), 0 for none."""
    via = np.array([int(r.get("viaFs", 0)) if isinstance(r, dict) else 0 for r in d0["meta"].get("records") or []] or [0])
    return via[np.minimum(d0["record"].astype(np.int64), len(via) - 1)]


def appended(arrays: tuple, extra: list[tuple]) -> tuple:
    """(win, rr, lab, rec, tpl) with the twin datasets' rows (tuples in the same order) appended; tpl stays None."""
    if not extra:
        return arrays
    return tuple(None if a is None else np.concatenate([a] + [e[k] for e in extra]) for k, a in enumerate(arrays))


def load_data(dirs: list[str], alt_dirs: list[str], template: bool, mark_dirs: list[str] = ()) -> tuple[Data, dict]:
    """Datasets concatenated (record names must be unique across them), then the low-rate twins
    (`heartbeat-sensei dataset --via-fs`), then the twins cut at the detector's marks (`dataset
    --marks detector`, of the datasets or of their low-rate twins), each checked to hold its
    record's beats in the same order with the same labels."""
    parts = [load_one(p, template) for p in dirs]
    cat = lambda k: np.concatenate([x[k] for x in parts]) if parts[0][k] is not None else None
    win, rr, lab, rec, db, tpl = (cat(k) for k in (1, 2, 3, 4, 5, 6))
    ds2 = mitdb_ds2_records(db, rec)
    if ds2:  # e.g. a dataset made from the whole mitdb folder
        raise SystemExit(f"{dirs}: MIT-BIH DS2 records {' '.join(ds2)} are the test set, never training data (build DS1 alone)")
    names = [set(x[4]) for x in parts]
    for i in range(len(names)):
        for j in range(i):
            if names[i] & names[j]:
                raise SystemExit(f"{dirs[i]} and {dirs[j]} share records {sorted(names[i] & names[j])}")
    n = len(lab)
    alt = np.full(n, -1, dtype=np.int64)
    extra = []
    offset = n
    via = np.concatenate([rates(x[0]) for x in parts])
    for p in alt_dirs:
        d2, w2, r2, l2, n2, _, t2 = load_one(p, template)
        via = np.concatenate([via, rates(d2)])
        for r in sorted(set(n2)):
            mine, theirs = np.nonzero(rec == r)[0], np.nonzero(n2 == r)[0]
            if len(mine) != len(theirs) or (lab[mine] != l2[theirs]).any():
                raise SystemExit(f"{p}: record {r} holds other beats than in {dirs} (not made by --via-fs from the same records?)")
            alt[mine] = offset + theirs
        extra.append((w2, r2, l2, n2, t2))
        offset += len(l2)
    win, rr, lab, rec, tpl = appended((win, rr, lab, rec, tpl), extra)
    mark = None
    if mark_dirs:
        mark = np.full(len(lab), -1, dtype=np.int64)
        extra, offset = [], len(lab)
        for p in mark_dirs:
            d3, w3, r3, l3, n3, _, t3 = load_one(p, template)
            if d3["meta"].get("marks") != "detector":
                raise SystemExit(f"{p}: not cut at the detector's marks (heartbeat-sensei dataset --marks detector)")
            v3 = rates(d3)
            for r in sorted(set(n3)):
                theirs = np.nonzero(n3 == r)[0]
                mine = np.nonzero((rec == r) & (via == v3[theirs[0]]))[0]
                if len(mine) != len(theirs) or (lab[mine] != l3[theirs]).any():
                    raise SystemExit(f"{p}: record {r} (via {v3[theirs[0]] or 'its own'} Hz) holds other beats than the training datasets")
                mark[mine] = offset + theirs
            extra.append((w3, r3, l3, n3, t3))
            offset += len(l3)
        win, rr, lab, rec, tpl = appended((win, rr, lab, rec, tpl), extra)
    return Data(win, rr, lab, rec, tpl, db=db, n=n, alt=alt, in_af=reference_af([x[0] for x in parts], dirs), mark=mark), parts[0][0]["meta"]


def record_databases(data: dict, path: str) -> np.ndarray:
    """Per-beat database name: meta.records[i].db, else the dataset folder's name."""
    db = record_dbs(data)
    return db if db.any() else np.full(len(db), Path(path).name, dtype=object)


def reference_af(datasets: list[dict], dirs: list[str]) -> np.ndarray | None:
    """Per beat: inside a reference AF stretch (dataset flags bit 4), or None when a dataset was
    built before `heartbeat-sensei dataset` wrote that bit (the AF part of the S rule is then off)."""
    old = [p for d, p in zip(datasets, dirs) if "bit 4" not in d["meta"].get("files", {}).get("flags.npy", {}).get("what", "")]
    if old:
        print(f"note: {old} have no reference-AF flag (rebuild with heartbeat-sensei dataset): the S rule's AF part is off")
        return None
    return np.concatenate([(d["flags"] & 4) != 0 for d in datasets])


def draw_class(a, model: BeatNet, d: Data, pool: np.ndarray, c: int, n: int, epoch: int, rng: np.random.Generator) -> np.ndarray:
    """n training beats of class c for one epoch. With --hard-sv-frac, from the second epoch that share of
    the S and V beats are the ones on the wrong side of the V/S boundary for the current model (S beats with
    the highest P(V), V beats with the lowest): the out-of-fold errors of an inter-patient model are mostly
    there (aberrant S called V, PVCs called S); the rest are drawn at random."""
    n_hard = int(a.hard_sv_frac * n) if epoch > 0 and c in (1, V) else 0
    if not n_hard:
        return rng.choice(pool, n, replace=False)
    pv, _ = predict(model, *d.rows(pool))
    order = np.argsort(-pv[:, V] if c == 1 else pv[:, V])
    hard = pool[order[:n_hard]]
    rest = rng.choice(np.setdiff1d(pool, hard), n - n_hard, replace=False)
    return np.concatenate([hard, rest])


def train_model(a, d: Data, tr: np.ndarray, rng: np.random.Generator, g: torch.Generator,
                epochs: int, evals: np.ndarray | None = None, on_epoch=None, tag: str = ""):
    """Trains one model on beats tr for `epochs` epochs of the --epochs schedule (the cosine
    learning-rate decay always spans --epochs, so the shipped model stopped after the chosen epoch
    is the model the folds scored at that epoch); EMA weights evaluated and returned.
    evals: beats scored after every epoch (probs passed to on_epoch(epoch, probs, model) which
    returns False to stop). Returns (model with the prior-corrected head, history, shift)."""
    win, rr, lab = d.win, d.rr, d.lab
    rr_l = rr_log(torch.from_numpy(rr[tr])).numpy()
    win_scale = win[tr].std(axis=(0, 2)) + 1e-6
    model = BeatNet(rr.shape[1], rr_l.mean(axis=0), rr_l.std(axis=0) + 1e-6, win_scale, d_emb=a.emb,
                    ch=tuple(int(c) for c in a.channels.split(",")), template=d.tpl is not None)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, weight_decay=a.weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=max(a.epochs, epochs))

    tr_n = tr[lab[tr] == 0]
    tr_other_all = tr[lab[tr] != 0]
    # each epoch draws at most --class-cap beats of a class (all of a rarer one) and n_ratio N beats per non-N beat
    ep_counts = np.minimum(np.bincount(lab[tr_other_all], minlength=5), a.class_cap).astype(np.float64)
    n_draw = min(len(tr_n), int(a.n_ratio * max(ep_counts[1:].sum(), 1)))
    ep_counts[0] = n_draw
    w = np.where(ep_counts > 0, np.sqrt(ep_counts.max() / np.maximum(ep_counts, 1)), 0.0)
    w = np.minimum(w, 10.0)
    class_w = torch.tensor(w, dtype=torch.float32)

    win_t, rr_t, lab_t = torch.from_numpy(win), torch.from_numpy(rr), torch.from_numpy(lab)
    tpl_t = None if d.tpl is None else torch.from_numpy(d.tpl)
    history = []
    ema = {k: v.detach().clone() for k, v in model.state_dict().items()} if a.ema else None
    live = None
    t0 = time.time()
    for epoch in range(epochs):
        if live is not None:
            model.load_state_dict(live)
        n_hard = int(a.hard_frac * n_draw) if epoch > 0 else 0
        if n_hard:
            # hard negatives: N beats the current model finds least N-like (bundle-branch-block and
            # aberrant-looking normal beats are the V false positives of an inter-patient model)
            pool = rng.choice(tr_n, min(a.hard_pool, len(tr_n)), replace=False)
            pn, _ = predict(model, *d.rows(pool))
            hard = pool[np.argsort(pn[:, 0])[:n_hard]]
            rest = rng.choice(np.setdiff1d(tr_n, hard), n_draw - n_hard, replace=False)
            n_idx = np.concatenate([hard, rest])
        else:
            n_idx = rng.choice(tr_n, n_draw, replace=False)
        tr_other = np.concatenate([draw_class(a, model, d, tr_other_all[lab[tr_other_all] == c], c, int(ep_counts[c]), epoch, rng)
                                   for c in range(1, 5) if ep_counts[c] > 0] or [np.zeros(0, np.int64)])
        idx = np.concatenate([tr_other, n_idx])
        rng.shuffle(idx)
        if a.alt_prob > 0:  # a beat's low-rate twin in its place (the record as a 128 Hz recorder would hold it)
            tw = d.alt[idx]
            use = (tw >= 0) & (rng.random(len(idx)) < a.alt_prob)
            idx = np.where(use, tw, idx)
        if a.mark_prob > 0 and d.mark is not None:  # the beat as the app's QRS detector marks it
            tw = d.mark[idx]
            use = (tw >= 0) & (rng.random(len(idx)) < a.mark_prob)
            idx = np.where(use, tw, idx)

        def batch_losses(idx=idx):
            for i in range(0, len(idx), a.batch):
                b = torch.from_numpy(idx[i:i + a.batch])
                x, t = augment_leads(win_t[b], None if tpl_t is None else tpl_t[b], g, a.p_swap, a.p_invert, a.p_absent, a.p_absent_lead1)
                if t is None:
                    x = augment(x, g, max_shift=a.shift_aug, scale_range=a.scale_aug)
                else:
                    x, t = augment(x, g, max_shift=a.shift_aug, scale_range=a.scale_aug, template=t, common_shift=a.common_shift_aug)
                yield F.cross_entropy(model.logits(x, rr_t[b], t), lab_t[b], weight=class_w)
        # evaluate (and keep) the averaged weights; training resumes from the live ones
        mean_loss, live = fit_epoch(model, opt, sched, ema, a.ema, batch_losses())
        h = {"epoch": epoch + 1, "loss": mean_loss, "sec": round(time.time() - t0, 1)}
        msg = f"{tag}epoch {epoch + 1:2d} loss {h['loss']:.4f}"
        stop = False
        if evals is not None and len(evals):
            pv, _ = predict(model, *d.rows(evals))
            h["apV"] = average_precision(pv[:, V], lab[evals] == V)
            h["apS"] = average_precision(pv[:, 1], lab[evals] == 1)
            msg += f" held-out AP(V) {h['apV']:.4f} AP(S) {h['apS']:.4f}"
            if on_epoch is not None:
                stop = on_epoch(epoch + 1, pv, model) is False
        history.append(h)
        print(msg + f" [{time.time() - t0:.0f}s]", flush=True)
        if stop or (a.time_budget and time.time() - t0 > a.time_budget):
            break
    model.eval()
    # Prior correction (logit adjustment): training saw N subsampled and classes re-weighted, so the
    # softmax is calibrated to that effective distribution. Adding log(true prior / effective
    # prior) to head.bias makes probs estimate the class posteriors of the training records again
    # (no F/S labels on ordinary N beats from a deflated N prior); the head stays one plain linear
    # layer. The V threshold is chosen after this.
    true_c = np.bincount(lab[tr], minlength=5).astype(np.float64)
    eff_c = ep_counts * w
    shift = np.where((true_c > 0) & (eff_c > 0), np.log(np.maximum(true_c, 1) / np.maximum(eff_c, 1e-9)), 0.0)
    shift -= shift[0]
    if a.no_prior_correction:
        shift = np.zeros(5)
    return model, history, shift, w


def softmax_rows(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def corrected(probs: np.ndarray, shift: np.ndarray) -> np.ndarray:
    """probs with log(shift) added to the logits (what the prior-corrected head outputs)."""
    return softmax_rows(np.log(np.maximum(probs, 1e-30)) + shift[None, :])


def mean_logit_probs(probs: list[np.ndarray]) -> np.ndarray:
    """The ensemble's probabilities from its members' (softmax of the mean log-probability: the
    members' mean logits, as BeatEnsemble computes them)."""
    return softmax_rows(np.mean([np.log(np.maximum(p, 1e-30)) for p in probs], axis=0))


def apply_shift(model: BeatNet, shift: np.ndarray) -> None:
    with torch.no_grad():
        model.head.bias += torch.tensor(shift, dtype=torch.float32)


def make_folds(rec: np.ndarray, lab: np.ndarray, k: int, db: np.ndarray | None = None) -> list[list[str]]:
    """Records dealt into k folds in order of their V count (serpentine), database by database, so
    every fold holds records of every database, with many and with few PVCs."""
    folds: list[list[str]] = [[] for _ in range(k)]
    i = 0
    for name in sorted(set(db)) if db is not None else [None]:
        mine = rec if name is None else rec[db == name]
        names = sorted(set(mine))
        vcount = {r: int(((rec == r) & (lab == V)).sum()) for r in names}
        for r in sorted(names, key=lambda r: (-vcount[r], r)):
            j = i % (2 * k)
            folds[j if j < k else 2 * k - 1 - j].append(r)
            i += 1
    return [sorted(f) for f in folds]


def export_fold_models(a, d: Data, fold_models, epoch: int, thr: float, sv: dict, root: Path, rng, cons: dict | None = None) -> None:
    """Each fold model at the chosen epoch as a models directory (ONNX, replay and reference sets,
    manifest.json) plus root/folds.json, so `npm run bench:finetune -- --cv root` can tune the
    fine-tuning job on DS1: every record reviewed with a model that never saw it."""
    listing = []
    for k, (members, shift, tr, names) in enumerate(fold_models):
        fdir = root / f"f{k + 1}"
        fdir.mkdir(parents=True, exist_ok=True)
        for m, states in members:
            m.load_state_dict(states[epoch])
        m = combine([m for m, _ in members])
        apply_shift(m, shift)
        m.eval()
        rows = np.sort(rng.choice(tr, min(8, len(tr)), replace=False))
        pw, pr, pt = d.rows(rows)
        names_in = ["window", "template", "rr"] if d.tpl is not None else ["window", "rr"]
        args = tuple(torch.from_numpy(x) for x in ([pw, pt, pr] if d.tpl is not None else [pw, pr]))
        onnx_path = fdir / "beat-pvc.onnx"
        export_app_model(a, d, m, args, names_in, fdir, set(names))  # calibrated without its held-out records
        half = rng.permutation(tr)
        ref_pool, pool = np.sort(half[: len(half) // 2]), np.sort(half[len(half) // 2:])
        sets = {}
        for kind, src, total in (("reference", ref_pool, 3000), ("replay", pool, 2000)):
            sel = src[stratified_sample(d.lab[src], REPLAY_QUOTA, total, rng)]
            _, e = predict(m, *d.rows(sel))
            save_npy(fdir / f"{kind}_embeddings.npy", e.astype(np.float32))
            save_npy(fdir / f"{kind}_labels.npy", d.lab[sel].astype(np.uint8))
            sets[kind] = {"embeddings": f"{kind}_embeddings.npy", "labels": f"{kind}_labels.npy", "n": int(len(sel))}
        inputs, outputs = onnx_io(onnx_path)
        entry = {"id": "beat-pvc", "task": "beat", "version": f"cv-fold{k + 1}", "file": onnx_path.name,
                 "sha256": sha256_file(onnx_path), "inputs": inputs, "outputs": outputs, "fs": 360,
                 "classes": AAMI, "scoreClass": "V", "defaultThreshold": round(thr, 6), "singleLeadInput": "zeros",
                 "supraventricular": sv, **({"consensus": cons} if cons else {}),
                 "head": {"weight": "head.weight", "bias": "head.bias", "embedding": "embedding", "dim": m.d_emb},
                 "replay": sets["replay"], "reference": sets["reference"],
                 "training": {"heldOut": names, "epochs": epoch,
                              "counts": {"train": {AAMI[c]: int((d.lab[tr] == c).sum()) for c in range(5)}}}}
        write_json(fdir / "manifest.json", {"models": [entry]})
        listing.append({"records": names, "models": fdir.name})
    write_json(root / "folds.json", listing)
    print(f"exported {len(listing)} fold models (epoch {epoch}, threshold {thr:.4f}) to {root}")


def export_app_model(a, d: Data, model, args: tuple, names: list[str], out: Path, held_out: set[str]) -> dict | None:
    """The model as the app gets it, into `out`: the float32 export (beat-pvc.float.onnx, what the
    parity check reads) and beat-pvc.onnx, with int8 convolutions (--int8, calibrated on the
    model's training beats) or the float file as it is. Returns the int8 calibration for train.json."""
    float_path, onnx_path = out / "beat-pvc.float.onnx", out / "beat-pvc.onnx"
    export_onnx(model, args, float_path, names, ["probs", "embedding"])
    if not a.int8:
        onnx_path.write_bytes(float_path.read_bytes())
        return None
    feeds = int8_calibration(a, d, held_out)
    ranges = quantize_file(float_path, onnx_path, feeds)
    return {"calibrationBeats": len(feeds["window"]), "ranges": {k: list(v) for k, v in ranges.items()}}


def int8_calibration(a, d: Data, held_out: set[str]) -> dict[str, np.ndarray]:
    """Calibration beats for hbs.quantize: the recorded beats (not their twins) of the records the
    model was trained on."""
    return calibration_rows(d.win[: d.n], None if d.tpl is None else d.tpl[: d.n], d.rec[: d.n], held_out,
                            a.calibration_beats, a.seed)


def combine(members: list[BeatNet]) -> BeatNet | BeatEnsemble:
    """One model for export: the member itself, or the members' mean-logit ensemble."""
    return members[0] if len(members) == 1 else BeatEnsemble(members).eval()


def exported_params(model) -> int:
    """Parameters in the exported graph (an ensemble's members keep their own, unused, fuse and head)."""
    return sum(p.numel() for n, p in model.named_parameters()
               if not (isinstance(model, BeatEnsemble) and n.split(".")[0] == "members" and n.split(".")[2] in ("fuse", "head")))


def ensemble_history(hists: list[list[dict]], stores: list[dict], lab_va: np.ndarray) -> list[dict]:
    """Per epoch, the held-out AP(V)/AP(S) of the members' mean-logit ensemble (a member's own
    history when there is one member): what the epoch choice reads."""
    if len(hists) == 1:
        return hists[0]
    out = []
    for e in range(1, min(len(h) for h in hists) + 1):
        pe = mean_logit_probs([st[e] for st in stores])
        out.append({"epoch": e, "loss": float(np.mean([h[e - 1]["loss"] for h in hists])),
                    "sec": float(sum(h[e - 1]["sec"] for h in hists)),
                    "apV": average_precision(pe[:, V], lab_va == V), "apS": average_precision(pe[:, 1], lab_va == 1)})
    return out


def supraventricular(probs: np.ndarray, s_offset: float, in_af: np.ndarray | None) -> np.ndarray:
    """The app's supraventricular rule (src/main/beats/supraventricular.ts), P(V) untouched: inside
    AF no beat is S (MIT-BIH labels beats in AF N; ectopy is not counted in AF), so P(S) moves to
    P(N); elsewhere the non-V classes are re-weighted with exp(s_offset) on S (the prior correction
    makes S rarely the most probable class), their sum kept."""
    p = probs.astype(np.float64).copy()
    w = np.ones(p.shape[1])
    w[1] = np.exp(s_offset)
    w[V] = 0.0
    u = p * w
    tot = u.sum(axis=1, keepdims=True)
    rest = 1.0 - p[:, V:V + 1]
    q = np.where(tot > 0, u * rest / np.maximum(tot, 1e-30), p)
    q[:, V] = p[:, V]
    if in_af is not None and in_af.any():
        q[in_af, 0] = p[in_af, 0] + p[in_af, 1]
        q[in_af, 1] = 0.0
        q[in_af, 2:] = p[in_af, 2:]
    return q


def choose_s_offset(pv: np.ndarray, lab: np.ndarray, db: np.ndarray, thr: float, in_af: np.ndarray | None,
                    min_s_ppv: float, grid=np.arange(0.0, 4.01, 0.25)) -> tuple[float, list]:
    """The S offset of the supraventricular rule (P(V), hence the V threshold, untouched): of the
    offsets whose out-of-fold S +P (EC57) is >= min_s_ppv on every database, the one with the
    highest pooled S recall; 0 when none is."""
    rows, best = [], (0.0, -1.0)
    for off in grid:
        p = supraventricular(pv, off, in_af)
        lab_p = label_at(p, thr)
        pc = per_class(confusion(lab, lab_p))
        each = {name: per_class(confusion(lab[db == name], lab_p[db == name]))["S"] for name in sorted(set(db))}
        ok = all(not (v["ppv"] < min_s_ppv) for v in each.values())  # NaN (no S call) passes
        rows.append({"offset": float(off), "threshold": thr, "S": pc["S"], "V": pc["V"], "byDatabase": each, "ok": ok})
        print(f"  S offset {off:.2f}: S Se {pc['S']['se']:.3f} +P {pc['S']['ppv']:.3f}; " +
              " ".join(f"{k} S {v['se']:.2f}/{v['ppv']:.2f}" for k, v in each.items()) + (" ok" if ok else ""))
        if ok and pc["S"]["se"] > best[1]:
            best = (float(off), pc["S"]["se"])
    if best[1] < 0:
        print(f"  no S offset reaches S +P >= {min_s_ppv} on every database: offset 0")
    return best[0], rows


def operating_point(oof: np.ndarray, lab: np.ndarray, db: np.ndarray, rec: np.ndarray, min_ppv: float, min_s_ppv: float,
                    min_recall: float, in_af: np.ndarray | None = None, features: np.ndarray | None = None) -> dict:
    """The stated rules applied to the out-of-fold probabilities of the chosen epoch: the morphology
    consensus (hbs.consensus, when the beats' morphology features are given: its k and weight by the
    pooled recall the threshold rule then reaches), the V threshold (the highest pooled V recall with
    EC57 +P >= min_ppv on every database), then the S offset of the supraventricular rule (with the AF
    part when in_af, the beats in reference AF, is given), with the figures they give. Returns the
    probabilities the rules make."""
    raw = oof
    cons, cons_grid = None, []
    if features is not None:
        def pooled_recall(p: np.ndarray) -> float:
            t, _ = choose_threshold_groups(p[:, V], lab == V, db, min_ppv, ignore=not_false_positive(lab))
            return float(((p[:, V] >= t) & (lab == V)).sum() / max(1, (lab == V).sum()))
        cons, cons_grid = morph.choose(oof, features, rec, pooled_recall)
        print("  morphology consensus grid (pooled V recall at the threshold rule): "
              + ", ".join(f"k{g['k']} w{g['weight']}: {g['score']:.4f}" for g in cons_grid) + f" -> {cons}")
        if cons["weight"] > 0:
            oof = morph.consensus(oof, features, rec, cons["k"], cons["weight"], cons["band"])
        else:
            cons = None
    thr, thr_rule = choose_threshold_groups(oof[:, V], lab == V, db, min_ppv, ignore=not_false_positive(lab))
    s_offset, s_grid = choose_s_offset(oof, lab, db, thr, in_af, min_s_ppv)
    pv = supraventricular(oof, s_offset, in_af)
    val_metrics = threshold_metrics(pv, lab, thr)
    by_db = database_report(pv, lab, db, rec, thr, raw=raw)
    for name, r in by_db.items():
        print(f"  out-of-fold {name}: V Se {r['V']['se']:.3f} +P {r['V']['ppv']:.3f} AP {r['apV']:.4f}; "
              f"S Se {r['S']['se']:.3f} +P {r['S']['ppv']:.3f}; ambiguous share p95 {r['ambiguousP95']:.3f}")
    recall95 = choose_threshold(pv[:, V], lab == V, min_recall)
    alt = threshold_metrics(pv, lab, recall95)["perClass"]["V"]
    print(f"  (for comparison: recall>={min_recall} rule -> threshold {recall95:.4f}, V Se {alt['se']:.3f} +P {alt['ppv']:.3f}; "
          f"at 0.5: {threshold_metrics(pv, lab, 0.5)['perClass']['V']})")
    return {"sOffset": s_offset, "sOffsetGrid": s_grid, "probs": pv, "threshold": thr, "thresholdRule": thr_rule,
            "val": val_metrics, "byDatabase": by_db, "recallRule": {"threshold": recall95, "V": alt},
            "supraventricular": {"sOffset": s_offset, "notInAf": in_af is not None},
            "consensus": cons, "consensusGrid": cons_grid}


def database_report(pv: np.ndarray, lab: np.ndarray, db: np.ndarray, rec: np.ndarray, thr: float,
                    raw: np.ndarray | None = None) -> dict:
    """Out-of-fold figures per database: V and S Se/+P at the threshold, AP(V), the calibration of
    P(V), and per record the ambiguous share (metrics.ambiguous_share, of `raw`: the model's own
    output, which the app measures before the supraventricular rule) with its V recall."""
    raw = pv if raw is None else raw
    out = {}
    for name in sorted(set(db)):
        m = db == name
        r = threshold_metrics(pv[m], lab[m], thr)
        recs = []
        for rname in sorted(set(rec[m])):
            k = rec == rname
            nv = int((lab[k] == V).sum())
            hit = int(((lab[k] == V) & (label_at(pv[k], thr) == V)).sum())
            recs.append({"record": rname, "ambiguous": ambiguous_share(raw[k]), "V": nv, "vFound": hit})
        amb = np.array([x["ambiguous"] for x in recs])
        out[name] = {"V": r["perClass"]["V"], "S": r["perClass"]["S"], "apV": r["apV"], "apS": r["apS"],
                     "calibrationV": calibration_bins(pv[m, V], lab[m] == V), "records": recs,
                     "ambiguousP95": float(np.quantile(amb, 0.95)) if len(amb) else 0.0, "confusion": r["confusion"]}
    return out


def threshold_metrics(pv: np.ndarray, lab: np.ndarray, thr: float) -> dict:
    cm = confusion(lab, label_at(pv, thr))
    return {"threshold": thr, "apV": average_precision(pv[:, V], lab == V),
            "apS": average_precision(pv[:, 1], lab == 1), "perClass": per_class(cm), "confusion": cm.tolist()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", required=True, nargs="+", help="beat dataset dirs (DS1, svdb, ...), record names unique across them")
    ap.add_argument("--alt-data", nargs="*", default=[],
                    help="the same records' beats cut after resampling to a low rate (dataset --via-fs): drawn in place of a beat with --alt-prob")
    ap.add_argument("--alt-prob", type=float, default=0.3)
    ap.add_argument("--mark-data", nargs="*", default=[],
                    help="the same beats cut at the app's QRS detector's marks (dataset --marks detector), of --data or --alt-data: drawn in place of a beat with --mark-prob")
    ap.add_argument("--mark-prob", type=float, default=0.5)
    ap.add_argument("--p-swap", type=float, default=0.2, help="leads swapped (beat and template)")
    ap.add_argument("--p-invert", type=float, default=0.1, help="a lead's polarity inverted, per lead")
    ap.add_argument("--p-absent", type=float, default=0.15, help="lead 1 absent (zeros): the single-lead input")
    ap.add_argument("--p-absent-lead1", type=float, default=0.0,
                    help="of the single-lead inputs, this share keep lead 1 (moved to lead 0) instead of lead 0")
    ap.add_argument("--class-cap", type=int, default=5000, help="at most this many beats of a class per epoch")
    ap.add_argument("--no-consensus", dest="consensus", action="store_false",
                    help="leave out the morphology consensus (hbs.consensus) from the operating point")
    ap.add_argument("--min-s-ppv", type=float, default=0.5,
                    help="S logit offset rule: the highest pooled S recall whose out-of-fold S +P >= this on every database")
    ap.add_argument("--out", required=True)
    ap.add_argument("--folds", type=int, default=5, help="patient-wise cross-validation folds inside DS1 (0: single split)")
    ap.add_argument("--fold-by", choices=["records", "database"], default="records",
                    help="records: patient-wise folds dealt across databases; database: leave-one-database-out")
    ap.add_argument("--cv-only", action="store_true", help="stop after the cross-validation (experiments)")
    ap.add_argument("--export-folds", action=argparse.BooleanOptionalAction, default=True,
                    help="write each fold model (at the chosen epoch) to OUT/folds for tuning fine-tuning on DS1")
    ap.add_argument("--val-records", default="106,116,201,215,220", help="single-split mode (--folds 0)")
    ap.add_argument("--template", action=argparse.BooleanOptionalAction, default=True,
                    help="give the model the record's template beat (template.npy) as context")
    ap.add_argument("--seed", type=int, default=20260422)
    ap.add_argument("--epochs", type=int, default=12)
    ap.add_argument("--members", type=int, default=1,
                    help="models trained per fold and for shipping with successive random streams, shipped as their mean-logit ensemble")
    ap.add_argument("--patience", type=int, default=6, help="single-split mode: early stopping")
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-3)
    ap.add_argument("--emb", type=int, default=32)
    ap.add_argument("--channels", default="24,48,64,96", help="channels of the four convolution blocks (chosen over 16,32,48,64 on three seeds of the folds: docs/experiments/2026-12-05-beat-width.md)")
    ap.add_argument("--n-ratio", type=float, default=4.0, help="N beats drawn per epoch per non-N beat")
    ap.add_argument("--hard-frac", type=float, default=0.5,
                    help="share of each epoch's N beats that are the hardest (lowest P(N)) of a random candidate pool")
    ap.add_argument("--hard-sv-frac", type=float, default=0.0,
                    help="share of each epoch's S and V beats that are the ones nearest the V/S boundary (0: drawn at random)")
    ap.add_argument("--hard-pool", type=int, default=12000, help="N beats scored per epoch to find the hard ones")
    ap.add_argument("--scale-aug", type=float, default=0.15, help="per-lead amplitude augmentation ±this")
    ap.add_argument("--shift-aug", type=int, default=5, help="a beat moved against its template by ±this many samples (where its mark falls on the QRS)")
    ap.add_argument("--common-shift-aug", type=int, default=0,
                    help="beat and template moved alike by ±this many samples (a record marked at another point of the QRS; 0: off)")
    ap.add_argument("--int8", action=argparse.BooleanOptionalAction, default=True,
                    help="ship (and export each fold model) with int8 convolutions (hbs.quantize), calibrated on "
                         "the model's own training beats; the float32 export stays as beat-pvc.float.onnx")
    ap.add_argument("--calibration-beats", type=int, default=20000, help="--int8: beats the activation ranges come from")
    ap.add_argument("--ema", type=float, default=0.99,
                    help="exponential moving average of the weights (per step) used for evaluation and export; 0 = off")
    ap.add_argument("--min-ppv", type=float, default=0.90,
                    help="cross-validation threshold rule: the highest V recall whose pooled out-of-fold +P >= this")
    ap.add_argument("--min-recall", type=float, default=0.95,
                    help="single-split threshold rule: the highest P(V) threshold with validation V recall >= this")
    ap.add_argument("--no-prior-correction", action="store_true",
                    help="keep the head bias as trained (default: shift it to the training records' class prior)")
    ap.add_argument("--corrections", nargs="*", default=[],
                    help="pooled review corrections (scripts/corrections-dataset.ts): reviewed beats relabel or join their record, same fold")
    ap.add_argument("--max-beats", type=int, default=0, help="smoke tests: keep at most this many beats")
    ap.add_argument("--time-budget", type=float, default=0, help="stop each training after this many seconds (0 = none)")
    a = ap.parse_args(argv)

    rng, g, out = start_run(a.seed, a.out)

    d, meta0 = load_data(a.data, a.alt_data, a.template, a.mark_data)
    if a.corrections:  # pooled review corrections: hbs/corrections.py, docs/scale.md
        d = add_corrections(d, a.data, a.corrections, a.template)
    if a.max_beats and d.n > a.max_beats:
        keep = np.sort(rng.choice(d.n, a.max_beats, replace=False))
        d = Data(d.win[keep], d.rr[keep], d.lab[keep], d.rec[keep], None if d.tpl is None else d.tpl[keep], db=d.db[keep],
                 in_af=None if d.in_af is None else d.in_af[keep])
    lab, rec, tpl, db = d.lab[: d.n], d.rec[: d.n], d.tpl, d.db
    d0 = {"meta": meta0}
    counts = lambda idx: {AAMI[c]: int((lab[idx] == c).sum()) for c in range(5)}
    all_idx = np.arange(len(lab))
    records = sorted(set(rec))
    t_start = time.time()
    cv = None

    if a.fold_by == "database" and len(set(db)) < 2:
        raise SystemExit("--fold-by database needs datasets of at least two databases")
    if (a.folds >= 2 or a.fold_by == "database") and len(records) >= a.folds:
        folds = ([sorted(set(rec[db == name])) for name in sorted(set(db))] if a.fold_by == "database"
                 else make_folds(rec, lab, a.folds, db))
        print(f"{a.folds}-fold patient-wise cross-validation inside {len(records)} records: {folds}")
        oof = np.zeros((a.epochs, len(lab), 5), dtype=np.float32)
        reached = a.epochs
        fold_hist, fold_models = [], []
        for f, names in enumerate(folds):
            va = np.nonzero(np.isin(rec, names))[0]
            tr = np.nonzero(~np.isin(rec, names))[0]
            assert not set(rec[tr]) & set(rec[va]), "patient-wise split violated"
            print(f"fold {f + 1}: train {len(tr)} beats {counts(tr)}; held out {names} {counts(va)}")
            members, stores, hists = [], [], []
            for k in range(a.members):
                store, states = {}, {}

                def keep_probs(epoch, pv, m, store=store, states=states):
                    store[epoch] = pv
                    states[epoch] = {n: v.detach().clone() for n, v in m.state_dict().items()}
                tag = f"fold {f + 1} " + (f"member {k + 1} " if a.members > 1 else "")
                fm, hist, shift, _ = train_model(a, d, tr, rng, g, a.epochs, va, keep_probs, tag=tag)
                members.append((fm, states))
                stores.append(store)
                hists.append(hist)
            hist = ensemble_history(hists, stores, lab[va])
            reached = min(reached, len(hist))
            for e in range(1, len(hist) + 1):  # the same prior correction the shipped head gets
                oof[e - 1, va] = corrected(mean_logit_probs([st[e] for st in stores]), shift)
            fold_hist.append({"records": names, "history": hist, **({"members": hists} if a.members > 1 else {})})
            fold_models.append((members, shift, tr, names))  # the S offset is added once chosen
        # epoch choice: the best mean (over folds) held-out AP(V)
        mean_ap = [float(np.mean([h["history"][e]["apV"] for h in fold_hist])) for e in range(reached)]
        pooled_ap = [average_precision(oof[e][:, V], lab == V) for e in range(reached)]
        best_epoch = int(np.argmax(mean_ap)) + 1
        oof_best = oof[best_epoch - 1]
        op = operating_point(oof_best, lab, db, rec, a.min_ppv, a.min_s_ppv, a.min_recall, d.in_af,
                             features=morph.morphology_features(d.win[: d.n]) if a.consensus else None)
        s_offset, s_grid, pv, thr, thr_rule, val_metrics, by_db = (op[k] for k in ("sOffset", "sOffsetGrid", "probs", "threshold",
                                                                                  "thresholdRule", "val", "byDatabase"))
        pc = val_metrics["perClass"]["V"]
        print(f"cross-validation: epochs {best_epoch} (mean held-out AP(V) {mean_ap[best_epoch - 1]:.4f}, pooled "
              f"{pooled_ap[best_epoch - 1]:.4f}); threshold {thr:.4f} ({thr_rule}) -> out-of-fold V Se {pc['se']:.3f} "
              f"+P {pc['ppv']:.3f}; S Se {val_metrics['perClass']['S']['se']:.3f} +P {val_metrics['perClass']['S']['ppv']:.3f}")
        if a.export_folds:
            # its own random stream, so exporting does not change the shipped model's training
            export_fold_models(a, d, fold_models, best_epoch, thr, op["supraventricular"], out / "folds", np.random.default_rng(a.seed + 1),
                                op["consensus"])
        cv = {"folds": fold_hist, "meanApV": mean_ap, "pooledApV": pooled_ap, "epochs": best_epoch,
              "sOffset": s_offset, "sOffsetGrid": s_grid, "supraventricular": op["supraventricular"], "byDatabase": by_db,
              "consensus": op["consensus"], "consensusGrid": op["consensusGrid"],
              "thresholdRule": thr_rule, "recallRule": op["recallRule"]}
        eval_idx, eval_probs = all_idx, pv
        final_tr = all_idx
        epochs = best_epoch
        if a.cv_only:  # the out-of-fold probabilities kept for comparing runs (hbs.rethreshold reads oof_probs.npy)
            save_npy(out / "oof_probs.npy", oof_best.astype(np.float32))
            write_json(out / "cv.json", {"crossValidation": cv, "val": val_metrics, "threshold": thr,
                                         "hyper": {k: str(v) for k, v in vars(a).items()}})
            print(f"wrote {out / 'cv.json'} (--cv-only: no final model)")
            return 0
        print(f"final model: all {len(records)} records, {epochs} epochs")
        finals = [train_model(a, d, final_tr, rng, g, epochs, tag="final " + (f"member {k + 1} " if a.members > 1 else ""))
                  for k in range(a.members)]
        model = combine([f[0] for f in finals])
        _, history, shift, class_w = finals[0]
        apply_shift(model, shift)
        val_names, train_records = [], records
    else:
        val_names = [s for s in a.val_records.split(",") if s]
        is_val = np.isin(rec, val_names)
        if not is_val.any() or is_val.all():  # smoke subsets: fall back to the last record as validation
            val_names = [records[-1]]
            is_val = rec == records[-1]
        tr, va = np.nonzero(~is_val)[0], np.nonzero(is_val)[0]
        assert not set(rec[tr]) & set(rec[va]), "patient-wise split violated"
        train_records = sorted(set(rec[tr]))
        print(f"train {len(tr)} beats from {len(train_records)} records {counts(tr)}")
        print(f"val   {len(va)} beats from {val_names} {counts(va)}")
        best = {"ap": -1.0, "epoch": -1, "state": None}

        def keep_best(epoch, pv, m):
            ap_v = average_precision(pv[:, V], lab[va] == V)
            if ap_v > best["ap"]:
                best.update(ap=ap_v, epoch=epoch, state={k: v.detach().clone() for k, v in m.state_dict().items()})
            elif epoch - best["epoch"] >= a.patience:
                print(f"early stop: no AP(V) gain for {a.patience} epochs")
                return False
            return True
        model, history, shift, class_w = train_model(a, d, tr, rng, g, a.epochs, va, keep_best)
        model.load_state_dict(best["state"])
        apply_shift(model, shift)
        epochs = best["epoch"]
        eval_idx = va
        eval_probs, _ = predict(model, *d.rows(va))
        thr = choose_threshold(eval_probs[:, V], lab[va] == V, a.min_recall) if (lab[va] == V).any() else 0.5
        thr_rule = f"highest P(V) threshold with V recall >= {a.min_recall} on the DS1 validation records"
        val_metrics = threshold_metrics(eval_probs, lab[va], thr)
        final_tr = tr
    train_sec = time.time() - t_start
    model.eval()
    print("class weights", dict(zip(AAMI, np.round(class_w, 2).tolist())))
    print("head.bias prior shift", dict(zip(AAMI, np.round(shift, 3).tolist())))
    print(f"threshold {thr:.4f} -> V Se {val_metrics['perClass']['V']['se']:.3f} +P {val_metrics['perClass']['V']['ppv']:.3f}")
    torch.save(model.state_dict(), out / "model.pt")

    # export + a parity batch (PyTorch outputs saved for the onnxruntime-node check)
    onnx_path = out / "beat-pvc.onnx"
    non_n = final_tr[lab[final_tr] != 0]
    pidx = np.sort(np.concatenate([rng.choice(eval_idx, min(48, len(eval_idx)), replace=False),
                                   rng.choice(non_n, min(16, len(non_n)), replace=False)]))
    pw, pr, pt = d.rows(pidx)
    names = ["window", "template", "rr"] if tpl is not None else ["window", "rr"]
    args = tuple(torch.from_numpy(x) for x in ([pw, pt, pr] if tpl is not None else [pw, pr]))
    # what ships (the parity batch checks the float export); the single split's validation records are not trained on
    int8 = export_app_model(a, d, model, args, names, out, set(val_names))
    with torch.no_grad():
        pp, pe = model(*args)
    for name, arr in {**dict(zip(names, [x.numpy() for x in args])), "probs": pp.numpy(), "embedding": pe.numpy()}.items():
        save_npy(out / "parity" / f"{name}.npy", arr)

    # the probabilities the threshold came from (threshold plots); the reference set (a fixed
    # stratified sample the fine-tuning reports before/after on) and the replay sample (what
    # fine-tuning mixes in so the head does not forget), disjoint, embedded by the shipped model
    save_npy(out / "val_probs.npy", eval_probs.astype(np.float32))
    if cv is not None:  # the model's own out-of-fold probabilities, before the S rule (hbs.rethreshold)
        save_npy(out / "oof_probs.npy", oof_best.astype(np.float32))
    save_npy(out / "val_labels.npy", lab[eval_idx].astype(np.uint8))
    if cv is None:
        ref_idx, pool = eval_idx, final_tr
    else:  # two disjoint halves of the training beats: reference from one, replay from the other
        half = rng.permutation(final_tr)
        ref_pool, pool = np.sort(half[: len(half) // 2]), np.sort(half[len(half) // 2:])
        ref_idx = ref_pool[stratified_sample(lab[ref_pool], REPLAY_QUOTA, 3000, rng)]
    _, ev = predict(model, *d.rows(ref_idx))
    save_npy(out / "reference_embeddings.npy", ev.astype(np.float32))
    save_npy(out / "reference_labels.npy", lab[ref_idx].astype(np.uint8))
    rsel = pool[stratified_sample(lab[pool], REPLAY_QUOTA, 2000, rng)]
    _, er = predict(model, *d.rows(rsel))
    save_npy(out / "replay_embeddings.npy", er.astype(np.float32))
    save_npy(out / "replay_labels.npy", lab[rsel].astype(np.uint8))

    info = {"seed": a.seed, "valRecords": val_names, "trainRecords": train_records, "template": tpl is not None,
            "trainCounts": counts(final_tr), "valCounts": counts(eval_idx), "params": exported_params(model),
            "embedding": model.d_emb, "members": a.members if cv is not None else 1, "rrFeatures": d0["meta"].get("rrFeatures"), "bestEpoch": epochs, "history": history,
            "trainSec": round(train_sec, 1), "minRecall": a.min_recall, "minPpv": a.min_ppv, "thresholdRule": thr_rule,
            "val": val_metrics, "crossValidation": cv,
            "hyper": {k: getattr(a, k) for k in ["folds", "epochs", "patience", "batch", "lr", "weight_decay", "n_ratio", "ema", "hard_frac", "hard_sv_frac", "hard_pool", "scale_aug", "no_prior_correction", "time_budget",
                                                "members", "data", "alt_data", "alt_prob", "mark_data", "mark_prob", "p_swap", "p_invert", "p_absent", "p_absent_lead1", "class_cap", "min_ppv", "min_s_ppv", "channels",
                                                "shift_aug", "common_shift_aug"]},
            "singleLeadInput": "zeros",
            "int8": int8,
            "priorShift": shift.tolist(),
            "replay": {"n": int(len(rsel)), "counts": {AAMI[c]: int((lab[rsel] == c).sum()) for c in range(5)}},
            "reference": {"n": int(len(ref_idx)), "what": "validation beats" if cv is None else "stratified sample of the training records"}}
    write_json(out / "train.json", info)
    print(f"wrote {onnx_path} ({onnx_path.stat().st_size} bytes) in {train_sec:.0f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
