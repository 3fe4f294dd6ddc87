/*
 * bench_lexicon.c: what loading the installed lexicons of a language pair
 * costs the aligner for one document, the way `parallax align` does it
 * (px_lexicon_restrict() with every line of the source document, then
 * px_lexicon_load_default()), and a dump of the entries it stored, so that
 * two builds can be compared entry for entry.
 *
 *   bench_lexicon [--runs N] [--full] [--dump] SRC TGT [FILE]
 *
 * FILE is the source side, one sentence per line (no FILE: an unrestricted
 * load).  --full loads without the restriction even with FILE.  Prints the
 * best CPU time of N runs (this process's CPU clock: the machine is
 * shared) of the restriction and of the load, and the entries stored.
 * Then each file loaded in the last run, with its own wall time.
 * --dump writes every entry instead, "src TAB tgt TAB weight" in
 * px_lexicon_foreach() order with the weight's exact bits, for `cmp`.
 * Not a test: run it with `nice`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parallax.h"

static double cpu_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  long sz = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *b = sz >= 0 ? malloc((size_t)sz + 1) : NULL;
  if (!b || fread(b, 1, (size_t)sz, f) != (size_t)sz) {
    fclose(f);
    free(b);
    return NULL;
  }
  fclose(f);
  b[sz] = '\0';
  *n = (size_t)sz;
  return b;
}

static int dump_entry(const px_lexicon_entry *e, void *payload) {
  (void)payload;
  union {
    float f;
    unsigned u;
  } w;
  w.f = e->weight;
  printf("%s\t%s\t%.9g\t%08x\n", e->src, e->tgt, (double)e->weight, w.u);
  return 0;
}

static void die(const char *what) {
  fprintf(stderr, "bench_lexicon: %s: %s\n", what, px_error_last()->message);
  exit(1);
}

int main(int argc, char **argv) {
  int runs = 5, full = 0, dump = 0, a = 1;
  for (; a < argc && argv[a][0] == '-'; a++) {
    if (strcmp(argv[a], "--runs") == 0 && a + 1 < argc)
      runs = (int)strtol(argv[++a], NULL, 10);
    else if (strcmp(argv[a], "--full") == 0)
      full = 1;
    else if (strcmp(argv[a], "--dump") == 0)
      dump = 1;
    else
      break;
  }
  if (argc - a < 2 || argc - a > 3 || runs < 1) {
    fprintf(stderr, "usage: bench_lexicon [--runs N] [--full] [--dump] SRC "
                    "TGT [FILE]\n");
    return 2;
  }
  const char *src = argv[a], *tgt = argv[a + 1];
  char *text = NULL;
  size_t tlen = 0;
  if (argc - a == 3 && !(text = slurp(argv[a + 2], &tlen))) {
    fprintf(stderr, "bench_lexicon: cannot read %s\n", argv[a + 2]);
    return 2;
  }
  if (dump)
    runs = 1;
  double best_r = 1e9, best_l = 1e9;
  size_t entries = 0;
  for (int r = 0; r < runs; r++) {
    px_lexicon *lx = NULL;
    if (px_lexicon_new(&lx, src, tgt) < 0)
      die("new");
    double t0 = cpu_now();
    for (size_t p = 0; text && !full && p < tlen;) {
      const char *nl = memchr(text + p, '\n', tlen - p);
      size_t e = nl ? (size_t)(nl - text) : tlen;
      if (px_lexicon_restrict(lx, text + p, e - p) < 0)
        die("restrict");
      p = e + 1;
    }
    double t1 = cpu_now();
    if (px_lexicon_load_default(lx) < 0)
      die("load");
    double t2 = cpu_now();
    if (t1 - t0 < best_r)
      best_r = t1 - t0;
    if (t2 - t1 < best_l)
      best_l = t2 - t1;
    entries = px_lexicon_size(lx);
    if (!dump && r == runs - 1)
      for (size_t i = 0; i < px_lexicon_source_count(lx); i++) {
        const px_lexicon_source *s = px_lexicon_source_at(lx, i);
        printf("  %-60s %s%s records %zu added %zu %.4f s\n", s->path, s->kind,
               s->reversed ? " reversed" : "", s->records, s->added,
               s->seconds);
      }
    if (dump)
      px_lexicon_foreach(lx, dump_entry, NULL);
    px_lexicon_free(lx);
  }
  if (!dump)
    printf("%s-%s restrict %.4f s  load %.4f s  entries %zu  (best of %d)\n",
           src, tgt, best_r, best_l, entries, runs);
  free(text);
  return 0;
}
