/*
 * rd_site_section.c -- the page of one agreement section: everything
 * evaluate says of it, as HTML.
 *
 * Owns: the section page's layout: title and place in the agreement,
 * summary and conclusion, one entry per checkable commitment (verdict
 * badge, a correction beside the machine's verdict, citation lines with
 * date, title, stage, why and excerpt), the sentences that are not
 * checkable, related decisions, the timeline per quarter, the references,
 * the section's text.
 * Never: links a decision the site has no page for except to its source.
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

#define ROOT "../"
#define START_CHARS 200

typedef struct page {
    FILE *f;
    const qy_report *r;
} page;

static void sec_head(FILE *f, const qy_section *sec)
{
    fputs("<h1>", f);
    rd_html_put(f, sec->number);
    fputc(' ', f);
    rd_html_put(f, sec->title);
    fputs("</h1>\n<p class=\"where\">Sectie <code>", f);
    rd_html_put(f, sec->id);
    fputs("</code> · ", f);
    rd_html_put(f, sec->chapter);
    if (*sec->path) {
        fputs(" › ", f);
        rd_html_put(f, sec->path);
    }
    fputs("</p>\n", f);
}

static void sec_summary(FILE *f, const rd_tally *t)
{
    static const qy_verdict order[] = {QY_DONE, QY_IN_PROGRESS, QY_NONE,
                                       QY_UNCHECKABLE};
    fputs("<h2>Samenvatting</h2>\n<ul class=\"counts\">", f);
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        fprintf(f, "<li>");
        rd_badge(f, order[k]);
        fprintf(f, " %zu</li>", t->verdicts[order[k]]);
    }
    fputs("</ul>\n<p>", f);
    rd_conclusion(f, t);
    if (t->verdicts[QY_UNCHECKABLE])
        fprintf(f, " %zu %s niet toetsbaar (feit, visie of principe) en %s "
                "niet meegeteld.", t->verdicts[QY_UNCHECKABLE],
                rd_plural(t->verdicts[QY_UNCHECKABLE], "zin is", "zinnen zijn"),
                rd_plural(t->verdicts[QY_UNCHECKABLE], "wordt", "worden"));
    fputs("</p>\n", f);
}

/* The decision's number [n]: to its page when it is cited (the site has
 * a page for every cited decision), else to its reference below. */
static int cite_anchor(const page *pg, size_t ref)
{
    const qy_ref *rf = &pg->r->refs[ref];
    FILE *f = pg->f;
    if (rd_is_cited(pg->r, ref)) {
        fputs("<a class=\"cite\" ", f);
        if (rd_page_href(f, ROOT, "d", rf->d.id))
            return -1;
        fprintf(f, ">[%zu]</a>", ref + 1);
    } else {
        fprintf(f, "<a class=\"ref\" href=\"#ref-%zu\">[%zu]</a>", ref + 1,
                ref + 1);
    }
    return 0;
}

static int cite_line(const page *pg, const qy_cite *c, int related)
{
    FILE *f = pg->f;
    const qy_ref *rf = &pg->r->refs[c->ref];
    fprintf(f, "<li class=\"%s\">", related ? "related" : "citation");
    if (related)
        fputs("<em>verwant, geen bewijs:</em> ", f);
    if (cite_anchor(pg, c->ref))
        return -1;
    fputs(" <time", f);
    if (*rf->d.date) {
        fputs(" datetime=\"", f);
        rd_html_put(f, rf->d.date);
        fputc('"', f);
    }
    fputs(">", f);
    rd_html_put(f, rd_date_of(&rf->d));
    fputs("</time> ", f);
    rd_ext_link(f, rf->link, rf->d.title);
    fprintf(f, " <span class=\"stage s-%s\">%s</span>",
            qy_stage_key(rf->stage), qy_stage_name(rf->stage));
    if (c->why && *c->why) {
        fputs(" <span class=\"why\">waarom: ", f);
        rd_html_put(f, c->why);
        fputs("</span>", f);
    }
    if (c->excerpt) {
        fputs("<blockquote>", f);
        rd_html_put(f, c->excerpt);
        fputs("</blockquote>", f);
    }
    fputs("</li>\n", f);
    return 0;
}

static void fix_note(FILE *f, const qy_item *it)
{
    const qy_fix *x = it->fix;
    fputs("<p class=\"correction\"><strong>Gecorrigeerd</strong> door de "
          "redactie; het oordeel van akkoord was ", f);
    rd_badge(f, it->machine);
    fputs(". ", f);
    rd_html_put(f, x->field[QY_FIX_NOTE]);
    fputs(" — ", f);
    rd_html_put(f, x->field[QY_FIX_WHO]);
    fputs(", <time datetime=\"", f);
    rd_html_put(f, x->field[QY_FIX_DATE]);
    fputs("\">", f);
    rd_html_put(f, x->field[QY_FIX_DATE]);
    fputs("</time></p>\n", f);
}

static int sec_item(const page *pg, const qy_item *it, size_t num)
{
    FILE *f = pg->f;
    fprintf(f, "<li class=\"commitment\" id=\"c-%zu\" data-verdict=\"%s\"",
            num, rd_verdict_key(it->verdict));
    if (it->fix)
        fprintf(f, " data-machine=\"%s\"", rd_verdict_key(it->machine));
    fputs(">\n<p>", f);
    rd_badge(f, it->verdict);
    if (it->fix)
        fputs(" <span class=\"badge corrected\">gecorrigeerd</span>", f);
    if (it->ncites)
        fprintf(f, " <span class=\"furthest\">verste stadium: %s</span>",
                qy_stage_name(it->furthest));
    fputs("</p>\n<p class=\"text\">", f);
    rd_html_put(f, it->text);
    fputs("</p>\n", f);
    if (it->fix)
        fix_note(f, it);
    if (it->ncites || it->nrelated)
        fputs("<ul class=\"citations\">\n", f);
    for (size_t k = 0; k < it->ncites; k++)
        if (cite_line(pg, &it->cites[k], 0))
            return -1;
    for (size_t k = 0; k < it->nrelated; k++)
        if (cite_line(pg, &it->related[k], 1))
            return -1;
    if (it->ncites || it->nrelated)
        fputs("</ul>\n", f);
    fputs("</li>\n", f);
    return 0;
}

static int sec_items(const page *pg)
{
    const qy_report *r = pg->r;
    FILE *f = pg->f;
    fputs("<h2>Verbintenissen</h2>\n", f);
    size_t num = 0;
    for (size_t i = 0; i < r->nitems; i++) {
        if (r->items[i].verdict == QY_UNCHECKABLE)
            continue;
        if (!num)
            fputs("<ol class=\"commitments\">\n", f);
        if (sec_item(pg, &r->items[i], ++num))
            return -1;
    }
    fputs(num ? "</ol>\n" : "<p>Geen toetsbare verbintenissen.</p>\n", f);
    return 0;
}

static void sec_uncheckable(FILE *f, const qy_report *r, const rd_tally *t)
{
    if (!t->verdicts[QY_UNCHECKABLE])
        return;
    fputs("<h2>Niet toetsbaar</h2>\n<p>Zinnen zonder toetsbare verbintenis "
          "(feit, visie, principe of kop), niet meegeteld:</p>\n<ul "
          "class=\"uncheckable\">\n", f);
    for (size_t i = 0; i < r->nitems; i++) {
        if (r->items[i].verdict != QY_UNCHECKABLE)
            continue;
        fputs("<li>", f);
        rd_html_put(f, r->items[i].text);
        if (r->items[i].fix) {
            fputs(" ", f);
            fix_note(f, &r->items[i]);
        }
        fputs("</li>\n", f);
    }
    fputs("</ul>\n", f);
}

static int sec_related(const page *pg)
{
    const qy_report *r = pg->r;
    FILE *f = pg->f;
    if (!r->nrelated)
        return 0;
    fputs("<h2>Verder relevant</h2>\n<p>Beslissingen die hoog scoren voor "
          "de sectie als geheel, maar niet voor één verbintenis (geen "
          "bewijs):</p>\n<ul class=\"further\">\n", f);
    for (size_t i = 0; i < r->nrelated; i++) {
        const qy_ref *rf = &r->refs[r->related[i]];
        fputs("<li>", f);
        if (cite_anchor(pg, r->related[i]))
            return -1;
        fputs(" ", f);
        rd_html_put(f, rd_date_of(&rf->d));
        fputs(" ", f);
        rd_ext_link(f, rf->link, rf->d.title);
        fprintf(f, " <span class=\"stage s-%s\">%s</span></li>\n",
                qy_stage_key(rf->stage), qy_stage_name(rf->stage));
    }
    fputs("</ul>\n", f);
    return 0;
}

/* The cited decisions per quarter, by stage, over the corpus period. */
static int sec_timeline(FILE *f, const qy_report *r)
{
    const char **dates = malloc((r->nrefs ? r->nrefs : 1) * sizeof *dates);
    qy_stage *st = malloc((r->nrefs ? r->nrefs : 1) * sizeof *st);
    if (!dates || !st) {
        free(dates);
        free(st);
        return -1;
    }
    size_t n = 0;
    for (size_t i = 0; i < r->nrefs; i++)
        if (rd_is_cited(r, i)) {
            dates[n] = r->refs[i].d.date;
            st[n++] = r->refs[i].stage;
        }
    fputs("<h2>Tijdlijn</h2>\n<p>Geciteerde beslissingen per kwartaal, naar "
          "stadium.</p>\n", f);
    rd_svg_quarters(f, dates, st, n, r->ev->first, r->ev->last,
                    "Geciteerde beslissingen");
    rd_stage_legend(f);
    free(dates);
    free(st);
    return 0;
}

static int sec_refs(FILE *f, const qy_report *r)
{
    fprintf(f, "<h2>Referenties</h2>\n<ol class=\"refs\">\n");
    for (size_t i = 0; i < r->nrefs; i++) {
        const qy_ref *rf = &r->refs[i];
        char *start = rd_text_start(rf->d.text, START_CHARS);
        if (!start)
            return -1;
        fprintf(f, "<li id=\"ref-%zu\">", i + 1);
        rd_html_put(f, rd_date_of(&rf->d));
        fputs(" ", f);
        rd_ext_link(f, rf->link, rf->d.title);
        fputs(" — ", f);
        rd_html_put(f, start);
        fputs("</li>\n", f);
        free(start);
    }
    fputs("</ol>\n", f);
    return 0;
}

int rd_site_section(FILE *f, const qy_report *r, const rd_site_info *si)
{
    rd_tally t;
    page pg = {f, r};
    size_t n = strlen(r->a.sec.number) + strlen(r->a.sec.title) + 2;
    char *title = malloc(n);
    if (!title || rd_tally_count(r, &t)) {
        free(title);
        return -1;
    }
    snprintf(title, n, "%s %s", r->a.sec.number, r->a.sec.title);
    rd_page_open(f, title, ROOT, si);
    free(title);
    sec_head(f, &r->a.sec);
    sec_summary(f, &t);
    if (sec_items(&pg))
        return -1;
    sec_uncheckable(f, r, &t);
    if (sec_related(&pg) || sec_timeline(f, r) || sec_refs(f, r))
        return -1;
    fputs("<h2>Tekst van het regeerakkoord</h2>\n<p class=\"section-text\">",
          f);
    rd_html_put(f, r->a.sec.text);
    fputs("</p>\n", f);
    rd_page_close(f, ROOT, si);
    return ferror(f) ? -1 : 0;
}
