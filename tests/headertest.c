/* headertest.c: parallax.h must compile alone with -std=c11 -Wpedantic. */
#include "parallax.h"
#include "parallax.h" /* and twice */

int px_headertest_dummy(void);
int px_headertest_dummy(void) { return PX_OK; }
