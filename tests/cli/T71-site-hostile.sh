#!/bin/sh
# T71: the site and serve on hostile corpus text (tests/fixtures/hostile:
# <script>, event handlers, javascript: and quote-breaking urls,
# </details>, in titles, texts, ids, chapters and urls).  In the page
# source: no element, script, on* attribute or link the site does not
# write itself; every corpus string appears as text; in Chromium, on the
# files and served: no dialog, no foreign script, no javascript: link.
. "$(dirname "$0")/lib.sh"
FX="$AKKOORD_ROOT/tests/fixtures/hostile"
DB="$SCRATCH/db"
expect_rc 0 "$IDX" -q --agreement "$FX/agreement.jsonl" -o "$DB" "$FX/decisions.jsonl"
expect_rc 0 "$QRY" -d "$DB" site -o "$SCRATCH/site"
CHECK="python3 $AKKOORD_ROOT/tests/cli/site_check.py"
$CHECK safe "$SCRATCH/site" || fail "hostile text became markup"
$CHECK links "$SCRATCH/site" || fail "dangling links"
$CHECK tidy "$SCRATCH/site" || fail "tidy finds problems"

# Every hostile title shows up as text (escaped), on its decision's page.
python3 - "$FX/decisions.jsonl" "$SCRATCH/site" <<'PY' || fail "corpus text lost or raw"
import html, json, os, sys
site = sys.argv[2]
n = 0
for line in open(sys.argv[1], encoding="utf-8"):
    d = json.loads(line)
    p = os.path.join(site, "d", d["id"] + ".html")
    if not os.path.exists(p):
        continue
    src = open(p, encoding="utf-8").read()
    esc = (html.escape(d["title"], quote=True).replace("&#x27;", "&#39;")
           .replace("[", "&#91;").replace("]", "&#93;"))
    assert esc in src, "title of %s not shown escaped" % d["id"]
    assert d["title"] not in src or "<" not in d["title"], "raw title in %s" % d["id"]
    n += 1
assert n >= 2, "only %d hostile decisions have a page" % n
print("hostile titles shown as text on %d decision pages" % n)
PY

[ -d "$AKKOORD_ROOT/tests/browser/node_modules/puppeteer-core" ] ||
    fail "tests/browser/node_modules missing (make deps runs npm ci there)"
out="$AKKOORD_ROOT/tests/out/T71"
rm -rf "$out"; mkdir -p "$out"
node "$AKKOORD_ROOT/tests/browser/check.mjs" --site "$SCRATCH/site" \
    --out "$out/site" --hostile || fail "browser: hostile site"

# The same pages served, and a hostile search.
"$QRY" -d "$DB" serve --port 0 2>"$SCRATCH/serve.log" &
BG_PIDS="$BG_PIDS $!"
i=0
until grep -q 'serving .* on http' "$SCRATCH/serve.log"; do
    i=$((i + 1)); [ $i -lt 300 ] || fail "serve did not start"; sleep 0.1
done
base=$(sed -n 's|.* on \(http://[^ ]*\)/$|\1|p' "$SCRATCH/serve.log")
python3 - "$base" <<'PY' || fail "serve: hostile search"
import sys, urllib.error, urllib.parse, urllib.request
base = sys.argv[1]
def get(q):
    try:
        r = urllib.request.urlopen(base + "/search?q=" + urllib.parse.quote(q))
        return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
# a query the parser refuses (javascript: is no field): 400, its text escaped
st, body = get('fietsostrade "<script>alert(1)</script>" javascript:alert(2)')
assert st == 400 and 'class="error"' in body, st
assert "<script>alert" not in body, "raw script in the search page"
st, body = get('fietsostrade "<script>alert(1)</script>"')
assert st == 200 and "&lt;script&gt;alert(1)" in body, st
assert "<script>alert" not in body, "raw script in the search page"
st, body = get("fietsostrade")
assert st == 200 and 'class="result"' in body, "no results for fietsostrade"
assert "<script>alert" not in body and "<img src" not in body
print("serve: hostile search and results escaped")
PY
node "$AKKOORD_ROOT/tests/browser/check.mjs" --base "$base" \
    --out "$out/serve" --hostile || fail "browser: hostile served site"

# A clean stop (SIGTERM): exit 0, and its closing line counts no failure.
pid=${BG_PIDS##* }
kill -TERM "$pid"
rc=0; wait "$pid" || rc=$?
[ "$rc" -eq 0 ] || fail "serve exited $rc on SIGTERM"
grep -q 'stopped after [0-9]* requests, 0 failed' "$SCRATCH/serve.log" ||
    fail "serve: $(tail -1 "$SCRATCH/serve.log")"
