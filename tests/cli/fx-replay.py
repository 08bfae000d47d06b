#!/usr/bin/env python3
"""fx-replay.py -- a replay of the search API for tests/cli/T55-fetch.sh.

Serves GET /news-items/search on 127.0.0.1 (a free port, written to
--port-file) from a JSON Lines file of items, as mu-search would: the
envelope {count, data, links}, page[size] and 0-based page[number],
filter[:gte,lt:meetingDate]=FROM,TO (half-open, on the date part),
sort[meetingDate]=asc|desc (ties by id).  It refuses (400) a query with a
raw '[' or ']' (the client must percent-encode them) and a page past the
10,000-item Elasticsearch window.

--faults "N:KIND,..." injects a fault into the N-th request (1-based):
  500       HTTP 500                slow    sleep --slow seconds, then serve
  trunc     Content-Length, half the body, close
  cut       no Content-Length, half the body, close
  past      the page with data [] (as if past the end)
  count     count + 1 in the envelope
  html      an HTML page, this request and every later one
  envelope  {"data": {}}, this request and every later one
  down500   HTTP 500, this request and every later one
Every request is logged to --log as JSON: n, window, size, page, count,
fault, past_end (a page beyond the real last page of a non-empty window).
"""
import argparse
import json
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FILTER = "filter[:gte,lt:meetingDate]"
STICKY = ("html", "envelope", "down500")


class State:
    def __init__(self, items, faults, log, slow):
        self.items, self.faults, self.slow = items, faults, slow
        self.log = open(log, "a", encoding="utf-8")
        self.n, self.sticky, self.lock = 0, None, threading.Lock()


def parse_faults(spec):
    out = {}
    for part in filter(None, (spec or "").split(",")):
        n, kind = part.split(":")
        out[int(n)] = kind
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *a):
        pass

    def send(self, code, body, ctype="application/vnd.api+json", length=True):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        if length:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
        self.end_headers()
        return body

    def do_GET(self):
        st = self.server.st
        with st.lock:
            st.n += 1
            n = st.n
            fault = st.faults.get(n)
            if fault in STICKY:
                st.sticky = fault
            fault = st.sticky or fault
        path, _, raw = self.path.partition("?")
        rec = {"n": n, "fault": fault, "raw": raw}
        try:
            code, body = self.page(path, raw, fault, rec)
        except (KeyError, ValueError) as e:
            code, body = 400, json.dumps({"errors": [str(e)]}).encode()
        rec["status"] = code
        st.log.write(json.dumps(rec) + "\n")
        st.log.flush()
        if fault == "slow":
            time.sleep(st.slow)
        if fault in ("trunc", "cut"):
            self.send(code, body, length=fault == "trunc")
            self.wfile.write(body[:len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        if fault == "html":
            body = self.send(200, b"<html><body>Service Unavailable</body></html>",
                             "text/html")
        elif fault in ("500", "down500"):
            body = self.send(500, b'{"errors":[{"status":"500"}]}')
        else:
            self.send(code, body)
        self.wfile.write(body)

    def page(self, path, raw, fault, rec):
        if path != "/news-items/search":
            raise KeyError("no such path %r" % path)
        if "[" in raw or "]" in raw:
            raise ValueError("unencoded bracket in %r" % raw)
        q = {k: v[-1] for k, v in urllib.parse.parse_qs(raw, strict_parsing=True).items()}
        size, page = int(q["page[size]"]), int(q.get("page[number]", "0"))
        if size < 1 or page < 0 or (page + 1) * size > 10000:
            raise ValueError("result window too large")
        lo, hi = q[FILTER].split(",")
        desc = q.get("sort[meetingDate]", "asc") == "desc"
        sel = [it for it in self.server.st.items
               if lo <= (it["attributes"]["meetingDate"] or "")[:10] < hi]
        sel.sort(key=lambda it: (it["attributes"]["meetingDate"], it["id"]),
                 reverse=desc)
        data = sel[page * size:(page + 1) * size]
        count = len(sel)
        rec.update(window=[lo, hi], size=size, page=page, count=count,
                   past_end=bool(sel) and page * size >= count)
        if fault == "past":
            data = []
        if fault == "count":
            count += 1
        if fault == "envelope":
            return 200, b'{"data":{}}'
        base = "/news-items/search?" + raw
        env = {"count": count, "data": data,
               "links": {k: base for k in ("self", "first", "last", "prev", "next")}}
        return 200, json.dumps(env, ensure_ascii=False,
                               separators=(",", ":")).encode("utf-8")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--items", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--faults", default="")
    ap.add_argument("--slow", type=float, default=3.0)
    a = ap.parse_args()
    with open(a.items, encoding="utf-8") as f:
        items = [json.loads(l) for l in f if l.strip()]
    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    srv.daemon_threads = True
    # a client that timed out (the slow fault) closes first: not an error
    srv.handle_error = lambda request, address: None
    srv.st = State(items, parse_faults(a.faults), a.log, a.slow)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % srv.server_address[1])
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    srv.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
