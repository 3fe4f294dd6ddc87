/* internal.c: the text.h helpers other modules build on (UTF-16 with
 * offset maps for segment.c, locale IDs, the ICU error translation). */
#include "mem.h"
#include "px_test.h"
#include "text.h"

#include <unicode/ustring.h>

PX_TEST(test_text_internal__to_utf16_with_offsets) {
  /* a, é (2 bytes), € (3 bytes), 😀 (4 bytes: two UTF-16 units), b */
  const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80"
                  "b";
  UChar *u = NULL;
  int32_t n = -1, *map = NULL;
  CHECK_OK(px_text__to_utf16(&u, &n, &map, s, strlen(s)));
  CHECK_INT(n, 6);
  if (n == 6) {
    CHECK_INT(u[0], 'a');
    CHECK_INT(u[1], 0xE9);
    CHECK_INT(u[2], 0x20AC);
    CHECK_INT(u[3], 0xD83D);
    CHECK_INT(u[4], 0xDE00);
    CHECK_INT(u[5], 'b');
    CHECK_INT(u[6], 0);
    int32_t want[] = {0, 1, 3, 6, 6, 10, 11};
    for (int i = 0; i <= 6; i++)
      CHECK_INT(map[i], want[i]);
  }
  /* And back. */
  char *back = NULL;
  size_t blen = 0;
  CHECK_OK(px_text__from_utf16(&back, &blen, u, n));
  CHECK_STR(back, s);
  CHECK_INT(blen, strlen(s));
  px_free(back);
  px_free(u);
  px_free(map);
  /* Without a map; empty input. */
  CHECK_OK(px_text__to_utf16(&u, &n, NULL, "", 0));
  CHECK_INT(n, 0);
  CHECK_INT(u[0], 0);
  px_free(u);
}

PX_TEST(test_text_internal__to_utf16_errors) {
  UChar *u = (UChar *)"x";
  int32_t n = 77, *map = (int32_t *)"y";
  CHECK_ERR(px_text__to_utf16(&u, &n, &map, "ab\xED\xA0\x80", 5), PX_EENCODING);
  CHECK_STR(px_error_last()->message, "invalid UTF-8 at byte 2");
  CHECK_INT(n, 77);
  for (long k = 0; k < 2; k++) {
    px_mem__fail_after(k);
    CHECK_ERR(px_text__to_utf16(&u, &n, &map, "abc", 3), PX_ENOMEM);
    px_mem__fail_after(-1);
  }
  CHECK_INT(n, 77);
  CHECK_STR((const char *)u, "x");
  CHECK_STR((const char *)map, "y");
}

PX_TEST(test_text_internal__from_utf16_lone_surrogate) {
  UChar u[] = {'a', 0xD800, 'b', 0xDC00};
  char *out = NULL;
  CHECK_OK(px_text__from_utf16(&out, NULL, u, 4));
  CHECK_STR(out, "a\xEF\xBF\xBD"
                 "b\xEF\xBF\xBD");
  px_free(out);
}

PX_TEST(test_text_internal__locale_ids) {
  char buf[64];
  px_text__locale(buf, sizeof buf, "pt-BR");
  CHECK_STR(buf, "pt_BR");
  px_text__locale(buf, sizeof buf, "fa");
  CHECK_STR(buf, "fa");
  px_text__locale(buf, sizeof buf, "sr-Latn-RS");
  CHECK_STR(buf, "sr_Latn_RS");
  px_text__locale(buf, sizeof buf, NULL);
  CHECK_STR(buf, "");
  px_text__locale(buf, sizeof buf, "");
  CHECK_STR(buf, "");
  /* Truncation never overruns. */
  char small[4];
  px_text__locale(small, sizeof small, "en-Latn-US");
  CHECK(strlen(small) < sizeof small);
}

PX_TEST(test_text_internal__icu_error_translation) {
  CHECK_INT(px_text__icu_error(U_ILLEGAL_ARGUMENT_ERROR, "doing a thing"),
            PX_EUNICODE);
  CHECK_INT(px_error_last()->cause, U_ILLEGAL_ARGUMENT_ERROR);
  CHECK_INT(px_error_last()->klass, PX_ERRCLASS_TEXT);
  CHECK_STR(px_error_last()->message,
            "doing a thing: U_ILLEGAL_ARGUMENT_ERROR");
  CHECK_INT(px_text__icu_error(U_MEMORY_ALLOCATION_ERROR, "x"), PX_ENOMEM);
}
