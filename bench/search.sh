#!/bin/sh
# bench/search.sh -- latency of the 50 ad-hoc queries of bench/queries.txt
# on the shared corpus: in-process (bench/search_latency: parse, match, load
# the top 10 with snippets; median over ROUNDS rounds after a warm-up) and
# end to end (a new akkoord-query process per query, as a user sees it).
#
# The in-process figure is measured for this checkout (exact counts,
# collapse by dossier, year and dossier facets on) and for the previous
# code, BASE (default dc49437, before the search issue: estimates, no
# facets), built from git in a temporary worktree, with the ratio.
#
#   sh bench/search.sh [ROUNDS] [BASE]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
shared=${AKKOORD_SHARED:-$root/../shared/corpus}
rounds=${1:-20}
base=${2:-dc49437}
[ -f "$shared/decisions.jsonl" ] || { echo "bench: no $shared/decisions.jsonl" >&2; exit 1; }
make -C "$root" -s all bench-tools
tmp=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$tmp/base" 2>/dev/null || :; rm -rf "$tmp"' EXIT
git -C "$root" worktree add -q --detach "$tmp/base" "$base"
make -C "$tmp/base" -s -j2 all bench-tools >/dev/null
for v in base new; do
    r=$root; [ "$v" = base ] && r=$tmp/base
    "$r/akkoord-index" -q -o "$tmp/db-$v" --agreement "$shared/agreement.jsonl" \
        "$shared/decisions.jsonl"
done
# interleaved, so that both see the same load
for k in 1 2 3; do
    "$tmp/base/obj/bench/search_latency" "$tmp/db-base" "$root/bench/queries.txt" "$rounds"
    "$root/obj/bench/search_latency" "$tmp/db-new" "$root/bench/queries.txt" "$rounds"
done | tee "$tmp/lat"
med() { sed -n 's/.*median \([0-9.]*\) ms.*/\1/p' "$tmp/lat" | awk "NR % 2 == $1" |
        sort -n | sed -n 2p; }
b=$(med 1) n=$(med 0)
awk -v b="$b" -v n="$n" -v base="$base" 'BEGIN {
    printf "in process: median of 3 runs, base %s %.3f ms, now %.3f ms, ratio now/base %.2f\n", base, b, n, n / b
    printf "target: now <= 1 ms: %s\n", n <= 1 ? "met" : "not met" }'

# End to end: one process per query, wall time per query.
grep -v '^#' "$root/bench/queries.txt" > "$tmp/q"
t0=$(date +%s.%N)
while IFS= read -r q; do
    "$root/akkoord-query" -d "$tmp/db-new" search -- "$q" > /dev/null 2>&1 || true
done < "$tmp/q"
t1=$(date +%s.%N)
awk -v a="$t0" -v b="$t1" -v n="$(wc -l < "$tmp/q")" \
    'BEGIN { printf "end to end (new process per query): mean %.2f ms\n", (b - a) * 1000 / n }'
