# names-5.5: `names check --tm DIR` checks every unit of a translation memory (variants, inconsistency across units, missing entities); `names learn --tm DIR` proposes lexicon lines with the English spellings seen and their counts
printf '#langs\tru\ten\n' >units.tsv
printf 'Путин прибыл в Тегеран.\tPutin arrived in Tehran.\n' >>units.tsv
printf 'Роухани встретил Путина.\tRowhani met Putin.\n' >>units.tsv
printf 'Мединский выступил в Москве.\tMedinsky spoke in Moscow.\n' >>units.tsv
printf 'Мединский приехал в Казань.\tMedinskiy came to Kazan.\n' >>units.tsv
printf 'Мединский заявил это.\tMedinsky said so.\n' >>units.tsv
printf 'Лавров был в Анкаре.\tLavrov was in Turkey.\n' >>units.tsv
px import --tm mem units.tsv
expect_rc 0
px names check --tm mem
expect_rc 1
expect_out_has "variant: Rowhani -> Rouhani [rouhani]"
expect_out_has "inconsistent: Medinskiy -> Medinsky"
expect_out_has "missing: Анкаре names ankara"
px names learn --tm mem -o proposals.tsv
expect_rc 0
grep -qF "# ru Мединский (3 pairs): Medinsky (2), Medinskiy (1)" proposals.tsv || { fail "learn evidence missing"; cat proposals.tsv >&2; }
grep -qP '^medinsky\tperson\?\tMedinsky\t-\tMedinskiy\t-\t-\t-\tМединский\t-$' proposals.tsv || { fail "learn proposal line missing"; cat proposals.tsv >&2; }
grep -qF "in the lexicon as putin" proposals.tsv || fail "known entity evidence missing"
px names check --tm nosuchdir
expect_rc 4
expect_err_lines 1
