/* fuzz_tmx.c: the streaming TMX/TSV/JSONL reader on arbitrary bytes: it
 * must reject what is malformed with a message and never crash or leak. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parallax.h"

static int on_unit(const px_unit *u, const px_tmx_pos *pos, void *payload) {
  (void)pos;
  (void)payload;
  for (size_t i = 0; i < u->nvariants; i++)
    if (!u->variants[i].lang || !u->variants[i].text)
      abort();
  return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *names[] = {"f.tmx", "f.tsv", "f.jsonl"};
  px_tmx_read_opts opts = PX_TMX_READ_OPTS_INIT;
  for (int i = 0; i < 3; i++) {
    px_tmx_read_stats st;
    int rc = px_tmx_read_mem(&st, (const char *)data, size, names[i], &opts,
                             on_unit, NULL);
    if (rc < 0 && px_error_last()->message[0] == '\0')
      abort(); /* every failure says why */
  }
  return 0;
}
