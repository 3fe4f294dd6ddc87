#!/usr/bin/env bash
# bench-lookup.sh [BUILD_DIR] [WORK_DIR] [UNITS]: translation-memory lookup
# latency and store size, measured inside one process (bench_lookup).
#
# With node and npm available, builds the corpus of tools/make-tm-corpus.sh
# (UNITS distinct units from the npm package quran-json, default
# 1,000,000, and 1,000 perturbed real queries in every language), imports
# it with `parallax import` (timed, with peak RSS) and measures:
#   exact lookup (--exact: exact and in-context only) median,
#   fuzzy top-5 at >= 75% (the default lookup) median / p95,
#   concordance of a two-word phrase of each query p95,
#   store size (pages in use and the file) vs the UTF-8 text held.
# Without node, falls back to a synthetic memory (bench_lookup generate).
# Wall-clock and thread-CPU figures are both printed: the machine is shared.
#   nice tools/bench-lookup.sh build-tm /tmp/px-bench 1000000
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-${TMPDIR:-/tmp}/px-bench-lookup}
units=${3:-1000000}
bench=$build/bench_lookup
px=$build/parallax
[ -x "$bench" ] || { echo "bench-lookup: build $bench first (cmake --build $build --target bench_lookup)" >&2; exit 2; }
mkdir -p "$work"
mem=$work/tm-$units
if command -v node >/dev/null && command -v npm >/dev/null; then
  corpus=$work/corpus
  [ -f "$corpus/tm-$units.tmx" ] || "$here/tools/make-tm-corpus.sh" "$corpus" "$units" >&2
  queries=$corpus/queries.tsv
  if [ ! -f "$mem/data.mdb" ]; then
    echo "importing $corpus/tm-$units.tmx ..." >&2
    /usr/bin/time -f "import: %e s wall, %U s user, peak RSS %M KiB" \
      "$px" import --tm "$mem" "$corpus/tm-$units.tmx"
  fi
else
  queries=$mem.queries.tsv
  [ -f "$mem/data.mdb" ] || "$bench" generate "$mem" "$units"
fi
"$bench" run "$mem" "$queries"
ls -l "$mem/data.mdb" | awk '{print "data.mdb file: " $5 " bytes"}'
command -v mdb_stat >/dev/null && mdb_stat -ef "$mem" | grep -E "Number of pages used|Free pages|Page size" || true
