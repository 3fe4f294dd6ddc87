/*
 * dp.c: the aligner end to end on small synthetic pairs whose answer is
 * known (1-1, 1-2, 2-1, omissions, additions, furniture, empty sides), its
 * length model, its errors, and a long generated pair that takes the
 * coarse-to-fine path.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "align.h"
#include "px_test.h"

static px_align_sent *mk(const char *const *v, size_t n) {
  px_align_sent *s = calloc(n ? n : 1, sizeof *s);
  for (size_t i = 0; i < n; i++)
    s[i] = (px_align_sent){v[i], strlen(v[i]), -1, 0};
  return s;
}

/* Beads as "[i, j]:[k]" lines, for readable comparisons. */
static char *show(const px_bead *b, size_t n) {
  size_t cap = 64 + n * 48, len = 0;
  char *out = malloc(cap);
  out[0] = '\0';
  for (size_t q = 0; q < n; q++) {
    len += (size_t)snprintf(out + len, cap - len, "[");
    for (size_t i = 0; i < b[q].src_count; i++)
      len += (size_t)snprintf(out + len, cap - len, i ? ", %zu" : "%zu",
                              b[q].src_start + i);
    len += (size_t)snprintf(out + len, cap - len, "]:[");
    for (size_t i = 0; i < b[q].tgt_count; i++)
      len += (size_t)snprintf(out + len, cap - len, i ? ", %zu" : "%zu",
                              b[q].tgt_start + i);
    len += (size_t)snprintf(out + len, cap - len, "]\n");
  }
  return out;
}

/* Every sentence of both sides exactly once, in order. */
static int covers(const px_bead *b, size_t n, size_t ns, size_t nt) {
  size_t i = 0, k = 0;
  for (size_t q = 0; q < n; q++) {
    if (b[q].src_start != i || b[q].tgt_start != k)
      return 0;
    if (b[q].confidence < 0 || b[q].confidence > 1)
      return 0;
    i += b[q].src_count;
    k += b[q].tgt_count;
  }
  return i == ns && k == nt;
}

static char *align_show(const char *const *s, size_t ns, const char *const *t,
                        size_t nt, const px_align_opts *o, px_bead **keep,
                        size_t *nkeep) {
  px_align *al = NULL;
  px_bead *b = NULL;
  size_t n = 0;
  px_align_sent *ss = mk(s, ns), *ts = mk(t, nt);
  char *r = NULL;
  CHECK_OK(px_align_new(&al, o));
  CHECK_OK(px_align_run(&b, &n, al, ss, ns, ts, nt));
  if (b) {
    CHECK(covers(b, n, ns, nt));
    r = show(b, n);
  }
  if (keep) {
    *keep = b;
    *nkeep = n;
  } else {
    px_free(b);
  }
  px_align_free(al);
  free(ss);
  free(ts);
  return r ? r : calloc(1, 1);
}

static const char *const ru[] = {
    "В 2017 году Владимир Путин встретился с Хасаном Роухани в Москве.",
    "Товарооборот вырос на 70 процентов и достиг 2,2 миллиарда долларов, а "
    "стороны подписали 14 документов.",
    "Переговоры в Кремле длились более 3 часов.",
    "Это была 11-я встреча президентов с 2013 года.",
    "Посол Казем Джалали также присутствовал на встрече.",
    "Следующий раунд переговоров в Астане пройдет 3-4 мая.",
    "Иранская делегация вернулась в Тегеран 29 марта."};
static const char *const en[] = {
    "In 2017 Vladimir Putin met Hassan Rouhani in Moscow.",
    "Trade rose by 70 percent to 2.2 billion dollars.",
    "The two sides signed 14 documents.",
    "The talks in the Kremlin lasted more than 3 hours, the 11th meeting of "
    "the presidents since 2013.",
    "The next round of talks in Astana is scheduled for May 3-4.",
    "The Iranian delegation returned to Tehran on March 29.",
    "Kazakhstan has hosted 3 rounds of talks on Syria since January 2017."};

/* Source 4 (the ambassador) is omitted; target 6 (Kazakhstan) added. */
PX_TEST(test_align_dp__splits_merges_omissions) {
  px_align_opts o = PX_ALIGN_OPTS_INIT;
  o.src_lang = "ru";
  o.tgt_lang = "en";
  static const char want[] =
      "[0]:[0]\n[1]:[1, 2]\n[2, 3]:[3]\n[4]:[]\n[5]:[4]\n[6]:[5]\n[]:[6]\n";
  char *got = align_show(ru, 7, en, 7, &o, NULL, NULL);
  CHECK_STR(got, want);
  free(got);
  o.learn = 0;
  got = align_show(ru, 7, en, 7, &o, NULL, NULL);
  CHECK_STR(got, want);
  free(got);
}

/* An omission next to an addition: pairing them is possible but must come
 * with a low confidence, so --min-confidence can undo it. */
PX_TEST(test_align_dp__unrelated_pair_is_unsure) {
  static const char *const s[] = {ru[0], ru[4], ru[5]};
  static const char *const t[] = {en[0], en[6], en[4]};
  px_bead *b = NULL;
  size_t n = 0;
  char *got = align_show(s, 3, t, 3, NULL, &b, &n);
  for (size_t q = 0; q < n; q++)
    if (b[q].src_start == 1 && b[q].src_count == 1 && b[q].tgt_count == 1)
      CHECK(b[q].confidence < 0.5);
  CHECK(n >= 3 && b[0].confidence > 0.8);
  free(got);
  px_free(b);
}

PX_TEST(test_align_dp__empty_sides) {
  px_align_opts o = PX_ALIGN_OPTS_INIT;
  char *got = align_show(ru, 0, en, 3, &o, NULL, NULL);
  CHECK_STR(got, "[]:[0]\n[]:[1]\n[]:[2]\n");
  free(got);
  got = align_show(ru, 2, en, 0, &o, NULL, NULL);
  CHECK_STR(got, "[0]:[]\n[1]:[]\n");
  free(got);
  got = align_show(ru, 0, en, 0, &o, NULL, NULL);
  CHECK_STR(got, "");
  free(got);
}

PX_TEST(test_align_dp__furniture_stays_alone) {
  static const char *const s[] = {"Путин встретился с Роухани в 2017 году.",
                                  "Теги", "Tags 2017 Putin Rouhani"};
  static const char *const t[] = {"Putin met Rouhani in 2017.",
                                  "Tags 2017 Putin Rouhani"};
  px_align_sent *ss = mk(s, 3), *ts = mk(t, 2);
  ss[1].flags = PX_ALIGN_FURNITURE;
  ts[1].flags = PX_ALIGN_FURNITURE;
  px_align *al = NULL;
  px_bead *b = NULL;
  size_t n = 0;
  CHECK_OK(px_align_new(&al, NULL));
  CHECK_OK(px_align_run(&b, &n, al, ss, 3, ts, 2));
  char *got = show(b, n);
  /* target 1 is furniture: never paired, though source 2 is identical */
  CHECK(strstr(got, "[]:[1]\n") != NULL);
  CHECK(strstr(got, "[1]:[]\n") != NULL);
  CHECK(strstr(got, ":[1]\n") == strstr(got, "[]:[1]\n") + 2);
  free(got);
  px_free(b);
  px_align_free(al);
  free(ss);
  free(ts);
}

PX_TEST(test_align_dp__min_confidence_splits_weak_pairs) {
  static const char *const s[] = {"Путин встретился с Роухани в 2017 году.",
                                  "Погода была хорошей."};
  static const char *const t[] = {"Putin met Rouhani in 2017.",
                                  "Markets closed higher on Friday."};
  px_align_opts o = PX_ALIGN_OPTS_INIT;
  px_bead *b = NULL;
  size_t n = 0;
  o.min_confidence = 1.0;
  char *got = align_show(s, 2, t, 2, &o, &b, &n);
  /* nothing is certain: every pair becomes two one-sided beads */
  for (size_t q = 0; q < n; q++)
    CHECK(b[q].src_count == 0 || b[q].tgt_count == 0);
  CHECK(n >= 4);
  free(got);
  px_free(b);
  o.min_confidence = 0.0;
  got = align_show(s, 2, t, 2, &o, &b, &n);
  CHECK(n >= 1 && b[0].src_count == 1 && b[0].tgt_count == 1);
  CHECK(b[0].confidence > 0.5);
  free(got);
  px_free(b);
}

PX_TEST(test_align_dp__bad_input) {
  px_align *al = NULL;
  px_bead *b = NULL;
  size_t n = 0;
  px_align_sent s[2] = {{"ok", 2, -1, 0}, {"bad \xc3(", 6, -1, 0}};
  px_align_sent t[1] = {{"fine", 4, -1, 0}};
  CHECK_OK(px_align_new(&al, NULL));
  CHECK_ERR(px_align_run(&b, &n, al, s, 2, t, 1), PX_EENCODING);
  CHECK_STR(px_error_last()->message,
            "source sentence 2: invalid UTF-8 at byte 4");
  CHECK(b == NULL);
  CHECK_ERR(px_align_run(&b, &n, al, t, 1, s, 2), PX_EENCODING);
  CHECK_STR(px_error_last()->message,
            "target sentence 2: invalid UTF-8 at byte 4");
  CHECK_ERR(px_align_run(NULL, &n, al, t, 1, t, 1), PX_EINVALID);
  CHECK_ERR(px_align_add_pair(al, "a\xff", 2, "b", 1), PX_EENCODING);
  CHECK_OK(px_align_add_pair(al, "дом", strlen("дом"), "house", 5));
  px_align_opts o = PX_ALIGN_OPTS_INIT;
  px_align *bad = NULL;
  o.version = 99;
  CHECK_ERR(px_align_new(&bad, &o), PX_EINVALID);
  o = (px_align_opts)PX_ALIGN_OPTS_INIT;
  o.min_confidence = 1.5;
  CHECK_ERR(px_align_new(&bad, &o), PX_EINVALID);
  CHECK(bad == NULL);
  px_align_free(al);
  px_align_free(NULL);
}

PX_TEST(test_align_dp__length_model) {
  /* identical lengths cost nothing; the cost grows with the mismatch */
  CHECK(fabs(px_align__len_cost(100, 100, 1.0, 6.8)) < 1e-9);
  double a = px_align__len_cost(100, 110, 1.0, 6.8);
  double b = px_align__len_cost(100, 140, 1.0, 6.8);
  double c = px_align__len_cost(100, 300, 1.0, 6.8);
  CHECK(a > 0 && b > a && c > b);
  /* the ratio is what makes lengths agree */
  CHECK(px_align__len_cost(100, 150, 1.5, 6.8) < 1e-9);
  /* estimate: target = 1.5 x source, a little noise, one outlier */
  double ls[40], lt[40], ratio, var;
  for (int i = 0; i < 40; i++) {
    ls[i] = 40 + 3 * i;
    lt[i] = 1.5 * ls[i] + ((i % 3) - 1) * 2.0;
  }
  lt[7] = 900; /* a misalignment in the sample must not move the ratio */
  px_align__len_estimate(&ratio, &var, ls, lt, 40, 0, 0);
  CHECK(fabs(ratio - 1.5) < 0.03);
  CHECK(var >= 1.5 && var < 3.0); /* floor is 1.0 * ratio */
  /* too few pairs: totals and Gale-Church's 6.8 scaled by the ratio */
  px_align__len_estimate(&ratio, &var, ls, lt, 3, 1000, 1200);
  CHECK(fabs(ratio - 1.2) < 1e-9);
  CHECK(fabs(var - 6.8 * 1.2) < 1e-9);
}

/* A long generated pair: source sentence i carries number i and a name
 * built from i; every 29th target sentence is split in two, every 31st
 * source sentence has no translation, every 37th target sentence is an
 * addition.  The aligner must take the coarse-to-fine path and find the
 * construction again. */
PX_TEST(test_align_dp__long_generated_pair) {
  enum { N = 2500 };
  static const char *const names[] = {"Moskva", "Tehran",  "Ankara", "Astana",
                                      "Putin",  "Rouhani", "Erdogan"};
  static const char *const names_ru[] = {
      "Москва", "Тегеран", "Анкара", "Астана", "Путин", "Роухани", "Эрдоган"};
  char **sv = calloc(N, sizeof *sv), **tv = calloc(3 * N, sizeof *tv);
  size_t ns = 0, nt = 0;
  char gold[1 << 16];
  size_t gl = 0;
  for (int i = 0; i < N; i++) {
    char b[256];
    int nm = i % 7;
    snprintf(b, sizeof b,
             "Сообщение %d: %s и %d участников обсудили %d вопросов.",
             i * 7 + 3, names_ru[nm], i % 50 + 2, i % 13 + 1);
    sv[ns] = strdup(b);
    if (i % 31 == 30) {
      if (gl + 32 < sizeof gold)
        gl += (size_t)snprintf(gold + gl, sizeof gold - gl, "[%zu]:[]\n", ns);
      ns++;
      continue;
    }
    if (i % 37 == 36) {
      tv[nt] = strdup("An unrelated remark without any anchor at all here.");
      if (gl + 32 < sizeof gold)
        gl += (size_t)snprintf(gold + gl, sizeof gold - gl, "[]:[%zu]\n", nt);
      nt++;
    }
    if (i % 29 == 28) {
      snprintf(b, sizeof b, "Report %d: %s and %d participants.", i * 7 + 3,
               names[nm], i % 50 + 2);
      tv[nt] = strdup(b);
      snprintf(b, sizeof b, "They discussed %d questions.", i % 13 + 1);
      tv[nt + 1] = strdup(b);
      if (gl + 32 < sizeof gold)
        gl += (size_t)snprintf(gold + gl, sizeof gold - gl,
                               "[%zu]:[%zu, %zu]\n", ns, nt, nt + 1);
      nt += 2;
    } else {
      snprintf(b, sizeof b,
               "Report %d: %s and %d participants discussed %d "
               "questions.",
               i * 7 + 3, names[nm], i % 50 + 2, i % 13 + 1);
      tv[nt] = strdup(b);
      if (gl + 32 < sizeof gold)
        gl += (size_t)snprintf(gold + gl, sizeof gold - gl, "[%zu]:[%zu]\n", ns,
                               nt);
      nt++;
    }
    ns++;
  }
  px_bead *b = NULL;
  size_t n = 0;
  px_align_opts o = PX_ALIGN_OPTS_INIT;
  o.src_lang = "ru";
  char *got = align_show((const char *const *)sv, ns, (const char *const *)tv,
                         nt, &o, &b, &n);
  px_eval_beads g, p;
  memset(&g, 0, sizeof g);
  memset(&p, 0, sizeof p);
  CHECK(gl + 64 < sizeof gold);
  CHECK_OK(px_eval_parse(&g, "gold", gold, gl));
  CHECK_OK(px_eval_parse(&p, "pred", got, strlen(got)));
  px_eval_score sc;
  memset(&sc, 0, sizeof sc);
  CHECK_OK(px_eval_add(&sc, &g, &p, ns, nt));
  px_eval_finish(&sc);
  if (sc.strict_f1 < 0.97)
    printf("strict F1 %.4f lax F1 %.4f\n", sc.strict_f1, sc.lax_f1);
  CHECK(sc.strict_f1 >= 0.97);
  px_align_stats st;
  px_align *al = NULL;
  CHECK_OK(px_align_new(&al, &o));
  CHECK_OK(px_align_get_stats(&st, al));
  px_align_free(al);
  px_eval_beads_dispose(&g);
  px_eval_beads_dispose(&p);
  free(got);
  px_free(b);
  for (size_t i = 0; i < ns; i++)
    free(sv[i]);
  for (size_t i = 0; i < nt; i++)
    free(tv[i]);
  free(sv);
  free(tv);
}

/* Headings pair with headings when both sides mark them, even when a body
 * sentence shares more words with the heading. */
PX_TEST(test_align_dp__headings_pair_with_headings) {
  static const char *const s[] = {
      "Переговоры",
      "Путин и Роухани провели переговоры в Москве 28 марта 2017 года."};
  static const char *const t[] = {
      "Putin and Rouhani hold talks in Moscow on March 28, 2017",
      "The talks were held in the Kremlin."};
  px_align_sent *ss = mk(s, 2), *ts = mk(t, 2);
  px_align *al = NULL;
  px_bead *b = NULL;
  size_t n = 0;
  CHECK_OK(px_align_new(&al, NULL));
  /* unmarked, the anchors pull the body sentence to the long heading */
  CHECK_OK(px_align_run(&b, &n, al, ss, 2, ts, 2));
  char *got = show(b, n);
  CHECK(strcmp(got, "[0]:[0]\n[1]:[1]\n") != 0);
  free(got);
  px_free(b);
  ss[0].flags = PX_ALIGN_HEADING;
  ts[0].flags = PX_ALIGN_HEADING;
  CHECK_OK(px_align_run(&b, &n, al, ss, 2, ts, 2));
  got = show(b, n);
  CHECK_STR(got, "[0]:[0]\n[1]:[1]\n");
  free(got);
  px_free(b);
  px_align_free(al);
  free(ss);
  free(ts);
}
