#!/usr/bin/env python3
"""totree.py -- write each decision as TREE/<id>.txt (title, blank line,
text), for omindex, which indexes files. Run once, outside the timing.

    totree.py DECISIONS TREE
"""
import json
import os
import sys

src, tree = sys.argv[1], sys.argv[2]
os.makedirs(tree, exist_ok=True)
with open(src, encoding="utf-8") as f:
    for line in f:
        if line.strip():
            d = json.loads(line)
            name = "".join(c for c in d["id"] if c.isalnum() or c in "-_.")
            with open(os.path.join(tree, name + ".txt"), "w",
                      encoding="utf-8") as o:
                o.write((d.get("title") or "") + "\n\n" + (d.get("text") or "") + "\n")
