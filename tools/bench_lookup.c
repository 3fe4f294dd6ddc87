/*
 * bench_lookup.c: lookup latency and store size of a translation memory,
 * measured inside one process (see tools/bench-lookup.sh).
 *
 *   bench_lookup generate DIR N      build a memory of N distinct synthetic
 *                                    en/xx units in DIR (when there is no
 *                                    corpus), and DIR.queries.tsv
 *   bench_lookup run DIR QUERIES.tsv [IDS]
 *                                    measure: exact lookups (--exact),
 *                                    fuzzy top-5 at >= 75%, concordance of a
 *                                    two-word phrase of each query, and
 *                                    store size vs text size; with IDS, also
 *                                    write per query the fuzzy top-5 (id:score)
 *                                    and the concordance hit ids, to compare
 *                                    the results of two builds (diff)
 *
 * QUERIES.tsv lines are `lang TAB query TAB kind ...` as written by
 * tools/make-tm-corpus.mjs.  Queries in English look up into Arabic, the
 * others into English.  Prints medians, p95 and p99 in microseconds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "parallax.h"

static double now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* CPU time of this thread: stable when other processes share the cores. */
static double cpu_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void report(const char *what, double *t, size_t n) {
  if (n == 0) {
    printf("%-28s no samples\n", what);
    return;
  }
  qsort(t, n, sizeof *t, cmp_d);
  double sum = 0;
  for (size_t i = 0; i < n; i++)
    sum += t[i];
  printf("%-28s n=%zu  median %.1f us  p95 %.1f us  p99 %.1f us  max %.1f "
         "us  mean %.1f us\n",
         what, n, t[n / 2], t[(size_t)(n * 0.95)], t[(size_t)(n * 0.99)],
         t[n - 1], sum / n);
}

/* ---- synthetic memory --------------------------------------------------- */

static unsigned long long rng = 88172645463325252ull;
static unsigned rnd(unsigned n) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (unsigned)(rng % n);
}

/* A pronounceable word of the synthetic vocabulary, Zipf-ish by index. */
static void word(char *out, size_t cap, unsigned idx) {
  static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo",
                              "da", "fe", "go", "hu", "ja", "pe", "ri", "zu"};
  size_t n = 0;
  unsigned x = idx + 1;
  while (x && n + 3 < cap) {
    const char *s = syl[x % 16];
    out[n++] = s[0];
    out[n++] = s[1];
    x /= 16;
  }
  out[n] = '\0';
}

static unsigned zipf(unsigned vocab) {
  /* skewed towards small indexes */
  double u = (rnd(1000000) + 1) / 1000001.0;
  unsigned i = (unsigned)(vocab * u * u * u);
  return i < vocab ? i : vocab - 1;
}

static int generate(const char *dir, long n) {
  px_tm *tm = NULL;
  int rc = px_tm_open(&tm, dir, NULL);
  if (rc) {
    fprintf(stderr, "bench_lookup: %s\n", px_error_last()->message);
    return 1;
  }
  char qpath[4096];
  snprintf(qpath, sizeof qpath, "%s.queries.tsv", dir);
  FILE *qf = fopen(qpath, "w");
  if (!qf)
    return 1;
  px_tm_txn *txn = NULL;
  unsigned vocab = 60000;
  for (long i = 0; i < n; i++) {
    if (i % 10000 == 0) {
      if (txn && px_tm_txn_commit(txn))
        goto fail;
      if (px_tm_txn_begin(&txn, tm))
        goto fail;
    }
    char en[2048], xx[2048], w[32];
    size_t el = 0, xl = 0;
    unsigned nw = 8 + rnd(22);
    for (unsigned k = 0; k < nw; k++) {
      word(w, sizeof w, zipf(vocab));
      el += (size_t)snprintf(en + el, sizeof en - el, "%s%s", k ? " " : "", w);
      xl += (size_t)snprintf(xx + xl, sizeof xx - xl, "%sx%s", k ? " " : "", w);
    }
    el += (size_t)snprintf(en + el, sizeof en - el, " %ld.", i);
    xl += (size_t)snprintf(xx + xl, sizeof xx - xl, " %ld.", i);
    px_variant v[2];
    memset(v, 0, sizeof v);
    v[0].lang = "en";
    v[0].text = en;
    v[0].len = el;
    v[1].lang = "ar";
    v[1].text = xx;
    v[1].len = xl;
    px_unit u;
    memset(&u, 0, sizeof u);
    u.confidence = -1;
    u.variants = v;
    u.nvariants = 2;
    if (px_tm_add(txn, &u, NULL, NULL))
      goto fail;
    if (i % (n / 1000 + 1) == 0) {
      /* a query: this sentence with one word changed (or unchanged) */
      char *sp = strchr(en, ' ');
      if (rnd(4) == 0 || !sp)
        fprintf(qf, "en\t%s\tunchanged\n", en);
      else
        fprintf(qf, "en\tzuzuzu%s\tsubstitute1\n", sp);
    }
  }
  if (px_tm_txn_commit(txn))
    goto fail;
  fclose(qf);
  px_tm_close(tm);
  return 0;
fail:
  fprintf(stderr, "bench_lookup: %s\n", px_error_last()->message);
  return 1;
}

/* ---- measuring -------------------------------------------------------------
 */

static int run(const char *dir, const char *qpath, const char *idpath) {
  px_tm *tm = NULL;
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.flags = PX_TM_RDONLY;
  if (px_tm_open(&tm, dir, &o)) {
    fprintf(stderr, "bench_lookup: %s\n", px_error_last()->message);
    return 1;
  }
  FILE *f = fopen(qpath, "r");
  if (!f) {
    perror(qpath);
    return 1;
  }
  FILE *idf = NULL;
  if (idpath && !(idf = fopen(idpath, "w"))) {
    perror(idpath);
    return 1;
  }
  size_t cap = 4096, n = 0;
  char **q = malloc(cap * sizeof *q), **lang = malloc(cap * sizeof *lang);
  char line[65536];
  while (fgets(line, sizeof line, f) && n < cap) {
    char *t1 = strchr(line, '\t');
    if (!t1)
      continue;
    *t1 = '\0';
    char *t2 = strchr(t1 + 1, '\t');
    if (t2)
      *t2 = '\0';
    else
      t1[strcspn(t1 + 1, "\n") + 1] = '\0';
    lang[n] = strdup(line);
    q[n] = strdup(t1 + 1);
    n++;
  }
  fclose(f);
  double *tx = calloc(n, sizeof *tx), *tf = calloc(n, sizeof *tf),
         *tc = calloc(n, sizeof *tc);
  double *cx = calloc(n, sizeof *cx), *cf = calloc(n, sizeof *cf),
         *cc = calloc(n, sizeof *cc);
  size_t nx = 0, nf = 0, nc = 0, hits_x = 0, hits_f = 0, hits_c = 0;
  int score_hist[4] = {0}; /* 100+, 90-99, 75-89, none */
  /* warm the page cache and the ICU caches once */
  for (size_t i = 0; i < n && i < 50; i++) {
    px_match *m = NULL;
    size_t k = 0;
    const char *to = strcmp(lang[i], "en") ? "en" : "ar";
    px_tm_lookup(&m, &k, tm, q[i], strlen(q[i]), lang[i], to, NULL);
    px_tm_matches_free(m, k);
  }
  for (size_t i = 0; i < n; i++) {
    const char *to = strcmp(lang[i], "en") ? "en" : "ar";
    px_match *m = NULL;
    size_t k = 0;
    px_lookup_opts lo = PX_LOOKUP_OPTS_INIT;
    lo.flags = PX_LOOKUP_EXACT;
    double c0 = cpu_us(), t0 = now_us();
    int rc = px_tm_lookup(&m, &k, tm, q[i], strlen(q[i]), lang[i], to, &lo);
    tx[nx] = now_us() - t0;
    cx[nx++] = cpu_us() - c0;
    if (rc)
      fprintf(stderr, "exact %zu: %s\n", i, px_error_last()->message);
    hits_x += k > 0;
    px_tm_matches_free(m, k);
    lo = (px_lookup_opts)PX_LOOKUP_OPTS_INIT;
    c0 = cpu_us();
    t0 = now_us();
    rc = px_tm_lookup(&m, &k, tm, q[i], strlen(q[i]), lang[i], to, &lo);
    tf[nf] = now_us() - t0;
    cf[nf++] = cpu_us() - c0;
    if (rc)
      fprintf(stderr, "fuzzy %zu: %s\n", i, px_error_last()->message);
    hits_f += k > 0;
    score_hist[k == 0 ? 3 : m[0].score >= 100 ? 0 : m[0].score >= 90 ? 1 : 2]++;
    if (idf) {
      fprintf(idf, "%zu\tfuzzy", i);
      for (size_t j = 0; j < k; j++)
        fprintf(idf, " %llu:%d", (unsigned long long)m[j].unit_id, m[j].score);
      fputc('\n', idf);
    }
    px_tm_matches_free(m, k);
    /* a phrase: two consecutive words from the middle of the query */
    px_token *tok = NULL;
    size_t nt = 0;
    if (px_text_tokenize(&tok, &nt, q[i], strlen(q[i]), lang[i]) == 0 &&
        nt >= 4) {
      size_t a = nt / 2;
      while (a + 1 < nt &&
             (tok[a].kind != PX_TOK_WORD || tok[a + 1].kind != PX_TOK_WORD))
        a++;
      if (a + 1 < nt) {
        const char *ph = q[i] + tok[a].off;
        size_t pl = tok[a + 1].off + tok[a + 1].len - tok[a].off;
        px_concord_hit *h = NULL;
        size_t nh = 0;
        c0 = cpu_us();
        t0 = now_us();
        rc = px_tm_concordance(&h, &nh, tm, ph, pl, lang[i], NULL);
        tc[nc] = now_us() - t0;
        cc[nc++] = cpu_us() - c0;
        if (rc)
          fprintf(stderr, "concordance %zu: %s\n", i, px_error_last()->message);
        hits_c += nh > 0;
        if (idf) {
          fprintf(idf, "%zu\tconc", i);
          for (size_t j = 0; j < nh; j++)
            fprintf(idf, " %llu/%zu", (unsigned long long)h[j].unit->id,
                    h[j].nspans);
          fputc('\n', idf);
        }
        px_tm_concord_free(h, nh);
      }
    }
    px_free(tok);
  }
  px_tm_stat *st = NULL;
  if (px_tm_stats(&st, tm) == 0) {
    uint64_t used = st->store_bytes - st->free_bytes;
    printf("memory %s: %llu units, %llu variants, %llu bytes of text; store "
           "%llu bytes in use = %.2fx the text (+ %llu free pages' bytes: "
           "file part %.2fx)\n",
           dir, (unsigned long long)st->units, (unsigned long long)st->variants,
           (unsigned long long)st->text_bytes, (unsigned long long)used,
           st->text_bytes ? (double)used / st->text_bytes : 0,
           (unsigned long long)st->free_bytes,
           st->text_bytes ? (double)st->store_bytes / st->text_bytes : 0);
    px_free(st);
  }
  printf("queries: %zu; exact hits %zu; fuzzy >= 75%%: %zu (100+: %d, 90-99: "
         "%d, 75-89: %d, none: %d); concordance with hits %zu/%zu\n",
         n, hits_x, hits_f, score_hist[0], score_hist[1], score_hist[2],
         score_hist[3], hits_c, nc);
  /* what the clocks themselves add to each sample (reading the thread's
   * CPU clock is a system call on some virtual machines) */
  double ew[1000], ec[1000];
  for (size_t i = 0; i < 1000; i++) {
    double c0 = cpu_us(), t0 = now_us();
    ew[i] = now_us() - t0;
    ec[i] = cpu_us() - c0;
  }
  qsort(ew, 1000, sizeof *ew, cmp_d);
  qsort(ec, 1000, sizeof *ec, cmp_d);
  printf("timer overhead in every sample (median): %.2f us wall, %.2f us cpu\n",
         ew[500], ec[500]);
  report("exact lookup (wall)", tx, nx);
  report("exact lookup (cpu)", cx, nx);
  report("fuzzy top-5 >= 75% (wall)", tf, nf);
  report("fuzzy top-5 >= 75% (cpu)", cf, nf);
  report("concordance 2 words (wall)", tc, nc);
  report("concordance 2 words (cpu)", cc, nc);
  free(cx);
  free(cf);
  free(cc);
  for (size_t i = 0; i < n; i++) {
    free(q[i]);
    free(lang[i]);
  }
  free(q);
  free(lang);
  free(tx);
  free(tf);
  free(tc);
  px_tm_close(tm);
  if (idf)
    fclose(idf);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "generate") == 0)
    return generate(argv[2], atol(argv[3]));
  if ((argc == 4 || argc == 5) && strcmp(argv[1], "run") == 0)
    return run(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
  fprintf(stderr,
          "usage: bench_lookup generate DIR N | run DIR QUERIES.tsv [IDS]\n");
  return 2;
}
