/*
 * lexicon.c: bilingual lexicons for the aligner.  Reads our TSV word lists
 * and FreeDict dictionaries in dictd format (.index + .dict or dictzip
 * .dict.dz), cleans each entry down to the words an aligner can match
 * (no parentheticals, one entry per alternative, no "to"/articles), stores
 * them normalized, and answers "what may this source word translate to?"
 * with one hash probe.
 *
 * Layout, chosen for load speed (the aligner loads a pair per process):
 * every string lives once in an arena (interned, so equal targets share one
 * pointer and duplicate pairs are found by pointer comparison); a source
 * word is a key with a small vector of entries, also carved from the arena;
 * two open-addressing tables (strings, keys) index them.  Nothing is freed
 * until px_lexicon_free(), which drops the arena blocks in one sweep.
 */
#include "lexicon.h"

#include "file.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "buf.h"
#include "error.h"
#include "mem.h"
#include "paths.h"

#define LEX_MAX_WORD 255        /* longest stored word or phrase, bytes */
#define LEX_MAX_LINE 4096       /* longest TSV line */
#define LEX_MAX_FILE (1u << 30) /* largest file we read into memory */
#define LEX_MAX_DICT (1u << 30) /* largest uncompressed dictd body */
#define LEX_MAX_ITEMS 64        /* alternatives kept per side of a pair */
#define LEX_TSV_WORDS 8         /* words per phrase in a TSV entry */
#define LEX_DICTD_WORDS 3       /* words per phrase taken from FreeDict */
#define LEX_DICTD_HEAD_WORDS 4  /* words per FreeDict headword */
#define LEX_ARENA_BLOCK ((size_t)256 * 1024)

/* ---- arena -------------------------------------------------------------- */

typedef struct arena_block {
  struct arena_block *next;
  size_t used, cap;
} arena_block;

#define ARENA_HDR ((sizeof(arena_block) + 15u) & ~(size_t)15u)

/* ---- the lexicon -------------------------------------------------------- */

typedef struct istr { /* an interned string */
  uint64_t hash;
  const char *s;
  size_t len;
} istr;

typedef struct lex_key { /* a source word and its entries */
  uint64_t hash;
  const char *s;
  size_t len;
  px_lexicon_entry *ents;
  uint32_t n, cap;
} lex_key;

struct px_lexicon {
  char src_lang[36], tgt_lang[36];
  int src_rules, tgt_rules; /* a LANG_RULES_* per side */
  arena_block *arena;
  istr *strs; /* open addressing; s == NULL is empty */
  size_t nstrs, strcap;
  int strs_dropped; /* strs released after a load: rebuild before use */
  lex_key *keys;    /* in insertion order */
  size_t nkeys, keycap;
  uint32_t *kidx; /* open addressing over keys: index + 1, 0 empty */
  size_t kidxcap;
  size_t nentries, max_words;
  px_lexicon_source *sources;
  size_t nsources, srccap;
  /* px_lexicon_restrict(): hashes of the words a document can look up
   * (open addressing, 0 empty); entries of other words are not stored */
  int restricted;
  uint64_t *voc;
  size_t nvoc, voccap;
  uint64_t *vbits; /* a bit per top bits of a vocabulary hash (voc_add) */
  uint64_t *seen;  /* raw tokens already given to px_lexicon_restrict() */
  size_t nseen, seencap;
  int no_prefilter; /* tests: clean every entry, as before the pre-filter */
};

static int lang_rules(const char *lang);

static void *arena_alloc(px_lexicon *lx, size_t n) {
  n = (n + 7u) & ~(size_t)7u;
  arena_block *b = lx->arena;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > LEX_ARENA_BLOCK / 4 ? n : LEX_ARENA_BLOCK;
    b = px_malloc(ARENA_HDR + cap);
    if (!b)
      return NULL;
    b->cap = cap;
    b->used = 0;
    /* A big one-off allocation goes behind the current block so the
     * current block's free space is not wasted. */
    if (lx->arena && n > LEX_ARENA_BLOCK / 4) {
      b->next = lx->arena->next;
      lx->arena->next = b;
    } else {
      b->next = lx->arena;
      lx->arena = b;
    }
  }
  void *p = (char *)b + ARENA_HDR + b->used;
  b->used += n;
  return p;
}

static char *arena_strndup(px_lexicon *lx, const char *s, size_t n) {
  char *d = arena_alloc(lx, n + 1);
  if (!d)
    return NULL;
  memcpy(d, s, n);
  d[n] = '\0';
  return d;
}

static void copy_tag(char *dst, size_t cap, const char *src) {
  size_t n = strlen(src);
  if (n >= cap)
    n = cap - 1;
  memcpy(dst, src, n);
  dst[n] = '\0';
}

int px_lexicon_new(px_lexicon **out, const char *src_lang,
                   const char *tgt_lang) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(src_lang && src_lang[0]);
  PX_ASSERT_ARG(tgt_lang && tgt_lang[0]);
  PX_ASSERT_ARG(strlen(src_lang) < 36 && strlen(tgt_lang) < 36);
  px_lexicon *lx = px_calloc(1, sizeof *lx);
  if (!lx)
    return PX_ENOMEM;
  copy_tag(lx->src_lang, sizeof lx->src_lang, src_lang);
  copy_tag(lx->tgt_lang, sizeof lx->tgt_lang, tgt_lang);
  lx->src_rules = lang_rules(src_lang);
  lx->tgt_rules = lang_rules(tgt_lang);
  *out = lx;
  return 0;
}

void px_lexicon_free(px_lexicon *lx) {
  if (!lx)
    return;
  arena_block *b = lx->arena;
  while (b) {
    arena_block *next = b->next;
    px_free(b);
    b = next;
  }
  px_free(lx->strs);
  px_free(lx->keys);
  px_free(lx->kidx);
  px_free(lx->sources);
  px_free(lx->voc);
  px_free(lx->vbits);
  px_free(lx->seen);
  px_free(lx);
}

size_t px_lexicon_size(const px_lexicon *lx) { return lx ? lx->nentries : 0; }
size_t px_lexicon_max_words(const px_lexicon *lx) {
  return lx ? lx->max_words : 0;
}
const char *px_lexicon_src_lang(const px_lexicon *lx) {
  return lx ? lx->src_lang : "";
}
const char *px_lexicon_tgt_lang(const px_lexicon *lx) {
  return lx ? lx->tgt_lang : "";
}
size_t px_lexicon_source_count(const px_lexicon *lx) {
  return lx ? lx->nsources : 0;
}
const px_lexicon_source *px_lexicon_source_at(const px_lexicon *lx, size_t i) {
  return lx && i < lx->nsources ? &lx->sources[i] : NULL;
}

/* ---- interning and keys ------------------------------------------------- */

/* Rehash the string table into ncap slots (a power of two that holds
 * nstrs at 3/4 load). */
static int strs_resize(px_lexicon *lx, size_t ncap) {
  istr *t = px_calloc(ncap, sizeof *t);
  if (!t)
    return PX_ENOMEM;
  for (size_t i = 0; i < lx->strcap; i++) {
    if (!lx->strs[i].s)
      continue;
    size_t j = (size_t)lx->strs[i].hash & (ncap - 1);
    while (t[j].s)
      j = (j + 1) & (ncap - 1);
    t[j] = lx->strs[i];
  }
  px_free(lx->strs);
  lx->strs = t;
  lx->strcap = ncap;
  return 0;
}

static int strs_grow(px_lexicon *lx) {
  return strs_resize(lx, lx->strcap ? lx->strcap * 2 : 1024);
}

/* Put an arena string back into the string table (rebuilding it): the
 * same pointer, so that pairs stay comparable by pointer. */
static int reintern(px_lexicon *lx, const char *s) {
  size_t n = strlen(s);
  uint64_t h = px_text_hash(s, n);
  if ((lx->nstrs + 1) * 4 > lx->strcap * 3) {
    int rc = strs_grow(lx);
    if (rc < 0)
      return rc;
  }
  size_t mask = lx->strcap - 1, j = (size_t)h & mask;
  while (lx->strs[j].s) {
    if (lx->strs[j].s == s)
      return 0;
    j = (j + 1) & mask;
  }
  lx->strs[j].hash = h;
  lx->strs[j].s = s;
  lx->strs[j].len = n;
  lx->nstrs++;
  return 0;
}

/* The string table only serves interning while pairs are added; lookups
 * go through the keys.  After a load it is dropped (a third of a big
 * lexicon's memory) and rebuilt from the keys and entries when another
 * add or load needs it. */
static void strs_release(px_lexicon *lx) {
  px_free(lx->strs);
  lx->strs = NULL;
  lx->strcap = 0;
  lx->nstrs = 0;
  lx->strs_dropped = 1;
  /* the raw tokens px_lexicon_restrict() has seen: only a shortcut */
  px_free(lx->seen);
  lx->seen = NULL;
  lx->nseen = lx->seencap = 0;
}

static int strs_rebuild(px_lexicon *lx) {
  lx->strs_dropped = 0;
  int rc = 0;
  for (size_t i = 0; i < lx->nkeys && rc >= 0; i++) {
    rc = reintern(lx, lx->keys[i].s);
    for (uint32_t j = 0; j < lx->keys[i].n && rc >= 0; j++)
      rc = reintern(lx, lx->keys[i].ents[j].tgt);
  }
  if (rc < 0)
    lx->strs_dropped = 1; /* try again next time */
  return rc < 0 ? rc : 0;
}

/* The one stored copy of s, creating it if new. */
static int intern(px_lexicon *lx, const char *s, size_t n, uint64_t h,
                  const char **out) {
  if (lx->strs_dropped) {
    int rc = strs_rebuild(lx);
    if (rc < 0)
      return rc;
  }
  if ((lx->nstrs + 1) * 4 > lx->strcap * 3) {
    int rc = strs_grow(lx);
    if (rc < 0)
      return rc;
  }
  size_t mask = lx->strcap - 1, j = (size_t)h & mask;
  while (lx->strs[j].s) {
    if (lx->strs[j].hash == h && lx->strs[j].len == n &&
        memcmp(lx->strs[j].s, s, n) == 0) {
      *out = lx->strs[j].s;
      return 0;
    }
    j = (j + 1) & mask;
  }
  char *d = arena_strndup(lx, s, n);
  if (!d)
    return PX_ENOMEM;
  lx->strs[j].hash = h;
  lx->strs[j].s = d;
  lx->strs[j].len = n;
  lx->nstrs++;
  *out = d;
  return 0;
}

/* The interned copy of s, or NULL (also when the table is dropped). */
static const char *strs_lookup(const px_lexicon *lx, const char *s, size_t n,
                               uint64_t h) {
  if (!lx->strcap || lx->strs_dropped)
    return NULL;
  size_t mask = lx->strcap - 1, j = (size_t)h & mask;
  while (lx->strs[j].s) {
    if (lx->strs[j].hash == h && lx->strs[j].len == n &&
        memcmp(lx->strs[j].s, s, n) == 0)
      return lx->strs[j].s;
    j = (j + 1) & mask;
  }
  return NULL;
}

static const lex_key *key_find(const px_lexicon *lx, const char *s, size_t n,
                               uint64_t h) {
  if (!lx->kidxcap)
    return NULL;
  size_t mask = lx->kidxcap - 1, j = (size_t)h & mask;
  while (lx->kidx[j]) {
    const lex_key *k = &lx->keys[lx->kidx[j] - 1];
    if (k->hash == h && k->len == n && memcmp(k->s, s, n) == 0)
      return k;
    j = (j + 1) & mask;
  }
  return NULL;
}

static int kidx_resize(px_lexicon *lx, size_t ncap) {
  uint32_t *t = px_calloc(ncap, sizeof *t);
  if (!t)
    return PX_ENOMEM;
  for (size_t i = 0; i < lx->nkeys; i++) {
    size_t j = (size_t)lx->keys[i].hash & (ncap - 1);
    while (t[j])
      j = (j + 1) & (ncap - 1);
    t[j] = (uint32_t)(i + 1);
  }
  px_free(lx->kidx);
  lx->kidx = t;
  lx->kidxcap = ncap;
  return 0;
}

static int kidx_grow(px_lexicon *lx) {
  return kidx_resize(lx, lx->kidxcap ? lx->kidxcap * 2 : 1024);
}

/* Room for `strs` more interned strings and `keys` more source words
 * without rehashing on the way (a replay knows how many it may add). */
static int tables_reserve(px_lexicon *lx, size_t strs, size_t keys) {
  int rc = 0;
  if (lx->strs_dropped && (rc = strs_rebuild(lx)) < 0)
    return rc;
  size_t cap = lx->strcap ? lx->strcap : 1024;
  while ((lx->nstrs + strs + 1) * 4 > cap * 3)
    cap *= 2;
  if (cap != lx->strcap && (rc = strs_resize(lx, cap)) < 0)
    return rc;
  cap = lx->kidxcap ? lx->kidxcap : 1024;
  while ((lx->nkeys + keys + 1) * 4 > cap * 3)
    cap *= 2;
  if (cap != lx->kidxcap && (rc = kidx_resize(lx, cap)) < 0)
    return rc;
  return 0;
}

static int key_new(px_lexicon *lx, const char *is, size_t n, uint64_t h,
                   lex_key **out);

static int key_get(px_lexicon *lx, const char *s, size_t n, lex_key **out) {
  uint64_t h = px_text_hash(s, n);
  const lex_key *found = key_find(lx, s, n, h);
  if (found) {
    *out = (lex_key *)&lx->keys[found - lx->keys];
    return 0;
  }
  const char *is = NULL;
  int rc = intern(lx, s, n, h, &is);
  return rc < 0 ? rc : key_new(lx, is, n, h, out);
}

/* A new key for a word that has none yet, whose interned copy is is. */
static int key_new(px_lexicon *lx, const char *is, size_t n, uint64_t h,
                   lex_key **out) {
  if (lx->nkeys >= UINT32_MAX - 1)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_LEXICON, 0,
                        "lexicon: too many source words");
  int rc = 0;
  if ((lx->nkeys + 1) * 4 > lx->kidxcap * 3 && (rc = kidx_grow(lx)) < 0)
    return rc;
  if ((rc = PX_GROW(lx->keys, lx->nkeys, lx->keycap)) < 0)
    return rc;
  lex_key *k = &lx->keys[lx->nkeys];
  memset(k, 0, sizeof *k);
  k->hash = h;
  k->s = is;
  k->len = n;
  size_t mask = lx->kidxcap - 1, j = (size_t)h & mask;
  while (lx->kidx[j])
    j = (j + 1) & mask;
  lx->kidx[j] = (uint32_t)(lx->nkeys + 1);
  lx->nkeys++;
  *out = k;
  return 0;
}

static size_t count_words(const char *s, size_t n) {
  size_t w = n ? 1 : 0;
  for (size_t i = 0; i < n; i++)
    if (s[i] == ' ')
      w++;
  return w;
}

/* ---- vocabulary restriction -------------------------------------------- */

static uint64_t voc_hash(const char *s, size_t n) {
  uint64_t h = px_text_hash(s, n);
  return h ? h : 1;
}

/* Open-addressing sets of 64-bit hashes (0 marks an empty slot). */
static int hset_add(uint64_t **tab, size_t *n, size_t *cap, uint64_t h) {
  if ((*n + 1) * 2 > *cap) {
    size_t ncap = *cap ? *cap * 2 : 4096;
    uint64_t *t = px_calloc(ncap, sizeof *t);
    if (!t)
      return PX_ENOMEM;
    for (size_t i = 0; i < *cap; i++)
      if ((*tab)[i]) {
        size_t j = (size_t)(*tab)[i] & (ncap - 1);
        while (t[j])
          j = (j + 1) & (ncap - 1);
        t[j] = (*tab)[i];
      }
    px_free(*tab);
    *tab = t;
    *cap = ncap;
  }
  size_t mask = *cap - 1, j = (size_t)h & mask;
  while ((*tab)[j]) {
    if ((*tab)[j] == h)
      return 0;
    j = (j + 1) & mask;
  }
  (*tab)[j] = h;
  (*n)++;
  return 0;
}

static int hset_has(const uint64_t *tab, size_t cap, uint64_t h) {
  if (!cap)
    return 0;
  size_t mask = cap - 1, j = (size_t)h & mask;
  while (tab[j]) {
    if (tab[j] == h)
      return 1;
    j = (j + 1) & mask;
  }
  return 0;
}

/* In front of the vocabulary's table (megabytes for a long document, so
 * a probe is a cache miss): one bit per hash value's top LEX_VOC_BITS
 * bits, 128 KiB that stay in cache.  Most words a load asks about are not
 * in the vocabulary, and a clear bit says so without the probe. */
#define LEX_VOC_BITS 20

static int voc_add(px_lexicon *lx, const char *s, size_t n) {
  uint64_t h = voc_hash(s, n);
  if (!lx->vbits &&
      !(lx->vbits = px_calloc((size_t)1 << (LEX_VOC_BITS - 6), 8)))
    return PX_ENOMEM;
  lx->vbits[h >> (64 - LEX_VOC_BITS + 6)] |=
      (uint64_t)1 << ((h >> (64 - LEX_VOC_BITS)) & 63);
  return hset_add(&lx->voc, &lx->nvoc, &lx->voccap, h);
}

static int seen_add(px_lexicon *lx, uint64_t h) {
  return hset_add(&lx->seen, &lx->nseen, &lx->seencap, h ? h : 1);
}

static int seen_has(const px_lexicon *lx, uint64_t h) {
  return hset_has(lx->seen, lx->seencap, h ? h : 1);
}

static int voc_has(const px_lexicon *lx, const char *s, size_t n) {
  uint64_t h = voc_hash(s, n);
  if (!lx->vbits || !((lx->vbits[h >> (64 - LEX_VOC_BITS + 6)] >>
                       ((h >> (64 - LEX_VOC_BITS)) & 63)) &
                      1))
    return 0;
  return hset_has(lx->voc, lx->voccap, h);
}

/* May a normalized source word or phrase be stored?  Always, unless the
 * lexicon is restricted; then a word must be in the vocabulary and a
 * phrase must have every word in it. */
static int voc_ok(const px_lexicon *lx, const char *s, size_t n) {
  if (!lx->restricted)
    return 1;
  size_t a = 0;
  while (a < n) {
    size_t b = a;
    while (b < n && s[b] != ' ')
      b++;
    if (b > a && !voc_has(lx, s + a, b - a))
      return 0;
    a = b + 1;
  }
  return 1;
}

/* ---- the restriction's pre-filter ----------------------------------------
 *
 * Under px_lexicon_restrict() most dictionary lines cannot give an entry,
 * and finding that out by cleaning them (side_items: normalization,
 * brackets, alternatives, a copy per item) was most of a load.  This test
 * answers "can any item of this side pass voc_ok()?" from the text alone,
 * and it never says no where cleaning would have stored something:
 *
 * - An item word is a run of the normalized side, contiguous there
 *   (removing brackets and pronunciations leaves a space or comma where
 *   they were), that starts at the start or after an ASCII byte other than
 *   a letter or digit (space, separator, bracket, the edge punctuation
 *   push_item() trims, the apostrophe of an elided French article) or the
 *   Arabic comma or semicolon, and ends at the end or before one of them.
 *   It holds no space (items are split at spaces).
 * - An item passes only if its first word w is in the vocabulary (or, for
 *   a bare Arabic word, w without its first "ال").  voc_may_contain()
 *   looks up every run from such a start to such an end (w is one of
 *   them, with the same bytes), with the same voc_has(); the answer is
 *   "maybe" as soon as one is there.
 * - Pure-ASCII text is read as it is: its normalization only lowers A-Z,
 *   turns runs of ASCII white space into one space and trims the ends
 *   (PX_NORM_KEY | PX_NORM_MARKS on ASCII; no Arabic-script fold applies),
 *   so with white space counted as a delimiter no word can start, end or
 *   match differently.  Other text is normalized (and the result handed on
 *   to side_items_norm(), so it is not normalized twice).
 * So what the pre-filter drops, cleaning would have dropped too; what it
 * keeps is cleaned and checked entry by entry as before.  (Only the
 * first word is checked: a phrase whose other words are not in the
 * vocabulary is kept here and dropped by voc_ok().) */

static int voc_delim_byte(unsigned char c) {
  return c < 0x80 && !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                       (c >= '0' && c <= '9'));
}

static int voc_space_byte(unsigned char c) {
  return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Does a delimiter end a word at s[i] (i < n), or start one after s[i-1]? */
static int voc_delim_at(const unsigned char *s, size_t n, size_t i) {
  return voc_delim_byte(s[i]) ||
         (i + 1 < n && s[i] == 0xD8 && (s[i + 1] == 0x8C || s[i + 1] == 0x9B));
}

static int voc_delim_before(const unsigned char *s, size_t i) {
  return i == 0 || voc_delim_byte(s[i - 1]) ||
         (i >= 2 && s[i - 2] == 0xD8 && (s[i - 1] == 0x8C || s[i - 1] == 0x9B));
}

/* Is a delimited word that starts at s[a] (s lower-case or normalized,
 * valid UTF-8) in the vocabulary?  Every end up to the next space counts:
 * "u.s" ends at the '.' and at the end of "u.s.". */
static int voc_may_start(const px_lexicon *lx, const unsigned char *s, size_t n,
                         size_t a) {
  for (size_t i = a; i < n && !voc_space_byte(s[i]);) {
    unsigned char c = s[i];
    i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (i >= n)
      return i == n && voc_has(lx, (const char *)s + a, n - a);
    if (voc_delim_at(s, n, i) && voc_has(lx, (const char *)s + a, i - a))
      return 1;
  }
  return 0;
}

static int voc_may_contain(const px_lexicon *lx, const unsigned char *s,
                           size_t n) {
  for (size_t a = 0; a < n; a++) {
    if ((s[a] & 0xC0) == 0x80 || !voc_delim_before(s, a))
      continue;
    if (voc_may_start(lx, s, n, a))
      return 1;
    /* bare_arabic(): the word without its article */
    if (a + 4 < n && memcmp(s + a, "\xD8\xA7\xD9\x84", 4) == 0 &&
        voc_may_start(lx, s, n, a + 4))
      return 1;
  }
  return 0;
}

/* The pre-filter for one raw side (s, n) of a pair whose items would be
 * source words.  Returns 1 when an item may pass the restriction (always
 * when the lexicon is not restricted), 0 when none can, or the error of
 * normalizing it (what side_items() would have returned).  For text that is
 * not pure ASCII, *norm and *nn receive its normalization (the caller frees it
 * or gives it to side_items_norm()); else *norm is NULL. */
static int voc_prefilter(const px_lexicon *lx, const char *s, size_t n,
                         char **norm, size_t *nn) {
  *norm = NULL;
  *nn = 0;
  if (!lx->restricted || lx->no_prefilter)
    return 1;
  unsigned char low[512];
  const unsigned char *u = (const unsigned char *)s;
  size_t i = 0;
  if (n <= sizeof low)
    for (; i < n && u[i] < 0x80; i++)
      low[i] = u[i] >= 'A' && u[i] <= 'Z' ? (unsigned char)(u[i] + 32) : u[i];
  if (n <= sizeof low && i == n)
    return voc_may_contain(lx, low, n);
  int rc = px_lexicon_normalize_word(norm, nn, s, n);
  if (rc < 0)
    return rc;
  rc = voc_may_contain(lx, (const unsigned char *)*norm, *nn);
  if (!rc) {
    px_free(*norm);
    *norm = NULL;
  }
  return rc;
}

void px_lexicon__set_prefilter(px_lexicon *lx, int on) {
  if (lx)
    lx->no_prefilter = !on;
}

/* The forms of one normalized word that a lookup may ask for: the word
 * and its prefixes of three letters or more (inflected words are looked
 * up shortened); the same after a leading Arabic-script "و" (and) or "ال"
 * (the), once. */
static int voc_add_forms(px_lexicon *lx, const char *w, size_t n, int strip) {
  int rc = voc_add(lx, w, n);
  size_t cps = 0;
  for (size_t i = 0; i < n && rc == 0; i++) {
    if (((unsigned char)w[i] & 0xC0) == 0x80)
      continue;
    /* w[0 .. i) holds cps code points */
    if (cps >= 3)
      rc = voc_add(lx, w, i);
    cps++;
  }
  static const char *const pre[] = {"\xd9\x88", "\xd8\xa7\xd9\x84"};
  for (size_t k = 0; k < 2 && rc == 0 && strip; k++) {
    size_t pl = strlen(pre[k]);
    if (n > pl && memcmp(w, pre[k], pl) == 0)
      rc = voc_add_forms(lx, w + pl, n - pl, 0);
  }
  return rc;
}

int px_lexicon_restrict(px_lexicon *lx, const char *text, size_t len) {
  PX_ASSERT_ARG(lx);
  PX_ASSERT_ARG(text || len == 0);
  px_token *tk = NULL;
  size_t ntk = 0;
  lx->restricted = 1;
  if (!len)
    return 0;
  int rc = px_text_tokenize(&tk, &ntk, text, len, lx->src_lang);
  for (size_t i = 0; i < ntk && rc == 0; i++) {
    const char *w = text + tk[i].off;
    size_t wn = tk[i].len;
    if ((tk[i].kind != PX_TOK_WORD && tk[i].kind != PX_TOK_IDEO) ||
        wn > LEX_MAX_WORD)
      continue;
    /* a token seen before (as written) has its forms in already: a text
     * repeats its words, and normalizing is the costly step */
    uint64_t h = px_text_hash(w, wn) ^ 0x9E3779B97F4A7C15ull;
    if (lx->seencap && seen_has(lx, h))
      continue;
    if ((rc = seen_add(lx, h)) < 0)
      break;
    char *norm = NULL;
    size_t nn = 0;
    if ((rc = px_lexicon_normalize_word(&norm, &nn, w, wn)) < 0)
      break;
    rc = voc_add_forms(lx, norm, nn, 1);
    px_free(norm);
  }
  px_free(tk);
  return rc < 0 ? rc : 0;
}

static int add_entry(px_lexicon *lx, lex_key *k, const char *it, float w,
                     size_t *added);

/* Add one normalized pair; a pair already present keeps the larger weight.
 * *added is incremented when a new entry is made. */
static int add_norm(px_lexicon *lx, const char *s, size_t sn, const char *t,
                    size_t tn, float w, size_t *added) {
  lex_key *k = NULL;
  const char *it = NULL;
  int rc = key_get(lx, s, sn, &k);
  if (rc < 0 || !k)
    return rc < 0 ? rc
                  : px_error_set(PX_ERROR, PX_ERRCLASS_LEXICON, 0,
                                 "lexicon: internal error (no key)");
  if ((rc = intern(lx, t, tn, px_text_hash(t, tn), &it)) < 0)
    return rc;
  return add_entry(lx, k, it, w, added);
}

/* The entry (key k, interned target it, weight w): a pair already there
 * keeps the larger weight. */
static int add_entry(px_lexicon *lx, lex_key *k, const char *it, float w,
                     size_t *added) {
  for (uint32_t i = 0; i < k->n; i++)
    if (k->ents[i].tgt == it) {
      if (w > k->ents[i].weight)
        k->ents[i].weight = w;
      return 0;
    }
  if (k->n == k->cap) {
    uint32_t ncap = k->cap ? k->cap * 2 : 2;
    px_lexicon_entry *v = arena_alloc(lx, ncap * sizeof *v);
    if (!v)
      return PX_ENOMEM;
    if (k->n)
      memcpy(v, k->ents, k->n * sizeof *v);
    k->ents = v; /* the old vector stays in the arena until free */
    k->cap = ncap;
  }
  k->ents[k->n].src = k->s;
  k->ents[k->n].tgt = it;
  k->ents[k->n].weight = w;
  k->n++;
  lx->nentries++;
  size_t words = count_words(k->s, k->len);
  if (words > lx->max_words)
    lx->max_words = words;
  if (added)
    (*added)++;
  return 0;
}

/* ---- normalization ------------------------------------------------------ */

/* Fold the Arabic-script spelling variants that writers of Persian, Arabic
 * and Urdu mix (and that normalization leaves apart), and drop ZWNJ/ZWJ,
 * in place.  Every replacement is two bytes for two bytes, or a removal. */
static size_t fold_arabic_script(char *s, size_t n) {
  /* Two-byte UTF-8 sequences and what they become. */
  static const unsigned char fold[][4] = {
      {0xD9, 0x8A, 0xDB, 0x8C}, /* ي U+064A -> ی U+06CC */
      {0xD9, 0x89, 0xDB, 0x8C}, /* ى U+0649 -> ی */
      {0xD8, 0xA6, 0xDB, 0x8C}, /* ئ U+0626 -> ی */
      {0xD9, 0x83, 0xDA, 0xA9}, /* ك U+0643 -> ک U+06A9 */
      {0xD8, 0xA2, 0xD8, 0xA7}, /* آ U+0622 -> ا U+0627 */
      {0xD8, 0xA3, 0xD8, 0xA7}, /* أ U+0623 -> ا */
      {0xD8, 0xA5, 0xD8, 0xA7}, /* إ U+0625 -> ا */
      {0xD9, 0xB1, 0xD8, 0xA7}, /* ٱ U+0671 -> ا */
      {0xD8, 0xA4, 0xD9, 0x88}, /* ؤ U+0624 -> و U+0648 */
      {0xDB, 0x80, 0xD9, 0x87}, /* ۀ U+06C0 -> ه U+0647 */
      /* Urdu heh goal and do-chashmi heh: sources write them as plain heh
       * as often as not ("ہے"/"هے", "بھی"/"بهی"). */
      {0xDB, 0x81, 0xD9, 0x87}, /* ہ U+06C1 -> ه */
      {0xDA, 0xBE, 0xD9, 0x87}, /* ھ U+06BE -> ه */
      {0xDB, 0x83, 0xD8, 0xA9}, /* ۃ U+06C3 -> ة U+0629 */
  };
  size_t o = 0;
  for (size_t i = 0; i < n;) {
    unsigned char a = (unsigned char)s[i];
    unsigned char b = i + 1 < n ? (unsigned char)s[i + 1] : 0;
    if (a == 0xE2 && b == 0x80 && i + 2 < n &&
        ((unsigned char)s[i + 2] == 0x8C || (unsigned char)s[i + 2] == 0x8D)) {
      i += 3; /* U+200C ZWNJ, U+200D ZWJ */
      continue;
    }
    if (a == 0xC4 && b == 0xB1) {
      /* Turkish dotless ı: case folding turns "I" into "i", so "IRAK" and
       * "ırak" would otherwise never meet. */
      s[o++] = 'i';
      i += 2;
      continue;
    }
    size_t f = 0;
    if (a >= 0xD8 && a <= 0xDB)
      while (f < sizeof fold / sizeof fold[0] &&
             !(fold[f][0] == a && fold[f][1] == b))
        f++;
    else
      f = sizeof fold / sizeof fold[0];
    if (f < sizeof fold / sizeof fold[0]) {
      s[o++] = (char)fold[f][2];
      s[o++] = (char)fold[f][3];
      i += 2;
    } else {
      s[o++] = s[i++];
    }
  }
  s[o] = '\0';
  return o;
}

int px_lexicon_normalize_word(char **out, size_t *len, const char *w,
                              size_t n) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(w || n == 0);
  char *d = NULL;
  size_t dn = 0;
  int rc = px_text_normalize(&d, &dn, w, n, PX_NORM_KEY | PX_NORM_MARKS);
  if (rc < 0)
    return rc;
  dn = fold_arabic_script(d, dn);
  *out = d;
  if (len)
    *len = dn;
  return 0;
}

/* ---- cleaning an entry side --------------------------------------------- */

typedef struct item_list {
  char *s[LEX_MAX_ITEMS];
  size_t n[LEX_MAX_ITEMS];
  size_t count;
} item_list;

static void items_dispose(item_list *l) {
  for (size_t i = 0; i < l->count; i++)
    px_free(l->s[i]);
  l->count = 0;
}

/* Tokens that stand for "somebody/something" in dictionary phrases.  The
 * check runs for every word of every dictionary line: lengths are kept
 * with the words, and a word compares only with those of its length. */
typedef struct word_n {
  const char *s;
  size_t n;
} word_n;
#define WN(x)                                                                  \
  { x, sizeof x - 1 }

static int in_words(const word_n *list, size_t count, const char *w, size_t n) {
  for (size_t i = 0; i < count; i++)
    if (list[i].n == n && memcmp(list[i].s, w, n) == 0)
      return 1;
  return 0;
}

static int is_filler(const char *w, size_t n) {
  static const word_n fill[] = {
      WN("sb"),    WN("sb."),  WN("sth"),  WN("sth."),  WN("sb's"),
      WN("sth's"), WN("smb"),  WN("smb."), WN("smth"),  WN("smth."),
      WN("jdn."),  WN("jdm."), WN("jds."), WN("etw."),  WN("jdn"),
      WN("jdm"),   WN("jds"),  WN("etw"),  WN("qn"),    WN("qch"),
      WN("qn."),   WN("qch."), WN("o.s."), WN("one's"), WN("oneself"),
      WN("etc"),   WN("etc."), WN("…"),    WN("...")};
  if (n < 2 || n > 7)
    return 0;
  return in_words(fill, sizeof fill / sizeof fill[0], w, n);
}

/* Which cleaning rules a language gets: English "to" and articles,
 * German and French articles and reflexives.  Two- and three-letter tags
 * both count: `lexicon import` names a dictionary's languages as FreeDict
 * does (eng, deu, fra). */
enum {
  LANG_RULES_NONE,
  LANG_RULES_EN,
  LANG_RULES_DE,
  LANG_RULES_FR,
  LANG_RULES_AR
};

static int lang_rules(const char *lang) {
  if (px_lang_is(lang, "en") || px_lang_is(lang, "eng"))
    return LANG_RULES_EN;
  if (px_lang_is(lang, "de") || px_lang_is(lang, "deu"))
    return LANG_RULES_DE;
  if (px_lang_is(lang, "fr") || px_lang_is(lang, "fra"))
    return LANG_RULES_FR;
  if (px_lang_is(lang, "ar") || px_lang_is(lang, "ara"))
    return LANG_RULES_AR;
  return LANG_RULES_NONE;
}

static int is_lead_particle(int rules, const char *w, size_t n) {
  static const word_n en[] = {WN("to"), WN("the"), WN("a"), WN("an")};
  static const word_n de[] = {WN("der"),  WN("die"), WN("das"),
                              WN("den"),  WN("dem"), WN("des"),
                              WN("sich"), WN("ein"), WN("eine")};
  static const word_n fr[] = {WN("le"),  WN("la"), WN("les"), WN("un"),
                              WN("une"), WN("se"), WN("du"),  WN("des")};
  if (n > 4)
    return 0;
  switch (rules) {
  case LANG_RULES_EN: return in_words(en, sizeof en / sizeof en[0], w, n);
  case LANG_RULES_DE: return in_words(de, sizeof de / sizeof de[0], w, n);
  case LANG_RULES_FR: return in_words(fr, sizeof fr / sizeof fr[0], w, n);
  default: return 0;
  }
}

static int is_edge_punct(unsigned char c) {
  return c == '.' || c == '!' || c == '?' || c == ':' || c == '"' ||
         c == '\'' || c == '-' || c == '*' || c == '=' || c == '|' || c == '~';
}

/* One alternative (bytes [b, e) of normalized text, brackets already
 * removed): drop filler and leading particles, collapse spaces, trim edge
 * punctuation, and keep it if it is a reasonable word or phrase. */
static int push_item(item_list *l, const char *b, const char *e, int rules,
                     size_t max_words) {
  char tmp[LEX_MAX_WORD * 4 + 8];
  size_t o = 0, words = 0;
  int leading = 1;
  if (l->count >= LEX_MAX_ITEMS)
    return 0;
  while (b < e) {
    while (b < e && *b == ' ')
      b++;
    const char *ws = b;
    while (b < e && *b != ' ')
      b++;
    const char *we = b;
    while (ws < we && is_edge_punct((unsigned char)*ws))
      ws++;
    /* "l'état" / "s'agir": the French elided article or reflexive. */
    if (leading && rules == LANG_RULES_FR && we - ws > 2 &&
        (ws[0] == 'l' || ws[0] == 's' || ws[0] == 'd') && ws[1] == '\'')
      ws += 2;
    if (is_filler(ws, (size_t)(we - ws)))
      continue;
    while (we > ws && is_edge_punct((unsigned char)we[-1]))
      we--;
    if (we == ws)
      continue;
    if (leading && is_lead_particle(rules, ws, (size_t)(we - ws)) && b < e) {
      /* Only when something follows: "a" alone stays "a". */
      const char *rest = b;
      while (rest < e && *rest == ' ')
        rest++;
      if (rest < e)
        continue;
    }
    leading = 0;
    size_t wn = (size_t)(we - ws);
    if (o + wn + 1 > sizeof tmp)
      return 0; /* overlong: not stored */
    if (o)
      tmp[o++] = ' ';
    memcpy(tmp + o, ws, wn);
    o += wn;
    words++;
  }
  if (o == 0 || o > LEX_MAX_WORD || (max_words && words > max_words))
    return 0;
  for (size_t i = 0; i < l->count; i++)
    if (l->n[i] == o && memcmp(l->s[i], tmp, o) == 0)
      return 0;
  char *d = px_strndup(tmp, o);
  if (!d)
    return PX_ENOMEM;
  l->s[l->count] = d;
  l->n[l->count] = o;
  l->count++;
  return 0;
}

/* Cut one side of a pair, already normalized (norm, nn: from
 * px_lexicon_normalize_word(), taken over and freed here), into its
 * alternatives. */
static int side_items_norm(item_list *l, char *norm, size_t nn, int rules,
                           size_t max_words) {
  int rc = 0;
  /* Brackets out: (informal), [mil.], {see x}; a part-of-speech tag
   * <n, masc> also ends an alternative ("government <n>Gov."); a
   * pronunciation " /ɡˈoːf/ " goes, while "he/she" stays. */
  size_t o = 0;
  int depth = 0;
  for (size_t i = 0; i < nn; i++) {
    char c = norm[i];
    if (depth == 0 && c == '/' && (i == 0 || norm[i - 1] == ' ')) {
      const char *close = memchr(norm + i + 1, '/', nn - i - 1);
      size_t j = close ? (size_t)(close - norm) : nn;
      if (close && (j + 1 == nn || norm[j + 1] == ' ' || norm[j + 1] == ',' ||
                    norm[j + 1] == ';')) {
        i = j;
        continue;
      }
    }
    if (c == '(' || c == '[' || c == '{' || c == '<') {
      depth++;
      continue;
    }
    if (c == ')' || c == ']' || c == '}' || c == '>') {
      /* A closer without its opener ("an)") is dropped like a pair. */
      if (depth > 0)
        depth--;
      if (depth == 0 && c == '>')
        norm[o++] = ',';
      else if (o && norm[o - 1] != ' ')
        norm[o++] = ' ';
      continue;
    }
    if (depth == 0)
      norm[o++] = c;
  }
  nn = o;
  /* Alternatives: ',' ';' and the Arabic comma and semicolon. */
  const char *p = norm, *end = norm + nn, *start = norm;
  while (p <= end && rc == 0) {
    size_t sep = 0;
    /* A comma between digits is part of a number ("1,2-butanediol"). */
    int digit_comma = *p == ',' && p > norm && p + 1 < end && p[-1] >= '0' &&
                      p[-1] <= '9' && p[1] >= '0' && p[1] <= '9';
    if (p == end || *p == ';' || (*p == ',' && !digit_comma))
      sep = 1;
    else if (end - p >= 2 && (unsigned char)p[0] == 0xD8 &&
             ((unsigned char)p[1] == 0x8C || (unsigned char)p[1] == 0x9B))
      sep = 2;
    if (sep) {
      rc = push_item(l, start, p, rules, max_words);
      p += sep;
      start = p;
    } else {
      p++;
    }
  }
  px_free(norm);
  return rc;
}

/* Normalize one side of a pair and cut it into its alternatives. */
static int side_items(item_list *l, const char *s, size_t n, int rules,
                      size_t max_words) {
  char *norm = NULL;
  size_t nn = 0;
  int rc = px_lexicon_normalize_word(&norm, &nn, s, n);
  if (rc < 0)
    return rc;
  return side_items_norm(l, norm, nn, rules, max_words);
}

/* Clean and add a raw pair: every source alternative times every target
 * alternative. */
/* add_norm(), and for an Arabic source word with the article ("الحكومة")
 * the bare word too ("حكومة", weight x 0.9): dictionaries list one or the
 * other, text has both.  Not when fewer than three letters would remain
 * ("الله" must not become "له"). */
static int bare_arabic(const px_lexicon *lx, const char *s, size_t sn) {
  return lx->src_rules == LANG_RULES_AR && sn >= 4 + 6 &&
         memcmp(s, "\xD8\xA7\xD9\x84", 4) == 0 && !memchr(s, ' ', sn);
}

static int add_pair(px_lexicon *lx, const char *s, size_t sn, const char *t,
                    size_t tn, float w, size_t *added) {
  int rc = voc_ok(lx, s, sn) ? add_norm(lx, s, sn, t, tn, w, added) : 0;
  if (rc < 0 || !bare_arabic(lx, s, sn) || !voc_ok(lx, s + 4, sn - 4))
    return rc;
  return add_norm(lx, s + 4, sn - 4, t, tn, w * 0.9f, added);
}

/* Under px_lexicon_restrict(): drop the source items that add_pair()
 * would not store, so that their translations are not even cleaned. */
static void items_restrict(const px_lexicon *lx, item_list *l) {
  if (!lx->restricted)
    return;
  size_t o = 0;
  for (size_t i = 0; i < l->count; i++) {
    const char *s = l->s[i];
    size_t n = l->n[i];
    if (voc_ok(lx, s, n) ||
        (bare_arabic(lx, s, n) && voc_ok(lx, s + 4, n - 4))) {
      l->s[o] = l->s[i];
      l->n[o++] = n;
    } else {
      px_free(l->s[i]);
    }
  }
  l->count = o;
}

static int add_raw(px_lexicon *lx, const char *s, size_t sn, const char *t,
                   size_t tn, float w, size_t src_words, size_t tgt_words,
                   size_t *added) {
  item_list ls, lt;
  ls.count = lt.count = 0;
  char *norm = NULL;
  size_t nn = 0;
  int rc = voc_prefilter(lx, s, sn, &norm, &nn);
  if (rc <= 0)
    return rc; /* no source item can pass the restriction, or an error */
  rc = norm ? side_items_norm(&ls, norm, nn, lx->src_rules, src_words)
            : side_items(&ls, s, sn, lx->src_rules, src_words);
  items_restrict(lx, &ls);
  if (rc >= 0 && ls.count)
    rc = side_items(&lt, t, tn, lx->tgt_rules, tgt_words);
  for (size_t i = 0; i < ls.count && rc >= 0; i++)
    for (size_t j = 0; j < lt.count && rc >= 0; j++)
      rc = add_pair(lx, ls.s[i], ls.n[i], lt.s[j], lt.n[j], w, added);
  items_dispose(&ls);
  items_dispose(&lt);
  return rc < 0 ? rc : 0;
}

int px_lexicon_add(px_lexicon *lx, const char *src, size_t slen,
                   const char *tgt, size_t tlen, float weight) {
  PX_ASSERT_ARG(lx);
  PX_ASSERT_ARG(src || slen == 0);
  PX_ASSERT_ARG(tgt || tlen == 0);
  PX_ASSERT_ARG(weight > 0.0f && weight <= 1.0f);
  return add_raw(lx, src ? src : "", slen, tgt ? tgt : "", tlen, weight,
                 LEX_TSV_WORDS, LEX_TSV_WORDS, NULL);
}

/* ---- lookup ------------------------------------------------------------- */

int px_lexicon_lookup(const px_lexicon *lx, const char *word, size_t len,
                      const px_lexicon_entry **out, size_t *count) {
  PX_ASSERT_ARG(lx);
  PX_ASSERT_ARG(word || len == 0);
  PX_ASSERT_ARG(out && count);
  const lex_key *k =
      word ? key_find(lx, word, len, px_text_hash(word, len)) : NULL;
  if (!k || k->n == 0) {
    *out = NULL;
    *count = 0;
    return PX_ENOTFOUND;
  }
  *out = k->ents;
  *count = k->n;
  return 0;
}

int px_lexicon_foreach(const px_lexicon *lx,
                       int (*cb)(const px_lexicon_entry *e, void *payload),
                       void *payload) {
  PX_ASSERT_ARG(lx);
  PX_ASSERT_ARG(cb);
  for (size_t i = 0; i < lx->nkeys; i++)
    for (uint32_t j = 0; j < lx->keys[i].n; j++) {
      int rc = cb(&lx->keys[i].ents[j], payload);
      if (rc)
        return rc;
    }
  return 0;
}

/* ---- files -------------------------------------------------------------- */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int add_source(px_lexicon *lx, const char *path, const char *kind,
                      int reversed, size_t records, size_t added,
                      double seconds) {
  int rc = PX_GROW(lx->sources, lx->nsources, lx->srccap);
  if (rc < 0)
    return rc;
  const char *p = arena_strndup(lx, path, strlen(path));
  if (!p)
    return PX_ENOMEM;
  px_lexicon_source *s = &lx->sources[lx->nsources++];
  s->path = p;
  s->kind = kind;
  s->reversed = reversed;
  s->records = records;
  s->added = added;
  s->seconds = seconds;
  return 0;
}

/* ---- TSV ---------------------------------------------------------------- */

static int parse_weight(const char *s, size_t n, float *out) {
  char tmp[32];
  if (n == 0 || n >= sizeof tmp)
    return -1;
  memcpy(tmp, s, n);
  tmp[n] = '\0';
  char *end = NULL;
  errno = 0;
  double d = strtod(tmp, &end);
  if (errno || end != tmp + n || !(d > 0.0 && d <= 1.0))
    return -1;
  *out = (float)d;
  return 0;
}

int px_lexicon__load_tsv_dir(px_lexicon *lx, const char *path, int reverse) {
  PX_ASSERT_ARG(lx);
  PX_ASSERT_ARG(path);
  char *data = NULL;
  size_t len = 0, lineno = 0, records = 0, added = 0;
  double t0 = now_seconds();
  int rc = px_file__read(&data, &len, path, LEX_MAX_FILE, PX_ERRCLASS_LEXICON);
  if (rc < 0)
    return rc;
  const char *p = data, *end = data + len;
  if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *next = nl ? nl + 1 : end;
    lineno++;
    if (le > p && le[-1] == '\r')
      le--;
    size_t ll = (size_t)(le - p);
    if (ll > LEX_MAX_LINE) {
      rc = px_error_set(PX_ETOOBIG, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu: line longer than %d bytes", path, lineno,
                        LEX_MAX_LINE);
      goto done;
    }
    size_t bad = 0;
    if (px_text_validate(p, ll, &bad) < 0) {
      rc = px_error_set(PX_EENCODING, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu:%zu: invalid UTF-8", path, lineno, bad + 1);
      goto done;
    }
    /* Blank (white space only) and comment lines. */
    const char *q = p;
    while (q < le && (*q == ' ' || *q == '\t'))
      q++;
    if (q == le || *q == '#') {
      p = next;
      continue;
    }
    const char *f[3];
    size_t fn[3];
    int nf = 0;
    const char *fs = p;
    for (const char *c = p; c <= le && nf < 3; c++)
      if (c == le || *c == '\t') {
        f[nf] = fs;
        fn[nf] = (size_t)(c - fs);
        nf++;
        fs = c + 1;
      }
    if (nf < 2) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu: expected source<TAB>translation[<TAB>weight]",
                        path, lineno);
      goto done;
    }
    float w = 1.0f;
    if (nf == 3 && fn[2] > 0 && parse_weight(f[2], fn[2], &w) < 0) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu: weight '%.*s' is not a number in (0, 1]", path,
                        lineno, (int)(fn[2] > 40 ? 40 : fn[2]), f[2]);
      goto done;
    }
    const char *s = reverse ? f[1] : f[0], *t = reverse ? f[0] : f[1];
    size_t sn = reverse ? fn[1] : fn[0], tn = reverse ? fn[0] : fn[1];
    int blank_s = 1, blank_t = 1;
    for (size_t i = 0; i < sn; i++)
      blank_s &= s[i] == ' ';
    for (size_t i = 0; i < tn; i++)
      blank_t &= t[i] == ' ';
    if (blank_s || blank_t) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu: empty %s column", path, lineno,
                        (blank_s ? !reverse : reverse) ? "first" : "second");
      goto done;
    }
    rc = add_raw(lx, s, sn, t, tn, w, LEX_TSV_WORDS, LEX_TSV_WORDS, &added);
    if (rc < 0) {
      px_error_prefix("%s:%zu", path, lineno);
      goto done;
    }
    records++;
    p = next;
  }
  rc = add_source(lx, path, "tsv", reverse, records, added, now_seconds() - t0);
  strs_release(lx);
done:
  px_free(data);
  return rc;
}

int px_lexicon_load_tsv(px_lexicon *lx, const char *path) {
  return px_lexicon__load_tsv_dir(lx, path, 0);
}

/* ---- dictd: .dict, .dict.dz --------------------------------------------- */

/* A dictd body: plain bytes, or dictzip chunks inflated on demand. */
typedef struct dict_reader {
  const char *path;
  char *raw; /* the whole file as read */
  size_t rawlen;
  /* plain or fully inflated body */
  const char *body;
  size_t bodylen;
  char *inflated;
  /* dictzip */
  int chunked;
  size_t chlen, chcnt;
  size_t *choff; /* compressed offset of each chunk, chcnt + 1 of them */
  char *chunk;   /* the last chunk inflated */
  size_t chunk_idx, chunk_len;
  int have_chunk;
  z_stream zs;
  int zs_init;
} dict_reader;

static void dict_close(dict_reader *r) {
  if (r->zs_init)
    inflateEnd(&r->zs);
  px_free(r->raw);
  px_free(r->inflated);
  px_free(r->choff);
  px_free(r->chunk);
  memset(r, 0, sizeof *r);
}

static int dz_bad(const dict_reader *r, const char *what) {
  return px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                      "%s: bad dictzip file: %s", r->path, what);
}

/* Inflate a whole gzip file (no dictzip index) into memory. */
static int gz_inflate_all(dict_reader *r) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
    return px_error_nomem();
  px_buf out;
  px_buf_init(&out, LEX_MAX_DICT);
  int rc = 0;
  zs.next_in = (Bytef *)r->raw;
  zs.avail_in = (uInt)r->rawlen;
  for (;;) {
    if ((rc = px_buf_reserve(&out, 1 << 16)) < 0)
      break;
    zs.next_out = (Bytef *)out.ptr + out.len;
    zs.avail_out = (uInt)(out.cap - out.len - 1);
    size_t before = zs.avail_out;
    int z = inflate(&zs, Z_NO_FLUSH);
    out.len += before - zs.avail_out;
    out.ptr[out.len] = '\0';
    if (z == Z_STREAM_END)
      break;
    if (z != Z_OK && !(z == Z_BUF_ERROR && zs.avail_in > 0)) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, z,
                        "%s: corrupt gzip data near byte %lu", r->path,
                        (unsigned long)zs.total_in);
      break;
    }
  }
  inflateEnd(&zs);
  if (rc < 0) {
    px_buf_dispose(&out);
    return rc;
  }
  r->inflated = px_buf_detach(&out, &r->bodylen);
  if (!r->inflated)
    return PX_ENOMEM;
  r->body = r->inflated;
  return 0;
}

/* Parse the gzip header; with a dictzip "RA" field, set up chunk access,
 * else inflate everything. */
static int dz_open(dict_reader *r) {
  const unsigned char *u = (const unsigned char *)r->raw;
  size_t n = r->rawlen, pos = 10;
  if (n < 18 || u[0] != 0x1f || u[1] != 0x8b || u[2] != 8)
    return dz_bad(r, "not gzip");
  unsigned flg = u[3];
  size_t ra_at = 0, ra_len = 0;
  if (flg & 4) {
    size_t xlen = (size_t)u[10] | (size_t)u[11] << 8;
    pos = 12;
    if (pos + xlen > n)
      return dz_bad(r, "extra field past the end");
    size_t x = pos;
    while (x + 4 <= pos + xlen) {
      size_t sl = (size_t)u[x + 2] | (size_t)u[x + 3] << 8;
      if (x + 4 + sl > pos + xlen)
        return dz_bad(r, "extra subfield past the end");
      if (u[x] == 'R' && u[x + 1] == 'A') {
        ra_at = x + 4;
        ra_len = sl;
      }
      x += 4 + sl;
    }
    pos += xlen;
  }
  if (flg & 8) { /* file name */
    while (pos < n && u[pos])
      pos++;
    pos++;
  }
  if (flg & 16) { /* comment */
    while (pos < n && u[pos])
      pos++;
    pos++;
  }
  if (flg & 2)
    pos += 2;
  if (pos >= n)
    return dz_bad(r, "header past the end");
  if (!ra_at)
    return gz_inflate_all(r);
  if (ra_len < 6)
    return dz_bad(r, "short RA field");
  size_t ver = (size_t)u[ra_at] | (size_t)u[ra_at + 1] << 8;
  r->chlen = (size_t)u[ra_at + 2] | (size_t)u[ra_at + 3] << 8;
  r->chcnt = (size_t)u[ra_at + 4] | (size_t)u[ra_at + 5] << 8;
  if (ver != 1 || r->chlen == 0 || ra_len < 6 + 2 * r->chcnt)
    return dz_bad(r, "unsupported RA field");
  r->choff = px_malloc((r->chcnt + 1) * sizeof *r->choff);
  r->chunk = px_malloc(r->chlen + 1);
  if (!r->choff || !r->chunk)
    return PX_ENOMEM;
  size_t off = pos;
  for (size_t i = 0; i < r->chcnt; i++) {
    r->choff[i] = off;
    off += (size_t)u[ra_at + 6 + 2 * i] | (size_t)u[ra_at + 7 + 2 * i] << 8;
  }
  r->choff[r->chcnt] = off;
  if (off > n)
    return dz_bad(r, "chunks past the end of the file");
  if (inflateInit2(&r->zs, -15) != Z_OK)
    return px_error_nomem();
  r->zs_init = 1;
  r->chunked = 1;
  /* The body's length: gzip's ISIZE trailer (mod 2^32) when it agrees
   * with the chunk table, else the table's upper bound. */
  size_t isize = (size_t)u[n - 4] | (size_t)u[n - 3] << 8 |
                 (size_t)u[n - 2] << 16 | (size_t)u[n - 1] << 24;
  r->bodylen = r->chlen * r->chcnt;
  if (isize <= r->bodylen && isize + r->chlen > r->bodylen)
    r->bodylen = isize;
  return 0;
}

static int dz_chunk(dict_reader *r, size_t idx) {
  if (r->have_chunk && r->chunk_idx == idx)
    return 0;
  r->have_chunk = 0;
  if (inflateReset(&r->zs) != Z_OK)
    return dz_bad(r, "inflate reset");
  r->zs.next_in = (Bytef *)r->raw + r->choff[idx];
  r->zs.avail_in = (uInt)(r->choff[idx + 1] - r->choff[idx]);
  r->zs.next_out = (Bytef *)r->chunk;
  r->zs.avail_out = (uInt)r->chlen;
  int z = inflate(&r->zs, Z_SYNC_FLUSH);
  if (z != Z_OK && z != Z_STREAM_END && z != Z_BUF_ERROR)
    return px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, z,
                        "%s: corrupt dictzip chunk %zu", r->path, idx);
  r->chunk_len = r->chlen - r->zs.avail_out;
  r->chunk_idx = idx;
  r->have_chunk = 1;
  return 0;
}

/* The bytes [off, off + len) of the body: a pointer into the body, or into
 * tmp for a dictzip range. */
static int dict_get(dict_reader *r, size_t off, size_t len, px_buf *tmp,
                    const char **out) {
  if (!r->chunked) {
    if (off > r->bodylen || len > r->bodylen - off)
      return px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                          "%s: entry at bytes %zu+%zu is past the end "
                          "(%zu bytes)",
                          r->path, off, len, r->bodylen);
    *out = r->body + off;
    return 0;
  }
  px_buf_clear(tmp);
  size_t pos = off, left = len;
  while (left > 0) {
    size_t idx = pos / r->chlen, in = pos % r->chlen;
    if (idx >= r->chcnt)
      return px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                          "%s: entry at bytes %zu+%zu is past the end", r->path,
                          off, len);
    int rc = dz_chunk(r, idx);
    if (rc < 0)
      return rc;
    if (in >= r->chunk_len)
      return px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                          "%s: entry at bytes %zu+%zu is past the end", r->path,
                          off, len);
    size_t take = r->chunk_len - in < left ? r->chunk_len - in : left;
    if ((rc = px_buf_put(tmp, r->chunk + in, take)) < 0)
      return rc;
    pos += take;
    left -= take;
  }
  *out = tmp->ptr ? tmp->ptr : "";
  return 0;
}

static int ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && memcmp(s + n - m, suf, m) == 0;
}

static int file_exists(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

static int dict_open(dict_reader *r, const char *index_path, px_buf *name) {
  size_t base = strlen(index_path);
  if (ends_with(index_path, ".index"))
    base -= 6;
  int rc = 0;
  px_buf_clear(name);
  if ((rc = px_buf_put(name, index_path, base)) < 0 ||
      (rc = px_buf_puts(name, ".dict.dz")) < 0)
    return rc;
  int dz = file_exists(name->ptr);
  if (!dz) {
    name->len -= 3;
    name->ptr[name->len] = '\0';
    if (!file_exists(name->ptr))
      return px_error_set(PX_EIO, PX_ERRCLASS_OS, ENOENT,
                          "%s: no %.*s.dict.dz or .dict beside it", index_path,
                          (int)base, index_path);
  }
  r->path = name->ptr;
  if ((rc = px_file__read(&r->raw, &r->rawlen, name->ptr, LEX_MAX_FILE,
                          PX_ERRCLASS_LEXICON)) < 0)
    return rc;
  if (dz)
    return dz_open(r);
  r->body = r->raw;
  r->bodylen = r->rawlen;
  return 0;
}

/* ---- dictd: the index --------------------------------------------------- */

static int b64_value(const char *s, size_t n, size_t *out) {
  size_t v = 0;
  if (n == 0 || n > 10)
    return -1;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    unsigned d;
    if (c >= 'A' && c <= 'Z')
      d = (unsigned)(c - 'A');
    else if (c >= 'a' && c <= 'z')
      d = (unsigned)(c - 'a') + 26;
    else if (c >= '0' && c <= '9')
      d = (unsigned)(c - '0') + 52;
    else if (c == '+')
      d = 62;
    else if (c == '/')
      d = 63;
    else
      return -1;
    v = v * 64 + d;
  }
  *out = v;
  return 0;
}

typedef struct idx_rec {
  const char *hw;
  size_t hwlen, off, len, line;
} idx_rec;

static int idx_cmp(const void *a, const void *b) {
  const idx_rec *x = a, *y = b;
  if (x->off != y->off)
    return x->off < y->off ? -1 : 1;
  return x->line < y->line ? -1 : x->line > y->line;
}

/* ---- dictd: definition bodies ------------------------------------------- */

static int starts_with(const char *s, size_t n, const char *pre) {
  size_t m = strlen(pre);
  return n >= m && memcmp(s, pre, m) == 0;
}

int px_lexicon__dictd_items(const char *body, size_t len, int wikdict,
                            int (*cb)(const char *s, size_t n, unsigned rank,
                                      void *payload),
                            void *payload) {
  const char *p = body, *end = body + len;
  unsigned rank = 0;
  int first = 1;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *next = nl ? nl + 1 : end;
    const char *s = p;
    p = next;
    if (first) { /* the headword line: "word /pron/ <pos>" */
      first = 0;
      /* Affixes ("-bar <suffix>") are not words a sentence contains. */
      for (const char *q = s; q + 7 <= le; q++)
        if (*q == '<' &&
            (memcmp(q, "<suffix", 7) == 0 || memcmp(q, "<prefix", 7) == 0))
          return 0;
      continue;
    }
    size_t indent = 0;
    while (s < le && (*s == ' ' || *s == '\t')) {
      s++;
      indent++;
    }
    size_t n = (size_t)(le - s);
    if (n == 0)
      continue;
    /* Examples, notes and cross-references are not translations. */
    if (indent >= 3 || *s == '"' || *s == '{' || starts_with(s, n, "see:") ||
        starts_with(s, n, "See:") || starts_with(s, n, "Note:") ||
        starts_with(s, n, "Synonym") || starts_with(s, n, "Antonym") ||
        starts_with(s, n, "Syn:") || starts_with(s, n, "Example") ||
        starts_with(s, n, "Usage") || starts_with(s, n, "Notes:"))
      continue;
    /* A sense number: "2. word". */
    size_t d = 0;
    while (d < n && s[d] >= '0' && s[d] <= '9')
      d++;
    if (d > 0 && d + 1 < n && s[d] == '.' && s[d + 1] == ' ') {
      s += d + 2;
      n -= d + 2;
    } else if (d > 0 && d + 1 == n && s[d] == '.') {
      continue; /* a bare sense marker line */
    }
    /* WikDict puts the next sense's number at the end of a line. */
    if (wikdict) {
      size_t e = n;
      while (e > 0 && s[e - 1] == '.')
        e--;
      size_t k = e;
      while (k > 0 && s[k - 1] >= '0' && s[k - 1] <= '9')
        k--;
      if (k < e && e < n && k > 0 && s[k - 1] == ' ')
        n = k - 1;
    }
    /* A translation ends at the first sentence break; what follows is
     * commentary ("ölmek üzere. anfractuosity ..."). */
    for (size_t i = 0; i + 1 < n; i++)
      if (s[i] == '.' && s[i + 1] == ' ') {
        n = i;
        break;
      }
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
      n--;
    if (n > 0) {
      int rc = cb(s, n, rank, payload);
      if (rc)
        return rc;
      rank++;
    }
    /* WikDict: one translation line, then a gloss in the source language. */
    if (wikdict)
      break;
  }
  return 0;
}

/* ---- dictd: the pairs of a whole dictionary ------------------------------
 *
 * A cache (below) holds what parsing a dictionary gives, before any
 * restriction: the add_pair() calls, in order, with their strings
 * interned.  Replaying them through add_pair() builds the same lexicon as
 * the parse, entry for entry, restricted or not. */

typedef struct lex_pair {
  uint32_t s, t; /* string ids */
  float w;
} lex_pair;

typedef struct pair_rec {
  char *blob; /* the strings, each NUL-terminated */
  size_t bloblen, blobcap;
  uint32_t *offs; /* offs[i]: start of string i; nstr + 1 of them */
  size_t nstr, offcap;
  uint32_t *tab; /* open addressing over ids + 1, 0 empty */
  size_t tabcap;
  lex_pair *pairs;
  size_t npairs, paircap;
} pair_rec;

static void rec_free(pair_rec *r) {
  px_free(r->blob);
  px_free(r->offs);
  px_free(r->tab);
  px_free(r->pairs);
  memset(r, 0, sizeof *r);
}

static int rec_intern(pair_rec *r, const char *s, size_t n, uint32_t *id) {
  if (n > LEX_MAX_WORD || r->nstr >= UINT32_MAX - 2 ||
      r->bloblen + n + 1 > UINT32_MAX)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_LEXICON, 0,
                        "lexicon: dictionary too big to cache");
  if ((r->nstr + 1) * 2 > r->tabcap) {
    size_t ncap = r->tabcap ? r->tabcap * 2 : 4096;
    uint32_t *t = px_calloc(ncap, sizeof *t);
    if (!t)
      return PX_ENOMEM;
    for (size_t i = 0; i < r->nstr; i++) {
      size_t len = r->offs[i + 1] - r->offs[i] - 1;
      size_t j = (size_t)px_text_hash(r->blob + r->offs[i], len) & (ncap - 1);
      while (t[j])
        j = (j + 1) & (ncap - 1);
      t[j] = (uint32_t)(i + 1);
    }
    px_free(r->tab);
    r->tab = t;
    r->tabcap = ncap;
  }
  size_t mask = r->tabcap - 1, j = (size_t)px_text_hash(s, n) & mask;
  while (r->tab[j]) {
    uint32_t i = r->tab[j] - 1;
    if (r->offs[i + 1] - r->offs[i] - 1 == n &&
        memcmp(r->blob + r->offs[i], s, n) == 0) {
      *id = i;
      return 0;
    }
    j = (j + 1) & mask;
  }
  int rc = 0;
  if (r->offcap < r->nstr + 2) {
    size_t ncap = r->offcap ? r->offcap * 2 : 4096;
    uint32_t *o = px_realloc(r->offs, ncap * sizeof *o);
    if (!o)
      return PX_ENOMEM;
    r->offs = o;
    r->offcap = ncap;
    if (r->nstr == 0)
      r->offs[0] = 0;
  }
  if (r->bloblen + n + 1 > r->blobcap) {
    size_t ncap = r->blobcap ? r->blobcap * 2 : (size_t)1 << 16;
    while (ncap < r->bloblen + n + 1)
      ncap *= 2;
    char *b = px_realloc(r->blob, ncap);
    if (!b)
      return PX_ENOMEM;
    r->blob = b;
    r->blobcap = ncap;
  }
  memcpy(r->blob + r->bloblen, s, n);
  r->blob[r->bloblen + n] = '\0';
  r->bloblen += n + 1;
  r->offs[++r->nstr] = (uint32_t)r->bloblen;
  r->tab[j] = (uint32_t)r->nstr;
  *id = (uint32_t)(r->nstr - 1);
  return rc;
}

static int rec_add(pair_rec *r, const char *s, size_t sn, const char *t,
                   size_t tn, float w) {
  lex_pair p;
  int rc = rec_intern(r, s, sn, &p.s);
  if (rc < 0 || (rc = rec_intern(r, t, tn, &p.t)) < 0)
    return rc;
  p.w = w;
  if ((rc = PX_GROW(r->pairs, r->npairs, r->paircap)) < 0)
    return rc;
  r->pairs[r->npairs++] = p;
  return 0;
}

/* The pairs, from a recorder or a cache file. */
typedef struct pair_view {
  const char *blob;
  const uint32_t *offs;
  size_t nstr;
  const lex_pair *pairs;
  size_t npairs;
} pair_view;

/* add_pair() every pair, in order, or what it amounts to.  Under a
 * restriction a source string is checked once (as add_pair() checks it)
 * and its pairs skipped when it cannot pass.
 *
 * The pairs' strings are already unique (one id per text), so a string is
 * looked up once per replay, not once per pair: its interned copy and its
 * key are remembered by id.  A string that was in the lexicon before is
 * found in the string table; a new one is copied into the arena, so each
 * text keeps one copy, as interning guarantees.  The new ones stay out of
 * the table (which a load drops at its end anyway: strs_release), except
 * in an Arabic lexicon, whose bare words (add_pair() stores "حكومة" for
 * "الحكومة") are texts with no id and go through add_norm(): they must
 * find in the table every string made so far. */
enum { RP_FULL = 1u, RP_BARE = 2u, RP_SEEN = 4u, RP_SHIFT = 3 };

/* The one copy of the cache string (s, n) of index d: remembered, else
 * the string table's, else a new one (entered in the table when keep). */
static int replay_str(px_lexicon *lx, const char **ptr, uint32_t d,
                      const char *s, size_t n, int keep, const char **out) {
  if (!ptr[d]) {
    uint64_t h = px_text_hash(s, n);
    if (keep) {
      int rc = intern(lx, s, n, h, &ptr[d]);
      if (rc < 0)
        return rc;
    } else if (!(ptr[d] = strs_lookup(lx, s, n, h)) &&
               !(ptr[d] = arena_strndup(lx, s, n))) {
      return PX_ENOMEM;
    }
  }
  *out = ptr[d];
  return 0;
}

static int replay(px_lexicon *lx, const pair_view *v, size_t *added) {
  /* per string: as a source, whether add_pair() stores it (RP_FULL) and
   * its bare Arabic form (RP_BARE); and, when a kept pair uses it, 1 + its
   * index among the strings used (bits RP_SHIFT and up) */
  uint32_t *st = px_calloc(v->nstr ? v->nstr : 1, sizeof *st);
  const char **ptr = NULL; /* by index: the interned copy, once known */
  uint32_t *key = NULL;    /* by index: 1 + its key, once known */
  if (!st)
    return PX_ENOMEM;
  size_t nused = 0, nkeys = 0, nbare = 0;
  int rc = 0;
  for (size_t i = 0; i < v->npairs && rc >= 0; i++) {
    const lex_pair *p = &v->pairs[i];
    if (!(st[p->s] & RP_SEEN)) {
      const char *s = v->blob + v->offs[p->s];
      size_t sn = v->offs[p->s + 1] - v->offs[p->s] - 1;
      int full = voc_ok(lx, s, sn);
      int bare = bare_arabic(lx, s, sn) && voc_ok(lx, s + 4, sn - 4);
      st[p->s] |= RP_SEEN | (full ? RP_FULL : 0u) | (bare ? RP_BARE : 0u);
      nkeys += full;
      nbare += bare;
    }
    if (!(st[p->s] & (RP_FULL | RP_BARE)))
      continue;
    if (nused + 2 >= (UINT32_MAX >> RP_SHIFT))
      rc = px_error_set(PX_ETOOBIG, PX_ERRCLASS_LEXICON, 0,
                        "lexicon: too many strings");
    if (!(st[p->s] >> RP_SHIFT))
      st[p->s] |= (uint32_t)++nused << RP_SHIFT;
    if (!(st[p->t] >> RP_SHIFT))
      st[p->t] |= (uint32_t)++nused << RP_SHIFT;
  }
  int keep = nbare > 0; /* bare words to come: keep the table whole */
  if (rc >= 0)
    rc = tables_reserve(lx, keep ? nused + nbare : 0, nkeys + nbare);
  if (rc >= 0 && (!(ptr = px_calloc(nused + 1, sizeof *ptr)) ||
                  !(key = px_calloc(nused + 1, sizeof *key))))
    rc = PX_ENOMEM;
  for (size_t i = 0; i < v->npairs && rc >= 0; i++) {
    const lex_pair *p = &v->pairs[i];
    uint32_t f = st[p->s];
    if (!(f & (RP_FULL | RP_BARE)))
      continue;
    const char *s = v->blob + v->offs[p->s];
    size_t sn = v->offs[p->s + 1] - v->offs[p->s] - 1;
    const char *t = v->blob + v->offs[p->t];
    size_t tn = v->offs[p->t + 1] - v->offs[p->t] - 1;
    uint32_t ds = f >> RP_SHIFT, dt = st[p->t] >> RP_SHIFT;
    if (f & RP_FULL) { /* add_norm(s, t) by ids */
      if (!key[ds]) {
        uint64_t h = px_text_hash(s, sn);
        const lex_key *k = key_find(lx, s, sn, h);
        if (!k) {
          const char *is = NULL;
          lex_key *nk = NULL;
          if ((rc = replay_str(lx, ptr, ds, s, sn, keep, &is)) < 0 ||
              (rc = key_new(lx, is, sn, h, &nk)) < 0)
            break;
          k = nk;
        }
        key[ds] = (uint32_t)(k - lx->keys) + 1;
      }
      const char *it = NULL;
      if ((rc = replay_str(lx, ptr, dt, t, tn, keep, &it)) < 0 ||
          (rc = add_entry(lx, &lx->keys[key[ds] - 1], it, p->w, added)) < 0)
        break;
    }
    if (f & RP_BARE) /* the rest of add_pair() */
      rc = add_norm(lx, s + 4, sn - 4, t, tn, p->w * 0.9f, added);
  }
  /* the string table lacks the new strings: rebuilt when next needed */
  if (!keep)
    strs_release(lx);
  px_free(ptr);
  px_free(key);
  px_free(st);
  return rc < 0 ? rc : 0;
}

typedef struct dictd_ctx {
  px_lexicon *lx;
  const char *hw;
  size_t hwlen;
  int reverse;
  size_t added;
  item_list hw_items; /* the headword cleaned once per entry */
  int hw_state;       /* 0: not yet, 1: in hw_items, -1: unusable */
  char *hw_norm;      /* the headword normalized by the pre-filter, or NULL */
  size_t hw_nn;
  struct pair_rec *rec; /* building a cache: every pair goes here instead */
} dictd_ctx;

static void dictd_next_entry(dictd_ctx *c, const char *hw, size_t hwlen) {
  items_dispose(&c->hw_items);
  px_free(c->hw_norm);
  c->hw_norm = NULL;
  c->hw = hw;
  c->hwlen = hwlen;
  c->hw_state = 0;
}

/* One translation line of an entry: pair it with the headword, which is
 * cleaned once, for the first line that needs it (a reversed big
 * dictionary would otherwise normalize each headword once per
 * translation).  Reversed, the line holds the source words: under a
 * restriction it is pre-filtered before it or the headword is cleaned. */
static int dictd_item(const char *s, size_t n, unsigned rank, void *payload) {
  dictd_ctx *c = payload;
  px_lexicon *lx = c->lx;
  float w = 0.8f / (1.0f + 0.25f * (float)(rank > 20 ? 20 : rank));
  char *snorm = NULL;
  size_t snn = 0;
  int rc = 0;
  if (c->reverse && !c->rec &&
      (rc = voc_prefilter(lx, s, n, &snorm, &snn)) <= 0)
    goto done;
  rc = 0;
  if (c->hw_state == 0) {
    int rules = c->reverse ? lx->tgt_rules : lx->src_rules;
    if (c->hw_norm) {
      rc = side_items_norm(&c->hw_items, c->hw_norm, c->hw_nn, rules,
                           LEX_DICTD_HEAD_WORDS);
      c->hw_norm = NULL;
    } else {
      rc = side_items(&c->hw_items, c->hw, c->hwlen, rules,
                      LEX_DICTD_HEAD_WORDS);
    }
    /* a source headword outside a restricted vocabulary: skip the entry
     * before its translations are cleaned */
    if (rc >= 0 && !c->reverse && !c->rec)
      items_restrict(lx, &c->hw_items);
    c->hw_state = rc < 0 || !c->hw_items.count ? -1 : 1;
  }
  item_list it;
  it.count = 0;
  if (rc >= 0 && c->hw_state == 1) {
    int rules = c->reverse ? lx->src_rules : lx->tgt_rules;
    if (snorm) {
      rc = side_items_norm(&it, snorm, snn, rules, LEX_DICTD_WORDS);
      snorm = NULL;
    } else {
      rc = side_items(&it, s, n, rules, LEX_DICTD_WORDS);
    }
  }
  for (size_t i = 0; rc >= 0 && i < c->hw_items.count; i++)
    for (size_t j = 0; rc >= 0 && j < it.count; j++) {
      const char *ps = c->reverse ? it.s[j] : c->hw_items.s[i];
      const char *pt = c->reverse ? c->hw_items.s[i] : it.s[j];
      size_t psn = c->reverse ? it.n[j] : c->hw_items.n[i];
      size_t ptn = c->reverse ? c->hw_items.n[i] : it.n[j];
      rc = c->rec ? rec_add(c->rec, ps, psn, pt, ptn, w)
                  : add_pair(lx, ps, psn, pt, ptn, w, &c->added);
    }
  items_dispose(&it);
done:
  px_free(snorm);
  /* A definition that is not text (a bad byte in one entry of a big
   * dictionary) costs that entry, not the dictionary. */
  if (rc == PX_EENCODING || rc == PX_EUNICODE)
    rc = 0;
  return rc < 0 ? rc : 0;
}

static int has_wikdict(const char *s, size_t n) {
  for (size_t i = 0; i + 7 <= n; i++)
    if ((s[i] == 'W' || s[i] == 'w') && memcmp(s + i + 1, "ikDict", 6) == 0)
      return 1;
  return 0;
}

/* Parse a dictd dictionary: its pairs go into lx (pre-filtered under a
 * restriction) or, with rec, all of them into rec.  *records counts the
 * headwords read, *added the entries lx gained. */
static int dictd_parse(px_lexicon *lx, const char *index_path, int reverse,
                       struct pair_rec *rec, size_t *records_out,
                       size_t *added_out) {
  char *idx = NULL;
  size_t idxlen = 0, nrec = 0, caprec = 0, records = 0;
  idx_rec *recs = NULL;
  dict_reader r;
  memset(&r, 0, sizeof r);
  px_buf name, tmp;
  px_buf_init(&name, 4096);
  px_buf_init(&tmp, LEX_MAX_DICT);
  dictd_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.lx = lx;
  ctx.reverse = reverse;
  ctx.rec = rec;
  int wikdict = 0;
  int rc = px_file__read(&idx, &idxlen, index_path, LEX_MAX_FILE,
                         PX_ERRCLASS_LEXICON);
  if (rc < 0)
    goto done;
  /* Parse every line first, so a malformed index fails before anything
   * is added, and the body is then read in offset order (one inflate per
   * dictzip chunk). */
  const char *p = idx, *end = idx + idxlen;
  size_t lineno = 0;
  while (p < end) {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *le = nl ? nl : end;
    const char *next = nl ? nl + 1 : end;
    lineno++;
    if (le > p && le[-1] == '\r')
      le--;
    if (le == p) {
      p = next;
      continue;
    }
    size_t bad = 0;
    if (px_text_validate(p, (size_t)(le - p), &bad) < 0) {
      rc = px_error_set(PX_EENCODING, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu:%zu: invalid UTF-8", index_path, lineno,
                        bad + 1);
      goto done;
    }
    const char *t1 = memchr(p, '\t', (size_t)(le - p));
    const char *t2 = t1 ? memchr(t1 + 1, '\t', (size_t)(le - t1 - 1)) : NULL;
    const char *t3 = t2 ? memchr(t2 + 1, '\t', (size_t)(le - t2 - 1)) : NULL;
    if (!t3)
      t3 = le;
    size_t off = 0, len = 0;
    if (!t1 || !t2) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu: expected headword<TAB>offset<TAB>length",
                        index_path, lineno);
      goto done;
    }
    if (b64_value(t1 + 1, (size_t)(t2 - t1 - 1), &off) < 0 ||
        b64_value(t2 + 1, (size_t)(t3 - t2 - 1), &len) < 0) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu: offset or length is not dictd base64",
                        index_path, lineno);
      goto done;
    }
    if ((rc = PX_GROW(recs, nrec, caprec)) < 0)
      goto done;
    recs[nrec].hw = p;
    recs[nrec].hwlen = (size_t)(t1 - p);
    recs[nrec].off = off;
    recs[nrec].len = len;
    recs[nrec].line = lineno;
    nrec++;
    p = next;
  }
  if ((rc = dict_open(&r, index_path, &name)) < 0)
    goto done;
  if (nrec > 1)
    qsort(recs, nrec, sizeof *recs, idx_cmp);
  /* Every entry inside the body, checked before anything is added. */
  for (size_t i = 0; i < nrec; i++)
    if (recs[i].off > r.bodylen || recs[i].len > r.bodylen - recs[i].off) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_LEXICON, 0,
                        "%s:%zu: entry at bytes %zu+%zu is past the end of "
                        "%s (%zu bytes)",
                        index_path, recs[i].line, recs[i].off, recs[i].len,
                        r.path, r.bodylen);
      goto done;
    }
  /* The database's own description says whether it is WikDict-made. */
  for (size_t i = 0; i < nrec; i++)
    if (starts_with(recs[i].hw, recs[i].hwlen, "00database") ||
        starts_with(recs[i].hw, recs[i].hwlen, "00-database")) {
      const char *body = NULL;
      if ((rc = dict_get(&r, recs[i].off, recs[i].len, &tmp, &body)) < 0)
        goto done;
      wikdict |= has_wikdict(body, recs[i].len);
    }
  for (size_t i = 0; i < nrec; i++) {
    const idx_rec *e = &recs[i];
    /* FreeDict has entries whose headword is empty in the index (the
     * headword was all punctuation): nothing to match, skip. */
    if (e->hwlen == 0 || starts_with(e->hw, e->hwlen, "00database") ||
        starts_with(e->hw, e->hwlen, "00-database"))
      continue;
    /* A source headword that cannot pass the restriction: its body is
     * neither inflated nor read (a headword that is not text gives no
     * entry either way). */
    char *hn = NULL;
    size_t hnn = 0;
    int may =
        reverse || rec ? 1 : voc_prefilter(lx, e->hw, e->hwlen, &hn, &hnn);
    if (may == PX_EENCODING || may == PX_EUNICODE)
      may = 0;
    if (may < 0) {
      rc = may;
      px_error_prefix("%s:%zu", index_path, e->line);
      goto done;
    }
    if (!may) {
      records++;
      continue;
    }
    const char *body = NULL;
    if ((rc = dict_get(&r, e->off, e->len, &tmp, &body)) < 0) {
      px_free(hn);
      px_error_prefix("%s:%zu", index_path, e->line);
      goto done;
    }
    dictd_next_entry(&ctx, e->hw, e->hwlen);
    ctx.hw_norm = hn;
    ctx.hw_nn = hnn;
    rc = px_lexicon__dictd_items(body, e->len, wikdict, dictd_item, &ctx);
    if (rc < 0) {
      px_error_prefix("%s:%zu", index_path, e->line);
      goto done;
    }
    records++;
  }
  *records_out = records;
  *added_out = ctx.added;
done:
  items_dispose(&ctx.hw_items);
  px_free(ctx.hw_norm);
  dict_close(&r);
  px_buf_dispose(&name);
  px_buf_dispose(&tmp);
  px_free(recs);
  px_free(idx);
  return rc;
}

/* ---- dictd: the cache ------------------------------------------------------
 *
 * Parsing a big FreeDict dictionary (inflating it, normalizing and
 * cleaning every line) takes a few tenths of a second, and `parallax
 * align` pays it in every process even when it keeps a few thousand
 * entries.  So the pairs a parse gives (pair_rec above, before any
 * restriction) are kept in a cache file, one per dictionary and direction:
 * $PARALLAX_CACHE_DIR (empty: no cache), else $XDG_CACHE_HOME/parallax,
 * else $HOME/.cache/parallax.  A load replays the file instead of parsing
 * when it still describes the dictionary: the same index and body (path,
 * device, inode, size, modification time), direction and cleaning rules,
 * and the same cleaning code (a version number, and a fingerprint: what
 * normalization and cleaning make of a set of probe lines, so a changed
 * ICU or cleaning rule rebuilds it).  Anything else (missing, stale,
 * truncated, corrupt: a checksum, every offset and every id are checked)
 * is ignored: the dictionary is parsed and the file rewritten (to a
 * temporary name, then renamed, so concurrent processes never read a
 * partial file).  A cache that cannot be written costs nothing but the
 * next load's time.  Dictionaries smaller than LEX_CACHE_MIN bytes are
 * parsed every time.
 *
 * Whoever changes how entries are cleaned in a way the probes below may
 * not show bumps LEX_CACHE_VERSION, so old caches are not replayed. */

#define LEX_CACHE_VERSION 1u
#define LEX_CACHE_MIN ((size_t)256 * 1024)

static size_t cache_min = LEX_CACHE_MIN;

void px_lexicon__set_cache_min(size_t bytes) { cache_min = bytes; }

typedef struct cache_hdr {
  char magic[8]; /* "PXLEXC" 0 0 */
  uint32_t version, endian;
  uint64_t fingerprint;
  uint64_t idx_dev, idx_ino, idx_size, idx_mtime;
  uint64_t body_dev, body_ino, body_size, body_mtime;
  uint32_t reverse, hw_rules, tr_rules, path_len;
  uint64_t records, nstr, bloblen, npairs;
  uint32_t sum, pad; /* adler32 of everything after the header */
} cache_hdr;

static const char cache_magic[8] = {'P', 'X', 'L', 'E', 'X', 'C', 0, 0};

/* What normalization and cleaning make of probe text, hashed: the cache's
 * check that it was written by code that cleans as this code does. */
static uint64_t fingerprint;
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;

static uint64_t mix(uint64_t h, const void *p, size_t n) {
  const unsigned char *u = p;
  for (size_t i = 0; i < n; i++) {
    h ^= u[i];
    h *= UINT64_C(1099511628211);
  }
  return h;
}

static int fingerprint_item(const char *s, size_t n, unsigned rank,
                            void *payload) {
  uint64_t *h = payload;
  *h = mix(*h, s, n);
  *h = mix(*h, &rank, sizeof rank);
  return 0;
}

static void fingerprint_init(void) {
  static const char *const probe[] = {
      "(informal) guy, fellow; chap",
      "to go",
      "the State [pol.]",
      "l'\xc3\x89tat, s'agir, d'accord",
      "\xc4\xb0stanbul'da \xc4\xb1RAK \xc5\x9e\xc3\xbc\xc3\xa7",
      "der Krieg; sich streiten; ein Haus",
      "le camp, la paix, les gens, une fois",
      "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9\xd8\x8c "
      "\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa8 \xd8\xa6\xd8\xa3\xd8\xa5\xd8\xa2 "
      "\xd9\x8e\xd9\x80\xd9\x8f",
      "\xd9\x85\xdb\x8c\xe2\x80\x8c\xd8\xb4\xd9\x88\xd8\xaf \xd8\xa8\xda\xbe"
      "\xdb\x8c \xdb\x81 \xdb\x83",
      "\xd9\xa3\xd9\xa4 \xdb\xb5\xdb\xb6 12,5",
      "government <n>Gov.",
      "1,2-butanediol",
      "sb's sth. o.s. jdn. etw. qn",
      "/\xc9\xa1\xcb\x88o\xcb\x90"
      "f/ goof",
      "\xc3\xa9 \xc3\xaa \xc3\x84 \xc3\x9f \xef\xac\x81",
      "\xd0\xb2\xd0\xbe\xd0\xb8\xcc\x86\xd0\xbd\xd0\xb0 \xd1\x91\xd0\xb6",
      "\xc2\xa0x\ty  -z- *w* \"q\"",
  };
  static const char body[] =
      "war /w/ <n>\n1. guerre\n2. (mil.) conflit\n   \"exemple\"\n"
      "see: battle\nNote: x\n3. lutte. commentary here\n  4\n";
  uint64_t h = mix(UINT64_C(14695981039346656037), "lexicon", 7);
  uint32_t v = LEX_CACHE_VERSION;
  h = mix(h, &v, sizeof v);
  for (size_t i = 0; i < sizeof probe / sizeof probe[0]; i++)
    for (int rules = LANG_RULES_NONE; rules <= LANG_RULES_AR; rules++) {
      item_list l;
      l.count = 0;
      int rc = side_items(&l, probe[i], strlen(probe[i]), rules, 3);
      h = mix(h, &rc, sizeof rc);
      for (size_t k = 0; k < l.count; k++)
        h = mix(h, l.s[k], l.n[k] + 1);
      items_dispose(&l);
    }
  for (int wik = 0; wik < 2; wik++)
    px_lexicon__dictd_items(body, sizeof body - 1, wik, fingerprint_item, &h);
  fingerprint = h;
}

/* The directory of the cache into dir; 0 when there is none. */
static int cache_dir(char *dir, size_t cap) {
  const char *d = getenv("PARALLAX_CACHE_DIR");
  int w = -1;
  if (d)
    w = d[0] ? snprintf(dir, cap, "%s", d) : -1;
  else if ((d = getenv("XDG_CACHE_HOME")) && d[0] == '/')
    w = snprintf(dir, cap, "%s/parallax", d);
  else if ((d = getenv("HOME")) && d[0] == '/')
    w = snprintf(dir, cap, "%s/.cache/parallax", d);
  return w > 0 && (size_t)w < cap;
}

/* Where the cache for this dictionary and direction lives and what it must
 * say to be used.  0 when there is to be no cache (no directory, a file
 * missing, a small dictionary). */
static int cache_prepare(const px_lexicon *lx, const char *index_path,
                         int reverse, cache_hdr *h, char *path, size_t cap) {
  char dir[4096], body[4096 + 16];
  struct stat si, sb;
  size_t n = strlen(index_path), base = n;
  if (ends_with(index_path, ".index"))
    base -= 6;
  if (n >= 4096 || !cache_dir(dir, sizeof dir) || stat(index_path, &si) != 0 ||
      !S_ISREG(si.st_mode))
    return 0;
  snprintf(body, sizeof body, "%.*s.dict.dz", (int)base, index_path);
  if (stat(body, &sb) != 0 || !S_ISREG(sb.st_mode)) {
    snprintf(body, sizeof body, "%.*s.dict", (int)base, index_path);
    if (stat(body, &sb) != 0 || !S_ISREG(sb.st_mode))
      return 0;
  }
  if ((size_t)si.st_size + (size_t)sb.st_size < cache_min)
    return 0;
  pthread_once(&fingerprint_once, fingerprint_init);
  memset(h, 0, sizeof *h);
  memcpy(h->magic, cache_magic, sizeof h->magic);
  h->version = LEX_CACHE_VERSION;
  h->endian = 0x01020304u;
  h->fingerprint = fingerprint;
  h->idx_dev = (uint64_t)si.st_dev;
  h->idx_ino = (uint64_t)si.st_ino;
  h->idx_size = (uint64_t)si.st_size;
  h->idx_mtime =
      (uint64_t)si.st_mtim.tv_sec * 1000000000u + (uint64_t)si.st_mtim.tv_nsec;
  h->body_dev = (uint64_t)sb.st_dev;
  h->body_ino = (uint64_t)sb.st_ino;
  h->body_size = (uint64_t)sb.st_size;
  h->body_mtime =
      (uint64_t)sb.st_mtim.tv_sec * 1000000000u + (uint64_t)sb.st_mtim.tv_nsec;
  h->reverse = (uint32_t)reverse;
  h->hw_rules = (uint32_t)(reverse ? lx->tgt_rules : lx->src_rules);
  h->tr_rules = (uint32_t)(reverse ? lx->src_rules : lx->tgt_rules);
  h->path_len = (uint32_t)n;
  uint64_t key = mix(h->fingerprint, index_path, n);
  key = mix(key, &h->reverse, 3 * sizeof h->reverse);
  int w = snprintf(path, cap, "%s/lexicon-%016llx.bin", dir,
                   (unsigned long long)key);
  return w > 0 && (size_t)w < cap;
}

/* The pairs of a cache file that matches want (its index path after the
 * header), or 0 when it does not or is damaged. */
static int cache_view(const char *data, size_t len, const cache_hdr *want,
                      const char *index_path, pair_view *v, size_t *records) {
  cache_hdr h;
  if (len < sizeof h)
    return 0;
  memcpy(&h, data, sizeof h);
  /* everything up to the counts must be as expected */
  if (memcmp(&h, want, offsetof(cache_hdr, records)) != 0)
    return 0;
  size_t pl = (h.path_len + 7u) & ~(size_t)7u;
  if (h.nstr >= UINT32_MAX || h.npairs > len || h.bloblen > len)
    return 0;
  size_t need = sizeof h + pl + 4 * ((size_t)h.nstr + 1) +
                sizeof(lex_pair) * (size_t)h.npairs + (size_t)h.bloblen;
  if (need != len || memcmp(data + sizeof h, index_path, h.path_len) != 0 ||
      h.pad != 0)
    return 0;
  /* a flipped bit in a string would otherwise go unnoticed */
  uLong sum = adler32(0L, Z_NULL, 0);
  for (size_t off = sizeof h; off < len;) {
    size_t take = len - off < ((size_t)1 << 30) ? len - off : (size_t)1 << 30;
    sum = adler32(sum, (const Bytef *)data + off, (uInt)take);
    off += take;
  }
  if ((uint32_t)sum != h.sum)
    return 0;
  const char *p = data + sizeof h + pl;
  v->offs = (const uint32_t *)(const void *)p;
  v->nstr = (size_t)h.nstr;
  p += 4 * (v->nstr + 1);
  v->pairs = (const lex_pair *)(const void *)p;
  v->npairs = (size_t)h.npairs;
  p += sizeof(lex_pair) * v->npairs;
  v->blob = p;
  if (v->offs[0] != 0 || v->offs[v->nstr] != h.bloblen)
    return 0;
  for (size_t i = 0; i < v->nstr; i++) {
    uint32_t a = v->offs[i], b = v->offs[i + 1];
    if (b <= a || b - a - 1 > LEX_MAX_WORD || v->blob[b - 1] != '\0')
      return 0;
  }
  for (size_t i = 0; i < v->npairs; i++)
    if (v->pairs[i].s >= v->nstr || v->pairs[i].t >= v->nstr ||
        !(v->pairs[i].w > 0.0f && v->pairs[i].w <= 1.0f))
      return 0;
  *records = (size_t)h.records;
  return 1;
}

static int write_all(FILE *f, const void *p, size_t n) {
  return n == 0 || fwrite(p, 1, n, f) == n;
}

/* Write the recorded pairs to path (through a temporary file).  Failing
 * to is not an error: the dictionary is simply parsed next time. */
static void cache_write(const pair_rec *r, const cache_hdr *want,
                        const char *index_path, size_t records,
                        const char *path) {
  char tmp[4096 + 64], dir[4096];
  static const char zeros[8] = {0};
  /* unique per process and per call: two threads may write the same one */
  static atomic_uint serial;
  unsigned k = atomic_fetch_add(&serial, 1u);
  int w = snprintf(tmp, sizeof tmp, "%s.%ld.%u.tmp", path, (long)getpid(), k);
  if (w < 0 || (size_t)w >= sizeof tmp)
    return;
  /* the directory, and its parent (~/.cache) when missing */
  if (cache_dir(dir, sizeof dir) && mkdir(dir, 0700) != 0 && errno == ENOENT) {
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
      *slash = '\0';
      (void)mkdir(dir, 0700);
      *slash = '/';
      (void)mkdir(dir, 0700);
    }
  }
  FILE *f = fopen(tmp, "wb");
  if (!f)
    return;
  cache_hdr h = *want;
  h.records = records;
  h.nstr = r->nstr;
  h.bloblen = r->bloblen;
  h.npairs = r->npairs;
  size_t pl = (h.path_len + 7u) & ~(size_t)7u;
  uint32_t zero = 0;
  uLong sum = adler32(0L, Z_NULL, 0);
  sum = adler32(sum, (const Bytef *)index_path, h.path_len);
  sum = adler32(sum, (const Bytef *)zeros, (uInt)(pl - h.path_len));
  sum = r->nstr
            ? adler32(sum, (const Bytef *)r->offs, (uInt)(4 * (r->nstr + 1)))
            : adler32(sum, (const Bytef *)&zero, 4);
  sum = adler32(sum, (const Bytef *)r->pairs,
                (uInt)(sizeof(lex_pair) * r->npairs));
  sum = adler32(sum, (const Bytef *)r->blob, (uInt)r->bloblen);
  h.sum = (uint32_t)sum;
  int ok = write_all(f, &h, sizeof h) && write_all(f, index_path, h.path_len) &&
           write_all(f, zeros, pl - h.path_len) &&
           (r->nstr ? write_all(f, r->offs, 4 * (r->nstr + 1))
                    : write_all(f, &zero, 4)) &&
           write_all(f, r->pairs, sizeof(lex_pair) * r->npairs) &&
           write_all(f, r->blob, r->bloblen);
  if (fclose(f) != 0)
    ok = 0;
  if (!ok || rename(tmp, path) != 0)
    remove(tmp);
}

int px_lexicon_load_dictd(px_lexicon *lx, const char *index_path, int reverse) {
  PX_ASSERT_ARG(lx);
  PX_ASSERT_ARG(index_path);
  double t0 = now_seconds();
  size_t records = 0, added = 0;
  char cpath[4096 + 64];
  cache_hdr want;
  pair_rec rec;
  memset(&rec, 0, sizeof rec);
  int rc = 0, cached = cache_prepare(lx, index_path, reverse, &want, cpath,
                                     sizeof cpath);
  if (cached) {
    /* mapped, not read: most of it is looked at once */
    int fd = open(cpath, O_RDONLY | O_CLOEXEC);
    struct stat st;
    void *map = MAP_FAILED;
    size_t len = 0;
    if (fd >= 0 && fstat(fd, &st) == 0 && st.st_size > 0 &&
        (uint64_t)st.st_size <= LEX_MAX_FILE) {
      len = (size_t)st.st_size;
#ifdef MAP_POPULATE
      /* one fault for the lot instead of one per page */
      map = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
#else
      map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
#endif
    }
    if (fd >= 0)
      close(fd);
    pair_view v;
    /* a missing or damaged cache is not an error: parse */
    if (map != MAP_FAILED &&
        cache_view(map, len, &want, index_path, &v, &records)) {
      rc = replay(lx, &v, &added);
      munmap(map, len);
      goto loaded;
    }
    if (map != MAP_FAILED)
      munmap(map, len);
  }
  rc = dictd_parse(lx, index_path, reverse, cached ? &rec : NULL, &records,
                   &added);
  if (rc >= 0 && cached) {
    cache_write(&rec, &want, index_path, records, cpath);
    pair_view v = {rec.blob, rec.offs, rec.nstr, rec.pairs, rec.npairs};
    if (!rec.nstr) {
      static const uint32_t zero = 0;
      v.offs = &zero;
    }
    rc = replay(lx, &v, &added);
  }
loaded:
  if (rc >= 0) {
    strs_release(lx);
    rc = add_source(lx, index_path, "dictd", reverse, records, added,
                    now_seconds() - t0);
  }
  rec_free(&rec);
  return rc;
}

/* ---- what is installed -------------------------------------------------- */

const char *px_lexicon__iso639_3(const char *lang) {
  static const char *const map[][2] = {
      {"en", "eng"}, {"ru", "rus"}, {"ar", "ara"}, {"tr", "tur"}, {"de", "deu"},
      {"fr", "fra"}, {"fa", "fas"}, {"ur", "urd"}, {"es", "spa"}, {"it", "ita"},
      {"pt", "por"}, {"nl", "nld"}, {"pl", "pol"}, {"el", "ell"}, {"sv", "swe"},
      {"cs", "ces"}, {"hu", "hun"}, {"fi", "fin"}, {"da", "dan"}, {"ja", "jpn"},
      {"zh", "zho"}, {"uk", "ukr"}, {"bg", "bul"}, {"hr", "hrv"}, {"sr", "srp"},
      {"ro", "ron"}, {"sk", "slk"}, {"sl", "slv"}, {"lt", "lit"}, {"lv", "lav"},
      {"he", "heb"}, {"hi", "hin"}, {"ko", "kor"}, {"id", "ind"}, {"ms", "msa"},
      {"no", "nor"}, {"nb", "nob"}, {"is", "isl"}, {"ga", "gle"}, {"la", "lat"},
      {"eo", "epo"}, {"ca", "cat"}, {"eu", "eus"}, {"sw", "swa"}, {"th", "tha"},
      {"vi", "vie"}, {"af", "afr"}, {"ku", "kur"}, {"ps", "pus"}, {"az", "aze"},
      {"ka", "kat"}, {"hy", "hye"}};
  if (!lang)
    return NULL;
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (px_lang_is(lang, map[i][0]))
      return map[i][1];
  return NULL;
}

/* The primary subtag of a BCP-47 tag, lower case, into out. */
static void primary(char *out, size_t cap, const char *lang) {
  static const char lower[] = "abcdefghijklmnopqrstuvwxyz";
  size_t o = 0;
  for (const char *c = lang; *c && *c != '-' && *c != '_' && o + 1 < cap; c++)
    if (*c >= 'A' && *c <= 'Z')
      out[o++] = lower[*c - 'A'];
    else
      out[o++] = *c;
  out[o] = '\0';
}

static int name_cmp(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "<a>-<b>.tsv" or "<a>-<b>-<anything>.tsv" */
static int tsv_for(const char *name, const char *a, const char *b) {
  size_t na = strlen(a), nb = strlen(b), n = strlen(name);
  if (n < na + nb + 5 || !ends_with(name, ".tsv"))
    return 0;
  if (memcmp(name, a, na) != 0 || name[na] != '-' ||
      memcmp(name + na + 1, b, nb) != 0)
    return 0;
  char c = name[na + 1 + nb];
  return c == '.' ? n == na + nb + 5 : c == '-';
}

static int load_shipped_tsv(px_lexicon *lx, const char *s, const char *t) {
  char dir[4096];
  int rc = px_dict_path(dir, sizeof dir, "lexicons");
  if (rc < 0)
    return rc;
  DIR *d = opendir(dir);
  if (!d)
    return 0; /* nothing shipped: not an error */
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (!tsv_for(de->d_name, s, t) && !tsv_for(de->d_name, t, s))
      continue;
    if ((rc = PX_GROW(names, n, cap)) < 0)
      break;
    if (!(names[n] = px_strndup(de->d_name, strlen(de->d_name)))) {
      rc = PX_ENOMEM;
      break;
    }
    n++;
  }
  closedir(d);
  if (rc == 0 && n > 1)
    qsort(names, n, sizeof *names, name_cmp);
  for (size_t i = 0; i < n && rc == 0; i++) {
    char path[4096 + 256];
    int w = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (w < 0 || (size_t)w >= sizeof path)
      continue;
    rc = px_lexicon__load_tsv_dir(lx, path, !tsv_for(names[i], s, t));
  }
  for (size_t i = 0; i < n; i++)
    px_free(names[i]);
  px_free(names);
  return rc;
}

static int load_installed_dictd(px_lexicon *lx, const char *s3,
                                const char *t3) {
  const char *dir = getenv("PARALLAX_DICTD_DIR");
  if (!dir || !dir[0])
    dir = "/usr/share/dictd";
  for (int rev = 0; rev < 2; rev++) {
    char path[4096], body[4096 + 16];
    int w = snprintf(path, sizeof path, "%s/freedict-%s-%s.index", dir,
                     rev ? t3 : s3, rev ? s3 : t3);
    if (w < 0 || (size_t)w >= sizeof path || !file_exists(path))
      continue;
    /* Installed means the body is there too: an index alone (a package
     * half removed) is skipped like a missing one. */
    snprintf(body, sizeof body, "%.*s.dict.dz", w - 6, path);
    int have_body = file_exists(body);
    snprintf(body, sizeof body, "%.*s.dict", w - 6, path);
    if (!have_body && !file_exists(body))
      continue;
    int rc = px_lexicon_load_dictd(lx, path, rev);
    if (rc < 0)
      return rc;
  }
  return 0;
}

int px_lexicon_load_default(px_lexicon *lx) {
  PX_ASSERT_ARG(lx);
  char s[16], t[16];
  primary(s, sizeof s, lx->src_lang);
  primary(t, sizeof t, lx->tgt_lang);
  int rc = load_shipped_tsv(lx, s, t);
  if (rc < 0)
    return rc;
  const char *s3 = px_lexicon__iso639_3(s), *t3 = px_lexicon__iso639_3(t);
  if (s3 && t3)
    rc = load_installed_dictd(lx, s3, t3);
  return rc;
}
