# names-5.2: --fix writes a corrected copy (-o DIR) or replaces the file (--in-place), applying only unambiguous replacements and preserving every other byte (CRLF, NBSP, tabs, emoji, no final newline)
cp "$PX_DATA/names/fix.en.txt" f.txt
px names check --fix -o out f.txt
expect_rc 1
expect_out_has "f.txt:1:35: variant: Rowhani -> Rouhani [rouhani] (fixed)"
cmp -s out/f.txt "$PX_DATA/names/fix.expected.txt" || fail "fixed copy differs from fix.expected.txt"
cmp -s f.txt "$PX_DATA/names/fix.en.txt" || fail "the input was modified"
# the fixed copy is clean
px names check out/f.txt
expect_rc 0
# in place
cp "$PX_DATA/names/fix.en.txt" g.txt
chmod 640 g.txt
px names check --fix --in-place g.txt
expect_rc 1
cmp -s g.txt "$PX_DATA/names/fix.expected.txt" || fail "in-place result differs"
[ "$(stat -c %a g.txt)" = 640 ] || fail "in-place changed the file mode"
# unknown-close and inconsistency are reported but never fixed
printf 'Officials met in Astanna.\n' >h.txt
px names check --fix -o out2 h.txt
expect_rc 1
expect_out_has "h.txt:1:18: unknown-close: Astanna -> Astana [astana]"
expect_out_lacks "(fixed)"
cmp -s out2/h.txt h.txt || fail "review-only finding was applied"
# --fix needs a destination
px names check --fix h.txt
expect_rc 2
expect_err_has "parallax names: --fix needs -o DIR or --in-place"
# a dotted abbreviation (P.K.K.) is reported but not fixed: its full stop may end the sentence
printf 'The P.K.K. attacked. Hizbullah spoke.\n' >p.txt
px names check --fix -o out3 p.txt
expect_rc 1
expect_out_has "p.txt:1:5: variant: P.K.K -> PKK [pkk]"
expect_out_has "p.txt:1:22: variant: Hizbullah -> Hezbollah [hezbollah] (fixed)"
expect_out_lacks "PKK [pkk] (fixed)"
[ "$(cat out3/p.txt)" = "The P.K.K. attacked. Hezbollah spoke." ] || fail "dotted fix: $(cat out3/p.txt)"
