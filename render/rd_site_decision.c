/*
 * rd_site_decision.c -- the page of a decision the site cites: its text,
 * its dossier's stages on a timeline, and the sections and commitments
 * that cite it.
 *
 * Owns: the decision page's layout.
 * Never: finds the dossier or the citing commitments (site/ hands them
 * over).
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

#define ROOT "../"

/* A '\n'-joined list of the API item (ministers, themes) as text. */
static void joined(FILE *f, const char *label, const char *list)
{
    if (!*list)
        return;
    fprintf(f, "<dt>%s</dt><dd>", label);
    for (const char *p = list; *p; p++) {
        if (*p == '\n') {
            fputs(", ", f);
            continue;
        }
        char one[2] = {*p, '\0'};
        rd_html_put(f, one);
    }
    fputs("</dd>\n", f);
}

static void dec_facts(FILE *f, const qy_decision *d, qy_stage stage)
{
    fputs("<dl class=\"facts\">\n<dt>datum</dt><dd>", f);
    rd_html_put(f, rd_date_of(d));
    fprintf(f, "</dd>\n<dt>stadium</dt><dd><span class=\"stage s-%s\">%s"
            "</span></dd>\n", qy_stage_key(stage), qy_stage_name(stage));
    if (*d->kind) {
        fputs("<dt>soort</dt><dd>", f);
        rd_html_put(f, d->kind);
        fputs("</dd>\n", f);
    }
    fputs("<dt>id</dt><dd><code>", f);
    rd_html_put(f, d->id);
    fputs("</code></dd>\n", f);
    joined(f, "ministers", d->ministers);
    joined(f, "thema's", d->themes);
    char *link = qy_decision_link(d);
    fputs("<dt>bron</dt><dd>", f);
    if (link)
        rd_ext_link(f, link, "de beslissing bij de Vlaamse Regering");
    free(link);
    fputs("</dd>\n</dl>\n", f);
}

static int dec_dossier(FILE *f, const qy_decision *d, const rd_step *v,
                       size_t n)
{
    fputs("<h2>Dossier</h2>\n", f);
    if (n < 2) {
        fputs("<p>Deze beslissing is de enige van haar dossier.</p>\n", f);
        return 0;
    }
    const char **dates = malloc(n * sizeof *dates);
    qy_stage *st = malloc(n * sizeof *st);
    if (!dates || !st) {
        free(dates);
        free(st);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        dates[i] = v[i].d->date;
        st[i] = v[i].stage;
    }
    fprintf(f, "<p>%zu beslissingen in dit dossier.</p>\n", n);
    rd_svg_quarters(f, dates, st, n, NULL, NULL, "Het dossier");
    rd_stage_legend(f);
    free(dates);
    free(st);
    fputs("<ol class=\"dossier\">\n", f);
    for (size_t i = 0; i < n; i++) {
        const qy_decision *s = v[i].d;
        fputs("<li>", f);
        rd_html_put(f, rd_date_of(s));
        fprintf(f, " <span class=\"stage s-%s\">%s</span> ",
                qy_stage_key(v[i].stage), qy_stage_name(v[i].stage));
        if (s == d) {
            fputs("<strong>", f);
            rd_html_put(f, s->title);
            fputs("</strong> (deze beslissing)", f);
        } else if (v[i].page) {
            fputs("<a ", f);
            if (rd_page_href(f, ROOT, "d", s->id))
                return -1;
            fputs(">", f);
            rd_html_put(f, s->title);
            fputs("</a>", f);
        } else {
            char *link = qy_decision_link(s);
            rd_ext_link(f, link ? link : "", s->title);
            free(link);
        }
        fputs("</li>\n", f);
    }
    fputs("</ol>\n", f);
    return 0;
}

static int dec_citing(FILE *f, const rd_citing *c, size_t nc)
{
    fputs("<h2>Geciteerd als bewijs</h2>\n<ul class=\"citing\">\n", f);
    for (size_t i = 0; i < nc; i++) {
        fputs("<li>", f);
        rd_badge(f, c[i].verdict);
        fputs(" <a ", f);
        char *name = rd_site_name(c[i].section);
        if (!name)
            return -1;
        fprintf(f, "href=\"%ss/%s.html#c-%zu\">", ROOT, name, c[i].commitment);
        free(name);
        rd_html_put(f, c[i].number);
        fputs(" ", f);
        rd_html_put(f, c[i].title);
        fprintf(f, ", verbintenis %zu</a>: ", c[i].commitment);
        char *start = rd_text_start(c[i].text, 160);
        if (!start)
            return -1;
        rd_html_put(f, start);
        free(start);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
    return 0;
}

int rd_site_decision(FILE *f, const qy_decision *d, qy_stage stage,
                     const rd_step *dossier, size_t nsteps,
                     const rd_citing *c, size_t nc, const rd_site_info *si)
{
    rd_page_open(f, d->title, ROOT, si);
    fputs("<h1>", f);
    rd_html_put(f, d->title);
    fputs("</h1>\n", f);
    dec_facts(f, d, stage);
    if (dec_citing(f, c, nc))
        return -1;
    fputs("<h2>Tekst</h2>\n<p class=\"decision-text\">", f);
    rd_html_put(f, d->text);
    fputs("</p>\n", f);
    if (dec_dossier(f, d, dossier, nsteps))
        return -1;
    rd_page_close(f, ROOT, si);
    return ferror(f) ? -1 : 0;
}
