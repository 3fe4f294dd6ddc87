/*
 * eval.c: bead-file parsing and the Vecalign scoring (strict/lax P/R/F1,
 * pooled), checked against numbers worked out by hand.
 */
#include <math.h>
#include <string.h>

#include "px_test.h"

static int near(double a, double b) { return fabs(a - b) < 1e-9; }

static void parse(px_eval_beads *b, const char *s) {
  memset(b, 0, sizeof *b);
  CHECK_OK(px_eval_parse(b, "t", s, strlen(s)));
}

PX_TEST(test_align_eval__parse_shapes) {
  px_eval_beads b;
  parse(&b, "[0]:[0]\n[1, 2]:[1]\n\n  [3]:[]\r\n[]:[2, 3, 4]\n[]:[]");
  CHECK_INT(b.count, 5);
  CHECK_INT(b.src_off[2] - b.src_off[1], 2);
  CHECK_INT(b.src_idx[b.src_off[1] + 1], 2);
  CHECK_INT(b.tgt_off[3] - b.tgt_off[2], 0);
  CHECK_INT(b.tgt_off[4] - b.tgt_off[3], 3);
  CHECK_INT(b.tgt_idx[b.tgt_off[3] + 2], 4);
  CHECK_INT(b.max_src, 4);
  CHECK_INT(b.max_tgt, 5);
  px_eval_beads_dispose(&b);
  parse(&b, "");
  CHECK_INT(b.count, 0);
  px_eval_beads_dispose(&b);
  px_eval_beads_dispose(NULL);
}

PX_TEST(test_align_eval__parse_errors) {
  px_eval_beads b;
  memset(&b, 0, sizeof b);
  CHECK_ERR(px_eval_parse(&b, "g.txt", "[0]:[0]\n[1:[1]\n", 16), PX_EPARSE);
  CHECK_STR(px_error_last()->message, "g.txt:2:3: expected ',' or ']'");
  CHECK_ERR(px_eval_parse(&b, "g.txt", "[0] [0]", 7), PX_EPARSE);
  CHECK_STR(px_error_last()->message, "g.txt:1:5: expected ':'");
  CHECK_ERR(px_eval_parse(&b, "g.txt", "[x]:[0]", 7), PX_EPARSE);
  CHECK_STR(px_error_last()->message, "g.txt:1:2: expected a sentence number");
  CHECK_ERR(px_eval_parse(&b, "g.txt", "[0]:[0] x", 9), PX_EPARSE);
  CHECK_STR(px_error_last()->message,
            "g.txt:1:9: unexpected text after the bead");
  CHECK_ERR(px_eval_parse(&b, "g.txt", "0:[0]", 5), PX_EPARSE);
  CHECK_STR(px_error_last()->message, "g.txt:1:1: expected '['");
  CHECK_ERR(px_eval_parse(&b, "g.txt", "[999999999999]:[0]", 18), PX_ETOOBIG);
  CHECK_ERR(px_eval_parse(&b, "g.txt", "[0]:[\xff]", 7), PX_EPARSE);
  CHECK_STR(px_error_last()->message, "g.txt: invalid UTF-8 at byte 5");
  CHECK(b.count == 0 && b.src_off == NULL); /* untouched on failure */
}

/* gold: [0]:[0] [1]:[1,2] [2]:[] []:[3]
 * pred: [0]:[0] [1]:[1] []:[2] [2]:[] []:[3]
 * P: 5 beads; strict hits [0]:[0], [2]:[], []:[3] = 3/5; lax adds [1]:[1]
 *    (gold aligns source 1 with target 1) = 4/5.
 * R: gold two-sided [0]:[0] [1]:[1,2] vs pred two-sided [0]:[0] [1]:[1]:
 *    strict 1/2, lax 2/2. */
PX_TEST(test_align_eval__score_by_hand) {
  px_eval_beads g, p;
  px_eval_score sc;
  memset(&sc, 0, sizeof sc);
  parse(&g, "[0]:[0]\n[1]:[1, 2]\n[2]:[]\n[]:[3]\n");
  parse(&p, "[0]:[0]\n[1]:[1]\n[]:[2]\n[2]:[]\n[]:[3]\n");
  CHECK_OK(px_eval_add(&sc, &g, &p, 3, 4));
  px_eval_finish(&sc);
  CHECK_INT(sc.pred_beads, 5);
  CHECK_INT(sc.gold_beads, 2);
  CHECK(near(sc.strict_p, 0.6));
  CHECK(near(sc.lax_p, 0.8));
  CHECK(near(sc.strict_r, 0.5));
  CHECK(near(sc.lax_r, 1.0));
  CHECK(near(sc.strict_f1, 2 * 0.6 * 0.5 / 1.1));
  CHECK(near(sc.lax_f1, 2 * 0.8 / 1.8));
  /* pooled with a perfect second document of 2 beads */
  px_eval_beads g2, p2;
  parse(&g2, "[0]:[0]\n[1, 2]:[1]\n");
  parse(&p2, "[1, 2]:[1]\n[0]:[0]\n[0]:[0]\n"); /* order and duplicates */
  CHECK_OK(px_eval_add(&sc, &g2, &p2, 0, 0));
  px_eval_finish(&sc);
  CHECK_INT(sc.pred_beads, 7);
  CHECK_INT(sc.gold_beads, 4);
  CHECK(near(sc.strict_p, 5.0 / 7));
  CHECK(near(sc.strict_r, 3.0 / 4));
  CHECK(near(sc.lax_r, 1.0));
  px_eval_beads_dispose(&g);
  px_eval_beads_dispose(&p);
  px_eval_beads_dispose(&g2);
  px_eval_beads_dispose(&p2);
}

PX_TEST(test_align_eval__lax_needs_overlap) {
  px_eval_beads g, p;
  px_eval_score sc;
  memset(&sc, 0, sizeof sc);
  parse(&g, "[0]:[0]\n[1]:[1]\n");
  parse(&p, "[0]:[1]\n[1]:[0]\n");
  CHECK_OK(px_eval_add(&sc, &g, &p, 0, 0));
  px_eval_finish(&sc);
  CHECK(near(sc.strict_p, 0) && near(sc.lax_p, 0));
  CHECK(near(sc.strict_f1, 0) && near(sc.lax_f1, 0));
  px_eval_beads_dispose(&g);
  px_eval_beads_dispose(&p);
}

PX_TEST(test_align_eval__mismatched_files) {
  px_eval_beads g, p;
  px_eval_score sc;
  memset(&sc, 0, sizeof sc);
  parse(&g, "[0]:[0]\n[1]:[1]\n");
  parse(&p, "[0]:[0]\n[1]:[7]\n");
  CHECK_ERR(px_eval_add(&sc, &g, &p, 0, 0), PX_EPARSE);
  CHECK_STR(px_error_last()->message,
            "pred: bead 2 names target sentence 7 but the gold has 2");
  CHECK_ERR(px_eval_add(&sc, &g, &g, 1, 5), PX_EPARSE);
  CHECK_STR(px_error_last()->message,
            "gold: bead 2 names source sentence 1 but the document has 1");
  CHECK_INT(sc.pred_beads, 0);
  px_eval_beads_dispose(&g);
  px_eval_beads_dispose(&p);
}
