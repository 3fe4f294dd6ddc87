# names-5.6: `names compile` builds the Hunspell pair from a lexicon: byte-identical to the golden files; with the shipped lexicon it writes names.aff and names.dic with REP/MAP tables and FORBIDDENWORD
px names compile --lexicon "$PX_DATA/names/golden.tsv" -o out
expect_rc 0
cmp -s out/names.aff "$PX_DATA/names/golden.aff" || fail "names.aff differs from golden.aff"
cmp -s out/names.dic "$PX_DATA/names/golden.dic" || fail "names.dic differs from golden.dic"
px names compile -o shipped
expect_rc 0
grep -q '^Rouhani/S ph:Rowhani' shipped/names.dic || fail "no ph: field for Rowhani"
grep -q '^ISIS/!$' shipped/names.dic || fail "ISIS is not forbidden"
grep -q '^FORBIDDENWORD !$' shipped/names.aff || fail "no FORBIDDENWORD"
grep -q '^REP Kh H$' shipped/names.aff || fail "no capitalised REP"
grep -q '^MAP (Ou)UO(Ow)$' shipped/names.aff || fail "no capitalised MAP"
px names compile
expect_rc 2
expect_err_has "compile needs -o DIR"
px names compile --lexicon nosuch.tsv -o x
expect_rc 3
expect_err_has "nosuch.tsv"
