#!/bin/sh
# selftest.sh -- prove check.mjs against mock sites (mkmock.py): the good
# ones pass, every broken one fails with the message of the check that
# owns the defect.  Also runs --base against a python3 http.server.
# Usage: sh selftest.sh [SCRATCH]    (needs node_modules: npm ci)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
T=${1:-$(mktemp -d "${TMPDIR:-/tmp}/akkoord-browser.XXXXXX")}
bad=0

# expect VARIANT RC PATTERN [check.mjs options]: build the mock, run the
# checks, want exit RC and (for RC 1) a FAIL line matching PATTERN.
expect() {
    v=$1 rc=$2 pat=$3; shift 3
    rm -rf "$T/$v"
    python3 "$HERE/mkmock.py" "$v" "$T/$v"
    got=0
    node "$HERE/check.mjs" --site "$T/$v" --out "$T/$v.shots" \
        --expect-totals "$T/$v/index.json" "$@" >"$T/$v.log" 2>&1 || got=$?
    if [ "$got" != "$rc" ]; then
        echo "FAIL $v: exit $got, want $rc"; sed 's/^/    /' "$T/$v.log"; bad=1
    elif [ "$rc" = 1 ] && ! grep -A20 '^FAIL' "$T/$v.log" | grep -q -- "$pat"; then
        echo "FAIL $v: no FAIL line with \"$pat\""; sed 's/^/    /' "$T/$v.log"; bad=1
    else
        echo "ok   $v ($(grep -c '^FAIL' "$T/$v.log") failing checks)"
    fi
}

expect good          0 ''
expect hostile-ok    0 '' --hostile
expect hostile-bad   1 'hostile: no markup' --hostile
expect hostile-bad   1 'alert dialog "8"'
expect bad-totals    1 'totals match.*done: page "4", want 3'
expect bad-filter    1 'filter box: after typing'
expect alert         1 'alert dialog "hallo"'
expect console-error 1 'console error.*oeps'
expect throw         1 'page error.*Cannot read properties of null'
expect fetch-json    1 'blocked by CORS policy'
expect missing-css   1 'style.css: net::ERR_FILE_NOT_FOUND'
expect bad-axe       1 'axe front page: label (critical)'
expect low-contrast  1 'color-contrast (serious)'
expect blank         1 'section-desktop.png: blank'
expect bad-back      1 'no ul.citing link back'
expect no-badge      1 'no visible .badge.verdict badge text'
expect bad-badge     1 'data-verdict "in_progress" but badge class "v-done"'
expect bad-lang      1 'lang="en"'

# --base: the same pages over http (python3 http.server maps / to index.html).
serve_check() {
    v=$1 rc=$2 pat=$3
    : >"$T/$v.http"
    python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$T/$v" >"$T/$v.http" 2>&1 &
    pid=$!
    trap 'kill $pid 2>/dev/null || :' EXIT
    port=
    for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
        port=$(sed -n 's/.* port \([0-9]*\) .*/\1/p' "$T/$v.http")
        [ -n "$port" ] && break
        sleep 0.3
    done
    [ -n "$port" ] || { echo "FAIL $v: http.server did not start"; bad=1; kill "$pid"; return; }
    got=0
    node "$HERE/check.mjs" --base "http://127.0.0.1:$port/" --out "$T/$v.base" \
        --hostile >"$T/$v.base.log" 2>&1 || got=$?
    kill "$pid"
    if [ "$got" != "$rc" ] || { [ "$rc" = 1 ] && ! grep -q -- "$pat" "$T/$v.base.log"; }; then
        echo "FAIL $v over http: exit $got, want $rc ($pat)"
        sed 's/^/    /' "$T/$v.base.log"; bad=1
    else
        echo "ok   $v over http"
    fi
}
serve_check hostile-ok 0 ''
serve_check hostile-bad 1 '<a href="javascript:alert(1)">'

[ $bad = 0 ] && echo "selftest passed ($T)" || echo "selftest FAILED ($T)"
exit $bad
