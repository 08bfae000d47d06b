/*
 * qy_overview.c -- the rows of the overview of `evaluate --all`: one per
 * section with its verdict counts (render/rd_overview.c writes them).
 *
 * Owns: the row record a worker thread writes for its section (one JSON
 * line, so that any id or title survives), collecting those records in
 * agreement order in the main thread.
 * Never: evaluates (qy_eval.c does) or renders.
 */
#include "qy-int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int qy_overview_record(FILE *f, const qy_report *r, const char *file)
{
    json_int_t v[QY_NVERDICTS] = {0};
    for (size_t i = 0; i < r->nitems; i++)
        v[r->items[i].verdict]++;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[I, I, I, I]}", "id",
                          r->a.sec.id, "chapter", r->a.sec.chapter, "number",
                          r->a.sec.number, "title",
                          r->a.sec.title, "file", file, "verdicts", v[QY_DONE],
                          v[QY_IN_PROGRESS], v[QY_NONE], v[QY_UNCHECKABLE]);
    return rd_json_put(f, JSON_COMPACT, o) || ferror(f) ? -1 : 0;
}

static char *string_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return strdup(s ? s : "");
}

static void row_release(qy_overview_row *r)
{
    free(r->id);
    free(r->chapter);
    free(r->number);
    free(r->title);
    free(r->file);
}

xs_status qy_overview_take(qy_overview *ov, const char *rec, size_t len)
{
    json_error_t je;
    json_t *o = json_loadb(rec, len, 0, &je);
    json_t *v = o ? json_object_get(o, "verdicts") : NULL;
    if (!o) /* no message: jansson ran out of memory (see cp_reader.c) */
        return !je.text[0] || json_error_code(&je) == json_error_out_of_memory
                   ? XS_NOMEM : XS_CORRUPT;
    if (json_array_size(v) != QY_NVERDICTS) {
        json_decref(o);
        return XS_CORRUPT;
    }
    qy_overview_row *rows = realloc(ov->rows, (ov->n + 1) * sizeof *rows);
    if (!rows) {
        json_decref(o);
        return XS_NOMEM;
    }
    ov->rows = rows;
    qy_overview_row *r = &rows[ov->n];
    r->id = string_of(o, "id");
    r->chapter = string_of(o, "chapter");
    r->number = string_of(o, "number");
    r->title = string_of(o, "title");
    r->file = string_of(o, "file");
    for (size_t i = 0; i < QY_NVERDICTS; i++)
        r->v[i] = (size_t)json_integer_value(json_array_get(v, i));
    json_decref(o);
    if (!r->id || !r->chapter || !r->number || !r->title || !r->file) {
        row_release(r);            /* not kept: the overview renders rows */
        return XS_NOMEM;
    }
    ov->n++;
    return XS_OK;
}

void qy_overview_release(qy_overview *ov)
{
    for (size_t i = 0; i < ov->n; i++)
        row_release(&ov->rows[i]);
    free(ov->rows);
    memset(ov, 0, sizeof *ov);
}
