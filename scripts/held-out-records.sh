#!/usr/bin/env bash
# bash scripts/held-out-records.sh FOLD_DIR DB...: the records a cross-validation fold model never saw
# (its manifest's training.heldOut), one path per line, as ../shared/data/<db>/<record> for each DB
# that holds the record. Used by train-beats.sh and beat-oof-modes.sh to score each record out of fold.
set -euo pipefail
FOLD=${1:?usage: held-out-records.sh FOLD_DIR DB...}
shift
DATA=${HEARTBEAT_DATA:-../shared/data}
PY=${PYTHON:-/usr/bin/python3}
held=$("$PY" -c 'import json,sys; m=json.load(open(sys.argv[1]))["models"][0]; print(" ".join(m["training"]["heldOut"]))' "$FOLD/manifest.json")
for r in $held; do for db in "$@"; do if [ -f "$DATA/$db/$r.hea" ]; then echo "$DATA/$db/$r"; fi; done; done
