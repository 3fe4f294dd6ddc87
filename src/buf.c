/*
 * buf.c: capped growable byte buffers (see buf.h).
 */
#include "buf.h"

#include <stdio.h>
#include <string.h>

#include "error.h"
#include "mem.h"

int px_mem__grow(void **arr, size_t *cap, size_t elem) {
  size_t ncap = *cap ? *cap * 2 : 16;
  if (ncap > SIZE_MAX / elem)
    return px_error_nomem();
  void *p = px_realloc(*arr, ncap * elem);
  if (!p)
    return PX_ENOMEM;
  *arr = p;
  *cap = ncap;
  return 0;
}

void px_buf_init(px_buf *b, size_t max) {
  b->ptr = NULL;
  b->len = b->cap = 0;
  b->max = max;
}

void px_buf_dispose(px_buf *b) {
  px_free(b->ptr);
  b->ptr = NULL;
  b->len = b->cap = 0;
}

void px_buf_clear(px_buf *b) {
  b->len = 0;
  if (b->ptr)
    b->ptr[0] = '\0';
}

int px_buf_reserve(px_buf *b, size_t n) {
  size_t max = b->max ? b->max : SIZE_MAX / 2;
  if (n > max || b->len > max - n)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_NONE, 0,
                        "text exceeds the limit of %zu bytes", max);
  size_t need = b->len + n + 1;
  if (need <= b->cap)
    return 0;
  size_t ncap = b->cap ? b->cap : 64;
  while (ncap < need)
    ncap = ncap > SIZE_MAX / 2 ? need : ncap * 2;
  char *p = px_realloc(b->ptr, ncap);
  if (!p)
    return PX_ENOMEM;
  b->ptr = p;
  b->cap = ncap;
  return 0;
}

int px_buf_put(px_buf *b, const void *s, size_t len) {
  int rc = px_buf_reserve(b, len);
  if (rc < 0)
    return rc;
  if (len)
    memcpy(b->ptr + b->len, s, len);
  b->len += len;
  b->ptr[b->len] = '\0';
  return 0;
}

int px_buf_puts(px_buf *b, const char *s) {
  return px_buf_put(b, s, strlen(s));
}

int px_buf_putc(px_buf *b, char c) { return px_buf_put(b, &c, 1); }

int px_buf_vprintf(px_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0)
    return px_error_set(PX_ERROR, PX_ERRCLASS_NONE, 0, "bad format string");
  int rc = px_buf_reserve(b, (size_t)n);
  if (rc < 0)
    return rc;
  vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int px_buf_printf(px_buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int rc = px_buf_vprintf(b, fmt, ap);
  va_end(ap);
  return rc;
}

char *px_buf_detach(px_buf *b, size_t *len_out) {
  char *p = b->ptr;
  size_t len = b->len;
  if (!p) {
    p = px_strndup("", 0);
    if (!p)
      return NULL;
  }
  b->ptr = NULL;
  b->len = b->cap = 0;
  if (len_out)
    *len_out = len;
  return p;
}
