# seg-2.3: bad input: invalid UTF-8 (exit 3, file and byte offset), missing file (3, named), directory (3), empty file (0, no output), malformed SRX (3, file:line:col), unknown format and missing FILE (2)
printf 'Fine text. Then \xff here.\n' >bad.txt
px segment bad.txt
expect_rc 3
expect_err_has "parallax segment: bad.txt: invalid UTF-8 at byte 16"
expect_err_lines 1
px_in bad.txt segment -
expect_rc 3
expect_err_has "parallax segment: <stdin>: invalid UTF-8 at byte 16"
px segment no-such-file.txt
expect_rc 3
expect_err_has "parallax segment: no-such-file.txt:"
expect_err_lines 1
mkdir adir
px segment adir
expect_rc 3
expect_err_has "adir"
: >empty.txt
px segment empty.txt
expect_rc 0
[ -s "$OUT" ] && fail "empty input printed something"
printf '\n\n  \n' >blank.txt
px segment --format jsonl blank.txt
expect_rc 0
[ -s "$OUT" ] && fail "blank input printed something"
printf '<?xml version="1.0"?>\n<srx version="2.0">\n  <body>\n  </bdy>\n</srx>\n' >bad.srx
printf 'One. Two.\n' >ok.txt
px segment --rules bad.srx ok.txt
expect_rc 3
expect_err_has "parallax segment: bad.srx:4:"
expect_err_lines 1
printf '<srx version="2.0"><body><languagerules><languagerule languagerulename="x">\n<rule break="no"><beforebreak>[a-</beforebreak></rule></languagerule></languagerules></body></srx>\n' >regex.srx
px segment --rules regex.srx ok.txt
expect_rc 3
expect_err_has "parallax segment: regex.srx:2:"
expect_err_has "regular expression"
px segment --rules missing.srx ok.txt
expect_rc 3
expect_err_has "missing.srx"
px segment --format xml ok.txt
expect_rc 2
expect_err_has "parallax segment: --format must be text or jsonl"
px segment
expect_rc 2
expect_err_has "missing FILE"
px segment --max-size 4 ok.txt
expect_rc 3
expect_err_has "ok.txt"
