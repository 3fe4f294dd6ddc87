/* utf8.c: strict UTF-8 validation (every kind of ill-formed sequence, with
 * its byte offset), the code-point iterator and character classes. */
#include "px_test.h"

/* Validation of (s, len) fails at byte want, with the documented message. */
static void check_bad(const char *s, size_t len, size_t want) {
  size_t off = 12345;
  char msg[64];
  CHECK_ERR(px_text_validate(s, len, &off), PX_EENCODING);
  CHECK_INT(off, want);
  snprintf(msg, sizeof msg, "invalid UTF-8 at byte %zu", want);
  CHECK_STR(px_error_last()->message, msg);
  CHECK_INT(px_error_last()->klass, PX_ERRCLASS_TEXT);
}

PX_TEST(test_text_utf8__valid_text_of_every_length) {
  const char *ok[] = {"",
                      "a",
                      "plain ASCII text, longer than eight bytes",
                      "caf\xC3\xA9",            /* 2 bytes */
                      "\xE2\x82\xAC 100",       /* 3 bytes */
                      "\xF0\x9F\x98\x80 smile", /* 4 bytes */
                      "\xEF\xBB\xBF"
                      "BOM first",        /* BOM is valid */
                      "\xF4\x8F\xBF\xBF", /* U+10FFFF */
                      "\xED\x9F\xBF",     /* U+D7FF */
                      "\xEE\x80\x80",     /* U+E000 */
                      "روحانی Роухани"};
  for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
    size_t off = 777;
    CHECK_OK(px_text_validate(ok[i], strlen(ok[i]), &off));
    CHECK_INT(off, 777); /* untouched on success */
  }
  CHECK_OK(px_text_validate(NULL, 0, NULL));
  /* An embedded NUL is a valid character. */
  CHECK_OK(px_text_validate("a\0b", 3, NULL));
}

PX_TEST(test_text_utf8__each_kind_of_bad_sequence) {
  check_bad("abc\x80", 4, 3);            /* stray continuation */
  check_bad("ab\xC0\xAF", 4, 2);         /* overlong '/' (C0) */
  check_bad("\xC1\xBF", 2, 0);           /* overlong (C1) */
  check_bad("x\xE0\x80\xAF", 4, 1);      /* overlong 3-byte */
  check_bad("xy\xF0\x80\x80\xAF", 6, 2); /* overlong 4-byte */
  check_bad("12345\xED\xA0\x80", 8, 5);  /* surrogate U+D800 */
  check_bad("\xED\xBF\xBF", 3, 0);       /* surrogate U+DFFF */
  check_bad("\xF4\x90\x80\x80", 4, 0);   /* U+110000 */
  check_bad("\xF5\x80\x80\x80", 4, 0);   /* lead F5 */
  check_bad("\xFF", 1, 0);               /* FF */
  check_bad("ok \xE2\x82", 5, 3);        /* truncated at the end */
  check_bad("ok \xE2\x82z", 6, 3);       /* truncated mid-text */
  check_bad("\xF0\x9F\x98", 3, 0);       /* truncated 4-byte */
  check_bad("\xC3", 1, 0);               /* lone lead */
  check_bad("\xC3\xC3\xA9", 3, 0);       /* lead then lead */
}

PX_TEST(test_text_utf8__offset_after_long_ascii_run) {
  /* The eight-bytes-at-a-time fast path must still report the exact byte. */
  char buf[100];
  memset(buf, 'a', sizeof buf);
  for (size_t at = 0; at < sizeof buf; at += 7) {
    char save = buf[at];
    buf[at] = (char)0x80;
    check_bad(buf, sizeof buf, at);
    buf[at] = save;
  }
  /* Only the first error counts. */
  memcpy(buf + 10, "\xFF", 1);
  memcpy(buf + 20, "\xFE", 1);
  check_bad(buf, sizeof buf, 10);
}

PX_TEST(test_text_utf8__every_call_refuses_bad_input) {
  const char *bad = "Rouhani \xC3(";
  size_t n = strlen(bad);
  char *out = (char *)"untouched";
  px_token *toks = (px_token *)"x";
  size_t count = 99;
  CHECK_ERR(px_text_normalize(&out, NULL, bad, n, PX_NORM_KEY), PX_EENCODING);
  CHECK_ERR(px_text_key(&out, NULL, bad, n), PX_EENCODING);
  CHECK_ERR(px_text_tokenize(&toks, &count, bad, n, "en"), PX_EENCODING);
  CHECK_ERR(px_text_translit(&out, NULL, bad, n, "Any-Latin"), PX_EENCODING);
  CHECK_ERR(px_text_romanize(&out, NULL, bad, n, NULL), PX_EENCODING);
  CHECK_ERR(px_text_skeleton(&out, NULL, bad, n), PX_EENCODING);
  CHECK_ERR(px_text_digits_for_lang(&out, NULL, bad, n, "fa"), PX_EENCODING);
  CHECK_STR(px_error_last()->message, "invalid UTF-8 at byte 8");
  CHECK_STR(out, "untouched");
  CHECK_STR((const char *)toks, "x");
  CHECK_INT(count, 99);
}

PX_TEST(test_text_utf8__next_walks_code_points) {
  const char *s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
  size_t len = strlen(s), pos = 0;
  CHECK_INT(px_text_next(s, len, &pos), 'a');
  CHECK_INT(pos, 1);
  CHECK_INT(px_text_next(s, len, &pos), 0xE9);
  CHECK_INT(pos, 3);
  CHECK_INT(px_text_next(s, len, &pos), 0x20AC);
  CHECK_INT(pos, 6);
  CHECK_INT(px_text_next(s, len, &pos), 0x1F600);
  CHECK_INT(pos, 10);
  /* Bad bytes give -1 and advance by one. */
  const char *b = "\xC3x\xED\xA0\x80";
  pos = 0;
  CHECK_INT(px_text_next(b, 5, &pos), -1);
  CHECK_INT(pos, 1);
  CHECK_INT(px_text_next(b, 5, &pos), 'x');
  CHECK_INT(px_text_next(b, 5, &pos), -1);
  CHECK_INT(pos, 3);
  /* Truncated at the end of the given length. */
  pos = 0;
  CHECK_INT(px_text_next("\xE2\x82\xAC", 2, &pos), -1);
  CHECK_INT(pos, 1);
}

PX_TEST(test_text_utf8__character_classes) {
  CHECK(px_text_is_space(' '));
  CHECK(px_text_is_space(0x00A0));  /* NBSP */
  CHECK(px_text_is_space(0x2009));  /* thin space */
  CHECK(!px_text_is_space(0x200C)); /* ZWNJ is not a space */
  CHECK(!px_text_is_space(-1));
  CHECK(px_text_is_letter(0x0698)); /* ژ */
  CHECK(px_text_is_letter(0x0416)); /* Ж */
  CHECK(!px_text_is_letter('7'));
  CHECK(px_text_is_punct(0x060C)); /* Arabic comma */
  CHECK(px_text_is_punct(0x00AB)); /* « */
  CHECK(!px_text_is_punct('$'));
  CHECK_INT(px_text_digit_value(0x06F7), 7); /* ۷ */
  CHECK_INT(px_text_digit_value(0x0663), 3); /* ٣ */
  CHECK_INT(px_text_digit_value('9'), 9);
  CHECK_INT(px_text_digit_value(0x00B2), -1); /* superscript two: No */
  CHECK_INT(px_text_digit_value('x'), -1);
}
