/*
 * ix_layout.c -- the index layout in code: every field's term prefix and
 * value slot, and the one constructor of the terms made from them.
 *
 * Owns: the table below (the code form of the tables in ix.h; the two
 * must agree), ix_term and its length check, the exact term of a word,
 * and the query-parser configuration generated from the table.
 * Never: touches a database; knows which record field feeds which row
 * (ix_doc.c does).  After notmuch's lib/prefix.cc.
 *
 *   | field   | prefix | kind      | lower | databases | slot             |
 *   |---------|--------|-----------|-------|-----------|------------------|
 *   | text    | ""     | free text |  n/a  | both      |                  |
 *   | title   | S      | free text |  n/a  | both      |                  |
 *   | id      | Q      | boolean   |  no   | both      | IX_SLOT_ID (1)   |
 *   | kind    | K      | boolean   |  yes  | decisions | IX_SLOT_KIND (4) |
 *   | year    | Y      | boolean   |  no   | decisions | IX_SLOT_YEAR (3) |
 *   | chapter | C      | boolean   |  yes  | sections  |                  |
 *   | dossier | D      | boolean   |  no   | decisions | IX_SLOT_DOSSIER (2) |
 *   | date    | (none) | slot only |  no   | decisions | IX_SLOT_DATE (0) |
 *   | minister| M      | bool list |  fold | decisions | IX_SLOT_MINISTER (5) |
 *   | theme   | T      | bool list |  yes  | decisions | IX_SLOT_THEME (6) |
 *
 * fold: the value as one folded word (xs_name_fold: "Diependaele",
 * "diependaele" and "DIEPENDAELE" make the same term); list: a decision
 * has several, each its own term.
 */
#include "ix.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

_Static_assert(IX_F_N < XS_PARSER_MAX, "xs_parser_conf has room for the "
               "prefixes and a NULL end");

static const ix_layout_field layout[IX_F_N] = {
    [IX_F_TEXT] = {"text", IX_PREFIX_TEXT,
                   IX_FREE | IX_IN_DECISIONS | IX_IN_SECTIONS, -1},
    [IX_F_TITLE] = {"title", IX_PREFIX_TITLE,
                    IX_FREE | IX_PARSED | IX_IN_DECISIONS | IX_IN_SECTIONS, -1},
    [IX_F_ID] = {"id", IX_PREFIX_ID,
                 IX_BOOL | IX_PARSED | IX_IN_DECISIONS | IX_IN_SECTIONS,
                 IX_SLOT_ID},
    [IX_F_KIND] = {"kind", IX_PREFIX_KIND,
                   IX_BOOL | IX_LOWER | IX_PARSED | IX_IN_DECISIONS,
                   IX_SLOT_KIND},
    [IX_F_YEAR] = {"year", IX_PREFIX_YEAR,
                   IX_BOOL | IX_PARSED | IX_DATED | IX_IN_DECISIONS,
                   IX_SLOT_YEAR},
    [IX_F_CHAPTER] = {"chapter", IX_PREFIX_CHAPTER,
                      IX_BOOL | IX_LOWER | IX_PARSED | IX_IN_SECTIONS, -1},
    /* not parsed: the value is a hash (ix_dossier_term), not typed */
    [IX_F_DOSSIER] = {"dossier", IX_PREFIX_DOSSIER, IX_BOOL | IX_IN_DECISIONS,
                      IX_SLOT_DOSSIER},
    [IX_F_DATE] = {"date", NULL, IX_DATE_RANGE | IX_IN_DECISIONS,
                   IX_SLOT_DATE},
    [IX_F_MINISTER] = {"minister", IX_PREFIX_MINISTER,
                       IX_BOOL | IX_FOLD | IX_LIST | IX_PARSED |
                           IX_IN_DECISIONS,
                       IX_SLOT_MINISTER},
    [IX_F_THEME] = {"theme", IX_PREFIX_THEME,
                    IX_BOOL | IX_LOWER | IX_LIST | IX_PARSED | IX_IN_DECISIONS,
                    IX_SLOT_THEME},
};

const ix_layout_field *ix_layout_get(ix_fid f)
{
    return (unsigned)f < IX_F_N ? &layout[f] : NULL;
}

const ix_layout_field *ix_layout_find(const char *name)
{
    for (size_t i = 0; i < IX_F_N; i++)
        if (!strcmp(layout[i].name, name))
            return &layout[i];
    return NULL;
}

xs_status ix_term_check(ix_fid f, size_t len, xs_err *err)
{
    const ix_layout_field *lf = ix_layout_get(f);
    if (!lf || !lf->prefix)
        return xs_err_set(err, XS_INVALID, "field %d has no terms", (int)f);
    size_t room = IX_TERM_MAX - strlen(lf->prefix);
    if (len > room)
        return xs_err_set(err, XS_INVALID, "field '%s' is longer than %zu bytes",
                          lf->name, room);
    return XS_OK;
}

/* prefix + s[0..len), ASCII-lowercased when lower, into out. */
static void term_put(char *out, const char *prefix, const char *s, size_t len,
                     int lower)
{
    size_t pl = strlen(prefix);
    memcpy(out, prefix, pl);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        out[pl + i] = (lower && c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    out[pl + len] = '\0';
}

xs_status ix_term(ix_fid f, const char *value, size_t len,
                  char out[IX_TERM_MAX + 1], xs_err *err)
{
    out[0] = '\0';
    xs_status st = ix_term_check(f, len, err);
    if (st || !(layout[f].flags & IX_FOLD)) {
        if (!st)
            term_put(out, layout[f].prefix, value, len,
                     (layout[f].flags & IX_LOWER) != 0);
        return st;
    }
    char *n = xs_name_fold(value, len);
    if (!n)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    st = ix_term_check(f, strlen(n), err);
    if (!st)
        term_put(out, layout[f].prefix, n, strlen(n), 0);
    free(n);
    return st;
}

xs_status ix_exact_term(ix_fid f, const char *word, size_t len,
                        char out[IX_TERM_MAX + 1], xs_err *err)
{
    out[0] = '\0';
    if ((unsigned)f >= IX_F_N || !(layout[f].flags & IX_FREE))
        return xs_err_set(err, XS_INVALID, "field %d has no exact forms",
                          (int)f);
    char *w = xs_word_fold(word, len);
    if (!w)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = ix_term(f, w, strlen(w), out, err);
    free(w);
    return st;
}

/* ------------------------------------------------------- query parser */

static xs_parser_conf parser_conf;     /* written once, by conf_fill */
static pthread_once_t parser_once = PTHREAD_ONCE_INIT;

static void conf_fill(void)
{
    size_t nf = 0, nb = 0;
    parser_conf.date_slot = -1;
    for (size_t i = 0; i < IX_F_N; i++) {
        const ix_layout_field *lf = &layout[i];
        if (lf->flags & IX_DATE_RANGE)
            parser_conf.date_slot = lf->slot;
        if (!(lf->flags & IX_PARSED))
            continue;
        if (lf->flags & IX_FREE) {
            parser_conf.free_prefixes[nf][0] = lf->name;
            parser_conf.free_prefixes[nf++][1] = lf->prefix;
        } else {
            if (lf->flags & IX_LOWER)
                parser_conf.bool_lower |= 1u << nb;
            if (lf->flags & IX_FOLD)
                parser_conf.bool_fold |= 1u << nb;
            if (lf->flags & IX_DATED)
                parser_conf.bool_dated |= 1u << nb;
            parser_conf.bool_prefixes[nb][0] = lf->name;
            parser_conf.bool_prefixes[nb++][1] = lf->prefix;
        }
    }
}

/* The configuration is computed from the table once (pthread_once) and
 * read-only after that; both arrays have room for IX_F_N - 1 rows and a
 * NULL end (ix.h checks IX_F_N against their size). */
const xs_parser_conf *ix_parser_conf(void)
{
    pthread_once(&parser_once, conf_fill);
    return &parser_conf;
}
