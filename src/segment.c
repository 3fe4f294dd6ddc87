/*
 * segment.c: sentence segmentation.  Bytes -> lines -> paragraphs ->
 * blocks (runs of lines that belong together) -> sentences.
 *
 * The layers, in order:
 *  1. text hygiene: strict UTF-8 (px_text_validate), BOM, CRLF/CR/U+2028
 *     line ends, U+2029 paragraph ends, Unicode spaces as ' '.
 *  2. structure (code): a blank line ends a paragraph; inside a paragraph,
 *     a line with no final punctuation stands alone (headline, byline,
 *     furniture) unless it is hard-wrapped prose, which is joined.
 *  3. ICU's sentence BreakIterator proposes boundaries inside each block;
 *     positions after terminators are candidates too.
 *  4. SRX rules (srx.c) decide at each candidate, first match wins; with no
 *     match ICU's proposal stands.  List items on one line are split in
 *     code, before the rules.
 *  5. each segment's text is normalized (white space collapsed, NFC) and
 *     given byte offsets into the original input through a UTF-16 -> byte
 *     map, then classified (sentence / headline / furniture / byline,
 *     dateline flag).
 *
 * Rules handles are immutable; every call clones the ICU objects it uses,
 * so calls on one handle may run in parallel.
 */
#include "segment.h"

#include "file.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/uregex.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include "buf.h"
#include "error.h"
#include "mem.h"
#include "paths.h"
#include "srx.h"

#define SEG_DEFAULT_MAX ((size_t)1 << 30)
/* Texts of all segments of one call together may not exceed this. */
#define SEG_ARENA_MAX ((size_t)4 << 30)
#define SRX_FILE_MAX ((size_t)16 << 20)

/* Candidate flags, one byte per UTF-16 unit of the block. */
enum {
  C_ICU = 1,   /* ICU proposes a boundary here */
  C_TERM = 2,  /* right after a terminator run */
  C_FORCE = 4, /* a list item starts after this position */
  C_VETO = 8   /* inside a list marker */
};

/* ---- the shipped rules and the dateline patterns, loaded once ---------- */

static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static px_segment_rules *default_rules;
static int default_rc;
static px_error default_err;

static void load_default(void) {
  default_rc = px_segment_rules_default(&default_rules);
  if (default_rc < 0)
    default_err = *px_error_last();
}

const px_segment_rules *px_segment__default_rules(int *rc) {
  pthread_once(&default_once, load_default);
  if (default_rc < 0) {
    *rc = px_error_set(default_err.code, default_err.klass, default_err.cause,
                       "%s", default_err.message);
    return NULL;
  }
  *rc = 0;
  return default_rules;
}

/* Datelines: "MOSCOW, Mar. 28 (MNA) –", "WASHINGTON (Reuters) -",
 * "МОСКВА, 28 марта (MNA) –", "تهران- ایرنا-", "طهران (إرنا) -". */
static const char *const dateline_patterns =
    "(?:\\p{Lu}[\\p{Lu}\\p{M}'’.\\- ]+(?:,[^()\\n–—]{1,40}?)?\\s*"
    "(?:\\([^()]{2,24}\\)\\s*)?[-–—]+\\s)"
    "|(?:[\\p{Arabic}\\u200c ]{2,30}\\s*(?:\\([\\p{Arabic}\\u200c ]{2,24}\\)"
    "\\s*)?[-–—]\\s*(?:[\\p{Arabic}\\u200c ]{2,24}\\s*[-–—])?)";

static pthread_once_t dateline_once = PTHREAD_ONCE_INIT;
static URegularExpression *dateline_re;

static void compile_dateline(void) {
  UChar pat[512];
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = 0;
  u_strFromUTF8(pat, 512, &n, dateline_patterns, -1, &st);
  if (U_FAILURE(st))
    return;
  dateline_re = uregex_open(pat, n, 0, NULL, &st);
  if (U_FAILURE(st))
    dateline_re = NULL;
}

static int load_file(px_segment_rules *r, const char *path) {
  char *xml = NULL;
  size_t len = 0;
  int rc = px_file__read(&xml, &len, path, SRX_FILE_MAX, PX_ERRCLASS_SEGMENT);
  if (rc == 0)
    rc = px_srx__parse(r, xml, len, path);
  px_free(xml);
  return rc;
}

static int name_cmp(const void *a, const void *b) {
  const char *x = *(const char *const *)a, *y = *(const char *const *)b;
  /* default.srx goes last: it is the catch-all */
  int dx = strcmp(x, "default.srx") == 0, dy = strcmp(y, "default.srx") == 0;
  if (dx != dy)
    return dx - dy;
  return strcmp(x, y);
}

static int load_dir(px_segment_rules *r, const char *dir) {
  DIR *d = opendir(dir);
  if (!d)
    return px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", dir,
                        strerror(errno));
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    size_t l = strlen(e->d_name);
    if (l < 5 || strcmp(e->d_name + l - 4, ".srx") != 0)
      continue;
    if (PX_GROW(names, n, cap) < 0 || !(names[n] = px_strndup(e->d_name, l))) {
      rc = PX_ENOMEM;
      goto done;
    }
    n++;
  }
  if (n == 0) {
    rc = px_error_set(PX_EDICT, PX_ERRCLASS_SEGMENT, 0,
                      "%s: no .srx rule files", dir);
    goto done;
  }
  qsort(names, n, sizeof *names, name_cmp);
  for (size_t i = 0; i < n && rc == 0; i++) {
    char path[4096];
    int w = snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (w < 0 || (size_t)w >= sizeof path)
      rc = px_error_set(PX_ETOOBIG, PX_ERRCLASS_SEGMENT, 0, "%s: path too long",
                        dir);
    else
      rc = load_file(r, path);
  }
done:
  for (size_t i = 0; i < n; i++)
    px_free(names[i]);
  px_free(names);
  closedir(d);
  return rc;
}

int px_segment_rules_load(px_segment_rules **out, const char *path) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(path);
  px_segment_rules *r = px_calloc(1, sizeof *r);
  if (!r)
    return PX_ENOMEM;
  struct stat st;
  int rc;
  if (stat(path, &st) != 0)
    rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", path,
                      strerror(errno));
  else if (S_ISDIR(st.st_mode))
    rc = load_dir(r, path);
  else
    rc = load_file(r, path);
  if (rc < 0) {
    px_segment_rules_free(r);
    return rc;
  }
  *out = r;
  return 0;
}

int px_segment_rules_load_mem(px_segment_rules **out, const char *xml,
                              size_t len, const char *name) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(xml || len == 0);
  px_segment_rules *r = px_calloc(1, sizeof *r);
  if (!r)
    return PX_ENOMEM;
  int rc = px_srx__parse(r, xml, len, name);
  if (rc < 0) {
    px_segment_rules_free(r);
    return rc;
  }
  *out = r;
  return 0;
}

int px_segment_rules_default(px_segment_rules **out) {
  PX_ASSERT_ARG(out);
  char dir[4096];
  int rc = px_dict_path(dir, sizeof dir, "srx");
  if (rc < 0)
    return rc;
  struct stat st;
  if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
    return px_error_set(PX_EDICT, PX_ERRCLASS_SEGMENT, 0,
                        "%s: segmentation rules not found (set "
                        "PARALLAX_DICTDIR?)",
                        dir);
  return px_segment_rules_load(out, dir);
}

size_t px_segment_rules_count(const px_segment_rules *rules, const char *lang) {
  const px_srx_unit **arr = NULL;
  size_t n = 0, nr = 0;
  if (!rules || !lang || px_srx__select(&arr, &n, &nr, rules, lang) < 0)
    return 0;
  px_free(arr);
  return nr;
}

void px_segment_rules_free(px_segment_rules *rules) {
  if (!rules)
    return;
  px_srx__dispose(rules);
  px_free(rules);
}

/* ---- characters -------------------------------------------------------- */

/* Character classes, decided by ICU properties and cached for the BMP in a
 * table built once: the segmenter asks for every character of the input,
 * and a table lookup is many times cheaper than a property query. */
enum { K_SPACE = 1, K_TERM = 2, K_CLOSER = 4 };

/* White space as segmentation sees it: Unicode white space, not ZWNJ/ZWJ. */
static int icu_space(UChar32 c) { return c == 0xfeff || u_isUWhiteSpace(c); }

/* Sentence terminators: '.', Sentence_Terminal (! ? ؟ ۔ । 。 ...) and the
 * ellipsis. */
static int icu_term(UChar32 c) {
  return c == 0x2026 || u_hasBinaryProperty(c, UCHAR_S_TERM);
}

/* Characters that close after a terminator: quotes and closing brackets. */
static int icu_closer(UChar32 c) {
  int8_t t = u_charType(c);
  return t == U_FINAL_PUNCTUATION || t == U_END_PUNCTUATION ||
         t == U_INITIAL_PUNCTUATION /* “ used as a closer */ || c == '"' ||
         c == '\'';
}

static unsigned char char_class[0x10000];
static pthread_once_t class_once = PTHREAD_ONCE_INIT;

static void build_classes(void) {
  for (UChar32 c = 0; c < 0x10000; c++)
    char_class[c] = (unsigned char)((icu_space(c) ? K_SPACE : 0) |
                                    (icu_term(c) ? K_TERM : 0) |
                                    (icu_closer(c) ? K_CLOSER : 0));
}

static inline unsigned klass(UChar32 c) {
  if (c < 0x10000)
    return char_class[c];
  return (unsigned)((icu_space(c) ? K_SPACE : 0) | (icu_term(c) ? K_TERM : 0) |
                    (icu_closer(c) ? K_CLOSER : 0));
}

static inline int is_space(UChar32 c) { return (klass(c) & K_SPACE) != 0; }
static inline int is_term(UChar32 c) { return (klass(c) & K_TERM) != 0; }
static inline int is_closer(UChar32 c) { return (klass(c) & K_CLOSER) != 0; }

/* ---- per-call state ---------------------------------------------------- */

typedef struct seg_line {
  size_t ts, te;     /* trimmed content, byte offsets */
  size_t cps;        /* code points in [ts, te) */
  size_t first_word; /* code points of the first word */
  int ends_term;     /* final punctuation (after closers) */
  int starts_lower;  /* the first letter is lower case */
  int starts_item;   /* opens with a bullet or a list number: "• ", "2. " */
} seg_line;

typedef struct seg_ctx {
  const char *src;
  size_t srclen;
  int lines_mode;
  const px_segment_opts *opts; /* for the progress callback */
  size_t next_report;          /* input offset of the next progress call */
  const px_srx_unit **units;
  size_t nunits;
  URegularExpression **re;  /* per-call clones, 3 per unit, made lazily */
  unsigned *re_gen;         /* the block whose text each clone has */
  URegularExpression **one; /* clones of each grouped rule on its own */
  unsigned *one_gen;
  size_t *one_off; /* unit i's rules start at one[one_off[i]] */
  size_t nrules;
  unsigned gen;
  UBreakIterator *bi;
  URegularExpression *dateline;
  const UNormalizer2 *nfc;
  /* block buffers */
  UChar *u;
  uint32_t *map; /* UTF-16 unit -> byte offset relative to the block */
  unsigned char *cand;
  size_t ucap;
  UChar *tmp;
  size_t tmpcap;
  /* paragraph lines */
  seg_line *lines;
  size_t nlines, caplines;
  size_t paragraph;
  /* results */
  px_segment *items; /* text holds the arena offset until the end */
  size_t nitems, capitems;
  px_buf arena;
} seg_ctx;

static int uerr(UErrorCode st, const char *what) {
  return px_error_set(PX_EUNICODE, PX_ERRCLASS_SEGMENT, (long)st, "%s: %s",
                      what, u_errorName(st));
}

static int ensure_u(seg_ctx *c, size_t n) {
  if (n + 1 <= c->ucap)
    return 0;
  size_t cap = c->ucap ? c->ucap : 1024;
  while (cap < n + 1)
    cap *= 2;
  UChar *u = px_realloc(c->u, cap * sizeof *u);
  if (!u)
    return PX_ENOMEM;
  c->u = u;
  uint32_t *m = px_realloc(c->map, cap * sizeof *m);
  if (!m)
    return PX_ENOMEM;
  c->map = m;
  unsigned char *k = px_realloc(c->cand, cap);
  if (!k)
    return PX_ENOMEM;
  c->cand = k;
  c->ucap = cap;
  return 0;
}

static int ensure_tmp(seg_ctx *c, size_t n) {
  if (n + 1 <= c->tmpcap)
    return 0;
  size_t cap = c->tmpcap ? c->tmpcap : 256;
  while (cap < n + 1)
    cap *= 2;
  UChar *t = px_realloc(c->tmp, cap * sizeof *t);
  if (!t)
    return PX_ENOMEM;
  c->tmp = t;
  c->tmpcap = cap;
  return 0;
}

enum { RE_NO, RE_YES, RE_BEFORE, RE_AFTER, RE_SLOTS };

/* Point re at the current block (once per block).  Combined patterns and
 * filters are matched with lookingAt at the candidate: transparent bounds
 * let their lookbehind see the text before, and without anchoring bounds
 * ^ and $ mean the block's ends.  A separate <beforebreak> is matched in a
 * window that ends at the candidate, where \z must match the window's end:
 * anchoring bounds. */
static int retext(seg_ctx *c, URegularExpression *re, unsigned *gen,
                  int anchoring, int32_t n) {
  if (*gen == c->gen)
    return 0;
  UErrorCode st = U_ZERO_ERROR;
  uregex_setText(re, c->u, n, &st);
  uregex_useTransparentBounds(re, 1, &st);
  uregex_useAnchoringBounds(re, anchoring, &st);
  if (U_FAILURE(st))
    return uerr(st, "setting rule text");
  *gen = c->gen;
  return 0;
}

/* A per-call clone of tpl in *slot, made on first use, on the block. */
static URegularExpression *cloned(seg_ctx *c, URegularExpression **slot,
                                  unsigned *gen, const URegularExpression *tpl,
                                  int anchoring, int32_t n, int *rc) {
  if (!*slot) {
    UErrorCode st = U_ZERO_ERROR;
    *slot = uregex_clone(tpl, &st);
    if (U_FAILURE(st)) {
      *slot = NULL;
      *rc = uerr(st, "cloning a rule");
      return NULL;
    }
    *gen = 0;
  }
  *rc = retext(c, *slot, gen, anchoring, n);
  return *rc < 0 ? NULL : *slot;
}

/* Is re matched at q (lookingAt)?  1, 0, or < 0. */
static int looking_at(URegularExpression *re, int32_t q, int32_t n) {
  UErrorCode st = U_ZERO_ERROR;
  uregex_setRegion(re, q, n, &st);
  UBool ok = uregex_lookingAt(re, -1, &st);
  if (U_FAILURE(st))
    return uerr(st, "matching a rule");
  return ok ? 1 : 0;
}

/* Does rule k of unit i match at q?  1, 0, or < 0. */
static int rule_matches(seg_ctx *c, size_t i, size_t k, int32_t q, int32_t n) {
  const px_srx_unit *un = c->units[i];
  const px_srx_rule *r = &un->rules[k];
  int rc = 0;
  if (r->combined) {
    size_t at = c->one_off[i] + k;
    URegularExpression *re =
        cloned(c, &c->one[at], &c->one_gen[at], r->combined, 0, n, &rc);
    return re ? looking_at(re, q, n) : rc;
  }
  if (r->after) {
    URegularExpression *re =
        cloned(c, &c->re[RE_SLOTS * i + RE_AFTER],
               &c->re_gen[RE_SLOTS * i + RE_AFTER], r->after, 0, n, &rc);
    if (!re)
      return rc;
    int m = looking_at(re, q, n);
    if (m <= 0)
      return m;
  }
  if (r->before) {
    URegularExpression *re =
        cloned(c, &c->re[RE_SLOTS * i + RE_BEFORE],
               &c->re_gen[RE_SLOTS * i + RE_BEFORE], r->before, 1, n, &rc);
    if (!re)
      return rc;
    UErrorCode st = U_ZERO_ERROR;
    int32_t from =
        q > PX_SEGMENT__BEFORE_WINDOW ? q - PX_SEGMENT__BEFORE_WINDOW : 0;
    uregex_setRegion(re, from, q, &st);
    UBool ok = uregex_findNext(re, &st);
    if (U_FAILURE(st))
      return uerr(st, "matching <beforebreak>");
    return ok ? 1 : 0;
  }
  return 1; /* both empty: matches everywhere */
}

/* The decision at candidate q of a block of n units, where dflt is ICU's
 * (1 break, 0 not): the break value of the first rule that matches, else
 * dflt; < 0 an error code.  Only a rule of the other kind can change
 * dflt, so the units' filters for that kind are asked first; in the
 * common case none matches and no rule is tried on its own. */
static int rules_decide(seg_ctx *c, int32_t q, int32_t n, int dflt) {
  int rc = 0;
  int other = !dflt, need = 0;
  for (size_t i = 0; i < c->nunits && !need; i++) {
    const px_srx_unit *un = c->units[i];
    if (!un->combined) {
      need = 1;
      break;
    }
    if (!un->group[other])
      continue;
    URegularExpression *re = cloned(c, &c->re[RE_SLOTS * i + (size_t)other],
                                    &c->re_gen[RE_SLOTS * i + (size_t)other],
                                    un->group[other], 0, n, &rc);
    if (!re)
      return rc;
    int m = looking_at(re, q, n);
    if (m < 0)
      return m;
    need = m;
  }
  if (!need)
    return dflt;
  for (size_t i = 0; i < c->nunits; i++)
    for (size_t k = 0; k < c->units[i]->count; k++) {
      int m = rule_matches(c, i, k, q, n);
      if (m < 0)
        return m;
      if (m)
        return c->units[i]->rules[k].brk;
    }
  return dflt;
}

/* ---- lists: "1. a 2. b", "a) x b) y", "• x • y" on one line ------------- */

typedef struct marker {
  int32_t start, end; /* [start, end) covers bullet, number/letter, punct */
  UChar bullet;       /* 0 if none */
  int kind;           /* 0 none, 1 number, 2 letter */
  long value;         /* number, or the letter's code */
  int punct;          /* 1 ".", 2 ")", 3 ".)" */
} marker;

static int is_bullet(UChar ch) {
  return ch == 0x2022 || ch == 0x25e6 || ch == 0x2023 || ch == 0x2043 ||
         ch == 0x25aa || ch == 0x25cf || ch == 0x00b7 || ch == '*';
}

/* Parse a list marker at u[i] (a token start); 1 if there is one. */
static int parse_marker(const UChar *u, int32_t i, int32_t e, marker *m) {
  memset(m, 0, sizeof *m);
  m->start = i;
  int32_t j = i;
  if (j < e && is_bullet(u[j])) {
    m->bullet = u[j++];
    while (j < e && u[j] == ' ')
      j++;
  }
  int32_t k = j;
  long v = 0;
  /* digits of any script: 1., ۱., १. */
  while (k < e && k - j < 3 && u_isdigit(u[k]))
    v = v * 10 + u_charDigitValue(u[k++]);
  if (k > j && !(k < e && u_isdigit(u[k]))) {
    m->kind = 1;
    m->value = v;
  } else if (j < e &&
             ((u[j] >= 'a' && u[j] <= 'z') || (u[j] >= 'A' && u[j] <= 'Z')) &&
             j + 1 < e && (u[j + 1] == '.' || u[j + 1] == ')')) {
    k = j + 1;
    m->kind = 2;
    m->value = u[j];
  } else {
    k = j;
  }
  if (m->kind) {
    if (k < e && u[k] == '.' && k + 1 < e && u[k + 1] == ')') {
      m->punct = 3;
      k += 2;
    } else if (k < e && u[k] == '.') {
      m->punct = 1;
      k++;
    } else if (k < e && u[k] == ')') {
      m->punct = 2;
      k++;
    } else {
      m->kind = 0; /* a bare number is not a marker */
      k = j;
    }
    /* the marker must be followed by a space (or end the text) */
    if (m->kind && k < e && u[k] != ' ') {
      m->kind = 0;
      k = j;
    }
  }
  m->end = k;
  return m->bullet != 0 || m->kind != 0;
}

static int marker_follows(const marker *first, const marker *prev,
                          const marker *m) {
  if (m->bullet != first->bullet || m->kind != first->kind ||
      m->punct != first->punct)
    return 0;
  if (m->kind)
    return m->value == prev->value + 1;
  return 1;
}

/* Mark forced breaks before each item and vetoes inside the markers. */
static void mark_lists(seg_ctx *c, int32_t s, int32_t e) {
  marker first, prev, m;
  if (!parse_marker(c->u, s, e, &first))
    return;
  /* a lone bulletless letter "A. Smith" is an initial, not a list */
  if (first.kind == 2 && !first.bullet && first.punct == 1 &&
      first.value >= 'A' && first.value <= 'Z')
    return;
  for (int32_t k = first.start + 1; k <= first.end && k < e; k++)
    c->cand[k] |= C_VETO;
  prev = first;
  for (int32_t i = first.end; i < e; i++) {
    if (c->u[i] != ' ' || i + 1 >= e || c->u[i + 1] == ' ')
      continue;
    if (!parse_marker(c->u, i + 1, e, &m) || !marker_follows(&first, &prev, &m))
      continue;
    int32_t q = i;
    while (q > s && c->u[q - 1] == ' ')
      q--;
    c->cand[q] |= C_FORCE;
    for (int32_t k = m.start + 1; k <= m.end && k < e; k++)
      c->cand[k] |= C_VETO;
    prev = m;
    i = m.end - 1;
  }
}

/* ---- classification ----------------------------------------------------- */

static px_segment_kind classify(const UChar *t, int32_t n) {
  int32_t words = 0, digit_words = 0, letters = 0, upper = 0;
  int in_word = 0, word_has_digit = 0;
  UChar32 first_cp = 0, second_first = 0;
  int32_t i = 0;
  int32_t first_word_len = 0;
  while (i < n) {
    UChar32 ch;
    U16_NEXT(t, i, n, ch);
    if (ch == ' ') {
      if (in_word) {
        words++;
        digit_words += word_has_digit;
      }
      in_word = 0;
      word_has_digit = 0;
      continue;
    }
    if (!in_word) {
      if (words == 1)
        second_first = ch;
      if (words == 0)
        first_cp = ch;
    }
    if (words == 0)
      first_word_len++;
    in_word = 1;
    if (u_isdigit(ch))
      word_has_digit = 1;
    if (u_isalpha(ch)) {
      letters++;
      if (u_isupper(ch))
        upper++;
    }
  }
  if (in_word) {
    words++;
    digit_words += word_has_digit;
  }
  UChar32 last = n > 0 ? t[n - 1] : 0;
  if (words >= 2 && words <= 8 && first_word_len == 2 &&
      (first_cp == 'B' || first_cp == 'b') && t[1] == 'y' &&
      u_isupper(second_first))
    return PX_SEG_BYLINE;
  if (last == ':')
    return PX_SEG_HEADLINE;
  /* SPUTNIK/MNA, AFP; an all-capitals headline is longer */
  if (letters >= 2 && upper == letters && words <= 3)
    return PX_SEG_FURNITURE;
  if (words == 1) /* Tags, Comments, Share */
    return PX_SEG_FURNITURE;
  if (digit_words > 0 && words <= 4) /* News ID 124464 */
    return PX_SEG_FURNITURE;
  if (digit_words * 2 >= words)
    return PX_SEG_FURNITURE;
  return PX_SEG_HEADLINE;
}

/* Does the UTF-16 text end with final punctuation (after closers)? */
static int u_ends_term(const UChar *t, int32_t n) {
  int32_t i = n;
  while (i > 0) {
    UChar32 ch;
    U16_PREV(t, 0, i, ch);
    if (is_closer(ch))
      continue;
    return is_term(ch);
  }
  return 0;
}

/* ---- emitting a segment -------------------------------------------------- */

static int emit(seg_ctx *c, size_t base, int32_t a, int32_t b, int block_start,
                const size_t *line_starts, size_t nls,
                const size_t *line_ends) {
  /* collapse white space into tmp */
  int rc = ensure_tmp(c, (size_t)(b - a));
  if (rc < 0)
    return rc;
  int32_t n = 0;
  int sp = 0;
  /* same: the original bytes are the normalized text if every space was a
   * single ' ' (no NBSP, tab, line break or run) and the text is NFC */
  int same = 1;
  const char *src = c->src + base;
  UChar top = 0; /* NFC can only change text with a character >= U+0300 */
  for (int32_t i = a; i < b; i++) {
    UChar ch = c->u[i];
    top |= ch;
    if (ch == ' ') {
      if (sp || src[c->map[i]] != ' ')
        same = 0;
      sp = 1;
      continue;
    }
    if (sp && n > 0)
      c->tmp[n++] = ' ';
    sp = 0;
    c->tmp[n++] = ch;
  }
  UErrorCode st = U_ZERO_ERROR;
  const UChar *txt = c->tmp;
  UChar *norm = NULL;
  int32_t tn = n;
  if (top >= 0x300 && unorm2_quickCheck(c->nfc, c->tmp, n, &st) != UNORM_YES) {
    st = U_ZERO_ERROR;
    int32_t need = unorm2_normalize(c->nfc, c->tmp, n, NULL, 0, &st);
    st = U_ZERO_ERROR;
    norm = px_malloc(((size_t)need + 1) * sizeof *norm);
    if (!norm)
      return PX_ENOMEM;
    tn = unorm2_normalize(c->nfc, c->tmp, n, norm, need + 1, &st);
    if (U_FAILURE(st)) {
      px_free(norm);
      return uerr(st, "NFC");
    }
    txt = norm;
    same = 0;
  }
  if (PX_GROW(c->items, c->nitems, c->capitems) < 0) {
    px_free(norm);
    return PX_ENOMEM;
  }
  px_segment *sg = &c->items[c->nitems];
  memset(sg, 0, sizeof *sg);
  rc = px_buf_reserve(&c->arena, (size_t)tn * 3 + 1);
  if (rc < 0) {
    px_free(norm);
    return rc == PX_ETOOBIG
               ? px_error_set(PX_ETOOBIG, PX_ERRCLASS_SEGMENT, 0,
                              "segment texts exceed %zu bytes", SEG_ARENA_MAX)
               : rc;
  }
  size_t text_off = c->arena.len;
  int32_t w = 0;
  if (same) {
    w = (int32_t)(c->map[b] - c->map[a]);
    memcpy(c->arena.ptr + c->arena.len, src + c->map[a], (size_t)w);
  } else {
    st = U_ZERO_ERROR;
    u_strToUTF8(c->arena.ptr + c->arena.len, (int32_t)(tn * 3 + 1), &w, txt, tn,
                &st);
    if (U_FAILURE(st)) {
      px_free(norm);
      return uerr(st, "UTF-16 to UTF-8");
    }
  }
  c->arena.len += (size_t)w;
  c->arena.ptr[c->arena.len++] = '\0';
  /* an offset for now: the arena may still move */
  sg->text = (const char *)(uintptr_t)text_off;
  sg->len = (size_t)w;
  sg->start = base + c->map[a];
  sg->end = base + c->map[b];
  sg->paragraph = c->paragraph;
  sg->kind = PX_SEG_SENTENCE;
  int term = u_ends_term(txt, tn);
  if (!term)
    sg->flags |= PX_SEGF_NOTERM;
  int whole_line = 0;
  for (size_t i = 0; i < nls; i++)
    if (line_starts[i] == sg->start) {
      whole_line = line_ends[i] == sg->end;
      break;
    }
  if (whole_line)
    sg->flags |= PX_SEGF_LINE;
  if (!term && whole_line)
    sg->kind = classify(txt, tn);
  /* a dateline has a dash within its first 80 units: look before asking
   * the regex */
  int dash = 0;
  for (int32_t i = 0; i < tn && i < 80 && !dash; i++)
    dash = txt[i] == '-' || txt[i] == 0x2013 || txt[i] == 0x2014;
  if (dash && c->dateline && (block_start || whole_line)) {
    st = U_ZERO_ERROR;
    uregex_setText(c->dateline, txt, tn, &st);
    if (U_SUCCESS(st) && uregex_lookingAt(c->dateline, 0, &st) &&
        U_SUCCESS(st) && sg->kind == PX_SEG_SENTENCE)
      sg->flags |= PX_SEGF_DATELINE;
    uregex_setText(c->dateline, NULL, 0, &st);
  }
  px_free(norm);
  c->nitems++;
  return 0;
}

/* ---- one block: a run of lines segmented together --------------------- */

static int do_block(seg_ctx *c, size_t first_line, size_t last_line) {
  size_t base = c->lines[first_line].ts;
  size_t bend = c->lines[last_line].te;
  size_t nbytes = bend - base;
  int rc = ensure_u(c, nbytes);
  if (rc < 0)
    return rc;
  /* decode into UTF-16 with the byte map; line ends and spaces -> ' ' */
  const uint8_t *s = (const uint8_t *)c->src + base;
  int32_t n = 0;
  int32_t i = 0;
  while ((size_t)i < nbytes) {
    int32_t at = i;
    UChar32 ch;
    if (s[i] < 0x80) {
      ch = s[i++];
    } else {
      U8_NEXT_UNSAFE(s, i, ch);
    }
    if (is_space(ch))
      ch = ' ';
    if (ch <= 0xffff) {
      c->map[n] = (uint32_t)at;
      c->u[n++] = (UChar)ch;
    } else {
      c->map[n] = (uint32_t)at;
      c->u[n++] = U16_LEAD(ch);
      c->map[n] = (uint32_t)at;
      c->u[n++] = U16_TRAIL(ch);
    }
  }
  c->map[n] = (uint32_t)nbytes;
  c->u[n] = 0;
  c->gen++;
  memset(c->cand, 0, (size_t)n + 1);

  size_t nls = last_line - first_line + 1;
  size_t ls_small[16], le_small[16];
  size_t *line_starts = ls_small, *line_ends = le_small;
  if (nls > 16) {
    line_starts = px_malloc(nls * sizeof *line_starts);
    line_ends = px_malloc(nls * sizeof *line_ends);
    if (!line_starts || !line_ends) {
      rc = PX_ENOMEM;
      goto done;
    }
  }
  for (size_t k = 0; k < nls; k++) {
    line_starts[k] = c->lines[first_line + k].ts;
    line_ends[k] = c->lines[first_line + k].te;
  }

  /* candidates: ICU boundaries, moved back over the white space */
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(c->bi, c->u, n, &st);
  if (U_FAILURE(st)) {
    rc = uerr(st, "ubrk_setText");
    goto done;
  }
  for (int32_t p = ubrk_next(c->bi); p != UBRK_DONE && p < n;
       p = ubrk_next(c->bi)) {
    int32_t q = p;
    while (q > 0 && c->u[q - 1] == ' ')
      q--;
    /* French spacing puts a space before the closing quote: "lutte. »".
     * ICU breaks before the quote; the sentence ends after it. */
    if (q > 0 && q + 1 < n && c->u[q] == ' ' && is_term(c->u[q - 1])) {
      int32_t k = q + 1;
      /* only true closers: an opening « after the space starts the next
       * sentence */
      while (k < n && (u_charType(c->u[k]) == U_FINAL_PUNCTUATION ||
                       u_charType(c->u[k]) == U_END_PUNCTUATION))
        k++;
      if (k > q + 1 && (k == n || c->u[k] == ' '))
        q = k;
    }
    if (q > 0)
      c->cand[q] |= C_ICU;
  }
  /* candidates: after each run of terminators and closers */
  for (int32_t k = 0; k < n; k++) {
    UChar ch = c->u[k];
    if (!(char_class[ch] & K_TERM))
      continue;
    int32_t j = k + 1;
    while (j < n && (is_term(c->u[j]) || is_closer(c->u[j])))
      j++;
    if (j < n)
      c->cand[j] |= C_TERM;
    k = j - 1;
  }
  mark_lists(c, 0, n);

  /* decide, emit */
  int32_t start = 0;
  for (int32_t q = 1; q < n; q++) {
    unsigned char f = c->cand[q];
    if (!f)
      continue;
    int brk;
    if (f & C_FORCE)
      brk = 1;
    else if (f & C_VETO)
      brk = 0;
    else {
      brk = rules_decide(c, q, n, (f & C_ICU) != 0);
      if (brk < 0) {
        rc = brk;
        goto done;
      }
    }
    if (!brk)
      continue;
    int32_t a = start, b = q;
    while (a < b && c->u[a] == ' ')
      a++;
    while (b > a && c->u[b - 1] == ' ')
      b--;
    if (b > a) {
      rc = emit(c, base, a, b, a == 0, line_starts, nls, line_ends);
      if (rc < 0)
        goto done;
    }
    start = q;
  }
  {
    int32_t a = start, b = n;
    while (a < b && c->u[a] == ' ')
      a++;
    while (b > a && c->u[b - 1] == ' ')
      b--;
    if (b > a)
      rc = emit(c, base, a, b, a == 0, line_starts, nls, line_ends);
  }
done:
  if (line_starts != ls_small)
    px_free(line_starts);
  if (line_ends != le_small)
    px_free(line_ends);
  return rc;
}

/* ---- paragraphs -------------------------------------------------------- */

/* Measure line [ts, te) (already trimmed). */
static void measure(seg_ctx *c, seg_line *l) {
  const uint8_t *s = (const uint8_t *)c->src;
  /* code points: every byte that does not continue a sequence */
  size_t cps = 0;
  for (size_t i = l->ts; i < l->te; i++)
    cps += (s[i] & 0xc0) != 0x80;
  l->cps = cps;
  /* the first word and the first letter: decode from the front */
  l->first_word = 0;
  l->starts_lower = 0;
  size_t i = l->ts;
  int in_first = 1, seen_letter = 0;
  while (i < l->te && (in_first || !seen_letter)) {
    UChar32 ch;
    U8_NEXT_UNSAFE(s, i, ch);
    if (is_space(ch))
      in_first = 0;
    else if (in_first)
      l->first_word++;
    if (!seen_letter && u_isalpha(ch)) {
      seen_letter = 1;
      l->starts_lower = u_islower(ch);
    }
  }
  /* the final punctuation: decode from the back, over closers */
  l->ends_term = 0;
  i = l->te;
  while (i > l->ts) {
    UChar32 ch;
    U8_PREV_UNSAFE(s, i, ch);
    if (is_closer(ch))
      continue;
    l->ends_term = is_term(ch);
    break;
  }
  /* a list item: bullet, or 1-3 digits and '.' or ')' before a space */
  size_t j = l->ts;
  UChar32 f;
  U8_NEXT_UNSAFE(s, j, f);
  if (f < 0x10000 && is_bullet((UChar)f))
    l->starts_item = 1;
  else {
    /* 1-3 digits of any script */
    size_t k = l->ts, ndig = 0;
    while (k < l->te && ndig < 4) {
      size_t at = k;
      UChar32 d;
      U8_NEXT_UNSAFE(s, k, d);
      if (!u_isdigit(d)) {
        k = at;
        break;
      }
      ndig++;
    }
    l->starts_item = ndig >= 1 && ndig <= 3 && k + 1 < l->te &&
                     (s[k] == '.' || s[k] == ')') && s[k + 1] == ' ';
  }
}

static int flush_paragraph(seg_ctx *c) {
  size_t k = c->nlines;
  if (k == 0)
    return 0;
  size_t width = 0;
  for (size_t i = 0; i < k; i++)
    if (c->lines[i].cps > width)
      width = c->lines[i].cps;
  int prose = c->lines[k - 1].ends_term;
  size_t first = 0;
  int rc = 0;
  for (size_t i = 0; i < k; i++) {
    int join = 0;
    if (i + 1 < k && !c->lines_mode) {
      const seg_line *l = &c->lines[i], *nx = &c->lines[i + 1];
      if (nx->starts_item)
        join = 0; /* a list item starts a segment */
      else if (l->ends_term)
        join = 1;
      else if (prose && nx->starts_lower)
        join = 1;
      else if (prose && width >= 40 && l->cps + 1 + nx->first_word > width)
        join = 1; /* greedy wrapping broke here: the next word did not fit */
    }
    if (join)
      continue;
    rc = do_block(c, first, i);
    if (rc < 0)
      return rc;
    first = i + 1;
  }
  c->nlines = 0;
  c->paragraph++;
  return 0;
}

static int add_line(seg_ctx *c, size_t ls, size_t le) {
  const uint8_t *s = (const uint8_t *)c->src;
  /* trim white space (Unicode) at both ends */
  size_t a = ls, b = le;
  while (a < b) {
    size_t i = a;
    UChar32 ch;
    if (s[i] < 0x80) {
      ch = s[i++];
    } else {
      U8_NEXT_UNSAFE(s, i, ch);
    }
    if (!is_space(ch))
      break;
    a = i;
  }
  while (b > a) {
    size_t i = b;
    UChar32 ch;
    if (s[i - 1] < 0x80) {
      ch = s[--i];
    } else {
      U8_BACK_1_UNSAFE(s, i);
      size_t j = i;
      U8_NEXT_UNSAFE(s, j, ch);
    }
    if (!is_space(ch))
      break;
    b = i;
  }
  if (a == b) /* blank line: paragraph break */
    return flush_paragraph(c);
  if (PX_GROW(c->lines, c->nlines, c->caplines) < 0)
    return PX_ENOMEM;
  seg_line *l = &c->lines[c->nlines++];
  l->ts = a;
  l->te = b;
  measure(c, l);
  return 0;
}

/* Split the input into lines at LF, CRLF, CR, U+2028 (line separator) and
 * U+2029 (paragraph separator, which also ends the paragraph).  memchr
 * finds the line feeds; the rarer ends are looked for inside each line. */
static int scan(seg_ctx *c, size_t from) {
  const uint8_t *s = (const uint8_t *)c->src;
  size_t n = c->srclen, ls = from;
  int rc = 0;
  while (ls < n) {
    const uint8_t *nl = memchr(s + ls, '\n', n - ls);
    size_t le = nl ? (size_t)(nl - s) : n;
    size_t cut = le, next = nl ? le + 1 : n;
    int para = 0;
    const uint8_t *cr = memchr(s + ls, '\r', le - ls);
    if (cr) {
      cut = (size_t)(cr - s);
      next = cut + 1 + (cut + 1 < n && s[cut + 1] == '\n');
    }
    for (const uint8_t *e = memchr(s + ls, 0xe2, cut - ls); e;
         e = memchr(e + 1, 0xe2, cut - (size_t)(e + 1 - s))) {
      if ((size_t)(e - s) + 2 < n && e[1] == 0x80 &&
          (e[2] == 0xa8 || e[2] == 0xa9)) {
        cut = (size_t)(e - s);
        next = cut + 3;
        para = e[2] == 0xa9;
        break;
      }
      if ((size_t)(e + 1 - s) >= cut)
        break;
    }
    rc = add_line(c, ls, cut);
    if (rc == 0 && para)
      rc = flush_paragraph(c);
    if (rc < 0)
      return rc;
    ls = next;
    if (c->opts->progress && ls >= c->next_report) {
      c->next_report = ls + ((size_t)1 << 20);
      if (c->opts->progress(ls, n, c->opts->payload) != 0)
        return px_error_set(PX_ERROR, PX_ERRCLASS_SEGMENT, 0,
                            "stopped by the progress callback at byte %zu", ls);
    }
  }
  return flush_paragraph(c);
}

/* ---- the public call ---------------------------------------------------- */

/* Big output buffers are written once, front to back; on Linux, ask for
 * transparent huge pages so that filling them costs a few page faults
 * instead of one per 4 KiB (a measurable share of the time on a VM). */
static void hint_huge(void *p, size_t n) {
#if defined(MADV_HUGEPAGE)
  const size_t huge = (size_t)2 << 20;
  if (n < 2 * huge)
    return;
  uintptr_t a = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
  uintptr_t e = ((uintptr_t)p + n) & ~(uintptr_t)(huge - 1);
  if (e > a)
    (void)madvise((void *)a, e - a, MADV_HUGEPAGE);
#else
  (void)p;
  (void)n;
#endif
}

const char *px_segment_kind_name(px_segment_kind kind) {
  switch (kind) {
  case PX_SEG_SENTENCE: return "sentence";
  case PX_SEG_HEADLINE: return "headline";
  case PX_SEG_FURNITURE: return "furniture";
  case PX_SEG_BYLINE: return "byline";
  }
  return "sentence";
}

void px_segment_list_free(px_segment_list *list) {
  if (!list)
    return;
  if (list->count)
    px_free((void *)list->items[0].text);
  px_free(list->items);
  px_free(list);
}

static void ctx_dispose(seg_ctx *c) {
  for (size_t i = 0; i < c->nunits; i++) {
    for (size_t k = 0; c->re && k < RE_SLOTS; k++)
      if (c->re[RE_SLOTS * i + k])
        uregex_close(c->re[RE_SLOTS * i + k]);
  }
  px_free(c->re);
  px_free(c->re_gen);
  for (size_t i = 0; c->one && i < c->nrules; i++)
    if (c->one[i])
      uregex_close(c->one[i]);
  px_free(c->one);
  px_free(c->one_gen);
  px_free(c->one_off);
  px_free(c->units);
  if (c->bi)
    ubrk_close(c->bi);
  if (c->dateline)
    uregex_close(c->dateline);
  px_free(c->u);
  px_free(c->map);
  px_free(c->cand);
  px_free(c->tmp);
  px_free(c->lines);
  px_free(c->items);
  px_buf_dispose(&c->arena);
}

int px_segment_split(px_segment_list **out, const px_segment_rules *rules,
                     const char *text, size_t len,
                     const px_segment_opts *opts) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(text || len == 0);
  px_segment_opts defaults = PX_SEGMENT_OPTS_INIT;
  if (!opts)
    opts = &defaults;
  if (opts->version != PX_SEGMENT_OPTS_VERSION)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                        "px_segment_opts version %u, expected %u",
                        opts->version, PX_SEGMENT_OPTS_VERSION);
  size_t max = opts->max_input ? opts->max_input : SEG_DEFAULT_MAX;
  if (len > max)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_SEGMENT, 0,
                        "input of %zu bytes exceeds the limit of %zu", len,
                        max);
  if (len > UINT32_MAX / 2)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_SEGMENT, 0,
                        "input of %zu bytes is too large", len);
  int rc = 0;
  pthread_once(&class_once, build_classes);
  if (len > 0) {
    size_t bad = 0;
    rc = px_text_validate(text, len, &bad);
    if (rc < 0)
      return px_error_set(PX_EENCODING, PX_ERRCLASS_TEXT, 0,
                          "invalid UTF-8 at byte %zu", bad);
  }
  if (!rules) {
    rules = px_segment__default_rules(&rc);
    if (!rules)
      return rc;
  }
  seg_ctx c;
  memset(&c, 0, sizeof c);
  px_buf_init(&c.arena, SEG_ARENA_MAX);
  px_segment_list *list = px_calloc(1, sizeof *list);
  if (!list)
    return PX_ENOMEM;
  const char *lang = opts->lang;
  if (!lang || !lang[0])
    lang = px_text_guess_lang(text ? text : "", len, "en");
  if (strlen(lang) >= sizeof list->lang) {
    rc = px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                      "language tag too long: \"%.40s\"", lang);
    goto done;
  }
  memcpy(list->lang, lang, strlen(lang) + 1);
  /* the texts take about as many bytes as the input, and a segment per
   * ~100 bytes is usual: reserve once */
  rc = px_buf_reserve(&c.arena, len + 64);
  if (rc < 0)
    goto done;
  c.capitems = len / 96 + 16;
  c.items = px_malloc(c.capitems * sizeof *c.items);
  if (!c.items) {
    rc = PX_ENOMEM;
    goto done;
  }
  hint_huge(c.arena.ptr, len + 64);
  hint_huge(c.items, c.capitems * sizeof *c.items);
  c.src = text;
  c.srclen = len;
  c.lines_mode = (opts->flags & PX_SEGMENT_LINES) != 0;
  c.opts = opts;
  c.next_report = (size_t)1 << 20;
  size_t nrules = 0;
  rc = px_srx__select(&c.units, &c.nunits, &nrules, rules, lang);
  if (rc < 0)
    goto done;
  if (c.nunits) {
    c.re = px_calloc(c.nunits * RE_SLOTS, sizeof *c.re);
    c.re_gen = px_calloc(c.nunits * RE_SLOTS, sizeof *c.re_gen);
    c.one = px_calloc(nrules + 1, sizeof *c.one);
    c.one_gen = px_calloc(nrules + 1, sizeof *c.one_gen);
    c.one_off = px_calloc(c.nunits, sizeof *c.one_off);
    if (!c.re || !c.re_gen || !c.one || !c.one_gen || !c.one_off) {
      rc = PX_ENOMEM;
      goto done;
    }
    c.nrules = nrules;
    for (size_t i = 1; i < c.nunits; i++)
      c.one_off[i] = c.one_off[i - 1] + c.units[i - 1]->count;
  }
  UErrorCode st = U_ZERO_ERROR;
  char locale[64];
  int32_t pl = 0;
  uloc_forLanguageTag(lang, locale, sizeof locale, &pl, &st);
  if (U_FAILURE(st) || locale[0] == '\0') {
    st = U_ZERO_ERROR;
    locale[0] = '\0';
  }
  c.bi = ubrk_open(UBRK_SENTENCE, locale, NULL, 0, &st);
  if (U_FAILURE(st)) {
    c.bi = NULL;
    rc = uerr(st, "opening the sentence break iterator");
    goto done;
  }
  c.nfc = unorm2_getNFCInstance(&st);
  if (U_FAILURE(st)) {
    rc = uerr(st, "NFC instance");
    goto done;
  }
  pthread_once(&dateline_once, compile_dateline);
  if (dateline_re) {
    c.dateline = uregex_clone(dateline_re, &st);
    if (U_FAILURE(st)) {
      c.dateline = NULL;
      st = U_ZERO_ERROR;
    }
  }
  size_t from = 0;
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
    from = 3;
  rc = scan(&c, from);
  if (rc < 0)
    goto done;
  list->paragraphs = c.paragraph;
  if (c.nitems) {
    char *texts = px_buf_detach(&c.arena, NULL);
    if (!texts) {
      rc = PX_ENOMEM;
      goto done;
    }
    list->items = c.items;
    c.items = NULL;
    for (size_t i = 0; i < c.nitems; i++)
      list->items[i].text = texts + (uintptr_t)list->items[i].text;
    list->count = c.nitems;
  }
  /* The paragraph count ignores trailing blank lines. */
  if (list->count)
    list->paragraphs = list->items[list->count - 1].paragraph + 1;
  else
    list->paragraphs = 0;
  *out = list;
  list = NULL;
done:
  ctx_dispose(&c);
  px_segment_list_free(list);
  return rc;
}
