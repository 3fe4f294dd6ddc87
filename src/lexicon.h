/*
 * lexicon.h: bilingual lexicons, internal part (the API is in parallax.h's
 * lexicon section).  What the CLI's `lexicon import` and the tests need
 * beyond the public calls.
 */
#ifndef PX_LEXICON_H
#define PX_LEXICON_H

#include <stddef.h>

#include "parallax.h"

/* Load a TSV lexicon; reverse = 1 reads each line as tgt<TAB>src. */
int px_lexicon__load_tsv_dir(px_lexicon *lx, const char *path, int reverse);

/* The ISO 639-3 code FreeDict uses for a BCP-47 tag ("ru" -> "rus",
 * "fa-IR" -> "fas"), or NULL when we know none. */
const char *px_lexicon__iso639_3(const char *lang);

/* Clean one dictd definition body into translation items: what
 * load_dictd feeds to the lexicon, exposed for tests.  Calls cb once per
 * item (not yet normalized) with its sense rank (0 = first); stops and
 * returns cb's value when it is not 0.  wikdict = 1 for the FreeDict+WikDict
 * layout (a translation line followed by a gloss in the source language). */
int px_lexicon__dictd_items(const char *body, size_t len, int wikdict,
                            int (*cb)(const char *s, size_t n, unsigned rank,
                                      void *payload),
                            void *payload);

/* on = 0 turns off the restriction's pre-filter for this lexicon: every
 * dictionary line is cleaned and checked entry by entry, as before it
 * existed (tests compare the two); on = 1 (the default) restores it. */
void px_lexicon__set_prefilter(px_lexicon *lx, int on);

/* The smallest dictionary (index + body, bytes) that px_lexicon_load_dictd()
 * keeps a cache of (default 256 KiB; tests set 0).  Process-wide; set it
 * before loading from several threads, not during. */
void px_lexicon__set_cache_min(size_t bytes);

#endif
