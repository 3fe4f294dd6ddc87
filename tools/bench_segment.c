/*
 * bench_segment.c: throughput of sentence segmentation on one big file.
 *
 *   bench_segment px  FILE [LANG]   px_segment_split() with all rules on
 *   bench_segment icu FILE [LANG]   ICU's bare sentence BreakIterator
 *
 * Both time the whole job from UTF-8 bytes in memory to boundaries found
 * (the ICU run includes its UTF-8 -> UTF-16 conversion, as parallax's
 * does), and print "MODE BYTES CPU-SECONDS MB/s SEGMENTS".  Used by
 * tools/bench-segment.sh; not a test.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unicode/ubrk.h>
#include <unicode/ustring.h>

#include "parallax.h"

/* CPU time of this process: the machine is shared, and wall time would
 * measure the neighbours' load as much as ours. */
static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
    free(b);
    b = NULL;
  }
  fclose(f);
  if (b)
    b[n] = '\0';
  *len = (size_t)n;
  return b;
}

static long run_icu(const char *text, size_t len, const char *lang) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t ulen = 0;
  u_strFromUTF8(NULL, 0, &ulen, text, (int32_t)len, &st);
  st = U_ZERO_ERROR;
  UChar *u = malloc(((size_t)ulen + 1) * sizeof *u);
  if (!u)
    return -1;
  u_strFromUTF8(u, ulen + 1, NULL, text, (int32_t)len, &st);
  UBreakIterator *bi = ubrk_open(UBRK_SENTENCE, lang, u, ulen, &st);
  if (U_FAILURE(st)) {
    free(u);
    return -1;
  }
  long n = 0;
  while (ubrk_next(bi) != UBRK_DONE)
    n++;
  ubrk_close(bi);
  free(u);
  return n;
}

static long run_px(const char *text, size_t len, const char *lang,
                   const px_segment_rules *rules) {
  px_segment_list *l = NULL;
  px_segment_opts o = PX_SEGMENT_OPTS_INIT;
  o.lang = lang;
  if (px_segment_split(&l, rules, text, len, &o) != 0) {
    fprintf(stderr, "bench_segment: %s\n", px_error_last()->message);
    return -1;
  }
  long n = (long)l->count;
  px_segment_list_free(l);
  return n;
}

int main(int argc, char **argv) {
  if (argc < 3 || (strcmp(argv[1], "px") && strcmp(argv[1], "icu"))) {
    fprintf(stderr, "usage: bench_segment px|icu FILE [LANG]\n");
    return 2;
  }
  const char *lang = argc > 3 ? argv[3] : "en";
  size_t len = 0;
  char *text = slurp(argv[2], &len);
  if (!text) {
    fprintf(stderr, "bench_segment: cannot read %s\n", argv[2]);
    return 3;
  }
  px_segment_rules *rules = NULL;
  if (strcmp(argv[1], "px") == 0 && px_segment_rules_default(&rules) != 0) {
    fprintf(stderr, "bench_segment: %s\n", px_error_last()->message);
    return 3;
  }
  double t0 = now();
  long n = strcmp(argv[1], "px") == 0 ? run_px(text, len, lang, rules)
                                      : run_icu(text, len, lang);
  double dt = now() - t0;
  if (n < 0)
    return 1;
  printf("%s %zu %.3f %.1f %ld\n", argv[1], len, dt, (double)len / 1e6 / dt, n);
  px_segment_rules_free(rules);
  free(text);
  return 0;
}
