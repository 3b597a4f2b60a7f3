#!/usr/bin/env bash
# The recipe's one dependency: Dask distributed for Python 3. Debian's package when apt is there
# (as root; it goes to /usr/bin/python3: run the recipe with that one), else pip into the user's site of $PYTHON or python3. The CLI itself comes from `npm ci` in the repository.
set -euo pipefail
PY="${PYTHON:-python3}"
if "$PY" -c 'import distributed' 2>/dev/null; then
  echo "scale: dask distributed $("$PY" -c 'import distributed; print(distributed.__version__)') is installed"
  exit 0
fi
if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-distributed
else
  "$PY" -m pip install --user 'distributed>=2022.12'
fi
