/*
 * check.c: the names checker on documents, pairs and batches, with the
 * shipped lexicon (compiled on the fly) or the small golden one: injected
 * variants of many entities (a golden list of findings), look-alikes that
 * must not be flagged, --fix byte preservation, possessives and capitals,
 * cross-lingual pairs in Persian, Russian and Arabic, inconsistency of
 * names in no lexicon, learning, and bad input (invalid UTF-8, empty
 * text, missing dictionaries).
 */
#include <stdlib.h>
#include <string.h>

#include "px_test.h"

static px_names *open_shipped(void) {
  static char lex[512];
  snprintf(lex, sizeof lex, "%s/dictionaries/names/names.tsv", PX_TEST_SOURCE);
  px_names_opts o = PX_NAMES_OPTS_INIT;
  o.lexicon_path = lex;
  px_names *n = NULL;
  CHECK_OK(px_names_open(&n, &o));
  return n;
}

static px_names *open_golden(void) {
  static char lex[512];
  snprintf(lex, sizeof lex, "%s", px_test_data("names/golden.tsv"));
  px_names_opts o = PX_NAMES_OPTS_INIT;
  o.lexicon_path = lex;
  px_names *n = NULL;
  CHECK_OK(px_names_open(&n, &o));
  return n;
}

/* The findings as "LINE:COL kind found -> house [entity]" lines. */
static char *render(const px_names_check *c) {
  size_t cap = 1 << 16, len = 0;
  char *out = calloc(cap, 1);
  for (size_t i = 0; i < px_names_check_count(c); i++) {
    const px_names_finding *f = px_names_check_get(c, i);
    int w = snprintf(out + len, cap - len, "%lu:%lu %s %s -> %s [%s]\n",
                     f->line, f->col, px_names_kind_name(f->kind), f->found,
                     f->house, f->entity);
    if (w > 0 && (size_t)w < cap - len)
      len += (size_t)w;
  }
  return out;
}

/* Check one text with a fresh session; returns the session. */
static px_names_check *check1(px_names *n, const char *s) {
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  CHECK_OK(px_names_check_text(c, NULL, "t", s, strlen(s)));
  CHECK_OK(px_names_check_finish(c));
  return c;
}

PX_TEST(test_names_check__golden_variants) {
  px_names *n = open_shipped();
  if (!n)
    return;
  size_t len = 0, elen = 0;
  char *doc = px_test_slurp(px_test_data("names/variants.en.txt"), &len);
  char *want = px_test_slurp(px_test_data("names/variants.expected"), &elen);
  CHECK(doc && want);
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  CHECK_OK(px_names_check_text(c, NULL, "variants.en.txt", doc, len));
  CHECK_OK(px_names_check_finish(c));
  CHECK(px_names_check_count(c) >= 30);
  char *got = render(c);
  CHECK_STR(got, want);
  free(got);
  free(doc);
  free(want);
  px_names_check_free(c);
  px_names_free(n);
}

PX_TEST(test_names_check__lookalikes_not_flagged) {
  px_names *n = open_shipped();
  if (!n)
    return;
  size_t len = 0;
  char *doc = px_test_slurp(px_test_data("names/lookalikes.en.txt"), &len);
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  CHECK_OK(px_names_check_text(c, NULL, "lookalikes.en.txt", doc, len));
  CHECK_OK(px_names_check_finish(c));
  char *got = render(c);
  CHECK_STR(got, "");
  free(got);
  free(doc);
  px_names_check_free(c);
  /* a word en_US does not know but with another skeleton is never
   * "close" to a lexicon name; one with the same skeleton is */
  c = check1(n, "Officials met in Astanna and then in Asanaa.");
  got = render(c);
  CHECK_STR(got, "1:18 unknown-close Astanna -> Astana [astana]\n");
  free(got);
  px_names_check_free(c);
  px_names_free(n);
}

PX_TEST(test_names_check__fix_preserves_bytes) {
  px_names *n = open_shipped();
  if (!n)
    return;
  size_t len = 0, elen = 0, olen = 0, nfixed = 0, doc = 0;
  char *in = px_test_slurp(px_test_data("names/fix.en.txt"), &len);
  char *want = px_test_slurp(px_test_data("names/fix.expected.txt"), &elen);
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  CHECK_OK(px_names_check_text(c, &doc, "fix.en.txt", in, len));
  CHECK_OK(px_names_check_finish(c));
  char *out = NULL;
  CHECK_OK(px_names_fix(&out, &olen, &nfixed, c, doc, in, len));
  CHECK_INT(nfixed, 11);
  CHECK(out && olen == elen && memcmp(out, want, elen) == 0);
  CHECK_ERR(px_names_fix(&out, &olen, &nfixed, c, 7, in, len), PX_EINVALID);
  px_free(out);
  free(in);
  free(want);
  px_names_check_free(c);
  px_names_free(n);
}

PX_TEST(test_names_check__seed_spellings_clean) {
  px_names *n = open_shipped();
  if (!n)
    return;
  const char *s =
      "MOSCOW, Mar. 28 (MNA) - Iranian President Hassan Rouhani said Tehran "
      "and Moscow shall maintain cooperation. Russia and Iran are "
      "coordinating their actions to eliminate Daesh and Fatah al Sham "
      "(former al-Nusra Front) terrorist groups. The talks on Syria in "
      "Astana, whose guarantors are Moscow, Tehran and Ankara, will "
      "continue, Rouhani added. Kazakhstan's capital city Astana hosted "
      "talks brokered by Russia, Turkey and Iran; Yemen was discussed.";
  px_names_check *c = check1(n, s);
  CHECK_INT(px_names_check_count(c), 0);
  px_names_check_free(c);
  /* the spellings the issue names */
  c = check1(n, "Daish, Rowhani and Fateh al-Sham.");
  char *got = render(c);
  CHECK_STR(got, "1:1 variant Daish -> Daesh [daesh]\n"
                 "1:8 variant Rowhani -> Rouhani [rouhani]\n"
                 "1:20 variant Fateh al-Sham -> Fatah al Sham "
                 "[fatah-al-sham]\n");
  free(got);
  px_names_check_free(c);
  px_names_free(n);
}

static char *pair_render(px_names *n, const char *src, const char *lang,
                         const char *en) {
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  CHECK_OK(px_names_check_pair(c, NULL, "src", src, strlen(src), lang, "en", en,
                               strlen(en)));
  CHECK_OK(px_names_check_finish(c));
  char *got = render(c);
  for (size_t i = 0; i < px_names_check_count(c); i++) {
    const px_names_finding *f = px_names_check_get(c, i);
    if (f->kind == PX_NAMES_MISSING)
      CHECK(f->in_source && f->src_label && strcmp(f->src_label, "src") == 0);
  }
  px_names_check_free(c);
  return got;
}

PX_TEST(test_names_check__pairs_fa_ru_ar) {
  px_names *n = open_shipped();
  if (!n)
    return;
  char *g;
  /* Persian */
  g = pair_render(n, "حسن روحانی و ولادیمیر پوتین در تهران دیدار کردند.", "fa",
                  "Hassan Rouhani and Vladimir Putin met in Tehran.");
  CHECK_STR(g, "");
  free(g);
  g = pair_render(n, "روحانی و پوتین در تهران دیدار کردند.", "fa",
                  "Rowhani and Putin met on Tuesday.");
  CHECK_STR(g, "1:1 variant Rowhani -> Rouhani [rouhani]\n"
               "1:19 missing تهران -> Tehran [tehran]\n");
  free(g);
  /* Russian, with case endings */
  g = pair_render(n, "Путин встретился с Роухани в Москве и в Тегеране.", "ru",
                  "Putin met Rouhani in Moscow and in Tehran.");
  CHECK_STR(g, "");
  free(g);
  g = pair_render(n, "Путин встретился с Роухани в Москве.", "ru",
                  "Poutine met Rouhani.");
  CHECK_STR(g, "1:1 variant Poutine -> Putin [putin]\n"
               "1:30 missing Москве -> Moscow [moscow]\n");
  free(g);
  /* Arabic, with the article and the conjunction attached */
  g = pair_render(n, "التقى بوتين والأسد في دمشق.", "ar",
                  "Putin met Assad in Damascus.");
  CHECK_STR(g, "");
  free(g);
  g = pair_render(n, "التقى بوتين والأسد في دمشق.", "ar", "Putin met Asad.");
  CHECK_STR(g, "1:11 variant Asad -> Assad [assad]\n"
               "1:23 missing دمشق -> Damascus [damascus]\n");
  free(g);
  px_names_free(n);
}

PX_TEST(test_names_check__inconsistency_doc_and_batch) {
  px_names *n = open_golden(); /* knows nothing of Gaddafi */
  if (!n)
    return;
  px_names_check *c = check1(
      n, "Muammar Qaddafi spoke.\nQaddafi said so.\nLater Gaddafi left.");
  char *got = render(c);
  CHECK_STR(got, "3:7 inconsistent Gaddafi -> Qaddafi []\n");
  free(got);
  px_names_check_free(c);
  /* across documents of a batch: the majority wins */
  c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  const char *a = "Qaddafi spoke.", *b = "Gaddafi left. Gaddafi came back.";
  CHECK_OK(px_names_check_text(c, NULL, "a", a, strlen(a)));
  CHECK_OK(px_names_check_text(c, NULL, "b", b, strlen(b)));
  CHECK_OK(px_names_check_finish(c));
  CHECK_INT(px_names_check_count(c), 1);
  const px_names_finding *f = px_names_check_get(c, 0);
  CHECK(f && f->doc == 0 && f->kind == PX_NAMES_INCONSISTENT);
  CHECK_STR(f ? f->house : NULL, "Gaddafi");
  CHECK_STR(px_names_check_label(c, 0), "a");
  px_names_check_free(c);
  /* distinct names with one skeleton stay apart (Jaro-Winkler floor) */
  c = check1(n, "Jan met June. Sara met Syria. Karim met Karimi.");
  CHECK_INT(px_names_check_count(c), 0);
  px_names_check_free(c);
  px_names_free(n);
}

PX_TEST(test_names_check__learn_from_pairs) {
  px_names *n = open_shipped();
  if (!n)
    return;
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  const char *src = "Мединский заявил, что Путин приедет.";
  const char *en = "Medinsky said Putin would come.";
  CHECK_OK(px_names_check_pair(c, NULL, "s", src, strlen(src), "ru", "e", en,
                               strlen(en)));
  CHECK_OK(px_names_check_finish(c));
  char path[512];
  snprintf(path, sizeof path, "%s/learn.tsv", px_test_tmpdir());
  FILE *f = fopen(path, "w");
  CHECK_OK(px_names_learn_write(c, f));
  fclose(f);
  char *got = px_test_slurp(path, NULL);
  CHECK(got && strstr(got, "# ru Путин (1 pairs): Putin (1) -- in the "
                           "lexicon as putin"));
  CHECK(got && strstr(got, "medinsky\tperson?\tMedinsky\t-\t-\t-\t-\t-\t"
                           "Мединский\t-\n"));
  free(got);
  px_names_check_free(c);
  px_names_free(n);
}

PX_TEST(test_names_check__bad_input) {
  px_names *n = open_golden();
  if (!n)
    return;
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  CHECK_ERR(px_names_check_text(c, NULL, "bad.txt", "Tehran \xff x", 10),
            PX_EENCODING);
  CHECK(strstr(px_error_last()->message, "bad.txt: invalid UTF-8 at byte 7"));
  CHECK_ERR(px_names_check_pair(c, NULL, "src.txt", "\xc3", 1, "fa", "en.txt",
                                "x", 1),
            PX_EENCODING);
  CHECK(strstr(px_error_last()->message, "src.txt: invalid UTF-8 at byte 0"));
  size_t d = 9;
  CHECK_OK(px_names_check_text(c, &d, "empty.txt", "", 0));
  CHECK_OK(px_names_check_finish(c));
  CHECK_INT(px_names_check_count(c), 0);
  char *out = NULL;
  size_t ol = 5;
  CHECK_OK(px_names_fix(&out, &ol, NULL, c, d, "", 0));
  CHECK_INT(ol, 0);
  px_free(out);
  px_names_check_free(c);
  px_names_free(n);
}

PX_TEST(test_names_check__missing_dictionary) {
  px_names *n = NULL;
  px_names_opts o = PX_NAMES_OPTS_INIT;
  o.en_aff_path = "/nonexistent/en_US.aff";
  o.en_dic_path = "/nonexistent/en_US.dic";
  CHECK_ERR(px_names_open(&n, &o), PX_EDICT);
  CHECK(strstr(px_error_last()->message, "/nonexistent/en_US.aff"));
  CHECK(strstr(px_error_last()->message, "/nonexistent/en_US.dic"));
  CHECK(n == NULL);
  px_names_opts o2 = PX_NAMES_OPTS_INIT;
  o2.aff_path = "/nonexistent/names.aff";
  o2.dic_path = "/nonexistent/names.dic";
  CHECK_ERR(px_names_open(&n, &o2), PX_EDICT);
  CHECK(strstr(px_error_last()->message, "names.aff"));
  CHECK(strstr(px_error_last()->message, "names.dic"));
}

PX_TEST(test_names_check__bad_lexicon) {
  const char *dir = px_test_tmpdir();
  char p[512], a[512], d[512];
  snprintf(p, sizeof p, "%s/l.tsv", dir);
  snprintf(a, sizeof a, "%s/l.aff", dir);
  snprintf(d, sizeof d, "%s/l.dic", dir);
  const char *bad = "# c\nok\tcity\tOk\nBad Id\tcity\tX\n";
  CHECK(px_test_write(p, bad, strlen(bad)) == 0);
  CHECK_ERR(px_names_compile(p, a, d), PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "l.tsv:3:"));
  const char *dup = "x\tcity\tX\nx\tcity\tY\n";
  CHECK(px_test_write(p, dup, strlen(dup)) == 0);
  CHECK_ERR(px_names_compile(p, a, d), PX_EPARSE);
  CHECK(strstr(px_error_last()->message, "l.tsv:2: duplicate entity id"));
  const char *enc = "x\tcity\tX\xff\n";
  CHECK(px_test_write(p, enc, strlen(enc)) == 0);
  CHECK_ERR(px_names_compile(p, a, d), PX_EENCODING);
  CHECK(strstr(px_error_last()->message, "l.tsv:1: invalid UTF-8 at byte 8"));
  CHECK_ERR(px_names_compile("/nonexistent/l.tsv", a, d), PX_EIO);
}

PX_TEST(test_names_check__source_majority) {
  /* one Russian name in no lexicon, rendered two ways too far apart for
   * the English-side clustering: the source side ties them */
  px_names *n = open_shipped();
  if (!n)
    return;
  px_names_check *c = NULL;
  CHECK_OK(px_names_check_new(&c, n));
  const char *s1 = "Шойгин прибыл.", *e1 = "Shoygin arrived.";
  const char *s2 = "Шойгин уехал.", *e2 = "Shoygin left.";
  const char *s3 = "Шойгин вернулся.", *e3 = "Shoiguine came back.";
  CHECK_OK(px_names_check_pair(c, NULL, "s1", s1, strlen(s1), "ru", "e1", e1,
                               strlen(e1)));
  CHECK_OK(px_names_check_pair(c, NULL, "s2", s2, strlen(s2), "ru", "e2", e2,
                               strlen(e2)));
  CHECK_OK(px_names_check_pair(c, NULL, "s3", s3, strlen(s3), "ru", "e3", e3,
                               strlen(e3)));
  CHECK_OK(px_names_check_finish(c));
  char *got = render(c);
  CHECK_STR(got, "1:1 inconsistent Shoiguine -> Shoygin []\n");
  free(got);
  px_names_check_free(c);
  px_names_free(n);
}

PX_TEST(test_names_check__particles_in_unknown_names) {
  /* names in no lexicon that differ only in a particle or its hyphen */
  px_names *n = open_golden();
  if (!n)
    return;
  px_names_check *c =
      check1(n, "Abu Bakr al-Baghdadi spoke. Abu Bakr al-Baghdadi left.\n"
                "Abu Bakr el-Baghdadi came back. Hassan al-Turabi met Hassan "
                "Al Turabi.\nAl-Turabi, at the start of a sentence, is fine.");
  char *got = render(c);
  CHECK_STR(got, "2:1 inconsistent Abu Bakr el-Baghdadi -> Abu Bakr "
                 "al-Baghdadi []\n"
                 "2:54 inconsistent Hassan Al Turabi -> Hassan al-Turabi []\n");
  free(got);
  px_names_check_free(c);
  /* English words as, an, at are particles only when hyphenated */
  c = check1(n, "Ahmed Shah as Hamid said. Ahmed Shah an Hamid left.");
  CHECK_INT(px_names_check_count(c), 0);
  px_names_check_free(c);
  px_names_free(n);
}
