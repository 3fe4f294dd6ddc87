#!/usr/bin/env bash
# bench-align.sh [PARALLAX] [EVALDIR] [-- ALIGN-OPTIONS...]: alignment speed
# and memory at 100, 1,000, 10,000 and 100,000 sentences per side.  Inputs
# are built from the Turkish-English Quran development set (8,821 / 8,785
# sentences, close to one to one), repeated as often as needed and cut at N
# lines per side; each repetition gets its number appended to every line so
# the copies are not identical.  For each size: CPU seconds (user+sys),
# sentences (both sides) per CPU second, and peak resident memory, from
# /usr/bin/time -v.  Runs under `nice`.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
px=${1:-$here/../build/parallax}
evaldir=${2:-$here/../../shared/eval}
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
extra=("$@")
set_dir=$evaldir/quran-early/tr-en
[ -x "$px" ] || { echo "bench-align: no parallax binary at $px" >&2; exit 2; }
[ -f "$set_dir/src.txt" ] || { echo "bench-align: no $set_dir/src.txt" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
make_side() { # file n out
  local f=$1 n=$2 out=$3 r=0
  : >"$out"
  while [ "$(wc -l <"$out")" -lt "$n" ]; do
    r=$((r + 1))
    sed "s/\$/ ($r)/" "$f" >>"$out"
  done
  head -n "$n" "$out" >"$out.cut" && mv "$out.cut" "$out"
}
printf '%9s %9s %10s %14s %9s\n' sents/side cpu_s wall_s sents/cpu_s peak_MB
for n in 100 1000 10000 100000; do
  make_side "$set_dir/src.txt" "$n" "$tmp/s.txt"
  make_side "$set_dir/tgt.txt" "$n" "$tmp/t.txt"
  start=$(date +%s.%N)
  if ! nice /usr/bin/time -v -o "$tmp/time" "$px" align --segmented --format beads \
      --src-lang tr --tgt-lang en "${extra[@]}" "$tmp/s.txt" "$tmp/t.txt" >"$tmp/out" 2>"$tmp/err"; then
    echo "$n: align failed: $(head -1 "$tmp/err")"; continue
  fi
  end=$(date +%s.%N)
  user=$(awk -F': ' '/User time/ {print $2}' "$tmp/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/time")
  awk -v n="$n" -v u="$user" -v s="$sys" -v r="$rss" -v a="$start" -v b="$end" 'BEGIN {
    c = u + s; if (c <= 0) c = 0.01
    printf "%9d %9.2f %10.2f %14.0f %9.1f\n", n, c, b - a, 2 * n / c, r / 1024 }'
done
