/*
 * dictd.c: FreeDict dictionaries in dictd format: the index (headword,
 * base64 offset, base64 length), plain .dict and dictzip .dict.dz bodies
 * (built here with zlib, in small chunks so entries straddle them), the
 * definition layouts of FreeDict 0.x, Ding and WikDict editions, malformed
 * input, the installed freedict-eng-rus read in reverse, and the default
 * set for a pair.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "lexicon.h"
#include "lexhelp.h"
#include "px_test.h"

typedef struct entry {
  const char *hw, *body;
} entry;

/* Sample definitions in the layouts FreeDict uses. */
static const entry sample[] = {
    {"00databaseinfo", "00-database-info\nA test dictionary.\n"},
    {"war", "war /wɔː/\n1. война\n2. борьба\n"},
    {"peace", "peace /piːs/\nмир, покой\n"},
    {"government", "government /ˈɡʌvənmənt/ <n>\n [pol.] правительство <n>\n"
                   "      \"the government said\"  - правительство заявило\n"
                   " see: {governments}\n\n"},
    {"to negotiate", "to negotiate /nɪˈɡəʊʃieɪt/\nвести переговоры\n"},
    {"prime minister", "prime minister\nпремьер-министр\n"},
    {"", "?? /x/\nignored\n"}, /* an empty headword, as FreeDict has */
};

/* Write PATH.index and PATH.dict (and PATH.dict.dz in chunks of chlen if
 * chlen > 0, removing the plain .dict). */
static void build_dict(const char *base, const entry *e, size_t n,
                       unsigned chlen) {
  char path[600];
  size_t cap = 1 << 16, len = 0, ilen = 0;
  char *body = malloc(cap), *index = malloc(cap);
  for (size_t i = 0; i < n; i++) {
    size_t bl = strlen(e[i].body);
    char o[16], l[16];
    lexhelp_b64num(o, len);
    lexhelp_b64num(l, bl);
    memcpy(body + len, e[i].body, bl);
    len += bl;
    ilen += (size_t)snprintf(index + ilen, cap - ilen, "%s\t%s\t%s\n", e[i].hw,
                             o, l);
  }
  snprintf(path, sizeof path, "%s.index", base);
  CHECK(px_test_write(path, index, ilen) == 0);
  snprintf(path, sizeof path, "%s.dict", base);
  CHECK(px_test_write(path, body, len) == 0);
  if (chlen) {
    remove(path);
    /* dictzip: gzip whose FEXTRA "RA" field lists the compressed size of
     * every chlen-byte chunk; each chunk ends in a full flush. */
    unsigned chcnt = (unsigned)((len + chlen - 1) / chlen);
    unsigned char *out = malloc(cap * 2), *data = malloc(cap * 2);
    unsigned short *sizes = calloc(chcnt, sizeof *sizes);
    size_t dlen = 0;
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    CHECK(deflateInit2(&zs, 9, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    for (unsigned c = 0; c < chcnt; c++) {
      size_t off = (size_t)c * chlen;
      size_t take = len - off < chlen ? len - off : chlen;
      zs.next_in = (Bytef *)body + off;
      zs.avail_in = (uInt)take;
      zs.next_out = data + dlen;
      zs.avail_out = (uInt)(cap * 2 - dlen);
      int z = deflate(&zs, c + 1 == chcnt ? Z_FINISH : Z_FULL_FLUSH);
      CHECK(z == Z_OK || z == Z_STREAM_END);
      size_t produced = (size_t)(zs.next_out - (data + dlen));
      sizes[c] = (unsigned short)produced;
      dlen += produced;
    }
    deflateEnd(&zs);
    size_t o = 0, xlen = 4 + 6 + 2 * chcnt;
    unsigned char hdr[] = {0x1f, 0x8b, 8, 4 | 8, 0, 0, 0, 0, 2, 3};
    memcpy(out, hdr, sizeof hdr);
    o = sizeof hdr;
    out[o++] = (unsigned char)(xlen & 0xff);
    out[o++] = (unsigned char)(xlen >> 8);
    out[o++] = 'R';
    out[o++] = 'A';
    out[o++] = (unsigned char)((xlen - 4) & 0xff);
    out[o++] = (unsigned char)((xlen - 4) >> 8);
    out[o++] = 1;
    out[o++] = 0;
    out[o++] = (unsigned char)(chlen & 0xff);
    out[o++] = (unsigned char)(chlen >> 8);
    out[o++] = (unsigned char)(chcnt & 0xff);
    out[o++] = (unsigned char)(chcnt >> 8);
    for (unsigned c = 0; c < chcnt; c++) {
      out[o++] = (unsigned char)(sizes[c] & 0xff);
      out[o++] = (unsigned char)(sizes[c] >> 8);
    }
    memcpy(out + o, "test.dict", 10); /* FNAME */
    o += 10;
    memcpy(out + o, data, dlen);
    o += dlen;
    unsigned long crc = crc32(0L, (const Bytef *)body, (uInt)len);
    for (int k = 0; k < 4; k++)
      out[o++] = (unsigned char)(crc >> (8 * k));
    for (int k = 0; k < 4; k++)
      out[o++] = (unsigned char)(len >> (8 * k));
    snprintf(path, sizeof path, "%s.dict.dz", base);
    CHECK(px_test_write(path, (const char *)out, o) == 0);
    free(out);
    free(data);
    free(sizes);
  }
  free(body);
  free(index);
}

static const char *tr(const px_lexicon *lx, const char *word) {
  return lexhelp_tr(lx, word, LEXTR_WEIGHTS);
}

static void check_sample(const char *base, int reverse) {
  char index[600];
  snprintf(index, sizeof index, "%s.index", base);
  px_lexicon *lx = NULL;
  if (reverse) {
    CHECK_OK(px_lexicon_new(&lx, "ru", "en"));
    CHECK_OK(px_lexicon_load_dictd(lx, index, 1));
    /* Targets and sources are stored normalized: й loses its breve. */
    CHECK_STR(tr(lx, "война"), "war:0.80");
    CHECK_STR(tr(lx, "борьба"), "war:0.64");
    CHECK_STR(tr(lx, "мир"), "peace:0.80");
    CHECK_STR(tr(lx, "покой"), "peace:0.80");
    CHECK_STR(tr(lx, "правительство"), "government:0.80");
    CHECK_STR(tr(lx, "вести переговоры"), "negotiate:0.80");
    CHECK_STR(tr(lx, "премьер-министр"), "prime minister:0.80");
    CHECK_STR(tr(lx, "ignored"), "");
    CHECK_STR(tr(lx, "заявило"), ""); /* examples are not entries */
    CHECK_INT(px_lexicon_size(lx), 7);
  } else {
    CHECK_OK(px_lexicon_new(&lx, "en", "ru"));
    CHECK_OK(px_lexicon_load_dictd(lx, index, 0));
    CHECK_STR(tr(lx, "war"), "воина:0.80|борьба:0.64");
    CHECK_STR(tr(lx, "negotiate"), "вести переговоры:0.80");
    CHECK_STR(tr(lx, "government"), "правительство:0.80");
    CHECK_INT(px_lexicon_size(lx), 7);
  }
  const px_lexicon_source *s = px_lexicon_source_at(lx, 0);
  CHECK(s != NULL);
  if (s) {
    CHECK_STR(s->kind, "dictd");
    CHECK_STR(s->path, index);
    CHECK_INT(s->reversed, reverse);
    CHECK_INT(s->records, 5);
    CHECK_INT(s->added, 7);
  }
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_dictd__plain_dict) {
  char base[512];
  snprintf(base, sizeof base, "%s/freedict-eng-rus", px_test_tmpdir());
  build_dict(base, sample, sizeof sample / sizeof sample[0], 0);
  check_sample(base, 0);
  check_sample(base, 1);
}

PX_TEST(test_lexicon_dictd__dictzip_chunks) {
  /* 37-byte chunks: most entries straddle two or three chunks. */
  char base[512];
  snprintf(base, sizeof base, "%s/freedict-eng-rus", px_test_tmpdir());
  build_dict(base, sample, sizeof sample / sizeof sample[0], 37);
  check_sample(base, 1);
  check_sample(base, 0);
  /* One chunk for everything. */
  build_dict(base, sample, sizeof sample / sizeof sample[0], 60000);
  check_sample(base, 1);
}

static int collect(const char *s, size_t n, unsigned rank, void *payload) {
  char *buf = *(char **)payload;
  size_t o = strlen(buf);
  snprintf(buf + o, 512 - o, "%u:%.*s|", rank, (int)n, s);
  return 0;
}

PX_TEST(test_lexicon_dictd__plain_gzip_without_chunk_table) {
  /* A .dict.dz that is ordinary gzip (no dictzip RA field) is inflated
   * whole. */
  char base[512], path[600];
  snprintf(base, sizeof base, "%s/freedict-eng-rus", px_test_tmpdir());
  build_dict(base, sample, sizeof sample / sizeof sample[0], 0);
  snprintf(path, sizeof path, "%s.dict", base);
  size_t len = 0;
  char *body = px_test_slurp(path, &len);
  CHECK(body != NULL);
  if (!body)
    return;
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  CHECK(deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
                     Z_DEFAULT_STRATEGY) == Z_OK);
  unsigned char out[8192];
  zs.next_in = (Bytef *)body;
  zs.avail_in = (uInt)len;
  zs.next_out = out;
  zs.avail_out = sizeof out;
  CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  size_t olen = sizeof out - zs.avail_out;
  deflateEnd(&zs);
  remove(path);
  snprintf(path, sizeof path, "%s.dict.dz", base);
  CHECK(px_test_write(path, (const char *)out, olen) == 0);
  check_sample(base, 1);
  /* Truncated: a clear error, not a crash or a hang. */
  CHECK(px_test_write(path, (const char *)out, olen / 2) == 0);
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ru", "en"));
  snprintf(path, sizeof path, "%s.index", base);
  int rc = px_lexicon_load_dictd(lx, path, 1);
  CHECK(rc == PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "freedict-eng-rus.dict.dz") != NULL);
  px_lexicon_free(lx);
  free(body);
}

PX_TEST(test_lexicon_dictd__items_of_each_layout) {
  /* What the body parser keeps, line by line, with sense ranks. */
  static const struct {
    const char *body;
    int wikdict;
    const char *want;
  } cases[] = {
      {"asphalt /æsfælt/\n1. асфальтировать\n2. асфальт\n", 0,
       "0:асфальтировать|1:асфальт|"},
      {"Krieg /kɾˈiːk/ <masc, n, sg>\n [mil.] war <n>\n"
       "         Note: on/against sb./sth.\n"
       "      \"Krieg gegen X\"  - counterinsurgency war\n"
       " see: {Kriege}, {Angriffskrieg}\n\n         Note: gegen jdn./etw.\n",
       0, "0:[mil.] war <n>|"},
      {"moribund /mˈɔːɹɪbˌʌnd/\n1. ölmek üzere, can çekişmekte. more text\n", 0,
       "0:ölmek üzere, can çekişmekte|"},
      {"Ostsee /ˈɔstˌz̥eː/ <n, fem>\nmer Baltique, Baltique\n"
       "Geografie: das Meer zwischen Mitteleuropa\n",
       1, "0:mer Baltique, Baltique|"},
      {"Impeachment /x/ <n, neut>\nimpeachment 2.\n(in den USA) Verfahren\n", 1,
       "0:impeachment|"},
      {"abel /aːbl̩/ <suffix>\nable\n", 1, ""},
      {"headword only\n", 0, ""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char got[512] = "";
    struct {
      char *buf;
    } ctx = {got};
    int rc = px_lexicon__dictd_items(cases[i].body, strlen(cases[i].body),
                                     cases[i].wikdict, collect, &ctx);
    CHECK_INT(rc, 0);
    CHECK_STR(got, cases[i].want);
  }
}

static void expect_load_fail(const char *index_text, const char *dict_text,
                             int code, const char *msg) {
  char base[512], path[600];
  snprintf(base, sizeof base, "%s/bad", px_test_tmpdir());
  snprintf(path, sizeof path, "%s.dict", base);
  CHECK(px_test_write(path, dict_text, strlen(dict_text)) == 0);
  snprintf(path, sizeof path, "%s.index", base);
  CHECK(px_test_write(path, index_text, strlen(index_text)) == 0);
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "en", "ru"));
  CHECK_ERR(px_lexicon_load_dictd(lx, path, 0), code);
  if (!strstr(px_error_last()->message, msg))
    px_test_fail(__FILE__, __LINE__, "message \"%s\" lacks \"%s\"",
                 px_error_last()->message, msg);
  CHECK_INT(px_lexicon_size(lx), 0);
  CHECK_INT(px_lexicon_source_count(lx), 0);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_dictd__malformed_index) {
  const char *dict = "war\nвойна\npeace\nмир\n";
  expect_load_fail("war\tA\tK\npeace\tK\n", dict, PX_EPARSE,
                   "bad.index:2: expected headword<TAB>offset<TAB>length");
  expect_load_fail("war\tA\tK\npeace only\n", dict, PX_EPARSE,
                   "bad.index:2: expected");
  expect_load_fail("war\tA\tK\n\npeace\tK!\tJ\n", dict, PX_EPARSE,
                   "bad.index:3: offset or length is not dictd base64");
  expect_load_fail("war\tA\t\n", dict, PX_EPARSE, "bad.index:1: offset");
  expect_load_fail("war\tA\tK\nw\xFFr\tA\tK\n", dict, PX_EENCODING,
                   "bad.index:2:2: invalid UTF-8");
  /* Offset 1000 (P0) is past the end of the 23-byte body. */
  expect_load_fail("war\tA\tK\npeace\tP0\tJ\n", dict, PX_EPARSE,
                   "past the end");
}

PX_TEST(test_lexicon_dictd__missing_files) {
  char path[600];
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "en", "ru"));
  snprintf(path, sizeof path, "%s/none.index", px_test_tmpdir());
  CHECK_ERR(px_lexicon_load_dictd(lx, path, 0), PX_EIO);
  CHECK(strstr(px_error_last()->message, "none.index: No such file") != NULL);
  /* An index without its body. */
  CHECK(px_test_write(path, "war\tA\tK\n", 8) == 0);
  CHECK_ERR(px_lexicon_load_dictd(lx, path, 0), PX_EIO);
  CHECK(strstr(px_error_last()->message, ".dict.dz or .dict") != NULL);
  /* A .dict.dz that is not gzip. */
  snprintf(path, sizeof path, "%s/none.dict.dz", px_test_tmpdir());
  CHECK(px_test_write(path, "this is not gzip at all", 23) == 0);
  snprintf(path, sizeof path, "%s/none.index", px_test_tmpdir());
  CHECK_ERR(px_lexicon_load_dictd(lx, path, 0), PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "bad dictzip file: not gzip") != NULL);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_dictd__installed_eng_rus_reversed) {
  const char *index = "/usr/share/dictd/freedict-eng-rus.index";
  FILE *f = fopen(index, "r");
  if (!f) {
    printf("note: %s is not installed (package dict-freedict-eng-rus); "
           "skipped\n",
           index);
    return;
  }
  fclose(f);
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ru", "en"));
  CHECK_OK(px_lexicon_load_dictd(lx, index, 1));
  CHECK(px_lexicon_size(lx) > 1500);
  CHECK_STR(tr(lx, "Агрессор"), "aggressor:0.80|assailant:0.80|attacker:0.80");
  CHECK(strstr(tr(lx, "асфальт"), "asphalt") != NULL);
  CHECK(strstr(tr(lx, "Африка"), "africa:0.80") != NULL);
  const px_lexicon_source *s = px_lexicon_source_at(lx, 0);
  CHECK(s && s->records > 1600 && s->reversed == 1);
  px_lexicon_free(lx);
}

PX_TEST(test_lexicon_dictd__default_set_for_a_pair) {
  /* A dictionary directory with xx-en lexicons (one forward, one named the
   * other way round) and a dictd directory with both FreeDict directions. */
  char dir[512], path[1200];
  snprintf(dir, sizeof dir, "%s/dict", px_test_tmpdir());
  snprintf(path, sizeof path, "mkdir -p %s/lexicons %s/dictd", dir, dir);
  CHECK(system(path) == 0);
  snprintf(path, sizeof path, "%s/lexicons/ru-en.tsv", dir);
  CHECK(px_test_write(path, "война\twar\n", strlen("война\twar\n")) == 0);
  snprintf(path, sizeof path, "%s/lexicons/en-ru-extra.tsv", dir);
  CHECK(px_test_write(path, "peace\tмир\n", strlen("peace\tмир\n")) == 0);
  snprintf(path, sizeof path, "%s/lexicons/ru-enx.tsv", dir); /* not ours */
  CHECK(px_test_write(path, "а\tb\n", strlen("а\tb\n")) == 0);
  snprintf(path, sizeof path, "%s/lexicons/fa-en.tsv", dir); /* other pair */
  CHECK(px_test_write(path, "a\tb\n", 4) == 0);
  snprintf(path, sizeof path, "%s/dictd/freedict-eng-rus", dir);
  build_dict(path, sample, sizeof sample / sizeof sample[0], 64);
  snprintf(path, sizeof path, "%s/dictd", dir);
  setenv("PARALLAX_DICTDIR", dir, 1);
  setenv("PARALLAX_DICTD_DIR", path, 1);
  px_lexicon *lx = NULL;
  CHECK_OK(px_lexicon_new(&lx, "ru-RU", "en"));
  CHECK_OK(px_lexicon_load_default(lx));
  CHECK_INT(px_lexicon_source_count(lx), 3);
  const px_lexicon_source *s0 = px_lexicon_source_at(lx, 0),
                          *s1 = px_lexicon_source_at(lx, 1),
                          *s2 = px_lexicon_source_at(lx, 2);
  if (s0 && s1 && s2) {
    CHECK(strstr(s0->path, "en-ru-extra.tsv") && s0->reversed == 1);
    CHECK(strstr(s1->path, "ru-en.tsv") && s1->reversed == 0);
    CHECK(strstr(s2->path, "freedict-eng-rus.index") && s2->reversed == 1);
  }
  CHECK_STR(tr(lx, "война"), "war:1.00");
  CHECK_STR(tr(lx, "мир"), "peace:1.00");
  CHECK_STR(tr(lx, "борьба"), "war:0.64");
  /* An index without its body counts as not installed. */
  snprintf(path, sizeof path, "%s/dictd/freedict-rus-eng.index", dir);
  CHECK(px_test_write(path, "война\tA\tK\n", strlen("война\tA\tK\n")) == 0);
  px_lexicon *half = NULL;
  CHECK_OK(px_lexicon_new(&half, "ru", "en"));
  CHECK_OK(px_lexicon_load_default(half));
  CHECK_INT(px_lexicon_source_count(half), 3);
  px_lexicon_free(half);
  /* A pair with nothing installed loads nothing, silently. */
  px_lexicon *none = NULL;
  CHECK_OK(px_lexicon_new(&none, "qq", "en"));
  CHECK_OK(px_lexicon_load_default(none));
  CHECK_INT(px_lexicon_size(none), 0);
  CHECK_INT(px_lexicon_source_count(none), 0);
  px_lexicon_free(none);
  px_lexicon_free(lx);
  unsetenv("PARALLAX_DICTDIR");
  unsetenv("PARALLAX_DICTD_DIR");
}
