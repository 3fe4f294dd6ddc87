/* fuzz_text.c: the text module on arbitrary bytes: validation,
 * normalization with every flag, tokens, romanization and skeletons must
 * never crash, leak or read out of bounds, and must refuse invalid UTF-8. */
#include <stdint.h>
#include <stdlib.h>

#include "parallax.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  size_t bad;
  int valid = px_text_validate(s, size, &bad) == 0;
  char *out = NULL;
  size_t n = 0;
  if (px_text_normalize(&out, &n, s, size, 0x7f) == 0) {
    if (!valid)
      abort(); /* invalid input must be refused */
    px_free(out);
  }
  if (px_text_normalize(&out, &n, s, size, PX_NORM_KEY) == 0)
    px_free(out);
  px_token *toks = NULL;
  size_t count = 0;
  if (px_text_tokenize(&toks, &count, s, size, "en") == 0) {
    for (size_t i = 0; i < count; i++)
      if (toks[i].off + toks[i].len > size)
        abort();
    px_free(toks);
  }
  if (px_text_romanize(&out, &n, s, size, NULL) == 0) {
    char *sk = NULL;
    size_t skn = 0;
    if (px_text_skeleton(&sk, &skn, out, n) == 0)
      px_free(sk);
    px_free(out);
  }
  (void)px_text_guess_lang(s, size, "en");
  if (size > 1)
    (void)px_text_jaro_winkler(s, size / 2, s + size / 2, size - size / 2);
  return 0;
}
