# lex-1.2: 'lexicon stats' lists each file loaded (kind, records, entries, time) as text and JSON; an uncovered pair loads nothing
px lexicon stats --src-lang fa --no-default --lexicon "$PX_DATA/lexicon/mine.tsv"
expect_rc 0
expect_out_has "lexicon fa-en: 5 entries, 4 source words, phrases up to 3 words"
expect_out_has "  tsv          4 records        5 entries"
expect_out_has "mine.tsv"
# A dictionary folder and a dictd folder of our own: both directions found.
mkdir -p dict/lexicons
printf 'мир\tworld\n' > dict/lexicons/ru-en.tsv
PARALLAX_DICTDIR=$T/dict PARALLAX_DICTD_DIR=$PX_DATA/lexicon/dictd px lexicon stats --src-lang ru --format json
expect_rc 0
expect_out_has '"src_lang":"ru","tgt_lang":"en","entries":8,'
expect_out_has '{"kind":"tsv","path":"'"$T"'/dict/lexicons/ru-en.tsv","reversed":false,"records":1,"added":1,'
expect_out_has '{"kind":"dictd","path":"'"$PX_DATA"'/lexicon/dictd/freedict-eng-rus.index","reversed":true,"records":5,"added":7,'
PARALLAX_DICTDIR=$T/dict PARALLAX_DICTD_DIR=$T/none px lexicon stats --src-lang qq
expect_rc 0
expect_out_has "lexicon qq-en: 0 entries"
expect_out_has "nothing loaded"
