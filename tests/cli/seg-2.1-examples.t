# seg-2.1: the example wires segment as their README says: the dateline sentence whole, headlines and furniture (Tags, News ID, SPUTNIK/MNA) on their own lines, every other sentence whole (en 19, fa 16, ru 17 segments)
ex=$PX_SRC/tm/examples
px segment --lang en "$ex/mna-124464.en.txt"
expect_rc 0
expect_out "$PX_DATA/segment/mna-124464.en.expected"
expect_out_has "MOSCOW, Mar. 28 (MNA) – Iranian President Hassan Rouhani and his Russian counterpart Vladimir Putin pledged on Tuesday to keep working together until terrorism is uprooted from the region."
expect_out_has "Putin, Rouhani vow joint fight against terrorism"
expect_out_has "Dr. Ali Akbar Velayati, senior adviser to Iran's Supreme Leader, also attended the talks."
expect_out_has "“They help the intra-Syrian talks under the aegis of the U.N. in Geneva.”"
for furniture in "Tags" "News ID 124464" "SPUTNIK/MNA"; do
  grep -qxF -- "$furniture" "$OUT" || fail "'$furniture' is not a line of its own"
done
[ "$(wc -l <"$OUT")" -eq 19 ] || fail "expected 19 English segments"
px segment --lang fa "$ex/mna-124464.fa.txt"
expect_rc 0
expect_out "$PX_DATA/segment/mna-124464.fa.expected"
[ "$(wc -l <"$OUT")" -eq 16 ] || fail "expected 16 Persian segments"
grep -qxF "برچسب‌ها" "$OUT" || fail "Persian Tags furniture (with ZWNJ) not alone"
px segment --lang ru "$ex/mna-124464.ru.txt"
expect_rc 0
expect_out "$PX_DATA/segment/mna-124464.ru.expected"
[ "$(wc -l <"$OUT")" -eq 17 ] || fail "expected 17 Russian segments"
grep -qxF "Это была их 11-я встреча с 2013 г." "$OUT" || fail "Russian '2013 г.' sentence not whole"
# without --lang the language comes from the script
px segment "$ex/mna-124464.fa.txt"
expect_rc 0
expect_out "$PX_DATA/segment/mna-124464.fa.expected"
