#!/usr/bin/env bash
# bench-segment.sh [BUILD_DIR] [WORK_DIR]: segmentation throughput.
#
# Builds inputs of 25, 50 and 100 MB by repeating the example articles
# (tm/examples/*.txt: English, Persian and Russian) with variations
# (numbers, names, dates and ids change from copy to copy), then segments each
# with parallax (all SRX and structural rules on) and with ICU's bare
# sentence BreakIterator, and prints MB/s for both and the ratio.  Linear
# growth shows as a constant MB/s across the sizes.  Times are CPU seconds
# of the segmenting process (the machine may be shared), best of 3 runs.
# Run it niced:
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
make_input() { # make_input MB FILE: copies of the seed, each one varied
  local target=$(( $1 * 1000 * 1000 )) out=$2
  [ -f "$out" ] && [ "$(stat -c %s "$out")" -ge "$target" ] && return 0
  LC_ALL=C awk -v target="$target" -v seed="$seed" 'BEGIN {
    while ((getline line < seed) > 0) lines[n++] = line
    total = 0
    for (i = 1; total < target; i++) {
      for (k = 0; k < n; k++) {
        l = lines[k]
        gsub(/124464/, 124464 + i, l)
        gsub(/2017/, 1990 + i % 35, l)
        gsub(/Rouhani/, "Rouhani" (i % 7), l)
        gsub(/Putin/, "Putin" (i % 5), l)
        gsub(/70 percent/, (i % 90) " percent", l)
        gsub(/Mar\. 28/, "Mar. " (1 + i % 28), l)
        print l
        total += length(l) + 1
      }
      print ""
      total++
    }
  }' >"$out"
}
printf '%-6s %-10s %10s %10s %10s %12s\n' size mode bytes seconds MB/s segments
for mb in 25 50 100; do
  f=$work/input-$mb.txt
  make_input "$mb" "$f"
  best() { for _ in 1 2 3; do "$bench" "$1" "$f" en; done | sort -k3 -n | head -1; }
  read -r _ b1 s1 r1 n1 < <(best icu)
  read -r _ b2 s2 r2 n2 < <(best px)
  printf '%-6s %-10s %10s %10s %10s %12s\n' "${mb}MB" icu-bare "$b1" "$s1" "$r1" "$n1"
  printf '%-6s %-10s %10s %10s %10s %12s\n' "${mb}MB" parallax "$b2" "$s2" "$r2" "$n2"
  awk -v a="$r2" -v b="$r1" 'BEGIN { printf "       parallax/icu throughput ratio: %.2f\n", a / b }'
done
