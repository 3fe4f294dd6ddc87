/*
 * model1.c: IBM Model 1 (Brown et al. 1993), the word-translation table
 * behind the aligner's second pass, as Moore (2002) uses it: trained by EM
 * on the sentence pairs the first pass is sure of (plus pairs the caller
 * gives, e.g. from the translation memory), it tells the realignment which
 * source word tends to become which English word.
 *
 * The table is a hash of (f, e) -> entry index holding only pairs that
 * co-occur, capped so that memory stays bounded on long documents; the
 * pairs, t(e|f) and the expected counts live in dense arrays by entry
 * index (12 bytes an entry, and 4 a slot of the hash: 6 MB for the cap
 * of 300,000 pairs, where slots holding all of them took 8 MB).
 *
 * Why the split: an EM iteration visits every (source word, target word)
 * of every training pair, a million or more on a long document, and a hash
 * probe per visit into a table of megabytes is a cache miss per visit.
 * The visits are the same in every iteration, so the pass that creates the
 * entries also writes down each visit's entry index ("rows": for each
 * target word of a pair, the empty word's entry and each source word's,
 * leaving out the pairs the cap dropped, a quarter on long documents);
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
 * sentence document needs 1.1 million. */
#define ROW_BUDGET ((size_t)1 << 22)

struct px_align__m1 {
  uint32_t *slot; /* hash of keys: entry index + 1, 0 empty */
  size_t cap;     /* slots, a power of two */
  size_t n;       /* entries */
  uint32_t n_f;
  uint64_t *key; /* per entry: f << 32 | e, both shifted by one */
  float *t;      /* per entry: t(e|f) */
  float *c;      /* per entry: expected count (training only) */
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
 * entries exist when `insert`.  UINT32_MAX if absent. */
static uint32_t find(px_align__m1 *m, uint64_t k, int insert, size_t max_n) {
  size_t i = slot_of(k, m->cap);
  for (;;) {
    uint32_t s = m->slot[i];
    if (!s) {
      if (!insert || m->n >= max_n)
        return UINT32_MAX;
      uint32_t x = (uint32_t)m->n++;
      m->slot[i] = x + 1;
      m->key[x] = k;
      m->t[x] = 1.0f;
      m->c[x] = 0.0f;
      return x;
    }
    if (m->key[s - 1] == k)
      return s - 1;
    i = (i + 1) & (m->cap - 1);
  }
}

/* Resolved rows: row r has len[r] entry indices, consecutive in idx[]. */
typedef struct rows {
  uint32_t *idx, *len;
  size_t n_idx, n_len; /* used */
  size_t cap_idx, cap_len;
} rows;

/* A position in the corpus: pair p, target word j (an index into t_ids);
 * p == c->n at the end. */
typedef struct cursor {
  size_t p, j;
} cursor;

static void cur_skip(const px_align__m1_corpus *c, cursor *u) {
  while (u->p < c->n && u->j >= c->t_off[u->p + 1]) {
    u->p++;
    u->j = u->p < c->n ? c->t_off[u->p] : 0;
  }
}

/* Resolve the rows from *u on into r (emptied first) while whole rows fit;
 * advance *u past them.  A row is, for one target word, the entries of the
 * empty word and of each source word, those the cap left out omitted.
 * With `insert`, absent pairs are created (the empty word's up to
 * max_null entries, the others up to max_entries). */
static void resolve_rows(px_align__m1 *m, const px_align__m1_corpus *c,
                         cursor *u, rows *r, int insert, size_t max_entries,
                         size_t max_null) {
  r->n_idx = r->n_len = 0;
  for (cur_skip(c, u); u->p < c->n; u->j++, cur_skip(c, u)) {
    size_t s0 = c->s_off[u->p], ns = c->s_off[u->p + 1] - s0;
    if (r->n_idx + ns + 1 > r->cap_idx || r->n_len == r->cap_len)
      break;
    uint32_t e = c->t_ids[u->j], x;
    size_t start = r->n_idx;
    if ((x = find(m, mkkey(NULL_F, e), insert, max_null)) != UINT32_MAX)
      r->idx[r->n_idx++] = x;
    for (size_t i = 0; i < ns; i++)
      if ((x = find(m, mkkey(c->s_ids[s0 + i], e), insert, max_entries)) !=
          UINT32_MAX)
        r->idx[r->n_idx++] = x;
    r->len[r->n_len++] = (uint32_t)(r->n_idx - start);
  }
}

/* E step over resolved rows: each target word's unit of probability mass
 * shared among its row's entries in proportion to t. */
static void e_step(px_align__m1 *m, const rows *r) {
  const float *t = m->t;
  float *cnt = m->c;
  const uint32_t *row = r->idx;
  for (size_t q = 0; q < r->n_len; q++) {
    size_t len = r->len[q];
    double z = 0;
    for (size_t i = 0; i < len; i++)
      z += t[row[i]];
    if (z > 0)
      for (size_t i = 0; i < len; i++)
        cnt[row[i]] += (float)(t[row[i]] / z);
    row += len;
  }
}

int px_align__m1_train_rows(px_align__m1 **out, const px_align__m1_corpus *c,
                            uint32_t n_f, uint32_t n_e, int iters,
                            size_t max_entries, size_t row_budget) {
  int error = 0;
  px_align__m1 *m = NULL;
  double *tot = NULL;
  rows r = {0};
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(c);
  PX_ASSERT_ARG(max_entries > 0 && max_entries < UINT32_MAX / 2);
  m = px_calloc(1, sizeof *m);
  if (!m)
    return PX_ENOMEM;
  m->n_f = n_f;
  /* Room for every pair that can be kept (the cap, plus one empty-word
   * pair per target word) at a load factor of at most 0.75: linear
   * probing stays short. */
  size_t most = max_entries + (size_t)n_e + 1;
  m->cap = 1024;
  while (m->cap < most + most / 3)
    m->cap <<= 1;
  m->slot = px_calloc(m->cap, sizeof *m->slot);
  m->key = px_malloc(most * sizeof *m->key);
  m->t = px_malloc(most * sizeof *m->t);
  m->c = px_malloc(most * sizeof *m->c);
  tot = px_calloc((size_t)n_f + 1, sizeof *tot);
  /* the rows' total length (at most one entry per target word and source
   * word or the empty word of each pair) and number */
  size_t total = 0, longest = 1, n_rows = 0;
  for (size_t p = 0; p < c->n; p++) {
    size_t ns = c->s_off[p + 1] - c->s_off[p] + 1;
    size_t nt = c->t_off[p + 1] - c->t_off[p];
    total += ns * nt;
    n_rows += nt;
    if (ns > longest)
      longest = ns;
  }
  size_t budget = row_budget > longest ? row_budget : longest;
  /* resolved once and reused by every iteration when they fit; the
   * entries the cap leaves out are never written, so the tail of idx
   * stays untouched (and unpaged) */
  int keep = total <= budget;
  r.cap_idx = keep ? total : budget;
  r.cap_len = keep ? n_rows : budget;
  r.idx = px_malloc((r.cap_idx ? r.cap_idx : 1) * sizeof *r.idx);
  r.len = px_malloc((r.cap_len ? r.cap_len : 1) * sizeof *r.len);
  if (!m->slot || !m->key || !m->t || !m->c || !tot || !r.idx || !r.len) {
    error = PX_ENOMEM;
    goto done;
  }
  /* Create the co-occurring pairs (t starts uniform), in corpus order:
   * under the cap, the first pairs seen are the ones kept. */
  cursor u = {0, c->n ? c->t_off[0] : 0};
  while (cur_skip(c, &u), u.p < c->n)
    resolve_rows(m, c, &u, &r, 1, max_entries, most);
  for (int it = 0; it < iters; it++) {
    if (keep) {
      e_step(m, &r);
    } else {
      cursor a = {0, c->n ? c->t_off[0] : 0};
      while (cur_skip(c, &a), a.p < c->n) {
        resolve_rows(m, c, &a, &r, 0, 0, 0);
        e_step(m, &r);
      }
    }
    /* M step: t(e|f) = c(e,f) / sum_e c(e,f), the sums in slot order (as
     * they always were: the same table to the last bit). */
    memset(tot, 0, ((size_t)n_f + 1) * sizeof *tot);
    for (size_t i = 0; i < m->cap; i++)
      if (m->slot[i]) {
        uint32_t x = m->slot[i] - 1;
        uint32_t f = (uint32_t)(m->key[x] >> 32) - 1u;
        tot[f == NULL_F ? n_f : f] += m->c[x];
      }
    for (size_t x = 0; x < m->n; x++) {
      uint32_t f = (uint32_t)(m->key[x] >> 32) - 1u;
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
  px_free(r.idx);
  px_free(r.len);
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
  if (!m)
    return 0.0;
  uint64_t k = mkkey(f, e);
  for (size_t i = slot_of(k, m->cap);; i = (i + 1) & (m->cap - 1)) {
    uint32_t s = m->slot[i];
    if (!s)
      return 0.0;
    if (m->key[s - 1] == k)
      return m->t[s - 1];
  }
}

size_t px_align__m1_size(const px_align__m1 *m) { return m ? m->n : 0; }

void px_align__m1_tops(const px_align__m1 *m, size_t k, double min_p,
                       uint32_t *e_out, float *p_out, uint8_t *n_out) {
  /* One sweep over the table in slot order; each f keeps its k best in a
   * small sorted list (among equals, the first seen first). */
  memset(n_out, 0, m->n_f);
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->slot[i])
      continue;
    uint32_t x = m->slot[i] - 1;
    float tx = m->t[x];
    if (tx < min_p)
      continue;
    uint32_t f = (uint32_t)(m->key[x] >> 32) - 1u;
    uint32_t e = (uint32_t)(m->key[x] & 0xffffffffu) - 1u;
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
  px_free(m->slot);
  px_free(m->key);
  px_free(m->t);
  px_free(m->c);
  px_free(m);
}
