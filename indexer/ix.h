/*
 * ix.h -- the akkoord index: its on-disk layout, how it is built, and how
 * query/ opens it.  This header is all that query/ may use of indexer/.
 *
 * Owns: the snapshot layout below, the document-data codec, building a
 * snapshot atomically (ix_build), opening one with version checks
 * (ix_snapshot_open).
 * Never: prints or exits (indexer/main.c does); changes the snapshot at the
 * target path in place: a build is written beside it and swapped in whole.
 *
 * Snapshot layout (directory, default ./akkoord.db):
 *
 *   | path           | what                                              |
 *   |----------------|---------------------------------------------------|
 *   | decisions      | Xapian glass single-file database (two shards     |
 *   |                | merged by compaction), one document per decision  |
 *   | sections/      | Xapian glass database, one per agreement section  |
 *   | manifest.json  | inputs (sha256, counts), versions, parameters,    |
 *   |                | size and CRC-32 of every other file (ix_files.c)  |
 *   | akkoord-snapshot | marker: format and snapshot id (ix_fs.c); a     |
 *   |                | rebuild replaces only a directory whose marker    |
 *   |                | agrees with its manifest and that holds no more   |
 *
 * Terms (the code form of this table is indexer/ix_layout.c; every
 * free-text term is stemmed, see shim/xs.h; a term is at most IX_TERM_MAX
 * bytes, prefix included, and a value that would make a longer one is a
 * bad record naming its field):
 *
 *   | term            | meaning                                | positions |
 *   |-----------------|----------------------------------------|-----------|
 *   | Z<stem>         | title (wdf x IX_TITLE_WDF) and text    | yes       |
 *   | ZS<stem>        | title only (query prefix `title:`)     | yes       |
 *   | <word>          | exact form of a word of title and      | no        |
 *   |                 | text: unstemmed, lowercased, folded    |           |
 *   |                 | (ix_exact_term); wdf 0, so document    |           |
 *   |                 | lengths and BM25 weights are the stems'|           |
 *   | S<word>         | exact form of a title word (wdf 0)     | no        |
 *   | Q<id>           | unique id (decision or section id)     | no        |
 *   | K<kind>         | decision kind, lowercase (`kind:`)     | no        |
 *   | Y<yyyy>         | decision year (`year:`)                | no        |
 *   | C<chapter-slug> | section chapter (id before the '/')    | no        |
 *   | D<hash>         | decision dossier (ix_dossier_term)     | no        |
 *   | M<name>         | minister: a mandatee's family name,    | no        |
 *   |                 | folded as a name (xs_name_fold,        |           |
 *   |                 | `minister:`), one per minister          |           |
 *   | T<theme-id>     | theme id, lowercase (`theme:`)          | no        |
 *
 * Exact terms follow Xapian's convention (unstemmed unprefixed, stemmed
 * "Z"); they have no positions: with them the shared corpus (4787
 * decisions) took 57 % longer to build and 66 % more disk than without
 * exact terms, without them 25 % and 23 % (bench/RESULTS.md); phrases
 * match through the Z terms.  Hyphen-joined and compound-part
 * terms (shim/xs.h) are stemmed only.
 *
 * Spelling table (decisions only): every word of titles and texts, as its
 * exact term (folded), with its number of occurrences, for Xapian's
 * get_spelling_suggestion (xs_db_suggest).
 *
 * Value slots: IX_SLOT_DATE (0) holds the decision date as "YYYYMMDD"
 * (absent when unknown), for range filters and sorting; IX_SLOT_ID (1) the
 * decision or section id, for listing results without reading the data;
 * IX_SLOT_DOSSIER (2) the decision's dossier term "D<hash>"; IX_SLOT_YEAR
 * (3) the decision's year "YYYY" (absent when unknown) and IX_SLOT_KIND (4)
 * its kind, lowercased (absent when none): the values of the Y and K terms
 * without their prefix, for facets (Xapian ValueCountMatchSpy) on year,
 * kind and dossier; IX_SLOT_MINISTER (5) the family names as the API
 * wrote them and IX_SLOT_THEME (6) the theme ids, each a list joined with
 * '\n' (absent when empty), for the minister and theme facets (each value
 * counted once per decision).
 *
 * Metadata keys (both databases): "akkoord.format" (IX_FORMAT),
 * "akkoord.stemmer" (xs_stem_name()), "akkoord.version", "akkoord.role"
 * ("decisions" or "sections").
 *
 * Document data: netstrings (D. J. Bernstein, "len:bytes,") in this order:
 *   decisions: id, date, kind, title, url, text, uri, meeting,
 *              meeting_type, position, alt_title, ministers, themes,
 *              sources                                    (IX_DEC_*)
 *   sections:  id, chapter, number, title, path, text     (IX_SEC_*)
 * An absent field is the empty string.  ministers and themes are lists
 * joined with '\n'; meeting_type is "1".."4"; sources is "extract",
 * "valvas" or "extract+valvas" (a merged decision, ix_merge.c).
 */
#ifndef IX_H
#define IX_H

#include <stddef.h>

#include "../shim/xs.h"

#define IX_FORMAT "7"   /* 7: API items: minister and theme terms and
                           slots, uri, meeting and the other item fields
                           in the document data, merged decisions
                           (6: the layout table: exact terms, a spelling
                           table, year and kind slots, id and kind up to
                           244 bytes (5: manifest.json lists the files;
                           a marker) */
#define IX_SLOT_DATE 0
#define IX_SLOT_ID 1
#define IX_SLOT_DOSSIER 2
#define IX_SLOT_YEAR 3
#define IX_SLOT_KIND 4
#define IX_SLOT_MINISTER 5
#define IX_SLOT_THEME 6
#define IX_TITLE_WDF 2

/* Term prefixes (ix_layout.c tabulates them with their fields). */
#define IX_STEM_PREFIX "Z"      /* Xapian's: "Z" + field prefix + stem     */
#define IX_PREFIX_TEXT ""
#define IX_PREFIX_TITLE "S"
#define IX_PREFIX_ID "Q"
#define IX_PREFIX_KIND "K"
#define IX_PREFIX_YEAR "Y"
#define IX_PREFIX_CHAPTER "C"
#define IX_PREFIX_DOSSIER "D"
#define IX_PREFIX_MINISTER "M"
#define IX_PREFIX_THEME "T"
/* Longest Xapian term (glass backend), prefix included. */
#define IX_TERM_MAX 245

#ifndef AK_VERSION
#define AK_VERSION "0.1.0"
#endif

/* ------------------------------------------------------------ layout */

/* The fields of the index, one row each in ix_layout.c. */
typedef enum ix_fid {
    IX_F_TEXT, IX_F_TITLE, IX_F_ID, IX_F_KIND, IX_F_YEAR, IX_F_CHAPTER,
    IX_F_DOSSIER, IX_F_DATE, IX_F_MINISTER, IX_F_THEME, IX_F_N
} ix_fid;

enum ix_field_flags {
    IX_FREE = 1 << 0,         /* free text: stemmed terms with positions   */
    IX_BOOL = 1 << 1,         /* boolean: one term per value, no positions */
    IX_LOWER = 1 << 2,        /* value ASCII-lowercased in its term        */
    IX_PARSED = 1 << 3,       /* the query parser knows "name:"            */
    IX_DATE_RANGE = 1 << 4,   /* the parser's YYYY-MM-DD..YYYY-MM-DD slot  */
    IX_IN_DECISIONS = 1 << 5, /* in the decisions database                 */
    IX_IN_SECTIONS = 1 << 6,  /* in the sections database                  */
    IX_DATED = 1 << 7,        /* a date filter: absent where the date is   */
    IX_FOLD = 1 << 8,         /* value folded as a name (xs_name_fold)     */
    IX_LIST = 1 << 9          /* many values per document: one term each,
                                 the slot holds them joined with '\n'     */
};

typedef struct ix_layout_field {
    const char *name;         /* user-facing: "title", "kind", ...         */
    const char *prefix;       /* term prefix; NULL: no terms (slot only)   */
    unsigned flags;           /* enum ix_field_flags                       */
    int slot;                 /* value slot, or -1                         */
} ix_layout_field;

/* The table row of field f (static), or NULL for no such field. */
const ix_layout_field *ix_layout_get(ix_fid f);
/* The row whose user-facing name is name (static), or NULL. */
const ix_layout_field *ix_layout_find(const char *name);

/* Can a value of len bytes make a term of field f?  XS_INVALID "field
 * 'kind' is longer than 244 bytes" when prefix and value would exceed
 * IX_TERM_MAX (the message names the field, for FILE:LINE: messages);
 * XS_INVALID too for a field without terms. */
xs_status ix_term_check(ix_fid f, size_t len, xs_err *err);
/* The term of field f for value[0..len) (the field's prefix, then the
 * value, ASCII-lowercased for IX_LOWER fields), NUL-terminated into out;
 * errors as ix_term_check (then out is ""). */
xs_status ix_term(ix_fid f, const char *value, size_t len,
                  char out[IX_TERM_MAX + 1], xs_err *err);

/* The exact term of a word of free-text field f (IX_F_TEXT: "overheid",
 * IX_F_TITLE: "Soverheid"): its prefix and the word folded as the indexer
 * folds it (xs_word_fold: lowercase, no diacritics), unstemmed, for
 * matching a word as written (the query side's `=overheid`).  word is
 * one word, not a text.  Errors: XS_INVALID for a field without exact
 * terms or a word too long for a term, XS_NOMEM. */
xs_status ix_exact_term(ix_fid f, const char *word, size_t len,
                        char out[IX_TERM_MAX + 1], xs_err *err);

/* ----------------------------------------------------- document data */

enum { IX_DEC_ID, IX_DEC_DATE, IX_DEC_KIND, IX_DEC_TITLE, IX_DEC_URL,
       IX_DEC_TEXT, IX_DEC_URI, IX_DEC_MEETING, IX_DEC_MTYPE, IX_DEC_POSITION,
       IX_DEC_ALT_TITLE, IX_DEC_MINISTERS, IX_DEC_THEMES, IX_DEC_SOURCES,
       IX_DEC_NFIELDS };
enum { IX_SEC_ID, IX_SEC_CHAPTER, IX_SEC_NUMBER, IX_SEC_TITLE, IX_SEC_PATH,
       IX_SEC_TEXT, IX_SEC_NFIELDS };

typedef struct ix_field {
    const char *ptr;
    size_t len;
} ix_field;

/* Encode n fields as netstrings into a malloc'd buffer (*out, *out_len);
 * returns XS_NOMEM on allocation failure. */
xs_status ix_data_encode(const ix_field *fields, size_t n, char **out,
                         size_t *out_len, xs_err *err);
/* Split data into n fields pointing into data (borrowed).  XS_CORRUPT if
 * the data is not n well-formed netstrings. */
xs_status ix_data_decode(const char *data, size_t len, ix_field *fields,
                         size_t n, xs_err *err);

/* ------------------------------------------------------------- build */

typedef struct ix_build_opts {
    const char *out_dir;          /* target snapshot directory           */
    const char *agreement;        /* agreement JSONL, or NULL            */
    const char *const *corpus;    /* decision files                      */
    size_t ncorpus;
    int skip_bad;                 /* skip and count bad records          */
    int no_split;                 /* do not index compound parts         */
    /* Called a few times a second while reading (done = 0) and once at
     * the end of each file (done = 1); NULL for none. */
    void (*progress)(void *ctx, const char *path, unsigned long records,
                     double fraction, double per_second, int done);
    volatile const int *interrupted; /* set by a signal handler, or NULL */
    /* Called with one line per skipped record ("FILE:LINE: what"). */
    void (*warn)(void *ctx, const char *msg);
    void *ctx;                    /* passed to warn and progress         */
} ix_build_opts;

typedef struct ix_build_result {
    unsigned long decisions;      /* distinct decisions in the snapshot  */
    unsigned long sections;
    unsigned long skipped;        /* bad records skipped (--skip-bad)    */
    unsigned long duplicates;     /* records replacing an earlier id     */
    double seconds;
} ix_build_result;

/* Build a snapshot from opts into opts->out_dir, atomically: on any
 * failure the previous snapshot there is untouched.  Errors: XS_INVALID
 * for bad input ("FILE:LINE: what"), XS_IO, XS_LOCKED (another build of
 * the same target runs), XS_NOMEM. */
xs_status ix_build(const ix_build_opts *opts, ix_build_result *res,
                   xs_err *err);

/* ---------------------------------------------------------- snapshot */

/* Per-decision values read in one pass, for code that looks up many
 * decisions (ranking every section); loaded by ix_snapshot_tables().
 * Opaque: document ids are sparse when a snapshot has several shards
 * (Xapian interleaves them), so a table is indexed by docid up to
 * ix_tables_size() and holds "" where no decision has that docid. */
typedef struct ix_tables ix_tables;

/* One past the last docid: the size of an array indexed by docid. */
size_t ix_tables_size(const ix_tables *t);
/* The decision id (IX_SLOT_ID) and dossier term (IX_SLOT_DOSSIER) of
 * docid d; "" when d has none (a gap, or out of range).  Borrowed. */
const char *ix_tables_id(const ix_tables *t, xs_docid d);
const char *ix_tables_dossier(const ix_tables *t, xs_docid d);
/* The date of docid d as IX_SLOT_DATE holds it ("YYYYMMDD"), "" when
 * unknown. Borrowed. */
const char *ix_tables_date(const ix_tables *t, xs_docid d);
/* The next decision of d's dossier, in decision-id order, round a ring
 * (d itself when d is alone or out of range). */
xs_docid ix_tables_next(const ix_tables *t, xs_docid d);
/* The position of d's decision id among all ids in strcmp order (1-based;
 * 0 for a docid without a decision): the tie-break of every ranking, so
 * that results never depend on how documents lie over shards. */
unsigned ix_tables_order(const ix_tables *t, xs_docid d);

/* A snapshot open for reading (opaque). */
typedef struct ix_snapshot ix_snapshot;

/* Open the snapshot in dir (NULL: $AKKOORD_DB, else ./akkoord.db): check
 * manifest.json and every file against it before Xapian reads them, then
 * format, stemmer, role and document count of both databases (the checks
 * are listed in ix_snapshot.c).  Errors, each message naming dir:
 * XS_NOT_FOUND (no index there, no manifest.json, a file missing),
 * XS_VERSION (other format or stemmer), XS_CORRUPT (a file damaged, cut
 * or not a file; a manifest that does not parse or match itself), XS_IO
 * (a file cannot be read).  Free with ix_snapshot_close(). */
xs_status ix_snapshot_open(const char *dir, ix_snapshot **out, xs_err *err);
void ix_snapshot_close(ix_snapshot *s);
/* Load s's tables (once; a later call does nothing).  Costs one pass
 * over two value streams: worth it before ranking, not for one search. */
xs_status ix_snapshot_tables(ix_snapshot *s, xs_err *err);

/* What an open snapshot holds, all borrowed from s: its decisions and
 * sections databases, its stemmer and compound splitter (not safe to
 * share between threads: each thread opens its own snapshot), the
 * directory it was opened as, its snapshot id ("" if none), and its
 * tables (NULL until ix_snapshot_tables). */
xs_db *ix_snapshot_decisions(const ix_snapshot *s);
xs_db *ix_snapshot_sections(const ix_snapshot *s);
xs_stem *ix_snapshot_stem(const ix_snapshot *s);
xs_splitter *ix_snapshot_splitter(const ix_snapshot *s);
const char *ix_snapshot_dir(const ix_snapshot *s);
const char *ix_snapshot_id(const ix_snapshot *s);
const ix_tables *ix_snapshot_get_tables(const ix_snapshot *s);

/* Why dir cannot be an index directory ("", or a last component ".",
 * ".." or "/"), as a static message; NULL when it can. */
const char *ix_out_dir_problem(const char *dir);

/* Does dir hold the marker of a snapshot akkoord made?  Nothing else may
 * be written into one (it would no longer be provably ours). */
int ix_dir_is_snapshot(const char *dir);

/* The default snapshot directory: $AKKOORD_DB or "akkoord.db". Static or
 * borrowed from the environment. */
const char *ix_default_dir(void);

/* The dossier term of a decision: "D" and 16 hex digits of a hash of its
 * title, folded, without years and without the words that name a stage
 * (voorontwerp, principiële goedkeuring, ...), so that the stages of one
 * matter share it; a title of stage words only hashes its id instead.
 * Writes NUL-terminated into out[18]; returns 0, or -1 on allocation
 * failure. */
int ix_dossier_term(const char *title, size_t tlen, const char *id,
                    size_t idlen, char out[18]);

/* The label of a meeting type (meetingTypePosition 1-4, as stored in
 * the document data), e.g. "Elektronische procedure"; NULL for others.
 * Static. */
const char *ix_meeting_type_label(int mtp);

/* Query-parser configuration generated from the layout table (fields
 * flagged IX_PARSED, the IX_DATE_RANGE slot); static, read-only. */
const xs_parser_conf *ix_parser_conf(void);

#endif /* IX_H */
