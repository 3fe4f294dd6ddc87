# tmx-1.6: parallax import killed with SIGKILL mid-import: the memory opens, holds whole batches, refuses a plain re-run and finishes with --resume
awk 'BEGIN {
  print "<?xml version=\"1.0\"?><tmx version=\"1.4\"><header srclang=\"en\"/><body>"
  for (i = 1; i <= 30000; i++)
    printf "<tu><tuv xml:lang=\"en\"><seg>Line %d of the big file, about item %d.</seg></tuv><tuv xml:lang=\"de\"><seg>Zeile %d der grossen Datei, ueber Ding %d.</seg></tuv></tu>\n", i, i * 3, i, i * 3
  print "</body></tmx>"
}' >big.tmx
"$PARALLAX" import --tm t --batch 1000 big.tmx >/dev/null 2>&1 &
pid=$!
n=0
for _ in $(seq 1 600); do
  sleep 0.05
  n=$("$PARALLAX" export --tm t --format jsonl 2>/dev/null | wc -l)
  [ "$n" -ge 3000 ] && break
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
[ "$n" -ge 3000 ] || fail "the import never committed 3000 units"
px export --tm t --format jsonl
expect_rc 0
have=$(wc -l <"$OUT")
[ $((have % 1000)) -eq 0 ] || fail "$have units stored: not whole batches"
if [ "$have" -lt 30000 ]; then
  px import --tm t --batch 1000 big.tmx
  expect_rc 4
  expect_err_has "left a checkpoint ($have units committed); run it again with --resume"
  px import --tm t --batch 1000 --resume big.tmx
  expect_rc 0
  expect_out_text "big.tmx: 30000 units read, $((30000 - have)) added, 0 updated, 0 skipped, $have already imported (resumed)"
fi
px export --tm t --format jsonl
[ "$(wc -l <"$OUT")" -eq 30000 ] || fail "expected 30000 units after --resume"
