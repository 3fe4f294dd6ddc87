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
