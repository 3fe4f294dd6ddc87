/*
 * tmx_import.c: importing a TMX / TSV / JSONL file into a translation
 * memory, with the all-or-nothing and resume guarantees of px_tmx_import()
 * (documented there and in tm/SCHEMA.md, "Import checkpoints").
 *
 * Small files: one reading pass feeding one LMDB transaction; any error
 * aborts it, so nothing of the file is stored.  Big files: a first pass
 * checks the whole file without storing anything (so a malformed file
 * still stores nothing), then a second pass stores it in batches, each
 * committed together with the checkpoint `import:<file hash>` -> "units=N"
 * (the index of the next unit to read).  A killed import leaves exactly
 * the committed batches and their checkpoint; --resume skips the first N
 * units and goes on.
 */
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "tmx.h"

#define DEFAULT_BATCH 10000
#define DEFAULT_SINGLE_MAX (16u * 1024u * 1024u)

typedef struct imp {
  px_tm *tm;
  px_tm_txn *txn;
  const px_tmx_import_opts *o;
  px_tmx_import_stats *st;
  uint64_t batch, in_batch, skip_until, next_index, last_byte;
  char key[40];
  const char *file;
  int batched;
  /* progress: the checking pass is the first third of the bar */
  int phase;
  uint64_t total;
} imp;

static void progress(uint64_t done, uint64_t total, void *payload) {
  imp *im = payload;
  const px_tmx_read_opts *ro = &im->o->read;
  if (!ro->on_progress)
    return;
  if (!im->batched)
    ro->on_progress(done, total, ro->payload);
  else if (im->phase == 0)
    ro->on_progress(done / 3, total, ro->payload);
  else
    ro->on_progress(total / 3 + done / 3 * 2, total, ro->payload);
}

static int checkpoint(imp *im, int done) {
  char val[256];
  int n = snprintf(val, sizeof val, "units=%llu bytes=%llu done=%d file=%.150s",
                   (unsigned long long)im->next_index,
                   (unsigned long long)im->last_byte, done, im->file);
  return px_tm_meta_put(im->txn, im->key, val, (size_t)n);
}

static int commit(imp *im, int done) {
  int rc = im->key[0] ? checkpoint(im, done) : 0;
  if (rc < 0)
    return rc;
  rc = px_tm_txn_commit(im->txn);
  im->txn = NULL;
  if (rc == 0)
    im->st->batches++;
  im->in_batch = 0;
  return rc;
}

static int on_unit(const px_unit *u, const px_tmx_pos *pos, void *payload) {
  imp *im = payload;
  uint64_t id;
  int was_new = 0, rc;
  im->st->read++;
  if (pos->index < im->skip_until) {
    im->st->resumed++;
    return 0;
  }
  if (!im->txn && (rc = px_tm_txn_begin(&im->txn, im->tm)) < 0)
    return rc;
  rc = px_tm_add(im->txn, u, &id, &was_new);
  if (rc == PX_EINVALID || rc == PX_EENCODING || rc == PX_ETOOBIG) {
    /* the store refused this unit (the transaction is intact): for the
     * importer that is bad input, so EINVALID becomes EPARSE */
    px_error_prefix("%s:%lu:%lu", pos->file, pos->line, pos->col);
    if (rc == PX_EINVALID) {
      char msg[sizeof px_error_last()->message];
      snprintf(msg, sizeof msg, "%s", px_error_last()->message);
      rc = px_error_set(PX_EPARSE, PX_ERRCLASS_TMX, 0, "%s", msg);
    }
    if (!(im->o->read.flags & PX_TMX_SKIP_BAD))
      return rc;
    im->st->skipped++;
    if (im->o->read.on_bad)
      im->o->read.on_bad(rc, px_error_last()->message, im->o->read.payload);
    rc = 0;
  } else if (rc < 0) {
    return rc;
  } else if (was_new) {
    im->st->added++;
  } else {
    im->st->updated++;
  }
  im->next_index = pos->index + 1;
  im->last_byte = pos->byte;
  if (im->batch && ++im->in_batch >= im->batch)
    return commit(im, 0);
  return 0;
}

/* "units=N ..." -> N and done. */
static int parse_checkpoint(const char *v, uint64_t *units, int *done) {
  uint64_t n = 0;
  if (strncmp(v, "units=", 6) != 0)
    return -1;
  v += 6;
  if (*v < '0' || *v > '9')
    return -1;
  while (*v >= '0' && *v <= '9')
    n = n * 10 + (uint64_t)(*v++ - '0');
  *units = n;
  *done = strstr(v, " done=1") != NULL;
  return 0;
}

static void count_bad(int code, const char *msg, void *payload) {
  (void)code, (void)msg, (void)payload;
}

/* The reader calls back with our payload; hand the caller theirs. */
static void bad_wrap(int code, const char *msg, void *payload) {
  imp *im = payload;
  if (im->o->read.on_bad)
    im->o->read.on_bad(code, msg, im->o->read.payload);
}

static int header_wrap(const px_tmx_header *h, void *payload) {
  imp *im = payload;
  return im->o->read.on_header ? im->o->read.on_header(h, im->o->read.payload)
                               : 0;
}

int px_tmx_import(px_tmx_import_stats *stats, px_tm *tm, const char *path,
                  const px_tmx_import_opts *opts) {
  static const px_tmx_import_opts defaults = PX_TMX_IMPORT_OPTS_INIT;
  const px_tmx_import_opts *o = opts ? opts : &defaults;
  px_tmx_import_stats st;
  px_tmx_read_stats rst;
  px_tmx_read_opts ro;
  imp im;
  int rc = 0;
  PX_ASSERT_ARG(tm);
  PX_ASSERT_ARG(path);
  PX_ASSERT_ARG(o->version == 1);
  memset(&st, 0, sizeof st);
  memset(&im, 0, sizeof im);
  im.tm = tm;
  im.o = o;
  im.st = &st;
  im.file = o->read.name ? o->read.name : path;
  ro = o->read;
  ro.on_progress = progress;
  ro.on_bad = bad_wrap;
  ro.on_header = header_wrap;
  ro.payload = &im;

  /* How big is it?  (stdin and pipes: unknown, so one transaction.) */
  uint64_t size = 0;
  if (strcmp(path, "-") != 0) {
    FILE *f = fopen(path, "rb");
    if (f) {
      if (fseek(f, 0, SEEK_END) == 0) {
        long n = ftell(f);
        size = n > 0 ? (uint64_t)n : 0;
      }
      fclose(f);
    }
  }
  uint64_t single_max = o->single_max ? o->single_max : DEFAULT_SINGLE_MAX;
  im.batched = o->batch > 0 || (o->batch < 0 && size > single_max);
  if (!strcmp(path, "-"))
    im.batched = 0;
  im.batch =
      im.batched ? (o->batch > 0 ? (uint64_t)o->batch : DEFAULT_BATCH) : 0;

  if (im.batched) {
    /* Pass 1: check everything, store nothing; learn the file's hash. */
    px_tmx_read_opts check = ro;
    check.on_bad = count_bad; /* reported once, in pass 2 */
    check.on_header = NULL;
    check.flags |= PX_TMX_HASH;
    im.phase = 0;
    rc = px_tmx_read(&rst, path, &check, NULL, NULL);
    if (rc < 0)
      goto done;
    snprintf(im.key, sizeof im.key, "import:%016llx",
             (unsigned long long)rst.hash);
    char *val = NULL;
    size_t vlen;
    rc = px_tm_meta_get(tm, im.key, &val, &vlen);
    if (rc == 0) {
      uint64_t units = 0;
      int fin = 0;
      if (parse_checkpoint(val, &units, &fin) == 0 && !fin) {
        if (!(o->flags & PX_TMX_RESUME)) {
          rc = px_error_set(PX_EEXISTS, PX_ERRCLASS_TMX, 0,
                            "%s: an interrupted import of this file left a "
                            "checkpoint (%llu units committed); run it again "
                            "with --resume to continue",
                            im.file, (unsigned long long)units);
          px_free(val);
          goto done;
        }
        im.skip_until = units;
        im.next_index = units;
      }
      px_free(val);
    } else if (rc != PX_ENOTFOUND) {
      goto done;
    }
    rc = 0;
    im.phase = 1;
  }
  rc = px_tmx_read(&rst, path, &ro, on_unit, &im);
  st.skipped += rst.skipped;
  st.bytes = rst.bytes;
  if (rc < 0)
    goto done;
  if (im.batched) {
    /* the last batch, and the checkpoint saying the file is complete */
    if (!im.txn && (rc = px_tm_txn_begin(&im.txn, tm)) < 0)
      goto done;
    im.next_index = rst.units + rst.skipped;
    im.last_byte = rst.bytes;
    rc = commit(&im, 1);
  } else if (im.txn) {
    rc = px_tm_txn_commit(im.txn);
    im.txn = NULL;
    if (rc == 0)
      st.batches++;
  }
done:
  if (im.txn)
    px_tm_txn_abort(im.txn);
  if (stats)
    *stats = st;
  return rc;
}
