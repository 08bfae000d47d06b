/*
 * qy.h -- what akkoord-query does: search, show, sections, rank, evaluate.
 *
 * Owns: turning a user's request into shim queries over a snapshot
 * (indexer/ix.h), collecting results as plain structs, and rendering them
 * as text, JSON Lines or Markdown.
 * Never: opens corpus files (everything comes from the snapshot); prints
 * anything but to the FILE it is handed; exits.
 */
#ifndef QY_H
#define QY_H

#include <stdio.h>

#include "../indexer/ix.h"
#include "../render/rd.h"

/* ------------------------------------------------------------ records */

/* One decision as stored in the index.  Strings are malloc'd copies owned
 * by the struct (NUL-terminated, "" when absent); free with
 * qy_decision_release(). */
typedef struct qy_decision {
    xs_docid docid;
    char *id, *date, *kind, *title, *url, *text;
    /* from an API item (ix.h; "" for an extract record): the Themis
     * permalink, meeting id, meetingTypePosition "1".."4", agenda
     * position(s), alternative title, ministers' family names and theme
     * ids (each list joined with '\n'), sources ("extract", "valvas",
     * "extract+valvas") */
    char *uri, *meeting, *meeting_type, *position, *alt_title, *ministers,
        *themes, *sources;
} qy_decision;

/* Load decision docid from the snapshot. */
xs_status qy_decision_load(const ix_snapshot *s, xs_docid did,
                           qy_decision *out, xs_err *err);
/* Look a decision up by its id; XS_NOT_FOUND if it is not there. */
xs_status qy_decision_find(const ix_snapshot *s, const char *id,
                           qy_decision *out, xs_err *err);
void qy_decision_release(qy_decision *d);
/* A link for d: its Themis uri when http(s), else its url when http(s),
 * else a search link on the publication platform built from title and
 * date (malloc'd). */
char *qy_decision_link(const qy_decision *d);

typedef struct qy_section {
    xs_docid docid;
    char *id, *chapter, *number, *title, *path, *text;
} qy_section;

xs_status qy_section_load(const ix_snapshot *s, xs_docid did, qy_section *out,
                          xs_err *err);
xs_status qy_section_find(const ix_snapshot *s, const char *id,
                          qy_section *out, xs_err *err);
void qy_section_release(qy_section *sec);

/* ------------------------------------------------------------- search */

typedef enum qy_format { QY_TEXT, QY_JSON, QY_MD, QY_CSV, QY_IDS } qy_format;

typedef enum qy_sort { QY_SORT_RELEVANCE, QY_SORT_DATE, QY_SORT_DATE_ASC }
    qy_sort;

/* Facets: counts of the matches per value of a field. */
enum { QY_FACET_YEAR, QY_FACET_KIND, QY_FACET_DOSSIER, QY_FACET_MINISTER,
       QY_FACET_THEME, QY_NFACETS };
/* Its name in --facets and in JSON ("year", "kind", "dossier",
 * "minister", "theme"). */
const char *qy_facet_name(unsigned k);

typedef struct qy_search_opts {
    const char *query;      /* user query syntax, see akkoord-query(1)     */
    const char *since;      /* "YYYY-MM-DD" or NULL                        */
    const char *until;
    unsigned limit, offset;
    qy_sort sort;
    int include_undated;    /* date filters keep decisions without a date */
    int collapse;           /* one result per dossier                     */
    unsigned facets;        /* bit QY_FACET_*: count them                 */
} qy_search_opts;

/* A decision of a collapsed hit's dossier: when, what it decided. */
typedef struct qy_step {
    char *id;
    char *date;             /* "" when unknown                            */
    const char *stage;      /* its stage's name (static), "principiële
                               goedkeuring"                               */
    int ladder;             /* the stage's place on the ladder (qy_stage) */
} qy_step;

#define QY_STEPS_MAX 12     /* steps kept per dossier                     */

typedef struct qy_hit {
    qy_decision d;
    unsigned rank;          /* 1-based, counting the offset                */
    double score;
    char *snippet;          /* best passage; matches between \x01 and \x02 */
    unsigned more;          /* with collapse: other matches of its dossier */
    qy_step *steps;         /* with collapse, a dossier of two decisions or
                               more: its first QY_STEPS_MAX by date,
                               undated last                               */
    size_t nsteps;
    unsigned dossier_size;  /* decisions in the dossier                   */
} qy_hit;

typedef struct qy_count {
    char *value;            /* a year, or a dossier's title               */
    unsigned n;
} qy_count;

typedef struct qy_facet {
    qy_count *v;            /* most frequent first (years: by year)       */
    size_t n;
} qy_facet;

typedef struct qy_hits {
    qy_hit *hits;
    size_t n;
    unsigned total;         /* exact number of matching decisions          */
    unsigned results;       /* results to page through (dossiers when
                               collapsed, else total)                      */
    unsigned undated_left;  /* matches left out by a date filter for having
                               no date (0 with include_undated)            */
    int fallback;           /* no decision has all the words: any word     */
    char *killer;           /* then the word that left nothing (or NULL)   */
    char *suggestion;       /* nothing had all the words: the query with
                               misspelt words corrected (or NULL)          */
    qy_facet facets[QY_NFACETS];
    char *explain;          /* the query as Xapian sees it (malloc'd)      */
} qy_hits;

/* Run a search.  XS_BAD_QUERY (message says why) for a malformed query
 * or date; the result is the caller's, freed with qy_hits_free(). */
xs_status qy_search(const ix_snapshot *s, const qy_search_opts *o,
                    qy_hits **out, xs_err *err);
void qy_hits_free(qy_hits *h);
/* search --sections: the agreement's sections matching a query. */
typedef struct qy_section_hit {
    qy_section sec;
    char *snippet;          /* matches between \x01 and \x02 */
} qy_section_hit;
typedef struct qy_section_hits {
    qy_section_hit *v;
    size_t n;
    unsigned total;         /* exact */
} qy_section_hits;
xs_status qy_search_sections(const ix_snapshot *s, const char *query,
                             unsigned limit, qy_section_hits **out,
                             xs_err *err);
void qy_section_hits_free(qy_section_hits *h);

/* "More like this": the decisions most like decision id (its best terms
 * by Xapian's ESet, as one OR query), without id itself; XS_NOT_FOUND if
 * there is no such decision. */
xs_status qy_similar(const ix_snapshot *s, const char *id, unsigned limit,
                     qy_hits **out, xs_err *err);

/* ------------------------------------------------------------- output */

typedef struct qy_style {
    int color;              /* ANSI bold/colour (a terminal, no NO_COLOR)  */
    unsigned width;         /* terminal width for text output              */
} qy_style;

/* Render results / one decision / the section list to f.  Return 0, or
 * -1 when writing failed. */
int qy_print_hits(FILE *f, const qy_hits *h, qy_format fmt,
                  const qy_style *st);
/* What surrounds the hits of a search: before them (the JSON header
 * record: query, totals, snapshot, fallback, facets; the CSV header row;
 * the Markdown count line), and after them (the text summary: "results
 * 1-10 of 144", the facets).  Return 0, or -1 when writing failed. */
int qy_print_search_head(FILE *f, const qy_hits *h, const qy_search_opts *o,
                         const char *snapshot, qy_format fmt);
int qy_print_search_tail(FILE *f, const qy_hits *h, const qy_search_opts *o,
                         qy_format fmt, const qy_style *st);
/* The year facet as a table "YEAR<TAB>COUNT" (search --by year). */
int qy_print_by_year(FILE *f, const qy_hits *h);
int qy_print_decision(FILE *f, const qy_decision *d, qy_format fmt,
                      const qy_style *st);
int qy_print_section_row(FILE *f, const qy_section *sec, qy_format fmt);
/* search --sections results (text, json, md or ids). */
int qy_print_section_hits(FILE *f, const qy_section_hits *h, qy_format fmt,
                          const qy_style *st);
/* One agreement section in full (show SECTION_ID). */
int qy_print_section(FILE *f, const qy_section *sec, qy_format fmt,
                     const qy_style *st);

/* Is s an http:// or https:// URL without spaces, quotes or brackets? */
int qy_url_ok(const char *s);

#endif /* QY_H */
