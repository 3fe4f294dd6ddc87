/*
 * cache.c: the dictd cache (lexicon.c): px_lexicon_load_dictd() keeps the
 * pairs a dictionary gives in a file under $PARALLAX_CACHE_DIR and replays
 * them on later loads.  A load must store the same entries (same order,
 * bit-identical weights, same per-file counts) whether it parsed the
 * dictionary without a cache, parsed it and wrote the cache, or replayed
 * the cache; restricted or not, forward or reversed.  A cache that no
 * longer describes its dictionary (rewritten, truncated, garbled, for the
 * other direction) must not be used; an unwritable cache directory must
 * cost nothing but time.  Data: dictd files written here, and the
 * installed FreeDict dictionaries when Debian's packages are there.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lexicon.h"
#include "lexhelp.h"
#include "px_test.h"

/* Entries and per-file counts of a fresh lexicon after loading index in
 * direction rev, restricted to text when text is not NULL. */
static char *load_dump(const char *index, int rev, const char *text) {
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "tr", "en"));
  if (text)
    CHECK_OK(px_lexicon_restrict(lx, text, strlen(text)));
  CHECK_OK(px_lexicon_load_dictd(lx, index, rev));
  lexdump d = {NULL, 0, 0};
  lexdump_put(&d, "");
  px_lexicon_foreach(lx, lexdump_entry, &d);
  const px_lexicon_source *s = px_lexicon_source_at(lx, 0);
  CHECK(s != NULL);
  if (s) {
    char line[800];
    snprintf(line, sizeof line, "source %s %d %zu %zu\n", s->path, s->reversed,
             s->records, s->added);
    lexdump_put(&d, line);
  }
  px_lexicon_free(lx);
  return d.s;
}

/* Cache files in dir (the .bin ones). */
static int cache_files(const char *dir) {
  DIR *d = opendir(dir);
  int n = 0;
  struct dirent *de;
  while (d && (de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    n += l > 4 && strcmp(de->d_name + l - 4, ".bin") == 0;
  }
  if (d)
    closedir(d);
  return n;
}

/* The one cache file in dir, into path. */
static void cache_path(const char *dir, char *path, size_t cap) {
  DIR *d = opendir(dir);
  struct dirent *de;
  path[0] = '\0';
  while (d && (de = readdir(d)) != NULL) {
    size_t l = strlen(de->d_name);
    if (l > 4 && strcmp(de->d_name + l - 4, ".bin") == 0)
      snprintf(path, cap, "%s/%s", dir, de->d_name);
  }
  if (d)
    closedir(d);
}

/* An English-Turkish dictionary of n entries: a few real ones, then
 * numbered filler words (so that restricting matters). */
static void write_dict(const char *base, size_t n, const char *extra) {
  static const char *const real[][2] = {
      {"peace", "peace /piːs/\nbarış, huzur\n"},
      {"talks", "talks\n(diplomacy) görüşmeler; müzakere\n"},
      {"minister", "minister <n>\n1. bakan\n2. papaz\n"},
      {"war", "war\nsavaş\n"},
      {"army", "army\nordu\n"},
      {"Iraq", "Iraq\nIRAK\n"},
      {"Istanbul", "Istanbul\nİstanbul\n"},
      {"book", "book\nkitap; defter\n"},
  };
  size_t cap = 1 << 21, len = 0, ilen = 0;
  char *body = malloc(cap), *index = malloc(cap), path[700], one[200];
  for (size_t i = 0; i < n; i++) {
    const char *hw, *def;
    char hwbuf[40];
    if (i < sizeof real / sizeof real[0]) {
      hw = real[i][0];
      def = real[i][1];
    } else if (i == n - 1 && extra) {
      hw = "extra";
      def = extra;
    } else {
      snprintf(hwbuf, sizeof hwbuf, "word%zu", i);
      snprintf(one, sizeof one, "word%zu\nkelime%zu, söz%zu\n", i, i, i % 97);
      hw = hwbuf;
      def = one;
    }
    size_t bl = strlen(def);
    char o[16], l[16];
    lexhelp_b64num(o, len);
    lexhelp_b64num(l, bl);
    memcpy(body + len, def, bl);
    len += bl;
    ilen +=
        (size_t)snprintf(index + ilen, cap - ilen, "%s\t%s\t%s\n", hw, o, l);
  }
  snprintf(path, sizeof path, "%s.index", base);
  CHECK(px_test_write(path, index, ilen) == 0);
  snprintf(path, sizeof path, "%s.dict", base);
  CHECK(px_test_write(path, body, len) == 0);
  free(body);
  free(index);
}

static const char *const text =
    "Barış görüşmeleri sürüyor: bakan, ordu ve IRAK; kelime12 ile söz5.";

/* Without a cache, writing it, reading it: the same, for every mode. */
static void check_modes(const char *index, const char *cache) {
  for (int rev = 0; rev < 2; rev++)
    for (int restricted = 0; restricted < 2; restricted++) {
      const char *t = restricted ? text : NULL;
      setenv("PARALLAX_CACHE_DIR", "", 1);
      char *plain = load_dump(index, rev, t);
      setenv("PARALLAX_CACHE_DIR", cache, 1);
      char *cold = load_dump(index, rev, t);
      char *warm = load_dump(index, rev, t);
      CHECK_STR(cold, plain);
      CHECK_STR(warm, plain);
      CHECK(strlen(plain) > 40);
      free(plain);
      free(cold);
      free(warm);
    }
}

/* A test's dictionary (base name and .index, in the test's directory)
 * and an empty cache folder, made. */
static void test_paths(char base[600], char index[620], char cache[600]) {
  snprintf(base, 600, "%s/freedict-eng-tur", px_test_tmpdir());
  snprintf(index, 620, "%s.index", base);
  snprintf(cache, 600, "%s/cache", px_test_tmpdir());
  mkdir(cache, 0700);
}

PX_TEST(test_lexicon_cache__same_entries_parsed_written_and_read) {
  char base[600], index[620], cache[600];
  test_paths(base, index, cache);
  write_dict(base, 3000, NULL);
  px_lexicon__set_cache_min(0);
  check_modes(index, cache);
  /* one file per direction (the cleaning rules differ) */
  CHECK_INT(cache_files(cache), 2);
  /* a restricted replay stores a small part of it */
  setenv("PARALLAX_CACHE_DIR", cache, 1);
  char *part = load_dump(index, 1, text);
  char *full = load_dump(index, 1, NULL);
  CHECK(strlen(part) * 20 < strlen(full));
  CHECK(strstr(part, "baris\tpeace\t") != NULL);
  CHECK(strstr(part, "kelime12\tword12\t") != NULL);
  CHECK(strstr(part, "kelime13\t") == NULL);
  free(part);
  free(full);
}

PX_TEST(test_lexicon_cache__small_dictionaries_are_not_cached) {
  char base[600], index[620], cache[600];
  test_paths(base, index, cache);
  write_dict(base, 50, NULL);
  setenv("PARALLAX_CACHE_DIR", cache, 1);
  px_lexicon__set_cache_min(1 << 20);
  free(load_dump(index, 1, text));
  CHECK_INT(cache_files(cache), 0);
  px_lexicon__set_cache_min(0);
  free(load_dump(index, 1, text));
  CHECK_INT(cache_files(cache), 1);
}

PX_TEST(test_lexicon_cache__a_changed_dictionary_is_parsed_again) {
  char base[600], index[620], cache[600];
  test_paths(base, index, cache);
  px_lexicon__set_cache_min(0);
  setenv("PARALLAX_CACHE_DIR", cache, 1);
  write_dict(base, 400, "extra\nbarış görüşmesi\n");
  char *a = load_dump(index, 1, NULL);
  CHECK(strstr(a, "baris gorusmesi\textra\t") != NULL);
  /* the same size, another entry: a new inode or mtime tells */
  write_dict(base, 400, "extra\nbarış konuşması\n");
  char *b = load_dump(index, 1, NULL);
  CHECK(strstr(b, "baris gorusmesi\textra\t") == NULL);
  CHECK(strstr(b, "baris konusmasi\textra\t") != NULL);
  setenv("PARALLAX_CACHE_DIR", "", 1);
  char *c = load_dump(index, 1, NULL);
  CHECK_STR(b, c);
  free(a);
  free(b);
  free(c);
}

PX_TEST(test_lexicon_cache__damaged_cache_is_ignored_and_rewritten) {
  char base[600], index[620], cache[600], cpath[1200];
  test_paths(base, index, cache);
  px_lexicon__set_cache_min(0);
  write_dict(base, 2000, NULL); /* loaded whole: every string counts */
  setenv("PARALLAX_CACHE_DIR", "", 1);
  char *want = load_dump(index, 1, NULL);
  setenv("PARALLAX_CACHE_DIR", cache, 1);
  free(load_dump(index, 1, NULL));
  cache_path(cache, cpath, sizeof cpath);
  CHECK(cpath[0] != '\0');
  size_t len = 0;
  char *good = px_test_slurp(cpath, &len);
  CHECK(good != NULL && len > 1000);
  if (!good)
    return;
  /* truncated (three ways); garbled header; garbage in the ids, offsets
   * or text; empty; one bit of one string */
  size_t cuts[] = {len / 2, 10, len - 1};
  for (size_t k = 0; k < 7; k++) {
    char *bad = malloc(len + 16);
    memcpy(bad, good, len);
    size_t blen = len;
    if (k < 3)
      blen = cuts[k];
    else if (k == 3)
      bad[9] ^= 0x55; /* version */
    else if (k == 4)
      memset(bad + len / 2, 0xff, 64); /* ids, offsets or text */
    else if (k == 5)
      blen = 0;
    else {
      size_t at = len - 3;
      while (bad[at] == '\0')
        at--;
      bad[at] ^= 0x02;
    }
    CHECK(px_test_write(cpath, bad, blen) == 0);
    char *got = load_dump(index, 1, NULL);
    CHECK_STR(got, want);
    free(got);
    /* rewritten: the next load reads a good cache */
    size_t nlen = 0;
    char *now = px_test_slurp(cpath, &nlen);
    CHECK(now != NULL && nlen == len);
    free(now);
    free(bad);
  }
  free(good);
  free(want);
}

PX_TEST(test_lexicon_cache__unwritable_directory_costs_nothing) {
  char base[600], index[620], cache[700];
  snprintf(base, sizeof base, "%s/freedict-eng-tur", px_test_tmpdir());
  snprintf(index, sizeof index, "%s.index", base);
  write_dict(base, 500, NULL);
  px_lexicon__set_cache_min(0);
  setenv("PARALLAX_CACHE_DIR", "", 1);
  char *want = load_dump(index, 0, text);
  /* a directory under a regular file cannot be made */
  snprintf(cache, sizeof cache, "%s.index/cache", base);
  setenv("PARALLAX_CACHE_DIR", cache, 1);
  char *got = load_dump(index, 0, text);
  CHECK_STR(got, want);
  free(got);
  /* HOME without .cache: made on the way */
  unsetenv("PARALLAX_CACHE_DIR");
  unsetenv("XDG_CACHE_HOME");
  snprintf(cache, sizeof cache, "%s/home", px_test_tmpdir());
  mkdir(cache, 0700);
  setenv("HOME", cache, 1);
  got = load_dump(index, 0, text);
  CHECK_STR(got, want);
  free(got);
  snprintf(cache, sizeof cache, "%s/home/.cache/parallax", px_test_tmpdir());
  CHECK_INT(cache_files(cache), 1);
  free(want);
}

PX_TEST(test_lexicon_cache__installed_freedict) {
  const char *dir = getenv("PARALLAX_DICTD_DIR");
  const char *names[][3] = {{"freedict-eng-tur", "tr", "1"},
                            {"freedict-ara-eng", "ar", "0"},
                            {"freedict-eng-ara", "ar", "1"},
                            {"freedict-deu-fra", "de", "0"},
                            {"freedict-fra-deu", "de", "1"}};
  static const char *const texts[] = {
      "Dışişleri bakanı, barış görüşmelerinin Ankara'da devam edeceğini "
      "söyledi. Hükümet ve ordu seçimler hakkında konuştu.",
      "\xd9\x88\xd9\x82\xd8\xa7\xd9\x84 \xd9\x88\xd8\xb2\xd9\x8a\xd8\xb1 "
      "\xd8\xa7\xd9\x84\xd8\xae\xd8\xa7\xd8\xb1\xd8\xac\xd9\x8a\xd8\xa9 "
      "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9 "
      "\xd9\x88\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9",
      "Der Außenminister sagte, die Friedensgespräche würden in Berlin "
      "fortgesetzt. Die Regierung und die Armee sprachen über Wahlen."};
  char cache[600];
  snprintf(cache, sizeof cache, "%s/cache", px_test_tmpdir());
  mkdir(cache, 0700);
  int any = 0;
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char index[700];
    snprintf(index, sizeof index, "%s/%s.index",
             dir && dir[0] ? dir : "/usr/share/dictd", names[i][0]);
    struct stat st;
    if (stat(index, &st) != 0)
      continue;
    any = 1;
    const char *t = names[i][1][0] == 't'   ? texts[0]
                    : names[i][1][0] == 'a' ? texts[1]
                                            : texts[2];
    int rev = names[i][2][0] == '1';
    px_lexicon *l[3] = {NULL, NULL, NULL};
    char *d[3];
    for (int m = 0; m < 3; m++) {
      setenv("PARALLAX_CACHE_DIR", m ? cache : "", 1);
      CHECK_OK(px_lexicon_new(&l[m], names[i][1], "en"));
      CHECK_OK(px_lexicon_restrict(l[m], t, strlen(t)));
      CHECK_OK(px_lexicon_load_dictd(l[m], index, rev));
      lexdump x = {NULL, 0, 0};
      lexdump_put(&x, "");
      px_lexicon_foreach(l[m], lexdump_entry, &x);
      d[m] = x.s;
      CHECK(px_lexicon_size(l[m]) > 0);
      CHECK_INT(px_lexicon_source_at(l[m], 0)->records,
                px_lexicon_source_at(l[0], 0)->records);
      CHECK_INT(px_lexicon_source_at(l[m], 0)->added,
                px_lexicon_source_at(l[0], 0)->added);
    }
    CHECK_STR(d[1], d[0]);
    CHECK_STR(d[2], d[0]);
    for (int m = 0; m < 3; m++) {
      free(d[m]);
      px_lexicon_free(l[m]);
    }
  }
  if (!any)
    printf("SKIP: no FreeDict dictionary installed\n");
}

/* After a replay, strings are still one copy per text: a pair added later
 * with a target the dictionary has shares it (and an existing pair keeps
 * one entry), as after a parse. */
PX_TEST(test_lexicon_cache__adds_after_a_replay_share_strings) {
  char base[600], index[620], cache[600];
  test_paths(base, index, cache);
  write_dict(base, 300, NULL);
  px_lexicon__set_cache_min(0);
  char *d[3];
  for (int m = 0; m < 3; m++) { /* no cache, cold, warm */
    setenv("PARALLAX_CACHE_DIR", m ? cache : "", 1);
    px_lexicon *lx = NULL;
    CHECK_OK(px_lexicon_new(&lx, "tr", "en"));
    CHECK_OK(px_lexicon_add(lx, "huzur", 5, "peace", 5, 0.3f));
    CHECK_OK(px_lexicon_restrict(lx, text, strlen(text)));
    CHECK_OK(px_lexicon_load_dictd(lx, index, 1));
    size_t n = px_lexicon_size(lx);
    CHECK_OK(px_lexicon_add(lx, "barış", strlen("barış"), "peace", 5, 1.0f));
    CHECK_INT(px_lexicon_size(lx), n);
    CHECK_OK(px_lexicon_add(lx, "bakan", 5, "peace", 5, 0.5f));
    CHECK_OK(px_lexicon_add(lx, "bakan", 5, "army", 4, 0.5f));
    CHECK_INT(px_lexicon_size(lx), n + 2);
    const px_lexicon_entry *a = NULL, *b = NULL, *c = NULL;
    size_t na = 0, nb = 0, nc = 0;
    CHECK_OK(px_lexicon_lookup(lx, "baris", 5, &a, &na));
    CHECK_OK(px_lexicon_lookup(lx, "bakan", 5, &b, &nb));
    CHECK_OK(px_lexicon_lookup(lx, "ordu", 4, &c, &nc));
    CHECK(na == 1 && nb == 3 && nc == 1);
    if (na == 1 && nb == 3 && nc == 1) {
      CHECK(a[0].weight == 1.0f);
      CHECK(b[1].tgt == a[0].tgt); /* "peace": one copy */
      CHECK(b[2].tgt == c[0].tgt); /* "army": one copy */
    }
    lexdump x = {NULL, 0, 0};
    lexdump_put(&x, "");
    px_lexicon_foreach(lx, lexdump_entry, &x);
    d[m] = x.s;
    px_lexicon_free(lx);
  }
  CHECK_STR(d[1], d[0]);
  CHECK_STR(d[2], d[0]);
  for (int m = 0; m < 3; m++)
    free(d[m]);
}
