# lexicon-1.1: the FreeDict cache end to end: `align` and `lexicon import` give the same output with no cache, when they write it and when they read it; a truncated cache is ignored and rewritten; an unwritable cache directory changes nothing (exit 0, no message)
X=$PX_SRC/tm/examples
# A FreeDict eng-rus of 6,000 entries (over the 256 KiB the cache starts at;
# awk in the C locale: offsets are bytes): the Russian example's words, then
# filler, in the FreeDict 0.x layout (headword line, numbered senses).
mkdir -p "$T/dictd"
tr -cs 'A-Za-z\200-\377' '\n' <"$X/mna-124464.ru.txt" | awk 'length($0) > 4' | LC_ALL=C sort -u >"$T/words"
tr -cs 'A-Za-z' '\n' <"$X/mna-124464.en.txt" | awk 'length($0) > 3' | LC_ALL=C sort -u >"$T/en"
[ "$(wc -l <"$T/words")" -gt 50 ] || fail "too few words in the example"
# Russian words under English words of the English version (paired in
# order: some right, most wrong), so the entries move the alignment.
LC_ALL=C awk -v idx="$T/dictd/freedict-eng-rus.index" -v dict="$T/dictd/freedict-eng-rus.dict" '
  function b64(v,   s, d) { d = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"; s = ""; do { s = substr(d, v % 64 + 1, 1) s; v = int(v / 64) } while (v > 0); return s }
  FNR == NR { e[++ne] = $0; next }
  { w[++nw] = $0 }
  END {
    off = 0
    for (i = 1; i <= 6000; i++) {
      hw = sprintf("word%05d", i)
      if (i <= nw) hw = e[(i - 1) % ne + 1]
      if (i <= nw) body = hw " /w/\n1. " w[i] "\n2. (rare) " w[i] ", filler" i "\n"
      else body = hw " /w/ <n>\n1. filler" i "; заполнитель" i "\n2. see: other\n"
      printf "%s", body > dict
      n = length(body)
      printf "%s\t%s\t%s\n", hw, b64(off), b64(n) > idx
      off += n
    }
  }' "$T/en" "$T/words"
export PARALLAX_DICTD_DIR=$T/dictd
[ "$(cat "$T/dictd"/* | wc -c)" -gt 262144 ] || fail "dictionary under 256 KiB: not cached"

run() { # run MODE: align and import with the cache dir of MODE
  case $1 in
  off) export PARALLAX_CACHE_DIR= ;;
  bad) export PARALLAX_CACHE_DIR=$T/words/cache ;; # under a regular file
  *) export PARALLAX_CACHE_DIR=$T/cache ;;
  esac
  px align --format jsonl --src-lang ru "$X/mna-124464.ru.txt" "$X/mna-124464.en.txt"
  expect_rc 0
  expect_err_lines 0
  cp "$OUT" "$T/align.$1"
  px lexicon import --dictd "$T/dictd/freedict-eng-rus.index" --reverse
  expect_rc 0
  cp "$OUT" "$T/import.$1"
}
run off
grep -q 'filler' "$T/import.off" || fail "the import lacks the dictionary's entries"
# the dictionary matters to the alignment (else comparing it proves little)
PARALLAX_DICTD_DIR=$T/none px align --format jsonl --src-lang ru "$X/mna-124464.ru.txt" "$X/mna-124464.en.txt"
cmp -s "$OUT" "$T/align.off" && fail "the alignment is the same without the dictionary"
[ "$(wc -l <"$T/import.off")" -gt 6000 ] || fail "the import is short"
run cold
ls "$T"/cache/lexicon-*.bin >/dev/null 2>&1 || fail "no cache file written"
run warm
for m in cold warm; do
  cmp -s "$T/align.off" "$T/align.$m" || fail "align: $m cache output differs"
  cmp -s "$T/import.off" "$T/import.$m" || fail "import: $m cache output differs"
done
# truncated: ignored, then rewritten whole
c=$(ls "$T"/cache/lexicon-*.bin | head -1)
size=$(wc -c <"$c")
head -c $((size / 3)) "$c" >"$T/cut" && cp "$T/cut" "$c"
run cut
cmp -s "$T/align.off" "$T/align.cut" || fail "align: output differs after a truncated cache"
[ "$(wc -c <"$c")" -eq "$size" ] || fail "the truncated cache was not rewritten"
run bad
cmp -s "$T/align.off" "$T/align.bad" || fail "align: output differs with an unwritable cache"
cmp -s "$T/import.off" "$T/import.bad" || fail "import: output differs with an unwritable cache"
