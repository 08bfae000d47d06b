/*
 * sp_class.c -- the classifier: body, heading, running header or
 * footer, footnote, table of contents.
 *
 * Owns: the document statistics (body style = the face and size that
 * cover the most characters; chapter size = the usual size of numbered
 * depth-1 headings) and the rules, all relative to those statistics:
 *   furniture  a line in the top or bottom margin (9 % of the page) that
 *              is only digits, or whose text without digits recurs in the
 *              margins of MIN_REPEAT pages or more;
 *   contents   every line of a page where a third or more of the lines
 *              end in a page number (an integer no larger than the page
 *              count), mostly rising;
 *   footnote   text smaller than the page's main text (the body size, or
 *              on a page without body-size text its most used size) below
 *              the page's last line of main text, in its lower half;
 *   heading    a line larger than the body starts a block; the block
 *              goes on with close lines (same page and column, gap under
 *              two line heights) of the title's own style, a face or size
 *              other than the body's (so a title in a rarer face at body
 *              size after a larger number counts); its level is its
 *              number's depth, else 1 at chapter size or larger, else 0.
 * Never: reads text across sections or knows a particular document.
 */
#include "sp.h"
#include "sp-int.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

enum { MIN_REPEAT = 3 };
static const double MARGIN = 0.09;      /* share of the page height   */
static const double SIZE_EPS = 0.5;     /* points: "the same size"    */

int sp_number_depth(const char *s, size_t *len)
{
    const char *p = s;
    int depth = 0;
    while (depth < 6) {
        int digits = 0;
        while (isdigit((unsigned char)p[digits]))
            digits++;
        if (digits == 0 || digits > 3)
            return 0;
        p += digits;
        depth++;
        if (*p == '.' && isdigit((unsigned char)p[1])) {
            p++;
            continue;
        }
        break;
    }
    size_t n = (size_t)(p - s);
    if (*p == '.')
        p++;
    if (*p != '\0' && *p != ' ')
        return 0;
    if (len)
        *len = n;
    return depth;
}

static int same_size(double a, double b) { return fabs(a - b) < SIZE_EPS; }

static int is_body(const sp_line *l, const sp_style *st)
{
    return l->font == st->body_font && same_size(l->size, st->body_size);
}

/* ---- body style ---- */

typedef struct style_count {
    int font;
    double size;
    size_t chars;
} style_count;

static sp_status style_body(const sp_doc *d, sp_style *st)
{
    style_count *v = NULL;
    size_t n = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        const sp_line *l = &d->lines[i];
        size_t k = 0;
        while (k < n && !(v[k].font == l->font && v[k].size == l->size))
            k++;
        if (k == n) {
            style_count *w = realloc(v, (n + 1) * sizeof *w);
            if (!w) {
                free(v);
                return SP_NOMEM;
            }
            v = w;
            v[n++] = (style_count){l->font, l->size, 0};
        }
        v[k].chars += strlen(l->text);
    }
    size_t best = 0;
    for (size_t k = 1; k < n; k++)
        if (v[k].chars > v[best].chars)
            best = k;
    st->body_font = n ? v[best].font : -1;
    st->body_size = n ? v[best].size : 0;
    free(v);
    return SP_OK;
}

/* ---- running headers and footers ---- */

static int in_margin(const sp_doc *d, const sp_line *l)
{
    return l->y1 < MARGIN * d->page_h || l->y0 > (1 - MARGIN) * d->page_h;
}

/* The line's text without digits and spaces at its ends; malloc'd. */
static char *furniture_key(const char *text)
{
    GString *k = g_string_new(NULL);
    for (const char *p = text; *p; p++)
        if (!isdigit((unsigned char)*p))
            g_string_append_c(k, *p);
    g_strstrip(k->str);
    return g_string_free(k, FALSE);
}

/* The face, size and height (to the point) of a line; malloc'd. */
static char *place_key(const sp_line *l)
{
    return g_strdup_printf("%d/%.1f/%.0f", l->font, l->size, l->y0);
}

/* Count per page the keys of the margin lines that furniture() says yes
 * to, and give every margin line with a key on MIN_REPEAT pages or more
 * the kind SP_FURNITURE. */
static void mark_by(sp_doc *d, char *(*key_of)(const char *, const sp_line *),
                    int (*counts)(const sp_line *))
{
    GHashTable *pages = g_hash_table_new_full(g_str_hash, g_str_equal,
                                              g_free, NULL);
    GHashTable *last = g_hash_table_new_full(g_str_hash, g_str_equal,
                                             g_free, NULL);
    for (size_t i = 0; i < d->nlines; i++) {
        const sp_line *l = &d->lines[i];
        if (!in_margin(d, l) || !counts(l))
            continue;
        char *key = key_of(l->text, l);
        if (GPOINTER_TO_INT(g_hash_table_lookup(last, key)) == l->page) {
            g_free(key);
            continue;
        }
        int n = GPOINTER_TO_INT(g_hash_table_lookup(pages, key));
        g_hash_table_replace(pages, g_strdup(key), GINT_TO_POINTER(n + 1));
        g_hash_table_replace(last, key, GINT_TO_POINTER(l->page));
    }
    for (size_t i = 0; i < d->nlines; i++) {
        sp_line *l = &d->lines[i];
        if (!in_margin(d, l))
            continue;
        char *key = key_of(l->text, l);
        int n = GPOINTER_TO_INT(g_hash_table_lookup(pages, key));
        if (key[0] == '\0' || n >= MIN_REPEAT)
            l->kind = SP_FURNITURE;
        g_free(key);
    }
    g_hash_table_destroy(last);
    g_hash_table_destroy(pages);
}

static char *text_key(const char *text, const sp_line *l)
{
    (void)l;
    return furniture_key(text);
}

static char *line_place_key(const char *text, const sp_line *l)
{
    (void)text;
    return place_key(l);
}

static int any_line(const sp_line *l) { (void)l; return 1; }
static int is_furniture(const sp_line *l) { return l->kind == SP_FURNITURE; }

/* First by text (a running header recurs), then by place: a margin line
 * where the first rule found furniture on MIN_REPEAT pages is furniture
 * too (a chapter's running header on its chapter's one or two pages). */
static void mark_furniture(sp_doc *d)
{
    mark_by(d, text_key, any_line);
    mark_by(d, line_place_key, is_furniture);
}

/* ---- table of contents ---- */

/* The integer a line ends with (after a non-digit that is no dot, or
 * alone), or 0. */
static long ends_in_page(const char *t, int npages)
{
    size_t n = strlen(t);
    while (n > 0 && t[n - 1] == ' ')
        n--;
    size_t e = n;
    while (n > 0 && isdigit((unsigned char)t[n - 1]))
        n--;
    if (n == e || e - n > 4 || (n > 0 && t[n - 1] == '.'))
        return 0;
    long v = strtol(t + n, NULL, 10);
    return v >= 1 && v <= npages ? v : 0;
}

/* Lines [from, to) are one page: is it a table of contents? */
static int page_is_contents(const sp_doc *d, size_t from, size_t to)
{
    size_t lines = 0, ends = 0, rising = 0;
    long prev = 0;
    for (size_t i = from; i < to; i++) {
        if (d->lines[i].kind == SP_FURNITURE)
            continue;
        lines++;
        long v = ends_in_page(d->lines[i].text, d->npages);
        if (!v)
            continue;
        if (ends++ > 0 && v >= prev)
            rising++;
        prev = v;
    }
    return lines >= 5 && ends * 3 >= lines && ends >= 2 &&
           rising * 4 >= (ends - 1) * 3;
}

static void mark_contents(sp_doc *d)
{
    for (size_t from = 0; from < d->nlines;) {
        size_t to = from;
        while (to < d->nlines && d->lines[to].page == d->lines[from].page)
            to++;
        if (page_is_contents(d, from, to))
            for (size_t i = from; i < to; i++)
                if (d->lines[i].kind == SP_BODY)
                    d->lines[i].kind = SP_CONTENTS;
        from = to;
    }
}

/* ---- footnotes ---- */

/* The size of the main text of the page lines [from, to): the body size
 * when the page has body-size text, else the size covering the most of
 * the page's characters (a page of a table in a smaller face). */
static double page_text_size(const sp_doc *d, size_t from, size_t to,
                             const sp_style *st)
{
    double best = st->body_size;
    size_t best_chars = 0;
    for (size_t i = from; i < to; i++) {
        const sp_line *l = &d->lines[i];
        if (l->kind != SP_BODY)
            continue;
        if (same_size(l->size, st->body_size))
            return st->body_size;
        size_t chars = 0;
        for (size_t k = from; k < to; k++)
            if (d->lines[k].kind == SP_BODY && d->lines[k].size == l->size)
                chars += strlen(d->lines[k].text);
        if (chars > best_chars)
            best = l->size, best_chars = chars;
    }
    return best;
}

static void mark_footnotes(sp_doc *d, const sp_style *st)
{
    for (size_t from = 0; from < d->nlines;) {
        size_t to = from;
        while (to < d->nlines && d->lines[to].page == d->lines[from].page)
            to++;
        double size = page_text_size(d, from, to, st), text_end = -INFINITY;
        for (size_t i = from; i < to; i++) {
            const sp_line *l = &d->lines[i];
            if (l->kind == SP_BODY && same_size(l->size, size))
                text_end = fmax(text_end, l->y1);
        }
        for (size_t i = from; i < to; i++) {
            sp_line *l = &d->lines[i];
            if (l->kind == SP_BODY && l->size < size - SIZE_EPS &&
                l->y0 >= text_end - 1 && l->y0 > d->page_h / 2)
                l->kind = SP_FOOTNOTE;
        }
        from = to;
    }
}

/* ---- headings ---- */

static int is_large(const sp_line *l, const sp_style *st)
{
    return l->size > st->body_size + SIZE_EPS;
}

/* Does b continue the heading block whose previous line is a? */
static int continues(const sp_line *a, const sp_line *b, const sp_line *title,
                     const sp_style *st)
{
    if (b->kind != SP_BODY || b->page != a->page || is_body(b, st) ||
        sp_number_depth(b->text, NULL))
        return 0;             /* a number starts a heading of its own */
    double h = fmax(a->y1 - a->y0, b->y1 - b->y0);
    if (b->y0 < a->y0 || b->y0 - a->y1 > h || fabs(b->x0 - a->x0) > 2 * h)
        return 0;
    if (!title)
        return 1;
    return b->font == title->font && same_size(b->size, title->size);
}

/* Mark the block that starts at line i; returns the line after it. */
static size_t mark_block(sp_doc *d, size_t i, const sp_style *st)
{
    sp_line *head = &d->lines[i];
    size_t nlen = 0;
    int depth = sp_number_depth(head->text, &nlen);
    head->kind = SP_HEADING;
    head->level = depth;
    /* the title's style: the head's own when it holds more than a number */
    const sp_line *title = depth && head->text[nlen + (head->text[nlen] == '.')]
                           == '\0' ? NULL : head;
    size_t j = i + 1;
    for (; j < d->nlines && continues(&d->lines[j - 1], &d->lines[j], title, st);
         j++) {
        d->lines[j].kind = SP_TITLE;
        if (!title)
            title = &d->lines[j];
    }
    return j;
}

/* The most common size of numbered depth-1 headings (else the largest
 * heading size). */
static double chapter_size(const sp_doc *d)
{
    double best = 0, largest = 0;
    size_t best_n = 0;
    for (size_t i = 0; i < d->nlines; i++) {
        const sp_line *l = &d->lines[i];
        if (l->kind != SP_HEADING)
            continue;
        largest = fmax(largest, l->size);
        if (l->level != 1)
            continue;
        size_t n = 0;
        for (size_t k = 0; k < d->nlines; k++)
            n += d->lines[k].kind == SP_HEADING && d->lines[k].level == 1 &&
                 same_size(d->lines[k].size, l->size);
        if (n > best_n || (n == best_n && l->size > best))
            best = l->size, best_n = n;
    }
    return best_n ? best : largest;
}

static void mark_headings(sp_doc *d, sp_style *st)
{
    for (size_t i = 0; i < d->nlines;) {
        if (d->lines[i].kind == SP_BODY && is_large(&d->lines[i], st))
            i = mark_block(d, i, st);
        else
            i++;
    }
    st->chapter_size = chapter_size(d);
    for (size_t i = 0; i < d->nlines; i++) {
        sp_line *l = &d->lines[i];
        if (l->kind == SP_HEADING && l->level == 0 &&
            l->size > st->chapter_size - SIZE_EPS)
            l->level = 1;
    }
}

sp_status sp_classify(sp_doc *d, sp_style *st)
{
    for (size_t i = 0; i < d->nlines; i++)
        d->lines[i].kind = SP_BODY, d->lines[i].level = 0;
    sp_status s = style_body(d, st);
    if (s != SP_OK)
        return s;
    mark_furniture(d);
    mark_contents(d);
    mark_footnotes(d, st);
    mark_headings(d, st);
    return SP_OK;
}
