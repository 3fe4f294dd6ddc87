/*
 * error.h: setting the thread's last error (internal).
 *
 * At the failure point: `return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX,
 * xml_code, "%s:%lu:%lu: %s", path, line, col, what);`.  Callers propagate
 * the code unchanged and never re-word the message (libgit2's rule).
 * Foreign codes are translated in one place per dependency: tm.c (MDB_),
 * text.c (UErrorCode), tmx_read.c (XML_Error), names.c (Hunspell).
 */
#ifndef PX_ERROR_H
#define PX_ERROR_H

#include "parallax.h"

/* Record code, class, cause and a printf-style one-line message as the
 * thread's last error; returns code so it can end a `return` statement. */
int px_error_set(int code, int klass, long cause, const char *fmt, ...)
    PX_PRINTF(4, 5);

/* Prefix the existing message with "prefix: " (e.g. a file name the lower
 * layer did not know) and return the existing code. */
int px_error_prefix(const char *fmt, ...) PX_PRINTF(1, 2);

/* Record an out-of-memory error; returns PX_ENOMEM. */
int px_error_nomem(void);

/* Caller mistakes: PX_ASSERT_ARG(p) returns PX_EINVALID naming the
 * expression.  Broken internal invariants use assert(). */
#define PX_ASSERT_ARG(expr)                                                    \
  do {                                                                         \
    if (!(expr))                                                               \
      return px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,                 \
                          "invalid argument: %s", #expr);                      \
  } while (0)

#endif
