/*
 * driver.c: runs a fuzz target without libFuzzer, so the corpora are
 * replayed by every build (and under ASan/UBSan in CI).  For each file
 * named on the command line (or each file in a named directory) it calls
 * LLVMFuzzerTestOneInput() on the file, then on a fixed number of
 * deterministic mutations of it (bit flips, byte insertions, truncations,
 * splices of chunks): a cheap, repeatable fuzzing pass.  A crash, a
 * sanitizer report or a leak fails the test.  PX_FUZZ_MUTATIONS sets the
 * number of mutations per file (default 200).
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static void run_mutations(const uint8_t *data, size_t size, long n) {
  size_t cap = size + 64;
  uint8_t *buf = malloc(cap);
  if (!buf)
    return;
  static const uint8_t interesting[] = {0x00, 0xff, 0xc0, 0xe0, 0xf0, 0xf4,
                                        0x80, 0xbf, '<',  '>',  '&',  '"',
                                        '.',  '\n', '\t', '[',  ']',  ':'};
  for (long i = 0; i < n; i++) {
    memcpy(buf, data, size);
    size_t len = size;
    int edits = 1 + (int)(rng() % 4);
    for (int e = 0; e < edits; e++) {
      switch (rng() % 5) {
      case 0: /* flip a bit */
        if (len)
          buf[rng() % len] ^= (uint8_t)(1u << (rng() % 8));
        break;
      case 1: /* set an interesting byte */
        if (len)
          buf[rng() % len] = interesting[rng() % sizeof interesting];
        break;
      case 2: /* insert a byte */
        if (len < cap) {
          size_t at = len ? rng() % (len + 1) : 0;
          memmove(buf + at + 1, buf + at, len - at);
          buf[at] = interesting[rng() % sizeof interesting];
          len++;
        }
        break;
      case 3: /* truncate */
        if (len)
          len = rng() % len;
        break;
      default: /* duplicate a chunk over another place */
        if (len > 2) {
          size_t a = rng() % len, b = rng() % len;
          size_t k = 1 + rng() % (len - (a > b ? a : b));
          memmove(buf + b, buf + a, k);
        }
      }
    }
    LLVMFuzzerTestOneInput(buf, len);
  }
  free(buf);
}

static int run_file(const char *path, long mutations) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    return 1;
  }
  uint8_t *data = NULL;
  size_t size = 0, cap = 0, n;
  uint8_t chunk[65536];
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (size + n > cap) {
      cap = (size + n) * 2;
      uint8_t *nd = realloc(data, cap);
      if (!nd) {
        free(data);
        fclose(f);
        return 1;
      }
      data = nd;
    }
    memcpy(data + size, chunk, n);
    size += n;
  }
  fclose(f);
  LLVMFuzzerTestOneInput(data ? data : (const uint8_t *)"", size);
  run_mutations(data ? data : (const uint8_t *)"", size, mutations);
  free(data);
  return 0;
}

int main(int argc, char **argv) {
  const char *m = getenv("PX_FUZZ_MUTATIONS");
  long mutations = m ? strtol(m, NULL, 10) : 200;
  int files = 0, bad = 0;
  for (int i = 1; i < argc; i++) {
    struct stat st;
    if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
      DIR *d = opendir(argv[i]);
      struct dirent *de;
      while (d && (de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.')
          continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", argv[i], de->d_name);
        bad += run_file(p, mutations);
        files++;
      }
      if (d)
        closedir(d);
    } else {
      bad += run_file(argv[i], mutations);
      files++;
    }
  }
  printf("%d passed, %d failed\n", files - bad, bad);
  return bad ? 1 : 0;
}
