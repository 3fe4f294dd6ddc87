# names-5.1: `names check` on the example article finds the Rowhani variant (exit 1, FILE:LINE:COL), a clean file exits 0 with no output, text and JSON formats
cp "$PX_SRC/tm/examples/mna-124464.en.txt" ex.en.txt
px names check ex.en.txt
expect_rc 1
expect_out_text "ex.en.txt:13:1: variant: Rowhani -> Rouhani [rouhani]"
printf 'Hassan Rouhani said Tehran and Moscow back the Astana talks.\nDaesh and Fatah al Sham (former al-Nusra Front) lost ground.\n' >clean.txt
px names check clean.txt
expect_rc 0
[ -s "$OUT" ] && fail "expected no output"
# several files: one batch, each finding names its file
cp "$PX_DATA/names/variants.en.txt" v.txt
px names check clean.txt v.txt ex.en.txt
expect_rc 1
expect_out_has "v.txt:2:1: variant: Rohani -> Rouhani [rouhani]"
expect_out_has "v.txt:6:71: banned: ISIS -> Daesh [daesh]"
expect_out_has "ex.en.txt:13:1: variant: Rowhani -> Rouhani [rouhani]"
expect_out_lacks "clean.txt"
[ "$(wc -l <"$OUT")" -eq 33 ] || fail "expected 33 findings, got $(wc -l <"$OUT")"
# JSON: one document, parseable, with every field
px names check --format json ex.en.txt
expect_rc 1
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); f=d["findings"][0]; assert d["count"]==1 and f["kind"]=="variant" and f["found"]=="Rowhani" and f["house"]=="Rouhani" and f["line"]==13 and f["column"]==1 and f["entity"]=="rouhani" and f["fixable"] is True, d' "$OUT" || fail "bad JSON"
px names check --format json clean.txt
expect_rc 0
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["count"]==0 and d["findings"]==[]' "$OUT" || fail "bad empty JSON"
px names check --format jsonl v.txt
expect_rc 1
python3 -c 'import json,sys; rows=[json.loads(l) for l in open(sys.argv[1])]; assert len(rows)==32 and all("kind" in r for r in rows)' "$OUT" || fail "bad JSONL"
