/*
 * st.h -- the website of a snapshot: every page built in memory
 * (st_build), written to a directory whole or not at all (st_write), or
 * served (serve/ looks pages up with st_find).
 *
 * Owns: which pages a site has (docs/site.md): one per section, one per
 * decision cited as evidence, the front page, sections.json, the method
 * page, the assets; evaluating every section for it on all cores; who
 * cites a decision; a decision's dossier.
 * Never: lays a page out (render/rd_site.h does); serves.
 */
#ifndef ST_H
#define ST_H

#include "../render/rd_site.h"

typedef struct st_page {
    char *path;           /* "index.html", "s/NAME.html", ...              */
    char *body;
    size_t len;
    const char *type;     /* its media type (static)                       */
} st_page;

typedef struct st_site {
    st_page *v;           /* sorted by path                                */
    size_t n;
    size_t sections, decisions;   /* pages of each                         */
    size_t bytes;
} st_site;

typedef struct st_opts {
    const qy_params *params;
    const qy_evaluator *ev;
    const qy_fixes *fixes;        /* NULL: none                            */
    unsigned char *marks;         /* fixes->n entries: set per correction  */
    int live;                     /* pages for serve (a search box)        */
} st_opts;

/* Evaluate every section of s (tables loaded) and make its site.  Errors
 * from evaluating (the section named), XS_NOMEM. */
xs_status st_build(const ix_snapshot *s, const st_opts *o, st_site **out,
                   xs_err *err);
void st_free(st_site *site);
/* The page at path ("" is index.html); NULL if the site has none. */
const st_page *st_find(const st_site *site, const char *path);

/* Write site into dir: made whole beside it, then swapped in; an existing
 * dir is replaced only when it is empty or an earlier site (holds
 * .akkoord-site), never an index.  Errors name dir; dir is then as it
 * was. */
xs_status st_write(const st_site *site, const char *dir, xs_err *err);

#endif /* ST_H */
