/*
 * rd_report_md.c -- an evaluation as Markdown: the shape of the report
 * users know, in Dutch.
 *
 * Owns: layout of the report: title, section text, summary, one entry per
 * commitment with verdict and \[n\] citations, related decisions, timeline,
 * references, footer naming the snapshot, version, models and parameters.
 * Never: computes anything that changes between runs (no clock, no
 * addresses): the same report in, the same bytes out; lets corpus text
 * inject HTML or Markdown (render/rd.h escapes it).
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

#define START_CHARS 130      /* "start of the text" in references */

static void md_summary(FILE *f, const rd_tally *t)
{
    fprintf(f, "## Samenvatting\n\n");
    fprintf(f, "Van de %zu toetsbare %s in deze sectie %s er %zu "
            "**uitgevoerd**, %zu **in uitvoering** en %zu zonder gevonden "
            "beslissing", t->checkable,
            rd_plural(t->checkable, "verbintenis", "verbintenissen"),
            t->checkable == 1 ? "is" : "zijn", t->verdicts[QY_DONE],
            t->verdicts[QY_IN_PROGRESS], t->verdicts[QY_NONE]);
    if (t->verdicts[QY_UNCHECKABLE])
        fprintf(f, "; %zu %s niet toetsbaar (feit, visie of principe; apart "
                "vermeld, niet meegeteld)", t->verdicts[QY_UNCHECKABLE],
                rd_plural(t->verdicts[QY_UNCHECKABLE], "zin is", "zinnen zijn"));
    fprintf(f, ". ");
    if (t->cited && t->first[0])
        fprintf(f, "De %zu geciteerde beslissingen (%zu dossiers) dateren van "
                "%s tot %s", t->cited, t->dossiers, t->first, t->last);
    else if (t->cited)
        fprintf(f, "De %zu geciteerde beslissingen (%zu dossiers) hebben geen "
                "gekende datum", t->cited, t->dossiers);
    else
        fprintf(f, "Er werden geen beslissingen als bewijs geciteerd");
    if (t->undated && t->first[0])
        fprintf(f, "; %zu zonder gekende datum", t->undated);
    fprintf(f, ".\n\n");
}

static void md_conclusion(FILE *f, const rd_tally *t)
{
    fprintf(f, "## Conclusie\n\n");
    rd_conclusion(f, t);
    fprintf(f, "\n\n");
}

/* ------------------------------------------------------ commitments */

/* "[n]" linked to its entry under Referenties. */
static void md_ref_link(FILE *f, size_t ref)
{
    fprintf(f, "[\\[%zu\\]](#ref-%zu)", ref + 1, ref + 1);
}

/* One citation line, indented under its list item by indent spaces (the
 * width of the item's "N. ": CommonMark's list-item continuation). */
static int md_cite_line(FILE *f, const qy_report *r, const qy_cite *c,
                        int indent, const char *label)
{
    const qy_ref *ref = &r->refs[c->ref];
    fprintf(f, "%*s- %s", indent, "", label);
    md_ref_link(f, c->ref);
    fprintf(f, " **(%s)** ", rd_date_of(&ref->d));
    if (rd_md_put(f, ref->d.title))
        return -1;
    fprintf(f, " — *%s*", qy_stage_name(ref->stage));
    if (c->why && *c->why) {
        fputs(" — waarom: ", f);
        if (rd_md_put(f, c->why))
            return -1;
    }
    if (c->excerpt) {
        fputs(" — “", f);
        if (rd_md_put(f, c->excerpt))
            return -1;
        fputs("”", f);
    }
    fputc('\n', f);
    return 0;
}

/* The editor's note of a corrected verdict, as the first line under it. */
static int md_fix_line(FILE *f, const qy_fix *x, int indent)
{
    fprintf(f, "%*s- correctie: ", indent, "");
    int rc = rd_md_put(f, x->field[QY_FIX_NOTE]);
    fputs(" — ", f);
    rc |= rd_md_put(f, x->field[QY_FIX_WHO]);
    fputs(", ", f);
    rc |= rd_md_put(f, x->field[QY_FIX_DATE]);
    fputc('\n', f);
    return rc;
}

static int md_items(FILE *f, const qy_report *r)
{
    fprintf(f, "## Verbintenissen\n\n");
    size_t num = 0;
    for (size_t i = 0; i < r->nitems; i++) {
        const qy_item *it = &r->items[i];
        if (it->verdict == QY_UNCHECKABLE)
            continue;
        int indent = fprintf(f, "%zu. ", ++num);
        fprintf(f, "**%s**", qy_verdict_name(it->verdict));
        if (it->fix)
            fprintf(f, " *(gecorrigeerd; machine: %s)*",
                    qy_verdict_name(it->machine));
        if (it->ncites)
            fprintf(f, " (verste stadium: %s)", qy_stage_name(it->furthest));
        fputs(" — ", f);
        if (rd_md_put(f, it->text))
            return -1;
        for (size_t k = 0; k < it->ncites; k++) {
            fputc(' ', f);
            md_ref_link(f, it->cites[k].ref);
        }
        fputc('\n', f);
        if (it->fix && md_fix_line(f, it->fix, indent))
            return -1;
        for (size_t k = 0; k < it->ncites; k++)
            if (md_cite_line(f, r, &it->cites[k], indent, ""))
                return -1;
        for (size_t k = 0; k < it->nrelated; k++)
            if (md_cite_line(f, r, &it->related[k], indent,
                             "verwant, geen bewijs: "))
                return -1;
    }
    if (!num)
        fprintf(f, "Geen toetsbare verbintenissen.\n");
    fputc('\n', f);
    return 0;
}

static int md_uncheckable(FILE *f, const qy_report *r, const rd_tally *t)
{
    if (!t->verdicts[QY_UNCHECKABLE])
        return 0;
    fprintf(f, "## Niet toetsbaar\n\nZinnen zonder toetsbare verbintenis "
            "(feit, visie, principe of kop), niet meegeteld:\n\n");
    for (size_t i = 0; i < r->nitems; i++) {
        if (r->items[i].verdict != QY_UNCHECKABLE)
            continue;
        fputs("- ", f);
        if (rd_md_put(f, r->items[i].text))
            return -1;
        fputc('\n', f);
    }
    fputc('\n', f);
    return 0;
}

static int md_related(FILE *f, const qy_report *r)
{
    if (!r->nrelated)
        return 0;
    fprintf(f, "## Verder relevant\n\nBeslissingen die hoog scoren voor de "
            "sectie als geheel, maar niet voor één verbintenis (geen "
            "bewijs):\n\n");
    for (size_t i = 0; i < r->nrelated; i++) {
        const qy_ref *ref = &r->refs[r->related[i]];
        fputs("- ", f);
        md_ref_link(f, r->related[i]);
        fprintf(f, " **(%s)** ", rd_date_of(&ref->d));
        if (rd_md_put(f, ref->d.title))
            return -1;
        fprintf(f, " — *%s*\n", qy_stage_name(ref->stage));
    }
    fputc('\n', f);
    return 0;
}

static void md_timeline(FILE *f, const rd_tally *t)
{
    fprintf(f, "## Tijdlijn\n\nGeciteerde beslissingen per jaar.\n\n"
            "| jaar | beslissingen |  |\n|---|---:|---|\n");
    for (int y = 0; y <= RD_YEAR_MAX - RD_YEAR_MIN; y++) {
        if (!t->per_year[y])
            continue;
        fprintf(f, "| %d | %zu | ", y + RD_YEAR_MIN, t->per_year[y]);
        for (size_t k = 0; k < t->per_year[y] && k < 40; k++)
            fputs("█", f);
        fputs(" |\n", f);
    }
    if (t->undated)
        fprintf(f, "| datum onbekend | %zu |  |\n", t->undated);
    fputc('\n', f);
}

/* The references in a collapsed block.  CommonMark ends an HTML block at
 * a blank line, so the Markdown inside it is rendered, and the closing
 * tag stands alone at the start of a line after a blank line (indented,
 * it would be an indented code block that swallows the rest). */
static int md_refs(FILE *f, const qy_report *r)
{
    fprintf(f, "## Referenties\n\n<details>\n<summary>Referenties (%zu)"
            "</summary>\n\n", r->nrefs);
    for (size_t i = 0; i < r->nrefs; i++) {
        const qy_ref *ref = &r->refs[i];
        char *start = rd_text_start(ref->d.text, START_CHARS);
        if (!start)
            return -1;
        fprintf(f, "<a id=\"ref-%zu\"></a>**[\\[%zu\\]](%s)** : **(%s)** ",
                i + 1, i + 1, ref->link, rd_date_of(&ref->d));
        int rc = rd_md_put(f, ref->d.title);
        fputs(" — ", f);
        rc |= rd_md_put(f, start);
        fputs("\n\n", f);
        free(start);
        if (rc)
            return -1;
    }
    fprintf(f, "</details>\n\n");
    return 0;
}

static int md_head(FILE *f, const qy_report *r)
{
    const qy_section *sec = &r->a.sec;
    fputs("# Evaluatie van de uitvoering van het regeerakkoord: ", f);
    int rc = rd_md_put(f, sec->number);
    fputc(' ', f);
    rc |= rd_md_put(f, sec->title);
    fputs("\n\nSectie ", f);
    rc |= rd_md_put(f, sec->id);     /* not in `code`: an id may hold '`' */
    fputs(" · ", f);
    rc |= rd_md_put(f, sec->chapter);
    if (*sec->path) {
        fputs(" › ", f);
        rc |= rd_md_put(f, sec->path);
    }
    fputs("\n\n<details>\n<summary>Regeerakkoord Sectie</summary>\n<p>", f);
    rd_html_put(f, sec->text);
    fputs("</p>\n</details>\n\n", f);
    return rc;
}

static void md_footer(FILE *f, const qy_report *r)
{
    const qy_params *p = &r->params;
    const qy_evaluator *ev = r->ev;
    fprintf(f, "---\n\n*akkoord %s · snapshot `%.16s` · deterministisch "
            "rapport: zelfde snapshot, zelfde tekst · regels in "
            "docs/evaluation.md*\n\n", AK_VERSION,
            *r->snapshot ? r->snapshot : "onbekend");
    fprintf(f, "*Rangschikking: BM25 k1=%g b=%g k3=%g, max_df=%g, max_sf=%g, "
            "depth=%u, commit_depth=%u, rrf_k=%g, w_section=%g, w_commit=%g, "
            "w_dossier=%g, split_weight=%g · bewijs: model `%.12s` (drempel "
            "%.2f), verbintenissen: model `%.12s` (drempel %.2f), stadia: "
            "regels `%.12s`*\n\n", p->k1, p->b, p->k3, p->max_df, p->max_sf,
            p->depth, p->commit_depth, p->rrf_k, p->w_section, p->w_commit,
            p->w_dossier, p->split_weight,
            qy_model_sha256(ev->models.evidence),
            qy_model_threshold(ev->models.evidence),
            qy_model_sha256(ev->models.commit),
            qy_model_threshold(ev->models.commit), qy_stage_table_sha256());
    if (r->fixes)
        fprintf(f, "*Redactionele correcties: bestand `%.16s` (sha256), %zu "
                "in totaal*\n\n", r->fixes->sha256, r->fixes->n);
    fprintf(f, "*Corpus: beslissingen van %s tot %s; %zu zonder gekende "
            "datum · Let op: de oordelen komen uit het vergelijken van "
            "woorden, niet uit het lezen van de beslissingen; lees de "
            "beslissing via haar link voor u een oordeel overneemt.*\n",
            ev->first[0] ? ev->first : "?", ev->last[0] ? ev->last : "?",
            ev->undated);
}

int rd_report_md(FILE *f, const qy_report *r)
{
    rd_tally t;
    if (rd_tally_count(r, &t) || md_head(f, r))
        return -1;
    md_summary(f, &t);
    if (md_items(f, r) || md_uncheckable(f, r, &t) || md_related(f, r))
        return -1;
    md_conclusion(f, &t);
    md_timeline(f, &t);
    if (md_refs(f, r))
        return -1;
    md_footer(f, r);
    return ferror(f) ? -1 : 0;
}
