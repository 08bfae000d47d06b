/*
 * metrics.c -- TREC qrels and run reading, and the measures of metrics.h.
 *
 * Owns: the line parser shared by qrels and runs (one table of lines,
 * grouped by query), duplicate detection, and the per-query measures.
 * Never: prints, exits, or keeps state between calls.
 * Definitions: trec_eval 9 (recall_k, ndcg_cut_10 with binary gain, map),
 * Voorhees & Harman, "TREC: Experiment and Evaluation", 2005, ch. 3.
 */
#include "metrics.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One line of a qrels or run file; key is rel (qrels) or rank (run). */
typedef struct bm_line {
    char *qid;
    char *doc;
    long key;
    size_t lineno;
} bm_line;

/* A query's lines: v[0..n) inside the table. */
typedef struct bm_group {
    const char *qid;
    bm_line *v;
    size_t n;
} bm_group;

/* Lines sorted by qid, then grouped. */
typedef struct bm_table {
    bm_line *v;
    size_t n, cap;
    bm_group *g;
    size_t ng;
} bm_table;

struct bm_qrels { bm_table t; };  /* within a query: sorted by docno */
struct bm_run { bm_table t; };    /* within a query: by rank, then line */

/* ------------------------------------------------------------ errors */

void bm_error_release(bm_error *err)
{
    if (!err)
        return;
    free(err->msg);
    err->msg = NULL;
    err->status = BM_OK;
}

const char *bm_status_str(bm_status status)
{
    switch (status) {
    case BM_OK: return "ok";
    case BM_NOMEM: return "out of memory";
    case BM_IO: return "cannot read file";
    case BM_FORMAT: return "malformed input";
    }
    return "unknown status";
}

/* Set err to status with a formatted message; returns status. When the
 * message itself cannot be allocated, msg stays NULL (callers fall back to
 * bm_status_str). */
static bm_status err_set(bm_error *err, bm_status status, const char *fmt,
                         ...)
{
    va_list ap;
    int n;

    if (!err)
        return status;
    free(err->msg);
    err->msg = NULL;
    err->status = status;
    va_start(ap, fmt);
    n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !(err->msg = malloc((size_t)n + 1)))
        return status;
    va_start(ap, fmt);
    vsnprintf(err->msg, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return status;
}

/* ------------------------------------------------------------ metric names */

static const char *const metric_names[BM_NMETRICS] = {
    "recall_10", "recall_50", "recall_100", "recall_1000", "ndcg_cut_10",
    "map"};
static const char *const metric_labels[BM_NMETRICS] = {
    "R@10", "R@50", "R@100", "R@1000", "nDCG@10", "MAP"};

const char *bm_metric_name(bm_metric m)
{
    return (unsigned)m < BM_NMETRICS ? metric_names[m] : NULL;
}

const char *bm_metric_label(bm_metric m)
{
    return (unsigned)m < BM_NMETRICS ? metric_labels[m] : NULL;
}

/* ------------------------------------------------------------ tables */

static void table_release(bm_table *t)
{
    for (size_t i = 0; i < t->n; i++) {
        free(t->v[i].qid);
        free(t->v[i].doc);
    }
    free(t->v);
    free(t->g);
    memset(t, 0, sizeof *t);
}

static bm_status table_push(bm_table *t, const char *qid, const char *doc,
                            long key, size_t lineno)
{
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 1024;
        bm_line *v = realloc(t->v, cap * sizeof *v);
        if (!v)
            return BM_NOMEM;
        t->v = v;
        t->cap = cap;
    }
    bm_line *l = &t->v[t->n];
    l->qid = strdup(qid);
    l->doc = strdup(doc);
    if (!l->qid || !l->doc) {
        free(l->qid);
        free(l->doc);
        return BM_NOMEM;
    }
    l->key = key;
    l->lineno = lineno;
    t->n++;
    return BM_OK;
}

static int cmp_qid_doc(const void *a, const void *b)
{
    const bm_line *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    if (c)
        return c;
    c = strcmp(x->doc, y->doc);
    if (c)
        return c;
    return (x->lineno > y->lineno) - (x->lineno < y->lineno);
}

static int cmp_qid_rank(const void *a, const void *b)
{
    const bm_line *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    if (c)
        return c;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->lineno > y->lineno) - (x->lineno < y->lineno);
}

/* Sort by qid and docno; a docno repeated within a query is an error
 * naming the later line. */
static bm_status table_check_dups(bm_table *t, const char *name,
                                  bm_error *err)
{
    if (t->n > 1)    /* qsort(NULL, 0, ...) is undefined (C11 7.22.5) */
        qsort(t->v, t->n, sizeof *t->v, cmp_qid_doc);
    for (size_t i = 1; i < t->n; i++) {
        const bm_line *a = &t->v[i - 1], *b = &t->v[i];
        if (!strcmp(a->qid, b->qid) && !strcmp(a->doc, b->doc))
            return err_set(err, BM_FORMAT,
                           "%s:%zu: document '%s' repeated for query '%s' "
                           "(first on line %zu)",
                           name, b->lineno, b->doc, b->qid, a->lineno);
    }
    return BM_OK;
}

/* Fill t->g from lines already sorted by qid. */
static bm_status table_group(bm_table *t)
{
    size_t ng = 0;
    for (size_t i = 0; i < t->n; i++)
        if (i == 0 || strcmp(t->v[i - 1].qid, t->v[i].qid))
            ng++;
    t->g = calloc(ng ? ng : 1, sizeof *t->g);
    if (!t->g)
        return BM_NOMEM;
    for (size_t i = 0; i < t->n; i++) {
        if (i == 0 || strcmp(t->v[i - 1].qid, t->v[i].qid))
            t->g[t->ng++] = (bm_group){t->v[i].qid, &t->v[i], 0};
        t->g[t->ng - 1].n++;
    }
    return BM_OK;
}

static int cmp_group_qid(const void *key, const void *elem)
{
    return strcmp(key, ((const bm_group *)elem)->qid);
}

static const bm_group *table_find(const bm_table *t, const char *qid)
{
    return bsearch(qid, t->g, t->ng, sizeof *t->g, cmp_group_qid);
}

/* ------------------------------------------------------------ parsing */

enum { MAX_FIELDS = 7 };

/* Split s in place at spaces and tabs; returns the field count (at most
 * MAX_FIELDS: the last one then holds the rest unsplit). */
static size_t split_fields(char *s, char *f[MAX_FIELDS])
{
    size_t n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
            *s++ = '\0';
        if (!*s)
            break;
        if (n == MAX_FIELDS)
            return n + 1;
        f[n++] = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            s++;
    }
    return n;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    *out = strtol(s, &end, 10);
    return errno == 0 && end != s && *end == '\0';
}

static int parse_double(const char *s)
{
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    return errno == 0 && end != s && *end == '\0' && isfinite(d);
}

typedef bm_status (*line_fn)(bm_table *t, char **f, size_t nf,
                             const char *name, size_t lineno, bm_error *err);

static bm_status qrels_line(bm_table *t, char **f, size_t nf,
                            const char *name, size_t lineno, bm_error *err)
{
    long rel;
    if (nf != 4)
        return err_set(err, BM_FORMAT,
                       "%s:%zu: expected 4 fields 'qid iter docno rel', "
                       "got %zu", name, lineno, nf);
    if (!parse_long(f[3], &rel))
        return err_set(err, BM_FORMAT,
                       "%s:%zu: relevance '%s' is not an integer", name,
                       lineno, f[3]);
    return table_push(t, f[0], f[2], rel, lineno);
}

static bm_status run_line(bm_table *t, char **f, size_t nf,
                          const char *name, size_t lineno, bm_error *err)
{
    long rank;
    if (nf != 6)
        return err_set(err, BM_FORMAT,
                       "%s:%zu: expected 6 fields 'qid Q0 docno rank score "
                       "tag', got %zu", name, lineno, nf);
    if (!parse_long(f[3], &rank))
        return err_set(err, BM_FORMAT,
                       "%s:%zu: rank '%s' is not an integer", name, lineno,
                       f[3]);
    if (!parse_double(f[4]))
        return err_set(err, BM_FORMAT,
                       "%s:%zu: score '%s' is not a number", name, lineno,
                       f[4]);
    return table_push(t, f[0], f[2], rank, lineno);
}

/* Read every line of f through fn into t. */
static bm_status table_read(bm_table *t, FILE *f, const char *name,
                            line_fn fn, bm_error *err)
{
    char *buf = NULL, *fields[MAX_FIELDS];
    size_t cap = 0, lineno = 0;
    bm_status st = BM_OK;

    while (getline(&buf, &cap, f) != -1) {
        lineno++;
        size_t nf = split_fields(buf, fields);
        if (nf == 0)
            continue;
        st = fn(t, fields, nf, name, lineno, err);
        if (st == BM_NOMEM)
            err_set(err, st, "%s:%zu: out of memory", name, lineno);
        if (st)
            goto done;
    }
    if (ferror(f))
        st = err_set(err, BM_IO, "%s: read error after line %zu", name,
                     lineno);
done:
    free(buf);
    return st;
}

/* ------------------------------------------------------------ qrels, run */

bm_status bm_qrels_read(FILE *f, const char *name, bm_qrels **out,
                        bm_error *err)
{
    bm_qrels *q = calloc(1, sizeof *q);
    bm_status st = BM_NOMEM;

    *out = NULL;
    if (!q)
        return err_set(err, st, "%s: out of memory", name);
    st = table_read(&q->t, f, name, qrels_line, err);
    if (!st)
        st = table_check_dups(&q->t, name, err);
    if (!st && (st = table_group(&q->t)))
        err_set(err, st, "%s: out of memory", name);
    if (st) {
        bm_qrels_free(q);
        return st;
    }
    *out = q;
    return BM_OK;
}

bm_status bm_run_read(FILE *f, const char *name, bm_run **out,
                      bm_error *err)
{
    bm_run *r = calloc(1, sizeof *r);
    bm_status st = BM_NOMEM;

    *out = NULL;
    if (!r)
        return err_set(err, st, "%s: out of memory", name);
    st = table_read(&r->t, f, name, run_line, err);
    if (!st)
        st = table_check_dups(&r->t, name, err);
    if (!st) {
        if (r->t.n > 1)
            qsort(r->t.v, r->t.n, sizeof *r->t.v, cmp_qid_rank);
        if ((st = table_group(&r->t)))
            err_set(err, st, "%s: out of memory", name);
    }
    if (st) {
        bm_run_free(r);
        return st;
    }
    *out = r;
    return BM_OK;
}

typedef bm_status (*read_fn)(FILE *f, const char *name, void **out,
                             bm_error *err);

/* Open path (or stdin for "-"), read it with fn, close it. */
static bm_status load_file(const char *path, read_fn fn, void **out,
                           bm_error *err)
{
    int is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "r");

    *out = NULL;
    if (!f)
        return err_set(err, BM_IO, "%s: %s", path, strerror(errno));
    bm_status st = fn(f, is_stdin ? "<stdin>" : path, out, err);
    if (!is_stdin)
        fclose(f);
    return st;
}

static bm_status qrels_read_any(FILE *f, const char *name, void **out,
                                bm_error *err)
{
    bm_qrels *q;
    bm_status st = bm_qrels_read(f, name, &q, err);
    *out = q;
    return st;
}

static bm_status run_read_any(FILE *f, const char *name, void **out,
                              bm_error *err)
{
    bm_run *r;
    bm_status st = bm_run_read(f, name, &r, err);
    *out = r;
    return st;
}

bm_status bm_qrels_load(const char *path, bm_qrels **out, bm_error *err)
{
    void *p;
    bm_status st = load_file(path, qrels_read_any, &p, err);
    *out = p;
    return st;
}

bm_status bm_run_load(const char *path, bm_run **out, bm_error *err)
{
    void *p;
    bm_status st = load_file(path, run_read_any, &p, err);
    *out = p;
    return st;
}

void bm_qrels_free(bm_qrels *q)
{
    if (!q)
        return;
    table_release(&q->t);
    free(q);
}

void bm_run_free(bm_run *r)
{
    if (!r)
        return;
    table_release(&r->t);
    free(r);
}

/* ------------------------------------------------------------ measures */

static int cmp_line_doc(const void *key, const void *elem)
{
    return strcmp(key, ((const bm_line *)elem)->doc);
}

static int is_relevant(const bm_group *judged, const char *doc)
{
    const bm_line *l = bsearch(doc, judged->v, judged->n, sizeof *l,
                               cmp_line_doc);
    return l && l->key > 0;
}

static size_t count_relevant(const bm_group *judged)
{
    size_t n = 0;
    for (size_t i = 0; i < judged->n; i++)
        n += judged->v[i].key > 0;
    return n;
}

/* Ideal DCG@10 for nrel relevant documents (binary gain). */
static double ideal_dcg10(size_t nrel)
{
    double d = 0;
    for (size_t i = 1; i <= nrel && i <= 10; i++)
        d += 1.0 / log2((double)i + 1.0);
    return d;
}

/* Fill e (qid and nrel already set) from the ranked list (may be NULL). */
static void query_measure(bm_query_eval *e, const bm_group *judged,
                          const bm_group *ranked)
{
    static const size_t cut[4] = {10, 50, 100, 1000};
    size_t n = ranked ? ranked->n : 0, hits = 0, hits_at[4] = {0};
    double dcg = 0, ap = 0;

    if (n > BM_RUN_CUT)
        n = BM_RUN_CUT;
    for (size_t rank = 1; rank <= n; rank++) {
        if (!is_relevant(judged, ranked->v[rank - 1].doc))
            continue;
        hits++;
        ap += (double)hits / (double)rank;
        if (rank <= 10)
            dcg += 1.0 / log2((double)rank + 1.0);
        for (int k = 0; k < 4; k++)
            hits_at[k] += rank <= cut[k];
    }
    for (int k = 0; k < 4; k++)
        e->v[BM_R10 + k] = (double)hits_at[k] / (double)e->nrel;
    e->nret = n;
    e->relret = hits;
    e->v[BM_NDCG10] = dcg / ideal_dcg10(e->nrel);
    e->v[BM_MAP] = ap / (double)e->nrel;
}

bm_status bm_eval_compute(const bm_qrels *qrels, const bm_run *run,
                          bm_eval **out, bm_error *err)
{
    bm_eval *e = calloc(1, sizeof *e);

    *out = NULL;
    if (!e || !(e->q = calloc(qrels->t.ng ? qrels->t.ng : 1, sizeof *e->q)))
        goto nomem;
    for (size_t i = 0; i < qrels->t.ng; i++) {
        const bm_group *judged = &qrels->t.g[i];
        size_t nrel = count_relevant(judged);
        if (nrel == 0)
            continue;
        bm_query_eval *qe = &e->q[e->n];
        if (!(qe->qid = strdup(judged->qid)))
            goto nomem;
        e->n++;
        qe->nrel = nrel;
        query_measure(qe, judged, table_find(&run->t, judged->qid));
        e->nrel += qe->nrel;
        e->nret += qe->nret;
        e->relret += qe->relret;
        for (int m = 0; m < BM_NMETRICS; m++)
            e->mean[m] += qe->v[m];
    }
    for (int m = 0; m < BM_NMETRICS && e->n; m++)
        e->mean[m] /= (double)e->n;
    *out = e;
    return BM_OK;
nomem:
    bm_eval_free(e);
    return err_set(err, BM_NOMEM, "evaluation: out of memory");
}

void bm_eval_free(bm_eval *e)
{
    if (!e)
        return;
    for (size_t i = 0; i < e->n; i++)
        free(e->q[i].qid);
    free(e->q);
    free(e);
}
