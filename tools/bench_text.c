/*
 * bench_text.c: throughput of the text module's hot calls, per line of
 * input, the way segment/align/tm/names call them (once per sentence).
 *
 *   bench_text [FILE...]     (default: the example articles in tm/examples)
 *
 * The input files are concatenated and repeated until at least 20 MB have
 * been processed per measurement.  Prints MB/s and lines/s (and words/s for
 * tokenize) for: validate, normalize KEY, tokenize, romanize+skeleton of
 * each word token.  Times are CPU time of this process (the machine is
 * shared); not a test: run it with `nice`.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parallax.h"

static double now(void) {
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
  char *b = malloc((size_t)sz + 1);
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

typedef struct line {
  const char *s;
  size_t n;
} line;

static line *lines;
static size_t nlines, total_bytes;

static void add_file(const char *path) {
  size_t n;
  char *b = slurp(path, &n);
  if (!b) {
    fprintf(stderr, "bench_text: cannot read %s\n", path);
    exit(2);
  }
  size_t start = 0;
  for (size_t i = 0; i <= n; i++)
    if (i == n || b[i] == '\n') {
      if (i > start) {
        lines = realloc(lines, (nlines + 1) * sizeof *lines);
        lines[nlines].s = b + start;
        lines[nlines].n = i - start;
        nlines++;
        total_bytes += i - start;
      }
      start = i + 1;
    }
}

enum { V_VALIDATE, V_NORMALIZE, V_TOKENIZE, V_ROMANIZE };

static void run(const char *what, int which, const char *lang) {
  size_t bytes = 0, count = 0, words = 0;
  double t0 = now();
  while (bytes < 20u * 1000 * 1000) {
    for (size_t i = 0; i < nlines; i++) {
      const line *l = &lines[i];
      int rc = 0;
      if (which == V_VALIDATE) {
        rc = px_text_validate(l->s, l->n, NULL);
      } else if (which == V_NORMALIZE) {
        char *o;
        rc = px_text_normalize(&o, NULL, l->s, l->n, PX_NORM_KEY);
        if (!rc)
          px_free(o);
      } else if (which == V_TOKENIZE) {
        px_token *t;
        size_t nt;
        rc = px_text_tokenize(&t, &nt, l->s, l->n, lang);
        if (!rc) {
          words += nt;
          px_free(t);
        }
      } else {
        px_token *t;
        size_t nt;
        const char *lg = px_text_guess_lang(l->s, l->n, "en");
        rc = px_text_tokenize(&t, &nt, l->s, l->n, lg);
        for (size_t k = 0; !rc && k < nt; k++) {
          if (t[k].kind != PX_TOK_WORD)
            continue;
          char *r, *sk;
          size_t rn;
          rc = px_text_romanize(&r, &rn, l->s + t[k].off, t[k].len, lg);
          if (!rc) {
            rc = px_text_skeleton(&sk, NULL, r, rn);
            px_free(r);
            if (!rc)
              px_free(sk);
          }
          words++;
        }
        if (!rc)
          px_free(t);
      }
      if (rc) {
        fprintf(stderr, "bench_text: %s\n", px_error_last()->message);
        exit(1);
      }
      bytes += l->n;
      count++;
    }
  }
  double dt = now() - t0;
  printf("%-28s %8.1f MB/s %10.0f lines/s", what, (double)bytes / dt / 1e6,
         (double)count / dt);
  if (words)
    printf(" %10.0f words/s", (double)words / dt);
  printf("\n");
}

int main(int argc, char **argv) {
  if (argc > 1) {
    for (int i = 1; i < argc; i++)
      add_file(argv[i]);
  } else {
    static const char *def[] = {"mna-124464.en.txt", "mna-124464.fa.txt",
                                "mna-124464.ru.txt"};
    for (size_t i = 0; i < 3; i++) {
      char path[4096];
      snprintf(path, sizeof path, "%s/tm/examples/%s", PX_SOURCE_DIR, def[i]);
      add_file(path);
    }
  }
  if (!nlines) {
    fprintf(stderr, "bench_text: no input lines\n");
    return 2;
  }
  printf("input: %zu lines, %zu bytes (repeated to 20 MB per row)\n", nlines,
         total_bytes);
  run("validate", V_VALIDATE, NULL);
  run("normalize PX_NORM_KEY", V_NORMALIZE, NULL);
  run("tokenize (root rules)", V_TOKENIZE, NULL);
  run("romanize+skeleton per word", V_ROMANIZE, NULL);
  return 0;
}
