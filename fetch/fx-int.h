/*
 * fx-int.h -- private to fetch/: one HTTP client with retries and a rate
 * limit, shared by the fetch loop (fx_fetch.c) and implemented in fx_http.c.
 */
#ifndef FX_INT_H
#define FX_INT_H

#include "fx.h"

#include <curl/curl.h>
#include <jansson.h>
#include <time.h>

typedef struct fx_http {
    CURL *curl;
    const fx_opts *o;
    fx_result *res;         /* counts requests and retries                  */
    struct timespec last;   /* start of the previous request (monotonic)    */
    int any;                /* a request was made                           */
} fx_http;

/* Embedded: init/release.  Returns FX_OK or FX_NOMEM. */
fx_status fx_http_init(fx_http *h, const fx_opts *o, fx_result *res);
void fx_http_release(fx_http *h);

/* GET url and return the search page in *page (caller json_decrefs): an
 * object with an integer `count` >= 0 and an array `data` of objects with a
 * string `id`.  A 5xx or 429, a timeout, a transport error or a body cut
 * short is tried again up to o->retries times, after o->backoff seconds,
 * doubling (at most 60 s); then FX_NET.  Another HTTP status, a body that
 * is not JSON or not that envelope is FX_BAD_REPLY at once.  Messages are
 * "URL: what" (malloc'd, caller frees). */
fx_status fx_http_page(fx_http *h, const char *url, json_t **page,
                       char **errmsg);

/* A malloc'd "PREFIX: what" (or NULL when out of memory). */
char *fx_msg(const char *prefix, const char *what);

#endif /* FX_INT_H */
