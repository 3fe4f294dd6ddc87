/* golden.c: tokens, keys and romanizations of sample news lines in seven
 * languages (tests/data/text/lines.tsv) against reviewed expected output.
 * After a deliberate change, regenerate with PX_UPDATE_GOLDEN=1 and review
 * the diff before committing it. */
#include "px_test.h"
#include "text.h"

#include <stdlib.h>

enum { G_TOKENS, G_KEYS, G_ROMAN };

/* Render one line as the golden file has it; returns a px_malloc'd
 * string, or NULL with the failure reported. */
static char *render_line(int what, const char *lang, const char *s,
                         size_t len) {
  char *out = NULL;
  if (what == G_KEYS) {
    CHECK_OK(px_text_key(&out, NULL, s, len));
  } else if (what == G_ROMAN) {
    CHECK_OK(px_text_romanize(&out, NULL, s, len, lang));
  } else {
    px_token *t = NULL;
    size_t n = 0;
    CHECK_OK(px_text_tokenize(&t, &n, s, len, lang));
    size_t cap = 4 * len + 16, at = 0;
    out = px_malloc(cap);
    out[0] = '\0';
    for (size_t i = 0; t && i < n; i++)
      at += (size_t)snprintf(out + at, cap - at, "%s%.*s/%c", i ? " " : "",
                             (int)t[i].len, s + t[i].off,
                             "?WNPSI"[t[i].kind <= 5 ? t[i].kind : 0]);
    px_free(t);
  }
  return out;
}

static void run_golden(int what, const char *golden) {
  size_t in_len, gold_len;
  char *in = px_test_slurp(px_test_data("text/lines.tsv"), &in_len);
  char *gold = px_test_slurp(px_test_data(golden), &gold_len);
  CHECK(in != NULL);
  int update = getenv("PX_UPDATE_GOLDEN") != NULL;
  CHECK(gold != NULL || update);
  if (!in || (!gold && !update)) {
    free(in);
    free(gold);
    return;
  }
  FILE *upd = update ? fopen(px_test_data(golden), "w") : NULL;
  char *line = in, *g = gold;
  int lineno = 0, compared = 0;
  while (line && *line) {
    char *nl = strchr(line, '\n');
    if (nl)
      *nl = '\0';
    lineno++;
    char *tab = strchr(line, '\t');
    if (line[0] != '#' && tab) {
      *tab = '\0';
      char *got = render_line(what, line, tab + 1, strlen(tab + 1));
      if (upd) {
        fprintf(upd, "%s\n", got ? got : "");
      } else {
        char *gnl = g ? strchr(g, '\n') : NULL;
        if (gnl)
          *gnl = '\0';
        if (!g || !got || strcmp(got, g) != 0)
          px_test_fail(__FILE__, __LINE__,
                       "%s, line %d of lines.tsv:\n    got      %s\n"
                       "    expected %s",
                       golden, lineno, got ? got : "(error)", g ? g : "(eof)");
        g = gnl ? gnl + 1 : NULL;
        compared++;
      }
      px_free(got);
    }
    line = nl ? nl + 1 : NULL;
  }
  if (upd)
    fclose(upd);
  else
    CHECK(compared >= 16);
  free(in);
  free(gold);
}

PX_TEST(test_text_golden__tokens) {
  run_golden(G_TOKENS, "text/tokens.golden");
}
/* The same tokens with the ICU-free paths turned off. */
PX_TEST(test_text_golden__tokens_icu_only) {
  px_text__set_ascii_fast_path(0);
  run_golden(G_TOKENS, "text/tokens.golden");
  px_text__set_ascii_fast_path(1);
}
PX_TEST(test_text_golden__keys) { run_golden(G_KEYS, "text/keys.golden"); }
PX_TEST(test_text_golden__romanized) {
  run_golden(G_ROMAN, "text/romanized.golden");
}
