/*
 * qy_stage.c -- the stage a decision itself takes, read from its operative
 * sentences by the rules of query/stages.tsv (built into the binary).
 *
 * Owns: parsing the rule table (errors name the line), word patterns
 * ("keurt .. principieel goed": literal words, "word*" prefixes, "*word*"
 * infixes, "a|b" alternatives, ".." gaps of up to 30 words and "~" of up
 * to 3) matched on folded words, the stage ladder, and whether a decision
 * is about a decree.
 * Never: reads a stage from a bare stage word: rules name the verb that
 * takes the act, in the present tense (a decision that announces a later
 * bekrachtiging has not been ratified).
 */
#include "qy-int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GAP_LONG 30         /* words a ".." may skip                     */
#define GAP_SHORT 3         /* words a "~" may skip                      */

/* The stage table (query/stages.tsv), embedded by tools/embed. */
extern const char qy_stages[];
extern const char qy_stages_sha256[];

typedef struct rule {
    qy_stage stage;
    unsigned line;          /* in the table, for messages and tests       */
    char **words;           /* pattern words ("..", "a|b", "pre*")        */
    size_t nwords;
    char *example;          /* the rule's test sentence                   */
} rule;

/* An alternative of some rules' first pattern word, and those rules (bit
 * i: rule i): an index that finds in one pass over a text where each rule
 * can start. */
typedef struct first_alt {
    char *alt;              /* "keurt", or a pattern "*besluit*"          */
    uint64_t rules;
} first_alt;

#define INDEXED_RULES_MAX 64

struct qy_stager {
    rule *rules;
    size_t n;
    first_alt *lit, *pat;   /* literal alternatives, sorted; patterns     */
    size_t nlit, npat;
    int indexed;            /* n <= INDEXED_RULES_MAX: lit and pat hold
                               every first word                           */
};

static const struct { const char *key, *name; } stage_names[] = {
    [QY_STAGE_UNKNOWN] = {"unknown", "stadium onbekend"},
    [QY_STAGE_REFUSED] = {"refused", "geweigerd"},
    [QY_STAGE_NOTED] = {"noted", "kennisname"},
    [QY_STAGE_ADVICE] = {"advice", "advies"},
    [QY_STAGE_DRAFT] = {"draft", "principiële goedkeuring"},
    [QY_STAGE_APPROVED] = {"approved", "goedgekeurd"},
    [QY_STAGE_FINAL] = {"final", "definitieve goedkeuring"},
    [QY_STAGE_ENACTED] = {"enacted", "bekrachtigd"},
};

const char *qy_stage_key(qy_stage st)
{
    return stage_names[st].key;
}

const char *qy_stage_name(qy_stage st)
{
    return stage_names[st].name;
}

int qy_stage_parse(const char *name, qy_stage *out)
{
    for (size_t i = 0; i < sizeof stage_names / sizeof *stage_names; i++)
        if (!strcmp(name, stage_names[i].key) ||
            !strcmp(name, stage_names[i].name)) {
            *out = (qy_stage)i;
            return 0;
        }
    return -1;
}

const char *qy_stage_table_sha256(void)
{
    return qy_stages_sha256;
}

/* ------------------------------------------------------------ words */

static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* Split folded text into words (pointers into a copy owned by *buf). */
static int split_words(char *s, char ***out, size_t *n)
{
    size_t cap = 16;
    char **v = malloc(cap * sizeof *v);
    *n = 0;
    if (!v)
        return -1;
    for (char *p = s; *p;) {
        while (*p && !word_byte((unsigned char)*p) && !(*p == '.' && p[1] == '.') &&
               *p != '|' && *p != '*' && *p != '~')
            p++;
        if (!*p)
            break;
        char *w = p;
        if (*p == '.') {
            p += 2;
        } else if (*p == '~') {
            p++;
        } else {
            while (word_byte((unsigned char)*p) || *p == '|' || *p == '*')
                p++;
        }
        if (*n == cap) {
            char **nv = realloc(v, 2 * cap * sizeof *v);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
            cap *= 2;
        }
        v[(*n)++] = w;
        if (*p)
            *p++ = '\0';
    }
    *out = v;
    return 0;
}

/* Does text word w match one alternative p[0..l): "word", "pre*",
 * "*infix*"? */
static int alt_match(const char *p, size_t l, const char *w)
{
    size_t wl = strlen(w);
    if (l >= 2 && p[0] == '*' && p[l - 1] == '*') {
        for (const char *at = w; (at = strchr(at, p[1])); at++)
            if ((size_t)(w + wl - at) >= l - 2 && !strncmp(at, p + 1, l - 2))
                return 1;
        return 0;
    }
    if (l && p[l - 1] == '*')
        return wl >= l - 1 && !strncmp(p, w, l - 1);
    return l == wl && !strncmp(p, w, l);
}

/* Does text word w match pattern word p ("a|b*|*c*")? */
static int word_match(const char *p, const char *w)
{
    while (*p) {
        size_t l = strcspn(p, "|");
        if (alt_match(p, l, w))
            return 1;
        p += l + (p[l] == '|');
    }
    return 0;
}

/* Does pattern pw[0..np) match text words tw starting at tw[0]? */
static int match_at(char **pw, size_t np, char **tw, size_t nt)
{
    if (!np)
        return 1;
    if (!strcmp(pw[0], "..") || !strcmp(pw[0], "~")) {
        size_t gap = pw[0][0] == '~' ? GAP_SHORT : GAP_LONG;
        for (size_t skip = 0; skip <= gap && skip <= nt; skip++)
            if (match_at(pw + 1, np - 1, tw + skip, nt - skip))
                return 1;
        return 0;
    }
    return nt && word_match(pw[0], tw[0]) &&
           match_at(pw + 1, np - 1, tw + 1, nt - 1);
}

static int pattern_in(const rule *r, char **tw, size_t nt)
{
    for (size_t i = 0; i < nt; i++)
        if (match_at(r->words, r->nwords, tw + i, nt - i))
            return 1;
    return 0;
}

/* ------------------------------------------------------------ table */

static void rule_release(rule *r)
{
    if (r->nwords)
        free(r->words[0]);
    free(r->words);
    free(r->example);
}

void qy_stager_free(qy_stager *st)
{
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++)
        rule_release(&st->rules[i]);
    for (size_t i = 0; i < st->nlit; i++)
        free(st->lit[i].alt);
    for (size_t i = 0; i < st->npat; i++)
        free(st->pat[i].alt);
    free(st->lit);
    free(st->pat);
    free(st->rules);
    free(st);
}

/* Add alternative a[0..l) of rule r's first word to *v (merging a literal
 * already there); -1 when out of memory. */
static int alt_add(first_alt **v, size_t *n, const char *a, size_t l,
                   size_t r)
{
    for (size_t i = 0; i < *n; i++)
        if (strlen((*v)[i].alt) == l && !strncmp((*v)[i].alt, a, l)) {
            (*v)[i].rules |= UINT64_C(1) << r;
            return 0;
        }
    first_alt *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    if (!(nv[*n].alt = strndup(a, l)))
        return -1;
    nv[(*n)++].rules = UINT64_C(1) << r;
    return 0;
}

static int alt_cmp(const void *a, const void *b)
{
    return strcmp(((const first_alt *)a)->alt, ((const first_alt *)b)->alt);
}

/* The first-word index of st's rules (left off past INDEXED_RULES_MAX
 * rules: every rule is then tried at every word); -1 when out of memory. */
static int index_rules(qy_stager *st)
{
    if (st->n > INDEXED_RULES_MAX)
        return 0;
    for (size_t r = 0; r < st->n; r++)
        for (const char *p = st->rules[r].words[0]; *p;) {
            size_t l = strcspn(p, "|");
            int wild = memchr(p, '*', l) != NULL;
            if (alt_add(wild ? &st->pat : &st->lit, wild ? &st->npat : &st->nlit,
                        p, l, r))
                return -1;
            p += l + (p[l] == '|');
        }
    qsort(st->lit, st->nlit, sizeof *st->lit, alt_cmp);
    st->indexed = 1;
    return 0;
}

/* The rules that can start at text word w. */
static uint64_t rules_at(const qy_stager *st, const char *w)
{
    first_alt key = {(char *)w, 0};
    const first_alt *hit = bsearch(&key, st->lit, st->nlit, sizeof *st->lit,
                                   alt_cmp);
    uint64_t m = hit ? hit->rules : 0;
    for (size_t i = 0; i < st->npat; i++)
        if (alt_match(st->pat[i].alt, strlen(st->pat[i].alt), w))
            m |= st->pat[i].rules;
    return m;
}

/* Parse "stage<TAB>pattern<TAB>example" into r. */
static xs_status parse_rule(const char *line, size_t len, unsigned lineno,
                            rule *r, xs_err *err)
{
    memset(r, 0, sizeof *r);
    r->line = lineno;
    const char *t1 = memchr(line, '\t', len);
    const char *t2 = t1 ? memchr(t1 + 1, '\t', len - (size_t)(t1 + 1 - line)) : NULL;
    if (!t2)
        return xs_err_set(err, XS_INVALID, "stages.tsv:%u: want 'stage<TAB>"
                          "pattern<TAB>example'", lineno);
    char key[32];
    snprintf(key, sizeof key, "%.*s", (int)(t1 - line), line);
    if (qy_stage_parse(key, &r->stage) || r->stage == QY_STAGE_UNKNOWN)
        return xs_err_set(err, XS_INVALID, "stages.tsv:%u: unknown stage '%s'",
                          lineno, key);
    char *pat = strndup(t1 + 1, (size_t)(t2 - t1 - 1));
    r->example = strndup(t2 + 1, len - (size_t)(t2 + 1 - line));
    if (!pat || !r->example || split_words(pat, &r->words, &r->nwords)) {
        free(pat);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    if (!r->nwords || !strcmp(r->words[0], "..") || !strcmp(r->words[0], "~")) {
        free(pat);
        free(r->words);
        r->words = NULL;
        r->nwords = 0;
        return xs_err_set(err, XS_INVALID, "stages.tsv:%u: empty pattern or "
                          "pattern starting with a gap", lineno);
    }
    return XS_OK;
}

xs_status qy_stager_new(const char *table, qy_stager **out, xs_err *err)
{
    *out = NULL;
    qy_stager *st = calloc(1, sizeof *st);
    if (!st)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    if (!table)
        table = qy_stages;
    xs_status rc = XS_OK;
    unsigned lineno = 0;
    for (const char *p = table; !rc && *p;) {
        size_t len = strcspn(p, "\n");
        lineno++;
        if (len && *p != '#') {
            rule *v = realloc(st->rules, (st->n + 1) * sizeof *v);
            if (!v)
                rc = xs_err_set(err, XS_NOMEM, "out of memory");
            else {
                st->rules = v;
                rc = parse_rule(p, len, lineno, &v[st->n], err);
                if (rc)
                    rule_release(&v[st->n]);
                else
                    st->n++;
            }
        }
        p += len + (p[len] == '\n');
    }
    if (!rc && index_rules(st))
        rc = xs_err_set(err, XS_NOMEM, "out of memory");
    if (rc) {
        qy_stager_free(st);
        return rc;
    }
    *out = st;
    return XS_OK;
}

size_t qy_stager_rules(const qy_stager *st)
{
    return st->n;
}

const char *qy_stager_example(const qy_stager *st, size_t i, qy_stage *stage,
                              unsigned *line)
{
    *stage = st->rules[i].stage;
    *line = st->rules[i].line;
    return st->rules[i].example;
}

/* ------------------------------------------------------------ reading */

/* The first rule (in table order) that matches words w[0..n), or -1. */
static long first_rule(const qy_stager *st, char **w, size_t n)
{
    for (size_t r = 0; r < st->n; r++)
        if (pattern_in(&st->rules[r], w, n))
            return (long)r;
    return -1;
}

/* first_rule through the index: each rule tried only where its first
 * word is (-2 when out of memory). */
static long first_rule_indexed(const qy_stager *st, char **w, size_t n)
{
    uint64_t *at = malloc((n ? n : 1) * sizeof *at), seen = 0;
    if (!at)
        return -2;
    for (size_t i = 0; i < n; i++)
        seen |= at[i] = rules_at(st, w[i]);
    long found = -1;
    for (size_t r = 0; found < 0 && r < st->n; r++) {
        const rule *ru = &st->rules[r];
        uint64_t bit = UINT64_C(1) << r;
        for (size_t i = 0; (seen & bit) && found < 0 && i < n; i++)
            if ((at[i] & bit) &&
                match_at(ru->words + 1, ru->nwords - 1, w + i + 1, n - i - 1))
                found = (long)r;
    }
    free(at);
    return found;
}

qy_stage qy_stager_text(const qy_stager *st, const char *s, size_t len,
                        unsigned *line)
{
    *line = 0;
    char *folded = xs_fold(s, len);
    char **w = NULL;
    size_t n = 0;
    qy_stage stage = QY_STAGE_UNKNOWN;
    if (!folded || split_words(folded, &w, &n)) {
        free(folded);
        *line = QY_LINE_NOMEM;
        return stage;
    }
    long r = st->indexed ? first_rule_indexed(st, w, n) : first_rule(st, w, n);
    if (r == -2)
        *line = QY_LINE_NOMEM;
    else if (r >= 0) {
        stage = st->rules[r].stage;
        *line = st->rules[r].line;
    }
    free(w);
    free(folded);
    return stage;
}

int qy_stager_detect(const qy_stager *st, const qy_decision *d,
                     qy_stage *out)
{
    unsigned line;
    size_t lt = strlen(d->title), lx = strlen(d->text);
    char *both = malloc(lt + lx + 2);
    if (!both)
        return -1;
    memcpy(both, d->title, lt);
    both[lt] = ' ';
    memcpy(both + lt + 1, d->text, lx + 1);
    qy_stage s = qy_stager_text(st, both, lt + lx + 1, &line);
    free(both);
    if (line == QY_LINE_NOMEM)
        return -1;
    if (s == QY_STAGE_UNKNOWN && !strcmp(d->kind, "mededeling"))
        s = QY_STAGE_NOTED;
    *out = s;
    return 0;
}

int qy_is_decree(const qy_decision *d)
{
    char *t = xs_fold(d->title, strlen(d->title));
    if (!t)
        return -1;
    int yes = (strstr(t, "decreet") || strstr(t, "ontwerpdecreet")) &&
              !strstr(t, "besluit");
    free(t);
    return yes;
}
