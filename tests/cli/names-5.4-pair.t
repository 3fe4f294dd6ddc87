# names-5.4: cross-lingual pairs (--pair, aligned or --segmented) in Persian, Russian and Arabic: an entity the source names must appear in the English with the house spelling
printf 'حسن روحانی در تهران سخن گفت.\nپوتین به دمشق رفت.\n' >fa.txt
printf 'Hassan Rowhani spoke in Tehran.\nPutin went to Syria.\n' >fa-en.txt
px names check --pair --segmented --src-lang fa fa.txt fa-en.txt
expect_rc 1
expect_out_has "fa-en.txt:1:1: variant: Hassan Rowhani -> Hassan Rouhani [rouhani]"
expect_out_has "fa.txt:2:10: missing: دمشق names damascus; fa-en.txt lacks \"Damascus\""
printf 'Путин встретился с Роухани в Москве.\n' >ru.txt
printf 'Putin met Rouhani in Moscow.\n' >ru-en.txt
px names check --pair --segmented ru.txt ru-en.txt
expect_rc 0
printf 'Putin met Rouhani.\n' >ru-en2.txt
px names check --pair --segmented ru.txt ru-en2.txt
expect_rc 1
expect_out_text "ru.txt:1:30: missing: Москве names moscow; ru-en2.txt lacks \"Moscow\""
printf 'التقى بوتين والأسد في دمشق.\n' >ar.txt
printf 'Putin met Assad in Damascus.\n' >ar-en.txt
px names check --pair --segmented --src-lang ar ar.txt ar-en.txt
expect_rc 0
# the example articles, aligned by the aligner: the English variant is found once
px names check --pair "$PX_SRC/tm/examples/mna-124464.fa.txt" "$PX_SRC/tm/examples/mna-124464.en.txt"
expect_rc 1
expect_out_has "mna-124464.en.txt:13:1: variant: Rowhani -> Rouhani [rouhani]"
[ "$(grep -c Rowhani "$OUT")" -eq 1 ] || fail "the variant was reported more than once"
# invalid UTF-8 on the source side
printf 'Путин \377\n' >badru.txt
px names check --pair --segmented badru.txt ru-en.txt
expect_rc 3
expect_err_has "badru.txt: invalid UTF-8 at byte 11"
# a name in no lexicon: romanized with the article and conjunction stripped, proposed by learn
printf 'التقى بوتين والكاظمي في بغداد.\n' >ar2.txt
printf 'Putin met Kadhimi in Baghdad.\n' >ar2-en.txt
px names learn --pair --segmented --src-lang ar ar2.txt ar2-en.txt
expect_rc 0
expect_out_has "# ar كاظمي (1 pairs): Kadhimi (1)"
expect_out_has "# ar بغداد (1 pairs): Baghdad (1) -- in the lexicon as baghdad"
