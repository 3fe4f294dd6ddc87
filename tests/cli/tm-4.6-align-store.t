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
head_ru=$(grep -A1 "^[0-9]*\. Putin, Rouhani vow joint fight against terrorism" "$OUT" | tail -1)
case $head_ru in *"101% context #"*"Путин и Роухани призвали продолжать борьбу с терроризмом") ;; *) fail "headline (ru): $head_ru" ;; esac
id_ru=$(echo "$head_ru" | sed -n 's/.*context #\([0-9]*\).*/\1/p')
px lookup --from en --to fa --file "$E/mna-124464.en.txt"
expect_rc 0
head_fa=$(grep -A1 "^[0-9]*\. Putin, Rouhani vow joint fight against terrorism" "$OUT" | tail -1)
case $head_fa in *"101% context #"*"روحانی و پوتین بر ادامه مبارزه با تروریسم تاکید کردند") ;; *) fail "headline (fa): $head_fa" ;; esac
# the same unit holds the Persian and the Russian headline
id_fa=$(echo "$head_fa" | sed -n 's/.*context #\([0-9]*\).*/\1/p')
[ -n "$id_ru" ] && [ "$id_ru" = "$id_fa" ] || fail "headline units differ: ru #$id_ru, fa #$id_fa"
n=$(grep -c "101% context" "$OUT")
[ "$n" -ge 5 ] || fail "only $n in-context matches"
# without the context it is a plain exact match
px lookup --from en --to ru "Putin, Rouhani vow joint fight against terrorism"
expect_out_has "100%  exact   #$id_ru"
px concordance --to ru "fight against terrorism"
expect_rc 0
expect_out_has "#$id_ru en: Putin, Rouhani vow joint [[fight against terrorism]]"
expect_out_has "   ru: Путин и Роухани призвали продолжать борьбу с терроризмом"
