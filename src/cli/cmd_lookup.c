/*
 * cmd_lookup.c: `parallax lookup`: has this sentence, or one like it, been
 * translated before?  One sentence from the command line, or a whole
 * article (--file) segmented and looked up sentence by sentence in one
 * process, each with its neighbours as context: the pre-translation a
 * translator runs before starting a new article.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"
#include "tmopt.h"

enum {
  OPT_FROM = 1,
  OPT_TO,
  OPT_MIN,
  OPT_LIMIT,
  OPT_PREV,
  OPT_NEXT,
  OPT_FORMAT,
  OPT_FAIL,
  OPT_TM,
  OPT_FILE,
  OPT_LINES,
  OPT_EXACT,
  OPT_NO_SUBST
};

static const cli_opt opts[] = {
    {"from", 'f', "LANG",
     "language of the query (default: guessed from its script, else en)",
     OPT_FROM},
    {"to", 't', "LANG", "language of the translations wanted (required)",
     OPT_TO},
    {"min", 'm', "N", "lowest fuzzy score shown, 0-101 (default 75)", OPT_MIN},
    {"limit", 'n', "N", "most matches per sentence (default 5; 1 with --file)",
     OPT_LIMIT},
    {"prev", 0, "SENTENCE",
     "the sentence before the query: an exact match whose stored context "
     "matches too scores 101 (in-context exact)",
     OPT_PREV},
    {"next", 0, "SENTENCE", "the sentence after the query", OPT_NEXT},
    {"format", 0, "text|json",
     "text (default) or json (with --file: one JSON object per sentence)",
     OPT_FORMAT},
    {"fail", 0, NULL, "exit with status 1 when a sentence has no match",
     OPT_FAIL},
    {"tm", 0, "DIR", CLI_TM_HELP, OPT_TM},
    {"file", 'F', "FILE",
     "pre-translate an article: segment FILE ('-': standard input) into "
     "sentences and look each up",
     OPT_FILE},
    {"lines", 0, NULL, "with --file: one sentence per line, no segmentation",
     OPT_LINES},
    {"exact", 0, NULL, "exact and in-context matches only (fastest)",
     OPT_EXACT},
    {"no-subst", 0, NULL, "never substitute numbers in the translation",
     OPT_NO_SUBST},
    {0}};

typedef struct lk {
  px_tm *tm;
  const char *from, *to;
  px_lookup_opts o;
  int json, color;
} lk;

static const char *kind_name(px_match_kind k) {
  switch (k) {
  case PX_MATCH_CONTEXT: return "context";
  case PX_MATCH_EXACT: return "exact";
  default: return "fuzzy";
  }
}

static void json_penalties(unsigned p) {
  static const char *names[] = {"case",  "marks",  "punct",
                                "space", "number", "tags"};
  fputs("[", stdout);
  int first = 1;
  for (int i = 0; i < 6; i++)
    if (p & (1u << i)) {
      printf("%s\"%s\"", first ? "" : ",", names[i]);
      first = 0;
    }
  fputs("]", stdout);
}

static void json_match(const px_match *m) {
  printf("{\"id\":%llu,\"score\":%d,\"kind\":\"%s\",\"penalties\":",
         (unsigned long long)m->unit_id, m->score, kind_name(m->kind));
  json_penalties(m->penalties);
  fputs(",\"source\":", stdout);
  cli_json_str(stdout, m->source, m->source_len);
  fputs(",\"target\":", stdout);
  cli_json_str(stdout, m->target, m->target_len);
  printf(",\"substituted\":%s,\"substitutions\":[",
         m->substituted ? "true" : "false");
  for (size_t i = 0; i < m->nsubst; i++)
    printf("%s{\"offset\":%zu,\"length\":%zu}", i ? "," : "", m->subst[i].off,
           m->subst[i].len);
  fputs("]", stdout);
  const px_unit *u = m->unit;
  if (u->doc_id) {
    fputs(",\"doc\":", stdout);
    cli_json_str(stdout, u->doc_id, strlen(u->doc_id));
    printf(",\"doc_pos\":%u", u->doc_pos);
  }
  printf(",\"changed\":%lld,\"usage_count\":%u}", (long long)u->changed,
         u->usage_count);
}

/* The target with substituted numbers marked: colour or [[...]]. */
static void print_target(const lk *c, const px_match *m) {
  size_t pos = 0;
  for (size_t i = 0; i < m->nsubst; i++) {
    fwrite(m->target + pos, 1, m->subst[i].off - pos, stdout);
    fputs(c->color ? "\033[1;32m" : "[[", stdout);
    fwrite(m->target + m->subst[i].off, 1, m->subst[i].len, stdout);
    fputs(c->color ? "\033[0m" : "]]", stdout);
    pos = m->subst[i].off + m->subst[i].len;
  }
  fwrite(m->target + pos, 1, m->target_len - pos, stdout);
}

static void text_match(const lk *c, const px_match *m) {
  printf("%3d%%  %-7s #%llu", m->score, kind_name(m->kind),
         (unsigned long long)m->unit_id);
  if (m->substituted)
    fputs("  (numbers substituted)", stdout);
  if (m->unit->doc_id)
    printf("  [%s:%u]", m->unit->doc_id, m->unit->doc_pos);
  printf("\n  %s: ", c->from);
  fwrite(m->source, 1, m->source_len, stdout);
  printf("\n  %s: ", c->to);
  print_target(c, m);
  fputc('\n', stdout);
}

static int one(lk *c, const char *text, int fail) {
  px_match *m = NULL;
  size_t n = 0;
  int rc =
      px_tm_lookup(&m, &n, c->tm, text, strlen(text), c->from, c->to, &c->o);
  if (rc < 0)
    return cli_fail("lookup", rc);
  if (c->json) {
    fputs("{\"query\":", stdout);
    cli_json_str(stdout, text, strlen(text));
    printf(",\"from\":\"%s\",\"to\":\"%s\",\"matches\":[", c->from, c->to);
    for (size_t i = 0; i < n; i++) {
      if (i)
        fputc(',', stdout);
      json_match(&m[i]);
    }
    fputs("]}\n", stdout);
  } else {
    for (size_t i = 0; i < n; i++)
      text_match(c, &m[i]);
    if (n == 0)
      printf("no match at %d%% or more\n", c->o.min_score);
  }
  px_tm_matches_free(m, n);
  return n == 0 && fail ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

static int article(lk *c, const char *path, int lines, int fail) {
  char *buf = NULL;
  size_t len = 0;
  int ec = cli_read_file("lookup", path, (size_t)1 << 28, &buf, &len);
  if (ec)
    return ec;
  px_segment_list *segs = NULL;
  px_segment_opts so = PX_SEGMENT_OPTS_INIT;
  so.lang = c->from;
  if (lines)
    so.flags |= PX_SEGMENT_LINES;
  int rc = px_segment_split(&segs, NULL, buf, len, &so);
  if (rc < 0) {
    cli_errorf("lookup", "%s: %s", strcmp(path, "-") ? path : "<stdin>",
               px_error_last()->message);
    free(buf);
    return cli_exit_code(rc);
  }
  char guessed[sizeof segs->lang];
  if (!c->from) { /* the language the segmenter guessed */
    memcpy(guessed, segs->lang, sizeof guessed);
    guessed[sizeof guessed - 1] = '\0';
    c->from = guessed;
  }
  size_t counts[4] = {0, 0, 0, 0}; /* context, exact, fuzzy, none */
  cli_progress prog;
  cli_progress_start(&prog, "looking up", segs->count);
  for (size_t i = 0; i < segs->count; i++) {
    const px_segment *s = &segs->items[i];
    px_lookup_opts o = c->o;
    if (i > 0) {
      o.prev = segs->items[i - 1].text;
      o.prev_len = segs->items[i - 1].len;
    }
    if (i + 1 < segs->count) {
      o.next = segs->items[i + 1].text;
      o.next_len = segs->items[i + 1].len;
    }
    px_match *m = NULL;
    size_t n = 0;
    rc = px_tm_lookup(&m, &n, c->tm, s->text, s->len, c->from, c->to, &o);
    if (rc < 0) {
      cli_progress_end(&prog);
      cli_errorf("lookup", "%s: sentence %zu (byte %zu): %s",
                 strcmp(path, "-") ? path : "<stdin>", i + 1, s->start,
                 px_error_last()->message);
      px_segment_list_free(segs);
      free(buf);
      return cli_exit_code(rc);
    }
    counts[n ? m[0].kind - 1 : 3]++;
    if (c->json) {
      printf("{\"n\":%zu,\"offset\":%zu,\"text\":", i + 1, s->start);
      cli_json_str(stdout, s->text, s->len);
      fputs(",\"matches\":[", stdout);
      for (size_t j = 0; j < n; j++) {
        if (j)
          fputc(',', stdout);
        json_match(&m[j]);
      }
      fputs("]}\n", stdout);
    } else {
      printf("%zu. ", i + 1);
      fwrite(s->text, 1, s->len, stdout);
      fputc('\n', stdout);
      for (size_t j = 0; j < n; j++) {
        printf("   %3d%% %-7s #%llu%s  ", m[j].score, kind_name(m[j].kind),
               (unsigned long long)m[j].unit_id,
               m[j].substituted ? " (numbers substituted)" : "");
        print_target(c, &m[j]);
        fputc('\n', stdout);
      }
      if (n == 0)
        fputs("     -   no match\n", stdout);
    }
    px_tm_matches_free(m, n);
    cli_progress_update(&prog, i + 1);
  }
  cli_progress_end(&prog);
  fprintf(stderr,
          "parallax lookup: %zu sentences: %zu in-context, %zu exact, %zu "
          "fuzzy, %zu without a match\n",
          segs->count, counts[0], counts[1], counts[2], counts[3]);
  px_segment_list_free(segs);
  free(buf);
  return counts[3] && fail ? CLI_EXIT_FINDINGS : CLI_EXIT_OK;
}

static int run(int argc, char **argv) {
  const char *from = NULL, *to = NULL, *format = "text", *tm_dir = NULL;
  const char *file = NULL, *prev = NULL, *next = NULL;
  long min = 75, limit = -1;
  int fail = 0, lines = 0, exact = 0, nosubst = 0;
  char *query = NULL;
  size_t qlen = 0;
  cli_parser p;
  cli_parser_init(&p, &cli_cmd_lookup, argc, argv);
  const char *arg;
  int id, ec = CLI_EXIT_OK;
  while ((id = cli_next(&p, &arg)) != CLI_END) {
    switch (id) {
    case CLI_HELP: free(query); return cli_help_exit(&cli_cmd_lookup);
    case CLI_BAD: free(query); return CLI_EXIT_USAGE;
    case OPT_FROM: from = arg; break;
    case OPT_TO: to = arg; break;
    case OPT_MIN:
      if (cli_parse_long(&cli_cmd_lookup, "--min", arg, 0, 101, &min)) {
        free(query);
        return CLI_EXIT_USAGE;
      }
      break;
    case OPT_LIMIT:
      if (cli_parse_long(&cli_cmd_lookup, "--limit", arg, 1, 1000, &limit)) {
        free(query);
        return CLI_EXIT_USAGE;
      }
      break;
    case OPT_PREV: prev = arg; break;
    case OPT_NEXT: next = arg; break;
    case OPT_FORMAT: format = arg; break;
    case OPT_FAIL: fail = 1; break;
    case OPT_TM: tm_dir = arg; break;
    case OPT_FILE: file = arg; break;
    case OPT_LINES: lines = 1; break;
    case OPT_EXACT: exact = 1; break;
    case OPT_NO_SUBST: nosubst = 1; break;
    case CLI_ARG: {
      /* several words without quotes make one sentence */
      size_t al = strlen(arg);
      char *q = realloc(query, qlen + al + 2);
      if (!q) {
        free(query);
        cli_errorf("lookup", "out of memory");
        return CLI_EXIT_IO;
      }
      query = q;
      if (qlen)
        query[qlen++] = ' ';
      memcpy(query + qlen, arg, al + 1);
      qlen += al;
      break;
    }
    default: free(query); return CLI_EXIT_USAGE;
    }
  }
  if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0)
    ec = cli_usage_error(&cli_cmd_lookup,
                         "--format must be text or json, not '%s'", format);
  else if (!to)
    ec = cli_usage_error(&cli_cmd_lookup, "--to LANG is required");
  else if (!query && !file)
    ec = cli_usage_error(&cli_cmd_lookup, "give a TEXT or --file FILE");
  else if (query && file)
    ec = cli_usage_error(&cli_cmd_lookup, "give a TEXT or --file, not both");
  else if (lines && !file)
    ec = cli_usage_error(&cli_cmd_lookup, "--lines goes with --file");
  else if (file && (prev || next))
    ec = cli_usage_error(&cli_cmd_lookup,
                         "--prev/--next go with a TEXT; --file takes the "
                         "context from the article");
  if (ec) {
    free(query);
    return ec;
  }
  if (query && px_text_validate(query, qlen, NULL) < 0) {
    size_t bad = 0;
    px_text_validate(query, qlen, &bad);
    cli_errorf("lookup", "the query is not UTF-8 (byte %zu)", bad);
    free(query);
    return CLI_EXIT_DATA;
  }
  lk c;
  memset(&c, 0, sizeof c);
  c.json = strcmp(format, "json") == 0;
  c.color = !c.json && cli_color_stdout();
  c.to = to;
  c.from = from ? from : query ? px_text_guess_lang(query, qlen, "en") : NULL;
  c.o = (px_lookup_opts)PX_LOOKUP_OPTS_INIT;
  c.o.min_score = (int)min;
  c.o.limit = limit > 0 ? (size_t)limit : file ? 1 : 5;
  if (exact)
    c.o.flags |= PX_LOOKUP_EXACT;
  if (nosubst)
    c.o.flags |= PX_LOOKUP_NO_SUBST;
  if (prev) {
    c.o.prev = prev;
    c.o.prev_len = strlen(prev);
  }
  if (next) {
    c.o.next = next;
    c.o.next_len = strlen(next);
  }
  if ((ec = cli_tm_open("lookup", tm_dir, CLI_TM_READ, &c.tm))) {
    free(query);
    return ec;
  }
  if (file) {
    ec = article(&c, file, lines, fail);
  } else
    ec = one(&c, query, fail);
  px_tm_close(c.tm);
  free(query);
  return ec;
}

const cli_command cli_cmd_lookup = {
    "lookup",
    "look sentences up in the translation memory (exact, in-context, fuzzy)",
    "[OPTIONS] --to LANG TEXT... | --file ARTICLE",
    "Looks TEXT up in the translation memory and prints the stored "
    "translations into --to, best first: 101% for an in-context exact match "
    "(the sentence and its previous and next sentences match: give them "
    "with --prev and --next), 100% for an identical sentence, and fuzzy "
    "matches down to --min.\n\n"
    "The fuzzy percentage is the word-token Levenshtein distance over ICU "
    "word tokens, 100*(max(|a|,|b|)-LD)/max(|a|,|b|), minus 1 per differing "
    "number and 1 each for a difference in punctuation or inline tags; a "
    "sentence with the same words that differs only in white space, case, "
    "diacritics or the digits' script scores 99, so 100% means identical.  "
    "When the query differs from the stored sentence only in numbers, the "
    "translation comes back with the query's numbers in the target "
    "language's digits, marked [[like this]] (green on a terminal).  Ties "
    "rank by the newest change, the latest use and the usage count.\n\n"
    "With --file, the article is cut into sentences (or taken one per line "
    "with --lines) and every sentence is looked up in one process with its "
    "neighbours as context; the best match per sentence is printed (more "
    "with --limit) and a summary goes to standard error.\n\n"
    "Lookups only read: the memory is opened read-only, so any number of "
    "lookups may run while one process imports.  Exit status: 0, 1 with "
    "--fail when a sentence has no match, 2 usage, 3 bad input, 4 a missing "
    "or unusable memory.",
    opts,
    run};
