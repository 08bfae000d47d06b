/*
 * qy_overview.c -- the overview of `evaluate --all`: one row per section
 * with its verdict counts, totals, chapter subtotals and percentages, as
 * DIR/index.md and (with -f json) DIR/index.json.
 *
 * Owns: the row record a worker thread writes for its section (one JSON
 * line, so that any id or title survives), collecting those records in
 * agreement order in the main thread, and rendering the overview.
 * Never: evaluates (qy_eval.c does); percentages count checkable
 * commitments only, as the reports do ("niet toetsbaar" apart).
 */
#include "qy-int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

int qy_overview_record(FILE *f, const qy_report *r, const char *file)
{
    json_int_t v[QY_NVERDICTS] = {0};
    for (size_t i = 0; i < r->nitems; i++)
        v[r->items[i].verdict]++;
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:[I, I, I, I]}", "id",
                          r->a.sec.id, "chapter", r->a.sec.chapter, "title",
                          r->a.sec.title, "file", file, "verdicts", v[QY_DONE],
                          v[QY_IN_PROGRESS], v[QY_NONE], v[QY_UNCHECKABLE]);
    return rd_json_put(f, JSON_COMPACT, o) || ferror(f) ? -1 : 0;
}

static char *string_of(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return strdup(s ? s : "");
}

static void row_release(qy_overview_row *r)
{
    free(r->id);
    free(r->chapter);
    free(r->title);
    free(r->file);
}

xs_status qy_overview_take(qy_overview *ov, const char *rec, size_t len)
{
    json_error_t je;
    json_t *o = json_loadb(rec, len, 0, &je);
    json_t *v = o ? json_object_get(o, "verdicts") : NULL;
    if (!o) /* no message: jansson ran out of memory (see cp_reader.c) */
        return !je.text[0] || json_error_code(&je) == json_error_out_of_memory
                   ? XS_NOMEM : XS_CORRUPT;
    if (json_array_size(v) != QY_NVERDICTS) {
        json_decref(o);
        return XS_CORRUPT;
    }
    qy_overview_row *rows = realloc(ov->rows, (ov->n + 1) * sizeof *rows);
    if (!rows) {
        json_decref(o);
        return XS_NOMEM;
    }
    ov->rows = rows;
    qy_overview_row *r = &rows[ov->n];
    r->id = string_of(o, "id");
    r->chapter = string_of(o, "chapter");
    r->title = string_of(o, "title");
    r->file = string_of(o, "file");
    for (size_t i = 0; i < QY_NVERDICTS; i++)
        r->v[i] = (size_t)json_integer_value(json_array_get(v, i));
    json_decref(o);
    if (!r->id || !r->chapter || !r->title || !r->file) {
        row_release(r);            /* not kept: the overview renders rows */
        return XS_NOMEM;
    }
    ov->n++;
    return XS_OK;
}

void qy_overview_release(qy_overview *ov)
{
    for (size_t i = 0; i < ov->n; i++)
        row_release(&ov->rows[i]);
    free(ov->rows);
    memset(ov, 0, sizeof *ov);
}

/* -------------------------------------------------------------- sums */

typedef struct sums {
    size_t v[QY_NVERDICTS], sections;
} sums;

static void add(sums *s, const qy_overview_row *r)
{
    for (size_t i = 0; i < QY_NVERDICTS; i++)
        s->v[i] += r->v[i];
    s->sections++;
}

static size_t checkable(const sums *s)
{
    return s->v[QY_DONE] + s->v[QY_IN_PROGRESS] + s->v[QY_NONE];
}

static double pct(size_t part, size_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* The chapters in order of first appearance, and their sums. */
typedef struct chapters {
    const char **name;
    sums *s;
    size_t n;
} chapters;

static int chapters_of(const qy_overview *ov, chapters *c)
{
    memset(c, 0, sizeof *c);
    c->name = calloc(ov->n ? ov->n : 1, sizeof *c->name);
    c->s = calloc(ov->n ? ov->n : 1, sizeof *c->s);
    if (!c->name || !c->s) {
        free(c->name);
        free(c->s);
        return -1;
    }
    for (size_t i = 0; i < ov->n; i++) {
        size_t k = 0;
        while (k < c->n && strcmp(c->name[k], ov->rows[i].chapter))
            k++;
        if (k == c->n)
            c->name[c->n++] = ov->rows[i].chapter;
        add(&c->s[k], &ov->rows[i]);
    }
    return 0;
}

/* ---------------------------------------------------------- markdown */

/* Print file percent-encoded as a relative link target (RFC 3986
 * unreserved characters stay). */
static void put_link_target(FILE *f, const char *file)
{
    for (; *file; file++) {
        unsigned char c = (unsigned char)*file;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
            (c >= '0' && c <= '9') || strchr("-._~", c))
            fputc(c, f);
        else
            fprintf(f, "%%%02X", c);
    }
}

static void md_counts(FILE *f, const sums *s)
{
    size_t n = checkable(s);
    fprintf(f, " %zu | %zu (%.0f%%) | %zu (%.0f%%) | %zu (%.0f%%) | %zu |\n", n,
            s->v[QY_DONE], pct(s->v[QY_DONE], n), s->v[QY_IN_PROGRESS],
            pct(s->v[QY_IN_PROGRESS], n), s->v[QY_NONE], pct(s->v[QY_NONE], n),
            s->v[QY_UNCHECKABLE]);
}

static const char md_columns[] =
    " verbintenissen | uitgevoerd | in uitvoering | geen beslissing | "
    "niet toetsbaar |\n";

int qy_overview_md(FILE *f, const qy_overview *ov, const char *snapshot)
{
    sums total = {{0}, 0};
    chapters ch;
    if (chapters_of(ov, &ch))
        return -1;
    for (size_t i = 0; i < ov->n; i++)
        add(&total, &ov->rows[i]);
    fprintf(f, "# Evaluatie van het regeerakkoord: overzicht\n\n"
            "Van de %zu toetsbare verbintenissen in %zu secties zijn er %zu "
            "uitgevoerd (%.0f%%), %zu in uitvoering (%.0f%%) en %zu zonder "
            "gevonden beslissing (%.0f%%); %zu zinnen zijn niet toetsbaar. "
            "Percentages tellen de toetsbare verbintenissen.\n\n"
            "## Per hoofdstuk\n\n| hoofdstuk | secties |%s"
            "|---|---:|---:|---:|---:|---:|---:|\n",
            checkable(&total), total.sections, total.v[QY_DONE],
            pct(total.v[QY_DONE], checkable(&total)), total.v[QY_IN_PROGRESS],
            pct(total.v[QY_IN_PROGRESS], checkable(&total)), total.v[QY_NONE],
            pct(total.v[QY_NONE], checkable(&total)), total.v[QY_UNCHECKABLE],
            md_columns);
    int rc = 0;
    for (size_t k = 0; k < ch.n; k++) {
        fputs("| ", f);
        rc |= rd_md_put(f, ch.name[k]);
        fprintf(f, " | %zu |", ch.s[k].sections);
        md_counts(f, &ch.s[k]);
    }
    fprintf(f, "| **totaal** | %zu |", total.sections);
    md_counts(f, &total);
    fprintf(f, "\n## Per sectie\n\n| sectie | titel |%s"
            "|---|---|---:|---:|---:|---:|---:|\n", md_columns);
    for (size_t i = 0; i < ov->n; i++) {
        const qy_overview_row *r = &ov->rows[i];
        sums one = {{0}, 0};
        add(&one, r);
        fputs("| [", f);
        rc |= rd_md_put(f, r->id);
        fputs("](", f);
        put_link_target(f, r->file);
        fputs(") | ", f);
        rc |= rd_md_put(f, r->title);
        fputs(" |", f);
        md_counts(f, &one);
    }
    fprintf(f, "\n*akkoord %s · snapshot `%.16s`*\n", AK_VERSION, snapshot);
    free(ch.name);
    free(ch.s);
    return rc || ferror(f) ? -1 : 0;
}

/* -------------------------------------------------------------- json */

static json_t *json_sums(const sums *s)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "commitments",
                     (json_int_t)checkable(s), "done", (json_int_t)s->v[QY_DONE],
                     "in_progress", (json_int_t)s->v[QY_IN_PROGRESS], "none",
                     (json_int_t)s->v[QY_NONE], "not_checkable",
                     (json_int_t)s->v[QY_UNCHECKABLE]);
}

int qy_overview_json(FILE *f, const qy_overview *ov, const char *snapshot)
{
    sums total = {{0}, 0};
    chapters ch;
    if (chapters_of(ov, &ch))
        return -1;
    json_t *secs = json_array(), *chs = json_array();
    for (size_t i = 0; secs && i < ov->n; i++) {
        const qy_overview_row *r = &ov->rows[i];
        sums one = {{0}, 0};
        add(&one, r);
        add(&total, r);
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o}", "id", r->id,
                              "chapter", r->chapter, "title", r->title,
                              "report", r->file, "counts", json_sums(&one));
        if (!o || json_array_append_new(secs, o)) {
            json_decref(secs);
            secs = NULL;
        }
    }
    for (size_t k = 0; chs && k < ch.n; k++) {
        json_t *o = json_pack("{s:s, s:I, s:o}", "chapter", ch.name[k],
                              "sections", (json_int_t)ch.s[k].sections,
                              "counts", json_sums(&ch.s[k]));
        if (!o || json_array_append_new(chs, o)) {
            json_decref(chs);
            chs = NULL;
        }
    }
    /* json_pack takes the "o" values over, also when it fails */
    json_t *o = secs && chs
                    ? json_pack("{s:o, s:o, s:o, s:s, s:s}", "total",
                                json_sums(&total), "chapters", chs, "sections",
                                secs, "snapshot", snapshot, "version",
                                AK_VERSION)
                    : NULL;
    if (!o && (!secs || !chs)) {
        json_decref(secs);
        json_decref(chs);
    }
    int rc = rd_json_put(f, JSON_INDENT(2), o);
    free(ch.name);
    free(ch.s);
    return rc || ferror(f) ? -1 : 0;
}
