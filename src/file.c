/*
 * file.c: whole-file input for the modules that load small data files
 * (see file.h).  One implementation, so every loader refuses directories
 * and oversized files and names the path the same way.
 */
#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "error.h"

int px_file__read(char **out, size_t *len, const char *path, size_t max,
                  int klass) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(path);
  FILE *f = fopen(path, "rb");
  if (!f)
    return px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", path,
                        strerror(errno));
  int rc = 0;
  px_buf b;
  px_buf_init(&b, max);
  struct stat st;
  if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, EISDIR, "%s: %s", path,
                      strerror(EISDIR));
    goto done;
  }
  char chunk[65536];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    rc = px_buf_put(&b, chunk, got);
    if (rc == PX_ETOOBIG)
      rc = px_error_set(PX_ETOOBIG, klass, 0,
                        "%s: larger than the limit of %zu bytes", path, max);
    if (rc < 0)
      goto done;
  }
  if (ferror(f)) {
    rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: read error: %s", path,
                      strerror(errno));
    goto done;
  }
  size_t n = 0;
  char *data = px_buf_detach(&b, &n);
  if (!data) {
    rc = PX_ENOMEM;
    goto done;
  }
  *out = data;
  if (len)
    *len = n;
done:
  fclose(f);
  px_buf_dispose(&b);
  return rc;
}
