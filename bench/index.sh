#!/bin/sh
# bench/index.sh -- time akkoord-index on the shared corpus: median of RUNS
# builds (default 5), plus the snapshot's size on disk.
#
#   sh bench/index.sh [RUNS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${AKKOORD_SHARED:-$root/../shared/corpus}
runs=${1:-5}
[ -f "$shared/decisions.jsonl" ] || { echo "bench: no $shared/decisions.jsonl" >&2; exit 1; }
make -C "$root" -s all
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
times=""
i=0
while [ $i -lt "$runs" ]; do
    t0=$(date +%s.%N)
    "$root/akkoord-index" -q -o "$out/bench.db" \
        --agreement "$shared/agreement.jsonl" "$shared/decisions.jsonl"
    t1=$(date +%s.%N)
    times="$times $(awk "BEGIN {printf \"%.3f\", $t1 - $t0}")"
    i=$((i + 1))
done
median=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
size=$(du -sk "$out/bench.db" | cut -f1)
docs=$(wc -l < "$shared/decisions.jsonl")
printf 'akkoord-index: %d decisions, %d runs: median %.3f s (runs:%s)\n' \
    "$docs" "$runs" "$median" "$times"
printf 'index size: %d KiB (corpus %d KiB)\n' "$size" \
    "$(( $(wc -c < "$shared/decisions.jsonl") / 1024 ))"
