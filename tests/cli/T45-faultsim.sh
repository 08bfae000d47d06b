#!/bin/sh
# T45: allocation failure (faultsim, after SQLite).  With the binaries of
# `make faultsim` (tests/faultsim/README.md), fail the Nth allocation of a
# small index build and of small queries, for N over the whole run, and
# check that every run ends cleanly:
#   - exit 0, with the same result as a run without failure (the
#     allocation was not reached, or its failure was tolerated), or the
#     documented out-of-memory code (akkoord-index 1, akkoord-query 4)
#     with an "out of memory" message on stderr;
#   - no crash, no sanitizer finding and no leak (ASan/LSan exit 86);
#   - for a build: the previous index byte-identical and no DIR.tmp-* or
#     other file left.
# The runs: akkoord-index over an existing good index (corpus/sample),
# then akkoord-query evaluate of one section, search, and evaluate --all
# (its worker threads; and with one thread, whose Nth allocation is always
# the same one and whose worker runs every section on one handle) on that
# index; each one-shot (only the Nth fails) for N = 1, 1+S, 1+2S, ... up to
# its allocation count, S the stride, and persistent (the Nth and all later
# fail) with stride 7S.
# Environment: FAULTSIM_STRIDE  a number, or auto (default): the smallest
#                                stride with at most FAULTSIM_MAX_RUNS runs
#              FAULTSIM_MAX_RUNS default 10000 (about 5 minutes on 2 cores)
#              FAULTSIM_JOBS     parallel runs (default 2)
#              FAULTSIM_LOG      copy every failed case (and its stderr) here
# Skipped (exit 77) when $AKKOORD_BIN holds no faultsim build.
. "$(dirname "$0")/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:-exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-exitcode=86:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$AKKOORD_ROOT/tests/lsan.supp}"
unset AKKOORD_FAULT_N AKKOORD_FAULT_MODE AKKOORD_FAULT_COUNT
AKKOORD_THREADS=2
export AKKOORD_THREADS

AKKOORD_FAULT_COUNT="$SCRATCH/probe" "$IDX" --version >/dev/null 2>&1 || :
[ -s "$SCRATCH/probe" ] || {
    echo "not a faultsim build in $AKKOORD_BIN (make faultsim)"; exit 77; }

cd "$SCRATCH"
# the sample, plus the API's items (a page, merged with their extract
# records by id): the HTML text, ministers, themes and the merge rule
FXV="$AKKOORD_ROOT/tests/fixtures/valvas"
DEC="$SAMPLE/sample-decisions.jsonl $FXV/extract.jsonl $FXV/page.json"
AGR="$SAMPLE/sample-agreement.jsonl"
SEC=voorbeeld/1.1
# a search that takes every path of issue 13: a word with its compounds,
# a wildcard, an exact form, collapse with the dossiers' stages, facets
QUERY='digitaal OR data* OR =overheid OR minister:peeters OR fietsstraten'
jobs=${FAULTSIM_JOBS:-2}
t0=$(date +%s)

# count FILE: the allocation count a run wrote to FILE.
count() { read -r _c _f <"$1" && echo "$_c"; }

# The reference index and the reference outputs, with their counts.
"$IDX" -q --agreement "$AGR" -o ref.db $DEC || fail "reference build failed"
AKKOORD_FAULT_COUNT=c.index "$IDX" -q --agreement "$AGR" -o ref.db $DEC ||
    fail "reference rebuild failed"
# content of an index without what differs between two builds of the same
# input: the build time in the manifest, the database UUIDs (iamglass and
# the files table's CRC-32 of files holding them, and
# bytes 16-31 of the single-file database)
content() {
    grep -v '"at":\|"seconds":\|"crc32":' "$1/manifest.json"
    od -An -tx1 -j32 "$1/decisions" | cksum
    od -An -tx1 -N16 "$1/decisions"
    for _g in "$1"/sections/*.glass; do cksum <"$_g"; done
}
content ref.db >ref.content
q_eval() { "$QRY" -d "$1" evaluate -f json "$SEC"; }
q_search() { "$QRY" -d "$1" search -f json -n 20 --collapse \
                 --facets year,kind,dossier,minister,theme -- "$QUERY"; }
q_all() { rm -rf "$2" && "$QRY" -d "$1" evaluate --all -f json -o "$2" &&
          cat "$2"/*; }
q_all1() { rm -rf "$2" &&
           AKKOORD_THREADS=1 "$QRY" -d "$1" evaluate --all -f json -o "$2" &&
           cat "$2"/*; }
for q in eval search; do
    AKKOORD_FAULT_COUNT=c.$q q_$q ref.db >ref.$q || fail "reference $q failed"
done
AKKOORD_FAULT_COUNT=c.all q_all ref.db ref.alldir >ref.all ||
    fail "reference evaluate --all failed"
AKKOORD_FAULT_COUNT=c.all1 q_all1 ref.db ref.alldir >ref.all1 ||
    fail "reference evaluate --all (one thread) failed"

n_index=$(count c.index) n_eval=$(count c.eval) n_search=$(count c.search)
n_all=$(count c.all) n_all1=$(count c.all1)
total=$((n_index + n_eval + n_search + n_all + n_all1))
max=${FAULTSIM_MAX_RUNS:-10000}
stride=${FAULTSIM_STRIDE:-auto}
if [ "$stride" = auto ]; then
    # one-shot runs total/S, persistent total/(7S): (8/7) total/S <= max
    stride=$(((8 * total + 7 * max - 1) / (7 * max)))
fi
[ "$stride" -ge 1 ] 2>/dev/null || fail "bad FAULTSIM_STRIDE '$stride'"
pstride=$((7 * stride))
echo "allocations: index $n_index, evaluate $n_eval, search $n_search," \
     "evaluate --all $n_all (one thread $n_all1); stride $stride" \
     "(persistent $pstride), $jobs jobs"

# bad DIR WHAT: note a failed case (and keep its stderr) without stopping.
bad() {
    echo "$2" >>"$1/fail.log"
    sed 's/^/    /' "$1/err" | grep -v '^    *$' | head -n 12 >>"$1/fail.log"
}

# memory_msg FILE PREFIX: the run said "PREFIX..." and why (out of memory).
memory_msg() {
    head -n 1 "$1" | grep -q "^$2: " &&
        grep -qi 'out of memory\|cannot allocate memory\|bad_alloc' "$1"
}

# index_case DIR N MODE: rebuild DIR/db with allocation N failing.
index_case() {
    _d=$1 _n=$2 _m=$3 _rc=0
    rm -f "$_d/count"
    AKKOORD_FAULT_N=$_n AKKOORD_FAULT_MODE=$_m AKKOORD_FAULT_COUNT="$_d/count" \
        "$IDX" -q --agreement "$AGR" -o "$_d/db" $DEC \
        >"$_d/out" 2>"$_d/err" || _rc=$?
    _what="index N=$_n $_m: exit $_rc"
    read -r _c _f 2>/dev/null <"$_d/count" || { bad "$_d" "$_what, no count (crash)"; return 0; }
    if [ "$_rc" -eq 0 ]; then
        content "$_d/db" | cmp -s - ref.content ||
            bad "$_d" "$_what, but the index differs from the reference"
        tree_sums "$_d/db" >"$_d/sums"
    elif [ "$_rc" -ne 1 ] || [ "$_f" -eq 0 ]; then
        bad "$_d" "$_what (failed allocations: $_f)"
    else
        memory_msg "$_d/err" akkoord-index ||
            bad "$_d" "$_what, no out-of-memory message"
        tree_sums "$_d/db" | cmp -s - "$_d/sums" ||
            bad "$_d" "$_what, the previous index changed"
    fi
    _left=$(cd "$_d" && ls -A | grep -v '^\(db\|\.db\.lock\|count\|out\|err\|sums\|fail\.log\)$' || :)
    [ -z "$_left" ] || { bad "$_d" "$_what, left behind: $_left"; rm -rf "$_d"/db.tmp-*; }
    return 0
}

# query_case DIR N MODE Q: run q_Q with allocation N failing.
query_case() {
    _d=$1 _n=$2 _m=$3 _q=$4 _rc=0
    rm -f "$_d/count"
    AKKOORD_FAULT_N=$_n AKKOORD_FAULT_MODE=$_m AKKOORD_FAULT_COUNT="$_d/count" \
        q_$_q "$_d/db" "$_d/alldir" >"$_d/out" 2>"$_d/err" || _rc=$?
    _what="$_q N=$_n $_m: exit $_rc"
    read -r _c _f 2>/dev/null <"$_d/count" || { bad "$_d" "$_what, no count (crash)"; return 0; }
    if [ "$_rc" -eq 0 ]; then
        cmp -s "$_d/out" "ref.$_q" ||
            bad "$_d" "$_what, but the output differs from the reference"
    elif [ "$_rc" -ne 4 ] || [ "$_f" -eq 0 ]; then
        bad "$_d" "$_what (failed allocations: $_f)"
    else
        memory_msg "$_d/err" akkoord-query ||
            bad "$_d" "$_what, no out-of-memory message"
    fi
    return 0
}

# worker K: the runs whose index (in stride steps) is K modulo $jobs.
worker() {
    _d="w$1"
    mkdir "$_d"
    cp -r ref.db "$_d/db"
    tree_sums "$_d/db" >"$_d/sums"
    _runs=0
    for _spec in "index $n_index oneshot $stride" "index $n_index persistent $pstride" \
                 "eval $n_eval oneshot $stride" "eval $n_eval persistent $pstride" \
                 "search $n_search oneshot $stride" "search $n_search persistent $pstride" \
                 "all $n_all oneshot $stride" "all $n_all persistent $pstride" \
                 "all1 $n_all1 oneshot $stride" "all1 $n_all1 persistent $pstride"; do
        set -- $_spec
        _n=1
        _i=0
        while [ "$_n" -le "$2" ]; do
            if [ $((_i % jobs)) -eq "$K" ]; then
                if [ "$1" = index ]; then index_case "$_d" "$_n" "$3"
                else query_case "$_d" "$_n" "$3" "$1"; fi
                _runs=$((_runs + 1))
            fi
            _i=$((_i + 1)) _n=$((_n + $4))
        done
    done
    echo "$_runs" >"$_d/runs"
}

pids=""
K=0
while [ "$K" -lt "$jobs" ]; do
    worker "$K" &
    pids="$pids $!"
    K=$((K + 1))
done
BG_PIDS="$pids"
for p in $pids; do wait "$p"; done
BG_PIDS=""

runs=0
for r in w*/runs; do runs=$((runs + $(cat "$r"))); done
echo "faultsim: $runs runs (stride $stride, persistent $pstride) in" \
     "$(($(date +%s) - t0)) s"
if cat w*/fail.log >fails 2>/dev/null && [ -s fails ]; then
    nf=$(grep -c '^[a-z]' fails)
    head -n 150 fails >&2
    echo "failed runs by kind:" >&2
    grep '^[a-z]' fails | sed 's/ N=[0-9]*//' | sort | uniq -c | sort -rn >&2
    [ -z "${FAULTSIM_LOG:-}" ] || cp fails "$FAULTSIM_LOG"
    fail "$nf of $runs faultsim runs failed"
fi
exit 0
