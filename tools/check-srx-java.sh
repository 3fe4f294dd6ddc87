#!/usr/bin/env bash
# check-srx-java.sh [SRX...]: compile the SRX rules with java.util.regex, as
# OmegaT and Okapi do (needs a JDK: javac and java).  Default: the shipped
# dictionaries/srx/*.srx.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
command -v javac >/dev/null || { echo "check-srx-java: javac not found (install default-jdk-headless)" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
javac -d "$tmp" "$here/tools/srx/CheckSrx.java"
if [ $# -eq 0 ]; then set -- "$here"/dictionaries/srx/*.srx; fi
java -cp "$tmp" CheckSrx "$@"
