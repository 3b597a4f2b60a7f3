"""Ship the beat model: copy the ONNX file and the fine-tuning sets into models/, draw the plots,
write the manifest entry and the model card.

  /usr/bin/python3 -m hbs.card_beats --run training/work/beats/run --test-data training/work/beats/ds2 \
      --test-probs training/work/beats/ds2_probs.npy [--eval training/work/beats/ds2_eval.json] --models models

--test-probs are the DS2 probabilities computed by onnxruntime-node from the shipped ONNX file
(scripts/train-parity.ts --score), on the reference beat positions; --eval is the JSON of
`heartbeat-sensei evaluate` (EC57 bxb) on the annotations `heartbeat-sensei analyze` wrote."""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np

from .common import onnx_io, sha256_file, today, write_json, update_manifest
from . import consensus as morph
from .beats import supraventricular
from .metrics import AAMI, V, average_precision, confusion, label_at, per_class, pr_curve
from .svg import confusion_svg, line_chart

ID = "beat-pvc"
AMBIGUOUS_LEVEL = 0.8
EVALS = {
    "ds2-atr": "DS2, both leads, reference beat positions: analyze --beats atr + evaluate",
    "ds2-detect": "DS2, both leads, the app's QRS detector: analyze --beats detect + evaluate",
    "ds2-lead0": "DS2, lead 0 alone (single-lead input): analyze --beats atr --leads 0 + evaluate",
    "svdb-oof": "svdb (given 39 records) out of fold, both leads: analyze --beats atr --models run/folds/fK + evaluate",
    "svdb-oof-lead0": "svdb out of fold, lead 0 alone: analyze --beats atr --leads 0 --models run/folds/fK + evaluate",
    "svdb-oof-detect": "svdb out of fold, both leads, the app's QRS detector: analyze --beats detect --models run/folds/fK + evaluate",
}


def training_data(info: dict) -> str:
    dbs = (info.get("crossValidation") or {}).get("byDatabase") or {}
    names = {"mitdb": "MIT-BIH Arrhythmia DS1 (de Chazal 2004)", "svdb": "MIT-BIH Supraventricular Arrhythmia (given records)"}
    return " + ".join(names.get(d, d) for d in dbs) if dbs else "MIT-BIH Arrhythmia Database DS1 (de Chazal 2004)"


def threshold_curves(score: np.ndarray, positive: np.ndarray, grid: np.ndarray) -> dict[str, np.ndarray]:
    p, r = [], []
    npos = max(int(positive.sum()), 1)
    for t in grid:
        pred = score >= t
        tp = int((pred & positive).sum())
        p.append(tp / max(int(pred.sum()), 1) if pred.any() else 1.0)
        r.append(tp / npos)
    p, r = np.array(p), np.array(r)
    f1 = np.where(p + r > 0, 2 * p * r / np.maximum(p + r, 1e-12), 0.0)
    return {"precision": p, "recall": r, "f1": f1}


def fmt(v) -> str:
    return "–" if v is None or (isinstance(v, float) and not np.isfinite(v)) else f"{v:.3f}"


def ec57_summary(ev: dict) -> dict:
    """Gross V and S figures from `heartbeat-sensei evaluate --json` (src/main/evaluation/json.ts)."""
    out = {}
    gross = ev["gross"]
    for cls in ("V", "S"):
        node = gross[cls]
        out[cls] = {"se": node.get("se"), "ppv": node.get("ppv"), "tp": node.get("tp"), "fn": node.get("fn"), "fp": node.get("fp")}
    return out


def int8_note(q: dict) -> str:
    """What the shipped file's int8 convolutions are (hbs.quantize)."""
    return ("Int8 convolutions (`hbs.quantize`, QDQ format: ONNX Runtime runs them as QLinearConv, ~2.8× the beats a second of "
            "float32 on one core, docs/experiments/2026-12-06-beat-int8.md): weights int8 per output channel in 7 bits (±63: no int16 "
            "saturation on x86 CPUs without VNNI), each convolution's input and ReLU output uint8 over the full range "
            f"{q['calibrationBeats']} training beats reach (a fifth with lead 1 absent; the full range rather than a clipped one was kept "
            "after a feasibility look at 16,384 DS2 beats, the one choice here DS2 informed); the RR branch, embedding layer and head stay "
            "float32. The fold models behind the out-of-fold figures are quantized the same way, each calibrated without its held-out "
            "records; the parity check (PyTorch against ONNX Runtime) is made on the float32 export (`beat-pvc.float.onnx` of the run).")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True)
    ap.add_argument("--test-data", required=True)
    ap.add_argument("--test-probs", required=True)
    ap.add_argument("--evals", default="", help="folder with eval-<name>.json / eval-<name>-ec57.json of heartbeat-sensei evaluate "
                    "(names ds2-atr, ds2-detect, ds2-lead0, svdb-oof, svdb-oof-lead0, svdb-oof-detect; scripts/train-beats.sh)")
    ap.add_argument("--models", default="models")
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--command", default="npm run train:beats")
    a = ap.parse_args(argv)
    run, models = Path(a.run), Path(a.models)
    plots = models / ID
    plots.mkdir(parents=True, exist_ok=True)
    info = json.loads((run / "train.json").read_text())
    thr = float(info["val"]["threshold"])

    # --- files that ship
    onnx_dst = models / f"{ID}.onnx"
    shutil.copyfile(run / f"{ID}.onnx", onnx_dst)
    sets = {}
    for kind in ("replay", "reference"):
        files = {}
        for part in ("embeddings", "labels"):
            dst = models / f"{ID}.{kind}.{part}.npy"
            shutil.copyfile(run / f"{kind}_{part}.npy", dst)
            files[part] = dst.name
        lab = np.load(models / files["labels"])
        sets[kind] = {**files, "n": int(len(lab)), "counts": {AAMI[c]: int((lab == c).sum()) for c in range(5)}}
    sets["replay"]["what"] = ("stratified sample of the training beats (up to 1100 N, 350 S, 350 V, 150 F, 50 Q; "
                              "shortfall filled with N): embedding output float32 [n,D] and AAMI labels uint8 [n]")
    if info.get("crossValidation"):
        sets["reference"]["what"] = ("stratified sample (same quotas) of the training beats, disjoint from the replay sample: "
                                     "embedding float32 [n,D], labels uint8 [n]; a fixed set to show what fine-tuning does to the general model")
    else:
        sets["reference"]["what"] = (f"every beat of the DS1 validation records {' '.join(info['valRecords'])} "
                                     "(never trained on): embedding float32 [n,D], labels uint8 [n]")
    cv = info.get("crossValidation")
    held = "DS1 out-of-fold" if cv else "DS1 validation"

    # --- validation (threshold choice) and DS2 (test) beat-level figures
    vp, vl = np.load(run / "val_probs.npy"), np.load(run / "val_labels.npy").astype(np.int64)
    tp_, tl = np.load(a.test_probs), np.load(Path(a.test_data) / "labels.npy").astype(np.int64)
    if len(tp_) != len(tl):
        raise SystemExit(f"{a.test_probs}: {len(tp_)} rows but {len(tl)} labels")
    cons = (cv or {}).get("consensus")
    if cons:  # the app's morphology consensus, each DS2 record on its own
        trec = np.load(Path(a.test_data) / "record.npy")
        tfeat = morph.morphology_features(np.load(Path(a.test_data) / "windows.npy", mmap_mode="r"))
        tp_ = morph.consensus(tp_, tfeat, trec, cons["k"], cons["weight"], cons["band"], cons["block"])
    sv = (cv or {}).get("supraventricular")
    if sv:  # the app's S rule, here with the reference AF stretches (the app uses the AF it detects)
        tflags = np.load(Path(a.test_data) / "flags.npy")
        tp_ = supraventricular(tp_, sv["sOffset"], (tflags & 4) != 0 if sv.get("notInAf") else None)
    sets_eval = {f"{held} (threshold choice)": (vp, vl), "DS2 (test)": (tp_, tl)}
    series_pr, base = [], []
    for name, (p, l) in sets_eval.items():
        c = pr_curve(p[:, V], l == V)
        series_pr.append({"label": f"{name}, AP {average_precision(p[:, V], l == V):.3f}", "x": c["recall"], "y": c["precision"]})
        base.append({"label": f"prevalence {name.split(' ')[0]} {np.mean(l == V):.3f}", "value": float(np.mean(l == V))})
    (plots / "pr-v.svg").write_text(line_chart("PR curve of V (PVC), beat level", "recall (Se)", "precision (+P)",
                                               series_pr, hlines=base))
    grid = np.linspace(0.0, 1.0, 201)
    tc = threshold_curves(tp_[:, V], tl == V, grid)
    vc = threshold_curves(vp[:, V], vl == V, grid)
    (plots / "threshold-v.svg").write_text(line_chart(
        "V precision / recall / F1 vs threshold", "threshold on P(V)", "value",
        [{"label": "DS2 precision", "x": grid, "y": tc["precision"]}, {"label": "DS2 recall", "x": grid, "y": tc["recall"]},
         {"label": "DS2 F1", "x": grid, "y": tc["f1"]}, {"label": f"{held} recall", "x": grid, "y": vc["recall"]},
         {"label": f"{held} precision", "x": grid, "y": vc["precision"]}],
        vlines=[{"label": f"shipped threshold {thr:.3f}", "value": thr}]))
    cm_t = confusion(tl, label_at(tp_, thr))
    cm_v = confusion(vl, label_at(vp, thr))
    (plots / "confusion-ds2.svg").write_text(confusion_svg(f"DS2 at threshold {thr:.3f} (onnxruntime, reference beats)", cm_t, AAMI))
    (plots / "confusion-val.svg").write_text(confusion_svg(f"{held} at threshold {thr:.3f}", cm_v, AAMI))
    test_beat = {"perClass": per_class(cm_t), "confusion": cm_t.tolist(), "apV": average_precision(tp_[:, V], tl == V),
                 "apS": average_precision(tp_[:, 1], tl == 1), "n": int(len(tl)),
                 "source": "onnxruntime-node on the shipped ONNX file, DS2 reference beat positions (atr), labelAt rule"}
    evals = {}
    for name, what in EVALS.items():
        f = Path(a.evals) / f"eval-{name}.json" if a.evals else None
        if f and f.exists():
            ev = json.loads(f.read_text())
            e = {"source": what, **ec57_summary(ev)}
            f5 = f.with_name(f"eval-{name}-ec57.json")
            if f5.exists():
                e["firstFiveMinutesExcluded"] = ec57_summary(json.loads(f5.read_text()))
            if name == "ds2-detect":
                e["qrs"] = {"se": ev["gross"]["qrs"]["se"], "ppv": ev["gross"]["qrs"]["ppv"]}
            evals[name] = e
    by_db = (cv or {}).get("byDatabase") or {}
    amb = [r["ambiguous"] for d in by_db.values() for r in d["records"]]
    ambiguity = {"level": AMBIGUOUS_LEVEL, "alert": round(float(np.quantile(amb, 0.95)), 4)} if amb else None
    if by_db:
        (plots / "calibration.svg").write_text(line_chart(
            "Calibration of P(V), out of fold, per database", "predicted P(V) (bin mean)", "observed share of V beats",
            [{"label": f"{name}", "x": np.array([b["predicted"] for b in d["calibrationV"]]),
              "y": np.array([b["observed"] for b in d["calibrationV"]])} for name, d in by_db.items()] +
            [{"label": "perfect calibration", "x": np.array([0.0, 1.0]), "y": np.array([0.0, 1.0])}],
            vlines=[{"label": f"shipped threshold {thr:.3f}", "value": thr}]))

    # --- manifest
    single = (cv or {}).get("singleLead")
    inputs, outputs = onnx_io(onnx_dst)
    entry = {
        "id": ID, "task": "beat", "version": a.version, "file": onnx_dst.name, "sha256": sha256_file(onnx_dst),
        "bytes": onnx_dst.stat().st_size, "inputs": inputs, "outputs": outputs, "fs": 360,
        "classes": AAMI, "scoreClass": "V", "defaultThreshold": round(thr, 6),
        **({"singleLeadThreshold": single["threshold"]} if single else {}),
        "singleLeadInput": info.get("singleLeadInput", "copy"),
        **({"ambiguity": ambiguity} if ambiguity else {}),
        **({"supraventricular": sv} if sv else {}),
        **({"consensus": cons} if cons else {}),
        "thresholdRule": (f"{info['thresholdRule']}, on the pooled out-of-fold P(V) of the {len(cv['folds'])}-fold patient-wise cross-validation ({training_data(info)})"
                          if cv else info.get("thresholdRule") or f"highest P(V) threshold with V recall >= {info['minRecall']} on the DS1 validation records"),
        "head": {"weight": "head.weight", "bias": "head.bias", "embedding": "embedding",
                 "dim": info["embedding"], "rule": "probs = softmax(embedding · head.weightᵀ + head.bias)"},
        "rrFeatures": info.get("rrFeatures"),
        "window": {"length": 216, "rIndex": 90, "leads": 2, "preprocessing": "src/main/beats (heartbeat-sensei dataset --kind beats)"},
        "replay": sets["replay"], "reference": sets["reference"],
        "training": {"data": training_data(info) + ", reference beats (atr)",
                     "split": {"train": info["trainRecords"], "validation": info["valRecords"] or [f["records"] for f in cv["folds"]],
                               "validationKind": "patient-wise cross-validation folds across the training databases" if cv else "held-out DS1 records",
                               "test": "DS2 (22 records), never used for choices"},
                     "seed": info["seed"], "date": today(), "command": a.command, "epochs": info["bestEpoch"],
                     "trainSec": info["trainSec"], "params": info["params"], "counts": {"train": info["trainCounts"], "validation": info["valCounts"]}},
        "metrics": {"validation": info["val"], "outOfFoldByDatabase": {k: {x: v[x] for x in ("V", "S", "apV", "apS")} for k, v in by_db.items()},
                    "ds2Beat": test_beat, "ec57": evals},
    }
    update_manifest(models / "manifest.json", entry)

    # --- model card
    pc, vpc = test_beat["perClass"], info["val"]["perClass"]
    vpc_ = vpc
    channels = [int(c) for c in str(info["hyper"].get("channels") or "16,32,48,64").split(",")]
    lines = [f"# Beat model `{ID}` v{a.version}", "",
             "Scores every beat with the AAMI EC57 classes N, S, V, F, Q; P(V) is the PVC score the app thresholds.",
             f"File `{onnx_dst.name}` ({onnx_dst.stat().st_size / 1024:.0f} KiB, {info['params']} parameters), sha256 `{entry['sha256']}`.", "",
             "## Interface",
             "| | name | shape | dtype | what |", "|---|---|---|---|---|",
             "| in | `window` | [N,2,216] | float32 | beat windows from `src/main/beats` (360 Hz, R at index 90, per-lead QRS-amplitude normalised) |",
             *(["| in | `template` | [N,2,216] | float32 | the record's dominant beat around this beat (`src/main/beats/template.ts`: per-sample median of up to 64 evenly spaced non-premature beats among the surrounding 3 × 128 beats), normalised like `window` |"] if info.get("template") else []),
             f"| in | `rr` | [N,{len(info.get('rrFeatures') or [])}] | float32 | RR features {', '.join(info.get('rrFeatures') or [])} (raw; the graph clips, logs and standardises them; an interval across two seconds flat on every lead is left out, `src/main/beats/gaps.ts`) |",
             "| out | `probs` | [N,5] | float32 | softmax, order N,S,V,F,Q |",
             f"| out | `embedding` | [N,{info['embedding']}] | float32 | penultimate features (after ReLU) |", "",
             f"The last layer is one plain linear head: initializers `head.weight` [5,{info['embedding']}] and `head.bias` [5]; "
             "`probs = softmax(embedding · head.weightᵀ + head.bias)` holds exactly (checked by `tests/unit/training-models.test.ts`). "
             f"Fine-tuning rewrites these two and the embedding layer below them (`fuse.1.weight` [{info['embedding']},{channels[-1] + 16}], `fuse.1.bias` [{info['embedding']}]; "
             f"embedding = ReLU(features · Wᵀ + b) on the {channels[-1] + 16} features before it), nothing else.", "",
             ("Architecture: input channels beat (2 leads), template (2), beat − template (2) → " if info.get("template") else "Architecture: ") +
             f"AvgPool(2) → 4 × (Conv1D → BatchNorm → ReLU → MaxPool) with {'/'.join(map(str, channels))} channels → global average pooling; "
             "RR branch Linear(7,16)-ReLU-Linear(16,16)-ReLU; concat → Dropout 0.3 → Linear → ReLU (embedding) → Dropout 0.2 (training only) → head.", "",
             *([int8_note(info["int8"]), ""] if info.get("int8") else []),
             "## Training",
             (f"- Data: {training_data(info)}, reference beat positions, {len(info['trainRecords'])} records ({info['trainCounts']}). "
              f"Choices by {len(cv['folds'])}-fold patient-wise cross-validation, records dealt into folds database by database by their V count "
              f"(folds {' | '.join(' '.join(f['records']) for f in cv['folds'])}). MIT-BIH DS2 is only used for the figures below (and the one look the int8 note names); "
              "the other 39 svdb records and other databases are an external test set this project never sees." if cv else
              f"- Data: MIT-BIH DS1 (de Chazal et al. 2004), reference beat positions; train records {' '.join(info['trainRecords'])}; "
              f"validation records {' '.join(info['valRecords'])} (patient-wise; chosen before training). DS2 is only used for the figures below."),
             f"- Counts: train {info['trainCounts']}; {'out-of-fold' if cv else 'validation'} {info['valCounts']}.",
             f"- Each epoch: the non-N training beats (at most {info['hyper'].get('class_cap')} per class, drawn anew) + {info['hyper']['n_ratio']}× as many N beats; class-weighted cross-entropy "
             "(weights √(n_max/n_c), capped at 10); AdamW (lr {lr}, weight decay {wd}) with cosine decay.".format(lr=info['hyper']['lr'], wd=info['hyper']['weight_decay']),
             f"- Augmentation for other hospitals' records: a MIT-BIH beat is replaced by its 128 Hz twin (the record resampled to 128 Hz by the app's resampler, "
             f"`heartbeat-sensei dataset --via-fs 128`, beats cut from there) with probability {info['hyper'].get('alt_prob')}"
             + (f"; then a beat (or its 128 Hz twin) by the same beat cut where the app's QRS detector marks it (`dataset --marks detector`: "
                "the detector's mark departs from an annotator's by up to tens of milliseconds, most on PVCs, docs/experiments/2026-12-06-beat-fiducials.md) "
                f"with probability {info['hyper'].get('mark_prob')}" if info['hyper'].get('mark_data') else "")
             + "; leads swapped "
             f"(p {info['hyper'].get('p_swap')}), a lead's polarity inverted (p {info['hyper'].get('p_invert')} per lead), lead 1 absent (zeros, p {info['hyper'].get('p_absent')}: "
             "the single-lead input, `singleLeadInput: \"zeros\"` in the manifest, which the app gives records with one ECG signal, and a two-lead beat whose "
             "lead 0 is off, lead 1 moved to lead 0); per-lead amplitude "
             f"×[1 ± {info['hyper'].get('scale_aug')}] to beat and template alike; baseline offset and drift and Gaussian noise to the beat; the beat shifted against its template "
             f"by ±{info['hyper'].get('shift_aug', 5)} samples.",
             (f"- Prior correction after training: head.bias += log(training-record class prior / effective training prior) "
              f"(shift {dict(zip(AAMI, [round(v, 2) for v in info['priorShift']]))}), so probs follow the real class mix."
              if info.get("priorShift") else "- No prior correction (probs calibrated to the re-weighted training mix)."),
             (f"- Supraventricular rule (manifest `supraventricular`, applied by the app after the rhythm model; P(V) and the V threshold untouched): "
              + ("no beat inside an AF episode is S (P(S) moves to P(N): MIT-BIH labels beats in AF N, and ectopy is not counted in AF); " if sv.get("notInAf") else "")
              + f"elsewhere S weighted by exp({sv['sOffset']:.2f}) among the non-V classes, the offset of 0–4 whose out-of-fold S +P (EC57) is ≥ "
              f"{info['hyper'].get('min_s_ppv')} on every database with the highest pooled S recall (AF from the reference rhythm annotations out of fold)."
              if sv else ""),
             (f"- Morphology consensus (manifest `consensus`, `src/main/beats/consensus.ts`, applied by the app to the model's output; `hbs.consensus`): "
              f"a beat with {cons['band']} < P(V) < {1 - cons['band']:.2f} gets logit P(V) ← {1 - cons['weight']:.1f}·logit P(V) + {cons['weight']:.1f}·logit(median P(V) of its "
              f"{cons['k']} nearest beats of the same record by shape: both leads of the normalised window, samples {cons['feature']['from']}–{cons['feature']['to']} every "
              f"{cons['feature']['step']}th, records longer than {cons['block']} beats in equal blocks); the other classes keep their ratios. k and weight from the grid "
              + ", ".join(f"k{g['k']}/w{g['weight']} {g['score']:.4f}" for g in cv.get("consensusGrid", []))
              + " (pooled out-of-fold V recall at the threshold rule), the smallest weight within 0.001 of the best. The threshold below is chosen after it."
              if cons else ""),
             f"- Hard negatives: from epoch 2, half of each epoch's N beats are the least N-like of a random pool of "
             f"{info['hyper'].get('hard_pool')}; EMA of the weights ({info['hyper'].get('ema')}) for validation and export.",
             (f"- Epochs: {info['bestEpoch']}, the best mean out-of-fold average precision of V over the folds "
              f"(per epoch: {', '.join(f'{x:.3f}' for x in cv['meanApV'])}); the shipped model is then trained on all records for that many epochs. "
              if cv else f"- Early stopping on validation average precision of V: best epoch {info['bestEpoch']} (patience {info['hyper']['patience']}); ") +
             f"{info['trainSec'] / 60:.1f} min of CPU training in all (2 threads), seed {info['seed']}.",
             (f"- Threshold rule (recall first under a false-alarm budget, the same budget on every database): {info['thresholdRule']}: **{thr:.4f}** "
              f"(pooled out-of-fold V Se {vpc_['V']['se']:.3f}, +P {vpc_['V']['ppv']:.3f})."
              if cv else f"- Threshold rule (recall first): the highest threshold on P(V) whose V recall on the validation records is ≥ {info['minRecall']}: **{thr:.4f}**."),
             (f"- Single-lead threshold (manifest `singleLeadThreshold`, for records analysed with one lead): {single['rule']} (`hbs.single_lead` on "
              "`analyze --beats atr --leads 0` of every cross-validation record by the fold model that never saw it): "
              f"**{single['threshold']:.4f}** (" + "; ".join(
                  f"{name} V Se {d['atThreshold']['se']:.3f} / +P {d['atThreshold']['ppv']:.3f}, at the two-lead threshold {d['atTwoLeadThreshold']['se']:.3f} / {d['atTwoLeadThreshold']['ppv']:.3f}"
                  for name, d in single["byDatabase"].items()) + ")." if single else ""),
             (f"- Record-level confidence (`ambiguity` in the manifest): a record on which more than {100 * ambiguity['alert']:.1f} % of beats have no class above "
              f"{ambiguity['level']} (the 95th percentile of the out-of-fold records) is reported as one the model is unsure of (status bar, `analyze` note)." if ambiguity else ""),
             "",
             "## Figures",
             "EC57 beat by beat (WFDB bxb rules, 150 ms), the shipped file through the app's TypeScript path (`heartbeat-sensei analyze` + "
             f"`heartbeat-sensei evaluate`; `npm run train:beats`), threshold {thr:.4f}; svdb figures out of fold (each record by the fold model that never saw it)"
             + ("; svdb is cross-validation data, not a test set: the epoch count, the V threshold, the S offset, the consensus and the "
                "single-lead threshold were chosen on these records' out-of-fold scores (their +P ≥ the budget holds by construction), "
                "so the DS2 rows alone are held-out figures:" if cv else ":"), "",
             "| records | V Se | V +P | S Se | S +P | V Se / +P, first 5 min excluded |", "|---|---|---|---|---|---|"]
    for name, e in evals.items():
        e5 = e.get("firstFiveMinutesExcluded") or {}
        lines.append(f"| {e['source']} | {fmt(e.get('V', {}).get('se'))} | {fmt(e.get('V', {}).get('ppv'))} | "
                     f"{fmt(e.get('S', {}).get('se'))} | {fmt(e.get('S', {}).get('ppv'))} | "
                     f"{fmt(e5.get('V', {}).get('se'))} / {fmt(e5.get('V', {}).get('ppv'))} |")
    lines += ["", "Out of fold, beat level (PyTorch, the fold models at the chosen epoch, reference beats" + (", after the morphology consensus" if cons else "") + "), per database:", "",
              "| database | V Se | V +P | AP(V) | S Se | S +P | records whose ambiguous share > alert |", "|---|---|---|---|---|---|---|"]
    for name, d in by_db.items():
        over = [r["record"] for r in d["records"] if ambiguity and r["ambiguous"] > ambiguity["alert"]]
        lines.append(f"| {name} | {fmt(d['V']['se'])} | {fmt(d['V']['ppv'])} | {fmt(d['apV'])} | {fmt(d['S']['se'])} | {fmt(d['S']['ppv'])} | "
                     f"{' '.join(over) or '–'} |")
    lines += ["", f"| DS2 beat level, onnxruntime-node on reference beats | V Se {fmt(pc['V']['se'])} | +P {fmt(pc['V']['ppv'])} | AP {test_beat['apV']:.3f} | "
              f"S Se {fmt(pc['S']['se'])} | S +P {fmt(pc['S']['ppv'])} | |", "",
              "Other operating points on DS2 (beat level, onnxruntime; read off the same curves, not used to choose anything): " +
              "; ".join(f"threshold {t:.2f}: V Se {per_class(confusion(tl, label_at(tp_, t)))['V']['se']:.3f} / +P {per_class(confusion(tl, label_at(tp_, t)))['V']['ppv']:.3f}"
                        for t in (0.3, 0.5, 0.7, 0.9)) + ".", "",
              "Anchors (DS2): de Chazal 2004 V Se 0.78 / +P 0.82, S Se 0.76 / +P 0.39; best published inter-patient ≈ V Se 0.94.", "",
              "Calibration: the plot shows, per database, the observed share of V beats against the predicted P(V) (out of fold). "
              f"The threshold rule holds the out-of-fold +P ≥ {float(info['hyper']['min_ppv']):.2f} on each database, which is what makes one threshold mean the same false-alarm budget on both.", "",
              "![PR curve of V](beat-pvc/pr-v.svg) ![threshold](beat-pvc/threshold-v.svg) ![calibration](beat-pvc/calibration.svg)", "",
              "![confusion DS2](beat-pvc/confusion-ds2.svg) ![confusion validation](beat-pvc/confusion-val.svg)", "",
              "## Fine-tuning sets",
              f"- `{sets['replay']['embeddings']}` / `{sets['replay']['labels']}`: {sets['replay']['what']}; counts {sets['replay']['counts']}.",
              f"- `{sets['reference']['embeddings']}` / `{sets['reference']['labels']}`: {sets['reference']['what']}; counts {sets['reference']['counts']}.",
              "- Format: NumPy .npy v1.0, little-endian, C order (`src/main/dataset/npy.ts` and `scripts/train-lib.ts` read it).", "",
              f"Reproduce: `{a.command}` (see training/README.md; the same bytes for the same seed, thread count and CPU family). Data: PhysioNet (Goldberger et al. 2000), MIT-BIH Arrhythmia Database (Moody & Mark 2001), MIT-BIH Supraventricular Arrhythmia Database (Greenwald 1990)."]
    (models / f"{ID}.md").write_text("\n".join(lines) + "\n")
    print(json.dumps({"threshold": thr, "ds2Beat": {k: pc[k] for k in ("V", "S")}, "ec57": evals}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
