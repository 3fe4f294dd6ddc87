/*
 * cmd_stats.c: `parallax stats`: what the translation memory holds: units,
 * variants per language, documents, text and store sizes.
 */
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "tmopt.h"

enum { OPT_FORMAT = 1, OPT_TM };

static const cli_opt opts[] = {
    {"format", 0, "text|json", "text (default) or json", OPT_FORMAT},
    {"tm", 0, "DIR", CLI_TM_HELP, OPT_TM},
    {0}};

static int run(int argc, char **argv) {
  const char *format = "text", *tm_dir = NULL;
  cli_parser p;
  cli_parser_init(&p, &cli_cmd_stats, argc, argv);
  const char *arg;
  int id;
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: return cli_help_exit(&cli_cmd_stats);
    case CLI_BAD: return CLI_EXIT_USAGE;
    case OPT_FORMAT: format = arg; break;
    case OPT_TM: tm_dir = arg; break;
    case CLI_ARG:
      return cli_usage_error(&cli_cmd_stats, "unexpected argument '%s'", arg);
    default: return CLI_EXIT_USAGE;
    }
  }
  if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
    return cli_usage_error(&cli_cmd_stats,
                           "--format must be text or json, not '%s'", format);
  px_tm *tm = NULL;
  int ec = cli_tm_open("stats", tm_dir, CLI_TM_READ, &tm);
  if (ec)
    return ec;
  px_tm_stat *s = NULL;
  int rc = px_tm_stats(&s, tm);
  if (rc < 0) {
    ec = cli_fail("stats", rc);
    px_tm_close(tm);
    return ec;
  }
  uint64_t used = s->store_bytes - s->free_bytes;
  double ratio = s->text_bytes ? (double)used / s->text_bytes : 0;
  if (strcmp(format, "json") == 0) {
    fputs("{\"path\":", stdout);
    cli_json_str(stdout, px_tm_path(tm), strlen(px_tm_path(tm)));
    printf(",\"schema\":%u,\"units\":%llu,\"variants\":%llu,\"languages\":{",
           s->schema, (unsigned long long)s->units,
           (unsigned long long)s->variants);
    for (size_t i = 0; i < s->nlangs; i++)
      printf("%s\"%s\":%llu", i ? "," : "", s->langs[i].lang,
             (unsigned long long)s->langs[i].variants);
    printf("},\"documents\":%llu,\"text_bytes\":%llu,\"store_bytes\":%llu,"
           "\"free_bytes\":%llu,\"map_bytes\":%llu,\"index_terms\":%llu,"
           "\"readers\":%u}\n",
           (unsigned long long)s->docs, (unsigned long long)s->text_bytes,
           (unsigned long long)s->store_bytes,
           (unsigned long long)s->free_bytes, (unsigned long long)s->map_bytes,
           (unsigned long long)s->index_terms, s->readers);
  } else {
    printf("memory:      %s (schema %u)\n", px_tm_path(tm), s->schema);
    printf("units:       %llu\n", (unsigned long long)s->units);
    printf("variants:    %llu", (unsigned long long)s->variants);
    for (size_t i = 0; i < s->nlangs; i++)
      printf("%s%s %llu", i ? ", " : " (", s->langs[i].lang,
             (unsigned long long)s->langs[i].variants);
    printf("%s\n", s->nlangs ? ")" : "");
    printf("documents:   %llu\n", (unsigned long long)s->docs);
    printf("text:        %llu bytes of UTF-8\n",
           (unsigned long long)s->text_bytes);
    printf("store:       %llu bytes in use (%.1fx the text) + %llu free, map "
           "%llu bytes\n",
           (unsigned long long)used, ratio, (unsigned long long)s->free_bytes,
           (unsigned long long)s->map_bytes);
    printf("index terms: %llu\n", (unsigned long long)s->index_terms);
    printf("readers:     %u\n", s->readers);
  }
  px_free(s);
  px_tm_close(tm);
  return 0;
}

const cli_command cli_cmd_stats = {
    "stats",
    "show what the translation memory holds",
    "[OPTIONS]",
    "Prints the number of units, variants per language, documents, the "
    "UTF-8 text held and the size of the store (pages in use, and the "
    "ratio to the text), the LMDB map size, the number of distinct index "
    "terms and the reader slots in use.  The memory is opened read-only.",
    opts,
    run};
