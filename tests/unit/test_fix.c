/*
 * test_fix.c -- editorial corrections (query/qy_fix.c): the file's checks
 * with file:line messages, its sha256, and laying corrections over a
 * report: exactly the named sentence changes, the machine's verdict kept,
 * stale and ambiguous corrections marked.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../corpus/cp.h"
#include "../../query/qy-int.h"
#include "tu.h"

static const char good[] =
    "section\tcommitment\tverdict\tnote\twho\tdate\n"
    "# a comment\n"
    "\n"
    "a/1\tWe bouwen een brug over\tuitgevoerd\tGelezen.\tRedactie\t2026-12-01\r\n"
    "a/1\tWe  leggen\tfietspaden aan\tniet toetsbaar\tx\ty\t2026-12-02\n";

/* Load text as a corrections file: its status, err's message kept. */
static xs_status load(const char *text, qy_fixes **fx, xs_err *err)
{
    char *dir = tu_mkdtemp("fix");
    char *path = tu_write(dir, "fix.tsv", text, strlen(text));
    xs_status st = qy_fixes_load(path, fx, err);
    free(path);
    tu_rmtree(dir);
    free(dir);
    return st;
}

static void test_load(void **state)
{
    (void)state;
    qy_fixes *fx = NULL;
    xs_err err = {0};
    /* a bad line: the second correction has seven fields */
    assert_int_equal(load(good, &fx, &err), XS_INVALID);
    tu_assert_contains(err.msg, "fix.tsv:5: 7 fields, want 6");
    xs_err_clear(&err);
    char *ok = tu_printf("%.*s", (int)(strstr(good, "a/1\tWe  leggen") - good),
                         good);
    assert_int_equal(load(ok, &fx, &err), XS_OK);
    assert_int_equal(fx->n, 1);
    assert_int_equal(fx->v[0].line, 4);
    assert_int_equal(fx->v[0].verdict, QY_DONE);
    assert_string_equal(fx->v[0].field[QY_FIX_DATE], "2026-12-01");
    /* the sha256 of the file's bytes, as the corpus module computes it */
    char *dir = tu_mkdtemp("fixsha");
    char *path = tu_write(dir, "f", ok, strlen(ok));
    char hex[65], *msg = NULL;
    assert_int_equal(cp_file_sha256(path, hex, &msg), CP_OK);
    assert_string_equal(fx->sha256, hex);
    free(path);
    tu_rmtree(dir);
    free(dir);
    free(ok);
    qy_fixes_free(fx);
}

static void expect_bad(const char *text, const char *part)
{
    qy_fixes *fx = NULL;
    xs_err err = {0};
    assert_int_equal(load(text, &fx, &err), XS_INVALID);
    assert_null(fx);
    tu_assert_contains(err.msg, part);
    xs_err_clear(&err);
}

static void test_bad(void **state)
{
    (void)state;
    expect_bad("a/1\tWe bouwen een brug\tklaar\tn\tw\t2026-12-01\n",
               "fix.tsv:1: unknown verdict 'klaar'");
    expect_bad("a/1\tWe bouwen een brug\tuitgevoerd\tn\tw\t1-12-2026\n",
               "fix.tsv:1: date '1-12-2026' is not YYYY-MM-DD");
    expect_bad("a/1\tkort\tuitgevoerd\tn\tw\t2026-12-01\n",
               "fix.tsv:1: commitment 'kort' is too short");
    expect_bad("a/1\tWe bouwen een brug\tuitgevoerd\t\tw\t2026-12-01\n",
               "fix.tsv:1: empty note");
    expect_bad("# x\na/1\tWe bouwen een brug\tuitgevoerd\tn\t\xff\t2026-12-01\n",
               "fix.tsv:2: the who is not UTF-8 text");
    expect_bad("a/1\tWe bouwen een brug\tuitgevoerd\tn\tw\t2026-12-01\n"
               "a/1\tWe bouwen een brug\tin uitvoering\tn\tw\t2026-12-01\n",
               "fix.tsv:2: corrects the same commitment as line 1");
    qy_fixes *fx = NULL;
    xs_err err = {0};
    assert_int_equal(qy_fixes_load("/nonexistent/fix.tsv", &fx, &err),
                     XS_NOT_FOUND);
    xs_err_clear(&err);
}

static void test_apply(void **state)
{
    (void)state;
    static const char text[] =
        "a/1\tWe bouwen een brug over\tin uitvoering\tn\tw\t2026-12-01\n"
        "a/1\tWe leggen fietspaden\tuitgevoerd\tn\tw\t2026-12-01\n"
        "a/1\tDit staat er niet in\tuitgevoerd\tn\tw\t2026-12-01\n"
        "b/2\tIn een andere sectie\tuitgevoerd\tn\tw\t2026-12-01\n";
    qy_fixes *fx = NULL;
    xs_err err = {0};
    assert_int_equal(load(text, &fx, &err), XS_OK);
    qy_item items[4] = {
        {.text = "We  bouwen een\nbrug over de Schelde.", .verdict = QY_DONE},
        {.text = "We leggen fietspaden aan in Gent.", .verdict = QY_NONE},
        {.text = "We leggen fietspaden aan in Brugge.", .verdict = QY_NONE},
        {.text = "Een visie.", .verdict = QY_UNCHECKABLE}};
    for (size_t i = 0; i < 4; i++)
        items[i].machine = items[i].verdict;
    qy_report r = {.items = items, .nitems = 4};
    r.a.sec.id = "a/1";
    unsigned char mark[4] = {0};
    qy_fixes_apply(fx, &r, mark);
    assert_int_equal(mark[0], QY_FIX_APPLIED);
    assert_int_equal(mark[1], QY_FIX_AMBIGUOUS);
    assert_int_equal(mark[2], QY_FIX_STALE);
    assert_int_equal(mark[3], QY_FIX_UNSEEN);
    assert_int_equal(items[0].verdict, QY_IN_PROGRESS);
    assert_int_equal(items[0].machine, QY_DONE);
    assert_ptr_equal(items[0].fix, &fx->v[0]);
    for (size_t i = 1; i < 4; i++) {
        assert_null(items[i].fix);
        assert_int_equal(items[i].verdict, items[i].machine);
    }
    assert_ptr_equal(r.fixes, fx);
    assert_null(qy_fix_problem(mark[0]));
    tu_assert_contains(qy_fix_problem(mark[2]), "no sentence");
    tu_assert_contains(qy_fix_problem(mark[3]), "no such section");
    qy_fixes_free(fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_load), cmocka_unit_test(test_bad),
        cmocka_unit_test(test_apply),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
