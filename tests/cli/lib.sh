# tests/cli/lib.sh -- helpers shared by the CLI tests (POSIX sh).
#
# Source it from a test:  . "$(dirname "$0")/lib.sh"
# It sets:   IDX QRY        the two binaries (from $AKKOORD_BIN)
#            SAMPLE         corpus/sample/ of the checkout
#            SHARED         $AKKOORD_SHARED (may not exist; see need_shared)
#            SCRATCH        a private temp dir, removed on exit
#            PYTHONPATH     includes $SCRATCH, where akt.py (python helpers
#                           for reading the corpus and tool output) lives
# and gives: fail MSG, need_shared, shared_index, sample_index, tree_sums DIR,
#            expect_rc WANT CMD...
# Expected answers are always computed from the corpus files, never from
# captured output of the tool.

set -eu

: "${AKKOORD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${AKKOORD_BIN:=$AKKOORD_ROOT}"
: "${AKKOORD_SHARED:=$AKKOORD_ROOT/../shared/corpus}"
IDX="$AKKOORD_BIN/akkoord-index"
QRY="$AKKOORD_BIN/akkoord-query"
SAMPLE="$AKKOORD_ROOT/corpus/sample"
SHARED="$AKKOORD_SHARED"
unset AKKOORD_DB NO_COLOR
export PYTHONIOENCODING=utf-8

[ -x "$IDX" ] && [ -x "$QRY" ] || {
    echo "FAIL: binaries not found in $AKKOORD_BIN (run make)" >&2; exit 1; }

SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/akkoord-cli.XXXXXX")
BG_PIDS=""
_cleanup() {
    for p in $BG_PIDS; do kill -9 "$p" 2>/dev/null || :; done
    rm -rf "$SCRATCH"
}
trap _cleanup EXIT
trap 'exit 130' INT TERM HUP

fail() { echo "FAIL: $*" >&2; exit 1; }

need_shared() {
    [ -f "$SHARED/decisions.jsonl" ] && return 0
    echo "shared corpus not found at $SHARED"
    exit 77
}

# Build the shared-corpus index once per test file; sets SHARED_DB.
shared_index() {
    need_shared
    SHARED_DB="$SCRATCH/shared.db"
    [ -f "$SHARED_DB/manifest.json" ] && return 0
    "$IDX" -q --agreement "$SHARED/agreement.jsonl" -o "$SHARED_DB" \
        "$SHARED/decisions.jsonl" || fail "building the shared index failed"
}

# Build the sample-corpus index once per test file; sets SAMPLE_DB.
sample_index() {
    SAMPLE_DB="$SCRATCH/sample.db"
    [ -f "$SAMPLE_DB/manifest.json" ] && return 0
    "$IDX" -q --agreement "$SAMPLE/sample-agreement.jsonl" -o "$SAMPLE_DB" \
        "$SAMPLE/sample-decisions.jsonl" || fail "building the sample index failed"
}

# Checksums of every file under DIR (paths relative to DIR), sorted.
tree_sums() {
    (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum)
}

# expect_rc WANT CMD...: run CMD (stdout -> $SCRATCH/out, stderr ->
# $SCRATCH/err) and fail unless it exits WANT.
expect_rc() {
    _want=$1; shift
    _rc=0
    "$@" >"$SCRATCH/out" 2>"$SCRATCH/err" || _rc=$?
    [ "$_rc" -eq "$_want" ] || {
        sed 's/^/  stderr: /' "$SCRATCH/err" | head -5 >&2
        fail "exit $_rc, want $_want: $*"
    }
}

cat >"$SCRATCH/akt.py" <<'PY'
"""Python helpers for the CLI tests (stdlib only)."""
import json
import re
import sys


def load(path):
    """JSON Lines corpus file -> dict id -> record (in file order)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                r = json.loads(line)
                out[r["id"]] = r
    return out


def norm(s):
    """Runs of whitespace -> one space, trimmed."""
    return " ".join((s or "").split())


def body(rec):
    """Lower-cased, whitespace-normalised title + text of a record."""
    return (norm(rec.get("title")) + " " + norm(rec.get("text"))).lower()


def rows(path):
    """Tool output in JSON Lines -> list of dicts (fails on a bad line)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                out.append(json.loads(line))
            except ValueError as e:
                fail("%s:%d: not JSON (%s): %r" % (path, n, e, line[:200]))
    return out


def ids(path):
    return [r["id"] for r in rows(path)]


def word_re(*words):
    return re.compile(r"\b(?:%s)\b" % "|".join(map(re.escape, words)), re.I)


def fail(msg):
    sys.stderr.write("FAIL: %s\n" % msg)
    sys.exit(1)
PY
PYTHONPATH="$SCRATCH${PYTHONPATH:+:$PYTHONPATH}"
export PYTHONPATH

# ---- evaluate / rank helpers (T30-T33) -------------------------------
# EVAL: the shared eval folder ($AKKOORD_EVAL, default beside the corpus);
# QRELS its qrels-dev.tsv.  now_ms prints a wall clock in milliseconds.
: "${AKKOORD_EVAL:=$(dirname "$SHARED")/eval}"
EVAL="$AKKOORD_EVAL"
QRELS="$EVAL/qrels-dev.tsv"
now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }

cat >>"$SCRATCH/akt.py" <<'PY'


# ---- evaluate / rank helpers (T30-T33) ----
WS_RE = re.compile(r"[ \t\r\n\u00a0]+")


def wsnorm(s):
    """As the corpus reader does: runs of ASCII whitespace and U+00A0 ->
    one space, trimmed (other Unicode spaces are kept)."""
    return WS_RE.sub(" ", s or "").strip()


def squash(s):
    """For comparing across hyphenation repair: no hyphens, no spaces,
    lower case."""
    return re.sub(r"[-\s]+", "", s or "").lower()


def qrels(path):
    """TREC qrels 'section 0 decision rel' -> dict section -> set of ids
    judged relevant (rel > 0)."""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) == 4 and int(p[3]) > 0:
                out.setdefault(p[0], set()).add(p[2])
    return out


def trec_run(path):
    """TREC run lines -> list of (section, q0, decision, rank, score, tag);
    fails on a line without 6 fields or with a bad rank/score."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            p = line.split()
            if len(p) != 6:
                fail("%s:%d: %d fields, want 6: %r" % (path, n, len(p), line))
            try:
                out.append((p[0], p[1], p[2], int(p[3]), float(p[4]), p[5]))
            except ValueError:
                fail("%s:%d: bad rank or score: %r" % (path, n, line))
    return out


CITE_RE = re.compile(r"\\\[(\d+)\\\]")
REF_RE = re.compile(r"^\*\*\[\\\[(\d+)\\\]\]\(([^)\s]*)\)\*\*", re.M)
REFS_START = "<summary> Referenties</summary>"


def md_split(md):
    """Report Markdown -> (body before the references, {n: link} of the
    reference lines)."""
    i = md.find(REFS_START)
    if i < 0:
        fail("no '%s' block in the report" % REFS_START)
    return md[:i], {int(n): u for n, u in REF_RE.findall(md[i:])}


def md_cite_problems(md):
    """Citation problems of a report: a \\[n\\] without a reference line,
    a reference link that is not http(s), numbers not in order of first
    use.  Returns a list of messages (empty when fine)."""
    body, refs = md_split(md)
    first = {}
    for m in CITE_RE.finditer(body):
        first.setdefault(int(m.group(1)), m.start())
    out = []
    for n in sorted(first):
        if n not in refs:
            out.append("\\[%d\\] is used but has no reference line" % n)
    for n, u in sorted(refs.items()):
        if not re.match(r"https?://", u):
            out.append("reference %d links to %r" % (n, u))
    order = sorted(first, key=first.get)
    if order != sorted(order):
        out.append("citations not numbered in order of first use: %s" % order)
    return out


def md_unsafe(md):
    """Markdown-safety problems: raw HTML tags, unescaped ']]()', link
    targets that are not http(s).  Returns a list of messages."""
    out = []
    low = md.lower()
    for tag in ("<script", "<img"):
        if tag in low:
            i = low.index(tag)
            out.append("raw %s...: %r" % (tag, md[max(0, i - 60):i + 40]))
    for m in re.finditer(r"(?<!\\)\]\]\(\)", md):
        out.append("unescaped ]](): %r" % md[max(0, m.start() - 60):m.end()])
    for m in re.finditer(r"(?<!\\)\]\(([^)]*)\)", md):
        if not re.match(r"https?://", m.group(1)):
            out.append("link to %r" % m.group(1))
    return out
PY

# ---- reliability helpers (T12, T40-T42) ------------------------------
# synth_decisions N WORDS OUT: N decisions made from the sample corpus
# (ids BB..., texts of WORDS random sample words, fixed seed) into OUT, for
# a build that lasts long enough to be interrupted without ../shared.
synth_decisions() {
    python3 - "$SAMPLE/sample-decisions.jsonl" "$1" "$2" "$3" <<'PY'
import json, random, sys
src = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
n, nwords = int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(7)
words = " ".join(r["text"] for r in src).split()
with open(sys.argv[4], "w", encoding="utf-8") as out:
    for i in range(n):
        r = dict(src[i % len(src)])
        r["id"] = "BB%022X" % i
        r["text"] = " ".join(rng.choice(words) for _ in range(nwords))
        out.write(json.dumps(r, ensure_ascii=False) + "\n")
PY
}
# snapshot_of DIR: the snapshot id in DIR/manifest.json (fails without one).
snapshot_of() {
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["snapshot"])' \
        "$1/manifest.json"
}

# expect_err FRAGMENT: fail unless $SCRATCH/err (from expect_rc) holds
# FRAGMENT as a fixed string.
expect_err() {
    grep -qF -- "$1" "$SCRATCH/err" ||
        fail "stderr lacks '$1': $(head -3 "$SCRATCH/err")"
}
# index_same DIR SUMS WHAT: fail unless the files under DIR have exactly
# the checksums in file SUMS (from tree_sums) and no DIR.tmp-* is left.
index_same() {
    tree_sums "$1" >"$SCRATCH/.now.sums"
    cmp -s "$2" "$SCRATCH/.now.sums" || {
        diff "$2" "$SCRATCH/.now.sums" | head -10 >&2 || :
        fail "index '$1' changed after $3"
    }
    for _d in "$1".tmp-*; do
        [ -e "$_d" ] && fail "scratch dir '$_d' left after $3"
    done
    return 0
}
# answers DB QFILE: for each query in QFILE (one a line) print
# "QUERY<TAB>id id ..." from `search QUERY -n 100 -f json` (no results =
# empty list); fails on any other exit status or unparsable output.
answers() {
    _n=0
    while IFS= read -r _q; do
        _n=$((_n + 1))
        _rc=0
        "$QRY" -d "$1" search -n 100 -f json -- "$_q" >"$SCRATCH/.ans$_n" \
            2>"$SCRATCH/.ans.err" || _rc=$?
        [ "$_rc" -le 1 ] || fail "query '$_q' on $1 exited $_rc: $(cat "$SCRATCH/.ans.err")"
    done <"$2"
    python3 - "$2" "$SCRATCH/.ans" <<'PY'
import sys
from akt import ids
qs = open(sys.argv[1], encoding="utf-8").read().splitlines()
for n, q in enumerate(qs, 1):
    print("%s\t%s" % (q, " ".join(ids("%s%d" % (sys.argv[2], n)))))
PY
}
