/*
 * align.h: internals shared by the alignment files (align.c, model1.c,
 * eval.c).  The public API is the align section of parallax.h.
 */
#ifndef PX_ALIGN_H
#define PX_ALIGN_H

#include <stdint.h>

#include "parallax.h"

/* ---- IBM Model 1 (model1.c) ---------------------------------------------
 * A word-translation table t(e|f) trained by EM on sentence pairs given as
 * arrays of word ids (source ids f in [0, n_f), target ids e in [0, n_e)).
 * The empty word is handled inside.  Used by the aligner's second pass. */
typedef struct px_align__m1 px_align__m1;

/* A training corpus: pair p has source ids s_ids[s_off[p] .. s_off[p+1])
 * and target ids t_ids[t_off[p] .. t_off[p+1]). */
typedef struct px_align__m1_corpus {
  size_t n;
  const size_t *s_off;
  const uint32_t *s_ids;
  const size_t *t_off;
  const uint32_t *t_ids;
} px_align__m1_corpus;

/* Train with `iters` EM iterations.  At most max_entries (f, e) pairs are
 * kept (co-occurrences beyond the cap are ignored) so memory is bounded.
 * 0, PX_EINVALID, PX_ENOMEM. */
int px_align__m1_train(px_align__m1 **out, const px_align__m1_corpus *c,
                       uint32_t n_f, uint32_t n_e, int iters,
                       size_t max_entries);
/* The same, with the rows an EM iteration visits (one entry index per
 * target word and source word, or the empty word, of each pair) kept
 * across iterations up to row_budget entries; beyond it they are resolved
 * again in each iteration, budget by budget.  The result is the same
 * whatever the budget (the unit tests check it). */
int px_align__m1_train_rows(px_align__m1 **out, const px_align__m1_corpus *c,
                            uint32_t n_f, uint32_t n_e, int iters,
                            size_t max_entries, size_t row_budget);
/* t(e|f), 0 when the pair never co-occurred. */
double px_align__m1_prob(const px_align__m1 *m, uint32_t f, uint32_t e);
/* For every source id f < n_f: its k best translations e with
 * t(e|f) >= min_p, best first, in e_out[f*k ..] and p_out[f*k ..]; n_out[f]
 * says how many (k <= 255). */
void px_align__m1_tops(const px_align__m1 *m, size_t k, double min_p,
                       uint32_t *e_out, float *p_out, uint8_t *n_out);
/* Number of (f, e) entries kept. */
size_t px_align__m1_size(const px_align__m1 *m);
void px_align__m1_free(px_align__m1 *m);

/* ---- bead-level DP core (align.c), exposed for the unit tests -----------
 * The bead types the search uses, as (source count, target count). */
#define PX_ALIGN__NTYPES 8
extern const int px_align__types[PX_ALIGN__NTYPES][2];

/* Sort n keys ascending (the sort of the search's key lists: insertion
 * sort, quicksort, and from 256 keys on a radix sort using tmp[0 .. n),
 * or the quicksort when tmp is NULL). */
void px_align__sort_keys(uint32_t *v, size_t n, uint32_t *tmp);

/* Gale-Church: -log P(match | delta) for source and target lengths ls, lt
 * under target/source ratio c and variance s2 per source character. */
double px_align__len_cost(double ls, double lt, double c, double s2);

/* Estimate ratio and variance from 1-1 pairs (robust: median ratio, then
 * a trimmed variance).  Falls back to the totals' ratio and s2 = 6.8*c
 * when fewer than 5 pairs are given. */
void px_align__len_estimate(double *c_out, double *s2_out, const double *ls,
                            const double *lt, size_t n, double tot_s,
                            double tot_t);

#endif
