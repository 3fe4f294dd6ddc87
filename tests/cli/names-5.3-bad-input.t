# names-5.3: bad input: invalid UTF-8 (file and byte offset, exit 3), empty file (clean, exit 0), missing file (3), missing dictionaries (3, naming both paths), bad lexicon (3, FILE:LINE), usage errors (2)
printf 'Tehran said \377 no.\n' >bad.txt
px names check bad.txt
expect_rc 3
expect_err_has "parallax names: bad.txt: invalid UTF-8 at byte 12"
expect_err_lines 1
: >empty.txt
px names check empty.txt
expect_rc 0
[ -s "$OUT" ] && fail "expected no output"
px names check nosuch.txt
expect_rc 3
expect_err_has "parallax names: nosuch.txt:"
PARALLAX_EN_AFF=/nonexistent/en_US.aff PARALLAX_EN_DIC=/nonexistent/en_US.dic px names check empty.txt
expect_rc 3
expect_err_has "/nonexistent/en_US.aff"
expect_err_has "/nonexistent/en_US.dic"
expect_err_lines 1
px names check --aff /nonexistent/n.aff --dic /nonexistent/n.dic empty.txt
expect_rc 3
expect_err_has "names dictionary missing: /nonexistent/n.aff (not found) and /nonexistent/n.dic (not found)"
printf 'ok\tcity\tOk\nBAD\tcity\tX\n' >lex.tsv
px names check --lexicon lex.tsv empty.txt
expect_rc 3
expect_err_has "lex.tsv:2: entity id must be lower-case ASCII"
px names
expect_rc 2
expect_err_has "parallax names: missing action"
px names frob x
expect_rc 2
expect_err_has "unknown action 'frob'"
px names check
expect_rc 2
px names check --pair a.txt
expect_rc 2
expect_err_has "--pair needs SRC EN file pairs"
px names check --format xml empty.txt
expect_rc 2
px names check --aff x.aff empty.txt
expect_rc 2
expect_err_has "--aff and --dic go together"
