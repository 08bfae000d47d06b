/*
 * test_split.c -- cmocka tests for akkoord-split (split/sp.h) on small
 * inputs built here: the hyphen repair (soft hyphens, joins only when the
 * joined word is known and both sides are lower case, compounds, digits,
 * capitals, suspended hyphens), section-number depth, the slug, and the
 * classifier and section builder on a made-up document (body style,
 * running header and page number, footnote, heading blocks with a title
 * in a rarer face, levels, unnumbered sub-headings, paths and ids), a
 * short chapter's running header found by its place, footnotes on a
 * page without body-size text, and the reading
 * order of a two-column page.
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

#include "tu.h"
#include "../../split/sp.h"

/* Join lines[0..n) with a word set made of known (one string of text). */
static char *joined(const char *known, const char *const *lines, size_t n)
{
    sp_words *w = sp_words_new();
    assert_non_null(w);
    assert_int_equal(sp_words_add(w, known), SP_OK);
    char *buf = NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++)
        assert_int_equal(sp_text_append(&buf, &len, lines[i], w), SP_OK);
    sp_text_finish(buf, &len);
    sp_words_free(w);
    assert_non_null(buf);
    assert_int_equal(strlen(buf), len);
    return buf;
}

static void expect_join(const char *known, const char *a, const char *b,
                        const char *want)
{
    const char *lines[] = {a, b};
    char *got = joined(known, lines, 2);
    assert_string_equal(got, want);
    free(got);
}

static void test_hyphen_repair(void **state)
{
    (void)state;
    const char *doc = "de informatie en digitaal beleid, een data-draaischijf "
                      "en biodiversiteits- en klimaatbeleid; Vlaams-Brabant";
    /* a line-end break whose joined word occurs elsewhere */
    expect_join(doc, "de infor-", "matie stroomt", "de informatie stroomt");
    expect_join(doc, "radicaal digi-", "taal.", "radicaal digitaal.");
    /* joined word unknown: the hyphen stays */
    expect_join(doc, "een kilo-", "meterheffing", "een kilo-meterheffing");
    /* a known compound stays a compound even if both parts are words */
    expect_join(doc, "een data-", "draaischijf", "een data-draaischijf");
    /* suspended hyphen: "en" follows "- " elsewhere */
    expect_join(doc, "de biodiversiteits-", "en klimaatdoelen",
                "de biodiversiteits- en klimaatdoelen");
    /* capitals and digits keep the hyphen */
    expect_join("informatie vlaamsbrabant", "Vlaams-", "Brabant",
                "Vlaams-Brabant");
    expect_join("informatie", "Infor-", "matie", "Informatie");  /* case-blind */
    expect_join("informatie", "infor-", "Matie", "infor-Matie");
    expect_join("20192024", "de jaren 2019-", "2024", "de jaren 2019-2024");
    /* a dash after a space is no hyphen */
    expect_join(doc, "onderwijs -", "levenslang", "onderwijs - levenslang");
    /* soft hyphens: at a line end they glue, inside a line they go */
    expect_join("", "een taal\xC2\xAD", "integratietraject",
                "een taalintegratietraject");
    expect_join("", "eind\xC2\xADtermen en", "\xC2\xADregering",
                "eindtermen en regering");
    /* outer and inner spaces, private-use bullets */
    expect_join("", "  twee   woorden ", "\xEF\x82\xB7 punt", "twee woorden punt");
}

static void test_number_depth(void **state)
{
    (void)state;
    size_t n = 0;
    assert_int_equal(sp_number_depth("3", &n), 1);
    assert_int_equal(n, 1);
    assert_int_equal(sp_number_depth("3.2.1 Titel", &n), 3);
    assert_int_equal(n, 5);
    assert_int_equal(sp_number_depth("2.2.1. Titel", &n), 3);
    assert_int_equal(n, 5);
    assert_int_equal(sp_number_depth("1. Democratische rechtsorde", &n), 1);
    assert_int_equal(sp_number_depth("2019-2024", NULL), 0);
    assert_int_equal(sp_number_depth("2019 jaar", NULL), 0);
    assert_int_equal(sp_number_depth("3a Titel", NULL), 0);
    assert_int_equal(sp_number_depth("Titel 3", NULL), 0);
    assert_int_equal(sp_number_depth("", NULL), 0);
}

static void test_slug(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"Energie en klimaat", "energie-en-klimaat"},
        {"Cultuur, jeugd en sport", "cultuur-jeugd-en-sport"},
        {"Financi\xC3\xAB" "n en begroting", "financien-en-begroting"},
        {"Fusie van entiteiten \xE2\x80\x93 bijlage bij het  regeerakkoord",
         "fusie-van-entiteiten-bijlage-bij-het-regeerakkoord"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *s = sp_slug(cases[i][0]);
        assert_string_equal(s, cases[i][1]);
        free(s);
    }
}

/* ---- a made-up document ---- */

enum { F_BODY, F_HEAD, F_TITLE, F_EMPH };

typedef struct mk_line {
    int page;
    double y, size;
    int font;
    const char *text;
} mk_line;

static sp_doc *doc_make(const mk_line *v, size_t n, int npages)
{
    sp_doc *d = calloc(1, sizeof *d);
    assert_non_null(d);
    static const char *fonts[] = {"Sans-Light", "Serif-Light",
                                  "Serif-Regular", "Sans-Medium"};
    d->nfonts = 4;
    d->fonts = calloc(4, sizeof *d->fonts);
    for (size_t i = 0; i < 4; i++)
        d->fonts[i] = strdup(fonts[i]);
    d->lines = calloc(n, sizeof *d->lines);
    d->nlines = n;
    d->npages = npages;
    d->page_h = 842;
    for (size_t i = 0; i < n; i++) {
        sp_line *l = &d->lines[i];
        l->text = strdup(v[i].text);
        l->page = v[i].page;
        l->x0 = 57;
        l->x1 = 57 + 5 * strlen(v[i].text);
        l->y0 = v[i].y;
        l->y1 = v[i].y + v[i].size;
        l->font = v[i].font;
        l->size = v[i].size;
    }
    return d;
}

#define BODY(p, y, t) {p, y, 11, F_BODY, t}
static const mk_line DOC[] = {
    {1, 28, 9, F_BODY, "Onderwijs"},                /* running header */
    {1, 116, 25, F_HEAD, "1"},                      /* chapter number */
    {1, 142, 25, F_BODY, "Onderwijs"},              /* chapter title */
    {1, 179, 13, F_HEAD, "1.1"},
    {1, 193, 13, F_TITLE, "Uitdagingen en"},
    {1, 206, 13, F_TITLE, "visie"},
    BODY(1, 233, "Excellent onderwijs is de hef-"),
    BODY(1, 246, "boom van de informatie."),
    {1, 259, 11, F_EMPH, "Een zin in vet."},        /* emphasis, no heading */
    BODY(1, 272, "De hefboom werkt."),
    {1, 771, 7, F_BODY, "1 Een voetnoot onderaan."},
    {1, 795, 11, F_BODY, "21"},                     /* page number */
    {2, 28, 9, F_BODY, "Onderwijs"},
    {2, 114, 13, F_HEAD, "1.2.1"},
    {2, 127, 13, F_BODY, "Kwaliteit"},
    BODY(2, 160, "Tekst over kwaliteit en informatie."),
    {2, 190, 13, F_HEAD, "1.2.1.1"},
    {2, 205, 11, F_TITLE, "Een titel in een zeldzame"},   /* rarer face */
    {2, 218, 11, F_TITLE, "letter"},
    BODY(2, 240, "Tekst van de diepste sectie."),
    {2, 300, 13, F_BODY, "Zonder nummer"},          /* unnumbered, smaller */
    BODY(2, 330, "Tekst onder de kop zonder nummer."),
    {2, 795, 11, F_BODY, "22"},
    {3, 28, 9, F_BODY, "Onderwijs"},
    {3, 116, 25, F_HEAD, "2"},
    {3, 142, 25, F_BODY, "Economie"},
    BODY(3, 180, "Een hoofdstuk zonder secties, over informatie."),
    {3, 795, 11, F_BODY, "23"},
};

/* DOC, made and classified. */
static sp_doc *classified(sp_style *st)
{
    sp_doc *d = doc_make(DOC, sizeof DOC / sizeof DOC[0], 3);
    assert_int_equal(sp_classify(d, st), SP_OK);
    return d;
}

static void test_classify(void **state)
{
    (void)state;
    sp_style st;
    sp_doc *d = classified(&st);
    assert_int_equal(st.body_font, F_BODY);
    assert_true(st.body_size == 11);
    assert_true(st.chapter_size == 25);
    static const struct { size_t line; sp_kind kind; int level; } want[] = {
        {0, SP_FURNITURE, 0}, {1, SP_HEADING, 1}, {2, SP_TITLE, 0},
        {3, SP_HEADING, 2}, {4, SP_TITLE, 0}, {5, SP_TITLE, 0},
        {6, SP_BODY, 0}, {8, SP_BODY, 0}, {10, SP_FOOTNOTE, 0},
        {11, SP_FURNITURE, 0}, {13, SP_HEADING, 3}, {14, SP_TITLE, 0},
        {16, SP_HEADING, 4}, {17, SP_TITLE, 0}, {18, SP_TITLE, 0},
        {19, SP_BODY, 0}, {20, SP_HEADING, 0}, {24, SP_HEADING, 1},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const sp_line *l = &d->lines[want[i].line];
        if (l->kind != want[i].kind || l->level != want[i].level)
            fail_msg("line %zu '%s': kind %d level %d, want %d %d",
                     want[i].line, l->text, l->kind, l->level,
                     want[i].kind, want[i].level);
    }
    sp_doc_free(d);
}

static void test_sections(void **state)
{
    (void)state;
    sp_style st;
    sp_doc *d = classified(&st);
    sp_sections ss;
    char *err = NULL;
    assert_int_equal(sp_sections_build(d, &ss, &err), SP_OK);
    assert_null(err);
    assert_int_equal(ss.n, 5);
    const sp_section *s = &ss.v[0];
    assert_string_equal(s->chapter, "Onderwijs");
    assert_int_equal(s->chapter_number, 1);
    assert_string_equal(s->number, "1.1");
    assert_string_equal(s->title, "Uitdagingen en visie");
    assert_int_equal(s->npath, 1);
    assert_string_equal(s->path[0], "1.1 Uitdagingen en visie");
    assert_string_equal(s->text, "1.1 Uitdagingen en visie Excellent "
                        "onderwijs is de hefboom van de informatie. Een zin "
                        "in vet. De hefboom werkt.");
    s = &ss.v[1];
    assert_string_equal(s->number, "1.2.1");
    assert_string_equal(s->title, "Kwaliteit");
    s = &ss.v[2];
    assert_string_equal(s->number, "1.2.1.1");
    assert_string_equal(s->title, "Een titel in een zeldzame letter");
    assert_int_equal(s->npath, 2);     /* 1.2 was never written */
    assert_string_equal(s->path[0], "1.2.1 Kwaliteit");
    assert_string_equal(s->path[1], "1.2.1.1 Een titel in een zeldzame letter");
    s = &ss.v[3];                       /* the next child of 1.2.1.1 */
    assert_string_equal(s->number, "1.2.1.1.1");
    assert_string_equal(s->title, "Zonder nummer");
    s = &ss.v[4];
    assert_string_equal(s->chapter, "Economie");
    assert_int_equal(s->chapter_number, 2);
    assert_string_equal(s->number, "2");
    assert_int_equal(s->npath, 0);
    assert_string_equal(s->text, "2 Economie Een hoofdstuk zonder secties, "
                        "over informatie.");
    sp_sections_release(&ss);
    sp_doc_free(d);
}

static void test_no_headings(void **state)
{
    (void)state;
    static const mk_line v[] = {BODY(1, 100, "Alleen tekst."),
                                BODY(1, 113, "Nog meer tekst.")};
    sp_doc *d = doc_make(v, 2, 1);
    sp_style st;
    assert_int_equal(sp_classify(d, &st), SP_OK);
    sp_sections ss;
    char *err = NULL;
    assert_int_equal(sp_sections_build(d, &ss, &err), SP_BAD);
    tu_assert_contains(err, "no numbered headings");
    assert_int_equal(ss.n, 0);
    free(err);
    sp_doc_free(d);
}

/* A chapter's running header on two pages only sits where the recurring
 * header sat: furniture by its place.  A body line low on a page, where
 * no furniture sits, stays body. */
static void test_furniture_place(void **state)
{
    (void)state;
    static const mk_line v[] = {
        {1, 28, 9, F_BODY, "Deel een"}, BODY(1, 116, "Tekst een."),
        {2, 28, 9, F_BODY, "Deel een"}, BODY(2, 116, "Tekst twee."),
        {3, 28, 9, F_BODY, "Deel een"}, BODY(3, 116, "Tekst drie."),
        {4, 28, 9, F_BODY, "Bijlage"}, BODY(4, 116, "Tekst vier."),
        BODY(4, 779, "laatste regel."),
        {5, 28, 9, F_BODY, "Bijlage"}, BODY(5, 116, "Tekst vijf."),
        {5, 43, 9, F_BODY, "Elders"},
    };
    sp_doc *d = doc_make(v, sizeof v / sizeof v[0], 5);
    sp_style st;
    assert_int_equal(sp_classify(d, &st), SP_OK);
    for (size_t i = 0; i < d->nlines; i++) {
        const sp_line *l = &d->lines[i];
        int header = l->y0 == 28;
        if ((l->kind == SP_FURNITURE) != header)
            fail_msg("line %zu '%s' (page %d): kind %d", i, l->text, l->page,
                     l->kind);
    }
    sp_doc_free(d);
}

/* A page without body-size text (a table in 9 pt): its lower half is no
 * footnote, only the smaller text below it is.  On a page of body text,
 * 9 pt below the body is. */
static void test_footnote_table_page(void **state)
{
    (void)state;
    static const mk_line v[] = {
        BODY(1, 116, "Tekst in de gewone letter, lang genoeg om de body "
                     "te zijn."),
        BODY(1, 129, "Nog een regel in de gewone letter, en nog een "
                     "langere regel."),
        {1, 700, 9, F_BODY, "Een voetnoot in 9 punt."},
        {2, 100, 9, F_BODY, "Tabel rij een"},
        {2, 500, 9, F_BODY, "Tabel rij twee, in de onderste helft"},
        {2, 520, 9, F_BODY, "Tabel rij drie"},
        {2, 740, 7, F_BODY, "1 Een voetnoot bij de tabel."},
    };
    sp_doc *d = doc_make(v, sizeof v / sizeof v[0], 2);
    sp_style st;
    assert_int_equal(sp_classify(d, &st), SP_OK);
    static const sp_kind want[] = {SP_BODY, SP_BODY, SP_FOOTNOTE, SP_BODY,
                                   SP_BODY, SP_BODY, SP_FOOTNOTE};
    for (size_t i = 0; i < d->nlines; i++)
        if (d->lines[i].kind != want[i])
            fail_msg("line %zu '%s': kind %d, want %d", i, d->lines[i].text,
                     d->lines[i].kind, want[i]);
    sp_doc_free(d);
}

/* One line of a page at (x, y), 10 pt high, w points wide. */
static sp_line at(double x, double y, double w, const char *text)
{
    return (sp_line){.text = (char *)text, .x0 = x, .x1 = x + w, .y0 = y,
                     .y1 = y + 10};
}

static void expect_order(sp_line *v, size_t n, const char *const *want)
{
    assert_int_equal(sp_page_order(v, n, 595), SP_OK);
    for (size_t i = 0; i < n; i++)
        if (strcmp(v[i].text, want[i]) != 0)
            fail_msg("line %zu: '%s', want '%s'", i, v[i].text, want[i]);
}

/* The lines of a two-column page in poppler's order (paragraphs of both
 * columns interleaved, a heading at the foot of the left column last, a
 * full-width box between two bands, a bullet beside its text) come out
 * column by column, band by band. */
static void test_page_order(void **state)
{
    (void)state;
    sp_line v[] = {
        at(57, 100, 500, "box above"),
        at(57, 120, 230, "L1"), at(57, 133, 230, "L2"),
        at(306, 120, 230, "R1"),
        at(57, 159, 230, "L3"),
        at(306, 133, 230, "R2"), at(306, 159, 230, "R3"),
        at(57, 300, 500, "box between"),
        at(306, 320, 230, "R4"), at(85, 320, 200, "L5 text"),
        at(57, 320, 8, "L5 bullet"), at(57, 333, 230, "L6"),
        at(306, 333, 230, "R5"), at(57, 359, 230, "L7"),
        at(71, 700, 100, "heading at the foot"),
    };
    const char *want[] = {
        "box above", "L1", "L2", "L3", "R1", "R2", "R3", "box between",
        "L5 bullet", "L5 text", "L6", "L7", "heading at the foot", "R4", "R5",
    };
    expect_order(v, sizeof v / sizeof v[0], want);
    /* one column: poppler's order stays, even against y */
    sp_line one[] = {
        at(57, 120, 480, "first"), at(57, 146, 480, "second"),
        at(57, 133, 200, "short"), at(57, 159, 480, "third"),
    };
    const char *same[] = {"first", "second", "short", "third"};
    expect_order(one, 4, same);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hyphen_repair),
        cmocka_unit_test(test_number_depth),
        cmocka_unit_test(test_slug),
        cmocka_unit_test(test_classify),
        cmocka_unit_test(test_sections),
        cmocka_unit_test(test_no_headings),
        cmocka_unit_test(test_furniture_place),
        cmocka_unit_test(test_page_order),
        cmocka_unit_test(test_footnote_table_page),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
