/*
 * paths.c: where parallax finds its shipped data (SRX rules, lexicons, name
 * dictionaries) and its default translation memory.  One place decides, so
 * the CLI, tests and programs agree.
 */
#include "paths.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "error.h"

static int is_dir(const char *p) {
  struct stat st;
  return p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *px_dict_dir(void) {
  const char *env = getenv("PARALLAX_DICTDIR");
  if (env && env[0])
    return env;
  if (is_dir(PX_SOURCE_DICTDIR))
    return PX_SOURCE_DICTDIR;
  return PX_DATADIR;
}

int px_dict_path(char *out, size_t n, const char *rel) {
  int w = snprintf(out, n, "%s/%s", px_dict_dir(), rel);
  if (w < 0 || (size_t)w >= n)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_NONE, 0,
                        "dictionary path too long: %s", rel);
  return 0;
}

const char *px_tm_default_path(void) {
  const char *env = getenv("PARALLAX_TM");
  if (env && env[0])
    return env;
  return "tm";
}
