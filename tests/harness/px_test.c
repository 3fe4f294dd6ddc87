/*
 * px_test.c: the test runner behind px_test.h.  Tests run in registration
 * order in one process (so AddressSanitizer sees them all); each gets a
 * fresh temporary directory on demand and a clean error state.
 */
#define _XOPEN_SOURCE 700
#include "px_test.h"

#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#define MAX_TESTS 4096

static struct {
  const char *name;
  px_test_fn fn;
} tests[MAX_TESTS];
static int ntests;
static int current_failures;
static char tmpdir[256];

void px_test_register(const char *name, px_test_fn fn) {
  if (ntests < MAX_TESTS) {
    tests[ntests].name = name;
    tests[ntests].fn = fn;
    ntests++;
  }
}

void px_test_fail(const char *file, int line, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "  %s:%d: ", file, line);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  current_failures++;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

const char *px_test_tmpdir(void) {
  if (tmpdir[0] == '\0') {
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/px-test-XXXXXX", base ? base : "/tmp");
    if (!mkdtemp(tmpdir)) {
      perror("mkdtemp");
      exit(2);
    }
  }
  return tmpdir;
}

static void tmpdir_cleanup(void) {
  if (tmpdir[0] != '\0') {
    nftw(tmpdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    tmpdir[0] = '\0';
  }
}

const char *px_test_data(const char *rel) {
  static char buf[4096];
  snprintf(buf, sizeof buf, "%s/%s", PX_TEST_DATA, rel);
  return buf;
}

char *px_test_slurp(const char *path, size_t *len_out) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  size_t n;
  while (buf && (n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
    len += n;
    if (cap - len < 2) {
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf)
    return NULL;
  buf[len] = '\0';
  if (len_out)
    *len_out = len;
  return buf;
}

int px_test_write(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  if (!f)
    return -1;
  size_t n = fwrite(data, 1, len, f);
  return (fclose(f) == 0 && n == len) ? 0 : -1;
}

static int run(int i) {
  current_failures = 0;
  px_error_clear();
  tests[i].fn();
  tmpdir_cleanup();
  printf("%-6s %s\n", current_failures ? "FAIL" : "ok", tests[i].name);
  return current_failures ? 1 : 0;
}

int main(int argc, char **argv) {
  int passed = 0, failed = 0;
  if (argc > 1 && strcmp(argv[1], "--list") == 0) {
    for (int i = 0; i < ntests; i++)
      printf("%s\n", tests[i].name);
    return 0;
  }
  for (int i = 0; i < ntests; i++) {
    int wanted = argc <= 1;
    for (int a = 1; a < argc && !wanted; a++)
      wanted = strcmp(argv[a], tests[i].name) == 0;
    if (!wanted)
      continue;
    if (run(i))
      failed++;
    else
      passed++;
  }
  if (passed + failed == 0) {
    fprintf(stderr, "no test matched\n");
    return 2;
  }
  printf("%d passed, %d failed\n", passed, failed);
  return failed ? 1 : 0;
}
