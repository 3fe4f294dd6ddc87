/*
 * lookup.h: internals shared by lookup.c (exact / fuzzy lookup) and
 * concord.c (concordance): a reader of one term's postings in the `words`
 * index (tm/SCHEMA.md) that moves a leaf page at a time and seeks forward,
 * so that posting lists intersect without a B-tree descent per posting.
 */
#ifndef PX_LOOKUP_H
#define PX_LOOKUP_H

#include <lmdb.h>
#include <stdint.h>

/* A posting is handled as one number, length byte << 32 | unit id: its
 * numeric order is the index's order (memcmp of the 5 bytes).
 *
 * The postings of one term up to a length byte, a leaf page at a time
 * (MDB_GET_MULTIPLE).  The key bytes and the cursor must outlive it; one
 * cursor per reader that is used interleaved with others. */
typedef struct px_tm__plist {
  MDB_cursor *cur;
  MDB_val key;
  const unsigned char *pg; /* the current page's postings (in the map) */
  size_t npg, pos;         /* their number, the current one */
  uint64_t end;            /* postings from here on are past the window */
  int done;
} px_tm__plist;

/* Reads key's postings whose length byte is at most hi. */
void px_tm__plist_init(px_tm__plist *l, MDB_cursor *cur,
                       const unsigned char *key, size_t klen, unsigned hi);
/* Moves to the first posting >= x (never backwards: x must not be below
 * the current posting).  1 with *out set, 0 at the end of the window, or
 * PX_ESTORE. */
int px_tm__plist_seek(px_tm__plist *l, uint64_t x, uint64_t *out);
/* Moves to the next posting: 1 with *out set, 0 at the end, or an error. */
int px_tm__plist_next(px_tm__plist *l, uint64_t *out);

#endif
