/*
 * rd_render.c -- the table of renderers, report file names and run lines.
 *
 * Owns: the one list of evaluate's formats (a new format is one row).
 * Never: knows how a format lays a report out (rd_report_*.c do).
 */
#include "rd-int.h"

#include <stdlib.h>
#include <string.h>

static int csv_report(FILE *f, const qy_report *r)
{
    return rd_report_csv(f, r, 1);
}

static const rd_renderer renderers[] = {
    {QY_MD, "md", rd_report_md, rd_overview_md},
    {QY_JSON, "json", rd_report_json, rd_overview_json},
    {QY_CSV, "csv", csv_report, NULL},
};

const rd_renderer *rd_renderer_of(qy_format fmt)
{
    for (size_t i = 0; i < sizeof renderers / sizeof *renderers; i++)
        if (renderers[i].fmt == fmt)
            return &renderers[i];
    return NULL;
}

char *rd_report_path(const char *dir, const char *id, const rd_renderer *rr)
{
    size_t n = strlen(dir) + strlen(id) + strlen(rr->ext) + 3;
    char *p = malloc(n);
    if (!p)
        return NULL;
    snprintf(p, n, "%s/%s.%s", dir, id, rr->ext);
    for (char *q = p + strlen(dir) + 1; *q; q++)
        if (*q == '/')
            *q = '_';
    return p;
}

const char *rd_run_line(FILE *f, const char *section, const char *doc,
                        size_t rank, double score, const char *tag, int csv)
{
    const char *bad = !rd_word_ok(section) ? section
                      : !rd_word_ok(doc)   ? doc
                                           : NULL;
    if (bad)
        return bad;
    if (!csv) {
        fprintf(f, "%s Q0 %s %zu %.6f %s\n", section, doc, rank, score, tag);
        return NULL;
    }
    char rk[24], sc[32];
    snprintf(rk, sizeof rk, "%zu", rank);
    snprintf(sc, sizeof sc, "%.6f", score);
    rd_csv_field(f, section, 0);
    rd_csv_field(f, rk, 0);
    rd_csv_field(f, doc, 0);
    rd_csv_field(f, sc, 1);
    return NULL;
}
