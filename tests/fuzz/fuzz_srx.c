/* fuzz_srx.c: the SRX 2.0 loader on arbitrary bytes; rules that load are
 * then used once. */
#include <stdint.h>

#include "parallax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  px_segment_rules *rules = NULL;
  if (px_segment_rules_load_mem(&rules, (const char *)data, size, "f.srx") ==
      0) {
    static const char text[] = "Dr. Smith went to Washington D.C. on Apr. "
                               "5. He met the U.N. team. Then he left!";
    px_segment_opts opts = PX_SEGMENT_OPTS_INIT;
    opts.lang = "en";
    px_segment_list *list = NULL;
    if (px_segment_split(&list, rules, text, sizeof text - 1, &opts) == 0)
      px_segment_list_free(list);
    px_segment_rules_free(rules);
  }
  return 0;
}
