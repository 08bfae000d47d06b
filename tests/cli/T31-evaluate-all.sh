#!/bin/sh
# T31: evaluate --all on the shared corpus: one report per agreement
# section plus index.md, byte-identical across runs, and every citation of
# every report resolves to a reference that exists in the corpus with the
# corpus date.  Prints the wall time of one run (no assertion on it).
. "$(dirname "$0")/lib.sh"
shared_index
Q() { "$QRY" -d "$SHARED_DB" "$@"; }

t0=$(now_ms)
expect_rc 0 Q evaluate --all -o "$SCRATCH/run1"
t1=$(now_ms)
[ -s "$SCRATCH/out" ] && fail "evaluate --all -o DIR wrote to stdout"
mkdir "$SCRATCH/run2"          # an existing, empty DIR is fine too
expect_rc 0 Q evaluate --all -o "$SCRATCH/run2"
diff -r "$SCRATCH/run1" "$SCRATCH/run2" >"$SCRATCH/diff" 2>&1 || {
    head -20 "$SCRATCH/diff" >&2
    fail "two runs of evaluate --all differ"
}
expect_rc 0 Q evaluate --all -f json -o "$SCRATCH/json"
echo "evaluate --all (md): $((t1 - t0)) ms"

# --all needs -o DIR; --all and an id together is a usage error.
expect_rc 2 Q evaluate --all
expect_rc 2 Q evaluate --all bestuurzaken/3.2.3 -o "$SCRATCH/x"

python3 - "$SHARED/decisions.jsonl" "$SHARED/agreement.jsonl" "$SCRATCH" \
    <<'EOF' || fail "evaluate --all: report check failed"
import json, os, re, sys, urllib.parse
from akt import load, wsnorm, md_split, md_cite_problems, fail
dec = load(sys.argv[1])
agr = load(sys.argv[2])
d = sys.argv[3]
name = {sid: sid.replace("/", "_") for sid in agr}
if len(set(name.values())) != len(agr):
    fail("fixture: section ids collide as file names")
if len(agr) != 224:
    fail("fixture: %d sections in agreement.jsonl, want 224" % len(agr))

for fmt in ("md", "json"):
    top = os.path.join(d, "run1" if fmt == "md" else "json")
    want = {name[s] + "." + fmt for s in agr} | {"index.md"}
    got = set(os.listdir(top))
    if got != want:
        fail("%s: files %s missing, %s extra" % (fmt, sorted(want - got)[:5],
                                                  sorted(got - want)[:5]))
    # index.md: one row per section, in agreement order, linking its report.
    # (the id may be in `code` or Markdown-escaped, the target encoded)
    rows = [(re.sub(r"\\(.)", r"\1", i), urllib.parse.unquote(f))
            for i, f in re.findall(r"^\| \[`?(.*?)`?\]\(([^)]*)\) \|", open(
                os.path.join(top, "index.md"), encoding="utf-8").read(), re.M)]
    if [r[0] for r in rows] != list(agr):
        fail("%s: index.md rows are not the sections in file order" % fmt)
    for sid, f in rows:
        if f != name[sid] + "." + fmt:
            fail("%s: index.md links %s to %r" % (fmt, sid, f))

ncites = nrefs = nex = 0
for sid in agr:
    js = json.load(open(os.path.join(d, "json", name[sid] + ".json"),
                        encoding="utf-8"))
    md = open(os.path.join(d, "run1", name[sid] + ".md"), encoding="utf-8").read()
    if js["section"]["id"] != sid:
        fail("%s.json is about %r" % (name[sid], js["section"]["id"]))
    refs = js["references"]
    nrefs += len(refs)
    for n, r in enumerate(refs, 1):
        c = dec.get(r["id"])
        if r["n"] != n or c is None:
            fail("%s: reference %d (%r) is not a corpus decision" % (sid, n, r["id"]))
        if r["date"] != c.get("date"):
            fail("%s: reference %d (%s) date %r, corpus %r"
                 % (sid, n, r["id"], r["date"], c.get("date")))
    for i, it in enumerate(js["commitments"], 1):
        for cit in it["citations"]:
            ncites += 1
            if not 1 <= cit["ref"] <= len(refs):
                fail("%s: commitment %d cites [%r] of %d references"
                     % (sid, i, cit["ref"], len(refs)))
            ex = cit["excerpt"]
            if ex is not None:
                nex += 1
                if ex not in wsnorm(dec[refs[cit["ref"] - 1]["id"]].get("text")):
                    fail("%s: excerpt not verbatim: %r" % (sid, ex[:200]))
    for n in js["related"]:
        if not 1 <= n <= len(refs):
            fail("%s: related [%r] of %d references" % (sid, n, len(refs)))
    # The Markdown of the same section: citations resolve, in order of
    # first use, to the same reference list.
    probs = md_cite_problems(md)
    if probs:
        fail("%s.md:\n  %s" % (name[sid], "\n  ".join(probs)))
    body, mdrefs = md_split(md)
    if {n: u for n, u in mdrefs.items()} != {r["n"]: r["url"] for r in refs}:
        fail("%s: md references differ from json references" % sid)
print("%d reports, %d citations (%d excerpts), %d references checked"
      % (len(agr), ncites, nex, nrefs))
EOF
echo "T31 ok"
