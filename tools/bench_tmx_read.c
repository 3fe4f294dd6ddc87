/*
 * bench_tmx_read.c: how fast px_tmx_read() alone goes (Expat and the unit
 * builder, no store): `bench_tmx_read FILE` prints units, bytes, seconds,
 * units/s and MB/s.  bench-import.sh runs it beside `parallax import` to
 * split the import's time between reading and storing.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

#include "parallax.h"

static int count(const px_unit *u, const px_tmx_pos *pos, void *payload) {
  unsigned long long *n = payload;
  (void)pos;
  *n += u->nvariants;
  return 0;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: bench_tmx_read FILE\n");
    return 2;
  }
  struct timespec a, b;
  px_tmx_read_stats st;
  unsigned long long variants = 0;
  clock_gettime(CLOCK_MONOTONIC, &a);
  int rc = px_tmx_read(&st, argv[1], NULL, count, &variants);
  clock_gettime(CLOCK_MONOTONIC, &b);
  if (rc < 0) {
    fprintf(stderr, "bench_tmx_read: %s\n", px_error_last()->message);
    return 1;
  }
  double s =
      (double)(b.tv_sec - a.tv_sec) + (double)(b.tv_nsec - a.tv_nsec) / 1e9;
  /* CPU time too: on a busy machine it is the fairer figure */
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  double cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
               (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
  printf("units %llu variants %llu bytes %llu seconds %.3f units/s %.0f MB/s "
         "%.1f cpu-seconds %.3f units/cpu-s %.0f peak-rss-MB %.1f\n",
         (unsigned long long)st.units, variants, (unsigned long long)st.bytes,
         s, (double)st.units / s, (double)st.bytes / s / 1e6, cpu,
         (double)st.units / cpu, (double)ru.ru_maxrss / 1024.0);
  return 0;
}
