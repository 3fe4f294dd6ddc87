/*
 * segment.h: sentence segmentation internals shared with tests and tools.
 * The public API is the segment section of parallax.h.
 */
#ifndef PX_SEGMENT_H
#define PX_SEGMENT_H

#include "parallax.h"

/* How many UTF-16 units before a candidate a <beforebreak> may look at. */
#define PX_SEGMENT__BEFORE_WINDOW 128

/* The process-wide shipped rules (loaded once, thread-safely), or NULL with
 * the load error in *rc. */
const px_segment_rules *px_segment__default_rules(int *rc);

#endif
