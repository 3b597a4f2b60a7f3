#!/usr/bin/env bash
# npm run train:rhythm [-- extra hbs.rhythm flags]: rebuilds the rhythm dataset (mitdb, cinc2017,
# vfdb, cudb; 10 s windows every 5 s) with the app's preprocessing (heartbeat-sensei dataset), trains
# the rhythm model on the record-wise training split, exports ONNX, checks ONNX Runtime parity,
# scores every window with onnxruntime-node, runs analyze + evaluate (EC57 epic) on the held-out
# records when those commands exist, and writes models/rhythm.* + its manifest entry.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${HEARTBEAT_DATA:-../shared/data}
PY=${PYTHON:-/usr/bin/python3}
W=training/work/rhythm
CLI="node bin/heartbeat-sensei.mjs"
VERSION=${MODEL_VERSION:-1.1.0}   # the version the shipped model gets in models/manifest.json
mkdir -p "$W"

# EVAL_ONLY=1: skip dataset, training and shipping; re-run only the EC57 evaluation of the model in
# $W/run (e.g. after a change to the episode post-processing) and refresh the card's figures.
if [ "${EVAL_ONLY:-0}" != 1 ]; then
echo "== dataset (src/main/rhythm via heartbeat-sensei dataset)"
if [ "${REUSE_DATASETS:-0}" = 1 ] && [ -f "$W/all/meta.json" ]; then echo "reusing $W/all"; else
  $CLI dataset "$DATA/mitdb" "$DATA/cinc2017" "$DATA/vfdb" "$DATA/cudb" --out "$W/all" --kind rhythm --stride 5
fi

echo "== training (record-wise train/validation split; test records held out)"
PYTHONPATH=training "$PY" -m hbs.rhythm --data "$W/all" --out "$W/run" "$@" | tee "$W/train.log"

echo "== ONNX Runtime parity + scoring every window with the exported file"
npx tsx scripts/train-parity.ts --model "$W/run/rhythm.onnx" --parity "$W/run/parity" --score "$W/all" --score-out "$W/probs.npy"

echo "== ship (models/rhythm.onnx, plots, manifest, card)"
PYTHONPATH=training "$PY" -m hbs.card_rhythm --run "$W/run" --data "$W/all" --probs "$W/probs.npy" --models models --version "$VERSION"

fi

echo "== EC57 epic on the held-out records through the app's path (analyze → evaluate)"
if $CLI analyze --help >/dev/null 2>&1 && $CLI evaluate --help >/dev/null 2>&1; then
  DS2="100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234"
  TEST_VF=$(PYTHONPATH=training "$PY" -c "from hbs.rhythm import heldout; print(' '.join(heldout('$W/all', ['vfdb', 'cudb'])))")
  rm -rf "$W/analyze" && mkdir -p "$W/analyze"
  $CLI analyze $(for r in $DS2; do echo "$DATA/mitdb/$r"; done) --beats atr --no-cache --out "$W/analyze"
  # vfdb has no beat annotations: the app's QRS detector finds the beats there (and in cudb, for one rule)
  $CLI analyze $TEST_VF --beats detect --no-cache --out "$W/analyze"
  $CLI evaluate --ref atr --test pvc --test-dir "$W/analyze" --episodes AF $(for r in $DS2; do echo "$DATA/mitdb/$r"; done) --json "$W/epic-mitdb-ds2.json"
  $CLI evaluate --ref atr --test pvc --test-dir "$W/analyze" --episodes VTA,VT,VF $TEST_VF --json "$W/epic-vfdb-cudb.json" || echo "evaluate on vfdb/cudb failed"
  # the app's decisions on the model's output (models/rhythm.md, "Figures of the app's decisions"):
  # VT/VF onset error, overlapping episodes, VF apart from VT; the CinC recording-level call
  npx tsx scripts/score-onsets.ts --test-dir "$W/analyze" $TEST_VF | tee "$W/onsets.txt"
  npx tsx scripts/score-cinc.ts --data "$DATA" --split test | tee "$W/cinc-recording.txt"
  PYTHONPATH=training "$PY" -m hbs.card_rhythm --run "$W/run" --data "$W/all" --probs "$W/probs.npy" --models models --version "$VERSION" \
    --eval "$W/epic-mitdb-ds2.json,$W/epic-vfdb-cudb.json"
else
  echo "analyze/evaluate commands not available: the model card carries the onnxruntime window/recording figures only"
fi
