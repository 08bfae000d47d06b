/*
 * fx_fetch.c -- the fetch loop: windows oldest first, each paged from 0 to
 * ceil(count / size) - 1, checked, then appended to the output file.
 *
 * Owns: the count rule -- a window counts only when every page reported
 * the same `count`, each page held exactly the items that count implies
 * and the window's distinct ids are exactly `count`; otherwise the whole
 * window is fetched again (up to o->retries times, then FX_INCONSISTENT).
 * And the append rule: the file is cut back to the end of its last
 * complete line, items whose id it holds are not written again, and a
 * window is written, flushed and fsync'ed as a whole.
 * Never: requests a page past ceil(count / size) - 1 or follows `links`.
 */
#include "fx-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* One pass over the pages of w.  Returns FX_OK with *items (caller frees)
 * and *consistent; *consistent = 0 names the reason in why. */
static fx_status window_pass(fx_http *h, fx_window w, json_t **items,
                             int *consistent, char *why, size_t why_len,
                             char **errmsg)
{
    const fx_opts *o = h->o;
    json_t *seen = json_object();
    json_int_t count0 = -1;
    size_t pages = 1;
    fx_status st = FX_OK;

    *items = json_array();
    *consistent = 1;
    if (!seen || !*items)
        st = FX_NOMEM;
    for (size_t p = 0; st == FX_OK && *consistent && p < pages; p++) {
        char *url = fx_url(o->base_url, w, o->page_size, p);
        json_t *page = NULL, *data, *it;
        json_int_t count;
        size_t i;

        st = url ? fx_http_page(h, url, &page, errmsg) : FX_NOMEM;
        if (st != FX_OK) {
            free(url);
            break;
        }
        count = json_integer_value(json_object_get(page, "count"));
        data = json_object_get(page, "data");
        if (p == 0) {
            count0 = count;
            pages = fx_pages((size_t)count, o->page_size);
            if (count > FX_MAX_WINDOW) {
                snprintf(why, why_len, "%lld items, more than the %d the API "
                         "pages through", (long long)count, FX_MAX_WINDOW);
                *errmsg = fx_msg(url, why);
                st = FX_INCONSISTENT;
            }
        } else if (count != count0) {
            snprintf(why, why_len, "count changed from %lld to %lld at page %zu",
                     (long long)count0, (long long)count, p);
            *consistent = 0;
        }
        if (st == FX_OK && *consistent &&
            json_array_size(data) != fx_page_items((size_t)count0, o->page_size, p)) {
            snprintf(why, why_len, "page %zu held %zu items, count %lld implies %zu",
                     p, json_array_size(data), (long long)count0,
                     fx_page_items((size_t)count0, o->page_size, p));
            *consistent = 0;
        }
        json_array_foreach(data, i, it) {
            const char *id = json_string_value(json_object_get(it, "id"));

            if (st != FX_OK || !*consistent || json_object_get(seen, id))
                continue;
            if (json_object_set_new(seen, id, json_true()) ||
                json_array_append(*items, it))
                st = FX_NOMEM;
        }
        if (o->progress)
            o->progress(o->progress_ctx, w, p, pages, json_array_size(*items));
        json_decref(page);
        free(url);
    }
    if (st == FX_OK && *consistent && json_object_size(seen) != (size_t)count0) {
        snprintf(why, why_len, "%zu distinct ids, count says %lld",
                 json_object_size(seen), (long long)count0);
        *consistent = 0;
    }
    json_decref(seen);
    if (st != FX_OK) {
        json_decref(*items);
        *items = NULL;
    }
    return st;
}

/* A checked window in *items, refetched while it is inconsistent. */
static fx_status window_fetch(fx_http *h, fx_window w, json_t **items,
                              char **errmsg)
{
    char why[256] = "", head[64], from[11], to[11];
    int consistent = 0;
    fx_status st = FX_OK;

    for (int n = 0; st == FX_OK && !consistent && n <= h->o->retries; n++) {
        if (n > 0) {
            h->res->refetched++;
            json_decref(*items);
        }
        st = window_pass(h, w, items, &consistent, why, sizeof why, errmsg);
    }
    if (st != FX_OK || consistent)
        return st;
    json_decref(*items);
    *items = NULL;
    fx_date_fmt(w.from, from);
    fx_date_fmt(w.to, to);
    snprintf(head, sizeof head, "window %s..%s", from, to);
    snprintf(why + strlen(why), sizeof why - strlen(why),
             " (%d attempts); try again later", h->o->retries + 1);
    *errmsg = fx_msg(head, why);
    return FX_INCONSISTENT;
}

static fx_status io_error(const char *path, char **errmsg)
{
    *errmsg = fx_msg(path, strerror(errno));
    return *errmsg ? FX_IO : FX_NOMEM;
}

/* Append the items of a window that r does not hold yet; flush and sync. */
static fx_status window_append(FILE *out, const char *path, json_t *items,
                               fx_resume *r, fx_result *res, char **errmsg)
{
    size_t i;
    json_t *it;

    json_array_foreach(items, i, it) {
        const char *id = json_string_value(json_object_get(it, "id"));
        char *line;
        int ok;

        if (json_object_get(r->ids, id)) {
            res->skipped++;
            continue;
        }
        line = json_dumps(it, JSON_COMPACT | JSON_ENCODE_ANY);
        if (!line || json_object_set_new(r->ids, id, json_true())) {
            free(line);
            return FX_NOMEM;
        }
        ok = fputs(line, out) >= 0 && fputc('\n', out) != EOF;
        free(line);
        if (!ok)
            return io_error(path, errmsg);
        res->added++;
    }
    if (fflush(out) != 0 || fsync(fileno(out)) != 0)
        return io_error(path, errmsg);
    return FX_OK;
}

/* The output, cut back to r->keep (a partial last line) and opened to
 * append. */
static fx_status open_output(const char *path, const fx_resume *r, FILE **out,
                             char **errmsg)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644);
    off_t end;

    *out = NULL;
    if (fd < 0)
        return io_error(path, errmsg);
    end = lseek(fd, 0, SEEK_END);
    if (end < 0 || ((size_t)end > r->keep && ftruncate(fd, (off_t)r->keep) != 0) ||
        !(*out = fdopen(fd, "a"))) {
        fx_status st = io_error(path, errmsg);

        close(fd);
        return st;
    }
    return FX_OK;
}

fx_status fx_fetch(const fx_opts *o, fx_resume *r, fx_result *res,
                   char **errmsg)
{
    size_t n = 0;
    fx_window *w = fx_windows(o->since, o->until, &n);
    FILE *out = NULL;
    fx_http h;
    fx_status st;

    memset(res, 0, sizeof *res);
    *errmsg = NULL;
    if (!w && n)
        return FX_NOMEM;
    st = fx_http_init(&h, o, res);
    if (st == FX_OK)
        st = open_output(o->output, r, &out, errmsg);
    for (size_t i = 0; st == FX_OK && i < n; i++) {
        json_t *items = NULL;

        st = window_fetch(&h, w[i], &items, errmsg);
        if (st == FX_OK)
            st = window_append(out, o->output, items, r, res, errmsg);
        json_decref(items);
        res->windows += st == FX_OK;
    }
    if (out && fclose(out) != 0 && st == FX_OK)
        st = io_error(o->output, errmsg);
    fx_http_release(&h);
    free(w);
    return st;
}
