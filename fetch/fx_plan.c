/*
 * fx_plan.c -- the fetch plan: calendar dates, half-open monthly windows
 * and the pages of a window, computed from `count` by the client.
 *
 * Owns: date parsing and month stepping (proleptic Gregorian), windows,
 * page arithmetic, fx_status_str.  Never: does I/O.
 */
#include "fx.h"
#include "../corpus/cp.h"

#include <stdio.h>
#include <stdlib.h>

const char *fx_status_str(fx_status s)
{
    switch (s) {
    case FX_OK:           return "ok";
    case FX_BAD_INPUT:    return "bad input";
    case FX_BAD_REPLY:    return "bad response";
    case FX_NET:          return "network";
    case FX_INCONSISTENT: return "inconsistent count";
    case FX_IO:           return "i/o error";
    case FX_NOMEM:        return "out of memory";
    }
    return "unknown status";
}

int fx_date_parse(const char *s, size_t len, fx_date *out)
{
    fx_date d;

    if (!cp_date_valid(s, len))
        return -1;
    cp_digits(s, 4, &d.y);          /* valid: all digits */
    cp_digits(s + 5, 2, &d.m);
    cp_digits(s + 8, 2, &d.d);
    *out = d;
    return 0;
}

void fx_date_fmt(fx_date d, char *buf)
{
    snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u,
             (unsigned)d.m % 100u, (unsigned)d.d % 100u);
}

int fx_date_cmp(fx_date a, fx_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    return a.d < b.d ? -1 : a.d > b.d;
}

fx_date fx_date_next_month(fx_date d)
{
    fx_date n = { d.m == 12 ? d.y + 1 : d.y, d.m == 12 ? 1 : d.m + 1, 1 };

    return n;
}

fx_window *fx_windows(fx_date since, fx_date until, size_t *n)
{
    size_t cap = 0;
    fx_window *w;

    *n = 0;
    for (fx_date d = since; fx_date_cmp(d, until) < 0; d = fx_date_next_month(d))
        cap++;
    if (cap == 0)
        return NULL;
    w = malloc(cap * sizeof *w);
    if (!w) {
        *n = 1;
        return NULL;
    }
    for (fx_date d = since; fx_date_cmp(d, until) < 0; d = fx_date_next_month(d)) {
        fx_date next = fx_date_next_month(d);

        w[*n].from = d;
        w[*n].to = fx_date_cmp(next, until) < 0 ? next : until;
        (*n)++;
    }
    return w;
}

size_t fx_pages(size_t count, size_t size)
{
    return size ? count / size + (count % size != 0) : 0;
}

size_t fx_page_items(size_t count, size_t size, size_t page)
{
    if (!size || page >= fx_pages(count, size))
        return 0;
    return page + 1 < fx_pages(count, size) ? size : count - page * size;
}
