#!/bin/sh
# T70: akkoord-query site on the shared corpus: 224 section pages; the
# same bytes from two runs (default and one thread); totals and every
# commitment's verdict equal to evaluate --all -f json; every page passes
# tidy, every internal link and #fragment resolves, nothing but the
# site's own markup; a bad target is refused and left as it was; a
# corrections fixture changes exactly the named verdicts in Markdown,
# JSON and the site (and a stale one is reported); then Chromium
# (tests/browser/check.mjs): rows, totals, filter, a citation followed
# and back, screenshots, axe-core.  Prints the wall time of a run.
. "$(dirname "$0")/lib.sh"
shared_index
Q() { "$QRY" -d "$SHARED_DB" "$@"; }
CHECK="python3 $AKKOORD_ROOT/tests/cli/site_check.py"

t0=$(now_ms)
expect_rc 0 Q site -o "$SCRATCH/site1"
t1=$(now_ms)
echo "site (224 sections): $((t1 - t0)) ms"
grep -q "open $SCRATCH/site1/index.html" "$SCRATCH/err" ||
    fail "site does not say where to open it"
expect_rc 0 env AKKOORD_THREADS=1 "$QRY" -d "$SHARED_DB" site -o "$SCRATCH/site2"
diff -r "$SCRATCH/site1" "$SCRATCH/site2" >"$SCRATCH/diff" 2>&1 || {
    head -20 "$SCRATCH/diff" >&2; fail "two site runs differ"; }
n=$(ls "$SCRATCH/site1/s" | wc -l)
[ "$n" -eq 224 ] || fail "$n section pages, want 224"
[ "$(ls "$SCRATCH/site1/d" | wc -l)" -gt 100 ] || fail "few decision pages"

expect_rc 0 Q evaluate --all -f json -o "$SCRATCH/json"
$CHECK totals "$SCRATCH/site1" "$SCRATCH/json" || fail "site and evaluate differ"
$CHECK links "$SCRATCH/site1" || fail "dangling links"
$CHECK tidy "$SCRATCH/site1" || fail "tidy finds problems"
$CHECK safe "$SCRATCH/site1" || fail "markup the site does not write"

# Targets: an earlier site is replaced; a non-empty folder that is not a
# site, a file and an index are refused and stay as they were.
expect_rc 0 Q site -o "$SCRATCH/site2"
diff -r "$SCRATCH/site1" "$SCRATCH/site2" >/dev/null || fail "rewrite differs"
mkdir "$SCRATCH/mine"; echo keep >"$SCRATCH/mine/notes.txt"
expect_rc 2 Q site -o "$SCRATCH/mine"
[ "$(cat "$SCRATCH/mine/notes.txt")" = keep ] && [ "$(ls "$SCRATCH/mine")" = notes.txt ] ||
    fail "a folder that is not a site was touched"
grep -q "not a site akkoord wrote" "$SCRATCH/err" || fail "no reason given"
echo x >"$SCRATCH/afile"
expect_rc 2 Q site -o "$SCRATCH/afile"
[ "$(cat "$SCRATCH/afile")" = x ] || fail "a file was replaced by a site"
before=$(tree_sums "$SHARED_DB")
expect_rc 2 Q site -o "$SHARED_DB"
[ "$(tree_sums "$SHARED_DB")" = "$before" ] || fail "the index was touched"
expect_rc 2 Q site
expect_rc 2 Q site -o "$SCRATCH/x" extra
ls "$SCRATCH" | grep -q 'tmp-' && fail "a temporary folder was left behind"

# Corrections: three verdicts changed, one stale line; the rest equal.
python3 - "$SCRATCH/json" "$SCRATCH/fix.tsv" <<'PY' || fail "corrections fixture"
import json, os, sys
d, out = sys.argv[1], sys.argv[2]
ov = json.load(open(os.path.join(d, "index.json")))
want = {"uitgevoerd": "geen beslissing gevonden",
        "geen beslissing gevonden": "uitgevoerd",
        "niet toetsbaar": "in uitvoering"}
lines, seen = [], set()
for s in ov["sections"]:
    rep = json.load(open(os.path.join(d, s["report"])))
    for c in rep["commitments"]:
        v = c["verdict"]
        if v in want and v not in seen and len(c["text"]) > 40:
            seen.add(v)
            lines.append("\t".join([s["id"], c["text"][:40], want[v],
                                    "Gelezen: de beslissing zegt iets anders.",
                                    "Redactie T70", "2026-12-01"]))
            break
with open(out, "w") as f:
    f.write("section\tcommitment\tverdict\tnote\twho\tdate\n")
    f.write("\n".join(lines) + "\n")
    f.write("# a stale one: no such sentence\n")
    f.write("%s\tDeze zin staat nergens in de sectie\tuitgevoerd\tx\ty\t2026-12-01\n"
            % ov["sections"][0]["id"])
if len(lines) != 3:
    sys.exit("found %d of the three kinds of verdicts" % len(lines))
PY
expect_rc 0 Q evaluate --all -f json --corrections "$SCRATCH/fix.tsv" -o "$SCRATCH/jfix"
grep -q "fix.tsv:6: correction not applied" "$SCRATCH/err" || fail "stale correction not reported"
expect_rc 0 Q site --corrections "$SCRATCH/fix.tsv" -o "$SCRATCH/sfix"
grep -q "fix.tsv:6: correction not applied" "$SCRATCH/err" || fail "site: stale correction not reported"
$CHECK totals "$SCRATCH/sfix" "$SCRATCH/jfix" || fail "corrected site and JSON differ"
$CHECK tidy "$SCRATCH/sfix" >/dev/null || fail "tidy: corrected site"
sec=$(head -2 "$SCRATCH/fix.tsv" | tail -1 | cut -f1)
expect_rc 0 Q evaluate --corrections "$SCRATCH/fix.tsv" "$sec"
cp "$SCRATCH/out" "$SCRATCH/fix.md"
python3 - "$SCRATCH" "$sec" <<'PY' || fail "corrections did not change exactly the named verdicts"
import hashlib, json, os, re, sys
d, sec = sys.argv[1], sys.argv[2]
sha = hashlib.sha256(open(os.path.join(d, "fix.tsv"), "rb").read()).hexdigest()
fixes = [l.split("\t") for l in open(os.path.join(d, "fix.tsv")).read().splitlines()[1:]
         if l and not l.startswith("#")][:3]
named = {(f[0], f[1]): f for f in fixes}
ov = json.load(open(os.path.join(d, "json", "index.json")))
changed = 0
for s in ov["sections"]:
    a = json.load(open(os.path.join(d, "json", s["report"])))
    b = json.load(open(os.path.join(d, "jfix", s["report"])))
    for ca, cb in zip(a["commitments"], b["commitments"]):
        key = next((k for k in named if k[0] == s["id"] and cb["text"].startswith(k[1])), None)
        if key:
            f = named[key]
            assert cb["verdict"] == f[2], (s["id"], cb["verdict"], f[2])
            assert cb["correction"]["machine_verdict"] == ca["verdict"]
            assert cb["correction"]["note"] == f[3] and cb["correction"]["who"] == f[4]
            changed += 1
        else:
            assert ca == cb, ("changed without a correction", s["id"], ca["text"][:60])
    assert (b.get("corrections") or {}).get("sha256") == sha, "no sha256 in the JSON report"
assert changed == 3, changed
md = open(os.path.join(d, "fix.md")).read()
assert "gecorrigeerd; machine:" in md and "correctie: Gelezen" in md, "Markdown shows no correction"
assert sha[:16] in md, "no sha256 in the Markdown footer"
method = open(os.path.join(d, "sfix", "method.html")).read()
assert sha in method, "no sha256 on the method page"
assert method.count("<td>ja</td>") == 3 and "nee: the section has no sentence" in method
n = 0
for f in fixes:
    name = f[0].replace("/", "_")
    page = open(os.path.join(d, "sfix", "s", name + ".html")).read()
    n += page.count('data-machine="')
    assert '<p class="correction">' in page
assert n == 3, n
print("corrections: 3 verdicts changed in JSON, Markdown and the site; sha256 shown")
PY

# The browser: Chromium through puppeteer-core, axe-core.
[ -d "$AKKOORD_ROOT/tests/browser/node_modules/puppeteer-core" ] ||
    fail "tests/browser/node_modules missing (make deps runs npm ci there)"
out="$AKKOORD_ROOT/tests/out/T70"
rm -rf "$out"; mkdir -p "$out"
node "$AKKOORD_ROOT/tests/browser/check.mjs" --site "$SCRATCH/site1" \
    --out "$out" --expect-totals "$SCRATCH/json/index.json" \
    --section bestuurzaken_3.2.3 || fail "browser checks (site)"
node "$AKKOORD_ROOT/tests/browser/check.mjs" --site "$SCRATCH/sfix" \
    --out "$out/fix" --expect-totals "$SCRATCH/jfix/index.json" ||
    fail "browser checks (corrected site)"

# serve with the same corrections: the same pages as the site (but for
# the search box in the header), so the same corrected verdicts.
"$QRY" -d "$SHARED_DB" serve --port 0 --corrections "$SCRATCH/fix.tsv" \
    2>"$SCRATCH/serve.log" &
BG_PIDS="$BG_PIDS $!"
i=0
until grep -q 'serving .* on http' "$SCRATCH/serve.log"; do
    i=$((i + 1)); [ $i -lt 600 ] || fail "serve did not start"; sleep 0.1
done
base=$(sed -n 's|.* on \(http://[^ ]*\)/$|\1|p' "$SCRATCH/serve.log")
python3 - "$base" "$SCRATCH/sfix" "$SCRATCH/fix.tsv" <<'PY' || fail "serve differs from the site"
import os, re, sys, urllib.request
base, site, fix = sys.argv[1:4]
form = re.compile(r'\n<form action="/search".*?</form>', re.S)
secs = [l.split("\t")[0] for l in open(fix).read().splitlines()[1:4]]
paths = ["index.html", "method.html", "sections.json"] + \
        ["s/%s.html" % s.replace("/", "_") for s in secs]
paths += ["d/" + f for f in sorted(os.listdir(os.path.join(site, "d")))[:20]]
machine = 0
for p in paths:
    got = urllib.request.urlopen(base + "/" + p).read().decode()
    want = open(os.path.join(site, p), encoding="utf-8").read()
    if p.endswith(".html"):
        assert '<form action="/search"' in got, "no search box on /" + p
        got = form.sub("", got)
    assert got == want, "/%s differs from the site's file" % p
    machine += got.count('data-machine="')
assert machine == 3, machine
print("serve: %d pages equal to the site's, the 3 corrections shown" % len(paths))
PY
node "$AKKOORD_ROOT/tests/browser/check.mjs" --base "$base/" --out "$out/serve" \
    --expect-totals "$SCRATCH/jfix/index.json" --section bestuurzaken_3.2.3 ||
    fail "browser checks (serve)"
pid=${BG_PIDS##* }
kill -TERM "$pid"; wait "$pid" || fail "serve did not stop cleanly"
