#!/bin/sh
# T44: inputs pinned exactly, every bad input named.  The indexer reads
# each input once (a FIFO, /dev/stdin and a file that grows while it is
# read all work), and the manifest's sha256 and bytes are those of the
# bytes it read and indexed; gzip members, trailing data and damaged
# members, over-long lines, over-long term fields, ids with whitespace or
# control characters, a BOM after line 1 and devices are named as
# FILE[:LINE]: what (corpus/README.md), skipped and counted with
# --skip-bad where they are record-level; quoted corpus text in messages
# has its control characters escaped.  Every failing case exits 1, leaves
# the index byte-identical and no DIR.tmp-* behind.
# T44_ONLY=NAME runs one case (names: see the `want` lines).
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
DEC="$SAMPLE/sample-decisions.jsonl"
AGR="$SAMPLE/sample-agreement.jsonl"
sample_index            # the index every failing case must leave alone
DB=$SAMPLE_DB
tree_sums "$DB" >before.sums
N=$(grep -c . "$DEC")
want() { [ -z "${T44_ONLY:-}" ] || [ "$T44_ONLY" = "$1" ]; }
# fails CASE MSG [SKIP...]: exit 1 with exactly "akkoord-index: MSG" as a
# line of stderr, the index unchanged (the remaining arguments are the
# command's file arguments).
fails() {
    _what=$1 _msg=$2; shift 2
    expect_rc 1 "$IDX" -q -o "$DB" "$@"
    grep -qxF -- "akkoord-index: $_msg" "$SCRATCH/err" ||
        fail "$_what: stderr is not '$_msg': $(head -3 "$SCRATCH/err")"
    index_same "$DB" before.sums "$_what"
}
# manifest DB PYEXPR...: each python expression must hold, with m the
# manifest, i its first input and c its counts.
manifest() {
    python3 - "$@" <<'EOF' || exit 1
import json, sys
from akt import fail
m = json.load(open(sys.argv[1] + "/manifest.json", encoding="utf-8"))
i, c = m["inputs"][0], m["counts"]
for e in sys.argv[2:]:
    if not eval(e):
        fail("manifest of %s: not %s (counts %r, first input %r)"
             % (sys.argv[1], e, c, {k: i[k] for k in i if k != "skipped_lines"}))
EOF
}
# found DB WORD: number of decisions that search WORD finds.
found() {
    "$QRY" -d "$1" search -n 100000 -f json "$2" >found.json || :
    python3 -c 'import sys; from akt import ids; print(len(ids(sys.argv[1])))' found.json
}

GOOD1='{"id": "T44-GOOD-1", "date": "2021-03-04", "kind": "nota", "title": "Eerste goede beslissing", "text": "Een gewone tekst."}'
GOOD2='{"id": "T44-GOOD-2", "date": "2021-03-05", "kind": "nota", "title": "Tweede goede beslissing", "text": "Nog een gewone tekst."}'
gzip -c "$DEC" >full.gz
GZSIZE=$(wc -c <full.gz)
printf '%s\n' "$GOOD1" | gzip -c >good1.gz

# ---- gzip: trailing data and damaged members are errors ---------------
# (before: exit 0, the bytes after the first member silently dropped)
if want gzip-trailing; then
    { cat full.gz; printf 'rommel\n'; } >trail.gz
    python3 - <<'EOF'
b = open("good1.gz", "rb").read()
open("badmagic.gz", "wb").write(open("full.gz", "rb").read() + b"\x1f\x00" + b[2:])
open("badflags.gz", "wb").write(open("full.gz", "rb").read() + b[:3] + b"\xe0" + b[4:])
EOF
    cat full.gz /dev/null >zeros.gz && head -c 512 /dev/zero >>zeros.gz
    for skip in "" --skip-bad; do
        for f in trail.gz badmagic.gz zeros.gz; do
            fails "$f $skip" "$f:$((N + 1)): trailing data after gzip member 1 (at byte $GZSIZE)" $skip "$f"
        done
        # a second member whose header is damaged (before: exit 1, but
        # named at line 1)
        fails "badflags.gz $skip" "badflags.gz:$((N + 1)): corrupt gzip data: unknown header flags set (member 2)" $skip badflags.gz
    done
fi

# Concatenated members are one gzip file (RFC 1952, 2.2): all are read,
# an empty member included.  (Accepted before too; kept as documented.)
if want gzip-members; then
    { cat full.gz; gzip -c </dev/null; cat good1.gz; } >members.gz
    rm -rf members.db
    expect_rc 0 "$IDX" -q -o members.db members.gz
    manifest members.db "c['decisions'] == $N + 1" "i['bytes'] == $(wc -c <members.gz)"
    expect_rc 0 "$QRY" -d members.db show T44-GOOD-1
    gzip -c </dev/null >empty.gz
    fails "an empty gzip file" "empty.gz: no records" empty.gz
fi

# ---- the manifest pins the bytes that were read ------------------------
# A file that grows while it is indexed: sha256 and bytes are those of the
# prefix that was read, and its lines are the records indexed.  (Before:
# the hash and size of the file before the build, records appended since
# indexed all the same.)
if want grow; then
    synth_decisions 6000 40 grow.jsonl
    size0=$(wc -c <grow.jsonl)
    ( i=0; while [ $i -lt 500 ]; do
          printf '{"id": "GROW%05d", "title": "aangroei %d"}\n' $i $i >>grow.jsonl
          i=$((i + 1)); sleep 0.01
      done ) &
    grower=$!
    BG_PIDS="$BG_PIDS $grower"
    rm -rf grow.db
    expect_rc 0 "$IDX" -q -o grow.db grow.jsonl
    kill "$grower" 2>/dev/null || :
    wait "$grower" 2>/dev/null || :
    python3 - grow.db/manifest.json grow.jsonl "$size0" <<'EOF' || exit 1
import hashlib, json, sys
from akt import fail
i = json.load(open(sys.argv[1], encoding="utf-8"))["inputs"][0]
data = open(sys.argv[2], "rb").read()[:i["bytes"]]
if i["bytes"] <= int(sys.argv[3]):
    fail("no appended record was read (bytes %d, size before %s): the race "
         "was not exercised" % (i["bytes"], sys.argv[3]))
if hashlib.sha256(data).hexdigest() != i["sha256"]:
    fail("sha256 %s is not that of the %d bytes read" % (i["sha256"], i["bytes"]))
if not data.endswith(b"\n") or data.count(b"\n") != i["records"]:
    fail("%d records indexed, the %d bytes hashed hold %d lines"
         % (i["records"], i["bytes"], data.count(b"\n")))
EOF
fi

# A FIFO and /dev/stdin (a pipe, like <(...)) are read in one pass.
# (Before: the hash read the FIFO to its end, then the reader waited for a
# second writer forever; /dev/stdin gave "no records".)
if want fifo; then
    sum=$(sha256sum <"$DEC" | cut -d' ' -f1)
    mkfifo in.fifo
    for src in plain gzip; do
        if [ $src = plain ]; then cat "$DEC" >in.fifo & else cat full.gz >in.fifo & fi
        writer=$!
        BG_PIDS="$BG_PIDS $writer"
        rm -rf fifo.db
        expect_rc 0 timeout -k 5 60 "$IDX" -q -o fifo.db in.fifo
        wait "$writer" || :
        if [ $src = plain ]; then
            manifest fifo.db "c['decisions'] == $N" "i['sha256'] == '$sum'" \
                "i['bytes'] == $(wc -c <"$DEC")" "i['path'] == 'in.fifo'"
        else
            manifest fifo.db "c['decisions'] == $N" "i['bytes'] == $GZSIZE" \
                "i['sha256'] == '$(sha256sum <full.gz | cut -d' ' -f1)'"
        fi
    done
    rm -rf stdin.db
    expect_rc 0 timeout -k 5 60 sh -c 'cat "$1" | "$2" -q -o stdin.db /dev/stdin' sh "$DEC" "$IDX"
    manifest stdin.db "c['decisions'] == $N" "i['sha256'] == '$sum'"
    # a FIFO whose writer sends a bad record: named, index unchanged
    { printf '%s\n' "$GOOD1"; printf '{"id": ""}\n'; } >in.fifo &
    BG_PIDS="$BG_PIDS $!"
    fails "a bad record through a FIFO" "in.fifo:2: empty 'id'" in.fifo
fi

# Devices are refused up front.  (Before: /dev/zero and /dev/urandom were
# hashed forever.)
if want devices; then
    for dev in /dev/zero /dev/urandom /dev/null; do
        for skip in "" --skip-bad; do
            expect_rc 1 timeout -k 5 60 "$IDX" -q $skip -o "$DB" "$dev"
            grep -qxF "akkoord-index: $dev: not a regular file or pipe" "$SCRATCH/err" ||
                fail "$dev $skip: $(head -3 "$SCRATCH/err")"
            index_same "$DB" before.sums "$dev as input $skip"
        done
    done
fi

# ---- fields that become Xapian terms ----------------------------------
# Checked when the record is read, so line 3001 is named as line 3001 and
# --skip-bad skips it.  (Before: a long kind failed in a later batch with
# Xapian's "Term too long" and no FILE:LINE, even with --skip-bad; a long
# id was named but still counted among the decisions.)
if want terms; then
    python3 - <<'EOF'
import json
def write(name, line, bad):
    with open(name, "w", encoding="utf-8") as f:
        for n in range(1, 3201):
            r = {"id": "L%05d" % n, "kind": "nota", "title": "besluit %d" % n}
            if n == 10:
                r["kind"] = "k" * 244          # the longest kind allowed
            if n == line:
                r.update(bad)
            f.write(json.dumps(r) + "\n")
write("kind.jsonl", 3001, {"kind": "k" * 245})
write("id.jsonl", 3001, {"id": "i" * 245})
# a hyphenated word of 300 letters: its joined term would be 300 bytes
write("hyphen.jsonl", 3001, {"title": "besluit e-" + "a" * 300})
with open("agr-long.jsonl", "w", encoding="utf-8") as f:
    for sid in ("t/1", "t/" + "s" * 243, "t/2"):
        f.write(json.dumps({"id": sid, "text": "Wij doen iets."}) + "\n")
EOF
    fails "a long kind" "kind.jsonl:3001: field 'kind' is longer than 244 bytes" kind.jsonl
    fails "a long id" "id.jsonl:3001: field 'id' is longer than 244 bytes" id.jsonl
    fails "a long section id" "agr-long.jsonl:2: field 'id' is longer than 244 bytes" --agreement agr-long.jsonl "$DEC"
    for f in kind id; do
        rm -rf skip.db
        expect_rc 0 "$IDX" -q --skip-bad -o skip.db $f.jsonl
        expect_err "warning: skipped $f.jsonl:3001: field '$f' is longer than 244 bytes"
        manifest skip.db "c['skipped'] == 1" "c['decisions'] == 3199" \
            "i['records'] == 3199" \
            "i['skipped_lines'] == ['$f.jsonl:3001: field \\'$f\\' is longer than 244 bytes']"
        [ "$(found skip.db besluit)" -eq 3199 ] || fail "$f: $(found skip.db besluit) decisions found, want 3199"
    done
    rm -rf skip.db
    expect_rc 0 "$IDX" -q --skip-bad --agreement agr-long.jsonl -o skip.db "$DEC"
    manifest skip.db "c['sections'] == 2" "c['skipped'] == 1"
    expect_rc 0 "$QRY" -d skip.db sections -f json
    [ "$(grep -c . "$SCRATCH/out")" -eq 2 ] || fail "sections: $(cat "$SCRATCH/out")"
    rm -rf hyphen.db
    expect_rc 0 "$IDX" -q -o hyphen.db hyphen.jsonl
    manifest hyphen.db "c['decisions'] == 3200"
fi

# ---- a line-length limit: a gzip bomb, small on disk -------------------
# (Before: the whole line was read into memory -- 1.5 GiB of it ended in
# "out of memory" without a FILE -- and named only as not valid JSON.)
if want bomb; then
    { printf '%s\n' "$GOOD1"; head -c 73400320 /dev/zero | tr '\0' a
      printf '\n%s\n' "$GOOD2"; } | gzip -1 >bomb.gz
    [ "$(wc -c <bomb.gz)" -lt 1000000 ] || fail "bomb.gz is $(wc -c <bomb.gz) bytes"
    fails "a 70 MiB line" "bomb.gz:2: line longer than 67108864 bytes" bomb.gz
    rm -rf bomb.db
    expect_rc 0 "$IDX" -q --skip-bad -o bomb.db bomb.gz
    manifest bomb.db "c['decisions'] == 2" "c['skipped'] == 1" \
        "i['skipped_lines'] == ['bomb.gz:2: line longer than 67108864 bytes']"
    expect_rc 0 "$QRY" -d bomb.db show T44-GOOD-2
fi

# ---- record-level cases: line 2 of NAME.jsonl, skippable ---------------
# ids with whitespace or control characters (before: accepted, and a tab
# or newline forged lines of the TREC run), a BOM after line 1 (before:
# "invalid token" near an invisible character), control characters in
# quoted text (before: raw on stderr), lone surrogate escapes (rejected
# before too, kept).
if want records; then
    python3 - "$GOOD1" "$GOOD2" <<'EOF'
import sys
good1, good2 = sys.argv[1], sys.argv[2]
cases = [
    ("id-tab", r'{"id": "X\tY", "title": "t"}', None),
    ("id-space", r'{"id": "X Y", "title": "t"}', None),
    ("id-lead", r'{"id": " X", "title": "t"}', None),
    ("id-lf", r'{"id": "X\nfake Q0 line", "title": "t"}', None),
    ("id-cr", r'{"id": "X\r", "title": "t"}', None),
    ("id-esc", r'{"id": "\u001b[2JX", "title": "t"}', None),
    ("id-del", r'{"id": "X\u007f", "title": "t"}', None),
    ("id-nbsp", r'{"id": "X\u00a0Y", "title": "t"}', None),
    ("id-nel", r'{"id": "X\u0085Y", "title": "t"}', None),
    ("id-csi", r'{"id": "X\u009bY", "title": "t"}', None),
    ("id-ls", r'{"id": "X\u2028Y", "title": "t"}', None),
    ("id-ideo", r'{"id": "X\u3000Y", "title": "t"}', None),
    ("bom", '\ufeff' + good2.replace("GOOD-2", "BOM"),
     "byte order mark not at the start of the file"),
    ("date-esc", r'{"id": "X2", "date": "\u001b[31m2021\u0007", "title": "t"}',
     r"malformed date '\x1b[31m2021\x07' (want YYYY-MM-DD)"),
    ("date-c1", r'{"id": "X2", "date": "\u009b31m2021-01", "title": "t"}',
     r"malformed date '\u009b31m2021-01' (want YYYY-MM-DD)"),
    ("date-long", '{"id": "X2", "date": "%s", "title": "t"}' % ("9" * 5000),
     "malformed date '%s...' (want YYYY-MM-DD)" % ("9" * 64)),
    ("sur-hi", r'{"id": "X2", "title": "a\ud800b"}',
     r"""not valid JSON: invalid Unicode '\uD800' near '"a\ud800b"'"""),
    ("sur-lo", r'{"id": "X2", "kind": "\udc00"}',
     r"""not valid JSON: invalid Unicode '\uDC00' near '"\udc00"'"""),
    ("sur-rev", r'{"id": "X\udc00\ud800", "title": "t"}',
     r"""not valid JSON: invalid Unicode '\uDC00' near '"X\udc00\ud800"'"""),
    ("sur-half", r'{"id": "X2", "text": "\ud83dx"}',
     r"""not valid JSON: invalid Unicode '\uD83D' near '"\ud83dx"'"""),
    # jansson quotes the text near the error: a raw C1 CSI there is
    # escaped (before: raw on stderr)
    ("json-c1", '{"id": \u009b[2J}', r"not valid JSON: invalid token near '\u009b'"),
]
with open("cases.tsv", "w", encoding="utf-8") as t:
    for name, line, msg in cases:
        msg = msg or "field 'id' contains whitespace or a control character"
        with open(name + ".jsonl", "w", encoding="utf-8") as f:
            f.write(good1 + "\n" + line + "\n" + good2 + "\n")
        t.write("%s\t%s\n" % (name, msg))
EOF
    set --
    while IFS="$(printf '\t')" read -r name msg; do
        fails "$name" "$name.jsonl:2: $msg" "$name.jsonl"
        set -- "$@" "$name.jsonl"
    done <cases.tsv
    rm -rf skip.db
    expect_rc 0 "$IDX" -q --skip-bad -o skip.db "$@"
    python3 - skip.db/manifest.json cases.tsv "$SCRATCH/err" <<'EOF' || exit 1
import json, re, sys
from akt import fail
m = json.load(open(sys.argv[1], encoding="utf-8"))
cases = [l.rstrip("\n").split("\t") for l in open(sys.argv[2], encoding="utf-8")]
raw = open(sys.argv[3], "rb").read()
if re.search(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]", raw):
    fail("a control character reached stderr raw: %r" % raw[:300])
err = raw.decode("utf-8")
if (m["counts"]["skipped"], m["counts"]["decisions"]) != (len(cases), 2):
    fail("counts %r, want skipped %d, decisions 2" % (m["counts"], len(cases)))
inputs = {i["path"]: i for i in m["inputs"]}
for name, msg in cases:
    want = "%s.jsonl:2: %s" % (name, msg)
    i = inputs["%s.jsonl" % name]
    if (i["records"], i["skipped"], i["skipped_lines"]) != (2, 1, [want]):
        fail("%s: records %r skipped %r lines %r, want 2, 1, [%r]"
             % (name, i["records"], i["skipped"], i["skipped_lines"], want))
    if "akkoord-index: warning: skipped %s\n" % want not in err:
        fail("no warning for %r" % want)
EOF
fi

# Odd but valid Unicode everywhere (C1 controls, separators, BOM and
# noncharacters inside strings, astral characters, a 400-byte word): the
# query outputs stay valid UTF-8 and JSON.  (Passed before too: the
# reader and jansson admit no invalid UTF-8 into an index.)
if want unicode; then
    python3 - "$DEC" "$AGR" <<'EOF'
import json, sys
odd = "\u0085\u009b\u00a0\u2028\u2029\ufeff\ufffe\uffff\U0001F600\U0010FFFF\u0301e\u200b\x7f\x01\x1b[31m"
with open("odd-dec.jsonl", "w", encoding="utf-8") as f:
    for n, l in enumerate(open(sys.argv[1], encoding="utf-8")):
        r = json.loads(l)
        r["title"] += " " + odd
        r["text"] = odd + r["text"].replace(" ", odd, 3) + " " + "é" * 400 + " digitaal" + odd
        r["kind"] = "nota" + odd
        f.write(json.dumps(r, ensure_ascii=n % 2 == 0) + "\n")
with open("odd-agr.jsonl", "w", encoding="utf-8") as f:
    for l in open(sys.argv[2], encoding="utf-8"):
        r = json.loads(l)
        r["title"] += odd
        r["text"] += " " + odd + " Wij " + "ü" * 300 + "."
        r["path"] = [p + odd for p in r["path"]]
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
EOF
    rm -rf odd.db
    expect_rc 0 "$IDX" -q --agreement odd-agr.jsonl -o odd.db odd-dec.jsonl
    for sid in $(python3 -c 'import sys,json; [print(json.loads(l)["id"]) for l in open(sys.argv[1])]' "$AGR"); do
        expect_rc 0 "$QRY" -d odd.db evaluate -f json "$sid"
        python3 -c 'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$SCRATCH/out" ||
            fail "evaluate -f json $sid: not JSON"
    done
    expect_rc 0 "$QRY" -d odd.db search -f json digitaal
    python3 -c 'import sys; from akt import rows; rows(sys.argv[1])' "$SCRATCH/out"
fi

index_same "$DB" before.sums "the whole of T44"
exit 0
