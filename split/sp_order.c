/*
 * sp_order.c -- the reading order of one page's lines: columns.
 *
 * Owns: putting a page's lines in the order a reader takes them.
 * poppler orders text by blocks and, on a two-column page, often
 * interleaves paragraphs of both columns or puts a heading at the foot of
 * the left column after the whole right column.  The rule (a simple
 * form of the column detection of Breuel, "Two geometric algorithms for
 * layout analysis", 2002):
 *   gutter    the x in the middle half of the page crossed by the fewest
 *             lines; it is a gutter when fewer lines cross it than lie
 *             wholly on either side of it (at least MIN_SIDE each);
 *   bands     lines across the gutter (a full-width title or box) cut
 *             the page into bands; each band is read left column, then
 *             right column, and a crossing line after the band above it;
 *   columns   top to bottom; pieces of one visual line left to right.
 *   A page without a gutter keeps poppler's order.
 * Never: classifies lines or looks at their text.
 */
#include "sp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { MIN_SIDE = 3 };

typedef enum side { S_LEFT, S_RIGHT, S_ACROSS } side;

static side side_of(const sp_line *l, double g)
{
    return l->x1 <= g ? S_LEFT : l->x0 >= g ? S_RIGHT : S_ACROSS;
}

/* Lines of v[0, n) on each side of g. */
static void count_sides(const sp_line *v, size_t n, double g, size_t c[3])
{
    c[0] = c[1] = c[2] = 0;
    for (size_t i = 0; i < n; i++)
        c[side_of(&v[i], g)]++;
}

/* The gutter of the page, or NAN when it has none.  Candidates are just
 * right of a line's end and just left of a line's start. */
static double gutter(const sp_line *v, size_t n, double page_w)
{
    double best = NAN;
    size_t best_across = n + 1;
    for (size_t i = 0; i < 2 * n; i++) {
        double g = i < n ? v[i].x1 + 0.5 : v[i - n].x0 - 0.5;
        if (g < page_w / 4 || g > page_w * 3 / 4)
            continue;
        size_t c[3];
        count_sides(v, n, g, c);
        if (c[S_LEFT] < MIN_SIDE || c[S_RIGHT] < MIN_SIDE ||
            c[S_ACROSS] >= c[S_LEFT] || c[S_ACROSS] >= c[S_RIGHT])
            continue;
        if (c[S_ACROSS] < best_across)
            best = g, best_across = c[S_ACROSS];
    }
    return best;
}

/* Do a and b share most of a visual line (pieces of one line)? */
static int same_row(const sp_line *a, const sp_line *b)
{
    double overlap = fmin(a->y1, b->y1) - fmax(a->y0, b->y0);
    double h = fmin(a->y1 - a->y0, b->y1 - b->y0);
    return overlap > h / 2;
}

static int before(const sp_line *a, const sp_line *b)
{
    return same_row(a, b) ? a->x0 < b->x0 : a->y0 < b->y0;
}

/* Stable insertion sort, top to bottom (a page has few lines; the order
 * is no total order, so no qsort). */
static void column_sort(sp_line *v, size_t n)
{
    for (size_t i = 1; i < n; i++) {
        sp_line t = v[i];
        size_t j = i;
        for (; j > 0 && before(&t, &v[j - 1]); j--)
            v[j] = v[j - 1];
        v[j] = t;
    }
}

/* Append to out the lines of v of side s whose top is in [top, bottom). */
static void take(const sp_line *v, size_t n, double g, side s, double top,
                 double bottom, sp_line *out, size_t *k)
{
    size_t from = *k;
    for (size_t i = 0; i < n; i++)
        if (side_of(&v[i], g) == s && v[i].y0 >= top && v[i].y0 < bottom)
            out[(*k)++] = v[i];
    column_sort(out + from, *k - from);
}

sp_status sp_page_order(sp_line *v, size_t n, double page_w)
{
    double g = gutter(v, n, page_w);
    if (isnan(g))
        return SP_OK;
    sp_line *out = malloc(n * sizeof *out);
    if (!out)
        return SP_NOMEM;
    size_t k = 0;
    take(v, n, g, S_ACROSS, -INFINITY, INFINITY, out, &k);
    size_t across = k;          /* the crossing lines, sorted, come first */
    sp_line *cross = malloc((across ? across : 1) * sizeof *cross);
    if (!cross) {
        free(out);
        return SP_NOMEM;
    }
    memcpy(cross, out, across * sizeof *cross);
    k = 0;
    double top = -INFINITY;
    for (size_t b = 0; b <= across; b++) {
        double bottom = b < across ? cross[b].y0 : INFINITY;
        take(v, n, g, S_LEFT, top, bottom, out, &k);
        take(v, n, g, S_RIGHT, top, bottom, out, &k);
        if (b < across)
            out[k++] = cross[b];
        top = bottom;
    }
    memcpy(v, out, n * sizeof *v);
    free(cross);
    free(out);
    return SP_OK;
}
