/*
 * file.h: reading a whole (small) input file, the one way every module
 * does it: shipped SRX rules, lexicons, the names lexicon.  Streaming
 * inputs (TMX) read their own way (tmx_read.c).
 */
#ifndef PX_FILE_H
#define PX_FILE_H

#include <stddef.h>

#include "parallax.h"

/* Read the file at path into *out (px_malloc'd, NUL-terminated; free with
 * px_free()) and its length into *len.  Files over max bytes are refused
 * with PX_ETOOBIG (class klass).  Errors name the path: PX_EIO with class
 * PX_ERRCLASS_OS and cause errno (ENOENT, EISDIR for a directory, ...),
 * PX_ENOMEM.  Outputs are untouched on failure. */
int px_file__read(char **out, size_t *len, const char *path, size_t max,
                  int klass);

#endif
