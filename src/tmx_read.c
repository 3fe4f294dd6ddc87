/*
 * tmx_read.c: the streaming TMX 1.4b reader.  Expat parses the file in
 * 64 KiB chunks; the handlers below keep a stack of where they are
 * (tmx/header/body/tu/tuv/seg/inline code) and fill one unit at a time,
 * handing each finished <tu> to the caller.  Memory stays constant: one
 * unit's bytes, Expat's buffer and the element stack.
 *
 * Safety: entity declarations stop the parse before anything is expanded
 * (billion laughs), external entities are never loaded, an undefined
 * entity is an error rather than silently dropped text, and nesting depth,
 * segment size and the size of one XML token are capped.  Expat's error
 * codes are translated here (and only here) into PX_EPARSE with
 * FILE:LINE:COL.
 *
 * Also here: the unit builder shared with the TSV/JSONL readers, TMX date
 * parsing and formatting, and the byte source with its hash and progress.
 */
#include <errno.h>
#include <stdarg.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "mem.h"
#include "tmx.h"

/* ===================================================================== */
/* Unit builder                                                          */
/* ===================================================================== */

void px_tmx__ub_init(px_tmx__ub *ub) {
  memset(ub, 0, sizeof *ub);
  /* Strings of one unit: a few segments plus props; bounded by the
   * per-field caps times the per-unit counts, so 64 MiB is never reached
   * by valid input and stops runaway input. */
  px_buf_init(&ub->arena, 64u * 1024u * 1024u);
  px_tmx__ub_reset(ub);
}

void px_tmx__ub_dispose(px_tmx__ub *ub) {
  px_buf_dispose(&ub->arena);
  px_free(ub->props);
  px_free(ub->notes);
  px_free(ub->vars);
  px_free(ub->pvars);
  px_free(ub->pprops);
  px_free(ub->pnotes);
  memset(ub, 0, sizeof *ub);
}

void px_tmx__ub_reset(px_tmx__ub *ub) {
  px_buf_clear(&ub->arena);
  ub->tuid = ub->srclang = ub->creator = ub->changer = ub->tool = ub->doc_id =
      PX_TMX__NONE;
  ub->created = ub->changed = ub->last_used = 0;
  ub->usage_count = 0;
  ub->doc_pos = 0;
  ub->confidence = -1.0;
  ub->nprops = ub->nnotes = ub->nvars = 0;
  ub->uprops = ub->unotes = 0;
}

int px_tmx__ub_str(px_tmx__ub *ub, size_t *off, const char *s, size_t len) {
  size_t at = ub->arena.len;
  int rc = px_buf_put(&ub->arena, s, len);
  if (rc == 0)
    rc = px_buf_putc(&ub->arena, '\0');
  if (rc < 0) {
    ub->arena.len = at;
    if (ub->arena.ptr)
      ub->arena.ptr[at] = '\0';
    return rc;
  }
  *off = at;
  return 0;
}

int px_tmx__ub_prop(px_tmx__ub *ub, const char *type, size_t tlen,
                    const char *val, size_t vlen) {
  if (ub->nprops >= PX_TM_MAX_PROPS * (1 + (size_t)PX_TM_MAX_VARIANTS))
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TMX, 0, "too many props");
  if (PX_GROW(ub->props, ub->nprops, ub->cap_props) < 0)
    return PX_ENOMEM;
  px_tmx__prop_off *p = &ub->props[ub->nprops];
  int rc = px_tmx__ub_str(ub, &p->type, type, tlen);
  if (rc == 0)
    rc = px_tmx__ub_str(ub, &p->value, val, vlen);
  if (rc < 0)
    return rc;
  ub->nprops++;
  if (ub->nvars == 0)
    ub->uprops = ub->nprops;
  else
    ub->vars[ub->nvars - 1].nprops++;
  return 0;
}

int px_tmx__ub_note(px_tmx__ub *ub, const char *s, size_t len) {
  if (PX_GROW(ub->notes, ub->nnotes, ub->cap_notes) < 0)
    return PX_ENOMEM;
  int rc = px_tmx__ub_str(ub, &ub->notes[ub->nnotes], s, len);
  if (rc < 0)
    return rc;
  ub->nnotes++;
  if (ub->nvars == 0)
    ub->unotes = ub->nnotes;
  else
    ub->vars[ub->nvars - 1].nnotes++;
  return 0;
}

int px_tmx__ub_var(px_tmx__ub *ub, px_tmx__var_off **out) {
  if (PX_GROW(ub->vars, ub->nvars, ub->cap_vars) < 0)
    return PX_ENOMEM;
  px_tmx__var_off *v = &ub->vars[ub->nvars++];
  memset(v, 0, sizeof *v);
  v->lang = v->text = v->codes = v->creator = PX_TMX__NONE;
  v->prop0 = ub->nprops;
  v->note0 = ub->nnotes;
  *out = v;
  return 0;
}

static const char *ub_ptr(const px_tmx__ub *ub, size_t off) {
  return off == PX_TMX__NONE ? NULL : ub->arena.ptr + off;
}

int px_tmx__ub_finish(px_tmx__ub *ub) {
  if (ub->nvars > ub->cap_pvars) {
    px_variant *nv = px_realloc(ub->pvars, ub->nvars * sizeof *nv);
    if (!nv)
      return PX_ENOMEM;
    ub->pvars = nv;
    ub->cap_pvars = ub->nvars;
  }
  if (ub->nprops > ub->cap_pprops) {
    px_prop *np = px_realloc(ub->pprops, ub->nprops * sizeof *np);
    if (!np)
      return PX_ENOMEM;
    ub->pprops = np;
    ub->cap_pprops = ub->nprops;
  }
  if (ub->nnotes > ub->cap_pnotes) {
    const char **nn = px_realloc(ub->pnotes, ub->nnotes * sizeof *nn);
    if (!nn)
      return PX_ENOMEM;
    ub->pnotes = nn;
    ub->cap_pnotes = ub->nnotes;
  }
  for (size_t i = 0; i < ub->nprops; i++) {
    ub->pprops[i].type = ub_ptr(ub, ub->props[i].type);
    ub->pprops[i].value = ub_ptr(ub, ub->props[i].value);
  }
  for (size_t i = 0; i < ub->nnotes; i++)
    ub->pnotes[i] = ub_ptr(ub, ub->notes[i]);
  for (size_t i = 0; i < ub->nvars; i++) {
    const px_tmx__var_off *v = &ub->vars[i];
    px_variant *pv = &ub->pvars[i];
    memset(pv, 0, sizeof *pv);
    pv->lang = ub_ptr(ub, v->lang);
    pv->text = v->text == PX_TMX__NONE ? "" : ub_ptr(ub, v->text);
    pv->len = v->text_len;
    pv->codes = v->codes_len ? ub_ptr(ub, v->codes) : NULL;
    pv->codes_len = v->codes_len;
    pv->prev_hash = v->prev_hash;
    pv->next_hash = v->next_hash;
    pv->created = v->created;
    pv->changed = v->changed;
    pv->creator = ub_ptr(ub, v->creator);
    pv->props = v->nprops ? ub->pprops + v->prop0 : NULL;
    pv->nprops = v->nprops;
    pv->notes = v->nnotes ? ub->pnotes + v->note0 : NULL;
    pv->nnotes = v->nnotes;
  }
  px_unit *u = &ub->unit;
  memset(u, 0, sizeof *u);
  u->tuid = ub_ptr(ub, ub->tuid);
  u->srclang = ub_ptr(ub, ub->srclang);
  u->created = ub->created;
  u->changed = ub->changed;
  u->last_used = ub->last_used;
  u->usage_count = ub->usage_count;
  u->creator = ub_ptr(ub, ub->creator);
  u->changer = ub_ptr(ub, ub->changer);
  u->tool = ub_ptr(ub, ub->tool);
  u->doc_id = ub_ptr(ub, ub->doc_id);
  u->doc_pos = ub->doc_pos;
  u->confidence = ub->confidence;
  u->variants = ub->pvars;
  u->nvariants = ub->nvars;
  u->props = ub->uprops ? ub->pprops : NULL;
  u->nprops = ub->uprops;
  u->notes = ub->unotes ? ub->pnotes : NULL;
  u->nnotes = ub->unotes;
  return 0;
}

/* ===================================================================== */
/* Small parsers                                                         */
/* ===================================================================== */

static int is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int is_digit(char c) { return c >= '0' && c <= '9'; }

int px_tmx__lang_ok(const char *s, size_t len) {
  size_t i = 0, n = 0;
  while (i < len && is_alpha(s[i]))
    i++, n++;
  if (n < 1 || n > 8)
    return 0;
  while (i < len) {
    if (s[i] != '-' && s[i] != '_')
      return 0;
    i++;
    n = 0;
    while (i < len && (is_alpha(s[i]) || is_digit(s[i])))
      i++, n++;
    if (n < 1 || n > 8)
      return 0;
  }
  return len <= 35;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil, which needs no time zone and no libc). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = (unsigned)(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static int num(const char *s, size_t n, unsigned *out) {
  unsigned v = 0;
  for (size_t i = 0; i < n; i++) {
    if (!is_digit(s[i]))
      return -1;
    v = v * 10 + (unsigned)(s[i] - '0');
  }
  *out = v;
  return 0;
}

int px_tmx_date_parse(int64_t *out, const char *s, size_t len) {
  unsigned y, mo, d, h, mi, se;
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s);
  if (len != 16 || s[8] != 'T' || s[15] != 'Z' || num(s, 4, &y) < 0 ||
      num(s + 4, 2, &mo) < 0 || num(s + 6, 2, &d) < 0 ||
      num(s + 9, 2, &h) < 0 || num(s + 11, 2, &mi) < 0 ||
      num(s + 13, 2, &se) < 0)
    return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0,
                        "'%.*s' is not a TMX date YYYYMMDDThhmmssZ",
                        (int)(len > 40 ? 40 : len), s);
  static const unsigned char mdays[12] = {31, 29, 31, 30, 31, 30,
                                          31, 31, 30, 31, 30, 31};
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] ||
      (mo == 2 && d == 29 && !leap) || h > 23 || mi > 59 || se > 59)
    return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0,
                        "'%.16s' is not a valid date and time", s);
  *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se;
  return 0;
}

static void put2(char *p, unsigned v) {
  p[0] = (char)('0' + v / 10 % 10);
  p[1] = (char)('0' + v % 10);
}

char *px_tmx_date_format(char buf[17], int64_t t) {
  int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  int64_t secs = t - days * 86400;
  /* civil_from_days, the inverse of days_from_civil */
  int64_t z = days + 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = (unsigned)(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = (int64_t)yoe + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  if (y < 0)
    y = 0;
  if (y > 9999)
    y = 9999;
  put2(buf, (unsigned)(y / 100));
  put2(buf + 2, (unsigned)(y % 100));
  put2(buf + 4, m);
  put2(buf + 6, d);
  buf[8] = 'T';
  put2(buf + 9, (unsigned)(secs / 3600));
  put2(buf + 11, (unsigned)(secs / 60 % 60));
  put2(buf + 13, (unsigned)(secs % 60));
  buf[15] = 'Z';
  buf[16] = '\0';
  return buf;
}

/* A decimal uint32 without sign or spaces; -1 if not. */
static int parse_u32(uint32_t *out, const char *s) {
  uint64_t v = 0;
  if (!*s)
    return -1;
  for (; *s; s++) {
    if (!is_digit(*s))
      return -1;
    v = v * 10 + (uint64_t)(*s - '0');
    if (v > UINT32_MAX)
      return -1;
  }
  *out = (uint32_t)v;
  return 0;
}

static int parse_hex64(uint64_t *out, const char *s) {
  uint64_t v = 0;
  size_t n = 0;
  for (; *s; s++, n++) {
    char c = *s;
    unsigned d;
    if (is_digit(c))
      d = (unsigned)(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = (unsigned)(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = (unsigned)(c - 'A' + 10);
    else
      return -1;
    v = v << 4 | d;
  }
  if (n != 16)
    return -1;
  *out = v;
  return 0;
}

/* A confidence written by parallax: 0, 1 or 0.ddd (locale-free). */
static int parse_conf(double *out, const char *s) {
  double v = 0, scale = 1;
  int digits = 0;
  for (; is_digit(*s); s++, digits++)
    v = v * 10 + (*s - '0');
  if (*s == '.')
    for (s++; is_digit(*s); s++, digits++)
      v += (*s - '0') * (scale /= 10);
  if (*s || !digits || v > 1.0)
    return -1;
  *out = v;
  return 0;
}

/* ===================================================================== */
/* The byte source                                                       */
/* ===================================================================== */

long px_tmx__src_read(px_tmx__src *src, char *dst, size_t n) {
  size_t got;
  if (src->f) {
    got = fread(dst, 1, n, src->f);
    if (got < n && ferror(src->f)) {
      src->err = errno ? errno : EIO;
      return px_error_set(PX_EIO, PX_ERRCLASS_OS, src->err, "%s: %s", src->name,
                          strerror(src->err));
    }
  } else {
    got = src->mem_len - src->mem_pos;
    if (got > n)
      got = n;
    memcpy(dst, src->mem + src->mem_pos, got);
    src->mem_pos += got;
  }
  if (got && (src->o->flags & PX_TMX_HASH)) {
    /* The file's identity for checkpoints: the hash of the chunk hashes,
     * so it can be computed while streaming. */
    uint64_t pair[2] = {src->hash, px_text_hash(dst, got)};
    src->hash = px_text_hash((const char *)pair, sizeof pair);
  }
  src->bytes += got;
  if (src->o->on_progress && (src->bytes >= src->next_progress || !got)) {
    src->o->on_progress(src->bytes, src->total, src->o->payload);
    src->next_progress = src->bytes + (1u << 20);
  }
  return (long)got;
}

/* ===================================================================== */
/* The TMX reader                                                        */
/* ===================================================================== */

enum ctx {
  C_NONE,
  C_TMX,
  C_HEADER,
  C_UDE,
  C_BODY,
  C_TU,
  C_TUV,
  C_SEG,
  C_HI,
  C_CODE, /* inside bpt/ept/ph/it/ut (and their sub): serialized */
  C_NOTE,
  C_PROP,
  C_SKIP,  /* inside a bad unit: ignored */
  C_BADTOP /* an unexpected element in <body>: a bad "unit" */
};

/* One inline code of the segment being read, in order. */
typedef struct code_item {
  char kind;       /* 'o' opens, 'c' closes, 's' standalone */
  long key;        /* bpt/ept i, or -(hi number) */
  size_t off, len; /* its record in rd.recs */
} code_item;

typedef struct rd {
  XML_Parser xp;
  const px_tmx_read_opts *o;
  const char *name;
  px_tmx_unit_fn fn;
  void *payload;
  px_tmx_read_stats *st;
  px_tmx__src *src;
  int rc; /* first fatal error */
  int depth;
  unsigned char stack[PX_TMX_MAX_DEPTH + 2];
  uint64_t last_event; /* byte index of the last handler call */
  int seen_header, seen_body, header_sent;
  int own; /* the file is parallax's own export (o-tmf="parallax-lmdb") */
  /* header: its attributes, props and notes, kept in their own builder */
  px_tmx__ub hdr;
  size_t h_attr[10];
  int64_t h_created, h_changed;
  /* the unit being read */
  px_tmx__ub ub;
  int tu_open, tu_bad, tu_bad_code;
  char tu_bad_msg[sizeof(((px_error *)0)->message)];
  unsigned long tu_line, tu_col;
  uint64_t index;
  px_tmx__var_off *var;
  int var_seg; /* 0 no seg yet, 1 in seg, 2 after seg */
  /* text of the seg / note / prop being read */
  px_buf text;
  px_buf prop_type;
  px_buf recs; /* serialized code records of the seg */
  code_item *codes;
  size_t ncodes, cap_codes;
  px_buf cap;    /* the code element being serialized */
  int cap_depth; /* elements open inside the captured code */
  char cap_kind;
  long cap_key;
  long hi_count;
  long hi_stack[PX_TMX_MAX_DEPTH + 2];
  int hi_depth;
  px_buf out;  /* the final text with markers */
  px_buf outc; /* the final codes */
} rd;

static const char *const header_attrs[10] = {
    "creationtool", "creationtoolversion", "segtype",
    "o-tmf",        "adminlang",           "srclang",
    "datatype",     "o-encoding",          "creationid",
    "changeid"};

static void pos_of(rd *r, unsigned long *line, unsigned long *col) {
  *line = (unsigned long)XML_GetCurrentLineNumber(r->xp);
  *col = (unsigned long)XML_GetCurrentColumnNumber(r->xp) + 1;
}

static void stop(rd *r) { XML_StopParser(r->xp, XML_FALSE); }

/* A fatal error at the current position. */
PX_PRINTF(3, 4)
static void fatal(rd *r, int code, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  unsigned long line, col;
  if (r->rc)
    return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  pos_of(r, &line, &col);
  r->rc = px_error_set(code, PX_ERRCLASS_TMX, 0, "%s:%lu:%lu: %s", r->name,
                       line, col, msg);
  stop(r);
}

/* A bad unit at the current position: fatal unless skipping bad units. */
PX_PRINTF(3, 4)
static void bad(rd *r, int code, const char *fmt, ...) {
  char msg[400];
  va_list ap;
  unsigned long line, col;
  if (r->rc || r->tu_bad)
    return;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  pos_of(r, &line, &col);
  if (!(r->o->flags & PX_TMX_SKIP_BAD)) {
    r->rc = px_error_set(code, PX_ERRCLASS_TMX, 0, "%s:%lu:%lu: %s", r->name,
                         line, col, msg);
    stop(r);
    return;
  }
  r->tu_bad = 1;
  r->tu_bad_code = code;
  snprintf(r->tu_bad_msg, sizeof r->tu_bad_msg, "%s:%lu:%lu: %s", r->name, line,
           col, msg);
}

/* A library failure (ENOMEM...) already recorded as the last error. */
static void failed(rd *r, int rc) {
  if (!r->rc)
    r->rc = rc;
  stop(r);
}

static const char *attr(const XML_Char **atts, const char *name) {
  for (size_t i = 0; atts[i]; i += 2)
    if (strcmp(atts[i], name) == 0)
      return atts[i + 1];
  return NULL;
}

static int is_ws(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
      return 0;
  return 1;
}

static int is_code_elem(const char *n) {
  return !strcmp(n, "bpt") || !strcmp(n, "ept") || !strcmp(n, "ph") ||
         !strcmp(n, "it") || !strcmp(n, "ut");
}

static void touch(rd *r) {
  r->last_event = (uint64_t)XML_GetCurrentByteIndex(r->xp);
}

/* ---- serializing inline codes ------------------------------------------ */

static int cap_start(rd *r, const char *name, const XML_Char **atts) {
  int rc = px_buf_putc(&r->cap, '<');
  if (rc == 0)
    rc = px_buf_puts(&r->cap, name);
  for (size_t i = 0; rc == 0 && atts[i]; i += 2) {
    rc = px_buf_putc(&r->cap, ' ');
    if (rc == 0)
      rc = px_buf_puts(&r->cap, atts[i]);
    if (rc == 0)
      rc = px_buf_puts(&r->cap, "=\"");
    if (rc == 0)
      rc = px_tmx__xml_escape(&r->cap, atts[i + 1], strlen(atts[i + 1]), 1);
    if (rc == 0)
      rc = px_buf_putc(&r->cap, '"');
  }
  if (rc == 0)
    rc = px_buf_putc(&r->cap, '>');
  return rc;
}

static int add_code(rd *r, char kind, long key, const char *rec, size_t len) {
  if (PX_GROW(r->codes, r->ncodes, r->cap_codes) < 0)
    return PX_ENOMEM;
  code_item *c = &r->codes[r->ncodes];
  c->kind = kind;
  c->key = key;
  c->off = r->recs.len;
  c->len = len;
  int rc = px_buf_put(&r->recs, rec, len);
  if (rc == 0)
    rc = px_buf_putc(&r->text, '\x01'); /* where it goes in the text */
  if (rc < 0)
    return rc;
  r->ncodes++;
  return 0;
}

/* The number of a bpt/ept `i` attribute; -1 if missing or not a number. */
static long code_key(const XML_Char **atts) {
  const char *i = attr(atts, "i");
  uint32_t v;
  if (!i || parse_u32(&v, i) < 0)
    return -1;
  return (long)v;
}

/* ---- finishing a segment: markers and code records -------------------- */

static int marker(px_buf *b, const char *pre, unsigned long n,
                  const char *post) {
  return px_buf_printf(b, "%s%lu%s", pre, n, post);
}

/* Length of a literal marker-like text at s ({N}, {/N}, {N/}), else 0. */
static size_t literal_marker(const char *s, size_t n) {
  size_t i = 1, d = 0;
  if (n < 3 || s[0] != '{')
    return 0;
  if (s[i] == '/')
    i++;
  while (i < n && is_digit(s[i]))
    i++, d++;
  if (!d || i >= n)
    return 0;
  if (s[i] == '/' && s[1] != '/') {
    i++;
    if (i >= n)
      return 0;
  }
  return s[i] == '}' ? i + 1 : 0;
}

/* Number the codes in order of first appearance and write the markers into
 * the text; a literal "{1}" in a segment with codes becomes a code of its
 * own (record "{1}") so that it cannot be taken for a marker. */
static int finish_seg(rd *r) {
  const char *t = r->text.ptr ? r->text.ptr : "";
  size_t n = r->text.len;
  px_tmx__var_off *v = r->var;
  int rc = 0;
  if (r->ncodes == 0) {
    rc = px_tmx__ub_str(&r->ub, &v->text, t, n);
    v->text_len = n;
    return rc;
  }
  struct open {
    long key;
    unsigned long num;
  } opens[64];
  size_t nopen = 0, next = 0;
  unsigned long num = 0;
  px_buf_clear(&r->out);
  px_buf_clear(&r->outc);
  for (size_t i = 0; i < n && rc == 0;) {
    size_t lm;
    if (t[i] == '\x01') {
      code_item *c = &r->codes[next++];
      unsigned long k = 0;
      if (c->kind == 'c') {
        for (size_t j = nopen; j-- > 0;)
          if (opens[j].key == c->key) {
            k = opens[j].num;
            opens[j] = opens[--nopen];
            break;
          }
      }
      if (c->kind == 'o') {
        k = ++num;
        if (nopen < sizeof opens / sizeof opens[0])
          opens[nopen++] = (struct open){c->key, k};
        rc = marker(&r->out, "{", k, "}");
      } else if (c->kind == 'c' && k) {
        rc = marker(&r->out, "{/", k, "}");
      } else {
        rc = marker(&r->out, "{", ++num, "/}");
      }
      if (rc == 0 && r->outc.len)
        rc = px_buf_putc(&r->outc, '\n');
      if (rc == 0)
        rc = px_buf_put(&r->outc, r->recs.ptr + c->off, c->len);
      i++;
    } else if ((lm = literal_marker(t + i, n - i)) > 0) {
      rc = marker(&r->out, "{", ++num, "/}");
      if (rc == 0 && r->outc.len)
        rc = px_buf_putc(&r->outc, '\n');
      if (rc == 0)
        rc = px_buf_put(&r->outc, t + i, lm);
      i += lm;
    } else {
      size_t j = i + 1;
      while (j < n && t[j] != '\x01' && t[j] != '{')
        j++;
      rc = px_buf_put(&r->out, t + i, j - i);
      i = j;
    }
  }
  if (rc == PX_ETOOBIG) {
    bad(r, PX_ETOOBIG, "segment longer than %u bytes with its markers",
        (unsigned)PX_TM_MAX_TEXT);
    return 0;
  }
  if (num > 999) { /* markers have 1 to 3 digits (tm/SCHEMA.md) */
    bad(r, PX_ETOOBIG, "more than 999 inline codes in one segment");
    return 0;
  }
  if (rc == 0)
    rc = px_tmx__ub_str(&r->ub, &v->text, r->out.ptr, r->out.len);
  v->text_len = r->out.len;
  if (rc == 0)
    rc = px_tmx__ub_str(&r->ub, &v->codes, r->outc.ptr, r->outc.len);
  v->codes_len = r->outc.len;
  return rc;
}

/* ---- units ---------------------------------------------------------- */

static int set_str(rd *r, size_t *off, const char *val) {
  size_t n = strlen(val);
  if (n > PX_TM_MAX_FIELD) {
    bad(r, PX_ETOOBIG, "attribute value longer than %u bytes",
        (unsigned)PX_TM_MAX_FIELD);
    return 0;
  }
  int rc = px_tmx__ub_str(&r->ub, off, val, n);
  return rc;
}

static int attr_prop(rd *r, const char *name, const char *val) {
  char type[128];
  int n = snprintf(type, sizeof type, "%s%s", PX_TMX__ATTR_PREFIX, name);
  size_t vl = strlen(val);
  if (n < 0 || (size_t)n >= sizeof type || vl > PX_TM_MAX_FIELD) {
    bad(r, PX_ETOOBIG, "attribute %.40s too long", name);
    return 0;
  }
  return px_tmx__ub_prop(&r->ub, type, (size_t)n, val, vl);
}

static int date_attr(rd *r, int64_t *out, const char *name, const char *v) {
  if (px_tmx_date_parse(out, v, strlen(v)) < 0) {
    bad(r, PX_EPARSE, "%s: %s", name, px_error_last()->message);
    return -1;
  }
  return 0;
}

static int begin_tu(rd *r, const XML_Char **atts) {
  px_tmx__ub *ub = &r->ub;
  int rc = 0;
  px_tmx__ub_reset(ub);
  r->tu_open = 1;
  r->tu_bad = 0;
  r->var = NULL;
  pos_of(r, &r->tu_line, &r->tu_col);
  /* header props and notes apply to every unit of the file; its srclang,
   * creationtool and creationdate are defaults -- except in parallax's own
   * export, which writes every unit's values in full */
  for (size_t i = 0; rc == 0 && i < r->hdr.nprops; i++) {
    const char *ty = r->hdr.arena.ptr + r->hdr.props[i].type;
    const char *va = r->hdr.arena.ptr + r->hdr.props[i].value;
    rc = px_tmx__ub_prop(ub, ty, strlen(ty), va, strlen(va));
  }
  for (size_t i = 0; rc == 0 && i < r->hdr.nnotes; i++) {
    const char *no = r->hdr.arena.ptr + r->hdr.notes[i];
    rc = px_tmx__ub_note(ub, no, strlen(no));
  }
  if (rc == 0 && !r->own && r->h_attr[5] != PX_TMX__NONE &&
      strcmp(r->hdr.arena.ptr + r->h_attr[5], "*all*") != 0)
    rc = set_str(r, &ub->srclang, r->hdr.arena.ptr + r->h_attr[5]);
  if (rc == 0 && !r->own && r->h_attr[0] != PX_TMX__NONE)
    rc = set_str(r, &ub->tool, r->hdr.arena.ptr + r->h_attr[0]);
  if (rc == 0 && r->o->doc_id)
    rc = set_str(r, &ub->doc_id, r->o->doc_id);
  /* a unit without dates is no younger than the file that holds it */
  ub->created = r->own ? 0 : r->h_created;
  for (size_t i = 0; rc == 0 && atts[i] && !r->tu_bad; i += 2) {
    const char *k = atts[i], *v = atts[i + 1];
    if (!strcmp(k, "tuid"))
      rc = set_str(r, &ub->tuid, v);
    else if (!strcmp(k, "srclang")) {
      if (!strcmp(v, "*all*"))
        ub->srclang = PX_TMX__NONE;
      else if (!px_tmx__lang_ok(v, strlen(v)))
        bad(r, PX_EPARSE, "bad srclang '%.40s'", v);
      else
        rc = set_str(r, &ub->srclang, v);
    } else if (!strcmp(k, "creationdate"))
      date_attr(r, &ub->created, k, v);
    else if (!strcmp(k, "changedate"))
      date_attr(r, &ub->changed, k, v);
    else if (!strcmp(k, "lastusagedate"))
      date_attr(r, &ub->last_used, k, v);
    else if (!strcmp(k, "usagecount")) {
      if (parse_u32(&ub->usage_count, v) < 0)
        bad(r, PX_EPARSE, "usagecount '%.40s' is not a number", v);
    } else if (!strcmp(k, "creationid"))
      rc = set_str(r, &ub->creator, v);
    else if (!strcmp(k, "changeid"))
      rc = set_str(r, &ub->changer, v);
    else if (!strcmp(k, "creationtool"))
      rc = set_str(r, &ub->tool, v);
    else
      rc = attr_prop(r, k, v);
  }
  /* no changedate: unchanged since its creation */
  if (!ub->changed)
    ub->changed = ub->created;
  return rc;
}

static int begin_tuv(rd *r, const XML_Char **atts) {
  const char *lang = attr(atts, "xml:lang");
  int rc;
  if (!lang)
    lang = attr(atts, "lang"); /* TMX 1.1 - 1.3 */
  if (!lang) {
    bad(r, PX_EPARSE, "<tuv> without xml:lang");
    return 0;
  }
  if (!px_tmx__lang_ok(lang, strlen(lang))) {
    bad(r, PX_EPARSE, "bad language tag '%.40s'", lang);
    return 0;
  }
  if (r->ub.nvars >= PX_TM_MAX_VARIANTS) {
    bad(r, PX_ETOOBIG, "more than %d <tuv> in one <tu>", PX_TM_MAX_VARIANTS);
    return 0;
  }
  for (size_t i = 0; i < r->ub.nvars; i++)
    if (px_lang_equal(r->ub.arena.ptr + r->ub.vars[i].lang, lang)) {
      bad(r, PX_EPARSE, "two <tuv> with xml:lang '%.40s' in one <tu>", lang);
      return 0;
    }
  rc = px_tmx__ub_var(&r->ub, &r->var);
  if (rc == 0)
    rc = px_tmx__ub_str(&r->ub, &r->var->lang, lang, strlen(lang));
  px_tmx__var_off *v = r->var;
  for (size_t i = 0; rc == 0 && atts[i] && !r->tu_bad; i += 2) {
    const char *k = atts[i], *val = atts[i + 1];
    if (!strcmp(k, "xml:lang") || !strcmp(k, "lang"))
      continue;
    if (!strcmp(k, "creationdate"))
      date_attr(r, &v->created, k, val);
    else if (!strcmp(k, "changedate"))
      date_attr(r, &v->changed, k, val);
    else if (!strcmp(k, "creationid"))
      rc = set_str(r, &v->creator, val);
    else if (!strcmp(k, "lastusagedate")) {
      int64_t t; /* checked, kept as written */
      if (date_attr(r, &t, k, val) == 0)
        rc = attr_prop(r, k, val);
    } else
      rc = attr_prop(r, k, val);
  }
  r->var_seg = 0;
  return rc;
}

static void end_tu(rd *r) {
  px_tmx_pos pos;
  int rc;
  r->tu_open = 0;
  pos.file = r->name;
  pos.line = r->tu_line;
  pos.col = r->tu_col;
  pos.byte = (uint64_t)XML_GetCurrentByteIndex(r->xp);
  pos.index = r->index++;
  if (!r->tu_bad && r->ub.nvars == 0) {
    char msg[300];
    snprintf(msg, sizeof msg, "%s:%lu:%lu: <tu> without <tuv>", r->name,
             r->tu_line, r->tu_col);
    if (!(r->o->flags & PX_TMX_SKIP_BAD)) {
      r->rc = px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0, "%s", msg);
      stop(r);
      return;
    }
    r->tu_bad = 1;
    r->tu_bad_code = PX_EPARSE;
    snprintf(r->tu_bad_msg, sizeof r->tu_bad_msg, "%s", msg);
  }
  if (r->tu_bad) {
    r->st->skipped++;
    if (r->o->on_bad)
      r->o->on_bad(r->tu_bad_code, r->tu_bad_msg, r->o->payload);
    return;
  }
  rc = px_tmx__ub_finish(&r->ub);
  if (rc < 0) {
    failed(r, rc);
    return;
  }
  r->st->units++;
  if (r->fn) {
    rc = r->fn(&r->ub.unit, &pos, r->payload);
    if (rc < 0)
      failed(r, rc);
  }
}

static void send_header(rd *r) {
  if (r->header_sent)
    return;
  r->header_sent = 1;
  if (!r->o->on_header)
    return;
  px_tmx__ub *h = &r->hdr;
  int rc = px_tmx__ub_finish(h);
  if (rc < 0) {
    failed(r, rc);
    return;
  }
  px_tmx_header hd;
  const char **a[10] = {&hd.creationtool, &hd.creationtoolversion,
                        &hd.segtype,      &hd.o_tmf,
                        &hd.adminlang,    &hd.srclang,
                        &hd.datatype,     &hd.o_encoding,
                        &hd.creationid,   &hd.changeid};
  for (int i = 0; i < 10; i++)
    *a[i] = ub_ptr(h, r->h_attr[i]);
  hd.created = r->h_created;
  hd.changed = r->h_changed;
  hd.props = h->unit.props;
  hd.nprops = h->unit.nprops;
  hd.notes = h->unit.notes;
  hd.nnotes = h->unit.nnotes;
  rc = r->o->on_header(&hd, r->o->payload);
  if (rc < 0)
    failed(r, rc);
}

static void begin_header(rd *r, const XML_Char **atts) {
  for (size_t i = 0; atts[i]; i += 2) {
    const char *k = atts[i], *v = atts[i + 1];
    int rc = 0;
    if (strlen(v) > PX_TM_MAX_FIELD) {
      fatal(r, PX_ETOOBIG, "header attribute %.40s longer than %u bytes", k,
            (unsigned)PX_TM_MAX_FIELD);
      return;
    }
    if (!strcmp(k, "creationdate") || !strcmp(k, "changedate")) {
      int64_t *t = k[1] == 'r' ? &r->h_created : &r->h_changed;
      if (px_tmx_date_parse(t, v, strlen(v)) < 0) {
        fatal(r, PX_EPARSE, "header %s: %s", k, px_error_last()->message);
        return;
      }
      continue;
    }
    for (int j = 0; j < 10; j++)
      if (!strcmp(k, header_attrs[j]))
        rc = px_tmx__ub_str(&r->hdr, &r->h_attr[j], v, strlen(v));
    if (rc < 0) {
      failed(r, rc);
      return;
    }
  }
  r->own = r->h_attr[3] != PX_TMX__NONE &&
           !strcmp(r->hdr.arena.ptr + r->h_attr[3], "parallax-lmdb");
  if (r->h_attr[5] != PX_TMX__NONE) {
    const char *sl = r->hdr.arena.ptr + r->h_attr[5];
    if (strcmp(sl, "*all*") != 0 && !px_tmx__lang_ok(sl, strlen(sl)))
      fatal(r, PX_EPARSE, "header srclang '%.40s' is not a language tag", sl);
  }
}

/* ---- Expat handlers ---------------------------------------------------- */

static void XMLCALL on_start(void *ud, const XML_Char *name,
                             const XML_Char **atts) {
  rd *r = ud;
  int parent = r->depth ? r->stack[r->depth] : C_NONE;
  int ctx = C_SKIP, rc = 0;
  touch(r);
  if (r->rc)
    return;
  if (r->depth >= PX_TMX_MAX_DEPTH) {
    fatal(r, PX_ETOOBIG, "elements nested deeper than %d", PX_TMX_MAX_DEPTH);
    return;
  }
  switch (parent) {
  case C_NONE:
    if (strcmp(name, "tmx") != 0) {
      fatal(r, PX_EPARSE, "the root element is <%.40s>, not <tmx>", name);
      return;
    }
    ctx = C_TMX;
    break;
  case C_TMX:
    if (!strcmp(name, "header") && !r->seen_header && !r->seen_body) {
      r->seen_header = 1;
      begin_header(r, atts);
      ctx = C_HEADER;
    } else if (!strcmp(name, "body") && !r->seen_body) {
      if (!r->seen_header) {
        fatal(r, PX_EPARSE, "<body> without a <header> before it");
        return;
      }
      r->seen_body = 1;
      send_header(r);
      ctx = C_BODY;
    } else {
      fatal(r, PX_EPARSE, "unexpected <%.40s> in <tmx>", name);
      return;
    }
    break;
  case C_HEADER:
    if (!strcmp(name, "note"))
      ctx = C_NOTE;
    else if (!strcmp(name, "prop"))
      ctx = C_PROP;
    else if (!strcmp(name, "ude"))
      ctx = C_UDE;
    else {
      fatal(r, PX_EPARSE, "unexpected <%.40s> in <header>", name);
      return;
    }
    break;
  case C_UDE: ctx = C_UDE; break;
  case C_BODY:
    if (!strcmp(name, "tu")) {
      rc = begin_tu(r, atts);
      ctx = C_TU;
    } else {
      r->tu_bad = 0;
      r->tu_open = 1;
      pos_of(r, &r->tu_line, &r->tu_col);
      bad(r, PX_EPARSE, "unexpected <%.40s> in <body>", name);
      ctx = C_BADTOP;
    }
    break;
  case C_TU:
    if (!strcmp(name, "tuv")) {
      rc = begin_tuv(r, atts);
      ctx = C_TUV;
    } else if (!strcmp(name, "note") || !strcmp(name, "prop")) {
      if (r->ub.nvars)
        bad(r, PX_EPARSE, "<%s> after a <tuv>", name);
      ctx = name[0] == 'n' ? C_NOTE : C_PROP;
    } else
      bad(r, PX_EPARSE, "unexpected <%.40s> in <tu>", name);
    break;
  case C_TUV:
    if (!strcmp(name, "seg")) {
      if (r->var_seg)
        bad(r, PX_EPARSE, "a second <seg> in one <tuv>");
      r->var_seg = 1;
      px_buf_clear(&r->text);
      px_buf_clear(&r->recs);
      r->ncodes = 0;
      r->hi_count = 0;
      r->hi_depth = 0;
      ctx = C_SEG;
    } else if (!strcmp(name, "note") || !strcmp(name, "prop")) {
      if (r->var_seg)
        bad(r, PX_EPARSE, "<%s> after the <seg>", name);
      ctx = name[0] == 'n' ? C_NOTE : C_PROP;
    } else
      bad(r, PX_EPARSE, "unexpected <%.40s> in <tuv>", name);
    break;
  case C_SEG:
  case C_HI:
    if (!strcmp(name, "hi")) {
      px_buf_clear(&r->cap);
      rc = cap_start(r, name, atts);
      if (rc == 0)
        rc = add_code(r, 'o', -(++r->hi_count), r->cap.ptr, r->cap.len);
      r->hi_stack[r->hi_depth++] = -r->hi_count;
      ctx = C_HI;
    } else if (is_code_elem(name)) {
      px_buf_clear(&r->cap);
      rc = cap_start(r, name, atts);
      r->cap_depth = 1;
      r->cap_kind = !strcmp(name, "bpt")   ? 'o'
                    : !strcmp(name, "ept") ? 'c'
                                           : 's';
      r->cap_key = r->cap_kind == 's' ? 0 : code_key(atts);
      if (r->cap_key < 0)
        r->cap_kind = 's';
      ctx = C_CODE;
    } else
      bad(r, PX_EPARSE, "unexpected <%.40s> in <%s>", name,
          parent == C_SEG ? "seg" : "hi");
    break;
  case C_CODE:
    if (!strcmp(name, "sub") || !strcmp(name, "hi") || is_code_elem(name)) {
      rc = cap_start(r, name, atts);
      r->cap_depth++;
      ctx = C_CODE;
    } else
      bad(r, PX_EPARSE, "unexpected <%.40s> in an inline code", name);
    break;
  case C_NOTE:
  case C_PROP:
    if (r->tu_open)
      bad(r, PX_EPARSE, "unexpected <%.40s> in <%s>", name,
          parent == C_NOTE ? "note" : "prop");
    else {
      fatal(r, PX_EPARSE, "unexpected <%.40s> in <%s>", name,
            parent == C_NOTE ? "note" : "prop");
      return;
    }
    break;
  default: ctx = parent == C_BADTOP ? C_SKIP : parent; break;
  }
  if (rc == PX_ETOOBIG)
    bad(r, PX_ETOOBIG, "an inline code or attribute too long");
  else if (rc < 0) {
    failed(r, rc);
    return;
  }
  if (r->rc)
    return;
  if (ctx == C_NOTE || ctx == C_PROP) {
    px_buf_clear(&r->text);
    if (ctx == C_PROP) {
      const char *ty = attr(atts, "type");
      px_buf_clear(&r->prop_type);
      if (!ty) {
        if (r->tu_open)
          bad(r, PX_EPARSE, "<prop> without a type");
        else {
          fatal(r, PX_EPARSE, "<prop> without a type");
          return;
        }
      } else if (px_buf_puts(&r->prop_type, ty) < 0) {
        if (r->tu_open)
          bad(r, PX_ETOOBIG, "prop type too long");
        else {
          fatal(r, PX_ETOOBIG, "prop type too long");
          return;
        }
      }
    }
  }
  if (r->tu_bad && ctx != C_TU && ctx != C_BADTOP)
    ctx = C_SKIP;
  r->stack[++r->depth] = (unsigned char)ctx;
}

static void prop_end(rd *r, int owner) {
  const char *ty = r->prop_type.ptr ? r->prop_type.ptr : "";
  const char *v = r->text.ptr ? r->text.ptr : "";
  size_t vl = r->text.len;
  int rc = 0;
  if (owner == C_HEADER) {
    rc = px_tmx__ub_prop(&r->hdr, ty, r->prop_type.len, v, vl);
    if (rc < 0)
      fatal(r, rc, "header props: %s", px_error_last()->message);
    return;
  }
  if (owner == C_TU && !strcmp(ty, PX_TMX__PROP_DOC)) {
    rc = px_tmx__ub_str(&r->ub, &r->ub.doc_id, v, vl);
  } else if (owner == C_TU && !strcmp(ty, PX_TMX__PROP_DOCPOS)) {
    if (parse_u32(&r->ub.doc_pos, v) < 0)
      bad(r, PX_EPARSE, "%s '%.40s' is not a number", ty, v);
  } else if (owner == C_TU && !strcmp(ty, PX_TMX__PROP_CONF)) {
    if (parse_conf(&r->ub.confidence, v) < 0)
      bad(r, PX_EPARSE, "%s '%.40s' is not a number from 0 to 1", ty, v);
  } else if (owner == C_TUV && (!strcmp(ty, PX_TMX__PROP_PREV) ||
                                !strcmp(ty, PX_TMX__PROP_NEXT))) {
    uint64_t *h = ty[5] == 'p' ? &r->var->prev_hash : &r->var->next_hash;
    if (parse_hex64(h, v) < 0)
      bad(r, PX_EPARSE, "%s '%.40s' is not 16 hex digits", ty, v);
  } else {
    size_t have = owner == C_TU ? r->ub.uprops : r->var->nprops;
    if (have >= PX_TM_MAX_PROPS)
      bad(r, PX_ETOOBIG, "more than %d props", PX_TM_MAX_PROPS);
    else
      rc = px_tmx__ub_prop(&r->ub, ty, r->prop_type.len, v, vl);
  }
  if (rc < 0)
    failed(r, rc);
}

static void note_end(rd *r, int owner) {
  const char *v = r->text.ptr ? r->text.ptr : "";
  int rc;
  if (owner == C_HEADER) {
    rc = px_tmx__ub_note(&r->hdr, v, r->text.len);
    if (rc < 0)
      failed(r, rc);
    return;
  }
  size_t have = owner == C_TU ? r->ub.unotes : r->var->nnotes;
  if (have >= PX_TM_MAX_PROPS) {
    bad(r, PX_ETOOBIG, "more than %d notes", PX_TM_MAX_PROPS);
    return;
  }
  rc = px_tmx__ub_note(&r->ub, v, r->text.len);
  if (rc < 0)
    failed(r, rc);
}

static void XMLCALL on_end(void *ud, const XML_Char *name) {
  rd *r = ud;
  int ctx = r->stack[r->depth];
  int owner = r->depth > 1 ? r->stack[r->depth - 1] : C_NONE;
  int rc = 0;
  touch(r);
  if (r->rc)
    return;
  r->depth--;
  switch (ctx) {
  case C_TU:
  case C_BADTOP: end_tu(r); break;
  case C_HEADER: break;
  case C_TUV:
    if (!r->tu_bad && r->var_seg == 0)
      bad(r, PX_EPARSE, "<tuv> without <seg>");
    else if (!r->tu_bad && r->var->text_len == 0)
      bad(r, PX_EPARSE, "empty <seg>");
    r->var = NULL;
    break;
  case C_SEG:
    r->var_seg = 2;
    if (!r->tu_bad) {
      if (is_ws(r->text.ptr ? r->text.ptr : "", r->text.len) &&
          r->ncodes == 0) {
        bad(r, PX_EPARSE, "empty <seg>");
        break;
      }
      rc = finish_seg(r);
    }
    break;
  case C_HI:
    if (!r->tu_bad && r->hi_depth > 0)
      rc = add_code(r, 'c', r->hi_stack[--r->hi_depth], "</hi>", 5);
    break;
  case C_CODE:
    if (r->tu_bad)
      break;
    rc = px_buf_puts(&r->cap, "</");
    if (rc == 0)
      rc = px_buf_puts(&r->cap, name);
    if (rc == 0)
      rc = px_buf_putc(&r->cap, '>');
    if (rc == 0 && --r->cap_depth == 0)
      rc = add_code(r, r->cap_kind, r->cap_key, r->cap.ptr, r->cap.len);
    break;
  case C_NOTE:
    if (!r->tu_bad || owner == C_HEADER)
      note_end(r, owner);
    break;
  case C_PROP:
    if (!r->tu_bad || owner == C_HEADER)
      prop_end(r, owner);
    break;
  default: break;
  }
  if (rc == PX_ETOOBIG)
    bad(r, PX_ETOOBIG, "segment or inline code longer than %u bytes",
        (unsigned)PX_TM_MAX_TEXT);
  else if (rc < 0)
    failed(r, rc);
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int len) {
  rd *r = ud;
  int ctx = r->stack[r->depth];
  size_t n = (size_t)len;
  int rc = 0;
  touch(r);
  if (r->rc)
    return;
  switch (ctx) {
  case C_SEG:
  case C_HI:
    rc = px_buf_put(&r->text, s, n);
    if (rc == PX_ETOOBIG) {
      bad(r, PX_ETOOBIG, "segment longer than %u bytes",
          (unsigned)PX_TM_MAX_TEXT);
      return;
    }
    break;
  case C_CODE:
    rc = px_tmx__xml_escape(&r->cap, s, n, 2);
    if (rc == PX_ETOOBIG) {
      bad(r, PX_ETOOBIG, "inline code longer than %u bytes",
          (unsigned)PX_TM_MAX_TEXT);
      return;
    }
    break;
  case C_NOTE:
  case C_PROP:
    rc = px_buf_put(&r->text, s, n);
    if (rc == 0 && r->text.len > PX_TM_MAX_FIELD)
      rc = PX_ETOOBIG;
    if (rc == PX_ETOOBIG) {
      if (r->tu_open)
        bad(r, PX_ETOOBIG, "%s longer than %u bytes",
            ctx == C_NOTE ? "note" : "prop", (unsigned)PX_TM_MAX_FIELD);
      else
        fatal(r, PX_ETOOBIG, "%s longer than %u bytes",
              ctx == C_NOTE ? "note" : "prop", (unsigned)PX_TM_MAX_FIELD);
      return;
    }
    break;
  case C_TU:
  case C_TUV:
    if (!is_ws(s, n))
      bad(r, PX_EPARSE, "text outside <seg>: '%.*s'", len > 30 ? 30 : len, s);
    break;
  case C_TMX:
  case C_HEADER:
  case C_BODY:
    if (!is_ws(s, n))
      fatal(r, PX_EPARSE, "unexpected text '%.*s'", len > 30 ? 30 : len, s);
    break;
  default: break;
  }
  if (rc < 0)
    failed(r, rc);
}

static void XMLCALL on_entity_decl(void *ud, const XML_Char *name, int is_pe,
                                   const XML_Char *value, int vlen,
                                   const XML_Char *base,
                                   const XML_Char *system_id,
                                   const XML_Char *public_id,
                                   const XML_Char *notation) {
  rd *r = ud;
  (void)is_pe, (void)value, (void)vlen, (void)base, (void)system_id;
  (void)public_id, (void)notation;
  fatal(r, PX_EPARSE,
        "entity declaration <!ENTITY %.40s> refused: TMX files may not "
        "declare entities (entity expansion attacks)",
        name);
}

static void XMLCALL on_skipped_entity(void *ud, const XML_Char *name,
                                      int is_pe) {
  rd *r = ud;
  (void)is_pe;
  fatal(r, PX_EPARSE, "undefined entity &%.40s;", name);
}

/* Refuse every external entity: nothing is fetched from outside the file. */
static int XMLCALL on_external(XML_Parser p, const XML_Char *context,
                               const XML_Char *base, const XML_Char *system_id,
                               const XML_Char *public_id) {
  (void)p, (void)context, (void)base, (void)system_id, (void)public_id;
  return XML_STATUS_ERROR;
}

static int xml_error(rd *r) {
  enum XML_Error e = XML_GetErrorCode(r->xp);
  unsigned long line = (unsigned long)XML_GetCurrentLineNumber(r->xp);
  unsigned long col = (unsigned long)XML_GetCurrentColumnNumber(r->xp) + 1;
  if (e == XML_ERROR_NO_ELEMENTS && r->src->bytes == 0)
    return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, e,
                        "%s:1:1: empty file, not TMX", r->name);
  if (e == XML_ERROR_NO_ELEMENTS || e == XML_ERROR_UNCLOSED_TOKEN ||
      e == XML_ERROR_UNCLOSED_CDATA_SECTION)
    return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, e,
                        "%s:%lu:%lu: %s (truncated file?)", r->name, line, col,
                        XML_ErrorString(e));
  return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, e, "%s:%lu:%lu: %s", r->name,
                      line, col, XML_ErrorString(e));
}

static int read_tmx(px_tmx__src *src, px_tmx_read_stats *st,
                    const px_tmx_read_opts *o, const char *name,
                    px_tmx_unit_fn fn, void *payload) {
  rd r;
  int rc = 0;
  memset(&r, 0, sizeof r);
  r.o = o;
  r.name = name;
  r.fn = fn;
  r.payload = payload;
  r.st = st;
  r.src = src;
  px_tmx__ub_init(&r.ub);
  px_tmx__ub_init(&r.hdr);
  for (int i = 0; i < 10; i++)
    r.h_attr[i] = PX_TMX__NONE;
  px_buf_init(&r.text, PX_TM_MAX_TEXT);
  px_buf_init(&r.prop_type, 1024);
  px_buf_init(&r.recs, PX_TM_MAX_TEXT);
  px_buf_init(&r.cap, PX_TM_MAX_TEXT);
  px_buf_init(&r.out, PX_TM_MAX_TEXT);
  px_buf_init(&r.outc, PX_TM_MAX_TEXT);
  r.xp = XML_ParserCreate(NULL);
  if (!r.xp) {
    rc = px_error_nomem();
    goto done;
  }
  XML_SetUserData(r.xp, &r);
  XML_SetElementHandler(r.xp, on_start, on_end);
  XML_SetCharacterDataHandler(r.xp, on_text);
  XML_SetEntityDeclHandler(r.xp, on_entity_decl);
  XML_SetSkippedEntityHandler(r.xp, on_skipped_entity);
  XML_SetExternalEntityRefHandler(r.xp, on_external);
  XML_SetParamEntityParsing(r.xp, XML_PARAM_ENTITY_PARSING_NEVER);
  for (;;) {
    char *buf = XML_GetBuffer(r.xp, PX_TMX__CHUNK);
    if (!buf) {
      rc = px_error_nomem();
      goto done;
    }
    long n = px_tmx__src_read(src, buf, PX_TMX__CHUNK);
    if (n < 0) {
      rc = (int)n;
      goto done;
    }
    if (XML_ParseBuffer(r.xp, (int)n, n == 0) != XML_STATUS_OK) {
      rc = r.rc ? r.rc : xml_error(&r);
      goto done;
    }
    if (r.rc) {
      rc = r.rc;
      goto done;
    }
    if (n > 0 && src->bytes - r.last_event > PX_TMX_MAX_TOKEN) {
      unsigned long line, col;
      pos_of(&r, &line, &col);
      rc = px_error_set(PX_ETOOBIG, PX_ERRCLASS_TMX, 0,
                        "%s:%lu:%lu: one XML token (tag, comment) longer than "
                        "%u bytes",
                        name, line, col, (unsigned)PX_TMX_MAX_TOKEN);
      goto done;
    }
    if (n == 0)
      break;
  }
  if (!r.seen_body)
    rc = px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0,
                      "%s:%lu:%lu: <tmx> without <body>", name,
                      (unsigned long)XML_GetCurrentLineNumber(r.xp),
                      (unsigned long)XML_GetCurrentColumnNumber(r.xp) + 1);
done:
  if (r.xp)
    XML_ParserFree(r.xp);
  px_tmx__ub_dispose(&r.ub);
  px_tmx__ub_dispose(&r.hdr);
  px_buf_dispose(&r.text);
  px_buf_dispose(&r.prop_type);
  px_buf_dispose(&r.recs);
  px_buf_dispose(&r.cap);
  px_buf_dispose(&r.out);
  px_buf_dispose(&r.outc);
  px_free(r.codes);
  return rc;
}

/* ===================================================================== */
/* Entry points                                                          */
/* ===================================================================== */

int px_tmx_format_from_name(const char *name) {
  if (!name)
    return -1;
  if (!strcmp(name, "tmx"))
    return PX_TMX_FORMAT_TMX;
  if (!strcmp(name, "tsv"))
    return PX_TMX_FORMAT_TSV;
  if (!strcmp(name, "jsonl"))
    return PX_TMX_FORMAT_JSONL;
  return -1;
}

static int ends_with(const char *s, const char *suffix) {
  size_t n = strlen(s), m = strlen(suffix);
  if (n < m)
    return 0;
  for (size_t i = 0; i < m; i++) {
    char c = s[n - m + i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c - 'A' + 'a');
    if (c != suffix[i])
      return 0;
  }
  return 1;
}

static px_tmx_format guess_format(const char *name, const char *head,
                                  size_t n) {
  if (ends_with(name, ".tmx"))
    return PX_TMX_FORMAT_TMX;
  if (ends_with(name, ".tsv") || ends_with(name, ".txt"))
    return PX_TMX_FORMAT_TSV;
  if (ends_with(name, ".jsonl") || ends_with(name, ".json"))
    return PX_TMX_FORMAT_JSONL;
  size_t i = 0;
  if (n >= 3 && (unsigned char)head[0] == 0xEF &&
      (unsigned char)head[1] == 0xBB && (unsigned char)head[2] == 0xBF)
    i = 3;
  while (i < n && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' ||
                   head[i] == '\t'))
    i++;
  if (i < n && head[i] == '{')
    return PX_TMX_FORMAT_JSONL;
  if (i < n && head[i] != '<' && (unsigned char)head[i] != 0xFE &&
      (unsigned char)head[i] != 0xFF)
    return PX_TMX_FORMAT_TSV;
  return PX_TMX_FORMAT_TMX;
}

static int read_any(px_tmx__src *src, px_tmx_read_stats *stats,
                    const px_tmx_read_opts *o, px_tmx_unit_fn fn, void *payload,
                    const char *head, size_t nhead) {
  px_tmx_read_stats st = {0, 0, 0, 0};
  px_tmx_format fmt = o->format;
  int rc;
  if (fmt == PX_TMX_FORMAT_AUTO)
    fmt = guess_format(src->name, head, nhead);
  switch (fmt) {
  case PX_TMX_FORMAT_TMX:
    rc = read_tmx(src, &st, o, src->name, fn, payload);
    break;
  case PX_TMX_FORMAT_TSV:
    rc = px_tmx__read_tsv(src, &st, o, src->name, fn, payload);
    break;
  case PX_TMX_FORMAT_JSONL:
    rc = px_tmx__read_jsonl(src, &st, o, src->name, fn, payload);
    break;
  default:
    rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0, "unknown format %d",
                      (int)fmt);
  }
  st.bytes = src->bytes;
  st.hash = src->hash;
  if (stats)
    *stats = st;
  return rc;
}

int px_tmx_read_mem(px_tmx_read_stats *stats, const char *data, size_t len,
                    const char *name, const px_tmx_read_opts *opts,
                    px_tmx_unit_fn fn, void *payload) {
  static const px_tmx_read_opts defaults = PX_TMX_READ_OPTS_INIT;
  const px_tmx_read_opts *o = opts ? opts : &defaults;
  px_tmx__src src;
  PX_ASSERT_ARG(data || len == 0);
  PX_ASSERT_ARG(o->version == 1);
  memset(&src, 0, sizeof src);
  src.mem = data ? data : "";
  src.mem_len = len;
  src.total = len;
  src.o = o;
  src.name = o->name ? o->name : name ? name : "(memory)";
  int rc = read_any(&src, stats, o, fn, payload, src.mem, len < 64 ? len : 64);
  px_free(src.lbuf);
  return rc;
}

int px_tmx_read(px_tmx_read_stats *stats, const char *path,
                const px_tmx_read_opts *opts, px_tmx_unit_fn fn,
                void *payload) {
  static const px_tmx_read_opts defaults = PX_TMX_READ_OPTS_INIT;
  const px_tmx_read_opts *o = opts ? opts : &defaults;
  px_tmx__src src;
  char head[64];
  size_t nhead = 0;
  int rc;
  PX_ASSERT_ARG(path);
  PX_ASSERT_ARG(o->version == 1);
  memset(&src, 0, sizeof src);
  src.o = o;
  src.name = o->name ? o->name : path;
  if (!strcmp(path, "-")) {
    src.f = stdin;
    if (!o->name)
      src.name = "(stdin)";
  } else {
    struct stat sb;
    src.f = fopen(path, "rb");
    if (!src.f)
      return px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", path,
                          strerror(errno));
    if (fstat(fileno(src.f), &sb) == 0) {
      if (S_ISDIR(sb.st_mode)) {
        fclose(src.f);
        return px_error_set(PX_EIO, PX_ERRCLASS_OS, EISDIR, "%s: %s", path,
                            strerror(EISDIR));
      }
      if (S_ISREG(sb.st_mode))
        src.total = (uint64_t)sb.st_size;
    }
    /* Peek at the start to guess the format, then rewind. */
    if (o->format == PX_TMX_FORMAT_AUTO && src.total) {
      nhead = fread(head, 1, sizeof head, src.f);
      rewind(src.f);
    }
  }
  rc = read_any(&src, stats, o, fn, payload, head, nhead);
  if (src.f && src.f != stdin)
    fclose(src.f);
  px_free(src.lbuf);
  return rc;
}
