/*
 * cli.c: option parsing, help and man-page text from the option tables,
 * exit codes, errors, file input, JSON strings and the progress bar shared
 * by all subcommands (see cli.h).
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void cli_parser_init(cli_parser *p, const cli_command *cmd, int argc,
                     char **argv) {
  p->cmd = cmd;
  p->argc = argc;
  p->argv = argv;
  p->i = 1;
  p->no_more_opts = 0;
}

static const cli_opt *find_long(const cli_opt *opts, const char *name,
                                size_t n) {
  for (const cli_opt *o = opts; o && o->name; o++)
    if (strlen(o->name) == n && strncmp(o->name, name, n) == 0)
      return o;
  return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c) {
  for (const cli_opt *o = opts; o && o->name; o++)
    if (o->short_name == c)
      return o;
  return NULL;
}

int cli_next(cli_parser *p, const char **arg) {
  *arg = NULL;
  if (p->i >= p->argc)
    return CLI_END;
  char *a = p->argv[p->i++];
  if (p->no_more_opts || a[0] != '-' || a[1] == '\0') {
    *arg = a;
    return CLI_ARG;
  }
  if (strcmp(a, "--") == 0) {
    p->no_more_opts = 1;
    return cli_next(p, arg);
  }
  const cli_opt *o;
  const char *inline_val = NULL;
  if (a[1] == '-') {
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t n = eq ? (size_t)(eq - name) : strlen(name);
    if (n == 4 && strncmp(name, "help", 4) == 0)
      return CLI_HELP;
    o = find_long(p->cmd->opts, name, n);
    if (!o) {
      cli_usage_error(p->cmd, "unknown option '--%.*s'", (int)n, name);
      return CLI_BAD;
    }
    if (eq)
      inline_val = eq + 1;
  } else {
    if (a[1] == 'h' && a[2] == '\0')
      return CLI_HELP;
    o = find_short(p->cmd->opts, a[1]);
    if (!o) {
      cli_usage_error(p->cmd, "unknown option '-%c'", a[1]);
      return CLI_BAD;
    }
    if (a[2])
      inline_val = a + 2;
  }
  if (!o->arg) {
    if (inline_val) {
      cli_usage_error(p->cmd, "option '--%s' takes no value", o->name);
      return CLI_BAD;
    }
    return o->id;
  }
  if (inline_val) {
    *arg = inline_val;
    return o->id;
  }
  if (p->i >= p->argc) {
    cli_usage_error(p->cmd, "option '--%s' needs a value (%s)", o->name,
                    o->arg);
    return CLI_BAD;
  }
  *arg = p->argv[p->i++];
  return o->id;
}

void cli_usage(FILE *f, const cli_command *cmd) {
  fprintf(f, "Usage: parallax %s %s\n\n%s.\n", cmd->name, cmd->synopsis,
          cmd->summary);
  if (cmd->description && cmd->description[0])
    fprintf(f, "\n%s\n", cmd->description);
  fprintf(f, "\nOptions:\n");
  for (const cli_opt *o = cmd->opts; o && o->name; o++) {
    char left[64];
    if (o->short_name)
      snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name, o->name,
               o->arg ? " " : "", o->arg ? o->arg : "");
    else
      snprintf(left, sizeof left, "    --%s%s%s", o->name, o->arg ? " " : "",
               o->arg ? o->arg : "");
    fprintf(f, "  %-28s %s\n", left, o->help);
  }
  fprintf(f, "  %-28s %s\n", "-h, --help", "show this help and exit");
  if (!cmd->description || !strstr(cmd->description, "Exit status"))
    fprintf(f, "\nExit status: 0 ok, 1 findings, 2 usage, 3 bad input data, "
               "4 I/O or store error.\n");
}

int cli_help_exit(const cli_command *cmd) {
  cli_usage(stdout, cmd);
  return CLI_EXIT_OK;
}

int cli_usage_error(const cli_command *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "parallax %s: ", cmd->name);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, " (see 'parallax %s --help')\n", cmd->name);
  return CLI_EXIT_USAGE;
}

void cli_errorf(const char *cmd, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "parallax %s: ", cmd);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
}

/* A file the user named that is not there (or is a directory) is bad
 * input, like a malformed one: exit 3.  Failing to read or write a file
 * that is there (permissions, a full disk, a read error) is I/O: exit 4. */
static int missing_file_error(void) {
  const px_error *e = px_error_last();
  return e->klass == PX_ERRCLASS_OS &&
         (e->cause == ENOENT || e->cause == ENOTDIR || e->cause == EISDIR);
}

int cli_exit_code(int rc) {
  switch (rc) {
  case PX_OK: return CLI_EXIT_OK;
  case PX_EINVALID: return CLI_EXIT_USAGE;
  case PX_EENCODING:
  case PX_EPARSE:
  case PX_ETOOBIG:
  case PX_EDICT: return CLI_EXIT_DATA;
  case PX_EIO: return missing_file_error() ? CLI_EXIT_DATA : CLI_EXIT_IO;
  default: return CLI_EXIT_IO;
  }
}

int cli_fail(const char *cmd, int rc) {
  const char *msg = px_error_last()->message;
  cli_errorf(cmd, "%s", msg[0] ? msg : px_strerror(rc));
  return cli_exit_code(rc);
}

int cli_read_file(const char *cmd, const char *path, size_t max, char **out,
                  size_t *len) {
  int is_stdin = strcmp(path, "-") == 0;
  FILE *f = is_stdin ? stdin : fopen(path, "rb");
  if (!f) {
    cli_errorf(cmd, "%s: %s", path, strerror(errno));
    return errno == ENOENT ? CLI_EXIT_DATA : CLI_EXIT_IO;
  }
  struct stat st;
  if (!is_stdin && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
    fclose(f);
    cli_errorf(cmd, "%s: is a directory", path);
    return CLI_EXIT_DATA;
  }
  size_t cap = 1 << 16, n = 0;
  char *buf = malloc(cap);
  while (buf) {
    if (cap - n < 2) {
      if (cap > max) {
        free(buf);
        if (!is_stdin)
          fclose(f);
        cli_errorf(cmd, "%s: larger than the limit of %zu bytes", path, max);
        return CLI_EXIT_DATA;
      }
      char *nb = realloc(buf, cap * 2);
      if (!nb) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = nb;
      cap *= 2;
    }
    size_t got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (got == 0)
      break;
  }
  int err = ferror(f);
  if (!is_stdin)
    fclose(f);
  if (!buf) {
    cli_errorf(cmd, "%s: out of memory", path);
    return CLI_EXIT_IO;
  }
  if (err) {
    free(buf);
    cli_errorf(cmd, "%s: read error", path);
    return CLI_EXIT_IO;
  }
  if (n > max) {
    free(buf);
    cli_errorf(cmd, "%s: larger than the limit of %zu bytes", path, max);
    return CLI_EXIT_DATA;
  }
  buf[n] = '\0';
  *out = buf;
  *len = n;
  return 0;
}

int cli_parse_double(const cli_command *cmd, const char *opt, const char *s,
                     double lo, double hi, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || v < lo || v > hi)
    return cli_usage_error(cmd, "--%s takes a number from %g to %g, not '%s'",
                           opt, lo, hi, s);
  *out = v;
  return 0;
}

int cli_parse_long(const cli_command *cmd, const char *opt, const char *s,
                   long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi)
    return cli_usage_error(
        cmd, "--%s takes a whole number from %ld to %ld, not '%s'", opt, lo, hi,
        s);
  *out = v;
  return 0;
}

void cli_json_str(FILE *f, const char *s, size_t len) {
  fputc('"', f);
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    switch (c) {
    case '"': fputs("\\\"", f); break;
    case '\\': fputs("\\\\", f); break;
    case '\n': fputs("\\n", f); break;
    case '\r': fputs("\\r", f); break;
    case '\t': fputs("\\t", f); break;
    default:
      if (c < 0x20)
        fprintf(f, "\\u%04x", c);
      else
        fputc(c, f);
    }
  }
  fputc('"', f);
}

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_start(cli_progress *p, const char *label,
                        unsigned long long total) {
  p->enabled = isatty(STDERR_FILENO);
  p->label = label;
  p->total = total;
  p->done = 0;
  p->last_draw = 0;
}

void cli_progress_update(cli_progress *p, unsigned long long done) {
  p->done = done;
  if (!p->enabled)
    return;
  double t = now_seconds();
  if (t - p->last_draw < 0.1 && done < p->total)
    return;
  p->last_draw = t;
  if (p->total) {
    int width = 30,
        fill = (int)((double)width * (double)done / (double)p->total);
    if (fill > width)
      fill = width;
    fprintf(stderr, "\r%s [%.*s%*s] %3d%%", p->label, fill,
            "##############################", width - fill, "",
            (int)(100.0 * (double)done / (double)p->total));
  } else {
    fprintf(stderr, "\r%s %llu", p->label, done);
  }
  fflush(stderr);
}

void cli_progress_end(cli_progress *p) {
  if (p->enabled) {
    cli_progress_update(p, p->total ? p->total : p->done);
    fputs("\r\033[K", stderr);
    fflush(stderr);
  }
}

int cli_color_stdout(void) {
  return isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
}
