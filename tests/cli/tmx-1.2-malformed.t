# tmx-1.2: every malformed TMX file of tests/data/tmx/bad: exit 3, one line "parallax import: FILE:LINE:COL: message", nothing stored
while read -r name code where msg; do
  case $name in '#'*|'') continue ;; esac
  cp "$PX_DATA/tmx/bad/$name" "$name"
  px import --tm m "$name"
  expect_rc 3
  expect_err_has "parallax import: $name:$where: $msg"
  expect_err_lines 1
  [ -s "$OUT" ] && fail "$name: summary printed on failure"
done <"$PX_DATA/tmx/bad/EXPECTED"
px export --tm m --format jsonl
expect_rc 0
[ -s "$OUT" ] && fail "something was stored from a malformed file"
# a good file then a bad one: the good one stays, the bad one adds nothing
cp "$PX_DATA/tmx/rich.tmx" rich.tmx
px import --tm m rich.tmx missing-lang.tmx
expect_rc 3
expect_out_text "rich.tmx: 3 units read, 3 added, 0 updated, 0 skipped"
px export --tm m --format jsonl
[ "$(wc -l <"$OUT")" -eq 3 ] || fail "expected exactly the 3 units of rich.tmx"
# not a file
px import --tm m no-such-file.tmx
expect_rc 3
expect_err_has "parallax import: no-such-file.tmx: No such file or directory"
mkdir adir
px import --tm m adir
expect_rc 3
expect_err_has "parallax import: adir: Is a directory"
