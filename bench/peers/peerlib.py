"""peerlib.py -- what the Python peers of bench/perf share: the latency
loop over the plain queries, the agreement sections, and the command line
(index | search | rank), so each peer only says how it indexes, searches
and ranks.
"""
import json
import sys
import time


def latency(queries, run_one, rounds):
    """Run every query `rounds` times (round 0 warms up); print the p50,
    p95 and mean latency in ms."""
    times = []
    for r in range(rounds):
        for q in queries:
            t0 = time.perf_counter()
            run_one(q)
            t = time.perf_counter() - t0
            if r > 0:
                times.append(t)
    times.sort()
    k = len(times)
    print("%.4f %.4f %.4f" % (times[k // 2] * 1e3, times[int(k * 0.95)] * 1e3,
                              sum(times) / k * 1e3))


def plain_queries(path):
    return [q.strip() for q in open(path, encoding="utf-8") if q.strip()]


def sections(agreement):
    """(id, text) of every agreement section, in file order."""
    for line in open(agreement, encoding="utf-8"):
        if line.strip():
            s = json.loads(line)
            yield s["id"], s.get("text") or ""


def main(name, index, search, rank):
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "index":
        index(sys.argv[2], sys.argv[3])
    elif cmd == "search":
        search(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "rank":
        out = [line for line in rank(sys.argv[2], sys.argv[3],
                                     int(sys.argv[4]))]
        sys.stdout.write("\n".join(out) + "\n")
    else:
        sys.exit("usage: %s index|search|rank ..." % name)
