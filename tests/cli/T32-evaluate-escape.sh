#!/bin/sh
# T32: evaluate on hostile corpus text (own fixture, no shared corpus):
# decision titles and texts and an agreement section holding HTML and
# Markdown.  The Markdown report (and index.md of --all) carries no raw
# HTML but the report's own tags, no unescaped ']]()' and links only to
# http(s) or its #ref-N anchors, also once rendered by cmark-gfm; every
# line shows the corpus strings escaped; the JSON report parses, is
# consistent and carries the raw strings unchanged.
. "$(dirname "$0")/lib.sh"

DEC="$SCRATCH/dec.jsonl"
AGR="$SCRATCH/agr.jsonl"
cat >"$DEC" <<'EOF'
{"id": "AE0000000000000000000101", "date": "2022-03-04", "kind": "nota", "title": "Zonnepanelen op schooldaken <script>alert(1)</script> en ]]() goedgekeurd", "text": "De Vlaamse Regering keurt het subsidieprogramma voor zonnepanelen op schooldaken goed. Elke school krijgt zonnepanelen <img src=x onerror=alert(1)> via het schoolgebouwenfonds.", "url": "javascript:alert(1)"}
{"id": "AE0000000000000000000102", "date": "2022-05-06", "kind": "nota", "title": "Fietsostrade langs het kanaal [klik](javascript:alert(5)) ]]()", "text": "De Vlaamse Regering beslist de aanleg van een fietsostrade langs het kanaal <script>alert(2)</script>. De fietsostrade verbindt twee steden.", "url": "https://voorbeeld.invalid/a) [x](javascript:alert(6)"}
{"id": "AE0000000000000000000103", "date": null, "kind": "mededeling", "title": "Fietsostrade: kennisname <img src=z onerror=alert(3)>", "text": "De regering neemt kennis van een rapport over de fietsostrade langs het kanaal tussen steden.", "url": "https://voorbeeld.invalid/ok"}
EOF
# Filler decisions, so that the fixture's words are rare enough to be
# query terms (terms in more than a tenth of the decisions are dropped).
i=10
while [ $i -le 40 ]; do
    printf '{"id": "AF00000000000000000000%02d", "date": "2020-01-%02d", "kind": "nota", "title": "Vulbeslissing %d over grasmaaiers", "text": "Deze vulbeslissing %d regelt iets over grasmaaiers en tuinslangen."}\n' \
        $i $((i % 28 + 1)) $i $i >>"$DEC"
    i=$((i + 1))
done
# The second section's id closes a Markdown code span and opens HTML.
cat >"$AGR" <<'EOF'
{"id": "kwaad/1.1", "chapter": "Kwaad <script>alert(7)</script>", "chapter_number": 1, "number": "1.1", "title": "Scholen <script>alert(8)</script> [a](javascript:alert(9))", "path": ["1 Kwaad", "1.1 Scholen <img src=y onerror=alert(10)>"], "text": "1.1 Scholen We leggen zonnepanelen op alle schooldaken via het schoolgebouwenfonds <script>alert(11)</script>. We bouwen een fietsostrade langs elk kanaal tussen steden. ]]() en [b](javascript:alert(12))."}
{"id": "kwaad/1.2`<script>alert(13)</script>`", "chapter": "Kwaad", "number": "1.2", "title": "Fiets ]]()", "path": null, "text": "1.2 Fiets ]]() We bouwen een fietsostrade langs elk kanaal tussen steden."}
EOF
# Filler sections, for the same reason on the agreement's side: a word in
# more than a fifth of the sections is no content term (max_sf), and with
# two sections alone every word would be.
i=1
while [ $i -le 10 ]; do
    printf '{"id": "vul/9.%d", "chapter": "Vulling", "number": "9.%d", "title": "Vulsectie %d", "text": "9.%d Vulsectie %d We regelen iets over grasmaaiers en tuinslangen in vulsectie %d."}\n' \
        $i $i $i $i $i $i >>"$AGR"
    i=$((i + 1))
done
DB="$SCRATCH/db"
expect_rc 0 "$IDX" -q --agreement "$AGR" -o "$DB" "$DEC"
Q() { "$QRY" -d "$DB" "$@"; }

S1=kwaad/1.1
S2='kwaad/1.2`<script>alert(13)</script>`'
n=0
for s in "$S1" "$S2"; do
    n=$((n + 1))
    expect_rc 0 Q evaluate "$s"
    cp "$SCRATCH/out" "$SCRATCH/s$n.md"
    expect_rc 0 Q evaluate "$s" -f json
    cp "$SCRATCH/out" "$SCRATCH/s$n.json"
done

expect_rc 0 Q evaluate --all -o "$SCRATCH/all"

python3 - "$DEC" "$AGR" "$SCRATCH" "$AKKOORD_ROOT" <<'EOF' || fail "unsafe or lossy evaluate output"
import json, os, re, sys, urllib.parse
from akt import load, md_unsafe, md_cite_problems, md_order_problem, \
    json_problems, md_problems, cmark, render_problems, tool_facts, fail
dec = load(sys.argv[1])
agr = load(sys.argv[2])
d = sys.argv[3]
facts = tool_facts(sys.argv[4])

def must(probs, what):
    if probs:
        fail("%s:\n  %s" % (what, "\n  ".join(probs[:20])))

def check_md(path, what, links=()):
    """Raw Markdown safe; rendered by cmark-gfm: only the report's own
    elements, links http(s), #ref-N or one of links, <details> closed."""
    md = open(path, encoding="utf-8").read()
    ok = {"link to %r" % t for l in links
          for t in (l, urllib.parse.quote(l, safe=""))}
    must([p for p in md_unsafe(md) if p not in ok], what)
    must(render_problems(cmark(path), report=not links, links=links),
         what + " (rendered)")
    return md

def load_json(path):
    try:
        return json.load(open(path, encoding="utf-8"))
    except ValueError as e:
        fail("%s does not parse: %s" % (path, e))

# kwaad/1.1: a hostile section whose commitments cite hostile decisions.
md = check_md(os.path.join(d, "s1.md"), "evaluate kwaad/1.1 -f md")
js = load_json(os.path.join(d, "s1.json"))
must(md_cite_problems(md), "kwaad/1.1 md citations")
# The JSON is consistent and carries the raw strings (section fields,
# titles, dates, verbatim excerpts); the Markdown shows each of them
# escaped, line by line (md_problems builds every expected line from the
# JSON with qy_md_escape's rules).
must(json_problems(js, dec, agr, facts), "kwaad/1.1 json")
must(md_problems(md, js, dec), "kwaad/1.1 md against its json")
# The escaped forms are visible (the text is shown, not dropped).
for s in ("&lt;script&gt;alert(8)&lt;/script&gt;", "&lt;script&gt;alert(11)&lt;/script&gt;",
          "&lt;img src=x onerror=alert(1)&gt;", "\\]\\]()"):
    if s not in md:
        fail("kwaad/1.1 md lacks the escaped form %r" % s)
refs = {r["id"]: r for r in js["references"]}
cited = {js["references"][c["ref"] - 1]["id"]
         for it in js["commitments"] for c in it["citations"]}
for did in ("AE0000000000000000000101", "AE0000000000000000000102"):
    if did not in cited:
        fail("fixture: %s (%s) is not cited as evidence; references %s"
             % (did, dec[did]["title"], sorted(refs)))
    if refs[did]["title"] != dec[did]["title"]:
        fail("json title of %s is %r, want the raw %r"
             % (did, refs[did]["title"], dec[did]["title"]))
    if not re.match(r"https?://", refs[did]["url"]):
        fail("json url of %s is %r" % (did, refs[did]["url"]))
ex = [c["excerpt"] for it in js["commitments"]
      for c in it["citations"] + it["related"] if c["excerpt"]]
if not any("<img src=x onerror=alert(1)>" in e for e in ex):
    fail("no JSON excerpt carries the raw <img ...>: %r" % ex)
if not any("<script>alert(11)</script>" in it["text"] for it in js["commitments"]):
    fail("no JSON commitment carries the raw <script>")

# The section whose id is hostile.
s2id = "kwaad/1.2`<script>alert(13)</script>`"
md2 = check_md(os.path.join(d, "s2.md"), "evaluate %s -f md" % s2id)
js2 = load_json(os.path.join(d, "s2.json"))
if js2["section"]["id"] != s2id:
    fail("json section.id %r, want the raw %r" % (js2["section"]["id"], s2id))
must(json_problems(js2, dec, agr, facts), "%s json" % s2id)
must(md_problems(md2, js2, dec), "%s md against its json" % s2id)

# evaluate --all: every report and index.md (whose links go to the
# report files, relative), raw and rendered.
files = sorted(os.listdir(os.path.join(d, "all")))
reports = [f for f in files if f != "index.md"]
want = sorted(sid.replace("/", "_") + ".md" for sid in agr)
if "index.md" not in files or reports != want:
    fail("evaluate --all wrote %s, want %s and index.md" % (files, want))
for f in reports:
    check_md(os.path.join(d, "all", f), "--all report %s" % f)
check_md(os.path.join(d, "all", "index.md"), "--all index.md", links=reports)
if open(os.path.join(d, "all", "kwaad_1.1.md"), encoding="utf-8").read() != md:
    fail("--all's kwaad_1.1.md differs from evaluate kwaad/1.1")

# Citation numbers in order of first use (docs/evaluation.md, 8); last,
# so that every other check above has run.
for m, sid in ((md, "kwaad/1.1"), (md2, s2id)):
    o = md_order_problem(m)
    if o:
        fail("%s: citations are not numbered in order of first use in the "
             "report body: %s" % (sid, o))
EOF
echo "T32 ok"
