/*
 * test_fetch.c -- cmocka tests for the fetch layer (fetch/fx.h).
 *
 * Owns: the calendar (parse, compare, next month), the monthly half-open
 * windows, the page arithmetic computed from `count`, the request URL
 * (every bracket, colon and comma of the parameters percent-encoded, no
 * page parameter twice) and the resume point of an output file (the
 * partial last line, the ids, the latest month, damaged lines named).
 * Each test that writes files does so in its own mkdtemp() directory.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>
#include <jansson.h>

#include "tu.h"
#include "../../fetch/fx.h"

static fx_date D(int y, int m, int d)
{
    fx_date x = { y, m, d };

    return x;
}

static void assert_date(fx_date got, const char *want)
{
    char buf[11];

    fx_date_fmt(got, buf);
    assert_string_equal(buf, want);
}

static void test_date_parse(void **state)
{
    fx_date d;

    (void)state;
    assert_int_equal(fx_date_parse("2024-02-29", 10, &d), 0);
    assert_date(d, "2024-02-29");
    assert_int_equal(fx_date_parse("2023-02-29", 10, &d), -1);   /* no leap */
    assert_int_equal(fx_date_parse("1900-02-29", 10, &d), -1);
    assert_int_equal(fx_date_parse("2000-02-29", 10, &d), 0);
    assert_int_equal(fx_date_parse("2021-13-01", 10, &d), -1);
    assert_int_equal(fx_date_parse("2021-04-31", 10, &d), -1);
    assert_int_equal(fx_date_parse("2021-4-01", 9, &d), -1);
    assert_int_equal(fx_date_parse("2021-04-0x", 10, &d), -1);
    assert_int_equal(fx_date_parse("2021-04-01T00:00:00Z", 20, &d), -1);
    assert_int_equal(fx_date_parse("2021-04-01T00:00:00Z", 10, &d), 0);
    assert_true(fx_date_cmp(D(2021, 1, 31), D(2021, 2, 1)) < 0);
    assert_true(fx_date_cmp(D(2022, 1, 1), D(2021, 12, 31)) > 0);
    assert_int_equal(fx_date_cmp(D(2021, 5, 5), D(2021, 5, 5)), 0);
    assert_date(fx_date_next_month(D(2023, 12, 22)), "2024-01-01");
    assert_date(fx_date_next_month(D(2024, 1, 31)), "2024-02-01");
}

/* Windows as "FROM..TO" joined by spaces. */
static char *windows_str(fx_date since, fx_date until)
{
    size_t n, len = 0;
    fx_window *w = fx_windows(since, until, &n);
    char *out = NULL;
    FILE *f = open_memstream(&out, &len);

    assert_non_null(f);
    assert_true(w != NULL || n == 0);
    for (size_t i = 0; i < n; i++) {
        char a[11], b[11];

        fx_date_fmt(w[i].from, a);
        fx_date_fmt(w[i].to, b);
        fprintf(f, "%s%s..%s", i ? " " : "", a, b);
    }
    fclose(f);
    free(w);
    return out;
}

static void check_windows(fx_date since, fx_date until, const char *want)
{
    char *got = windows_str(since, until);

    assert_string_equal(got, want);
    free(got);
}

static void test_windows(void **state)
{
    (void)state;
    check_windows(D(2019, 10, 1), D(2020, 1, 1),
                  "2019-10-01..2019-11-01 2019-11-01..2019-12-01 "
                  "2019-12-01..2020-01-01");
    /* a start and an end inside a month */
    check_windows(D(2023, 11, 17), D(2024, 2, 10),
                  "2023-11-17..2023-12-01 2023-12-01..2024-01-01 "
                  "2024-01-01..2024-02-01 2024-02-01..2024-02-10");
    check_windows(D(2021, 3, 5), D(2021, 3, 6), "2021-03-05..2021-03-06");
    check_windows(D(2021, 3, 6), D(2021, 3, 6), "");
    check_windows(D(2021, 3, 7), D(2021, 3, 6), "");
    /* contiguous and half-open: each window ends where the next begins */
    {
        size_t n;
        fx_window *w = fx_windows(D(2019, 10, 2), D(2024, 1, 11), &n);

        assert_int_equal(n, 52);
        assert_date(w[0].from, "2019-10-02");
        assert_date(w[n - 1].to, "2024-01-11");
        for (size_t i = 1; i < n; i++)
            assert_int_equal(fx_date_cmp(w[i - 1].to, w[i].from), 0);
        free(w);
    }
}

static void test_pages(void **state)
{
    (void)state;
    assert_int_equal(fx_pages(0, 100), 0);
    assert_int_equal(fx_pages(1, 100), 1);
    assert_int_equal(fx_pages(100, 100), 1);
    assert_int_equal(fx_pages(101, 100), 2);
    assert_int_equal(fx_pages(10000, 100), 100);
    assert_int_equal(fx_pages(5, 0), 0);
    assert_int_equal(fx_page_items(0, 100, 0), 0);
    assert_int_equal(fx_page_items(250, 100, 0), 100);
    assert_int_equal(fx_page_items(250, 100, 1), 100);
    assert_int_equal(fx_page_items(250, 100, 2), 50);
    assert_int_equal(fx_page_items(250, 100, 3), 0);     /* past the end */
    assert_int_equal(fx_page_items(200, 100, 1), 100);
    assert_int_equal(fx_page_items(200, 100, 2), 0);
    /* the pages of a count sum to it */
    for (size_t count = 0; count < 400; count += 7) {
        size_t sum = 0;

        for (size_t p = 0; p <= fx_pages(count, 30); p++)
            sum += fx_page_items(count, 30, p);
        assert_int_equal(sum, count);
    }
}

static void test_url(void **state)
{
    fx_window w = { D(2021, 12, 1), D(2022, 1, 1) };
    char *u = fx_url("https://beslissingenvlaamseregering.vlaanderen.be/", w, 100, 3);
    char *v = fx_url("http://127.0.0.1:8080", w, 7, 0);

    (void)state;
    assert_non_null(u);
    assert_string_equal(u,
        "https://beslissingenvlaamseregering.vlaanderen.be/news-items/search?"
        "filter%5B%3Agte%2Clt%3AmeetingDate%5D=2021-12-01%2C2022-01-01"
        "&sort%5BmeetingDate%5D=asc&sort%5BmeetingTypePosition%5D=asc"
        "&sort%5BagendaitemType%5D=desc&sort%5Bposition%5D=asc"
        "&page%5Bsize%5D=100&page%5Bnumber%5D=3");
    assert_non_null(v);
    assert_null(strchr(strchr(v, '?'), '['));
    assert_null(strchr(strchr(v, '?'), ']'));
    assert_null(strchr(strchr(v, '?'), ','));
    tu_assert_contains(v, "http://127.0.0.1:8080/news-items/search?");
    tu_assert_contains(v, "&page%5Bsize%5D=7&page%5Bnumber%5D=0");
    /* each page parameter once */
    assert_null(strstr(strstr(v, "page%5Bnumber%5D") + 1, "page%5Bnumber%5D"));
    assert_null(strstr(strstr(v, "page%5Bsize%5D") + 1, "page%5Bsize%5D"));
    free(u);
    free(v);
}

static const char ITEM_A[] =
    "{\"type\":\"news-item\",\"id\":\"A1\",\"attributes\":"
    "{\"meetingDate\":\"2021-03-12T09:00:00Z\",\"title\":\"a\"}}\n";
static const char ITEM_B[] =
    "{\"type\":\"news-item\",\"id\":\"B2\",\"attributes\":"
    "{\"meetingDate\":\"2021-05-21T08:00:00Z\",\"title\":\"b\"}}\n";
static const char ITEM_C[] =
    "{\"type\":\"news-item\",\"id\":\"C3\",\"attributes\":"
    "{\"meetingDate\":null,\"title\":\"c\"}}\n";

/* fx_resume_load on a file of the given bytes in a scratch dir. */
static fx_status load(const char *bytes, fx_resume *r, char **err)
{
    char *dir = tu_mkdtemp("akkoord-fetch");
    char *path = tu_write(dir, "out.jsonl", bytes, strlen(bytes));
    fx_status st = fx_resume_load(path, r, err);

    tu_rmtree(dir);
    free(path);
    free(dir);
    return st;
}

static void test_resume(void **state)
{
    char *all = tu_printf("%s%s%s", ITEM_B, ITEM_A, ITEM_C);
    char *cut = tu_printf("%s%s{\"type\":\"news-item\",\"id\":\"C", ITEM_A, ITEM_B);
    char *err = NULL;
    fx_resume r;

    (void)state;
    /* complete lines: every id, the latest date, its month to restart */
    assert_int_equal(load(all, &r, &err), FX_OK);
    assert_int_equal(r.lines, 3);
    assert_int_equal(r.keep, strlen(all));
    assert_int_equal(json_object_size(r.ids), 3);
    assert_non_null(json_object_get(r.ids, "C3"));
    assert_date(r.last, "2021-05-21");
    assert_date(fx_resume_since(&r, D(2019, 10, 1)), "2021-05-01");
    fx_resume_release(&r);
    /* a killed write: the partial last line is outside keep, not an id */
    assert_int_equal(load(cut, &r, &err), FX_OK);
    assert_int_equal(r.lines, 2);
    assert_int_equal(r.keep, strlen(ITEM_A) + strlen(ITEM_B));
    assert_null(json_object_get(r.ids, "C3"));
    fx_resume_release(&r);
    /* no dates, an empty file, no file: the default start */
    assert_int_equal(load(ITEM_C, &r, &err), FX_OK);
    assert_date(fx_resume_since(&r, D(2019, 10, 1)), "2019-10-01");
    fx_resume_release(&r);
    assert_int_equal(load("", &r, &err), FX_OK);
    assert_int_equal(r.keep, 0);
    fx_resume_release(&r);
    assert_int_equal(fx_resume_load("/nonexistent/akkoord/x.jsonl", &r, &err), FX_OK);
    assert_int_equal(r.lines, 0);
    fx_resume_release(&r);
    free(all);
    free(cut);
}

static void check_bad(const char *bytes, const char *want)
{
    char *err = NULL;
    fx_resume r;

    assert_int_equal(load(bytes, &r, &err), FX_BAD_INPUT);
    tu_assert_contains(err, want);
    free(err);
    fx_resume_release(&r);
}

static void test_resume_bad(void **state)
{
    char *dup = tu_printf("%s%s%s", ITEM_A, ITEM_B, ITEM_A);
    char *junk = tu_printf("%snot json\n%s", ITEM_A, ITEM_B);

    (void)state;
    check_bad(dup, "out.jsonl:3: item id seen before");
    check_bad(junk, "out.jsonl:2: not JSON");
    check_bad("{\"id\": 5, \"attributes\": {}}\n", "out.jsonl:1: not a search item");
    check_bad("[1, 2]\n", "out.jsonl:1: not a search item");
    free(dup);
    free(junk);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse),
        cmocka_unit_test(test_windows),
        cmocka_unit_test(test_pages),
        cmocka_unit_test(test_url),
        cmocka_unit_test(test_resume),
        cmocka_unit_test(test_resume_bad),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
