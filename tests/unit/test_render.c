/*
 * test_render.c -- the escaping modules of render/rd.h: hostile corpus
 * text in, the one safe form per language out.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../render/rd.h"
#include "../../render/rd_site.h"

/* What put wrote for s, as a malloc'd string. */
static char *written(void (*put)(FILE *, const char *), const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    put(f, s);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static void csv_last(FILE *f, const char *s) { rd_csv_field(f, s, 1); }
static void csv_inner(FILE *f, const char *s) { rd_csv_field(f, s, 0); }

static void expect(void (*put)(FILE *, const char *), const char *in,
                   const char *out)
{
    char *got = written(put, in);
    assert_string_equal(got, out);
    free(got);
}

static void test_html(void **state)
{
    (void)state;
    expect(rd_html_put, "<script>alert(1)</script>",
           "&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(rd_html_put, "a\" onload='x' & [y](javascript:z)",
           "a&quot; onload=&#39;x&#39; &amp; &#91;y&#93;(javascript:z)");
    expect(rd_html_put, "</details>\n<!-- -->\t\x7f",
           "&lt;/details&gt; &lt;!-- --&gt;  ");
    expect(rd_html_put, "Vlaamse € ë", "Vlaamse € ë");
}

static void test_md(void **state)
{
    (void)state;
    char *e = rd_md_escape("*x* [l](u) <b> `c` | # ~\n_");
    assert_string_equal(e, "\\*x\\* \\[l\\](u) &lt;b&gt; \\`c\\` \\| \\# \\~ \\_");
    free(e);
}

static void test_csv(void **state)
{
    (void)state;
    expect(csv_inner, "a \"b\", c", "\"a \"\"b\"\", c\",");
    expect(csv_last, "line\r\nnext", "\"line  next\"\r\n");
}

static void test_text(void **state)
{
    (void)state;
    expect(rd_text_put, "\033[31mred\\ \xc2\x9b", "\\x1b[31mred\\\\ \\u009b");
    assert_true(rd_word_ok("VR/2020/1"));
    assert_false(rd_word_ok(""));
    assert_false(rd_word_ok("a b"));
    assert_false(rd_word_ok("a\nb"));
}

static void test_json(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(rd_json_put(f, JSON_COMPACT,
                                 json_pack("{s:s}", "t", "</script>\"")), 0);
    assert_int_equal(rd_json_put(f, JSON_COMPACT, NULL), -1);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(buf, "{\"t\":\"</script>\\\"\"}\n");
    free(buf);
}

/* rd_site_name: safe in a URL and a file name, and injective. */
static void test_site_name(void **state)
{
    (void)state;
    static const char *const ids[] = {
        "bestuurzaken/3.2.3", "bestuurzaken_3.2.3", "a~5F", "a_", "a/",
        ".hidden", "..", "x\"><script>", "é", "a b", "a%2F", ""};
    static const char *const want[] = {
        "bestuurzaken_3.2.3", "bestuurzaken~5F3.2.3", "a~7E5F", "a~5F",
        "a_", "~2Ehidden", "~2E.", "x~22~3E~3Cscript~3E", "~C3~A9", "a~20b",
        "a~252F", ""};
    char *names[sizeof ids / sizeof *ids];
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
        names[i] = rd_site_name(ids[i]);
        assert_non_null(names[i]);
        assert_string_equal(names[i], want[i]);
        for (const char *p = names[i]; *p; p++)
            assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklm"
                                   "nopqrstuvwxyz0123456789.-_~", *p));
        for (size_t k = 0; k < i; k++)
            assert_string_not_equal(names[i], names[k]);
    }
    for (size_t i = 0; i < sizeof ids / sizeof *ids; i++)
        free(names[i]);
}

static void url_put(FILE *f, const char *s) { rd_url_put(f, s); }

static void test_url(void **state)
{
    (void)state;
    expect(url_put, "a b&c=\"<>'#/é", "a%20b%26c%3D%22%3C%3E%27%23%2F%C3%A9");
    expect(url_put, "Az09-._~", "Az09-._~");
    expect(rd_html_put_lines, "a\n<b>\tc", "a\n&lt;b&gt; c");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_html), cmocka_unit_test(test_md),
        cmocka_unit_test(test_csv), cmocka_unit_test(test_text),
        cmocka_unit_test(test_json), cmocka_unit_test(test_site_name),
        cmocka_unit_test(test_url),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
