/*
 * lookup.c: exact, in-context and fuzzy lookup with exact expected
 * percentages (the scoring of tm/SCHEMA.md), number substitution into the
 * target's digit script, ranking, limits, and concordance with its
 * highlight spans.
 */
#include <string.h>

#include "px_test.h"

typedef struct pair {
  const char *l1, *t1, *l2, *t2;
} pair;

static px_tm *fixture(void) {
  static const pair pairs[] = {
      {"en", "The minister held talks in Tehran on Monday.", "fa",
       "وزیر روز دوشنبه در تهران مذاکره کرد."},
      {"en", "The meeting will be held on March 14-15 in Geneva.", "fa",
       "این نشست در ۱۴-۱۵ مارس در ژنو برگزار "
       "می‌شود."},
      {"en", "Prices rose by 3.5 percent last year.", "ru",
       "Цены выросли на 3.5 процента в прошлом году."},
      {"en", "Click {1}here{/1} to read more.", "fa",
       "برای خواندن بیشتر {1}اینجا{/1} را بزنید."},
      {"fa", "کتابِ خوبی است.", "en", "It is a good book."},
      {"fa", "سال ۱۴۰۲ به پایان رسید.", "en", "The year 1402 ended."},
      {"en", "The café opened in Paris.", "fr", "Le café a ouvert à Paris."},
  };
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    px_variant v[2];
    memset(v, 0, sizeof v);
    v[0].lang = pairs[i].l1;
    v[0].text = pairs[i].t1;
    v[0].len = strlen(pairs[i].t1);
    v[1].lang = pairs[i].l2;
    v[1].text = pairs[i].t2;
    v[1].len = strlen(pairs[i].t2);
    if (strchr(pairs[i].t1, '{')) {
      v[0].codes =
          "<bpt i=\"1\">&lt;a&gt;</bpt>\n<ept i=\"1\">&lt;/a&gt;</ept>";
      v[0].codes_len = strlen(v[0].codes);
      v[1].codes = v[0].codes;
      v[1].codes_len = v[0].codes_len;
    }
    if (i == 0) { /* context of the first pair */
      CHECK_OK(px_tm_context_hash(&v[0].prev_hash, "Officials arrived.", 18));
      CHECK_OK(px_tm_context_hash(&v[0].next_hash, "Talks ended late.", 17));
    }
    px_unit u;
    memset(&u, 0, sizeof u);
    u.confidence = -1;
    u.variants = v;
    u.nvariants = 2;
    u.changed = 1000 + (int64_t)i;
    CHECK_OK(px_tm_add(txn, &u, NULL, NULL));
  }
  CHECK_OK(px_tm_txn_commit(txn));
  return tm;
}

/* The best score of q (from -> to), or -1 with no result. */
static int best(px_tm *tm, const char *q, const char *from, const char *to,
                unsigned *pen) {
  px_match *m = NULL;
  size_t n = 0;
  px_lookup_opts o = PX_LOOKUP_OPTS_INIT;
  o.min_score = 50;
  int rc = px_tm_lookup(&m, &n, tm, q, strlen(q), from, to, &o);
  if (rc != 0) {
    px_test_fail(__FILE__, __LINE__, "lookup '%s': %s", q,
                 px_error_last()->message);
    return -2;
  }
  int s = n ? m[0].score : -1;
  if (pen)
    *pen = n ? m[0].penalties : 0;
  px_tm_matches_free(m, n);
  return s;
}

PX_TEST(test_tm_lookup__exact_and_penalties) {
  px_tm *tm = fixture();
  unsigned pen = 0;
  const char *q0 = "The minister held talks in Tehran on Monday.";
  px_match *m = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q0, strlen(q0), "en", "fa", NULL));
  CHECK_INT(n, 1);
  if (n) {
    CHECK_INT(m[0].score, 100);
    CHECK_INT(m[0].kind, PX_MATCH_EXACT);
    CHECK_INT(m[0].penalties, 0);
    CHECK_STR(m[0].target, "وزیر روز دوشنبه در تهران مذاکره کرد.");
    CHECK_STR(m[0].source, q0);
    CHECK_INT(m[0].substituted, 0);
    CHECK(m[0].unit && m[0].unit->nvariants == 2);
  }
  px_tm_matches_free(m, n);
  /* case only */
  CHECK_INT(best(tm, "the minister held talks in tehran on monday.", "en", "fa",
                 &pen),
            99);
  CHECK_INT(pen, PX_PEN_CASE);
  /* punctuation only */
  CHECK_INT(
      best(tm, "The minister held talks in Tehran on Monday", "en", "fa", &pen),
      99);
  CHECK_INT(pen, PX_PEN_PUNCT);
  /* white space only */
  CHECK_INT(best(tm, "The minister  held talks in Tehran on Monday.", "en",
                 "fa", &pen),
            99);
  CHECK_INT(pen, PX_PEN_SPACE);
  /* one word of 8 differs: 100 * 7 / 8 = 87 */
  CHECK_INT(best(tm, "The minister held talks in Moscow on Monday.", "en", "fa",
                 &pen),
            87);
  CHECK_INT(pen, 0);
  /* two words of 8: 75 */
  CHECK_INT(best(tm, "The president held talks in Moscow on Monday.", "en",
                 "fa", &pen),
            75);
  /* a word missing: 8 vs 7 tokens, LD 1: 87; and the punctuation too: 86 */
  CHECK_INT(
      best(tm, "The minister held talks in Tehran on Monday", "en", "ru", &pen),
      -1); /* no Russian variant */
  CHECK_INT(
      best(tm, "The minister held talks in Tehran Monday", "en", "fa", &pen),
      86);
  CHECK_INT(pen, PX_PEN_PUNCT);
  /* diacritics only (Persian kasra) */
  CHECK_INT(best(tm, "کتاب خوبی است.", "fa", "en", &pen), 99);
  CHECK_INT(pen, PX_PEN_MARKS);
  /* digits of another script only */
  CHECK_INT(best(tm, "سال 1402 به پایان رسید.", "fa", "en", &pen), 99);
  CHECK_INT(pen, PX_PEN_NUMBER);
  /* inline tags: the stored source has {1}..{/1}, the query none */
  CHECK_INT(best(tm, "Click here to read more.", "en", "fa", &pen), 99);
  CHECK_INT(pen, PX_PEN_TAGS);
  px_tm_close(tm);
}

PX_TEST(test_tm_lookup__context_match) {
  px_tm *tm = fixture();
  const char *q = "The minister held talks in Tehran on Monday.";
  px_lookup_opts o = PX_LOOKUP_OPTS_INIT;
  o.prev = "Officials  arrived";
  o.prev_len = strlen(o.prev);
  o.next = "talks ended late.";
  o.next_len = strlen(o.next);
  px_match *m = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "fa", &o));
  CHECK_INT(n, 1);
  if (n) {
    CHECK_INT(m[0].score, 101);
    CHECK_INT(m[0].kind, PX_MATCH_CONTEXT);
  }
  px_tm_matches_free(m, n);
  o.next = "Something else happened.";
  o.next_len = strlen(o.next);
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "fa", &o));
  CHECK_INT(n, 1);
  if (n) {
    CHECK_INT(m[0].score, 100);
    CHECK_INT(m[0].kind, PX_MATCH_EXACT);
  }
  px_tm_matches_free(m, n);
  px_tm_close(tm);
}

PX_TEST(test_tm_lookup__numbers_substituted) {
  px_tm *tm = fixture();
  const char *q = "The meeting will be held on March 23-24 in Geneva.";
  px_match *m = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "fa", NULL));
  CHECK_INT(n, 1);
  if (n) {
    /* 11 core tokens, LD 0, two numbers differ: 100 - 2 */
    CHECK_INT(m[0].score, 98);
    CHECK_INT(m[0].kind, PX_MATCH_FUZZY);
    CHECK_INT(m[0].penalties, PX_PEN_NUMBER);
    CHECK_INT(m[0].substituted, 1);
    CHECK_STR(m[0].target, "این نشست در ۲۳-۲۴ مارس در ژنو برگزار "
                           "می‌شود.");
    CHECK_INT(m[0].nsubst, 2);
    if (m[0].nsubst == 2) {
      CHECK_MEM(m[0].target + m[0].subst[0].off, m[0].subst[0].len, "۲۳");
      CHECK_MEM(m[0].target + m[0].subst[1].off, m[0].subst[1].len, "۲۴");
    }
  }
  px_tm_matches_free(m, n);
  /* Persian digits in the query, Russian target in ASCII digits */
  const char *q2 = "Prices rose by ۴.۲ percent last year.";
  CHECK_OK(px_tm_lookup(&m, &n, tm, q2, strlen(q2), "en", "ru", NULL));
  CHECK_INT(n, 1);
  if (n) {
    CHECK_INT(m[0].score, 99);
    CHECK_INT(m[0].substituted, 1);
    CHECK_STR(m[0].target, "Цены выросли на 4.2 процента в прошлом году.");
  }
  px_tm_matches_free(m, n);
  /* substitution can be turned off */
  px_lookup_opts o = PX_LOOKUP_OPTS_INIT;
  o.flags = PX_LOOKUP_NO_SUBST;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "fa", &o));
  CHECK_INT(n, 1);
  if (n) {
    CHECK_INT(m[0].substituted, 0);
    CHECK_STR(m[0].target, "این نشست در ۱۴-۱۵ مارس در ژنو برگزار "
                           "می‌شود.");
  }
  px_tm_matches_free(m, n);
  /* a word differs as well: a fuzzy match without substitution */
  const char *q3 = "The meeting will be held on April 23-24 in Geneva.";
  CHECK_OK(px_tm_lookup(&m, &n, tm, q3, strlen(q3), "en", "fa", NULL));
  CHECK_INT(n, 1);
  if (n) {
    CHECK_INT(m[0].score, 88); /* 100*10/11 = 90, minus 2 numbers */
    CHECK_INT(m[0].substituted, 0);
  }
  px_tm_matches_free(m, n);
  px_tm_close(tm);
}

PX_TEST(test_tm_lookup__min_limit_and_ranking) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  /* eight variants of one sentence, one word changed each */
  static const char *w[] = {"red",   "blue",  "green", "black",
                            "white", "brown", "grey",  "pink"};
  for (int i = 0; i < 8; i++) {
    char e[128], f[128];
    snprintf(e, sizeof e, "The %s car stopped near the old bridge today.",
             w[i]);
    snprintf(f, sizeof f, "Das %s Auto hielt heute an der alten Brücke.", w[i]);
    px_variant v[2];
    memset(v, 0, sizeof v);
    v[0].lang = "en";
    v[0].text = e;
    v[0].len = strlen(e);
    v[1].lang = "de";
    v[1].text = f;
    v[1].len = strlen(f);
    px_unit u;
    memset(&u, 0, sizeof u);
    u.variants = v;
    u.nvariants = 2;
    u.changed = 5000 + i; /* later ones are newer */
    CHECK_OK(px_tm_add(txn, &u, NULL, NULL));
  }
  CHECK_OK(px_tm_txn_commit(txn));
  const char *q = "The yellow car stopped near the old bridge today.";
  px_match *m = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "de", NULL));
  CHECK_INT(n, 5); /* default limit */
  for (size_t i = 0; i < n; i++)
    CHECK_INT(m[i].score, 88); /* 9 tokens, LD 1: 100*8/9 */
  /* ties: newest first */
  if (n == 5) {
    CHECK(strstr(m[0].source, "pink") != NULL);
    CHECK(strstr(m[4].source, "black") != NULL);
  }
  px_tm_matches_free(m, n);
  px_lookup_opts o = PX_LOOKUP_OPTS_INIT;
  o.limit = 20;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "de", &o));
  CHECK_INT(n, 8);
  px_tm_matches_free(m, n);
  o.min_score = 89;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "de", &o));
  CHECK_INT(n, 0);
  CHECK(m == NULL);
  o.min_score = 102;
  CHECK_ERR(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "de", &o),
            PX_EINVALID);
  CHECK_ERR(px_tm_lookup(&m, &n, tm, "\xc3", 1, "en", "de", NULL),
            PX_EENCODING);
  CHECK_ERR(px_tm_lookup(&m, &n, tm, q, strlen(q), "e n", "de", NULL),
            PX_EINVALID);
  /* the reverse direction works too */
  const char *qd = "Das red Auto hielt heute an der alten Brücke.";
  CHECK_OK(px_tm_lookup(&m, &n, tm, qd, strlen(qd), "de", "en", NULL));
  CHECK(n >= 1);
  if (n)
    CHECK_STR(m[0].target, "The red car stopped near the old bridge today.");
  px_tm_matches_free(m, n);
  px_tm_close(tm);
}

PX_TEST(test_tm_lookup__concordance) {
  px_tm *tm = fixture();
  px_concord_hit *h = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_concordance(&h, &n, tm, "HELD talks", 10, "en", NULL));
  CHECK_INT(n, 1);
  if (n) {
    const px_variant *v = &h[0].unit->variants[h[0].variant];
    CHECK_STR(v->lang, "en");
    CHECK_INT(h[0].nspans, 1);
    CHECK_MEM(v->text + h[0].spans[0].off, h[0].spans[0].len, "held talks");
  }
  px_tm_concord_free(h, n);
  /* "held" alone: two units; case and diacritic insensitive "cafe" */
  CHECK_OK(px_tm_concordance(&h, &n, tm, "held", 4, "en", NULL));
  CHECK_INT(n, 2);
  px_tm_concord_free(h, n);
  CHECK_OK(px_tm_concordance(&h, &n, tm, "CAFE", 4, "en", NULL));
  CHECK_INT(n, 1);
  if (n) {
    const px_variant *v = &h[0].unit->variants[h[0].variant];
    CHECK_MEM(v->text + h[0].spans[0].off, h[0].spans[0].len, "café");
  }
  px_tm_concord_free(h, n);
  /* Persian without the kasra finds the word with it */
  CHECK_OK(px_tm_concordance(&h, &n, tm, "کتاب", strlen("کتاب"), "fa", NULL));
  CHECK_INT(n, 1);
  if (n) {
    const px_variant *v = &h[0].unit->variants[h[0].variant];
    CHECK_MEM(v->text + h[0].spans[0].off, h[0].spans[0].len, "کتابِ");
  }
  px_tm_concord_free(h, n);
  /* inside inline codes: the markers are not words */
  CHECK_OK(px_tm_concordance(&h, &n, tm, "click here", 10, "en", NULL));
  CHECK_INT(n, 1);
  if (n) {
    const px_variant *v = &h[0].unit->variants[h[0].variant];
    CHECK_MEM(v->text + h[0].spans[0].off, h[0].spans[0].len, "Click {1}here");
  }
  px_tm_concord_free(h, n);
  /* words in the wrong order, unknown words, a language filter */
  CHECK_OK(px_tm_concordance(&h, &n, tm, "talks held", 10, "en", NULL));
  CHECK_INT(n, 0);
  CHECK_OK(px_tm_concordance(&h, &n, tm, "zebra", 5, "en", NULL));
  CHECK_INT(n, 0);
  px_concord_opts o = PX_CONCORD_OPTS_INIT;
  o.to = "ru";
  CHECK_OK(px_tm_concordance(&h, &n, tm, "held", 4, "en", &o));
  CHECK_INT(n, 0);
  CHECK_ERR(px_tm_concordance(&h, &n, tm, "...", 3, "en", NULL), PX_EINVALID);
  px_tm_close(tm);
}
