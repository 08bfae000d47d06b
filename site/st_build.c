/*
 * st_build.c -- a snapshot's site in memory: every section evaluated on
 * all cores (qy_each_section), its page rendered in the worker, what cites
 * which decision collected in agreement order, then the decision pages,
 * the front page, the method page and the assets.
 *
 * Owns: the record a worker hands over for its section (line 1: its
 * overview row; line 2: its citations as JSON; the rest: its page), the
 * citation index, a decision's dossier in date order.
 * Never: depends on thread timing (everything is ordered by section, then
 * by decision id): the same snapshot gives the same bytes.
 */
#include "st.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct cite {
    char *decision;       /* id */
    xs_docid doc;
    size_t section;       /* row of the overview */
    size_t commitment;
    qy_verdict verdict;
    char *text;
} cite;

typedef struct build {
    const ix_snapshot *s;
    const st_opts *o;
    rd_site_info si;
    qy_overview ov;
    cite *cites;
    size_t ncites, cap;
    st_site *site;
    size_t pcap;
    xs_err *err;
    int failed;
} build;

/* ---------------------------------------------------------- pages */

static int page_add(build *b, char *path, char *body, size_t len,
                    const char *type)
{
    st_site *st = b->site;
    if (!path || !body) {
        free(path);
        free(body);
        return -1;
    }
    if (st->n == b->pcap) {
        size_t cap = b->pcap ? 2 * b->pcap : 512;
        st_page *v = realloc(st->v, cap * sizeof *v);
        if (!v) {
            free(path);
            free(body);
            return -1;
        }
        st->v = v;
        b->pcap = cap;
    }
    st->v[st->n++] = (st_page){path, body, len, type};
    st->bytes += len;
    return 0;
}

static char *path_of(const char *dir, const char *id)
{
    char *name = rd_site_name(id);
    size_t n = name ? strlen(dir) + strlen(name) + 7 : 0;
    char *p = name ? malloc(n) : NULL;
    if (p)
        snprintf(p, n, "%s/%s.html", dir, name);
    free(name);
    return p;
}

typedef int (*render_fn)(FILE *f, const void *arg);

/* Render into memory and add the page. */
static int page_render(build *b, char *path, const char *type, render_fn fn,
                       const void *arg)
{
    char *body = NULL;
    size_t len = 0;
    FILE *f = path ? open_memstream(&body, &len) : NULL;
    if (!f) {
        free(path);
        return -1;
    }
    int bad = fn(f, arg) != 0;
    bad |= fclose(f) != 0;
    if (bad) {
        free(path);
        free(body);
        return -1;
    }
    return page_add(b, path, body, len, type);
}

/* -------------------------------------------------------- sections */

static json_t *cites_json(const qy_report *r)
{
    json_t *a = json_array();
    size_t num = 0;
    for (size_t i = 0; a && i < r->nitems; i++) {
        const qy_item *it = &r->items[i];
        if (it->verdict == QY_UNCHECKABLE)
            continue;
        num++;
        for (size_t k = 0; a && k < it->ncites; k++) {
            const qy_ref *rf = &r->refs[it->cites[k].ref];
            json_t *o = json_pack("[s, I, I, I, s]", rf->d.id,
                                  (json_int_t)rf->d.docid, (json_int_t)num,
                                  (json_int_t)it->verdict, it->text);
            if (!o || json_array_append_new(a, o)) {
                json_decref(a);
                a = NULL;
            }
        }
    }
    return a;
}

/* Worker: evaluate one section, write its record to out. */
static int section_job(const ix_snapshot *s, const char *id, FILE *out,
                       void *ctx)
{
    build *b = ctx;
    qy_report r;
    xs_err err = {0};
    xs_status st = qy_evaluate(s, b->o->ev, b->o->params, id, &r, &err);
    if (st) {
        fprintf(out, "%s", err.msg ? err.msg : xs_status_str(st));
        xs_err_clear(&err);
        return st;
    }
    qy_fixes_apply(b->o->fixes, &r, b->o->marks);
    int bad = qy_overview_record(out, &r, "") ||
              rd_json_put(out, JSON_COMPACT, cites_json(&r)) ||
              rd_site_section(out, &r, &b->si);
    qy_report_release(&r);
    return bad ? XS_NOMEM : 0;
}

static int cite_add(build *b, json_t *c, size_t section)
{
    if (b->ncites == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 1024;
        cite *v = realloc(b->cites, cap * sizeof *v);
        if (!v)
            return -1;
        b->cites = v;
        b->cap = cap;
    }
    const char *dec = json_string_value(json_array_get(c, 0));
    const char *text = json_string_value(json_array_get(c, 4));
    cite *x = &b->cites[b->ncites];
    x->decision = dec ? strdup(dec) : NULL;
    x->text = text ? strdup(text) : NULL;
    x->doc = (xs_docid)json_integer_value(json_array_get(c, 1));
    x->commitment = (size_t)json_integer_value(json_array_get(c, 2));
    x->verdict = (qy_verdict)json_integer_value(json_array_get(c, 3));
    x->section = section;
    if (!x->decision || !x->text || x->verdict >= QY_NVERDICTS) {
        free(x->decision);
        free(x->text);
        return -1;
    }
    b->ncites++;
    return 0;
}

/* Main thread, agreement order: take a section's record apart. */
static int section_done(void *ctx, const char *id, const char *out,
                        size_t len, int rc)
{
    build *b = ctx;
    if (rc) {
        xs_err_set(b->err, rc == XS_NOMEM ? XS_NOMEM : (xs_status)rc,
                   "section '%s': %.*s", id, (int)len, out);
        b->failed = 1;
        return 1;
    }
    const char *l1 = memchr(out, '\n', len);
    const char *l2 = l1 ? memchr(l1 + 1, '\n', len - (size_t)(l1 + 1 - out))
                        : NULL;
    json_t *cites = l2 ? json_loadb(l1 + 1, (size_t)(l2 - l1 - 1), 0, NULL)
                       : NULL;
    int bad = !cites || qy_overview_take(&b->ov, out, (size_t)(l1 - out));
    for (size_t i = 0; !bad && i < json_array_size(cites); i++)
        bad = cite_add(b, json_array_get(cites, i), b->ov.n - 1);
    json_decref(cites);
    size_t n = bad ? 0 : len - (size_t)(l2 + 1 - out);
    char *body = bad ? NULL : malloc(n + 1);
    if (body)
        memcpy(body, l2 + 1, n);
    if (bad || page_add(b, path_of("s", id), body, n, "text/html")) {
        xs_err_set(b->err, XS_NOMEM, "section '%s': out of memory", id);
        b->failed = 1;
        return 1;
    }
    b->site->sections++;
    return 0;
}

/* ------------------------------------------------------- decisions */

static int by_decision(const void *x, const void *y)
{
    const cite *a = x, *b = y;
    int c = strcmp(a->decision, b->decision);
    if (c)
        return c;
    return a->section != b->section ? (a->section < b->section ? -1 : 1)
           : a->commitment < b->commitment ? -1 : a->commitment > b->commitment;
}

static int is_cited(const build *b, const char *id)
{
    size_t lo = 0, hi = b->ncites;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(b->cites[mid].decision, id);
        if (!c)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

static int by_date(const void *x, const void *y)
{
    const rd_step *a = x, *b = y;
    const char *da = a->d->date, *db = b->d->date;
    if (!*da != !*db)
        return *da ? -1 : 1;        /* undated last */
    int c = strcmp(da, db);
    return c ? c : strcmp(a->d->id, b->d->id);
}

typedef struct decision_page {
    build *b;
    const qy_decision *d;
    rd_step *steps;
    size_t nsteps;
    rd_citing *citing;
    size_t nciting;
} decision_page;

static int render_decision(FILE *f, const void *arg)
{
    const decision_page *p = arg;
    const qy_evaluator *ev = p->b->o->ev;
    qy_stage st = p->d->docid < ev->ninfo ? ev->info[p->d->docid].stage
                                          : QY_STAGE_UNKNOWN;
    return rd_site_decision(f, p->d, st, p->steps, p->nsteps, p->citing,
                            p->nciting, &p->b->si);
}

/* The decisions of d's dossier (d among them), loaded into v. */
static xs_status dossier_of(build *b, const qy_decision *d, qy_decision **v,
                            rd_step **steps, size_t *n, xs_err *err)
{
    const ix_tables *tb = ix_snapshot_get_tables(b->s);
    const qy_evaluator *ev = b->o->ev;
    size_t cap = 1;
    for (xs_docid x = ix_tables_next(tb, d->docid); x && x != d->docid;
         x = ix_tables_next(tb, x))
        cap++;
    *v = calloc(cap, sizeof **v);
    *steps = calloc(cap, sizeof **steps);
    *n = 0;
    if (!*v || !*steps)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_docid x = d->docid;
    for (size_t i = 0; i < cap; i++, x = ix_tables_next(tb, x)) {
        xs_status st = qy_decision_load(b->s, x, &(*v)[i], err);
        if (st)
            return st;
        (*n)++;
        (*steps)[i].d = &(*v)[i];
        (*steps)[i].stage = x < ev->ninfo ? ev->info[x].stage
                                          : QY_STAGE_UNKNOWN;
        (*steps)[i].page = is_cited(b, (*v)[i].id);
    }
    qsort(*steps, *n, sizeof **steps, by_date);
    return XS_OK;
}

/* The page of the decision cited by cites [i, j). */
static xs_status decision_add(build *b, size_t i, size_t j, xs_err *err)
{
    qy_decision d;
    xs_status st = qy_decision_load(b->s, b->cites[i].doc, &d, err);
    if (st)
        return st;
    decision_page p = {b, &d, NULL, 0, calloc(j - i, sizeof(rd_citing)),
                       j - i};
    qy_decision *sib = NULL;
    size_t nsib = 0;
    if (!p.citing)
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    for (size_t k = i; !st && k < j; k++) {
        const qy_overview_row *row = &b->ov.rows[b->cites[k].section];
        p.citing[k - i] = (rd_citing){row->id, row->number, row->title,
                                      b->cites[k].commitment,
                                      b->cites[k].verdict, b->cites[k].text};
    }
    if (!st)
        st = dossier_of(b, &d, &sib, &p.steps, &nsib, err);
    p.nsteps = nsib;
    if (!st && page_render(b, path_of("d", d.id), "text/html",
                           render_decision, &p))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    for (size_t k = 0; sib && k < nsib; k++)
        qy_decision_release(&sib[k]);
    free(sib);
    free(p.steps);
    free(p.citing);
    qy_decision_release(&d);
    b->site->decisions += !st;
    return st;
}

static xs_status decisions_add(build *b, xs_err *err)
{
    qsort(b->cites, b->ncites, sizeof *b->cites, by_decision);
    for (size_t i = 0, j; i < b->ncites; i = j) {
        for (j = i + 1; j < b->ncites && !strcmp(b->cites[j].decision,
                                                 b->cites[i].decision); j++)
            ;
        xs_status st = decision_add(b, i, j, err);
        if (st)
            return st;
    }
    return XS_OK;
}

/* ----------------------------------------------------------- the rest */

static int render_front(FILE *f, const void *arg)
{
    const build *b = arg;
    return rd_site_front(f, &b->ov, &b->si);
}

static int render_method(FILE *f, const void *arg)
{
    const build *b = arg;
    return rd_site_method(f, &b->si);
}

static int render_json(FILE *f, const void *arg)
{
    const build *b = arg;
    return rd_site_sections_json(f, &b->ov);
}

static int render_text(FILE *f, const void *arg)
{
    return fputs(arg, f) < 0 ? -1 : 0;
}

static int fixed_pages(build *b)
{
    char marker[128];
    snprintf(marker, sizeof marker, "akkoord site\nsnapshot %s\n",
             ix_snapshot_id(b->s));
    return page_render(b, strdup("index.html"), "text/html", render_front, b) ||
           page_render(b, strdup("method.html"), "text/html", render_method,
                       b) ||
           page_render(b, strdup("sections.json"), "application/json",
                       render_json, b) ||
           page_render(b, strdup("style.css"), "text/css", render_text,
                       rd_site_css) ||
           page_render(b, strdup("filter.js"), "text/javascript",
                       render_text, rd_site_js) ||
           page_render(b, strdup(".akkoord-site"), "text/plain", render_text,
                       marker);
}

static int by_path(const void *x, const void *y)
{
    return strcmp(((const st_page *)x)->path, ((const st_page *)y)->path);
}

/* The snapshot's manifest.json, for the method page (NULL if unread). */
static char *manifest_of(const ix_snapshot *s)
{
    size_t n = strlen(ix_snapshot_dir(s)) + 16;
    char *path = malloc(n), *text = NULL;
    if (!path)
        return NULL;
    snprintf(path, n, "%s/manifest.json", ix_snapshot_dir(s));
    json_t *m = json_load_file(path, 0, NULL);
    free(path);
    if (m)
        text = json_dumps(m, JSON_INDENT(2) | JSON_SORT_KEYS);
    json_decref(m);
    return text;
}

xs_status st_build(const ix_snapshot *s, const st_opts *o, st_site **out,
                   xs_err *err)
{
    *out = NULL;
    build b = {.s = s, .o = o, .err = err};
    char *manifest = manifest_of(s);
    b.si = (rd_site_info){ix_snapshot_id(s), manifest, o->ev, o->params, o->fixes,
                          o->marks, o->live};
    b.site = calloc(1, sizeof *b.site);
    xs_status st = b.site ? XS_OK : xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st) {
        int rc = qy_each_section(s, section_job, &b, section_done, &b, err);
        if (rc && !b.failed && !err->code)
            xs_err_set(err, XS_NOMEM, "out of memory");
        st = rc ? (err->code ? err->code : XS_NOMEM) : XS_OK;
    }
    if (!st)
        st = decisions_add(&b, err);
    if (!st && fixed_pages(&b))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    for (size_t i = 0; i < b.ncites; i++) {
        free(b.cites[i].decision);
        free(b.cites[i].text);
    }
    free(b.cites);
    qy_overview_release(&b.ov);
    free(manifest);
    if (st) {
        st_free(b.site);
        return st;
    }
    qsort(b.site->v, b.site->n, sizeof *b.site->v, by_path);
    *out = b.site;
    return XS_OK;
}

void st_free(st_site *site)
{
    if (!site)
        return;
    for (size_t i = 0; i < site->n; i++) {
        free(site->v[i].path);
        free(site->v[i].body);
    }
    free(site->v);
    free(site);
}

const st_page *st_find(const st_site *site, const char *path)
{
    st_page key = {.path = (char *)(*path ? path : "index.html")};
    return bsearch(&key, site->v, site->n, sizeof *site->v, by_path);
}
