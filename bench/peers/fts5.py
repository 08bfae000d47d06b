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

import peerlib

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
    queries = [match(q, "AND") for q in peerlib.plain_queries(plain)]
    peerlib.latency(queries,
                    lambda q: con.execute(SQL_SEARCH, (q,)).fetchall(), rounds)


def rank(dbpath, agreement, n):
    """TREC run lines: each section's words ORed, ORDER BY bm25."""
    con = sqlite3.connect(dbpath)
    for sid, text in peerlib.sections(agreement):
        q = match(text, "OR")
        if not q:
            continue
        rows = con.execute("SELECT id, bm25(d) FROM d WHERE d MATCH ? "
                           "ORDER BY bm25(d) LIMIT ?", (q, n)).fetchall()
        for i, (did, score) in enumerate(rows):
            yield "%s Q0 %s %d %.4f fts5" % (sid, did, i + 1, -score)


if __name__ == "__main__":
    peerlib.main("fts5.py", index, search, rank)
