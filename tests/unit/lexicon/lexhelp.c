/*
 * lexhelp.c: helpers of the lexicon tests (lexhelp.h).
 */
#include "lexhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "px_test.h"

void lexdump_put(lexdump *d, const char *s) {
  size_t k = strlen(s);
  if (d->n + k + 1 > d->cap) {
    d->cap = (d->n + k + 1) * 2;
    char *p = realloc(d->s, d->cap);
    if (!p)
      abort();
    d->s = p;
  }
  memcpy(d->s + d->n, s, k + 1);
  d->n += k;
}

int lexdump_entry(const px_lexicon_entry *e, void *payload) {
  char line[1200];
  uint32_t bits;
  memcpy(&bits, &e->weight, sizeof bits);
  snprintf(line, sizeof line, "%s\t%s\t%08x\n", e->src, e->tgt, (unsigned)bits);
  lexdump_put(payload, line);
  return 0;
}

char *lexdump_entries(const px_lexicon *lx) {
  lexdump d = {NULL, 0, 0};
  lexdump_put(&d, "");
  px_lexicon_foreach(lx, lexdump_entry, &d);
  return d.s;
}

static const char b64[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void lexhelp_b64num(char *out, size_t v) {
  char tmp[16];
  size_t n = 0;
  do {
    tmp[n++] = b64[v % 64];
    v /= 64;
  } while (v);
  for (size_t i = 0; i < n; i++)
    out[i] = tmp[n - 1 - i];
  out[n] = '\0';
}

const char *lexhelp_tr(const px_lexicon *lx, const char *word, int weights) {
  static char out[1024];
  char *n = NULL;
  size_t nl = 0;
  out[0] = '\0';
  if (px_lexicon_normalize_word(&n, &nl, word, strlen(word)) != 0)
    return "(normalize failed)";
  const px_lexicon_entry *e = NULL;
  size_t count = 0;
  if (px_lexicon_lookup(lx, n, nl, &e, &count) == 0)
    for (size_t i = 0; i < count; i++) {
      size_t o = strlen(out);
      if (weights == LEXTR_WEIGHTS ||
          (weights == LEXTR_WEIGHTS_BELOW_1 && e[i].weight < 0.999f))
        snprintf(out + o, sizeof out - o, "%s%s:%.2f", i ? "|" : "", e[i].tgt,
                 (double)e[i].weight);
      else
        snprintf(out + o, sizeof out - o, "%s%s", i ? "|" : "", e[i].tgt);
      if (e[i].src != e[0].src)
        px_test_fail(__FILE__, __LINE__, "entries of %s differ in src", word);
    }
  px_free(n);
  return out;
}
