/*
 * akk-treceval.c -- print the measures of bench/metrics.h for a TREC run.
 *
 * Owns: the command line and the output format, which follows trec_eval
 * ("measure<TAB>qid<TAB>value", qid "all" for the means) so the two can be
 * diffed. Never: computes a measure itself (that is metrics.c).
 */
#include "metrics.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: akk-treceval [-q] QRELS RUN\n"
    "\n"
    "Evaluate a TREC run (qid Q0 docno rank score tag) against TREC qrels\n"
    "(qid iter docno rel): R@10, R@50, R@100, R@1000, nDCG@10 (binary gain)\n"
    "and MAP, averaged over the judged queries (those with a relevant\n"
    "document); a judged query missing from the run counts 0. The run is\n"
    "read in rank order and cut at 1000. RUN may be '-' for stdin.\n"
    "\n"
    "options:\n"
    "  -q          also print one line per judged query and measure\n"
    "  -h, --help  show this help and exit\n"
    "\n"
    "exit status: 0 evaluated; 1 unreadable or malformed input; 2 usage "
    "error.\n";

typedef struct opts {
    int per_query;
    const char *qrels;
    const char *run;
} opts;

/* Returns 0 and fills o, 1 for --help, -1 for a usage error. */
static int parse_args(int argc, char **argv, opts *o)
{
    int npos = 0;
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help"))
            return 1;
        if (!strcmp(a, "-q"))
            o->per_query = 1;
        else if (a[0] == '-' && a[1] != '\0')
            return -1;
        else if (npos == 0)
            o->qrels = a, npos++;
        else if (npos == 1)
            o->run = a, npos++;
        else
            return -1;
    }
    return npos == 2 ? 0 : -1;
}

static void print_query(const bm_query_eval *q)
{
    printf("%-22s\t%s\t%zu\n", "num_ret", q->qid, q->nret);
    printf("%-22s\t%s\t%zu\n", "num_rel", q->qid, q->nrel);
    printf("%-22s\t%s\t%zu\n", "num_rel_ret", q->qid, q->relret);
    for (int m = 0; m < BM_NMETRICS; m++)
        printf("%-22s\t%s\t%.4f\n", bm_metric_name((bm_metric)m), q->qid,
               q->v[m]);
}

static void print_eval(const bm_eval *e, int per_query)
{
    if (per_query)
        for (size_t i = 0; i < e->n; i++)
            print_query(&e->q[i]);
    printf("%-22s\tall\t%zu\n", "num_q", e->n);
    printf("%-22s\tall\t%zu\n", "num_ret", e->nret);
    printf("%-22s\tall\t%zu\n", "num_rel", e->nrel);
    printf("%-22s\tall\t%zu\n", "num_rel_ret", e->relret);
    for (int m = 0; m < BM_NMETRICS; m++)
        printf("%-22s\tall\t%.4f\n", bm_metric_name((bm_metric)m),
               e->mean[m]);
}

/* Load both files, evaluate, print. */
static bm_status run(const opts *o, bm_error *err)
{
    bm_qrels *q = NULL;
    bm_run *r = NULL;
    bm_eval *e = NULL;
    bm_status st;

    if ((st = bm_qrels_load(o->qrels, &q, err)))
        goto done;
    if ((st = bm_run_load(o->run, &r, err)))
        goto done;
    if ((st = bm_eval_compute(q, r, &e, err)))
        goto done;
    print_eval(e, o->per_query);
done:
    bm_eval_free(e);
    bm_run_free(r);
    bm_qrels_free(q);
    return st;
}

int main(int argc, char **argv)
{
    opts o;
    bm_error err = {0};
    int a = parse_args(argc, argv, &o);

    if (a == 1) {
        fputs(usage_text, stdout);
        return fclose(stdout) ? 1 : 0;
    }
    if (a < 0) {
        fputs(usage_text, stderr);
        return 2;
    }
    bm_status st = run(&o, &err);
    if (st) {
        fprintf(stderr, "akk-treceval: %s\n",
                err.msg ? err.msg : bm_status_str(st));
        bm_error_release(&err);
        return 1;
    }
    if (fclose(stdout)) {
        fprintf(stderr, "akk-treceval: cannot write the output\n");
        return 1;
    }
    return 0;
}
