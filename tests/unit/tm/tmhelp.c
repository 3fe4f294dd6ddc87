/*
 * tmhelp.c: helpers of the translation-memory tests (tmhelp.h).
 */
#include "tmhelp.h"

#include <string.h>

#include "px_test.h"

uint64_t tm_add_pair(px_tm_txn *txn, const char *l1, const char *t1,
                     const char *l2, const char *t2, int *was_new) {
  px_variant v[2];
  memset(v, 0, sizeof v);
  v[0].lang = l1;
  v[0].text = t1;
  v[0].len = strlen(t1);
  v[1].lang = l2;
  v[1].text = t2;
  v[1].len = strlen(t2);
  px_unit u;
  memset(&u, 0, sizeof u);
  u.confidence = -1;
  u.variants = v;
  u.nvariants = 2;
  uint64_t id = 0;
  int nw = -1;
  CHECK_OK(px_tm_add(txn, &u, &id, &nw));
  if (was_new)
    *was_new = nw;
  return id;
}
