# lex-1.1: 'lexicon show' prints each word's translations (normalized lookup), exits 1 for a word it lacks, and --format json
L=$PX_DATA/lexicon/mine.tsv
px lexicon show --src-lang fa --no-default --lexicon "$L" جنگ
expect_rc 0
expect_out_text "$(printf 'جنگ\twar\t1.00\nجنگ\twarfare\t1.00')"
# Vowelled and Arabic-letter spellings find the same entry.
px lexicon show --src-lang fa --no-default --lexicon "$L" كِتَاب "وزیر امور خارجه"
expect_rc 0
expect_out_text "$(printf 'کتاب\tbook\t1.00\nوزیر امور خارجه\tforeign minister\t1.00')"
px lexicon show --src-lang fa --no-default --lexicon "$L" صلح nosuchword
expect_rc 1
expect_out_text "$(printf 'صلح\tpeace\t0.50')"
expect_err_has "parallax lexicon: 'nosuchword' is not in the fa-en lexicon"
expect_err_lines 1
px lexicon show -s fa -f json --no-default --lexicon "$L" جنگ
expect_rc 0
expect_out_text '{"src_lang":"fa","tgt_lang":"en","words":[{"word":"جنگ","normalized":"جنگ","translations":[{"tgt":"war","weight":1.00},{"tgt":"warfare","weight":1.00}]}]}'
# The shipped Persian lexicon is loaded by default.
px lexicon show --src-lang fa تحریم‌ها
expect_rc 0
expect_out_has "sanctions"
px lexicon show --src-lang ur اللہ
expect_rc 0
expect_out_has "allah"
px lexicon show --src-lang ru президентом
expect_rc 0
expect_out_has "president"
px lexicon show --src-lang ar "الرَّحِيمِ"
expect_rc 0
expect_out_has "merciful"
