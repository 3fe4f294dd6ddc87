/* cmd_import.c: PLACEHOLDER until its issue lands; replaced wholesale. */
#include "cli.h"

static int run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  cli_errorf("import", "not implemented yet");
  return CLI_EXIT_IO;
}

static const cli_opt opts[] = {{0}};
const cli_command cli_cmd_import = {"import", "placeholder", "", "", opts, run};
