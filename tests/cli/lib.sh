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
#            expect_rc WANT CMD..., serve ITEMS NAME FAULTS, stop
# Expected answers are always computed from the corpus files (for a
# report's Markdown: from the JSON report of the same run), never from
# captured output of an earlier run.

set -eu

: "${AKKOORD_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${AKKOORD_BIN:=$AKKOORD_ROOT}"
: "${AKKOORD_SHARED:=$AKKOORD_ROOT/../shared/corpus}"
IDX="$AKKOORD_BIN/akkoord-index"
QRY="$AKKOORD_BIN/akkoord-query"
SAMPLE="$AKKOORD_ROOT/corpus/sample"
SHARED="$AKKOORD_SHARED"
unset AKKOORD_DB NO_COLOR AKKOORD_PARAMS AKKOORD_MODELS
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


def records(path):
    """Tool output in JSON Lines -> list of dicts (fails on a bad line)."""
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                out.append(json.loads(line))
            except ValueError as e:
                fail("%s:%d: not JSON (%s): %r" % (path, n, e, line[:200]))
    return out


def is_head(r):
    """The header record of search -f json: {"search": {...}}."""
    return list(r) == ["search"]


def rows(path):
    """The records of JSON Lines output, without search's header."""
    return [r for r in records(path) if not is_head(r)]


def head(path):
    """search -f json's header record (fails if the first line is not)."""
    rs = records(path)
    if not rs or not is_head(rs[0]):
        fail("%s: no search header record first" % path)
    return rs[0]["search"]


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


# ---- evaluate reports (T30-T32, T34) ----
# The report format of query/qy_report.c; the checks below read the
# expectations from the report's own JSON (and the corpus when given),
# never from an earlier run.
import unicodedata as _ud

VERDICTS = ("uitgevoerd", "in uitvoering", "geen beslissing gevonden",
            "niet toetsbaar")
UNCHECKABLE = "niet toetsbaar"
# The stage ladder, lowest first (query/qy-int.h qy_stage).
STAGES = ("stadium onbekend", "geweigerd", "kennisname", "advies",
          "principiële goedkeuring", "goedgekeurd", "definitieve goedkeuring",
          "bekrachtigd")
# summary key -> verdict it counts
COUNTS = (("done", "uitgevoerd"), ("in_progress", "in uitvoering"),
          ("none", "geen beslissing gevonden"),
          ("not_checkable", "niet toetsbaar"))
COUNT_KEYS = ("commitments", "done", "in_progress", "none", "not_checkable")
TOP_KEYS = ("section", "summary", "commitments", "related", "timeline",
            "references", "models", "corpus", "snapshot", "version")
SUMMARY_KEYS = ("commitments", "done", "in_progress", "none",
                "not_checkable", "decisions", "dossiers", "first", "last")
CITE_KEYS = ("ref", "probability", "excerpt", "why")
REF_KEYS = ("n", "id", "date", "kind", "title", "url", "stage", "dossier")
ITEM_KEYS = ("text", "verdict", "checkable", "furthest_stage", "citations",
             "related")
HEX64 = re.compile(r"^[0-9a-f]{64}$")
EPS = 5e-5                      # probabilities are rounded to 4 decimals


def md_escape(s):
    """As qy_md_escape: a backslash before \\ ` * _ [ ] | ~ #, & < > as
    entities, control characters as spaces."""
    out = []
    for ch in s:
        if ch == "&":
            out.append("&amp;")
        elif ch == "<":
            out.append("&lt;")
        elif ch == ">":
            out.append("&gt;")
        elif ch in "\\`*_[]|~#":
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def html_text(s):
    """As render/rd_esc_html.c (the section text in <details>)."""
    rep = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
           "'": "&#39;", "[": "&#91;", "]": "&#93;"}
    return "".join(rep.get(c, " " if ord(c) < 0x20 or ord(c) == 0x7f
                           else c) for c in s)


def text_start(s, n=130):
    """The first n bytes of s cut at a space, '...' when cut (as
    qy_report.c does for the reference lines)."""
    b = s.encode("utf-8")
    if len(b) <= n:
        return s
    while n > 0 and b[n:n + 1] != b" ":
        n -= 1
    return b[:n].decode("utf-8", "replace") + "..."


def fold(s):
    """Lower case without accents (as xs_fold, near enough for words)."""
    s = _ud.normalize("NFKD", s or "")
    return "".join(c for c in s if not _ud.combining(c)).lower()


def words(s):
    """Words as qy_feat.c's words_of reads them: runs of a-z, 0-9 and
    non-ASCII characters of the folded text."""
    return re.findall(r"[a-z0-9\u0080-\U0010ffff]+", fold(s))


def link(n):
    return "[\\[%d\\]](#ref-%d)" % (n, n)


def cited_refs(js):
    """Reference numbers cited as evidence (not "verwant") anywhere."""
    return {c["ref"] for it in js["commitments"] for c in it["citations"]}


def tool_facts(root):
    """What the checkout says the binary was built with: sha256, threshold,
    strong and margin of query/evidence.model and query/commitment.model,
    the sha256 of query/stages.tsv, and the citation limits of
    query/qy-int.h and query/qy_eval.c."""
    import hashlib, os
    f = {}
    for key, name in (("evidence", "evidence.model"),
                      ("commitment", "commitment.model"),
                      ("stages", "stages.tsv")):
        b = open(os.path.join(root, "query", name), "rb").read()
        kv = dict(l.split("\t", 1) for l in b.decode("utf-8").splitlines()
                  if "\t" in l and not l.startswith("#"))
        f[key] = {"file": "query/" + name, "sha256": hashlib.sha256(b).hexdigest()}
        for k in ("threshold", "strong", "margin"):
            if k in kv:
                f[key][k] = float(kv[k])
    src = open(os.path.join(root, "query", "qy-int.h"), encoding="utf-8").read() + \
        open(os.path.join(root, "query", "qy_eval.c"), encoding="utf-8").read()
    for k in ("QY_CITES_MAX", "QY_RELATED_PER_ITEM", "RELATED_MAX"):
        m = re.search(r"^#define %s (\d+)" % k, src, re.M)
        if not m:
            fail("no #define %s in query/qy-int.h or query/qy_eval.c" % k)
        f[k] = int(m.group(1))
    return f


def model_problems(js, facts):
    """The models a report names are the checkout's (tool_facts)."""
    out = []
    mo = js["models"]
    for key in ("evidence", "commitment", "stages"):
        if mo.get(key) != facts[key]["sha256"]:
            out.append("models.%s = %s, but %s has sha256 %s (stale build?)"
                       % (key, mo.get(key), facts[key]["file"],
                          facts[key]["sha256"]))
        t = facts[key].get("threshold")
        if key != "stages" and mo.get(key + "_threshold") != t:
            out.append("models.%s_threshold = %r, %s says %r"
                       % (key, mo.get(key + "_threshold"), facts[key]["file"], t))
    return out


def json_problems(js, dec=None, agr=None, facts=None):
    """Problems of one JSON report on its own: shape, verdict rules,
    summary and timeline recounted from commitments[] and references[],
    every reference used.  With dec (corpus decisions by id) also: ids,
    dates and titles from the corpus, excerpts verbatim, corpus date
    range; with agr (sections by id) the section fields; with facts
    (tool_facts) the citation limits, the strong threshold of
    "uitgevoerd" and the margin of a decision cited under several
    commitments.  Returns a list of messages (empty when fine)."""
    out = []
    P = out.append
    # keys in the documented order, none left over from older formats
    if tuple(js) != TOP_KEYS:
        return ["top-level keys %s, want %s" % (list(js), list(TOP_KEYS))]
    summ, items, refs = js["summary"], js["commitments"], js["references"]
    models, corp = js["models"], js["corpus"]
    if tuple(summ) != SUMMARY_KEYS:
        return ["summary keys %s, want %s" % (list(summ), list(SUMMARY_KEYS))]
    for i, it in enumerate(items, 1):
        if tuple(it) != ITEM_KEYS:
            return ["commitment %d keys %s, want %s" % (i, list(it), list(ITEM_KEYS))]
        for c in it["citations"] + it["related"]:
            if tuple(c) != CITE_KEYS:
                return ["commitment %d: citation keys %s, want %s"
                        % (i, list(c), list(CITE_KEYS))]
    for k in ("evidence", "commitment", "stages"):
        if not HEX64.match(str(models.get(k))):
            P("models.%s is %r, want a sha256" % (k, models.get(k)))
    for k in ("evidence_threshold", "commitment_threshold"):
        if not isinstance(models.get(k), (int, float)) or not 0 < models[k] < 1:
            P("models.%s is %r" % (k, models.get(k)))
    if out:
        return out
    ethr, cthr = models["evidence_threshold"], models["commitment_threshold"]
    if not HEX64.match(str(js["snapshot"])):
        P("snapshot %r" % js["snapshot"])

    # references: numbered 1..n, distinct, dossiers point to their first
    nref = len(refs)
    for n, r in enumerate(refs, 1):
        if tuple(r) != REF_KEYS:
            return ["reference %d keys %s, want %s" % (n, list(r), list(REF_KEYS))]
        if r.get("n") != n:
            P("references[%d].n = %r" % (n - 1, r.get("n")))
        if r.get("stage") not in STAGES:
            P("reference %d: stage %r" % (n, r.get("stage")))
        if not re.match(r"https?://", r.get("url") or ""):
            P("reference %d: url %r" % (n, r.get("url")))
        dn = r.get("dossier")
        if not isinstance(dn, int) or not 1 <= dn <= n or \
                refs[dn - 1].get("dossier") != dn:
            P("reference %d: dossier %r is not the number of the first "
              "reference of its dossier" % (n, dn))
    if len({r["id"] for r in refs}) != nref:
        P("a decision has more than one reference number")
    if out:
        return out

    # commitments: verdict rules
    used = set()
    cited_by = {}               # ref -> [(commitment, probability)]
    best = {}                   # ref -> highest probability shown
    rank = {s: i for i, s in enumerate(STAGES)}
    for i, it in enumerate(items, 1):
        v = it.get("verdict")
        cits, rel = it.get("citations"), it.get("related")
        what = "commitment %d (%s)" % (i, v)
        if v not in VERDICTS:
            P("%s: unknown verdict" % what)
            continue
        if not isinstance(it.get("checkable"), (int, float)) or \
                not 0 <= it["checkable"] <= 1:
            P("%s: checkable %r" % (what, it.get("checkable")))
            continue
        if it.get("furthest_stage") not in STAGES:
            P("%s: furthest_stage %r" % (what, it.get("furthest_stage")))
            continue
        if not isinstance(cits, list) or not isinstance(rel, list):
            P("%s: citations/related are not lists" % what)
            continue
        if v != UNCHECKABLE and it["checkable"] < cthr - EPS:
            P("%s: checkable %.4f is below the commitment threshold %g"
              % (what, it["checkable"], cthr))
        if v == UNCHECKABLE and (cits or rel):
            P("%s: a sentence that is not checkable has citations" % what)
        if v == "geen beslissing gevonden" and cits:
            P("%s: %d citations" % (what, len(cits)))
        if v in ("uitgevoerd", "in uitvoering") and not cits:
            P("%s: no citations" % what)
        if not cits and it["furthest_stage"] != "stadium onbekend":
            P("%s: furthest_stage %r without citations"
              % (what, it["furthest_stage"]))
        seen = set()
        for kind, lst, floor in (("citation", cits, ethr),
                                 ("verwant", rel, ethr / 2)):
            for c in lst:
                n = c["ref"]
                if not isinstance(n, int) or not 1 <= n <= nref:
                    P("%s: %s of [%r], %d references" % (what, kind, n, nref))
                    continue
                used.add(n)
                if n in seen:
                    P("%s: [%d] listed twice" % (what, n))
                seen.add(n)
                p = c["probability"]
                if not isinstance(p, (int, float)) or not floor - EPS <= p <= 1:
                    P("%s: %s [%d] probability %r, threshold %g"
                      % (what, kind, n, p, floor))
                ex = c["excerpt"]
                if ex is not None and (not isinstance(ex, str) or not ex.strip()):
                    P("%s: %s [%d] excerpt %r" % (what, kind, n, ex))
                elif ex is not None and dec is not None:
                    did = refs[n - 1]["id"]
                    if did in dec and ex not in wsnorm(dec[did].get("text")):
                        P("%s: excerpt of [%d] (%s) is not verbatim in its "
                          "text: %r" % (what, n, did, ex[:200]))
                why = [w for w in c["why"].split(", ") if w] \
                    if isinstance(c["why"], str) else None
                if why is None or len(why) > 5 or len(set(why)) != len(why) \
                        or not set(why) <= set(words(it.get("text", ""))):
                    P("%s: %s [%d] why %r: not up to 5 distinct words of "
                      "the commitment" % (what, kind, n, c["why"]))
                if kind == "citation":
                    cited_by.setdefault(n, []).append((i, p))
                best[n] = max(best.get(n, 0), p)
        if cits:
            top = max((rank[refs[c["ref"] - 1]["stage"]] for c in cits
                       if isinstance(c.get("ref"), int) and 1 <= c["ref"] <= nref
                       and refs[c["ref"] - 1]["stage"] != "geweigerd"),
                      default=0)
            if rank[it["furthest_stage"]] < top:
                P("%s: furthest_stage %r is below the stage %r of one of its "
                  "citations" % (what, it["furthest_stage"], STAGES[top]))
    if facts is not None:
        ev = facts["evidence"]
        for i, it in enumerate(items, 1):
            if len(it.get("citations") or []) > facts["QY_CITES_MAX"] or \
                    len(it.get("related") or []) > facts["QY_RELATED_PER_ITEM"]:
                P("commitment %d: %d citations, %d verwant (at most %d, %d)"
                  % (i, len(it["citations"]), len(it["related"]),
                     facts["QY_CITES_MAX"], facts["QY_RELATED_PER_ITEM"]))
            if it.get("verdict") == "uitgevoerd" and "strong" in ev and \
                    not any(c.get("probability", 0) >= ev["strong"] - EPS
                            for c in it["citations"]):
                P("commitment %d is 'uitgevoerd' without a citation of "
                  "probability >= %g (%s strong)" % (i, ev["strong"], ev["file"]))
        for n, cs in sorted(cited_by.items()):
            for i, p in cs:
                if p < best[n] - ev.get("margin", 0) - 2 * EPS:
                    P("[%d] is evidence for commitment %d at %.4f, more than "
                      "the margin %g below its %.4f under another"
                      % (n, i, p, ev.get("margin", 0), best[n]))
        if len(js["related"]) > facts["RELATED_MAX"]:
            P("%d Verder relevant, at most %d" % (len(js["related"]),
                                                 facts["RELATED_MAX"]))
    for n in js["related"]:
        if not isinstance(n, int) or not 1 <= n <= nref:
            P("related [%r] of %d references" % (n, nref))
        elif n in used:
            P("related [%d] is also cited or verwant under a commitment" % n)
        else:
            used.add(n)
    if used != set(range(1, nref + 1)):
        P("references %s are not used anywhere"
          % sorted(set(range(1, nref + 1)) - used)[:10])

    # summary and timeline, recounted
    verd = [it.get("verdict") for it in items]
    want = {"commitments": sum(v in VERDICTS[:3] for v in verd)}
    for k, v in COUNTS:
        want[k] = verd.count(v)
    cited = sorted(cited_refs(js) & set(range(1, nref + 1)))
    dates = sorted(refs[n - 1]["date"] for n in cited if refs[n - 1]["date"])
    want["decisions"] = len(cited)
    want["dossiers"] = len({refs[n - 1]["dossier"] for n in cited})
    want["first"] = dates[0] if dates else None
    want["last"] = dates[-1] if dates else None
    for k in SUMMARY_KEYS:
        if summ[k] != want[k]:
            P("summary.%s = %r, recounted %r" % (k, summ[k], want[k]))
    tl = {}
    for n in cited:
        y = (refs[n - 1]["date"] or "")[:4] or "unknown"
        tl[y] = tl.get(y, 0) + 1
    if js["timeline"] != tl:
        P("timeline %r, recounted %r" % (js["timeline"], tl))

    # against the corpus
    if dec is not None:
        for r in refs:
            c = dec.get(r["id"])
            if c is None:
                P("reference %d: %r is not in the corpus" % (r["n"], r["id"]))
                continue
            if r["kind"] != (c.get("kind") or None):
                P("reference %d (%s): kind %r, corpus %r"
                  % (r["n"], r["id"], r["kind"], c.get("kind")))
            if r["date"] != (c.get("date") or None):
                P("reference %d (%s): date %r, corpus %r"
                  % (r["n"], r["id"], r["date"], c.get("date")))
            if wsnorm(c.get("title")) and r["title"] != wsnorm(c.get("title")):
                P("reference %d (%s): title %r, corpus %r"
                  % (r["n"], r["id"], r["title"], c.get("title")))
        ds = sorted(x.get("date") for x in dec.values() if x.get("date"))
        wc = {"first": ds[0] if ds else None, "last": ds[-1] if ds else None,
              "undated": sum(1 for x in dec.values() if not x.get("date"))}
        if corp != wc:
            P("corpus %r, decisions file says %r" % (corp, wc))
    if agr is not None:
        a = agr.get(js["section"].get("id"))
        if a is None:
            P("section %r is not in the agreement" % js["section"].get("id"))
        else:
            # title and text are whitespace-normalised by the reader
            # (corpus/README.md), chapter, number and path are not
            path = " > ".join(a.get("path") or [])
            for k, w in (("chapter", a.get("chapter")),
                         ("number", a.get("number")),
                         ("title", wsnorm(a.get("title"))),
                         ("text", wsnorm(a.get("text"))), ("path", path)):
                if js["section"].get(k) != w:
                    P("section.%s %r, agreement %r"
                      % (k, js["section"].get(k), w))
    return out


def md_parts(md):
    """Report Markdown -> (head before the first '## ', {heading: body} of
    the '## ' parts in order, footer after the last '\\n---\\n')."""
    i = md.rfind("\n---\n")
    foot = md[i + 5:] if i >= 0 else ""
    body = md[:i + 1] if i >= 0 else md
    chunks = re.split(r"^## ", body, flags=re.M)
    parts = {}
    for c in chunks[1:]:
        h, _, rest = c.partition("\n")
        parts[h.strip()] = rest
    return chunks[0], parts, foot


def _lines(s):
    return [l for l in s.split("\n") if l.strip()]


def md_cite_line(js, c, label=""):
    """The expected Markdown of a citation or verwant line (no indent)."""
    r = js["references"][c["ref"] - 1]
    s = "- %s%s **(%s)** %s — *%s*" % (label, link(c["ref"]),
                                       r["date"] or "datum onbekend",
                                       md_escape(r["title"]), r["stage"])
    if c["why"]:
        s += " — waarom: " + md_escape(c["why"])
    if c["excerpt"] is not None:
        s += " — “" + md_escape(c["excerpt"]) + "”"
    return s


def md_problems(md, js, dec=None):
    """Problems of a Markdown report against the JSON report of the same
    run: parts in order, section text, summary numbers, every commitment
    line with its citation and verwant lines, the niet-toetsbaar
    sentences, Verder relevant, timeline, references with anchors,
    footer.  With dec, the reference previews from the corpus text."""
    out = []
    P = out.append
    head, parts, foot = md_parts(md)
    summ, refs = js["summary"], js["references"]
    sec = js["section"]
    want = ["Samenvatting", "Verbintenissen"]
    if summ["not_checkable"]:
        want.append("Niet toetsbaar")
    if js["related"]:
        want.append("Verder relevant")
    want += ["Conclusie", "Tijdlijn", "Referenties"]
    if list(parts) != want:
        return ["'## ' parts %s, want %s" % (list(parts), want)]

    # head: title, section line, the section text as in the agreement
    t = "# Evaluatie van de uitvoering van het regeerakkoord: %s %s" % (
        md_escape(sec["number"]), md_escape(sec["title"]))
    if not head.startswith(t + "\n"):
        P("title line %r, want %r" % (head.split("\n")[0], t))
    if "\nSectie %s · %s" % (md_escape(sec["id"]), md_escape(sec["chapter"])) \
            not in head:
        P("no 'Sectie <id> · <chapter>' line")
    d = "<details>\n<summary>Regeerakkoord Sectie</summary>\n<p>%s</p>\n" \
        "</details>\n" % html_text(sec["text"])
    if d not in head:
        P("the section text is not in <details> at the top, HTML-escaped")

    # Samenvatting: the numbers of summary
    m = re.match(r"\s*Van de (\d+) toetsbare \S+ in deze sectie \S+ er (\d+) "
                 r"\*\*uitgevoerd\*\*, (\d+) \*\*in uitvoering\*\* en (\d+) "
                 r"zonder gevonden beslissing(?:; (\d+) zin)?",
                 parts["Samenvatting"])
    got = tuple(int(x or 0) for x in m.groups()) if m else None
    if got != tuple(summ[k] for k in COUNT_KEYS):
        P("Samenvatting says %s, summary has %s"
          % (got, [summ[k] for k in COUNT_KEYS]))
    if summ["decisions"] and "De %d geciteerde beslissingen (%d dossiers)" % (
            summ["decisions"], summ["dossiers"]) not in parts["Samenvatting"]:
        P("Samenvatting does not give %d decisions in %d dossiers"
          % (summ["decisions"], summ["dossiers"]))

    # Verbintenissen: checkable ones numbered, each with its lines
    exp = []
    k = 0
    for it in js["commitments"]:
        if it["verdict"] == UNCHECKABLE:
            continue
        k += 1
        s = "%d. **%s**" % (k, it["verdict"])
        if it["citations"]:
            s += " (verste stadium: %s)" % it["furthest_stage"]
        s += " — " + md_escape(it["text"])
        s += "".join(" " + link(c["ref"]) for c in it["citations"])
        exp.append((s, False))
        exp += [(md_cite_line(js, c), True) for c in it["citations"]]
        exp += [(md_cite_line(js, c, "verwant, geen bewijs: "), True)
                for c in it["related"]]
    if not k:
        exp.append(("Geen toetsbare verbintenissen.", False))
    got = _lines(parts["Verbintenissen"])
    for n, (w, sub) in enumerate(exp):
        if n >= len(got):
            P("Verbintenissen ends after %d lines, want %d; next: %r"
              % (len(got), len(exp), w[:200]))
            break
        g = got[n]
        if sub and not g.startswith("   "):
            P("Verbintenissen line %d is not indented under its commitment: %r"
              % (n + 1, g[:120]))
        if g.lstrip(" ") != w:
            P("Verbintenissen line %d:\n    got  %r\n    want %r"
              % (n + 1, g[:400], w[:400]))
            break
    else:
        if len(got) > len(exp):
            P("Verbintenissen has %d extra lines: %r"
              % (len(got) - len(exp), got[len(exp)][:200]))

    # Niet toetsbaar: the other sentences, in text order
    if summ["not_checkable"]:
        got = [l for l in _lines(parts["Niet toetsbaar"]) if l.startswith("- ")]
        w = ["- " + md_escape(it["text"]) for it in js["commitments"]
             if it["verdict"] == UNCHECKABLE]
        if got != w:
            P("Niet toetsbaar lists %d sentences, JSON %d (or they differ)"
              % (len(got), len(w)))

    # Verder relevant
    if js["related"]:
        got = [l for l in _lines(parts["Verder relevant"]) if l.startswith("- ")]
        w = []
        for n in js["related"]:
            r = refs[n - 1]
            w.append("- %s **(%s)** %s — *%s*" % (
                link(n), r["date"] or "datum onbekend", md_escape(r["title"]),
                r["stage"]))
        if got != w:
            P("Verder relevant lines differ from related[]:\n    got  %r\n"
              "    want %r" % (got[:2], w[:2]))

    if not _lines(parts["Conclusie"]):
        P("Conclusie is empty")

    # Tijdlijn: one row per year of timeline
    rows = re.findall(r"^\| (\d{4}|datum onbekend) \| (\d+) \|", parts["Tijdlijn"],
                      re.M)
    got = {("unknown" if y == "datum onbekend" else y): int(n) for y, n in rows}
    if got != js["timeline"]:
        P("Tijdlijn rows %r, timeline %r" % (got, js["timeline"]))

    # Referenties: one anchored line per reference, inside <details>
    rb = parts["Referenties"]
    if not rb.startswith("\n<details>\n<summary>Referenties (%d)</summary>\n\n"
                         % len(refs)):
        P("Referenties does not open with <details><summary>Referenties (%d)"
          % len(refs))
    if not re.search(r"^</details>$", rb, re.M):
        P("Referenties: no '</details>' line at column 0")
    got = [l for l in _lines(rb) if l.startswith("<a ")]
    w = []
    for r in refs:
        s = '<a id="ref-%d"></a>**[\\[%d\\]](%s)** : **(%s)** %s — ' % (
            r["n"], r["n"], r["url"], r["date"] or "datum onbekend",
            md_escape(r["title"]))
        if dec is not None and r["id"] in dec:
            s += md_escape(text_start(wsnorm(dec[r["id"]].get("text"))))
        w.append(s)
    if len(got) != len(w):
        P("Referenties has %d lines, JSON %d references" % (len(got), len(w)))
    for g, x in zip(got, w):
        if not (g == x if dec is not None else g.startswith(x)):
            P("reference line:\n    got  %r\n    want %r" % (g[:300], x[:300]))
            break

    # footer: version, snapshot, models, corpus, caveat
    mo, co = js["models"], js["corpus"]
    for s in ("*akkoord %s · snapshot `%s` · deterministisch rapport"
              % (js["version"], js["snapshot"][:16]),
              "bewijs: model `%s` (drempel %.2f)"
              % (mo["evidence"][:12], mo["evidence_threshold"]),
              "verbintenissen: model `%s` (drempel %.2f)"
              % (mo["commitment"][:12], mo["commitment_threshold"]),
              "stadia: regels `%s`" % mo["stages"][:12],
              "*Rangschikking: BM25 k1=",
              "*Corpus: beslissingen van %s tot %s; %d zonder gekende datum"
              % (co["first"] or "?", co["last"] or "?", co["undated"]),
              "Let op:"):
        if s not in foot:
            P("footer lacks %r" % s)
    return out


CITE_RE = re.compile(r"\\\[(\d+)\\\]\]\(#ref-(\d+)\)")
REF_RE = re.compile(r'^<a id="ref-(\d+)"></a>\*\*\[\\\[(\d+)\\\]\]\(([^)\s]*)\)\*\*',
                    re.M)
REFS_START = "\n## Referenties\n"


def md_split(md):
    """Report Markdown -> (body before '## Referenties', {n: link} of the
    reference lines)."""
    i = md.find(REFS_START)
    if i < 0:
        fail("no '## Referenties' part in the report")
    refs = {}
    for a, n, u in REF_RE.findall(md[i:]):
        if a != n:
            fail("reference line %s has anchor ref-%s" % (n, a))
        refs[int(n)] = u
    return md[:i], refs


def md_cite_problems(md):
    """Citation problems of a report: a [\\[n\\]](#ref-m) with n != m, a
    number without a reference line, a reference link that is not
    http(s).  Returns a list of messages (empty when fine)."""
    body, refs = md_split(md)
    out = []
    for m in CITE_RE.finditer(body):
        n, a = int(m.group(1)), int(m.group(2))
        if n != a:
            out.append("\\[%d\\] links to #ref-%d" % (n, a))
        elif n not in refs:
            out.append("\\[%d\\] is used but has no reference line" % n)
    for n, u in sorted(refs.items()):
        if not re.match(r"https?://", u):
            out.append("reference %d links to %r" % (n, u))
    if sorted(refs) != list(range(1, len(refs) + 1)):
        out.append("reference lines numbered %s" % sorted(refs))
    return out


def md_order_problem(md):
    """None, or a message when the citation numbers in the body are not
    numbered in order of first use (docs/evaluation.md, 8)."""
    body, _ = md_split(md)
    first = []
    for m in CITE_RE.finditer(body):
        n = int(m.group(1))
        if n not in first:
            first.append(n)
    if first != sorted(first):
        return "numbers in order of first use: %s" % first[:12]
    return None


# Raw HTML a report may carry: the two <details> blocks, the section text
# paragraph and the reference anchors.
HTML_OK = re.compile(r'^</?(?:details|summary|p)>$|^<a id="ref-\d+"></a>$|^</a>$')


def md_unsafe(md):
    """Markdown-safety problems: raw HTML other than the report's own
    tags, unescaped ']]()', link targets that are neither http(s) nor a
    #ref-N anchor.  Returns a list of messages."""
    out = []
    for m in re.finditer(r"<(/?[A-Za-z][^>]*)>(?:</a>)?", md):
        if not HTML_OK.match(m.group(0)):
            out.append("raw HTML %r" % md[max(0, m.start() - 40):m.end() + 20])
    for m in re.finditer(r"(?<!\\)\]\]\(\)", md):
        out.append("unescaped ]](): %r" % md[max(0, m.start() - 60):m.end()])
    for m in re.finditer(r"(?<!\\)\]\(([^)]*)\)", md):
        if not re.match(r"https?://|#ref-\d+$", m.group(1)):
            out.append("link to %r" % m.group(1))
    return out


def counts_sum(rows):
    """Sum of the 'counts' objects of index.json rows."""
    return {k: sum(r["counts"][k] for r in rows) for k in COUNT_KEYS}


def md_counts(c):
    """The count cells of an index.md row, as qy_overview.c prints them."""
    n = c["commitments"]
    pct = lambda x: 100.0 * x / n if n else 0.0
    return " %d | %d (%.0f%%) | %d (%.0f%%) | %d (%.0f%%) | %d |" % (
        n, c["done"], pct(c["done"]), c["in_progress"], pct(c["in_progress"]),
        c["none"], pct(c["none"]), c["not_checkable"])


# ---- rendered reports (T32, T34) ----
import subprocess as _sp
from urllib.parse import unquote as _unquote
from html.parser import HTMLParser as _HTMLParser

# Elements a rendered report may have (cmark-gfm's output for the report's
# Markdown plus the report's own raw tags).
HTML_ELEMENTS = {"h1", "h2", "p", "details", "summary", "a", "strong", "em",
                 "code", "ol", "ul", "li", "table", "thead", "tbody", "tr",
                 "th", "td", "hr", "br", "pre"}
_VOID = {"hr", "br", "img", "input", "meta", "link"}


def cmark(path):
    """path rendered by Debian's cmark-gfm --unsafe -e table (the raw HTML
    of the report passes through, as on GitHub before sanitising)."""
    try:
        p = _sp.run(["cmark-gfm", "--unsafe", "-e", "table", path],
                    stdout=_sp.PIPE, stderr=_sp.PIPE)
    except OSError as e:
        fail("cmark-gfm not runnable (%s); sh .ci/deps installs it" % e)
    if p.returncode:
        fail("cmark-gfm %s exited %d: %s" % (path, p.returncode, p.stderr[:200]))
    return p.stdout.decode("utf-8")


class _Render(_HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.probs = [], []
        self.hrefs, self.ids = [], []
        self.footer = []          # stacks where "deterministisch rapport" is
        self.h2, self.in_h2 = "", False
        self.top_ol = 0           # <ol> outside any list under Verbintenissen
        self.item = 0             # number of the last commitment item seen
        self.loose = []           # items whose citation list fell out

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag not in HTML_ELEMENTS:
            self.probs.append("element <%s %s>" % (tag, attrs))
        if "href" in a:
            self.hrefs.append(a["href"] or "")
        if "id" in a:
            self.ids.append(a["id"])
        for k, v in attrs:
            if k.startswith("on") or k in ("src", "style"):
                self.probs.append("attribute %s=%r on <%s>" % (k, v, tag))
        if tag == "h2":
            self.in_h2, self.h2 = True, ""
        if self.h2 == "Verbintenissen":
            if tag == "ul" and (not self.stack or self.stack[-1] != "li"):
                self.loose.append(self.item)
            if tag == "ol" and "li" not in self.stack:
                self.top_ol += 1
                self.item = int(a.get("start") or 1) - 1
            if tag == "li" and self.stack and self.stack[-1] == "ol" and \
                    self.stack.count("li") == 0:
                self.item += 1
        if tag not in _VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in _VOID:
            return
        if tag == "h2":
            self.in_h2 = False
        if tag not in self.stack:
            self.probs.append("</%s> without <%s>" % (tag, tag))
            return
        while self.stack.pop() != tag:
            pass

    def handle_data(self, data):
        if self.in_h2:
            self.h2 += data.strip()
        if "deterministisch rapport" in data:
            self.footer.append(list(self.stack))
        if "</details>" in data and ("pre" in self.stack or "code" in self.stack):
            self.probs.append("literal </details> inside <%s>: %r"
                              % ("pre" if "pre" in self.stack else "code",
                                 data[:80]))


def render_problems(html, report=True, links=()):
    """Problems of a rendered report (report=False: of index.md): every
    <details> closed; the footer paragraph ("deterministisch rapport")
    once, in a <p>, outside <details>, <pre> and <code>; no literal
    </details> in a code block; every href="#ref-N" with an id="ref-N"
    (ids unique); commitments one numbered list with the citation lists
    inside their items; only the report's elements, no event or src
    attributes, links http(s), #ref-N or one of links."""
    r = _Render()
    r.feed(html)
    r.close()
    out = list(r.probs)
    if "details" in r.stack:
        out.append("%d <details> not closed" % r.stack.count("details"))
    if report:
        if len(r.footer) != 1:
            out.append("footer paragraph found %d times" % len(r.footer))
        for st in r.footer:
            bad = [t for t in ("details", "pre", "code") if t in st]
            if bad or "p" not in st:
                out.append("footer paragraph inside %s" % (bad or st))
        if r.loose:
            out.append("Verbintenissen: the citation lines of commitments "
                       "%s render outside their list items (as a list of "
                       "their own after item %s)"
                       % (sorted(set(r.loose)), r.loose[0]))
        if r.top_ol > 1:
            out.append("Verbintenissen: the numbered list is broken into %d "
                       "lists" % r.top_ol)
    ids = set(r.ids)
    if len(ids) != len(r.ids):
        out.append("duplicate ids")
    for h in r.hrefs:
        if h.startswith("#"):
            if h[1:] not in ids:
                out.append("href=%r has no matching id" % h)
            if not re.match(r"#ref-\d+$", h):
                out.append("anchor link %r" % h)
        elif not re.match(r"https?://", h) and \
                _unquote(h) not in links:
            out.append("link to %r" % h)
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

# serve ITEMS NAME FAULTS: start a replay of the decisions search API
# (tests/cli/fx-replay.py) on 127.0.0.1, a free port, serving the JSON
# Lines file ITEMS with the injected FAULTS (see fx-replay.py; "" for
# none), logging each request to NAME.log; sets URL and SRV.  stop ends it.
serve() {
    rm -f "$2.port"
    python3 "$AKKOORD_ROOT/tests/cli/fx-replay.py" --items "$1" \
        --port-file "$2.port" --log "$2.log" --slow 2.5 --faults "$3" &
    SRV=$!
    BG_PIDS="$BG_PIDS $SRV"
    _i=0
    while [ ! -s "$2.port" ]; do
        _i=$((_i + 1)); [ $_i -lt 100 ] || fail "replay server did not start"
        sleep 0.1
    done
    URL="http://127.0.0.1:$(cat "$2.port")"
}
stop() { kill "$SRV" 2>/dev/null || :; wait "$SRV" 2>/dev/null || :; }
