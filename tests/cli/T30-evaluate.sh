#!/bin/sh
# T30: evaluate one section (bestuurzaken/3.2.3, the section of the seed
# report) on the shared corpus, as Markdown and JSON.  Expectations come
# from agreement.jsonl, decisions.jsonl and qrels-dev.tsv, never from
# earlier tool output.
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
    "$SEC" "$SCRATCH" <<'EOF' || fail "evaluate $SEC: report check failed"
import html, json, re, sys
from akt import load, wsnorm, squash, qrels, trec_run, md_split, \
    md_cite_problems, CITE_RE, fail
dec = load(sys.argv[1])
agr = load(sys.argv[2])
rel = qrels(sys.argv[3])
sec, d = sys.argv[4], sys.argv[5]
md = open(d + "/r.md", encoding="utf-8").read()
try:
    js = json.load(open(d + "/r.json", encoding="utf-8"))
except ValueError as e:
    fail("-f json does not parse: %s" % e)
if sec not in agr:
    fail("fixture: %s not in agreement.jsonl" % sec)
a = agr[sec]

# JSON shape and verdicts.
VERDICTS = {"uitgevoerd", "in uitvoering", "geen beslissing gevonden"}
items, refs, summ = js["commitments"], js["references"], js["summary"]
if js["section"]["id"] != sec:
    fail("section id %r, want %r" % (js["section"]["id"], sec))
if not items:
    fail("no commitments")
if summ["commitments"] != len(items):
    fail("summary.commitments %d != %d commitments" % (summ["commitments"], len(items)))
for i, it in enumerate(items, 1):
    if it["verdict"] not in VERDICTS:
        fail("commitment %d: verdict %r" % (i, it["verdict"]))
for k, v in (("done", "uitgevoerd"), ("in_progress", "in uitvoering"),
             ("none", "geen beslissing gevonden")):
    n = sum(it["verdict"] == v for it in items)
    if summ[k] != n:
        fail("summary.%s = %d, but %d commitments say %r" % (k, summ[k], n, v))
for n, r in enumerate(refs, 1):
    if r["n"] != n:
        fail("references[%d].n = %r" % (n - 1, r["n"]))
for i, it in enumerate(items, 1):
    for c in it["citations"]:
        if not 1 <= c["ref"] <= len(refs):
            fail("commitment %d cites %r of %d references" % (i, c["ref"], len(refs)))

# Every sentence of the section appears in a commitment, or is counted as
# boilerplate.  Our own split: at ". X" with X upper case, after dropping
# the "3.2.3 ICT en Informatie" heading; compared without hyphens and
# spaces, lower-cased (the tool repairs PDF hyphenation).
text = wsnorm(a["text"])
heading = "%s %s" % (a["number"], a["title"])
if not text.startswith(heading):
    fail("fixture: section text does not start with %r" % heading)
text = text[len(heading):].strip()
sents = [s for s in re.split(r"(?<=\.) +(?=[A-Z])", text) if s.strip()]
shown = [squash(it["text"]) for it in items]
missing = [s for s in sents if not any(squash(s) in c for c in shown)]
print("section sentences: %d, commitments: %d, boilerplate: %d, "
      "not among commitments: %d" % (len(sents), len(items),
                                      summ["boilerplate"], len(missing)))
if len(missing) > summ["boilerplate"]:
    fail("%d section sentences are neither a commitment nor counted as "
         "boilerplate (%d):\n  %s" % (len(missing), summ["boilerplate"],
                                      "\n  ".join(missing)))

# Markdown: verdicts in bold per commitment, citations, references.
body, mdrefs = md_split(md)
for i, it in enumerate(items, 1):
    pre = "%d. **%s**" % (i, it["verdict"])
    if not re.search(r"^" + re.escape(pre), body, re.M):
        fail("md lacks the line %r..." % pre)
    line = re.search(r"^%d\. \*\*.*$" % i, body, re.M).group(0)
    got = [int(n) for n in CITE_RE.findall(line)]
    want = [c["ref"] for c in it["citations"]]
    if got != want:
        fail("commitment %d: md cites %s, json %s" % (i, got, want))
if not CITE_RE.search(body):
    fail("md body has no \\[n\\] citations")
probs = md_cite_problems(md)
if probs:
    fail("md citations:\n  " + "\n  ".join(probs))
if sorted(mdrefs) != list(range(1, len(refs) + 1)):
    fail("md reference lines %s, json has %d references" % (sorted(mdrefs), len(refs)))
for r in refs:
    if mdrefs[r["n"]] != r["url"]:
        fail("reference %d: md links %r, json %r" % (r["n"], mdrefs[r["n"]], r["url"]))

# The section text sits in <details><summary>Regeerakkoord Sectie ...
m = re.search(r"<details>\s*<summary>Regeerakkoord Sectie[^<]*</summary>"
              r"\s*<p>(.*?)</p>\s*</details>", md, re.S)
if not m:
    fail("md has no <details><summary>Regeerakkoord Sectie block")
if html.unescape(m.group(1)) != wsnorm(a["text"]):
    fail("section text in <details> differs from agreement.jsonl:\n%r\n%r"
         % (m.group(1)[:300], wsnorm(a["text"])[:300]))
if md.find(m.group(0)) > md.find("## "):
    fail("the section text is not at the top of the report")

# References: ids and dates from the corpus; excerpts verbatim.
for r in refs:
    c = dec.get(r["id"])
    if c is None:
        fail("reference %d: %r is not in the corpus" % (r["n"], r["id"]))
    if r["date"] != c.get("date"):
        fail("reference %d (%s): date %r, corpus %r" % (r["n"], r["id"], r["date"], c.get("date")))
nex = 0
for i, it in enumerate(items, 1):
    for cit in it["citations"]:
        ex = cit["excerpt"]
        if ex is None:
            continue
        nex += 1
        did = refs[cit["ref"] - 1]["id"]
        if not ex.strip() or ex not in wsnorm(dec[did].get("text")):
            fail("commitment %d: excerpt of %s is not verbatim in its text: %r"
                 % (i, did, ex[:200]))
if not nex:
    fail("no excerpts at all")

# Recall against the silver judgments: references or top 50 of rank.
want = rel.get(sec, set())
if len(want) != 35:
    fail("fixture: %d relevant decisions for %s in qrels, want 35" % (len(want), sec))
run = trec_run(d + "/rank.txt")
top = {x[2] for x in run}
if len(run) != 50:
    fail("rank -n 50 printed %d lines" % len(run))
found = want & ({r["id"] for r in refs} | top)
print("relevant for %s: %d of %d in references (%d) or rank top 50 (%d)"
      % (sec, len(found), len(want), len(want & {r["id"] for r in refs}),
         len(want & top)))
if len(found) < 22:
    fail("only %d of %d relevant decisions found, want >= 22" % (len(found), len(want)))
EOF
echo "T30 ok"
