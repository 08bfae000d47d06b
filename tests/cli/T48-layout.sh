#!/bin/sh
# T48: the index layout (indexer/ix_layout.c).  A value too long for its
# Xapian term (a kind of 300 bytes, an id of 250) is a bad record named by
# FILE:LINE that --skip-bad skips; the decisions' spelling table suggests
# the corpus's own words (kinderopvnag -> kinderopvang on ../shared); the
# exact terms of a word are where the corpus has the word as written.
. "$(dirname "$0")/lib.sh"
cd "$SCRATCH"

# ---- term-length limit -----------------------------------------------
python3 - <<'EOF'
import json
recs = [
    {"id": "T1", "kind": "nota", "title": "een gewoon besluit"},
    {"id": "T2", "kind": "k" * 300, "title": "besluit met te lange soort"},
    {"id": "T3", "kind": "mededeling", "title": "nog een besluit"},
    {"id": "i" * 250, "title": "besluit met te lange id"},
    {"id": "T5", "kind": "K" * 244, "title": "besluit met de langste soort"},
]
with open("long.jsonl", "w", encoding="utf-8") as f:
    for r in recs:
        f.write(json.dumps(r) + "\n")
EOF
expect_rc 1 "$IDX" -q -o long.db long.jsonl
expect_err "akkoord-index: long.jsonl:2: field 'kind' is longer than 244 bytes"
[ ! -e long.db ] || fail "a failed build left long.db"
expect_rc 0 "$IDX" -q --skip-bad -o long.db long.jsonl
expect_err "warning: skipped long.jsonl:2: field 'kind' is longer than 244 bytes"
expect_err "warning: skipped long.jsonl:4: field 'id' is longer than 244 bytes"
python3 - long.db/manifest.json <<'EOF' || fail "manifest of the --skip-bad build"
import json, sys
from akt import fail
m = json.load(open(sys.argv[1]))
c, i = m["counts"], m["inputs"][0]
if (c["decisions"], c["skipped"]) != (3, 2):
    fail("counts %r" % c)
want = ["long.jsonl:2: field 'kind' is longer than 244 bytes",
        "long.jsonl:4: field 'id' is longer than 244 bytes"]
if i["skipped_lines"] != want:
    fail("skipped_lines %r" % i["skipped_lines"])
EOF
expect_rc 0 "$QRY" -d long.db search -n 10 -f json besluit
python3 - "$SCRATCH/out" <<'EOF' || fail "search after --skip-bad"
import sys
from akt import ids
got = sorted(ids(sys.argv[1]))
if got != ["T1", "T3", "T5"]:
    fail("besluit: %r, want T1 T3 T5" % got)
EOF
# the longest kind allowed is indexed, lowercased
expect_rc 0 "$QRY" -d long.db search -n 10 -f json "kind:$(printf '%0244d' 0 | tr 0 k)"
[ "$(python3 -c 'import sys; from akt import ids; print(*ids(sys.argv[1]))' "$SCRATCH/out")" = T5 ] ||
    fail "kind of 244 bytes: $(cat "$SCRATCH/out")"

# ---- spelling table (../shared) ----------------------------------------
need_shared
command -v quest >/dev/null || { echo "quest (xapian-tools) not installed"; exit 77; }
shared_index
# the corpus has the word and not the typo (so the suggestion is earned)
grep -qi 'kinderopvang' "$SHARED/decisions.jsonl" || fail "corpus lacks kinderopvang"
! grep -qi 'kinderopvnag' "$SHARED/decisions.jsonl" || fail "corpus has the typo"
quest -d "$SHARED_DB/decisions" -f spelling_correction -m 1 kinderopvnag \
    >quest.out 2>&1 || fail "quest: $(head -3 quest.out)"
grep -qx 'Did you mean: kinderopvang' quest.out ||
    fail "no suggestion kinderopvang: $(head -3 quest.out)"
# ---- exact (unstemmed) forms (../shared) --------------------------------
# The decisions carrying the exact term "overheid" (text and title) and
# "Soverheid" (title) are those whose folded words include "overheid", as
# the corpus says; the stemmed term carries at least as many.
command -v xapian-delve >/dev/null || { echo "xapian-delve not installed"; exit 77; }
for t in overheid Soverheid Zoverheid; do
    xapian-delve -1 -t "$t" "$SHARED_DB/decisions" | tail -n +2 >"post.$t" ||
        fail "xapian-delve -t $t"
done
xapian-delve -1 -V1 "$SHARED_DB/decisions" | tail -n +2 >ids.txt
python3 - "$SHARED/decisions.jsonl" <<'EOF' || fail "exact terms of overheid"
import json, re, sys, unicodedata
from akt import fail
def fold(s):
    s = unicodedata.normalize("NFD", s.lower())
    return "".join(c for c in s if not unicodedata.combining(c))
# a word as TermGenerator cuts it: an apostrophe between letters joins
word = re.compile(r"\w+(?:['\u2019]\w+)*")
def has(s):
    return "overheid" in word.findall(fold(s or ""))
docid = dict(l.split(":", 1) for l in open("ids.txt").read().split())
def posted(t):
    return {docid[d] for d in open("post." + t).read().split()}
recs = {}
for line in open(sys.argv[1], encoding="utf-8"):
    r = json.loads(line)
    recs[r["id"]] = r                       # the last record of an id wins
text = {i for i, r in recs.items() if has(r.get("title")) or has(r.get("text"))}
title = {i for i, r in recs.items() if has(r.get("title"))}
if not title or len(text) <= len(title):
    fail("corpus: %d with overheid, %d in the title" % (len(text), len(title)))
for t, want in (("overheid", text), ("Soverheid", title)):
    got = posted(t)
    if got != want:
        fail("%s: %d posted, %d in the corpus; e.g. %r" %
             (t, len(got), len(want), sorted(got ^ want)[:3]))
if not posted("Zoverheid") >= text:
    fail("the stemmed term misses exact matches")
EOF

# the sections database has no spelling table
quest -d "$SHARED_DB/sections" -f spelling_correction -m 1 kinderopvnag \
    >quest.out 2>&1 || fail "quest sections: $(head -3 quest.out)"
! grep -q 'Did you mean' quest.out || fail "sections suggest: $(head -1 quest.out)"
exit 0
