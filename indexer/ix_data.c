/*
 * ix_data.c -- the document-data codec (see the tables in ix.h).
 *
 * Owns: netstring encoding/decoding of stored fields, the default snapshot
 * path.  (The query parser's prefixes are made in ix_layout.c.)
 * Never: touches Xapian or files.  Spec: netstrings, D. J. Bernstein 1997.
 */
#include "ix.h"

#include "../corpus/cp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

xs_status ix_data_encode(const ix_field *fields, size_t n, char **out,
                         size_t *out_len, xs_err *err)
{
    size_t cap = 0;
    for (size_t i = 0; i < n; i++)
        cap += fields[i].len + 24;
    char *buf = malloc(cap + 1);
    if (!buf)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    size_t pos = 0;
    for (size_t i = 0; i < n; i++) {
        pos += (size_t)snprintf(buf + pos, cap + 1 - pos, "%zu:", fields[i].len);
        if (fields[i].len)
            memcpy(buf + pos, fields[i].ptr, fields[i].len);
        pos += fields[i].len;
        buf[pos++] = ',';
    }
    buf[pos] = '\0';
    *out = buf;
    *out_len = pos;
    return XS_OK;
}

/* Parse one netstring at data[*pos]; advance *pos past its comma. */
static int netstring_next(const char *data, size_t len, size_t *pos,
                          ix_field *f)
{
    size_t p = *pos, n = 0;
    if (p >= len || data[p] < '0' || data[p] > '9')
        return 0;
    while (p < len && data[p] >= '0' && data[p] <= '9') {
        n = n * 10 + (size_t)(data[p++] - '0');
        if (n > len)
            return 0;
    }
    if (p >= len || data[p] != ':' || len - p - 1 < n + 1 ||
        data[p + 1 + n] != ',')
        return 0;
    f->ptr = data + p + 1;
    f->len = n;
    *pos = p + 1 + n + 1;
    return 1;
}

xs_status ix_data_decode(const char *data, size_t len, ix_field *fields,
                         size_t n, xs_err *err)
{
    size_t pos = 0;
    for (size_t i = 0; i < n; i++)
        if (!netstring_next(data, len, &pos, &fields[i]))
            return xs_err_set(err, XS_CORRUPT,
                              "corrupt document data (field %zu)", i);
    if (pos != len)
        return xs_err_set(err, XS_CORRUPT,
                          "corrupt document data (%zu trailing bytes)",
                          len - pos);
    return XS_OK;
}

const char *ix_default_dir(void)
{
    const char *env = getenv("AKKOORD_DB");
    return env && *env ? env : "akkoord.db";
}

const char *ix_meeting_type_label(int mtp)
{
    return cp_meeting_type_label(mtp);
}
