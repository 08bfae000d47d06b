/*
 * main.c -- akkoord-fetch: decisions from the official search API into a
 * JSON Lines file of raw items.
 *
 * Owns: the command line, the defaults of --since and --until, the
 * progress line (stderr, only on a terminal), the summary, mapping a
 * status to an exit code.  Never: does the work itself (fx_fetch does).
 */
#include "fx.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BASE "https://beslissingenvlaamseregering.vlaanderen.be"

static void usage(FILE *f)
{
    fputs(
        "usage: akkoord-fetch [--base-url URL] [--since DATE] [--until DATE]\n"
        "                     [options] -o FILE\n"
        "\n"
        "Download decisions from the search API (GET /news-items/search) into\n"
        "FILE, one raw search item (a data[] element) per line.  Dates are\n"
        "meeting dates, YYYY-MM-DD; [since, until) is fetched in monthly\n"
        "windows, oldest first.  A re-run continues where the last one stopped\n"
        "and never writes an item whose id FILE already holds.\n"
        "\n"
        "options:\n"
        "  -o, --output FILE     the JSON Lines file to append to (required)\n"
        "  --base-url URL        the server (default " DEFAULT_BASE ")\n"
        "  --since DATE          first meeting date (default: the first of the\n"
        "                        month of the latest meetingDate in FILE, else\n"
        "                        2019-10-01)\n"
        "  --until DATE          first meeting date not fetched (default: the\n"
        "                        first of next month, UTC)\n"
        "  --page-size N         items per page, 1-10000 (default 100)\n"
        "  --delay SECONDS       at least this long between two requests\n"
        "                        (default 1)\n"
        "  --timeout SECONDS     a request taking longer fails (default 60)\n"
        "  --retries N           further attempts of a failed request or an\n"
        "                        inconsistent window (default 5)\n"
        "  --backoff SECONDS     wait before the first retry, doubled each\n"
        "                        time up to 60 (default 2)\n"
        "  -q, --quiet           no summary line\n"
        "  -h, --help            this help\n"
        "\n"
        "exit status: 0 done, 1 a network, response, data or file error (FILE\n"
        "keeps every window completed), 2 usage error\n", f);
}

/* Parse a number in [lo, hi]; returns -1 when it is not one. */
static int num_arg(const char *s, double lo, double hi, double *out)
{
    char *end;
    double v = strtod(s, &end);

    if (end == s || *end || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

static int date_arg(const char *s, fx_date *d)
{
    return fx_date_parse(s, strlen(s), d);
}

static void progress(void *ctx, fx_window w, size_t page, size_t pages,
                     size_t items)
{
    char from[11], to[11];

    (void)ctx;
    fx_date_fmt(w.from, from);
    fx_date_fmt(w.to, to);
    fprintf(stderr, "\rakkoord-fetch: %s..%s page %zu/%zu, %zu items   ",
            from, to, page + 1, pages ? pages : 1, items);
}

static fx_date first_of_next_month(void)
{
    time_t now = time(NULL);
    struct tm tm;
    fx_date d;

    gmtime_r(&now, &tm);
    d.y = tm.tm_year + 1900;
    d.m = tm.tm_mon + 1;
    d.d = 1;
    return fx_date_next_month(d);
}

enum { OPT_BASE = 256, OPT_SINCE, OPT_UNTIL, OPT_PAGE, OPT_DELAY,
       OPT_TIMEOUT, OPT_RETRIES, OPT_BACKOFF };

typedef struct cli {
    fx_opts o;
    int quiet, has_since, has_until;
} cli;

/* Returns 0, or 2 after printing a usage error. */
static int parse(int argc, char **argv, cli *c)
{
    static const struct option opts[] = {
        { "output", required_argument, 0, 'o' },
        { "base-url", required_argument, 0, OPT_BASE },
        { "since", required_argument, 0, OPT_SINCE },
        { "until", required_argument, 0, OPT_UNTIL },
        { "page-size", required_argument, 0, OPT_PAGE },
        { "delay", required_argument, 0, OPT_DELAY },
        { "timeout", required_argument, 0, OPT_TIMEOUT },
        { "retries", required_argument, 0, OPT_RETRIES },
        { "backoff", required_argument, 0, OPT_BACKOFF },
        { "quiet", no_argument, 0, 'q' },
        { "help", no_argument, 0, 'h' },
        { 0, 0, 0, 0 }
    };
    double v;
    int ch, bad = 0;

    while (!bad && (ch = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        switch (ch) {
        case 'o': c->o.output = optarg; break;
        case 'q': c->quiet = 1; break;
        case 'h': usage(stdout); exit(fclose(stdout) == 0 ? 0 : 1);
        case OPT_BASE: c->o.base_url = optarg; break;
        case OPT_SINCE: bad = date_arg(optarg, &c->o.since); c->has_since = 1; break;
        case OPT_UNTIL: bad = date_arg(optarg, &c->o.until); c->has_until = 1; break;
        case OPT_PAGE:
            bad = num_arg(optarg, 1, FX_MAX_WINDOW, &v) || v != (size_t)v;
            c->o.page_size = (size_t)v;
            break;
        case OPT_DELAY: bad = num_arg(optarg, 0, 3600, &c->o.delay); break;
        case OPT_TIMEOUT: bad = num_arg(optarg, 0.001, 86400, &c->o.timeout); break;
        case OPT_RETRIES:
            bad = num_arg(optarg, 0, 100, &v) || v != (int)v;
            c->o.retries = (int)v;
            break;
        case OPT_BACKOFF: bad = num_arg(optarg, 0, 3600, &c->o.backoff); break;
        default: usage(stderr); return 2;
        }
        if (bad)
            fprintf(stderr, "akkoord-fetch: bad value '%s' for %s\n", optarg,
                    argv[optind - 1]);
    }
    if (!bad && (!c->o.output || optind < argc)) {
        fprintf(stderr, "akkoord-fetch: %s\n", c->o.output ?
                "unexpected argument" : "-o FILE is required");
        bad = 1;
    }
    if (!bad && c->has_since && c->has_until &&
        fx_date_cmp(c->o.since, c->o.until) >= 0) {
        fprintf(stderr, "akkoord-fetch: --since must come before --until\n");
        bad = 1;
    }
    return bad ? 2 : 0;
}

static int run(cli *c)
{
    static const fx_date term_start = { 2019, 10, 1 };
    fx_resume r;
    fx_result res;
    char *err = NULL;
    fx_status st = fx_resume_load(c->o.output, &r, &err);

    if (st == FX_OK) {
        if (!c->has_since)
            c->o.since = fx_resume_since(&r, term_start);
        if (!c->has_until)
            c->o.until = first_of_next_month();
        if (isatty(STDERR_FILENO))
            c->o.progress = progress;
        st = fx_fetch(&c->o, &r, &res, &err);
        if (c->o.progress)
            fputc('\n', stderr);
    }
    if (st != FX_OK)
        fprintf(stderr, "akkoord-fetch: %s\n", err ? err : st == FX_IO ?
                c->o.output : fx_status_str(st));
    else if (!c->quiet)
        fprintf(stderr, "akkoord-fetch: %s: %zu items added, %zu already there; "
                "%zu windows, %zu requests, %zu retried, %zu windows refetched\n",
                c->o.output, res.added, res.skipped, res.windows, res.requests,
                res.retried, res.refetched);
    free(err);
    fx_resume_release(&r);
    return st == FX_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    cli c = { .o = { .base_url = DEFAULT_BASE, .page_size = 100, .delay = 1,
                     .timeout = 60, .retries = 5, .backoff = 2 } };
    int rc = parse(argc, argv, &c);

    if (rc)
        return rc;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) {
        fputs("akkoord-fetch: libcurl cannot start\n", stderr);
        return 1;
    }
    rc = run(&c);
    curl_global_cleanup();
    if (fclose(stdout) != 0 && rc == 0)
        rc = 1;
    return rc;
}
