/*
 * commands.h: the subcommand table.  Each subcommand lives in its own
 * cmd_<name>.c and defines `const cli_command cli_cmd_<name>`.  To add one,
 * add a line here; main.c builds the dispatch table and `parallax help`
 * (and the man page) from this list.
 */
#ifndef PX_CLI_COMMANDS_H
#define PX_CLI_COMMANDS_H

#include "cli.h"

#define PX_CLI_COMMANDS(X)                                                     \
  X(segment)                                                                   \
  X(align)                                                                     \
  X(eval)                                                                      \
  X(import)                                                                    \
  X(export)                                                                    \
  X(lookup)                                                                    \
  X(concordance)                                                               \
  X(stats)                                                                     \
  X(delete)                                                                    \
  X(names)                                                                     \
  X(lexicon)

#define PX_CLI_DECLARE(name) extern const cli_command cli_cmd_##name;
PX_CLI_COMMANDS(PX_CLI_DECLARE)
#undef PX_CLI_DECLARE

#endif
