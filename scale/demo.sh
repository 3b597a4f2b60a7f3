#!/usr/bin/env bash
# npm run scale:demo: the 48 MIT-BIH records on a local Dask cluster of 2 workers, then the
# summary table build/scale/summary.csv (+ .parquet). Resumable: a second run skips what is done
# (delete build/scale/out to start over). SCALE_WORKERS changes the worker count.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${HEARTBEAT_DATA:-../shared/data}"
# Debian's python3-distributed lives in /usr/bin/python3, which a pyenv or venv python3 on PATH does not see.
PY=""
for p in ${PYTHON:-python3 /usr/bin/python3}; do
  if "$p" -c 'import distributed' 2>/dev/null; then PY="$p"; break; fi
done
if [ -z "$PY" ]; then
  msg="scale:demo needs Dask distributed for ${PYTHON:-Python 3}: run scale/setup.sh (apt-get install python3-distributed, or pip install distributed)"
  if [ "${CI:-}" = true ]; then echo "$msg (required under CI)" >&2; exit 1; fi
  echo "$msg" >&2
  exit 3
fi
if [ ! -d "$DATA/mitdb" ]; then
  echo "scale:demo: $DATA/mitdb not found (set HEARTBEAT_DATA)" >&2
  exit 1
fi
# The build just made is what the workers run (bin/ would fall back to tsx, slow to start, if a source changed meanwhile).
node scripts/build-cli.mjs >/dev/null
mkdir -p build/scale
"$PY" scale/analyze_records.py "$DATA"/mitdb/*.hea --out build/scale/out --workers "${SCALE_WORKERS:-2}" \
  --summary build/scale/summary.csv --analyze-args=--no-cache --cli "node $PWD/out/cli/main.js"
rows=$(($(wc -l < build/scale/summary.csv) - 1))
echo "scale:demo: build/scale/summary.csv has $rows rows"
[ "$rows" = 48 ]
