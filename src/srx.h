/*
 * srx.h: SRX 2.0 (Segmentation Rules eXchange) documents, internal part.
 * srx.c parses SRX with Expat, compiles every rule's regular expressions
 * with ICU once at load time, and picks the rules that apply to a language
 * (languagemaps, cascade).  The compiled handle is immutable after load;
 * segment.c clones the regexes it uses per call, so one handle serves many
 * threads.
 */
#ifndef PX_SRX_H
#define PX_SRX_H

#include <stddef.h>
#include <unicode/uregex.h>

#include "parallax.h"

/* One <rule>.  before is compiled as "(?:BEFORE)\z" so that a match ending
 * at the candidate can be found in a window that ends there; either regex
 * is NULL when its element is empty (an empty pattern always matches). */
typedef struct px_srx_rule {
  int brk; /* 1: break="yes", 0: break="no" */
  URegularExpression *before;
  URegularExpression *after;
  /* "(?=(?:AFTER))(?<=(?:BEFORE))": the whole rule as one zero-width
   * match anchored at the candidate (lookingAt), so ICU tries only the few
   * start positions the bounded lookbehind allows instead of scanning a
   * window.  NULL when ICU refuses it (an unbounded BEFORE such as \s*):
   * then before and after are matched separately. */
  URegularExpression *combined;
  char *combined_src; /* its UTF-8 source, kept until the units are built */
  unsigned line;      /* where the rule is, for messages */
} px_srx_rule;

/* Runs of consecutive combined rules are units.  At a candidate the
 * segmenter knows ICU's default (break or not); only a first-matching rule
 * of the other kind can change it.  So each unit has two filters, the
 * alternation "(?:C1)|(?:C2)|..." of its break="no" rules (group[0]) and
 * of its break="yes" rules (group[1]); one call tells whether any rule of
 * that kind matches.  At most candidates none does and the default
 * stands; otherwise the rules are tried one by one in order.  The
 * alternatives carry no capture groups on purpose: ICU copies every group
 * on each backtracking step, which made one marked call slower than the
 * separate ones.  A rule that could not be combined is a unit of its own
 * (combined 0) and is always evaluated. */
typedef struct px_srx_unit {
  const px_srx_rule *rules; /* count rules, in order */
  size_t count;
  int combined;
  URegularExpression *group[2]; /* NULL: no rule of that kind */
} px_srx_unit;

typedef struct px_srx_langrule {
  char *name;
  px_srx_rule *rules;
  size_t count, cap;
  px_srx_unit *units;
  size_t nunits;
} px_srx_langrule;

typedef struct px_srx_map {
  URegularExpression *pattern; /* case-insensitive, matched on the whole tag */
  size_t langrule;             /* index into the document's langrules */
} px_srx_map;

typedef struct px_srx_doc {
  char *name; /* file name, for messages */
  int cascade;
  px_srx_langrule *langrules;
  size_t nlangrules, caplangrules;
  px_srx_map *maps;
  size_t nmaps, capmaps;
} px_srx_doc;

struct px_segment_rules {
  px_srx_doc *docs;
  size_t ndocs, capdocs;
};

/* Parse one SRX document from memory and append it to rules. */
int px_srx__parse(px_segment_rules *rules, const char *xml, size_t len,
                  const char *name);

/* The rules that apply to lang, in evaluation order, as units: *out is a
 * px_malloc'd array of borrowed pointers (valid while rules lives),
 * possibly empty; *nrules receives the number of rules they hold. */
int px_srx__select(const px_srx_unit ***out, size_t *count, size_t *nrules,
                   const px_segment_rules *rules, const char *lang);

/* Free everything the documents of rules hold (not rules itself). */
void px_srx__dispose(px_segment_rules *rules);

#endif
