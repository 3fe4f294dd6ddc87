/*
 * sort.c: the key sort of the search (insertion sort, quicksort, radix
 * sort by size) against qsort, on random keys, few distinct keys, keys
 * sharing bytes (the radix sort skips such passes) and sorted input.
 */
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "px_test.h"

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

static uint64_t rng = 0x2545F4914F6CDD1DULL;
static uint32_t next32(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 16);
}

PX_TEST(test_align_sort__matches_qsort) {
  static const size_t sizes[] = {0,   1,   2,   23,  24,   25,   200,
                                 255, 256, 257, 999, 1000, 4096, 20000};
  enum { MAXN = 20000 };
  uint32_t *v = malloc(MAXN * sizeof *v), *w = malloc(MAXN * sizeof *w),
           *tmp = malloc(MAXN * sizeof *tmp);
  CHECK(v && w && tmp);
  if (!v || !w || !tmp)
    goto done;
  for (int kind = 0; kind < 5; kind++)
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++) {
      size_t n = sizes[si];
      for (size_t i = 0; i < n; i++) {
        uint32_t x = next32();
        switch (kind) {
        case 0: v[i] = x; break;                           /* random */
        case 1: v[i] = x % 7; break;                       /* few values */
        case 2: v[i] = 0xAB000000u | (x & 0xff00u); break; /* shared bytes */
        case 3: v[i] = (uint32_t)i * 3u; break;            /* sorted */
        default: v[i] = UINT32_MAX - (x & 1u); break;      /* top values */
        }
      }
      memcpy(w, v, n * sizeof *v);
      qsort(w, n, sizeof *w, cmp_u32);
      px_align__sort_keys(v, n, tmp);
      CHECK(memcmp(v, w, n * sizeof *v) == 0);
      /* and without scratch (the quicksort at every size) */
      for (size_t i = 0; i < n; i++)
        v[i] = w[n - 1 - i];
      px_align__sort_keys(v, n, NULL);
      CHECK(memcmp(v, w, n * sizeof *v) == 0);
    }
done:
  free(v);
  free(w);
  free(tmp);
}
