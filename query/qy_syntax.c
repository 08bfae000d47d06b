/*
 * qy_syntax.c -- what is wrong with a user query, in plain words.
 *
 * Owns: the checks the query parser does not make (an unknown field, a
 * field without a value, year:abc, a date range that runs backwards) and
 * the wording of the parser's own complaints.
 * Never: parses the query for searching (the shim's QueryParser does).
 */
#include "qy.h"
#include "qy-int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Is name[0..n) one of the parser's fields? */
static int known_field(const char *name, size_t n)
{
    const xs_parser_conf *c = ix_parser_conf();
    for (size_t i = 0; i < 8 && c->free_prefixes[i][0]; i++)
        if (strlen(c->free_prefixes[i][0]) == n &&
            !strncmp(c->free_prefixes[i][0], name, n))
            return 1;
    for (size_t i = 0; i < 8 && c->bool_prefixes[i][0]; i++)
        if (strlen(c->bool_prefixes[i][0]) == n &&
            !strncmp(c->bool_prefixes[i][0], name, n))
            return 1;
    return 0;
}

static xs_status check_field(const char *t, size_t n, const char *q,
                             xs_err *err)
{
    size_t name = 0;
    while (name < n && islower((unsigned char)t[name]))
        name++;
    if (!name || name >= n || t[name] != ':' || !strncmp(t + name, "://", 3))
        return XS_OK;
    const char *v = t + name + 1;
    size_t vn = n - name - 1;
    if (!known_field(t, name))
        return xs_err_set(err, XS_BAD_QUERY,
                          "unknown field '%.*s:' in query '%s' (fields: "
                          "title, kind, year, id)", (int)name, t, q);
    if (!vn)
        return xs_err_set(err, XS_BAD_QUERY,
                          "field '%.*s:' in query '%s' has no value",
                          (int)name, t, q);
    if (name == 4 && !strncmp(t, "year", 4) &&
        (vn != 4 || strspn(v, "0123456789") < 4))
        return xs_err_set(err, XS_BAD_QUERY,
                          "'%.*s' in query '%s' is not a year (want "
                          "year:YYYY)", (int)n, t, q);
    return XS_OK;
}

/* A..B where A and B are dates and A > B. */
static xs_status check_range(const char *t, size_t n, const char *q,
                             xs_err *err)
{
    if (n != 22 || t[10] != '.' || t[11] != '.')
        return XS_OK;
    if (memcmp(t, t + 12, 10) > 0)
        return xs_err_set(err, XS_BAD_QUERY,
                          "date range '%.22s' in query '%s' runs backwards",
                          t, q);
    return XS_OK;
}

xs_status qy_check_fields(const char *q, xs_err *err)
{
    int quoted = 0;
    for (const char *p = q; *p;) {
        if (*p == '"') {
            quoted = !quoted;
            p++;
            continue;
        }
        if (isspace((unsigned char)*p) || *p == '(' || *p == '+' ||
            *p == '-') {
            p++;
            continue;
        }
        size_t n = strcspn(p, " \t\n\")");
        if (!quoted && (check_field(p, n, q, err) || check_range(p, n, q, err)))
            return XS_BAD_QUERY;
        p += n ? n : 1;
    }
    return XS_OK;
}

const char *qy_plain_parse_error(const char *why)
{
    if (why && strstr(why, "Syntax: <expression>"))
        return "AND, OR, NOT and XOR need a word on each side (to search "
               "for the word itself, write it in lower case)";
    if (why && strstr(why, "Wildcard"))
        return "a word with '*' matches too many words: make it longer";
    return "syntax error (check the quotes, brackets and operators)";
}

char *qy_exact_rewrite(const char *q)
{
    size_t n = 0;
    for (const char *p = q; *p; p++)
        n += *p == '=' ? 6 : 1;
    char *out = malloc(n + 1), *o = out;
    if (!out)
        return NULL;
    int quoted = 0;
    for (const char *p = q; *p; p++) {
        int start = p == q || isspace((unsigned char)p[-1]) ||
                    strchr("(+-", p[-1]);
        if (*p == '"')
            quoted = !quoted;
        if (*p == '=' && start && !quoted && p[1] && !isspace((unsigned char)p[1])) {
            memcpy(o, "exact:", 6);
            o += 6;
        } else {
            *o++ = *p;
        }
    }
    *o = '\0';
    return out;
}
