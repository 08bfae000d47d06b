/*
 * qy_eval.c -- the evaluation of one agreement section: per commitment,
 * the decisions that carry it out, how far each got, and a verdict.
 *
 * Owns: stage detection from decision text, grouping decisions into
 * dossiers (by their dossier term, see ix_dossier_term), evidence thresholds and verdict rules, verbatim evidence
 * excerpts (checked to occur in the decision), citation numbering in order
 * of first use.  The rules are documented in docs/evaluation.md.
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
                                 : "geen beslissing gevonden";
}

/* ------------------------------------------------------ construction */

typedef struct evb {
    const ix_snapshot *s;
    const qy_params *p;
    qy_report *r;
    char **ref_key;        /* dossier key per ref (parallel to r->refs)    */
    size_t cap;
    xs_doc *scratch;       /* tokenizer for excerpt scoring                */
    unsigned *secrank;     /* docid -> rank in the section ranking (1-based,
                              0 = not ranked)                              */
    unsigned maxdoc;
    qy_stager *stager;     /* the stage rules                              */
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
    ref->stage = qy_stager_detect(b->stager, &ref->d);
    ref->link = qy_decision_link(&ref->d);
    b->ref_key[r->nrefs] = NULL;
    xs_status vs = xs_db_value(b->s->decisions, did, IX_SLOT_DOSSIER,
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

/* Undo the last ref_get that added a reference. */
static void ref_pop(evb *b)
{
    qy_report *r = b->r;
    qy_ref *ref = &r->refs[--r->nrefs];
    r->ndossiers -= ref->dossier == r->nrefs;
    free(b->ref_key[r->nrefs]);
    free(ref->link);
    qy_decision_release(&ref->d);
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

static double sentence_overlap(evb *b, const char *s, size_t len,
                               const qy_terms *t)
{
    overlap_ctx c = {t, 0, xs_db_doccount(b->s->decisions)};
    xs_doc_clear(b->scratch);
    if (xs_doc_index_text(b->scratch, s, len, 1, "", NULL) ||
        xs_doc_each_term(b->scratch, add_overlap, &c, NULL))
        return 0;
    return c.score;
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
 * verified to occur verbatim in d's text.  NULL when d has no text. */
static char *best_excerpt(evb *b, const qy_decision *d, const qy_terms *t)
{
    qy_spans sp;
    if (!*d->text || qy_para_split(d->text, &sp))
        return NULL;
    size_t best = 0;
    double best_score = -1;
    for (size_t i = 0; i < sp.n; i++) {
        double sc = sentence_overlap(b, d->text + sp.v[i].start,
                                     sp.v[i].end - sp.v[i].start, t);
        if (sc > best_score) {
            best_score = sc;
            best = i;
        }
    }
    char *ex = sp.n ? cut_excerpt(d->text + sp.v[best].start,
                                  sp.v[best].end - sp.v[best].start)
                    : NULL;
    qy_spans_release(&sp);
    if (ex && !strstr(d->text, ex)) {   /* the promise: verbatim only */
        free(ex);
        ex = NULL;
    }
    return ex;
}

/* ------------------------------------------------------------ citing */

static xs_status cite_push(qy_item *it, size_t ref, double strength,
                           char *excerpt, int sibling, xs_err *err)
{
    for (size_t i = 0; i < it->ncites; i++)
        if (it->cites[i].ref == ref) {
            free(excerpt);
            return XS_OK;
        }
    qy_cite *v = realloc(it->cites, (it->ncites + 1) * sizeof *v);
    if (!v) {
        free(excerpt);
        return nomem(err);
    }
    it->cites = v;
    v[it->ncites++] = (qy_cite){ref, strength, excerpt, sibling};
    return XS_OK;
}

#define SIBLINGS_MAX 8      /* other stages cited per dossier            */

typedef struct sib_ctx {
    xs_docid self;
    xs_docid found[SIBLINGS_MAX];
    size_t n;
} sib_ctx;

static int collect_sibling(void *vctx, xs_docid did)
{
    sib_ctx *c = vctx;
    if (did != c->self)
        c->found[c->n++] = did;
    return c->n == SIBLINGS_MAX;
}

/* Cite the other stages of ref's dossier: the decisions sharing its
 * dossier term, wherever they rank. */
static xs_status cite_siblings(evb *b, qy_item *it, size_t ref,
                               const qy_terms *t, xs_err *err)
{
    sib_ctx c = {.self = b->r->refs[ref].d.docid};
    xs_status st = xs_db_postings(b->s->decisions, b->ref_key[ref],
                                  collect_sibling, &c, err);
    for (size_t j = 0; !st && j < c.n; j++) {
        size_t sib;
        st = ref_get(b, c.found[j], &sib, err);
        if (!st)
            st = cite_push(it, sib, 0, best_excerpt(b, &b->r->refs[sib].d, t),
                           1, err);
    }
    return st;
}

static void judge(const qy_report *r, const qy_params *p, qy_item *it)
{
    it->verdict = it->ncites ? QY_IN_PROGRESS : QY_NONE;
    it->furthest = QY_STAGE_UNKNOWN;
    for (size_t i = 0; i < it->ncites; i++) {
        const qy_ref *ref = &r->refs[it->cites[i].ref];
        if (ref->stage > it->furthest)
            it->furthest = ref->stage;
    }
    for (size_t i = 0; i < it->ncites; i++) {
        const qy_cite *c = &it->cites[i];
        if (c->sibling || c->strength < p->strong)
            continue;
        /* strong evidence whose dossier reached a final stage */
        size_t dossier = r->refs[c->ref].dossier;
        for (size_t k = 0; k < it->ncites; k++) {
            const qy_ref *m = &r->refs[it->cites[k].ref];
            if (m->dossier == dossier && m->stage >= QY_STAGE_APPROVED)
                it->verdict = QY_DONE;
        }
    }
}

static xs_status evaluate_commit(evb *b, const qy_commit *c, qy_item *it,
                                 xs_err *err)
{
    const qy_analysis *a = &b->r->a;
    it->text = strndup(a->text + c->span.start, c->span.end - c->span.start);
    if (!it->text)
        return nomem(err);
    xs_status st = XS_OK;
    size_t cited = 0;
    for (size_t i = 0; !st && i < c->hits.n && cited < b->p->max_cites; i++) {
        if (c->hits.norm[i] < b->p->evidence)
            break;
        xs_docid did = c->hits.docs[i];
        int in_scope = did <= b->maxdoc && b->secrank[did] &&
                       b->secrank[did] <= b->p->scope;
        if (!in_scope && c->hits.norm[i] < b->p->strong)
            continue;       /* weak, and off-topic for the section */
        size_t ref, before = b->r->nrefs;
        st = ref_get(b, c->hits.docs[i], &ref, err);
        int known_dossier = 0;
        for (size_t k = 0; !st && k < it->ncites; k++)
            known_dossier |= b->r->refs[it->cites[k].ref].dossier ==
                             b->r->refs[ref].dossier;
        if (!st && known_dossier && ref == before)
            ref_pop(b);     /* numbered only to be skipped: undo */
        if (st || known_dossier)
            continue;
        cited++;
        st = cite_push(it, ref, c->hits.norm[i],
                       best_excerpt(b, &b->r->refs[ref].d, &c->terms), 0, err);
        if (!st)
            st = cite_siblings(b, it, ref, &c->terms, err);
    }
    if (!st)
        judge(b->r, b->p, it);
    return st;
}

static xs_status evaluate_items(evb *b, xs_err *err)
{
    qy_report *r = b->r;
    r->items = calloc(r->a.ncommits ? r->a.ncommits : 1, sizeof *r->items);
    if (!r->items)
        return nomem(err);
    xs_status st = XS_OK;
    for (size_t i = 0; !st && i < r->a.ncommits; i++) {
        if (r->a.commits[i].boilerplate) {
            r->nboilerplate++;
            continue;
        }
        st = evaluate_commit(b, &r->a.commits[i], &r->items[r->nitems++], err);
    }
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

static xs_status evb_init(evb *b, xs_err *err)
{
    qy_analysis *a = &b->r->a;
    b->maxdoc = xs_db_doccount(b->s->decisions) + 1;
    b->secrank = calloc(b->maxdoc + 1, sizeof *b->secrank);
    if (!b->secrank)
        return nomem(err);
    for (size_t i = 0; i < a->nranking; i++)
        if (a->ranking[i].doc <= b->maxdoc)
            b->secrank[a->ranking[i].doc] = (unsigned)i + 1;
    xs_status st = qy_stager_new(NULL, &b->stager, err);
    return st ? st : xs_doc_new(b->s->stem, &b->scratch, err);
}

static void evb_release(evb *b)
{
    for (size_t i = 0; i < b->r->nrefs; i++)
        free(b->ref_key[i]);
    free(b->ref_key);
    free(b->secrank);
    xs_doc_free(b->scratch);
    qy_stager_free(b->stager);
}

xs_status qy_evaluate(const ix_snapshot *s, const qy_params *p,
                      const char *section_id, qy_report *r, xs_err *err)
{
    memset(r, 0, sizeof *r);
    r->snapshot = s->id;
    evb b = {.s = s, .p = p, .r = r};
    xs_status st = qy_analyse(s, p, section_id, &r->a, err);
    if (st)
        return st;
    st = evb_init(&b, err);
    if (!st)
        st = evaluate_items(&b, err);
    if (!st)
        st = add_related(&b, err);
    evb_release(&b);
    if (st)
        qy_report_release(r);
    return st;
}

void qy_report_release(qy_report *r)
{
    for (size_t i = 0; i < r->nitems; i++) {
        for (size_t k = 0; k < r->items[i].ncites; k++)
            free(r->items[i].cites[k].excerpt);
        free(r->items[i].cites);
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
