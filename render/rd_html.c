/*
 * rd_html.c -- what every page of the site shares: the head and footer,
 * verdict badges, links to pages and to sources, the file name of a page,
 * and the inline SVG charts (a stacked bar of verdicts, decisions per
 * quarter by stage).
 *
 * Owns: the page shell (lang="nl", viewport, the style sheet), the colours
 * of verdicts and stages, rd_site_name.
 * Never: writes corpus text unescaped (rd_html_put), a link that is not
 * the site's own or a checked http(s) url (qy_url_ok).
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

const char *rd_verdict_key(qy_verdict v)
{
    static const char *const keys[QY_NVERDICTS] = {
        [QY_DONE] = "done", [QY_IN_PROGRESS] = "in_progress",
        [QY_NONE] = "none", [QY_UNCHECKABLE] = "not_checkable"};
    return keys[v];
}

char *rd_site_name(const char *id)
{
    char *out = malloc(3 * strlen(id) + 1), *o = out;
    if (!out)
        return NULL;
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' ||
                    (*p == '.' && p != (const unsigned char *)id);
        if (*p == '/')
            *o++ = '_';
        else if (plain)
            *o++ = (char)*p;
        else
            o += sprintf(o, "~%02X", *p);
    }
    *o = '\0';
    return out;
}

void rd_page_open(FILE *f, const char *title, const char *root,
                  const rd_site_info *si)
{
    fputs("<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, "
          "initial-scale=1\">\n<title>", f);
    rd_html_put(f, title);
    fprintf(f, " · akkoord</title>\n<link rel=\"stylesheet\" "
            "href=\"%sstyle.css\">\n</head>\n<body>\n<header>\n<nav "
            "aria-label=\"site\"><a href=\"%sindex.html\">Overzicht</a> "
            "<a href=\"%smethod.html\">Methode</a>", root, root, root);
    if (si->live)
        fputs("\n<form action=\"/search\" method=\"get\" role=\"search\">"
              "<label for=\"q\">Zoeken in de beslissingen</label> <input "
              "id=\"q\" name=\"q\" type=\"search\" maxlength=\"500\"> "
              "<button type=\"submit\">Zoek</button></form>", f);
    fputs("</nav>\n</header>\n<main>\n", f);
}

void rd_page_close(FILE *f, const char *root, const rd_site_info *si)
{
    fprintf(f, "</main>\n<footer>\n<p>akkoord %s · snapshot <code>%.16s"
            "</code>", AK_VERSION, *si->snapshot ? si->snapshot : "onbekend");
    if (si->fixes)
        fprintf(f, " · redactionele correcties <code>%.16s</code>",
                si->fixes->sha256);
    fprintf(f, " · <a href=\"%smethod.html\">Methode en grenzen</a></p>\n"
            "<p>De oordelen komen uit het vergelijken van woorden, niet uit "
            "het lezen van de beslissingen: lees een beslissing via haar "
            "bron voor u een oordeel overneemt.</p>\n</footer>\n</body>\n"
            "</html>\n", root);
}

void rd_badge(FILE *f, qy_verdict v)
{
    fprintf(f, "<span class=\"badge verdict v-%s\">%s</span>", rd_verdict_key(v),
            qy_verdict_name(v));
}

int rd_page_href(FILE *f, const char *root, const char *dir, const char *id)
{
    char *name = rd_site_name(id);
    if (!name)
        return -1;
    fprintf(f, "href=\"%s%s/%s.html\"", root, dir, name);
    free(name);
    return 0;
}

void rd_ext_link(FILE *f, const char *url, const char *text)
{
    if (!qy_url_ok(url)) {
        rd_html_put(f, text);
        return;
    }
    fputs("<a class=\"src\" rel=\"noopener noreferrer\" href=\"", f);
    rd_html_put(f, url);
    fputs("\">", f);
    rd_html_put(f, text);
    fputs("</a>", f);
}

/* ------------------------------------------------------------ charts */

#define BAR_W 240
#define BAR_H 14

void rd_svg_bar(FILE *f, const char *cls, const size_t *v, const char *label)
{
    static const qy_verdict order[] = {QY_DONE, QY_IN_PROGRESS, QY_NONE};
    size_t n = v[QY_DONE] + v[QY_IN_PROGRESS] + v[QY_NONE];
    fprintf(f, "<svg class=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 "
            "%d %d\" role=\"img\" aria-label=\"", cls, BAR_W, BAR_H, BAR_W,
            BAR_H);
    rd_html_put(f, label);
    fprintf(f, ": %zu uitgevoerd, %zu in uitvoering, %zu zonder beslissing\">"
            "<title>", v[QY_DONE], v[QY_IN_PROGRESS], v[QY_NONE]);
    rd_html_put(f, label);
    fprintf(f, ": %zu uitgevoerd, %zu in uitvoering, %zu zonder "
            "beslissing</title>", v[QY_DONE], v[QY_IN_PROGRESS], v[QY_NONE]);
    fprintf(f, "<rect class=\"v-empty\" x=\"0\" y=\"0\" width=\"%d\" "
            "height=\"%d\"/>", BAR_W, BAR_H);
    size_t at = 0;
    for (size_t k = 0; n && k < sizeof order / sizeof *order; k++) {
        size_t x0 = at * BAR_W / n, x1 = (at + v[order[k]]) * BAR_W / n;
        at += v[order[k]];
        if (x1 > x0)
            fprintf(f, "<rect class=\"v-%s\" x=\"%zu\" y=\"0\" width=\"%zu\" "
                    "height=\"%d\"/>", rd_verdict_key(order[k]), x0, x1 - x0,
                    BAR_H);
    }
    fputs("</svg>", f);
}

#define Q_W 12      /* width of a quarter's column */
#define Q_H 80      /* height of the plot */
#define Q_MAX 400   /* quarters drawn at most */

static int quarter_of(const char *d)
{
    int y, m;
    if (!d || sscanf(d, "%4d-%2d", &y, &m) != 2 || y < RD_YEAR_MIN ||
        y > RD_YEAR_MAX || m < 1 || m > 12)
        return -1;
    return y * 4 + (m - 1) / 3;
}

/* The plot's columns: counts[q][stage] for q in [q0, q0 + nq). */
static void quarter_bars(FILE *f, size_t (*counts)[QY_NSTAGES], int nq,
                         size_t top)
{
    for (int q = 0; q < nq; q++) {
        size_t at = 0;
        for (int st = QY_STAGE_ENACTED; st >= 0; st--) {
            size_t c = counts[q][st];
            if (!c)
                continue;
            size_t h0 = at * Q_H / top, h1 = (at + c) * Q_H / top;
            at += c;
            fprintf(f, "<rect class=\"s-%s\" x=\"%d\" y=\"%zu\" width=\"%d\" "
                    "height=\"%zu\"/>", qy_stage_key((qy_stage)st), q * Q_W + 1,
                    Q_H - h1, Q_W - 2, h1 - h0);
        }
    }
}

void rd_svg_quarters(FILE *f, const char *const *dates, const qy_stage *st,
                     size_t n, const char *from, const char *to,
                     const char *label)
{
    int q0 = quarter_of(from), q1 = quarter_of(to);
    for (size_t i = 0; i < n; i++) {
        int q = quarter_of(dates[i]);
        if (q >= 0 && (q0 < 0 || q < q0))
            q0 = q;
        if (q >= 0 && q > q1)
            q1 = q;
    }
    if (q0 < 0 || q1 < q0 || q1 - q0 >= Q_MAX) {
        fputs("<p>Geen gedateerde beslissingen.</p>\n", f);
        return;
    }
    int nq = q1 - q0 + 1;
    size_t (*counts)[QY_NSTAGES] = calloc((size_t)nq, sizeof *counts);
    if (!counts)
        return;
    size_t top = 1, dated = 0;
    for (size_t i = 0; i < n; i++) {
        int q = quarter_of(dates[i]);
        if (q < 0)
            continue;
        dated++;
        size_t sum = ++counts[q - q0][st[i]];
        for (int k = 0; k < QY_NSTAGES; k++)
            sum += k != (int)st[i] ? counts[q - q0][k] : 0;
        top = sum > top ? sum : top;
    }
    int w = nq * Q_W;
    fprintf(f, "<svg class=\"timeline\" width=\"%d\" height=\"%d\" viewBox=\"0 "
            "0 %d %d\" role=\"img\" aria-label=\"", w, Q_H + 16, w, Q_H + 16);
    rd_html_put(f, label);
    fprintf(f, ": %zu beslissingen per kwartaal, %dK%d tot %dK%d\"><title>",
            dated, q0 / 4, q0 % 4 + 1, q1 / 4, q1 % 4 + 1);
    rd_html_put(f, label);
    fprintf(f, "</title><line class=\"axis\" x1=\"0\" y1=\"%d\" x2=\"%d\" "
            "y2=\"%d\"/>", Q_H, w, Q_H);
    quarter_bars(f, counts, nq, top);
    for (int q = 0; q < nq; q++)
        if ((q0 + q) % 4 == 0)
            fprintf(f, "<text x=\"%d\" y=\"%d\">%d</text>", q * Q_W, Q_H + 13,
                    (q0 + q) / 4);
    fputs("</svg>\n", f);
    free(counts);
}

void rd_stage_legend(FILE *f)
{
    fputs("<ul class=\"legend\">", f);
    for (int st = QY_STAGE_ENACTED; st >= 0; st--)
        fprintf(f, "<li><svg class=\"swatch\" width=\"12\" height=\"12\" "
                "aria-hidden=\"true\"><rect class=\"s-%s\" width=\"12\" "
                "height=\"12\"/></svg> %s</li>",
                qy_stage_key((qy_stage)st), qy_stage_name((qy_stage)st));
    fputs("</ul>\n", f);
}
