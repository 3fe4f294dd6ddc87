/*
 * mem.c: the one allocator.  Everything the library hands out comes from
 * here and goes back through px_free(), so a program never mixes
 * allocators.  Tests inject allocation failures with px_mem__fail_after()
 * to walk the out-of-memory paths.
 */
#include "mem.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"

/* -1: never fail; n >= 0: the (n+1)th allocation from now fails. */
static _Thread_local long fail_countdown = -1;

void px_mem__fail_after(long n) { fail_countdown = n; }

static int injected_failure(void) {
  if (fail_countdown < 0)
    return 0;
  if (fail_countdown == 0) {
    fail_countdown = -1;
    return 1;
  }
  fail_countdown--;
  return 0;
}

void *px_malloc(size_t size) {
  void *p = injected_failure() ? NULL : malloc(size ? size : 1);
  if (!p)
    px_error_nomem();
  return p;
}

void *px_calloc(size_t n, size_t size) {
  void *p = injected_failure() ? NULL : calloc(n ? n : 1, size ? size : 1);
  if (!p)
    px_error_nomem();
  return p;
}

void *px_realloc(void *p, size_t size) {
  void *q = injected_failure() ? NULL : realloc(p, size ? size : 1);
  if (!q)
    px_error_nomem();
  return q;
}

void px_free(void *p) { free(p); }

char *px_strndup(const char *s, size_t len) {
  char *d = px_malloc(len + 1);
  if (!d)
    return NULL;
  if (len)
    memcpy(d, s, len);
  d[len] = '\0';
  return d;
}
