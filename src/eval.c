/*
 * eval.c: scoring an alignment against a gold standard, exactly as the
 * Vecalign project's score.py does (strict and lax precision, recall and
 * F1, counts pooled over several documents), and parsing the bead files
 * (`[i, j]:[k]`) that the Vecalign and Bleualign gold sets use.
 *
 * Precision counts every predicted bead that is not empty on both sides:
 * a strict hit equals a gold bead; a lax hit is a strict hit, or a bead
 * with a target sentence that the gold aligns with one of its source
 * sentences.  Recall is the same computation with the roles swapped, after
 * the one-sided beads are removed from both lists.  Beads are compared as
 * sets (a duplicate counts once), as score.py does.
 */
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "error.h"
#include "mem.h"

#define MAX_INDEX 100000000UL
#define MAX_BEADS ((size_t)10000000)

void px_eval_beads_dispose(px_eval_beads *b) {
  if (!b)
    return;
  px_free(b->src_off);
  px_free(b->src_idx);
  px_free(b->tgt_off);
  px_free(b->tgt_idx);
  memset(b, 0, sizeof *b);
}

typedef struct vec {
  size_t *v;
  size_t n, cap;
} vec;

static int vpush(vec *a, size_t x) {
  if (PX_GROW(a->v, a->n, a->cap))
    return PX_ENOMEM;
  a->v[a->n++] = x;
  return 0;
}

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r'; }

/* Parse "[a, b, c]" at *pp; indices appended to idx. */
static int parse_list(const char *name, size_t line, const char *s,
                      const char *end, const char **pp, vec *idx, size_t *max) {
  const char *p = *pp;
  while (p < end && is_blank(*p))
    p++;
  if (p >= end || *p != '[')
    return px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                        "%s:%zu:%zu: expected '['", name, line,
                        (size_t)(p - s) + 1);
  p++;
  int first = 1;
  for (;;) {
    while (p < end && is_blank(*p))
      p++;
    if (p < end && *p == ']') {
      p++;
      break;
    }
    if (!first) {
      if (p >= end || *p != ',')
        return px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                            "%s:%zu:%zu: expected ',' or ']'", name, line,
                            (size_t)(p - s) + 1);
      p++;
      while (p < end && is_blank(*p))
        p++;
    }
    if (p >= end || *p < '0' || *p > '9')
      return px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                          "%s:%zu:%zu: expected a sentence number", name, line,
                          (size_t)(p - s) + 1);
    unsigned long v = 0;
    const char *num = p;
    while (p < end && *p >= '0' && *p <= '9') {
      v = v * 10 + (unsigned long)(*p - '0');
      if (v > MAX_INDEX)
        return px_error_set(PX_ETOOBIG, PX_ERRCLASS_ALIGN, 0,
                            "%s:%zu:%zu: sentence number over %lu", name, line,
                            (size_t)(num - s) + 1, MAX_INDEX);
      p++;
    }
    if (vpush(idx, (size_t)v))
      return PX_ENOMEM;
    if ((size_t)v + 1 > *max)
      *max = (size_t)v + 1;
    first = 0;
  }
  *pp = p;
  return 0;
}

int px_eval_parse(px_eval_beads *out, const char *name, const char *s,
                  size_t len) {
  int rc = 0;
  vec so = {0}, si = {0}, to = {0}, ti = {0};
  px_eval_beads b;
  memset(&b, 0, sizeof b);
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s || !len);
  if (!name)
    name = "beads";
  size_t bad;
  if (px_text_validate(s, len, &bad))
    return px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                        "%s: invalid UTF-8 at byte %zu", name, bad);
  if ((rc = vpush(&so, 0)) || (rc = vpush(&to, 0)))
    goto done;
  size_t line = 0;
  const char *p = s, *end = s + len;
  while (p < end) {
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
      eol = end;
    line++;
    const char *q = p;
    while (q < eol && is_blank(*q))
      q++;
    if (q < eol) {
      if (so.n > MAX_BEADS) {
        rc = px_error_set(PX_ETOOBIG, PX_ERRCLASS_ALIGN, 0,
                          "%s:%zu: more than %zu beads", name, line, MAX_BEADS);
        goto done;
      }
      if ((rc = parse_list(name, line, p, eol, &q, &si, &b.max_src)))
        goto done;
      while (q < eol && is_blank(*q))
        q++;
      if (q >= eol || *q != ':') {
        rc = px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                          "%s:%zu:%zu: expected ':'", name, line,
                          (size_t)(q - p) + 1);
        goto done;
      }
      q++;
      if ((rc = parse_list(name, line, p, eol, &q, &ti, &b.max_tgt)))
        goto done;
      while (q < eol && is_blank(*q))
        q++;
      if (q < eol) {
        rc = px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                          "%s:%zu:%zu: unexpected text after the bead", name,
                          line, (size_t)(q - p) + 1);
        goto done;
      }
      if ((rc = vpush(&so, si.n)) || (rc = vpush(&to, ti.n)))
        goto done;
    }
    p = eol + 1;
  }
  b.count = so.n - 1;
  b.src_off = so.v;
  b.src_idx = si.v;
  b.tgt_off = to.v;
  b.tgt_idx = ti.v;
  so.v = si.v = to.v = ti.v = NULL;
  *out = b;
done:
  px_free(so.v);
  px_free(si.v);
  px_free(to.v);
  px_free(ti.v);
  return rc;
}

/* ---- scoring ------------------------------------------------------------- */

/* A bead as two sorted index lists (one view of a px_eval_beads entry,
 * possibly with the sides swapped). */
typedef struct bview {
  const size_t *a, *b;
  size_t na, nb;
} bview;

static int cmp_size(const void *x, const void *y) {
  size_t a = *(const size_t *)x, b = *(const size_t *)y;
  return a < b ? -1 : a > b;
}

static int cmp_view(const bview *x, const bview *y) {
  if (x->na != y->na)
    return x->na < y->na ? -1 : 1;
  if (x->nb != y->nb)
    return x->nb < y->nb ? -1 : 1;
  for (size_t i = 0; i < x->na; i++)
    if (x->a[i] != y->a[i])
      return x->a[i] < y->a[i] ? -1 : 1;
  for (size_t i = 0; i < x->nb; i++)
    if (x->b[i] != y->b[i])
      return x->b[i] < y->b[i] ? -1 : 1;
  return 0;
}

static int qcmp_view(const void *x, const void *y) { return cmp_view(x, y); }

/* Views of the beads of bl, sides swapped if `swap`, one-sided beads
 * dropped if `no_del`, indices sorted (copied into *store), sorted and
 * deduplicated. */
static int make_views(bview **out, size_t *n_out, size_t **store,
                      const px_eval_beads *bl, int swap, int no_del) {
  size_t tot = bl->src_off[bl->count] + bl->tgt_off[bl->count];
  size_t *st = px_malloc((tot ? tot : 1) * sizeof *st);
  bview *v = px_malloc((bl->count ? bl->count : 1) * sizeof *v);
  if (!st || !v) {
    px_free(st);
    px_free(v);
    return PX_ENOMEM;
  }
  size_t n = 0, used = 0;
  for (size_t i = 0; i < bl->count; i++) {
    size_t ns = bl->src_off[i + 1] - bl->src_off[i];
    size_t nt = bl->tgt_off[i + 1] - bl->tgt_off[i];
    if (ns == 0 && nt == 0)
      continue;
    if (no_del && (ns == 0 || nt == 0))
      continue;
    size_t *a = st + used;
    memcpy(a, bl->src_idx + bl->src_off[i], ns * sizeof *a);
    qsort(a, ns, sizeof *a, cmp_size);
    used += ns;
    size_t *b = st + used;
    memcpy(b, bl->tgt_idx + bl->tgt_off[i], nt * sizeof *b);
    qsort(b, nt, sizeof *b, cmp_size);
    used += nt;
    v[n++] = swap ? (bview){b, a, nt, ns} : (bview){a, b, ns, nt};
  }
  qsort(v, n, sizeof *v, qcmp_view);
  size_t m = 0;
  for (size_t i = 0; i < n; i++)
    if (m == 0 || cmp_view(&v[m - 1], &v[i]) != 0)
      v[m++] = v[i];
  *out = v;
  *n_out = m;
  *store = st;
  return 0;
}

/* score.py's _precision(): hits of `test` against `gold`. */
static int precision(const bview *gold, size_t ng, const bview *test, size_t nt,
                     double *tp_strict, double *tp_lax, size_t *counted) {
  /* source id -> gold target ids, as a CSR table */
  size_t maxa = 0;
  for (size_t g = 0; g < ng; g++)
    for (size_t i = 0; i < gold[g].na; i++)
      if (gold[g].a[i] + 1 > maxa)
        maxa = gold[g].a[i] + 1;
  size_t *off = px_calloc(maxa + 2, sizeof *off);
  if (!off)
    return PX_ENOMEM;
  for (size_t g = 0; g < ng; g++)
    for (size_t i = 0; i < gold[g].na; i++)
      off[gold[g].a[i] + 1] += gold[g].nb;
  for (size_t i = 0; i < maxa; i++)
    off[i + 1] += off[i];
  size_t *tg = px_malloc((off[maxa] ? off[maxa] : 1) * sizeof *tg);
  size_t *fill = px_calloc(maxa + 1, sizeof *fill);
  if (!tg || !fill) {
    px_free(off);
    px_free(tg);
    px_free(fill);
    return PX_ENOMEM;
  }
  for (size_t g = 0; g < ng; g++)
    for (size_t i = 0; i < gold[g].na; i++) {
      size_t s = gold[g].a[i];
      for (size_t j = 0; j < gold[g].nb; j++)
        tg[off[s] + fill[s]++] = gold[g].b[j];
    }
  for (size_t t = 0; t < nt; t++) {
    const bview *x = &test[t];
    (*counted)++;
    if (bsearch(x, gold, ng, sizeof *gold, qcmp_view)) {
      *tp_strict += 1;
      *tp_lax += 1;
      continue;
    }
    int lax = 0;
    for (size_t i = 0; i < x->na && !lax; i++) {
      size_t s = x->a[i];
      if (s >= maxa)
        continue;
      for (size_t q = off[s]; q < off[s + 1] && !lax; q++)
        for (size_t j = 0; j < x->nb; j++)
          if (tg[q] == x->b[j]) {
            lax = 1;
            break;
          }
    }
    if (lax)
      *tp_lax += 1;
  }
  px_free(off);
  px_free(tg);
  px_free(fill);
  return 0;
}

static int check_range(const px_eval_beads *b, const char *what, size_t ns,
                       size_t nt, const char *limit_name) {
  for (size_t i = 0; i < b->count; i++) {
    for (size_t q = b->src_off[i]; q < b->src_off[i + 1]; q++)
      if (b->src_idx[q] >= ns)
        return px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                            "%s: bead %zu names source sentence %zu but %s "
                            "has %zu",
                            what, i + 1, b->src_idx[q], limit_name, ns);
    for (size_t q = b->tgt_off[i]; q < b->tgt_off[i + 1]; q++)
      if (b->tgt_idx[q] >= nt)
        return px_error_set(PX_EPARSE, PX_ERRCLASS_ALIGN, 0,
                            "%s: bead %zu names target sentence %zu but %s "
                            "has %zu",
                            what, i + 1, b->tgt_idx[q], limit_name, nt);
  }
  return 0;
}

int px_eval_add(px_eval_score *acc, const px_eval_beads *gold,
                const px_eval_beads *pred, size_t n_src, size_t n_tgt) {
  int rc = 0;
  bview *g = NULL, *t = NULL;
  size_t *gs = NULL, *ts = NULL, ng, nt;
  PX_ASSERT_ARG(acc);
  PX_ASSERT_ARG(gold && gold->src_off);
  PX_ASSERT_ARG(pred && pred->src_off);
  if (n_src || n_tgt) {
    if ((rc = check_range(gold, "gold", n_src, n_tgt, "the document")) ||
        (rc = check_range(pred, "pred", n_src, n_tgt, "the document")))
      return rc;
  } else if ((rc = check_range(pred, "pred", gold->max_src, gold->max_tgt,
                               "the gold")))
    return rc;
  /* precision: all beads */
  if ((rc = make_views(&g, &ng, &gs, gold, 0, 0)) ||
      (rc = make_views(&t, &nt, &ts, pred, 0, 0)))
    goto done;
  if ((rc = precision(g, ng, t, nt, &acc->strict_p_hits, &acc->lax_p_hits,
                      &acc->pred_beads)))
    goto done;
  px_free(g);
  px_free(t);
  px_free(gs);
  px_free(ts);
  g = t = NULL;
  gs = ts = NULL;
  /* recall: swap the roles, one-sided beads removed from both */
  if ((rc = make_views(&g, &ng, &gs, pred, 0, 1)) ||
      (rc = make_views(&t, &nt, &ts, gold, 0, 1)))
    goto done;
  rc = precision(g, ng, t, nt, &acc->strict_r_hits, &acc->lax_r_hits,
                 &acc->gold_beads);
done:
  px_free(g);
  px_free(t);
  px_free(gs);
  px_free(ts);
  return rc;
}

static double f1(double p, double r) {
  return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
}

void px_eval_finish(px_eval_score *acc) {
  if (!acc)
    return;
  double np = (double)acc->pred_beads, nr = (double)acc->gold_beads;
  acc->strict_p = np > 0 ? acc->strict_p_hits / np : 0;
  acc->lax_p = np > 0 ? acc->lax_p_hits / np : 0;
  acc->strict_r = nr > 0 ? acc->strict_r_hits / nr : 0;
  acc->lax_r = nr > 0 ? acc->lax_r_hits / nr : 0;
  acc->strict_f1 = f1(acc->strict_p, acc->strict_r);
  acc->lax_f1 = f1(acc->lax_p, acc->lax_r);
}
