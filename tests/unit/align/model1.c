/*
 * model1.c: IBM Model 1 training on a toy corpus whose answer is known.
 */
#include <math.h>
#include <string.h>

#include "align.h"
#include "px_test.h"

/* Source words: 0 "das", 1 "haus", 2 "buch", 3 "ein"; target: 0 "the",
 * 1 "house", 2 "book", 3 "a".  Each pair translates word for word. */
PX_TEST(test_align_model1__toy_corpus) {
  static const uint32_t s_ids[] = {0, 1, 0, 2, 3, 2, 3, 1};
  static const uint32_t t_ids[] = {0, 1, 0, 2, 3, 2, 3, 1};
  static const size_t off[] = {0, 2, 4, 6, 8};
  px_align__m1_corpus c = {4, off, s_ids, off, t_ids};
  px_align__m1 *m = NULL;
  CHECK_OK(px_align__m1_train(&m, &c, 4, 4, 20, 1000));
  CHECK(m != NULL);
  if (!m)
    return;
  CHECK(px_align__m1_prob(m, 1, 1) > 0.6); /* haus -> house */
  CHECK(px_align__m1_prob(m, 2, 2) > 0.6); /* buch -> book */
  CHECK(px_align__m1_prob(m, 1, 1) > px_align__m1_prob(m, 1, 0));
  CHECK(px_align__m1_prob(m, 0, 3) == 0.0); /* never co-occurred */
  uint32_t e[4 * 2];
  float pr[4 * 2];
  uint8_t n[4];
  px_align__m1_tops(m, 2, 0.1, e, pr, n);
  CHECK(n[2] >= 1);
  CHECK_INT(e[2 * 2], 2);
  CHECK(n[2] < 2 || pr[2 * 2] >= pr[2 * 2 + 1]);
  /* the table is capped */
  CHECK(px_align__m1_size(m) <= 1000 + 5);
  px_align__m1_free(m);
  px_align__m1_free(NULL);
}

PX_TEST(test_align_model1__cap_bounds_entries) {
  static const uint32_t s_ids[] = {0, 1, 2, 3, 4, 5};
  static const uint32_t t_ids[] = {0, 1, 2, 3, 4, 5};
  static const size_t off[] = {0, 6};
  px_align__m1_corpus c = {1, off, s_ids, off, t_ids};
  px_align__m1 *m = NULL;
  CHECK_OK(px_align__m1_train(&m, &c, 6, 6, 3, 10));
  /* 10 (f, e) pairs at most, plus the empty word's 6 */
  CHECK(px_align__m1_size(m) <= 16);
  px_align__m1_free(m);
}

/* The rows an iteration visits are kept across iterations while they fit
 * a budget and resolved again, budget by budget, when they do not: the
 * table must come out the same either way, bit for bit, with the cap
 * cutting the same pairs. */
PX_TEST(test_align_model1__row_budget_same_table) {
  enum { NP = 60, NF = 40, NE = 35 };
  size_t s_off[NP + 1], t_off[NP + 1];
  uint32_t s_ids[NP * 9], t_ids[NP * 9];
  uint64_t x = 0x9E3779B97F4A7C15ULL;
  size_t ns = 0, nt = 0;
  s_off[0] = t_off[0] = 0;
  for (size_t p = 0; p < NP; p++) {
    /* pairs of 0..8 words a side (some empty), word i of a pair mostly
     * translating as word i */
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    size_t a = (size_t)(x % 9), b = (size_t)((x >> 8) % 9);
    for (size_t i = 0; i < a; i++)
      s_ids[ns++] = (uint32_t)((x >> (i * 3)) % NF);
    for (size_t i = 0; i < b; i++)
      t_ids[nt++] = i < a ? s_ids[ns - a + i] % NE : (uint32_t)((x >> 40) % NE);
    s_off[p + 1] = ns;
    t_off[p + 1] = nt;
  }
  px_align__m1_corpus c = {NP, s_off, s_ids, t_off, t_ids};
  /* budgets: all rows at once, about a tenth, one row at a time (a budget
   * below the longest row is raised to it) */
  const size_t budgets[] = {1u << 20, 200, 1};
  const size_t caps[] = {1000, 150};
  size_t full_size = 0;
  for (size_t ci = 0; ci < 2; ci++) {
    px_align__m1 *ref = NULL;
    CHECK_OK(
        px_align__m1_train_rows(&ref, &c, NF, NE, 4, caps[ci], budgets[0]));
    if (!ref)
      return;
    if (ci == 0)
      full_size = px_align__m1_size(ref);
    else /* the cap of 150 (plus the empty word's pairs) cut some */
      CHECK(px_align__m1_size(ref) <= 150 + NE && full_size > 150 + NE);
    for (size_t bi = 1; bi < 3; bi++) {
      px_align__m1 *m = NULL;
      CHECK_OK(
          px_align__m1_train_rows(&m, &c, NF, NE, 4, caps[ci], budgets[bi]));
      if (!m)
        break;
      CHECK_INT(px_align__m1_size(m), px_align__m1_size(ref));
      size_t diff = 0, nonzero = 0;
      for (uint32_t f = 0; f < NF; f++)
        for (uint32_t e = 0; e < NE; e++) {
          double a = px_align__m1_prob(ref, f, e),
                 b = px_align__m1_prob(m, f, e);
          diff += a != b;
          nonzero += a > 0;
        }
      CHECK_INT(diff, 0);
      CHECK(nonzero > 100);
      px_align__m1_free(m);
    }
    px_align__m1_free(ref);
  }
}

/* A corpus without target words (or without pairs) trains an empty
 * table, whatever the budget. */
PX_TEST(test_align_model1__empty_corpus) {
  static const uint32_t s_ids[] = {1, 2};
  static const size_t s_off[] = {0, 2, 2}, t_off[] = {0, 0, 0};
  px_align__m1_corpus c = {2, s_off, s_ids, t_off, s_ids};
  px_align__m1 *m = NULL;
  CHECK_OK(px_align__m1_train_rows(&m, &c, 3, 3, 4, 100, 1));
  CHECK_INT(px_align__m1_size(m), 0);
  CHECK(px_align__m1_prob(m, 1, 1) == 0.0);
  px_align__m1_free(m);
  px_align__m1_corpus none = {0, s_off, s_ids, t_off, s_ids};
  CHECK_OK(px_align__m1_train(&m, &none, 3, 3, 4, 100));
  CHECK_INT(px_align__m1_size(m), 0);
  px_align__m1_free(m);
}
