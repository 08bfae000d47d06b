#!/bin/sh
# T31: evaluate --all on the shared corpus: one report per agreement
# section plus index.md (and index.json with -f json), byte-identical
# across runs and numbers of threads; every report consistent on its own
# and with the corpus, its Markdown with its JSON, and the overview with
# the reports.  Prints the wall time of one run (no assertion on it).
. "$(dirname "$0")/lib.sh"
shared_index
Q() { "$QRY" -d "$SHARED_DB" "$@"; }

t0=$(now_ms)
expect_rc 0 Q evaluate --all -o "$SCRATCH/run1"
t1=$(now_ms)
[ -s "$SCRATCH/out" ] && fail "evaluate --all -o DIR wrote to stdout"
mkdir "$SCRATCH/run2"          # an existing, empty DIR is fine too
expect_rc 0 env AKKOORD_THREADS=1 "$QRY" -d "$SHARED_DB" evaluate --all -o "$SCRATCH/run2"
diff -r "$SCRATCH/run1" "$SCRATCH/run2" >"$SCRATCH/diff" 2>&1 || {
    head -20 "$SCRATCH/diff" >&2
    fail "evaluate --all differs between the default and AKKOORD_THREADS=1"
}
expect_rc 0 Q evaluate --all -f json -o "$SCRATCH/json"
expect_rc 0 env AKKOORD_THREADS=3 "$QRY" -d "$SHARED_DB" evaluate --all -f json -o "$SCRATCH/json3"
diff -r "$SCRATCH/json" "$SCRATCH/json3" >"$SCRATCH/diff" 2>&1 || {
    head -20 "$SCRATCH/diff" >&2
    fail "evaluate --all -f json differs between the default and AKKOORD_THREADS=3"
}
echo "evaluate --all (md): $((t1 - t0)) ms"

# --all needs -o DIR; --all and an id together is a usage error.
expect_rc 2 Q evaluate --all
expect_rc 2 Q evaluate --all bestuurzaken/3.2.3 -o "$SCRATCH/x"

python3 - "$SHARED/decisions.jsonl" "$SHARED/agreement.jsonl" "$SCRATCH" \
    "$AKKOORD_ROOT" <<'EOF' || fail "evaluate --all: report check failed"
import json, os, re, sys, urllib.parse
from akt import load, wsnorm, squash, json_problems, md_problems, \
    md_cite_problems, md_order_problem, md_unsafe, md_counts, counts_sum, \
    md_escape, tool_facts, model_problems, COUNT_KEYS, fail
dec = load(sys.argv[1])
agr = load(sys.argv[2])
d = sys.argv[3]
facts = tool_facts(sys.argv[4])
name = {sid: sid.replace("/", "_") for sid in agr}
if len(set(name.values())) != len(agr):
    fail("fixture: section ids collide as file names")
if len(agr) != 224:
    fail("fixture: %d sections in agreement.jsonl, want 224" % len(agr))

def must(probs, what):
    if probs:
        fail("%s:\n  %s" % (what, "\n  ".join(probs[:20])))

# The files, and index.md's per-section rows: one per section, in
# agreement order, linking its report (the id Markdown-escaped, the
# target percent-encoded).
for fmt in ("md", "json"):
    top = os.path.join(d, "run1" if fmt == "md" else "json")
    want = {name[s] + "." + fmt for s in agr} | {"index.md"}
    if fmt == "json":
        want.add("index.json")
    got = set(os.listdir(top))
    if got != want:
        fail("%s: files %s missing, %s extra" % (fmt, sorted(want - got)[:5],
                                                  sorted(got - want)[:5]))
    rows = [(re.sub(r"\\(.)", r"\1", i), urllib.parse.unquote(f))
            for i, f in re.findall(r"^\| \[(.*?)\]\(([^)]*)\) \|", open(
                os.path.join(top, "index.md"), encoding="utf-8").read(), re.M)]
    if [r[0] for r in rows] != list(agr):
        fail("%s: index.md rows are not the sections in file order" % fmt)
    for sid, f in rows:
        if f != name[sid] + "." + fmt:
            fail("%s: index.md links %s to %r" % (fmt, sid, f))

# Every report: JSON consistent on its own and with the corpus, the
# Markdown of the same section line by line like its JSON, all sentences
# of the section listed.
reports = {}
ncites = nrefs = nex = 0
for sid in agr:
    try:
        js = json.load(open(os.path.join(d, "json", name[sid] + ".json"),
                            encoding="utf-8"))
    except ValueError as e:
        fail("%s.json does not parse: %s" % (name[sid], e))
    md = open(os.path.join(d, "run1", name[sid] + ".md"), encoding="utf-8").read()
    if js.get("section", {}).get("id") != sid:
        fail("%s.json is about %r" % (name[sid], js.get("section", {}).get("id")))
    must(model_problems(js, facts), "%s.json models" % name[sid])
    must(json_problems(js, dec, agr, facts), "%s.json" % name[sid])
    must(md_problems(md, js, dec), "%s.md against its json" % name[sid])
    must(md_cite_problems(md), "%s.md citations" % name[sid])
    must(md_unsafe(md), "%s.md safety" % name[sid])
    a = agr[sid]
    text = wsnorm(a["text"])
    if text.startswith(a["number"]):
        text = text[len(a["number"]):].strip()
        if text.startswith(wsnorm(a["title"])):
            text = text[len(wsnorm(a["title"])):].strip()
    if squash("".join(it["text"] for it in js["commitments"])) != squash(text):
        fail("%s: the commitments are not all of the section's sentences" % sid)
    reports[sid] = (js, md)
    nrefs += len(js["references"])
    for it in js["commitments"]:
        ncites += len(it["citations"])
        nex += sum(c["excerpt"] is not None for c in it["citations"])
if not ncites or not nex:
    fail("no citations (%d) or no excerpts (%d) in any report" % (ncites, nex))

# index.json: a row per section with the counts of its report, chapters
# in order of first appearance with their sums, the total; index.md shows
# the same numbers (percentages of the checkable commitments).
try:
    ov = json.load(open(os.path.join(d, "json", "index.json"), encoding="utf-8"))
except ValueError as e:
    fail("index.json does not parse: %s" % e)
secs = ov["sections"]
if [s["id"] for s in secs] != list(agr):
    fail("index.json sections are not the sections in file order")
chapters = []
for s in secs:
    js = reports[s["id"]][0]
    want = {k: js["summary"][k] for k in COUNT_KEYS}
    if s["counts"] != want:
        fail("index.json %s: counts %r, its report %r" % (s["id"], s["counts"], want))
    if (s["chapter"], s["title"], s["report"]) != (
            js["section"]["chapter"], js["section"]["title"], name[s["id"]] + ".json"):
        fail("index.json %s: chapter/title/report %r" % (s["id"], s))
    if s["chapter"] not in chapters:
        chapters.append(s["chapter"])
if [c["chapter"] for c in ov["chapters"]] != chapters:
    fail("index.json chapters %s, want %s" % ([c["chapter"] for c in ov["chapters"]], chapters))
for c in ov["chapters"]:
    mine = [s for s in secs if s["chapter"] == c["chapter"]]
    if c["sections"] != len(mine) or c["counts"] != counts_sum(mine):
        fail("index.json chapter %r: %r, its sections sum to %d, %r"
             % (c["chapter"], c, len(mine), counts_sum(mine)))
if ov["total"] != counts_sum(secs):
    fail("index.json total %r, sections sum to %r" % (ov["total"], counts_sum(secs)))
if ov["snapshot"] != reports[secs[0]["id"]][0]["snapshot"]:
    fail("index.json snapshot %r differs from the reports'" % ov["snapshot"])
imd = open(os.path.join(d, "json", "index.md"), encoding="utf-8").read()
if open(os.path.join(d, "run1", "index.md"), encoding="utf-8").read().replace(
        ".md)", ".json)") != imd:
    fail("index.md of the md and json runs differ beyond the report links")
for c in ov["chapters"]:
    row = "| %s | %d |%s" % (md_escape(c["chapter"]), c["sections"],
                             md_counts(c["counts"]))
    if not re.search("^" + re.escape(row) + "$", imd, re.M):
        fail("index.md lacks the chapter row %r" % row)
for s in secs:
    tail = "|%s" % md_counts(s["counts"])
    line = next(l for l in imd.splitlines()
                if l.startswith("| [") and urllib.parse.unquote(
                    re.search(r"\]\(([^)]*)\)", l).group(1)) == s["report"])
    if not line.endswith(tail):
        fail("index.md row of %s ends %r, want %r" % (s["id"], line[-60:], tail))
row = "| **totaal** | %d |%s" % (len(secs), md_counts(ov["total"]))
if not re.search("^" + re.escape(row) + "$", imd, re.M):
    fail("index.md lacks the total row %r" % row)
print("%d reports, %d citations (%d excerpts), %d references checked; "
      "total %r" % (len(agr), ncites, nex, nrefs, ov["total"]))

# Citation numbers in order of first use (docs/evaluation.md, 8); last,
# so that every other check above has run.
bad = [(sid, md_order_problem(md)) for sid, (js, md) in reports.items()]
bad = [(s, p) for s, p in bad if p]
if bad:
    fail("%d of %d reports do not number citations in order of first use, "
         "e.g.\n  %s" % (len(bad), len(agr), "\n  ".join(
             "%s: %s" % b for b in bad[:3])))
EOF
echo "T31 ok"
