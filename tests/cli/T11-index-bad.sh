#!/bin/sh
# T11: bad input stops the build (exit 1, "FILE:LINE:" on stderr) and leaves
# an existing index byte-identical with no DIR.tmp-* left; --skip-bad skips
# and names the bad lines; usage and output-directory errors.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
DEC="$SAMPLE/sample-decisions.jsonl"

# Fixtures: sample lines with one bad line inserted at a known line.
{ head -n 3 "$DEC"; echo 'this is not json'; tail -n +4 "$DEC" | head -n 2; } >notjson.jsonl
{ head -n 2 "$DEC"
  echo '{"date": "2021-01-01", "kind": "nota", "title": "Geen id", "text": "tekst"}'
  tail -n +3 "$DEC" | head -n 1; } >noid.jsonl
{ head -n 5 "$DEC"
  echo '{"id": "AD0000000000000000000099", "date": "2021-13-45", "kind": "nota", "title": "Slechte datum", "text": "tekst"}'; } >baddate.jsonl
# file:line of each bad line
set -- notjson.jsonl:4 noid.jsonl:3 baddate.jsonl:6

DB="$SCRATCH/db"
expect_rc 0 "$IDX" -q -o "$DB" "$DEC"
tree_sums "$DB" >before.sums

no_tmp_left() {
    for d in "$DB".tmp-*; do
        [ -e "$d" ] && fail "stale $d left after $1"
    done
    return 0
}

for fl in "$@"; do
    f=${fl%%:*}
    # relative and absolute paths: stderr names the path as given.
    for path in "$f" "$SCRATCH/$f"; do
        expect_rc 1 "$IDX" -q -o "$DB" "$path"
        grep -qF "$path:${fl#*:}:" "$SCRATCH/err" ||
            fail "stderr lacks '$path:${fl#*:}:': $(cat "$SCRATCH/err")"
        tree_sums "$DB" >after.sums
        cmp -s before.sums after.sums || {
            diff before.sums after.sums >&2 || :
            fail "index changed after a failing build on $path"
        }
        no_tmp_left "the failing build on $path"
    done
    # Also fails when the bad file is the second input.
    expect_rc 1 "$IDX" -q -o "$DB" "$DEC" "$f"
    grep -qF "$fl:" "$SCRATCH/err" || fail "stderr lacks '$fl:' (2nd input)"
    tree_sums "$DB" >after.sums
    cmp -s before.sums after.sums || fail "index changed (bad 2nd input $f)"
    no_tmp_left "the failing build on $DEC $f"
done
# A build that fails with no index at -o creates nothing there.
expect_rc 1 "$IDX" -q -o "$SCRATCH/fresh" notjson.jsonl
[ ! -e "$SCRATCH/fresh" ] || fail "a failed build created $SCRATCH/fresh"

# --skip-bad: exit 0, counts.skipped and skipped_lines name every bad line.
expect_rc 0 "$IDX" -q --skip-bad -o "$DB" notjson.jsonl noid.jsonl baddate.jsonl
no_tmp_left "the --skip-bad build"
python3 - "$DB/manifest.json" "$@" <<'EOF' || exit 1
import json, sys
from akt import fail
m = json.load(open(sys.argv[1], encoding="utf-8"))
bad = sys.argv[2:]
total = 0
for fl in bad:
    f, line = fl.split(":")
    total += 1
    inp = [i for i in m["inputs"] if i.get("path") == f]
    if len(inp) != 1:
        fail("manifest has %d inputs with path %r" % (len(inp), f))
    inp = inp[0]
    if inp.get("skipped") != 1:
        fail("%s: skipped %r, want 1" % (f, inp.get("skipped")))
    sl = inp.get("skipped_lines") or []
    if not any(s == fl or s.startswith(fl + ":") for s in sl):
        fail("%s: skipped_lines %r does not name %s" % (f, sl, fl))
if m["counts"].get("skipped") != total:
    fail("counts.skipped %r, want %d" % (m["counts"].get("skipped"), total))
if m.get("parameters", {}).get("skip_bad") is not True:
    fail("parameters.skip_bad not true")
# good lines all indexed (ids may repeat across the three files).
good = set()
for fl in bad:
    for line in open(fl.split(":")[0], encoding="utf-8"):
        try:
            r = json.loads(line)
        except ValueError:
            continue
        if "id" in r and r.get("date") != "2021-13-45":
            good.add(r["id"])
if m["counts"].get("decisions") != len(good):
    fail("counts.decisions %r, want %d distinct good ids"
         % (m["counts"].get("decisions"), len(good)))
EOF

# Missing corpus file: exit 1, its name on stderr, old index untouched.
expect_rc 0 "$IDX" -q -o "$DB" "$DEC"
tree_sums "$DB" >before.sums
expect_rc 1 "$IDX" -q -o "$DB" "$SCRATCH/no-such-file.jsonl"
grep -qF "no-such-file.jsonl" "$SCRATCH/err" ||
    fail "stderr does not name the missing file: $(cat "$SCRATCH/err")"
tree_sums "$DB" >after.sums
cmp -s before.sums after.sums || fail "index changed after a missing-file build"
no_tmp_left "the missing-file build"

# No arguments: usage error.
expect_rc 2 "$IDX"
[ -s "$SCRATCH/err" ] || fail "no message on stderr for a usage error"
expect_rc 2 "$IDX" --no-such-option "$DEC"

# -o at a non-empty directory that is not an akkoord index: exit 1,
# directory untouched.
mkdir -p other/sub
echo "precious" >other/notes.txt
echo "data" >other/sub/file
tree_sums other >other.before
expect_rc 1 "$IDX" -q -o "$SCRATCH/other" "$DEC"
tree_sums other >other.after
cmp -s other.before other.after || fail "non-index directory was modified"
[ "$(find other | wc -l)" -eq 4 ] || fail "entries added to the non-index directory"
for d in "$SCRATCH"/other.tmp-*; do
    [ -e "$d" ] && fail "stale $d left"
done
exit 0
