/*
 * postings.c: the buffered word postings of a write transaction (tm.c's
 * pending_flush): many new units per term go in with one MDB_MULTIPLE
 * put, and a posting that an earlier flush of the same transaction
 * already stored (a delete flushes first) is written one by one and
 * skipped, so a merge after a flush neither fails nor duplicates.
 */
#include <stdio.h>
#include <string.h>

#include "px_test.h"
#include "tmhelp.h"

static size_t hits(px_tm *tm, const char *phrase, const char *lang) {
  px_concord_hit *h = NULL;
  size_t n = 0;
  px_concord_opts o = PX_CONCORD_OPTS_INIT;
  o.limit = 10000;
  CHECK_OK(px_tm_concordance(&h, &n, tm, phrase, strlen(phrase), lang, &o));
  px_tm_concord_free(h, n);
  return n;
}

PX_TEST(test_tm_postings__many_units_per_term) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  for (int i = 0; i < 300; i++) {
    char en[64], fr[64];
    snprintf(en, sizeof en, "alpha beta number%d", i);
    snprintf(fr, sizeof fr, "alpha bêta numéro%d", i);
    tm_add_pair(txn, "en", en, "fr", fr, NULL);
  }
  CHECK_OK(px_tm_txn_commit(txn));
  CHECK_INT(hits(tm, "alpha beta", "en"), 300);
  CHECK_INT(hits(tm, "number17", "en"), 1);
  CHECK_INT(hits(tm, "beta", "fr"), 300);
  px_tm_close(tm);
}

PX_TEST(test_tm_postings__merge_after_flush) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  px_tm_txn *txn = NULL;
  uint64_t a = 0, b = 0, a2 = 0;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  a = tm_add_pair(txn, "en", "alpha gamma", "fr", "alpha gamma fr", NULL);
  b = tm_add_pair(txn, "en", "delta", "fr", "delta fr", NULL);
  CHECK_OK(px_tm_delete_unit(txn, b)); /* flushes a's postings */
  /* en the same, en-gb new: merged into a, whose (en, alpha) posting is
   * stored already; zeta's unit makes "alpha" a run of two */
  a2 = tm_add_pair(txn, "en", "alpha gamma", "en-GB", "alpha gamma", NULL);
  tm_add_pair(txn, "en", "alpha zeta", "fr", "alpha zeta fr", NULL);
  CHECK_OK(px_tm_txn_commit(txn));
  CHECK_INT((int)a2, (int)a);
  CHECK_INT(hits(tm, "zeta", "en"), 1);
  CHECK_INT(hits(tm, "delta", "en"), 0);
  size_t n = hits(tm, "alpha", "en");
  CHECK(n >= 2);
  px_tm_close(tm);
}
