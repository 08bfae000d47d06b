/*
 * sp_json.c -- the JSON Lines writer of the sections.
 *
 * Owns: one JSON object a line, keys in the order of
 * corpus/README.md "agreement.jsonl": id (chapter slug "/" number),
 * chapter, chapter_number, number, title, path, text; UTF-8 as is.
 * Never: opens, renames or closes the output (main.c does).
 */
#include "sp.h"
#include "sp-int.h"

#include <stdlib.h>

#include <jansson.h>

static json_t *section_json(const sp_section *s)
{
    char *slug = sp_slug(s->chapter);
    char *id = slug ? sp_printf("%s/%s", slug, s->number) : NULL;
    free(slug);
    json_t *path = json_array();
    for (size_t i = 0; path && i < s->npath; i++)
        if (json_array_append_new(path, json_string(s->path[i])) != 0) {
            json_decref(path);
            path = NULL;
        }
    json_t *o = id && path ? json_pack("{s:s, s:s, s:i, s:s, s:s, s:O, s:s}",
                                       "id", id, "chapter", s->chapter,
                                       "chapter_number", s->chapter_number,
                                       "number", s->number, "title", s->title,
                                       "path", path, "text", s->text)
                           : NULL;
    json_decref(path);
    free(id);
    return o;
}

sp_status sp_sections_write(const sp_sections *ss, FILE *f, char **err)
{
    *err = NULL;
    for (size_t i = 0; i < ss->n; i++) {
        json_t *o = section_json(&ss->v[i]);
        if (!o) {
            *err = sp_printf("section '%s': cannot be written as JSON "
                             "(invalid UTF-8 or out of memory)",
                             ss->v[i].number);
            return *err ? SP_BAD : SP_NOMEM;
        }
        int rc = json_dumpf(o, f, JSON_PRESERVE_ORDER | JSON_COMPACT);
        json_decref(o);
        if (rc != 0 || fputc('\n', f) == EOF) {
            *err = sp_printf("write error");
            return *err ? SP_IO : SP_NOMEM;
        }
    }
    return SP_OK;
}
