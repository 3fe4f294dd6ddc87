/*
 * tsv_io.c: the two line formats beside TMX.
 *
 * TSV is for simple lists: one unit per line, one column per language,
 * the languages given on the command line or by a first line
 * `#langs<TAB>en<TAB>fa`; `\t`, `\n`, `\r` and `\\` are escaped so a
 * segment with a tab or a line break survives.  It carries text only.
 *
 * JSONL carries everything a unit holds (the same fields as TMX, with the
 * parallax provenance as plain fields): one JSON object per line, written
 * and read here by a small strict JSON parser that fills the same unit
 * builder as the TMX reader.  The field list is in tm/SCHEMA.md ("JSONL").
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "tmx.h"

/* Longest line accepted: every variant at its cap plus fields. */
#define LINE_MAX_BYTES (8u * 1024u * 1024u)

int px_tmx__src_line(px_tmx__src *src, px_buf *line) {
  px_buf_clear(line);
  if (!src->lbuf) {
    src->lbuf = px_malloc(PX_TMX__CHUNK);
    if (!src->lbuf)
      return PX_ENOMEM;
  }
  for (;;) {
    if (src->lpos == src->llen) {
      if (src->leof)
        return line->len ? (src->line++, 0) : PX_ITEROVER;
      long n = px_tmx__src_read(src, src->lbuf, PX_TMX__CHUNK);
      if (n < 0)
        return (int)n;
      src->llen = (size_t)n;
      src->lpos = 0;
      if (n == 0)
        src->leof = 1;
      continue;
    }
    const char *s = src->lbuf + src->lpos;
    const char *nl = memchr(s, '\n', src->llen - src->lpos);
    size_t n = nl ? (size_t)(nl - s) : src->llen - src->lpos;
    int rc = px_buf_put(line, s, n);
    if (rc == PX_ETOOBIG)
      return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TMX, 0,
                          "%s:%lu: line longer than %u bytes", src->name,
                          src->line + 1, LINE_MAX_BYTES);
    if (rc < 0)
      return rc;
    src->lpos += n + (nl ? 1 : 0);
    if (nl) {
      src->line++;
      if (line->len && line->ptr[line->len - 1] == '\r')
        line->ptr[--line->len] = '\0';
      return 0;
    }
  }
}

/* Invalid UTF-8 is a broken file, not a bad unit: fatal. */
static int check_utf8(px_tmx__src *src, const px_buf *line) {
  size_t bad;
  if (px_text_validate(line->ptr ? line->ptr : "", line->len, &bad) == 0)
    return 0;
  return px_error_set(PX_EENCODING, PX_ERRCLASS_TMX, 0,
                      "%s:%lu:%zu: invalid UTF-8 (byte %zu of the line)",
                      src->name, src->line, bad + 1, bad);
}

/* A bad unit: fatal, or reported and skipped under PX_TMX_SKIP_BAD. */
PX_PRINTF(5, 6)
static int bad_unit(px_tmx__src *src, px_tmx_read_stats *st, int code,
                    size_t col, const char *fmt, ...) {
  char msg[400], full[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(full, sizeof full, "%s:%lu:%zu: %s", src->name, src->line, col, msg);
  if (!(src->o->flags & PX_TMX_SKIP_BAD))
    return px_error_set(code, PX_ERRCLASS_TMX, 0, "%s", full);
  st->skipped++;
  if (src->o->on_bad)
    src->o->on_bad(code, full, src->o->payload);
  return 0;
}

/* Control characters other than tab, LF and CR cannot go into TMX. */
static size_t bad_control(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      return i + 1;
  }
  return 0;
}

/* ===================================================================== */
/* TSV                                                                    */
/* ===================================================================== */

static int tsv_unescape(px_buf *out, const char *s, size_t n) {
  px_buf_clear(out);
  size_t run = 0;
  int rc = 0;
  for (size_t i = 0; i + 1 < n && rc == 0; i++) {
    if (s[i] != '\\')
      continue;
    char c = s[i + 1], r;
    if (c == 't')
      r = '\t';
    else if (c == 'n')
      r = '\n';
    else if (c == 'r')
      r = '\r';
    else if (c == '\\')
      r = '\\';
    else
      continue;
    rc = px_buf_put(out, s + run, i - run);
    if (rc == 0)
      rc = px_buf_putc(out, r);
    i++;
    run = i + 1;
  }
  if (rc == 0)
    rc = px_buf_put(out, s + run, n - run);
  return rc;
}

int px_tmx__read_tsv(px_tmx__src *src, px_tmx_read_stats *st,
                     const px_tmx_read_opts *o, const char *name,
                     px_tmx_unit_fn fn, void *payload) {
  px_buf line, cell, langs;
  px_tmx__ub ub;
  size_t lang_off[PX_TM_MAX_VARIANTS];
  size_t nl = 0;
  int rc = 0;
  uint64_t index = 0;
  (void)name;
  px_buf_init(&line, LINE_MAX_BYTES);
  px_buf_init(&cell, PX_TM_MAX_TEXT + 1);
  px_buf_init(&langs, 4096);
  px_tmx__ub_init(&ub);
  if (o->src_lang || o->tgt_lang) {
    if (!o->src_lang || !o->tgt_lang) {
      rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                        "TSV needs both a source and a target language");
      goto done;
    }
    const char *l[2] = {o->src_lang, o->tgt_lang};
    for (int i = 0; i < 2; i++) {
      if (!px_tmx__lang_ok(l[i], strlen(l[i]))) {
        rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                          "'%s' is not a language tag", l[i]);
        goto done;
      }
      lang_off[nl++] = langs.len;
      rc = px_buf_put(&langs, l[i], strlen(l[i]) + 1);
      if (rc < 0)
        goto done;
    }
  }
  while ((rc = px_tmx__src_line(src, &line)) == 0) {
    const char *s = line.ptr ? line.ptr : "";
    size_t n = line.len;
    if (src->line == 1 && n >= 3 && (unsigned char)s[0] == 0xEF &&
        (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
      s += 3, n -= 3; /* a BOM */
    if ((rc = check_utf8(src, &line)) < 0)
      goto done;
    if (src->line == 1 && n >= 6 && !memcmp(s, "#langs", 6)) {
      if (nl) /* the command line wins */
        continue;
      const char *p = s + 6, *end = s + n;
      while (p < end && *p == '\t') {
        const char *q = ++p;
        while (q < end && *q != '\t')
          q++;
        if (!px_tmx__lang_ok(p, (size_t)(q - p)) || nl >= PX_TM_MAX_VARIANTS) {
          rc = px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0,
                            "%s:1:%zu: bad language tag '%.*s' in #langs",
                            src->name, (size_t)(p - s) + 1,
                            (int)(q - p > 40 ? 40 : q - p), p);
          goto done;
        }
        lang_off[nl++] = langs.len;
        if ((rc = px_buf_put(&langs, p, (size_t)(q - p))) < 0 ||
            (rc = px_buf_putc(&langs, '\0')) < 0)
          goto done;
        p = q;
      }
      continue;
    }
    if (nl < 1) {
      rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                        "%s: TSV needs --src-lang and --tgt-lang (or a first "
                        "line #langs<TAB>L1<TAB>L2)",
                        src->name);
      goto done;
    }
    if (n == 0)
      continue; /* blank lines separate nothing */
    /* split into columns */
    size_t ncol = 1;
    for (size_t i = 0; i < n; i++)
      ncol += s[i] == '\t';
    if (ncol != nl) {
      rc = bad_unit(src, st, PX_EPARSE, 1, "%zu columns, expected %zu", ncol,
                    nl);
      index++;
      if (rc < 0)
        goto done;
      continue;
    }
    px_tmx__ub_reset(&ub);
    int bad = 0;
    if (o->doc_id && (rc = px_tmx__ub_str(&ub, &ub.doc_id, o->doc_id,
                                          strlen(o->doc_id))) < 0)
      goto done;
    const char *p = s;
    for (size_t c = 0; c < nl && !bad; c++) {
      const char *q = memchr(p, '\t', (size_t)(s + n - p));
      if (!q)
        q = s + n;
      size_t col = (size_t)(p - s) + 1, ctl;
      px_tmx__var_off *v;
      rc = tsv_unescape(&cell, p, (size_t)(q - p));
      if (rc == PX_ETOOBIG) {
        rc = bad_unit(src, st, PX_ETOOBIG, col, "segment longer than %u bytes",
                      (unsigned)PX_TM_MAX_TEXT);
        bad = 1;
      } else if (rc == 0 && cell.len == 0) {
        rc = bad_unit(src, st, PX_EPARSE, col, "empty column %zu (%s)", c + 1,
                      langs.ptr + lang_off[c]);
        bad = 1;
      } else if (rc == 0 && (ctl = bad_control(cell.ptr, cell.len)) > 0) {
        rc = bad_unit(src, st, PX_EPARSE, col,
                      "control character U+%04X in column %zu",
                      (unsigned char)cell.ptr[ctl - 1], c + 1);
        bad = 1;
      } else if (rc == 0) {
        rc = px_tmx__ub_var(&ub, &v);
        if (rc == 0)
          rc = px_tmx__ub_str(&ub, &v->lang, langs.ptr + lang_off[c],
                              strlen(langs.ptr + lang_off[c]));
        if (rc == 0)
          rc = px_tmx__ub_str(&ub, &v->text, cell.ptr, cell.len);
        v->text_len = cell.len;
      }
      if (rc < 0)
        goto done;
      p = q + 1;
    }
    index++;
    if (bad)
      continue;
    if ((rc = px_tmx__ub_finish(&ub)) < 0)
      goto done;
    st->units++;
    if (fn) {
      px_tmx_pos pos = {src->name, src->line, 1, src->bytes, index - 1};
      if ((rc = fn(&ub.unit, &pos, payload)) < 0)
        goto done;
    }
  }
  if (rc == PX_ITEROVER)
    rc = 0;
  if (rc == 0 && src->bytes == 0)
    rc = px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0, "%s:1:1: empty file",
                      src->name);
done:
  px_buf_dispose(&line);
  px_buf_dispose(&cell);
  px_buf_dispose(&langs);
  px_tmx__ub_dispose(&ub);
  return rc;
}

/* Text without inline-code markers (a literal record gives its text). */
static int plain_text(px_buf *b, const px_variant *v, int tsv) {
  const char *rec = v->codes, *rend = v->codes ? v->codes + v->codes_len : NULL;
  size_t run = 0;
  int rc = 0;
  px_buf tmp;
  px_buf_init(&tmp, 0);
  if (v->codes && v->codes_len) {
    for (size_t i = 0; i < v->len && rc == 0; i++) {
      size_t j = i + 1, d = 0;
      if (v->text[i] != '{' || rec >= rend)
        continue;
      if (j < v->len && v->text[j] == '/')
        j++;
      while (j < v->len && v->text[j] >= '0' && v->text[j] <= '9')
        j++, d++;
      if (j < v->len && v->text[j] == '/' && v->text[i + 1] != '/')
        j++;
      if (!d || j >= v->len || v->text[j] != '}')
        continue;
      const char *nl = memchr(rec, '\n', (size_t)(rend - rec));
      size_t rl = nl ? (size_t)(nl - rec) : (size_t)(rend - rec);
      rc = px_buf_put(&tmp, v->text + run, i - run);
      if (rc == 0 && rl && rec[0] == '{')
        rc = px_buf_put(&tmp, rec, rl);
      rec = nl ? nl + 1 : rend;
      i = j;
      run = j + 1;
    }
  }
  if (rc == 0)
    rc = px_buf_put(&tmp, v->text + run, v->len - run);
  if (rc == 0 && tsv) {
    for (size_t i = 0; i < tmp.len && rc == 0; i++) {
      char c = tmp.ptr[i];
      rc = c == '\t'   ? px_buf_puts(b, "\\t")
           : c == '\n' ? px_buf_puts(b, "\\n")
           : c == '\r' ? px_buf_puts(b, "\\r")
           : c == '\\' ? px_buf_puts(b, "\\\\")
                       : px_buf_putc(b, c);
    }
  } else if (rc == 0) {
    rc = px_buf_put(b, tmp.ptr ? tmp.ptr : "", tmp.len);
  }
  px_buf_dispose(&tmp);
  return rc;
}

int px_tmx__tsv_line(px_buf *b, const px_unit *u, const char *const *langs,
                     size_t nlangs) {
  int rc = 0;
  for (size_t i = 0; i < nlangs; i++) {
    const px_variant *v = px_unit_variant(u, langs[i]);
    if (!v || !v->len)
      return 0; /* a row needs every column: not written */
  }
  for (size_t i = 0; i < nlangs && rc == 0; i++) {
    if (i)
      rc = px_buf_putc(b, '\t');
    if (rc == 0)
      rc = plain_text(b, px_unit_variant(u, langs[i]), 1);
  }
  if (rc == 0)
    rc = px_buf_putc(b, '\n');
  return rc;
}

/* ===================================================================== */
/* JSONL writing                                                         */
/* ===================================================================== */

static int json_str(px_buf *b, const char *s, size_t n) {
  static const char hex[] = "0123456789abcdef";
  size_t run = 0;
  int rc = px_buf_putc(b, '"');
  for (size_t i = 0; i < n && rc == 0; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    rc = px_buf_put(b, s + run, i - run);
    run = i + 1;
    if (rc < 0)
      break;
    switch (c) {
    case '"': rc = px_buf_puts(b, "\\\""); break;
    case '\\': rc = px_buf_puts(b, "\\\\"); break;
    case '\n': rc = px_buf_puts(b, "\\n"); break;
    case '\t': rc = px_buf_puts(b, "\\t"); break;
    case '\r': rc = px_buf_puts(b, "\\r"); break;
    default: {
      char e[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
      rc = px_buf_puts(b, e);
    }
    }
  }
  if (rc == 0)
    rc = px_buf_put(b, s + run, n - run);
  if (rc == 0)
    rc = px_buf_putc(b, '"');
  return rc;
}

static int json_key_str(px_buf *b, const char *key, const char *v) {
  if (!v)
    return 0;
  int rc = px_buf_printf(b, ",\"%s\":", key);
  return rc ? rc : json_str(b, v, strlen(v));
}

static int json_key_date(px_buf *b, const char *key, int64_t t) {
  char d[17];
  return t ? px_buf_printf(b, ",\"%s\":\"%s\"", key, px_tmx_date_format(d, t))
           : 0;
}

static int json_props(px_buf *b, const px_prop *p, size_t n,
                      const char *const *notes, size_t nn) {
  int rc = 0;
  if (n) {
    rc = px_buf_puts(b, ",\"props\":[");
    for (size_t i = 0; i < n && rc == 0; i++) {
      rc = px_buf_puts(b, i ? ",{\"type\":" : "{\"type\":");
      if (rc == 0)
        rc = json_str(b, p[i].type ? p[i].type : "",
                      p[i].type ? strlen(p[i].type) : 0);
      if (rc == 0)
        rc = px_buf_puts(b, ",\"value\":");
      if (rc == 0)
        rc = json_str(b, p[i].value ? p[i].value : "",
                      p[i].value ? strlen(p[i].value) : 0);
      if (rc == 0)
        rc = px_buf_putc(b, '}');
    }
    if (rc == 0)
      rc = px_buf_putc(b, ']');
  }
  if (nn && rc == 0) {
    rc = px_buf_puts(b, ",\"notes\":[");
    for (size_t i = 0; i < nn && rc == 0; i++) {
      if (i)
        rc = px_buf_putc(b, ',');
      if (rc == 0)
        rc = json_str(b, notes[i], strlen(notes[i]));
    }
    if (rc == 0)
      rc = px_buf_putc(b, ']');
  }
  return rc;
}

static int wanted_lang(const char *const *langs, size_t n, const char *l) {
  if (!n)
    return 1;
  for (size_t i = 0; i < n; i++)
    if (px_lang_equal(langs[i], l))
      return 1;
  return 0;
}

int px_tmx__jsonl_line(px_buf *b, const px_unit *u, const char *const *langs,
                       size_t nlangs) {
  int rc = px_buf_printf(b, "{\"id\":%llu", (unsigned long long)u->id);
  if (rc == 0)
    rc = json_key_str(b, "tuid", u->tuid);
  if (rc == 0)
    rc = json_key_str(b, "srclang", u->srclang);
  if (rc == 0)
    rc = json_key_date(b, "created", u->created);
  if (rc == 0)
    rc = json_key_date(b, "changed", u->changed);
  if (rc == 0)
    rc = json_key_date(b, "last_used", u->last_used);
  if (rc == 0 && u->usage_count)
    rc =
        px_buf_printf(b, ",\"usage_count\":%lu", (unsigned long)u->usage_count);
  if (rc == 0)
    rc = json_key_str(b, "creator", u->creator);
  if (rc == 0)
    rc = json_key_str(b, "changer", u->changer);
  if (rc == 0)
    rc = json_key_str(b, "tool", u->tool);
  if (rc == 0 && u->doc_id) {
    rc = json_key_str(b, "doc", u->doc_id);
    if (rc == 0)
      rc = px_buf_printf(b, ",\"doc_pos\":%lu", (unsigned long)u->doc_pos);
  }
  if (rc == 0 && u->confidence >= 0) {
    long v = (long)(u->confidence * 1000000.0 + 0.5);
    rc = v >= 1000000 ? px_buf_puts(b, ",\"confidence\":1")
                      : px_buf_printf(b, ",\"confidence\":0.%06ld", v);
  }
  if (rc == 0)
    rc = json_props(b, u->props, u->nprops, u->notes, u->nnotes);
  if (rc == 0)
    rc = px_buf_puts(b, ",\"variants\":[");
  int first = 1;
  for (size_t i = 0; i < u->nvariants && rc == 0; i++) {
    const px_variant *v = &u->variants[i];
    if (!wanted_lang(langs, nlangs, v->lang))
      continue;
    rc = px_buf_puts(b, first ? "{\"lang\":" : ",{\"lang\":");
    first = 0;
    if (rc == 0)
      rc = json_str(b, v->lang, strlen(v->lang));
    if (rc == 0)
      rc = px_buf_puts(b, ",\"text\":");
    if (rc == 0)
      rc = json_str(b, v->text, v->len);
    if (rc == 0 && v->codes && v->codes_len) {
      rc = px_buf_puts(b, ",\"codes\":");
      if (rc == 0)
        rc = json_str(b, v->codes, v->codes_len);
    }
    if (rc == 0 && v->prev_hash)
      rc = px_buf_printf(b, ",\"prev\":\"%016llx\"",
                         (unsigned long long)v->prev_hash);
    if (rc == 0 && v->next_hash)
      rc = px_buf_printf(b, ",\"next\":\"%016llx\"",
                         (unsigned long long)v->next_hash);
    if (rc == 0)
      rc = json_key_date(b, "created", v->created);
    if (rc == 0)
      rc = json_key_date(b, "changed", v->changed);
    if (rc == 0)
      rc = json_key_str(b, "creator", v->creator);
    if (rc == 0)
      rc = json_props(b, v->props, v->nprops, v->notes, v->nnotes);
    if (rc == 0)
      rc = px_buf_putc(b, '}');
  }
  if (rc == 0)
    rc = px_buf_puts(b, "]}\n");
  return rc;
}

/* ===================================================================== */
/* JSONL reading                                                         */
/* ===================================================================== */

typedef struct jp {
  const char *s, *p, *end;
  const char *err; /* what went wrong (static) */
  const char *err_at;
  px_buf str; /* the last string decoded */
  int depth;
} jp;

static void jws(jp *j) {
  while (j->p < j->end &&
         (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
    j->p++;
}

static int jfail(jp *j, const char *what) {
  if (!j->err) {
    j->err = what;
    j->err_at = j->p;
  }
  return -1;
}

static int jeat(jp *j, char c) {
  jws(j);
  if (j->p < j->end && *j->p == c) {
    j->p++;
    return 0;
  }
  return -1;
}

static int hex4(const char *p, unsigned *out) {
  unsigned v = 0;
  for (int i = 0; i < 4; i++) {
    char c = p[i];
    v <<= 4;
    if (c >= '0' && c <= '9')
      v |= (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      v |= (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      v |= (unsigned)(c - 'A' + 10);
    else
      return -1;
  }
  *out = v;
  return 0;
}

static int put_utf8(px_buf *b, unsigned cp) {
  char u[4];
  size_t n;
  if (cp < 0x80) {
    u[0] = (char)cp;
    n = 1;
  } else if (cp < 0x800) {
    u[0] = (char)(0xC0 | cp >> 6);
    u[1] = (char)(0x80 | (cp & 0x3F));
    n = 2;
  } else if (cp < 0x10000) {
    u[0] = (char)(0xE0 | cp >> 12);
    u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    n = 3;
  } else {
    u[0] = (char)(0xF0 | cp >> 18);
    u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    u[3] = (char)(0x80 | (cp & 0x3F));
    n = 4;
  }
  return px_buf_put(b, u, n);
}

/* A JSON string into j->str. */
static int jstr(jp *j) {
  px_buf_clear(&j->str);
  jws(j);
  if (j->p >= j->end || *j->p != '"')
    return jfail(j, "expected a string");
  j->p++;
  const char *run = j->p;
  while (j->p < j->end) {
    char c = *j->p;
    if (c == '"') {
      if (px_buf_put(&j->str, run, (size_t)(j->p - run)) < 0)
        return jfail(j, "string too long");
      j->p++;
      return 0;
    }
    if ((unsigned char)c < 0x20)
      return jfail(j, "control character in a string");
    if (c != '\\') {
      j->p++;
      continue;
    }
    if (px_buf_put(&j->str, run, (size_t)(j->p - run)) < 0)
      return jfail(j, "string too long");
    if (j->p + 1 >= j->end)
      return jfail(j, "unterminated string");
    char e = j->p[1];
    const char *m = strchr("\"\\/bfnrt", e);
    int rc;
    j->p += 2;
    if (e && m) {
      static const char rep[] = "\"\\/\b\f\n\r\t";
      rc = px_buf_putc(&j->str, rep[m - "\"\\/bfnrt"]);
    } else if (e == 'u') {
      unsigned cp, lo;
      if (j->end - j->p < 4 || hex4(j->p, &cp) < 0)
        return jfail(j, "bad \\u escape");
      j->p += 4;
      if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (j->end - j->p < 6 || j->p[0] != '\\' || j->p[1] != 'u' ||
            hex4(j->p + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
          return jfail(j, "unpaired surrogate");
        j->p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
      } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
        return jfail(j, "unpaired surrogate");
      }
      rc = put_utf8(&j->str, cp);
    } else {
      return jfail(j, "bad escape");
    }
    if (rc < 0)
      return jfail(j, "string too long");
    run = j->p;
  }
  return jfail(j, "unterminated string");
}

/* A non-negative integer (or a number in 0..1 when frac). */
static int jnum(jp *j, double *out) {
  jws(j);
  const char *p = j->p;
  double v = 0, scale = 1;
  int digits = 0;
  if (p < j->end && *p == '-')
    return jfail(j, "negative number");
  while (p < j->end && *p >= '0' && *p <= '9')
    v = v * 10 + (*p++ - '0'), digits++;
  if (p < j->end && *p == '.') {
    p++;
    while (p < j->end && *p >= '0' && *p <= '9')
      v += (*p++ - '0') * (scale /= 10), digits++;
  }
  if (!digits || (p < j->end && (*p == 'e' || *p == 'E')))
    return jfail(j, "expected a plain number");
  j->p = p;
  *out = v;
  return 0;
}

static int jlit(jp *j, const char *lit) {
  size_t n = strlen(lit);
  jws(j);
  if ((size_t)(j->end - j->p) >= n && !memcmp(j->p, lit, n)) {
    j->p += n;
    return 0;
  }
  return -1;
}

static int jskip(jp *j) {
  jws(j);
  if (j->p >= j->end)
    return jfail(j, "expected a value");
  if (++j->depth > 32)
    return jfail(j, "nested too deeply");
  char c = *j->p;
  int rc = 0;
  if (c == '"') {
    rc = jstr(j);
  } else if (c == '{' || c == '[') {
    char close = c == '{' ? '}' : ']';
    j->p++;
    if (jeat(j, close) < 0) {
      do {
        if (c == '{' && (jstr(j) < 0 || jeat(j, ':') < 0))
          return jfail(j, "expected \"key\":");
        if (jskip(j) < 0)
          return -1;
      } while (jeat(j, ',') == 0);
      if (jeat(j, close) < 0)
        return jfail(j, c == '{' ? "expected , or }" : "expected , or ]");
    }
  } else if (jlit(j, "true") == 0 || jlit(j, "false") == 0 ||
             jlit(j, "null") == 0) {
    rc = 0;
  } else {
    double d;
    if (*j->p == '-')
      j->p++;
    rc = jnum(j, &d);
  }
  j->depth--;
  return rc;
}

/* Shared state while filling a unit from JSON. */
typedef struct jctx {
  jp j;
  px_tmx__ub *ub;
  int rc; /* a library failure (ENOMEM) */
} jctx;

static int jkeep(jctx *c, size_t *off) {
  if (c->j.str.len > PX_TM_MAX_FIELD)
    return jfail(&c->j, "string longer than the field limit");
  int rc = px_tmx__ub_str(c->ub, off, c->j.str.ptr ? c->j.str.ptr : "",
                          c->j.str.len);
  if (rc < 0) {
    c->rc = rc;
    return -1;
  }
  return 0;
}

static int jdate(jctx *c, int64_t *out) {
  if (jlit(&c->j, "null") == 0)
    return 0;
  if (jstr(&c->j) < 0)
    return -1;
  if (px_tmx_date_parse(out, c->j.str.ptr, c->j.str.len) < 0)
    return jfail(&c->j, "bad date (want YYYYMMDDThhmmssZ)");
  return 0;
}

static int jstrkey(jctx *c, size_t *off) {
  if (jlit(&c->j, "null") == 0)
    return 0;
  return jstr(&c->j) < 0 ? -1 : jkeep(c, off);
}

/* "props":[{"type":..,"value":..},...] and "notes":[..] into the builder. */
static int jprops(jctx *c) {
  jp *j = &c->j;
  if (jlit(j, "null") == 0)
    return 0;
  if (jeat(j, '[') < 0)
    return jfail(j, "props: expected an array");
  if (jeat(j, ']') == 0)
    return 0;
  do {
    px_buf type;
    int rc;
    if (jeat(j, '{') < 0)
      return jfail(j, "props: expected {\"type\":..,\"value\":..}");
    px_buf_init(&type, PX_TM_MAX_FIELD);
    int have_t = 0, have_v = 0;
    size_t vstart = 0;
    do {
      if (jstr(j) < 0 || jeat(j, ':') < 0) {
        px_buf_dispose(&type);
        return jfail(j, "expected \"key\":");
      }
      if (j->str.len == 4 && !memcmp(j->str.ptr, "type", 4)) {
        if (jstr(j) < 0 || px_buf_put(&type, j->str.ptr, j->str.len) < 0) {
          px_buf_dispose(&type);
          return jfail(j, "props: bad type");
        }
        have_t = 1;
      } else if (j->str.len == 5 && !memcmp(j->str.ptr, "value", 5)) {
        vstart = (size_t)(j->p - j->s);
        if (jstr(j) < 0) {
          px_buf_dispose(&type);
          return -1;
        }
        have_v = 1;
      } else if (jskip(j) < 0) {
        px_buf_dispose(&type);
        return -1;
      }
    } while (jeat(j, ',') == 0);
    if (jeat(j, '}') < 0 || !have_t || !have_v) {
      px_buf_dispose(&type);
      return jfail(j, "props: need type and value");
    }
    /* the value is decoded again: type may have been after it */
    const char *save = j->p;
    j->p = j->s + vstart;
    jstr(j);
    j->p = save;
    if (j->str.len > PX_TM_MAX_FIELD) {
      px_buf_dispose(&type);
      return jfail(j, "prop value too long");
    }
    rc = px_tmx__ub_prop(c->ub, type.ptr ? type.ptr : "", type.len,
                         j->str.ptr ? j->str.ptr : "", j->str.len);
    px_buf_dispose(&type);
    if (rc < 0) {
      c->rc = rc == PX_ETOOBIG ? 0 : rc;
      return jfail(j, "too many props");
    }
  } while (jeat(j, ',') == 0);
  return jeat(j, ']') < 0 ? jfail(j, "props: expected , or ]") : 0;
}

static int jnotes(jctx *c) {
  jp *j = &c->j;
  if (jlit(j, "null") == 0)
    return 0;
  if (jeat(j, '[') < 0)
    return jfail(j, "notes: expected an array");
  if (jeat(j, ']') == 0)
    return 0;
  do {
    if (jstr(j) < 0)
      return -1;
    if (j->str.len > PX_TM_MAX_FIELD)
      return jfail(j, "note too long");
    int rc = px_tmx__ub_note(c->ub, j->str.ptr ? j->str.ptr : "", j->str.len);
    if (rc < 0) {
      c->rc = rc;
      return -1;
    }
  } while (jeat(j, ',') == 0);
  return jeat(j, ']') < 0 ? jfail(j, "notes: expected , or ]") : 0;
}

static int jkey_is(jp *j, const char *k) {
  size_t n = strlen(k);
  return j->str.len == n && !memcmp(j->str.ptr, k, n);
}

static int jvariant(jctx *c) {
  jp *j = &c->j;
  px_tmx__var_off *v;
  int rc;
  const char *start;
  if (c->ub->nvars >= PX_TM_MAX_VARIANTS)
    return jfail(j, "too many variants");
  if (jeat(j, '{') < 0)
    return jfail(j, "variants: expected an object");
  if ((rc = px_tmx__ub_var(c->ub, &v)) < 0) {
    c->rc = rc;
    return -1;
  }
  start = j->p;
  /* two passes: scalar fields first, then props and notes (which must
   * follow the variant's start in the builder) */
  for (int pass = 0; pass < 2; pass++) {
    j->p = start;
    if (jeat(j, '}') == 0)
      break;
    do {
      if (jstr(j) < 0 || jeat(j, ':') < 0)
        return jfail(j, "expected \"key\":");
      int r = 0;
      if (jkey_is(j, "props"))
        r = pass ? jprops(c) : jskip(j);
      else if (jkey_is(j, "notes"))
        r = pass ? jnotes(c) : jskip(j);
      else if (pass)
        r = jskip(j);
      else if (jkey_is(j, "lang")) {
        r = jstr(j);
        if (r == 0 && !px_tmx__lang_ok(j->str.ptr, j->str.len))
          r = jfail(j, "bad language tag");
        for (size_t i = 0; r == 0 && i + 1 < c->ub->nvars; i++)
          if (px_lang_equal(c->ub->arena.ptr + c->ub->vars[i].lang, j->str.ptr))
            r = jfail(j, "two variants of one language");
        if (r == 0)
          r = jkeep(c, &v->lang);
      } else if (jkey_is(j, "text") || jkey_is(j, "codes")) {
        int is_text = j->str.ptr[0] == 't';
        r = jstr(j);
        if (r == 0 && j->str.len > PX_TM_MAX_TEXT)
          r = jfail(j, is_text ? "segment too long" : "codes too long");
        if (r == 0 && is_text && bad_control(j->str.ptr, j->str.len))
          r = jfail(j, "control character in text");
        if (r == 0) {
          size_t *off = is_text ? &v->text : &v->codes;
          rc = px_tmx__ub_str(c->ub, off, j->str.ptr ? j->str.ptr : "",
                              j->str.len);
          if (rc < 0) {
            c->rc = rc;
            return -1;
          }
          if (is_text)
            v->text_len = j->str.len;
          else
            v->codes_len = j->str.len;
        }
      } else if (jkey_is(j, "prev") || jkey_is(j, "next")) {
        uint64_t *h = j->str.ptr[0] == 'p' ? &v->prev_hash : &v->next_hash;
        r = jstr(j);
        uint64_t x = 0;
        size_t k;
        for (k = 0; r == 0 && k < j->str.len; k++) {
          char ch = j->str.ptr[k];
          unsigned d = ch >= '0' && ch <= '9'   ? (unsigned)(ch - '0')
                       : ch >= 'a' && ch <= 'f' ? (unsigned)(ch - 'a' + 10)
                                                : 99;
          if (d == 99)
            break;
          x = x << 4 | d;
        }
        if (r == 0 && (j->str.len != 16 || k != 16))
          r = jfail(j, "prev/next: want 16 hex digits");
        *h = x;
      } else if (jkey_is(j, "created"))
        r = jdate(c, &v->created);
      else if (jkey_is(j, "changed"))
        r = jdate(c, &v->changed);
      else if (jkey_is(j, "creator"))
        r = jstrkey(c, &v->creator);
      else
        r = jskip(j);
      if (r < 0)
        return -1;
    } while (jeat(j, ',') == 0);
    if (jeat(j, '}') < 0)
      return jfail(j, "expected , or }");
  }
  if (v->lang == PX_TMX__NONE)
    return jfail(j, "variant without lang");
  if (!v->text_len)
    return jfail(j, "empty or missing text");
  return 0;
}

/* Parse one JSONL object into ub; -1 with c->j.err or c->rc set. */
static int junit(jctx *c) {
  jp *j = &c->j;
  const char *start, *variants = NULL;
  double d;
  if (jeat(j, '{') < 0)
    return jfail(j, "expected a JSON object");
  start = j->p;
  if (jeat(j, '}') == 0)
    return jfail(j, "a unit without variants");
  j->p = start;
  do {
    if (jstr(j) < 0 || jeat(j, ':') < 0)
      return jfail(j, "expected \"key\":");
    int r = 0;
    px_tmx__ub *ub = c->ub;
    if (jkey_is(j, "variants")) {
      jws(j);
      variants = j->p;
      r = jskip(j);
    } else if (jkey_is(j, "tuid"))
      r = jstrkey(c, &ub->tuid);
    else if (jkey_is(j, "srclang")) {
      r = jstrkey(c, &ub->srclang);
      if (r == 0 && ub->srclang != PX_TMX__NONE &&
          !px_tmx__lang_ok(ub->arena.ptr + ub->srclang,
                           strlen(ub->arena.ptr + ub->srclang)))
        r = jfail(j, "bad srclang");
    } else if (jkey_is(j, "created"))
      r = jdate(c, &ub->created);
    else if (jkey_is(j, "changed"))
      r = jdate(c, &ub->changed);
    else if (jkey_is(j, "last_used"))
      r = jdate(c, &ub->last_used);
    else if (jkey_is(j, "usage_count") || jkey_is(j, "doc_pos")) {
      uint32_t *dst = j->str.ptr[0] == 'u' ? &ub->usage_count : &ub->doc_pos;
      r = jnum(j, &d);
      if (r == 0 && (d != (double)(uint32_t)d))
        r = jfail(j, "expected an integer");
      if (r == 0)
        *dst = (uint32_t)d;
    } else if (jkey_is(j, "confidence")) {
      if (jlit(j, "null") == 0)
        ub->confidence = -1;
      else {
        r = jnum(j, &d);
        if (r == 0 && d > 1.0)
          r = jfail(j, "confidence above 1");
        if (r == 0)
          ub->confidence = d;
      }
    } else if (jkey_is(j, "creator"))
      r = jstrkey(c, &ub->creator);
    else if (jkey_is(j, "changer"))
      r = jstrkey(c, &ub->changer);
    else if (jkey_is(j, "tool"))
      r = jstrkey(c, &ub->tool);
    else if (jkey_is(j, "doc"))
      r = jstrkey(c, &ub->doc_id);
    else if (jkey_is(j, "props"))
      r = jprops(c);
    else if (jkey_is(j, "notes"))
      r = jnotes(c);
    else
      r = jskip(j); /* "id" and fields of later versions */
    if (r < 0)
      return -1;
  } while (jeat(j, ',') == 0);
  if (jeat(j, '}') < 0)
    return jfail(j, "expected , or }");
  jws(j);
  if (j->p != j->end)
    return jfail(j, "text after the object");
  if (!variants)
    return jfail(j, "a unit without variants");
  const char *after = j->p;
  j->p = variants;
  if (jeat(j, '[') < 0)
    return jfail(j, "variants: expected an array");
  if (jeat(j, ']') == 0)
    return jfail(j, "a unit without variants");
  do {
    if (jvariant(c) < 0)
      return -1;
  } while (jeat(j, ',') == 0);
  if (jeat(j, ']') < 0)
    return jfail(j, "variants: expected , or ]");
  j->p = after;
  return 0;
}

int px_tmx__read_jsonl(px_tmx__src *src, px_tmx_read_stats *st,
                       const px_tmx_read_opts *o, const char *name,
                       px_tmx_unit_fn fn, void *payload) {
  px_buf line;
  px_tmx__ub ub;
  jctx c;
  int rc;
  uint64_t index = 0;
  (void)name;
  px_buf_init(&line, LINE_MAX_BYTES);
  px_tmx__ub_init(&ub);
  memset(&c, 0, sizeof c);
  c.ub = &ub;
  px_buf_init(&c.j.str, LINE_MAX_BYTES);
  while ((rc = px_tmx__src_line(src, &line)) == 0) {
    const char *s = line.ptr ? line.ptr : "";
    size_t n = line.len;
    if ((rc = check_utf8(src, &line)) < 0)
      break;
    if (src->line == 1 && n >= 3 && (unsigned char)s[0] == 0xEF &&
        (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF)
      s += 3, n -= 3;
    c.j.s = c.j.p = s;
    c.j.end = s + n;
    jws(&c.j);
    if (c.j.p == c.j.end)
      continue;
    px_tmx__ub_reset(&ub);
    c.j.err = NULL;
    c.j.depth = 0;
    c.rc = 0;
    if (o->doc_id && (rc = px_tmx__ub_str(&ub, &ub.doc_id, o->doc_id,
                                          strlen(o->doc_id))) < 0)
      break;
    index++;
    if (junit(&c) < 0) {
      if (c.rc < 0) {
        rc = c.rc;
        break;
      }
      rc = bad_unit(src, st, PX_EPARSE, (size_t)(c.j.err_at - s) + 1, "%s",
                    c.j.err ? c.j.err : "bad JSON");
      if (rc < 0)
        break;
      continue;
    }
    if ((rc = px_tmx__ub_finish(&ub)) < 0)
      break;
    st->units++;
    if (fn) {
      px_tmx_pos pos = {src->name, src->line, 1, src->bytes, index - 1};
      if ((rc = fn(&ub.unit, &pos, payload)) < 0)
        break;
    }
  }
  if (rc == PX_ITEROVER)
    rc = 0;
  if (rc == 0 && src->bytes == 0)
    rc = px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0, "%s:1:1: empty file",
                      src->name);
  px_buf_dispose(&line);
  px_buf_dispose(&c.j.str);
  px_tmx__ub_dispose(&ub);
  return rc;
}
