/*
 * bulk.c: bulk mode (px_tm__bulk), where each commit writes its word
 * postings as a run of `wdelta` and runs are merged into `words` every
 * PX_TM__MERGE_RUNS commits (or PX_TM__MERGE_BYTES) and by
 * px_tm__merge(): the merged index is
 * byte for byte the one plain commits build; runs left pending (a killed
 * import) are merged by the next plain commit; a delete with runs pending
 * sees every posting; a schema-1 store (no wdelta) is read as it is and
 * upgraded by a write open; the exact-key filter of bulk loads misses no
 * stored unit (built from the store, grown, dropped after another
 * process's commit).  Real LMDB in a temporary directory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lmdb.h>

#include "px_test.h"
#include "tm.h"

static char *subdir(const char *name) {
  static char buf[4][1024];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", px_test_tmpdir(), name);
  return buf[k];
}

/* Unit i of a small synthetic corpus: shared and distinct words, two or
 * three languages, so terms get postings from many commits. */
static void add_unit(px_tm_txn *txn, int i) {
  char en[160], fr[160], ru[160];
  snprintf(en, sizeof en,
           "The council met on day %d to discuss item%d and "
           "the budget of region%d",
           i, i % 37, i % 5);
  snprintf(fr, sizeof fr,
           "Le conseil s'est réuni le jour %d pour l'objet%d "
           "et le budget de la région%d",
           i, i % 37, i % 5);
  snprintf(ru, sizeof ru, "Совет собрался в день %d по вопросу%d", i, i % 11);
  px_variant v[3];
  memset(v, 0, sizeof v);
  v[0].lang = "en";
  v[0].text = en;
  v[0].len = strlen(en);
  v[1].lang = "fr";
  v[1].text = fr;
  v[1].len = strlen(fr);
  v[2].lang = "ru";
  v[2].text = ru;
  v[2].len = strlen(ru);
  px_unit u;
  memset(&u, 0, sizeof u);
  u.confidence = -1;
  u.variants = v;
  u.nvariants = i % 3 ? 2 : 3;
  CHECK_OK(px_tm_add(txn, &u, NULL, NULL));
}

/* Units [from, to) in commits of `per` units. */
static void fill(px_tm *tm, int from, int to, int per) {
  for (int i = from; i < to;) {
    px_tm_txn *txn = NULL;
    CHECK_OK(px_tm_txn_begin(&txn, tm));
    for (int j = 0; j < per && i < to; j++, i++)
      add_unit(txn, i);
    CHECK_OK(px_tm_txn_commit(txn));
  }
}

/* The store at dir opened with raw LMDB and a transaction begun (rdonly:
 * a read-only one); close with mdb_txn_abort/commit and close_raw(). */
static MDB_txn *open_raw(const char *dir, int rdonly, MDB_env **env) {
  MDB_txn *t = NULL;
  CHECK_INT(mdb_env_create(env), 0);
  mdb_env_set_maxdbs(*env, 8);
  CHECK_INT(mdb_env_open(*env, dir, rdonly ? MDB_RDONLY : 0, 0644), 0);
  CHECK_INT(mdb_txn_begin(*env, NULL, rdonly ? MDB_RDONLY : 0, &t), 0);
  return t;
}

/* Writes key -> val into database `name` of the store at dir behind the
 * library's back (drop: empty and delete that database instead). */
static void raw_write(const char *dir, const char *name, const char *key,
                      size_t klen, const void *val, size_t vlen, int drop) {
  MDB_env *env;
  MDB_txn *t = open_raw(dir, 0, &env);
  MDB_dbi dbi;
  CHECK_INT(mdb_dbi_open(t, name, 0, &dbi), 0);
  MDB_val k = {klen, (void *)key}, v = {vlen, (void *)val};
  CHECK_INT(drop ? mdb_drop(t, dbi, 1) : mdb_put(t, dbi, &k, &v, 0), 0);
  CHECK_INT(mdb_txn_commit(t), 0);
  mdb_env_close(env);
}

/* Every key and value of database `name` of the store at dir, in order,
 * as one string of hex (entries of wdelta counted in *pending). */
static char *dump_db(const char *dir, const char *name, size_t *pending) {
  MDB_env *env;
  MDB_txn *t = open_raw(dir, 1, &env);
  MDB_dbi dbi;
  MDB_cursor *c;
  MDB_val k, v;
  size_t cap = 1 << 16, len = 0;
  char *out = malloc(cap);
  out[0] = 0;
  if (pending) {
    *pending = 0;
    if (mdb_dbi_open(t, "wdelta", 0, &dbi) == 0) {
      MDB_stat st;
      CHECK_INT(mdb_stat(t, dbi, &st), 0);
      *pending = st.ms_entries;
    }
  }
  CHECK_INT(mdb_dbi_open(t, name, 0, &dbi), 0);
  CHECK_INT(mdb_cursor_open(t, dbi, &c), 0);
  int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST);
  while (rc == 0) {
    size_t need = len + 2 * (k.mv_size + v.mv_size) + 4;
    while (need >= cap)
      out = realloc(out, cap *= 2);
    for (size_t i = 0; i < k.mv_size; i++)
      len +=
          (size_t)sprintf(out + len, "%02x", ((unsigned char *)k.mv_data)[i]);
    out[len++] = '=';
    for (size_t i = 0; i < v.mv_size; i++)
      len +=
          (size_t)sprintf(out + len, "%02x", ((unsigned char *)v.mv_data)[i]);
    out[len++] = '\n';
    out[len] = 0;
    rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
  }
  CHECK_INT(rc, MDB_NOTFOUND);
  mdb_cursor_close(c);
  mdb_txn_abort(t);
  mdb_env_close(env);
  return out;
}

/* The words index of the store at d equals that of ref, and d has no run
 * left; returns the number of words entries. */
static size_t check_same_words(const char *ref, const char *d) {
  size_t pending = 0, lines = 0;
  char *wa = dump_db(ref, "words", NULL), *wb = dump_db(d, "words", &pending);
  CHECK_INT(pending, 0);
  CHECK_STR(wa, wb);
  for (const char *p = wb; *p; p++)
    lines += *p == '\n';
  free(wa);
  free(wb);
  return lines;
}

/* A meta record of the store at dir as a big-endian number (u32 or u64;
 * 0 when absent). */
static uint64_t meta_u64(const char *dir, const char *key) {
  MDB_env *env;
  MDB_txn *t = open_raw(dir, 1, &env);
  MDB_dbi dbi;
  CHECK_INT(mdb_dbi_open(t, "meta", 0, &dbi), 0);
  MDB_val k = {strlen(key), (void *)key}, v;
  uint64_t n = 0;
  if (mdb_get(t, dbi, &k, &v) == 0 && v.mv_size <= 8)
    for (size_t i = 0; i < v.mv_size; i++)
      n = n << 8 | ((unsigned char *)v.mv_data)[i];
  mdb_txn_abort(t);
  mdb_env_close(env);
  return n;
}

static size_t fuzzy_hits(px_tm *tm, const char *q, const char *from) {
  px_lookup_opts lo = PX_LOOKUP_OPTS_INIT;
  lo.min_score = 60;
  lo.limit = 50;
  px_match *m = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), from, "fr", &lo));
  px_tm_matches_free(m, n);
  return n;
}

/* Bulk commits and plain commits build the same `words`. */
PX_TEST(test_tm_bulk__merged_index_equals_plain) {
  const char *a = subdir("plain"), *b = subdir("bulk");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, a, NULL));
  fill(tm, 0, 400, 3);
  px_tm_close(tm);
  CHECK_OK(px_tm_open(&tm, b, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 0, 400, 3); /* 134 commits: a merge after 128 runs */
  size_t pending = 0;
  char *mid = dump_db(b, "words", &pending);
  CHECK(pending > 0); /* the last runs wait for a merge */
  free(mid);
  CHECK_INT(meta_u64(b, "wdelta_runs"), 134 - PX_TM__MERGE_RUNS);
  CHECK_INT(meta_u64(b, "wdelta_next"), 135);
  CHECK(meta_u64(b, "wdelta_bytes") > 0);
  CHECK_OK(px_tm__merge(tm));
  CHECK_OK(px_tm__bulk(tm, 0));
  px_tm_close(tm);
  char *wa = dump_db(a, "words", NULL), *wb = dump_db(b, "words", &pending);
  CHECK_INT(pending, 0);
  CHECK_INT(meta_u64(b, "wdelta_runs"), 0);
  CHECK_INT(meta_u64(b, "wdelta_bytes"), 0);
  CHECK(strlen(wa) > 1000);
  CHECK_STR(wa, wb);
  free(wa);
  free(wb);
  char *ea = dump_db(a, "exact", NULL), *eb = dump_db(b, "exact", NULL);
  CHECK_STR(ea, eb);
  free(ea);
  free(eb);
}

/* Merges in chunks of PX_TM__MERGE_TERMS terms give the same index. */
PX_TEST(test_tm_bulk__chunked_merge) {
  const char *a = subdir("plain2"), *b = subdir("bulk2");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, a, NULL));
  fill(tm, 0, 6000, 1000);
  px_tm_close(tm);
  CHECK_OK(px_tm_open(&tm, b, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 0, 6000, 1000);
  CHECK_OK(px_tm__merge(tm));
  px_tm_close(tm);
  /* more distinct terms than one merge step takes */
  CHECK(check_same_words(a, b) > PX_TM__MERGE_TERMS);
}

/* Runs left behind (an import killed before its merge) are merged by the
 * next plain commit; until then exact lookups see every unit. */
PX_TEST(test_tm_bulk__pending_runs_merged_by_next_commit) {
  const char *d = subdir("left");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, d, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 0, 50, 10); /* 5 runs, below the merge threshold */
  px_tm_close(tm);     /* as a killed import leaves them */
  size_t pending = 0;
  free(dump_db(d, "words", &pending));
  CHECK(pending > 0);
  CHECK_OK(px_tm_open(&tm, d, NULL));
  const char *q = "The council met on day 17 to discuss item17 and the budget "
                  "of region2";
  px_lookup_opts lo = PX_LOOKUP_OPTS_INIT;
  lo.flags = PX_LOOKUP_EXACT;
  px_match *m = NULL;
  size_t n = 0;
  CHECK_OK(px_tm_lookup(&m, &n, tm, q, strlen(q), "en", "fr", &lo));
  CHECK_INT(n, 1);
  px_tm_matches_free(m, n);
  fill(tm, 50, 51, 1); /* a plain commit */
  free(dump_db(d, "words", &pending));
  CHECK_INT(pending, 0);
  CHECK(fuzzy_hits(tm, "The council met on day 17 to discuss item17", "en") >
        0);
  px_tm_close(tm);
}

/* A delete in bulk mode with runs pending removes every posting. */
PX_TEST(test_tm_bulk__delete_with_runs_pending) {
  const char *d = subdir("del"), *ref = subdir("delref");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, ref, NULL));
  fill(tm, 0, 30, 10);
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  CHECK_OK(px_tm_delete_unit(txn, 5));
  CHECK_OK(px_tm_txn_commit(txn));
  px_tm_close(tm);
  CHECK_OK(px_tm_open(&tm, d, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 0, 30, 10);
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  CHECK_OK(px_tm_delete_unit(txn, 5));
  CHECK_OK(px_tm_txn_commit(txn));
  CHECK_OK(px_tm__merge(tm));
  px_tm_close(tm);
  CHECK(check_same_words(ref, d) > 0);
}

/* A schema-1 store (no wdelta) reads as it is, read-only, and a write
 * open upgrades it to schema 2. */
PX_TEST(test_tm_bulk__schema1_and_2_stores) {
  const char *d = subdir("v1");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, d, NULL));
  fill(tm, 0, 20, 20);
  px_tm_close(tm);
  unsigned char one[4] = {0, 0, 0, 1};
  raw_write(d, "wdelta", NULL, 0, NULL, 0, 1);
  raw_write(d, "meta", "schema", 6, one, 4, 0);
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.flags = PX_TM_RDONLY;
  CHECK_OK(px_tm_open(&tm, d, &o));
  CHECK(fuzzy_hits(tm, "The council met on day 3 to discuss item3", "en") > 0);
  px_tm_close(tm);
  CHECK_OK(px_tm_open(&tm, d, NULL));
  px_tm_stat *st = NULL;
  CHECK_OK(px_tm_stats(&st, tm));
  CHECK_INT(st->units, 20);
  px_free(st);
  px_tm_close(tm);
  MDB_env *env;
  MDB_txn *t = open_raw(d, 1, &env);
  MDB_dbi dbi;
  CHECK_INT(mdb_dbi_open(t, "wdelta", 0, &dbi), 0);
  mdb_txn_abort(t);
  mdb_env_close(env);
  CHECK_INT(meta_u64(d, "schema"), PX_TM_SCHEMA_VERSION);
  /* schema 2 (no exact keys in runs) is upgraded by a write open too */
  unsigned char two[4] = {0, 0, 0, 2};
  raw_write(d, "meta", "schema", 6, two, 4, 0);
  CHECK_OK(px_tm_open(&tm, d, NULL));
  fill(tm, 20, 21, 1);
  px_tm_close(tm);
  CHECK_INT(meta_u64(d, "schema"), PX_TM_SCHEMA_VERSION);
}

/* A corrupt wdelta (a key too short to hold a run number) stops a merge
 * with PX_ESTORE, never a crash. */
PX_TEST(test_tm_bulk__corrupt_run_key) {
  const char *d = subdir("corrupt");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, d, NULL));
  fill(tm, 0, 5, 5);
  px_tm_close(tm);
  raw_write(d, "wdelta", "ab", 2, "xxxxx", 5, 0);
  CHECK_OK(px_tm_open(&tm, d, NULL));
  CHECK_ERR(px_tm__merge(tm), PX_ESTORE);
  CHECK(strstr(px_error_last()->message, "wdelta") != NULL);
  px_tm_close(tm);
}

/* The number of units in the store. */
static uint64_t units_in(px_tm *tm) {
  px_tm_stat *st = NULL;
  CHECK_OK(px_tm_stats(&st, tm));
  uint64_t n = st->units;
  px_free(st);
  return n;
}

/* The exact index of the store at d is the one a plain load of units
 * [0, n) in one commit builds (in a fresh store named ref). */
static void check_exact_as_plain(const char *d, const char *ref, int n) {
  px_tm *tm = NULL;
  const char *r = subdir(ref);
  CHECK_OK(px_tm_open(&tm, r, NULL));
  fill(tm, 0, n, n);
  px_tm_close(tm);
  char *ea = dump_db(r, "exact", NULL), *eb = dump_db(d, "exact", NULL);
  CHECK_STR(ea, eb);
  free(ea);
  free(eb);
}

/* Bulk adds find the units a plain commit stored before (the exact-key
 * filter is built by a scan of `exact`), and units added again in the
 * same bulk load: nothing is stored twice. */
PX_TEST(test_tm_bulk__filter_finds_stored_units) {
  const char *d = subdir("xf1");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, d, NULL));
  fill(tm, 0, 300, 100);
  CHECK_INT(units_in(tm), 300);
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 200, 500, 50);
  CHECK(tm->xf != NULL);
  fill(tm, 0, 500, 70);
  CHECK_INT(units_in(tm), 500);
  CHECK_OK(px_tm__merge(tm));
  CHECK_OK(px_tm__bulk(tm, 0));
  CHECK(tm->xf == NULL);
  px_tm_close(tm);
  /* the same index as one plain load builds */
  check_exact_as_plain(d, "xf1-ref", 500);
}

/* A filter that outgrows its size is built again, larger, and still
 * knows every key. */
PX_TEST(test_tm_bulk__filter_rebuilt_when_outgrown) {
  const char *d = subdir("xf2");
  size_t saved = px_tm__xf_min_keys;
  px_tm__xf_min_keys = 64;
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, d, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 0, 10, 10);
  size_t cap0 = tm->xf_cap;
  CHECK(cap0 > 0 && cap0 < 400);
  fill(tm, 10, 600, 40);
  CHECK(tm->xf_cap > cap0);
  CHECK(tm->xf_n <= tm->xf_cap);
  fill(tm, 0, 600, 40);
  CHECK_INT(units_in(tm), 600);
  CHECK_OK(px_tm__bulk(tm, 0));
  px_tm_close(tm);
  px_tm__xf_min_keys = saved;
}

/* Another process's commit between two bulk transactions makes the
 * filter stale (it lacks that process's keys): it is dropped and built
 * again, so the unit that process stored is found, not stored twice. */
PX_TEST(test_tm_bulk__filter_dropped_after_other_writer) {
  const char *d = subdir("xf3");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, d, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 0, 100, 50);
  CHECK(tm->xf != NULL);
  fflush(NULL);
  pid_t pid = fork();
  if (pid == 0) {
    px_tm *other = NULL;
    px_tm_txn *txn = NULL;
    int ok =
        px_tm_open(&other, d, NULL) == 0 && px_tm_txn_begin(&txn, other) == 0;
    if (ok)
      add_unit(txn, 1000);
    ok = ok && px_tm_txn_commit(txn) == 0;
    px_tm_close(other);
    _exit(ok ? 0 : 1);
  }
  CHECK(pid > 0);
  int status = 0;
  CHECK_INT(waitpid(pid, &status, 0), pid);
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  CHECK_INT(units_in(tm), 101);
  fill(tm, 1000, 1001, 1); /* the other process's unit */
  fill(tm, 99, 101, 2);
  CHECK_INT(units_in(tm), 102);
  CHECK_OK(px_tm__bulk(tm, 0));
  px_tm_close(tm);
}

/* Units whose exact keys wait in runs an import left are found, not
 * stored twice: by a later bulk load (which looks in every run, having no
 * filters of them) and by a plain write (which merges the runs first). */
PX_TEST(test_tm_bulk__exact_keys_in_left_runs) {
  const char *d = subdir("xleft");
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, d, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  fill(tm, 0, 50, 10); /* 5 runs: exact keys in runs only */
  px_tm_close(tm);
  char *ex = dump_db(d, "exact", NULL);
  CHECK_STR(ex, ""); /* nothing merged yet */
  free(ex);
  CHECK_OK(px_tm_open(&tm, d, NULL));
  CHECK_OK(px_tm__bulk(tm, 1));
  CHECK_INT(tm->xruns_all, 0);
  fill(tm, 0, 60, 20);
  CHECK_INT(units_in(tm), 60);
  px_tm_close(tm);
  CHECK_OK(px_tm_open(&tm, d, NULL));
  fill(tm, 55, 61, 6); /* plain: merges, then finds 55..59 */
  CHECK_INT(units_in(tm), 61);
  px_tm_close(tm);
  size_t pending = 0;
  free(dump_db(d, "words", &pending));
  CHECK_INT(pending, 0);
  check_exact_as_plain(d, "xleft-ref", 61);
}
