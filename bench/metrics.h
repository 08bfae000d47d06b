/*
 * metrics.h -- TREC effectiveness measures for akkoord rankings.
 *
 * Owns: reading TREC qrels and runs, and per-query and macro-averaged
 * R@10, R@50, R@100, R@1000, nDCG@10 and MAP over the judged queries.
 * Never: prints, exits, or touches an index.
 * Implements the trec_eval definitions (recall_k, ndcg_cut_10, map) with
 * binary gain, as documented in docs/ranking.md.
 *
 *   file   fields (separated by spaces or tabs; blank lines skipped)
 *   -----  --------------------------------------------------------------
 *   qrels  qid iter docno rel     rel an integer; rel > 0 is relevant;
 *                                 iter is ignored
 *   run    qid Q0 docno rank score tag
 *                                 rank an integer, score a number; each
 *                                 query is read in ascending rank order
 *                                 (equal ranks keep file order) and cut
 *                                 after BM_RUN_CUT documents
 *
 *   measure   trec_eval name  definition (R = #relevant of the query)
 *   --------  --------------  -----------------------------------------
 *   R@k       recall_k        relevant in the top k / R
 *   nDCG@10   ndcg_cut_10     sum over relevant at rank i <= 10 of
 *                             1/log2(i+1), divided by the same sum over
 *                             ranks 1..min(10, R)
 *   MAP       map             mean AP; AP = sum over relevant at rank i
 *                             of (relevant in top i)/i, divided by R
 *
 * Judged queries are those with at least one relevant document; only they
 * are averaged, and a judged query absent from the run scores 0 (like
 * trec_eval -c). Run queries without judgments are ignored.
 */
#ifndef AKKOORD_BENCH_METRICS_H
#define AKKOORD_BENCH_METRICS_H

#include <stddef.h>
#include <stdio.h>

#define BM_RUN_CUT 1000

typedef enum bm_status {
    BM_OK = 0,
    BM_NOMEM,  /* out of memory */
    BM_IO,     /* a file could not be opened or read */
    BM_FORMAT  /* a line is malformed or repeats a document */
} bm_status;

/* Caller-provided error: bm_* functions set status and a heap message
 * "FILE:LINE: what" (or "FILE: what"). Zero-initialise it; release with
 * bm_error_release, which accepts a zeroed or already released error. */
typedef struct bm_error {
    bm_status status;
    char *msg;
} bm_error;

void bm_error_release(bm_error *err);

/* Returns a static English description of status. */
const char *bm_status_str(bm_status status);

typedef enum bm_metric {
    BM_R10, BM_R50, BM_R100, BM_R1000, BM_NDCG10, BM_MAP, BM_NMETRICS
} bm_metric;

/* Returns the trec_eval name ("recall_10"), or the short label ("R@10");
 * static strings; NULL when m is out of range. */
const char *bm_metric_name(bm_metric m);
const char *bm_metric_label(bm_metric m);

typedef struct bm_qrels bm_qrels;
typedef struct bm_run bm_run;

/* Read qrels (or a run) from f, naming it name in messages. On success
 * *out is a new object the caller frees with bm_qrels_free (bm_run_free);
 * on failure *out is NULL and err says which line and why. f is neither
 * closed nor rewound. */
bm_status bm_qrels_read(FILE *f, const char *name, bm_qrels **out,
                        bm_error *err);
bm_status bm_run_read(FILE *f, const char *name, bm_run **out,
                      bm_error *err);

/* Same, opening and closing path ("-" is stdin for the run). */
bm_status bm_qrels_load(const char *path, bm_qrels **out, bm_error *err);
bm_status bm_run_load(const char *path, bm_run **out, bm_error *err);

void bm_qrels_free(bm_qrels *q);
void bm_run_free(bm_run *r);

typedef struct bm_query_eval {
    char *qid;        /* owned by the bm_eval */
    size_t nrel;      /* relevant in the qrels (>= 1) */
    size_t nret;      /* retrieved, after the cut */
    size_t relret;    /* relevant among the retrieved */
    double v[BM_NMETRICS];
} bm_query_eval;

typedef struct bm_eval {
    size_t n;                /* judged queries, sorted by qid (strcmp) */
    bm_query_eval *q;
    size_t nrel, nret, relret;  /* sums over the judged queries */
    double mean[BM_NMETRICS];   /* macro averages; 0 when n == 0 */
} bm_eval;

/* Evaluate run against qrels. On success *out is a new bm_eval the caller
 * frees with bm_eval_free; it borrows nothing from qrels or run. Fails
 * only with BM_NOMEM. */
bm_status bm_eval_compute(const bm_qrels *qrels, const bm_run *run,
                          bm_eval **out, bm_error *err);

void bm_eval_free(bm_eval *e);

#endif
