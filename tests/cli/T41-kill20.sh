#!/bin/sh
# T41: 20 SIGKILLs of a rebuild of an existing index, at seeded random
# moments over the whole build (lock, scratch dir, reading, flushing,
# commit, swap).  After each kill the existing index is byte-identical and
# answers a fixed set of queries exactly as before; stale scratch dirs are
# cleaned by the next complete rebuild.
#
# The existing index is corpus/sample (14 decisions, 2 sections); the
# rebuild reads the first 500 shared decisions (or, without the shared
# corpus, 500 generated ones) so that one build takes about half a second.
# Kill moments are uniform over [0, 0.8 x the measured build time], plus
# a few very early ones; the seed is printed (AKKOORD_SEED to replay).
# A kill that lands after the swap leaves the complete new index: that is
# correct too, is checked as such, and is not counted among the 20.
. "$(dirname "$0")/lib.sh"

seed=${AKKOORD_SEED:-20241129}   # fixed default: repeatable runs in CI
echo "seed $seed (AKKOORD_SEED=$seed to replay)"
WANT=20
DB="$SCRATCH/db"
NEW="$SCRATCH/new.db"
BIG="$SCRATCH/big.jsonl"

if [ -f "$SHARED/decisions.jsonl" ]; then
    head -n 500 "$SHARED/decisions.jsonl" >"$BIG"
    AGR_BIG="$SHARED/agreement.jsonl"
else
    AGR_BIG="$SAMPLE/sample-agreement.jsonl"
    synth_decisions 500 300 "$BIG"
fi

cd "$SCRATCH"
printf '%s\n' digitaal 'kind:nota' 'year:2021' '"Vlaamse overheid"' \
    'subsidie OR kinderopvang' >queries.txt

# quick_answers DB: as answers (lib.sh), without python (for the loop):
# the ids taken from each JSON line with sed; checked against answers once.
quick_answers() {
    while IFS= read -r _q; do
        _rc=0
        "$QRY" -d "$1" search -n 100 -f json -- "$_q" >"$SCRATCH/.qa" \
            2>"$SCRATCH/.qa.err" || _rc=$?
        [ "$_rc" -le 1 ] || fail "query '$_q' on $1 exited $_rc: $(cat "$SCRATCH/.qa.err")"
        printf '%s\t%s\n' "$_q" "$(sed -n 's/^{"id":"\([^"]*\)".*/\1/p' "$SCRATCH/.qa" | tr '\n' ' ' | sed 's/ $//')"
    done <queries.txt
}
build_original() {
    rm -rf "$DB"
    expect_rc 0 "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$DB" \
        "$SAMPLE/sample-decisions.jsonl"
    tree_sums "$DB" >before.sums
}
rebuild() {  # the build that gets killed
    exec "$IDX" -q --agreement "$AGR_BIG" -o "$1" "$BIG"
}

build_original
answers "$DB" queries.txt >before.ans
quick_answers "$DB" | cmp -s before.ans - ||
    fail "quick_answers disagrees with answers: $(quick_answers "$DB" | diff before.ans - || :)"
# Every query answers something on the old index (the checks are real).
awk -F '\t' '$2 == "" { print "FAIL: no results for " $1; bad = 1 }
             END { exit bad }' before.ans >&2 || exit 1

# The complete new index, for the kills that land after the swap; its
# build time sets the range of kill moments.
ms=$(python3 -c '
import subprocess, sys, time
t = time.monotonic()
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
print(int((time.monotonic() - t) * 1000))
' "$IDX" -q --agreement "$AGR_BIG" -o "$NEW" "$BIG") || fail "a complete rebuild failed"
answers "$NEW" queries.txt >new.ans
new_snap=$(snapshot_of "$NEW")
echo "one rebuild takes $ms ms"

times=$(python3 -c '
import random, sys
r = random.Random(int(sys.argv[1]))
d = int(sys.argv[2]) / 1000.0
early = [r.uniform(0.0, 0.02) for _ in range(3)]
rest = [r.uniform(0.0, 0.8 * d) for _ in range(80)]
print(" ".join("%.3f" % t for t in early + rest))
' "$seed" "$ms")

killed=0 tries=0 swapped=0
for t in $times; do
    [ "$killed" -ge "$WANT" ] && break
    tries=$((tries + 1))
    (rebuild "$DB") >/dev/null 2>&1 &
    pid=$!
    BG_PIDS="$pid"
    sleep "$t"
    kill -9 "$pid" 2>/dev/null || :
    rc=0; wait "$pid" 2>/dev/null || rc=$?
    BG_PIDS=""
    if [ "$rc" -eq 0 ] || ! tree_sums "$DB" | cmp -s before.sums -; then
        # Finished (or swapped in) before the kill: the target must then be
        # the complete new index, answering as the new index does.
        snap=$(snapshot_of "$DB") ||
            fail "kill at ${t}s (exit $rc) left an index without a manifest"
        [ "$snap" = "$new_snap" ] || {
            tree_sums "$DB" | diff before.sums - >&2 || :
            fail "kill -9 at ${t}s (exit $rc) changed the index into neither the old nor the new one"
        }
        answers "$DB" queries.txt | cmp -s new.ans - ||
            fail "swapped-in index after kill at ${t}s answers differently from a clean build"
        echo "kill at ${t}s: build had already swapped in (exit $rc); restoring"
        swapped=$((swapped + 1))
        build_original
        continue
    fi
    [ "$rc" -eq 137 ] || fail "rebuild exited $rc at ${t}s, want 137 (SIGKILL)"
    killed=$((killed + 1))
    quick_answers "$DB" | cmp -s before.ans - || {
        quick_answers "$DB" | diff before.ans - >&2 || :
        fail "answers changed after kill -9 at ${t}s"
    }
    # byte-identical (checked above: tree_sums equal to before.sums); the
    # killed build's scratch dir may remain beside it until the next build.
done
echo "$killed kills mid-build, $swapped after the swap, $tries tries"
[ "$killed" -ge "$WANT" ] || fail "only $killed of $WANT kills landed mid-build"

# A complete rebuild afterwards succeeds and removes every stale scratch dir.
ls -d "$DB".tmp-* 2>/dev/null | sed 's/^/stale before rebuild: /' || :
(rebuild "$DB") >/dev/null 2>"$SCRATCH/err" ||
    fail "rebuild after the kills failed: $(cat "$SCRATCH/err")"
for d in "$DB".tmp-*; do
    [ -e "$d" ] && fail "stale $d left after a complete rebuild"
done
answers "$DB" queries.txt | cmp -s new.ans - ||
    fail "the final rebuild answers differently from a clean build"
exit 0
