/*
 * ix_doc.c -- how a corpus record becomes a Xapian document.
 *
 * Owns: the mapping from cp_decision / cp_section to terms, values and
 * document data, exactly as tabulated in ix.h.
 * Never: writes to a database or decides about duplicates (ix_build.c and
 * ix_shard.c do).
 */
#include "ix-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The boolean term of field f for s, if s is not empty, and the value
 * in f's slot if it has one: the term without its prefix (lowercased as
 * the term is). */
static xs_status add_bool_term(xs_doc *doc, ix_fid f, cp_str s, xs_err *err)
{
    if (!s.ptr || !s.len)
        return XS_OK;
    char t[IX_TERM_MAX + 1];
    const ix_layout_field *lf = ix_layout_get(f);
    xs_status st = ix_term(f, s.ptr, s.len, t, err);
    if (!st)
        st = xs_doc_add_term(doc, t, 0, err);
    if (!st && lf->slot >= 0)
        st = xs_doc_set_value(doc, (unsigned)lf->slot, t + strlen(lf->prefix),
                              s.len, err);
    return st;
}

/* One boolean term of list field f per value of list (values joined
 * with '\n'), and the whole list in f's slot. */
static xs_status add_list_terms(xs_doc *doc, ix_fid f, cp_str list,
                                xs_err *err)
{
    if (!list.ptr || !list.len)
        return XS_OK;
    char t[IX_TERM_MAX + 1];
    xs_status st = XS_OK;
    const char *p = list.ptr, *end = list.ptr + list.len;
    while (!st && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (n)
            st = ix_term(f, p, n, t, err);
        if (!st && n)
            st = xs_doc_add_term(doc, t, 0, err);
        p += n + 1;
    }
    if (!st)
        st = xs_doc_set_value(doc, (unsigned)ix_layout_get(f)->slot,
                              list.ptr, list.len, err);
    return st;
}

/* Does text start with s (an extract's text begins with the alternative
 * title)? */
static int starts_with(cp_str text, cp_str s)
{
    return text.ptr && text.len >= s.len && !memcmp(text.ptr, s.ptr, s.len);
}

/* Index title (weighted, and under the title prefix), an API item's
 * alternative title unless the text begins with it, and text. */
static xs_status index_fields(xs_doc *doc, cp_str title, cp_str alt,
                              cp_str text, xs_err *err)
{
    xs_status st = XS_OK;
    if (title.ptr && title.len) {
        st = xs_doc_index_text(doc, title.ptr, title.len, IX_TITLE_WDF,
                               IX_PREFIX_TEXT, err);
        if (!st) {
            xs_doc_gap(doc, 100);
            st = xs_doc_index_text(doc, title.ptr, title.len, 1,
                                   IX_PREFIX_TITLE, err);
        }
        xs_doc_gap(doc, 100);
    }
    if (!st && alt.ptr && alt.len && !starts_with(text, alt)) {
        st = xs_doc_index_text(doc, alt.ptr, alt.len, 1, IX_PREFIX_TEXT, err);
        xs_doc_gap(doc, 100);
    }
    if (!st && text.ptr && text.len)
        st = xs_doc_index_text(doc, text.ptr, text.len, 1, IX_PREFIX_TEXT,
                               err);
    return st;
}

static xs_status set_data(xs_doc *doc, const ix_field *f, size_t n,
                          xs_err *err)
{
    char *data;
    size_t len;
    xs_status st = ix_data_encode(f, n, &data, &len, err);
    if (st)
        return st;
    st = xs_doc_set_data(doc, data, len, err);
    free(data);
    return st;
}

/* FNV-1a, 64 bits. */
static unsigned long long fnv64(const char *s, size_t n)
{
    unsigned long long h = 14695981039346656037ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static int stage_word(const char *w)
{
    static const char *const words[] = {
        "voorontwerp", "ontwerp", "ontwerpbesluit", "ontwerpdecreet",
        "principiele", "definitieve", "goedkeuring", "bekrachtiging",
        "afkondiging", "en", "van", "het", "de", NULL};
    if (strlen(w) == 4 && strspn(w, "0123456789") == 4)
        return 1;                       /* a year */
    for (size_t i = 0; words[i]; i++)
        if (!strcmp(w, words[i]))
            return 1;
    return 0;
}

int ix_dossier_term(const char *title, size_t tlen, const char *id,
                    size_t idlen, char out[18])
{
    char *f = xs_fold(title, tlen);
    char *key = f ? malloc(strlen(f) + 1) : NULL;
    if (!key) {
        free(f);
        return -1;
    }
    size_t k = 0;
    char *save = NULL;
    static const char seps[] = " ,.:;()'\"-/";
    for (char *w = strtok_r(f, seps, &save); w; w = strtok_r(NULL, seps, &save))
        if (!stage_word(w))
            k += (size_t)sprintf(key + k, "%s%s", k ? " " : "", w);
    unsigned long long h = k ? fnv64(key, k) : fnv64(id, idlen);
    snprintf(out, 18, IX_PREFIX_DOSSIER "%016llx", h);
    free(key);
    free(f);
    return 0;
}

/* Not add_bool_term: the dossier slot holds the whole term. */
static xs_status add_dossier(xs_doc *doc, const cp_decision *d, xs_err *err)
{
    char term[18];
    if (ix_dossier_term(d->title.ptr ? d->title.ptr : "", d->title.len,
                        d->id.ptr, d->id.len, term))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_doc_add_term(doc, term, 0, err);
    if (!st)
        st = xs_doc_set_value(doc, IX_SLOT_DOSSIER, term, 17, err);
    return st;
}

/* Words of title and text need no check: TermGenerator skips words over
 * 64 bytes, and so does xs_doc_index_text's joined form; Y and D terms
 * have a fixed length; the C term is part of the id. */
static xs_status list_check(ix_fid f, cp_str list, xs_err *err)
{
    xs_status st = XS_OK;
    const char *p = list.ptr, *end = list.ptr + list.len;
    while (!st && p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        st = ix_term_check(f, n, err);
        p += n + 1;
    }
    return st;
}

xs_status ix_decision_check(const cp_decision *d, xs_err *err)
{
    xs_status st = ix_term_check(IX_F_ID, d->id.len, err);
    if (!st)
        st = ix_term_check(IX_F_KIND, d->kind.len, err);
    if (!st)
        st = list_check(IX_F_MINISTER, d->ministers, err);
    return st ? st : list_check(IX_F_THEME, d->themes, err);
}

const char *ix_sources_name(unsigned source)
{
    return source == (CP_SRC_EXTRACT | CP_SRC_VALVAS) ? "extract+valvas"
           : source == CP_SRC_VALVAS                  ? "valvas"
                                                      : "extract";
}

xs_status ix_section_check(const cp_section *s, xs_err *err)
{
    return ix_term_check(IX_F_ID, s->id.len, err);
}

#define F(s) ((ix_field){(s).ptr, (s).ptr ? (s).len : 0})

xs_status ix_decision_doc(xs_doc *doc, const cp_decision *d, xs_err *err)
{
    /* decisions alone feed the spelling table */
    xs_doc_set_flags(doc, XS_DOC_SPELLING | XS_DOC_EXACT);
    xs_status st = xs_doc_clear(doc, err);
    if (!st)
        st = ix_decision_check(d, err);
    if (!st)
        st = add_bool_term(doc, IX_F_ID, d->id, err);
    if (!st)
        st = index_fields(doc, d->title, d->alt_title, d->text, err);
    if (!st)
        st = add_dossier(doc, d, err);
    if (!st)
        st = add_bool_term(doc, IX_F_KIND, d->kind, err);
    if (!st && d->year) {
        char y[16];
        int n = snprintf(y, sizeof y, "%d", d->year);
        st = add_bool_term(doc, IX_F_YEAR, (cp_str){y, (size_t)n}, err);
    }
    if (!st && d->date.ptr) {
        char v[8] = {d->date.ptr[0], d->date.ptr[1], d->date.ptr[2],
                     d->date.ptr[3], d->date.ptr[5], d->date.ptr[6],
                     d->date.ptr[8], d->date.ptr[9]};
        st = xs_doc_set_value(doc, IX_SLOT_DATE, v, 8, err);
    }
    if (!st)
        st = add_list_terms(doc, IX_F_MINISTER, d->ministers, err);
    if (!st)
        st = add_list_terms(doc, IX_F_THEME, d->themes, err);
    if (!st) {
        char mt[16] = "";
        if (d->meeting_type)
            snprintf(mt, sizeof mt, "%d", d->meeting_type);
        const char *src = ix_sources_name(d->source);
        ix_field f[IX_DEC_NFIELDS] = {
            F(d->id), F(d->date), F(d->kind), F(d->title), F(d->url),
            F(d->text), F(d->uri), F(d->meeting), {mt, strlen(mt)},
            F(d->position), F(d->alt_title), F(d->ministers), F(d->themes),
            {src, strlen(src)}};
        st = set_data(doc, f, IX_DEC_NFIELDS, err);
    }
    return st;
}

xs_status ix_section_doc(xs_doc *doc, const cp_section *s, xs_err *err)
{
    xs_doc_set_flags(doc, XS_DOC_EXACT);
    xs_status st = xs_doc_clear(doc, err);
    if (!st)
        st = ix_section_check(s, err);
    if (!st)
        st = add_bool_term(doc, IX_F_ID, s->id, err);
    if (!st)
        st = index_fields(doc, s->title, (cp_str){0}, s->text, err);
    if (!st) {
        const char *slash = memchr(s->id.ptr, '/', s->id.len);
        size_t n = slash ? (size_t)(slash - s->id.ptr) : s->id.len;
        st = add_bool_term(doc, IX_F_CHAPTER, (cp_str){s->id.ptr, n}, err);
    }
    if (!st) {
        ix_field f[IX_SEC_NFIELDS] = {F(s->id), F(s->chapter), F(s->number),
                                      F(s->title), F(s->path), F(s->text)};
        st = set_data(doc, f, IX_SEC_NFIELDS, err);
    }
    return st;
}
