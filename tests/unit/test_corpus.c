/*
 * test_corpus.c -- cmocka tests for the corpus layer (corpus/cp.h).
 *
 * Owns: the reader's contract -- good records, every bad-line message,
 * skip-and-continue, line hygiene (BOM, CRLF, blank, NUL, UTF-8), gzip
 * (good, truncated, corrupt, members, trailing data), the hash of the
 * bytes read (a file that grows or shrinks while read, a FIFO), the line
 * limit, a 20 MB record, date rules, sha256, message escaping, the sample
 * corpus and, when AKKOORD_SHARED names it, the shared corpus; the
 * search API's items (corpus/cp_valvas.c: shape detection, arrays, the
 * mandatee sets, dates across DST, HTML text, bad items) on
 * tests/fixtures/valvas/ and the shared fixtures' misaligned items.
 * Each test writes its files into its own mkdtemp() directory.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "tu.h"
#include <zlib.h>

#include "../../corpus/cp-int.h"
#include "../../corpus/cp.h"

/* Per-test temporary directory. */
typedef struct fx {
    char *dir;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->dir = tu_mkdtemp("akkoord-test");
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;

    tu_rmtree(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static char *fx_write(fx *f, const char *name, const char *data, size_t len)
{
    return tu_write(f->dir, name, data, len);
}

static char *fx_write_str(fx *f, const char *name, const char *data)
{
    return fx_write(f, name, data, strlen(data));
}

static char *fx_write_gz(fx *f, const char *name, const char *data, size_t len)
{
    char *path = tu_printf("%s/%s", f->dir, name);
    gzFile gz = gzopen(path, "wb");

    assert_non_null(gz);
    assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
    return path;
}

static cp_reader *tx_open(const char *path)
{
    cp_reader *r = NULL;
    char *msg = (char *)1;   /* must be reset to NULL */

    assert_int_equal(cp_reader_open(path, &r, &msg), CP_OK);
    assert_null(msg);
    assert_non_null(r);
    return r;
}

static void assert_cp_str(cp_str s, const char *want)
{
    if (!want) {
        assert_null(s.ptr);
        return;
    }
    assert_non_null(s.ptr);
    assert_int_equal(s.len, strlen(want));
    assert_memory_equal(s.ptr, want, s.len);
}

/* Assert the reader's message is exactly "PATH:LINE: what". */
static void assert_msg(cp_reader *r, const char *path, unsigned long line,
                       const char *what)
{
    char *want = tu_printf("%s:%lu: %s", path, line, what);

    assert_string_equal(cp_reader_error(r), want);
    assert_int_equal(cp_reader_line(r), line);
    free(want);
}

/* Count decisions in path: returns ok records, *bad gets CP_BAD count;
 * the final status must be CP_EOF. */
static unsigned long count_decisions(const char *path, unsigned long *bad)
{
    cp_reader *r = tx_open(path);
    cp_decision d;
    cp_status st;
    unsigned long ok = 0;

    *bad = 0;
    while ((st = cp_reader_next_decision(r, &d)) == CP_OK || st == CP_BAD) {
        if (st == CP_OK)
            ok++;
        else
            (*bad)++;
    }
    assert_int_equal(st, CP_EOF);
    cp_reader_close(r);
    return ok;
}

static unsigned long count_sections(const char *path, unsigned long *bad)
{
    cp_reader *r = tx_open(path);
    cp_section s;
    cp_status st;
    unsigned long ok = 0;

    *bad = 0;
    while ((st = cp_reader_next_section(r, &s)) == CP_OK || st == CP_BAD) {
        if (st == CP_OK)
            ok++;
        else
            (*bad)++;
    }
    assert_int_equal(st, CP_EOF);
    cp_reader_close(r);
    return ok;
}

/* -------------------------------------------------------------- tests */

static void test_decision_good(void **state)
{
    fx *f = *state;
    char *path = fx_write_str(f, "good.jsonl",
        "{\"id\": \"A1\", \"date\": \"2021-12-17\", \"kind\": \"nota\", "
        "\"title\": \"  Programma\\t Vlaanderen\\u00a0 Radicaal\\nDigitaal \", "
        "\"text\": \"Eerste  zin.\\r\\n Tweede zin.\", "
        "\"url\": \"https://example.org/x\", \"extra\": [1, 2]}\n"
        "{\"id\": \"U2\", \"date\": null, \"kind\": null, \"title\": \"Titel\"}\n"
        "{\"id\": \"A3\", \"text\": \"alleen tekst\", \"url\": null}\n");
    cp_reader *r = tx_open(path);
    cp_decision d;

    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_int_equal(cp_reader_line(r), 1);
    assert_string_equal(cp_reader_error(r), "");
    assert_cp_str(d.id, "A1");
    assert_cp_str(d.date, "2021-12-17");
    assert_int_equal(d.year, 2021);
    assert_cp_str(d.kind, "nota");
    assert_cp_str(d.title, "Programma Vlaanderen Radicaal Digitaal");
    assert_cp_str(d.text, "Eerste zin. Tweede zin.");
    assert_cp_str(d.url, "https://example.org/x");

    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_int_equal(cp_reader_line(r), 2);
    assert_cp_str(d.id, "U2");
    assert_cp_str(d.date, NULL);
    assert_int_equal(d.year, 0);
    assert_cp_str(d.kind, NULL);
    assert_cp_str(d.title, "Titel");
    assert_cp_str(d.text, NULL);
    assert_cp_str(d.url, NULL);

    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.title, NULL);
    assert_cp_str(d.text, "alleen tekst");
    assert_cp_str(d.url, NULL);

    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    assert_int_equal(cp_reader_line(r), 3);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    cp_reader_close(r);
    free(path);
}

/* One bad line per kind, each followed by reading on (skip-and-continue). */
static const struct {
    const char *line;
    const char *msg;   /* exact, or a prefix when ending in '*' */
} bad_decisions[] = {
    { "{\"title\": \"t\"}", "missing field 'id'" },
    { "{\"id\": 5, \"title\": \"t\"}", "field 'id' is not a string" },
    { "{\"id\": null, \"title\": \"t\"}", "field 'id' is not a string" },
    { "{\"id\": \"\", \"title\": \"t\"}", "empty 'id'" },
    { "{\"id\": \"a\", \"date\": 5, \"title\": \"t\"}",
      "field 'date' is not a string or null" },
    { "{\"id\": \"a\", \"date\": \"2021-13-45\", \"title\": \"t\"}",
      "malformed date '2021-13-45' (want YYYY-MM-DD)" },
    { "{\"id\": \"a\", \"date\": \"2021-02-29\", \"title\": \"t\"}",
      "malformed date '2021-02-29' (want YYYY-MM-DD)" },
    { "{\"id\": \"a\", \"kind\": 1, \"title\": \"t\"}",
      "field 'kind' is not a string or null" },
    { "{\"id\": \"a\", \"url\": [], \"title\": \"t\"}",
      "field 'url' is not a string or null" },
    { "{\"id\": \"a\", \"title\": 1}", "field 'title' is not a string or null" },
    { "{\"id\": \"a\", \"text\": {}}", "field 'text' is not a string or null" },
    { "{\"id\": \"a\", \"title\": \" \\t\\u00a0\", \"text\": \"\"}",
      "empty 'title' and 'text'" },
    { "{\"id\": \"a\"}", "empty 'title' and 'text'" },
    { "[1, 2]", "not a JSON object" },
    { "\"a string\"", "not a JSON object" },
    { "42", "not a JSON object" },
    { "{\"id\": ", "not valid JSON: *" },
    { "{\"id\": \"a\", \"title\": \"t\"} trailing", "not valid JSON: *" },
    { "{\"id\": \"a\", \"id\": \"b\", \"title\": \"t\"}",
      "not valid JSON: duplicate object key*" },
    { "{\"id\": \"a\", \"title\": \"x\\u0000y\"}", "not valid JSON: *" },
    { "{\"id\": \"a\", \"title\": \"t\xC3\x28\"}", "invalid UTF-8" },
    { "{\"id\": \"a\", \"title\": \"\xC0\xAF\"}", "invalid UTF-8" },
    { "{\"id\": \"a\", \"title\": \"\xED\xA0\x80\"}", "invalid UTF-8" },
    { "{\"id\": \"a\", \"title\": \"\xF4\x90\x80\x80\"}", "invalid UTF-8" },
    { "{\"id\": \"a\", \"title\": \"t\xE2\x82\"}", "invalid UTF-8" },
    { "\xEF\xBB\xBF{\"id\": \"a\", \"title\": \"t\"}",
      "byte order mark not at the start of the file" },
    { "{\"id\": \"a\\tb\", \"title\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"a b\", \"title\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"a\\n\", \"title\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"\\u001b\", \"title\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"a\\u0085\", \"title\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"a\xC2\xA0\", \"title\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"a\xE3\x80\x80\", \"title\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"a\", \"date\": \"\\u001b[1m\", \"title\": \"t\"}",
      "malformed date '\\x1b[1m' (want YYYY-MM-DD)" },
    { "{\"id\": \"a\", \"title\": \"t\\ud800\"}",
      "not valid JSON: invalid Unicode '\\uD800'*" },
};

static void check_msg(cp_reader *r, const char *path, unsigned long line,
                      const char *what)
{
    size_t n = strlen(what);
    char *want;

    if (n == 0 || what[n - 1] != '*') {
        assert_msg(r, path, line, what);
        return;
    }
    want = tu_printf("%s:%lu: %.*s", path, line, (int)(n - 1), what);
    assert_true(strncmp(cp_reader_error(r), want, strlen(want)) == 0);
    assert_true(strlen(cp_reader_error(r)) > strlen(want));
    free(want);
}

static void test_decision_bad(void **state)
{
    fx *f = *state;
    size_t i, n = sizeof bad_decisions / sizeof bad_decisions[0];
    char *data = tu_printf("%s", "{\"id\": \"first\", \"title\": \"t\"}\n");
    char *path, *tmp;
    cp_reader *r;
    cp_decision d;

    for (i = 0; i < n; i++) {
        tmp = tu_printf("%s%s\n{\"id\": \"ok%zu\", \"title\": \"t\"}\n",
                        data, bad_decisions[i].line, i);
        free(data);
        data = tmp;
    }
    path = fx_write_str(f, "x.jsonl", data);
    r = tx_open(path);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    for (i = 0; i < n; i++) {
        char *id = tu_printf("ok%zu", i);

        assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
        assert_null(d.id.ptr);
        check_msg(r, path, 2 + 2 * i, bad_decisions[i].msg);
        assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
        assert_string_equal(cp_reader_error(r), "");
        assert_int_equal(cp_reader_line(r), 3 + 2 * i);
        assert_cp_str(d.id, id);
        free(id);
    }
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    cp_reader_close(r);
    free(path);
    free(data);
}

static void test_nul_byte(void **state)
{
    fx *f = *state;
    static const char data[] =
        "{\"id\": \"a\", \"title\": \"t\0u\"}\n"
        "{\"id\": \"b\", \"title\": \"t\"}\n"
        "  \0  \n";
    char *path = fx_write(f, "nul.jsonl", data, sizeof data - 1);
    cp_reader *r = tx_open(path);
    cp_decision d;

    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    assert_msg(r, path, 1, "NUL byte in line");
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "b");
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    assert_msg(r, path, 3, "NUL byte in line");
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    cp_reader_close(r);
    free(path);
}

static void test_bom_crlf_blank(void **state)
{
    fx *f = *state;
    char *path = fx_write_str(f, "crlf.jsonl",
        "\xEF\xBB\xBF{\"id\": \"a\", \"title\": \"t\\r\\n\"}\r\n"
        "\r\n"
        "  \t \r\n"
        "{\"id\": \"b\", \"title\": \"u\"}\r\n"
        "\n"
        "{\"id\": \"c\", \"title\": \"v\"}");
    cp_reader *r = tx_open(path);
    cp_decision d;

    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "a");
    assert_cp_str(d.title, "t");
    assert_int_equal(cp_reader_line(r), 1);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "b");
    assert_int_equal(cp_reader_line(r), 4);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "c");
    assert_int_equal(cp_reader_line(r), 6);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    assert_int_equal(cp_reader_offset(r), cp_reader_size(r));
    cp_reader_close(r);
    free(path);
}

static void test_empty_file(void **state)
{
    fx *f = *state;
    char *path = fx_write_str(f, "empty.jsonl", "");
    cp_reader *r = tx_open(path);
    cp_section s;

    assert_int_equal(cp_reader_size(r), 0);
    assert_int_equal(cp_reader_next_section(r, &s), CP_EOF);
    assert_int_equal(cp_reader_line(r), 0);
    assert_string_equal(cp_reader_error(r), "");
    cp_reader_close(r);
    free(path);
}

static void test_section_good(void **state)
{
    fx *f = *state;
    char *path = fx_write_str(f, "agreement.jsonl",
        "{\"id\": \"bestuurzaken/3.2.3\", \"chapter\": \"Bestuurzaken\", "
        "\"chapter_number\": 3, \"number\": \"3.2.3\", "
        "\"title\": \"ICT en  Informatie\", "
        "\"path\": [\"3.2 Concrete voorstellen\", \"3.2.3 ICT en Informatie\"], "
        "\"text\": \"3.2.3 ICT en Informatie  digi-\\ntaal\"}\n"
        "{\"id\": \"x/1\", \"text\": \"enkel tekst\", \"path\": []}\n"
        "{\"id\": \"x/2\", \"text\": \"t\", \"path\": [\"een\"], "
        "\"chapter\": null, \"chapter_number\": null}\n");
    cp_reader *r = tx_open(path);
    cp_section s;

    assert_int_equal(cp_reader_next_section(r, &s), CP_OK);
    assert_cp_str(s.id, "bestuurzaken/3.2.3");
    assert_cp_str(s.chapter, "Bestuurzaken");
    assert_int_equal(s.chapter_number, 3);
    assert_cp_str(s.number, "3.2.3");
    assert_cp_str(s.title, "ICT en Informatie");
    assert_cp_str(s.path, "3.2 Concrete voorstellen > 3.2.3 ICT en Informatie");
    assert_cp_str(s.text, "3.2.3 ICT en Informatie digi- taal");

    assert_int_equal(cp_reader_next_section(r, &s), CP_OK);
    assert_cp_str(s.id, "x/1");
    assert_cp_str(s.chapter, NULL);
    assert_int_equal(s.chapter_number, 0);
    assert_cp_str(s.number, NULL);
    assert_cp_str(s.title, NULL);
    assert_cp_str(s.path, NULL);
    assert_cp_str(s.text, "enkel tekst");

    assert_int_equal(cp_reader_next_section(r, &s), CP_OK);
    assert_cp_str(s.path, "een");
    assert_cp_str(s.chapter, NULL);
    assert_int_equal(cp_reader_next_section(r, &s), CP_EOF);
    cp_reader_close(r);
    free(path);
}

static const struct {
    const char *line;
    const char *msg;
} bad_sections[] = {
    { "{\"text\": \"t\"}", "missing field 'id'" },
    { "{\"id\": 3, \"text\": \"t\"}", "field 'id' is not a string" },
    { "{\"id\": \"c/1\\t\", \"text\": \"t\"}",
      "field 'id' contains whitespace or a control character" },
    { "{\"id\": \"s\"}", "missing field 'text'" },
    { "{\"id\": \"s\", \"text\": null}", "field 'text' is not a string" },
    { "{\"id\": \"s\", \"text\": \" \\n \"}", "empty 'text'" },
    { "{\"id\": \"s\", \"text\": \"t\", \"chapter\": 5}",
      "field 'chapter' is not a string or null" },
    { "{\"id\": \"s\", \"text\": \"t\", \"number\": 1.1}",
      "field 'number' is not a string or null" },
    { "{\"id\": \"s\", \"text\": \"t\", \"title\": true}",
      "field 'title' is not a string or null" },
    { "{\"id\": \"s\", \"text\": \"t\", \"chapter_number\": \"3\"}",
      "field 'chapter_number' is not an integer or null" },
    { "{\"id\": \"s\", \"text\": \"t\", \"chapter_number\": 3.0}",
      "field 'chapter_number' is not an integer or null" },
    { "{\"id\": \"s\", \"text\": \"t\", \"chapter_number\": -1}",
      "field 'chapter_number' is out of range" },
    { "{\"id\": \"s\", \"text\": \"t\", \"chapter_number\": 3000000000}",
      "field 'chapter_number' is out of range" },
    { "{\"id\": \"s\", \"text\": \"t\", \"path\": \"a > b\"}",
      "field 'path' is not an array of strings" },
    { "{\"id\": \"s\", \"text\": \"t\", \"path\": [\"a\", 2]}",
      "field 'path' is not an array of strings" },
};

static void test_section_bad(void **state)
{
    fx *f = *state;
    size_t i, n = sizeof bad_sections / sizeof bad_sections[0];
    char *data = tu_printf("%s", "");
    char *path, *tmp;
    cp_reader *r;
    cp_section s;

    for (i = 0; i < n; i++) {
        tmp = tu_printf("%s%s\n", data, bad_sections[i].line);
        free(data);
        data = tmp;
    }
    path = fx_write_str(f, "s.jsonl", data);
    r = tx_open(path);
    for (i = 0; i < n; i++) {
        assert_int_equal(cp_reader_next_section(r, &s), CP_BAD);
        assert_null(s.id.ptr);
        assert_msg(r, path, i + 1, bad_sections[i].msg);
    }
    assert_int_equal(cp_reader_next_section(r, &s), CP_EOF);
    cp_reader_close(r);
    free(path);
    free(data);
}

/* n decision lines, each about 100 bytes, numbered from 1. */
static char *make_lines(unsigned long n, size_t *len)
{
    size_t cap = n * 128 + 1, at = 0;
    char *s = malloc(cap);
    unsigned long i;

    assert_non_null(s);
    for (i = 1; i <= n; i++)
        at += (size_t)snprintf(s + at, cap - at,
            "{\"id\": \"D%lu\", \"date\": \"2020-01-01\", "
            "\"title\": \"besluit %lu over %lx\"}\n", i, i * 7919, i * 104729);
    *len = at;
    return s;
}

static void test_gzip(void **state)
{
    fx *f = *state;
    size_t len;
    char *data = make_lines(1000, &len);
    char *path = fx_write_gz(f, "d.jsonl.gz", data, len);
    cp_reader *r = tx_open(path);
    cp_decision d;
    unsigned long ok = 0, bad;
    struct stat sb;

    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(cp_reader_size(r), (unsigned long long)sb.st_size);
    assert_true(cp_reader_size(r) < len);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "D1");
    assert_true(cp_reader_offset(r) > 0);
    cp_reader_close(r);
    ok = count_decisions(path, &bad);
    assert_int_equal(ok, 1000);
    assert_int_equal(bad, 0);
    free(path);
    free(data);
}

/* Read past OK and BAD records; return the final status, count the OKs. */
static cp_status read_until_fail(cp_reader *r, unsigned long *ok)
{
    cp_decision d;
    cp_status st;

    *ok = 0;
    while ((st = cp_reader_next_decision(r, &d)) == CP_OK || st == CP_BAD)
        *ok += st == CP_OK;
    return st;
}

static void test_gzip_truncated(void **state)
{
    fx *f = *state;
    size_t len;
    char *data = make_lines(5000, &len);
    char *gz = fx_write_gz(f, "full.gz", data, len);
    char *cut, *bytes;
    struct stat sb;
    FILE *fp;
    cp_reader *r;
    unsigned long ok, line;
    char *want;

    assert_int_equal(stat(gz, &sb), 0);
    bytes = malloc((size_t)sb.st_size);
    assert_non_null(bytes);
    fp = fopen(gz, "rb");
    assert_non_null(fp);
    assert_int_equal(fread(bytes, 1, (size_t)sb.st_size, fp), (size_t)sb.st_size);
    fclose(fp);

    /* cut in the middle of the deflate data */
    cut = fx_write(f, "half.gz", bytes, (size_t)sb.st_size / 2);
    r = tx_open(cut);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    assert_true(ok > 0 && ok < 5000);
    line = cp_reader_line(r);
    assert_true(line > ok);
    want = tu_printf("%s:%lu: truncated gzip data (unexpected end of file)",
                     cut, line);
    assert_string_equal(cp_reader_error(r), want);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);  /* sticky */
    assert_string_equal(cp_reader_error(r), want);
    free(want);
    cp_reader_close(r);
    free(cut);

    /* only the 8-byte trailer (crc, length) missing: all lines, then IO */
    cut = fx_write(f, "notrailer.gz", bytes, (size_t)sb.st_size - 8);
    r = tx_open(cut);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    assert_int_equal(ok, 5000);
    check_msg(r, cut, 5001, "truncated gzip data*");
    cp_reader_close(r);
    free(cut);

    /* corrupt the deflate data */
    memset(bytes + sb.st_size / 3, 0xFF, 64);
    cut = fx_write(f, "corrupt.gz", bytes, (size_t)sb.st_size);
    r = tx_open(cut);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    want = tu_printf("%s:%lu: corrupt gzip data: ", cut, cp_reader_line(r));
    assert_true(strncmp(cp_reader_error(r), want, strlen(want)) == 0);
    free(want);
    cp_reader_close(r);
    free(cut);

    free(bytes);
    free(gz);
    free(data);
}

static void test_large_record(void **state)
{
    fx *f = *state;
    size_t words = 2 * 1000 * 1000, i, at;
    size_t cap = words * 10 + 128;
    char *line = malloc(cap);
    char *path;
    cp_reader *r;
    cp_decision d;

    assert_non_null(line);
    at = (size_t)sprintf(line, "{\"id\": \"big\", \"text\": \"");
    for (i = 0; i < words; i++) {
        memcpy(line + at, "digitaal\\t", 10);   /* "\t" escape: 2 bytes */
        at += 10;
    }
    at += (size_t)sprintf(line + at, "\"}\n{\"id\": \"next\", \"title\": \"t\"}\n");
    assert_true(at > 20u * 1000 * 1000);
    path = fx_write(f, "big.jsonl", line, at);
    r = tx_open(path);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "big");
    assert_int_equal(d.text.len, words * 9 - 1);   /* "digitaal" + ' ' */
    assert_memory_equal(d.text.ptr, "digitaal digitaal", 17);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "next");
    assert_int_equal(cp_reader_line(r), 2);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    cp_reader_close(r);
    free(path);
    free(line);
}

static void test_date_valid(void **state)
{
    static const struct {
        const char *s;
        int ok;
    } t[] = {
        { "2020-02-29", 1 }, { "2021-02-29", 0 }, { "2000-02-29", 1 },
        { "1900-02-29", 0 }, { "2100-02-28", 1 }, { "2021-13-45", 0 },
        { "2021-1-01", 0 },  { "2021-01-1", 0 },  { "2021-00-10", 0 },
        { "2021-01-00", 0 }, { "2021-01-31", 1 }, { "2021-04-31", 0 },
        { "2021-12-31", 1 }, { "1800-01-01", 1 }, { "1799-12-31", 0 },
        { "2999-12-31", 1 }, { "3000-01-01", 0 }, { "2021/01/01", 0 },
        { "2021-01-01T00", 0 }, { "", 0 }, { "20a1-01-01", 0 },
        { "2021-0a-01", 0 }, { " 021-01-01", 0 }, { "2021-01-01 ", 0 },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++)
        if (cp_date_valid(t[i].s, strlen(t[i].s)) != t[i].ok)
            fail_msg("cp_date_valid(\"%s\") != %d", t[i].s, t[i].ok);
    assert_int_equal(cp_date_valid(NULL, 10), 0);
    assert_int_equal(cp_date_valid("2020-02-29junk", 10), 1);
}

static void test_sha256(void **state)
{
    fx *f = *state;
    char *abc = fx_write_str(f, "abc", "abc");
    char *empty = fx_write_str(f, "empty", "");
    char *missing = tu_printf("%s/missing", f->dir);
    char hex[65];
    char *msg = (char *)1, *want;

    assert_int_equal(cp_file_sha256(abc, hex, &msg), CP_OK);
    assert_null(msg);
    assert_string_equal(hex,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(cp_file_sha256(empty, hex, &msg), CP_OK);
    assert_string_equal(hex,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    assert_int_equal(cp_file_sha256(missing, hex, &msg), CP_IO);
    want = tu_printf("%s: no such file or directory", missing);
    assert_string_equal(msg, want);
    free(want);
    free(msg);
    assert_int_equal(cp_file_sha256(f->dir, hex, &msg), CP_IO);
    want = tu_printf("%s: is a directory", f->dir);
    assert_string_equal(msg, want);
    free(want);
    free(msg);
    free(abc);
    free(empty);
    free(missing);
}

static void test_open_errors(void **state)
{
    fx *f = *state;
    char *missing = tu_printf("%s/nope.jsonl", f->dir);
    char *locked = fx_write_str(f, "locked.jsonl", "{}\n");
    cp_reader *r = (cp_reader *)1;
    char *msg = NULL, *want;

    assert_int_equal(cp_reader_open(missing, &r, &msg), CP_IO);
    assert_null(r);
    want = tu_printf("%s: no such file or directory", missing);
    assert_string_equal(msg, want);
    free(want);
    free(msg);

    assert_int_equal(cp_reader_open(f->dir, &r, &msg), CP_IO);
    assert_null(r);
    want = tu_printf("%s: is a directory", f->dir);
    assert_string_equal(msg, want);
    free(want);
    free(msg);

    assert_int_equal(chmod(locked, 0), 0);
    if (geteuid() != 0) {   /* root reads anything */
        assert_int_equal(cp_reader_open(locked, &r, &msg), CP_IO);
        assert_null(r);
        want = tu_printf("%s: permission denied", locked);
        assert_string_equal(msg, want);
        free(want);
        free(msg);
    }
    cp_reader_close(NULL);
    free(missing);
    free(locked);
}

static void test_sample(void **state)
{
    char *dec = tu_repo_path("corpus/sample/sample-decisions.jsonl");
    char *agr = tu_repo_path("corpus/sample/sample-agreement.jsonl");
    unsigned long bad;

    (void)state;
    assert_int_equal(count_decisions(dec, &bad), 14);
    assert_int_equal(bad, 0);
    assert_int_equal(count_sections(agr, &bad), 2);
    assert_int_equal(bad, 0);
    free(dec);
    free(agr);
}

static void test_shared(void **state)
{
    const char *dir = getenv("AKKOORD_SHARED");
    char *dec, *agr;
    unsigned long bad;

    (void)state;
    if (!dir || !*dir) {
        skip();
        return;
    }
    dec = tu_printf("%s/decisions.jsonl", dir);
    agr = tu_printf("%s/agreement.jsonl", dir);
    if (access(dec, R_OK) != 0 || access(agr, R_OK) != 0) {
        free(dec);
        free(agr);
        skip();
        return;
    }
    assert_int_equal(count_decisions(dec, &bad), 4787);
    assert_int_equal(bad, 0);
    assert_int_equal(count_sections(agr, &bad), 224);
    assert_int_equal(bad, 0);
    free(dec);
    free(agr);
}

/* ------------------------------------------------- one pass, pinned */

/* The bytes of path (*len of them), malloc'd. */
static char *slurp(const char *path, size_t *len)
{
    struct stat sb;
    FILE *fp = fopen(path, "rb");
    char *b;

    assert_non_null(fp);
    assert_int_equal(fstat(fileno(fp), &sb), 0);
    *len = (size_t)sb.st_size;
    b = malloc(*len + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, *len, fp), *len);
    fclose(fp);
    return b;
}

/* The gzip form of data (one member), malloc'd. */
static char *gz_bytes(fx *f, const char *data, size_t len, size_t *out)
{
    char *path = fx_write_gz(f, "member.gz", data, len);
    char *b = slurp(path, out);

    unlink(path);
    free(path);
    return b;
}

/* After CP_EOF: the reader hashed exactly the bytes of path. */
static void assert_pinned(cp_reader *r, const char *path)
{
    char hex[65], *msg = NULL;
    struct stat sb;

    assert_int_equal(cp_file_sha256(path, hex, &msg), CP_OK);
    assert_non_null(cp_reader_sha256(r));
    assert_string_equal(cp_reader_sha256(r), hex);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(cp_reader_offset(r), (unsigned long long)sb.st_size);
}

static void test_gzip_members(void **state)
{
    fx *f = *state;
    size_t l1, l2, g1, g2, g0, n;
    char *d1 = make_lines(300, &l1), *d2 = make_lines(5, &l2);
    char *m1 = gz_bytes(f, d1, l1, &g1), *m2 = gz_bytes(f, d2, l2, &g2);
    char *m0 = gz_bytes(f, "", 0, &g0);
    char *all = malloc(g1 + g0 + g2 + 16), *path, *want;
    cp_reader *r;
    unsigned long ok;

    assert_non_null(all);
    memcpy(all, m1, g1);
    memcpy(all + g1, m0, g0);
    memcpy(all + g1 + g0, m2, g2);
    n = g1 + g0 + g2;

    /* three members (the second empty): every line, every byte hashed */
    path = fx_write(f, "three.gz", all, n);
    r = tx_open(path);
    assert_int_equal(read_until_fail(r, &ok), CP_EOF);
    assert_int_equal(ok, 305);
    assert_pinned(r, path);
    cp_reader_close(r);
    free(path);

    /* trailing data after the last member: CP_IO, sticky, no hash */
    memcpy(all + n, "junk\n", 5);
    path = fx_write(f, "trail.gz", all, n + 5);
    r = tx_open(path);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    assert_int_equal(ok, 305);
    want = tu_printf("trailing data after gzip member 3 (at byte %zu)", n);
    assert_msg(r, path, 306, want);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    assert_msg(r, path, 306, want);
    assert_null(cp_reader_sha256(r));
    free(want);
    cp_reader_close(r);
    free(path);

    /* one byte of the gzip magic is not a member either */
    all[g1] = 0x1F;
    path = fx_write(f, "byte.gz", all, g1 + 1);
    r = tx_open(path);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    want = tu_printf("trailing data after gzip member 1 (at byte %zu)", g1);
    assert_msg(r, path, 301, want);
    free(want);
    cp_reader_close(r);
    free(path);

    /* a second member with a damaged header: named with its number */
    memcpy(all + g1, m2, g2);
    all[g1 + 3] = (char)0xE0;              /* reserved FLG bits */
    path = fx_write(f, "flags.gz", all, g1 + g2);
    r = tx_open(path);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    assert_int_equal(ok, 300);
    assert_msg(r, path, 301,
               "corrupt gzip data: unknown header flags set (member 2)");
    cp_reader_close(r);
    free(path);

    free(all);
    free(m0);
    free(m1);
    free(m2);
    free(d1);
    free(d2);
}

static void test_pinned_plain(void **state)
{
    fx *f = *state;
    size_t len;
    char *data = make_lines(5000, &len);     /* several read chunks */
    char *path = fx_write(f, "grow.jsonl", data, len);
    cp_reader *r = tx_open(path);
    cp_decision d;
    unsigned long ok;
    FILE *fp;
    char *want;

    /* a record appended after reading began is read, and hashed */
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_null(cp_reader_sha256(r));
    fp = fopen(path, "a");
    assert_non_null(fp);
    fputs("{\"id\": \"late\", \"title\": \"aangevuld\"}\n", fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(read_until_fail(r, &ok), CP_EOF);
    assert_int_equal(ok, 5000);
    assert_int_equal(cp_reader_line(r), 5001);
    assert_pinned(r, path);
    assert_int_equal(cp_reader_size(r), len);      /* the size at open */
    cp_reader_close(r);

    /* a file cut while it is read is an error, not a shorter corpus */
    free(path);
    path = fx_write(f, "cut.jsonl", data, len);
    r = tx_open(path);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_int_equal(truncate(path, (off_t)(len / 2)), 0);
    assert_int_equal(read_until_fail(r, &ok), CP_IO);
    want = tu_printf("file shrank while being read (%zu of %zu bytes)",
                     len / 2, len);
    assert_msg(r, path, cp_reader_line(r), want);
    assert_null(cp_reader_sha256(r));
    free(want);
    cp_reader_close(r);
    free(path);
    free(data);
}

/* Write data into the FIFO at path from a child process: its first byte
 * alone, then the rest, so that the reader sees the format split. */
static pid_t fifo_writer(const char *path, const char *data, size_t len)
{
    pid_t pid = fork();
    struct timespec pause = {0, 20 * 1000 * 1000};
    int fd;

    assert_true(pid >= 0);
    if (pid > 0)
        return pid;
    fd = open(path, O_WRONLY);
    if (fd < 0 || write(fd, data, 1) != 1)
        _exit(1);
    nanosleep(&pause, NULL);
    if (write(fd, data + 1, len - 1) != (ssize_t)(len - 1))
        _exit(1);
    _exit(close(fd) != 0);
}

static void test_fifo(void **state)
{
    fx *f = *state;
    size_t len, glen;
    char *data = make_lines(3000, &len);
    char *gz = gz_bytes(f, data, len, &glen);
    char *fifo = tu_printf("%s/in.fifo", f->dir);
    const char *what[2] = {data, gz};
    size_t lens[2] = {len, glen};
    int i, status;

    assert_int_equal(mkfifo(fifo, 0600), 0);
    for (i = 0; i < 2; i++) {
        char *copy = fx_write(f, "copy", what[i], lens[i]);
        pid_t pid = fifo_writer(fifo, what[i], lens[i]);
        cp_reader *r = tx_open(fifo);
        char hex[65], *msg = NULL;
        unsigned long ok;

        assert_int_equal(cp_reader_size(r), 0);
        assert_int_equal(read_until_fail(r, &ok), CP_EOF);
        assert_int_equal(ok, 3000);
        assert_int_equal(cp_file_sha256(copy, hex, &msg), CP_OK);
        assert_string_equal(cp_reader_sha256(r), hex);
        assert_int_equal(cp_reader_offset(r), lens[i]);
        cp_reader_close(r);
        assert_int_equal(waitpid(pid, &status, 0), pid);
        assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
        free(copy);
    }
    free(fifo);
    free(gz);
    free(data);
}

/* n bytes of 'a' into gz, a MiB at a time. */
static void gz_fill_a(gzFile gz, size_t n)
{
    static char mib[1 << 20];
    size_t k;

    memset(mib, 'a', sizeof mib);
    while (n > 0) {
        k = n < sizeof mib ? n : sizeof mib;
        assert_int_equal(gzwrite(gz, mib, (unsigned)k), (int)k);
        n -= k;
    }
}

static void test_line_limit(void **state)
{
    fx *f = *state;
    char *path = tu_printf("%s/long.gz", f->dir);
    char *want = tu_printf("line longer than %d bytes", CP_MAX_LINE);
    gzFile gz = gzopen(path, "wb1");
    cp_reader *r;
    cp_decision d;

    assert_non_null(gz);
    gzputs(gz, "{\"id\": \"a\", \"title\": \"t\"}\n");
    gz_fill_a(gz, (size_t)CP_MAX_LINE + 1);             /* line 2 */
    gzputs(gz, "\n{\"id\": \"b\", \"title\": \"t\"}\n");
    gz_fill_a(gz, CP_MAX_LINE);                         /* line 4 */
    gzputs(gz, "\n{\"id\": \"c\", \"title\": \"t\"}\n");
    gz_fill_a(gz, (size_t)CP_MAX_LINE + 10);            /* line 6, no LF */
    assert_int_equal(gzclose(gz), Z_OK);

    r = tx_open(path);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    assert_msg(r, path, 2, want);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "b");
    assert_int_equal(cp_reader_line(r), 3);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);  /* at the limit */
    check_msg(r, path, 4, "not valid JSON: *");
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "c");
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    assert_msg(r, path, 6, want);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    assert_pinned(r, path);
    cp_reader_close(r);
    free(want);
    free(path);
}

/* Nesting beyond jansson's depth limit is bad JSON; many fields are fine. */
static void test_deep_wide(void **state)
{
    fx *f = *state;
    size_t n = 5000, i, at = 0, cap = 2 * n + 64 + 100000 * 16;
    char *data = malloc(cap), *path;
    cp_reader *r;
    cp_decision d;

    assert_non_null(data);
    for (i = 0; i < n; i++)
        data[at++] = '[';
    for (i = 0; i < n; i++)
        data[at++] = ']';
    at += (size_t)sprintf(data + at, "\n{\"id\": \"w\", \"title\": \"t\"");
    for (i = 0; i < 100000; i++)
        at += (size_t)sprintf(data + at, ", \"f%zu\": 1", i);
    at += (size_t)sprintf(data + at, "}\n");
    path = fx_write(f, "deep.jsonl", data, at);
    r = tx_open(path);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    check_msg(r, path, 1, "not valid JSON: maximum parsing depth reached*");
    assert_int_equal(cp_reader_next_decision(r, &d), CP_OK);
    assert_cp_str(d.id, "w");
    cp_reader_close(r);
    free(path);
    free(data);
}

static void test_not_a_file(void **state)
{
    cp_reader *r = (cp_reader *)1;
    char *msg = NULL;

    (void)state;
    assert_int_equal(cp_reader_open("/dev/null", &r, &msg), CP_IO);
    assert_null(r);
    assert_string_equal(msg, "/dev/null: not a regular file or pipe");
    free(msg);
}

static void test_msg_escape(void **state)
{
    static const struct {
        const char *in;
        size_t max;
        const char *out;
    } t[] = {
        { "abc", 64, "abc" },
        { "", 64, "" },
        { "a\x1b[1m\x7f\t", 64, "a\\x1b[1m\\x7f\\x09" },
        { "\xC2\x9B" "2J", 64, "\\u009b2J" },          /* C1 CSI */
        { "\xC2\xA0\xC3\xA9", 64, "\xC2\xA0\xC3\xA9" },   /* NBSP, e-acute */
        { "\xFF\xC3", 64, "\\xff\\xc3" },                /* not UTF-8 */
        { "abcdef", 3, "abc..." },
        { "\xC3\xA9\xC3\xA9\xC3\xA9", 3, "\xC3\xA9\xC3\xA9..." },
        { "\xF0\x9F\x98\x80!", 1, "\xF0\x9F\x98\x80..." },
    };
    size_t i;
    char *e;

    (void)state;
    for (i = 0; i < sizeof t / sizeof t[0]; i++) {
        e = cp_msg_escape(t[i].in, strlen(t[i].in), t[i].max);
        assert_non_null(e);
        if (strcmp(e, t[i].out) != 0)
            fail_msg("escape #%zu: '%s', want '%s'", i, e, t[i].out);
        free(e);
    }
}

/* ------------------------------------------------------- API items */

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
    assert_cp_str(d.id, "AAAA00000000000000000001");
    assert_cp_str(d.title, "Proefproject fietsstraten");
    assert_cp_str(d.alt_title, "Ontwerpbesluit over fietsstraten");
    /* entities, &nbsp;, the comment, paragraphs apart */
    assert_cp_str(d.text, "De Vlaamse Regering keurt een proefproject goed. "
                       "Het loopt in Gent & Brugge.");
    assert_cp_str(d.date, "2021-03-28");       /* 23:30Z + 1 h (CET) */
    assert_int_equal(d.year, 2021);
    assert_cp_str(d.kind, "nota");
    assert_cp_str(d.meeting, "MEET0001");
    assert_int_equal(d.meeting_type, 4);
    assert_cp_str(d.position, "7");
    /* a set of family names, never paired with ids or titles */
    assert_cp_str(d.ministers, "Demír\nPeeters\nVan den Broeck");
    assert_cp_str(d.themes, "Theme-B\ntheme-a");
    assert_cp_str(d.uri, "http://themis.vlaanderen.be/id/nieuwsbericht/"
                      "AAAA00000000000000000001");
    assert_int_equal(cp_reader_item(r), paged ? 1 : 0);

    next_ok(r, &d);
    assert_cp_str(d.text, "Oproep 2020: vier projecten. Oproep 2022 vijf "
                       "projecten.");
    assert_cp_str(d.position, "42,43");
    assert_cp_str(d.ministers, "Peeters");
    assert_cp_str(d.themes, "theme-a");
    assert_cp_str(d.date, "2021-10-31");       /* 22:30Z + 2 h (CEST) */
    assert_cp_str(d.kind, "mededeling");
    assert_int_equal(d.meeting_type, 3);
    assert_int_equal(cp_reader_item(r), paged ? 2 : 0);
    if (paged)
        return;

    next_ok(r, &d);
    assert_cp_str(d.title, "Benoeming van leden");
    assert_cp_str(d.text, NULL);
    assert_cp_str(d.ministers, NULL);
    assert_cp_str(d.themes, NULL);
    assert_cp_str(d.uri, NULL);
    assert_cp_str(d.date, "2021-10-31");       /* 22:30Z + 1 h (CET again) */

    next_ok(r, &d);
    assert_cp_str(d.text, "Tekst één");
    assert_cp_str(d.date, "2021-07-02");
}

/* Read a fixture of tests/fixtures/valvas/ through check_items. */
static void read_fixture(const char *rel, int paged)
{
    char *path = tu_repo_path(rel);
    cp_reader *r = tx_open(path);
    cp_decision d;
    check_items(r, paged);
    if (paged)
        assert_int_equal(cp_reader_line(r), 1);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_EOF);
    assert_string_equal(cp_reader_format(r), "valvas");
    cp_reader_close(r);
    free(path);
}

static void valvas_items(void **state)
{
    (void)state;
    read_fixture("tests/fixtures/valvas/items.jsonl", 0);
}

static void valvas_page(void **state)
{
    (void)state;
    read_fixture("tests/fixtures/valvas/page.json", 1);
}

static void valvas_extract_shape(void **state)
{
    char *path = tu_repo_path("tests/fixtures/valvas/extract.jsonl");
    cp_decision d;
    (void)state;
    cp_reader *r = tx_open(path);
    next_ok(r, &d);
    assert_int_equal(d.source, CP_SRC_EXTRACT);
    assert_string_equal(cp_reader_format(r), "extract");
    assert_cp_str(d.ministers, NULL);
    cp_reader_close(r);
    free(path);
}

/* Each bad line or item named, the rest still read. */
static void valvas_bad(void **state)
{
    char *path = tu_repo_path("tests/fixtures/valvas/bad.jsonl"), *want;
    cp_decision d;
    (void)state;
    cp_reader *r = tx_open(path);
    next_ok(r, &d);
    assert_int_equal(cp_reader_next_decision(r, &d), CP_BAD);
    want = tu_printf("%s:2: malformed 'meetingDate' '2021-13-01T10:00:00Z' "
                     "(want YYYY-MM-DDTHH:MM:SSZ)", path);
    assert_string_equal(cp_reader_error(r), want);
    free(want);
    next_ok(r, &d);
    assert_cp_str(d.id, "BBBB00000000000000000002");
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
static void valvas_dates(void **state)
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

static void valvas_html(void **state)
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
static void valvas_shared_fixtures(void **state)
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
        assert_cp_str(d.ministers, cases[i].ministers);
        assert_cp_str(d.position, cases[i].position);
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

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_decision_good),
        T(test_decision_bad),
        T(test_nul_byte),
        T(test_bom_crlf_blank),
        T(test_empty_file),
        T(test_section_good),
        T(test_section_bad),
        T(test_gzip),
        T(test_gzip_truncated),
        T(test_large_record),
        T(test_gzip_members),
        T(test_pinned_plain),
        T(test_fifo),
        T(test_line_limit),
        T(test_deep_wide),
        cmocka_unit_test(test_not_a_file),
        cmocka_unit_test(test_msg_escape),
        cmocka_unit_test(test_date_valid),
        T(test_sha256),
        T(test_open_errors),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_shared),
        cmocka_unit_test(valvas_items),
        cmocka_unit_test(valvas_page),
        cmocka_unit_test(valvas_extract_shape),
        cmocka_unit_test(valvas_bad),
        cmocka_unit_test(valvas_dates),
        cmocka_unit_test(valvas_html),
        cmocka_unit_test(valvas_shared_fixtures),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
