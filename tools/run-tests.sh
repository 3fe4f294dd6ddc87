#!/usr/bin/env bash
# run-tests.sh: the whole test suite, from nothing: installs the Debian
# packages, builds parallax twice (a normal build and one under
# AddressSanitizer + UndefinedBehaviorSanitizer) and runs every test
# (unit, data, cli) in both.  This is the README's test command and what
# .ci/run calls.  Exit status 0 only if every test passes in both builds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
status=0
for cfg in build:RelWithDebInfo:OFF build-asan:Debug:ON; do
  IFS=: read -r dir type san <<<"$cfg"
  echo "== $dir ($type, sanitizers $san)"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE="$type" -DPX_SANITIZE="$san" >/dev/null
  cmake --build "$dir" -j "$jobs"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" -j "$jobs" --output-on-failure || status=1
done
exit $status
