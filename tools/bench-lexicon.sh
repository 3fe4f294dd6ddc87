#!/usr/bin/env bash
# bench-lexicon.sh [PARALLAX] [RUNS]: how long loading the default lexicons
# for each language pair takes (what `parallax align` pays once per process,
# once per batch).  Prints, per pair, the entries and the best and median
# wall time of RUNS loads (`parallax lexicon stats --format json`), plus each
# file's own share.  Run it with nice on a shared machine:
#   nice tools/bench-lexicon.sh build/parallax 5
set -euo pipefail
bin=${1:-build/parallax}
runs=${2:-5}
pairs=${PAIRS:-"fa-en ru-en ar-en ur-en tr-en de-fr de-en fr-en"}
printf '%-6s %9s %9s %9s  %s\n' pair entries best_s median_s sources
for p in $pairs; do
  s=${p%-*} t=${p#*-}
  times=()
  for _ in $(seq "$runs"); do
    out=$("$bin" lexicon stats --src-lang "$s" --tgt-lang "$t" --format json)
    times+=("$(printf '%s' "$out" | sed -n 's/.*"max_words":[0-9]*,"seconds":\([0-9.]*\).*/\1/p')")
  done
  entries=$(printf '%s' "$out" | sed -n 's/.*"entries":\([0-9]*\).*/\1/p')
  srcs=$(printf '%s' "$out" | grep -o '"path":"[^"]*","reversed":[a-z]*,"records":[0-9]*,"added":[0-9]*,"seconds":[0-9.]*' |
    sed 's/"path":"\([^"]*\)","reversed":\([a-z]*\),"records":\([0-9]*\),"added":\([0-9]*\),"seconds":\([0-9.]*\)/\1(\2) \4 entries \5s/; s#.*/##' | paste -sd';' -)
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(printf '%s\n' "$sorted" | head -1)
  median=$(printf '%s\n' "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  printf '%-6s %9s %9s %9s  %s\n' "$p" "$entries" "$best" "$median" "$srcs"
done
