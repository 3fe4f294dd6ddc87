/*
 * threads.c: a loaded lexicon is shared by the aligner's batch threads;
 * lookups and normalization from several threads at once give the same
 * answers as from one.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "px_test.h"

typedef struct job {
  const px_lexicon *lx;
  int start, errors;
} job;

static void *worker(void *arg) {
  job *j = arg;
  char w[64], want[64];
  for (int round = 0; round < 3; round++)
    for (int i = j->start; i < 5000; i += 1) {
      /* A vowelled Arabic-script word and its number: normalization runs
       * through ICU on each thread. */
      snprintf(w, sizeof w, "كِتَاب%d", i);
      snprintf(want, sizeof want, "book %d", i);
      char *n = NULL;
      size_t nl = 0;
      if (px_lexicon_normalize_word(&n, &nl, w, strlen(w)) != 0) {
        j->errors++;
        continue;
      }
      const px_lexicon_entry *e = NULL;
      size_t c = 0;
      if (px_lexicon_lookup(j->lx, n, nl, &e, &c) != 0 || c != 1 ||
          strcmp(e[0].tgt, want) != 0)
        j->errors++;
      px_free(n);
    }
  return NULL;
}

PX_TEST(test_lexicon_threads__shared_lookups) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "fa", "en"));
  char s[64], t[64];
  for (int i = 0; i < 5000; i++) {
    snprintf(s, sizeof s, "کتاب%d", i);
    snprintf(t, sizeof t, "book %d", i);
    CHECK_OK(px_lexicon_add(lx, s, strlen(s), t, strlen(t), 1.0f));
  }
  job jobs[3] = {{lx, 0, 0}, {lx, 1000, 0}, {lx, 2500, 0}};
  pthread_t th[3];
  for (int i = 0; i < 3; i++)
    CHECK(pthread_create(&th[i], NULL, worker, &jobs[i]) == 0);
  for (int i = 0; i < 3; i++) {
    pthread_join(th[i], NULL);
    CHECK_INT(jobs[i].errors, 0);
  }
  px_lexicon_free(lx);
}
