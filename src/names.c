/*
 * names.c: the names lexicon (parsing and validation), its compilation to a
 * Hunspell .aff/.dic pair, and the checker: phrase indexes over the
 * lexicon's English and source-language forms, the two Hunspell handles
 * (the compiled names dictionary and Debian's en_US, adjusted with
 * Hunspell_add_with_affix / Hunspell_remove) and the per-token verdict
 * cache that keeps Hunspell off the hot path.
 *
 * Hunspell's C API reports nothing on failure (Hunspell_create never
 * returns NULL for a missing file), so files are checked before it is
 * called; this file is the one place that turns Hunspell trouble into
 * PX_EDICT.
 */
#include "names.h"

#include "file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "error.h"
#include "mem.h"
#include "paths.h"

#define LEX_MAX_BYTES (64u * 1024u * 1024u) /* a lexicon larger is refused */
#define LEX_NCOLS 10
#define TOKCACHE_MAX (1u << 22) /* distinct tokens cached at most */

/* The example word whose en_US affix flags house spellings borrow (it has
 * the possessive flag M): Tehran -> Tehran's. */
#define EN_MODEL_WORD "Iran"

static const char *const col_names[LEX_NCOLS] = {
    "id",     "type",   "house", "also", "variants",
    "banned", "former", "fa",    "ru",   "ar"};

/* ---- small helpers ------------------------------------------------------ */

static int file_exists(const char *p) {
  struct stat st;
  return p && stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* Write data to path atomically: a temporary file beside it, renamed. */
static int write_atomic(const char *path, const char *data, size_t len) {
  px_buf tmp = PX_BUF_INIT;
  int rc = px_buf_printf(&tmp, "%s.tmp-XXXXXX", path);
  if (rc < 0)
    return rc;
  int fd = mkstemp(tmp.ptr);
  if (fd < 0) {
    rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", path,
                      strerror(errno));
    goto done;
  }
  FILE *f = fdopen(fd, "wb");
  if (!f) {
    close(fd);
    unlink(tmp.ptr);
    rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", path,
                      strerror(errno));
    goto done;
  }
  size_t w = fwrite(data, 1, len, f);
  int bad = w != len || fflush(f) != 0;
  if (fclose(f) != 0)
    bad = 1;
  if (bad || rename(tmp.ptr, path) != 0) {
    rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: cannot write: %s",
                      path, strerror(errno));
    unlink(tmp.ptr);
  }
done:
  px_buf_dispose(&tmp);
  return rc;
}

uint64_t px_names__key(const char *s, size_t len) {
  uint64_t h = px_text_hash(s, len);
  return h ? h : 1;
}

size_t px_names__possessive(const char *s, size_t len) {
  if (len > 2 && s[len - 1] == 's' && s[len - 2] == '\'')
    return 2;
  if (len > 4 && s[len - 1] == 's' &&
      memcmp(s + len - 4, "\xE2\x80\x99", 3) == 0)
    return 4;
  return 0;
}

int px_names__fold(px_buf *out, const char *s, size_t len) {
  px_buf_clear(out);
  int ascii = 1;
  for (size_t i = 0; i < len; i++)
    if ((unsigned char)s[i] >= 0x80) {
      ascii = 0;
      break;
    }
  if (ascii) {
    int rc = px_buf_reserve(out, len);
    if (rc < 0)
      return rc;
    for (size_t i = 0; i < len; i++) {
      char c = s[i];
      out->ptr[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out->len = len;
    out->ptr[len] = '\0';
    return 0;
  }
  char *norm = NULL;
  size_t nlen = 0;
  int rc = px_text_normalize(&norm, &nlen, s, len,
                             PX_NORM_NFC | PX_NORM_FOLD | PX_NORM_MARKS);
  if (rc < 0)
    return rc;
  rc = px_buf_put(out, norm, nlen);
  px_free(norm);
  return rc;
}

/* ---- the hash map ------------------------------------------------------- */

static int map_grow(names_map *m) {
  size_t ncap = m->cap ? m->cap * 2 : 64;
  uint64_t *nk = px_calloc(ncap, sizeof *nk);
  uint32_t *nh = px_calloc(ncap, sizeof *nh);
  if (!nk || !nh) {
    px_free(nk);
    px_free(nh);
    return PX_ENOMEM;
  }
  for (size_t i = 0; i < m->cap; i++) {
    if (!m->keys[i])
      continue;
    size_t j = m->keys[i] & (ncap - 1);
    while (nk[j])
      j = (j + 1) & (ncap - 1);
    nk[j] = m->keys[i];
    nh[j] = m->head[i];
  }
  px_free(m->keys);
  px_free(m->head);
  m->keys = nk;
  m->head = nh;
  m->cap = ncap;
  return 0;
}

static size_t map_slot(const names_map *m, uint64_t key) {
  size_t j = key & (m->cap - 1);
  while (m->keys[j] && m->keys[j] != key)
    j = (j + 1) & (m->cap - 1);
  return j;
}

int px_names__map_add(names_map *m, uint64_t key, uint32_t val) {
  if ((m->n + 1) * 2 > m->cap && map_grow(m) < 0)
    return PX_ENOMEM;
  if (m->nvals >= m->capvals) {
    size_t nc = m->capvals ? m->capvals * 2 : 64;
    uint32_t *nv = px_realloc(m->vals, nc * sizeof *nv);
    if (!nv)
      return PX_ENOMEM;
    m->vals = nv;
    uint32_t *nn = px_realloc(m->next, nc * sizeof *nn);
    if (!nn)
      return PX_ENOMEM;
    m->next = nn;
    m->capvals = nc;
  }
  size_t j = map_slot(m, key);
  uint32_t vi = (uint32_t)m->nvals++;
  m->vals[vi] = val;
  if (!m->keys[j]) {
    m->keys[j] = key;
    m->head[j] = vi;
    m->next[vi] = UINT32_MAX;
    m->n++;
  } else {
    /* append at the end so values keep insertion order */
    uint32_t p = m->head[j];
    while (m->next[p] != UINT32_MAX)
      p = m->next[p];
    m->next[p] = vi;
    m->next[vi] = UINT32_MAX;
  }
  return 0;
}

uint32_t px_names__map_first(const names_map *m, uint64_t key) {
  if (!m->cap)
    return UINT32_MAX;
  size_t j = map_slot(m, key);
  return m->keys[j] ? m->head[j] : UINT32_MAX;
}

int px_names__map_has(const names_map *m, uint64_t key) {
  return px_names__map_first(m, key) != UINT32_MAX;
}

void px_names__map_dispose(names_map *m) {
  px_free(m->keys);
  px_free(m->head);
  px_free(m->vals);
  px_free(m->next);
  memset(m, 0, sizeof *m);
}

/* ---- the lexicon -------------------------------------------------------- */

/* One parsed lexicon line: up to LEX_NCOLS fields, each a list of items
 * separated by '|'.  Points into the file's bytes. */
typedef struct lex_field {
  const char *s;
  size_t len;
} lex_field;

static int field_empty(lex_field f) {
  return f.len == 0 || (f.len == 1 && f.s[0] == '-');
}

/* Iterate the '|'-separated items of f: *pos starts at 0. */
static int next_item(lex_field f, size_t *pos, const char **s, size_t *len) {
  if (field_empty(f))
    return 0;
  while (*pos <= f.len) {
    size_t a = *pos, b = a;
    while (b < f.len && f.s[b] != '|')
      b++;
    *pos = b + 1;
    while (a < b && f.s[a] == ' ')
      a++;
    while (b > a && f.s[b - 1] == ' ')
      b--;
    if (b > a) {
      *s = f.s + a;
      *len = b - a;
      return 1;
    }
  }
  return 0;
}

static int lex_error(const char *path, unsigned line, const char *what) {
  return px_error_set(PX_EPARSE, PX_ERRCLASS_NAMES, 0, "%s:%u: %s", path, line,
                      what);
}

/* Callback per entity line. */
typedef int (*lex_fn)(void *ud, unsigned line, lex_field *cols);

static int lex_parse(const char *path, const char *s, size_t len, lex_fn fn,
                     void *ud) {
  size_t bad = 0;
  if (px_text_validate(s, len, &bad) < 0) {
    unsigned line = 1;
    for (size_t i = 0; i < bad; i++)
      line += s[i] == '\n';
    return px_error_set(PX_EENCODING, PX_ERRCLASS_NAMES, 0,
                        "%s:%u: invalid UTF-8 at byte %zu", path, line, bad);
  }
  size_t pos = 0;
  if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
    pos = 3;
  unsigned line = 0;
  while (pos < len) {
    line++;
    size_t e = pos;
    while (e < len && s[e] != '\n')
      e++;
    size_t le = e;
    if (le > pos && s[le - 1] == '\r')
      le--;
    const char *l = s + pos;
    size_t ll = le - pos;
    pos = e + 1;
    size_t k = 0;
    while (k < ll && (l[k] == ' ' || l[k] == '\t'))
      k++;
    if (k == ll || l[k] == '#')
      continue;
    lex_field cols[LEX_NCOLS];
    memset(cols, 0, sizeof cols);
    size_t c = 0, a = 0;
    for (size_t i = 0; i <= ll; i++) {
      if (i == ll || l[i] == '\t') {
        if (c >= LEX_NCOLS)
          return lex_error(path, line, "more than 10 tab-separated columns");
        cols[c].s = l + a;
        cols[c].len = i - a;
        c++;
        a = i + 1;
      }
    }
    if (c < 3)
      return lex_error(path, line,
                       "expected at least 3 tab-separated columns "
                       "(id, type, house)");
    /* id: [a-z0-9_.-]+ */
    if (cols[0].len == 0 || cols[0].len > 64)
      return lex_error(path, line, "empty or overlong entity id");
    for (size_t i = 0; i < cols[0].len; i++) {
      char ch = cols[0].s[i];
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' ||
            ch == '-' || ch == '.'))
        return lex_error(path, line,
                         "entity id must be lower-case ASCII letters, "
                         "digits, '_', '-' or '.'");
    }
    if (field_empty(cols[2]) || memchr(cols[2].s, '|', cols[2].len))
      return lex_error(path, line, "the house column needs one spelling");
    for (size_t i = 0; i < c; i++)
      for (size_t j = 0; j < cols[i].len; j++)
        if ((unsigned char)cols[i].s[j] < 0x20)
          return lex_error(path, line, "control character in a field");
    (void)col_names;
    int rc = fn(ud, line, cols);
    if (rc < 0)
      return rc;
  }
  return 0;
}

/* ---- compiling to Hunspell ---------------------------------------------- */

typedef struct dic_word {
  char *word;
  int house;     /* a word of an accepted form */
  int forbidden; /* a banned one-word spelling */
  px_buf ph;     /* " ph:Variant" fields */
} dic_word;

typedef struct compile_ctx {
  const char *path;
  dic_word *w;
  size_t n, cap;
  char **ids;
  size_t nids, capids;
} compile_ctx;

static dic_word *dic_find(compile_ctx *cc, const char *s, size_t len) {
  for (size_t i = 0; i < cc->n; i++)
    if (strlen(cc->w[i].word) == len && memcmp(cc->w[i].word, s, len) == 0)
      return &cc->w[i];
  if (PX_GROW(cc->w, cc->n, cc->cap) < 0)
    return NULL;
  dic_word *d = &cc->w[cc->n];
  memset(d, 0, sizeof *d);
  d->word = px_strndup(s, len);
  if (!d->word)
    return NULL;
  px_buf_init(&d->ph, 1u << 20);
  cc->n++;
  return d;
}

/* Split a spelling into words at spaces and hyphens (Hunspell checks single
 * words; hyphenated words are split by its BREAK rules as well). */
typedef struct word_span {
  const char *s;
  size_t len;
} word_span;

static size_t split_words(word_span *out, size_t max, const char *s,
                          size_t len) {
  size_t n = 0, a = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i == len || s[i] == ' ' || s[i] == '-') {
      if (i > a && n < max) {
        out[n].s = s + a;
        out[n].len = i - a;
        n++;
      }
      a = i + 1;
    }
  }
  return n;
}

static int compile_line(void *ud, unsigned line, lex_field *cols) {
  compile_ctx *cc = ud;
  for (size_t i = 0; i < cc->nids; i++)
    if (strlen(cc->ids[i]) == cols[0].len &&
        memcmp(cc->ids[i], cols[0].s, cols[0].len) == 0)
      return lex_error(cc->path, line, "duplicate entity id");
  if (PX_GROW(cc->ids, cc->nids, cc->capids) < 0)
    return PX_ENOMEM;
  cc->ids[cc->nids] = px_strndup(cols[0].s, cols[0].len);
  if (!cc->ids[cc->nids])
    return PX_ENOMEM;
  cc->nids++;

  /* accepted forms: house, also, former (name before '@') */
  word_span acc[64][16];
  size_t accn[64];
  size_t nacc = 0;
  static const int acc_cols[] = {2, 3, 6};
  for (size_t k = 0; k < 3; k++) {
    size_t pos = 0;
    const char *s;
    size_t len;
    while (next_item(cols[acc_cols[k]], &pos, &s, &len)) {
      const char *at = memchr(s, '@', len);
      if (at)
        len = (size_t)(at - s);
      while (len && s[len - 1] == ' ')
        len--;
      if (nacc < 64) {
        accn[nacc] = split_words(acc[nacc], 16, s, len);
        for (size_t j = 0; j < accn[nacc]; j++) {
          dic_word *d = dic_find(cc, acc[nacc][j].s, acc[nacc][j].len);
          if (!d)
            return PX_ENOMEM;
          d->house = 1;
        }
        nacc++;
      }
    }
  }
  /* variants and banned: word-by-word against the accepted form with the
   * same number of words, so "Fateh al-Sham" gives Fatah ph:Fateh */
  for (int kcol = 4; kcol <= 5; kcol++) {
    size_t pos = 0;
    const char *s;
    size_t len;
    while (next_item(cols[kcol], &pos, &s, &len)) {
      word_span vw[16];
      size_t nv = split_words(vw, 16, s, len);
      if (kcol == 5 && nv == 1) {
        dic_word *d = dic_find(cc, vw[0].s, vw[0].len);
        if (!d)
          return PX_ENOMEM;
        d->forbidden = 1;
      }
      for (size_t a = 0; a < nacc; a++) {
        if (accn[a] != nv)
          continue;
        for (size_t j = 0; j < nv; j++) {
          if (vw[j].len == acc[a][j].len &&
              memcmp(vw[j].s, acc[a][j].s, vw[j].len) == 0)
            continue;
          dic_word *d = dic_find(cc, acc[a][j].s, acc[a][j].len);
          if (!d)
            return PX_ENOMEM;
          /* ph: values may not contain spaces; one field per variant */
          px_buf probe = PX_BUF_INIT;
          int rc = px_buf_printf(&probe, " ph:%.*s", (int)vw[j].len, vw[j].s);
          if (rc == 0 && !(d->ph.ptr && strstr(d->ph.ptr, probe.ptr)))
            rc = px_buf_put(&d->ph, probe.ptr, probe.len);
          px_buf_dispose(&probe);
          if (rc < 0)
            return rc;
        }
        break;
      }
    }
  }
  return 0;
}

static int cmp_dic_word(const void *a, const void *b) {
  return strcmp(((const dic_word *)a)->word, ((const dic_word *)b)->word);
}

/* The transliteration patterns shared by REP and MAP, both cases. */
static const char *const rep_pairs[][2] = {
    {"ou", "u"},  {"u", "ou"},  {"ou", "o"}, {"o", "ou"}, {"ow", "ou"},
    {"ou", "ow"}, {"e", "a"},   {"a", "e"},  {"w", "v"},  {"v", "w"},
    {"kh", "h"},  {"h", "kh"},  {"q", "k"},  {"k", "q"},  {"q", "g"},
    {"g", "q"},   {"k", "g"},   {"g", "k"},  {"dh", "d"}, {"d", "dh"},
    {"dh", "z"},  {"z", "dh"},  {"ee", "i"}, {"i", "ee"}, {"aa", "a"},
    {"a", "aa"},  {"ss", "s"},  {"s", "ss"}, {"dd", "d"}, {"i", "y"},
    {"y", "i"},   {"ei", "ey"}, {"j", "zh"}, {"zh", "j"}, {"sh", "ch"},
    {"ch", "sh"}, {"i", "e"},   {"e", "i"},  {"o", "u"},  {"u", "o"}};

static const char *const map_sets[] = {
    "(ou)uo(ow)", "ea", "wv", "(kh)h", "qkg", "(dh)dz", "(ee)iy", "(aa)a"};

/* A REP pattern with its first letter upper-cased: REP is case-sensitive,
 * and the patterns also start names (Khamenei/Hamenei, Qasem/Kasem,
 * Ouzbek/Uzbek, Dhahran/Zahran), so each needs a capitalised twin. */
static void put_cap(px_buf *b, const char *s) {
  if (s[0] >= 'a' && s[0] <= 'z') {
    px_buf_putc(b, (char)(s[0] - 32));
    px_buf_puts(b, s + 1);
  } else {
    px_buf_puts(b, s);
  }
}

int px_names_compile(const char *lexicon_path, const char *aff_path,
                     const char *dic_path) {
  PX_ASSERT_ARG(lexicon_path);
  PX_ASSERT_ARG(aff_path);
  PX_ASSERT_ARG(dic_path);
  char *lex = NULL;
  size_t lexlen = 0;
  compile_ctx cc = {lexicon_path, NULL, 0, 0, NULL, 0, 0};
  px_buf aff = PX_BUF_INIT, dic = PX_BUF_INIT;
  int rc = px_file__read(&lex, &lexlen, lexicon_path, LEX_MAX_BYTES,
                         PX_ERRCLASS_NAMES);
  if (rc < 0)
    goto done;
  rc = lex_parse(lexicon_path, lex, lexlen, compile_line, &cc);
  if (rc < 0)
    goto done;
  if (cc.n)
    qsort(cc.w, cc.n, sizeof *cc.w, cmp_dic_word);

  /* .aff */
  px_buf_puts(&aff,
              "# names.aff: generated by `parallax names compile` from the "
              "names lexicon.\n# Do not edit: edit the lexicon and rebuild.\n"
              "SET UTF-8\n"
              "TRY aeinorshtldumkbgyzfvwcjpqxAEINORSHTLDUMKBGYZFVWCJPQX'-\n"
              "WORDCHARS '-\n"
              "ICONV 1\nICONV \xE2\x80\x99 '\n"
              "FORBIDDENWORD !\n"
              "MAXDIFF 6\n"
              "# S: possessive and plural (Tehran's, Daesh's, Kurds)\n"
              "SFX S Y 4\n"
              "SFX S 0 's .\n"
              "SFX S 0 s [^sxz]\n"
              "SFX S 0 es [sxz]\n"
              "SFX S 0 ' s\n");
  size_t nrep = sizeof rep_pairs / sizeof rep_pairs[0];
  px_buf_printf(&aff,
                "# REP: transliteration patterns, lower and capitalised\n"
                "REP %zu\n",
                nrep * 2);
  for (size_t i = 0; i < nrep; i++)
    px_buf_printf(&aff, "REP %s %s\n", rep_pairs[i][0], rep_pairs[i][1]);
  for (size_t i = 0; i < nrep; i++) {
    px_buf_puts(&aff, "REP ");
    put_cap(&aff, rep_pairs[i][0]);
    px_buf_putc(&aff, ' ');
    put_cap(&aff, rep_pairs[i][1]);
    px_buf_putc(&aff, '\n');
  }
  size_t nmap = sizeof map_sets / sizeof map_sets[0];
  px_buf_printf(&aff, "# MAP: letters transliterations confuse\nMAP %zu\n",
                nmap * 2);
  for (size_t i = 0; i < nmap; i++)
    px_buf_printf(&aff, "MAP %s\n", map_sets[i]);
  for (size_t i = 0; i < nmap; i++) {
    px_buf_puts(&aff, "MAP ");
    /* upper-case every letter of the set */
    for (const char *p = map_sets[i]; *p; p++) {
      char c = *p;
      int in_group = 0;
      for (const char *q = map_sets[i]; q < p; q++)
        in_group = *q == '(' ? 1 : (*q == ')' ? 0 : in_group);
      int group_first = in_group && p[-1] == '(';
      if (c >= 'a' && c <= 'z' && (!in_group || group_first))
        c = (char)(c - 32);
      px_buf_putc(&aff, c);
    }
    px_buf_putc(&aff, '\n');
  }

  /* .dic */
  px_buf_printf(&dic, "%zu\n", cc.n);
  for (size_t i = 0; i < cc.n; i++) {
    dic_word *d = &cc.w[i];
    px_buf_puts(&dic, d->word);
    if (d->forbidden && !d->house)
      px_buf_puts(&dic, "/!");
    else if (d->word[0] >= 'A' && d->word[0] <= 'Z')
      px_buf_puts(&dic, "/S");
    else {
      /* a word starting with a non-ASCII or lower-case letter: possessive
       * and plural only for capitalised names */
      UChar32 c0;
      int32_t off = 0;
      U8_NEXT((const uint8_t *)d->word, off, (int32_t)strlen(d->word), c0);
      if (c0 > 0x7f && u_isupper(c0))
        px_buf_puts(&dic, "/S");
    }
    if (d->ph.len && !(d->forbidden && !d->house))
      px_buf_put(&dic, d->ph.ptr, d->ph.len);
    rc = px_buf_putc(&dic, '\n');
    if (rc < 0)
      goto done;
  }
  rc = px_buf_putc(&aff, '\n');
  if (rc < 0)
    goto done;
  aff.len--; /* no blank last line */
  rc = write_atomic(aff_path, aff.ptr, aff.len);
  if (rc < 0)
    goto done;
  rc = write_atomic(dic_path, dic.ptr, dic.len);
done:
  px_free(lex);
  for (size_t i = 0; i < cc.n; i++) {
    px_free(cc.w[i].word);
    px_buf_dispose(&cc.w[i].ph);
  }
  px_free(cc.w);
  for (size_t i = 0; i < cc.nids; i++)
    px_free(cc.ids[i]);
  px_free(cc.ids);
  px_buf_dispose(&aff);
  px_buf_dispose(&dic);
  return rc;
}

/* ---- source-language keys ----------------------------------------------- */

int px_names__lang_code(const char *lang) {
  if (!lang)
    return 0;
  if (px_lang_is(lang, "fa"))
    return 1;
  if (px_lang_is(lang, "ru"))
    return 2;
  if (px_lang_is(lang, "ar"))
    return 3;
  return 0;
}

/* Letters that Persian and Arabic (and keyboards) write differently map to
 * one: Arabic yeh/alef maksura -> Persian yeh, Arabic kaf -> keheh, alef
 * with hamza or madda -> alef, teh marbuta -> heh; hamza and ZWNJ go; and
 * Cyrillic yo -> ye.  A fixed table over UTF-8 sequences: ICU has no
 * transform for this orthographic merge. */
static const struct {
  const char *from, *to;
} src_map[] = {{"\xD9\x8A", "\xDB\x8C"}, {"\xD9\x89", "\xDB\x8C"},
               {"\xD9\x83", "\xDA\xA9"}, {"\xD8\xA3", "\xD8\xA7"},
               {"\xD8\xA5", "\xD8\xA7"}, {"\xD8\xA2", "\xD8\xA7"},
               {"\xD9\xB1", "\xD8\xA7"}, {"\xD8\xA9", "\xD9\x87"},
               {"\xDB\x80", "\xD9\x87"}, {"\xD8\xA4", "\xD9\x88"},
               {"\xD8\xA6", "\xDB\x8C"}, {"\xD8\xA1", ""},
               {"\xE2\x80\x8C", ""},     {"\xD1\x91", "\xD0\xB5"}};

/* Russian case endings, longest first; stripped once when at least three
 * letters remain, so Путина, Путиным and Путин share the key путин. */
static const char *const ru_endings[] = {
    "ами", "ями", "ого", "его", "ому", "ему", "ими", "ыми", "ой", "ей",
    "ом",  "ем",  "ам",  "ям",  "ах",  "ях",  "ых",  "их",  "ым", "им",
    "ую",  "юю",  "ая",  "яя",  "ое",  "ее",  "ые",  "ие",  "ий", "ый",
    "ы",   "и",   "а",   "я",   "о",   "е",   "у",   "ю",   "ь",  "й"};

static size_t cp_count(const char *s, size_t len) {
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += ((unsigned char)s[i] & 0xC0) != 0x80;
  return n;
}

static int starts(const char *s, size_t len, const char *p) {
  size_t pl = strlen(p);
  return len >= pl && memcmp(s, p, pl) == 0;
}

#define AR_AL "\xD8\xA7\xD9\x84"
static const char *const ar_prefixes[] = {"\xD9\x88", "\xD8\xA8", "\xD9\x84",
                                          "\xD9\x81"}; /* و ب ل ف */

/* lexicon: 1 for a lexicon form (only the article is stripped), 0 for
 * text (alternatives with a clitic and/or the article stripped). */
static int src_keys_mode(uint64_t keys[4], const char *s, size_t len, int lang,
                         int lexicon) {
  px_buf f = PX_BUF_INIT, m = PX_BUF_INIT;
  int n = 0;
  int rc = px_names__fold(&f, s, len);
  if (rc < 0)
    goto done;
  for (size_t i = 0; i < f.len;) {
    size_t k;
    size_t nm = sizeof src_map / sizeof src_map[0];
    for (k = 0; k < nm; k++)
      if (starts(f.ptr + i, f.len - i, src_map[k].from))
        break;
    if (k < nm) {
      rc = px_buf_puts(&m, src_map[k].to);
      i += strlen(src_map[k].from);
    } else {
      rc = px_buf_putc(&m, f.ptr[i]);
      i++;
    }
    if (rc < 0)
      goto done;
  }
  const char *t = m.ptr ? m.ptr : "";
  size_t tl = m.len;
  if (lang == 2) {
    for (size_t k = 0; k < sizeof ru_endings / sizeof ru_endings[0]; k++) {
      size_t el = strlen(ru_endings[k]);
      if (tl > el && memcmp(t + tl - el, ru_endings[k], el) == 0 &&
          cp_count(t, tl - el) >= 3) {
        tl -= el;
        break;
      }
    }
    keys[n++] = px_names__key(t, tl);
  } else if (lang == 1 || lang == 3) {
    const char *cand[2] = {t, NULL};
    size_t cl[2] = {tl, 0};
    int nc = 1;
    if (!lexicon && cp_count(t, tl) > 3)
      for (size_t k = 0; k < 4; k++)
        if (starts(t, tl, ar_prefixes[k])) {
          cand[1] = t + 2;
          cl[1] = tl - 2;
          nc = 2;
          break;
        }
    for (int c = 0; c < nc; c++) {
      if (starts(cand[c], cl[c], AR_AL) && cp_count(cand[c], cl[c]) >= 4) {
        if (!lexicon && n < 4)
          keys[n++] = px_names__key(cand[c], cl[c]);
        if (n < 4)
          keys[n++] = px_names__key(cand[c] + 4, cl[c] - 4);
      } else if (n < 4) {
        keys[n++] = px_names__key(cand[c], cl[c]);
      }
    }
  } else {
    keys[n++] = px_names__key(t, tl);
  }
done:
  px_buf_dispose(&f);
  px_buf_dispose(&m);
  return rc < 0 ? rc : n;
}

int px_names__src_keys(uint64_t keys[4], const char *s, size_t len, int lang) {
  return src_keys_mode(keys, s, len, lang, 0);
}

/* ---- loose skeletons ---------------------------------------------------- */

int px_names__loose(uint64_t *out, char **text_out, const char *s, size_t len,
                    const char *lang) {
  char *rom = NULL, *sk = NULL;
  size_t rl = 0, sl = 0;
  int rc = px_text_romanize(&rom, &rl, s, len, lang);
  if (rc < 0)
    goto done;
  rc = px_text_skeleton(&sk, &sl, rom, rl);
  if (rc < 0)
    goto done;
  /* merge what transliterations swap: g/q/c/k, z/d (dh), every kept
   * initial vowel; then collapse runs */
  size_t w = 0;
  for (size_t i = 0; i < sl; i++) {
    char c = sk[i];
    if (c >= 'A' && c <= 'Z')
      c = (char)(c + 32);
    if (!(c >= 'a' && c <= 'z'))
      continue;
    if (c == 'g' || c == 'q' || c == 'c')
      c = 'k';
    else if (c == 'z')
      c = 'd';
    else if (c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y')
      c = 'a';
    if (w && sk[w - 1] == c)
      continue;
    sk[w++] = c;
  }
  sk[w] = '\0';
  *out = w >= 2 ? px_names__key(sk, w) : 0;
  if (text_out) {
    *text_out = sk;
    sk = NULL;
  }
done:
  px_free(rom);
  px_free(sk);
  return rc;
}

/* ---- opening the checker ------------------------------------------------ */

typedef struct open_ctx {
  px_names *n;
  const char *path;
  int32_t first_acc; /* first accepted form of the current entity */
} open_ctx;

static int key_push(px_names *n, uint64_t k) {
  if (PX_GROW(n->keypool, n->nkeys, n->capkeys) < 0)
    return PX_ENOMEM;
  n->keypool[n->nkeys++] = k;
  return 0;
}

static int lower_initial(const char *s, size_t len) {
  UChar32 c;
  int32_t i = 0;
  U8_NEXT((const uint8_t *)s, i, (int32_t)len, c);
  return c >= 0 && u_islower(c);
}

static int add_form(open_ctx *oc, uint32_t ent, int kind, int src_lang,
                    const char *s, size_t len) {
  px_names *n = oc->n;
  px_token *toks = NULL;
  size_t nt = 0;
  px_buf fold = PX_BUF_INIT;
  static const char *const langs[] = {"en", "fa", "ru", "ar"};
  int rc = px_text_tokenize(&toks, &nt, s, len, langs[src_lang]);
  if (rc < 0)
    goto done;
  if (PX_GROW(n->forms, n->nforms, n->capforms) < 0) {
    rc = PX_ENOMEM;
    goto done;
  }
  names_form *f = &n->forms[n->nforms];
  memset(f, 0, sizeof *f);
  f->entity = ent;
  f->kind = (uint8_t)kind;
  f->src_lang = (uint8_t)src_lang;
  f->keys = (uint32_t)n->nkeys;
  f->target = -1;
  f->lower_start = (uint8_t)lower_initial(s, len);
  f->text = px_strndup(s, len);
  if (!f->text) {
    rc = PX_ENOMEM;
    goto done;
  }
  f->text_len = len;
  n->nforms++;
  for (size_t i = 0; i < nt; i++) {
    if (toks[i].kind != PX_TOK_WORD && toks[i].kind != PX_TOK_NUMBER)
      continue;
    uint64_t k;
    if (src_lang) {
      uint64_t ks[4];
      rc = src_keys_mode(ks, s + toks[i].off, toks[i].len, src_lang, 1);
      if (rc < 0)
        goto done;
      k = ks[0];
    } else {
      rc = px_names__fold(&fold, s + toks[i].off, toks[i].len);
      if (rc < 0)
        goto done;
      k = px_names__key(fold.ptr, fold.len);
      rc = px_names__map_add(&n->words_en, k, (uint32_t)(n->nforms - 1));
      if (rc < 0)
        goto done;
      if (kind <= NF_ALSO && toks[i].len >= 3 &&
          !lower_initial(s + toks[i].off, toks[i].len) &&
          !Hunspell_spell(n->hs_en, fold.ptr)) {
        uint64_t lk = 0;
        rc = px_names__loose(&lk, NULL, s + toks[i].off, toks[i].len, "en");
        if (rc < 0)
          goto done;
        if (lk) {
          if (PX_GROW(n->lexwords, n->nlexwords, n->caplexwords) < 0) {
            rc = PX_ENOMEM;
            goto done;
          }
          n->lexwords[n->nlexwords].form = (uint32_t)(n->nforms - 1);
          n->lexwords[n->nlexwords].off = (uint32_t)toks[i].off;
          n->lexwords[n->nlexwords].len = (uint32_t)toks[i].len;
          rc = px_names__map_add(&n->loose_en, lk, (uint32_t)n->nlexwords);
          n->nlexwords++;
          if (rc < 0)
            goto done;
        }
      }
    }
    rc = key_push(n, k);
    if (rc < 0)
      goto done;
    n->forms[n->nforms - 1].ntok++;
  }
  f = &n->forms[n->nforms - 1];
  if (f->ntok && !src_lang) {
    /* compare found text with the words only: "U.N." is found as "U.N"
     * followed by a full stop */
    size_t first = SIZE_MAX, last = 0;
    for (size_t i = 0; i < nt; i++)
      if (toks[i].kind == PX_TOK_WORD || toks[i].kind == PX_TOK_NUMBER) {
        if (first == SIZE_MAX)
          first = toks[i].off;
        last = toks[i].off + toks[i].len;
      }
    f->dotted = last < len && f->text[len - 1] == '.';
    if (first > 0 || last < len) {
      memmove(f->text, f->text + first, last - first);
      f->text[last - first] = '\0';
      f->text_len = last - first;
    }
  }
  if (f->ntok == 0) {
    rc = px_error_set(PX_EPARSE, PX_ERRCLASS_NAMES, 0,
                      "%s:%u: '%s' has no words", oc->path, n->ents[ent].line,
                      f->text);
    goto done;
  }
  rc = px_names__map_add(src_lang ? &n->first_src : &n->first_en,
                         n->keypool[f->keys], (uint32_t)(n->nforms - 1));
done:
  px_free(toks);
  px_buf_dispose(&fold);
  return rc;
}

static int open_line(void *ud, unsigned line, lex_field *cols) {
  open_ctx *oc = ud;
  px_names *n = oc->n;
  for (size_t i = 0; i < n->nents; i++)
    if (strlen(n->ents[i].id) == cols[0].len &&
        memcmp(n->ents[i].id, cols[0].s, cols[0].len) == 0)
      return lex_error(oc->path, line, "duplicate entity id");
  if (PX_GROW(n->ents, n->nents, n->capents) < 0)
    return PX_ENOMEM;
  names_entity *e = &n->ents[n->nents];
  memset(e, 0, sizeof *e);
  e->id = px_strndup(cols[0].s, cols[0].len);
  e->type = px_strndup(cols[1].s, cols[1].len);
  e->house = px_strndup(cols[2].s, cols[2].len);
  e->line = line;
  n->nents++;
  if (!e->id || !e->type || !e->house)
    return PX_ENOMEM;
  uint32_t ent = (uint32_t)(n->nents - 1);
  static const struct {
    int col, kind, lang;
  } plan[] = {{2, NF_HOUSE, 0},   {3, NF_ALSO, 0},   {6, NF_FORMER, 0},
              {4, NF_VARIANT, 0}, {5, NF_BANNED, 0}, {7, NF_HOUSE, 1},
              {8, NF_HOUSE, 2},   {9, NF_HOUSE, 3}};
  for (size_t p = 0; p < sizeof plan / sizeof plan[0]; p++) {
    size_t pos = 0;
    const char *s;
    size_t len;
    while (next_item(cols[plan[p].col], &pos, &s, &len)) {
      if (plan[p].kind == NF_FORMER) {
        const char *at = memchr(s, '@', len);
        if (at)
          len = (size_t)(at - s);
        while (len && s[len - 1] == ' ')
          len--;
      }
      int rc = add_form(oc, ent, plan[p].kind, plan[p].lang, s, len);
      if (rc < 0)
        return rc;
    }
  }
  return 0;
}

static int same_keys(const px_names *n, const names_form *a,
                     const names_form *b) {
  return a->ntok == b->ntok &&
         memcmp(n->keypool + a->keys, n->keypool + b->keys,
                a->ntok * sizeof(uint64_t)) == 0;
}

/* Mark forms whose words belong to two entities; choose each variant's
 * replacement (the entity's accepted form with as many words, closest by
 * Jaro-Winkler; else the house spelling); sort each first-word list
 * longest first. */
static int index_finish(px_names *n) {
  for (size_t i = 0; i < n->nforms; i++) {
    names_form *f = &n->forms[i];
    if (f->src_lang)
      continue;
    for (uint32_t v = px_names__map_first(&n->first_en, n->keypool[f->keys]);
         v != UINT32_MAX; v = n->first_en.next[v]) {
      names_form *g = &n->forms[n->first_en.vals[v]];
      if (g != f && g->entity != f->entity && same_keys(n, f, g))
        f->ambiguous = 1;
    }
    if (f->kind >= NF_VARIANT) {
      double best = -1;
      int32_t house = -1;
      for (size_t j = 0; j < n->nforms; j++) {
        names_form *g = &n->forms[j];
        if (g->entity != f->entity || g->src_lang || g->kind > NF_ALSO)
          continue;
        if (g->kind == NF_HOUSE && house < 0)
          house = (int32_t)j;
        if (g->ntok != f->ntok)
          continue;
        double jw =
            px_text_jaro_winkler(f->text, f->text_len, g->text, g->text_len);
        if (jw > best) {
          best = jw;
          f->target = (int32_t)j;
        }
      }
      if (f->target < 0)
        f->target = house;
    }
  }
  /* longest first within each chain (insertion sort on the value lists) */
  names_map *maps[2] = {&n->first_en, &n->first_src};
  for (int mi = 0; mi < 2; mi++) {
    names_map *m = maps[mi];
    for (size_t s = 0; s < m->cap; s++) {
      if (!m->keys[s])
        continue;
      for (uint32_t a = m->head[s]; a != UINT32_MAX; a = m->next[a])
        for (uint32_t b = m->next[a]; b != UINT32_MAX; b = m->next[b]) {
          names_form *fa = &n->forms[m->vals[a]], *fb = &n->forms[m->vals[b]];
          int swap = fb->ntok > fa->ntok ||
                     (fb->ntok == fa->ntok && fb->kind < fa->kind);
          if (swap) {
            uint32_t t = m->vals[a];
            m->vals[a] = m->vals[b];
            m->vals[b] = t;
          }
        }
    }
  }
  return 0;
}

/* Teach en_US the house spellings (with the flags of EN_MODEL_WORD, so
 * Tehran's passes) and make it forget variants and banned spellings it
 * knows (Kiev, Teheran).  Hunspell_add_dic would read our .dic with
 * en_US's flags and drop our ph: fields; this keeps the layers apart. */
static void adjust_en(px_names *n) {
  for (size_t i = 0; i < n->nforms; i++) {
    names_form *f = &n->forms[i];
    if (f->src_lang)
      continue;
    word_span w[16];
    size_t nw = split_words(w, 16, f->text, f->text_len);
    for (size_t j = 0; j < nw; j++) {
      char buf[256];
      if (w[j].len >= sizeof buf)
        continue;
      memcpy(buf, w[j].s, w[j].len);
      buf[w[j].len] = '\0';
      if (f->kind <= NF_FORMER) {
        if (!Hunspell_spell(n->hs_en, buf))
          Hunspell_add_with_affix(n->hs_en, buf, EN_MODEL_WORD);
      } else if (nw == 1) {
        /* only a one-word variant: "Sham" of a phrase stays English */
        px_buf fold = PX_BUF_INIT;
        int accepted = 0;
        if (px_names__fold(&fold, buf, w[j].len) == 0)
          for (uint32_t v = px_names__map_first(
                   &n->words_en, px_names__key(fold.ptr, fold.len));
               v != UINT32_MAX; v = n->words_en.next[v])
            if (n->forms[n->words_en.vals[v]].kind <= NF_FORMER)
              accepted = 1;
        px_buf_dispose(&fold);
        if (!accepted)
          Hunspell_remove(n->hs_en, buf);
      }
    }
  }
}

static int open_hunspell(Hunhandle **out, const char *aff, const char *dic,
                         const char *what) {
  if (!file_exists(aff) || !file_exists(dic))
    return px_error_set(PX_EDICT, PX_ERRCLASS_NAMES, 0,
                        "%s dictionary missing: %s (%s) and %s (%s)", what, aff,
                        file_exists(aff) ? "found" : "not found", dic,
                        file_exists(dic) ? "found" : "not found");
  Hunhandle *h = Hunspell_create(aff, dic);
  if (!h)
    return px_error_set(PX_EDICT, PX_ERRCLASS_NAMES, 0,
                        "%s dictionary unusable: %s and %s", what, aff, dic);
  *out = h;
  return 0;
}

static double mtime_of(const char *p) {
  struct stat st;
  if (stat(p, &st) != 0)
    return 0;
  return (double)st.st_mtim.tv_sec + st.st_mtim.tv_nsec * 1e-9;
}

int px_names_open(px_names **out, const px_names_opts *opts) {
  PX_ASSERT_ARG(out);
  px_names_opts def = PX_NAMES_OPTS_INIT;
  if (!opts)
    opts = &def;
  PX_ASSERT_ARG(opts->version == PX_NAMES_OPTS_VERSION);
  char lexpath[4096], aff[4300], dic[4300], tmpa[4200], tmpd[4200];
  char *lex = NULL;
  size_t lexlen = 0;
  int rc = 0;
  px_names *n = px_calloc(1, sizeof *n);
  if (!n)
    return PX_ENOMEM;
  px_buf_init(&n->tokpool, 256u * 1024u * 1024u);
  n->close_thr = opts->close_threshold > 0 ? opts->close_threshold : 0.88;

  if (opts->lexicon_path)
    snprintf(lexpath, sizeof lexpath, "%s", opts->lexicon_path);
  else if ((rc = px_dict_path(lexpath, sizeof lexpath, "names/names.tsv")) < 0)
    goto done;
  n->lexicon_path = px_strndup(lexpath, strlen(lexpath));
  if (!n->lexicon_path) {
    rc = PX_ENOMEM;
    goto done;
  }

  /* en_US first: building the index asks it which words are English */
  const char *ea =
      opts->en_aff_path ? opts->en_aff_path : getenv("PARALLAX_EN_AFF");
  const char *ed =
      opts->en_dic_path ? opts->en_dic_path : getenv("PARALLAX_EN_DIC");
  rc =
      open_hunspell(&n->hs_en, ea && *ea ? ea : "/usr/share/hunspell/en_US.aff",
                    ed && *ed ? ed : "/usr/share/hunspell/en_US.dic", "en_US");
  if (rc < 0)
    goto done;

  /* the compiled names dictionary: given, or built, or compiled now */
  int compile_now = 0;
  if (opts->aff_path && opts->dic_path) {
    snprintf(aff, sizeof aff, "%s", opts->aff_path);
    snprintf(dic, sizeof dic, "%s", opts->dic_path);
  } else if (opts->lexicon_path) {
    compile_now = 1;
  } else {
    const char *ea2 = getenv("PARALLAX_NAMES_AFF");
    const char *ed2 = getenv("PARALLAX_NAMES_DIC");
    if (ea2 && *ea2 && ed2 && *ed2) {
      snprintf(aff, sizeof aff, "%s", ea2);
      snprintf(dic, sizeof dic, "%s", ed2);
    } else {
#ifdef PX_NAMES_BUILD_DIR
      snprintf(aff, sizeof aff, "%s/names.aff", PX_NAMES_BUILD_DIR);
      snprintf(dic, sizeof dic, "%s/names.dic", PX_NAMES_BUILD_DIR);
      if (!file_exists(aff) || !file_exists(dic))
#endif
      {
        if ((rc = px_dict_path(aff, sizeof aff, "names/names.aff")) < 0 ||
            (rc = px_dict_path(dic, sizeof dic, "names/names.dic")) < 0)
          goto done;
      }
      /* a lexicon edited since the build is compiled afresh */
      if (file_exists(dic) && file_exists(lexpath) &&
          mtime_of(lexpath) > mtime_of(dic))
        compile_now = 1;
    }
  }
  if (compile_now) {
    const char *td = getenv("TMPDIR");
    px_buf t = PX_BUF_INIT;
    rc = px_buf_printf(&t, "%s/parallax-names-XXXXXX", td && *td ? td : "/tmp");
    if (rc < 0)
      goto done;
    if (!mkdtemp(t.ptr)) {
      rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", t.ptr,
                        strerror(errno));
      px_buf_dispose(&t);
      goto done;
    }
    n->tmpdir = px_buf_detach(&t, NULL);
    snprintf(tmpa, sizeof tmpa, "%s/names.aff", n->tmpdir);
    snprintf(tmpd, sizeof tmpd, "%s/names.dic", n->tmpdir);
    rc = px_names_compile(lexpath, tmpa, tmpd);
    if (rc < 0)
      goto done;
    snprintf(aff, sizeof aff, "%s", tmpa);
    snprintf(dic, sizeof dic, "%s", tmpd);
  }
  rc = open_hunspell(&n->hs_names, aff, dic, "names");
  if (rc < 0)
    goto done;

  rc = px_file__read(&lex, &lexlen, lexpath, LEX_MAX_BYTES, PX_ERRCLASS_NAMES);
  if (rc < 0) {
    if (rc == PX_EIO)
      rc = px_error_set(PX_EDICT, PX_ERRCLASS_NAMES, 0,
                        "names lexicon missing: %s", lexpath);
    goto done;
  }
  open_ctx oc = {n, lexpath, -1};
  rc = lex_parse(lexpath, lex, lexlen, open_line, &oc);
  if (rc < 0)
    goto done;
  rc = index_finish(n);
  if (rc < 0)
    goto done;
  adjust_en(n);
  *out = n;
  n = NULL;
done:
  px_free(lex);
  px_names_free(n);
  return rc;
}

void px_names_free(px_names *n) {
  if (!n)
    return;
  for (size_t i = 0; i < n->nents; i++) {
    px_free(n->ents[i].id);
    px_free(n->ents[i].type);
    px_free(n->ents[i].house);
  }
  px_free(n->ents);
  for (size_t i = 0; i < n->nforms; i++)
    px_free(n->forms[i].text);
  px_free(n->forms);
  px_free(n->keypool);
  px_free(n->lexwords);
  px_names__map_dispose(&n->first_en);
  px_names__map_dispose(&n->words_en);
  px_names__map_dispose(&n->loose_en);
  px_names__map_dispose(&n->first_src);
  if (n->hs_names)
    Hunspell_destroy(n->hs_names);
  if (n->hs_en)
    Hunspell_destroy(n->hs_en);
  px_free(n->toks);
  px_buf_dispose(&n->tokpool);
  if (n->tmpdir) {
    char p[4200];
    snprintf(p, sizeof p, "%s/names.aff", n->tmpdir);
    unlink(p);
    snprintf(p, sizeof p, "%s/names.dic", n->tmpdir);
    unlink(p);
    rmdir(n->tmpdir);
    px_free(n->tmpdir);
  }
  px_free(n->lexicon_path);
  px_free(n);
}

size_t px_names_entity_count(const px_names *n) { return n ? n->nents : 0; }

int px_names_spell(px_names *n, const char *word) {
  if (!n || !word)
    return 0;
  return Hunspell_spell(n->hs_names, word) != 0;
}

int px_names_suggest(char ***out, size_t *count, px_names *n,
                     const char *word) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(count);
  PX_ASSERT_ARG(n);
  PX_ASSERT_ARG(word);
  char **list = NULL;
  int ns = Hunspell_suggest(n->hs_names, &list, word);
  char **res = px_calloc(ns > 0 ? (size_t)ns : 1, sizeof *res);
  if (!res) {
    if (list)
      Hunspell_free_list(n->hs_names, &list, ns);
    return PX_ENOMEM;
  }
  for (int i = 0; i < ns; i++) {
    res[i] = px_strndup(list[i], strlen(list[i]));
    if (!res[i]) {
      for (int j = 0; j < i; j++)
        px_free(res[j]);
      px_free(res);
      Hunspell_free_list(n->hs_names, &list, ns);
      return PX_ENOMEM;
    }
  }
  if (list)
    Hunspell_free_list(n->hs_names, &list, ns);
  *out = res;
  *count = ns > 0 ? (size_t)ns : 0;
  return 0;
}

/* ---- per-token verdicts -------------------------------------------------- */

static int tok_cache_grow(px_names *n) {
  size_t ncap = n->tokcap ? n->tokcap * 2 : 4096;
  names_tok *nt = px_calloc(ncap, sizeof *nt);
  if (!nt)
    return PX_ENOMEM;
  for (size_t i = 0; i < n->tokcap; i++) {
    if (!n->toks[i].h)
      continue;
    size_t j = n->toks[i].h & (ncap - 1);
    while (nt[j].h)
      j = (j + 1) & (ncap - 1);
    nt[j] = n->toks[i];
  }
  px_free(n->toks);
  n->toks = nt;
  n->tokcap = ncap;
  return 0;
}

int px_names__other_name(const char *a, size_t al, const char *b, size_t bl) {
  if (!al || !bl || al > bl + 2 || bl > al + 2)
    return 1;
  char la = a[al - 1], lb = b[bl - 1];
  int a_i = la == 'i' || la == 'y', b_i = lb == 'i' || lb == 'y';
  int a_v = a_i || la == 'a' || la == 'e' || la == 'o' || la == 'u';
  int b_v = b_i || lb == 'a' || lb == 'e' || lb == 'o' || lb == 'u';
  return (a_i && !b_v) || (b_i && !a_v);
}

/* The proposal for an unknown name: the accepted lexicon word with the same
 * loose skeleton and the highest Jaro-Winkler similarity above the floor.
 * A word en_US knows never gets here, and a different skeleton never
 * matches: Asana is not Astana. */
static int32_t close_for(px_names *n, uint64_t loose, const char *fold,
                         size_t flen) {
  if (!loose)
    return -1;
  double best = n->close_thr;
  int32_t pick = -1;
  px_buf f2 = PX_BUF_INIT;
  for (uint32_t v = px_names__map_first(&n->loose_en, loose); v != UINT32_MAX;
       v = n->loose_en.next[v]) {
    const struct names_lexword *lw = &n->lexwords[n->loose_en.vals[v]];
    const names_form *f = &n->forms[lw->form];
    if (px_names__fold(&f2, f->text + lw->off, lw->len) < 0)
      continue;
    /* a Persian/Arabic -i (nisba) ending makes another name: Abdollahi is
     * not Abdullah, Karimi is not Karim */
    if (px_names__other_name(fold, flen, f2.ptr, f2.len))
      continue;
    double jw = px_text_jaro_winkler(fold, flen, f2.ptr, f2.len);
    /* on a tie, the entity named by that word alone wins (Astana the city
     * over the Astana format) */
    int better = jw > best || (jw == best && pick < 0) ||
                 (jw == best && f->ntok == 1 &&
                  n->forms[n->lexwords[pick].form].ntok > 1);
    if (better && !(f2.len == flen && memcmp(f2.ptr, fold, flen) == 0)) {
      best = jw;
      pick = (int32_t)n->loose_en.vals[v];
    }
  }
  px_buf_dispose(&f2);
  return pick;
}

int px_names__tok(const names_tok **out, px_names *n, const char *s,
                  size_t len) {
  uint64_t h = px_names__key(s, len);
  if (n->tokcap) {
    size_t j = h & (n->tokcap - 1);
    while (n->toks[j].h) {
      if (n->toks[j].h == h && n->toks[j].slen == len &&
          memcmp(n->tokpool.ptr + n->toks[j].soff, s, len) == 0) {
        *out = &n->toks[j];
        return 0;
      }
      j = (j + 1) & (n->tokcap - 1);
    }
  }
  names_tok t;
  memset(&t, 0, sizeof t);
  t.h = h;
  t.slen = (uint32_t)len;
  t.close = -1;
  t.strip = (uint32_t)px_names__possessive(s, len);
  px_buf fold = PX_BUF_INIT;
  char word[512];
  int rc = px_names__fold(&fold, s, len - t.strip);
  if (rc < 0)
    goto done;
  t.key = px_names__key(fold.ptr, fold.len);
  if (px_names__map_has(&n->first_en, t.key))
    t.flags |= NT_FIRST;
  if (px_names__map_has(&n->words_en, t.key))
    t.flags |= NT_LEXWORD;
  if (!t.strip && fold.len <= 5) {
    static const char *const strong[] = {"al",   "el",  "bin",   "ibn", "abu",
                                         "bint", "abd", "abdul", "ben", "abou",
                                         "ul",   "ash", "ad",    "ar",  "az"};
    static const char *const weak[] = {"as", "an", "at"};
    for (size_t k = 0; k < sizeof strong / sizeof strong[0]; k++)
      if (strcmp(fold.ptr, strong[k]) == 0)
        t.flags |= NT_PSTRONG;
    for (size_t k = 0; k < sizeof weak / sizeof weak[0]; k++)
      if (strcmp(fold.ptr, weak[k]) == 0)
        t.flags |= NT_PWEAK;
  }
  UChar32 c;
  int32_t i = 0, ilen = (int32_t)(len - t.strip);
  int upper = 0, lower = 0, letters = 0;
  while (i < ilen) {
    U8_NEXT((const uint8_t *)s, i, ilen, c);
    if (c < 0)
      break;
    if (u_isalpha(c)) {
      letters++;
      if (u_isupper(c) || u_istitle(c)) {
        if (letters == 1)
          t.flags |= NT_CAP;
        upper++;
      } else if (u_islower(c)) {
        lower++;
      }
    }
  }
  if (letters >= 2 && lower == 0)
    t.flags |= NT_ALLCAPS;
  if ((t.flags & NT_CAP) && !(t.flags & (NT_ALLCAPS | NT_LEXWORD)) &&
      letters >= 2 && fold.len < sizeof word &&
      !Hunspell_spell(n->hs_en, fold.ptr)) {
    t.flags |= NT_PROPER;
    rc = px_names__loose(&t.loose, NULL, s, len - t.strip, "en");
    if (rc < 0)
      goto done;
    memcpy(word, s, len - t.strip);
    word[len - t.strip] = '\0';
    if (!Hunspell_spell(n->hs_en, word) && !Hunspell_spell(n->hs_names, word)) {
      t.flags |= NT_UNKNOWN;
      t.close = close_for(n, t.loose, fold.ptr, fold.len);
    }
    t.flags |= NT_CLOSE_DONE;
  }
  if (n->ntoks + 1 > TOKCACHE_MAX) {
    n->scratch = t;
    *out = &n->scratch;
    goto done;
  }
  if ((n->ntoks + 1) * 2 > n->tokcap && (rc = tok_cache_grow(n)) < 0)
    goto done;
  t.soff = (uint32_t)n->tokpool.len;
  rc = px_buf_put(&n->tokpool, s, len);
  if (rc < 0) {
    /* the pool is full: answer without caching */
    n->scratch = t;
    *out = &n->scratch;
    rc = 0;
    goto done;
  }
  size_t j = h & (n->tokcap - 1);
  while (n->toks[j].h)
    j = (j + 1) & (n->tokcap - 1);
  n->toks[j] = t;
  n->ntoks++;
  *out = &n->toks[j];
done:
  px_buf_dispose(&fold);
  return rc;
}
