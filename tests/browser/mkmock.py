#!/usr/bin/env python3
"""mkmock.py VARIANT DIR: write a small hand-made mock of the site that
docs/site.md specifies, to prove check.mjs (selftest.sh).  VARIANT is
'good', 'hostile-ok' (hostile corpus text, escaped), or a defect that
check.mjs must catch: hostile-bad (the same text unescaped), bad-totals,
bad-filter, alert, console-error, throw, fetch-json, missing-css, bad-axe,
low-contrast, blank, bad-back, no-badge, bad-badge, bad-lang.  Not the real site:
only its hooks are real."""
import html, json, os, sys

variant, out = sys.argv[1], sys.argv[2]
E = html.escape
KEYS = ["done", "in_progress", "none", "not_checkable"]
LABEL = {"done": "uitgevoerd", "in_progress": "in uitvoering",
         "none": "geen beslissing", "not_checkable": "niet toetsbaar"}
HOSTILE = 'Scholen <script>alert(8)</script> <img src=y onerror=alert(10)>'

def name(sid):
    o = []
    for ch in sid.encode():
        c = chr(ch)
        if c == "/": o.append("_")
        elif c.isascii() and (c.isalnum() or c in ".-"): o.append(c)
        else: o.append("~%02X" % ch)
    return "".join(o)

SECTIONS = [
    {"id": "energie-en-klimaat/1.1", "chapter": "Energie en klimaat", "number": "1.1",
     "title": "Uitdagingen en visie",
     "commitments": [("done", "Tegen eind 2019 finaliseren we het Vlaams energie- en klimaatplan.", ["AE01"]),
                     ("in_progress", "We versterken het klimaatbeleid van de lokale besturen.", ["AE02"]),
                     ("none", "We onderzoeken een klimaatwet.", [])]},
    {"id": "energie-en-klimaat/1.2", "chapter": "Energie en klimaat", "number": "1.2",
     "title": "Renovatie van gebouwen",
     "commitments": [("done", "We renoveren de scholen.", ["AE02"])]},
    {"id": "bestuurzaken/3.2.3", "chapter": "Bestuurzaken", "number": "3.2.3",
     "title": "Een slagkrachtige overheid",
     "commitments": [("none", "We vereenvoudigen de regelgeving.", []),
                     ("done", "We digitaliseren de dienstverlening.", ["AE01"])]},
]
if variant.startswith("hostile"):
    SECTIONS.append({"id": "kwaad/1.2`<script>alert(13)</script>`", "chapter": "Kwaad",
                     "number": "1.2", "title": HOSTILE,
                     "commitments": [("done", "We bouwen fietsostrades " + HOSTILE, ["AE01"])]})
DECISIONS = {"AE01": "Vlaams Energie- en Klimaatplan 2021-2030: definitieve goedkeuring",
             "AE02": "Lokaal Energie- en Klimaatpact: principiële goedkeuring"}

def counts(s):
    c = {k: 0 for k in KEYS}
    for v, _, _ in s["commitments"]: c[v] += 1
    c["not_checkable"] = 2
    return c

# hostile-bad: the corpus text goes out unescaped; others escape it
T = (lambda x: x) if variant == "hostile-bad" else E

CSS = """body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;background:#fff;margin:0 auto;max-width:60rem;padding:0 1rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.2rem .4rem;border-bottom:1px solid #ccc}
td.n{text-align:right}.wide{overflow-x:auto}.badge{display:inline-block;padding:0 .4rem;border-radius:.3rem;background:#e8e8e8;color:#111}
a{color:#0645ad}footer{margin-top:2rem;border-top:1px solid #ccc;font-size:.9rem}
@media (max-width:40rem){table{font-size:.85rem}}"""
if variant == "low-contrast":
    CSS += "\nbody{color:#aaa}"
if variant == "blank":
    CSS += "\n*{color:#fff!important;background:#fff!important;border-color:#fff!important}svg{display:none}"

FILTER = """(function(){var f=document.getElementById('filter');if(!f)return;
f.addEventListener('input',function(){var q=f.value.toLowerCase();
document.querySelectorAll('#sections tr[data-id]').forEach(function(tr){
tr.hidden=q!==''&&tr.textContent.toLowerCase().indexOf(q)<0;});});})();"""
if variant == "bad-filter":      # hides nothing
    FILTER = "(function(){})();"
if variant == "alert":
    FILTER += "\nalert('hallo');"
if variant == "console-error":
    FILTER += "\nconsole.error('oeps');"
if variant == "throw":
    FILTER += "\nnull.x;"
if variant == "fetch-json":       # what a filter over sections.json would do
    FILTER += "\nfetch('sections.json').then(function(r){return r.json()});"

def page(title, body, depth):
    up = "../" * depth
    lang = "en" if variant == "bad-lang" else "nl"
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="{up}style.css">
</head>
<body>
<header><p><a href="{up}index.html">Evaluatie van het regeerakkoord</a></p></header>
<main>
{body}
</main>
<footer><p><a href="{up}method.html">Methode</a> · momentopname <code>snap-2026-12-01</code></p></footer>
<script src="{up}filter.js"></script>
</body>
</html>
"""

def bar(chapter, c):
    total = sum(c[k] for k in KEYS[:3]) or 1
    x, rects = 0, []
    for k, col in zip(KEYS[:3], ["#1b7837", "#e6a100", "#b2182b"]):
        w = 300 * c[k] / total
        rects.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="16" fill="{col}"/>')
        x += w
    return (f'<svg class="bar" role="img" aria-labelledby="bar-{E(chapter[:3])}" width="300" height="16" '
            f'viewBox="0 0 300 16"><title id="bar-{E(chapter[:3])}">{T(chapter)}: {c["done"]} uitgevoerd, '
            f'{c["in_progress"]} in uitvoering, {c["none"]} geen beslissing</title>{"".join(rects)}</svg>')

def index():
    tot = {k: sum(counts(s)[k] for s in SECTIONS) for k in KEYS}
    shown = dict(tot)
    if variant == "bad-totals": shown["done"] += 1
    trows = "\n".join(f'<tr data-verdict="{k}"><th scope="row">{LABEL[k]}</th><td class="n">{shown[k]}</td></tr>' for k in KEYS)
    chapters = {}
    for s in SECTIONS:
        c = chapters.setdefault(s["chapter"], {k: 0 for k in KEYS})
        for k in KEYS: c[k] += counts(s)[k]
    bars = "\n".join(f"<li>{T(ch)} {bar(ch, c)}</li>" for ch, c in chapters.items())
    srows = "\n".join(
        f'<tr data-id="{E(s["id"])}"><td>{E(s["number"])}</td><td><a href="s/{name(s["id"])}.html">{T(s["title"])}</a></td>'
        f'<td>{T(s["chapter"])}</td>' + "".join(f'<td class="n">{counts(s)[k]}</td>' for k in KEYS) + "</tr>"
        for s in SECTIONS)
    WIDE = ' tabindex="0" role="region" aria-label="Secties"'
    label = "" if variant == "bad-axe" else '<label for="filter">Filter de secties</label>\n'
    body = f"""<h1>Evaluatie van het regeerakkoord 2019-2024</h1>
<section><h2>Scorecard</h2>
<table id="totals"><caption>Verbintenissen per oordeel</caption>
<thead><tr><th scope="col">oordeel</th><th scope="col">aantal</th></tr></thead>
<tbody>
{trows}
</tbody></table>
<h2>Per hoofdstuk</h2>
<ul class="chapters">
{bars}
</ul></section>
<section><h2>Secties</h2>
{label}<input id="filter" type="search">
<div class="wide"{WIDE}><table id="sections"><caption>Alle secties in de volgorde van het akkoord</caption>
<thead><tr><th scope="col">nr</th><th scope="col">titel</th><th scope="col">hoofdstuk</th>
<th scope="col">uitgevoerd</th><th scope="col">in uitvoering</th><th scope="col">geen beslissing</th><th scope="col">niet toetsbaar</th></tr></thead>
<tbody>
{srows}
</tbody></table></div></section>"""
    return page("Evaluatie van het regeerakkoord", body, 0), tot

def section(s):
    items = []
    for i, (v, text, cites) in enumerate(s["commitments"], 1):
        cl = "".join(f'<li class="citation"><a class="cite" href="../d/{d}.html">{E(DECISIONS[d])}</a></li>' for d in cites)
        kind = "done" if variant == "bad-badge" else v
        badge = "" if variant == "no-badge" else f'<span class="badge verdict v-{kind}">{LABEL[v]}</span> '
        items.append(f'<li class="commitment" id="c-{i}" data-verdict="{v}">{badge}{T(text)}'
                     + (f'<details><summary>Bewijs</summary><ul>{cl}</ul></details>' if cl else "") + "</li>")
    body = f"""<h1>{E(s["number"])} {T(s["title"])}</h1>
<p>{T(s["chapter"])}</p>
<h2>Verbintenissen</h2>
<ol class="commitments">
{chr(10).join(items)}
</ol>
<h2>Tijdlijn</h2>
<svg class="timeline" role="img" aria-labelledby="tl" width="300" height="40" viewBox="0 0 300 40"><title id="tl">Geciteerde beslissingen per kwartaal</title><rect x="10" y="10" width="20" height="30" fill="#1b7837"/></svg>
<h2>Bronnen</h2>
<ol class="refs"><li id="ref-1">{E(DECISIONS["AE01"])}</li></ol>
<h2>Tekst van de sectie</h2>
<p>{T(s["title"])}. {" ".join(T(t) for _, t, _ in s["commitments"])}</p>"""
    return page(E(s["number"]) + " " + T(s["title"]), body, 1)

def decision(d):
    citing = []
    for s in SECTIONS:
        for i, (_, _, cites) in enumerate(s["commitments"], 1):
            if d in cites:
                target = "../index.html" if variant == "bad-back" else f"../s/{name(s['id'])}.html#c-{i}"
                citing.append(f'<li><a href="{target}">{E(s["number"])} {T(s["title"])}, verbintenis {i}</a></li>')
    url = "javascript:alert(1)" if variant.startswith("hostile") and d == "AE01" else "https://beslissingenvlaamseregering.vlaanderen.be/" + d
    SOURCE = (f'<p><a href="{E(url)}">Bron</a></p>' if url.startswith("https:") or variant == "hostile-bad"
              else f'<p>Bron: {E(url)}</p>')
    body = f"""<h1>{E(DECISIONS[d])}</h1>
<p>De Vlaamse Regering keurt het plan definitief goed.</p>
{SOURCE}
<h2>Dossier</h2>
<svg class="timeline" role="img" aria-labelledby="tl" width="300" height="40" viewBox="0 0 300 40"><title id="tl">Stadia van het dossier</title><rect x="10" y="10" width="20" height="30" fill="#e6a100"/></svg>
<ul><li><time datetime="2019-12-20">20 december 2019</time>: definitieve goedkeuring</li></ul>
<h2>Geciteerd door</h2>
<ul class="citing">
{chr(10).join(citing)}
</ul>"""
    return page(E(DECISIONS[d]), body, 1)

os.makedirs(os.path.join(out, "s"), exist_ok=True)
os.makedirs(os.path.join(out, "d"), exist_ok=True)
def w(rel, text):
    with open(os.path.join(out, rel), "w", encoding="utf-8") as f: f.write(text)
html_index, tot = index()
w("index.html", html_index)
for s in SECTIONS: w(f"s/{name(s['id'])}.html", section(s))
for d in DECISIONS: w(f"d/{d}.html", decision(d))
w("method.html", page("Methode", "<h1>Methode</h1><p>Wat een oordeel betekent.</p>", 0))
if variant != "missing-css": w("style.css", CSS)
w("filter.js", FILTER)
w(".akkoord-site", "")
w("sections.json", json.dumps([{"id": s["id"], "number": s["number"], "title": s["title"], "chapter": s["chapter"],
    "href": f"s/{name(s['id'])}.html", "counts": counts(s)} for s in SECTIONS]))
tc = dict(tot, commitments=tot["done"] + tot["in_progress"] + tot["none"])
chs = {}
for s_ in SECTIONS:
    c = chs.setdefault(s_["chapter"], {"chapter": s_["chapter"], "sections": 0, "counts": {k: 0 for k in KEYS}})
    c["sections"] += 1
    for k in KEYS: c["counts"][k] += counts(s_)[k]
w("index.json", json.dumps({"total": tc, "chapters": list(chs.values()), "snapshot": "snap-2026-12-01", "version": "mock",
    "sections": [{"id": s["id"], "chapter": s["chapter"], "title": s["title"], "report": name(s["id"]) + ".json",
                  "counts": counts(s)} for s in SECTIONS]}))
