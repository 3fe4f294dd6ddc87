/* cmd_lexicon.c: PLACEHOLDER until its issue lands; replaced wholesale. */
#include "cli.h"

static int run(int argc, char **argv) {
  (void)argc;
  (void)argv;
  cli_errorf("lexicon", "not implemented yet");
  return CLI_EXIT_IO;
}

static const cli_opt opts[] = {{0}};
const cli_command cli_cmd_lexicon = {"lexicon", "placeholder", "", "", opts, run};
