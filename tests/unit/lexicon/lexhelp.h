/*
 * lexhelp.h: what the lexicon tests share: a dump of a lexicon's entries
 * (to compare two loads byte for byte) and the base-64 numbers of dictd
 * index files (to write small dictionaries).
 */
#ifndef PX_TEST_LEXHELP_H
#define PX_TEST_LEXHELP_H

#include <stddef.h>

#include "parallax.h"

/* A growing string of "src\ttgt\t<weight bits in hex>\n" lines. */
typedef struct lexdump {
  char *s; /* malloc'd, NUL-terminated once something was put */
  size_t n, cap;
} lexdump;

void lexdump_put(lexdump *d, const char *s);
/* A px_lexicon_foreach() callback: the entry as one line into payload (a
 * lexdump). */
int lexdump_entry(const px_lexicon_entry *e, void *payload);
/* Every entry of lx in foreach order; free() it. */
char *lexdump_entries(const px_lexicon *lx);

/* The translations of a raw word (normalized as entries are) as one
 * "t1|t2" string, in lookup order; weights as ":0.50" after each
 * (LEXTR_WEIGHTS) or after those below 1 (LEXTR_WEIGHTS_BELOW_1).  Fails
 * the test when the entries of one lookup differ in source.  A static
 * buffer: valid until the next call. */
enum { LEXTR_PLAIN, LEXTR_WEIGHTS, LEXTR_WEIGHTS_BELOW_1 };
const char *lexhelp_tr(const px_lexicon *lx, const char *word, int weights);

/* v in dictd's base-64 digits (at most 15), NUL-terminated. */
void lexhelp_b64num(char *out, size_t v);

#endif
