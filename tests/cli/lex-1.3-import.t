# lex-1.3: 'lexicon import' converts a dictd dictionary (forward or --reverse) into a TSV that loads back
px lexicon import --dictd "$PX_DATA/lexicon/dictd/freedict-eng-rus.index" --reverse -o ru-en.tsv
expect_rc 0
expect_err_has "parallax lexicon: wrote 7 entries to ru-en.tsv"
grep -v '^#' ru-en.tsv > body.tsv
printf 'мир\tpeace\t0.80\nпокои\tpeace\t0.80\nвоина\twar\t0.80\nборьба\twar\t0.64\nправительство\tgovernment\t0.80\nминистр\tminister\t0.80\nвести переговоры\tnegotiate\t0.80\n' > want.tsv
cmp -s body.tsv want.tsv || { fail "import output differs"; diff want.tsv body.tsv >&2; }
head -1 ru-en.tsv | grep -q '^# rus-eng lexicon imported' || fail "no header comment"
px lexicon show --src-lang ru --no-default --lexicon ru-en.tsv борьба
expect_rc 0
expect_out_text "$(printf 'борьба\twar\t0.64')"
# Forward, to stdout; --src-lang/--tgt-lang override the file name.
px lexicon import --dictd "$PX_DATA/lexicon/dictd/freedict-eng-rus.index" --src-lang en --tgt-lang ru
expect_rc 0
expect_out_has "$(printf 'negotiate\tвести переговоры\t0.80')"
expect_out_has "$(printf 'war\tборьба\t0.64')"
