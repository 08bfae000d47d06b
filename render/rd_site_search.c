/*
 * rd_site_search.c -- the search page of serve: the query box, the
 * results with their passages, facets, paging and the spelling
 * suggestion.
 *
 * Owns: the layout of /search.
 * Never: searches (qy_search does, in serve/); puts the query into a link
 * unescaped (rd_url_put).
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

/* A passage with its matches (between \x01 and \x02) in <strong>. */
static void snippet_put(FILE *f, const char *s)
{
    char one[2] = {0, 0};
    for (; *s; s++) {
        if (*s == '\x01')
            fputs("<strong>", f);
        else if (*s == '\x02')
            fputs("</strong>", f);
        else {
            one[0] = *s;
            rd_html_put(f, one);
        }
    }
}

static void search_link(FILE *f, const char *q, unsigned page,
                        const char *rel, const char *text)
{
    fputs("<a ", f);
    if (rel)
        fprintf(f, "rel=\"%s\" ", rel);
    fputs("href=\"/search?q=", f);
    rd_url_put(f, q);
    if (page > 1)
        fprintf(f, "&amp;page=%u", page);
    fputs("\">", f);
    rd_html_put(f, text);
    fputs("</a>", f);
}

static int hit_put(FILE *f, const qy_hit *h, int page)
{
    fprintf(f, "<li class=\"result\"><p><time>");
    rd_html_put(f, rd_date_of(&h->d));
    fputs("</time> ", f);
    if (page) {
        fputs("<a ", f);
        if (rd_page_href(f, "", "d", h->d.id))
            return -1;
        fputs(">", f);
        rd_html_put(f, h->d.title);
        fputs("</a>", f);
    } else {
        char *link = qy_decision_link(&h->d);
        rd_ext_link(f, link ? link : "", h->d.title);
        free(link);
    }
    fputs("</p>\n", f);
    if (h->snippet && *h->snippet) {
        fputs("<p class=\"snippet\">", f);
        snippet_put(f, h->snippet);
        fputs("</p>\n", f);
    }
    fputs("</li>\n", f);
    return 0;
}

static void facets_put(FILE *f, const qy_hits *h)
{
    fputs("<section class=\"facets\" aria-labelledby=\"facets\">\n<h2 "
          "id=\"facets\">Verdeling</h2>\n", f);
    for (unsigned k = 0; k < QY_NFACETS; k++) {
        const qy_facet *fc = &h->facets[k];
        if (!fc->n)
            continue;
        fprintf(f, "<h3>%s</h3>\n<ul>", qy_facet_name(k));
        for (size_t i = 0; i < fc->n && i < 12; i++) {
            fputs("<li>", f);
            rd_html_put(f, fc->v[i].value);
            fprintf(f, ": %u</li>", fc->v[i].n);
        }
        fputs("</ul>\n", f);
    }
    fputs("</section>\n", f);
}

static void paging_put(FILE *f, const qy_search_opts *o, const qy_hits *h)
{
    unsigned per = o->limit ? o->limit : 10, page = o->offset / per + 1;
    unsigned pages = (h->results + per - 1) / per;
    fputs("<nav class=\"paging\" aria-label=\"pagina's\"><p>", f);
    if (page > 1)
        search_link(f, o->query, page - 1, "prev", "vorige");
    fprintf(f, " pagina %u van %u ", page, pages ? pages : 1);
    if (page < pages)
        search_link(f, o->query, page + 1, "next", "volgende");
    fputs("</p></nav>\n", f);
}

int rd_site_search(FILE *f, const qy_search_opts *o, const qy_hits *h,
                   const char *why, const unsigned char *has_page,
                   const rd_site_info *si)
{
    rd_page_open(f, o->query && *o->query ? o->query : "Zoeken", "", si);
    fputs("<h1>Zoeken in de beslissingen</h1>\n", f);
    if (why) {
        fputs("<p class=\"error\">", f);
        rd_html_put(f, why);
        fputs("</p>\n", f);
    }
    if (h) {
        unsigned first = h->n ? o->offset + 1 : 0;
        fprintf(f, "<p class=\"count\">%u %s", h->total,
                rd_plural(h->total, "beslissing", "beslissingen"));
        if (h->n)
            fprintf(f, ", %u tot %u", first, o->offset + (unsigned)h->n);
        fputs(" voor <q>", f);
        rd_html_put(f, o->query);
        fputs("</q></p>\n", f);
        if (h->suggestion) {
            fputs("<p class=\"suggestion\">Bedoelde u ", f);
            search_link(f, h->suggestion, 1, NULL, h->suggestion);
            fputs("?</p>\n", f);
        }
        if (h->fallback)
            fputs("<p>Geen beslissing heeft alle woorden; dit zijn de "
                  "beslissingen met een deel ervan.</p>\n", f);
        fprintf(f, "<ol class=\"results\" start=\"%u\">\n", first ? first : 1);
        for (size_t i = 0; i < h->n; i++)
            if (hit_put(f, &h->hits[i], has_page && has_page[i]))
                return -1;
        fputs("</ol>\n", f);
        paging_put(f, o, h);
        facets_put(f, h);
    }
    rd_page_close(f, "", si);
    return ferror(f) ? -1 : 0;
}
