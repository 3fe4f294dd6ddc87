/*
 * model1.c: IBM Model 1 (Brown et al. 1993), the word-translation table
 * behind the aligner's second pass, as Moore (2002) uses it: trained by EM
 * on the sentence pairs the first pass is sure of (plus pairs the caller
 * gives, e.g. from the translation memory), it tells the realignment which
 * source word tends to become which English word.
 *
 * The table is a hash of (f, e) -> entry index holding only pairs that
 * co-occur, capped so that memory stays bounded on long documents; t(e|f)
 * and the expected counts live in dense arrays by entry index.
 *
 * Why the split: an EM iteration visits every (source word, target word)
 * of every training pair, a million or more on a long document, and a hash
 * probe per visit into a table of megabytes is a cache miss per visit.
 * The visits are the same in every iteration, so the pass that creates the
 * entries also writes down each visit's entry index ("rows": for each
 * target word of a pair, the empty word's entry and each source word's);
 * the iterations then stream through those indices and touch only the
 * small dense arrays.  When the rows of the whole corpus exceed a budget
 * (a translation memory of a million pairs), they are resolved again,
 * budget by budget, in each iteration: memory stays bounded and the
 * result is the same, in the same order of additions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "error.h"
#include "mem.h"

#define NULL_F UINT32_MAX /* the empty source word */
/* Row entries kept across iterations (4 bytes each): 16 MB.  A 10,000-
 * sentence document needs 1.5 million. */
#define ROW_BUDGET ((size_t)1 << 22)

typedef struct entry {
  uint64_t key; /* f << 32 | e; 0 marks an empty slot (never a real key:
                   e and f are shifted by one when stored) */
  uint32_t idx; /* index into t[] (and the counts while training) */
} entry;

struct px_align__m1 {
  entry *tab;
  size_t cap; /* power of two */
  size_t n;
  uint32_t n_f;
  float *t;      /* t(e|f) by entry index; t[none] = 0 */
  float *c;      /* expected counts of the current iteration (training only) */
  uint32_t none; /* index of a pair the cap left out: t = 0 forever */
};

static uint64_t mkkey(uint32_t f, uint32_t e) {
  return ((uint64_t)(f + 1u) << 32) | (uint64_t)(e + 1u);
}

static size_t slot_of(uint64_t k, size_t cap) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  return (size_t)k & (cap - 1);
}

/* The entry index of k; inserted (t = 1) if absent and fewer than max_n
 * entries exist when `insert`.  m->none if absent. */
static uint32_t find(px_align__m1 *m, uint64_t k, int insert, size_t max_n) {
  size_t i = slot_of(k, m->cap);
  for (;;) {
    entry *e = &m->tab[i];
    if (e->key == k)
      return e->idx;
    if (e->key == 0) {
      if (!insert || m->n >= max_n)
        return m->none;
      e->key = k;
      e->idx = (uint32_t)m->n;
      m->t[m->n] = 1.0f;
      m->c[m->n] = 0.0f;
      m->n++;
      return e->idx;
    }
    i = (i + 1) & (m->cap - 1);
  }
}

static const entry *cfind(const px_align__m1 *m, uint64_t k) {
  size_t i = slot_of(k, m->cap);
  for (;;) {
    const entry *e = &m->tab[i];
    if (e->key == k)
      return e;
    if (e->key == 0)
      return NULL;
    i = (i + 1) & (m->cap - 1);
  }
}

/* A position in the corpus's rows: pair p, target word j (an index into
 * t_ids).  p == c->n at the end. */
typedef struct cursor {
  size_t p, j;
} cursor;

static void cur_start(const px_align__m1_corpus *c, cursor *u) {
  u->p = 0;
  u->j = c->n ? c->t_off[0] : 0;
  while (u->p < c->n && u->j >= c->t_off[u->p + 1]) {
    u->p++;
    u->j = u->p < c->n ? c->t_off[u->p] : 0;
  }
}

static void cur_next(const px_align__m1_corpus *c, cursor *u) {
  u->j++;
  while (u->p < c->n && u->j >= c->t_off[u->p + 1]) {
    u->p++;
    u->j = u->p < c->n ? c->t_off[u->p] : 0;
  }
}

/* Write the entry indices of the rows from *u on into idx[0 .. cap) while
 * whole rows fit; advance *u past them.  A row is the empty word's entry
 * and each source word's, for one target word.  With `insert`, absent
 * pairs are created (the empty word's up to max_null entries, the others
 * up to max_entries).  Returns the number of indices written. */
static size_t resolve_rows(px_align__m1 *m, const px_align__m1_corpus *c,
                           cursor *u, uint32_t *idx, size_t cap, int insert,
                           size_t max_entries, size_t max_null) {
  size_t used = 0;
  while (u->p < c->n) {
    size_t s0 = c->s_off[u->p], ns = c->s_off[u->p + 1] - s0;
    if (used + ns + 1 > cap)
      break;
    uint32_t e = c->t_ids[u->j];
    idx[used++] = find(m, mkkey(NULL_F, e), insert, max_null);
    for (size_t i = 0; i < ns; i++)
      idx[used++] = find(m, mkkey(c->s_ids[s0 + i], e), insert, max_entries);
    cur_next(c, u);
  }
  return used;
}

/* E step over `used` resolved indices, rows starting at *u (advanced):
 * each target word's unit of probability mass shared among its row's
 * entries in proportion to t. */
static void e_step(px_align__m1 *m, const px_align__m1_corpus *c, cursor *u,
                   const uint32_t *idx, size_t used) {
  const float *t = m->t;
  float *cnt = m->c;
  size_t q = 0;
  while (q < used) {
    size_t len = c->s_off[u->p + 1] - c->s_off[u->p] + 1;
    const uint32_t *row = idx + q;
    double z = 0;
    for (size_t i = 0; i < len; i++)
      z += t[row[i]];
    if (z > 0)
      for (size_t i = 0; i < len; i++)
        cnt[row[i]] += (float)(t[row[i]] / z);
    q += len;
    cur_next(c, u);
  }
}

int px_align__m1_train_rows(px_align__m1 **out, const px_align__m1_corpus *c,
                            uint32_t n_f, uint32_t n_e, int iters,
                            size_t max_entries, size_t row_budget) {
  int error = 0;
  px_align__m1 *m = NULL;
  double *tot = NULL;
  uint32_t *idx = NULL;
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(c);
  PX_ASSERT_ARG(max_entries > 0);
  m = px_calloc(1, sizeof *m);
  if (!m)
    return PX_ENOMEM;
  m->n_f = n_f;
  /* Room for every pair that can be kept (the cap, plus one empty-word
   * pair per target word) at a load factor of at most 0.75: linear
   * probing stays short, and the table is half the size a factor of 0.5
   * needs (8 MB instead of 16 MB for 300,000 pairs). */
  size_t most = max_entries + (size_t)n_e + 1;
  m->cap = 1024;
  while (m->cap < most + most / 3)
    m->cap <<= 1;
  m->none = (uint32_t)most;
  m->tab = px_calloc(m->cap, sizeof *m->tab);
  m->t = px_malloc((most + 1) * sizeof *m->t);
  m->c = px_malloc((most + 1) * sizeof *m->c);
  tot = px_calloc((size_t)n_f + 1, sizeof *tot);
  /* the rows' total length: one entry per (target word, source word or
   * the empty word) of each pair */
  size_t rows = 0, longest = 1;
  for (size_t p = 0; p < c->n; p++) {
    size_t ns = c->s_off[p + 1] - c->s_off[p] + 1;
    rows += ns * (c->t_off[p + 1] - c->t_off[p]);
    if (ns > longest)
      longest = ns;
  }
  size_t budget = row_budget > longest ? row_budget : longest;
  int keep = rows <= budget; /* resolved once, reused by every iteration */
  size_t icap = keep ? rows : budget;
  idx = px_malloc((icap ? icap : 1) * sizeof *idx);
  if (!m->tab || !m->t || !m->c || !tot || !idx) {
    error = PX_ENOMEM;
    goto done;
  }
  m->t[m->none] = 0.0f;
  m->c[m->none] = 0.0f;
  /* Create the co-occurring pairs (t starts uniform), in corpus order:
   * under the cap, the first pairs seen are the ones kept. */
  cursor u;
  size_t used = 0;
  cur_start(c, &u);
  while (u.p < c->n)
    used = resolve_rows(m, c, &u, idx, icap, 1, max_entries, most);
  for (int it = 0; it < iters; it++) {
    cursor a, b;
    cur_start(c, &a);
    if (keep) {
      e_step(m, c, &a, idx, used);
    } else {
      while (a.p < c->n) {
        b = a;
        size_t k = resolve_rows(m, c, &b, idx, icap, 0, 0, 0);
        e_step(m, c, &a, idx, k);
      }
    }
    /* M step: t(e|f) = c(e,f) / sum_e c(e,f), the sums in table order. */
    memset(tot, 0, ((size_t)n_f + 1) * sizeof *tot);
    for (size_t i = 0; i < m->cap; i++)
      if (m->tab[i].key) {
        uint32_t f = (uint32_t)(m->tab[i].key >> 32) - 1u;
        tot[f == NULL_F ? n_f : f] += m->c[m->tab[i].idx];
      }
    for (size_t i = 0; i < m->cap; i++)
      if (m->tab[i].key) {
        uint32_t f = (uint32_t)(m->tab[i].key >> 32) - 1u;
        uint32_t x = m->tab[i].idx;
        double s = tot[f == NULL_F ? n_f : f];
        m->t[x] = s > 0 ? (float)(m->c[x] / s) : 0.0f;
        m->c[x] = 0.0f;
      }
  }
  px_free(m->c);
  m->c = NULL;
  *out = m;
  m = NULL;
done:
  px_free(idx);
  px_free(tot);
  px_align__m1_free(m);
  return error;
}

int px_align__m1_train(px_align__m1 **out, const px_align__m1_corpus *c,
                       uint32_t n_f, uint32_t n_e, int iters,
                       size_t max_entries) {
  return px_align__m1_train_rows(out, c, n_f, n_e, iters, max_entries,
                                 ROW_BUDGET);
}

double px_align__m1_prob(const px_align__m1 *m, uint32_t f, uint32_t e) {
  const entry *x = m ? cfind(m, mkkey(f, e)) : NULL;
  return x ? m->t[x->idx] : 0.0;
}

size_t px_align__m1_size(const px_align__m1 *m) { return m ? m->n : 0; }

void px_align__m1_tops(const px_align__m1 *m, size_t k, double min_p,
                       uint32_t *e_out, float *p_out, uint8_t *n_out) {
  /* One sweep over the table; each f keeps its k best in insertion order
   * of a small sorted list. */
  memset(n_out, 0, m->n_f);
  for (size_t i = 0; i < m->cap; i++) {
    const entry *x = &m->tab[i];
    if (!x->key)
      continue;
    float tx = m->t[x->idx];
    if (tx < min_p)
      continue;
    uint32_t f = (uint32_t)(x->key >> 32) - 1u;
    uint32_t e = (uint32_t)(x->key & 0xffffffffu) - 1u;
    if (f == NULL_F || f >= m->n_f)
      continue;
    uint32_t *eo = e_out + (size_t)f * k;
    float *po = p_out + (size_t)f * k;
    size_t n = n_out[f];
    size_t pos = n;
    while (pos > 0 && po[pos - 1] < tx)
      pos--;
    if (pos >= k)
      continue;
    size_t last = n < k ? n : k - 1;
    for (size_t q = last; q > pos; q--) {
      eo[q] = eo[q - 1];
      po[q] = po[q - 1];
    }
    eo[pos] = e;
    po[pos] = tx;
    if (n < k)
      n_out[f] = (uint8_t)(n + 1);
  }
}

void px_align__m1_free(px_align__m1 *m) {
  if (!m)
    return;
  px_free(m->tab);
  px_free(m->t);
  px_free(m->c);
  px_free(m);
}
