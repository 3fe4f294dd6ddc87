/*
 * cmd_eval.c: `parallax eval`, scoring predicted alignments against gold
 * ones (strict and lax precision, recall and F1 as the Vecalign project
 * defines them), pooled over several document pairs.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

enum { OPT_GOLD = 1, OPT_PRED, OPT_FORMAT };

static const cli_opt opts[] = {
    {"gold", 'g', "FILE",
     "a gold bead file (repeat, paired in order with --pred)", OPT_GOLD},
    {"pred", 'p', "FILE", "a predicted bead file (repeat)", OPT_PRED},
    {"format", 'f', "FMT", "text (default) or json", OPT_FORMAT},
    {0}};

#define MAX_FILES 1024
#define MAX_BYTES ((size_t)1 << 30)

static int load(const char *path, px_eval_beads *b) {
  char *buf = NULL;
  size_t len = 0;
  int code = cli_read_file("eval", path, MAX_BYTES, &buf, &len);
  if (code)
    return code;
  int rc = px_eval_parse(b, path, buf, len);
  free(buf);
  return rc ? cli_fail("eval", rc) : 0;
}

static int run(int argc, char **argv) {
  const char *gold[MAX_FILES], *pred[MAX_FILES];
  size_t ng = 0, np = 0;
  int json = 0;
  cli_parser p;
  const char *arg;
  int id;
  cli_parser_init(&p, &cli_cmd_eval, argc, argv);
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: return cli_help_exit(&cli_cmd_eval);
    case CLI_BAD: return CLI_EXIT_USAGE;
    case CLI_ARG:
      return cli_usage_error(&cli_cmd_eval, "unexpected argument '%s'", arg);
    case OPT_GOLD:
      if (ng == MAX_FILES)
        return cli_usage_error(&cli_cmd_eval, "more than %d --gold files",
                               MAX_FILES);
      gold[ng++] = arg;
      break;
    case OPT_PRED:
      if (np == MAX_FILES)
        return cli_usage_error(&cli_cmd_eval, "more than %d --pred files",
                               MAX_FILES);
      pred[np++] = arg;
      break;
    case OPT_FORMAT:
      if (strcmp(arg, "json") == 0)
        json = 1;
      else if (strcmp(arg, "text") == 0)
        json = 0;
      else
        return cli_usage_error(&cli_cmd_eval,
                               "--format is text or json, not '%s'", arg);
      break;
    }
  }
  if (ng == 0)
    return cli_usage_error(&cli_cmd_eval,
                           "give at least one --gold and --pred");
  if (ng != np)
    return cli_usage_error(&cli_cmd_eval,
                           "%zu --gold files but %zu --pred files", ng, np);
  px_eval_score acc;
  memset(&acc, 0, sizeof acc);
  for (size_t i = 0; i < ng; i++) {
    px_eval_beads g, pr;
    memset(&g, 0, sizeof g);
    memset(&pr, 0, sizeof pr);
    int code = load(gold[i], &g);
    if (!code)
      code = load(pred[i], &pr);
    if (!code) {
      int rc = px_eval_add(&acc, &g, &pr, 0, 0);
      if (rc)
        code = cli_fail("eval", rc);
    }
    px_eval_beads_dispose(&g);
    px_eval_beads_dispose(&pr);
    if (code)
      return code;
  }
  px_eval_finish(&acc);
  if (json) {
    printf("{\"files\": %zu, \"pred_beads\": %zu, \"gold_beads\": %zu, "
           "\"strict\": {\"precision\": %.4f, \"recall\": %.4f, \"f1\": "
           "%.4f}, \"lax\": {\"precision\": %.4f, \"recall\": %.4f, \"f1\": "
           "%.4f}}\n",
           ng, acc.pred_beads, acc.gold_beads, acc.strict_p, acc.strict_r,
           acc.strict_f1, acc.lax_p, acc.lax_r, acc.lax_f1);
  } else {
    printf("files %zu, predicted beads %zu, gold beads %zu\n", ng,
           acc.pred_beads, acc.gold_beads);
    printf("strict  P %.4f  R %.4f  F1 %.4f\n", acc.strict_p, acc.strict_r,
           acc.strict_f1);
    printf("lax     P %.4f  R %.4f  F1 %.4f\n", acc.lax_p, acc.lax_r,
           acc.lax_f1);
  }
  return ferror(stdout) ? CLI_EXIT_IO : CLI_EXIT_OK;
}

const cli_command cli_cmd_eval = {
    "eval",
    "score predicted sentence alignments against gold ones",
    "--gold GOLD --pred PRED [--gold G2 --pred P2 ...] [--format text|json]",
    "Reads bead files in the format of the Vecalign and Bleualign gold sets "
    "(one bead per line, `[i, j]:[k]`, 0-based sentence numbers, source side "
    "first, `[3]:[]` and `[]:[2]` for one-sided beads) and prints strict and "
    "lax precision, recall and F1 as the Vecalign project defines them. "
    "Strict counts a predicted bead only if it equals a gold bead; lax also "
    "counts it when one of its target sentences is aligned in gold with one "
    "of its source sentences. One-sided beads count for precision and are "
    "removed from both sides for recall. With several --gold/--pred pairs "
    "the counts are pooled before the ratios are taken.\n\n"
    "A predicted bead that names a sentence beyond every gold index is an "
    "error (the files do not belong together): exit 3 with the bead "
    "number. Exit 2 for a bad command line, 3 for a malformed bead file "
    "(with line:column), 4 when a file cannot be read.",
    opts,
    run};
