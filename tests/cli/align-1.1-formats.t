# align-1.1: every output format on a short segmented Russian/English pair with a split, a merge, an omission and an addition
S=$PX_DATA/align/small.ru.txt E=$PX_DATA/align/small.en.txt
px align --segmented --format beads "$S" "$E"
expect_rc 0
expect_out "$PX_DATA/align/small.gold"
px align --segmented --src-lang ru --tgt-lang en --format beads --no-learn "$S" "$E"
expect_rc 0
expect_out "$PX_DATA/align/small.gold"
# tsv (the default): source TAB target TAB confidence, one line per bead
px align --segmented "$S" "$E"
expect_rc 0
[ "$(wc -l <"$OUT")" -eq 7 ] || fail "tsv: $(wc -l <"$OUT") lines, expected 7"
awk -F'\t' 'NF != 3 || $3 !~ /^(0|1)\.[0-9][0-9][0-9]$/ {bad=1} END {exit bad}' "$OUT" || fail "tsv: a line is not src TAB tgt TAB confidence"
expect_out_has "$(printf 'Trade rose by 70 percent to 2.2 billion dollars. The two sides signed 14 documents.\t')"
expect_out_has "$(printf 'Посол Казем Джалали также присутствовал на встрече.\t\t')"
# jsonl: one object per bead with indices, confidence and text
px align --segmented --format jsonl "$S" "$E"
expect_rc 0
python3 - "$OUT" <<'PY' || fail "jsonl content"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 7, len(rows)
assert rows[1]["src"] == [1] and rows[1]["tgt"] == [1, 2], rows[1]
assert rows[3]["tgt"] == [] and rows[3]["tgt_text"] == ""
assert all(0 <= r["confidence"] <= 1 for r in rows)
assert rows[0]["tgt_text"].startswith("In 2017 Vladimir Putin")
PY
# tmx: a TMX 1.4 document with the five two-sided pairs
px align --segmented --format tmx -o "$T/out.tmx" "$S" "$E"
expect_rc 0
python3 - "$T/out.tmx" <<'PY' || fail "tmx content"
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "tmx" and root.get("version") == "1.4"
assert root.find("header").get("srclang") == "ru"
tus = root.find("body").findall("tu")
assert len(tus) == 5, len(tus)
XL = "{http://www.w3.org/XML/1998/namespace}lang"
langs = [t.get(XL) for t in tus[0].findall("tuv")]
assert langs == ["ru", "en"], langs
assert tus[0].findall("tuv")[1].find("seg").text.startswith("In 2017")
PY
# --min-confidence 1 leaves no pair standing
px align --segmented --format beads --min-confidence 1 "$S" "$E"
expect_rc 0
grep -q '^\[[0-9]' "$OUT" && grep -q '\]:\[[0-9]' "$OUT" && ! grep -q '^\[[0-9][0-9, ]*\]:\[[0-9]' "$OUT" || fail "--min-confidence 1 kept a pair"
