/* robust.c: every text call on random bytes (mostly invalid UTF-8) and on
 * random valid text from many scripts: no crash, no leak (ASan), errors
 * only of the documented kinds, outputs valid UTF-8, token spans inside
 * the input and in order. */
#include "px_test.h"

static unsigned long rob_state = 2024;
static unsigned rob(void) {
  rob_state = rob_state * 6364136223846793005UL + 1442695040888963407UL;
  return (unsigned)(rob_state >> 33);
}

/* Random valid UTF-8: code points from a few interesting ranges. */
static size_t random_text(char *buf, size_t cap) {
  static const unsigned ranges[][2] = {
      {0x20, 0x7E},       {0x00, 0x1F},      {0xA0, 0x17F},
      {0x300, 0x36F},     {0x370, 0x3FF},    {0x400, 0x4FF},
      {0x590, 0x5FF},     {0x600, 0x6FF},    {0x900, 0x97F},
      {0xE00, 0xE7F},     {0x2000, 0x206F},  {0x3040, 0x30FF},
      {0x4E00, 0x4E40},   {0xAC00, 0xAC40},  {0xFB50, 0xFDFF},
      {0xFE70, 0xFEFF},   {0xFF00, 0xFFEF},  {0x1F1E6, 0x1F1FF},
      {0x1F300, 0x1F6FF}, {0x1D400, 0x1D7FF}};
  size_t n = 0, want = rob() % (cap / 4);
  while (n < want) {
    const unsigned *r = ranges[rob() % (sizeof ranges / sizeof ranges[0])];
    unsigned cp = r[0] + rob() % (r[1] - r[0] + 1);
    if (cp < 0x80) {
      buf[n++] = (char)cp;
    } else if (cp < 0x800) {
      buf[n++] = (char)(0xC0 | cp >> 6);
      buf[n++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      buf[n++] = (char)(0xE0 | cp >> 12);
      buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
      buf[n++] = (char)(0x80 | (cp & 0x3F));
    } else {
      buf[n++] = (char)(0xF0 | cp >> 18);
      buf[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
      buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
      buf[n++] = (char)(0x80 | (cp & 0x3F));
    }
  }
  return n;
}

static void exercise(const char *s, size_t n, int valid) {
  char *out = NULL;
  size_t olen = 0;
  int want = valid ? 0 : PX_EENCODING;
  int rc = px_text_validate(s, n, NULL);
  if (rc != want) {
    px_test_fail(__FILE__, __LINE__, "validate gave %d", rc);
    return;
  }
  for (unsigned flags = 0; flags < 256; flags += 1 + rob() % 40) {
    rc = px_text_normalize(&out, &olen, s, n, flags);
    CHECK_INT(rc, want);
    if (rc == 0) {
      CHECK_OK(px_text_validate(out, olen, NULL));
      px_free(out);
    }
  }
  const char *langs[] = {NULL, "en", "fa", "ru", "ja", "th", "he"};
  px_token *t = NULL;
  size_t nt = 0;
  rc = px_text_tokenize(&t, &nt, s, n, langs[rob() % 7]);
  CHECK_INT(rc, want);
  if (rc == 0) {
    size_t end = 0;
    for (size_t i = 0; i < nt; i++) {
      CHECK(t[i].off >= end && t[i].len > 0 && t[i].off + t[i].len <= n);
      CHECK(t[i].kind >= PX_TOK_WORD && t[i].kind <= PX_TOK_IDEO);
      CHECK_OK(px_text_validate(s + t[i].off, t[i].len, NULL));
      end = t[i].off + t[i].len;
    }
    px_free(t);
  }
  rc = px_text_romanize(&out, &olen, s, n, langs[rob() % 4]);
  CHECK_INT(rc, want);
  if (rc == 0) {
    for (size_t i = 0; i < olen; i++)
      CHECK((out[i] >= 'a' && out[i] <= 'z') || out[i] == ' ' || out[i] == '-');
    char *sk = NULL;
    CHECK_OK(px_text_skeleton(&sk, NULL, out, olen));
    px_free(sk);
    px_free(out);
  }
  rc = px_text_digits_for_lang(&out, &olen, s, n, "fa");
  CHECK_INT(rc, want);
  if (rc == 0)
    px_free(out);
  (void)px_text_guess_lang(s, n, "en");
  double jw = px_text_jaro_winkler(s, n, "Rouhani", 7);
  CHECK(jw >= 0.0 && jw <= 1.0);
  size_t d;
  CHECK_OK(px_text_levenshtein(&d, s, n, "abc", 3));
}

PX_TEST(test_text_robust__random_bytes) {
  char buf[128];
  for (int round = 0; round < 300; round++) {
    size_t n = rob() % sizeof buf;
    for (size_t i = 0; i < n; i++)
      buf[i] =
          rob() % 4 ? (char)(rob() % 256) : "a \xD9\xDB\xE2\x80"[rob() % 6];
    size_t bad;
    int valid = px_text_validate(buf, n, &bad) == 0;
    exercise(buf, n, valid);
  }
}

PX_TEST(test_text_robust__random_text_of_many_scripts) {
  char buf[512];
  for (int round = 0; round < 300; round++) {
    size_t n = random_text(buf, sizeof buf);
    exercise(buf, n, 1);
  }
}
