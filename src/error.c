/*
 * error.c: the one error convention.  Every failing call returns a negative
 * px_error_code and leaves a one-line message in thread-local storage, so
 * the CLI can print "parallax <cmd>: <message>" and a program can show its
 * user the same line.  px_strerror() names the code.
 */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static _Thread_local px_error last_error;

const px_error *px_error_last(void) { return &last_error; }

void px_error_clear(void) { memset(&last_error, 0, sizeof last_error); }

int px_error_set(int code, int klass, long cause, const char *fmt, ...) {
  va_list ap;
  last_error.code = code;
  last_error.klass = klass;
  last_error.cause = cause;
  va_start(ap, fmt);
  vsnprintf(last_error.message, sizeof last_error.message, fmt, ap);
  va_end(ap);
  /* One line: a message never carries a newline into a terminal. */
  for (char *p = last_error.message; *p; p++)
    if (*p == '\n' || *p == '\r')
      *p = ' ';
  return code;
}

int px_error_prefix(const char *fmt, ...) {
  char prefix[256], old[sizeof last_error.message];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(prefix, sizeof prefix, fmt, ap);
  va_end(ap);
  memcpy(old, last_error.message, sizeof old);
  size_t n = strlen(prefix);
  if (n > sizeof last_error.message - 3)
    n = sizeof last_error.message - 3;
  memcpy(last_error.message, prefix, n);
  memcpy(last_error.message + n, ": ", 2);
  size_t rest = sizeof last_error.message - n - 3;
  size_t olen = strnlen(old, sizeof old);
  if (olen > rest)
    olen = rest;
  memcpy(last_error.message + n + 2, old, olen);
  last_error.message[n + 2 + olen] = '\0';
  return last_error.code;
}

int px_error_nomem(void) {
  return px_error_set(PX_ENOMEM, PX_ERRCLASS_NOMEM, 0, "out of memory");
}

const char *px_strerror(int code) {
  switch (code) {
  case PX_OK: return "success";
  case PX_ERROR: return "error";
  case PX_EINVALID: return "invalid argument";
  case PX_ENOMEM: return "out of memory";
  case PX_ENOTFOUND: return "not found";
  case PX_EEXISTS: return "already exists";
  case PX_ETOOBIG: return "input too big";
  case PX_EENCODING: return "invalid UTF-8";
  case PX_EPARSE: return "malformed input";
  case PX_EIO: return "I/O error";
  case PX_ESTORE: return "store error";
  case PX_EUNICODE: return "Unicode (ICU) error";
  case PX_EDICT: return "dictionary error";
  case PX_ESCHEMA: return "store schema mismatch";
  case PX_EREADONLY: return "store is read-only";
  case PX_ITEROVER: return "end of iteration";
  default: return "unknown error";
  }
}
