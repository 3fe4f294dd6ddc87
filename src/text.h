/*
 * text.h: internals of the text module shared with other library modules
 * (segment.c uses ICU break iteration and regular expressions directly and
 * needs UTF-16 copies of its input with a way back to byte offsets).
 *
 * Everything here validates its UTF-8 input first (PX_EENCODING with the
 * byte offset) and translates ICU failures with px_text__icu_error(), so a
 * UErrorCode never reaches a caller of the public API.
 */
#ifndef PX_TEXT_H
#define PX_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include <unicode/utypes.h>

#include "parallax.h"

/* The longest input (in bytes) the ICU-backed calls accept: ICU lengths are
 * int32_t and case folding may triple a string.  Longer input gives
 * PX_ETOOBIG. */
#define PX_TEXT_MAX_ICU_LEN ((size_t)(INT32_MAX / 4))

/* Record an ICU failure as the thread's last error and return its code:
 * PX_ENOMEM for U_MEMORY_ALLOCATION_ERROR, else PX_EUNICODE.  The cause is
 * the UErrorCode; the message is "<what>: <u_errorName>". */
int px_text__icu_error(UErrorCode status, const char *what);

/* Convert UTF-8 to UTF-16.
 * out:         receives a px_malloc'd, NUL-terminated UTF-16 copy
 * out_len:     its length in UTF-16 units (without the NUL)
 * u16_to_u8:   if not NULL, receives a px_malloc'd array of out_len + 1
 *              entries: the byte offset in s of each UTF-16 unit (both
 *              units of a surrogate pair map to the start of the character;
 *              entry out_len is len).  Free with px_free().
 * Returns 0, PX_EENCODING (invalid UTF-8, with the byte offset), PX_ETOOBIG
 * (len > PX_TEXT_MAX_ICU_LEN) or PX_ENOMEM; the outputs are untouched on
 * failure. */
int px_text__to_utf16(UChar **out, int32_t *out_len, int32_t **u16_to_u8,
                      const char *s, size_t len);

/* Convert UTF-16 back to UTF-8 (a px_malloc'd NUL-terminated string).
 * Unpaired surrogates become U+FFFD.  Returns 0 or PX_ENOMEM. */
int px_text__from_utf16(char **out, size_t *out_len, const UChar *s,
                        int32_t len);

/* The ICU locale ID ("pt_BR") for a BCP-47 tag ("pt-BR") into buf (NUL-
 * terminated, truncated to cap); NULL or "" gives "" (root). */
void px_text__locale(char *buf, size_t cap, const char *lang);

/* Free this thread's cached ICU objects (break iterators, transliterators)
 * and scratch buffers.  They are also freed when the thread exits; a call
 * is only needed to make a leak checker quiet in the main thread or to give
 * memory back early.  The next text call rebuilds what it needs. */
void px_text__cache_release(void);

/* on = 0 forces the ICU path in px_text_normalize() and px_text_tokenize()
 * even where an ICU-free fast path would do (tests compare the two); on = 1
 * restores the default.  Per thread. */
void px_text__set_ascii_fast_path(int on);

#endif
