#!/bin/sh
# T50: akkoord-split, the agreement PDF to agreement JSON Lines.
#  1. regeerakkoord-2019-2024.pdf against the shared agreement.jsonl: at
#     least 218 of its section ids with the same title (titles compared
#     lower-cased, whitespace collapsed, a trailing '.' or ':' dropped):
#     all but the ones TITLE_ERRORS lists (the shared file's title is
#     wrong; docs/split-accuracy.md shows each), which must still differ;
#     for those, text similarity = difflib ratio of the lower-cased,
#     whitespace-collapsed texts (min, 5th percentile, median printed):
#     every section >= 0.97 but the ones TEXT_ERRORS lists, whose shared
#     text holds a quoted error that ours has not, and which must stay
#     below 0.97 (so that neither list can rot); fewer unrepaired line-break hyphens
#     than the shared file, both counted the same way: "letters-" with
#     an optional space and lower-case letters after it, whose joined word
#     occurs as a word in the same file.
#  2. coalitieakkoord-2021-2025.pdf (another layout): chapters and
#     sections, and at least 95 % of the paragraphs of the CSV beside it
#     covered: a paragraph is covered when its letters (lower-cased,
#     without digits, spaces and punctuation) occur in the output's
#     records joined in order, each as chapter + text, reduced the same way.
#  3. bad inputs (not a PDF, empty, truncated, encrypted, no text layer, a
#     directory, missing): exit 1 with a message naming the file, and an
#     existing -o file left byte-identical with no temp file beside it;
#     usage errors exit 2.
. "$(dirname "$0")/lib.sh"
SPLIT="$AKKOORD_BIN/akkoord-split"
[ -x "$SPLIT" ] || fail "akkoord-split not found in $AKKOORD_BIN"
cd "$SCRATCH"

# ---- 3. bad inputs (no shared data needed) ----------------------------
printf 'not a pdf at all\n' >notpdf.pdf
: >empty.pdf
mkdir dir.pdf
# A one-page PDF without text (python writes it; offsets computed).
python3 - <<'PY'
def pdf(objs, trailer_extra=b""):
    out = b"%PDF-1.4\n"
    offs = []
    for i, o in enumerate(objs, 1):
        offs.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    x = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offs)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objs) + 1, trailer_extra, x)
    return out
page = [b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 22 >>\nstream\n0 0 1 rg 10 10 50 50 re f\nendstream"]
open("notext.pdf", "wb").write(pdf(page))
good = pdf(page)
open("truncated.pdf", "wb").write(good[:len(good) // 3])
# Encrypted: a standard security handler dictionary with a user password.
enc = page + [b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 +
              b"> /U <" + b"22" * 32 + b"> /P -4 >>"]
open("encrypted.pdf", "wb").write(pdf(enc, b"/Encrypt 5 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] "))
PY
printf 'keep me\n' >out.jsonl
cp out.jsonl out.before
# bad NAME FRAGMENT: exit 1, stderr names the file and holds FRAGMENT,
# out.jsonl unchanged and no temp file left beside it.
bad() {
    expect_rc 1 "$SPLIT" -o out.jsonl "$1"
    expect_err "akkoord-split: $1: "
    expect_err "$2"
    cmp -s out.jsonl out.before || fail "$1: out.jsonl was changed"
    for t in out.jsonl.tmp-*; do [ -e "$t" ] && fail "$1: temp file $t left"; done
    return 0
}
bad notpdf.pdf "not a PDF"
bad empty.pdf "empty file"
bad truncated.pdf "PDF"
bad encrypted.pdf "encrypted"
bad notext.pdf "page 1: no text layer"
bad dir.pdf "cannot read"
bad missing.pdf "cannot read"
expect_rc 2 "$SPLIT"
expect_rc 2 "$SPLIT" --bogus notpdf.pdf
expect_rc 2 "$SPLIT" a.pdf b.pdf
expect_rc 0 "$SPLIT" --help
grep -q '^usage: akkoord-split' "$SCRATCH/out" || fail "--help prints no usage"

# ---- 1. the Flemish agreement --------------------------------------------
PDF="$SHARED/regeerakkoord-2019-2024.pdf"
OTHER="$SHARED/other/coalitieakkoord-2021-2025.pdf"
[ -f "$PDF" ] && [ -f "$OTHER" ] || { echo "shared PDFs not found in $SHARED"; exit 77; }
expect_rc 0 "$SPLIT" -o split.jsonl "$PDF"
[ -s "$SCRATCH/err" ] && fail "stderr not empty: $(head -3 "$SCRATCH/err")"
cp out.before out.jsonl
expect_rc 0 "$SPLIT" -o out.jsonl "$PDF"
cmp -s out.jsonl split.jsonl || fail "-o over an existing file: not the same output"
"$SPLIT" "$PDF" | cmp -s - split.jsonl || fail "stdout and -o differ"

cat >"$SCRATCH/sp.py" <<'PY'
import csv, difflib, json, re, statistics
from akt import fail, records

KEYS = ["id", "chapter", "chapter_number", "number", "title", "path", "text"]


def load(path):
    rs = records(path)
    for r in rs:
        if list(r) != KEYS:
            fail("%s: keys %s, want %s" % (path, list(r), KEYS))
        if r["id"] != "%s/%s" % (r["id"].split("/")[0], r["number"]):
            fail("%s: id %r does not end in its number" % (path, r["id"]))
    return rs


def ws(s):
    return " ".join(s.split()).lower()


def title(s):
    return re.sub(r"[.:]$", "", ws(s)).strip()


def hyphens(rs):
    """Unrepaired line-break hyphens: letters '-' [space] lower-case
    letters, whose joined word occurs as a word of the same records."""
    words = set()
    for r in rs:
        words.update(w.lower() for w in re.findall(r"[^\W\d_]+", r["text"]))
    n = 0
    for r in rs:
        for m in re.finditer(r"([^\W\d_]*[^\W\d_A-Z])- ?([a-zà-ÿ][^\W\d_]*)",
                             r["text"]):
            if (m.group(1) + m.group(2)).lower() in words:
                n += 1
    return n


# The shared file's own errors (docs/split-accuracy.md): id -> a quote of
# the shared text that is not in the PDF's text there, and why.
TEXT_ERRORS = {
    "economie-en-innovatie/2.2.1": ("integraal vlaams 2 de quadruple helix",
        "footnotes 2-3 put mid-sentence at the page break; ours leaves footnotes out"),
    "economie-en-innovatie/2.3.3": ("om tot 4 bij \u201cfygitale\u201d",
        "footnote 4 put mid-sentence at the page break"),
    "omgeving/2.2.2.5": ("maatschappelijke 7 ecosysteemdiensten",
        "footnote 7 put mid-sentence at the page break"),
    "financien-en-begroting/7.3": ("bijlage fusie van entiteiten",
        "the title of the next chapter's divider page appended"),
    "wonen/4.2.5": ("vlaanderen bestuurt en investeert, zonder extra lasten",
        "the title of the next part's divider page appended"),
}
# id -> the PDF's title (which ours has), where the shared title is wrong.
TITLE_ERRORS = {
    "mobiliteit-en-openbare-werken/1.8": "\u201cslimme\u201d mobiliteit / innovatie",
    "bestuurzaken/3.2.3": "ict en informatie programma vlaanderen",
    "buitenlands-beleid-en-toerisme/4.2": "een ambitieus en impactsvol vlaams-europees "
        "beleid dat bijdraagt aan een slagkrachtige en gedragen europese unie die "
        "haar burgers en bedrijven ondersteunt",
    "buitenlands-beleid-en-toerisme/4.3.1": "klanten van fit hebben in een steeds "
        "competitievere internationale omgeving nood hebben aan meer informatie, "
        "begeleiding en advies op maat van hun bedrijf",
}


def check_title(r, o):
    """Is o's title r's?  A listed id must have the PDF's title instead."""
    same = o is not None and title(o["title"]) == title(r["title"])
    want = TITLE_ERRORS.get(r["id"])
    if want is None:
        return same
    if same:
        fail("%s: listed in TITLE_ERRORS but now has the shared title; "
             "drop it from the list" % r["id"])
    if o is None or title(o["title"]) != want:
        fail("%s: title %r, not the PDF's %r" % (r["id"], o and o["title"], want))
    return False


def check_text(r, o, ratio):
    listed = TEXT_ERRORS.get(r["id"])
    if listed is None:
        if ratio < 0.97:
            fail("%s: text similarity %.4f < 0.97" % (r["id"], ratio))
        return
    quote, why = listed
    if ratio >= 0.97:
        fail("%s: listed in TEXT_ERRORS (%s) but now %.4f; drop it from the "
             "list" % (r["id"], why, ratio))
    if quote not in ws(r["text"]) or quote in ws(o["text"]):
        fail("%s: the quote %r should be in the shared text only" % (r["id"], quote))


def flemish(ref_path, out_path):
    ref, out = load(ref_path), {r["id"]: r for r in load(out_path)}
    same, ratios = 0, []
    for r in ref:
        o = out.get(r["id"])
        if not check_title(r, o):
            if r["id"] not in TITLE_ERRORS:
                fail("%s: title %r, shared %r" % (r["id"], o and o["title"], r["title"]))
            continue
        same += 1
        ratio = difflib.SequenceMatcher(None, ws(r["text"]), ws(o["text"]),
                                        autojunk=False).ratio()
        check_text(r, o, ratio)
        ratios.append(ratio)
    ratios.sort()
    p5 = ratios[int(len(ratios) * 0.05)] if ratios else 0
    med = statistics.median(ratios) if ratios else 0
    low = sum(1 for x in ratios if x < 0.97)
    h_ref, h_out = hyphens(ref), hyphens(list(out.values()))
    print("flemish: %d of %d ids with the same title; similarity min %.4f "
          "p5 %.4f median %.4f, %d below 0.97 (listed); unrepaired hyphens %d "
          "(shared file %d)" % (same, len(ref), ratios[0] if ratios else 0, p5,
                                med, low, h_out, h_ref))
    if same < 218:
        fail("only %d of %d section ids with the same title" % (same, len(ref)))
    if h_out >= h_ref:
        fail("unrepaired hyphens %d, not fewer than the shared file's %d"
             % (h_out, h_ref))


def letters(s):
    return re.sub(r"[\W\d_]+", "", s.lower())


def other(csv_path, out_path):
    rs = load(out_path)
    chapters = {r["chapter"] for r in rs}
    sections = [r for r in rs if "." in r["number"]]
    if len(chapters) < 5 or len(sections) < 10:
        fail("other: %d chapters, %d sections" % (len(chapters), len(sections)))
    text = letters(" ".join(r["chapter"] + " " + r["text"] for r in rs))
    with open(csv_path, encoding="utf-8") as f:
        paras = list(csv.DictReader(f))
    hit = sum(1 for p in paras if letters(p["txt"]) in text)
    print("other: %d chapters, %d sections; %d of %d CSV paragraphs covered "
          "(%.1f %%)" % (len(chapters), len(sections), hit, len(paras),
                         100.0 * hit / len(paras)))
    if hit * 100 < 95 * len(paras):
        fail("coverage %d/%d below 95 %%" % (hit, len(paras)))
PY
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import sp; sp.flemish(sys.argv[2], sys.argv[3])' \
    "$SCRATCH" "$SHARED/agreement.jsonl" split.jsonl

# ---- 2. another layout ----------------------------------------------------
expect_rc 0 "$SPLIT" -o other.jsonl "$OTHER"
python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import sp; sp.other(sys.argv[2], sys.argv[3])' \
    "$SCRATCH" "${OTHER%.pdf}.csv" other.jsonl
echo "T50 ok"
