/*
 * align.c: sentence alignment of two versions of one document.
 *
 * Pipeline of px_align_run():
 *  1. Features.  Each sentence becomes a length (code points, spaces not
 *     counted) and a list of units (words, numbers, some punctuation,
 *     acronyms, URLs), each with a weight (inverse document frequency
 *     within this document) and a few match keys: digits of any script
 *     made ASCII, the consonant skeleton of the romanized word (names and
 *     cognates, with a Jaro-Winkler pass to catch spelling variants),
 *     lexicon translations (source side) or the word itself (target side),
 *     canonical punctuation, and in pass 2 the Model 1 translations.
 *  2. Score.  A bead costs -log prior(type) + Gale-Church length cost +
 *     a lexical log-likelihood ratio: the units matched on both sides under
 *     "translation" (match rate p1) against "unrelated" (rate p0).  Every
 *     parameter (length ratio and variance, bead-type priors, p0, p1) is
 *     estimated from the pair being aligned.
 *  3. Search.  Viterbi over beads within a band: the band comes from the
 *     path at a coarser resolution (paragraphs, or blocks of 8 sentences,
 *     recursively), as Vecalign does, so time and memory are linear.
 *  4. Learn.  The confident beads train IBM Model 1 (with the caller's
 *     pairs); its best translations become keys; realign.
 *  5. Confidence.  Forward-backward over the final band gives each bead's
 *     posterior probability.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "buf.h"
#include "error.h"
#include "mem.h"

#define MAX_SENTS ((size_t)10000000)
#define MAX_SENT_LEN ((size_t)1 << 20)
#define MAX_PAIR_LEN ((size_t)1 << 16)
#define MAX_PAIRS ((size_t)1000000)
/* Half-widths of the search band: the fine level's (sentences) and, at
 * least, the coarser levels' (blocks or paragraphs).  The coarse paths
 * need the wider band (with 4 the Urdu-English set lost 2 points strict
 * F1), the fine level does not (4 and 8 give the same F1 on every
 * development set, and 4 evaluates a third fewer cells). */
#define DEFAULT_BAND 4
#define COARSE_BAND 8
#define GUIDE_BAND 6       /* pass 2, around pass 1's path */
#define BLOCK 8            /* sentences per block at a coarser level */
#define FULL_DP_CELLS 6000 /* below this, no coarse level is needed */
#define INF 1e30
#define MIN_M1_PAIRS 400 /* see learn_m1() */

/* Bead types, in the order of the DP's backpointers. */
const int px_align__types[PX_ALIGN__NTYPES][2] = {
    {1, 1}, {1, 0}, {0, 1}, {1, 2}, {2, 1}, {2, 2}, {1, 3}, {3, 1}};
/* Gale & Church's priors (1-3/3-1 added with a small mass), the start of
 * the per-document estimate. */
static const double default_prior[PX_ALIGN__NTYPES] = {
    0.89, 0.005, 0.005, 0.04, 0.04, 0.011, 0.004, 0.004};

/* Key kinds live in the top three bits of a 32-bit key. */
enum { K_NUM = 0, K_COG = 1, K_LEX = 2, K_PUNCT = 3, K_ACR = 4, K_M1 = 5 };

static uint32_t mkkey(unsigned kind, const char *s, size_t n) {
  uint64_t h = px_text_hash(s, n);
  h ^= h >> 29;
  return ((uint32_t)kind << 29) | (uint32_t)(h & 0x1fffffffu);
}

/* ---- a string interner ------------------------------------------------- */
typedef struct strmap {
  uint32_t *slot; /* id + 1, 0 empty */
  size_t cap;     /* power of two */
  size_t n, ncap;
  uint64_t *hash;
  size_t *off;
  uint32_t *len;
  px_buf pool;
} strmap;

static void sm_dispose(strmap *m) {
  px_free(m->slot);
  px_free(m->hash);
  px_free(m->off);
  px_free(m->len);
  px_buf_dispose(&m->pool);
  memset(m, 0, sizeof *m);
}

static int sm_rehash(strmap *m, size_t ncap) {
  uint32_t *ns = px_calloc(ncap, sizeof *ns);
  if (!ns)
    return PX_ENOMEM;
  for (size_t id = 0; id < m->n; id++) {
    size_t i = (size_t)m->hash[id] & (ncap - 1);
    while (ns[i])
      i = (i + 1) & (ncap - 1);
    ns[i] = (uint32_t)id + 1;
  }
  px_free(m->slot);
  m->slot = ns;
  m->cap = ncap;
  return 0;
}

/* The id of (s, n), added if new (*is_new = 1). */
static int sm_get(strmap *m, const char *s, size_t n, uint32_t *id_out,
                  int *is_new) {
  int rc;
  if (m->n * 2 >= m->cap && (rc = sm_rehash(m, m->cap ? m->cap * 2 : 256)))
    return rc;
  uint64_t h = px_text_hash(s, n);
  size_t i = (size_t)h & (m->cap - 1);
  while (m->slot[i]) {
    uint32_t id = m->slot[i] - 1;
    if (m->hash[id] == h && m->len[id] == n &&
        memcmp(m->pool.ptr + m->off[id], s, n) == 0) {
      *id_out = id;
      *is_new = 0;
      return 0;
    }
    i = (i + 1) & (m->cap - 1);
  }
  if (m->n == m->ncap) {
    size_t nc = m->ncap ? m->ncap * 2 : 256;
    uint64_t *h2 = px_realloc(m->hash, nc * sizeof *h2);
    if (!h2)
      return PX_ENOMEM;
    m->hash = h2;
    size_t *o2 = px_realloc(m->off, nc * sizeof *o2);
    if (!o2)
      return PX_ENOMEM;
    m->off = o2;
    uint32_t *l2 = px_realloc(m->len, nc * sizeof *l2);
    if (!l2)
      return PX_ENOMEM;
    m->len = l2;
    m->ncap = nc;
  }
  size_t off = m->pool.len;
  if ((rc = px_buf_put(&m->pool, s, n)) || (rc = px_buf_putc(&m->pool, 0)))
    return rc;
  m->hash[m->n] = h;
  m->off[m->n] = off;
  m->len[m->n] = (uint32_t)n;
  m->slot[i] = (uint32_t)m->n + 1;
  *id_out = (uint32_t)m->n++;
  *is_new = 1;
  return 0;
}

static const char *sm_str(const strmap *m, uint32_t id) {
  return m->pool.ptr + m->off[id];
}

/* ---- growable uint32 arrays --------------------------------------------- */
typedef struct u32v {
  uint32_t *v;
  size_t n, cap;
} u32v;

static int u32_push(u32v *a, uint32_t x) {
  if (PX_GROW(a->v, a->n, a->cap))
    return PX_ENOMEM;
  a->v[a->n++] = x;
  return 0;
}

/* ---- the handle ---------------------------------------------------------- */
struct px_align {
  px_align_opts o;
  px_align_stats stats;
  /* caller's training pairs, NUL-separated in one buffer */
  px_buf pairs;
  size_t *pair_off; /* 4 per pair: src off, src len, tgt off, tgt len */
  size_t n_pairs, pair_cap;
};

/* A time of day, digits of any script around a colon: what tells a
 * date/time line from other furniture. */
static int has_time_of_day(const char *s, size_t len) {
  char *n = NULL;
  size_t nl = 0;
  int yes = 0;
  if (px_text_normalize(&n, &nl, s, len, PX_NORM_DIGITS) != 0)
    return 0;
  for (size_t i = 1; i + 1 < nl && !yes; i++)
    yes = n[i] == ':' && n[i - 1] >= '0' && n[i - 1] <= '9' &&
          n[i + 1] >= '0' && n[i + 1] <= '9';
  px_free(n);
  return yes;
}

int px_align_sents_from_segments(px_align_sent **out,
                                 const px_segment_list *list) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(list);
  px_align_sent *a = px_calloc(list->count + 1, sizeof *a);
  if (!a)
    return PX_ENOMEM;
  for (size_t i = 0; i < list->count; i++) {
    const px_segment *sg = &list->items[i];
    unsigned fl = 0;
    if (sg->kind == PX_SEG_FURNITURE && !has_time_of_day(sg->text, sg->len))
      fl |= PX_ALIGN_FURNITURE;
    if (sg->kind == PX_SEG_HEADLINE)
      fl |= PX_ALIGN_HEADING;
    a[i] = (px_align_sent){sg->text, sg->len, (long)sg->paragraph, fl};
  }
  *out = a;
  return 0;
}

int px_align_new(px_align **out, const px_align_opts *opts) {
  px_align_opts def = PX_ALIGN_OPTS_INIT;
  PX_ASSERT_ARG(out);
  if (!opts)
    opts = &def;
  PX_ASSERT_ARG(opts->version == PX_ALIGN_OPTS_VERSION);
  PX_ASSERT_ARG(opts->w_length >= 0 && opts->w_lexical >= 0);
  PX_ASSERT_ARG(opts->min_confidence >= 0 && opts->min_confidence <= 1);
  PX_ASSERT_ARG(opts->n_lexicons == 0 || opts->lexicons);
  px_align *al = px_calloc(1, sizeof *al);
  if (!al)
    return PX_ENOMEM;
  al->o = *opts;
  if (!al->o.band)
    al->o.band = DEFAULT_BAND;
  px_buf_init(&al->pairs, 0);
  *out = al;
  return 0;
}

void px_align_free(px_align *al) {
  if (!al)
    return;
  px_buf_dispose(&al->pairs);
  px_free(al->pair_off);
  px_free(al);
}

int px_align_add_pair(px_align *al, const char *src, size_t src_len,
                      const char *tgt, size_t tgt_len) {
  size_t bad;
  int rc;
  PX_ASSERT_ARG(al);
  PX_ASSERT_ARG(src || !src_len);
  PX_ASSERT_ARG(tgt || !tgt_len);
  if (src_len > MAX_PAIR_LEN || tgt_len > MAX_PAIR_LEN)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_ALIGN, 0,
                        "training pair %zu: a sentence over 64 KiB",
                        al->n_pairs + 1);
  if (al->n_pairs >= MAX_PAIRS)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_ALIGN, 0,
                        "more than %zu training pairs", MAX_PAIRS);
  if (px_text_validate(src, src_len, &bad))
    return px_error_set(PX_EENCODING, PX_ERRCLASS_ALIGN, 0,
                        "training pair %zu: source: invalid UTF-8 at byte %zu",
                        al->n_pairs + 1, bad);
  if (px_text_validate(tgt, tgt_len, &bad))
    return px_error_set(PX_EENCODING, PX_ERRCLASS_ALIGN, 0,
                        "training pair %zu: target: invalid UTF-8 at byte %zu",
                        al->n_pairs + 1, bad);
  if (al->n_pairs * 4 + 4 > al->pair_cap) {
    size_t nc = al->pair_cap ? al->pair_cap * 2 : 64;
    size_t *p = px_realloc(al->pair_off, nc * sizeof *p);
    if (!p)
      return PX_ENOMEM;
    al->pair_off = p;
    al->pair_cap = nc;
  }
  size_t so = al->pairs.len;
  if ((rc = px_buf_put(&al->pairs, src, src_len)) ||
      (rc = px_buf_putc(&al->pairs, 0)))
    return rc;
  size_t to = al->pairs.len;
  if ((rc = px_buf_put(&al->pairs, tgt, tgt_len)) ||
      (rc = px_buf_putc(&al->pairs, 0)))
    return rc;
  size_t *q = al->pair_off + al->n_pairs * 4;
  q[0] = so;
  q[1] = src_len;
  q[2] = to;
  q[3] = tgt_len;
  al->n_pairs++;
  return 0;
}

int px_align_get_stats(px_align_stats *out, const px_align *al) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(al);
  *out = al->stats;
  return 0;
}

/* ---- features of one side ---------------------------------------------- */

/* A distinct token of one side (by its bytes). */
typedef struct tokinfo {
  uint32_t word; /* id in side.words (normalized form), UINT32_MAX if none */
  uint32_t koff; /* base keys: keys.v[koff .. koff+kn) */
  uint16_t kn;
  uint16_t mn; /* Model 1 keys: m1k[moff .. moff+mn) (source side) */
  uint16_t jn; /* Jaro-Winkler cognate keys: jwk[joff .. joff+jn) */
  uint32_t moff;
  uint32_t joff;
  uint32_t foff; /* keys that occur on the other side: fkeys[foff ..] */
  uint16_t fn;
  uint32_t df;   /* sentences it occurs in */
  uint32_t last; /* last sentence counted in df, + 1 */
  float base;    /* weight of its kind */
  float w;       /* base * idf */
} tokinfo;

typedef struct side {
  const char *lang;
  int is_src;
  size_t n;
  double *len;
  long *para;
  unsigned *flags;
  u32v toks;       /* token ids, sentence by sentence */
  uint32_t *t_off; /* n + 1 */
  strmap raw;      /* token bytes -> token id */
  strmap words;    /* normalized word -> word id */
  tokinfo *ti;
  size_t nti, cti;
  u32v keys;       /* base keys of all tokens */
  u32v m1k;        /* Model 1 keys (source side, pass 2) */
  u32v jwk;        /* cognate keys found by Jaro-Winkler (source side) */
  strmap cog;      /* romanized form -> id, for the Jaro-Winkler pass */
  u32v rom_of;     /* token id -> cog id + 1 (0: none) */
  u32v cog_skel;   /* cog id -> its skeleton key */
  u32v cog_cap;    /* cog id -> 1 if some token of it is capitalized */
  u32v fkeys;      /* per token, its keys found on the other side */
  u32v live;       /* token occurrences with such keys, by sentence */
  uint32_t *l_off; /* n + 1 offsets into live */
} side;

static void side_dispose(side *s) {
  px_free(s->len);
  px_free(s->para);
  px_free(s->flags);
  px_free(s->toks.v);
  px_free(s->t_off);
  sm_dispose(&s->raw);
  sm_dispose(&s->words);
  px_free(s->ti);
  px_free(s->keys.v);
  px_free(s->m1k.v);
  px_free(s->jwk.v);
  sm_dispose(&s->cog);
  px_free(s->rom_of.v);
  px_free(s->cog_skel.v);
  px_free(s->cog_cap.v);
  px_free(s->fkeys.v);
  px_free(s->live.v);
  px_free(s->l_off);
  memset(s, 0, sizeof *s);
}

/* After Model 1's corpus is built, no token is added or looked up by its
 * text again: the interners and the romanized forms go (some megabytes on
 * a long document, which the second pass's arrays can then reuse). */
static void side_drop_text(side *s) {
  sm_dispose(&s->raw);
  sm_dispose(&s->words);
  sm_dispose(&s->cog);
  px_free(s->rom_of.v);
  px_free(s->cog_skel.v);
  px_free(s->cog_cap.v);
  memset(&s->rom_of, 0, sizeof s->rom_of);
  memset(&s->cog_skel, 0, sizeof s->cog_skel);
  memset(&s->cog_cap, 0, sizeof s->cog_cap);
}

/* Give back the unused capacity of a side's biggest arrays, which
 * doubled as they grew and are kept to the end of the run. */
static void u32_fit(u32v *a) {
  if (a->cap > a->n + a->n / 8 + 16) {
    uint32_t *v = px_realloc(a->v, (a->n ? a->n : 1) * sizeof *v);
    if (v) {
      a->v = v;
      a->cap = a->n ? a->n : 1;
    }
  }
}

static void side_fit(side *s) {
  u32_fit(&s->toks);
  u32_fit(&s->keys);
  if (s->cti > s->nti + s->nti / 8 + 16) {
    tokinfo *t = px_realloc(s->ti, (s->nti ? s->nti : 1) * sizeof *t);
    if (t) {
      s->ti = t;
      s->cti = s->nti ? s->nti : 1;
    }
  }
}

/* Number of code points in s (UTF-8 lead bytes). */
static size_t cp_count(const char *s, size_t n) {
  size_t c = 0;
  for (size_t i = 0; i < n; i++)
    if (((unsigned char)s[i] & 0xC0) != 0x80)
      c++;
  return c;
}

/* The byte length of the first `cps` code points of s. */
static size_t cp_prefix(const char *s, size_t n, size_t cps) {
  size_t i = 0, c = 0;
  while (i < n) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (c == cps)
        break;
      c++;
    }
    i++;
  }
  return i;
}

static int is_rich(const char *lang) {
  static const char *const rich[] = {"ru", "tr", "ar", "ur", "de", "fr",
                                     "fa", "uk", "fi", "hu", "pl", "cs"};
  for (size_t i = 0; i < sizeof rich / sizeof *rich; i++)
    if (lang && px_lang_is(lang, rich[i]))
      return 1;
  return 0;
}

static int is_arabic_script(const char *lang) {
  return lang && (px_lang_is(lang, "ar") || px_lang_is(lang, "fa") ||
                  px_lang_is(lang, "ur") || px_lang_is(lang, "ps"));
}

/* Target-side lexical key of a normalized word: its first 5 code points,
 * a crude stem that lets "wars" meet "war" and "talks" meet "talk". */
static uint32_t lex_key(const char *w, size_t n) {
  return mkkey(K_LEX, w, cp_prefix(w, n, 5));
}

typedef struct ctx {
  px_align *al;
  side s, t;
  u32v scratch;
} ctx;

/* Append the lexicon keys of translations of normalized word w. */
static int add_lex_keys(ctx *c, side *sd, const char *w, size_t n) {
  const px_align_opts *o = &c->al->o;
  int found = 0, rc;
  for (int attempt = 0; attempt < 12 && !found; attempt++) {
    const char *q = w;
    size_t qn = n;
    if (attempt > 0) {
      /* Morphology: drop Arabic-script proclitics, then try shorter
       * prefixes (the lexicon holds lemmas; news text inflects them). */
      if (!is_rich(sd->lang))
        break;
      size_t cps = cp_count(w, n);
      if (attempt <= 2 && is_arabic_script(sd->lang)) {
        static const char *const pre[] = {"\xd9\x88", "\xd8\xa7\xd9\x84"};
        const char *p = pre[attempt - 1];
        size_t pl = strlen(p);
        if (n <= pl + 4 || memcmp(w, p, pl) != 0)
          continue;
        q = w + pl;
        qn = n - pl;
      } else {
        size_t drop = (size_t)attempt - (is_arabic_script(sd->lang) ? 2 : 0);
        if (drop == 0 || cps < drop + 4 || drop > 4)
          continue;
        qn = cp_prefix(w, n, cps - drop);
      }
    }
    for (size_t l = 0; l < o->n_lexicons; l++) {
      const px_lexicon_entry *e;
      size_t ne;
      if (px_lexicon_lookup(o->lexicons[l], q, qn, &e, &ne) != 0)
        continue;
      found = 1;
      for (size_t j = 0; j < ne && j < 8; j++) {
        const char *t = e[j].tgt;
        size_t tn = strlen(t), a = 0;
        while (a < tn) {
          size_t b = a;
          while (b < tn && t[b] != ' ')
            b++;
          if (b - a >= 3 && (rc = u32_push(&sd->keys, lex_key(t + a, b - a))))
            return rc;
          a = b + 1;
        }
      }
    }
  }
  return 0;
}

/* Canonical form of a punctuation character that carries across
 * languages, or NULL. */
static const char *punct_class(const char *s, size_t n) {
  static const struct {
    const char *ch, *cls;
  } map[] = {{"?", "?"},
             {"\xd8\x9f", "?"}, /* Arabic question mark */
             {"!", "!"},
             {"\"", "\""},
             {"\xc2\xab", "\""},     /* « */
             {"\xc2\xbb", "\""},     /* » */
             {"\xe2\x80\x9c", "\""}, /* “ */
             {"\xe2\x80\x9d", "\""}, /* ” */
             {"\xe2\x80\x9e", "\""}, /* „ */
             {"(", "("},
             {")", ")"},
             {"[", "("},
             {"]", ")"},
             {":", ":"},
             {"%", "%"},
             {"\xd9\xaa", "%"}}; /* Arabic percent */
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (strlen(map[i].ch) == n && memcmp(map[i].ch, s, n) == 0)
      return map[i].cls;
  return NULL;
}

static int all_upper_ascii(const char *s, size_t n) {
  if (n < 2 || n > 8)
    return 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] < 'A' || s[i] > 'Z')
      return 0;
  return 1;
}

static int new_token(ctx *c, side *sd, uint32_t tid, const char *s, size_t n,
                     px_token_kind kind) {
  int rc = 0;
  char *norm = NULL, *rom = NULL, *skel = NULL;
  size_t nl, rl, kl;
  if (PX_GROW(sd->ti, sd->nti, sd->cti))
    return PX_ENOMEM;
  tokinfo *ti = &sd->ti[tid];
  memset(ti, 0, sizeof *ti);
  ti->word = UINT32_MAX;
  ti->koff = (uint32_t)sd->keys.n;
  sd->nti = tid + 1;
  if ((rc = u32_push(&sd->rom_of, 0)))
    return rc;
  if (kind == PX_TOK_NUMBER) {
    if ((rc = px_text_normalize(&norm, &nl, s, n, PX_NORM_DIGITS)))
      goto done;
    char digits[64];
    size_t d = 0;
    for (size_t i = 0; i < nl && d < sizeof digits; i++)
      if (norm[i] >= '0' && norm[i] <= '9')
        digits[d++] = norm[i];
    if (d) {
      ti->base = 2.0f;
      rc = u32_push(&sd->keys, mkkey(K_NUM, digits, d));
    }
  } else if (kind == PX_TOK_PUNCT || kind == PX_TOK_SYMBOL) {
    const char *cls = punct_class(s, n);
    if (cls) {
      ti->base = 0.5f;
      rc = u32_push(&sd->keys, mkkey(K_PUNCT, cls, strlen(cls)));
    }
  } else if (kind == PX_TOK_WORD || kind == PX_TOK_IDEO) {
    int is_new;
    ti->base = 1.0f;
    if ((rc = px_lexicon_normalize_word(&norm, &nl, s, n)))
      goto done;
    if ((rc = sm_get(&sd->words, norm, nl, &ti->word, &is_new)))
      goto done;
    if (all_upper_ascii(s, n)) {
      ti->base = 2.0f;
      if ((rc = u32_push(&sd->keys, mkkey(K_ACR, s, n))))
        goto done;
    }
    if (!sd->is_src) {
      if ((rc = u32_push(&sd->keys, lex_key(norm, nl))) ||
          (rc = u32_push(&sd->keys, mkkey(K_M1, (const char *)&ti->word,
                                          sizeof ti->word))))
        goto done;
    } else if (c->al->o.n_lexicons) {
      if ((rc = add_lex_keys(c, sd, norm, nl)))
        goto done;
    }
    /* Names and cognates: the consonant skeleton of the romanized word. */
    if (cp_count(norm, nl) >= 4) {
      if ((rc = px_text_romanize(&rom, &rl, norm, nl, sd->lang)) ||
          (rc = px_text_skeleton(&skel, &kl, rom, rl)))
        goto done;
      if (kl >= 2) {
        uint32_t cid, sk = mkkey(K_COG, skel, kl);
        if ((rc = u32_push(&sd->keys, sk)) ||
            (rc = sm_get(&sd->cog, rom, rl, &cid, &is_new)))
          goto done;
        if (is_new && ((rc = u32_push(&sd->cog_skel, sk)) ||
                       (rc = u32_push(&sd->cog_cap, 0))))
          goto done;
        if (s[0] >= 'A' && s[0] <= 'Z')
          sd->cog_cap.v[cid] = 1;
        sd->rom_of.v[tid] = cid + 1;
      }
    }
  }
done:
  ti = &sd->ti[tid];
  ti->kn = (uint16_t)(sd->keys.n - ti->koff);
  px_free(norm);
  px_free(rom);
  px_free(skel);
  return rc;
}

/* Tokenize every sentence of one side into token ids. */
static int side_build(ctx *c, side *sd, const px_align_sent *in, size_t n,
                      const char *lang, int is_src) {
  int rc = 0;
  px_token *tk = NULL;
  size_t ntk;
  sd->lang = lang;
  sd->is_src = is_src;
  sd->n = n;
  sd->len = px_calloc(n + 1, sizeof *sd->len);
  sd->para = px_calloc(n + 1, sizeof *sd->para);
  sd->flags = px_calloc(n + 1, sizeof *sd->flags);
  sd->t_off = px_calloc(n + 1, sizeof *sd->t_off);
  if (!sd->len || !sd->para || !sd->flags || !sd->t_off)
    return PX_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    const char *s = in[i].text;
    size_t len = in[i].len, bad;
    sd->t_off[i] = (uint32_t)sd->toks.n;
    sd->para[i] = in[i].para;
    sd->flags[i] = in[i].flags;
    if (!s && len)
      return px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                          "%s sentence %zu: NULL text",
                          is_src ? "source" : "target", i + 1);
    if (len > MAX_SENT_LEN)
      return px_error_set(PX_ETOOBIG, PX_ERRCLASS_ALIGN, 0,
                          "%s sentence %zu: longer than 1 MiB",
                          is_src ? "source" : "target", i + 1);
    if (px_text_validate(s, len, &bad))
      return px_error_set(PX_EENCODING, PX_ERRCLASS_ALIGN, 0,
                          "%s sentence %zu: invalid UTF-8 at byte %zu",
                          is_src ? "source" : "target", i + 1, bad);
    size_t spaces = 0;
    for (size_t j = 0; j < len; j++)
      spaces += s[j] == ' ' || s[j] == '\t';
    sd->len[i] = (double)(cp_count(s, len) - spaces);
    if (!len)
      continue;
    if ((rc = px_text_tokenize(&tk, &ntk, s, len, lang)))
      return rc;
    for (size_t j = 0; j < ntk; j++) {
      const char *ts = s + tk[j].off;
      size_t tn = tk[j].len;
      uint32_t tid;
      int is_new;
      if (tn > 255)
        continue;
      if ((rc = sm_get(&sd->raw, ts, tn, &tid, &is_new)))
        goto done;
      if (is_new) {
        if ((rc = new_token(c, sd, tid, ts, tn, tk[j].kind)))
          goto done;
      }
      tokinfo *ti = &sd->ti[tid];
      if (ti->base <= 0)
        continue; /* not a unit (most punctuation) */
      if (ti->last != i + 1) {
        ti->last = (uint32_t)i + 1;
        ti->df++;
      }
      if ((rc = u32_push(&sd->toks, tid)))
        goto done;
    }
    px_free(tk);
    tk = NULL;
  }
  sd->t_off[n] = (uint32_t)sd->toks.n;
  /* Weights: inverse document frequency within this document. */
  double ln = log((double)n + 1.0);
  for (size_t t = 0; t < sd->nti; t++) {
    tokinfo *ti = &sd->ti[t];
    double idf = ti->df ? log(((double)n + 1.0) / ti->df) / ln : 1.0;
    /* the commonest words (in most sentences of the document) match
     * everywhere and say nothing: they are not units at all */
    ti->w = idf < 0.15 ? 0.0f : (float)(ti->base * idf);
  }
done:
  px_free(tk);
  return rc;
}

/* Jaro-Winkler pass: a source word whose romanization is close to an
 * English word's (Rouhani / Rowhani / Rukhani) gets that word's skeleton
 * key.  Candidates are blocked by first letter and length so the pass
 * stays near-linear. */
static int jw_pass(side *S, side *T) {
  int rc = 0;
  size_t nt = T->cog.n;
  uint32_t *order = NULL, start[27] = {0};
  if (!S->cog.n || !nt)
    return 0;
  order = px_malloc(nt * sizeof *order);
  if (!order)
    return PX_ENOMEM;
  /* bucket target forms by first letter a-z (others in bucket 26) */
  uint32_t cnt[27] = {0};
  /* Only names: target forms written with a capital somewhere (the
   * spelling variants worth a fuzzy match are names; common words are
   * the lexicon's business) */
  for (size_t j = 0; j < nt; j++) {
    if (!T->cog_cap.v[j])
      continue;
    char f = sm_str(&T->cog, (uint32_t)j)[0];
    cnt[(f >= 'a' && f <= 'z') ? f - 'a' : 26]++;
  }
  for (int b = 1; b < 27; b++)
    start[b] = start[b - 1] + cnt[b - 1];
  uint32_t fill[27];
  memcpy(fill, start, sizeof fill);
  for (size_t j = 0; j < nt; j++) {
    if (!T->cog_cap.v[j])
      continue;
    char f = sm_str(&T->cog, (uint32_t)j)[0];
    order[fill[(f >= 'a' && f <= 'z') ? f - 'a' : 26]++] = (uint32_t)j;
  }
  /* best target match per source form */
  uint32_t *best = px_malloc(S->cog.n * sizeof *best);
  if (!best) {
    rc = PX_ENOMEM;
    goto done;
  }
  for (size_t i = 0; i < S->cog.n; i++) {
    const char *a = sm_str(&S->cog, (uint32_t)i);
    size_t al = S->cog.len[i];
    int b = (a[0] >= 'a' && a[0] <= 'z') ? a[0] - 'a' : 26;
    double bs = 0.0;
    best[i] = UINT32_MAX;
    size_t tried = 0;
    for (uint32_t q = start[b]; q < start[b] + cnt[b] && tried < 150; q++) {
      uint32_t j = order[q];
      size_t bl = T->cog.len[j];
      if (bl + 1 < al || al + 1 < bl)
        continue;
      tried++;
      double sim = px_text_jaro_winkler(a, al, sm_str(&T->cog, j), bl);
      if (sim > bs) {
        bs = sim;
        best[i] = j;
      }
    }
    if (bs < 0.88 ||
        (best[i] != UINT32_MAX && T->cog_skel.v[best[i]] == S->cog_skel.v[i]))
      best[i] = UINT32_MAX;
  }
  for (size_t t = 0; t < S->nti; t++) {
    uint32_t r = S->rom_of.v[t];
    S->ti[t].joff = (uint32_t)S->jwk.n;
    S->ti[t].jn = 0;
    if (r && best[r - 1] != UINT32_MAX) {
      if ((rc = u32_push(&S->jwk, T->cog_skel.v[best[r - 1]])))
        goto done;
      S->ti[t].jn = 1;
    }
  }
done:
  px_free(best);
  px_free(order);
  return rc;
}

/* ---- keys both sides share ------------------------------------------------
 */
typedef struct kset {
  uint32_t *v; /* key + 1; 0 empty */
  size_t cap;
} kset;

static int kset_add(kset *h, uint32_t k) {
  size_t i = (size_t)((k * 0x9E3779B1u) & (h->cap - 1));
  while (h->v[i] && h->v[i] != k + 1)
    i = (i + 1) & (h->cap - 1);
  h->v[i] = k + 1;
  return 0;
}

static int kset_has(const kset *h, uint32_t k) {
  size_t i = (size_t)((k * 0x9E3779B1u) & (h->cap - 1));
  while (h->v[i]) {
    if (h->v[i] == k + 1)
      return 1;
    i = (i + 1) & (h->cap - 1);
  }
  return 0;
}

/* Keep of each token of side a only the keys that some token of side b
 * has: the rest can never match, and dropping them makes the inner loop
 * of the search touch a few keys per sentence instead of dozens. */
static int side_filter(side *a, const side *b) {
  kset h = {0};
  size_t nk = b->keys.n + b->jwk.n + b->m1k.n;
  h.cap = 64;
  while (h.cap < 2 * nk + 2)
    h.cap <<= 1;
  h.v = px_calloc(h.cap, sizeof *h.v);
  if (!h.v)
    return PX_ENOMEM;
  for (size_t t = 0; t < b->nti; t++) {
    const tokinfo *ti = &b->ti[t];
    for (unsigned r = 0; r < ti->kn; r++)
      kset_add(&h, b->keys.v[ti->koff + r]);
    for (unsigned r = 0; r < ti->jn; r++)
      kset_add(&h, b->jwk.v[ti->joff + r]);
    for (unsigned r = 0; r < ti->mn; r++)
      kset_add(&h, b->m1k.v[ti->moff + r]);
  }
  int rc = 0;
  a->fkeys.n = 0;
  for (size_t t = 0; t < a->nti && !rc; t++) {
    tokinfo *ti = &a->ti[t];
    ti->foff = (uint32_t)a->fkeys.n;
    ti->fn = 0;
    const u32v *src[3] = {&a->keys, &a->jwk, &a->m1k};
    uint32_t off[3] = {ti->koff, ti->joff, ti->moff};
    unsigned cnt[3] = {ti->kn, ti->jn, ti->mn};
    for (int z = 0; z < 3 && !rc; z++)
      for (unsigned r = 0; r < cnt[z] && !rc; r++) {
        uint32_t k = src[z]->v[off[z] + r];
        if (kset_has(&h, k) && !(rc = u32_push(&a->fkeys, k)))
          ti->fn++;
      }
  }
  px_free(h.v);
  if (rc)
    return rc;
  a->live.n = 0;
  if (!a->l_off && !(a->l_off = px_calloc(a->n + 1, sizeof *a->l_off)))
    return PX_ENOMEM;
  for (size_t i = 0; i < a->n; i++) {
    a->l_off[i] = (uint32_t)a->live.n;
    for (uint32_t q = a->t_off[i]; q < a->t_off[i + 1]; q++)
      if (a->ti[a->toks.v[q]].fn && a->ti[a->toks.v[q]].w > 0 &&
          (rc = u32_push(&a->live, a->toks.v[q])))
        return rc;
  }
  a->l_off[a->n] = (uint32_t)a->live.n;
  return 0;
}

/* ---- levels: sentences or groups of them --------------------------------- */
typedef struct level {
  size_t n;
  uint32_t *g; /* n + 1 sentence boundaries */
  double *len;
  float *W;      /* total unit weight of the group */
  uint32_t *ko;  /* n + 1 offsets into kv */
  uint32_t *kv;  /* sorted distinct keys of each group */
  uint64_t *sig; /* per group, a 64-bit filter of its keys (two bits a
                    key): most keys asked about a group are not in it */
  unsigned char *furn;
  unsigned char *head; /* fine level: the sentence is a heading */
  int fine;
  uint32_t max_df; /* units in more sentences than this are left out */
  /* inverted index: key pk[j] occurs in groups pg[ps[j] .. ps[j+1]) */
  size_t nkeys;
  uint32_t *pk, *ps, *pg;
  uint32_t *ph; /* hash of keys: index into pk + 1, 0 empty */
  size_t phcap;
} level;

static void level_dispose(level *L) {
  px_free(L->g);
  px_free(L->len);
  px_free(L->W);
  px_free(L->ko);
  px_free(L->kv);
  px_free(L->sig);
  px_free(L->furn);
  px_free(L->head);
  px_free(L->pk);
  px_free(L->ps);
  px_free(L->pg);
  px_free(L->ph);
  memset(L, 0, sizeof *L);
}

/* Free what matching reads (keys, filters, postings) and keep what the
 * costs of one-sided beads and the bead lengths read. */
static void level_drop_keys(level *L) {
  px_free(L->kv);
  px_free(L->pk);
  px_free(L->ps);
  px_free(L->pg);
  px_free(L->ph);
  px_free(L->sig);
  L->kv = L->pk = L->ps = L->pg = L->ph = NULL;
  L->sig = NULL;
  L->nkeys = L->phcap = 0;
}

/* Two bits of a 64-bit word for key k (see level.sig). */
static uint64_t key_sig(uint32_t k) {
  uint32_t h = k * 0x9E3779B1u;
  return (1ull << (h >> 26)) | (1ull << ((h >> 20) & 63));
}

/* Sort n keys ascending.  Per-group key lists are short (tens of keys),
 * where qsort's indirect comparisons cost more than the work itself:
 * insertion sort below 24 keys, an in-place quicksort above. */
static void sort_u32(uint32_t *v, size_t n) {
  while (n > 24) {
    uint32_t a = v[0], b = v[n / 2], c = v[n - 1];
    uint32_t piv =
        a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
    size_t i = 0, j = n - 1;
    for (;;) {
      while (v[i] < piv)
        i++;
      while (v[j] > piv)
        j--;
      if (i >= j)
        break;
      uint32_t t = v[i];
      v[i] = v[j];
      v[j] = t;
      i++;
      j--;
    }
    /* recurse into the smaller part, loop on the larger */
    if (j + 1 < n - j - 1) {
      sort_u32(v, j + 1);
      v += j + 1;
      n -= j + 1;
    } else {
      sort_u32(v + j + 1, n - j - 1);
      n = j + 1;
    }
  }
  for (size_t q = 1; q < n; q++) {
    uint32_t x = v[q];
    size_t r = q;
    while (r > 0 && v[r - 1] > x) {
      v[r] = v[r - 1];
      r--;
    }
    v[r] = x;
  }
}

/* Sort n keys ascending with tmp[0 .. n) as scratch: an LSD radix sort
 * (four 8-bit passes, one histogram sweep, passes where every key has
 * the same byte skipped) from 256 keys on, where the quicksort's
 * n log n comparisons cost several times more; sort_u32() below. */
#define RADIX_MIN 256
static void sort_u32_tmp(uint32_t *v, size_t n, uint32_t *tmp) {
  if (n < RADIX_MIN || !tmp) {
    sort_u32(v, n);
    return;
  }
  size_t cnt[4][256];
  memset(cnt, 0, sizeof cnt);
  for (size_t q = 0; q < n; q++) {
    uint32_t x = v[q];
    cnt[0][x & 255]++;
    cnt[1][(x >> 8) & 255]++;
    cnt[2][(x >> 16) & 255]++;
    cnt[3][x >> 24]++;
  }
  uint32_t *from = v, *to = tmp;
  for (unsigned b = 0; b < 4; b++) {
    unsigned shift = 8 * b;
    if (cnt[b][(from[0] >> shift) & 255] == n)
      continue; /* one value of this byte: the order stands */
    size_t sum = 0;
    for (size_t k = 0; k < 256; k++) {
      size_t c = cnt[b][k];
      cnt[b][k] = sum;
      sum += c;
    }
    for (size_t q = 0; q < n; q++)
      to[cnt[b][(from[q] >> shift) & 255]++] = from[q];
    uint32_t *x = from;
    from = to;
    to = x;
  }
  if (from != v)
    memcpy(v, from, n * sizeof *v);
}

void px_align__sort_keys(uint32_t *v, size_t n, uint32_t *tmp) {
  sort_u32_tmp(v, n, tmp);
}

/* Sort (key << 32 | group) pairs by key.  They arrive in group order, so a
 * stable LSD radix sort on the key's bits (three 11-bit passes) gives the
 * same order as a full 64-bit sort, in linear time. */
static int sort_pairs(uint64_t *v, size_t n) {
  if (n < 2)
    return 0;
  uint64_t *tmp = px_malloc(n * sizeof *tmp);
  if (!tmp)
    return PX_ENOMEM;
  uint64_t *from = v, *to = tmp;
  for (unsigned shift = 32; shift < 64; shift += 11) {
    size_t cnt[2048];
    memset(cnt, 0, sizeof cnt);
    for (size_t q = 0; q < n; q++)
      cnt[(from[q] >> shift) & 2047u]++;
    size_t sum = 0;
    for (size_t b = 0; b < 2048; b++) {
      size_t c = cnt[b];
      cnt[b] = sum;
      sum += c;
    }
    for (size_t q = 0; q < n; q++)
      to[cnt[(from[q] >> shift) & 2047u]++] = from[q];
    uint64_t *x = from;
    from = to;
    to = x;
  }
  if (from != v)
    memcpy(v, from, n * sizeof *v);
  px_free(tmp);
  return 0;
}

/* Build the inverted index key -> groups from the per-group key sets. */
static int level_index(level *L) {
  size_t n = L->ko[L->n];
  uint64_t *pairs = px_malloc((n ? n : 1) * sizeof *pairs);
  if (!pairs)
    return PX_ENOMEM;
  for (size_t i = 0; i < L->n; i++)
    for (uint32_t q = L->ko[i]; q < L->ko[i + 1]; q++)
      pairs[q] = ((uint64_t)L->kv[q] << 32) | (uint64_t)i;
  if (sort_pairs(pairs, n)) {
    px_free(pairs);
    return PX_ENOMEM;
  }
  size_t nk = 0;
  for (size_t q = 0; q < n; q++)
    if (q == 0 || (pairs[q] >> 32) != (pairs[q - 1] >> 32))
      nk++;
  L->nkeys = nk;
  L->pk = px_malloc((nk + 1) * sizeof *L->pk);
  L->ps = px_malloc((nk + 1) * sizeof *L->ps);
  L->pg = px_malloc((n ? n : 1) * sizeof *L->pg);
  L->phcap = 16;
  while (L->phcap < 2 * nk + 2)
    L->phcap <<= 1;
  L->ph = px_calloc(L->phcap, sizeof *L->ph);
  if (!L->pk || !L->ps || !L->pg || !L->ph) {
    px_free(pairs);
    return PX_ENOMEM;
  }
  size_t j = 0;
  for (size_t q = 0; q < n; q++) {
    uint32_t k = (uint32_t)(pairs[q] >> 32);
    if (q == 0 || k != (uint32_t)(pairs[q - 1] >> 32)) {
      L->pk[j] = k;
      L->ps[j] = (uint32_t)q;
      size_t h = (size_t)((k * 0x9E3779B1u) & (L->phcap - 1));
      while (L->ph[h])
        h = (h + 1) & (L->phcap - 1);
      L->ph[h] = (uint32_t)j + 1;
      j++;
    }
    L->pg[q] = (uint32_t)(pairs[q] & 0xffffffffu);
  }
  L->ps[nk] = (uint32_t)n;
  px_free(pairs);
  return 0;
}

/* Build a level over groups g[0..n] (sentence boundaries; g is taken). */
static int level_build(level *L, const side *sd, uint32_t *g, size_t n,
                       int fine) {
  u32v sc = {0};
  u32v kv = {0};
  uint32_t *seen = NULL, *tmp = NULL;
  size_t tmp_cap = 0;
  int rc = 0;
  L->n = n;
  L->g = g;
  L->fine = fine;
  L->len = px_calloc(n + 1, sizeof *L->len);
  L->W = px_calloc(n + 1, sizeof *L->W);
  L->ko = px_calloc(n + 1, sizeof *L->ko);
  L->sig = px_calloc(n + 1, sizeof *L->sig);
  L->furn = px_calloc(n + 1, 1);
  L->head = px_calloc(n + 1, 1);
  if (!L->len || !L->W || !L->ko || !L->sig || !L->furn || !L->head)
    return PX_ENOMEM;
  /* A coarser level leaves out the units found in more sentences than
   * eight times its number of groups: most groups hold them, they cannot
   * tell one group from another, and they are much of the work of matching
   * big groups.  Measured on the development sets: with 8 (and 2, 4) F1 is
   * as with all units; without lexicons 8 is as good or better on every
   * set (ur-en .607 strict instead of .450) while 2 and 4 made the Urdu
   * path derail, and 1/2 did that to Arabic even with the lexicons. */
  L->max_df =
      fine ? UINT32_MAX : (uint32_t)(n < UINT32_MAX / 8 ? 8 * n : UINT32_MAX);
  /* A unit repeated in a group brings the same keys again: a coarse
   * group (a block, a paragraph) takes each distinct unit's keys once
   * (seen[t] = the group + 1 that took them), then sorts far fewer. */
  if (!fine && !(seen = px_calloc(sd->nti + 1, sizeof *seen)))
    return PX_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    sc.n = 0;
    for (uint32_t s = g[i]; s < g[i + 1]; s++) {
      L->len[i] += sd->len[s];
      if (fine && (sd->flags[s] & PX_ALIGN_FURNITURE))
        L->furn[i] = 1;
      if (fine && (sd->flags[s] & PX_ALIGN_HEADING))
        L->head[i] = 1;
      for (uint32_t q = sd->t_off[s]; q < sd->t_off[s + 1]; q++)
        if (sd->ti[sd->toks.v[q]].df <= L->max_df)
          L->W[i] += sd->ti[sd->toks.v[q]].w;
      for (uint32_t q = sd->l_off[s]; q < sd->l_off[s + 1]; q++) {
        const tokinfo *ti = &sd->ti[sd->live.v[q]];
        if (ti->df > L->max_df)
          continue;
        if (seen) {
          if (seen[sd->live.v[q]] == i + 1)
            continue;
          seen[sd->live.v[q]] = (uint32_t)i + 1;
        }
        for (unsigned r = 0; r < ti->fn; r++)
          if ((rc = u32_push(&sc, sd->fkeys.v[ti->foff + r])))
            goto done;
      }
    }
    if (sc.n >= RADIX_MIN && sc.n > tmp_cap) {
      px_free(tmp);
      tmp_cap = sc.cap;
      if (!(tmp = px_malloc(tmp_cap * sizeof *tmp))) {
        rc = PX_ENOMEM;
        goto done;
      }
    }
    if (sc.n)
      sort_u32_tmp(sc.v, sc.n, tmp);
    L->ko[i] = (uint32_t)kv.n;
    for (size_t q = 0; q < sc.n; q++)
      if (q == 0 || sc.v[q] != sc.v[q - 1]) {
        if ((rc = u32_push(&kv, sc.v[q])))
          goto done;
        L->sig[i] |= key_sig(sc.v[q]);
      }
  }
  L->ko[n] = (uint32_t)kv.n;
  L->kv = kv.v;
  kv.v = NULL;
  rc = level_index(L);
done:
  px_free(sc.v);
  px_free(kv.v);
  px_free(seen);
  px_free(tmp);
  return rc;
}

/* The index of key k in L's inverted index (its groups are pg[ps[j] ..
 * ps[j+1])), UINT32_MAX if no group of L has it. */
static uint32_t key_index(const level *L, uint32_t k) {
  if (!L->phcap)
    return UINT32_MAX;
  size_t i = (size_t)((k * 0x9E3779B1u) & (L->phcap - 1));
  while (L->ph[i]) {
    uint32_t j = L->ph[i] - 1;
    if (L->pk[j] == k)
      return j;
    i = (i + 1) & (L->phcap - 1);
  }
  return UINT32_MAX;
}

/* Does group i of L have key k?  (The filter, then a binary search: the
 * search's memos find matches through the postings; this serves the
 * match-rate samples and the few questions outside a memo.) */
static int has_key(const level *L, size_t i, uint32_t k) {
  uint64_t m = key_sig(k);
  if ((L->sig[i] & m) != m)
    return 0;
  const uint32_t *v = L->kv + L->ko[i];
  size_t lo = 0, hi = L->ko[i + 1] - L->ko[i];
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    if (v[mid] < k)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < L->ko[i + 1] - L->ko[i] && v[lo] == k;
}

static int tok_matches(const side *sd, const tokinfo *ti, const level *L,
                       size_t j) {
  for (unsigned r = 0; r < ti->fn; r++)
    if (has_key(L, j, sd->fkeys.v[ti->foff + r]))
      return 1;
  return 0;
}

/* Weight of the units of group i of side a that find a key in group j of
 * the other side's level. */
static float group_match(const side *sa, const level *La, size_t i,
                         const level *Lb, size_t j) {
  float m = 0;
  if (Lb->ko[j] == Lb->ko[j + 1])
    return 0;
  uint32_t s0 = sa->l_off[La->g[i]], s1 = sa->l_off[La->g[i + 1]];
  for (uint32_t q = s0; q < s1; q++) {
    const tokinfo *ti = &sa->ti[sa->live.v[q]];
    if (tok_matches(sa, ti, Lb, j))
      m += ti->w;
  }
  return m;
}

/* ---- scoring parameters ------------------------------------------------ */
typedef struct params {
  double c, s2;                 /* length ratio and variance */
  double nlp[PX_ALIGN__NTYPES]; /* -log prior */
  /* log(p1/p0w), log((1-p1)/(1-p0w)) where p0w = 1-(1-p0)^w is the chance
   * that a unit finds a partner by accident among w sentences */
  double lmatch[4], lmiss[4];
  double p0, p1;
  double w_len, w_lex;
  int use_para;
  int use_head; /* both sides mark headings */
} params;

static void set_match_rates(params *p, double p0, double p1) {
  if (p0 < 0.002)
    p0 = 0.002;
  if (p0 > 0.6)
    p0 = 0.6;
  if (p1 < p0 + 0.03)
    p1 = p0 + 0.03;
  if (p1 > 0.97)
    p1 = 0.97;
  p->p0 = p0;
  p->p1 = p1;
  for (int w = 1; w <= 3; w++) {
    double pw = 1 - pow(1 - p0, w);
    double q1 = p1 > pw + 0.01 ? p1 : pw + 0.01;
    p->lmatch[w] = log(q1 / pw);
    p->lmiss[w] = log((1 - q1) / (1 - pw));
  }
}

/* -log(erfc(x)) for x >= 0: a table with linear interpolation (erfc is
 * the hottest call of the search otherwise), asymptotic beyond it. */
#define NLE_STEPS 64
#define NLE_MAX 12
static double nle_tab[NLE_MAX * NLE_STEPS + 2];
static int nle_ready;

static void nle_init(void) {
  /* idempotent and deterministic: a race only writes the same values */
  for (int i = 0; i <= NLE_MAX * NLE_STEPS + 1; i++)
    nle_tab[i] = -log(erfc((double)i / NLE_STEPS));
  nle_ready = 1;
}

static double neg_log_erfc(double x) {
  if (x >= NLE_MAX)
    return x * x + log(x * 1.7724538509055159); /* erfc ~ e^-x2/(x sqrt pi) */
  double f = x * NLE_STEPS;
  int i = (int)f;
  double t = f - i;
  return nle_tab[i] * (1 - t) + nle_tab[i + 1] * t;
}

static double len_cost(double ls, double lt, double c, double s2);

double px_align__len_cost(double ls, double lt, double c, double s2) {
  if (!nle_ready)
    nle_init();
  return len_cost(ls, lt, c, s2);
}

static int cmp_dbl(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

void px_align__len_estimate(double *c_out, double *s2_out, const double *ls,
                            const double *lt, size_t n, double tot_s,
                            double tot_t) {
  double c = (tot_s > 0 && tot_t > 0) ? tot_t / tot_s : 1.0;
  double s2 = 6.8 * c;
  size_t m = 0;
  double *r = n ? px_malloc(n * sizeof *r) : NULL;
  if (r) {
    for (size_t i = 0; i < n; i++)
      if (ls[i] >= 5 && lt[i] >= 5)
        r[m++] = lt[i] / ls[i];
  }
  if (m >= 5) {
    qsort(r, m, sizeof *r, cmp_dbl);
    c = r[m / 2];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
      if (ls[i] >= 5 && lt[i] >= 5) {
        double d = lt[i] - c * ls[i];
        r[k++] = d * d / ((ls[i] + lt[i] / c) / 2);
      }
    qsort(r, k, sizeof *r, cmp_dbl);
    /* robust: the median of delta^2 over a chi-square(1) median (0.455),
     * so misalignments in the sample do not inflate it */
    s2 = r[k / 2] / 0.455;
    if (s2 < 1.0 * c)
      s2 = 1.0 * c;
    if (s2 > 30 * c)
      s2 = 30 * c;
  }
  px_free(r);
  *c_out = c;
  *s2_out = s2;
}

/* ---- the banded dynamic program ------------------------------------------ */
typedef struct band {
  size_t ns, nt;   /* nodes (i, k): 0 <= i <= ns, 0 <= k <= nt */
  size_t *lo, *hi; /* column range of row i (inclusive) */
  size_t *off;     /* first cell of row i; off[ns + 1] = cells */
  size_t cells;
} band;

static void band_dispose(band *b) {
  px_free(b->lo);
  px_free(b->hi);
  px_free(b->off);
  memset(b, 0, sizeof *b);
}

static int band_alloc(band *b, size_t ns, size_t nt) {
  b->ns = ns;
  b->nt = nt;
  b->lo = px_malloc((ns + 1) * sizeof *b->lo);
  b->hi = px_malloc((ns + 1) * sizeof *b->hi);
  b->off = px_malloc((ns + 2) * sizeof *b->off);
  if (!b->lo || !b->hi || !b->off)
    return PX_ENOMEM;
  for (size_t i = 0; i <= ns; i++) {
    b->lo[i] = SIZE_MAX;
    b->hi[i] = 0;
  }
  return 0;
}

static void band_finish(band *b) {
  size_t o = 0;
  for (size_t i = 0; i <= b->ns; i++) {
    if (b->lo[i] > b->hi[i]) { /* an empty row: keep the path connected */
      b->lo[i] = i ? b->lo[i - 1] : 0;
      b->hi[i] = i ? b->hi[i - 1] : 0;
    }
    b->off[i] = o;
    o += b->hi[i] - b->lo[i] + 1;
  }
  b->off[b->ns + 1] = o;
  b->cells = o;
}

static long cell_of(const band *b, size_t i, size_t k) {
  if (i > b->ns || k < b->lo[i] || k > b->hi[i])
    return -1;
  return (long)(b->off[i] + (k - b->lo[i]));
}

/* A match memo of one side against the other.  For each group x of side
 * A (source groups in the source memo, target groups in the target memo)
 * and each node e of side B in [lo[x], hi[x]]: the weight of the units of
 * x matched in B's groups [e-1, e), [e-2, e), [e-3, e) (3 floats).  A bead
 * ending at a band node (i, k) asks the source memo about groups i-3..i-1
 * at k and the target memo about groups k-3..k-1 at i, so group x's range
 * is the union of the band lines x+1..x+3 of its side: every question of
 * the search is answered from the memo.  The source and target memos are
 * the same code with the sides swapped. */
typedef struct memo {
  size_t n;            /* groups of side A */
  size_t *lo, *hi;     /* node range of group x (lo > hi: none) */
  size_t *off;         /* first entry of group x; off[n] = entries */
  float *m;            /* 3 floats per entry; NULL while dropped */
  unsigned char *done; /* group x filled */
  const side *sa;
  const level *La, *Lb;
  /* for memo_fill(): kj[q] is the index in Lb of the key sa->fkeys.v[q]
   * (UINT32_MAX: not in Lb); cur[j] the posting of key j where its last
   * search ended.  Groups are filled in (nearly) increasing order, so a
   * search resumes from there instead of bisecting the whole list. */
  uint32_t *kj, *cur;
} memo;

static void memo_dispose(memo *M) {
  px_free(M->lo);
  px_free(M->hi);
  px_free(M->off);
  px_free(M->m);
  px_free(M->done);
  px_free(M->kj);
  px_free(M->cur);
  memset(M, 0, sizeof *M);
}

/* The values of a memo, empty (again, after memo_drop()). */
static int memo_alloc(memo *M) {
  if (M->m)
    return 0;
  memset(M->done, 0, M->n + 1);
  M->m = px_malloc(3 * (M->off[M->n] ? M->off[M->n] : 1) * sizeof *M->m);
  return M->m ? 0 : PX_ENOMEM;
}

static void memo_drop(memo *M) {
  px_free(M->m);
  px_free(M->kj);
  px_free(M->cur);
  M->m = NULL;
  M->kj = M->cur = NULL;
}

/* The key indices of memo_fill(), made when the memo is. */
static int memo_keys(memo *M) {
  const side *sa = M->sa;
  const level *Lb = M->Lb;
  M->kj = px_malloc((sa->fkeys.n ? sa->fkeys.n : 1) * sizeof *M->kj);
  M->cur = px_malloc((Lb->nkeys ? Lb->nkeys : 1) * sizeof *M->cur);
  if (!M->kj || !M->cur)
    return PX_ENOMEM;
  for (size_t q = 0; q < sa->fkeys.n; q++)
    M->kj[q] = key_index(Lb, sa->fkeys.v[q]);
  for (size_t j = 0; j < Lb->nkeys; j++)
    M->cur[j] = Lb->ps[j];
  return 0;
}

/* Ranges from the band's lines on side A: line l spans nodes
 * [line_lo[l], line_hi[l]] of side B (l = 0..La->n). */
static int memo_init(memo *M, const side *sa, const level *La, const level *Lb,
                     const size_t *line_lo, const size_t *line_hi) {
  size_t n = La->n, o = 0;
  M->n = n;
  M->sa = sa;
  M->La = La;
  M->Lb = Lb;
  M->lo = px_malloc((n + 1) * sizeof *M->lo);
  M->hi = px_malloc((n + 1) * sizeof *M->hi);
  M->off = px_malloc((n + 1) * sizeof *M->off);
  M->done = px_calloc(n + 1, 1);
  if (!M->lo || !M->hi || !M->off || !M->done)
    return PX_ENOMEM;
  for (size_t x = 0; x < n; x++) {
    size_t lo = SIZE_MAX, hi = 0;
    for (size_t l = x + 1; l <= x + 3 && l <= n; l++)
      if (line_lo[l] <= line_hi[l]) {
        if (line_lo[l] < lo)
          lo = line_lo[l];
        if (line_hi[l] > hi)
          hi = line_hi[l];
      }
    M->lo[x] = lo;
    M->hi[x] = hi;
    M->off[x] = o;
    if (lo <= hi)
      o += hi - lo + 1;
  }
  M->off[n] = o;
  int rc = memo_keys(M);
  return rc ? rc : memo_alloc(M);
}

/* The Viterbi pass keeps the costs of the two-sided bead types (types 0
 * and 3..7) for forward-backward; a one-sided bead's cost is a constant
 * and is recomputed. */
#define BC_TYPES 6
static size_t bc_slot(int t) { return t == 0 ? 0 : (size_t)t - 2; }

/* Scratch space of memo_fill(). */
typedef struct dp_scratch {
  unsigned char *flag; /* per node of a group's range: windows reached */
  uint32_t *touched;   /* nodes with a flag set */
  size_t cap;
  u32v units; /* the distinct units of one coarse group, sorted */
  /* per token of a side: the fill that last counted it (seen == epoch)
   * and how often it occurs in that fill's group */
  uint32_t *seen, *cnt;
  size_t seen_cap;
  uint32_t epoch;
  uint32_t *tmp; /* radix sort scratch, tmp_cap entries */
  size_t tmp_cap;
} dp_scratch;

typedef struct dp {
  const params *p;
  const side *S, *T;
  const level *LS, *LT;
  band b;
  memo ms; /* source groups x at target nodes k */
  memo mt; /* target groups y at source nodes i */
  double *cost;
  unsigned char *bp;
  int oom;   /* a memo fill ran out of memory */
  float *bc; /* if not NULL: two-sided bead costs per cell (BC_TYPES),
                filled by the Viterbi pass, reused by forward-backward */
  size_t *col_lo, *col_hi; /* rows of the band in column y */
  dp_scratch sc;
} dp;

static void dp_dispose(dp *d) {
  band_dispose(&d->b);
  memo_dispose(&d->ms);
  memo_dispose(&d->mt);
  px_free(d->cost);
  px_free(d->bp);
  px_free(d->col_lo);
  px_free(d->col_hi);
  px_free(d->sc.flag);
  px_free(d->sc.touched);
  px_free(d->sc.units.v);
  px_free(d->sc.seen);
  px_free(d->sc.cnt);
  px_free(d->sc.tmp);
  px_free(d->bc);
  memset(d, 0, sizeof *d);
}

/* Weight of the units of group x of side a matched in any of the groups
 * [e-1, e), [e-2, e), [e-3, e) of the other side, into out[0..2]. */
static void window_match(const side *sa, const level *La, size_t x,
                         const level *Lb, size_t e, float out[3]) {
  out[0] = out[1] = out[2] = 0;
  if (!Lb->kv) /* keys dropped (level_drop_keys()): nothing to match */
    return;
  int live[3];
  for (int j = 0; j < 3; j++)
    live[j] = e > (size_t)j && Lb->ko[e - 1 - j] != Lb->ko[e - j];
  if (!live[0] && !live[1] && !live[2])
    return;
  uint32_t s0 = sa->l_off[La->g[x]], s1 = sa->l_off[La->g[x + 1]];
  for (uint32_t q = s0; q < s1; q++) {
    const tokinfo *ti = &sa->ti[sa->live.v[q]];
    int m = 0;
    if (ti->df > La->max_df)
      continue;
    for (int j = 0; j < 3; j++) {
      if (!m && live[j] && tok_matches(sa, ti, Lb, e - 1 - (size_t)j))
        m = 1;
      if (m)
        out[j] += ti->w;
    }
  }
}

/* The postings of the memo's key entry q (an index into sa->fkeys) from
 * the first group >= from: Lb->pg[*first .. *end) (empty when Lb lacks
 * the key).  The search starts where the key's last one ended when that
 * is not past `from` (a few steps forward, then bisection), else from the
 * start of the list. */
static void first_posting(memo *M, size_t q, size_t from, size_t *first,
                          size_t *end) {
  const level *L = M->Lb;
  uint32_t j = M->kj[q];
  if (j == UINT32_MAX) {
    *first = *end = 0;
    return;
  }
  size_t l = M->cur[j], h = L->ps[j + 1];
  if (l > L->ps[j] && L->pg[l - 1] >= from)
    l = L->ps[j];
  for (int step = 0; step < 4 && l < h && L->pg[l] < from; step++)
    l++;
  if (l < h && L->pg[l] < from)
    while (l < h) {
      size_t mid = (l + h) / 2;
      if (L->pg[mid] < from)
        l = mid + 1;
      else
        h = mid;
    }
  M->cur[j] = (uint32_t)l;
  *first = l;
  *end = L->ps[j + 1];
}

/* Fill group x of a memo: one pass over x's units and their postings in
 * the range instead of one match per node.  A unit found in group p of
 * side B counts in the windows [e-b, e) with e-b <= p < e: it marks the
 * window sizes it reaches at e = p+1..p+3 in flag[], and is added once per
 * marked window, however many of its keys and positions fall there.  A
 * coarse group (a block or a paragraph) holds the same unit many times:
 * each distinct unit is looked up once with the weight of all its
 * occurrences. */
static int memo_fill(memo *M, dp_scratch *sc, size_t x) {
  size_t lo = M->lo[x], hi = M->hi[x];
  M->done[x] = 1;
  if (lo > hi)
    return 0;
  size_t width = hi - lo + 1;
  float *row = M->m + 3 * M->off[x];
  memset(row, 0, 3 * width * sizeof *row);
  if (hi == 0)
    return 0;
  if (width > sc->cap) {
    unsigned char *f = px_realloc(sc->flag, width);
    uint32_t *t = f ? px_realloc(sc->touched, width * sizeof *t) : NULL;
    if (f)
      sc->flag = f;
    if (!t)
      return PX_ENOMEM;
    sc->touched = t;
    memset(sc->flag + sc->cap, 0, width - sc->cap);
    sc->cap = width;
  }
  const side *sa = M->sa;
  const level *Lb = M->Lb;
  uint32_t s0 = sa->l_off[M->La->g[x]], s1 = sa->l_off[M->La->g[x + 1]];
  const uint32_t *u = sa->live.v + s0;
  size_t nu = s1 - s0;
  int coarse = !M->La->fine;
  if (coarse) {
    /* each distinct unit once, with its count, in token order (the order
     * of the additions below, as when every occurrence was sorted) */
    if (sa->nti > sc->seen_cap) {
      uint32_t *a = px_realloc(sc->seen, sa->nti * sizeof *a);
      if (a)
        sc->seen = a;
      uint32_t *b = a ? px_realloc(sc->cnt, sa->nti * sizeof *b) : NULL;
      if (!b)
        return PX_ENOMEM;
      sc->cnt = b;
      memset(sc->seen + sc->seen_cap, 0,
             (sa->nti - sc->seen_cap) * sizeof *sc->seen);
      sc->seen_cap = sa->nti;
    }
    if (++sc->epoch == 0) { /* wrapped: no stale stamp may match */
      memset(sc->seen, 0, sc->seen_cap * sizeof *sc->seen);
      sc->epoch = 1;
    }
    sc->units.n = 0;
    for (size_t q = 0; q < nu; q++) {
      uint32_t t = u[q];
      if (sa->ti[t].df > M->La->max_df)
        continue;
      if (sc->seen[t] != sc->epoch) {
        sc->seen[t] = sc->epoch;
        sc->cnt[t] = 0;
        if (u32_push(&sc->units, t))
          return PX_ENOMEM;
      }
      sc->cnt[t]++;
    }
    nu = sc->units.n;
    if (nu >= RADIX_MIN && nu > sc->tmp_cap) {
      uint32_t *t = px_realloc(sc->tmp, sc->units.cap * sizeof *t);
      if (!t)
        return PX_ENOMEM;
      sc->tmp = t;
      sc->tmp_cap = sc->units.cap;
    }
    if (nu > 1)
      sort_u32_tmp(sc->units.v, nu, sc->tmp);
    u = sc->units.v;
  }
  /* positions p in [lo-3, hi-1] reach some e in [lo, hi]; when they and
   * the nodes fit in 64 bits, a unit's positions are a bit mask */
  size_t plo = lo > 3 ? lo - 3 : 0, phi = hi - 1;
  int narrow = hi - plo < 64;
  uint64_t nodes = 0;
  if (narrow)
    nodes = (hi - plo == 63 ? ~0ull : (1ull << (hi - plo + 1)) - 1) &
            ~((1ull << (lo - plo)) - 1);
  for (size_t q = 0; q < nu;) {
    const tokinfo *ti = &sa->ti[u[q]];
    float w = 0;
    size_t q1 = q, nt = 0;
    if (coarse) /* one entry per unit: its occurrences' weights */
      for (uint32_t r = sc->cnt[u[q1++]]; r > 0; r--)
        w += ti->w;
    else
      for (; q1 < nu && u[q1] == u[q]; q1++)
        w += ti->w;
    q = q1;
    if (narrow) {
      /* the positions as bits of one word, bit j = position plo + j; a
       * window of size b ending at node e = plo + i holds one of them iff
       * bit i of pos << 1 | ... | pos << b is set */
      uint64_t pos = 0;
      for (unsigned r = 0; r < ti->fn; r++) {
        size_t l, pb;
        first_posting(M, ti->foff + r, plo, &l, &pb);
        for (; l < pb && Lb->pg[l] <= phi; l++)
          pos |= 1ull << (Lb->pg[l] - plo);
      }
      uint64_t w1 = pos << 1, w2 = w1 | pos << 2, w3 = w2 | pos << 3;
      w3 &= nodes;
      while (w3) {
        unsigned i = (unsigned)__builtin_ctzll(w3);
        uint64_t bit = w3 & (~w3 + 1);
        w3 ^= bit;
        float *m = row + 3 * (plo + i - lo);
        if (w1 & bit)
          m[0] += w;
        if (w2 & bit)
          m[1] += w;
        m[2] += w;
      }
      continue;
    }
    for (unsigned r = 0; r < ti->fn; r++) {
      size_t l, pb;
      first_posting(M, ti->foff + r, plo, &l, &pb);
      for (size_t j = l; j < pb && Lb->pg[j] <= phi; j++) {
        size_t p = Lb->pg[j];
        /* at e = p + dd the unit is in the windows of size dd..3 */
        for (size_t dd = 1; dd <= 3; dd++) {
          size_t e = p + dd;
          if (e < lo)
            continue;
          if (e > hi)
            break;
          unsigned char *f = &sc->flag[e - lo];
          if (!*f)
            sc->touched[nt++] = (uint32_t)(e - lo);
          *f |= (unsigned char)((7u << (dd - 1)) & 7u);
        }
      }
    }
    for (size_t j = 0; j < nt; j++) {
      uint32_t o = sc->touched[j];
      float *m = row + 3 * o;
      unsigned f = sc->flag[o];
      sc->flag[o] = 0;
      if (f & 1)
        m[0] += w;
      if (f & 2)
        m[1] += w;
      if (f & 4)
        m[2] += w;
    }
  }
  return 0;
}

/* The memo entry of group x at node e (a window match when outside it). */
static const float *memo_get(dp *d, memo *M, size_t x, size_t e, float tmp[3]) {
  if (M->m && x < M->n && e >= M->lo[x] && e <= M->hi[x]) {
    if (!M->done[x] && memo_fill(M, &d->sc, x))
      d->oom = 1;
    return M->m + 3 * (M->off[x] + (e - M->lo[x]));
  }
  window_match(M->sa, M->La, x, M->Lb, e, tmp);
  return tmp;
}

/* Memo entries of the groups next to one node: g[j] for the group j
 * before it (j = 1..3), fetched on first use. */
typedef struct near {
  const float *g[4];
  float tmp[4][3];
} near;

/* Matched unit weights of the bead [i0, i0+a) x [k0, k0+b); ns and nt
 * cache the memo entries around the bead's end node (i0+a, k0+b). */
static void bead_mm_near(dp *d, size_t i0, size_t k0, size_t a, size_t b,
                         near *ns, near *nt, double *Ms, double *Mt) {
  size_t i = i0 + a, k = k0 + b;
  *Ms = *Mt = 0;
  for (size_t x = i0; x < i; x++) {
    size_t j = i - x;
    if (!ns->g[j])
      ns->g[j] = memo_get(d, &d->ms, x, k, ns->tmp[j]);
    *Ms += ns->g[j][b - 1];
  }
  for (size_t y = k0; y < k; y++) {
    size_t j = k - y;
    if (!nt->g[j])
      nt->g[j] = memo_get(d, &d->mt, y, i, nt->tmp[j]);
    *Mt += nt->g[j][a - 1];
  }
}

static void bead_mm(dp *d, size_t i0, size_t k0, size_t a, size_t b, double *Ms,
                    double *Mt) {
  near ns = {0}, nt = {0};
  bead_mm_near(d, i0, k0, a, b, &ns, &nt, Ms, Mt);
}

/* Does a run of groups [a, b) on one side cross a paragraph boundary? */
static int spans_para(const side *sd, const level *L, size_t a, size_t b) {
  if (!L->fine || b - a < 2)
    return 0;
  return sd->para[L->g[a]] != sd->para[L->g[b] - 1];
}

/* What the bead types ending at node (i, k) share: over the last j = 1..3
 * groups of each side, their total length and unit weight (summed in the
 * same order as one bead alone would), whether one of them is furniture
 * or a heading, whether they cross a paragraph boundary; and the memo
 * entries around the node. */
typedef struct node_ctx {
  double ls[4], Ws[4], lt[4], Wt[4];
  unsigned char furn_s[4], furn_t[4], head_s[4], head_t[4];
  unsigned char span_s[4], span_t[4];
  near ns, nt;
} node_ctx;

static void node_sums(const side *sd, const level *L, size_t i, double *len,
                      double *W, unsigned char *furn, unsigned char *head,
                      unsigned char *span) {
  for (size_t j = 1; j <= 3; j++) {
    double l = 0, w = 0;
    unsigned char f = 0, h = 0;
    if (j <= i)
      for (size_t x = i - j; x < i; x++) {
        f |= L->furn[x];
        h |= L->head[x];
        l += L->len[x];
        w += L->W[x];
      }
    len[j] = l;
    W[j] = w;
    furn[j] = f;
    head[j] = h;
    span[j] = j <= i ? (unsigned char)spans_para(sd, L, i - j, i) : 0;
  }
}

/* The source half of a node's context depends on its row only. */
static void node_init_row(dp *d, size_t i, node_ctx *n) {
  node_sums(d->S, d->LS, i, n->ls, n->Ws, n->furn_s, n->head_s, n->span_s);
}

/* The target half, and the memo entries of the groups before the node
 * (every two-sided type reads some of them). */
static void node_init_col(dp *d, size_t i, size_t k, node_ctx *n) {
  node_sums(d->T, d->LT, k, n->lt, n->Wt, n->furn_t, n->head_t, n->span_t);
  for (size_t j = 1; j <= 3; j++) {
    n->ns.g[j] =
        j <= i && k ? memo_get(d, &d->ms, i - j, k, n->ns.tmp[j]) : NULL;
    n->nt.g[j] =
        j <= k && i ? memo_get(d, &d->mt, k - j, i, n->nt.tmp[j]) : NULL;
  }
}

static void node_init(dp *d, size_t i, size_t k, node_ctx *n) {
  node_init_row(d, i, n);
  node_init_col(d, i, k, n);
}

/* Gale-Church cost, as px_align__len_cost() (the table is ready). */
static double len_cost(double ls, double lt, double c, double s2) {
  if (ls <= 0 && lt <= 0)
    return 0;
  double mean = (ls + lt / c) / 2;
  double delta = (lt - ls * c) / sqrt(s2 * (mean > 1 ? mean : 1));
  return neg_log_erfc(fabs(delta) / 1.4142135623730951);
}

/* Cost of the two-sided bead of type t that ends at node (i, k). */
static double bead_cost_node(dp *d, node_ctx *n, size_t i, size_t k, int t) {
  const params *p = d->p;
  size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
  if (i < a || k < b || n->furn_s[a] || n->furn_t[b])
    return INF;
  /* matched unit weights, summed in bead_mm_near()'s order */
  double Ms = 0, Mt = 0;
  for (size_t j = a; j >= 1; j--)
    Ms += n->ns.g[j][b - 1];
  for (size_t j = b; j >= 1; j--)
    Mt += n->nt.g[j][a - 1];
  double cost = p->nlp[t];
  cost += p->w_len * len_cost(n->ls[a], n->lt[b], p->c, p->s2);
  double llr = Ms * p->lmatch[b] + (n->Ws[a] - Ms) * p->lmiss[b] +
               Mt * p->lmatch[a] + (n->Wt[b] - Mt) * p->lmiss[a];
  cost -= p->w_lex * llr;
  if (p->use_para && n->span_s[a] != n->span_t[b])
    cost += 2.0;
  /* a heading pairs with a heading when both sides mark them, and stands
   * alone: a heading does not merge into body text.  A hard rule: a
   * heading without a partner heading stays one-sided. */
  if (p->use_head) {
    int hs = n->head_s[a], ht = n->head_t[b];
    if (hs != ht || (hs && a > 1) || (ht && b > 1))
      return INF;
  }
  return cost;
}

/* Cost of the one-sided bead of type t (1-0 or 0-1) ending at (i, k):
 * furniture goes free; any other lone sentence pays the prior. */
static double lone_cost(const dp *d, size_t i, size_t k, int t) {
  size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
  if (i < a || k < b)
    return INF;
  if ((a && d->LS->furn[i - a]) || (b && d->LT->furn[k - b]))
    return 0.0;
  return d->p->nlp[t];
}

/* Cost of the bead of type t that ends at node (i, k). */
static double bead_cost(dp *d, size_t i, size_t k, int t) {
  if (t == 1 || t == 2)
    return lone_cost(d, i, k, t);
  if (i < (size_t)px_align__types[t][0] || k < (size_t)px_align__types[t][1])
    return INF;
  node_ctx n;
  node_init(d, i, k, &n);
  return bead_cost_node(d, &n, i, k, t);
}

static int dp_alloc(dp *d) {
  size_t n = d->b.cells, ns = d->b.ns, nt = d->b.nt;
  d->cost = px_malloc(n * sizeof *d->cost);
  d->bp = px_malloc(n);
  d->col_lo = px_malloc((nt + 1) * sizeof *d->col_lo);
  d->col_hi = px_malloc((nt + 1) * sizeof *d->col_hi);
  if (!d->cost || !d->bp || !d->col_lo || !d->col_hi)
    return PX_ENOMEM;
  for (size_t y = 0; y <= nt; y++) {
    d->col_lo[y] = SIZE_MAX;
    d->col_hi[y] = 0;
  }
  for (size_t i = 0; i <= ns; i++)
    for (size_t y = d->b.lo[i]; y <= d->b.hi[i]; y++) {
      if (i < d->col_lo[y])
        d->col_lo[y] = i;
      if (i > d->col_hi[y])
        d->col_hi[y] = i;
    }
  int rc = memo_init(&d->ms, d->S, d->LS, d->LT, d->b.lo, d->b.hi);
  return rc ? rc : memo_init(&d->mt, d->T, d->LT, d->LS, d->col_lo, d->col_hi);
}

static void dp_viterbi(dp *d) {
  const band *b = &d->b;
  node_ctx n;
  for (size_t i = 0; i <= b->ns; i++) {
    node_init_row(d, i, &n);
    for (size_t k = b->lo[i]; k <= b->hi[i]; k++) {
      size_t c = b->off[i] + (k - b->lo[i]);
      double best = (i == 0 && k == 0) ? 0.0 : INF;
      unsigned char bt = 255;
      int n_ready = 0;
      for (int t = 0; t < PX_ALIGN__NTYPES; t++) {
        size_t a = (size_t)px_align__types[t][0];
        size_t bb = (size_t)px_align__types[t][1];
        float *kept =
            d->bc && a && bb ? &d->bc[c * BC_TYPES + bc_slot(t)] : NULL;
        if (i < a || k < bb) {
          if (kept)
            *kept = (float)INF;
          continue;
        }
        long pc = cell_of(b, i - a, k - bb);
        if (pc < 0 || d->cost[pc] >= INF) {
          if (kept)
            *kept = (float)INF;
          continue;
        }
        double bcost;
        if (!a || !bb) {
          bcost = lone_cost(d, i, k, t);
        } else {
          if (!n_ready) {
            node_init_col(d, i, k, &n);
            n_ready = 1;
          }
          bcost = bead_cost_node(d, &n, i, k, t);
        }
        if (kept)
          *kept = bcost >= INF ? (float)INF : (float)bcost;
        double v = d->cost[pc] + bcost;
        if (v < best) {
          best = v;
          bt = (unsigned char)t;
        }
      }
      d->cost[c] = best;
      d->bp[c] = bt;
    }
  }
}

/* A path: beads (i0, k0, type) in order. */
typedef struct path {
  size_t n, cap;
  struct step {
    uint32_t i, k;
    unsigned char t;
  } * v;
} path;

static int dp_backtrack(dp *d, path *out) {
  size_t i = d->b.ns, k = d->b.nt;
  out->n = 0;
  while (i > 0 || k > 0) {
    long c = cell_of(&d->b, i, k);
    if (c < 0 || d->bp[c] == 255)
      return px_error_set(PX_ERROR, PX_ERRCLASS_ALIGN, 0,
                          "alignment search found no path at (%zu, %zu)", i, k);
    int t = d->bp[c];
    i -= (size_t)px_align__types[t][0];
    k -= (size_t)px_align__types[t][1];
    if (PX_GROW(out->v, out->n, out->cap))
      return PX_ENOMEM;
    out->v[out->n].i = (uint32_t)i;
    out->v[out->n].k = (uint32_t)k;
    out->v[out->n].t = (unsigned char)t;
    out->n++;
  }
  for (size_t a = 0, z = out->n; a + 1 < z; a++, z--) {
    struct step tmp = out->v[a];
    out->v[a] = out->v[z - 1];
    out->v[z - 1] = tmp;
  }
  return 0;
}

/* Project the path of a coarser level onto this one: every node inside a
 * coarse bead's rectangle is allowed, widened by w. */
static int band_project(band *b, const path *cp, const uint32_t *gs,
                        const uint32_t *gt, size_t ns, size_t nt, size_t w) {
  int rc = band_alloc(b, ns, nt);
  if (rc)
    return rc;
  for (size_t q = 0; q < cp->n; q++) {
    size_t I = cp->v[q].i, K = cp->v[q].k;
    int t = cp->v[q].t;
    size_t r0 = gs[I], r1 = gs[I + (size_t)px_align__types[t][0]];
    size_t c0 = gt[K], c1 = gt[K + (size_t)px_align__types[t][1]];
    size_t ra = r0 > w ? r0 - w : 0, rb = r1 + w > ns ? ns : r1 + w;
    size_t ca = c0 > w ? c0 - w : 0, cb = c1 + w > nt ? nt : c1 + w;
    for (size_t i = ra; i <= rb; i++) {
      if (ca < b->lo[i])
        b->lo[i] = ca;
      if (cb > b->hi[i])
        b->hi[i] = cb;
    }
  }
  band_finish(b);
  return 0;
}

static int band_full(band *b, size_t ns, size_t nt) {
  int rc = band_alloc(b, ns, nt);
  if (rc)
    return rc;
  for (size_t i = 0; i <= ns; i++) {
    b->lo[i] = 0;
    b->hi[i] = nt;
  }
  band_finish(b);
  return 0;
}

static uint32_t *identity_groups(size_t n) {
  uint32_t *g = px_malloc((n + 1) * sizeof *g);
  if (g)
    for (size_t i = 0; i <= n; i++)
      g[i] = (uint32_t)i;
  return g;
}

/* Groups of a coarser level over level L: paragraphs when `paras` and the
 * side has them, else blocks of BLOCK units.  Returned in sentence
 * indices; *n_out groups. */
static uint32_t *coarse_groups(const side *sd, const level *L, int paras,
                               size_t *n_out) {
  uint32_t *g = px_malloc((L->n + 2) * sizeof *g);
  size_t n = 0;
  if (!g)
    return NULL;
  g[0] = L->g[0];
  if (paras) {
    for (size_t i = 1; i < L->n; i++)
      if (sd->para[L->g[i]] != sd->para[L->g[i] - 1])
        g[++n] = L->g[i];
  } else {
    for (size_t i = BLOCK; i < L->n; i += BLOCK)
      g[++n] = L->g[i];
  }
  g[++n] = L->g[L->n];
  *n_out = n;
  return g;
}

static size_t para_count(const side *sd) {
  size_t c = sd->n ? 1 : 0;
  for (size_t i = 0; i < sd->n; i++) {
    if (sd->para[i] < 0)
      return 0;
    if (i && sd->para[i] != sd->para[i - 1])
      c++;
  }
  return c;
}

/* Does the path run along the edge of its band (more than a few nodes
 * where the band, not the evidence, stopped it)? */
static int touches_edge(const dp *d, const path *pth) {
  const band *b = &d->b;
  size_t n = 0;
  for (size_t q = 0; q < pth->n; q++) {
    size_t i = pth->v[q].i, k = pth->v[q].k;
    if ((k == b->lo[i] && b->lo[i] > 0) || (k == b->hi[i] && b->hi[i] < b->nt))
      n++;
  }
  return n > 2 + pth->n / 200;
}

/* Align level LS against LT: recursively find the band, then the path.
 * On success *d holds the final DP (band, costs) for forward-backward. */
static int align_level(dp *d, const params *p, const side *S, const side *T,
                       const level *LS, const level *LT, size_t w,
                       int try_paras, path *out) {
  int rc = 0, full = 0, retry = 0;
  level CS = {0}, CT = {0};
  dp cd = {0};
  path cp = {0};
  uint32_t *ms = NULL, *mt = NULL;
  size_t cw = w > COARSE_BAND ? w : COARSE_BAND;
  memset(d, 0, sizeof *d);
  if ((double)(LS->n + 1) * (double)(LT->n + 1) <= FULL_DP_CELLS) {
    full = 1;
  } else {
    size_t ps = try_paras ? para_count(S) : 0;
    size_t pt = try_paras ? para_count(T) : 0;
    int paras = ps >= 2 && pt >= 2 && LS->n >= 2 * ps && LT->n >= 2 * pt;
    size_t ns, nt;
    uint32_t *gs = coarse_groups(S, LS, paras, &ns);
    uint32_t *gt = coarse_groups(T, LT, paras, &nt);
    if (!gs || !gt) {
      px_free(gs);
      px_free(gt);
      rc = PX_ENOMEM;
      goto done;
    }
    if ((rc = level_build(&CS, S, gs, ns, 0)) ||
        (rc = level_build(&CT, T, gt, nt, 0)))
      goto done;
    if ((rc = align_level(&cd, p, S, T, &CS, &CT, cw, 0, &cp)))
      goto done;
    /* coarse group boundaries in this level's indices */
    ms = px_malloc((ns + 1) * sizeof *ms);
    mt = px_malloc((nt + 1) * sizeof *mt);
    if (!ms || !mt) {
      rc = PX_ENOMEM;
      goto done;
    }
    for (size_t i = 0, j = 0; i <= ns; i++) {
      while (LS->g[j] < gs[i])
        j++;
      ms[i] = (uint32_t)j;
    }
    for (size_t i = 0, j = 0; i <= nt; i++) {
      while (LT->g[j] < gt[i])
        j++;
      mt[i] = (uint32_t)j;
    }
  }
  for (;;) {
    d->p = p;
    d->S = S;
    d->T = T;
    d->LS = LS;
    d->LT = LT;
    rc = full ? band_full(&d->b, LS->n, LT->n)
              : band_project(&d->b, &cp, ms, mt, LS->n, LT->n, w);
    if (rc || (rc = dp_alloc(d)))
      goto done;
    dp_viterbi(d);
    rc = d->oom ? px_error_nomem() : dp_backtrack(d, out);
    /* A path along the band's edge: the band, not the evidence, stopped
     * it (weak evidence lets a coarse path stray).  Search this level
     * again with a band twice as wide: around the same coarse path while
     * that was searched at least as wide, else coarser levels included. */
    if (rc || full || w >= 64 || !touches_edge(d, out))
      break;
    w *= 2;
    if (w > cw) {
      retry = 1;
      break;
    }
    dp_dispose(d);
  }
done:
  px_free(ms);
  px_free(mt);
  dp_dispose(&cd);
  px_free(cp.v);
  level_dispose(&CS);
  level_dispose(&CT);
  if (retry) {
    dp_dispose(d);
    return align_level(d, p, S, T, LS, LT, w, try_paras, out);
  }
  return rc;
}

/* The final pass on the band d was prepared with (around the previous
 * path, GUIDE_BAND wide): Viterbi, keeping the two-sided bead costs for
 * forward-backward. */
static int align_guided(dp *d, path *out) {
  d->bc = px_malloc(d->b.cells * BC_TYPES * sizeof *d->bc);
  if (!d->bc)
    return PX_ENOMEM;
  dp_viterbi(d);
  return d->oom ? px_error_nomem() : dp_backtrack(d, out);
}

/* ---- posteriors ---------------------------------------------------------- */
/* log(sum(exp(v[i]))): one log per call, terms far below the largest
 * skipped. */
static double lse_n(const double *v, int n) {
  if (n == 0)
    return -INFINITY;
  double m = v[0];
  for (int i = 1; i < n; i++)
    if (v[i] > m)
      m = v[i];
  double s = 0;
  for (int i = 0; i < n; i++)
    if (v[i] > m - 40)
      s += exp(v[i] - m);
  return m + log(s);
}

/* The cost of bead t ending at (i, k): from the Viterbi pass's cache when
 * there is one. */
static double cost_of(dp *d, size_t i, size_t k, int t) {
  if (d->bc && t != 1 && t != 2) {
    long c = cell_of(&d->b, i, k);
    if (c >= 0) {
      float v = d->bc[(size_t)c * BC_TYPES + bc_slot(t)];
      return v >= (float)INF ? INF : v;
    }
  }
  return bead_cost(d, i, k, t);
}

/* Posterior probability of each bead of the path, by forward-backward over
 * the band (log domain, temperature tau). */
static int dp_posteriors(dp *d, const path *pth, double tau, double *post) {
  const band *b = &d->b;
  /* the forward scores take the place of the Viterbi costs, which the
   * backtrack has used up: one cells-sized array less at the peak */
  double *fw = d->cost;
  double *bw = px_malloc(b->cells * sizeof *bw);
  if (!fw || !bw) {
    px_free(bw);
    return PX_ENOMEM;
  }
  for (size_t i = 0; i <= b->ns; i++)
    for (size_t k = b->lo[i]; k <= b->hi[i]; k++) {
      size_t c = b->off[i] + (k - b->lo[i]);
      double terms[PX_ALIGN__NTYPES];
      int nterm = 0;
      for (int t = 0; t < PX_ALIGN__NTYPES; t++) {
        size_t a = (size_t)px_align__types[t][0];
        size_t bb = (size_t)px_align__types[t][1];
        if (i < a || k < bb)
          continue;
        long pc = cell_of(b, i - a, k - bb);
        if (pc < 0 || fw[pc] == -INFINITY)
          continue;
        double bc = cost_of(d, i, k, t);
        if (bc >= INF)
          continue;
        terms[nterm++] = fw[pc] - bc / tau;
      }
      fw[c] = (i == 0 && k == 0) ? 0.0 : lse_n(terms, nterm);
    }
  for (size_t ii = b->ns + 1; ii-- > 0;)
    for (size_t k = b->hi[ii] + 1; k-- > b->lo[ii];) {
      size_t c = b->off[ii] + (k - b->lo[ii]);
      double terms[PX_ALIGN__NTYPES];
      int nterm = 0;
      for (int t = 0; t < PX_ALIGN__NTYPES; t++) {
        size_t i2 = ii + (size_t)px_align__types[t][0];
        size_t k2 = k + (size_t)px_align__types[t][1];
        long nc = cell_of(b, i2, k2);
        if (nc < 0 || bw[nc] == -INFINITY)
          continue;
        double bc = cost_of(d, i2, k2, t);
        if (bc >= INF)
          continue;
        terms[nterm++] = bw[nc] - bc / tau;
      }
      bw[c] = (ii == b->ns && k == b->nt) ? 0.0 : lse_n(terms, nterm);
    }
  double z = fw[cell_of(b, b->ns, b->nt)];
  for (size_t q = 0; q < pth->n; q++) {
    size_t i = pth->v[q].i, k = pth->v[q].k;
    int t = pth->v[q].t;
    size_t i2 = i + (size_t)px_align__types[t][0];
    size_t k2 = k + (size_t)px_align__types[t][1];
    double lp;
    if (t == 1 || t == 2) {
      /* a one-sided bead: the marginal probability that the sentence has
       * no partner, wherever the other side stands (the orders of
       * neighbouring one-sided beads are different paths) */
      double terms[64];
      int nterm = 0;
      size_t lo, hi;
      if (t == 1) {
        lo = b->lo[i];
        hi = b->hi[i];
      } else {
        lo = d->col_lo[k];
        hi = d->col_hi[k];
      }
      lp = -INFINITY;
      for (size_t o = lo; o <= hi; o++) {
        size_t ri = t == 1 ? i : o, rk = t == 1 ? o : k;
        long c0 = cell_of(b, ri, rk),
             c1 = cell_of(b, ri + (t == 1), rk + (t == 2));
        if (c0 < 0 || c1 < 0 || fw[c0] == -INFINITY || bw[c1] == -INFINITY)
          continue;
        double bc = bead_cost(d, ri + (t == 1), rk + (t == 2), t);
        if (bc >= INF)
          continue;
        terms[nterm++] = fw[c0] - bc / tau + bw[c1] - z;
        if (nterm == 64) {
          double m = lse_n(terms, nterm);
          nterm = 0;
          lp = lp == -INFINITY ? m : lse_n((double[]){lp, m}, 2);
        }
      }
      if (nterm) {
        double m = lse_n(terms, nterm);
        lp = lp == -INFINITY ? m : lse_n((double[]){lp, m}, 2);
      }
    } else {
      lp = fw[cell_of(b, i, k)] - cost_of(d, i2, k2, t) / tau +
           bw[cell_of(b, i2, k2)] - z;
    }
    double pr = exp(lp);
    post[q] = pr > 1 ? 1 : (pr < 0 || pr != pr ? 0 : pr);
  }
  px_free(bw);
  return 0;
}

/* ---- estimation between passes ------------------------------------------ */

/* Matched and total unit weights of a two-sided bead. */
static void bead_match(dp *d, size_t i0, size_t k0, size_t a, size_t b,
                       double *m, double *w) {
  double Ws = 0, Wt = 0, Ms = 0, Mt = 0;
  for (size_t x = i0; x < i0 + a; x++)
    Ws += d->LS->W[x];
  for (size_t y = k0; y < k0 + b; y++)
    Wt += d->LT->W[y];
  bead_mm(d, i0, k0, a, b, &Ms, &Mt);
  *m = Ms + Mt;
  *w = Ws + Wt;
}

/* Match rate of unrelated pairs: a fixed pseudo-random sample of pairs far
 * from the diagonal. */
static double random_rate(const side *S, const side *T, const level *LS,
                          const level *LT) {
  double m = 0, w = 0;
  uint64_t x = 0x2545F4914F6CDD1DULL;
  size_t ns = LS->n, nt = LT->n;
  for (int q = 0; q < 3000 && ns && nt; q++) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    size_t i = (size_t)(x % ns);
    size_t diag = (size_t)((double)i * (double)nt / (double)ns);
    size_t off = 10 + (size_t)((x >> 32) % (nt > 40 ? nt / 2 : 20));
    size_t k = (diag + off) % nt;
    if ((k > diag ? k - diag : diag - k) < 5)
      continue;
    m += group_match(S, LS, i, LT, k) + group_match(T, LT, k, LS, i);
    w += LS->W[i] + LT->W[k];
  }
  return w > 0 ? m / w : 0.05;
}

/* Before any alignment: the best match rate near the length diagonal. */
static double diag_rate(const side *S, const side *T, const level *LS,
                        const level *LT) {
  double m = 0, w = 0;
  size_t ns = LS->n, nt = LT->n;
  size_t step = ns > 300 ? ns / 300 : 1;
  for (size_t i = 0; i < ns && nt; i += step) {
    size_t diag = (size_t)((double)i * (double)nt / (double)ns);
    double best = -1, bw = 0;
    for (size_t k = diag > 3 ? diag - 3 : 0; k < nt && k <= diag + 3; k++) {
      double mm = group_match(S, LS, i, LT, k) + group_match(T, LT, k, LS, i);
      double ww = LS->W[i] + LT->W[k];
      if (ww > 0 && mm / ww > best) {
        best = mm / ww;
        bw = ww;
      }
    }
    if (best >= 0) {
      m += best * bw;
      w += bw;
    }
  }
  return w > 0 ? m / w : 0.3;
}

/* Re-estimate length model, priors and p1 from a path. */
static int estimate(params *p, dp *d, const path *pth, const double *post) {
  size_t n11 = 0;
  double *ls = px_malloc((pth->n + 1) * sizeof *ls);
  double *lt = px_malloc((pth->n + 1) * sizeof *lt);
  double cnt[PX_ALIGN__NTYPES] = {0}, tot_s = 0, tot_t = 0, m = 0, w = 0;
  if (!ls || !lt) {
    px_free(ls);
    px_free(lt);
    return PX_ENOMEM;
  }
  for (size_t q = 0; q < pth->n; q++) {
    size_t i = pth->v[q].i, k = pth->v[q].k;
    int t = pth->v[q].t;
    size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
    int furn = (a && d->LS->furn[i]) || (b && d->LT->furn[k]);
    if (furn)
      continue;
    cnt[t] += 1;
    if (a && b && (!post || post[q] >= 0.5)) {
      double bm, bwt;
      bead_match(d, i, k, a, b, &bm, &bwt);
      m += bm;
      w += bwt;
    }
    if (t == 0 && (!post || post[q] >= 0.5)) {
      ls[n11] = d->LS->len[i];
      lt[n11] = d->LT->len[k];
      n11++;
    }
  }
  for (size_t i = 0; i < d->LS->n; i++)
    tot_s += d->LS->len[i];
  for (size_t k = 0; k < d->LT->n; k++)
    tot_t += d->LT->len[k];
  px_align__len_estimate(&p->c, &p->s2, ls, lt, n11, tot_s, tot_t);
  double sum = 0;
  for (int t = 0; t < PX_ALIGN__NTYPES; t++)
    sum += cnt[t] + 20.0 * default_prior[t];
  for (int t = 0; t < PX_ALIGN__NTYPES; t++)
    p->nlp[t] = -log((cnt[t] + 20.0 * default_prior[t]) / sum);
  if (w > 0)
    set_match_rates(p, p->p0, m / w);
  px_free(ls);
  px_free(lt);
  return 0;
}

/* ---- Model 1 --------------------------------------------------------------
 */

/* Word ids of a text for Model 1 training (tokens interned into the side,
 * outside its sentences). */
static int text_words(ctx *c, side *sd, const char *s, size_t len, u32v *out) {
  px_token *tk = NULL;
  size_t ntk;
  int rc = px_text_tokenize(&tk, &ntk, s, len, sd->lang);
  if (rc)
    return rc;
  for (size_t j = 0; j < ntk && !rc; j++) {
    uint32_t tid;
    int is_new;
    if (tk[j].kind != PX_TOK_WORD || tk[j].len > 255)
      continue;
    if ((rc = sm_get(&sd->raw, s + tk[j].off, tk[j].len, &tid, &is_new)))
      break;
    if (is_new) {
      if ((rc = new_token(c, sd, tid, s + tk[j].off, tk[j].len, tk[j].kind)))
        break;
      sd->ti[tid].w = sd->ti[tid].base; /* unseen in the document */
    }
    if (sd->ti[tid].word != UINT32_MAX)
      rc = u32_push(out, sd->ti[tid].word);
  }
  px_free(tk);
  return rc;
}

/* Words of sentences [a, b) of a side for Model 1: content words only (the
 * function words of a document explain everything and nothing). */
static int sent_words(const side *sd, size_t a, size_t b, u32v *out) {
  for (size_t s = a; s < b; s++)
    for (uint32_t q = sd->t_off[s]; q < sd->t_off[s + 1]; q++) {
      const tokinfo *ti = &sd->ti[sd->toks.v[q]];
      if (ti->word == UINT32_MAX || ti->w < 0.2f)
        continue;
      if (u32_push(out, ti->word))
        return PX_ENOMEM;
    }
  return 0;
}

/* A cheap stand-in for pass 1's posteriors, enough to pick Model 1's
 * training beads: 1 for a two-sided bead whose units match at least
 * halfway between the unrelated and the translated rate and whose lengths
 * agree, else 0. */
static void confident_beads(dp *d, const params *p, const path *pth,
                            double *conf) {
  for (size_t q = 0; q < pth->n; q++) {
    int t = pth->v[q].t;
    size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
    size_t i = pth->v[q].i, k = pth->v[q].k;
    conf[q] = 0;
    if (!a || !b)
      continue;
    double m, w, ls = 0, lt = 0;
    bead_match(d, i, k, a, b, &m, &w);
    for (size_t x = i; x < i + a; x++)
      ls += d->LS->len[x];
    for (size_t y = k; y < k + b; y++)
      lt += d->LT->len[y];
    if (w > 0 && m / w >= (p->p0 + p->p1) / 2 &&
        px_align__len_cost(ls, lt, p->c, p->s2) < 2.5)
      conf[q] = 1;
  }
}

static int learn_m1(ctx *c, dp *d, level *LS, level *LT, const path *pth,
                    const double *post, size_t *pairs_out, int *trained) {
  int rc = 0;
  u32v sid = {0}, tid = {0};
  size_t *so = NULL, *to = NULL, n = 0, cap = 0;
  px_align__m1 *m1 = NULL;
  uint32_t *eo = NULL;
  float *po = NULL;
  uint8_t *no = NULL;
  const size_t K = 3;
  side *S = &c->s, *T = &c->t;
  size_t total = pth->n + c->al->n_pairs + 1;
  so = px_malloc((total + 1) * sizeof *so);
  to = px_malloc((total + 1) * sizeof *to);
  if (!so || !to) {
    rc = PX_ENOMEM;
    goto done;
  }
  (void)cap;
  so[0] = to[0] = 0;
  for (size_t q = 0; q < pth->n; q++) {
    int t = pth->v[q].t;
    size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
    if (!a || !b || post[q] < 0.6)
      continue;
    size_t i = pth->v[q].i, k = pth->v[q].k;
    if ((rc = sent_words(S, d->LS->g[i], d->LS->g[i + a], &sid)) ||
        (rc = sent_words(T, d->LT->g[k], d->LT->g[k + b], &tid)))
      goto done;
    n++;
    so[n] = sid.n;
    to[n] = tid.n;
  }
  for (size_t q = 0; q < c->al->n_pairs; q++) {
    const size_t *o = c->al->pair_off + q * 4;
    if ((rc = text_words(c, S, c->al->pairs.ptr + o[0], o[1], &sid)) ||
        (rc = text_words(c, T, c->al->pairs.ptr + o[2], o[3], &tid)))
      goto done;
    n++;
    so[n] = sid.n;
    to[n] = tid.n;
  }
  *pairs_out = n;
  size_t nf = S->words.n, ne = T->words.n;
  side_drop_text(S);
  side_drop_text(T);
  /* Model 1 needs data: measured on the development sets, it helps on
   * documents of thousands of sentences (+1 to +7 points strict F1) and is
   * neutral to slightly harmful on one of 468 (textberg-dev, -0.3).  Below
   * MIN_M1_PAIRS training pairs (the document's confident beads plus the
   * caller's translation-memory pairs) the second pass keeps pass 1's
   * keys and only re-estimates the parameters. */
  if (n < MIN_M1_PAIRS)
    goto done;
  /* The corpus is built: the search's arrays and the fine levels go while
   * Model 1 trains (its table is the largest allocation then); the caller
   * builds them again. */
  dp_dispose(d);
  level_dispose(LS);
  level_dispose(LT);
  *trained = 1;
  px_align__m1_corpus corp = {n, so, sid.v, to, tid.v};
  if ((rc = px_align__m1_train(&m1, &corp, (uint32_t)nf, (uint32_t)ne, 4,
                               300000)))
    goto done;
  eo = px_malloc((nf + 1) * K * sizeof *eo);
  po = px_malloc((nf + 1) * K * sizeof *po);
  no = px_malloc(nf + 1);
  if (!eo || !po || !no) {
    rc = PX_ENOMEM;
    goto done;
  }
  px_align__m1_tops(m1, K, 0.12, eo, po, no);
  S->m1k.n = 0;
  for (size_t t = 0; t < S->nti; t++) {
    tokinfo *ti = &S->ti[t];
    ti->moff = (uint32_t)S->m1k.n;
    ti->mn = 0;
    if (ti->word == UINT32_MAX)
      continue;
    for (size_t j = 0; j < no[ti->word]; j++) {
      uint32_t e = eo[ti->word * K + j];
      if ((rc = u32_push(&S->m1k, mkkey(K_M1, (const char *)&e, sizeof e))))
        goto done;
      ti->mn++;
    }
  }
done:
  px_align__m1_free(m1);
  px_free(eo);
  px_free(po);
  px_free(no);
  px_free(so);
  px_free(to);
  px_free(sid.v);
  px_free(tid.v);
  return rc;
}

/* Turn posteriors into confidences: a two-sided bead must also look like
 * a translation on its own evidence, or the priors alone (pairing is far
 * likelier than two omissions) would make an unrelated pair between two
 * good ones near-certain.  conf = posterior * fac, fac = sigmoid(lexical
 * LLR - excess length cost + 1), the +1 being the prior odds of a pair
 * (1 for a one-sided bead). */
static void calibration(dp *d, const params *p, const path *pth, double *fac) {
  for (size_t q = 0; q < pth->n; q++) {
    int t = pth->v[q].t;
    size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
    fac[q] = 1.0;
    if (!a || !b)
      continue;
    size_t i = pth->v[q].i, k = pth->v[q].k;
    double Ws = 0, Wt = 0, Ms, Mt, ls = 0, lt = 0;
    for (size_t x = i; x < i + a; x++) {
      Ws += d->LS->W[x];
      ls += d->LS->len[x];
    }
    for (size_t y = k; y < k + b; y++) {
      Wt += d->LT->W[y];
      lt += d->LT->len[y];
    }
    bead_mm(d, i, k, a, b, &Ms, &Mt);
    double llr = Ms * p->lmatch[b] + (Ws - Ms) * p->lmiss[b] +
                 Mt * p->lmatch[a] + (Wt - Mt) * p->lmiss[a];
    double lc = px_align__len_cost(ls, lt, p->c, p->s2);
    double z = p->w_lex * llr - (lc > 2 ? lc - 2 : 0) + 1.0;
    fac[q] = 1.0 / (1.0 + exp(-z));
  }
}

/* ---- the run ----------------------------------------------------------------
 */

static int emit(px_bead **out, size_t *count, const path *pth,
                const double *post, double min_conf) {
  size_t n = 0;
  for (size_t q = 0; q < pth->n; q++) {
    int t = pth->v[q].t;
    size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
    n += (a && b && post[q] < min_conf) ? a + b : 1;
  }
  px_bead *v = px_malloc((n ? n : 1) * sizeof *v);
  if (!v)
    return PX_ENOMEM;
  size_t j = 0;
  for (size_t q = 0; q < pth->n; q++) {
    int t = pth->v[q].t;
    size_t a = (size_t)px_align__types[t][0], b = (size_t)px_align__types[t][1];
    size_t i = pth->v[q].i, k = pth->v[q].k;
    if (a && b && post[q] < min_conf) {
      for (size_t x = 0; x < a; x++)
        v[j++] = (px_bead){i + x, 1, k, 0, 1.0 - post[q]};
      for (size_t y = 0; y < b; y++)
        v[j++] = (px_bead){i + a, 0, k + y, 1, 1.0 - post[q]};
    } else {
      v[j++] = (px_bead){i, a, k, b, post[q]};
    }
  }
  *out = v;
  *count = n;
  return 0;
}

int px_align_run(px_bead **out, size_t *count, px_align *al,
                 const px_align_sent *src, size_t n_src,
                 const px_align_sent *tgt, size_t n_tgt) {
  int rc = 0;
  ctx c;
  level LS = {0}, LT = {0};
  dp d = {0};
  path pth = {0};
  double *post = NULL, *fac = NULL;
  params p;
  memset(&c, 0, sizeof c);
  memset(&p, 0, sizeof p);
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(count);
  PX_ASSERT_ARG(al);
  PX_ASSERT_ARG(src || !n_src);
  PX_ASSERT_ARG(tgt || !n_tgt);
  if (n_src > MAX_SENTS || n_tgt > MAX_SENTS)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_ALIGN, 0,
                        "more than %zu sentences on one side", MAX_SENTS);
  c.al = al;
  memset(&al->stats, 0, sizeof al->stats);
  /* A long document's run allocates arrays of megabytes phase after phase
   * (levels, the searches' costs and memos, Model 1's table), each freed
   * before the next phase allocates about as much.  The C library maps
   * such arrays fresh and unmaps them on free, so each phase pays a page
   * fault per 4 KB again (on this virtual machine some 20 us a page:
   * about a tenth of the CPU time of a 10,000-sentence pair).  glibc raises its
   * mapping threshold to the size of a freed mapped block (mallopt(3), "dynamic
   * threshold"), after which such arrays come from the heap and freed ones are
   * reused: one untouched 24 MB block, allocated and freed, does that (no page
   * of it is touched; elsewhere it is a harmless malloc/free).  Measured on the
   * 10k pair: 14,800 -> 12,100 page faults, the same peak memory. */
  if (n_src + n_tgt >= 2000) {
    void *prime = px_malloc((size_t)24 << 20);
    px_free(prime);
  }
  if (!nle_ready)
    nle_init(); /* the length cost's table, read by the search */
  const char *sl = al->o.src_lang, *tl = al->o.tgt_lang ? al->o.tgt_lang : "en";
  if (!sl) {
    /* guess from the first sentences' script */
    for (size_t i = 0; i < n_src && !sl; i++)
      if (src[i].len && !px_text_validate(src[i].text, src[i].len, NULL))
        sl = px_text_guess_lang(src[i].text, src[i].len, NULL);
    if (!sl)
      sl = "und";
  }
  if ((rc = side_build(&c, &c.s, src, n_src, sl, 1)) ||
      (rc = side_build(&c, &c.t, tgt, n_tgt, tl, 0)))
    goto done;
  side_fit(&c.s);
  side_fit(&c.t);
  if ((rc = jw_pass(&c.s, &c.t)) || (rc = side_filter(&c.s, &c.t)) ||
      (rc = side_filter(&c.t, &c.s)))
    goto done;
  uint32_t *gs = identity_groups(n_src), *gt = identity_groups(n_tgt);
  if (!gs || !gt) {
    px_free(gs);
    px_free(gt);
    rc = PX_ENOMEM;
    goto done;
  }
  if ((rc = level_build(&LS, &c.s, gs, n_src, 1)) ||
      (rc = level_build(&LT, &c.t, gt, n_tgt, 1)))
    goto done;

  /* pass 1: parameters from the documents as wholes */
  double tot_s = 0, tot_t = 0;
  for (size_t i = 0; i < n_src; i++)
    tot_s += c.s.len[i];
  for (size_t k = 0; k < n_tgt; k++)
    tot_t += c.t.len[k];
  px_align__len_estimate(&p.c, &p.s2, NULL, NULL, 0, tot_s, tot_t);
  for (int t = 0; t < PX_ALIGN__NTYPES; t++)
    p.nlp[t] = -log(default_prior[t]);
  p.w_len = al->o.w_length;
  p.w_lex = al->o.w_lexical * 0.5;
  p.use_para = para_count(&c.s) >= 2 && para_count(&c.t) >= 2;
  {
    int hs = 0, ht = 0;
    for (size_t i = 0; i < n_src; i++)
      hs |= (src[i].flags & PX_ALIGN_HEADING) != 0;
    for (size_t k = 0; k < n_tgt; k++)
      ht |= (tgt[k].flags & PX_ALIGN_HEADING) != 0;
    p.use_head = hs && ht;
  }
  {
    double p0 = random_rate(&c.s, &c.t, &LS, &LT);
    set_match_rates(&p, p0, diag_rate(&c.s, &c.t, &LS, &LT));
  }
  size_t w = al->o.band;
  /* Pass 1 (align_level() widens its band where the path needs it). */
  if ((rc = align_level(&d, &p, &c.s, &c.t, &LS, &LT, w, 1, &pth)))
    goto done;
  post = px_malloc((pth.n + 1) * sizeof *post);
  if (!post) {
    rc = PX_ENOMEM;
    goto done;
  }
  /* Pass 2 runs around the path of pass 1 with parameters estimated from
   * it; with learning on, Model 1 trained on pass 1's confident beads adds
   * its keys first. */
  al->stats.passes = 1;
  if (al->o.learn && n_src && n_tgt) {
    size_t npairs = 0;
    int trained = 0;
    confident_beads(&d, &p, &pth, post);
    if ((rc = learn_m1(&c, &d, &LS, &LT, &pth, post, &npairs, &trained)))
      goto done;
    al->stats.m1_pairs = npairs;
    if (trained) {
      gs = identity_groups(n_src);
      gt = identity_groups(n_tgt);
      if (!gs || !gt) {
        px_free(gs);
        px_free(gt);
        rc = PX_ENOMEM;
        goto done;
      }
      if ((c.s.m1k.n && ((rc = side_filter(&c.s, &c.t)) ||
                         (rc = side_filter(&c.t, &c.s)))) ||
          (rc = level_build(&LS, &c.s, gs, n_src, 1)) ||
          (rc = level_build(&LT, &c.t, gt, n_tgt, 1)))
        goto done;
      if (c.s.m1k.n) {
        /* the keys changed: measure the match rates again */
        p.p0 = random_rate(&c.s, &c.t, &LS, &LT);
        al->stats.passes = 2;
      }
    }
  }
  /* Pass 2's band, around pass 1's path: its match memo serves the
   * re-estimation (on pass 1's beads, which lie in it) and then the
   * search. */
  dp_dispose(&d);
  d.p = &p;
  d.S = &c.s;
  d.T = &c.t;
  d.LS = &LS;
  d.LT = &LT;
  if ((rc = band_project(&d.b, &pth, LS.g, LT.g, n_src, n_tgt, GUIDE_BAND)) ||
      (rc = dp_alloc(&d)) ||
      (rc = estimate(&p, &d, &pth, al->stats.passes == 2 ? post : NULL)))
    goto done;
  {
    path guide = pth;
    memset(&pth, 0, sizeof pth);
    rc = align_guided(&d, &pth);
    px_free(guide.v);
    if (rc)
      goto done;
  }
  px_free(post);
  post = px_malloc((pth.n + 1) * sizeof *post);
  fac = px_malloc((pth.n + 1) * sizeof *fac);
  if (!post || !fac) {
    rc = PX_ENOMEM;
    goto done;
  }
  /* The calibration reads the match memo; forward-backward reads the bead
   * costs the Viterbi pass kept: the memo and the backpointers go before
   * it allocates its backward scores (the peak of the run). */
  calibration(&d, &p, &pth, fac);
  memo_drop(&d.ms);
  memo_drop(&d.mt);
  px_free(d.bp);
  d.bp = NULL;
  /* forward-backward reads two-sided costs from the Viterbi pass's cache
   * only (every bead it scores lies in the band): the levels' keys go */
  level_drop_keys(&LS);
  level_drop_keys(&LT);
  if ((rc = dp_posteriors(&d, &pth, 1.0, post)))
    goto done;
  for (size_t q = 0; q < pth.n; q++)
    post[q] *= fac[q];
  al->stats.len_ratio = p.c;
  al->stats.len_var = p.s2;
  al->stats.band_cells = d.b.cells;
  rc = emit(out, count, &pth, post, al->o.min_confidence);
done:
  dp_dispose(&d);
  px_free(pth.v);
  px_free(post);
  px_free(fac);
  level_dispose(&LS);
  level_dispose(&LT);
  side_dispose(&c.s);
  side_dispose(&c.t);
  px_free(c.scratch.v);
  return rc;
}
