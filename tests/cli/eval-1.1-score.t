# eval-1.1: strict and lax P/R/F1 as Vecalign defines them (hand-computed), pooled over pairs, text and json; bad and mismatched files
G=$PX_DATA/align/score.gold P=$PX_DATA/align/score.pred
px eval --gold "$G" --pred "$P"
expect_rc 0
expect_out_text "files 1, predicted beads 5, gold beads 2
strict  P 0.6000  R 0.5000  F1 0.5455
lax     P 0.8000  R 1.0000  F1 0.8889"
px eval --gold "$G" --pred "$P" --format json
expect_rc 0
expect_out_text '{"files": 1, "pred_beads": 5, "gold_beads": 2, "strict": {"precision": 0.6000, "recall": 0.5000, "f1": 0.5455}, "lax": {"precision": 0.8000, "recall": 1.0000, "f1": 0.8889}}'
# pooled: the same pair twice plus a perfect one (counts add up)
px eval --gold "$G" --pred "$P" --gold "$G" --pred "$G"
expect_rc 0
expect_out_has "files 2, predicted beads 9, gold beads 4"
expect_out_has "strict  P 0.7778  R 0.7500"
# mismatched files: a predicted sentence beyond the gold
printf '[0]:[0]\n[1]:[9]\n' >"$T/far.pred"
px eval --gold "$G" --pred "$T/far.pred"
expect_rc 3
expect_err_has "parallax eval: pred: bead 2 names target sentence 9 but the gold has 4"
expect_err_lines 1
# malformed bead file: line and column
printf '[0]:[0]\n[1, ]:[1]\n' >"$T/bad.pred"
px eval --gold "$G" --pred "$T/bad.pred"
expect_rc 3
expect_err_has "parallax eval: $T/bad.pred:2:5: expected a sentence number"
expect_err_lines 1
px eval --gold "$G" --pred "$T/none.pred"
expect_rc 3
expect_err_has "none.pred"
px eval --gold "$G"
expect_rc 2
expect_err_has "1 --gold files but 0 --pred files"
px eval --gold "$G" --pred "$P" --format xml
expect_rc 2
