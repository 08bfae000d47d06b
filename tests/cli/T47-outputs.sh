#!/bin/sh
# T47: outputs are whole or untouched, and every failure is named.
# evaluate -o and --all under a file-size limit keep the previous reports
# and overview, with no temporary file left and exit 4; --all refuses
# report names that collide (a/1 and a_1) or take the overview's name
# (index) before writing anything; akkoord-index and search on a full
# stdout say so (the index exits 3: built, summary lost); out of file
# descriptors, rank/evaluate --all name the cause from the workers;
# AKKOORD_PARAMS are checked against their ranges; kind:Nota finds what
# kind:nota finds; corpus and user text in messages cannot carry
# terminal escapes.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
sample_index
DB=$SAMPLE_DB
SEC=voorbeeld/1.1
[ -w /dev/full ] || { echo "no /dev/full here"; exit 77; }

# ---- evaluate -o FILE: whole or not at all ---------------------------
expect_rc 0 "$QRY" -d "$DB" evaluate "$SEC" -f json -o r.json
cp r.json r.before
size=$(wc -c <r.json)
[ "$size" -gt 1024 ] || fail "report too small for the limit below ($size bytes)"
rc=0; (ulimit -f 1 && exec "$QRY" -d "$DB" evaluate "$SEC" -o r.json) \
    >out 2>err || rc=$?
[ "$rc" -eq 4 ] || fail "evaluate -o under ulimit -f: exit $rc, want 4: $(cat err)"
grep -qF "cannot write 'r.json'" err || fail "no message naming r.json: $(cat err)"
cmp -s r.json r.before || fail "the previous report was damaged by a failed write"
[ -z "$(ls -A | grep '\.tmp-')" ] || fail "temporary file left: $(ls -A)"
# a symlink is followed, not replaced
ln -s r.json link.json
expect_rc 0 "$QRY" -d "$DB" evaluate "$SEC" -o link.json
[ -L link.json ] || fail "evaluate -o replaced the symlink itself"
grep -q '^# ' r.json || fail "the file behind the symlink did not get the report"

# ---- evaluate --all: whole reports, overview only when complete -----
expect_rc 0 "$QRY" -d "$DB" evaluate --all -o all
tree_sums all >all.sums
rc=0; (ulimit -f 1 && exec "$QRY" -d "$DB" evaluate --all -f json -o all) \
    >out 2>err || rc=$?
[ "$rc" -eq 4 ] || fail "--all under ulimit -f: exit $rc, want 4: $(cat err)"
grep -qF "cannot write 'all/voorbeeld_1.1.json'" err || fail "no message: $(cat err)"
tree_sums all | cmp -s all.sums - || fail "--all under ulimit -f changed earlier files"
for f in all/*; do [ -s "$f" ] || fail "empty file $f"; done
[ -z "$(ls -A all | grep '\.tmp-')" ] || fail "temporary file left in all/"

# ---- never into an index, never over a file -------------------------
tree_sums "$DB" >db.sums
expect_rc 2 "$QRY" -d "$DB" evaluate --all -o "$DB"
expect_err "is an akkoord index; write the reports elsewhere"
expect_rc 2 "$QRY" -d "$DB" evaluate "$SEC" -o "$DB/r.md"
expect_err "is inside an akkoord index"
tree_sums "$DB" | cmp -s db.sums - || fail "evaluate wrote into the index"
echo x >plain
expect_rc 4 "$QRY" -d "$DB" evaluate --all -o plain
expect_err "'plain' exists and is not a directory"

# ---- --all: colliding names refused before writing ------------------
mkagr() {  # mkagr FILE ID... : one section per id
    f=$1; shift
    : >"$f"
    for id; do
        printf '{"id": "%s", "chapter": "Voorbeeld", "number": "1", "title": "Digitale overheid", "text": "We bouwen een centraal e-loket voor vergunningen en subsidies."}\n' "$id" >>"$f"
    done
}
mkagr coll.jsonl voorbeeld/1 voorbeeld_1
expect_rc 0 "$IDX" -q --agreement coll.jsonl -o coll.db "$SAMPLE/sample-decisions.jsonl"
expect_rc 4 "$QRY" -d coll.db evaluate --all -o collout
expect_err "sections 'voorbeeld/1' and 'voorbeeld_1' would both be written to 'collout/voorbeeld_1.md'"
[ ! -e collout ] || fail "a refused --all wrote $(ls collout)"
mkagr idx.jsonl voorbeeld/2 index
expect_rc 0 "$IDX" -q --agreement idx.jsonl -o idx.db "$SAMPLE/sample-decisions.jsonl"
for fmt in md json; do
    expect_rc 4 "$QRY" -d idx.db evaluate --all -f $fmt -o idxout
    expect_err "section 'index' would be written to 'idxout/index.$fmt', the name of the overview"
    [ ! -e idxout ] || fail "a refused --all -f $fmt wrote files"
done

# ---- full standard output -------------------------------------------
rc=0; "$QRY" -d "$DB" search digitaal >/dev/full 2>err || rc=$?
[ "$rc" -eq 4 ] || fail "search >/dev/full: exit $rc, want 4"
grep -qF "cannot write to standard output" err || fail "search >/dev/full silent: $(cat err)"
rc=0; "$QRY" -d "$DB" rank "$SEC" >/dev/full 2>err || rc=$?
[ "$rc" -eq 4 ] && grep -qF "cannot write to standard output" err ||
    fail "rank >/dev/full: exit $rc: $(cat err)"
rc=0; "$IDX" --agreement "$SAMPLE/sample-agreement.jsonl" -o full.db \
    "$SAMPLE/sample-decisions.jsonl" >/dev/full 2>err || rc=$?
[ "$rc" -eq 3 ] || fail "akkoord-index >/dev/full: exit $rc, want 3 (built, summary lost)"
grep -qF "cannot write the summary to standard output" err &&
    grep -qF "the new index 'full.db' is in place" err || fail "index >/dev/full: $(cat err)"
expect_rc 0 "$QRY" -d full.db search digitaal

# ---- workers that cannot open the index say why ---------------------
# (not under valgrind's wrapper scripts: valgrind itself needs the fds)
[ "$(head -c 2 "$QRY")" = "#!" ] && echo "note: fd limit case skipped (wrapped binary)" ||
for cmd in "rank --all" "evaluate --all -o fdout"; do
    rc=0; (ulimit -n 12 && exec "$QRY" -d "$DB" $cmd) >out 2>err || rc=$?
    [ "$rc" -eq 3 ] || fail "$cmd under ulimit -n 12: exit $rc, want 3: $(cat err)"
    grep -qi "too many open files" err || fail "$cmd under ulimit -n 12: no cause: $(cat err)"
done

# ---- AKKOORD_PARAMS -------------------------------------------------
for bad in k1=nan rrf_k=-1 depth=-1 w_dossier=inf depth=2.5 b=1.5 fuse=2; do
    key=${bad%%=*}
    AKKOORD_PARAMS=$bad expect_rc 2 "$QRY" -d "$DB" rank "$SEC"
    expect_err "AKKOORD_PARAMS: $bad: $key must be"
done
AKKOORD_PARAMS=nosuch=1 expect_rc 2 "$QRY" -d "$DB" evaluate "$SEC"
expect_err "'nosuch=1': no such parameter; known: max_df"
AKKOORD_PARAMS="k1=1," expect_rc 2 "$QRY" -d "$DB" rank "$SEC"
AKKOORD_PARAMS=k1 expect_rc 2 "$QRY" -d "$DB" rank "$SEC"
expect_err "'k1': not name=value"
AKKOORD_PARAMS=k1=1.5,b=0.5 expect_rc 0 "$QRY" -d "$DB" rank "$SEC"
AKKOORD_THREADS=abc expect_rc 2 "$QRY" -d "$DB" rank --all
expect_err "AKKOORD_THREADS='abc': want a whole number"

# ---- field values folded as indexed ---------------------------------
# (the results, not the header record, which repeats the query)
expect_rc 0 "$QRY" -d "$DB" search kind:nota -n 100 -f json
tail -n +2 out >lower.out
[ -s lower.out ] || fail "kind:nota found nothing in the sample"
for k in Nota NOTA nOtA; do
    expect_rc 0 "$QRY" -d "$DB" search "kind:$k" -n 100 -f json
    tail -n +2 out | cmp -s lower.out - || fail "kind:$k differs from kind:nota"
done

# ---- no terminal escapes in messages --------------------------------
esc=$(printf 'x\033[2Jy')
expect_rc 1 "$QRY" -d "$DB" evaluate "$esc"
grep -q "$(printf '\033')" "$SCRATCH/err" && fail "an escape reached stderr raw"
expect_err 'x\x1b[2Jy'
exit 0
