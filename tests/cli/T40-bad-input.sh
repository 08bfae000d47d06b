#!/bin/sh
# T40: the catalogue of bad input and hostile environments.  Every failing
# case exits with its documented code and message (corpus/README.md,
# --help) and leaves the existing index byte-identical with no DIR.tmp-*
# left; the record-level cases are also skipped and counted with
# --skip-bad; the documented acceptances (CRLF, BOM, last-wins duplicates,
# a 20 MB record) hold.  Cases that cannot run here (no setpriv, no
# python3 xapian bindings, no tmpfs mount) print "note: skipped ..." and
# do not fail the test.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
DEC="$SAMPLE/sample-decisions.jsonl"
AGR="$SAMPLE/sample-agreement.jsonl"
DB="$SCRATCH/db"
expect_rc 0 "$IDX" -q --agreement "$AGR" -o "$DB" "$DEC"
tree_sums "$DB" >before.sums
note() { echo "note: $*"; }

GOOD1='{"id": "T40-GOOD-1", "date": "2021-03-04", "kind": "nota", "title": "Eerste goede beslissing", "text": "Een gewone tekst."}'
GOOD2='{"id": "T40-GOOD-2", "date": "2020-02-29", "kind": "nota", "title": "Tweede goede beslissing", "text": "Schrikkeldag is een echte datum."}'

# bad_case NAME MESSAGE: NAME.jsonl holds GOOD1, the bad line (line 2) and
# GOOD2 (written by mk).  Without --skip-bad: exit 1 with
# "NAME.jsonl:2: MESSAGE" and the index unchanged.  The file is remembered
# for the one --skip-bad build over all of them below.
SKIPPABLE=""
bad_case() {
    f=$1.jsonl; msg=$2
    expect_rc 1 "$IDX" -q -o "$DB" "$f"
    expect_err "akkoord-index: $f:2: $msg"
    index_same "$DB" before.sums "bad case $1"
    printf '%s\t%s\n' "$f" "$msg" >>skippable.tsv
    SKIPPABLE="$SKIPPABLE $f"
}
mk() {  # mk NAME FORMAT...: GOOD1, printf FORMAT..., GOOD2 into NAME.jsonl
    n=$1; shift
    { printf '%s\n' "$GOOD1"; printf "$@"; printf '%s\n' "$GOOD2"; } >"$n.jsonl"
}

# ---- record-level cases (skippable) --------------------------------
mk trunc '{"id": "X2", "date": "2021-01-01", "title": "afgebr\n'
bad_case trunc "not valid JSON: "
mk notobj '["id", "X2", "title", "geen object"]\n'
bad_case notobj "not a JSON object"
mk notobj2 '"alleen een string"\n'
bad_case notobj2 "not a JSON object"
mk datenum '{"id": "X2", "date": 2021, "title": "datum als getal"}\n'
bad_case datenum "field 'date' is not a string or null"
mk idnum '{"id": 17, "title": "id als getal"}\n'
bad_case idnum "field 'id' is not a string"
mk idnull '{"id": null, "title": "id is null"}\n'
bad_case idnull "field 'id' is not a string"
mk titlearr '{"id": "X2", "title": ["a", "b"]}\n'
bad_case titlearr "field 'title' is not a string or null"
mk noid '{"date": "2021-01-01", "title": "geen id", "text": "tekst"}\n'
bad_case noid "missing field 'id'"
mk emptyid '{"id": "", "title": "lege id"}\n'
bad_case emptyid "empty 'id'"
mk empty '{"id": "X2", "date": "2021-01-01", "title": "", "text": ""}\n'
bad_case empty "empty 'title' and 'text'"
mk blanktt '{"id": "X2", "title": " \\t\\n\\u00a0 ", "text": null}\n'
bad_case blanktt "empty 'title' and 'text'"
mk notitle '{"id": "X2", "date": "2021-01-01"}\n'
bad_case notitle "empty 'title' and 'text'"
i=0
for d in 2021-13-45 2021-02-29 2021-1-01 1799-12-31 2021-04-31 \
         2021-01-01T00:00:00 21-01-01 ""; do
    i=$((i + 1))
    mk date$i '{"id": "X2", "date": "%s", "title": "slechte datum"}\n' "$d"
    bad_case date$i "malformed date '$d' (want YYYY-MM-DD)"
done
# invalid UTF-8: a bad byte, an overlong '/', a surrogate, above U+10FFFF,
# a cut multibyte sequence.
i=0
for b in '\377' '\300\257' '\355\240\200' '\364\220\200\200' '\303'; do
    i=$((i + 1))
    mk utf8-$i '{"id": "X2", "title": "ongeldig '"$b"' teken"}\n'
    bad_case utf8-$i "invalid UTF-8"
done
mk nul '{"id": "X2", "title": "met \000 NUL"}\n'
bad_case nul "NUL byte in line"
mk nulesc '{"id": "X2", "title": "met \\u0000 escape"}\n'
bad_case nulesc "not valid JSON: "
mk dupkey '{"id": "X2", "id": "X3", "title": "dubbele sleutel"}\n'
bad_case dupkey "not valid JSON: "

# All of them with --skip-bad (into another target): exit 0, every bad
# line warned about, counted and named per input, the good records kept.
# shellcheck disable=SC2086
expect_rc 0 "$IDX" -q --skip-bad -o skip.db $SKIPPABLE
python3 - skip.db/manifest.json skippable.tsv "$SCRATCH/err" <<'EOF' || exit 1
import json, sys
from akt import fail
m = json.load(open(sys.argv[1], encoding="utf-8"))
cases = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")]
err = open(sys.argv[3], encoding="utf-8", errors="replace").read()
c = m["counts"]
if (c.get("skipped"), c.get("decisions")) != (len(cases), 2):
    fail("--skip-bad counts %r, want skipped %d, decisions 2" % (c, len(cases)))
inputs = {i["path"]: i for i in m["inputs"]}
for f, msg in cases:
    want = "%s:2: %s" % (f, msg)
    inp = inputs.get(f)
    if not inp:
        fail("manifest has no input %r" % f)
    if inp.get("records") != 2 or inp.get("skipped") != 1 or not any(
            s.startswith(want) for s in inp.get("skipped_lines", [])):
        fail("%s: records %r skipped %r skipped_lines %r, want 2, 1, %r"
             % (f, inp.get("records"), inp.get("skipped"),
                inp.get("skipped_lines"), want))
    if "warning: skipped " + want not in err:
        fail("no --skip-bad warning for %r" % want)
EOF

# A file cut in the middle of its last record (no final newline).
{ printf '%s\n' "$GOOD1"; printf '{"id": "X2", "title": "afgeb'; } >cut.jsonl
expect_rc 1 "$IDX" -q -o "$DB" cut.jsonl
expect_err "cut.jsonl:2: not valid JSON: "
index_same "$DB" before.sums "a file cut mid-record"

# The bad file as the second input still fails and names it.
expect_rc 1 "$IDX" -q -o "$DB" "$DEC" noid.jsonl
expect_err "noid.jsonl:2: missing field 'id'"
index_same "$DB" before.sums "a bad second input"

# ---- file-level cases (never skippable) ----------------------------
: >emptyfile.jsonl
printf '\n  \t\n\r\n' >blankfile.jsonl
for f in emptyfile.jsonl blankfile.jsonl; do
    for skip in "" --skip-bad; do
        expect_rc 1 "$IDX" -q $skip -o "$DB" "$f"
        expect_err "akkoord-index: $f: no records"
        index_same "$DB" before.sums "$f $skip"
    done
done
# Only bad records, skipped: nothing left to index.
expect_rc 1 "$IDX" -q --skip-bad -o "$DB" nul.jsonl noid.jsonl emptyfile.jsonl
expect_err "emptyfile.jsonl: no records"
index_same "$DB" before.sums "--skip-bad with an empty file"

gzip -9 -c "$DEC" >full.gz
size=$(wc -c <full.gz)
head -c $((size / 2)) full.gz >trunc.gz          # cut in the deflate data
head -c $((size - 4)) full.gz >trunc-trailer.gz  # cut in the trailer
python3 - <<'EOF'
b = bytearray(open("full.gz", "rb").read())
c = bytearray(b)
c[-8] ^= 0xFF                    # crc32 in the trailer
open("crc.gz", "wb").write(c)
for i in range(40, 60):          # deflate data
    b[i] ^= 0x55
open("corrupt.gz", "wb").write(b)
EOF
for skip in "" --skip-bad; do
    for f in trunc.gz trunc-trailer.gz; do
        expect_rc 1 "$IDX" -q $skip -o "$DB" "$f"
        grep -qE "^akkoord-index: $f:[0-9]+: truncated gzip data \(unexpected end of file\)$" \
            "$SCRATCH/err" || fail "$f $skip: $(cat "$SCRATCH/err")"
        index_same "$DB" before.sums "$f $skip"
    done
    for f in crc.gz corrupt.gz; do
        expect_rc 1 "$IDX" -q $skip -o "$DB" "$f"
        grep -qE "^akkoord-index: $f:[0-9]+: corrupt gzip data: " \
            "$SCRATCH/err" || fail "$f $skip: $(cat "$SCRATCH/err")"
        index_same "$DB" before.sums "$f $skip"
    done
done
# and the intact gzip file indexes (the reader looks at bytes, not names)
rm -rf gz.db
expect_rc 0 "$IDX" -q -o gz.db full.gz

for skip in "" --skip-bad; do
    expect_rc 1 "$IDX" -q $skip -o "$DB" no-such-file.jsonl
    expect_err "akkoord-index: no-such-file.jsonl: no such file or directory"
    index_same "$DB" before.sums "a missing file $skip"
    mkdir -p adir.jsonl
    expect_rc 1 "$IDX" -q $skip -o "$DB" adir.jsonl
    expect_err "akkoord-index: adir.jsonl: is a directory"
    index_same "$DB" before.sums "a directory as input $skip"
done

# Agreement with a section id twice: exit 1 even with --skip-bad.
{ cat "$AGR"; head -n 1 "$AGR"; } >agdup.jsonl
sid=$(head -n 1 "$AGR" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
line=$(($(wc -l <"$AGR") + 1))
for skip in "" --skip-bad; do
    expect_rc 1 "$IDX" -q $skip --agreement agdup.jsonl -o "$DB" "$DEC"
    expect_err "akkoord-index: agdup.jsonl:$line: duplicate section id '$sid'"
    index_same "$DB" before.sums "a duplicate section id $skip"
done

# ---- accepted input --------------------------------------------------
# CRLF line endings and a UTF-8 BOM: the same index content as the plain
# file (ids exact, no CR kept in the text).
sed 's/$/\r/' "$DEC" >crlf.jsonl
{ printf '\357\273\277'; cat "$DEC"; } >bom.jsonl
{ printf '\357\273\277'; sed 's/$/\r/' "$DEC"; } >bomcrlf.jsonl
n=$(grep -c . "$DEC")
for f in crlf.jsonl bom.jsonl bomcrlf.jsonl; do
    rm -rf acc.db
    expect_rc 0 "$IDX" -q -o acc.db "$f"
    python3 - acc.db/manifest.json "$n" <<'EOF' || exit 1
import json, sys
from akt import fail
m = json.load(open(sys.argv[1], encoding="utf-8"))
if m["counts"]["decisions"] != int(sys.argv[2]) or m["counts"]["skipped"]:
    fail("counts %r, want %s decisions" % (m["counts"], sys.argv[2]))
EOF
    first=$(head -n 1 "$DEC" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
    expect_rc 0 "$QRY" -d acc.db show -f json "$first"
    python3 - "$SCRATCH/out" "$DEC" <<'EOF' || exit 1
import json, sys
from akt import fail, wsnorm
got = json.loads(open(sys.argv[1], encoding="utf-8").read())
want = json.loads(open(sys.argv[2], encoding="utf-8").readline())
if got["id"] != want["id"] or got["title"] != wsnorm(want["title"]):
    fail("first record read back as %r / %r" % (got["id"], got["title"]))
if "\r" in json.dumps(got):
    fail("a CR survived into the index")
EOF
done

# Duplicate ids: last wins, counted and named in the manifest (within one
# file and across files).
{ cat "$DEC"
  printf '%s\n' '{"id": "T40-DUP", "date": "2021-01-01", "title": "Eerste olifantenversie", "text": "oud"}'
  printf '%s\n' '{"id": "T40-DUP", "date": "2021-01-02", "title": "Tweede giraffenversie", "text": "middel"}'
} >dup1.jsonl
printf '%s\n' '{"id": "T40-DUP", "date": "2021-01-03", "title": "Laatste zebraversie", "text": "nieuw"}' >dup2.jsonl
rm -rf dup.db
expect_rc 0 "$IDX" -q -o dup.db dup1.jsonl dup2.jsonl
python3 - dup.db/manifest.json "$n" <<'EOF' || exit 1
import json, sys
from akt import fail
m = json.load(open(sys.argv[1], encoding="utf-8"))
n = int(sys.argv[2])
c = m["counts"]
if (c["decisions"], c["duplicates"]) != (n + 1, 2):
    fail("counts %r, want decisions %d duplicates 2" % (c, n + 1))
got = [(i["path"], i["duplicates"], i["duplicate_ids"]) for i in m["inputs"]]
want = [("dup1.jsonl", 1, ["T40-DUP"]), ("dup2.jsonl", 1, ["T40-DUP"])]
if got != want:
    fail("inputs duplicates %r, want %r" % (got, want))
EOF
expect_rc 0 "$QRY" -d dup.db show -f json T40-DUP
python3 -c '
import json, sys
from akt import fail
d = json.load(open(sys.argv[1], encoding="utf-8"))
if d["title"] != "Laatste zebraversie" or d["date"] != "2021-01-03":
    fail("duplicate id holds %r %r, want the last record" % (d["title"], d["date"]))
' "$SCRATCH/out"
expect_rc 0 "$QRY" -d dup.db search zebraversie
expect_rc 1 "$QRY" -d dup.db search olifantenversie  # replaced, not kept
expect_rc 1 "$QRY" -d dup.db search giraffenversie

# A 20 MB single record indexes (the reader has no line limit) and is
# found by a word that occurs only in it.
python3 - big.jsonl "$DEC" <<'EOF'
import json, random, sys
r = random.Random(40)
block = " ".join(r.choices(["woord%d" % i for i in range(3000)], k=5000))
half = [block] * (10 * 1024 * 1024 // len(block) + 1)
rec = {"id": "T40-BIG", "date": "2021-05-05", "title": "Een heel groot record",
       "text": " ".join(half + ["olifantenpaadje"] + half)}
with open(sys.argv[1], "w", encoding="utf-8") as f:
    f.write(json.dumps(rec) + "\n")
    f.write(open(sys.argv[2], encoding="utf-8").read())
EOF
[ "$(head -n 1 big.jsonl | wc -c)" -gt 20000000 ] || fail "big record not 20 MB"
rm -rf big.db
expect_rc 0 "$IDX" -q -o big.db big.jsonl
expect_rc 0 "$QRY" -d big.db search -f json olifantenpaadje
python3 -c '
import sys
from akt import ids, fail
if ids(sys.argv[1]) != ["T40-BIG"]:
    fail("20 MB record: search gave %r" % ids(sys.argv[1]))
' "$SCRATCH/out"

# ---- akkoord-query: unknown section, malformed queries ---------------
expect_rc 1 "$QRY" -d "$DB" evaluate no-such/9.9
expect_err "no agreement section 'no-such/9.9'"
expect_rc 1 "$QRY" -d "$DB" rank no-such/9.9
expect_err "no-such/9.9"
for q in 'digitaal AND' 'OR digitaal' 'digitaal NOT' 'AND'; do
    expect_rc 2 "$QRY" -d "$DB" search "$q"
    expect_err "cannot parse query '$q'"
done
expect_rc 2 "$QRY" -d "$DB" search 'digitaal 2021-13-01..2021-12-31'
expect_err "'2021-13-01' in query"
expect_rc 2 "$QRY" -d "$DB" search --since 2021-13-45 digitaal
expect_err "--since '2021-13-45' is not a date"
expect_rc 2 "$QRY" -d "$DB" search
expect_err "search needs a query"
expect_rc 2 "$QRY" -d "$DB" search -n abc digitaal
index_same "$DB" before.sums "the query cases"

# ---- an index directory we may not write -----------------------------
if [ "$(id -u)" -eq 0 ] &&
   setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    chmod 755 "$SCRATCH"   # let uid 65534 reach the fixtures
    cp "$DEC" ro-input.jsonl
    chmod 644 ro-input.jsonl
    mkdir ro
    expect_rc 0 "$IDX" -q -o ro/db ro-input.jsonl
    tree_sums ro/db >ro.sums
    chmod 555 ro
    asnobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
    # lock file owned by root (0644): cannot even take the lock
    expect_rc 1 asnobody "$IDX" -q -o ro/db ro-input.jsonl
    grep -qiF "cannot create 'ro/.db.lock': permission denied" "$SCRATCH/err" ||
        fail "unwritable lock: $(cat "$SCRATCH/err")"
    index_same ro/db ro.sums "a build without write permission (lock)"
    # lock writable, directory not: cannot create the scratch dir
    chmod 666 ro/.db.lock
    expect_rc 1 asnobody "$IDX" -q -o ro/db ro-input.jsonl
    grep -qiE "cannot create 'ro/db\.tmp-[0-9]+-[A-Za-z0-9]{6}': permission denied" "$SCRATCH/err" ||
        fail "unwritable dir: $(cat "$SCRATCH/err")"
    index_same ro/db ro.sums "a build without write permission (dir)"
    # a new index in an unwritable directory: nothing created
    expect_rc 1 asnobody "$IDX" -q -o ro/new ro-input.jsonl
    grep -qi "permission denied" "$SCRATCH/err" || fail "ro/new: $(cat "$SCRATCH/err")"
    [ ! -e ro/new ] || fail "ro/new created"
    # and the index is still readable by that user
    expect_rc 0 asnobody "$QRY" -d ro/db search digitaal
    chmod 755 ro
else
    note "skipped the unwritable-directory case (needs root and setpriv)"
fi

# ---- a disk that fills up mid-build ------------------------------------
# fill.jsonl: 500 records whose index (~4 MB) does not fit.
python3 - <<'EOF'
import json, random
r = random.Random(41)
words = ["woord%d" % i for i in range(20000)]
with open("fill.jsonl", "w") as f:
    for i in range(500):
        f.write(json.dumps({"id": "FILL%05d" % i, "title": "vulling %d" % i,
                            "text": " ".join(r.choices(words, k=200))}) + "\n")
EOF
# (a) the file size limit: writes fail with EFBIG.  The indexer must report
# it (exit 1), not die of SIGXFSZ (exit 153).
rc=0
(ulimit -f 1000 && exec "$IDX" -q -o "$DB" fill.jsonl) >"$SCRATCH/out" \
    2>"$SCRATCH/err" || rc=$?
[ "$rc" -ne 153 ] || fail "akkoord-index was killed by SIGXFSZ under ulimit -f (needs signal(SIGXFSZ, SIG_IGN) in main)"
[ "$rc" -eq 1 ] || fail "ulimit -f: exit $rc, want 1: $(cat "$SCRATCH/err")"
grep -qi "file too large" "$SCRATCH/err" ||
    fail "ulimit -f: message does not give the cause: $(cat "$SCRATCH/err")"
index_same "$DB" before.sums "a build over the file size limit"
# the same with --skip-bad: a write error is not a bad record
rc=0
(ulimit -f 1000 && exec "$IDX" -q --skip-bad -o "$DB" fill.jsonl) \
    >"$SCRATCH/out" 2>"$SCRATCH/err" || rc=$?
[ "$rc" -eq 1 ] || fail "ulimit -f --skip-bad: exit $rc, want 1"
grep -q "warning: skipped" "$SCRATCH/err" &&
    fail "ulimit -f --skip-bad: a write error was skipped as a bad record: $(cat "$SCRATCH/err")"
index_same "$DB" before.sums "a build over the file size limit (--skip-bad)"
# The same when the write fails in one of Xapian's automatic flushes (every
# XAPIAN_FLUSH_THRESHOLD documents, inside replace_document) rather than in
# the final commit: the I/O error must come out, not be masked (under
# DB_DANGEROUS it became "cancel() not supported", an XS_INVALID that
# --skip-bad then skipped as a bad record).
for skip in "" --skip-bad; do
    rc=0
    (ulimit -f 50 && XAPIAN_FLUSH_THRESHOLD=100 &&
     export XAPIAN_FLUSH_THRESHOLD &&
     exec "$IDX" -q $skip -o "$DB" fill.jsonl) >"$SCRATCH/out" \
        2>"$SCRATCH/err" || rc=$?
    [ "$rc" -eq 1 ] || fail "auto-flush over ulimit $skip: exit $rc, want 1"
    grep -qi "file too large" "$SCRATCH/err" ||
        fail "auto-flush over ulimit $skip: message hides the cause: $(cat "$SCRATCH/err")"
    grep -q "warning: skipped" "$SCRATCH/err" &&
        fail "auto-flush over ulimit $skip: a write error was skipped as a bad record"
    index_same "$DB" before.sums "an automatic flush over the file size limit $skip"
done
# (b) a full file system: a 1 MB tmpfs holding the old index.
MNT="$SCRATCH/mnt"
mkdir "$MNT"
if [ "$(id -u)" -eq 0 ] && mount -t tmpfs -o size=1m tmpfs "$MNT" 2>/dev/null; then
    trap 'umount "$MNT" 2>/dev/null || :; _cleanup' EXIT
    expect_rc 0 "$IDX" -q --agreement "$AGR" -o "$MNT/db" "$DEC"
    tree_sums "$MNT/db" >mnt.sums
    expect_rc 1 "$IDX" -q -o "$MNT/db" fill.jsonl
    expect_err "No space left on device"
    index_same "$MNT/db" mnt.sums "a build on a full file system"
    expect_rc 0 "$QRY" -d "$MNT/db" search digitaal
    umount "$MNT"
else
    note "skipped the full-tmpfs case (mount -t tmpfs not permitted)"
fi

# ---- an index from another format or stemmer: akkoord-query exits 3 ----
# The decisions database is a single compacted file (read-only for
# Xapian), so the change goes into the sections database, which the
# snapshot checks the same way; xapian-metadata is Xapian's own tool.
# Then manifest.json's files table is made to fit again (as a build of
# that index would have written it): else it is refused as damaged first.
if command -v xapian-metadata >/dev/null 2>&1; then
    for kv in akkoord.stemmer:x:stemmer akkoord.format:1:"index format"; do
        key=${kv%%:*}; rest=${kv#*:}; val=${rest%%:*}; what=${rest#*:}
        rm -rf other.db
        cp -r "$DB" other.db
        xapian-metadata set other.db/sections "$key" "$val" ||
            fail "xapian-metadata set failed"
        python3 - other.db <<'EOF'
import json, os, sys, zlib
d = sys.argv[1]
m = json.load(open(d + "/manifest.json", encoding="utf-8"))
for f in m["files"]:
    b = open(os.path.join(d, f), "rb").read()
    m["files"][f] = {"bytes": len(b), "crc32": "%08x" % zlib.crc32(b)}
json.dump(m, open(d + "/manifest.json", "w", encoding="utf-8"), indent=2)
EOF
        expect_rc 3 "$QRY" -d other.db search digitaal
        expect_err "built with $what '$val'"
    done
else
    note "skipped the other-stemmer/format case (xapian-metadata missing)"
fi

# Missing, damaged or incomplete index: exit 3 with a message.
expect_rc 3 "$QRY" -d no-such.db search digitaal
expect_err "no index at 'no-such.db'"
rm -rf bad.db && cp -r "$DB" bad.db
if [ -d bad.db/decisions ]; then     # a glass directory
    echo garbage >bad.db/decisions/iamglass
else                                 # a single-file (compacted) database
    echo garbage >bad.db/decisions
fi
expect_rc 3 "$QRY" -d bad.db search digitaal
[ -s "$SCRATCH/err" ] || fail "no message for a damaged index"
rm -rf bad.db && cp -r "$DB" bad.db && rm -rf bad.db/sections
expect_rc 3 "$QRY" -d bad.db search digitaal
expect_err "cannot open index 'bad.db'"

index_same "$DB" before.sums "the whole catalogue"
expect_rc 0 "$QRY" -d "$DB" search digitaal
exit 0
