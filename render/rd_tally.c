/*
 * rd_tally.c -- what the renderers of a report count and share: verdicts,
 * cited decisions and dossiers, their first and last dates, decisions per
 * year; the start of a text, a date or "datum onbekend", a plural.
 *
 * Owns: rd_tally, computed once per report for every format.
 * Never: writes output.
 */
#include "rd-int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* First n bytes of s cut at a space, "..." appended when cut (malloc'd). */
char *rd_text_start(const char *s, size_t n)
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

const char *rd_date_of(const qy_decision *d)
{
    return *d->date ? d->date : "datum onbekend";
}

/* Is reference i cited as evidence for a commitment? */
int rd_is_cited(const qy_report *r, size_t i)
{
    for (size_t k = 0; k < r->nitems; k++)
        for (size_t c = 0; c < r->items[k].ncites; c++)
            if (r->items[k].cites[c].ref == i)
                return 1;
    return 0;
}

/* 0, or -1 (errno ENOMEM) when out of memory. */
int rd_tally_count(const qy_report *r, rd_tally *t)
{
    memset(t, 0, sizeof *t);
    for (size_t i = 0; i < r->nitems; i++) {
        t->verdicts[r->items[i].verdict]++;
        t->checkable += r->items[i].verdict != QY_UNCHECKABLE;
    }
    size_t *seen_dossier = calloc(r->nrefs ? r->nrefs : 1, sizeof *seen_dossier);
    if (!seen_dossier) {
        errno = ENOMEM;
        return -1;
    }
    for (size_t i = 0; i < r->nrefs; i++) {
        if (!rd_is_cited(r, i))
            continue;
        t->cited++;
        if (!seen_dossier[r->refs[i].dossier]++)
            t->dossiers++;
        const char *d = r->refs[i].d.date;
        int y = atoi(d);
        if (!*d || y < RD_YEAR_MIN || y > RD_YEAR_MAX) {
            t->undated++;
            continue;
        }
        t->per_year[y - RD_YEAR_MIN]++;
        if (!t->first[0] || strcmp(d, t->first) < 0)
            snprintf(t->first, sizeof t->first, "%s", d);
        if (!t->last[0] || strcmp(d, t->last) > 0)
            snprintf(t->last, sizeof t->last, "%s", d);
    }
    free(seen_dossier);
    return 0;
}

const char *rd_plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

void rd_conclusion(FILE *f, const rd_tally *t)
{
    size_t done = t->verdicts[QY_DONE], busy = t->verdicts[QY_IN_PROGRESS],
           none = t->verdicts[QY_NONE], n = t->checkable;
    if (!n) {
        fprintf(f, "Deze sectie bevat geen toetsbare verbintenissen: ze "
                "beschrijft feiten, een visie of principes.");
        return;
    }
    unsigned pct = (unsigned)((100 * (done + busy) + n / 2) / n);
    if (done + busy == 0)
        fprintf(f, "Voor geen van de %zu toetsbare verbintenissen vond akkoord "
                "een beslissing die ze rechtstreeks uitvoert.", n);
    else if (2 * done >= n)
        fprintf(f, "Het merendeel van de verbintenissen is uitgevoerd: %zu van "
                "de %zu, en nog %zu in uitvoering.", done, n, busy);
    else if (2 * (done + busy) >= n)
        fprintf(f, "Voor %u%% van de verbintenissen (%zu van de %zu) zijn er "
                "beslissingen die ze uitvoeren of voorbereiden; %zu %s "
                "uitgevoerd.", pct, done + busy, n, done,
                rd_plural(done, "is", "zijn"));
    else
        fprintf(f, "Voor de meeste verbintenissen (%zu van de %zu) vond akkoord "
                "geen beslissing die ze rechtstreeks uitvoert; %zu %s "
                "uitgevoerd en %zu in uitvoering.", none, n, done,
                rd_plural(done, "is", "zijn"), busy);
    if (t->cited && t->first[0])
        fprintf(f, " De geciteerde beslissingen lopen van %s tot %s.",
                t->first, t->last);
}

