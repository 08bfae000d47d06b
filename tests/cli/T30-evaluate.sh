#!/bin/sh
# T30: evaluate one section (bestuurzaken/3.2.3, the section of the seed
# report) on the shared corpus, as Markdown and JSON.  Expectations come
# from agreement.jsonl, decisions.jsonl, qrels-dev.tsv, the model files the
# binary embeds, and the JSON report of the same run, never from earlier
# tool output.
. "$(dirname "$0")/lib.sh"
shared_index
[ -f "$QRELS" ] || fail "qrels not found at $QRELS (set AKKOORD_EVAL)"
SEC=bestuurzaken/3.2.3
Q() { "$QRY" -d "$SHARED_DB" "$@"; }

# --- run the tool -----------------------------------------------------
expect_rc 0 Q evaluate "$SEC"
cp "$SCRATCH/out" "$SCRATCH/r.md"
[ -s "$SCRATCH/err" ] && fail "evaluate wrote to stderr: $(head -3 "$SCRATCH/err")"
expect_rc 0 Q evaluate "$SEC" -f md
cmp -s "$SCRATCH/out" "$SCRATCH/r.md" || fail "-f md differs from the default format"
expect_rc 0 Q evaluate "$SEC" -f json
cp "$SCRATCH/out" "$SCRATCH/r.json"
expect_rc 0 Q rank "$SEC" -n 50
cp "$SCRATCH/out" "$SCRATCH/rank.txt"

# -o FILE writes the same bytes as stdout, and nothing to stdout.
expect_rc 0 Q evaluate "$SEC" -o "$SCRATCH/o.md"
[ -s "$SCRATCH/out" ] && fail "evaluate -o FILE also wrote to stdout"
cmp "$SCRATCH/o.md" "$SCRATCH/r.md" >&2 || fail "-o FILE (md) differs from stdout"
expect_rc 0 Q evaluate "$SEC" -f json -o "$SCRATCH/o.json"
cmp "$SCRATCH/o.json" "$SCRATCH/r.json" >&2 || fail "-o FILE (json) differs from stdout"

# An unknown section: exit 1, nothing on stdout, one line on stderr that
# points to 'akkoord-query sections'.
for fmt in md json; do
    expect_rc 1 Q evaluate no-such/9.9.9 -f $fmt
    [ -s "$SCRATCH/out" ] && fail "unknown section ($fmt): output on stdout"
    [ "$(wc -l <"$SCRATCH/err")" -eq 1 ] ||
        fail "unknown section ($fmt): $(wc -l <"$SCRATCH/err") stderr lines, want 1"
    grep -q 'akkoord-query sections' "$SCRATCH/err" ||
        fail "unknown section ($fmt): stderr does not mention 'akkoord-query sections': $(cat "$SCRATCH/err")"
done
expect_rc 1 Q evaluate no-such/9.9.9 -o "$SCRATCH/none.md"
[ -s "$SCRATCH/none.md" ] && fail "unknown section: -o FILE got content"

# --- check the reports ------------------------------------------------
python3 - "$SHARED/decisions.jsonl" "$SHARED/agreement.jsonl" "$QRELS" \
    "$SEC" "$SCRATCH" "$AKKOORD_ROOT" "$SHARED_DB/manifest.json" \
    <<'EOF' || fail "evaluate $SEC: report check failed"
import json, re, sys
from akt import load, wsnorm, squash, qrels, trec_run, json_problems, \
    md_problems, md_cite_problems, md_order_problem, md_unsafe, tool_facts, \
    model_problems, fail
dec = load(sys.argv[1])
agr = load(sys.argv[2])
rel = qrels(sys.argv[3])
sec, d, root = sys.argv[4], sys.argv[5], sys.argv[6]
manifest = json.load(open(sys.argv[7], encoding="utf-8"))
md = open(d + "/r.md", encoding="utf-8").read()
try:
    js = json.load(open(d + "/r.json", encoding="utf-8"))
except ValueError as e:
    fail("-f json does not parse: %s" % e)
if sec not in agr:
    fail("fixture: %s not in agreement.jsonl" % sec)
a = agr[sec]

def must(probs, what):
    if probs:
        fail("%s:\n  %s" % (what, "\n  ".join(probs[:20])))

# JSON on its own and against the corpus: verdict rules, recounted
# summary and timeline, references from the corpus, excerpts verbatim,
# corpus date range; then the Markdown against that JSON, line by line.
if js.get("section", {}).get("id") != sec:
    fail("section id %r, want %r" % (js.get("section", {}).get("id"), sec))
# The models the report names are the checkout's (the binary embeds them
# at build time), with their thresholds; their strong threshold, margin
# and the citation limits are checked on the commitments.
facts = tool_facts(root)
must(model_problems(js, facts), "models")
must(json_problems(js, dec, agr, facts), "json report")
must(md_problems(md, js, dec), "md report against its json")
must(md_cite_problems(md), "md citations")
must(md_unsafe(md), "md safety")
items, refs, summ = js["commitments"], js["references"], js["summary"]
if not summ["commitments"]:
    fail("no checkable commitments in %s" % sec)
if not any(c["excerpt"] for it in items for c in it["citations"]):
    fail("no excerpts at all")
if js["snapshot"] != manifest["snapshot"]:
    fail("snapshot %r, manifest %r" % (js["snapshot"], manifest["snapshot"]))

# Every sentence of the section is listed, in text order, nothing left
# out and nothing added: the commitments' texts put together are the
# section text without its "3.2.3 ICT en Informatie" heading (compared
# without hyphens and spaces, lower-cased: the tool repairs PDF
# hyphenation).  Our own split at ". X" (X upper case) is printed beside.
text = wsnorm(a["text"])
heading = "%s %s" % (a["number"], wsnorm(a["title"]))
if not text.startswith(heading):
    fail("fixture: section text does not start with %r" % heading)
text = text[len(heading):].strip()
sents = [s for s in re.split(r"(?<=\.) +(?=[A-Z])", text) if s.strip()]
joined = squash("".join(it["text"] for it in items))
if joined != squash(text):
    i = next((k for k, (x, y) in enumerate(zip(joined, squash(text)))
              if x != y), min(len(joined), len(squash(text))))
    fail("the commitments are not the section's sentences: they differ at "
         "%r / %r" % (joined[max(0, i - 40):i + 40],
                      squash(text)[max(0, i - 40):i + 40]))
missing = [s for s in sents if squash(s) not in joined]
if missing:
    fail("sentences not listed:\n  " + "\n  ".join(missing))
print("section sentences: %d (our split), listed: %d, checkable: %d, "
      "niet toetsbaar: %d" % (len(sents), len(items), summ["commitments"],
                              summ["not_checkable"]))

# Recall against the silver judgments: references or top 50 of rank find
# at least half of them (silver judgments: a floor, not a target).
want = rel.get(sec, set())
if len(want) != 35:
    fail("fixture: %d relevant decisions for %s in qrels, want 35" % (len(want), sec))
run = trec_run(d + "/rank.txt")
top = {x[2] for x in run}
if len(run) != 50:
    fail("rank -n 50 printed %d lines" % len(run))
ids = {r["id"] for r in refs}
found = want & (ids | top)
print("relevant for %s: %d of %d in references (%d) or rank top 50 (%d)"
      % (sec, len(found), len(want), len(want & ids), len(want & top)))
if 2 * len(found) < len(want):
    fail("only %d of %d relevant decisions found, want at least half"
         % (len(found), len(want)))

# Citation numbers in order of first use (docs/evaluation.md, 8); last,
# so that every other check above has run.
o = md_order_problem(md)
if o:
    fail("%s: citations are not numbered in order of first use in the "
         "report body: %s" % (sec, o))
EOF
echo "T30 ok"
