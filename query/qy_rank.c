/*
 * qy_rank.c -- ranking the decisions that implement an agreement section.
 *
 * Owns: content-term selection by corpus statistics (document frequency;
 * no stopword list), weighted OR queries built term by term through the
 * shim (paragraph text never goes near a query parser), one query per
 * commitment sentence plus one for the whole section, and their fusion by
 * weighted reciprocal rank fusion (Cormack, Clarke & Buettcher, SIGIR 2009).
 * Never: prints; keeps state between sections.
 */
#include "qy-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ terms */

typedef struct terms_ctx {
    const ix_snapshot *s;
    const qy_params *p;
    qy_terms *out;
    unsigned ndocs;        /* decisions                                    */
    unsigned nsecs;        /* agreement sections                           */
    int failed;
} terms_ctx;

/* A content term occurs in the decisions, in at most max_df of them, and
 * in at most max_sf of the agreement's sections: a word the agreement uses
 * everywhere ("we", "verder", "versterken") says nothing about one
 * commitment, however rare it is in decisions.  A word of one section
 * only is never dropped (in a small agreement every word would be). */
static int content_term(const terms_ctx *c, const char *t, unsigned df)
{
    if (df == 0 || df > c->p->max_df * c->ndocs)
        return 0;
    double max = c->p->max_sf * c->nsecs;
    return !c->nsecs ||          /* one section's own word always counts */
           xs_db_termfreq(ix_snapshot_sections(c->s), t) <=
               (max > 1 ? max : 1);
}

/* Append term t (taken over) unless present; merges wqf when present. */
static int push_term(qy_terms *out, char *t, unsigned wqf, unsigned df,
                     double scale)
{
    for (size_t i = 0; i < out->n; i++)
        if (!strcmp(out->v[i].term, t)) {
            out->v[i].wqf += wqf;
            free(t);
            return 0;
        }
    qy_term *v = realloc(out->v, (out->n + 1) * sizeof *v);
    if (!v) {
        free(t);
        return -1;
    }
    out->v = v;
    v[out->n++] = (qy_term){t, wqf, df, scale};
    return 0;
}

typedef struct part_ctx { terms_ctx *c; unsigned wqf; } part_ctx;

static int add_part(void *vctx, const char *term, size_t len, unsigned zero)
{
    (void)zero;
    part_ctx *pc = vctx;
    terms_ctx *c = pc->c;
    char *t = strndup(term, len);
    unsigned df = t ? xs_db_termfreq(ix_snapshot_decisions(c->s), t) : 0;
    if (t && !content_term(c, t, df)) {
        free(t);
        return 0;
    }
    if (!t || push_term(c->out, t, pc->wqf, df, c->p->split_weight))
        return c->failed = 1;
    return 0;
}

static int keep_term(void *vctx, const char *term, size_t len, unsigned wdf)
{
    terms_ctx *c = vctx;
    if (len < 3 || term[0] != 'Z')
        return 0;
    char *t = strndup(term, len);
    if (!t)
        return c->failed = 1;
    if (c->p->split_weight > 0) {
        part_ctx pc = {c, wdf};
        if (xs_splitter_parts(ix_snapshot_splitter(c->s), t, add_part,
                              &pc) == (size_t)-1)
            c->failed = 1;
    }
    unsigned df = xs_db_termfreq(ix_snapshot_decisions(c->s), t);
    if (!content_term(c, t, df)) {
        free(t);
        return c->failed;
    }
    if (push_term(c->out, t, wdf, df, 1.0))
        return c->failed = 1;
    return c->failed;
}

xs_status qy_terms_of(const ix_snapshot *s, const qy_params *p,
                      const char *text, size_t len, qy_terms *out,
                      xs_err *err)
{
    memset(out, 0, sizeof *out);
    xs_doc *doc = NULL;
    xs_db *secs = ix_snapshot_sections(s);
    terms_ctx c = {s, p, out, xs_db_doccount(ix_snapshot_decisions(s)),
                   secs ? xs_db_doccount(secs) : 0, 0};
    xs_status st = xs_doc_new(ix_snapshot_stem(s), &doc, err);
    if (!st)
        st = xs_doc_index_text(doc, text, len, 1, "", err);
    if (!st)
        st = xs_doc_each_term(doc, keep_term, &c, err);
    if (!st)
        st = qy_snapshot_error(s, err);    /* a term count that failed */
    if (!st && c.failed)
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    xs_doc_free(doc);
    if (st)
        qy_terms_release(out);
    return st;
}

void qy_terms_release(qy_terms *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->v[i].term);
    free(t->v);
    memset(t, 0, sizeof *t);
}

xs_status qy_terms_query(const qy_terms *t, xs_query **out, xs_err *err)
{
    *out = NULL;
    xs_query **subs = calloc(t->n ? t->n : 1, sizeof *subs);
    if (!subs)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = XS_OK;
    for (size_t i = 0; !st && i < t->n; i++) {
        st = xs_query_term(t->v[i].term, t->v[i].wqf, &subs[i], err);
        if (!st && t->v[i].scale != 1.0) {
            xs_query *scaled = NULL;
            st = xs_query_scale(subs[i], t->v[i].scale, &scaled, err);
            xs_query_free(subs[i]);
            subs[i] = scaled;
        }
    }
    if (!st)
        st = xs_query_combine(XS_OP_OR, subs, t->n, 0, out, err);
    for (size_t i = 0; i < t->n; i++)
        xs_query_free(subs[i]);
    free(subs);
    return st;
}

/* ----------------------------------------------------------- search */

static void hitlist_release(qy_hitlist *h)
{
    free(h->docs);
    free(h->weight);
    free(h->norm);
    memset(h, 0, sizeof *h);
}

/* Room for n hits in an empty h; -1 (and h released) when out of memory. */
static int hitlist_alloc(qy_hitlist *h, size_t n)
{
    h->docs = malloc((n ? n : 1) * sizeof *h->docs);
    h->weight = malloc((n ? n : 1) * sizeof *h->weight);
    h->norm = malloc((n ? n : 1) * sizeof *h->norm);
    if (h->docs && h->weight && h->norm)
        return 0;
    hitlist_release(h);
    return -1;
}

/* The most any decision can weigh for t under BM25 (k1, k3): each term's
 * weight as its wdf grows without bound, from collection statistics only
 * (Xapian's BM25Weight, termweight times k1 + 1).  Not Xapian's
 * MSet::get_max_possible(): that also uses bounds on wdf and document
 * length kept per shard, so it changes when the same decisions lie over
 * other shards (up to 21 % with two), and normalised scores with it. */
static double terms_bound(const ix_snapshot *s, const qy_params *p,
                          const qy_terms *t)
{
    double all = xs_db_doccount(ix_snapshot_decisions(s)), sum = 0;
    double k1 = p->k1 > 0 ? p->k1 : 1.0, k3 = p->k3 > 0 ? p->k3 : 1.0;
    for (size_t i = 0; i < t->n; i++) {
        double df = xs_db_termfreq(ix_snapshot_decisions(s), t->v[i].term);
        if (df <= 0)
            continue;
        double tw = (all - df + 0.5) / (df + 0.5), wqf = t->v[i].wqf;
        if (tw < 2)
            tw = tw * 0.5 + 1;
        sum += t->v[i].scale * log(tw) * (k3 + 1) * wqf / (k3 + wqf) *
               (k1 + 1);
    }
    return sum;
}

/* The best depth documents for t. */
static xs_status run_terms(const ix_snapshot *s, const qy_params *p,
                           const qy_terms *t, unsigned depth, qy_hitlist *out,
                           xs_err *err)
{
    memset(out, 0, sizeof *out);
    if (!t->n)
        return XS_OK;
    xs_query *q = NULL;
    xs_mset *m = NULL;
    xs_search_opts so = {.limit = depth, .sort_slot = -1,
                         .bm25_k1 = p->k1, .bm25_b = p->b, .bm25_k3 = p->k3,
                         .tie_slot = IX_SLOT_ID};
    xs_status st = qy_terms_query(t, &q, err);
    if (!st)
        st = xs_search(ix_snapshot_decisions(s), q, &so, &m, err);
    unsigned n = st ? 0 : xs_mset_size(m);
    if (!st && hitlist_alloc(out, n))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st) {
        out->max = terms_bound(s, p, t);
        for (unsigned i = 0; i < n; i++) {
            out->docs[i] = xs_mset_docid(m, i);
            out->weight[i] = xs_mset_weight(m, i);
            out->norm[i] = out->max > 0 ? out->weight[i] / out->max : 0;
        }
        out->n = n;
    }
    xs_mset_free(m);
    xs_query_free(q);
    return st;
}

/* ---------------------------------------------------------- feedback */

typedef struct expand_ctx {
    const ix_snapshot *s;
    const qy_params *p;
    qy_terms *t;
    size_t orig;           /* terms before expansion                       */
    double top;            /* weight of the best expansion term            */
    int failed;
} expand_ctx;

static int add_expansion(void *vctx, const char *term, size_t len, unsigned w)
{
    expand_ctx *c = vctx;
    for (size_t i = 0; i < c->orig; i++)
        if (strlen(c->t->v[i].term) == len && !memcmp(c->t->v[i].term, term, len))
            return 0;
    char *tm = strndup(term, len);
    unsigned df = tm ? xs_db_termfreq(ix_snapshot_decisions(c->s), tm) : 0;
    unsigned all = xs_db_doccount(ix_snapshot_decisions(c->s));
    if (!tm || df > c->p->max_df * all) {
        c->failed |= !tm;
        free(tm);
        return c->failed;
    }
    qy_term *v = realloc(c->t->v, (c->t->n + 1) * sizeof *v);
    if (!v) {
        free(tm);
        return c->failed = 1;
    }
    if (c->top == 0)
        c->top = w;
    c->t->v = v;
    v[c->t->n++] = (qy_term){tm, 1, df, c->top > 0 ? w / c->top : 0};
    return 0;
}

/* Add the feedback terms of the top documents of h to t, their weights
 * summing to fb_weight. */
static xs_status expand(const ix_snapshot *s, const qy_params *p,
                        const qy_hitlist *h, qy_terms *t, xs_err *err)
{
    expand_ctx c = {s, p, t, t->n, 0, 0};
    size_t n = h->n < p->fb_docs ? h->n : p->fb_docs;
    xs_status st = xs_expand(ix_snapshot_decisions(s), h->docs, n, p->fb_terms,
                             IX_STEM_PREFIX, IX_STEM_PREFIX IX_PREFIX_TITLE,
                             add_expansion, &c, err);
    if (!st && c.failed)
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    double sum = 0;
    for (size_t i = c.orig; i < t->n; i++)
        sum += t->v[i].scale;
    for (size_t i = c.orig; !st && i < t->n; i++)
        t->v[i].scale *= p->fb_weight * (double)c.orig / sum;
    return st;
}

/* Run t; with feedback, expand t from the top fb_docs results (only
 * those are fetched: Xapian prunes more the fewer it must return) and
 * run again.  The expansion terms stay in t. */
static xs_status run_feedback(const ix_snapshot *s, const qy_params *p,
                              qy_terms *t, unsigned depth, qy_hitlist *out,
                              int feedback, xs_err *err)
{
    if (!feedback || !p->fb_docs)
        return run_terms(s, p, t, depth, out, err);
    xs_status st = run_terms(s, p, t, p->fb_docs, out, err);
    if (st || !out->n)
        return st;
    st = expand(s, p, out, t, err);
    hitlist_release(out);
    return st ? st : run_terms(s, p, t, depth, out, err);
}

/* Best first; ties in decision-id order, as xs_search breaks them
 * (tie_slot): never in docid order, which depends on the shards. */
static int by_score(const void *x, const void *y)
{
    const qy_ranked *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? 1 : -1;
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

/* out = the best depth documents by the weights of a and b added up (a
 * document missing from a list weighs 0 there), best first, ties in
 * decision-id order (by_score); every docid is below ix_tables_size(t). */
static xs_status add_lists(const qy_hitlist *a, const qy_hitlist *b,
                           const ix_tables *t, unsigned depth,
                           qy_hitlist *out, xs_err *err)
{
    memset(out, 0, sizeof *out);
    size_t maxdoc = ix_tables_size(t);
    qy_ranked *v = malloc((a->n + b->n ? a->n + b->n : 1) * sizeof *v);
    size_t *at = calloc(maxdoc + 1, sizeof *at);   /* 1 + index in v */
    if (!v || !at) {
        free(v);
        free(at);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    size_t n = 0;
    for (size_t i = 0; i < a->n; i++) {
        v[n++] = (qy_ranked){a->docs[i], a->weight[i],
                             ix_tables_order(t, a->docs[i])};
        at[a->docs[i]] = n;
    }
    for (size_t j = 0; j < b->n; j++) {
        if (at[b->docs[j]])
            v[at[b->docs[j]] - 1].score += b->weight[j];
        else
            v[n++] = (qy_ranked){b->docs[j], b->weight[j],
                                 ix_tables_order(t, b->docs[j])};
    }
    free(at);
    qsort(v, n, sizeof *v, by_score);
    if (n > depth)
        n = depth;
    xs_status st = hitlist_alloc(out, n) ? xs_err_set(err, XS_NOMEM,
                                                      "out of memory")
                                         : XS_OK;
    out->max = a->max + b->max;
    for (size_t i = 0; !st && i < n; i++) {
        out->docs[i] = v[i].doc;
        out->weight[i] = v[i].score;
        out->norm[i] = out->max > 0 ? v[i].score / out->max : 0;
    }
    out->n = st ? 0 : n;
    free(v);
    return st;
}

/* The whole-section query with feedback.  BM25 adds up over the terms of
 * an OR query, so running the expanded query is the same as adding the
 * weights of its original terms and of its expansion terms for each
 * decision.  Both parts are fetched in full (every match) and added: each
 * term's postings are read once, instead of the original terms twice
 * (once to find the feedback documents, once more expanded). */
static xs_status run_section(const ix_snapshot *s, const qy_params *p,
                             qy_terms *t, qy_hitlist *out, xs_err *err)
{
    unsigned all = xs_db_doccount(ix_snapshot_decisions(s));
    size_t orig = t->n;
    qy_hitlist first, extra = {0};
    xs_status st = run_terms(s, p, t, all, &first, err);
    if (!st && p->fb_docs && first.n)
        st = expand(s, p, &first, t, err);
    if (!st && t->n > orig) {
        qy_terms ext = {t->v + orig, t->n - orig};
        st = run_terms(s, p, &ext, all, &extra, err);
    }
    if (!st)
        st = add_lists(&first, &extra, ix_snapshot_get_tables(s), p->depth,
                       out, err);
    hitlist_release(&first);
    hitlist_release(&extra);
    return st;
}

/* -------------------------------------------------------- repairing */

typedef struct known_ctx {
    const ix_snapshot *s;
    xs_doc *doc;
    xs_err err;            /* why known_word said -1                       */
} known_ctx;

typedef struct one_term { char term[256]; int n; } one_term;

static int grab_term(void *vctx, const char *term, size_t len, unsigned wdf)
{
    (void)wdf;
    one_term *o = vctx;
    if (++o->n == 1 && len < sizeof o->term) {
        memcpy(o->term, term, len);
        o->term[len] = '\0';
    }
    return 0;
}

/* A joined word is known when it is one token whose stem occurs in the
 * decisions or in the agreement itself. */
static int known_word(void *vctx, const char *word, size_t len)
{
    known_ctx *k = vctx;
    one_term o = {{0}, 0};
    if (xs_doc_clear(k->doc, &k->err) ||
        xs_doc_index_text(k->doc, word, len, 1, "", &k->err) ||
        xs_doc_each_term(k->doc, grab_term, &o, &k->err))
        return -1;
    if (o.n != 1)
        return 0;
    int known = xs_db_termfreq(ix_snapshot_decisions(k->s), o.term) > 0 ||
                xs_db_termfreq(ix_snapshot_sections(k->s), o.term) > 1;
    return qy_snapshot_error(k->s, &k->err) ? -1 : known;
}

/* The section text without its heading ("3.2.3 ICT en Informatie"). */
static const char *skip_heading(const qy_section *sec)
{
    const char *t = sec->text;
    size_t nl = strlen(sec->number), tl = strlen(sec->title);
    if (nl && !strncmp(t, sec->number, nl)) {
        t += nl;
        while (*t == ' ')
            t++;
        if (tl && !strncmp(t, sec->title, tl))
            t += tl;
        while (*t == ' ')
            t++;
    }
    return t;
}

static xs_status repaired_text(const ix_snapshot *s, const qy_params *p,
                               qy_analysis *a, xs_err *err)
{
    const char *body = skip_heading(&a->sec);
    if (!p->repair) {
        a->text = strdup(body);
        return a->text ? XS_OK : xs_err_set(err, XS_NOMEM, "out of memory");
    }
    known_ctx k = {s, NULL, {0}};
    xs_status st = xs_doc_new(ix_snapshot_stem(s), &k.doc, err);
    if (!st && !(a->text = qy_para_repair(body, known_word, &k)))
        st = k.err.code ? xs_err_set(err, k.err.code, "%s", k.err.msg
                                         ? k.err.msg
                                         : xs_status_str(k.err.code))
                        : xs_err_set(err, XS_NOMEM, "out of memory");
    xs_err_clear(&k.err);
    xs_doc_free(k.doc);
    return st;
}

/* ----------------------------------------------------------- fusion */

static void rrf_add(double *acc, const qy_hitlist *h, double w, double k)
{
    for (size_t r = 0; r < h->n; r++)
        acc[h->docs[r]] += w / (k + (double)r + 1);
}

/* a->ranking from the scores in acc[0..maxdoc], best first. */
static xs_status rank_acc(const double *acc, unsigned maxdoc,
                          const ix_tables *t, qy_analysis *a, xs_err *err)
{
    size_t n = 0;
    for (unsigned d = 0; d <= maxdoc; d++)
        n += acc[d] > 0;
    a->ranking = malloc((n ? n : 1) * sizeof *a->ranking);
    if (!a->ranking)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    for (unsigned d = 0; d <= maxdoc; d++)
        if (acc[d] > 0)
            a->ranking[a->nranking++] =
                (qy_ranked){d, acc[d], ix_tables_order(t, d)};
    qsort(a->ranking, a->nranking, sizeof *a->ranking, by_score);
    return XS_OK;
}

/* The other stages of a top decision's dossier are about the same matter:
 * raise each to w_dossier times the best score in its dossier. */
static void lift_dossiers(const ix_tables *t, const qy_params *p, double *acc,
                          unsigned maxdoc, const qy_analysis *a)
{
    size_t n = a->nranking < p->dossier_depth ? a->nranking : p->dossier_depth;
    for (size_t i = 0; i < n; i++) {
        xs_docid top = a->ranking[i].doc;
        double score = p->w_dossier * a->ranking[i].score;
        for (xs_docid d = ix_tables_next(t, top); d != top;
             d = ix_tables_next(t, d))
            if (d <= maxdoc && acc[d] < score)
                acc[d] = score;
    }
}

static xs_status fuse(const ix_snapshot *s, const qy_params *p, qy_analysis *a,
                      xs_err *err)
{
    /* every docid of a hit list is at most the last one (xs_db.cc), which
     * no failed count can make smaller */
    unsigned maxdoc = xs_db_lastdocid(ix_snapshot_decisions(s)) + 1;
    double *acc = calloc(maxdoc + 1, sizeof *acc);
    if (!acc)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    size_t live = 0;
    for (size_t i = 0; i < a->ncommits; i++)
        live += !a->commits[i].boilerplate;
    rrf_add(acc, &a->section_hits, p->w_section, p->rrf_k);
    for (size_t i = 0; p->fuse && live && i < a->ncommits; i++)
        rrf_add(acc, &a->commits[i].hits, p->w_commit / sqrt((double)live),
                p->rrf_k);
    const ix_tables *t = ix_snapshot_get_tables(s);
    xs_status st = rank_acc(acc, maxdoc, t, a, err);
    if (!st && p->w_dossier > 0) {
        lift_dossiers(t, p, acc, maxdoc, a);
        free(a->ranking);
        a->ranking = NULL;
        a->nranking = 0;
        st = rank_acc(acc, maxdoc, t, a, err);
    }
    free(acc);
    return st;
}

/* Add the section title's content terms, weighted w_heading. */
static xs_status add_heading(const ix_snapshot *s, const qy_params *p,
                             const qy_section *sec, qy_terms *t, xs_err *err)
{
    qy_terms h;
    xs_status st = qy_terms_of(s, p, sec->title, strlen(sec->title), &h, err);
    for (size_t i = 0; !st && i < h.n; i++) {
        if (push_term(t, h.v[i].term, h.v[i].wqf, h.v[i].df,
                      p->w_heading * h.v[i].scale))
            st = xs_err_set(err, XS_NOMEM, "out of memory");
        h.v[i].term = NULL;            /* taken over by t */
    }
    qy_terms_release(&h);
    return st;
}

/* For each text term "Z<stem>", also look in decision titles ("ZS<stem>"),
 * weighted w_title. */
static xs_status add_title_field(const qy_params *p, qy_terms *t, xs_err *err)
{
    size_t n = t->n;
    for (size_t i = 0; i < n; i++) {
        const char *term = t->v[i].term;
        char *ts = malloc(strlen(term) + 2);
        if (!ts)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        sprintf(ts, IX_STEM_PREFIX IX_PREFIX_TITLE "%s", term + 1);
        if (push_term(t, ts, t->v[i].wqf, t->v[i].df,
                      p->w_title * t->v[i].scale))
            return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    return XS_OK;
}

/* ---------------------------------------------------------- analyse */

static xs_status analyse_commits(const ix_snapshot *s, const qy_params *p,
                                 qy_analysis *a, xs_err *err)
{
    qy_spans sp;
    if (qy_para_split(a->text, &sp))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    a->commits = calloc(sp.n ? sp.n : 1, sizeof *a->commits);
    xs_status st = a->commits ? XS_OK
                              : xs_err_set(err, XS_NOMEM, "out of memory");
    for (size_t i = 0; !st && i < sp.n; i++) {
        qy_commit *c = &a->commits[a->ncommits++];
        c->span = sp.v[i];
        st = qy_terms_of(s, p, a->text + c->span.start,
                         c->span.end - c->span.start, &c->terms, err);
        c->boilerplate = !st && c->terms.n < p->min_terms;
        if (!st && !c->boilerplate)
            st = run_feedback(s, p, &c->terms, p->commit_depth, &c->hits,
                              p->fb_commit, err);
    }
    qy_spans_release(&sp);
    return st;
}

xs_status qy_analyse(const ix_snapshot *s, const qy_params *p,
                     const char *section_id, qy_analysis *a, xs_err *err)
{
    memset(a, 0, sizeof *a);
    if (!ix_snapshot_get_tables(s))
        return xs_err_set(err, XS_INVALID, "qy_analyse: the snapshot's "
                          "tables are not loaded (ix_snapshot_tables)");
    qy_terms all = {0};
    xs_status st = qy_section_find(s, section_id, &a->sec, err);
    if (!st)
        st = repaired_text(s, p, a, err);
    if (!st)
        st = analyse_commits(s, p, a, err);
    if (!st)
        st = qy_terms_of(s, p, a->text, strlen(a->text), &all, err);
    if (!st && p->w_heading > 0)
        st = add_heading(s, p, &a->sec, &all, err);
    if (!st && p->w_title > 0)
        st = add_title_field(p, &all, err);
    if (!st)
        st = run_section(s, p, &all, &a->section_hits, err);
    if (!st)
        st = fuse(s, p, a, err);
    if (!st)
        st = qy_snapshot_error(s, err);    /* a count that failed */
    qy_terms_release(&all);
    if (st)
        qy_analysis_release(a);
    return st;
}

void qy_analysis_release(qy_analysis *a)
{
    for (size_t i = 0; i < a->ncommits; i++) {
        qy_terms_release(&a->commits[i].terms);
        hitlist_release(&a->commits[i].hits);
    }
    free(a->commits);
    hitlist_release(&a->section_hits);
    free(a->ranking);
    free(a->text);
    qy_section_release(&a->sec);
    memset(a, 0, sizeof *a);
}

xs_status qy_analyse_naive(const ix_snapshot *s, const char *section_id,
                           unsigned n, qy_analysis *a, xs_err *err)
{
    memset(a, 0, sizeof *a);
    xs_parser_conf conf = {.date_slot = -1, .default_or = 1};
    xs_query *q = NULL;
    xs_mset *m = NULL;
    xs_search_opts so = {.limit = n, .sort_slot = -1,
                         .tie_slot = IX_SLOT_ID};
    xs_status st = qy_section_find(s, section_id, &a->sec, err);
    if (!st)
        st = xs_query_parse(ix_snapshot_decisions(s), ix_snapshot_stem(s),
                            &conf, a->sec.text, &q, err);
    if (!st)
        st = xs_search(ix_snapshot_decisions(s), q, &so, &m, err);
    if (!st && !(a->ranking = malloc((xs_mset_size(m) + 1) * sizeof *a->ranking)))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    for (unsigned i = 0; !st && i < xs_mset_size(m); i++)
        a->ranking[a->nranking++] =
            (qy_ranked){xs_mset_docid(m, i), xs_mset_weight(m, i), 0};
    xs_mset_free(m);
    xs_query_free(q);
    if (st)
        qy_analysis_release(a);
    return st;
}
