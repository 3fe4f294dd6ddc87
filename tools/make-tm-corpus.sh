#!/usr/bin/env bash
# make-tm-corpus.sh [OUTDIR] [UNITS]: build the translation-memory benchmark
# corpus (default: build/bench, 1,000,000 units) from the npm package
# quran-json@3.1.2, installed into OUTDIR/npm (never committed).  See
# make-tm-corpus.mjs for what it writes.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../build/bench}
units=${2:-1000000}
mkdir -p "$out/npm"
if [ ! -f "$out/npm/node_modules/quran-json/dist/quran_en.json" ]; then
  (cd "$out/npm" && npm install --no-audit --no-fund --no-save --silent quran-json@3.1.2 >&2)
fi
exec node "$here/make-tm-corpus.mjs" "$out/npm/node_modules/quran-json/dist" "$out" "$units"
