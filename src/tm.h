/*
 * tm.h: translation-memory internals shared by tm.c (store, transactions,
 * indexes), tm_rec.c (the unit record codec), lookup.c (exact / fuzzy /
 * context scoring) and concord.c (concordance).  The key layout these
 * files agree on is documented in tm/SCHEMA.md; change both together and
 * bump PX_TM_SCHEMA_VERSION.
 */
#ifndef PX_TM_H
#define PX_TM_H

#include <lmdb.h>

#include "buf.h"
#include "parallax.h"

/* Longest language tag we store, and the index-key prefix (the primary
 * subtag, lower case) is at most this long too. */
#define PX_TM__LANG_MAX 35
/* Index terms longer than this are cut (at a character boundary). */
#define PX_TM__TERM_MAX 96
/* Word-index values: 1 byte core-token count (capped) + 4 byte id. */
#define PX_TM__POSTING 5

struct px_tm {
  MDB_env *env;
  MDB_dbi meta, units, exact, words, docs;
  MDB_dbi wdelta; /* postings of bulk loads not yet merged into words */
  int has_wdelta; /* 0: a schema-1 store opened read-only (no wdelta) */
  int bulk;       /* px_tm__bulk(): commits add runs, merged in chunks */
  unsigned long map_lo, map_hi; /* where LMDB's map is (drop_mapped_pages) */
  size_t map_seen;              /* the map size when it was found */
  size_t drop_tick, drop_base;  /* maybe_drop(): calls, and resident
                                   file pages after the last drop */
  unsigned flags;
  size_t max_map;
  char *path;
  px_tm_txn *txn;   /* the open write transaction, if any */
  px_tm_txn *spare; /* the last one, ended: its buffers are reused */
  MDB_txn *rtxn;    /* a reset read transaction kept for reuse */
  int rtxn_live;    /* rtxn is currently active (between begin and end) */
  /* bulk loads: a Bloom filter of the `exact` keys, so that a unit
   * whose variants are all new is not looked up in the index (tm.c,
   * "the exact-key filter"); NULL when not built or stale */
  uint64_t *xf;
  size_t xf_blocks; /* 512-bit blocks, a power of two */
  size_t xf_n;      /* keys added */
  size_t xf_cap;    /* keys it was sized for: past them, it is rebuilt */
  size_t xf_txn;    /* the last transaction it is true for */
  /* bulk loads: per run of wdelta this handle wrote, a Bloom filter of
   * the exact keys in it (tm.c, "exact keys in runs"); xruns_all: the
   * list has every pending run, so a key no filter has is in no run */
  struct px_tm__xrun *xruns;
  size_t nxruns, cap_xruns;
  int xruns_all;
};

/* A decoded record: the public unit first (so a px_unit * from the codec
 * is freed with px_unit_free()), plus what only the store needs. */
typedef struct px_tm__rec {
  px_unit u;
  const char **docs; /* every document the unit came from (doc_id last) */
  size_t ndocs;
} px_tm__rec;

/* ---- record codec (tm_rec.c) ------------------------------------------ */
/* Encode u (and the document list) into b (cleared first).  Validates the
 * limits of parallax.h; PX_ETOOBIG / PX_EINVALID name the field. */
int px_tm__rec_encode(px_buf *b, const px_unit *u, const char *const *docs,
                      size_t ndocs);
/* Decode a record into one allocation (free with px_unit_free()).  Every
 * length is bounds-checked: a truncated or corrupt record gives PX_ESTORE
 * naming id and byte offset, never a crash. */
int px_tm__rec_decode(px_tm__rec **out, const void *data, size_t len,
                      uint64_t id);
/* Without decoding the whole record: the text of the variant whose tag
 * equals lang (or whose primary subtag equals lang's when no tag equals).
 * Pointers point into data.  PX_ENOTFOUND if none; PX_ESTORE if corrupt. */
int px_tm__rec_peek_text(const char **text, size_t *len, const void *data,
                         size_t dlen, const char *lang);

/* ---- lookup helpers (lookup.c) ----------------------------------------- */
/* Refuse a query or phrase over PX_TM_MAX_TEXT (PX_ETOOBIG) or not UTF-8
 * (PX_EENCODING with the byte offset); what names it in the message. */
int px_tm__check_text(const char *s, size_t len, const char *what);

/* ---- store helpers (tm.c) ---------------------------------------------- */
/* A read transaction on the committed state (reusing tm->rtxn); end with
 * px_tm__read_end(). */
int px_tm__read_begin(px_tm *tm, MDB_txn **out);
void px_tm__read_end(px_tm *tm, MDB_txn *txn);
/* Translate an MDB_ return code: PX_ENOTFOUND for MDB_NOTFOUND, else
 * PX_ESTORE naming what was being done. */
int px_tm__mdb_error(int rc, const char *what);
/* The primary subtag of lang, lower case, into out (size > LANG_MAX). */
int px_tm__lang_key(char *out, size_t n, const char *lang);
/* The full tag lower case with '_' as '-'; PX_EINVALID if not a tag. */
int px_tm__lang_norm(char *out, size_t n, const char *lang);
/* The key-normalized text used for the word index and scoring:
 * NFC, fold, marks removed, digits ASCII, spaces collapsed; inline-code
 * markers removed when has_codes. */
int px_tm__keytext(char **out, size_t *out_len, const char *s, size_t len,
                   int has_codes);
/* The key form of a text, its tokens and its exact-index hash. */
typedef struct px_tm__keyed {
  char *kt; /* px_tm__keytext() */
  size_t ktlen;
  px_token *toks; /* tokens of kt (language of the variant) */
  size_t ntok;
  uint64_t xhash; /* px_tm__exact_hash_tokens() */
} px_tm__keyed;
int px_tm__keyed_make(px_tm__keyed *k, const char *s, size_t len, int has_codes,
                      const char *langkey);
void px_tm__keyed_dispose(px_tm__keyed *k);

/* ---- adding in two steps (the importer's pipeline) --------------------- */
/* A unit copied, validated, normalized and keyed ahead of its transaction:
 * the part of px_tm_add() that needs no store, so another thread can do
 * it while the writer writes. */
typedef struct px_tm__prepared px_tm__prepared;
/* Copy u (any thread; u is borrowed for the call only) and, when full,
 * prepare it too; otherwise px_tm__prepare_finish() or
 * px_tm__add_prepared() does that on the thread that calls them (the
 * importer shares the work between its threads that way).  Errors: those
 * px_tm_add() gives for a refused unit (PX_EINVALID, PX_EENCODING,
 * PX_ETOOBIG), PX_ENOMEM.  *out: free with px_tm__prepared_free(). */
int px_tm__prepare(px_tm__prepared **out, const px_unit *u, int full);
int px_tm__prepare_finish(px_tm__prepared *p);
/* px_tm_add() of a prepared unit (the writer's thread); p stays the
 * caller's.  Same results and errors as px_tm_add(). */
int px_tm__add_prepared(px_tm_txn *x, px_tm__prepared *p, uint64_t *id_out,
                        int *was_new);
void px_tm__prepared_free(px_tm__prepared *p);

/* ---- bulk loading ------------------------------------------------------- */
/* Bulk mode on (1) or off (0) for tm's write transactions.  On, each
 * commit writes its word postings as a new run in `wdelta` (appended,
 * touching no page of `words`), and once there are PX_TM__MERGE_RUNS runs
 * or PX_TM__MERGE_BYTES of them they are merged into `words` in chunks of
 * their own transactions; fuzzy and concordance lookups of other
 * processes see units as of the last merge.  Off (the default) commits
 * merge any pending runs.  The importer turns it on and calls
 * px_tm__merge() at the end.  Bulk commits skip the sync of the meta page
 * (MDB_NOMETASYNC: integrity kept, a system crash may undo the last
 * commit); turning bulk off syncs.  0 or PX_ESTORE.  In bulk mode a
 * Bloom filter of the exact keys spares the lookups of new variants
 * (tm.c, "the exact-key filter"); off frees it. */
int px_tm__bulk(px_tm *tm, int on);
/* The fewest keys the exact-key filter is sized for (2^18; tests lower
 * it to make it grow). */
extern size_t px_tm__xf_min_keys;
/* Unit ids under exact key kb[0..kl) (language key, NUL, 8-byte hash) in
 * the runs of wdelta that t sees (exact keys not merged into `exact` yet),
 * to fn(arg, id) until it returns non-zero, which is returned.  filters:
 * the writing handle's own transactions may skip the runs its filters rule
 * out.  0, that value, or PX_ESTORE. */
int px_tm__exact_in_runs(MDB_txn *t, px_tm *tm, const unsigned char *kb,
                         size_t kl, int filters,
                         int (*fn)(void *arg, uint32_t id), void *arg);
#define PX_TM__MERGE_RUNS 128
#define PX_TM__MERGE_BYTES (64u * 1024u * 1024u)
/* Merge every pending run into `words`, in transactions of at most
 * PX_TM__MERGE_TERMS terms each.  0 or a px_error code (PX_ESTORE...). */
int px_tm__merge(px_tm *tm);
#define PX_TM__MERGE_TERMS 4096
/* The exact-index hash: px_text_hash() of the key form with punctuation
 * removed and spaces collapsed (PX_NORM_PUNCT | PX_NORM_SPACES). */
int px_tm__exact_hash_kt(uint64_t *out, const char *kt, size_t ktlen);
/* Remove inline-code markers ({1} {/1} {1/}) from s into a new string;
 * *tags receives their sequence as bytes (open 'o', close 'c', standalone
 * 's' followed by the number) when tags is not NULL. */
int px_tm__strip_markers(char **out, size_t *out_len, px_buf *tags,
                         const char *s, size_t len);
/* Is token t (from tokenizing keytext) a core token (not punctuation)? */
int px_tm__core_token(const px_token *t);
/* Read a big-endian u32. */
uint32_t px_tm__get_u32(const void *p);
void px_tm__put_u32(void *p, uint32_t v);

#endif
