/*
 * rd_render.h -- the output formats of akkoord-query's reports behind
 * one table (after notmuch's sprinter.h): a renderer per format, the file
 * names of its reports, and the run lines of rank.
 *
 * Owns: which formats evaluate writes, the extension and overview of
 * each, a section's report file name.
 * Never: evaluates (query/ does) or chooses what a report holds.
 */
#ifndef RD_RENDER_H
#define RD_RENDER_H

#include "../query/qy-int.h"

typedef struct rd_renderer {
    qy_format fmt;
    const char *ext;     /* of the reports, and of the overview index.EXT */
    /* 0, or -1 on a write error or a text that could not be encoded
     * (errno ENOMEM: out of memory) */
    int (*report)(FILE *f, const qy_report *r);
    /* the overview of --all; NULL: the format has none besides index.md */
    int (*overview)(FILE *f, const qy_overview *ov, const char *snapshot);
} rd_renderer;

/* The renderer of fmt; NULL if evaluate cannot write fmt. */
const rd_renderer *rd_renderer_of(qy_format fmt);

/* DIR/ID.EXT, '/' in the id as '_' (malloc'd; NULL when out of memory). */
char *rd_report_path(const char *dir, const char *id, const rd_renderer *rr);

/* One line of a ranking: a TREC run line "SECTION Q0 DOC RANK SCORE TAG",
 * or with csv the CSV row "section,rank,decision,score".  NULL when
 * written; else the id that cannot be a field of the line (empty, or
 * holding whitespace or a control character): nothing is written, a run
 * has no escapes and a forged line would be worse than none. */
const char *rd_run_line(FILE *f, const char *section, const char *doc,
                        size_t rank, double score, const char *tag, int csv);

#endif /* RD_RENDER_H */
