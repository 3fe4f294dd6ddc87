/*
 * srx.c: the SRX 2.0 loader and rule selection.
 *
 * An SRX document is
 *   <srx version="2.0"><header cascade="yes|no" .../><body>
 *     <languagerules><languagerule languagerulename="N">
 *       <rule break="no|yes"><beforebreak>RE</beforebreak>
 *                            <afterbreak>RE</afterbreak></rule>...
 *     </languagerule>...</languagerules>
 *     <maprules><languagemap languagepattern="RE" languagerulename="N"/>
 *     ...</maprules></body></srx>
 * in the namespace http://www.lisa.org/srx20 (elements are matched by
 * local name, so prefixed and unprefixed documents both load).  Regular
 * expressions are ICU's (a superset of what OmegaT/Okapi's Java regexes
 * accept for ordinary rules) and are compiled here, once.
 */
#include "srx.h"

#include <expat.h>
#include <string.h>
#include <unicode/ustring.h>

#include "buf.h"
#include "error.h"
#include "mem.h"

/* Largest rule text we accept: a regex is data from a file. */
#define SRX_MAX_TEXT (1u << 20)

enum { IN_NONE, IN_BEFORE, IN_AFTER };

typedef struct srx_parse {
  XML_Parser xp;
  px_srx_doc *doc;
  const char *name;
  int err;      /* first error code, 0 if none */
  int seen_srx; /* the root element was <srx version="2.0"> */
  int depth;
  long cur_langrule; /* index of the open <languagerule>, -1 if none */
  int in_rule;
  int in_text; /* IN_BEFORE / IN_AFTER */
  px_buf text; /* character data of the open before/after element */
  int brk;
  int have_before, have_after;
  URegularExpression *before, *after;
  px_buf before_src, after_src;
  unsigned long pos_line[3], pos_col[3]; /* where each element starts */
  unsigned rule_line;
  /* maps whose languagerulename is resolved after the whole document */
  struct pending_map {
    char *rulename;
    URegularExpression *pattern;
    unsigned long line, col;
  } * pending;
  size_t npending, cappending;
} srx_parse;

/* The local part of an Expat namespace-qualified name "uri|local". */
static const char *local_name(const char *n) {
  const char *bar = strrchr(n, '|');
  return bar ? bar + 1 : n;
}

static const char *attr(const char **atts, const char *want) {
  for (size_t i = 0; atts[i]; i += 2)
    if (strcmp(local_name(atts[i]), want) == 0)
      return atts[i + 1];
  return NULL;
}

/* Record the first error at the parser's current position and stop. */
static void fail_pos(srx_parse *p, int code, unsigned long line,
                     unsigned long col, const char *what, long cause) {
  if (p->err)
    return;
  p->err = px_error_set(code, PX_ERRCLASS_SEGMENT, cause, "%s:%lu:%lu: %s",
                        p->name, line, col, what);
  XML_StopParser(p->xp, XML_FALSE);
}

static void fail_at(srx_parse *p, int code, const char *what, long cause) {
  fail_pos(p, code, (unsigned long)XML_GetCurrentLineNumber(p->xp),
           (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1, what, cause);
}

/* Compile a UTF-8 pattern with ICU; wrap_end adds "(?:...)\z". */
static URegularExpression *compile(srx_parse *p, const char *pat, size_t len,
                                   int wrap_end, uint32_t flags,
                                   const char *where, unsigned long line,
                                   unsigned long col) {
  px_buf b;
  px_buf_init(&b, SRX_MAX_TEXT);
  UChar *u = NULL;
  URegularExpression *re = NULL;
  if ((wrap_end && px_buf_puts(&b, "(?:") < 0) ||
      px_buf_put(&b, pat, len) < 0 ||
      (wrap_end && px_buf_puts(&b, ")\\z") < 0)) {
    fail_pos(p, PX_ETOOBIG, line, col, "regular expression too long", 0);
    goto done;
  }
  UErrorCode st = U_ZERO_ERROR;
  int32_t ulen = 0;
  u_strFromUTF8(NULL, 0, &ulen, b.ptr ? b.ptr : "", (int32_t)b.len, &st);
  st = U_ZERO_ERROR;
  u = px_malloc(((size_t)ulen + 1) * sizeof *u);
  if (!u) {
    fail_pos(p, PX_ENOMEM, line, col, "out of memory", 0);
    goto done;
  }
  u_strFromUTF8(u, ulen + 1, NULL, b.ptr ? b.ptr : "", (int32_t)b.len, &st);
  UParseError pe;
  memset(&pe, 0, sizeof pe);
  st = U_ZERO_ERROR;
  re = uregex_open(u, ulen, flags, &pe, &st);
  if (U_FAILURE(st)) {
    char msg[400];
    snprintf(
        msg, sizeof msg,
        "bad regular expression in <%s> (%s at pattern offset %ld): %.200s",
        where, u_errorName(st), (long)pe.offset - (wrap_end ? 3 : 0), pat);
    fail_pos(p, PX_EPARSE, line, col, msg, (long)st);
    re = NULL;
  }
done:
  px_free(u);
  px_buf_dispose(&b);
  return re;
}

static void XMLCALL on_start(void *ud, const char *nm, const char **atts) {
  srx_parse *p = ud;
  const char *n = local_name(nm);
  p->depth++;
  if (p->err)
    return;
  if (p->depth == 1) {
    const char *v = attr(atts, "version");
    if (strcmp(n, "srx") != 0) {
      fail_at(p, PX_EPARSE, "not an SRX document (root element is not <srx>)",
              0);
      return;
    }
    if (!v || strcmp(v, "2.0") != 0) {
      fail_at(p, PX_EPARSE, "not SRX 2.0 (<srx version=\"2.0\"> expected)", 0);
      return;
    }
    p->seen_srx = 1;
    return;
  }
  if (strcmp(n, "header") == 0) {
    const char *c = attr(atts, "cascade");
    p->doc->cascade = c && strcmp(c, "yes") == 0;
  } else if (strcmp(n, "languagerule") == 0) {
    const char *rn = attr(atts, "languagerulename");
    if (!rn) {
      fail_at(p, PX_EPARSE, "<languagerule> without languagerulename", 0);
      return;
    }
    px_srx_doc *d = p->doc;
    for (size_t i = 0; i < d->nlangrules; i++)
      if (strcmp(d->langrules[i].name, rn) == 0) {
        fail_at(p, PX_EPARSE, "duplicate languagerulename", 0);
        return;
      }
    if (PX_GROW(d->langrules, d->nlangrules, d->caplangrules) < 0) {
      fail_at(p, PX_ENOMEM, "out of memory", 0);
      return;
    }
    px_srx_langrule *lr = &d->langrules[d->nlangrules];
    memset(lr, 0, sizeof *lr);
    lr->name = px_strndup(rn, strlen(rn));
    if (!lr->name) {
      fail_at(p, PX_ENOMEM, "out of memory", 0);
      return;
    }
    p->cur_langrule = (long)d->nlangrules++;
  } else if (strcmp(n, "rule") == 0) {
    if (p->cur_langrule < 0) {
      fail_at(p, PX_EPARSE, "<rule> outside <languagerule>", 0);
      return;
    }
    const char *b = attr(atts, "break");
    if (b && strcmp(b, "yes") != 0 && strcmp(b, "no") != 0) {
      fail_at(p, PX_EPARSE, "break must be \"yes\" or \"no\"", 0);
      return;
    }
    p->in_rule = 1;
    p->brk = !b || strcmp(b, "yes") == 0; /* SRX default: yes */
    p->have_before = p->have_after = 0;
    p->before = p->after = NULL;
    p->rule_line = (unsigned)XML_GetCurrentLineNumber(p->xp);
  } else if (strcmp(n, "beforebreak") == 0 || strcmp(n, "afterbreak") == 0) {
    if (!p->in_rule) {
      fail_at(p, PX_EPARSE, "<beforebreak>/<afterbreak> outside <rule>", 0);
      return;
    }
    p->in_text = n[0] == 'b' ? IN_BEFORE : IN_AFTER;
    p->pos_line[p->in_text] = (unsigned long)XML_GetCurrentLineNumber(p->xp);
    p->pos_col[p->in_text] =
        (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1;
    px_buf_clear(&p->text);
  } else if (strcmp(n, "languagemap") == 0) {
    const char *pat = attr(atts, "languagepattern");
    const char *rn = attr(atts, "languagerulename");
    if (!pat || !rn) {
      fail_at(p, PX_EPARSE,
              "<languagemap> needs languagepattern and languagerulename", 0);
      return;
    }
    URegularExpression *re =
        compile(p, pat, strlen(pat), 0, UREGEX_CASE_INSENSITIVE,
                "languagemap languagepattern",
                (unsigned long)XML_GetCurrentLineNumber(p->xp),
                (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1);
    if (!re)
      return;
    if (PX_GROW(p->pending, p->npending, p->cappending) < 0) {
      uregex_close(re);
      fail_at(p, PX_ENOMEM, "out of memory", 0);
      return;
    }
    struct pending_map *pm = &p->pending[p->npending];
    pm->pattern = re;
    pm->rulename = px_strndup(rn, strlen(rn));
    pm->line = (unsigned long)XML_GetCurrentLineNumber(p->xp);
    pm->col = (unsigned long)XML_GetCurrentColumnNumber(p->xp) + 1;
    p->npending++;
    if (!pm->rulename)
      fail_at(p, PX_ENOMEM, "out of memory", 0);
  }
}

/* The rule as one anchored pattern (see srx.h); NULL if ICU refuses the
 * lookbehind (unbounded length), which is not an error. */
static URegularExpression *combine(srx_parse *p, char **src_out) {
  px_buf b;
  px_buf_init(&b, SRX_MAX_TEXT * 2 + 32);
  URegularExpression *re = NULL;
  UChar *u = NULL;
  int ok = 1;
  if (p->after_src.len)
    ok = px_buf_puts(&b, "(?=(?:") == 0 &&
         px_buf_put(&b, p->after_src.ptr, p->after_src.len) == 0 &&
         px_buf_puts(&b, "))") == 0;
  ok = ok && px_buf_puts(&b, "(?<=(?:") == 0 &&
       px_buf_put(&b, p->before_src.ptr, p->before_src.len) == 0 &&
       px_buf_puts(&b, "))") == 0;
  if (!ok)
    goto done;
  UErrorCode st = U_ZERO_ERROR;
  int32_t ulen = 0;
  u_strFromUTF8(NULL, 0, &ulen, b.ptr, (int32_t)b.len, &st);
  st = U_ZERO_ERROR;
  u = px_malloc(((size_t)ulen + 1) * sizeof *u);
  if (!u)
    goto done;
  u_strFromUTF8(u, ulen + 1, NULL, b.ptr, (int32_t)b.len, &st);
  if (U_FAILURE(st))
    goto done;
  re = uregex_open(u, ulen, 0, NULL, &st);
  if (U_FAILURE(st))
    re = NULL;
  if (re) {
    *src_out = px_strndup(b.ptr, b.len);
    if (!*src_out) {
      uregex_close(re);
      re = NULL;
    }
  }
done:
  px_error_clear();
  px_free(u);
  px_buf_dispose(&b);
  return re;
}

/* One regex for the rules [i, j) of lr whose break is brk, as the
 * alternation "(?:C1)|(?:C2)|..."; *out NULL when there are none. */
static int group_regex(URegularExpression **out, const px_srx_langrule *lr,
                       size_t i, size_t j, int brk) {
  *out = NULL;
  px_buf b;
  px_buf_init(&b, 0);
  int rc = 0;
  for (size_t k = i; k < j && rc == 0; k++) {
    if (lr->rules[k].brk != brk)
      continue;
    if ((b.len && px_buf_putc(&b, '|') < 0) || px_buf_puts(&b, "(?:") < 0 ||
        px_buf_puts(&b, lr->rules[k].combined_src) < 0 ||
        px_buf_puts(&b, ")") < 0)
      rc = PX_ENOMEM;
  }
  UChar *u = NULL;
  if (rc == 0 && b.len) {
    UErrorCode st = U_ZERO_ERROR;
    int32_t ulen = 0;
    u_strFromUTF8(NULL, 0, &ulen, b.ptr, (int32_t)b.len, &st);
    st = U_ZERO_ERROR;
    u = px_malloc(((size_t)ulen + 1) * sizeof *u);
    if (!u)
      rc = PX_ENOMEM;
    else {
      u_strFromUTF8(u, ulen + 1, NULL, b.ptr, (int32_t)b.len, &st);
      *out = uregex_open(u, ulen, 0, NULL, &st);
      if (U_FAILURE(st)) {
        *out = NULL; /* cannot happen: each part compiled alone */
        rc = px_error_set(PX_EUNICODE, PX_ERRCLASS_SEGMENT, (long)st,
                          "combining rules: %s", u_errorName(st));
      }
    }
  }
  px_free(u);
  px_buf_dispose(&b);
  return rc;
}

/* Group the runs of combined rules of lr into units (see srx.h). */
static int build_units(px_srx_langrule *lr) {
  lr->units = px_calloc(lr->count ? lr->count : 1, sizeof *lr->units);
  if (!lr->units)
    return PX_ENOMEM;
  size_t i = 0;
  int rc = 0;
  while (i < lr->count && rc == 0) {
    px_srx_unit *un = &lr->units[lr->nunits++];
    un->rules = &lr->rules[i];
    if (!lr->rules[i].combined) {
      un->count = 1;
      i++;
      continue;
    }
    size_t j = i;
    while (j < lr->count && lr->rules[j].combined)
      j++;
    un->count = j - i;
    un->combined = 1;
    rc = group_regex(&un->group[0], lr, i, j, 0);
    if (rc == 0)
      rc = group_regex(&un->group[1], lr, i, j, 1);
    i = j;
  }
  for (size_t k = 0; k < lr->count; k++) {
    px_free(lr->rules[k].combined_src);
    lr->rules[k].combined_src = NULL;
  }
  return rc;
}

static void XMLCALL on_end(void *ud, const char *nm) {
  srx_parse *p = ud;
  const char *n = local_name(nm);
  p->depth--;
  if (p->err)
    return;
  if (strcmp(n, "beforebreak") == 0 || strcmp(n, "afterbreak") == 0) {
    int which = p->in_text;
    p->in_text = IN_NONE;
    if (which == IN_BEFORE)
      p->have_before = 1;
    else
      p->have_after = 1;
    px_buf *src = which == IN_BEFORE ? &p->before_src : &p->after_src;
    px_buf_clear(src);
    if (p->text.len == 0)
      return; /* empty: always matches */
    if (px_buf_put(src, p->text.ptr, p->text.len) < 0) {
      fail_at(p, PX_ENOMEM, "out of memory", 0);
      return;
    }
    /* compiled at </rule>: as one combined pattern when ICU accepts it,
     * else each on its own (which also reports a bad one) */
  } else if (strcmp(n, "rule") == 0) {
    px_srx_langrule *lr = &p->doc->langrules[p->cur_langrule];
    p->in_rule = 0;
    if (PX_GROW(lr->rules, lr->count, lr->cap) < 0) {
      fail_at(p, PX_ENOMEM, "out of memory", 0);
      return;
    }
    char *csrc = NULL;
    URegularExpression *comb = p->before_src.len ? combine(p, &csrc) : NULL;
    if (!comb) {
      if (p->before_src.len)
        p->before = compile(p, p->before_src.ptr, p->before_src.len, 1, 0,
                            "beforebreak", p->pos_line[IN_BEFORE],
                            p->pos_col[IN_BEFORE]);
      if (!p->err && p->after_src.len)
        p->after =
            compile(p, p->after_src.ptr, p->after_src.len, 0, 0, "afterbreak",
                    p->pos_line[IN_AFTER], p->pos_col[IN_AFTER]);
      if (p->err)
        return;
    }
    px_srx_rule *r = &lr->rules[lr->count++];
    r->brk = p->brk;
    r->before = p->before;
    r->after = p->after;
    r->combined_src = csrc;
    r->combined = comb;
    r->line = p->rule_line;
    p->before = p->after = NULL;
    px_buf_clear(&p->before_src);
    px_buf_clear(&p->after_src);
  } else if (strcmp(n, "languagerule") == 0) {
    int brc = build_units(&p->doc->langrules[p->cur_langrule]);
    if (brc < 0)
      fail_at(p, brc, "cannot combine the rules", 0);
    p->cur_langrule = -1;
  }
}

static void XMLCALL on_text(void *ud, const char *s, int len) {
  srx_parse *p = ud;
  if (p->err || p->in_text == IN_NONE)
    return;
  int rc = px_buf_put(&p->text, s, (size_t)len);
  if (rc < 0)
    fail_at(p, rc, rc == PX_ETOOBIG ? "rule text too long" : "out of memory",
            0);
}

static void doc_dispose(px_srx_doc *d) {
  for (size_t i = 0; i < d->nlangrules; i++) {
    px_srx_langrule *lr = &d->langrules[i];
    for (size_t j = 0; j < lr->count; j++) {
      if (lr->rules[j].before)
        uregex_close(lr->rules[j].before);
      if (lr->rules[j].after)
        uregex_close(lr->rules[j].after);
      if (lr->rules[j].combined)
        uregex_close(lr->rules[j].combined);
      px_free(lr->rules[j].combined_src);
    }
    for (size_t j = 0; j < lr->nunits; j++)
      for (int k = 0; k < 2; k++)
        if (lr->units[j].group[k])
          uregex_close(lr->units[j].group[k]);
    px_free(lr->units);
    px_free(lr->rules);
    px_free(lr->name);
  }
  px_free(d->langrules);
  for (size_t i = 0; i < d->nmaps; i++)
    uregex_close(d->maps[i].pattern);
  px_free(d->maps);
  px_free(d->name);
  memset(d, 0, sizeof *d);
}

int px_srx__parse(px_segment_rules *rules, const char *xml, size_t len,
                  const char *name) {
  int rc = 0;
  srx_parse p;
  memset(&p, 0, sizeof p);
  px_srx_doc doc;
  memset(&doc, 0, sizeof doc);
  PX_ASSERT_ARG(rules);
  PX_ASSERT_ARG(xml || len == 0);
  if (!name)
    name = "(srx)";
  p.name = name;
  p.doc = &doc;
  p.cur_langrule = -1;
  px_buf_init(&p.text, SRX_MAX_TEXT);
  px_buf_init(&p.before_src, SRX_MAX_TEXT);
  px_buf_init(&p.after_src, SRX_MAX_TEXT);
  doc.name = px_strndup(name, strlen(name));
  if (!doc.name) {
    rc = px_error_nomem();
    goto done;
  }
  p.xp = XML_ParserCreateNS("UTF-8", '|');
  if (!p.xp) {
    rc = px_error_nomem();
    goto done;
  }
  XML_SetUserData(p.xp, &p);
  XML_SetElementHandler(p.xp, on_start, on_end);
  XML_SetCharacterDataHandler(p.xp, on_text);
  if (len > (size_t)INT32_MAX) {
    rc =
        px_error_set(PX_ETOOBIG, PX_ERRCLASS_SEGMENT, 0, "%s: too large", name);
    goto done;
  }
  if (XML_Parse(p.xp, xml ? xml : "", (int)len, XML_TRUE) == XML_STATUS_ERROR &&
      !p.err) {
    enum XML_Error e = XML_GetErrorCode(p.xp);
    rc = px_error_set(PX_EPARSE, PX_ERRCLASS_SEGMENT, (long)e, "%s:%lu:%lu: %s",
                      name, (unsigned long)XML_GetCurrentLineNumber(p.xp),
                      (unsigned long)XML_GetCurrentColumnNumber(p.xp) + 1,
                      XML_ErrorString(e));
    goto done;
  }
  if (p.err) {
    rc = p.err;
    goto done;
  }
  if (!p.seen_srx) {
    rc = px_error_set(PX_EPARSE, PX_ERRCLASS_SEGMENT, 0,
                      "%s:1:1: not an SRX document", name);
    goto done;
  }
  /* Resolve the maps now that every languagerule is known. */
  for (size_t i = 0; i < p.npending; i++) {
    struct pending_map *pm = &p.pending[i];
    size_t k = 0;
    while (k < doc.nlangrules && strcmp(doc.langrules[k].name, pm->rulename))
      k++;
    if (k == doc.nlangrules) {
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_SEGMENT, 0,
                        "%s:%lu:%lu: languagemap names unknown "
                        "languagerulename \"%s\"",
                        name, pm->line, pm->col, pm->rulename);
      goto done;
    }
    if (PX_GROW(doc.maps, doc.nmaps, doc.capmaps) < 0) {
      rc = PX_ENOMEM;
      goto done;
    }
    doc.maps[doc.nmaps].pattern = pm->pattern;
    doc.maps[doc.nmaps].langrule = k;
    doc.nmaps++;
    pm->pattern = NULL;
  }
  if (PX_GROW(rules->docs, rules->ndocs, rules->capdocs) < 0) {
    rc = PX_ENOMEM;
    goto done;
  }
  rules->docs[rules->ndocs++] = doc;
  memset(&doc, 0, sizeof doc);
done:
  if (p.before)
    uregex_close(p.before);
  if (p.after)
    uregex_close(p.after);
  for (size_t i = 0; i < p.npending; i++) {
    if (p.pending[i].pattern)
      uregex_close(p.pending[i].pattern);
    px_free(p.pending[i].rulename);
  }
  px_free(p.pending);
  px_buf_dispose(&p.text);
  px_buf_dispose(&p.before_src);
  px_buf_dispose(&p.after_src);
  if (p.xp)
    XML_ParserFree(p.xp);
  doc_dispose(&doc);
  return rc;
}

/* Does the (shared, so cloned) map pattern match the whole tag? */
static int map_matches(const px_srx_map *m, const UChar *tag, int32_t n,
                       int *err) {
  UErrorCode st = U_ZERO_ERROR;
  URegularExpression *re = uregex_clone(m->pattern, &st);
  if (U_FAILURE(st)) {
    *err = px_error_set(PX_EUNICODE, PX_ERRCLASS_SEGMENT, (long)st,
                        "cloning a languagepattern: %s", u_errorName(st));
    return 0;
  }
  uregex_setText(re, tag, n, &st);
  UBool ok = uregex_matches(re, 0, &st);
  uregex_close(re);
  return U_SUCCESS(st) && ok;
}

void px_srx__dispose(px_segment_rules *rules) {
  for (size_t d = 0; d < rules->ndocs; d++)
    doc_dispose(&rules->docs[d]);
  px_free(rules->docs);
  rules->docs = NULL;
  rules->ndocs = rules->capdocs = 0;
}

int px_srx__select(const px_srx_unit ***out, size_t *count, size_t *nrules,
                   const px_segment_rules *rules, const char *lang) {
  PX_ASSERT_ARG(out && count && nrules && rules && lang);
  UChar tag[64];
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  u_strFromUTF8(tag, 64, &n, lang, -1, &st);
  if (U_FAILURE(st) || n >= 64)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_SEGMENT, 0,
                        "invalid language tag \"%.40s\"", lang);
  for (int32_t i = 0; i < n; i++)
    if (tag[i] == '_')
      tag[i] = '-';
  const px_srx_unit **arr = NULL;
  size_t cnt = 0, cap = 0, nr = 0;
  int err = 0;
  for (size_t d = 0; d < rules->ndocs; d++) {
    const px_srx_doc *doc = &rules->docs[d];
    int any = 0;
    for (size_t m = 0; m < doc->nmaps; m++) {
      if (!map_matches(&doc->maps[m], tag, n, &err)) {
        if (err)
          goto fail;
        continue;
      }
      any = 1;
      const px_srx_langrule *lr = &doc->langrules[doc->maps[m].langrule];
      for (size_t r = 0; r < lr->nunits; r++) {
        if (PX_GROW(arr, cnt, cap) < 0) {
          err = PX_ENOMEM;
          goto fail;
        }
        arr[cnt++] = &lr->units[r];
        nr += lr->units[r].count;
      }
      if (!doc->cascade)
        break;
    }
    if (any)
      break; /* the first document that knows the language supplies it */
  }
  *out = arr;
  *count = cnt;
  *nrules = nr;
  return 0;
fail:
  px_free(arr);
  return err;
}
