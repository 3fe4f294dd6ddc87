/*
 * robust.c: the store and lookups under stress: allocation failures at
 * every point of add, commit, lookup and concordance (no crash, no leak
 * under ASan, the store still consistent), an iterator that survives this
 * process growing the map under it, substitution that cannot place a
 * number, and very long queries.
 */
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mem.h"
#include "px_test.h"

static int add_one(px_tm *tm, const char *en, const char *fa) {
  px_tm_txn *txn = NULL;
  int rc = px_tm_txn_begin(&txn, tm);
  if (rc)
    return rc;
  px_variant v[2];
  memset(v, 0, sizeof v);
  v[0].lang = "en";
  v[0].text = en;
  v[0].len = strlen(en);
  v[1].lang = "fa";
  v[1].text = fa;
  v[1].len = strlen(fa);
  px_unit u;
  memset(&u, 0, sizeof u);
  u.variants = v;
  u.nvariants = 2;
  u.doc_id = "d";
  rc = px_tm_add(txn, &u, NULL, NULL);
  if (rc) {
    px_tm_txn_abort(txn);
    return rc;
  }
  return px_tm_txn_commit(txn);
}

PX_TEST(test_tm_robust__allocation_failures) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  CHECK_OK(add_one(tm, "The first stored sentence is here.", "جمله اول."));
  int ok = 0;
  for (long n = 0; n < 400 && !ok; n++) {
    px_mem__fail_after(n);
    int rc = add_one(tm, "The second stored sentence is here.", "جمله دوم.");
    px_mem__fail_after(-1);
    CHECK(rc == 0 || rc == PX_ENOMEM || rc == PX_ESTORE);
    ok = rc == 0;
  }
  CHECK(ok);
  for (long n = 0; n < 400; n++) {
    px_match *m = NULL;
    size_t k = 0;
    const char *q = "The second stored sentence is here";
    px_mem__fail_after(n);
    int rc = px_tm_lookup(&m, &k, tm, q, strlen(q), "en", "fa", NULL);
    px_mem__fail_after(-1);
    CHECK(rc == 0 || rc == PX_ENOMEM);
    if (rc == 0) {
      CHECK_INT(k, 2);
      px_tm_matches_free(m, k);
      break;
    }
  }
  for (long n = 0; n < 400; n++) {
    px_concord_hit *h = NULL;
    size_t k = 0;
    px_mem__fail_after(n);
    int rc = px_tm_concordance(&h, &k, tm, "stored sentence", 15, "en", NULL);
    px_mem__fail_after(-1);
    CHECK(rc == 0 || rc == PX_ENOMEM);
    if (rc == 0) {
      CHECK_INT(k, 2);
      px_tm_concord_free(h, k);
      break;
    }
  }
  /* exactly two units, whatever failed on the way */
  px_tm_stat *st = NULL;
  CHECK_OK(px_tm_stats(&st, tm));
  if (st) {
    CHECK_INT(st->units, 2);
    CHECK_INT(st->variants, 4);
  }
  px_free(st);
  px_tm_close(tm);
}

PX_TEST(test_tm_robust__iterator_survives_growth) {
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.map_size = 128 * 1024;
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), &o));
  for (int i = 0; i < 20; i++) {
    char e[64];
    snprintf(e, sizeof e, "Snapshot sentence %d.", i);
    CHECK_OK(add_one(tm, e, "متن"));
  }
  px_tm_iter *it = NULL;
  CHECK_OK(px_tm_iter_new(&it, tm));
  const px_unit *u = NULL;
  CHECK_OK(px_tm_iter_next(it, &u));
  /* grow the map several times while the iterator is open */
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  for (int i = 0; i < 2000; i++) {
    char e[96];
    snprintf(e, sizeof e, "Growth sentence number %d with some words.", i);
    px_variant v = {0};
    v.lang = "en";
    v.text = e;
    v.len = strlen(e);
    px_unit nu;
    memset(&nu, 0, sizeof nu);
    nu.variants = &v;
    nu.nvariants = 1;
    CHECK_OK(px_tm_add(txn, &nu, NULL, NULL));
  }
  CHECK_OK(px_tm_txn_commit(txn));
  int n = 1, rc;
  while ((rc = px_tm_iter_next(it, &u)) == 0) {
    CHECK(strncmp(u->variants[0].text, "Snapshot", 8) == 0);
    n++;
  }
  CHECK_INT(rc, PX_ITEROVER);
  CHECK_INT(n, 20); /* the snapshot, not the later units */
  px_tm_iter_free(it);
  px_tm_close(tm);
}

PX_TEST(test_tm_robust__number_not_in_target) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  CHECK_OK(
      add_one(tm, "Prices rose 5 percent in May.",
              "قیمت‌ها در ماه مه پنج درصد افزایش "
              "یافت."));
  const char *q = "Prices rose 7 percent in May.";
  px_match *m = NULL;
  size_t k = 0;
  CHECK_OK(px_tm_lookup(&m, &k, tm, q, strlen(q), "en", "fa", NULL));
  CHECK_INT(k, 1);
  if (k) {
    CHECK_INT(m[0].score, 99);
    CHECK_INT(m[0].substituted, 0);
    CHECK_STR(m[0].target,
              "قیمت‌ها در ماه مه پنج درصد افزایش "
              "یافت.");
  }
  px_tm_matches_free(m, k);
  px_tm_close(tm);
}

PX_TEST(test_tm_robust__long_queries) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, px_test_tmpdir(), NULL));
  static char big[9000]; /* about 1,700 words: under the query limit */
  size_t n = 0;
  for (int i = 0; n + 16 < sizeof big; i++)
    n += (size_t)snprintf(big + n, sizeof big - n, "w%d ", i % 3000);
  CHECK_OK(add_one(tm, big, "بزرگ"));
  CHECK_OK(add_one(tm, "w1 w2 w3 w4.", "کوچک"));
  px_match *m = NULL;
  size_t k = 0;
  /* a short query against the huge unit: never scored, no blow-up */
  CHECK_OK(px_tm_lookup(&m, &k, tm, "w1 w2 w3 w5.", 12, "en", "fa", NULL));
  CHECK_INT(k, 1);
  px_tm_matches_free(m, k);
  /* the huge text itself finds itself */
  m = NULL;
  k = 0;
  CHECK_OK(px_tm_lookup(&m, &k, tm, big, n, "en", "fa", NULL));
  CHECK_INT(k, 1);
  if (k)
    CHECK_INT(m[0].score, 100);
  px_tm_matches_free(m, k);
  /* more than 2,000 words is refused */
  static char many[20000];
  size_t mn = 0;
  for (int i = 0; mn + 8 < sizeof many; i++)
    mn += (size_t)snprintf(many + mn, sizeof many - mn, "x%d ", i % 50);
  CHECK_ERR(px_tm_lookup(&m, &k, tm, many, mn, "en", "fa", NULL), PX_ETOOBIG);
  static char huge[PX_TM_MAX_TEXT + 10];
  memset(huge, 'a', sizeof huge);
  CHECK_ERR(px_tm_lookup(&m, &k, tm, huge, sizeof huge, "en", "fa", NULL),
            PX_ETOOBIG);
  px_tm_close(tm);
}

/* A memory on read-only media (no lock file can be written) still opens
 * read-only and answers lookups.  As root, the reader runs in a child that
 * drops to an unprivileged user, since root may write anywhere. */
PX_TEST(test_tm_robust__readonly_media) {
  const char *base = px_test_tmpdir();
  char dir[1024];
  snprintf(dir, sizeof dir, "%s/shared", base);
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, dir, NULL));
  CHECK_OK(add_one(tm, "Read-only media still answer.", "پاسخ"));
  px_tm_close(tm);
  char lock[1100], data[1100];
  snprintf(lock, sizeof lock, "%s/lock.mdb", dir);
  snprintf(data, sizeof data, "%s/data.mdb", dir);
  unlink(lock);
  CHECK_INT(chmod(data, 0444), 0);
  CHECK_INT(chmod(dir, 0555), 0);
  CHECK_INT(chmod(base, 0755), 0);
  pid_t kid = fork();
  if (kid == 0) {
    if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
      _exit(20);
    px_tm_opts o = PX_TM_OPTS_INIT;
    o.flags = PX_TM_RDONLY;
    px_tm *r = NULL;
    if (px_tm_open(&r, dir, &o) != 0) {
      fprintf(stderr, "%s\n", px_error_last()->message);
      _exit(21);
    }
    px_match *m = NULL;
    size_t n = 0;
    const char *q = "Read-only media still answer.";
    int rc = px_tm_lookup(&m, &n, r, q, strlen(q), "en", "fa", NULL);
    int ok = rc == 0 && n == 1 && m[0].score == 100;
    px_tm_matches_free(m, n);
    px_tm_close(r);
    /* and a read-write open is refused with a message, not a crash */
    px_tm *w = NULL;
    int wrc = px_tm_open(&w, dir, NULL);
    px_tm_close(w);
    _exit(ok && wrc == PX_ESTORE ? 0 : 22);
  }
  int st = 0;
  waitpid(kid, &st, 0);
  CHECK(WIFEXITED(st));
  CHECK_INT(WEXITSTATUS(st), 0);
  chmod(dir, 0755); /* so the harness can remove it */
}
