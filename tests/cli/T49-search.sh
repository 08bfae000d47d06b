#!/bin/sh
# T49: search a journalist can rely on (issue 13), on the shared corpus.
# Every expected figure is computed here from decisions.jsonl (word
# scans with regular expressions), never from earlier tool output.
. "$(dirname "$0")/lib.sh"
shared_index
DEC="$SHARED/decisions.jsonl"
cd "$SCRATCH"

# scan REGEX [EXCLUDE]: python prints the ids of decisions whose title or
# text matches REGEX (case-insensitive) and not EXCLUDE, one a line.
scan() {
    python3 - "$DEC" "$1" "${2:-}" <<'PY'
import re, sys
from akt import load, body
want = re.compile(sys.argv[2], re.I)
skip = re.compile(sys.argv[3], re.I) if sys.argv[3] else None
for i, r in load(sys.argv[1]).items():
    b = body(r)
    if want.search(b) and not (skip and skip.search(b)):
        print(i)
PY
}
# ids_of FILE: the ids of a search -f json output, one a line.
ids_of() {
    python3 -c 'import sys
from akt import rows
[print(r["id"]) for r in rows(sys.argv[1])]' "$1"
}
Q() { "$QRY" -d "$SHARED_DB" "$@"; }

# ---- exact counts -----------------------------------------------------
# the words 'covid' and '19' in a row (covid19, one word, is another word)
scan '\bcovid[- ]19\b' >covid.ids
want=$(wc -l <covid.ids)
[ "$want" -gt 100 ] || fail "scan found only $want COVID-19 decisions"
expect_rc 0 Q search --count COVID-19
[ "$(cat out)" = "$want" ] || fail "--count COVID-19: $(cat out), corpus has $want"
expect_rc 0 Q search -n 1 -f json COVID-19
python3 - out "$want" <<'PY'
import sys
from akt import head, rows, fail
h = head(sys.argv[1])
if h["total"] != int(sys.argv[2]) or h["shown"] != 1 or len(rows(sys.argv[1])) != 1:
    fail("JSON header %r, want total %s and one result" % (h, sys.argv[2]))
for k in ("query", "snapshot", "results", "offset", "fallback"):
    if k not in h:
        fail("JSON header lacks %r" % k)
PY
expect_rc 0 Q search -n 1 --no-collapse COVID-19
grep -qx "results 1–1 of $want" out || fail "text summary: $(tail -1 out)"
# honest paging: the last page, and past it
expect_rc 0 Q search --no-collapse -n 10 --offset $((want - 2)) COVID-19
grep -qx "results $((want - 1))–$want of $want" out || fail "last page: $(tail -1 out)"
expect_rc 1 Q search --no-collapse --offset $((want + 5)) COVID-19
expect_err "is past the last of $want results"

# ---- compounds at query time: Oosterweel finds Oosterweelverbinding ----
scan 'oosterweel' >oost.ids
expect_rc 0 Q search -n 100 -f json Oosterweel
ids_of out >got.ids
found=$(sort got.ids | comm -12 - "$(sort oost.ids >o.s; echo o.s)" | wc -l)
[ "$found" -ge 5 ] && [ "$found" -ge $(($(wc -l <oost.ids) - 1)) ] ||
    fail "Oosterweel: $found of $(wc -l <oost.ids) decisions found"

# ---- overheid is not over ---------------------------------------------
scan '\bover\b' 'overhe(id|den)' >over.ids
expect_rc 0 Q search -n 100000 -f json overheid
ids_of out | sort >got.ids
sort over.ids | comm -12 - got.ids >bad.ids
[ ! -s bad.ids ] || fail "overheid matches $(wc -l <bad.ids) decisions with only 'over'"
[ -s got.ids ] || fail "overheid finds nothing"

# ---- fallback: no decision has all the words ---------------------------
expect_rc 0 Q search -n 10 -f json extra geld voor kinderopvang
expect_err "showing decisions with any of them"
python3 - out <<'PY'
import sys
from akt import head, rows, body, fail
h = head(sys.argv[1])
if not h["fallback"]:
    fail("no fallback in the JSON header: %r" % h)
r = rows(sys.argv[1])
if not r or "kinderopvang" not in (r[0]["title"] + " " + r[0].get("snippet", "")).lower():
    fail("the first fallback result is not about kinderopvang: %r" % (r[:1],))
PY
# stopwords do not count in AND: 'de' and 'van' do not kill the match
expect_rc 0 Q search --count kinderopvang
a=$(cat out)
expect_rc 0 Q search --count de kinderopvang van
[ "$(cat out)" = "$a" ] || fail "stopwords changed the count: $a vs $(cat out)"

# ---- spelling: a misspelt word gets a suggestion ----------------------
expect_rc 1 Q search kinderopvnag
expect_err "did you mean: kinderopvang"
# ... in a query with operators and phrases too, which keep their form
expect_rc 1 Q search 'kinderopvnag AND ouders'
expect_err "did you mean: kinderopvang AND ouders"
expect_rc 1 Q search '"kinderopvnag ouders"'
expect_err 'did you mean: "kinderopvang ouders"'
expect_rc 0 Q search -f json kinderopvnag ouders
python3 - out <<'PY'
import sys
from akt import head, fail
h = head(sys.argv[1])
if h["suggestion"] != "kinderopvang ouders" or h["failed_word"] != "kinderopvnag":
    fail("suggestion %r, failed word %r" % (h["suggestion"], h["failed_word"]))
PY

# ---- =word: the word as written; word*: words starting so -------------
scan '\boverheid\b' | sort >ov.ids
expect_rc 0 Q search -n 100000 -f json --no-collapse =overheid
ids_of out | sort >got.ids
cmp -s ov.ids got.ids || fail "=overheid: $(wc -l <got.ids) results, corpus $(wc -l <ov.ids)"
scan '\bstik[a-z]*' | sort >stik.ids
expect_rc 0 Q search -n 100000 -f json --no-collapse 'stik*'
ids_of out | sort >got.ids
cmp -s stik.ids got.ids || fail "stik*: $(wc -l <got.ids) results, corpus $(wc -l <stik.ids)"
# ... ranked, not in index order: the stems weigh what the exact forms cannot
for q in 'stik*' =overheid; do
    expect_rc 0 Q search -n 50 -f json --no-collapse "$q"
    python3 - out "$q" <<'PY'
import sys
from akt import rows, fail
s = [r["score"] for r in rows(sys.argv[1])]
if not s or s[0] <= 0 or s != sorted(s, reverse=True) or len(set(s)) < 5:
    fail("%s: scores %r are not a ranking" % (sys.argv[2], s[:8]))
PY
done

# ---- stem overrides: Latin plurals meet their singular -------------------
scan '\bwoonzorgcentr(um|a)\b' | sort >wzc.ids
[ "$(wc -l <wzc.ids)" -gt 40 ] || fail "scan found only $(wc -l <wzc.ids) woonzorgcentra"
for q in woonzorgcentrum woonzorgcentra; do
    expect_rc 0 Q search -n 100000 -f json --no-collapse $q
    ids_of out | sort >$q.ids
    [ -z "$(comm -23 wzc.ids $q.ids)" ] ||
        fail "$q misses $(comm -23 wzc.ids $q.ids | wc -l) of the $(wc -l <wzc.ids) decisions"
done
cmp -s woonzorgcentrum.ids woonzorgcentra.ids || fail "woonzorgcentrum and woonzorgcentra differ"

# ---- all-negative query: all except --------------------------------------
scan 'stikstof' | sort >stik.ids
expect_rc 0 Q search -n 100000 -f json --no-collapse -- -stikstof
ids_of out | sort >got.ids
[ -z "$(comm -12 stik.ids got.ids)" ] || fail "-stikstof returned stikstof decisions"
n=$(python3 -c 'import sys; from akt import load; print(len(load(sys.argv[1])))' "$DEC")
[ "$(wc -l <got.ids)" -eq $((n - $(wc -l <stik.ids))) ] ||
    fail "-stikstof: $(wc -l <got.ids) results, want $n - $(wc -l <stik.ids)"

# ---- date filters count what they leave out ---------------------------
expect_rc 0 Q search --count begroting
all=$(cat out)
expect_rc 0 Q search --count --since 2019-01-01 begroting
dated=$(cat out)
grep -q "without a date left out" err || fail "no word on undated matches"
left=$(sed -n 's/.*: \([0-9]*\) matching decisions\{0,1\} without a date left out.*/\1/p' err)
[ "$((dated + left))" -eq "$all" ] || fail "$dated dated + $left undated != $all"
expect_rc 0 Q search --count --since 2019-01-01 --include-undated begroting
[ "$(cat out)" -eq "$all" ] || fail "--include-undated: $(cat out), want $all"
# ... and so does year: in the query: the 2022 budget has no date
python3 - "$DEC" <<'PY' | sort >budget.ids
import re, sys
from akt import load
for i, r in load(sys.argv[1]).items():
    if not r.get("date") and re.search(r"\bbegroting\b.*\b2022\b", r["title"], re.I):
        print(i)
PY
[ -s budget.ids ] || fail "scan found no undated 2022 budget decision"
expect_rc 0 Q search -n 100000 -f json --no-collapse 'title:begroting year:2022'
ids_of out | sort >y.ids
ydated=$(wc -l <y.ids)
yleft=$(sed -n 's/.*: \([0-9]*\) matching decisions\{0,1\} without a date left out.*/\1/p' err)
[ -n "$yleft" ] || fail "year:2022 says nothing of the undated matches it left out"
expect_rc 0 Q search -n 100000 -f json --no-collapse --include-undated 'title:begroting year:2022'
ids_of out | sort >yu.ids
[ "$(wc -l <yu.ids)" -eq $((ydated + yleft)) ] ||
    fail "year:2022: $ydated dated + $yleft undated != $(wc -l <yu.ids) with --include-undated"
[ -z "$(comm -23 y.ids yu.ids)" ] || fail "--include-undated lost dated matches"
[ -z "$(comm -23 budget.ids yu.ids)" ] || fail "--include-undated misses the 2022 budget"
[ -z "$(comm -12 budget.ids y.ids)" ] || fail "year:2022 matched an undated decision"

# ---- facets and --by year ---------------------------------------------
expect_rc 0 Q search --by year corona
python3 - out <<'PY'
import sys
from akt import fail
rows = [l.split("\t") for l in open(sys.argv[1]).read().splitlines()]
total = int(rows[-1][1])
if rows[-1][0] != "total" or sum(int(n) for _, n in rows[:-1]) != total:
    fail("--by year rows do not add up: %r" % rows)
PY
expect_rc 0 Q search -n 1 -f json --facets year,dossier corona
python3 - out <<'PY'
import sys
from akt import head, fail
h = head(sys.argv[1])
years = h["facets"]["year"]
if sum(v["count"] for v in years) != h["total"]:
    fail("year facet %r does not add up to %d" % (years, h["total"]))
if not h["facets"]["dossier"]:
    fail("no dossier facet")
PY
expect_rc 0 Q search --count kind:nota corona
nota=$(cat out)
expect_rc 0 Q search -n 0 -f json --facets kind corona
python3 - out "$nota" <<'PY'
import sys
from akt import head, fail
h = head(sys.argv[1])
kinds = {v["value"]: v["count"] for v in h["facets"]["kind"]}
if sum(kinds.values()) != h["total"] or kinds.get("nota") != int(sys.argv[2]):
    fail("kind facet %r: want a sum of %d and nota %s" % (kinds, h["total"], sys.argv[2]))
PY

# ---- sorting by date, oldest first, undated last ------------------------
expect_rc 0 Q search -n 100000 -f json --sort date-asc --no-collapse corona
python3 - out <<'PY'
import sys
from akt import rows, fail
d = [r.get("date") or "~" for r in rows(sys.argv[1])]
if d != sorted(d):
    fail("--sort date-asc is not oldest first, undated last")
PY

# ---- collapse: one line per dossier in text output -------------------
expect_rc 0 Q search -n 100 corona
grep -q 'in this dossier' out || fail "no collapsed dossier shown"
grep -Eq '^  1\. .*  [0-9A-Za-z-]{8,}' out || fail "text results lack the decision id"
grep -q '^     dossier of [0-9]*: .* (this)' out || fail "no dossier shown with its stages"
# ... with its stages, by date, read from the decisions themselves
expect_rc 0 Q search -n 100 --collapse -f json corona
python3 - out "$DEC" <<'PY'
import re, sys
from akt import rows, load, fail
dec = load(sys.argv[2])
shown = 0
for r in rows(sys.argv[1]):
    d = r.get("dossier")
    if not d:
        continue
    shown += 1
    steps = d["steps"]
    ids = [s["id"] for s in steps]
    if r["id"] not in ids or len(steps) < 2 or d["size"] < len(steps) or \
            not 1 <= d["matching"] <= d["size"]:
        fail("dossier of %s: %r" % (r["id"], d))
    dates = [s["date"] or "~" for s in steps]
    if dates != sorted(dates):
        fail("dossier of %s is not in date order: %r" % (r["id"], dates))
    for s in steps:
        t = dec[s["id"]]
        body = (t["title"] + " " + (t.get("text") or "")).lower()
        if re.search(r"\bkeurt\b.{0,120}\bprincipieel goed\b", body) and \
                "definitief" not in body and s["stage"] != "principiële goedkeuring":
            fail("%s says 'keurt principieel goed', shown as %r" % (s["id"], s["stage"]))
if shown < 5:
    fail("only %d collapsed hits show their dossier" % shown)
PY

# ---- exports ---------------------------------------------------------
expect_rc 0 Q search -n 20 -f csv corona
python3 - out <<'PY'
import csv, sys
from akt import fail
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
if rows[0] != ["rank", "id", "date", "kind", "title", "url", "score"] or len(rows) != 21:
    fail("CSV: header %r, %d rows" % (rows[0], len(rows)))
PY
expect_rc 0 Q search -n 5 -f ids corona
[ "$(wc -l <out)" -eq 5 ] || fail "-f ids: $(wc -l <out) lines"
while read -r i; do Q show "$i" >/dev/null || fail "show $i (from -f ids) failed"; done <out

# ---- usage errors, in plain words --------------------------------------
for bad in 'foo:bar' 'year:abc' 'title:' '2021-05-01..2021-01-01' 'AND'; do
    expect_rc 2 Q search "$bad"
    grep -q 'Error' err && fail "raw Xapian text for '$bad': $(cat err)"
done
expect_rc 2 Q search --since 2022-01-01 --until 2021-01-01 x
expect_err "is after --until"
expect_rc 2 Q rank -f json bestuurzaken/1
expect_rc 2 Q evaluate -f text bestuurzaken/1
expect_rc 2 Q search --sort sideways x
# ---- navigation ------------------------------------------------------
AGR="$SHARED/agreement.jsonl"
# show of a section id prints the section, as the agreement file has it
sid=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["id"])' "$AGR")
expect_rc 0 Q show -f json "$sid"
python3 - out "$AGR" "$sid" <<'PY'
import json, sys
from akt import rows, fail, norm
got = rows(sys.argv[1])[0]
want = [json.loads(l) for l in open(sys.argv[2]) if json.loads(l)["id"] == sys.argv[3]][0]
if got["id"] != want["id"] or norm(got["text"]) != norm(want["text"]):
    fail("show %s: %r" % (sys.argv[3], got["id"]))
PY
# a bare number: did you mean every section of that number
num=$(python3 -c 'import json,sys
ids = [json.loads(l)["id"] for l in open(sys.argv[1])]
from collections import Counter
c = Counter(i.split("/", 1)[1] for i in ids if "/" in i)
print(max(c, key=lambda k: (c[k], k)))' "$AGR")
expect_rc 1 Q evaluate "$num"
for i in $(python3 -c 'import json,sys
[print(json.loads(l)["id"]) for l in open(sys.argv[1]) if json.loads(l)["id"].endswith("/" + sys.argv[2])]' "$AGR" "$num"); do
    grep -qF "$i" err || fail "evaluate $num: no 'did you mean $i': $(cat err)"
done
expect_rc 2 Q serch corona
expect_err "did you mean 'search'"
# chapters: accents, case and a name's start
expect_rc 0 Q sections --chapter 'financien'
n1=$(wc -l <out)
expect_rc 0 Q sections --chapter 'FINANCIËN EN BEGROTING'
[ "$n1" -gt 0 ] && [ "$(wc -l <out)" -eq "$n1" ] || fail "--chapter financien: $n1 vs $(wc -l <out)"
# the agreement is searchable
python3 -c 'import json,sys
[print(json.loads(l)["id"]) for l in open(sys.argv[1]) if "woonbonus" in json.loads(l)["text"].lower()]' "$AGR" | sort >wb.ids
expect_rc 0 Q search --sections -n 100 -f ids woonbonus
sort out | cmp -s wb.ids - || fail "search --sections woonbonus: $(cat out), want $(cat wb.ids)"
# similar: other decisions, sharing words with the first
first=$(head -1 covid.ids)
expect_rc 0 Q similar -n 5 -f ids "$first"
[ "$(wc -l <out)" -eq 5 ] && ! grep -qx "$first" out || fail "similar $first: $(cat out)"
expect_rc 1 Q similar no-such-id
# show --cited-by: a decision an evaluation cites names that section
expect_rc 0 Q evaluate -f json "$sid"
cp out rep.json
cid=$(python3 -c 'import json,sys
r = json.load(open(sys.argv[1]))
cited = {c["ref"] for it in r["commitments"] for c in it["citations"]}
print(r["references"][min(cited) - 1]["id"] if cited else "")' rep.json)
if [ -n "$cid" ]; then
    expect_rc 0 Q show --cited-by "$cid"
    grep -qP "^\Q$sid\E\t[0-9-]+\t[1-9][0-9]*\tcited$" out ||
        fail "show --cited-by $cid lacks $sid: $(head -5 out)"
fi
# CSV of rank and evaluate: the same as their own formats say
expect_rc 0 Q rank -n 20 "$sid"
cp out run.trec
expect_rc 0 Q rank -n 20 -f csv "$sid"
python3 - out run.trec rep.json "$sid" <<'PY'
import csv, json, sys
from akt import fail
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
trec = [l.split() for l in open(sys.argv[2])]
if rows[0] != ["section", "rank", "decision", "score"] or \
        [(r[0], r[1], r[2]) for r in rows[1:]] != [(t[0], t[3], t[2]) for t in trec]:
    fail("rank -f csv differs from the TREC run")
PY
expect_rc 0 Q evaluate -f csv "$sid"
python3 - out rep.json <<'PY'
import csv, json, sys
from akt import fail
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))[1:]
rep = json.load(open(sys.argv[2]))
want = [(c["text"], c["verdict"], " ".join(rep["references"][x["ref"] - 1]["id"]
         for x in c["citations"])) for c in rep["commitments"]]
if [(r[1], r[2], r[5]) for r in rows] != want:
    fail("evaluate -f csv differs from -f json")
PY
# colour only when asked
expect_rc 0 Q search -n 1 corona
grep -q "$(printf '\033')" out && fail "colour in a pipe"
expect_rc 0 Q search -n 1 --color=always corona
grep -q "$(printf '\033')" out || fail "--color=always gave no colour"
expect_rc 2 Q search --color=sometimes corona

echo "T49: COVID-19 $want exact, Oosterweel $found, begroting $dated+$left undated"
