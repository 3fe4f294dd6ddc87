/*
 * lexhelp.c: helpers of the lexicon tests (lexhelp.h).
 */
#include "lexhelp.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
