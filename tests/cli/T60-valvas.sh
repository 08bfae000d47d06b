#!/bin/sh
# T60: the search API's items.  Indexed alone, valvas-items.jsonl gives one
# decision per item with its Themis uri, ministers (the set of family
# names, whatever the order of the other mandatee arrays) and themes, and
# the Europe/Brussels date of meetingDate; the text akkoord makes of
# htmlContent is contained in the extract's text for >= 98 % of the items
# that have one (whitespace ignored; the rate and the failing cases are
# printed); indexed with decisions.jsonl, the 4787 decisions come out,
# those of the API merged by the rule of ix_merge.c (also checked on our
# own fixtures, in both orders); minister: and --facets minister count as
# the items say; bad lines and page items are named, skipped with
# --skip-bad, and leave the index alone.
# Expected figures are computed here from the input files (python3), and
# the index is read with xapian-delve, not with akkoord.
. "$(dirname "$0")/lib.sh"

FX="$AKKOORD_ROOT/tests/fixtures/valvas"
cd "$SCRATCH"

cat >"$SCRATCH/t60.py" <<'PY'
"""T60 helpers: the items as the API wrote them, the index as stored."""
import json
import subprocess
import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

FIELDS = ["id", "date", "kind", "title", "url", "text", "uri", "meeting",
          "meeting_type", "position", "alt_title", "ministers", "themes",
          "sources"]


def fail(msg):
    print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1)


def values(v):
    """An attribute as a list: null none, a scalar one."""
    return [] if v is None else v if isinstance(v, list) else [v]


def items(path):
    """The items of a JSON Lines file of items or pages, in order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                o = json.loads(line)
                out.extend(o["data"] if "data" in o else [o])
    return out


def brussels(utc):
    t = datetime.strptime(utc, "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=timezone.utc)
    return t.astimezone(ZoneInfo("Europe/Brussels")).strftime("%Y-%m-%d")


def expect(item):
    """What the index must hold for an item (ix.h document data)."""
    a = item["attributes"]
    return {
        "uri": a["uri"] or "",
        "date": brussels(a["meetingDate"]) if a["meetingDate"] else "",
        "ministers": "\n".join(sorted(set(
            " ".join(n.split()) for n in values(a["mandateeFamilyNames"])))),
        "themes": "\n".join(sorted(set(values(a["themeId"])))),
        "position": ",".join(str(p) for p in values(a["position"])),
        "meeting": a["meetingId"] or "",
        "meeting_type": str(a["meetingTypePosition"] or ""),
    }


def stored(db):
    """id -> the decision's fields, from the document data (xapian-delve;
    netstrings, ix.h)."""
    n = int(subprocess.run(["xapian-delve", db], capture_output=True,
                           text=True, check=True).stdout.split(
        "number of documents = ")[1].split()[0])
    args = ["xapian-delve", "-d"]
    for i in range(1, n + 1):
        args += ["-r", str(i)]
    raw = subprocess.run(args + [db], capture_output=True,
                         check=True).stdout
    out, pos = {}, 0
    while raw.startswith(b"Data for record", pos):  # then term lists
        pos = raw.index(b":\n", pos) + 2
        rec = []
        for _ in FIELDS:
            colon = raw.index(b":", pos)
            ln = int(raw[pos:colon])
            rec.append(raw[colon + 1:colon + 1 + ln].decode("utf-8"))
            pos = colon + 1 + ln + 1              # the comma
        pos += 1                                  # delve's newline
        d = dict(zip(FIELDS, rec))
        out[d["id"]] = d
    return out


def nows(s):
    return "".join((s or "").split())
PY
export PYTHONPATH="$SCRATCH:${PYTHONPATH:-}"

# ---- our fixtures: the merge, both orders, and the manifest's rule ----
for order in "extract items" "items extract"; do
    set -- $order
    db="$SCRATCH/fx-$1.db"
    expect_rc 0 "$IDX" -q -o "$db" "$FX/$1.jsonl" "$FX/$2.jsonl"
    python3 - "$db" "$FX" <<'PY' || exit 1
import json, sys
from t60 import stored, items, expect, fail
db, fx = sys.argv[1], sys.argv[2]
m = json.load(open(db + "/manifest.json"))
ext = {}
for line in open(fx + "/extract.jsonl", encoding="utf-8"):
    r = json.loads(line); ext[r["id"]] = r
its = {i["id"]: i for i in items(fx + "/items.jsonl")}
ids = set(ext) | set(its)
both = set(ext) & set(its)
if m["counts"]["decisions"] != len(ids) or m["counts"]["merged"] != len(both):
    fail("fixtures: counts %s, want %d decisions, %d merged"
         % (m["counts"], len(ids), len(both)))
rule = m["merge"]
for f, w in [("date", "valvas"), ("uri", "valvas"), ("ministers", "valvas"),
             ("themes", "valvas"), ("title", "extract"), ("url", "extract"),
             ("kind", "extract"), ("text", "longer")]:
    if rule.get(f) != w:
        fail("manifest merge rule %s is %r, want %r" % (f, rule.get(f), w))
s = stored(db + "/decisions")
norm = lambda x: " ".join((x or "").split())
for i in both:
    d, e, want = s[i], ext[i], expect(its[i])
    if d["sources"] != "extract+valvas":
        fail("%s: sources %r" % (i, d["sources"]))
    for f in ("uri", "date", "ministers", "themes", "position", "meeting"):
        if d[f] != want[f]:
            fail("%s: merged %s %r, want the API's %r" % (i, f, d[f], want[f]))
    if d["title"] != norm(e["title"]):
        fail("%s: merged title %r, want the extract's" % (i, d["title"]))
    if d["url"] != (e["url"] or ""):
        fail("%s: merged url %r, want the extract's" % (i, d["url"]))
    if len(norm(e["text"])) >= len(d["text"]) and d["text"] != norm(e["text"]):
        fail("%s: merged text is not the extract's, the longer" % i)
for i in set(ext) - both:
    if s[i]["sources"] != "extract" or s[i]["uri"]:
        fail("%s: an extract-only decision got API fields" % i)
PY
done
# the link of a merged decision is its uri
expect_rc 0 "$QRY" -d "$SCRATCH/fx-extract.db" show -f json AAAA00000000000000000001
python3 -c '
import json, sys
o = json.load(open(sys.argv[1]))
u = "http://themis.vlaanderen.be/id/nieuwsbericht/AAAA00000000000000000001"
if o["url"] != u or o["uri"] != u or o["ministers"] != ["Demír", "Peeters", "Van den Broeck"]:
    sys.exit("FAIL: show -f json of a merged decision: %r" % o)
' "$SCRATCH/out" || exit 1
# minister: folds case and accents, spaces left out
for q in minister:demir minister:DEMIR minister:Demír minister:vandenbroeck; do
    expect_rc 0 "$QRY" -d "$SCRATCH/fx-extract.db" search --count "$q"
    [ "$(cat "$SCRATCH/out")" = 1 ] || fail "search --count $q: $(cat "$SCRATCH/out"), want 1"
done
expect_rc 0 "$QRY" -d "$SCRATCH/fx-extract.db" search --count minister:peeters
[ "$(cat "$SCRATCH/out")" = 3 ] || fail "minister:peeters: $(cat "$SCRATCH/out"), want 3"

# ---- bad lines and page items ----
sample_index
tree_sums "$SAMPLE_DB" >before.sums
expect_rc 1 "$IDX" -q -o "$SAMPLE_DB" "$FX/bad.jsonl"
grep -qxF "akkoord-index: $FX/bad.jsonl:2: malformed 'meetingDate' '2021-13-01T10:00:00Z' (want YYYY-MM-DDTHH:MM:SSZ)" \
    "$SCRATCH/err" || fail "bad meetingDate: $(cat "$SCRATCH/err")"
tree_sums "$SAMPLE_DB" | cmp -s - before.sums || fail "a bad item changed the index"
ls -d "$SAMPLE_DB".tmp-* >/dev/null 2>&1 && fail "a bad item left a scratch directory"
expect_rc 1 "$IDX" -q -o "$SAMPLE_DB" "$FX/items.jsonl" "$FX/bad.jsonl"
tree_sums "$SAMPLE_DB" | cmp -s - before.sums || fail "a bad item changed the index"
expect_rc 0 "$IDX" -q --skip-bad -o "$SCRATCH/skip.db" "$FX/bad.jsonl"
for m in "$FX/bad.jsonl:2: malformed 'meetingDate'" \
         "$FX/bad.jsonl:3: item 2: field 'mandateeFamilyNames' is not a string, an array of strings or null" \
         "$FX/bad.jsonl:4: an extract record in a file of API items"; do
    grep -qF -- "$m" "$SCRATCH/err" || fail "--skip-bad does not say '$m': $(cat "$SCRATCH/err")"
done
python3 - "$SCRATCH/skip.db" <<'PY' || exit 1
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
i = m["inputs"][0]
if (i["records"], i["skipped"], i["format"], m["counts"]["decisions"]) != (2, 3, "valvas", 2):
    sys.exit("FAIL: --skip-bad on bad.jsonl: %r" % i)
PY
# a page is read as its items
expect_rc 0 "$IDX" -q -o "$SCRATCH/page.db" "$FX/page.json"
python3 -c '
import json, sys
m = json.load(open(sys.argv[1] + "/manifest.json"))
if m["counts"]["decisions"] != 2: sys.exit("FAIL: page.json: %r" % m["counts"])
' "$SCRATCH/page.db" || exit 1

# ---- the shared data ----
need_shared
ITEMS="$SHARED/valvas-items.jsonl"
[ -f "$ITEMS" ] || { echo "no $ITEMS"; exit 77; }
expect_rc 0 "$IDX" -q -o "$SCRATCH/valvas.db" "$ITEMS"
expect_rc 0 "$IDX" -q -o "$SCRATCH/merged.db" "$SHARED/decisions.jsonl" "$ITEMS"
python3 - "$SCRATCH" "$ITEMS" "$SHARED/decisions.jsonl" <<'PY' || exit 1
import json, re, sys
from t60 import stored, items, expect, fail, nows
scratch, items_path, dec_path = sys.argv[1:4]
its = items(items_path)
ext = {}
for line in open(dec_path, encoding="utf-8"):
    r = json.loads(line); ext[r["id"]] = r

# 1. alone: one decision per item, with uri, ministers, themes, date
m = json.load(open(scratch + "/valvas.db/manifest.json"))
if m["counts"]["decisions"] != len(its):
    fail("valvas alone: %d decisions, want %d" % (m["counts"]["decisions"], len(its)))
s = stored(scratch + "/valvas.db/decisions")
bad = 0
for it in its:
    d, want = s[it["id"]], expect(it)
    for f, v in want.items():
        if d[f] != v:
            bad += 1
            if bad < 5:
                print("  %s: %s %r, want %r" % (it["id"], f, d[f], v), file=sys.stderr)
if bad:
    fail("valvas alone: %d fields differ from the items" % bad)
print("T60: %d items, %d with a uri, %d with ministers, %d with themes"
      % (len(its), sum(1 for d in s.values() if d["uri"]),
         sum(1 for d in s.values() if d["ministers"]),
         sum(1 for d in s.values() if d["themes"])), file=sys.stderr)

# 2. the text of htmlContent within the extract's text
html = [it for it in its if it["attributes"]["htmlContent"]]
ok, misses = 0, []
for it in html:
    t, e = nows(s[it["id"]]["text"]), nows(ext.get(it["id"], {}).get("text"))
    if t and t in e:
        ok += 1
    else:
        misses.append(it["id"])
rate = ok / len(html)
print("T60: htmlContent text within the extract's: %d of %d (%.2f %%)"
      % (ok, len(html), 100 * rate), file=sys.stderr)
# the misses: the extract escapes Markdown ("2008\\.", "Zenneweide\\-")
# where the API has plain text, or holds another text for the id
escaped = [i for i in misses if nows(s[i]["text"]) in
           re.sub(r"\\(.)", r"\1", nows(ext.get(i, {}).get("text")))]
print("T60: misses: %d where the extract has Markdown backslash escapes, "
      "%d where it holds another text" % (len(escaped), len(misses) - len(escaped)),
      file=sys.stderr)
for i in misses[:6]:
    t, e = nows(s[i]["text"]), nows(ext.get(i, {}).get("text"))
    print("  miss %s%s: akkoord %r... extract %r..."
          % (i, " (escapes)" if i in escaped else "", t[:50], e[:50]), file=sys.stderr)
if rate < 0.98:
    fail("only %.2f %% of the htmlContent texts are in the extract's" % (100 * rate))

# dates: the extract's, where it has one, agree with the converted ones
dated = [it for it in its if ext.get(it["id"], {}).get("date")]
diff = [it["id"] for it in dated if ext[it["id"]]["date"] != s[it["id"]]["date"]]
print("T60: dates: %d of %d extract dates equal the API's in Brussels time"
      % (len(dated) - len(diff), len(dated)), file=sys.stderr)

# 3. merged: every extract decision, the API's enriched
m = json.load(open(scratch + "/merged.db/manifest.json"))
both = set(ext) & {it["id"] for it in its}
if m["counts"]["decisions"] != len(set(ext) | {it["id"] for it in its}) \
        or m["counts"]["merged"] != len(both):
    fail("merged: counts %r, want %d decisions, %d merged"
         % (m["counts"], len(set(ext) | {it["id"] for it in its}), len(both)))
sm = stored(scratch + "/merged.db/decisions")
for it in its:
    d, want = sm[it["id"]], expect(it)
    for f in ("uri", "ministers", "themes", "date"):
        if d[f] != want[f] and not (f == "date" and not want[f]):
            fail("merged %s: %s %r, want %r" % (it["id"], f, d[f], want[f]))
print("T60: merged: %d decisions, %d enriched by the API"
      % (m["counts"]["decisions"], sum(1 for d in sm.values() if d["sources"] == "extract+valvas")),
      file=sys.stderr)
weyts = sum(1 for it in its
            if "Weyts" in expect(it)["ministers"].split("\n"))
open(scratch + "/weyts", "w").write(str(weyts))
PY
# minister: and the minister facet count what the items say
W=$(cat "$SCRATCH/weyts")
expect_rc 0 "$QRY" -d "$SCRATCH/merged.db" search --count minister:weyts
[ "$(cat "$SCRATCH/out")" = "$W" ] || fail "minister:weyts: $(cat "$SCRATCH/out"), want $W"
expect_rc 0 "$QRY" -d "$SCRATCH/merged.db" search -f json -n 0 --facets minister minister:weyts
python3 -c '
import json, sys
h = json.loads(open(sys.argv[1]).readline())["search"]
f = {v["value"]: v["count"] for v in h["facets"]["minister"]}
if f.get("Weyts") != int(sys.argv[2]): sys.exit("FAIL: minister facet %r" % f)
' "$SCRATCH/out" "$W" || exit 1
exit 0
