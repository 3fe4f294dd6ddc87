/*
 * prefilter.c: the restriction's pre-filter (lexicon.c), which drops a
 * dictionary line before it is cleaned when none of its source words can
 * be in the document's vocabulary.  It must never drop a line that would
 * have given an entry: every test loads the same data into two lexicons
 * restricted to the same text, one with the pre-filter and one without
 * (px_lexicon__set_prefilter), and requires the same entries, in the same
 * order, with bit-identical weights, and the same per-file counts.  The
 * data: dictd files and TSV lines written here (brackets, pronunciations,
 * separators, elisions, the Arabic article, case, white space, marks), a
 * seeded random mix of those, and the FreeDict dictionaries Debian
 * installs (skipped when they are not installed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "lexhelp.h"
#include "px_test.h"

static char *dump_lexicon(const px_lexicon *lx) {
  lexdump d = {NULL, 0, 0};
  lexdump_put(&d, "");
  px_lexicon_foreach(lx, lexdump_entry, &d);
  for (size_t i = 0; i < px_lexicon_source_count(lx); i++) {
    const px_lexicon_source *s = px_lexicon_source_at(lx, i);
    char line[700];
    snprintf(line, sizeof line, "source %s %s %d %zu %zu\n", s->path, s->kind,
             s->reversed, s->records, s->added);
    lexdump_put(&d, line);
  }
  return d.s;
}

/* The first line where two dumps differ, for the failure message. */
static void check_same(const char *what, const char *a, const char *b) {
  if (strcmp(a, b) == 0)
    return;
  size_t i = 0, ls = 0;
  while (a[i] && a[i] == b[i]) {
    if (a[i] == '\n')
      ls = i + 1;
    i++;
  }
  const char *ea = strchr(a + ls, '\n'), *eb = strchr(b + ls, '\n');
  px_test_fail(__FILE__, __LINE__,
               "%s: with the pre-filter \"%.*s\", without \"%.*s\"", what,
               (int)(ea ? ea - (a + ls) : (long)strlen(a + ls)), a + ls,
               (int)(eb ? eb - (b + ls) : (long)strlen(b + ls)), b + ls);
}

/* A pair of lexicons restricted to text, the second without pre-filter. */
static void new_pair(px_lexicon **with, px_lexicon **without, const char *src,
                     const char *tgt, const char *text) {
  /* the dictd cache would replay every load and bypass the pre-filter */
  setenv("PARALLAX_CACHE_DIR", "", 1);
  CHECK_OK(px_lexicon_new(with, src, tgt));
  CHECK_OK(px_lexicon_new(without, src, tgt));
  px_lexicon__set_prefilter(*without, 0);
  CHECK_OK(px_lexicon_restrict(*with, text, strlen(text)));
  CHECK_OK(px_lexicon_restrict(*without, text, strlen(text)));
}

/* Compare and free; returns the number of entries. */
static size_t compare_pair(const char *what, px_lexicon *with,
                           px_lexicon *without) {
  char *a = dump_lexicon(with), *b = dump_lexicon(without);
  check_same(what, a, b);
  size_t n = px_lexicon_size(without);
  CHECK_INT(px_lexicon_size(with), n);
  free(a);
  free(b);
  px_lexicon_free(with);
  px_lexicon_free(without);
  return n;
}

/* ---- a small dictd file ---------------------------------------------------
 */

/* Write base.index and base.dict from headwords and bodies. */
static void write_dictd(const char *base, const char *const (*e)[2], size_t n) {
  size_t cap = 1 << 20, len = 0, ilen = 0;
  char *body = malloc(cap), *index = malloc(cap), path[600];
  for (size_t i = 0; i < n; i++) {
    size_t bl = strlen(e[i][1]);
    char o[16], l[16];
    CHECK(len + bl < cap && ilen + 600 < cap);
    lexhelp_b64num(o, len);
    lexhelp_b64num(l, bl);
    memcpy(body + len, e[i][1], bl);
    len += bl;
    ilen += (size_t)snprintf(index + ilen, cap - ilen, "%s\t%s\t%s\n", e[i][0],
                             o, l);
  }
  snprintf(path, sizeof path, "%s.index", base);
  CHECK(px_test_write(path, index, ilen) == 0);
  snprintf(path, sizeof path, "%s.dict", base);
  CHECK(px_test_write(path, body, len) == 0);
  free(body);
  free(index);
}

/* Headwords and bodies in the FreeDict layouts, Turkish <-> English, with
 * what the cleaning rules take apart. */
static const char *const tur_eng[][2] = {
    {"00databaseinfo", "00databaseinfo\nA test dictionary.\n"},
    {"barış", "barış /baˈɾɯʃ/\npeace\n"},
    {"Barış görüşmesi", "Barış görüşmesi\npeace talks\n"},
    {"bakan", "bakan <n>\n1. minister\n2. (formal) secretary\n"},
    {"BAKANLIK", "BAKANLIK\nministry, department\n"},
    {"savaş", "savaş\nwar; warfare\n"},
    {"ordu", "ordu\narmy\n"},
    {"ordudan", "ordudan\nfrom the army\n"},
    {"hükümet", "hükümet\n[pol.] government\n"},
    {"ve", "ve\nand\n"},
    {"o", "o\nhe, she, it\n"},
    {"-ler", "-ler <suffix>\nplural\n"},
    {"seçim", "seçim\nelection\n"},
    {"İstanbul", "İstanbul\nIstanbul\n"},
    {"ırak", "ırak\nIraq\n"},
    {"u.s.", "u.s.\nUnited States\n"},
    {"Ankara'da", "Ankara'da\nin Ankara\n"},
    {"kitap", "kitap\nbook\n"},
    {"konuşmak", "konuşmak\nto speak\n"},
};

static const char *const eng_tur[][2] = {
    {"00databaseinfo", "00databaseinfo\nA test dictionary.\n"},
    {"peace", "peace /piːs/\nbarış, huzur\n"},
    {"talks", "talks\n(diplomacy) görüşmeler; müzakere\n"},
    {"minister", "minister\n1. bakan\n2. Papaz\n"},
    {"war", "war\nsavaş\t harp\n"},
    {"army", "army\n\"ordu\" ve askerler\n"},
    {"government", "government\nhükümet <n>Gov.\n"},
    {"and", "and\nve\n"},
    {"he", "he\no\n"},
    {"she", "she\nO.\n"},
    {"election", "election\nseçim (seçimler)devam\n"},
    {"Istanbul", "Istanbul\nİSTANBUL\n"},
    {"Iraq", "Iraq\nIRAK\n"},
    {"army post", "army post\nordu-evi\n"},
    {"armies", "armies\nordular\n"},
    {"book", "book\nKİTAP; defter\n"},
    {"speak", "speak\nkonuş; KONUŞMAK\n"},
    {"the", "the\n-\n"},
    {"discuss", "discuss\n  \"konuştu\" dedi\nsee: talk\ntartışmak\n"},
};

static const char *const tr_text =
    "Barış görüşmeleri Ankara'da devam ediyor. Bakan ve ordu, seçim "
    "hakkında konuştu; O, İSTANBUL'a döndü. IRAK savaşı u.s. ordusu.";

PX_TEST(test_lexicon_prefilter__small_dictd_forward_and_reversed) {
  char base[600], index[620];
  px_lexicon *a = NULL, *b = NULL;
  snprintf(base, sizeof base, "%s/freedict-tur-eng", px_test_tmpdir());
  write_dictd(base, tur_eng, sizeof tur_eng / sizeof tur_eng[0]);
  snprintf(index, sizeof index, "%s.index", base);
  new_pair(&a, &b, "tr", "en", tr_text);
  CHECK_OK(px_lexicon_load_dictd(a, index, 0));
  CHECK_OK(px_lexicon_load_dictd(b, index, 0));
  size_t n = compare_pair("tur-eng forward", a, b);
  CHECK(n >= 8);

  snprintf(base, sizeof base, "%s/freedict-eng-tur", px_test_tmpdir());
  write_dictd(base, eng_tur, sizeof eng_tur / sizeof eng_tur[0]);
  snprintf(index, sizeof index, "%s.index", base);
  new_pair(&a, &b, "tr", "en", tr_text);
  CHECK_OK(px_lexicon_load_dictd(a, index, 1));
  CHECK_OK(px_lexicon_load_dictd(b, index, 1));
  n = compare_pair("eng-tur reversed", a, b);
  CHECK(n >= 8);

  /* The pre-filter drops what cannot pass: a text of none of the words
   * stores nothing, with it or without. */
  new_pair(&a, &b, "tr", "en", "Hiçbir kelime yok.");
  CHECK_OK(px_lexicon_load_dictd(a, index, 1));
  CHECK_OK(px_lexicon_load_dictd(b, index, 1));
  CHECK_INT(compare_pair("eng-tur, unrelated text", a, b), 0);
}

/* A few pairs by hand through px_lexicon_add (the TSV path). */
PX_TEST(test_lexicon_prefilter__added_pairs) {
  static const char *const pairs[][2] = {
      {"l'État", "state"},
      {"d'accord", "agreed"},
      {"(fam.) mec", "guy"},
      {"la guerre", "war"},
      {"le [mil.] camp", "camp"},
      {"paix, repos", "peace"},
      {"se battre", "fight"},
      {"nation /na.sjɔ̃/", "nation"},
      {"ÉTATS-UNIS", "USA"},
      {"co-opération", "co-operation"},
      {"  guerre\t froide ", "cold war"},
      {"un, deux", "one, two"},
      {"1,2-diol", "diol"},
      {"é", "e"},
      {"ét", "et"},
      {"etat", "state (no accent)"},
      {"gue", "gue"},
  };
  const char *text = "L'État et la guerre froide : d'accord, mais pas de "
                     "paix aux États-Unis ; un camp, 1,2-diol, é.";
  px_lexicon *a = NULL, *b = NULL;
  new_pair(&a, &b, "fr", "en", text);
  for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
    CHECK_OK(px_lexicon_add(a, pairs[i][0], strlen(pairs[i][0]), pairs[i][1],
                            strlen(pairs[i][1]), 1.0f));
    CHECK_OK(px_lexicon_add(b, pairs[i][0], strlen(pairs[i][0]), pairs[i][1],
                            strlen(pairs[i][1]), 1.0f));
  }
  CHECK(compare_pair("added pairs", a, b) >= 8);
  /* Invalid UTF-8 is reported the same way with the pre-filter. */
  new_pair(&a, &b, "fr", "en", text);
  CHECK_ERR(px_lexicon_add(a, "gu\xff", 3, "x", 1, 1.0f), PX_EENCODING);
  CHECK_ERR(px_lexicon_add(b, "gu\xff", 3, "x", 1, 1.0f), PX_EENCODING);
  compare_pair("invalid UTF-8", a, b);
}

/* ---- random lines ----------------------------------------------------------
 */

static uint64_t rng_state;
static unsigned rnd(unsigned n) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (unsigned)((rng_state >> 33) % n);
}

/* Pieces a line is made of: words of the text and near-misses, in several
 * scripts and cases, and every character the cleaning rules act on. */
static const char *const pieces[] = {
    "war",
    "War",
    "WAR",
    "wa",
    "warfare",
    "wars",
    "a",
    "A",
    "to",
    "the",
    "peace",
    "pea",
    "pe",
    "talks",
    "talk",
    "u.s",
    "U.S.",
    "o'clock",
    "clock",
    "s'en",
    "l'a",
    "sb",
    "sth.",
    "etc",
    "Ankara'da",
    "ankara",
    "İstanbul",
    "ISTANBUL",
    "ırak",
    "IRAK",
    "barış",
    "BARIŞ",
    "bari",
    "görüş",
    "gorus",
    "e\xcc\x81t\xc3\xa9",
    "\xc3\xa9t\xc3\xa9",
    "ete",
    "мир",
    "МИР",
    "ми",
    "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9", /* الحكومة */
    "\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9",                 /* حكومة */
    "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83",                         /* الحك */
    "\xd9\x88\xd8\xb2\xd9\x8a\xd8\xb1",                         /* وزير */
    "\xd9\x88\xd8\xb2\xdb\x8c\xd8\xb1", /* وزیر, Persian yeh */
    "\xd9\x83\xd8\xaa\xd8\xa7\xd8\xa8", /* كتاب */
    "\xd8\xa7\xd9\x84",                 /* ال */
    "\xe2\x80\x8c",
    "\xc2\xa0",
    "1,2",
    "12",
    "x1",
    " ",
    " ",
    " ",
    "  ",
    "\t",
    ",",
    ";",
    "\xd8\x8c",
    "\xd8\x9b",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "<",
    ">",
    "/",
    " /p/ ",
    ".",
    "!",
    "?",
    ":",
    "\"",
    "'",
    "-",
    "*",
    "=",
    "|",
    "~",
    "#",
    "&",
    "+",
    "_",
    "\xe2\x80\x94",
    "\xc2\xab",
    "\xc2\xbb",
};

static void random_line(char *out, size_t cap) {
  size_t o = 0, k = 1 + rnd(7);
  for (size_t i = 0; i < k; i++) {
    const char *p = pieces[rnd(sizeof pieces / sizeof pieces[0])];
    size_t n = strlen(p);
    if (o + n + 1 >= cap)
      break;
    memcpy(out + o, p, n);
    o += n;
  }
  out[o] = '\0';
}

PX_TEST(test_lexicon_prefilter__random_lines) {
  /* الحكومة وزير حرب */
  const char *text =
      "War, peace talks: the U.S. in Ankara'da, İSTANBUL "
      "barış görüşmeleri, o'clock, мир, ét\xc3\xa9 "
      "\xd8\xa7\xd9\x84\xd8\xad\xd9\x83\xd9\x88\xd9\x85\xd8\xa9 "
      "\xd9\x88\xd8\xb2\xd9\x8a\xd8\xb1 \xd8\xad\xd8\xb1\xd8\xa8 "
      "a 12 1,2";
  const char *langs[][2] = {
      {"en", "fr"}, {"tr", "en"}, {"ar", "en"}, {"fr", "en"}};
  rng_state = 20261129;
  size_t total = 0;
  for (size_t l = 0; l < sizeof langs / sizeof langs[0]; l++) {
    /* as added pairs */
    px_lexicon *a = NULL, *b = NULL;
    new_pair(&a, &b, langs[l][0], langs[l][1], text);
    for (int i = 0; i < 4000; i++) {
      char s[200], t[200];
      random_line(s, sizeof s);
      random_line(t, sizeof t);
      int ra = px_lexicon_add(a, s, strlen(s), t, strlen(t), 0.5f);
      int rb = px_lexicon_add(b, s, strlen(s), t, strlen(t), 0.5f);
      CHECK_INT(ra, rb);
    }
    total += compare_pair(langs[l][0], a, b);

    /* as dictd entries, forward and reversed */
    static char heads[600][200], bodies[600][640];
    const char *e[600][2];
    for (int i = 0; i < 600; i++) {
      random_line(heads[i], sizeof heads[i]);
      if (!heads[i][0] || strchr(heads[i], '\t') || strchr(heads[i], '\n'))
        snprintf(heads[i], sizeof heads[i], "w%d", i);
      char l1[200], l2[200];
      random_line(l1, sizeof l1);
      random_line(l2, sizeof l2);
      snprintf(bodies[i], sizeof bodies[i], "%.199s\n%.199s\n%d. %.199s\n",
               heads[i], l1, 2, l2);
      e[i][0] = heads[i];
      e[i][1] = bodies[i];
    }
    char base[600], index[620];
    snprintf(base, sizeof base, "%s/random-%zu", px_test_tmpdir(), l);
    write_dictd(base, (const char *const(*)[2])e, 600);
    snprintf(index, sizeof index, "%s.index", base);
    for (int rev = 0; rev < 2; rev++) {
      new_pair(&a, &b, langs[l][0], langs[l][1], text);
      CHECK_OK(px_lexicon_load_dictd(a, index, rev));
      CHECK_OK(px_lexicon_load_dictd(b, index, rev));
      total +=
          compare_pair(rev ? "random dictd reversed" : "random dictd", a, b);
    }
  }
  CHECK(total >= 200); /* the lines do meet the text */
}

/* ---- installed FreeDict dictionaries --------------------------------------
 */

static int installed(const char *name) {
  const char *dir = getenv("PARALLAX_DICTD_DIR");
  char p[600];
  snprintf(p, sizeof p, "%s/%s.index", dir && dir[0] ? dir : "/usr/share/dictd",
           name);
  FILE *f = fopen(p, "rb");
  if (f)
    fclose(f);
  return f != NULL;
}

/* A text of every k-th source word of the full lexicon, with case and
 * punctuation around it: the restriction then meets a good share of the
 * dictionary, inflected forms included (their prefixes). */
typedef struct sample {
  lexdump text;
  size_t i, k;
} sample;

static int sample_entry(const px_lexicon_entry *e, void *payload) {
  sample *s = payload;
  if (s->i++ % s->k == 0 && s->text.n < 200000) {
    lexdump_put(&s->text, e->src);
    lexdump_put(&s->text, s->i % 3 ? "lar, " : ". ");
  }
  return 0;
}

static void installed_pair(const char *src, const char *tgt, size_t k) {
  px_lexicon *full = NULL, *a = NULL, *b = NULL;
  CHECK_OK(px_lexicon_new(&full, src, tgt));
  CHECK_OK(px_lexicon_load_default(full));
  sample s = {{NULL, 0, 0}, 0, k};
  lexdump_put(&s.text, "");
  px_lexicon_foreach(full, sample_entry, &s);
  new_pair(&a, &b, src, tgt, s.text.s);
  CHECK_OK(px_lexicon_load_default(a));
  CHECK_OK(px_lexicon_load_default(b));
  char what[64];
  snprintf(what, sizeof what, "installed %s-%s", src, tgt);
  size_t n = compare_pair(what, a, b);
  CHECK(n > 0 && n < px_lexicon_size(full));
  free(s.text.s);
  px_lexicon_free(full);
}

PX_TEST(test_lexicon_prefilter__installed_freedict) {
  int any = 0;
  if (installed("freedict-eng-tur") || installed("freedict-tur-eng")) {
    installed_pair("tr", "en", 40);
    any = 1;
  }
  if (installed("freedict-ara-eng") || installed("freedict-eng-ara")) {
    installed_pair("ar", "en", 40);
    any = 1;
  }
  if (installed("freedict-deu-fra") || installed("freedict-fra-deu")) {
    installed_pair("de", "fr", 40);
    any = 1;
  }
  if (installed("freedict-eng-rus")) {
    installed_pair("ru", "en", 5);
    any = 1;
  }
  if (!any)
    printf("SKIP: no FreeDict dictionary installed\n");
}
