/*
 * store.c: the translation-memory store on a real LMDB environment in a
 * temporary directory: open/create, add/get, de-duplication and merging of
 * language variants, delete by id and by document, meta, iteration,
 * stats, map growth from a tiny map, read-only mode, schema mismatch,
 * wrong and corrupt stores, and readers in other processes during writes.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <lmdb.h>

#include "px_test.h"
#include "tmhelp.h"

static px_tm *open_tm(const char *dir) {
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, dir, NULL));
  return tm;
}

static char *subdir(const char *name) {
  static char buf[4][1024];
  static int k;
  k = (k + 1) % 4;
  snprintf(buf[k], sizeof buf[k], "%s/%s", px_test_tmpdir(), name);
  return buf[k];
}

PX_TEST(test_tm_store__add_get_roundtrip) {
  px_tm *tm = open_tm(subdir("m"));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  px_variant v[2];
  memset(v, 0, sizeof v);
  v[0].lang = "fa";
  v[0].text = "سلام دنیا";
  v[0].len = strlen(v[0].text);
  v[0].prev_hash = 11;
  v[0].next_hash = 22;
  v[1].lang = "EN_us";
  v[1].text = "Hello {1}world{/1}";
  v[1].len = strlen(v[1].text);
  v[1].codes = "<bpt i=\"1\">&lt;b&gt;</bpt>\n<ept i=\"1\">&lt;/b&gt;</ept>";
  v[1].codes_len = strlen(v[1].codes);
  px_prop props[1] = {{"x-domain", "news"}};
  const char *notes[1] = {"checked"};
  px_unit u;
  memset(&u, 0, sizeof u);
  u.tuid = "t-1";
  u.created = 1700000000;
  u.changed = 1700000100;
  u.usage_count = 3;
  u.creator = "ed";
  u.tool = "parallax";
  u.doc_id = "mna-1";
  u.doc_pos = 7;
  u.confidence = 0.875;
  u.variants = v;
  u.nvariants = 2;
  u.props = props;
  u.nprops = 1;
  u.notes = notes;
  u.nnotes = 1;
  uint64_t id = 0;
  int nw = 0;
  CHECK_OK(px_tm_add(txn, &u, &id, &nw));
  CHECK_INT(id, 1);
  CHECK_INT(nw, 1);
  CHECK_OK(px_tm_txn_commit(txn));
  px_unit *r = NULL;
  CHECK_OK(px_tm_get(&r, tm, id));
  if (r) {
    CHECK_INT(r->id, 1);
    CHECK_STR(r->tuid, "t-1");
    CHECK_INT(r->created, 1700000000);
    CHECK_INT(r->changed, 1700000100);
    CHECK_INT(r->usage_count, 3);
    CHECK_STR(r->creator, "ed");
    CHECK_STR(r->tool, "parallax");
    CHECK_STR(r->doc_id, "mna-1");
    CHECK_INT(r->doc_pos, 7);
    CHECK(r->confidence > 0.8749 && r->confidence < 0.8751);
    CHECK(r->changer == NULL);
    CHECK_INT(r->nvariants, 2);
    CHECK_INT(r->nprops, 1);
    CHECK_STR(r->props[0].type, "x-domain");
    CHECK_STR(r->props[0].value, "news");
    CHECK_INT(r->nnotes, 1);
    CHECK_STR(r->notes[0], "checked");
    const px_variant *en = px_unit_variant(r, "en");
    CHECK(en != NULL);
    if (en) {
      CHECK_STR(en->lang, "en-us");
      CHECK_MEM(en->text, en->len, "Hello {1}world{/1}");
      CHECK_MEM(en->codes, en->codes_len, v[1].codes);
    }
    const px_variant *fa = px_unit_variant(r, "fa");
    CHECK(fa && fa->prev_hash == 11 && fa->next_hash == 22);
    CHECK(fa && fa->codes == NULL);
    CHECK(px_unit_variant(r, "ru") == NULL);
  }
  px_unit_free(r);
  CHECK_ERR(px_tm_get(&r, tm, 99), PX_ENOTFOUND);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__dedup_and_merge) {
  px_tm *tm = open_tm(subdir("m"));
  px_tm_txn *txn = NULL;
  int nw = -1;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  uint64_t a = tm_add_pair(txn, "fa", "او به تهران رفت.", "en",
                           "He went to Tehran.", &nw);
  CHECK_INT(nw, 1);
  /* the same pair again (other spacing): no duplicate, usage updated */
  uint64_t b = tm_add_pair(txn, "fa", "او به  تهران رفت.", "en",
                           "He went to Tehran. ", &nw);
  CHECK_INT(nw, 0);
  CHECK_INT(b, a);
  /* the English sentence aligned from Russian: merged into one unit */
  uint64_t c = tm_add_pair(txn, "ru", "Он поехал в Тегеран.", "en",
                           "He went to Tehran.", &nw);
  CHECK_INT(nw, 0);
  CHECK_INT(c, a);
  /* a different Persian translation of the same English: a new unit */
  uint64_t d = tm_add_pair(txn, "fa", "وی عازم تهران شد.", "en",
                           "He went to Tehran.", &nw);
  CHECK_INT(nw, 1);
  CHECK(d != a);
  /* case matters for identity */
  uint64_t e = tm_add_pair(txn, "fa", "او به تهران رفت.", "en",
                           "he went to tehran.", &nw);
  CHECK_INT(nw, 1);
  CHECK(e != a);
  CHECK_OK(px_tm_txn_commit(txn));
  px_unit *r = NULL;
  CHECK_OK(px_tm_get(&r, tm, a));
  if (r) {
    CHECK_INT(r->nvariants, 3);
    CHECK_INT(r->usage_count, 2);
    CHECK(px_unit_variant(r, "ru") != NULL);
    CHECK(r->last_used > 0);
    const px_variant *fa = px_unit_variant(r, "fa");
    CHECK(fa && strcmp(fa->text, "او به تهران رفت.") == 0);
  }
  px_unit_free(r);
  px_tm_stat *st = NULL;
  CHECK_OK(px_tm_stats(&st, tm));
  if (st) {
    CHECK_INT(st->units, 3);
    CHECK_INT(st->variants, 7);
    CHECK_INT(st->nlangs, 3);
    CHECK_STR(st->langs[0].lang, "en");
    CHECK_INT(st->langs[0].variants, 3);
    CHECK_STR(st->langs[1].lang, "fa");
    CHECK_INT(st->langs[1].variants, 3);
    CHECK_STR(st->langs[2].lang, "ru");
    CHECK_INT(st->langs[2].variants, 1);
    CHECK_INT(st->schema, PX_TM_SCHEMA_VERSION);
  }
  px_free(st);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__bad_units_change_nothing) {
  px_tm *tm = open_tm(subdir("m"));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  px_variant v[2];
  memset(v, 0, sizeof v);
  v[0].lang = "fa";
  v[0].text = "abc\xff";
  v[0].len = 4;
  v[1].lang = "en";
  v[1].text = "x";
  v[1].len = 1;
  px_unit u;
  memset(&u, 0, sizeof u);
  u.variants = v;
  u.nvariants = 2;
  CHECK_ERR(px_tm_add(txn, &u, NULL, NULL), PX_EENCODING);
  CHECK(strstr(px_error_last()->message, "byte 3") != NULL);
  v[0].text = "ok";
  v[0].len = 2;
  v[1].lang = "FA";
  CHECK_ERR(px_tm_add(txn, &u, NULL, NULL), PX_EINVALID);
  v[1].lang = "e n";
  CHECK_ERR(px_tm_add(txn, &u, NULL, NULL), PX_EINVALID);
  v[1].lang = "en";
  v[1].len = PX_TM_MAX_TEXT + 1;
  CHECK_ERR(px_tm_add(txn, &u, NULL, NULL), PX_ETOOBIG);
  v[0].text = "  ";
  v[1].text = " ";
  v[1].len = 1;
  CHECK_ERR(px_tm_add(txn, &u, NULL, NULL), PX_EINVALID);
  u.nvariants = 0;
  CHECK_ERR(px_tm_add(txn, &u, NULL, NULL), PX_EINVALID);
  /* the transaction is still good */
  uint64_t id = tm_add_pair(txn, "fa", "یک", "en", "one", NULL);
  CHECK_INT(id, 1);
  CHECK_OK(px_tm_txn_commit(txn));
  px_tm_close(tm);
}

PX_TEST(test_tm_store__abort_discards) {
  px_tm *tm = open_tm(subdir("m"));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  tm_add_pair(txn, "fa", "یک", "en", "one", NULL);
  px_tm_txn *second = NULL;
  CHECK_ERR(px_tm_txn_begin(&second, tm), PX_EEXISTS);
  px_tm_txn_abort(txn);
  px_unit *r = NULL;
  CHECK_ERR(px_tm_get(&r, tm, 1), PX_ENOTFOUND);
  px_tm_txn_abort(NULL);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__delete_unit_and_doc) {
  px_tm *tm = open_tm(subdir("m"));
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  const char *docs[3] = {"doc-a", "doc-a", "doc-b"};
  const char *en[3] = {"First sentence here.", "Second one follows.",
                       "Third from elsewhere."};
  const char *fa[3] = {"جمله اول اینجا.", "دومی می‌آید.",
                       "سومی از جای دیگر."};
  for (int i = 0; i < 3; i++) {
    px_variant v[2];
    memset(v, 0, sizeof v);
    v[0].lang = "fa";
    v[0].text = fa[i];
    v[0].len = strlen(fa[i]);
    v[1].lang = "en";
    v[1].text = en[i];
    v[1].len = strlen(en[i]);
    px_unit u;
    memset(&u, 0, sizeof u);
    u.variants = v;
    u.nvariants = 2;
    u.doc_id = docs[i];
    u.doc_pos = (uint32_t)i;
    CHECK_OK(px_tm_add(txn, &u, NULL, NULL));
  }
  CHECK_OK(px_tm_txn_commit(txn));
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  uint64_t n = 99;
  CHECK_OK(px_tm_delete_doc(txn, "doc-a", &n));
  CHECK_INT(n, 2);
  CHECK_OK(px_tm_delete_doc(txn, "no-such-doc", &n));
  CHECK_INT(n, 0);
  CHECK_ERR(px_tm_delete_unit(txn, 1), PX_ENOTFOUND);
  CHECK_OK(px_tm_delete_unit(txn, 3));
  CHECK_OK(px_tm_txn_commit(txn));
  px_tm_stat *st = NULL;
  CHECK_OK(px_tm_stats(&st, tm));
  if (st) {
    CHECK_INT(st->units, 0);
    CHECK_INT(st->variants, 0);
    CHECK_INT(st->nlangs, 0);
    CHECK_INT(st->docs, 0);
    CHECK_INT(st->index_terms, 0); /* the indexes are empty again */
    CHECK_INT(st->text_bytes, 0);
  }
  px_free(st);
  /* a lookup finds nothing that was deleted */
  px_match *m = NULL;
  size_t nm = 9;
  CHECK_OK(
      px_tm_lookup(&m, &nm, tm, "First sentence here.", 20, "en", "fa", NULL));
  CHECK_INT(nm, 0);
  px_tm_matches_free(m, nm);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__meta_and_iterate) {
  px_tm *tm = open_tm(subdir("m"));
  px_tm_txn *txn = NULL;
  char *val = NULL;
  size_t vl = 0;
  CHECK_ERR(px_tm_meta_get(tm, "import:x", &val, &vl), PX_ENOTFOUND);
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  for (int i = 0; i < 50; i++) {
    char e[64], f[64];
    snprintf(e, sizeof e, "Sentence number %d in English.", i);
    snprintf(f, sizeof f, "Предложение номер %d.", i);
    tm_add_pair(txn, "en", e, "ru", f, NULL);
  }
  CHECK_OK(px_tm_meta_put(txn, "import:x", "offset=1234", 11));
  /* the open transaction sees its own checkpoint */
  CHECK_OK(px_tm_meta_get(tm, "import:x", &val, &vl));
  CHECK_STR(val, "offset=1234");
  px_free(val);
  CHECK_OK(px_tm_txn_commit(txn));
  CHECK_OK(px_tm_meta_get(tm, "import:x", &val, &vl));
  CHECK_MEM(val, vl, "offset=1234");
  px_free(val);
  px_tm_iter *it = NULL;
  CHECK_OK(px_tm_iter_new(&it, tm));
  const px_unit *u = NULL;
  uint64_t last = 0;
  int n = 0, rc;
  while ((rc = px_tm_iter_next(it, &u)) == 0) {
    CHECK(u->id > last);
    last = u->id;
    n++;
  }
  CHECK_INT(rc, PX_ITEROVER);
  CHECK_INT(px_tm_iter_next(it, &u), PX_ITEROVER);
  CHECK_INT(n, 50);
  px_tm_iter_free(it);
  px_tm_iter_free(NULL);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__map_grows) {
  const char *dir = subdir("grow");
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.map_size = 256 * 1024; /* tiny: must grow several times */
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, dir, &o));
  px_tm_stat *st = NULL;
  CHECK_OK(px_tm_stats(&st, tm));
  uint64_t map0 = st ? st->map_bytes : 0;
  px_free(st);
  /* one big transaction (replay path) and many small ones (pre-growth) */
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  uint64_t id = 0;
  for (int i = 0; i < 3000; i++) {
    char e[128], f[128];
    snprintf(e, sizeof e,
             "The committee met on day %d to discuss item %d of the plan.", i,
             i * 7);
    snprintf(f, sizeof f, "Комитет собрался в день %d по пункту %d плана.", i,
             i * 7);
    id = tm_add_pair(txn, "en", e, "ru", f, NULL);
  }
  CHECK_INT(id, 3000);
  CHECK_OK(px_tm_txn_commit(txn));
  for (int b = 0; b < 20; b++) {
    CHECK_OK(px_tm_txn_begin(&txn, tm));
    for (int i = 0; i < 200; i++) {
      char e[128], f[128];
      snprintf(e, sizeof e, "Batch %d line %d: prices rose again today.", b, i);
      snprintf(f, sizeof f, "Партия %d строка %d: цены снова выросли.", b, i);
      tm_add_pair(txn, "en", e, "ru", f, NULL);
    }
    CHECK_OK(px_tm_txn_commit(txn));
  }
  CHECK_OK(px_tm_stats(&st, tm));
  if (st) {
    CHECK_INT(st->units, 7000);
    CHECK(st->map_bytes >= map0 * 8);
  }
  px_free(st);
  px_unit *r = NULL;
  CHECK_OK(px_tm_get(&r, tm, 2999));
  if (r)
    CHECK(strstr(px_unit_variant(r, "en")->text, "day 2998 ") != NULL);
  px_unit_free(r);
  px_tm_close(tm);
  /* reopening with a smaller size keeps the grown map */
  CHECK_OK(px_tm_open(&tm, dir, &o));
  CHECK_OK(px_tm_get(&r, tm, 7000));
  px_unit_free(r);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__max_map_is_an_error) {
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.map_size = 128 * 1024;
  o.max_map_size = 256 * 1024;
  px_tm *tm = NULL;
  CHECK_OK(px_tm_open(&tm, subdir("full"), &o));
  int rc = 0;
  for (int b = 0; b < 100 && rc == 0; b++) {
    px_tm_txn *txn = NULL;
    rc = px_tm_txn_begin(&txn, tm);
    for (int i = 0; i < 100 && rc == 0; i++) {
      char e[96];
      snprintf(e, sizeof e, "Filler sentence %d %d with several words.", b, i);
      px_variant v = {0};
      v.lang = "en";
      v.text = e;
      v.len = strlen(e);
      px_unit u;
      memset(&u, 0, sizeof u);
      u.variants = &v;
      u.nvariants = 1;
      rc = px_tm_add(txn, &u, NULL, NULL);
    }
    if (rc == 0)
      rc = px_tm_txn_commit(txn);
    else
      px_tm_txn_abort(txn);
  }
  CHECK_INT(rc, PX_ESTORE);
  CHECK(strstr(px_error_last()->message, "full") != NULL);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__readonly) {
  const char *dir = subdir("ro");
  px_tm *tm = NULL;
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.flags = PX_TM_RDONLY;
  CHECK_ERR(px_tm_open(&tm, dir, &o), PX_ENOTFOUND);
  CHECK(access(dir, F_OK) != 0); /* not created */
  tm = open_tm(dir);
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  tm_add_pair(txn, "fa", "یک", "en", "one", NULL);
  CHECK_OK(px_tm_txn_commit(txn));
  px_tm_close(tm);
  CHECK_OK(px_tm_open(&tm, dir, &o));
  CHECK_ERR(px_tm_txn_begin(&txn, tm), PX_EREADONLY);
  px_unit *r = NULL;
  CHECK_OK(px_tm_get(&r, tm, 1));
  px_unit_free(r);
  px_tm_close(tm);
}

PX_TEST(test_tm_store__wrong_and_corrupt_paths) {
  px_tm *tm = NULL;
  const char *dir = px_test_tmpdir();
  char file[1024];
  snprintf(file, sizeof file, "%s/plain-file", dir);
  CHECK_INT(px_test_write(file, "hello", 5), 0);
  CHECK_ERR(px_tm_open(&tm, file, NULL), PX_ESTORE);
  CHECK(strstr(px_error_last()->message, "not a directory") != NULL);
  /* a directory whose data.mdb is garbage */
  char bad[1024], data[1100];
  snprintf(bad, sizeof bad, "%s/garbage", dir);
  mkdir(bad, 0777);
  snprintf(data, sizeof data, "%s/data.mdb", bad);
  char junk[16384];
  for (size_t i = 0; i < sizeof junk; i++)
    junk[i] = (char)(i * 131 + 7);
  CHECK_INT(px_test_write(data, junk, sizeof junk), 0);
  CHECK_ERR(px_tm_open(&tm, bad, NULL), PX_ESTORE);
  CHECK(strstr(px_error_last()->message, "garbage") != NULL);
  /* a missing parent directory */
  char deep[1024];
  snprintf(deep, sizeof deep, "%s/no/such/dir", dir);
  int rc = px_tm_open(&tm, deep, NULL);
  CHECK(rc == PX_EIO);
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.flags = PX_TM_NOCREATE;
  CHECK_ERR(px_tm_open(&tm, deep, &o), PX_ENOTFOUND);
  CHECK_ERR(px_tm_open(NULL, dir, NULL), PX_EINVALID);
}

/* An LMDB store written by someone else, and one with another schema. */
PX_TEST(test_tm_store__schema_mismatch) {
  const char *dir = subdir("s");
  px_tm *tm = open_tm(dir);
  px_tm_close(tm);
  MDB_env *env;
  MDB_txn *t;
  MDB_dbi dbi;
  CHECK_INT(mdb_env_create(&env), 0);
  mdb_env_set_maxdbs(env, 8);
  CHECK_INT(mdb_env_open(env, dir, 0, 0644), 0);
  CHECK_INT(mdb_txn_begin(env, NULL, 0, &t), 0);
  CHECK_INT(mdb_dbi_open(t, "meta", 0, &dbi), 0);
  unsigned char v2[4] = {0, 0, 0, 99};
  MDB_val k = {6, (void *)"schema"}, v = {4, v2};
  CHECK_INT(mdb_put(t, dbi, &k, &v, 0), 0);
  CHECK_INT(mdb_txn_commit(t), 0);
  mdb_env_close(env);
  CHECK_ERR(px_tm_open(&tm, dir, NULL), PX_ESCHEMA);
  CHECK(strstr(px_error_last()->message, "schema version 99") != NULL);
  /* a foreign LMDB store */
  const char *other = subdir("foreign");
  mkdir(other, 0777);
  CHECK_INT(mdb_env_create(&env), 0);
  CHECK_INT(mdb_env_open(env, other, 0, 0644), 0);
  CHECK_INT(mdb_txn_begin(env, NULL, 0, &t), 0);
  CHECK_INT(mdb_dbi_open(t, NULL, 0, &dbi), 0);
  MDB_val k2 = {3, (void *)"key"}, v3 = {3, (void *)"val"};
  CHECK_INT(mdb_put(t, dbi, &k2, &v3, 0), 0);
  CHECK_INT(mdb_txn_commit(t), 0);
  mdb_env_close(env);
  CHECK_ERR(px_tm_open(&tm, other, NULL), PX_ESCHEMA);
  CHECK(strstr(px_error_last()->message, "not a parallax") != NULL);
}

/* A record damaged on disk gives PX_ESTORE, not a crash. */
PX_TEST(test_tm_store__corrupt_record) {
  const char *dir = subdir("c");
  px_tm *tm = open_tm(dir);
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  tm_add_pair(txn, "fa", "یک دو", "en", "one two", NULL);
  CHECK_OK(px_tm_txn_commit(txn));
  px_tm_close(tm);
  MDB_env *env;
  MDB_txn *t;
  MDB_dbi dbi;
  mdb_env_create(&env);
  mdb_env_set_maxdbs(env, 8);
  CHECK_INT(mdb_env_open(env, dir, 0, 0644), 0);
  CHECK_INT(mdb_txn_begin(env, NULL, 0, &t), 0);
  CHECK_INT(mdb_dbi_open(t, "units", 0, &dbi), 0);
  unsigned char key[4] = {0, 0, 0, 1};
  unsigned char rec[5] = {0xB1, 1, 0x80, 0x80, 0x80};
  MDB_val k = {4, key}, v = {5, rec};
  CHECK_INT(mdb_put(t, dbi, &k, &v, 0), 0);
  CHECK_INT(mdb_txn_commit(t), 0);
  mdb_env_close(env);
  tm = open_tm(dir);
  px_unit *r = NULL;
  CHECK_ERR(px_tm_get(&r, tm, 1), PX_ESTORE);
  CHECK(strstr(px_error_last()->message, "corrupt record of unit 1") != NULL);
  px_match *m = NULL;
  size_t nm = 0;
  int rc = px_tm_lookup(&m, &nm, tm, "one two", 7, "en", "fa", NULL);
  CHECK(rc == PX_ESTORE);
  px_tm_iter *it = NULL;
  CHECK_OK(px_tm_iter_new(&it, tm));
  const px_unit *u;
  CHECK_ERR(px_tm_iter_next(it, &u), PX_ESTORE);
  CHECK_INT(px_tm_iter_next(it, &u), PX_ITEROVER);
  px_tm_iter_free(it);
  px_tm_close(tm);
}

/* Readers in child processes look up while this process writes. */
PX_TEST(test_tm_store__concurrent_readers) {
  const char *dir = subdir("cc");
  px_tm *tm = open_tm(dir);
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm));
  tm_add_pair(txn, "en", "The reader must always find this sentence.", "fa",
              "خواننده همیشه باید این جمله را پیدا کند.", NULL);
  CHECK_OK(px_tm_txn_commit(txn));
  pid_t kids[3];
  for (int k = 0; k < 3; k++) {
    kids[k] = fork();
    if (kids[k] == 0) {
      px_tm *r = NULL;
      px_tm_opts o = PX_TM_OPTS_INIT;
      o.flags = PX_TM_RDONLY;
      if (px_tm_open(&r, dir, &o) != 0)
        _exit(10);
      for (int i = 0; i < 300; i++) {
        px_match *m = NULL;
        size_t n = 0;
        const char *q = "The reader must always find this sentence.";
        if (px_tm_lookup(&m, &n, r, q, strlen(q), "en", "fa", NULL) != 0)
          _exit(11);
        if (n < 1 || m[0].score != 100)
          _exit(12);
        px_tm_matches_free(m, n);
      }
      px_tm_close(r);
      _exit(0);
    }
  }
  /* meanwhile: many write transactions, some needing the map to grow */
  for (int b = 0; b < 30; b++) {
    CHECK_OK(px_tm_txn_begin(&txn, tm));
    for (int i = 0; i < 100; i++) {
      char e[96], f[96];
      snprintf(e, sizeof e, "Concurrent batch %d sentence %d.", b, i);
      snprintf(f, sizeof f, "دسته %d جمله %d.", b, i);
      tm_add_pair(txn, "en", e, "fa", f, NULL);
    }
    CHECK_OK(px_tm_txn_commit(txn));
  }
  for (int k = 0; k < 3; k++) {
    int st = 0;
    waitpid(kids[k], &st, 0);
    CHECK(WIFEXITED(st));
    CHECK_INT(WEXITSTATUS(st), 0);
  }
  px_tm_close(tm);
}

/* A writer killed with SIGKILL in mid-transaction loses only that
 * transaction; the store opens and holds every committed unit. */
PX_TEST(test_tm_store__kill9_during_write) {
  const char *dir = subdir("k");
  int pfd[2];
  CHECK_INT(pipe(pfd), 0);
  pid_t kid = fork();
  if (kid == 0) {
    close(pfd[0]);
    px_tm *tm = NULL;
    px_tm_opts o = PX_TM_OPTS_INIT;
    o.map_size = 512 * 1024;
    if (px_tm_open(&tm, dir, &o) != 0)
      _exit(10);
    for (int b = 0;; b++) {
      px_tm_txn *txn = NULL;
      if (px_tm_txn_begin(&txn, tm) != 0)
        _exit(11);
      for (int i = 0; i < 50; i++) {
        char e[96];
        snprintf(e, sizeof e, "Killed writer batch %d sentence %d.", b, i);
        px_variant v = {0};
        v.lang = "en";
        v.text = e;
        v.len = strlen(e);
        px_unit u;
        memset(&u, 0, sizeof u);
        u.variants = &v;
        u.nvariants = 1;
        if (px_tm_add(txn, &u, NULL, NULL) != 0)
          _exit(12);
      }
      if (px_tm_txn_commit(txn) != 0)
        _exit(13);
      if (write(pfd[1], "c", 1) != 1)
        _exit(14);
    }
  }
  close(pfd[1]);
  char c;
  int commits = 0;
  while (commits < 40 && read(pfd[0], &c, 1) == 1)
    commits++;
  kill(kid, SIGKILL);
  int st = 0;
  waitpid(kid, &st, 0);
  CHECK(WIFSIGNALED(st));
  while (read(pfd[0], &c, 1) == 1)
    commits++;
  close(pfd[0]);
  px_tm *tm = open_tm(dir);
  px_tm_stat *s = NULL;
  CHECK_OK(px_tm_stats(&s, tm));
  if (s) {
    /* every acknowledged commit is there; at most one more landed */
    CHECK(s->units >= (uint64_t)commits * 50);
    CHECK(s->units <= (uint64_t)(commits + 1) * 50);
    CHECK(s->units % 50 == 0);
  }
  px_free(s);
  px_tm_txn *txn = NULL;
  CHECK_OK(px_tm_txn_begin(&txn, tm)); /* the writer lock was released */
  px_tm_txn_abort(txn);
  px_tm_close(tm);
}
