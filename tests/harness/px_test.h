/*
 * px_test.h: the unit-test harness.  A test is a function declared with
 * PX_TEST(test_<area>_<topic>__<case>); it registers itself before main()
 * runs.  The test executable runs every test, or only those named on its
 * command line (`test_text test_text_utf8__bad_byte`), or lists them with
 * --list.  Checks record a failure and carry on; the closing line is
 * "N passed, N failed".
 *
 * Tests use the real dependencies: a temporary directory from
 * px_test_tmpdir() is a real directory, removed after the test.
 */
#ifndef PX_TEST_H
#define PX_TEST_H

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "parallax.h"

typedef void (*px_test_fn)(void);
void px_test_register(const char *name, px_test_fn fn);
void px_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define PX_TEST(name)                                                          \
  static void name(void);                                                      \
  __attribute__((constructor)) static void name##__reg(void) {                 \
    px_test_register(#name, name);                                             \
  }                                                                            \
  static void name(void)

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond))                                                               \
      px_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond);                    \
  } while (0)

/* CHECK_OK(expr): expr returns 0; otherwise prints the library's message. */
#define CHECK_OK(expr)                                                         \
  do {                                                                         \
    int px_rc_ = (expr);                                                       \
    if (px_rc_ != 0)                                                           \
      px_test_fail(__FILE__, __LINE__, "%s returned %d (%s): %s", #expr,       \
                   px_rc_, px_strerror(px_rc_), px_error_last()->message);     \
  } while (0)

/* CHECK_ERR(expr, code): expr fails with code and sets a message. */
#define CHECK_ERR(expr, code)                                                  \
  do {                                                                         \
    int px_rc_ = (expr);                                                       \
    if (px_rc_ != (code))                                                      \
      px_test_fail(__FILE__, __LINE__, "%s returned %d, expected %s (%d)",     \
                   #expr, px_rc_, #code, (code));                              \
    else if (px_error_last()->message[0] == '\0')                              \
      px_test_fail(__FILE__, __LINE__, "%s failed without a message", #expr);  \
  } while (0)

#define CHECK_INT(a, b)                                                        \
  do {                                                                         \
    long long px_a_ = (long long)(a), px_b_ = (long long)(b);                  \
    if (px_a_ != px_b_)                                                        \
      px_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b,       \
                   px_a_, px_b_);                                              \
  } while (0)

#define CHECK_STR(a, b)                                                        \
  do {                                                                         \
    const char *px_a_ = (a), *px_b_ = (b);                                     \
    if (!px_a_ || !px_b_ || strcmp(px_a_, px_b_) != 0)                         \
      px_test_fail(__FILE__, __LINE__,                                         \
                   "%s == %s:\n    got      \"%s\"\n"                          \
                   "    expected \"%s\"",                                      \
                   #a, #b, px_a_ ? px_a_ : "(null)",                           \
                   px_b_ ? px_b_ : "(null)");                                  \
  } while (0)

/* CHECK_MEM(ptr, len, str): the (ptr, len) bytes equal the C string str. */
#define CHECK_MEM(p, n, s)                                                     \
  do {                                                                         \
    const char *px_p_ = (const char *)(p), *px_s_ = (s);                       \
    size_t px_n_ = (n);                                                        \
    if (px_n_ != strlen(px_s_) || memcmp(px_p_, px_s_, px_n_) != 0)            \
      px_test_fail(__FILE__, __LINE__,                                         \
                   "%s:\n    got      \"%.*s\"\n"                              \
                   "    expected \"%s\"",                                      \
                   #p, (int)px_n_, px_p_, px_s_);                              \
  } while (0)

/* A fresh directory for this test, removed (recursively) after it. */
const char *px_test_tmpdir(void);
/* tests/data/<rel>, in a static buffer valid until the next call. */
const char *px_test_data(const char *rel);
/* Whole file, NUL-terminated, owned by the caller (free()); NULL on error. */
char *px_test_slurp(const char *path, size_t *len_out);
/* Write len bytes to path; 0 or -1. */
int px_test_write(const char *path, const char *data, size_t len);

#endif
