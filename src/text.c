/*
 * text.c: the only door for bytes.  Strict UTF-8 validation, normalization
 * (NFC, case folding, Unicode spaces, digits of every script, marks,
 * punctuation, newlines), word tokens from ICU's word break iterator,
 * transliteration, romanization and consonant skeletons for names, Jaro-
 * Winkler similarity, a stable hash, and language-tag helpers.
 *
 * UTF-16 and UErrorCode stay inside this file (and segment.c, through
 * text.h).  ICU objects that are expensive to open (word break iterators,
 * transliterators) and the UTF-16 scratch buffers live in a per-thread
 * cache, so the hot calls (normalize and tokenize once per sentence, a
 * million times per run) neither reopen ICU services nor allocate per
 * token.  Text that needs no ICU service takes fast paths with byte-
 * identical results (tests compare them with ICU on random text): ASCII
 * with common typography, and Latin/Cyrillic/Arabic/Greek text that NFC
 * leaves alone character by character, or whose precomposed letters lose
 * their marks whole under PX_NORM_MARKS (normalize), or whose Word_Break
 * classes ICU's root rules use unchanged (tokenize).  ICU answers the
 * character questions once per BMP block, cached in tables.
 */
#include "text.h"

#include <limits.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utrans.h>

#include "error.h"
#include "mem.h"

/* ---- errors -------------------------------------------------------------- */

int px_text__icu_error(UErrorCode status, const char *what) {
  int code = status == U_MEMORY_ALLOCATION_ERROR ? PX_ENOMEM : PX_EUNICODE;
  return px_error_set(code, PX_ERRCLASS_TEXT, (long)status, "%s: %s", what,
                      u_errorName(status));
}

static int encoding_error(size_t off) {
  return px_error_set(PX_EENCODING, PX_ERRCLASS_TEXT, 0,
                      "invalid UTF-8 at byte %zu", off);
}

static int too_big(size_t len) {
  return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TEXT, 0,
                      "text of %zu bytes is longer than the %zu-byte limit",
                      len, PX_TEXT_MAX_ICU_LEN);
}

/* ---- UTF-8 validation ---------------------------------------------------- */

/* Offset of the first ill-formed sequence in s (len when all is well); the
 * offset is that of the sequence's first byte, so a truncated sequence is
 * reported where it starts.  *ascii is set to 1 when every byte is < 0x80. */
static size_t utf8_check(const unsigned char *s, size_t len, int *ascii) {
  size_t i = 0;
  int all_ascii = 1;
  *ascii = 0;
  while (i < len) {
    unsigned c = s[i];
    if (c < 0x80) {
      /* Eight ASCII bytes at a time while they last. */
      i++;
      while (i + 8 <= len) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & UINT64_C(0x8080808080808080))
          break;
        i += 8;
      }
      continue;
    }
    all_ascii = 0;
    if (c < 0xE0) { /* two bytes: Cyrillic, Arabic script, Greek... */
      if (c < 0xC2 || i + 1 >= len || (s[i + 1] & 0xC0) != 0x80)
        return i; /* C0/C1 are overlong; 80..BF cannot lead */
      i += 2;
      continue;
    }
    if (c < 0xF0) {                          /* three bytes */
      unsigned lo = c == 0xE0 ? 0xA0 : 0x80; /* no overlongs */
      unsigned hi = c == 0xED ? 0x9F : 0xBF; /* no surrogates */
      if (i + 2 >= len || s[i + 1] < lo || s[i + 1] > hi ||
          (s[i + 2] & 0xC0) != 0x80)
        return i;
      i += 3;
      continue;
    }
    if (c <= 0xF4) {                         /* four bytes */
      unsigned lo = c == 0xF0 ? 0x90 : 0x80; /* no overlongs */
      unsigned hi = c == 0xF4 ? 0x8F : 0xBF; /* nothing above U+10FFFF */
      if (i + 3 >= len || s[i + 1] < lo || s[i + 1] > hi ||
          (s[i + 2] & 0xC0) != 0x80 || (s[i + 3] & 0xC0) != 0x80)
        return i;
      i += 4;
      continue;
    }
    return i; /* F5..FF */
  }
  *ascii = all_ascii;
  return len;
}

int px_text_validate(const char *s, size_t len, size_t *bad_offset) {
  PX_ASSERT_ARG(s || len == 0);
  int ascii;
  size_t off = utf8_check((const unsigned char *)s, len, &ascii);
  if (off < len) {
    if (bad_offset)
      *bad_offset = off;
    return encoding_error(off);
  }
  return 0;
}

/* Validate, and say whether the text is pure ASCII. */
static int check_utf8(const char *s, size_t len, int *ascii) {
  size_t off = utf8_check((const unsigned char *)s, len, ascii);
  return off < len ? encoding_error(off) : 0;
}

/* ---- the per-thread cache ------------------------------------------------ */

/* A growable UTF-16 buffer. */
typedef struct ubuf {
  UChar *p;
  int32_t len;
  int32_t cap;
} ubuf;

#define BRK_SLOTS 8
#define MEMO_SLOTS 1024
#define MEMO_MAX_KEY 96 /* longer inputs are not memoized */
#define TR_SLOTS 16
/* Scratch buffers above this many units are given back after each call so a
 * single huge input does not pin memory for the life of the thread. */
#define SCRATCH_KEEP (1 << 20)

typedef struct text_cache {
  struct {
    char lang[32];
    UBreakIterator *bi;
    unsigned long used;
  } brk[BRK_SLOTS];
  struct {
    char *id;
    UTransliterator *tr;
    unsigned long used;
  } tr[TR_SLOTS];
  unsigned long tick;
  ubuf a, b; /* UTF-16 scratch */
  char *out; /* UTF-8 scratch */
  size_t out_cap;
  px_token *toks; /* token scratch */
  size_t tok_cap;
  int icu_only; /* tests: bypass the ICU-free fast paths */
  /* Romanizations of short non-ASCII strings, direct-mapped by hash: names
   * recur all through a corpus and ICU transforms cost microseconds. */
  struct {
    const char *id; /* romanizer_for()'s static string; NULL: empty */
    uint64_t hash;
    uint32_t klen, vlen;
    char *kv; /* klen key bytes, then vlen value bytes */
  } memo[MEMO_SLOTS];
} text_cache;

static _Thread_local text_cache *tcache;
static pthread_key_t tcache_key;
static pthread_once_t tcache_once = PTHREAD_ONCE_INIT;

static void cache_free(void *p) {
  text_cache *c = p;
  if (!c)
    return;
  for (int i = 0; i < BRK_SLOTS; i++)
    if (c->brk[i].bi)
      ubrk_close(c->brk[i].bi);
  for (int i = 0; i < TR_SLOTS; i++) {
    if (c->tr[i].tr)
      utrans_close(c->tr[i].tr);
    px_free(c->tr[i].id);
  }
  px_free(c->a.p);
  px_free(c->b.p);
  px_free(c->out);
  px_free(c->toks);
  for (int i = 0; i < MEMO_SLOTS; i++)
    px_free(c->memo[i].kv);
  px_free(c);
}

static void cache_key_create(void) {
  /* Frees each thread's cache when the thread exits. */
  (void)pthread_key_create(&tcache_key, cache_free);
}

static text_cache *cache_get(void) {
  if (tcache)
    return tcache;
  pthread_once(&tcache_once, cache_key_create);
  text_cache *c = px_calloc(1, sizeof *c);
  if (!c)
    return NULL;
  tcache = c;
  (void)pthread_setspecific(tcache_key, c);
  return c;
}

void px_text__cache_release(void) {
  text_cache *c = tcache;
  if (!c)
    return;
  int icu_only = c->icu_only;
  tcache = NULL;
  pthread_once(&tcache_once, cache_key_create);
  (void)pthread_setspecific(tcache_key, NULL);
  cache_free(c);
  if (icu_only)
    px_text__set_ascii_fast_path(0);
}

void px_text__set_ascii_fast_path(int on) {
  text_cache *c = cache_get();
  if (c)
    c->icu_only = !on;
}

/* Make room for n units (content kept).  0 or PX_ENOMEM. */
static int ubuf_reserve(ubuf *b, int32_t n) {
  if (n <= b->cap)
    return 0;
  int32_t cap = b->cap ? b->cap : 256;
  while (cap < n)
    cap = cap > INT32_MAX / 2 ? n : cap * 2;
  UChar *p = px_realloc(b->p, (size_t)cap * sizeof *p);
  if (!p)
    return PX_ENOMEM;
  b->p = p;
  b->cap = cap;
  return 0;
}

static int out_reserve(text_cache *c, size_t n) {
  if (n <= c->out_cap)
    return 0;
  size_t cap = c->out_cap ? c->out_cap : 1024;
  while (cap < n)
    cap *= 2;
  char *p = px_realloc(c->out, cap);
  if (!p)
    return PX_ENOMEM;
  c->out = p;
  c->out_cap = cap;
  return 0;
}

/* Give back scratch memory that a large input inflated. */
static void cache_trim(text_cache *c) {
  if (c->a.cap > SCRATCH_KEEP) {
    px_free(c->a.p);
    c->a.p = NULL;
    c->a.cap = 0;
  }
  if (c->b.cap > SCRATCH_KEEP) {
    px_free(c->b.p);
    c->b.p = NULL;
    c->b.cap = 0;
  }
  if (c->out_cap > 4 * (size_t)SCRATCH_KEEP) {
    px_free(c->out);
    c->out = NULL;
    c->out_cap = 0;
  }
  if (c->tok_cap > SCRATCH_KEEP / 4) {
    px_free(c->toks);
    c->toks = NULL;
    c->tok_cap = 0;
  }
}

/* ---- conversions ----------------------------------------------------------
 */

/* Decode valid UTF-8 (len <= PX_TEXT_MAX_ICU_LEN) into b.  The input has
 * been validated, so this is a plain decoder (faster than ICU's, which
 * checks again). */
static int utf8_to_ubuf(ubuf *b, const char *str, size_t len) {
  int rc = ubuf_reserve(b, (int32_t)len + 1);
  if (rc < 0)
    return rc;
  const unsigned char *s = (const unsigned char *)(str ? str : "");
  UChar *u = b->p;
  size_t i = 0;
  while (i < len) {
    unsigned c = s[i];
    if (c < 0x80) {
      *u++ = (UChar)c;
      i++;
    } else if (c < 0xE0) {
      *u++ = (UChar)((c & 0x1F) << 6 | (s[i + 1] & 0x3F));
      i += 2;
    } else if (c < 0xF0) {
      *u++ = (UChar)((c & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 |
                     (s[i + 2] & 0x3F));
      i += 3;
    } else {
      UChar32 cp = (UChar32)((c & 0x07) << 18 | (s[i + 1] & 0x3F) << 12 |
                             (s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F));
      *u++ = U16_LEAD(cp);
      *u++ = U16_TRAIL(cp);
      i += 4;
    }
  }
  *u = 0;
  b->len = (int32_t)(u - b->p);
  return 0;
}

/* Append code point cp as UTF-8 at p; returns the new end. */
static inline char *put_utf8(char *p, UChar32 cp) {
  if (cp < 0x80) {
    *p++ = (char)cp;
  } else if (cp < 0x800) {
    *p++ = (char)(0xC0 | (cp >> 6));
    *p++ = (char)(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *p++ = (char)(0xE0 | (cp >> 12));
    *p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *p++ = (char)(0x80 | (cp & 0x3F));
  } else {
    *p++ = (char)(0xF0 | (cp >> 18));
    *p++ = (char)(0x80 | ((cp >> 12) & 0x3F));
    *p++ = (char)(0x80 | ((cp >> 6) & 0x3F));
    *p++ = (char)(0x80 | (cp & 0x3F));
  }
  return p;
}

/* Decode the code point of valid UTF-8 at s[i]; its byte length in *n. */
static inline UChar32 decode_valid(const unsigned char *s, size_t i,
                                   size_t *n) {
  unsigned c = s[i];
  if (c < 0x80) {
    *n = 1;
    return (UChar32)c;
  }
  if (c < 0xE0) {
    *n = 2;
    return (UChar32)((c & 0x1F) << 6 | (s[i + 1] & 0x3F));
  }
  if (c < 0xF0) {
    *n = 3;
    return (UChar32)((c & 0x0F) << 12 | (s[i + 1] & 0x3F) << 6 |
                     (s[i + 2] & 0x3F));
  }
  *n = 4;
  return (UChar32)((c & 0x07) << 18 | (s[i + 1] & 0x3F) << 12 |
                   (s[i + 2] & 0x3F) << 6 | (s[i + 3] & 0x3F));
}

int px_text__to_utf16(UChar **out, int32_t *out_len, int32_t **u16_to_u8,
                      const char *s, size_t len) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(out_len);
  PX_ASSERT_ARG(s || len == 0);
  int ascii, rc;
  if (len > PX_TEXT_MAX_ICU_LEN)
    return too_big(len);
  if ((rc = check_utf8(s, len, &ascii)) < 0)
    return rc;
  UChar *u = px_malloc((len + 1) * sizeof *u);
  int32_t *map = NULL;
  if (!u)
    return PX_ENOMEM;
  if (u16_to_u8 && !(map = px_malloc((len + 1) * sizeof *map))) {
    px_free(u);
    return PX_ENOMEM;
  }
  int32_t n = 0;
  size_t i = 0;
  while (i < len) {
    UChar32 c;
    size_t start = i;
    U8_NEXT_UNSAFE((const uint8_t *)s, i, c);
    if (c < 0x10000) {
      if (map)
        map[n] = (int32_t)start;
      u[n++] = (UChar)c;
    } else {
      if (map)
        map[n] = map[n + 1] = (int32_t)start;
      u[n++] = U16_LEAD(c);
      u[n++] = U16_TRAIL(c);
    }
  }
  u[n] = 0;
  if (map)
    map[n] = (int32_t)len;
  *out = u;
  *out_len = n;
  if (u16_to_u8)
    *u16_to_u8 = map;
  return 0;
}

int px_text__from_utf16(char **out, size_t *out_len, const UChar *s,
                        int32_t len) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s || len == 0);
  PX_ASSERT_ARG(len >= 0);
  char *r = px_malloc((size_t)len * 3 + 1);
  if (!r)
    return PX_ENOMEM;
  char *p = r;
  int32_t i = 0;
  while (i < len) {
    UChar32 c;
    U16_NEXT(s, i, len, c);
    if (U_IS_SURROGATE(c))
      c = 0xFFFD;
    p = put_utf8(p, c);
  }
  *p = '\0';
  *out = r;
  if (out_len)
    *out_len = (size_t)(p - r);
  return 0;
}

/* Hand a copy of n bytes at p to the caller. */
static int give(char **out, size_t *out_len, const char *p, size_t n) {
  char *r = px_malloc(n + 1);
  if (!r)
    return PX_ENOMEM;
  if (n)
    memcpy(r, p, n);
  r[n] = '\0';
  *out = r;
  if (out_len)
    *out_len = n;
  return 0;
}

/* ---- language tags --------------------------------------------------------
 */

static inline int ascii_lower(int c) {
  return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

int px_lang_equal(const char *a, const char *b) {
  if (!a || !b)
    return 0;
  for (;; a++, b++) {
    int x = ascii_lower((unsigned char)*a), y = ascii_lower((unsigned char)*b);
    if (x == '_')
      x = '-';
    if (y == '_')
      y = '-';
    if (x != y)
      return 0;
    if (!x)
      return 1;
  }
}

int px_lang_is(const char *lang, const char *primary) {
  if (!lang || !primary || !*primary)
    return 0;
  size_t i = 0;
  for (; primary[i]; i++)
    if (ascii_lower((unsigned char)lang[i]) !=
        ascii_lower((unsigned char)primary[i]))
      return 0;
  return lang[i] == '\0' || lang[i] == '-' || lang[i] == '_';
}

void px_text__locale(char *buf, size_t cap, const char *lang) {
  if (!cap)
    return;
  buf[0] = '\0';
  if (!lang || !*lang || cap < 2)
    return;
  UErrorCode st = U_ZERO_ERROR;
  int32_t parsed = 0;
  int32_t n = uloc_forLanguageTag(lang, buf, (int32_t)cap, &parsed, &st);
  if (U_FAILURE(st) || st == U_STRING_NOT_TERMINATED_WARNING ||
      n >= (int32_t)cap) {
    /* Not a tag ICU can read: fall back to its own locale-ID parsing of the
     * text with '-' as '_', which ICU accepts for simple tags. */
    size_t i = 0;
    for (; lang[i] && i + 1 < cap; i++)
      buf[i] = lang[i] == '-' ? '_' : lang[i];
    buf[i] = '\0';
  }
}

/* ---- character classes --------------------------------------------------- */

/* What the hot loops need to know about a code point, looked up once from
 * ICU and kept in a table for the BMP (filled 256 characters at a time, on
 * first use, so a process that sees only Persian never pays for Han). */
enum {
  CP_DIGITVAL = 0x000F, /* digit value + 1 for Nd, else 0 */
  CP_SPACE = 1u << 4,   /* White_Space */
  CP_PUNCT = 1u << 5,   /* general category P* */
  CP_DASH = 1u << 6,    /* Pd, or '/' */
  CP_ALPHA = 1u << 7,   /* Alphabetic */
  CP_L = 1u << 8,       /* general category L* */
  CP_N = 1u << 9,       /* general category N* */
  CP_CTRL = 1u << 10,   /* Cc or Cf */
  CP_EXT = 1u << 11,    /* extends the token before it: M*, ZWNJ, ZWJ, VS */
  CP_MN = 1u << 12,     /* Mn or Me: removed by PX_NORM_MARKS */
  CP_FC_SHIFT = 16,     /* bits 16-19: the fast tokenizer's FC_ class */
  CP_GS_SHIFT = 20      /* bits 20-23: 1 + the letter's GS_ script group */
};

enum {
  FC_BAIL = 0,  /* not handled here: use ICU */
  FC_SPACE,     /* white space and controls: dropped */
  FC_LETTER,    /* A-Z a-z */
  FC_DIGIT,     /* 0-9 */
  FC_MIDNUMLET, /* . ' and U+2018/U+2019: inside words and numbers */
  FC_MIDNUM,    /* , ; : inside numbers only */
  FC_EXTNUM,    /* _ */
  FC_PUNCT,     /* other punctuation: one token each */
  FC_SYMBOL     /* symbols: one token each */
};

/* How the generic fast tokenizer treats c (an FC_ value, or FC_EXTEND),
 * from ICU's Word_Break property; anything that ICU tailors or segments
 * with dictionaries, and scripts not checked against ICU, is FC_BAIL. */
enum { FC_EXTEND = 9 };
static unsigned fc_compute(UChar32 c) {
  if (c == '@' || u_hasBinaryProperty(c, UCHAR_EXTENDED_PICTOGRAPHIC))
    return FC_BAIL;
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &st);
  if (U_FAILURE(st) ||
      (sc != USCRIPT_COMMON && sc != USCRIPT_INHERITED && sc != USCRIPT_LATIN &&
       sc != USCRIPT_CYRILLIC && sc != USCRIPT_ARABIC && sc != USCRIPT_GREEK))
    return FC_BAIL;
  uint32_t gc = U_GET_GC_MASK(c);
  switch (u_getIntPropertyValue(c, UCHAR_WORD_BREAK)) {
  case U_WB_ALETTER: return FC_LETTER;
  case U_WB_NUMERIC: return FC_DIGIT;
  case U_WB_MIDNUMLET:
  case U_WB_SINGLE_QUOTE: return FC_MIDNUMLET;
  case U_WB_MIDNUM: return FC_MIDNUM;
  case U_WB_EXTENDNUMLET: return FC_EXTNUM;
  case U_WB_EXTEND:
  case U_WB_FORMAT: return FC_EXTEND;
  case U_WB_CR:
  case U_WB_LF:
  case U_WB_NEWLINE:
  case U_WB_WSEGSPACE: return FC_SPACE;
  case U_WB_OTHER:
    if (u_isUWhiteSpace(c) || (gc & (U_GC_CC_MASK | U_GC_CF_MASK)))
      return FC_SPACE;
    if (gc & U_GC_P_MASK)
      return FC_PUNCT;
    if (gc & (U_GC_L_MASK | U_GC_N_MASK | U_GC_M_MASK))
      return FC_BAIL;
    return FC_SYMBOL;
  default: return FC_BAIL; /* MidLetter, Hebrew, Katakana, RI, ZWJ... */
  }
}

/* Script groups px_text_guess_lang() counts letters in. */
enum {
  GS_LATIN,
  GS_CYRL,
  GS_ARAB,
  GS_GREK,
  GS_HEBR,
  GS_HAN,
  GS_KANA,
  GS_HANG,
  GS_DEVA,
  GS_THAI,
  GS_ARMN,
  GS_GEOR,
  GS_OTHER,
  GS_N
};

/* 1 + the GS_ group of letter c, or 0 when c is not a letter or belongs to
 * no script (Common, Inherited). */
static unsigned gs_compute(UChar32 c) {
  if (!u_isUAlphabetic(c))
    return 0;
  UErrorCode st = U_ZERO_ERROR;
  UScriptCode sc = uscript_getScript(c, &st);
  if (U_FAILURE(st))
    return 0;
  switch (sc) {
  case USCRIPT_COMMON:
  case USCRIPT_INHERITED: return 0;
  case USCRIPT_LATIN: return 1 + GS_LATIN;
  case USCRIPT_CYRILLIC: return 1 + GS_CYRL;
  case USCRIPT_ARABIC: return 1 + GS_ARAB;
  case USCRIPT_GREEK: return 1 + GS_GREK;
  case USCRIPT_HEBREW: return 1 + GS_HEBR;
  case USCRIPT_HAN: return 1 + GS_HAN;
  case USCRIPT_HIRAGANA:
  case USCRIPT_KATAKANA: return 1 + GS_KANA;
  case USCRIPT_HANGUL: return 1 + GS_HANG;
  case USCRIPT_DEVANAGARI: return 1 + GS_DEVA;
  case USCRIPT_THAI: return 1 + GS_THAI;
  case USCRIPT_ARMENIAN: return 1 + GS_ARMN;
  case USCRIPT_GEORGIAN: return 1 + GS_GEOR;
  default: return 1 + GS_OTHER;
  }
}

static uint32_t cp_compute(UChar32 c) {
  uint32_t gc = U_GET_GC_MASK(c);
  uint32_t k = fc_compute(c) << CP_FC_SHIFT | gs_compute(c) << CP_GS_SHIFT;
  if (gc & U_GC_ND_MASK) {
    int32_t v = u_charDigitValue(c);
    if (v >= 0 && v <= 9)
      k |= (uint16_t)(v + 1);
  }
  if (u_isUWhiteSpace(c))
    k |= CP_SPACE;
  if (gc & U_GC_P_MASK)
    k |= CP_PUNCT;
  if ((gc & U_GC_PD_MASK) || c == '/')
    k |= CP_DASH;
  if (u_isUAlphabetic(c))
    k |= CP_ALPHA;
  if (gc & U_GC_L_MASK)
    k |= CP_L;
  if (gc & U_GC_N_MASK)
    k |= CP_N;
  if (gc & (U_GC_CC_MASK | U_GC_CF_MASK))
    k |= CP_CTRL;
  if ((gc & U_GC_M_MASK) || c == 0x200C || c == 0x200D ||
      (c >= 0xFE00 && c <= 0xFE0F) || (c >= 0xE0100 && c <= 0xE01EF) ||
      (c >= 0x1F3FB && c <= 0x1F3FF))
    k |= CP_EXT;
  if (gc & (U_GC_MN_MASK | U_GC_ME_MASK))
    k |= CP_MN;
  return k;
}

static uint32_t cp_table[0x10000];
static atomic_uchar cp_ready[0x100];
static pthread_mutex_t cp_lock = PTHREAD_MUTEX_INITIALIZER;

#if defined(__GNUC__)
#define COLD __attribute__((noinline, cold))
#else
#define COLD
#endif

/* Fill block (256 code points) of a lazily computed BMP table: computed
 * outside the lock, published once under it, so readers that see the
 * ready flag (acquire) see the entries. */
COLD static void table_fill(uint32_t *table, atomic_uchar *ready,
                            unsigned block, uint32_t (*compute)(UChar32)) {
  uint32_t tmp[256];
  for (unsigned i = 0; i < 256; i++)
    tmp[i] = compute((UChar32)(block << 8 | i));
  pthread_mutex_lock(&cp_lock);
  if (!atomic_load_explicit(&ready[block], memory_order_relaxed)) {
    memcpy(&table[block << 8], tmp, sizeof tmp);
    atomic_store_explicit(&ready[block], 1, memory_order_release);
  }
  pthread_mutex_unlock(&cp_lock);
}

static inline uint32_t cp_class(UChar32 c) {
  if (c > 0xFFFF)
    return cp_compute(c);
  unsigned block = (unsigned)c >> 8;
  if (!atomic_load_explicit(&cp_ready[block], memory_order_acquire))
    table_fill(cp_table, cp_ready, block, cp_compute);
  return cp_table[c];
}

/* What normalization does to a BMP character on its own, for the generic
 * fast path: bits 0-15 its full case folding when that is one BMP
 * character, and NF_ flags saying the character and its folding are left
 * alone by NFC (quick check Yes, combining class 0, so no neighbour can
 * compose or reorder with them), by NFD, NFKC and NFKD.  A character
 * without NF_NFC needs ICU. */
enum {
  NF_NFC = 1u << 16,
  NF_NFD = 1u << 17,
  NF_NFKC = 1u << 18,
  NF_NFKD = 1u << 19
};

static int nf_inert(UChar32 x, UProperty qc) {
  return u_getCombiningClass(x) == 0 &&
         u_getIntPropertyValue(x, qc) == UNORM_YES;
}

static uint32_t nf_compute(UChar32 c) {
  if (U_IS_SURROGATE(c))
    return (uint32_t)c;
  UChar in[1] = {(UChar)c}, f[4];
  UErrorCode st = U_ZERO_ERROR;
  int32_t n = u_strFoldCase(f, 4, in, 1, U_FOLD_CASE_DEFAULT, &st);
  if (U_FAILURE(st) || n != 1 || U16_IS_SURROGATE(f[0]))
    return (uint32_t)c; /* folds to several characters: ß, İ */
  uint32_t r = f[0];
  if (nf_inert(c, UCHAR_NFC_QUICK_CHECK) &&
      nf_inert(f[0], UCHAR_NFC_QUICK_CHECK))
    r |= NF_NFC;
  if (nf_inert(c, UCHAR_NFD_QUICK_CHECK) &&
      nf_inert(f[0], UCHAR_NFD_QUICK_CHECK))
    r |= NF_NFD;
  if (nf_inert(c, UCHAR_NFKC_QUICK_CHECK) &&
      nf_inert(f[0], UCHAR_NFKC_QUICK_CHECK))
    r |= NF_NFKC;
  if (nf_inert(c, UCHAR_NFKD_QUICK_CHECK) &&
      nf_inert(f[0], UCHAR_NFKD_QUICK_CHECK))
    r |= NF_NFKD;
  return r;
}

static uint32_t nf_table[0x10000];
static atomic_uchar nf_ready[0x100];

static inline uint32_t nf_info(UChar32 c) {
  if (c > 0xFFFF)
    return 0; /* no NF_ flags: ICU */
  unsigned block = (unsigned)c >> 8;
  if (!atomic_load_explicit(&nf_ready[block], memory_order_acquire))
    table_fill(nf_table, nf_ready, block, nf_compute);
  return nf_table[c];
}

/* What PX_NORM_MARKS makes of a precomposed BMP character, for the generic
 * fast path: the ICU path decomposes the text (NFD, or NFKD with
 * PX_NORM_VARIANTS), drops the marks, composes again and only then folds,
 * so a character whose decomposition is one base character followed only
 * by marks (Mn, Me: "ş" = s + U+0327, "İ" = I + U+0307, "Å" = A + U+030A,
 * also singletons such as KELVIN SIGN -> K) becomes its base there.
 * Bits 0-15 the base; MB_NFD when the canonical decomposition has that
 * form, MB_NFKD when the compatibility one has it too with the same base.
 * The base itself must then pass nf_info() like any other character (left
 * alone by the normalizations, folding to one character), which also
 * covers the steps after the base: composing (the base and every other
 * character are inert, so nothing composes), folding and dropping marks
 * again.  0: no such decomposition, ICU decides. */
enum { MB_NFD = 1u << 16, MB_NFKD = 1u << 17 };

/* The base of decomposition d[0..n), or -1 when d is not one non-mark BMP
 * character followed only by marks. */
static int32_t decomposition_base(const UChar *d, int32_t n) {
  if (n < 1 || U16_IS_SURROGATE(d[0]) || (cp_compute(d[0]) & CP_MN))
    return -1;
  for (int32_t i = 1; i < n;) {
    UChar32 m;
    U16_NEXT(d, i, n, m);
    if (!(cp_compute(m) & CP_MN))
      return -1;
  }
  return d[0];
}

static uint32_t mb_compute(UChar32 c) {
  if (U_IS_SURROGATE(c))
    return 0;
  UErrorCode st = U_ZERO_ERROR;
  const UNormalizer2 *nfd = unorm2_getNFDInstance(&st);
  const UNormalizer2 *nfkd = U_FAILURE(st) ? NULL : unorm2_getNFKDInstance(&st);
  if (U_FAILURE(st))
    return 0;
  UChar in[1] = {(UChar)c}, d[32];
  int32_t n = unorm2_normalize(nfd, in, 1, d, 32, &st);
  if (U_FAILURE(st) || (n == 1 && d[0] == c))
    return 0; /* no canonical decomposition */
  int32_t base = decomposition_base(d, n);
  if (base < 0)
    return 0;
  uint32_t r = (uint32_t)base | MB_NFD;
  st = U_ZERO_ERROR;
  n = unorm2_normalize(nfkd, in, 1, d, 32, &st);
  if (U_SUCCESS(st) && decomposition_base(d, n) == base)
    r |= MB_NFKD;
  return r;
}

static uint32_t mb_table[0x10000];
static atomic_uchar mb_ready[0x100];

static inline uint32_t mb_info(UChar32 c) {
  if (c > 0xFFFF)
    return 0; /* ICU */
  unsigned block = (unsigned)c >> 8;
  if (!atomic_load_explicit(&mb_ready[block], memory_order_acquire))
    table_fill(mb_table, mb_ready, block, mb_compute);
  return mb_table[c];
}

/* ---- the ASCII class table ---------------------------------------------- */

/* What the filter stage of normalize does with each ASCII byte, computed
 * once from ICU so the fast path cannot drift from the ICU path. */
enum {
  AC_SPACE = 1, /* White_Space */
  AC_PUNCT = 2, /* general category P* */
  AC_DASH = 4,  /* punctuation that separates words: Pd and '/' */
  AC_UPPER = 8  /* A-Z */
};
static unsigned char ascii_class[128];
static pthread_once_t ascii_once = PTHREAD_ONCE_INIT;

static void ascii_class_init(void) {
  for (int c = 0; c < 128; c++) {
    unsigned char k = 0;
    if (u_isUWhiteSpace(c))
      k |= AC_SPACE;
    if (U_GET_GC_MASK(c) & U_GC_P_MASK)
      k |= AC_PUNCT;
    if (u_charType(c) == U_DASH_PUNCTUATION || c == '/')
      k |= AC_DASH;
    if (c >= 'A' && c <= 'Z')
      k |= AC_UPPER;
    ascii_class[c] = k;
  }
}

/* ---- normalization --------------------------------------------------------
 */

/* Normalize cur with n2 (result in cur; tmp is scratch). */
static int apply_norm2(const UNormalizer2 *n2, ubuf *cur, ubuf *tmp) {
  UErrorCode st = U_ZERO_ERROR;
  int32_t span = unorm2_spanQuickCheckYes(n2, cur->p, cur->len, &st);
  if (U_FAILURE(st))
    return px_text__icu_error(st, "normalization check");
  if (span == cur->len)
    return 0;
  int32_t want = cur->len + cur->len / 2 + 16;
  for (int attempt = 0; attempt < 3; attempt++) {
    int rc = ubuf_reserve(tmp, want);
    if (rc < 0)
      return rc;
    memcpy(tmp->p, cur->p, (size_t)span * sizeof(UChar));
    st = U_ZERO_ERROR;
    int32_t n = unorm2_normalizeSecondAndAppend(
        n2, tmp->p, span, tmp->cap, cur->p + span, cur->len - span, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
      want = n + 1;
      continue;
    }
    if (U_FAILURE(st))
      return px_text__icu_error(st, "normalization");
    tmp->len = n;
    ubuf t = *cur;
    *cur = *tmp;
    *tmp = t;
    return 0;
  }
  return px_text__icu_error(U_BUFFER_OVERFLOW_ERROR, "normalization");
}

/* Case-fold cur (result in cur); *changed says whether anything did. */
static int apply_fold(ubuf *cur, ubuf *tmp, int *changed) {
  int32_t want = cur->len + 16;
  for (int attempt = 0; attempt < 3; attempt++) {
    int rc = ubuf_reserve(tmp, want);
    if (rc < 0)
      return rc;
    UErrorCode st = U_ZERO_ERROR;
    int32_t n = u_strFoldCase(tmp->p, tmp->cap, cur->p, cur->len,
                              U_FOLD_CASE_DEFAULT, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
      want = n + 1;
      continue;
    }
    if (U_FAILURE(st))
      return px_text__icu_error(st, "case folding");
    tmp->len = n;
    if (changed)
      *changed = n != cur->len ||
                 memcmp(tmp->p, cur->p, (size_t)n * sizeof(UChar)) != 0;
    ubuf t = *cur;
    *cur = *tmp;
    *tmp = t;
    return 0;
  }
  return px_text__icu_error(U_BUFFER_OVERFLOW_ERROR, "case folding");
}

/* Drop nonspacing and enclosing marks in place. */
static void drop_marks(ubuf *b) {
  int32_t i = 0, o = 0;
  while (i < b->len) {
    int32_t s = i;
    UChar32 c;
    U16_NEXT(b->p, i, b->len, c);
    if (cp_class(c) & CP_MN)
      continue;
    while (s < i)
      b->p[o++] = b->p[s++];
  }
  b->len = o;
}

/* Typographic characters of English news that normalization leaves alone
 * in NFC and case folding (no decomposition, combining class 0, no case):
 * NBSP, thin space, NNBSP (spaces), « » ‘ ’ “ ” … (punctuation), en and em
 * dash (dashes).  Returns the byte length of the one at s[i] and its
 * AC_ class bits, or 0 when it is not one of them. */
static size_t inert_char(const unsigned char *s, size_t len, size_t i,
                         unsigned *k) {
  if (s[i] == 0xC2 && i + 1 < len) {
    switch (s[i + 1]) {
    case 0xA0: *k = AC_SPACE; return 2;
    case 0xAB:
    case 0xBB: *k = AC_PUNCT; return 2;
    default: return 0;
    }
  }
  if (s[i] == 0xE2 && i + 2 < len && s[i + 1] == 0x80) {
    switch (s[i + 2]) {
    case 0x89:
    case 0xAF: *k = AC_SPACE; return 3;
    case 0x93:
    case 0x94: *k = AC_PUNCT | AC_DASH; return 3;
    case 0x98:
    case 0x99:
    case 0x9C:
    case 0x9D:
    case 0xA6: *k = AC_PUNCT; return 3;
    default: return 0;
    }
  }
  return 0;
}

/* 1 if the fast path can normalize s: ASCII plus inert characters. */
static int fast_normalizable(const unsigned char *s, size_t len) {
  for (size_t i = 0; i < len;) {
    if (s[i] < 0x80) {
      i++;
      continue;
    }
    unsigned k;
    size_t n = inert_char(s, len, i, &k);
    if (!n)
      return 0;
    i += n;
  }
  return 1;
}

/* The fast path: the same result as the ICU path for text that
 * fast_normalizable() accepts (tests compare the two). */
static int normalize_fast(char **out, size_t *out_len, const char *str,
                          size_t len, unsigned flags) {
  const unsigned char *s = (const unsigned char *)str;
  pthread_once(&ascii_once, ascii_class_init);
  char *r = px_malloc(len + 1);
  if (!r)
    return PX_ENOMEM;
  char *p = r;
  int pending = 0; /* a collapsed space waits for the next character */
  for (size_t i = 0; i < len; i++) {
    unsigned char c = s[i];
    size_t n = 1;
    unsigned k;
    if (c >= 0x80) {
      n = inert_char(s, len, i, &k);
      i += n - 1;
    } else {
      k = ascii_class[c];
    }
    if ((flags & PX_NORM_NEWLINES) && c == '\r') {
      if (i + 1 < len && s[i + 1] == '\n')
        continue;
      c = '\n';
      k = ascii_class[c];
    }
    if ((flags & PX_NORM_PUNCT) && (k & AC_PUNCT)) {
      if (!(k & AC_DASH))
        continue;
      c = ' ';
      n = 1;
      k = AC_SPACE;
    }
    if ((flags & PX_NORM_SPACES) && (k & AC_SPACE)) {
      pending = 1;
      continue;
    }
    if (pending) {
      if (p > r)
        *p++ = ' ';
      pending = 0;
    }
    if (n > 1) {
      memcpy(p, s + i + 1 - n, n);
      p += n;
      continue;
    }
    if ((flags & PX_NORM_FOLD) && (k & AC_UPPER))
      c = (unsigned char)(c + 32);
    *p++ = (char)c;
  }
  *p = '\0';
  *out = r;
  if (out_len)
    *out_len = (size_t)(p - r);
  return 0;
}

/* Letters writers use for one another (PX_NORM_VARIANTS): Arabic yeh and
 * alef maksura for Persian yeh, Arabic kaf for keheh (Arabic keyboards
 * typing Persian), Russian ё written е. */
static inline UChar32 variant_of(UChar32 ch) {
  switch (ch) {
  case 0x064A:
  case 0x0649: return 0x06CC;
  case 0x0643: return 0x06A9;
  case 0x0451: return 0x0435;
  case 0x0401: return 0x0415;
  default: return ch;
  }
}

/* The last step both normalization passes share, for one character ch of
 * class k: punctuation dropped (a dash becomes a space) under PX_NORM_PUNCT,
 * white space collapsed into one pending ' ' under PX_NORM_SPACES (written
 * only between two characters, so the result is trimmed), digits of any
 * script made ASCII under PX_NORM_DIGITS, then ch written at p.  r is the
 * start of the output.  Returns the new end of the output. */
static inline char *emit_normalized(char *p, const char *r, int *pending,
                                    UChar32 ch, uint32_t k, unsigned flags) {
  int space = 0;
  if ((flags & PX_NORM_PUNCT) && (k & CP_PUNCT)) {
    if (!(k & CP_DASH))
      return p;
    space = 1;
  }
  if (space || ((flags & PX_NORM_SPACES) && (k & CP_SPACE))) {
    if (flags & PX_NORM_SPACES) {
      *pending = 1;
      return p;
    }
    ch = space ? ' ' : ch;
  }
  if (*pending) {
    if (p > r)
      *p++ = ' ';
    *pending = 0;
  }
  if ((flags & PX_NORM_DIGITS) && ch >= 0x80 && (k & CP_DIGITVAL))
    ch = '0' + (UChar32)(k & CP_DIGITVAL) - 1;
  return put_utf8(p, ch);
}

/* The filter stage of the ICU path: UTF-16 in b -> UTF-8 in c->out. */
static int normalize_filter(text_cache *c, const ubuf *b, unsigned flags,
                            size_t *n_out) {
  int rc = out_reserve(c, (size_t)b->len * 3 + 1);
  if (rc < 0)
    return rc;
  char *r = c->out, *p = r;
  int pending = 0;
  int32_t i = 0;
  if ((flags & PX_NORM_NEWLINES) && b->len > 0 && b->p[0] == 0xFEFF)
    i = 1;
  while (i < b->len) {
    UChar32 ch;
    U16_NEXT(b->p, i, b->len, ch);
    if ((flags & PX_NORM_NEWLINES) && ch == '\r') {
      if (i < b->len && b->p[i] == '\n')
        continue;
      ch = '\n';
    }
    if ((flags & PX_NORM_MARKS) && ch == 0x0640) /* tatweel */
      continue;
    if ((flags & PX_NORM_SPACES) && (ch == 0xFEFF || ch == 0x200B))
      continue; /* invisible: a stray BOM, a zero-width space */
    if (flags & PX_NORM_VARIANTS)
      ch = variant_of(ch);
    p = emit_normalized(p, r, &pending, ch, cp_class(ch), flags);
  }
  *p = '\0';
  *n_out = (size_t)(p - r);
  return 0;
}

/* The generic fast path: text whose every character normalization leaves
 * alone (see nf_info) needs no ICU pass, only the character-by-character
 * work: folding, marks, variants, spaces, digits, punctuation.  This is
 * most Persian, Arabic, Russian and Greek news; under PX_NORM_MARKS also
 * Turkish, Polish, Czech, French... whose precomposed letters become their
 * bases (see mb_info).  Returns 1 when done, 0 when the text needs ICU, or
 * PX_ENOMEM. */
static int normalize_generic(text_cache *c, char **out, size_t *out_len,
                             const char *str, size_t len, unsigned flags) {
  const unsigned char *s = (const unsigned char *)str;
  uint32_t need = NF_NFC;
  if (flags & PX_NORM_VARIANTS)
    need |= NF_NFKC | ((flags & PX_NORM_MARKS) ? NF_NFKD : 0);
  else if (flags & PX_NORM_MARKS)
    need |= NF_NFD;
  /* Precomposed letters whose marks PX_NORM_MARKS drops (see mb_info). */
  uint32_t mb_need = !(flags & PX_NORM_MARKS)     ? 0
                     : (flags & PX_NORM_VARIANTS) ? MB_NFKD
                                                  : MB_NFD;
  size_t i, n;
  /* A folding can be longer in UTF-8 than its source (Ⱥ -> ⱥ): 3/2. */
  int rc = out_reserve(c, len + len / 2 + 1);
  if (rc < 0)
    return rc;
  char *r = c->out, *p = r;
  int pending = 0;
  i = 0;
  if ((flags & PX_NORM_NEWLINES) && len >= 3 && s[0] == 0xEF && s[1] == 0xBB &&
      s[2] == 0xBF)
    i = 3;
  /* ASCII (most of a Latin-script word) is read from the tables' block 0
   * directly: ICU leaves it alone in every normalization form, folds it
   * within ASCII, and it holds no mark, tatweel, invisible or variant
   * letter (tests compare every ASCII character with the ICU path). */
  (void)nf_info(0);
  (void)cp_class(0);
  for (; i < len; i += n) {
    if (s[i] < 0x80) {
      n = 1;
      UChar32 a = s[i];
      if (flags & PX_NORM_FOLD)
        a = (UChar32)(nf_table[a] & 0xFFFF);
      if ((flags & PX_NORM_NEWLINES) && a == '\r') {
        if (i + 1 < len && s[i + 1] == '\n')
          continue;
        a = '\n';
      }
      p = emit_normalized(p, r, &pending, a, cp_table[a], flags);
      continue;
    }
    UChar32 ch = decode_valid(s, i, &n);
    uint32_t nf = nf_info(ch);
    if ((nf & need) != need) {
      uint32_t mb = mb_need ? mb_info(ch) : 0;
      if (!(mb & mb_need))
        return 0; /* needs ICU after all: the scratch output is dropped */
      ch = (UChar32)(mb & 0xFFFF); /* its marks go: only the base is left */
      nf = nf_info(ch);
      if ((nf & need) != need)
        return 0;
    }
    if (flags & PX_NORM_FOLD) /* first, as in the ICU path */
      ch = (UChar32)(nf & 0xFFFF);
    if ((flags & PX_NORM_NEWLINES) && ch == '\r') {
      if (i + 1 < len && s[i + 1] == '\n')
        continue;
      ch = '\n';
    }
    uint32_t k = cp_class(ch);
    if ((flags & PX_NORM_MARKS) && ((k & CP_MN) || ch == 0x0640))
      continue;
    if ((flags & PX_NORM_SPACES) && (ch == 0xFEFF || ch == 0x200B))
      continue;
    if (flags & PX_NORM_VARIANTS) {
      UChar32 v = variant_of(ch);
      if (v != ch) {
        ch = v;
        k = cp_class(ch);
      }
    }
    p = emit_normalized(p, r, &pending, ch, k, flags);
  }
  rc = give(out, out_len, r, (size_t)(p - r));
  return rc < 0 ? rc : 1;
}

int px_text_normalize(char **out, size_t *out_len, const char *s, size_t len,
                      unsigned flags) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s || len == 0);
  int ascii, rc;
  if ((rc = check_utf8(s, len, &ascii)) < 0)
    return rc;
  text_cache *c = tcache;
  /* NFKC (PX_NORM_VARIANTS) changes NBSP and … so only ASCII is fast. */
  if (!(c && c->icu_only) &&
      (ascii || (!(flags & PX_NORM_VARIANTS) &&
                 fast_normalizable((const unsigned char *)s, len))))
    return normalize_fast(out, out_len, s ? s : "", len, flags);
  if (len > PX_TEXT_MAX_ICU_LEN)
    return too_big(len);
  if (!(c = cache_get()))
    return PX_ENOMEM;
  if (!c->icu_only) {
    rc = normalize_generic(c, out, out_len, s ? s : "", len, flags);
    if (rc != 0) {
      cache_trim(c);
      return rc < 0 ? rc : 0;
    }
  }
  UErrorCode st = U_ZERO_ERROR;
  /* PX_NORM_VARIANTS composes with the compatibility mappings too. */
  int compat = (flags & PX_NORM_VARIANTS) != 0;
  const UNormalizer2 *nfc =
      compat ? unorm2_getNFKCInstance(&st) : unorm2_getNFCInstance(&st);
  const UNormalizer2 *nfd = U_FAILURE(st) ? NULL
                            : compat      ? unorm2_getNFKDInstance(&st)
                                          : unorm2_getNFDInstance(&st);
  if (U_FAILURE(st))
    return px_text__icu_error(st, "loading the normalization data");
  size_t n = 0;
  if ((rc = utf8_to_ubuf(&c->a, s, len)) < 0)
    goto done;
  if (flags & PX_NORM_MARKS) {
    /* Marks come apart from their base letters only in NFD ("é" is one
     * character in NFC); compose again afterwards. */
    if ((rc = apply_norm2(nfd, &c->a, &c->b)) < 0)
      goto done;
    drop_marks(&c->a);
    if ((rc = apply_norm2(nfc, &c->a, &c->b)) < 0)
      goto done;
  } else if (flags & (PX_NORM_NFC | PX_NORM_VARIANTS)) {
    if ((rc = apply_norm2(nfc, &c->a, &c->b)) < 0)
      goto done;
  }
  if (flags & PX_NORM_FOLD) {
    int changed = 0;
    if ((rc = apply_fold(&c->a, &c->b, &changed)) < 0)
      goto done;
    /* Folding can leave text that is not NFC (U+0345 -> U+03B9 after a
     * base) or bring marks (İ -> i + U+0307): when it changed anything,
     * drop marks again and re-check NFC. */
    if (changed && (flags & PX_NORM_MARKS))
      drop_marks(&c->a);
    if (changed && (flags & (PX_NORM_NFC | PX_NORM_MARKS | PX_NORM_VARIANTS)) &&
        (rc = apply_norm2(nfc, &c->a, &c->b)) < 0)
      goto done;
  }
  if ((rc = normalize_filter(c, &c->a, flags, &n)) < 0)
    goto done;
  rc = give(out, out_len, c->out, n);
done:
  cache_trim(c);
  return rc;
}

/* ---- tokens -------------------------------------------------------------- */

/* This thread's word break iterator for lang (opened on first use). */
static int get_word_breaker(text_cache *c, const char *lang,
                            UBreakIterator **out) {
  char key[32];
  size_t n = 0;
  if (lang)
    for (; lang[n] && n + 1 < sizeof key; n++)
      key[n] = (char)ascii_lower((unsigned char)lang[n]);
  key[n] = '\0';
  int victim;
  for (int i = 0; i < BRK_SLOTS; i++)
    if (c->brk[i].bi && strcmp(c->brk[i].lang, key) == 0) {
      c->brk[i].used = ++c->tick;
      *out = c->brk[i].bi;
      return 0;
    }
  /* An empty slot, else the least recently used one. */
  victim = 0;
  for (int i = 0; i < BRK_SLOTS; i++) {
    if (!c->brk[i].bi) {
      victim = i;
      break;
    }
    if (c->brk[i].used < c->brk[victim].used)
      victim = i;
  }
  char loc[64];
  px_text__locale(loc, sizeof loc, lang);
  UErrorCode st = U_ZERO_ERROR;
  UBreakIterator *bi = ubrk_open(UBRK_WORD, loc, NULL, 0, &st);
  if (U_FAILURE(st))
    return px_text__icu_error(st, "opening the word break iterator");
  if (c->brk[victim].bi)
    ubrk_close(c->brk[victim].bi);
  memcpy(c->brk[victim].lang, key, n + 1);
  c->brk[victim].bi = bi;
  c->brk[victim].used = ++c->tick;
  *out = bi;
  return 0;
}

/* The kind of a segment ICU calls a word or a number.  ICU's status
 * depends on how the segment ends ("abc123" is a number, "9__" a word), so
 * the kind comes from the content instead: any letter makes a word, else
 * any digit a number, else (connectors only, "__") a word. */
static px_token_kind word_kind(const UChar *u, int32_t from, int32_t to) {
  int digits = 0;
  for (int32_t i = from; i < to;) {
    UChar32 ch;
    U16_NEXT(u, i, to, ch);
    uint32_t k = cp_class(ch);
    if (k & CP_ALPHA)
      return PX_TOK_WORD;
    digits |= (k & CP_DIGITVAL) != 0;
  }
  return digits ? PX_TOK_NUMBER : PX_TOK_WORD;
}

typedef struct tok_sink {
  text_cache *c;
  size_t n;
} tok_sink;

static int tok_push(tok_sink *k, size_t off, size_t len, px_token_kind kind) {
  text_cache *c = k->c;
  if (k->n == c->tok_cap) {
    size_t cap = c->tok_cap ? c->tok_cap * 2 : 256;
    px_token *t = px_realloc(c->toks, cap * sizeof *t);
    if (!t)
      return PX_ENOMEM;
    c->toks = t;
    c->tok_cap = cap;
  }
  c->toks[k->n].off = off;
  c->toks[k->n].len = len;
  c->toks[k->n].kind = kind;
  k->n++;
  return 0;
}

/* Split a segment ICU gave no word status (spaces, punctuation, symbols,
 * stray marks) into tokens: one per punctuation or symbol character, runs
 * of letters/digits together, white space and invisible controls dropped,
 * extenders glued to the token before them. */
static int split_other(tok_sink *k, const UChar *u, int32_t from, int32_t to,
                       size_t u8off) {
  int32_t i = from;
  size_t off = u8off;
  int open = 0;       /* the last token ends where this character starts */
  int pending_ri = 0; /* the last token is a lone regional indicator */
  int after_zwj = 0;  /* the previous character was U+200D */
  while (i < to) {
    UChar32 ch;
    U16_NEXT(u, i, to, ch);
    size_t clen = U8_LENGTH(ch);
    uint32_t cls = cp_class(ch);
    px_token *last = k->n ? &k->c->toks[k->n - 1] : NULL;
    int rc = 0, ri = ch >= 0x1F1E6 && ch <= 0x1F1FF;
    if ((cls & CP_EXT) || (after_zwj && open && last)) {
      /* marks and joiners extend; so does whatever a ZWJ joins on */
      if (open && last)
        last->len += clen;
    } else if (ch >= 0x1F1E6 && ch <= 0x1F1FF && open && last &&
               last->kind == PX_TOK_SYMBOL && last->len == 4 && pending_ri) {
      last->len += clen; /* a flag is a pair of regional indicators */
      ri = 0;
    } else if (cls & (CP_SPACE | CP_CTRL)) {
      open = 0;
    } else if (cls & CP_PUNCT) {
      rc = tok_push(k, off, clen, PX_TOK_PUNCT);
      open = 1;
    } else if (cls & (CP_L | CP_N)) {
      px_token_kind kind = (cls & CP_L) ? PX_TOK_WORD : PX_TOK_NUMBER;
      if (open && last &&
          (last->kind == PX_TOK_WORD || last->kind == PX_TOK_NUMBER)) {
        last->len += clen;
        if (kind == PX_TOK_WORD)
          last->kind = PX_TOK_WORD;
      } else {
        rc = tok_push(k, off, clen, kind);
      }
      open = 1;
    } else {
      rc = tok_push(k, off, clen, PX_TOK_SYMBOL);
      open = 1;
    }
    if (rc < 0)
      return rc;
    pending_ri = ri;
    after_zwj = ch == 0x200D;
    off += clen;
  }
  return 0;
}

/* ---- the fast tokenizer ---------------------------------------------------
 */

/* Most lines of English news are ASCII with a few typographic characters
 * (curly quotes, dashes, NBSP).  For those, UAX #29 as ICU's root rules
 * apply it reduces to a few cases, handled here without ICU; anything else
 * (including '@', which ICU treats as a letter with odd statuses) falls
 * back to ICU.  Tests compare the two on random text. */
static unsigned char fast_ascii[128];
static pthread_once_t fast_once = PTHREAD_ONCE_INIT;

static void fast_init(void) {
  pthread_once(&ascii_once, ascii_class_init);
  for (int c = 0; c < 128; c++) {
    unsigned char k;
    if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
      k = FC_LETTER;
    else if (c >= '0' && c <= '9')
      k = FC_DIGIT;
    else if (c == '.' || c == '\'')
      k = FC_MIDNUMLET;
    else if (c == ',' || c == ';')
      k = FC_MIDNUM;
    else if (c == '_')
      k = FC_EXTNUM;
    else if (c == '@')
      k = FC_BAIL;
    else if ((ascii_class[c] & AC_SPACE) || c < 0x20 || c == 0x7F)
      k = FC_SPACE;
    else if (ascii_class[c] & AC_PUNCT)
      k = FC_PUNCT;
    else
      k = FC_SYMBOL;
    fast_ascii[c] = k;
  }
}

/* Class and byte length of the character at s[i] (i < len). */
static inline int fast_class(const unsigned char *s, size_t len, size_t i,
                             size_t *clen) {
  unsigned c = s[i];
  if (c < 0x80) {
    *clen = 1;
    return fast_ascii[c];
  }
  if (c == 0xC2 && i + 1 < len) {
    *clen = 2;
    switch (s[i + 1]) {
    case 0xA0: return FC_SPACE; /* NBSP */
    case 0xAB:
    case 0xBB: return FC_PUNCT; /* « » */
    default: return FC_BAIL;
    }
  }
  if (c == 0xE2 && i + 2 < len && s[i + 1] == 0x80) {
    *clen = 3;
    switch (s[i + 2]) {
    case 0x89: return FC_SPACE; /* thin space; U+202F NNBSP is ExtendNumLet */
    case 0x93:
    case 0x94: return FC_PUNCT; /* en, em dash */
    case 0x98:
    case 0x99: return FC_MIDNUMLET; /* ‘ ’ */
    case 0x9C:
    case 0x9D: return FC_PUNCT; /* “ ” */
    case 0xA6: return FC_PUNCT; /* … */
    default: return FC_BAIL;
    }
  }
  return FC_BAIL;
}

/* Tokenize s into k without ICU; 0 when the text needs ICU (k->n is then
 * reset), 1 when done, or PX_ENOMEM. */
static int tokenize_fast(tok_sink *k, const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0, cl, cl2, cl3;
  /* First make sure every character is one we know. */
  for (i = 0; i < len; i += cl)
    if (fast_class(s, len, i, &cl) == FC_BAIL)
      return 0;
  i = 0;
  while (i < len) {
    int cls = fast_class(s, len, i, &cl);
    int rc = 0;
    if (cls == FC_SPACE) {
      i += cl;
      continue;
    }
    if (cls == FC_LETTER || cls == FC_DIGIT || cls == FC_EXTNUM) {
      size_t start = i;
      int letters = 0, digits = 0, last = cls;
      for (;;) {
        letters |= last == FC_LETTER;
        digits |= last == FC_DIGIT;
        i += cl;
        if (i >= len)
          break;
        int c2 = fast_class(s, len, i, &cl2);
        if (c2 == FC_LETTER || c2 == FC_DIGIT || c2 == FC_EXTNUM) {
          last = c2; /* WB5, WB8-10, WB13a-b */
          cl = cl2;
          continue;
        }
        if ((c2 != FC_MIDNUMLET && c2 != FC_MIDNUM) || i + cl2 >= len)
          break;
        int c3 = fast_class(s, len, i + cl2, &cl3);
        /* WB6-7: letter (.|') letter; WB11-12: digit (.|'|,|;) digit */
        if ((last == FC_LETTER && c2 == FC_MIDNUMLET && c3 == FC_LETTER) ||
            (last == FC_DIGIT && c3 == FC_DIGIT)) {
          i += cl2;
          last = c3;
          cl = cl3;
          continue;
        }
        break;
      }
      size_t n = i - start;
      /* A lone '_' has no word status in ICU: it is punctuation. */
      px_token_kind kind = letters  ? PX_TOK_WORD
                           : digits ? PX_TOK_NUMBER
                           : n == 1 ? PX_TOK_PUNCT
                                    : PX_TOK_WORD;
      rc = tok_push(k, start, n, kind);
    } else {
      rc = tok_push(k, i, cl, cls == FC_SYMBOL ? PX_TOK_SYMBOL : PX_TOK_PUNCT);
      i += cl;
    }
    if (rc < 0)
      return rc;
  }
  return 1;
}

static inline unsigned fc_of(UChar32 c) {
  return c > 0xFFFF ? FC_BAIL : (cp_class(c) >> CP_FC_SHIFT) & 0xF;
}

/* The kind of a word-like run s[from..to), as word_kind() decides it. */
static px_token_kind run_kind(const unsigned char *s, size_t from, size_t to) {
  int digits = 0;
  for (size_t i = from, n; i < to; i += n) {
    uint32_t k = cp_class(decode_valid(s, i, &n));
    if (k & CP_ALPHA)
      return PX_TOK_WORD;
    digits |= (k & CP_DIGITVAL) != 0;
  }
  return digits ? PX_TOK_NUMBER : PX_TOK_WORD;
}

/* The same idea as tokenize_fast() for Latin, Cyrillic, Arabic-script and
 * Greek text: UAX #29 restricted to the Word_Break classes ICU's root rules
 * use unchanged for these scripts, with marks and format characters
 * (harakat, ZWNJ, LRM) transparent inside words.  Text with anything else,
 * or with a mark that does not follow a word character, goes to ICU.
 * Returns 1 when done, 0 for ICU (k->n reset), or PX_ENOMEM. */
static int tokenize_generic(tok_sink *k, const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i, n, n2, n3;
  unsigned prev = FC_SPACE;
  for (i = 0; i < len; i += n) {
    unsigned f = fc_of(decode_valid(s, i, &n));
    if (f == FC_BAIL)
      return 0;
    if (f == FC_EXTEND) {
      /* ICU stops a word before a connector that marks extend (U+202F +
       * LRM), so only letters and digits take marks here. */
      if (prev != FC_LETTER && prev != FC_DIGIT)
        return 0;
    } else {
      prev = f;
    }
  }
  i = 0;
  while (i < len) {
    unsigned f = fc_of(decode_valid(s, i, &n));
    int rc = 0;
    if (f == FC_SPACE) {
      i += n;
      continue;
    }
    if (f == FC_LETTER || f == FC_DIGIT || f == FC_EXTNUM) {
      size_t start = i, main = 1;
      unsigned last = f;
      i += n;
      while (i < len) {
        unsigned f2 = fc_of(decode_valid(s, i, &n2));
        if (f2 == FC_EXTEND) { /* WB4: transparent */
          i += n2;
          continue;
        }
        if (f2 == FC_LETTER || f2 == FC_DIGIT || f2 == FC_EXTNUM) {
          last = f2; /* WB5, WB8-10, WB13a-b */
          main++;
          i += n2;
          continue;
        }
        if ((f2 != FC_MIDNUMLET && f2 != FC_MIDNUM) || i + n2 >= len)
          break;
        unsigned f3 = fc_of(decode_valid(s, i + n2, &n3));
        /* WB6-7: letter (MidNumLet|') letter; WB11-12: digit mid digit */
        if ((last == FC_LETTER && f2 == FC_MIDNUMLET && f3 == FC_LETTER) ||
            (last == FC_DIGIT && f3 == FC_DIGIT)) {
          i += n2 + n3;
          last = f3;
          main += 2;
          continue;
        }
        break;
      }
      if (main == 1 && last == FC_EXTNUM) {
        k->n = 0; /* a lone connector has no word status in ICU */
        return 0;
      }
      rc = tok_push(k, start, i - start, run_kind(s, start, i));
    } else {
      uint32_t cls = cp_class(decode_valid(s, i, &n));
      rc = tok_push(k, i, n, (cls & CP_PUNCT) ? PX_TOK_PUNCT : PX_TOK_SYMBOL);
      i += n;
    }
    if (rc < 0)
      return rc;
  }
  return 1;
}

/* Languages whose ICU word rules are the root rules (the fast path is only
 * valid for those). */
static int root_word_rules(const char *lang) {
  static const char *const same[] = {"en", "fa", "ar", "ru", "de", "fr",
                                     "es", "tr", "pt", "it", "nl", "pl",
                                     "uk", "ur", "ps", "he", "el", "hy"};
  if (!lang || !*lang)
    return 1;
  for (const char *p = lang; *p; p++)
    if ((*p == 'x' || *p == 'X') && (p[1] == '-' || p[1] == '_'))
      return 0; /* private-use subtags: let ICU see them */
  for (const char *p = lang; *p; p++)
    if ((p[0] | 0x20) == 'p' && (p[1] | 0x20) == 'o' && (p[2] | 0x20) == 's')
      return 0; /* en-US-POSIX has its own rules */
  for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
    if (px_lang_is(lang, same[i]))
      return 1;
  return 0;
}

/* What every call that may go through ICU checks first: valid UTF-8 (and
 * whether it is all ASCII), a length ICU's int32_t indexes can hold, and
 * the thread's cache of ICU objects. */
static int icu_call_begin(text_cache **c, int *ascii, const char *s,
                          size_t len) {
  int rc = check_utf8(s, len, ascii);
  if (rc < 0)
    return rc;
  if (len > PX_TEXT_MAX_ICU_LEN)
    return too_big(len);
  if (!(*c = cache_get()))
    return PX_ENOMEM;
  return 0;
}

int px_text_tokenize(px_token **out, size_t *count, const char *s, size_t len,
                     const char *lang) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(count);
  PX_ASSERT_ARG(s || len == 0);
  int ascii, rc;
  text_cache *c;
  if ((rc = icu_call_begin(&c, &ascii, s, len)) < 0)
    return rc;
  UBreakIterator *bi;
  tok_sink k = {c, 0};
  if (!c->icu_only && root_word_rules(lang)) {
    pthread_once(&fast_once, fast_init);
    rc = tokenize_fast(&k, s ? s : "", len);
    if (rc == 0) {
      k.n = 0;
      rc = tokenize_generic(&k, s ? s : "", len);
    }
    if (rc < 0)
      goto done;
    if (rc == 1)
      goto emit;
    k.n = 0;
  }
  if ((rc = get_word_breaker(c, lang, &bi)) < 0)
    goto done;
  if ((rc = utf8_to_ubuf(&c->a, s, len)) < 0)
    goto done;
  UErrorCode st = U_ZERO_ERROR;
  ubrk_setText(bi, c->a.p, c->a.len, &st);
  if (U_FAILURE(st)) {
    rc = px_text__icu_error(st, "word break iteration");
    goto done;
  }
  const uint8_t *b = (const uint8_t *)s;
  int32_t u16 = 0; /* UTF-16 position matching byte position u8 */
  size_t u8 = 0;
  int32_t start = ubrk_first(bi);
  for (int32_t end = ubrk_next(bi); end != UBRK_DONE;
       start = end, end = ubrk_next(bi)) {
    int32_t status = ubrk_getRuleStatus(bi);
    size_t seg_off = u8;
    /* Walk the UTF-8 alongside: the text is valid, so lead bytes give the
     * UTF-16 length of each character. */
    while (u16 < end) {
      uint8_t lead = b[u8];
      if (lead < 0x80) {
        u8 += 1;
        u16 += 1;
      } else if (lead < 0xE0) {
        u8 += 2;
        u16 += 1;
      } else if (lead < 0xF0) {
        u8 += 3;
        u16 += 1;
      } else {
        u8 += 4;
        u16 += 2;
      }
    }
    if (status >= UBRK_WORD_NUMBER && status < UBRK_WORD_LETTER_LIMIT)
      rc = tok_push(&k, seg_off, u8 - seg_off, word_kind(c->a.p, start, end));
    else if (status >= UBRK_WORD_KANA && status < UBRK_WORD_IDEO_LIMIT)
      rc = tok_push(&k, seg_off, u8 - seg_off, PX_TOK_IDEO);
    else if (end - start != 1 || c->a.p[start] != ' ') /* most often */
      rc = split_other(&k, c->a.p, start, end, seg_off);
    if (rc < 0)
      goto done;
  }
emit:
  rc = 0;
  px_token *r = px_malloc((k.n ? k.n : 1) * sizeof *r);
  if (!r) {
    rc = PX_ENOMEM;
    goto done;
  }
  if (k.n)
    memcpy(r, c->toks, k.n * sizeof *r);
  *out = r;
  *count = k.n;
done:
  cache_trim(c);
  return rc;
}

/* ---- transliteration ----------------------------------------------------- */

/* This thread's transliterator for id (opened on first use). */
static int get_translit(text_cache *c, const char *id, UTransliterator **out) {
  int victim = 0;
  for (int i = 0; i < TR_SLOTS; i++) {
    if (c->tr[i].tr && strcmp(c->tr[i].id, id) == 0) {
      c->tr[i].used = ++c->tick;
      *out = c->tr[i].tr;
      return 0;
    }
    if (!c->tr[i].tr) {
      victim = i;
      break;
    }
    if (c->tr[i].used < c->tr[victim].used)
      victim = i;
  }
  UChar uid[256];
  size_t n = strlen(id);
  if (n == 0 || n >= sizeof uid / sizeof uid[0])
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TEXT, 0,
                        "bad transliterator id (empty or too long)");
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)id[i];
    if (ch < 0x20 || ch > 0x7E)
      return px_error_set(PX_EINVALID, PX_ERRCLASS_TEXT, 0,
                          "bad transliterator id: byte %zu is not printable "
                          "ASCII",
                          i);
    uid[i] = ch;
  }
  char *idcopy = px_strndup(id, n);
  if (!idcopy)
    return PX_ENOMEM;
  UErrorCode st = U_ZERO_ERROR;
  UParseError pe;
  UTransliterator *tr =
      utrans_openU(uid, (int32_t)n, UTRANS_FORWARD, NULL, 0, &pe, &st);
  if (U_FAILURE(st)) {
    px_free(idcopy);
    if (st == U_MEMORY_ALLOCATION_ERROR)
      return px_text__icu_error(st, "opening a transliterator");
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TEXT, (long)st,
                        "unknown transliterator id \"%s\": %s", id,
                        u_errorName(st));
  }
  if (c->tr[victim].tr)
    utrans_close(c->tr[victim].tr);
  px_free(c->tr[victim].id);
  c->tr[victim].id = idcopy;
  c->tr[victim].tr = tr;
  c->tr[victim].used = ++c->tick;
  *out = tr;
  return 0;
}

/* Transliterate c->a in place (c->b is scratch for the retry copy). */
static int translit_ubuf(text_cache *c, UTransliterator *tr) {
  int rc;
  int32_t want = c->a.len * 2 + 32;
  /* transUChars works in place and leaves the text undefined when it runs
   * out of room, so keep the input in b for a retry. */
  if ((rc = ubuf_reserve(&c->b, c->a.len + 1)) < 0)
    return rc;
  memcpy(c->b.p, c->a.p, (size_t)c->a.len * sizeof(UChar));
  c->b.len = c->a.len;
  for (int attempt = 0; attempt < 6; attempt++) {
    if ((rc = ubuf_reserve(&c->a, want)) < 0)
      return rc;
    if (attempt)
      memcpy(c->a.p, c->b.p, (size_t)c->b.len * sizeof(UChar));
    int32_t n = c->b.len, limit = c->b.len;
    UErrorCode st = U_ZERO_ERROR;
    utrans_transUChars(tr, c->a.p, &n, c->a.cap, 0, &limit, &st);
    if (st == U_BUFFER_OVERFLOW_ERROR) {
      if (want > INT32_MAX / 4)
        return too_big((size_t)want);
      want = (n > want ? n : want) * 2;
      continue;
    }
    if (U_FAILURE(st))
      return px_text__icu_error(st, "transliteration");
    c->a.len = n;
    return 0;
  }
  return px_text__icu_error(U_BUFFER_OVERFLOW_ERROR, "transliteration");
}

/* Load valid UTF-8 into c->a as NFC, ready for transforms. */
static int load_nfc(text_cache *c, const char *s, size_t len) {
  int rc = utf8_to_ubuf(&c->a, s, len);
  if (rc < 0)
    return rc;
  UErrorCode st = U_ZERO_ERROR;
  const UNormalizer2 *nfc = unorm2_getNFCInstance(&st);
  if (U_FAILURE(st))
    return px_text__icu_error(st, "loading the normalization data");
  return apply_norm2(nfc, &c->a, &c->b);
}

int px_text_translit(char **out, size_t *out_len, const char *s, size_t len,
                     const char *id) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s || len == 0);
  PX_ASSERT_ARG(id);
  int ascii, rc;
  text_cache *c;
  if ((rc = icu_call_begin(&c, &ascii, s, len)) < 0)
    return rc;
  UTransliterator *tr;
  if ((rc = get_translit(c, id, &tr)) < 0)
    goto done;
  if ((rc = utf8_to_ubuf(&c->a, s, len)) < 0)
    goto done;
  if ((rc = translit_ubuf(c, tr)) < 0)
    goto done;
  rc = px_text__from_utf16(out, out_len, c->a.p, c->a.len);
done:
  cache_trim(c);
  return rc;
}

/* The transform that romanizes text in language lang. */
static const char *romanizer_for(const char *lang) {
  static const struct {
    const char *lang, *id;
  } bgn[] = {
      {"ru", "Russian-Latin/BGN; Any-Latin; Latin-ASCII"},
      {"uk", "Ukrainian-Latin/BGN; Any-Latin; Latin-ASCII"},
      {"be", "Belarusian-Latin/BGN; Any-Latin; Latin-ASCII"},
      {"bg", "Bulgarian-Latin/BGN; Any-Latin; Latin-ASCII"},
  };
  for (size_t i = 0; i < sizeof bgn / sizeof bgn[0]; i++)
    if (px_lang_is(lang, bgn[i].lang))
      return bgn[i].id;
  /* Persian-Latin/BGN and Arabic-Latin/BGN leave letters such as alef
   * untouched (ICU 72), so Arabic script goes through Any-Latin. */
  return "Any-Latin; Latin-ASCII";
}

int px_text_romanize(char **out, size_t *out_len, const char *s, size_t len,
                     const char *lang) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s || len == 0);
  int ascii, rc;
  text_cache *c;
  if ((rc = icu_call_begin(&c, &ascii, s, len)) < 0)
    return rc;
  if (!lang)
    lang = px_text_guess_lang(s, len, "en");
  const char *id = romanizer_for(lang);
  uint64_t h = 0;
  size_t slot = 0;
  if (!ascii && len <= MEMO_MAX_KEY) {
    h = px_text_hash(s, len) ^ (uint64_t)(uintptr_t)id;
    slot = (size_t)(h % MEMO_SLOTS);
    if (c->memo[slot].id == id && c->memo[slot].hash == h &&
        c->memo[slot].klen == len && memcmp(c->memo[slot].kv, s, len) == 0)
      return give(out, out_len, c->memo[slot].kv + len, c->memo[slot].vlen);
  }
  if (!ascii) {
    UTransliterator *tr;
    if ((rc = get_translit(c, id, &tr)) < 0)
      goto done;
    if ((rc = load_nfc(c, s, len)) < 0)
      goto done;
    if ((rc = translit_ubuf(c, tr)) < 0)
      goto done;
  } else if ((rc = utf8_to_ubuf(&c->a, s, len)) < 0) {
    goto done;
  }
  /* Keep a-z (lower-cased), one space between words, inner hyphens.  An
   * ayn or hamza sign (ʿ ʾ) that opens a word stands for its vowel: علی is
   * "ʿly", which must compare with "Ali". */
  if ((rc = out_reserve(c, (size_t)c->a.len + 1)) < 0)
    goto done;
  char *p = c->out;
  int sep = 0; /* 0 none, 1 space, 2 hyphen pending */
  int in_word = 0;
  for (int32_t i = 0; i < c->a.len;) {
    UChar32 ch;
    U16_NEXT(c->a.p, i, c->a.len, ch);
    int letter = 0;
    if (ch >= 'A' && ch <= 'Z')
      ch += 32;
    if (ch >= 'a' && ch <= 'z')
      letter = 1;
    else if ((ch == 0x02BF || ch == 0x02BE) && !in_word && i < c->a.len &&
             u_isalpha(c->a.p[i])) {
      ch = 'a';
      letter = 1;
    }
    if (letter) {
      if (sep && p > c->out)
        *p++ = sep == 2 ? '-' : ' ';
      sep = 0;
      *p++ = (char)ch;
      in_word = 1;
      continue;
    }
    uint32_t gc = U_GET_GC_MASK(ch);
    if (ch == '\'' || ch == '.' || ch == '`' || ch == 0x2018 || ch == 0x2019 ||
        ch == 0x00B4 || (ch >= 0x02B9 && ch <= 0x02BF) ||
        (gc & (U_GC_M_MASK | U_GC_CF_MASK)))
      continue; /* apostrophes, BGN's soft and hard signs, ayn, periods
                   (U.S.), ZWNJ, marks: dropped inside the word */
    if ((gc & U_GC_PD_MASK) && in_word && !sep)
      sep = 2; /* a hyphen inside a compound: al-Sham */
    else if (!(gc & U_GC_PD_MASK) || sep != 2)
      sep = 1; /* anything else separates words: spaces, digits, "/" */
    in_word = 0;
  }
  size_t vlen = (size_t)(p - c->out);
  if ((rc = give(out, out_len, c->out, vlen)) < 0)
    goto done;
  if (!ascii && len <= MEMO_MAX_KEY) {
    /* Remember it; without memory, just do not. */
    char *kv = px_malloc(len + vlen + 1);
    if (kv) {
      memcpy(kv, s, len);
      memcpy(kv + len, c->out, vlen);
      px_free(c->memo[slot].kv);
      c->memo[slot].id = id;
      c->memo[slot].hash = h;
      c->memo[slot].klen = (uint32_t)len;
      c->memo[slot].vlen = (uint32_t)vlen;
      c->memo[slot].kv = kv;
    }
  }
done:
  cache_trim(c);
  return rc;
}

/* ---- skeletons ------------------------------------------------------------
 */

/* Skeleton of one word of lower-case ASCII letters w[0..n) appended at p. */
static char *skeleton_word(char *p, const char *w, size_t n) {
  char last = 0;
  for (size_t i = 0; i < n;) {
    char ch = w[i], nx = i + 1 < n ? w[i + 1] : 0,
         nx2 = i + 2 < n ? w[i + 2] : 0;
    int first = i == 0;
    char sym = 0, sym2 = 0; /* 0: a vowel, dropped unless first */
    size_t adv = 1;
    if (ch == 'k' && nx == 'h') {
      sym = first ? 'h' : 0; /* kh is h: Роухани "Roukhani" is Rouhani */
      adv = 2;
    } else if (ch == 'd' && nx == 'z' && nx2 == 'h') {
      sym = 'j';
      adv = 3;
    } else if (ch == 'd' && nx == 'j') {
      sym = 'j';
      adv = 2;
    } else if (nx == 'h' && strchr("csztdgp", ch)) {
      /* sh->s, ch->c, zh->z, th->t, dh->z, gh->k, ph->f->v */
      sym = ch == 'd' ? 'z' : ch == 'g' ? 'k' : ch == 'p' ? 'v' : ch;
      adv = 2;
    } else if (ch == 'c' && nx == 'k') {
      sym = 'k';
      adv = 2;
    } else if (ch == 'c' || ch == 'q' || ch == 'g') {
      sym = 'k';
    } else if (ch == 'x') {
      sym = 'k';
      sym2 = 's';
    } else if (ch == 'w') {
      /* Persian و romanizes as w: a consonant v at the start, after alef
       * (لاوروف "lawrwf" is Lavrov) and doubled (زاخارووا "zakharwwa"),
       * else a vowel (روحانی "rwhany", Rowhani). */
      sym = first || w[i - 1] == 'a' || w[i - 1] == 'w' ? 'v' : 0;
    } else if (ch == 'f') {
      sym = 'v'; /* Persian writes Russian -ov as -wf: Nazarbayev, نظربایف */
    } else if (ch == 'a' || ch == 'e' || ch == 'i' || ch == 'o' || ch == 'u') {
      sym = first ? 'a' : 0;
    } else if (ch == 'y' || ch == 'h') {
      sym = first ? ch : 0;
    } else {
      sym = ch;
    }
    i += adv;
    if (!sym)
      continue;
    if (sym != last)
      *p++ = sym;
    last = sym;
    if (sym2) {
      *p++ = sym2;
      last = sym2;
    }
  }
  return p;
}

int px_text_skeleton(char **out, size_t *out_len, const char *s, size_t len) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s || len == 0);
  int ascii, rc;
  if ((rc = check_utf8(s, len, &ascii)) < 0)
    return rc;
  /* Each input letter gives at most two output letters ("x" -> "ks"). */
  char *r = px_malloc(2 * len + 1);
  if (!r)
    return PX_ENOMEM;
  char *p = r;
  char word[256];
  size_t wn = 0;
  for (size_t i = 0; i <= len; i++) {
    int ch = i < len ? ascii_lower((unsigned char)s[i]) : 0;
    if (ch >= 'a' && ch <= 'z' && wn < sizeof word) {
      word[wn++] = (char)ch;
      continue;
    }
    if (ch >= 'a' && ch <= 'z')
      continue; /* a word longer than 256 letters: the rest is ignored */
    if (wn) {
      char *before = p;
      if (p > r)
        *p++ = ' ';
      char *q = skeleton_word(p, word, wn);
      p = q > p ? q : before;
      wn = 0;
    }
  }
  *p = '\0';
  *out = r;
  if (out_len)
    *out_len = (size_t)(p - r);
  return 0;
}

/* ---- digits ---------------------------------------------------------------
 */

int px_text_digits_for_lang(char **out, size_t *out_len, const char *s,
                            size_t len, const char *lang) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(s || len == 0);
  int ascii, rc;
  if ((rc = check_utf8(s, len, &ascii)) < 0)
    return rc;
  unsigned zero = 0; /* the code point of the language's digit zero */
  if (px_lang_is(lang, "fa") || px_lang_is(lang, "ur") ||
      px_lang_is(lang, "ps"))
    zero = 0x06F0; /* extended Arabic-Indic */
  else if (px_lang_is(lang, "ar") || px_lang_is(lang, "ckb"))
    zero = 0x0660; /* Arabic-Indic */
  if (!zero)
    return give(out, out_len, s ? s : "", len);
  if (len > SIZE_MAX / 2 - 1)
    return too_big(len);
  char *r = px_malloc(2 * len + 1);
  if (!r)
    return PX_ENOMEM;
  char *p = r;
  for (size_t i = 0; i < len; i++) {
    unsigned char ch = (unsigned char)s[i];
    if (ch >= '0' && ch <= '9')
      p = put_utf8(p, (UChar32)(zero + (ch - '0')));
    else
      *p++ = (char)ch;
  }
  *p = '\0';
  *out = r;
  if (out_len)
    *out_len = (size_t)(p - r);
  return 0;
}

/* ---- language guessing ----------------------------------------------------
 */

const char *px_text_guess_lang(const char *s, size_t len,
                               const char *fallback) {
  if (!s)
    return fallback;
  if (len > 65536)
    len = 65536;
  size_t count[GS_N] = {0};
  size_t persian = 0, urdu = 0;
  const uint8_t *b = (const uint8_t *)s;
  int32_t n = (int32_t)len, i = 0;
  while (i < n) {
    if (b[i] < 0x80) {
      unsigned ch = b[i++];
      if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')
        count[GS_LATIN]++;
      continue;
    }
    UChar32 ch;
    U8_NEXT(b, i, n, ch);
    if (ch < 0)
      continue;
    unsigned g =
        ch > 0xFFFF ? gs_compute(ch) : (cp_class(ch) >> CP_GS_SHIFT) & 0xF;
    if (!g)
      continue;
    count[g - 1]++;
    if (g - 1 == GS_ARAB) {
      if (ch == 0x067E || ch == 0x0686 || ch == 0x0698 || ch == 0x06AF ||
          ch == 0x06A9 || ch == 0x06CC)
        persian++;
      else if (ch == 0x0679 || ch == 0x0688 || ch == 0x0691 || ch == 0x06BA ||
               ch == 0x06C1 || ch == 0x06D2)
        urdu++;
    }
  }
  /* Han and kana compete as one group: Japanese mixes both. */
  size_t cjk = count[GS_HAN] + count[GS_KANA];
  int best = GS_LATIN;
  size_t best_n = count[GS_LATIN];
  for (int k = GS_CYRL; k < GS_N; k++) {
    size_t v = (k == GS_HAN || k == GS_KANA) ? cjk : count[k];
    if (v > best_n) {
      best = k;
      best_n = v;
    }
  }
  if (best_n == 0)
    return fallback;
  switch (best) {
  case GS_CYRL: return "ru";
  case GS_ARAB:
    /* Persian text is full of ی and ک; an Arabic article may carry a few
     * typed on a Persian keyboard, hence the 1% threshold. */
    if (urdu * 100 >= count[GS_ARAB] && urdu > persian / 4)
      return "ur";
    return persian * 100 >= count[GS_ARAB] ? "fa" : "ar";
  case GS_GREK: return "el";
  case GS_HEBR: return "he";
  case GS_HAN:
  case GS_KANA: return count[GS_KANA] * 20 >= cjk ? "ja" : "zh";
  case GS_HANG: return "ko";
  case GS_DEVA: return "hi";
  case GS_THAI: return "th";
  case GS_ARMN: return "hy";
  case GS_GEOR: return "ka";
  default: return fallback;
  }
}

/* ---- similarity and hashing ---------------------------------------------- */

/* Decode s into code points (or bytes when it is not UTF-8). */
static size_t to_code_points(int32_t *dst, const char *s, size_t len) {
  int ascii;
  size_t n = 0;
  if (utf8_check((const unsigned char *)s, len, &ascii) < len || ascii) {
    for (size_t i = 0; i < len; i++)
      dst[n++] = (unsigned char)s[i];
    return n;
  }
  size_t i = 0;
  while (i < len) {
    UChar32 ch;
    U8_NEXT_UNSAFE((const uint8_t *)s, i, ch);
    dst[n++] = ch;
  }
  return n;
}

double px_text_jaro_winkler(const char *a, size_t alen, const char *b,
                            size_t blen) {
  if (!a)
    alen = 0;
  if (!b)
    blen = 0;
  if (alen == 0 && blen == 0)
    return 1.0;
  if (alen == 0 || blen == 0)
    return 0.0;
  int32_t sa[64], sb[64];
  unsigned char ma[64], mb[64];
  int32_t *x = sa, *y = sb;
  unsigned char *fx = ma, *fy = mb;
  void *heap = NULL;
  if (alen > 64 || blen > 64) {
    size_t need = (alen + blen) * (sizeof(int32_t) + 1);
    heap = px_malloc(need);
    if (!heap)
      return 0.0; /* documented: out of memory compares as different */
    x = heap;
    y = x + alen;
    fx = (unsigned char *)(y + blen);
    fy = fx + alen;
  }
  size_t n = to_code_points(x, a ? a : "", alen);
  size_t m = to_code_points(y, b ? b : "", blen);
  memset(fx, 0, n);
  memset(fy, 0, m);
  size_t window = (n > m ? n : m) / 2;
  window = window > 0 ? window - 1 : 0;
  size_t matches = 0;
  for (size_t i = 0; i < n; i++) {
    size_t lo = i > window ? i - window : 0;
    size_t hi = i + window + 1 < m ? i + window + 1 : m;
    for (size_t j = lo; j < hi; j++)
      if (!fy[j] && x[i] == y[j]) {
        fx[i] = fy[j] = 1;
        matches++;
        break;
      }
  }
  double r = 0.0;
  if (matches) {
    size_t t = 0, j = 0;
    for (size_t i = 0; i < n; i++) {
      if (!fx[i])
        continue;
      while (!fy[j])
        j++;
      if (x[i] != y[j])
        t++;
      j++;
    }
    double md = (double)matches;
    double jaro =
        (md / (double)n + md / (double)m + (md - (double)t / 2) / md) / 3;
    size_t prefix = 0;
    while (prefix < 4 && prefix < n && prefix < m && x[prefix] == y[prefix])
      prefix++;
    r = jaro > 0.7 ? jaro + (double)prefix * 0.1 * (1 - jaro) : jaro;
  }
  px_free(heap);
  return r;
}

uint64_t px_text_hash(const char *s, size_t len) {
  uint64_t h = UINT64_C(14695981039346656037);
  const unsigned char *p = (const unsigned char *)s;
  for (size_t i = 0; s && i < len; i++) {
    h ^= p[i];
    h *= UINT64_C(1099511628211);
  }
  return h;
}

/* ---- edit distances -------------------------------------------------------
 */

/* Levenshtein over two arrays of 64-bit values with one row of memory. */
static int levenshtein64(size_t *out, const uint64_t *a, size_t n,
                         const uint64_t *b, size_t m) {
  if (n < m) { /* keep the row short */
    const uint64_t *t = a;
    a = b;
    b = t;
    size_t tn = n;
    n = m;
    m = tn;
  }
  if (m == 0) {
    *out = n;
    return 0;
  }
  size_t stack[128];
  size_t *row = stack;
  if (m + 1 > sizeof stack / sizeof stack[0]) {
    if (m + 1 > SIZE_MAX / sizeof *row)
      return px_error_nomem();
    if (!(row = px_malloc((m + 1) * sizeof *row)))
      return PX_ENOMEM;
  }
  for (size_t j = 0; j <= m; j++)
    row[j] = j;
  for (size_t i = 1; i <= n; i++) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= m; j++) {
      size_t up = row[j];
      size_t best = diag + (a[i - 1] != b[j - 1]);
      if (up + 1 < best)
        best = up + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diag = up;
    }
  }
  *out = row[m];
  if (row != stack)
    px_free(row);
  return 0;
}

int px_text_edit_distance(size_t *out, const uint64_t *a, size_t n,
                          const uint64_t *b, size_t m) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(a || n == 0);
  PX_ASSERT_ARG(b || m == 0);
  return levenshtein64(out, a, n, b, m);
}

/* Decode into 64-bit values (code points, or bytes for invalid UTF-8). */
static size_t to_values(uint64_t *dst, const char *s, size_t len) {
  int ascii;
  size_t n = 0;
  if (utf8_check((const unsigned char *)s, len, &ascii) < len || ascii) {
    for (size_t i = 0; i < len; i++)
      dst[n++] = (unsigned char)s[i];
    return n;
  }
  for (size_t i = 0; i < len;) {
    UChar32 ch;
    U8_NEXT_UNSAFE((const uint8_t *)s, i, ch);
    dst[n++] = (uint64_t)ch;
  }
  return n;
}

int px_text_levenshtein(size_t *out, const char *a, size_t alen, const char *b,
                        size_t blen) {
  PX_ASSERT_ARG(out);
  PX_ASSERT_ARG(a || alen == 0);
  PX_ASSERT_ARG(b || blen == 0);
  uint64_t stack[256];
  uint64_t *x = stack;
  if (alen + blen > sizeof stack / sizeof stack[0]) {
    if (alen + blen > SIZE_MAX / sizeof *x)
      return px_error_nomem();
    if (!(x = px_malloc((alen + blen) * sizeof *x)))
      return PX_ENOMEM;
  }
  size_t n = to_values(x, a ? a : "", alen);
  size_t m = to_values(x + n, b ? b : "", blen);
  size_t d = 0;
  int rc = levenshtein64(&d, x, n, x + n, m);
  if (x != stack)
    px_free(x);
  if (rc == 0)
    *out = d;
  return rc;
}

/* ---- small helpers --------------------------------------------------------
 */

int32_t px_text_next(const char *s, size_t len, size_t *pos) {
  if (!s || !pos || *pos >= len) {
    if (pos)
      (*pos)++;
    return -1;
  }
  const unsigned char *p = (const unsigned char *)s + *pos;
  size_t rest = len - *pos;
  if (p[0] < 0x80) {
    (*pos)++;
    return p[0];
  }
  int ascii;
  size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : 2;
  if (n > rest || utf8_check(p, n, &ascii) != n) {
    (*pos)++;
    return -1;
  }
  size_t i = 0;
  UChar32 ch;
  U8_NEXT_UNSAFE(p, i, ch);
  *pos += n;
  return ch;
}

int px_text_key(char **out, size_t *out_len, const char *s, size_t len) {
  return px_text_normalize(out, out_len, s, len, PX_NORM_KEY);
}

int px_text_is_space(int32_t cp) { return cp >= 0 && u_isUWhiteSpace(cp); }

int px_text_is_letter(int32_t cp) { return cp >= 0 && u_isUAlphabetic(cp); }

int px_text_is_punct(int32_t cp) {
  return cp >= 0 && (U_GET_GC_MASK(cp) & U_GC_P_MASK) != 0;
}

int px_text_digit_value(int32_t cp) {
  if (cp < 0 || u_charType(cp) != U_DECIMAL_DIGIT_NUMBER)
    return -1;
  return u_charDigitValue(cp);
}
