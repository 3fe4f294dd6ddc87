# core-1.1: every command answers --help on stdout with exit 0; unknown commands and options are usage errors (2)
for c in segment align eval import export lookup concordance stats delete names; do
  px "$c" --help
  expect_rc 0
  expect_out_has "Usage: parallax $c"
done
px help
expect_rc 0
expect_out_has "Commands:"
px frobnicate
expect_rc 2
expect_err_has "parallax: no command 'frobnicate'"
px segment --no-such-option
expect_rc 2
expect_err_has "parallax segment: unknown option '--no-such-option'"
expect_err_lines 1
px help --man
expect_rc 0
expect_out_has ".TH PARALLAX 1"
px --version
expect_rc 0
expect_out_has "parallax 0."
