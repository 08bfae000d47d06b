/*
 * qy_model.c -- fitted linear models as data: a small text file of named
 * weights, read into a liblinear model and applied through liblinear's
 * predict_probability (L2-regularised logistic regression, Fan et al.,
 * "LIBLINEAR", JMLR 9, 2008).
 *
 * Owns: the model file format (below), checking it against the features a
 * caller computes (every feature named exactly once), writing it for
 * `make model`, its SHA-256 (nettle) for reports and manifests.
 * Never: fits anything (bench/akk-train does); decides what a feature is.
 *
 *   | line                      | meaning                                  |
 *   |---------------------------|------------------------------------------|
 *   | # ...                     | comment                                  |
 *   | model NAME                | what it predicts ("evidence", ...)       |
 *   | threshold P               | P(positive) at or above which it says yes|
 *   | strong P                  | a second, stricter threshold (optional;  |
 *   |                           | evidence: what an "uitgevoerd" needs)    |
 *   | margin D                  | optional (default 0; evidence: how far   |
 *   |                           | below its best commitment a decision may |
 *   |                           | still be cited under another)            |
 *   | bias W                    | weight of the constant feature 1         |
 *   | w FEATURE W               | weight of one named feature              |
 *   | w word:STEM W             | weight of "the text has a word of this   |
 *   |                           | stem" (a vocabulary the file brings)     |
 * Fields are separated by one tab; numbers are C doubles ("%.17g").
 */
#include "qy-int.h"

#include <linear.h>
#include <nettle/sha2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct qy_model {
    struct model lm;       /* liblinear's view: w[0..n) named features,
                              w[n..n+nw) word features, w[n+nw] the bias  */
    int labels[2];
    size_t n, nw;
    char **words;          /* the word features' stems, in file order      */
    size_t *sorted;        /* indexes into words, by stem (for lookup)     */
    double threshold, strong, margin, bias;
    char name[32];
    char sha256[65];
};

void qy_model_free(qy_model *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->nw; i++)
        free(m->words[i]);
    free(m->words);
    free(m->sorted);
    free(m->lm.w);
    free(m);
}

#define WORD_PREFIX "word:"

static void hex_sha256(const char *text, size_t len, char out[65])
{
    struct sha256_ctx c;
    uint8_t dg[SHA256_DIGEST_SIZE];
    sha256_init(&c);
    sha256_update(&c, len, (const uint8_t *)text);
    sha256_digest(&c, sizeof dg, dg);
    for (size_t i = 0; i < sizeof dg; i++)
        snprintf(out + 2 * i, 3, "%02x", dg[i]);
}

static void sort_words(qy_model *m)
{
    /* insertion sort: a few hundred words, once per model */
    for (size_t i = 1; i < m->nw; i++)
        for (size_t k = i; k > 0 && strcmp(m->words[m->sorted[k - 1]],
                                           m->words[m->sorted[k]]) > 0; k--) {
            size_t t = m->sorted[k];
            m->sorted[k] = m->sorted[k - 1];
            m->sorted[k - 1] = t;
        }
}

static size_t feature_index(const char *const *names, size_t n,
                            const char *name, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(names[i]) == len && !memcmp(names[i], name, len))
            return i;
    return n;
}

/* One "w NAME VALUE" line into m (seen[] marks the features named). */
static xs_status parse_weight(qy_model *m, const char *origin, unsigned line,
                              const char *rest, const char *const *names,
                              char *seen, xs_err *err)
{
    const char *tab = strchr(rest, '\t');
    size_t i = tab ? feature_index(names, m->n, rest, (size_t)(tab - rest))
                   : m->n;
    int word = 0;
    if (tab && i == m->n && !strncmp(rest, WORD_PREFIX, strlen(WORD_PREFIX))) {
        const char *w = rest + strlen(WORD_PREFIX);
        char *stem = strndup(w, (size_t)(tab - w));
        if (!stem)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        i = m->n + m->nw;
        m->words[m->nw++] = stem;
        word = 1;
    }
    if (i == m->n && !word)
        return xs_err_set(err, XS_INVALID, "%s:%u: unknown feature '%.*s'",
                          origin, line, (int)strcspn(rest, "\t\n"), rest);
    if (!word && seen[i]++)
        return xs_err_set(err, XS_INVALID, "%s:%u: feature '%s' twice",
                          origin, line, names[i]);
    char *end;
    m->lm.w[i] = strtod(tab + 1, &end);
    if (end == tab + 1 || (*end && *end != '\n'))
        return xs_err_set(err, XS_INVALID, "%s:%u: bad weight", origin, line);
    return XS_OK;
}

static xs_status parse_line(qy_model *m, const char *origin, unsigned line,
                            const char *s, const char *const *names,
                            char *seen, xs_err *err)
{
    char *end;
    if (!strncmp(s, "w\t", 2))
        return parse_weight(m, origin, line, s + 2, names, seen, err);
    if (!strncmp(s, "bias\t", 5))
        m->bias = strtod(s + 5, &end);
    else if (!strncmp(s, "threshold\t", 10))
        m->threshold = strtod(s + 10, &end);
    else if (!strncmp(s, "strong\t", 7))
        m->strong = strtod(s + 7, &end);
    else if (!strncmp(s, "margin\t", 7))
        m->margin = strtod(s + 7, &end);
    else if (!strncmp(s, "model\t", 6)) {
        snprintf(m->name, sizeof m->name, "%.*s", (int)strcspn(s + 6, "\n"),
                 s + 6);
        return XS_OK;
    } else
        return xs_err_set(err, XS_INVALID, "%s:%u: unknown line '%.*s'",
                          origin, line, (int)strcspn(s, "\t\n"), s);
    if (*end && *end != '\n')
        return xs_err_set(err, XS_INVALID, "%s:%u: bad number", origin, line);
    return XS_OK;
}

xs_status qy_model_parse(const char *text, const char *origin,
                         const char *const *names, size_t n, qy_model **out,
                         xs_err *err)
{
    *out = NULL;
    size_t words = 0;
    for (const char *p = text; (p = strstr(p, "\nw\t" WORD_PREFIX)); p++)
        words++;
    qy_model *m = calloc(1, sizeof *m);
    char *seen = calloc(n ? n : 1, 1);
    if (m) {
        m->lm.w = calloc(n + words + 1, sizeof *m->lm.w);
        m->words = calloc(words ? words : 1, sizeof *m->words);
        m->sorted = calloc(words ? words : 1, sizeof *m->sorted);
    }
    if (!m || !seen || !m->lm.w || !m->words || !m->sorted) {
        qy_model_free(m);
        free(seen);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    m->n = n;
    m->threshold = 0.5;
    m->strong = -1;
    xs_status st = XS_OK;
    unsigned line = 0;
    for (const char *p = text; !st && *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] != 0)) {
        line++;
        if (*p != '#' && *p != '\n')
            st = parse_line(m, origin, line, p, names, seen, err);
    }
    for (size_t i = 0; !st && i < n; i++)
        if (!seen[i])
            st = xs_err_set(err, XS_INVALID, "%s: no weight for feature '%s'",
                            origin, names[i]);
    free(seen);
    if (st) {
        qy_model_free(m);
        return st;
    }
    if (m->strong < 0)
        m->strong = m->threshold;
    m->lm.w[n + m->nw] = m->bias;
    for (size_t i = 0; i < m->nw; i++)
        m->sorted[i] = i;
    sort_words(m);
    m->labels[0] = 1;      /* w is the decision function of label 1 */
    m->labels[1] = 0;
    m->lm.param.solver_type = L2R_LR;
    m->lm.nr_class = 2;
    m->lm.nr_feature = (int)(n + m->nw);
    m->lm.label = m->labels;
    m->lm.bias = 1;
    hex_sha256(text, strlen(text), m->sha256);
    *out = m;
    return XS_OK;
}

double qy_model_prob(const qy_model *m, const double *x)
{
    size_t all = m->n + m->nw, k = 0;
    struct feature_node small[QY_MODEL_MAX + 2], *nodes = small;
    if (all > QY_MODEL_MAX && !(nodes = malloc((all + 2) * sizeof *nodes)))
        return -1;
    for (size_t i = 0; i < all; i++)
        if (x[i] != 0)
            nodes[k++] = (struct feature_node){(int)i + 1, x[i]};
    nodes[k++] = (struct feature_node){(int)all + 1, 1.0};   /* bias */
    nodes[k] = (struct feature_node){-1, 0};
    double p[2];
    predict_probability(&m->lm, nodes, p);
    if (nodes != small)
        free(nodes);
    return p[0];
}

size_t qy_model_nfeat(const qy_model *m)
{
    return m->n + m->nw;
}

void qy_model_set_words(const qy_model *m, const char *const *stems, size_t n,
                        double *x)
{
    for (size_t i = 0; i < n; i++) {
        size_t lo = 0, hi = m->nw;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            int c = strcmp(m->words[m->sorted[mid]], stems[i]);
            if (!c) {
                x[m->n + m->sorted[mid]] = 1;
                break;
            }
            if (c < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
    }
}

double qy_model_threshold(const qy_model *m)
{
    return m->threshold;
}

double qy_model_strong(const qy_model *m)
{
    return m->strong;
}

double qy_model_margin(const qy_model *m)
{
    return m->margin;
}

const char *qy_model_sha256(const qy_model *m)
{
    return m->sha256;
}

int qy_model_write(FILE *f, const char *name, const char *comment,
                   const char *const *names, size_t n, const double *w,
                   double bias, double threshold, double strong,
                   double margin)
{
    fprintf(f, "# %s\nmodel\t%s\nthreshold\t%.17g\nstrong\t%.17g\n"
            "margin\t%.17g\nbias\t%.17g\n", comment, name, threshold, strong,
            margin, bias);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "w\t%s\t%.17g\n", names[i], w[i]);
    return ferror(f) ? -1 : 0;
}
