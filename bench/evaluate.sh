#!/bin/sh
# bench/evaluate.sh -- time evaluate --all and rank --all on the shared
# corpus: median of RUNS runs each (default 3), in sections per second.
# Target: evaluate --all under 5 s (reported, not enforced).
#
#   sh bench/evaluate.sh [RUNS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${AKKOORD_SHARED:-$root/../shared/corpus}
runs=${1:-3}
target=5
[ -f "$shared/decisions.jsonl" ] || { echo "bench: no $shared/decisions.jsonl" >&2; exit 1; }
make -C "$root" -s all
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
q="$root/akkoord-query"
"$root/akkoord-index" -q -o "$out/bench.db" \
    --agreement "$shared/agreement.jsonl" "$shared/decisions.jsonl"
sections=$(grep -c . "$shared/agreement.jsonl")

median() {
    printf '%s\n' "$@" | sort -n |
        awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'
}

# bench NAME CMD...: run CMD RUNS times (stdout discarded), print the
# median wall time and sections/s; sets MEDIAN.
bench() {
    _name=$1; shift
    _times=""
    _i=0
    while [ $_i -lt "$runs" ]; do
        rm -rf "$out/reports"
        _t0=$(date +%s.%N)
        "$@" >/dev/null
        _t1=$(date +%s.%N)
        _times="$_times $(awk "BEGIN {printf \"%.3f\", $_t1 - $_t0}")"
        _i=$((_i + 1))
    done
    MEDIAN=$(median $_times)
    printf '%-24s %d sections, %d runs: median %.3f s, %.1f sections/s (runs:%s)\n' \
        "$_name" "$sections" "$runs" "$MEDIAN" \
        "$(awk "BEGIN {print $sections / $MEDIAN}")" "$_times"
}

bench "evaluate --all (md)" "$q" -d "$out/bench.db" evaluate --all -o "$out/reports"
ev=$MEDIAN
bench "evaluate --all (json)" "$q" -d "$out/bench.db" evaluate --all -f json -o "$out/reports"
bench "rank --all -n 1000" "$q" -d "$out/bench.db" rank --all -n 1000
if awk "BEGIN {exit !($ev < $target)}"; then
    echo "evaluate --all: ${ev} s, under the ${target} s target"
else
    echo "evaluate --all: ${ev} s, OVER the ${target} s target"
fi
