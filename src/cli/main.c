/*
 * main.c: the parallax command-line tool's entry point: finds the
 * subcommand in the table (commands.h) and runs it; `parallax help` lists
 * them, `parallax help CMD` is `parallax CMD --help`, and `parallax help
 * --man` prints the man page in roff, generated from the same option tables
 * as --help so the two never disagree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

#define PX_CLI_ENTRY(name) &cli_cmd_##name,
static const cli_command *const commands[] = {PX_CLI_COMMANDS(PX_CLI_ENTRY)};
#undef PX_CLI_ENTRY
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const cli_command *find_command(const char *name) {
  for (size_t i = 0; i < NCOMMANDS; i++)
    if (commands[i] && strcmp(commands[i]->name, name) == 0)
      return commands[i];
  return NULL;
}

static void list_commands(FILE *f) {
  fprintf(f, "Usage: parallax COMMAND [OPTIONS] [ARGS]\n\n"
             "Segment, align, remember and name-check multilingual news.\n\n"
             "Commands:\n");
  for (size_t i = 0; i < NCOMMANDS; i++)
    fprintf(f, "  %-12s %s\n", commands[i]->name, commands[i]->summary);
  fprintf(f, "  %-12s %s\n", "help",
          "show help for a command (help --man: the man page)");
  fprintf(f, "\nRun 'parallax COMMAND --help' for a command's options.\n"
             "Exit status: 0 ok, 1 findings, 2 usage, 3 bad input data, "
             "4 I/O or store error.\n");
}

/* roff needs backslashes and leading dots/quotes escaped. */
static void man_text(FILE *f, const char *s) {
  int bol = 1;
  for (; *s; s++) {
    if (bol && (*s == '.' || *s == '\''))
      fputs("\\&", f);
    if (*s == '\\')
      fputs("\\e", f);
    else if (*s == '-')
      fputs("\\-", f);
    else
      fputc(*s, f);
    bol = *s == '\n';
  }
}

static void man_paragraphs(FILE *f, const char *s) {
  const char *p = s;
  while (*p) {
    const char *end = strstr(p, "\n\n");
    size_t n = end ? (size_t)(end - p) : strlen(p);
    char *para = strndup(p, n);
    if (para) {
      fputs(".PP\n", f);
      man_text(f, para);
      fputc('\n', f);
      free(para);
    }
    p += n;
    while (*p == '\n')
      p++;
  }
}

static int print_man(FILE *f) {
  fprintf(f, ".TH PARALLAX 1 \"\" \"parallax %s\" \"User Commands\"\n",
          PX_VERSION_STRING);
  fputs(".SH NAME\nparallax \\- segment, align, remember and name\\-check "
        "multilingual news\n.SH SYNOPSIS\n.B parallax\n.I COMMAND\n"
        "[\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n.SH DESCRIPTION\n",
        f);
  man_paragraphs(
      f,
      "parallax cuts the versions of a news article into sentences, aligns "
      "the source-language version with its English version sentence by "
      "sentence, stores the pairs in a translation memory on LMDB, looks up "
      "prior translations (exact, fuzzy, in-context, concordance) and checks "
      "that transliterated names are spelled one way.\n\n"
      "The memory is a directory: --tm DIR, else $PARALLAX_TM, else ./tm/.");
  fputs(".SH COMMANDS\n", f);
  for (size_t i = 0; i < NCOMMANDS; i++) {
    const cli_command *c = commands[i];
    fprintf(f, ".SS \"parallax %s ", c->name);
    man_text(f, c->synopsis);
    fputs("\"\n", f);
    man_text(f, c->summary);
    fputs(".\n", f);
    if (c->description && c->description[0])
      man_paragraphs(f, c->description);
    for (const cli_opt *o = c->opts; o && o->name; o++) {
      fputs(".TP\n.B ", f);
      if (o->short_name)
        fprintf(f, "\\-%c, ", o->short_name);
      fprintf(f, "\\-\\-");
      man_text(f, o->name);
      if (o->arg) {
        fputs(" \\fI", f);
        man_text(f, o->arg);
        fputs("\\fR", f);
      }
      fputc('\n', f);
      man_text(f, o->help);
      fputc('\n', f);
    }
  }
  fputs(".SH ENVIRONMENT\n.TP\n.B PARALLAX_TM\nthe translation memory "
        "directory when \\-\\-tm is not given (default ./tm/).\n"
        ".TP\n.B PARALLAX_DICTDIR\nwhere the shipped dictionaries (SRX rules, "
        "lexicons, name dictionaries) are read from.\n.TP\n"
        ".B PARALLAX_DICTD_DIR\nwhere FreeDict dictionaries are read from "
        "(default /usr/share/dictd).\n.TP\n.B PARALLAX_CACHE_DIR\nwhere "
        "the parsed form of big FreeDict dictionaries is cached (default "
        "$XDG_CACHE_HOME/parallax, else ~/.cache/parallax; empty: no "
        "cache).\n.TP\n.B NO_COLOR\n"
        "no colour in terminal output.\n",
        f);
  fputs(".SH EXIT STATUS\n.TP\n0\nsuccess.\n.TP\n1\nthe command ran and "
        "found problems (misspelt names) or no match (with \\-\\-fail).\n"
        ".TP\n2\nusage error.\n.TP\n3\nbad input data: invalid UTF\\-8, a "
        "malformed TMX, SRX, lexicon or gold file, an input file or dictionary "
        "that does not exist.\n"
        ".TP\n4\nI/O or store error.\n",
        f);
  fputs(
      ".SH SEE ALSO\n.BR mdb_stat (1),\n.BR mdb_copy (1),\n.BR hunspell (1)\n",
      f);
  return 0;
}

static int cmd_help(int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "--man") == 0)
    return print_man(stdout);
  if (argc >= 2) {
    const cli_command *c = find_command(argv[1]);
    if (!c) {
      fprintf(stderr, "parallax help: no command '%s'\n", argv[1]);
      return CLI_EXIT_USAGE;
    }
    cli_usage(stdout, c);
    return 0;
  }
  list_commands(stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    list_commands(stderr);
    return CLI_EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "help") == 0 || strcmp(name, "--help") == 0 ||
      strcmp(name, "-h") == 0)
    return cmd_help(argc - 1, argv + 1);
  if (strcmp(name, "--version") == 0 || strcmp(name, "version") == 0) {
    printf("parallax %s\n", PX_VERSION_STRING);
    return 0;
  }
  const cli_command *c = find_command(name);
  if (!c) {
    fprintf(stderr, "parallax: no command '%s' (see 'parallax help')\n", name);
    return CLI_EXIT_USAGE;
  }
  return c->run(argc - 1, argv + 1);
}
