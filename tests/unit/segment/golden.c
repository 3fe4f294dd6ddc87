/*
 * golden.c: the "Golden Rules" of sentence segmentation, per language.
 * Cases live in tests/data/segment/golden-<lang>.txt (format described at
 * the top of golden-en.txt).  Each case prints PASS or FAIL with its id and
 * title; the test fails when fewer cases pass than the target: 51 of the 52
 * English rules (the best published rule-based segmenter's score), and
 * every case for the other languages.
 */
#include <stdlib.h>
#include <string.h>

#include "px_test.h"

typedef struct gcase {
  char title[256];
  char *input;
  size_t input_len;
  char *expected; /* segments joined with '\n' */
} gcase;

/* Parse the golden file; returns the number of cases (0 on error). */
static size_t load_cases(const char *path, gcase **out) {
  size_t len = 0;
  char *data = px_test_slurp(path, &len);
  if (!data) {
    px_test_fail(__FILE__, __LINE__, "cannot read %s", path);
    return 0;
  }
  gcase *cases = NULL;
  size_t n = 0;
  char *p = data, *end = data + len;
  gcase *cur = NULL;
  int section = 0; /* 0 outside, 1 input, 2 expected */
  char *sec_start = NULL;
  while (p < end) {
    char *nl = memchr(p, '\n', (size_t)(end - p));
    char *le = nl ? nl : end;
    size_t ll = (size_t)(le - p);
    if (ll >= 3 && memcmp(p, "== ", 3) == 0) {
      if (cur && section == 2)
        cur->expected = strndup(sec_start, (size_t)(p - sec_start));
      cases = realloc(cases, (n + 1) * sizeof *cases);
      cur = &cases[n++];
      memset(cur, 0, sizeof *cur);
      snprintf(cur->title, sizeof cur->title, "%.*s", (int)(ll - 3), p + 3);
      section = 1;
      sec_start = nl ? nl + 1 : end;
    } else if (cur && section == 1 && ll == 2 && memcmp(p, "--", 2) == 0) {
      /* the input ends before the newline that precedes "--" */
      size_t il = (size_t)(p - sec_start);
      if (il > 0)
        il--;
      cur->input = strndup(sec_start, il);
      cur->input_len = il;
      section = 2;
      sec_start = nl ? nl + 1 : end;
    }
    p = nl ? nl + 1 : end;
  }
  if (cur && section == 2)
    cur->expected = strndup(sec_start, (size_t)(end - sec_start));
  free(data);
  for (size_t i = 0; i < n; i++) {
    if (!cases[i].input || !cases[i].expected) {
      px_test_fail(__FILE__, __LINE__, "%s: case %s is incomplete", path,
                   cases[i].title);
      n = i;
      break;
    }
    /* drop trailing newlines of the expectation */
    size_t el = strlen(cases[i].expected);
    while (el > 0 && cases[i].expected[el - 1] == '\n')
      cases[i].expected[--el] = '\0';
  }
  *out = cases;
  return n;
}

static void free_cases(gcase *c, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(c[i].input);
    free(c[i].expected);
  }
  free(c);
}

/* Run every case of golden-<lang>.txt; fail below min_pass (0: all). */
static void run_golden(const char *lang, size_t min_pass) {
  char rel[64];
  snprintf(rel, sizeof rel, "segment/golden-%s.txt", lang);
  gcase *cases = NULL;
  size_t n = load_cases(px_test_data(rel), &cases);
  CHECK(n > 0);
  size_t pass = 0;
  for (size_t i = 0; i < n; i++) {
    px_segment_list *l = NULL;
    px_segment_opts o = PX_SEGMENT_OPTS_INIT;
    o.lang = lang;
    int rc = px_segment_split(&l, NULL, cases[i].input, cases[i].input_len, &o);
    char got[8192];
    size_t gl = 0;
    got[0] = '\0';
    if (rc == 0) {
      for (size_t k = 0; k < l->count; k++)
        gl += (size_t)snprintf(got + gl, gl < sizeof got ? sizeof got - gl : 0,
                               "%s%s", k ? "\n" : "", l->items[k].text);
      px_segment_list_free(l);
    }
    int ok = rc == 0 && strcmp(got, cases[i].expected) == 0;
    pass += ok;
    printf("  %s golden-%s %s\n", ok ? "PASS" : "FAIL", lang, cases[i].title);
    if (!ok)
      printf("    expected:\n      %s\n    got:\n      %s\n", cases[i].expected,
             rc == 0 ? got : px_error_last()->message);
  }
  size_t target = min_pass ? min_pass : n;
  printf("golden-%s: %zu/%zu passed (target %zu)\n", lang, pass, n, target);
  if (pass < target)
    px_test_fail(__FILE__, __LINE__, "golden-%s: %zu/%zu passed, target %zu",
                 lang, pass, n, target);
  free_cases(cases, n);
}

PX_TEST(test_segment_golden__en) { run_golden("en", 51); }

PX_TEST(test_segment_golden__ru) { run_golden("ru", 0); }

PX_TEST(test_segment_golden__de) { run_golden("de", 0); }

PX_TEST(test_segment_golden__fr) { run_golden("fr", 0); }

PX_TEST(test_segment_golden__es) { run_golden("es", 0); }

PX_TEST(test_segment_golden__tr) { run_golden("tr", 0); }

PX_TEST(test_segment_golden__fa) { run_golden("fa", 0); }

PX_TEST(test_segment_golden__ar) { run_golden("ar", 0); }
