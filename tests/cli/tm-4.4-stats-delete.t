# tm-4.4: parallax stats (text, json) and parallax delete by id and by document, all in one transaction; missing ids exit 1
export PARALLAX_TM=$T/mem
px import --doc a "$PX_DATA/tm/pairs.tsv"
expect_rc 0
px import --doc b "$PX_DATA/tm/ru.tsv"
expect_rc 0
px stats
expect_rc 0
expect_out_has "units:       4"
expect_out_has "variants:    9 (en 4, fa 4, ru 1)"
expect_out_has "documents:   2"
expect_out_has "(schema 3)"
px stats --format json
expect_rc 0
expect_out_has '"schema":3,"units":4,"variants":9,"languages":{"en":4,"fa":4,"ru":1},"documents":2'
px delete --id 2 --id 3
expect_rc 0
expect_out_text "deleted 2 units"
px lookup --from en --to fa --exact "Oil prices rose sharply after the announcement."
expect_out_has "no match"
px delete --id 3
expect_rc 1
expect_err_has "parallax delete: no unit 3"
px delete --doc b
expect_rc 0
expect_out_text "deleted 1 unit"
px stats --format json
expect_out_has '"units":1,"variants":2,"languages":{"en":1,"fa":1},"documents":1'
px delete --doc nosuch
expect_rc 1
expect_err_has "no unit comes from document 'nosuch'"
px delete
expect_rc 2
expect_err_has "give --id ID or --doc DOC"
px delete --id zero
expect_rc 2
