/*
 * cmd_align.c: `parallax align`, sentence alignment of an article and its
 * translation (or many pairs with --batch, on several threads).  Reads the
 * files, segments them (or takes one sentence per line), loads the
 * lexicons for the language pair, calls px_align_run() and writes the
 * beads as TSV, bead lines, JSON lines or TMX; optionally stores the pairs
 * in the translation memory.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "commands.h"

enum {
  OPT_SRC_LANG = 1,
  OPT_TGT_LANG,
  OPT_SEGMENTED,
  OPT_FORMAT,
  OPT_MIN_CONF,
  OPT_LEXICON,
  OPT_NO_DEFAULT_LEX,
  OPT_NO_LEARN,
  OPT_STORE,
  OPT_TM,
  OPT_BATCH,
  OPT_JOBS,
  OPT_BAND,
  OPT_OUTPUT
};

static const cli_opt opts[] = {
    {"src-lang", 's', "LANG",
     "source language (default: guessed from the script)", OPT_SRC_LANG},
    {"tgt-lang", 't', "LANG", "target language (default: guessed, else en)",
     OPT_TGT_LANG},
    {"segmented", 0, NULL, "inputs hold one sentence per line, used as is",
     OPT_SEGMENTED},
    {"format", 'f', "FMT", "tsv (default), beads, jsonl or tmx", OPT_FORMAT},
    {"min-confidence", 'm', "X",
     "pairs below confidence X (0-1) become one-sided beads", OPT_MIN_CONF},
    {"lexicon", 'l', "FILE",
     "add a lexicon: TSV (src TAB tgt [TAB weight]) or a dictd .index "
     "(repeatable)",
     OPT_LEXICON},
    {"no-default-lexicons", 0, NULL,
     "do not load the installed lexicons for the language pair",
     OPT_NO_DEFAULT_LEX},
    {"no-learn", 0, NULL, "skip the second pass (IBM Model 1 relearning)",
     OPT_NO_LEARN},
    {"store", 0, NULL, "write the aligned pairs into the translation memory",
     OPT_STORE},
    {"tm", 0, "DIR",
     "translation memory to learn from and --store into (default for "
     "--store: $PARALLAX_TM or tm)",
     OPT_TM},
    {"batch", 'b', "LIST",
     "align every pair of LIST (lines: src TAB tgt TAB out)", OPT_BATCH},
    {"jobs", 'j', "N", "worker threads for --batch (default 2)", OPT_JOBS},
    {"band", 0, "N",
     "half-width of the fine search band in sentences (default 4; the "
     "coarser levels search at least 8 groups wide)",
     OPT_BAND},
    {"output", 'o', "FILE", "write to FILE instead of standard output",
     OPT_OUTPUT},
    {0}};

#define MAX_INPUT ((size_t)256 << 20)
#define MAX_LEXICONS 64

enum fmt { FMT_TSV, FMT_BEADS, FMT_JSONL, FMT_TMX };

/* What every pair shares: options, segmentation rules, lexicon cache. */
typedef struct shared {
  const char *src_lang, *tgt_lang;
  int segmented;
  enum fmt format;
  double min_conf;
  const char *lexfiles[MAX_LEXICONS];
  size_t n_lexfiles;
  int default_lex;
  int learn;
  int store;
  const char *tm_dir;
  int tm_learn; /* --tm given: learn from the memory's pairs */
  px_tm *tm;    /* opened on first use, under the lock */
  unsigned band;
  int one_pair; /* not --batch: the lexicon serves one document */
  px_segment_rules *rules;
  pthread_mutex_t lock;
  /* lexicons by language pair, loaded once under the lock */
  struct lexslot {
    char src[32], tgt[32];
    px_lexicon *lx;
    int rc;
  } lex[16];
  size_t n_lex;
} shared;

/* One side of a pair, read and cut into sentences. */
typedef struct doc {
  char *buf;
  size_t len;
  px_segment_list *segs;
  px_align_sent *sents;
  size_t n;
  char lang[32];
} doc;

static void doc_free(doc *d) {
  free(d->buf);
  px_segment_list_free(d->segs);
  px_free(d->sents);
  memset(d, 0, sizeof *d);
}

static void copy_lang(char *dst, const char *src) {
  snprintf(dst, 32, "%s", src ? src : "");
}

/* doc_load()'s code for an input file that does not exist: bad input (exit
 * 3), like a malformed one, where a file that exists but cannot be read is
 * I/O (exit 4).  It never leaves this file. */
#define ALIGN_EMISSING (-1000)

static int align_exit_code(int rc) {
  return rc == ALIGN_EMISSING ? CLI_EXIT_DATA : cli_exit_code(rc);
}

/* Read and segment one file.  Returns a px error code (message set) or 0;
 * *io = 1 when the failure was reading the file. */
static int doc_load(doc *d, const shared *sh, const char *path,
                    const char *lang, const char *fallback, char *err,
                    size_t errcap) {
  FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (!f) {
    int missing = errno == ENOENT || errno == ENOTDIR || errno == EISDIR;
    snprintf(err, errcap, "%s: cannot open: %s", path, strerror(errno));
    return missing ? ALIGN_EMISSING : PX_EIO;
  }
  size_t cap = 1 << 16;
  d->buf = malloc(cap);
  d->len = 0;
  while (d->buf) {
    if (cap - d->len < 2) {
      if (cap > MAX_INPUT)
        break;
      char *nb = realloc(d->buf, cap * 2);
      if (!nb)
        break;
      d->buf = nb;
      cap *= 2;
    }
    size_t got = fread(d->buf + d->len, 1, cap - d->len - 1, f);
    d->len += got;
    if (!got)
      break;
  }
  int rerr = ferror(f);
  if (f != stdin)
    fclose(f);
  if (!d->buf || rerr) {
    snprintf(err, errcap, "%s: read error", path);
    return PX_EIO;
  }
  if (d->len > MAX_INPUT) {
    snprintf(err, errcap, "%s: larger than %zu bytes", path, MAX_INPUT);
    return PX_ETOOBIG;
  }
  d->buf[d->len] = '\0';
  size_t bad;
  if (px_text_validate(d->buf, d->len, &bad)) {
    snprintf(err, errcap, "%s: invalid UTF-8 at byte %zu", path, bad);
    return PX_EENCODING;
  }
  copy_lang(d->lang,
            lang ? lang : px_text_guess_lang(d->buf, d->len, fallback));
  if (sh->segmented) {
    size_t n = 0;
    for (size_t i = 0; i < d->len; i++)
      n += d->buf[i] == '\n';
    if (d->len && d->buf[d->len - 1] != '\n')
      n++;
    d->sents = px_calloc(n ? n : 1, sizeof *d->sents);
    if (!d->sents) {
      snprintf(err, errcap, "%s: out of memory", path);
      return PX_ENOMEM;
    }
    size_t start = 0, k = 0;
    /* a leading BOM is not text */
    if (d->len >= 3 && memcmp(d->buf, "\xEF\xBB\xBF", 3) == 0)
      start = 3;
    for (size_t i = start; i <= d->len && k < n; i++) {
      if (i == d->len || d->buf[i] == '\n') {
        size_t e = i;
        if (e > start && d->buf[e - 1] == '\r')
          e--;
        d->sents[k++] = (px_align_sent){d->buf + start, e - start, -1, 0};
        start = i + 1;
      }
    }
    d->n = k;
    return 0;
  }
  px_segment_opts so = PX_SEGMENT_OPTS_INIT;
  so.lang = d->lang;
  int rc = px_segment_split(&d->segs, sh->rules, d->buf, d->len, &so);
  if (rc) {
    snprintf(err, errcap, "%s: %s", path, px_error_last()->message);
    return rc;
  }
  d->n = d->segs->count;
  rc = px_align_sents_from_segments(&d->sents, d->segs);
  if (rc) {
    snprintf(err, errcap, "%s: %s", path, px_error_last()->message);
    return rc;
  }
  return 0;
}

/* The lexicon for a language pair, loaded once (under the lock).  For a
 * single pair it holds only the entries the source document can use. */
static int get_lexicon(shared *sh, const char *src, const char *tgt,
                       const doc *sd, px_lexicon **out, char *err,
                       size_t errcap) {
  int rc = 0;
  pthread_mutex_lock(&sh->lock);
  for (size_t i = 0; i < sh->n_lex; i++)
    if (px_lang_equal(sh->lex[i].src, src) &&
        px_lang_equal(sh->lex[i].tgt, tgt)) {
      *out = sh->lex[i].lx;
      rc = sh->lex[i].rc;
      if (rc)
        snprintf(err, errcap, "lexicon for %s-%s failed to load", src, tgt);
      pthread_mutex_unlock(&sh->lock);
      return rc;
    }
  px_lexicon *lx = NULL;
  if (sh->n_lex == sizeof sh->lex / sizeof *sh->lex) {
    rc = PX_ETOOBIG;
    snprintf(err, errcap, "more than %zu language pairs in one batch",
             sizeof sh->lex / sizeof *sh->lex);
    goto done;
  }
  if ((rc = px_lexicon_new(&lx, src, tgt)))
    goto fail;
  for (size_t i = 0; sh->one_pair && i < sd->n; i++)
    if ((rc = px_lexicon_restrict(lx, sd->sents[i].text, sd->sents[i].len)))
      goto fail;
  if (sh->default_lex && (rc = px_lexicon_load_default(lx)))
    goto fail;
  for (size_t i = 0; i < sh->n_lexfiles; i++) {
    const char *f = sh->lexfiles[i];
    size_t fl = strlen(f);
    if (fl > 6 && strcmp(f + fl - 6, ".index") == 0)
      rc = px_lexicon_load_dictd(lx, f, 0);
    else
      rc = px_lexicon_load_tsv(lx, f);
    if (rc)
      goto fail;
  }
  goto store;
fail:
  snprintf(err, errcap, "%s", px_error_last()->message);
store : {
  struct lexslot *sl = &sh->lex[sh->n_lex++];
  copy_lang(sl->src, src);
  copy_lang(sl->tgt, tgt);
  sl->lx = lx;
  sl->rc = rc;
  *out = lx;
}
done:
  pthread_mutex_unlock(&sh->lock);
  return rc;
}

static void put_clean(FILE *f, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    fputc(s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ? ' ' : s[i], f);
}

static void put_xml(FILE *f, const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '<': fputs("&lt;", f); break;
    case '>': fputs("&gt;", f); break;
    case '&': fputs("&amp;", f); break;
    case '"': fputs("&quot;", f); break;
    default:
      if (c < 0x20 && c != '\t')
        fputc(' ', f);
      else
        fputc((int)c, f);
    }
  }
}

static void put_side(FILE *f, const doc *d, size_t start, size_t count,
                     int xml) {
  for (size_t i = 0; i < count; i++) {
    if (i)
      fputc(' ', f);
    const px_align_sent *s = &d->sents[start + i];
    if (xml)
      put_xml(f, s->text, s->len);
    else
      put_clean(f, s->text, s->len);
  }
}

static void put_idx(FILE *f, size_t start, size_t count) {
  fputc('[', f);
  for (size_t i = 0; i < count; i++)
    fprintf(f, i ? ", %zu" : "%zu", start + i);
  fputc(']', f);
}

static void put_json_side(FILE *f, const doc *d, size_t start, size_t count) {
  /* the sentences joined by one space, as a JSON string */
  size_t tot = 0;
  for (size_t i = 0; i < count; i++)
    tot += d->sents[start + i].len + 1;
  char *b = malloc(tot + 1);
  size_t n = 0;
  if (!b) {
    fputs("null", f);
    return;
  }
  for (size_t i = 0; i < count; i++) {
    if (i)
      b[n++] = ' ';
    memcpy(b + n, d->sents[start + i].text, d->sents[start + i].len);
    n += d->sents[start + i].len;
  }
  cli_json_str(f, b, n);
  free(b);
}

static void write_beads(FILE *f, enum fmt fmt, const px_bead *b, size_t n,
                        const doc *s, const doc *t) {
  if (fmt == FMT_TMX) {
    fprintf(f,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<tmx version=\"1.4\">\n"
            "  <header creationtool=\"parallax\" creationtoolversion=\"%s\""
            " segtype=\"sentence\" o-tmf=\"parallax\" adminlang=\"en\""
            " srclang=\"%s\" datatype=\"plaintext\"/>\n  <body>\n",
            PX_VERSION_STRING, s->lang);
  }
  for (size_t i = 0; i < n; i++) {
    const px_bead *x = &b[i];
    switch (fmt) {
    case FMT_BEADS:
      put_idx(f, x->src_start, x->src_count);
      fputc(':', f);
      put_idx(f, x->tgt_start, x->tgt_count);
      fputc('\n', f);
      break;
    case FMT_TSV:
      put_side(f, s, x->src_start, x->src_count, 0);
      fputc('\t', f);
      put_side(f, t, x->tgt_start, x->tgt_count, 0);
      fprintf(f, "\t%.3f\n", x->confidence);
      break;
    case FMT_JSONL:
      fputs("{\"src\": ", f);
      put_idx(f, x->src_start, x->src_count);
      fputs(", \"tgt\": ", f);
      put_idx(f, x->tgt_start, x->tgt_count);
      fprintf(f, ", \"confidence\": %.4f, \"src_text\": ", x->confidence);
      put_json_side(f, s, x->src_start, x->src_count);
      fputs(", \"tgt_text\": ", f);
      put_json_side(f, t, x->tgt_start, x->tgt_count);
      fputs("}\n", f);
      break;
    case FMT_TMX:
      if (!x->src_count || !x->tgt_count)
        break;
      fprintf(f, "    <tu>\n      <prop type=\"x-confidence\">%.3f</prop>\n",
              x->confidence);
      fprintf(f, "      <tuv xml:lang=\"%s\"><seg>", s->lang);
      put_side(f, s, x->src_start, x->src_count, 1);
      fprintf(f, "</seg></tuv>\n      <tuv xml:lang=\"%s\"><seg>", t->lang);
      put_side(f, t, x->tgt_start, x->tgt_count, 1);
      fputs("</seg></tuv>\n    </tu>\n", f);
      break;
    }
  }
  if (fmt == FMT_TMX)
    fputs("  </body>\n</tmx>\n", f);
}

static int store_pairs(shared *sh, const px_bead *b, size_t n, const doc *s,
                       const doc *t, const char *doc_id, char *err,
                       size_t errcap);
static int tm_pairs(shared *sh, px_align *al, const char *sl, const char *tl,
                    char *err, size_t errcap);

/* Align one pair and write it to out (a path, or NULL for stdout).
 * Returns 0 or a px error code with the message in err. */
static int align_one(shared *sh, const char *sp, const char *tp,
                     const char *outp, char *err, size_t errcap) {
  doc s, t;
  px_align *al = NULL;
  px_bead *beads = NULL;
  size_t nb = 0;
  px_lexicon *lx = NULL;
  int rc;
  memset(&s, 0, sizeof s);
  memset(&t, 0, sizeof t);
  err[0] = '\0';
  if ((rc = doc_load(&s, sh, sp, sh->src_lang, "und", err, errcap)) ||
      (rc = doc_load(&t, sh, tp, sh->tgt_lang, "en", err, errcap)))
    goto done;
  if ((rc = get_lexicon(sh, s.lang, t.lang, &s, &lx, err, errcap)))
    goto done;
  px_align_opts o = PX_ALIGN_OPTS_INIT;
  const px_lexicon *lxs[1] = {lx};
  o.src_lang = s.lang;
  o.tgt_lang = t.lang;
  o.min_confidence = sh->min_conf;
  o.learn = sh->learn;
  o.band = sh->band;
  if (lx && px_lexicon_size(lx)) {
    o.lexicons = lxs;
    o.n_lexicons = 1;
  }
  if ((rc = px_align_new(&al, &o)))
    goto fail;
  if (sh->tm_learn && sh->learn &&
      (rc = tm_pairs(sh, al, s.lang, t.lang, err, errcap)))
    goto done;
  if ((rc = px_align_run(&beads, &nb, al, s.sents, s.n, t.sents, t.n)))
    goto fail;
  FILE *f = outp ? fopen(outp, "w") : stdout;
  if (!f) {
    snprintf(err, errcap, "%s: cannot create: %s", outp, strerror(errno));
    rc = PX_EIO;
    goto done;
  }
  write_beads(f, sh->format, beads, nb, &s, &t);
  int werr = ferror(f);
  if (outp)
    werr |= fclose(f) != 0;
  else
    werr |= fflush(f) != 0;
  if (werr) {
    snprintf(err, errcap, "%s: write error", outp ? outp : "standard output");
    rc = PX_EIO;
    goto done;
  }
  if (sh->store && (rc = store_pairs(sh, beads, nb, &s, &t, sp, err, errcap)))
    goto done;
  goto done;
fail:
  snprintf(err, errcap, "%s", px_error_last()->message);
done:
  px_free(beads);
  px_align_free(al);
  doc_free(&s);
  doc_free(&t);
  return rc;
}

/* The joined text of sentences [start, start+count) of d (malloc'd). */
static char *joined(const doc *d, size_t start, size_t count, size_t *len) {
  size_t tot = 1;
  for (size_t i = 0; i < count; i++)
    tot += d->sents[start + i].len + 1;
  char *b = malloc(tot);
  size_t n = 0;
  if (!b)
    return NULL;
  for (size_t i = 0; i < count; i++) {
    if (i)
      b[n++] = ' ';
    memcpy(b + n, d->sents[start + i].text, d->sents[start + i].len);
    n += d->sents[start + i].len;
  }
  b[n] = '\0';
  *len = n;
  return b;
}

static uint64_t ctx_hash(const doc *d, size_t i, int exists) {
  uint64_t h = 0;
  if (exists && i < d->n &&
      px_tm_context_hash(&h, d->sents[i].text, d->sents[i].len) != 0)
    h = 0;
  return h;
}

/* Write the two-sided beads into the translation memory, one transaction
 * per document, under the shared lock (one handle for all workers). */
static int store_pairs(shared *sh, const px_bead *b, size_t n, const doc *s,
                       const doc *t, const char *doc_id, char *err,
                       size_t errcap) {
  int rc = 0;
  px_tm_txn *txn = NULL;
  pthread_mutex_lock(&sh->lock);
  if (!sh->tm && (rc = px_tm_open(&sh->tm, sh->tm_dir, NULL)))
    goto fail;
  if ((rc = px_tm_txn_begin(&txn, sh->tm)))
    goto fail;
  for (size_t q = 0; q < n && !rc; q++) {
    const px_bead *x = &b[q];
    if (!x->src_count || !x->tgt_count)
      continue;
    size_t sl, tl;
    char *st = joined(s, x->src_start, x->src_count, &sl);
    char *tt = joined(t, x->tgt_start, x->tgt_count, &tl);
    if (!st || !tt) {
      free(st);
      free(tt);
      px_tm_txn_abort(txn);
      txn = NULL;
      snprintf(err, errcap, "out of memory");
      rc = PX_ENOMEM;
      break;
    }
    px_variant v[2];
    memset(v, 0, sizeof v);
    v[0].lang = s->lang;
    v[0].text = st;
    v[0].len = sl;
    v[0].prev_hash = ctx_hash(s, x->src_start - 1, x->src_start > 0);
    v[0].next_hash = ctx_hash(s, x->src_start + x->src_count, 1);
    v[1].lang = t->lang;
    v[1].text = tt;
    v[1].len = tl;
    v[1].prev_hash = ctx_hash(t, x->tgt_start - 1, x->tgt_start > 0);
    v[1].next_hash = ctx_hash(t, x->tgt_start + x->tgt_count, 1);
    px_unit u;
    memset(&u, 0, sizeof u);
    u.srclang = s->lang;
    u.tool = "parallax align";
    u.doc_id = doc_id;
    u.doc_pos = (uint32_t)x->src_start;
    u.confidence = x->confidence;
    u.variants = v;
    u.nvariants = 2;
    rc = px_tm_add(txn, &u, NULL, NULL);
    free(st);
    free(tt);
  }
  if (rc) {
    if (txn)
      goto fail_abort;
    goto done;
  }
  rc = px_tm_txn_commit(txn);
  txn = NULL;
  if (rc)
    goto fail;
  goto done;
fail_abort:
  snprintf(err, errcap, "%s", px_error_last()->message);
  px_tm_txn_abort(txn);
  goto done;
fail:
  snprintf(err, errcap, "%s", px_error_last()->message);
done:
  pthread_mutex_unlock(&sh->lock);
  return rc;
}

/* Feed the aligner the memory's pairs in this language pair (at most
 * MAX_TM_PAIRS) for its Model 1. */
#define MAX_TM_PAIRS 50000
static int tm_pairs(shared *sh, px_align *al, const char *sl, const char *tl,
                    char *err, size_t errcap) {
  int rc = 0;
  px_tm_iter *it = NULL;
  size_t added = 0;
  pthread_mutex_lock(&sh->lock);
  if (!sh->tm && (rc = px_tm_open(&sh->tm, sh->tm_dir, NULL)))
    goto done;
  if ((rc = px_tm_iter_new(&it, sh->tm)))
    goto done;
  const px_unit *u;
  while (added < MAX_TM_PAIRS &&
         (rc = px_tm_iter_next(it, &u)) != PX_ITEROVER) {
    if (rc == PX_ESTORE)
      continue; /* a corrupt record: skipped */
    if (rc)
      goto done;
    const px_variant *vs = NULL, *vt = NULL;
    for (size_t i = 0; i < u->nvariants; i++) {
      if (!vs && px_lang_equal(u->variants[i].lang, sl))
        vs = &u->variants[i];
      else if (!vt && px_lang_equal(u->variants[i].lang, tl))
        vt = &u->variants[i];
    }
    if (vs && vt && vs->len < 65536 && vt->len < 65536) {
      if ((rc = px_align_add_pair(al, vs->text, vs->len, vt->text, vt->len)))
        goto done;
      added++;
    }
  }
  rc = 0;
done:
  if (rc)
    snprintf(err, errcap, "%s", px_error_last()->message);
  px_tm_iter_free(it);
  pthread_mutex_unlock(&sh->lock);
  return rc;
}

/* ---- batch mode ------------------------------------------------------------
 */
typedef struct job {
  char *src, *tgt, *out;
  size_t line;
  int rc;
  char err[600];
} job;

typedef struct batchq {
  shared *sh;
  job *jobs;
  size_t n, next;
  pthread_mutex_t lock;
} batchq;

static void *worker(void *arg) {
  batchq *b = arg;
  for (;;) {
    pthread_mutex_lock(&b->lock);
    size_t i = b->next++;
    pthread_mutex_unlock(&b->lock);
    if (i >= b->n)
      break;
    job *j = &b->jobs[i];
    j->rc = align_one(b->sh, j->src, j->tgt, j->out, j->err, sizeof j->err);
  }
  return NULL;
}

static int run_batch(shared *sh, const char *list, long jobs) {
  char *buf = NULL;
  size_t len = 0;
  int code = cli_read_file("align", list, MAX_INPUT, &buf, &len);
  if (code)
    return code;
  batchq b;
  memset(&b, 0, sizeof b);
  b.sh = sh;
  size_t cap = 0, line = 0;
  for (char *p = buf; p < buf + len;) {
    char *eol = memchr(p, '\n', (size_t)(buf + len - p));
    if (!eol)
      eol = buf + len;
    *eol = '\0';
    line++;
    if (eol > p && eol[-1] == '\r')
      eol[-1] = '\0';
    if (*p && *p != '#') {
      char *t1 = strchr(p, '\t');
      char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
      if (!t1 || !t2 || strchr(t2 + 1, '\t') || !t2[1] || t1 == p ||
          t2 == t1 + 1) {
        cli_errorf("align", "%s:%zu: expected src<TAB>tgt<TAB>out", list, line);
        free(b.jobs);
        free(buf);
        return CLI_EXIT_DATA;
      }
      *t1 = *t2 = '\0';
      if (b.n == cap) {
        cap = cap ? cap * 2 : 64;
        job *nj = realloc(b.jobs, cap * sizeof *nj);
        if (!nj) {
          free(b.jobs);
          free(buf);
          cli_errorf("align", "out of memory");
          return CLI_EXIT_IO;
        }
        b.jobs = nj;
      }
      b.jobs[b.n++] = (job){p, t1 + 1, t2 + 1, line, 0, {0}};
    }
    p = eol + 1;
  }
  pthread_mutex_init(&b.lock, NULL);
  pthread_t th[64];
  long nth = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;
  if ((size_t)nth > b.n)
    nth = b.n ? (long)b.n : 1;
  long started = 0;
  for (long i = 0; i < nth; i++) {
    if (pthread_create(&th[i], NULL, worker, &b) != 0)
      break;
    started++;
  }
  if (!started)
    worker(&b);
  for (long i = 0; i < started; i++)
    pthread_join(th[i], NULL);
  pthread_mutex_destroy(&b.lock);
  int worst = 0;
  for (size_t i = 0; i < b.n; i++)
    if (b.jobs[i].rc) {
      cli_errorf("align", "%s:%zu: %s", list, b.jobs[i].line, b.jobs[i].err);
      int c = align_exit_code(b.jobs[i].rc);
      if (c > worst)
        worst = c;
    }
  free(b.jobs);
  free(buf);
  return worst;
}

static int run(int argc, char **argv) {
  shared sh;
  memset(&sh, 0, sizeof sh);
  sh.default_lex = 1;
  sh.learn = 1;
  const char *files[2], *batch = NULL, *output = NULL;
  size_t nfiles = 0;
  long jobs = 2;
  cli_parser p;
  const char *arg;
  int id, code = 0;
  cli_parser_init(&p, &cli_cmd_align, argc, argv);
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: return cli_help_exit(&cli_cmd_align);
    case CLI_BAD: return CLI_EXIT_USAGE;
    case CLI_ARG:
      if (nfiles == 2)
        return cli_usage_error(&cli_cmd_align, "unexpected argument '%s'", arg);
      files[nfiles++] = arg;
      break;
    case OPT_SRC_LANG: sh.src_lang = arg; break;
    case OPT_TGT_LANG: sh.tgt_lang = arg; break;
    case OPT_SEGMENTED: sh.segmented = 1; break;
    case OPT_FORMAT:
      if (strcmp(arg, "tsv") == 0)
        sh.format = FMT_TSV;
      else if (strcmp(arg, "beads") == 0)
        sh.format = FMT_BEADS;
      else if (strcmp(arg, "jsonl") == 0)
        sh.format = FMT_JSONL;
      else if (strcmp(arg, "tmx") == 0)
        sh.format = FMT_TMX;
      else
        return cli_usage_error(&cli_cmd_align,
                               "--format is tsv, beads, jsonl or tmx, not '%s'",
                               arg);
      break;
    case OPT_MIN_CONF:
      if ((code = cli_parse_double(&cli_cmd_align, "min-confidence", arg, 0, 1,
                                   &sh.min_conf)))
        return code;
      break;
    case OPT_LEXICON:
      if (sh.n_lexfiles == MAX_LEXICONS)
        return cli_usage_error(&cli_cmd_align, "more than %d --lexicon files",
                               MAX_LEXICONS);
      sh.lexfiles[sh.n_lexfiles++] = arg;
      break;
    case OPT_NO_DEFAULT_LEX: sh.default_lex = 0; break;
    case OPT_NO_LEARN: sh.learn = 0; break;
    case OPT_STORE: sh.store = 1; break;
    case OPT_TM:
      sh.tm_dir = arg;
      sh.tm_learn = 1;
      break;
    case OPT_BATCH: batch = arg; break;
    case OPT_OUTPUT: output = arg; break;
    case OPT_JOBS:
      if ((code = cli_parse_long(&cli_cmd_align, "jobs", arg, 1, 64, &jobs)))
        return code;
      break;
    case OPT_BAND: {
      long v;
      if ((code = cli_parse_long(&cli_cmd_align, "band", arg, 1, 10000, &v)))
        return code;
      sh.band = (unsigned)v;
      break;
    }
    }
  }
  if (batch && nfiles)
    return cli_usage_error(&cli_cmd_align,
                           "give either SRC TGT or --batch LIST, not both");
  if (!batch && nfiles != 2)
    return cli_usage_error(&cli_cmd_align, "expected SRC and TGT files");
  if (batch && output)
    return cli_usage_error(&cli_cmd_align,
                           "--output is per pair in --batch mode (third "
                           "column)");
  if (!sh.tm_dir)
    sh.tm_dir = px_tm_default_path();
  if (!sh.segmented) {
    int rc = px_segment_rules_default(&sh.rules);
    if (rc)
      return cli_fail("align", rc);
  }
  pthread_mutex_init(&sh.lock, NULL);
  if (batch) {
    code = run_batch(&sh, batch, jobs);
  } else {
    char err[600];
    sh.one_pair = 1;
    int rc = align_one(&sh, files[0], files[1], output, err, sizeof err);
    if (rc) {
      cli_errorf("align", "%s", err);
      code = align_exit_code(rc);
    }
  }
  pthread_mutex_destroy(&sh.lock);
  for (size_t i = 0; i < sh.n_lex; i++)
    px_lexicon_free(sh.lex[i].lx);
  px_segment_rules_free(sh.rules);
  px_tm_close(sh.tm);
  return code;
}

const cli_command cli_cmd_align = {
    "align",
    "align the sentences of an article with those of its translation",
    "[OPTIONS] SRC TGT | --batch LIST",
    "Finds which sentences of SRC (the source-language version) translate "
    "which sentences of TGT (usually the English version): 1-1, 1-2, 2-1, "
    "2-2, 1-3 and 3-1 beads, and sentences present on one side only, each "
    "with a confidence from 0 to 1. Evidence: sentence lengths (a Gale-Church "
    "model fitted to the pair itself), numbers in any digit script, names "
    "and cognates through romanization, punctuation, acronyms and URLs, the "
    "bilingual lexicons installed for the language pair (and --lexicon "
    "files), and an IBM Model 1 learned from the first pass's confident "
    "pairs (switch it off with --no-learn).\n\n"
    "Raw articles are cut into sentences with the default segmentation "
    "rules; paragraphs guide the alignment and page furniture (tags lines, "
    "agency footers, news ids) is left unaligned. With --segmented every "
    "line is one sentence, used as is.\n\n"
    "Formats: tsv (source sentences TAB target sentences TAB confidence; "
    "one-sided beads leave a column empty), beads (`[i, j]:[k]` per line, "
    "0-based, source first, `[3]:[]` and `[]:[2]` for one-sided beads: the "
    "format of the Vecalign and Bleualign gold sets, scored by `parallax "
    "eval`), jsonl (one object per bead with indices, confidence and text) "
    "and tmx (a TMX 1.4b document of the two-sided pairs).\n\n"
    "--batch LIST aligns every pair listed (one per line: src TAB tgt TAB "
    "out; '#' starts a comment) in one process with --jobs threads; each "
    "failed pair prints one line `LIST:LINE: message` and the exit status "
    "is that of the worst failure (0 when every pair succeeded).\n\n"
    "Exit status: 2 for a bad command line, 3 for bad input (invalid UTF-8 "
    "with the file and byte offset, a malformed lexicon or list), 4 when a "
    "file cannot be read or written.",
    opts,
    run};
