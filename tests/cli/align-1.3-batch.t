# align-1.3: --batch aligns a list of pairs on worker threads, one error line per failed pair, exit status of the worst failure
S=$PX_DATA/align/small.ru.txt E=$PX_DATA/align/small.en.txt
printf '# a comment\n%s\t%s\t%s\n%s\t%s\t%s\n' "$S" "$E" "$T/a.beads" "$E" "$S" "$T/b.beads" >"$T/list"
px align --segmented --format beads --batch "$T/list" --jobs 2
expect_rc 0
cmp -s "$T/a.beads" "$PX_DATA/align/small.gold" || fail "batch pair 1 differs from the gold"
[ -s "$T/b.beads" ] || fail "batch pair 2 wrote nothing"
[ ! -s "$ERR" ] || { fail "stderr not empty"; show; }
# a missing file and invalid UTF-8: the other pair still succeeds
printf '\xff\xfe bad\n' >"$T/bad.txt"
printf '%s\t%s\t%s\n%s\t%s\t%s\n%s\t%s\t%s\n' "$T/nope.txt" "$E" "$T/x.beads" "$S" "$E" "$T/c.beads" "$T/bad.txt" "$E" "$T/y.beads" >"$T/list2"
# a missing file and invalid UTF-8 are both bad input: exit 3
px align --segmented --format beads --batch "$T/list2"
expect_rc 3
expect_err_lines 2
expect_err_has "list2:1: $T/nope.txt: cannot open"
expect_err_has "list2:3: $T/bad.txt: invalid UTF-8 at byte 0"
cmp -s "$T/c.beads" "$PX_DATA/align/small.gold" || fail "the good pair of a failing batch"
# only invalid input: exit 3
printf '%s\t%s\t%s\n' "$T/bad.txt" "$E" "$T/y.beads" >"$T/list3"
px align --segmented --batch "$T/list3" --jobs 1
expect_rc 3
expect_err_lines 1
# a malformed list line
printf 'only-one-column\n' >"$T/list4"
px align --batch "$T/list4"
expect_rc 3
expect_err_has "list4:1: expected src<TAB>tgt<TAB>out"
px align --batch "$T/list" "$S" "$E"
expect_rc 2
