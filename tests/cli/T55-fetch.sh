#!/bin/sh
# T55: akkoord-fetch against a replay of the search API (tests/cli/
# fx-replay.py on 127.0.0.1, a free port; nothing touches the network)
# serving ../shared/corpus/valvas-items.jsonl.  Through every injected
# fault (500s, a response slower than the client's timeout, truncated
# bodies with and without Content-Length, a page served empty, a count
# that changes between pages) the fetched items equal the served ones
# exactly: equal as JSON values, none missing, none twice; the client
# never asks for a page past the end.  A fetch killed with kill -9 (and a
# half-written last line) resumes without loss or duplicates.  A bad
# response (HTML, a wrong envelope, 500s without end) and a damaged
# output file exit 1 with a message naming the URL or FILE:LINE and leave
# the output byte-identical.
. "$(dirname "$0")/lib.sh"

FX="$AKKOORD_BIN/akkoord-fetch"
ITEMS="$SHARED/valvas-items.jsonl"
[ -f "$ITEMS" ] || { echo "shared corpus not found at $SHARED"; exit 77; }
[ -x "$FX" ] || fail "no $FX (run make)"
cd "$SCRATCH"
RANGE="--since 2019-10-01 --until 2024-02-01"
FAST="--delay 0 --timeout 1 --backoff 0.01 --retries 4 --page-size 50"


# same OUT WHAT [SINCE UNTIL]: OUT holds exactly the served items with a
# meetingDate in [SINCE, UNTIL) (default: all), each equal as a JSON value
# to the corpus line of its id, none twice; prints "served N fetched M".
same() {
    python3 - "$ITEMS" "$1" "$2" "${3:-0000}" "${4:-9999}" <<'PY'
import json, sys
from akt import fail
items, out, what, lo, hi = sys.argv[1:]
want = {}
for l in open(items, encoding="utf-8"):
    it = json.loads(l)
    if lo <= (it["attributes"]["meetingDate"] or "")[:10] < hi:
        want[it["id"]] = it
got = {}
raw = open(out, "rb").read()
if raw and not raw.endswith(b"\n"):
    fail("%s: %s does not end with a complete line" % (what, out))
for n, l in enumerate(raw.decode("utf-8").splitlines(), 1):
    try:
        it = json.loads(l)
    except ValueError as e:
        fail("%s: %s:%d: not JSON (%s)" % (what, out, n, e))
    if it["id"] in got:
        fail("%s: item %s twice (line %d)" % (what, it["id"], n))
    got[it["id"]] = it
missing = sorted(set(want) - set(got))
extra = sorted(set(got) - set(want))
if missing or extra:
    fail("%s: %d missing (%s), %d not served (%s)"
         % (what, len(missing), missing[:3], len(extra), extra[:3]))
diff = [i for i in want if want[i] != got[i]]
if diff:
    fail("%s: %d items differ from the served ones, e.g. %s" % (what, len(diff), diff[0]))
print("%s: served %d fetched %d" % (what, len(want), len(got)))
PY
}
# log_check NAME FAULTKIND...: every fault named was injected, no page
# past the end was asked for (bar the one served empty on purpose), and
# every request was well-formed (no 400).
log_check() {
    python3 - "$@" <<'PY'
import json, sys
from akt import fail
name, kinds = sys.argv[1], sys.argv[2:]
log = [json.loads(l) for l in open(name + ".log")]
got = {r["fault"] for r in log}
for k in kinds:
    if k not in got:
        fail("%s: fault %s was never injected" % (name, k))
for r in log:
    if r["status"] == 400:
        fail("%s: request %d refused: %s" % (name, r["n"], r["raw"]))
    if r.get("past_end"):
        fail("%s: request %d asked for page %d past the end (count %d)"
             % (name, r["n"], r["page"], r["count"]))
PY
}

# ---- every fault: the items equal the served ones --------------------
for sc in "clean:" "http500:2:500,3:500,9:500" "slow:4:slow" \
          "truncated:5:trunc,6:cut" "past-end:7:past" "count-changed:8:count,12:count" \
          "all:2:500,4:slow,5:trunc,6:cut,7:past,8:count,11:500,13:count"; do
    name=${sc%%:*} faults=${sc#*:}
    serve "$ITEMS" "$name" "$faults"
    expect_rc 0 "$FX" --base-url "$URL" $RANGE $FAST -o "$name.jsonl"
    stop
    same "$name.jsonl" "$name"
    log_check "$name" $(echo "$faults" | tr ',' '\n' | sed -n 's/^[0-9]*://p')
    sed 's/^/  /' "$SCRATCH/err"
    case $name in
    past-end|count-changed|all)
        grep -q ' [1-9][0-9]* windows refetched' "$SCRATCH/err" ||
            fail "$name: no window refetched: $(cat "$SCRATCH/err")" ;;
    http500|slow|truncated)
        grep -q ', [1-9][0-9]* retried' "$SCRATCH/err" ||
            fail "$name: nothing retried: $(cat "$SCRATCH/err")" ;;
    esac
done

# ---- kill -9 mid-way, a half-written last line, resume ---------------
serve "$ITEMS" kill ""
"$FX" --base-url "$URL" $RANGE --delay 0.04 --page-size 20 -q -o kill.jsonl \
    2>kill.err &
FXPID=$!
_i=0    # kill it once it has written some windows (slow builds start late)
while [ "$(cat kill.jsonl 2>/dev/null | wc -l)" -lt 300 ]; do
    _i=$((_i + 1)); [ $_i -lt 600 ] || fail "the killed fetch wrote nothing in 60 s"
    sleep 0.1
done
kill -9 "$FXPID" 2>/dev/null || fail "the fetch ended before it was killed"
wait "$FXPID" 2>/dev/null || :
before=$(grep -c '' kill.jsonl || :)
[ "$before" -gt 0 ] && [ "$before" -lt 3101 ] ||
    fail "killed fetch left $before lines, want some but not all"
# the month the resume must start at: of the latest meetingDate kept
want=$(python3 - kill.jsonl <<'PY'
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")[:-1]  # complete
print(max(json.loads(l)["attributes"]["meetingDate"][:7] for l in lines) + "-01")
PY
)
nlog=$(grep -c '' kill.log)
printf '{"type":"news-item","id":"HALF' >>kill.jsonl    # a write cut short
expect_rc 0 "$FX" --base-url "$URL" --until 2024-02-01 $FAST -o kill.jsonl
stop
echo "  killed after $before items; resumed: $(cat "$SCRATCH/err")"
same kill.jsonl "resume after kill -9"
# the killed run started at 2019-10, the resume at the month of the last
# item kept (the first request the server logged after the kill)
first=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["window"][0])' kill.log)
[ "$first" = 2019-10-01 ] || fail "first request of the killed run was $first"
resumed=$(sed -n "$((nlog + 1))p" kill.log | python3 -c 'import json,sys; print(json.load(sys.stdin)["window"][0])')
[ "$resumed" = "$want" ] ||
    fail "the resume started at $resumed, not at $want (the month of the last item kept)"

# ---- bad responses and a damaged file: exit 1, the output untouched --
head -n 2000 clean.jsonl >part.jsonl
sha=$(sha256sum <part.jsonl)
for sc in "html:1:html:not JSON" "envelope:1:envelope:not a search page" \
          "down:1:down500:gave up after 3 attempts"; do
    name=${sc%%:*} rest=${sc#*:}
    faults=${rest%:*} msg=${rest##*:}
    serve "$ITEMS" "$name" "$faults"
    expect_rc 1 "$FX" --base-url "$URL" --until 2024-02-01 --delay 0 \
        --timeout 1 --backoff 0.01 --retries 2 -o part.jsonl
    stop
    expect_err "akkoord-fetch: $URL/news-items/search?filter%5B%3Agte%2Clt%3AmeetingDate%5D="
    expect_err "$msg"
    [ "$(sha256sum <part.jsonl)" = "$sha" ] || fail "$name: part.jsonl changed"
    echo "  $name: $(cat "$SCRATCH/err")"
done
# a damaged line in the existing output: named, nothing fetched or changed
{ head -n 5 clean.jsonl; echo '{"type": "news-item", "id": '; sed -n 6,9p clean.jsonl; } >bad.jsonl
sha=$(sha256sum <bad.jsonl)
expect_rc 1 "$FX" --base-url http://127.0.0.1:9 --delay 0 -o bad.jsonl
expect_err "akkoord-fetch: bad.jsonl:6: not JSON"
[ "$(sha256sum <bad.jsonl)" = "$sha" ] || fail "bad.jsonl changed"
# a usage error
expect_rc 2 "$FX" --since 2024-01-01 --until 2023-01-01 -o x.jsonl
expect_rc 2 "$FX" --since 2023-02-30 -o x.jsonl
[ ! -e x.jsonl ] || fail "a usage error created x.jsonl"
echo "T55 ok"
