#!/bin/sh
# T14: manifest.json's date range describes the decisions as indexed: a
# record replaced by a later one with the same id (last wins) no longer
# counts, and decisions without a date are counted as unknown.
. "$(dirname "$0")/lib.sh"

FIX="$SCRATCH/dup.jsonl"
printf '%s\n' \
  '{"id": "A", "date": "2001-01-01", "title": "eerste versie"}' \
  '{"id": "B", "title": "zonder datum"}' \
  '{"id": "A", "date": "2020-05-06", "title": "laatste versie"}' \
  '{"id": "C", "date": "2021-07-08", "title": "nog een"}' >"$FIX"
expect_rc 0 "$IDX" -q -o "$SCRATCH/db" "$FIX"
python3 - "$SCRATCH/db/manifest.json" <<'PY' || fail "manifest dates"
import json, sys
from akt import fail
m = json.load(open(sys.argv[1]))
d, c = m["dates"], m["counts"]
if (d["first"], d["last"], d["unknown"]) != ("2020-05-06", "2021-07-08", 1):
    fail("dates %r" % d)
if (c["decisions"], c["duplicates"]) != (3, 1):
    fail("counts %r" % c)
PY
exit 0
