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

#include "../corpus/cp.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define SNIPPET_BYTES 240

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

/* Restrict *q to the --since/--until window, replacing *q. */
static xs_status add_window(const qy_search_opts *o, xs_query **q,
                            xs_err *err)
{
    char lo[9] = "", hi[9] = "";
    xs_status st = XS_OK;
    if (o->since)
        st = date_value("--since", o->since, lo, err);
    if (!st && o->until)
        st = date_value("--until", o->until, hi, err);
    if (st || (!o->since && !o->until))
        return st;
    xs_query *range = NULL, *both = NULL;
    st = xs_query_range(IX_SLOT_DATE, lo, hi, &range, err);
    if (!st) {
        xs_query *subs[2] = {*q, range};
        st = xs_query_combine(XS_OP_FILTER, subs, 2, 0, &both, err);
    }
    xs_query_free(range);
    if (!st) {
        xs_query_free(*q);
        *q = both;
    }
    return st;
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

static xs_status build_query(const ix_snapshot *s, const qy_search_opts *o,
                             xs_query **out, xs_err *err)
{
    if (check_dates(o->query, err))
        return XS_BAD_QUERY;
    xs_status st = xs_query_parse(s->decisions, s->stem, ix_parser_conf(),
                                  o->query, out, err);
    if (st == XS_BAD_QUERY || st == XS_INVALID) {
        char *why = err->msg;
        err->msg = NULL;
        xs_err_set(err, XS_BAD_QUERY, "cannot parse query '%s': %s", o->query,
                   why ? why : "syntax error");
        free(why);
        return XS_BAD_QUERY;
    }
    if (!st && xs_query_empty(*out))
        st = xs_err_set(err, XS_BAD_QUERY,
                        "query '%s' has nothing to search for", o->query);
    if (!st)
        st = add_window(o, out, err);
    return st;
}

void qy_hits_free(qy_hits *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->n; i++) {
        qy_decision_release(&h->hits[i].d);
        free(h->hits[i].snippet);
    }
    free(h->hits);
    free(h->explain);
    free(h);
}

static xs_status collect(const ix_snapshot *s, const xs_mset *m,
                         const qy_search_opts *o, qy_hits *h, xs_err *err)
{
    unsigned n = xs_mset_size(m);
    h->estimate = xs_mset_estimate(m);
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
        const char *src = *hit->d.text ? hit->d.text : hit->d.title;
        hit->snippet = xs_mset_snippet(m, s->stem, src, strlen(src),
                                       SNIPPET_BYTES, "\x01", "\x02");
        if (!hit->snippet)
            return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    return XS_OK;
}

xs_status qy_search(const ix_snapshot *s, const qy_search_opts *o,
                    qy_hits **out, xs_err *err)
{
    *out = NULL;
    xs_query *q = NULL;
    xs_mset *m = NULL;
    qy_hits *h = calloc(1, sizeof *h);
    if (!h)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_search_opts so = {.offset = o->offset, .limit = o->limit,
                         .sort_slot = o->sort_date ? IX_SLOT_DATE : -1};
    xs_status st = build_query(s, o, &q, err);
    if (!st && !(h->explain = xs_query_describe(q)))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st)
        st = xs_search(s->decisions, q, &so, &m, err);
    if (!st)
        st = collect(s, m, o, h, err);
    xs_mset_free(m);
    xs_query_free(q);
    if (st) {
        qy_hits_free(h);
        return st;
    }
    *out = h;
    return XS_OK;
}
