/*
 * qy_fix.c -- editorial corrections: a TSV file of verdicts an editor
 * changed, read once and laid over every report that evaluate, site and
 * serve make.
 *
 * Owns: the corrections format (one line per correction: section,
 * commitment, verdict, note, who, date; '#' comments and a header line
 * allowed), its checks with file:line messages, its SHA-256, matching a
 * correction to the one sentence of its section whose text starts with
 * the commitment column (spaces folded), and setting the item's verdict
 * while keeping the machine's.
 * Never: changes what evaluate computed besides the verdict; applies a
 * correction that matches no sentence or more than one (the caller
 * reports those: a correction is never silently dropped).
 */
#include "qy-int.h"

#include <ctype.h>
#include <errno.h>
#include <nettle/sha2.h>
#include <stdlib.h>
#include <string.h>

#define FIX_FIELDS 6
#define FIX_MIN_PREFIX 12    /* bytes of a commitment's text, at least */
#define FIX_MAX_BYTES (8u << 20)

static const char fix_header[] = "section\tcommitment\tverdict\tnote\twho\tdate";

static int verdict_parse(const char *s, qy_verdict *out)
{
    for (int v = 0; v < QY_NVERDICTS; v++)
        if (!strcmp(s, qy_verdict_name((qy_verdict)v))) {
            *out = (qy_verdict)v;
            return 0;
        }
    return -1;
}

static int date_ok(const char *s)
{
    int y, m, d;
    char end;
    return strlen(s) == 10 && s[4] == '-' && s[7] == '-' &&
           sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &end) == 3 && y >= 1990 &&
           m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Is s[0..n) valid UTF-8 without control characters? */
static int text_ok(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *e = p + n;
    while (p < e) {
        unsigned c = *p, len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2
                              : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!len || (c < 0x80 && (c < 0x20 || c == 0x7F)) ||
            (size_t)(e - p) < len || (len == 2 && c < 0xC2))
            return 0;
        for (unsigned k = 1; k < len; k++)
            if ((p[k] & 0xC0) != 0x80)
                return 0;
        p += len;
    }
    return 1;
}

static void fix_release(qy_fix *x)
{
    for (int k = 0; k < FIX_FIELDS; k++)
        free(x->field[k]);
}

/* Split line (tabs) into x's fields; an error message names the line. */
static xs_status fix_parse(char *line, qy_fix *x, const char *path,
                           unsigned ln, xs_err *err)
{
    static const char *const names[FIX_FIELDS] = {
        "section", "commitment", "verdict", "note", "who", "date"};
    char *f[FIX_FIELDS];
    int n = 0;
    for (char *p = line;; n++) {
        char *tab = strchr(p, '\t');
        if (n < FIX_FIELDS)
            f[n] = p;
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    n++;
    if (n != FIX_FIELDS)
        return xs_err_set(err, XS_INVALID, "%s:%u: %d fields, want %d "
                          "(section, commitment, verdict, note, who, date, "
                          "tab-separated)", path, ln, n, FIX_FIELDS);
    for (int k = 0; k < FIX_FIELDS; k++) {
        if (!*f[k])
            return xs_err_set(err, XS_INVALID, "%s:%u: empty %s", path, ln,
                              names[k]);
        if (!text_ok(f[k], strlen(f[k])))
            return xs_err_set(err, XS_INVALID, "%s:%u: the %s is not UTF-8 "
                              "text", path, ln, names[k]);
    }
    if (verdict_parse(f[2], &x->verdict))
        return xs_err_set(err, XS_INVALID, "%s:%u: unknown verdict '%s' "
                          "(one of: uitgevoerd, in uitvoering, geen beslissing "
                          "gevonden, niet toetsbaar)", path, ln, f[2]);
    if (!date_ok(f[5]))
        return xs_err_set(err, XS_INVALID, "%s:%u: date '%s' is not "
                          "YYYY-MM-DD", path, ln, f[5]);
    if (strlen(f[1]) < FIX_MIN_PREFIX)
        return xs_err_set(err, XS_INVALID, "%s:%u: commitment '%s' is too "
                          "short to name one sentence (%d bytes at least)",
                          path, ln, f[1], FIX_MIN_PREFIX);
    for (int k = 0; k < FIX_FIELDS; k++)
        if (!(x->field[k] = strdup(f[k]))) {
            fix_release(x);
            return xs_err_set(err, XS_NOMEM, "out of memory");
        }
    x->line = ln;
    return XS_OK;
}

static xs_status fix_read(const char *path, char **text, size_t *len,
                          xs_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return xs_err_set(err, errno == ENOENT ? XS_NOT_FOUND : XS_IO,
                          "%s: %s", path, strerror(errno));
    char *buf = malloc(FIX_MAX_BYTES + 1);
    size_t n = buf ? fread(buf, 1, FIX_MAX_BYTES + 1, f) : 0;
    int bad = ferror(f);
    fclose(f);
    if (!buf)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    if (bad || n > FIX_MAX_BYTES) {
        free(buf);
        return xs_err_set(err, bad ? XS_IO : XS_INVALID, bad ? "%s: cannot "
                          "read" : "%s: larger than 8 MiB", path);
    }
    buf[n] = '\0';
    if (memchr(buf, '\0', n)) {
        free(buf);
        return xs_err_set(err, XS_INVALID, "%s: holds a NUL byte: not a "
                          "text file", path);
    }
    *text = buf;
    *len = n;
    return XS_OK;
}

static void fix_sha256(const char *text, size_t len, char out[65])
{
    struct sha256_ctx c;
    uint8_t d[SHA256_DIGEST_SIZE];
    sha256_init(&c);
    sha256_update(&c, len, (const uint8_t *)text);
    sha256_digest(&c, sizeof d, d);
    for (size_t i = 0; i < sizeof d; i++)
        snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static xs_status fix_lines(qy_fixes *fx, char *text, xs_err *err)
{
    unsigned ln = 0;
    for (char *line = text, *next; line && *line; line = next) {
        ln++;
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        size_t n = strlen(line);
        if (n && line[n - 1] == '\r')
            line[--n] = '\0';
        if (!n || *line == '#' || (ln == 1 && !strcmp(line, fix_header)))
            continue;
        qy_fix *v = realloc(fx->v, (fx->n + 1) * sizeof *v);
        if (!v)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        fx->v = v;
        memset(&v[fx->n], 0, sizeof *v);
        xs_status st = fix_parse(line, &v[fx->n], fx->path, ln, err);
        if (st)
            return st;
        for (size_t k = 0; k < fx->n; k++)
            if (!strcmp(v[k].field[QY_FIX_SECTION], v[fx->n].field[0]) &&
                !strcmp(v[k].field[QY_FIX_COMMITMENT], v[fx->n].field[1])) {
                xs_err_set(err, XS_INVALID, "%s:%u: corrects the same "
                           "commitment as line %u", fx->path, ln, v[k].line);
                fix_release(&v[fx->n]);
                return XS_INVALID;
            }
        fx->n++;
    }
    return XS_OK;
}

xs_status qy_fixes_load(const char *path, qy_fixes **out, xs_err *err)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    xs_status st = fix_read(path, &text, &len, err);
    if (st)
        return st;
    qy_fixes *fx = calloc(1, sizeof *fx);
    if (!fx || !(fx->path = strdup(path))) {
        free(fx);
        free(text);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    fix_sha256(text, len, fx->sha256);
    st = fix_lines(fx, text, err);
    free(text);
    if (st) {
        qy_fixes_free(fx);
        return st;
    }
    *out = fx;
    return XS_OK;
}

void qy_fixes_free(qy_fixes *fx)
{
    if (!fx)
        return;
    for (size_t i = 0; i < fx->n; i++)
        fix_release(&fx->v[i]);
    free(fx->v);
    free(fx->path);
    free(fx);
}

/* Does text start with prefix, runs of white space equal to one space
 * (and leading ones ignored)? */
static int starts_folded(const char *text, const char *prefix)
{
    while (isspace((unsigned char)*text))
        text++;
    while (isspace((unsigned char)*prefix))
        prefix++;
    while (*prefix) {
        if (isspace((unsigned char)*prefix)) {
            if (!isspace((unsigned char)*text))
                return 0;
            while (isspace((unsigned char)*prefix))
                prefix++;
            while (isspace((unsigned char)*text))
                text++;
            continue;
        }
        if (*text++ != *prefix++)
            return 0;
    }
    return 1;
}

void qy_fixes_apply(const qy_fixes *fx, qy_report *r, unsigned char *mark)
{
    if (!fx)
        return;
    r->fixes = fx;
    for (size_t k = 0; k < fx->n; k++) {
        const qy_fix *x = &fx->v[k];
        if (strcmp(x->field[QY_FIX_SECTION], r->a.sec.id))
            continue;
        size_t hit = r->nitems, hits = 0;
        for (size_t i = 0; i < r->nitems; i++)
            if (starts_folded(r->items[i].text, x->field[QY_FIX_COMMITMENT])) {
                hit = i;
                hits++;
            }
        mark[k] = hits == 1 ? QY_FIX_APPLIED : hits ? QY_FIX_AMBIGUOUS
                                                     : QY_FIX_STALE;
        if (hits != 1)
            continue;
        qy_item *it = &r->items[hit];
        it->fix = x;
        it->verdict = x->verdict;
    }
}

const char *qy_fix_problem(unsigned char mark)
{
    return mark == QY_FIX_APPLIED ? NULL
           : mark == QY_FIX_AMBIGUOUS ? "its commitment starts more than one "
                                        "sentence of the section"
           : mark == QY_FIX_STALE ? "the section has no sentence starting "
                                    "with its commitment"
                                  : "no such section in the snapshot";
}
