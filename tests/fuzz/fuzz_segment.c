/* fuzz_segment.c: the segmenter with the shipped rules on arbitrary bytes:
 * offsets stay inside the input and in order, texts are valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>

#include "parallax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *langs[] = {"en", "fa", "ru", "ar", "de", "tr"};
  px_segment_opts opts = PX_SEGMENT_OPTS_INIT;
  opts.lang = langs[size % 6];
  opts.flags = (size & 64) ? PX_SEGMENT_LINES : 0;
  px_segment_list *list = NULL;
  if (px_segment_split(&list, NULL, (const char *)data, size, &opts) == 0) {
    size_t prev_end = 0;
    for (size_t i = 0; i < list->count; i++) {
      const px_segment *sg = &list->items[i];
      if (sg->start > sg->end || sg->end > size || sg->start < prev_end)
        abort();
      if (px_text_validate(sg->text, sg->len, NULL) != 0)
        abort();
      prev_end = sg->end;
    }
    px_segment_list_free(list);
  }
  return 0;
}
