#!/usr/bin/python3
"""fts5.py -- peer for bench/perf: the same corpus in SQLite FTS5.

    fts5.py index DECISIONS DB       fts5(id UNINDEXED, title, text,
                                     tokenize='unicode61 remove_diacritics 2'),
                                     executemany in one transaction
    fts5.py search DB PLAIN ROUNDS   in-process latency: MATCH (words ANDed,
                                     like akkoord search) ORDER BY bm25
                                     LIMIT 10, with title and snippet()
    fts5.py rank DB AGREEMENT N      each section's words ORed, ORDER BY
                                     bm25 LIMIT N

No stemming: FTS5 has no Dutch stemmer (only porter, for English).
"""
import json
import re
import sqlite3
import sys
import time

WORD = re.compile(r"\w+", re.UNICODE)


def index(src, dbpath):
    con = sqlite3.connect(dbpath)
    con.execute("CREATE VIRTUAL TABLE d USING fts5(id UNINDEXED, title, text, "
                "tokenize='unicode61 remove_diacritics 2')")

    def rows():
        with open(src, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    yield r["id"], r.get("title") or "", r.get("text") or ""

    with con:
        con.executemany("INSERT INTO d(id, title, text) VALUES (?, ?, ?)",
                        rows())
    con.close()


def match(text, op):
    words = []
    for w in WORD.findall(text):
        if w.lower() not in words:
            words.append(w.lower())
    return (" %s " % op).join('"%s"' % w for w in words)


SQL_SEARCH = ("SELECT id, title, snippet(d, 2, '[', ']', '...', 24) FROM d "
              "WHERE d MATCH ? ORDER BY bm25(d) LIMIT 10")


def search(dbpath, plain, rounds):
    con = sqlite3.connect(dbpath)
    queries = [match(q, "AND") for q in open(plain, encoding="utf-8")
               if q.strip()]
    times = []
    for r in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            con.execute(SQL_SEARCH, (q,)).fetchall()
            t = time.perf_counter() - t0
            if r > 0:
                times.append(t)
    times.sort()
    k = len(times)
    print("%.4f %.4f %.4f" % (times[k // 2] * 1e3, times[int(k * 0.95)] * 1e3,
                              sum(times) / k * 1e3))


def rank(dbpath, agreement, n):
    con = sqlite3.connect(dbpath)
    out = []
    for line in open(agreement, encoding="utf-8"):
        if not line.strip():
            continue
        s = json.loads(line)
        q = match(s.get("text") or "", "OR")
        if not q:
            continue
        rows = con.execute("SELECT id, bm25(d) FROM d WHERE d MATCH ? "
                           "ORDER BY bm25(d) LIMIT ?", (q, n)).fetchall()
        for i, (did, score) in enumerate(rows):
            out.append("%s Q0 %s %d %.4f fts5" % (s["id"], did, i + 1, -score))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    cmd = sys.argv[1]
    if cmd == "index":
        index(sys.argv[2], sys.argv[3])
    elif cmd == "search":
        search(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "rank":
        rank(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    else:
        sys.exit("usage: fts5.py index|search|rank ...")
