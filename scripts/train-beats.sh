#!/usr/bin/env bash
# npm run train:beats [-- extra hbs.beats flags]: rebuilds the MIT-BIH DS1/DS2 beat datasets with the
# app's own preprocessing (heartbeat-sensei dataset), trains the beat model on DS1 (patient-wise
# validation inside DS1), exports ONNX, checks ONNX Runtime parity, scores DS2 with onnxruntime-node,
# runs the app's analyze + evaluate path on DS2 (EC57 bxb), writes models/beat-pvc.* + manifest, and adds
# the embedding layer's inputs to the replay/reference sets (scripts/finetune-features.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${HEARTBEAT_DATA:-../shared/data}
PY=${PYTHON:-/usr/bin/python3}
W=training/work/beats
CLI="node bin/heartbeat-sensei.mjs"
VERSION=${MODEL_VERSION:-2.1.0}   # the version the shipped model gets in models/manifest.json
DS1="101 106 108 109 112 114 115 116 118 119 122 124 201 203 205 207 208 209 215 220 223 230"
DS2="100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234"
recs() { for r in $1; do echo "$DATA/mitdb/$r"; done; }
mkdir -p "$W"

echo "== datasets (src/main/beats via heartbeat-sensei dataset)"
# REUSE_DATASETS=1 keeps datasets already built (iterating on the model only)
build() { if [ "${REUSE_DATASETS:-0}" = 1 ] && [ -f "$2/meta.json" ]; then echo "reusing $2"; else $CLI dataset $(recs "$1") --out "$2" --kind beats --beats atr; fi; }
build "$DS1" "$W/ds1"
build "$DS2" "$W/ds2"

echo "== training (DS1 only)"
PYTHONPATH=training "$PY" -m hbs.beats --data "$W/ds1" --out "$W/run" "$@" | tee "$W/train.log"

echo "== ONNX Runtime parity + DS2 scoring with the exported file"
npx tsx scripts/train-parity.ts --model "$W/run/beat-pvc.onnx" --parity "$W/run/parity" --score "$W/ds2" --score-out "$W/ds2_probs.npy"

echo "== ship (models/beat-pvc.onnx, plots, manifest, card)"
PYTHONPATH=training "$PY" -m hbs.card_beats --run "$W/run" --test-data "$W/ds2" --test-probs "$W/ds2_probs.npy" --models models --version "$VERSION"

echo "== EC57 on DS2 through the app's path (analyze → evaluate)"
if $CLI analyze --help >/dev/null 2>&1 && $CLI evaluate --help >/dev/null 2>&1; then
  for mode in atr detect; do
    rm -rf "$W/analyze-$mode" && mkdir -p "$W/analyze-$mode"
    $CLI analyze $(recs "$DS2") --beats $mode --no-cache --out "$W/analyze-$mode" > "$W/analyze-$mode.txt"
    $CLI evaluate --ref atr --test pvc --test-dir "$W/analyze-$mode" $(recs "$DS2") --json "$W/ds2_eval_$mode.json" > "$W/ds2_eval_$mode.txt"
    tail -n 12 "$W/ds2_eval_$mode.txt"
  done
  PYTHONPATH=training "$PY" -m hbs.card_beats --run "$W/run" --test-data "$W/ds2" --test-probs "$W/ds2_probs.npy" \
    --eval "$W/ds2_eval_atr.json" --eval-detect "$W/ds2_eval_detect.json" --models models --version "$VERSION"
else
  echo "analyze/evaluate commands not available: the model card carries the onnxruntime beat-level figures only"
fi

echo "== embedding-layer inputs of the replay/reference sets (fine-tuning adapts the embedding layer too)"
npx tsx scripts/finetune-features.ts --models models --data "$W/ds1"
for f in "$W"/run/folds/f*/; do [ -f "$f/manifest.json" ] && npx tsx scripts/finetune-features.ts --models "$f" --data "$W/ds1"; done
