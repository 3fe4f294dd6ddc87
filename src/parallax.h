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
  PX_ERRCLASS_OS,      /**< cause is an errno value */
  PX_ERRCLASS_NOMEM,
  PX_ERRCLASS_TEXT,    /**< cause is a UErrorCode when ICU failed */
  PX_ERRCLASS_SEGMENT,
  PX_ERRCLASS_ALIGN,
  PX_ERRCLASS_LEXICON,
  PX_ERRCLASS_TM,      /**< cause is an MDB_ return code */
  PX_ERRCLASS_TMX,     /**< cause is an XML_Error */
  PX_ERRCLASS_NAMES,
  PX_ERRCLASS_INVALID
} px_error_class;

/** The detail of the thread's last failure. */
typedef struct px_error {
  int code;          /**< a #px_error_code */
  int klass;         /**< a #px_error_class */
  long cause;        /**< the foreign code (errno, MDB_, UErrorCode, XML_Error) or 0 */
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
 * @{ */

/** @brief Check that @p s is valid UTF-8 (no overlongs, no surrogates, no
 * code point above U+10FFFF).
 * @param[out] bad_offset if not NULL, receives the byte offset of the first
 *             invalid byte when the text is invalid
 * @return 0, or #PX_EENCODING (message: "invalid UTF-8 at byte N"). */
int px_text_validate(const char *s, size_t len, size_t *bad_offset);

/** Normalization steps for px_text_normalize(); combine with `|`. */
enum px_norm_flags {
  PX_NORM_NFC = 1u << 0,    /**< Unicode NFC */
  PX_NORM_FOLD = 1u << 1,   /**< full Unicode case folding */
  PX_NORM_SPACES = 1u << 2, /**< Unicode spaces (NBSP, thin...) and runs of
                                 white space become one ' '; trimmed */
  PX_NORM_DIGITS = 1u << 3, /**< decimal digits of any script become ASCII */
  PX_NORM_MARKS = 1u << 4,  /**< remove combining marks (diacritics, Arabic
                                 harakat) and tatweel */
  PX_NORM_PUNCT = 1u << 5,  /**< remove punctuation */
  PX_NORM_NEWLINES = 1u << 6 /**< CRLF and CR become LF; a leading BOM goes */
};
/** The normalization of keys (exact-match hashes, index terms): NFC, case
 * fold, spaces collapsed, digits kept but made ASCII. */
#define PX_NORM_KEY (PX_NORM_NFC | PX_NORM_FOLD | PX_NORM_SPACES | PX_NORM_DIGITS)

/** @brief Normalize @p s according to @p flags.
 * @param[out] out     the result, NUL-terminated; free with px_free()
 * @param[out] out_len its length in bytes (may be NULL)
 * @return 0, #PX_EENCODING if @p s is not UTF-8, #PX_EUNICODE, #PX_ENOMEM. */
int px_text_normalize(char **out, size_t *out_len, const char *s, size_t len,
                      unsigned flags);

/** What a token is. */
typedef enum px_token_kind {
  PX_TOK_WORD = 1,   /**< letters (and marks, ZWNJ, inner apostrophes) */
  PX_TOK_NUMBER = 2, /**< digits of any script, with inner . , : separators */
  PX_TOK_PUNCT = 3,  /**< one punctuation character */
  PX_TOK_SYMBOL = 4, /**< anything else that is not white space */
  PX_TOK_IDEO = 5    /**< ideographic / kana run (one token each) */
} px_token_kind;

/** A token: a span of the text it came from. */
typedef struct px_token {
  size_t off;         /**< byte offset into the tokenized text */
  size_t len;         /**< length in bytes */
  px_token_kind kind; /**< what it is */
} px_token;

/** @brief Split @p s into word, number and punctuation tokens with ICU's
 * word break iterator; white space is dropped.
 * @param[out] out   array of tokens; free with px_free()
 * @param[out] count number of tokens
 * @param[in]  lang  BCP-47 tag for the break rules (NULL: root)
 * @return 0, #PX_EENCODING, #PX_EUNICODE, #PX_ENOMEM. */
int px_text_tokenize(px_token **out, size_t *count, const char *s, size_t len,
                     const char *lang);

/** @brief Transliterate with an ICU transform (e.g. "Russian-Latin/BGN",
 * "Any-Latin; Latin-ASCII").  Transliterators are cached per thread.
 * @param[out] out result, NUL-terminated; free with px_free()
 * @return 0, #PX_EINVALID for an unknown transform id, #PX_EENCODING,
 *         #PX_EUNICODE, #PX_ENOMEM. */
int px_text_translit(char **out, size_t *out_len, const char *s, size_t len,
                     const char *id);

/** @brief Romanize @p s to lower-case ASCII the way names are compared:
 * Russian with `Russian-Latin/BGN`, other scripts with `Any-Latin`, then
 * `Latin-ASCII` and lower case.  Persian and Arabic letters that BGN leaves
 * alone go through `Any-Latin`.  @p lang may be NULL (guessed from script).
 * @param[out] out result; free with px_free(). */
int px_text_romanize(char **out, size_t *out_len, const char *s, size_t len,
                     const char *lang);

/** @brief The consonant skeleton of romanized text: lower-case ASCII
 * letters only, vowels (a e i o u y w h ' `) removed except at the start of
 * a word, look-alike consonants merged (q/k/c->k, z/dh->z, v/w->v), runs of
 * one letter collapsed.  "Rouhani" and "Rohani" give "rn"; "Daesh" and
 * "Daish" give "dsh" -> "ds".  @p s should come from px_text_romanize().
 * @param[out] out result; free with px_free(). */
int px_text_skeleton(char **out, size_t *out_len, const char *s, size_t len);

/** @brief Rewrite ASCII digits 0-9 in @p s into the digit script that
 * @p lang uses in news (fa: ۰-۹, ar: ٠-٩, others: unchanged).
 * @param[out] out result; free with px_free(). */
int px_text_digits_for_lang(char **out, size_t *out_len, const char *s,
                            size_t len, const char *lang);

/** @brief Guess a language tag from the dominant script of @p s: Cyrillic
 * "ru", Arabic script "fa" when Persian-only letters (پ چ ژ گ ک ی) occur,
 * else "ar"; Greek "el", Hebrew "he", Han "zh", Kana "ja", Hangul "ko",
 * Devanagari "hi", Thai "th", Armenian "hy", Georgian "ka"; Latin and
 * anything else @p fallback.  Returns a static string or @p fallback.
 * Stops reading after the first 64 KiB. */
const char *px_text_guess_lang(const char *s, size_t len, const char *fallback);

/** @brief Jaro-Winkler similarity (0..1) of two UTF-8 strings, by code
 * point.  Invalid UTF-8 compares byte-wise. */
double px_text_jaro_winkler(const char *a, size_t alen, const char *b,
                            size_t blen);

/** @brief A stable 64-bit hash (FNV-1a) of bytes: the same on every
 * machine and version, so it can be stored. */
uint64_t px_text_hash(const char *s, size_t len);

/** @brief Case-insensitive comparison of BCP-47 language tags ("pt-BR" ==
 * "pt-br"); also treats '_' as '-'.  1 if equal, else 0. */
int px_lang_equal(const char *a, const char *b);

/** @brief 1 if tag @p lang has the primary subtag @p primary ("fa-IR"
 * matches "fa"), else 0. */
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
/* (segment section: px_segment_*) */
/* ==== end segment ====================================================== */

/* ==== lexicon ========================================================== */
/* (lexicon section: px_lexicon_*) */
/* ==== end lexicon ====================================================== */

/* ==== align ============================================================ */
/* (align section: px_align_*, px_eval_*) */
/* ==== end align ======================================================== */

/* ==== tm =============================================================== */
/* (tm section: px_tm_*, lookups) */
/* ==== end tm =========================================================== */

/* ==== tmx ============================================================== */
/* (tmx section: px_tmx_*) */
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
#define PX_NAMES_OPTS_INIT {PX_NAMES_OPTS_VERSION, NULL, NULL, NULL, NULL, NULL, 0.0}

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
int px_names_suggest(char ***out, size_t *count, px_names *n,
                     const char *word);

/** What a finding is. */
typedef enum px_names_kind {
  PX_NAMES_VARIANT = 1,  /**< a known variant of an entity's house spelling */
  PX_NAMES_BANNED = 2,   /**< a spelling the house style forbids */
  PX_NAMES_CLOSE = 3,    /**< an unknown name close to a known one (review) */
  PX_NAMES_INCONSISTENT = 4, /**< one name spelt two ways (document, batch,
                                  memory); house is the majority form */
  PX_NAMES_MISSING = 5   /**< the source side names an entity the English
                              side does not carry */
} px_names_kind;

/** A static name for @p kind: "variant", "banned", "unknown-close",
 * "inconsistent", "missing". */
const char *px_names_kind_name(px_names_kind kind);

/** One finding.  Strings are owned by the session. */
typedef struct px_names_finding {
  px_names_kind kind;
  size_t doc;          /**< index of the document (order of adding) */
  size_t off, len;     /**< byte span of the found spelling in the document
                            (for MISSING: the source-side mention) */
  unsigned long line;  /**< 1-based line of off */
  unsigned long col;   /**< 1-based column of off, in code points */
  const char *entity;  /**< entity id, or "" for a name in no lexicon */
  const char *found;   /**< the spelling found */
  const char *house;   /**< the spelling to use */
  int fixable;         /**< 1 if px_names_fix() replaces it */
  int in_source;       /**< 1 if off/len point into the source side of a pair */
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
 * @param[in] src_lang BCP-47 tag of the source (fa, ru, ar...); NULL: guessed
 * @return as px_names_check_text(). */
int px_names_check_pair(px_names_check *c, size_t *doc_out, const char *label,
                        const char *src, size_t src_len, const char *src_lang,
                        const char *en, size_t en_len);

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

/** The label of document @p doc, or NULL. */
const char *px_names_check_label(const px_names_check *c, size_t doc);

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
