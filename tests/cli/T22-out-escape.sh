#!/bin/sh
# T22: hostile ids, kinds and urls (the cases libFuzzer found, see
# tests/fuzz/regress/para/) never reach the output raw: no HTML and no
# broken code span in Markdown, no terminal escapes in text, no url with
# DEL or non-ASCII bytes used as a link.  (Ids with whitespace or control
# characters are refused by the indexer since T44; hostile ids here carry
# HTML and Markdown only, kinds and titles still carry escapes.)
. "$(dirname "$0")/lib.sh"

FIX="$SCRATCH/evil.jsonl"
cat >"$FIX" <<'JSONL'
{"id": "AE1`<i>Gekaapt</i>", "date": "2022-03-04", "kind": "<script>alert(1)</script>", "title": "Subsidie een", "text": "Een subsidie.", "url": "https://voorbeeld.invalid/\u007fx"}
{"id": "AE2<script>x", "date": "2022-03-05", "kind": "nota\u001b[2J\u009b2J", "title": "Subsidie twee", "text": "Nog een subsidie.", "url": "https://voorbeeld.invalid/ok"}
JSONL
AGR="$SCRATCH/agr.jsonl"
cat >"$AGR" <<'JSONL'
{"id": "kwaad/1`<b>x</b>", "chapter": "Kwaad", "chapter_number": 1, "number": "1", "title": "Titel \u001b[31m<script>", "path": ["1 Titel"], "text": "Subsidie voor iedereen."}
JSONL
DB="$SCRATCH/db"
expect_rc 0 "$IDX" -q -o "$DB" --agreement "$AGR" "$FIX"

for fmt in md text; do
    "$QRY" -d "$DB" search -f $fmt subsidie >"$SCRATCH/s.$fmt" || fail "search -f $fmt"
    "$QRY" -d "$DB" sections -f $fmt >"$SCRATCH/l.$fmt" || fail "sections -f $fmt"
done
python3 - "$SCRATCH" <<'PY' || fail "unsafe output"
import re, sys
from akt import fail
d = sys.argv[1]
for name in ("s.md", "l.md", "s.text", "l.text"):
    out = open("%s/%s" % (d, name), encoding="utf-8", errors="replace").read()
    if "\x1b" in out or "\x7f" in out or "\x9b" in out:
        fail("%s: control character in output" % name)
    if name.endswith(".md"):
        if "<script" in out.lower() or "<b>" in out.lower():
            fail("%s: raw HTML:\n%s" % (name, out))
        if re.search(r"^#+ Gekaapt", out, re.M):
            fail("%s: injected heading:\n%s" % (name, out))
        for m in re.finditer(r"(?<!\\)\]\(([^)]*)\)", out):
            if not re.match(r"https?://[\x21-\x7e]+$", m.group(1)):
                fail("%s: bad link target %r" % (name, m.group(1)))
PY
exit 0
