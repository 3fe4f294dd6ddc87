/*
 * paths.h: locating shipped data (internal part; see parallax.h).
 */
#ifndef PX_PATHS_H
#define PX_PATHS_H

#include <stddef.h>

#include "parallax.h"

/* "<px_dict_dir()>/<rel>" into out; PX_ETOOBIG if it does not fit. */
int px_dict_path(char *out, size_t n, const char *rel);

#endif
