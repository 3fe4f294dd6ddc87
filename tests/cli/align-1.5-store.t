# align-1.5: --store writes the aligned pairs into the translation memory; --tm feeds its pairs back to the learner
S=$PX_DATA/align/small.ru.txt E=$PX_DATA/align/small.en.txt
px align --segmented --format beads --store --tm "$T/tm" "$S" "$E"
expect_rc 0
expect_out "$PX_DATA/align/small.gold"
[ -f "$T/tm/data.mdb" ] || fail "no LMDB store written"
px stats --tm "$T/tm"
expect_rc 0
expect_out_has "units:       5"
# the stored pairs are read back to train Model 1 on the next run
px align --segmented --format beads --tm "$T/tm" "$S" "$E"
expect_rc 0
expect_out "$PX_DATA/align/small.gold"
