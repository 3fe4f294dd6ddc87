/*
 * cmd_import.c: `parallax import`: read TMX 1.4b, TSV or JSONL files into
 * the translation memory (px_tmx_import()), with a progress bar on a
 * terminal, one report line per bad unit skipped and a summary per file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

enum {
  OPT_TM = 1,
  OPT_FORMAT,
  OPT_SKIP_BAD,
  OPT_SRC,
  OPT_TGT,
  OPT_DOC,
  OPT_RESUME,
  OPT_BATCH,
  OPT_QUIET,
  OPT_JSON
};

static const cli_opt opts[] = {
    {"tm", 0, "DIR",
     "the translation memory (default: $PARALLAX_TM, else ./tm; created on "
     "first write)",
     OPT_TM},
    {"format", 'f', "tmx|tsv|jsonl",
     "input format (default: from the file name, else from the content)",
     OPT_FORMAT},
    {"skip-bad", 0, NULL,
     "skip bad units (no or bad language, empty or missing seg, oversized "
     "segment, bad date...) and report each on stderr, instead of importing "
     "nothing; XML that is not well-formed still stops the import",
     OPT_SKIP_BAD},
    {"src-lang", 's', "LANG", "TSV: the language of the first column", OPT_SRC},
    {"tgt-lang", 't', "LANG", "TSV: the language of the second column",
     OPT_TGT},
    {"doc", 'd', "ID",
     "document id recorded as the provenance of units that carry none "
     "(parallax delete --doc ID removes them again)",
     OPT_DOC},
    {"resume", 0, NULL,
     "continue an interrupted import of the same file from its checkpoint",
     OPT_RESUME},
    {"batch", 0, "N",
     "units per transaction (0: the whole file in one; default: one for "
     "files up to 16 MiB, else 10000 with a resumable checkpoint); smaller "
     "batches keep memory lower at more CPU time",
     OPT_BATCH},
    {"quiet", 'q', NULL, "no summary line", OPT_QUIET},
    {"json", 0, NULL, "print the summary as one JSON object per file",
     OPT_JSON},
    {0}};

typedef struct ui {
  cli_progress bar;
  int bar_on;
  unsigned long bad;
} ui;

static void on_progress(uint64_t done, uint64_t total, void *payload) {
  ui *u = payload;
  if (!u->bar_on) {
    cli_progress_start(&u->bar, "import", total);
    u->bar_on = 1;
  }
  cli_progress_update(&u->bar, done);
}

static void on_bad(int code, const char *msg, void *payload) {
  ui *u = payload;
  (void)code;
  u->bad++;
  if (u->bar_on && u->bar.enabled)
    fputs("\r\033[K", stderr);
  fprintf(stderr, "parallax import: skipped: %s\n", msg);
}

static int run(int argc, char **argv) {
  const char *tm_dir = NULL, *format = NULL, *src = NULL, *tgt = NULL,
             *doc = NULL;
  const char *files[256];
  size_t nfiles = 0;
  int skip_bad = 0, resume = 0, quiet = 0, json = 0;
  long batch = -1;
  cli_parser p;
  const char *arg;
  int id;
  cli_parser_init(&p, &cli_cmd_import, argc, argv);
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: return cli_help_exit(&cli_cmd_import);
    case CLI_BAD: return CLI_EXIT_USAGE;
    case OPT_TM: tm_dir = arg; break;
    case OPT_FORMAT: format = arg; break;
    case OPT_SKIP_BAD: skip_bad = 1; break;
    case OPT_SRC: src = arg; break;
    case OPT_TGT: tgt = arg; break;
    case OPT_DOC: doc = arg; break;
    case OPT_RESUME: resume = 1; break;
    case OPT_QUIET: quiet = 1; break;
    case OPT_JSON: json = 1; break;
    case OPT_BATCH:
      if (cli_parse_long(&cli_cmd_import, "--batch", arg, 0, 100000000L,
                         &batch))
        return CLI_EXIT_USAGE;
      break;
    case CLI_ARG:
      if (nfiles >= sizeof files / sizeof files[0])
        return cli_usage_error(&cli_cmd_import, "too many files");
      files[nfiles++] = arg;
      break;
    default: return CLI_EXIT_USAGE;
    }
  }
  if (!nfiles)
    return cli_usage_error(&cli_cmd_import,
                           "missing FILE (TMX, TSV or JSONL; - for stdin)");
  int fmt = PX_TMX_FORMAT_AUTO;
  if (format && (fmt = px_tmx_format_from_name(format)) < 0)
    return cli_usage_error(&cli_cmd_import,
                           "--format must be tmx, tsv or jsonl, not '%s'",
                           format);
  if ((src == NULL) != (tgt == NULL))
    return cli_usage_error(&cli_cmd_import,
                           "--src-lang and --tgt-lang go together");
  if (doc && (!doc[0] || strlen(doc) > 1000))
    return cli_usage_error(&cli_cmd_import, "--doc needs a non-empty id");

  px_tm *tm = NULL;
  int rc = px_tm_open(&tm, tm_dir ? tm_dir : px_tm_default_path(), NULL);
  if (rc < 0)
    return cli_fail("import", rc);
  int ex = CLI_EXIT_OK;
  for (size_t i = 0; i < nfiles; i++) {
    px_tmx_import_opts o = PX_TMX_IMPORT_OPTS_INIT;
    px_tmx_import_stats st;
    ui u;
    memset(&u, 0, sizeof u);
    o.read.format = (px_tmx_format)fmt;
    o.read.flags = skip_bad ? PX_TMX_SKIP_BAD : 0;
    o.read.src_lang = src;
    o.read.tgt_lang = tgt;
    o.read.doc_id = doc;
    o.read.on_bad = on_bad;
    o.read.on_progress = on_progress;
    o.read.payload = &u;
    o.flags = resume ? PX_TMX_RESUME : 0;
    o.batch = batch;
    rc = px_tmx_import(&st, tm, files[i], &o);
    if (u.bar_on)
      cli_progress_end(&u.bar);
    if (rc < 0) {
      const px_error *e = px_error_last();
      int code = cli_exit_code(rc);
      if (rc == PX_EIO && e->klass == PX_ERRCLASS_OS && e->cause == ENOENT)
        code = CLI_EXIT_DATA; /* a missing input is bad input */
      if (rc == PX_EINVALID)
        code = CLI_EXIT_USAGE;
      cli_fail("import", rc);
      ex = code;
      break;
    }
    if (json) {
      printf("{\"file\":");
      cli_json_str(stdout, files[i], strlen(files[i]));
      printf(",\"read\":%llu,\"added\":%llu,\"updated\":%llu,\"skipped\":%llu,"
             "\"resumed\":%llu,\"transactions\":%llu,\"bytes\":%llu}\n",
             (unsigned long long)st.read, (unsigned long long)st.added,
             (unsigned long long)st.updated, (unsigned long long)st.skipped,
             (unsigned long long)st.resumed, (unsigned long long)st.batches,
             (unsigned long long)st.bytes);
    } else if (!quiet) {
      printf("%s: %llu units read, %llu added, %llu updated, %llu skipped",
             files[i], (unsigned long long)st.read,
             (unsigned long long)st.added, (unsigned long long)st.updated,
             (unsigned long long)st.skipped);
      if (st.resumed)
        printf(", %llu already imported (resumed)",
               (unsigned long long)st.resumed);
      printf("\n");
    }
    if (fflush(stdout) != 0) {
      cli_errorf("import", "stdout: %s", strerror(errno));
      ex = CLI_EXIT_IO;
      break;
    }
  }
  px_tm_close(tm);
  return ex;
}

const cli_command cli_cmd_import = {
    "import",
    "import TMX 1.4b, TSV or JSONL files into the translation memory",
    "[OPTIONS] FILE...",
    "Reads each FILE (TMX 1.4b, TSV or JSONL; - is standard input) and adds "
    "its units to the translation memory: a TMX <tu> with any number of "
    "<tuv> becomes one multilingual unit, languages come from xml:lang, "
    "attributes, props, notes and inline markup (bpt, ept, ph, it, hi, ut) "
    "are kept.  A unit already in the memory is updated (usage count, "
    "provenance), never duplicated.\n\n"
    "Each file is all or nothing: a malformed file (not well-formed XML, "
    "entity declarations, a bad unit) stores nothing and the error names "
    "FILE:LINE:COL; with --skip-bad, bad units are reported and skipped "
    "instead.  Files over 16 MiB are checked in full first, then stored in "
    "transactions of 10000 units, each committed with a checkpoint: if the "
    "import is killed, run it again with --resume to go on where it "
    "stopped.  The file is parsed on a second thread while the memory is "
    "written.  Word postings "
    "are merged into the fuzzy and concordance index every 64 MiB and at "
    "the end: meanwhile other processes' exact lookups see every committed "
    "batch, fuzzy lookups and concordance the units merged so far.\n\n"
    "TSV: one unit per line, one column per language, named by --src-lang "
    "and --tgt-lang or by a first line '#langs<TAB>en<TAB>fa'; \\t, \\n "
    "and \\\\ are escapes.  JSONL: one object per line as 'parallax export "
    "--format jsonl' writes it.\n\n"
    "Prints one summary line per file (units read, added, updated, "
    "skipped).  Exit status: 0 imported, 2 usage, 3 malformed input (or a "
    "missing file), 4 store or I/O error (also an unfinished checkpoint "
    "without --resume).",
    opts,
    run};
