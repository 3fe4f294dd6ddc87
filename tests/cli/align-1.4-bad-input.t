# align-1.4: bad input gives one-line errors and the documented exit codes: invalid UTF-8 (file and byte offset), empty and missing files, a missing lexicon, bad options
S=$PX_DATA/align/small.ru.txt E=$PX_DATA/align/small.en.txt
printf 'first line\nsecond \xc3\x28 line\n' >"$T/bad.txt"
px align --segmented "$T/bad.txt" "$E"
expect_rc 3
expect_err_has "parallax align: $T/bad.txt: invalid UTF-8 at byte 18"
expect_err_lines 1
px align "$S" "$T/bad.txt"
expect_rc 3
expect_err_has "invalid UTF-8 at byte 18"
# empty sides: every sentence of the other side is one-sided
: >"$T/empty.txt"
px align --segmented --format beads "$T/empty.txt" "$E"
expect_rc 0
[ "$(wc -l <"$OUT")" -eq 7 ] || fail "empty source: expected 7 one-sided beads"
expect_out_has "[]:[6]"
px align --segmented --format beads "$T/empty.txt" "$T/empty.txt"
expect_rc 0
[ ! -s "$OUT" ] || fail "two empty sides: expected no beads"
px align --segmented "$T/missing.txt" "$E"
expect_rc 3
expect_err_has "$T/missing.txt: cannot open"
expect_err_lines 1
px align --segmented --lexicon "$T/no-such-lexicon.tsv" "$S" "$E"
expect_rc 3
expect_err_has "no-such-lexicon.tsv"
expect_err_lines 1
printf 'a line without a tab\n' >"$T/bad-lex.tsv"
px align --segmented --lexicon "$T/bad-lex.tsv" "$S" "$E"
expect_rc 3
expect_err_lines 1
px align --segmented --format xml "$S" "$E"
expect_rc 2
expect_err_has "--format is tsv, beads, jsonl or tmx"
px align --segmented --min-confidence 2 "$S" "$E"
expect_rc 2
px align --segmented "$S"
expect_rc 2
expect_err_has "expected SRC and TGT files"
# a lexicon file that helps: accepted
printf 'посол\tambassador\n' >"$T/lex.tsv"
px align --segmented --format beads --lexicon "$T/lex.tsv" "$S" "$E"
expect_rc 0
expect_out "$PX_DATA/align/small.gold"
