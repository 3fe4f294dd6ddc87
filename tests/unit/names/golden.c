/*
 * golden.c: Hunspell golden-file tests for the compiled names dictionary,
 * in Hunspell's own style: tests/data/names/golden.tsv compiles to exactly
 * golden.aff / golden.dic; every word of golden.good must pass, every word
 * of golden.wrong must fail, and line N of golden.sug lists the
 * suggestions (", "-separated) for word N of golden.wrong.  The same is
 * done for the shipped lexicon (full.good, full.wrong, full.sug).
 */
#include <stdlib.h>
#include <string.h>

#include "px_test.h"

/* Lines of a file into a NULL-terminated array (the strings point into
 * *buf, which the caller frees). */
static char **lines_of(const char *path, char **buf, size_t *n) {
  size_t len = 0;
  *buf = px_test_slurp(path, &len);
  *n = 0;
  if (!*buf)
    return NULL;
  char **v = calloc(len + 2, sizeof *v);
  /* every line counts, empty ones too (a word with no suggestion) */
  char *p = *buf;
  while (*p) {
    char *e = strchr(p, '\n');
    if (e)
      *e = '\0';
    v[(*n)++] = p;
    if (!e)
      break;
    p = e + 1;
  }
  return v;
}

static void check_quintet(px_names *n, const char *stem) {
  char path[512], *gb = NULL, *wb = NULL, *sb = NULL;
  size_t ng = 0, nw = 0, ns = 0;
  snprintf(path, sizeof path, "names/%s.good", stem);
  char **good = lines_of(px_test_data(path), &gb, &ng);
  snprintf(path, sizeof path, "names/%s.wrong", stem);
  char **wrong = lines_of(px_test_data(path), &wb, &nw);
  snprintf(path, sizeof path, "names/%s.sug", stem);
  char **sug = lines_of(px_test_data(path), &sb, &ns);
  CHECK(good && wrong && sug);
  CHECK(ng > 10 && nw > 10);
  CHECK_INT(ns, nw);
  for (size_t i = 0; good && i < ng; i++)
    if (!px_names_spell(n, good[i]))
      px_test_fail(__FILE__, __LINE__, "%s.good: '%s' rejected", stem, good[i]);
  for (size_t i = 0; wrong && i < nw; i++) {
    if (px_names_spell(n, wrong[i]))
      px_test_fail(__FILE__, __LINE__, "%s.wrong: '%s' accepted", stem,
                   wrong[i]);
    char **s = NULL;
    size_t k = 0;
    CHECK_OK(px_names_suggest(&s, &k, n, wrong[i]));
    char got[1024] = "";
    size_t gl = 0;
    for (size_t j = 0; j < k; j++) {
      int w = snprintf(got + gl, sizeof got - gl, "%s%s", j ? ", " : "", s[j]);
      if (w > 0 && (size_t)w < sizeof got - gl)
        gl += (size_t)w;
      px_free(s[j]);
    }
    px_free(s);
    if (getenv("PX_NAMES_PRINT_SUG"))
      printf("%s\n", got);
    else if (sug && i < ns && strcmp(got, sug[i]) != 0)
      px_test_fail(__FILE__, __LINE__,
                   "%s.sug line %zu: '%s' suggests \"%s\", expected \"%s\"",
                   stem, i + 1, wrong[i], got, sug[i]);
  }
  free(good);
  free(wrong);
  free(sug);
  free(gb);
  free(wb);
  free(sb);
}

PX_TEST(test_names_golden__compile_matches) {
  const char *dir = px_test_tmpdir();
  char aff[512], dic[512];
  snprintf(aff, sizeof aff, "%s/g.aff", dir);
  snprintf(dic, sizeof dic, "%s/g.dic", dir);
  CHECK_OK(px_names_compile(px_test_data("names/golden.tsv"), aff, dic));
  size_t la = 0, lb = 0;
  char *a = px_test_slurp(aff, &la);
  char *b = px_test_slurp(px_test_data("names/golden.aff"), &lb);
  CHECK(a && b && la == lb && memcmp(a, b, la) == 0);
  free(a);
  free(b);
  a = px_test_slurp(dic, &la);
  b = px_test_slurp(px_test_data("names/golden.dic"), &lb);
  CHECK(a && b && la == lb && memcmp(a, b, la) == 0);
  free(a);
  free(b);
}

PX_TEST(test_names_golden__quintet) {
  px_names *n = NULL;
  px_names_opts o = PX_NAMES_OPTS_INIT;
  char lex[512], aff[512], dic[512];
  snprintf(lex, sizeof lex, "%s", px_test_data("names/golden.tsv"));
  snprintf(aff, sizeof aff, "%s", px_test_data("names/golden.aff"));
  snprintf(dic, sizeof dic, "%s", px_test_data("names/golden.dic"));
  o.lexicon_path = lex;
  o.aff_path = aff;
  o.dic_path = dic;
  CHECK_OK(px_names_open(&n, &o));
  if (!n)
    return;
  CHECK_INT(px_names_entity_count(n), 10);
  check_quintet(n, "golden");
  px_names_free(n);
}

PX_TEST(test_names_golden__shipped_lexicon) {
  /* the shipped lexicon, compiled here so the test does not depend on the
   * build step having run */
  const char *dir = px_test_tmpdir();
  char lex[512], aff[512], dic[512];
  snprintf(lex, sizeof lex, "%s/dictionaries/names/names.tsv", PX_TEST_SOURCE);
  snprintf(aff, sizeof aff, "%s/n.aff", dir);
  snprintf(dic, sizeof dic, "%s/n.dic", dir);
  CHECK_OK(px_names_compile(lex, aff, dic));
  px_names *n = NULL;
  px_names_opts o = PX_NAMES_OPTS_INIT;
  o.lexicon_path = lex;
  o.aff_path = aff;
  o.dic_path = dic;
  CHECK_OK(px_names_open(&n, &o));
  if (!n)
    return;
  CHECK(px_names_entity_count(n) >= 300);
  check_quintet(n, "full");
  px_names_free(n);
}
