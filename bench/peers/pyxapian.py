#!/usr/bin/python3
"""pyxapian.py -- peer for bench/perf: the same corpus with python3-xapian.

    pyxapian.py index DECISIONS DB      build (TermGenerator, Stem('dutch'),
                                        positions, STEM_SOME)
    pyxapian.py search DB PLAIN ROUNDS  in-process latency of the plain
                                        queries: QueryParser (AND, like
                                        akkoord search) + get_mset(0, 10) +
                                        title + snippet of each hit
    pyxapian.py rank DB AGREEMENT N     every section's text as one
                                        QueryParser query (OR, BM25), top N

Document data is "title\\ntext" (a snippet needs the text; akkoord also
stores it), plus the unique-id term Q<id>.
"""
import json

import xapian

import peerlib

STEM = xapian.Stem("dutch")


def index(src, dbpath):
    db = xapian.WritableDatabase(dbpath, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_stemmer(STEM)
    tg.set_stemming_strategy(xapian.TermGenerator.STEM_SOME)
    db.begin_transaction()
    with open(src, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            d = json.loads(line)
            title, text = d.get("title") or "", d.get("text") or ""
            doc = xapian.Document()
            tg.set_document(doc)
            tg.index_text(title)
            tg.increase_termpos()
            tg.index_text(text)
            doc.set_data(title + "\n" + text)
            doc.add_boolean_term("Q" + d["id"])
            db.replace_document("Q" + d["id"], doc)
    db.commit_transaction()
    db.close()


def parser(db, op):
    qp = xapian.QueryParser()
    qp.set_stemmer(STEM)
    qp.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
    qp.set_database(db)
    qp.set_default_op(op)
    return qp


def search(dbpath, plain, rounds):
    db = xapian.Database(dbpath)
    qp = parser(db, xapian.Query.OP_AND)
    enq = xapian.Enquire(db)

    def run_one(q):
        enq.set_query(qp.parse_query(q))
        mset = enq.get_mset(0, 10)
        for m in mset:
            data = m.document.get_data().decode("utf-8")
            title, _, text = data.partition("\n")
            mset.snippet(text, 200, STEM)

    peerlib.latency(peerlib.plain_queries(plain), run_one, rounds)


def rank(dbpath, agreement, n):
    """TREC run lines: every section's text as one QueryParser query."""
    db = xapian.Database(dbpath)
    qp = parser(db, xapian.Query.OP_OR)
    enq = xapian.Enquire(db)
    for sid, text in peerlib.sections(agreement):
        try:
            q = qp.parse_query(text)
        except xapian.QueryParserError:
            q = qp.parse_query(text, 0)
        enq.set_query(q)
        for i, m in enumerate(enq.get_mset(0, n)):
            yield "%s Q0 %d %d %.4f pyxapian" % (sid, m.docid, i + 1, m.weight)


if __name__ == "__main__":
    peerlib.main("pyxapian.py", index, search, rank)
