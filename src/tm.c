/*
 * tm.c: the translation memory's store: the LMDB environment, its named
 * databases and schema record, write transactions that grow the map by
 * themselves, adding units with de-duplication and merging of language
 * variants, deleting, reading, iterating and statistics.  Lookups live in
 * lookup.c and concord.c and read through the helpers at the end of this
 * file.  MDB_ return codes are translated here and nowhere else.  The key
 * layout is documented in tm/SCHEMA.md.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>

#include "error.h"
#include "mem.h"
#include "tm.h"

#define DEFAULT_MAP (64u * 1024u * 1024u)
#define DEFAULT_MAX_MAP ((size_t)1 << 40)
#define META_MAX (64u * 1024u)
#define MAX_REPLAYS 40

/* Internal: an operation hit MDB_MAP_FULL and must be replayed after the
 * map grows.  Never returned to callers. */
#define GROW_AND_REPLAY (-1000)

/* A bulk load looks at its resident store pages every DROP_CHECK units
 * added, terms merged or keys scanned, and lets go of them once they grew
 * by DROP_GROWTH bytes (maybe_drop()). */
#define DROP_CHECK 64
#define DROP_GROWTH ((size_t)24 << 20)

/* ---- small helpers ------------------------------------------------------ */

uint32_t px_tm__get_u32(const void *p) {
  const unsigned char *b = p;
  return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 |
         b[3];
}
void px_tm__put_u32(void *p, uint32_t v) {
  unsigned char *b = p;
  b[0] = (unsigned char)(v >> 24);
  b[1] = (unsigned char)(v >> 16);
  b[2] = (unsigned char)(v >> 8);
  b[3] = (unsigned char)v;
}
static uint64_t get_u64(const void *p) {
  const unsigned char *b = p;
  uint64_t v = 0;
  for (int i = 0; i < 8; i++)
    v = v << 8 | b[i];
  return v;
}
static void put_u64(void *p, uint64_t v) {
  unsigned char *b = p;
  for (int i = 7; i >= 0; i--, v >>= 8)
    b[i] = (unsigned char)v;
}

int px_tm__mdb_error(int rc, const char *what) {
  if (rc == MDB_NOTFOUND)
    return px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, rc, "%s: not found",
                        what);
  if (rc == ENOMEM)
    return px_error_nomem();
  return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, rc, "%s: %s", what,
                      mdb_strerror(rc));
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

int px_tm__lang_norm(char *out, size_t n, const char *lang) {
  size_t i = 0;
  if (!lang || !lang[0])
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "a variant has no language tag");
  for (; lang[i]; i++) {
    char c = lang[i];
    int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
             (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok || i + 1 >= n || i >= PX_TM__LANG_MAX)
      return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                          "'%.40s' is not a language tag", lang);
    out[i] = c == '_' ? '-' : lower(c);
  }
  out[i] = '\0';
  if (out[0] == '-')
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "'%.40s' is not a language tag", lang);
  return 0;
}

int px_tm__lang_key(char *out, size_t n, const char *lang) {
  int rc = px_tm__lang_norm(out, n, lang);
  if (rc < 0)
    return rc;
  char *dash = strchr(out, '-');
  if (dash)
    *dash = '\0';
  return 0;
}

int px_tm__strip_markers(char **out, size_t *out_len, px_buf *tags,
                         const char *s, size_t len) {
  px_buf b = PX_BUF_INIT;
  int rc = px_buf_reserve(&b, len + 1);
  size_t i = 0;
  while (rc == 0 && i < len) {
    if (s[i] == '{') {
      size_t j = i + 1;
      int close = 0, alone = 0;
      if (j < len && s[j] == '/')
        close = 1, j++;
      size_t d0 = j;
      while (j < len && j - d0 < 4 && s[j] >= '0' && s[j] <= '9')
        j++;
      size_t nd = j - d0;
      if (!close && j < len && s[j] == '/')
        alone = 1, j++;
      if (nd >= 1 && nd <= 3 && j < len && s[j] == '}') {
        if (tags) {
          char k = close ? 'c' : alone ? 's' : 'o';
          if ((rc = px_buf_putc(tags, k)) < 0 ||
              (rc = px_buf_put(tags, s + d0, nd)) < 0 ||
              (rc = px_buf_putc(tags, ';')) < 0)
            break;
        }
        /* a marker between two words stands for a space in neither text */
        i = j + 1;
        continue;
      }
    }
    rc = px_buf_putc(&b, s[i]);
    i++;
  }
  if (rc < 0) {
    px_buf_dispose(&b);
    return rc;
  }
  *out = px_buf_detach(&b, out_len);
  return *out ? 0 : PX_ENOMEM;
}

int px_tm__keytext(char **out, size_t *out_len, const char *s, size_t len,
                   int has_codes) {
  unsigned flags = PX_NORM_NFC | PX_NORM_FOLD | PX_NORM_MARKS | PX_NORM_DIGITS |
                   PX_NORM_SPACES;
  if (!has_codes)
    return px_text_normalize(out, out_len, s, len, flags);
  char *plain = NULL;
  size_t plen = 0;
  int rc = px_tm__strip_markers(&plain, &plen, NULL, s, len);
  if (rc == 0)
    rc = px_text_normalize(out, out_len, plain, plen, flags);
  px_free(plain);
  return rc;
}

int px_tm__exact_hash_kt(uint64_t *out, const char *kt, size_t ktlen) {
  /* punctuation and spacing do not count: candidates that differ only
   * there are found, and the lookup scores the difference */
  char *x = NULL;
  size_t xl = 0;
  int rc =
      px_text_normalize(&x, &xl, kt, ktlen, PX_NORM_PUNCT | PX_NORM_SPACES);
  if (rc < 0)
    return rc;
  *out = px_text_hash(x, xl);
  px_free(x);
  return 0;
}

int px_tm__keyed_make(px_tm__keyed *k, const char *s, size_t len, int has_codes,
                      const char *langkey) {
  memset(k, 0, sizeof *k);
  int rc = px_tm__keytext(&k->kt, &k->ktlen, s, len, has_codes);
  if (rc == 0)
    rc = px_text_tokenize(&k->toks, &k->ntok, k->kt, k->ktlen, langkey);
  if (rc < 0) {
    px_tm__keyed_dispose(k);
    return rc;
  }
  if ((rc = px_tm__exact_hash_kt(&k->xhash, k->kt, k->ktlen)) < 0) {
    px_tm__keyed_dispose(k);
    return rc;
  }
  return 0;
}

void px_tm__keyed_dispose(px_tm__keyed *k) {
  px_free(k->kt);
  px_free(k->toks);
  memset(k, 0, sizeof *k);
}

int px_tm__core_token(const px_token *t) { return t->kind != PX_TOK_PUNCT; }

int px_tm_context_hash(uint64_t *out, const char *s, size_t len) {
  PX_ASSERT_ARG(out && (s || !len));
  char *k = NULL;
  size_t klen = 0;
  int rc = px_text_normalize(&k, &klen, s ? s : "", len,
                             PX_NORM_KEY | PX_NORM_PUNCT);
  if (rc < 0)
    return rc;
  uint64_t h = 0;
  if (klen) {
    h = px_text_hash(k, klen);
    if (h == 0)
      h = 1;
  }
  px_free(k);
  *out = h;
  return 0;
}

/* ---- open / close ------------------------------------------------------- */

static int dbi_open(px_tm *tm, MDB_txn *t, const char *name, unsigned fl,
                    MDB_dbi *dbi) {
  int rc = mdb_dbi_open(t, name, fl, dbi);
  if (rc == MDB_NOTFOUND)
    return px_error_set(PX_ESCHEMA, PX_ERRCLASS_TM, rc,
                        "%s: not a parallax translation memory (no '%s' "
                        "database)",
                        tm->path, name);
  if (rc == MDB_INCOMPATIBLE || rc == MDB_CORRUPTED || rc == MDB_INVALID)
    return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, rc,
                        "%s: not a parallax translation memory (%s)", tm->path,
                        mdb_strerror(rc));
  if (rc)
    return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, rc, "%s: %s", tm->path,
                        mdb_strerror(rc));
  return 0;
}

/* Opens the databases and checks (or, for a new store, writes) the schema
 * record. */
static int open_dbs(px_tm *tm) {
  int rdonly = (tm->flags & PX_TM_RDONLY) != 0;
  MDB_txn *t = NULL;
  int rc = mdb_txn_begin(tm->env, NULL, rdonly ? MDB_RDONLY : 0, &t);
  if (rc)
    return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, rc, "%s: %s", tm->path,
                        mdb_strerror(rc));
  unsigned c = rdonly ? 0 : MDB_CREATE;
  unsigned dup = MDB_DUPSORT | MDB_DUPFIXED;
  /* A store that has databases but no 'meta' is someone else's LMDB. */
  MDB_dbi main_dbi;
  MDB_stat st;
  int fresh = 0;
  if ((rc = mdb_dbi_open(t, NULL, 0, &main_dbi)) == 0 &&
      (rc = mdb_stat(t, main_dbi, &st)) == 0)
    fresh = st.ms_entries == 0;
  if (rc) {
    rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, rc, "%s: %s", tm->path,
                      mdb_strerror(rc));
    goto done;
  }
  if (!fresh) {
    MDB_val k = {4, (void *)"meta"}, v;
    MDB_cursor *cur;
    int found = 0;
    if (mdb_cursor_open(t, main_dbi, &cur) == 0) {
      found = mdb_cursor_get(cur, &k, &v, MDB_SET) == 0;
      mdb_cursor_close(cur);
    }
    if (!found) {
      rc = px_error_set(PX_ESCHEMA, PX_ERRCLASS_TM, 0,
                        "%s: an LMDB store but not a parallax translation "
                        "memory (no 'meta' database)",
                        tm->path);
      goto done;
    }
  }
  if (fresh && rdonly) {
    rc = px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, 0,
                      "%s: the translation memory is empty (never written)",
                      tm->path);
    goto done;
  }
  if ((rc = dbi_open(tm, t, "meta", c, &tm->meta)) < 0 ||
      (rc = dbi_open(tm, t, "units", c, &tm->units)) < 0 ||
      (rc = dbi_open(tm, t, "exact", c | dup, &tm->exact)) < 0 ||
      (rc = dbi_open(tm, t, "words", c | dup, &tm->words)) < 0 ||
      (rc = dbi_open(tm, t, "docs", c | dup, &tm->docs)) < 0)
    goto done;
  /* wdelta came with schema 2: a schema-1 store has none until a write
   * open adds it (below) */
  rc = mdb_dbi_open(t, "wdelta", c, &tm->wdelta);
  tm->has_wdelta = rc == 0;
  if (rc && rc != MDB_NOTFOUND) {
    rc = px_tm__mdb_error(rc, tm->path);
    goto done;
  }
  rc = 0;
  MDB_val k = {6, (void *)"schema"}, v;
  rc = mdb_get(t, tm->meta, &k, &v);
  if (rc == MDB_NOTFOUND && fresh && !rdonly) {
    unsigned char b[4];
    px_tm__put_u32(b, PX_TM_SCHEMA_VERSION);
    v.mv_size = 4;
    v.mv_data = b;
    rc = mdb_put(t, tm->meta, &k, &v, 0);
    if (rc) {
      rc = px_tm__mdb_error(rc, tm->path);
      goto done;
    }
  } else if (rc) {
    rc = px_error_set(PX_ESCHEMA, PX_ERRCLASS_TM, rc,
                      "%s: no schema record: not a parallax translation "
                      "memory",
                      tm->path);
    goto done;
  } else {
    uint32_t ver = v.mv_size == 4 ? px_tm__get_u32(v.mv_data) : 0;
    if (ver == 1 || ver == 2) {
      /* schema 1 is schema 3 without wdelta, schema 2 is schema 3 without
       * exact keys in wdelta's runs: read as they are, or upgraded in
       * place by the first write open */
      if (!rdonly) {
        unsigned char b[4];
        px_tm__put_u32(b, PX_TM_SCHEMA_VERSION);
        v.mv_size = 4;
        v.mv_data = b;
        if ((rc = mdb_put(t, tm->meta, &k, &v, 0))) {
          rc = px_tm__mdb_error(rc, tm->path);
          goto done;
        }
      }
    } else if (ver != PX_TM_SCHEMA_VERSION) {
      rc = px_error_set(PX_ESCHEMA, PX_ERRCLASS_TM, 0,
                        "%s: written with schema version %u; this parallax "
                        "reads versions 1 to %u (export it to TMX with the "
                        "parallax that wrote it, then import)",
                        tm->path, (unsigned)ver, PX_TM_SCHEMA_VERSION);
      goto done;
    }
  }
  rc = mdb_txn_commit(t);
  t = NULL;
  if (rc)
    rc = px_tm__mdb_error(rc, tm->path);
done:
  if (t)
    mdb_txn_abort(t);
  return rc;
}

/* Create and open the environment (an MDB_ code or 0; on failure the
 * environment is closed again, as LMDB requires). */
static int env_open(px_tm *tm, const char *dir, unsigned eflags,
                    size_t map_size) {
  int mrc = mdb_env_create(&tm->env);
  if (mrc) {
    tm->env = NULL;
    return mrc;
  }
  mrc = mdb_env_set_maxdbs(tm->env, 8);
  if (!mrc)
    mrc = mdb_env_set_maxreaders(tm->env, 254);
  if (!mrc)
    mrc = mdb_env_set_mapsize(tm->env, map_size ? map_size : DEFAULT_MAP);
  if (!mrc)
    mrc = mdb_env_open(tm->env, dir, eflags, 0666);
  if (mrc) {
    mdb_env_close(tm->env);
    tm->env = NULL;
  }
  return mrc;
}

int px_tm_open(px_tm **out, const char *dir, const px_tm_opts *opts) {
  PX_ASSERT_ARG(out && dir && dir[0]);
  px_tm_opts o = PX_TM_OPTS_INIT;
  if (opts)
    o = *opts;
  int rc = 0;
  px_tm *tm = px_calloc(1, sizeof *tm);
  if (!tm)
    return PX_ENOMEM;
  tm->flags = o.flags;
  tm->max_map = o.max_map_size ? o.max_map_size : DEFAULT_MAX_MAP;
  if (!(tm->path = px_strndup(dir, strlen(dir)))) {
    rc = PX_ENOMEM;
    goto done;
  }
  struct stat sb;
  if (stat(dir, &sb) != 0) {
    if (errno != ENOENT) {
      rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno, "%s: %s", dir,
                        strerror(errno));
      goto done;
    }
    if (o.flags & (PX_TM_RDONLY | PX_TM_NOCREATE)) {
      rc = px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, ENOENT,
                        "%s: no translation memory there (no such directory)",
                        dir);
      goto done;
    }
    if (mkdir(dir, 0777) != 0) {
      rc = px_error_set(PX_EIO, PX_ERRCLASS_OS, errno,
                        "%s: cannot create the memory's directory: %s", dir,
                        strerror(errno));
      goto done;
    }
  } else if (!S_ISDIR(sb.st_mode)) {
    rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, ENOTDIR,
                      "%s: not a translation memory (a file, not a "
                      "directory)",
                      dir);
    goto done;
  }
  /* MDB_NOMEMINIT: LMDB need not zero the unused tail of each page it
   * allocates for a write (a measurable share of bulk imports); the bytes
   * written there are this process's own heap, never read back.
   * MDB_NORDAHEAD (MADV_RANDOM on the map), for writers: a writer's reads
   * are random probes of B-trees, and without it each page fault maps the
   * page's 15 neighbours too (the kernel's fault-around), which counted
   * in the writer's resident memory (a 200,000-unit import: 62-76 MB of
   * store pages at its peak, 26 MB with it, at no cost in time).  Readers keep
   * readahead: concordance and fuzzy lookups read posting lists in order. */
  unsigned eflags = MDB_NOTLS | MDB_NOMEMINIT;
  if (o.flags & PX_TM_RDONLY)
    eflags |= MDB_RDONLY;
  else
    eflags |= MDB_NORDAHEAD;
  int mrc = env_open(tm, dir, eflags, o.map_size);
  if ((mrc == EACCES || mrc == EROFS) && (o.flags & PX_TM_RDONLY)) {
    /* a shared memory on read-only media: no lock file can be written,
     * and no writer can exist there, so read without the lock */
    mrc = env_open(tm, dir, eflags | MDB_NOLOCK, o.map_size);
  }
  if (mrc) {
    if (mrc == MDB_INVALID || mrc == MDB_VERSION_MISMATCH ||
        mrc == MDB_CORRUPTED)
      rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, mrc,
                        "%s: not a translation memory: data.mdb is not an "
                        "LMDB file or is corrupt (%s)",
                        dir, mdb_strerror(mrc));
    else if (mrc == ENOENT)
      rc = px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, mrc,
                        "%s: no translation memory there (no data.mdb)", dir);
    else if (mrc == EACCES || mrc == EROFS)
      rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, mrc,
                        "%s: %s (open it read-only?)", dir, mdb_strerror(mrc));
    else
      rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, mrc, "%s: %s", dir,
                        mdb_strerror(mrc));
    goto done;
  }
  int dead = 0;
  mdb_reader_check(tm->env, &dead); /* clear slots of crashed readers */
  if ((rc = open_dbs(tm)) < 0)
    goto done;
  *out = tm;
  tm = NULL;
done:
  px_tm_close(tm);
  return rc;
}

static void txn_dispose(px_tm_txn *x);
static void txn_free(px_tm_txn *x);
static void drop_mapped_pages(px_tm *tm);
static size_t resident_file_pages(void);
static void xf_committed(px_tm *tm, size_t tid);
static void xf_drop(px_tm *tm);

void px_tm_close(px_tm *tm) {
  if (!tm)
    return;
  if (tm->txn)
    px_tm_txn_abort(tm->txn);
  if (tm->spare)
    txn_dispose(tm->spare);
  if (tm->rtxn)
    mdb_txn_abort(tm->rtxn);
  xf_drop(tm);
  px_free(tm->xruns);
  if (tm->env)
    mdb_env_close(tm->env);
  px_free(tm->path);
  px_free(tm);
}

const char *px_tm_path(const px_tm *tm) { return tm ? tm->path : NULL; }

/* ---- read transactions ------------------------------------------------- */

static int begin_read(px_tm *tm, MDB_txn **out) {
  for (int tries = 0; tries < 3; tries++) {
    int rc = mdb_txn_begin(tm->env, NULL, MDB_RDONLY, out);
    if (rc == MDB_MAP_RESIZED && !tm->txn) {
      /* another process grew the map: adopt its size and retry */
      mdb_env_set_mapsize(tm->env, 0);
      continue;
    }
    if (rc == MDB_READERS_FULL) {
      int dead = 0;
      mdb_reader_check(tm->env, &dead);
      if (dead)
        continue;
    }
    if (rc)
      return px_tm__mdb_error(rc, tm->path);
    return 0;
  }
  return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                      "%s: cannot begin a read transaction", tm->path);
}

int px_tm__read_begin(px_tm *tm, MDB_txn **out) {
  if (tm->rtxn && !tm->rtxn_live) {
    int rc = mdb_txn_renew(tm->rtxn);
    if (rc == 0) {
      tm->rtxn_live = 1;
      *out = tm->rtxn;
      return 0;
    }
    mdb_txn_abort(tm->rtxn);
    tm->rtxn = NULL;
    if (rc == MDB_MAP_RESIZED && !tm->txn)
      mdb_env_set_mapsize(tm->env, 0);
  }
  if (tm->rtxn_live) /* nested use: a separate transaction */
    return begin_read(tm, out);
  int rc = begin_read(tm, &tm->rtxn);
  if (rc < 0)
    return rc;
  tm->rtxn_live = 1;
  *out = tm->rtxn;
  return 0;
}

void px_tm__read_end(px_tm *tm, MDB_txn *txn) {
  if (!txn)
    return;
  if (txn == tm->rtxn) {
    mdb_txn_reset(txn);
    tm->rtxn_live = 0;
  } else
    mdb_txn_abort(txn);
}

/* ---- write transactions -------------------------------------------------- */

enum { OP_ADD = 1, OP_DEL = 2, OP_DELDOC = 3, OP_META = 4 };

/* Per-language variant counts changed in this transaction. */
typedef struct lang_delta {
  char lang[PX_TM__LANG_MAX + 1];
  int64_t delta;
} lang_delta;

/* A term with pending postings: its key in px_tm_txn.pend, its hash, the
 * first 8 key bytes big-endian (zero-padded, so comparing them orders keys
 * as memcmp does whenever they differ: sorting on it spares most full key
 * comparisons) and its chain of postings in px_tm_txn.posts. */
typedef struct pterm {
  uint64_t h, pfx;
  size_t koff;
  uint32_t klen, head, tail, n;
} pterm;

/* A pending posting: (length byte << 32 | unit id), which orders as the
 * stored value does, and the next posting of its term. */
typedef struct ppost {
  uint64_t v;
  uint32_t next;
} ppost;

struct px_tm_txn {
  px_tm *tm;
  MDB_txn *t;
  px_buf log;       /* the operations, to replay after the map grows */
  size_t replay_at; /* while replaying: offset of the op being replayed */
  int replaying;
  int broken;      /* a write failed half-way: commit refuses */
  int runs_merged; /* outside bulk loads: pending runs merged (or none) */
  /* counters, flushed to meta at commit */
  uint32_t next_id;
  int64_t d_units, d_variants, d_text;
  lang_delta *langs;
  size_t nlangs, cap_langs;
  uint32_t first_id; /* ids from here on have no posting in the store yet:
                        next_id at the LMDB begin or the last flush */
  px_buf pend;       /* keys of the terms with pending postings */
  pterm *terms;      /* those terms */
  size_t nterms, cap_terms;
  uint32_t *slots; /* hash table: term index + 1, 0 free */
  size_t cap_slots;
  ppost *posts; /* the pending postings */
  size_t nposts, cap_posts;
  px_buf multi; /* scratch: the values of one key for MDB_MULTIPLE */
  px_buf rec;   /* scratch for record encoding */
  const px_tm__prepared *ready; /* the unit px_tm__add_prepared() adds */
};

static int map_grow(px_tm *tm) {
  MDB_envinfo info;
  mdb_env_info(tm->env, &info);
  size_t cur = info.me_mapsize;
  if (cur >= tm->max_map)
    return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, MDB_MAP_FULL,
                        "%s: the memory is full (%zu bytes, the maximum map "
                        "size)",
                        tm->path, cur);
  size_t next = cur * 2 > tm->max_map ? tm->max_map : cur * 2;
  int rc = mdb_env_set_mapsize(tm->env, next);
  if (rc)
    return px_tm__mdb_error(rc, "growing the map");
  return 0;
}

/* Grow before a write transaction when less than a quarter is free, so a
 * replay is the exception. */
static int maybe_grow(px_tm *tm) {
  MDB_envinfo info;
  MDB_stat st;
  if (mdb_env_info(tm->env, &info) || mdb_env_stat(tm->env, &st))
    return 0;
  size_t used = (size_t)(info.me_last_pgno + 1) * st.ms_psize;
  if (used > info.me_mapsize / 4 * 3)
    return map_grow(tm);
  return 0;
}

static int meta_get_u64(MDB_txn *t, px_tm *tm, const char *key, uint64_t *out) {
  MDB_val k = {strlen(key), (void *)key}, v;
  int rc = mdb_get(t, tm->meta, &k, &v);
  if (rc == MDB_NOTFOUND) {
    *out = 0;
    return 0;
  }
  if (rc)
    return rc;
  *out = v.mv_size == 8 ? get_u64(v.mv_data) : 0;
  return 0;
}

static int meta_put_u64(MDB_txn *t, px_tm *tm, const char *key, uint64_t val) {
  unsigned char b[8];
  put_u64(b, val);
  MDB_val k = {strlen(key), (void *)key}, v = {8, b};
  return mdb_put(t, tm->meta, &k, &v, 0);
}

/* Forget the pending postings (flushed, or the transaction began again). */
static void pending_reset(px_tm_txn *x) {
  if (x->nterms)
    memset(x->slots, 0, x->cap_slots * sizeof *x->slots);
  x->nterms = 0;
  x->nposts = 0;
  px_buf_clear(&x->pend);
}

static int lmdb_begin(px_tm_txn *x) {
  px_tm *tm = x->tm;
  int rc;
  for (int tries = 0;; tries++) {
    rc = mdb_txn_begin(tm->env, NULL, 0, &x->t);
    if (rc == MDB_MAP_RESIZED && tries < 3) {
      mdb_env_set_mapsize(tm->env, 0);
      continue;
    }
    break;
  }
  if (rc)
    return px_tm__mdb_error(rc, tm->path);
  uint64_t next = 0;
  rc = meta_get_u64(x->t, tm, "next_id", &next);
  if (rc) {
    mdb_txn_abort(x->t);
    x->t = NULL;
    return px_tm__mdb_error(rc, tm->path);
  }
  x->next_id = next ? (uint32_t)next : 1;
  x->first_id = x->next_id;
  x->runs_merged = 0;
  x->d_units = x->d_variants = x->d_text = 0;
  x->nlangs = 0;
  pending_reset(x);
  return 0;
}

int px_tm_txn_begin(px_tm_txn **out, px_tm *tm) {
  PX_ASSERT_ARG(out && tm);
  if (tm->flags & PX_TM_RDONLY)
    return px_error_set(PX_EREADONLY, PX_ERRCLASS_TM, 0,
                        "%s: the memory is open read-only", tm->path);
  if (tm->txn)
    return px_error_set(PX_EEXISTS, PX_ERRCLASS_TM, 0,
                        "%s: a write transaction is already open on this "
                        "handle",
                        tm->path);
  int rc = maybe_grow(tm);
  if (rc < 0)
    return rc;
  px_tm_txn *x = tm->spare;
  tm->spare = NULL;
  if (!x) {
    if (!(x = px_calloc(1, sizeof *x)))
      return PX_ENOMEM;
    x->tm = tm;
    px_buf_init(&x->log, 0);
    px_buf_init(&x->rec, 0);
    px_buf_init(&x->pend, 0);
    px_buf_init(&x->multi, 0);
  }
  if ((rc = lmdb_begin(x)) < 0) {
    txn_free(x);
    return rc;
  }
  tm->txn = x;
  *out = x;
  return 0;
}

/* Buffers a finished transaction leaves to the next one, at most. */
#define SPARE_MAX (128u * 1024u * 1024u)

static void txn_dispose(px_tm_txn *x) {
  px_buf_dispose(&x->log);
  px_buf_dispose(&x->rec);
  px_buf_dispose(&x->pend);
  px_buf_dispose(&x->multi);
  px_free(x->terms);
  px_free(x->slots);
  px_free(x->posts);
  px_free(x->langs);
  px_free(x);
}

/* End x: abort what is left of it and keep it as the handle's spare, so a
 * bulk import does not grow the same buffers again for every batch. */
static void txn_free(px_tm_txn *x) {
  px_tm *tm = x->tm;
  if (x->t)
    mdb_txn_abort(x->t);
  x->t = NULL;
  if (tm->txn == x)
    tm->txn = NULL;
  size_t held = x->log.cap + x->rec.cap + x->pend.cap + x->multi.cap +
                x->cap_terms * sizeof *x->terms +
                x->cap_slots * sizeof *x->slots +
                x->cap_posts * sizeof *x->posts;
  if (tm->spare || held > SPARE_MAX) {
    txn_dispose(x);
    return;
  }
  px_buf_clear(&x->log);
  px_buf_clear(&x->rec);
  px_buf_clear(&x->multi);
  if (x->nterms)
    memset(x->slots, 0, x->cap_slots * sizeof *x->slots);
  x->nterms = x->nposts = 0;
  px_buf_clear(&x->pend);
  x->replay_at = 0;
  x->replaying = x->broken = 0;
  x->ready = NULL;
  tm->spare = x;
}

void px_tm_txn_abort(px_tm_txn *x) {
  if (x)
    txn_free(x);
}

static int lang_delta_add(px_tm_txn *x, const char *lang, int64_t d) {
  for (size_t i = 0; i < x->nlangs; i++)
    if (strcmp(x->langs[i].lang, lang) == 0) {
      x->langs[i].delta += d;
      return 0;
    }
  if (PX_GROW(x->langs, x->nlangs, x->cap_langs) < 0)
    return PX_ENOMEM;
  lang_delta *l = &x->langs[x->nlangs++];
  memset(l, 0, sizeof *l);
  memcpy(l->lang, lang, strlen(lang) + 1);
  l->delta = d;
  return 0;
}

/* Writes the counters into meta; MDB_ code or 0. */
static int flush_counters(px_tm_txn *x) {
  px_tm *tm = x->tm;
  uint64_t v;
  int rc;
  if ((rc = meta_put_u64(x->t, tm, "next_id", x->next_id)))
    return rc;
  struct {
    const char *k;
    int64_t d;
  } cs[] = {{"units", x->d_units},
            {"variants", x->d_variants},
            {"text_bytes", x->d_text}};
  for (size_t i = 0; i < 3; i++) {
    if (!cs[i].d)
      continue;
    if ((rc = meta_get_u64(x->t, tm, cs[i].k, &v)) ||
        (rc =
             meta_put_u64(x->t, tm, cs[i].k, (uint64_t)((int64_t)v + cs[i].d))))
      return rc;
  }
  for (size_t i = 0; i < x->nlangs; i++) {
    char key[PX_TM__LANG_MAX + 8];
    snprintf(key, sizeof key, "lang:%s", x->langs[i].lang);
    if ((rc = meta_get_u64(x->t, tm, key, &v)))
      return rc;
    int64_t n = (int64_t)v + x->langs[i].delta;
    if (n <= 0) {
      MDB_val k = {strlen(key), key};
      rc = mdb_del(x->t, tm->meta, &k, NULL);
      if (rc == MDB_NOTFOUND)
        rc = 0;
    } else
      rc = meta_put_u64(x->t, tm, key, (uint64_t)n);
    if (rc)
      return rc;
  }
  return 0;
}

/* Defined below: run one logged operation (from the log bytes at op). */
static int run_op(px_tm_txn *x, const unsigned char *op, size_t len, int check);

/* After MDB_MAP_FULL: abort, grow, begin again and replay every logged
 * operation before `upto` (the offset of the one that failed, or the log
 * length at commit). */
static int pending_flush(px_tm_txn *x);

static int grow_and_replay(px_tm_txn *x, size_t upto) {
  int rc = 0;
  for (int round = 0; round < MAX_REPLAYS; round++) {
    if (x->t) {
      mdb_txn_abort(x->t);
      x->t = NULL;
    }
    if ((rc = map_grow(x->tm)) < 0)
      return rc;
    if ((rc = lmdb_begin(x)) < 0)
      return rc;
    x->replaying = 1;
    size_t off = 0;
    rc = 0;
    while (off < upto) {
      const unsigned char *p = (const unsigned char *)x->log.ptr + off;
      uint32_t n = px_tm__get_u32(p);
      rc = run_op(x, p + 4, n, 1);
      if (rc < 0)
        break;
      off += 4 + n;
    }
    x->replaying = 0;
    if (rc == GROW_AND_REPLAY)
      continue;
    return rc;
  }
  return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, MDB_MAP_FULL,
                      "%s: the map could not be grown enough", x->tm->path);
}

/* Runs the op just appended to the log at offset `at`; on GROW replays
 * the earlier ones and tries again.  On a failure that changed nothing the
 * op is dropped from the log. */
static int exec_logged(px_tm_txn *x, size_t at) {
  int rc;
  for (;;) {
    const unsigned char *p = (const unsigned char *)x->log.ptr + at;
    rc = run_op(x, p + 4, px_tm__get_u32(p), 0);
    if (rc != GROW_AND_REPLAY)
      break;
    if ((rc = grow_and_replay(x, at)) < 0) {
      x->broken = 1;
      break;
    }
  }
  if (rc < 0) {
    x->log.len = at; /* forget the op */
    if (rc == PX_ESTORE)
      x->broken = 1;
  }
  return rc;
}

/* After a write, and in a bulk load when they grew (maybe_drop()): let go of
 * the store pages this process has mapped.  A writer reads B-tree pages through
 * LMDB's read-only shared map, and every page it touched stays in its resident
 * set, with up to 15 neighbours the kernel maps around each fault: a bulk
 * import's random exact-index probes alone would show most of the store as its
 * memory.  Those pages are the kernel's page cache (clean, shared with every
 * reader); MADV_DONTNEED on a shared file mapping only removes them from this
 * process's page tables, and the next access maps them again from the cache (a
 * minor fault).  So the writer's resident memory stays what it is using. */
static void drop_mapped_pages(px_tm *tm) {
  MDB_envinfo info;
  if (mdb_env_info(tm->env, &info))
    return;
  if (!tm->map_lo || tm->map_seen != info.me_mapsize) {
    /* LMDB does not tell where its map is (mdb_env_info() gives the
     * address only with MDB_FIXEDMAP): take a pointer into it from a read
     * and find its mapping in /proc/self/maps.  Elsewhere than Linux:
     * nothing. */
    tm->map_lo = tm->map_hi = 0;
    MDB_txn *t = NULL;
    MDB_val k = {6, (void *)"schema"}, v = {0, NULL};
    if (mdb_txn_begin(tm->env, NULL, MDB_RDONLY, &t))
      return;
    int found = mdb_get(t, tm->meta, &k, &v) == 0;
    mdb_txn_abort(t);
    FILE *f = found ? fopen("/proc/self/maps", "r") : NULL;
    if (!f)
      return;
    uintptr_t p = (uintptr_t)v.mv_data;
    char line[512];
    while (fgets(line, sizeof line, f)) {
      unsigned long lo = 0, hi = 0;
      if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && p >= lo && p < hi) {
        tm->map_lo = lo;
        tm->map_hi = hi;
        tm->map_seen = info.me_mapsize;
        break;
      }
    }
    fclose(f);
  }
  if (tm->map_lo)
    (void)madvise((void *)tm->map_lo, tm->map_hi - tm->map_lo, MADV_DONTNEED);
  tm->drop_base = resident_file_pages();
}

/* Resident file-backed pages of this process (the "shared" field of
 * /proc/self/statm: the store's mapped pages and the libraries' and ICU
 * data's); 0 where that is not known. */
static size_t resident_file_pages(void) {
  int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return 0;
  char b[128];
  ssize_t n = read(fd, b, sizeof b - 1);
  close(fd);
  if (n <= 0)
    return 0;
  b[n] = 0;
  size_t field = 0, v = 0;
  for (ssize_t i = 0; i < n && field < 3; i++) {
    if (b[i] == ' ') {
      field++;
      continue;
    }
    if (field == 2 && b[i] >= '0' && b[i] <= '9')
      v = v * 10 + (size_t)(b[i] - '0');
  }
  return v;
}

/* In a bulk load, every DROP_CHECK calls: drop the mapped store pages if
 * this process's file-backed resident pages grew by DROP_GROWTH since the
 * last drop.  Dropping more often keeps the resident set smaller but
 * costs time, since the next reads fault the B-trees' upper pages in
 * again.  A million-unit import with 24 MB: peak RSS 95 MB (57 MB heap),
 * 111 CPU s; with 64 MB: 136 MB, 100 CPU s.  Where the resident set is
 * not known, every 4,096th call drops. */
static void maybe_drop(px_tm *tm) {
  if (++tm->drop_tick % DROP_CHECK)
    return;
  size_t now = resident_file_pages();
  long page = sysconf(_SC_PAGESIZE);
  if (now ? now < tm->drop_base + DROP_GROWTH / (size_t)(page > 0 ? page : 4096)
          : tm->drop_tick % 4096 != 0)
    return;
  drop_mapped_pages(tm);
}

int px_tm_txn_commit(px_tm_txn *x) {
  if (!x)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                        "invalid argument: txn");
  int rc = 0, merge = 0;
  uint64_t runs = 0, run_bytes = 0;
  px_tm *tm = x->tm;
  if (x->broken) {
    rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                      "%s: the transaction failed earlier; nothing was "
                      "committed",
                      x->tm->path);
    goto done;
  }
  for (int round = 0; round < MAX_REPLAYS; round++) {
    rc = pending_flush(x);
    if (rc == GROW_AND_REPLAY) {
      if ((rc = grow_and_replay(x, x->log.len)) < 0)
        goto done;
      continue;
    }
    if (rc < 0)
      goto done;
    int mrc = flush_counters(x);
    if (!mrc && x->tm->has_wdelta)
      mrc = meta_get_u64(x->t, x->tm, "wdelta_runs", &runs);
    if (!mrc && x->tm->has_wdelta)
      mrc = meta_get_u64(x->t, x->tm, "wdelta_bytes", &run_bytes);
    size_t tid = mdb_txn_id(x->t);
    if (!mrc) {
      mrc = mdb_txn_commit(x->t);
      x->t = NULL;
    }
    if (!mrc) {
      xf_committed(x->tm, tid);
      drop_mapped_pages(x->tm);
      /* bulk: merge when the runs are many or big; otherwise now */
      merge = x->tm->bulk
                  ? runs >= PX_TM__MERGE_RUNS || run_bytes >= PX_TM__MERGE_BYTES
                  : runs > 0;
      goto done;
    }
    if (mrc != MDB_MAP_FULL) {
      rc = px_tm__mdb_error(mrc, x->tm->path);
      goto done;
    }
    if ((rc = grow_and_replay(x, x->log.len)) < 0)
      goto done;
  }
  rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, MDB_MAP_FULL,
                    "%s: the map could not be grown enough", x->tm->path);
done:
  txn_free(x);
  /* what was committed stays committed: a merge that fails now leaves
   * its runs consistent for the next one */
  if (rc == 0 && merge)
    (void)px_tm__merge(tm);
  return rc;
}

/* ---- log records --------------------------------------------------------- */

/* Start a log record: 4-byte length placeholder + type.  Returns the
 * record's offset in *at. */
static int log_begin(px_tm_txn *x, int type, size_t *at) {
  *at = x->log.len;
  unsigned char h[5] = {0, 0, 0, 0, (unsigned char)type};
  return px_buf_put(&x->log, h, 5);
}
static void log_end(px_tm_txn *x, size_t at) {
  px_tm__put_u32(x->log.ptr + at, (uint32_t)(x->log.len - at - 4));
}

/* ---- adding ----------------------------------------------------------- */

/* The distinct index terms of one variant, with the hash of each term's
 * `words` key (language key, NUL, term): computed with the key forms, so
 * the importer's preparing thread does it, not the writer. */
typedef struct vterm {
  uint64_t h;
  uint32_t off, len; /* the term in the key form, cut to PX_TM__TERM_MAX */
} vterm;

typedef struct vterms {
  vterm *t;
  size_t n;
  unsigned char ncore; /* core tokens of the variant, capped at 255 */
} vterms;

static void vterms_dispose(vterms *v) {
  px_free(v->t);
  memset(v, 0, sizeof *v);
}

static int variant_terms(vterms *out, const char *langkey,
                         const px_tm__keyed *kd);

/* One variant of a unit being added, with its derived forms. */
typedef struct prep {
  char lang[PX_TM__LANG_MAX + 1]; /* full tag, lower case */
  char key[PX_TM__LANG_MAX + 1];  /* primary subtag */
  char *nfc;                      /* the text to store */
  size_t nfc_len;
  char *eq; /* NFC + spaces collapsed: equality of variants */
  size_t eq_len;
  px_tm__keyed kd; /* key form, tokens, exact hash */
  vterms vt;       /* its index terms */
  const px_variant *src;
} prep;

static void prep_dispose(prep *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    px_free(p[i].nfc);
    px_free(p[i].eq);
    px_tm__keyed_dispose(&p[i].kd);
    vterms_dispose(&p[i].vt);
  }
}

struct px_tm__prepared {
  px_buf enc;      /* the unit encoded, as the log keeps it */
  px_tm__rec *rec; /* decoded from enc: the unit, owned */
  prep *p;         /* its non-empty variants, prepared */
  size_t np;
  int prepped; /* p is ready (px_tm__prepare_finish() ran) */
};

static int prep_variant(prep *p, const px_variant *v, int *empty) {
  int rc;
  memset(p, 0, sizeof *p);
  p->src = v;
  *empty = 0;
  if ((rc = px_tm__lang_norm(p->lang, sizeof p->lang, v->lang)) < 0 ||
      (rc = px_tm__lang_key(p->key, sizeof p->key, v->lang)) < 0)
    return rc;
  if (v->len > PX_TM_MAX_TEXT)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "the %s segment is %zu bytes; the limit is %u", p->lang,
                        v->len, PX_TM_MAX_TEXT);
  if (v->codes_len > PX_TM_MAX_TEXT)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "the %s segment's inline codes are %zu bytes; the "
                        "limit is %u",
                        p->lang, v->codes_len, PX_TM_MAX_TEXT);
  size_t bad = 0;
  if (!v->text && v->len)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "the %s variant has no text", p->lang);
  if (v->len && px_text_validate(v->text, v->len, &bad) < 0)
    return px_error_set(PX_EENCODING, PX_ERRCLASS_TM, 0,
                        "the %s segment: invalid UTF-8 at byte %zu", p->lang,
                        bad);
  if ((rc = px_text_normalize(&p->nfc, &p->nfc_len, v->text ? v->text : "",
                              v->len, PX_NORM_NFC)) < 0 ||
      (rc = px_text_normalize(&p->eq, &p->eq_len, p->nfc, p->nfc_len,
                              PX_NORM_SPACES)) < 0)
    return rc;
  if (p->eq_len == 0) {
    *empty = 1;
    return 0;
  }
  int has_codes = v->codes && v->codes_len;
  int rc2 = px_tm__keyed_make(&p->kd, p->nfc, p->nfc_len, has_codes, p->key);
  return rc2 < 0 ? rc2 : variant_terms(&p->vt, p->key, &p->kd);
}

/* Index keys ------------------------------------------------------------- */

static size_t exact_key(unsigned char *k, const char *key, uint64_t h) {
  size_t n = strlen(key);
  memcpy(k, key, n);
  k[n] = 0;
  put_u64(k + n + 1, h);
  return n + 9;
}

/* ---- the exact-key filter ----------------------------------------------
 * A bulk load adds mostly new units, and before each is stored its
 * variants are looked up in the exact index (adding a unit again merges
 * it).  The lookups of keys that are not there go to random pages of a
 * B-tree that grows with the store: at a million units, sparing them
 * took the import from 141 to 119 CPU s, and every page they touched
 * counted in its resident memory.  A Bloom filter of the exact keys (in
 * `exact`, in the pending runs and in the open transaction) answers most of
 * them without the store: "absent" is certain, "maybe" is looked up.
 *
 * It is built by one scan when a bulk load first needs it, takes every key
 * this handle adds after, and is true for the store as of transaction
 * xf_txn plus this handle's later writes.  When a transaction of another
 * process came in between (its keys would be missing), it is dropped and
 * built again; when its keys pass the number it was sized for, it is built
 * again four times as large.  Keys deleted, or added by a transaction that
 * aborted, stay in it: they only cost a lookup.  10 bits per key, 8 bits
 * set in one 64-byte block: by the usual estimate, 1-2% of absent keys
 * are still looked up.
 *
 * ---- exact keys in runs ------------------------------------------------
 * In a bulk load the exact index is written as the word index is: each
 * commit's exact keys go into its run of wdelta, under (run, 0x01,
 * language key, NUL, hash) with the unit ids as postings (length byte 0),
 * and a merge moves them into `exact` in key order.  One random insert
 * into `exact` per variant copied a page of it for nearly every variant of
 * a batch: at a million units, leaving the exact index out altogether
 * took the import from 145 to 68 CPU s and its heap from 93 to 54 MB.  Until a
 * merge, an exact lookup looks in `exact` and in each pending run (lookups of
 * other processes: in every run); the writer keeps a Bloom filter of each run
 * it wrote and looks only in the runs that may hold the key. */
size_t px_tm__xf_min_keys = (size_t)1 << 18;
#define XF_BITS_PER_KEY 10
#define XKEY 0x01 /* first byte of an exact key in a run (terms: a letter) */

struct px_tm__xrun {
  uint32_t run;
  uint64_t *bits; /* a Bloom filter of its exact keys */
  size_t blocks;  /* 512-bit blocks, a power of two */
};

static uint64_t xf_mix(uint64_t h) {
  h ^= h >> 31;
  h *= 0x7fb5d329728ea185ULL;
  h ^= h >> 27;
  h *= 0x81dadef4bc2dd44dULL;
  h ^= h >> 33;
  return h;
}

/* The block of a key in a filter and the 8 bits (6 bits of g each) that
 * stand for it there. */
static uint64_t *bloom_block(uint64_t *bits, size_t blocks, const void *key,
                             size_t len, uint64_t *g) {
  uint64_t h = px_text_hash(key, len);
  *g = xf_mix(h + 0x9e3779b97f4a7c15ULL);
  return bits + (size_t)(xf_mix(h) & (blocks - 1)) * 8;
}

static void bloom_add(uint64_t *bits, size_t blocks, const void *key,
                      size_t len) {
  uint64_t g, *b = bloom_block(bits, blocks, key, len, &g);
  for (int i = 0; i < 8; i++, g >>= 6)
    b[i] |= 1ull << (g & 63);
}

static int bloom_maybe(uint64_t *bits, size_t blocks, const void *key,
                       size_t len) {
  uint64_t g;
  const uint64_t *b = bloom_block(bits, blocks, key, len, &g);
  for (int i = 0; i < 8; i++, g >>= 6)
    if (!(b[i] & (1ull << (g & 63))))
      return 0;
  return 1;
}

static size_t bloom_blocks(size_t keys) {
  size_t blocks = 1;
  while (blocks * 512 < keys * XF_BITS_PER_KEY)
    blocks <<= 1;
  return blocks;
}

static void xf_add(px_tm *tm, const void *key, size_t len) {
  bloom_add(tm->xf, tm->xf_blocks, key, len);
  tm->xf_n++;
}

static void xruns_clear(px_tm *tm) {
  for (size_t i = 0; i < tm->nxruns; i++)
    px_free(tm->xruns[i].bits);
  tm->nxruns = 0;
}

/* Drop the filter and the runs' filters (nothing is known of the runs). */
static void xf_drop(px_tm *tm) {
  px_free(tm->xf);
  tm->xf = NULL;
  tm->xf_blocks = tm->xf_n = tm->xf_cap = 0;
  xruns_clear(tm);
  tm->xruns_all = 0;
}

/* Start the filter of run `run` (this handle's next run), sized for n
 * keys.  Without memory for it, lookups look in every run. */
static void xrun_begin(px_tm *tm, uint32_t run, size_t n) {
  struct px_tm__xrun *r = NULL;
  for (size_t i = 0; i < tm->nxruns && !r; i++)
    if (tm->xruns[i].run == run) /* a transaction replayed */
      r = &tm->xruns[i];
  if (!r) {
    if (PX_GROW(tm->xruns, tm->nxruns, tm->cap_xruns) < 0) {
      tm->xruns_all = 0;
      return;
    }
    r = &tm->xruns[tm->nxruns++];
    r->run = run;
    r->bits = NULL;
  }
  px_free(r->bits);
  r->blocks = bloom_blocks(n);
  if (!(r->bits = px_calloc(r->blocks * 8, sizeof *r->bits)))
    tm->xruns_all = 0;
}

/* Unit ids under exact key kb[0..kl) in the pending runs that t sees, to
 * fn(arg, id) until it returns non-zero (returned).  filters: look only in
 * the runs whose filter may hold the key, when the handle's filters cover
 * every run (the writer's own transactions). */
int px_tm__exact_in_runs(MDB_txn *t, px_tm *tm, const unsigned char *kb,
                         size_t kl, int filters,
                         int (*fn)(void *arg, uint32_t id), void *arg) {
  if (!tm->has_wdelta || kl > PX_TM__LANG_MAX + 9)
    return 0;
  unsigned char rk[5 + PX_TM__LANG_MAX + 9];
  rk[4] = XKEY;
  memcpy(rk + 5, kb, kl);
  MDB_val k = {5 + kl, rk}, v;
  MDB_cursor *scan = NULL;
  int mrc = 0, rc = 0;
  size_t i = 0;
  int all = !(filters && tm->xruns_all);
  if (all && (mrc = mdb_cursor_open(t, tm->wdelta, &scan)))
    goto done;
  uint32_t next = 0; /* all: the next run number to look for */
  for (;;) {
    uint32_t run;
    if (all) {
      unsigned char sk[4];
      px_tm__put_u32(sk, next);
      MDB_val s = {4, sk}, sv;
      mrc = mdb_cursor_get(scan, &s, &sv, MDB_SET_RANGE);
      if (mrc == MDB_NOTFOUND) {
        mrc = 0;
        break;
      }
      if (mrc)
        goto done;
      if (s.mv_size < 5) {
        rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                          "%s: a bad key in wdelta", tm->path);
        goto done;
      }
      run = px_tm__get_u32(s.mv_data);
      next = run + 1;
    } else {
      if (i == tm->nxruns)
        break;
      const struct px_tm__xrun *r = &tm->xruns[i++];
      if (!bloom_maybe(r->bits, r->blocks, kb, kl))
        continue;
      run = r->run;
    }
    px_tm__put_u32(rk, run);
    k.mv_size = 5 + kl;
    k.mv_data = rk;
    mrc = mdb_get(t, tm->wdelta, &k, &v);
    if (mrc == 0) {
      const unsigned char *p = v.mv_data;
      for (size_t j = 0; j + PX_TM__POSTING <= v.mv_size && !rc;
           j += PX_TM__POSTING)
        rc = fn(arg, px_tm__get_u32(p + j + 1));
      if (rc)
        goto done;
    } else if (mrc != MDB_NOTFOUND)
      goto done;
    mrc = 0;
    if (all && run == UINT32_MAX)
      break;
  }
done:
  if (scan)
    mdb_cursor_close(scan);
  if (rc)
    return rc;
  return mrc ? px_tm__mdb_error(mrc, "reading the exact index") : 0;
}

/* Add the exact keys of the runs x sees (and of x's own pending keys) to
 * the filter: a rebuilt filter must know what is not in `exact` yet. */
static int xf_add_pending(px_tm_txn *x) {
  px_tm *tm = x->tm;
  for (size_t i = 0; i < x->nterms; i++) {
    const unsigned char *key =
        (const unsigned char *)x->pend.ptr + x->terms[i].koff;
    if (x->terms[i].klen > 1 && key[0] == XKEY)
      xf_add(tm, key + 1, x->terms[i].klen - 1);
  }
  if (!tm->has_wdelta)
    return 0;
  MDB_cursor *cur = NULL;
  int mrc = mdb_cursor_open(x->t, tm->wdelta, &cur);
  uint32_t run = 0;
  while (!mrc) {
    unsigned char sk[5];
    px_tm__put_u32(sk, run);
    sk[4] = XKEY;
    MDB_val k = {5, sk}, v;
    mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
    while (!mrc && k.mv_size > 5 && px_tm__get_u32(k.mv_data) == run &&
           ((const unsigned char *)k.mv_data)[4] == XKEY) {
      xf_add(tm, (const unsigned char *)k.mv_data + 5, k.mv_size - 5);
      maybe_drop(tm);
      mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    if (mrc)
      break;
    /* k is past this run's exact keys: go on with its run */
    uint32_t r = k.mv_size >= 4 ? px_tm__get_u32(k.mv_data) : run;
    if (r == UINT32_MAX)
      break;
    run = r > run ? r : run + 1;
  }
  mdb_cursor_close(cur);
  return mrc == MDB_NOTFOUND ? 0 : px_tm__mdb_error(mrc, "reading the index");
}

/* Make tm->xf true for transaction x: keep it, or build it from the store
 * as x sees it.  Without memory for it, the lookups go to the store. */
static int xf_ready(px_tm_txn *x) {
  px_tm *tm = x->tm;
  size_t tid = mdb_txn_id(x->t);
  int stale = !tm->xf || tid != tm->xf_txn + 1;
  if (!stale && tm->xf_n <= tm->xf_cap)
    return 0;
  size_t grown = tm->xf ? 4 * tm->xf_n : 0;
  int mrc = 0;
  if (stale) {
    /* what runs are pending, and whose filters this handle has not */
    uint64_t runs = 0;
    xf_drop(tm);
    if (tm->has_wdelta && (mrc = meta_get_u64(x->t, tm, "wdelta_runs", &runs)))
      return px_tm__mdb_error(mrc, "reading the index");
    tm->xruns_all = runs == 0;
  } else {
    px_free(tm->xf);
    tm->xf = NULL;
    tm->xf_blocks = tm->xf_n = tm->xf_cap = 0;
  }
  MDB_stat st;
  if ((mrc = mdb_stat(x->t, tm->exact, &st)))
    return px_tm__mdb_error(mrc, "reading the index");
  size_t want = 4 * st.ms_entries;
  if (want < grown)
    want = grown;
  if (want < px_tm__xf_min_keys)
    want = px_tm__xf_min_keys;
  size_t blocks = bloom_blocks(want);
  tm->xf = px_calloc(blocks * 8, sizeof *tm->xf);
  if (!tm->xf)
    return 0;
  tm->xf_blocks = blocks;
  tm->xf_cap = blocks * 512 / XF_BITS_PER_KEY;
  MDB_cursor *cur = NULL;
  if ((mrc = mdb_cursor_open(x->t, tm->exact, &cur)))
    goto fail;
  MDB_val k, v;
  for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
       mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_NODUP)) {
    xf_add(tm, k.mv_data, k.mv_size);
    /* the scan reads the whole index through the map */
    maybe_drop(tm);
  }
  mdb_cursor_close(cur);
  if (mrc != MDB_NOTFOUND)
    goto fail;
  int rc = xf_add_pending(x);
  if (rc < 0) {
    xf_drop(tm);
    return rc;
  }
  drop_mapped_pages(tm);
  tm->xf_txn = tid - 1;
  return 0;
fail:
  xf_drop(tm);
  return px_tm__mdb_error(mrc, "reading the index");
}

/* After a commit of transaction tid by this handle. */
static void xf_committed(px_tm *tm, size_t tid) {
  if (tm->xf && tid == tm->xf_txn + 1)
    tm->xf_txn = tid;
  else
    xf_drop(tm);
}

/* Word postings of added variants wait in the transaction, grouped by
 * term in a hash table, and are written at commit (or when they pass
 * PENDING_MAX, or before a delete) term by term in key order: in key order
 * the B-tree pages stay hot, and one term's postings go in with one put.
 * Lookups never see uncommitted data, and deletes flush first, so nothing
 * can observe the delay. */
#define PENDING_MAX (64u * 1024u * 1024u)

static int pend_rehash(px_tm_txn *x, size_t ncap) {
  uint32_t *slots = px_calloc(ncap, sizeof *slots);
  if (!slots)
    return PX_ENOMEM;
  for (size_t t = 0; t < x->nterms; t++) {
    size_t s = (size_t)x->terms[t].h & (ncap - 1);
    while (slots[s])
      s = (s + 1) & (ncap - 1);
    slots[s] = (uint32_t)(t + 1);
  }
  px_free(x->slots);
  x->slots = slots;
  x->cap_slots = ncap;
  return 0;
}

static int pending_add(px_tm_txn *x, const unsigned char *key, size_t klen,
                       uint64_t h, const unsigned char *val) {
  int rc;
  if (x->nterms * 2 >= x->cap_slots &&
      (rc = pend_rehash(x, x->cap_slots ? x->cap_slots * 2 : 4096)) < 0)
    return rc;
  size_t s = (size_t)h & (x->cap_slots - 1);
  pterm *t = NULL;
  for (; x->slots[s]; s = (s + 1) & (x->cap_slots - 1)) {
    pterm *c = &x->terms[x->slots[s] - 1];
    if (c->h == h && c->klen == klen &&
        memcmp(x->pend.ptr + c->koff, key, klen) == 0) {
      t = c;
      break;
    }
  }
  if ((rc = PX_GROW(x->posts, x->nposts, x->cap_posts)) < 0)
    return rc;
  if (!t) {
    if ((rc = PX_GROW(x->terms, x->nterms, x->cap_terms)) < 0)
      return rc;
    size_t off = x->pend.len;
    if ((rc = px_buf_put(&x->pend, key, klen)) < 0)
      return rc;
    t = &x->terms[x->nterms++];
    t->h = h;
    t->koff = off;
    t->klen = (uint32_t)klen;
    t->head = t->tail = UINT32_MAX;
    t->n = 0;
    uint64_t pfx = 0;
    for (size_t i = 0; i < 8; i++)
      pfx = pfx << 8 | (i < klen ? key[i] : 0);
    t->pfx = pfx;
    x->slots[s] = (uint32_t)x->nterms;
  }
  ppost *p = &x->posts[x->nposts];
  p->v = (uint64_t)val[0] << 32 | px_tm__get_u32(val + 1);
  p->next = UINT32_MAX;
  if (t->tail == UINT32_MAX)
    t->head = (uint32_t)x->nposts;
  else
    x->posts[t->tail].next = (uint32_t)x->nposts;
  t->tail = (uint32_t)x->nposts;
  t->n++;
  x->nposts++;
  return 0;
}

static size_t pending_bytes(const px_tm_txn *x) {
  return x->pend.len + x->nposts * sizeof(ppost) + x->nterms * sizeof(pterm);
}

static const unsigned char *pend_base;
static int cmp_terms(const void *a, const void *b) {
  const pterm *ta = *(const pterm *const *)a, *tb = *(const pterm *const *)b;
  if (ta->pfx != tb->pfx)
    return ta->pfx < tb->pfx ? -1 : 1;
  size_t n = ta->klen < tb->klen ? ta->klen : tb->klen;
  int c = memcmp(pend_base + ta->koff, pend_base + tb->koff, n);
  if (c)
    return c;
  return ta->klen < tb->klen ? -1 : ta->klen > tb->klen;
}

/* The pending terms in key order, into order[]: an LSD radix sort of
 * (prefix, index) pairs on the 8-byte prefix (a pass skipped when every
 * term has the same byte there, as the language key's bytes mostly are),
 * then a comparison sort of each run of equal prefixes.  A bulk commit
 * sorts hundreds of thousands of terms; qsort on the term pointers was a
 * seventh of the writer's time.  PX_ENOMEM, or 0. */
typedef struct pfx_ix {
  uint64_t pfx;
  size_t ix;
} pfx_ix;

static int sort_terms(px_tm_txn *x, pterm **order) {
  size_t n = x->nterms;
  pfx_ix *a = px_malloc(n * sizeof *a), *b = px_malloc(n * sizeof *b);
  if (!a || !b) {
    px_free(a);
    px_free(b);
    return PX_ENOMEM;
  }
  for (size_t i = 0; i < n; i++) {
    a[i].pfx = x->terms[i].pfx;
    a[i].ix = i;
  }
  size_t cnt[256];
  for (unsigned sh = 0; sh < 64; sh += 8) {
    memset(cnt, 0, sizeof cnt);
    for (size_t i = 0; i < n; i++)
      cnt[(a[i].pfx >> sh) & 255]++;
    if (cnt[(a[0].pfx >> sh) & 255] == n)
      continue;
    for (size_t d = 0, sum = 0; d < 256; d++) {
      size_t c = cnt[d];
      cnt[d] = sum;
      sum += c;
    }
    for (size_t i = 0; i < n; i++)
      b[cnt[(a[i].pfx >> sh) & 255]++] = a[i];
    pfx_ix *t = a;
    a = b;
    b = t;
  }
  for (size_t i = 0; i < n; i++)
    order[i] = &x->terms[a[i].ix];
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && a[j].pfx == a[i].pfx)
      j++;
    if (j - i > 1)
      qsort(order + i, j - i, sizeof *order, cmp_terms);
    i = j;
  }
  px_free(a);
  px_free(b);
  return 0;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* Sort a term's postings ((length byte << 32) | id).  They come in the
 * order units were added, ids mostly ascending: a stable counting sort on
 * the length byte (into scratch, then back) leaves them sorted but for
 * postings of units added again, which a final check hands to qsort. */
static void sort_postings(uint64_t *vals, size_t n, px_buf *scratch) {
  size_t cnt[256];
  px_buf_clear(scratch);
  if (n < 64 || px_buf_reserve(scratch, n * sizeof *vals) < 0) {
    qsort(vals, n, sizeof *vals, cmp_u64);
    return;
  }
  uint64_t *tmp = (uint64_t *)(void *)scratch->ptr;
  memset(cnt, 0, sizeof cnt);
  for (size_t i = 0; i < n; i++)
    cnt[(vals[i] >> 32) & 255]++;
  for (size_t d = 0, sum = 0; d < 256; d++) {
    size_t c = cnt[d];
    cnt[d] = sum;
    sum += c;
  }
  for (size_t i = 0; i < n; i++)
    tmp[cnt[(vals[i] >> 32) & 255]++] = vals[i];
  memcpy(vals, tmp, n * sizeof *vals);
  for (size_t i = 1; i < n; i++)
    if (vals[i] < vals[i - 1]) {
      qsort(vals, n, sizeof *vals, cmp_u64);
      return;
    }
}

/* vals ((length byte << 32) | id, sorted) as stored values into b. */
static int pack_postings(px_buf *b, const uint64_t *vals, size_t m) {
  px_buf_clear(b);
  int rc = px_buf_reserve(b, m * PX_TM__POSTING);
  if (rc < 0)
    return rc;
  unsigned char *o = (unsigned char *)b->ptr;
  for (size_t j = 0; j < m; j++) {
    o[j * PX_TM__POSTING] = (unsigned char)(vals[j] >> 32);
    px_tm__put_u32(o + j * PX_TM__POSTING + 1, (uint32_t)vals[j]);
  }
  b->len = m * PX_TM__POSTING;
  return 0;
}

/* The unit ids of postings vals[0..m) (sorted) under the exact key that
 * follows XKEY in run key *k, into `exact` through cursor c: one put for
 * all (the ids are new there), else one by one.  An MDB_ code or 0. */
static int put_exact_ids(MDB_cursor *c, const MDB_val *k, const uint64_t *vals,
                         size_t m) {
  MDB_val ek = {k->mv_size - 1, (char *)k->mv_data + 1};
  uint32_t ids[64];
  for (size_t j = 0; j < m;) {
    size_t n = 0;
    for (; j < m && n < 64; j++, n++) {
      unsigned char *b = (unsigned char *)&ids[n];
      px_tm__put_u32(b, (uint32_t)vals[j]);
    }
    int mrc;
    if (n > 1) {
      MDB_val mv[2] = {{4, ids}, {n, NULL}};
      mrc = mdb_cursor_put(c, &ek, mv, MDB_MULTIPLE);
    } else {
      MDB_val one = {4, ids};
      mrc = mdb_cursor_put(c, &ek, &one, MDB_NODUPDATA);
    }
    if (mrc && mrc != MDB_KEYEXIST)
      return mrc;
  }
  return 0;
}

/* Write the pending postings, term by term in key order.  In bulk mode
 * (px_tm__bulk()) they become one new run of wdelta, appended: no page of
 * words is touched until a merge.  Otherwise into words: the postings of
 * a term whose units were all created since the last flush cannot be in
 * the store yet: they go in with one MDB_MULTIPLE put (one B-tree descent
 * per term instead of one per posting).  Others go one by one, an
 * existing one skipped. */
static int pending_flush(px_tm_txn *x) {
  if (x->nterms == 0)
    return 0;
  px_tm *tm = x->tm;
  int bulk = tm->bulk && tm->has_wdelta;
  pterm **order = px_malloc(x->nterms * sizeof *order);
  uint64_t *vals = NULL;
  size_t cap_vals = 0;
  if (!order)
    return PX_ENOMEM;
  for (size_t t = 0; t < x->nterms; t++)
    order[t] = &x->terms[t];
  pend_base = (const unsigned char *)x->pend.ptr;
  if (sort_terms(x, order) < 0) {
    px_free(order);
    return PX_ENOMEM;
  }
  /* bulk: the postings become run number `run` of wdelta, keys (run, term)
   * appended after every older run */
  uint64_t run = 0, runs = 0, run_bytes = 0;
  MDB_cursor *cur = NULL;
  int rc = 0, mrc = 0;
  if (bulk && !(mrc = meta_get_u64(x->t, tm, "wdelta_next", &run)) &&
      !(mrc = meta_get_u64(x->t, tm, "wdelta_runs", &runs)))
    mrc = meta_get_u64(x->t, tm, "wdelta_bytes", &run_bytes);
  run = run ? run : 1;
  /* exact keys (XKEY first: they sort first) */
  size_t nx = 0;
  while (nx < x->nterms && order[nx]->klen > 1 &&
         ((const unsigned char *)pend_base + order[nx]->koff)[0] == XKEY)
    nx++;
  struct px_tm__xrun *xr = NULL;
  if (bulk && nx) {
    xrun_begin(tm, (uint32_t)run, nx);
    for (size_t i = 0; i < tm->nxruns && !xr; i++)
      if (tm->xruns[i].run == (uint32_t)run && tm->xruns[i].bits)
        xr = &tm->xruns[i];
  }
  MDB_cursor *xcur = NULL;
  if (!mrc && !bulk && nx)
    mrc = mdb_cursor_open(x->t, tm->exact, &xcur);
  if (!mrc)
    mrc = mdb_cursor_open(x->t, bulk ? tm->wdelta : tm->words, &cur);
  for (size_t i = 0; i < x->nterms && !mrc && !rc; i++) {
    const pterm *t = order[i];
    if (t->n > cap_vals) {
      size_t nc = t->n < 64 ? 64 : t->n;
      uint64_t *nv = px_realloc(vals, nc * sizeof *vals);
      if (!nv) {
        rc = PX_ENOMEM;
        break;
      }
      vals = nv;
      cap_vals = nc;
    }
    /* the postings in the dup order (length byte, then id), once each */
    size_t n = 0;
    int sorted = 1, fresh = 1;
    for (uint32_t p = t->head; p != UINT32_MAX; p = x->posts[p].next) {
      uint64_t v = x->posts[p].v;
      if (n && v < vals[n - 1])
        sorted = 0;
      if ((uint32_t)v < x->first_id)
        fresh = 0;
      vals[n++] = v;
    }
    if (!sorted)
      sort_postings(vals, n, &x->multi);
    size_t m = 0;
    for (size_t j = 0; j < n; j++)
      if (m == 0 || vals[j] != vals[m - 1])
        vals[m++] = vals[j];
    if ((rc = pack_postings(&x->multi, vals, m)) < 0)
      break;
    MDB_val k = {t->klen, (void *)(pend_base + t->koff)};
    if (i < nx && xr)
      bloom_add(xr->bits, xr->blocks, pend_base + t->koff + 1, t->klen - 1);
    if (i < nx && !bulk) { /* bulk mode ended with keys pending */
      mrc = put_exact_ids(xcur, &k, vals, m);
      continue;
    }
    if (bulk) {
      unsigned char kb[4 + PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX];
      px_tm__put_u32(kb, (uint32_t)run);
      memcpy(kb + 4, k.mv_data, k.mv_size);
      MDB_val rk = {4 + k.mv_size, kb}, rv = {x->multi.len, x->multi.ptr};
      mrc = mdb_cursor_put(cur, &rk, &rv, MDB_APPEND);
      run_bytes += rk.mv_size + rv.mv_size;
      continue;
    }
    size_t done = 0;
    if (fresh && m > 1) {
      MDB_val mv[2] = {{PX_TM__POSTING, x->multi.ptr}, {m, NULL}};
      mrc = mdb_cursor_put(cur, &k, mv, MDB_MULTIPLE);
      done = m; /* on an error the flush ends with it */
    }
    for (size_t j = done; j < m && !mrc; j++) {
      MDB_val v = {PX_TM__POSTING, x->multi.ptr + j * PX_TM__POSTING};
      mrc = mdb_cursor_put(cur, &k, &v, MDB_NODUPDATA);
      if (mrc == MDB_KEYEXIST)
        mrc = 0;
    }
  }
  if (cur)
    mdb_cursor_close(cur);
  if (xcur)
    mdb_cursor_close(xcur);
  px_free(order);
  px_free(vals);
  if (rc < 0)
    return rc;
  if (bulk && !mrc && !(mrc = meta_put_u64(x->t, tm, "wdelta_next", run + 1)))
    if (!(mrc = meta_put_u64(x->t, tm, "wdelta_runs", runs + 1)))
      mrc = meta_put_u64(x->t, tm, "wdelta_bytes", run_bytes);
  if (mrc)
    return mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                               : px_tm__mdb_error(mrc, "updating the index");
  pending_reset(x);
  /* postings of the units created so far may now be in the store */
  x->first_id = x->next_id;
  return 0;
}

/* ---- merging bulk runs into `words` ---------------------------------------
 */

/* Most runs one merge step reads at once; more wait for the next step. */
#define MERGE_MAX_RUNS 256

/* Moves the postings of up to max_terms terms (0: all) from the runs of
 * wdelta into words, within t, taking terms in key order across the runs
 * (a k-way merge: the runs are each sorted).  *more: terms are left.  An
 * MDB_MAP_FULL comes back as GROW_AND_REPLAY. */
static int merge_step(MDB_txn *t, px_tm *tm, size_t max_terms, int *more) {
  uint32_t runs[MERGE_MAX_RUNS];
  MDB_cursor *runcur[MERGE_MAX_RUNS] = {NULL};
  MDB_val ck[MERGE_MAX_RUNS], cv[MERGE_MAX_RUNS];
  int live[MERGE_MAX_RUNS];
  size_t nr = 0, nterms = 0;
  MDB_cursor *scan = NULL, *w = NULL, *xc = NULL;
  uint64_t *vals = NULL;
  size_t cap_vals = 0;
  px_buf dels = PX_BUF_INIT, packed = PX_BUF_INIT;
  int rc = 0, mrc;
  *more = 0;
  if (!tm->has_wdelta)
    return 0;
  /* the runs: the first key of each */
  if ((mrc = mdb_cursor_open(t, tm->wdelta, &scan)))
    goto mdb_fail;
  MDB_val k, v;
  mrc = mdb_cursor_get(scan, &k, &v, MDB_FIRST);
  while (mrc == 0 && nr < MERGE_MAX_RUNS) {
    if (k.mv_size < 5) {
      rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0, "%s: a bad key in wdelta",
                        tm->path);
      goto done;
    }
    uint32_t r = px_tm__get_u32(k.mv_data);
    runs[nr++] = r;
    if (r == UINT32_MAX)
      break;
    unsigned char kb[4];
    px_tm__put_u32(kb, r + 1);
    k.mv_size = 4;
    k.mv_data = kb;
    mrc = mdb_cursor_get(scan, &k, &v, MDB_SET_RANGE);
  }
  if (mrc == 0 && nr == MERGE_MAX_RUNS)
    *more = 1; /* runs beyond these wait for the next step */
  else if (mrc && mrc != MDB_NOTFOUND)
    goto mdb_fail;
  mrc = 0;
  for (size_t i = 0; i < nr; i++) {
    unsigned char kb[4];
    px_tm__put_u32(kb, runs[i]);
    ck[i].mv_size = 4;
    ck[i].mv_data = kb;
    if ((mrc = mdb_cursor_open(t, tm->wdelta, &runcur[i])) ||
        (mrc = mdb_cursor_get(runcur[i], &ck[i], &cv[i], MDB_SET_RANGE)))
      goto mdb_fail;
    live[i] = 1;
  }
  if ((mrc = mdb_cursor_open(t, tm->words, &w)))
    goto mdb_fail;
  for (;;) {
    /* the smallest term among the runs' current keys */
    long best = -1;
    for (size_t i = 0; i < nr; i++) {
      if (!live[i])
        continue;
      if (best < 0) {
        best = (long)i;
        continue;
      }
      size_t la = ck[i].mv_size - 4, lb = ck[best].mv_size - 4;
      int c = memcmp((char *)ck[i].mv_data + 4, (char *)ck[best].mv_data + 4,
                     la < lb ? la : lb);
      if (c < 0 || (c == 0 && la < lb))
        best = (long)i;
    }
    if (best < 0)
      break;
    if (max_terms && nterms == max_terms) {
      *more = 1;
      break;
    }
    unsigned char term[PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX];
    size_t tl = ck[best].mv_size - 4;
    if (tl > sizeof term) {
      rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0, "%s: a bad key in wdelta",
                        tm->path);
      goto done;
    }
    memcpy(term, (char *)ck[best].mv_data + 4, tl);
    size_t n = 0;
    for (size_t i = 0; i < nr; i++) {
      if (!live[i] || ck[i].mv_size - 4 != tl ||
          memcmp((char *)ck[i].mv_data + 4, term, tl) != 0)
        continue;
      size_t np = cv[i].mv_size / PX_TM__POSTING;
      if (n + np > cap_vals) {
        size_t nc = (n + np) * 2;
        uint64_t *nv = px_realloc(vals, nc * sizeof *vals);
        if (!nv) {
          rc = PX_ENOMEM;
          goto done;
        }
        vals = nv;
        cap_vals = nc;
      }
      const unsigned char *pv = cv[i].mv_data;
      for (size_t j = 0; j < np; j++, pv += PX_TM__POSTING)
        vals[n++] = (uint64_t)pv[0] << 32 | px_tm__get_u32(pv + 1);
      unsigned char kl[2] = {(unsigned char)(ck[i].mv_size >> 8),
                             (unsigned char)ck[i].mv_size};
      if ((rc = px_buf_put(&dels, kl, 2)) < 0 ||
          (rc = px_buf_put(&dels, ck[i].mv_data, ck[i].mv_size)) < 0)
        goto done;
      mrc = mdb_cursor_get(runcur[i], &ck[i], &cv[i], MDB_NEXT);
      if (mrc == MDB_NOTFOUND ||
          (mrc == 0 &&
           (ck[i].mv_size < 5 || px_tm__get_u32(ck[i].mv_data) != runs[i]))) {
        live[i] = 0;
        mrc = 0;
      } else if (mrc)
        goto mdb_fail;
    }
    qsort(vals, n, sizeof *vals, cmp_u64);
    size_t m = 0;
    for (size_t j = 0; j < n; j++)
      if (m == 0 || vals[j] != vals[m - 1])
        vals[m++] = vals[j];
    if ((rc = pack_postings(&packed, vals, m)) < 0)
      goto done;
    /* postings in runs are in no other run and not in words (a delete
     * merges first), so they all go in with one put */
    MDB_val tk = {tl, term};
    if (tl > 1 && term[0] == XKEY) { /* an exact key: its ids to `exact` */
      if (!xc && (mrc = mdb_cursor_open(t, tm->exact, &xc)))
        goto mdb_fail;
      mrc = put_exact_ids(xc, &tk, vals, m);
    } else if (m > 1) {
      MDB_val mv[2] = {{PX_TM__POSTING, packed.ptr}, {m, NULL}};
      mrc = mdb_cursor_put(w, &tk, mv, MDB_MULTIPLE);
    } else {
      MDB_val one = {PX_TM__POSTING, packed.ptr};
      mrc = mdb_cursor_put(w, &tk, &one, MDB_NODUPDATA);
      if (mrc == MDB_KEYEXIST)
        mrc = 0;
    }
    if (mrc)
      goto mdb_fail;
    nterms++;
    maybe_drop(tm);
  }
  /* the merged keys leave wdelta */
  for (size_t off = 0; off + 2 <= dels.len;) {
    const unsigned char *p = (const unsigned char *)dels.ptr + off;
    size_t kl = (size_t)p[0] << 8 | p[1];
    MDB_val dk = {kl, (void *)(p + 2)};
    if ((mrc = mdb_del(t, tm->wdelta, &dk, NULL)) && mrc != MDB_NOTFOUND)
      goto mdb_fail;
    mrc = 0;
    off += 2 + kl;
  }
  if (!*more && ((mrc = meta_put_u64(t, tm, "wdelta_runs", 0)) ||
                 (mrc = meta_put_u64(t, tm, "wdelta_bytes", 0))))
    goto mdb_fail;
  goto done;
mdb_fail:
  rc = mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                           : px_tm__mdb_error(mrc, "merging the index");
done:
  for (size_t i = 0; i < nr; i++)
    if (runcur[i])
      mdb_cursor_close(runcur[i]);
  if (scan)
    mdb_cursor_close(scan);
  if (w)
    mdb_cursor_close(w);
  if (xc)
    mdb_cursor_close(xc);
  px_free(vals);
  px_buf_dispose(&dels);
  px_buf_dispose(&packed);
  return rc;
}

/* Merge every run within x (a delete needs `words` complete). */
static int merge_all_in(px_tm_txn *x) {
  int more = 1, rc = 0;
  /* the runs' filters no longer say where keys are (if x commits) */
  xruns_clear(x->tm);
  x->tm->xruns_all = 0;
  while (more && rc == 0)
    rc = merge_step(x->t, x->tm, 0, &more);
  return rc;
}

int px_tm__bulk(px_tm *tm, int on) {
  PX_ASSERT_ARG(tm);
  if (tm->flags & PX_TM_RDONLY)
    return 0;
  tm->bulk = on;
  if (!on)
    xf_drop(tm);
  /* a bulk load syncs the data of each commit but not its meta page
   * (integrity is kept: a system crash may undo the last commit, which
   * the importer's checkpoint then redoes); turning bulk off syncs all */
  int mrc = mdb_env_set_flags(tm->env, MDB_NOMETASYNC, on ? 1 : 0);
  if (!mrc && !on)
    mrc = mdb_env_sync(tm->env, 1);
  return mrc ? px_tm__mdb_error(mrc, tm->path) : 0;
}

int px_tm__merge(px_tm *tm) {
  PX_ASSERT_ARG(tm);
  if (!tm->has_wdelta || (tm->flags & PX_TM_RDONLY))
    return 0;
  if (tm->txn)
    return px_error_set(PX_EEXISTS, PX_ERRCLASS_TM, 0,
                        "%s: a write transaction is open on this handle",
                        tm->path);
  for (int grown = 0;;) {
    int rc = maybe_grow(tm);
    if (rc < 0)
      return rc;
    MDB_txn *t = NULL;
    int mrc = mdb_txn_begin(tm->env, NULL, 0, &t);
    if (mrc == MDB_MAP_RESIZED) {
      mdb_env_set_mapsize(tm->env, 0);
      continue;
    }
    if (mrc)
      return px_tm__mdb_error(mrc, tm->path);
    int more = 0;
    rc = merge_step(t, tm, PX_TM__MERGE_TERMS, &more);
    size_t tid = mdb_txn_id(t);
    if (rc == 0) {
      mrc = mdb_txn_commit(t);
      t = NULL;
      if (!mrc)
        xf_committed(tm, tid);
      if (mrc == MDB_MAP_FULL)
        rc = GROW_AND_REPLAY;
      else if (mrc)
        return px_tm__mdb_error(mrc, tm->path);
    }
    if (t)
      mdb_txn_abort(t);
    if (rc == GROW_AND_REPLAY) {
      if (++grown > MAX_REPLAYS)
        return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, MDB_MAP_FULL,
                            "%s: the map could not be grown enough", tm->path);
      if ((rc = map_grow(tm)) < 0)
        return rc;
      continue;
    }
    if (rc < 0)
      return rc;
    drop_mapped_pages(tm);
    if (!more) {
      /* no run is left: no key is in one */
      xruns_clear(tm);
      tm->xruns_all = 1;
      return 0;
    }
  }
}

/* Sentences of up to SEEN_SLOTS / 2 tokens find repeated terms by hash. */
#define SEEN_SLOTS 512u

static int variant_terms(vterms *out, const char *langkey,
                         const px_tm__keyed *kd) {
  const char *kt = kd->kt;
  const px_token *toks = kd->toks;
  size_t ntok = kd->ntok, ncore = 0;
  memset(out, 0, sizeof *out);
  for (size_t i = 0; i < ntok; i++)
    ncore += px_tm__core_token(&toks[i]);
  out->ncore = (unsigned char)(ncore > 255 ? 255 : ncore);
  if (ncore == 0)
    return 0;
  if (!(out->t = px_malloc(ncore * sizeof *out->t)))
    return PX_ENOMEM;
  /* the hash of the key's language part, continued over each term */
  uint64_t h0 = 1469598103934665603ull;
  for (const char *c = langkey;; c++) {
    h0 = (h0 ^ (unsigned char)*c) * 1099511628211ull;
    if (!*c)
      break;
  }
  uint16_t seen_tab[SEEN_SLOTS];
  int small = ntok <= SEEN_SLOTS / 2;
  if (small)
    memset(seen_tab, 0, sizeof seen_tab);
  for (size_t i = 0; i < ntok; i++) {
    if (!px_tm__core_token(&toks[i]))
      continue;
    size_t tl = toks[i].len;
    if (tl > PX_TM__TERM_MAX) { /* cut at a character boundary */
      tl = PX_TM__TERM_MAX;
      while (tl > 0 && ((unsigned char)kt[toks[i].off + tl] & 0xC0) == 0x80)
        tl--;
    }
    const unsigned char *w = (const unsigned char *)kt + toks[i].off;
    uint64_t h = h0;
    for (size_t b = 0; b < tl; b++)
      h = (h ^ w[b]) * 1099511628211ull;
    h = h ? h : 1;
    /* skip a term already seen in this sentence: a small open-addressing
     * set of term indexes by hash (a pairwise scan was quadratic) */
    int seen = 0;
    if (small) {
      for (size_t sl = (size_t)h & (SEEN_SLOTS - 1);;
           sl = (sl + 1) & (SEEN_SLOTS - 1)) {
        if (!seen_tab[sl]) {
          seen_tab[sl] = (uint16_t)(out->n + 1);
          break;
        }
        const vterm *o = &out->t[seen_tab[sl] - 1];
        if (o->h == h && o->len == tl && memcmp(kt + o->off, w, tl) == 0) {
          seen = 1;
          break;
        }
      }
    } else {
      for (size_t j = 0; j < out->n && !seen; j++)
        seen = out->t[j].h == h && out->t[j].len == tl &&
               memcmp(kt + out->t[j].off, w, tl) == 0;
    }
    if (seen)
      continue;
    out->t[out->n].h = h;
    out->t[out->n].off = (uint32_t)toks[i].off;
    out->t[out->n].len = (uint32_t)tl;
    out->n++;
  }
  return 0;
}

/* Adds (del = 0) or removes (del = 1) the index entries of one variant
 * whose key form is kd and terms vt. */
static int index_variant(px_tm_txn *x, uint32_t id, const char *lang,
                         const px_tm__keyed *kd, const vterms *vt, int del) {
  px_tm *tm = x->tm;
  char key[PX_TM__LANG_MAX + 1];
  int rc;
  if ((rc = px_tm__lang_key(key, sizeof key, lang)) < 0)
    return rc;
  unsigned char kb[PX_TM__LANG_MAX + 1 + PX_TM__TERM_MAX + 8];
  unsigned char vb[PX_TM__POSTING];
  px_tm__put_u32(vb, id);
  MDB_val k = {exact_key(kb, key, kd->xhash), kb}, v = {4, vb};
  int mrc = 0;
  if (!del && tm->bulk && tm->has_wdelta) {
    /* into this commit's run ("exact keys in runs") */
    unsigned char xk[1 + PX_TM__LANG_MAX + 10], xv[PX_TM__POSTING] = {0};
    xk[0] = XKEY;
    memcpy(xk + 1, kb, k.mv_size);
    px_tm__put_u32(xv + 1, id);
    if ((rc = pending_add(x, xk, 1 + k.mv_size,
                          px_text_hash((const char *)xk, 1 + k.mv_size), xv)) <
        0)
      return rc;
  } else {
    mrc = del ? mdb_del(x->t, tm->exact, &k, &v)
              : mdb_put(x->t, tm->exact, &k, &v, MDB_NODUPDATA);
    if (mrc && mrc != MDB_KEYEXIST && mrc != MDB_NOTFOUND)
      goto mdb_fail;
  }
  if (!del && tm->xf)
    xf_add(tm, kb, k.mv_size);
  vb[0] = vt->ncore;
  px_tm__put_u32(vb + 1, id);
  size_t klen0 = strlen(key) + 1;
  memcpy(kb, key, klen0);
  for (size_t i = 0; i < vt->n; i++) {
    const vterm *t = &vt->t[i];
    memcpy(kb + klen0, kd->kt + t->off, t->len);
    if (!del) {
      if ((rc = pending_add(x, kb, klen0 + t->len, t->h, vb)) < 0)
        return rc;
      continue;
    }
    k.mv_size = klen0 + t->len;
    k.mv_data = kb;
    v.mv_size = PX_TM__POSTING;
    v.mv_data = vb;
    mrc = mdb_del(x->t, tm->words, &k, &v);
    if (mrc && mrc != MDB_NOTFOUND)
      goto mdb_fail;
  }
  if (pending_bytes(x) > PENDING_MAX)
    return pending_flush(x);
  return 0;
mdb_fail:
  return mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                             : px_tm__mdb_error(mrc, "updating the index");
}

/* index_variant() for a stored variant (deletes). */
static int index_stored(px_tm_txn *x, uint32_t id, const px_variant *v,
                        int del) {
  char key[PX_TM__LANG_MAX + 1];
  px_tm__keyed kd;
  vterms vt;
  int rc = px_tm__lang_key(key, sizeof key, v->lang);
  if (rc < 0)
    return rc;
  if ((rc = px_tm__keyed_make(&kd, v->text, v->len, v->codes_len > 0, key)) < 0)
    return rc;
  if ((rc = variant_terms(&vt, key, &kd)) == 0)
    rc = index_variant(x, id, v->lang, &kd, &vt, del);
  vterms_dispose(&vt);
  px_tm__keyed_dispose(&kd);
  return rc;
}

static int doc_index(px_tm_txn *x, uint32_t id, const char *doc, int del) {
  size_t n = strlen(doc);
  if (n == 0)
    return 0;
  if (n > 480)
    n = 480; /* LMDB's key limit is 511 bytes */
  unsigned char vb[4];
  px_tm__put_u32(vb, id);
  MDB_val k = {n, (void *)doc}, v = {4, vb};
  int mrc = del ? mdb_del(x->t, x->tm->docs, &k, &v)
                : mdb_put(x->t, x->tm->docs, &k, &v, MDB_NODUPDATA);
  if (mrc && mrc != MDB_KEYEXIST && mrc != MDB_NOTFOUND)
    return mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                               : px_tm__mdb_error(mrc, "updating the index");
  return 0;
}

static int get_record(px_tm_txn *x, uint32_t id, px_tm__rec **out) {
  unsigned char kb[4];
  px_tm__put_u32(kb, id);
  MDB_val k = {4, kb}, v;
  int mrc = mdb_get(x->t, x->tm->units, &k, &v);
  if (mrc == MDB_NOTFOUND)
    return px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, mrc, "no unit %u", id);
  if (mrc)
    return px_tm__mdb_error(mrc, "reading a unit");
  return px_tm__rec_decode(out, v.mv_data, v.mv_size, id);
}

static int put_record(px_tm_txn *x, uint32_t id, const px_unit *u,
                      const char *const *docs, size_t ndocs, int is_new) {
  int rc = px_tm__rec_encode(&x->rec, u, docs, ndocs);
  if (rc < 0)
    return rc;
  unsigned char kb[4];
  px_tm__put_u32(kb, id);
  MDB_val k = {4, kb}, v = {x->rec.len, x->rec.ptr};
  /* new ids only grow: appending fills pages instead of splitting them */
  int mrc = mdb_put(x->t, x->tm->units, &k, &v, is_new ? MDB_APPEND : 0);
  if (mrc == MDB_KEYEXIST && is_new)
    mrc = mdb_put(x->t, x->tm->units, &k, &v, 0);
  if (mrc)
    return mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                               : px_tm__mdb_error(mrc, "writing a unit");
  return 0;
}

/* Is stored variant sv equal (NFC + spaces) to p? */
static int variant_equal(const px_variant *sv, const prep *p, int *eq) {
  char *e = NULL;
  size_t elen = 0;
  int rc = px_text_normalize(&e, &elen, sv->text, sv->len, PX_NORM_SPACES);
  if (rc < 0)
    return rc;
  *eq = elen == p->eq_len && memcmp(e, p->eq, elen) == 0;
  px_free(e);
  return 0;
}

/* Can the new variants merge into rec?  Yes when at least one is equal to
 * a stored variant of the same tag and none has a stored variant of the
 * same tag with other text.  *shared counts equal variants. */
static int compatible(const px_tm__rec *rec, const prep *p, size_t np, int *ok,
                      size_t *shared) {
  *ok = 1;
  *shared = 0;
  for (size_t i = 0; i < np; i++) {
    for (size_t j = 0; j < rec->u.nvariants; j++) {
      const px_variant *sv = &rec->u.variants[j];
      if (strcmp(sv->lang, p[i].lang) != 0)
        continue;
      int eq = 0;
      int rc = variant_equal(sv, &p[i], &eq);
      if (rc < 0)
        return rc;
      if (!eq) {
        *ok = 0;
        return 0;
      }
      (*shared)++;
    }
  }
  if (*shared == 0)
    *ok = 0;
  return 0;
}

/* Find a stored unit the new variants merge into; *id_out 0 if none. */
/* Candidate unit ids of one exact key, at most MAX_CANDS. */
#define MAX_CANDS 64
typedef struct cands {
  uint32_t id[MAX_CANDS];
  size_t n;
} cands;

static int cands_add(void *arg, uint32_t id) {
  cands *c = arg;
  for (size_t i = 0; i < c->n; i++)
    if (c->id[i] == id)
      return 0;
  if (c->n == MAX_CANDS)
    return 1; /* enough */
  c->id[c->n++] = id;
  return 0;
}

/* The pending term with this key in x, or NULL. */
static const pterm *pending_find(const px_tm_txn *x, const unsigned char *key,
                                 size_t klen, uint64_t h) {
  if (!x->cap_slots)
    return NULL;
  for (size_t s = (size_t)h & (x->cap_slots - 1); x->slots[s];
       s = (s + 1) & (x->cap_slots - 1)) {
    const pterm *c = &x->terms[x->slots[s] - 1];
    if (c->h == h && c->klen == klen &&
        memcmp(x->pend.ptr + c->koff, key, klen) == 0)
      return c;
  }
  return NULL;
}

/* The ids under exact key kb[0..kl) as x sees them: in `exact`, in x's
 * pending exact keys and in the runs of wdelta. */
static int exact_ids(px_tm_txn *x, MDB_cursor *cur, unsigned char *kb,
                     size_t kl, cands *c) {
  px_tm *tm = x->tm;
  MDB_val k = {kl, kb}, v;
  c->n = 0;
  int mrc = mdb_cursor_get(cur, &k, &v, MDB_SET);
  while (mrc == 0 && !cands_add(c, px_tm__get_u32(v.mv_data)))
    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
  if (mrc && mrc != MDB_NOTFOUND)
    return px_tm__mdb_error(mrc, "reading the index");
  if (!tm->bulk || !tm->has_wdelta)
    return 0; /* outside bulk loads, runs are merged first */
  unsigned char xk[1 + PX_TM__LANG_MAX + 10];
  xk[0] = XKEY;
  memcpy(xk + 1, kb, kl);
  const pterm *t =
      pending_find(x, xk, 1 + kl, px_text_hash((const char *)xk, 1 + kl));
  for (uint32_t q = t ? t->head : UINT32_MAX; q != UINT32_MAX;
       q = x->posts[q].next)
    if (cands_add(c, (uint32_t)x->posts[q].v))
      break;
  int rc = px_tm__exact_in_runs(x->t, tm, kb, kl, 1, cands_add, c);
  return rc < 0 ? rc : 0;
}

/* The stored unit that u (prepared as p, np) merges into: one sharing an
 * exact key whose variants do not conflict (compatible()), or none. */
static int find_merge_target(px_tm_txn *x, const prep *p, size_t np,
                             uint32_t *id_out, px_tm__rec **rec_out) {
  px_tm *tm = x->tm;
  *id_out = 0;
  *rec_out = NULL;
  int rc = 0;
  if (tm->bulk)
    rc = xf_ready(x);
  else if (tm->has_wdelta && !x->runs_merged) {
    /* runs an import left: merged first, so that `exact` has every key */
    uint64_t runs = 0;
    int mrc = meta_get_u64(x->t, tm, "wdelta_runs", &runs);
    if (mrc)
      return px_tm__mdb_error(mrc, "reading the index");
    if (runs && (rc = merge_all_in(x)) < 0)
      return rc;
    x->runs_merged = 1;
  }
  if (rc < 0)
    return rc;
  MDB_cursor *cur = NULL;
  int mrc = mdb_cursor_open(x->t, tm->exact, &cur);
  if (mrc)
    return px_tm__mdb_error(mrc, "reading the index");
  cands c;
  for (size_t i = 0; i < np && !*id_out; i++) {
    unsigned char kb[PX_TM__LANG_MAX + 10];
    size_t kl = exact_key(kb, p[i].key, p[i].kd.xhash);
    if (tm->bulk && tm->xf && !bloom_maybe(tm->xf, tm->xf_blocks, kb, kl))
      continue;
    if ((rc = exact_ids(x, cur, kb, kl, &c)) < 0)
      goto done;
    for (size_t j = 0; j < c.n; j++) {
      uint32_t id = c.id[j];
      px_tm__rec *rec = NULL;
      rc = get_record(x, id, &rec);
      if (rc == PX_ENOTFOUND) { /* stale entry: ignore */
        rc = 0;
        continue;
      }
      if (rc < 0)
        goto done;
      int ok = 0;
      size_t shared = 0;
      rc = compatible(rec, p, np, &ok, &shared);
      if (rc < 0) {
        px_unit_free(&rec->u);
        goto done;
      }
      if (ok) {
        *id_out = id;
        *rec_out = rec;
        goto done;
      }
      px_unit_free(&rec->u);
    }
  }
done:
  mdb_cursor_close(cur);
  return rc;
}

static int64_t now_s(void) { return (int64_t)time(NULL); }

static int prop_has(const px_prop *ps, size_t n, const px_prop *p) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(ps[i].type ? ps[i].type : "", p->type ? p->type : "") == 0 &&
        strcmp(ps[i].value ? ps[i].value : "", p->value ? p->value : "") == 0)
      return 1;
  return 0;
}
static int note_has(const char *const *ns, size_t n, const char *s) {
  for (size_t i = 0; i < n; i++)
    if (strcmp(ns[i] ? ns[i] : "", s ? s : "") == 0)
      return 1;
  return 0;
}

/* Validates u and derives the stored and key forms of its variants: the
 * part of adding that needs no transaction (px_tm__prepare() runs it on
 * another thread).  *out: the non-empty variants, *np_out of them; free
 * with prep_dispose() and px_free() (also on failure). */
static int prep_unit(const px_unit *u, prep **out, size_t *np_out) {
  int rc = 0;
  prep *p = NULL;
  size_t np = 0;
  *out = NULL;
  *np_out = 0;
  if (!u->variants || u->nvariants == 0)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "a unit has no variants");
  if (u->nvariants > PX_TM_MAX_VARIANTS)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "a unit has %zu variants; the limit is %d",
                        u->nvariants, PX_TM_MAX_VARIANTS);
  if (u->nprops > PX_TM_MAX_PROPS || u->nnotes > PX_TM_MAX_PROPS)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "a unit has too many props or notes (limit %d)",
                        PX_TM_MAX_PROPS);
  if (!(p = px_calloc(u->nvariants, sizeof *p)))
    return PX_ENOMEM;
  for (size_t i = 0; i < u->nvariants; i++) {
    int empty = 0;
    rc = prep_variant(&p[np], &u->variants[i], &empty);
    np++;
    if (rc < 0)
      goto done;
    if (empty) {
      prep_dispose(&p[--np], 1);
      continue;
    }
    for (size_t j = 0; j + 1 < np; j++)
      if (strcmp(p[j].lang, p[np - 1].lang) == 0) {
        rc = px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                          "a unit has two '%s' variants", p[j].lang);
        goto done;
      }
  }
  if (np == 0)
    rc = px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                      "a unit whose variants are all empty");
done:
  *out = p;
  *np_out = np;
  return rc;
}

/* The body of px_tm_add (also used by replay) once u is prepared: p, np
 * from prep_unit(), borrowed.  Validation came first, so a refused unit
 * changes nothing. */
static int add_prepped(px_tm_txn *x, const px_unit *u, const prep *p, size_t np,
                       uint32_t *id_out, int *was_new) {
  int rc = 0, writing = 0;
  px_tm__rec *rec = NULL;
  px_variant *vs = NULL;
  const prep **vkd = NULL;
  px_prop *props = NULL;
  const char **notes = NULL, **docs = NULL;
  uint32_t id = 0;
  if ((rc = find_merge_target(x, p, np, &id, &rec)) < 0)
    goto done;
  int64_t now = now_s();
  /* the merged (or new) unit */
  size_t nstored = rec ? rec->u.nvariants : 0;
  size_t nprops0 = rec ? rec->u.nprops : 0, nnotes0 = rec ? rec->u.nnotes : 0;
  size_t ndocs0 = rec ? rec->ndocs : 0;
  vs = px_calloc(nstored + np, sizeof *vs);
  vkd = px_calloc(nstored + np, sizeof *vkd);
  props = px_calloc(nprops0 + u->nprops + 1, sizeof *props);
  notes = px_calloc(nnotes0 + u->nnotes + 1, sizeof *notes);
  docs = px_calloc(ndocs0 + 1 + 1, sizeof *docs);
  if (!vs || !vkd || !props || !notes || !docs) {
    rc = PX_ENOMEM;
    goto done;
  }
  px_unit m;
  memset(&m, 0, sizeof m);
  size_t nv = 0, npr = 0, nno = 0, ndo = 0;
  if (rec) {
    m = rec->u;
    for (size_t j = 0; j < nstored; j++)
      vs[nv++] = rec->u.variants[j];
    for (size_t j = 0; j < nprops0; j++)
      props[npr++] = rec->u.props[j];
    for (size_t j = 0; j < nnotes0; j++)
      notes[nno++] = rec->u.notes[j];
    for (size_t j = 0; j < ndocs0; j++)
      docs[ndo++] = rec->docs[j];
  } else {
    m.created = u->created ? u->created : now;
    m.changed = u->changed ? u->changed : m.created;
    m.usage_count = u->usage_count;
    m.last_used = u->last_used;
    m.tuid = u->tuid;
    m.srclang = u->srclang;
    m.creator = u->creator;
    m.changer = u->changer;
    m.tool = u->tool;
    m.confidence = u->confidence;
  }
  size_t added = 0;
  for (size_t i = 0; i < np; i++) {
    int present = 0;
    for (size_t j = 0; j < nstored && !present; j++)
      if (strcmp(vs[j].lang, p[i].lang) == 0) {
        present = 1;
        /* fill context the stored variant lacks */
        if (!vs[j].prev_hash)
          vs[j].prev_hash = p[i].src->prev_hash;
        if (!vs[j].next_hash)
          vs[j].next_hash = p[i].src->next_hash;
      }
    if (present)
      continue;
    px_variant nvv = *p[i].src;
    nvv.lang = p[i].lang;
    nvv.text = p[i].nfc;
    nvv.len = p[i].nfc_len;
    if (!nvv.codes_len)
      nvv.codes = NULL;
    vkd[nv] = &p[i];
    vs[nv++] = nvv;
    added++;
  }
  for (size_t j = 0; j < u->nprops; j++)
    if (!prop_has(props, npr, &u->props[j]))
      props[npr++] = u->props[j];
  for (size_t j = 0; j < u->nnotes; j++)
    if (!note_has(notes, nno, u->notes[j]))
      notes[nno++] = u->notes[j];
  if (u->doc_id && u->doc_id[0]) {
    size_t j = 0;
    while (j < ndo && strcmp(docs[j], u->doc_id) != 0)
      j++;
    if (j < ndo) { /* move it to the end: the newest */
      for (; j + 1 < ndo; j++)
        docs[j] = docs[j + 1];
      ndo--;
    }
    docs[ndo++] = u->doc_id;
    m.doc_id = u->doc_id;
    m.doc_pos = u->doc_pos;
  }
  if (rec) {
    uint32_t add = u->usage_count ? u->usage_count : 1;
    m.usage_count =
        m.usage_count > UINT32_MAX - add ? UINT32_MAX : m.usage_count + add;
    int64_t lu = u->last_used ? u->last_used : now;
    if (lu > m.last_used)
      m.last_used = lu;
    if (added || npr > nprops0 || nno > nnotes0) {
      int64_t ch = u->changed ? u->changed : now;
      if (ch > m.changed)
        m.changed = ch;
    }
    if (u->confidence >= 0)
      m.confidence = u->confidence;
    if (!m.tuid)
      m.tuid = u->tuid;
    if (!m.tool)
      m.tool = u->tool;
    if (!m.creator)
      m.creator = u->creator;
    if (u->changer)
      m.changer = u->changer;
  }
  m.variants = vs;
  m.nvariants = nv;
  m.props = props;
  m.nprops = npr;
  m.notes = (const char *const *)notes;
  m.nnotes = nno;
  if (!rec) {
    if (x->next_id == UINT32_MAX) {
      rc = px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "the memory holds the most units it can (2^32)");
      goto done;
    }
    id = x->next_id;
  }
  writing = 1;
  if ((rc = put_record(x, id, &m, (const char *const *)docs, ndo, !rec)) < 0)
    goto done;
  if (!rec)
    x->next_id++;
  /* index what is new */
  for (size_t i = nstored; i < nv; i++) {
    rc = index_variant(x, id, vs[i].lang, &vkd[i]->kd, &vkd[i]->vt, 0);
    if (rc < 0)
      goto done;
    x->d_variants++;
    x->d_text += (int64_t)vs[i].len;
    if ((rc = lang_delta_add(x, vs[i].lang, 1)) < 0)
      goto done;
  }
  if (u->doc_id && u->doc_id[0] && (rc = doc_index(x, id, u->doc_id, 0)) < 0)
    goto done;
  if (!rec)
    x->d_units++;
  *id_out = id;
  *was_new = rec == NULL;
done:
  if (rc < 0 && rc != GROW_AND_REPLAY && writing)
    x->broken = 1; /* half-written: the transaction cannot commit */
  if (rec)
    px_unit_free(&rec->u);
  px_free(vs);
  px_free(vkd);
  px_free(props);
  px_free(notes);
  px_free(docs);
  return rc;
}

/* Prepare and add u. */
static int do_add(px_tm_txn *x, const px_unit *u, uint32_t *id_out,
                  int *was_new) {
  prep *p = NULL;
  size_t np = 0;
  int rc = prep_unit(u, &p, &np);
  if (rc == 0)
    rc = add_prepped(x, u, p, np, id_out, was_new);
  prep_dispose(p, np);
  px_free(p);
  return rc;
}

static int do_delete(px_tm_txn *x, uint32_t id) {
  px_tm__rec *rec = NULL;
  int rc = pending_flush(x); /* postings of units added in this txn */
  if (rc == 0)
    rc = merge_all_in(x); /* and of bulk runs: words must be complete */
  if (rc < 0)
    return rc;
  rc = get_record(x, id, &rec);
  if (rc < 0)
    return rc;
  for (size_t i = 0; i < rec->u.nvariants; i++) {
    const px_variant *v = &rec->u.variants[i];
    if ((rc = index_stored(x, id, v, 1)) < 0)
      goto done;
    x->d_variants--;
    x->d_text -= (int64_t)v->len;
    if ((rc = lang_delta_add(x, v->lang, -1)) < 0)
      goto done;
  }
  for (size_t i = 0; i < rec->ndocs; i++)
    if ((rc = doc_index(x, id, rec->docs[i], 1)) < 0)
      goto done;
  unsigned char kb[4];
  px_tm__put_u32(kb, id);
  MDB_val k = {4, kb};
  int mrc = mdb_del(x->t, x->tm->units, &k, NULL);
  if (mrc) {
    rc = mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                             : px_tm__mdb_error(mrc, "deleting a unit");
    goto done;
  }
  x->d_units--;
done:
  px_unit_free(&rec->u);
  return rc;
}

static int do_delete_doc(px_tm_txn *x, const char *doc, uint64_t *deleted) {
  *deleted = 0;
  size_t n = strlen(doc);
  if (n > 480)
    n = 480;
  /* collect the ids first: deleting changes the list under the cursor */
  uint32_t *ids = NULL;
  size_t nids = 0, cap = 0;
  MDB_cursor *cur = NULL;
  int rc = 0;
  int mrc = mdb_cursor_open(x->t, x->tm->docs, &cur);
  MDB_val k = {n, (void *)doc}, v;
  if (!mrc)
    mrc = mdb_cursor_get(cur, &k, &v, MDB_SET);
  while (mrc == 0) {
    if (PX_GROW(ids, nids, cap) < 0) {
      rc = PX_ENOMEM;
      goto done;
    }
    ids[nids++] = px_tm__get_u32(v.mv_data);
    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_DUP);
  }
  if (mrc != MDB_NOTFOUND) {
    rc = px_tm__mdb_error(mrc, "reading the document index");
    goto done;
  }
  mdb_cursor_close(cur);
  cur = NULL;
  for (size_t i = 0; i < nids; i++) {
    rc = do_delete(x, ids[i]);
    if (rc == PX_ENOTFOUND) {
      rc = 0;
      continue;
    }
    if (rc < 0)
      goto done;
    (*deleted)++;
  }
  /* entries of units that were already gone */
  k.mv_size = n;
  k.mv_data = (void *)doc;
  mrc = mdb_del(x->t, x->tm->docs, &k, NULL);
  if (mrc && mrc != MDB_NOTFOUND)
    rc = mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                             : px_tm__mdb_error(mrc, "deleting a document");
done:
  if (cur)
    mdb_cursor_close(cur);
  px_free(ids);
  return rc;
}

static int do_meta_put(px_tm_txn *x, const char *key, size_t klen,
                       const void *val, size_t len) {
  char kb[256];
  int w = snprintf(kb, sizeof kb, "user:%.*s", (int)klen, key);
  MDB_val k = {(size_t)w, kb}, v = {len, (void *)val};
  int mrc = mdb_put(x->t, x->tm->meta, &k, &v, 0);
  if (mrc)
    return mrc == MDB_MAP_FULL ? GROW_AND_REPLAY
                               : px_tm__mdb_error(mrc, "writing meta");
  return 0;
}

/* Replays / runs one logged op.  check: compare the result with the one
 * logged (a replay after another process committed may differ). */
static int run_op(px_tm_txn *x, const unsigned char *op, size_t len,
                  int check) {
  int rc = 0;
  const unsigned char *end = op + len;
  int type = op[0];
  op++;
  if (type == OP_ADD) {
    /* [u32 reclen][record][u32 id][u8 was_new] */
    uint32_t rl = px_tm__get_u32(op);
    uint32_t id = 0;
    int was_new = 0;
    if (x->ready && !x->replaying) { /* prepared: its forms are ready */
      const px_tm__prepared *pr = x->ready;
      rc = add_prepped(x, &pr->rec->u, pr->p, pr->np, &id, &was_new);
    } else {
      px_tm__rec *rec = NULL;
      rc = px_tm__rec_decode(&rec, op + 4, rl, 0);
      if (rc < 0)
        return rc;
      rc = do_add(x, &rec->u, &id, &was_new);
      px_unit_free(&rec->u);
    }
    unsigned char *res = (unsigned char *)(op + 4 + rl);
    if (rc == 0) {
      if (check && (px_tm__get_u32(res) != id || res[4] != was_new))
        return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                            "%s: another process wrote while this "
                            "transaction grew the map; nothing committed, "
                            "try again",
                            x->tm->path);
      px_tm__put_u32(res, id);
      res[4] = (unsigned char)was_new;
    }
  } else if (type == OP_DEL) {
    rc = do_delete(x, px_tm__get_u32(op));
  } else if (type == OP_DELDOC) {
    uint64_t n = 0;
    rc = do_delete_doc(x, (const char *)op, &n);
    unsigned char *res = (unsigned char *)(end - 8);
    if (rc == 0) {
      if (check && get_u64(res) != n)
        return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                            "%s: another process wrote while this "
                            "transaction grew the map; try again",
                            x->tm->path);
      put_u64(res, n);
    }
  } else if (type == OP_META) {
    size_t kl = strlen((const char *)op);
    rc = do_meta_put(x, (const char *)op, kl, op + kl + 1,
                     (size_t)(end - (op + kl + 1)));
  }
  return rc;
}

static int txn_check(px_tm_txn *x) {
  if (!x || !x->t)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_INVALID, 0,
                        "invalid argument: txn");
  if (x->broken)
    return px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                        "%s: the transaction failed earlier", x->tm->path);
  return 0;
}

/* Log an OP_ADD of the encoded unit (rec, len) and run it. */
static int add_logged(px_tm_txn *x, const void *rec, size_t len,
                      uint64_t *id_out, int *was_new) {
  size_t at;
  unsigned char res[5] = {0}, rl[4];
  int rc;
  px_tm__put_u32(rl, (uint32_t)len);
  if ((rc = log_begin(x, OP_ADD, &at)) < 0 ||
      (rc = px_buf_put(&x->log, rl, 4)) < 0 ||
      (rc = px_buf_put(&x->log, rec, len)) < 0 ||
      (rc = px_buf_put(&x->log, res, 5)) < 0) {
    x->log.len = at;
    return rc;
  }
  log_end(x, at);
  rc = exec_logged(x, at);
  if (rc < 0)
    return rc;
  const unsigned char *r = (const unsigned char *)x->log.ptr + x->log.len - 5;
  if (id_out)
    *id_out = px_tm__get_u32(r);
  if (was_new)
    *was_new = r[4];
  return 0;
}

int px_tm_add(px_tm_txn *x, const px_unit *u, uint64_t *id_out, int *was_new) {
  int rc = txn_check(x);
  if (rc < 0)
    return rc;
  PX_ASSERT_ARG(u);
  PX_ASSERT_ARG(u->variants || u->nvariants == 0);
  if (u->nvariants == 0)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "a unit has no variants");
  /* the encoder refuses nothing do_add accepts, except doc lists */
  if ((rc = px_tm__rec_encode(&x->rec, u, NULL, 0)) < 0)
    return rc;
  return add_logged(x, x->rec.ptr, x->rec.len, id_out, was_new);
}

void px_tm__prepared_free(px_tm__prepared *pr) {
  if (!pr)
    return;
  prep_dispose(pr->p, pr->np);
  px_free(pr->p);
  if (pr->rec)
    px_unit_free(&pr->rec->u);
  px_buf_dispose(&pr->enc);
  px_free(pr);
}

int px_tm__prepare(px_tm__prepared **out, const px_unit *u, int full) {
  PX_ASSERT_ARG(out && u);
  PX_ASSERT_ARG(u->variants || u->nvariants == 0);
  *out = NULL;
  if (u->nvariants == 0)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "a unit has no variants");
  px_tm__prepared *pr = px_calloc(1, sizeof *pr);
  if (!pr)
    return PX_ENOMEM;
  px_buf_init(&pr->enc, 0);
  /* encoding and decoding again copies u and gives exactly what a replay
   * of the log would add */
  int rc = px_tm__rec_encode(&pr->enc, u, NULL, 0);
  if (rc == 0)
    rc = px_tm__rec_decode(&pr->rec, pr->enc.ptr, pr->enc.len, 0);
  if (rc == 0 && full)
    rc = px_tm__prepare_finish(pr);
  if (rc < 0) {
    px_tm__prepared_free(pr);
    return rc;
  }
  *out = pr;
  return 0;
}

int px_tm__prepare_finish(px_tm__prepared *pr) {
  PX_ASSERT_ARG(pr && pr->rec);
  if (pr->prepped)
    return 0;
  int rc = prep_unit(&pr->rec->u, &pr->p, &pr->np);
  if (rc < 0) {
    prep_dispose(pr->p, pr->np);
    px_free(pr->p);
    pr->p = NULL;
    pr->np = 0;
    return rc;
  }
  pr->prepped = 1;
  return 0;
}

int px_tm__add_prepared(px_tm_txn *x, px_tm__prepared *pr, uint64_t *id_out,
                        int *was_new) {
  int rc = txn_check(x);
  if (rc < 0)
    return rc;
  PX_ASSERT_ARG(pr);
  if ((rc = px_tm__prepare_finish(pr)) < 0)
    return rc;
  x->ready = pr;
  rc = add_logged(x, pr->enc.ptr, pr->enc.len, id_out, was_new);
  x->ready = NULL;
  if (rc == 0 && x->tm->bulk)
    maybe_drop(x->tm);
  return rc;
}

int px_tm_delete_unit(px_tm_txn *x, uint64_t id) {
  int rc = txn_check(x);
  if (rc < 0)
    return rc;
  if (id == 0 || id > UINT32_MAX)
    return px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, 0, "no unit %llu",
                        (unsigned long long)id);
  size_t at;
  unsigned char b[4];
  px_tm__put_u32(b, (uint32_t)id);
  if ((rc = log_begin(x, OP_DEL, &at)) < 0 ||
      (rc = px_buf_put(&x->log, b, 4)) < 0) {
    x->log.len = at;
    return rc;
  }
  log_end(x, at);
  return exec_logged(x, at);
}

int px_tm_delete_doc(px_tm_txn *x, const char *doc_id, uint64_t *deleted) {
  int rc = txn_check(x);
  if (rc < 0)
    return rc;
  PX_ASSERT_ARG(doc_id);
  size_t at;
  unsigned char z[8] = {0};
  if ((rc = log_begin(x, OP_DELDOC, &at)) < 0 ||
      (rc = px_buf_put(&x->log, doc_id, strlen(doc_id) + 1)) < 0 ||
      (rc = px_buf_put(&x->log, z, 8)) < 0) {
    x->log.len = at;
    return rc;
  }
  log_end(x, at);
  if ((rc = exec_logged(x, at)) < 0)
    return rc;
  if (deleted)
    *deleted = get_u64(x->log.ptr + x->log.len - 8);
  return 0;
}

int px_tm_meta_put(px_tm_txn *x, const char *key, const void *val, size_t len) {
  int rc = txn_check(x);
  if (rc < 0)
    return rc;
  PX_ASSERT_ARG(key && (val || !len));
  size_t kl = strlen(key);
  if (kl == 0 || kl > 200)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "a meta key must be 1 to 200 bytes");
  if (len > META_MAX)
    return px_error_set(PX_ETOOBIG, PX_ERRCLASS_TM, 0,
                        "a meta value is %zu bytes; the limit is %u", len,
                        META_MAX);
  size_t at;
  if ((rc = log_begin(x, OP_META, &at)) < 0 ||
      (rc = px_buf_put(&x->log, key, kl + 1)) < 0 ||
      (len && (rc = px_buf_put(&x->log, val, len)) < 0)) {
    x->log.len = at;
    return rc;
  }
  log_end(x, at);
  return exec_logged(x, at);
}

int px_tm_meta_get(px_tm *tm, const char *key, char **out, size_t *len) {
  PX_ASSERT_ARG(tm && key && out);
  char kb[256];
  int w = snprintf(kb, sizeof kb, "user:%s", key);
  if (w < 0 || (size_t)w >= sizeof kb)
    return px_error_set(PX_EINVALID, PX_ERRCLASS_TM, 0,
                        "a meta key must be 1 to 200 bytes");
  MDB_txn *t = NULL;
  int rc = 0;
  int own = !(tm->txn && tm->txn->t);
  if (!own)
    t = tm->txn->t;
  else if ((rc = px_tm__read_begin(tm, &t)) < 0)
    return rc;
  MDB_val k = {(size_t)w, kb}, v;
  int mrc = mdb_get(t, tm->meta, &k, &v);
  if (mrc == MDB_NOTFOUND)
    rc = px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, mrc, "%s: no meta '%s'",
                      tm->path, key);
  else if (mrc)
    rc = px_tm__mdb_error(mrc, tm->path);
  else {
    char *s = px_strndup(v.mv_data, v.mv_size);
    if (!s)
      rc = PX_ENOMEM;
    else {
      *out = s;
      if (len)
        *len = v.mv_size;
    }
  }
  if (own)
    px_tm__read_end(tm, t);
  return rc;
}

/* ---- reading ------------------------------------------------------------- */

int px_tm_get(px_unit **out, px_tm *tm, uint64_t id) {
  PX_ASSERT_ARG(out && tm);
  if (id == 0 || id > UINT32_MAX)
    return px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, 0, "no unit %llu",
                        (unsigned long long)id);
  MDB_txn *t = NULL;
  int rc = px_tm__read_begin(tm, &t);
  if (rc < 0)
    return rc;
  unsigned char kb[4];
  px_tm__put_u32(kb, (uint32_t)id);
  MDB_val k = {4, kb}, v;
  int mrc = mdb_get(t, tm->units, &k, &v);
  if (mrc == MDB_NOTFOUND)
    rc = px_error_set(PX_ENOTFOUND, PX_ERRCLASS_TM, mrc, "no unit %llu",
                      (unsigned long long)id);
  else if (mrc)
    rc = px_tm__mdb_error(mrc, tm->path);
  else {
    px_tm__rec *rec = NULL;
    rc = px_tm__rec_decode(&rec, v.mv_data, v.mv_size, id);
    if (rc == 0)
      *out = &rec->u;
  }
  px_tm__read_end(tm, t);
  return rc;
}

const px_variant *px_unit_variant(const px_unit *u, const char *lang) {
  if (!u || !lang)
    return NULL;
  for (size_t i = 0; i < u->nvariants; i++)
    if (px_lang_equal(u->variants[i].lang, lang))
      return &u->variants[i];
  char key[PX_TM__LANG_MAX + 1], k2[PX_TM__LANG_MAX + 1];
  if (px_tm__lang_key(key, sizeof key, lang) < 0) {
    px_error_clear();
    return NULL;
  }
  for (size_t i = 0; i < u->nvariants; i++)
    if (px_tm__lang_key(k2, sizeof k2, u->variants[i].lang) == 0 &&
        strcmp(k2, key) == 0)
      return &u->variants[i];
  return NULL;
}

struct px_tm_iter {
  px_tm *tm;
  MDB_txn *t;
  uint32_t next; /* the smallest id not yet returned */
  int done;
  px_tm__rec *cur;
};

int px_tm_iter_new(px_tm_iter **out, px_tm *tm) {
  PX_ASSERT_ARG(out && tm);
  px_tm_iter *it = px_calloc(1, sizeof *it);
  if (!it)
    return PX_ENOMEM;
  it->tm = tm;
  it->next = 1;
  int rc = begin_read(tm, &it->t);
  if (rc < 0) {
    px_free(it);
    return rc;
  }
  *out = it;
  return 0;
}

int px_tm_iter_next(px_tm_iter *it, const px_unit **out) {
  PX_ASSERT_ARG(it && out);
  if (it->cur) {
    px_unit_free(&it->cur->u);
    it->cur = NULL;
  }
  if (it->done)
    return PX_ITEROVER;
  /* a cursor per call: the map may be remapped between calls when this
   * process grows it */
  MDB_cursor *cur = NULL;
  int mrc = mdb_cursor_open(it->t, it->tm->units, &cur);
  if (mrc)
    return px_tm__mdb_error(mrc, "iterating");
  unsigned char kb[4];
  px_tm__put_u32(kb, it->next);
  MDB_val k = {4, kb}, v;
  mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
  int rc = 0;
  if (mrc == MDB_NOTFOUND) {
    it->done = 1;
    rc = PX_ITEROVER;
  } else if (mrc)
    rc = px_tm__mdb_error(mrc, "iterating");
  else if (k.mv_size != 4)
    rc = px_error_set(PX_ESTORE, PX_ERRCLASS_TM, 0,
                      "corrupt unit key of %zu bytes", k.mv_size);
  else {
    uint32_t id = px_tm__get_u32(k.mv_data);
    if (id == UINT32_MAX)
      it->done = 1;
    it->next = id + 1;
    rc = px_tm__rec_decode(&it->cur, v.mv_data, v.mv_size, id);
    if (rc == 0)
      *out = &it->cur->u;
  }
  mdb_cursor_close(cur);
  return rc;
}

void px_tm_iter_free(px_tm_iter *it) {
  if (!it)
    return;
  if (it->cur)
    px_unit_free(&it->cur->u);
  mdb_txn_abort(it->t);
  px_free(it);
}

int px_tm_stats(px_tm_stat **out, px_tm *tm) {
  PX_ASSERT_ARG(out && tm);
  MDB_txn *t = NULL;
  px_tm_stat *s = NULL;
  MDB_cursor *cur = NULL;
  int rc = px_tm__read_begin(tm, &t);
  if (rc < 0)
    return rc;
  /* count languages first */
  size_t nl = 0;
  int mrc = mdb_cursor_open(t, tm->meta, &cur);
  MDB_val k = {5, (void *)"lang:"}, v;
  if (!mrc)
    mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
  while (mrc == 0 && k.mv_size > 5 && memcmp(k.mv_data, "lang:", 5) == 0) {
    nl++;
    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
  }
  if (mrc && mrc != MDB_NOTFOUND) {
    rc = px_tm__mdb_error(mrc, tm->path);
    goto done;
  }
  s = px_calloc(1, sizeof *s + nl * sizeof(px_tm_lang_count));
  if (!s) {
    rc = PX_ENOMEM;
    goto done;
  }
  s->langs = (px_tm_lang_count *)(void *)(s + 1);
  k.mv_size = 5;
  k.mv_data = (void *)"lang:";
  mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
  while (mrc == 0 && s->nlangs < nl && k.mv_size > 5 &&
         memcmp(k.mv_data, "lang:", 5) == 0) {
    px_tm_lang_count *l = &s->langs[s->nlangs++];
    size_t n =
        k.mv_size - 5 < sizeof l->lang - 1 ? k.mv_size - 5 : sizeof l->lang - 1;
    memcpy(l->lang, (char *)k.mv_data + 5, n);
    l->variants = v.mv_size == 8 ? get_u64(v.mv_data) : 0;
    mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
  }
  mdb_cursor_close(cur);
  cur = NULL;
  if ((mrc = meta_get_u64(t, tm, "units", &s->units)) ||
      (mrc = meta_get_u64(t, tm, "variants", &s->variants)) ||
      (mrc = meta_get_u64(t, tm, "text_bytes", &s->text_bytes))) {
    rc = px_tm__mdb_error(mrc, tm->path);
    goto done;
  }
  /* distinct documents and index terms: walk the keys */
  MDB_dbi dbs[2] = {tm->docs, tm->words};
  uint64_t *cnt[2] = {&s->docs, &s->index_terms};
  for (int i = 0; i < 2; i++) {
    if ((mrc = mdb_cursor_open(t, dbs[i], &cur))) {
      rc = px_tm__mdb_error(mrc, tm->path);
      goto done;
    }
    mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (mrc == 0) {
      (*cnt[i])++;
      mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT_NODUP);
    }
    mdb_cursor_close(cur);
    cur = NULL;
  }
  MDB_envinfo info;
  MDB_stat st;
  mdb_env_info(tm->env, &info);
  mdb_env_stat(tm->env, &st);
  s->store_bytes = (uint64_t)(info.me_last_pgno + 1) * st.ms_psize;
  /* free pages: the freelist (database 0) holds page-number lists whose
   * first word is their length */
  if ((mrc = mdb_cursor_open(t, 0, &cur)) == 0) {
    uint64_t nfree = 0;
    mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST);
    while (mrc == 0) {
      if (v.mv_size >= sizeof(size_t)) {
        size_t npg;
        memcpy(&npg, v.mv_data, sizeof npg);
        nfree += npg;
      }
      mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
    }
    mdb_cursor_close(cur);
    cur = NULL;
    s->free_bytes = nfree * st.ms_psize;
  }
  s->map_bytes = info.me_mapsize;
  s->readers = info.me_numreaders;
  s->schema = PX_TM_SCHEMA_VERSION;
  *out = s;
  s = NULL;
done:
  if (cur)
    mdb_cursor_close(cur);
  px_free(s);
  px_tm__read_end(tm, t);
  return rc;
}
