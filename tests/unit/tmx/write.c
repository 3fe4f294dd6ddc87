/*
 * write.c: the writers without a store: units written as TMX, TSV and
 * JSONL and read back unchanged; escaping of every character XML treats
 * specially; refusals (control characters, broken inline-code records,
 * TSV without columns); and the TSV and JSONL readers' own error paths.
 */
#include <stdlib.h>
#include <string.h>

#include "px_test.h"
#include "tmx.h"

static int dump(const px_unit *u, const px_tmx_pos *pos, void *payload) {
  (void)pos;
  return px_tmx__jsonl_line(payload, u, NULL, 0);
}

/* A unit with every field set. */
static const px_prop uprops[] = {{"x-px-attr:datatype", "html"},
                                 {"x-domain", "news & <politics>"},
                                 {"x-px-attr:foo", "not a TMX attribute"},
                                 {"x-quote", "say \"hi\"\tthen\nstop"}};
static const char *const unotes[] = {"a note\r\nwith CRLF", "second"};
static const px_prop vprops[] = {{"x-px-attr:o-encoding", "utf-8"},
                                 {"x-px-attr:changeid", "carol"},
                                 {"x-status", "draft"}};
static const char *const vnotes[] = {"variant note"};

static void full_unit(px_unit *u, px_variant *v) {
  memset(u, 0, sizeof *u);
  memset(v, 0, 3 * sizeof *v);
  v[0].lang = "en";
  v[0].text = "The {1}Council{/1} met {2/} & left <fast> \"now\"\r\nok {3/}";
  v[0].len = strlen(v[0].text);
  v[0].codes = "<bpt i=\"1\" type=\"b\">&lt;b&gt;</bpt>\n<ept "
               "i=\"1\">&lt;/b&gt;</ept>\n<ph x=\"2\">&lt;br/&gt;</ph>\n{9}";
  v[0].codes_len = strlen(v[0].codes);
  v[0].prev_hash = 0x0123456789abcdefULL;
  v[0].next_hash = 0xfedcba9876543210ULL;
  v[0].created = 1420113600;
  v[0].changed = 1422882000;
  v[0].creator = "alice";
  v[0].props = vprops;
  v[0].nprops = 3;
  v[0].notes = vnotes;
  v[0].nnotes = 1;
  v[1].lang = "fa";
  v[1].text = "شورای {1}امنیت{/1}";
  v[1].len = strlen(v[1].text);
  v[1].codes = "<hi type=\"x\">\n</hi>";
  v[1].codes_len = strlen(v[1].codes);
  v[2].lang = "ru";
  v[2].text = "Литерал {1} без кодов";
  v[2].len = strlen(v[2].text);
  u->tuid = "t-1 & <2>";
  u->srclang = "en";
  u->created = 1420113600;
  u->changed = 1422882000;
  u->last_used = 1456000000;
  u->usage_count = 12;
  u->creator = "alice";
  u->changer = "bob";
  u->tool = "tool \"q\"";
  u->doc_id = "mna-124464";
  u->doc_pos = 17;
  u->confidence = 0.875;
  u->variants = v;
  u->nvariants = 3;
  u->props = uprops;
  u->nprops = 4;
  u->notes = unotes;
  u->nnotes = 2;
}

static char *write_all(const px_unit *u, size_t n, px_tmx_write_opts *o,
                       size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  px_tmx_writer *w;
  CHECK_OK(px_tmx_writer_new(&w, f, o));
  for (size_t i = 0; i < n; i++)
    CHECK_OK(px_tmx_writer_add(w, &u[i], NULL));
  CHECK_OK(px_tmx_writer_finish(w));
  fclose(f);
  return buf;
}

/* TMX and JSONL both carry every field: write, read, compare dumps. */
PX_TEST(test_tmx_write__roundtrip_every_field) {
  px_unit u;
  px_variant v[3];
  full_unit(&u, v);
  px_buf want, got;
  px_buf_init(&want, 0);
  px_buf_init(&got, 0);
  CHECK_OK(px_tmx__jsonl_line(&want, &u, NULL, 0));
  for (int f = PX_TMX_FORMAT_TMX; f <= PX_TMX_FORMAT_JSONL; f += 2) {
    px_tmx_write_opts o = PX_TMX_WRITE_OPTS_INIT;
    o.format = (px_tmx_format)f;
    o.now = 1700000000;
    size_t len;
    char *out = write_all(&u, 1, &o, &len);
    px_tmx_read_opts ro = PX_TMX_READ_OPTS_INIT;
    ro.format = (px_tmx_format)f;
    px_buf_clear(&got);
    CHECK_OK(px_tmx_read_mem(NULL, out, len, "mem", &ro, dump, &got));
    CHECK_STR(got.ptr, want.ptr);
    free(out);
  }
  px_buf_dispose(&want);
  px_buf_dispose(&got);
}

PX_TEST(test_tmx_write__tmx_golden) {
  px_unit u;
  px_variant v[3];
  full_unit(&u, v);
  px_tmx_write_opts o = PX_TMX_WRITE_OPTS_INIT;
  o.now = 1700000000;
  o.srclang = "en";
  size_t len, n;
  char *out = write_all(&u, 1, &o, &len);
  char *want = px_test_slurp(px_test_data("tmx/unit.golden.tmx"), &n);
  CHECK(want != NULL);
  if (want)
    CHECK_STR(out, want);
  free(want);
  free(out);
}

PX_TEST(test_tmx_write__langs_filter) {
  px_unit u;
  px_variant v[3];
  full_unit(&u, v);
  const char *langs[] = {"RU", "de"};
  px_tmx_write_opts o = PX_TMX_WRITE_OPTS_INIT;
  o.langs = langs;
  o.nlangs = 2;
  size_t len;
  char *out = write_all(&u, 1, &o, &len);
  CHECK(strstr(out, "xml:lang=\"ru\"") != NULL);
  CHECK(strstr(out, "xml:lang=\"en\"") == NULL);
  CHECK(strstr(out, "xml:lang=\"fa\"") == NULL);
  free(out);
  /* a unit with none of the languages is not written */
  const char *de[] = {"de"};
  o.langs = de;
  o.nlangs = 1;
  char *buf = NULL;
  FILE *f = open_memstream(&buf, &len);
  px_tmx_writer *w;
  int written = -1;
  CHECK_OK(px_tmx_writer_new(&w, f, &o));
  CHECK_OK(px_tmx_writer_add(w, &u, &written));
  CHECK_INT(written, 0);
  px_tmx_writer_free(w);
  fclose(f);
  free(buf);
  const char *badl[] = {"not a tag"};
  o.langs = badl;
  CHECK_ERR(px_tmx_writer_new(&w, stdout, &o), PX_EINVALID);
}

PX_TEST(test_tmx_write__refusals) {
  px_unit u;
  px_variant v[3];
  px_tmx_writer *w;
  full_unit(&u, v);
  u.id = 99;
  char *buf = NULL;
  size_t len;
  FILE *f = open_memstream(&buf, &len);
  CHECK_OK(px_tmx_writer_new(&w, f, NULL));
  /* XML 1.0 cannot carry U+0001 */
  v[2].text = "bell \x07 here";
  v[2].len = strlen(v[2].text);
  CHECK_ERR(px_tmx_writer_add(w, &u, NULL), PX_EPARSE);
  CHECK_STR(px_error_last()->message,
            "unit 99 (ru): control character U+0007 at byte 5 cannot be "
            "written in XML 1.0");
  v[2].text = "fine";
  v[2].len = 4;
  /* an inline-code record that is not well-formed markup */
  v[1].codes = "<hi type=\"x\">\n<bpt i=\"1\">unclosed";
  v[1].codes_len = strlen(v[1].codes);
  CHECK_ERR(px_tmx_writer_add(w, &u, NULL), PX_EPARSE);
  CHECK_STR(px_error_last()->message,
            "unit 99 (fa): inline code 2 is not well-formed TMX markup");
  v[1].codes = "</hi>\n</hi>"; /* a close record for an open marker */
  v[1].codes_len = strlen(v[1].codes);
  CHECK_ERR(px_tmx_writer_add(w, &u, NULL), PX_EPARSE);
  v[1].codes = "<sub>x</sub><script>";
  v[1].codes_len = strlen(v[1].codes);
  CHECK_ERR(px_tmx_writer_add(w, &u, NULL), PX_EPARSE);
  CHECK_OK(px_tmx_writer_finish(w));
  fclose(f);
  /* nothing of the refused units reached the output */
  CHECK(strstr(buf, "<tu") == NULL);
  free(buf);
  /* TSV needs its columns */
  px_tmx_write_opts o = PX_TMX_WRITE_OPTS_INIT;
  o.format = PX_TMX_FORMAT_TSV;
  CHECK_ERR(px_tmx_writer_new(&w, stdout, &o), PX_EINVALID);
}

PX_TEST(test_tmx_write__tsv) {
  px_unit u[2];
  px_variant v[3], v2[3];
  full_unit(&u[0], v);
  full_unit(&u[1], v2);
  v2[0].text = "tab\there, back\\slash, line\nbreak";
  v2[0].len = strlen(v2[0].text);
  v2[0].codes = NULL;
  v2[0].codes_len = 0;
  const char *langs[] = {"en", "ru"};
  px_tmx_write_opts o = PX_TMX_WRITE_OPTS_INIT;
  o.format = PX_TMX_FORMAT_TSV;
  o.langs = langs;
  o.nlangs = 2;
  size_t len;
  char *out = write_all(u, 2, &o, &len);
  CHECK_STR(out, "#langs\ten\tru\n"
                 "The Council met  & left <fast> \"now\"\\r\\nok {9}\t"
                 "Литерал {1} без кодов\n"
                 "tab\\there, back\\\\slash, line\\nbreak\tЛитерал {1} без "
                 "кодов\n");
  /* read back: #langs names the columns, escapes undone */
  px_buf got;
  px_buf_init(&got, 0);
  CHECK_OK(px_tmx_read_mem(NULL, out, len, "x.tsv", NULL, dump, &got));
  CHECK(strstr(got.ptr, "\"text\":\"tab\\there, back\\\\slash, "
                        "line\\nbreak\"") != NULL);
  CHECK(strstr(got.ptr, "\"lang\":\"ru\",\"text\":\"Литерал") != NULL);
  px_buf_dispose(&got);
  free(out);
}

PX_TEST(test_tmx_read__tsv_errors) {
  px_buf got;
  px_tmx_read_opts o = PX_TMX_READ_OPTS_INIT;
  px_tmx_read_stats st;
  px_buf_init(&got, 0);
  const char *two = "hello\tсалам\nsecond\tдругой\r\n\nthird\tтретий";
  /* no languages */
  CHECK_ERR(px_tmx_read_mem(NULL, two, strlen(two), "a.tsv", &o, dump, &got),
            PX_EINVALID);
  o.src_lang = "en";
  o.tgt_lang = "ru";
  CHECK_OK(px_tmx_read_mem(&st, two, strlen(two), "a.tsv", &o, dump, &got));
  CHECK_INT(st.units, 3);
  CHECK(strstr(got.ptr, "\"text\":\"second\"") != NULL); /* CR stripped */
  /* invalid UTF-8: fatal, with line and column */
  const char *bad = "ok\tok\nbad \xff byte\tx\n";
  CHECK_ERR(px_tmx_read_mem(NULL, bad, strlen(bad), "b.tsv", &o, dump, &got),
            PX_EENCODING);
  CHECK_STR(px_error_last()->message,
            "b.tsv:2:5: invalid UTF-8 (byte 4 of the line)");
  /* wrong column count and empty columns: bad units */
  const char *cols = "a\tb\nonly one\nc\t\n\tz\nd\te\n";
  CHECK_ERR(px_tmx_read_mem(NULL, cols, strlen(cols), "c.tsv", &o, dump, &got),
            PX_EPARSE);
  CHECK_STR(px_error_last()->message, "c.tsv:2:1: 1 columns, expected 2");
  o.flags = PX_TMX_SKIP_BAD;
  CHECK_OK(px_tmx_read_mem(&st, cols, strlen(cols), "c.tsv", &o, dump, &got));
  CHECK_INT(st.units, 2);
  CHECK_INT(st.skipped, 3);
  /* empty file */
  CHECK_ERR(px_tmx_read_mem(NULL, "", 0, "e.tsv", &o, dump, &got), PX_EPARSE);
  CHECK_STR(px_error_last()->message, "e.tsv:1:1: empty file");
  px_buf_dispose(&got);
}

PX_TEST(test_tmx_read__jsonl_errors) {
  px_buf got;
  px_tmx_read_opts o = PX_TMX_READ_OPTS_INIT;
  px_tmx_read_stats st;
  px_buf_init(&got, 0);
  const char *lines =
      "{\"variants\":[{\"lang\":\"en\",\"text\":\"ok "
      "\\u00e9\\ud83d\\ude00\"}]}\n"
      "{\"variants\":[{\"lang\":\"en\",\"text\":\"x\"}],\n"
      "{\"variants\":[]}\n"
      "{\"variants\":[{\"lang\":\"e n\",\"text\":\"x\"}]}\n"
      "{\"created\":\"2015\",\"variants\":[{\"lang\":\"en\",\"text\":\"x\"}]}\n"
      "{\"variants\":[{\"lang\":\"en\",\"text\":\"\\ud800\"}]}\n"
      "[1,2]\n"
      "{\"props\":[{\"value\":\"v\",\"type\":\"t\"}],\"tuid\":\"last\","
      "\"variants\":[{\"text\":\"z\",\"lang\":\"de\"}],\"future\":{\"a\":[1]}}"
      "\n";
  CHECK_ERR(
      px_tmx_read_mem(NULL, lines, strlen(lines), "j.jsonl", &o, dump, &got),
      PX_EPARSE);
  CHECK_STR(px_error_last()->message, "j.jsonl:2:40: expected a string");
  o.flags = PX_TMX_SKIP_BAD;
  px_buf_clear(&got);
  CHECK_OK(
      px_tmx_read_mem(&st, lines, strlen(lines), "j.jsonl", &o, dump, &got));
  CHECK_INT(st.units, 2);
  CHECK_INT(st.skipped, 6);
  CHECK_STR(got.ptr,
            "{\"id\":0,\"variants\":[{\"lang\":\"en\",\"text\":\"ok é😀\"}]}\n"
            "{\"id\":0,\"tuid\":\"last\",\"props\":[{\"type\":\"t\",\"value\":"
            "\"v\"}],\"variants\":[{\"lang\":\"de\",\"text\":\"z\"}]}\n");
  px_buf_dispose(&got);
}
