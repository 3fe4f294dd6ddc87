/*
 * cmd_segment.c: `parallax segment`: cut a text into sentences, one per
 * line, or as JSON lines with paragraph index, byte offsets and kind.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

extern const cli_command cli_cmd_segment;

enum { OPT_LANG = 1, OPT_RULES, OPT_LINES, OPT_FORMAT, OPT_MAX };

static const cli_opt opts[] = {
    {"lang", 'l', "LANG",
     "language of the text (BCP-47: en, fa, ru, ar, de, fr, es, tr...); "
     "default: guessed from the script, else en",
     OPT_LANG},
    {"rules", 'r', "FILE.srx",
     "SRX 2.0 rules file (or a directory of them) instead of the shipped "
     "dictionaries/srx/",
     OPT_RULES},
    {"lines", 0, NULL,
     "every line break ends a segment (no joining of wrapped lines)",
     OPT_LINES},
    {"format", 'f', "text|jsonl",
     "text: one sentence per line (default); jsonl: one JSON object per "
     "segment",
     OPT_FORMAT},
    {"max-size", 0, "BYTES", "refuse inputs larger than BYTES (default 1 GiB)",
     OPT_MAX},
    {0}};

static int on_progress(size_t done, size_t total, void *payload) {
  (void)total;
  cli_progress_update(payload, (unsigned long long)done);
  return 0;
}

static int run(int argc, char **argv) {
  const char *lang = NULL, *rules_path = NULL, *format = "text", *file = NULL;
  int lines = 0;
  long max = 1L << 30;
  cli_parser p;
  cli_parser_init(&p, &cli_cmd_segment, argc, argv);
  const char *arg;
  int id;
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: return cli_help_exit(&cli_cmd_segment);
    case CLI_BAD: return CLI_EXIT_USAGE;
    case OPT_LANG: lang = arg; break;
    case OPT_RULES: rules_path = arg; break;
    case OPT_LINES: lines = 1; break;
    case OPT_FORMAT: format = arg; break;
    case OPT_MAX:
      if (cli_parse_long(&cli_cmd_segment, "--max-size", arg, 1, 1L << 31,
                         &max))
        return CLI_EXIT_USAGE;
      break;
    case CLI_ARG:
      if (file)
        return cli_usage_error(&cli_cmd_segment, "only one FILE, got '%s'",
                               arg);
      file = arg;
      break;
    default: return CLI_EXIT_USAGE;
    }
  }
  if (!file)
    return cli_usage_error(&cli_cmd_segment, "missing FILE (use - for stdin)");
  int jsonl = 0;
  if (strcmp(format, "jsonl") == 0 || strcmp(format, "json") == 0)
    jsonl = 1;
  else if (strcmp(format, "text") != 0)
    return cli_usage_error(&cli_cmd_segment,
                           "--format must be text or jsonl, not '%s'", format);

  px_segment_rules *rules = NULL;
  char *text = NULL;
  size_t len = 0;
  px_segment_list *list = NULL;
  int ex = CLI_EXIT_OK;
  int rc;
  if (rules_path) {
    rc = px_segment_rules_load(&rules, rules_path);
    if (rc < 0) {
      ex = cli_fail("segment", rc);
      goto done;
    }
  }
  ex = cli_read_file("segment", file, (size_t)max, &text, &len);
  if (ex)
    goto done;
  px_segment_opts so = PX_SEGMENT_OPTS_INIT;
  so.lang = lang;
  so.flags = lines ? PX_SEGMENT_LINES : 0;
  so.max_input = (size_t)max;
  cli_progress prog;
  cli_progress_start(&prog, "segment", (unsigned long long)len);
  so.progress = on_progress;
  so.payload = &prog;
  rc = px_segment_split(&list, rules, text, len, &so);
  cli_progress_end(&prog);
  if (rc < 0) {
    const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
    if (rc == PX_EENCODING || rc == PX_ETOOBIG)
      cli_errorf("segment", "%s: %s", shown, px_error_last()->message);
    else
      cli_errorf("segment", "%s", px_error_last()->message);
    ex = cli_exit_code(rc);
    goto done;
  }
  for (size_t i = 0; i < list->count; i++) {
    const px_segment *s = &list->items[i];
    if (!jsonl) {
      fwrite(s->text, 1, s->len, stdout);
      fputc('\n', stdout);
      continue;
    }
    const char *kind = px_segment_kind_name(s->kind);
    if (s->kind == PX_SEG_SENTENCE && (s->flags & PX_SEGF_DATELINE))
      kind = "dateline";
    printf("{\"i\":%zu,\"paragraph\":%zu,\"start\":%zu,\"end\":%zu,\"text\":",
           i, s->paragraph, s->start, s->end);
    cli_json_str(stdout, s->text, s->len);
    printf(",\"kind\":\"%s\",\"lang\":", kind);
    cli_json_str(stdout, list->lang, strlen(list->lang));
    fputs("}\n", stdout);
  }
  if (fflush(stdout) != 0 || ferror(stdout)) {
    cli_errorf("segment", "writing the output failed");
    ex = CLI_EXIT_IO;
  }
done:
  px_segment_list_free(list);
  px_segment_rules_free(rules);
  free(text);
  return ex;
}

const cli_command cli_cmd_segment = {
    "segment",
    "split a text into sentences",
    "[OPTIONS] FILE|-",
    "Cut FILE (or standard input with -) into sentences and print one per "
    "line.  The text must be UTF-8 (a BOM and CRLF line ends are fine); an "
    "invalid byte is an error naming its offset.  Sentences are normalized: "
    "NFC, every run of white space (NBSP, thin space, joined line breaks) "
    "becomes one space.\n\n"
    "ICU's sentence break iterator proposes boundaries; the language's SRX "
    "2.0 rules (dictionaries/srx/, or --rules) veto or add them: "
    "abbreviations and titles (Mr., Gen., Lt. Col., U.S., т. е.), initials, "
    "datelines (MOSCOW, Mar. 28 (MNA) –), numbers and list items, "
    "ellipses, quotes closing after the terminator, Persian and Arabic "
    "marks.  A blank line always ends a paragraph; a line without final "
    "punctuation (headline, byline, Tags, News ID 124464) is a segment of "
    "its own; hard-wrapped lines are joined unless --lines is given.\n\n"
    "With --format jsonl each segment is {\"i\", \"paragraph\", \"start\", "
    "\"end\", \"text\", \"kind\", \"lang\"}: start and end are byte offsets "
    "into the original file, kind is sentence, dateline, headline, "
    "furniture or byline.\n\n"
    "Exit status: 0 ok; 2 usage; 3 bad input (invalid UTF-8, missing file, "
    "malformed SRX, input too large); 4 I/O error.",
    opts,
    run};
