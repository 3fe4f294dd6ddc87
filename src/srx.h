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

/* What the segmenter evaluates at a candidate: either one regex for a run
 * of consecutive combined rules, "(?:C1)|(?:C2)|...", which tells in one
 * call whether any of them matches (at most candidates none does; only
 * then are the rules tried one by one to find the first), or a single rule
 * that could not be combined (re NULL).  The alternatives carry no capture
 * groups on purpose: ICU copies every group on each backtracking step, and
 * marking groups made the one call slower than the separate ones. */
typedef struct px_srx_unit {
  URegularExpression *re;
  const px_srx_rule *rules; /* count rules, in order */
  size_t count;
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
