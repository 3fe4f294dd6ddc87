#!/usr/bin/env bash
# eval-align.sh [PARALLAX] [EVALDIR] [-- ALIGN-OPTIONS...]: run `parallax align
# --segmented --format beads` over every development set in EVALDIR
# (default ../shared/eval: textberg-dev, quran-early{,-noisy}/{ar,ru,tr,ur}-en),
# score each with `parallax eval`, and print one table row per set: strict
# and lax precision/recall/F1, CPU seconds (user+sys) and peak memory of the
# align run (from /usr/bin/time -v).  Extra options after `--` go to align
# (e.g. `-- --no-learn`).  Exit 1 if any run fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
px=${1:-$here/../build/parallax}
evaldir=${2:-$here/../../shared/eval}
shift $(( $# > 2 ? 2 : $# ))
[ "${1:-}" = "--" ] && shift
extra=("$@")
[ -x "$px" ] || { echo "eval-align: no parallax binary at $px" >&2; exit 2; }
[ -d "$evaldir" ] || { echo "eval-align: no eval directory $evaldir" >&2; exit 2; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sets=()
[ -d "$evaldir/textberg-dev" ] && sets+=("textberg-dev:de:fr")
for v in quran-early quran-early-noisy; do
  for l in ar ru tr ur; do
    [ -d "$evaldir/$v/$l-en" ] && sets+=("$v/$l-en:$l:en")
  done
done
printf '%-26s %6s %6s %6s   %6s %6s %6s  %7s %8s\n' set sP sR sF1 lP lR lF1 cpu_s peak_MB
fail=0
for s in "${sets[@]}"; do
  IFS=: read -r name sl tl <<<"$s"
  d=$evaldir/$name
  out=$tmp/pred.txt
  if ! /usr/bin/time -v -o "$tmp/time" "$px" align --segmented --format beads \
      --src-lang "$sl" --tgt-lang "$tl" "${extra[@]}" "$d/src.txt" "$d/tgt.txt" >"$out" 2>"$tmp/err"; then
    echo "$name: align failed: $(head -1 "$tmp/err")"; fail=1; continue
  fi
  user=$(awk -F': ' '/User time/ {print $2}' "$tmp/time")
  sys=$(awk -F': ' '/System time/ {print $2}' "$tmp/time")
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/time")
  if ! "$px" eval --gold "$d/gold.txt" --pred "$out" --format json >"$tmp/score" 2>"$tmp/err"; then
    echo "$name: eval failed: $(head -1 "$tmp/err")"; fail=1; continue
  fi
  python3 - "$tmp/score" "$name" "$user" "$sys" "$rss" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
name, user, sys_t, rss = sys.argv[2], float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
st, lx = s["strict"], s["lax"]
print(f"{name:<26} {st['precision']:6.3f} {st['recall']:6.3f} {st['f1']:6.3f}   "
      f"{lx['precision']:6.3f} {lx['recall']:6.3f} {lx['f1']:6.3f}  {user+sys_t:7.2f} {rss/1024:8.1f}")
PY
done
exit $fail
