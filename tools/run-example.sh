#!/usr/bin/env bash
# run-example.sh: the main job on the shipped example articles, from
# nothing: installs the Debian packages, builds parallax, then
#   1. segments the English, Persian and Russian versions,
#   2. aligns Persian-English and Russian-English and stores the pairs in a
#      translation memory (build/example-tm),
#   3. looks a sentence up in that memory (exact, fuzzy, number-aware),
#   4. checks the English version's names and writes a fixed copy.
# This is the README's first command.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${PX_SKIP_DEPS:-}" ] || bash tools/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc 2>/dev/null || echo 2)" >/dev/null
px=build/parallax
ex=tm/examples
export PARALLAX_TM=build/example-tm
rm -rf "$PARALLAX_TM"
if [ -t 1 ]; then B=$(printf "\033[1m"); N=$(printf "\033[0m"); else B=; N=; fi
step() { printf "\n%s== %s%s\n$ %s\n" "$B" "$1" "$N" "$2"; }

step "1. Segment the English version" "parallax segment --lang en $ex/mna-124464.en.txt"
$px segment --lang en $ex/mna-124464.en.txt | nl -v0 -w2 -s'  '
step "   and the Persian version" "parallax segment --lang fa $ex/mna-124464.fa.txt"
$px segment --lang fa $ex/mna-124464.fa.txt | nl -v0 -w2 -s'  '

step "2. Align Persian-English (beads, scored against the gold)" \
  "parallax align --format beads $ex/mna-124464.fa.txt $ex/mna-124464.en.txt"
$px align --format beads $ex/mna-124464.fa.txt $ex/mna-124464.en.txt >build/example-fa-en.beads
paste -d' ' build/example-fa-en.beads | tr '\n' ' '; echo
$px eval --gold $ex/mna-124464.fa-en.gold --pred build/example-fa-en.beads
step "   and store both pairs in the translation memory" \
  "parallax align --store fa.txt en.txt; parallax align --store ru.txt en.txt"
# (to a file first: `| head` could end parallax with SIGPIPE mid-output)
$px align --store --format tsv $ex/mna-124464.fa.txt $ex/mna-124464.en.txt >build/example-fa-en.tsv
head -n 4 build/example-fa-en.tsv
$px align --store --format tsv $ex/mna-124464.ru.txt $ex/mna-124464.en.txt >build/example-ru-en.tsv
head -n 4 build/example-ru-en.tsv
$px stats

step "3. Look a sentence up: exact" \
  "parallax lookup --from en --to fa \"The next round is scheduled for May 3-4.\""
$px lookup --from en --to fa "The next round is scheduled for May 3-4."
step "   other dates: a number-aware fuzzy match, the numbers substituted" \
  "parallax lookup --from en --to ru \"The next round is scheduled for May 13-14.\""
$px lookup --from en --to ru "The next round is scheduled for May 13-14."
step "   a Persian sentence, fuzzy, into Russian" \
  "parallax lookup --from fa --to ru \"دور بعدی مذاکرات قرار است ۱۳ و ۱۴ اردیبهشت برگزار شود.\""
$px lookup --from fa --to ru "دور بعدی مذاکرات قرار است ۱۳ و ۱۴ اردیبهشت برگزار شود."
step "   concordance" "parallax concordance \"Astana\" --lang en"
$px concordance "Astana" --lang en >build/example-concordance.txt
head -n 8 build/example-concordance.txt

step "4. Check the names of the English version, and fix them" \
  "parallax names check $ex/mna-124464.en.txt; parallax names check --fix ..."
$px names check $ex/mna-124464.en.txt || true
$px names check --fix -o build/example-fixed $ex/mna-124464.en.txt || true
diff $ex/mna-124464.en.txt build/example-fixed/mna-124464.en.txt || true
printf '\nDone. The memory is in %s; try: %s lookup --help\n' "$PARALLAX_TM" "$px"
