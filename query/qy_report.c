/*
 * qy_report.c -- writing an evaluation as Markdown (the shape of the
 * report users know, in Dutch) or as JSON with the same content.
 *
 * Owns: layout of the report: title, section text, summary, one entry per
 * commitment with verdict and \[n\] citations, related decisions, timeline,
 * references, footer naming the snapshot and version.
 * Never: computes anything that changes between runs (no clock, no
 * addresses): the same report in, the same bytes out; lets corpus text
 * inject HTML or Markdown (qy_md_escape, html_text).
 */
#include "qy-int.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define START_CHARS 130      /* "start of the text" in references */
#define YEAR_MIN 1990
#define YEAR_MAX 2100

/* HTML-escaped copy for raw HTML blocks (malloc'd).  '[' and ']' become
 * character references too: renderers that read Markdown inside HTML
 * blocks (pandoc's markdown_in_html_blocks) must not see a link. */
static char *html_text(const char *s)
{
    char *out = malloc(6 * strlen(s) + 1), *p = out;
    if (!out)
        return NULL;
    for (; *s; s++) {
        switch (*s) {
        case '&': p += sprintf(p, "&amp;"); break;
        case '<': p += sprintf(p, "&lt;"); break;
        case '>': p += sprintf(p, "&gt;"); break;
        case '"': p += sprintf(p, "&quot;"); break;
        case '[': p += sprintf(p, "&#91;"); break;
        case ']': p += sprintf(p, "&#93;"); break;
        default: *p++ = (unsigned char)*s < 0x20 ? ' ' : *s;
        }
    }
    *p = '\0';
    return out;
}

/* First n bytes of s cut at a space, "..." appended when cut (malloc'd). */
static char *text_start(const char *s, size_t n)
{
    size_t len = strlen(s);
    if (len <= n)
        return strdup(s);
    while (n > 0 && s[n] != ' ')
        n--;
    char *out = malloc(n + 4);
    if (out)
        sprintf(out, "%.*s...", (int)n, s);
    return out;
}

static const char *date_of(const qy_decision *d)
{
    return *d->date ? d->date : "datum onbekend";
}

/* Print s escaped for Markdown; returns -1 on allocation failure. */
static int put_md(FILE *f, const char *s)
{
    char *e = qy_md_escape(s);
    if (!e)
        return -1;
    fputs(e, f);
    free(e);
    return 0;
}

/* --------------------------------------------------------- summary */

typedef struct tally {
    size_t verdicts[3];
    size_t cited, dossiers;      /* references cited for a commitment */
    char first[11], last[11];
    size_t undated;
    size_t per_year[YEAR_MAX - YEAR_MIN + 1];
} tally;

/* Is reference i cited for a commitment (not only listed as related)?
 * Citations are numbered in order of first use, so those come first. */
static int is_cited(const qy_report *r, size_t i)
{
    for (size_t k = 0; k < r->nrelated; k++)
        if (r->related[k] == i)
            return 0;
    return 1;
}

static void count(const qy_report *r, tally *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < r->nitems; i++)
        t->verdicts[r->items[i].verdict]++;
    for (size_t i = 0; i < r->nrefs; i++) {
        if (!is_cited(r, i))
            continue;
        t->cited++;
        t->dossiers += r->refs[i].dossier == i;
        const char *d = r->refs[i].d.date;
        int y = atoi(d);
        if (!*d || y < YEAR_MIN || y > YEAR_MAX) {
            t->undated++;
            continue;
        }
        t->per_year[y - YEAR_MIN]++;
        if (!t->first[0] || strcmp(d, t->first) < 0)
            snprintf(t->first, sizeof t->first, "%s", d);
        if (!t->last[0] || strcmp(d, t->last) > 0)
            snprintf(t->last, sizeof t->last, "%s", d);
    }
}

static void md_summary(FILE *f, const qy_report *r, const tally *t)
{
    fprintf(f, "## Samenvatting\n\n");
    fprintf(f, "Van de %zu verbintenissen in deze sectie zijn er %zu "
            "**uitgevoerd**, %zu **in uitvoering** en %zu zonder gevonden "
            "beslissing", r->nitems, t->verdicts[QY_DONE],
            t->verdicts[QY_IN_PROGRESS], t->verdicts[QY_NONE]);
    if (r->nboilerplate)
        fprintf(f, " (%zu %s zonder verbintenis niet meegeteld)",
                r->nboilerplate, r->nboilerplate == 1 ? "zin" : "zinnen");
    fprintf(f, ". ");
    if (t->cited && t->first[0])
        fprintf(f, "De %zu geciteerde beslissingen (%zu dossiers) dateren van "
                "%s tot %s", t->cited, t->dossiers, t->first, t->last);
    else if (t->cited)
        fprintf(f, "De %zu geciteerde beslissingen (%zu dossiers) hebben geen "
                "gekende datum", t->cited, t->dossiers);
    else
        fprintf(f, "Er werden geen beslissingen geciteerd");
    if (t->undated && t->first[0])
        fprintf(f, "; %zu zonder gekende datum", t->undated);
    fprintf(f, ".\n\n");
}

/* ------------------------------------------------------ commitments */

static int md_cite_line(FILE *f, const qy_report *r, const qy_cite *c)
{
    const qy_ref *ref = &r->refs[c->ref];
    fprintf(f, "   - \\[%zu\\] **(%s)** *%s*%s", c->ref + 1, date_of(&ref->d),
            qy_stage_name(ref->stage), c->sibling ? " (zelfde dossier)" : "");
    if (c->excerpt) {
        fputs(" — “", f);
        if (put_md(f, c->excerpt))
            return -1;
        fputs("”", f);
    }
    fputc('\n', f);
    return 0;
}

static int md_items(FILE *f, const qy_report *r)
{
    fprintf(f, "## Verbintenissen\n\n");
    for (size_t i = 0; i < r->nitems; i++) {
        const qy_item *it = &r->items[i];
        fprintf(f, "%zu. **%s**", i + 1, qy_verdict_name(it->verdict));
        if (it->ncites)
            fprintf(f, " (verste stadium: %s)", qy_stage_name(it->furthest));
        fputs(" — ", f);
        if (put_md(f, it->text))
            return -1;
        for (size_t k = 0; k < it->ncites; k++)
            fprintf(f, " \\[%zu\\]", it->cites[k].ref + 1);
        fputc('\n', f);
        for (size_t k = 0; k < it->ncites; k++)
            if (md_cite_line(f, r, &it->cites[k]))
                return -1;
    }
    fputc('\n', f);
    return 0;
}

static int md_related(FILE *f, const qy_report *r)
{
    if (!r->nrelated)
        return 0;
    fprintf(f, "## Verder relevant\n\nBeslissingen die hoog scoren voor de "
            "sectie als geheel, maar niet voor één verbintenis:\n\n");
    for (size_t i = 0; i < r->nrelated; i++) {
        const qy_ref *ref = &r->refs[r->related[i]];
        fprintf(f, "- \\[%zu\\] **(%s)** ", r->related[i] + 1, date_of(&ref->d));
        if (put_md(f, ref->d.title))
            return -1;
        fprintf(f, " — *%s*\n", qy_stage_name(ref->stage));
    }
    fputc('\n', f);
    return 0;
}

static void md_timeline(FILE *f, const tally *t)
{
    fprintf(f, "## Tijdlijn\n\nGeciteerde beslissingen per jaar.\n\n"
            "| jaar | beslissingen |  |\n|---|---:|---|\n");
    for (int y = 0; y <= YEAR_MAX - YEAR_MIN; y++) {
        if (!t->per_year[y])
            continue;
        fprintf(f, "| %d | %zu | ", y + YEAR_MIN, t->per_year[y]);
        for (size_t k = 0; k < t->per_year[y] && k < 40; k++)
            fputs("█", f);
        fputs(" |\n", f);
    }
    if (t->undated)
        fprintf(f, "| datum onbekend | %zu |  |\n", t->undated);
    fputc('\n', f);
}

static int md_refs(FILE *f, const qy_report *r)
{
    fprintf(f, "<details>\n        <summary> Referenties</summary>\n\n");
    for (size_t i = 0; i < r->nrefs; i++) {
        const qy_ref *ref = &r->refs[i];
        char *start = text_start(ref->d.text, START_CHARS);
        if (!start)
            return -1;
        fprintf(f, "**[\\[%zu\\]](%s)** : **(%s)** ", i + 1, ref->link,
                date_of(&ref->d));
        int rc = put_md(f, ref->d.title);
        fputs("   ", f);
        rc |= put_md(f, start);
        fputs(" \n\n", f);
        free(start);
        if (rc)
            return -1;
    }
    fprintf(f, "        </details> \n\n");
    return 0;
}

static int md_head(FILE *f, const qy_report *r)
{
    const qy_section *sec = &r->a.sec;
    char *body = html_text(sec->text);
    if (!body)
        return -1;
    fputs("# Evaluatie van de uitvoering van het regeerakkoord: ", f);
    int rc = put_md(f, sec->number);
    fputc(' ', f);
    rc |= put_md(f, sec->title);
    fputs("\n\nSectie ", f);
    rc |= put_md(f, sec->id);     /* not in `code`: an id may hold '`' */
    fputs(" · ", f);
    rc |= put_md(f, sec->chapter);
    if (*sec->path) {
        fputs(" › ", f);
        rc |= put_md(f, sec->path);
    }
    fprintf(f, "\n\n<details>\n        <summary>Regeerakkoord Sectie </summary>"
            "\n        <p>%s</p>\n        </details> \n\n", body);
    free(body);
    return rc;
}

int qy_report_md(FILE *f, const qy_report *r)
{
    tally t;
    count(r, &t);
    if (md_head(f, r))
        return -1;
    md_summary(f, r, &t);
    if (md_items(f, r) || md_related(f, r))
        return -1;
    md_timeline(f, &t);
    if (md_refs(f, r))
        return -1;
    fprintf(f, "---\n\n*akkoord %s · snapshot `%.16s` · deterministisch "
            "rapport: zelfde snapshot, zelfde tekst · regels in "
            "docs/evaluation.md*\n", AK_VERSION,
            *r->snapshot ? r->snapshot : "onbekend");
    return ferror(f) ? -1 : 0;
}

/* ------------------------------------------------------------- json */

static double round4(double x)
{
    return round(x * 1e4) / 1e4;
}

/* Append o (taken over) to a; on failure free both and return NULL, which
 * ends the callers' loops. */
static json_t *array_push(json_t *a, json_t *o)
{
    if (json_array_append_new(a, o) == 0)
        return a;
    json_decref(a);
    return NULL;
}

static json_t *json_refs(const qy_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nrefs; i++) {
        const qy_ref *ref = &r->refs[i];
        json_t *o = json_pack(
            "{s:I, s:s, s:s?, s:s?, s:s, s:s, s:s, s:I}", "n", (json_int_t)i + 1,
            "id", ref->d.id, "date", *ref->d.date ? ref->d.date : NULL,
            "kind", *ref->d.kind ? ref->d.kind : NULL, "title", ref->d.title,
            "url", ref->link, "stage", qy_stage_name(ref->stage), "dossier",
            (json_int_t)ref->dossier + 1);
        a = array_push(a, o);
    }
    return a;
}

static json_t *json_cites(const qy_item *it)
{
    json_t *a = json_array();
    for (size_t k = 0; a && k < it->ncites; k++) {
        const qy_cite *c = &it->cites[k];
        json_t *o = json_pack("{s:I, s:f, s:s?, s:b}", "ref",
                              (json_int_t)c->ref + 1, "strength",
                              round4(c->strength), "excerpt", c->excerpt,
                              "same_dossier", c->sibling);
        a = array_push(a, o);
    }
    return a;
}

static json_t *json_items(const qy_report *r)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < r->nitems; i++) {
        const qy_item *it = &r->items[i];
        json_t *o = json_pack("{s:s, s:s, s:s, s:o}", "text", it->text,
                              "verdict", qy_verdict_name(it->verdict),
                              "furthest_stage", qy_stage_name(it->furthest),
                              "citations", json_cites(it));
        a = array_push(a, o);
    }
    return a;
}

static json_t *json_timeline(const tally *t)
{
    json_t *o = json_object();
    char y[16];
    for (int i = 0; o && i <= YEAR_MAX - YEAR_MIN; i++)
        if (t->per_year[i]) {
            snprintf(y, sizeof y, "%d", i + YEAR_MIN);
            json_object_set_new(o, y, json_integer((json_int_t)t->per_year[i]));
        }
    if (o && t->undated)
        json_object_set_new(o, "unknown", json_integer((json_int_t)t->undated));
    return o;
}

int qy_report_json(FILE *f, const qy_report *r)
{
    tally t;
    count(r, &t);
    const qy_section *sec = &r->a.sec;
    json_t *related = json_array();
    for (size_t i = 0; related && i < r->nrelated; i++)
        related = array_push(related,
                             json_integer((json_int_t)r->related[i] + 1));
    json_t *o = json_pack(
        "{s:{s:s, s:s, s:s, s:s, s:s, s:s}, s:{s:I, s:I, s:I, s:I, s:I, s:I,"
        " s:I, s:s?, s:s?}, s:o, s:o, s:o, s:o, s:s, s:s}",
        "section", "id", sec->id, "chapter", sec->chapter, "number",
        sec->number, "title", sec->title, "path", sec->path, "text", sec->text,
        "summary", "commitments", (json_int_t)r->nitems, "done",
        (json_int_t)t.verdicts[QY_DONE], "in_progress",
        (json_int_t)t.verdicts[QY_IN_PROGRESS], "none",
        (json_int_t)t.verdicts[QY_NONE], "boilerplate",
        (json_int_t)r->nboilerplate, "decisions", (json_int_t)t.cited,
        "dossiers", (json_int_t)t.dossiers, "first", t.first[0] ? t.first : NULL,
        "last", t.last[0] ? t.last : NULL,
        "commitments", json_items(r), "related", related, "timeline",
        json_timeline(&t), "references", json_refs(r), "snapshot", r->snapshot,
        "version", AK_VERSION);
    int rc = o ? json_dumpf(o, f, JSON_INDENT(2)) : -1;
    json_decref(o);
    if (rc == 0)
        fputc('\n', f);
    return rc || ferror(f) ? -1 : 0;
}
