# tm-4.1: parallax lookup: exact 100%, case-only 99%, fuzzy 87%, numbers substituted (98%), context 101%, json, --min, --limit, --exact, --fail
export PARALLAX_TM=$T/mem
px import --doc mna-1 "$PX_DATA/tm/pairs.tsv"
expect_rc 0
px import --doc mna-1-ru "$PX_DATA/tm/ru.tsv"
expect_rc 0

px lookup --from en --to fa "The minister held talks in Tehran on Monday."
expect_rc 0
expect_out_has "100%  exact"
expect_out_has "fa: وزیر روز دوشنبه در تهران مذاکره کرد."
expect_out_has "[mna-1-ru:0]"
# the English sentence aligned from Russian and Persian is one unit
px lookup --from en --to ru "The minister held talks in Tehran on Monday."
expect_rc 0
expect_out_has "100%  exact   #1"
expect_out_has "ru: Министр провёл переговоры в Тегеране в понедельник."

px lookup --from en --to fa "the minister held talks in tehran on monday."
expect_rc 0
expect_out_has " 99%  fuzzy"

px lookup --from en --to fa The minister held talks in Moscow on Monday.
expect_rc 0
expect_out_has " 87%  fuzzy"

px lookup --from en --to fa "The meeting will be held on March 23-24 in Geneva."
expect_rc 0
expect_out_has " 98%  fuzzy   #2  (numbers substituted)"
expect_out_has "fa: این نشست در [[۲۳]]-[[۲۴]] مارس در ژنو برگزار می‌شود."

px lookup --from en --to fa --no-subst "The meeting will be held on March 23-24 in Geneva."
expect_out_has "fa: این نشست در ۱۴-۱۵ مارس در ژنو برگزار می‌شود."
expect_out_lacks "substituted"

px lookup --from fa --to en --format json "وزیر روز دوشنبه در تهران مذاکره کرد."
expect_rc 0
expect_out_has '"score":100,"kind":"exact","penalties":[]'
expect_out_has '"target":"The minister held talks in Tehran on Monday."'
[ "$(wc -l <"$OUT")" -eq 1 ] || fail "json output is not one line"

px lookup --from en --to fa --format json "The meeting will be held on March 23-24 in Geneva."
expect_out_has '"score":98,"kind":"fuzzy","penalties":["number"]'
expect_out_has '"substituted":true,"substitutions":[{"offset":'

# context: stored without context here, so a given context cannot match
px lookup --from en --to fa --prev "Officials arrived." "The talks will continue next week."
expect_out_has "100%  exact"

# --min, --limit, --exact, --fail
px lookup --from en --to fa --min 90 --fail "The minister held talks in Moscow on Monday."
expect_rc 1
expect_out_has "no match at 90% or more"
px lookup --from en --to fa --exact "The minister held talks in Moscow on Monday."
expect_rc 0
expect_out_has "no match"
px lookup --from en --to fa --min 0 --limit 2 --format json "The talks"
expect_rc 0
n=$(grep -o '"id":' "$OUT" | wc -l)
[ "$n" -eq 2 ] || fail "--limit 2 gave $n matches"
