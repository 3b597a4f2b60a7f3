#!/usr/bin/env bash
# bash scripts/beat-oof-modes.sh RUN OUT: every MIT-BIH DS1 and svdb record of a cross-validated beat
# run (hbs.beats --folds) analysed by the fold model that never saw it, on the reference beat positions
# (--beats atr) and on the app's QRS detector (--beats detect), then scored EC57 per database into
# OUT/<atr|detect>-<mitdb|svdb>.txt and .json: what the beat model does out of fold with the positions
# a user's record gets (no annotations) beside the positions the card's figures use; then AP(V) and +P
# at fixed recalls of both against the reference beats (hbs.oof_ap, into OUT/ap.txt), which compares
# runs without their thresholds in between. The datasets are training/work/beats/{ds1,svdb}
# (BEATS_WORK=DIR for another), as npm run train:beats builds them. MODES="atr-l0 atr-l1" (default
# "atr detect"): a mode's -lN analyses lead N alone (--leads N, the single-lead input).
set -euo pipefail
cd "$(dirname "$0")/.."
RUN=${1:?usage: beat-oof-modes.sh RUN OUT}
OUT=${2:?usage: beat-oof-modes.sh RUN OUT}
DATA=${HEARTBEAT_DATA:-../shared/data}
CLI="node bin/heartbeat-sensei.mjs"
MODES=${MODES:-atr detect}
for mode in $MODES; do
  beats=${mode%%-l*}
  leads=()
  if [ "$beats" != "$mode" ]; then leads=(--leads "${mode##*-l}"); fi
  rm -rf "$OUT/$mode" && mkdir -p "$OUT/$mode"
  for f in "$RUN"/folds/f*/; do
    mine=$(bash scripts/held-out-records.sh "$f" mitdb svdb)
    if [ -n "$mine" ]; then $CLI analyze $mine --beats "$beats" "${leads[@]}" --no-cache --models "$f" --out "$OUT/$mode" > /dev/null; fi
  done
  for db in mitdb svdb; do
    recs=$(for p in "$OUT/$mode"/*.pvc; do r=$(basename "$p" .pvc); if [ -f "$DATA/$db/$r.hea" ]; then echo "$DATA/$db/$r"; fi; done)
    $CLI evaluate --ref atr --test pvc --test-dir "$OUT/$mode" $recs --json "$OUT/$mode-$db.json" > "$OUT/$mode-$db.txt"
    echo "$mode $db: $(grep -E '^V ' "$OUT/$mode-$db.txt")"
  done
done
W=${BEATS_WORK:-training/work/beats}
PYTHONPATH=training "${PYTHON:-/usr/bin/python3}" -m hbs.oof_ap --data "$W/ds1" "$W/svdb" --scores $(for m in $MODES; do echo "$OUT/$m"; done) | tee "$OUT/ap${MODES_TAG:-}.txt"
