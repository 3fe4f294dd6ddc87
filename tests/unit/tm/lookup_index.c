/*
 * lookup_index.c: fuzzy lookup and concordance on memories big enough for
 * their posting lists to span several LMDB pages, checked against a brute
 * force over the same sentences: the candidate pruning of the fuzzy
 * lookup (prefix lists, bounds, the early limit-th score) must return
 * exactly the best matches, and the concordance must return the first
 * hits in the documented order (shortest first, then oldest) with every
 * occurrence highlighted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "px_test.h"

#define NWORDS 14 /* most words in a generated sentence */
#define VOCAB 64  /* two-syllable words */
#define NUNITS 2500

static unsigned long long rng_state;
static unsigned rnd(unsigned n) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)((rng_state >> 33) % n);
}

/* Word w of the vocabulary: lower-case ASCII letters only. */
static void vocab_word(char *out, unsigned w) {
  static const char *syl[] = {"ka", "lo", "mi", "ne", "ru", "sa", "ti", "vo"};
  snprintf(out, 8, "%s%s", syl[w % 8], syl[(w / 8) % 8]);
}

typedef struct sent {
  unsigned w[NWORDS]; /* word indexes; VOCAB + k are the special words */
  size_t n;
  uint64_t id;
} sent;

static const char *special[] = {"alpha", "beta", "the"};

static void word_of(char *out, unsigned w) {
  if (w >= VOCAB)
    snprintf(out, 8, "%s", special[w - VOCAB]);
  else
    vocab_word(out, w);
}

/* The text of s: words separated by spaces, now and then by a comma; the
 * first letter of "alpha" is sometimes upper case.  Ends with a period. */
static size_t render(char *out, size_t cap, const sent *s, int commas) {
  size_t len = 0;
  for (size_t i = 0; i < s->n; i++) {
    char w[8];
    word_of(w, s->w[i]);
    if (commas && s->w[i] == VOCAB && (i % 3) == 1)
      w[0] = 'A';
    len += (size_t)snprintf(out + len, cap - len, "%s%s",
                            i == 0             ? ""
                            : commas && i == 2 ? ", "
                                               : " ",
                            w);
  }
  len += (size_t)snprintf(out + len, cap - len, ".");
  return len;
}

static px_tm *store(sent *ss, size_t n, int commas) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  for (size_t i = 0; i < n; i++) {
    char en[256], fr[300];
    size_t el = render(en, sizeof en, &ss[i], commas);
    size_t fl = (size_t)snprintf(fr, sizeof fr, "fr %zu %s", i, en);
    px_variant v[2];
    memset(v, 0, sizeof v);
    v[0].lang = "en";
    v[0].text = en;
    v[0].len = el;
    v[1].lang = "fr";
    v[1].text = fr;
    v[1].len = fl;
    px_unit u;
    memset(&u, 0, sizeof u);
    u.confidence = -1;
    u.variants = v;
    u.nvariants = 2;
    u.changed = 1000000 + (int64_t)i; /* newer ids rank first on ties */
    u.last_used = 1;
    CHECK_OK(px_tm_add(txn, &u, &ss[i].id, NULL));
  }
  CHECK_OK(px_tm_txn_commit(txn));
  return tm;
}

/* ---- fuzzy lookup against a brute force --------------------------------- */

/* Word-level Levenshtein distance. */
static size_t distance(const unsigned *a, size_t n, const unsigned *b,
                       size_t m) {
  size_t d[NWORDS + 2][NWORDS + 2];
  for (size_t j = 0; j <= m; j++)
    d[0][j] = j;
  for (size_t i = 1; i <= n; i++) {
    d[i][0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
      if (d[i - 1][j] + 1 < best)
        best = d[i - 1][j] + 1;
      if (d[i][j - 1] + 1 < best)
        best = d[i][j - 1] + 1;
      d[i][j] = best;
    }
  }
  return d[n][m];
}

typedef struct expect {
  int score;
  size_t idx;
} expect;

static int cmp_expect(const void *a, const void *b) {
  const expect *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  return x->idx > y->idx ? -1 : x->idx < y->idx; /* newer first */
}

PX_TEST(test_tm_lookup_index__fuzzy_equals_brute_force) {
  static sent ss[NUNITS];
  rng_state = 7;
  for (size_t i = 0; i < NUNITS; i++) {
    ss[i].n = 6 + rnd(NWORDS - 6 + 1);
    for (size_t k = 0; k < ss[i].n; k++)
      ss[i].w[k] = rnd(VOCAB);
    /* a very common word: its list spans several pages */
    ss[i].w[rnd((unsigned)ss[i].n)] = VOCAB + 2;
  }
  px_tm *tm = store(ss, NUNITS, 0);
  if (!tm)
    return;
  size_t checked = 0, matched = 0;
  for (size_t qi = 0; qi < 60; qi++) {
    /* a stored sentence with one to three words changed, inserted or
     * removed */
    sent q = ss[rnd(NUNITS)];
    unsigned edits = 1 + (unsigned)(qi % 3);
    for (unsigned e = 0; e < edits; e++) {
      unsigned op = rnd(3), at = rnd((unsigned)q.n);
      if (op == 0)
        q.w[at] = rnd(VOCAB);
      else if (op == 1 && q.n < NWORDS) {
        memmove(&q.w[at + 1], &q.w[at], (q.n - at) * sizeof q.w[0]);
        q.w[at] = rnd(VOCAB);
        q.n++;
      } else if (q.n > 4) {
        memmove(&q.w[at], &q.w[at + 1], (q.n - at - 1) * sizeof q.w[0]);
        q.n--;
      }
    }
    char text[256];
    size_t tl = render(text, sizeof text, &q, 0);
    int mins[] = {75, 50};
    for (size_t mi = 0; mi < 2; mi++) {
      int min = mins[mi];
      static expect ex[NUNITS];
      size_t nex = 0;
      for (size_t i = 0; i < NUNITS; i++) {
        size_t M = q.n > ss[i].n ? q.n : ss[i].n;
        size_t ld = distance(q.w, q.n, ss[i].w, ss[i].n);
        int sc = (int)(100 * (M - ld) / M);
        if (sc >= min)
          ex[nex++] = (expect){sc, i};
      }
      qsort(ex, nex, sizeof *ex, cmp_expect);
      px_lookup_opts o = PX_LOOKUP_OPTS_INIT;
      o.min_score = min;
      px_match *m = NULL;
      size_t nm = 0;
      CHECK_OK(px_tm_lookup(&m, &nm, tm, text, tl, "en", "fr", &o));
      size_t want = nex < 5 ? nex : 5;
      CHECK_INT(nm, want);
      for (size_t r = 0; r < nm && r < want; r++) {
        if (m[r].score != ex[r].score || m[r].unit_id != ss[ex[r].idx].id)
          px_test_fail(__FILE__, __LINE__,
                       "query %zu (min %d) '%s' result %zu: unit %llu "
                       "score %d, expected unit %llu score %d",
                       qi, min, text, r, (unsigned long long)m[r].unit_id,
                       m[r].score, (unsigned long long)ss[ex[r].idx].id,
                       ex[r].score);
      }
      matched += nm > 0;
      checked++;
      px_tm_matches_free(m, nm);
    }
  }
  CHECK_INT(checked, 120);
  CHECK(matched > 60); /* most queries do find their sentence */
  px_tm_close(tm);
}

/* ---- concordance against a brute force ---------------------------------- */

/* Occurrences of "alpha beta" in s (words next to each other; a comma
 * between them does not separate them). */
static size_t occurrences(const sent *s) {
  size_t n = 0;
  for (size_t i = 0; i + 1 < s->n; i++)
    if (s->w[i] == VOCAB && s->w[i + 1] == VOCAB + 1) {
      n++;
      i++;
    }
  return n;
}

typedef struct chit {
  size_t len, idx;
} chit;

static int cmp_chit(const void *a, const void *b) {
  const chit *x = a, *y = b;
  if (x->len != y->len)
    return x->len < y->len ? -1 : 1;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

PX_TEST(test_tm_lookup_index__concordance_equals_brute_force) {
  static sent ss[NUNITS];
  rng_state = 11;
  for (size_t i = 0; i < NUNITS; i++) {
    ss[i].n = 3 + rnd(NWORDS - 3 + 1);
    for (size_t k = 0; k < ss[i].n; k++) {
      unsigned r = rnd(10);
      /* both words are common (lists of several pages), together rarely */
      ss[i].w[k] = r == 0 ? VOCAB : r == 1 ? VOCAB + 1 : rnd(VOCAB);
    }
    if (rnd(12) == 0) { /* sometimes next to each other */
      unsigned at = rnd((unsigned)ss[i].n - 1);
      ss[i].w[at] = VOCAB;
      ss[i].w[at + 1] = VOCAB + 1;
    }
  }
  px_tm *tm = store(ss, NUNITS, 1);
  if (!tm)
    return;
  static chit want[NUNITS];
  size_t nwant = 0;
  for (size_t i = 0; i < NUNITS; i++)
    if (occurrences(&ss[i]))
      want[nwant++] = (chit){ss[i].n, i};
  qsort(want, nwant, sizeof *want, cmp_chit);
  CHECK(nwant > 200);
  size_t limits[] = {50, NUNITS};
  for (size_t li = 0; li < 2; li++) {
    px_concord_opts o = PX_CONCORD_OPTS_INIT;
    o.limit = limits[li];
    px_concord_hit *h = NULL;
    size_t n = 0;
    CHECK_OK(px_tm_concordance(&h, &n, tm, "ALPHA beta", 10, "en", &o));
    size_t expect_n = nwant < limits[li] ? nwant : limits[li];
    CHECK_INT(n, expect_n);
    for (size_t i = 0; i < n && i < expect_n; i++) {
      const sent *s = &ss[want[i].idx];
      if (h[i].unit->id != s->id) {
        px_test_fail(__FILE__, __LINE__,
                     "hit %zu (limit %zu): unit %llu, expected %llu", i,
                     limits[li], (unsigned long long)h[i].unit->id,
                     (unsigned long long)s->id);
        break;
      }
      CHECK_INT(h[i].nspans, occurrences(s));
      const px_variant *v = &h[i].unit->variants[h[i].variant];
      for (size_t k = 0; k < h[i].nspans; k++) {
        const char *sp = v->text + h[i].spans[k].off;
        size_t sl = h[i].spans[k].len;
        CHECK(sl >= 10 && (sp[0] == 'a' || sp[0] == 'A') &&
              memcmp(sp + sl - 4, "beta", 4) == 0);
      }
    }
    px_tm_concord_free(h, n);
  }
  /* a long phrase (more terms than are probed in the index): every unit
   * whose words hold it, found by the brute force */
  {
    const sent *s0 = NULL;
    for (size_t i = 0; i < NUNITS && !s0; i++)
      if (ss[i].n >= 12)
        s0 = &ss[i];
    CHECK(s0 != NULL);
    if (s0) {
      char ph[256];
      size_t pl = 0;
      for (size_t k = 2; k < 12; k++) {
        char w[8];
        word_of(w, s0->w[k]);
        pl += (size_t)snprintf(ph + pl, sizeof ph - pl, "%s%s",
                               k > 2 ? " " : "", w);
      }
      size_t nexp = 0;
      for (size_t i = 0; i < NUNITS; i++)
        for (size_t a = 0; a + 10 <= ss[i].n; a++)
          if (memcmp(&ss[i].w[a], &s0->w[2], 10 * sizeof s0->w[0]) == 0) {
            nexp++;
            break;
          }
      px_concord_hit *hl = NULL;
      size_t nl = 0;
      CHECK_OK(px_tm_concordance(&hl, &nl, tm, ph, pl, "en", NULL));
      CHECK_INT(nl, nexp);
      CHECK(nexp >= 1);
      px_tm_concord_free(hl, nl);
    }
  }
  /* the words the other way round occur too, but never as this phrase */
  px_concord_hit *h = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_concordance(&h, &n, tm, "beta beta alpha", 15, "en", NULL));
  for (size_t i = 0; i < n; i++)
    CHECK(h[i].nspans >= 1);
  px_tm_concord_free(h, n);
  px_tm_close(tm);
}

/* A token whose key form is empty (a lone tatweel) among the words of a
 * hit: the highlight still falls on the right bytes. */
PX_TEST(test_tm_lookup_index__concordance_spans_around_empty_key) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  const char *ar = "كتاب ـ جديد في المكتبة";
  px_variant v[2];
  memset(v, 0, sizeof v);
  v[0].lang = "ar";
  v[0].text = ar;
  v[0].len = strlen(ar);
  v[1].lang = "en";
  v[1].text = "A new book in the library";
  v[1].len = strlen(v[1].text);
  px_unit u;
  memset(&u, 0, sizeof u);
  u.confidence = -1;
  u.variants = v;
  u.nvariants = 2;
  CHECK_OK(px_tm_add(txn, &u, NULL, NULL));
  CHECK_OK(px_tm_txn_commit(txn));
  px_concord_hit *h = NULL;
  size_t n = 0;
  const char *ph = "المكتبة";
  CHECK_OK(px_tm_concordance(&h, &n, tm, ph, strlen(ph), "ar", NULL));
  CHECK_INT(n, 1);
  if (n) {
    const px_variant *hv = &h[0].unit->variants[h[0].variant];
    CHECK_INT(h[0].nspans, 1);
    if (h[0].nspans)
      CHECK_MEM(hv->text + h[0].spans[0].off, h[0].spans[0].len, ph);
  }
  px_tm_concord_free(h, n);
  const char *ph2 = "جديد في";
  CHECK_OK(px_tm_concordance(&h, &n, tm, ph2, strlen(ph2), "ar", NULL));
  CHECK_INT(n, 1);
  if (n) {
    const px_variant *hv = &h[0].unit->variants[h[0].variant];
    CHECK_INT(h[0].nspans, 1);
    if (h[0].nspans)
      CHECK_MEM(hv->text + h[0].spans[0].off, h[0].spans[0].len, ph2);
  }
  px_tm_concord_free(h, n);
  px_tm_close(tm);
}
