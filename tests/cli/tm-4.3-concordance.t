# tm-4.3: parallax concordance: case- and diacritic-insensitive phrase search with [[...]] highlights, translations, --to, --limit, json
export PARALLAX_TM=$T/mem
px import "$PX_DATA/tm/pairs.tsv"
expect_rc 0
px concordance --lang en "HELD talks"
expect_rc 0
expect_out_text "#1 en: The minister [[held talks]] in Tehran on Monday.
   fa: وزیر روز دوشنبه در تهران مذاکره کرد."
px concordance held
expect_rc 0
expect_out_has "#1 en: The minister [[held]] talks"
expect_out_has "#2 en: The meeting will be [[held]] on March"
px concordance --limit 1 held
n=$(grep -c '^#' "$OUT")
[ "$n" -eq 1 ] || fail "--limit 1 gave $n units"
px concordance --format json "talks"
expect_rc 0
expect_out_has '{"phrase":"talks","lang":"en","hits":[{"id":4,"lang":"en","text":"The talks will continue next week.","spans":[{"offset":4,"length":5}],"translations":{"fa":"مذاکرات هفته آینده ادامه خواهد یافت."}}'
# Persian, language guessed from the script
px concordance "قیمت نفت"
expect_rc 0
expect_out_has "#3 fa: [[قیمت نفت]] پس از"
expect_out_has "   en: Oil prices rose sharply after the announcement."
px concordance --to ru held
expect_rc 0
expect_out_has 'no unit contains "held" in en'
px concordance "zebra crossing"
expect_rc 0
expect_out_text 'no unit contains "zebra crossing" in en'
px concordance --lang en "..."
expect_rc 2
expect_err_has "parallax concordance: the phrase has no word to look for"
