/* sents.c: px_align_sents_from_segments(), the one bridge from the
 * segmenter's kinds to the aligner's flags (used by align and names). */
#include <stdlib.h>

#include "px_test.h"

PX_TEST(test_align_sents__from_example_segments) {
  char path[4096];
  snprintf(path, sizeof path, "%s/tm/examples/mna-124464.en.txt",
           PX_TEST_SOURCE);
  size_t len = 0;
  char *text = px_test_slurp(path, &len);
  CHECK(text != NULL);
  if (!text)
    return;
  px_segment_opts so = PX_SEGMENT_OPTS_INIT;
  so.lang = "en";
  px_segment_list *list = NULL;
  CHECK_OK(px_segment_split(&list, NULL, text, len, &so));
  px_align_sent *as = NULL;
  CHECK_OK(px_align_sents_from_segments(&as, list));
  CHECK_INT(list->count, 19);
  if (as && list->count == 19) {
    /* the date/time line is furniture to the segmenter, alignable here */
    CHECK_INT(list->items[0].kind, PX_SEG_FURNITURE);
    CHECK_INT(as[0].flags, 0);
    CHECK_INT(as[1].flags, PX_ALIGN_HEADING);
    CHECK_INT(as[3].flags, 0);
    for (size_t i = 16; i < 19; i++) /* SPUTNIK/MNA, News ID, Tags */
      CHECK_INT(as[i].flags, PX_ALIGN_FURNITURE);
    for (size_t i = 0; i < 19; i++) {
      CHECK(as[i].text == list->items[i].text); /* borrowed */
      CHECK_INT(as[i].para, (long)list->items[i].paragraph);
    }
  }
  px_free(as);
  px_segment_list_free(list);
  free(text);
}

PX_TEST(test_align_sents__empty_list_and_bad_args) {
  px_segment_list *list = NULL;
  CHECK_OK(px_segment_split(&list, NULL, "", 0, NULL));
  px_align_sent *as = NULL;
  CHECK_OK(px_align_sents_from_segments(&as, list));
  CHECK(as != NULL);
  px_free(as);
  CHECK_ERR(px_align_sents_from_segments(NULL, list), PX_EINVALID);
  CHECK_ERR(px_align_sents_from_segments(&as, NULL), PX_EINVALID);
  px_segment_list_free(list);
}
