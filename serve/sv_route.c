/*
 * sv_route.c -- what serve answers to a GET: a page of the current
 * generation's site, the search page, or an error page.
 *
 * Owns: the routes ("/" and the site's paths, "/search?q=&page="), the
 * checks of a search's arguments (length, UTF-8, page range).
 * Never: touches the file system: a path is only ever looked up among
 * the site's pages in memory.
 */
#include "sv-int.h"

#include <stdlib.h>
#include <string.h>

#define PER_PAGE 10

static void answer_text(sv_answer *a, unsigned status, const char *title,
                        const char *msg)
{
    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (f) {
        fprintf(f, "<!DOCTYPE html>\n<html lang=\"nl\">\n<head>\n<meta "
                "charset=\"utf-8\">\n<title>%s · akkoord</title>\n</head>\n"
                "<body>\n<main>\n<h1>%s</h1>\n<p>", title, title);
        rd_html_put(f, msg);
        fputs("</p>\n<p><a href=\"/\">Naar het overzicht</a></p>\n</main>\n"
              "</body>\n</html>\n", f);
        fclose(f);
    }
    *a = (sv_answer){body ? status : 500, body, body ? len : 0,
                     "text/html; charset=utf-8"};
}

static const char *type_of(const st_page *p)
{
    return !strcmp(p->type, "text/html") ? "text/html; charset=utf-8"
           : !strcmp(p->type, "text/css") ? "text/css; charset=utf-8"
           : !strcmp(p->type, "text/javascript")
               ? "text/javascript; charset=utf-8"
           : !strcmp(p->type, "application/json")
               ? "application/json; charset=utf-8"
               : "text/plain; charset=utf-8";
}

static void answer_page(sv_answer *a, const st_page *p)
{
    char *body = malloc(p->len ? p->len : 1);
    if (!body) {
        *a = (sv_answer){500, NULL, 0, "text/plain"};
        return;
    }
    memcpy(body, p->body, p->len);
    *a = (sv_answer){200, body, p->len, type_of(p)};
}

/* Which hits of h have a page in the site (malloc'd; NULL: none). */
static unsigned char *pages_of(const st_site *site, const qy_hits *h)
{
    unsigned char *v = calloc(h->n ? h->n : 1, 1);
    for (size_t i = 0; v && i < h->n; i++) {
        char *name = rd_site_name(h->hits[i].d.id);
        size_t n = name ? strlen(name) + 8 : 0;
        char *path = name ? malloc(n) : NULL;
        if (path) {
            snprintf(path, n, "d/%s.html", name);
            v[i] = st_find(site, path) != NULL;
        }
        free(path);
        free(name);
    }
    return v;
}

static void search_render(sv_answer *a, sv_gen *g, const sv_opts *so,
                          const qy_search_opts *o, const qy_hits *h,
                          const char *why, unsigned status)
{
    rd_site_info si = {ix_snapshot_id(g->s), NULL, g->ev, so->params, so->fixes,
                       g->marks, 1};
    unsigned char *pages = h ? pages_of(g->site, h) : NULL;
    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    int bad = !f || (h && !pages) ||
              rd_site_search(f, o, h, why, pages, &si) != 0;
    if (f)
        bad |= fclose(f) != 0;
    free(pages);
    if (bad) {
        free(body);
        answer_text(a, 500, "Fout", "De zoekpagina kon niet gemaakt worden.");
        return;
    }
    *a = (sv_answer){status, body, len, "text/html; charset=utf-8"};
}

/* Is q valid UTF-8 (jansson refuses a string that is not)? */
static int utf8_ok(const char *q)
{
    json_t *j = json_string(q);
    json_decref(j);
    return j != NULL;
}

static void route_search(sv_server *sv, sv_gen *g, const char *q,
                         const char *page, sv_answer *a)
{
    char *end = NULL;
    long pg = page ? strtol(page, &end, 10) : 1;
    if (page && (!*page || *end || pg < 1 || pg > SV_PAGE_MAX))
        return answer_text(a, 400, "Ongeldige pagina",
                           "page moet een getal van 1 tot 100 zijn.");
    if (q && strlen(q) > SV_QUERY_MAX)
        return answer_text(a, 413, "Zoekvraag te lang",
                           "Een zoekvraag heeft hoogstens 500 bytes.");
    if (q && !utf8_ok(q))
        return answer_text(a, 400, "Ongeldige zoekvraag",
                           "De zoekvraag is geen geldige UTF-8-tekst.");
    qy_search_opts o = {.query = q ? q : "", .limit = PER_PAGE,
                        .offset = (unsigned)(pg - 1) * PER_PAGE,
                        .facets = 1u << QY_FACET_YEAR | 1u << QY_FACET_KIND |
                                  1u << QY_FACET_MINISTER |
                                  1u << QY_FACET_THEME};
    if (!q || !*q)
        return search_render(a, g, sv->o, &o, NULL, NULL, 200);
    qy_hits *h = NULL;
    xs_err err = {0};
    pthread_mutex_lock(&g->search);
    xs_status st = qy_search(g->s, &o, &h, &err);
    pthread_mutex_unlock(&g->search);
    if (st == XS_BAD_QUERY)
        search_render(a, g, sv->o, &o, NULL,
                      err.msg ? err.msg : "ongeldige zoekvraag", 400);
    else if (st)
        answer_text(a, 500, "Fout", err.msg ? err.msg : xs_status_str(st));
    else
        search_render(a, g, sv->o, &o, h, NULL, 200);
    xs_err_clear(&err);
    qy_hits_free(h);
}

void sv_route(sv_server *sv, const char *url, const char *q,
              const char *page, sv_answer *a)
{
    sv_gen *g = sv_current(sv);
    if (!g) {
        answer_text(a, 503, "Niet beschikbaar", "Er is geen snapshot.");
        return;
    }
    const st_page *p = NULL;
    if (!strcmp(url, "/search"))
        route_search(sv, g, q, page, a);
    else if (url[0] == '/' && (p = st_find(g->site, url + 1)))
        answer_page(a, p);
    else
        answer_text(a, 404, "Niet gevonden", "Deze pagina bestaat niet.");
    sv_gen_release(g);
}
