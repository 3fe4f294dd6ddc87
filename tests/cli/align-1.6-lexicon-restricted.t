# align-1.6: a single pair loads only the lexicon entries of its source document's words (px_lexicon_restrict), a batch the whole lexicon: the alignments and confidences are the same
X=$PX_SRC/tm/examples
for pair in "$X/mna-124464.fa.txt:$X/mna-124464.en.txt:" "$X/mna-124464.ru.txt:$X/mna-124464.en.txt:" "$PX_DATA/align/small.ru.txt:$PX_DATA/align/small.en.txt:--segmented"; do
  IFS=: read -r S E SEG <<<"$pair"
  n=$(basename "$S")
  px align $SEG --format jsonl "$S" "$E"
  expect_rc 0
  cp "$OUT" "$T/$n.one"
  printf '%s\t%s\t%s\n' "$S" "$E" "$T/$n.batch" >"$T/list"
  px align $SEG --format jsonl --batch "$T/list" --jobs 1
  expect_rc 0
  [ -s "$T/$n.one" ] || fail "$n: single pair wrote nothing"
  cmp -s "$T/$n.one" "$T/$n.batch" || { fail "$n: single pair and batch differ"; diff "$T/$n.one" "$T/$n.batch" | head -5; }
done
