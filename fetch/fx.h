/*
 * fx.h -- akkoord-fetch: decisions from the search API of
 * beslissingenvlaamseregering.vlaanderen.be into JSON Lines.
 *
 * Owns: the plan (half-open monthly windows, pages computed from `count`),
 * the request URLs, the resume point of an existing output file and the
 * fetch loop.  Never: prints (main.c does, through fx_opts.progress), exits,
 * or follows the `links` of a response (mu-search duplicates the page
 * parameters of URL-encoded requests there).  The API is mu-search's
 * JSON:API search (`GET /news-items/search`, envelope `count`, `data`,
 * `links`; ../shared/fixtures/valvas/README.md).
 *
 * Request (one per page, every key and value percent-encoded, RFC 3986):
 *   | parameter                     | value                               |
 *   |-------------------------------|-------------------------------------|
 *   | filter[:gte,lt:meetingDate]   | FROM,TO  (YYYY-MM-DD, half-open)     |
 *   | sort[meetingDate]             | asc                                 |
 *   | sort[meetingTypePosition]     | asc                                 |
 *   | sort[agendaitemType]          | desc                                |
 *   | sort[position]                | asc                                 |
 *   | page[size]                    | S                                   |
 *   | page[number]                  | N  (0-based)                        |
 * Ties of that order are not guaranteed stable by the server; the client
 * does not depend on it: a window counts only when its distinct ids are
 * exactly `count` (fx_window_check), else the window is fetched again.
 */
#ifndef FX_H
#define FX_H

#include <stddef.h>

typedef enum fx_status {
    FX_OK = 0,
    FX_BAD_INPUT,   /* the existing output file is damaged              */
    FX_BAD_REPLY,   /* a response is no search page (not JSON, envelope)  */
    FX_NET,         /* retries used up (5xx, timeout, truncated body)     */
    FX_INCONSISTENT,/* a window's count kept changing while paged         */
    FX_IO,          /* the output file cannot be read or written          */
    FX_NOMEM
} fx_status;

const char *fx_status_str(fx_status s);

/* The Elasticsearch result window: page x size never passes it. */
enum { FX_MAX_WINDOW = 10000 };

/* A calendar date. */
typedef struct fx_date {
    int y, m, d;
} fx_date;

/* Parse "YYYY-MM-DD" (a real calendar date, years 1800-2999: cp_date_valid) from the first
 * len bytes of s.  Returns 0 on success, -1 otherwise. */
int fx_date_parse(const char *s, size_t len, fx_date *out);
/* Format as "YYYY-MM-DD" into buf (at least 11 bytes). */
void fx_date_fmt(fx_date d, char *buf);
/* <0, 0, >0 as a is before, equal to, after b. */
int fx_date_cmp(fx_date a, fx_date b);
/* The first day of the month after d's month. */
fx_date fx_date_next_month(fx_date d);

/* A half-open window [from, to). */
typedef struct fx_window {
    fx_date from, to;
} fx_window;

/* The monthly windows covering [since, until): the first starts at since,
 * every later one on the first of a month, the last ends at until.  Returns
 * a malloc'd array (caller frees) and its length in *n; NULL with *n = 0
 * when since >= until, NULL with *n = 1 when out of memory. */
fx_window *fx_windows(fx_date since, fx_date until, size_t *n);

/* Pages of a window of count items at size per page: ceil(count/size). */
size_t fx_pages(size_t count, size_t size);
/* Items page `page` (0-based) must hold: size, the rest on the last page,
 * 0 past the end. */
size_t fx_page_items(size_t count, size_t size, size_t page);

/* The URL of page `page` of window w: base (no trailing slash needed)
 * + "/news-items/search?" + the parameters above, percent-encoded with
 * libcurl.  Returns a malloc'd string (caller frees) or NULL when out of
 * memory. */
char *fx_url(const char *base, fx_window w, size_t size, size_t page);

/* What an existing output file says. */
typedef struct fx_resume {
    size_t keep;    /* bytes up to the end of the last complete line     */
    size_t lines;   /* complete item lines                               */
    int has_date;   /* 1 when some item has a meetingDate                  */
    fx_date last;   /* the latest meetingDate (its date part)              */
    void *ids;      /* json_t object used as a set of the item ids        */
} fx_resume;

/* Read the output file path: each complete line must be one search-API
 * item ({"type", "id", "attributes"}) whose id is new.  A missing file is
 * an empty resume.  A last line without its LF (a killed run) is not
 * counted: keep stops before it.  Returns FX_OK, FX_IO or FX_NOMEM, or
 * FX_BAD_INPUT with *errmsg "FILE:LINE: what" (malloc'd, caller frees). */
fx_status fx_resume_load(const char *path, fx_resume *r, char **errmsg);
void fx_resume_release(fx_resume *r);
/* Where a re-run starts by default: the first day of the month of r->last
 * (the month a kill may have left half-written), or dflt without dates. */
fx_date fx_resume_since(const fx_resume *r, fx_date dflt);

/* Options of one fetch (see docs/akkoord-fetch.1). */
typedef struct fx_opts {
    const char *base_url;
    const char *output;
    fx_date since, until;
    size_t page_size;       /* 1..FX_MAX_WINDOW                           */
    double delay;           /* seconds between two requests (rate limit)   */
    double timeout;         /* seconds a request may take                   */
    int retries;            /* further attempts after a failed request     */
    double backoff;         /* seconds before the first retry, doubled     */
    /* Called after each page; may be NULL. */
    void (*progress)(void *ctx, fx_window w, size_t page, size_t pages,
                     size_t items);
    void *progress_ctx;
} fx_opts;

typedef struct fx_result {
    size_t requests;    /* HTTP requests made                             */
    size_t retried;     /* of which failed and were tried again           */
    size_t refetched;   /* windows fetched again (count changed)          */
    size_t added;       /* items appended                                 */
    size_t skipped;     /* items already in the file (resume)             */
    size_t windows;
} fx_result;

/* Fetch [o->since, o->until) into o->output, resuming as fx_resume_load
 * reads it (the partial last line is cut, items already there are not
 * written again; r->ids grows).  Items are appended one whole window at a time, after
 * the window checked out.  On failure *errmsg is a malloc'd message
 * naming the URL or file (caller frees) and the file holds every window
 * completed before. */
fx_status fx_fetch(const fx_opts *o, fx_resume *r, fx_result *res,
                   char **errmsg);

#endif /* FX_H */
