#!/bin/sh
# T42: queries keep answering while the index they read is rebuilt and
# swapped, and a second akkoord-index on the same target is refused.
#
# Part 1: two query loops run against DIR while a sequence of rebuilds of
# DIR (three different corpora: the sample A, the sample without two
# decisions A2, and 1000 shared or generated decisions B) is swapped in,
# slow ones and ~30 fast ones back to back.  Every query must exit 0 with
# results, and its id list must be exactly the answer of one snapshot that
# was current at some moment while it ran (timestamps of each query and
# each build decide which snapshots those are; the answers of each
# snapshot come from a separate clean build of it).
# Part 3: rank --all and evaluate --all while rebuilds swap snapshots
# under them: each run exits 0, or 3 with a message naming the index;
# never another code, never a failure without a word.
# Part 2: while a rebuild runs, akkoord-index on the same -o (as an
# absolute path, with a trailing slash, as a relative path) exits 1 with
# "another akkoord-index is building" and changes nothing; the running
# build then completes normally.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
DB="$SCRATCH/db"
A="$SAMPLE/sample-decisions.jsonl"
sed -e 1d -e 5d "$A" >a2.jsonl
if [ -f "$SHARED/decisions.jsonl" ]; then
    head -n 1000 "$SHARED/decisions.jsonl" >b.jsonl
else
    synth_decisions 1000 300 b.jsonl
fi
printf '%s\n' digitaal 'kind:nota' '"Vlaamse overheid"' \
    'subsidie OR kinderopvang' 'digitale OR informatieveiligheid' >queries.txt

# The answers of each snapshot, from clean builds elsewhere.
for s in A:"$A" A2:a2.jsonl B:b.jsonl; do
    name=${s%%:*}
    expect_rc 0 "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" \
        -o "$SCRATCH/ref-$name" "${s#*:}"
    answers "$SCRATCH/ref-$name" queries.txt >"ans.$name"
done
cmp -s ans.A ans.A2 && fail "A and A2 answer the same (test is void)"
cmp -s ans.A ans.B && fail "A and B answer the same (test is void)"

expect_rc 0 "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$DB" "$A"

# ---- part 1: queries during rebuilds and swaps ------------------------
python3 - "$IDX" "$QRY" "$DB" "$SAMPLE/sample-agreement.jsonl" "$A" <<'EOF' || exit 1
import json, subprocess, sys, threading, time
from akt import fail

IDX, QRY, DB, AGR, A = sys.argv[1:6]
inputs = {"A": A, "A2": "a2.jsonl", "B": "b.jsonl"}
queries = open("queries.txt", encoding="utf-8").read().splitlines()
answers = {}
for name in inputs:
    answers[name] = {}
    for line in open("ans." + name, encoding="utf-8"):
        q, ids = line.rstrip("\n").split("\t")
        if not ids:
            fail("query %r has no results on snapshot %s (test is void)"
                 % (q, name))
        answers[name][q] = ids.split()

stop = threading.Event()
results = []   # (start, end, query, rc, stdout, stderr)

def worker(k):
    i = k
    while not stop.is_set():
        q = queries[i % len(queries)]
        i += 1
        t0 = time.monotonic()
        p = subprocess.run([QRY, "-d", DB, "search", "-n", "100", "-f",
                            "json", "--", q], capture_output=True)
        results.append((t0, time.monotonic(), q, p.returncode, p.stdout,
                        p.stderr))

plan = ["B", "A"] * 3 + ["A2", "A"] * 15 + ["B", "A2", "A"]
timeline = []  # (start, end, snapshot built)
workers = [threading.Thread(target=worker, args=(k,)) for k in range(2)]
for w in workers:
    w.start()
time.sleep(0.2)
try:
    for name in plan:
        t0 = time.monotonic()
        p = subprocess.run([IDX, "-q", "--agreement", AGR, "-o", DB,
                            inputs[name]], capture_output=True)
        t1 = time.monotonic()
        if p.returncode != 0:
            fail("rebuild %s exited %d: %s" % (name, p.returncode,
                                               p.stderr.decode()))
        timeline.append((t0, t1, name))
        time.sleep(0.02)
    time.sleep(0.2)
finally:
    stop.set()
    for w in workers:
        w.join()

snaps = ["A"] + [n for _, _, n in timeline]   # snapshot after k builds
overlap = 0
seen = {}
for t0, t1, q, rc, out, err in results:
    if rc != 0:
        fail("query %r exited %d during rebuilds: %s"
             % (q, rc, err.decode(errors="replace").strip()))
    try:
        ids = [r["id"] for r in map(json.loads, out.decode().splitlines())
               if list(r) != ["search"]]
    except ValueError as e:
        fail("query %r: output not JSON lines (%s): %r" % (q, e, out[:200]))
    j0 = sum(1 for s, e, _ in timeline if e < t0)
    j1 = sum(1 for s, e, _ in timeline if s <= t1)
    allowed = set(snaps[j0:j1 + 1])
    if len(allowed) > 1:
        overlap += 1
    match = [n for n in sorted(allowed) if answers[n][q] == ids]
    if not match:
        fail("query %r answered %r, which is none of the snapshots %s "
             "current while it ran" % (q, ids, sorted(allowed)))
    seen[match[0]] = seen.get(match[0], 0) + 1
print("%d queries during %d rebuilds (%d overlapping a rebuild); answers "
      "per snapshot: %s" % (len(results), len(timeline), overlap, seen))
if overlap < 20:
    fail("only %d queries overlapped a rebuild (test is void)" % overlap)
EOF

# ---- part 2: a second akkoord-index on the same target ---------------
tree_sums "$DB" >before.sums
"$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$DB" b.jsonl \
    >first.out 2>first.err &
first=$!
BG_PIDS="$first"
i=0
has_scratch() { for _d in "$DB.tmp-$first"-*; do [ -d "$_d" ] && return 0; done; return 1; }
while ! has_scratch; do
    i=$((i + 1))
    [ "$i" -lt 500 ] || fail "the first build made no scratch dir in 5 s"
    kill -0 "$first" 2>/dev/null || fail "the first build ended early: $(cat first.err)"
    sleep 0.01
done
for target in "$DB" "$DB/" db ./db//; do
    expect_rc 1 "$IDX" -q -o "$target" "$A"
    expect_err "another akkoord-index is building"
    has_scratch || fail "the second build ($target) removed the first's scratch dir"
    tree_sums "$DB" | cmp -s before.sums - ||
        fail "the refused build ($target) changed the index"
done
kill -0 "$first" 2>/dev/null ||
    echo "note: the first build ended while the second ones ran (still fine)"
rc=0; wait "$first" || rc=$?
BG_PIDS=""
[ "$rc" -eq 0 ] || fail "the first build exited $rc after the refused ones: $(cat first.err)"
answers "$DB" queries.txt | cmp -s ans.B - ||
    fail "the first build's index does not answer as a clean build of it"
for d in "$DB".tmp-*; do
    [ -e "$d" ] && fail "stale $d left"
done

# ---- part 3: --all while snapshots are swapped under it -------------
( i=0; while [ $i -lt 40 ]; do
      for f in "$A" a2.jsonl; do
          "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$DB" "$f" \
              2>/dev/null || :
      done
      i=$((i + 1))
  done ) &
loop=$!
BG_PIDS="$loop"
runs=0 swapped=0
while kill -0 "$loop" 2>/dev/null && [ $runs -lt 200 ]; do
    for cmd in "rank --all" "evaluate --all -o evout"; do
        rc=0; "$QRY" -d "$DB" $cmd >all.out 2>all.err || rc=$?
        runs=$((runs + 1))
        case $rc in
        0) ;;
        3) grep -qF "'$DB'" all.err || fail "$cmd: exit 3 without naming the index: $(cat all.err)"
           swapped=$((swapped + 1)) ;;
        *) fail "$cmd during rebuilds: exit $rc: $(head -3 all.err)" ;;
        esac
    done
done
wait "$loop" || :
BG_PIDS=""
echo "part 3: $runs --all runs during rebuilds, $swapped met a swap (exit 3, named)"
exit 0
