/*
 * fx_url.c -- the URL of one search page.
 *
 * Owns: the parameter table of a request (fx.h) and its percent-encoding,
 * done by libcurl (curl_easy_escape: every byte but A-Z a-z 0-9 - . _ ~).
 * Never: reads `links` from a response; the page number is the caller's.
 */
#include "fx.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Append "&key=value" (or "key=value" first), both escaped, to *buf. */
static int add_param(CURL *c, FILE *buf, int first, const char *key,
                     const char *value)
{
    char *k = curl_easy_escape(c, key, 0);
    char *v = curl_easy_escape(c, value, 0);
    int rc = -1;

    if (k && v && fprintf(buf, "%s%s=%s", first ? "" : "&", k, v) >= 0)
        rc = 0;
    curl_free(k);
    curl_free(v);
    return rc;
}

char *fx_url(const char *base, fx_window w, size_t size, size_t page)
{
    char from[11], to[11], range[32], sz[32], pg[32];
    const char *params[][2] = {
        { "filter[:gte,lt:meetingDate]", range },
        { "sort[meetingDate]", "asc" },
        { "sort[meetingTypePosition]", "asc" },
        { "sort[agendaitemType]", "desc" },
        { "sort[position]", "asc" },
        { "page[size]", sz },
        { "page[number]", pg },
    };
    size_t blen = strlen(base), len = 0;
    char *out = NULL;
    CURL *c = curl_easy_init();
    FILE *buf = c ? open_memstream(&out, &len) : NULL;
    int ok = buf != NULL;

    fx_date_fmt(w.from, from);
    fx_date_fmt(w.to, to);
    snprintf(range, sizeof range, "%s,%s", from, to);
    snprintf(sz, sizeof sz, "%zu", size);
    snprintf(pg, sizeof pg, "%zu", page);
    while (blen > 0 && base[blen - 1] == '/')
        blen--;
    if (ok && fprintf(buf, "%.*s/news-items/search?", (int)blen, base) < 0)
        ok = 0;
    for (size_t i = 0; ok && i < sizeof params / sizeof params[0]; i++)
        ok = add_param(c, buf, i == 0, params[i][0], params[i][1]) == 0;
    if (buf && fclose(buf) != 0)
        ok = 0;
    curl_easy_cleanup(c);
    if (!ok) {
        free(out);
        return NULL;
    }
    return out;
}
