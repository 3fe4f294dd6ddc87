/*
 * lookup.c: normalization (Arabic harakat, letter variants, ZWNJ, case),
 * entry cleaning (parentheticals, alternatives, "to", articles), lookup,
 * foreach, duplicates, argument errors and the out-of-memory paths.
 */
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "lexhelp.h"
#include "px_test.h"

static char *norm(const char *w) {
  char *out = NULL;
  size_t n = 0;
  int rc = px_lexicon_normalize_word(&out, &n, w, strlen(w));
  if (rc != 0) {
    px_test_fail(__FILE__, __LINE__, "normalize(%s): %s", w,
                 px_error_last()->message);
    return NULL;
  }
  if (strlen(out) != n)
    px_test_fail(__FILE__, __LINE__, "normalize(%s): length %zu", w, n);
  return out;
}

#define CHECK_NORM(word, want)                                                 \
  do {                                                                         \
    char *got_ = norm(word);                                                   \
    CHECK_STR(got_, want);                                                     \
    px_free(got_);                                                             \
  } while (0)

PX_TEST(test_lexicon_lookup__normalize_arabic_script) {
  /* Harakat and tatweel vanish: كِتَابٌ and كتـاب are كتاب, with the Arabic
   * kaf folded to keheh (ک) as Persian writes it. */
  CHECK_NORM("كِتَابٌ", "کتاب");
  CHECK_NORM("كتـاب", "کتاب");
  /* Quranic vocalisation: بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ */
  CHECK_NORM("بِسْمِ ٱللَّهِ ٱلرَّحْمَٰنِ ٱلرَّحِيمِ", "بسم الله الرحمن الرحیم");
  /* Arabic yeh and alef maksura are the Persian yeh; hamza seats fold. */
  CHECK_NORM("علي", "علی");
  CHECK_NORM("مصطفى", "مصطفی");
  CHECK_NORM("أحمد", "احمد");
  CHECK_NORM("إسلام", "اسلام");
  CHECK_NORM("آمریکا", "امریکا");
  CHECK_NORM("مسئول", "مسیول");
  /* Urdu heh goal and do-chashmi heh meet the plain heh. */
  CHECK_NORM("بھی", "بهی");
  CHECK_NORM("ہے", "هے");
  CHECK_NORM("اللہ", "الله");
  /* ZWNJ goes: می‌شود and میشود meet. */
  CHECK_NORM("می‌شود", "میشود");
  /* Persian and Arabic-Indic digits become ASCII. */
  CHECK_NORM("۱۴۰۲", "1402");
  CHECK_NORM("٢٠٢٣", "2023");
}

PX_TEST(test_lexicon_lookup__normalize_case_and_spaces) {
  CHECK_NORM("Президент", "президент");
  CHECK_NORM("  Prime \t Minister ", "prime minister");
  CHECK_NORM("İSTANBUL", "istanbul");
  CHECK_NORM("ISRAİLOĞULLARI", "israilogullari");
  CHECK_NORM("İsrailoğulları", "israilogullari");
  CHECK_NORM("Ünlü", "unlu");
  CHECK_NORM("Éléphant", "elephant");
  CHECK_NORM("", "");
  char *out = NULL;
  CHECK_ERR(px_lexicon_normalize_word(&out, NULL, "a\xFF", 2), PX_EENCODING);
  CHECK(out == NULL);
  CHECK_ERR(px_lexicon_normalize_word(NULL, NULL, "a", 1), PX_EINVALID);
}

/* "tgt|tgt" for a raw word. */
static const char *tr(const px_lexicon *lx, const char *word) {
  return lexhelp_tr(lx, word, LEXTR_PLAIN);
}

static int add(px_lexicon *lx, const char *s, const char *t, float w) {
  return px_lexicon_add(lx, s, strlen(s), t, strlen(t), w);
}

PX_TEST(test_lexicon_lookup__vowelled_entry_found_unvowelled) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ar", "en"));
  CHECK_OK(add(lx, "ٱلرَّحِيمِ", "Merciful", 1.0f));
  CHECK_OK(add(lx, "كِتَاب", "book", 1.0f));
  CHECK_STR(tr(lx, "الرحيم"), "merciful");
  CHECK_STR(tr(lx, "الرّحيم"), "merciful");
  CHECK_STR(tr(lx, "کتاب"), "book");
  CHECK_STR(tr(lx, "كتاب"), "book");
  /* The article: the bare word is found too, at a lower weight; "الله"
   * does not give "له". */
  CHECK_OK(add(lx, "الحكومة", "government", 1.0f));
  CHECK_OK(add(lx, "اللَّه", "God", 1.0f));
  CHECK_STR(tr(lx, "حكومة"), "government");
  CHECK_STR(tr(lx, "رحيم"), "merciful");
  CHECK_STR(tr(lx, "له"), "");
  CHECK_STR(tr(lx, "الله"), "god");
  CHECK_INT(px_lexicon_size(lx), 6);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_lookup__entry_cleaning) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ru", "en"));
  CHECK_OK(add(lx, "идти", "to go", 1.0f));
  CHECK_OK(add(lx, "парень", "(informal) guy", 1.0f));
  CHECK_OK(add(lx, "война", "war, warfare; hostilities", 1.0f));
  CHECK_OK(add(lx, "государство", "the State", 1.0f));
  CHECK_OK(add(lx, "премьер-министр", "Prime Minister [pol.]", 1.0f));
  CHECK_OK(add(lx, "а", "a", 1.0f)); /* a lone "a" is kept */
  CHECK_OK(add(lx, "принять", "to adopt sth.", 1.0f));
  CHECK_OK(add(lx, "мир, покой", "peace", 1.0f));
  CHECK_OK(
      add(lx, "правительство", "government <n>Gov., /ɡˈoːf/ cabinet", 1.0f));
  CHECK_OK(add(lx, "он/она", "he/she", 1.0f));
  CHECK_OK(add(lx, "()", "nothing", 1.0f)); /* nothing left: no entry */
  CHECK_OK(add(lx, "бутандиол", "1,2-butanediol", 1.0f));
  CHECK_OK(add(lx, "один", "a (or an)", 1.0f)); /* stray closer */
  CHECK_OK(add(lx, "одна", "one) single", 1.0f));
  CHECK_STR(tr(lx, "идти"), "go");
  CHECK_STR(tr(lx, "парень"), "guy");
  CHECK_STR(tr(lx, "война"), "war|warfare|hostilities");
  CHECK_STR(tr(lx, "государство"), "state");
  CHECK_STR(tr(lx, "Премьер-министр"), "prime minister");
  CHECK_STR(tr(lx, "а"), "a");
  CHECK_STR(tr(lx, "принять"), "adopt");
  CHECK_STR(tr(lx, "мир"), "peace");
  CHECK_STR(tr(lx, "покой"), "peace");
  CHECK_STR(tr(lx, "правительство"), "government|gov|cabinet");
  CHECK_STR(tr(lx, "он/она"), "he/she");
  CHECK_STR(tr(lx, "бутандиол"), "1,2-butanediol");
  CHECK_STR(tr(lx, "один"), "a");
  CHECK_STR(tr(lx, "одна"), "one single");
  CHECK_INT(px_lexicon_size(lx), 18);
  CHECK_INT(px_lexicon_max_words(lx), 1);
  CHECK_OK(add(lx, "Организация Объединённых Наций", "United Nations", 1.0f));
  CHECK_INT(px_lexicon_max_words(lx), 3);
  CHECK_STR(tr(lx, "организация объединенных наций"), "united nations");
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_lookup__duplicates_keep_the_larger_weight) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "fa", "en"));
  CHECK_OK(add(lx, "صلح", "peace", 0.5f));
  CHECK_OK(add(lx, "صلح", "Peace", 0.9f));
  CHECK_OK(add(lx, "صلح", "peace", 0.7f));
  CHECK_INT(px_lexicon_size(lx), 1);
  const px_lexicon_entry *e = NULL;
  size_t n = 0;
  char *k = norm("صلح");
  CHECK_OK(px_lexicon_lookup(lx, k, strlen(k), &e, &n));
  CHECK_INT(n, 1);
  if (n == 1) {
    CHECK(e[0].weight > 0.89f && e[0].weight < 0.91f);
    CHECK_STR(e[0].src, k);
  }
  px_free(k);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_lookup__not_found) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "fa", "en"));
  const px_lexicon_entry *e = (const px_lexicon_entry *)1;
  size_t n = 7;
  CHECK_INT(px_lexicon_lookup(lx, "x", 1, &e, &n), PX_ENOTFOUND);
  CHECK(e == NULL);
  CHECK_INT(n, 0);
  CHECK_OK(add(lx, "صلح", "peace", 1.0f));
  CHECK_INT(px_lexicon_lookup(lx, "صل", strlen("صل"), &e, &n), PX_ENOTFOUND);
  CHECK_INT(px_lexicon_lookup(lx, "", 0, &e, &n), PX_ENOTFOUND);
  px_lexicon_free(lx);
}

typedef struct walk {
  char seen[512];
  int stop_at, calls;
} walk;

static int walk_cb(const px_lexicon_entry *e, void *payload) {
  walk *w = payload;
  size_t o = strlen(w->seen);
  snprintf(w->seen + o, sizeof w->seen - o, "%s=%s;", e->src, e->tgt);
  w->calls++;
  return w->calls == w->stop_at ? 42 : 0;
}

PX_TEST(test_lexicon_lookup__foreach_groups_by_word_and_stops) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "tr", "en"));
  CHECK_OK(add(lx, "savaş", "war", 1.0f));
  CHECK_OK(add(lx, "barış", "peace", 1.0f));
  CHECK_OK(add(lx, "savaş", "battle", 1.0f));
  walk w = {"", 0, 0};
  CHECK_OK(px_lexicon_foreach(lx, walk_cb, &w));
  /* Stored normalized: ş loses its cedilla, dotless ı becomes i. */
  CHECK_STR(w.seen, "savas=war;savas=battle;baris=peace;");
  walk w2 = {"", 2, 0};
  CHECK_INT(px_lexicon_foreach(lx, walk_cb, &w2), 42);
  CHECK_INT(w2.calls, 2);
  CHECK_ERR(px_lexicon_foreach(lx, NULL, NULL), PX_EINVALID);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_lookup__many_words_rehash) {
  /* Enough words to grow both hash tables several times. */
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "xx", "en"));
  char s[32], t[32];
  for (int i = 0; i < 20000; i++) {
    snprintf(s, sizeof s, "w%d", i);
    snprintf(t, sizeof t, "t%d", i % 977);
    CHECK_OK(add(lx, s, t, 1.0f));
  }
  CHECK_INT(px_lexicon_size(lx), 20000);
  for (int i = 0; i < 20000; i += 1234) {
    snprintf(s, sizeof s, "w%d", i);
    snprintf(t, sizeof t, "t%d", i % 977);
    CHECK_STR(tr(lx, s), t);
  }
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_lookup__bad_arguments) {
  px_lexicon *lx = NULL;
  CHECK_ERR(px_lexicon_new(&lx, "", "en"), PX_EINVALID);
  CHECK_ERR(px_lexicon_new(&lx, "fa", NULL), PX_EINVALID);
  CHECK_ERR(px_lexicon_new(NULL, "fa", "en"), PX_EINVALID);
  CHECK(lx == NULL);
  CHECK_OK(px_lexicon_new(&lx, "fa-IR", "en"));
  CHECK_STR(px_lexicon_src_lang(lx), "fa-IR");
  CHECK_STR(px_lexicon_tgt_lang(lx), "en");
  CHECK_ERR(add(lx, "a", "b", 0.0f), PX_EINVALID);
  CHECK_ERR(add(lx, "a", "b", 1.5f), PX_EINVALID);
  CHECK_ERR(add(lx, "a", "b", -1.0f), PX_EINVALID);
  CHECK_ERR(px_lexicon_add(lx, NULL, 3, "b", 1, 1.0f), PX_EINVALID);
  CHECK_ERR(px_lexicon_add(lx, "a\xFF", 2, "b", 1, 1.0f), PX_EENCODING);
  CHECK_INT(px_lexicon_size(lx), 0);
  CHECK_INT(px_lexicon_size(NULL), 0);
  px_lexicon_free(lx);
  px_lexicon_free(NULL);
}

/* Every allocation on the way fails once in turn: each call fails with
 * PX_ENOMEM and a message or succeeds, nothing leaks (ASan) and the
 * lexicon stays usable. */
PX_TEST(test_lexicon_lookup__out_of_memory) {
  char path[512];
  snprintf(path, sizeof path, "%s/oom.tsv", px_test_tmpdir());
  static const char data[] = "جنگ\twar, warfare\nصلح\tpeace\t0.5\n"
                             "دولت\tgovernment\nجنگ\tbattle\n";
  CHECK(px_test_write(path, data, sizeof data - 1) == 0);
  int failures = 0;
  for (long n = 0; n < 400; n++) {
    px_lexicon *lx = NULL;
    px_mem__fail_after(n);
    int rc = px_lexicon_new(&lx, "fa", "en");
    if (rc == 0)
      rc = px_lexicon_load_tsv(lx, path);
    if (rc == 0)
      rc = add(lx, "صلح", "calm", 1.0f);
    px_mem__fail_after(-1);
    if (rc == 0) {
      CHECK_INT(px_lexicon_size(lx), 6);
      CHECK_STR(tr(lx, "جنگ"), "war|warfare|battle");
      px_lexicon_free(lx);
      break;
    }
    failures++;
    if (rc != PX_ENOMEM)
      px_test_fail(__FILE__, __LINE__, "allocation %ld: rc %d (%s)", n, rc,
                   px_error_last()->message);
    else if (!strstr(px_error_last()->message, "out of memory"))
      px_test_fail(__FILE__, __LINE__, "allocation %ld: message \"%s\"", n,
                   px_error_last()->message);
    if (lx) {
      /* Whatever was loaded stays consistent and can be looked up. */
      (void)tr(lx, "جنگ");
      CHECK_OK(add(lx, "x", "y", 1.0f));
      CHECK_STR(tr(lx, "x"), "y");
    }
    px_lexicon_free(lx);
  }
  CHECK(failures > 5);
}
