/*
 * rd_site_pages.c -- the front page (scorecard, chapters, the sections
 * with a filter box), sections.json, and the method page.
 *
 * Owns: the totals of the site (summed from the overview rows, as
 * rd_overview.c sums them for index.md), what the method page explains.
 * Never: evaluates; reads anything but its arguments.
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

static const qy_verdict verdict_order[] = {QY_DONE, QY_IN_PROGRESS, QY_NONE,
                                           QY_UNCHECKABLE};
#define NORDER (sizeof verdict_order / sizeof *verdict_order)

static size_t checkable(const size_t *v)
{
    return v[QY_DONE] + v[QY_IN_PROGRESS] + v[QY_NONE];
}

static void pct(FILE *f, size_t n, size_t of)
{
    if (of)
        fprintf(f, "%.1f %%", 100.0 * (double)n / (double)of);
}

static void front_totals(FILE *f, const qy_overview *ov)
{
    size_t v[QY_NVERDICTS] = {0};
    for (size_t i = 0; i < ov->n; i++)
        for (int k = 0; k < QY_NVERDICTS; k++)
            v[k] += ov->rows[i].v[k];
    fprintf(f, "<h2>Scorecard</h2>\n<p>%zu secties, %zu toetsbare "
            "verbintenissen.</p>\n<table id=\"totals\">\n<caption>Verbintenissen "
            "per oordeel (percentage van de toetsbare)</caption>\n<thead><tr>"
            "<th scope=\"col\">oordeel</th><th scope=\"col\">aantal</th><th "
            "scope=\"col\">aandeel</th></tr></thead>\n<tbody>\n", ov->n,
            checkable(v));
    for (size_t k = 0; k < NORDER; k++) {
        qy_verdict x = verdict_order[k];
        fprintf(f, "<tr data-verdict=\"%s\"><th scope=\"row\">",
                rd_verdict_key(x));
        rd_badge(f, x);
        fprintf(f, "</th><td class=\"n\">%zu</td><td>", v[x]);
        if (x != QY_UNCHECKABLE)
            pct(f, v[x], checkable(v));
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n<p>", f);
    rd_svg_bar(f, "total-bar", v, "Alle hoofdstukken");
    fputs("</p>\n", f);
}

/* Chapters in order of first appearance, with their summed counts. */
static int front_chapters(FILE *f, const qy_overview *ov)
{
    size_t *first = malloc((ov->n ? ov->n : 1) * sizeof *first), nch = 0;
    if (!first)
        return -1;
    for (size_t i = 0; i < ov->n; i++) {
        size_t k = 0;
        while (k < nch && strcmp(ov->rows[first[k]].chapter, ov->rows[i].chapter))
            k++;
        if (k == nch)
            first[nch++] = i;
    }
    fputs("<h2>Per hoofdstuk</h2>\n<table class=\"chapters\">\n<thead><tr>"
          "<th scope=\"col\">hoofdstuk</th><th scope=\"col\">secties</th>"
          "<th scope=\"col\">uitgevoerd</th><th scope=\"col\">in uitvoering"
          "</th><th scope=\"col\">geen beslissing</th><th scope=\"col\">"
          "verdeling</th></tr></thead>\n<tbody>\n", f);
    for (size_t k = 0; k < nch; k++) {
        const char *ch = ov->rows[first[k]].chapter;
        size_t v[QY_NVERDICTS] = {0}, secs = 0;
        for (size_t i = 0; i < ov->n; i++)
            if (!strcmp(ov->rows[i].chapter, ch)) {
                secs++;
                for (int j = 0; j < QY_NVERDICTS; j++)
                    v[j] += ov->rows[i].v[j];
            }
        fputs("<tr><th scope=\"row\">", f);
        rd_html_put(f, *ch ? ch : "(zonder hoofdstuk)");
        fprintf(f, "</th><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td><td>",
                secs, v[QY_DONE], v[QY_IN_PROGRESS], v[QY_NONE]);
        rd_svg_bar(f, "bar", v, ch);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
    free(first);
    return 0;
}

static int front_sections(FILE *f, const qy_overview *ov)
{
    fputs("<h2>Secties</h2>\n<p><label for=\"filter\">Filter op nummer, "
          "titel of hoofdstuk</label> <input id=\"filter\" type=\"search\" "
          "autocomplete=\"off\"> <output id=\"shown\" for=\"filter\">"
          "</output></p>\n<table id=\"sections\">\n<thead><tr><th scope=\"col\">"
          "sectie</th><th scope=\"col\">hoofdstuk</th><th scope=\"col\">"
          "uitgevoerd</th><th scope=\"col\">in uitvoering</th><th "
          "scope=\"col\">geen beslissing</th><th scope=\"col\">niet "
          "toetsbaar</th></tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < ov->n; i++) {
        const qy_overview_row *r = &ov->rows[i];
        fputs("<tr data-id=\"", f);
        rd_html_put(f, r->id);
        fputs("\"><td><a ", f);
        if (rd_page_href(f, "", "s", r->id))
            return -1;
        fputs(">", f);
        rd_html_put(f, r->number);
        fputs(" ", f);
        rd_html_put(f, r->title);
        fputs("</a></td><td>", f);
        rd_html_put(f, r->chapter);
        fprintf(f, "</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n",
                r->v[QY_DONE], r->v[QY_IN_PROGRESS], r->v[QY_NONE],
                r->v[QY_UNCHECKABLE]);
    }
    fputs("</tbody>\n</table>\n<script src=\"filter.js\"></script>\n", f);
    return 0;
}

int rd_site_front(FILE *f, const qy_overview *ov, const rd_site_info *si)
{
    rd_page_open(f, "Uitvoering van het regeerakkoord", "", si);
    fputs("<h1>Uitvoering van het Vlaamse regeerakkoord 2019–2024</h1>\n"
          "<p>Per verbintenis van het regeerakkoord: de beslissingen van de "
          "Vlaamse Regering die ze uitvoeren, en een oordeel. Hoe dat "
          "oordeel tot stand komt en waar het tekortschiet, staat bij de "
          "<a href=\"method.html\">methode</a>.</p>\n", f);
    front_totals(f, ov);
    if (front_chapters(f, ov) || front_sections(f, ov))
        return -1;
    rd_page_close(f, "", si);
    return ferror(f) ? -1 : 0;
}

int rd_site_sections_json(FILE *f, const qy_overview *ov)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < ov->n; i++) {
        const qy_overview_row *r = &ov->rows[i];
        char *name = rd_site_name(r->id);
        size_t n = name ? strlen(name) + 8 : 0;
        char *href = name ? malloc(n) : NULL;
        if (href)
            snprintf(href, n, "s/%s.html", name);
        json_t *o = href ? json_pack(
            "{s:s, s:s, s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I}}", "id", r->id,
            "number", r->number, "title", r->title, "chapter", r->chapter,
            "href", href, "counts", "done", (json_int_t)r->v[QY_DONE],
            "in_progress", (json_int_t)r->v[QY_IN_PROGRESS], "none",
            (json_int_t)r->v[QY_NONE], "not_checkable",
            (json_int_t)r->v[QY_UNCHECKABLE]) : NULL;
        free(name);
        free(href);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    return rd_json_put(f, JSON_INDENT(1) | JSON_ESCAPE_SLASH, a) ||
           ferror(f) ? -1 : 0;
}

/* -------------------------------------------------------------- method */

static void method_verdicts(FILE *f)
{
    fputs("<h2>Wat een oordeel betekent</h2>\n<dl>\n"
          "<dt><span class=\"badge v-done\">uitgevoerd</span></dt><dd>Een "
          "beslissing voert de verbintenis rechtstreeks uit en is afgerond: "
          "een besluit definitief goedgekeurd, een decreet bekrachtigd, een "
          "plan of subsidie goedgekeurd.</dd>\n"
          "<dt><span class=\"badge v-in_progress\">in uitvoering</span></dt>"
          "<dd>Er zijn beslissingen die de verbintenis uitvoeren, maar geen "
          "ervan rondt ze af (een principiële goedkeuring, een advies, een "
          "kennisname).</dd>\n"
          "<dt><span class=\"badge v-none\">geen beslissing gevonden</span>"
          "</dt><dd>akkoord vond geen beslissing die de verbintenis "
          "rechtstreeks uitvoert. Dat bewijst niet dat er niets gebeurde: "
          "niet alles wat een regering doet, is een beslissing van de "
          "Vlaamse Regering.</dd>\n"
          "<dt><span class=\"badge v-not_checkable\">niet toetsbaar</span>"
          "</dt><dd>De zin is een feit, een visie, een principe of een kop: "
          "er valt niets aan te toetsen. Zulke zinnen tellen niet mee.</dd>\n"
          "<dt><span class=\"badge corrected\">gecorrigeerd</span></dt><dd>"
          "Een redacteur las de beslissingen en gaf een ander oordeel, met "
          "een toelichting; het oordeel van akkoord staat ernaast.</dd>\n"
          "</dl>\n", f);
}

static void method_limits(FILE *f)
{
    fputs("<h2>Grenzen</h2>\n<ul>\n<li>De oordelen komen uit het vergelijken "
          "van woorden en uit twee modellen (is een zin een toetsbare "
          "verbintenis; voert een beslissing ze rechtstreeks uit), niet uit "
          "het lezen van de beslissingen. Lees een geciteerde beslissing via "
          "haar bron voor u een oordeel overneemt.</li>\n<li>Het stadium van "
          "een beslissing (principieel, definitief, bekrachtigd) komt uit "
          "vaste regels over haar tekst.</li>\n<li>Alleen beslissingen van de "
          "Vlaamse Regering tellen: wat het parlement, een agentschap of een "
          "minister alleen doet, ziet akkoord niet.</li>\n<li>Hetzelfde "
          "snapshot geeft dezelfde site, byte voor byte.</li>\n</ul>\n", f);
}

static void method_params(FILE *f, const rd_site_info *si)
{
    const qy_params *p = si->params;
    const qy_evaluator *ev = si->ev;
    fprintf(f, "<h2>Parameters</h2>\n<table class=\"params\">\n<tbody>\n"
            "<tr><th scope=\"row\">rangschikking</th><td>BM25 k1=%g b=%g "
            "k3=%g, max_df=%g, max_sf=%g, depth=%u, commit_depth=%u, "
            "rrf_k=%g, w_section=%g, w_commit=%g, w_dossier=%g, "
            "split_weight=%g</td></tr>\n", p->k1, p->b, p->k3, p->max_df,
            p->max_sf, p->depth, p->commit_depth, p->rrf_k, p->w_section,
            p->w_commit, p->w_dossier, p->split_weight);
    fprintf(f, "<tr><th scope=\"row\">bewijsmodel</th><td><code>%s</code> "
            "(drempel %.2f, sterk %.2f)</td></tr>\n<tr><th scope=\"row\">"
            "verbintenismodel</th><td><code>%s</code> (drempel %.2f)</td>"
            "</tr>\n<tr><th scope=\"row\">stadiumregels</th><td><code>%s"
            "</code></td></tr>\n<tr><th scope=\"row\">corpus</th><td>"
            "beslissingen van %s tot %s; %zu zonder gekende datum</td></tr>\n"
            "</tbody>\n</table>\n", qy_model_sha256(ev->models.evidence),
            qy_model_threshold(ev->models.evidence),
            qy_model_strong(ev->models.evidence),
            qy_model_sha256(ev->models.commit),
            qy_model_threshold(ev->models.commit), qy_stage_table_sha256(),
            ev->first[0] ? ev->first : "?", ev->last[0] ? ev->last : "?",
            ev->undated);
}

static void method_fixes(FILE *f, const rd_site_info *si)
{
    const qy_fixes *fx = si->fixes;
    fputs("<h2>Redactionele correcties</h2>\n", f);
    if (!fx) {
        fputs("<p>Geen: elk oordeel is dat van akkoord.</p>\n", f);
        return;
    }
    fprintf(f, "<p>%zu correcties uit een bestand met sha256 <code>%s</code>."
            "</p>\n<table class=\"fixes\">\n<thead><tr><th scope=\"col\">"
            "regel</th><th scope=\"col\">sectie</th><th scope=\"col\">oordeel"
            "</th><th scope=\"col\">door</th><th scope=\"col\">toegepast</th>"
            "</tr></thead>\n<tbody>\n", fx->n, fx->sha256);
    for (size_t k = 0; k < fx->n; k++) {
        const qy_fix *x = &fx->v[k];
        const char *why = qy_fix_problem(si->marks ? si->marks[k] : 0);
        fprintf(f, "<tr><td>%u</td><td>", x->line);
        rd_html_put(f, x->field[QY_FIX_SECTION]);
        fputs("</td><td>", f);
        rd_badge(f, x->verdict);
        fputs("</td><td>", f);
        rd_html_put(f, x->field[QY_FIX_WHO]);
        fputs(", ", f);
        rd_html_put(f, x->field[QY_FIX_DATE]);
        fputs("</td><td>", f);
        fputs(!why ? "ja" : "nee: ", f);
        if (why)
            rd_html_put(f, why);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody>\n</table>\n", f);
}

int rd_site_method(FILE *f, const rd_site_info *si)
{
    rd_page_open(f, "Methode", "", si);
    fputs("<h1>Methode</h1>\n<p>akkoord zoekt voor elke zin van het "
          "regeerakkoord de beslissingen van de Vlaamse Regering die hem "
          "uitvoeren, en geeft per toetsbare verbintenis een oordeel met "
          "bronnen. De regels staan in docs/evaluation.md van akkoord.</p>\n",
          f);
    method_verdicts(f);
    method_limits(f);
    method_params(f, si);
    method_fixes(f, si);
    fprintf(f, "<h2>Snapshot</h2>\n<p>Snapshot <code>%s</code>, akkoord %s. "
            "Het manifest legt de invoer, versies, parameters en modellen "
            "vast:</p>\n<pre><code>", *si->snapshot ? si->snapshot
                                                   : "onbekend", AK_VERSION);
    rd_html_put_lines(f, si->manifest ? si->manifest : "(geen manifest)");
    fputs("</code></pre>\n", f);
    rd_page_close(f, "", si);
    return ferror(f) ? -1 : 0;
}
