#!/usr/bin/env bash
# install-deps.sh: install the Debian 12 packages parallax builds, tests and
# runs with.  Only what is missing is installed; apt-get update runs only
# then.  Needs root (or sudo).
set -euo pipefail
PKGS=(
  build-essential cmake pkg-config git
  clang-format                     # the format check in the test suite
  libicu-dev            # ICU4C: Unicode, break iteration, transliteration, regex
  libhunspell-dev hunspell-en-us   # spell checking of names beside en_US
  liblmdb-dev lmdb-utils           # the translation memory (mdb_stat, mdb_copy)
  libexpat1-dev                    # streaming XML: TMX and SRX
  zlib1g-dev                       # dictzip (.dict.dz) FreeDict lexicons
  # FreeDict bilingual dictionaries read at run time by the aligner
  dict-freedict-eng-rus dict-freedict-ara-eng dict-freedict-eng-ara
  dict-freedict-tur-eng dict-freedict-eng-tur dict-freedict-deu-fra
  dict-freedict-fra-deu dict-freedict-deu-eng dict-freedict-eng-deu
  dict-freedict-fra-eng
)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
