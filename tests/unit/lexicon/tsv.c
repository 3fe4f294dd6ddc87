/*
 * tsv.c: loading TSV lexicons: comments, weights, BOM and CRLF, extra
 * columns, and every kind of bad line reported with path:line (and the
 * column for invalid UTF-8); lines before a bad one stay loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexhelp.h"
#include "px_test.h"

static const char *write_tmp(const char *name, const char *data, size_t len) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", px_test_tmpdir(), name);
  if (px_test_write(path, data, len) != 0)
    px_test_fail(__FILE__, __LINE__, "cannot write %s", path);
  return path;
}

/* The translations of a raw word as one "a|b|c" string (weights as
 * ":0.50" when not 1). */
static const char *tr(const px_lexicon *lx, const char *word) {
  return lexhelp_tr(lx, word, LEXTR_WEIGHTS_BELOW_1);
}

PX_TEST(test_lexicon_tsv__comments_weights_bom_crlf) {
  static const char data[] =
      "\xEF\xBB\xBF# a comment line\r\n"
      "\r\n"
      "   \t\n"
      "\xD8\xAC\xD9\x86\xDA\xAF\twar\r\n"                  /* جنگ */
      "\xD8\xAC\xD9\x86\xDA\xAF\twarfare\t0.5\n"           /* جنگ */
      "\xD8\xB5\xD9\x84\xD8\xAD\tpeace\t\tnote: ignored\n" /* صلح */
      "  # indented comment\n"
      "\xD8\xAF\xD9\x88\xD9\x84\xD8\xAA\tgovernment, state\t0.75"; /* دولت */
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "fa", "en"));
  CHECK_OK(
      px_lexicon_load_tsv(lx, write_tmp("fa-en.tsv", data, sizeof data - 1)));
  CHECK_INT(px_lexicon_size(lx), 5);
  CHECK_STR(tr(lx, "جنگ"), "war|warfare:0.50");
  CHECK_STR(tr(lx, "صلح"), "peace");
  CHECK_STR(tr(lx, "دولت"), "government:0.75|state:0.75");
  CHECK_INT(px_lexicon_source_count(lx), 1);
  const px_lexicon_source *s = px_lexicon_source_at(lx, 0);
  CHECK(s != NULL);
  if (s) {
    CHECK_STR(s->kind, "tsv");
    CHECK_INT(s->records, 4);
    CHECK_INT(s->added, 5);
    CHECK_INT(s->reversed, 0);
  }
  CHECK(px_lexicon_source_at(lx, 1) == NULL);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_tsv__empty_file) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "fa", "en"));
  CHECK_OK(px_lexicon_load_tsv(lx, write_tmp("empty.tsv", "", 0)));
  CHECK_INT(px_lexicon_size(lx), 0);
  CHECK_INT(px_lexicon_max_words(lx), 0);
  px_lexicon_free(lx);
}

/* Load data and expect code with msg in the message; returns entries. */
static size_t expect_fail(const char *data, int code, const char *msg) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ru", "en"));
  const char *path = write_tmp("bad.tsv", data, strlen(data));
  CHECK_ERR(px_lexicon_load_tsv(lx, path), code);
  const char *m = px_error_last()->message;
  if (!strstr(m, msg))
    px_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"", m, msg);
  if (!strstr(m, path))
    px_test_fail(__FILE__, __LINE__, "message \"%s\" lacks the path", m);
  CHECK_INT(px_lexicon_source_count(lx), 0);
  size_t n = px_lexicon_size(lx);
  px_lexicon_free(lx);
  return n;
}

PX_TEST(test_lexicon_tsv__bad_lines_name_the_line) {
  /* No tab: line 3; the two lines before it stay loaded. */
  CHECK_INT(expect_fail("# c\nмир\tpeace\nвойна war\n", PX_EPARSE,
                        "bad.tsv:3: expected source<TAB>translation"),
            1);
  CHECK_INT(expect_fail("мир\tpeace\tabc\n", PX_EPARSE,
                        "bad.tsv:1: weight 'abc' is not a number in (0, 1]"),
            0);
  expect_fail("мир\tpeace\t0\n", PX_EPARSE, "bad.tsv:1: weight '0'");
  expect_fail("мир\tpeace\t1.5\n", PX_EPARSE, "bad.tsv:1: weight '1.5'");
  expect_fail("мир\tpeace\t0.5x\n", PX_EPARSE, "bad.tsv:1: weight '0.5x'");
  expect_fail("\n\n\tpeace\n", PX_EPARSE, "bad.tsv:3: empty first column");
  expect_fail("мир\t  \n", PX_EPARSE, "bad.tsv:1: empty second column");
}

PX_TEST(test_lexicon_tsv__invalid_utf8_names_line_and_column) {
  /* Line 2, byte 4 of the line is a lone continuation byte. */
  CHECK_INT(expect_fail("мир\tpeace\nabc\x80\tx\n", PX_EENCODING,
                        "bad.tsv:2:4: invalid UTF-8"),
            1);
  expect_fail("\xC3\x28\tx\n", PX_EENCODING, "bad.tsv:1:1: invalid UTF-8");
  /* An overlong encoding of '/' and a UTF-16 surrogate are refused too. */
  expect_fail("a\t\xC0\xAF\n", PX_EENCODING, "bad.tsv:1:3: invalid UTF-8");
  expect_fail("a\t\xED\xA0\x80\n", PX_EENCODING, "bad.tsv:1:3: invalid UTF-8");
}

PX_TEST(test_lexicon_tsv__overlong_line) {
  char big[5000];
  memset(big, 'a', sizeof big);
  memcpy(big + 10, "\t", 1);
  big[sizeof big - 1] = '\0';
  expect_fail(big, PX_ETOOBIG, "bad.tsv:1: line longer than 4096 bytes");
}

PX_TEST(test_lexicon_tsv__missing_file_and_directory) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ru", "en"));
  char path[512];
  snprintf(path, sizeof path, "%s/no-such.tsv", px_test_tmpdir());
  CHECK_ERR(px_lexicon_load_tsv(lx, path), PX_EIO);
  CHECK(strstr(px_error_last()->message, "no-such.tsv: No such file") != NULL);
  CHECK_ERR(px_lexicon_load_tsv(lx, px_test_tmpdir()), PX_EIO);
  CHECK(strstr(px_error_last()->message, "Is a directory") != NULL);
  CHECK_ERR(px_lexicon_load_tsv(lx, NULL), PX_EINVALID);
  CHECK_ERR(px_lexicon_load_tsv(NULL, path), PX_EINVALID);
  px_lexicon_free(lx);
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

PX_TEST(test_lexicon_tsv__shipped_lexicons_load_without_duplicates) {
  /* Every TSV we ship loads, and no (source, translation) line repeats:
   * a repeated pair is a sign of careless editing. */
  static const char *const files[] = {"fa-en.tsv",       "ur-en.tsv",
                                      "ru-en-news.tsv",  "ar-en-news.tsv",
                                      "ar-en-quran.tsv", "tr-en.tsv"};
  static const char *const langs[][2] = {{"fa", "en"}, {"ur", "en"},
                                         {"ru", "en"}, {"ar", "en"},
                                         {"ar", "en"}, {"tr", "en"}};
  /* Entries (pairs after splitting alternatives), not lines. */
  static const size_t minimum[] = {4000, 2000, 3000, 1500, 600, 600};
  for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
    char path[1024];
    snprintf(path, sizeof path, "%s/dictionaries/lexicons/%s", PX_TEST_SOURCE,
             files[f]);
    px_lexicon *lx = NULL;
    CHECK_OK(px_lexicon_new(&lx, langs[f][0], langs[f][1]));
    CHECK_OK(px_lexicon_load_tsv(lx, path));
    if (px_lexicon_size(lx) < minimum[f])
      px_test_fail(__FILE__, __LINE__, "%s: %zu entries, want >= %zu", files[f],
                   px_lexicon_size(lx), minimum[f]);
    px_lexicon_free(lx);
    /* Raw duplicate lines (after trimming): compare the text itself. */
    size_t len = 0;
    char *data = px_test_slurp(path, &len);
    CHECK(data != NULL);
    if (!data)
      continue;
    size_t nlines = 0, cap = 0;
    char **lines = NULL;
    for (char *p = data; p && *p;) {
      char *nl = strchr(p, '\n');
      if (nl)
        *nl = '\0';
      if (*p && *p != '#') {
        char *t2 = strchr(p, '\t');
        if (t2 && (t2 = strchr(t2 + 1, '\t')) != NULL)
          *t2 = '\0'; /* ignore the weight */
        if (nlines == cap) {
          cap = cap ? cap * 2 : 1024;
          lines = realloc(lines, cap * sizeof *lines);
        }
        lines[nlines++] = p;
      }
      p = nl ? nl + 1 : NULL;
    }
    qsort(lines, nlines, sizeof *lines, cmp_str);
    for (size_t i = 1; i < nlines; i++)
      if (strcmp(lines[i - 1], lines[i]) == 0)
        px_test_fail(__FILE__, __LINE__, "%s: duplicate line \"%s\"", files[f],
                     lines[i]);
    free(lines);
    free(data);
  }
}

/* After a load the lexicon drops its string table (lookups do not need
 * it) and rebuilds it for the next add or load: pairs met again keep one
 * entry with the larger weight, and translations stay shared. */
PX_TEST(test_lexicon_tsv__adds_after_a_load_merge_with_it) {
  const char *a = "war\tKrieg\t0.5\npeace\tFrieden\nwar\tFehde\t0.3\n";
  const char *b = "war\tKrieg\t0.9\ntruce\tFrieden\t0.4\n";
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "en", "de"));
  CHECK_OK(px_lexicon_load_tsv(lx, write_tmp("a.tsv", a, strlen(a))));
  CHECK_INT(px_lexicon_size(lx), 3);
  CHECK_OK(px_lexicon_load_tsv(lx, write_tmp("b.tsv", b, strlen(b))));
  CHECK_INT(px_lexicon_size(lx), 4);
  CHECK_STR(tr(lx, "war"), "krieg:0.90|fehde:0.30");
  CHECK_STR(tr(lx, "truce"), "frieden:0.40");
  CHECK_OK(px_lexicon_add(lx, "peace", 5, "Friede", 6, 1.0f));
  CHECK_OK(px_lexicon_add(lx, "war", 3, "Fehde", 5, 0.6f));
  CHECK_INT(px_lexicon_size(lx), 5);
  CHECK_STR(tr(lx, "war"), "krieg:0.90|fehde:0.60");
  CHECK_STR(tr(lx, "peace"), "frieden|friede");
  /* one stored copy of "frieden" for both words */
  const px_lexicon_entry *p = NULL, *t = NULL;
  size_t np = 0, nt = 0;
  CHECK_OK(px_lexicon_lookup(lx, "peace", 5, &p, &np));
  CHECK_OK(px_lexicon_lookup(lx, "truce", 5, &t, &nt));
  CHECK(np >= 1 && nt == 1 && p[0].tgt == t[0].tgt);
  px_lexicon_free(lx);
}
