#!/bin/sh
# T33: rank prints a TREC run ("section Q0 decision rank score akkoord")
# for one section or for every section; usage errors and unknown sections
# map to their exit codes.  Section ids and decision ids are checked
# against agreement.jsonl / decisions.jsonl.
. "$(dirname "$0")/lib.sh"
shared_index
SEC=bestuurzaken/3.2.3
Q() { "$QRY" -d "$SHARED_DB" "$@"; }

expect_rc 0 Q rank "$SEC" -n 20
cp "$SCRATCH/out" "$SCRATCH/one.txt"
[ -s "$SCRATCH/err" ] && fail "rank wrote to stderr: $(head -3 "$SCRATCH/err")"
expect_rc 0 Q rank --all -n 5
cp "$SCRATCH/out" "$SCRATCH/all.txt"
expect_rc 0 Q rank "$SEC"
cp "$SCRATCH/out" "$SCRATCH/default.txt"

# Neither an id nor --all, both, two ids, a bad -n: usage errors.
expect_rc 2 Q rank
expect_rc 2 Q rank --all "$SEC"
expect_rc 2 Q rank "$SEC" bestuurzaken/3.2.2
expect_rc 2 Q rank "$SEC" -n zes
# An unknown section: exit 1, nothing on stdout.
expect_rc 1 Q rank no-such/9.9.9 -n 5
[ -s "$SCRATCH/out" ] && fail "rank of an unknown section printed a run"
[ -s "$SCRATCH/err" ] || fail "rank of an unknown section: no message"

python3 - "$SHARED/decisions.jsonl" "$SHARED/agreement.jsonl" "$SEC" \
    "$SCRATCH" <<'EOF' || fail "rank output check failed"
import sys
from akt import load, trec_run, fail
dec = load(sys.argv[1])
agr = load(sys.argv[2])
sec, d = sys.argv[3], sys.argv[4]

def check_run(rows, sid, n, what):
    if len(rows) != n:
        fail("%s: %d lines, want %d" % (what, len(rows), n))
    prev = None
    for k, (s, q0, did, rank, score, tag) in enumerate(rows, 1):
        if (s, q0, tag) != (sid, "Q0", "akkoord"):
            fail("%s line %d: %r %r %r, want %r Q0 akkoord" % (what, k, s, q0, tag, sid))
        if rank != k:
            fail("%s line %d: rank %d" % (what, k, rank))
        if did not in dec:
            fail("%s line %d: decision %r is not in the corpus" % (what, k, did))
        if prev is not None and score > prev:
            fail("%s line %d: score %r after %r (not non-increasing)" % (what, k, score, prev))
        prev = score
    if len({r[2] for r in rows}) != len(rows):
        fail("%s: a decision is ranked twice" % what)

check_run(trec_run(d + "/one.txt"), sec, 20, "rank %s -n 20" % sec)
dflt = trec_run(d + "/default.txt")
check_run(dflt, sec, 100, "rank %s (default -n 100)" % sec)
if dflt[:20] != trec_run(d + "/one.txt"):
    fail("rank -n 20 is not the top 20 of rank -n 100")

rows = trec_run(d + "/all.txt")
if len(agr) != 224:
    fail("fixture: %d sections, want 224" % len(agr))
if len(rows) != 5 * len(agr):
    fail("rank --all -n 5: %d lines, want %d" % (len(rows), 5 * len(agr)))
for i, sid in enumerate(agr):
    check_run(rows[5 * i:5 * i + 5], sid, 5, "rank --all -n 5, section %d" % (i + 1))
print("rank --all -n 5: %d sections x 5 lines" % len(agr))
EOF
echo "T33 ok"
