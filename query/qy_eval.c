/*
 * qy_eval.c -- the evaluation of one agreement section: per commitment,
 * the decisions that carry it out, how far each got, and a verdict.
 *
 * Owns: which sentences are checkable commitments (the commitment model),
 * which decisions directly carry each one out (the evidence model, each
 * decision under the commitment it best carries out), the verdict from
 * the evidence and the stage it reached, "verwant" decisions shown apart,
 * grouping decisions into dossiers (ix_dossier_term), verbatim evidence
 * excerpts (checked to occur in the decision), citation numbering in order
 * of first use, the per-decision table of the evaluator.  The rules are
 * documented in docs/evaluation.md.
 * Never: renders (qy_report.c does); invents text: every excerpt is a
 * substring of the decision it cites.
 */
#include "qy-int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELATED_MAX 10     /* "verder relevant": top-ranked, not cited     */
#define EXCERPT_MAX 280    /* bytes of an evidence excerpt                 */

/* ------------------------------------------------------------ stages */

const char *qy_verdict_name(qy_verdict v)
{
    return v == QY_DONE ? "uitgevoerd"
           : v == QY_IN_PROGRESS ? "in uitvoering"
           : v == QY_NONE ? "geen beslissing gevonden"
                          : "niet toetsbaar";
}

/* ------------------------------------------------------ construction */

typedef struct evb {
    const ix_snapshot *s;
    const qy_params *p;
    qy_report *r;
    char **ref_key;        /* dossier key per ref (parallel to r->refs)    */
    size_t cap;
    xs_doc *scratch;       /* tokenizer for excerpt scoring                */
    const qy_evaluator *ev;
    qy_evctx *feat;        /* evidence features of this section            */
} evb;

static xs_status nomem(xs_err *err)
{
    return xs_err_set(err, XS_NOMEM, "out of memory");
}

/* Index of the ref for docid, adding (and loading) it when new. */
static xs_status ref_get(evb *b, xs_docid did, size_t *out, xs_err *err)
{
    qy_report *r = b->r;
    for (size_t i = 0; i < r->nrefs; i++)
        if (r->refs[i].d.docid == did) {
            *out = i;
            return XS_OK;
        }
    if (r->nrefs == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 32;
        qy_ref *refs = realloc(r->refs, cap * sizeof *refs);
        if (refs)
            r->refs = refs;
        char **keys = realloc(b->ref_key, cap * sizeof *keys);
        if (keys)
            b->ref_key = keys;
        if (!refs || !keys)
            return nomem(err);
        b->cap = cap;
    }
    qy_ref *ref = &r->refs[r->nrefs];
    memset(ref, 0, sizeof *ref);
    xs_status st = qy_decision_load(b->s, did, &ref->d, err);
    if (st)
        return st;
    ref->stage = did < b->ev->ninfo ? b->ev->info[did].stage : QY_STAGE_UNKNOWN;
    ref->link = qy_decision_link(&ref->d);
    b->ref_key[r->nrefs] = NULL;
    xs_status vs = xs_db_value(ix_snapshot_decisions(b->s), did,
                               IX_SLOT_DOSSIER,
                               &b->ref_key[r->nrefs], err);
    if (!ref->link || vs) {
        free(b->ref_key[r->nrefs]);
        free(ref->link);
        qy_decision_release(&ref->d);
        return vs ? vs : nomem(err);
    }
    ref->dossier = r->nrefs;
    for (size_t i = 0; i < r->nrefs; i++)
        if (!strcmp(b->ref_key[i], b->ref_key[r->nrefs])) {
            ref->dossier = r->refs[i].dossier;
            break;
        }
    r->ndossiers += ref->dossier == r->nrefs;
    *out = r->nrefs++;
    return XS_OK;
}

/* ----------------------------------------------------------- excerpts */

typedef struct overlap_ctx {
    const qy_terms *t;
    double score;
    unsigned ndocs;
} overlap_ctx;

static int add_overlap(void *vctx, const char *term, size_t len, unsigned wdf)
{
    (void)wdf;
    overlap_ctx *c = vctx;
    for (size_t i = 0; i < c->t->n; i++)
        if (strlen(c->t->v[i].term) == len && !memcmp(c->t->v[i].term, term, len))
            c->score += log((double)c->ndocs / c->t->v[i].df);
    return 0;
}

/* The overlap score of s with t into *score. */
static xs_status sentence_overlap(evb *b, const char *s, size_t len,
                                  const qy_terms *t, double *score,
                                  xs_err *err)
{
    overlap_ctx c = {t, 0, xs_db_doccount(ix_snapshot_decisions(b->s))};
    xs_status st = xs_doc_clear(b->scratch, err);
    if (!st)
        st = xs_doc_index_text(b->scratch, s, len, 1, "", err);
    if (!st)
        st = xs_doc_each_term(b->scratch, add_overlap, &c, err);
    *score = c.score;
    return st;
}

/* Cut s[0..len) to at most EXCERPT_MAX bytes at a space (malloc'd). */
static char *cut_excerpt(const char *s, size_t len)
{
    if (len > EXCERPT_MAX) {
        size_t cut = EXCERPT_MAX;
        while (cut > 0 && s[cut] != ' ')
            cut--;
        len = cut ? cut : EXCERPT_MAX;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;              /* never split a UTF-8 sequence */
    }
    return strndup(s, len);
}

/* The sentence of d that shares the most (idf-weighted) terms with t,
 * verified to occur verbatim in d's text, into *out (malloc'd; NULL when
 * d has no text). */
static xs_status best_excerpt(evb *b, const qy_decision *d, const qy_terms *t,
                              char **out, xs_err *err)
{
    qy_spans sp;
    *out = NULL;
    if (!*d->text)
        return XS_OK;
    if (qy_para_split(d->text, &sp))
        return nomem(err);
    size_t best = 0;
    double best_score = -1;
    xs_status st = XS_OK;
    for (size_t i = 0; !st && i < sp.n; i++) {
        double sc;
        st = sentence_overlap(b, d->text + sp.v[i].start,
                              sp.v[i].end - sp.v[i].start, t, &sc, err);
        if (!st && sc > best_score) {
            best_score = sc;
            best = i;
        }
    }
    char *ex = NULL;
    if (!st && sp.n && !(ex = cut_excerpt(d->text + sp.v[best].start,
                                          sp.v[best].end - sp.v[best].start)))
        st = nomem(err);
    qy_spans_release(&sp);
    if (ex && !strstr(d->text, ex)) {   /* the promise: verbatim only */
        free(ex);
        ex = NULL;
    }
    *out = ex;
    return st;
}

/* ------------------------------------------------------------ citing */


static xs_status cite_push(qy_cite **v, size_t *n, size_t ref, double p,
                           char *excerpt, char *why, xs_err *err)
{
    qy_cite *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv) {
        free(excerpt);
        free(why);
        return nomem(err);
    }
    *v = nv;
    nv[(*n)++] = (qy_cite){ref, p, excerpt, why, 0};
    return XS_OK;
}

/* ------------------------------------------------------------- scoring */

/* Ties in decision-id order (qy_pair.order), never by docid alone. */
static int by_order(const qy_pair *a, const qy_pair *b)
{
    if (a->order != b->order)
        return a->order < b->order ? -1 : 1;
    return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static int by_p(const void *x, const void *y)
{
    const qy_pair *a = x, *b = y;
    if (a->p != b->p)
        return a->p < b->p ? 1 : -1;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    return by_order(a, b);
}

int qy_assign(qy_pair *v, size_t n, size_t nitems, double threshold,
              double margin)
{
    if (n)                          /* qsort(NULL, 0) is undefined */
        qsort(v, n, sizeof *v, by_p);
    size_t *cites = calloc(nitems ? nitems : 1, sizeof *cites);
    size_t *rel = calloc(nitems ? nitems : 1, sizeof *rel);
    xs_docid maxdoc = 0;
    for (size_t i = 0; i < n; i++)
        maxdoc = v[i].doc > maxdoc ? v[i].doc : maxdoc;
    double *best = calloc((size_t)maxdoc + 1, sizeof *best);
    unsigned char *seen = calloc((size_t)maxdoc + 1, 1);
    if (!cites || !rel || !seen || !best) {
        free(best);
        free(cites);
        free(rel);
        free(seen);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        v[i].cited = v[i].related = 0;
        if (!seen[v[i].doc]++)          /* the first pair of its decision */
            best[v[i].doc] = v[i].p;
        int near = v[i].p >= best[v[i].doc] - margin;
        if (near && v[i].p >= threshold && cites[v[i].item] < QY_CITES_MAX) {
            v[i].cited = 1;
            cites[v[i].item]++;
        } else if (v[i].p >= threshold / 2 &&
                   rel[v[i].item] < QY_RELATED_PER_ITEM) {
            v[i].related = 1;
            rel[v[i].item]++;
        }
    }
    free(cites);
    free(rel);
    free(seen);
    free(best);
    return 0;
}

int qy_completes(qy_stage st, int decree)
{
    return decree ? st == QY_STAGE_ENACTED : st >= QY_STAGE_APPROVED;
}

qy_verdict qy_verdict_of(const qy_evaluator *ev, const ix_tables *tb,
                         const xs_docid *docs, const double *p, size_t n,
                         double strong, qy_stage *furthest)
{
    qy_verdict v = n ? QY_IN_PROGRESS : QY_NONE;
    *furthest = QY_STAGE_UNKNOWN;
    for (size_t k = 0; k < n; k++) {
        xs_docid d = docs[k];
        if (d >= ev->ninfo)
            continue;
        int decree = ev->info[d].decree;
        xs_docid m = d;
        do {
            qy_stage st = (qy_stage)ev->info[m].stage;
            if (st > *furthest && st != QY_STAGE_REFUSED)
                *furthest = st;
            if (p[k] >= strong && qy_completes(st, decree))
                v = QY_DONE;
            m = ix_tables_next(tb, m);
        } while (m != d);
    }
    return v;
}

/* Which sentences are checkable commitments. */
static xs_status classify(evb *b, xs_err *err)
{
    const qy_analysis *a = &b->r->a;
    const qy_model *m = b->ev->models.commit;
    double *x = malloc(qy_model_nfeat(m) * sizeof *x);
    if (!x)
        return nomem(err);
    for (size_t i = 0; i < a->ncommits; i++) {
        qy_item *it = &b->r->items[i];
        const qy_span *sp = &a->commits[i].span;
        char **stems;
        size_t ns;
        memset(x, 0, qy_model_nfeat(m) * sizeof *x);
        if (qy_commit_features(a, i, x) ||
            qy_sentence_stems(ix_snapshot_stem(b->s), a->text + sp->start,
                              sp->end - sp->start, &stems, &ns)) {
            free(x);
            return nomem(err);
        }
        qy_model_set_words(m, (const char *const *)stems, ns, x);
        qy_stems_free(stems, ns);
        it->checkable = qy_model_prob(m, x);
        if (it->checkable < 0) {
            free(x);
            return nomem(err);
        }
        it->verdict = it->checkable >= qy_model_threshold(m) && a->commits[i].hits.n
                          ? QY_NONE
                          : QY_UNCHECKABLE;
    }
    free(x);
    return XS_OK;
}

/* P(direct) of every candidate of every checkable commitment. */
static xs_status score_pairs(evb *b, qy_pair **out, size_t *n, xs_err *err)
{
    const qy_analysis *a = &b->r->a;
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    xs_docid cand[QY_CANDIDATES_MAX];
    double x[QY_EVIDENCE_NFEAT];
    for (size_t i = 0; i < a->ncommits; i++) {
        if (b->r->items[i].verdict == QY_UNCHECKABLE)
            continue;
        size_t nc = qy_candidates(b->feat, i, cand);
        for (size_t k = 0; k < nc; k++) {
            xs_status st = qy_evidence_features(b->feat, i, cand[k], x, err);
            if (st)
                return st;
            if (*n == cap) {
                cap = cap ? 2 * cap : 256;
                qy_pair *v = realloc(*out, cap * sizeof *v);
                if (!v)
                    return nomem(err);
                *out = v;
            }
            double p = qy_model_prob(b->ev->models.evidence, x);
            if (p < 0)
                return nomem(err);
            (*out)[(*n)++] = (qy_pair){i, cand[k], p, 0, 0, 0,
                ix_tables_order(ix_snapshot_get_tables(b->s), cand[k])};
        }
    }
    return XS_OK;
}

/* ------------------------------------------------------------- citing */

static xs_status add_cite(evb *b, size_t item, xs_docid d, double p,
                          int related, xs_err *err)
{
    size_t ref;
    xs_status st = ref_get(b, d, &ref, err);
    if (st)
        return st;
    qy_item *it = &b->r->items[item];
    char *ex = NULL;
    char *why = qy_evidence_why(b->feat, item, d, err);
    st = why ? best_excerpt(b, &b->r->refs[ref].d,
                            &b->r->a.commits[item].terms, &ex, err)
             : err->code;
    if (st) {
        free(why);
        return st;
    }
    return related ? cite_push(&it->related, &it->nrelated, ref, p, ex, why, err)
                   : cite_push(&it->cites, &it->ncites, ref, p, ex, why, err);
}

/* Cite the pairs qy_assign chose, and show its "verwant" ones apart. */
/* Evidence before verwant, then commitment, then probability (best
 * first; v is sorted by it), then docid. */
static int by_citation_order(const void *x, const void *y)
{
    const qy_pair *a = x, *b = y;
    if (a->item != b->item)
        return a->item < b->item ? -1 : 1;
    if (a->related != b->related)
        return a->related - b->related;
    if (a->p != b->p)
        return a->p < b->p ? 1 : -1;
    return by_order(a, b);
}

/* Cite the pairs qy_assign chose, commitment by commitment in text order
 * (so that references are numbered in order of first use), evidence
 * first, and show its "verwant" ones apart. */
static xs_status cite_pairs(evb *b, qy_pair *v, size_t n, xs_err *err)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].cited || v[i].related)
            v[k++] = v[i];
    if (k)
        qsort(v, k, sizeof *v, by_citation_order);
    xs_status st = XS_OK;
    for (size_t i = 0; !st && i < k; i++)
        st = add_cite(b, v[i].item, v[i].doc, v[i].p, v[i].related, err);
    return st;
}

static xs_status judge(evb *b, qy_item *it, xs_err *err)
{
    it->furthest = QY_STAGE_UNKNOWN;
    it->machine = it->verdict;
    if (it->verdict == QY_UNCHECKABLE)
        return XS_OK;
    xs_docid *docs = malloc((it->ncites ? it->ncites : 1) * sizeof *docs);
    double *p = malloc((it->ncites ? it->ncites : 1) * sizeof *p);
    if (!docs || !p) {
        free(docs);
        free(p);
        return nomem(err);
    }
    for (size_t k = 0; k < it->ncites; k++) {
        docs[k] = b->r->refs[it->cites[k].ref].d.docid;
        p[k] = it->cites[k].strength;
    }
    it->verdict = qy_verdict_of(b->ev, ix_snapshot_get_tables(b->s), docs, p,
                                it->ncites,
                                qy_model_strong(b->ev->models.evidence),
                                &it->furthest);
    it->machine = it->verdict;
    free(docs);
    free(p);
    return XS_OK;
}

static xs_status evaluate_items(evb *b, xs_err *err)
{
    qy_report *r = b->r;
    const qy_analysis *a = &r->a;
    r->items = calloc(a->ncommits ? a->ncommits : 1, sizeof *r->items);
    if (!r->items)
        return nomem(err);
    for (size_t i = 0; i < a->ncommits; i++, r->nitems++) {
        const qy_span *sp = &a->commits[i].span;
        r->items[i].text = strndup(a->text + sp->start, sp->end - sp->start);
        if (!r->items[i].text)
            return nomem(err);
    }
    qy_pair *v = NULL;
    size_t n = 0;
    xs_status st = classify(b, err);
    if (!st)
        st = score_pairs(b, &v, &n, err);
    const qy_model *em = b->ev->models.evidence;
    if (!st && qy_assign(v, n, r->nitems, qy_model_threshold(em),
                         qy_model_margin(em)))
        st = nomem(err);
    if (!st)
        st = cite_pairs(b, v, n, err);
    free(v);
    for (size_t i = 0; !st && i < r->nitems; i++)
        st = judge(b, &r->items[i], err);
    return st;
}

/* The best-ranked decisions not cited for any commitment whose fused
 * score is at least half the best one's. */
static xs_status add_related(evb *b, xs_err *err)
{
    qy_report *r = b->r;
    r->related = calloc(RELATED_MAX, sizeof *r->related);
    if (!r->related)
        return nomem(err);
    xs_status st = XS_OK;
    for (size_t i = 0; !st && i < r->a.nranking && r->nrelated < RELATED_MAX;
         i++) {
        size_t before = r->nrefs, ref;
        if (r->a.ranking[i].score < r->a.ranking[0].score / 2)
            break;
        st = ref_get(b, r->a.ranking[i].doc, &ref, err);
        if (!st && ref == before)
            r->related[r->nrelated++] = ref;
    }
    return st;
}

static void evb_release(evb *b)
{
    for (size_t i = 0; i < b->r->nrefs; i++)
        free(b->ref_key[i]);
    free(b->ref_key);
    xs_doc_free(b->scratch);
    qy_evctx_free(b->feat);
}

xs_status qy_evaluate(const ix_snapshot *s, const qy_evaluator *ev,
                      const qy_params *p, const char *section_id,
                      qy_report *r, xs_err *err)
{
    memset(r, 0, sizeof *r);
    r->snapshot = ix_snapshot_id(s);
    r->ev = ev;
    r->params = *p;
    evb b = {.s = s, .p = p, .r = r, .ev = ev};
    xs_status st = qy_analyse(s, p, section_id, &r->a, err);
    if (st)
        return st;
    st = qy_evctx_new(s, &r->a, ev, &b.feat, err);
    if (!st)
        st = xs_doc_new(ix_snapshot_stem(s), &b.scratch, err);
    if (!st)
        st = evaluate_items(&b, err);
    if (!st)
        st = add_related(&b, err);
    if (!st)
        st = qy_snapshot_error(s, err);    /* a count that failed */
    evb_release(&b);
    if (st)
        qy_report_release(r);
    return st;
}

static void cites_release(qy_cite *v, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        free(v[k].excerpt);
        free(v[k].why);
    }
    free(v);
}

void qy_report_release(qy_report *r)
{
    for (size_t i = 0; i < r->nitems; i++) {
        cites_release(r->items[i].cites, r->items[i].ncites);
        cites_release(r->items[i].related, r->items[i].nrelated);
        free(r->items[i].text);
    }
    free(r->items);
    for (size_t i = 0; i < r->nrefs; i++) {
        qy_decision_release(&r->refs[i].d);
        free(r->refs[i].link);
    }
    free(r->refs);
    free(r->related);
    qy_analysis_release(&r->a);
    memset(r, 0, sizeof *r);
}

/* ----------------------------------------------------------- evaluator */

static int date_less(const char *a, const char *b)
{
    return strcmp(a, b) < 0;
}

static xs_status info_of(const ix_snapshot *s, qy_evaluator *ev, xs_docid d,
                         xs_err *err)
{
    qy_decision dec;
    xs_status st = qy_decision_load(s, d, &dec, err);
    if (st)
        return st;
    qy_docinfo *in = &ev->info[d];
    qy_stage stage;
    int decree = qy_is_decree(&dec);
    if (decree < 0 || qy_stager_detect(ev->stager, &dec, &stage)) {
        qy_decision_release(&dec);
        return nomem(err);
    }
    in->stage = (unsigned char)stage;
    in->decree = (unsigned char)decree;
    in->mededeling = !strcmp(dec.kind, "mededeling");
    in->undated = !*dec.date;
    unsigned acts;
    if (qy_acts_of(ev->acts, dec.title, strlen(dec.title), 1, &acts)) {
        qy_decision_release(&dec);
        return nomem(err);
    }
    in->acts = acts;
    if (in->undated)
        ev->undated++;
    else if (strlen(dec.date) == 10) {
        if (!ev->first[0] || date_less(dec.date, ev->first))
            memcpy(ev->first, dec.date, 11);
        if (!ev->last[0] || date_less(ev->last, dec.date))
            memcpy(ev->last, dec.date, 11);
    }
    qy_decision_release(&dec);
    return XS_OK;
}

xs_status qy_evaluator_new(const ix_snapshot *s, qy_evaluator **out,
                           xs_err *err)
{
    *out = NULL;
    if (!ix_snapshot_get_tables(s))
        return xs_err_set(err, XS_INVALID, "qy_evaluator_new: the snapshot's "
                          "tables are not loaded (ix_snapshot_tables)");
    qy_evaluator *ev = calloc(1, sizeof *ev);
    if (!ev)
        return nomem(err);
    ev->ninfo = ix_tables_size(ix_snapshot_get_tables(s));
    ev->info = calloc(ev->ninfo ? ev->ninfo : 1, sizeof *ev->info);
    xs_status st = ev->info ? XS_OK : nomem(err);
    if (!st)
        st = qy_stager_new(NULL, &ev->stager, err);
    if (!st)
        st = qy_acts_new(&ev->acts, err);
    if (!st)
        st = qy_models_load(&ev->models, err);
    for (xs_docid d = 1; !st && d < ev->ninfo; d++)
        if (*ix_tables_id(ix_snapshot_get_tables(s), d))
            st = info_of(s, ev, d, err);
    if (st) {
        qy_evaluator_free(ev);
        return st;
    }
    *out = ev;
    return XS_OK;
}

void qy_evaluator_free(qy_evaluator *ev)
{
    if (!ev)
        return;
    qy_stager_free(ev->stager);
    qy_acts_free(ev->acts);
    qy_models_release(&ev->models);
    free(ev->info);
    free(ev);
}
