/*
 * tmx.h: internals shared by the TMX / TSV / JSONL readers and writers
 * (tmx_read.c, tmx_write.c, tsv_io.c, tmx_import.c): the unit builder the
 * readers fill, the names of the props that carry TMX attributes and
 * parallax provenance, and the inline-code record format (documented for
 * users in tm/SCHEMA.md, "Inline codes").
 */
#ifndef PX_TMX_H
#define PX_TMX_H

#include "buf.h"
#include "parallax.h"

/* Prop types with a meaning to the reader and writer. */
#define PX_TMX__ATTR_PREFIX "x-px-attr:" /* a TMX attribute without a field */
#define PX_TMX__PROP_DOC "x-px-doc"
#define PX_TMX__PROP_DOCPOS "x-px-docpos"
#define PX_TMX__PROP_CONF "x-px-confidence"
#define PX_TMX__PROP_PREV "x-px-prev"
#define PX_TMX__PROP_NEXT "x-px-next"

/* The bytes of one unit under construction.  Strings live in one arena and
 * are referred to by offset until the unit is complete (the arena moves
 * when it grows); px_tmx__ub_finish() then builds the px_unit with real
 * pointers.  Everything is reused from unit to unit, so reading a file
 * allocates only while units keep getting bigger. */
#define PX_TMX__NONE ((size_t)-1)
typedef struct px_tmx__prop_off {
  size_t type, value;
} px_tmx__prop_off;
typedef struct px_tmx__var_off {
  size_t lang, text, text_len, codes, codes_len, creator;
  uint64_t prev_hash, next_hash;
  int64_t created, changed;
  size_t prop0, nprops, note0, nnotes;
} px_tmx__var_off;
typedef struct px_tmx__ub {
  px_buf arena;
  size_t tuid, srclang, creator, changer, tool, doc_id;
  int64_t created, changed, last_used;
  uint32_t usage_count, doc_pos;
  double confidence;
  px_tmx__prop_off *props; /* unit props, then each variant's */
  size_t nprops, cap_props;
  size_t *notes;
  size_t nnotes, cap_notes;
  size_t uprops, unotes; /* how many of the above belong to the unit */
  px_tmx__var_off *vars;
  size_t nvars, cap_vars;
  /* the built unit */
  px_unit unit;
  px_variant *pvars;
  size_t cap_pvars;
  px_prop *pprops;
  size_t cap_pprops;
  const char **pnotes;
  size_t cap_pnotes;
} px_tmx__ub;

void px_tmx__ub_init(px_tmx__ub *ub);
void px_tmx__ub_dispose(px_tmx__ub *ub);
/* Forget the unit, keep the memory. */
void px_tmx__ub_reset(px_tmx__ub *ub);
/* Copy len bytes into the arena (plus a NUL); *off receives the offset. */
int px_tmx__ub_str(px_tmx__ub *ub, size_t *off, const char *s, size_t len);
int px_tmx__ub_prop(px_tmx__ub *ub, const char *type, size_t tlen,
                    const char *val, size_t vlen);
int px_tmx__ub_note(px_tmx__ub *ub, const char *s, size_t len);
/* Start a variant: its props and notes follow. */
int px_tmx__ub_var(px_tmx__ub *ub, px_tmx__var_off **out);
/* Build ub->unit. */
int px_tmx__ub_finish(px_tmx__ub *ub);

/* A language tag as BCP-47 syntax wants it: 1..8 ASCII letters, then
 * subtags of 1..8 ASCII letters or digits after '-' (or '_'); 1 if good. */
int px_tmx__lang_ok(const char *s, size_t len);

/* The bytes of the file being read: a FILE or a memory block, read in
 * chunks of PX_TMX__CHUNK; counts bytes, hashes them (the file's identity
 * for checkpoints) and reports progress.  Shared by every format. */
#define PX_TMX__CHUNK (64u * 1024u)
typedef struct px_tmx__src {
  FILE *f;
  const char *mem;
  size_t mem_len, mem_pos;
  uint64_t bytes, total, hash, next_progress;
  const px_tmx_read_opts *o;
  const char *name;
  int err;    /* errno of a failed read, else 0 */
  char *lbuf; /* line reader: buffered chunk (TSV, JSONL) */
  size_t lpos, llen;
  int leof;
  unsigned long line; /* line number of the last line returned */
} px_tmx__src;
/* Up to n (<= PX_TMX__CHUNK) bytes into dst; 0 at the end; PX_EIO. */
long px_tmx__src_read(px_tmx__src *src, char *dst, size_t n);
/* Reading TSV and JSONL (tsv_io.c): the same contract as px_tmx_read(). */
/* Next line (without its newline) into line; 0, PX_ITEROVER at the end,
 * PX_ETOOBIG (a line over max), PX_EIO. */
int px_tmx__src_line(px_tmx__src *src, px_buf *line);
int px_tmx__read_tsv(px_tmx__src *src, px_tmx_read_stats *st,
                     const px_tmx_read_opts *o, const char *name,
                     px_tmx_unit_fn fn, void *payload);
int px_tmx__read_jsonl(px_tmx__src *src, px_tmx_read_stats *st,
                       const px_tmx_read_opts *o, const char *name,
                       px_tmx_unit_fn fn, void *payload);

/* Writers for TSV and JSONL lines (tsv_io.c). */
int px_tmx__tsv_line(px_buf *b, const px_unit *u, const char *const *langs,
                     size_t nlangs);
int px_tmx__jsonl_line(px_buf *b, const px_unit *u, const char *const *langs,
                       size_t nlangs);

/* Escape for XML text (mode 0) or a double-quoted attribute (mode 1):
 * & < > (and " \t \n \r in attributes; \r always) as references.  Returns
 * PX_EPARSE naming the code point for characters XML 1.0 cannot carry. */
int px_tmx__xml_escape(px_buf *b, const char *s, size_t len, int attr);

#endif
