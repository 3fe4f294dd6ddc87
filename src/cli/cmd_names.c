/*
 * cmd_names.c: `parallax names check|learn|compile`: name spelling
 * consistency.  check scans English files, aligned source/English pairs or
 * the whole translation memory against the names lexicon and Hunspell and
 * reports variants, banned spellings, unknown names close to known ones,
 * names spelt two ways and entities the English side lacks (exit 1 when
 * anything is reported); --fix writes corrected copies.  learn proposes
 * lexicon lines from aligned pairs; compile builds the Hunspell pair.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#define NAMES_MAX_FILE ((size_t)1 << 30)
#define MIN_BEAD_CONF                                                          \
  0.5 /* beads below it are not checked across languages                       \
       */

enum {
  O_FORMAT = 1,
  O_FIX,
  O_OUTPUT,
  O_INPLACE,
  O_LEXICON,
  O_AFF,
  O_DIC,
  O_PAIR,
  O_SRCLANG,
  O_SEGMENTED,
  O_TM,
  O_MEMORY,
  O_THRESHOLD
};

static const cli_opt opts[] = {
    {"format", 'f', "FMT",
     "check: output as text (default), json (one document) or jsonl", O_FORMAT},
    {"fix", 0, NULL,
     "check: write corrected copies applying only unambiguous replacements",
     O_FIX},
    {"output", 'o', "PATH",
     "check --fix: directory for corrected copies; learn: proposals file; "
     "compile: directory for names.aff and names.dic",
     O_OUTPUT},
    {"in-place", 0, NULL, "check --fix: replace each file (atomically)",
     O_INPLACE},
    {"lexicon", 'l', "FILE",
     "names lexicon TSV (default: the shipped dictionaries/names/names.tsv)",
     O_LEXICON},
    {"aff", 0, "FILE",
     "compiled names .aff (with --dic; default: the built one)", O_AFF},
    {"dic", 0, "FILE", "compiled names .dic (with --aff)", O_DIC},
    {"pair", 'p', NULL,
     "arguments are SRC EN file pairs: check each English file and, per "
     "aligned sentence pair, that the source's entities carry the house "
     "spelling",
     O_PAIR},
    {"src-lang", 's', "LANG", "language of the source files (default: guessed)",
     O_SRCLANG},
    {"segmented", 0, NULL,
     "with --pair: files hold one sentence per line, line N pairs with line "
     "N (no aligner)",
     O_SEGMENTED},
    {"tm", 0, "DIR",
     "check or learn from the translation memory in DIR (alone: "
     "$PARALLAX_TM or ./tm)",
     O_TM},
    {"memory", 'm', NULL, "check or learn from the default translation memory",
     O_MEMORY},
    {"threshold", 't', "X",
     "Jaro-Winkler floor (0.5-1) for unknown-close and inconsistency "
     "(default 0.88)",
     O_THRESHOLD},
    {0}};

static const char description[] =
    "Actions:\n"
    "  check FILE...         check English files: every finding is printed "
    "as\n"
    "                        FILE:LINE:COLUMN: KIND: FOUND -> HOUSE [entity]\n"
    "  check --pair SRC EN...  also check aligned pairs across languages\n"
    "  check --tm [DIR]      check every unit of a translation memory\n"
    "  learn --tm [DIR] | --pair SRC EN...  propose lexicon lines\n"
    "  compile [--lexicon FILE] -o DIR  build DIR/names.aff and names.dic\n"
    "\n"
    "Kinds: variant (a known variant of the house spelling: Rowhani -> "
    "Rouhani, Fateh al-Sham -> Fatah al Sham), banned (a spelling the house "
    "style forbids), unknown-close (a name in no dictionary that looks like "
    "a lexicon name: for review, never fixed), inconsistent (a name in no "
    "lexicon written two ways in a document, a batch or the memory: the "
    "majority form is proposed), missing (the source names an entity the "
    "English side does not carry).\n"
    "\n"
    "Names are found with ICU word tokens, longest-phrase matching against "
    "the lexicon (dictionaries/names/names.tsv, see its README) and two "
    "Hunspell dictionaries: the names pair compiled from the lexicon and "
    "Debian's en_US (set $PARALLAX_EN_AFF and $PARALLAX_EN_DIC to use "
    "another).\n"
    "\n"
    "--fix applies only variant and banned replacements that belong to one "
    "entity, keeps a possessive ('s) and the case of the found text, and "
    "preserves every other byte; it needs -o DIR or --in-place.\n"
    "\n"
    "Exit status: 0 nothing to report, 1 findings, 2 usage, 3 bad input "
    "(invalid UTF-8, malformed lexicon, missing dictionary), 4 I/O or store "
    "error.";

static int run(int argc, char **argv);

const cli_command cli_cmd_names = {
    "names",
    "check name spellings; learn them from the memory",
    "check|learn|compile [OPTIONS] [FILE...]",
    description,
    opts,
    run};

typedef struct names_cli {
  const char *action;
  const char *format;
  int fix, in_place, pair, segmented, memory;
  const char *output, *lexicon, *aff, *dic, *src_lang, *tm;
  double threshold;
  const char **files;
  size_t nfiles;
} names_cli;

/* ---- output ----------------------------------------------------------------
 */

typedef struct doc_text {
  char *path;
  char *text;
  size_t len;
  int fixed;
} doc_text;

static void print_finding(const names_cli *o, const px_names_check *c,
                          const px_names_finding *f, int fixed, int first) {
  const char *label =
      f->in_source ? f->src_label : px_names_check_label(c, f->doc);
  if (!label)
    label = "-";
  if (strcmp(o->format, "text") == 0) {
    if (f->kind == PX_NAMES_MISSING)
      printf("%s:%lu:%lu: missing: %s names %s; %s lacks \"%s\"\n", label,
             f->line, f->col, f->found, f->entity,
             px_names_check_label(c, f->doc), f->house);
    else
      printf("%s:%lu:%lu: %s: %s -> %s%s%s%s%s\n", label, f->line, f->col,
             px_names_kind_name(f->kind), f->found, f->house,
             f->entity[0] ? " [" : "", f->entity, f->entity[0] ? "]" : "",
             fixed ? " (fixed)" : "");
    return;
  }
  if (strcmp(o->format, "json") == 0)
    printf("%s\n    ", first ? "" : ",");
  printf("{\"file\": ");
  cli_json_str(stdout, label, strlen(label));
  printf(", \"line\": %lu, \"column\": %lu, \"offset\": %zu, \"length\": %zu, "
         "\"kind\": \"%s\", \"entity\": ",
         f->line, f->col, f->off, f->len, px_names_kind_name(f->kind));
  cli_json_str(stdout, f->entity, strlen(f->entity));
  printf(", \"found\": ");
  cli_json_str(stdout, f->found, strlen(f->found));
  printf(", \"house\": ");
  cli_json_str(stdout, f->house, strlen(f->house));
  if (f->kind == PX_NAMES_MISSING) {
    const char *en = px_names_check_label(c, f->doc);
    printf(", \"english\": ");
    cli_json_str(stdout, en, strlen(en));
  }
  printf(", \"fixable\": %s, \"fixed\": %s}", f->fixable ? "true" : "false",
         fixed ? "true" : "false");
  if (strcmp(o->format, "jsonl") == 0)
    printf("\n");
}

static int write_atomic(const char *path, const char *data, size_t len) {
  size_t pl = strlen(path);
  char *tmp = malloc(pl + 16);
  if (!tmp) {
    cli_errorf("names", "%s: out of memory", path);
    return CLI_EXIT_IO;
  }
  memcpy(tmp, path, pl);
  memcpy(tmp + pl, ".tmp-XXXXXX", 12);
  int fd = mkstemp(tmp);
  if (fd < 0) {
    cli_errorf("names", "%s: %s", path, strerror(errno));
    free(tmp);
    return CLI_EXIT_IO;
  }
  struct stat st;
  if (stat(path, &st) == 0)
    (void)fchmod(fd, st.st_mode & 07777);
  else
    (void)fchmod(fd, 0644);
  FILE *f = fdopen(fd, "wb");
  int bad = !f;
  if (f) {
    bad = fwrite(data, 1, len, f) != len;
    bad |= fclose(f) != 0;
  } else {
    close(fd);
  }
  if (bad || rename(tmp, path) != 0) {
    cli_errorf("names", "%s: cannot write: %s", path, strerror(errno));
    unlink(tmp);
    free(tmp);
    return CLI_EXIT_IO;
  }
  free(tmp);
  return 0;
}

static int fix_path(char **out, const names_cli *o, const char *path) {
  if (o->in_place) {
    *out = strdup(path);
  } else {
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(o->output) + strlen(base) + 2;
    *out = malloc(n);
    if (*out)
      snprintf(*out, n, "%s/%s", o->output, base);
  }
  return *out ? 0 : -1;
}

/* ---- inputs ----------------------------------------------------------------
 */

/* A regular file is read with one allocation of its size (the checker's
 * benchmark reads 70 MB files; growing a buffer would copy them again);
 * stdin and special files go through cli_read_file(). */
static int read_doc(doc_text *d, const char *path) {
  memset(d, 0, sizeof *d);
  d->path = strdup(path);
  if (!d->path)
    return CLI_EXIT_IO;
  struct stat st;
  FILE *f = strcmp(path, "-") ? fopen(path, "rb") : NULL;
  if (f && fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
      (size_t)st.st_size <= NAMES_MAX_FILE) {
    size_t size = (size_t)st.st_size;
    d->text = malloc(size + 1);
    size_t got = d->text ? fread(d->text, 1, size, f) : 0;
    int bad = !d->text || got != size || ferror(f);
    fclose(f);
    if (!bad) {
      d->text[size] = '\0';
      d->len = size;
      return 0;
    }
    free(d->text);
    d->text = NULL;
  } else if (f) {
    fclose(f);
  }
  return cli_read_file("names", path, NAMES_MAX_FILE, &d->text, &d->len);
}

static void free_doc(doc_text *d) {
  free(d->path);
  free(d->text);
  memset(d, 0, sizeof *d);
}

/* Lines of a --segmented file: [start, end) without the newline. */
typedef struct line_span {
  size_t start, end;
} line_span;

static size_t split_lines(line_span **out, const char *s, size_t len) {
  size_t n = 0, cap = 64;
  line_span *v = malloc(cap * sizeof *v);
  if (!v)
    return 0;
  for (size_t a = 0; a < len;) {
    const char *nl = memchr(s + a, '\n', len - a);
    size_t e = nl ? (size_t)(nl - s) : len;
    if (n == cap) {
      line_span *nv = realloc(v, cap * 2 * sizeof *v);
      if (!nv)
        break;
      v = nv;
      cap *= 2;
    }
    size_t ee = e > a && s[e - 1] == '\r' ? e - 1 : e;
    v[n].start = a;
    v[n].end = ee;
    n++;
    a = e + 1;
  }
  *out = v;
  return n;
}

/* Check one SRC/EN file pair: the English document, then each aligned
 * bead (or each line pair with --segmented). */
static int check_pair_files(const names_cli *o, px_names_check *c,
                            doc_text *src, doc_text *en, size_t *doc_out,
                            int en_checked) {
  int rc = 0;
  if (!en_checked &&
      (rc = px_names_check_text(c, doc_out, en->path, en->text, en->len)) < 0)
    return cli_fail("names", rc);
  const char *lang = o->src_lang
                         ? o->src_lang
                         : px_text_guess_lang(src->text, src->len, "und");
  if (o->segmented) {
    line_span *ls = NULL, *le = NULL;
    size_t ns = split_lines(&ls, src->text, src->len);
    size_t ne = split_lines(&le, en->text, en->len);
    for (size_t i = 0; i < ns && i < ne && rc == 0; i++)
      rc = px_names_check_bead(c, *doc_out, src->path, src->text, src->len,
                               lang, ls[i].start, ls[i].end, en->text, en->len,
                               le[i].start, le[i].end);
    free(ls);
    free(le);
    return rc < 0 ? cli_fail("names", rc) : 0;
  }
  px_segment_rules *rules = NULL;
  px_segment_list *ss = NULL, *se = NULL;
  px_align *al = NULL;
  px_bead *beads = NULL;
  px_align_sent *as = NULL, *ae = NULL;
  size_t nb = 0;
  px_segment_opts so = PX_SEGMENT_OPTS_INIT, eo = PX_SEGMENT_OPTS_INIT;
  so.lang = lang;
  eo.lang = "en";
  px_align_opts ao = PX_ALIGN_OPTS_INIT;
  ao.src_lang = lang;
  ao.tgt_lang = "en";
  if ((rc = px_segment_rules_default(&rules)) < 0 ||
      (rc = px_segment_split(&ss, rules, src->text, src->len, &so)) < 0 ||
      (rc = px_segment_split(&se, rules, en->text, en->len, &eo)) < 0 ||
      (rc = px_align_new(&al, &ao)) < 0)
    goto done;
  if ((rc = px_align_sents_from_segments(&as, ss)) < 0 ||
      (rc = px_align_sents_from_segments(&ae, se)) < 0)
    goto done;
  rc = px_align_run(&beads, &nb, al, as, ss->count, ae, se->count);
  if (rc < 0)
    goto done;
  for (size_t b = 0; b < nb && rc == 0; b++) {
    const px_bead *bd = &beads[b];
    /* an unsure bead may pair a sentence with one that is not its
     * translation: what it "lacks" would be noise */
    if (!bd->src_count || !bd->tgt_count || bd->confidence < MIN_BEAD_CONF)
      continue;
    const px_segment *s0 = &ss->items[bd->src_start];
    const px_segment *s1 = &ss->items[bd->src_start + bd->src_count - 1];
    const px_segment *e0 = &se->items[bd->tgt_start];
    const px_segment *e1 = &se->items[bd->tgt_start + bd->tgt_count - 1];
    rc = px_names_check_bead(c, *doc_out, src->path, src->text, src->len, lang,
                             s0->start, s1->end, en->text, en->len, e0->start,
                             e1->end);
  }
done:
  px_free(as);
  px_free(ae);
  px_free(beads);
  px_align_free(al);
  px_segment_list_free(ss);
  px_segment_list_free(se);
  px_segment_rules_free(rules);
  return rc < 0 ? cli_fail("names", rc) : 0;
}

/* Every unit of the memory: its English variant against each other one. */
static int check_memory(const names_cli *o, px_names_check *c) {
  const char *dir = o->tm ? o->tm : px_tm_default_path();
  px_tm *tm = NULL;
  px_tm_iter *it = NULL;
  px_tm_opts to = PX_TM_OPTS_INIT;
  to.flags = PX_TM_RDONLY | PX_TM_NOCREATE;
  int rc = px_tm_open(&tm, dir, &to);
  if (rc < 0)
    return cli_fail("names", rc);
  rc = px_tm_iter_new(&it, tm);
  const px_unit *u;
  char sl[4200], el[4200];
  while (rc == 0 && (rc = px_tm_iter_next(it, &u)) == 0) {
    const px_variant *en = px_unit_variant(u, "en");
    if (!en)
      continue;
    /* label: the memory, the unit id and the language: tm#12/en */
    snprintf(el, sizeof el, "%s#%llu/en", dir, (unsigned long long)u->id);
    int paired = 0;
    for (size_t v = 0; v < u->nvariants && rc == 0; v++) {
      const px_variant *sv = &u->variants[v];
      if (sv == en || px_lang_is(sv->lang, "en"))
        continue;
      snprintf(sl, sizeof sl, "%s#%llu/%s", dir, (unsigned long long)u->id,
               sv->lang);
      rc = px_names_check_pair(c, NULL, sl, sv->text, sv->len, sv->lang, el,
                               en->text, en->len);
      paired = 1;
      break; /* the English side is checked once per unit */
    }
    if (!paired && rc == 0)
      rc = px_names_check_text(c, NULL, el, en->text, en->len);
  }
  if (rc == PX_ITEROVER)
    rc = 0;
  int ret = rc < 0 ? cli_fail("names", rc) : 0;
  px_tm_iter_free(it);
  px_tm_close(tm);
  return ret;
}

/* ---- actions ----------------------------------------------------------------
 */

static int open_names(const names_cli *o, px_names **n) {
  px_names_opts no = PX_NAMES_OPTS_INIT;
  no.lexicon_path = o->lexicon;
  no.aff_path = o->aff;
  no.dic_path = o->dic;
  no.close_threshold = o->threshold;
  int rc = px_names_open(n, &no);
  return rc < 0 ? cli_fail("names", rc) : 0;
}

static int do_check(names_cli *o, int learn) {
  px_names *n = NULL;
  px_names_check *c = NULL;
  doc_text *docs = NULL;
  size_t *docidx = NULL;
  size_t ndocs = 0;
  int ret = open_names(o, &n);
  if (ret)
    return ret;
  int rc = px_names_check_new(&c, n);
  if (rc < 0) {
    ret = cli_fail("names", rc);
    goto done;
  }
  docs = calloc(o->nfiles + 1, sizeof *docs);
  docidx = calloc(o->nfiles + 1, sizeof *docidx);
  if (!docs || !docidx) {
    cli_errorf("names", "out of memory");
    ret = CLI_EXIT_IO;
    goto done;
  }
  cli_progress prog;
  cli_progress_start(&prog, "names", o->nfiles);
  if (o->pair) {
    for (size_t i = 0; i + 1 < o->nfiles; i += 2) {
      doc_text src;
      if ((ret = read_doc(&src, o->files[i])) != 0 ||
          (ret = read_doc(&docs[ndocs], o->files[i + 1])) != 0) {
        free_doc(&src);
        goto done;
      }
      /* an English file paired with several sources is checked once */
      size_t same = ndocs;
      for (size_t k = 0; k < ndocs; k++)
        if (strcmp(docs[k].path, docs[ndocs].path) == 0)
          same = k;
      if (same < ndocs)
        docidx[ndocs] = docidx[same];
      ret = check_pair_files(o, c, &src, &docs[ndocs], &docidx[ndocs],
                             same < ndocs);
      free_doc(&src);
      if (ret)
        goto done;
      if (same < ndocs)
        free_doc(&docs[ndocs]);
      else
        ndocs++;
      cli_progress_update(&prog, i + 2);
    }
  } else {
    for (size_t i = 0; i < o->nfiles; i++) {
      if ((ret = read_doc(&docs[ndocs], o->files[i])) != 0)
        goto done;
      rc = px_names_check_text(c, &docidx[ndocs], docs[ndocs].path,
                               docs[ndocs].text, docs[ndocs].len);
      if (rc < 0) {
        ret = cli_fail("names", rc);
        goto done;
      }
      if (!o->fix) {
        free(docs[ndocs].text);
        docs[ndocs].text = NULL;
      }
      ndocs++;
      cli_progress_update(&prog, i + 1);
    }
  }
  if (o->memory && (ret = check_memory(o, c)) != 0)
    goto done;
  cli_progress_end(&prog);
  rc = px_names_check_finish(c);
  if (rc < 0) {
    ret = cli_fail("names", rc);
    goto done;
  }

  if (learn) {
    FILE *f = stdout;
    if (o->output && !(f = fopen(o->output, "w"))) {
      cli_errorf("names", "%s: %s", o->output, strerror(errno));
      ret = CLI_EXIT_IO;
      goto done;
    }
    rc = px_names_learn_write(c, f);
    if (f != stdout && fclose(f) != 0 && rc == 0) {
      cli_errorf("names", "%s: %s", o->output, strerror(errno));
      ret = CLI_EXIT_IO;
      goto done;
    }
    ret = rc < 0 ? cli_fail("names", rc) : 0;
    goto done;
  }

  /* fixes first, so the report can say what was fixed */
  size_t nf = px_names_check_count(c);
  unsigned char *fixed = calloc(nf + 1, 1);
  if (!fixed) {
    ret = CLI_EXIT_IO;
    goto done;
  }
  if (o->fix) {
    if (o->output && mkdir(o->output, 0777) != 0 && errno != EEXIST) {
      cli_errorf("names", "%s: %s", o->output, strerror(errno));
      free(fixed);
      ret = CLI_EXIT_IO;
      goto done;
    }
    for (size_t d = 0; d < ndocs; d++) {
      char *out = NULL, *path = NULL;
      size_t ol = 0, nfix = 0;
      rc = px_names_fix(&out, &ol, &nfix, c, docidx[d], docs[d].text,
                        docs[d].len);
      if (rc < 0) {
        free(fixed);
        ret = cli_fail("names", rc);
        goto done;
      }
      if (fix_path(&path, o, docs[d].path) == 0) {
        if (!(o->in_place && nfix == 0))
          ret = write_atomic(path, out, ol);
      }
      free(path);
      px_free(out);
      if (ret) {
        free(fixed);
        goto done;
      }
    }
    for (size_t i = 0; i < nf; i++) {
      const px_names_finding *f = px_names_check_get(c, i);
      fixed[i] = (unsigned char)(f->fixable && !f->in_source &&
                                 (f->kind == PX_NAMES_VARIANT ||
                                  f->kind == PX_NAMES_BANNED));
    }
  }
  if (strcmp(o->format, "json") == 0)
    printf("{\"documents\": %zu, \"count\": %zu, \"findings\": [", ndocs, nf);
  for (size_t i = 0; i < nf; i++)
    print_finding(o, c, px_names_check_get(c, i), fixed[i], i == 0);
  if (strcmp(o->format, "json") == 0)
    printf("%s]}\n", nf ? "\n  " : "");
  free(fixed);
  if (fflush(stdout) != 0) {
    cli_errorf("names", "cannot write the report: %s", strerror(errno));
    ret = CLI_EXIT_IO;
    goto done;
  }
  ret = nf ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
done:
  for (size_t i = 0; i < ndocs + 1 && docs; i++)
    free_doc(&docs[i]);
  free(docs);
  free(docidx);
  px_names_check_free(c);
  px_names_free(n);
  return ret;
}

static int do_compile(const names_cli *o) {
  if (!o->output)
    return cli_usage_error(&cli_cmd_names, "compile needs -o DIR");
  if (mkdir(o->output, 0777) != 0 && errno != EEXIST) {
    cli_errorf("names", "%s: %s", o->output, strerror(errno));
    return CLI_EXIT_IO;
  }
  char lex[4096], aff[4200], dic[4200];
  if (o->lexicon)
    snprintf(lex, sizeof lex, "%s", o->lexicon);
  else
    snprintf(lex, sizeof lex, "%s/names/names.tsv", px_dict_dir());
  snprintf(aff, sizeof aff, "%s/names.aff", o->output);
  snprintf(dic, sizeof dic, "%s/names.dic", o->output);
  int rc = px_names_compile(lex, aff, dic);
  return rc < 0 ? cli_fail("names", rc) : 0;
}

static int has_stdin(const names_cli *o) {
  for (size_t i = 0; i < o->nfiles; i++)
    if (strcmp(o->files[i], "-") == 0)
      return 1;
  return 0;
}

static int run(int argc, char **argv) {
  names_cli o;
  memset(&o, 0, sizeof o);
  o.format = "text";
  int off = 0;
  if (argc >= 2 && argv[1][0] != '-') {
    o.action = argv[1];
    off = 1;
  }
  /* `--tm` with no directory after it means the default memory */
  char **av = calloc((size_t)argc + 1, sizeof *av);
  if (!av)
    return CLI_EXIT_IO;
  for (int i = 0; i < argc - off; i++) {
    av[i] = argv[i + off];
    if (i > 0 && strcmp(av[i], "--tm") == 0 &&
        (i + 1 >= argc - off || argv[i + off + 1][0] == '-'))
      av[i] = "--memory";
  }
  o.files = calloc((size_t)argc + 1, sizeof *o.files);
  if (!o.files) {
    free(av);
    return CLI_EXIT_IO;
  }
  int ret = 0;
  cli_parser p;
  cli_parser_init(&p, &cli_cmd_names, argc - off, av);
  const char *arg;
  int id;
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: ret = cli_help_exit(&cli_cmd_names); goto done;
    case CLI_BAD: ret = CLI_EXIT_USAGE; goto done;
    case CLI_ARG: o.files[o.nfiles++] = arg; break;
    case O_FORMAT:
      if (strcmp(arg, "text") && strcmp(arg, "json") && strcmp(arg, "jsonl")) {
        ret = cli_usage_error(&cli_cmd_names,
                              "--format must be text, json or jsonl, not '%s'",
                              arg);
        goto done;
      }
      o.format = arg;
      break;
    case O_FIX: o.fix = 1; break;
    case O_OUTPUT: o.output = arg; break;
    case O_INPLACE: o.in_place = 1; break;
    case O_LEXICON: o.lexicon = arg; break;
    case O_AFF: o.aff = arg; break;
    case O_DIC: o.dic = arg; break;
    case O_PAIR: o.pair = 1; break;
    case O_SRCLANG: o.src_lang = arg; break;
    case O_SEGMENTED: o.segmented = 1; break;
    case O_TM:
      o.tm = arg;
      o.memory = 1;
      break;
    case O_MEMORY: o.memory = 1; break;
    case O_THRESHOLD:
      if ((ret = cli_parse_double(&cli_cmd_names, "--threshold", arg, 0.5, 1.0,
                                  &o.threshold)) != 0)
        goto done;
      break;
    default: break;
    }
  }
  if (!o.action) {
    ret = cli_usage_error(&cli_cmd_names,
                          "missing action: check, learn or compile");
    goto done;
  }
  if ((o.aff != NULL) != (o.dic != NULL)) {
    ret = cli_usage_error(&cli_cmd_names, "--aff and --dic go together");
    goto done;
  }
  if (strcmp(o.action, "compile") == 0) {
    ret = do_compile(&o);
  } else if (strcmp(o.action, "check") == 0 || strcmp(o.action, "learn") == 0) {
    int learn = o.action[0] == 'l';
    if (!o.nfiles && !o.memory)
      ret = cli_usage_error(&cli_cmd_names,
                            "%s needs FILE..., --pair SRC EN... or --tm",
                            o.action);
    else if (o.pair && o.nfiles % 2)
      ret = cli_usage_error(&cli_cmd_names,
                            "--pair needs SRC EN file pairs (%zu files given)",
                            o.nfiles);
    else if (learn && !o.pair && !o.memory)
      ret = cli_usage_error(&cli_cmd_names,
                            "learn needs --tm or --pair SRC EN...");
    else if (o.fix && !o.output && !o.in_place)
      ret = cli_usage_error(&cli_cmd_names, "--fix needs -o DIR or --in-place");
    else if (o.fix && has_stdin(&o))
      ret = cli_usage_error(&cli_cmd_names,
                            "--fix cannot write a copy of standard input");
    else if (o.fix && o.output && o.in_place)
      ret = cli_usage_error(&cli_cmd_names,
                            "-o and --in-place exclude each other");
    else
      ret = do_check(&o, learn);
  } else {
    ret = cli_usage_error(&cli_cmd_names,
                          "unknown action '%s' (check, learn or compile)",
                          o.action);
  }
done:
  free(av);
  free(o.files);
  return ret;
}
