/*
 * record.c: the unit record codec (tm_rec.c) against round trips,
 * truncation at every byte, flipped bytes and hostile lengths: a bad
 * record must give PX_ESTORE with a message, never a crash or a read out
 * of bounds (run under ASan).
 */
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "px_test.h"
#include "tm.h"

static void sample(px_buf *b) {
  px_variant v[2];
  memset(v, 0, sizeof v);
  v[0].lang = "fa";
  v[0].text = "متن";
  v[0].len = strlen(v[0].text);
  v[0].prev_hash = 0x0102030405060708ull;
  v[1].lang = "en";
  v[1].text = "text {1}bold{/1}";
  v[1].len = strlen(v[1].text);
  v[1].codes = "<bpt i=\"1\"/>\n<ept i=\"1\"/>";
  v[1].codes_len = strlen(v[1].codes);
  v[1].created = -5;
  px_prop p[2] = {{"a", "b"}, {"c", ""}};
  const char *notes[2] = {"n1", "n2"};
  v[1].props = p;
  v[1].nprops = 1;
  px_unit u;
  memset(&u, 0, sizeof u);
  u.tuid = "x";
  u.created = 1;
  u.changed = 2;
  u.last_used = 3;
  u.usage_count = 4;
  u.doc_id = "d";
  u.doc_pos = 5;
  u.confidence = -1;
  u.variants = v;
  u.nvariants = 2;
  u.props = p;
  u.nprops = 2;
  u.notes = notes;
  u.nnotes = 2;
  const char *docs[2] = {"old", "d"};
  CHECK_OK(px_tm__rec_encode(b, &u, docs, 2));
}

PX_TEST(test_tm_record__roundtrip) {
  px_buf b = PX_BUF_INIT;
  sample(&b);
  px_tm__rec *r = NULL;
  CHECK_OK(px_tm__rec_decode(&r, b.ptr, b.len, 42));
  if (r) {
    CHECK_INT(r->u.id, 42);
    CHECK_STR(r->u.tuid, "x");
    CHECK(r->u.srclang == NULL);
    CHECK_INT(r->u.created, 1);
    CHECK_INT(r->u.last_used, 3);
    CHECK_INT(r->u.usage_count, 4);
    CHECK(r->u.confidence < 0);
    CHECK_INT(r->ndocs, 2);
    CHECK_STR(r->docs[0], "old");
    CHECK_INT(r->u.nprops, 2);
    CHECK_STR(r->u.props[1].type, "c");
    CHECK_STR(r->u.props[1].value, "");
    CHECK_STR(r->u.notes[1], "n2");
    CHECK_INT(r->u.nvariants, 2);
    CHECK_STR(r->u.variants[1].text, "text {1}bold{/1}");
    CHECK_INT(r->u.variants[1].created, -5);
    CHECK_INT(r->u.variants[1].nprops, 1);
    CHECK_STR(r->u.variants[1].props[0].value, "b");
    CHECK(r->u.variants[0].prev_hash == 0x0102030405060708ull);
    CHECK(r->u.variants[0].codes == NULL);
    const char *t = NULL;
    size_t tl = 0;
    CHECK_OK(px_tm__rec_peek_text(&t, &tl, b.ptr, b.len, "en"));
    CHECK_MEM(t, tl, "text {1}bold{/1}");
    CHECK_OK(px_tm__rec_peek_text(&t, &tl, b.ptr, b.len, "fa-IR"));
    CHECK_MEM(t, tl, "متن");
    CHECK_INT(px_tm__rec_peek_text(&t, &tl, b.ptr, b.len, "ru"), PX_ENOTFOUND);
  }
  px_unit_free(&r->u);
  px_buf_dispose(&b);
}

PX_TEST(test_tm_record__every_truncation_fails_cleanly) {
  px_buf b = PX_BUF_INIT;
  sample(&b);
  for (size_t n = 0; n < b.len; n++) {
    unsigned char *copy =
        malloc(n ? n : 1); /* exact size: ASan sees overreads */
    memcpy(copy, b.ptr, n);
    px_tm__rec *r = NULL;
    int rc = px_tm__rec_decode(&r, copy, n, 7);
    if (rc != PX_ESTORE)
      px_test_fail(__FILE__, __LINE__, "truncated at %zu: rc %d", n, rc);
    CHECK(strstr(px_error_last()->message, "unit 7") != NULL);
    const char *t;
    size_t tl;
    rc = px_tm__rec_peek_text(&t, &tl, copy, n, "en");
    CHECK(rc == PX_ESTORE || rc == PX_ENOTFOUND || rc == 0);
    free(copy);
  }
  px_buf_dispose(&b);
}

PX_TEST(test_tm_record__flipped_bytes_never_crash) {
  px_buf b = PX_BUF_INIT;
  sample(&b);
  unsigned seed = 12345;
  for (int round = 0; round < 4000; round++) {
    unsigned char *copy = malloc(b.len);
    memcpy(copy, b.ptr, b.len);
    int flips = 1 + round % 3;
    for (int f = 0; f < flips; f++) {
      seed = seed * 1103515245u + 12345u;
      size_t at = (seed >> 8) % b.len;
      seed = seed * 1103515245u + 12345u;
      copy[at] ^= (unsigned char)(1u << ((seed >> 16) % 8));
    }
    px_tm__rec *r = NULL;
    int rc = px_tm__rec_decode(&r, copy, b.len, 1);
    CHECK(rc == 0 || rc == PX_ESTORE);
    if (rc == 0) {
      /* whatever decoded is self-consistent */
      for (size_t i = 0; i < r->u.nvariants; i++)
        CHECK(strlen(r->u.variants[i].text) <= r->u.variants[i].len);
      px_unit_free(&r->u);
    }
    const char *t;
    size_t tl;
    rc = px_tm__rec_peek_text(&t, &tl, copy, b.len, "en");
    if (rc == 0)
      CHECK(t >= (const char *)copy && t + tl <= (const char *)copy + b.len);
    free(copy);
  }
  px_buf_dispose(&b);
}

PX_TEST(test_tm_record__hostile_lengths) {
  /* magic, format, then a varint claiming a huge tuid */
  unsigned char rec[] = {0xB1, 1,    0,    0,    0,    0,   0,
                         0,    0xff, 0xff, 0xff, 0xff, 0x0f};
  px_tm__rec *r = NULL;
  CHECK_ERR(px_tm__rec_decode(&r, rec, sizeof rec, 3), PX_ESTORE);
  unsigned char wrong[] = {0x00, 1};
  CHECK_ERR(px_tm__rec_decode(&r, wrong, sizeof wrong, 3), PX_ESTORE);
  CHECK(strstr(px_error_last()->message, "not a unit record") != NULL);
  unsigned char fmt[] = {0xB1, 9};
  CHECK_ERR(px_tm__rec_decode(&r, fmt, sizeof fmt, 3), PX_ESTORE);
  /* an overlong varint */
  unsigned char over[] = {0xB1, 1,    0xff, 0xff, 0xff, 0xff, 0xff,
                          0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  CHECK_ERR(px_tm__rec_decode(&r, over, sizeof over, 3), PX_ESTORE);
}

PX_TEST(test_tm_record__encode_limits) {
  px_buf b = PX_BUF_INIT;
  px_variant v = {0};
  v.lang = "en";
  v.text = "x";
  v.len = 1;
  px_unit u;
  memset(&u, 0, sizeof u);
  u.variants = &v;
  u.nvariants = 1;
  u.nprops = PX_TM_MAX_PROPS + 1;
  px_prop *p = calloc(u.nprops, sizeof *p);
  u.props = p;
  CHECK_ERR(px_tm__rec_encode(&b, &u, NULL, 0), PX_ETOOBIG);
  free(p);
  u.nprops = 0;
  u.nvariants = 0;
  CHECK_ERR(px_tm__rec_encode(&b, &u, NULL, 0), PX_EINVALID);
  px_buf_dispose(&b);
}
