/*
 * sp_layout.c -- the layout model: a PDF's text lines with font, size
 * and position.
 *
 * Owns: reading the file (so that errors name it), opening it with
 * poppler-glib, and per page cutting poppler_page_get_text() at its
 * newlines into lines, each with the union of its characters' boxes
 * (poppler_page_get_text_layout) and its most used face and size
 * (poppler_page_get_text_attributes, counted per character), put in
 * reading order by sp_order.c.
 * Never: classifies lines or knows about sections.
 */
#include "sp.h"
#include "sp-int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <poppler.h>

/* The face and size covering the most characters of one line. */
typedef struct ln_style {
    const char *font;   /* borrowed from the attribute list */
    double size;
    long count;
} ln_style;

static int is_utf8_start(unsigned char c) { return (c & 0xC0) != 0x80; }

static sp_status doc_font_index(sp_doc *d, const char *name, int *out)
{
    for (size_t i = 0; i < d->nfonts; i++)
        if (strcmp(d->fonts[i], name) == 0) {
            *out = (int)i;
            return SP_OK;
        }
    char **v = realloc(d->fonts, (d->nfonts + 1) * sizeof *v);
    if (!v)
        return SP_NOMEM;
    d->fonts = v;
    if (!(v[d->nfonts] = strdup(name)))
        return SP_NOMEM;
    *out = (int)d->nfonts++;
    return SP_OK;
}

/* The attribute run covering character ci, or NULL. */
static PopplerTextAttributes *attr_at(GList **cur, int ci)
{
    while (*cur) {
        PopplerTextAttributes *a = (*cur)->data;
        if (ci < a->start_index)
            return NULL;
        if (ci <= a->end_index)
            return a;
        *cur = (*cur)->next;
    }
    return NULL;
}

static sp_status doc_push(sp_doc *d, sp_line *ln, size_t *cap)
{
    if (d->nlines == *cap) {
        size_t n = *cap ? *cap * 2 : 1024;
        sp_line *v = realloc(d->lines, n * sizeof *v);
        if (!v)
            return SP_NOMEM;
        d->lines = v;
        *cap = n;
    }
    d->lines[d->nlines++] = *ln;
    return SP_OK;
}

/* Styles of one line: a small list, the most common wins. */
typedef struct ln_styles {
    ln_style v[16];
    size_t n;
} ln_styles;

static void styles_add(ln_styles *s, const char *font, double size)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i].size == size && strcmp(s->v[i].font, font) == 0) {
            s->v[i].count++;
            return;
        }
    if (s->n < sizeof s->v / sizeof s->v[0])
        s->v[s->n++] = (ln_style){font, size, 1};
}

static const ln_style *styles_top(const ln_styles *s)
{
    const ln_style *best = NULL;
    for (size_t i = 0; i < s->n; i++)
        if (!best || s->v[i].count > best->count)
            best = &s->v[i];
    return best;
}

/* One line text[from, to) of page pno, characters ci0.. of the layout. */
typedef struct pg_ctx {
    sp_doc *d;
    size_t *cap;
    int pno;
    const char *text;
    PopplerRectangle *rects;
    guint nrects;
    GList *attrs;       /* cursor into the page's attribute list */
} pg_ctx;

static sp_status segment_emit(pg_ctx *p, size_t from, size_t to, int ci0)
{
    sp_line ln = {0};
    ln.page = p->pno;
    ln.x0 = ln.y0 = INFINITY;
    ln.x1 = ln.y1 = -INFINITY;
    ln_styles st = {.n = 0};
    int ci = ci0, any = 0;
    for (size_t i = from; i < to; i++) {
        if (!is_utf8_start((unsigned char)p->text[i]))
            continue;
        if (p->text[i] != ' ' && ci >= 0 && (guint)ci < p->nrects) {
            PopplerRectangle *r = &p->rects[ci];
            ln.x0 = fmin(ln.x0, r->x1); ln.x1 = fmax(ln.x1, r->x2);
            ln.y0 = fmin(ln.y0, r->y1); ln.y1 = fmax(ln.y1, r->y2);
            PopplerTextAttributes *a = attr_at(&p->attrs, ci);
            if (a && a->font_name)
                styles_add(&st, a->font_name, round(a->font_size * 10) / 10);
            any = 1;
        }
        ci++;
    }
    if (!any)
        return SP_OK;           /* a blank line */
    const ln_style *top = styles_top(&st);
    sp_status s = SP_OK;
    if (top) {
        ln.size = top->size;
        s = doc_font_index(p->d, top->font, &ln.font);
    } else {
        ln.font = -1;
    }
    if (s == SP_OK && !(ln.text = strndup(p->text + from, to - from)))
        s = SP_NOMEM;
    if (s == SP_OK && (s = doc_push(p->d, &ln, p->cap)) != SP_OK)
        free(ln.text);
    return s;
}

static const PopplerRectangle *rect_at(const pg_ctx *p, int ci)
{
    return ci >= 0 && (guint)ci < p->nrects ? &p->rects[ci] : NULL;
}

/* Cut one line of poppler's text where two characters are further apart
 * than COLUMN_GAP times their height: poppler sometimes puts text of two
 * columns on one line ("gunstig investeringsklimaat" + "De Raad ..."). */
static sp_status line_emit(pg_ctx *p, size_t from, size_t to, int ci0)
{
    static const double COLUMN_GAP = 1.2;
    const PopplerRectangle *prev = NULL;
    size_t seg = from, last_end = from;     /* bytes */
    int seg_ci = ci0, ci = ci0;
    sp_status s = SP_OK;
    for (size_t i = from; i < to && s == SP_OK; i++) {
        if (!is_utf8_start((unsigned char)p->text[i]))
            continue;
        const PopplerRectangle *r = rect_at(p, ci);
        if (p->text[i] != ' ' && r) {
            double h = fmax(r->y2 - r->y1, prev ? prev->y2 - prev->y1 : 0);
            if (prev && r->x1 - prev->x2 > COLUMN_GAP * h) {
                s = segment_emit(p, seg, last_end, seg_ci);
                seg = i, seg_ci = ci;
            }
            prev = r;
            last_end = i + 1;
            while (last_end < to && !is_utf8_start((unsigned char)p->text[last_end]))
                last_end++;
        }
        ci++;
    }
    return s == SP_OK ? segment_emit(p, seg, to, seg_ci) : s;
}

static sp_status page_read(sp_doc *d, PopplerPage *page, int pno, size_t *cap)
{
    pg_ctx p = {.d = d, .cap = cap, .pno = pno};
    size_t first = d->nlines;
    double page_w = 0;
    poppler_page_get_size(page, &page_w, NULL);
    char *text = poppler_page_get_text(page);
    GList *attrs = poppler_page_get_text_attributes(page);
    sp_status s = SP_OK;
    if (text && !poppler_page_get_text_layout(page, &p.rects, &p.nrects))
        p.rects = NULL, p.nrects = 0;
    p.text = text ? text : "";
    p.attrs = attrs;
    size_t from = 0;
    int ci = 0, ci0 = 0;
    for (size_t i = 0; s == SP_OK; i++) {
        char c = p.text[i];
        if (c == '\n' || c == '\0') {
            s = line_emit(&p, from, i, ci0);
            from = i + 1;
            ci0 = ci + 1;
        }
        if (is_utf8_start((unsigned char)c))
            ci++;
        if (c == '\0')
            break;
    }
    g_free(p.rects);
    poppler_page_free_text_attributes(attrs);
    g_free(text);
    if (s == SP_OK)
        s = sp_page_order(d->lines + first, d->nlines - first, page_w);
    return s;
}

static sp_status file_read(const char *path, GBytes **out, char **err)
{
    GError *ge = NULL;
    gchar *data = NULL;
    gsize len = 0;
    *out = NULL;
    if (!g_file_get_contents(path, &data, &len, &ge)) {
        *err = sp_printf("%s: cannot read: %s", path, ge->message);
        g_error_free(ge);
        return *err ? SP_IO : SP_NOMEM;
    }
    if (len == 0) {
        g_free(data);
        *err = sp_printf("%s: empty file, not a PDF", path);
        return *err ? SP_BAD : SP_NOMEM;
    }
    /* PDF 32000-1 7.5.2: the header "%PDF-" (readers accept it in the
     * first 1024 bytes) */
    if (!g_strstr_len(data, len < 1024 ? (gssize)len : 1024, "%PDF-")) {
        g_free(data);
        *err = sp_printf("%s: not a PDF (no %%PDF- header)", path);
        return *err ? SP_BAD : SP_NOMEM;
    }
    *out = g_bytes_new_take(data, len);
    return SP_OK;
}

static sp_status doc_error(const char *path, GError *ge, char **err)
{
    const char *what = "not a PDF or damaged";
    if (ge->domain == POPPLER_ERROR && ge->code == POPPLER_ERROR_ENCRYPTED)
        what = "encrypted (a password is needed)";
    else if (ge->domain == POPPLER_ERROR && ge->code == POPPLER_ERROR_DAMAGED)
        what = "damaged PDF";
    *err = sp_printf("%s: %s (%s)", path, what, ge->message);
    g_error_free(ge);
    return *err ? SP_BAD : SP_NOMEM;
}

/* No line on any page: the PDF has no text layer (scanned, or images). */
static sp_status doc_check(const char *path, sp_doc *d, char **err)
{
    if (d->npages <= 0)
        *err = sp_printf("%s: the PDF has no pages", path);
    else if (d->nlines == 0)
        *err = sp_printf("%s: page 1: no text layer (%d page%s without "
                         "text; a scan needs OCR first)", path, d->npages,
                         d->npages == 1 ? "" : "s");
    else
        return SP_OK;
    return *err ? SP_BAD : SP_NOMEM;
}

sp_status sp_doc_open(const char *path, sp_doc **out, char **err)
{
    GBytes *bytes = NULL;
    GError *ge = NULL;
    PopplerDocument *pd = NULL;
    sp_doc *d = NULL;
    *out = NULL;
    *err = NULL;
    sp_status s = file_read(path, &bytes, err);
    if (s != SP_OK)
        return s;
    if (!(pd = poppler_document_new_from_bytes(bytes, NULL, &ge))) {
        s = doc_error(path, ge, err);
        goto done;
    }
    if (!(d = calloc(1, sizeof *d))) {
        s = SP_NOMEM;
        goto done;
    }
    d->npages = poppler_document_get_n_pages(pd);
    size_t cap = 0;
    for (int i = 0; i < d->npages && s == SP_OK; i++) {
        PopplerPage *page = poppler_document_get_page(pd, i);
        if (!page) {
            *err = sp_printf("%s: page %d: cannot be read", path, i + 1);
            s = *err ? SP_BAD : SP_NOMEM;
            break;
        }
        if (i == 0)
            poppler_page_get_size(page, NULL, &d->page_h);
        s = page_read(d, page, i + 1, &cap);
        g_object_unref(page);
    }
    if (s == SP_OK)
        s = doc_check(path, d, err);
done:
    if (pd)
        g_object_unref(pd);
    g_bytes_unref(bytes);
    if (s == SP_OK)
        *out = d;
    else
        sp_doc_free(d);
    return s;
}

void sp_doc_free(sp_doc *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->nlines; i++)
        free(d->lines[i].text);
    free(d->lines);
    for (size_t i = 0; i < d->nfonts; i++)
        free(d->fonts[i]);
    free(d->fonts);
    free(d);
}
