#!/usr/bin/env bash
# format.sh [--check]: format every C file in src/ and tests/ with the
# repository's .clang-format; --check only reports files that differ.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'tests/*.h' 'tools/*.c')
if [ "${1:-}" = "--check" ]; then
  clang-format --dry-run --Werror $files
  echo "format: clean"
else
  clang-format -i $files
fi
