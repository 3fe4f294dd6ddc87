/*
 * cmd_concordance.c: `parallax concordance`: every unit in the memory that
 * contains a word or phrase, with its translations and the phrase
 * highlighted: how has this expression been translated before?
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "tmopt.h"

enum { OPT_LANG = 1, OPT_TO, OPT_LIMIT, OPT_FORMAT, OPT_TM };

static const cli_opt opts[] = {
    {"lang", 'l', "LANG",
     "language of the phrase (default: guessed from its script, else en)",
     OPT_LANG},
    {"to", 't', "LANG",
     "show only this translation, and only units that have it (default: all "
     "other languages)",
     OPT_TO},
    {"limit", 'n', "N", "most units shown (default 50)", OPT_LIMIT},
    {"format", 0, "text|json", "text (default) or json", OPT_FORMAT},
    {"tm", 0, "DIR", CLI_TM_HELP, OPT_TM},
    {0}};

static void highlighted(const px_concord_hit *h, int color) {
  const px_variant *v = &h->unit->variants[h->variant];
  size_t pos = 0;
  for (size_t i = 0; i < h->nspans; i++) {
    fwrite(v->text + pos, 1, h->spans[i].off - pos, stdout);
    fputs(color ? "\033[1;33m" : "[[", stdout);
    fwrite(v->text + h->spans[i].off, 1, h->spans[i].len, stdout);
    fputs(color ? "\033[0m" : "]]", stdout);
    pos = h->spans[i].off + h->spans[i].len;
  }
  fwrite(v->text + pos, 1, v->len - pos, stdout);
}

static void print_json(const px_concord_hit *hits, size_t n, const char *ph,
                       const char *lang, const char *to) {
  fputs("{\"phrase\":", stdout);
  cli_json_str(stdout, ph, strlen(ph));
  printf(",\"lang\":\"%s\",\"hits\":[", lang);
  for (size_t i = 0; i < n; i++) {
    const px_unit *u = hits[i].unit;
    const px_variant *v = &u->variants[hits[i].variant];
    printf("%s{\"id\":%llu,\"lang\":\"%s\",\"text\":", i ? "," : "",
           (unsigned long long)u->id, v->lang);
    cli_json_str(stdout, v->text, v->len);
    fputs(",\"spans\":[", stdout);
    for (size_t j = 0; j < hits[i].nspans; j++)
      printf("%s{\"offset\":%zu,\"length\":%zu}", j ? "," : "",
             hits[i].spans[j].off, hits[i].spans[j].len);
    fputs("],\"translations\":{", stdout);
    int first = 1;
    for (size_t j = 0; j < u->nvariants; j++) {
      const px_variant *t = &u->variants[j];
      if (j == hits[i].variant ||
          (to && !px_lang_is(t->lang, to) && !px_lang_equal(t->lang, to)))
        continue;
      printf("%s\"%s\":", first ? "" : ",", t->lang);
      cli_json_str(stdout, t->text, t->len);
      first = 0;
    }
    fputs("}", stdout);
    if (u->doc_id) {
      fputs(",\"doc\":", stdout);
      cli_json_str(stdout, u->doc_id, strlen(u->doc_id));
    }
    fputs("}", stdout);
  }
  fputs("]}\n", stdout);
}

static int run(int argc, char **argv) {
  const char *lang = NULL, *to = NULL, *format = "text", *tm_dir = NULL;
  long limit = 50;
  char *phrase = NULL;
  size_t plen = 0;
  cli_parser p;
  cli_parser_init(&p, &cli_cmd_concordance, argc, argv);
  const char *arg;
  int id, ec = 0;
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: free(phrase); return cli_help_exit(&cli_cmd_concordance);
    case CLI_BAD: free(phrase); return CLI_EXIT_USAGE;
    case OPT_LANG: lang = arg; break;
    case OPT_TO: to = arg; break;
    case OPT_FORMAT: format = arg; break;
    case OPT_TM: tm_dir = arg; break;
    case OPT_LIMIT:
      if (cli_parse_long(&cli_cmd_concordance, "--limit", arg, 1, 100000,
                         &limit)) {
        free(phrase);
        return CLI_EXIT_USAGE;
      }
      break;
    case CLI_ARG: {
      size_t al = strlen(arg);
      char *q = realloc(phrase, plen + al + 2);
      if (!q) {
        free(phrase);
        cli_errorf("concordance", "out of memory");
        return CLI_EXIT_IO;
      }
      phrase = q;
      if (plen)
        phrase[plen++] = ' ';
      memcpy(phrase + plen, arg, al + 1);
      plen += al;
      break;
    }
    default: free(phrase); return CLI_EXIT_USAGE;
    }
  }
  if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
    ec = cli_usage_error(&cli_cmd_concordance,
                         "--format must be text or json, not '%s'", format);
  else if (!phrase)
    ec = cli_usage_error(&cli_cmd_concordance, "give a PHRASE to look for");
  if (ec) {
    free(phrase);
    return ec;
  }
  size_t bad = 0;
  if (px_text_validate(phrase, plen, &bad) < 0) {
    cli_errorf("concordance", "the phrase is not UTF-8 (byte %zu)", bad);
    free(phrase);
    return CLI_EXIT_DATA;
  }
  if (!lang)
    lang = px_text_guess_lang(phrase, plen, "en");
  px_tm *tm = NULL;
  if ((ec = cli_tm_open("concordance", tm_dir, CLI_TM_READ, &tm))) {
    free(phrase);
    return ec;
  }
  px_concord_opts o = PX_CONCORD_OPTS_INIT;
  o.limit = (size_t)limit;
  o.to = to;
  px_concord_hit *hits = NULL;
  size_t n = 0;
  int rc = px_tm_concordance(&hits, &n, tm, phrase, plen, lang, &o);
  if (rc < 0) {
    ec = cli_fail("concordance", rc);
    goto done;
  }
  if (strcmp(format, "json") == 0)
    print_json(hits, n, phrase, lang, to);
  else {
    int color = cli_color_stdout();
    for (size_t i = 0; i < n; i++) {
      const px_unit *u = hits[i].unit;
      printf("#%llu %s: ", (unsigned long long)u->id,
             u->variants[hits[i].variant].lang);
      highlighted(&hits[i], color);
      fputc('\n', stdout);
      for (size_t j = 0; j < u->nvariants; j++) {
        const px_variant *t = &u->variants[j];
        if (j == hits[i].variant ||
            (to && !px_lang_is(t->lang, to) && !px_lang_equal(t->lang, to)))
          continue;
        printf("   %s: ", t->lang);
        fwrite(t->text, 1, t->len, stdout);
        fputc('\n', stdout);
      }
    }
    if (n == 0)
      printf("no unit contains \"%s\" in %s\n", phrase, lang);
  }
done:
  px_tm_concord_free(hits, n);
  px_tm_close(tm);
  free(phrase);
  return ec;
}

const cli_command cli_cmd_concordance = {
    "concordance",
    "find every unit containing a word or phrase, with its translations",
    "[OPTIONS] PHRASE...",
    "Prints every unit of the translation memory whose --lang variant "
    "contains PHRASE (its words consecutively, ignoring case, diacritics "
    "and punctuation between them, as ICU folds them), with the unit's "
    "translations.  The phrase is highlighted: in colour on a terminal "
    "(unless NO_COLOR is set), between [[ and ]] otherwise.  Shorter "
    "sentences come first.  Several arguments are joined with spaces.",
    opts,
    run};
