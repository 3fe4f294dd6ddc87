/*
 * tmopt.h: which translation memory a command opens, the same way for
 * every command: `--tm DIR`, else $PARALLAX_TM, else ./tm/ (created on the
 * first write, like an OmegaT project's tm/ folder).
 */
#ifndef PX_CLI_TMOPT_H
#define PX_CLI_TMOPT_H

#include "cli.h"

/* The help line of the --tm option, for every command's option table. */
#define CLI_TM_HELP                                                            \
  "the translation memory directory (default: $PARALLAX_TM, else ./tm)"

/* Flags of cli_tm_open(). */
enum {
  CLI_TM_READ = 1, /* read-only: the memory must exist; writes refused */
  CLI_TM_WRITE = 2 /* read-write: created on first use */
};

/* The directory: dir_opt if not NULL, else $PARALLAX_TM, else "tm". */
const char *cli_tm_dir(const char *dir_opt);

/* Open the memory for command cmd.  On failure prints
 * "parallax CMD: message" and returns the exit code (4 for a store
 * problem, 3 for a schema mismatch is still 4: the memory is unusable);
 * 0 on success with *out set (close with px_tm_close()). */
int cli_tm_open(const char *cmd, const char *dir_opt, int mode, px_tm **out);

#endif
