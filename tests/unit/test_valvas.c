/*
 * test_valvas.c -- the search-API item reader (corpus/cp_valvas.c and its
 * part of cp_reader.c): shape detection, array-valued attributes, the
 * mandatee sets, dates across the DST changes, HTML text, and the bad
 * items' messages.  Fixtures: tests/fixtures/valvas/ (made up for the
 * tests, see its README) and, when present, ../shared/fixtures/valvas/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../corpus/cp-int.h"
#include "../../corpus/cp.h"
#include "tu.h"

static cp_reader *open_fixture(const char *rel, char **path)
{
    cp_reader *r = NULL;
    char *msg = NULL;
    *path = tu_repo_path(rel);
    assert_int_equal(cp_reader_open(*path, &r, &msg), CP_OK);
    assert_null(msg);
    return r;
}

static void assert_str(cp_str s, const char *want)
{
    if (!want) {
        assert_null(s.ptr);
        return;
    }
    assert_non_null(s.ptr);
    assert_int_equal(s.len, strlen(want));
    assert_memory_equal(s.ptr, want, s.len);
}

static void next_ok(cp_reader *r, cp_decision *d)
{
    cp_status st = cp_reader_next_decision(r, d);
    if (st != CP_OK)
        fail_msg("%s", cp_reader_error(r));
}

/* The four items of items.jsonl, field by field. */
static void check_items(cp_reader *r, int paged)
{
    cp_decision d;
    next_ok(r, &d);
    assert_int_equal(d.source, CP_SRC_VALVAS);
    assert_str(d.id, "AAAA00000000000000000001");
    assert_str(d.title, "Proefproject fietsstraten");
    assert_str(d.alt_title, "Ontwerpbesluit over fietsstraten");
    /* entities, &nbsp;, the comment, paragraphs apart */
    assert_str(d.text, "De Vlaamse Regering keurt een proefproject goed. "
                       "Het loopt in Gent & Brugge.");
    assert_str(d.date, "2021-03-28");       /* 23:30Z + 1 h (CET) */
    assert_int_equal(d.year, 2021);
    assert_str(d.kind, "nota");
    assert_str(d.meeting, "MEET0001");
    assert_int_equal(d.meeting_type, 4);
    assert_str(d.position, "7");
    /* a set of family names, never paired with ids or titles */
    assert_str(d.ministers, "Demír\nPeeters\nVan den Broeck");
    assert_str(d.themes, "Theme-B\ntheme-a");
    assert_str(d.uri, "http://themis.vlaanderen.be/id/nieuwsbericht/"
                      "AAAA00000000000000000001");
    assert_int_equal(cp_reader_item(r), paged ? 1 : 0);

    next_ok(r, &d);
    assert_str(d.text, "Oproep 2020: vier projecten. Oproep 2022 vijf "
                       "projecten.");
    assert_str(d.position, "42,43");
    assert_str(d.ministers, "Peeters");
    assert_str(d.themes, "theme-a");
    assert_str(d.date, "2021-10-31");       /* 22:30Z + 2 h (CEST) */
    assert_str(d.kind, "mededeling");
    assert_int_equal(d.meeting_type, 3);
    assert_int_equal(cp_reader_item(r), paged ? 2 : 0);
    if (paged)
        return;

    next_ok(r, &d);
    assert_str(d.title, "Benoeming van leden");
    assert_str(d.text, NULL);
    assert_str(d.ministers, NULL);
    assert_str(d.themes, NULL);
    assert_str(d.uri, NULL);
    assert_str(d.date, "2021-10-31");       /* 22:30Z + 1 h (CET again) */

    next_ok(r, &d);
    assert_str(d.text, "Tekst één");
    assert_str(d.date, "2021-07-02");
}

static void test_items(void **state)
{
    char *path;
    cp_decision d;
    (void)state;
    cp_reader *r = open_fixture("tests/fixtures/valvas/items.jsonl", &path);
    check_items(r, 0);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    assert_string_equal(cp_reader_format(r), "valvas");
    cp_reader_close(r);
    free(path);
}

static void test_page(void **state)
{
    char *path;
    cp_decision d;
    (void)state;
    cp_reader *r = open_fixture("tests/fixtures/valvas/page.json", &path);
    check_items(r, 1);
    assert_int_equal(cp_reader_line(r), 1);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    cp_reader_close(r);
    free(path);
}

static void test_extract_shape(void **state)
{
    char *path;
    cp_decision d;
    (void)state;
    cp_reader *r = open_fixture("tests/fixtures/valvas/extract.jsonl", &path);
    next_ok(r, &d);
    assert_int_equal(d.source, CP_SRC_EXTRACT);
    assert_string_equal(cp_reader_format(r), "extract");
    assert_str(d.ministers, NULL);
    cp_reader_close(r);
    free(path);
}

/* Each bad line or item named, the rest still read. */
static void test_bad(void **state)
{
    char *path, *want;
    cp_decision d;
    (void)state;
    cp_reader *r = open_fixture("tests/fixtures/valvas/bad.jsonl", &path);
    next_ok(r, &d);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    want = tu_printf("%s:2: malformed 'meetingDate' '2021-13-01T10:00:00Z' "
                     "(want YYYY-MM-DDTHH:MM:SSZ)", path);
    assert_string_equal(cp_reader_error(r), want);
    free(want);
    next_ok(r, &d);
    assert_str(d.id, "BBBB00000000000000000002");
    assert_int_equal(cp_reader_item(r), 1);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    want = tu_printf("%s:3: item 2: field 'mandateeFamilyNames' is not a "
                     "string, an array of strings or null", path);
    assert_string_equal(cp_reader_error(r), want);
    free(want);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    want = tu_printf("%s:4: an extract record in a file of API items", path);
    assert_string_equal(cp_reader_error(r), want);
    free(want);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    cp_reader_close(r);
    free(path);
}

/* The C library's zone: both DST changes of 2021 and 2023, at the hour. */
static void test_dates(void **state)
{
    static const struct { const char *utc, *want; } cases[] = {
        {"2021-03-27T22:59:59Z", "2021-03-27"},  /* 23:59:59 CET  */
        {"2021-03-27T23:00:00Z", "2021-03-28"},  /* 00:00 CET     */
        {"2021-03-28T21:59:59Z", "2021-03-28"},  /* 23:59:59 CEST */
        {"2021-03-28T22:00:00Z", "2021-03-29"},
        {"2023-10-28T21:59:59Z", "2023-10-28"},  /* CEST          */
        {"2023-10-28T22:00:00Z", "2023-10-29"},
        {"2023-10-29T22:59:59Z", "2023-10-29"},  /* CET again     */
        {"2023-10-29T23:00:00Z", "2023-10-30"},
        {"2020-12-31T23:00:00.000Z", "2021-01-01"},
    };
    char out[11];
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        assert_int_equal(cp_utc_to_brussels(cases[i].utc,
                                            strlen(cases[i].utc), out), 0);
        assert_string_equal(out, cases[i].want);
    }
    static const char *const bad[] = {
        "2021-03-27", "2021-03-27T23:00:00", "2021-02-30T10:00:00Z",
        "2021-03-27 23:00:00Z", "2021-03-27T24:00:00Z", "2021-03-27T23:00:00+01:00"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        assert_int_equal(cp_utc_to_brussels(bad[i], strlen(bad[i]), out), -1);
}

static void html_is(const char *html, const char *want)
{
    cp_buf raw = {0}, text = {0};
    assert_int_equal(cp_html_text(html, strlen(html), &raw), 0);
    assert_int_equal(cp_ws_squeeze(&text, raw.ptr ? raw.ptr : "", raw.len), 0);
    assert_string_equal(text.ptr, want);
    free(raw.ptr);
    free(text.ptr);
}

static void test_html(void **state)
{
    (void)state;
    html_is("  <!---->De <strong>Vlaamse</strong> Regering<!-- components -->",
            "De Vlaamse Regering");
    html_is("<p>een</p><p>twee</p>", "een twee");
    html_is("a<br>b<br/>c", "a b c");
    html_is("x&nbsp;y &amp; z &lt;p&gt; &#8217;s &euro;", "x y & z <p> \xe2\x80\x99s \xe2\x82\xac");
    html_is("<div><p data-indentation-level=\"0\">in</p></div>na", "in na");
    html_is("<p>CO<sub>2</sub>-uitstoot</p>", "CO2-uitstoot");
    html_is("", "");
}

/* The shared fixtures' misaligned and array-valued items, when there. */
static void test_shared_fixtures(void **state)
{
    static const struct { const char *file, *ministers, *position; } cases[] = {
        {"2020-12-5FD8DAB46B34EF0008000A90.json",
         "Crevits\nDemir\nJambon\nPeeters", "10"},
        {"2023-07-64AE44780592342F299DB95D.json", "Diependaele\nWeyts",
         "42,43"},
        {"2022-12-63983A23C2B90D4571CF8722.json", "Somers", "25"},
    };
    (void)state;
    char *dir = tu_repo_path("../shared/fixtures/valvas/items");
    char *first = tu_printf("%s/%s", dir, cases[0].file);
    FILE *probe = fopen(first, "r");
    free(first);
    if (!probe) {
        free(dir);
        skip();
    }
    fclose(probe);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        /* the files are pretty-printed: one item over many lines, so the
         * item is read whole with jansson and mapped as the reader maps
         * a line */
        char *path = tu_printf("%s/%s", dir, cases[i].file);
        json_t *item = json_load_file(path, 0, NULL);
        cp_item_bufs b = {0};
        cp_decision d;
        char *why = NULL;
        assert_non_null(item);
        assert_int_equal(cp_valvas_item(item, &b, &d, &why), CP_OK);
        assert_str(d.ministers, cases[i].ministers);
        assert_str(d.position, cases[i].position);
        if (i == 2) {
            /* both texts of the edited item */
            assert_non_null(strstr(d.text.ptr, "oproep 2020"));
            assert_non_null(strstr(d.text.ptr, "oproep 2022"));
        }
        cp_item_bufs_release(&b);
        json_decref(item);
        free(path);
    }
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_page),
        cmocka_unit_test(test_extract_shape),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_shared_fixtures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
