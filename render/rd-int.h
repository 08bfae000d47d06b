/*
 * rd-int.h -- private to render/: the renderers of evaluate's records
 * (reports and the overview of --all), per format, and what they share.
 *
 * Owns: rd_tally (a report's counts, computed once for every format); the
 * entry points each format's renderer gives the table of rd_render.c.
 * Never: included outside render/ and its unit tests.
 */
#ifndef RD_INT_H
#define RD_INT_H

#include "rd_render.h"

#define RD_YEAR_MIN 1990
#define RD_YEAR_MAX 2100

typedef struct rd_tally {
    size_t verdicts[QY_NVERDICTS];
    size_t checkable;
    size_t cited, dossiers;      /* references cited as evidence */
    char first[11], last[11];
    size_t undated;
    size_t per_year[RD_YEAR_MAX - RD_YEAR_MIN + 1];
} rd_tally;

/* Count r into t: 0, or -1 (errno ENOMEM) when out of memory. */
int rd_tally_count(const qy_report *r, rd_tally *t);
/* Is reference i cited as evidence for a commitment? */
int rd_is_cited(const qy_report *r, size_t i);
/* The first n bytes of s cut at a space, "..." appended when cut
 * (malloc'd). */
char *rd_text_start(const char *s, size_t n);
/* d's date, or "datum onbekend". */
const char *rd_date_of(const qy_decision *d);
const char *rd_plural(size_t n, const char *one, const char *many);

/* The renderers: 0, or -1 on a write error or what could not be
 * encoded (errno ENOMEM: out of memory). */
int rd_report_md(FILE *f, const qy_report *r);
int rd_report_json(FILE *f, const qy_report *r);
/* One CSV row per sentence (RFC 4180): section, sentence, verdict,
 * checkable, furthest_stage, the cited ids space-separated; with header
 * the header row first.  -1 (errno EINVAL) for an id a list cannot
 * hold. */
int rd_report_csv(FILE *f, const qy_report *r, int header);
/* The overview of --all: totals, chapter subtotals and every section,
 * with percentages of the checkable commitments. */
int rd_overview_md(FILE *f, const qy_overview *ov, const char *snapshot);
int rd_overview_json(FILE *f, const qy_overview *ov, const char *snapshot);

/* ------------------------------------------------ the site's HTML */

#include "rd_site.h"

/* Its key in JSON, classes and data attributes: done, in_progress, none,
 * not_checkable. */
const char *rd_verdict_key(qy_verdict v);
/* A closing sentence from the counts alone, plain text (no markup). */
void rd_conclusion(FILE *f, const rd_tally *t);

/* The head of a page (doctype to <main>): title is corpus text, root is
 * "" or "../" (where index.html is, relative to the page). */
void rd_page_open(FILE *f, const char *title, const char *root,
                  const rd_site_info *si);
/* </main>, the footer (snapshot, version, corrections, method link). */
void rd_page_close(FILE *f, const char *root, const rd_site_info *si);
/* The verdict badge <span class="badge v-KEY">name</span>. */
void rd_badge(FILE *f, qy_verdict v);
/* href="ROOT DIR/NAME.html" for id (DIR "s" or "d"); -1 when out of
 * memory. */
int rd_page_href(FILE *f, const char *root, const char *dir, const char *id);
/* An external link to url (checked by qy_url_ok; else only the text). */
void rd_ext_link(FILE *f, const char *url, const char *text);
/* A stacked horizontal bar of the checkable verdicts v[] (inline SVG of
 * class cls, role img, its numbers in a <title>). */
void rd_svg_bar(FILE *f, const char *cls, const size_t *v, const char *label);
/* Decisions per quarter, stacked by stage, from quarter first to last
 * (years*4+q); dates "YYYY-MM-DD" of n decisions with their stages. */
void rd_svg_quarters(FILE *f, const char *const *dates, const qy_stage *st,
                     size_t n, const char *from, const char *to,
                     const char *label);
/* The legend of the stage colours. */
void rd_stage_legend(FILE *f);

#endif /* RD_INT_H */
