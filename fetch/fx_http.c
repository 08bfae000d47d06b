/*
 * fx_http.c -- one search page over HTTP(S) with libcurl: the rate limit,
 * the retries with exponential backoff, and the check of the envelope.
 *
 * Owns: the curl easy handle, what counts as worth a retry (5xx, 429,
 * timeouts, transport errors, truncated bodies: curl's Content-Length
 * check, or JSON that ends early) and what is a bad reply at once (other
 * statuses, not JSON, not mu-search's {count, data[]} envelope).
 * Never: follows redirects or the envelope's `links`.
 */
#include "fx-int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef AK_VERSION
#define AK_VERSION "dev"
#endif

typedef struct fx_body {
    char *ptr;
    size_t len, cap;
} fx_body;

char *fx_msg(const char *prefix, const char *what)
{
    size_t n = strlen(prefix) + strlen(what) + 3;
    char *m = malloc(n);

    if (m)
        snprintf(m, n, "%s: %s", prefix, what);
    return m;
}

static size_t on_data(char *p, size_t sz, size_t nmemb, void *ctx)
{
    fx_body *b = ctx;
    size_t n = sz * nmemb;

    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *q = realloc(b->ptr, cap);

        if (!q)
            return 0;               /* curl fails with CURLE_WRITE_ERROR */
        b->ptr = q;
        b->cap = cap;
    }
    memcpy(b->ptr + b->len, p, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return n;
}

fx_status fx_http_init(fx_http *h, const fx_opts *o, fx_result *res)
{
    memset(h, 0, sizeof *h);
    h->o = o;
    h->res = res;
    h->curl = curl_easy_init();
    if (!h->curl)
        return FX_NOMEM;
    curl_easy_setopt(h->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h->curl, CURLOPT_USERAGENT, "akkoord-fetch/" AK_VERSION);
    curl_easy_setopt(h->curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h->curl, CURLOPT_TIMEOUT_MS, (long)(o->timeout * 1000));
    curl_easy_setopt(h->curl, CURLOPT_WRITEFUNCTION, on_data);
    return FX_OK;
}

void fx_http_release(fx_http *h)
{
    if (h)
        curl_easy_cleanup(h->curl);
}

static double since_s(const struct timespec *t)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - t->tv_sec) + (now.tv_nsec - t->tv_nsec) / 1e9;
}

static void sleep_s(double s)
{
    struct timespec t;

    if (s <= 0)
        return;
    t.tv_sec = (time_t)s;
    t.tv_nsec = (long)((s - (double)t.tv_sec) * 1e9);
    while (nanosleep(&t, &t) != 0 && errno == EINTR)
        ;
}

/* The rate limit: at least o->delay seconds from one request's start to
 * the next's. */
static void pace(fx_http *h)
{
    if (h->any)
        sleep_s(h->o->delay - since_s(&h->last));
    clock_gettime(CLOCK_MONOTONIC, &h->last);
    h->any = 1;
}

/* Is this the mu-search envelope?  Returns NULL or what is wrong. */
static const char *envelope_problem(json_t *page)
{
    json_t *count = json_object_get(page, "count");
    json_t *data = json_object_get(page, "data");
    size_t i;
    json_t *it;

    if (!json_is_object(page))
        return "not a search page (JSON, but no object)";
    if (!json_is_integer(count) || json_integer_value(count) < 0)
        return "not a search page (no integer 'count')";
    if (!json_is_array(data))
        return "not a search page (no array 'data')";
    json_array_foreach(data, i, it) {
        if (!json_is_object(it) || !json_is_string(json_object_get(it, "id")))
            return "not a search page (a 'data' item without a string 'id')";
    }
    return NULL;
}

/* One attempt.  *retry says whether a failure is worth another one;
 * *why (static or in why_buf) what went wrong. */
static fx_status attempt(fx_http *h, const char *url, json_t **page,
                         int *retry, const char **why, char *why_buf,
                         size_t why_len)
{
    fx_body b = { 0 };
    long code = 0;
    json_error_t je;
    CURLcode cc;
    fx_status st = FX_BAD_REPLY;

    *retry = 0;
    pace(h);
    h->res->requests++;
    curl_easy_setopt(h->curl, CURLOPT_URL, url);
    curl_easy_setopt(h->curl, CURLOPT_WRITEDATA, &b);
    cc = curl_easy_perform(h->curl);
    curl_easy_getinfo(h->curl, CURLINFO_RESPONSE_CODE, &code);
    if (cc != CURLE_OK) {
        *retry = cc != CURLE_URL_MALFORMAT && cc != CURLE_UNSUPPORTED_PROTOCOL &&
                 cc != CURLE_WRITE_ERROR;
        st = cc == CURLE_WRITE_ERROR ? FX_NOMEM : FX_NET;
        *why = curl_easy_strerror(cc);
    } else if (code != 200) {
        *retry = code >= 500 || code == 429;
        st = *retry ? FX_NET : FX_BAD_REPLY;
        snprintf(why_buf, why_len, "HTTP status %ld", code);
        *why = why_buf;
    } else if (!(*page = json_loadb(b.ptr ? b.ptr : "", b.len, JSON_ALLOW_NUL, &je))) {
        *retry = je.position >= (int)b.len;     /* the body ends too early */
        st = *retry ? FX_NET : FX_BAD_REPLY;
        snprintf(why_buf, why_len, "%s (%s at byte %d of %zu)",
                 *retry ? "truncated body" : "not JSON", je.text, je.position, b.len);
        *why = why_buf;
    } else if ((*why = envelope_problem(*page)) != NULL) {
        json_decref(*page);
        *page = NULL;
    } else {
        st = FX_OK;
    }
    free(b.ptr);
    return st;
}

fx_status fx_http_page(fx_http *h, const char *url, json_t **page,
                       char **errmsg)
{
    double wait = h->o->backoff;
    char why_buf[512], what[640];
    const char *why = "";
    int retry = 1;
    fx_status st = FX_NET;

    *page = NULL;
    *errmsg = NULL;
    for (int n = 0; retry && n <= h->o->retries; n++) {
        if (n > 0) {
            h->res->retried++;
            sleep_s(wait);
            wait = wait * 2 > 60 ? 60 : wait * 2;
        }
        st = attempt(h, url, page, &retry, &why, why_buf, sizeof why_buf);
        if (st == FX_OK)
            return FX_OK;
    }
    if (retry)
        snprintf(what, sizeof what, "%s; gave up after %d attempts", why,
                 h->o->retries + 1);
    else
        snprintf(what, sizeof what, "%s", why);
    *errmsg = fx_msg(url, what);
    return st;
}
