# tmx-1.5: import/export options and usage errors: --help, --format, --batch, --quiet, --langs, -o atomic and unwritable, missing memory
px import --help
expect_rc 0
for o in --tm --format --skip-bad --src-lang --tgt-lang --doc --resume --batch --quiet --json; do expect_out_has -- "$o"; done
px export --help
expect_rc 0
for o in --tm --format --output --langs --srclang --quiet; do expect_out_has -- "$o"; done
px import
expect_rc 2
expect_err_has "parallax import: missing FILE"
px import --format xliff x.tmx
expect_rc 2
expect_err_has "--format must be tmx, tsv or jsonl, not 'xliff'"
px import --batch many x.tmx
expect_rc 2
px export --format csv
expect_rc 2
px export --langs ,en
expect_rc 2
px export stray
expect_rc 2
cp "$PX_DATA/tmx/rich.tmx" r.tmx
px import --tm t --quiet --batch 1 r.tmx
expect_rc 0
[ -s "$OUT" ] && fail "--quiet printed a summary"
px import --tm t --json --batch 1 r.tmx
expect_out_has '"read":3,"added":0,"updated":3,"skipped":0,"resumed":0,"transactions":4'
# --doc: provenance for units without one
px import --tm d --doc wire-7 r.tmx
px export --tm d --format jsonl
expect_out_has '"doc":"wire-7"'
# --langs
px export --tm t --langs ru,xx -q
expect_rc 0
expect_out_has 'xml:lang="ru"'
expect_out_lacks 'xml:lang="fa"'
# export into a directory that does not exist: error, exit 3 (a path that does not exist)
px export --tm t -o no/such/dir/out.tmx
expect_rc 3
expect_err_has "parallax export: no/such/dir/out.tmx.tmp-"
# -o replaces a file only when complete; no temporary files left
echo old >out.tmx
px export --tm t -o out.tmx
expect_rc 0
head -1 out.tmx | grep -q '<?xml' || fail "out.tmx not replaced"
ls | grep -q 'tmp-' && fail "temporary file left behind"
# export from a memory that does not exist: error, nothing created
px export --tm nothing-here
expect_rc 4
[ -e nothing-here ] && fail "export created a memory"
true
# --srclang sets the header's srclang; the header has every required attribute
px export --tm t --srclang en
expect_rc 0
for a in 'creationtool="parallax"' 'creationtoolversion="' 'segtype="sentence"' 'o-tmf="parallax-lmdb"' 'adminlang="en"' 'srclang="en"' 'datatype="plaintext"' 'creationdate="'; do
  expect_out_has "$a"
done
px export --tm t --srclang 'e n'
expect_rc 2
expect_err_has "srclang 'e n' is not a language tag"
