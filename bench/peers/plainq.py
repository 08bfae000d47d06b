#!/usr/bin/env python3
"""plainq.py -- turn bench/queries.txt into plain-word queries for the peers.

akkoord-specific syntax is dropped: quotes, boolean operators (NOT and the
word it negates, AND, OR), field prefixes (title:, kind:, year: -- the value
is kept as a plain word) and date ranges (a..b, dropped). One query a line.

    plainq.py QUERIES > PLAIN
"""
import re
import sys

out = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.strip()
    if not line or line.startswith("#"):
        continue
    words = line.replace('"', " ").split()
    keep, skip = [], False
    for w in words:
        if skip:
            skip = False
            continue
        if w == "NOT":
            skip = True
            continue
        if w in ("AND", "OR"):
            continue
        if ".." in w:
            continue
        w = re.sub(r"^[a-z]+:", "", w)
        if w:
            keep.append(w)
    out.append(" ".join(keep))
sys.stdout.write("\n".join(out) + "\n")
