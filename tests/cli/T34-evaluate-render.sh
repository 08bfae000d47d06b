#!/bin/sh
# T34: the reports of evaluate --all on the shared corpus, rendered as a
# reader sees them (Debian's cmark-gfm, GitHub's Markdown dialect, with the
# report's raw HTML let through) and read back with Python's html.parser.
# For every report: every <details> is closed; the footer paragraph (the
# one with "deterministisch rapport") is outside any <details>, <pre> and
# <code>; no literal "</details>" ends up in a code block; every
# href="#ref-N" has its id="ref-N"; the commitments stay one numbered list
# with each citation list inside its commitment.  From the JSON run: no
# decision is among the references of more than a tenth of the reports;
# index.json parses, its total is the sum of its sections, and index.md's
# total line says the same.  Expectations come from the reports of the
# same run, never from earlier output.
. "$(dirname "$0")/lib.sh"
shared_index
command -v cmark-gfm >/dev/null 2>&1 ||
    fail "cmark-gfm not found (Debian package cmark-gfm; sh .ci/deps installs it)"
Q() { "$QRY" -d "$SHARED_DB" "$@"; }

expect_rc 0 Q evaluate --all -o "$SCRATCH/md"
expect_rc 0 Q evaluate --all -f json -o "$SCRATCH/json"

python3 - "$SHARED/agreement.jsonl" "$SCRATCH" <<'EOF' || fail "evaluate --all: rendered reports"
import json, os, re, sys
from akt import load, cmark, render_problems, counts_sum, md_counts, \
    COUNT_KEYS, fail
agr = load(sys.argv[1])
d = sys.argv[2]
mdir, jdir = os.path.join(d, "md"), os.path.join(d, "json")
name = {sid: sid.replace("/", "_") for sid in agr}

# --- rendered Markdown ------------------------------------------------
files = sorted(f for f in os.listdir(mdir) if f != "index.md")
if files != sorted(name[s] + ".md" for s in agr):
    fail("evaluate --all wrote %d reports for %d sections" % (len(files), len(agr)))
found, later = {}, {}
for f in files:
    html = cmark(os.path.join(mdir, f))
    for p in render_problems(html):
        # the list layout is checked after the checks it does not affect
        (later if p.startswith("Verbintenissen:") else found).setdefault(
            p if p.startswith("Verbintenissen:") else re.sub(r"\d+", "N", p),
            []).append(f)
for p in render_problems(cmark(os.path.join(mdir, "index.md")), report=False,
                         links=files):
    found.setdefault("index.md: " + p, []).append("index.md")
if found:
    fail("rendered reports:\n  " + "\n  ".join(
        "%s (%d reports, e.g. %s)" % (p, len(fs), ", ".join(fs[:3]))
        for p, fs in sorted(found.items())))
print("%d reports rendered: <details> closed, footer outside, anchors resolve"
      % len(files))

# --- JSON: references spread, overview totals -------------------------
reports = {}
for sid in agr:
    try:
        reports[sid] = json.load(open(os.path.join(jdir, name[sid] + ".json"),
                                      encoding="utf-8"))
    except (OSError, ValueError) as e:
        fail("%s.json: %s" % (name[sid], e))
seen = {}
for sid, js in reports.items():
    for did in {r["id"] for r in js["references"]}:
        seen.setdefault(did, []).append(sid)
top = sorted(seen.items(), key=lambda kv: (-len(kv[1]), kv[0]))
limit = len(reports) / 10
over = [(did, s) for did, s in top if len(s) > limit]
print("most referenced decision: %s in %d of %d reports"
      % (top[0][0], len(top[0][1]), len(reports)) if top else "no references")
if over:
    fail("decisions among the references of more than 10%% of the %d "
         "reports:\n  %s" % (len(reports), "\n  ".join(
             "%s: %d reports (%s, ...)" % (did, len(s), ", ".join(s[:3]))
             for did, s in over[:10])))

try:
    ov = json.load(open(os.path.join(jdir, "index.json"), encoding="utf-8"))
except (OSError, ValueError) as e:
    fail("index.json: %s" % e)
secs = ov.get("sections")
if not isinstance(secs, list) or len(secs) != len(agr) or \
        [s.get("id") for s in secs] != list(agr):
    fail("index.json sections are not the %d sections in agreement order" % len(agr))
for s in secs:
    if sorted(s.get("counts", {})) != sorted(COUNT_KEYS):
        fail("index.json %s: counts %r" % (s["id"], s.get("counts")))
tot = ov.get("total")
if tot != counts_sum(secs):
    fail("index.json total %r, its sections sum to %r" % (tot, counts_sum(secs)))
if tot["commitments"] != tot["done"] + tot["in_progress"] + tot["none"]:
    fail("index.json total: commitments %d != done + in_progress + none" % tot["commitments"])
imd = open(os.path.join(jdir, "index.md"), encoding="utf-8").read()
row = "| **totaal** | %d |%s" % (len(secs), md_counts(tot))
got = re.findall(r"^\| \*\*totaal\*\* \|.*$", imd, re.M)
if got != [row]:
    fail("index.md total line %r, index.json gives %r" % (got, row))
pct = lambda k: 100.0 * tot[k] / tot["commitments"] if tot["commitments"] else 0.0
line = ("Van de %d toetsbare verbintenissen in %d secties zijn er %d uitgevoerd "
        "(%.0f%%), %d in uitvoering (%.0f%%) en %d zonder gevonden beslissing "
        "(%.0f%%); %d zinnen zijn niet toetsbaar." % (
            tot["commitments"], len(secs), tot["done"], pct("done"),
            tot["in_progress"], pct("in_progress"), tot["none"], pct("none"),
            tot["not_checkable"]))
if line not in imd:
    fail("index.md's opening sentence does not give index.json's total: %r" % line)
print("index.json total %r = sum of %d sections = index.md" % (tot, len(secs)))

# --- list layout ------------------------------------------------------
if later:
    fail("rendered reports: commitment lists:\n  " + "\n  ".join(
        "%s: %s" % (fs[0], p) for p, fs in sorted(
            later.items(), key=lambda kv: kv[1][0])[:5]) +
        "\n  (%d reports)" % len({f for fs in later.values() for f in fs}))
EOF
echo "T34 ok"
