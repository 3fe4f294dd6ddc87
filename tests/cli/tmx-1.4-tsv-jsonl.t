# tmx-1.4: TSV import (languages from options or a #langs line, escapes), TSV and JSONL export, bad TSV and JSONL input
printf 'The council met.\tШорай تشکیل شد.\nTabs\\there\tи\\\\там\n' >pairs.tsv
px import --tm t pairs.tsv
expect_rc 2
expect_err_has "TSV needs --src-lang and --tgt-lang"
px import --tm t --src-lang en pairs.tsv
expect_rc 2
expect_err_has "--src-lang and --tgt-lang go together"
px import --tm t --src-lang en --tgt-lang fa --doc list-1 pairs.tsv
expect_rc 0
expect_out_text "pairs.tsv: 2 units read, 2 added, 0 updated, 0 skipped"
px export --tm t --format tsv --langs en,fa
expect_rc 0
printf '#langs\ten\tfa\nThe council met.\tШорай تشکیل شد.\nTabs\\there\tи\\\\там\n' >want.tsv
expect_out want.tsv
px export --tm t --format jsonl
expect_out_has '"doc":"list-1","doc_pos":0'
expect_out_has '"text":"Tabs\there"'
# the exported TSV reads back by its #langs line
px export --tm t -o back.tsv --langs fa,en
expect_rc 0
px import --tm t2 back.tsv
expect_rc 0
expect_out_text "back.tsv: 2 units read, 2 added, 0 updated, 0 skipped"
px export --tm t --format tsv
expect_rc 2
expect_err_has "--format tsv needs --langs"
# bad TSV: wrong columns (bad unit), invalid UTF-8 (fatal), empty file
printf 'a\tb\nthree\tcolumns\there\n' >cols.tsv
px import --tm t --src-lang en --tgt-lang fr cols.tsv
expect_rc 3
expect_err_has "parallax import: cols.tsv:2:1: 3 columns, expected 2"
printf 'ok\tok\nbad \377\tx\n' >enc.tsv
px import --tm t --src-lang en --tgt-lang fr --skip-bad enc.tsv
expect_rc 3
expect_err_has "parallax import: enc.tsv:2:5: invalid UTF-8 (byte 4 of the line)"
: >empty.tsv
px import --tm t --src-lang en --tgt-lang fr empty.tsv
expect_rc 3
expect_err_has "parallax import: empty.tsv:1:1: empty file"
# bad JSONL
printf '{"variants":[{"lang":"en","text":"x"}]}\n{"variants":[{"lang":"en"}]}\n' >bad.jsonl
px import --tm t bad.jsonl
expect_rc 3
expect_err_has "parallax import: bad.jsonl:2:"
expect_err_has "empty or missing text"
# --format overrides the extension; stdin
printf 'x\ty\n' >in.txt
px_in in.txt import --tm t --format tsv --src-lang en --tgt-lang de -
expect_rc 0
expect_out_text "-: 1 units read, 1 added, 0 updated, 0 skipped"
