/*
 * mutate.c: the readers on damaged input.  Thousands of deterministic
 * mutations of real files (bytes flipped, inserted, deleted, cut short,
 * markup characters sprinkled in) go through the TMX, TSV and JSONL
 * readers: each read must end in 0 or a documented negative code with a
 * message, never a crash, a hang or (under ASan) a bad access or a leak.
 */
#include <stdlib.h>
#include <string.h>

#include "px_test.h"
#include "tmx.h"

static uint32_t rng = 2463534242u;
static uint32_t next(void) { /* xorshift32 */
  rng ^= rng << 13;
  rng ^= rng >> 17;
  rng ^= rng << 5;
  return rng;
}

static int sink(const px_unit *u, const px_tmx_pos *pos, void *payload) {
  px_buf *b = payload;
  (void)pos;
  px_buf_clear(b);
  /* touch everything the unit points to */
  return px_tmx__jsonl_line(b, u, NULL, 0);
}

static void mutate_and_read(const char *orig, size_t n, const char *name,
                            px_tmx_format fmt, int rounds) {
  static const char markup[] = "<>&;\"'/=!?[]{}\\\t\n\x01\xff\xc3";
  char *m = malloc(n + 64);
  px_buf b;
  px_buf_init(&b, 0);
  for (int r = 0; r < rounds; r++) {
    size_t len = n;
    memcpy(m, orig, n);
    int edits = 1 + (int)(next() % 4);
    for (int e = 0; e < edits && len > 0; e++) {
      size_t at = next() % len;
      switch (next() % 5) {
      case 0: /* flip a byte */
        m[at] = (char)(m[at] ^ (char)(1u << (next() % 8)));
        break;
      case 1: /* a markup character */
        m[at] = markup[next() % (sizeof markup - 1)];
        break;
      case 2: /* delete a run */
      {
        size_t k = 1 + next() % 16;
        if (at + k > len)
          k = len - at;
        memmove(m + at, m + at + k, len - at - k);
        len -= k;
        break;
      }
      case 3: /* insert a markup character */
        if (len < n + 60) {
          memmove(m + at + 1, m + at, len - at);
          m[at] = markup[next() % (sizeof markup - 1)];
          len++;
        }
        break;
      default: /* cut short */ len = at; break;
      }
    }
    px_tmx_read_opts o = PX_TMX_READ_OPTS_INIT;
    o.format = fmt;
    o.flags = (r & 1) ? PX_TMX_SKIP_BAD : 0;
    if (fmt == PX_TMX_FORMAT_TSV) {
      o.src_lang = "en";
      o.tgt_lang = "fa";
    }
    px_error_clear();
    int rc = px_tmx_read_mem(NULL, m, len, name, &o, sink, &b);
    if (rc > 0 || rc < PX_EREADONLY ||
        (rc < 0 && px_error_last()->message[0] == '\0'))
      px_test_fail(__FILE__, __LINE__, "%s round %d: rc %d, message '%s'", name,
                   r, rc, px_error_last()->message);
    if (rc < 0 && rc != PX_EPARSE && rc != PX_ETOOBIG && rc != PX_EENCODING &&
        rc != PX_EINVALID)
      px_test_fail(__FILE__, __LINE__, "%s round %d: unexpected rc %d (%s)",
                   name, r, rc, px_error_last()->message);
  }
  px_buf_dispose(&b);
  free(m);
}

PX_TEST(test_tmx_mutate__tmx) {
  size_t n;
  char *s = px_test_slurp(px_test_data("tmx/rich.tmx"), &n);
  CHECK(s != NULL);
  if (s)
    mutate_and_read(s, n, "rich.tmx", PX_TMX_FORMAT_TMX, 3000);
  free(s);
  s = px_test_slurp(px_test_data("tmx/unit.golden.tmx"), &n);
  if (s)
    mutate_and_read(s, n, "unit.tmx", PX_TMX_FORMAT_TMX, 2000);
  free(s);
}

PX_TEST(test_tmx_mutate__jsonl_tsv) {
  size_t n;
  char *s = px_test_slurp(px_test_data("tmx/rich.golden.jsonl"), &n);
  CHECK(s != NULL);
  if (s) {
    mutate_and_read(s, n, "rich.jsonl", PX_TMX_FORMAT_JSONL, 3000);
    mutate_and_read(s, n, "rich.tsv", PX_TMX_FORMAT_TSV, 1000);
  }
  free(s);
}
