"""site_check.py -- checks of a site written by `akkoord-query site`
(docs/site.md), shared by T70 (shared corpus) and T71 (hostile corpus).

  python3 site_check.py links DIR            every internal href/src of every
                                             page resolves to a file of DIR,
                                             every #fragment to an id there
  python3 site_check.py tidy DIR             every page passes tidy -e (no
                                             error, no warning)
  python3 site_check.py totals DIR JSONDIR   the front page's totals and rows
                                             equal index.json of evaluate --all
                                             -f json; each section page shows
                                             each checkable commitment of its
                                             JSON report with its verdict
  python3 site_check.py safe DIR             no element, attribute or link the
                                             site does not write itself: no
                                             <script> but filter.js, no on*
                                             attribute, no href/src outside
                                             the site but http(s)
Exit 1 with the problems listed on stderr.
"""
import html.parser
import json
import os
import subprocess
import sys
import urllib.parse

ALLOWED_TAGS = set("""html head meta title link body header main footer nav
section h1 h2 h3 p a ul ol li table thead tbody tr th td caption span strong
em code time svg rect text line title q blockquote dl dt dd pre label input
output form button script""".split())


class Page(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.ids, self.links, self.attrs = [], set(), [], []
        self.stack, self.text = [], {}
        self.cur = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append((tag, a))
        if "id" in a:
            self.ids.add(a["id"])
        for k, v in attrs:
            self.attrs.append((tag, k, v))
            if k in ("href", "src", "action"):
                self.links.append((tag, k, v or ""))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def pages(d):
    for root, _, files in os.walk(d):
        for f in sorted(files):
            if f.endswith(".html"):
                yield os.path.join(root, f)


def parse(path):
    p = Page()
    with open(path, encoding="utf-8") as f:
        p.feed(f.read())
    return p


def check_links(d):
    probs, parsed = [], {}
    for path in pages(d):
        parsed[path] = parse(path)
    for path, p in parsed.items():
        for tag, k, v in p.links:
            u = urllib.parse.urlsplit(v)
            if u.scheme in ("http", "https") or (k == "action" and v == "/search"):
                continue
            if u.scheme or u.netloc:
                probs.append("%s: %s=%r leaves the site" % (path, k, v))
                continue
            target = os.path.normpath(os.path.join(os.path.dirname(path),
                                                   urllib.parse.unquote(u.path))) if u.path else path
            if not os.path.realpath(target).startswith(os.path.realpath(d) + os.sep):
                probs.append("%s: %s=%r points outside the site" % (path, k, v))
            elif not os.path.isfile(target):
                probs.append("%s: %s=%r: no such file" % (path, k, v))
            elif u.fragment:
                tp = parsed.get(target) or parse(target)
                if u.fragment not in tp.ids:
                    probs.append("%s: %s=%r: no id %r there" % (path, k, v, u.fragment))
    return probs, len(parsed)


def check_tidy(d):
    probs = []
    n = 0
    for path in pages(d):
        n += 1
        r = subprocess.run(["tidy", "-q", "-e", "--show-warnings", "yes", path],
                           capture_output=True, text=True)
        if r.returncode != 0 or r.stderr.strip():
            probs.append("%s: tidy: %s" % (path, r.stderr.strip().splitlines()[:3]))
    return probs, n


KEYS = {"uitgevoerd": "done", "in uitvoering": "in_progress",
        "geen beslissing gevonden": "none", "niet toetsbaar": "not_checkable"}


def check_totals(d, jd):
    probs = []
    ov = json.load(open(os.path.join(jd, "index.json"), encoding="utf-8"))
    front = parse(os.path.join(d, "index.html"))
    rows = [a["data-id"] for t, a in front.tags if t == "tr" and "data-id" in a]
    want = [s["id"] for s in ov["sections"]]
    if rows != want:
        probs.append("front page: %d section rows, want the %d of index.json in order"
                     % (len(rows), len(want)))
    # the totals: <tr data-verdict=KEY> ... <td class="n">N</td>
    src = open(os.path.join(d, "index.html"), encoding="utf-8").read()
    for key in ("done", "in_progress", "none", "not_checkable"):
        at = src.find('<tr data-verdict="%s">' % key)
        n = src.find('<td class="n">', at)
        got = src[n + 14:src.find("<", n + 14)] if at >= 0 and n >= 0 else None
        if got != str(ov["total"][key]):
            probs.append("front page: total %s is %r, index.json says %d"
                         % (key, got, ov["total"][key]))
    for s in ov["sections"]:
        rep = json.load(open(os.path.join(jd, s["report"]), encoding="utf-8"))
        name = section_name(s["id"])
        p = parse(os.path.join(d, "s", name + ".html"))
        lis = [a for t, a in p.tags if t == "li" and a.get("class") == "commitment"]
        checkable = [c for c in rep["commitments"] if c["verdict"] != "niet toetsbaar"]
        got = [a.get("data-verdict") for a in lis]
        exp = [KEYS[c["verdict"]] for c in checkable]
        if got != exp:
            probs.append("s/%s.html: verdicts %s, the JSON report says %s"
                         % (name, got[:8], exp[:8]))
        ids = ["c-%d" % (i + 1) for i in range(len(exp))]
        if [a.get("id") for a in lis] != ids:
            probs.append("s/%s.html: commitment ids are not c-1..c-%d" % (name, len(exp)))
    return probs, len(ov["sections"])


def section_name(sid):
    out = []
    for i, b in enumerate(sid.encode("utf-8")):
        c = chr(b)
        if c == "/":
            out.append("_")
        elif c.isascii() and (c.isalnum() or c == "-" or (c == "." and i > 0)):
            out.append(c)
        else:
            out.append("~%02X" % b)
    return "".join(out)


def check_safe(d):
    probs, n = [], 0
    for path in pages(d):
        n += 1
        p = parse(path)
        for tag, a in p.tags:
            if tag not in ALLOWED_TAGS:
                probs.append("%s: element <%s> the site does not write" % (path, tag))
            if tag == "script" and not a.get("src", "").endswith("filter.js"):
                probs.append("%s: a <script> that is not filter.js" % path)
        for tag, k, v in p.attrs:
            if k.startswith("on"):
                probs.append("%s: event attribute %s on <%s>" % (path, k, tag))
        for tag, k, v in p.links:
            s = (v or "").strip().lower()
            u = urllib.parse.urlsplit(s)
            if u.scheme not in ("", "http", "https"):
                probs.append("%s: %s=%r on <%s>" % (path, k, v, tag))
    return probs, n


def main():
    what, d = sys.argv[1], sys.argv[2]
    if what == "links":
        probs, n = check_links(d)
    elif what == "tidy":
        probs, n = check_tidy(d)
    elif what == "totals":
        probs, n = check_totals(d, sys.argv[3])
    elif what == "safe":
        probs, n = check_safe(d)
    else:
        sys.exit("site_check.py: unknown check %r" % what)
    for p in probs[:20]:
        print("  " + p, file=sys.stderr)
    print("%s: %d pages checked, %d problems" % (what, n, len(probs)))
    sys.exit(1 if probs else 0)


if __name__ == "__main__":
    main()
