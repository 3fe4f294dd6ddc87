/* tokenize.c: word, number, punctuation and symbol tokens from ICU's word
 * break iterator, with byte offsets, in English, Persian, Arabic, Russian
 * and CJK text. */
#include "mem.h"
#include "px_test.h"
#include "text.h"

/* Render tokens as "text/K text/K ..." with K = W N P S I. */
static char *render(const char *s, const char *lang) {
  static char buf[4096];
  px_token *t = NULL;
  size_t n = 0;
  int rc = px_text_tokenize(&t, &n, s, strlen(s), lang);
  if (rc) {
    snprintf(buf, sizeof buf, "error %d: %s", rc, px_error_last()->message);
    return buf;
  }
  size_t at = 0;
  buf[0] = '\0';
  for (size_t i = 0; i < n && at < sizeof buf - 64; i++) {
    const char *k = "?WNPSI";
    at += (size_t)snprintf(buf + at, sizeof buf - at, "%s%.*s/%c", i ? " " : "",
                           (int)t[i].len, s + t[i].off,
                           k[t[i].kind <= 5 ? t[i].kind : 0]);
  }
  px_free(t);
  return buf;
}

PX_TEST(test_text_tokenize__english_news) {
  CHECK_STR(render("MOSCOW, Mar. 28 (MNA) \xE2\x80\x93 Rouhani said.", "en"),
            "MOSCOW/W ,/P Mar/W ./P 28/N (/P MNA/W )/P \xE2\x80\x93/P "
            "Rouhani/W said/W ./P");
  CHECK_STR(render("don't stop: it's 3.5% of 1,000 (14-15 March)", "en"),
            "don't/W stop/W :/P it's/W 3.5/N %/P of/W 1,000/N (/P 14/N -/P "
            "15/N March/W )/P");
  CHECK_STR(render("the U.S. and al-Nusra Front", NULL),
            "the/W U.S/W ./P and/W al/W -/P Nusra/W Front/W");
  /* ICU keeps an @handle whole. */
  CHECK_STR(render("$5 + 3 = 8 #tag @user", "en"),
            "$/S 5/N +/S 3/N =/S 8/N #/P tag/W @user/W");
  CHECK_STR(render("abc123 snake_case 10:30", "en"),
            "abc123/W snake_case/W 10/N :/P 30/N");
}

PX_TEST(test_text_tokenize__persian_keeps_zwnj_and_digits) {
  /* می‌خواهم keeps its ZWNJ; Persian digits with the Arabic decimal
   * separator are one number; Persian punctuation is punctuation. */
  CHECK_STR(
      render("\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87"
             "\xD9\x85 \xDB\xB3\xD9\xAB\xDB\xB5 \xDB\xB1\xDB\xB4\xDB\xB0"
             "\xDB\xB2\xD8\x8C \xC2\xAB\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85"
             "\xC2\xBB\xD8\x9F",
             "fa"),
      "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9"
      "\x85/W \xDB\xB3\xD9\xAB\xDB\xB5/N \xDB\xB1\xDB\xB4\xDB\xB0\xDB"
      "\xB2/N \xD8\x8C/P \xC2\xAB/P \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85/W "
      "\xC2\xBB/P \xD8\x9F/P");
  /* Arabic-Indic digits with the Arabic thousands separator. */
  CHECK_STR(render("\xD9\xA1\xD9\xAC\xD9\xA0\xD9\xA0\xD9\xA0", "ar"),
            "\xD9\xA1\xD9\xAC\xD9\xA0\xD9\xA0\xD9\xA0/N");
}

PX_TEST(test_text_tokenize__russian) {
  CHECK_STR(render("\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0, 28 "
                   "\xD0\xBC\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0 \xE2\x80\x94 "
                   "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD.",
                   "ru"),
            "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0/W ,/P 28/N "
            "\xD0\xBC\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0/W \xE2\x80\x94/P "
            "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD/W ./P");
}

PX_TEST(test_text_tokenize__cjk_and_emoji) {
  /* Kana and Han are IDEO tokens, split by ICU's dictionary. */
  const char *s =
      "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xAE"
      "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88\xE3\x80\x82";
  CHECK_STR(render(s, "ja"),
            "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E/I \xE3\x81\xAE/I "
            "\xE3\x83\x86\xE3\x82\xAD\xE3\x82\xB9\xE3\x83\x88/I "
            "\xE3\x80\x82/P");
  /* A flag, a thumbs-up with a skin tone, and a family ZWJ sequence each
   * stay one symbol. */
  CHECK_STR(render("\xF0\x9F\x87\xAE\xF0\x9F\x87\xB7 \xF0\x9F\x91\x8D\xF0\x9F"
                   "\x8F\xBD \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9",
                   NULL),
            "\xF0\x9F\x87\xAE\xF0\x9F\x87\xB7/S \xF0\x9F\x91\x8D\xF0\x9F\x8F"
            "\xBD/S \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9/S");
}

PX_TEST(test_text_tokenize__offsets_are_bytes_of_the_input) {
  const char *s = "\xEF\xBB\xBFГ\xC2\xA0\xF0\x9D\x90\x80x, \xDB\xB5";
  px_token *t;
  size_t n;
  CHECK_OK(px_text_tokenize(&t, &n, s, strlen(s), "ru"));
  /* The BOM and NBSP are dropped; 𝐀x (a 4-byte letter, so two UTF-16
   * units) keeps its byte offset. */
  CHECK_INT(n, 4);
  if (n == 4) {
    CHECK_INT(t[0].off, 3);
    CHECK_INT(t[0].len, 2);
    CHECK_INT(t[1].off, 7);
    CHECK_INT(t[1].len, 5);
    CHECK_INT(t[1].kind, PX_TOK_WORD);
    CHECK_INT(t[2].off, 12);
    CHECK_INT(t[2].kind, PX_TOK_PUNCT);
    CHECK_INT(t[3].off, 14);
    CHECK_INT(t[3].len, 2);
    CHECK_INT(t[3].kind, PX_TOK_NUMBER);
  }
  px_free(t);
}

PX_TEST(test_text_tokenize__empty_and_blank) {
  px_token *t = NULL;
  size_t n = 7;
  CHECK_OK(px_text_tokenize(&t, &n, "", 0, "en"));
  CHECK_INT(n, 0);
  CHECK(t != NULL);
  px_free(t);
  CHECK_OK(px_text_tokenize(&t, &n, NULL, 0, NULL));
  CHECK_INT(n, 0);
  px_free(t);
  CHECK_OK(px_text_tokenize(&t, &n, " \t\r\n\xC2\xA0\xE2\x80\x89", 9, "fa"));
  CHECK_INT(n, 0);
  px_free(t);
  CHECK_STR(render("a\r\nb", "en"), "a/W b/W");
}

PX_TEST(test_text_tokenize__many_languages_share_the_cache) {
  /* More languages than cache slots: each keeps working, results stable. */
  const char *langs[] = {"en", "fa", "ru",    "ar", "de", "fr",
                         "es", "tr", "pt-BR", "zh", "ja", "en"};
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < sizeof langs / sizeof langs[0]; i++)
      CHECK_STR(render("It's 3.5 km.", langs[i]), "It's/W 3.5/N km/W ./P");
  /* A tag ICU cannot read still tokenizes (root rules). */
  CHECK_STR(render("x y", "not a tag!"), "x/W y/W");
}

PX_TEST(test_text_tokenize__out_of_memory) {
  const char *s = "Putin and Rouhani met in Astana on 28 March, 2017.";
  int failures = 0;
  for (long k = 0; k < 10; k++) {
    px_text__cache_release();
    px_token *t = (px_token *)"untouched";
    size_t n = 4242;
    px_mem__fail_after(k);
    int rc = px_text_tokenize(&t, &n, s, strlen(s), "en");
    px_mem__fail_after(-1);
    if (rc == PX_ENOMEM) {
      failures++;
      CHECK_STR((const char *)t, "untouched");
      CHECK_INT(n, 4242);
    } else {
      CHECK_INT(rc, 0);
      CHECK_INT(n, 12);
      px_free(t);
      break;
    }
  }
  CHECK(failures >= 2);
}

/* Tokens of s with or without the fast path, rendered for comparison. */
static void render_to(char *buf, size_t cap, const char *s, size_t len,
                      const char *lang, int fast) {
  px_token *t = NULL;
  size_t n = 0;
  px_text__set_ascii_fast_path(fast);
  int rc = px_text_tokenize(&t, &n, s, len, lang);
  px_text__set_ascii_fast_path(1);
  size_t at = (size_t)snprintf(buf, cap, "rc=%d:", rc);
  for (size_t i = 0; !rc && i < n && at < cap - 32; i++)
    at += (size_t)snprintf(buf + at, cap - at, " %zu+%zu/%d", t[i].off,
                           t[i].len, (int)t[i].kind);
  px_free(t);
}

static unsigned long tok_rng = 99;
static unsigned tok_rand(void) {
  tok_rng = tok_rng * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)(tok_rng >> 33);
}

PX_TEST(test_text_tokenize__fast_path_matches_icu) {
  /* Random strings over the characters the fast path handles, with the
   * contexts that matter (letters/digits around . ' , ; _ and typographic
   * quotes), compared token by token with ICU's answer. */
  static const char *pieces[] = {"a",
                                 "Z",
                                 "x",
                                 "1",
                                 "9",
                                 "0",
                                 ".",
                                 ",",
                                 ";",
                                 ":",
                                 "'",
                                 "_",
                                 " ",
                                 "  ",
                                 "-",
                                 "\"",
                                 "(",
                                 ")",
                                 "$",
                                 "%",
                                 "+",
                                 "#",
                                 "!",
                                 "?",
                                 "/",
                                 "\t",
                                 "\r\n",
                                 "\n",
                                 "\x01",
                                 "\x7F",
                                 "~",
                                 "\xC2\xA0",
                                 "\xE2\x80\x99",
                                 "\xE2\x80\x98",
                                 "\xE2\x80\x9C",
                                 "\xE2\x80\x9D",
                                 "\xE2\x80\x93",
                                 "\xE2\x80\x94",
                                 "\xE2\x80\xA6",
                                 "\xC2\xAB",
                                 "\xC2\xBB",
                                 "\xE2\x80\x89",
                                 "\xE2\x80\xAF",
                                 "don't",
                                 "3.5",
                                 "1,000",
                                 "U.S.",
                                 "snake_case",
                                 "__",
                                 "a1",
                                 "1a"};
  const size_t np = sizeof pieces / sizeof pieces[0];
  const char *langs[] = {NULL, "en", "fa", "ru", "de"};
  char s[256], fast[4096], slow[4096];
  int bad = 0;
  for (int round = 0; round < 20000 && bad < 5; round++) {
    size_t len = 0, parts = 1 + tok_rand() % 12;
    for (size_t p = 0; p < parts; p++) {
      const char *piece = pieces[tok_rand() % np];
      size_t pl = strlen(piece);
      if (len + pl >= sizeof s)
        break;
      memcpy(s + len, piece, pl);
      len += pl;
    }
    const char *lang = langs[tok_rand() % 5];
    render_to(fast, sizeof fast, s, len, lang, 1);
    render_to(slow, sizeof slow, s, len, lang, 0);
    if (strcmp(fast, slow) != 0) {
      px_test_fail(__FILE__, __LINE__, "\"%.*s\":\n    fast %s\n    icu  %s",
                   (int)len, s, fast, slow);
      bad++;
    }
  }
}

PX_TEST(test_text_tokenize__generic_fast_path_matches_icu) {
  /* The same comparison for Persian, Arabic, Russian and Greek text with
   * marks, ZWNJ, bidi controls, native digits and punctuation. */
  static const char *pieces[] = {
      "\xD8\xB1\xD9\x88\xD8\xAD\xD8\xA7\xD9\x86\xDB\x8C", /* روحانی */
      "\xD9\x85\xDB\x8C",                                 /* می */
      "\xE2\x80\x8C",                                     /* ZWNJ */
      "\xE2\x80\x8D",                                     /* ZWJ (ICU) */
      "\xE2\x80\x8E",                                     /* LRM */
      "\xC2\xAD",                                         /* soft hyphen */
      "\xD9\x8E",
      "\xD9\x91", /* fatha, shadda */
      "\xD9\x80", /* tatweel */
      "\xDB\xB1\xDB\xB4",
      "\xD9\xA2\xD9\xA0", /* ۱۴ ٢٠ */
      "\xD9\xAB",
      "\xD9\xAC", /* ٫ ٬ */
      "\xD8\x8C",
      "\xD8\x9B",
      "\xD8\x9F", /* ، ؛ ؟ */
      "\xC2\xAB",
      "\xC2\xBB",
      "\xC2\xA0",
      "\xE2\x80\xAF",
      "\xE2\x80\x8B",
      "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD", /* Путин */
      "\xD1\x91",                                 /* ё */
      "\xD0\xB5\xCC\x81",                         /* е + acute */
      "\xCE\xB1\xCE\xB8",                         /* αθ */
      "\xCE\x87",                                 /* Greek ano teleia */
      "\xD7\xA9",                                 /* Hebrew (ICU) */
      "\xE4\xB8\xAD",                             /* Han (ICU) */
      "\xE2\x82\xAC",
      "\xE2\x84\x96",     /* € № */
      "\xF0\x9F\x98\x80", /* emoji (ICU) */
      "a",
      "Z",
      "1",
      ".",
      ",",
      ";",
      ":",
      "'",
      "_",
      " ",
      "-",
      "\"",
      "(",
      "$",
      "%",
      "\t",
      "\n",
      "\xE2\x80\x99",
      "\xE2\x80\x94",
      "@"};
  const size_t np = sizeof pieces / sizeof pieces[0];
  const char *langs[] = {NULL, "fa", "ar", "ru", "en"};
  char s[256], fast[4096], slow[4096];
  int bad = 0;
  for (int round = 0; round < 20000 && bad < 5; round++) {
    size_t len = 0, parts = 1 + tok_rand() % 12;
    for (size_t p = 0; p < parts; p++) {
      /* Mostly the script pieces, so the fast path gets exercised. */
      const char *piece = pieces[tok_rand() % (tok_rand() % 3 ? 27 : np)];
      size_t pl = strlen(piece);
      if (len + pl >= sizeof s)
        break;
      memcpy(s + len, piece, pl);
      len += pl;
    }
    const char *lang = langs[tok_rand() % 5];
    render_to(fast, sizeof fast, s, len, lang, 1);
    render_to(slow, sizeof slow, s, len, lang, 0);
    if (strcmp(fast, slow) != 0) {
      px_test_fail(__FILE__, __LINE__, "\"%.*s\":\n    fast %s\n    icu  %s",
                   (int)len, s, fast, slow);
      bad++;
    }
  }
}
