#!/bin/sh
# tests/run.sh -- run every test of akkoord and print one closing line
# "N passed, N failed, N skipped" (CI reads it).
#
# Environment: AKKOORD_BIN   folder holding akkoord-index and akkoord-query
#              AKKOORD_UNIT  unit-test binaries (cmocka) to run
#              AKKOORD_SHARED the shared corpus folder (default ../shared/corpus
#                             beside the checkout); CLI tests that need it
#                             are skipped (exit 77) when it is missing.
#              AKKOORD_SKIP  CLI tests not to run, by number or name
#                            (e.g. "T12 T41"); counted as skipped
#              AKKOORD_JOBS  CLI tests run at a time (default 1)
# In a sanitizer build (make asan) a finding exits 86, so that it fails a
# test even where the test expects exit 1 (ASan's default) from an error
# path; ASAN_OPTIONS/UBSAN_OPTIONS from the environment are kept.
# A CLI test is tests/cli/T<nn>-<topic>.sh: exit 0 pass, 77 skip, else fail.
root=$(cd "$(dirname "$0")/.." && pwd)
: "${AKKOORD_BIN:=$root}"
: "${AKKOORD_SHARED:=$root/../shared/corpus}"
export AKKOORD_BIN AKKOORD_SHARED
export AKKOORD_ROOT="$root"
export AKKOORD_EVAL="${AKKOORD_EVAL:-$(dirname "$AKKOORD_SHARED")/eval}"
unset AKKOORD_DB NO_COLOR
export ASAN_OPTIONS="${ASAN_OPTIONS:-exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-exitcode=86:print_stacktrace=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp}"
pass=0 fail=0 skip=0 failed=""

for t in $AKKOORD_UNIT; do
    name=$(basename "$t")
    if AKKOORD_SHARED="$AKKOORD_SHARED" "$t" >"$t.log" 2>&1; then
        pass=$((pass + 1)); echo "ok    unit/$name"
    else
        fail=$((fail + 1)); failed="$failed unit/$name"
        echo "FAIL  unit/$name"; sed 's/^/      /' "$t.log" | tail -30
    fi
done

# The CLI tests run AKKOORD_JOBS at a time (default 1: the kill and
# concurrency tests time their moves; make valgrind runs 2, as memcheck is
# one core per process), each into its own log and exit-status file, and
# are reported in name order with their wall time.
out=$(mktemp -d)
todo=""
for t in "$root"/tests/cli/T*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    case " ${AKKOORD_SKIP:-} " in *" ${name%%-*} "*|*" $name "*)
        echo "$name" >>"$out/skipped"; continue
    esac
    todo="$todo $t"
done
# shellcheck disable=SC2016,SC2086 # $1/$2 are the inner shell's
printf '%s\n' $todo | xargs -r -P "${AKKOORD_JOBS:-1}" -I{} sh -c \
    'n=$(basename "$1" .sh) t0=$(date +%s); sh "$1" >"$2/$n.log" 2>&1
     echo "$? $(($(date +%s) - t0))" >"$2/$n.tmp"; mv "$2/$n.tmp" "$2/$n.rc"' \
    _ {} "$out" &
jobs_pid=$!
for t in "$root"/tests/cli/T*.sh; do
    [ -e "$t" ] || continue
    name=$(basename "$t" .sh)
    if grep -qx "$name" "$out/skipped" 2>/dev/null; then
        skip=$((skip + 1)); echo "skip  cli/$name: in AKKOORD_SKIP"; continue
    fi
    while [ ! -e "$out/$name.rc" ] && kill -0 $jobs_pid 2>/dev/null; do
        sleep 0.2    # report in name order, as each test ends
    done
    log=$out/$name.log
    read -r rc secs <"$out/$name.rc" 2>/dev/null || rc=1 secs=0
    if [ "$rc" -eq 0 ]; then
        pass=$((pass + 1)); echo "ok    cli/$name ($secs s)"
    elif [ "$rc" -eq 77 ]; then
        skip=$((skip + 1)); echo "skip  cli/$name: $(tail -1 "$log")"
    else
        fail=$((fail + 1)); failed="$failed cli/$name"
        echo "FAIL  cli/$name (exit $rc)"; sed 's/^/      /' "$log" | tail -30
    fi
done
wait $jobs_pid
rm -rf "$out"

[ -n "$failed" ] && echo "failed:$failed"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
