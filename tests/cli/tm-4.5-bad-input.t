# tm-4.5: bad input to the memory commands: missing or wrong memory (4), invalid UTF-8 (3), usage errors (2), missing files (3), each with a one-line message
px lookup --tm "$T/none" --from en --to fa "hello"
expect_rc 4
expect_err_has "parallax lookup: $T/none: no translation memory there (no such directory)"
expect_err_lines 1
[ ! -e "$T/none" ] || fail "a lookup created the memory"
px stats --tm "$T/none"
expect_rc 4
px concordance --tm "$T/none" word
expect_rc 4
px delete --tm "$T/none" --id 1
expect_rc 4
expect_err_has "no translation memory there"
echo hello >"$T/file"
px stats --tm "$T/file"
expect_rc 4
expect_err_has "not a translation memory (a file, not a directory)"
mkdir "$T/junk"
head -c 20000 /dev/urandom >"$T/junk/data.mdb"
px stats --tm "$T/junk"
expect_rc 4
expect_err_has "parallax stats: $T/junk:"
expect_err_lines 1
export PARALLAX_TM=$T/mem
px import "$PX_DATA/tm/pairs.tsv"
expect_rc 0
px lookup --from en --to fa "$(printf 'bad \377 byte')"
expect_rc 3
expect_err_has "parallax lookup: the query is not UTF-8 (byte 4)"
px concordance "$(printf '\300')"
expect_rc 3
px lookup --from en "hello"
expect_rc 2
expect_err_has "--to LANG is required"
px lookup --from en --to fa
expect_rc 2
expect_err_has "give a TEXT or --file FILE"
px lookup --from en --to fa --min 120 hello
expect_rc 2
px lookup --from en --to fa --format xml hello
expect_rc 2
px lookup --from "e n" --to fa hello
expect_rc 2
expect_err_has "'e n' is not a language tag"
px lookup --from en --to fa --file "$T/missing.txt"
expect_rc 3
expect_err_has "missing.txt"
printf 'ok \377\n' >"$T/bad.txt"
px lookup --from en --to fa --file "$T/bad.txt"
expect_rc 3
expect_err_has "bad.txt"
expect_err_lines 1
px lookup --from en --to fa --lines hello
expect_rc 2
px stats extra
expect_rc 2
