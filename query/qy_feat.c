/*
 * qy_feat.c -- the features of evaluate's two models, and the models.
 *
 * Owns: (1) commitment features of an agreement sentence, from the Dutch
 * grammar of the agreement: who acts ("we", "de Vlaamse Regering"), a
 * future or planned act ("zal", "werken ... uit"), an instrument
 * (decreet, plan, subsidie), against statements (copulas, vision words,
 * anaphoric openings); (2) evidence features of a (commitment, decision)
 * pair beyond one BM25 score: coverage of the commitment's rare terms in
 * text and title, compound-part-only matches, shared names, the
 * commitment and section rankings, whether another commitment of the
 * section matches the decision better, dossier, stage, kind and date;
 * (3) loading the models that weigh them (built in, or $AKKOORD_MODELS).
 * Never: fits (bench/akk-train does) or decides a verdict (qy_eval.c).
 */
#include "qy-int.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ words */

/* Folded words of s[0..len) (lower case, accents off), in order. */
typedef struct words {
    char *buf;
    char **w;
    size_t n;
} words;

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static int words_of(const char *s, size_t len, words *out)
{
    memset(out, 0, sizeof *out);
    out->buf = xs_fold(s, len);
    if (!out->buf)
        return -1;
    size_t cap = 0;
    for (char *p = out->buf; *p;) {
        while (*p && !word_byte((unsigned char)*p))
            p++;
        if (!*p)
            break;
        if (out->n == cap) {
            cap = cap ? 2 * cap : 32;
            char **v = realloc(out->w, cap * sizeof *v);
            if (!v)
                return -1;
            out->w = v;
        }
        out->w[out->n++] = p;
        while (word_byte((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
    return 0;
}

static void words_release(words *w)
{
    free(w->buf);
    free(w->w);
    memset(w, 0, sizeof *w);
}

static int in_list(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(w, *list))
            return 1;
    return 0;
}

static int has_prefix_in(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (!strncmp(w, *list, strlen(*list)))
            return 1;
    return 0;
}

static int contains_any(const char *w, const char *const *list)
{
    for (; *list; list++)
        if (strstr(w, *list))
            return 1;
    return 0;
}

/* ------------------------------------------------------ commitments */

const char *const qy_commit_feature_names[] = {
    "we_start", "verb_we", "we_any", "future", "actor", "work_on",
    "anaphoric", "copula", "vision", "can", "must", "instruments",
    "acts", "length", "short", "digits", "names", "acronyms", "colon",
    "no_stop", "first", "position", "section_vision", "section_we",
    "content_terms", "rarest_term", "top_match", NULL};

static const char *const we_words[] = {"we", "wij", NULL};
static const char *const future_words[] = {"zal", "zullen", "voortaan", NULL};
static const char *const anaphoric[] = {
    "zo", "hierbij", "daarbij", "daarmee", "deze", "dit", "het", "dat",
    "doel", "hierdoor", "daardoor", "ook", "bovendien", "tegelijkertijd",
    "en", NULL};
static const char *const copulas[] = {
    "is", "zijn", "vormt", "vormen", "hebben", "heeft", "blijft", "blijven",
    "biedt", "bieden", "speelt", "spelen", "dragen", "draagt", NULL};
static const char *const vision_stems[] = {
    "aandacht", "belang", "bewust", "cruciaal", "essentieel", "uitdaging",
    "opportuniteit", "ambitie", "streven", "visie", NULL};
static const char *const instrument_parts[] = {
    "decreet", "besluit", "regelgeving", "actieplan", "programma", "akkoord",
    "overeenkomst", "convenant", "hervorm", "oproep", "fonds", "subsidie",
    "premie", "statuut", "regeling", "kader", "agentschap", "centrum",
    "bijdrage", "belasting", "tarief", NULL};
static const char *const act_stems[] = {
    "invoer", "oprich", "opstart", "uitwerk", "investe", "voorzien",
    "evalue", "hervorm", "afschaf", "schaffen", "verhog", "verlag",
    "uitbrei", "breiden", "ontwikkel", "creer", "maken", "zorgen",
    "stimuleren", "ondersteun", "versterk", "bouwen", "realiser",
    "implementer", "zetten", "verlengen", "verminder", "vereenvoudig",
    "digitalis", "harmonis", "herzien", "aanpass", "passen", "subsidi",
    "financier", "moderniser", "integreren", "optimaliser", "onderzoeken",
    "bekijken", "nemen", "geven", "brengen", "bieden", "volgen", NULL};
static const char *const vision_titles[] = {
    "visie", "uitdaging", "inleiding", "algemeen", "context", "situering",
    "ambitie", NULL};

static int has_we(const words *w)
{
    for (size_t i = 0; i < w->n; i++)
        if (in_list(w->w[i], we_words))
            return 1;
    return 0;
}

/* Capitalised words that do not open the sentence, and all-capital
 * acronyms, counted in the original text. */
static void count_names(const char *s, size_t len, double *names,
                        double *acronyms)
{
    unsigned n = 0, a = 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i - 1] != ' ' || !(s[i] >= 'A' && s[i] <= 'Z'))
            continue;
        size_t j = i;
        while (j < len && s[j] >= 'A' && s[j] <= 'Z')
            j++;
        if (j - i >= 2)
            a++;
        else if (i >= 2 && s[i - 2] != '.' && s[i - 2] != ':')
            n++;
    }
    *names = (n > 5 ? 5 : n) / 2.0;
    *acronyms = a > 3 ? 3 : a;
}

static void grammar_features(const words *w, double *x)
{
    size_t n = w->n;
    x[0] = n && in_list(w->w[0], we_words);
    for (size_t i = 1; i < n && i < 8; i++)
        if (in_list(w->w[i], we_words))
            x[1] = 1;
    x[2] = has_we(w);
    for (size_t i = 0; i < n; i++) {
        const char *t = w->w[i];
        x[3] = x[3] || in_list(t, future_words);
        if (i + 1 < n && ((!strcmp(t, "vlaamse") &&
                           (!strcmp(w->w[i + 1], "regering") ||
                            !strcmp(w->w[i + 1], "overheid"))) ||
                          (!strcmp(t, "de") && (!strcmp(w->w[i + 1], "overheid") ||
                                                !strcmp(w->w[i + 1], "minister")))))
            x[4] = 1;
        if (!strncmp(t, "werk", 4))
            for (size_t k = i + 1; k < n && k <= i + 4; k++)
                if (!strcmp(w->w[k], "aan") || !strcmp(w->w[k], "uit"))
                    x[5] = 1;
        x[7] = x[7] || in_list(t, copulas);
        x[8] = x[8] || has_prefix_in(t, vision_stems);
        x[9] = x[9] || !strcmp(t, "kan") || !strcmp(t, "kunnen") ||
               !strcmp(t, "mogelijk");
        x[10] = x[10] || !strcmp(t, "moet") || !strcmp(t, "moeten");
        x[11] += contains_any(t, instrument_parts);
        x[12] += has_prefix_in(t, act_stems);
        x[15] = x[15] || (*t >= '0' && *t <= '9');
    }
    x[6] = n && in_list(w->w[0], anaphoric);
    x[13] = (n > 60 ? 60 : (double)n) / 30;
    x[14] = n < 10;
}

int qy_commit_features(const qy_analysis *a, size_t i, double *x)
{
    memset(x, 0, QY_COMMIT_NFEAT * sizeof *x);
    const qy_commit *c = &a->commits[i];
    const char *s = a->text + c->span.start;
    size_t len = c->span.end - c->span.start;
    words w;
    int rc = words_of(s, len, &w);
    if (!rc)
        grammar_features(&w, x);
    words_release(&w);
    count_names(s, len, &x[16], &x[17]);
    size_t e = len;
    while (e > 0 && s[e - 1] == ' ')
        e--;
    x[18] = e > 0 && s[e - 1] == ':';
    x[19] = e > 0 && !strchr(".!?;)", s[e - 1]);
    x[20] = i == 0;
    x[21] = (double)(i + 1) / (double)a->ncommits;
    char *title = xs_fold(a->sec.title, strlen(a->sec.title));
    x[22] = title && contains_any(title, vision_titles);
    rc |= title ? 0 : -1;
    free(title);
    size_t with_we = 0;
    for (size_t k = 0; !rc && k < a->ncommits; k++) {
        words o;
        rc = words_of(a->text + a->commits[k].span.start,
                      a->commits[k].span.end - a->commits[k].span.start, &o);
        if (!rc)
            with_we += has_we(&o);
        words_release(&o);
    }
    x[23] = (double)with_we / (double)a->ncommits;
    /* what there is to find it by: its content terms, the rarest one, and
     * how well the best decision matches it */
    double rare = 0;
    for (size_t k = 0; k < c->terms.n; k++)
        if (c->terms.v[k].df && c->terms.v[k].scale >= 1.0) {
            double r = 1.0 / log(1.0 + c->terms.v[k].df);
            rare = r > rare ? r : rare;
        }
    x[24] = log1p((double)c->terms.n) / 3;
    x[25] = rare;
    x[26] = c->hits.n ? c->hits.norm[0] : 0;
    return rc;
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

int qy_sentence_stems(xs_stem *stem, const char *s, size_t len, char ***out,
                      size_t *n)
{
    words w;
    *out = NULL;
    *n = 0;
    if (words_of(s, len, &w)) {
        words_release(&w);
        return -1;
    }
    char **v = calloc(w.n ? w.n : 1, sizeof *v);
    int rc = v ? 0 : -1;
    for (size_t i = 0; !rc && i < w.n; i++) {
        size_t sl;
        const char *st = xs_stem_word(stem, w.w[i], strlen(w.w[i]), &sl, NULL);
        if (!st || !(v[*n] = strndup(st, sl)))
            rc = -1;
        else
            (*n)++;
    }
    words_release(&w);
    if (rc) {
        qy_stems_free(v, *n);
        *n = 0;
        return -1;
    }
    qsort(v, *n, sizeof *v, cmp_str);
    size_t u = 0;                   /* unique */
    for (size_t i = 0; i < *n; i++) {
        if (u && !strcmp(v[u - 1], v[i]))
            free(v[i]);
        else
            v[u++] = v[i];
    }
    *n = u;
    *out = v;
    return 0;
}

void qy_stems_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

/* ---------------------------------------------------------- evidence */

const char *const qy_evidence_feature_names[] = {
    "commit_norm", "commit_rank", "section_rank", "cover_text",
    "cover_title", "matched", "rare_text", "rare_title", "part_only",
    "names", "best_commit", "commit_share", "stage_enacted", "stage_final",
    "stage_approved", "stage_draft", "stage_weak", "decree", "mededeling",
    "undated", "commit_terms", "dossier", "commitments", "title_cover",
    "title_covered_terms", "rarest_text", "rarest_title", "max_idf",
    "act_commit", "act_title", "act_match", NULL};

/* Term sets of one decision, as sorted 64-bit hashes. */
typedef struct termset {
    uint64_t *text, *title;
    size_t ntext, ntitle;
    uint64_t *tkeys;       /* the title's terms, as "Z<stem>" hashes ...    */
    double *tidf;          /* ... with their idf in the decisions          */
    size_t ntkeys;
    int loaded;
} termset;

struct qy_evctx {
    const ix_snapshot *s;
    const qy_analysis *a;
    const qy_evaluator *ev;
    unsigned *acts;        /* by commitment: kinds of act it promises      */
    termset *sets;         /* by docid (tables->n)                         */
    unsigned *secrank;     /* by docid: rank in the section ranking, 1-based */
    size_t n;
    unsigned ndocs;
};

static uint64_t fnv(const char *s, size_t len)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

static int has_hash(const uint64_t *v, size_t n, uint64_t h)
{
    return v && bsearch(&h, v, n, sizeof *v, cmp_u64) != NULL;
}

typedef struct collect_ctx {
    termset *t;
    const qy_evctx *e;
    size_t cap_text, cap_title;
    int failed;
} collect_ctx;

static int push_hash(uint64_t **v, size_t *n, size_t *cap, uint64_t h)
{
    if (*n == *cap) {
        size_t c = *cap ? 2 * *cap : 256;
        uint64_t *nv = realloc(*v, c * sizeof *nv);
        if (!nv)
            return -1;
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = h;
    return 0;
}

/* "Z<stem>" -> text set (hash of "Z<stem>"); "ZS<stem>" -> title set
 * (hash of "Z<stem>", so one lookup key serves both). */
static int collect_term(void *vctx, const char *term, size_t len, unsigned wdf)
{
    (void)wdf;
    collect_ctx *c = vctx;
    if (len < 2 || term[0] != 'Z')
        return 0;
    int r;
    if (term[1] == 'S') {
        uint64_t h = 1469598103934665603ULL;
        h ^= 'Z';
        h *= 1099511628211ULL;
        for (size_t i = 2; i < len; i++) {
            h ^= (unsigned char)term[i];
            h *= 1099511628211ULL;
        }
        r = push_hash(&c->t->title, &c->t->ntitle, &c->cap_title, h);
        if (!r && len > 3) {
            char key[256];
            int kl = snprintf(key, sizeof key, IX_STEM_PREFIX "%.*s",
                              (int)(len - 2), term + 2);
            unsigned df = kl > 0 && (size_t)kl < sizeof key
                              ? xs_db_termfreq(ix_snapshot_decisions(c->e->s),
                                               key) : 0;
            double *v = realloc(c->t->tidf, (c->t->ntkeys + 1) * sizeof *v);
            uint64_t *k = realloc(c->t->tkeys, (c->t->ntkeys + 1) * sizeof *k);
            if (v)
                c->t->tidf = v;
            if (k)
                c->t->tkeys = k;
            if (!v || !k)
                return c->failed = 1;
            k[c->t->ntkeys] = h;
            v[c->t->ntkeys++] = df ? log((double)c->e->ndocs / df) : 0;
        }
    } else {
        r = push_hash(&c->t->text, &c->t->ntext, &c->cap_text, fnv(term, len));
    }
    return r ? (c->failed = 1) : 0;
}

static xs_status termset_get(qy_evctx *e, xs_docid d, const termset **out,
                             xs_err *err)
{
    termset *t = &e->sets[d];
    *out = t;
    if (t->loaded)
        return XS_OK;
    collect_ctx c = {t, e, 0, 0, 0};
    xs_status st = xs_db_doc_terms(ix_snapshot_decisions(e->s), d,
                                   collect_term, &c, err);
    if (!st && c.failed)
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (st)
        return st;
    if (t->ntext)
        qsort(t->text, t->ntext, sizeof *t->text, cmp_u64);
    if (t->ntitle)
        qsort(t->title, t->ntitle, sizeof *t->title, cmp_u64);
    t->loaded = 1;
    return XS_OK;
}

xs_status qy_evctx_new(const ix_snapshot *s, const qy_analysis *a,
                       const qy_evaluator *ev, qy_evctx **out, xs_err *err)
{
    *out = NULL;
    qy_evctx *e = calloc(1, sizeof *e);
    if (!e)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    e->s = s;
    e->a = a;
    e->ev = ev;
    e->n = ix_tables_size(ix_snapshot_get_tables(s)) + 1;
    e->ndocs = xs_db_doccount(ix_snapshot_decisions(s));
    e->sets = calloc(e->n, sizeof *e->sets);
    e->secrank = calloc(e->n, sizeof *e->secrank);
    e->acts = calloc(a->ncommits ? a->ncommits : 1, sizeof *e->acts);
    if (!e->sets || !e->secrank || !e->acts) {
        qy_evctx_free(e);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < a->nranking; i++)
        if (a->ranking[i].doc < e->n)
            e->secrank[a->ranking[i].doc] = (unsigned)i + 1;
    for (size_t i = 0; i < a->ncommits; i++)
        if (qy_acts_of(ev->acts, a->text + a->commits[i].span.start,
                       a->commits[i].span.end - a->commits[i].span.start, 0,
                       &e->acts[i])) {
            qy_evctx_free(e);
            return xs_err_set(err, XS_NOMEM, "out of memory");
        }
    *out = e;
    return XS_OK;
}

void qy_evctx_free(qy_evctx *e)
{
    if (!e)
        return;
    for (size_t i = 0; e->sets && i < e->n; i++) {
        free(e->sets[i].text);
        free(e->sets[i].title);
        free(e->sets[i].tkeys);
        free(e->sets[i].tidf);
    }
    free(e->sets);
    free(e->secrank);
    free(e->acts);
    free(e);
}

unsigned qy_evctx_secrank(const qy_evctx *e, xs_docid d)
{
    return d < e->n ? e->secrank[d] : 0;
}

/* Rank (1-based, 0 = absent) and normalised score of d in h. */
static unsigned rank_in(const qy_hitlist *h, xs_docid d, double *norm)
{
    for (size_t i = 0; i < h->n; i++)
        if (h->docs[i] == d) {
            *norm = h->norm[i];
            return (unsigned)i + 1;
        }
    *norm = 0;
    return 0;
}

static double inv_log_rank(unsigned r)
{
    return r ? 1.0 / log2(1.0 + r) : 0;
}

/* Coverage of commitment c's terms by decision set t. */
static void coverage(const qy_evctx *e, const qy_commit *c, const termset *t,
                     double *x)
{
    double whole = 0, in_text = 0, in_title = 0, parts = 0, matched_w = 0;
    unsigned nwhole = 0, nmatched = 0, rare_text = 0, rare_title = 0;
    unsigned rare_df = e->ndocs / 200 + 1;
    for (size_t i = 0; i < c->terms.n; i++) {
        const qy_term *q = &c->terms.v[i];
        double idf = log((double)e->ndocs / (q->df ? q->df : 1));
        uint64_t h = fnv(q->term, strlen(q->term));
        int tx = has_hash(t->text, t->ntext, h);
        int ti = has_hash(t->title, t->ntitle, h);
        if (q->scale < 1.0) {
            if (tx)
                parts += idf;
            continue;
        }
        whole += idf;
        nwhole++;
        if (tx) {
            in_text += idf;
            matched_w += idf;
            nmatched++;
            rare_text += q->df <= rare_df;
        }
        if (ti) {
            in_title += idf;
            rare_title += q->df <= rare_df;
        }
    }
    x[3] = whole > 0 ? in_text / whole : 0;
    x[4] = whole > 0 ? in_title / whole : 0;
    x[5] = nwhole ? (double)nmatched / nwhole : 0;
    x[6] = (rare_text > 3 ? 3 : rare_text) / 3.0;
    x[7] = (rare_title > 3 ? 3 : rare_title) / 3.0;
    x[8] = matched_w + parts > 0 ? parts / (matched_w + parts) : 0;
}

/* How much of the decision's title the commitment covers (idf-weighted,
 * and in number of terms), and whether its rarest term is in the
 * decision's text and title. */
static void title_features(const qy_evctx *e, const qy_commit *c,
                           const termset *t, double *x)
{
    double all = 0, covered = 0;
    unsigned ncov = 0;
    for (size_t i = 0; i < t->ntkeys; i++) {
        all += t->tidf[i];
        for (size_t k = 0; k < c->terms.n; k++)
            if (fnv(c->terms.v[k].term, strlen(c->terms.v[k].term)) == t->tkeys[i]) {
                covered += t->tidf[i];
                ncov++;
                break;
            }
    }
    x[23] = all > 0 ? covered / all : 0;
    x[24] = (ncov > 4 ? 4 : ncov) / 4.0;
    const qy_term *rare = NULL;
    double best = 0, matched = 0;
    for (size_t k = 0; k < c->terms.n; k++) {
        const qy_term *q = &c->terms.v[k];
        double idf = log((double)e->ndocs / (q->df ? q->df : 1));
        if (q->scale >= 1.0 && idf > best) {
            best = idf;
            rare = q;
        }
        if (q->scale >= 1.0 && idf > matched &&
            has_hash(t->text, t->ntext, fnv(q->term, strlen(q->term))))
            matched = idf;
    }
    if (rare) {
        uint64_t h = fnv(rare->term, strlen(rare->term));
        x[25] = has_hash(t->text, t->ntext, h);
        x[26] = has_hash(t->title, t->ntitle, h);
    }
    x[27] = best > 0 ? matched / best : 0;
}

/* Capitalised words and acronyms of the commitment whose stem the
 * decision has, into *out.  Fails only on allocation failure. */
static xs_status shared_names(const qy_evctx *e, const qy_commit *c,
                              const termset *t, double *out, xs_err *err)
{
    const char *s = e->a->text + c->span.start;
    size_t len = c->span.end - c->span.start;
    unsigned n = 0;
    for (size_t i = 1; i < len; i++) {
        if (s[i - 1] != ' ' || !(s[i] >= 'A' && s[i] <= 'Z'))
            continue;
        size_t j = i;
        while (j < len && (word_byte((unsigned char)s[j]) ||
                           (s[j] >= 'A' && s[j] <= 'Z')))
            j++;
        size_t sl;
        char *lower = xs_fold(s + i, j - i);
        if (!lower)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        const char *stem = xs_stem_word(ix_snapshot_stem(e->s), lower,
                                        strlen(lower),
                                        &sl, err);
        free(lower);
        if (!stem)
            return XS_NOMEM;
        if (sl > 2) {
            char key[260];
            int kl = snprintf(key, sizeof key, IX_STEM_PREFIX "%.*s", (int)sl,
                              stem);
            if (kl > 0 && (size_t)kl < sizeof key &&
                has_hash(t->text, t->ntext, fnv(key, (size_t)kl)))
                n++;
        }
        i = j;
    }
    *out = (n > 3 ? 3 : n) / 3.0;
    return XS_OK;
}

xs_status qy_evidence_features(qy_evctx *e, size_t ci, xs_docid d,
                               double *x, xs_err *err)
{
    memset(x, 0, QY_EVIDENCE_NFEAT * sizeof *x);
    const qy_analysis *a = e->a;
    const qy_commit *c = &a->commits[ci];
    const termset *t = NULL;
    xs_status st = d < e->n ? termset_get(e, d, &t, err)
                            : xs_err_set(err, XS_INVALID, "no document %u", d);
    if (st)
        return st;
    double norm;
    unsigned r = rank_in(&c->hits, d, &norm);
    x[0] = norm;
    x[1] = inv_log_rank(r);
    x[2] = inv_log_rank(qy_evctx_secrank(e, d));
    coverage(e, c, t, x);
    st = shared_names(e, c, t, &x[9], err);
    if (st)
        return st;
    title_features(e, c, t, x);
    double best = 0, sum = 0;
    for (size_t k = 0; k < a->ncommits; k++) {
        double nk;
        if (a->commits[k].boilerplate)
            continue;
        rank_in(&a->commits[k].hits, d, &nk);
        best = nk > best ? nk : best;
        sum += nk;
    }
    x[10] = norm > 0 && norm >= best;
    x[11] = sum > 0 ? norm / sum : 0;
    const qy_docinfo *in = &e->ev->info[d < e->ev->ninfo ? d : 0];
    x[12] = in->stage == QY_STAGE_ENACTED;
    x[13] = in->stage == QY_STAGE_FINAL;
    x[14] = in->stage == QY_STAGE_APPROVED;
    x[15] = in->stage == QY_STAGE_DRAFT;
    x[16] = in->stage < QY_STAGE_DRAFT;
    x[17] = in->decree;
    x[18] = in->mededeling;
    x[19] = in->undated;
    x[20] = log1p((double)c->terms.n) / 3;
    unsigned ring = 0;
    const ix_tables *tb = ix_snapshot_get_tables(e->s);
    if (d < ix_tables_size(tb))
        for (xs_docid k = ix_tables_next(tb, d); k != d && ring < 20;
             k = ix_tables_next(tb, k))
            ring++;
    x[21] = log1p(ring) / 3;
    x[22] = log1p((double)a->ncommits) / 4;
    x[28] = e->acts[ci] != 0;
    x[29] = in->acts != 0;
    x[30] = (e->acts[ci] & in->acts) != 0;
    return XS_OK;
}

typedef struct why_word { const char *w; double idf; } why_word;

static int by_idf(const void *x, const void *y)
{
    const why_word *a = x, *b = y;
    if (a->idf != b->idf)
        return a->idf < b->idf ? 1 : -1;
    return strcmp(a->w, b->w);
}

char *qy_evidence_why(qy_evctx *e, size_t ci, xs_docid d, xs_err *err)
{
    const qy_commit *c = &e->a->commits[ci];
    const termset *t;
    words w;
    if (d >= e->n) {
        char *none = strdup("");
        if (!none)
            xs_err_set(err, XS_NOMEM, "out of memory");
        return none;
    }
    if (termset_get(e, d, &t, err))
        return NULL;
    if (words_of(e->a->text + c->span.start, c->span.end - c->span.start,
                 &w)) {
        words_release(&w);
        xs_err_set(err, XS_NOMEM, "out of memory");
        return NULL;
    }
    why_word found[8];
    size_t n = 0;
    for (size_t i = 0; i < w.n; i++) {
        size_t sl;
        const char *stem = xs_stem_word(ix_snapshot_stem(e->s), w.w[i],
                                        strlen(w.w[i]), &sl, err);
        if (!stem) {
            words_release(&w);
            return NULL;
        }
        char key[260];
        int kl = snprintf(key, sizeof key, IX_STEM_PREFIX "%.*s", (int)sl,
                          stem);
        if (kl <= 1 || (size_t)kl >= sizeof key)
            continue;
        const qy_term *q = NULL;
        for (size_t k = 0; k < c->terms.n && !q; k++)
            if (c->terms.v[k].scale >= 1.0 && !strcmp(c->terms.v[k].term, key))
                q = &c->terms.v[k];
        if (!q || !has_hash(t->text, t->ntext, fnv(key, (size_t)kl)))
            continue;
        int dup = 0;
        for (size_t k = 0; k < n; k++)
            dup |= !strcmp(found[k].w, w.w[i]);
        if (dup)
            continue;
        why_word ww = {w.w[i], log((double)e->ndocs / (q->df ? q->df : 1))};
        if (n < 8)
            found[n++] = ww;
        else if (ww.idf > found[7].idf)
            found[7] = ww;
        qsort(found, n, sizeof *found, by_idf);
    }
    size_t len = 1;
    for (size_t k = 0; k < n && k < 5; k++)
        len += strlen(found[k].w) + 2;
    char *out = malloc(len);
    if (out) {
        *out = '\0';
        for (size_t k = 0; k < n && k < 5; k++) {
            if (k)
                strcat(out, ", ");
            strcat(out, found[k].w);
        }
    } else {
        xs_err_set(err, XS_NOMEM, "out of memory");
    }
    words_release(&w);
    return out;
}

static int has_doc(const xs_docid *v, size_t n, xs_docid d)
{
    for (size_t i = 0; i < n; i++)
        if (v[i] == d)
            return 1;
    return 0;
}

size_t qy_candidates(const qy_evctx *e, size_t ci, xs_docid *out)
{
    const qy_hitlist *h = &e->a->commits[ci].hits;
    const ix_tables *tb = ix_snapshot_get_tables(e->s);
    size_t n = 0, top = h->n < QY_CANDIDATES ? h->n : QY_CANDIDATES;
    for (size_t i = 0; i < top; i++)
        if (!has_doc(out, n, h->docs[i]))
            out[n++] = h->docs[i];
    for (size_t i = 0; i < top && i < 10; i++) {
        xs_docid d = h->docs[i];
        for (xs_docid k = ix_tables_next(tb, d);
             k != d && n < QY_CANDIDATES_MAX; k = ix_tables_next(tb, k))
            if (!has_doc(out, n, k))
                out[n++] = k;
    }
    const qy_analysis *a = e->a;
    for (size_t i = 0; i < a->nranking && i < QY_SECTION_CANDIDATES &&
                       n < QY_CANDIDATES_MAX; i++)
        if (!has_doc(out, n, a->ranking[i].doc))
            out[n++] = a->ranking[i].doc;
    return n;
}

/* -------------------------------------------------------------- acts */

extern const char qy_act_words[];

#define ACTS_MAX 32

struct qy_acts {
    words side[ACTS_MAX][2];   /* prefixes of the sentence and title side */
    size_t n;
};

xs_status qy_acts_new(qy_acts **out, xs_err *err)
{
    qy_acts *a = calloc(1, sizeof *a);
    *out = NULL;
    if (!a)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    unsigned line = 0;
    for (const char *p = qy_act_words; *p;) {
        size_t len = strcspn(p, "\n");
        line++;
        const char *t1 = memchr(p, '\t', len);
        const char *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - p)) : NULL;
        if (len && *p != '#') {
            if (!t2 || a->n == ACTS_MAX) {
                qy_acts_free(a);
                return xs_err_set(err, XS_INVALID, "act-words.tsv:%u: want 'act<TAB>"
                                  "sentence words<TAB>title words' (at most %d "
                                  "rows)", line, ACTS_MAX);
            }
            if (words_of(t1 + 1, (size_t)(t2 - t1 - 1), &a->side[a->n][0]) ||
                words_of(t2 + 1, len - (size_t)(t2 + 1 - p), &a->side[a->n][1])) {
                a->n++;
                qy_acts_free(a);
                return xs_err_set(err, XS_NOMEM, "out of memory");
            }
            a->n++;
        }
        p += len + (p[len] == '\n');
    }
    *out = a;
    return XS_OK;
}

void qy_acts_free(qy_acts *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        words_release(&a->side[i][0]);
        words_release(&a->side[i][1]);
    }
    free(a);
}

int qy_acts_of(const qy_acts *a, const char *s, size_t len, int title,
               unsigned *out)
{
    words w;
    unsigned mask = 0;
    *out = 0;
    if (words_of(s, len, &w)) {
        words_release(&w);
        return -1;
    }
    for (size_t i = 0; i < a->n; i++) {
        const words *pre = &a->side[i][title ? 1 : 0];
        for (size_t k = 0; k < w.n && !(mask & (1u << i)); k++)
            for (size_t p = 0; p < pre->n; p++)
                if (!strncmp(w.w[k], pre->w[p], strlen(pre->w[p]))) {
                    mask |= 1u << i;
                    break;
                }
    }
    words_release(&w);
    *out = mask;
    return 0;
}

/* ------------------------------------------------------------ models */

extern const char qy_commitment[], qy_evidence[];

static xs_status load_one(const char *dir, const char *file,
                          const char *builtin, const char *const *names,
                          size_t n, qy_model **out, xs_err *err)
{
    if (!dir)
        return qy_model_parse(builtin, file, names, n, out, err);
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *f = fopen(path, "rb");
    if (!f)
        return xs_err_set(err, XS_IO, "cannot open model '%s'", path);
    char *text = NULL;
    size_t len = 0, cap = 0, got;
    char buf[4096];
    xs_status st = XS_OK;
    while (!st && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (len + got + 1 > cap) {
            cap = 2 * (len + got + 1);
            char *t = realloc(text, cap);
            if (!t)
                st = xs_err_set(err, XS_NOMEM, "out of memory");
            else
                text = t;
        }
        if (!st) {
            memcpy(text + len, buf, got);
            len += got;
        }
    }
    if (!st && ferror(f))
        st = xs_err_set(err, XS_IO, "cannot read model '%s'", path);
    fclose(f);
    if (!st && text) {
        text[len] = '\0';
        st = qy_model_parse(text, path, names, n, out, err);
    } else if (!st)
        st = xs_err_set(err, XS_INVALID, "%s: empty model", path);
    free(text);
    return st;
}

xs_status qy_models_load(qy_models *m, xs_err *err)
{
    memset(m, 0, sizeof *m);
    const char *dir = getenv("AKKOORD_MODELS");
    if (dir && !*dir)
        dir = NULL;
    xs_status st = load_one(dir, "commitment.model", qy_commitment,
                            qy_commit_feature_names, QY_COMMIT_NFEAT,
                            &m->commit, err);
    if (!st)
        st = load_one(dir, "evidence.model", qy_evidence,
                      qy_evidence_feature_names, QY_EVIDENCE_NFEAT,
                      &m->evidence, err);
    if (st)
        qy_models_release(m);
    return st;
}

void qy_models_release(qy_models *m)
{
    qy_model_free(m->commit);
    qy_model_free(m->evidence);
    memset(m, 0, sizeof *m);
}
