/*
 * cmd_export.c: `parallax export`: write the translation memory as TMX
 * 1.4b, TSV or JSONL (px_tmx_export()), to standard output or atomically
 * to a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

enum { OPT_TM = 1, OPT_FORMAT, OPT_OUT, OPT_LANGS, OPT_SRCLANG, OPT_QUIET };

static const cli_opt opts[] = {
    {"tm", 0, "DIR",
     "the translation memory (default: $PARALLAX_TM, else ./tm)", OPT_TM},
    {"format", 'f', "tmx|tsv|jsonl",
     "output format (default: from the -o file name's extension, else tmx)",
     OPT_FORMAT},
    {"output", 'o', "FILE",
     "write to FILE, atomically (a temporary file renamed over FILE when "
     "complete); default: standard output",
     OPT_OUT},
    {"langs", 'l', "L1,L2,...",
     "only these languages (units with none of them are left out); TSV: the "
     "columns, in this order, and units lacking one are left out",
     OPT_LANGS},
    {"srclang", 0, "LANG", "the TMX header's srclang (default *all*)",
     OPT_SRCLANG},
    {"quiet", 'q', NULL, "no summary on stderr", OPT_QUIET},
    {0}};

static int ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

static int run(int argc, char **argv) {
  const char *tm_dir = NULL, *format = NULL, *out = NULL, *langs_arg = NULL,
             *srclang = NULL;
  int quiet = 0;
  cli_parser p;
  const char *arg;
  int id;
  cli_parser_init(&p, &cli_cmd_export, argc, argv);
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: return cli_help_exit(&cli_cmd_export);
    case CLI_BAD: return CLI_EXIT_USAGE;
    case OPT_TM: tm_dir = arg; break;
    case OPT_FORMAT: format = arg; break;
    case OPT_OUT: out = arg; break;
    case OPT_LANGS: langs_arg = arg; break;
    case OPT_SRCLANG: srclang = arg; break;
    case OPT_QUIET: quiet = 1; break;
    case CLI_ARG:
      return cli_usage_error(&cli_cmd_export, "unexpected argument '%s'", arg);
    default: return CLI_EXIT_USAGE;
    }
  }
  int fmt = PX_TMX_FORMAT_TMX;
  if (format) {
    if ((fmt = px_tmx_format_from_name(format)) < 0)
      return cli_usage_error(&cli_cmd_export,
                             "--format must be tmx, tsv or jsonl, not '%s'",
                             format);
  } else if (out && ends_with(out, ".tsv")) {
    fmt = PX_TMX_FORMAT_TSV;
  } else if (out && ends_with(out, ".jsonl")) {
    fmt = PX_TMX_FORMAT_JSONL;
  }
  char *langs_buf = NULL;
  const char *langs[64];
  size_t nlangs = 0;
  if (langs_arg) {
    langs_buf = strdup(langs_arg);
    if (!langs_buf) {
      cli_errorf("export", "out of memory");
      return CLI_EXIT_IO;
    }
    for (char *s = langs_buf; *s;) {
      char *c = strchr(s, ',');
      if (c)
        *c = '\0';
      if (!*s || nlangs >= 64) {
        free(langs_buf);
        return cli_usage_error(&cli_cmd_export,
                               "--langs wants L1,L2,... (up to 64 tags)");
      }
      langs[nlangs++] = s;
      if (!c)
        break;
      s = c + 1;
    }
  }
  if (fmt == PX_TMX_FORMAT_TSV && nlangs < 1) {
    free(langs_buf);
    return cli_usage_error(&cli_cmd_export,
                           "--format tsv needs --langs (the columns)");
  }

  px_tm_opts to = PX_TM_OPTS_INIT;
  to.flags = PX_TM_RDONLY;
  px_tm *tm = NULL;
  const char *dir = tm_dir ? tm_dir : px_tm_default_path();
  int rc = px_tm_open(&tm, dir, &to);
  if (rc < 0) {
    free(langs_buf);
    return cli_fail("export", rc);
  }
  px_tmx_write_opts wo = PX_TMX_WRITE_OPTS_INIT;
  wo.format = (px_tmx_format)fmt;
  wo.langs = nlangs ? langs : NULL;
  wo.nlangs = nlangs;
  wo.srclang = srclang;
  /* Reproducible output (https://reproducible-builds.org/specs/
   * source-date-epoch/): the header date comes from the environment. */
  const char *sde = getenv("SOURCE_DATE_EPOCH");
  if (sde && *sde) {
    char *end;
    long long t = strtoll(sde, &end, 10);
    if (*end || t <= 0) {
      px_tm_close(tm);
      free(langs_buf);
      cli_errorf("export", "SOURCE_DATE_EPOCH is not a positive number");
      return CLI_EXIT_USAGE;
    }
    wo.now = (int64_t)t;
  }
  px_tmx_export_stats st;
  rc = px_tmx_export(&st, tm, out ? out : "-", &wo);
  px_tm_close(tm);
  free(langs_buf);
  if (rc < 0)
    return cli_fail("export", rc);
  if (!quiet && out)
    fprintf(stderr, "parallax export: %llu units written to %s%s\n",
            (unsigned long long)st.units, out,
            st.skipped ? " (some units had none of the languages)" : "");
  return CLI_EXIT_OK;
}

const cli_command cli_cmd_export = {
    "export",
    "export the translation memory as TMX 1.4b, TSV or JSONL",
    "[OPTIONS]",
    "Writes every unit of the translation memory, in id order, from a "
    "snapshot (an import running at the same time does not disturb it).\n\n"
    "TMX 1.4b: a header with creationtool, creationtoolversion, segtype, "
    "o-tmf, adminlang, srclang, datatype and creationdate; each unit a <tu> "
    "with its dates, ids, usage, props, notes and one <tuv> per language, "
    "inline markup restored; provenance as x-px-* props.  'parallax "
    "import' reads it back without loss.  The header's creationdate is now, "
    "or $SOURCE_DATE_EPOCH when set (for reproducible files).\n\n"
    "TSV: a first line '#langs<TAB>L1<TAB>L2' then one unit per line, text "
    "only.  JSONL: one JSON object per unit with every field.\n\n"
    "With -o the file is written to a temporary file beside it and renamed "
    "when complete, so FILE is never half-written.  Exit status: 0 done, 2 "
    "usage, 4 store or I/O error.",
    opts,
    run};
