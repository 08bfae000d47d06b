/*
 * rd_esc_json.c -- JSON output.  jansson escapes strings and refuses
 * ones that are not UTF-8; this module writes its values the one way
 * akkoord does.
 *
 * Owns: writing a finished value with a newline and freeing it.
 * Never: writes part of a value it failed to build.
 */
#include "rd.h"

int rd_json_put(FILE *f, size_t flags, json_t *o)
{
    if (!o)
        return -1;
    int rc = json_dumpf(o, f, flags);
    json_decref(o);
    return rc == 0 && fputc('\n', f) != EOF ? 0 : -1;
}
