/*
 * mem.h: allocation internals.  px_malloc() and friends are public (see
 * parallax.h); this adds the test hook and a growth helper.
 */
#ifndef PX_MEM_H
#define PX_MEM_H

#include "parallax.h"

/* Test hook: make the (n+1)th allocation from now on this thread fail;
 * -1 turns injection off. */
void px_mem__fail_after(long n);

/* PX_GROW(arr, count, cap): make room for one more element in a px_malloc'd
 * array, doubling its capacity.  Evaluates to 0 or PX_ENOMEM. */
#define PX_GROW(arr, count, cap)                                               \
  ((count) < (cap) ? 0 : px_mem__grow((void **)&(arr), &(cap), sizeof *(arr)))
int px_mem__grow(void **arr, size_t *cap, size_t elem);

#endif
