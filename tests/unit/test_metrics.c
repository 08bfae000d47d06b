/*
 * test_metrics.c -- cmocka tests for the bench measures (bench/metrics.h).
 *
 * Owns: a hand-computed example (expected values worked out below), the
 * cut at 1000, rank order over file order, and every reader error.
 * Files are in-memory streams (fmemopen), so nothing touches the disk
 * except the missing-file case.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../bench/metrics.h"

#define EPS 1e-6

/* ------------------------------------------------------------ helpers */

static bm_qrels *qrels_from(const char *text, bm_error *err, bm_status *st)
{
    bm_qrels *q = NULL;
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    *st = bm_qrels_read(f, "qrels", &q, err);
    fclose(f);
    return q;
}

static bm_run *run_from(const char *text, bm_error *err, bm_status *st)
{
    bm_run *r = NULL;
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(f);
    *st = bm_run_read(f, "run", &r, err);
    fclose(f);
    return r;
}

static bm_eval *eval_of(const char *qtext, const char *rtext)
{
    bm_error err = {0};
    bm_status st;
    bm_eval *e = NULL;
    bm_qrels *q = qrels_from(qtext, &err, &st);
    assert_int_equal(st, BM_OK);
    bm_run *r = run_from(rtext, &err, &st);
    assert_int_equal(st, BM_OK);
    assert_int_equal(bm_eval_compute(q, r, &e, &err), BM_OK);
    bm_run_free(r);
    bm_qrels_free(q);
    return e;
}

static void assert_near(double got, double want)
{
    if (got < want - EPS || got > want + EPS)
        fail_msg("got %.9f, want %.9f", got, want);
}

/* ------------------------------------------------------------ example */

/*
 * q1: relevant d1 d3 d5 (d9 judged 0), R = 3; ranked d1 d2 d3 d9 (the
 *     file lists them out of order; the rank column decides).
 *     Relevant at ranks 1 and 3.
 *     R@10 = R@50 = R@100 = R@1000 = 2/3 = 0.666667
 *     DCG@10  = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5
 *     IDCG@10 = 1 + 1/log2(3) + 1/log2(4) = 1 + 0.630930 + 0.5 = 2.130930
 *     nDCG@10 = 1.5 / 2.130930 = 0.703918
 *     AP = (1/1 + 2/3) / 3 = 0.555556
 * q2: relevant d2, R = 1; ranked d8 d2: relevant at rank 2.
 *     R@k = 1; nDCG@10 = 1/log2(3) = 0.630930; AP = 1/2 = 0.5
 * q3: only a non-relevant judgment: not judged, not averaged.
 * q4: relevant d4 d6, absent from the run: every measure 0.
 * q9: in the run only: ignored.
 * Means over q1 q2 q4 (n = 3):
 *     R@k     = (0.666667 + 1 + 0) / 3 = 0.555556
 *     nDCG@10 = (0.703918 + 0.630930 + 0) / 3 = 0.444949
 *     MAP     = (0.555556 + 0.5 + 0) / 3 = 0.351852
 */
static const char ex_qrels[] =
    "q1 0 d1 1\n"
    "q1 0 d3 1\n"
    "q1\t0\td5\t1\n"
    "q1 0 d9 0\n"
    "\n"
    "q2 0 d2 1\n"
    "q3 0 d7 0\n"
    "q4 0 d4 1\n"
    "q4 0 d6 2\n";

static const char ex_run[] =
    "q1 Q0 d3 3 0.7 t\n"
    "q1 Q0 d1 1 0.9 t\n"
    "q1 Q0 d9 4 0.6 t\n"
    "q1 Q0 d2 2 0.8 t\n"
    "q2 Q0 d8 1 2 t\n"
    "q2 Q0 d2 2 1 t\n"
    "q3 Q0 d7 1 1 t\n"
    "q9 Q0 d1 1 1 t\n";

static void test_example_per_query(void **state)
{
    (void)state;
    bm_eval *e = eval_of(ex_qrels, ex_run);

    assert_int_equal(e->n, 3);
    assert_string_equal(e->q[0].qid, "q1");
    assert_string_equal(e->q[1].qid, "q2");
    assert_string_equal(e->q[2].qid, "q4");
    assert_int_equal(e->q[0].nrel, 3);
    assert_int_equal(e->q[0].nret, 4);
    assert_int_equal(e->q[0].relret, 2);
    for (int m = BM_R10; m <= BM_R1000; m++) {
        assert_near(e->q[0].v[m], 2.0 / 3.0);
        assert_near(e->q[1].v[m], 1.0);
        assert_near(e->q[2].v[m], 0.0);
    }
    assert_near(e->q[0].v[BM_NDCG10], 0.703918);
    assert_near(e->q[0].v[BM_MAP], 0.555556);
    assert_near(e->q[1].v[BM_NDCG10], 0.630930);
    assert_near(e->q[1].v[BM_MAP], 0.5);
    assert_near(e->q[2].v[BM_NDCG10], 0.0);
    assert_near(e->q[2].v[BM_MAP], 0.0);
    assert_int_equal(e->q[2].nret, 0);
    bm_eval_free(e);
}

static void test_example_means(void **state)
{
    (void)state;
    bm_eval *e = eval_of(ex_qrels, ex_run);

    assert_near(e->mean[BM_R10], 0.555556);
    assert_near(e->mean[BM_R1000], 0.555556);
    assert_near(e->mean[BM_NDCG10], 0.444949);
    assert_near(e->mean[BM_MAP], 0.351852);
    assert_int_equal(e->nrel, 6);
    assert_int_equal(e->relret, 3);
    bm_eval_free(e);
}

/*
 * One query, R = 2 (a and b), 1100 ranked documents, a at rank 20 and b at
 * rank 1001 (beyond the cut, so never seen).
 *     R@10 = 0; R@50 = R@100 = R@1000 = 1/2; nDCG@10 = 0
 *     AP = (1/20) / 2 = 0.025; nret = 1000
 */
static void test_cut_and_depths(void **state)
{
    (void)state;
    size_t cap = 1100 * 32, len = 0;
    char *run = malloc(cap);
    assert_non_null(run);
    for (int i = 1; i <= 1100; i++) {
        const char *doc = i == 20 ? "a" : i == 1001 ? "b" : NULL;
        len += doc ? (size_t)snprintf(run + len, cap - len,
                                      "q Q0 %s %d 1 t\n", doc, i)
                   : (size_t)snprintf(run + len, cap - len,
                                      "q Q0 x%d %d 1 t\n", i, i);
    }
    bm_eval *e = eval_of("q 0 a 1\nq 0 b 1\n", run);
    assert_int_equal(e->q[0].nret, 1000);
    assert_int_equal(e->q[0].relret, 1);
    assert_near(e->q[0].v[BM_R10], 0.0);
    assert_near(e->q[0].v[BM_R50], 0.5);
    assert_near(e->q[0].v[BM_R100], 0.5);
    assert_near(e->q[0].v[BM_R1000], 0.5);
    assert_near(e->q[0].v[BM_NDCG10], 0.0);
    assert_near(e->q[0].v[BM_MAP], 0.025);
    bm_eval_free(e);
    free(run);
}

/* Equal ranks keep file order: b (line 2) comes before a (line 3), so the
 * relevant a is at position 2: AP = 1/2. */
static void test_equal_ranks_keep_file_order(void **state)
{
    (void)state;
    bm_eval *e = eval_of("q 0 a 1\n", "q Q0 b 1 5 t\nq Q0 a 1 9 t\n");
    assert_near(e->q[0].v[BM_MAP], 0.5);
    bm_eval_free(e);
}

/* ------------------------------------------------------------ errors */

static void expect_qrels_error(const char *text, const char *msg)
{
    bm_error err = {0};
    bm_status st;
    bm_qrels *q = qrels_from(text, &err, &st);
    assert_null(q);
    assert_int_equal(st, BM_FORMAT);
    assert_int_equal(err.status, BM_FORMAT);
    assert_string_equal(err.msg, msg);
    bm_error_release(&err);
    assert_null(err.msg);
}

static void expect_run_error(const char *text, const char *msg)
{
    bm_error err = {0};
    bm_status st;
    bm_run *r = run_from(text, &err, &st);
    assert_null(r);
    assert_int_equal(st, BM_FORMAT);
    assert_string_equal(err.msg, msg);
    bm_error_release(&err);
}

static void test_qrels_errors(void **state)
{
    (void)state;
    expect_qrels_error("q 0 a 1\nq 0 b\n",
                       "qrels:2: expected 4 fields 'qid iter docno rel', "
                       "got 3");
    expect_qrels_error("q 0 a yes\n",
                       "qrels:1: relevance 'yes' is not an integer");
    expect_qrels_error("q 0 a 1\n\nq 0 a 1\n",
                       "qrels:3: document 'a' repeated for query 'q' "
                       "(first on line 1)");
}

static void test_run_errors(void **state)
{
    (void)state;
    expect_run_error("q Q0 a 1 1\n",
                     "run:1: expected 6 fields 'qid Q0 docno rank score "
                     "tag', got 5");
    expect_run_error("q Q0 a 1 1 t\nq Q0 b x 1 t\n",
                     "run:2: rank 'x' is not an integer");
    expect_run_error("q Q0 a 1 nan t\n", "run:1: score 'nan' is not a number");
    expect_run_error("q Q0 a 1 1 t\nq Q0 a 2 1 t\n",
                     "run:2: document 'a' repeated for query 'q' "
                     "(first on line 1)");
}

static void test_missing_file(void **state)
{
    (void)state;
    bm_error err = {0};
    bm_qrels *q = (bm_qrels *)1;
    assert_int_equal(bm_qrels_load("/nonexistent/qrels", &q, &err), BM_IO);
    assert_null(q);
    assert_non_null(strstr(err.msg, "/nonexistent/qrels: "));
    bm_error_release(&err);
    bm_error_release(&err);
    bm_error_release(NULL);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(bm_metric_name(BM_NDCG10), "ndcg_cut_10");
    assert_string_equal(bm_metric_label(BM_R100), "R@100");
    assert_null(bm_metric_name(BM_NMETRICS));
    assert_string_equal(bm_status_str(BM_FORMAT), "malformed input");
}

static void test_empty(void **state)
{
    (void)state;
    bm_eval *e = eval_of("\n", "\n");
    assert_int_equal(e->n, 0);
    assert_near(e->mean[BM_MAP], 0.0);
    bm_eval_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_per_query),
        cmocka_unit_test(test_example_means),
        cmocka_unit_test(test_cut_and_depths),
        cmocka_unit_test(test_equal_ranks_keep_file_order),
        cmocka_unit_test(test_qrels_errors),
        cmocka_unit_test(test_run_errors),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_empty),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
