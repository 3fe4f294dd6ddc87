#!/usr/bin/env bash
# bench-names.sh [BUILD_DIR] [WORDS]: end-to-end speed of `parallax names
# check` on a large English news-style text.  Builds the text (default
# 10,500,000 words) from varied sentence templates filled with entities of
# the names lexicon (house spellings mostly, a few variants, possessives,
# capitals, names in no lexicon) and the example article's sentences, then
# times the check and reports words per second.  Target: >= 1,000,000/s.
#
#   nice tools/bench-names.sh build-names
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build}
words=${2:-10500000}
px=$build/parallax
[ -x "$px" ] || { echo "bench-names: build $px first" >&2; exit 2; }
out=$build/bench-names
mkdir -p "$out"
text=$out/news-$words.en.txt
if [ ! -s "$text" ]; then
  python3 tools/gen-names-corpus.py dictionaries/names/names.tsv \
    tm/examples/mna-124464.en.txt "$words" >"$text"
fi
nw=$(wc -w <"$text")
bytes=$(wc -c <"$text")
echo "text: $text ($nw words, $bytes bytes)"
# one warm-up run (page cache, dictionaries), then the timed one
"$px" names check "$text" >/dev/null || true
set +e
/usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "$px" names check "$text" >"$out/report.txt"
rc=$?
set -e
read -r secs user sys rss < <(tail -n 1 "$out/time.txt")
echo "exit status: $rc; findings: $(wc -l <"$out/report.txt")"
printf 'time: %.2f s elapsed (%.2f s user + %.2f s sys CPU), max RSS %d MB\n' \
  "$secs" "$user" "$sys" "$((rss / 1024))"
printf 'speed: %.0f words/s end to end (%.1f MB/s); %.0f words per CPU second\n' \
  "$(echo "$nw / $secs" | bc -l)" "$(echo "$bytes / $secs / 1000000" | bc -l)" \
  "$(echo "$nw / ($user + $sys)" | bc -l)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) (other jobs share the cores)"
