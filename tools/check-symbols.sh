#!/usr/bin/env bash
# check-symbols.sh LIB.a: every global symbol that the library defines must
# start with px_ (the idea of curl's test1167), so that linking parallax
# never collides with a program's own names.
set -euo pipefail
lib=${1:?usage: check-symbols.sh libparallax.a}
# Sanitizer builds add their own globals (__odr_asan.*, __asan_*): not ours.
bad=$(nm -g --defined-only "$lib" | awk 'NF==3 {print $3}' | grep -v '^px_' |
  grep -v -E '^(__odr_asan|__asan|__ubsan|__sancov)' || true)
if [ -n "$bad" ]; then
  echo "symbols without the px_ prefix:"; echo "$bad"; exit 1
fi
echo "check-symbols: all $(nm -g --defined-only "$lib" | awk 'NF==3' | wc -l) exported symbols start with px_"
