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
 *
 * The storing pass is a pipeline of two threads: a reader thread parses
 * the file and prepares each unit (copy, validation, normalization,
 * tokenization: px_tm__prepare()), and the calling thread takes them in
 * file order and writes them (px_tm__add_prepared()), so parsing and
 * normalizing overlap with LMDB work on a second core.  A bounded queue
 * keeps memory constant; every callback of the caller (header, bad units,
 * progress) runs on the calling thread, in file order.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "mem.h"
#include "tm.h"
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

/* What the storing thread does with one unit the reader prepared (pr), or
 * failed to prepare (pr NULL, err the reason). */
static int store_unit(imp *im, const px_tmx_pos *pos, px_tm__prepared *pr,
                      const px_error *err) {
  uint64_t id;
  int was_new = 0, rc;
  if (!im->txn && (rc = px_tm_txn_begin(&im->txn, im->tm)) < 0)
    return rc;
  if (pr)
    rc = px_tm__add_prepared(im->txn, pr, &id, &was_new);
  else
    rc = px_error_set(err->code, err->klass, err->cause, "%s", err->message);
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

/* ---- the pipeline -------------------------------------------------------- */

enum { EV_UNIT, EV_BAD, EV_PROGRESS, EV_HEADER, EV_END };

/* One thing the reader thread hands over, in file order. */
typedef struct ev {
  int kind;
  px_tmx_pos pos;           /* EV_UNIT */
  px_tm__prepared *pr;      /* EV_UNIT: the prepared unit, or NULL: see err */
  px_error err;             /* EV_UNIT refused, EV_BAD, EV_END's failure */
  int code;                 /* EV_BAD, EV_END: the code */
  uint64_t done, total;     /* EV_PROGRESS */
  const px_tmx_header *hdr; /* EV_HEADER: borrowed until answered */
  struct ev *next;          /* in pipe_s.done */
} ev;

#define QCAP 256u
/* Queued units below which the reader leaves the preparing to the writer. */
#define PREP_AHEAD 32u

typedef struct pipe_s {
  pthread_mutex_t mu;
  pthread_cond_t can_take, can_put, answered;
  ev *q[QCAP];
  size_t head, n;
  /* events the storing side is done with, freed by the reader: the units
   * were allocated by the reader thread, and freeing them there keeps
   * glibc's arena lock and the cost of freeing off the storing thread,
   * which is the slower one */
  ev *done;
  int stop;   /* the storing side failed: the reader stops */
  int hdr_rc; /* the answer to an EV_HEADER */
  int hdr_done;
  imp *im;
  const char *path;
  px_tmx_read_opts ro; /* the reader's options (callbacks: ours) */
  px_tmx_read_stats rst;
  uint64_t read, resumed; /* counted by the reader */
  ev end;                 /* the last event */
} pipe_s;

/* Queue an event; 0, or -1 when the storing side has stopped (e is freed). */
static void free_evs(ev *e) {
  while (e) {
    ev *next = e->next;
    px_tm__prepared_free(e->pr);
    px_free(e);
    e = next;
  }
}

static int put_ev(pipe_s *pp, ev *e) {
  pthread_mutex_lock(&pp->mu);
  ev *done = pp->done;
  pp->done = NULL;
  /* the storing side drains until EV_END, so EV_END may always wait */
  int stopped;
  while (!(stopped = pp->stop && e->kind != EV_END) && pp->n == QCAP)
    pthread_cond_wait(&pp->can_put, &pp->mu);
  if (!stopped) {
    pp->q[(pp->head + pp->n) % QCAP] = e;
    pp->n++;
    pthread_cond_signal(&pp->can_take);
  }
  pthread_mutex_unlock(&pp->mu);
  free_evs(done);
  if (stopped) {
    px_tm__prepared_free(e->pr);
    px_free(e);
    return -1;
  }
  return 0;
}

/* The next event; finished (may be NULL) goes to the reader to free. */
static ev *take_ev(pipe_s *pp, ev *finished) {
  pthread_mutex_lock(&pp->mu);
  if (finished) {
    finished->next = pp->done;
    pp->done = finished;
  }
  while (pp->n == 0)
    pthread_cond_wait(&pp->can_take, &pp->mu);
  ev *e = pp->q[pp->head];
  pp->head = (pp->head + 1) % QCAP;
  pp->n--;
  pthread_cond_signal(&pp->can_put);
  pthread_mutex_unlock(&pp->mu);
  return e;
}

static ev *new_ev(int kind) {
  ev *e = px_calloc(1, sizeof *e);
  if (e)
    e->kind = kind;
  return e;
}

/* The reader stops when the storing side has: any code does. */
static int stopped_error(void) {
  return px_error_set(PX_ERROR, PX_ERRCLASS_TMX, 0, "import stopped");
}

static int r_unit(const px_unit *u, const px_tmx_pos *pos, void *payload) {
  pipe_s *pp = payload;
  pp->read++;
  if (pos->index < pp->im->skip_until) {
    pp->resumed++;
    return 0;
  }
  ev *e = new_ev(EV_UNIT);
  if (!e)
    return PX_ENOMEM;
  e->pos = *pos;
  /* share the preparing: when the writer has little queued it is waiting
   * for this thread, so it prepares the unit itself */
  pthread_mutex_lock(&pp->mu);
  int full = pp->n >= PREP_AHEAD;
  pthread_mutex_unlock(&pp->mu);
  int rc = px_tm__prepare(&e->pr, u, full);
  if (rc == PX_ENOMEM) {
    px_free(e);
    return rc;
  }
  if (rc < 0)
    e->err = *px_error_last();
  return put_ev(pp, e) < 0 ? stopped_error() : 0;
}

static void r_bad(int code, const char *msg, void *payload) {
  pipe_s *pp = payload;
  ev *e = new_ev(EV_BAD);
  if (!e)
    return; /* the report is lost, the unit is still skipped */
  e->code = code;
  snprintf(e->err.message, sizeof e->err.message, "%s", msg);
  (void)put_ev(pp, e);
}

static void r_progress(uint64_t done, uint64_t total, void *payload) {
  pipe_s *pp = payload;
  ev *e = new_ev(EV_PROGRESS);
  if (!e)
    return;
  e->done = done;
  e->total = total;
  (void)put_ev(pp, e);
}

/* The header's strings live until this returns: wait for the answer. */
static int r_header(const px_tmx_header *h, void *payload) {
  pipe_s *pp = payload;
  ev *e = new_ev(EV_HEADER);
  if (!e)
    return PX_ENOMEM;
  e->hdr = h;
  pthread_mutex_lock(&pp->mu);
  pp->hdr_done = 0;
  pthread_mutex_unlock(&pp->mu);
  if (put_ev(pp, e) < 0)
    return stopped_error();
  pthread_mutex_lock(&pp->mu);
  while (!pp->hdr_done)
    pthread_cond_wait(&pp->answered, &pp->mu);
  int rc = pp->hdr_rc;
  pthread_mutex_unlock(&pp->mu);
  return rc;
}

static void *reader_main(void *arg) {
  pipe_s *pp = arg;
  int rc = px_tmx_read(&pp->rst, pp->path, &pp->ro, r_unit, pp);
  ev *e = &pp->end; /* not allocated: the storing side waits for it */
  e->kind = EV_END;
  e->code = rc;
  if (rc < 0)
    e->err = *px_error_last();
  (void)put_ev(pp, e);
  return NULL;
}

/* Read path and store it: the reader thread parses and prepares, this one
 * stores.  Returns the first failure: the storing side's, else the
 * reader's.  *rst: the reader's statistics. */
static int read_and_store(imp *im, const char *path, const px_tmx_read_opts *ro,
                          px_tmx_read_stats *rst) {
  pipe_s *pp = px_calloc(1, sizeof *pp);
  if (!pp)
    return PX_ENOMEM;
  pp->im = im;
  pp->path = path;
  pp->ro = *ro;
  pp->ro.on_bad = r_bad;
  pp->ro.on_progress = r_progress;
  pp->ro.on_header = r_header;
  pp->ro.payload = pp;
  pthread_mutex_init(&pp->mu, NULL);
  pthread_cond_init(&pp->can_take, NULL);
  pthread_cond_init(&pp->can_put, NULL);
  pthread_cond_init(&pp->answered, NULL);
  pthread_t th;
  int rc = 0;
  if (pthread_create(&th, NULL, reader_main, pp) != 0) {
    rc = px_error_set(PX_ERROR, PX_ERRCLASS_TMX, 0,
                      "%s: could not start the reader thread", im->file);
    goto done;
  }
  px_error stored;
  memset(&stored, 0, sizeof stored);
  ev *finished = NULL;
  for (;;) {
    ev *e = take_ev(pp, finished);
    finished = NULL;
    int erc = 0;
    if (e->kind == EV_END) {
      if (rc == 0 && e->code < 0)
        rc = px_error_set(e->err.code, e->err.klass, e->err.cause, "%s",
                          e->err.message);
      break;
    }
    if (rc < 0) { /* stopping: drain */
      if (e->kind == EV_HEADER) {
        pthread_mutex_lock(&pp->mu);
        pp->hdr_rc = stopped_error();
        pp->hdr_done = 1;
        pthread_cond_signal(&pp->answered);
        pthread_mutex_unlock(&pp->mu);
      }
    } else if (e->kind == EV_UNIT) {
      erc = store_unit(im, &e->pos, e->pr, &e->err);
    } else if (e->kind == EV_BAD) {
      if (ro->on_bad)
        ro->on_bad(e->code, e->err.message, ro->payload);
    } else if (e->kind == EV_PROGRESS) {
      if (ro->on_progress)
        ro->on_progress(e->done, e->total, ro->payload);
    } else if (e->kind == EV_HEADER) {
      int hrc = ro->on_header ? ro->on_header(e->hdr, ro->payload) : 0;
      if (hrc < 0)
        stored = *px_error_last();
      pthread_mutex_lock(&pp->mu);
      pp->hdr_rc = hrc;
      pp->hdr_done = 1;
      pthread_cond_signal(&pp->answered);
      pthread_mutex_unlock(&pp->mu);
      /* the reader returns hrc and ends with it: EV_END brings it back */
    }
    finished = e;
    if (erc < 0) {
      rc = erc;
      stored = *px_error_last();
      pthread_mutex_lock(&pp->mu);
      pp->stop = 1;
      pthread_cond_broadcast(&pp->can_put);
      pthread_mutex_unlock(&pp->mu);
    }
  }
  pthread_join(th, NULL);
  free_evs(pp->done);
  pp->done = NULL;
  if (stored.code < 0 && rc == stored.code) /* ours, not the reader's */
    px_error_set(stored.code, stored.klass, stored.cause, "%s", stored.message);
  im->st->read += pp->read;
  im->st->resumed += pp->resumed;
  *rst = pp->rst;
done:
  pthread_cond_destroy(&pp->answered);
  pthread_cond_destroy(&pp->can_put);
  pthread_cond_destroy(&pp->can_take);
  pthread_mutex_destroy(&pp->mu);
  px_free(pp);
  return rc;
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
  int rc = 0, was_bulk = 1; /* 1 until the storing pass sets bulk mode */
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
  /* word postings go in as runs, merged every few batches and at the end
   * (tm/SCHEMA.md, "Bulk runs") */
  was_bulk = tm->bulk;
  if (!was_bulk && (rc = px_tm__bulk(tm, 1)) < 0) {
    was_bulk = 1;
    goto done;
  }
  rc = read_and_store(&im, path, &ro, &rst);
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
  if (!was_bulk) {
    /* what was committed is merged now, also after a failure: a failed
     * merge leaves the runs for the next write */
    if (rc == 0 && (rc = px_tm__merge(tm)) == 0)
      rc = px_tm__bulk(tm, 0);
    else {
      px_error saved = *px_error_last();
      (void)px_tm__merge(tm);
      (void)px_tm__bulk(tm, 0);
      px_error_set(saved.code, saved.klass, saved.cause, "%s", saved.message);
    }
  }
  if (stats)
    *stats = st;
  return rc;
}
