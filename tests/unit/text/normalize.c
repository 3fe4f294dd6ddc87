/* normalize.c: px_text_normalize() flag by flag, the key form, the ASCII
 * fast path against the ICU path, and out-of-memory behaviour. */
#include "mem.h"
#include "px_test.h"
#include "text.h"

#include <stdlib.h>

/* normalize(in, flags) == want */
static void check_norm(const char *in, unsigned flags, const char *want) {
  char *out = NULL;
  size_t n = 999;
  int rc = px_text_normalize(&out, &n, in, strlen(in), flags);
  CHECK_INT(rc, 0);
  if (rc)
    return;
  CHECK_STR(out, want);
  CHECK_INT(n, strlen(want));
  px_free(out);
}

PX_TEST(test_text_normalize__empty_input) {
  char *out = NULL;
  size_t n = 5;
  CHECK_OK(px_text_normalize(&out, &n, "", 0, PX_NORM_KEY));
  CHECK_STR(out, "");
  CHECK_INT(n, 0);
  px_free(out);
  CHECK_OK(px_text_normalize(&out, NULL, NULL, 0, 0xFF));
  CHECK_STR(out, "");
  px_free(out);
  check_norm("   \t\n ", PX_NORM_SPACES, "");
  check_norm("\xC2\xA0\xE2\x80\x89", PX_NORM_KEY, "");
}

PX_TEST(test_text_normalize__no_flags_is_identity) {
  const char *s = "\xEF\xBB\xBF"
                  "A\r\nb  \xC2\xA0 e\xCC\x81 \xDB\xB1";
  check_norm(s, 0, s);
}

PX_TEST(test_text_normalize__nfc) {
  /* e + combining acute -> é; Hangul jamo compose; Arabic alef + hamza
   * above composes to أ. */
  check_norm("Cafe\xCC\x81", PX_NORM_NFC, "Caf\xC3\xA9");
  check_norm("\xE1\x84\x92\xE1\x85\xA1\xE1\x86\xAB", PX_NORM_NFC,
             "\xED\x95\x9C");
  check_norm("\xD8\xA7\xD9\x94", PX_NORM_NFC, "\xD8\xA3");
  /* Already NFC (the quick check path). */
  check_norm("Caf\xC3\xA9", PX_NORM_NFC, "Caf\xC3\xA9");
  /* Compatibility characters stay: NFC is not NFKC. */
  check_norm("\xEF\xAC\x81", PX_NORM_NFC, "\xEF\xAC\x81"); /* ﬁ */
}

PX_TEST(test_text_normalize__fold) {
  check_norm("Hello WORLD", PX_NORM_FOLD, "hello world");
  check_norm("\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90", PX_NORM_FOLD,
             "\xD0\xBC\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0"); /* МОСКВА */
  check_norm("Stra\xC3\x9F"
             "e",
             PX_NORM_FOLD, "strasse"); /* full folding */
  check_norm("\xCE\xA3\xCE\x8A\xCE\xA3", PX_NORM_FOLD | PX_NORM_NFC,
             "\xCF\x83\xCE\xAF\xCF\x83"); /* ΣΊΣ -> σίσ */
  /* Persian has no case: unchanged. */
  check_norm("روحانی", PX_NORM_FOLD, "روحانی");
}

PX_TEST(test_text_normalize__turkish_dotted_i) {
  /* Default (not Turkic) folding: İ becomes i + U+0307 COMBINING DOT ABOVE,
   * and I becomes i (not dotless ı).  Marks removal makes İstanbul match
   * istanbul; without it the keys differ. */
  check_norm("\xC4\xB0stanbul", PX_NORM_KEY, "i\xCC\x87stanbul");
  check_norm("\xC4\xB0stanbul", PX_NORM_KEY | PX_NORM_MARKS, "istanbul");
  check_norm("ISPARTA", PX_NORM_KEY, "isparta");
  check_norm("\xC4\xB1", PX_NORM_KEY, "\xC4\xB1"); /* ı stays ı */
}

PX_TEST(test_text_normalize__spaces) {
  /* NBSP, thin space, ideographic space, tabs and newlines collapse. */
  check_norm("  a\xC2\xA0\xC2\xA0"
             "b\xE2\x80\x89"
             "c\t\r\nd\xE3\x80\x80 ",
             PX_NORM_SPACES, "a b c d");
  /* ZWNJ is not a space: Persian words keep it. */
  check_norm(
      "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85",
      PX_NORM_SPACES,
      "\xD9\x85\xDB\x8C\xE2\x80\x8C\xD8\xAE\xD9\x88\xD8\xA7\xD9\x87\xD9\x85");
  /* A stray BOM and a zero-width space vanish. */
  check_norm("a\xEF\xBB\xBF"
             "b\xE2\x80\x8B"
             "c",
             PX_NORM_SPACES, "abc");
  check_norm("one\n\ntwo", PX_NORM_SPACES, "one two");
}

PX_TEST(test_text_normalize__newlines_and_bom) {
  check_norm("\xEF\xBB\xBF"
             "a\r\nb\rc\n\r\nd",
             PX_NORM_NEWLINES, "a\nb\nc\n\nd");
  /* Only a leading BOM goes. */
  check_norm("a\xEF\xBB\xBF"
             "b",
             PX_NORM_NEWLINES,
             "a\xEF\xBB\xBF"
             "b");
  check_norm("x\r", PX_NORM_NEWLINES, "x\n");
  /* Without NEWLINES a CR stays a CR. */
  check_norm("a\r\nb", PX_NORM_FOLD, "a\r\nb");
  check_norm("\xEF\xBB\xBF\xD0\x94\r\n", PX_NORM_NEWLINES | PX_NORM_FOLD,
             "\xD0\xB4\n");
}

PX_TEST(test_text_normalize__digits_of_every_script) {
  check_norm("\xDB\xB1\xDB\xB4\xDB\xB0\xDB\xB2", PX_NORM_DIGITS, "1402");
  check_norm("\xD9\xA2\xD9\xA0\xD9\xA1\xD9\xA7", PX_NORM_DIGITS, "2017");
  check_norm("\xE0\xA5\xA9 \xEF\xBC\x95", PX_NORM_DIGITS, "3 5"); /* ३ ５ */
  check_norm("\xF0\x9D\x9F\x8E", PX_NORM_DIGITS, "0");            /* 𝟎 */
  /* Not decimal digits: superscripts, Roman numerals, fractions. */
  check_norm("x\xC2\xB2 \xE2\x85\xA0 \xC2\xBD", PX_NORM_DIGITS,
             "x\xC2\xB2 \xE2\x85\xA0 \xC2\xBD");
  /* The Arabic decimal separator is punctuation, not a digit: kept. */
  check_norm("\xDB\xB3\xD9\xAB\xDB\xB5", PX_NORM_DIGITS,
             "3\xD9\xAB"
             "5");
}

PX_TEST(test_text_normalize__marks_and_tatweel) {
  check_norm("Caf\xC3\xA9 cr\xC3\xA8me Z\xC3\xBCrich", PX_NORM_MARKS,
             "Cafe creme Zurich");
  /* Harakat (fatha, damma, shadda) and tatweel. */
  check_norm("\xD9\x85\xD9\x8F\xD8\xAD\xD9\x8E\xD9\x85\xD9\x91\xD9\x8E\xD8\xAF",
             PX_NORM_MARKS, "\xD9\x85\xD8\xAD\xD9\x85\xD8\xAF");
  check_norm("\xD9\x83\xD8\xAA\xD9\x80\xD9\x80\xD8\xA7\xD8\xA8", PX_NORM_MARKS,
             "\xD9\x83\xD8\xAA\xD8\xA7\xD8\xA8");
  /* Hamza and madda above go: أ -> ا, آ -> ا. */
  check_norm("\xD8\xA3\xD8\xA2", PX_NORM_MARKS, "\xD8\xA7\xD8\xA7");
  /* Russian й is и + breve in NFD: marks removal takes the breve. */
  check_norm("\xD0\xB9", PX_NORM_MARKS, "\xD0\xB8");
}

PX_TEST(test_text_normalize__punct) {
  check_norm("\"Hello,\" she said (U.S.) - don't!", PX_NORM_PUNCT,
             "Hello she said US   dont");
  check_norm("\"Hello,\" she said (U.S.) - don't!",
             PX_NORM_PUNCT | PX_NORM_SPACES, "Hello she said US dont");
  check_norm("Tehran-Moscow and/or", PX_NORM_PUNCT, "Tehran Moscow and or");
  /* Persian and Arabic marks: « » ، ؟ go, and so does % (Po); $ is a
   * symbol (Sc) and stays. */
  check_norm("\xC2\xAB\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85\xC2\xBB\xD8\x8C "
             "\xD8\x9F $5 10%",
             PX_NORM_PUNCT | PX_NORM_SPACES,
             "\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 $5 10");
  check_norm("a\xE2\x80\x94"
             "b",
             PX_NORM_PUNCT, "a b"); /* em dash */
}

PX_TEST(test_text_normalize__variants) {
  /* Arabic yeh/kaf typed for Persian ones: كيهان (Arabic letters) and کیهان
   * (Persian) become one key. */
  char *a, *b;
  const char *ar = "\xD9\x83\xD9\x8A\xD9\x87\xD8\xA7\xD9\x86";
  const char *fa = "\xDA\xA9\xDB\x8C\xD9\x87\xD8\xA7\xD9\x86";
  unsigned f = PX_NORM_KEY | PX_NORM_VARIANTS;
  CHECK_OK(px_text_normalize(&a, NULL, ar, strlen(ar), f));
  CHECK_OK(px_text_normalize(&b, NULL, fa, strlen(fa), f));
  CHECK_STR(a, fa);
  CHECK_STR(b, fa);
  px_free(a);
  px_free(b);
  /* Presentation forms (from PDFs) become letters: ﻻ -> لا; alef maksura. */
  check_norm("\xEF\xBB\xBB \xD9\x85\xD9\x88\xD8\xB3\xD9\x89", f,
             "\xD9\x84\xD8\xA7 \xD9\x85\xD9\x88\xD8\xB3\xDB\x8C");
  /* Ёлка, ёж -> елка, еж; fullwidth and ligatures. */
  check_norm("\xD0\x81\xD0\xBB\xD0\xBA\xD0\xB0 \xD1\x91\xD0\xB6", f,
             "\xD0\xB5\xD0\xBB\xD0\xBA\xD0\xB0 \xD0\xB5\xD0\xB6");
  check_norm("\xEF\xBC\xA1\xEF\xBC\x91 \xEF\xAC\x81le", f, "a1 file");
  /* NBSP and the ellipsis go through NFKC too. */
  check_norm("a\xC2\xA0"
             "b\xE2\x80\xA6",
             PX_NORM_VARIANTS, "a b...");
  /* Without the flag nothing of this happens. */
  check_norm(ar, PX_NORM_KEY, ar);
}

PX_TEST(test_text_normalize__key) {
  check_norm("  The  PRESIDENT\xC2\xA0Rouhani\r\nsaid \xDB\xB1\xDB\xB4 ",
             PX_NORM_KEY, "the president rouhani said 14");
  char *a, *b;
  const char *x = "Cafe\xCC\x81  \xD9\xA1\xD9\xA2";
  const char *y = "CAF\xC3\x89 12";
  CHECK_OK(px_text_key(&a, NULL, x, strlen(x)));
  CHECK_OK(px_text_key(&b, NULL, y, strlen(y)));
  CHECK_STR(a, b);
  CHECK_STR(a, "caf\xC3\xA9 12");
  px_free(a);
  px_free(b);
}

/* A little deterministic PRNG, so failures reproduce. */
static unsigned long rng_state = 12345;
static unsigned rng(void) {
  rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)(rng_state >> 33);
}

PX_TEST(test_text_normalize__fast_path_matches_icu) {
  /* Every flag combination over random ASCII (all 128 bytes, weighted to
   * letters, spaces and punctuation) and typographic characters gives the
   * same bytes both ways. */
  const char pool[] = "aZ  \t\r\n.,-/'\"()!?$%_:;0123456789@#&*+=<>[]{}|~^`\\";
  /* Typographic characters the fast path also takes. */
  static const char *typo[] = {
      /* Persian, Arabic, Russian, Greek and Latin letters, and the cases
       * the generic path must leave to ICU: decomposed é, harakat, İ, ß,
       * Ⱥ (folds longer), presentation forms, ё, Arabic yeh/kaf. */
      "\xD8\xB1\xD9\x88\xD8\xAD\xD8\xA7\xD9\x86\xDB\x8C", "\xE2\x80\x8C",
      "\xD9\x80", "\xDB\xB1\xDB\xB4", "\xD9\xA2", "\xD9\xAB", "\xD8\x8C",
      "\xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD", "\xD0\x81", "\xD1\x91",
      "\xCE\xA3\xCE\xB9\xCF\x82", "\xC3\x89", "e\xCC\x81", "\xD9\x8E",
      "\xC4\xB0", "\xC3\x9F", "\xC8\xBA", "\xEF\xBB\xBB", "\xD9\x8A",
      "\xD9\x83", "\xD9\x89", "\xEF\xBB\xBF", "\xE2\x80\x8B", "\xE2\x84\xAA",
      "\xCD\x85", "\xE0\xB8\xB1", "\xE2\x80\x8E", "\xD9\x94", "\xC2\xA0",
      "\xC2\xAB", "\xC2\xBB", "\xE2\x80\x89", "\xE2\x80\xAF", "\xE2\x80\x93",
      "\xE2\x80\x94", "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x9C",
      "\xE2\x80\x9D", "\xE2\x80\xA6",
      /* Precomposed letters the generic path takes under PX_NORM_MARKS:
       * Turkish ş ğ ı Ç ö Ü, Å, Ǆ (compatibility only), ﬁ, ΐ. */
      "\xC5\x9F", "\xC4\x9F", "\xC4\xB1", "\xC3\x87", "\xC3\xB6", "\xC3\x9C",
      "\xC3\x85", "\xC7\x84", "\xEF\xAC\x81", "\xCE\x90"};
  char buf[200];
  for (int round = 0; round < 3000; round++) {
    size_t n = 0, want = rng() % (sizeof buf - 4);
    while (n < want) {
      unsigned r = rng() % 8;
      if (r == 0) {
        const char *t = typo[rng() % (sizeof typo / sizeof typo[0])];
        if (n + strlen(t) > sizeof buf)
          break;
        memcpy(buf + n, t, strlen(t));
        n += strlen(t);
      } else {
        buf[n++] =
            r < 6 ? pool[rng() % (sizeof pool - 1)] : (char)(rng() % 128);
      }
    }
    unsigned flags = rng() % 256;
    char *fast = NULL, *slow = NULL;
    size_t nf = 0, ns = 0;
    px_text__set_ascii_fast_path(1);
    CHECK_OK(px_text_normalize(&fast, &nf, buf, n, flags));
    px_text__set_ascii_fast_path(0);
    CHECK_OK(px_text_normalize(&slow, &ns, buf, n, flags));
    px_text__set_ascii_fast_path(1);
    if (!fast || !slow || nf != ns || memcmp(fast, slow, nf) != 0) {
      px_test_fail(__FILE__, __LINE__, "flags %u: fast \"%s\" icu \"%s\"",
                   flags, fast ? fast : "", slow ? slow : "");
      px_free(fast);
      px_free(slow);
      break;
    }
    px_free(fast);
    px_free(slow);
  }
}

PX_TEST(test_text_normalize__out_of_memory_leaves_outputs) {
  /* Fail each allocation in turn: the call either succeeds or returns
   * PX_ENOMEM with the outputs untouched; nothing leaks (ASan). */
  const char *s = "\xEF\xBB\xBF \xD0\x9F\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD "
                  "Caf\xC3\xA9 \xDB\xB1\xDB\xB4";
  int failures = 0;
  for (long k = 0; k < 20; k++) {
    px_text__cache_release(); /* so the cache allocations are hit too */
    char *out = (char *)"untouched";
    size_t n = 4242;
    px_mem__fail_after(k);
    int rc = px_text_normalize(&out, &n, s, strlen(s),
                               PX_NORM_KEY | PX_NORM_MARKS | PX_NORM_NEWLINES);
    px_mem__fail_after(-1);
    if (rc == PX_ENOMEM) {
      failures++;
      CHECK_STR(out, "untouched");
      CHECK_INT(n, 4242);
      CHECK_INT(px_error_last()->code, PX_ENOMEM);
    } else {
      CHECK_INT(rc, 0);
      CHECK_STR(out, "\xD0\xBF\xD1\x83\xD1\x82\xD0\xB8\xD0\xBD cafe 14");
      px_free(out);
      break;
    }
  }
  CHECK(failures >= 3);
  /* The ASCII fast path too. */
  char *out = (char *)"untouched";
  px_mem__fail_after(0);
  CHECK_ERR(px_text_normalize(&out, NULL, "abc", 3, PX_NORM_KEY), PX_ENOMEM);
  px_mem__fail_after(-1);
  CHECK_STR(out, "untouched");
}

PX_TEST(test_text_normalize__bad_arguments) {
  char *out;
  CHECK_ERR(px_text_normalize(NULL, NULL, "a", 1, 0), PX_EINVALID);
  CHECK_ERR(px_text_normalize(&out, NULL, NULL, 3, 0), PX_EINVALID);
}

PX_TEST(test_text_normalize__script_fast_path_matches_icu) {
  /* News lines in Persian, Arabic, Russian and Greek (which the generic
   * fast path takes whole) under every flag combination. */
  static const char *lines[] = {
      "\xD8\xA8\xD9\x87 \xDA\xAF\xD8\xB2\xD8\xA7\xD8\xB1\xD8\xB4 \xD9\x85\xD9"
      "\x87\xD8\xB1\xD8\x8C \xD8\xB1\xDB\x8C\xD8\xA6\xDB\x8C\xD8\xB3\xE2\x80"
      "\x8C\xD8\xAC\xD9\x85\xD9\x87\xD9\x88\xD8\xB1 \xDB\xB2\xDB\xB3 \xC2\xAB"
      "\xD8\xA2\xD8\xB3\xD8\xAA\xD8\xA7\xD9\x86\xD9\x87\xC2\xBB\xD8\x9F\r\n",
      "\xD9\x82\xD8\xA7\xD9\x84 \xD8\xA7\xD9\x84\xD8\xB1\xD8\xA6\xD9\x8A\xD8"
      "\xB3 \xD9\xA1\xD9\xAC\xD9\xA2\xD9\xA5\xD9\xA0 \xD9\x83\xD9\x8A\xD9\x84"
      "\xD9\x88\xD9\x85\xD8\xAA\xD8\xB1\xD8\xA7\xD9\x8B\xD8\x9B",
      "\xEF\xBB\xBF\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90, 28 "
      "\xD0\xBC\xD0\xB0\xD1\x80\xD1\x82\xD0\xB0 \xE2\x80\x94 \xD0\x81\xD0\xBB"
      "\xD0\xBA\xD0\xB0\xC2\xA0\xD0\xB8 \xD1\x91\xD0\xB6\xE2\x80\xA6",
      "\xCE\x97 \xCE\x91\xCE\x98\xCE\x97\xCE\x9D\xCE\x91 \xCE\xB5\xCE\xAF\xCE"
      "\xBD\xCE\xB1\xCE\xB9 \xCF\x80\xCF\x8C\xCE\xBB\xCE\xB7\xCF\x82; 3,5%"};
  char *fast = NULL, *slow = NULL;
  for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++)
    for (unsigned flags = 0; flags < 256; flags++) {
      size_t n = strlen(lines[l]), nf = 0, ns = 0;
      px_text__set_ascii_fast_path(1);
      CHECK_OK(px_text_normalize(&fast, &nf, lines[l], n, flags));
      px_text__set_ascii_fast_path(0);
      CHECK_OK(px_text_normalize(&slow, &ns, lines[l], n, flags));
      px_text__set_ascii_fast_path(1);
      if (!fast || !slow || nf != ns || memcmp(fast, slow, nf) != 0)
        px_test_fail(__FILE__, __LINE__,
                     "line %zu flags %u:\n    fast %s\n"
                     "    icu  %s",
                     l, flags, fast ? fast : "", slow ? slow : "");
      px_free(fast);
      px_free(slow);
      fast = slow = NULL;
    }
}

/* fast (generic path allowed) vs icu_only for s under flags; reports the
 * code point cp on a difference.  Returns 0 on a difference. */
static int same_both_ways(const char *s, size_t n, unsigned flags,
                          unsigned cp) {
  char *fast = NULL, *slow = NULL;
  size_t nf = 0, ns = 0;
  px_text__set_ascii_fast_path(1);
  int rf = px_text_normalize(&fast, &nf, s, n, flags);
  px_text__set_ascii_fast_path(0);
  int rs = px_text_normalize(&slow, &ns, s, n, flags);
  px_text__set_ascii_fast_path(1);
  int ok = rf == 0 && rs == 0 && nf == ns && memcmp(fast, slow, nf) == 0;
  if (!ok)
    px_test_fail(__FILE__, __LINE__,
                 "U+%04X in \"%s\" flags %u: fast \"%s\" icu \"%s\"", cp, s,
                 flags, fast ? fast : "", slow ? slow : "");
  px_free(fast);
  px_free(slow);
  return ok;
}

static size_t put_cp(char *p, unsigned cp) {
  if (cp < 0x80) {
    p[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    p[0] = (char)(0xC0 | cp >> 6);
    p[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  p[0] = (char)(0xE0 | cp >> 12);
  p[1] = (char)(0x80 | (cp >> 6 & 0x3F));
  p[2] = (char)(0x80 | (cp & 0x3F));
  return 3;
}

PX_TEST(test_text_normalize__every_letter_fast_matches_icu) {
  /* Every BMP code point of ASCII and of the blocks with precomposed
   * letters (Latin-1 Supplement, Latin Extended-A/B, IPA and modifiers, Greek,
   * Cyrillic, Devanagari's nukta letters, Latin Extended Additional, Greek
   * Extended, letterlike symbols such as KELVIN SIGN, CJK compatibility
   * ideographs, alphabetic presentation forms), alone, between letters, doubled
   * and before a combining mark, under every combination of the flags that
   * decide how letters normalize (NFC, FOLD, MARKS, VARIANTS), with and
   * without the character-by-character ones: the generic fast path (which
   * takes precomposed letters under PX_NORM_MARKS) gives the bytes of the
   * ICU path. */
  static const unsigned ranges[][2] = {
      {0x0001, 0x007F}, {0x00A0, 0x036F}, {0x0370, 0x052F}, {0x0900, 0x097F},
      {0x1E00, 0x1FFF}, {0x2100, 0x218F}, {0xF900, 0xFAFF}, {0xFB00, 0xFB4F}};
  static const unsigned extra[] = {0, PX_NORM_SPACES | PX_NORM_DIGITS,
                                   PX_NORM_PUNCT | PX_NORM_NEWLINES};
  unsigned checked = 0;
  for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++)
    for (unsigned cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
      char c[4], s[4][24];
      size_t cn = put_cp(c, cp), len[4];
      len[0] = cn;
      memcpy(s[0], c, cn);
      len[1] = 0;
      s[1][len[1]++] = 'x';
      memcpy(s[1] + len[1], c, cn);
      len[1] += cn;
      memcpy(s[1] + len[1], "Y \xC3\x87", 4); /* Y, space, Ç */
      len[1] += 4;
      memcpy(s[2], c, cn);
      memcpy(s[2] + cn, c, cn);
      len[2] = 2 * cn;
      memcpy(s[3], c, cn);
      memcpy(s[3] + cn, "\xCC\x81", 2); /* combining acute */
      len[3] = cn + 2;
      for (int k = 0; k < 4; k++)
        s[k][len[k]] = '\0';
      for (unsigned f = 0; f < 16; f++)
        for (size_t e = 0; e < sizeof extra / sizeof extra[0]; e++) {
          unsigned flags = (f & 1 ? PX_NORM_NFC : 0) |
                           (f & 2 ? PX_NORM_FOLD : 0) |
                           (f & 4 ? PX_NORM_MARKS : 0) |
                           (f & 8 ? PX_NORM_VARIANTS : 0) | extra[e];
          for (int k = 0; k < 4; k++) {
            if (!same_both_ways(s[k], len[k], flags, cp))
              return;
            checked++;
          }
        }
    }
  CHECK(checked > 100000);
}

PX_TEST(test_text_normalize__turkish_without_marks) {
  /* The lexicon's form of Turkish words (key + marks): the letters lose
   * their marks, İ and I both fold to i, dotless ı stays. */
  unsigned f = PX_NORM_KEY | PX_NORM_MARKS;
  check_norm("\xC4\xB0stanbul \xC5\x9Ei\xC5\x9Fli", f, "istanbul sisli");
  check_norm("I\xC4\x9F"
             "d\xC4\xB1r \xC3\x87\xC3\xB6l \xC3\x9Cz\xC3\xBCm",
             f, "igd\xC4\xB1r col uzum");
  check_norm("\xC3\x85ngstr\xC3\xB6m \xE2\x84\xAB 5\xE2\x84\xAA", f,
             "angstrom a 5k");
  /* Without marks removal the letters stay (folded). */
  check_norm("\xC5\x9E\xC4\x9E\xC3\x87", PX_NORM_KEY,
             "\xC5\x9F\xC4\x9F\xC3\xA7");
}
