#!/usr/bin/env python3
"""bench/evidence.py -- score evaluate's reports against bench/judged/.

Owns: matching judged sentences to report sentences (by their letters and
digits, so hyphen repair and spacing do not matter), the measures of
docs/judging.md section 4, and the side-by-side table.  Never: runs
akkoord (bench/evidence does) or fits anything.

usage: evidence.py JUDGED_DIR NAME=REPORT_DIR[:STAGES_TSV] ...
  REPORT_DIR holds evaluate -f json reports (<section with / as _>.json);
  STAGES_TSV is "id<TAB>stage" as akkoord reads each judged decision.
"""
import json
import os
import re
import sys
import unicodedata

VERDICTS = ["uitgevoerd", "in uitvoering", "geen beslissing gevonden",
            "niet toetsbaar"]


def key(text):
    t = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in t if c.isalnum())


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        rows = [line.rstrip("\n").split("\t") for line in f]
    head = rows[0]
    return [dict(zip(head, r)) for r in rows[1:] if r and r[0]]


def load_judged(d):
    sents = read_tsv(os.path.join(d, "sentences.tsv"))
    pairs = read_tsv(os.path.join(d, "pairs.tsv"))
    stages = read_tsv(os.path.join(d, "stages.tsv"))
    direct = {}
    for p in pairs:
        if p["label"] == "direct":
            direct.setdefault((p["section"], int(p["n"])), set()).add(
                p["decision"])
    for s in sents:
        for i in filter(None, s["direct"].split(",")):
            direct.setdefault((s["section"], int(s["n"])), set()).add(i)
    return sents, direct, stages


def report_sentences(report):
    """key -> (verdict, cited ids) for every sentence of a report."""
    refs = {r["n"]: r["id"] for r in report["references"]}
    out = {}
    for c in report["commitments"]:
        cited = {refs[x["ref"]] for x in c["citations"]}
        out[key(c["text"])] = (c["verdict"], cited)
    return out


def score(judged, rdir, stages_tsv):
    sents, direct, gold_stages = judged
    cache = {}
    pred = []
    for s in sents:
        sec = s["section"]
        if sec not in cache:
            path = os.path.join(rdir, sec.replace("/", "_") + ".json")
            with open(path, encoding="utf-8") as f:
                cache[sec] = report_sentences(json.load(f))
        got = cache[sec].get(key(s["text"]))
        # a sentence the report leaves out (the old method's boilerplate)
        # is a sentence it calls not checkable
        pred.append(got if got else ("niet toetsbaar", set()))
    gold = [s["verdict"] for s in sents]
    m = {}
    confusion = {}
    for g, p in zip(gold, pred):
        confusion[(g, p[0])] = confusion.get((g, p[0]), 0) + 1
    m["_confusion"] = confusion
    n = len(sents)
    m["sentences"] = n
    m["verdict agreement (4 classes)"] = sum(
        g == p[0] for g, p in zip(gold, pred)) / n
    chk = [i for i, g in enumerate(gold) if g != "niet toetsbaar"]
    m["verdict agreement, checkable"] = sum(
        gold[i] == pred[i][0] for i in chk) / len(chk)
    m["niet toetsbaar F1"] = f1(gold, [p[0] for p in pred], "niet toetsbaar")
    tp = sum(1 for g, p in zip(gold, pred) if g == p[0] == "uitgevoerd")
    npred = sum(1 for p in pred if p[0] == "uitgevoerd")
    ngold = sum(1 for g in gold if g == "uitgevoerd")
    m["uitgevoerd precision"] = tp / npred if npred else 0.0
    m["uitgevoerd recall"] = tp / ngold if ngold else 0.0
    m["uitgevoerd predicted"] = npred
    cited = hits = 0
    want = found = 0
    for s, p in zip(sents, pred):
        d = direct.get((s["section"], int(s["n"])), set())
        cited += len(p[1])
        hits += len(p[1] & d)
        if s["verdict"] != "niet toetsbaar":
            want += len(d)
            found += len(p[1] & d)
    m["citations"] = cited
    m["citation precision"] = hits / cited if cited else 0.0
    m["citation recall"] = found / want if want else 0.0
    if stages_tsv:
        with open(stages_tsv, encoding="utf-8") as f:
            got = dict(line.rstrip("\n").split("\t")[:2] for line in f)
        for sample in sorted({g["sample"] for g in gold_stages}):
            rows = [g for g in gold_stages if g["sample"] == sample]
            m["stage accuracy, sample " + sample] = sum(
                got.get(g["decision"]) == g["stage"] for g in rows) / len(rows)
        m["stage accuracy, all"] = sum(
            got.get(g["decision"]) == g["stage"] for g in gold_stages) / len(
                gold_stages)
    return m


def f1(gold, pred, cls):
    tp = sum(1 for g, p in zip(gold, pred) if g == p == cls)
    fp = sum(1 for g, p in zip(gold, pred) if p == cls and g != cls)
    fn = sum(1 for g, p in zip(gold, pred) if g == cls and p != cls)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def main(argv):
    if len(argv) < 3:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    judged = load_judged(argv[1])
    cols = []
    for arg in argv[2:]:
        name, rest = arg.split("=", 1)
        rdir, _, stages = rest.partition(":")
        cols.append((name, score(judged, rdir, stages or None)))
    names = [k for k in cols[0][1] if not k.startswith("_")]
    for _, m in cols[1:]:
        names += [k for k in m if k not in names and not k.startswith("_")]
    w = max(len(k) for k in names)
    print("%-*s  %s" % (w, "measure", "  ".join("%14s" % c for c, _ in cols)))
    for k in names:
        vals = []
        for _, m in cols:
            v = m.get(k)
            vals.append("%14s" % ("-" if v is None else
                                  v if isinstance(v, int) else "%.3f" % v))
        print("%-*s  %s" % (w, k, "  ".join(vals)))
    short = {"uitgevoerd": "uitg", "in uitvoering": "inuitv",
             "geen beslissing gevonden": "geen", "niet toetsbaar": "nt"}
    for name, m in cols:
        print("\nverdicts of %s (rows: judged, columns: akkoord)" % name)
        print("%8s" % "" + "".join("%8s" % short[v] for v in VERDICTS))
        for g in VERDICTS:
            print("%8s" % short[g] + "".join(
                "%8d" % m["_confusion"].get((g, p), 0) for p in VERDICTS))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
