#!/bin/sh
# T12: kill -9 of a rebuild at several moments leaves the existing index
# byte-identical and answering the same query (or, when the kill lands
# after the atomic swap, the complete new index); a later complete rebuild
# succeeds and removes the stale DIR.tmp-* directories.
#
# The existing index is built from corpus/sample (14 decisions); the
# rebuild uses the shared corpus (~1.7 s) or, without it, 20000 decisions
# generated from the sample, so it runs long enough to be killed mid-way.
# Kill times are pseudo-random from a seed (AKKOORD_SEED, default 20240601),
# printed so that a failure can be replayed.
. "$(dirname "$0")/lib.sh"

seed=${AKKOORD_SEED:-20240601}
DB="$SCRATCH/db"

if [ -f "$SHARED/decisions.jsonl" ]; then
    BIG="$SHARED/decisions.jsonl"
else
    BIG="$SCRATCH/big.jsonl"
    synth_decisions 20000 120 "$BIG"
fi

build_original() {
    rm -rf "$DB"
    expect_rc 0 "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$DB" \
        "$SAMPLE/sample-decisions.jsonl"
}
query_ids() {  # DIR: ids of a fixed query on DIR, one a line
    "$QRY" -d "$1" search digitaal -n 50 -f json >"$SCRATCH/q.json" ||
        fail "query on $1 failed (exit $?)"
    python3 -c 'import sys; from akt import ids; print("\n".join(ids(sys.argv[1])))' \
        "$SCRATCH/q.json"
}

build_original
tree_sums "$DB" >"$SCRATCH/before.sums"
query_ids "$DB" >"$SCRATCH/before.ids"
[ -s "$SCRATCH/before.ids" ] || fail "fixed query found nothing on the sample index"
# The expected ids come from the sample corpus: every decision with a word
# of the "digitaal/digitale" family (stem "digital").
python3 - "$SAMPLE/sample-decisions.jsonl" "$SCRATCH/before.ids" <<'EOF' || exit 1
import re, sys
from akt import load, body, fail
c = load(sys.argv[1])
rx = re.compile(r"\bdigita(?:al|le)\b")
want = {i for i, r in c.items() if rx.search(body(r))}
got = set(open(sys.argv[2]).read().split())
if got != want:
    fail("sample query ids %s, corpus says %s" % (sorted(got), sorted(want)))
EOF

# The complete new index, for a kill that lands after the swap.
NEW="$SCRATCH/new"
expect_rc 0 "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$NEW" "$BIG"
new_snap=$(snapshot_of "$NEW")
query_ids "$NEW" >"$SCRATCH/new.ids"

times=$(python3 -c '
import random, sys
r = random.Random(int(sys.argv[1]))
print(" ".join("%.2f" % t for t in [0.05, 0.3] + [r.uniform(0.1, 1.2) for _ in range(3)]))
' "$seed")
echo "seed $seed, kill after: $times s"

killed=0
for t in $times; do
    "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$DB" "$BIG" \
        >/dev/null 2>&1 &
    pid=$!
    BG_PIDS="$pid"
    sleep "$t"
    kill -9 "$pid" 2>/dev/null || :
    rc=0; wait "$pid" || rc=$?
    BG_PIDS=""
    if [ "$rc" -eq 0 ]; then
        # The build finished before the kill: a legitimate replacement.
        echo "build finished before kill at ${t}s; restoring"
        build_original
        tree_sums "$DB" >"$SCRATCH/before.sums"
        continue
    fi
    [ "$rc" -eq 137 ] || fail "rebuild exited $rc (not killed) at ${t}s"
    if ! tree_sums "$DB" | cmp -s "$SCRATCH/before.sums" -; then
        # Killed after the swap (while removing the old index or exiting):
        # the target must be the complete new index.
        snap=$(snapshot_of "$DB") ||
            fail "kill at ${t}s left an index without a manifest"
        [ "$snap" = "$new_snap" ] || {
            tree_sums "$DB" | diff "$SCRATCH/before.sums" - >&2 || :
            fail "index changed after kill -9 at ${t}s into neither the old nor the new one"
        }
        query_ids "$DB" | cmp -s "$SCRATCH/new.ids" - ||
            fail "swapped-in index after kill at ${t}s answers differently from a clean build"
        echo "kill at ${t}s landed after the swap; restoring"
        build_original
        tree_sums "$DB" >"$SCRATCH/before.sums"
        continue
    fi
    killed=$((killed + 1))
    tree_sums "$DB" >"$SCRATCH/after.sums"
    cmp -s "$SCRATCH/before.sums" "$SCRATCH/after.sums" || {
        diff "$SCRATCH/before.sums" "$SCRATCH/after.sums" >&2 || :
        fail "index changed after kill -9 at ${t}s"
    }
    query_ids "$DB" >"$SCRATCH/after.ids"
    cmp -s "$SCRATCH/before.ids" "$SCRATCH/after.ids" ||
        fail "query ids changed after kill -9 at ${t}s"
done
[ "$killed" -ge 3 ] || fail "only $killed of 5 rebuilds were killed mid-build"

# At least the last kill should have left a scratch dir behind (or the
# build was killed before creating it); either way a complete rebuild must
# succeed and leave none.
ls -d "$DB".tmp-* 2>/dev/null | sed 's/^/stale before rebuild: /' || :
expect_rc 0 "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$DB" "$BIG"
for d in "$DB".tmp-*; do
    [ -e "$d" ] && fail "stale $d left after a complete rebuild"
done
python3 - "$DB/manifest.json" "$BIG" <<'EOF' || exit 1
import json, sys
from akt import fail
m = json.load(open(sys.argv[1], encoding="utf-8"))
n = sum(1 for l in open(sys.argv[2], encoding="utf-8") if l.strip())
if m["counts"]["decisions"] != n:
    fail("rebuilt index has %r decisions, want %d" % (m["counts"]["decisions"], n))
EOF
exit 0
