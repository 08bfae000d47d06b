/*
 * ix_merge.c -- one decision from two sources: an extract record and an
 * API item with the same id.
 *
 * Owns: the merge rule below (also written into manifest.json as
 * "merge", and documented in docs/akkoord-index.1), decoding a stored
 * decision back into a record so that a later record can meet it.
 * Never: touches a database (ix_shard.c reads the stored data and writes
 * the result) or decides that two records are the same decision (the id
 * does).
 *
 *   | field                          | winner   | why                     |
 *   |--------------------------------|----------|-------------------------|
 *   | date                           | valvas   | meetingDate, converted  |
 *   | uri, meeting, meeting_type,    | valvas   | only the API has them   |
 *   | position, alt_title, ministers,|          |                         |
 *   | themes                         |          |                         |
 *   | title, kind, url               | extract  | what the ranking was    |
 *   |                                |          | tuned on                |
 *   | text                           | longer   | the extract's when as   |
 *   |                                |          | long or longer (it puts |
 *   |                                |          | the alternative title   |
 *   |                                |          | in front)               |
 *
 * A winner's field that is absent gives way to the other source's.  Two
 * records of the same source do not merge: the later replaces the
 * earlier whole, as duplicates always did.
 */
#include "ix-int.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

typedef enum rule { R_VALVAS, R_EXTRACT, R_LONGER } rule;

typedef struct merge_row {
    const char *name;
    size_t off;           /* offsetof(cp_decision, field)               */
    rule r;
} merge_row;

#define ROW(f, r) {#f, offsetof(cp_decision, f), r}
static const merge_row rows[] = {
    ROW(date, R_VALVAS),      ROW(uri, R_VALVAS),
    ROW(meeting, R_VALVAS),   ROW(position, R_VALVAS),
    ROW(alt_title, R_VALVAS), ROW(ministers, R_VALVAS),
    ROW(themes, R_VALVAS),    ROW(title, R_EXTRACT),
    ROW(kind, R_EXTRACT),     ROW(url, R_EXTRACT),
    ROW(text, R_LONGER),
};
#undef ROW

static const char *rule_name(rule r)
{
    return r == R_VALVAS ? "valvas" : r == R_EXTRACT ? "extract" : "longer";
}

json_t *ix_merge_rule_json(void)
{
    json_t *o = json_object();
    for (size_t i = 0; o && i < sizeof rows / sizeof *rows; i++)
        if (json_object_set_new(o, rows[i].name,
                                json_string(rule_name(rows[i].r)))) {
            json_decref(o);
            return NULL;
        }
    if (o && json_object_set_new(o, "meeting_type", json_string("valvas"))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static cp_str *field(cp_decision *d, size_t off)
{
    return (cp_str *)(void *)((char *)d + off);
}

static const cp_str *cfield(const cp_decision *d, size_t off)
{
    return (const cp_str *)(const void *)((const char *)d + off);
}

/* The winner of one field: v is the valvas record's, e the extract's. */
static cp_str pick(rule r, cp_str v, cp_str e)
{
    int has_v = v.ptr && v.len, has_e = e.ptr && e.len;
    if (r == R_LONGER)
        return has_e && e.len >= v.len ? e : has_v ? v : e;
    if (r == R_VALVAS)
        return has_v ? v : e;
    return has_e ? e : v;
}

int ix_decision_merge(const cp_decision *old, const cp_decision *nw,
                      cp_decision *out)
{
    if ((nw->source & old->source) == old->source) {
        *out = *nw;
        return 0;
    }
    /* the one that brings the API's fields, and the other */
    const cp_decision *v = (nw->source & CP_SRC_VALVAS) ? nw : old;
    const cp_decision *e = v == nw ? old : nw;
    *out = *nw;
    for (size_t i = 0; i < sizeof rows / sizeof *rows; i++)
        *field(out, rows[i].off) = pick(rows[i].r, *cfield(v, rows[i].off),
                                        *cfield(e, rows[i].off));
    out->meeting_type = v->meeting_type ? v->meeting_type : e->meeting_type;
    out->year = out->date.ptr && out->date.len == 10 ? atoi(out->date.ptr) : 0;
    out->source = old->source | nw->source;
    return 1;
}

static cp_str as_str(ix_field f)
{
    return (cp_str){f.len ? f.ptr : NULL, f.len};
}

xs_status ix_decision_from_data(const char *data, size_t len, cp_decision *d,
                                xs_err *err)
{
    ix_field f[IX_DEC_NFIELDS];
    xs_status st = ix_data_decode(data, len, f, IX_DEC_NFIELDS, err);
    if (st)
        return st;
    *d = (cp_decision){
        .id = as_str(f[IX_DEC_ID]), .date = as_str(f[IX_DEC_DATE]),
        .kind = as_str(f[IX_DEC_KIND]), .title = as_str(f[IX_DEC_TITLE]),
        .url = as_str(f[IX_DEC_URL]), .text = as_str(f[IX_DEC_TEXT]),
        .uri = as_str(f[IX_DEC_URI]), .meeting = as_str(f[IX_DEC_MEETING]),
        .position = as_str(f[IX_DEC_POSITION]),
        .alt_title = as_str(f[IX_DEC_ALT_TITLE]),
        .ministers = as_str(f[IX_DEC_MINISTERS]),
        .themes = as_str(f[IX_DEC_THEMES])};
    ix_field mt = f[IX_DEC_MTYPE], src = f[IX_DEC_SOURCES];
    d->meeting_type = mt.len == 1 ? mt.ptr[0] - '0' : 0;
    d->year = d->date.len == 10 ? atoi(d->date.ptr) : 0;
    d->source = src.len >= 6 && !memcmp(src.ptr, "valvas", 6) ? CP_SRC_VALVAS
                : src.len > 7 ? CP_SRC_EXTRACT | CP_SRC_VALVAS
                              : CP_SRC_EXTRACT;
    return XS_OK;
}
