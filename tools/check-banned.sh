#!/usr/bin/env bash
# check-banned.sh SRCDIR: functions we do not use in src/ (curl's list):
# they overflow, lose errors or are not thread-safe.  <ctype.h> is banned on
# text too: its answers depend on the C locale, and bytes of UTF-8 are not
# characters (use ICU through text.c).
set -euo pipefail
dir=${1:?usage: check-banned.sh SRCDIR}
pat='\b(strcpy|strcat|strncpy|sprintf|vsprintf|strtok|atoi|atol|gets)[[:space:]]*\(|#include[[:space:]]*<ctype\.h>'
if grep -rnE "$pat" "$dir" --include='*.c' --include='*.h'; then
  echo "check-banned: banned calls found above"; exit 1
fi
echo "check-banned: clean"
