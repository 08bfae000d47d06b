#!/bin/sh
# bench/search.sh -- latency of the 50 ad-hoc queries of bench/queries.txt
# on the shared corpus: in-process (bench/search_latency: parse, match, load
# the top 10 with snippets; median over ROUNDS rounds after a warm-up) and
# end to end (a new akkoord-query process per query, as a user sees it).
#
#   sh bench/search.sh [ROUNDS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${AKKOORD_SHARED:-$root/../shared/corpus}
rounds=${1:-20}
[ -f "$shared/decisions.jsonl" ] || { echo "bench: no $shared/decisions.jsonl" >&2; exit 1; }
make -C "$root" -s all bench-tools
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$root/akkoord-index" -q -o "$tmp/db" --agreement "$shared/agreement.jsonl" \
    "$shared/decisions.jsonl"
"$root/obj/bench/search_latency" "$tmp/db" "$root/bench/queries.txt" "$rounds"

# End to end: one process per query, wall time per query.
grep -v '^#' "$root/bench/queries.txt" > "$tmp/q"
t0=$(date +%s.%N)
while IFS= read -r q; do
    "$root/akkoord-query" -d "$tmp/db" search -- "$q" > /dev/null 2>&1 || true
done < "$tmp/q"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$(wc -l < "$tmp/q")" \
    'BEGIN { printf "end to end (new process per query): mean %.2f ms\n", (b - a) * 1000 / n }'
