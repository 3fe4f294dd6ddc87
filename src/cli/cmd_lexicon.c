/*
 * cmd_lexicon.c: `parallax lexicon`, a window onto the bilingual lexicons
 * the aligner uses: show the translations of words, report what was loaded
 * from where, and convert a FreeDict dictd dictionary into our TSV format
 * so it can be read, edited and shipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

extern const cli_command cli_cmd_lexicon;

enum {
  OPT_SRC = 1,
  OPT_TGT,
  OPT_LEXICON,
  OPT_NO_DEFAULT,
  OPT_FORMAT,
  OPT_DICTD,
  OPT_REVERSE,
  OPT_OUTPUT
};

static const cli_opt opts[] = {
    {"src-lang", 's', "LANG",
     "source language of the lexicon (fa, ru, ar, ur, tr, de...)", OPT_SRC},
    {"tgt-lang", 't', "LANG", "target language (default: en)", OPT_TGT},
    {"lexicon", 'l', "FILE",
     "also load this TSV lexicon (src<TAB>tgt[<TAB>weight]); repeatable",
     OPT_LEXICON},
    {"no-default", 0, NULL,
     "do not load the shipped and installed lexicons, only --lexicon files",
     OPT_NO_DEFAULT},
    {"format", 'f', "FMT", "output of show and stats: text (default) or json",
     OPT_FORMAT},
    {"dictd", 0, "INDEX", "import: the FreeDict .index file to convert",
     OPT_DICTD},
    {"reverse", 0, NULL,
     "import: read the dictionary target -> source (eng-rus as ru -> en)",
     OPT_REVERSE},
    {"output", 'o', "FILE", "import: write the TSV here (default: stdout)",
     OPT_OUTPUT},
    {0}};

typedef struct args {
  const char *action;
  const char *src, *tgt;
  const char **lexicons;
  size_t nlex;
  const char **words;
  size_t nwords;
  int no_default, json, reverse;
  const char *dictd, *output;
} args;

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Build the lexicon the aligner would use, plus --lexicon files. */
static int load(const args *a, px_lexicon **out, double *seconds) {
  px_lexicon *lx = NULL;
  double t0 = now_seconds();
  int rc = px_lexicon_new(&lx, a->src, a->tgt);
  if (rc == 0 && !a->no_default)
    rc = px_lexicon_load_default(lx);
  for (size_t i = 0; rc == 0 && i < a->nlex; i++)
    rc = px_lexicon_load_tsv(lx, a->lexicons[i]);
  if (rc < 0) {
    px_lexicon_free(lx);
    return cli_fail("lexicon", rc);
  }
  *seconds = now_seconds() - t0;
  *out = lx;
  return 0;
}

static int show(const args *a) {
  px_lexicon *lx = NULL;
  double secs = 0;
  int ex = load(a, &lx, &secs), missing = 0;
  if (ex)
    return ex;
  if (a->json)
    printf("{\"src_lang\":\"%s\",\"tgt_lang\":\"%s\",\"words\":[",
           px_lexicon_src_lang(lx), px_lexicon_tgt_lang(lx));
  for (size_t i = 0; i < a->nwords; i++) {
    const char *w = a->words[i];
    char *norm = NULL;
    size_t nlen = 0;
    int rc = px_lexicon_normalize_word(&norm, &nlen, w, strlen(w));
    if (rc < 0) {
      ex = cli_fail("lexicon", rc);
      break;
    }
    const px_lexicon_entry *e = NULL;
    size_t n = 0;
    rc = px_lexicon_lookup(lx, norm, nlen, &e, &n);
    if (rc == PX_ENOTFOUND)
      missing++;
    if (a->json) {
      printf("%s{\"word\":", i ? "," : "");
      cli_json_str(stdout, w, strlen(w));
      printf(",\"normalized\":");
      cli_json_str(stdout, norm, nlen);
      printf(",\"translations\":[");
      for (size_t j = 0; j < n; j++) {
        printf("%s{\"tgt\":", j ? "," : "");
        cli_json_str(stdout, e[j].tgt, strlen(e[j].tgt));
        printf(",\"weight\":%.2f}", (double)e[j].weight);
      }
      printf("]}");
    } else if (n == 0) {
      cli_errorf("lexicon", "'%s' is not in the %s-%s lexicon", w,
                 px_lexicon_src_lang(lx), px_lexicon_tgt_lang(lx));
    } else {
      for (size_t j = 0; j < n; j++)
        printf("%s\t%s\t%.2f\n", e[j].src, e[j].tgt, (double)e[j].weight);
    }
    px_free(norm);
  }
  if (a->json && !ex)
    printf("]}\n");
  px_lexicon_free(lx);
  if (ex)
    return ex;
  return missing ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

typedef struct src_count {
  const char *last;
  size_t n;
} src_count;

/* Entries come grouped by source word, so a change of the (interned) src
 * pointer is a new word. */
static int count_src(const px_lexicon_entry *e, void *payload) {
  src_count *c = payload;
  if (e->src != c->last) {
    c->last = e->src;
    c->n++;
  }
  return 0;
}

static int stats(const args *a) {
  px_lexicon *lx = NULL;
  double secs = 0;
  int ex = load(a, &lx, &secs);
  if (ex)
    return ex;
  src_count cnt = {NULL, 0};
  px_lexicon_foreach(lx, count_src, &cnt);
  size_t nsrc = px_lexicon_source_count(lx);
  if (a->json) {
    printf("{\"src_lang\":\"%s\",\"tgt_lang\":\"%s\",\"entries\":%zu,"
           "\"source_words\":%zu,\"max_words\":%zu,\"seconds\":%.3f,"
           "\"sources\":[",
           px_lexicon_src_lang(lx), px_lexicon_tgt_lang(lx),
           px_lexicon_size(lx), cnt.n, px_lexicon_max_words(lx), secs);
    for (size_t i = 0; i < nsrc; i++) {
      const px_lexicon_source *s = px_lexicon_source_at(lx, i);
      printf("%s{\"kind\":\"%s\",\"path\":", i ? "," : "", s->kind);
      cli_json_str(stdout, s->path, strlen(s->path));
      printf(",\"reversed\":%s,\"records\":%zu,\"added\":%zu,"
             "\"seconds\":%.3f}",
             s->reversed ? "true" : "false", s->records, s->added, s->seconds);
    }
    printf("]}\n");
  } else {
    printf("lexicon %s-%s: %zu entries, %zu source words, phrases up to %zu "
           "words, loaded in %.3f s\n",
           px_lexicon_src_lang(lx), px_lexicon_tgt_lang(lx),
           px_lexicon_size(lx), cnt.n, px_lexicon_max_words(lx), secs);
    if (nsrc == 0)
      printf("  (nothing loaded: no lexicon is shipped or installed for "
             "this pair)\n");
    for (size_t i = 0; i < nsrc; i++) {
      const px_lexicon_source *s = px_lexicon_source_at(lx, i);
      printf("  %-5s %8zu records %8zu entries %7.3f s  %s%s\n", s->kind,
             s->records, s->added, s->seconds, s->path,
             s->reversed ? " (reversed)" : "");
    }
  }
  px_lexicon_free(lx);
  return CLI_EXIT_OK;
}

/* "freedict-eng-rus.index" -> "eng", "rus" (for particle rules). */
static void langs_from_name(const char *path, char *a, char *b) {
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *p = strstr(base, "freedict-");
  a[0] = b[0] = '\0';
  if (!p)
    return;
  p += 9;
  const char *d = strchr(p, '-');
  if (!d || d - p > 8)
    return;
  memcpy(a, p, (size_t)(d - p));
  a[d - p] = '\0';
  const char *e = d + 1;
  size_t n = 0;
  while (e[n] && e[n] != '.' && e[n] != '-' && n < 8)
    n++;
  memcpy(b, e, n);
  b[n] = '\0';
}

typedef struct writer {
  FILE *f;
  int err;
} writer;

static int write_entry(const px_lexicon_entry *e, void *payload) {
  writer *w = payload;
  if (fprintf(w->f, "%s\t%s\t%.2f\n", e->src, e->tgt, (double)e->weight) < 0)
    return w->err = 1;
  return 0;
}

static int import(const args *a) {
  char fa[9], fb[9];
  langs_from_name(a->dictd, fa, fb);
  /* Languages only steer cleaning ("to go" -> "go" on an English side);
   * without a freedict-XXX-YYY name or options, "und" applies none. */
  const char *s = a->src ? a->src : (a->reverse ? fb : fa);
  const char *t = a->tgt ? a->tgt : (a->reverse ? fa : fb);
  if (!s[0])
    s = "und";
  if (!t[0])
    t = "und";
  px_lexicon *lx = NULL;
  int rc = px_lexicon_new(&lx, s, t);
  if (rc == 0)
    rc = px_lexicon_load_dictd(lx, a->dictd, a->reverse);
  if (rc < 0) {
    px_lexicon_free(lx);
    return cli_fail("lexicon", rc);
  }
  int to_stdout = !a->output || strcmp(a->output, "-") == 0;
  FILE *f = to_stdout ? stdout : fopen(a->output, "w");
  if (!f) {
    int missing = errno == ENOENT || errno == ENOTDIR;
    cli_errorf("lexicon", "%s: cannot create: %s", a->output, strerror(errno));
    px_lexicon_free(lx);
    return missing ? CLI_EXIT_DATA : CLI_EXIT_IO;
  }
  writer w = {f, 0};
  fprintf(f,
          "# %s-%s lexicon imported by 'parallax lexicon import' from %s%s\n"
          "# source<TAB>translation<TAB>weight; licence: that of the "
          "dictionary\n",
          s, t, a->dictd, a->reverse ? " (reversed)" : "");
  px_lexicon_foreach(lx, write_entry, &w);
  size_t n = px_lexicon_size(lx);
  px_lexicon_free(lx);
  if (fflush(f) != 0)
    w.err = 1;
  if (!to_stdout && fclose(f) != 0)
    w.err = 1;
  if (w.err) {
    cli_errorf("lexicon", "%s: write failed: %s",
               to_stdout ? "stdout" : a->output, strerror(errno));
    return CLI_EXIT_IO;
  }
  if (!to_stdout)
    fprintf(stderr, "parallax lexicon: wrote %zu entries to %s\n", n,
            a->output);
  return CLI_EXIT_OK;
}

static int run(int argc, char **argv) {
  args a;
  memset(&a, 0, sizeof a);
  a.tgt = NULL;
  const char *fmt = "text";
  int ex = CLI_EXIT_OK;
  a.lexicons = calloc((size_t)argc + 1, sizeof *a.lexicons);
  a.words = calloc((size_t)argc + 1, sizeof *a.words);
  if (!a.lexicons || !a.words) {
    cli_errorf("lexicon", "out of memory");
    ex = CLI_EXIT_IO;
    goto done;
  }
  cli_parser p;
  cli_parser_init(&p, &cli_cmd_lexicon, argc, argv);
  const char *arg;
  int id;
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: ex = cli_help_exit(&cli_cmd_lexicon); goto done;
    case CLI_BAD: ex = CLI_EXIT_USAGE; goto done;
    case CLI_ARG:
      if (!a.action)
        a.action = arg;
      else
        a.words[a.nwords++] = arg;
      break;
    case OPT_SRC: a.src = arg; break;
    case OPT_TGT: a.tgt = arg; break;
    case OPT_LEXICON: a.lexicons[a.nlex++] = arg; break;
    case OPT_NO_DEFAULT: a.no_default = 1; break;
    case OPT_FORMAT: fmt = arg; break;
    case OPT_DICTD: a.dictd = arg; break;
    case OPT_REVERSE: a.reverse = 1; break;
    case OPT_OUTPUT: a.output = arg; break;
    default: break;
    }
  }
  if (strcmp(fmt, "text") == 0)
    a.json = 0;
  else if (strcmp(fmt, "json") == 0)
    a.json = 1;
  else {
    ex = cli_usage_error(&cli_cmd_lexicon,
                         "--format must be text or json, not '%s'", fmt);
    goto done;
  }
  if (!a.action) {
    ex = cli_usage_error(&cli_cmd_lexicon,
                         "missing action: show, stats or import");
    goto done;
  }
  if (strcmp(a.action, "import") == 0) {
    if (!a.dictd)
      ex = cli_usage_error(&cli_cmd_lexicon, "import: --dictd INDEX is "
                                             "required");
    else if (a.nwords)
      ex = cli_usage_error(&cli_cmd_lexicon,
                           "import: unexpected argument "
                           "'%s'",
                           a.words[0]);
    else
      ex = import(&a);
    goto done;
  }
  int is_show = strcmp(a.action, "show") == 0;
  if (!is_show && strcmp(a.action, "stats") != 0) {
    ex = cli_usage_error(&cli_cmd_lexicon,
                         "unknown action '%s' (show, stats or import)",
                         a.action);
    goto done;
  }
  if (!a.src) {
    ex = cli_usage_error(&cli_cmd_lexicon, "%s: --src-lang is required",
                         a.action);
    goto done;
  }
  if (!a.tgt)
    a.tgt = "en";
  if (is_show && a.nwords == 0) {
    ex = cli_usage_error(&cli_cmd_lexicon, "show: give one or more words");
    goto done;
  }
  if (!is_show && a.nwords) {
    ex = cli_usage_error(&cli_cmd_lexicon, "stats: unexpected argument '%s'",
                         a.words[0]);
    goto done;
  }
  ex = is_show ? show(&a) : stats(&a);
done:
  free(a.lexicons);
  free(a.words);
  return ex;
}

const cli_command cli_cmd_lexicon = {
    "lexicon",
    "show, inspect and import the bilingual lexicons the aligner uses",
    "show|stats|import [OPTIONS] [WORD...]",
    "The aligner anchors sentences on words whose translations it knows.  "
    "Those come from bilingual lexicons: the TSV files shipped in "
    "dictionaries/lexicons/ (<src>-<tgt>[-*].tsv, e.g. fa-en.tsv; a "
    "<tgt>-<src> file is read in reverse) and the FreeDict dictionaries "
    "that Debian installs in /usr/share/dictd (freedict-<src>-<tgt>, or "
    "freedict-<tgt>-<src> read in reverse; $PARALLAX_DICTD_DIR overrides "
    "the directory).  The first load of a big FreeDict dictionary keeps "
    "what it parsed in a cache file ($PARALLAX_CACHE_DIR, else "
    "$XDG_CACHE_HOME/parallax, else ~/.cache/parallax; set it empty for "
    "none), checked against the dictionary's files on every later load, "
    "which then takes a fraction of the time.  Words are stored "
    "normalized: case folded, NFC, "
    "diacritics and Arabic harakat removed, Arabic-script letter variants "
    "folded and ZWNJ dropped, so a word is found however it was "
    "vowelled.\n\n"
    "'parallax lexicon show --src-lang fa WORD...' prints the translations "
    "of each word (source, translation, weight; one per line) and exits 1 "
    "if a word has none.\n\n"
    "'parallax lexicon stats --src-lang ru' reports what was loaded from "
    "where: each file, how many records it had and entries it added, and "
    "the time taken.\n\n"
    "'parallax lexicon import --dictd INDEX [--reverse] -o FILE.tsv' "
    "converts a dictd dictionary (.index beside .dict.dz or .dict) into a "
    "TSV lexicon, cleaned and normalized the way the aligner reads it.  The "
    "languages are taken from a freedict-XXX-YYY file name unless given.\n\n"
    "--lexicon FILE adds a TSV of your own (src<TAB>tgt[<TAB>weight], '#' "
    "comments) to show and stats; --no-default leaves out everything "
    "else.  Exit status: 0 ok, 1 a word was not found, 2 usage, 3 a "
    "malformed lexicon or invalid UTF-8 (the message names file:line), 4 a "
    "missing or unreadable file.",
    opts,
    run};
