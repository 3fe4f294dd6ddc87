# tmx-1.3: --skip-bad reports each bad unit on stderr and stores the rest; well-formedness errors still stop
{
  echo '<?xml version="1.0"?><tmx version="1.4"><header srclang="en"/><body>'
  echo '<tu><tuv xml:lang="en"><seg>good one</seg></tuv></tu>'
  echo '<tu><tuv><seg>no language</seg></tuv></tu>'
  echo '<tu><tuv xml:lang="en"><seg> </seg></tuv></tu>'
  echo '<tu changedate="20151340T000000Z"><tuv xml:lang="en"><seg>bad date</seg></tuv></tu>'
  echo '<tu><tuv xml:lang="en"><seg>good two</seg></tuv><tuv xml:lang="de"><seg>gut zwei</seg></tuv></tu>'
  echo '</body></tmx>'
} >mixed.tmx
px import --tm t mixed.tmx
expect_rc 3
expect_err_has "parallax import: mixed.tmx:3:5: <tuv> without xml:lang"
px import --tm t --skip-bad mixed.tmx
expect_rc 0
expect_out_text "mixed.tmx: 2 units read, 2 added, 0 updated, 3 skipped"
expect_err_lines 3
expect_err_has "parallax import: skipped: mixed.tmx:3:5: <tuv> without xml:lang"
expect_err_has "parallax import: skipped: mixed.tmx:4:30: empty <seg>"
expect_err_has "parallax import: skipped: mixed.tmx:5:1: changedate: '20151340T000000Z' is not a valid date and time"
px import --tm t --skip-bad --json mixed.tmx
expect_rc 0
expect_out_text '{"file":"mixed.tmx","read":2,"added":0,"updated":2,"skipped":3,"resumed":0,"transactions":1,"bytes":'"$(stat -c %s mixed.tmx)"'}'
cp "$PX_DATA/tmx/bad/truncated.tmx" truncated.tmx
px import --tm t --skip-bad truncated.tmx
expect_rc 3
expect_err_has "no element found (truncated file?)"
