#!/bin/sh
# tests/valgrind.sh -- run tests/run.sh with akkoord-index, akkoord-query
# and the unit tests under valgrind memcheck (make valgrind calls it).
#
# Usage: sh tests/valgrind.sh BINDIR WRAPDIR [UNIT...]
#   BINDIR   folder holding the real akkoord-index and akkoord-query
#   WRAPDIR  folder (re)created with wrapper scripts of the same names,
#            and of the unit tests under WRAPDIR/unit/; run.sh gets
#            AKKOORD_BIN=WRAPDIR
#   UNIT     unit-test binaries to run under valgrind as well
# Environment:
#   AKKOORD_SKIP  CLI tests to skip (default "T12 T34 T41 T42 T43 T56 T70
#                 T72": T12,
#                 T41 and T42 kill the indexer at timed moments or race
#                 processes, which says nothing about memory under a 30x
#                 slowdown; T34 renders two more evaluate --all runs, the
#                 code T31 already runs under memcheck, and would add a
#                 quarter of an hour; T43 runs some 2800 queries on damaged
#                 copies of an index, hours under memcheck, and the ASan
#                 build runs it whole; T56 runs the refresh script over
#                 akkoord-fetch, -split and -index, whose runs T50, T55
#                 and T60 put under memcheck, in three more minutes; T70
#                 builds the shared corpus's site four times and runs
#                 evaluate --all twice, and T72 puts serve under a load of
#                 requests and a snapshot swap: the site and serve code
#                 run under memcheck in T71 on the hostile corpus, and
#                 the ASan build runs T70 and T72 whole); set it empty to
#                 run them all
#   AKKOORD_JOBS  CLI tests run at a time (default 2: memcheck keeps one
#                 core busy per process)
#   VALGRIND      valgrind command (default: valgrind)
# A memcheck error or a definite leak makes the binary exit 99, so its
# test fails; possible/indirect leaks and still-reachable memory do not
# count.  tests/valgrind.supp suppresses third-party noise only.
set -eu
[ $# -ge 2 ] || { echo "usage: sh tests/valgrind.sh BINDIR WRAPDIR [UNIT...]" >&2
                  exit 2; }
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "$1" && pwd)
wrap=$2
shift 2
vg=${VALGRIND:-valgrind}
command -v "${vg%% *}" >/dev/null 2>&1 || {
    echo "valgrind.sh: '$vg' not found (apt-get install valgrind)" >&2
    exit 2; }

rm -rf "$wrap"
mkdir -p "$wrap/unit"
wrap=$(cd "$wrap" && pwd)

# wrapper OUT REAL: a script OUT that runs REAL under memcheck.
wrapper() {
    cat >"$1" <<EOF
#!/bin/sh
exec $vg --quiet --error-exitcode=99 --leak-check=full \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    --track-origins=no --suppressions="$root/tests/valgrind.supp" \\
    "$2" "\$@"
EOF
    chmod 755 "$1"
}
for b in akkoord-index akkoord-query akkoord-split akkoord-fetch; do
    [ -x "$bin/$b" ] || { echo "valgrind.sh: no $bin/$b (run make)" >&2
                          exit 2; }
    wrapper "$wrap/$b" "$bin/$b"
done
units=""
for u in "$@"; do
    wrapper "$wrap/unit/$(basename "$u")" "$(cd "$(dirname "$u")" && pwd)/$(basename "$u")"
    units="$units $wrap/unit/$(basename "$u")"
done

AKKOORD_SKIP=${AKKOORD_SKIP-T12 T34 T41 T42 T43 T56 T70 T72}
AKKOORD_JOBS=${AKKOORD_JOBS-2}
export AKKOORD_SKIP AKKOORD_JOBS
AKKOORD_BIN=$wrap AKKOORD_UNIT=$units exec sh "$root/tests/run.sh"
