/*
 * tmhelp.h: what the translation-memory tests share.
 */
#ifndef PX_TEST_TMHELP_H
#define PX_TEST_TMHELP_H

#include <stdint.h>

#include "parallax.h"

/* Adds a unit of two variants (l1: t1, l2: t2) in txn, failing the test
 * if px_tm_add() does; returns its id (*was_new, if given: as
 * px_tm_add() says). */
uint64_t tm_add_pair(px_tm_txn *txn, const char *l1, const char *t1,
                     const char *l2, const char *t2, int *was_new);

#endif
