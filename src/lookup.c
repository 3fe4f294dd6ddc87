/*
 * lookup.c: exact, in-context and fuzzy lookup in a translation memory,
 * with number substitution.  Candidates come from the `exact` index (hash
 * of the key-normalized text) and the `words` index (word -> units with
 * their length), never from a scan of the memory; each candidate is then
 * scored exactly.  The scoring (tm/SCHEMA.md, "Scoring"):
 *
 *   base  = floor(100 * (M - LD) / M), M = max(|a|, |b|), LD the
 *           Levenshtein distance over core tokens (words, numbers,
 *           symbols; not punctuation) of the key form (NFC, case folded,
 *           diacritics removed, digits ASCII), where two numbers always
 *           match each other and are counted apart;
 *   score = base - 1 per differing number (at most 10)
 *                - 1 if the punctuation differs
 *                - 1 if the inline tags differ
 *           and, when nothing of that differs but the texts are not
 *           byte-identical, - 1 for a difference only in white space, only
 *           in case, only in diacritics or only in the digits' script (2 if
 *           case and diacritics), so that 100 means identical.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "lookup.h"
#include "tm.h"

#define MAX_EXACT_CANDIDATES 64
/* Postings read from one list of the prefix, and from all of them: they
 * bound the time and memory of a query made of very common words. */
#define MAX_POSTINGS_PER_TERM 250000
#define MAX_PREFIX_POSTINGS 1000000
#define MAX_CORE 2000
#define MAX_NUMBER_PENALTY 10

/* A text prepared for scoring. */
typedef struct prepared {
  char *nfc; /* NFC, markers removed (the query's: see query_nfc()) */
  size_t nfc_len;
  int own_nfc;     /* nfc was allocated here (else it is the stored text) */
  const char *src; /* the query as given, until query_nfc() */
  size_t src_len;
  char *kt; /* key form */
  size_t kt_len;
  px_token *toks;
  size_t ntok;
  uint64_t *h;        /* per core token: hash of its key form */
  unsigned char *num; /* per core token: 1 if a number */
  size_t *tok;        /* per core token: index in toks */
  size_t ncore;
  uint64_t punct; /* hash of the punctuation sequence */
  px_buf tags;    /* marker sequence */
} prepared;

static void prepared_dispose(prepared *p) {
  if (p->own_nfc)
    px_free(p->nfc);
  px_free(p->kt);
  px_free(p->toks);
  px_free(p->h);
  px_free(p->num);
  px_free(p->tok);
  px_buf_dispose(&p->tags);
  memset(p, 0, sizeof *p);
}

static int prepare_tokens(prepared *p, const char *lang);

/* A stored text (NFC already, in memory that outlives p): markers
 * stripped when has_codes, key form, and the tokens when lang is not
 * NULL. */
static int prepare(prepared *p, const char *s, size_t len, int has_codes,
                   const char *lang) {
  int rc;
  memset(p, 0, sizeof *p);
  px_buf_init(&p->tags, 4096);
  if (has_codes) {
    if ((rc = px_tm__strip_markers(&p->nfc, &p->nfc_len, &p->tags, s, len)) < 0)
      return rc;
    p->own_nfc = 1;
  } else {
    p->nfc = (char *)s;
    p->nfc_len = len;
  }
  if ((rc = px_tm__keytext(&p->kt, &p->kt_len, p->nfc, p->nfc_len, 0)) < 0)
    return rc;
  return lang ? prepare_tokens(p, lang) : 0;
}

/* The query s (memory that outlives p): only its key form now, which is
 * the same as that of its NFC form (normalizing to the key form starts
 * with NFC); most lookups find no candidate that needs the NFC form. */
static int prepare_query(prepared *p, const char *s, size_t len) {
  memset(p, 0, sizeof *p);
  px_buf_init(&p->tags, 4096);
  p->src = s;
  p->src_len = len;
  return px_tm__keytext(&p->kt, &p->kt_len, s, len, 0);
}

/* The query's NFC form, made on first use. */
static int query_nfc(prepared *p) {
  if (!p->src)
    return 0;
  int rc =
      px_text_normalize(&p->nfc, &p->nfc_len, p->src, p->src_len, PX_NORM_NFC);
  if (rc < 0)
    return rc;
  p->own_nfc = 1;
  p->src = NULL;
  return 0;
}

/* The second half of prepare(): tokens and their hashes. */
static int prepare_tokens(prepared *p, const char *lang) {
  int rc;
  if (p->h)
    return 0; /* done already */
  if ((rc = px_text_tokenize(&p->toks, &p->ntok, p->kt, p->kt_len, lang)) < 0)
    return rc;
  p->h = px_malloc((p->ntok + 1) * sizeof *p->h);
  p->num = px_malloc(p->ntok + 1);
  p->tok = px_malloc((p->ntok + 1) * sizeof *p->tok);
  if (!p->h || !p->num || !p->tok)
    return PX_ENOMEM;
  uint64_t ph = 1469598103934665603ull;
  for (size_t i = 0; i < p->ntok; i++) {
    const px_token *t = &p->toks[i];
    if (!px_tm__core_token(t)) {
      ph = (ph ^ px_text_hash(p->kt + t->off, t->len)) * 1099511628211ull;
      continue;
    }
    p->h[p->ncore] = px_text_hash(p->kt + t->off, t->len);
    p->num[p->ncore] = t->kind == PX_TOK_NUMBER;
    p->tok[p->ncore] = i;
    p->ncore++;
  }
  p->punct = ph;
  return 0;
}

/* A differing pair of numbers: query core index, candidate core index. */
typedef struct numpair {
  size_t q, c;
} numpair;

typedef struct score_detail {
  int score;
  unsigned pen;
  numpair *pairs; /* differing numbers, in order */
  size_t npairs;
  int only_numbers; /* everything but numbers is identical */
} score_detail;

static int tok_eq(const prepared *a, size_t i, const prepared *b, size_t j) {
  return a->h[i] == b->h[j] || (a->num[i] && b->num[j]);
}

/* Same normalized form under flags? */
static int same_form(const prepared *a, const prepared *b, unsigned flags,
                     int *eq) {
  char *x = NULL, *y = NULL;
  size_t xl = 0, yl = 0;
  int rc = px_text_normalize(&x, &xl, a->nfc, a->nfc_len, flags);
  if (rc == 0)
    rc = px_text_normalize(&y, &yl, b->nfc, b->nfc_len, flags);
  if (rc == 0)
    *eq = xl == yl && memcmp(x, y, xl) == 0;
  px_free(x);
  px_free(y);
  return rc;
}

static int score_pair(score_detail *d, const prepared *q, const prepared *c) {
  memset(d, 0, sizeof *d);
  size_t n = q->ncore, m = c->ncore;
  size_t M = n > m ? n : m;
  size_t ld = 0;
  if (M > 0) {
    /* full DP matrix for the backtrace (sizes are capped by MAX_CORE) */
    size_t w = m + 1;
    uint32_t *dp = px_malloc((n + 1) * w * sizeof *dp);
    if (!dp)
      return PX_ENOMEM;
    for (size_t j = 0; j <= m; j++)
      dp[j] = (uint32_t)j;
    for (size_t i = 1; i <= n; i++) {
      dp[i * w] = (uint32_t)i;
      for (size_t j = 1; j <= m; j++) {
        uint32_t best = dp[(i - 1) * w + j - 1] + !tok_eq(q, i - 1, c, j - 1);
        uint32_t del = dp[(i - 1) * w + j] + 1, ins = dp[i * w + j - 1] + 1;
        if (del < best)
          best = del;
        if (ins < best)
          best = ins;
        dp[i * w + j] = best;
      }
    }
    ld = dp[n * w + m];
    /* backtrace: the number pairs that differ */
    size_t i = n, j = m, cap = 0;
    while (i > 0 && j > 0) {
      int eq = tok_eq(q, i - 1, c, j - 1);
      if (dp[i * w + j] == dp[(i - 1) * w + j - 1] + !eq) {
        if (eq && q->h[i - 1] != c->h[j - 1]) {
          if (PX_GROW(d->pairs, d->npairs, cap) < 0) {
            px_free(dp);
            return PX_ENOMEM;
          }
          d->pairs[d->npairs++] = (numpair){i - 1, j - 1};
        }
        i--, j--;
      } else if (dp[i * w + j] == dp[(i - 1) * w + j] + 1)
        i--;
      else
        j--;
    }
    px_free(dp);
    /* pairs were collected back to front */
    for (size_t a = 0, b = d->npairs; a + 1 < b; a++, b--) {
      numpair t = d->pairs[a];
      d->pairs[a] = d->pairs[b - 1];
      d->pairs[b - 1] = t;
    }
  }
  int base = M ? (int)(100 * (M - ld) / M) : (q->punct == c->punct ? 100 : 0);
  int pen = 0;
  if (d->npairs) {
    d->pen |= PX_PEN_NUMBER;
    pen += d->npairs > MAX_NUMBER_PENALTY ? MAX_NUMBER_PENALTY : (int)d->npairs;
  }
  if (q->punct != c->punct) {
    d->pen |= PX_PEN_PUNCT;
    pen++;
  }
  if (q->tags.len != c->tags.len ||
      (q->tags.len && memcmp(q->tags.ptr, c->tags.ptr, q->tags.len) != 0)) {
    d->pen |= PX_PEN_TAGS;
    pen++;
  }
  d->only_numbers = ld == 0 && !(d->pen & ~PX_PEN_NUMBER);
  if (base == 100 && pen == 0 &&
      !(q->nfc_len == c->nfc_len && memcmp(q->nfc, c->nfc, q->nfc_len) == 0)) {
    /* the same words: find the smallest kind of difference */
    static const struct {
      unsigned flags, pen;
    } steps[] = {{PX_NORM_SPACES, PX_PEN_SPACE},
                 {PX_NORM_SPACES | PX_NORM_FOLD, PX_PEN_CASE},
                 {PX_NORM_SPACES | PX_NORM_MARKS, PX_PEN_MARKS},
                 {PX_NORM_SPACES | PX_NORM_DIGITS, PX_PEN_NUMBER}};
    int found = 0;
    for (size_t s = 0; s < sizeof steps / sizeof steps[0] && !found; s++) {
      int eq = 0;
      int rc = same_form(q, c, steps[s].flags, &eq);
      if (rc < 0)
        return rc;
      if (eq) {
        d->pen |= steps[s].pen;
        pen = 1;
        found = 1;
      }
    }
    if (!found) {
      d->pen |= PX_PEN_CASE | PX_PEN_MARKS;
      pen = 2;
    }
  }
  d->score = base - pen < 0 ? 0 : base - pen;
  return 0;
}

/* ---- number substitution ------------------------------------------------ */

/* The ASCII digits of a number token (other characters kept). */
static int ascii_number(char **out, size_t *len, const char *s, size_t n) {
  return px_text_normalize(out, len, s, n, PX_NORM_DIGITS);
}

/* Replace in target the candidate's differing numbers by the query's.
 * *out NULL when some number is not found in the target. */
static int substitute(char **out, size_t *out_len, px_span **spans,
                      size_t *nspans, const score_detail *d, const prepared *q,
                      const prepared *c, const char *target, size_t tlen,
                      const char *tlang) {
  *out = NULL;
  *spans = NULL;
  *nspans = 0;
  px_token *tt = NULL;
  size_t nt = 0;
  int rc = px_text_tokenize(&tt, &nt, target, tlen, tlang);
  if (rc < 0)
    return rc;
  unsigned char *used = px_calloc(nt + 1, 1);
  size_t *where = px_calloc(d->npairs + 1, sizeof *where);
  px_buf b = PX_BUF_INIT;
  px_span *sp = NULL;
  size_t nsp = 0;
  if (!used || !where) {
    rc = PX_ENOMEM;
    goto done;
  }
  for (size_t k = 0; k < d->npairs; k++) {
    const px_token *ct = &c->toks[c->tok[d->pairs[k].c]];
    const char *cv = c->kt + ct->off;
    size_t cvl = ct->len, found = nt;
    for (size_t i = 0; i < nt && found == nt; i++) {
      if (used[i] || tt[i].kind != PX_TOK_NUMBER)
        continue;
      char *a = NULL;
      size_t al = 0;
      if ((rc = ascii_number(&a, &al, target + tt[i].off, tt[i].len)) < 0)
        goto done;
      if (al == cvl && memcmp(a, cv, al) == 0)
        found = i;
      px_free(a);
    }
    if (found == nt)
      goto done; /* cannot place this number: no substitution */
    used[found] = 1;
    where[k] = found;
  }
  /* rebuild the target in order of position */
  sp = px_calloc(d->npairs + 1, sizeof *sp);
  if (!sp) {
    rc = PX_ENOMEM;
    goto done;
  }
  size_t pos = 0;
  for (size_t i = 0; i < nt; i++) {
    if (!used[i])
      continue;
    size_t k = 0;
    while (where[k] != i)
      k++;
    const px_token *qt = &q->toks[q->tok[d->pairs[k].q]];
    char *digits = NULL;
    size_t dl = 0;
    if ((rc = px_text_digits_for_lang(&digits, &dl, q->kt + qt->off, qt->len,
                                      tlang)) < 0)
      goto done;
    if ((rc = px_buf_put(&b, target + pos, tt[i].off - pos)) == 0) {
      sp[nsp].off = b.len;
      sp[nsp].len = dl;
      nsp++;
      rc = px_buf_put(&b, digits, dl);
    }
    px_free(digits);
    if (rc < 0)
      goto done;
    pos = tt[i].off + tt[i].len;
  }
  if ((rc = px_buf_put(&b, target + pos, tlen - pos)) < 0)
    goto done;
  *out = px_buf_detach(&b, out_len);
  if (!*out) {
    rc = PX_ENOMEM;
    goto done;
  }
  *spans = sp;
  *nspans = nsp;
  sp = NULL;
done:
  px_buf_dispose(&b);
  px_free(sp);
  px_free(tt);
  px_free(used);
  px_free(where);
  return rc;
}

/* ---- candidate gathering ---------------------------------------------------
 *
 * The rarest lists (the prefix: a match must contain one of their terms)
 * give the candidates; the other lists are only intersected with the
 * candidates, seeking leaf page by leaf page (px_tm__plist), so a long list
 * costs at most one seek per candidate, never a scan of the list.  After
 * each list the candidates that cannot reach the threshold any more are
 * dropped, using their length (the posting's length byte).
 */

/* A posting as one number, length byte << 32 | unit id: numeric order is
 * the index's order (memcmp of the 5 bytes), so every list of a term is
 * sorted by it and two lists intersect by a merge. */
static inline uint64_t post_get(const unsigned char *p) {
  return (uint64_t)p[0] << 32 | (uint32_t)p[1] << 24 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 8 | p[4];
}

static void post_put(unsigned char *p, uint64_t v) {
  p[0] = (unsigned char)(v >> 32);
  px_tm__put_u32(p + 1, (uint32_t)v);
}

void px_tm__plist_init(px_tm__plist *l, MDB_cursor *cur,
                       const unsigned char *key, size_t klen, unsigned hi) {
  memset(l, 0, sizeof *l);
  l->cur = cur;
  l->key.mv_data = (void *)key;
  l->key.mv_size = klen;
  l->end = (uint64_t)(hi + 1) << 32;
}

/* The first posting in the page at or after x, from index from on. */
static size_t page_find(const px_tm__plist *l, size_t from, uint64_t x) {
  size_t a = from, b = l->npg;
  while (a < b) {
    size_t mid = a + (b - a) / 2;
    if (post_get(l->pg + mid * PX_TM__POSTING) < x)
      a = mid + 1;
    else
      b = mid;
  }
  return a;
}

/* Loads the page the cursor is on (MDB_GET_MULTIPLE, with cur the item it
 * is on) or the following one (MDB_NEXT_MULTIPLE, cur NULL).  A term with
 * one posting has no page of duplicates: MDB_GET_MULTIPLE then leaves the
 * item as it is, a page of one.  0, or 1 when there is none. */
static int plist_load(px_tm__plist *l, MDB_cursor_op op, const MDB_val *cur) {
  MDB_val v = {0, NULL};
  if (cur)
    v = *cur;
  int mrc = mdb_cursor_get(l->cur, &l->key, &v, op);
  if (mrc == MDB_NOTFOUND || (mrc == 0 && v.mv_size < PX_TM__POSTING)) {
    l->done = 1;
    return 1;
  }
  if (mrc)
    return px_tm__mdb_error(mrc, "reading the word index");
  l->pg = v.mv_data;
  l->npg = v.mv_size / PX_TM__POSTING;
  l->pos = 0;
  return 0;
}

int px_tm__plist_seek(px_tm__plist *l, uint64_t x, uint64_t *out) {
  int rc;
  if (l->done)
    return 0;
  if (l->pg && post_get(l->pg + (l->npg - 1) * PX_TM__POSTING) >= x) {
    l->pos = page_find(l, l->pos, x); /* inside the current page */
  } else {
    unsigned char seek[PX_TM__POSTING];
    post_put(seek, x);
    MDB_val v = {PX_TM__POSTING, seek};
    int mrc = mdb_cursor_get(l->cur, &l->key, &v, MDB_GET_BOTH_RANGE);
    if (mrc == MDB_NOTFOUND) {
      l->done = 1;
      return 0;
    }
    if (mrc)
      return px_tm__mdb_error(mrc, "reading the word index");
    if ((rc = plist_load(l, MDB_GET_MULTIPLE, &v)) != 0)
      return rc < 0 ? rc : 0;
    l->pos = page_find(l, 0, x);
    if (l->pos == l->npg && (rc = plist_load(l, MDB_NEXT_MULTIPLE, NULL)) != 0)
      return rc < 0 ? rc : 0; /* not expected: the cursor's item is >= x */
  }
  uint64_t p = post_get(l->pg + l->pos * PX_TM__POSTING);
  if (p >= l->end) {
    l->done = 1;
    return 0;
  }
  *out = p;
  return 1;
}

int px_tm__plist_next(px_tm__plist *l, uint64_t *out) {
  if (l->done || !l->pg)
    return 0;
  if (++l->pos >= l->npg) {
    int rc = plist_load(l, MDB_NEXT_MULTIPLE, NULL);
    if (rc)
      return rc < 0 ? rc : 0;
  }
  uint64_t p = post_get(l->pg + l->pos * PX_TM__POSTING);
  if (p >= l->end) {
    l->done = 1;
    return 0;
  }
  *out = p;
  return 1;
}

typedef struct term {
  const char *s;
  size_t len;
  size_t count; /* posting-list length */
} term;

static int cmp_term(const void *a, const void *b) {
  const term *x = a, *y = b;
  return x->count < y->count ? -1 : x->count > y->count;
}

/* A candidate: its posting, the query terms known to be in it, and the
 * best score it can still reach. */
typedef struct cand {
  uint64_t post;
  uint32_t cnt;
  int bound;
} cand;

static int cmp_cand(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->bound != y->bound)
    return x->bound > y->bound ? -1 : 1;
  if (x->cnt != y->cnt)
    return x->cnt > y->cnt ? -1 : 1;
  return x->post < y->post ? -1 : x->post > y->post;
}

/* The query: n core tokens, of which shared_max can be shared beyond the
 * distinct terms known to be shared (numbers, repeated words, unread
 * lists).  The score of a candidate of len core tokens (the length byte:
 * 255 means at least 255) sharing cnt known terms is at most this:
 * LD >= max(n, len) - common. */
static int cand_bound(size_t cnt, size_t shared_max, size_t n, unsigned len) {
  size_t common = cnt + shared_max;
  if (common > n)
    common = n;
  if (len < 255 && common > len)
    common = len;
  size_t M = n > len ? n : len;
  return M ? (int)(100 * common / M) : 100;
}

/* The postings of the prefix lists merged: a heap of list heads. */
typedef struct head {
  uint64_t post;
  size_t list;
  size_t got; /* postings of the list read so far */
} head;

static void heap_down(head *h, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, s = i;
    if (l < n && h[l].post < h[s].post)
      s = l;
    if (l + 1 < n && h[l + 1].post < h[s].post)
      s = l + 1;
    if (s == i)
      return;
    head t = h[i];
    h[i] = h[s];
    h[s] = t;
    i = s;
  }
}

/* Scoring, defined with the lookup below: the gathering scores its best
 * candidates early to raise the bar for the others. */
typedef struct lookup_ctx lookup_ctx;
static int consider(lookup_ctx *c, uint32_t id);
static int ctx_kth(lookup_ctx *c, size_t limit);

/* Candidates left when the remaining lists are no longer worth reading:
 * scoring these few costs less than seeking them in long lists. */
#define FEW_CANDIDATES 16

/* Fuzzy candidates for q, highest bound first, at most k: *out holds them
 * with their bounds (the caller frees it).  Up to limit of them are
 * scored on the way (consider() into lc): the caller's scoring skips
 * those. */
static int fuzzy_candidates(cand **out, size_t *n_out, lookup_ctx *lc,
                            px_tm *tm, MDB_txn *t, const prepared *q,
                            const char *lkey, int min, size_t k, size_t limit) {
  *out = NULL;
  *n_out = 0;
  term *terms = NULL;
  size_t nt = 0;
  cand *cs = NULL;
  size_t nc = 0, capc = 0;
  unsigned char *keys = NULL; /* the prefix lists' keys */
  px_tm__plist *pls = NULL;
  MDB_cursor **curs = NULL;
  size_t nlists = 0;
  head *heap = NULL;
  MDB_cursor *cur = NULL;
  int rc = 0;
  size_t n = q->ncore;
  if (n == 0)
    return 0;
  terms = px_calloc(n, sizeof *terms);
  if (!terms)
    return PX_ENOMEM;
  int mrc = mdb_cursor_open(t, tm->words, &cur);
  if (mrc) {
    rc = px_tm__mdb_error(mrc, "reading the word index");
    goto done;
  }
  size_t lk = strlen(lkey);
  unsigned char kb[PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX + 8];
  memcpy(kb, lkey, lk + 1);
  size_t nnum = 0;
  for (size_t i = 0; i < n; i++) {
    if (q->num[i]) {
      nnum++;
      continue;
    }
    const px_token *tk = &q->toks[q->tok[i]];
    size_t tl = tk->len;
    if (tl > PX_TM__TERM_MAX) {
      tl = PX_TM__TERM_MAX;
      while (tl > 0 && ((unsigned char)q->kt[tk->off + tl] & 0xC0) == 0x80)
        tl--;
    }
    int dup = 0;
    for (size_t j = 0; j < nt && !dup; j++)
      dup = terms[j].len == tl && memcmp(terms[j].s, q->kt + tk->off, tl) == 0;
    if (dup)
      continue;
    terms[nt].s = q->kt + tk->off;
    terms[nt].len = tl;
    memcpy(kb + lk + 1, terms[nt].s, tl);
    MDB_val key = {lk + 1 + tl, kb}, v;
    mrc = mdb_cursor_get(cur, &key, &v, MDB_SET);
    if (mrc == MDB_NOTFOUND)
      terms[nt].count = 0;
    else if (mrc) {
      rc = px_tm__mdb_error(mrc, "reading the word index");
      goto done;
    } else {
      size_t c = 0;
      mdb_cursor_count(cur, &c);
      terms[nt].count = (size_t)c;
    }
    nt++;
  }
  if (nt == 0)
    goto done;
  qsort(terms, nt, sizeof *terms, cmp_term);
  /* length window and the overlap a match needs */
  unsigned lo = (unsigned)((n * (size_t)min + 99) / 100);
  unsigned hi = min > 0 ? (unsigned)(n * 100 / (size_t)min) : 255;
  if (hi > 255)
    hi = 255;
  if (lo > 255)
    lo = 255;
  size_t need = (n * (size_t)min + 99) / 100; /* common core tokens */
  size_t free_tokens = (n - nnum) - nt;       /* repeated words */
  size_t need_terms = need > nnum + free_tokens ? need - nnum - free_tokens : 1;
  if (need_terms > nt)
    need_terms = nt;
  size_t prefix = nt - need_terms + 1; /* a match has one of these */
  size_t unread = 0;                   /* terms with postings not yet read */
  for (size_t i = prefix; i < nt; i++)
    unread += terms[i].count > 0;
  /* the prefix lists, merged as they are read (a heap of list heads, one
   * cursor each): one candidate per posting, counting the lists it is in.
   * Nothing is copied, so a long list costs no memory. */
  enum { KEYMAX = PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX + 8 };
  keys = px_malloc(prefix * KEYMAX);
  pls = px_calloc(prefix, sizeof *pls);
  curs = px_calloc(prefix, sizeof *curs);
  heap = px_calloc(prefix, sizeof *heap);
  if (!keys || !pls || !curs || !heap) {
    rc = PX_ENOMEM;
    goto done;
  }
  size_t nh = 0, total = 0;
  for (size_t i = 0; i < prefix; i++) {
    if (terms[i].count == 0)
      continue;
    unsigned char *key = keys + nlists * KEYMAX;
    memcpy(key, lkey, lk + 1);
    memcpy(key + lk + 1, terms[i].s, terms[i].len);
    if ((mrc = mdb_cursor_open(t, tm->words, &curs[nlists]))) {
      rc = px_tm__mdb_error(mrc, "reading the word index");
      goto done;
    }
    px_tm__plist *l = &pls[nlists];
    px_tm__plist_init(l, curs[nlists], key, lk + 1 + terms[i].len, hi);
    uint64_t p;
    if ((rc = px_tm__plist_seek(l, (uint64_t)lo << 32, &p)) < 0)
      goto done;
    if (rc == 1)
      heap[nh++] = (head){p, nlists, 1};
    nlists++;
  }
  rc = 0;
  for (size_t i = nh / 2; i-- > 0;)
    heap_down(heap, nh, i);
  size_t shared_max = unread + nnum + free_tokens;
  while (nh) {
    uint64_t p = heap[0].post;
    uint32_t cnt = 0;
    while (nh && heap[0].post == p) {
      head *h = &heap[0];
      cnt++;
      int r = 0;
      if (h->got < MAX_POSTINGS_PER_TERM && ++total < MAX_PREFIX_POSTINGS &&
          (r = px_tm__plist_next(&pls[h->list], &h->post)) < 0) {
        rc = r;
        goto done;
      }
      if (r == 1)
        h->got++;
      else
        heap[0] = heap[--nh];
      heap_down(heap, nh, 0);
    }
    int b = cand_bound(cnt, shared_max, n, (unsigned)(p >> 32));
    if (b < min)
      continue;
    if (PX_GROW(cs, nc, capc) < 0) {
      rc = PX_ENOMEM;
      goto done;
    }
    cs[nc++] = (cand){p, cnt, b};
  }
  /* the candidates sharing the most terms so far are scored now: the
   * limit-th of their scores is a bar the others must be able to reach
   * (a candidate whose bound is below it cannot enter the results) */
  int floor = min;
  if (prefix < nt && nc > limit && limit <= 64) {
    size_t best[64], nb = 0;
    for (size_t c = 0; c < nc; c++) {
      size_t j = nb < limit ? nb++ : limit;
      if (j == limit && cs[c].cnt <= cs[best[limit - 1]].cnt)
        continue;
      if (j == limit)
        j = limit - 1;
      while (j > 0 && cs[best[j - 1]].cnt < cs[c].cnt) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = c;
    }
    for (size_t b = 0; b < nb; b++)
      if ((rc = consider(lc, (uint32_t)cs[best[b]].post)) < 0)
        goto done;
    int kth = ctx_kth(lc, limit);
    if (kth > floor)
      floor = kth;
  }
  /* the other lists, rarest first: count the candidates in each, then
   * drop those that can no longer reach the bar */
  for (size_t i = prefix; i < nt && nc > 0; i++) {
    size_t j = 0;
    for (size_t c = 0; c < nc; c++) {
      cs[c].bound =
          cand_bound(cs[c].cnt, shared_max, n, (unsigned)(cs[c].post >> 32));
      if (cs[c].bound >= floor)
        cs[j++] = cs[c];
    }
    nc = j;
    if (nc <= FEW_CANDIDATES)
      break;
    if (terms[i].count == 0)
      continue;
    memcpy(kb + lk + 1, terms[i].s, terms[i].len);
    px_tm__plist l;
    px_tm__plist_init(&l, cur, kb, lk + 1 + terms[i].len, hi);
    for (size_t c = 0; c < nc; c++) {
      uint64_t p;
      rc = px_tm__plist_seek(&l, cs[c].post, &p);
      if (rc < 0)
        goto done;
      if (rc == 0)
        break;
      cs[c].cnt += p == cs[c].post;
    }
    rc = 0;
    unread--;
    shared_max = unread + nnum + free_tokens;
  }
  {
    size_t j = 0;
    for (size_t c = 0; c < nc; c++) {
      cs[c].bound =
          cand_bound(cs[c].cnt, shared_max, n, (unsigned)(cs[c].post >> 32));
      if (cs[c].bound >= floor)
        cs[j++] = cs[c];
    }
    nc = j;
  }
  if (nc == 0)
    goto done;
  qsort(cs, nc, sizeof *cs, cmp_cand);
  *out = cs;
  *n_out = nc > k ? k : nc;
  cs = NULL;
done:
  if (cur)
    mdb_cursor_close(cur);
  for (size_t i = 0; i < nlists; i++)
    mdb_cursor_close(curs[i]);
  px_free(curs);
  px_free(pls);
  px_free(keys);
  px_free(heap);
  px_free(terms);
  px_free(cs);
  return rc;
}

/* ---- the lookup ------------------------------------------------------------
 */

typedef struct hit {
  uint32_t id;
  int score;
  px_match_kind kind;
  unsigned pen;
  int64_t changed, last_used;
  uint32_t usage;
} hit;

static int cmp_hit(const void *a, const void *b) {
  const hit *x = a, *y = b;
  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if (x->changed != y->changed)
    return x->changed > y->changed ? -1 : 1;
  if (x->last_used != y->last_used)
    return x->last_used > y->last_used ? -1 : 1;
  if (x->usage != y->usage)
    return x->usage > y->usage ? -1 : 1;
  return x->id < y->id ? -1 : x->id > y->id;
}

/* The limit-th best score among hits (limit <= n). */
static int kth_score(const hit *h, size_t n, size_t limit) {
  int best[64];
  size_t nb = limit, have = 0;
  if (limit > 64)
    return -1; /* no early stop for long lists */
  for (size_t i = 0; i < n; i++) {
    int s = h[i].score;
    if (have < nb) {
      size_t j = have++;
      while (j > 0 && best[j - 1] < s) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = s;
    } else if (s > best[nb - 1]) {
      size_t j = nb - 1;
      while (j > 0 && best[j - 1] < s) {
        best[j] = best[j - 1];
        j--;
      }
      best[j] = s;
    }
  }
  return have ? best[have - 1] : -1;
}

void px_tm_matches_free(px_match *m, size_t count) {
  if (!m)
    return;
  for (size_t i = 0; i < count; i++) {
    px_free((void *)m[i].target);
    px_free((void *)m[i].subst);
    px_unit_free((px_unit *)m[i].unit);
  }
  px_free(m);
}

/* Scores candidate id; appends to hits when it is good enough. */
typedef struct lookup_ctx {
  px_tm *tm;
  MDB_txn *t;
  prepared *q;
  const char *from, *to, *lfrom, *lto;
  int min;
  uint64_t qprev, qnext;
  int has_ctx;
  int exact_only; /* PX_LOOKUP_EXACT: only scores of 100 and 101 count */
  hit *hits;
  size_t nhits, cap;
  uint32_t *seen;
  size_t nseen, capseen;
} lookup_ctx;

static int seen_before(lookup_ctx *c, uint32_t id) {
  for (size_t i = 0; i < c->nseen; i++)
    if (c->seen[i] == id)
      return 1;
  if (PX_GROW(c->seen, c->nseen, c->capseen) < 0)
    return -1;
  c->seen[c->nseen++] = id;
  return 0;
}

static int ctx_kth(lookup_ctx *c, size_t limit) {
  return c->nhits >= limit ? kth_score(c->hits, c->nhits, limit) : -1;
}

static int consider(lookup_ctx *c, uint32_t id) {
  int s = seen_before(c, id);
  if (s)
    return s < 0 ? PX_ENOMEM : 0;
  unsigned char kb[4];
  px_tm__put_u32(kb, id);
  MDB_val k = {4, kb}, v;
  int mrc = mdb_get(c->t, c->tm->units, &k, &v);
  if (mrc == MDB_NOTFOUND)
    return 0; /* a stale index entry */
  if (mrc)
    return px_tm__mdb_error(mrc, "reading a unit");
  const char *tgt = NULL;
  size_t tl = 0;
  int rc = px_tm__rec_peek_text(&tgt, &tl, v.mv_data, v.mv_size, c->to);
  if (rc == PX_ENOTFOUND)
    return 0; /* no translation into the language asked for */
  if (rc < 0)
    return rc;
  /* the source text without decoding the record: only a text with a
   * brace can hold inline-code markers, whose codes the record tells */
  const char *src = NULL;
  size_t sl = 0, codes_len = 0;
  rc = px_tm__rec_peek_text(&src, &sl, v.mv_data, v.mv_size, c->from);
  if (rc == PX_ENOTFOUND)
    return 0;
  if (rc < 0)
    return rc;
  px_tm__rec *rec = NULL;
  const px_variant *sv = NULL;
  if (memchr(src, '{', sl)) {
    if ((rc = px_tm__rec_decode(&rec, v.mv_data, v.mv_size, id)) < 0)
      return rc;
    if (!(sv = px_unit_variant(&rec->u, c->from))) {
      px_unit_free(&rec->u);
      return 0;
    }
    src = sv->text;
    sl = sv->len;
    codes_len = sv->codes_len;
  }
  prepared cp;
  memset(&cp, 0, sizeof cp);
  score_detail d;
  memset(&d, 0, sizeof d);
  int hopeless = 0;
  if ((rc = query_nfc(c->q)) < 0)
    goto done;
  int same = sl == c->q->nfc_len && memcmp(src, c->q->nfc, sl) == 0;
  if (codes_len == 0 && same) {
    d.score = 100; /* byte-identical: no need to tokenize */
  } else if (c->exact_only && codes_len == 0) {
    hopeless = 1; /* not identical: 99 at best (tm/SCHEMA.md) */
  } else {
    rc = prepare_tokens(c->q, c->lfrom);
    if (rc == 0)
      rc = prepare(&cp, src, sl, codes_len > 0, c->lfrom);
    /* the length ratio bounds the score: skip hopeless (and huge) pairs
     * before the O(n*m) distance */
    size_t lo_n = cp.ncore < c->q->ncore ? cp.ncore : c->q->ncore;
    size_t hi_n = cp.ncore < c->q->ncore ? c->q->ncore : cp.ncore;
    hopeless = rc == 0 && hi_n > 0 && 100 * lo_n < (size_t)c->min * hi_n;
    if (rc == 0 && !hopeless)
      rc = score_pair(&d, c->q, &cp);
  }
  if (rc < 0 || hopeless || d.score < c->min)
    goto done;
  /* a hit: the record for context and dates */
  if (!rec) {
    if ((rc = px_tm__rec_decode(&rec, v.mv_data, v.mv_size, id)) < 0)
      goto done;
    if (!(sv = px_unit_variant(&rec->u, c->from)))
      goto done;
  }
  if (PX_GROW(c->hits, c->nhits, c->cap) < 0) {
    rc = PX_ENOMEM;
    goto done;
  }
  hit *h = &c->hits[c->nhits++];
  h->id = id;
  h->score = d.score;
  h->pen = d.pen;
  h->kind = d.score == 100 ? PX_MATCH_EXACT : PX_MATCH_FUZZY;
  if (h->kind == PX_MATCH_EXACT && c->has_ctx) {
    int ok = 1;
    if (c->qprev && c->qprev != sv->prev_hash)
      ok = 0;
    if (c->qnext && c->qnext != sv->next_hash)
      ok = 0;
    if (!c->qprev && sv->prev_hash)
      ok = 0;
    if (!c->qnext && sv->next_hash)
      ok = 0;
    if (ok) {
      h->kind = PX_MATCH_CONTEXT;
      h->score = 101;
    }
  }
  h->changed = rec->u.changed;
  h->last_used = rec->u.last_used;
  h->usage = rec->u.usage_count;
done:
  px_free(d.pairs);
  prepared_dispose(&cp);
  if (rec)
    px_unit_free(&rec->u);
  return rc;
}

/* consider() for the ids px_tm__exact_in_runs() finds, with the cap on
 * exact candidates; an error stops the walk and is kept in rc. */
typedef struct exact_run_ctx {
  lookup_ctx *c;
  size_t n;
  int rc;
} exact_run_ctx;

static int consider_run(void *arg, uint32_t id) {
  exact_run_ctx *x = arg;
  if (x->n++ >= MAX_EXACT_CANDIDATES)
    return 1;
  if ((x->rc = consider(x->c, id)) < 0)
    return 1;
  return 0;
}

/* Builds the public result for hit h. */
static int make_match(px_match *out, lookup_ctx *c, const hit *h,
                      int subst_ok) {
  px_unit *u = NULL;
  int rc = 0;
  unsigned char kb[4];
  px_tm__put_u32(kb, h->id);
  MDB_val k = {4, kb}, v;
  int mrc = mdb_get(c->t, c->tm->units, &k, &v);
  if (mrc)
    return px_tm__mdb_error(mrc, "reading a unit");
  px_tm__rec *rec = NULL;
  if ((rc = px_tm__rec_decode(&rec, v.mv_data, v.mv_size, h->id)) < 0)
    return rc;
  u = &rec->u;
  const px_variant *sv = px_unit_variant(u, c->from);
  const px_variant *tv = px_unit_variant(u, c->to);
  memset(out, 0, sizeof *out);
  out->unit_id = h->id;
  out->score = h->score;
  out->kind = h->kind;
  out->penalties = h->pen;
  out->source = sv->text;
  out->source_len = sv->len;
  out->unit = u;
  char *t = NULL;
  size_t tl = 0;
  px_span *sp = NULL;
  size_t nsp = 0;
  if (subst_ok && (h->pen & PX_PEN_NUMBER) && h->kind == PX_MATCH_FUZZY) {
    prepared cp;
    score_detail d;
    memset(&d, 0, sizeof d);
    rc = query_nfc(c->q);
    if (rc == 0)
      rc = prepare(&cp, sv->text, sv->len, sv->codes_len > 0, c->lfrom);
    if (rc == 0)
      rc = score_pair(&d, c->q, &cp);
    if (rc == 0 && d.only_numbers && d.npairs)
      rc = substitute(&t, &tl, &sp, &nsp, &d, c->q, &cp, tv->text, tv->len,
                      tv->lang);
    px_free(d.pairs);
    prepared_dispose(&cp);
    if (rc < 0)
      goto fail;
  }
  if (t) {
    out->substituted = 1;
    out->subst = sp;
    out->nsubst = nsp;
  } else {
    t = px_strndup(tv->text, tv->len);
    tl = tv->len;
    if (!t) {
      rc = PX_ENOMEM;
      goto fail;
    }
  }
  out->target = t;
  out->target_len = tl;
  return 0;
fail:
  px_free(t);
  px_free(sp);
  px_unit_free(u);
  memset(out, 0, sizeof *out);
  return rc;
}

int px_tm__check_text(const char *s, size_t len, const char *what) {
  if (len > PX_TM_MAX_TEXT)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "%s is %zu bytes; the limit is %u", what, len,
                        PX_TM_MAX_TEXT);
  size_t bad = 0;
  if (px_text_validate(s ? s : "", len, &bad) < 0)
    return px_error_set(PX_EENCODING, PX_ERRCLASS_TM, 0,
                        "%s: invalid UTF-8 at byte %zu", what, bad);
  return 0;
}

int px_tm_lookup(px_match **out, size_t *count, px_tm *tm, const char *text,
                 size_t len, const char *from, const char *to,
                 const px_lookup_opts *opts) {
  PX_ASSERT_ARG(out && count && tm && (text || !len) && from && to);
  px_lookup_opts o = PX_LOOKUP_OPTS_INIT;
  if (opts)
    o = *opts;
  if (o.min_score < 0 || o.min_score > 101)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                        "min_score %d is not in 0..101", o.min_score);
  if (o.limit == 0)
    o.limit = 5;
  if (o.candidates == 0)
    o.candidates = 300;
  int rc = px_tm__check_text(text, len, "the query");
  if (rc < 0)
    return rc;
  char lfrom[PX_TM__LANG_MAX + 1], lto[PX_TM__LANG_MAX + 1];
  char kfrom[PX_TM__LANG_MAX + 1];
  if ((rc = px_tm__lang_norm(lfrom, sizeof lfrom, from)) < 0 ||
      (rc = px_tm__lang_norm(lto, sizeof lto, to)) < 0 ||
      (rc = px_tm__lang_key(kfrom, sizeof kfrom, from)) < 0)
    return rc;
  lookup_ctx c;
  memset(&c, 0, sizeof c);
  prepared q;
  memset(&q, 0, sizeof q);
  cand *cands = NULL;
  size_t ncands = 0;
  px_match *res = NULL;
  size_t nres = 0;
  c.tm = tm;
  c.from = lfrom;
  c.to = lto;
  c.lfrom = kfrom;
  c.lto = lto;
  c.min = o.min_score > 100 ? 100 : o.min_score;
  c.q = &q;
  c.exact_only = (o.flags & PX_LOOKUP_EXACT) != 0;
  if (o.prev || o.next) {
    c.has_ctx = 1;
    if ((o.prev &&
         (rc = px_tm_context_hash(&c.qprev, o.prev, o.prev_len)) < 0) ||
        (o.next && (rc = px_tm_context_hash(&c.qnext, o.next, o.next_len)) < 0))
      return rc;
  }
  if ((rc = prepare_query(&q, text ? text : "", len)) < 0)
    goto done;
  if (!(o.flags & PX_LOOKUP_EXACT) && (rc = prepare_tokens(&q, kfrom)) < 0)
    goto done;
  if (q.ncore > MAX_CORE) {
    rc = px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                      "the query has %zu words; the limit is %d", q.ncore,
                      MAX_CORE);
    goto done;
  }
  if ((rc = px_tm__read_begin(tm, &c.t)) < 0)
    goto done;
  /* exact candidates */
  uint64_t xh = 0;
  if ((rc = px_tm__exact_hash_kt(&xh, q.kt, q.kt_len)) < 0)
    goto done;
  MDB_cursor *cur = NULL;
  int mrc = mdb_cursor_open(c.t, tm->exact, &cur);
  if (mrc) {
    rc = px_tm__mdb_error(mrc, "reading the exact index");
    goto done;
  }
  unsigned char kb[PX_TM__LANG_MAX + 10];
  size_t kl = strlen(kfrom);
  memcpy(kb, kfrom, kl);
  kb[kl] = 0;
  for (int i = 0; i < 8; i++)
    kb[kl + 1 + i] = (unsigned char)(xh >> (56 - 8 * i));
  MDB_val k = {kl + 9, kb}, v;
  mrc = mdb_cursor_get(cur, &k, &v, MDB_SET);
  size_t nx = 0;
  while (mrc == 0 && nx++ < MAX_EXACT_CANDIDATES) {
    if ((rc = consider(&c, px_tm__get_u32(v.mv_data))) < 0)
      break;
    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
  }
  mdb_cursor_close(cur);
  if (rc < 0)
    goto done;
  if (mrc && mrc != MDB_NOTFOUND) {
    rc = px_tm__mdb_error(mrc, "reading the exact index");
    goto done;
  }
  /* and in the runs of an import not merged yet (tm/SCHEMA.md) */
  exact_run_ctx xr = {&c, nx, 0};
  if ((rc = px_tm__exact_in_runs(c.t, tm, kb, kl + 9, 0, consider_run, &xr)) <
      0)
    goto done;
  if ((rc = xr.rc) < 0)
    goto done;
  if (!(o.flags & PX_LOOKUP_EXACT) && c.min <= 100) {
    if ((rc = fuzzy_candidates(&cands, &ncands, &c, tm, c.t, &q, kfrom, c.min,
                               o.candidates, o.limit)) < 0)
      goto done;
    int kth = -1; /* the limit-th best score so far, once there are enough */
    size_t kth_at = 0;
    for (size_t i = 0; i < ncands; i++) {
      if (c.nhits >= o.limit) {
        if (kth_at != c.nhits) { /* recompute after new hits */
          kth = kth_score(c.hits, c.nhits, o.limit);
          kth_at = c.nhits;
        }
        /* candidates come highest bound first: once the bound is below
         * the limit-th score, none can enter the list */
        if (cands[i].bound < kth)
          break;
      }
      if ((rc = consider(&c, (uint32_t)cands[i].post)) < 0)
        goto done;
    }
  }
  if (o.flags & PX_LOOKUP_EXACT) { /* keep exact and context only */
    size_t j = 0;
    for (size_t i = 0; i < c.nhits; i++)
      if (c.hits[i].score >= 100)
        c.hits[j++] = c.hits[i];
    c.nhits = j;
  }
  if (o.min_score == 101) {
    size_t j = 0;
    for (size_t i = 0; i < c.nhits; i++)
      if (c.hits[i].score >= 101)
        c.hits[j++] = c.hits[i];
    c.nhits = j;
  }
  if (c.nhits == 0)
    goto done;
  qsort(c.hits, c.nhits, sizeof *c.hits, cmp_hit);
  nres = c.nhits < o.limit ? c.nhits : o.limit;
  res = px_calloc(nres, sizeof *res);
  if (!res) {
    rc = PX_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < nres; i++)
    if ((rc = make_match(&res[i], &c, &c.hits[i],
                         !(o.flags & PX_LOOKUP_NO_SUBST))) < 0)
      goto done;
done:
  if (c.t)
    px_tm__read_end(tm, c.t);
  prepared_dispose(&q);
  px_free(cands);
  px_free(c.hits);
  px_free(c.seen);
  if (rc < 0) {
    px_tm_matches_free(res, nres);
    return rc;
  }
  *out = res;
  *count = res ? nres : 0;
  return 0;
}
