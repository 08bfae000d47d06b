#!/usr/bin/env python3
"""bench/plot_scale.py -- draw bench/scale.svg from bench/scale.tsv.

    python3 bench/plot_scale.py [TSV [SVG]]

Four panels against the number of decisions N (log x): index time (wall
and CPU; log y), index size (log y), peak RSS of akkoord-index, and query
latency (p50, p95). The latest row per N is used. Targets are drawn as dashed red lines;
when the largest N is below 1,000,000 the wall and CPU times are projected
to 1M (dotted, power law through the two largest N). Hand-written SVG,
standard library only, deterministic for a given TSV.
"""
import csv
import math
import sys

W, H = 960, 640
PW, PH = 400, 220          # plot area of one panel
ML, MT = 70, 50            # panel margins (left, top)


def load(path):
    rows = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f, delimiter="\t"):
            rows[int(r["n"])] = r               # latest row per N wins
    return [rows[n] for n in sorted(rows)]


def esc(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def fmt_n(n):
    if n >= 1000000:
        return "%gM" % (n / 1e6)
    if n >= 1000:
        return "%gk" % (n / 1e3)
    return "%g" % n


def nice_max(v):
    if v <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * e >= v:
            return m * e
    return 10 * e


def panel(out, x0, y0, title, unit, series, xmin, xmax, target=None,
          extra=(), logy=False):
    """series: [(label, colour, [(n, y)], dash)]; target: (value, label)."""
    ys = [y for _, _, pts, _ in series for _, y in pts]
    for e in extra:
        ys += [y for _, y in e[2]]
    ymax = max(ys) if ys else 1
    show_target = target and (logy or target[0] <= 5 * ymax)
    if show_target:
        ymax = max(ymax, target[0])
    lx0, lx1 = math.log10(xmin), math.log10(xmax)
    if logy:
        ly0 = math.floor(math.log10(min(y for y in ys if y > 0)))
        ly1 = math.ceil(math.log10(ymax))
        ly1 += ly1 == ly0
        ticks = [10.0 ** e for e in range(ly0, ly1 + 1)]
    else:
        ymax = nice_max(ymax * 1.05)
        ticks = [ymax * i / 5 for i in range(6)]

    def X(n):
        return x0 + (math.log10(n) - lx0) / (lx1 - lx0) * PW

    def Y(v):
        if logy:
            return y0 + PH - (math.log10(v) - ly0) / (ly1 - ly0) * PH
        return y0 + PH - v / ymax * PH

    out.append('<text x="%d" y="%d" class="t">%s</text>'
               % (x0, y0 - 12, esc(title)))
    out.append('<rect x="%d" y="%d" width="%d" height="%d" class="frame"/>'
               % (x0, y0, PW, PH))
    for v in ticks:                                     # y grid
        y = Y(v)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="grid"/>'
                   % (x0, y, x0 + PW, y))
        out.append('<text x="%d" y="%.1f" class="ax" text-anchor="end">%g</text>'
                   % (x0 - 6, y + 4, round(v, 6)))
    d = 10 ** math.ceil(lx0 - 1e-9)
    while d <= xmax * 1.0001:                           # x decades
        x = X(d)
        out.append('<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" class="grid"/>'
                   % (x, y0, x, y0 + PH))
        out.append('<text x="%.1f" y="%d" class="ax" text-anchor="middle">%s</text>'
                   % (x, y0 + PH + 16, fmt_n(d)))
        d *= 10
    out.append('<text x="%d" y="%d" class="ax" transform="rotate(-90 %d %d)" '
               'text-anchor="middle">%s</text>'
               % (x0 - 48, y0 + PH // 2, x0 - 48, y0 + PH // 2, esc(unit)))
    out.append('<text x="%d" y="%d" class="ax" text-anchor="middle">'
               'decisions (N, log scale)</text>' % (x0 + PW // 2, y0 + PH + 32))
    if target:
        if show_target:
            y = Y(target[0])
            out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="target"/>'
                       % (x0, y, x0 + PW, y))
            out.append('<text x="%d" y="%.1f" class="tl" text-anchor="end">%s</text>'
                       % (x0 + PW - 4, y - 4, esc(target[1])))
        else:
            out.append('<text x="%d" y="%d" class="tl" text-anchor="end">%s'
                       ' (off scale)</text>' % (x0 + PW - 4, y0 + 14,
                                                 esc(target[1])))
    allseries = [sr for sr in list(series) + list(extra) if sr[2]]
    lx = x0 + PW - 190                   # legend: bottom right
    ly = y0 + PH - 8 - 15 * (len(allseries) - 1)
    out.append('<rect x="%d" y="%d" width="186" height="%d" fill="white" '
               'fill-opacity="0.85"/>' % (lx, ly - 14, 15 * len(allseries) + 4))
    for si, (label, colour, pts, dash) in enumerate(allseries):
        path = " ".join("%s%.1f,%.1f" % ("M" if i == 0 else "L", X(n), Y(v))
                        for i, (n, v) in enumerate(pts))
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="2"%s/>'
                   % (path, colour, ' stroke-dasharray="3,4"' if dash else ""))
        if not dash:
            for n, v in pts:
                out.append('<circle cx="%.1f" cy="%.1f" r="3.5" fill="%s"/>'
                           % (X(n), Y(v), colour))
                out.append('<text x="%.1f" y="%.1f" class="v">%g</text>'
                           % (X(n) + 5, Y(v) + (14 if si % 2 else -6),
                              round(v, 1)))
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                   'stroke-width="2"%s/>' % (lx + 4, ly - 4, lx + 22, ly - 4,
                                             colour,
                                             ' stroke-dasharray="3,4"' if dash else ""))
        out.append('<text x="%d" y="%d" class="lg">%s</text>'
                   % (lx + 26, ly, esc(label)))
        ly += 15


def main():
    tsv = sys.argv[1] if len(sys.argv) > 1 else "bench/scale.tsv"
    svg = sys.argv[2] if len(sys.argv) > 2 else "bench/scale.svg"
    rows = load(tsv)
    if not rows:
        sys.exit("plot_scale: no rows in %s" % tsv)
    f = lambda k: [(int(r["n"]), float(r[k])) for r in rows
                   if r.get(k) not in (None, "")]
    ns = [int(r["n"]) for r in rows]
    xmin = 10 ** math.floor(math.log10(min(ns)))
    xmax = max(10 ** math.ceil(math.log10(max(ns)) - 1e-9), 1000000)
    proj = []
    wall, cpu = f("index_s"), f("cpu_s")
    for name, pts, colour in (("wall", wall, "#1f77b4"),
                              ("CPU", cpu, "#ff7f0e")):
        if max(ns) < 1000000 and len(pts) >= 2:
            (n1, t1), (n2, t2) = pts[-2], pts[-1]
            e = math.log(t2 / t1) / math.log(n2 / n1)
            proj.append(("%s, projected ~N^%.2f" % (name, e), colour,
                         [(n2, t2), (1000000, t2 * (1000000 / n2) ** e)],
                         True))
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" font-family="sans-serif">' % (W, H, W, H),
           '<style>.t{font-size:14px;font-weight:bold}.ax{font-size:11px;'
           'fill:#333}.lg{font-size:11px}.v{font-size:10px;fill:#555}'
           '.tl{font-size:11px;fill:#c00}.frame{fill:none;stroke:#888}'
           '.grid{stroke:#e4e4e4}.target{stroke:#c00;stroke-dasharray:6,4}'
           '</style>',
           '<rect width="100%" height="100%" fill="white"/>',
           '<text x="%d" y="22" font-size="15" text-anchor="middle">'
           'akkoord scale: synthetic decisions, %s (nproc %s)</text>'
           % (W // 2, esc(rows[-1]["date"][:10]), esc(rows[-1]["nproc"]))]
    cols = (ML, ML + PW + 80)
    rws = (MT, MT + PH + 70)
    panel(out, cols[0], rws[0], "Index build time (log-log)", "seconds",
          [("wall", "#1f77b4", wall, False),
           ("CPU (user+sys)", "#ff7f0e", f("cpu_s"), False)],
          xmin, xmax, (900, "target 15 min"), proj, logy=True)
    panel(out, cols[1], rws[0], "Index size on disk (log-log)", "MB",
          [("index (du)", "#2ca02c", f("index_mb"), False),
           ("corpus JSONL", "#999999", f("corpus_mb"), False)], xmin, xmax,
          logy=True)
    panel(out, cols[0], rws[1], "Peak RSS of akkoord-index", "MB",
          [("peak RSS", "#d62728", f("peak_rss_mb"), False)], xmin, xmax,
          (2048, "target 2 GB"))
    panel(out, cols[1], rws[1], "Ad-hoc query latency (50 queries)", "ms",
          [("p50", "#9467bd", f("p50_ms"), False),
           ("p95", "#8c564b", f("p95_ms"), False)], xmin, xmax,
          (50, "target p50 50 ms"))
    out.append("</svg>")
    with open(svg, "w", encoding="utf-8", newline="\n") as fo:
        fo.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
