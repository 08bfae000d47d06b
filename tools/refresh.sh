#!/bin/sh
# tools/refresh.sh -- the refresh path: today's decisions from the official
# search API, the agreement split from its PDF, one index of both.  What
# `make refresh` runs; needs the network unless --base-url names a local
# server (tests/cli/T56-refresh.sh replays the API on 127.0.0.1).
#
# Owns: the folder DIR and its three products: valvas.jsonl (the raw API
# items, appended to and resumed by akkoord-fetch: a re-run fetches only
# what is new), agreement.jsonl (akkoord-split's output) and akkoord.db
# (the snapshot).  Never: replaces a product with a failed step's output
# (each program writes beside its file and renames; a failed step stops
# the script with its own message and exit status).
#
#   tools/refresh.sh BINDIR DIR AGREEMENT.pdf [akkoord-fetch options]
set -eu

if [ $# -lt 3 ]; then
    echo "usage: tools/refresh.sh BINDIR DIR AGREEMENT.pdf [akkoord-fetch options]" >&2
    exit 2
fi
bin=$1 dir=$2 pdf=$3
shift 3
for b in akkoord-fetch akkoord-split akkoord-index; do
    [ -x "$bin/$b" ] || { echo "refresh: no $bin/$b (run make)" >&2; exit 2; }
done
[ -f "$pdf" ] || { echo "refresh: no agreement PDF '$pdf'" >&2; exit 2; }
mkdir -p "$dir"

echo "refresh: decisions from the search API into $dir/valvas.jsonl" >&2
"$bin/akkoord-fetch" "$@" -o "$dir/valvas.jsonl"
echo "refresh: splitting $pdf into $dir/agreement.jsonl" >&2
"$bin/akkoord-split" -o "$dir/agreement.jsonl" "$pdf"
echo "refresh: indexing into $dir/akkoord.db" >&2
"$bin/akkoord-index" -o "$dir/akkoord.db" \
    --agreement "$dir/agreement.jsonl" "$dir/valvas.jsonl"
echo "refresh: done; query it with: akkoord-query -d $dir/akkoord.db ..." >&2
