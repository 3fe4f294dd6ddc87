# tmx-1.1: import -> export -> import -> export gives the same bytes (TMX and JSONL); the summary line; export to stdout equals -o
export SOURCE_DATE_EPOCH=1700000000
cp "$PX_DATA/tmx/rich.tmx" rich.tmx
px import --tm a rich.tmx
expect_rc 0
expect_out_text "rich.tmx: 3 units read, 3 added, 0 updated, 0 skipped"
px export --tm a -o e1.tmx
expect_rc 0
expect_err_has "parallax export: 3 units written to e1.tmx"
cmp -s e1.tmx "$PX_DATA/tmx/rich.export.tmx" || fail "first export differs from rich.export.tmx"
px import --tm b e1.tmx
expect_rc 0
expect_out_text "e1.tmx: 3 units read, 3 added, 0 updated, 0 skipped"
px export --tm b -o e2.tmx
expect_rc 0
cmp -s e1.tmx e2.tmx || { fail "second export differs"; diff e1.tmx e2.tmx | head -20 >&2; }
px export --tm b
expect_rc 0
expect_out e2.tmx
# JSONL carries everything too
px export --tm a --format jsonl -o e1.jsonl
expect_rc 0
px import --tm c e1.jsonl
expect_rc 0
px export --tm c -o e2.jsonl
expect_rc 0
cmp -s e1.jsonl e2.jsonl || fail "JSONL round trip differs"
# TMX from JSONL equals TMX from TMX
px export --tm c --format tmx
expect_out e1.tmx
# importing again updates, never duplicates
px import --tm a rich.tmx
expect_out_text "rich.tmx: 3 units read, 0 added, 3 updated, 0 skipped"
px export --tm a --format jsonl
[ "$(wc -l <"$OUT")" -eq 3 ] || fail "units were duplicated"
