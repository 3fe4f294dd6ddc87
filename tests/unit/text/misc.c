/* misc.c: digits for a language, language guessing and tags, hashing, edit
 * distances, and the per-thread caches under several threads. */
#include "mem.h"
#include "px_test.h"
#include "text.h"

#include <pthread.h>

PX_TEST(test_text_digits__for_lang) {
  char *out = NULL;
  size_t n;
  CHECK_OK(px_text_digits_for_lang(&out, &n, "News ID 124464", 14, "fa"));
  CHECK_STR(out, "News ID \xDB\xB1\xDB\xB2\xDB\xB4\xDB\xB4\xDB\xB6\xDB\xB4");
  CHECK_INT(n, strlen(out));
  px_free(out);
  CHECK_OK(px_text_digits_for_lang(&out, NULL, "3.5", 3, "ar-EG"));
  CHECK_STR(out, "\xD9\xA3.\xD9\xA5");
  px_free(out);
  CHECK_OK(px_text_digits_for_lang(&out, NULL, "2017", 4, "ru"));
  CHECK_STR(out, "2017");
  px_free(out);
  CHECK_OK(px_text_digits_for_lang(&out, NULL, "7", 1, NULL));
  CHECK_STR(out, "7");
  px_free(out);
  /* Round trip through PX_NORM_DIGITS. */
  char *back;
  CHECK_OK(px_text_digits_for_lang(&out, &n, "0123456789", 10, "FA"));
  CHECK_OK(px_text_normalize(&back, NULL, out, n, PX_NORM_DIGITS));
  CHECK_STR(back, "0123456789");
  px_free(out);
  px_free(back);
}

PX_TEST(test_text_guess_lang__scripts) {
#define GUESS(s) px_text_guess_lang(s, strlen(s), "en")
  CHECK_STR(GUESS("\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD, 2017"), "ru");
  CHECK_STR(GUESS("\xD8\xB1\xD9\x88\xD8\xAD\xD8\xA7\xD9\x86\xDB\x8C"), "fa");
  CHECK_STR(GUESS("\xD9\x82\xD8\xA7\xD9\x84 \xD8\xA7\xD9\x84\xD8\xB1\xD8\xA6"
                  "\xD9\x8A\xD8\xB3"),
            "ar"); /* قال الرئيس */
  CHECK_STR(GUESS("\xCE\x91\xCE\xB8\xCE\xAE\xCE\xBD\xCE\xB1"), "el");
  CHECK_STR(GUESS("\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"), "he");
  CHECK_STR(GUESS("\xE4\xB8\xAD\xE6\x96\x87\xE6\x96\x87\xE6\x9C\xAC"), "zh");
  CHECK_STR(
      GUESS("\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE\xE3\x83\x86"),
      "ja");
  CHECK_STR(GUESS("\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4"), "ko");
  CHECK_STR(GUESS("\xE0\xA4\xB9\xE0\xA4\xBF\xE0\xA4\xA8\xE0\xA5\x8D\xE0\xA4\xA6"
                  "\xE0\xA5\x80"),
            "hi");
  CHECK_STR(GUESS("\xE0\xB8\xA0\xE0\xB8\xB2\xE0\xB8\xA9\xE0\xB8\xB2"), "th");
  CHECK_STR(GUESS("\xD5\x80\xD5\xA1\xD5\xB5"), "hy");
  CHECK_STR(GUESS("\xE1\x83\xA5\xE1\x83\x90\xE1\x83\xA0"), "ka");
  /* Latin, digits only, empty and NULL give the fallback. */
  CHECK_STR(GUESS("Hello world"), "en");
  CHECK_STR(px_text_guess_lang("123 456 !!", 10, "xx"), "xx");
  CHECK(px_text_guess_lang("", 0, NULL) == NULL);
  CHECK_STR(px_text_guess_lang(NULL, 5, "de"), "de");
  /* Mostly Persian with some English: still fa. */
  CHECK_STR(GUESS("MNA \xD8\xB1\xD9\x88\xD8\xAD\xD8\xA7\xD9\x86\xDB\x8C "
                  "\xD9\xBE\xD9\x88\xD8\xAA\xDB\x8C\xD9\x86"),
            "fa");
  /* Invalid bytes are skipped, not fatal. */
  CHECK_STR(GUESS("\xFF\xD0\x9F\xD1\x83\xD1\x82\xFE"), "ru");
#undef GUESS
}

PX_TEST(test_text_guess_lang__reads_only_64k) {
  size_t n = 70000;
  char *s = px_malloc(n + 4);
  memset(s, 'a', 65536);
  /* After the first 64 KiB: Cyrillic only, ignored. */
  for (size_t i = 65536; i + 1 < n; i += 2)
    memcpy(s + i, "\xD0\x96", 2);
  CHECK_STR(px_text_guess_lang(s, n, "en"), "en");
  /* A 3-byte character straddling the 64 KiB mark is not read past it. */
  memcpy(s + 65535, "\xE4\xB8\xAD", 3);
  CHECK_STR(px_text_guess_lang(s, 65538, "en"), "en");
  px_free(s);
}

PX_TEST(test_text_lang__tags) {
  CHECK(px_lang_equal("pt-BR", "pt-br"));
  CHECK(px_lang_equal("pt_BR", "PT-br"));
  CHECK(px_lang_equal("", ""));
  CHECK(!px_lang_equal("pt", "pt-BR"));
  CHECK(!px_lang_equal("fa", NULL));
  CHECK(!px_lang_equal(NULL, NULL));
  CHECK(px_lang_is("fa-IR", "fa"));
  CHECK(px_lang_is("FA", "fa"));
  CHECK(px_lang_is("fa_IR", "FA"));
  CHECK(!px_lang_is("fas", "fa"));
  CHECK(!px_lang_is("f", "fa"));
  CHECK(!px_lang_is(NULL, "fa"));
  CHECK(!px_lang_is("fa", ""));
  CHECK(!px_lang_is("fa", NULL));
}

PX_TEST(test_text_hash__stable_fnv1a) {
  /* Published FNV-1a 64 test vectors: the hash is stored, so it must never
   * change. */
  CHECK(px_text_hash("", 0) == UINT64_C(0xcbf29ce484222325));
  CHECK(px_text_hash("a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
  CHECK(px_text_hash("foobar", 6) == UINT64_C(0x85944171f73967e8));
  CHECK(px_text_hash(NULL, 0) == UINT64_C(0xcbf29ce484222325));
  CHECK(px_text_hash("ab", 2) != px_text_hash("ba", 2));
  CHECK(px_text_hash("a\0b", 3) != px_text_hash("a", 1));
}

PX_TEST(test_text_levenshtein__code_points) {
  size_t d = 99;
  CHECK_OK(px_text_levenshtein(&d, "kitten", 6, "sitting", 7));
  CHECK_INT(d, 3);
  CHECK_OK(px_text_levenshtein(&d, "", 0, "abc", 3));
  CHECK_INT(d, 3);
  CHECK_OK(px_text_levenshtein(&d, NULL, 0, NULL, 0));
  CHECK_INT(d, 0);
  /* One letter apart in Persian, though two bytes apart. */
  CHECK_OK(px_text_levenshtein(&d, "\xD9\xBE\xD9\x88\xD8\xAA\xDB\x8C\xD9\x86",
                               10, "\xD9\xBE\xD9\x88\xD8\xAA\xD9\x8A\xD9\x86",
                               10));
  CHECK_INT(d, 1);
  /* Long strings use the heap; out of memory leaves *out alone. */
  char a[400], b[400];
  memset(a, 'a', sizeof a);
  memset(b, 'a', sizeof b);
  b[0] = 'b';
  b[399] = 'c';
  CHECK_OK(px_text_levenshtein(&d, a, sizeof a, b, sizeof b));
  CHECK_INT(d, 2);
  d = 77;
  px_mem__fail_after(0);
  CHECK_ERR(px_text_levenshtein(&d, a, sizeof a, b, sizeof b), PX_ENOMEM);
  px_mem__fail_after(-1);
  CHECK_INT(d, 77);
}

PX_TEST(test_text_edit_distance__tokens) {
  uint64_t x[] = {1, 2, 3, 4, 5}, y[] = {1, 3, 4, 6, 5, 7};
  size_t d = 0;
  CHECK_OK(px_text_edit_distance(&d, x, 5, y, 6));
  CHECK_INT(d, 3);
  CHECK_OK(px_text_edit_distance(&d, y, 6, x, 5));
  CHECK_INT(d, 3);
  CHECK_OK(px_text_edit_distance(&d, x, 0, y, 6));
  CHECK_INT(d, 6);
  CHECK_OK(px_text_edit_distance(&d, NULL, 0, NULL, 0));
  CHECK_INT(d, 0);
  CHECK_ERR(px_text_edit_distance(NULL, x, 5, y, 6), PX_EINVALID);
}

/* Each thread tokenizes, normalizes and romanizes with its own caches. */
static void *worker(void *arg) {
  long *bad = arg;
  const char *s = "\xD8\xB1\xD9\x88\xD8\xAD\xD8\xA7\xD9\x86\xDB\x8C \xD9\x88 "
                  "\xD9\xBE\xD9\x88\xD8\xAA\xDB\x8C\xD9\x86 \xDB\xB2\xDB\xB8";
  for (int i = 0; i < 200; i++) {
    px_token *t = NULL;
    size_t n = 0;
    char *k = NULL, *r = NULL;
    if (px_text_tokenize(&t, &n, s, strlen(s), i % 2 ? "fa" : "ar") || n != 4)
      (*bad)++;
    if (px_text_key(&k, NULL, s, strlen(s)) || !strstr(k, "28"))
      (*bad)++;
    if (px_text_romanize(&r, NULL, s, strlen(s), "fa") ||
        strcmp(r, "rwhany w pwtyn") != 0)
      (*bad)++;
    px_free(t);
    px_free(k);
    px_free(r);
  }
  return NULL;
}

PX_TEST(test_text_threads__caches_are_per_thread) {
  pthread_t th[4];
  long bad[4] = {0, 0, 0, 0};
  for (int i = 0; i < 4; i++)
    CHECK_INT(pthread_create(&th[i], NULL, worker, &bad[i]), 0);
  for (int i = 0; i < 4; i++) {
    pthread_join(th[i], NULL);
    CHECK_INT(bad[i], 0);
  }
  /* Release frees this thread's cache; the next call rebuilds it. */
  px_text__cache_release();
  px_text__cache_release();
  long mine = 0;
  worker(&mine);
  CHECK_INT(mine, 0);
  px_text__cache_release();
}
