#!/usr/bin/env python3
"""bench/serve_load.py -- load client and hostile probes for akkoord-query serve.

Owns: the request mix, the latency figures, the swap in the middle of the
load, the malformed-request probes.  Never: touches anything but the
server at --base (127.0.0.1) and, with --swap-cmd, runs that command once.
Python 3 standard library only.

  serve_load.py --base URL [--requests N] [--concurrency C] [--seed S]
                [--swap-cmd CMD --swap-wait-log FILE [--swap-regex RE]]
  serve_load.py --base URL --malformed [--trickle]

Load: about 60 % pages (front page, method, sections.json, the assets,
every s/ page of sections.json, d/ pages harvested from a few section
pages) and 40 % searches of words of the section titles (some page=2),
over one keep-alive connection per worker thread.  A request fails on a
connection error or timeout, a status other than 200, or an empty body.
With --swap-cmd the command runs once (in a thread) when half the
requests are done; the load goes on until the swap is logged in
--swap-wait-log (bounded by --swap-timeout after the command ends), N
requests are done, and some requests have been answered after the swap.

--malformed: the hostile requests on raw sockets, all at once, one line
each; each must be answered 4xx or closed within --probe-timeout, never
5xx nor with the content of /etc/passwd; then GET / must still work.

Exit status: 0 all fine; 1 a request failed, the swap failed or was not
logged, or a probe failed; 2 usage error.
"""
import argparse
import http.client
import json
import random
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse

CITE_RE = re.compile(r'<a class="cite" href="\.\./(d/[^"]+\.html)"')
RESULT_RE = re.compile(r'<li class="result"')
WORD_RE = re.compile(r"[^\W\d_]{4,}", re.U)
# words the query parser may take as operators
OPERATORS = {"and", "not", "near", "adj", "xor"}


def die(msg):
    sys.stderr.write("serve_load: %s\n" % msg)
    sys.exit(1)


def pct(v, p):
    """The p-th percentile (nearest rank) of the sorted list v, in ms."""
    if not v:
        return 0.0
    k = max(0, min(len(v) - 1, int(round(p / 100.0 * len(v) + 0.5)) - 1))
    return v[k] * 1000.0


class Conn:
    """One keep-alive connection; reconnects when the server closed it."""

    def __init__(self, host, port, timeout):
        self.host, self.port, self.timeout = host, port, timeout
        self.c = None
        self.retries = 0         # requests sent again on a new connection

    def get(self, path):
        """(status, body) or raises OSError / http.client.HTTPException."""
        for attempt in (0, 1):
            fresh = self.c is None
            if fresh:
                self.c = http.client.HTTPConnection(self.host, self.port,
                                                    timeout=self.timeout)
            try:
                self.c.request("GET", path)
                r = self.c.getresponse()
                body = r.read()
                if r.will_close:
                    self.close()
                return r.status, body
            except (http.client.RemoteDisconnected, BrokenPipeError,
                    ConnectionResetError, http.client.CannotSendRequest,
                    http.client.BadStatusLine) as e:
                # a kept-alive connection the server closed meanwhile: once
                # more on a new one (a fresh one failing is a failure)
                self.close()
                if fresh or attempt:
                    raise e
                self.retries += 1
        raise OSError("unreachable")

    def close(self):
        if self.c is not None:
            try:
                self.c.close()
            except OSError:
                pass
        self.c = None


def harvest(conn, seed, nsec):
    """The page paths and search words of the site."""
    st, body = conn.get("/sections.json")
    if st != 200:
        die("GET /sections.json: %d" % st)
    try:
        secs = json.loads(body.decode("utf-8"))
    except ValueError as e:
        die("/sections.json does not parse: %s" % e)
    if not secs:
        die("/sections.json lists no sections")
    pages = ["/", "/index.html", "/method.html", "/sections.json",
             "/style.css", "/filter.js"]
    spages = ["/" + s["href"] for s in secs]
    rnd = random.Random(seed)
    dpages = set()
    for p in rnd.sample(spages, min(nsec, len(spages))):
        st, body = conn.get(p)
        if st != 200:
            die("GET %s: %d" % (p, st))
        dpages.update("/" + d for d in CITE_RE.findall(body.decode("utf-8")))
    words = set()
    for s in secs:
        for w in WORD_RE.findall(s["title"]):
            w = w.lower()
            if w not in OPERATORS:
                words.add(w)
    if not words:
        die("no search words in the section titles")
    return pages, spages, sorted(dpages), sorted(words)


def plan(seed, pages, spages, dpages, words):
    """A deterministic endless sequence of (kind, path)."""
    rnd = random.Random(seed * 7919 + 1)
    while True:
        r = rnd.random()
        if r < 0.60:
            r2 = rnd.random()
            if r2 < 0.15 or not (spages or dpages):
                path = rnd.choice(pages)
            elif r2 < 0.60 or not dpages:
                path = rnd.choice(spages)
            else:
                path = rnd.choice(dpages)
            yield "page", path
        else:
            q = " ".join(rnd.sample(words, 1 if rnd.random() < 0.6 else 2))
            path = "/search?q=" + urllib.parse.quote(q)
            if rnd.random() < 0.25:
                path += "&page=2"
            yield "search", path


class Load:
    def __init__(self, a, host, port, seq):
        self.a, self.host, self.port = a, host, port
        self.seq = seq
        self.lock = threading.Lock()
        self.started = 0
        self.done = 0
        self.lat = {"page": [], "search": []}
        self.fails = []          # (phase, kind, path, why)
        self.phase_n = {"before": 0, "during": 0, "after": 0}
        self.phase_fail = {"before": 0, "during": 0, "after": 0}
        self.phase_lat = {"before": [], "during": [], "after": []}
        self.phase = "before"
        self.swap_started = None
        self.swap_logged = None
        self.swap_cmd_done = None
        self.swap_error = None
        self.after_min = 0
        self.stop = False
        self.retries = 0

    def want_more(self):
        """Under self.lock: may one more request start?"""
        if self.stop:
            return False
        if self.started < self.a.requests:
            return True
        if not self.a.swap_cmd:
            return False
        if self.swap_error:
            return False
        return self.swap_logged is None or \
            self.phase_n["after"] + (self.started - self.done) < self.after_min

    def worker(self):
        conn = Conn(self.host, self.port, self.a.timeout)
        while True:
            with self.lock:
                if not self.want_more():
                    break
                self.started += 1
                kind, path = next(self.seq)
                phase = self.phase
            t0 = time.monotonic()
            why = None
            try:
                st, body = conn.get(path)
                if st != 200:
                    why = "status %d" % st
                elif not body:
                    why = "empty body"
                elif kind == "search" and b'<p class="count">' not in body:
                    why = "no p.count in the search page"
            except (OSError, http.client.HTTPException) as e:
                why = "%s: %s" % (type(e).__name__, e)
                conn.close()
            dt = time.monotonic() - t0
            with self.lock:
                self.done += 1
                # a request counts in the phase it started in, or "during"
                # when the swap began or ended while it ran
                end = self.phase
                ph = phase if phase == end else "during"
                self.phase_n[ph] += 1
                self.phase_lat[ph].append(dt)
                self.lat[kind].append(dt)
                if why:
                    self.phase_fail[ph] += 1
                    self.fails.append((ph, kind, path, why))
                if self.a.swap_cmd and self.swap_started is None and \
                        self.done >= self.a.requests // 2:
                    self.swap_started = time.monotonic()
                    self.phase = "during"
                    threading.Thread(target=self.swapper, daemon=True).start()
        conn.close()
        with self.lock:
            self.retries += conn.retries

    def swapper(self):
        a = self.a
        try:
            off = 0
            if a.swap_wait_log:
                try:
                    with open(a.swap_wait_log, "rb") as f:
                        off = len(f.read())
                except OSError:
                    off = 0
            p = subprocess.run(a.swap_cmd, shell=True, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT,
                               timeout=a.swap_cmd_timeout)
            self.swap_cmd_done = time.monotonic()
            if p.returncode != 0:
                raise RuntimeError("swap command exited %d: %s" % (
                    p.returncode, p.stdout.decode("utf-8", "replace")[-300:]))
            if a.swap_wait_log:
                rx = re.compile(a.swap_regex.encode("utf-8"))
                limit = time.monotonic() + a.swap_timeout
                while True:
                    try:
                        with open(a.swap_wait_log, "rb") as f:
                            f.seek(off)
                            if rx.search(f.read()):
                                break
                    except OSError:
                        pass
                    if time.monotonic() > limit:
                        raise RuntimeError("the swap was not logged in %s "
                                           "within %g s after the command "
                                           "ended" % (a.swap_wait_log,
                                                      a.swap_timeout))
                    time.sleep(0.1)
            with self.lock:
                self.swap_logged = time.monotonic()
                self.phase = "after"
                self.after_min = max(1, min(200, a.requests // 10))
        except Exception as e:      # reported, ends the load
            with self.lock:
                self.swap_error = str(e)
                self.phase = "after"


def run_load(a):
    u = urllib.parse.urlsplit(a.base)
    if u.scheme != "http" or not u.hostname:
        die("--base must be http://HOST:PORT/")
    host, port = u.hostname, u.port or 80
    c = Conn(host, port, a.timeout)
    try:
        pages, spages, dpages, words = harvest(c, a.seed, a.harvest)
    except (OSError, http.client.HTTPException) as e:
        die("cannot reach %s: %s" % (a.base, e))
    c.close()
    print("site: %d s/ pages, %d d/ pages harvested from %d sections, "
          "%d search words" % (len(spages), len(dpages),
                                min(a.harvest, len(spages)), len(words)))
    L = Load(a, host, port, plan(a.seed, pages, spages, dpages,
                                 words))
    t0 = time.monotonic()
    th = [threading.Thread(target=L.worker, daemon=True)
          for _ in range(a.concurrency)]
    for t in th:
        t.start()
    for t in th:
        t.join()
    wall = time.monotonic() - t0
    allv = sorted(L.lat["page"] + L.lat["search"])
    n = len(allv)
    nf = len(L.fails)
    print("requests %d  failed %d  p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  "
          "max %.1f ms  %.0f requests/s  (%d at a time, %.1f s)"
          % (n, nf, pct(allv, 50), pct(allv, 90), pct(allv, 99),
             allv[-1] * 1000 if allv else 0, n / wall if wall else 0,
             a.concurrency, wall))
    print("  kept-alive connections closed by the server and the request "
          "sent again: %d" % L.retries)
    for k in ("page", "search"):
        v = sorted(L.lat[k])
        print("  %-6s %5d  p50 %.1f ms  p99 %.1f ms  max %.1f ms"
              % (k, len(v), pct(v, 50), pct(v, 99), v[-1] * 1000 if v else 0))
    bad = nf > 0
    if a.swap_cmd:
        if L.swap_error:
            print("swap: FAILED: %s" % L.swap_error)
            bad = True
        elif L.swap_logged is None:
            print("swap: FAILED: never started (fewer than %d requests done)"
                  % (a.requests // 2))
            bad = True
        else:
            print("swap: command %.1f s, logged %.1f s after it started; "
                  "requests before %d, during %d, after %d; failed before "
                  "%d, during %d, after %d"
                  % (L.swap_cmd_done - L.swap_started,
                     L.swap_logged - L.swap_started, L.phase_n["before"],
                     L.phase_n["during"], L.phase_n["after"],
                     L.phase_fail["before"], L.phase_fail["during"],
                     L.phase_fail["after"]))
            print("  " + "  ".join(
                "%s p50 %.1f ms p99 %.1f ms" % (ph, pct(v, 50), pct(v, 99))
                for ph, v in ((ph, sorted(L.phase_lat[ph]))
                              for ph in ("before", "during", "after"))))
            if not (L.phase_n["before"] and L.phase_n["during"] and
                    L.phase_n["after"]):
                print("swap: FAILED: no requests in one of the phases")
                bad = True
    for ph, k, p, why in L.fails[:10]:
        print("  failed (%s swap) %s %s: %s" % (ph, k, p[:120], why))
    if nf > 10:
        print("  ... and %d more failures" % (nf - 10))
    return 1 if bad else 0


# ------------------------------------------------------------- probes
def raw(host, port, data, timeout, trickle=b""):
    """Send data on a new connection (then trickle, one byte every 2 s);
    return (status or None, all bytes received, closed, seconds).  Status
    None and closed: the server closed without an answer."""
    t0 = time.monotonic()
    s = socket.create_connection((host, port), timeout=timeout)
    buf = b""
    closed = False
    try:
        try:
            s.sendall(data)
        except OSError:
            pass                 # the server may close while we send
        limit = t0 + timeout
        i = 0
        while True:
            left = limit - time.monotonic()
            if left <= 0:
                break
            if trickle:
                try:
                    s.sendall(trickle[i % len(trickle):i % len(trickle) + 1])
                except OSError:
                    closed = True
                    break
                i += 1
                left = min(left, 2.0)
            s.settimeout(left)
            try:
                b = s.recv(65536)
            except socket.timeout:
                continue
            except OSError:      # reset: closed
                closed = True
                break
            if not b:
                closed = True
                break
            buf += b
    finally:
        s.close()
    m = re.match(rb"HTTP/1\.[01] (\d{3})", buf)
    st = int(m.group(1)) if m else None
    return st, buf, closed, time.monotonic() - t0


def req(path):
    return (b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Connection: close\r\n\r\n")


def run_probes(a):
    u = urllib.parse.urlsplit(a.base)
    host, port = u.hostname, u.port or 80
    big = b"/search?q=" + b"a" * (1 << 20)
    # (name, request, note): each must be answered 4xx or closed, never 5xx
    # and never with the content of /etc/passwd.  With a note, a server
    # that answers otherwise (but not 5xx and without a leak) is reported
    # "note" with it, not failed: known deviations, not hazards.
    probes = [
        ("traversal /../../etc/passwd", req(b"/../../etc/passwd"), None),
        ("traversal /%2e%2e/%2e%2e/etc/passwd",
         req(b"/%2e%2e/%2e%2e/etc/passwd"), None),
        ("traversal /s/..%2f..%2f..%2fetc%2fpasswd",
         req(b"/s/..%2f..%2f..%2fetc%2fpasswd"), None),
        ("traversal //etc/passwd", req(b"//etc/passwd"), None),
        ("traversal /s/../../../../etc/passwd (raw)",
         req(b"/s/../../../../etc/passwd"), None),
        ("traversal /d/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
         req(b"/d/%2e%2e%2f%2e%2e%2fetc%2fpasswd"), None),
        ("unknown path /etc/passwd", req(b"/etc/passwd"), None),
        ("bad UTF-8 q=%ff%fe", req(b"/search?q=%ff%fe"), None),
        ("bad UTF-8 q=%c0%af (overlong)", req(b"/search?q=%c0%af"), None),
        ("q of 501 bytes", req(b"/search?q=" + b"a" * 501), None),
        ("1 MB query", req(big), None),
        ("URL of 3000 bytes", req(b"/s/" + b"a" * 3000 + b".html"), None),
        ("overlong page number",
         req(b"/search?q=klimaat&page=" + b"9" * 40), None),
        ("page=0", req(b"/search?q=klimaat&page=0"), None),
        ("page=101", req(b"/search?q=klimaat&page=101"), None),
        ("page=-1", req(b"/search?q=klimaat&page=-1"), None),
        ("page=2x", req(b"/search?q=klimaat&page=2x"), None),
        ("POST with a body",
         b"POST /search HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
         b"application/x-www-form-urlencoded\r\nContent-Length: 9\r\n"
         b"Connection: close\r\n\r\nq=klimaat", None),
        ("POST without a body",
         b"POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n"
         b"Connection: close\r\n\r\n", None),
        ("DELETE /", b"DELETE / HTTP/1.1\r\nHost: 127.0.0.1\r\n"
         b"Connection: close\r\n\r\n", None),
        ("garbage request line",
         b"\x16\x03\x01garbage \xff\xfe !!\r\n\r\n", None),
        ("garbage request line with NUL",
         b"\x00\x01garbage \xff\r\n\r\n", None),
        ("request line without a version", b"GET /\r\n\r\n", None),
        ("never-ending request", b"GET / HTTP/1.1\r\nHost: x\r\n", None),
        ("HTTP/1.1 without Host",
         b"GET / HTTP/1.1\r\nConnection: close\r\n\r\n",
         "RFC 9112 wants 400; libmicrohttpd's default is lenient"),
        ("NUL in the path /index.html%00.txt", req(b"/index.html%00.txt"),
         "the path is cut at the %00 and index.html served"),
    ]
    if a.trickle:
        probes.append(("request trickled 1 byte / 2 s",
                       b"GET / HTTP/1.1\r\nHost: x\r\n",
                       "still open: the timeout is per idle period, a "
                       "trickled request is never cut"))
    # all at once (the slow ones wait for the server's timeout together)
    res = [None] * len(probes)

    def one(i):
        try:
            res[i] = raw(host, port, probes[i][1], a.probe_timeout,
                         b"X-a: b\r\n" if "trickled" in probes[i][0] else b"")
        except OSError as e:
            res[i] = e
    th = [threading.Thread(target=one, args=(i,)) for i in range(len(probes))]
    for t in th:
        t.start()
    for t in th:
        t.join()
    bad = notes = 0
    for (name, data, note), r in zip(probes, res):
        if isinstance(r, Exception):
            print("FAIL  %-44s cannot connect: %s" % (name, r))
            bad += 1
            continue
        st, buf, closed, dt = r
        if st is None:
            got = "closed without an answer" if closed else \
                "no answer, still open after %g s" % a.probe_timeout
            ok = closed
        else:
            got = "%d" % st
            ok = 400 <= st < 500
        hazard = (st is not None and st >= 500) or b"root:" in buf
        if b"root:" in buf:
            got += ", and the answer contains 'root:'"
        if hazard or (not ok and not note):
            tag = "FAIL"
            bad += 1
        elif not ok:
            tag = "note"
            got += " (%s)" % note
            notes += 1
        else:
            tag = "ok"
        print("%-5s %-44s %s in %.2f s" % (tag, name, got, dt))
    # the server survived
    c = Conn(host, port, a.timeout)
    try:
        st, body = c.get("/")
        ok = st == 200 and b'<table id="totals">' in body
        got = "%d, %d bytes" % (st, len(body))
    except (OSError, http.client.HTTPException) as e:
        ok, got = False, str(e)
    c.close()
    print("%-5s %-44s %s" % ("ok" if ok else "FAIL", "GET / after the probes",
                             got))
    bad += not ok
    print("probes: %d, failed %d, notes %d" % (len(probes) + 1, bad, notes))
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="http://127.0.0.1:PORT/")
    ap.add_argument("--requests", type=int, default=5000)
    ap.add_argument("--concurrency", type=int, default=32)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0,
                    help="seconds per request (default 30)")
    ap.add_argument("--harvest", type=int, default=16,
                    help="section pages read for d/ links (default 16)")
    ap.add_argument("--swap-cmd", help="shell command run once at N/2")
    ap.add_argument("--swap-cmd-timeout", type=float, default=600.0)
    ap.add_argument("--swap-wait-log", metavar="FILE",
                    help="the server's stderr log, to wait for the swap")
    ap.add_argument("--swap-regex", default=r"serve: swapped in snapshot",
                    help="what the log says after a swap")
    ap.add_argument("--swap-timeout", type=float, default=60.0,
                    help="seconds to wait for the log after the command")
    ap.add_argument("--malformed", action="store_true",
                    help="run the hostile probes instead of the load")
    ap.add_argument("--probe-timeout", type=float, default=30.0,
                    help="seconds a probe waits for an answer or a close")
    ap.add_argument("--trickle", action="store_true",
                    help="with --malformed: also a request trickled slowly "
                    "(takes --probe-timeout seconds)")
    a = ap.parse_args()
    if a.requests < 1 or a.concurrency < 1 or a.harvest < 0:
        ap.error("--requests and --concurrency must be positive")
    if a.swap_wait_log and not a.swap_cmd:
        ap.error("--swap-wait-log needs --swap-cmd")
    sys.exit(run_probes(a) if a.malformed else run_load(a))


if __name__ == "__main__":
    main()
