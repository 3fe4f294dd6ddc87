# tm-4.2: parallax lookup --file: an article segmented and looked up in one process, best match per sentence; --lines and stdin; in-context 101% from aligned context
export PARALLAX_TM=$T/mem
px import "$PX_DATA/tm/pairs.tsv"
expect_rc 0
cat >"$T/article.txt" <<'TXT'
The minister held talks in Tehran on Monday. The meeting will be held on March 1-2 in Geneva.

Nobody expected this at all.
TXT
px lookup --from en --to fa --file "$T/article.txt"
expect_rc 0
expect_out_has "1. The minister held talks in Tehran on Monday."
expect_out_has "   100% exact"
expect_out_has "    98% fuzzy   #2 (numbers substituted)  این نشست در [[۱]]-[[۲]] مارس"
expect_out_has "3. Nobody expected this at all."
expect_out_has "     -   no match"
expect_err_has "3 sentences: 0 in-context, 1 exact, 1 fuzzy, 1 without a match"
px lookup --from en --to fa --file "$T/article.txt" --fail --format json
expect_rc 1
[ "$(wc -l <"$OUT")" -eq 3 ] || fail "json: not one line per sentence"
expect_out_has '{"n":1,"offset":0,"text":"The minister held talks in Tehran on Monday.","matches":[{"id":1,"score":100'
expect_out_has '"text":"Nobody expected this at all.","matches":[]}'
printf 'Oil prices rose sharply after the announcement.\nThe talks will continue next week\n' >"$T/lines.txt"
px_in "$T/lines.txt" lookup --from en --to fa --lines --file -
expect_rc 0
expect_out_has "   100% exact"
expect_out_has "    99% fuzzy"
expect_err_has "2 sentences: 0 in-context, 1 exact, 1 fuzzy, 0 without a match"
# the language is guessed from the article when --from is missing
printf 'وزیر روز دوشنبه در تهران مذاکره کرد.\n' >"$T/fa.txt"
px lookup --to en --file "$T/fa.txt"
expect_rc 0
expect_out_has "100% exact   #1  The minister held talks in Tehran on Monday."
: >"$T/empty.txt"
px lookup --from en --to fa --file "$T/empty.txt"
expect_rc 0
expect_err_has "0 sentences"
