/*
 * rd_site.h -- the pages of the website (akkoord-query site and serve):
 * front page, a page per section, per cited decision, the method page and
 * the search page, as HTML5 in Dutch, with inline SVG charts.
 *
 * Owns: the markup of every page, the file name of a page (rd_site_name),
 * the two assets (style sheet, filter script).
 * Never: decides which pages a site has or where they go (site/ does);
 * lets corpus text become markup, a script or a live link (rd_html_put,
 * qy_url_ok); links outside the site except to a decision's source.
 * Layout and hooks: docs/site.md.
 */
#ifndef RD_SITE_H
#define RD_SITE_H

#include "rd_render.h"

/* What every page's footer and the method page say of the run. */
typedef struct rd_site_info {
    const char *snapshot;          /* id, "" when unknown                 */
    const char *manifest;          /* the snapshot's manifest.json, or NULL */
    const qy_evaluator *ev;
    const qy_params *params;
    const qy_fixes *fixes;         /* NULL: none                          */
    const unsigned char *marks;    /* per correction: qy_fixes_apply's    */
    int live;                      /* served: pages get a search box      */
} rd_site_info;

/* A commitment that cites a decision, for the decision's page. */
typedef struct rd_citing {
    const char *section, *number, *title;   /* borrowed                   */
    size_t commitment;             /* its N among the checkable, 1-based  */
    qy_verdict verdict;
    const char *text;              /* the sentence                        */
} rd_citing;

/* A decision of a dossier, for the timeline of a decision's page. */
typedef struct rd_step {
    const qy_decision *d;          /* borrowed                            */
    qy_stage stage;
    int page;                      /* the site has a page for it          */
} rd_step;

/* The file name of the page of id, without ".html": '/' as '_', and '_',
 * '~' and every byte outside [A-Za-z0-9.-] as ~XX; a leading '.' too
 * (malloc'd; NULL when out of memory).  Injective. */
char *rd_site_name(const char *id);

/* The pages: 0, or -1 on a write error or when out of memory. */
int rd_site_front(FILE *f, const qy_overview *ov, const rd_site_info *si);
/* A section: its cited decisions link to their pages (d/NAME.html), the
 * others to their reference. */
int rd_site_section(FILE *f, const qy_report *r, const rd_site_info *si);
int rd_site_decision(FILE *f, const qy_decision *d, qy_stage stage,
                     const rd_step *dossier, size_t nsteps,
                     const rd_citing *c, size_t nc, const rd_site_info *si);
int rd_site_method(FILE *f, const rd_site_info *si);
/* /search of serve: the hits of o's query, page `page` of `per` results
 * (h NULL: no query yet, or why says what is wrong with it);
 * has_page[i]: the site has a page for hit i (else it links to its
 * source). */
int rd_site_search(FILE *f, const qy_search_opts *o, const qy_hits *h,
                   const char *why, const unsigned char *has_page,
                   const rd_site_info *si);
/* sections.json: the sections with their counts (the filter's data). */
int rd_site_sections_json(FILE *f, const qy_overview *ov);

/* The assets, static text. */
extern const char rd_site_css[];
extern const char rd_site_js[];

#endif /* RD_SITE_H */
