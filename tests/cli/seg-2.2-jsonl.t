# seg-2.2: --format jsonl gives i, paragraph, byte offsets into the original file (BOM and CRLF counted), text and kind; offsets cut the original bytes exactly
printf '\xef\xbb\xbfTEHRAN, Apr. 3 (IRNA) \xe2\x80\x93 Talks began.\r\nThey ended.\r\n\r\nNews ID 42\r\n' >in.txt
px segment --format jsonl --lang en in.txt
expect_rc 0
cat >want <<'JSON'
{"i":0,"paragraph":0,"start":3,"end":41,"text":"TEHRAN, Apr. 3 (IRNA) – Talks began.","kind":"dateline","lang":"en"}
{"i":1,"paragraph":0,"start":43,"end":54,"text":"They ended.","kind":"sentence","lang":"en"}
{"i":2,"paragraph":1,"start":58,"end":68,"text":"News ID 42","kind":"furniture","lang":"en"}
JSON
expect_out want
# every segment of the Persian example: its bytes in the file are its text
px segment --format jsonl "$PX_SRC/tm/examples/mna-124464.fa.txt"
expect_rc 0
n=0
while IFS= read -r line; do
  start=$(printf '%s' "$line" | sed -E 's/.*"start":([0-9]+).*/\1/')
  end=$(printf '%s' "$line" | sed -E 's/.*"end":([0-9]+).*/\1/')
  text=$(printf '%s' "$line" | sed -E 's/.*"text":"(.*)","kind".*/\1/')
  bytes=$(tail -c +$((start + 1)) "$PX_SRC/tm/examples/mna-124464.fa.txt" | head -c $((end - start)))
  [ "$bytes" = "$text" ] || fail "segment $n: bytes $start-$end are '$bytes', text is '$text'"
  n=$((n + 1))
done <"$OUT"
[ "$n" -eq 16 ] || fail "expected 16 JSON lines, got $n"
grep -q '"kind":"headline"' "$OUT" || fail "no headline kind"
grep -q '"kind":"furniture"' "$OUT" || fail "no furniture kind"
