/*
 * names_check.c: check sessions.  A session scans English documents and
 * aligned pairs against an open px_names checker and collects findings:
 * variants and banned spellings (by longest-phrase match over the
 * lexicon's forms), unknown names close to a lexicon name, entities the
 * source side names but the English side lacks, and, when the batch is
 * finished, names spelt two ways across everything scanned.  It also
 * applies the unambiguous fixes to a copy of a document and writes what
 * the pairs teach as lexicon proposals.
 *
 * The hot path is one pass over the ICU word tokens of each chunk: every
 * token's verdict comes from the checker's cache (one hash probe), so
 * Hunspell and the transliterators run once per distinct word.
 */
#include "names.h"

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mem.h"

#define CHUNK_MAX (1u << 20) /* bytes tokenized at a time */
#define OCC_MAX 64           /* occurrences kept per spelling */
#define PHRASE_MAX 16        /* words in the longest name matched */

typedef struct chk_doc {
  char *label, *src_label;
} chk_doc;

typedef struct proper_occ {
  uint32_t doc;
  size_t off;
  uint32_t len;
  unsigned long line, col;
} proper_occ;

typedef struct proper_ent {
  char *surface;
  size_t slen;
  uint64_t h, loose;
  size_t count;
  proper_occ *occ;
  size_t nocc, capocc;
} proper_ent;

typedef struct learn_sp {
  char *en;
  size_t count;
} learn_sp;

typedef struct learn_ent {
  uint64_t h;
  int lang;
  int32_t entity; /* -1: a name in no lexicon */
  char *src;      /* the source spelling first seen */
  learn_sp *sp;
  size_t nsp, capsp;
  size_t pairs;
} learn_ent;

/* A word of the chunk being scanned, with its cached verdict. */
typedef struct scan_word {
  size_t off; /* absolute offset in the document */
  uint32_t len, strip, flags;
  uint64_t key, loose;
  int32_t close;
  int barrier; /* cannot continue a name from the previous word */
  int hyphen;  /* joined to the previous word by a hyphen */
} scan_word;

typedef struct mention {
  int32_t entity;
  int kind;
  size_t off;
  uint32_t len;
} mention;

struct px_names_check {
  px_names *n;
  chk_doc *docs;
  size_t ndocs, capdocs;
  px_names_finding *f;
  size_t nf, capf;
  proper_ent *props;
  size_t nprops, capprops;
  uint64_t *phash; /* open addressing: proper hash -> index + 1 */
  uint32_t *pidx;
  size_t pcap;
  learn_ent *learn;
  size_t nlearn, caplearn;
  names_map learn_idx; /* learn key -> index into learn */
  size_t npairs;
  scan_word *words;
  size_t capwords;
  mention *ments; /* English mentions of the current document */
  size_t nments, capments;
  size_t *doc_props; /* proper-noun indexes of the current document */
  size_t ndp, capdp;
  int finished;
  int quiet;        /* bead scans: mentions only, findings were made already */
  char **srclabels; /* labels of the source sides seen (findings point in) */
  size_t nsrclabels, capsrclabels;
};

/* ---- positions ------------------------------------------------------------
 */

typedef struct postrack {
  const char *s;
  size_t pos;
  unsigned long line, col;
} postrack;

static void pos_init(postrack *p, const char *s) {
  p->s = s;
  p->pos = 0;
  p->line = 1;
  p->col = 1;
}

static void pos_at(postrack *p, size_t off) {
  if (off < p->pos)
    pos_init(p, p->s);
  const char *s = p->s;
  while (p->pos < off) {
    unsigned char c = (unsigned char)s[p->pos++];
    if (c == '\n') {
      p->line++;
      p->col = 1;
    } else if ((c & 0xC0) != 0x80) {
      p->col++;
    }
  }
}

/* ---- sessions ------------------------------------------------------------ */

int px_names_check_new(px_names_check **out, px_names *n) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(n);
  px_names_check *c = px_calloc(1, sizeof *c);
  if (!c)
    return PX_ENOMEM;
  c->n = n;
  *out = c;
  return 0;
}

void px_names_check_free(px_names_check *c) {
  if (!c)
    return;
  for (size_t i = 0; i < c->ndocs; i++) {
    px_free(c->docs[i].label);
    px_free(c->docs[i].src_label);
  }
  px_free(c->docs);
  for (size_t i = 0; i < c->nf; i++) {
    px_free((char *)c->f[i].found);
    px_free((char *)c->f[i].house);
  }
  px_free(c->f);
  for (size_t i = 0; i < c->nprops; i++) {
    px_free(c->props[i].surface);
    px_free(c->props[i].occ);
  }
  px_free(c->props);
  px_free(c->phash);
  px_free(c->pidx);
  for (size_t i = 0; i < c->nlearn; i++) {
    px_free(c->learn[i].src);
    for (size_t j = 0; j < c->learn[i].nsp; j++)
      px_free(c->learn[i].sp[j].en);
    px_free(c->learn[i].sp);
  }
  px_free(c->learn);
  px_names__map_dispose(&c->learn_idx);
  for (size_t i = 0; i < c->nsrclabels; i++)
    px_free(c->srclabels[i]);
  px_free(c->srclabels);
  px_free(c->words);
  px_free(c->ments);
  px_free(c->doc_props);
  px_free(c);
}

size_t px_names_check_count(const px_names_check *c) { return c ? c->nf : 0; }

const px_names_finding *px_names_check_get(const px_names_check *c, size_t i) {
  return c && i < c->nf ? &c->f[i] : NULL;
}

const char *px_names_check_label(const px_names_check *c, size_t doc) {
  return c && doc < c->ndocs ? c->docs[doc].label : NULL;
}

const char *px_names_check_src_label(const px_names_check *c, size_t doc) {
  return c && doc < c->ndocs ? c->docs[doc].src_label : NULL;
}

const char *px_names_kind_name(px_names_kind kind) {
  switch (kind) {
  case PX_NAMES_VARIANT: return "variant";
  case PX_NAMES_BANNED: return "banned";
  case PX_NAMES_CLOSE: return "unknown-close";
  case PX_NAMES_INCONSISTENT: return "inconsistent";
  case PX_NAMES_MISSING: return "missing";
  }
  return "unknown";
}

static int add_finding(px_names_check *c, px_names_kind kind, size_t doc,
                       size_t off, size_t len, postrack *pt, const char *entity,
                       const char *found, size_t flen, const char *house,
                       size_t hlen, int fixable, int in_source) {
  if (PX_GROW(c->f, c->nf, c->capf) < 0)
    return PX_ENOMEM;
  px_names_finding *f = &c->f[c->nf];
  memset(f, 0, sizeof *f);
  f->kind = kind;
  f->doc = doc;
  f->off = off;
  f->len = len;
  if (pt) {
    pos_at(pt, off);
    f->line = pt->line;
    f->col = pt->col;
  }
  f->entity = entity ? entity : "";
  f->found = px_strndup(found, flen);
  f->house = px_strndup(house, hlen);
  f->fixable = fixable;
  f->in_source = in_source;
  f->src_label =
      in_source && c->nsrclabels ? c->srclabels[c->nsrclabels - 1] : NULL;
  if (!f->found || !f->house) {
    px_free((char *)f->found);
    px_free((char *)f->house);
    return PX_ENOMEM;
  }
  c->nf++;
  return 0;
}

static int add_doc(px_names_check *c, size_t *doc_out, const char *label,
                   const char *src_label) {
  if (PX_GROW(c->docs, c->ndocs, c->capdocs) < 0)
    return PX_ENOMEM;
  chk_doc *d = &c->docs[c->ndocs];
  d->label = px_strndup(label ? label : "-", strlen(label ? label : "-"));
  d->src_label = src_label ? px_strndup(src_label, strlen(src_label)) : NULL;
  if (!d->label || (src_label && !d->src_label)) {
    px_free(d->label);
    px_free(d->src_label);
    return PX_ENOMEM;
  }
  if (doc_out)
    *doc_out = c->ndocs;
  c->ndocs++;
  return 0;
}

/* ---- proper nouns (names in no lexicon) -----------------------------------
 */

static int proper_record(px_names_check *c, size_t doc, const char *s,
                         size_t off, size_t len, uint64_t loose, postrack *pt) {
  uint64_t h = px_names__key(s + off, len);
  if ((c->nprops + 1) * 2 > c->pcap) {
    size_t ncap = c->pcap ? c->pcap * 2 : 1024;
    uint64_t *nh = px_calloc(ncap, sizeof *nh);
    uint32_t *ni = px_calloc(ncap, sizeof *ni);
    if (!nh || !ni) {
      px_free(nh);
      px_free(ni);
      return PX_ENOMEM;
    }
    for (size_t i = 0; i < c->pcap; i++) {
      if (!c->phash[i])
        continue;
      size_t j = c->phash[i] & (ncap - 1);
      while (nh[j])
        j = (j + 1) & (ncap - 1);
      nh[j] = c->phash[i];
      ni[j] = c->pidx[i];
    }
    px_free(c->phash);
    px_free(c->pidx);
    c->phash = nh;
    c->pidx = ni;
    c->pcap = ncap;
  }
  size_t j = h & (c->pcap - 1);
  proper_ent *p = NULL;
  while (c->phash[j]) {
    if (c->phash[j] == h) {
      proper_ent *q = &c->props[c->pidx[j]];
      if (q->slen == len && memcmp(q->surface, s + off, len) == 0) {
        p = q;
        break;
      }
    }
    j = (j + 1) & (c->pcap - 1);
  }
  if (!p) {
    if (PX_GROW(c->props, c->nprops, c->capprops) < 0)
      return PX_ENOMEM;
    p = &c->props[c->nprops];
    memset(p, 0, sizeof *p);
    p->surface = px_strndup(s + off, len);
    if (!p->surface)
      return PX_ENOMEM;
    p->slen = len;
    p->h = h;
    p->loose = loose;
    c->phash[j] = h;
    c->pidx[j] = (uint32_t)c->nprops;
    c->nprops++;
  }
  p->count++;
  size_t pi = (size_t)(p - c->props);
  /* remember it for this document once (pair learning) */
  if (!c->ndp || c->doc_props[c->ndp - 1] != pi) {
    int seen = 0;
    for (size_t k = 0; k < c->ndp && k < 256; k++)
      if (c->doc_props[k] == pi)
        seen = 1;
    if (!seen && c->ndp < 4096) {
      if (PX_GROW(c->doc_props, c->ndp, c->capdp) < 0)
        return PX_ENOMEM;
      c->doc_props[c->ndp++] = pi;
    }
  }
  if (p->nocc < OCC_MAX) {
    if (PX_GROW(p->occ, p->nocc, p->capocc) < 0)
      return PX_ENOMEM;
    pos_at(pt, off);
    proper_occ o = {(uint32_t)doc, off, (uint32_t)len, pt->line, pt->col};
    p->occ[p->nocc++] = o;
  }
  return 0;
}

/* In a bead scan: note a name recorded by the document's own scan as one
 * of this bead's (for learning), without counting it again. */
static int proper_note(px_names_check *c, const char *s, size_t len) {
  if (!c->pcap)
    return 0;
  uint64_t h = px_names__key(s, len);
  size_t j = h & (c->pcap - 1);
  while (c->phash[j]) {
    const proper_ent *q = &c->props[c->pidx[j]];
    if (c->phash[j] == h && q->slen == len && !memcmp(q->surface, s, len)) {
      if (c->ndp >= 4096)
        return 0;
      if (PX_GROW(c->doc_props, c->ndp, c->capdp) < 0)
        return PX_ENOMEM;
      c->doc_props[c->ndp++] = c->pidx[j];
      return 0;
    }
    j = (j + 1) & (c->pcap - 1);
  }
  return 0;
}

/* ---- the English scan -----------------------------------------------------
 */

static int is_hyphen(const char *s, size_t len) {
  return (len == 1 && s[0] == '-') ||
         (len == 3 && (memcmp(s, "\xE2\x80\x90", 3) == 0 ||
                       memcmp(s, "\xE2\x80\x91", 3) == 0));
}

static int ascii_upper_only(const char *s, size_t len) {
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] >= 0x80 || (s[i] >= 'a' && s[i] <= 'z'))
      return 0;
  return 1;
}

static char up(char c) { return (c >= 'a' && c <= 'z') ? (char)(c - 32) : c; }
static char low(char c) { return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c; }

/* S is T as written, or with its first letter's case flipped (al- at the
 * start of a sentence), or all in capitals (headlines, datelines). */
static int case_ok(const char *s, size_t sl, const char *t, size_t tl) {
  if (sl != tl)
    return 0;
  if (memcmp(s, t, sl) == 0)
    return 1;
  int caps = ascii_upper_only(s, sl);
  for (size_t i = 0; i < sl; i++) {
    if (s[i] == t[i])
      continue;
    if (i == 0 && low(s[0]) == low(t[0]))
      continue;
    if (caps && s[i] == up(t[i]))
      continue;
    return 0;
  }
  return 1;
}

/* The replacement for a found spelling: the target written the way the
 * found text is cased.  Sets *fixable to 0 when that cannot be done
 * faithfully (capitals outside ASCII). */
static int shape_house(px_buf *out, const char *found, size_t fl,
                       const char *form, size_t formlen, const char *t,
                       size_t tl, int *fixable) {
  px_buf_clear(out);
  int rc = px_buf_put(out, t, tl);
  if (rc < 0)
    return rc;
  int letters = 0;
  for (size_t i = 0; i < fl; i++)
    letters += (found[i] >= 'A' && found[i] <= 'Z');
  /* capitals in a headline are kept; an acronym the lexicon lists in
   * capitals (ISIS) is just that spelling */
  if (letters >= 2 && ascii_upper_only(found, fl) &&
      !ascii_upper_only(form, formlen)) {
    for (size_t i = 0; i < out->len; i++) {
      if ((unsigned char)out->ptr[i] >= 0x80)
        *fixable = 0;
      out->ptr[i] = up(out->ptr[i]);
    }
  } else if (fl && found[0] >= 'A' && found[0] <= 'Z' && out->len &&
             out->ptr[0] >= 'a' && out->ptr[0] <= 'z') {
    out->ptr[0] = up(out->ptr[0]);
  }
  return 0;
}

static int mention_add(px_names_check *c, int32_t ent, int kind, size_t off,
                       size_t len) {
  if (c->nments >= 65536)
    return 0;
  if (PX_GROW(c->ments, c->nments, c->capments) < 0)
    return PX_ENOMEM;
  mention m = {ent, kind, off, (uint32_t)len};
  c->ments[c->nments++] = m;
  return 0;
}

/* Try the English forms starting at word i; returns the form index or -1
 * and the number of words in *ntok. */
static int32_t match_en(px_names_check *c, const char *s, size_t nw, size_t i,
                        uint32_t *ntok) {
  px_names *n = c->n;
  const scan_word *w = c->words;
  int32_t pick = -1;
  uint32_t pick_n = 0;
  for (uint32_t v = px_names__map_first(&n->first_en, w[i].key);
       v != UINT32_MAX; v = n->first_en.next[v]) {
    const names_form *f = &n->forms[n->first_en.vals[v]];
    if (pick >= 0 && f->ntok < pick_n)
      break;
    if (i + f->ntok > nw)
      continue;
    if (!f->lower_start && !(w[i].flags & (NT_CAP | NT_ALLCAPS)))
      continue;
    int ok = 1;
    for (uint32_t j = 1; j < f->ntok && ok; j++)
      ok = !w[i + j].barrier && w[i + j].key == n->keypool[f->keys + j] &&
           w[i + j - 1].strip == 0;
    if (!ok)
      continue;
    if (pick < 0) {
      pick = (int32_t)n->first_en.vals[v];
      pick_n = f->ntok;
    }
    /* among equal matches prefer the form written exactly as found */
    const scan_word *last = &w[i + f->ntok - 1];
    size_t end = last->off + last->len - last->strip;
    if (end - w[i].off == f->text_len &&
        memcmp(s + w[i].off, f->text, f->text_len) == 0) {
      pick = (int32_t)n->first_en.vals[v];
      break;
    }
  }
  *ntok = pick_n;
  return pick;
}

/* Arabic name particles (flags of the token verdict).  The short ones
 * that are English words too (as, an, at) count only when a hyphen ties
 * them to the next word (as-Sham). */
static int particle(const scan_word *w, const scan_word *next) {
  if (w->flags & NT_PSTRONG)
    return 1;
  return (w->flags & NT_PWEAK) && next && next->hyphen;
}

/* A name of several words with particles (Abu Bakr al-Baghdadi) in no
 * lexicon: recorded whole, grouped by its words without the particles, so
 * that "al-Baghdadi" and "el-Baghdadi" are found to be one name written
 * two ways.  Words [a, b] of the chunk. */
static int sequence_record(px_names_check *c, size_t doc, const char *s,
                           size_t a, size_t b, postrack *pt) {
  const scan_word *w = c->words;
  /* trim capitalised English words (In, The) off both ends */
  const uint32_t name = NT_PROPER | NT_LEXWORD;
  while (b > a && !(w[b].flags & name))
    b--;
  while (a < b && !(w[a].flags & name) && !particle(&w[a], &w[a + 1]))
    a++;
  if (b <= a)
    return 0;
  int parts = 0, names = 0;
  uint64_t g = 1469598103934665603ull;
  for (size_t i = a; i <= b; i++) {
    if (particle(&w[i], i < b ? &w[i + 1] : NULL)) {
      parts++;
      continue;
    }
    names++;
    g = (g ^ w[i].key) * 1099511628211ull;
  }
  if (!parts || !names)
    return 0;
  size_t end = w[b].off + w[b].len - w[b].strip;
  return proper_record(c, doc, s, w[a].off, end - w[a].off, g ? g : 1, pt);
}

/* Scan the words of one chunk of an English document. */
static int scan_words(px_names_check *c, size_t doc, const char *s, size_t nw,
                      postrack *pt) {
  px_names *n = c->n;
  px_buf house = PX_BUF_INIT;
  int rc = 0;
  size_t run = SIZE_MAX; /* first word of a capitalised run with particles */
  for (size_t i = 0; i < nw;) {
    scan_word *w = &c->words[i];
    if (!c->quiet) {
      int in_run = !(w->flags & NT_ALLCAPS) &&
                   ((w->flags & NT_CAP) ||
                    particle(w, i + 1 < nw ? &c->words[i + 1] : NULL));
      if (run != SIZE_MAX && (w->barrier || !in_run)) {
        rc = sequence_record(c, doc, s, run, i - 1, pt);
        if (rc < 0)
          goto done;
        run = SIZE_MAX;
      }
      if (in_run && run == SIZE_MAX)
        run = i;
    }
    if (w->flags & NT_FIRST) {
      uint32_t nt = 0;
      int32_t fi = match_en(c, s, nw, i, &nt);
      if (fi >= 0) {
        const names_form *f = &n->forms[fi];
        const scan_word *last = &c->words[i + nt - 1];
        size_t off = w->off, end = last->off + last->len - last->strip;
        const char *found = s + off;
        size_t fl = end - off;
        const char *ent = n->ents[f->entity].id;
        /* a dotted abbreviation's own full stop may end the sentence
         * too: replacing it is left to the editor */
        int fixable = !f->ambiguous && !f->dotted;
        rc = mention_add(c, (int32_t)f->entity, f->kind, off, fl);
        if (rc < 0)
          goto done;
        if (c->quiet) {
          /* a bead of a document checked already */
        } else if (f->kind <= NF_FORMER) {
          if (!case_ok(found, fl, f->text, f->text_len)) {
            rc = shape_house(&house, found, fl, f->text, f->text_len, f->text,
                             f->text_len, &fixable);
            if (rc == 0 && !(house.len == fl && !memcmp(house.ptr, found, fl)))
              rc = add_finding(c, PX_NAMES_VARIANT, doc, off, fl, pt, ent,
                               found, fl, house.ptr, house.len, fixable, 0);
          }
        } else {
          const names_form *t = &n->forms[f->target >= 0 ? f->target : fi];
          rc = shape_house(&house, found, fl, f->text, f->text_len, t->text,
                           t->text_len, &fixable);
          /* "De Mistura" at the start of a sentence is "de Mistura" */
          if (rc == 0 && !(house.len == fl && !memcmp(house.ptr, found, fl)))
            rc = add_finding(
                c, f->kind == NF_BANNED ? PX_NAMES_BANNED : PX_NAMES_VARIANT,
                doc, off, fl, pt, ent, found, fl, house.ptr, house.len, fixable,
                0);
        }
        if (rc < 0)
          goto done;
        if (run != SIZE_MAX) {
          /* a lexicon name ends a run of unknown words */
          if (run < i && (rc = sequence_record(c, doc, s, run, i - 1, pt)) < 0)
            goto done;
          run = SIZE_MAX;
        }
        i += nt;
        continue;
      }
    }
    if ((w->flags & NT_PROPER) && c->quiet) {
      rc = proper_note(c, s + w->off, w->len - w->strip);
      if (rc < 0)
        goto done;
    } else if (w->flags & NT_PROPER) {
      rc = proper_record(c, doc, s, w->off, w->len - w->strip, w->loose, pt);
      if (rc < 0)
        goto done;
      if ((w->flags & NT_UNKNOWN) && w->close >= 0) {
        const struct names_lexword *lw = &n->lexwords[w->close];
        const names_form *f = &n->forms[lw->form];
        rc = add_finding(c, PX_NAMES_CLOSE, doc, w->off, w->len - w->strip, pt,
                         n->ents[f->entity].id, s + w->off, w->len - w->strip,
                         f->text + lw->off, lw->len, 0, 0);
        if (rc < 0)
          goto done;
      }
    }
    i++;
  }
  if (run != SIZE_MAX && nw)
    rc = sequence_record(c, doc, s, run, nw - 1, pt);
done:
  px_buf_dispose(&house);
  return rc;
}

/* Where to end a chunk that starts at a: a paragraph break, else a line
 * break, else a space, else a UTF-8 boundary, at most CHUNK_MAX bytes on. */
static size_t chunk_end(const char *s, size_t len, size_t a) {
  if (len - a <= CHUNK_MAX)
    return len;
  size_t lim = a + CHUNK_MAX, e;
  for (e = lim; e > a + 1; e--)
    if (s[e - 1] == '\n' && s[e - 2] == '\n')
      return e;
  for (e = lim; e > a; e--)
    if (s[e - 1] == '\n')
      return e;
  for (e = lim; e > a; e--)
    if (s[e - 1] == ' ')
      return e;
  for (e = lim; e > a && ((unsigned char)s[e] & 0xC0) == 0x80; e--)
    ;
  return e > a ? e : lim;
}

/* Scan s[start, len) of a document whose text is s (validated). */
static int scan_en(px_names_check *c, size_t doc, const char *label,
                   const char *s, size_t start, size_t len) {
  postrack pt;
  pos_init(&pt, s);
  c->nments = 0;
  c->ndp = 0;
  int rc = 0;
  px_token *toks = NULL;
  for (size_t a = start; a < len;) {
    size_t e = chunk_end(s, len, a);
    size_t nt = 0;
    rc = px_text_tokenize(&toks, &nt, s + a, e - a, "en");
    if (rc < 0) {
      if (rc == PX_EENCODING)
        rc = px_error_prefix("%s", label);
      goto done;
    }
    size_t nw = 0;
    int barrier = 1, hyphen = 0;
    size_t prev_end = a;
    for (size_t i = 0; i < nt; i++) {
      const px_token *t = &toks[i];
      size_t off = a + t->off;
      if (t->kind != PX_TOK_WORD) {
        int joiner = t->kind == PX_TOK_PUNCT && nw &&
                     is_hyphen(s + off, t->len) && off == prev_end &&
                     i + 1 < nt && toks[i + 1].off == t->off + t->len &&
                     toks[i + 1].kind == PX_TOK_WORD;
        if (!joiner)
          barrier = 1;
        else
          hyphen = 1;
        prev_end = off + t->len;
        continue;
      }
      if (!barrier && off > prev_end) {
        const char *nl = memchr(s + prev_end, '\n', off - prev_end);
        if (nl && memchr(nl + 1, '\n', (size_t)(s + off - nl - 1)))
          barrier = 1;
      }
      const names_tok *v;
      rc = px_names__tok(&v, c->n, s + off, t->len);
      if (rc < 0)
        goto done;
      if (nw >= c->capwords) {
        size_t ncap = c->capwords ? c->capwords * 2 : 4096;
        scan_word *nwp = px_realloc(c->words, ncap * sizeof *nwp);
        if (!nwp) {
          rc = PX_ENOMEM;
          goto done;
        }
        c->words = nwp;
        c->capwords = ncap;
      }
      scan_word *w = &c->words[nw++];
      w->off = off;
      w->len = (uint32_t)t->len;
      w->strip = v->strip;
      w->flags = v->flags;
      w->key = v->key;
      w->loose = v->loose;
      w->close = v->close;
      w->barrier = barrier;
      w->hyphen = hyphen && !barrier;
      hyphen = 0;
      barrier = w->strip != 0; /* nothing continues past a possessive */
      prev_end = off + t->len;
    }
    rc = scan_words(c, doc, s, nw, &pt);
    if (rc < 0)
      goto done;
    px_free(toks);
    toks = NULL;
    a = e;
  }
done:
  px_free(toks);
  return rc;
}

int px_names_check_text(px_names_check *c, size_t *doc_out, const char *label,
                        const char *s, size_t len) {
  PX_ASSERT_ARG(c);
  PX_ASSERT_ARG(s || len == 0);
  PX_ASSERT_ARG(!c->finished);
  size_t doc, bad = 0;
  int rc = add_doc(c, &doc, label, NULL);
  if (rc < 0)
    return rc;
  if (px_text_validate(s ? s : "", len, &bad) < 0)
    return px_error_set(PX_EENCODING, PX_ERRCLASS_NAMES, 0,
                        "%s: invalid UTF-8 at byte %zu", c->docs[doc].label,
                        bad);
  c->quiet = 0;
  rc = scan_en(c, doc, c->docs[doc].label, s ? s : "", 0, len);
  if (rc == 0 && doc_out)
    *doc_out = doc;
  return rc;
}

/* ---- pairs ----------------------------------------------------------------
 */

static int learn_add(px_names_check *c, int lang, int32_t entity,
                     uint64_t srckey, const char *src, size_t srclen,
                     const char *en, size_t enlen) {
  uint64_t h = entity >= 0 ? px_names__key(c->n->ents[entity].id,
                                           strlen(c->n->ents[entity].id))
                           : srckey;
  h = h * 31 + (uint64_t)lang;
  h = h ? h : 1;
  learn_ent *e = NULL;
  for (uint32_t v = px_names__map_first(&c->learn_idx, h); v != UINT32_MAX;
       v = c->learn_idx.next[v]) {
    learn_ent *q = &c->learn[c->learn_idx.vals[v]];
    if (q->lang == lang) {
      e = q;
      break;
    }
  }
  if (!e) {
    if (c->nlearn >= 100000)
      return 0;
    if (PX_GROW(c->learn, c->nlearn, c->caplearn) < 0)
      return PX_ENOMEM;
    e = &c->learn[c->nlearn];
    memset(e, 0, sizeof *e);
    e->h = h;
    e->lang = lang;
    e->entity = entity;
    e->src = px_strndup(src, srclen);
    if (!e->src)
      return PX_ENOMEM;
    c->nlearn++;
    if (px_names__map_add(&c->learn_idx, h, (uint32_t)(c->nlearn - 1)) < 0)
      return PX_ENOMEM;
  }
  e->pairs++;
  if (!en)
    return 0;
  for (size_t i = 0; i < e->nsp; i++)
    if (strlen(e->sp[i].en) == enlen && !memcmp(e->sp[i].en, en, enlen)) {
      e->sp[i].count++;
      return 0;
    }
  if (PX_GROW(e->sp, e->nsp, e->capsp) < 0)
    return PX_ENOMEM;
  e->sp[e->nsp].en = px_strndup(en, enlen);
  if (!e->sp[e->nsp].en)
    return PX_ENOMEM;
  e->sp[e->nsp].count = 1;
  e->nsp++;
  return 0;
}

typedef struct src_word {
  size_t off, len;
  uint64_t keys[4];
  int nkeys;
  int barrier;
  int matched;
} src_word;

static int src_has(const src_word *w, uint64_t k) {
  for (int i = 0; i < w->nkeys; i++)
    if (w->keys[i] == k)
      return 1;
  return 0;
}

static int lang_compatible(int text_lang, int form_lang) {
  if (text_lang == 2 || form_lang == 2)
    return text_lang == form_lang;
  return 1; /* Persian and Arabic share the script and the forms */
}

/* Make label the current source label (copied once per distinct run). */
static int push_src_label(px_names_check *c, const char *label) {
  if (!label)
    label = "-";
  if (c->nsrclabels && strcmp(c->srclabels[c->nsrclabels - 1], label) == 0)
    return 0;
  if (PX_GROW(c->srclabels, c->nsrclabels, c->capsrclabels) < 0)
    return PX_ENOMEM;
  c->srclabels[c->nsrclabels] = px_strndup(label, strlen(label));
  if (!c->srclabels[c->nsrclabels])
    return PX_ENOMEM;
  c->nsrclabels++;
  return 0;
}

/* The cross-lingual check of src[sa, sb) against en[ea, eb), both whole
 * validated texts of document doc. */
static int pair_core(px_names_check *c, size_t doc, const char *src, size_t sa,
                     size_t sb, const char *src_lang, const char *en, size_t ea,
                     size_t eb) {
  px_names *n = c->n;
  src_word *sw = NULL;
  px_token *toks = NULL;
  int rc = scan_en(c, doc, c->docs[doc].label, en, ea, eb);
  if (rc < 0)
    return rc;
  c->npairs++;
  if (!src_lang)
    src_lang = px_text_guess_lang(src + sa, sb - sa, "und");
  int lang = px_names__lang_code(src_lang);
  size_t nt = 0;
  rc = px_text_tokenize(&toks, &nt, src + sa, sb - sa, src_lang);
  if (rc < 0)
    goto done;
  sw = px_calloc(nt ? nt : 1, sizeof *sw);
  if (!sw) {
    rc = PX_ENOMEM;
    goto done;
  }
  size_t nw = 0;
  int barrier = 1;
  for (size_t i = 0; i < nt; i++) {
    if (toks[i].kind != PX_TOK_WORD) {
      if (!(toks[i].kind == PX_TOK_PUNCT &&
            is_hyphen(src + toks[i].off, toks[i].len)))
        barrier = 1;
      continue;
    }
    src_word *w = &sw[nw++];
    w->off = sa + toks[i].off;
    w->len = toks[i].len;
    w->barrier = barrier;
    barrier = 0;
    rc = px_names__src_keys(w->keys, src + w->off, w->len, lang ? lang : 3);
    if (rc < 0)
      goto done;
    w->nkeys = rc;
    rc = 0;
  }
  postrack pt;
  pos_init(&pt, src);
  /* entities the source names, by longest phrase */
  int32_t seen_ent[256];
  size_t nseen = 0;
  for (size_t i = 0; i < nw;) {
    int32_t pick = -1;
    uint32_t pick_n = 0;
    for (int a = 0; a < sw[i].nkeys && pick < 0; a++)
      for (uint32_t v = px_names__map_first(&n->first_src, sw[i].keys[a]);
           v != UINT32_MAX; v = n->first_src.next[v]) {
        const names_form *f = &n->forms[n->first_src.vals[v]];
        if (!lang_compatible(lang, f->src_lang) || i + f->ntok > nw ||
            f->ntok <= pick_n)
          continue;
        int ok = 1;
        for (uint32_t j = 1; j < f->ntok && ok; j++)
          ok = !sw[i + j].barrier &&
               src_has(&sw[i + j], n->keypool[f->keys + j]);
        if (ok) {
          pick = (int32_t)n->first_src.vals[v];
          pick_n = f->ntok;
        }
      }
    if (pick < 0) {
      i++;
      continue;
    }
    const names_form *f = &n->forms[pick];
    size_t off = sw[i].off;
    size_t end = sw[i + pick_n - 1].off + sw[i + pick_n - 1].len;
    for (uint32_t j = 0; j < pick_n; j++)
      sw[i + j].matched = 1;
    int dup = 0;
    for (size_t k = 0; k < nseen; k++)
      dup |= seen_ent[k] == (int32_t)f->entity;
    if (!dup && nseen < 256) {
      seen_ent[nseen++] = (int32_t)f->entity;
      /* what the English side wrote for it */
      int best = -1;
      size_t bm = 0;
      for (size_t m = 0; m < c->nments; m++)
        if (c->ments[m].entity == (int32_t)f->entity &&
            (best < 0 || c->ments[m].kind < best)) {
          best = c->ments[m].kind;
          bm = m;
        }
      const names_entity *e = &n->ents[f->entity];
      if (best < 0) {
        rc =
            add_finding(c, PX_NAMES_MISSING, doc, off, end - off, &pt, e->id,
                        src + off, end - off, e->house, strlen(e->house), 0, 1);
        if (rc == 0)
          rc = learn_add(c, lang, (int32_t)f->entity, 0, src + off, end - off,
                         NULL, 0);
      } else {
        rc = learn_add(c, lang, (int32_t)f->entity, 0, src + off, end - off,
                       en + c->ments[bm].off, c->ments[bm].len);
      }
      if (rc < 0)
        goto done;
    }
    i += pick_n;
  }
  /* names in no lexicon: a source word whose romanized loose skeleton is
   * the skeleton of an English name no lexicon knows */
  if (c->ndp) {
    for (size_t i = 0; i < nw; i++) {
      if (sw[i].matched || sw[i].len < 4)
        continue;
      if (lang == 2) {
        /* Russian: only capitalised words are names */
        const unsigned char *p = (const unsigned char *)src + sw[i].off;
        if (!(p[0] == 0xD0 && p[1] >= 0x90 && p[1] <= 0xAF) &&
            !(p[0] == 0xD0 && p[1] == 0x81))
          continue;
      }
      uint64_t lk = 0;
      /* Persian and Arabic: the conjunction and the article are not part
       * of the name (والأسد -> أسد) */
      const char *ws = src + sw[i].off;
      size_t wl = sw[i].len;
      if ((lang == 1 || lang == 3) && wl > 6 && !memcmp(ws, "\xD9\x88", 2) &&
          !memcmp(ws + 2, "\xD8\xA7\xD9\x84", 4)) {
        ws += 2;
        wl -= 2;
      }
      if ((lang == 1 || lang == 3) && wl > 8 &&
          !memcmp(ws, "\xD8\xA7\xD9\x84", 4)) {
        ws += 4;
        wl -= 4;
      }
      rc = px_names__loose(&lk, NULL, ws, wl, src_lang);
      if (rc < 0)
        goto done;
      if (!lk)
        continue;
      for (size_t k = 0; k < c->ndp; k++) {
        const proper_ent *p = &c->props[c->doc_props[k]];
        if (p->loose != lk)
          continue;
        rc = learn_add(c, lang, -1, sw[i].keys[sw[i].nkeys - 1], ws, wl,
                       p->surface, p->slen);
        if (rc < 0)
          goto done;
        break;
      }
    }
  }
done:
  px_free(toks);
  px_free(sw);
  return rc;
}

int px_names_check_pair(px_names_check *c, size_t *doc_out,
                        const char *src_label, const char *src, size_t src_len,
                        const char *src_lang, const char *en_label,
                        const char *en, size_t en_len) {
  PX_ASSERT_ARG(c);
  PX_ASSERT_ARG(src || src_len == 0);
  PX_ASSERT_ARG(en || en_len == 0);
  PX_ASSERT_ARG(!c->finished);
  src = src ? src : "";
  en = en ? en : "";
  size_t doc, bad = 0;
  int rc = add_doc(c, &doc, en_label, src_label ? src_label : "-");
  if (rc < 0)
    return rc;
  if (px_text_validate(src, src_len, &bad) < 0)
    return px_error_set(PX_EENCODING, PX_ERRCLASS_NAMES, 0,
                        "%s: invalid UTF-8 at byte %zu", c->docs[doc].src_label,
                        bad);
  if (px_text_validate(en, en_len, &bad) < 0)
    return px_error_set(PX_EENCODING, PX_ERRCLASS_NAMES, 0,
                        "%s: invalid UTF-8 at byte %zu", c->docs[doc].label,
                        bad);
  c->quiet = 0;
  rc = push_src_label(c, c->docs[doc].src_label);
  if (rc == 0)
    rc = pair_core(c, doc, src, 0, src_len, src_lang, en, 0, en_len);
  if (rc == 0 && doc_out)
    *doc_out = doc;
  return rc;
}

int px_names_check_bead(px_names_check *c, size_t doc, const char *src_label,
                        const char *src, size_t src_len, const char *src_lang,
                        size_t src_start, size_t src_end, const char *en,
                        size_t en_len, size_t en_start, size_t en_end) {
  PX_ASSERT_ARG(c);
  PX_ASSERT_ARG(doc < c->ndocs);
  PX_ASSERT_ARG(src || src_len == 0);
  PX_ASSERT_ARG(en || en_len == 0);
  PX_ASSERT_ARG(src_start <= src_end && src_end <= src_len);
  PX_ASSERT_ARG(en_start <= en_end && en_end <= en_len);
  PX_ASSERT_ARG(!c->finished);
  src = src ? src : "";
  en = en ? en : "";
  if (!c->docs[doc].src_label) {
    const char *l = src_label ? src_label : "-";
    c->docs[doc].src_label = px_strndup(l, strlen(l));
    if (!c->docs[doc].src_label)
      return PX_ENOMEM;
  }
  size_t bad = 0;
  if (px_text_validate(src + src_start, src_end - src_start, &bad) < 0)
    return px_error_set(PX_EENCODING, PX_ERRCLASS_NAMES, 0,
                        "%s: invalid UTF-8 at byte %zu", c->docs[doc].src_label,
                        src_start + bad);
  if (px_text_validate(en + en_start, en_end - en_start, &bad) < 0)
    return px_error_set(PX_EENCODING, PX_ERRCLASS_NAMES, 0,
                        "%s: invalid UTF-8 at byte %zu", c->docs[doc].label,
                        en_start + bad);
  c->quiet = 1;
  int rc = push_src_label(c, src_label);
  if (rc == 0)
    rc = pair_core(c, doc, src, src_start, src_end, src_lang, en, en_start,
                   en_end);
  c->quiet = 0;
  return rc;
}

/* ---- finishing the batch ----------------------------------------------------
 */

typedef struct loose_ix {
  uint64_t loose;
  size_t i;
} loose_ix;

static int cmp_loose(const void *a, const void *b) {
  const loose_ix *x = a, *y = b;
  if (x->loose != y->loose)
    return x->loose < y->loose ? -1 : 1;
  return x->i < y->i ? -1 : (x->i > y->i);
}

static int cmp_finding(const void *a, const void *b) {
  const px_names_finding *fa = a, *fb = b;
  if (fa->doc != fb->doc)
    return fa->doc < fb->doc ? -1 : 1;
  if (fa->in_source != fb->in_source)
    return fa->in_source - fb->in_source;
  if (fa->off != fb->off)
    return fa->off < fb->off ? -1 : 1;
  return (int)fa->kind - (int)fb->kind;
}

static size_t uf_find(size_t *par, size_t x) {
  while (par[x] != x)
    x = par[x] = par[par[x]];
  return x;
}

/* One source-language name in no lexicon rendered in English two ways
 * across the pairs (Мединский: Medinsky 12, Medinskiy 1): the minority
 * spellings are reported wherever they occur, unless the English-side
 * clustering reported them already. */
static int source_majority(px_names_check *c) {
  size_t nf0 = c->nf;
  for (size_t i = 0; i < c->nlearn; i++) {
    const learn_ent *e = &c->learn[i];
    if (e->entity >= 0 || e->nsp < 2)
      continue;
    size_t maj = 0;
    for (size_t j = 1; j < e->nsp; j++)
      if (e->sp[j].count > e->sp[maj].count)
        maj = j;
    for (size_t j = 0; j < e->nsp; j++) {
      if (j == maj)
        continue;
      size_t len = strlen(e->sp[j].en);
      uint64_t h = px_names__key(e->sp[j].en, len);
      if (!c->pcap)
        continue;
      size_t slot = h & (c->pcap - 1);
      const proper_ent *p = NULL;
      while (c->phash[slot]) {
        const proper_ent *q = &c->props[c->pidx[slot]];
        if (c->phash[slot] == h && q->slen == len &&
            !memcmp(q->surface, e->sp[j].en, len)) {
          p = q;
          break;
        }
        slot = (slot + 1) & (c->pcap - 1);
      }
      for (size_t k = 0; p && k < p->nocc; k++) {
        const proper_occ *o = &p->occ[k];
        int dup = 0;
        for (size_t m = 0; m < nf0 && !dup; m++)
          dup = c->f[m].kind == PX_NAMES_INCONSISTENT &&
                c->f[m].doc == o->doc && c->f[m].off == o->off;
        if (dup)
          continue;
        int rc = add_finding(c, PX_NAMES_INCONSISTENT, o->doc, o->off, o->len,
                             NULL, "", p->surface, p->slen, e->sp[maj].en,
                             strlen(e->sp[maj].en), 0, 0);
        if (rc < 0)
          return rc;
        c->f[c->nf - 1].line = o->line;
        c->f[c->nf - 1].col = o->col;
      }
    }
  }
  return 0;
}

int px_names_check_finish(px_names_check *c) {
  PX_ASSERT_ARG(c);
  if (c->finished)
    return 0;
  c->finished = 1;
  int rc = 0;
  size_t *ord = px_calloc(c->nprops ? c->nprops : 1, sizeof *ord);
  size_t *par = px_calloc(c->nprops ? c->nprops : 1, sizeof *par);
  px_buf fa = PX_BUF_INIT, fb = PX_BUF_INIT;
  if (!ord || !par) {
    rc = PX_ENOMEM;
    goto done;
  }
  size_t m = 0;
  loose_ix *lx = px_calloc(c->nprops ? c->nprops : 1, sizeof *lx);
  if (!lx) {
    rc = PX_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < c->nprops; i++) {
    par[i] = i;
    if (c->props[i].loose) {
      lx[m].loose = c->props[i].loose;
      lx[m++].i = i;
    }
  }
  qsort(lx, m, sizeof *lx, cmp_loose);
  for (size_t i = 0; i < m; i++)
    ord[i] = lx[i].i;
  px_free(lx);
  for (size_t a = 0; a < m;) {
    size_t b = a + 1;
    while (b < m && c->props[ord[b]].loose == c->props[ord[a]].loose)
      b++;
    if (b - a >= 2 && b - a <= 64) {
      for (size_t i = a; i < b; i++)
        for (size_t j = i + 1; j < b; j++) {
          const proper_ent *p = &c->props[ord[i]], *q = &c->props[ord[j]];
          if ((rc = px_names__fold(&fa, p->surface, p->slen)) < 0 ||
              (rc = px_names__fold(&fb, q->surface, q->slen)) < 0)
            goto done;
          if (fa.len == fb.len && !memcmp(fa.ptr, fb.ptr, fa.len))
            continue; /* case only: "Hezbollah" vs "HEZBOLLAH" */
          if (!px_names__other_name(fa.ptr, fa.len, fb.ptr, fb.len) &&
              px_text_jaro_winkler(fa.ptr, fa.len, fb.ptr, fb.len) >=
                  c->n->close_thr)
            par[uf_find(par, ord[i])] = uf_find(par, ord[j]);
        }
      /* for each cluster: the majority spelling, then the others */
      for (size_t i = a; i < b; i++) {
        size_t root = uf_find(par, ord[i]);
        size_t maj = SIZE_MAX, members = 0;
        for (size_t j = a; j < b; j++)
          if (uf_find(par, ord[j]) == root) {
            members++;
            const proper_ent *p = &c->props[ord[j]];
            if (maj == SIZE_MAX || p->count > c->props[maj].count)
              maj = ord[j];
          }
        if (members < 2 || ord[i] != root)
          continue;
        const proper_ent *mp = &c->props[maj];
        for (size_t j = a; j < b; j++) {
          if (uf_find(par, ord[j]) != root || ord[j] == maj)
            continue;
          const proper_ent *p = &c->props[ord[j]];
          for (size_t k = 0; k < p->nocc; k++) {
            const proper_occ *o = &p->occ[k];
            rc = add_finding(c, PX_NAMES_INCONSISTENT, o->doc, o->off, o->len,
                             NULL, "", p->surface, p->slen, mp->surface,
                             mp->slen, 0, 0);
            if (rc < 0)
              goto done;
            c->f[c->nf - 1].line = o->line;
            c->f[c->nf - 1].col = o->col;
          }
        }
      }
    }
    a = b;
  }
  rc = source_majority(c);
  if (rc < 0)
    goto done;
  if (c->nf)
    qsort(c->f, c->nf, sizeof *c->f, cmp_finding);
done:
  px_free(ord);
  px_free(par);
  px_buf_dispose(&fa);
  px_buf_dispose(&fb);
  return rc;
}

/* ---- fixing
 * ------------------------------------------------------------------ */

int px_names_fix(char **out, size_t *out_len, size_t *nfixed,
                 const px_names_check *c, size_t doc, const char *s,
                 size_t len) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(c);
  PX_ASSERT_ARG(s || len == 0);
  if (doc >= c->ndocs)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_NAMES, 0,
                        "no document %zu in this check", doc);
  px_buf b = PX_BUF_INIT;
  size_t pos = 0, fixed = 0;
  int rc = px_buf_reserve(&b, len + 1);
  /* findings are sorted once the batch is finished; before that, they are
   * in document order already for one document's own findings */
  for (size_t i = 0; i < c->nf && rc == 0; i++) {
    const px_names_finding *f = &c->f[i];
    if (f->doc != doc || !f->fixable || f->in_source ||
        (f->kind != PX_NAMES_VARIANT && f->kind != PX_NAMES_BANNED))
      continue;
    if (f->off < pos || f->off + f->len > len)
      continue; /* overlapping or not this text */
    if (memcmp(s + f->off, f->found, f->len) != 0)
      continue;
    rc = px_buf_put(&b, s + pos, f->off - pos);
    if (rc == 0)
      rc = px_buf_puts(&b, f->house);
    pos = f->off + f->len;
    fixed++;
  }
  if (rc == 0)
    rc = px_buf_put(&b, s + pos, len - pos);
  if (rc < 0) {
    px_buf_dispose(&b);
    return rc;
  }
  size_t ol = 0;
  char *o = px_buf_detach(&b, &ol);
  if (!o)
    return PX_ENOMEM;
  *out = o;
  if (out_len)
    *out_len = ol;
  if (nfixed)
    *nfixed = fixed;
  return 0;
}

/* ---- learning
 * ------------------------------------------------------------------ */

static const char *const lang_tag[] = {"?", "fa", "ru", "ar"};

static int cmp_sp(const void *a, const void *b) {
  const learn_sp *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return strcmp(x->en, y->en);
}

int px_names_learn_write(const px_names_check *c, FILE *f) {
  PX_ASSERT_ARG(c);
  PX_ASSERT_ARG(f);
  fprintf(f,
          "# parallax names learn: %zu source names seen in %zu aligned "
          "pairs.\n"
          "# For each name: the evidence (source spelling, the English "
          "spellings seen\n"
          "# and their counts) as a comment, then for a name in no lexicon a "
          "proposed\n"
          "# lexicon line (id type house also variants banned former fa ru "
          "ar).\n"
          "# Edit the lines (check id, type, house), then add them to "
          "names.tsv.\n",
          c->nlearn, c->npairs);
  for (size_t i = 0; i < c->nlearn; i++) {
    learn_ent *e = &c->learn[i];
    if (e->nsp)
      qsort(e->sp, e->nsp, sizeof *e->sp, cmp_sp);
    const char *lt = lang_tag[e->lang >= 0 && e->lang <= 3 ? e->lang : 0];
    fprintf(f, "\n# %s %s (%zu pairs):", lt, e->src, e->pairs);
    if (!e->nsp)
      fprintf(f, " no English spelling found");
    for (size_t j = 0; j < e->nsp; j++)
      fprintf(f, "%s %s (%zu)", j ? "," : "", e->sp[j].en, e->sp[j].count);
    if (e->entity >= 0) {
      const names_entity *ent = &c->n->ents[e->entity];
      fprintf(f, " -- in the lexicon as %s, house %s\n", ent->id, ent->house);
      continue;
    }
    fputc('\n', f);
    if (!e->nsp)
      continue;
    /* id: the majority spelling, lower-case ASCII, other bytes '-' */
    const char *h = e->sp[0].en;
    for (const char *p = h; *p; p++) {
      char ch = low(*p);
      fputc((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ? ch : '-', f);
    }
    fprintf(f, "\tperson?\t%s\t-\t", h);
    if (e->nsp < 2)
      fputc('-', f);
    for (size_t j = 1; j < e->nsp; j++)
      fprintf(f, "%s%s", j > 1 ? "|" : "", e->sp[j].en);
    fprintf(f, "\t-\t-");
    for (int l = 1; l <= 3; l++)
      fprintf(f, "\t%s", l == e->lang ? e->src : "-");
    fputc('\n', f);
  }
  if (ferror(f))
    return px_error_set(PX_EIO, PX_ERRCLASS_OS, 0, "cannot write proposals");
  return 0;
}
