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

#endif /* RD_INT_H */
