#!/bin/sh
# T10: building an index of the shared corpus: exit 0, a manifest whose
# counts and checksums match the input files, and `show` returning a
# decision's title as written in the corpus.
. "$(dirname "$0")/lib.sh"
need_shared

DB="$SCRATCH/db"
expect_rc 0 "$IDX" --agreement "$SHARED/agreement.jsonl" -o "$DB" \
    "$SHARED/decisions.jsonl"
[ -f "$DB/manifest.json" ] || fail "no manifest.json in $DB"

dsum=$(sha256sum <"$SHARED/decisions.jsonl" | cut -d' ' -f1)
asum=$(sha256sum <"$SHARED/agreement.jsonl" | cut -d' ' -f1)

python3 - "$DB/manifest.json" "$SHARED/decisions.jsonl" \
    "$SHARED/agreement.jsonl" "$dsum" "$asum" <<'EOF' || exit 1
import json, os, sys
from akt import fail
man, dec, agr, dsum, asum = sys.argv[1:]
m = json.load(open(man, encoding="utf-8"))

def lines(p):
    with open(p, encoding="utf-8") as f:
        return sum(1 for l in f if l.strip())

c = m.get("counts", {})
if c.get("decisions") != lines(dec):
    fail("counts.decisions %r != %d lines" % (c.get("decisions"), lines(dec)))
if c.get("sections") != lines(agr):
    fail("counts.sections %r != %d lines" % (c.get("sections"), lines(agr)))
if c.get("skipped") != 0:
    fail("counts.skipped %r != 0" % c.get("skipped"))

want = {os.path.realpath(dec): dsum, os.path.realpath(agr): asum}
seen = set()
for inp in m.get("inputs", []):
    p = os.path.realpath(inp.get("path", ""))
    if p not in want:
        fail("manifest input %r is not one of the inputs" % inp.get("path"))
    if inp.get("sha256") != want[p]:
        fail("sha256 of %s: manifest %r, sha256sum %s"
             % (p, inp.get("sha256"), want[p]))
    seen.add(p)
if seen != set(want):
    fail("manifest inputs %r, want %r" % (sorted(seen), sorted(want)))
st = m.get("versions", {}).get("stemmer")
if not isinstance(st, str) or not st.strip():
    fail("versions.stemmer empty: %r" % st)
EOF

# Pick a few ids from the corpus: the first and last line, one with odd
# whitespace in its title, one with a U id.
python3 - "$SHARED/decisions.jsonl" >"$SCRATCH/pick" <<'EOF'
import sys
from akt import load, norm
c = load(sys.argv[1])
ids = list(c)
pick = [ids[0], ids[-1]]
odd = [i for i in ids if c[i]["title"] != norm(c[i]["title"])]
pick += odd[:1]
pick += [i for i in ids if i.startswith("U")][:1]
print("\n".join(dict.fromkeys(pick)))
EOF
[ -s "$SCRATCH/pick" ] || fail "no ids picked"

while read -r id; do
    expect_rc 0 "$QRY" -d "$DB" show "$id" -f json
    cp "$SCRATCH/out" "$SCRATCH/show.json"
    python3 - "$SHARED/decisions.jsonl" "$id" "$SCRATCH/show.json" <<'EOF' || exit 1
import sys
from akt import load, norm, rows, fail
c = load(sys.argv[1]); id_ = sys.argv[2]
r = rows(sys.argv[3])
if len(r) != 1:
    fail("show %s: %d JSON lines, want 1" % (id_, len(r)))
r = r[0]
if r.get("id") != id_:
    fail("show %s returned id %r" % (id_, r.get("id")))
if norm(r.get("title")) != norm(c[id_]["title"]):
    fail("show %s: title %r, corpus %r" % (id_, r.get("title"), c[id_]["title"]))
EOF
done <"$SCRATCH/pick"
exit 0
