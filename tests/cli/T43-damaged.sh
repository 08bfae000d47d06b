#!/bin/sh
# T43: a damaged index.  For every file of a small index (decisions,
# sections/*, manifest.json): single bytes flipped at fixed offsets (the
# first 64 bytes one by one, the first bytes of every 8 KB block, 63
# fractions of the file and its last byte; the XOR mask cycles through
# 0xff, 0x01, 0x80 and 0x10) and the file cut at 0, 1, half and all but
# one byte, each case on a fresh copy of the damaged file; then the files
# missing, a directory where a file should be, a file we may not read.
# Every case runs search, rank and evaluate for one section, and each
# either exits 0 with the undamaged output, byte for byte (the damage was
# in bytes nothing reads), or exits 3 with a message naming the index
# directory.  Never another exit code, a signal, a sanitizer report
# (exit 86, see tests/run.sh) or a hang.  Prints how many cases ran.
. "$(dirname "$0")/lib.sh"

cd "$SCRATCH"
note() { echo "note: $*"; }

# The sample corpus with filler decisions and sections (as T32): with the
# sample alone every word is in too many sections or decisions to be a
# query term, and rank would have nothing to rank.
cp "$SAMPLE/sample-decisions.jsonl" dec.jsonl
cp "$SAMPLE/sample-agreement.jsonl" agr.jsonl
i=10
while [ $i -le 40 ]; do
    printf '{"id": "AF00000000000000000000%02d", "date": "2020-01-%02d", "kind": "nota", "title": "Vulbeslissing %d over grasmaaiers", "text": "Deze vulbeslissing %d regelt iets over grasmaaiers en tuinslangen."}\n' \
        $i $((i % 28 + 1)) $i $i >>dec.jsonl
    i=$((i + 1))
done
i=1
while [ $i -le 10 ]; do
    printf '{"id": "vul/9.%d", "chapter": "Vulling", "number": "9.%d", "title": "Vulsectie %d", "text": "9.%d Vulsectie %d We regelen iets over grasmaaiers en tuinslangen in vulsectie %d."}\n' \
        $i $i $i $i $i $i >>agr.jsonl
    i=$((i + 1))
done
expect_rc 0 "$IDX" -q --agreement agr.jsonl -o pristine dec.jsonl

D="$SCRATCH/db"          # the damaged copy: the same path in every case
SEC=voorbeeld/1.1
fresh() { rm -rf "$D" && cp -R pristine "$D"; }
AS=""                    # a command to run the binary through (setpriv)

# run_cmds: the three commands on $D; out.N err.N rc.N for N = 1 2 3.
run_cmds() {
    for _n in 1 2 3; do
        case $_n in
        1) set -- search -n 50 'digitaal OR "radicaal digitaal"' ;;
        2) set -- rank "$SEC" ;;
        3) set -- evaluate "$SEC" ;;
        esac
        _rc=0
        timeout 20 $AS "$QRY" -d "$D" "$@" >"out.$_n" 2>"err.$_n" || _rc=$?
        echo "$_rc" >"rc.$_n"
    done
}

fresh
run_cmds
for n in 1 2 3; do
    [ "$(cat rc.$n)" -eq 0 ] || fail "undamaged index: command $n exit $(cat rc.$n): $(cat err.$n)"
    cp "out.$n" "base.$n"
done
[ -s base.2 ] || fail "fixture: rank $SEC ranks nothing"
grep -q 'uitgevoerd' base.3 || fail "fixture: evaluate $SEC cites nothing"

# check WHAT: run the commands and note what went wrong in fails.
cases=0 same=0 refused=0
: >fails
check() {
    cases=$((cases + 1))
    run_cmds
    for _n in 1 2 3; do
        _rc=$(cat "rc.$_n")
        _why=""
        if [ "$_rc" -eq 0 ]; then
            if cmp -s "out.$_n" "base.$_n"; then
                same=$((same + 1))
            else
                _why="exit 0 with other output"
            fi
        elif [ "$_rc" -eq 3 ]; then
            if grep -q "^akkoord-query: .*index '$D'" "err.$_n"; then
                refused=$((refused + 1))
            else
                _why="exit 3 without naming the index"
            fi
        elif [ "$_rc" -eq 124 ]; then
            _why="hang (killed after 20 s)"
        elif [ "$_rc" -eq 86 ]; then
            _why="sanitizer report"
        elif [ "$_rc" -gt 128 ]; then
            _why="signal $((_rc - 128))"
        else
            _why="exit $_rc"
        fi
        [ -z "$_why" ] ||
            printf '%s\t%s\t%s\t%s\n' "$_why" "$1" "$_n" \
                "$(grep -v '^ *#\|^$' "err.$_n" | head -n 1 | cut -c1-160)" >>fails
    done
}

# flip FILE OFFSET MASK: XOR the byte at OFFSET with MASK, in place.
flip() {
    _b=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
    printf "\\$(printf '%03o' $((_b ^ $3)))" |
        dd of="$1" bs=1 seek="$2" count=1 conv=notrunc 2>/dev/null
}

# offsets SIZE: the flip offsets of a file of SIZE bytes, one a line.
offsets() {
    awk -v n="$1" 'BEGIN {
        for (i = 0; i < 64 && i < n; i++) print i
        for (b = 0; b < n; b += 8192)      # glass block headers
            for (k = 0; k < 13; k += 3) if (b + k < n) print b + k
        for (k = 1; k < 64; k++) print int(n * k / 64)
        if (n > 0) print n - 1
    }' | sort -n -u
}

files=$(cd pristine && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
flips=0 cuts=0 m=0
for f in $files; do
    size=$(wc -c <"pristine/$f")
    [ "$size" -gt 0 ] || continue      # flintlock: nothing to damage
    for off in $(offsets "$size"); do
        case $((m % 4)) in 0) mask=255 ;; 1) mask=1 ;; 2) mask=128 ;; 3) mask=16 ;; esac
        m=$((m + 1))
        flip "$D/$f" "$off" "$mask"
        check "$f: byte $off ^ $mask"
        cp "pristine/$f" "$D/$f"
        flips=$((flips + 1))
    done
    for len in 0 1 $((size / 2)) $((size - 1)); do
        [ "$len" -lt "$size" ] || continue
        head -c "$len" "pristine/$f" >"$D/$f"
        check "$f: cut to $len bytes"
        cp "pristine/$f" "$D/$f"
        cuts=$((cuts + 1))
    done
done
tree_sums pristine >p.sums
tree_sums "$D" >d.sums
cmp -s p.sums d.sums || fail "the damaged copy was not restored"

# Files missing, or a directory in their place: always exit 3.
expect_refused() {
    before=$(wc -l <fails)
    check "$1"
    for _n in 1 2 3; do
        [ "$(cat "rc.$_n")" -eq 3 ] || [ "$(wc -l <fails)" -gt "$before" ] ||
            printf '%s\t%s\t%s\t\n' "exit 0, want 3" "$1" "$_n" >>fails
    done
}
for f in $files sections; do
    case ${f##*/} in                         # not read by queries: a lock,
    flintlock|akkoord-snapshot) continue ;;  # the indexer's ownership marker
    esac
    fresh
    rm -rf "${D:?}/$f"
    expect_refused "$f missing"
    if [ "$f" = manifest.json ]; then
        grep -q "^akkoord-query: index '$D' has no manifest.json$" err.1 ||
            printf '%s\t%s\t%s\t%s\n' "no 'has no manifest.json'" "$f missing" 1 \
                "$(head -n 1 err.1)" >>fails
    fi
    mkdir "$D/$f"
    expect_refused "a directory for $f"
done

# A file we may not read (as uid 65534 when we are root: root reads
# anything).
if [ "$(id -u)" -ne 0 ]; then
    AS=env
elif setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null; then
    AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
    chmod 755 "$SCRATCH"
fi
if [ -n "$AS" ]; then
    for f in $files; do
        case ${f##*/} in flintlock|akkoord-snapshot) continue ;; esac
        fresh
        chmod -R a+rX "$D" && chmod 000 "$D/$f"
        expect_refused "$f unreadable"
    done
    AS=""
else
    note "skipped the unreadable-file cases (root without setpriv)"
fi

echo "T43: $cases cases ($flips flipped bytes, $cuts cut files, the rest" \
     "missing, misplaced or unreadable files) x 3 commands: $same runs" \
     "with the undamaged output, $refused refused with exit 3"
if [ -s fails ]; then
    echo "failures by class, with the first cases of each (command 1 is"
    echo "search, 2 rank, 3 evaluate; then the first line of stderr):"
    cut -f1 fails | sort | uniq -c | sort -rn | while read -r n c; do
        printf '%5d %s\n' "$n" "$c"
        awk -F '\t' -v c="$c" '$1 == c && k++ < 4 {
            print "        " $2 " [" $3 "] " $4 }' fails
    done
    fail "$(wc -l <fails) runs on a damaged index crashed, hung, exited" \
         "with another code or did not name the index"
fi
exit 0
