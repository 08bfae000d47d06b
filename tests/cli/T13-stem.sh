#!/bin/sh
# T13: stemming and accent folding on the sample index (corpus/sample):
# word forms of one stem find the same decisions, and unaccented queries
# find accented words.  Expected ids come from the sample file itself.
. "$(dirname "$0")/lib.sh"
sample_index

# search QUERY -> sorted ids on stdout (exit 1 = no results -> empty).
ids_of() {
    rc=0
    "$QRY" -d "$SAMPLE_DB" search "$1" -n 100 -f json >"$SCRATCH/q.json" || rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || fail "search '$1' exited $rc"
    python3 -c 'import sys; from akt import ids; print(" ".join(sorted(ids(sys.argv[1]))))' \
        "$SCRATCH/q.json"
}

# expect QUERY PYTHON-REGEX: the ids found equal the decisions whose
# lower-cased title+text matches REGEX.
expect() {
    got=$(ids_of "$1")
    want=$(python3 - "$SAMPLE/sample-decisions.jsonl" "$2" <<'EOF'
import re, sys
from akt import load, body
c = load(sys.argv[1])
rx = re.compile(sys.argv[2])
print(" ".join(sorted(i for i, r in c.items() if rx.search(body(r)))))
EOF
)
    [ -n "$want" ] || fail "fixture: no sample decision matches /$2/"
    [ "$got" = "$want" ] || fail "search '$1': got [$got], want [$want] (/$2/)"
}

# Two forms of the stem "digital" find the same set, and exactly the
# decisions holding either form (not the windmill or child-care ones).
a=$(ids_of digitaal)
b=$(ids_of digitale)
[ -n "$a" ] || fail "'digitaal' found nothing"
[ "$a" = "$b" ] || fail "digitaal [$a] != digitale [$b]"
expect digitaal '\bdigita(?:al|le)\b'
expect DIGITALE '\bdigita(?:al|le)\b'
case " $a " in
*" AC0000000000000000000002 "* | *" AC000000000000000000000A "*)
    fail "'digitaal' found an unrelated decision: $a" ;;
esac

# digitalisering / digitaliseren: one stem, the same set.
c=$(ids_of digitalisering)
d=$(ids_of digitaliseren)
[ "$c" = "$d" ] || fail "digitalisering [$c] != digitaliseren [$d]"
expect digitalisering '\bdigitaliser(?:ing|en)\b'

# Accents: the query without diaeresis finds the word with it, and any
# case or accent in the query finds the same.
expect belgie '\bbelgië\b'
expect België '\bbelgië\b'
expect BELGIE '\bbelgië\b'
expect financien '\bfinanciën\b'
expect Financiën '\bfinanciën\b'
exit 0
