/*
 * model1.c: IBM Model 1 (Brown et al. 1993), the word-translation table
 * behind the aligner's second pass, as Moore (2002) uses it: trained by EM
 * on the sentence pairs the first pass is sure of (plus pairs the caller
 * gives, e.g. from the translation memory), it tells the realignment which
 * source word tends to become which English word.
 *
 * The table is a hash of (f, e) -> t(e|f) holding only pairs that
 * co-occur, capped so that memory stays bounded on long documents.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "error.h"
#include "mem.h"

#define NULL_F UINT32_MAX /* the empty source word */

typedef struct entry {
  uint64_t key; /* f << 32 | e; 0 marks an empty slot (never a real key:
                   e and f are shifted by one when stored) */
  float t;      /* t(e|f) */
  float c;      /* expected count in the current iteration */
} entry;

struct px_align__m1 {
  entry *tab;
  size_t cap; /* power of two */
  size_t n;
  uint32_t n_f;
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

/* Find the entry for k; insert it (t = 1) if absent and room is left.
 * NULL if absent and the table is full. */
static entry *find(px_align__m1 *m, uint64_t k, int insert, size_t max_n) {
  size_t i = slot_of(k, m->cap);
  for (;;) {
    entry *e = &m->tab[i];
    if (e->key == k)
      return e;
    if (e->key == 0) {
      if (!insert || m->n >= max_n)
        return NULL;
      e->key = k;
      e->t = 1.0f;
      e->c = 0.0f;
      m->n++;
      return e;
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

int px_align__m1_train(px_align__m1 **out, const px_align__m1_corpus *c,
                       uint32_t n_f, uint32_t n_e, int iters,
                       size_t max_entries) {
  int error = 0;
  px_align__m1 *m = NULL;
  double *tot = NULL;
  entry **row = NULL;
  size_t row_cap = 0;
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
  m->tab = px_calloc(m->cap, sizeof *m->tab);
  tot = px_calloc((size_t)n_f + 1, sizeof *tot);
  if (!m->tab || !tot) {
    error = PX_ENOMEM;
    goto done;
  }
  /* Create the co-occurring pairs (t starts uniform). */
  for (size_t p = 0; p < c->n; p++)
    for (size_t j = c->t_off[p]; j < c->t_off[p + 1]; j++) {
      uint32_t e = c->t_ids[j];
      find(m, mkkey(NULL_F, e), 1, max_entries + n_e + 1);
      for (size_t i = c->s_off[p]; i < c->s_off[p + 1]; i++)
        find(m, mkkey(c->s_ids[i], e), 1, max_entries);
    }
  for (int it = 0; it < iters; it++) {
    for (size_t p = 0; p < c->n; p++) {
      size_t ns = c->s_off[p + 1] - c->s_off[p];
      if (ns + 1 > row_cap) {
        size_t nc = (ns + 1) * 2;
        entry **r = px_realloc(row, nc * sizeof *r);
        if (!r) {
          error = PX_ENOMEM;
          goto done;
        }
        row = r;
        row_cap = nc;
      }
      for (size_t j = c->t_off[p]; j < c->t_off[p + 1]; j++) {
        uint32_t e = c->t_ids[j];
        double z = 0;
        row[0] = find(m, mkkey(NULL_F, e), 0, 0);
        for (size_t i = 0; i < ns; i++)
          row[i + 1] = find(m, mkkey(c->s_ids[c->s_off[p] + i], e), 0, 0);
        for (size_t i = 0; i <= ns; i++)
          if (row[i])
            z += row[i]->t;
        if (z <= 0)
          continue;
        for (size_t i = 0; i <= ns; i++)
          if (row[i])
            row[i]->c += (float)(row[i]->t / z);
      }
    }
    /* M step: t(e|f) = c(e,f) / sum_e c(e,f). */
    memset(tot, 0, ((size_t)n_f + 1) * sizeof *tot);
    for (size_t i = 0; i < m->cap; i++)
      if (m->tab[i].key) {
        uint32_t f = (uint32_t)(m->tab[i].key >> 32) - 1u;
        tot[f == NULL_F ? n_f : f] += m->tab[i].c;
      }
    for (size_t i = 0; i < m->cap; i++)
      if (m->tab[i].key) {
        uint32_t f = (uint32_t)(m->tab[i].key >> 32) - 1u;
        double t = tot[f == NULL_F ? n_f : f];
        m->tab[i].t = t > 0 ? (float)(m->tab[i].c / t) : 0.0f;
        m->tab[i].c = 0.0f;
      }
  }
  *out = m;
  m = NULL;
done:
  px_free(row);
  px_free(tot);
  px_align__m1_free(m);
  return error;
}

double px_align__m1_prob(const px_align__m1 *m, uint32_t f, uint32_t e) {
  const entry *x = m ? cfind(m, mkkey(f, e)) : NULL;
  return x ? x->t : 0.0;
}

size_t px_align__m1_size(const px_align__m1 *m) { return m ? m->n : 0; }

void px_align__m1_tops(const px_align__m1 *m, size_t k, double min_p,
                       uint32_t *e_out, float *p_out, uint8_t *n_out) {
  /* One sweep over the table; each f keeps its k best in insertion order
   * of a small sorted list. */
  memset(n_out, 0, m->n_f);
  for (size_t i = 0; i < m->cap; i++) {
    const entry *x = &m->tab[i];
    if (!x->key || x->t < min_p)
      continue;
    uint32_t f = (uint32_t)(x->key >> 32) - 1u;
    uint32_t e = (uint32_t)(x->key & 0xffffffffu) - 1u;
    if (f == NULL_F || f >= m->n_f)
      continue;
    uint32_t *eo = e_out + (size_t)f * k;
    float *po = p_out + (size_t)f * k;
    size_t n = n_out[f];
    size_t pos = n;
    while (pos > 0 && po[pos - 1] < x->t)
      pos--;
    if (pos >= k)
      continue;
    size_t last = n < k ? n : k - 1;
    for (size_t q = last; q > pos; q--) {
      eo[q] = eo[q - 1];
      po[q] = po[q - 1];
    }
    eo[pos] = e;
    po[pos] = x->t;
    if (n < k)
      n_out[f] = (uint8_t)(n + 1);
  }
}

void px_align__m1_free(px_align__m1 *m) {
  if (!m)
    return;
  px_free(m->tab);
  px_free(m);
}
