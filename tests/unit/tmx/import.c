/*
 * import.c: importing into a real LMDB memory in a temporary directory and
 * exporting from it: import -> export -> import -> export gives the same
 * bytes (TMX and JSONL); a malformed file stores nothing (one transaction,
 * and batched with the checking pass); bad units skipped; re-import
 * updates instead of duplicating; a child process killed with SIGKILL in
 * the middle of a batched import leaves exactly the committed batches and
 * a checkpoint that --resume continues from; readers in other processes
 * look up while an import runs and never fail; export is atomic.
 */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "px_test.h"

static px_tm *open_tm(const char *dir) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, dir, NULL));
  return tm;
}

static uint64_t units_in(px_tm *tm) {
  px_tm_stat *st = NULL;
  uint64_t n = 0;
  CHECK_OK(px_tm_stats(&st, tm));
  if (st)
    n = st->units;
  px_free(st);
  return n;
}

/* A TMX file of n distinct units (en + fr); a broken unit at bad (1-based)
 * when bad > 0: "tag" a missing xml:lang, "xml" a mismatched tag. */
static void gen_tmx(const char *path, int n, int bad, const char *how) {
  FILE *f = fopen(path, "w");
  fputs("<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header "
        "creationtool=\"gen\" creationtoolversion=\"1\" segtype=\"sentence\" "
        "o-tmf=\"gen\" adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\" "
        "creationdate=\"20200101T000000Z\"/>\n<body>\n",
        f);
  for (int i = 1; i <= n; i++) {
    if (i == bad && !strcmp(how, "tag"))
      fprintf(f, "<tu><tuv><seg>broken %d</seg></tuv></tu>\n", i);
    else if (i == bad)
      fprintf(f, "<tu><tuv xml:lang=\"en\"><seg>broken %d</tuv></tu>\n", i);
    else
      fprintf(f,
              "<tu tuid=\"g%d\"><tuv xml:lang=\"en\"><seg>Sentence number %d "
              "about the council meeting in room %d.</seg></tuv><tuv "
              "xml:lang=\"fr\"><seg>Phrase numéro %d sur la réunion du "
              "conseil dans la salle %d.</seg></tuv></tu>\n",
              i, i, i * 7, i, i * 7);
  }
  fputs("</body>\n</tmx>\n", f);
  fclose(f);
}

static int import(px_tm *tm, const char *path, long batch, unsigned flags,
                  unsigned rflags, px_tmx_import_stats *st) {
  px_tmx_import_opts o = PX_TMX_IMPORT_OPTS_INIT;
  o.batch = batch;
  o.flags = flags;
  o.read.flags = rflags;
  return px_tmx_import(st, tm, path, &o);
}

static char *export_to(px_tm *tm, const char *path, px_tmx_format fmt) {
  px_tmx_write_opts o = PX_TMX_WRITE_OPTS_INIT;
  o.format = fmt;
  o.now = 1700000000;
  CHECK_OK(px_tmx_export(NULL, tm, path, &o));
  return px_test_slurp(path, NULL);
}

PX_TEST(test_tmx_import__roundtrip_bytes) {
  char a[512], b[512], e1[512], e2[512];
  const char *d = px_test_tmpdir();
  for (int fmt = PX_TMX_FORMAT_TMX; fmt <= PX_TMX_FORMAT_JSONL; fmt += 2) {
    const char *ext = fmt == PX_TMX_FORMAT_TMX ? "tmx" : "jsonl";
    snprintf(a, sizeof a, "%s/a-%s", d, ext);
    snprintf(b, sizeof b, "%s/b-%s", d, ext);
    snprintf(e1, sizeof e1, "%s/e1.%s", d, ext);
    snprintf(e2, sizeof e2, "%s/e2.%s", d, ext);
    px_tm *tm = open_tm(a);
    px_tmx_import_stats st;
    CHECK_OK(import(tm, px_test_data("tmx/rich.tmx"), -1, 0, 0, &st));
    CHECK_INT(st.added, 3);
    char *x1 = export_to(tm, e1, (px_tmx_format)fmt);
    px_tm_close(tm);
    tm = open_tm(b);
    CHECK_OK(import(tm, e1, -1, 0, 0, &st));
    CHECK_INT(st.added, 3);
    char *x2 = export_to(tm, e2, (px_tmx_format)fmt);
    px_tm_close(tm);
    CHECK(x1 && x2);
    if (x1 && x2)
      CHECK_STR(x2, x1);
    free(x1);
    free(x2);
  }
  /* the first export of rich.tmx, as a golden file */
  char *want = px_test_slurp(px_test_data("tmx/rich.export.tmx"), NULL);
  snprintf(e1, sizeof e1, "%s/e1.tmx", d);
  char *got = px_test_slurp(e1, NULL);
  CHECK(want && got);
  if (want && got)
    CHECK_STR(got, want);
  free(want);
  free(got);
}

PX_TEST(test_tmx_import__all_or_nothing) {
  const char *d = px_test_tmpdir();
  char f[512], s[512];
  snprintf(f, sizeof f, "%s/bad.tmx", d);
  snprintf(s, sizeof s, "%s/tm", d);
  px_tm *tm = open_tm(s);
  px_tmx_import_stats st;
  /* one transaction: the 300th unit is bad, nothing of the 299 stays */
  gen_tmx(f, 400, 300, "tag");
  CHECK_ERR(import(tm, f, -1, 0, 0, &st), PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "bad.tmx:303:5: <tuv> without "
                                         "xml:lang") != NULL);
  CHECK_INT(units_in(tm), 0);
  /* batched (50 a transaction): the checking pass finds it first */
  CHECK_ERR(import(tm, f, 50, 0, 0, &st), PX_EPARSE);
  CHECK_INT(st.batches, 0);
  CHECK_INT(units_in(tm), 0);
  /* not well-formed at the end: nothing either, even with --skip-bad */
  gen_tmx(f, 400, 400, "xml");
  CHECK_ERR(import(tm, f, 50, 0, PX_TMX_SKIP_BAD, &st), PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "mismatched tag") != NULL);
  CHECK_INT(units_in(tm), 0);
  CHECK_ERR(import(tm, f, 0, 0, PX_TMX_SKIP_BAD, &st), PX_EPARSE);
  CHECK_INT(units_in(tm), 0);
  /* --skip-bad: the bad unit is skipped, the rest stored */
  gen_tmx(f, 400, 300, "tag");
  CHECK_OK(import(tm, f, 50, 0, PX_TMX_SKIP_BAD, &st));
  CHECK_INT(st.added, 399);
  CHECK_INT(st.skipped, 1);
  CHECK_INT(st.batches, 7 + 1); /* 7 full batches, then the rest */
  CHECK_INT(units_in(tm), 399);
  /* again: updated, never duplicated */
  CHECK_OK(import(tm, f, 0, 0, PX_TMX_SKIP_BAD, &st));
  CHECK_INT(st.added, 0);
  CHECK_INT(st.updated, 399);
  CHECK_INT(units_in(tm), 399);
  px_tm_close(tm);
}

PX_TEST(test_tmx_import__checkpoint_and_resume) {
  const char *d = px_test_tmpdir();
  char f[512], s[512];
  snprintf(f, sizeof f, "%s/g.tmx", d);
  snprintf(s, sizeof s, "%s/tm", d);
  gen_tmx(f, 250, 0, "");
  px_tm *tm = open_tm(s);
  px_tmx_import_stats st;
  /* a checkpoint as an interrupted import leaves it: 100 units done */
  px_tmx_read_stats rs;
  px_tmx_read_opts ro = PX_TMX_READ_OPTS_INIT;
  ro.flags = PX_TMX_HASH;
  CHECK_OK(px_tmx_read(&rs, f, &ro, NULL, NULL));
  char key[64];
  snprintf(key, sizeof key, "import:%016llx", (unsigned long long)rs.hash);
  px_tm_txn *txn;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  const char *v = "units=100 bytes=1 done=0 file=g.tmx";
  CHECK_OK(px_tm_meta_put(txn, key, v, strlen(v)));
  CHECK_OK(px_tm_txn_commit(txn));
  CHECK_ERR(import(tm, f, 50, 0, 0, &st), PX_EEXISTS);
  CHECK(strstr(px_error_last()->message, "(100 units committed); run it "
                                         "again with --resume") != NULL);
  CHECK_INT(units_in(tm), 0);
  CHECK_OK(import(tm, f, 50, PX_TMX_RESUME, 0, &st));
  CHECK_INT(st.resumed, 100);
  CHECK_INT(st.added, 150);
  CHECK_INT(units_in(tm), 150);
  char *val = NULL;
  size_t n;
  CHECK_OK(px_tm_meta_get(tm, key, &val, &n));
  CHECK(val && strncmp(val, "units=250 ", 10) == 0 && strstr(val, "done=1"));
  px_free(val);
  /* complete: a plain import is allowed again (it updates; the first 100
   * were only claimed by the checkpoint made up above, so they are new) */
  CHECK_OK(import(tm, f, 50, 0, 0, &st));
  CHECK_INT(st.added, 100);
  CHECK_INT(st.updated, 150);
  px_tm_close(tm);
}

/* A real child process importing is killed with SIGKILL after some
 * batches: the store opens, holds exactly the committed batches (as the
 * checkpoint says), refuses a plain re-import and finishes with --resume. */
PX_TEST(test_tmx_import__sigkill_resume) {
  const char *d = px_test_tmpdir();
  char f[512], s[512];
  const int N = 20000, B = 500;
  snprintf(f, sizeof f, "%s/big.tmx", d);
  snprintf(s, sizeof s, "%s/tm", d);
  gen_tmx(f, N, 0, "");
  px_tmx_read_stats rs;
  px_tmx_read_opts ro = PX_TMX_READ_OPTS_INIT;
  ro.flags = PX_TMX_HASH;
  CHECK_OK(px_tmx_read(&rs, f, &ro, NULL, NULL));
  char key[64];
  snprintf(key, sizeof key, "import:%016llx", (unsigned long long)rs.hash);
  { /* create the store before the child starts */
    px_tm *tm = open_tm(s);
    px_tm_close(tm);
  }
  pid_t pid = fork();
  if (pid == 0) {
    px_tm *tm = NULL;
    px_tmx_import_stats st;
    if (px_tm_open(&tm, s, NULL) < 0)
      _exit(3);
    _exit(import(tm, f, B, 0, 0, &st) < 0 ? 1 : 0);
  }
  CHECK(pid > 0);
  /* wait for a few batches, then kill -9 in the middle of the next */
  uint64_t done = 0;
  for (int i = 0; i < 6000 && done < (uint64_t)(3 * B); i++) {
    px_tm *tm = NULL;
    char *val = NULL;
    size_t n;
    struct timespec ts = {0, 5000000};
    nanosleep(&ts, NULL);
    if (px_tm_open(&tm, s, NULL) < 0)
      continue;
    if (px_tm_meta_get(tm, key, &val, &n) == 0)
      done = strtoull(val + 6, NULL, 10);
    px_free(val);
    px_tm_close(tm);
  }
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  px_tm *tm = open_tm(s);
  char *val = NULL;
  size_t n;
  CHECK_OK(px_tm_meta_get(tm, key, &val, &n));
  uint64_t committed = val ? strtoull(val + 6, NULL, 10) : 0;
  CHECK(val && strstr(val, "done=0") != NULL);
  px_free(val);
  CHECK(committed >= (uint64_t)(3 * B) && committed < (uint64_t)N);
  CHECK_INT(committed % B, 0);
  CHECK_INT(units_in(tm), committed);
  /* every committed unit is whole and readable */
  px_tm_iter *it;
  const px_unit *u;
  uint64_t seen = 0;
  CHECK_OK(px_tm_iter_new(&it, tm));
  while (px_tm_iter_next(it, &u) == 0) {
    seen++;
    CHECK_INT(u->nvariants, 2);
  }
  px_tm_iter_free(it);
  CHECK_INT(seen, committed);
  px_tmx_import_stats st;
  CHECK_ERR(import(tm, f, B, 0, 0, &st), PX_EEXISTS);
  CHECK_OK(import(tm, f, B, PX_TMX_RESUME, 0, &st));
  CHECK_INT(st.resumed, committed);
  CHECK_INT(st.added, (uint64_t)N - committed);
  CHECK_INT(st.updated, 0);
  CHECK_INT(units_in(tm), N);
  px_tm_close(tm);
}

/* Reader processes look up while this process imports in batches: no
 * lookup fails ("locked"), and they see the memory grow. */
PX_TEST(test_tmx_import__concurrent_readers) {
  const char *d = px_test_tmpdir();
  char f[512], s[512], stop[512];
  snprintf(f, sizeof f, "%s/big.tmx", d);
  snprintf(s, sizeof s, "%s/tm", d);
  snprintf(stop, sizeof stop, "%s/stop", d);
  gen_tmx(f, 6000, 0, "");
  {
    px_tm *tm = open_tm(s);
    px_tmx_import_stats st;
    CHECK_OK(import(tm, px_test_data("tmx/rich.tmx"), 0, 0, 0, &st));
    px_tm_close(tm);
  }
  pid_t kids[2];
  for (int k = 0; k < 2; k++) {
    kids[k] = fork();
    if (kids[k] == 0) {
      px_tm *tm = NULL;
      px_tm_opts o = PX_TM_OPTS_INIT;
      o.flags = k ? PX_TM_RDONLY : 0;
      long lookups = 0, failures = 0;
      uint64_t first = 0, last = 0;
      if (px_tm_open(&tm, s, &o) < 0)
        _exit(100);
      while (access(stop, F_OK) != 0 || lookups < 20) {
        px_match *m = NULL;
        size_t nm = 0;
        const char *q = "Sentence number 17 about the council meeting";
        if (px_tm_lookup(&m, &nm, tm, q, strlen(q), "en", "fr", NULL) < 0)
          failures++;
        px_tm_matches_free(m, nm);
        px_tm_stat *st = NULL;
        if (px_tm_stats(&st, tm) < 0)
          failures++;
        else {
          if (!first)
            first = st->units;
          last = st->units;
        }
        px_free(st);
        lookups++;
      }
      px_tm_close(tm);
      /* 0: all good; 1: failures; 2: never saw the import */
      _exit(failures ? 1 : last > first ? 0 : 2);
    }
  }
  px_tm *tm = open_tm(s);
  px_tmx_import_stats st;
  CHECK_OK(import(tm, f, 500, 0, 0, &st));
  CHECK_INT(st.added, 6000);
  px_tm_close(tm);
  FILE *sf = fopen(stop, "w");
  fclose(sf);
  for (int k = 0; k < 2; k++) {
    int status = -1;
    waitpid(kids[k], &status, 0);
    CHECK(WIFEXITED(status));
    CHECK_INT(WEXITSTATUS(status), 0);
  }
}

/* An export that fails leaves the target untouched and no temporary file. */
PX_TEST(test_tmx_import__export_atomic) {
  const char *d = px_test_tmpdir();
  char s[512], out[512];
  snprintf(s, sizeof s, "%s/tm", d);
  snprintf(out, sizeof out, "%s/out.tmx", d);
  px_tm *tm = open_tm(s);
  px_tmx_import_stats ist;
  CHECK_OK(import(tm, px_test_data("tmx/rich.tmx"), 0, 0, 0, &ist));
  px_test_write(out, "previous content\n", 17);
  /* a unit whose inline-code record is broken markup */
  px_variant v = {0};
  v.lang = "en";
  v.text = "broken {1/} code";
  v.len = strlen(v.text);
  v.codes = "<ph>unclosed";
  v.codes_len = strlen(v.codes);
  px_unit u = {0};
  u.variants = &v;
  u.nvariants = 1;
  u.confidence = -1;
  px_tm_txn *txn;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  CHECK_OK(px_tm_add(txn, &u, NULL, NULL));
  CHECK_OK(px_tm_txn_commit(txn));
  px_tmx_export_stats est;
  CHECK_ERR(px_tmx_export(&est, tm, out, NULL), PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "unit 4 (en): inline code 1 is not "
                                         "well-formed") != NULL);
  char *got = px_test_slurp(out, NULL);
  CHECK_STR(got, "previous content\n");
  free(got);
  DIR *dir = opendir(d);
  struct dirent *e;
  int files = 0;
  while ((e = readdir(dir)) != NULL)
    if (e->d_name[0] != '.')
      files++;
  closedir(dir);
  CHECK_INT(files, 2); /* tm/ and out.tmx: no temporary left */
  /* the other units export fine without it */
  const char *langs[] = {"fa"};
  px_tmx_write_opts wo = PX_TMX_WRITE_OPTS_INIT;
  wo.langs = langs;
  wo.nlangs = 1;
  CHECK_OK(px_tmx_export(&est, tm, out, &wo));
  CHECK_INT(est.units, 2);
  CHECK_INT(est.skipped, 2);
  px_tm_close(tm);
}
