/* fuzz_rec.c: the translation memory's record codec.  A record read from a
 * damaged store must give PX_ESTORE, never a crash.  The input is decoded
 * as a record as is; it is also split into texts that are encoded into a
 * well-formed record, which is then decoded whole (it must round-trip),
 * truncated and with one byte changed. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "tm.h"

static void decode_quietly(const void *data, size_t size) {
  px_tm__rec *rec = NULL;
  if (px_tm__rec_decode(&rec, data, size, 1) == 0)
    px_unit_free(&rec->u);
  const char *text;
  size_t len;
  (void)px_tm__rec_peek_text(&text, &len, data, size, "en");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  decode_quietly(data, size);
  if (px_text_validate((const char *)data, size, NULL) != 0)
    return 0;
  size_t a = size / 3, b = 2 * size / 3;
  px_variant v[2];
  memset(v, 0, sizeof v);
  v[0].lang = "en";
  v[0].text = (const char *)data;
  v[0].len = a;
  v[1].lang = "fa";
  v[1].text = (const char *)data + a;
  v[1].len = b - a;
  px_prop prop = {"x-note", "v"};
  const char *doc = "doc-1";
  px_unit u;
  memset(&u, 0, sizeof u);
  u.variants = v;
  u.nvariants = 2;
  u.props = &prop;
  u.nprops = 1;
  u.doc_id = doc;
  u.confidence = 0.5;
  px_buf enc = PX_BUF_INIT;
  if (px_tm__rec_encode(&enc, &u, &doc, 1) == 0 && enc.len > 0) {
    px_tm__rec *rec = NULL;
    if (px_tm__rec_decode(&rec, enc.ptr, enc.len, 7) != 0)
      abort(); /* what we encode must decode */
    if (rec->u.nvariants != 2 || rec->u.variants[0].len != a)
      abort();
    px_unit_free(&rec->u);
    decode_quietly(enc.ptr, enc.len - 1 - (size % enc.len));
    enc.ptr[size % enc.len] ^= (char)(1 + (size & 0x7f));
    decode_quietly(enc.ptr, enc.len);
  }
  px_buf_dispose(&enc);
  return 0;
}
