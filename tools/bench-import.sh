#!/usr/bin/env bash
# bench-import.sh [BUILD_DIR] [CORPUS_DIR]: time `parallax import` of the
# 1,000,000-unit benchmark TMX (built by make-tm-corpus.sh when missing)
# into a fresh memory and report units/s, peak resident memory (from
# /usr/bin/time -v), the store's size against the UTF-8 text it holds,
# and, to split the time, the TMX reader alone (bench_tmx_read: Expat and
# the unit builder, nothing stored).  Run it on a quiet machine, niced:
#   nice tools/bench-import.sh build build/bench
#
# Figures of 2026-11-29 15:35 UTC (commit 9006bda, 2 cores, load about 1),
# `nice tools/bench-import.sh build build/bench`:
#   reader alone: 1,000,000 units in 4.3 CPU s (232,000 units per CPU s)
#   import: 66.3 s wall = 15,092 units/s; 79.8 s user + 9.7 s sys
#   (11,167 units per CPU second); peak RSS 93.4 MB = heap (RssAnon)
#   57 MB + mapped store pages (RssFile) 34 MB; store 1.201 GB in use =
#   2.94 x the 408.7 MB of text (data.mdb 3.05 x).
# Earlier the same day (13:33, commit d37faa8, load ~3): 157.8 s wall,
#   128.9 CPU s, peak RSS 507 MB (heap 89 MB + 377 MB mapped store pages):
#   exact-index inserts at random places and the kernel's fault-around.
# Before the import pipeline, bulk runs and page dropping (commit 07a5634):
#   11:03 wall, 192 CPU s (~5,200 units per CPU second), peak RSS 2.33 GB
#   (heap 431 MB): every batch added postings to most of the `words`
#   B-tree, so it rewrote and touched nearly the whole store.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
corpus=${2:-$build/bench}
units=${UNITS:-1000000}
tmx=$corpus/tm-$units.tmx
[ -f "$tmx" ] || "$here/make-tm-corpus.sh" "$corpus" "$units" >&2
cmake --build "$build" --target parallax_cli bench_tmx_read >/dev/null
work=$(mktemp -d "${TMPDIR:-/tmp}/px-bench-import-XXXXXX")
trap 'rm -rf "$work"' EXIT
text_bytes=$(sed -n 's/.*"text_bytes": *\([0-9]*\).*/\1/p' "$corpus/corpus.json")
tmx_bytes=$(stat -c %s "$tmx")

echo "== reader alone (px_tmx_read, nothing stored)"
"$build/bench_tmx_read" "$tmx"

echo "== parallax import --tm $work/tm $tmx"
/usr/bin/time -v "$build/parallax" import --tm "$work/tm" "$tmx" 2>"$work/time.log" >"$work/out.log" &
# Peak anonymous (heap) and file-backed (the LMDB map) resident memory,
# sampled: /usr/bin/time's figure is their sum.
anon=0 file=0
sleep 0.5
pid=$(pgrep -n -f "parallax import --tm $work/tm" || true)
while [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; do
  a=$(awk '/RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  f=$(awk '/RssFile/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  [ "${a:-0}" -gt "$anon" ] && anon=$a
  [ "${f:-0}" -gt "$file" ] && file=$f
  sleep 0.5
done
wait
cat "$work/out.log"
echo "peak RssAnon $((anon / 1024)) MB (heap), peak RssFile $((file / 1024)) MB (mapped store pages)"
grep -E "Elapsed|Maximum resident|User time|System time" "$work/time.log"
elapsed=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.log" |
  awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
rss_kb=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.log")
cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$work/time.log")
store=$(stat -c %s "$work/tm/data.mdb")
read=$(sed -n 's/.*: \([0-9]*\) units read.*/\1/p' "$work/out.log")
awk -v u="$read" -v s="$elapsed" -v c="$cpu" -v r="$rss_kb" -v st="$store" -v t="$text_bytes" -v x="$tmx_bytes" 'BEGIN {
  printf "units %d in %.1f s: %.0f units/s (target >= 200000); %.1f CPU s: %.0f units per CPU second\n", u, s, u / s, c, u / c
  printf "peak RSS %.1f MB (target <= 100)\n", r / 1024
  printf "TMX %.1f MB, text %.1f MB, store data.mdb %.1f MB = %.2f x the text (target <= 3; pages in use: see stats)\n", x / 1e6, t / 1e6, st / 1e6, st / t
}'
"$build/parallax" stats --tm "$work/tm" 2>/dev/null || true
