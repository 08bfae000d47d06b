/*
 * qy_records.c -- decisions and sections as stored in a snapshot.
 *
 * Owns: decoding document data (ix.h) into qy_decision / qy_section, id
 * look-ups, and the link shown for a decision.
 * Never: rewrites what the corpus said (text is shown as indexed).
 */
#include "qy.h"
#include "qy-int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

xs_status qy_snapshot_error(const ix_snapshot *s, xs_err *err)
{
    xs_status st = xs_db_error(ix_snapshot_decisions(s), err);
    return st ? st : xs_db_error(ix_snapshot_sections(s), err);
}

static char *dup_field(ix_field f)
{
    char *s = malloc(f.len + 1);
    if (s) {
        if (f.len)
            memcpy(s, f.ptr, f.len);
        s[f.len] = '\0';
    }
    return s;
}

/* Decode n fields of document did into the n char* slots of out. */
static xs_status load_fields(const xs_db *db, xs_docid did, char **slots,
                             size_t n, xs_err *err)
{
    char *data = NULL;
    size_t len = 0;
    ix_field f[IX_DEC_NFIELDS];
    if (n > IX_DEC_NFIELDS)
        return xs_err_set(err, XS_INVALID, "too many fields");
    xs_status st = xs_db_data(db, did, &data, &len, err);
    if (!st && (st = ix_data_decode(data, len, f, n, err)) == XS_CORRUPT &&
        err) {
        xs_err_set(err, st, "document %u: %s", did,
                   err->msg ? err->msg : "corrupt document data");
        st = xs_db_blame(db, err);      /* names the index */
    }
    for (size_t i = 0; !st && i < n; i++)
        if (!(slots[i] = dup_field(f[i])))
            st = xs_err_set(err, XS_NOMEM, "out of memory");
    free(data);
    return st;
}

xs_status qy_decision_load(const ix_snapshot *s, xs_docid did,
                           qy_decision *out, xs_err *err)
{
    memset(out, 0, sizeof *out);
    out->docid = did;
    char *slots[IX_DEC_NFIELDS] = {0};
    xs_status st = load_fields(ix_snapshot_decisions(s), did, slots,
                               IX_DEC_NFIELDS, err);
    out->id = slots[IX_DEC_ID];
    out->date = slots[IX_DEC_DATE];
    out->kind = slots[IX_DEC_KIND];
    out->title = slots[IX_DEC_TITLE];
    out->url = slots[IX_DEC_URL];
    out->text = slots[IX_DEC_TEXT];
    out->uri = slots[IX_DEC_URI];
    out->meeting = slots[IX_DEC_MEETING];
    out->meeting_type = slots[IX_DEC_MTYPE];
    out->position = slots[IX_DEC_POSITION];
    out->alt_title = slots[IX_DEC_ALT_TITLE];
    out->ministers = slots[IX_DEC_MINISTERS];
    out->themes = slots[IX_DEC_THEMES];
    out->sources = slots[IX_DEC_SOURCES];
    if (st)
        qy_decision_release(out);
    return st;
}

void qy_decision_release(qy_decision *d)
{
    if (!d)
        return;
    free(d->id);
    free(d->date);
    free(d->kind);
    free(d->title);
    free(d->url);
    free(d->text);
    free(d->uri);
    free(d->meeting);
    free(d->meeting_type);
    free(d->position);
    free(d->alt_title);
    free(d->ministers);
    free(d->themes);
    free(d->sources);
    memset(d, 0, sizeof *d);
}

static xs_status lookup(const xs_db *db, const char *id, xs_docid *did,
                        xs_err *err)
{
    char term[IX_TERM_MAX + 1];
    if (ix_term(IX_F_ID, id, strlen(id), term, err)) {
        *did = 0;       /* too long to be a term: no document has it */
        return xs_err_set(err, XS_NOT_FOUND, "no document 'Q%.64s...'", id);
    }
    return xs_db_lookup(db, term, did, err);
}

xs_status qy_decision_find(const ix_snapshot *s, const char *id,
                           qy_decision *out, xs_err *err)
{
    xs_docid did;
    xs_status st = lookup(ix_snapshot_decisions(s), id, &did, err);
    if (st == XS_NOT_FOUND)
        return xs_err_set(err, st, "no decision with id '%s'", id);
    return st ? st : qy_decision_load(s, did, out, err);
}

xs_status qy_section_load(const ix_snapshot *s, xs_docid did, qy_section *out,
                          xs_err *err)
{
    memset(out, 0, sizeof *out);
    out->docid = did;
    char *slots[IX_SEC_NFIELDS] = {0};
    xs_status st = load_fields(ix_snapshot_sections(s), did, slots,
                               IX_SEC_NFIELDS, err);
    out->id = slots[IX_SEC_ID];
    out->chapter = slots[IX_SEC_CHAPTER];
    out->number = slots[IX_SEC_NUMBER];
    out->title = slots[IX_SEC_TITLE];
    out->path = slots[IX_SEC_PATH];
    out->text = slots[IX_SEC_TEXT];
    if (st)
        qy_section_release(out);
    return st;
}

/* Is section id sid what the user may have meant by id: the same number
 * in some chapter ("3.2.3" for "bestuurzaken/3.2.3"), or the same id
 * with another case or accents? */
static int near_id(const char *sid, const char *id)
{
    const char *slash = strchr(sid, '/');
    if (slash && !strchr(id, '/') && !strcmp(slash + 1, id))
        return 1;
    char *a = xs_fold(sid, strlen(sid)), *b = xs_fold(id, strlen(id));
    int same = a && b && !strcmp(a, b);
    free(a);
    free(b);
    return same;
}

/* "; did you mean A, B or C?" into buf ("" when no id is near). */
static xs_status section_hint(const ix_snapshot *s, const char *id, char *buf,
                              size_t size, xs_err *err)
{
    char **ids = NULL;
    size_t n = 0, k = 0, len = 0;
    xs_status st = xs_db_value_table(ix_snapshot_sections(s), IX_SLOT_ID,
                                     &ids, &n, err);
    buf[0] = '\0';
    for (size_t i = 1; !st && i < n; i++)
        if (near_id(ids[i], id) && len + strlen(ids[i]) + 24 < size)
            len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                    k++ ? ", " : "; did you mean ", ids[i]);
    if (k)
        snprintf(buf + len, size - len, "?");
    free(ids);
    return st;
}

xs_status qy_section_find(const ix_snapshot *s, const char *id,
                          qy_section *out, xs_err *err)
{
    xs_docid did;
    char hint[512];
    xs_status st = lookup(ix_snapshot_sections(s), id, &did, err);
    if (st == XS_NOT_FOUND && !(st = section_hint(s, id, hint, sizeof hint,
                                                  err)))
        return xs_err_set(err, XS_NOT_FOUND,
                          "no agreement section '%s'%s%s", id, hint,
                          *hint ? "" : "; list them with 'akkoord-query "
                                       "sections'");
    return st ? st : qy_section_load(s, did, out, err);
}

void qy_section_release(qy_section *sec)
{
    if (!sec)
        return;
    free(sec->id);
    free(sec->chapter);
    free(sec->number);
    free(sec->title);
    free(sec->path);
    free(sec->text);
    memset(sec, 0, sizeof *sec);
}

int qy_url_ok(const char *s)
{
    if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
        return 0;
    /* RFC 3986: printable ASCII only (DEL and bytes >= 0x80 would reach
     * the terminal raw in text output) */
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || (unsigned char)*s >= 0x7F ||
            strchr("\"'<>()[]\\`", *s))
            return 0;
    return 1;
}

/* Percent-encode s (RFC 3986 unreserved characters stay) onto out. */
static char *url_append_encoded(char *out, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || strchr("-._~", c)) {
            *out++ = (char)c;
        } else {
            *out++ = '%';
            *out++ = hex[c >> 4];
            *out++ = hex[c & 15];
        }
    }
    return out;
}

char *qy_decision_link(const qy_decision *d)
{
    if (d->uri && qy_url_ok(d->uri))
        return strdup(d->uri);
    if (qy_url_ok(d->url))
        return strdup(d->url);
    static const char base[] =
        "https://beslissingenvlaamseregering.vlaanderen.be/?search=";
    char *link = malloc(sizeof base + 3 * strlen(d->title) + 160);
    if (!link)
        return NULL;
    char *p = link + (sizeof base - 1);
    memcpy(link, base, sizeof base - 1);
    p = url_append_encoded(p, d->title);
    if (*d->date)
        p += sprintf(p, "&dateOption=select&startDate=%.10sT12%%3A00%%3A00Z"
                        "&endDate=%.10sT12%%3A00%%3A00Z", d->date, d->date);
    *p = '\0';
    return link;
}
