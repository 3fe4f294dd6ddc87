/*
 * concord.c: concordance search: every unit whose variant in one language
 * contains a word or phrase, ignoring case, diacritics and punctuation
 * between the words.  The rarest word of the phrase picks the candidates
 * from the `words` index (only units with at least as many words as the
 * phrase); each candidate is verified on its stored text, and the spans
 * of the phrase in that text are returned for highlighting.
 */
#include <string.h>

#include "error.h"
#include "mem.h"
#include "tm.h"

/* Candidates verified per search at most: bounds the time of a phrase
 * made of very common words that rarely occur together. */
#define MAX_VERIFY 200000

typedef struct phrase_term {
  const char *s;
  size_t len;
  size_t count; /* postings in the index (SIZE_MAX: not looked up) */
} phrase_term;

void px_tm_concord_free(px_concord_hit *hits, size_t count) {
  if (!hits)
    return;
  for (size_t i = 0; i < count; i++) {
    px_free((void *)hits[i].spans);
    px_unit_free((px_unit *)hits[i].unit);
  }
  px_free(hits);
}

/* Does the key form kt (tokens toks) contain the phrase's terms as
 * consecutive core tokens? */
static int contains(const char *kt, const px_token *toks, size_t ntok,
                    const phrase_term *terms, size_t nterms) {
  for (size_t i = 0; i < ntok; i++) {
    size_t j = i, k = 0;
    while (j < ntok && k < nterms) {
      if (!px_tm__core_token(&toks[j])) {
        j++;
        continue;
      }
      if (toks[j].len != terms[k].len ||
          memcmp(kt + toks[j].off, terms[k].s, terms[k].len) != 0)
        break;
      j++;
      k++;
    }
    if (k == nterms)
      return 1;
  }
  return 0;
}

/* Spans of the phrase in the stored text s: each raw token is keyed on
 * its own so that offsets refer to s.  Marker tokens of inline codes are
 * skipped. */
static int find_spans(px_span **out, size_t *nout, const char *s, size_t len,
                      int has_codes, const char *lang, const phrase_term *terms,
                      size_t nterms) {
  px_token *toks = NULL;
  size_t ntok = 0;
  char **keys = NULL;
  size_t *klen = NULL;
  px_span *sp = NULL;
  size_t nsp = 0, cap = 0;
  int rc = px_text_tokenize(&toks, &ntok, s, len, lang);
  if (rc < 0)
    return rc;
  keys = px_calloc(ntok + 1, sizeof *keys);
  klen = px_calloc(ntok + 1, sizeof *klen);
  if (!keys || !klen) {
    rc = PX_ENOMEM;
    goto done;
  }
  /* mark tokens inside {N} {/N} {N/} markers */
  for (size_t i = 0; i < ntok; i++) {
    if (!px_tm__core_token(&toks[i]))
      continue;
    if (has_codes && toks[i].kind == PX_TOK_NUMBER && toks[i].off > 0) {
      size_t a = toks[i].off - 1, b = toks[i].off + toks[i].len;
      if (s[a] == '/' && a > 0)
        a--;
      if (b < len && s[b] == '/')
        b++;
      if (s[a] == '{' && b < len && s[b] == '}')
        continue; /* a marker: no key */
    }
    if ((rc = px_tm__keytext(&keys[i], &klen[i], s + toks[i].off, toks[i].len,
                             0)) < 0)
      goto done;
  }
  for (size_t i = 0; i < ntok; i++) {
    if (!keys[i])
      continue;
    size_t j = i, k = 0, last = i;
    while (j < ntok && k < nterms) {
      if (!keys[j]) {
        j++;
        continue;
      }
      if (klen[j] != terms[k].len ||
          memcmp(keys[j], terms[k].s, terms[k].len) != 0)
        break;
      last = j;
      j++;
      k++;
    }
    if (k == nterms) {
      if (PX_GROW(sp, nsp, cap) < 0) {
        rc = PX_ENOMEM;
        goto done;
      }
      sp[nsp].off = toks[i].off;
      sp[nsp].len = toks[last].off + toks[last].len - toks[i].off;
      nsp++;
      i = last;
    }
  }
  *out = sp;
  *nout = nsp;
  sp = NULL;
done:
  for (size_t i = 0; keys && i < ntok; i++)
    px_free(keys[i]);
  px_free(keys);
  px_free(klen);
  px_free(toks);
  px_free(sp);
  return rc;
}

int px_tm_concordance(px_concord_hit **out, size_t *count, px_tm *tm,
                      const char *phrase, size_t len, const char *lang,
                      const px_concord_opts *opts) {
  PX_ASSERT_ARG(out && count && tm && (phrase || !len) && lang);
  px_concord_opts o = PX_CONCORD_OPTS_INIT;
  if (opts)
    o = *opts;
  if (o.limit == 0)
    o.limit = 50;
  int rc = px_tm__check_text(phrase, len, "the phrase");
  if (rc < 0)
    return rc;
  char lkey[PX_TM__LANG_MAX + 1], lfull[PX_TM__LANG_MAX + 1];
  char lto[PX_TM__LANG_MAX + 1];
  if ((rc = px_tm__lang_key(lkey, sizeof lkey, lang)) < 0 ||
      (rc = px_tm__lang_norm(lfull, sizeof lfull, lang)) < 0 ||
      (o.to && (rc = px_tm__lang_norm(lto, sizeof lto, o.to)) < 0))
    return rc;
  char *kt = NULL;
  size_t ktlen = 0;
  px_token *toks = NULL;
  size_t ntok = 0;
  phrase_term *terms = NULL;
  size_t nterms = 0;
  MDB_txn *t = NULL;
  MDB_cursor *cur = NULL, *probe = NULL;
  px_concord_hit *hits = NULL;
  size_t nhits = 0, caphits = 0;
  char *ckt = NULL;
  px_token *ctoks = NULL;
  if ((rc = px_tm__keytext(&kt, &ktlen, phrase ? phrase : "", len, 0)) < 0 ||
      (rc = px_text_tokenize(&toks, &ntok, kt, ktlen, lkey)) < 0)
    goto done;
  terms = px_calloc(ntok + 1, sizeof *terms);
  if (!terms) {
    rc = PX_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < ntok; i++)
    if (px_tm__core_token(&toks[i])) {
      terms[nterms].s = kt + toks[i].off;
      terms[nterms].len = toks[i].len;
      nterms++;
    }
  if (nterms == 0) {
    rc = px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                      "the phrase has no word to look for");
    goto done;
  }
  if ((rc = px_tm__read_begin(tm, &t)) < 0)
    goto done;
  int mrc = mdb_cursor_open(t, tm->words, &cur);
  if (mrc) {
    rc = px_tm__mdb_error(mrc, "reading the word index");
    goto done;
  }
  /* the rarest term */
  size_t lk = strlen(lkey);
  unsigned char kb[PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX + 8];
  memcpy(kb, lkey, lk + 1);
  size_t best = 0, best_count = (size_t)-1;
  for (size_t i = 0; i < nterms; i++) {
    size_t tl = terms[i].len;
    terms[i].count = (size_t)-1;
    if (tl > PX_TM__TERM_MAX)
      continue; /* cut in the index: cannot seek it exactly */
    memcpy(kb + lk + 1, terms[i].s, tl);
    MDB_val k = {lk + 1 + tl, kb}, v;
    mrc = mdb_cursor_get(cur, &k, &v, MDB_SET);
    size_t c = 0;
    if (mrc == 0)
      mdb_cursor_count(cur, &c);
    else if (mrc != MDB_NOTFOUND) {
      rc = px_tm__mdb_error(mrc, "reading the word index");
      goto done;
    }
    terms[i].count = c;
    if (c < best_count) {
      best_count = c;
      best = i;
    }
  }
  if (best_count == 0 || best_count == (size_t)-1)
    goto done; /* a word that occurs nowhere */
  /* the other terms' keys, to test candidates against their postings
   * (same length byte and id) before reading any text */
  enum { MAX_PROBE = 4 };
  unsigned char pk[MAX_PROBE][PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX + 8];
  size_t pkl[MAX_PROBE], nprobe = 0;
  /* rarest first: the first probe rejects most candidates */
  size_t order[MAX_PROBE + 1], norder = 0;
  unsigned char used_t[256] = {0};
  while (norder < MAX_PROBE) {
    size_t pick = nterms;
    for (size_t i = 0; i < nterms && i < 256; i++)
      if (i != best && !used_t[i] && terms[i].count != (size_t)-1 &&
          (pick == nterms || terms[i].count < terms[pick].count))
        pick = i;
    if (pick == nterms)
      break;
    used_t[pick] = 1;
    order[norder++] = pick;
  }
  for (size_t oi = 0; oi < norder && nprobe < MAX_PROBE; oi++) {
    size_t i = order[oi];
    int dup = 0;
    for (size_t j = 0; j < i && !dup; j++)
      dup = terms[j].len == terms[i].len &&
            memcmp(terms[j].s, terms[i].s, terms[i].len) == 0;
    if (dup || (terms[i].len == terms[best].len &&
                memcmp(terms[i].s, terms[best].s, terms[i].len) == 0))
      continue;
    memcpy(pk[nprobe], lkey, lk + 1);
    memcpy(pk[nprobe] + lk + 1, terms[i].s, terms[i].len);
    pkl[nprobe++] = lk + 1 + terms[i].len;
  }
  if (nprobe && (mrc = mdb_cursor_open(t, tm->words, &probe))) {
    rc = px_tm__mdb_error(mrc, "reading the word index");
    goto done;
  }
  memcpy(kb + lk + 1, terms[best].s, terms[best].len);
  MDB_val k = {lk + 1 + terms[best].len, kb}, v;
  unsigned char seek[PX_TM__POSTING] = {
      (unsigned char)(nterms > 255 ? 255 : nterms), 0, 0, 0, 0};
  v.mv_size = PX_TM__POSTING;
  v.mv_data = seek;
  mrc = mdb_cursor_get(cur, &k, &v, MDB_GET_BOTH_RANGE);
  size_t verified = 0;
  while (mrc == 0 && nhits < o.limit && verified < MAX_VERIFY) {
    uint32_t id = px_tm__get_u32((const unsigned char *)v.mv_data + 1);
    verified++;
    int all = 1;
    for (size_t pi = 0; pi < nprobe && all; pi++) {
      MDB_val pkv = {pkl[pi], pk[pi]}, pvv = {PX_TM__POSTING, v.mv_data};
      int prc = mdb_cursor_get(probe, &pkv, &pvv, MDB_GET_BOTH);
      if (prc == MDB_NOTFOUND)
        all = 0;
      else if (prc) {
        rc = px_tm__mdb_error(prc, "reading the word index");
        goto done;
      }
    }
    if (!all) {
      mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
      continue;
    }
    unsigned char ub[4];
    px_tm__put_u32(ub, id);
    MDB_val uk = {4, ub}, uv;
    int urc = mdb_get(t, tm->units, &uk, &uv);
    if (urc == 0) {
      const char *txt = NULL;
      size_t tl = 0;
      rc = px_tm__rec_peek_text(&txt, &tl, uv.mv_data, uv.mv_size, lfull);
      if (rc == PX_ENOTFOUND)
        rc = 0;
      else if (rc < 0)
        goto done;
      else {
        size_t nct = 0, cktl = 0;
        rc = px_tm__keytext(&ckt, &cktl, txt, tl, 1);
        if (rc == 0)
          rc = px_text_tokenize(&ctoks, &nct, ckt, cktl, lkey);
        if (rc < 0)
          goto done;
        int found = contains(ckt, ctoks, nct, terms, nterms);
        px_free(ckt);
        px_free(ctoks);
        ckt = NULL;
        ctoks = NULL;
        if (found) {
          px_tm__rec *rec = NULL;
          if ((rc = px_tm__rec_decode(&rec, uv.mv_data, uv.mv_size, id)) < 0)
            goto done;
          const px_variant *var = px_unit_variant(&rec->u, lfull);
          if (o.to && !px_unit_variant(&rec->u, lto)) {
            px_unit_free(&rec->u);
          } else {
            px_span *sp = NULL;
            size_t nsp = 0;
            rc = find_spans(&sp, &nsp, var->text, var->len, var->codes_len > 0,
                            lkey, terms, nterms);
            if (rc == 0 && PX_GROW(hits, nhits, caphits) < 0)
              rc = PX_ENOMEM;
            if (rc < 0) {
              px_free(sp);
              px_unit_free(&rec->u);
              goto done;
            }
            hits[nhits].unit = &rec->u;
            hits[nhits].variant = (size_t)(var - rec->u.variants);
            hits[nhits].spans = sp;
            hits[nhits].nspans = nsp;
            nhits++;
          }
        }
      }
    } else if (urc != MDB_NOTFOUND) {
      rc = px_tm__mdb_error(urc, "reading a unit");
      goto done;
    }
    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
  }
  if (mrc && mrc != MDB_NOTFOUND) {
    rc = px_tm__mdb_error(mrc, "reading the word index");
    goto done;
  }
done:
  if (cur)
    mdb_cursor_close(cur);
  if (probe)
    mdb_cursor_close(probe);
  if (t)
    px_tm__read_end(tm, t);
  px_free(kt);
  px_free(toks);
  px_free(terms);
  px_free(ckt);
  px_free(ctoks);
  if (rc < 0) {
    px_tm_concord_free(hits, nhits);
    return rc;
  }
  *out = nhits ? hits : NULL;
  if (!nhits)
    px_free(hits);
  *count = nhits;
  return 0;
}
