/*
 * qy_search.c -- ad-hoc search: a user query in, ranked decisions out.
 *
 * Owns: combining the parsed user query with --since/--until, running it
 * (BM25, or newest first), loading each hit and its best passage.
 * Never: builds queries from paragraph text (qy_rank.c does that, term by
 * term).  Query syntax: Xapian QueryParser (AND/OR/NOT, "phrase", +/-,
 * prefixes from ix_parser_conf(), YYYY-MM-DD..YYYY-MM-DD ranges).
 */
#include "qy.h"
#include "qy-int.h"

#include "../corpus/cp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SNIPPET_BYTES 240
#define KIND_FACET_MAX 20

/* "YYYY-MM-DD" -> "YYYYMMDD" in v[9]; XS_BAD_QUERY if not a valid date. */
static xs_status date_value(const char *opt, const char *date, char v[9],
                            xs_err *err)
{
    if (!cp_date_valid(date, strlen(date)))
        return xs_err_set(err, XS_BAD_QUERY,
                          "%s '%s' is not a date (want YYYY-MM-DD)", opt, date);
    memcpy(v, date, 4);
    memcpy(v + 4, date + 5, 2);
    memcpy(v + 6, date + 8, 2);
    v[8] = '\0';
    return XS_OK;
}

/* Xapian's DateRangeProcessor accepts impossible dates (2021-13-45):
 * check every YYYY-MM-DD in the query ourselves. */
static xs_status check_dates(const char *q, xs_err *err)
{
    for (const char *p = q; *p; p++) {
        if (p > q && (isalnum((unsigned char)p[-1]) || p[-1] == '-'))
            continue;
        size_t n = strspn(p, "0123456789-");
        if (n == 10 && p[4] == '-' && p[7] == '-' && !cp_date_valid(p, 10))
            return xs_err_set(err, XS_BAD_QUERY,
                              "'%.10s' in query '%s' is not a date "
                              "(want YYYY-MM-DD)", p, q);
    }
    return XS_OK;
}

/* A query of plain words only (no operators, fields, phrases or
 * wildcards): its words, at most max, into w (pointers into buf, which
 * the caller frees); 0 if it is not such a query.  With neg, every word
 * must carry a leading '-' (dropped); without, none may. */
static size_t plain_words(const char *q, int neg, char **buf, char **w,
                          size_t max)
{
    static const char *const ops[] = {"AND", "OR", "NOT", "XOR", "NEAR",
                                      "ADJ", NULL};
    size_t n = 0;
    char *save = NULL, *b = *buf = strdup(q);
    if (!b)
        return 0;
    for (char *t = strtok_r(b, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
        if (neg != (*t == '-') || n == max)
            return 0;
        t += neg;
        for (size_t i = 0; ops[i]; i++)
            if (!strcmp(t, ops[i]))
                return 0;
        for (const char *c = t; *c; c++)
            if (!(isalnum((unsigned char)*c) || (unsigned char)*c >= 0x80 ||
                  (*c == '-' && c > t)))
                return 0;
        if (*t)
            w[n++] = t;
    }
    return n;
}

/* Parse a user query for db (decisions or sections of s). */
static xs_status parse_for(const ix_snapshot *s, const xs_db *db,
                           const char *text, int any, int undated,
                           xs_query **out, xs_err *err);

static xs_status parse(const ix_snapshot *s, const char *text, int any,
                       xs_query **out, xs_err *err)
{
    return parse_for(s, ix_snapshot_decisions(s), text, any, 0, out, err);
}

/* The parser configuration of a user query (any: words joined by OR). */
static xs_parser_conf user_conf(int any, int undated)
{
    xs_parser_conf conf = *ix_parser_conf();
    conf.default_or = any;
    conf.undated_too = undated;
    conf.stopwords = conf.compounds = conf.wildcards = conf.exact = 1;
    conf.variants = 1;
    return conf;
}

/* Parse text for db; with undated, its date filters (year:, ranges) let
 * the decisions without a date through. */
static xs_status parse_for(const ix_snapshot *s, const xs_db *db,
                           const char *text, int any, int undated,
                           xs_query **out, xs_err *err)
{
    xs_parser_conf conf = user_conf(any, undated);
    char *t = qy_exact_rewrite(text);
    if (!t)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_query_parse(db, ix_snapshot_stem(s), &conf, t, out, err);
    free(t);
    if (st == XS_BAD_QUERY || st == XS_INVALID) {
        char *why = err->msg;
        err->msg = NULL;
        xs_err_set(err, XS_BAD_QUERY, "cannot parse query '%s': %s", text,
                   qy_plain_parse_error(why));
        free(why);
        return XS_BAD_QUERY;
    }
    if (!st && xs_query_empty(*out))
        st = xs_err_set(err, XS_BAD_QUERY,
                        "query '%s' has nothing to search for", text);
    return st;
}

/* *q = a OP b, a and b freed. */
static xs_status combine(xs_op op, xs_query *a, xs_query *b, xs_query **q,
                         xs_err *err)
{
    xs_query *subs[2] = {a, b};
    xs_status st = a && b ? xs_query_combine(op, subs, 2, 0, q, err)
                          : xs_err_set(err, XS_NOMEM, "out of memory");
    xs_query_free(a);
    xs_query_free(b);
    return st;
}

/* All words negated (-stikstof): every decision except those. */
static xs_status parse_negated(const ix_snapshot *s, char **w, size_t n,
                               xs_query **out, xs_err *err)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(w[i]) + 1;
    char *text = malloc(len);
    if (!text)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    text[0] = '\0';
    for (size_t i = 0; i < n; i++)
        strcat(strcat(text, i ? " " : ""), w[i]);
    xs_query *all = NULL, *words = NULL;
    xs_status st = xs_query_all(&all, err);
    if (!st)
        st = parse(s, text, 1, &words, err);
    if (!st)
        st = combine(XS_OP_AND_NOT, all, words, out, err);
    else {
        xs_query_free(all);
        xs_query_free(words);
    }
    free(text);
    return st;
}

/* The decisions without a date (no value in the date slot). */
static xs_status undated_docs(xs_query **out, xs_err *err)
{
    xs_query *all = NULL, *has = NULL;
    xs_status st = xs_query_all(&all, err);
    if (!st)
        st = xs_query_range(IX_SLOT_DATE, "0", "", &has, err);
    if (st) {
        xs_query_free(all);
        return st;
    }
    return combine(XS_OP_AND_NOT, all, has, out, err);
}

static int one_more(void *ctx, const char *v, size_t len, unsigned n)
{
    (void)v, (void)len, (void)n;
    ++*(unsigned *)ctx;
    return 0;
}

/* Number of decisions matching q, exactly; with dossiers, also the number
 * of their dossiers (every decision has one). */
static xs_status count_all(const ix_snapshot *s, const xs_query *q,
                           unsigned *n, unsigned *dossiers, xs_err *err)
{
    xs_search_opts so = {.limit = 0, .sort_slot = -1, .exact = 1,
                         .nfacets = dossiers != NULL,
                         .facet_slots = {IX_SLOT_DOSSIER}};
    xs_mset *m = NULL;
    xs_status st = xs_search(ix_snapshot_decisions(s), q, &so, &m, err);
    *n = st ? 0 : xs_mset_total(m);
    if (!st && dossiers) {
        *dossiers = 0;
        st = xs_mset_facet(m, 0, 0, one_more, dossiers, err);
    }
    xs_mset_free(m);
    return st;
}

static xs_status count(const ix_snapshot *s, const xs_query *q, unsigned *n,
                       xs_err *err)
{
    return count_all(s, q, n, NULL, err);
}

/* The --since/--until window as a filter into *out (left NULL when there
 * is none); with undated it also lets the decisions without a date in. */
static xs_status window(const qy_search_opts *o, int undated, xs_query **out,
                        xs_err *err)
{
    char lo[9] = "", hi[9] = "";
    xs_status st = XS_OK;
    *out = NULL;
    if (o->since)
        st = date_value("--since", o->since, lo, err);
    if (!st && o->until)
        st = date_value("--until", o->until, hi, err);
    if (!st && *lo && *hi && strcmp(lo, hi) > 0)
        st = xs_err_set(err, XS_BAD_QUERY, "--since %s is after --until %s",
                        o->since, o->until);
    if (st || (!o->since && !o->until))
        return st;
    xs_query *range = NULL, *none = NULL;
    st = xs_query_range(IX_SLOT_DATE, lo, hi, &range, err);
    if (st || !undated) {
        *out = range;
        return st;
    }
    st = undated_docs(&none, err);
    if (st) {
        xs_query_free(range);
        return st;
    }
    return combine(XS_OP_OR, range, none, out, err);
}

#define MAX_WORDS 16

/* No decision has all of the words w[0..n): the word whose absence
 * leaves the most matches (NULL if none does). */
static xs_status find_killer(const ix_snapshot *s, char **w, size_t n,
                             char **killer, xs_err *err)
{
    unsigned best = 0;
    *killer = NULL;
    for (size_t i = 0; i < n && n > 1; i++) {
        char text[1024] = "";
        for (size_t k = 0; k < n; k++)
            if (k != i && strlen(text) + strlen(w[k]) + 2 < sizeof text)
                strcat(strcat(text, *text ? " " : ""), w[k]);
        xs_query *q = NULL;
        unsigned c = 0;
        xs_status st = parse(s, text, 0, &q, err);
        if (st == XS_BAD_QUERY) {      /* only stopwords left: skip */
            xs_err_clear(err);
            continue;
        }
        if (!st)
            st = count(s, q, &c, err);
        xs_query_free(q);
        if (st)
            return st;
        if (c > best) {
            best = c;
            *killer = w[i];
        }
    }
    if (*killer && !(*killer = strdup(*killer)))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    return XS_OK;
}

/* The words w[0..n) with each misspelt one replaced by the spelling
 * table's suggestion, into h->suggestion (left NULL when none is). */
static xs_status suggest(const ix_snapshot *s, char **w, size_t n, qy_hits *h,
                         xs_err *err)
{
    char line[1024] = "";
    int any = 0;
    for (size_t i = 0; i < n; i++) {
        char *alt = NULL;
        xs_status st = xs_db_suggest(ix_snapshot_decisions(s), w[i], &alt,
                                     err);
        if (st)
            return st;
        any |= *alt != '\0';
        const char *use = *alt ? alt : w[i];
        if (strlen(line) + strlen(use) + 2 < sizeof line)
            strcat(strcat(line, i ? " " : ""), use);
        free(alt);
    }
    if (any && !(h->suggestion = strdup(line)))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    return XS_OK;
}

/* The user's query into *out (with any, its words joined by OR), within
 * the --since/--until window; with undated, every date filter lets the
 * decisions without a date through.  *dated: it has a date filter. */
static xs_status user_query(const ix_snapshot *s, const qy_search_opts *o,
                            int any, int undated, xs_query **out, int *dated,
                            xs_err *err)
{
    char *buf = NULL, *w[MAX_WORDS];
    size_t n = plain_words(o->query, 1, &buf, w, MAX_WORDS);
    xs_status st = n ? parse_negated(s, w, n, out, err)
                     : parse_for(s, ix_snapshot_decisions(s), o->query, any,
                                 undated, out,
                                 err);
    free(buf);
    xs_query *win = NULL;
    if (!st)
        st = window(o, undated, &win, err);
    *dated = !st && (xs_query_dated(*out) || win);
    if (!st && win) {
        xs_query *q = *out;
        *out = NULL;
        st = combine(XS_OP_FILTER, q, win, out, err);
    }
    return st;
}

/* The decisions without a date that the date filters of the query left
 * out: those the query matches when the filters let them through. */
static xs_status count_undated(const ix_snapshot *s, const qy_search_opts *o,
                               int any, unsigned *n, xs_err *err)
{
    xs_query *q = NULL, *none = NULL, *left = NULL;
    int dated;
    xs_status st = user_query(s, o, any, 1, &q, &dated, err);
    if (!st)
        st = undated_docs(&none, err);
    if (!st)
        st = combine(XS_OP_FILTER, q, none, &left, err);
    else
        xs_query_free(q);
    if (!st)
        st = count(s, left, n, err);
    xs_query_free(left);
    return st;
}

/* Parse the user's query into *out (with any, its words joined by OR),
 * within the --since/--until window, counting the undated decisions that
 * its date filters leave out. */
static xs_status build_query(const ix_snapshot *s, const qy_search_opts *o,
                             int any, qy_hits *h, xs_query **out, xs_err *err)
{
    if (check_dates(o->query, err) || qy_check_fields(o->query, err))
        return XS_BAD_QUERY;
    int dated = 0;
    xs_status st = user_query(s, o, any, o->include_undated, out, &dated,
                              err);
    h->undated_left = 0;
    if (!st && dated && !o->include_undated)
        st = count_undated(s, o, any, &h->undated_left, err);
    return st;
}

/* A query of more than plain words matched nothing: the query with its
 * misspelt words corrected, fields and operators kept, into
 * h->suggestion (left NULL when no word needs it). */
static xs_status correct(const ix_snapshot *s, const char *query, qy_hits *h,
                         xs_err *err)
{
    xs_parser_conf conf = user_conf(0, 0);
    char *fix = NULL;
    xs_status st = xs_query_correct(ix_snapshot_decisions(s),
                                    ix_snapshot_stem(s), &conf, query, &fix,
                                    err);
    if (!st && *fix)
        h->suggestion = fix;
    else
        free(fix);
    return st;
}

/* Nothing matched: suggest spellings, and for two plain words or more
 * name the one that left nothing; *retry when the search should run
 * again with any of the words. */
static xs_status no_match(const ix_snapshot *s, const qy_search_opts *o,
                          qy_hits *h, int *retry, xs_err *err)
{
    char *buf = NULL, *w[MAX_WORDS];
    size_t n = plain_words(o->query, 0, &buf, w, MAX_WORDS);
    xs_status st = n ? suggest(s, w, n, h, err) : correct(s, o->query, h, err);
    if (!st && n > 1) {
        st = find_killer(s, w, n, &h->killer, err);
        h->fallback = *retry = 1;
    }
    free(buf);
    return st;
}

static void facet_release(qy_facet *f)
{
    for (size_t i = 0; i < f->n; i++)
        free(f->v[i].value);
    free(f->v);
}

void qy_hits_free(qy_hits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        qy_hit *hit = &h->hits[i];
        qy_decision_release(&hit->d);
        free(hit->snippet);
        for (size_t k = 0; k < hit->nsteps; k++) {
            free(hit->steps[k].id);
            free(hit->steps[k].date);
        }
        free(hit->steps);
    }
    for (size_t k = 0; k < QY_NFACETS; k++)
        facet_release(&h->facets[k]);
    free(h->hits);
    free(h->killer);
    free(h->suggestion);
    free(h->explain);
    free(h);
}

/* Append (value, n) to f; -1 when out of memory. */
static int facet_add(qy_facet *f, const char *value, size_t len, unsigned n)
{
    qy_count *v = realloc(f->v, (f->n + 1) * sizeof *v);
    if (!v)
        return -1;
    f->v = v;
    if (!(v[f->n].value = strndup(value, len)))
        return -1;
    v[f->n++].n = n;
    return 0;
}

/* Years: the date slot's values YYYYMMDD summed per year, by year. */
typedef struct years { unsigned n[10000]; int oom; } years;

static int year_value(void *ctx, const char *v, size_t len, unsigned n)
{
    years *y = ctx;
    if (len >= 4 && strspn(v, "0123456789") >= 4)
        y->n[(v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 +
             (v[3] - '0')] += n;
    return 0;
}

static xs_status year_facet(const xs_mset *m, size_t k, unsigned total,
                            qy_facet *f, xs_err *err)
{
    years *y = calloc(1, sizeof *y);
    if (!y)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_mset_facet(m, k, 0, year_value, y, err);
    unsigned dated = 0;
    for (int i = 0; !st && i < 10000; i++)
        if (y->n[i]) {
            char v[12];  /* "%04d" of any int, for the compiler */
            snprintf(v, sizeof v, "%04d", i);
            dated += y->n[i];
            if (facet_add(f, v, 4, y->n[i]))
                st = xs_err_set(err, XS_NOMEM, "out of memory");
        }
    if (!st && total > dated && facet_add(f, "onbekend", 8, total - dated))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    free(y);
    return st;
}

typedef struct kinds { qy_facet *f; unsigned seen; int oom; } kinds;

static int kind_value(void *ctx, const char *v, size_t len, unsigned n)
{
    kinds *k = ctx;
    k->seen += n;
    if (facet_add(k->f, v, len, n))
        k->oom = 1;
    return k->oom;
}

/* Kinds ("nota", "mededeling"), most frequent first, then "onbekend"
 * for the matches without one. */
static xs_status kind_facet(const xs_mset *m, size_t k, unsigned total,
                            qy_facet *f, xs_err *err)
{
    kinds ks = {f, 0, 0};
    xs_status st = xs_mset_facet(m, k, KIND_FACET_MAX, kind_value, &ks, err);
    if (!st && (ks.oom || (total > ks.seen &&
                           facet_add(f, "onbekend", 8, total - ks.seen))))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    return st;
}

#define LIST_FACET_MAX 20

/* Ministers or themes (a list slot): the most frequent first; a decision
 * with several counts for each; none for those without. */
static xs_status list_facet(const xs_mset *m, size_t k, qy_facet *f,
                            xs_err *err)
{
    kinds ks = {f, 0, 0};
    xs_status st = xs_mset_facet(m, k, LIST_FACET_MAX, kind_value, &ks, err);
    if (!st && ks.oom)
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    return st;
}

#define DOSSIER_FACET_MAX 10

typedef struct dossiers {
    const ix_snapshot *s;
    qy_facet *f;
    xs_status st;
    xs_err *err;
} dossiers;

static int first_doc(void *ctx, xs_docid did)
{
    *(xs_docid *)ctx = did;
    return 1;
}

/* A dossier (its term) by the title of its first decision. */
static int dossier_value(void *ctx, const char *v, size_t len, unsigned n)
{
    dossiers *d = ctx;
    char term[32];
    xs_docid did = 0;
    qy_decision dec = {0};
    snprintf(term, sizeof term, "%.*s", (int)len, v);
    d->st = xs_db_postings(ix_snapshot_decisions(d->s), term, first_doc, &did,
                           d->err);
    if (!d->st && did)
        d->st = qy_decision_load(d->s, did, &dec, d->err);
    if (!d->st && did && facet_add(d->f, dec.title, strlen(dec.title), n))
        d->st = xs_err_set(d->err, XS_NOMEM, "out of memory");
    qy_decision_release(&dec);
    return d->st != XS_OK;
}

static xs_status facets(const ix_snapshot *s, const xs_mset *m,
                        const qy_search_opts *o, qy_hits *h, xs_err *err)
{
    xs_status st = XS_OK;
    size_t k = 0;
    if (o->facets & 1u << QY_FACET_YEAR)
        st = year_facet(m, k++, h->total, &h->facets[QY_FACET_YEAR], err);
    if (!st && o->facets & 1u << QY_FACET_KIND)
        st = kind_facet(m, k++, h->total, &h->facets[QY_FACET_KIND], err);
    for (unsigned f = QY_FACET_MINISTER; !st && f <= QY_FACET_THEME; f++)
        if (o->facets & 1u << f)
            st = list_facet(m, k++, &h->facets[f], err);
    if (!st && o->facets & 1u << QY_FACET_DOSSIER) {
        dossiers d = {s, &h->facets[QY_FACET_DOSSIER], XS_OK, err};
        st = xs_mset_facet(m, k++, DOSSIER_FACET_MAX, dossier_value, &d, err);
        if (!st)
            st = d.st;
    }
    return st;
}

/* ------------------------------------------------------ dossier steps */

#define DOSSIER_READ_MAX 200    /* decisions of one dossier looked at */

typedef struct members { xs_docid did[DOSSIER_READ_MAX]; unsigned n, all; }
    members;

static int member(void *ctx, xs_docid did)
{
    members *m = ctx;
    if (m->n < DOSSIER_READ_MAX)
        m->did[m->n++] = did;
    m->all++;
    return 0;
}

/* Date order, undated last, then up the stage ladder, then id: the order
 * of a dossier's steps. */
static int step_cmp(const void *a, const void *b)
{
    const qy_step *x = a, *y = b;
    if (!*x->date != !*y->date)
        return *x->date ? -1 : 1;
    int c = strcmp(x->date, y->date);
    if (!c)
        c = (x->ladder > y->ladder) - (x->ladder < y->ladder);
    return c ? c : strcmp(x->id, y->id);
}

/* Load decision did's step (id, date, stage) into *out. */
static xs_status step_load(const ix_snapshot *s, const qy_stager *stager,
                           xs_docid did, qy_step *out, xs_err *err)
{
    qy_decision dec;
    xs_status st = qy_decision_load(s, did, &dec, err);
    if (st)
        return st;
    qy_stage stage;
    if (qy_stager_detect(stager, &dec, &stage))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    else {
        out->stage = qy_stage_name(stage);
        out->ladder = (int)stage;
        out->id = dec.id;
        out->date = dec.date;
        dec.id = dec.date = NULL;
    }
    qy_decision_release(&dec);
    return st;
}

/* The steps of hit's dossier, when it has two decisions or more (the
 * stage rules read into *stager the first time). */
static xs_status dossier_steps(const ix_snapshot *s, qy_stager **stager,
                               qy_hit *hit, xs_err *err)
{
    char term[18];
    members *m = calloc(1, sizeof *m);
    if (!m || ix_dossier_term(hit->d.title, strlen(hit->d.title), hit->d.id,
                              strlen(hit->d.id), term)) {
        free(m);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    xs_status st = xs_db_postings(ix_snapshot_decisions(s), term, member, m,
                                  err);
    hit->dossier_size = m->all;
    if (!st && m->n > 1 && !*stager)
        st = qy_stager_new(NULL, stager, err);
    if (!st && m->n > 1 && !(hit->steps = calloc(m->n, sizeof *hit->steps)))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    for (unsigned i = 0; !st && m->n > 1 && i < m->n; i++) {
        st = step_load(s, *stager, m->did[i], &hit->steps[i], err);
        hit->nsteps += !st;
    }
    free(m);
    if (!st && hit->nsteps) {
        qsort(hit->steps, hit->nsteps, sizeof *hit->steps, step_cmp);
        for (size_t k = QY_STEPS_MAX; k < hit->nsteps; k++) {
            free(hit->steps[k].id);
            free(hit->steps[k].date);
        }
        if (hit->nsteps > QY_STEPS_MAX)
            hit->nsteps = QY_STEPS_MAX;
    }
    return st;
}

/* With collapse, the steps of every hit's dossier. */
static xs_status collect_steps(const ix_snapshot *s, const qy_search_opts *o,
                               qy_hits *h, xs_err *err)
{
    qy_stager *stager = NULL;
    xs_status st = XS_OK;
    for (size_t i = 0; !st && o->collapse && i < h->n; i++)
        st = dossier_steps(s, &stager, &h->hits[i], err);
    qy_stager_free(stager);
    return st;
}

/* The page of m into h: each hit loaded, with its best passage. */
static xs_status collect_page(const ix_snapshot *s, const xs_mset *m,
                              const qy_search_opts *o, qy_hits *h,
                              xs_err *err)
{
    unsigned n = xs_mset_size(m);
    h->results = xs_mset_results(m);
    if (!o->collapse)
        h->total = h->results;
    if (n && !(h->hits = calloc(n, sizeof *h->hits)))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    for (unsigned i = 0; i < n; i++) {
        qy_hit *hit = &h->hits[i];
        xs_status st = qy_decision_load(s, xs_mset_docid(m, i), &hit->d, err);
        if (st)
            return st;
        h->n++;
        hit->rank = o->offset + i + 1;
        hit->score = xs_mset_weight(m, i);
        hit->more = o->collapse ? xs_mset_collapsed(m, i) : 0;
        const char *src = *hit->d.text ? hit->d.text : hit->d.title;
        hit->snippet = xs_mset_snippet(m, ix_snapshot_stem(s), src,
                                       strlen(src),
                                       SNIPPET_BYTES, "\x01", "\x02");
        if (!hit->snippet)
            return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    return XS_OK;
}

/* Build the query (any: its words joined by OR), match it and collect
 * the page, the exact counts and the facets into h. */
static xs_status run_search(const ix_snapshot *s, const qy_search_opts *o,
                            const xs_search_opts *so, int any, qy_hits *h,
                            xs_err *err)
{
    xs_query *q = NULL;
    xs_mset *m = NULL;
    free(h->explain);
    h->explain = NULL;
    xs_status st = build_query(s, o, any, h, &q, err);
    if (!st && !(h->explain = xs_query_describe(q)))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st)
        st = xs_search(ix_snapshot_decisions(s), q, so, &m, err);
    if (!st)
        st = collect_page(s, m, o, h, err);
    if (!st)
        st = collect_steps(s, o, h, err);
    if (!st && o->collapse)     /* Xapian estimates what it collapsed */
        st = count_all(s, q, &h->total, &h->results, err);
    if (!st)
        st = facets(s, m, o, h, err);
    xs_mset_free(m);
    xs_query_free(q);
    return st;
}

xs_status qy_search(const ix_snapshot *s, const qy_search_opts *o,
                    qy_hits **out, xs_err *err)
{
    *out = NULL;
    qy_hits *h = calloc(1, sizeof *h);
    if (!h)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_search_opts so = {.offset = o->offset, .limit = o->limit,
                         .sort_slot = o->sort ? IX_SLOT_DATE : -1,
                         .sort_ascending = o->sort == QY_SORT_DATE_ASC,
                         .exact = 1, .collapse = o->collapse,
                         .collapse_slot = IX_SLOT_DOSSIER,
                         .tie_slot = IX_SLOT_ID};
    if (o->facets & 1u << QY_FACET_YEAR)
        so.facet_slots[so.nfacets++] = IX_SLOT_DATE;
    if (o->facets & 1u << QY_FACET_KIND)
        so.facet_slots[so.nfacets++] = IX_SLOT_KIND;
    for (unsigned f = QY_FACET_MINISTER; f <= QY_FACET_THEME; f++)
        if (o->facets & 1u << f) {
            so.facet_multi |= 1u << so.nfacets;
            so.facet_slots[so.nfacets++] =
                f == QY_FACET_MINISTER ? IX_SLOT_MINISTER : IX_SLOT_THEME;
        }
    if (o->facets & 1u << QY_FACET_DOSSIER)
        so.facet_slots[so.nfacets++] = IX_SLOT_DOSSIER;
    int retry = 0;
    xs_status st = run_search(s, o, &so, 0, h, err);
    if (!st && !h->total)
        st = no_match(s, o, h, &retry, err);
    if (!st && retry)
        st = run_search(s, o, &so, 1, h, err);
    if (st) {
        qy_hits_free(h);
        return st;
    }
    *out = h;
    return XS_OK;
}

/* ------------------------------------------------------------ similar */

#define SIMILAR_TERMS 25

typedef struct terms { xs_query *q[SIMILAR_TERMS]; size_t n; xs_err *err;
                       xs_status st; } terms;

static int take_term(void *ctx, const char *t, size_t len, unsigned w)
{
    terms *ts = ctx;
    char buf[256];
    (void)w;
    if (ts->n == SIMILAR_TERMS || len >= sizeof buf)
        return ts->n == SIMILAR_TERMS;
    memcpy(buf, t, len);
    buf[len] = '\0';
    ts->st = xs_query_term(buf, 1, &ts->q[ts->n], ts->err);
    ts->n += !ts->st;
    return ts->st != XS_OK;
}

/* The query of decision did's best expansion terms (Xapian ESet), without
 * did itself. */
static xs_status similar_query(const ix_snapshot *s, const qy_decision *d,
                               xs_query **out, xs_err *err)
{
    terms ts = {.err = err};
    xs_docid did = d->docid;
    xs_status st = xs_expand(ix_snapshot_decisions(s), &did, 1, SIMILAR_TERMS,
                             "Z", "ZS",
                             take_term, &ts, err);
    if (!st)
        st = ts.st;
    xs_query *any = NULL, *self = NULL;
    if (!st && !ts.n)
        st = xs_err_set(err, XS_NOT_FOUND, "decision '%s' has no words to "
                        "compare", d->id);
    if (!st)
        st = xs_query_combine(XS_OP_OR, ts.q, ts.n, 0, &any, err);
    char *q = st ? NULL : malloc(strlen(d->id) + 2);
    if (!st && !q)
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st) {
        sprintf(q, "Q%s", d->id);
        st = xs_query_term(q, 1, &self, err);
    }
    free(q);
    if (!st)
        st = combine(XS_OP_AND_NOT, any, self, out, err);
    else {
        xs_query_free(any);
        xs_query_free(self);
    }
    for (size_t i = 0; i < ts.n; i++)
        xs_query_free(ts.q[i]);
    return st;
}

xs_status qy_similar(const ix_snapshot *s, const char *id, unsigned limit,
                     qy_hits **out, xs_err *err)
{
    *out = NULL;
    qy_decision d = {0};
    xs_query *q = NULL;
    xs_mset *m = NULL;
    qy_search_opts o = {.query = id, .limit = limit};
    qy_hits *h = calloc(1, sizeof *h);
    xs_status st = h ? qy_decision_find(s, id, &d, err)
                     : xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st)
        st = similar_query(s, &d, &q, err);
    xs_search_opts so = {.limit = limit, .sort_slot = -1, .exact = 1,
                         .tie_slot = IX_SLOT_ID};
    if (!st && !(h->explain = xs_query_describe(q)))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st)
        st = xs_search(ix_snapshot_decisions(s), q, &so, &m, err);
    if (!st)
        st = collect_page(s, m, &o, h, err);
    xs_mset_free(m);
    xs_query_free(q);
    qy_decision_release(&d);
    if (st) {
        qy_hits_free(h);
        return st;
    }
    *out = h;
    return XS_OK;
}

/* ----------------------------------------------------------- sections */

void qy_section_hits_free(qy_section_hits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        qy_section_release(&h->v[i].sec);
        free(h->v[i].snippet);
    }
    free(h->v);
    free(h);
}

static xs_status collect_sections(const ix_snapshot *s, const xs_mset *m,
                                  qy_section_hits *h, xs_err *err)
{
    unsigned n = xs_mset_size(m);
    h->total = xs_mset_total(m);
    if (n && !(h->v = calloc(n, sizeof *h->v)))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    for (unsigned i = 0; i < n; i++) {
        qy_section_hit *hit = &h->v[i];
        xs_status st = qy_section_load(s, xs_mset_docid(m, i), &hit->sec, err);
        if (st)
            return st;
        h->n++;
        const char *t = hit->sec.text;
        hit->snippet = xs_mset_snippet(m, ix_snapshot_stem(s), t, strlen(t),
                                       SNIPPET_BYTES, "\x01", "\x02");
        if (!hit->snippet)
            return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    return XS_OK;
}

xs_status qy_search_sections(const ix_snapshot *s, const char *query,
                             unsigned limit, qy_section_hits **out,
                             xs_err *err)
{
    *out = NULL;
    xs_query *q = NULL;
    xs_mset *m = NULL;
    qy_section_hits *h = calloc(1, sizeof *h);
    xs_status st = h ? qy_check_fields(query, err)
                     : xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st)
        st = parse_for(s, ix_snapshot_sections(s), query, 0, 0, &q, err);
    xs_search_opts so = {.limit = limit, .sort_slot = -1, .exact = 1,
                         .tie_slot = IX_SLOT_ID};
    if (!st)
        st = xs_search(ix_snapshot_sections(s), q, &so, &m, err);
    if (!st)
        st = collect_sections(s, m, h, err);
    xs_mset_free(m);
    xs_query_free(q);
    if (st) {
        qy_section_hits_free(h);
        return st;
    }
    *out = h;
    return XS_OK;
}
