/*
 * buf.h: a growable byte buffer with a cap (curl's dynbuf idea): every
 * buffer fed by input has a maximum, and appending past it fails with
 * PX_ETOOBIG instead of eating the machine.  The bytes are always
 * NUL-terminated, so buf.ptr can be handed to C string functions.
 */
#ifndef PX_BUF_H
#define PX_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "parallax.h"

typedef struct px_buf {
  char *ptr;  /* the bytes, NUL-terminated; NULL until the first append */
  size_t len; /* bytes used, not counting the NUL */
  size_t cap; /* bytes allocated */
  size_t max; /* largest len allowed; 0 means SIZE_MAX/2 */
} px_buf;

#define PX_BUF_INIT                                                            \
  { NULL, 0, 0, 0 }

/* Start an empty buffer that may hold at most max bytes (0: no cap). */
void px_buf_init(px_buf *b, size_t max);
/* Free the bytes; b is empty and reusable afterwards. */
void px_buf_dispose(px_buf *b);
/* Forget the content but keep the allocation. */
void px_buf_clear(px_buf *b);
/* Append; 0, PX_ENOMEM or PX_ETOOBIG (b unchanged on failure). */
int px_buf_put(px_buf *b, const void *s, size_t len);
int px_buf_puts(px_buf *b, const char *s);
int px_buf_putc(px_buf *b, char c);
int px_buf_printf(px_buf *b, const char *fmt, ...) PX_PRINTF(2, 3);
int px_buf_vprintf(px_buf *b, const char *fmt, va_list ap);
/* Make room for n more bytes. */
int px_buf_reserve(px_buf *b, size_t n);
/* Hand the bytes to the caller (free with px_free(); never NULL: an empty
 * buffer gives ""); b is empty afterwards.  NULL only when out of memory. */
char *px_buf_detach(px_buf *b, size_t *len_out);

#endif
