/*
 * cli.h: what every subcommand shares: the command descriptor, option
 * parsing driven by one option table (which also prints --help and the man
 * page), exit codes, error printing, file input, JSON output and a progress
 * bar.  The CLI includes only the public parallax.h: every capability is a
 * library call first.
 */
#ifndef PX_CLI_H
#define PX_CLI_H

#include <stdio.h>

#include "parallax.h"

/* Exit codes (documented in the man page and README). */
enum {
  CLI_EXIT_OK = 0,       /* success, nothing to report */
  CLI_EXIT_FINDINGS = 1, /* ran, found problems (names) or no match (--fail) */
  CLI_EXIT_USAGE = 2,    /* bad command line */
  CLI_EXIT_DATA = 3,     /* bad input data: invalid UTF-8, malformed file */
  CLI_EXIT_IO = 4        /* I/O or store error */
};

/* One option.  arg is the placeholder for its value ("LANG"), or NULL for a
 * flag.  id is what cli_next() returns for it (> 0). */
typedef struct cli_opt {
  const char *name; /* long name without "--" */
  char short_name;  /* 0 if none */
  const char *arg;  /* value placeholder, NULL for a flag */
  const char *help; /* one line */
  int id;
} cli_opt;

/* A subcommand: its table row, options and documentation. */
typedef struct cli_command {
  const char *name;
  const char *summary;               /* one line, for `parallax help` */
  const char *synopsis;              /* "[OPTIONS] FILE..." */
  const char *description;           /* paragraphs separated by "\n\n" */
  const cli_opt *opts;               /* terminated by {0} */
  int (*run)(int argc, char **argv); /* argv[0] is the command name */
} cli_command;

/* Option parsing: `--name value`, `--name=value`, `-x value`, `-xVALUE`,
 * `--` ends options, `-` alone is a positional argument (stdin). */
enum { CLI_END = 0, CLI_ARG = -1, CLI_BAD = -2, CLI_HELP = -3 };
typedef struct cli_parser {
  const cli_command *cmd;
  int argc;
  char **argv;
  int i;
  int no_more_opts;
} cli_parser;

void cli_parser_init(cli_parser *p, const cli_command *cmd, int argc,
                     char **argv);
/* Next item: an option id (> 0) with its value in *arg (NULL for flags),
 * CLI_ARG with a positional argument in *arg, CLI_HELP for --help/-h,
 * CLI_BAD after printing a usage error, or CLI_END. */
int cli_next(cli_parser *p, const char **arg);

/* Print "Usage: ..." and the option table to f. */
void cli_usage(FILE *f, const cli_command *cmd);
/* Standard handling of CLI_HELP / CLI_BAD inside a command's loop. */
int cli_help_exit(const cli_command *cmd); /* prints usage on stdout, 0 */
/* Print "parallax CMD: msg" on stderr and a hint to --help; returns 2. */
int cli_usage_error(const cli_command *cmd, const char *fmt, ...)
    PX_PRINTF(2, 3);

/* Print "parallax CMD: <px_error_last message>" and return the exit code
 * for px error code rc. */
int cli_fail(const char *cmd, int rc);
/* Print "parallax CMD: <formatted>" on stderr. */
void cli_errorf(const char *cmd, const char *fmt, ...) PX_PRINTF(2, 3);
/* The exit code for a (negative) px_error_code. */
int cli_exit_code(int rc);

/* Read a whole file ("-" is stdin) into *out (NUL-terminated; free with
 * free()).  On failure prints "parallax CMD: PATH: reason" and returns the
 * exit code; 0 on success.  Files larger than max bytes are refused. */
int cli_read_file(const char *cmd, const char *path, size_t max, char **out,
                  size_t *len);

/* Parse a number option; prints a usage error and returns 2 if bad. */
int cli_parse_double(const cli_command *cmd, const char *opt, const char *s,
                     double lo, double hi, double *out);
int cli_parse_long(const cli_command *cmd, const char *opt, const char *s,
                   long lo, long hi, long *out);

/* Write s as a JSON string literal (with quotes). */
void cli_json_str(FILE *f, const char *s, size_t len);

/* A progress bar on stderr, drawn only when stderr is a terminal. */
typedef struct cli_progress {
  int enabled;
  const char *label;
  unsigned long long total, done;
  double last_draw;
} cli_progress;
void cli_progress_start(cli_progress *p, const char *label,
                        unsigned long long total);
void cli_progress_update(cli_progress *p, unsigned long long done);
void cli_progress_end(cli_progress *p);

/* 1 if stdout is a terminal and NO_COLOR is unset. */
int cli_color_stdout(void);

#endif
