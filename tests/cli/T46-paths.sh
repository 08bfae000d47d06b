#!/bin/sh
# T46: the indexer replaces and removes only what it can prove it made.
# A directory holding user files next to a manifest.json and a decisions
# entry is refused, as is an index holding one foreign file, a manifest
# that disagrees with the marker, an index of an older format; user
# entries named DIR.tmp-* (a directory, a plain file, a directory without
# the scratch marker, a symlink to a marked scratch) survive a rebuild,
# while a marked stale scratch directory goes; -o '' '.' '..' '/' and a
# path ending in /. are usage errors (exit 2) decided before any file is
# made; -o a symlink, and -o inside an index, exit 1 before any lock or
# scratch exists.  A snapshot without manifest.json (damaged) is rebuilt.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
DEC="$SAMPLE/sample-decisions.jsonl"
AGR="$SAMPLE/sample-agreement.jsonl"
expect_rc 0 "$IDX" -q --agreement "$AGR" -o db "$DEC"
[ -f db/akkoord-snapshot ] || fail "no marker in a new index"
id=$(python3 -c 'import json; print(json.load(open("db/manifest.json"))["snapshot"])')
grep -qx "snapshot $id" db/akkoord-snapshot || fail "marker does not name snapshot $id"
tree_sums db >db.sums

# refused_dir DIR WHAT MSG: a build at DIR exits 1 with MSG and leaves
# every file of DIR as it was, with no lock or scratch beside it.
refused_dir() {
    tree_sums "$1" >refused.sums
    expect_rc 1 "$IDX" -q -o "$1" "$DEC"
    expect_err "$3"
    tree_sums "$1" | cmp -s refused.sums - || fail "$2: '$1' was changed"
    for _d in "$1".tmp-*; do [ -e "$_d" ] && fail "$2: scratch $_d left"; done
    return 0
}

# user files beside a manifest.json and a decisions entry
mkdir -p look/decisions
echo '{"snapshot": "x"}' >look/manifest.json
echo "mijn notities" >look/notes.txt
echo "data" >look/decisions/mine
refused_dir look "look-alike" "'look' has no valid 'akkoord-snapshot' marker"
# a real index with one file of the user's added
cp -r db added
echo "belangrijk" >added/todo.txt
refused_dir added "foreign file" "'added' holds 'todo.txt', which akkoord did not make"
# marker and manifest disagree
cp -r db forged
sed 's/^snapshot .*/snapshot 0000000000000000000000000000000000000000000000000000000000000000/' \
    db/akkoord-snapshot >forged/akkoord-snapshot
refused_dir forged "forged marker" "does not name the snapshot of its 'akkoord-snapshot' marker"
# an index of an older format (no marker)
cp -r db older
rm older/akkoord-snapshot
refused_dir older "old format" "an index built before format"

# user entries named like scratch, and one marked stale scratch
mkdir db.tmp-mine db.tmp-1-abcdef
echo keep >db.tmp-1-abcdef/file
echo "plain file" >db.tmp-2-abcdef
mkdir stale-target
mkdir db.tmp-3-zzzzzz
echo "db.tmp-3-zzzzzz" >db.tmp-3-zzzzzz/akkoord-scratch
mkdir elsewhere
echo "db.tmp-4-linked" >elsewhere/akkoord-scratch
ln -s elsewhere db.tmp-4-linked
expect_rc 0 "$IDX" -q --agreement "$AGR" -o db "$DEC"
[ -f db.tmp-mine/../db.tmp-1-abcdef/file ] || fail "user dir db.tmp-1-abcdef removed"
[ -d db.tmp-mine ] || fail "user dir db.tmp-mine removed"
[ "$(cat db.tmp-2-abcdef)" = "plain file" ] || fail "user file db.tmp-2-abcdef removed"
[ -L db.tmp-4-linked ] && [ -f elsewhere/akkoord-scratch ] ||
    fail "symlink db.tmp-4-linked or its target removed"
[ ! -e db.tmp-3-zzzzzz ] || fail "the marked stale scratch db.tmp-3-zzzzzz was kept"
grep -qx "snapshot $id" db/akkoord-snapshot || fail "a rebuild from the same input is another snapshot"
tree_sums db >db.sums
rm -rf db.tmp-mine db.tmp-1-abcdef db.tmp-2-abcdef db.tmp-4-linked

# paths decided up front: nothing made at all
for bad in "" . .. / db/. db/.. ./ "db/./"; do
    before=$(ls -A | sort | tr '\n' ' ')
    expect_rc 2 "$IDX" -q -o "$bad" "$DEC"
    [ -s "$SCRATCH/err" ] || fail "-o '$bad': no message"
    after=$(ls -A | sort | tr '\n' ' ')
    [ "$before" = "$after" ] || fail "-o '$bad' made files: $after"
    [ ! -e db/.db.lock ] && [ ! -e db/..lock ] && [ ! -e db/...lock ] ||
        fail "-o '$bad' left a lock inside db"
done
tree_sums db | cmp -s db.sums - || fail "a refused -o changed db"
ln -s db link
expect_rc 1 "$IDX" -q -o link "$DEC"
expect_err "'link' is a symbolic link"
[ ! -e .link.lock ] || fail "-o symlink left a lock file"
expect_rc 1 "$IDX" -q -o db/inner "$DEC"
expect_err "'db' is an akkoord index; build the new one beside it"
tree_sums db | cmp -s db.sums - || fail "-o db/inner changed db"

# a snapshot of ours that lost its manifest is rebuilt
rm db/manifest.json
expect_rc 0 "$IDX" -q --agreement "$AGR" -o db "$DEC"
[ -f db/manifest.json ] && grep -qx "snapshot $id" db/akkoord-snapshot ||
    fail "the rebuild of a damaged index is not the same snapshot"
exit 0
