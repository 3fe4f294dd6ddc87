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
#include "lookup.h"
#include "tm.h"

/* Candidates verified per search at most: bounds the time of a phrase
 * made of very common words that rarely occur together. */
#define MAX_VERIFY 200000
/* Other terms whose postings a candidate must be in before its text is
 * read (the rest are checked on the text). */
#define MAX_PROBE 8

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

/* The key forms of the tokens of s that are keyed (keyed[i]), into
 * key[i] / klen[i].  One normalization of all of them joined by line
 * breaks, which the key form turns into single spaces: normalization works
 * character by character and never across a line break, so the pieces are
 * the tokens' own key forms.  Should the pieces not come out one per token
 * (a token whose key form is empty), each token is keyed on its own into
 * *own.  Pointers point into *all or *own (the caller frees both). */
static int key_tokens(const char **key, size_t *klen, char **all, char ***own,
                      const char *s, const px_token *toks, size_t ntok,
                      const unsigned char *keyed) {
  px_buf b = PX_BUF_INIT;
  size_t nkeyed = 0, alen = 0;
  int rc = 0;
  for (size_t i = 0; i < ntok && rc == 0; i++)
    if (keyed[i] && (rc = px_buf_put(&b, "\n", nkeyed++ > 0)) == 0)
      rc = px_buf_put(&b, s + toks[i].off, toks[i].len);
  if (rc == 0)
    rc = px_tm__keytext(all, &alen, b.ptr ? (const char *)b.ptr : "", b.len, 0);
  px_buf_dispose(&b);
  if (rc < 0)
    return rc;
  size_t pos = 0, i = 0;
  for (; i < ntok; i++) {
    if (!keyed[i])
      continue;
    if (pos > alen)
      break;
    const char *sp = memchr(*all + pos, ' ', alen - pos);
    size_t end = sp ? (size_t)(sp - *all) : alen;
    if (end == pos)
      break; /* an empty key form */
    key[i] = *all + pos;
    klen[i] = end - pos;
    pos = end + 1;
  }
  if (i == ntok && pos == alen + 1)
    return 0;
  /* token by token */
  if (!(*own = px_calloc(ntok + 1, sizeof **own)))
    return PX_ENOMEM;
  for (i = 0; i < ntok; i++) {
    if (!keyed[i])
      continue;
    if ((rc = px_tm__keytext(&(*own)[i], &klen[i], s + toks[i].off, toks[i].len,
                             0)) < 0)
      return rc;
    key[i] = (*own)[i];
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
  const char **keys = NULL;
  size_t *klen = NULL;
  unsigned char *keyed = NULL;
  char *all = NULL, **own = NULL;
  px_span *sp = NULL;
  size_t nsp = 0, cap = 0;
  int rc = px_text_tokenize(&toks, &ntok, s, len, lang);
  if (rc < 0)
    return rc;
  keys = px_calloc(ntok + 1, sizeof *keys);
  klen = px_calloc(ntok + 1, sizeof *klen);
  keyed = px_calloc(ntok + 1, 1);
  if (!keys || !klen || !keyed) {
    rc = PX_ENOMEM;
    goto done;
  }
  /* core tokens but those inside {N} {/N} {N/} markers */
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
    keyed[i] = 1;
  }
  if ((rc = key_tokens(keys, klen, &all, &own, s, toks, ntok, keyed)) < 0)
    goto done;
  for (size_t i = 0; i < ntok; i++) {
    if (!keyed[i])
      continue;
    size_t j = i, k = 0, last = i;
    while (j < ntok && k < nterms) {
      if (!keyed[j]) {
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
  for (size_t i = 0; own && i < ntok; i++)
    px_free(own[i]);
  px_free(own);
  px_free(all);
  px_free(keys);
  px_free(klen);
  px_free(keyed);
  px_free(toks);
  px_free(sp);
  return rc;
}

/* Does s (at least n bytes) start with term t?  With ascii, s is ASCII
 * text that is not in key form yet: its key form is its lower case. */
static int term_at(const char *s, const phrase_term *t, int ascii) {
  if (!ascii)
    return memcmp(s, t->s, t->len) == 0;
  for (size_t i = 0; i < t->len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    if (c != (unsigned char)t->s[i])
      return 0;
  }
  return 1;
}

/* Can the phrase occur in the key form kt?  A necessary condition for
 * contains() that needs no tokenizing: the first term somewhere, and each
 * next one after nothing but characters that are neither letters nor
 * digits (such a character would be a word or number token between the
 * two).  A term that does not start with a letter or digit could start
 * anywhere in that gap: then the rest is left to contains().  Candidates
 * are texts that hold all the words; this rejects most of those that do
 * not hold them together before the tokenizer runs.  With ascii, kt is an
 * ASCII text without markers rather than a key form: the key form of such
 * a text is the same text in lower case with runs of white space as one
 * space, so the condition holds for it as well, and no normalization is
 * needed to reject it. */
static int may_contain(const char *kt, size_t len, const phrase_term *terms,
                       size_t nterms, int ascii) {
  const phrase_term *t0 = &terms[0];
  if (t0->len == 0 || t0->len > len)
    return t0->len == 0;
  unsigned char first = (unsigned char)t0->s[0];
  for (size_t at = 0; at + t0->len <= len; at++) {
    if (!ascii) {
      const char *h = memchr(kt + at, first, len - t0->len + 1 - at);
      if (!h)
        return 0;
      at = (size_t)(h - kt);
    } else {
      unsigned char c = (unsigned char)kt[at];
      if ((c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c) != first)
        continue;
    }
    if (!term_at(kt + at, t0, ascii))
      continue;
    size_t pos = at + t0->len, k = 1;
    for (; k < nterms; k++) {
      size_t z = 0;
      int32_t c0 = px_text_next(terms[k].s, terms[k].len, &z);
      if (!px_text_is_letter(c0) && px_text_digit_value(c0) < 0)
        return 1; /* cannot tell where it starts */
      while (pos < len) {
        size_t q = pos;
        int32_t cp = px_text_next(kt, len, &q);
        if (px_text_is_letter(cp) || px_text_digit_value(cp) >= 0)
          break;
        pos = q;
      }
      if (len - pos < terms[k].len || !term_at(kt + pos, &terms[k], ascii))
        break;
      pos += terms[k].len;
    }
    if (k == nterms)
      return 1;
  }
  return 0;
}

/* Is s plain ASCII without a marker brace? */
static int plain_ascii(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] >= 0x80 || s[i] == '{')
      return 0;
  return 1;
}

/* Verifies candidate unit id: appends a hit when its variant in lfull
 * holds the phrase (and it has a variant in lto, when lto is not NULL). */
static int verify(px_concord_hit **hits, size_t *nhits, size_t *caphits,
                  MDB_cursor *ucur, uint32_t id, const char *lfull,
                  const char *lkey, const char *lto, const phrase_term *terms,
                  size_t nterms) {
  unsigned char ub[4];
  px_tm__put_u32(ub, id);
  MDB_val uk = {4, ub}, uv;
  /* a cursor, not mdb_get(): ids come in ascending runs, and LMDB finds
   * a key on the page the cursor is on without descending the tree */
  int urc = mdb_cursor_get(ucur, &uk, &uv, MDB_SET);
  if (urc == MDB_NOTFOUND)
    return 0; /* a stale index entry */
  if (urc)
    return px_tm__mdb_error(urc, "reading a unit");
  const char *txt = NULL;
  size_t tl = 0;
  int rc = px_tm__rec_peek_text(&txt, &tl, uv.mv_data, uv.mv_size, lfull);
  if (rc == PX_ENOTFOUND)
    return 0;
  if (rc < 0)
    return rc;
  char *ckt = NULL;
  size_t cktl = 0, nct = 0;
  px_token *ctoks = NULL;
  /* markers can only be where there is a brace: without one, the key
   * form is the same with or without stripping them */
  if (plain_ascii(txt, tl) && !may_contain(txt, tl, terms, nterms, 1))
    return 0;
  rc = px_tm__keytext(&ckt, &cktl, txt, tl, memchr(txt, '{', tl) != NULL);
  int found = 0;
  if (rc == 0 && may_contain(ckt, cktl, terms, nterms, 0)) {
    rc = px_text_tokenize(&ctoks, &nct, ckt, cktl, lkey);
    if (rc == 0)
      found = contains(ckt, ctoks, nct, terms, nterms);
  }
  px_free(ckt);
  px_free(ctoks);
  if (rc < 0 || !found)
    return rc;
  px_tm__rec *rec = NULL;
  if ((rc = px_tm__rec_decode(&rec, uv.mv_data, uv.mv_size, id)) < 0)
    return rc;
  const px_variant *var = px_unit_variant(&rec->u, lfull);
  if (!var || (lto && !px_unit_variant(&rec->u, lto))) {
    px_unit_free(&rec->u);
    return 0;
  }
  px_span *sp = NULL;
  size_t nsp = 0;
  rc = find_spans(&sp, &nsp, var->text, var->len, var->codes_len > 0, lkey,
                  terms, nterms);
  if (rc == 0 && PX_GROW(*hits, *nhits, *caphits) < 0)
    rc = PX_ENOMEM;
  if (rc < 0) {
    px_free(sp);
    px_unit_free(&rec->u);
    return rc;
  }
  (*hits)[*nhits].unit = &rec->u;
  (*hits)[*nhits].variant = (size_t)(var - rec->u.variants);
  (*hits)[*nhits].spans = sp;
  (*hits)[*nhits].nspans = nsp;
  (*nhits)++;
  return 0;
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
  MDB_cursor *cur = NULL, *ucur = NULL, *probe[MAX_PROBE] = {NULL};
  px_concord_hit *hits = NULL;
  size_t nhits = 0, caphits = 0;
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
  /* the other terms, rarest first: a candidate must be in their lists too
   * (same length byte and id) before any text is read.  All lists are in
   * the same order, so they intersect by leapfrogging: each list seeks
   * forward to the largest posting seen, a leaf page at a time. */
  unsigned char pk[MAX_PROBE][PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX + 8];
  px_tm__plist pl[MAX_PROBE];
  size_t nprobe = 0;
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
    if ((mrc = mdb_cursor_open(t, tm->words, &probe[nprobe]))) {
      rc = px_tm__mdb_error(mrc, "reading the word index");
      goto done;
    }
    memcpy(pk[nprobe], lkey, lk + 1);
    memcpy(pk[nprobe] + lk + 1, terms[i].s, terms[i].len);
    px_tm__plist_init(&pl[nprobe], probe[nprobe], pk[nprobe],
                      lk + 1 + terms[i].len, 255);
    nprobe++;
  }
  if ((mrc = mdb_cursor_open(t, tm->units, &ucur))) {
    rc = px_tm__mdb_error(mrc, "reading the units");
    goto done;
  }
  memcpy(kb + lk + 1, terms[best].s, terms[best].len);
  px_tm__plist main;
  px_tm__plist_init(&main, cur, kb, lk + 1 + terms[best].len, 255);
  /* only variants with at least as many core tokens as the phrase */
  uint64_t x = 0;
  int r = px_tm__plist_seek(&main,
                            (uint64_t)(nterms > 255 ? 255 : nterms) << 32, &x);
  size_t verified = 0;
  while (r == 1 && nhits < o.limit && verified < MAX_VERIFY) {
    int agree = 1;
    for (size_t pi = 0; pi < nprobe && r == 1; pi++) {
      uint64_t y = 0;
      int pr = px_tm__plist_seek(&pl[pi], x, &y);
      if (pr != 1)
        r = pr; /* a list at its end: no candidate is left */
      else if (y != x) {
        agree = 0;
        r = px_tm__plist_seek(&main, y, &x);
        break;
      }
    }
    if (r != 1)
      break;
    if (!agree)
      continue;
    verified++;
    if ((rc = verify(&hits, &nhits, &caphits, ucur, (uint32_t)x, lfull, lkey,
                     o.to ? lto : NULL, terms, nterms)) < 0)
      goto done;
    r = px_tm__plist_next(&main, &x);
  }
  if (r < 0)
    rc = r;
done:
  if (cur)
    mdb_cursor_close(cur);
  if (ucur)
    mdb_cursor_close(ucur);
  for (size_t i = 0; i < MAX_PROBE; i++)
    if (probe[i])
      mdb_cursor_close(probe[i]);
  if (t)
    px_tm__read_end(tm, t);
  px_free(kt);
  px_free(toks);
  px_free(terms);
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
