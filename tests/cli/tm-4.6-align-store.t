# tm-4.6: the main job end to end: align --store the Persian and Russian versions of the example article, then pre-translate the English article: one unit per English sentence with fa, ru and en variants, in-context 101% matches, concordance across both
export PARALLAX_TM=$T/mem
E=$PX_SRC/tm/examples
px align --store "$E/mna-124464.fa.txt" "$E/mna-124464.en.txt"
expect_rc 0
px align --store "$E/mna-124464.ru.txt" "$E/mna-124464.en.txt"
expect_rc 0
px stats --format json
expect_rc 0
expect_out_has '"documents":2'
px lookup --from en --to ru --file "$E/mna-124464.en.txt"
expect_rc 0
expect_out_has "2. Putin, Rouhani vow joint fight against terrorism"
expect_out_has "   101% context #1  Путин и Роухани призвали продолжать борьбу с терроризмом"
px lookup --from en --to fa --file "$E/mna-124464.en.txt"
expect_rc 0
# the same unit #1 holds the Persian headline too
expect_out_has "   101% context #1  روحانی و پوتین بر ادامه مبارزه با تروریسم تاکید کردند"
n=$(grep -c "101% context" "$OUT")
[ "$n" -ge 5 ] || fail "only $n in-context matches"
# without the context it is a plain exact match
px lookup --from en --to ru "Putin, Rouhani vow joint fight against terrorism"
expect_out_has "100%  exact   #1"
px concordance --to ru "fight against terrorism"
expect_rc 0
expect_out_has "#1 en: Putin, Rouhani vow joint [[fight against terrorism]]"
expect_out_has "   ru: Путин и Роухани призвали продолжать борьбу с терроризмом"
