/*
 * names.h: internals shared by the names module's files.
 *
 *   names.c        lexicon parsing, compilation to Hunspell .aff/.dic, the
 *                  checker (indexes, Hunspell handles, per-token verdicts)
 *   names_check.c  check sessions: documents, pairs, batch inconsistency,
 *                  fixes and learning
 *
 * The lexicon is turned into "forms": each English spelling of an entity
 * (house, also-accepted, variant, banned, former) tokenized with the text
 * module into word keys (case-folded, possessive stripped), and each
 * source-language spelling into canonical source keys.  Forms are found by
 * a phrase index keyed on their first word: a hash table from the word
 * key to the forms starting with it, longest first.
 */
#ifndef PX_NAMES_H
#define PX_NAMES_H

#include <hunspell/hunspell.h>

#include "buf.h"
#include "parallax.h"

/* What an English form of an entity is. */
enum names_form_kind {
  NF_HOUSE = 0,   /* the house spelling */
  NF_ALSO = 1,    /* accepted too: short form, full name */
  NF_FORMER = 2,  /* a former name / historical exonym: accepted */
  NF_VARIANT = 3, /* a known variant: reported, fixable */
  NF_BANNED = 4   /* a forbidden spelling: reported, fixable */
};

typedef struct names_entity {
  char *id, *type, *house;
  unsigned line; /* line in the lexicon */
} names_entity;

typedef struct names_form {
  uint32_t entity;     /* index into entities */
  uint8_t kind;        /* names_form_kind */
  uint8_t ambiguous;   /* the same words belong to another entity too */
  uint8_t lower_start; /* the form starts with a lower-case letter (al-) */
  uint8_t src_lang;    /* for source forms: 1 fa, 2 ru, 3 ar */
  uint8_t dotted;      /* written with a final full stop (P.K.K.): found
                          without it, so never fixed automatically */
  uint32_t ntok;       /* words */
  uint32_t keys;       /* index into the key pool (ntok uint64_t) */
  char *text;          /* the spelling as written in the lexicon */
  size_t text_len;
  int32_t target; /* variant/banned: index of the accepted form to use */
} names_form;

/* A hash set/map from a 64-bit key to a list of uint32 values, open
 * addressing; values live in one pool, lists are chained per key. */
typedef struct names_map {
  uint64_t *keys; /* 0 = empty slot (keys are never 0: see names__key) */
  uint32_t *head; /* first value index in vals */
  size_t cap, n;
  uint32_t *vals, *next; /* value pool and chain */
  size_t nvals, capvals;
} names_map;

int px_names__map_add(names_map *m, uint64_t key, uint32_t val);
/* First value index for key (follow next[]), or UINT32_MAX. */
uint32_t px_names__map_first(const names_map *m, uint64_t key);
int px_names__map_has(const names_map *m, uint64_t key);
void px_names__map_dispose(names_map *m);

/* Verdict on one distinct token surface, cached in the checker. */
enum names_tok_flags {
  NT_FIRST = 1u << 0,      /* some English form starts with this key */
  NT_LEXWORD = 1u << 1,    /* a word of some English form */
  NT_CAP = 1u << 2,        /* first letter upper case */
  NT_ALLCAPS = 1u << 3,    /* no lower-case letter, at least two letters */
  NT_PROPER = 1u << 4,     /* capitalised and not a lower-case English word */
  NT_UNKNOWN = 1u << 5,    /* proper and unknown to en_US and the names dic */
  NT_CLOSE_DONE = 1u << 6, /* close proposal computed */
  NT_PSTRONG = 1u << 7,    /* an Arabic name particle: al, el, bin, abu... */
  NT_PWEAK = 1u << 8       /* one only when hyphenated: as, an, at */
};

typedef struct names_tok {
  uint64_t h;    /* hash of the surface bytes (never 0) */
  uint32_t soff; /* surface in tokpool */
  uint32_t slen;
  uint32_t strip; /* bytes of a possessive suffix ('s, ’s, ') */
  uint32_t flags;
  uint64_t key;   /* word key: hash of the folded, stripped surface */
  uint64_t loose; /* hash of the loose skeleton (proper nouns), or 0 */
  int32_t close;  /* unknown-close: accepted form index, or -1 */
} names_tok;

struct px_names {
  char *lexicon_path;
  names_entity *ents;
  size_t nents, capents;
  names_form *forms; /* English forms, then source forms */
  size_t nforms, capforms;
  uint64_t *keypool;
  size_t nkeys, capkeys;
  names_map first_en; /* first word key -> English forms */
  names_map words_en; /* every word key of English forms */
  names_map loose_en; /* loose skeleton of the proper-name words of
                         accepted forms -> index into lexwords */
  struct names_lexword {
    uint32_t form;     /* the accepted form it is a word of */
    uint32_t off, len; /* the word inside the form's text */
  } * lexwords;
  size_t nlexwords, caplexwords;
  names_map first_src; /* first canonical source key -> source forms */
  Hunhandle *hs_names; /* the compiled names dictionary */
  Hunhandle *hs_en;    /* en_US, adjusted */
  double close_thr;
  /* the token verdict cache */
  names_tok *toks;
  size_t tokcap, ntoks;
  px_buf tokpool;
  names_tok scratch; /* the verdict when the cache is full */
  char *tmpdir;      /* a dictionary compiled on the fly, removed at free */
};

/* Key of a word: hash of its bytes, never 0. */
uint64_t px_names__key(const char *s, size_t len);
/* Fold a word to its key text (lower case, marks removed, possessive not
 * handled here).  *out is scratch owned by the caller (px_buf). */
int px_names__fold(px_buf *out, const char *s, size_t len);
/* Bytes of a trailing possessive ('s, ’s, or ' after s) of a word. */
size_t px_names__possessive(const char *s, size_t len);
/* The verdict for one token surface (cached). */
int px_names__tok(const names_tok **out, px_names *n, const char *s,
                  size_t len);
/* Loose skeleton hash of a Latin word (romanize, skeleton, merge look-alike
 * letters); 0 when it has fewer than two letters. */
int px_names__loose(uint64_t *out, char **text_out, const char *s, size_t len,
                    const char *lang);
/* Canonical key of a source-language token and its alternatives (clitics
 * stripped); writes up to 4 keys, returns the count (or negative). */
int px_names__src_keys(uint64_t keys[4], const char *s, size_t len, int lang);
/* 1 when two folded Latin spellings are different names whatever their
 * similarity: lengths apart by more than two, or a Persian/Arabic -i
 * (nisba) ending on one only (Abdollahi / Abdullah, Karimi / Karim). */
int px_names__other_name(const char *a, size_t al, const char *b, size_t bl);
/* 1 fa, 2 ru, 3 ar, 0 other. */
int px_names__lang_code(const char *lang);

#endif
