#!/usr/bin/env python3
"""bench/gen_corpus.py -- synthetic decisions for the scale benchmark.

Writes N synthetic decisions (JSON Lines, the decisions format of
corpus/README.md) made by recombining the sentences and titles of a real
decisions file.  Deterministic: the same source file, N and seed give a
byte-identical output (also gzipped: the gzip header's mtime is 0).

    python3 bench/gen_corpus.py [-s SEED] [-o OUT[.gz]] SOURCE N

Each record: a random real title (1 in 4 with a stage or part suffix),
2-12 random real sentences, a date 2019-01-01..2024-12-31 or null (30 %),
kind nota (45 %) / mededeling (35 %) / null (20 %), a url (55 %), and a
unique id "S%010d".  Standard library only.
"""
import argparse
import datetime
import gzip
import io
import json
import random
import sys

SUFFIXES = (" - principiële goedkeuring", " - definitieve goedkeuring",
            " - bekrachtiging", " (deel 2)", " (tweede lezing)",
            " - addendum", " (wijziging)")


def load_pool(path):
    titles, sentences = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            r = json.loads(line)
            t = (r.get("title") or "").strip()
            if t:
                titles.append(t)
            for s in (r.get("text") or "").split(". "):
                s = s.strip()
                if len(s) >= 3:
                    sentences.append(s if s.endswith(".") else s + ".")
    # sort + dedupe: the pool does not depend on the source's line order
    return sorted(set(titles)), sorted(set(sentences))


def generate(out, titles, sentences, n, seed):
    rnd = random.Random(seed)
    day0 = datetime.date(2019, 1, 1).toordinal()
    ndays = datetime.date(2024, 12, 31).toordinal() - day0 + 1
    nt, ns = len(titles), len(sentences)
    dumps = json.JSONEncoder(ensure_ascii=False).encode
    buf = []
    for i in range(n):
        title = titles[int(rnd.random() * nt)]
        if rnd.random() < 0.25:
            title += SUFFIXES[int(rnd.random() * len(SUFFIXES))]
        k = 2 + int(rnd.random() * 11)                  # 2..12 sentences
        text = " ".join(sentences[int(rnd.random() * ns)] for _ in range(k))
        date = None
        if rnd.random() >= 0.30:
            date = datetime.date.fromordinal(
                day0 + int(rnd.random() * ndays)).isoformat()
        u = rnd.random()
        kind = "nota" if u < 0.45 else "mededeling" if u < 0.80 else None
        rec = {"id": "S%010d" % i, "date": date, "kind": kind,
               "title": title, "text": text}
        if rnd.random() < 0.55:
            rec["url"] = ("https://beslissingenvlaamseregering.vlaanderen.be/"
                          "document-view/S%010d" % i)
        buf.append(dumps(rec))
        if len(buf) >= 4096:
            out.write("\n".join(buf) + "\n")
            buf = []
    if buf:
        out.write("\n".join(buf) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("source", help="real decisions.jsonl")
    ap.add_argument("n", type=int, help="number of synthetic decisions")
    ap.add_argument("-s", "--seed", type=int, default=20240101)
    ap.add_argument("-o", "--output", default="-",
                    help="output file (.gz: gzip); default stdout")
    a = ap.parse_args()
    titles, sentences = load_pool(a.source)
    if not titles or not sentences:
        sys.exit("gen_corpus: no titles or sentences in %s" % a.source)
    if a.output == "-":
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8",
                               newline="\n")
        generate(out, titles, sentences, a.n, a.seed)
        out.flush()
    elif a.output.endswith(".gz"):
        with open(a.output, "wb") as raw, \
             gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                           compresslevel=6) as gz, \
             io.TextIOWrapper(gz, encoding="utf-8", newline="\n") as out:
            generate(out, titles, sentences, a.n, a.seed)
    else:
        with open(a.output, "w", encoding="utf-8", newline="\n") as out:
            generate(out, titles, sentences, a.n, a.seed)


if __name__ == "__main__":
    main()
