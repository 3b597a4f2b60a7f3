"""Ship the rhythm model: copy the ONNX file into models/, compute the held-out figures from
onnxruntime-node's outputs of that file, draw the plots, write the manifest entry and the card.

  /usr/bin/python3 -m hbs.card_rhythm --run training/work/rhythm/run --data training/work/rhythm/all \
      --probs training/work/rhythm/probs.npy [--eval training/work/rhythm/epic.json] --models models"""
from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path

import numpy as np

from .card_beats import fmt, threshold_curves
from .common import load_dir, onnx_io, sha256_file, today, update_manifest
from .metrics import average_precision, pr_curve
from .rhythm import CLASSES, figures, record_fs, record_ids
from .svg import confusion_svg, line_chart

ID = "rhythm"


APP_SECTION = "## Figures of the app's decisions on the model's output"


def cinc_recordings(probs, lab, rec, db):
    """Per CinC recording: (reference label = majority window label, mean P(AF) of its windows)."""
    m = db == "cinc2017"
    recs = np.unique(rec[m])
    ref = np.array([np.bincount(lab[m][rec[m] == r], minlength=4).argmax() for r in recs])
    paf = np.array([probs[m][rec[m] == r][:, 1].mean() for r in recs])
    return ref, paf


def f1_af(ref, pred_af):
    tp = int(((ref == 1) & pred_af).sum())
    return 2 * tp / max(int((ref == 1).sum() + pred_af.sum()), 1)


def cinc_f1(probs, lab, rec, db, thr: float) -> float:
    ref, paf = cinc_recordings(probs, lab, rec, db)
    return f1_af(ref, paf >= thr)


def cinc_recording_threshold(probs, lab, rec, db_of, kept, ids):
    """The recording-level decision a CinC entry makes: AF when the mean P(AF) of the recording's
    windows reaches a threshold, chosen (best F1 of AF) on the CinC *validation* recordings of the
    record-wise split, never on the test ones."""
    from .rhythm import record_splits
    split = np.array(record_splits(ids))
    va = kept[split[rec[kept]] == "val"]
    if not (db_of[rec[va]] == "cinc2017").any():
        return None
    ref, paf = cinc_recordings(probs[va], lab[va], rec[va], db_of[rec[va]])
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    f1s = [f1_af(ref, paf >= t) for t in grid]
    k = int(np.argmax(f1s))
    return {"threshold": float(grid[k]), "valF1": float(f1s[k]), "valRecordings": int(len(ref))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--probs", required=True, help="onnxruntime-node probabilities for every window of --data")
    ap.add_argument("--eval", default="", help="heartbeat-sensei evaluate --episodes JSON files, comma-separated")
    ap.add_argument("--models", default="models")
    ap.add_argument("--version", default="1.0.0")
    ap.add_argument("--command", default="npm run train:rhythm")
    a = ap.parse_args(argv)
    run, models = Path(a.run), Path(a.models)
    plots = models / ID
    plots.mkdir(parents=True, exist_ok=True)
    info = json.loads((run / "train.json").read_text())
    d = load_dir(a.data, ["labels", "record", "start"])
    probs = np.load(a.probs)
    if len(probs) != len(d["labels"]):
        raise SystemExit(f"{a.probs}: {len(probs)} rows, dataset has {len(d['labels'])} windows")
    kept = np.load(run / "kept_index.npy")
    te = kept[np.load(run / "test_index.npy")]
    lab, rec, start = d["labels"].astype(np.int64), d["record"].astype(np.int64), d["start"].astype(np.int64)
    ids = record_ids(d["meta"])
    db_of = np.array([db for db, _ in ids])
    fig = figures(probs[te], lab[te], rec[te], start[te], db_of[rec[te]], record_fs(d["meta"])[rec[te]])
    cinc_thr = cinc_recording_threshold(probs, lab, rec, db_of, kept, ids)
    if cinc_thr is not None and "cinc2017" in fig:
        fig["cinc2017"]["valThreshold"] = cinc_thr
        fig["cinc2017"]["f1AFValThreshold"] = cinc_f1(probs[te], lab[te], rec[te], db_of[rec[te]], cinc_thr["threshold"])

    onnx_dst = models / f"{ID}.onnx"
    shutil.copyfile(run / f"{ID}.onnx", onnx_dst)

    # plots on the held-out test windows
    pt, lt = probs[te], lab[te]
    series, base = [], []
    for k in (1, 2):
        c = pr_curve(pt[:, k], lt == k)
        series.append({"label": f"{CLASSES[k]} AP {average_precision(pt[:, k], lt == k):.3f}", "x": c["recall"], "y": c["precision"]})
        base.append({"label": f"{CLASSES[k]} prevalence {np.mean(lt == k):.3f}", "value": float(np.mean(lt == k))})
    (plots / "pr.svg").write_text(line_chart("Rhythm: PR curves on held-out test windows", "recall", "precision", series, hlines=base))
    grid = np.linspace(0, 1, 201)
    tc = threshold_curves(pt[:, 1], lt == 1, grid)
    (plots / "threshold-af.svg").write_text(line_chart("AF precision / recall / F1 vs threshold (test windows)", "threshold on P(AF)", "value",
        [{"label": "precision", "x": grid, "y": tc["precision"]}, {"label": "recall", "x": grid, "y": tc["recall"]}, {"label": "F1", "x": grid, "y": tc["f1"]}]))
    (plots / "confusion-test.svg").write_text(confusion_svg("Test windows (argmax)", np.array(fig["windowConfusion"]), CLASSES))
    if "cinc2017" in fig:
        (plots / "confusion-cinc2017.svg").write_text(confusion_svg("CinC 2017 held-out recordings", np.array(fig["cinc2017"]["recordingConfusion"]), CLASSES))

    epic = {}
    for f in [s for s in a.eval.split(",") if s]:
        if Path(f).exists():
            ev = json.loads(Path(f).read_text())
            for kind, node in (ev.get("episodes") or {}).items():
                g = node["gross"]
                epic[f"{Path(f).stem}:{kind}"] = {"episodeSe": g["episodeSe"]["value"], "episodePpv": g["episodePpv"]["value"],
                                                   "durationSe": g["durationSe"]["value"], "durationPpv": g["durationPpv"]["value"],
                                                   "records": len(node["records"])}

    inputs, outputs = onnx_io(onnx_dst)
    entry = {
        "id": ID, "task": "rhythm", "version": a.version, "file": onnx_dst.name, "sha256": sha256_file(onnx_dst),
        "bytes": onnx_dst.stat().st_size, "inputs": inputs, "outputs": outputs, "fs": 125, "windowSec": 10,
        "classes": CLASSES,
        "window": {"length": 1250, "preprocessing": "src/main/rhythm (lead 0, 125 Hz, 0.5-40 Hz, median/MAD normalised, clipped ±30)"},
        "training": {"data": "MIT-BIH Arrhythmia (rhythm aux), PhysioNet/CinC 2017 subset (REFERENCE.csv), MIT-BIH Malignant Ventricular Ectopy (vfdb), CU Ventricular Tachyarrhythmia (cudb)",
                     "split": {"rule": info["splitRule"], "counts": info["split"]}, "seed": info["seed"], "date": today(),
                     "command": a.command, "epochs": info["bestEpoch"], "trainSec": info["trainSec"], "params": info["params"]},
        "metrics": {"testOnnx": fig, **({"epic": epic} if epic else {})},
    }
    update_manifest(models / "manifest.json", entry)

    def ep(dbn, kind):
        e = fig.get(dbn, {}).get(f"episode{kind}")
        return f"{fmt(e['se'])} / {fmt(e['ppv'])} ({e['nRef']} ref)" if e else "–"
    sp = info["split"]
    lines = [f"# Rhythm model `{ID}` v{a.version}", "",
             "Classifies 10 s single-lead windows (125 Hz) as other, AF, VT (ventricular tachycardia, flutter, fibrillation) or noise; "
             "the analysis merges consecutive windows into episodes.",
             f"File `{onnx_dst.name}` ({onnx_dst.stat().st_size / 1024:.0f} KiB, {info['params']} parameters), sha256 `{entry['sha256']}`.", "",
             "## Interface",
             "| | name | shape | dtype | what |", "|---|---|---|---|---|",
             "| in | `ecg` | [N,1,1250] | float32 | windows from `src/main/rhythm` (lead 0, 125 Hz, band-passed, median/MAD normalised) |",
             "| out | `probs` | [N,4] | float32 | softmax: other, AF, VT, noise |",
             "| out | `embedding` | [N,32] | float32 | penultimate features; head initializers `head.weight` [4,32], `head.bias` [4] |", "",
             "Architecture: Conv(k7,s2)-BN-ReLU-MaxPool → 3 residual blocks (stride 2; 24/32/48 channels) → "
             f"{'4-head self-attention over the 40 positions (learned position embedding, LayerNorm) → ' if info.get('attention') else ''}"
             "global average pooling → Dropout 0.5 → Linear-ReLU (embedding) → Dropout 0.3 (training only) → head.", "",
             "## Training", "Record-wise split fixed before training:", "", "```", info["splitRule"], "```", "",
             "| split | " + " | ".join(sorted(sp["train"])) + " |", "|---|" + "---|" * len(sp["train"])]
    for s in ("train", "val", "test"):
        lines.append(f"| {s} | " + " | ".join(
            (f"{v['records']} rec: " + ", ".join(f"{c} {v[c]}" for c in CLASSES)) if (v := sp[s].get(db)) else "–"
            for db in sorted(sp["train"])) + " |")
    lines += ["", f"Focal loss (γ 2, class weights √(n_max/n_c)), class-capped sampling (per epoch up to {info['hyper'].get('take')} windows of other, AF, VT, noise), AdamW + cosine, "
              f"EMA of the weights ({info['hyper'].get('ema')}) for validation and export, "
              f"augmentation: scaling ×[0.7,1.3], sign flip (p {info['hyper'].get('p_sign_flip', 0.2)}), Gaussian noise, baseline wander, circular shift ±1 s. "
              f"Early stopping on validation mean AP(AF, VT): best epoch {info['bestEpoch']}; {info['trainSec'] / 60:.1f} min of CPU training; seed {info['seed']}.", "",
              "## Figures on the held-out test records (onnxruntime-node, shipped file)", "",
              "| figure | value | target |", "|---|---|---|",
              f"| CinC 2017 held-out recordings: F1 of AF (recording label = argmax of mean window probabilities) | {fmt(fig.get('cinc2017', {}).get('f1AF'))} ({fig.get('cinc2017', {}).get('records', 0)} recordings) | ≥ 0.85 |",
              *([f"| CinC 2017 held-out recordings: F1 of AF, recording = AF when its mean P(AF) ≥ {fig['cinc2017']['valThreshold']['threshold']:.2f} "
                 f"(threshold with the best F1 on the {fig['cinc2017']['valThreshold']['valRecordings']} CinC validation recordings, F1 {fig['cinc2017']['valThreshold']['valF1']:.3f} there) | "
                 f"{fmt(fig['cinc2017']['f1AFValThreshold'])} | ≥ 0.85 |"] if "valThreshold" in fig.get("cinc2017", {}) else []),
              f"| MIT-BIH DS2 AF episodes, Se / +P (window-run approximation) | {ep('mitdb', 'AF')} | ≥ 0.95 / 0.95 |",
              f"| vfdb test records VT/VF episodes, Se / +P (window-run approximation) | {ep('vfdb', 'VT')} | Se ≥ 0.90 |",
              f"| cudb test records VT/VF episodes, Se / +P (window-run approximation) | {ep('cudb', 'VT')} | Se ≥ 0.90 |",
              f"| AP(AF), AP(VT) over all test windows | {fmt(fig['apAF'])}, {fmt(fig['apVT'])} | |"]
    for k, v in epic.items():
        lines.append(f"| EC57 epic via `analyze` + `evaluate` ({k}): episode Se / +P, duration Se / +P | {fmt(v['episodeSe'])} / {fmt(v['episodePpv'])}, {fmt(v['durationSe'])} / {fmt(v['durationPpv'])} | |")
    lines += ["", "Window-run approximation: reference episodes are runs of consecutive windows (5 s stride) whose majority label is the class, "
              "detections are runs of windows predicted as it; an episode counts when it overlaps one of the other side. "
              "EC57 epic figures come from the TypeScript evaluator on the app's own episode output (`analyze` writes \"(AFIB\" and \"(VT\" "
              "rhythm annotations). The model has one class for VT, flutter and fibrillation, so on vfdb/cudb the row that matters is kind VTA "
              "(`evaluate --episodes VTA`: reference \"(VT\", \"(VFL\", \"(VF\" and `[`…`]` episodes united); epic's own VT kind counts only "
              "\"(VT\" reference episodes, so the model's correct fibrillation calls read as false VT there. "
              "The window-run rows score VT, flutter and fibrillation as the one class the model has.", "",
              "![PR](rhythm/pr.svg) ![threshold AF](rhythm/threshold-af.svg)", "",
              "![confusion test](rhythm/confusion-test.svg)" + (" ![confusion cinc](rhythm/confusion-cinc2017.svg)" if "cinc2017" in fig else ""), "",
              f"Reproduce: `{a.command}` (see training/README.md). Data: PhysioNet (Goldberger et al. 2000); MIT-BIH Arrhythmia (Moody & Mark 2001); "
              "CinC 2017 (Clifford et al. 2017); MIT-BIH Malignant Ventricular Ectopy (Greenwald 1986); CU Ventricular Tachyarrhythmia (Nolle et al. 1986)."]
    # the app's decisions on the model's output (recording call, VT evidence, signal quality) are
    # measured by the app's own scripts, not here: their section of the card is carried over
    card = models / f"{ID}.md"
    keep = ""
    if card.exists():
        old = card.read_text()
        at = old.find(APP_SECTION)
        if at >= 0:
            keep = "\n" + old[at:].rstrip() + "\n"
    card.write_text("\n".join(lines) + "\n" + keep)
    print(json.dumps({k: v for k, v in fig.items() if k != "windowConfusion"}, default=str)[:3000])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
