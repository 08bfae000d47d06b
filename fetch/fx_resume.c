/*
 * fx_resume.c -- the resume point of an existing output file.
 *
 * Owns: reading FILE line by line (JSON, RFC 8259, via jansson), the set of
 * ids already fetched, the latest meetingDate, and the consistent point:
 * the end of the last complete line.  A last line without its LF is what
 * a kill leaves; fx_fetch cuts it.  Never: writes the file.
 */
#include "fx.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static fx_status bad(char **errmsg, const char *path, size_t line,
                     const char *what)
{
    size_t n = strlen(path) + strlen(what) + 32;

    *errmsg = malloc(n);
    if (!*errmsg)
        return FX_NOMEM;
    snprintf(*errmsg, n, "%s:%zu: %s", path, line, what);
    return FX_BAD_INPUT;
}

/* Take one complete line (an item) into r. */
static fx_status take_line(fx_resume *r, const char *s, size_t len,
                           const char *path, char **errmsg)
{
    json_error_t je;
    json_t *item = json_loadb(s, len, JSON_ALLOW_NUL, &je);
    json_t *id = json_object_get(item, "id");
    json_t *at = json_object_get(item, "attributes");
    const char *md = json_string_value(json_object_get(at, "meetingDate"));
    fx_status st = FX_OK;
    fx_date d;

    if (!item)
        st = bad(errmsg, path, r->lines + 1, "not JSON");
    else if (!json_is_string(id) || !json_is_object(at))
        st = bad(errmsg, path, r->lines + 1, "not a search item (no 'id' or 'attributes')");
    else if (json_object_get(r->ids, json_string_value(id)))
        st = bad(errmsg, path, r->lines + 1, "item id seen before");
    else if (json_object_set_new(r->ids, json_string_value(id), json_true()))
        st = FX_NOMEM;
    else if (md && strlen(md) >= 10 && fx_date_parse(md, 10, &d) == 0 &&
             (!r->has_date || fx_date_cmp(d, r->last) > 0)) {
        r->last = d;
        r->has_date = 1;
    }
    json_decref(item);
    return st;
}

fx_status fx_resume_load(const char *path, fx_resume *r, char **errmsg)
{
    FILE *f;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    fx_status st = FX_OK;

    memset(r, 0, sizeof *r);
    *errmsg = NULL;
    r->ids = json_object();
    if (!r->ids)
        return FX_NOMEM;
    f = fopen(path, "rb");
    if (!f)
        return errno == ENOENT ? FX_OK : FX_IO;
    while (st == FX_OK && (n = getline(&line, &cap, f)) > 0) {
        if (line[n - 1] != '\n')
            break;                      /* partial last line: not counted */
        st = take_line(r, line, (size_t)n - 1, path, errmsg);
        if (st == FX_OK) {
            r->keep += (size_t)n;
            r->lines++;
        }
    }
    if (st == FX_OK && ferror(f))
        st = FX_IO;
    free(line);
    fclose(f);
    return st;
}

void fx_resume_release(fx_resume *r)
{
    if (r)
        json_decref(r->ids);
}

fx_date fx_resume_since(const fx_resume *r, fx_date dflt)
{
    fx_date d = r->last;

    if (!r->has_date)
        return dflt;
    d.d = 1;
    return d;
}
