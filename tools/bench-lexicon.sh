#!/usr/bin/env bash
# bench-lexicon.sh [PARALLAX] [RUNS]: how long loading the default lexicons
# for each language pair takes (what `parallax align` pays once per process,
# once per batch).  Prints, per pair, the entries and the best and median
# wall time of RUNS loads (`parallax lexicon stats --format json`), the best
# CPU time (user + sys of the whole process, from /usr/bin/time), and each
# file's own share.  Wall time suffers on a busy machine; CPU time less so.
# Run it with nice on a shared machine:
#   nice tools/bench-lexicon.sh build/parallax 5
set -euo pipefail
bin=${1:-build/parallax}
runs=${2:-5}
pairs=${PAIRS:-"fa-en ru-en ar-en ur-en tr-en de-fr de-en fr-en"}
printf '%-6s %9s %9s %9s %9s  %s\n' pair entries best_s median_s cpu_s sources
for p in $pairs; do
  s=${p%-*} t=${p#*-}
  times=()
  cpus=()
  for _ in $(seq "$runs"); do
    out=$(/usr/bin/time -f '%U %S' -o "${TMPDIR:-/tmp}/bench-lexicon.$$" \
      "$bin" lexicon stats --src-lang "$s" --tgt-lang "$t" --format json)
    cpus+=("$(awk '{printf "%.2f", $1 + $2}' "${TMPDIR:-/tmp}/bench-lexicon.$$")")
    times+=("$(printf '%s' "$out" | sed -n 's/.*"max_words":[0-9]*,"seconds":\([0-9.]*\).*/\1/p')")
  done
  entries=$(printf '%s' "$out" | sed -n 's/.*"entries":\([0-9]*\).*/\1/p')
  srcs=$(printf '%s' "$out" | grep -o '"path":"[^"]*","reversed":[a-z]*,"records":[0-9]*,"added":[0-9]*,"seconds":[0-9.]*' |
    sed 's/"path":"\([^"]*\)","reversed":\([a-z]*\),"records":\([0-9]*\),"added":\([0-9]*\),"seconds":\([0-9.]*\)/\1(\2) \4 entries \5s/; s#.*/##' | paste -sd';' -)
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  best=$(printf '%s\n' "$sorted" | head -1)
  median=$(printf '%s\n' "$sorted" | sed -n "$(( (runs + 1) / 2 ))p")
  cpu=$(printf '%s\n' "${cpus[@]}" | sort -n | head -1)
  printf '%-6s %9s %9s %9s %9s  %s\n' "$p" "$entries" "$best" "$median" "$cpu" "$srcs"
done
rm -f "${TMPDIR:-/tmp}/bench-lexicon.$$"
