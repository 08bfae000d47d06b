/*
 * test_shim.c -- cmocka tests for the shim layer (shim/xs.h).
 *
 * Owns: every branch of the exception translator (xs_test_raise), status
 * strings and xs_err; the one stemmer as the query parser and indexer use
 * it (word forms, case, diacritics), xs_fold and xs_stem_word against the
 * data files fold-cases.txt and stem-cases.txt; parse errors, the writer
 * lock, opening a missing database, and a document round trip (data,
 * values, unique-term lookup, term lists); xs_word_fold, the spelling
 * table (which words a document gives it) and xs_db_suggest.  Each test that touches disk
 * works in its own mkdtemp() directory.
 */
#define _XOPEN_SOURCE 700

#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tu.h"

#include "../../indexer/ix.h"
#include "../../shim/xs.h"

/* Per-test state: a temporary directory and a stemmer. */
typedef struct fx {
    char *dir;
    xs_stem *stem;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    xs_err err = {0};

    assert_non_null(f);
    f->dir = tu_mkdtemp("akkoord-shim");
    assert_int_equal(xs_stem_new(&f->stem, &err), XS_OK);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;

    tu_rmtree(f->dir);
    xs_stem_free(f->stem);
    free(f->dir);
    free(f);
    return 0;
}

/* One case of a data file: two columns, escapes resolved. */
typedef struct tx_case {
    char *col[2];
    size_t len[2];
    unsigned line;
} tx_case;

/* Resolve \xNN, \t and \\ in s[0..n) into a malloc'd buffer. */
static char *unescape(const char *s, size_t n, size_t *len)
{
    char *out = malloc(n + 1);
    size_t i, o = 0;

    assert_non_null(out);
    for (i = 0; i < n; i++) {
        if (s[i] != '\\' || i + 1 >= n) {
            out[o++] = s[i];
        } else if (s[i + 1] == 't' || s[i + 1] == '\\') {
            out[o++] = s[i + 1] == 't' ? '\t' : '\\';
            i++;
        } else {
            unsigned v;
            assert_true(s[i + 1] == 'x' && i + 3 < n &&
                        sscanf(s + i + 2, "%2x", &v) == 1);
            out[o++] = (char)v;
            i += 3;
        }
    }
    out[o] = '\0';
    *len = o;
    return out;
}

/* Read "a<TAB>b" lines of tests/unit/<name>; '#' lines are comments. */
static tx_case *load_cases(const char *name, size_t *n)
{
    char *rel = tu_printf("tests/unit/%s", name);
    char *path = tu_repo_path(rel);
    FILE *fp = fopen(path, "r");
    char line[1024];
    tx_case *c = NULL;
    unsigned no = 0;

    if (!fp)
        fail_msg("cannot open '%s'", path);
    *n = 0;
    while (fgets(line, sizeof line, fp)) {
        size_t l = strcspn(line, "\n");
        char *tab = memchr(line, '\t', l);

        no++;
        if (line[0] == '#' || l == 0)
            continue;
        if (!tab)
            fail_msg("%s:%u: no tab", path, no);
        c = realloc(c, (*n + 1) * sizeof *c);
        assert_non_null(c);
        c[*n].col[0] = unescape(line, (size_t)(tab - line), &c[*n].len[0]);
        c[*n].col[1] = unescape(tab + 1, l - (size_t)(tab - line) - 1,
                                &c[*n].len[1]);
        c[*n].line = no;
        (*n)++;
    }
    fclose(fp);
    free(rel);
    free(path);
    return c;
}

static void free_cases(tx_case *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(c[i].col[0]);
        free(c[i].col[1]);
    }
    free(c);
}

/* Write docs text[i] under id term "Q<i>" with data "<i>" at path. */
static void write_docs(const char *path, xs_stem *stem,
                       const char *const *text, size_t n)
{
    xs_writer *w = NULL;
    xs_doc *doc = NULL;
    xs_err err = {0};

    assert_int_equal(xs_writer_open(path, 0, &w, &err), XS_OK);
    assert_int_equal(xs_doc_new(stem, &doc, &err), XS_OK);
    for (size_t i = 0; i < n; i++) {
        char id[16], data[16];

        snprintf(id, sizeof id, "Q%zu", i);
        snprintf(data, sizeof data, "%zu", i);
        assert_int_equal(xs_doc_clear(doc, &err), XS_OK);
        assert_int_equal(xs_doc_index_text(doc, text[i], strlen(text[i]), 1,
                                           "", &err), XS_OK);
        assert_int_equal(xs_doc_add_term(doc, id, 0, &err), XS_OK);
        assert_int_equal(xs_doc_set_data(doc, data, strlen(data), &err),
                         XS_OK);
        assert_int_equal(xs_writer_replace(w, id, doc, &err), XS_OK);
    }
    assert_int_equal(xs_writer_commit(w, &err), XS_OK);
    xs_doc_free(doc);
    xs_writer_close(w);
}

/* Bit i set for each document "<i>" that q matches. */
static unsigned search_mask(const xs_db *db, const xs_query *q)
{
    xs_search_opts o = {.offset = 0, .limit = 32, .sort_slot = -1};
    xs_mset *m = NULL;
    xs_err err = {0};
    unsigned mask = 0;

    assert_int_equal(xs_search(db, q, &o, &m, &err), XS_OK);
    for (unsigned i = 0; i < xs_mset_size(m); i++) {
        char *data = NULL;

        assert_int_equal(xs_db_data(db, xs_mset_docid(m, i), &data, NULL,
                                    &err), XS_OK);
        mask |= 1u << atoi(data);
        free(data);
    }
    xs_mset_free(m);
    return mask;
}

/* Parse text with the index's parser configuration and search it. */
static unsigned parse_mask(const xs_db *db, xs_stem *stem, const char *text,
                           char **describe)
{
    xs_query *q = NULL;
    xs_err err = {0};
    unsigned mask;

    if (xs_query_parse(db, stem, ix_parser_conf(), text, &q, &err) != XS_OK)
        fail_msg("query '%s': %s", text, err.msg);
    mask = search_mask(db, q);
    if (describe)
        *describe = xs_query_describe(q);
    xs_query_free(q);
    return mask;
}

/* ------------------------------------------------------- error mapping */

/* What xs_test_raise(i) throws becomes: st when writing or opening,
 * read_st when reading an open database (xs_test_raise_read), where
 * whatever can only mean damaged files is XS_CORRUPT. */
static const struct {
    xs_status st, read_st;
    const char *msg;
} raises[] = {
    {XS_OK, XS_OK, NULL},
    {XS_LOCKED, XS_LOCKED, "DatabaseLockError: lock held"},
    {XS_RETRY, XS_CORRUPT, "DatabaseModifiedError: modified"},
    {XS_CORRUPT, XS_CORRUPT, "DatabaseCorruptError: corrupt"},
    {XS_VERSION, XS_VERSION, "DatabaseVersionError: version"},
    {XS_NOT_FOUND, XS_CORRUPT, "DatabaseNotFoundError: not found"},
    {XS_IO, XS_IO, "DatabaseOpeningError: cannot open"},
    {XS_IO, XS_CORRUPT, "DatabaseError: write failed"},
    {XS_NOT_FOUND, XS_CORRUPT, "DocNotFoundError: no doc"},
    {XS_BAD_QUERY, XS_BAD_QUERY, "QueryParserError: bad query"},
    {XS_INVALID, XS_CORRUPT, "InvalidArgumentError: bad arg"},
    {XS_INVALID, XS_INVALID, "InvalidOperationError: bad op"},
    {XS_ERROR, XS_CORRUPT, "RangeError: range"},
    {XS_NOMEM, XS_NOMEM, "out of memory"},     /* a real shortage: exit 4 */
    {XS_ERROR, XS_ERROR, "runtime"},
    {XS_ERROR, XS_CORRUPT, "SerialisationError: serialised"},
    {XS_ERROR, XS_CORRUPT, "too long"},
    {XS_ERROR, XS_CORRUPT, "out of range"},
    {XS_ERROR, XS_ERROR, "unknown C++ exception"},
};
#define NRAISES (int)(sizeof raises / sizeof *raises)

static void test_err_translate(void **state)
{
    xs_err err = {0};

    (void)state;
    for (int i = 0; i < NRAISES; i++) {
        assert_int_equal(xs_test_raise(i, &err), raises[i].st);
        assert_int_equal(err.code, raises[i].st);
        if (!raises[i].msg)
            assert_null(err.msg);
        else if (!err.msg || strcmp(err.msg, raises[i].msg) != 0)
            fail_msg("raise %d: '%s', want '%s'", i,
                     err.msg ? err.msg : "(null)", raises[i].msg);
        xs_err_clear(&err);
    }
    /* a message replaces the previous one (ASan checks the free) */
    assert_int_equal(xs_test_raise(1, &err), XS_LOCKED);
    assert_int_equal(xs_test_raise(14, &err), XS_ERROR);
    assert_string_equal(err.msg, "runtime");
    xs_err_clear(&err);
    assert_int_equal(xs_test_raise(13, NULL), XS_NOMEM);
}

static void test_status_str(void **state)
{
    (void)state;
    for (int a = XS_OK; a <= XS_ERROR; a++) {
        const char *s = xs_status_str((xs_status)a);

        assert_non_null(s);
        assert_true(s[0] != '\0');
        assert_string_not_equal(s, "unknown status");
        for (int b = XS_OK; b < a; b++)
            assert_string_not_equal(s, xs_status_str((xs_status)b));
    }
    assert_string_equal(xs_status_str(XS_OK), "ok");
}

static void test_err_clear(void **state)
{
    xs_err err = {0};

    (void)state;
    xs_err_clear(&err);
    assert_null(err.msg);
    assert_int_equal(err.code, XS_OK);
    xs_err_clear(NULL);
    assert_int_equal(xs_err_set(&err, XS_IO, "x %d '%s'", 5, "y"), XS_IO);
    assert_string_equal(err.msg, "x 5 'y'");
    xs_err_clear(&err);
    assert_null(err.msg);
    assert_int_equal(err.code, XS_OK);
    assert_int_equal(xs_err_set(NULL, XS_CORRUPT, "z"), XS_CORRUPT);
}

/* ----------------------------------------------------------- stemming */

static const char *const stem_docs[] = {
    "digitalisering", "digitaliseren", "digitaal", "digitale",
    "een windmolen in de haven", "België en Financiën",
};

/* The Snowball Dutch stems (libstemmer_c 2.2.0) of stem_docs[0..3]. */
static const struct {
    const char *word, *stem;
    unsigned docs;
} stem_words[] = {
    {"digitalisering", "digitaliser", 0x3},
    {"digitaliseren", "digitaliser", 0x3},
    {"digitaal", "digital", 0xC},
    {"digitale", "digital", 0xC},
};

static xs_db *open_stem_db(fx *f)
{
    char *path = tu_printf("%s/db", f->dir);
    xs_db *db = NULL;
    xs_err err = {0};

    write_docs(path, f->stem, stem_docs, sizeof stem_docs / sizeof *stem_docs);
    assert_int_equal(xs_db_open(path, &db, &err), XS_OK);
    free(path);
    return db;
}

/* The same exceptions raised while reading an open database: XS_CORRUPT
 * messages are named after the database. */
static void test_err_translate_read(void **state)
{
    fx *f = *state;
    char *path = tu_printf("%s/db", f->dir);
    xs_db *db = open_stem_db(f);               /* at path */
    xs_err err = {0};

    for (int named = 0; named < 2; named++) {
        if (named)
            assert_int_equal(xs_db_set_name(db, "idx", "part", &err), XS_OK);
        for (int i = 0; i < NRAISES; i++) {
            const char *msg = raises[i].msg;
            char *want = !msg ? NULL
                         : raises[i].read_st != XS_CORRUPT ? tu_printf("%s", msg)
                         : named ? tu_printf("index 'idx' is corrupt: part: %s",
                                             msg)
                                 : tu_printf("index '%s' is corrupt: %s", path,
                                             msg);

            assert_int_equal(xs_test_raise_read(db, i, &err),
                             raises[i].read_st);
            if (!want)
                assert_null(err.msg);
            else if (!err.msg || strcmp(err.msg, want) != 0)
                fail_msg("read raise %d: '%s', want '%s'", i,
                         err.msg ? err.msg : "(null)", want);
            free(want);
            xs_err_clear(&err);
        }
    }
    /* without a database it is not reading: as xs_test_raise */
    assert_int_equal(xs_test_raise_read(NULL, 8, &err), XS_NOT_FOUND);
    xs_err_clear(&err);
    /* damage the caller found itself */
    xs_err_set(&err, XS_CORRUPT, "bad field %d", 3);
    assert_int_equal(xs_db_blame(NULL, &err), XS_CORRUPT);
    assert_string_equal(err.msg, "database is corrupt: bad field 3");
    xs_err_set(&err, XS_CORRUPT, "bad field %d", 3);
    assert_int_equal(xs_db_blame(db, &err), XS_CORRUPT);
    assert_string_equal(err.msg, "index 'idx' is corrupt: part: bad field 3");
    xs_err_clear(&err);
    assert_int_equal(xs_db_blame(db, NULL), XS_CORRUPT);
    assert_int_equal(xs_db_lastdocid(db),
                     sizeof stem_docs / sizeof *stem_docs);
    xs_db_close(db);
    free(path);
}

static void test_stem_query_path(void **state)
{
    fx *f = *state;
    xs_db *db = open_stem_db(f);
    xs_err err = {0};

    for (size_t i = 0; i < sizeof stem_words / sizeof *stem_words; i++) {
        char *desc = NULL, *want;
        const char *s = xs_stem_word(f->stem, stem_words[i].word,
                                     strlen(stem_words[i].word), NULL, &err);

        assert_string_equal(s, stem_words[i].stem);
        if (parse_mask(db, f->stem, stem_words[i].word, &desc) !=
            stem_words[i].docs)
            fail_msg("query '%s' finds the wrong documents",
                     stem_words[i].word);
        want = tu_printf("Query(Z%s@1)", stem_words[i].stem);
        assert_string_equal(desc, want);
        free(want);
        free(desc);
    }
    /* the control: unrelated words find only their own document */
    assert_int_equal(parse_mask(db, f->stem, "windmolen", NULL), 1u << 4);
    assert_int_equal(xs_db_termfreq(db, "Zdigital"), 2);
    assert_int_equal(xs_db_termfreq(db, "Zdigitaliser"), 2);
    xs_db_close(db);
}

static void test_case_diacritics(void **state)
{
    static const char *const q[] = {
        "belgie", "BELGIE", "België", "BELGIË", "financien", "Financien",
        "FINANCIËN", "belgie financien", "\"belgie en financien\"",
    };
    fx *f = *state;
    xs_db *db = open_stem_db(f);

    for (size_t i = 0; i < sizeof q / sizeof *q; i++)
        if (parse_mask(db, f->stem, q[i], NULL) != 1u << 5)
            fail_msg("query '%s' does not find exactly 'België en Financiën'",
                     q[i]);
    assert_int_equal(xs_db_termfreq(db, "Zbelgie"), 1);
    assert_int_equal(xs_db_termfreq(db, "Zfinancien"), 1);
    xs_db_close(db);
}

static void test_fold_table(void **state)
{
    size_t n, i;
    tx_case *c = load_cases("fold-cases.txt", &n);

    (void)state;
    assert_true(n >= 40);
    for (i = 0; i < n; i++) {
        char *got = xs_fold(c[i].col[0], c[i].len[0]);

        assert_non_null(got);
        if (strlen(got) != c[i].len[1] || memcmp(got, c[i].col[1], c[i].len[1]))
            fail_msg("fold-cases.txt:%u: xs_fold(\"%s\") = \"%s\", want \"%s\"",
                     c[i].line, c[i].col[0], got, c[i].col[1]);
        free(got);
    }
    free_cases(c, n);
}

static void test_stem_table(void **state)
{
    fx *f = *state;
    size_t n, i, len;
    tx_case *c = load_cases("stem-cases.txt", &n);
    xs_err err = {0};

    assert_true(n >= 30);
    for (i = 0; i < n; i++) {
        const char *s = xs_stem_word(f->stem, c[i].col[0], c[i].len[0], &len,
                                     &err);

        assert_non_null(s);
        if (len != c[i].len[1] || memcmp(s, c[i].col[1], len) != 0)
            fail_msg("stem-cases.txt:%u: stem(\"%s\") = \"%s\", want \"%s\"",
                     c[i].line, c[i].col[0], s, c[i].col[1]);
    }
    free_cases(c, n);
    tu_assert_contains(xs_stem_name(), "libstemmer_c:dutch");
}

/* ------------------------------------------------- parser and databases */

static void test_query_bad(void **state)
{
    static const char *const bad[] = {"foo AND", "a..b", "NOT", "x OR OR y",
                                      "2021..2020"};
    fx *f = *state;
    xs_db *db = open_stem_db(f);
    xs_query *q = NULL;
    xs_err err = {0};

    assert_int_equal(xs_query_parse(db, f->stem, ix_parser_conf(),
                                    "foo AND bar", &q, &err), XS_OK);
    xs_query_free(q);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        q = (xs_query *)&err;   /* must be reset to NULL */
        if (xs_query_parse(db, f->stem, ix_parser_conf(), bad[i], &q, &err) !=
            XS_BAD_QUERY)
            fail_msg("query '%s' is not XS_BAD_QUERY", bad[i]);
        assert_null(q);
        tu_assert_contains(err.msg, "QueryParserError: ");
        xs_err_clear(&err);
    }
    xs_db_close(db);
}

static void test_writer_lock(void **state)
{
    fx *f = *state;
    char *path = tu_printf("%s/locked", f->dir);
    xs_writer *w1 = NULL, *w2 = NULL;
    xs_err err = {0};

    assert_int_equal(xs_writer_open(path, 0, &w1, &err), XS_OK);
    w2 = (xs_writer *)&err;
    assert_int_equal(xs_writer_open(path, 0, &w2, &err), XS_LOCKED);
    assert_null(w2);
    tu_assert_contains(err.msg, "DatabaseLockError");
    xs_err_clear(&err);
    xs_writer_close(w1);
    assert_int_equal(xs_writer_open(path, 0, &w2, &err), XS_OK);
    xs_writer_close(w2);
    free(path);
}

/* A new database f->dir/name (*path malloc'd) and an empty document. */
static void open_writer_doc(fx *f, const char *name, char **path,
                            xs_writer **w, xs_doc **doc)
{
    xs_err err = {0};
    *path = tu_printf("%s/%s", f->dir, name);
    assert_int_equal(xs_writer_open(*path, 0, w, &err), XS_OK);
    assert_int_equal(xs_doc_new(f->stem, doc, &err), XS_OK);
}

/* xs_writer_close drops what was not committed (it never writes: a
 * commit after a failed write can crash inside Xapian). */
static void test_writer_close_drops(void **state)
{
    char *path;
    xs_writer *w;
    xs_doc *doc;
    xs_db *db = NULL;
    xs_err err = {0};

    open_writer_doc(*state, "drops", &path, &w, &doc);
    assert_int_equal(xs_doc_add_term(doc, "Qa", 0, &err), XS_OK);
    assert_int_equal(xs_writer_replace(w, "Qa", doc, &err), XS_OK);
    assert_int_equal(xs_writer_commit(w, &err), XS_OK);
    assert_int_equal(xs_writer_replace(w, "Qb", doc, &err), XS_OK);
    xs_writer_close(w);
    assert_int_equal(xs_db_open(path, &db, &err), XS_OK);
    assert_int_equal(xs_db_doccount(db), 1);
    xs_db_close(db);
    xs_doc_free(doc);
    free(path);
}

static void test_db_open_missing(void **state)
{
    fx *f = *state;
    char *path = tu_printf("%s/missing/db", f->dir);
    xs_db *db = (xs_db *)&path;
    xs_err err = {0};

    assert_int_equal(xs_db_open(path, &db, &err), XS_NOT_FOUND);
    assert_null(db);
    tu_assert_contains(err.msg, "DatabaseNotFoundError");
    tu_assert_contains(err.msg, path);
    xs_err_clear(&err);
    /* an empty directory is no database either */
    assert_int_equal(xs_db_open(f->dir, &db, &err), XS_NOT_FOUND);
    assert_null(db);
    xs_err_clear(&err);
    free(path);
}

/* --------------------------------------------------- document round trip */

static const char bin_data[] = "a\0b\xff,:9";   /* 7 bytes with a NUL */

/* Docs "Qa" (nota, 2021-02-05, binary data), "Qb" (nota+mededeling,
 * 2019-11-29), "Qc" written twice; metadata k=v. */
static xs_db *open_roundtrip_db(fx *f)
{
    static const struct {
        const char *id, *text, *date, *data;
        size_t len;
    } d[] = {
        {"Qa", "Vlaanderen Radicaal Digitaal", "20210205", bin_data, 7},
        {"Qb", "windmolens", "20191129", "", 0},
        {"Qc", "eerste versie", "20200101", "v1", 2},
        {"Qc", "tweede versie", "20200102", "v2", 2},
    };
    char *path;
    xs_writer *w;
    xs_doc *doc;
    xs_db *db = NULL;
    xs_err err = {0};

    open_writer_doc(f, "rt", &path, &w, &doc);
    for (size_t i = 0; i < sizeof d / sizeof *d; i++) {
        assert_int_equal(xs_doc_clear(doc, &err), XS_OK);
        assert_int_equal(xs_doc_index_text(doc, d[i].text, strlen(d[i].text),
                                           1, "", &err), XS_OK);
        assert_int_equal(xs_doc_add_term(doc, d[i].id, 0, &err), XS_OK);
        assert_int_equal(xs_doc_add_term(doc, "Knota", 0, &err), XS_OK);
        if (i == 1)
            assert_int_equal(xs_doc_add_term(doc, "Kmededeling", 0, &err), 0);
        assert_int_equal(xs_doc_set_value(doc, 0, d[i].date, 8, &err), XS_OK);
        assert_int_equal(xs_doc_set_data(doc, d[i].data, d[i].len, &err), 0);
        assert_int_equal(xs_writer_replace(w, d[i].id, doc, &err), XS_OK);
    }
    int has = 0;
    assert_int_equal(xs_writer_has_term(w, "Qc", &has, &err), XS_OK);
    assert_int_equal(has, 1);
    assert_int_equal(xs_writer_has_term(w, "Qzz", &has, &err), XS_OK);
    assert_int_equal(has, 0);
    assert_int_equal(xs_writer_set_metadata(w, "k", "v", &err), XS_OK);
    assert_int_equal(xs_writer_commit(w, &err), XS_OK);
    xs_doc_free(doc);
    xs_writer_close(w);
    assert_int_equal(xs_db_open(path, &db, &err), XS_OK);
    free(path);
    return db;
}

/* Append "term:n " to the string in ctx; stop after ctx's limit. */
typedef struct terms_ctx {
    char buf[512];
    int limit;
} terms_ctx;

static int collect_term(void *ctx, const char *term, size_t len, unsigned n)
{
    terms_ctx *c = ctx;
    size_t at = strlen(c->buf);

    snprintf(c->buf + at, sizeof c->buf - at, "%.*s:%u ", (int)len, term, n);
    return --c->limit == 0;
}

static void test_doc_data_lookup(void **state)
{
    fx *f = *state;
    xs_db *db = open_roundtrip_db(f);
    xs_docid did = 99;
    xs_err err = {0};
    char *data = NULL, *meta = NULL;
    size_t len = 0;

    assert_int_equal(xs_db_doccount(db), 3);
    assert_int_equal(xs_db_lookup(db, "Qa", &did, &err), XS_OK);
    assert_int_equal(xs_db_data(db, did, &data, &len, &err), XS_OK);
    assert_int_equal(len, 7);
    assert_memory_equal(data, bin_data, 7);
    free(data);
    assert_int_equal(xs_db_lookup(db, "Qc", &did, &err), XS_OK);
    assert_int_equal(xs_db_data(db, did, &data, &len, &err), XS_OK);
    assert_string_equal(data, "v2");
    free(data);
    assert_int_equal(xs_db_lookup(db, "Qzz", &did, &err), XS_NOT_FOUND);
    assert_int_equal(did, 0);
    assert_string_equal(err.msg, "no document 'Qzz'");
    xs_err_clear(&err);
    assert_int_equal(xs_db_metadata(db, "k", &meta, &err), XS_OK);
    assert_string_equal(meta, "v");
    free(meta);
    assert_int_equal(xs_db_metadata(db, "unset", &meta, &err), XS_OK);
    assert_string_equal(meta, "");
    free(meta);
    xs_db_close(db);
}

static void test_doc_terms(void **state)
{
    fx *f = *state;
    xs_db *db = open_roundtrip_db(f);
    terms_ctx c = {.buf = "", .limit = -1};
    xs_docid did = 0;
    xs_err err = {0};

    assert_int_equal(xs_db_each_term(db, "K", collect_term, &c, &err), XS_OK);
    assert_string_equal(c.buf, "Kmededeling:1 Knota:3 ");
    c = (terms_ctx){.buf = "", .limit = 1};
    assert_int_equal(xs_db_each_term(db, "Q", collect_term, &c, &err), XS_OK);
    assert_string_equal(c.buf, "Qa:1 ");
    c = (terms_ctx){.buf = "", .limit = -1};
    assert_int_equal(xs_db_lookup(db, "Qa", &did, &err), XS_OK);
    assert_int_equal(xs_db_doc_terms(db, did, collect_term, &c, &err), XS_OK);
    assert_string_equal(c.buf, "Knota:0 Qa:0 Zdigital:1 Zradical:1 "
                               "Zvlaander:1 ");
    assert_int_equal(xs_db_doclength(db, did), 3);
    assert_int_equal(xs_db_termfreq(db, "Zversie"), 1);
    assert_int_equal(xs_db_termfreq(db, "Zeerst"), 0);   /* replaced */
    xs_db_close(db);
}

static void test_doc_values(void **state)
{
    fx *f = *state;
    xs_db *db = open_roundtrip_db(f);
    xs_search_opts o = {.offset = 0, .limit = 10, .sort_slot = 0};
    xs_query *q = NULL;
    xs_mset *m = NULL;
    xs_docid a = 0, b = 0, c = 0;
    xs_err err = {0};

    assert_int_equal(xs_db_lookup(db, "Qa", &a, &err), XS_OK);
    assert_int_equal(xs_db_lookup(db, "Qb", &b, &err), XS_OK);
    assert_int_equal(xs_db_lookup(db, "Qc", &c, &err), XS_OK);
    assert_int_equal(xs_query_term("Knota", 1, &q, &err), XS_OK);
    assert_int_equal(xs_search(db, q, &o, &m, &err), XS_OK);
    assert_int_equal(xs_mset_size(m), 3);     /* newest first */
    assert_int_equal(xs_mset_docid(m, 0), a);
    assert_int_equal(xs_mset_docid(m, 1), c);
    assert_int_equal(xs_mset_docid(m, 2), b);
    xs_mset_free(m);
    xs_query_free(q);
    o.sort_slot = -1;
    assert_int_equal(xs_query_range(0, "20200102", "20211231", &q, &err), 0);
    assert_int_equal(xs_search(db, q, &o, &m, &err), XS_OK);
    assert_int_equal(xs_mset_size(m), 2);
    assert_int_equal(xs_mset_docid(m, 0), a < c ? a : c);
    xs_mset_free(m);
    xs_query_free(q);
    assert_int_equal(xs_query_range(0, "", "20191231", &q, &err), XS_OK);
    assert_int_equal(xs_search(db, q, &o, &m, &err), XS_OK);
    assert_int_equal(xs_mset_size(m), 1);
    assert_int_equal(xs_mset_docid(m, 0), b);
    xs_mset_free(m);
    xs_query_free(q);
    xs_db_close(db);
}

/* A one- or two-letter part before a hyphen gets a joined term too
 * ("M-decreet" -> Zmdecret), in the field's prefix; longer parts and
 * hyphens inside a word do not. */
static void test_doc_short_hyphen(void **state)
{
    fx *f = *state;
    xs_doc *doc = NULL;
    xs_err err = {0};
    terms_ctx c = {.buf = "", .limit = -1};
    static const char text[] = "Het M-decreet, e-loket, ab-cd, ICT-functie";

    assert_int_equal(xs_doc_new(f->stem, &doc, &err), XS_OK);
    assert_int_equal(xs_doc_index_text(doc, text, strlen(text), 1, "S", &err),
                     XS_OK);
    assert_int_equal(xs_doc_each_term(doc, collect_term, &c, &err), XS_OK);
    assert_non_null(strstr(c.buf, "ZSmdecret:1 "));
    assert_non_null(strstr(c.buf, "ZSeloket:1 "));
    assert_null(strstr(c.buf, "ZSabcd"));        /* "cd": too short */
    assert_null(strstr(c.buf, "ZSictfunctie"));  /* "ICT": three letters */
    xs_doc_free(doc);
}

/* ----------------------------------------------------------- spelling */

/* The word a user types: Unicode-lowercased, then folded. */
static void test_word_fold(void **state)
{
    static const char *const cases[][2] = {
        {"Financi\xc3\xabLE", "financiele"},
        {"\xc3\x89\xc3\x89N", "een"},
        {"\xce\x91\xce\x98\xce\x97\xce\x9d\xce\x91",   /* ATHINA */
         "\xce\xb1\xce\xb8\xce\xb7\xce\xbd\xce\xb1"},
        {"", ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *w = xs_word_fold(cases[i][0], strlen(cases[i][0]));
        assert_non_null(w);
        assert_string_equal(w, cases[i][1]);
        free(w);
    }
}

/* Fail unless the term list c (from collect_term) has "Z" + the stem of
 * word with wdf n. */
static void assert_stem_term(const terms_ctx *c, xs_stem *stem,
                             const char *word, unsigned n)
{
    size_t sl;
    xs_err err = {0};
    const char *st = xs_stem_word(stem, word, strlen(word), &sl, &err);
    assert_non_null(st);
    char *want = tu_printf(" Z%.*s:%u ", (int)sl, st, n);
    char *have = tu_printf(" %s", c->buf);
    tu_assert_contains(have, want);
    free(want);
    free(have);
}

/* XS_DOC_EXACT adds prefix + folded word beside each stemmed term, with
 * the same wdf; without the flag there are none. */
static void test_doc_exact(void **state)
{
    fx *f = *state;
    xs_doc *doc = NULL;
    xs_err err = {0};
    terms_ctx c = {.buf = "", .limit = -1};
    static const char text[] = "De Overheid, de OVERHEID: financi\xc3\xable";

    assert_int_equal(xs_doc_new(f->stem, &doc, &err), XS_OK);
    assert_int_equal(xs_doc_index_text(doc, text, strlen(text), 1, "", &err),
                     XS_OK);
    assert_int_equal(xs_doc_each_term(doc, collect_term, &c, &err), XS_OK);
    for (const char *p = c.buf; *p; p = strchr(p, ' ') + 1)
        assert_int_equal(*p, 'Z');                   /* stemmed only */
    xs_doc_set_flags(doc, XS_DOC_EXACT);
    assert_int_equal(xs_doc_clear(doc, &err), XS_OK);
    assert_int_equal(xs_doc_index_text(doc, text, strlen(text), 2, "", &err),
                     XS_OK);
    assert_int_equal(xs_doc_index_text(doc, "Overheid", 8, 1, "S", &err),
                     XS_OK);
    c.buf[0] = '\0';
    assert_int_equal(xs_doc_each_term(doc, collect_term, &c, &err), XS_OK);
    assert_stem_term(&c, f->stem, "overheid", 4);
    assert_stem_term(&c, f->stem, "financiele", 2);
    assert_stem_term(&c, f->stem, "de", 4);
    char *have = tu_printf(" %s", c.buf);
    /* exact terms weigh nothing (wdf 0): the document's length, and every
     * BM25 weight of its stems, stay as without them */
    tu_assert_contains(have, " overheid:0 ");
    tu_assert_contains(have, " financiele:0 ");     /* folded, unstemmed */
    tu_assert_contains(have, " de:0 ");
    tu_assert_contains(have, " Soverheid:0 ");
    assert_null(strstr(have, " financiel:"));
    free(have);
    xs_doc_free(doc);
}

/* Index text into doc with prefix, clearing it first. */
static void index_one(xs_doc *doc, const char *text, const char *prefix)
{
    xs_err err = {0};
    assert_int_equal(xs_doc_clear(doc, &err), XS_OK);
    assert_int_equal(xs_doc_index_text(doc, text, strlen(text), 1, prefix,
                                       &err), XS_OK);
}

static void add_doc(xs_writer *w, xs_doc *doc, const char *id)
{
    xs_err err = {0};
    assert_int_equal(xs_doc_add_term(doc, id, 0, &err), XS_OK);
    assert_int_equal(xs_writer_replace(w, id, doc, &err), XS_OK);
    assert_int_equal(xs_writer_add_spelling(w, doc, &err), XS_OK);
}

static void assert_suggests(const xs_db *db, const char *word,
                            const char *want)
{
    char *got = NULL;
    xs_err err = {0};
    assert_int_equal(xs_db_suggest(db, word, &got, &err), XS_OK);
    assert_string_equal(got, want);
    free(got);
}

/* Only the unprefixed field of a document flagged XS_DOC_SPELLING feeds
 * the spelling table, folded; a clear forgets the words; xs_db_suggest
 * folds what it is asked. */
static void test_doc_spelling(void **state)
{
    fx *f = *state;
    char *path;
    xs_writer *w;
    xs_doc *doc;
    xs_db *db = NULL;
    xs_err err = {0};

    open_writer_doc(f, "spell", &path, &w, &doc);
    index_one(doc, "Zorgverzekering", "");            /* no flag yet */
    add_doc(w, doc, "Qa");
    xs_doc_set_flags(doc, XS_DOC_SPELLING);
    index_one(doc, "Kinderopvang en FINANCI\xc3\x8bLE steun", "");
    assert_int_equal(xs_doc_index_text(doc, "Woonbeleid", 10, 1, "S", &err),
                     XS_OK);                            /* a prefix: no */
    add_doc(w, doc, "Qb");
    index_one(doc, "ruimtelijke", "");
    index_one(doc, "ordening", "");                     /* cleared */
    add_doc(w, doc, "Qc");
    assert_int_equal(xs_writer_commit(w, &err), XS_OK);
    xs_doc_free(doc);
    xs_writer_close(w);
    assert_int_equal(xs_db_open(path, &db, &err), XS_OK);
    assert_suggests(db, "kinderopvnag", "kinderopvang");
    assert_suggests(db, "KINDEROPVNAG", "kinderopvang");
    assert_suggests(db, "financile", "financiele");
    assert_suggests(db, "ordenning", "ordening");
    assert_suggests(db, "kinderopvang", "");          /* spelt right */
    assert_suggests(db, "zorgverzekerng", "");
    assert_suggests(db, "woonbeled", "");
    assert_suggests(db, "ruimtelijk", "");
    xs_db_close(db);
    free(path);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_err_translate),
        T(test_err_translate_read),
        cmocka_unit_test(test_status_str),
        cmocka_unit_test(test_err_clear),
        T(test_stem_query_path),
        T(test_case_diacritics),
        cmocka_unit_test(test_fold_table),
        T(test_stem_table),
        T(test_query_bad),
        T(test_writer_lock),
        T(test_writer_close_drops),
        T(test_db_open_missing),
        T(test_doc_data_lookup),
        T(test_doc_terms),
        T(test_doc_values),
        T(test_doc_short_hyphen),
        cmocka_unit_test(test_word_fold),
        T(test_doc_exact),
        T(test_doc_spelling),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
