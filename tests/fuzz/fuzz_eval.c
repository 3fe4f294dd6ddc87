/* fuzz_eval.c: the bead-file parser of `parallax eval`. */
#include <stdint.h>

#include "parallax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  px_eval_beads b;
  if (px_eval_parse(&b, "f.txt", (const char *)data, size) == 0)
    px_eval_beads_dispose(&b);
  return 0;
}
