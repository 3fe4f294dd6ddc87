/*
 * restrict.c: px_lexicon_restrict(), the document vocabulary that lets the
 * aligner load only the entries a document can use: which source words
 * are kept (the words, their prefixes of three letters or more, Arabic
 * "و"/"ال" taken off, phrases only when every word is in), that entries
 * already stored stay, and that a restricted lexicon answers every lookup
 * the aligner makes for the document exactly as the full one does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "lexhelp.h"
#include "px_test.h"

/* The translations of a word, "t1|t2", or "" when none. */
static const char *tr(const px_lexicon *lx, const char *word) {
  return lexhelp_tr(lx, word, LEXTR_PLAIN);
}

static void add(px_lexicon *lx, const char *s, const char *t) {
  CHECK_OK(px_lexicon_add(lx, s, strlen(s), t, strlen(t), 1.0f));
}

PX_TEST(test_lexicon_restrict__keeps_document_words_and_prefixes) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ru", "en"));
  add(lx, "мир", "peace"); /* before the restriction: stays */
  const char *text = "Переговоры о перемирии начались в Москве.";
  CHECK_OK(px_lexicon_restrict(lx, text, strlen(text)));
  add(lx, "переговоры", "talks");        /* a word of the text */
  add(lx, "Москве", "Moscow");           /* as written, any case */
  add(lx, "перемир", "truce");           /* a prefix of a word */
  add(lx, "пер", "per");                 /* three letters: still a prefix */
  add(lx, "пе", "pe");                   /* two: too short */
  add(lx, "война", "war");               /* not in the text */
  add(lx, "перемирия", "armistice");     /* longer than the word: no */
  add(lx, "переговоры о", "talks on");   /* a phrase of text words */
  add(lx, "переговоры с", "talks with"); /* "с" is not in the text */
  CHECK_STR(tr(lx, "мир"), "peace");
  CHECK_STR(tr(lx, "переговоры"), "talks");
  CHECK_STR(tr(lx, "москве"), "moscow");
  CHECK_STR(tr(lx, "перемир"), "truce");
  CHECK_STR(tr(lx, "пер"), "per");
  CHECK_STR(tr(lx, "пе"), "");
  CHECK_STR(tr(lx, "война"), "");
  CHECK_STR(tr(lx, "перемирия"), "");
  CHECK_STR(tr(lx, "переговоры о"), "talks on");
  CHECK_STR(tr(lx, "переговоры с"), "");
  CHECK_INT(px_lexicon_size(lx), 6);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_restrict__arabic_clitics_and_article) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ar", "en"));
  /* "والحكومة" (and the government) and "الرئيس" (the president) */
  const char *text = "\xd9\x88\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9"
                     "\x85\xd8\xa9 \xd8\xa7\xd9\x84\xd8\xb1\xd8\xa6\xd9\x8a"
                     "\xd8\xb3";
  CHECK_OK(px_lexicon_restrict(lx, text, strlen(text)));
  /* "الحكومة" = the text word without و */
  add(lx, "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9",
      "government");
  /* "رئيس" = the text word without ال (stored as given: no article) */
  add(lx, "\xd8\xb1\xd8\xa6\xd9\x8a\xd8\xb3", "president");
  /* "وزير" (minister): not in the text */
  add(lx, "\xd9\x88\xd8\xb2\xd9\x8a\xd8\xb1", "minister");
  CHECK_STR(tr(lx, "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9"),
            "government");
  CHECK_STR(tr(lx, "\xd8\xb1\xd8\xa6\xd9\x8a\xd8\xb3"), "president");
  CHECK_STR(tr(lx, "\xd9\x88\xd8\xb2\xd9\x8a\xd8\xb1"), "");
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_restrict__empty_text_restricts_to_nothing) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "de", "en"));
  CHECK_OK(px_lexicon_restrict(lx, "", 0));
  add(lx, "Krieg", "war");
  CHECK_INT(px_lexicon_size(lx), 0);
  /* later text widens the vocabulary */
  CHECK_OK(px_lexicon_restrict(lx, "Krieg und Frieden", 17));
  add(lx, "Krieg", "war");
  add(lx, "Frieden", "peace");
  CHECK_INT(px_lexicon_size(lx), 2);
  CHECK_ERR(px_lexicon_restrict(lx, "\xff", 1), PX_EENCODING);
  px_lexicon_free(lx);
}

/* The lookups the aligner may make for a normalized word: the word, its
 * Arabic-script "و"/"ال" taken off, and its prefixes down to 3 letters. */
static size_t compare_forms(const px_lexicon *full, const px_lexicon *part,
                            const char *n, size_t nl) {
  size_t found = 0;
  const char *bases[3] = {n, NULL, NULL};
  size_t blen[3] = {nl, 0, 0};
  if (nl > 2 && memcmp(n, "\xd9\x88", 2) == 0) {
    bases[1] = n + 2;
    blen[1] = nl - 2;
  }
  if (nl > 4 && memcmp(n, "\xd8\xa7\xd9\x84", 4) == 0) {
    bases[2] = n + 4;
    blen[2] = nl - 4;
  }
  for (int v = 0; v < 3; v++)
    for (size_t l = blen[v]; bases[v] && l > 0; l--) {
      const char *w = bases[v];
      if (l < blen[v] && ((unsigned char)w[l] & 0xC0) == 0x80)
        continue;
      size_t cps = 0;
      for (size_t j = 0; j < l; j++)
        cps += ((unsigned char)w[j] & 0xC0) != 0x80;
      if (cps < 3)
        break;
      const px_lexicon_entry *a = NULL, *b = NULL;
      size_t na = 0, nb = 0;
      int ra = px_lexicon_lookup(full, w, l, &a, &na);
      int rb = px_lexicon_lookup(part, w, l, &b, &nb);
      CHECK_INT(ra, rb);
      CHECK_INT(na, nb);
      for (size_t j = 0; j < na && j < nb; j++) {
        CHECK_STR(a[j].tgt, b[j].tgt);
        CHECK(a[j].weight == b[j].weight);
      }
      found += na > 0;
    }
  return found;
}

/* Every lookup the aligner makes for a text's words finds the same
 * entries in the restricted lexicon as in the full one, with the installed
 * lexicons of the pair (shipped TSV files; FreeDict forward and reversed
 * where Debian's packages are installed).  Returns the lookups that found
 * something. */
static size_t same_answers(const char *lang, const char *text) {
  px_lexicon *full = NULL, *part = NULL;
  size_t found = 0;
  CHECK_OK(px_lexicon_new(&full, lang, "en"));
  CHECK_OK(px_lexicon_new(&part, lang, "en"));
  CHECK_OK(px_lexicon_load_default(full));
  CHECK_OK(px_lexicon_restrict(part, text, strlen(text)));
  CHECK_OK(px_lexicon_load_default(part));
  CHECK(px_lexicon_size(part) > 0);
  CHECK(px_lexicon_size(part) < px_lexicon_size(full));
  px_token *tk = NULL;
  size_t ntk = 0;
  CHECK_OK(px_text_tokenize(&tk, &ntk, text, strlen(text), lang));
  for (size_t i = 0; i < ntk; i++) {
    if (tk[i].kind != PX_TOK_WORD)
      continue;
    char *n = NULL;
    size_t nl = 0;
    CHECK_OK(px_lexicon_normalize_word(&n, &nl, text + tk[i].off, tk[i].len));
    if (n)
      found += compare_forms(full, part, n, nl);
    px_free(n);
  }
  px_free(tk);
  px_lexicon_free(full);
  px_lexicon_free(part);
  return found;
}

PX_TEST(test_lexicon_restrict__same_answers_as_the_full_lexicon) {
  CHECK(same_answers(
            "ru", "Министр иностранных дел России заявил, что переговоры о "
                  "перемирии продолжатся в Москве. Президент и правительство "
                  "обсудили войну, мир, экономику и выборы; армия и солдаты "
                  "вернулись домой.") >= 10);
  CHECK(same_answers("tr", "Dışişleri bakanı, barış görüşmelerinin Ankara'da "
                           "devam edeceğini söyledi. Hükümet ve ordu seçimler "
                           "hakkında konuştu.") >= 5);
  /* "وقال وزير الخارجية إن المحادثات ستستمر في القاهرة والحكومة" */
  CHECK(same_answers("ar", "\xd9\x88\xd9\x82\xd8\xa7\xd9\x84 \xd9\x88\xd8\xb2"
                           "\xd9\x8a\xd8\xb1 \xd8\xa7\xd9\x84\xd8\xae\xd8\xa7"
                           "\xd8\xb1\xd8\xac\xd9\x8a\xd8\xa9 \xd8\xa5\xd9\x86 "
                           "\xd8\xa7\xd9\x84\xd9\x85\xd8\xad\xd8\xa7\xd8\xaf"
                           "\xd8\xab\xd8\xa7\xd8\xaa \xd8\xb3\xd8\xaa\xd8\xb3"
                           "\xd8\xaa\xd9\x85\xd8\xb1 \xd9\x81\xd9\x8a \xd8\xa7"
                           "\xd9\x84\xd9\x82\xd8\xa7\xd9\x87\xd8\xb1\xd8\xa9 "
                           "\xd9\x88\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88"
                           "\xd9\x85\xd8\xa9") >= 3);
}
