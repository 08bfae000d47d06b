/*
 * test_index.c -- cmocka tests for the indexer layer (indexer/ix.h).
 *
 * Owns: the layout table (ix_term and its length limit, exact terms, the
 * table against the header and the parser configuration), the year and
 * kind slots and exact terms of a build; the netstring document-data
 * codec (round trip, corrupt data);
 * ix_build on the sample corpus (counts, manifest.json, sha256, reopening
 * the snapshot), rebuilding over a snapshot, a bad input that must leave
 * the old snapshot byte-identical with no scratch directory behind,
 * --skip-bad; ix_snapshot_open refusing another format, stemmer or role,
 * a missing directory, and a damaged snapshot (each check of
 * ix_snapshot.c); ix_build refusing a target that is a file or a foreign
 * directory.  Each test works in its own mkdtemp() directory.
 */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "tu.h"
#include <jansson.h>

#include "../../corpus/cp.h"
#include "../../indexer/ix-int.h"

/* Per-test state: a temporary directory and the sample corpus paths. */
typedef struct fx {
    char *dir;
    char *dec, *agr;
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);

    assert_non_null(f);
    f->dir = tu_mkdtemp("akkoord-index");
    f->dec = tu_repo_path("corpus/sample/sample-decisions.jsonl");
    f->agr = tu_repo_path("corpus/sample/sample-agreement.jsonl");
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;

    tu_rmtree(f->dir);
    free(f->dir);
    free(f->dec);
    free(f->agr);
    free(f);
    return 0;
}

static char *write_file(fx *f, const char *name, const char *text)
{
    return tu_write(f->dir, name, text, strlen(text));
}

/* Lines holding something other than blanks (the reader skips blank ones). */
static unsigned long count_lines(const char *path)
{
    FILE *fp = fopen(path, "r");
    unsigned long n = 0;
    int c, blank = 1;

    assert_non_null(fp);
    while ((c = getc(fp)) != EOF) {
        if (c == '\n') {
            n += !blank;
            blank = 1;
        } else if (c != ' ' && c != '\t' && c != '\r') {
            blank = 0;
        }
    }
    n += !blank;
    fclose(fp);
    return n;
}

/* Append names and contents of everything under path, in sorted order. */
static void tree_append(const char *path, const char *rel, char **buf,
                        size_t *len)
{
    struct dirent **e;
    int n = scandir(path, &e, NULL, alphasort);

    assert_true(n >= 0);
    for (int i = 0; i < n; i++) {
        char *p = tu_printf("%s/%s", path, e[i]->d_name);
        char *r = tu_printf("%s/%s", rel, e[i]->d_name);
        struct stat sb;

        if (strcmp(e[i]->d_name, ".") && strcmp(e[i]->d_name, "..")) {
            assert_int_equal(lstat(p, &sb), 0);
            *buf = realloc(*buf, *len + strlen(r) + 32 + (size_t)sb.st_size);
            assert_non_null(*buf);
            *len += (size_t)sprintf(*buf + *len, "%s %lld\n", r,
                                    (long long)sb.st_size);
            if (S_ISDIR(sb.st_mode)) {
                tree_append(p, r, buf, len);
            } else {
                FILE *fp = fopen(p, "rb");
                assert_non_null(fp);
                *len += fread(*buf + *len, 1, (size_t)sb.st_size, fp);
                fclose(fp);
            }
        }
        free(p);
        free(r);
        free(e[i]);
    }
    free(e);
}

typedef struct tree {
    char *buf;
    size_t len;
} tree;

static tree tree_read(const char *path)
{
    tree t = {NULL, 0};
    struct stat sb;

    assert_int_equal(lstat(path, &sb), 0);
    if (S_ISDIR(sb.st_mode)) {
        tree_append(path, "", &t.buf, &t.len);
    } else {
        FILE *fp = fopen(path, "rb");
        t.buf = malloc((size_t)sb.st_size + 1);
        assert_true(fp && t.buf);
        t.len = fread(t.buf, 1, (size_t)sb.st_size, fp);
        fclose(fp);
    }
    return t;
}

static void assert_tree_same(tree a, const char *path)
{
    tree b = tree_read(path);

    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.buf, b.buf, a.len);
    free(b.buf);
}

/* No scratch directory ("*.tmp-*") left in dir. */
static void assert_no_scratch(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;

    assert_non_null(d);
    while ((e = readdir(d)) != NULL)
        if (strstr(e->d_name, ".tmp-"))
            fail_msg("scratch '%s' left in '%s'", e->d_name, dir);
    closedir(d);
}

typedef struct warns {
    int n;
    char last[512];
} warns;

static void on_warn(void *ctx, const char *msg)
{
    warns *w = ctx;

    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

/* Build decisions file dec (+ the sample agreement) into dir/name. */
static xs_status build(fx *f, const char *name, const char *dec, int skip_bad,
                       ix_build_result *res, warns *w, xs_err *err)
{
    const char *corpus[1] = {dec};
    char *out = tu_printf("%s/%s", f->dir, name);
    ix_build_opts o = {.out_dir = out, .agreement = f->agr, .corpus = corpus,
                       .ncorpus = 1, .skip_bad = skip_bad, .warn = on_warn,
                       .ctx = w};
    warns none = {0};
    xs_status st;

    if (!w)
        o.ctx = &none;
    memset(res, 0, sizeof *res);
    st = ix_build(&o, res, err);
    free(out);
    return st;
}

/* ------------------------------------------------------------- layout */

static void test_layout_terms(void **state)
{
    char t[IX_TERM_MAX + 1], v[300];
    xs_err err = {0};

    (void)state;
    assert_int_equal(ix_term(IX_F_KIND, "Nota", 4, t, &err), XS_OK);
    assert_string_equal(t, "Knota");            /* kind: lowercased */
    assert_int_equal(ix_term(IX_F_ID, "AbC/1", 5, t, &err), XS_OK);
    assert_string_equal(t, "QAbC/1");           /* id: as it is */
    assert_int_equal(ix_term(IX_F_CHAPTER, "Wonen", 5, t, &err), XS_OK);
    assert_string_equal(t, "Cwonen");
    /* the longest term Xapian takes is IX_TERM_MAX bytes, prefix included */
    memset(v, 'k', sizeof v);
    assert_int_equal(ix_term(IX_F_KIND, v, IX_TERM_MAX - 1, t, &err), XS_OK);
    assert_int_equal(strlen(t), IX_TERM_MAX);
    assert_int_equal(ix_term(IX_F_KIND, v, 300, t, &err), XS_INVALID);
    assert_string_equal(err.msg, "field 'kind' is longer than 244 bytes");
    assert_string_equal(t, "");
    assert_int_equal(ix_term_check(IX_F_ID, 250, &err), XS_INVALID);
    assert_string_equal(err.msg, "field 'id' is longer than 244 bytes");
    assert_int_equal(ix_term_check(IX_F_ID, 244, &err), XS_OK);
    assert_int_equal(ix_term_check(IX_F_DATE, 8, &err), XS_INVALID);
    assert_int_equal(ix_term_check(IX_F_N, 1, &err), XS_INVALID);
    xs_err_clear(&err);
}

/* The exact term of a user's word: the field's prefix and the word
 * lowercased and folded, unstemmed. */
static void test_layout_exact_term(void **state)
{
    char t[IX_TERM_MAX + 1], v[IX_TERM_MAX + 1];
    xs_err err = {0};

    (void)state;
    assert_int_equal(ix_exact_term(IX_F_TEXT, "Overheid", 8, t, &err), XS_OK);
    assert_string_equal(t, "overheid");
    assert_int_equal(ix_exact_term(IX_F_TITLE, "FINANCI\xc3\x8bLE", 11, t,
                                   &err), XS_OK);
    assert_string_equal(t, "Sfinanciele");
    memset(v, 'a', sizeof v);
    assert_int_equal(ix_exact_term(IX_F_TEXT, v, IX_TERM_MAX, t, &err), XS_OK);
    assert_int_equal(ix_exact_term(IX_F_TITLE, v, IX_TERM_MAX, t, &err),
                     XS_INVALID);
    assert_string_equal(err.msg, "field 'title' is longer than 244 bytes");
    assert_int_equal(ix_exact_term(IX_F_KIND, "nota", 4, t, &err), XS_INVALID);
    assert_string_equal(t, "");
    xs_err_clear(&err);
}

/* The table, the header's macros and the parser configuration agree. */
static void test_layout_table(void **state)
{
    static const struct { ix_fid f; const char *name, *prefix; int slot; }
    want[] = {
        {IX_F_TEXT, "text", "", -1}, {IX_F_TITLE, "title", "S", -1},
        {IX_F_ID, "id", "Q", IX_SLOT_ID},
        {IX_F_KIND, "kind", "K", IX_SLOT_KIND},
        {IX_F_YEAR, "year", "Y", IX_SLOT_YEAR},
        {IX_F_CHAPTER, "chapter", "C", -1},
        {IX_F_DOSSIER, "dossier", "D", IX_SLOT_DOSSIER},
        {IX_F_DATE, "date", NULL, IX_SLOT_DATE},
        {IX_F_MINISTER, "minister", "M", IX_SLOT_MINISTER},
        {IX_F_THEME, "theme", "T", IX_SLOT_THEME},
    };
    const xs_parser_conf *conf = ix_parser_conf();

    (void)state;
    assert_int_equal(sizeof want / sizeof want[0], IX_F_N);
    for (size_t i = 0; i < IX_F_N; i++) {
        const ix_layout_field *lf = ix_layout_get(want[i].f);
        assert_non_null(lf);
        assert_ptr_equal(ix_layout_find(want[i].name), lf);
        assert_string_equal(lf->name, want[i].name);
        if (want[i].prefix)
            assert_string_equal(lf->prefix, want[i].prefix);
        else
            assert_null(lf->prefix);
        assert_int_equal(lf->slot, want[i].slot);
        assert_true(!(lf->flags & IX_FREE) != !(lf->flags & IX_BOOL) ||
                    !lf->prefix);
        /* each parsed field is in the parser's list of its kind, with
         * its prefix and its lowercasing */
        const char *const (*list)[2] = lf->flags & IX_FREE
                                           ? conf->free_prefixes
                                           : conf->bool_prefixes;
        size_t k = 0;
        while (k < XS_PARSER_MAX && list[k][0] &&
               strcmp(list[k][0], lf->name))
            k++;
        int listed = k < XS_PARSER_MAX && list[k][0];
        assert_int_equal(listed, (lf->flags & IX_PARSED) != 0);
        if (listed) {
            assert_string_equal(list[k][1], lf->prefix);
            if (lf->flags & IX_BOOL) {
                assert_int_equal((conf->bool_lower >> k) & 1,
                                 (lf->flags & IX_LOWER) != 0);
                assert_int_equal((conf->bool_dated >> k) & 1,
                                 (lf->flags & IX_DATED) != 0);
            }
        }
    }
    assert_null(ix_layout_get(IX_F_N));
    assert_null(ix_layout_find("nope"));
    assert_int_equal(conf->date_slot, IX_SLOT_DATE);
    assert_string_equal(conf->free_prefixes[0][0], "title");
    assert_null(conf->free_prefixes[1][0]);
    assert_string_equal(conf->bool_prefixes[0][0], "id");
}

/* --------------------------------------------------------- data codec */

static void test_data_roundtrip(void **state)
{
    static const char bin[] = "a\0b,:9\xff";   /* 7 bytes */
    ix_field in[4] = {{"abc", 3}, {"", 0}, {bin, 7}, {NULL, 0}};
    ix_field out[4];
    char *data = NULL;
    size_t len = 0;
    xs_err err = {0};

    (void)state;
    assert_int_equal(ix_data_encode(in, 4, &data, &len, &err), XS_OK);
    assert_int_equal(len, 22);
    assert_memory_equal(data, "3:abc,0:,7:a\0b,:9\xff,0:,", len);
    assert_int_equal(ix_data_decode(data, len, out, 4, &err), XS_OK);
    for (int i = 0; i < 4; i++) {
        assert_int_equal(out[i].len, in[i].len);
        if (in[i].len)
            assert_memory_equal(out[i].ptr, in[i].ptr, in[i].len);
        assert_true(out[i].ptr >= data && out[i].ptr <= data + len);
    }
    free(data);
    assert_int_equal(ix_data_encode(NULL, 0, &data, &len, &err), XS_OK);
    assert_int_equal(len, 0);
    assert_int_equal(ix_data_decode(data, len, out, 0, &err), XS_OK);
    free(data);
}

static void test_data_corrupt(void **state)
{
    static const struct {
        const char *data;
        size_t field;   /* index of the first bad field */
    } bad[] = {
        {"3:abc,2:x", 1},          /* truncated */
        {"3:abc,2:xy", 1},         /* truncated before the comma */
        {"4:abc,0:,", 0},          /* length too long */
        {"2:abc,0:,", 0},          /* length too short */
        {"3:abc;0:,", 0},          /* missing comma */
        {"3abc,0:,", 0},           /* missing colon */
        {":abc,0:,", 0},           /* missing length */
        {"-3:abc,0:,", 0},
        {"99999999999999999999999:x,", 0},
        {"3:abc,", 1},             /* too few fields */
        {"", 0},
    };
    ix_field out[2];
    xs_err err = {0};
    char want[64];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        if (ix_data_decode(bad[i].data, strlen(bad[i].data), out, 2, &err) !=
            XS_CORRUPT)
            fail_msg("'%s' decodes", bad[i].data);
        snprintf(want, sizeof want, "corrupt document data (field %zu)",
                 bad[i].field);
        assert_string_equal(err.msg, want);
        xs_err_clear(&err);
    }
}

/* ------------------------------------------------------------- build */

/* manifest inputs[] entry with this role: path, sha256, records. */
static void check_manifest_input(json_t *m, const char *role, const char *path)
{
    json_t *inputs = json_object_get(m, "inputs"), *in;
    char hex[65], *msg = NULL;
    size_t i;
    int seen = 0;

    assert_int_equal(cp_file_sha256(path, hex, &msg), CP_OK);
    json_array_foreach(inputs, i, in) {
        if (strcmp(json_string_value(json_object_get(in, "role")), role))
            continue;
        seen++;
        assert_string_equal(json_string_value(json_object_get(in, "path")),
                            path);
        assert_string_equal(json_string_value(json_object_get(in, "sha256")),
                            hex);
        assert_int_equal(json_integer_value(json_object_get(in, "records")),
                         count_lines(path));
    }
    assert_int_equal(seen, 1);
}

static json_t *load_manifest(fx *f, const char *name)
{
    char *path = tu_printf("%s/%s/manifest.json", f->dir, name);
    json_error_t je;
    json_t *m = json_load_file(path, 0, &je);

    if (!m)
        fail_msg("%s: %s", path, je.text);
    free(path);
    return m;
}

static void test_build_sample(void **state)
{
    fx *f = *state;
    ix_build_result res;
    xs_err err = {0};
    json_t *m, *counts;

    if (build(f, "snap", f->dec, 0, &res, NULL, &err) != XS_OK)
        fail_msg("build: %s", err.msg);
    assert_int_equal(res.decisions, count_lines(f->dec));
    assert_int_equal(res.sections, count_lines(f->agr));
    assert_int_equal(res.skipped, 0);
    assert_int_equal(res.duplicates, 0);
    m = load_manifest(f, "snap");
    counts = json_object_get(m, "counts");
    assert_int_equal(json_integer_value(json_object_get(counts, "decisions")),
                     res.decisions);
    assert_int_equal(json_integer_value(json_object_get(counts, "sections")),
                     res.sections);
    assert_int_equal(json_array_size(json_object_get(m, "inputs")), 2);
    check_manifest_input(m, "decisions", f->dec);
    check_manifest_input(m, "agreement", f->agr);
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(m, "versions"), "stemmer")),
                        xs_stem_name());
    assert_int_equal(strlen(json_string_value(json_object_get(m, "snapshot"))),
                     64);
    json_decref(m);
    assert_no_scratch(f->dir);
}

/* The first record of a JSONL file has its id as "Q<id>" in db, and the
 * stored data decodes to n fields, the first being the id. */
static void check_first_record(const xs_db *db, const char *path, size_t n)
{
    FILE *fp = fopen(path, "r");
    char *line = NULL, *term, *data = NULL;
    size_t cap = 0, len = 0;
    json_t *rec;
    xs_docid did = 0;
    xs_err err = {0};
    ix_field fld[IX_DEC_NFIELDS];
    const char *id;

    assert_non_null(fp);
    assert_true(getline(&line, &cap, fp) > 0);
    fclose(fp);
    rec = json_loads(line, 0, NULL);
    id = json_string_value(json_object_get(rec, "id"));
    assert_non_null(id);
    term = tu_printf("Q%s", id);
    assert_int_equal(xs_db_lookup(db, term, &did, &err), XS_OK);
    assert_int_equal(xs_db_data(db, did, &data, &len, &err), XS_OK);
    assert_int_equal(ix_data_decode(data, len, fld, n, &err), XS_OK);
    assert_int_equal(fld[0].len, strlen(id));
    assert_memory_equal(fld[0].ptr, id, fld[0].len);
    free(data);
    free(term);
    json_decref(rec);
    free(line);
}

/* The value slot of decision id in s (malloc'd by the shim). */
static char *slot_of(const ix_snapshot *s, const char *id, unsigned slot)
{
    char *term = tu_printf("Q%s", id), *v = NULL;
    xs_docid did = 0;
    xs_err err = {0};

    assert_int_equal(xs_db_lookup(ix_snapshot_decisions(s), term, &did, &err),
                     XS_OK);
    assert_int_equal(xs_db_value(ix_snapshot_decisions(s), did, slot, &v,
                                 &err), XS_OK);
    free(term);
    return v;
}

/* Year and kind slots for facets: "YYYY" and the lowercased kind, absent
 * when the record has none; the kind slot agrees with the K term. */
static void test_snapshot_facet_slots(void **state)
{
    static const char dec[] =
        "{\"id\": \"F1\", \"date\": \"2021-03-04\", \"kind\": "
        "\"Nota Aan De Regering\", \"title\": \"een besluit\"}\n"
        "{\"id\": \"F2\", \"title\": \"zonder datum of soort\"}\n"
        "{\"id\": \"F3\", \"date\": \"2019-12-31\", \"kind\": "
        "\"mededeling\", \"title\": \"een mededeling\"}\n";
    static const struct { const char *id, *year, *kind; } want[] = {
        {"F1", "2021", "nota aan de regering"}, {"F2", "", ""},
        {"F3", "2019", "mededeling"},
    };
    fx *f = *state;
    char *path = tu_write(f->dir, "facets.jsonl", dec, sizeof dec - 1);
    char *dir = tu_printf("%s/facets", f->dir);
    ix_build_result res;
    ix_snapshot *s = NULL;
    xs_err err = {0};

    assert_int_equal(build(f, "facets", path, 0, &res, NULL, &err), XS_OK);
    assert_int_equal(ix_snapshot_open(dir, &s, &err), XS_OK);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        char *y = slot_of(s, want[i].id, IX_SLOT_YEAR);
        char *k = slot_of(s, want[i].id, IX_SLOT_KIND);
        assert_string_equal(y, want[i].year);
        assert_string_equal(k, want[i].kind);
        free(y);
        free(k);
    }
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s),
                                    "Knota aan de regering"), 1);
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s), "Y2019"), 1);
    ix_snapshot_close(s);
    free(dir);
    free(path);
}

/* Each word of title and text has its exact term too (unstemmed, folded,
 * without positions), distinct from its stem's; the title's under "S";
 * sections have them as well. */
static void test_snapshot_exact_terms(void **state)
{
    static const char dec[] =
        "{\"id\": \"E1\", \"title\": \"De Vlaamse Overheid\", "
        "\"text\": \"over de begroting\"}\n"
        "{\"id\": \"E2\", \"text\": \"overheden en burgers\"}\n"
        "{\"id\": \"E3\", \"text\": \"Financi\u00eble steun\"}\n";
    fx *f = *state;
    char *path = tu_write(f->dir, "exact.jsonl", dec, sizeof dec - 1);
    char *dir = tu_printf("%s/exact", f->dir);
    char t[IX_TERM_MAX + 1], stem_term[80];
    const char *stem;
    size_t sl;
    ix_build_result res;
    ix_snapshot *s = NULL;
    xs_err err = {0};

    assert_int_equal(build(f, "exact", path, 0, &res, NULL, &err), XS_OK);
    assert_int_equal(ix_snapshot_open(dir, &s, &err), XS_OK);
    stem = xs_stem_word(ix_snapshot_stem(s), "overheid", 8, &sl, &err);
    assert_non_null(stem);
    snprintf(stem_term, sizeof stem_term, IX_STEM_PREFIX "%.*s", (int)sl, stem);
    assert_int_equal(ix_exact_term(IX_F_TEXT, "overheid", 8, t, &err), XS_OK);
    assert_string_not_equal(t, stem_term);
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s), t),
                     1);         /* E1 */
    /* the stem also matches "over" (E1's text) and "overheden" (E2) */
    assert_true(xs_db_termfreq(ix_snapshot_decisions(s), stem_term) >= 1);
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s), "over"), 1);
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s), "overheden"), 1);
    assert_int_equal(ix_exact_term(IX_F_TITLE, "Overheid", 8, t, &err), XS_OK);
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s), t), 1);
    assert_int_equal(ix_exact_term(IX_F_TITLE, "begroting", 9, t, &err), 0);
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s), t),
                     0);   /* text only */
    assert_int_equal(ix_exact_term(IX_F_TEXT, "financi\xc3\xable", 11, t, &err),
                     XS_OK);
    assert_string_equal(t, "financiele");
    assert_int_equal(xs_db_termfreq(ix_snapshot_decisions(s), t), 1);
    assert_true(xs_db_termfreq(ix_snapshot_sections(s),
                               "overheid") > 0);  /* sample */
    assert_true(xs_db_termfreq(ix_snapshot_sections(s), "Soverheid") > 0);
    ix_snapshot_close(s);
    free(dir);
    free(path);
}

static void test_snapshot_open(void **state)
{
    fx *f = *state;
    ix_build_result res;
    ix_snapshot *s = NULL;
    xs_err err = {0};
    char *dir = tu_printf("%s/snap", f->dir);
    json_t *m;

    assert_int_equal(build(f, "snap", f->dec, 0, &res, NULL, &err), XS_OK);
    if (ix_snapshot_open(dir, &s, &err) != XS_OK)
        fail_msg("open: %s", err.msg);
    assert_int_equal(xs_db_doccount(ix_snapshot_decisions(s)),
                     count_lines(f->dec));
    assert_int_equal(xs_db_doccount(ix_snapshot_sections(s)),
                     count_lines(f->agr));
    assert_non_null(ix_snapshot_stem(s));
    assert_string_equal(ix_snapshot_dir(s), dir);
    m = load_manifest(f, "snap");
    assert_string_equal(ix_snapshot_id(s),
                        json_string_value(json_object_get(m, "snapshot")));
    json_decref(m);
    check_first_record(ix_snapshot_decisions(s), f->dec, IX_DEC_NFIELDS);
    check_first_record(ix_snapshot_sections(s), f->agr, IX_SEC_NFIELDS);
    ix_snapshot_close(s);
    ix_snapshot_close(NULL);
    free(dir);
}

/* Walk the dossier ring of d: every member has d's dossier, and the ring
 * holds as many decisions as carry its dossier term.  Returns its size. */
static unsigned check_ring(const ix_snapshot *s, xs_docid d)
{
    const ix_tables *t = ix_snapshot_get_tables(s);
    unsigned size = 1;
    for (xs_docid m = ix_tables_next(t, d); m != d;
         m = ix_tables_next(t, m)) {
        assert_true(m > 0 && m < ix_tables_size(t));
        assert_string_equal(ix_tables_dossier(t, m), ix_tables_dossier(t, d));
        assert_true(++size < ix_tables_size(t));            /* a ring, not a loop elsewhere */
    }
    if (*ix_tables_dossier(t, d))
        assert_int_equal(size, xs_db_termfreq(ix_snapshot_decisions(s),
                                              ix_tables_dossier(t, d)));
    return size;
}

static void test_snapshot_tables(void **state)
{
    fx *f = *state;
    ix_build_result res;
    ix_snapshot *s = NULL;
    xs_err err = {0};
    char *dir = tu_printf("%s/snap", f->dir);
    unsigned shared = 0;

    assert_int_equal(build(f, "snap", f->dec, 0, &res, NULL, &err), XS_OK);
    if (ix_snapshot_open(dir, &s, &err) != XS_OK)
        fail_msg("open: %s", err.msg);
    assert_null(ix_snapshot_get_tables(s));
    assert_int_equal(ix_snapshot_tables(s, &err), XS_OK);
    const ix_tables *t = ix_snapshot_get_tables(s);
    assert_non_null(t);
    assert_int_equal(ix_snapshot_tables(s, &err), XS_OK);   /* once only */
    assert_ptr_equal(ix_snapshot_get_tables(s), t);
    assert_int_equal(ix_tables_size(t),
                     xs_db_lastdocid(ix_snapshot_decisions(s)) + 1);
    assert_string_equal(ix_tables_id(t, 0), "");
    for (xs_docid d = 1; d < ix_tables_size(t); d++) {
        char *id = NULL, *dossier = NULL;
        assert_int_equal(xs_db_value(ix_snapshot_decisions(s), d, IX_SLOT_ID,
                                     &id, &err),
                         XS_OK);
        assert_int_equal(xs_db_value(ix_snapshot_decisions(s), d,
                                     IX_SLOT_DOSSIER,
                                     &dossier, &err), XS_OK);
        assert_string_equal(ix_tables_id(t, d), id);
        assert_string_equal(ix_tables_dossier(t, d), dossier);
        shared += check_ring(s, d) > 1;
        free(id);
        free(dossier);
    }
    assert_true(shared > 0);       /* the sample has a dossier of stages */
    ix_snapshot_close(s);
    free(dir);
}

/* The warning for a bad last line of the agreement stands in for a
 * signal that arrives after the last record was read, while the shards
 * merge: the build must still stop, and swap nothing in. */
static void interrupt_on_warn(void *ctx, const char *msg)
{
    (void)msg;
    *(volatile int *)ctx = 1;
}

static void test_interrupt_after_reading(void **state)
{
    fx *f = *state;
    ix_build_result res;
    xs_err err = {0};
    char *dir = tu_printf("%s/snap", f->dir);
    tree agr = tree_read(f->agr);
    volatile int stop = 0;

    assert_int_equal(build(f, "snap", f->dec, 0, &res, NULL, &err), XS_OK);
    tree before = tree_read(dir);
    agr.buf = realloc(agr.buf, agr.len + 16);
    assert_non_null(agr.buf);
    memcpy(agr.buf + agr.len, "not json\n", 9);
    char *bad = tu_write(f->dir, "agr-bad.jsonl", agr.buf, agr.len + 9);
    const char *corpus[1] = {f->dec};
    ix_build_opts o = {.out_dir = dir, .agreement = bad, .corpus = corpus,
                       .ncorpus = 1, .skip_bad = 1, .interrupted = &stop,
                       .warn = interrupt_on_warn, .ctx = (void *)&stop};
    assert_int_equal(ix_build(&o, &res, &err), XS_ERROR);
    assert_int_equal(stop, 1);
    tu_assert_contains(err.msg, "interrupted");
    assert_tree_same(before, dir);
    assert_no_scratch(f->dir);
    xs_err_clear(&err);
    free(before.buf);
    free(agr.buf);
    free(bad);
    free(dir);
}

static void test_rebuild(void **state)
{
    fx *f = *state;
    ix_build_result res;
    xs_err err = {0};
    json_t *a, *b;

    assert_int_equal(build(f, "snap", f->dec, 0, &res, NULL, &err), XS_OK);
    a = load_manifest(f, "snap");
    if (build(f, "snap", f->dec, 0, &res, NULL, &err) != XS_OK)
        fail_msg("rebuild: %s", err.msg);
    assert_int_equal(res.decisions, count_lines(f->dec));
    b = load_manifest(f, "snap");
    /* same inputs, versions and parameters: same snapshot id */
    assert_string_equal(json_string_value(json_object_get(a, "snapshot")),
                        json_string_value(json_object_get(b, "snapshot")));
    json_decref(a);
    json_decref(b);
    assert_no_scratch(f->dir);
}

static const char bad_jsonl[] =
    "{\"id\": \"G1\", \"title\": \"digitalisering\"}\n"
    "{\"id\": \"B2\"}\n"
    "{\"id\": \"G3\", \"text\": \"digitaal\"}\n";

static void test_bad_input_keeps_snapshot(void **state)
{
    fx *f = *state;
    char *bad = write_file(f, "bad.jsonl", bad_jsonl);
    char *snap = tu_printf("%s/snap", f->dir);
    char *want = tu_printf("%s:2: empty 'title' and 'text'", bad);
    ix_build_result res;
    xs_err err = {0};
    tree before;

    assert_int_equal(build(f, "snap", f->dec, 0, &res, NULL, &err), XS_OK);
    before = tree_read(snap);
    assert_int_equal(build(f, "snap", bad, 0, &res, NULL, &err), XS_INVALID);
    assert_string_equal(err.msg, want);
    xs_err_clear(&err);
    assert_tree_same(before, snap);
    assert_no_scratch(f->dir);
    free(before.buf);
    free(want);
    free(snap);
    free(bad);
}

static void test_skip_bad(void **state)
{
    fx *f = *state;
    char *bad = write_file(f, "bad.jsonl", bad_jsonl);
    char *want = tu_printf("%s:2: empty 'title' and 'text'", bad);
    ix_build_result res;
    warns w = {0};
    xs_err err = {0};
    json_t *m;

    if (build(f, "snap", bad, 1, &res, &w, &err) != XS_OK)
        fail_msg("skip-bad build: %s", err.msg);
    assert_int_equal(res.skipped, 1);
    assert_int_equal(res.decisions, count_lines(bad) - 1);
    assert_int_equal(w.n, 1);
    assert_string_equal(w.last, want);
    m = load_manifest(f, "snap");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(m, "counts"), "skipped")), 1);
    json_decref(m);
    assert_no_scratch(f->dir);
    free(want);
    free(bad);
}

/* ---------------------------------------------------- snapshot checks */

/* Write m (taken) as dir/manifest.json with its files table and
 * snapshot id made afresh, as a build would. */
static void seal(const char *dir, json_t *m)
{
    char *path = tu_printf("%s/manifest.json", dir);
    json_t *files = NULL;
    xs_err err = {0};
    char id[65];

    assert_non_null(m);
    if (ix_files_json(dir, &files, &err) != XS_OK)
        fail_msg("files of %s: %s", dir, err.msg);
    assert_int_equal(json_object_set_new(m, "files", files), 0);
    assert_int_equal(ix_manifest_id(m, id), 0);
    assert_int_equal(json_object_set_new(m, "snapshot", json_string(id)), 0);
    assert_int_equal(json_dump_file(m, path, JSON_INDENT(2)), 0);
    json_decref(m);
    free(path);
}

/* ix_snapshot_open(dir) answers want: a snapshot with an id, or a
 * refusal that names the index and says msg. */
static void expect_open(const char *dir, xs_status want, const char *msg)
{
    ix_snapshot *s = (ix_snapshot *)dir;   /* must come back NULL */
    char *named = tu_printf("index '%s'", dir);
    xs_err err = {0};

    if (ix_snapshot_open(dir, &s, &err) != want)
        fail_msg("%s: status %d (%s), want %d", dir, err.code,
                 err.msg ? err.msg : "", want);
    if (want == XS_OK) {
        assert_int_equal(strlen(ix_snapshot_id(s)), 64);
        ix_snapshot_close(s);
    } else {
        assert_null(s);
        tu_assert_contains(err.msg, msg);
        tu_assert_contains(err.msg, named);
    }
    xs_err_clear(&err);
    free(named);
}

/* A snapshot made by hand: both databases, with this metadata, and
 * ndec decisions that have nothing but their unique term. */
static char *make_fake(fx *f, const char *format, const char *stemmer,
                       const char *sections_role, int ndec)
{
    char *dir = tu_printf("%s/fake", f->dir);
    const char *roles[2][2] = {{"decisions", "decisions"},
                               {"sections", sections_role}};
    xs_err err = {0};

    tu_rmtree(dir);
    assert_int_equal(mkdir(dir, 0755), 0);
    for (int i = 0; i < 2; i++) {
        char *path = tu_printf("%s/%s", dir, roles[i][0]);
        xs_writer *w = NULL;

        assert_int_equal(xs_writer_open(path, 0, &w, &err), XS_OK);
        assert_int_equal(xs_writer_set_metadata(w, "akkoord.format", format,
                                                &err), XS_OK);
        assert_int_equal(xs_writer_set_metadata(w, "akkoord.stemmer", stemmer,
                                                &err), XS_OK);
        assert_int_equal(xs_writer_set_metadata(w, "akkoord.role",
                                                roles[i][1], &err), XS_OK);
        for (int d = 0; i == 0 && d < ndec; d++) {
            xs_stem *stem = NULL;
            xs_doc *doc = NULL;
            char *q = tu_printf("Qfake%d", d);

            assert_int_equal(xs_stem_new(&stem, &err), XS_OK);
            assert_int_equal(xs_doc_new(stem, &doc, &err), XS_OK);
            assert_int_equal(xs_doc_add_term(doc, q, 1, &err), XS_OK);
            assert_int_equal(xs_writer_replace(w, q, doc, &err), XS_OK);
            xs_doc_free(doc);
            xs_stem_free(stem);
            free(q);
        }
        assert_int_equal(xs_writer_commit(w, &err), XS_OK);
        xs_writer_close(w);
        free(path);
    }
    seal(dir, json_pack("{s:{s:s, s:s}, s:{s:i, s:i}}", "versions",
                        "index_format", IX_FORMAT, "stemmer", xs_stem_name(),
                        "counts", "decisions", ndec, "sections", 0));
    return dir;
}

static void test_snapshot_version(void **state)
{
    const struct {
        const char *format, *stemmer, *role;
        xs_status st;
        const char *msg;
    } t[] = {
        {IX_FORMAT, xs_stem_name(), "sections", XS_OK, NULL},
        {IX_FORMAT, "other-stemmer", "sections", XS_VERSION,
         "built with stemmer 'other-stemmer'"},
        {"999", xs_stem_name(), "sections", XS_VERSION,
         "built with index format '999'"},
        {"", xs_stem_name(), "sections", XS_VERSION,
         "built with index format '(none)'"},
        {IX_FORMAT, xs_stem_name(), "decisions", XS_VERSION,
         "built with role 'decisions'"},
    };
    fx *f = *state;

    for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
        char *dir = make_fake(f, t[i].format, t[i].stemmer, t[i].role, 0);

        expect_open(dir, t[i].st, t[i].msg);
        free(dir);
    }
}

/* One damaged copy of the snapshot src in dst: how (see below), and what
 * ix_snapshot_open must answer. */
static void damage(const char *src, const char *dst, int how)
{
    char *cmd = tu_printf("rm -rf '%s' && cp -R '%s' '%s'", dst, src, dst);
    char *man = tu_printf("%s/manifest.json", dst);
    char *dec = tu_printf("%s/decisions", dst);
    json_t *m, *counts;
    FILE *fp;

    assert_int_equal(system(cmd), 0);
    switch (how) {
    case 0: break;                                   /* intact */
    case 1: assert_int_equal(remove(man), 0); break;
    case 2: free(tu_write(dst, "manifest.json", "{\"format\": ", 12)); break;
    case 3: free(tu_write(dst, "manifest.json", "[]", 2)); break;
    case 4: assert_int_equal(truncate(dec, 4096), 0); break;
    case 5:                                          /* one byte flipped */
        assert_non_null(fp = fopen(dec, "r+"));
        assert_int_equal(fseek(fp, 9000, SEEK_SET), 0);
        { int c = fgetc(fp);
          assert_int_equal(fseek(fp, 9000, SEEK_SET), 0);
          fputc(c ^ 0x10, fp); }
        assert_int_equal(fclose(fp), 0);
        break;
    case 6: {
        char *t = tu_printf("%s/sections/termlist.glass", dst);
        assert_int_equal(remove(t), 0);
        free(t);
        break;
    }
    default:                                         /* manifest edited */
        assert_non_null(m = json_load_file(man, 0, NULL));
        counts = json_object_get(m, "counts");
        if (how == 7)            /* its snapshot id no longer fits */
            json_object_set_new(counts, "decisions", json_integer(1));
        else if (how == 8)       /* resealed, for another format */
            json_object_set_new(json_object_get(m, "versions"),
                                "index_format", json_string("4"));
        else if (how == 9)       /* "files" is not in the id */
            json_object_set_new(json_object_get(m, "files"), "../x",
                                json_pack("{s:i, s:s}", "bytes", 0, "crc32",
                                          "00000000"));
        else if (how == 10)
            json_object_del(m, "files");
        else                     /* resealed, with another count */
            json_object_set_new(counts, "sections", json_integer(7));
        if (how == 8 || how == 11) {
            json_object_del(m, "files");
            seal(dst, m);
        } else {
            assert_int_equal(json_dump_file(m, man, 0), 0);
            json_decref(m);
        }
    }
    free(dec);
    free(man);
    free(cmd);
}

static void test_snapshot_damaged(void **state)
{
    static const struct {
        xs_status st;
        const char *msg;
    } t[] = {
        {XS_OK, NULL},
        {XS_NOT_FOUND, "has no manifest.json"},
        {XS_CORRUPT, "is corrupt: manifest.json: "},
        {XS_CORRUPT, "manifest.json is not a JSON object"},
        {XS_CORRUPT, "is corrupt: 'decisions' has 4096 bytes, manifest.json "
                     "says "},
        {XS_CORRUPT, "is corrupt: 'decisions' does not match its checksum"},
        {XS_NOT_FOUND, "': 'sections/termlist.glass' is missing"},
        {XS_CORRUPT, "manifest.json does not match its snapshot id"},
        {XS_VERSION, "was built with index format '4', this akkoord uses '"
                     IX_FORMAT "'"},
        {XS_CORRUPT, "manifest.json has a bad entry for '../x'"},
        {XS_CORRUPT, "manifest.json lists no files"},
        {XS_CORRUPT, "is corrupt: sections: 2 documents (last id 2), "
                     "manifest.json counts 7"},
    };
    fx *f = *state;
    ix_build_result res;
    char *src = tu_printf("%s/snap", f->dir);
    char *dst = tu_printf("%s/damaged", f->dir);
    xs_err err = {0};

    assert_int_equal(build(f, "snap", f->dec, 0, &res, NULL, &err), XS_OK);
    for (int i = 0; i < (int)(sizeof t / sizeof *t); i++) {
        damage(src, dst, i);
        expect_open(dst, t[i].st, t[i].msg);
    }
    free(dst);
    free(src);
}

/* A decision without an id in its value slot: the tables refuse it
 * (every output keys on decision ids). */
static void test_tables_no_id(void **state)
{
    fx *f = *state;
    char *dir = make_fake(f, IX_FORMAT, xs_stem_name(), "sections", 2);
    ix_snapshot *s = NULL;
    xs_err err = {0};

    if (ix_snapshot_open(dir, &s, &err) != XS_OK)
        fail_msg("open: %s", err.msg);
    assert_int_equal(ix_snapshot_tables(s, &err), XS_CORRUPT);
    tu_assert_contains(err.msg, "index '");
    tu_assert_contains(err.msg,
                       "' is corrupt: decisions: 2 of 2 decisions have no id");
    assert_null(ix_snapshot_get_tables(s));
    xs_err_clear(&err);
    ix_snapshot_close(s);
    free(dir);
}

static void test_snapshot_missing(void **state)
{
    fx *f = *state;
    char *dir = tu_printf("%s/nope", f->dir);
    ix_snapshot *s = (ix_snapshot *)dir;
    xs_err err = {0};

    assert_int_equal(ix_snapshot_open(dir, &s, &err), XS_NOT_FOUND);
    assert_null(s);
    tu_assert_contains(err.msg, "no index at '");
    tu_assert_contains(err.msg, dir);
    xs_err_clear(&err);
    free(dir);
}

static void check_refused(fx *f, const char *name, const char *msg)
{
    char *path = tu_printf("%s/%s", f->dir, name);
    tree before = tree_read(path);
    ix_build_result res;
    xs_err err = {0};

    assert_int_equal(build(f, name, f->dec, 0, &res, NULL, &err), XS_INVALID);
    tu_assert_contains(err.msg, msg);
    tu_assert_contains(err.msg, path);
    xs_err_clear(&err);
    assert_tree_same(before, path);
    assert_no_scratch(f->dir);
    free(before.buf);
    free(path);
}

static void test_target_refused(void **state)
{
    fx *f = *state;
    char *file = write_file(f, "target", "precious\n");
    char *dir = tu_printf("%s/foreign", f->dir);
    char *keep;

    check_refused(f, "target", "exists and is not a directory");
    assert_int_equal(mkdir(dir, 0755), 0);
    keep = write_file(f, "foreign/keep.txt", "keep me\n");
    check_refused(f, "foreign", "exists and is not an akkoord index");
    free(keep);
    free(dir);
    free(file);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_terms),
        cmocka_unit_test(test_layout_exact_term),
        cmocka_unit_test(test_layout_table),
        cmocka_unit_test(test_data_roundtrip),
        cmocka_unit_test(test_data_corrupt),
        T(test_build_sample),
        T(test_snapshot_open),
        T(test_snapshot_facet_slots),
        T(test_snapshot_exact_terms),
        T(test_snapshot_tables),
        T(test_interrupt_after_reading),
        T(test_rebuild),
        T(test_bad_input_keeps_snapshot),
        T(test_skip_bad),
        T(test_snapshot_version),
        T(test_snapshot_damaged),
        T(test_tables_no_id),
        T(test_snapshot_missing),
        T(test_target_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
