/**
 * @file parallax.h
 * @brief parallax: segment, align, remember and name-check multilingual news.
 *
 * @mainpage parallax
 *
 * parallax takes the versions of one news article in several languages, cuts
 * each into sentences (segment), finds which sentences translate which
 * (align), keeps the pairs in a translation memory on LMDB (tm, tmx) and
 * checks that transliterated names are spelled one way (names).  Data flows
 * one way: text -> segments -> alignment -> memory; names and lookups read
 * from the memory.
 *
 * @section conventions Conventions
 * - Text crosses the API as `(const char *s, size_t len)` UTF-8.  Input that
 *   is not valid UTF-8 is refused with #PX_EENCODING and the byte offset of
 *   the first bad byte.  Strings returned by the library are NUL-terminated
 *   as well as counted.
 * - Every call that can fail returns `int`: 0, or a negative #px_error_code.
 *   The thread's last error (px_error_last()) then holds a one-line message
 *   with the context (file, line, byte offset).  Results go through
 *   out-parameters, which come first and are left untouched on failure.
 * - Memory: everything the library hands out is freed with px_free() or the
 *   object's own `_free` call, as each function's comment says.  A returned
 *   `const` pointer is borrowed; the comment names the event that ends it.
 *   `px_<object>_free(NULL)` is a no-op.
 * - Language tags are BCP-47 strings (`fa`, `ru`, `ar`, `en`, `pt-BR`),
 *   compared case-insensitively.
 * - Handles are opaque.  Option structs carry a version and have an
 *   `PX_<X>_OPTS_INIT` initialiser; always start from it.
 * - Thread safety: handles are not shared between threads unless the comment
 *   says so; distinct handles may be used from distinct threads.
 */
#ifndef PARALLAX_H
#define PARALLAX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PX_VERSION_MAJOR 0
#define PX_VERSION_MINOR 1
#define PX_VERSION_PATCH 0
#define PX_VERSION_STRING "0.1.0"

#if defined(__GNUC__)
#define PX_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PX_PRINTF(f, a)
#endif

/* ==== errors =========================================================== */
/** @defgroup errors Errors
 * @{ */

/** Return codes.  0 is success; every failure is negative. */
typedef enum px_error_code {
  PX_OK = 0,
  PX_ERROR = -1,      /**< a failure with no more specific code */
  PX_EINVALID = -2,   /**< the caller passed an invalid argument */
  PX_ENOMEM = -3,     /**< out of memory */
  PX_ENOTFOUND = -4,  /**< the thing asked for does not exist */
  PX_EEXISTS = -5,    /**< the thing to create exists already */
  PX_ETOOBIG = -6,    /**< an input exceeds a documented limit */
  PX_EENCODING = -7,  /**< input is not valid UTF-8 */
  PX_EPARSE = -8,     /**< malformed input (TMX, SRX, lexicon, gold file) */
  PX_EIO = -9,        /**< a file could not be read or written */
  PX_ESTORE = -10,    /**< the LMDB store failed (cause: the MDB_ code) */
  PX_EUNICODE = -11,  /**< ICU failed (cause: the UErrorCode) */
  PX_EDICT = -12,     /**< a dictionary is missing or unusable */
  PX_ESCHEMA = -13,   /**< a store written by another schema version */
  PX_EREADONLY = -14, /**< a write to a store opened read-only */
  PX_ITEROVER = -30   /**< not a failure: an iterator is exhausted */
} px_error_code;

/** Where an error arose: the module that set it. */
typedef enum px_error_class {
  PX_ERRCLASS_NONE = 0,
  PX_ERRCLASS_OS, /**< cause is an errno value */
  PX_ERRCLASS_NOMEM,
  PX_ERRCLASS_TEXT, /**< cause is a UErrorCode when ICU failed */
  PX_ERRCLASS_SEGMENT,
  PX_ERRCLASS_ALIGN,
  PX_ERRCLASS_LEXICON,
  PX_ERRCLASS_TM,  /**< cause is an MDB_ return code */
  PX_ERRCLASS_TMX, /**< cause is an XML_Error */
  PX_ERRCLASS_NAMES,
  PX_ERRCLASS_INVALID
} px_error_class;

/** The detail of the thread's last failure. */
typedef struct px_error {
  int code;   /**< a #px_error_code */
  int klass;  /**< a #px_error_class */
  long cause; /**< the foreign code (errno, MDB_, UErrorCode, XML_Error) or 0 */
  char message[512]; /**< one line, no trailing newline */
} px_error;

/** @brief The calling thread's last error.
 *
 * Never NULL.  Valid until the thread's next parallax call that fails or
 * calls px_error_clear().  After a success the content is unspecified: read
 * it only after a call has returned a negative code. */
const px_error *px_error_last(void);

/** Clear the calling thread's last error. */
void px_error_clear(void);

/** @brief A static English description of @p code ("invalid UTF-8", ...).
 * Never NULL; unknown codes give "unknown error". */
const char *px_strerror(int code);

/** @} */

/* ==== memory =========================================================== */
/** @defgroup memory Memory
 * All memory the library returns is allocated here and freed with px_free().
 * @{ */

/** malloc(); NULL (with #PX_ENOMEM set as the last error) on failure. */
void *px_malloc(size_t size);
/** calloc(); NULL (with #PX_ENOMEM set) on failure or overflow. */
void *px_calloc(size_t n, size_t size);
/** realloc(); NULL (with #PX_ENOMEM set) on failure, @p p untouched. */
void *px_realloc(void *p, size_t size);
/** free(); NULL is a no-op. */
void px_free(void *p);
/** A NUL-terminated copy of @p len bytes at @p s; free with px_free(). */
char *px_strndup(const char *s, size_t len);

/** @} */

/* ==== text ============================================================= */
/** @defgroup text Text: the only door for bytes
 *
 * UTF-8 validation, normalization, case folding, word tokens, digits of
 * every script, transliteration to Latin and consonant skeletons.  Every
 * other module takes its text, tokens and keys from here, so a sentence is
 * tokenized the same way when it is aligned, stored, looked up and
 * name-checked.
 *
 * All calls are thread-safe.  ICU objects (word break iterators per
 * language, transliterators per id) and scratch buffers are cached per
 * thread and freed when the thread exits.  ICU failures come back as
 * #PX_EUNICODE with the UErrorCode as the error's cause.  Inputs longer
 * than 512 MiB give #PX_ETOOBIG (ICU counts in int32_t).
 * @{ */

/** @brief Check that @p s is valid UTF-8 (no overlongs, no surrogates, no
 * code point above U+10FFFF, no truncated sequence).
 * @param[out] bad_offset if not NULL, receives the byte offset of the first
 *             byte of the first ill-formed sequence when the text is
 *             invalid (a truncated sequence is reported where it starts)
 * @return 0, or #PX_EENCODING (message: "invalid UTF-8 at byte N"). */
int px_text_validate(const char *s, size_t len, size_t *bad_offset);

/** @brief Decode the code point at byte @p *pos of @p s and advance
 * @p *pos past it.  The caller checks `*pos < len` first.
 * @return the code point, or -1 for an ill-formed sequence (then @p *pos
 *         advances by one byte). */
int32_t px_text_next(const char *s, size_t len, size_t *pos);

/** Normalization steps for px_text_normalize(); combine with `|`.  They
 * apply in this order: NEWLINES, MARKS (via NFD) and NFC, FOLD (then NFC
 * again), then VARIANTS' letters, SPACES, DIGITS and PUNCT character by
 * character. */
enum px_norm_flags {
  PX_NORM_NFC = 1u << 0,      /**< Unicode NFC */
  PX_NORM_FOLD = 1u << 1,     /**< full Unicode case folding (default, not
                                   Turkic: "İ" folds to "i" + U+0307, which
                                   PX_NORM_MARKS then drops) */
  PX_NORM_SPACES = 1u << 2,   /**< White_Space characters (NBSP, thin space,
                                   tabs, line breaks...) and runs of them
                                   become one ' '; trimmed at both ends; a
                                   stray U+FEFF or U+200B is dropped */
  PX_NORM_DIGITS = 1u << 3,   /**< decimal digits (Nd) of any script become
                                   ASCII 0-9 */
  PX_NORM_MARKS = 1u << 4,    /**< remove nonspacing and enclosing marks
                                   (diacritics, Arabic harakat, hamza and
                                   madda above: "é"->"e", "أ"->"ا") and tatweel;
                                   the result is NFC */
  PX_NORM_PUNCT = 1u << 5,    /**< remove punctuation (P*): dashes and '/'
                                   become a space ("Tehran-Moscow" is two
                                   words), the rest goes ("U.S." -> "US") */
  PX_NORM_NEWLINES = 1u << 6, /**< CRLF and CR become LF; a leading BOM
                                   goes */
  PX_NORM_VARIANTS = 1u << 7  /**< for loose matching: NFKC instead of NFC
                                   (Arabic presentation forms, ligatures,
                                   fullwidth forms, NBSP -> space, "…" ->
                                   "..."), and letters writers use for one
                                   another made one: Arabic ي ى -> Persian
                                   ی, Arabic ك -> ک, Russian ё -> е.  Not
                                   in #PX_NORM_KEY: add it where Persian
                                   typed on Arabic keyboards must match */
};
/** The normalization of keys (exact-match hashes, index terms): NFC, case
 * fold, spaces collapsed, digits kept but made ASCII. */
#define PX_NORM_KEY                                                            \
  (PX_NORM_NFC | PX_NORM_FOLD | PX_NORM_SPACES | PX_NORM_DIGITS)

/** @brief Normalize @p s according to @p flags (see #px_norm_flags).
 * Pure-ASCII input takes a fast path with the same result.
 * @param[out] out     the result, NUL-terminated; free with px_free()
 * @param[out] out_len its length in bytes (may be NULL)
 * @return 0, #PX_EENCODING if @p s is not UTF-8, #PX_ETOOBIG,
 *         #PX_EUNICODE, #PX_ENOMEM. */
int px_text_normalize(char **out, size_t *out_len, const char *s, size_t len,
                      unsigned flags);

/** @brief px_text_normalize() with #PX_NORM_KEY: the one key form used for
 * exact-match hashes and index terms everywhere. */
int px_text_key(char **out, size_t *out_len, const char *s, size_t len);

/** What a token is. */
typedef enum px_token_kind {
  PX_TOK_WORD = 1,   /**< a word: letters with marks, ZWNJ, inner
                          apostrophes and periods ("don't", "U.S", "a.m"),
                          digits and '_' mixed in ("abc123", "snake_case"),
                          and ICU's "@handle" */
  PX_TOK_NUMBER = 2, /**< digits of any script without letters, with inner
                          separators . , ; ' ٫ ٬ ("3.5", "1,000", "۳٫۵") */
  PX_TOK_PUNCT = 3,  /**< one punctuation character (P*), a lone '_' too */
  PX_TOK_SYMBOL = 4, /**< anything else that is not white space: one symbol
                          with what extends it (emoji with modifiers and
                          ZWJ sequences, flags) */
  PX_TOK_IDEO = 5    /**< an ideographic or kana word (ICU's dictionary
                          splits Han and kana runs into words) */
} px_token_kind;

/** A token: a span of the text it came from. */
typedef struct px_token {
  size_t off;         /**< byte offset into the tokenized text */
  size_t len;         /**< length in bytes */
  px_token_kind kind; /**< what it is */
} px_token;

/** @brief Split @p s into word, number and punctuation tokens with ICU's
 * word break iterator (UAX #29 plus ICU's dictionaries for Thai, CJK...);
 * white space and invisible controls are dropped.
 *
 * Words keep inner apostrophes and ZWNJ ("don't", "می‌خواهم"); numbers
 * keep inner separators ("3.5", "1,000", "۳٫۵") but a hyphen splits them
 * ("14-15" gives "14" "-" "15", "10:30" gives "10" ":" "30"); every
 * punctuation character is its own token ("U.S." gives "U.S" "."); combining
 * marks, ZWJ sequences, emoji modifiers and flag pairs stay with the
 * character they extend.  The kind comes from the content (any letter makes
 * a word).  The text is not normalized first: offsets are into @p s as
 * given.  Latin, Cyrillic, Arabic-script and Greek text (with common
 * typography) takes an ICU-free path with results identical to ICU's for
 * the languages whose ICU word rules are the root rules; anything else
 * (CJK, Thai, Hebrew, emoji, ICU tailorings) goes through ICU.
 * @param[out] out   array of tokens, never NULL on success (even when
 *                   @p count is 0); free with px_free()
 * @param[out] count number of tokens
 * @param[in]  lang  BCP-47 tag for the break rules (NULL: root)
 * @return 0, #PX_EENCODING, #PX_ETOOBIG, #PX_EUNICODE, #PX_ENOMEM. */
int px_text_tokenize(px_token **out, size_t *count, const char *s, size_t len,
                     const char *lang);

/** @brief Transliterate with an ICU transform (e.g. "Russian-Latin/BGN",
 * "Any-Latin; Latin-ASCII"); compound ids with ';' work.  Transliterators
 * are cached per thread (16 ids).
 * @param[out] out result, NUL-terminated; free with px_free()
 * @param[out] out_len its length (may be NULL)
 * @return 0, #PX_EINVALID for an unknown or malformed transform id,
 *         #PX_EENCODING, #PX_ETOOBIG, #PX_EUNICODE, #PX_ENOMEM. */
int px_text_translit(char **out, size_t *out_len, const char *s, size_t len,
                     const char *id);

/** @brief Romanize @p s to lower-case ASCII the way names are compared:
 * NFC; Russian (and uk, be, bg) with `<Language>-Latin/BGN`; anything else
 * with `Any-Latin`; then `Latin-ASCII` and lower case.  (ICU's Persian and
 * Arabic BGN transforms leave letters such as alef alone, so Arabic script
 * always goes through `Any-Latin`: روحانی gives "rwhany".)
 *
 * The result holds only a-z, single spaces between words and hyphens
 * inside words.  Apostrophes, periods ("U.S." -> "us"), BGN's soft and
 * hard signs, ZWNJ and marks are dropped without splitting the word; other
 * punctuation, symbols and digits separate words.  An ayn or hamza sign
 * that opens a word becomes "a" (علی -> "ʿly" -> "aly", to meet "Ali").
 * Articles (al-, ال) are kept: strip them yourself if you compare without
 * them.  Results for short strings are memoized per thread.
 * @param[in] lang BCP-47 tag choosing the transform; NULL: guessed with
 *                 px_text_guess_lang() (fallback "en")
 * @param[out] out result; free with px_free()
 * @return 0, #PX_EENCODING, #PX_ETOOBIG, #PX_EUNICODE, #PX_ENOMEM. */
int px_text_romanize(char **out, size_t *out_len, const char *s, size_t len,
                     const char *lang);

/** @brief The consonant skeleton of romanized text, for matching names
 * across scripts and transliteration variants.  Per word (a run of ASCII
 * letters, case-insensitive; anything else separates words):
 * - digraphs first: kh->h, sh->s, ch->c, zh->z, th->t, dh->z, gh->k,
 *   ph->v, dzh/dj->j, ck->k; then c/q/g->k, f->v, x->ks;
 * - the first letter of a word is always kept: a vowel as "a", w as "v",
 *   y and h as themselves;
 * - elsewhere vowels a e i o u, and y h (also from kh) are dropped; w is
 *   dropped too unless it follows a or w (then it is v: Persian و after
 *   alef or doubled is a consonant);
 * - a letter equal to the one kept before it is dropped (runs collapse).
 * Word skeletons are joined with one space.  So Rouhani, Rohani, Rowhani,
 * روحانی ("rwhany") and Роухани ("roukhani") all give "rn"; Daesh, داعش
 * and ДАИШ give "ds"; Khamenei, خامنه‌ای and Хаменеи give
 * "hmn"; Lavrov, لاوروف ("lawrwf") and Лавров give "lvrv".  Exonyms
 * (Moscow/Москва) and Russian г for h (Тегеран) do not collide: compare those
 * with px_text_jaro_winkler() of the skeletons or romanizations.
 * @p s should come from px_text_romanize().
 * @param[out] out result; free with px_free()
 * @return 0, #PX_EENCODING, #PX_ENOMEM. */
int px_text_skeleton(char **out, size_t *out_len, const char *s, size_t len);

/** @brief Rewrite ASCII digits 0-9 in @p s into the digit script that
 * @p lang uses in news (fa, ur, ps: ۰-۹; ar, ckb: ٠-٩; others: unchanged).
 * @param[out] out result; free with px_free()
 * @return 0, #PX_EENCODING, #PX_ENOMEM. */
int px_text_digits_for_lang(char **out, size_t *out_len, const char *s,
                            size_t len, const char *lang);

/** @brief Guess a language tag from the dominant script of the letters of
 * @p s (Common and Inherited characters do not count): Cyrillic "ru";
 * Arabic script "fa" when Persian-only letters (پ چ ژ گ ک ی) make up at
 * least 1% of it, "ur" for Urdu-only letters, else "ar"; Greek "el", Hebrew
 * "he", Han "zh", Han with kana "ja", Hangul "ko", Devanagari "hi", Thai
 * "th", Armenian "hy", Georgian "ka"; Latin, anything else and no letters
 * at all @p fallback.  Returns a static string or @p fallback.  Reads at
 * most the first 64 KiB; invalid bytes are skipped. */
const char *px_text_guess_lang(const char *s, size_t len, const char *fallback);

/** @brief Jaro-Winkler similarity (0..1) of two UTF-8 strings, by code
 * point (prefix scale 0.1, up to 4 characters, applied above 0.7).  Two
 * empty strings give 1.  Invalid UTF-8 compares byte-wise.  Strings over
 * 64 code points need memory: out of memory gives 0. */
double px_text_jaro_winkler(const char *a, size_t alen, const char *b,
                            size_t blen);

/** @brief Levenshtein distance between two UTF-8 strings, by code point
 * (invalid UTF-8: by byte).
 * @param[out] out the number of insertions, deletions and substitutions
 * @return 0, #PX_ENOMEM. */
int px_text_levenshtein(size_t *out, const char *a, size_t alen, const char *b,
                        size_t blen);

/** @brief Levenshtein distance between two sequences of 64-bit values
 * (e.g. px_text_hash() of each token's key), for word-level fuzzy scores.
 * @param[out] out the number of insertions, deletions and substitutions
 * @return 0, #PX_ENOMEM. */
int px_text_edit_distance(size_t *out, const uint64_t *a, size_t n,
                          const uint64_t *b, size_t m);

/** @brief A stable 64-bit hash (FNV-1a) of bytes: the same on every
 * machine and version, so it can be stored. */
uint64_t px_text_hash(const char *s, size_t len);

/** @brief Character classes for code points (other modules must not use
 * <ctype.h>): White_Space; alphabetic; general category P*.  Negative
 * values (from px_text_next()) give 0. */
int px_text_is_space(int32_t cp);
int px_text_is_letter(int32_t cp);
int px_text_is_punct(int32_t cp);
/** The value 0-9 of a decimal digit of any script, else -1. */
int px_text_digit_value(int32_t cp);

/** @brief Case-insensitive comparison of BCP-47 language tags ("pt-BR" ==
 * "pt-br"); also treats '_' as '-'.  1 if equal, else 0 (also when either
 * is NULL). */
int px_lang_equal(const char *a, const char *b);

/** @brief 1 if tag @p lang has the primary subtag @p primary ("fa-IR"
 * matches "fa", "fas" does not), else 0. */
int px_lang_is(const char *lang, const char *primary);

/** @} */

/* ==== paths ========================================================== */
/** @defgroup paths Where data lives
 * @{ */

/** @brief The directory of the shipped dictionaries (SRX rules, lexicons,
 * name dictionaries): $PARALLAX_DICTDIR if set, else the source tree's
 * dictionaries/ when it exists (a build that is not installed), else the
 * installed data directory.  A static string; never NULL. */
const char *px_dict_dir(void);

/** @brief The default translation-memory directory: $PARALLAX_TM if set,
 * else "tm" (relative to the working directory).  Never NULL. */
const char *px_tm_default_path(void);

/** @} */

/* ==== segment ========================================================== */
/** @defgroup segment Segment: text -> paragraphs -> sentences
 *
 * ICU's sentence BreakIterator (with the language's locale) proposes
 * candidate boundaries; SRX 2.0 rules (dictionaries/srx/, or the user's
 * file) veto them (`break="no"`) or add them (`break="yes"`).  At each
 * candidate the rules of the language are tried in SRX order and the first
 * rule whose `<beforebreak>` matches up to the candidate and whose
 * `<afterbreak>` matches from it decides; with no matching rule, ICU's
 * proposal stands.  A candidate is the end of the text before the white
 * space of an ICU boundary, a position right after a terminator (`. ! ? …
 * ؟ ۔` and closing quotes/brackets after it), so `break="yes"` rules are
 * tried there and nowhere else.  A `<beforebreak>` of bounded length is
 * matched exactly (as an ICU lookbehind); one with unbounded repetition
 * (`\s*`, `+`) sees at most the 128 UTF-16 units before the candidate.
 *
 * Structure is decided in code, before the rules: a blank line always ends
 * a paragraph; a line with no final punctuation (headline, byline, `Tags`,
 * `News ID 124464`) is a segment of its own; lines hard-wrapped inside a
 * paragraph are joined; numbered, lettered and bulleted list items that
 * run on one line are split before each item.
 * @{ */

/** A compiled rule set: one or more SRX 2.0 documents.  Immutable once
 * loaded: one handle may be shared by any number of threads calling
 * px_segment_split() at the same time (each call clones what it needs). */
typedef struct px_segment_rules px_segment_rules;

/** @brief Load SRX 2.0 rules.
 *
 * @param[out] out  the rules; free with px_segment_rules_free()
 * @param[in]  path an `.srx` file, or a directory whose `*.srx` files are
 *             all loaded (in name order, `default.srx` last).  For a
 *             language, the first document with a `<languagemap>` whose
 *             `languagepattern` matches the whole tag supplies the rules
 *             (all matching maps of that document if its header says
 *             `cascade="yes"`, else the first).
 * @return 0; #PX_EIO if a file cannot be read (message names it);
 *         #PX_EPARSE for malformed XML, a document that is not SRX 2.0,
 *         an unknown `languagerulename` or a regular expression ICU
 *         rejects (message: `FILE:LINE:COL: what`); #PX_ENOMEM. */
int px_segment_rules_load(px_segment_rules **out, const char *path);

/** @brief Load SRX 2.0 rules from memory (@p name is used in messages).
 * Same results as px_segment_rules_load() without #PX_EIO. */
int px_segment_rules_load_mem(px_segment_rules **out, const char *xml,
                              size_t len, const char *name);

/** @brief Load the shipped rules: `px_dict_dir()/srx/` (see
 * px_segment_rules_load()).  #PX_EDICT if that directory is missing or
 * holds no rules, else as px_segment_rules_load(). */
int px_segment_rules_default(px_segment_rules **out);

/** @brief The number of rules that apply to language @p lang (0 when no
 * map matches: ICU alone then decides). */
size_t px_segment_rules_count(const px_segment_rules *rules, const char *lang);

/** Free @p rules (NULL is a no-op).  No px_segment_split() may be using
 * them. */
void px_segment_rules_free(px_segment_rules *rules);

/** What a segment is. */
typedef enum px_segment_kind {
  PX_SEG_SENTENCE = 0,  /**< a sentence (or the tail of a paragraph) */
  PX_SEG_HEADLINE = 1,  /**< a line of its own with no final punctuation */
  PX_SEG_FURNITURE = 2, /**< page furniture: `Tags`, `News ID 124464`,
                             `SPUTNIK/MNA`, a date/time line */
  PX_SEG_BYLINE = 3     /**< `By Jane Smith` */
} px_segment_kind;

/** Flags of a segment. */
enum px_segment_flags {
  PX_SEGF_DATELINE = 1u << 0, /**< starts with a dateline
                                   (`MOSCOW, Mar. 28 (MNA) –`) */
  PX_SEGF_NOTERM = 1u << 1,   /**< ends without final punctuation */
  PX_SEGF_LINE = 1u << 2      /**< is one whole line of the input */
};

/** One segment. */
typedef struct px_segment {
  const char *text;     /**< normalized: NFC, white space (NBSP, thin
                             space, joined line breaks) one ' ', trimmed;
                             NUL-terminated; owned by the list */
  size_t len;           /**< bytes in text */
  size_t start;         /**< byte offset of the first byte in the ORIGINAL
                             input (a BOM counts) */
  size_t end;           /**< byte offset one past the last byte */
  size_t paragraph;     /**< 0-based paragraph index (blank-line separated) */
  px_segment_kind kind; /**< what it is */
  unsigned flags;       /**< #px_segment_flags */
} px_segment;

/** The result of px_segment_split(). */
typedef struct px_segment_list {
  size_t count;      /**< number of segments (0 for empty input) */
  px_segment *items; /**< count segments in text order */
  size_t paragraphs; /**< number of paragraphs */
  char lang[32];     /**< the language used (given or guessed) */
} px_segment_list;

/** Option flags for px_segment_opts.flags. */
enum px_segment_opt_flags {
  PX_SEGMENT_LINES = 1u << 0 /**< every line break is a boundary */
};

/** Options of px_segment_split(). */
typedef struct px_segment_opts {
  unsigned version; /**< #PX_SEGMENT_OPTS_VERSION */
  const char *lang; /**< BCP-47 tag; NULL: px_text_guess_lang(), else en */
  unsigned flags;   /**< #px_segment_opt_flags */
  size_t max_input; /**< refuse larger input (#PX_ETOOBIG); 0: 1 GiB */
  /** If not NULL, called from the calling thread about every MiB of input
   * with the bytes done so far and the total (for a progress bar); a
   * non-zero return stops the split, which then fails with #PX_ERROR. */
  int (*progress)(size_t done, size_t total, void *payload);
  void *payload; /**< passed to progress */
} px_segment_opts;
#define PX_SEGMENT_OPTS_VERSION 1
#define PX_SEGMENT_OPTS_INIT                                                   \
  { PX_SEGMENT_OPTS_VERSION, NULL, 0, 0, NULL, NULL }

/** @brief Split @p text into paragraphs and sentences.
 *
 * @param[out] out   the segments; free with px_segment_list_free()
 * @param[in]  rules from px_segment_rules_load(); NULL uses the shipped
 *                   rules (loaded once per process, thread-safely).  May be
 *                   shared by threads.
 * @param[in]  text  UTF-8; a leading BOM, CRLF and CR line ends are
 *                   accepted.  Only read during the call.
 * @param[in]  opts  NULL for defaults
 * @return 0 (empty input gives zero segments); #PX_EENCODING with the
 *         byte offset ("invalid UTF-8 at byte N"); #PX_ETOOBIG;
 *         #PX_EINVALID (bad version); #PX_EDICT / #PX_EPARSE if the shipped
 *         rules cannot be loaded; #PX_EUNICODE; #PX_ENOMEM. */
int px_segment_split(px_segment_list **out, const px_segment_rules *rules,
                     const char *text, size_t len, const px_segment_opts *opts);

/** Free a list (NULL is a no-op); its texts go with it. */
void px_segment_list_free(px_segment_list *list);

/** "sentence", "headline", "furniture" or "byline" (static). */
const char *px_segment_kind_name(px_segment_kind kind);

/** @} */
/* ==== end segment ====================================================== */

/* ==== lexicon ========================================================== */
/** @defgroup lexicon Bilingual lexicons
 *
 * Word-translation lists that give the aligner its lexical anchors: our
 * own TSV lexicons in `dictionaries/lexicons/` (fa-en and ur-en, and
 * supplements for ru-en, ar-en and tr-en) and the FreeDict dictionaries
 * that Debian installs in dictd format under /usr/share/dictd.
 *
 * A lexicon has a direction: source language -> target language (usually
 * English).  Every word is stored @b normalized by
 * px_lexicon_normalize_word(): px_text_normalize() with
 * `PX_NORM_KEY | PX_NORM_MARKS` (NFC, case folded, spaces collapsed, digits
 * made ASCII, combining marks such as Arabic harakat, tatweel and the
 * accents of Latin and Cyrillic letters removed: "é" -> "e", "й" -> "и"),
 * then Arabic-script letter variants folded (Arabic yeh, alef maksura and
 * yeh with hamza to Persian yeh U+06CC, Arabic kaf to keheh U+06A9, alef
 * with hamza or madda and alef wasla to alef, waw with hamza to waw, heh
 * with yeh, Urdu heh goal and do-chashmi heh to heh), Turkish dotless ı
 * made i (case folding makes "I" i) and ZWNJ removed.  So these meet:
 *   "می‌شود" and "میشود",
 *   "كتاب" and "کتاب",
 *   "بھی" and "بهی".
 * Lookups take a word normalized the same way: call
 * px_lexicon_normalize_word() once per token and look the result up.
 *
 * What is kept of an entry (documented in dictionaries/lexicons/README.md):
 * text in parentheses, brackets or braces is dropped ("(informal) guy" ->
 * "guy"); alternatives separated by ',' or ';' become separate entries
 * ("war, warfare" -> "war" and "warfare"); a leading English "to" and
 * article ("to go" -> "go", "the state" -> "state"), German and French
 * articles and reflexive pronouns are dropped; what remains may be a
 * phrase of several words joined by single spaces ("prime minister"),
 * which the aligner can match against token n-grams (see
 * px_lexicon_max_words()).  A word longer than 255 bytes is not stored.
 * An Arabic source word with the article (ال) is also stored without it,
 * at 0.9 of the weight, when three letters or more remain.  Adding a pair
 * that is already there keeps one entry with the larger weight.
 *
 * Weights are in (0, 1]: 1 for our curated TSV lexicons unless the file
 * says otherwise, 0.8 for the first translation of a FreeDict entry and
 * less for later senses.
 *
 * A lexicon is built by one thread; once loaded, lookups on a `const`
 * lexicon may run from several threads at once (they do not write).
 * @{ */

/** A bilingual lexicon: an opaque handle from px_lexicon_new(). */
typedef struct px_lexicon px_lexicon;

/** One translation pair.  The strings are normalized (see above),
 * NUL-terminated, and borrowed from the lexicon: valid until it is freed. */
typedef struct px_lexicon_entry {
  const char *src; /**< the source-language word or phrase */
  const char *tgt; /**< one translation into the target language */
  float weight;    /**< confidence in (0, 1] */
} px_lexicon_entry;

/** @brief Create an empty lexicon for translating @p src_lang into
 * @p tgt_lang.
 * @param[out] out      the new lexicon; free with px_lexicon_free()
 * @param[in]  src_lang BCP-47 tag of the source side ("fa", "ru")
 * @param[in]  tgt_lang BCP-47 tag of the target side ("en")
 * @return 0, #PX_EINVALID (NULL or empty tag), #PX_ENOMEM. */
int px_lexicon_new(px_lexicon **out, const char *src_lang,
                   const char *tgt_lang);

/** @brief Free a lexicon and every string and entry it lent out.  NULL is a
 * no-op. */
void px_lexicon_free(px_lexicon *lx);

/** @brief Add one pair.  Both sides are cleaned and normalized as described
 * above, so one call may add several entries ("war, warfare") or none (an
 * empty or overlong side: not an error, nothing is added).
 * @param[in] src,slen source-language word or phrase (UTF-8)
 * @param[in] tgt,tlen its translation (UTF-8)
 * @param[in] weight   confidence in (0, 1]
 * @return 0, #PX_EINVALID (weight out of range, NULL text), #PX_EENCODING
 *         (not UTF-8), #PX_EUNICODE, #PX_ENOMEM.  On failure the pairs
 *         added before the failing one stay. */
int px_lexicon_add(px_lexicon *lx, const char *src, size_t slen,
                   const char *tgt, size_t tlen, float weight);

/** @brief Load a TSV lexicon: one pair per line,
 * `src<TAB>tgt[<TAB>weight]`; blank lines and lines starting with '#' are
 * skipped; a UTF-8 BOM and CRLF line ends are accepted.  Lines are at most
 * 4096 bytes.
 * @param[in] path the file
 * @return 0, #PX_EIO (cannot open or read; message names the path and the
 *         reason), #PX_EPARSE ("path:line: ..." for a line without a tab, an
 *         empty side or a bad weight), #PX_EENCODING ("path:line:col:
 *         invalid UTF-8"), #PX_ETOOBIG (overlong line), #PX_ENOMEM,
 *         #PX_EUNICODE.  On failure the lines before the bad one stay
 *         loaded. */
int px_lexicon_load_tsv(px_lexicon *lx, const char *path);

/** @brief Load a FreeDict dictionary in dictd format: @p index_path is the
 * `.index` file (headword TAB base64 offset TAB base64 length); the
 * definitions are read from the file beside it with `.index` replaced by
 * `.dict.dz` (dictzip, read by random access to its chunks) or, failing
 * that, `.dict`.  Each definition's translations are parsed from the text
 * that FreeDict 0.x and 2020+ editions produce (numbered senses, pronunciation
 * in slashes, part of speech in angle brackets, "see:" and "Note:" lines and
 * examples skipped).  The `00database*` entries are skipped.
 *
 * Parsing a big dictionary takes tenths of a second, so what it gives
 * (every pair, before any px_lexicon_restrict()) is kept in a cache file
 * and replayed by later loads, with exactly the same result: one file per
 * dictionary and direction in `$PARALLAX_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/parallax`, else `$HOME/.cache/parallax` (created when
 * missing); `PARALLAX_CACHE_DIR=` (empty) turns the cache off.  A cache is
 * used only while it matches the dictionary files (path, inode, size,
 * modification time), the direction and this library's cleaning rules,
 * and passes its checksum; otherwise the dictionary is parsed and the file
 * rewritten (atomically: concurrent loads are safe).  Failing to write it
 * is not an error.  Dictionaries under 256 KiB (index and body) are not
 * cached.
 * @param[in] index_path the `.index` file
 * @param[in] reverse    0: headwords are source words (freedict-rus-eng for
 *                       ru->en); 1: headwords are target words and their
 *                       translations source words (freedict-eng-rus loaded
 *                       into a ru->en lexicon)
 * @return 0, #PX_EIO (missing index or dictionary), #PX_EPARSE ("path:line:
 *         ..." for a malformed index line, or a dictzip header or offset
 *         that is out of range), #PX_EENCODING, #PX_ENOMEM. */
int px_lexicon_load_dictd(px_lexicon *lx, const char *index_path, int reverse);

/** @brief Load everything installed for the lexicon's language pair:
 * - the shipped TSV files `px_dict_dir()/lexicons/<src>-<tgt>.tsv` and
 *   `<src>-<tgt>-*.tsv`, and `<tgt>-<src>[-*].tsv` read in reverse;
 * - the FreeDict dictionaries for the pair in either direction
 *   (`freedict-<src3>-<tgt3>.index` forward, `freedict-<tgt3>-<src3>.index`
 *   reversed, with ISO 639-3 codes) from `$PARALLAX_DICTD_DIR` if set, else
 *   /usr/share/dictd.
 * What is not installed (an index without its body counts as not
 * installed) is skipped silently; FreeDict files go through the cache that
 * px_lexicon_load_dictd() describes; what was loaded is listed by
 * px_lexicon_source_count() and px_lexicon_source_at().
 * @return 0 (even when nothing was found: check px_lexicon_size()), or the
 *         first error of a file that exists but cannot be loaded. */
int px_lexicon_load_default(px_lexicon *lx);

/** @brief Restrict what later add and load calls store to the words of a
 * text: the aligner's way of holding, of a 100,000-entry dictionary, only
 * the entries one document can use.  The text is tokenized in the lexicon's
 * source language and each word normalized; from then on an entry is
 * stored only when its source word is one of those words or a prefix of
 * one of at least three letters (the aligner looks inflected words up
 * shortened), or the same of one of them without a leading Arabic-script
 * "و" or "ال"; a phrase only when each of its words is.  Call it once per
 * sentence (or once for the whole text) before loading; entries stored
 * before the first call stay.  A lexicon restricted to one document must
 * not be used for another.  Loads under a restriction skip, before any
 * cleaning, dictionary lines none of whose words is in the vocabulary (and
 * a forward FreeDict entry's body when its headword is not), so they cost
 * a fraction of a full load.
 * @param[in] text,len UTF-8 text (its words join the vocabulary; an empty
 *                     text restricts to nothing so far)
 * @return 0, #PX_EINVALID, #PX_EENCODING, #PX_EUNICODE, #PX_ENOMEM. */
int px_lexicon_restrict(px_lexicon *lx, const char *text, size_t len);

/** @brief The number of (src, tgt) entries. */
size_t px_lexicon_size(const px_lexicon *lx);

/** @brief The largest number of space-separated words in a source-side
 * entry (1 for a lexicon of single words; 0 when empty).  The aligner looks
 * up token n-grams up to this length. */
size_t px_lexicon_max_words(const px_lexicon *lx);

/** @brief Source and target language tags given to px_lexicon_new();
 * borrowed until the lexicon is freed. */
const char *px_lexicon_src_lang(const px_lexicon *lx);
const char *px_lexicon_tgt_lang(const px_lexicon *lx);

/** @brief Normalize a word or phrase exactly as lexicon entries are
 * normalized (see the group comment).  Use it on every token before
 * px_lexicon_lookup().
 * @param[out] out the result, NUL-terminated; free with px_free()
 * @param[out] len its length in bytes (may be NULL)
 * @param[in]  w,n the word (UTF-8)
 * @return 0, #PX_EENCODING, #PX_EUNICODE, #PX_ENOMEM. */
int px_lexicon_normalize_word(char **out, size_t *len, const char *w, size_t n);

/** @brief The translations of one source word or phrase.
 * @param[in]  word,len the word, already normalized with
 *             px_lexicon_normalize_word() (it is compared byte for byte)
 * @param[out] out   the entries for that word (all with the same `src`),
 *             in the order they were added; borrowed until the next
 *             add/load call on @p lx or its free
 * @param[out] count how many
 * @return 0, or #PX_ENOTFOUND (no entry: *out = NULL, *count = 0).
 *         Never sets an error message for #PX_ENOTFOUND (it is the common
 *         case in an aligner's inner loop). */
int px_lexicon_lookup(const px_lexicon *lx, const char *word, size_t len,
                      const px_lexicon_entry **out, size_t *count);

/** @brief Call @p cb for every entry, grouped by source word in the order
 * the words were first added.  A non-zero return from @p cb stops the walk
 * and is returned.  The entry is borrowed for the duration of the call.
 * @return 0, or the callback's non-zero value. */
int px_lexicon_foreach(const px_lexicon *lx,
                       int (*cb)(const px_lexicon_entry *e, void *payload),
                       void *payload);

/** Where entries came from (one per file loaded). */
typedef struct px_lexicon_source {
  const char *path; /**< the file (for dictd: the .index) */
  const char *kind; /**< "tsv" or "dictd" */
  int reversed;     /**< 1 if read target -> source */
  size_t records;   /**< lines or headwords read */
  size_t added;     /**< entries it added (pairs already present excluded) */
  double seconds;   /**< wall time spent loading it */
} px_lexicon_source;

/** @brief Number of files loaded so far into @p lx. */
size_t px_lexicon_source_count(const px_lexicon *lx);

/** @brief The @p i-th file loaded (0-based, in load order), or NULL if
 * @p i is out of range.  Borrowed until the next load call or the free. */
const px_lexicon_source *px_lexicon_source_at(const px_lexicon *lx, size_t i);

/** @} */
/* ==== end lexicon ====================================================== */

/* ==== align ============================================================ */
/** @defgroup align Sentence alignment
 *
 * Given the sentences of two versions of one document (a source language
 * and, usually, English), find which sentences translate which: beads of
 * 0-1, 1-0, 1-1, 1-2, 2-1, 2-2, 1-3 and 3-1 sentences, each with a
 * confidence.  One score per bead combines a Gale-Church length model
 * (ratio and variance estimated from the pair itself), anchors that need
 * no model (numbers of every digit script, names and cognates through
 * romanization and consonant skeletons, punctuation, URLs, acronyms),
 * bilingual lexicon hits and, in a second pass, an IBM Model 1 trained on
 * the confident beads of the first pass plus any pairs the caller gives
 * (e.g. from the translation memory).  The search is a dynamic program in
 * a band found coarse-to-fine, so time and memory are linear in the
 * length of the documents.
 *
 * Pure computation: the aligner reads no files.  Thread safety: one
 * #px_align handle per thread; handles share nothing.
 * @{ */

/** Flags of an input sentence (px_align_sent::flags). */
enum px_align_sent_flags {
  /** Page furniture (tags line, agency footer, news id): never paired, it
   * comes out as a one-sided bead. */
  PX_ALIGN_FURNITURE = 1u << 0,
  /** A heading or title line (aligned, but only with another heading
   * when both sides mark them). */
  PX_ALIGN_HEADING = 1u << 1
};

/** One input sentence: UTF-8 text (NFC recommended), the index of the
 * paragraph it belongs to (-1 if unknown) and #px_align_sent_flags. */
typedef struct px_align_sent {
  const char *text; /**< the sentence; need not be NUL-terminated */
  size_t len;       /**< its length in bytes */
  long para;        /**< paragraph index, non-decreasing; -1: unknown */
  unsigned flags;   /**< #px_align_sent_flags */
} px_align_sent;

/** @brief The aligner's view of a segmented article: one #px_align_sent
 * per segment of @p list, with its paragraph, #PX_ALIGN_HEADING for
 * headlines and #PX_ALIGN_FURNITURE for page furniture (tags lines, news
 * ids, agency footers).  A date/time line ("Mar 28, 2017, 10:16 PM",
 * "۸ فروردین ۱۳۹۶، ۲۲:۱۶") is furniture to the segmenter but has a
 * counterpart in a translation, so it is left alignable; it is recognized
 * by a time of day (digits of any script around a colon).
 * @param[out] out  list->count sentences (at least one element is
 *                  allocated); free with px_free().  The texts are
 *                  borrowed from @p list: valid until it is freed.
 * @return 0, #PX_EINVALID, #PX_ENOMEM. */
int px_align_sents_from_segments(px_align_sent **out,
                                 const px_segment_list *list);

/** One bead of the result: source sentences [src_start, src_start +
 * src_count) correspond to target sentences [tgt_start, tgt_start +
 * tgt_count).  A count of 0 marks a one-sided bead (then its start is where
 * it would be inserted).  Beads come in document order and cover every
 * sentence of both sides exactly once. */
typedef struct px_bead {
  size_t src_start, src_count;
  size_t tgt_start, tgt_count;
  double confidence; /**< 0..1: for a pair, its posterior probability
                          (forward-backward over the search band) times
                          the odds that its own evidence (anchors,
                          lexicon, Model 1, lengths) shows a translation;
                          for a one-sided bead, the posterior that the
                          sentence has no partner */
} px_bead;

/** Options of px_align_new(); start from #PX_ALIGN_OPTS_INIT. */
typedef struct px_align_opts {
  unsigned version;      /**< #PX_ALIGN_OPTS_VERSION */
  const char *src_lang;  /**< BCP-47 tag of the source side (NULL: guess) */
  const char *tgt_lang;  /**< of the target side (NULL: "en") */
  unsigned band;         /**< half-width of the fine search band in
                              sentences (0: default 4); the coarser
                              levels search at least 8 groups wide */
  double w_length;       /**< weight of the length model (default 1) */
  double w_lexical;      /**< weight of anchors + lexicon + Model 1
                              (default 1) */
  double min_confidence; /**< pairs below it are returned as two one-sided
                              beads (0: keep all) */
  const px_lexicon *const *lexicons; /**< bilingual lexicons source
                               -> target, borrowed for the handle's life */
  size_t n_lexicons;                 /**< number of entries in @c lexicons */
  int learn; /**< 1: second pass with IBM Model 1 trained on
                  the confident beads of pass 1 and on the
                  pairs given with px_align_add_pair(), when
                  they are at least 400 (below that Model 1
                  did not help on the development sets) */
} px_align_opts;

#define PX_ALIGN_OPTS_VERSION 1
/** Defaults: band 4, weights 1, no minimum confidence, learning on. */
#define PX_ALIGN_OPTS_INIT                                                     \
  { PX_ALIGN_OPTS_VERSION, NULL, NULL, 0, 1.0, 1.0, 0.0, NULL, 0, 1 }

/** An aligner: options, lexicons and the learned word-translation table. */
typedef struct px_align px_align;

/** @brief Create an aligner.
 * @param[out] out  the handle; free with px_align_free()
 * @param[in]  opts options (NULL: #PX_ALIGN_OPTS_INIT); copied, except the
 *             lexicon handles and language strings, which must outlive
 *             the aligner
 * @return 0, #PX_EINVALID (bad version, weights < 0, confidence outside
 *         0..1), #PX_ENOMEM. */
int px_align_new(px_align **out, const px_align_opts *opts);

/** Free an aligner; NULL is a no-op. */
void px_align_free(px_align *al);

/** @brief Give the aligner a known translation pair (e.g. a unit of the
 * translation memory) to train its word-translation model on.  Pairs are
 * kept (copied) and used by every later px_align_run() with learning on.
 * @param[in] src,src_len the source-language sentence (UTF-8)
 * @param[in] tgt,tgt_len its translation (UTF-8)
 * @return 0, #PX_EENCODING (invalid UTF-8), #PX_ETOOBIG (a sentence over
 *         64 KiB, or more than 1,000,000 pairs), #PX_ENOMEM. */
int px_align_add_pair(px_align *al, const char *src, size_t src_len,
                      const char *tgt, size_t tgt_len);

/** @brief Align two sentence lists.
 * @param[out] out   the beads in document order; free with px_free()
 * @param[out] count number of beads
 * @param[in]  al    the aligner
 * @param[in]  src   source sentences (@p n_src may be 0)
 * @param[in]  tgt   target sentences (@p n_tgt may be 0)
 * @return 0; #PX_EENCODING naming the side, sentence and byte offset of
 *         invalid UTF-8 ("source sentence 4: invalid UTF-8 at byte 17");
 *         #PX_ETOOBIG (over 10,000,000 sentences a side or a sentence
 *         over 1 MiB); #PX_EINVALID; #PX_EUNICODE; #PX_ENOMEM. */
int px_align_run(px_bead **out, size_t *count, px_align *al,
                 const px_align_sent *src, size_t n_src,
                 const px_align_sent *tgt, size_t n_tgt);

/** Statistics of the last px_align_run() on a handle. */
typedef struct px_align_stats {
  double len_ratio;  /**< estimated target/source length ratio */
  double len_var;    /**< estimated variance per source character */
  int passes;        /**< 1, or 2 when the Model 1 pass ran */
  size_t m1_pairs;   /**< sentence pairs Model 1 was trained on */
  size_t band_cells; /**< DP cells evaluated at the finest level */
} px_align_stats;

/** @brief Copy the statistics of the last run into @p out.
 * @return 0, #PX_EINVALID. */
int px_align_get_stats(px_align_stats *out, const px_align *al);

/** @name Scoring (the Vecalign definition)
 * A bead file has one bead per line, `[i, j]:[k]`: 0-based sentence
 * numbers, source side first; `[3]:[]` and `[]:[2]` are one-sided.
 * Blank lines are ignored.
 * @{ */

/** A parsed bead list: @c beads[i] lists the source then target indices. */
typedef struct px_eval_beads {
  size_t count;    /**< number of beads */
  size_t *src_off; /**< count+1 offsets into @c src_idx */
  size_t *src_idx; /**< source indices of all beads */
  size_t *tgt_off; /**< count+1 offsets into @c tgt_idx */
  size_t *tgt_idx; /**< target indices of all beads */
  size_t max_src;  /**< 1 + the largest source index (0 if none) */
  size_t max_tgt;  /**< 1 + the largest target index (0 if none) */
} px_eval_beads;

/** @brief Parse a bead file's text.
 * @param[out] out  the beads; release with px_eval_beads_dispose()
 * @param[in]  name the file name for messages ("gold.txt:12:5: ...")
 * @return 0, #PX_EPARSE (with line:column), #PX_ETOOBIG (an index over
 *         100,000,000 or more than 10,000,000 beads), #PX_ENOMEM. */
int px_eval_parse(px_eval_beads *out, const char *name, const char *s,
                  size_t len);

/** Free what px_eval_parse() allocated; @p b may be zeroed or NULL. */
void px_eval_beads_dispose(px_eval_beads *b);

/** Pooled counts of one or more scored document pairs. */
typedef struct px_eval_score {
  size_t pred_beads, gold_beads; /**< beads counted for P and for R */
  double strict_p_hits, strict_r_hits;
  double lax_p_hits, lax_r_hits;
  double strict_p, strict_r, strict_f1; /**< filled by px_eval_finish() */
  double lax_p, lax_r, lax_f1;
} px_eval_score;

/** @brief Score one document pair and add its counts to @p acc (start
 * from a zeroed struct).  Precision: over predicted beads that are not
 * one-sided, a strict hit equals a gold bead; a lax hit is a strict hit
 * or has a target sentence aligned in gold with one of its source
 * sentences.  Recall: the same with gold and prediction swapped, one-sided
 * beads removed from both.
 * @param[in] n_src,n_tgt the documents' sentence counts, or 0 to skip the
 *            check that every index lies inside the documents
 * @return 0, #PX_EPARSE when a predicted bead names a sentence beyond the
 *         documents or beyond every gold index ("pred: bead 7 names target
 *         sentence 900 but the gold has 120"), #PX_ENOMEM. */
int px_eval_add(px_eval_score *acc, const px_eval_beads *gold,
                const px_eval_beads *pred, size_t n_src, size_t n_tgt);

/** Compute P, R and F1 from the pooled counts (0 where undefined). */
void px_eval_finish(px_eval_score *acc);

/** @} */
/** @} */
/* ==== end align ======================================================== */

/* ==== tm =============================================================== */
/** @defgroup tm Translation memory (LMDB)
 *
 * A translation memory is a directory holding one LMDB environment
 * (`data.mdb`, `lock.mdb`): units, their indexes and a schema record.  It
 * may be copied with mdb_copy(1) and opened by many processes at once: one
 * writer at a time, any number of readers that never block and are never
 * blocked (MVCC).  The key layout is documented in tm/SCHEMA.md.
 *
 * @section tm_units Units
 * A unit is multilingual, as a TMX `<tu>`: one variant per language tag.
 * The English sentence aligned from the Persian and from the Russian
 * version of one article is one unit with `fa`, `ru` and `en` variants.
 * Variant text is stored NFC.  Inline markup (TMX `bpt`/`ept`/`ph`/`it`/
 * `hi`) is kept as placeholders, see #px_variant.
 *
 * @section tm_adding Adding
 * px_tm_add() never duplicates: a unit whose variants all equal (NFC,
 * white space collapsed) variants of a stored unit updates that unit; a
 * unit that shares at least one variant with a stored unit and has no
 * @e conflicting variant (same language tag, other text) is merged into it
 * (new languages added); otherwise a new unit is made.
 *
 * @section tm_txn Transactions and map growth
 * Writes happen in a px_tm_txn; nothing is visible to readers (or survives
 * a crash) before px_tm_txn_commit().  When the LMDB map is full the
 * library grows it by itself: before a write transaction starts it doubles
 * the map when less than a quarter is free, and if a write still hits
 * MDB_MAP_FULL the transaction is aborted, the map doubled and the
 * transaction's recorded operations replayed in a new LMDB transaction —
 * the caller never sees MDB_MAP_FULL.  (If another process committed in
 * between and a replayed add gives another id, the commit fails with
 * #PX_ESTORE instead of returning stale ids.)  Other processes pick the new
 * size up on their next transaction.
 *
 * @section tm_threads Threads and processes
 * A px_tm handle and its transactions and iterators belong to one thread
 * at a time.  Open a directory at most once per process (an LMDB rule);
 * open it from as many processes as you like.
 * @{ */

/** A translation memory: an opaque handle from px_tm_open(). */
typedef struct px_tm px_tm;
/** A write transaction: from px_tm_txn_begin(). */
typedef struct px_tm_txn px_tm_txn;
/** An iterator over all units: from px_tm_iter_new(). */
typedef struct px_tm_iter px_tm_iter;

/** The schema version this library writes (tm/SCHEMA.md).  It also reads
 * version 1 and 2 stores, which a write open upgrades in place. */
#define PX_TM_SCHEMA_VERSION 3

/** Limits: longer input is refused with #PX_ETOOBIG. */
#define PX_TM_MAX_TEXT (64u * 1024u)  /**< bytes of one variant's text */
#define PX_TM_MAX_FIELD (16u * 1024u) /**< bytes of any other string */
#define PX_TM_MAX_VARIANTS 64         /**< variants per unit */
#define PX_TM_MAX_PROPS 256           /**< props (and notes) per unit */

/** px_tm_opts.flags */
enum px_tm_open_flags {
  PX_TM_RDONLY = 1u << 0,  /**< open read-only: writes fail #PX_EREADONLY;
                                the directory must exist.  On read-only
                                media (no lock file writable) the memory is
                                read without LMDB's lock: no writer may use
                                it meanwhile */
  PX_TM_NOCREATE = 1u << 1 /**< fail with #PX_ENOTFOUND instead of
                                creating a missing directory */
};

/** Options for px_tm_open(). */
typedef struct px_tm_opts {
  unsigned version;    /**< 1 */
  unsigned flags;      /**< #px_tm_open_flags */
  size_t map_size;     /**< initial LMDB map size in bytes; 0: 64 MiB.  Never
                            shrinks an existing store's map. */
  size_t max_map_size; /**< growth stops here (#PX_ESTORE "memory full");
                            0: 1 TiB */
} px_tm_opts;
#define PX_TM_OPTS_INIT                                                        \
  { 1, 0, 0, 0 }

/** A (type, value) property, as TMX `<prop type="...">value</prop>`. */
typedef struct px_prop {
  const char *type;  /**< NUL-terminated */
  const char *value; /**< NUL-terminated */
} px_prop;

/** One language variant of a unit, as TMX `<tuv>`.
 *
 * Inline markup: @p text holds the plain text with placeholder markers
 * `{N}` (an opening code, TMX bpt or the start of hi), `{/N}` (its closing
 * code, ept or the end of hi) and `{N/}` (a standalone code: ph, it), N =
 * 1, 2, ... numbering the codes of this variant in order of first
 * appearance.  @p codes holds the original markup of each code, one per
 * line-free record, in the format tm/SCHEMA.md describes (opaque to the
 * store).  Markers are placeholders only when @p codes is not empty;
 * otherwise `{1}` is literal text.  Lookup scoring ignores markers and
 * charges the documented tag penalty when they differ. */
typedef struct px_variant {
  const char *lang;  /**< BCP-47 tag, NUL-terminated; stored lower-case */
  const char *text;  /**< UTF-8, need not be NUL-terminated when writing */
  size_t len;        /**< bytes of text */
  const char *codes; /**< inline-code markup or NULL */
  size_t codes_len;
  uint64_t prev_hash;   /**< context: px_tm_context_hash() of the sentence
                             before this one in its document; 0 unknown */
  uint64_t next_hash;   /**< ... of the sentence after it; 0 unknown */
  int64_t created;      /**< TMX tuv creationdate (unix seconds), 0 unknown */
  int64_t changed;      /**< TMX tuv changedate, 0 unknown */
  const char *creator;  /**< TMX tuv creationid, or NULL */
  const px_prop *props; /**< tuv-level props */
  size_t nprops;
  const char *const *notes; /**< tuv-level notes */
  size_t nnotes;
} px_variant;

/** A translation unit.  For writes the caller fills it (only @p variants
 * is required; ids and counters it sets are ignored or used as documented
 * per field); reads return one allocated by the library. */
typedef struct px_unit {
  uint64_t id;          /**< read: the unit's id (>= 1); write: ignored */
  const char *tuid;     /**< TMX tuid or NULL */
  const char *srclang;  /**< TMX srclang or NULL */
  int64_t created;      /**< unix seconds; write: 0 means now */
  int64_t changed;      /**< unix seconds; write: 0 means now */
  int64_t last_used;    /**< unix seconds of the last add/usage; 0 never */
  uint32_t usage_count; /**< write: the count of a new unit (TMX
                             usagecount); re-adding adds max(1, it) */
  const char *creator;  /**< creating user (TMX creationid) or NULL */
  const char *changer;  /**< TMX changeid or NULL */
  const char *tool;     /**< creating tool (TMX creationtool) or NULL */
  const char *doc_id;   /**< provenance: document id, or NULL */
  uint32_t doc_pos;     /**< provenance: sentence index in that document */
  double confidence;    /**< alignment confidence 0..1; < 0 unknown */
  const px_variant *variants;
  size_t nvariants;
  const px_prop *props; /**< unit-level props */
  size_t nprops;
  const char *const *notes; /**< unit-level notes */
  size_t nnotes;
} px_unit;

/** @brief Open (or create) the translation memory in directory @p dir.
 *
 * The directory is created (mode 0777 & ~umask, parents not) on first
 * open unless #PX_TM_RDONLY or #PX_TM_NOCREATE is set; a new store gets the
 * schema record of #PX_TM_SCHEMA_VERSION.  Stale reader slots left by
 * crashed processes are cleared (mdb_reader_check()).
 * @param[out] out  the handle; close with px_tm_close()
 * @param[in]  dir  the directory (NUL-terminated)
 * @param[in]  opts options, or NULL for #PX_TM_OPTS_INIT
 * @return 0; #PX_ENOTFOUND (no such directory with RDONLY/NOCREATE);
 *   #PX_ESTORE (not a directory, not an LMDB store, corrupt or unreadable
 *   files: the message names the path and LMDB's reason); #PX_ESCHEMA (a
 *   store of another schema version, or not a parallax store); #PX_EIO,
 *   #PX_ENOMEM, #PX_EINVALID. */
int px_tm_open(px_tm **out, const char *dir, const px_tm_opts *opts);

/** @brief Close the memory.  An open transaction is aborted and open
 * iterators are invalid afterwards (free them first).  NULL is a no-op. */
void px_tm_close(px_tm *tm);

/** The directory @p tm was opened on; borrowed until px_tm_close(). */
const char *px_tm_path(const px_tm *tm);

/** @brief The context hash of a sentence, for px_variant.prev_hash /
 * next_hash and px_lookup_opts: px_text_hash() of its #PX_NORM_KEY form
 * with punctuation removed; never 0 for non-empty text.
 * @param[out] out the hash; 0 when @p s is empty or white space only
 * @return 0, #PX_EENCODING, #PX_EUNICODE, #PX_ENOMEM. */
int px_tm_context_hash(uint64_t *out, const char *s, size_t len);

/** @brief Begin a write transaction.  One per handle at a time; another
 * process's writer makes this wait (LMDB's writer lock).
 * @param[out] out the transaction; end it with px_tm_txn_commit() or
 *             px_tm_txn_abort()
 * @return 0, #PX_EREADONLY, #PX_EEXISTS (this handle has one open),
 *         #PX_ESTORE, #PX_ENOMEM. */
int px_tm_txn_begin(px_tm_txn **out, px_tm *tm);

/** @brief Add @p u, merging as described in @ref tm_adding, and update the
 * indexes.  Empty variants (white space only) are skipped; a unit with no
 * non-empty variant is refused.
 * @param[in]  u       read during the call only
 * @param[out] id_out  if not NULL, the id of the unit stored or updated
 * @param[out] was_new if not NULL, 1 if a new unit was made, else 0
 * @return 0; #PX_EINVALID (no variant, bad language tag, two variants with
 *   one tag); #PX_EENCODING (the message names the variant's language and
 *   byte offset); #PX_ETOOBIG (a limit above); #PX_ESTORE; #PX_ENOMEM.
 *   After a refused unit (EINVAL, EENCODING, ETOOBIG) the transaction can
 *   still be committed: the add changed nothing.  After a store failure or
 *   running out of memory half-way, the transaction is spoiled: commit
 *   fails with #PX_ESTORE and nothing is written. */
int px_tm_add(px_tm_txn *txn, const px_unit *u, uint64_t *id_out, int *was_new);

/** @brief Delete unit @p id and its index entries.
 * @return 0, #PX_ENOTFOUND, #PX_ESTORE. */
int px_tm_delete_unit(px_tm_txn *txn, uint64_t id);

/** @brief Delete every unit document @p doc_id contributed to (a unit
 * merged from several documents goes as a whole).
 * @param[out] deleted if not NULL, the number of units deleted
 * @return 0 (also when the document is unknown: *deleted = 0),
 *         #PX_ESTORE. */
int px_tm_delete_doc(px_tm_txn *txn, const char *doc_id, uint64_t *deleted);

/** @brief Store a caller's value under @p key (up to 200 bytes) in the
 * meta database, e.g. an importer's resumable checkpoint.  Committed with
 * the transaction, so a checkpoint and the units it covers land together.
 * @return 0, #PX_ETOOBIG (value over 64 KiB), #PX_ESTORE. */
int px_tm_meta_put(px_tm_txn *txn, const char *key, const void *val,
                   size_t len);

/** @brief Read a caller's meta value (committed state; also sees this
 * handle's open transaction when there is one).
 * @param[out] out the value, NUL-terminated; free with px_free()
 * @return 0, #PX_ENOTFOUND, #PX_ESTORE, #PX_ENOMEM. */
int px_tm_meta_get(px_tm *tm, const char *key, char **out, size_t *len);

/** @brief Commit: make the transaction's writes durable and visible.  The
 * handle is freed whatever the result.
 * @return 0, #PX_ESTORE (disk full, memory full at max_map_size, a
 *         concurrent writer during a replay), #PX_ENOMEM. */
int px_tm_txn_commit(px_tm_txn *txn);

/** Abort: discard the transaction's writes; the handle is freed.  NULL is
 * a no-op. */
void px_tm_txn_abort(px_tm_txn *txn);

/** @brief Read unit @p id (committed state).
 * @param[out] out the unit, one allocation: free with px_unit_free()
 * @return 0, #PX_ENOTFOUND, #PX_ESTORE (a corrupt record), #PX_ENOMEM. */
int px_tm_get(px_unit **out, px_tm *tm, uint64_t id);

/** Free a unit returned by the library.  NULL is a no-op. */
void px_unit_free(px_unit *u);

/** @brief The variant of @p u whose tag is @p lang, or failing that whose
 * primary subtag equals @p lang's ("fa" finds "fa-IR"); NULL if none.
 * Borrowed from @p u. */
const px_variant *px_unit_variant(const px_unit *u, const char *lang);

/** @brief Iterate over all units in id order, in a snapshot taken now
 * (later commits are not seen).  A long-lived iterator keeps old pages
 * alive: free it when done.
 * @param[out] out the iterator; free with px_tm_iter_free()
 * @return 0, #PX_ESTORE, #PX_ENOMEM. */
int px_tm_iter_new(px_tm_iter **out, px_tm *tm);

/** @brief The next unit.
 * @param[out] out borrowed; valid until the next px_tm_iter_next() or
 *             px_tm_iter_free()
 * @return 0, #PX_ITEROVER at the end, #PX_ESTORE (a corrupt record; the
 *         iterator then skips it on the next call), #PX_ENOMEM. */
int px_tm_iter_next(px_tm_iter *it, const px_unit **out);

/** Free an iterator.  NULL is a no-op. */
void px_tm_iter_free(px_tm_iter *it);

/** Counts of one language. */
typedef struct px_tm_lang_count {
  char lang[36];     /**< the tag, NUL-terminated */
  uint64_t variants; /**< variants in that language */
} px_tm_lang_count;

/** What px_tm_stats() reports. */
typedef struct px_tm_stat {
  uint64_t units;       /**< units stored */
  uint64_t variants;    /**< variants in all languages */
  uint64_t text_bytes;  /**< UTF-8 bytes of all variant texts */
  uint64_t docs;        /**< distinct document ids */
  uint64_t store_bytes; /**< size of the used part of data.mdb (up to the
                             last page in use) */
  uint64_t free_bytes;  /**< of which pages free for reuse (LMDB's
                             freelist: copy-on-write leaves them) */
  uint64_t map_bytes;   /**< the current map size */
  uint64_t index_terms; /**< distinct (language, word) index keys */
  unsigned schema;      /**< the store's schema version */
  unsigned readers;     /**< reader slots in use */
  size_t nlangs;
  px_tm_lang_count *langs; /**< sorted by tag; inside the same allocation */
} px_tm_stat;

/** @brief Counts and sizes of the memory (committed state).
 * @param[out] out one allocation; free with px_free()
 * @return 0, #PX_ESTORE, #PX_ENOMEM. */
int px_tm_stats(px_tm_stat **out, px_tm *tm);

/** Kinds of lookup match, best first. */
typedef enum px_match_kind {
  PX_MATCH_CONTEXT = 1, /**< 101: exact, and previous and next sentences
                             match the stored context */
  PX_MATCH_EXACT = 2,   /**< 100: identical text */
  PX_MATCH_FUZZY = 3    /**< below 100 */
} px_match_kind;

/** What made a fuzzy score lower than the token distance alone:
 * px_match.penalties.  The weights are documented in tm/SCHEMA.md
 * ("Scoring"). */
enum px_penalty_flags {
  PX_PEN_CASE = 1u << 0,   /**< letters differ only in case */
  PX_PEN_MARKS = 1u << 1,  /**< ... only in diacritics / harakat */
  PX_PEN_PUNCT = 1u << 2,  /**< punctuation differs */
  PX_PEN_SPACE = 1u << 3,  /**< white space differs */
  PX_PEN_NUMBER = 1u << 4, /**< numbers differ */
  PX_PEN_TAGS = 1u << 5    /**< inline tags differ */
};

/** A byte span. */
typedef struct px_span {
  size_t off, len;
} px_span;

/** One lookup result.  Its strings and unit are owned by the result array
 * and freed by px_tm_matches_free(). */
typedef struct px_match {
  uint64_t unit_id;
  int score; /**< 101, 100 or the fuzzy percentage */
  px_match_kind kind;
  unsigned penalties; /**< #px_penalty_flags */
  const char *source; /**< the stored from-language text, NUL-terminated */
  size_t source_len;
  const char *target; /**< the to-language text, numbers substituted when
                           @p substituted; NUL-terminated */
  size_t target_len;
  int substituted;      /**< 1 if numbers in target were replaced by the
                             query's (in the target's digit script) */
  const px_span *subst; /**< the replaced spans in target */
  size_t nsubst;
  const px_unit *unit; /**< the whole unit (provenance, dates, usage) */
} px_match;

/** px_lookup_opts.flags */
enum px_lookup_flags {
  PX_LOOKUP_NO_SUBST = 1u << 0, /**< never substitute numbers */
  PX_LOOKUP_EXACT = 1u << 1     /**< exact and context matches only */
};

/** Options for px_tm_lookup(). */
typedef struct px_lookup_opts {
  unsigned version; /**< 1 */
  int min_score;    /**< lowest fuzzy score returned; default 75 */
  size_t limit;     /**< most results; default 5 */
  const char *prev; /**< the query's previous sentence, or NULL */
  size_t prev_len;
  const char *next; /**< the query's next sentence, or NULL */
  size_t next_len;
  unsigned flags;    /**< #px_lookup_flags */
  size_t candidates; /**< fuzzy candidates scored exactly; default 300 */
} px_lookup_opts;
#define PX_LOOKUP_OPTS_INIT                                                    \
  { 1, 75, 5, NULL, 0, NULL, 0, 0, 0 }

/** @brief Look @p text (language @p from) up and return translations into
 * @p to, best first: context matches (101), exact (100), then fuzzy
 * matches down to opts->min_score; ties by last change, last use, usage
 * count, id.  Reads the committed state and writes nothing.
 *
 * Fuzzy score: word-token Levenshtein distance LD over ICU word tokens
 * (case folded, diacritics removed, punctuation, white space, numbers and
 * inline tags set aside), 100*(max(|a|,|b|) - LD)/max(|a|,|b|) rounded
 * down, minus penalties for differences in case, diacritics, punctuation,
 * white space, numbers and tags (see tm/SCHEMA.md), so that 100 means
 * identical.  When the query differs from the source only in numbers and
 * the target holds those numbers, the target comes back with the query's
 * numbers (in the target language's digits), @p substituted set.
 * Candidates come from the word index within a length window, so a lookup
 * never scans the memory.
 * @param[out] out   results; free with px_tm_matches_free(); NULL when
 *                   there are none
 * @param[out] count number of results
 * @param[in]  opts  NULL for #PX_LOOKUP_OPTS_INIT
 * @return 0 (also with no match), #PX_EENCODING, #PX_ETOOBIG, #PX_EINVALID,
 *         #PX_ESTORE, #PX_EUNICODE, #PX_ENOMEM. */
int px_tm_lookup(px_match **out, size_t *count, px_tm *tm, const char *text,
                 size_t len, const char *from, const char *to,
                 const px_lookup_opts *opts);

/** Free px_tm_lookup() results.  NULL is a no-op. */
void px_tm_matches_free(px_match *m, size_t count);

/** One concordance hit. */
typedef struct px_concord_hit {
  const px_unit *unit;  /**< the unit */
  size_t variant;       /**< index of the matching variant in unit */
  const px_span *spans; /**< the phrase's occurrences in its text */
  size_t nspans;
} px_concord_hit;

/** Options for px_tm_concordance(). */
typedef struct px_concord_opts {
  unsigned version; /**< 1 */
  size_t limit;     /**< most hits; default 50 */
  const char *to;   /**< only units that also have this language, or NULL */
} px_concord_opts;
#define PX_CONCORD_OPTS_INIT                                                   \
  { 1, 50, NULL }

/** @brief Every unit whose @p lang variant contains the words of @p phrase
 * consecutively, ignoring case, diacritics and punctuation between words
 * (ICU folding), shortest sentences first (then oldest unit first), up to
 * opts->limit.  The rarest word of the phrase selects candidates from the
 * word index; at most 200,000 candidates are verified per call.
 * @param[out] out   hits; free with px_tm_concord_free(); NULL if none
 * @param[out] count number of hits
 * @return 0, #PX_EINVALID (a phrase with no word), #PX_EENCODING,
 *         #PX_ETOOBIG, #PX_ESTORE, #PX_EUNICODE, #PX_ENOMEM. */
int px_tm_concordance(px_concord_hit **out, size_t *count, px_tm *tm,
                      const char *phrase, size_t len, const char *lang,
                      const px_concord_opts *opts);

/** Free px_tm_concordance() hits.  NULL is a no-op. */
void px_tm_concord_free(px_concord_hit *hits, size_t count);

/** @} */
/* ==== end tm =========================================================== */

/* ==== tmx ============================================================== */
/** @defgroup tmx TMX 1.4b, TSV and JSONL: import and export
 *
 * Reading streams the file through Expat in constant memory and hands one
 * #px_unit per TMX `<tu>` (or TSV line, or JSONL object) to a callback.
 * Importing feeds those units to a translation memory in LMDB
 * transactions; exporting iterates over the memory and writes units back.
 *
 * @section tmx_map What a TMX unit becomes
 * - `tu` attributes: tuid, srclang, creationdate, changedate,
 *   lastusagedate, usagecount, creationid, changeid, creationtool go to the
 *   #px_unit fields of those names; the other TMX attributes (o-encoding,
 *   datatype, creationtoolversion, segtype, o-tmf, and any unknown one) are
 *   kept as props of type `x-px-attr:NAME` and written back as attributes.
 *   `tuv` likewise: xml:lang (or the TMX 1.1-1.3 `lang`), creationdate,
 *   changedate, creationid to #px_variant fields, the rest as
 *   `x-px-attr:NAME` props of the variant.
 * - The header's srclang (unless `*all*`), creationtool and creationdate
 *   are the defaults of units that lack their own (a unit without
 *   changedate gets its creationdate), except in files parallax exported
 *   (o-tmf `parallax-lmdb`), which spell every unit out; the header's props
 *   and notes apply to the whole file, so each unit receives them ahead of
 *   its own.  The other header attributes are reported to the caller
 *   (#px_tmx_header).
 * - `prop` and `note` at tu and tuv level become props and notes.  Props
 *   of types `x-px-doc`, `x-px-docpos`, `x-px-confidence` (tu) and
 *   `x-px-prev`, `x-px-next` (tuv, 16 hex digits) carry the provenance
 *   fields parallax writes on export and are read back into those fields.
 * - Inline markup is not flattened: each `bpt`/`ept`/`ph`/`it`/`ut` and the
 *   start and end of each `hi` becomes a placeholder marker in the text and
 *   a record in px_variant.codes (format in tm/SCHEMA.md, "Inline codes").
 * - Dates are TMX's `YYYYMMDDThhmmssZ`, parsed strictly (a valid calendar
 *   date and time, UTC); anything else makes the unit bad.
 *
 * @section tmx_bad Bad input
 * A file that is not well-formed XML, has another root than `tmx`, declares
 * entities (DTD internal subsets with `<!ENTITY`: billion-laughs attacks
 * are refused before any expansion), refers to an undefined entity, nests
 * elements deeper than #PX_TMX_MAX_DEPTH or holds one XML token (a start
 * tag) over #PX_TMX_MAX_TOKEN fails with #PX_EPARSE / #PX_ETOOBIG and the
 * message `FILE:LINE:COL: what`.  A bad unit (no or malformed language,
 * tuv without seg, empty seg, two tuvs of one language, a bad date or
 * number, an unexpected element or text, a segment over #PX_TM_MAX_TEXT)
 * fails the same way, or with #PX_TMX_SKIP_BAD is reported through
 * px_tmx_read_opts.on_bad and skipped.
 * @{ */

/** Deepest element nesting accepted (tmx/body/tu/tuv/seg is 5). */
#define PX_TMX_MAX_DEPTH 48
/** Largest single XML token (a start tag with its attributes), in bytes. */
#define PX_TMX_MAX_TOKEN (1024u * 1024u)

/** File formats for reading and writing. */
typedef enum px_tmx_format {
  PX_TMX_FORMAT_AUTO = 0, /**< reading: from the file name's extension
                               (.tmx .tsv .txt .jsonl .json), else by
                               content (`<` first: TMX, `{`: JSONL) */
  PX_TMX_FORMAT_TMX = 1,  /**< TMX 1.4b */
  PX_TMX_FORMAT_TSV = 2,  /**< one unit per line, one column per language;
                               `\t` `\n` `\r` `\\` escaped; an optional
                               first line `#langs<TAB>en<TAB>fa...` names
                               the columns */
  PX_TMX_FORMAT_JSONL = 3 /**< one JSON object per unit, every field (see
                               tm/SCHEMA.md, "JSONL") */
} px_tmx_format;

/** @brief The format named @p name ("tmx", "tsv", "jsonl"); -1 if none. */
int px_tmx_format_from_name(const char *name);

/** px_tmx_read_opts.flags */
enum px_tmx_read_flags {
  PX_TMX_SKIP_BAD = 1u << 0, /**< skip bad units (reported through on_bad)
                                  instead of failing; XML that is not
                                  well-formed still fails */
  PX_TMX_HASH = 1u << 1      /**< compute px_tmx_read_stats.hash (costs a
                                  tenth of the reading time) */
};

/** The TMX `<header>`, as given to px_tmx_read_opts.on_header.  All
 * pointers are borrowed for the duration of the callback; absent
 * attributes are NULL (dates 0). */
typedef struct px_tmx_header {
  const char *creationtool, *creationtoolversion, *segtype, *o_tmf;
  const char *adminlang, *srclang, *datatype, *o_encoding;
  const char *creationid, *changeid;
  int64_t created, changed; /**< unix seconds, 0 absent */
  const px_prop *props;
  size_t nprops;
  const char *const *notes;
  size_t nnotes;
} px_tmx_header;

/** Where a unit was read: for messages and checkpoints. */
typedef struct px_tmx_pos {
  const char *file;   /**< the name used in messages */
  unsigned long line; /**< 1-based line of the unit's start tag */
  unsigned long col;  /**< 1-based column */
  uint64_t byte;      /**< bytes of the file consumed so far */
  uint64_t index;     /**< 0-based index of the unit in the file, counting
                           skipped ones */
} px_tmx_pos;

/** Called with each good unit.  @p u and everything it points to are
 * borrowed until the callback returns.  Return 0 to go on, or a negative
 * px_error_code (with px_error_set()) to stop reading: px_tmx_read() then
 * returns that code. */
typedef int (*px_tmx_unit_fn)(const px_unit *u, const px_tmx_pos *pos,
                              void *payload);

/** Options for px_tmx_read(). */
typedef struct px_tmx_read_opts {
  unsigned version;     /**< 1 */
  unsigned flags;       /**< #px_tmx_read_flags */
  px_tmx_format format; /**< #PX_TMX_FORMAT_AUTO to guess */
  const char *src_lang; /**< TSV: language of column 1 (with tgt_lang;
                             overrides a `#langs` line) */
  const char *tgt_lang; /**< TSV: language of column 2 */
  const char *doc_id;   /**< provenance of units that carry none, or NULL */
  const char *name;     /**< the file name used in messages; NULL: path */
  /** If not NULL, called once with the TMX header before the first unit;
   * a negative return stops reading with that code. */
  int (*on_header)(const px_tmx_header *h, void *payload);
  /** If not NULL, called for each bad unit skipped under #PX_TMX_SKIP_BAD
   * with its error code and one-line message `FILE:LINE:COL: what`. */
  void (*on_bad)(int code, const char *message, void *payload);
  /** If not NULL, called now and then (every 1 MiB) with the bytes read
   * and the file's size (0 when unknown, e.g. a pipe). */
  void (*on_progress)(uint64_t done, uint64_t total, void *payload);
  void *payload; /**< passed to on_header, on_bad and on_progress */
} px_tmx_read_opts;
#define PX_TMX_READ_OPTS_INIT                                                  \
  { 1, 0, PX_TMX_FORMAT_AUTO, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL }

/** What px_tmx_read() counted. */
typedef struct px_tmx_read_stats {
  uint64_t units;   /**< good units handed to the callback */
  uint64_t skipped; /**< bad units skipped (#PX_TMX_SKIP_BAD) */
  uint64_t bytes;   /**< bytes read */
  uint64_t hash;    /**< with #PX_TMX_HASH, a hash of the file's bytes
                         (its identity in checkpoints), else 0 */
} px_tmx_read_stats;

/** @brief Read the TMX, TSV or JSONL file @p path (`-` is stdin), calling
 * @p fn with each unit, in constant memory whatever the file's size.
 * @param[out] stats   if not NULL, the counts (also filled on failure:
 *                     how far reading got)
 * @param[in]  path    the file (NUL-terminated)
 * @param[in]  opts    NULL for #PX_TMX_READ_OPTS_INIT
 * @param[in]  fn      the unit callback (NULL: only check the file)
 * @param[in]  payload passed to @p fn
 * @return 0; #PX_EPARSE (malformed file or bad unit: `FILE:LINE:COL:
 *   message`); #PX_ETOOBIG (a limit, with the position); #PX_EENCODING
 *   (TSV/JSONL not UTF-8: line and byte); #PX_EIO (cannot read: the path
 *   and the system's reason); #PX_EINVALID; #PX_ENOMEM; or the callback's
 *   negative code. */
int px_tmx_read(px_tmx_read_stats *stats, const char *path,
                const px_tmx_read_opts *opts, px_tmx_unit_fn fn, void *payload);

/** @brief px_tmx_read() on @p len bytes in memory; @p name is used in
 * messages (and to guess the format). */
int px_tmx_read_mem(px_tmx_read_stats *stats, const char *data, size_t len,
                    const char *name, const px_tmx_read_opts *opts,
                    px_tmx_unit_fn fn, void *payload);

/** A streaming writer of TMX, TSV or JSONL: from px_tmx_writer_new(). */
typedef struct px_tmx_writer px_tmx_writer;

/** Options for px_tmx_writer_new() and px_tmx_export(). */
typedef struct px_tmx_write_opts {
  unsigned version;         /**< 1 */
  px_tmx_format format;     /**< TMX (the default for AUTO), TSV, JSONL */
  const char *const *langs; /**< only these languages (NULL: all); for
                                 TSV the columns, in this order (needed) */
  size_t nlangs;
  const char *srclang; /**< TMX header srclang; NULL: `*all*` */
  int64_t now;         /**< the header's creationdate; 0: now (tests
                            pass a fixed value for stable output) */
} px_tmx_write_opts;
#define PX_TMX_WRITE_OPTS_INIT                                                 \
  { 1, PX_TMX_FORMAT_AUTO, NULL, 0, NULL, 0 }

/** @brief Start writing to @p f (which stays the caller's: not closed).
 * TMX: writes the XML declaration and a header with every attribute TMX
 * 1.4b requires (creationtool "parallax", creationtoolversion, segtype
 * "sentence", o-tmf "parallax-lmdb", adminlang "en", srclang, datatype
 * "plaintext", creationdate).  TSV: a `#langs` line.
 * @param[out] out the writer; end it with px_tmx_writer_finish() (or free
 *             it with px_tmx_writer_free() to abandon it)
 * @return 0, #PX_EINVALID (TSV without langs, a bad tag), #PX_EIO, #PX_ENOMEM.
 */
int px_tmx_writer_new(px_tmx_writer **out, FILE *f,
                      const px_tmx_write_opts *opts);

/** @brief Write one unit (only the variants in opts->langs when given; a
 * unit left with no variant is not written).
 * @param[out] written if not NULL, 1 if the unit was written, else 0
 * @return 0; #PX_EPARSE (text XML 1.0 cannot carry, such as U+0001: the
 *   message names the unit); #PX_EIO; #PX_ENOMEM. */
int px_tmx_writer_add(px_tmx_writer *w, const px_unit *u, int *written);

/** @brief Finish (TMX: close body and tmx), flush, and free the writer.
 * @return 0 or #PX_EIO (a write or flush failed). */
int px_tmx_writer_finish(px_tmx_writer *w);

/** Free a writer without finishing it.  NULL is a no-op. */
void px_tmx_writer_free(px_tmx_writer *w);

/** What px_tmx_export() wrote. */
typedef struct px_tmx_export_stats {
  uint64_t units;   /**< units written */
  uint64_t skipped; /**< units with none of the languages asked for */
} px_tmx_export_stats;

/** @brief Export every unit of @p tm (a snapshot: concurrent writers do not
 * disturb it) to @p path, atomically: written to a temporary file in the
 * same directory, flushed to disk, then renamed over @p path, so @p path
 * is either untouched or complete.  @p path `-` writes to stdout.
 * @return 0, #PX_EIO, #PX_ESTORE, #PX_EPARSE, #PX_EINVALID, #PX_ENOMEM. */
int px_tmx_export(px_tmx_export_stats *stats, px_tm *tm, const char *path,
                  const px_tmx_write_opts *opts);

/** px_tmx_import_opts.flags (besides #PX_TMX_SKIP_BAD) */
enum px_tmx_import_flags {
  PX_TMX_RESUME = 1u << 8 /**< continue an interrupted batched import of
                               the same file from its checkpoint */
};

/** Options for px_tmx_import(). */
typedef struct px_tmx_import_opts {
  unsigned version;      /**< 1 */
  px_tmx_read_opts read; /**< how to read the file (flags, format, ...) */
  unsigned flags;        /**< #PX_TMX_RESUME */
  long batch;            /**< units per transaction; 0: one transaction
                              for the whole file; -1 (default): one
                              transaction when the file is at most
                              single_max bytes, else 10,000 */
  uint64_t single_max;   /**< 0: 16 MiB (one transaction holds the
                              whole file in memory) */
} px_tmx_import_opts;
#define PX_TMX_IMPORT_OPTS_INIT                                                \
  { 1, PX_TMX_READ_OPTS_INIT, 0, -1, 0 }

/** What px_tmx_import() did. */
typedef struct px_tmx_import_stats {
  uint64_t read;    /**< good units read (including resumed-over ones) */
  uint64_t added;   /**< new units stored */
  uint64_t updated; /**< units that existed and were updated or merged */
  uint64_t skipped; /**< bad units skipped */
  uint64_t resumed; /**< units skipped because a checkpoint covered them */
  uint64_t batches; /**< transactions committed */
  uint64_t bytes;   /**< bytes of the file */
} px_tmx_import_stats;

/** @brief Import the file @p path into @p tm.
 *
 * All or nothing: a malformed file or bad unit (without #PX_TMX_SKIP_BAD)
 * stores nothing.  A file of at most single_max bytes is imported in one
 * LMDB transaction.  A bigger one is first checked in full (a reading pass
 * that stores nothing), then stored in transactions of @p batch units; each
 * commits with the checkpoint `import:<hash of the file>` = units done, so a
 * crash or kill loses at most the batch in progress, and the import
 * continues from the checkpoint with #PX_TMX_RESUME.  Without it, an
 * unfinished checkpoint of the same file makes the import fail with
 * #PX_EEXISTS (importing again would count the committed units twice).
 * See tm/SCHEMA.md, "Import checkpoints".
 * @param[out] stats if not NULL, the counts (also after a failure)
 * @return 0; the codes of px_tmx_read(); #PX_EEXISTS (an unfinished
 *   checkpoint, without #PX_TMX_RESUME); #PX_ESTORE; #PX_EREADONLY. */
int px_tmx_import(px_tmx_import_stats *stats, px_tm *tm, const char *path,
                  const px_tmx_import_opts *opts);

/** @brief Parse a TMX date `YYYYMMDDThhmmssZ` strictly.
 * @param[out] out unix seconds
 * @return 0 or #PX_EPARSE. */
int px_tmx_date_parse(int64_t *out, const char *s, size_t len);

/** @brief Format unix seconds @p t as a TMX date into @p buf (17 bytes
 * with the NUL).  Returns @p buf. */
char *px_tmx_date_format(char buf[17], int64_t t);

/** @} */
/* ==== end tmx ========================================================== */

/* ==== names ============================================================ */
/** @defgroup names Names: one house spelling per entity
 *
 * A names lexicon (dictionaries/names/names.tsv, format in its README) lists
 * entities (people, groups, parties, agencies, places) with the house
 * English spelling, known variants, banned spellings, former names and the
 * Persian, Russian and Arabic source forms.  px_names_compile() turns it
 * into a Hunspell .aff/.dic pair; px_names_open() loads the lexicon, that
 * pair and Debian's en_US (two separate Hunspell handles) and builds the
 * phrase indexes.  A check session (px_names_check) then scans documents,
 * aligned pairs and memory units and collects findings; px_names_fix()
 * applies the unambiguous ones to a copy of a document.
 * @{ */

/** An open names checker: lexicon, indexes and Hunspell handles. */
typedef struct px_names px_names;
/** A check session: findings over a batch of documents and pairs. */
typedef struct px_names_check px_names_check;

/** Options for px_names_open(). */
typedef struct px_names_opts {
  unsigned version;         /**< #PX_NAMES_OPTS_VERSION */
  const char *lexicon_path; /**< the lexicon TSV; NULL: the shipped one */
  const char *aff_path;     /**< compiled names .aff; NULL: the built one,
                                 or compiled on the fly when lexicon_path
                                 is given */
  const char *dic_path;     /**< compiled names .dic (with aff_path) */
  const char *en_aff_path;  /**< en_US .aff; NULL: $PARALLAX_EN_AFF or
                                 /usr/share/hunspell/en_US.aff */
  const char *en_dic_path;  /**< en_US .dic; NULL: likewise */
  double close_threshold;   /**< Jaro-Winkler floor for unknown-close and
                                 inconsistency (0: 0.88) */
} px_names_opts;
#define PX_NAMES_OPTS_VERSION 1
#define PX_NAMES_OPTS_INIT                                                     \
  { PX_NAMES_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, 0.0 }

/** @brief Compile the lexicon at @p lexicon_path into a Hunspell pair:
 * house spellings with the possessive/plural flag, variants as `ph:`
 * fields, banned spellings with FORBIDDENWORD, REP and MAP tables for the
 * transliteration patterns.  Both files are written atomically.
 * @param[in] lexicon_path the TSV lexicon
 * @param[in] aff_path, dic_path where to write
 * @return 0, #PX_EIO, #PX_EPARSE ("FILE:LINE: what"), #PX_EENCODING,
 *         #PX_ENOMEM. */
int px_names_compile(const char *lexicon_path, const char *aff_path,
                     const char *dic_path);

/** @brief Open a names checker.
 * @param[out] out  the checker; free with px_names_free()
 * @param[in]  opts NULL for the defaults
 * @return 0; #PX_EDICT when a Hunspell dictionary is missing (the message
 *         names both the .aff and the .dic path); #PX_EPARSE or
 *         #PX_EENCODING for a bad lexicon (FILE:LINE); #PX_EIO; #PX_ENOMEM. */
int px_names_open(px_names **out, const px_names_opts *opts);

/** Free a checker (NULL is a no-op).  Its sessions must be freed first. */
void px_names_free(px_names *n);

/** Number of entities in the checker's lexicon. */
size_t px_names_entity_count(const px_names *n);

/** @brief Hunspell verdict of the compiled names dictionary on one word:
 * 1 correct, 0 misspelt (unknown, variant or forbidden). */
int px_names_spell(px_names *n, const char *word);

/** @brief Hunspell suggestions of the names dictionary for @p word.
 * @param[out] out   array of NUL-terminated strings; free each and the
 *                   array with px_free()
 * @param[out] count number of suggestions
 * @return 0, #PX_ENOMEM. */
int px_names_suggest(char ***out, size_t *count, px_names *n, const char *word);

/** What a finding is. */
typedef enum px_names_kind {
  PX_NAMES_VARIANT = 1, /**< a known variant of an entity's house spelling */
  PX_NAMES_BANNED = 2,  /**< a spelling the house style forbids */
  PX_NAMES_CLOSE = 3,   /**< an unknown name close to a known one (review) */
  PX_NAMES_INCONSISTENT = 4, /**< one name spelt two ways (document, batch,
                                  memory); house is the majority form */
  PX_NAMES_MISSING = 5       /**< the source side names an entity the English
                                  side does not carry */
} px_names_kind;

/** A static name for @p kind: "variant", "banned", "unknown-close",
 * "inconsistent", "missing". */
const char *px_names_kind_name(px_names_kind kind);

/** One finding.  Strings are owned by the session. */
typedef struct px_names_finding {
  px_names_kind kind;
  size_t doc;         /**< index of the document (order of adding) */
  size_t off, len;    /**< byte span of the found spelling in the document
                           (for MISSING: the source-side mention) */
  unsigned long line; /**< 1-based line of off */
  unsigned long col;  /**< 1-based column of off, in code points */
  const char *entity; /**< entity id, or "" for a name in no lexicon */
  const char *found;  /**< the spelling found */
  const char *house;  /**< the spelling to use */
  int fixable;        /**< 1 if px_names_fix() replaces it */
  int in_source;      /**< 1 if off/len point into the source side of a pair */
  const char *src_label; /**< for in_source findings: the source's label */
} px_names_finding;

/** @brief Start a check session.
 * @param[out] out  free with px_names_check_free() before @p n
 * @return 0, #PX_ENOMEM. */
int px_names_check_new(px_names_check **out, px_names *n);

/** Free a session (NULL is a no-op). */
void px_names_check_free(px_names_check *c);

/** @brief Check one English document: variants, banned spellings,
 * unknown-close names and inconsistency within it.  The text is copied
 * where findings need it; @p label (a file name) is copied.
 * @param[out] doc_out if not NULL, the document's index
 * @return 0, #PX_EENCODING ("LABEL: invalid UTF-8 at byte N"),
 *         #PX_EUNICODE, #PX_ENOMEM. */
int px_names_check_text(px_names_check *c, size_t *doc_out, const char *label,
                        const char *s, size_t len);

/** @brief Check an aligned pair: the English side as px_names_check_text()
 * does, and every entity the source side names (by the lexicon's source
 * forms; names in no lexicon by romanization, skeleton and Jaro-Winkler)
 * must appear in the English side with the house spelling (else MISSING or
 * VARIANT).  The source-to-English spellings seen feed cross-pair
 * inconsistency and px_names_learn_write().
 * @param[in] src_label, en_label names of the two sides (files, or a memory
 *            unit), copied; findings with in_source set point into src
 * @param[in] src_lang BCP-47 tag of the source (fa, ru, ar...); NULL: guessed
 * @return as px_names_check_text(). */
int px_names_check_pair(px_names_check *c, size_t *doc_out,
                        const char *src_label, const char *src, size_t src_len,
                        const char *src_lang, const char *en_label,
                        const char *en, size_t en_len);

/** @brief Check one aligned bead of a document already checked with
 * px_names_check_text(): the source sentences src[src_start, src_end)
 * against the English sentences en[en_start, en_end) of document @p doc
 * (whose whole text is @p en).  Only cross-lingual findings (MISSING) are
 * added, with positions in the whole source text; variants in the English
 * were reported by the document's own check.
 * @return 0, #PX_EINVALID (bad ranges or document), #PX_EENCODING,
 *         #PX_EUNICODE, #PX_ENOMEM. */
int px_names_check_bead(px_names_check *c, size_t doc, const char *src_label,
                        const char *src, size_t src_len, const char *src_lang,
                        size_t src_start, size_t src_end, const char *en,
                        size_t en_len, size_t en_start, size_t en_end);

/** @brief Finish the batch: inconsistency across every document and pair
 * added so far (names in no lexicon spelt two ways; the majority form is
 * proposed).  Call once, after the last add; findings are then sorted by
 * document and offset.
 * @return 0, #PX_ENOMEM. */
int px_names_check_finish(px_names_check *c);

/** Number of findings so far. */
size_t px_names_check_count(const px_names_check *c);

/** The @p i th finding, borrowed until the session is freed; NULL when
 * @p i is out of range. */
const px_names_finding *px_names_check_get(const px_names_check *c, size_t i);

/** The label of document @p doc (for a pair: the English side's), or NULL. */
const char *px_names_check_label(const px_names_check *c, size_t doc);

/** The source-side label of pair @p doc, or NULL for a lone document. */
const char *px_names_check_src_label(const px_names_check *c, size_t doc);

/** @brief Apply the fixable findings of document @p doc to @p s (the same
 * bytes that were checked), preserving every other byte.
 * @param[out] out     the corrected text; free with px_free()
 * @param[out] out_len its length
 * @param[out] nfixed  if not NULL, the number of replacements made
 * @return 0, #PX_EINVALID if @p doc is unknown, #PX_ENOMEM. */
int px_names_fix(char **out, size_t *out_len, size_t *nfixed,
                 const px_names_check *c, size_t doc, const char *s,
                 size_t len);

/** @brief Write what the pairs checked so far teach: per source-language
 * name, the English spellings seen and their counts, as lexicon lines
 * (commented with the counts) a human edits and adds to the lexicon.
 * @return 0, #PX_EIO. */
int px_names_learn_write(const px_names_check *c, FILE *f);

/** @} */
/* ==== end names ======================================================== */

#ifdef __cplusplus
}
#endif
#endif /* PARALLAX_H */
