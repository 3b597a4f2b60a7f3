#!/usr/bin/env bash
# npm run train:beats [-- extra hbs.beats flags] (REUSE_DATASETS=1, REUSE_RUN=1 skip what is already built): rebuilds the beat datasets with the app's own
# preprocessing (heartbeat-sensei dataset): MIT-BIH DS1 and DS2, the given svdb records (128 Hz
# Holters) and DS1 as a 128 Hz recorder would hold it (--via-fs), each also cut at the app's QRS
# detector's marks (--marks detector); trains the beat model on DS1 + svdb
# (patient-wise folds across both databases), chooses the single-lead threshold out of fold, exports ONNX, checks ONNX Runtime parity, scores DS2
# with onnxruntime-node, runs the app's analyze + evaluate path (EC57 bxb) on DS2 (both leads, lead 0
# alone, the QRS detector) and on svdb out of fold (each record by the fold model that never saw it),
# writes models/beat-pvc.* + manifest, and adds the embedding layer's inputs to the replay/reference
# sets (scripts/finetune-features.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${HEARTBEAT_DATA:-../shared/data}
PY=${PYTHON:-/usr/bin/python3}
W=training/work/beats
CLI="node bin/heartbeat-sensei.mjs"
VERSION=${MODEL_VERSION:-3.7.0}   # the version the shipped model gets in models/manifest.json
DS1="101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230"
DS2="100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234"
recs() { for r in $1; do echo "$DATA/mitdb/$r"; done; }
SVDB=$(ls "$DATA"/svdb/*.hea | sed 's/\.hea$//')
mkdir -p "$W"

echo "== datasets (src/main/beats via heartbeat-sensei dataset)"
# REUSE_DATASETS=1 keeps datasets already built (iterating on the model only)
build() { local out=$1; shift; if [ "${REUSE_DATASETS:-0}" = 1 ] && [ -f "$out/meta.json" ]; then echo "reusing $out"; else $CLI dataset "$@" --out "$out" --kind beats --beats atr; fi; }
build "$W/ds1" $(recs "$DS1")
build "$W/ds2" $(recs "$DS2")
build "$W/svdb" $SVDB
build "$W/ds1-128" $(recs "$DS1") --via-fs 128
# the same beats cut where the app's QRS detector marks them (training draws them in place of a beat)
build "$W/ds1-det" $(recs "$DS1") --marks detector
build "$W/svdb-det" $SVDB --marks detector
build "$W/ds1-128-det" $(recs "$DS1") --via-fs 128 --marks detector

echo "== training (DS1 + svdb; DS2 never read)"
# REUSE_RUN=1 keeps a finished training run in $W/run (re-running only the scoring and shipping below)
# (the operating-point rules are re-applied to its out-of-fold probabilities: hbs.rethreshold)
if [ "${REUSE_RUN:-0}" = 1 ] && [ -f "$W/run/train.json" ]; then
  echo "reusing $W/run"
  PYTHONPATH=training "$PY" -m hbs.rethreshold --run "$W/run" --data "$W/ds1" "$W/svdb"
else
  PYTHONPATH=training "$PY" -m hbs.beats --data "$W/ds1" "$W/svdb" --alt-data "$W/ds1-128" \
    --mark-data "$W/ds1-det" "$W/svdb-det" "$W/ds1-128-det" --out "$W/run" "$@" | tee "$W/train.log"
fi

echo "== single-lead threshold (lead 0 alone, out of fold: each record by the fold model that never saw it)"
if compgen -G "$W/run/folds/f*/manifest.json" >/dev/null; then
  rm -rf "$W/analyze-oof-lead0" && mkdir -p "$W/analyze-oof-lead0" && : > "$W/analyze-oof-lead0.txt"
  for f in "$W"/run/folds/f*/; do
    mine=$(bash scripts/held-out-records.sh "$f" mitdb svdb)
    if [ -n "$mine" ]; then $CLI analyze $mine --beats atr --leads 0 --no-cache --models "$f" --out "$W/analyze-oof-lead0" >> "$W/analyze-oof-lead0.txt"; fi
  done
  PYTHONPATH=training "$PY" -m hbs.single_lead --run "$W/run" --data "$W/ds1" "$W/svdb" --scores "$W/analyze-oof-lead0"
else
  echo "no cross-validation folds in $W/run: the single-lead threshold stays the two-lead one"
fi

echo "== ONNX Runtime parity + DS2 scoring with the exported file"
# parity with PyTorch on the float32 export; DS2 scored with the file that ships (int8 convolutions, hbs.quantize)
FLOAT="$W/run/beat-pvc.float.onnx"; [ -f "$FLOAT" ] || FLOAT="$W/run/beat-pvc.onnx"   # a run older than the float export
npx tsx scripts/train-parity.ts --model "$FLOAT" --parity "$W/run/parity" --score "$W/ds2" --score-out "$W/ds2_probs.npy" --score-model "$W/run/beat-pvc.onnx"

echo "== ship (models/beat-pvc.onnx, plots, manifest, card)"
PYTHONPATH=training "$PY" -m hbs.card_beats --run "$W/run" --test-data "$W/ds2" --test-probs "$W/ds2_probs.npy" --models models --version "$VERSION"

echo "== EC57 on DS2 through the app's path (analyze → evaluate)"
if $CLI analyze --help >/dev/null 2>&1 && $CLI evaluate --help >/dev/null 2>&1; then
  # score NAME RECORDS... -- ANALYZE_FLAGS: analyze into $W/analyze-NAME, evaluate whole records and with
  # EC57's first 5 minutes excluded (--start 300) into $W/eval-NAME.json / $W/eval-NAME-ec57.json
  evaluate() {
    $CLI evaluate --ref atr --test pvc --test-dir "$W/analyze-$1" "${@:2}" --json "$W/eval-$1.json" > "$W/eval-$1.txt"
    $CLI evaluate --ref atr --test pvc --test-dir "$W/analyze-$1" "${@:2}" --start 300 --json "$W/eval-$1-ec57.json" > "$W/eval-$1-ec57.txt"
    echo "$1:"; tail -n 4 "$W/eval-$1.txt"
  }
  for mode in atr detect; do
    rm -rf "$W/analyze-ds2-$mode" && mkdir -p "$W/analyze-ds2-$mode"
    $CLI analyze $(recs "$DS2") --beats $mode --no-cache --out "$W/analyze-ds2-$mode" > "$W/analyze-ds2-$mode.txt"
    evaluate "ds2-$mode" $(recs "$DS2")
  done
  rm -rf "$W/analyze-ds2-lead0" && mkdir -p "$W/analyze-ds2-lead0"
  $CLI analyze $(recs "$DS2") --beats atr --leads 0 --no-cache --out "$W/analyze-ds2-lead0" > "$W/analyze-ds2-lead0.txt"
  evaluate ds2-lead0 $(recs "$DS2")
  # svdb out of fold: each record analysed with the fold model that never saw it (both leads, lead 0
  # alone, and both leads on the app's QRS detector: where svdb's annotators marked a beat is not
  # where the detector does, docs/experiments/2026-12-06-beat-fiducials.md)
  for variant in "svdb-oof atr 0,1" "svdb-oof-lead0 atr 0" "svdb-oof-detect detect 0,1"; do
    read -r name beats leads <<< "$variant"
    rm -rf "$W/analyze-$name" && mkdir -p "$W/analyze-$name"
    for f in "$W"/run/folds/f*/; do
      mine=$(bash scripts/held-out-records.sh "$f" svdb)
      [ -n "$mine" ] && $CLI analyze $mine --beats "$beats" --leads "$leads" --no-cache --models "$f" --out "$W/analyze-$name" >> "$W/analyze-$name.txt"
    done
    evaluate "$name" $SVDB
  done
  PYTHONPATH=training "$PY" -m hbs.card_beats --run "$W/run" --test-data "$W/ds2" --test-probs "$W/ds2_probs.npy" \
    --evals "$W" --models models --version "$VERSION"
else
  echo "analyze/evaluate commands not available: the model card carries the onnxruntime beat-level figures only"
fi

echo "== embedding-layer inputs of the replay/reference sets (fine-tuning adapts the embedding layer too)"
# (the sets' embeddings came from PyTorch: matched through the float32 export, then rewritten with the shipped file's)
match() { [ -f "$1" ] && echo "--match-model $1"; }
npx tsx scripts/finetune-features.ts --models models --data "$W/ds1,$W/svdb" $(match "$FLOAT")
for f in "$W"/run/folds/f*/; do [ -f "$f/manifest.json" ] && npx tsx scripts/finetune-features.ts --models "$f" --data "$W/ds1,$W/svdb" $(match "$f/beat-pvc.float.onnx"); done
