#!/bin/sh
# T21: Markdown output (-f md) of hostile titles, texts and urls: no raw
# HTML, no live Markdown link to javascript:, brackets escaped, no injected
# headings; text output drops terminal escapes from corpus text.
. "$(dirname "$0")/lib.sh"

FIX="$SCRATCH/evil.jsonl"
# \u001b is ESC, \n a newline inside the title (a heading injection).
cat >"$FIX" <<'EOF'
{"id": "AE0000000000000000000001", "date": "2022-03-04", "kind": "nota", "title": "Subsidie <script>alert(1)</script> en ]]() en [x](javascript:alert(1))\n# Gekaapt \u001b[31mrood", "text": "Tekst over de subsidie <script>alert(2)</script>, [y](javascript:alert(3)) en ]]() en <img src=x onerror=alert(4)>.", "url": "javascript:alert(1)"}
{"id": "AE0000000000000000000002", "date": "2022-03-05", "kind": "mededeling", "title": "Tweede subsidie [klik](javascript:alert(5))", "text": "Nog een subsidie.", "url": "https://voorbeeld.invalid/a) [klik](javascript:alert(6)"}
{"id": "AE0000000000000000000003", "date": null, "kind": null, "title": "Gewone subsidie", "text": "Een gewone subsidie.", "url": "https://voorbeeld.invalid/ok"}
EOF
DB="$SCRATCH/db"
expect_rc 0 "$IDX" -q -o "$DB" "$FIX"

# check_md FILE WHAT: the Markdown safety properties.
check_md() {
    python3 - "$1" "$2" <<'EOF' || fail "unsafe Markdown in $2"
import re, sys
from akt import fail
out = open(sys.argv[1], encoding="utf-8").read()
what = sys.argv[2]
low = out.lower()
if "<script" in low or "<img" in low:
    fail("%s: raw HTML tag in output:\n%s" % (what, out))
# An unescaped "](" followed by javascript: is a live link.
if re.search(r"(?<!\\)\]\(\s*javascript", out, re.I):
    fail("%s: live javascript: link:\n%s" % (what, out))
# Every link target must be http(s).
for m in re.finditer(r"(?<!\\)\]\(([^)]*)\)", out):
    if not re.match(r"https?://", m.group(1)):
        fail("%s: link to %r" % (what, m.group(1)))
if re.search(r"(?<!\\)\]\]\(\)", out):
    fail("%s: unescaped ]]():\n%s" % (what, out))
if "\x1b" in out:
    fail("%s: ESC in output" % what)
if re.search(r"^#+ Gekaapt", out, re.M):
    fail("%s: injected heading:\n%s" % (what, out))
EOF
}

expect_rc 0 "$QRY" -d "$DB" search subsidie -n 10 -f md
cp "$SCRATCH/out" "$SCRATCH/search.md"
check_md "$SCRATCH/search.md" "search -f md"
# All three decisions are listed, and the escaped forms are visible.
for s in '&lt;script&gt;alert(1)&lt;/script&gt;' '\]\]()' '\[x\](javascript:alert(1))' \
         '\[klik\](javascript:alert(5))' '&lt;script&gt;alert(2)&lt;/script&gt;'; do
    grep -qF "$s" "$SCRATCH/search.md" || fail "search -f md lacks escaped form $s"
done
[ "$(grep -c '^- ' "$SCRATCH/search.md")" -eq 3 ] ||
    fail "search -f md lists $(grep -c '^- ' "$SCRATCH/search.md") results, want 3"
grep -qF '](https://voorbeeld.invalid/ok)' "$SCRATCH/search.md" ||
    fail "a safe corpus url is not used as the link"

for id in AE0000000000000000000001 AE0000000000000000000002; do
    expect_rc 0 "$QRY" -d "$DB" show "$id" -f md
    cp "$SCRATCH/out" "$SCRATCH/show.md"
    check_md "$SCRATCH/show.md" "show $id -f md"
done
expect_rc 0 "$QRY" -d "$DB" show AE0000000000000000000001 -f md
for s in '&lt;script&gt;alert(1)&lt;/script&gt;' '\]\]()' '\[x\](javascript:alert(1))' \
         '&lt;img src=x onerror=alert(4)&gt;' '\[y\](javascript:alert(3))'; do
    grep -qF "$s" "$SCRATCH/out" || fail "show -f md lacks escaped form $s"
done
[ "$(grep -c '^#' "$SCRATCH/out")" -eq 1 ] || fail "show -f md: more than one heading"

# Text output to a pipe: no ESC even though the corpus title holds one.
esc=$(printf '\033')
expect_rc 0 "$QRY" -d "$DB" search subsidie
grep -q "$esc" "$SCRATCH/out" && fail "ESC from corpus text in search text output"
expect_rc 0 "$QRY" -d "$DB" show AE0000000000000000000001
grep -q "$esc" "$SCRATCH/out" && fail "ESC from corpus text in show text output"
# JSON keeps the title as data (the ESC is escaped by the JSON encoder).
expect_rc 0 "$QRY" -d "$DB" show AE0000000000000000000001 -f json
grep -q "$esc" "$SCRATCH/out" && fail "raw ESC in JSON output"
exit 0
