#!/usr/bin/env bash
# runner.sh FILE.t: runs one end-to-end CLI test.  A .t file is a bash
# script sourced here with these helpers; its first line is a comment
# saying what it checks.  Environment (set by ctest): PARALLAX, the binary;
# PX_SRC, the source tree; PX_DATA, tests/data.
#
#   px ARGS...           run parallax; stdout -> $OUT, stderr -> $ERR, status -> $RC
#   px_in FILE ARGS...   the same with FILE on standard input
#   expect_rc N          the last status was N
#   expect_out FILE      stdout equals FILE byte for byte
#   expect_out_text STR  stdout equals STR (plus a final newline)
#   expect_out_has STR   stdout contains STR
#   expect_out_lacks STR stdout does not contain STR
#   expect_err_has STR   stderr contains STR
#   expect_err_lines N   stderr has exactly N lines
#   fail MSG             fail the test
# $T is a fresh temporary directory, removed afterwards.
set -u
: "${PARALLAX:?PARALLAX must name the parallax binary}"
case "$PARALLAX" in */*) PARALLAX=$(realpath -e -- "$PARALLAX") || exit 1 ;; esac
script=$(realpath -e -- "${1:?usage: runner.sh FILE.t}") || { echo "FAIL: cannot read $1" >&2; exit 1; }
T=$(mktemp -d "${TMPDIR:-/tmp}/px-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
OUT=$T/.stdout
ERR=$T/.stderr
# lexicon caches of this test stay in its directory, not in the user's
export PARALLAX_CACHE_DIR=$T/.cache
RC=0
failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }
px() { "$PARALLAX" "$@" >"$OUT" 2>"$ERR" </dev/null; RC=$?; }
px_in() { local f=$1; shift; "$PARALLAX" "$@" >"$OUT" 2>"$ERR" <"$f"; RC=$?; }
show() { echo "--- stdout:"; head -c 3000 "$OUT"; echo "--- stderr:"; head -c 2000 "$ERR"; } >&2
expect_rc() { [ "$RC" -eq "$1" ] || { fail "exit status $RC, expected $1"; show; }; }
expect_out() { cmp -s "$OUT" "$1" || { fail "stdout differs from $1"; diff "$1" "$OUT" | head -40 >&2; }; }
expect_out_text() { printf '%s\n' "$1" >"$T/.want"; expect_out "$T/.want"; }
expect_out_has() { grep -qF -- "$1" "$OUT" || { fail "stdout lacks: $1"; show; }; }
expect_out_lacks() { ! grep -qF -- "$1" "$OUT" || { fail "stdout has: $1"; show; }; }
expect_err_has() { grep -qF -- "$1" "$ERR" || { fail "stderr lacks: $1"; show; }; }
expect_err_lines() { local n; n=$(wc -l <"$ERR"); [ "$n" -eq "$1" ] || { fail "stderr has $n lines, expected $1"; show; }; }
cd "$T" || exit 2
# shellcheck disable=SC1090
source "$script"
if [ "$failures" -eq 0 ]; then echo "ok $(basename "$1")"; exit 0; fi
echo "FAIL $(basename "$1") ($failures)"; exit 1
