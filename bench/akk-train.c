/*
 * akk-train.c -- fits evaluate's two models on the judged set (`make
 * model`, and each fold of bench/evidence's cross-validation).
 *
 * Owns: reading bench/judged/ (sentences.tsv and pairs.tsv, the judged
 * set; checkable.tsv and pairs-train.tsv, training-only labels of other
 * sections), matching judged sentences to akkoord's sentences by their
 * letters and digits, the training rows with the features evaluate
 * computes (qy_feat.c) plus a vocabulary of word stems for the commitment
 * model, the fits (liblinear, L2-regularised logistic regression, solver
 * 0, which is deterministic), and the choice of the thresholds
 * (checkable, cited, strong enough for "uitgevoerd") that work best when
 * evaluate's own rules (qy_assign, qy_verdict_of) run on out-of-fold
 * probabilities of a 5-fold cross-validation by section inside the
 * training sections; writes commitment.model and evidence.model.
 * Never: reads a section named in the exclude file (the held-out fold of
 * bench/evidence), for training or for the vocabulary.
 *
 *   usage: akk-train [-x EXCLUDE] INDEX JUDGED_DIR OUT_DIR
 */
#include "../query/qy-int.h"

#include <ctype.h>
#include <linear.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FOLDS 5
#define VOCAB_MIN_DF 3     /* a stem in fewer training sentences is no
                              feature of the commitment model            */
#define EVIDENCE_C 1.0     /* liblinear C of the evidence model          */

static const double commit_cs[] = {0.03, 0.1, 0.3, 1.0};

/* A labelled sentence: judged (full: verdict and every direct decision)
 * or training-only (checkable or not; its pairs in pairs-train.tsv). */
typedef struct jsent {
    char section[128];
    unsigned n;
    int checkable;
    qy_verdict verdict;    /* the judges' (judged sentences only)          */
    int judged;
    char *key;             /* letters and digits of the text, folded      */
    char **stems;          /* distinct stems of the text                   */
    size_t nstems;
} jsent;

typedef struct jpair {
    char section[128];
    unsigned n;
    char id[64];
    int direct;
    int judged;            /* from pairs.tsv (else pairs-train.tsv)        */
} jpair;

typedef struct labels {
    jsent *s;
    size_t ns;
    jpair *p;
    size_t np;
} labels;

typedef struct rows {
    double *x;             /* nrows x nfeat                                */
    int *y;
    unsigned *group;       /* section number, for folds                    */
    char *train;           /* row used for fitting                         */
    char *judged;          /* row of a judged sentence (scored)            */
    size_t n, cap, nfeat;
    size_t missed;         /* direct pairs of judged checkable sentences
                              that evaluate cannot reach (not among its
                              candidates): false negatives                */
} rows;

/* What the threshold search needs of each judged sentence and pair. */
typedef struct simsent {
    unsigned group;        /* section                                      */
    size_t item;           /* index of the sentence in its section         */
    size_t nitems;         /* sentences of its section                     */
    qy_verdict gold;
    int has_hits;          /* evaluate weighs candidates only then         */
    size_t row;            /* its commitment row                           */
} simsent;

typedef struct simpair {
    size_t sent;           /* index into sims                              */
    size_t row;            /* its evidence row                             */
    xs_docid doc;
    int y;
} simpair;

typedef struct sim {
    simsent *s;
    size_t ns, caps;
    simpair *p;
    size_t np, capp;
} sim;

typedef struct trainer {
    const ix_snapshot *snap;
    const qy_evaluator *ev;
    labels lab;
    char **exclude;
    size_t nexclude;
    char **vocab;          /* sorted stems of the commitment model         */
    size_t nvocab;
    rows cm, evr;
    sim sm;
    int oracle, grid;      /* studies: perfect probabilities; a grid       */
} trainer;

static void die(const char *what, const char *msg)
{
    fprintf(stderr, "akk-train: %s: %s\n", what, msg);
    exit(1);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        die("akk-train", "out of memory");
    return q;
}

/* Lower-case letters and digits only: the same sentence whatever the
 * hyphen repair and spacing did to it. */
static char *text_key(const char *s, size_t len)
{
    char *f = xs_fold(s, len);
    if (!f)
        die("key", "out of memory");
    size_t o = 0;
    for (size_t i = 0; f[i]; i++)
        if (isalnum((unsigned char)f[i]) || (unsigned char)f[i] >= 0x80)
            f[o++] = f[i];
    f[o] = '\0';
    return f;
}

/* Split a TSV line in place into at most max fields. */
static size_t fields(char *line, char **f, size_t max)
{
    size_t n = 0;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        f[n++] = line;
        char *t = strchr(line, '\t');
        if (!t)
            break;
        *t = '\0';
        line = t + 1;
    }
    return n;
}

static int excluded(const trainer *t, const char *section)
{
    for (size_t i = 0; i < t->nexclude; i++)
        if (!strcmp(t->exclude[i], section))
            return 1;
    return 0;
}

static qy_verdict verdict_of(const char *s)
{
    return !strcmp(s, "uitgevoerd") ? QY_DONE
           : !strcmp(s, "in uitvoering") ? QY_IN_PROGRESS
           : !strcmp(s, "geen beslissing gevonden") ? QY_NONE
                                                   : QY_UNCHECKABLE;
}

/* Read a TSV with a header; call row(t, fields, nfields, ctx) for each
 * line.  A missing optional file is no error. */
static void read_tsv(trainer *t, const char *dir, const char *file,
                     size_t want, int optional,
                     void (*row)(trainer *, char **, const char *, unsigned))
{
    char path[4096], line[65536], *f[8];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *in = fopen(path, "r");
    if (!in) {
        if (optional)
            return;
        die(path, "cannot open");
    }
    for (unsigned ln = 1; fgets(line, sizeof line, in); ln++) {
        if (ln == 1 || line[0] == '\n')
            continue;
        if (fields(line, f, 8) < want) {
            char where[4200];
            snprintf(where, sizeof where, "%s:%u", path, ln);
            die(where, "too few fields");
        }
        if (!excluded(t, f[0]))
            row(t, f, path, ln);
    }
    fclose(in);
}

static void add_sentence(trainer *t, const char *section, unsigned n,
                         int checkable, qy_verdict v, int judged,
                         const char *text)
{
    labels *l = &t->lab;
    for (size_t i = 0; i < l->ns; i++)        /* judged labels win */
        if (l->s[i].n == n && !strcmp(l->s[i].section, section))
            return;
    l->s = xrealloc(l->s, (l->ns + 1) * sizeof *l->s);
    jsent *s = &l->s[l->ns++];
    memset(s, 0, sizeof *s);
    snprintf(s->section, sizeof s->section, "%s", section);
    s->n = n;
    s->checkable = checkable;
    s->verdict = v;
    s->judged = judged;
    s->key = text_key(text, strlen(text));
    if (qy_sentence_stems(ix_snapshot_stem(t->snap), text, strlen(text), &s->stems,
                          &s->nstems))
        die("stems", "out of memory");
}

static void judged_row(trainer *t, char **f, const char *path, unsigned ln)
{
    (void)path, (void)ln;
    qy_verdict v = verdict_of(f[2]);
    add_sentence(t, f[0], (unsigned)atoi(f[1]), v != QY_UNCHECKABLE, v, 1, f[4]);
}

static void checkable_row(trainer *t, char **f, const char *path, unsigned ln)
{
    int c = !strcmp(f[2], "checkable");
    if (!c && strcmp(f[2], "niet toetsbaar")) {
        char where[4200];
        snprintf(where, sizeof where, "%s:%u", path, ln);
        die(where, "label is neither 'checkable' nor 'niet toetsbaar'");
    }
    add_sentence(t, f[0], (unsigned)atoi(f[1]), c, QY_UNCHECKABLE, 0, f[3]);
}

static void pair_row_of(trainer *t, char **f, int judged)
{
    labels *l = &t->lab;
    l->p = xrealloc(l->p, (l->np + 1) * sizeof *l->p);
    jpair *p = &l->p[l->np++];
    snprintf(p->section, sizeof p->section, "%s", f[0]);
    p->n = (unsigned)atoi(f[1]);
    snprintf(p->id, sizeof p->id, "%s", f[2]);
    p->direct = !strcmp(f[3], "direct");
    p->judged = judged;
}

static void pair_row(trainer *t, char **f, const char *path, unsigned ln)
{
    (void)path, (void)ln;
    pair_row_of(t, f, 1);
}

static void train_pair_row(trainer *t, char **f, const char *path, unsigned ln)
{
    (void)path, (void)ln;
    pair_row_of(t, f, 0);
}

static int by_section(const void *x, const void *y)
{
    const jsent *a = x, *b = y;
    int c = strcmp(a->section, b->section);
    return c ? c : (a->n > b->n) - (a->n < b->n);
}

static void load_labels(trainer *t, const char *dir)
{
    read_tsv(t, dir, "sentences.tsv", 5, 0, judged_row);
    read_tsv(t, dir, "checkable.tsv", 4, 1, checkable_row);
    read_tsv(t, dir, "pairs.tsv", 4, 0, pair_row);
    read_tsv(t, dir, "pairs-train.tsv", 4, 1, train_pair_row);
    qsort(t->lab.s, t->lab.ns, sizeof *t->lab.s, by_section);
}

/* --------------------------------------------------------- vocabulary */

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Stems in at least VOCAB_MIN_DF training sentences, sorted. */
static void build_vocab(trainer *t)
{
    size_t n = 0;
    for (size_t i = 0; i < t->lab.ns; i++)
        n += t->lab.s[i].nstems;
    char **all = xrealloc(NULL, n * sizeof *all);
    n = 0;
    for (size_t i = 0; i < t->lab.ns; i++)
        for (size_t k = 0; k < t->lab.s[i].nstems; k++)
            all[n++] = t->lab.s[i].stems[k];
    qsort(all, n, sizeof *all, cmp_str);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && !strcmp(all[j], all[i]))
            j++;
        if (j - i >= VOCAB_MIN_DF) {
            t->vocab = xrealloc(t->vocab, (t->nvocab + 1) * sizeof *t->vocab);
            t->vocab[t->nvocab++] = all[i];     /* borrowed from a sentence */
        }
        i = j;
    }
    free(all);
}

static void set_vocab_words(const trainer *t, const jsent *s, double *x)
{
    for (size_t k = 0; t->nvocab && k < s->nstems; k++) {
        char **hit = bsearch(&s->stems[k], t->vocab, t->nvocab,
                             sizeof *t->vocab, cmp_str);
        if (hit)
            x[QY_COMMIT_NFEAT + (size_t)(hit - t->vocab)] = 1;
    }
}

/* --------------------------------------------------------------- rows */

static void rows_push(rows *r, const double *x, int y, unsigned group,
                      int train, int judged)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? 2 * r->cap : 1024;
        r->x = xrealloc(r->x, r->cap * r->nfeat * sizeof *r->x);
        r->y = xrealloc(r->y, r->cap * sizeof *r->y);
        r->group = xrealloc(r->group, r->cap * sizeof *r->group);
        r->train = xrealloc(r->train, r->cap);
        r->judged = xrealloc(r->judged, r->cap);
    }
    memcpy(r->x + r->n * r->nfeat, x, r->nfeat * sizeof *x);
    r->y[r->n] = y;
    r->group[r->n] = group;
    r->train[r->n] = (char)train;
    r->judged[r->n++] = (char)judged;
}

static void rows_release(rows *r)
{
    free(r->x);
    free(r->y);
    free(r->group);
    free(r->train);
    free(r->judged);
}

/* ------------------------------------------------------------ fitting */

/* Fit on the rows whose fold (group % FOLDS) != skip (skip < 0: all);
 * w gets nfeat weights and the bias. */
static void fit(const rows *r, int skip, double C, double *w)
{
    struct problem pb = {0};
    pb.n = (int)r->nfeat + 1;
    pb.bias = 1;
    pb.y = malloc(r->n * sizeof *pb.y);
    pb.x = malloc(r->n * sizeof *pb.x);
    struct feature_node *nodes = malloc(r->n * (r->nfeat + 2) * sizeof *nodes);
    if (!pb.y || !pb.x || !nodes)
        die("fit", "out of memory");
    for (size_t i = 0; i < r->n; i++) {
        if ((skip >= 0 && (int)(r->group[i] % FOLDS) == skip) || !r->train[i])
            continue;
        struct feature_node *x = nodes + (size_t)pb.l * (r->nfeat + 2);
        size_t k = 0;
        for (size_t f = 0; f < r->nfeat; f++)
            if (r->x[i * r->nfeat + f] != 0)
                x[k++] = (struct feature_node){(int)f + 1, r->x[i * r->nfeat + f]};
        x[k++] = (struct feature_node){(int)r->nfeat + 1, 1.0};
        x[k] = (struct feature_node){-1, 0};
        pb.x[pb.l] = x;
        pb.y[pb.l++] = r->y[i];
    }
    struct parameter par = {.solver_type = L2R_LR, .eps = 0.001, .C = C};
    const char *bad = check_parameter(&pb, &par);
    if (bad)
        die("liblinear", bad);
    struct model *m = train(&pb, &par);
    int labels[2];
    get_labels(m, labels);
    double sign = labels[0] == 1 ? 1 : -1;   /* w for label 1 */
    for (size_t f = 0; f < r->nfeat; f++)
        w[f] = sign * get_decfun_coef(m, (int)f + 1, 0);
    w[r->nfeat] = sign * get_decfun_bias(m, 0);
    free_and_destroy_model(&m);
    free(nodes);
    free(pb.x);
    free(pb.y);
}

static double prob(const double *w, const double *x, size_t n)
{
    double z = w[n];
    for (size_t f = 0; f < n; f++)
        z += w[f] * x[f];
    return 1 / (1 + exp(-z));
}

/* Out-of-fold probabilities of every row (inner cross-validation). */
static double *oof_probs(const rows *r, double C)
{
    double *p = malloc(r->n * sizeof *p), *w = malloc((r->nfeat + 1) * sizeof *w);
    if (!p || !w)
        die("cv", "out of memory");
    for (int k = 0; k < FOLDS; k++) {
        fit(r, k, C, w);
        for (size_t i = 0; i < r->n; i++)
            if ((int)(r->group[i] % FOLDS) == k)
                p[i] = prob(w, r->x + i * r->nfeat, r->nfeat);
    }
    free(w);
    return p;
}

/* ------------------------------------------------------ thresholds */

typedef struct thresholds {
    double commit, cite, strong, margin;
} thresholds;

typedef struct outcome {
    double agreement;      /* verdicts equal to the judges', all sentences */
    double cite_p, cite_r; /* citations that are direct; direct cited     */
} outcome;

/* Run evaluate's rules (checkable, qy_assign, qy_verdict_of) on the
 * out-of-fold probabilities pc (sentences) and pe (pairs). */
static outcome simulate(const sim *sm, const double *pc, const double *pe,
                        size_t missed, const qy_evaluator *ev,
                        const ix_tables *tb, thresholds t)
{
    size_t agree = 0, cited = 0, hits = 0, want = missed;
    for (size_t i = 0; i < sm->np; i++)
        want += sm->p[i].y && sm->s[sm->p[i].sent].gold != QY_UNCHECKABLE;
    qy_pair *v = malloc((sm->np ? sm->np : 1) * sizeof *v);
    xs_docid docs[QY_CITES_MAX];
    double ps[QY_CITES_MAX];
    if (!v)
        die("simulate", "out of memory");
    for (size_t a = 0, pa = 0; a < sm->ns;) {
        size_t b = a;
        while (b < sm->ns && sm->s[b].group == sm->s[a].group)
            b++;
        size_t n = 0, pb = pa;
        while (pb < sm->np && sm->p[pb].sent < b)
            pb++;
        for (size_t k = pa; k < pb; k++) {
            const simsent *ss = &sm->s[sm->p[k].sent];
            if (!ss->has_hits || pc[ss->row] < t.commit)
                continue;
            v[n++] = (qy_pair){ss->item, sm->p[k].doc, pe[sm->p[k].row], 0, 0, k,
                               ix_tables_order(tb, sm->p[k].doc)};
        }
        if (qy_assign(v, n, sm->s[a].nitems, t.cite, t.margin))
            die("simulate", "out of memory");
        for (size_t i = a; i < b; i++) {
            const simsent *ss = &sm->s[i];
            qy_verdict got = QY_UNCHECKABLE;
            if (ss->has_hits && pc[ss->row] >= t.commit) {
                size_t nd = 0;
                for (size_t k = 0; k < n; k++)
                    if (v[k].cited && v[k].item == ss->item && nd < QY_CITES_MAX) {
                        docs[nd] = v[k].doc;
                        ps[nd++] = v[k].p;
                        cited++;
                        hits += sm->p[v[k].tag].y && ss->gold != QY_UNCHECKABLE;
                    }
                qy_stage far;
                got = qy_verdict_of(ev, tb, docs, ps, nd, t.strong, &far);
            }
            agree += got == ss->gold;
        }
        a = b;
        pa = pb;
    }
    free(v);
    return (outcome){(double)agree / (double)(sm->ns ? sm->ns : 1),
                     cited ? (double)hits / (double)cited : 0,
                     want ? (double)hits / (double)want : 0};
}

/* What the search maximises: agreement of the verdicts plus the F1 of
 * the citations (a right verdict on wrong evidence is no good to a
 * reader, nor is right evidence under a wrong verdict). */
static double objective(outcome o)
{
    double f1 = o.cite_p + o.cite_r > 0
                    ? 2 * o.cite_p * o.cite_r / (o.cite_p + o.cite_r) : 0;
    return o.agreement + f1;
}

/* Coordinate search over the three thresholds (0.02 .. 0.95) and the
 * margin (0 .. 0.5), two rounds; ties keep the earlier (lower) value. */
static thresholds search(const sim *sm, const double *pc, const double *pe,
                         size_t missed, const qy_evaluator *ev,
                         const ix_tables *tb, outcome *best_o)
{
    thresholds t = {0.5, 0.2, 0.5, 0};
    outcome o = simulate(sm, pc, pe, missed, ev, tb, t);
    double best = objective(o);
    for (int round = 0; round < 2; round++)
        for (int which = 0; which < 4; which++)
            for (int step = which == 3 ? 0 : 2; step <= (which == 3 ? 50 : 95);
                 step++) {
                thresholds c = t;
                double v = step / 100.0;
                if (which == 0)
                    c.commit = v;
                else if (which == 1)
                    c.cite = v;
                else if (which == 2)
                    c.strong = v;
                else
                    c.margin = v;
                outcome oc = simulate(sm, pc, pe, missed, ev, tb, c);
                if (objective(oc) > best + 1e-12) {
                    best = objective(oc);
                    t = c;
                    o = oc;
                }
            }
    *best_o = o;
    return t;
}

static void write_one(const char *dir, const char *file, const char *name,
                      const char *const *names, const rows *r, double C,
                      thresholds th, int evidence, const char *how)
{
    double *w = malloc((r->nfeat + 1) * sizeof *w);
    if (!w)
        die("fit", "out of memory");
    fit(r, -1, C, w);
    char path[4096], comment[768];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    snprintf(comment, sizeof comment,
             "%s model of akkoord evaluate, fitted by bench/akk-train on "
             "bench/judged (%zu rows, liblinear L2R_LR, C=%g); thresholds "
             "from 5-fold CV by section: %s", name, r->n, C, how);
    FILE *f = fopen(path, "w");
    double t = evidence ? th.cite : th.commit;
    if (!f || qy_model_write(f, name, comment, names, r->nfeat, w,
                             w[r->nfeat], t, evidence ? th.strong : t,
                             evidence ? th.margin : 0) ||
        fclose(f))
        die(path, "cannot write");
    free(w);
}


/* Commitment C: the one of commit_cs with the best out-of-fold log-loss
 * on the judged sentences. */
static double pick_commit_c(const rows *cm)
{
    double best = commit_cs[0], best_loss = INFINITY;
    for (size_t c = 0; c < sizeof commit_cs / sizeof *commit_cs; c++) {
        double *p = oof_probs(cm, commit_cs[c]), loss = 0;
        for (size_t i = 0; i < cm->n; i++)
            if (cm->judged[i]) {
                double q = cm->y[i] ? p[i] : 1 - p[i];
                loss -= log(q > 1e-9 ? q : 1e-9);
            }
        free(p);
        if (loss < best_loss - 1e-9) {
            best_loss = loss;
            best = commit_cs[c];
        }
    }
    return best;
}

static void write_models(trainer *t, const char *dir)
{
    double cc = pick_commit_c(&t->cm);
    double *pc = oof_probs(&t->cm, cc), *pe = oof_probs(&t->evr, EVIDENCE_C);
    const sim *sm = &t->sm;
    if (t->oracle)
        for (size_t i = 0; i < sm->np; i++)
            pe[sm->p[i].row] = sm->p[i].y;
    if (t->oracle > 1)
        for (size_t i = 0; i < sm->ns; i++)
            pc[sm->s[i].row] = sm->s[i].gold != QY_UNCHECKABLE;
    const ix_tables *tb = ix_snapshot_get_tables(t->snap);
    for (int c = 30; t->grid && c <= 80; c += 10)
        for (int e = 5; e <= 50; e += 5) {
            thresholds g = {c / 100.0, e / 100.0, e / 100.0, 0};
            outcome og = simulate(sm, pc, pe, t->evr.missed, t->ev, tb, g);
            fprintf(stderr, "grid checkable %.2f cited %.2f: agreement %.3f "
                    "P %.3f R %.3f\n", g.commit, g.cite, og.agreement,
                    og.cite_p, og.cite_r);
        }
    outcome o;
    thresholds th = search(sm, pc, pe, t->evr.missed, t->ev, tb, &o);
    char how[256];
    snprintf(how, sizeof how, "verdict agreement %.4f, citation precision "
             "%.4f, recall %.4f", o.agreement, o.cite_p, o.cite_r);
    const char **names = xrealloc(NULL, t->cm.nfeat * sizeof *names);
    char **words = xrealloc(NULL, t->nvocab * sizeof *words);
    for (size_t i = 0; i < QY_COMMIT_NFEAT; i++)
        names[i] = qy_commit_feature_names[i];
    for (size_t i = 0; i < t->nvocab; i++) {
        size_t l = strlen(t->vocab[i]) + 6;
        words[i] = xrealloc(NULL, l);
        snprintf(words[i], l, "word:%s", t->vocab[i]);
        names[QY_COMMIT_NFEAT + i] = words[i];
    }
    write_one(dir, "commitment.model", "commitment", names, &t->cm, cc, th, 0,
              how);
    write_one(dir, "evidence.model", "evidence", qy_evidence_feature_names,
              &t->evr, EVIDENCE_C, th, 1, how);
    fprintf(stderr, "akk-train: %zu sentences (%zu judged), %zu pairs, %zu "
            "words, C %.2f: thresholds checkable %.2f, cited %.2f, strong "
            "%.2f, margin %.2f (CV: %s)\n", t->cm.n, sm->ns, t->evr.n,
            t->nvocab, cc, th.commit, th.cite, th.strong, th.margin, how);
    for (size_t i = 0; i < t->nvocab; i++)
        free(words[i]);
    free(words);
    free(names);
    free(pc);
    free(pe);
}

/* -------------------------------------------------------- collecting */

/* The commitment of a whose text has key; SIZE_MAX if none. */
static size_t find_commit(const qy_analysis *a, const char *key)
{
    for (size_t i = 0; i < a->ncommits; i++) {
        char *k = text_key(a->text + a->commits[i].span.start,
                           a->commits[i].span.end - a->commits[i].span.start);
        int same = !strcmp(k, key);
        free(k);
        if (same)
            return i;
    }
    return (size_t)-1;
}

static xs_docid docid_of(const ix_snapshot *s, const char *id)
{
    qy_decision d;
    xs_err err = {0};
    if (qy_decision_find(s, id, &d, &err)) {
        fprintf(stderr, "akk-train: %s\n", err.msg);
        xs_err_clear(&err);
        return 0;
    }
    xs_docid did = d.docid;
    qy_decision_release(&d);
    return did;
}

static void evidence_row(trainer *t, qy_evctx *e, size_t ci, xs_docid d, int y,
                         unsigned group, int judged)
{
    xs_err err = {0};
    double x[QY_EVIDENCE_NFEAT];
    if (qy_evidence_features(e, ci, d, x, &err))
        die("features", err.msg);
    rows_push(&t->evr, x, y, group, 1, judged);
}

static void sim_sent(sim *sm, simsent s)
{
    if (sm->ns == sm->caps)
        sm->s = xrealloc(sm->s, (sm->caps = sm->caps ? 2 * sm->caps : 512) *
                                    sizeof *sm->s);
    sm->s[sm->ns++] = s;
}

static void sim_pair(sim *sm, simpair p)
{
    if (sm->np == sm->capp)
        sm->p = xrealloc(sm->p, (sm->capp = sm->capp ? 2 * sm->capp : 4096) *
                                    sizeof *sm->p);
    sm->p[sm->np++] = p;
}

/* The labelled pairs of sentence js (direct or not), as docids. */
static size_t labelled(const trainer *t, const jsent *js, xs_docid *out,
                       int *direct, size_t max)
{
    size_t n = 0;
    for (size_t i = 0; i < t->lab.np && n < max; i++) {
        const jpair *p = &t->lab.p[i];
        if (p->n != js->n || strcmp(p->section, js->section))
            continue;
        xs_docid d = docid_of(t->snap, p->id);
        if (d) {
            direct[n] = p->direct;
            out[n++] = d;
        }
    }
    return n;
}

/* A judged sentence: its commitment row, and a row for each of
 * evaluate's candidates (the judges' direct ones it cannot reach count as
 * missed); the threshold search simulates evaluate on them. */
static void judged_rows(trainer *t, qy_evctx *e, const jsent *js,
                        const qy_analysis *a, size_t ci, unsigned group)
{
    xs_docid cand[QY_CANDIDATES_MAX], lab[512];
    int dir[512];
    size_t n = qy_candidates(e, ci, cand), nl = labelled(t, js, lab, dir, 512);
    sim_sent(&t->sm, (simsent){group, ci, a->ncommits, js->verdict,
                               a->commits[ci].hits.n > 0, t->cm.n - 1});
    for (size_t k = 0; k < n; k++) {
        int y = 0;
        for (size_t l = 0; l < nl; l++)
            y |= lab[l] == cand[k] && dir[l];
        y = y && js->checkable;
        evidence_row(t, e, ci, cand[k], y, group, 1);
        t->evr.train[t->evr.n - 1] = (char)js->checkable;
        sim_pair(&t->sm, (simpair){t->sm.ns - 1, t->evr.n - 1, cand[k], y});
    }
    for (size_t l = 0; l < nl && js->checkable; l++) {
        int reach = 0;
        for (size_t k = 0; k < n; k++)
            reach |= cand[k] == lab[l];
        t->evr.missed += dir[l] && !reach;
    }
}

/* A training-only sentence: its commitment row (made by the caller) and,
 * when it is checkable or one of its labelled pairs is direct (the pair
 * judges read it so), a row for each of those pairs. */
static void train_rows(trainer *t, qy_evctx *e, const jsent *js, size_t ci,
                       unsigned group)
{
    xs_docid lab[512];
    int dir[512], any = js->checkable;
    size_t nl = labelled(t, js, lab, dir, 512);
    for (size_t l = 0; l < nl; l++)
        any |= dir[l];
    for (size_t l = 0; any && l < nl; l++)
        evidence_row(t, e, ci, lab[l], dir[l], group, 0);
}

static void collect(trainer *t)
{
    qy_params p = qy_params_default();
    xs_err err = {0};
    double *x = xrealloc(NULL, t->cm.nfeat * sizeof *x);
    unsigned group = 0;
    for (size_t i = 0; i < t->lab.ns; group++) {
        const char *sec = t->lab.s[i].section;
        size_t end = i;
        while (end < t->lab.ns && !strcmp(t->lab.s[end].section, sec))
            end++;
        qy_analysis a;
        qy_evctx *e;
        if (qy_analyse(t->snap, &p, sec, &a, &err) ||
            qy_evctx_new(t->snap, &a, t->ev, &e, &err))
            die(sec, err.msg);
        for (; i < end; i++) {
            const jsent *js = &t->lab.s[i];
            size_t ci = find_commit(&a, js->key);
            if (ci == (size_t)-1) {
                fprintf(stderr, "akk-train: %s %u: sentence not found\n", sec,
                        js->n);
                continue;
            }
            memset(x, 0, t->cm.nfeat * sizeof *x);
            qy_commit_features(&a, ci, x);
            set_vocab_words(t, js, x);
            rows_push(&t->cm, x, js->checkable, group, 1, js->judged);
            if (js->judged)
                judged_rows(t, e, js, &a, ci, group);
            else
                train_rows(t, e, js, ci, group);
        }
        qy_evctx_free(e);
        qy_analysis_release(&a);
    }
    free(x);
}

static char **read_lines(const char *path, size_t *n)
{
    FILE *f = fopen(path, "r");
    char line[512], **v = NULL;
    *n = 0;
    if (!f)
        die(path, "cannot open");
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!*line)
            continue;
        v = xrealloc(v, (*n + 1) * sizeof *v);
        if (!(v[*n] = strdup(line)))
            die(path, "out of memory");
        (*n)++;
    }
    fclose(f);
    return v;
}

static void quiet(const char *s)
{
    (void)s;
}

static void trainer_release(trainer *t)
{
    for (size_t i = 0; i < t->nexclude; i++)
        free(t->exclude[i]);
    free(t->exclude);
    for (size_t i = 0; i < t->lab.ns; i++) {
        free(t->lab.s[i].key);
        qy_stems_free(t->lab.s[i].stems, t->lab.s[i].nstems);
    }
    free(t->lab.s);
    free(t->lab.p);
    free(t->vocab);
    rows_release(&t->cm);
    rows_release(&t->evr);
    free(t->sm.s);
    free(t->sm.p);
}

int main(int argc, char **argv)
{
    trainer t = {0};
    int a = 1;
    for (; a < argc && argv[a][0] == '-'; a++) {
        if (!strcmp(argv[a], "-x") && a + 1 < argc)
            t.exclude = read_lines(argv[++a], &t.nexclude);
        else
            break;
    }
    if (argc - a != 3) {
        fprintf(stderr, "usage: akk-train [-x EXCLUDE] INDEX JUDGED_DIR OUT_DIR\n");
        return 2;
    }
    /* studies, not for make model: AKK_TRAIN_ORACLE=1 (perfect evidence
     * probabilities), 2 (and perfect checkability); AKK_TRAIN_GRID=1 */
    t.oracle = getenv("AKK_TRAIN_ORACLE") ? atoi(getenv("AKK_TRAIN_ORACLE")) : 0;
    t.grid = getenv("AKK_TRAIN_GRID") != NULL;
    set_print_string_function(quiet);
    ix_snapshot *s;
    qy_evaluator *ev;
    xs_err err = {0};
    if (ix_snapshot_open(argv[a], &s, &err) || ix_snapshot_tables(s, &err) ||
        qy_evaluator_new(s, &ev, &err))
        die(argv[a], err.msg);
    t.snap = s;
    t.ev = ev;
    load_labels(&t, argv[a + 1]);
    build_vocab(&t);
    t.cm.nfeat = QY_COMMIT_NFEAT + t.nvocab;
    t.evr.nfeat = QY_EVIDENCE_NFEAT;
    collect(&t);
    write_models(&t, argv[a + 2]);
    trainer_release(&t);
    qy_evaluator_free(ev);
    ix_snapshot_close(s);
    return 0;
}
