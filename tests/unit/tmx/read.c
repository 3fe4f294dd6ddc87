/*
 * read.c: the TMX reader: what a TMX unit becomes (a golden JSONL of a
 * file using every feature), TMX dates, the malformed-TMX corpus (each kind
 * of breakage with its code and FILE:LINE:COL), --skip-bad, and the limits
 * (segment size, nesting depth, token size, entity declarations).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "px_test.h"
#include "tmx.h"

/* Collect units as JSONL lines (the JSONL writer is a faithful dump). */
typedef struct sink {
  px_buf lines;
  int n;
  int stop_at; /* return an error at this unit (1-based), 0 never */
  px_buf bad;  /* on_bad messages, one per line */
} sink;

static int collect(const px_unit *u, const px_tmx_pos *pos, void *payload) {
  sink *s = payload;
  (void)pos;
  s->n++;
  if (s->stop_at && s->n == s->stop_at)
    return -42;
  return px_tmx__jsonl_line(&s->lines, u, NULL, 0);
}

static void on_bad(int code, const char *msg, void *payload) {
  sink *s = payload;
  (void)code;
  px_buf_puts(&s->bad, msg);
  px_buf_putc(&s->bad, '\n');
}

static void sink_init(sink *s) {
  memset(s, 0, sizeof *s);
  px_buf_init(&s->lines, 0);
  px_buf_init(&s->bad, 0);
}
static void sink_free(sink *s) {
  px_buf_dispose(&s->lines);
  px_buf_dispose(&s->bad);
}

static int read_str(sink *s, const char *xml, unsigned flags) {
  px_tmx_read_opts o = PX_TMX_READ_OPTS_INIT;
  o.flags = flags;
  o.on_bad = on_bad;
  o.payload = s;
  o.format = PX_TMX_FORMAT_TMX;
  return px_tmx_read_mem(NULL, xml, strlen(xml), "t.tmx", &o, collect, s);
}

#define HDR                                                                    \
  "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header creationtool=\"t\" "  \
  "creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"t\" "                \
  "adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\"/><body>\n"
#define END "</body></tmx>\n"

PX_TEST(test_tmx_read__rich_golden) {
  sink s;
  sink_init(&s);
  px_tmx_read_stats st;
  px_tmx_read_opts o = PX_TMX_READ_OPTS_INIT;
  CHECK_OK(px_tmx_read(&st, px_test_data("tmx/rich.tmx"), &o, collect, &s));
  CHECK_INT(st.units, 3);
  CHECK_INT(st.skipped, 0);
  size_t n;
  char *want = px_test_slurp(px_test_data("tmx/rich.golden.jsonl"), &n);
  CHECK(want != NULL);
  if (want)
    CHECK_STR(s.lines.ptr, want);
  free(want);
  sink_free(&s);
}

static int header_seen;
static int on_header(const px_tmx_header *h, void *payload) {
  (void)payload;
  header_seen++;
  CHECK_STR(h->creationtool, "TestTool");
  CHECK_STR(h->creationtoolversion, "2.1");
  CHECK_STR(h->segtype, "sentence");
  CHECK_STR(h->o_tmf, "test");
  CHECK_STR(h->adminlang, "en-US");
  CHECK_STR(h->srclang, "en");
  CHECK_STR(h->datatype, "plaintext");
  CHECK_STR(h->creationid, "lead");
  CHECK(h->o_encoding == NULL);
  CHECK_INT(h->created, 1704164645); /* 2024-01-02 03:04:05 UTC */
  CHECK_INT(h->nprops, 1);
  CHECK_STR(h->props[0].type, "x-project");
  CHECK_INT(h->nnotes, 1);
  return 0;
}

PX_TEST(test_tmx_read__header) {
  px_tmx_read_opts o = PX_TMX_READ_OPTS_INIT;
  o.on_header = on_header;
  header_seen = 0;
  CHECK_OK(px_tmx_read(NULL, px_test_data("tmx/rich.tmx"), &o, NULL, NULL));
  CHECK_INT(header_seen, 1);
}

PX_TEST(test_tmx_read__dates) {
  int64_t t = 0;
  char buf[17];
  CHECK_OK(px_tmx_date_parse(&t, "19700101T000000Z", 16));
  CHECK_INT(t, 0);
  CHECK_OK(px_tmx_date_parse(&t, "20000229T235959Z", 16));
  CHECK_INT(t, 951868799);
  CHECK_STR(px_tmx_date_format(buf, t), "20000229T235959Z");
  CHECK_OK(px_tmx_date_parse(&t, "99991231T235959Z", 16));
  CHECK_STR(px_tmx_date_format(buf, t), "99991231T235959Z");
  CHECK_OK(px_tmx_date_parse(&t, "18991231T000000Z", 16));
  CHECK(t < 0);
  CHECK_STR(px_tmx_date_format(buf, t), "18991231T000000Z");
  static const char *const bad[] = {
      "20150230T000000Z", "20190229T000000Z",  "19000229T000000Z",
      "20151301T000000Z", "20150001T000000Z",  "20150100T000000Z",
      "20150101T240000Z", "20150101T006000Z",  "20150101T000060Z",
      "2015-01-01",       "20150101T000000",   "20150101 000000Z",
      "20150101t000000Z", "2015010AT000000Z",  "+0150101T000000Z",
      "00000101T000000Z", "20150101T000000Z0", ""};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    int rc = px_tmx_date_parse(&t, bad[i], strlen(bad[i]));
    if (rc != PX_EPARSE)
      px_test_fail(__FILE__, __LINE__, "'%s' accepted", bad[i]);
  }
  /* the inverse over a range of instants */
  for (int64_t x = -86400LL * 800; x < 86400LL * 365 * 60; x += 7777777) {
    int64_t y;
    CHECK_OK(px_tmx_date_parse(&y, px_tmx_date_format(buf, x), 16));
    CHECK_INT(y, x);
  }
}

/* Every file in tests/data/tmx/bad with the code and the position and
 * message it must fail with (tests/data/tmx/bad/EXPECTED). */
PX_TEST(test_tmx_read__malformed_golden) {
  size_t n;
  char *manifest = px_test_slurp(px_test_data("tmx/bad/EXPECTED"), &n);
  int files = 0;
  CHECK(manifest != NULL);
  if (!manifest)
    return;
  for (char *line = strtok(manifest, "\n"); line; line = strtok(NULL, "\n")) {
    if (line[0] == '#')
      continue;
    char name[128], codename[32], where[32];
    int off = 0;
    if (sscanf(line, "%127s %31s %31s %n", name, codename, where, &off) != 3) {
      px_test_fail(__FILE__, __LINE__, "bad EXPECTED line: %s", line);
      continue;
    }
    const char *msg = line + off;
    int code = !strcmp(codename, "EPARSE")    ? PX_EPARSE
               : !strcmp(codename, "ETOOBIG") ? PX_ETOOBIG
                                              : 0;
    char rel[200], path[1024], want[1400];
    snprintf(rel, sizeof rel, "tmx/bad/%s", name);
    snprintf(path, sizeof path, "%s", px_test_data(rel));
    snprintf(want, sizeof want, "%s:%s: %s", path, where, msg);
    sink s;
    sink_init(&s);
    px_tmx_read_stats st;
    int rc = px_tmx_read(&st, path, NULL, collect, &s);
    files++;
    if (rc != code)
      px_test_fail(__FILE__, __LINE__, "%s: returned %d, expected %s", name, rc,
                   codename);
    else if (strcmp(px_error_last()->message, want) != 0)
      px_test_fail(__FILE__, __LINE__, "%s:\n    got      %s\n    expected %s",
                   name, px_error_last()->message, want);
    /* the units before the breakage were read: the importer, not the
     * reader, makes it all or nothing */
    sink_free(&s);
  }
  CHECK(files >= 20);
  free(manifest);
}

PX_TEST(test_tmx_read__skip_bad) {
  sink s;
  sink_init(&s);
  const char *xml = HDR
      "<tu><tuv xml:lang=\"en\"><seg>one</seg></tuv></tu>\n"
      "<tu><tuv><seg>no lang</seg></tuv></tu>\n"
      "<tu><tuv xml:lang=\"en\"><seg>two</seg></tuv><tuv "
      "xml:lang=\"fr\"></tuv></tu>\n"
      "<tu creationdate=\"yesterday\"><tuv xml:lang=\"en\"><seg>x</seg>"
      "</tuv></tu>\n"
      "<tu><tuv xml:lang=\"en\"><seg>a <b>b</b> <ph>p</ph></seg></tuv></tu>\n"
      "<junk><tu/></junk>\n"
      "<tu><tuv xml:lang=\"de\"><seg>three</seg></tuv></tu>\n" END;
  px_tmx_read_opts o = PX_TMX_READ_OPTS_INIT;
  px_tmx_read_stats st;
  o.flags = PX_TMX_SKIP_BAD;
  o.on_bad = on_bad;
  o.payload = &s;
  CHECK_OK(px_tmx_read_mem(&st, xml, strlen(xml), "t.tmx", &o, collect, &s));
  CHECK_INT(st.units, 2);
  CHECK_INT(st.skipped, 5);
  CHECK_INT(s.n, 2);
  CHECK(strstr(s.lines.ptr, "\"one\"") && strstr(s.lines.ptr, "\"three\""));
  CHECK_STR(s.bad.ptr, "t.tmx:4:5: <tuv> without xml:lang\n"
                       "t.tmx:5:63: <tuv> without <seg>\n"
                       "t.tmx:6:1: creationdate: 'yesterday' is not a TMX date "
                       "YYYYMMDDThhmmssZ\n"
                       "t.tmx:7:31: unexpected <b> in <seg>\n"
                       "t.tmx:8:1: unexpected <junk> in <body>\n");
  /* without --skip-bad the first bad unit stops the read */
  sink_free(&s);
  sink_init(&s);
  CHECK_ERR(read_str(&s, xml, 0), PX_EPARSE);
  CHECK_STR(px_error_last()->message, "t.tmx:4:5: <tuv> without xml:lang");
  /* well-formedness errors are never skipped */
  sink_free(&s);
  sink_init(&s);
  CHECK_ERR(read_str(&s, HDR "<tu><tuv xml:lang=\"en\"><seg>x</tuv></tu>" END,
                     PX_TMX_SKIP_BAD),
            PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "mismatched tag") != NULL);
  sink_free(&s);
}

/* A segment over the limit: PX_ETOOBIG at its position, or skipped. */
PX_TEST(test_tmx_read__oversized_seg) {
  px_buf b;
  px_buf_init(&b, 0);
  px_buf_puts(&b, HDR "<tu><tuv xml:lang=\"en\"><seg>ok</seg></tuv></tu>\n"
                      "<tu><tuv xml:lang=\"en\"><seg>");
  for (unsigned i = 0; i < PX_TM_MAX_TEXT / 10 + 10; i++)
    px_buf_puts(&b, "ten bytes ");
  px_buf_puts(&b, "</seg></tuv></tu>\n<tu><tuv xml:lang=\"en\"><seg>after</seg>"
                  "</tuv></tu>\n" END);
  sink s;
  sink_init(&s);
  CHECK_ERR(read_str(&s, b.ptr, 0), PX_ETOOBIG);
  CHECK(strncmp(px_error_last()->message, "t.tmx:4:", 8) == 0);
  CHECK(strstr(px_error_last()->message, "segment longer than 65536 bytes"));
  sink_free(&s);
  sink_init(&s);
  CHECK_OK(read_str(&s, b.ptr, PX_TMX_SKIP_BAD));
  CHECK_INT(s.n, 2);
  CHECK(strstr(s.bad.ptr, "segment longer than 65536 bytes") != NULL);
  sink_free(&s);
  px_buf_dispose(&b);
}

PX_TEST(test_tmx_read__depth_limit) {
  px_buf b;
  px_buf_init(&b, 0);
  px_buf_puts(&b, HDR "<tu><tuv xml:lang=\"en\"><seg>");
  for (int i = 0; i < PX_TMX_MAX_DEPTH; i++)
    px_buf_puts(&b, "<hi>");
  px_buf_puts(&b, "deep");
  for (int i = 0; i < PX_TMX_MAX_DEPTH; i++)
    px_buf_puts(&b, "</hi>");
  px_buf_puts(&b, "</seg></tuv></tu>" END);
  sink s;
  sink_init(&s);
  CHECK_ERR(read_str(&s, b.ptr, PX_TMX_SKIP_BAD), PX_ETOOBIG);
  CHECK(strstr(px_error_last()->message, "nested deeper than 48") != NULL);
  CHECK(strncmp(px_error_last()->message, "t.tmx:3:", 8) == 0);
  sink_free(&s);
  px_buf_dispose(&b);
}

/* One start tag of 2 MiB: refused before Expat buffers more. */
PX_TEST(test_tmx_read__token_limit) {
  px_buf b;
  px_buf_init(&b, 0);
  px_buf_puts(&b, HDR "<tu tuid=\"");
  for (int i = 0; i < 2 * 1024 * 64; i++)
    px_buf_puts(&b, "0123456789abcdef");
  px_buf_puts(&b, "\"><tuv xml:lang=\"en\"><seg>x</seg></tuv></tu>" END);
  sink s;
  sink_init(&s);
  CHECK_ERR(read_str(&s, b.ptr, 0), PX_ETOOBIG);
  CHECK(strstr(px_error_last()->message, "longer than 1048576 bytes") != NULL);
  sink_free(&s);
  px_buf_dispose(&b);
}

/* The attack fails at once, before any expansion (well under a second). */
PX_TEST(test_tmx_read__billion_laughs) {
  px_buf b;
  px_buf_init(&b, 0);
  px_buf_puts(&b, "<?xml version=\"1.0\"?>\n<!DOCTYPE tmx [\n"
                  "<!ENTITY a0 \"dha\">\n");
  for (int i = 1; i < 30; i++)
    px_buf_printf(
        &b, "<!ENTITY a%d \"&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;&a%d;\">\n", i,
        i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
  px_buf_puts(&b, "]>\n<tmx version=\"1.4\"><header/><body><tu><tuv "
                  "xml:lang=\"en\"><seg>&a29;</seg></tuv></tu></body></tmx>");
  sink s;
  sink_init(&s);
  clock_t t0 = clock();
  CHECK_ERR(read_str(&s, b.ptr, PX_TMX_SKIP_BAD), PX_EPARSE);
  CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
  CHECK_STR(px_error_last()->message,
            "t.tmx:3:13: entity declaration <!ENTITY a0> refused: TMX files "
            "may not declare entities (entity expansion attacks)");
  CHECK_INT(s.n, 0);
  sink_free(&s);
  px_buf_dispose(&b);
}

/* UTF-16 with a BOM is XML too; Expat converts it. */
PX_TEST(test_tmx_read__utf16) {
  const char *xml = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>"
                    "<tmx version=\"1.4\"><header srclang=\"en\"/><body>"
                    "<tu><tuv xml:lang=\"en\"><seg>wide</seg></tuv></tu>"
                    "</body></tmx>";
  size_t n = strlen(xml);
  char *w = malloc(2 * n + 2);
  w[0] = (char)0xFF;
  w[1] = (char)0xFE;
  for (size_t i = 0; i < n; i++) {
    w[2 + 2 * i] = xml[i];
    w[3 + 2 * i] = 0;
  }
  sink s;
  sink_init(&s);
  CHECK_OK(px_tmx_read_mem(NULL, w, 2 * n + 2, "w.tmx", NULL, collect, &s));
  CHECK_INT(s.n, 1);
  CHECK(s.lines.ptr && strstr(s.lines.ptr, "\"text\":\"wide\"") != NULL);
  sink_free(&s);
  free(w);
}

/* "{1}" in text is literal without codes, and becomes a code of its own
 * (so it cannot be taken for a marker) when the segment has codes. */
PX_TEST(test_tmx_read__literal_markers) {
  sink s;
  sink_init(&s);
  CHECK_OK(read_str(&s,
                    HDR "<tu><tuv xml:lang=\"en\"><seg>Hello {1} and {/2} "
                        "{3/}</seg></tuv></tu>\n"
                        "<tu><tuv xml:lang=\"en\"><seg>A <ph>x</ph> {1} "
                        "<hi>b<bpt i=\"7\">[</bpt>c<ept i=\"7\">]</ept></hi> "
                        "<ept i=\"9\">?</ept>{x}</seg></tuv></tu>" END,
                    0));
  CHECK_STR(
      s.lines.ptr,
      "{\"id\":0,\"srclang\":\"en\",\"tool\":\"t\",\"variants\":[{"
      "\"lang\":\"en\",\"text\":\"Hello {1} and {/2} {3/}\"}]}\n"
      "{\"id\":0,\"srclang\":\"en\",\"tool\":\"t\",\"variants\":[{"
      "\"lang\":\"en\",\"text\":\"A {1/} {2/} {3}b{4}c{/4}{/3} {5/}{x}\","
      "\"codes\":\"<ph>x</ph>\\n{1}\\n<hi>\\n<bpt i=\\\"7\\\">[</bpt>\\n"
      "<ept i=\\\"7\\\">]</ept>\\n</hi>\\n<ept i=\\\"9\\\">?</ept>\"}]}\n");
  sink_free(&s);
}

PX_TEST(test_tmx_read__callback_stops) {
  sink s;
  sink_init(&s);
  s.stop_at = 2;
  const char *xml = HDR "<tu><tuv xml:lang=\"en\"><seg>1</seg></tuv></tu>"
                        "<tu><tuv xml:lang=\"en\"><seg>2</seg></tuv></tu>"
                        "<tu><tuv xml:lang=\"en\"><seg>3</seg></tuv></tu>" END;
  px_error_clear();
  CHECK_INT(read_str(&s, xml, 0), -42);
  CHECK_INT(s.n, 2);
  sink_free(&s);
}

PX_TEST(test_tmx_read__missing_file) {
  CHECK_ERR(px_tmx_read(NULL, "/nonexistent/x.tmx", NULL, NULL, NULL), PX_EIO);
  CHECK_STR(px_error_last()->message,
            "/nonexistent/x.tmx: No such file or directory");
  CHECK_ERR(px_tmx_read(NULL, px_test_tmpdir(), NULL, NULL, NULL), PX_EIO);
  CHECK_ERR(px_tmx_read(NULL, NULL, NULL, NULL, NULL), PX_EINVALID);
}

/* TMX 1.1 - 1.3 `lang`, and header srclang/creationtool defaults. */
PX_TEST(test_tmx_read__legacy_and_defaults) {
  sink s;
  sink_init(&s);
  CHECK_OK(read_str(
      &s,
      "<tmx version=\"1.3\"><header srclang=\"*all*\" creationtool=\"Old\" "
      "creationdate=\"20100101T000000Z\"/><body><tu srclang=\"fr\" "
      "changedate=\"20110101T000000Z\"><tuv lang=\"FR-ca\"><seg>Allo</seg>"
      "</tuv></tu></body></tmx>",
      0));
  CHECK_STR(s.lines.ptr,
            "{\"id\":0,\"srclang\":\"fr\",\"created\":\"20100101T000000Z\","
            "\"changed\":\"20110101T000000Z\",\"tool\":\"Old\",\"variants\":[{"
            "\"lang\":\"FR-ca\",\"text\":\"Allo\"}]}\n");
  sink_free(&s);
}
