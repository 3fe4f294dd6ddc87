/*
 * tm_rec.c: the binary record of one translation unit, as stored in the
 * `units` database (layout in tm/SCHEMA.md, "Unit record").  Records are
 * read back from a file a user may have damaged, so the decoder checks
 * every length against the bytes that are left and against the limits of
 * parallax.h before it trusts it; a bad record is PX_ESTORE with the unit
 * id and byte offset, never a crash.  Decoding makes one allocation that
 * holds the unit, its arrays and NUL-terminated strings, so callers free a
 * unit with one px_unit_free().
 */
#include <stdalign.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "tm.h"

#define REC_MAGIC 0xB1u
#define REC_FORMAT 1u

/* Presence bits of a variant's optional fields. */
enum {
  VF_PREV = 1,
  VF_NEXT = 2,
  VF_CREATED = 4,
  VF_CHANGED = 8,
  VF_CREATOR = 16,
  VF_PROPS = 32
};

/* ---- encoding ---------------------------------------------------------- */

static int put_varint(px_buf *b, uint64_t v) {
  unsigned char tmp[10];
  size_t n = 0;
  while (v >= 0x80) {
    tmp[n++] = (unsigned char)(v | 0x80);
    v >>= 7;
  }
  tmp[n++] = (unsigned char)v;
  return px_buf_put(b, tmp, n);
}

static uint64_t zigzag(int64_t v) {
  return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}
static int64_t unzigzag(uint64_t v) {
  return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static int put_str(px_buf *b, const char *s, size_t len, size_t max,
                   const char *what) {
  if (!s)
    len = 0;
  if (len > max)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "%s is %zu bytes; the limit is %zu", what, len, max);
  int rc = put_varint(b, len);
  if (rc == 0 && len)
    rc = px_buf_put(b, s, len);
  return rc;
}

static int put_cstr(px_buf *b, const char *s, const char *what) {
  return put_str(b, s, s ? strlen(s) : 0, PX_TM_MAX_FIELD, what);
}

static int put_u64le(px_buf *b, uint64_t v) {
  unsigned char t[8];
  for (int i = 0; i < 8; i++)
    t[i] = (unsigned char)(v >> (8 * i));
  return px_buf_put(b, t, 8);
}

static int put_props(px_buf *b, const px_prop *p, size_t n,
                     const char *const *notes, size_t nnotes) {
  int rc;
  if (n > PX_TM_MAX_PROPS || nnotes > PX_TM_MAX_PROPS)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "%zu props and %zu notes; the limit is %d each", n,
                        nnotes, PX_TM_MAX_PROPS);
  if ((rc = put_varint(b, n)) < 0)
    return rc;
  for (size_t i = 0; i < n; i++) {
    if ((rc = put_cstr(b, p[i].type, "prop type")) < 0 ||
        (rc = put_cstr(b, p[i].value, "prop value")) < 0)
      return rc;
  }
  if ((rc = put_varint(b, nnotes)) < 0)
    return rc;
  for (size_t i = 0; i < nnotes; i++)
    if ((rc = put_cstr(b, notes[i], "note")) < 0)
      return rc;
  return 0;
}

int px_tm__rec_encode(px_buf *b, const px_unit *u, const char *const *docs,
                      size_t ndocs) {
  int rc;
  PX_ASSERT_ARG(b && u);
  px_buf_clear(b);
  if (u->nvariants == 0 || u->nvariants > PX_TM_MAX_VARIANTS)
    return px_error_set(u->nvariants ? PX_ETOOBIG : PX_EINVALID, PX_ERRCLASS_TM,
                        0, "a unit has %zu variants (1 to %d)", u->nvariants,
                        PX_TM_MAX_VARIANTS);
  if (ndocs > PX_TM_MAX_PROPS)
    ndocs = PX_TM_MAX_PROPS; /* keep the newest documents only */
  unsigned char head[2] = {REC_MAGIC, REC_FORMAT};
  uint64_t conf = 0;
  if (u->confidence >= 0 && u->confidence <= 1)
    conf = 1 + (uint64_t)(u->confidence * 1000000.0 + 0.5);
  if ((rc = px_buf_put(b, head, 2)) < 0 ||
      (rc = put_varint(b, zigzag(u->created))) < 0 ||
      (rc = put_varint(b, zigzag(u->changed))) < 0 ||
      (rc = put_varint(b, zigzag(u->last_used))) < 0 ||
      (rc = put_varint(b, u->usage_count)) < 0 ||
      (rc = put_varint(b, u->doc_pos)) < 0 || (rc = put_varint(b, conf)) < 0 ||
      (rc = put_cstr(b, u->tuid, "tuid")) < 0 ||
      (rc = put_cstr(b, u->srclang, "srclang")) < 0 ||
      (rc = put_cstr(b, u->creator, "creator")) < 0 ||
      (rc = put_cstr(b, u->changer, "changer")) < 0 ||
      (rc = put_cstr(b, u->tool, "tool")) < 0 ||
      (rc = put_cstr(b, u->doc_id, "document id")) < 0)
    return rc;
  size_t skip = 0;
  if (docs && ndocs) {
    /* the list is oldest first; keep its tail when it is too long */
    skip = 0;
  }
  if ((rc = put_varint(b, docs ? ndocs - skip : 0)) < 0)
    return rc;
  for (size_t i = skip; docs && i < ndocs; i++)
    if ((rc = put_cstr(b, docs[i], "document id")) < 0)
      return rc;
  if ((rc = put_props(b, u->props, u->nprops, u->notes, u->nnotes)) < 0)
    return rc;
  if ((rc = put_varint(b, u->nvariants)) < 0)
    return rc;
  for (size_t i = 0; i < u->nvariants; i++) {
    const px_variant *v = &u->variants[i];
    /* optional fields behind a presence byte: most variants have none */
    unsigned fl = (v->prev_hash ? VF_PREV : 0) | (v->next_hash ? VF_NEXT : 0) |
                  (v->created ? VF_CREATED : 0) |
                  (v->changed ? VF_CHANGED : 0) |
                  (v->creator && v->creator[0] ? VF_CREATOR : 0) |
                  (v->nprops || v->nnotes ? VF_PROPS : 0);
    if ((rc = put_cstr(b, v->lang, "language tag")) < 0 ||
        (rc = put_str(b, v->text, v->len, PX_TM_MAX_TEXT, "a segment")) < 0 ||
        (rc = put_str(b, v->codes, v->codes_len, PX_TM_MAX_TEXT,
                      "inline codes")) < 0 ||
        (rc = px_buf_putc(b, (char)fl)) < 0 ||
        ((fl & VF_PREV) && (rc = put_u64le(b, v->prev_hash)) < 0) ||
        ((fl & VF_NEXT) && (rc = put_u64le(b, v->next_hash)) < 0) ||
        ((fl & VF_CREATED) && (rc = put_varint(b, zigzag(v->created))) < 0) ||
        ((fl & VF_CHANGED) && (rc = put_varint(b, zigzag(v->changed))) < 0) ||
        ((fl & VF_CREATOR) &&
         (rc = put_cstr(b, v->creator, "variant creator")) < 0) ||
        ((fl & VF_PROPS) &&
         (rc = put_props(b, v->props, v->nprops, v->notes, v->nnotes)) < 0))
      return rc;
  }
  return 0;
}

/* ---- decoding ---------------------------------------------------------- */

typedef struct reader {
  const unsigned char *p, *start, *end;
  uint64_t id;
  int bad;
} reader;

static int rd_fail(reader *r, const char *what) {
  if (!r->bad)
    px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                 "corrupt record of unit %llu at byte %zu: %s",
                 (unsigned long long)r->id, (size_t)(r->p - r->start), what);
  r->bad = 1;
  return PX_ESTORE;
}

static uint64_t rd_varint(reader *r) {
  uint64_t v = 0;
  for (unsigned shift = 0; shift < 64; shift += 7) {
    if (r->p >= r->end) {
      rd_fail(r, "truncated number");
      return 0;
    }
    unsigned char c = *r->p++;
    v |= (uint64_t)(c & 0x7f) << shift;
    if (!(c & 0x80))
      return v;
  }
  rd_fail(r, "overlong number");
  return 0;
}

static uint64_t rd_u64le(reader *r) {
  if (r->end - r->p < 8) {
    rd_fail(r, "truncated hash");
    return 0;
  }
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v |= (uint64_t)r->p[i] << (8 * i);
  r->p += 8;
  return v;
}

/* A string's bytes (not copied); *len set.  NULL with r->bad on error. */
static const char *rd_str(reader *r, size_t *len, size_t max) {
  uint64_t n = rd_varint(r);
  if (r->bad)
    return NULL;
  if (n > max) {
    rd_fail(r, "string longer than the limit");
    return NULL;
  }
  if ((uint64_t)(r->end - r->p) < n) {
    rd_fail(r, "truncated string");
    return NULL;
  }
  const char *s = (const char *)r->p;
  r->p += n;
  *len = (size_t)n;
  return s;
}

/* Sizes gathered by the first pass. */
typedef struct rec_size {
  size_t nvariants, nprops, nnotes, ndocs, chars;
} rec_size;

/* The second pass writes into one block through this. */
typedef struct rec_fill {
  px_variant *variants;
  px_prop *props;
  const char **notes;
  const char **docs;
  char *chars;
} rec_fill;

static const char *take(reader *r, rec_size *sz, rec_fill *f, size_t max) {
  size_t n = 0;
  const char *s = rd_str(r, &n, max);
  if (!s)
    return NULL;
  if (!f) {
    sz->chars += n + 1;
    return s;
  }
  char *d = f->chars;
  memcpy(d, s, n);
  d[n] = '\0';
  f->chars += n + 1;
  return d;
}

/* take() for optional fields: an empty string reads back as NULL. */
static const char *take_opt(reader *r, rec_size *sz, rec_fill *f) {
  const unsigned char *at = r->p;
  const char *s = take(r, sz, f, PX_TM_MAX_FIELD);
  if (s && r->p == at + 1)
    return NULL; /* length 0 */
  return s;
}

static void read_props(reader *r, rec_size *sz, rec_fill *f,
                       const px_prop **props, size_t *nprops,
                       const char *const **notes, size_t *nnotes) {
  uint64_t n = rd_varint(r);
  if (r->bad || n > PX_TM_MAX_PROPS) {
    rd_fail(r, "too many props");
    return;
  }
  px_prop *p = f ? f->props : NULL;
  for (uint64_t i = 0; i < n && !r->bad; i++) {
    const char *t = take(r, sz, f, PX_TM_MAX_FIELD);
    const char *v = take(r, sz, f, PX_TM_MAX_FIELD);
    if (f && t && v) {
      p[i].type = t;
      p[i].value = v;
    }
  }
  if (f) {
    *props = n ? p : NULL;
    *nprops = (size_t)n;
    f->props += n;
  } else
    sz->nprops += (size_t)n;
  uint64_t m = rd_varint(r);
  if (r->bad || m > PX_TM_MAX_PROPS) {
    rd_fail(r, "too many notes");
    return;
  }
  const char **nt = f ? f->notes : NULL;
  for (uint64_t i = 0; i < m && !r->bad; i++) {
    const char *s = take(r, sz, f, PX_TM_MAX_FIELD);
    if (f)
      nt[i] = s;
  }
  if (f) {
    *notes = m ? (const char *const *)nt : NULL;
    *nnotes = (size_t)m;
    f->notes += m;
  } else
    sz->nnotes += (size_t)m;
}

/* One pass over the record: with f NULL it only measures (and validates),
 * with f it fills rec. */
static int walk(reader *r, rec_size *sz, rec_fill *f, px_tm__rec *rec) {
  if (r->end - r->p < 2 || r->p[0] != REC_MAGIC)
    return rd_fail(r, "not a unit record");
  if (r->p[1] != REC_FORMAT)
    return rd_fail(r, "unknown record format");
  r->p += 2;
  px_unit tmp;
  px_unit *u = rec ? &rec->u : &tmp;
  u->created = unzigzag(rd_varint(r));
  u->changed = unzigzag(rd_varint(r));
  u->last_used = unzigzag(rd_varint(r));
  uint64_t usage = rd_varint(r);
  u->usage_count = usage > UINT32_MAX ? UINT32_MAX : (uint32_t)usage;
  uint64_t pos = rd_varint(r);
  u->doc_pos = pos > UINT32_MAX ? UINT32_MAX : (uint32_t)pos;
  uint64_t conf = rd_varint(r);
  u->confidence = conf ? (double)(conf - 1) / 1000000.0 : -1.0;
  u->tuid = take_opt(r, sz, f);
  u->srclang = take_opt(r, sz, f);
  u->creator = take_opt(r, sz, f);
  u->changer = take_opt(r, sz, f);
  u->tool = take_opt(r, sz, f);
  u->doc_id = take_opt(r, sz, f);
  if (r->bad)
    return PX_ESTORE;
  uint64_t nd = rd_varint(r);
  if (r->bad || nd > PX_TM_MAX_PROPS)
    return rd_fail(r, "too many documents");
  for (uint64_t i = 0; i < nd && !r->bad; i++) {
    const char *d = take(r, sz, f, PX_TM_MAX_FIELD);
    if (f)
      f->docs[i] = d;
  }
  if (f) {
    rec->docs = nd ? f->docs : NULL;
    rec->ndocs = (size_t)nd;
    f->docs += nd;
  } else
    sz->ndocs += (size_t)nd;
  read_props(r, sz, f, &u->props, &u->nprops, &u->notes, &u->nnotes);
  uint64_t nv = rd_varint(r);
  if (r->bad)
    return PX_ESTORE;
  if (nv == 0 || nv > PX_TM_MAX_VARIANTS)
    return rd_fail(r, "bad variant count");
  px_variant *vs = f ? f->variants : NULL;
  for (uint64_t i = 0; i < nv && !r->bad; i++) {
    px_variant tv;
    px_variant *v = f ? &vs[i] : &tv;
    memset(v, 0, sizeof *v);
    v->lang = take(r, sz, f, PX_TM__LANG_MAX);
    const unsigned char *at = r->p;
    v->text = take(r, sz, f, PX_TM_MAX_TEXT);
    if (v->text) {
      uint64_t n = 0;
      reader r2 = {at, at, r->end, 0, 0};
      n = rd_varint(&r2);
      v->len = (size_t)n;
    }
    at = r->p;
    v->codes = take(r, sz, f, PX_TM_MAX_TEXT);
    if (v->codes) {
      reader r2 = {at, at, r->end, 0, 0};
      v->codes_len = (size_t)rd_varint(&r2);
      if (!v->codes_len)
        v->codes = NULL;
    }
    if (r->p >= r->end) {
      rd_fail(r, "truncated variant");
      break;
    }
    unsigned fl = *r->p++;
    if (fl & ~63u) {
      rd_fail(r, "unknown variant fields");
      break;
    }
    v->prev_hash = (fl & VF_PREV) ? rd_u64le(r) : 0;
    v->next_hash = (fl & VF_NEXT) ? rd_u64le(r) : 0;
    v->created = (fl & VF_CREATED) ? unzigzag(rd_varint(r)) : 0;
    v->changed = (fl & VF_CHANGED) ? unzigzag(rd_varint(r)) : 0;
    v->creator = (fl & VF_CREATOR) ? take_opt(r, sz, f) : NULL;
    if (fl & VF_PROPS)
      read_props(r, sz, f, &v->props, &v->nprops, &v->notes, &v->nnotes);
  }
  if (r->bad)
    return PX_ESTORE;
  if (f) {
    u->variants = vs;
    u->nvariants = (size_t)nv;
    f->variants += nv;
  } else
    sz->nvariants += (size_t)nv;
  if (r->p != r->end)
    return rd_fail(r, "trailing bytes");
  return 0;
}

int px_tm__rec_decode(px_tm__rec **out, const void *data, size_t len,
                      uint64_t id) {
  PX_ASSERT_ARG(out && (data || !len));
  rec_size sz = {0, 0, 0, 0, 0};
  reader r = {data, data, (const unsigned char *)data + len, id, 0};
  int rc = walk(&r, &sz, NULL, NULL);
  if (rc < 0)
    return rc;
  /* one block: rec | variants | props | notes | docs | chars */
  size_t off_v = sizeof(px_tm__rec);
  size_t off_p = off_v + sz.nvariants * sizeof(px_variant);
  size_t off_n = off_p + sz.nprops * sizeof(px_prop);
  size_t off_d = off_n + sz.nnotes * sizeof(char *);
  size_t off_c = off_d + sz.ndocs * sizeof(char *);
  char *block = px_malloc(off_c + sz.chars + 1);
  if (!block)
    return PX_ENOMEM;
  px_tm__rec *rec = (px_tm__rec *)(void *)block;
  memset(rec, 0, sizeof *rec);
  rec_fill f = {(px_variant *)(void *)(block + off_v),
                (px_prop *)(void *)(block + off_p),
                (const char **)(void *)(block + off_n),
                (const char **)(void *)(block + off_d), block + off_c};
  reader r2 = {data, data, (const unsigned char *)data + len, id, 0};
  rc = walk(&r2, &sz, &f, rec);
  if (rc < 0) { /* cannot happen after a clean first pass */
    px_free(block);
    return rc;
  }
  rec->u.id = id;
  *out = rec;
  return 0;
}

void px_unit_free(px_unit *u) { px_free(u); }

/* Skip a props+notes group without copying. */
static void skip_props(reader *r) {
  size_t n;
  uint64_t np = rd_varint(r);
  if (np > PX_TM_MAX_PROPS)
    rd_fail(r, "too many props");
  for (uint64_t i = 0; i < np && !r->bad; i++) {
    rd_str(r, &n, PX_TM_MAX_FIELD);
    rd_str(r, &n, PX_TM_MAX_FIELD);
  }
  uint64_t nn = r->bad ? 0 : rd_varint(r);
  if (nn > PX_TM_MAX_PROPS)
    rd_fail(r, "too many notes");
  for (uint64_t i = 0; i < nn && !r->bad; i++)
    rd_str(r, &n, PX_TM_MAX_FIELD);
}

static int tag_primary_eq(const char *a, size_t alen, const char *b) {
  size_t i = 0;
  for (; i < alen && a[i] != '-' && a[i] != '_'; i++) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z')
      x = (char)(x + 32);
    if (y >= 'A' && y <= 'Z')
      y = (char)(y + 32);
    if (x != y)
      return 0;
  }
  return b[i] == '\0' || b[i] == '-' || b[i] == '_';
}

int px_tm__rec_peek_text(const char **text, size_t *tlen, const void *data,
                         size_t dlen, const char *lang) {
  reader r = {data, data, (const unsigned char *)data + dlen, 0, 0};
  size_t n;
  if (dlen < 2 || r.p[0] != REC_MAGIC || r.p[1] != REC_FORMAT)
    return rd_fail(&r, "not a unit record");
  r.p += 2;
  for (int i = 0; i < 6; i++)
    rd_varint(&r);
  for (int i = 0; i < 6 && !r.bad; i++)
    rd_str(&r, &n, PX_TM_MAX_FIELD);
  uint64_t nd = r.bad ? 0 : rd_varint(&r);
  for (uint64_t i = 0; i < nd && !r.bad; i++)
    rd_str(&r, &n, PX_TM_MAX_FIELD);
  if (!r.bad)
    skip_props(&r);
  uint64_t nv = r.bad ? 0 : rd_varint(&r);
  const char *prim = NULL;
  size_t prim_len = 0;
  size_t langlen = strlen(lang);
  for (uint64_t i = 0; i < nv && !r.bad; i++) {
    size_t ll = 0, tl = 0;
    const char *l = rd_str(&r, &ll, PX_TM__LANG_MAX);
    const char *t = rd_str(&r, &tl, PX_TM_MAX_TEXT);
    rd_str(&r, &n, PX_TM_MAX_TEXT);
    if (r.bad)
      break;
    if (ll == langlen && strncmp(l, lang, ll) == 0) {
      *text = t;
      *tlen = tl;
      return 0;
    }
    if (!prim && tag_primary_eq(l, ll, lang)) {
      prim = t;
      prim_len = tl;
    }
    if (r.p >= r.end) {
      rd_fail(&r, "truncated variant");
      break;
    }
    unsigned fl = *r.p++;
    if (fl & VF_PREV)
      rd_u64le(&r);
    if (fl & VF_NEXT)
      rd_u64le(&r);
    if (fl & VF_CREATED)
      rd_varint(&r);
    if (fl & VF_CHANGED)
      rd_varint(&r);
    if (fl & VF_CREATOR)
      rd_str(&r, &n, PX_TM_MAX_FIELD);
    if ((fl & VF_PROPS) && !r.bad)
      skip_props(&r);
  }
  if (r.bad)
    return PX_ESTORE;
  if (prim) {
    *text = prim;
    *tlen = prim_len;
    return 0;
  }
  return PX_ENOTFOUND;
}
