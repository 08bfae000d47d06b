#!/bin/sh
# T56: the refresh path (tools/refresh.sh, what `make refresh` runs)
# against a replay of the search API on 127.0.0.1 (nothing touches the
# network): the decisions fetched are exactly the served items, the
# agreement is split from the published PDF, and the snapshot holds one
# decision per item and one section per split record.  A second run adds
# nothing and keeps the fetched file byte for byte; a run whose fetch
# fails exits non-zero and leaves every product of the first run intact.
. "$(dirname "$0")/lib.sh"

ITEMS="$SHARED/valvas-items.jsonl"
PDF="$SHARED/regeerakkoord-2019-2024.pdf"
REFRESH="$AKKOORD_ROOT/tools/refresh.sh"
[ -f "$ITEMS" ] && [ -f "$PDF" ] || { echo "shared corpus not found at $SHARED"; exit 77; }
for b in akkoord-fetch akkoord-split; do
    [ -x "$AKKOORD_BIN/$b" ] || fail "no $AKKOORD_BIN/$b (run make)"
done
cd "$SCRATCH"
FETCH="--since 2019-10-01 --until 2024-02-01 --delay 0 --page-size 100"

serve "$ITEMS" first ""
expect_rc 0 sh "$REFRESH" "$AKKOORD_BIN" r "$PDF" --base-url "$URL" $FETCH
stop
grep -q "^akkoord-index: indexed " "$SCRATCH/out" ||
    fail "no index summary: $(cat "$SCRATCH/out")"

python3 - "$ITEMS" r <<'PY'
import json, sys
from akt import fail
items = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
d = sys.argv[2]
got = [json.loads(l) for l in open(d + "/valvas.jsonl", encoding="utf-8")]
want = {i["id"]: i for i in items}
ids = [g["id"] for g in got]
if len(ids) != len(set(ids)):
    fail("valvas.jsonl holds an id twice")
if set(ids) != set(want) or any(g != want[g["id"]] for g in got):
    fail("valvas.jsonl: %d items, not the %d served" % (len(got), len(want)))
sections = sum(1 for _ in open(d + "/agreement.jsonl", encoding="utf-8"))
m = json.load(open(d + "/akkoord.db/manifest.json", encoding="utf-8"))
c = m["counts"]
if c["decisions"] != len(want) or c["sections"] != sections:
    fail("manifest counts %r, want %d decisions and %d sections"
         % (c, len(want), sections))
names = sorted(i["path"].rsplit("/", 1)[-1] for i in m["inputs"])
if names != ["agreement.jsonl", "valvas.jsonl"]:
    fail("manifest inputs %r" % names)
print("T56: %d items fetched and indexed, %d sections split" % (len(got), sections))
PY

# the index answers with the API's permalinks and ministers
expect_rc 0 "$QRY" -d r/akkoord.db search -f json -n 1 minister:weyts
python3 - "$SCRATCH/out" <<'PY'
import json, sys
from akt import fail
lines = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
hit = lines[1]
if not hit["url"].startswith("http://themis.vlaanderen.be/"):
    fail("the link is not a Themis permalink: %r" % hit["url"])
if "Weyts" not in hit["ministers"]:
    fail("minister:weyts gave a decision without Weyts: %r" % hit["ministers"])
PY

# a second run: nothing new, the fetched file byte for byte the same
sha=$(sha256sum <r/valvas.jsonl)
serve "$ITEMS" second ""
expect_rc 0 sh "$REFRESH" "$AKKOORD_BIN" r "$PDF" --base-url "$URL" $FETCH
stop
expect_err " 0 items added"
[ "$(sha256sum <r/valvas.jsonl)" = "$sha" ] || fail "the second run changed valvas.jsonl"

# a fetch that fails: exit 1, the products of the last run untouched
before=$(tree_sums r)
expect_rc 1 sh "$REFRESH" "$AKKOORD_BIN" r "$PDF" --base-url http://127.0.0.1:9 \
    $FETCH --retries 0 --timeout 1
expect_err "akkoord-fetch: http://127.0.0.1:9/news-items/search"
[ "$(tree_sums r)" = "$before" ] || fail "a failed refresh changed its folder"
expect_rc 2 sh "$REFRESH" "$AKKOORD_BIN" r "$SCRATCH/none.pdf"
expect_err "refresh: no agreement PDF"
echo "T56 ok"
