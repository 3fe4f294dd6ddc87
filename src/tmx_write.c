/*
 * tmx_write.c: writing units as TMX 1.4b (and, through tsv_io.c, as TSV
 * or JSONL), and exporting a whole memory atomically.
 *
 * The TMX written is the inverse of what tmx_read.c reads: unit fields
 * become tu/tuv attributes, `x-px-attr:NAME` props of TMX attributes
 * become attributes again, provenance becomes `x-px-*` props, and inline
 * code markers are replaced by their recorded markup.  Output is
 * deterministic (fixed attribute order, no time stamps but the header's
 * creationdate, which the caller may fix), so import -> export -> import ->
 * export gives the same bytes twice.
 */
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "mem.h"
#include "tmx.h"

/* ---- escaping ------------------------------------------------------------ */

int px_tmx__xml_escape(px_buf *b, const char *s, size_t len, int mode) {
  size_t run = 0;
  int rc = 0;
  for (size_t i = 0; i < len && rc == 0; i++) {
    unsigned char c = (unsigned char)s[i];
    const char *rep = NULL;
    switch (c) {
    case '&': rep = "&amp;"; break;
    case '<': rep = "&lt;"; break;
    case '>': rep = "&gt;"; break;
    case '"': rep = mode == 1 ? "&quot;" : NULL; break;
    case '\r': rep = "&#13;"; break;
    case '\n': rep = mode != 0 ? "&#10;" : NULL; break;
    case '\t': rep = mode == 1 ? "&#9;" : NULL; break;
    default:
      if (c < 0x20)
        return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0,
                            "control character U+%04X at byte %zu cannot be "
                            "written in XML 1.0",
                            c, i);
      /* U+FFFE and U+FFFF (EF BF BE/BF) are not XML characters either */
      if (c == 0xEF && i + 2 < len && (unsigned char)s[i + 1] == 0xBF &&
          ((unsigned char)s[i + 2] & 0xFE) == 0xBE)
        return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0,
                            "non-character U+FFF%c at byte %zu cannot be "
                            "written in XML 1.0",
                            (unsigned char)s[i + 2] == 0xBE ? 'E' : 'F', i);
      break;
    }
    if (!rep)
      continue;
    if (i > run)
      rc = px_buf_put(b, s + run, i - run);
    if (rc == 0)
      rc = px_buf_puts(b, rep);
    run = i + 1;
  }
  if (rc == 0 && len > run)
    rc = px_buf_put(b, s + run, len - run);
  return rc;
}

/* ---- the writer ------------------------------------------------------------
 */

struct px_tmx_writer {
  FILE *f;
  px_tmx_write_opts o;
  char **langs;     /* copies of opts.langs */
  px_buf b;         /* one unit's bytes */
  XML_Parser check; /* validates inline-code records from the store */
  int failed;
};

static const char *const tu_attrs[] = {
    "o-encoding", "datatype", "creationtoolversion", "segtype", "o-tmf", NULL};
static const char *const tuv_attrs[] = {
    "o-encoding",    "datatype",     "usagecount",
    "lastusagedate", "creationtool", "creationtoolversion",
    "o-tmf",         "changeid",     NULL};

static int flush_buf(px_tmx_writer *w) {
  if (w->b.len && fwrite(w->b.ptr, 1, w->b.len, w->f) != w->b.len) {
    w->failed = 1;
    return px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "write failed: %s",
                        strerror(errno));
  }
  px_buf_clear(&w->b);
  return 0;
}

void px_tmx_writer_free(px_tmx_writer *w) {
  if (!w)
    return;
  for (size_t i = 0; i < w->o.nlangs; i++)
    px_free(w->langs[i]);
  px_free(w->langs);
  px_buf_dispose(&w->b);
  if (w->check)
    XML_ParserFree(w->check);
  px_free(w);
}

int px_tmx_writer_new(px_tmx_writer **out, FILE *f,
                      const px_tmx_write_opts *opts) {
  static const px_tmx_write_opts defaults = PX_TMX_WRITE_OPTS_INIT;
  const px_tmx_write_opts *o = opts ? opts : &defaults;
  px_tmx_writer *w = NULL;
  int rc = 0;
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(f);
  PX_ASSERT_ARG(o->version == 1);
  PX_ASSERT_ARG(o->nlangs == 0 || o->langs);
  w = px_calloc(1, sizeof *w);
  if (!w)
    return PX_ENOMEM;
  w->f = f;
  w->o = *o;
  if (w->o.format == PX_TMX_FORMAT_AUTO)
    w->o.format = PX_TMX_FORMAT_TMX;
  px_buf_init(&w->b, 0);
  if (o->nlangs) {
    w->langs = px_calloc(o->nlangs, sizeof *w->langs);
    if (!w->langs) {
      rc = PX_ENOMEM;
      goto done;
    }
    for (size_t i = 0; i < o->nlangs; i++) {
      if (!o->langs[i] || !px_tmx__lang_ok(o->langs[i], strlen(o->langs[i]))) {
        w->o.nlangs = i;
        rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                          "'%s' is not a language tag",
                          o->langs[i] ? o->langs[i] : "(null)");
        goto done;
      }
      w->langs[i] = px_strndup(o->langs[i], strlen(o->langs[i]));
      if (!w->langs[i]) {
        w->o.nlangs = i;
        rc = PX_ENOMEM;
        goto done;
      }
    }
    w->o.langs = (const char *const *)w->langs;
  }
  if (o->srclang && strcmp(o->srclang, "*all*") != 0 &&
      !px_tmx__lang_ok(o->srclang, strlen(o->srclang))) {
    rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                      "srclang '%s' is not a language tag", o->srclang);
    goto done;
  }
  if (w->o.format == PX_TMX_FORMAT_TSV) {
    if (!o->nlangs) {
      rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                        "TSV needs the languages of its columns (--langs)");
      goto done;
    }
    rc = px_buf_puts(&w->b, "#langs");
    for (size_t i = 0; rc == 0 && i < o->nlangs; i++)
      rc = px_buf_printf(&w->b, "\t%s", w->langs[i]);
    if (rc == 0)
      rc = px_buf_putc(&w->b, '\n');
  } else if (w->o.format == PX_TMX_FORMAT_TMX) {
    char date[17];
    const char *src = o->srclang ? o->srclang : "*all*";
    int64_t now = o->now ? o->now : (int64_t)time(NULL);
    rc = px_buf_puts(&w->b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                            "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n"
                            "<tmx version=\"1.4\">\n"
                            "<header creationtool=\"parallax\" "
                            "creationtoolversion=\"" PX_VERSION_STRING "\" "
                            "segtype=\"sentence\" o-tmf=\"parallax-lmdb\" "
                            "adminlang=\"en\" srclang=\"");
    if (rc == 0)
      rc = px_tmx__xml_escape(&w->b, src, strlen(src), 1);
    if (rc == 0)
      rc = px_buf_printf(&w->b,
                         "\" datatype=\"plaintext\" creationdate=\"%s\">\n"
                         "</header>\n<body>\n",
                         px_tmx_date_format(date, now));
  } else if (w->o.format != PX_TMX_FORMAT_JSONL) {
    rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                      "unknown output format %d", (int)w->o.format);
  }
  if (rc == 0)
    rc = flush_buf(w);
done:
  if (rc < 0) {
    px_tmx_writer_free(w);
    return rc;
  }
  *out = w;
  return 0;
}

static int wanted(const px_tmx_writer *w, const char *lang) {
  if (!w->o.nlangs)
    return 1;
  for (size_t i = 0; i < w->o.nlangs; i++)
    if (px_lang_equal(w->langs[i], lang))
      return 1;
  return 0;
}

static int put_attr(px_buf *b, const char *name, const char *v) {
  int rc = px_buf_printf(b, " %s=\"", name);
  if (rc == 0)
    rc = px_tmx__xml_escape(b, v, strlen(v), 1);
  if (rc == 0)
    rc = px_buf_putc(b, '"');
  return rc;
}

static int put_date(px_buf *b, const char *name, int64_t t) {
  char d[17];
  if (!t)
    return 0;
  return px_buf_printf(b, " %s=\"%s\"", name, px_tmx_date_format(d, t));
}

static int in_list(const char *const *list, const char *s) {
  for (; *list; list++)
    if (!strcmp(*list, s))
      return 1;
  return 0;
}

static const char *attr_name(const px_prop *p, const char *const *known) {
  size_t n = sizeof PX_TMX__ATTR_PREFIX - 1;
  if (!p->type || strncmp(p->type, PX_TMX__ATTR_PREFIX, n) != 0)
    return NULL;
  return in_list(known, p->type + n) ? p->type + n : NULL;
}

/* The x-px-attr props that are TMX attributes of this element. */
static int put_prop_attrs(px_buf *b, const px_prop *props, size_t n,
                          const char *const *known) {
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n; i++) {
    const char *a = attr_name(&props[i], known);
    if (a)
      rc = put_attr(b, a, props[i].value ? props[i].value : "");
  }
  return rc;
}

static int put_elem(px_buf *b, const char *ind, const char *tag,
                    const char *type, const char *v) {
  int rc = px_buf_printf(b, "%s<%s", ind, tag);
  if (rc == 0 && type)
    rc = put_attr(b, "type", type);
  if (rc == 0)
    rc = px_buf_putc(b, '>');
  if (rc == 0)
    rc = px_tmx__xml_escape(b, v ? v : "", v ? strlen(v) : 0, 0);
  if (rc == 0)
    rc = px_buf_printf(b, "</%s>\n", tag);
  return rc;
}

static int put_props(px_buf *b, const char *ind, const px_prop *props, size_t n,
                     const char *const *known, const char *const *notes,
                     size_t nn) {
  int rc = 0;
  for (size_t i = 0; rc == 0 && i < n; i++)
    if (!attr_name(&props[i], known))
      rc = put_elem(b, ind, "prop", props[i].type ? props[i].type : "",
                    props[i].value);
  for (size_t i = 0; rc == 0 && i < nn; i++)
    rc = put_elem(b, ind, "note", NULL, notes[i]);
  return rc;
}

/* Is an inline-code record well-formed XML of the kind its marker needs?
 * Records come from the store, which any program may have written. */
static int record_ok(px_tmx_writer *w, const char *rec, size_t len, char kind) {
  if (len && rec[0] == '{')
    return 1; /* a literal */
  if (len == 5 && !memcmp(rec, "</hi>", 5))
    return kind == 'c';
  if (!len || rec[0] != '<')
    return 0;
  if (!w->check && !(w->check = XML_ParserCreate("UTF-8")))
    return 0;
  XML_ParserReset(w->check, "UTF-8");
  int hi_open = len > 4 && !memcmp(rec, "<hi", 3) &&
                (rec[3] == ' ' || rec[3] == '>') && rec[len - 2] != '/' &&
                !(len > 5 && !memcmp(rec + len - 5, "</hi>", 5));
  if (hi_open && kind != 'o')
    return 0;
  const char *close = hi_open ? "</hi></x>" : "</x>";
  return XML_Parse(w->check, "<x>", 3, 0) == XML_STATUS_OK &&
         XML_Parse(w->check, rec, (int)len, 0) == XML_STATUS_OK &&
         XML_Parse(w->check, close, (int)strlen(close), 1) == XML_STATUS_OK;
}

/* The kind of marker at s ('o' {N}, 'c' {/N}, 's' {N/}) and its length. */
static size_t marker_at(const char *s, size_t n, char *kind) {
  size_t i = 1, d = 0;
  if (n < 3 || s[0] != '{')
    return 0;
  *kind = 'o';
  if (s[1] == '/') {
    *kind = 'c';
    i++;
  }
  while (i < n && s[i] >= '0' && s[i] <= '9')
    i++, d++;
  if (!d || i >= n)
    return 0;
  if (s[i] == '/' && *kind == 'o') {
    *kind = 's';
    if (++i >= n)
      return 0;
  }
  return s[i] == '}' ? i + 1 : 0;
}

static int put_seg(px_tmx_writer *w, const px_unit *u, const px_variant *v) {
  px_buf *b = &w->b;
  int rc = px_buf_puts(b, "<seg>");
  if (rc < 0)
    return rc;
  if (!v->codes || !v->codes_len) {
    rc = px_tmx__xml_escape(b, v->text, v->len, 0);
  } else {
    const char *rec = v->codes, *rend = v->codes + v->codes_len;
    size_t run = 0, nrec = 0;
    for (size_t i = 0; rc == 0 && i < v->len; i++) {
      char kind;
      size_t ml =
          v->text[i] == '{' ? marker_at(v->text + i, v->len - i, &kind) : 0;
      if (!ml || rec >= rend)
        continue;
      const char *nl = memchr(rec, '\n', (size_t)(rend - rec));
      size_t rl = nl ? (size_t)(nl - rec) : (size_t)(rend - rec);
      nrec++;
      if (!record_ok(w, rec, rl, kind))
        return px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0,
                            "unit %llu (%s): inline code %zu is not "
                            "well-formed TMX markup",
                            (unsigned long long)u->id, v->lang, nrec);
      /* (the message names the unit already) */
      rc = px_tmx__xml_escape(b, v->text + run, i - run, 0);
      if (rc == 0)
        rc = rec[0] == '{' ? px_tmx__xml_escape(b, rec, rl, 0)
                           : px_buf_put(b, rec, rl);
      rec += rl + (nl ? 1 : 0);
      if (!nl)
        rec = rend;
      i += ml - 1;
      run = i + 1;
    }
    if (rc == 0)
      rc = px_tmx__xml_escape(b, v->text + run, v->len - run, 0);
  }
  if (rc == PX_EPARSE)
    return px_error_prefix("unit %llu (%s)", (unsigned long long)u->id,
                           v->lang);
  if (rc == 0)
    rc = px_buf_puts(b, "</seg>\n");
  return rc;
}

/* A confidence as "0.95": at most 6 decimals, no trailing zeros, and no
 * locale (printf's %f would write "0,95" under some). */
static int put_conf(px_buf *b, double c) {
  long v = (long)(c * 1000000.0 + 0.5);
  char d[8];
  int n;
  if (v >= 1000000)
    return px_buf_puts(b, "1");
  if (v <= 0)
    return px_buf_puts(b, "0");
  n = snprintf(d, sizeof d, "%06ld", v);
  while (n > 1 && d[n - 1] == '0')
    n--;
  return px_buf_printf(b, "0.%.*s", n, d);
}

static int put_tmx_unit(px_tmx_writer *w, const px_unit *u) {
  px_buf *b = &w->b;
  int rc = px_buf_puts(b, "<tu");
  if (rc == 0 && u->tuid)
    rc = put_attr(b, "tuid", u->tuid);
  if (rc == 0 && u->srclang)
    rc = put_attr(b, "srclang", u->srclang);
  if (rc == 0)
    rc = put_date(b, "creationdate", u->created);
  if (rc == 0 && u->creator)
    rc = put_attr(b, "creationid", u->creator);
  if (rc == 0)
    rc = put_date(b, "changedate", u->changed);
  if (rc == 0 && u->changer)
    rc = put_attr(b, "changeid", u->changer);
  if (rc == 0 && u->tool)
    rc = put_attr(b, "creationtool", u->tool);
  if (rc == 0 && u->usage_count)
    rc = px_buf_printf(b, " usagecount=\"%lu\"", (unsigned long)u->usage_count);
  if (rc == 0)
    rc = put_date(b, "lastusagedate", u->last_used);
  if (rc == 0)
    rc = put_prop_attrs(b, u->props, u->nprops, tu_attrs);
  if (rc == 0)
    rc = px_buf_puts(b, ">\n");
  if (rc == 0 && u->doc_id) {
    rc = put_elem(b, "  ", "prop", PX_TMX__PROP_DOC, u->doc_id);
    if (rc == 0)
      rc = px_buf_printf(
          b, "  <prop type=\"" PX_TMX__PROP_DOCPOS "\">%lu</prop>\n",
          (unsigned long)u->doc_pos);
  }
  if (rc == 0 && u->confidence >= 0) {
    rc = px_buf_puts(b, "  <prop type=\"" PX_TMX__PROP_CONF "\">");
    if (rc == 0)
      rc = put_conf(b, u->confidence);
    if (rc == 0)
      rc = px_buf_puts(b, "</prop>\n");
  }
  if (rc == 0)
    rc = put_props(b, "  ", u->props, u->nprops, tu_attrs, u->notes, u->nnotes);
  for (size_t i = 0; rc == 0 && i < u->nvariants; i++) {
    const px_variant *v = &u->variants[i];
    if (!wanted(w, v->lang))
      continue;
    rc = px_buf_puts(b, "  <tuv");
    if (rc == 0)
      rc = put_attr(b, "xml:lang", v->lang);
    if (rc == 0)
      rc = put_date(b, "creationdate", v->created);
    if (rc == 0 && v->creator)
      rc = put_attr(b, "creationid", v->creator);
    if (rc == 0)
      rc = put_date(b, "changedate", v->changed);
    if (rc == 0)
      rc = put_prop_attrs(b, v->props, v->nprops, tuv_attrs);
    if (rc == 0)
      rc = px_buf_puts(b, ">\n");
    if (rc == 0 && v->prev_hash)
      rc = px_buf_printf(
          b, "    <prop type=\"" PX_TMX__PROP_PREV "\">%016llx</prop>\n",
          (unsigned long long)v->prev_hash);
    if (rc == 0 && v->next_hash)
      rc = px_buf_printf(
          b, "    <prop type=\"" PX_TMX__PROP_NEXT "\">%016llx</prop>\n",
          (unsigned long long)v->next_hash);
    if (rc == 0)
      rc = put_props(b, "    ", v->props, v->nprops, tuv_attrs, v->notes,
                     v->nnotes);
    if (rc == 0)
      rc = px_buf_puts(b, "    ");
    if (rc == 0)
      rc = put_seg(w, u, v);
    if (rc == 0)
      rc = px_buf_puts(b, "  </tuv>\n");
  }
  if (rc == 0)
    rc = px_buf_puts(b, "</tu>\n");
  return rc;
}

int px_tmx_writer_add(px_tmx_writer *w, const px_unit *u, int *written) {
  int rc = 0;
  size_t nv = 0;
  PX_ASSERT_ARG(w);
  PX_ASSERT_ARG(u);
  if (written)
    *written = 0;
  for (size_t i = 0; i < u->nvariants; i++)
    if (u->variants[i].lang && wanted(w, u->variants[i].lang))
      nv++;
  if (nv == 0)
    return 0;
  px_buf_clear(&w->b);
  switch (w->o.format) {
  case PX_TMX_FORMAT_TSV:
    rc = px_tmx__tsv_line(&w->b, u, w->o.langs, w->o.nlangs);
    break;
  case PX_TMX_FORMAT_JSONL:
    rc = px_tmx__jsonl_line(&w->b, u, w->o.langs, w->o.nlangs);
    break;
  default: rc = put_tmx_unit(w, u);
  }
  if (rc == PX_EPARSE && !strstr(px_error_last()->message, "unit "))
    rc = px_error_prefix("unit %llu", (unsigned long long)u->id);
  if (rc < 0) {
    px_buf_clear(&w->b);
    return rc;
  }
  rc = flush_buf(w);
  if (rc == 0 && written)
    *written = 1;
  return rc;
}

int px_tmx_writer_finish(px_tmx_writer *w) {
  int rc = 0;
  if (!w)
    return 0;
  px_buf_clear(&w->b);
  if (w->o.format == PX_TMX_FORMAT_TMX)
    rc = px_buf_puts(&w->b, "</body>\n</tmx>\n");
  if (rc == 0)
    rc = flush_buf(w);
  if (rc == 0 && (fflush(w->f) != 0 || ferror(w->f)))
    rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "write failed: %s",
                      strerror(errno));
  px_tmx_writer_free(w);
  return rc;
}

/* ---- export ------------------------------------------------------------- */

/* Make the rename durable: fsync the directory that holds path (best
 * effort; the file itself was synced before the rename). */
static void sync_dir(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else if (slash == path)
    snprintf(dir, sizeof dir, "/");
  else
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
  int fd = open(dir, O_RDONLY | O_DIRECTORY);
  if (fd >= 0) {
    (void)fsync(fd);
    close(fd);
  }
}

int px_tmx_export(px_tmx_export_stats *stats, px_tm *tm, const char *path,
                  const px_tmx_write_opts *opts) {
  px_tmx_export_stats st = {0, 0};
  px_tmx_writer *w = NULL;
  px_tm_iter *it = NULL;
  FILE *f = NULL;
  char *tmp = NULL;
  int rc = 0, to_stdout;
  PX_ASSERT_ARG(tm);
  PX_ASSERT_ARG(path);
  to_stdout = !strcmp(path, "-");
  if (to_stdout) {
    f = stdout;
  } else {
    /* A temporary file beside the target, so rename() is atomic. */
    size_t n = strlen(path) + 32;
    int fd;
    tmp = px_malloc(n);
    if (!tmp) {
      rc = PX_ENOMEM;
      goto done;
    }
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    fd = mkstemp(tmp);
    if (fd < 0) {
      rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", tmp,
                        strerror(errno));
      px_free(tmp);
      tmp = NULL;
      goto done;
    }
    (void)fchmod(fd, 0644);
    f = fdopen(fd, "wb");
    if (!f) {
      rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", tmp,
                        strerror(errno));
      close(fd);
      goto done;
    }
  }
  rc = px_tmx_writer_new(&w, f, opts);
  if (rc == 0)
    rc = px_tm_iter_new(&it, tm);
  while (rc == 0) {
    const px_unit *u;
    int written;
    rc = px_tm_iter_next(it, &u);
    if (rc == PX_ITEROVER) {
      rc = 0;
      break;
    }
    if (rc == 0)
      rc = px_tmx_writer_add(w, u, &written);
    if (rc == 0) {
      if (written)
        st.units++;
      else
        st.skipped++;
    }
  }
  if (rc == 0) {
    rc = px_tmx_writer_finish(w);
    w = NULL;
  }
  if (rc == 0 && !to_stdout) {
    if (fsync(fileno(f)) != 0 || fclose(f) != 0) {
      f = NULL;
      rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", tmp,
                        strerror(errno));
      goto done;
    }
    f = NULL;
    if (rename(tmp, path) != 0) {
      rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", path,
                        strerror(errno));
      goto done;
    }
    sync_dir(path);
    px_free(tmp);
    tmp = NULL;
  }
done:
  px_tm_iter_free(it);
  px_tmx_writer_free(w);
  if (f && !to_stdout)
    fclose(f);
  if (tmp) {
    unlink(tmp);
    px_free(tmp);
  }
  if (stats)
    *stats = st;
  return rc;
}
