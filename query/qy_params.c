/*
 * qy_params.c -- the ranking and evaluation parameters: defaults, and
 * overrides from $AKKOORD_PARAMS for experiments.
 *
 * Owns: one table of every parameter (name, type, field, range); parsing
 * "name=value,name=value" against it, naming a bad name or value.
 * Never: accepts a value outside its range, NaN or infinity, a fraction for
 * a count, or silently ignores any part of the string.
 */
#include "qy-int.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

qy_params qy_params_default(void)
{
    return (qy_params){
        .max_df = 0.10, .max_sf = 0.20, .min_terms = 3, .k1 = 3.0, .b = 1.0, .k3 = 3.0,
        .depth = 300, .commit_depth = 100,
        .rrf_k = 20, .w_section = 1.0, .w_commit = 0.5, .fb_docs = 20,
        .fb_terms = 100, .fb_weight = 0.2, .split_weight = 0.5,
        .w_heading = 1.0, .w_dossier = 0.9, .dossier_depth = 100,
        .repair = 1, .fuse = 1};
}

typedef enum { P_REAL, P_COUNT, P_FLAG } param_kind;

typedef struct param_def {
    const char *name;
    param_kind kind;
    size_t off;              /* offsetof(qy_params, field)               */
    double min, max;         /* inclusive                                */
} param_def;

#define R(f, lo, hi) {#f, P_REAL, offsetof(qy_params, f), lo, hi}
#define N(f, lo, hi) {#f, P_COUNT, offsetof(qy_params, f), lo, hi}
#define F(f) {#f, P_FLAG, offsetof(qy_params, f), 0, 1}
static const param_def params[] = {
    R(max_df, 0, 1), R(max_sf, 0, 1), N(min_terms, 0, 100),
    R(k1, 0, 100), R(b, 0, 1), R(k3, 0, 1000),
    N(depth, 1, 100000), N(commit_depth, 1, 100000), R(rrf_k, 0, 1e6),
    R(w_section, 0, 100), R(w_commit, 0, 100),
    N(fb_docs, 0, 1000), N(fb_terms, 0, 10000), R(fb_weight, 0, 100),
    R(split_weight, 0, 1), R(w_heading, 0, 100), R(w_title, 0, 100),
    F(fb_commit), R(w_dossier, 0, 10), N(dossier_depth, 0, 100000),
    F(repair), F(fuse),
};
#undef R
#undef N
#undef F

static const param_def *param_named(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof params / sizeof *params; i++)
        if (strlen(params[i].name) == len &&
            !strncmp(params[i].name, name, len))
            return &params[i];
    return NULL;
}

/* Set d's field of p from text[0..len); 0, or -1 with why in msg. */
static int param_set(qy_params *p, const param_def *d, const char *text,
                     size_t len, char *msg, size_t size)
{
    char buf[64], *end;
    double v = 0;
    int ok = len > 0 && len < sizeof buf;
    if (ok) {
        memcpy(buf, text, len);
        buf[len] = '\0';
        v = strtod(buf, &end);
        ok = *end == '\0' && isfinite(v) && v >= d->min && v <= d->max &&
             (d->kind == P_REAL || v == floor(v));
    }
    if (!ok) {
        snprintf(msg, size, "%s=%.*s: %s must be %s from %g to %g", d->name,
                 (int)len, text, d->name,
                 d->kind == P_REAL ? "a number" : "a whole number", d->min,
                 d->max);
        return -1;
    }
    char *field = (char *)p + d->off;
    if (d->kind == P_REAL)
        *(double *)field = v;
    else if (d->kind == P_COUNT)
        *(unsigned *)field = (unsigned)v;
    else
        *(int *)field = (int)v;
    return 0;
}

int qy_params_parse(qy_params *p, const char *text, char *msg, size_t size)
{
    const char *s = text;
    while (s && *s) {
        size_t item = strcspn(s, ",");
        const char *eq = memchr(s, '=', item);
        const param_def *d = eq ? param_named(s, (size_t)(eq - s)) : NULL;
        if (!d) {
            int n = snprintf(msg, size, "'%.*s': %s", (int)item, s,
                             eq ? "no such parameter; known:"
                                : "not name=value");
            for (size_t i = 0; eq && i < sizeof params / sizeof *params &&
                               n > 0 && (size_t)n < size; i++)
                n += snprintf(msg + n, size - (size_t)n, " %s",
                              params[i].name);
            return -1;
        }
        if (param_set(p, d, eq + 1, item - (size_t)(eq + 1 - s), msg, size))
            return -1;
        s += item;
        if (*s == ',' && !*++s) {
            snprintf(msg, size, "a ',' ends it");
            return -1;
        }
    }
    return 0;
}

int qy_params_env(qy_params *p, char *msg, size_t size)
{
    return qy_params_parse(p, getenv("AKKOORD_PARAMS"), msg, size);
}

