/*
 * qy_out.c -- rendering decisions and sections as text, JSON Lines or
 * Markdown.
 *
 * Owns: terminal layout (width, wrapping, ANSI only when asked), the JSON
 * objects of --format json, Markdown escaping of corpus text.
 * Never: decides what to show (callers pass finished records); lets corpus
 * text inject HTML, Markdown links or terminal escapes.
 */
#include "qy.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define HI_ON "\033[1;33m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* Visible width of a UTF-8 string (code points, markers \x01 \x02 free). */
static size_t text_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c & 0xC0) != 0x80 && c != 1 && c != 2)
            w++;
    }
    return w;
}

/* Write s[0..n) with highlight markers turned into ANSI or dropped, and
 * other control characters, C1 included (terminal escapes in corpus
 * text), dropped. */
static void put_marked(FILE *f, const char *s, size_t n, int color)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == 1 || c == 2) {
            if (color)
                fputs(c == 1 ? HI_ON : RESET, f);
        } else if (c == 0xC2 && i + 1 < n &&
                   (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F) {
            i++;                 /* a C1 control (U+0080..U+009F, CSI) */
        } else if (c >= 0x20 && c != 0x7F) {
            fputc(c, f);
        }
    }
}

/* Word-wrap s to width columns, each line starting with indent spaces. */
static void put_wrapped(FILE *f, const char *s, unsigned width, int indent,
                        int color)
{
    size_t avail = width > (unsigned)indent + 20 ? width - (unsigned)indent : 60;
    size_t col = 0;
    while (*s) {
        while (*s == ' ')
            s++;
        size_t n = strcspn(s, " ");
        if (!n)
            break;
        size_t w = text_width(s, n);
        if (col && col + 1 + w > avail) {
            fputc('\n', f);
            col = 0;
        }
        if (!col)
            fprintf(f, "%*s", indent, "");
        else
            fputc(' ', f), col++;
        put_marked(f, s, n, color);
        col += w;
        s += n;
    }
    if (col)
        fputc('\n', f);
}

/* Corpus text (id, kind, title) in text output: control bytes dropped, so
 * a hostile record cannot send terminal escapes. */
static void put_plain(FILE *f, const char *s)
{
    put_marked(f, s, strlen(s), 0);
}

/* Plain copy of a snippet without highlight markers (malloc'd). */
static char *strip_marks(const char *s)
{
    char *out = malloc(strlen(s) + 1), *p = out;
    if (!out)
        return NULL;
    for (; *s; s++)
        if (*s != 1 && *s != 2)
            *p++ = *s;
    *p = '\0';
    return out;
}

char *qy_md_escape(const char *s)
{
    char *out = malloc(5 * strlen(s) + 1), *p = out;
    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            p += sprintf(p, "&amp;");
        else if (c == '<')
            p += sprintf(p, "&lt;");
        else if (c == '>')
            p += sprintf(p, "&gt;");
        else if (strchr("\\`*_[]|~#", c) && c)
            *p++ = '\\', *p++ = (char)c;
        else if (c < 0x20 || c == 0x7F)
            *p++ = ' ';
        else
            *p++ = (char)c;
    }
    *p = '\0';
    return out;
}

void qy_put_plain(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\x%02x", c);
        } else if (c == 0xC2 && (unsigned char)s[1] >= 0x80 &&
                   (unsigned char)s[1] <= 0x9F) {
            fprintf(f, "\\u%04x", (unsigned char)s[1]);   /* C1 control */
            s++;
        } else if (c == '\\') {
            fputs("\\\\", f);
        } else {
            fputc(c, f);
        }
    }
}

int qy_word_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

int qy_md_put(FILE *f, const char *s)
{
    char *e = qy_md_escape(s);
    if (!e)
        return -1;
    fputs(e, f);
    free(e);
    return 0;
}

/* Markdown of a snippet: escaped, highlights in **bold**. */
static char *md_snippet(const char *s)
{
    char *out = malloc(5 * strlen(s) + 1), *p = out;
    if (!out)
        return NULL;
    char one[2] = {0, 0};
    for (; *s; s++) {
        if (*s == 1 || *s == 2) {
            p += sprintf(p, "**");
            continue;
        }
        one[0] = *s;
        char *e = qy_md_escape(one);
        if (!e) {
            free(out);
            return NULL;
        }
        p += sprintf(p, "%s", e);
        free(e);
    }
    *p = '\0';
    return out;
}

static json_t *decision_json(const qy_decision *d, const char *link)
{
    return json_pack("{s:s, s:s?, s:s?, s:s, s:s}", "id", d->id, "date",
                     *d->date ? d->date : NULL, "kind",
                     *d->kind ? d->kind : NULL, "title", d->title, "url",
                     link);
}

static int put_json(FILE *f, json_t *o)
{
    int rc = o ? json_dumpf(o, f, JSON_COMPACT) : -1;
    json_decref(o);
    return rc == 0 && fputc('\n', f) != EOF ? 0 : -1;
}

static const char *date_or_unknown(const qy_decision *d)
{
    return *d->date ? d->date : "datum onbekend";
}

static void text_hit(FILE *f, const qy_hit *h, const char *link,
                     const qy_style *st)
{
    const qy_decision *d = &h->d;
    fprintf(f, "%3u. %s%s", h->rank, date_or_unknown(d), *d->kind ? "  " : "");
    put_plain(f, d->kind);
    fputc('\n', f);
    if (st->color)
        fputs(BOLD, f);
    put_wrapped(f, d->title, st->width, 5, 0);
    if (st->color)
        fputs(RESET, f);
    put_wrapped(f, h->snippet, st->width, 5, st->color);
    fprintf(f, "     %s\n\n", link);
}

static int md_hit(FILE *f, const qy_hit *h, const char *link)
{
    char *title = qy_md_escape(h->d.title), *snip = md_snippet(h->snippet);
    if (title && snip)
        fprintf(f, "- **[\\[%u\\]](%s)** : **(%s)** %s — %s\n", h->rank, link,
                date_or_unknown(&h->d), title, snip);
    free(title);
    free(snip);
    return title && snip ? 0 : -1;
}

static int json_hit(FILE *f, const qy_hit *h, const char *link)
{
    json_t *o = decision_json(&h->d, link);
    char *plain = strip_marks(h->snippet);
    if (o && (!plain ||
              json_object_set_new(o, "score", json_real(h->score)) ||
              json_object_set_new(o, "rank", json_integer(h->rank)) ||
              json_object_set_new(o, "snippet", json_string(plain)))) {
        json_decref(o);
        o = NULL;
    }
    free(plain);
    return put_json(f, o);
}

int qy_print_hits(FILE *f, const qy_hits *h, qy_format fmt,
                  const qy_style *st)
{
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < h->n; i++) {
        char *link = qy_decision_link(&h->hits[i].d);
        if (!link)
            return -1;
        if (fmt == QY_JSON)
            rc = json_hit(f, &h->hits[i], link);
        else if (fmt == QY_MD)
            rc = md_hit(f, &h->hits[i], link);
        else
            text_hit(f, &h->hits[i], link, st);
        free(link);
    }
    return rc || ferror(f) ? -1 : 0;
}

static int md_decision(FILE *f, const qy_decision *d, const char *link)
{
    /* id and kind are corpus text too: escaped like title and text (a code
     * span cannot hold a backtick or a newline safely, so none) */
    char *title = qy_md_escape(d->title), *text = qy_md_escape(d->text);
    char *kind = qy_md_escape(d->kind), *id = qy_md_escape(d->id);
    int ok = title && text && kind && id;
    if (ok)
        fprintf(f, "## %s\n\n**(%s)** %s · %s · [link](%s)\n\n%s\n", title,
                date_or_unknown(d), kind, id, link, text);
    free(title);
    free(text);
    free(kind);
    free(id);
    return ok ? 0 : -1;
}

static void text_decision(FILE *f, const qy_decision *d, const char *link,
                          const qy_style *st)
{
    fputs("id:    ", f);
    put_plain(f, d->id);
    fprintf(f, "\ndate:  %s\nkind:  ", date_or_unknown(d));
    put_plain(f, *d->kind ? d->kind : "onbekend");
    fputs("\ntitle: ", f);
    if (st->color)
        fputs(BOLD, f);
    put_marked(f, d->title, strlen(d->title), 0);
    if (st->color)
        fputs(RESET, f);
    fprintf(f, "\nurl:   %s\n\n", link);
    put_wrapped(f, d->text, st->width, 0, 0);
}

int qy_print_decision(FILE *f, const qy_decision *d, qy_format fmt,
                      const qy_style *st)
{
    char *link = qy_decision_link(d);
    int rc = link ? 0 : -1;
    if (link && fmt == QY_JSON) {
        json_t *o = decision_json(d, link);
        if (o && json_object_set_new(o, "text", json_string(d->text))) {
            json_decref(o);
            o = NULL;
        }
        rc = put_json(f, o);
    } else if (link && fmt == QY_MD) {
        rc = md_decision(f, d, link);
    } else if (link) {
        text_decision(f, d, link, st);
    }
    free(link);
    return rc || ferror(f) ? -1 : 0;
}

int qy_print_section_row(FILE *f, const qy_section *sec, qy_format fmt)
{
    if (fmt == QY_JSON)
        return put_json(f, json_pack("{s:s, s:s, s:s, s:s}", "id", sec->id,
                                     "chapter", sec->chapter, "number",
                                     sec->number, "title", sec->title));
    if (fmt == QY_MD) {
        char *t = qy_md_escape(sec->title), *id = qy_md_escape(sec->id);
        if (t && id)
            fprintf(f, "- %s %s\n", id, t);
        free(t);
        free(id);
        if (!t || !id)
            return -1;
    } else {
        put_plain(f, sec->id);
        for (size_t n = strlen(sec->id); n < 40; n++)
            fputc(' ', f);
        fputs("  ", f);
        put_plain(f, sec->title);
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}
