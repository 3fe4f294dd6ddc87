# lex-1.4: bad input: missing (3) and malformed (3) lexicons, invalid UTF-8, malformed dictd index, usage errors; one-line messages, exit 2/3/4
D=$PX_DATA/lexicon
px lexicon show --src-lang fa --no-default --lexicon "$T/missing.tsv" جنگ
expect_rc 3
expect_err_has "parallax lexicon: $T/missing.tsv: No such file or directory"
expect_err_lines 1
px lexicon show --src-lang fa --no-default --lexicon "$D/bad-notab.tsv" جنگ
expect_rc 3
expect_err_has "bad-notab.tsv:2: expected source<TAB>translation[<TAB>weight]"
expect_err_lines 1
px lexicon stats --src-lang fa --no-default --lexicon "$D/bad-utf8.tsv"
expect_rc 3
expect_err_has "bad-utf8.tsv:2:3: invalid UTF-8"
expect_err_lines 1
px lexicon stats --src-lang fa --no-default --lexicon "$D/empty.tsv"
expect_rc 0
expect_out_has "lexicon fa-en: 0 entries"
px lexicon import --dictd "$D/bad.index" -o out.tsv
expect_rc 3
expect_err_has "bad.index:2: expected headword<TAB>offset<TAB>length"
[ ! -e out.tsv ] || fail "output written despite the error"
px lexicon import --dictd "$T/none.index"
expect_rc 3
expect_err_has "none.index: No such file or directory"
px lexicon import --dictd "$D/dictd/freedict-eng-rus.index" -o "$T/no/such/dir/x.tsv"
expect_rc 3
expect_err_has "cannot create"
px lexicon import
expect_rc 2
expect_err_has "parallax lexicon: import: --dictd INDEX is required"
px lexicon import --dictd "$D/dictd/freedict-eng-rus.index" extra
expect_rc 2
expect_err_has "import: unexpected argument 'extra'"
px lexicon show --src-lang fa
expect_rc 2
expect_err_has "show: give one or more words"
px lexicon show جنگ
expect_rc 2
expect_err_has "show: --src-lang is required"
px lexicon frob --src-lang fa
expect_rc 2
expect_err_has "unknown action 'frob'"
px lexicon
expect_rc 2
expect_err_has "missing action"
px lexicon stats --src-lang fa --format xml
expect_rc 2
expect_err_has "--format must be text or json"
px lexicon stats --src-lang fa extra
expect_rc 2
expect_err_has "stats: unexpected argument 'extra'"
px lexicon show --src-lang fa "$(printf 'a\377')"
expect_rc 3
expect_err_has "invalid UTF-8"
px lexicon --help
expect_rc 0
expect_out_has "Usage: parallax lexicon"
expect_out_has "--lexicon FILE"
