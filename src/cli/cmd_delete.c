/*
 * cmd_delete.c: `parallax delete`: remove units from the translation
 * memory by id, or every unit a document contributed, in one transaction.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "tmopt.h"

enum { OPT_ID = 1, OPT_DOC, OPT_TM };

static const cli_opt opts[] = {
    {"id", 'i', "ID", "delete unit ID (repeatable)", OPT_ID},
    {"doc", 'd', "DOC",
     "delete every unit document DOC contributed to (repeatable)", OPT_DOC},
    {"tm", 0, "DIR", CLI_TM_HELP, OPT_TM},
    {0}};

static int run(int argc, char **argv) {
  const char *tm_dir = NULL;
  long *ids = NULL;
  const char **docs = NULL;
  size_t nids = 0, ndocs = 0;
  int ec = 0;
  ids = calloc((size_t)argc + 1, sizeof *ids);
  docs = calloc((size_t)argc + 1, sizeof *docs);
  if (!ids || !docs) {
    free(ids);
    free(docs);
    cli_errorf("delete", "out of memory");
    return CLI_EXIT_IO;
  }
  cli_parser p;
  cli_parser_init(&p, &cli_cmd_delete, argc, argv);
  const char *arg;
  int id;
  while (!ec && (id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: ec = -1; break;
    case CLI_BAD: ec = CLI_EXIT_USAGE; break;
    case OPT_ID:
      if (cli_parse_long(&cli_cmd_delete, "--id", arg, 1, 4294967295L,
                         &ids[nids]))
        ec = CLI_EXIT_USAGE;
      else
        nids++;
      break;
    case OPT_DOC:
      if (!arg[0])
        ec = cli_usage_error(&cli_cmd_delete, "--doc needs a document id");
      else
        docs[ndocs++] = arg;
      break;
    case OPT_TM: tm_dir = arg; break;
    case CLI_ARG:
      ec = cli_usage_error(&cli_cmd_delete,
                           "unexpected argument '%s' (use --id or --doc)", arg);
      break;
    default: ec = CLI_EXIT_USAGE;
    }
  }
  if (ec == -1) {
    ec = cli_help_exit(&cli_cmd_delete);
    goto out;
  }
  if (!ec && nids == 0 && ndocs == 0)
    ec = cli_usage_error(&cli_cmd_delete, "give --id ID or --doc DOC");
  if (ec)
    goto out;
  px_tm *tm = NULL;
  px_tm_opts o = PX_TM_OPTS_INIT;
  o.flags = PX_TM_NOCREATE;
  int rc = px_tm_open(&tm, cli_tm_dir(tm_dir), &o);
  if (rc < 0) {
    cli_fail("delete", rc);
    ec = CLI_EXIT_IO;
    goto out;
  }
  px_tm_txn *txn = NULL;
  uint64_t deleted = 0;
  size_t missing = 0;
  if ((rc = px_tm_txn_begin(&txn, tm)) < 0)
    goto fail;
  for (size_t i = 0; i < nids; i++) {
    rc = px_tm_delete_unit(txn, (uint64_t)ids[i]);
    if (rc == PX_ENOTFOUND) {
      cli_errorf("delete", "no unit %ld", ids[i]);
      missing++;
      continue;
    }
    if (rc < 0)
      goto fail;
    deleted++;
  }
  for (size_t i = 0; i < ndocs; i++) {
    uint64_t n = 0;
    if ((rc = px_tm_delete_doc(txn, docs[i], &n)) < 0)
      goto fail;
    if (n == 0) {
      cli_errorf("delete", "no unit comes from document '%s'", docs[i]);
      missing++;
    }
    deleted += n;
  }
  rc = px_tm_txn_commit(txn);
  txn = NULL;
  if (rc < 0)
    goto fail;
  printf("deleted %llu unit%s\n", (unsigned long long)deleted,
         deleted == 1 ? "" : "s");
  ec = missing ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
  px_tm_close(tm);
  goto out;
fail:
  ec = cli_fail("delete", rc);
  px_tm_txn_abort(txn);
  px_tm_close(tm);
out:
  free(ids);
  free(docs);
  return ec;
}

const cli_command cli_cmd_delete = {
    "delete",
    "delete units by id or by document",
    "[OPTIONS] --id ID... | --doc DOC...",
    "Deletes units from the translation memory, with their index entries, "
    "in one transaction: all of them or none.  --doc deletes every unit "
    "that document contributed to (a unit merged from several documents "
    "goes as a whole).  Ids are shown by lookup and concordance.  Exit "
    "status 1 when an id or document was not found (the others are still "
    "deleted).",
    opts,
    run};
