#!/bin/sh
# T72: akkoord-query serve on the shared corpus: a bad --port or --bind is
# a usage error (2), a port in use an error; it binds 127.0.0.1 (only) and
# names the snapshot it serves; every file of `site -o` is served at its path
# with the same bytes (HTML pages: but for the search form in the
# header) and its media type, HEAD too; /search counts and results equal
# `search --count` and `search -f json` for the same query and page; 600
# requests, 16 at a time (bench/serve_load.py), with akkoord-index
# replacing the snapshot in the middle: none fails, the swap is logged
# with the new snapshot's id; the hostile requests (serve_load.py
# --malformed, at the same time) are all answered 4xx or closed, never
# 5xx nor with a file of the disk, and the server survives them; SIGTERM
# stops it with exit 0 and "0 failed".  Prints the figures of the load.
. "$(dirname "$0")/lib.sh"
shared_index
LOAD="python3 $AKKOORD_ROOT/bench/serve_load.py"
INDEX_CMD="'$IDX' -q --agreement '$SHARED/agreement.jsonl' -o '$SHARED_DB' '$SHARED/decisions.jsonl'"
t_start=$(now_ms)

# alive PID: running (not gone, not a zombie)
alive() {
    [ -r "/proc/$1/stat" ] && ! grep -q '^[0-9]* (.*) Z' "/proc/$1/stat" 2>/dev/null
}
# start_serve LOG ARGS...: serve in the background (SV: its pid), wait
# for its "serving" line (SERVING: that line)
start_serve() {
    _log=$1; shift
    "$QRY" -d "$SHARED_DB" serve "$@" 2>"$_log" &
    SV=$!
    BG_PIDS="$BG_PIDS $SV"
    _t0=$(date +%s)
    while :; do
        SERVING=$(grep '^akkoord-query: serving ' "$_log" || :)
        [ -z "$SERVING" ] || break
        alive "$SV" || { cat "$_log" >&2; fail "serve exited before it was ready"; }
        [ $(($(date +%s) - _t0)) -lt 300 ] || { cat "$_log" >&2; fail "serve not ready after 300 s"; }
        sleep 0.2
    done
}
# stop_serve PID LOG: SIGTERM, wait (bounded) for the exit; SV_RC its status
stop_serve() {
    kill -TERM "$1" 2>/dev/null || :
    _t0=$(date +%s)
    while alive "$1"; do
        [ $(($(date +%s) - _t0)) -lt 120 ] || { cat "$2" >&2; fail "serve did not stop on SIGTERM within 120 s"; }
        sleep 0.2
    done
    SV_RC=0
    wait "$1" || SV_RC=$?
}

# Usage errors, before any snapshot is read (bounded: a serve that does
# start instead is a failure, not a hang).
for a in "--port 65536" "--port 99999999999" "--port abc" "--port -1" \
    "--port 80x" "--bind 999.0.0.1" "--bind localhost" "--bind ::1" \
    "--bind 127.0.0.1x" "--bind 1.2.3"; do
    # shellcheck disable=SC2086
    expect_rc 2 timeout 120 "$QRY" -d "$SHARED_DB" serve $a
done
expect_rc 2 timeout 120 "$QRY" -d "$SHARED_DB" serve --port=
expect_rc 2 timeout 120 "$QRY" -d "$SHARED_DB" serve --bind=
expect_rc 2 timeout 120 "$QRY" -d "$SHARED_DB" serve extra
grep -q "port" "$SCRATCH/err" || grep -q "argument" "$SCRATCH/err" ||
    fail "serve extra: no reason given"

# Start: 127.0.0.1 by default, the snapshot of the manifest.
SNAP=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["snapshot"])' \
    "$SHARED_DB/manifest.json")
start_serve "$SCRATCH/serve.log" --port 0
SID=$(printf '%.16s' "$SNAP")
PORT=$(echo "$SERVING" | sed -n "s|^akkoord-query: serving $SID on http://127\.0\.0\.1:\([1-9][0-9]*\)/\$|\1|p")
[ -n "$PORT" ] || fail "serving line '$SERVING', want 'serving $SID on http://127.0.0.1:PORT/'"
BASE=http://127.0.0.1:$PORT/
echo "serving on $BASE"
# bound to 127.0.0.1 only: another loopback address (no network needed)
# is refused, as it would not be for 0.0.0.0
python3 - "$PORT" <<'EOF' || fail "serve listens beyond 127.0.0.1"
import socket, sys
s = socket.socket()
s.settimeout(10)
try:
    s.connect(("127.0.0.2", int(sys.argv[1])))
except ConnectionRefusedError:
    sys.exit(0)
except OSError as e:
    print("127.0.0.2: %s (cannot tell)" % e)
    sys.exit(0)
sys.exit("127.0.0.2:%s accepted a connection" % sys.argv[1])
EOF

# The same port again: an error (not a usage error), and nothing served.
rc=0
timeout 300 "$QRY" -d "$SHARED_DB" serve --port "$PORT" >"$SCRATCH/out" 2>"$SCRATCH/err2" || rc=$?
case $rc in
0|2|124) fail "serve on a port in use: exit $rc, want an error other than 2" ;;
esac
grep -q "cannot listen" "$SCRATCH/err2" || fail "port in use: no reason given"
grep -q "serving" "$SCRATCH/err2" && fail "port in use: says it is serving"

# Every file of the static site, served at its path.
expect_rc 0 "$QRY" -d "$SHARED_DB" site -o "$SCRATCH/site"
python3 - "$SCRATCH/site" "$PORT" "$SNAP" <<'EOF' || fail "served pages differ from site -o"
import http.client, os, re, sys
from akt import fail
top, port, snap = sys.argv[1], int(sys.argv[2]), sys.argv[3]
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8",
         ".json": "application/json; charset=utf-8"}
FORM = re.compile(rb'\n<form action="/search"[^\n]*</form>')
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def get(path, method="GET"):
    global c
    for i in (0, 1):
        try:
            c.request(method, path)
            r = c.getresponse()
            return r.status, dict((k.lower(), v) for k, v in r.getheaders()), r.read()
        except (http.client.HTTPException, OSError):
            c.close()
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if i:
                raise
files = []
for d, _, fs in os.walk(top):
    for f in fs:
        rel = os.path.relpath(os.path.join(d, f), top)
        if not f.startswith("."):
            files.append(rel)
files.sort()
n_html = 0
for rel in files:
    want = open(os.path.join(top, rel), "rb").read()
    st, h, got = get("/" + rel)
    if st != 200:
        fail("GET /%s: %d" % (rel, st))
    ext = os.path.splitext(rel)[1]
    if h.get("content-type") != TYPES.get(ext):
        fail("GET /%s: Content-Type %r, want %r" % (rel, h.get("content-type"), TYPES.get(ext)))
    if ext == ".html":
        n_html += 1
        if len(FORM.findall(got)) != 1:
            fail("GET /%s: %d search forms in the header, want 1"
                 % (rel, len(FORM.findall(got))))
        got = FORM.sub(b"", got)
    if got != want:
        a = got.split(b"\n"); b = want.split(b"\n")
        i = next((i for i in range(min(len(a), len(b))) if a[i] != b[i]), min(len(a), len(b)))
        fail("GET /%s differs from site -o at line %d:\n  served %r\n  file   %r"
             % (rel, i + 1, a[i][:200] if i < len(a) else None,
                b[i][:200] if i < len(b) else None))
# / is index.html; HEAD has the headers and no body
st, h, got = get("/")
if st != 200 or FORM.sub(b"", got) != open(os.path.join(top, "index.html"), "rb").read():
    fail("GET / is not index.html (%d)" % st)
if ("snapshot <code>%s</code>" % snap[:16]).encode() not in got:
    fail("the front page's footer does not name snapshot %s" % snap[:16])
st, h, got = get("/index.html", "HEAD")
if st != 200 or got or h.get("content-type") != TYPES[".html"]:
    fail("HEAD /index.html: %d, %d bytes of body, %r" % (st, len(got), h.get("content-type")))
for p in ("/nope.html", "/s/nope.html", "/d/", "/search/", "/index.htm"):
    st, h, got = get(p)
    if st != 404:
        fail("GET %s: %d, want 404" % (p, st))
print("%d files (%d pages) served as site -o wrote them" % (len(files), n_html))
EOF

# Search: the count and the results of the CLI, for the same page.
python3 - "$PORT" "$QRY" "$SHARED_DB" <<'EOF' || fail "search page differs from search"
import html, http.client, json, re, subprocess, sys, urllib.parse
from akt import fail
port, qry, db = int(sys.argv[1]), sys.argv[2], sys.argv[3]
c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
def page(q, k):
    c.request("GET", "/search?q=%s&page=%d" % (urllib.parse.quote(q), k))
    r = c.getresponse()
    b = r.read().decode("utf-8")
    if r.status != 200:
        fail("search %r page %d: %d" % (q, k, r.status))
    m = re.search(r'<p class="count">(\d+) beslissing', b)
    if not m:
        fail("search %r page %d: no p.count with a number" % (q, k))
    # a result links its page of the site (d/NAME.html) or its source
    items = b.split('<li class="result">')[1:]
    hrefs = []
    for it in items:
        m2 = re.match(r'<p><time>[^<]*</time> <a (?:class="src"[^>]* )?href="([^"]*)"', it)
        if not m2:
            fail("search %r page %d: a result without its link: %r" % (q, k, it[:200]))
        hrefs.append(html.unescape(m2.group(1)))
    return int(m.group(1)), hrefs, 'rel="next"' in b, 'rel="prev"' in b
def name(i):
    """docs/site.md: the id with / as _, other bytes outside A-Z a-z 0-9 -
    (and . but not first) as ~XX."""
    out = []
    for n, ch in enumerate(i.encode("utf-8")):
        c = chr(ch)
        if c == "/":
            out.append("_")
        elif c.isascii() and (c.isalnum() or c == "-" or (c == "." and n)):
            out.append(c)
        else:
            out.append("~%02X" % ch)
    return "".join(out)
def cli(*args):
    return subprocess.run([qry, "-d", db, "search"] + list(args), check=False,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          encoding="utf-8")
for q in ("klimaat", "kinderopvang"):
    r = cli("--count", q)
    if r.returncode != 0:
        fail("search --count %r: exit %d" % (q, r.returncode))
    total = int(r.stdout.strip())
    if not 10 < total <= 1000:
        fail("fixture: %r has %d matches, want 11..1000" % (q, total))
    last = (total + 9) // 10
    for k in (1, 2, last):
        n, hrefs, nxt, prv = page(q, k)
        if n != total:
            fail("search %r page %d says %d beslissingen, search --count %d" % (q, k, n, total))
        js = [json.loads(l) for l in cli("-f", "json", "--no-collapse", "-n", "10",
                                          "--offset", str(10 * (k - 1)), q).stdout.splitlines()]
        want = [h if h.startswith("d/") and h == "d/%s.html" % name(j["id"])
                else j["url"] for h, j in zip(hrefs + [""] * 10, js[1:])]
        if hrefs != want:
            fail("search %r page %d: results %s, search -f json %s" % (q, k, hrefs[:3], want[:3]))
        if len(hrefs) != min(10, total - 10 * (k - 1)):
            fail("search %r page %d: %d results" % (q, k, len(hrefs)))
        if nxt != (k < last) or prv != (k > 1):
            fail("search %r page %d: next %s prev %s" % (q, k, nxt, prv))
        for h in hrefs:
            if h.startswith("d/"):
                c.request("HEAD", "/" + h)
                r = c.getresponse()
                r.read()
                if r.status != 200:
                    fail("search %r page %d links /%s, which is %d" % (q, k, h, r.status))
    print("search %r: %d matches, pages 1, 2 and %d as the CLI" % (q, total, last))
r = cli("--count", "zzqqxxwv")
n, hrefs, _, _ = page("zzqqxxwv", 1)
if r.stdout.strip() != "0" or n != 0 or hrefs:
    fail("no match: search --count %r, page says %d, %d results" % (r.stdout, n, len(hrefs)))
EOF

# Load with a swap in the middle, and the hostile requests meanwhile.
$LOAD --base "$BASE" --malformed >"$SCRATCH/probe.out" 2>&1 &
PR=$!
BG_PIDS="$BG_PIDS $PR"
rc=0
$LOAD --base "$BASE" --requests 600 --concurrency 16 --seed 7 --timeout 60 \
    --swap-cmd "$INDEX_CMD" --swap-wait-log "$SCRATCH/serve.log" \
    --swap-timeout 180 >"$SCRATCH/load.out" 2>&1 || rc=$?
cat "$SCRATCH/load.out"
[ "$rc" -eq 0 ] || fail "the load failed (exit $rc)"
grep -q '^requests [0-9]*  failed 0 ' "$SCRATCH/load.out" || fail "failed requests"
grep -q 'failed before 0, during 0, after 0$' "$SCRATCH/load.out" || fail "no clean swap"
rc=0
wait "$PR" || rc=$?
cat "$SCRATCH/probe.out"
[ "$rc" -eq 0 ] || fail "a hostile request was not refused (exit $rc)"
for p in "never-ending request" "1 MB query" "POST with a body" \
    "traversal /s/../../../../etc/passwd (raw)" "bad UTF-8 q=%ff%fe" \
    "GET / after the probes"; do
    grep -q "^ok    $p " "$SCRATCH/probe.out" || fail "probe '$p' not ok"
done
SNAP2=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["snapshot"])' \
    "$SHARED_DB/manifest.json")
grep -q "^akkoord-query: serve: swapped in snapshot $(printf '%.16s' "$SNAP2")\$" \
    "$SCRATCH/serve.log" || fail "no swap to snapshot $SNAP2 in the log"
for f in "$SHARED_DB".tmp-*; do
    [ ! -e "$f" ] || fail "akkoord-index left $f behind"
done

# Stop: exit 0, every request counted, none failed.
stop_serve "$SV" "$SCRATCH/serve.log"
[ "$SV_RC" -eq 0 ] || { cat "$SCRATCH/serve.log" >&2; fail "serve exited $SV_RC on SIGTERM"; }
closing=$(grep 'serve: stopped after' "$SCRATCH/serve.log" || :)
n=$(echo "$closing" | sed -n 's/^akkoord-query: serve: stopped after \([0-9]*\) requests, 0 failed$/\1/p')
[ -n "$n" ] || fail "closing line '$closing', want 'stopped after N requests, 0 failed'"
made=$(sed -n 's/^requests \([0-9]*\) .*/\1/p' "$SCRATCH/load.out")
[ "$n" -ge "$made" ] || fail "the server counted $n requests, the load alone made $made"
grep -v -e 'Error processing request' -e 'Application reported internal error' \
    -e 'closed by remote side' -e '^akkoord-query: serv' "$SCRATCH/serve.log" |
    grep . && fail "unexpected lines in serve's log"
echo "T72: $(($(now_ms) - t_start)) ms"
echo "T72 ok"
