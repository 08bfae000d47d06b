/*
 * qy_out.c -- rendering decisions and sections as text, JSON Lines or
 * Markdown.
 *
 * Owns: terminal layout (width, wrapping, ANSI only when asked), the JSON
 * objects of --format json, Markdown of snippets (escaping: render/rd.h).
 * Never: decides what to show (callers pass finished records); lets corpus
 * text inject HTML, Markdown links or terminal escapes.
 */
#include "qy.h"

#include <errno.h>
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
        char *e = rd_md_escape(one);
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

/* A list field (values joined with '\n') as a JSON array. */
static json_t *list_json(const char *list)
{
    json_t *a = json_array();
    for (const char *p = list; a && *p;) {
        size_t n = strcspn(p, "\n");
        if (json_array_append_new(a, json_stringn(p, n))) {
            json_decref(a);
            a = NULL;
        }
        p += n + (p[n] == '\n');
    }
    return a;
}

/* o[key] = s when s is a non-empty string.  Returns -1 when that fails.
 * (Not json_pack's "s*": it omits a key whose string could not be
 * allocated, as if it were NULL.) */
static int set_some(json_t *o, const char *key, const char *s)
{
    return s && *s ? json_object_set_new(o, key, json_string(s)) : 0;
}

/* The API's fields of d, those it has, into o (a decision object). */
static json_t *api_json(json_t *o, const qy_decision *d)
{
    if (!o || !d->sources || strcmp(d->sources, "extract") == 0)
        return o;
    if (set_some(o, "uri", d->uri) || set_some(o, "meeting", d->meeting) ||
        set_some(o, "meeting_type", d->meeting_type) ||
        set_some(o, "position", d->position) ||
        set_some(o, "alternative_title", d->alt_title) ||
        json_object_set_new(o, "ministers", list_json(d->ministers)) ||
        json_object_set_new(o, "themes", list_json(d->themes)) ||
        json_object_set_new(o, "sources", json_string(d->sources))) {
        json_decref(o);
        o = NULL;
    }
    return o;
}

static json_t *decision_json(const qy_decision *d, const char *link)
{
    return api_json(json_pack("{s:s, s:s?, s:s?, s:s, s:s}", "id", d->id,
                              "date", *d->date ? d->date : NULL, "kind",
                              *d->kind ? d->kind : NULL, "title", d->title,
                              "url", link),
                    d);
}

static const char *date_or_unknown(const qy_decision *d)
{
    return *d->date ? d->date : "datum onbekend";
}

/* "dossier of 3: 2020-12-18 principiële goedkeuring · 2021-03-05
 * definitieve goedkeuring (this) · …" for a collapsed hit (malloc'd;
 * NULL when out of memory). */
static char *steps_line(const qy_hit *h)
{
    char *line = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&line, &len);
    if (!m)
        return NULL;
    fprintf(m, "dossier of %u:", h->dossier_size);
    for (size_t i = 0; i < h->nsteps; i++) {
        const qy_step *s = &h->steps[i];
        fprintf(m, "%s %s %s%s", i ? " ·" : "", *s->date ? s->date : "undated",
                s->stage, strcmp(s->id, h->d.id) ? "" : " (this)");
    }
    if (h->dossier_size > h->nsteps)
        fprintf(m, " · +%zu more", h->dossier_size - h->nsteps);
    if (fclose(m)) {
        free(line);
        return NULL;
    }
    return line;
}

static void text_hit(FILE *f, const qy_hit *h, const char *link,
                     const qy_style *st)
{
    const qy_decision *d = &h->d;
    fprintf(f, "%3u. %s%s", h->rank, date_or_unknown(d), *d->kind ? "  " : "");
    put_plain(f, d->kind);
    fputs("  ", f);
    put_plain(f, d->id);
    if (h->more)
        fprintf(f, "  (+%u in this dossier)", h->more);
    fputc('\n', f);
    if (st->color)
        fputs(BOLD, f);
    put_wrapped(f, d->title, st->width, 5, 0);
    if (st->color)
        fputs(RESET, f);
    put_wrapped(f, h->snippet, st->width, 5, st->color);
    if (h->nsteps) {
        char *line = steps_line(h);
        put_wrapped(f, line ? line : "dossier: (out of memory)", st->width, 5,
                    0);
        free(line);
    }
    fprintf(f, "     %s\n\n", link);
}

static int md_hit(FILE *f, const qy_hit *h, const char *link)
{
    char *title = rd_md_escape(h->d.title), *snip = md_snippet(h->snippet);
    if (title && snip)
        fprintf(f, "- **[\\[%u\\]](%s)** : **(%s)** %s — %s\n", h->rank, link,
                date_or_unknown(&h->d), title, snip);
    free(title);
    free(snip);
    return title && snip ? 0 : -1;
}

/* A collapsed hit's dossier: {"size": N, "matching": M, "steps": [{id,
 * date, stage}]} (M: its decisions that match, this one included). */
static json_t *steps_json(const qy_hit *h)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < h->nsteps; i++) {
        const qy_step *s = &h->steps[i];
        if (json_array_append_new(a, json_pack("{s:s, s:s?, s:s}", "id", s->id,
                                               "date", *s->date ? s->date : NULL,
                                               "stage", s->stage))) {
            json_decref(a);
            a = NULL;
        }
    }
    return json_pack("{s:I, s:I, s:o}", "size", (json_int_t)h->dossier_size,
                     "matching", (json_int_t)h->more + 1, "steps", a);
}

static int json_hit(FILE *f, const qy_hit *h, const char *link)
{
    json_t *o = decision_json(&h->d, link);
    char *plain = strip_marks(h->snippet);
    if (o && (!plain ||
              json_object_set_new(o, "score", json_real(h->score)) ||
              json_object_set_new(o, "rank", json_integer(h->rank)) ||
              json_object_set_new(o, "snippet", json_string(plain)) ||
              (h->nsteps && json_object_set_new(o, "dossier", steps_json(h))))) {
        json_decref(o);
        o = NULL;
    }
    free(plain);
    return rd_json_put(f, JSON_COMPACT, o);
}

static int csv_hit(FILE *f, const qy_hit *h, const char *link)
{
    char rank[16], score[32];
    snprintf(rank, sizeof rank, "%u", h->rank);
    snprintf(score, sizeof score, "%.6f", h->score);
    const char *v[] = {rank, h->d.id, h->d.date, h->d.kind, h->d.title, link,
                       score};
    for (size_t i = 0; i < 7; i++)
        rd_csv_field(f, v[i], i == 6);
    return 0;
}

/* An id alone on its line: refused (never forged) if it holds
 * whitespace or a control character. */
static int id_line(FILE *f, const char *id)
{
    if (!rd_word_ok(id)) {
        errno = EINVAL;
        return -1;
    }
    fprintf(f, "%s\n", id);
    return 0;
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
        else if (fmt == QY_CSV)
            rc = csv_hit(f, &h->hits[i], link);
        else if (fmt == QY_IDS)
            rc = id_line(f, h->hits[i].d.id);
        else
            text_hit(f, &h->hits[i], link, st);
        free(link);
    }
    return rc || ferror(f) ? -1 : 0;
}

static json_t *facet_json(const qy_facet *fc)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < fc->n; i++) {
        json_t *o = json_pack("{s:s, s:I}", "value", fc->v[i].value, "count",
                              (json_int_t)fc->v[i].n);
        if (!o || json_array_append_new(a, o)) {
            json_decref(a);
            a = NULL;
        }
    }
    return a;
}

const char *qy_facet_name(unsigned k)
{
    static const char *const names[QY_NFACETS] = {"year", "kind", "dossier",
                                                  "minister", "theme"};
    return k < QY_NFACETS ? names[k] : "?";
}

static json_t *head_json(const qy_hits *h, const qy_search_opts *o,
                         const char *snapshot)
{
    json_t *fs = json_object();
    for (size_t k = 0; fs && k < QY_NFACETS; k++)
        if (o->facets & 1u << k) {
            json_t *a = facet_json(&h->facets[k]);
            if (!a || json_object_set_new(fs, qy_facet_name((unsigned)k), a)) {
                json_decref(fs);
                fs = NULL;
            }
        }
    return json_pack("{s:{s:s, s:I, s:I, s:I, s:I, s:b, s:s?, s:s?, s:I, "
                     "s:s, s:o}}", "search",
                     "query", o->query, "total", (json_int_t)h->total,
                     "results", (json_int_t)h->results, "offset",
                     (json_int_t)o->offset, "shown", (json_int_t)h->n,
                     "fallback", h->fallback, "failed_word", h->killer,
                     "suggestion", h->suggestion,
                     "undated_left_out", (json_int_t)h->undated_left,
                     "snapshot", snapshot, "facets", fs);
}

int qy_print_search_head(FILE *f, const qy_hits *h, const qy_search_opts *o,
                         const char *snapshot, qy_format fmt)
{
    if (fmt == QY_JSON)
        return rd_json_put(f, JSON_COMPACT, head_json(h, o, snapshot));
    if (fmt == QY_CSV) {
        fputs("rank,id,date,kind,title,url,score\r\n", f);
    } else if (fmt == QY_MD && h->n) {
        fprintf(f, "*%u beslissingen; %u–%zu getoond*\n\n", h->total,
                o->offset + 1, o->offset + h->n);
    }
    return ferror(f) ? -1 : 0;
}

static void text_facets(FILE *f, const qy_hits *h, const qy_search_opts *o)
{
    for (size_t k = 0; k < QY_NFACETS; k++) {
        if (!(o->facets & 1u << k))
            continue;
        fprintf(f, "%s:", qy_facet_name((unsigned)k));
        for (size_t i = 0; i < h->facets[k].n; i++) {
            fputs(k == QY_FACET_DOSSIER ? "\n  " : " ", f);
            put_plain(f, h->facets[k].v[i].value);
            fprintf(f, k == QY_FACET_DOSSIER ? "  %u" : " %u",
                    h->facets[k].v[i].n);
            if (k != QY_FACET_DOSSIER && i + 1 < h->facets[k].n)
                fputs(" ·", f);
        }
        fputc('\n', f);
    }
}

int qy_print_search_tail(FILE *f, const qy_hits *h, const qy_search_opts *o,
                         qy_format fmt, const qy_style *st)
{
    (void)st;
    if (fmt != QY_TEXT)
        return 0;
    if (h->n && o->collapse)
        fprintf(f, "results %u–%zu of %u dossiers (%u decisions)\n",
                o->offset + 1, o->offset + h->n, h->results, h->total);
    else if (h->n)
        fprintf(f, "results %u–%zu of %u\n", o->offset + 1,
                o->offset + h->n, h->total);
    text_facets(f, h, o);
    return ferror(f) ? -1 : 0;
}

int qy_print_by_year(FILE *f, const qy_hits *h)
{
    const qy_facet *y = &h->facets[QY_FACET_YEAR];
    for (size_t i = 0; i < y->n; i++)
        fprintf(f, "%s\t%u\n", y->v[i].value, y->v[i].n);
    fprintf(f, "total\t%u\n", h->total);
    return ferror(f) ? -1 : 0;
}

static int md_decision(FILE *f, const qy_decision *d, const char *link)
{
    /* id and kind are corpus text too: escaped like title and text (a code
     * span cannot hold a backtick or a newline safely, so none) */
    char *title = rd_md_escape(d->title), *text = rd_md_escape(d->text);
    char *kind = rd_md_escape(d->kind), *id = rd_md_escape(d->id);
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

/* "label: value" when value is not empty, list values joined by ", ". */
static void text_field(FILE *f, const char *label, const char *v)
{
    if (!v || !*v)
        return;
    fprintf(f, "%-10s", label);
    for (const char *p = v; *p;) {
        size_t n = strcspn(p, "\n");
        char *one = strndup(p, n);
        put_plain(f, one ? one : "?");
        free(one);
        p += n;
        if (*p && *++p)
            fputs(", ", f);
    }
    putc('\n', f);
}

/* The API's fields of d, those it has (none for an extract record). */
static void text_api(FILE *f, const qy_decision *d)
{
    const char *mt = d->meeting_type && *d->meeting_type
                         ? ix_meeting_type_label(atoi(d->meeting_type))
                         : NULL;
    text_field(f, "meeting:", d->meeting);
    text_field(f, "type:", mt);
    text_field(f, "agenda:", d->position);
    text_field(f, "minister:", d->ministers);
    text_field(f, "theme:", d->themes);
    text_field(f, "alt:", d->alt_title);
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
    fprintf(f, "\nurl:   %s\n", link);
    text_api(f, d);
    fputc('\n', f);
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
        rc = rd_json_put(f, JSON_COMPACT, o);
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
        return rd_json_put(f, JSON_COMPACT, json_pack("{s:s, s:s, s:s, s:s}", "id", sec->id,
                                     "chapter", sec->chapter, "number",
                                     sec->number, "title", sec->title));
    if (fmt == QY_MD) {
        char *t = rd_md_escape(sec->title), *id = rd_md_escape(sec->id);
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

int qy_print_section(FILE *f, const qy_section *sec, qy_format fmt,
                     const qy_style *st)
{
    if (fmt == QY_JSON)
        return rd_json_put(f, JSON_COMPACT, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                                     sec->id, "chapter", sec->chapter,
                                     "number", sec->number, "title",
                                     sec->title, "path", sec->path, "text",
                                     sec->text));
    if (fmt == QY_MD) {
        fputs("## ", f);
        int rc = rd_md_put(f, sec->id);
        fputs(" ", f);
        rc |= rd_md_put(f, sec->title);
        fputs("\n\n*", f);
        rc |= rd_md_put(f, sec->path);
        fputs("*\n\n", f);
        rc |= rd_md_put(f, sec->text);
        fputc('\n', f);
        return rc || ferror(f) ? -1 : 0;
    }
    fputs("section: ", f);
    put_plain(f, sec->id);
    fputs("\nchapter: ", f);
    put_plain(f, sec->chapter);
    fputs("\ntitle:   ", f);
    if (st->color)
        fputs(BOLD, f);
    put_plain(f, sec->title);
    if (st->color)
        fputs(RESET, f);
    fputs("\npath:    ", f);
    put_plain(f, sec->path);
    fputs("\n\n", f);
    put_wrapped(f, sec->text, st->width, 0, 0);
    return ferror(f) ? -1 : 0;
}

static int section_hit(FILE *f, const qy_section_hit *h, qy_format fmt,
                       const qy_style *st)
{
    if (fmt == QY_IDS)
        return id_line(f, h->sec.id);
    if (fmt == QY_JSON) {
        char *plain = strip_marks(h->snippet);
        json_t *o = plain ? json_pack("{s:s, s:s, s:s, s:s}", "id",
                                      h->sec.id, "chapter", h->sec.chapter,
                                      "title", h->sec.title, "snippet", plain)
                          : NULL;
        free(plain);
        return rd_json_put(f, JSON_COMPACT, o);
    }
    if (fmt == QY_MD) {
        char *id = rd_md_escape(h->sec.id), *t = rd_md_escape(h->sec.title);
        char *sn = md_snippet(h->snippet);
        if (id && t && sn)
            fprintf(f, "- **%s** %s — %s\n", id, t, sn);
        free(id);
        free(t);
        free(sn);
        return id && t && sn ? 0 : -1;
    }
    put_plain(f, h->sec.id);
    fputs("  ", f);
    if (st->color)
        fputs(BOLD, f);
    put_plain(f, h->sec.title);
    if (st->color)
        fputs(RESET, f);
    fputc('\n', f);
    put_wrapped(f, h->snippet, st->width, 5, st->color);
    fputc('\n', f);
    return 0;
}

int qy_print_section_hits(FILE *f, const qy_section_hits *h, qy_format fmt,
                          const qy_style *st)
{
    for (size_t i = 0; i < h->n; i++)
        if (section_hit(f, &h->v[i], fmt, st))
            return -1;
    if (fmt == QY_TEXT && h->n)
        fprintf(f, "sections 1–%zu of %u\n", h->n, h->total);
    return ferror(f) ? -1 : 0;
}
