/*
 * rd_report_csv.c -- an evaluation as CSV (RFC 4180), one row per
 * sentence.
 *
 * Owns: the columns of evaluate -f csv.
 * Never: forges a cited id: one the list cannot hold is an error.
 */
#include "rd-int.h"

#include <errno.h>
#include <string.h>

int rd_report_csv(FILE *f, const qy_report *r, int header)
{
    if (header)
        fputs("section,sentence,verdict,checkable,furthest_stage,"
              "citations\r\n", f);
    for (size_t i = 0; i < r->nitems; i++) {
        const qy_item *it = &r->items[i];
        char chk[16];
        snprintf(chk, sizeof chk, "%.4f", it->checkable);
        rd_csv_field(f, r->a.sec.id, 0);
        rd_csv_field(f, it->text, 0);
        rd_csv_field(f, qy_verdict_name(it->verdict), 0);
        rd_csv_field(f, chk, 0);
        rd_csv_field(f, qy_stage_name(it->furthest), 0);
        fputc('"', f);              /* the cited ids, space-separated */
        for (size_t k = 0; k < it->ncites; k++) {
            const char *id = r->refs[it->cites[k].ref].d.id;
            if (!rd_word_ok(id) || strchr(id, '"')) {
                errno = EINVAL;     /* an id the list cannot hold */
                return -1;
            }
            fprintf(f, "%s%s", k ? " " : "", id);
        }
        fputs("\"\r\n", f);
    }
    return ferror(f) ? -1 : 0;
}
