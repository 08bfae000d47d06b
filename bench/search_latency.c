/*
 * search_latency.c -- in-process latency of ad-hoc searches.
 *
 * Owns: timing qy_search (query parsing, matching, loading the top 10
 * results and their snippets: everything `akkoord-query search` does but
 * process start-up and printing) for each query of a file, repeated, and
 * printing median, p95 and mean per query.
 * Never: part of akkoord itself; a benchmark under bench/.
 *
 *   search_latency DB QUERIES [ROUNDS]
 */
#include "../query/qy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_QUERIES 1000

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Read non-comment lines of path into q (malloc'd); returns the count. */
static size_t read_queries(const char *path, char **q)
{
    FILE *f = fopen(path, "r");
    char line[1024];
    size_t n = 0;
    while (f && n < MAX_QUERIES && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] && line[0] != '#')
            q[n++] = strdup(line);
    }
    if (f)
        fclose(f);
    return n;
}

/* Time one search; -1 on error. */
static double time_query(const ix_snapshot *s, const char *q)
{
    /* as a user's text search: exact counts (always), one result per
     * dossier, and the year and dossier facets */
    qy_search_opts o = {.query = q, .limit = 10, .collapse = 1,
                        .facets = 1u << QY_FACET_YEAR | 1u << QY_FACET_DOSSIER};
    qy_hits *h = NULL;
    xs_err err = {0};
    double t0 = now();
    xs_status st = qy_search(s, &o, &h, &err);
    double t = now() - t0;
    if (st)
        fprintf(stderr, "search_latency: '%s': %s\n", q, err.msg);
    qy_hits_free(h);
    xs_err_clear(&err);
    return st ? -1 : t;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fputs("usage: search_latency DB QUERIES [ROUNDS]\n", stderr);
        return 2;
    }
    char *q[MAX_QUERIES];
    size_t n = read_queries(argv[2], q);
    int rounds = argc > 3 ? atoi(argv[3]) : 20;
    ix_snapshot *s = NULL;
    xs_err err = {0};
    if (!n || rounds < 1 || ix_snapshot_open(argv[1], &s, &err)) {
        fprintf(stderr, "search_latency: %s\n", err.msg ? err.msg : "no queries");
        return 1;
    }
    double *t = calloc(n * (size_t)rounds, sizeof *t), sum = 0;
    size_t k = 0;
    for (int r = 0; r < rounds; r++)       /* round 0 warms the caches */
        for (size_t i = 0; i < n; i++) {
            double x = time_query(s, q[i]);
            if (x < 0)
                return 1;
            if (r > 0) {
                t[k++] = x;
                sum += x;
            }
        }
    qsort(t, k, sizeof *t, cmp_double);
    printf("search: %zu queries x %d rounds: median %.3f ms, p95 %.3f ms, "
           "mean %.3f ms\n", n, rounds - 1, t[k / 2] * 1e3,
           t[(size_t)(k * 0.95)] * 1e3, sum / (double)k * 1e3);
    free(t);
    for (size_t i = 0; i < n; i++)
        free(q[i]);
    ix_snapshot_close(s);
    return 0;
}
