/*
 * tmopt.c: resolving and opening the translation memory for a command
 * (see tmopt.h).
 */
#include "tmopt.h"

const char *cli_tm_dir(const char *dir_opt) {
  if (dir_opt && dir_opt[0])
    return dir_opt;
  return px_tm_default_path();
}

int cli_tm_open(const char *cmd, const char *dir_opt, int mode, px_tm **out) {
  px_tm_opts o = PX_TM_OPTS_INIT;
  if (mode == CLI_TM_READ)
    o.flags = PX_TM_RDONLY;
  px_tm *tm = NULL;
  int rc = px_tm_open(&tm, cli_tm_dir(dir_opt), &o);
  if (rc < 0) {
    cli_fail(cmd, rc);
    return CLI_EXIT_IO;
  }
  *out = tm;
  return 0;
}
