/* core.c: errors, the allocator and capped buffers. */
#include "buf.h"
#include "error.h"
#include "mem.h"
#include "px_test.h"

#include <stdlib.h>

PX_TEST(test_core_error__set_and_read) {
  int rc =
      px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 4, "a.tmx:%d:%d: bad", 3, 7);
  CHECK_INT(rc, PX_EPARSE);
  CHECK_INT(px_error_last()->code, PX_EPARSE);
  CHECK_INT(px_error_last()->cause, 4);
  CHECK_STR(px_error_last()->message, "a.tmx:3:7: bad");
  px_error_prefix("file.txt");
  CHECK_STR(px_error_last()->message, "file.txt: a.tmx:3:7: bad");
  px_error_clear();
  CHECK_INT(px_error_last()->code, 0);
}

PX_TEST(test_core_error__one_line) {
  px_error_set(PX_EIO, PX_ERRCLASS_OS, 0, "two\nlines\r");
  CHECK_STR(px_error_last()->message, "two lines ");
}

PX_TEST(test_core_error__strerror_every_code) {
  for (int c = PX_ITEROVER; c <= 0; c++)
    CHECK(px_strerror(c) != NULL);
  CHECK_STR(px_strerror(PX_EENCODING), "invalid UTF-8");
  CHECK_STR(px_strerror(12345), "unknown error");
}

PX_TEST(test_core_mem__injected_failure_sets_error) {
  px_mem__fail_after(1);
  void *a = px_malloc(8);
  void *b = px_malloc(8);
  CHECK(a != NULL);
  CHECK(b == NULL);
  CHECK_INT(px_error_last()->code, PX_ENOMEM);
  void *c = px_malloc(8);
  CHECK(c != NULL);
  px_free(a);
  px_free(c);
  px_free(NULL);
}

PX_TEST(test_core_buf__cap_refuses_growth) {
  px_buf b;
  px_buf_init(&b, 10);
  CHECK_OK(px_buf_puts(&b, "0123456789"));
  CHECK_ERR(px_buf_putc(&b, 'x'), PX_ETOOBIG);
  CHECK_INT(b.len, 10);
  CHECK_STR(b.ptr, "0123456789");
  px_buf_dispose(&b);
}

PX_TEST(test_core_buf__printf_and_detach) {
  px_buf b = PX_BUF_INIT;
  CHECK_OK(px_buf_printf(&b, "%s-%d", "ab", 42));
  CHECK_OK(px_buf_printf(&b, "|%0200d", 0));
  CHECK_INT(b.len, 5 + 201);
  size_t n;
  char *s = px_buf_detach(&b, &n);
  CHECK_INT(n, 206);
  CHECK(strncmp(s, "ab-42|000", 9) == 0);
  CHECK(b.ptr == NULL);
  px_free(s);
  char *e = px_buf_detach(&b, &n);
  CHECK_STR(e, "");
  px_free(e);
}

PX_TEST(test_core_paths__env_overrides) {
  setenv("PARALLAX_TM", "/somewhere/tm", 1);
  CHECK_STR(px_tm_default_path(), "/somewhere/tm");
  unsetenv("PARALLAX_TM");
  CHECK_STR(px_tm_default_path(), "tm");
  setenv("PARALLAX_DICTDIR", "/d", 1);
  CHECK_STR(px_dict_dir(), "/d");
  unsetenv("PARALLAX_DICTDIR");
}
