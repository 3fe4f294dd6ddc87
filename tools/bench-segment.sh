#!/usr/bin/env bash
# bench-segment.sh [BUILD_DIR] [WORK_DIR]: segmentation throughput.
#
# Builds inputs of 25, 50 and 100 MB by repeating the example articles
# (tm/examples/*.txt) with variations (numbers, names, dates and ids change
# from copy to copy, so no two paragraphs are the same), then segments each
# with parallax (all SRX and structural rules on) and with ICU's bare
# sentence BreakIterator, and prints MB/s for both and the ratio.  Linear
# growth shows as a constant MB/s across the sizes.  Run it niced:
#   nice tools/bench-segment.sh build-seg
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
work=${2:-${TMPDIR:-/tmp}/px-bench-segment}
bench=$build/bench_segment
[ -x "$bench" ] || { echo "bench-segment: build $bench first (cmake --build $build --target bench_segment)" >&2; exit 2; }
mkdir -p "$work"
seed=$work/seed.txt
cat "$here"/tm/examples/*.txt >"$seed"
make_input() { # make_input MB FILE
  local mb=$1 out=$2 target=$(( $1 * 1000 * 1000 )) i=0
  [ -f "$out" ] && [ "$(stat -c %s "$out")" -ge "$target" ] && return 0
  : >"$out"
  # one variant block of ~100 copies at a time keeps the shell loop short
  local block=$work/block.txt
  while [ "$(stat -c %s "$out")" -lt "$target" ]; do
    : >"$block"
    for _ in $(seq 1 100); do
      i=$((i + 1))
      sed -e "s/124464/$((124464 + i))/g" \
          -e "s/Rouhani/Rouhani$((i % 7))/g; s/Putin/Putin$((i % 5))/g" \
          -e "s/\b28\b/$((1 + i % 28))/g; s/2017/$((1990 + i % 35))/g" \
          -e "s/70 percent/$((i % 90)) percent/g" "$seed" >>"$block"
      printf '\n' >>"$block"
    done
    cat "$block" >>"$out"
  done
  truncate -s "$target" "$out"
  # do not end inside a UTF-8 sequence: cut back to the last newline
  local keep; keep=$(tail -c 4096 "$out" | grep -boa $'\n' | tail -1 | cut -d: -f1)
  truncate -s $(( target - 4096 + keep + 1 )) "$out"
}
printf '%-6s %-10s %10s %10s %10s %12s\n' size mode bytes seconds MB/s segments
for mb in 25 50 100; do
  f=$work/input-$mb.txt
  make_input "$mb" "$f"
  read -r _ b1 s1 r1 n1 < <("$bench" icu "$f" en)
  read -r _ b2 s2 r2 n2 < <("$bench" px "$f" en)
  printf '%-6s %-10s %10s %10s %10s %12s\n' "${mb}MB" icu-bare "$b1" "$s1" "$r1" "$n1"
  printf '%-6s %-10s %10s %10s %10s %12s\n' "${mb}MB" parallax "$b2" "$s2" "$r2" "$n2"
  awk -v a="$r2" -v b="$r1" 'BEGIN { printf "       parallax/icu throughput ratio: %.2f\n", a / b }'
done
