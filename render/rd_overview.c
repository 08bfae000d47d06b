/*
 * rd_overview.c -- the overview of `evaluate --all`: totals, chapter
 * subtotals and one row per section with percentages, as DIR/index.md and
 * (with -f json) DIR/index.json.
 *
 * Owns: the sums per chapter and in total, and their layout per format.
 * Never: evaluates; percentages count checkable commitments only, as the
 * reports do ("niet toetsbaar" apart).
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

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

int rd_overview_md(FILE *f, const qy_overview *ov, const char *snapshot)
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

int rd_overview_json(FILE *f, const qy_overview *ov, const char *snapshot)
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
