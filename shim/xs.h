/*
 * xs.h -- the whole C view of Xapian (and of the Dutch stemmer) for akkoord.
 *
 * Owns: opaque handles over Xapian 1.4 databases, documents, queries and
 * result sets, and the one stemming function every layer uses (libstemmer_c
 * "dutch", plugged into Xapian as a Xapian::StemImplementation).
 * Never: lets a C++ exception or C++ type cross this header; keeps error
 * state in a global.  Every call reports failure as an xs_status plus a
 * message in a caller-provided xs_err.
 *
 * Lifetimes: children (xs_mset, xs_query used by a search) must be freed
 * before the xs_db they came from.  Strings returned through `char **out`
 * are the caller's, freed with free().  Destructors accept NULL.
 */
#ifndef XS_H
#define XS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum xs_status {
    XS_OK = 0,
    XS_NOMEM,      /* allocation failed (std::bad_alloc)                  */
    XS_NOT_FOUND,  /* database, document or term not there                */
    XS_LOCKED,     /* another writer holds the database lock              */
    XS_CORRUPT,    /* database files damaged                              */
    XS_VERSION,    /* database format, stemmer or akkoord version differs */
    XS_BAD_QUERY,  /* query string could not be parsed                    */
    XS_IO,         /* read/write failure (disk full, permissions, ...)    */
    XS_RETRY,      /* database changed under a reader: reopen and retry   */
    XS_INVALID,    /* invalid argument or operation                       */
    XS_ERROR       /* anything else (message says what)                   */
} xs_status;

/* Static, never NULL: "ok", "out of memory", ... */
const char *xs_status_str(xs_status st);

/* Error out-parameter: msg is heap-owned by the struct, freed by
 * xs_err_clear().  A zero-initialised xs_err is empty and valid. */
typedef struct xs_err {
    xs_status code;
    char *msg;
} xs_err;

void xs_err_clear(xs_err *err);
/* Set code and a printf-style message (replacing any earlier one); returns
 * code so callers can `return xs_err_set(...)`. err may be NULL. */
xs_status xs_err_set(xs_err *err, xs_status code, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/* Version of the Xapian library linked in, e.g. "1.4.22". Static. */
const char *xs_xapian_version(void);

/* ------------------------------------------------------------------ stem */

typedef struct xs_stem xs_stem;

/* The Dutch stemmer: lowercase (done by Xapian before it calls us), fold
 * Latin diacritics (e -> e for e-acute, e-diaeresis, ...), then libstemmer_c's
 * "dutch" algorithm.  Results are memoised per handle.  One handle per thread. */
xs_status xs_stem_new(xs_stem **out, xs_err *err);
void xs_stem_free(xs_stem *stem);

/* Name recorded in every index, e.g. "akkoord-fold+libstemmer_c:dutch". */
const char *xs_stem_name(void);

/* Stem one (already lowercased) UTF-8 word.  Returns a pointer owned by the
 * stemmer, valid until the next call on this handle; *len_out gets its
 * length.  Returns NULL (with err set) only on allocation failure. */
const char *xs_stem_word(xs_stem *stem, const char *word, size_t len,
                         size_t *len_out, xs_err *err);

/* Fold a UTF-8 string: lowercase ASCII, fold Latin-1/Latin Extended-A
 * letters with diacritics to their base letter.  Returns a malloc'd
 * NUL-terminated copy (caller frees), or NULL on allocation failure. */
char *xs_fold(const char *s, size_t len);

/* The form of a word a user types, as the indexer keeps it (exact terms
 * and the spelling table, see indexer/ix.h): lowercased as Xapian's
 * TermGenerator does (Unicode), then folded as xs_fold does.  Returns a
 * malloc'd NUL-terminated string, or NULL on allocation failure. */
char *xs_word_fold(const char *s, size_t len);

/* A name as one folded word: xs_word_fold of s without its spaces,
 * hyphens and apostrophes ("Van den Heuvel" -> "vandenheuvel", "Demír"
 * -> "demir"), for boolean terms of names.  Malloc'd, NULL when out of
 * memory. */
char *xs_name_fold(const char *s, size_t len);

/* Term callback: called with each term (not NUL-terminated) and a count
 * (wdf, termfreq or weight, as each caller says); return non-zero to stop. */
typedef int (*xs_term_fn)(void *ctx, const char *term, size_t len,
                          unsigned wdf);

/* ------------------------------------------------------------ compounds */

/* Dutch compound splitting (Koehn & Knight, EACL 2003): a stemmed term
 * "Z<stem>" of at least 8 letters is split in two where both parts (the
 * left one with a linking -s-, -e- or -en- dropped, and re-stemmed) are
 * terms of the vocabulary of at least 4 letters, and the geometric mean of
 * their document frequencies exceeds the compound's own; each part is
 * split again once.  The vocabulary is given by a df callback. */
typedef unsigned (*xs_df_fn)(void *ctx, const char *term);

/* A memoising splitter over the vocabulary df(ctx, term); stem and ctx
 * are borrowed and must outlive it.  One per thread. */
typedef struct xs_splitter xs_splitter;
xs_status xs_splitter_new(xs_stem *stem, xs_df_fn df, void *ctx,
                          xs_splitter **out, xs_err *err);
void xs_splitter_free(xs_splitter *sp);
/* Forget the memoised splits (after the vocabulary changed). */
void xs_splitter_reset(xs_splitter *sp);
/* Call out(octx, part_term, len, 0) for each part term ("Z<stem>") of
 * term; nothing when it is not a compound.  Returns the number of parts,
 * or (size_t)-1 when out of memory. */
size_t xs_splitter_parts(xs_splitter *sp, const char *term, xs_term_fn out,
                         void *octx);

/* A vocabulary learnt from documents (term -> number of documents), for
 * splitting at index time, batch by batch; xs_vocab_df is its xs_df_fn. */
typedef struct xs_vocab xs_vocab;
xs_status xs_vocab_new(xs_vocab **out, xs_err *err);
void xs_vocab_free(xs_vocab *v);
unsigned xs_vocab_df(void *vocab, const char *term);

/* ------------------------------------------------------------- documents */

typedef struct xs_doc xs_doc;

/* A document under construction; it tokenizes with Xapian's TermGenerator
 * using `stem` (borrowed: must outlive the doc), stemming every term and
 * storing positions ("Z" + stem, see indexer/ix.h). */
xs_status xs_doc_new(xs_stem *stem, xs_doc **out, xs_err *err);
void xs_doc_free(xs_doc *doc);
enum xs_doc_flags {
    XS_DOC_SPELLING = 1 << 0, /* keep the words of the unprefixed field
                                 (prefix ""), folded (xs_word_fold), for
                                 xs_writer_add_spelling                  */
    XS_DOC_EXACT = 1 << 1     /* add each word's exact term: prefix +
                                 folded word (xs_word_fold), wdf 0 (the
                                 document's length stays that of its
                                 stems), without positions (measured too
                                 dear: indexer/ix.h)                     */
};
/* Set the flags (enum xs_doc_flags) for the texts indexed from now on. */
void xs_doc_set_flags(xs_doc *doc, unsigned flags);

/* Empty the document for reuse (terms, values, data, term position,
 * the words kept for spelling).
 * XS_NOMEM when out of memory: then the document still holds what it
 * held, so do not add to it or write it. */
xs_status xs_doc_clear(xs_doc *doc, xs_err *err);

/* Tokenize and add text; each occurrence adds wdf_inc to its term.
 * prefix may be "" for the unprefixed field. */
xs_status xs_doc_index_text(xs_doc *doc, const char *text, size_t len,
                            unsigned wdf_inc, const char *prefix, xs_err *err);
/* Leave a gap in term positions so phrases don't span two fields. */
void xs_doc_gap(xs_doc *doc, unsigned gap);
/* Add a term with no positions (boolean filters, compound parts). */
xs_status xs_doc_add_term(xs_doc *doc, const char *term, unsigned wdf_inc,
                          xs_err *err);
xs_status xs_doc_set_value(xs_doc *doc, unsigned slot, const char *val,
                           size_t len, xs_err *err);
xs_status xs_doc_set_data(xs_doc *doc, const char *data, size_t len,
                          xs_err *err);

/* Count the document's "Z" terms into the vocabulary. */
xs_status xs_vocab_learn(xs_vocab *v, const xs_doc *doc, xs_err *err);
/* Add the parts of the document's compound "Z" terms as extra terms
 * (same wdf as the compound, no positions). */
xs_status xs_doc_add_splits(xs_doc *doc, xs_splitter *sp, xs_err *err);

/* Call fn for each term of the document in term order (with its wdf);
 * fn returns non-zero to stop. */
xs_status xs_doc_each_term(xs_doc *doc, xs_term_fn fn, void *ctx, xs_err *err);

/* ---------------------------------------------------------------- writer */

typedef struct xs_writer xs_writer;

enum xs_writer_flags {
    XS_WRITER_SCRATCH = 1 << 0 /* an intermediate database that is merged
                                  into another and then removed: no fsync
                                  (Xapian DB_NO_SYNC) */
};

/* Create (or overwrite) a database at path.  XS_LOCKED if a writer holds it. */
xs_status xs_writer_open(const char *path, unsigned flags, xs_writer **out,
                         xs_err *err);
/* Add or replace the document indexed by the unique term id_term. */
xs_status xs_writer_replace(xs_writer *w, const char *id_term,
                            const xs_doc *doc, xs_err *err);
/* The data of the first document (committed or not) carrying term, as
 * a malloc'd copy (*out, *len; caller frees); *out NULL when none does. */
xs_status xs_writer_data(xs_writer *w, const char *term, char **out,
                         size_t *len, xs_err *err);
/* *out = 1 if a document (committed or not) carries term, else 0. */
xs_status xs_writer_has_term(xs_writer *w, const char *term, int *out,
                             xs_err *err);
xs_status xs_writer_set_metadata(xs_writer *w, const char *key,
                                 const char *val, xs_err *err);
/* Add the words doc kept (XS_DOC_SPELLING) since it was cleared to the
 * spelling table of w, each with its number of occurrences (Xapian
 * WritableDatabase::add_spelling; compaction adds the tables up).  They
 * are counted in memory and written by the next xs_writer_commit. */
xs_status xs_writer_add_spelling(xs_writer *w, const xs_doc *doc,
                                 xs_err *err);
xs_status xs_writer_commit(xs_writer *w, xs_err *err);
/* Close, dropping what was not committed: close never writes (Xapian
 * would commit on close, and a commit after a failed write, out of memory
 * above all, can crash inside Xapian).  Accepts NULL. */
void xs_writer_close(xs_writer *w);

/* Merge the databases srcs[0..n) into a new compact single-file
 * database at dst (Xapian compaction; docids renumbered in source order,
 * metadata from the first source that has a key). */
xs_status xs_compact(const char *const *srcs, size_t n, const char *dst,
                     xs_err *err);

/* ------------------------------------------------------------ databases */

typedef struct xs_db xs_db;
typedef unsigned xs_docid;

/* Open the database at path for reading.  The functions below that read
 * it (with an xs_err) return XS_CORRUPT when what they read shows the
 * files are damaged: a Xapian corruption, format or read error, a document
 * its own postings name but cannot be found, a length or offset out of
 * range; never XS_RETRY (an akkoord snapshot is never written in place).
 * Every docid they hand out is in 1..xs_db_lastdocid(db): another is
 * XS_CORRUPT.  XS_NOMEM stays a real shortage. */
xs_status xs_db_open(const char *path, xs_db **out, xs_err *err);
void xs_db_close(xs_db *db);
/* Name db in corruption messages: "index 'INDEX' is corrupt: PART: what"
 * (before this call INDEX is the path given to xs_db_open and there is no
 * PART).  Both strings are copied; XS_NOMEM if that fails. */
xs_status xs_db_set_name(xs_db *db, const char *index, const char *part,
                         xs_err *err);
/* Damage found by the caller in what it read from db: err becomes
 * XS_CORRUPT with db's corruption message around err's own (which says
 * what was wrong).  Returns XS_CORRUPT. */
xs_status xs_db_blame(const xs_db *db, xs_err *err);
/* Highest document id of db when it was opened (0 if empty). */
unsigned xs_db_lastdocid(const xs_db *db);

/* xs_db_doccount, xs_db_termfreq and xs_db_doclength return a number, not
 * a status: when one fails it returns 0 and keeps the error on the handle
 * (the first one), for xs_db_error; after that xs_db_termfreq and
 * xs_db_doclength return 0 without reading the database.  Check
 * xs_db_error before trusting what was computed with them, and never size
 * a table with them unchecked. */
unsigned xs_db_doccount(const xs_db *db);
/* Number of documents containing term (0 if none or on error); remembered
 * per handle, so asking again costs no lookup (a handle, like every
 * Xapian handle, is used by one thread at a time). */
unsigned xs_db_termfreq(const xs_db *db, const char *term);
/* The first error kept by those calls on db (XS_OK if none, or if db is
 * NULL), its message copied into err; db keeps it. */
xs_status xs_db_error(const xs_db *db, xs_err *err);
/* Metadata value (malloc'd, caller frees; "" when unset). */
xs_status xs_db_metadata(const xs_db *db, const char *key, char **out,
                         xs_err *err);
/* Document id of the document carrying a unique term; XS_NOT_FOUND if none. */
xs_status xs_db_lookup(const xs_db *db, const char *id_term, xs_docid *out,
                       xs_err *err);
/* Document data (malloc'd, NUL-terminated, caller frees). */
xs_status xs_db_data(const xs_db *db, xs_docid did, char **out, size_t *len,
                     xs_err *err);
/* Call fn for every term starting with prefix, in order (wdf = termfreq). */
xs_status xs_db_each_term(const xs_db *db, const char *prefix, xs_term_fn fn,
                          void *ctx, xs_err *err);
/* Call fn for each term of document did with its wdf. */
xs_status xs_db_doc_terms(const xs_db *db, xs_docid did, xs_term_fn fn,
                          void *ctx, xs_err *err);
/* Call fn(ctx, docid) for each document carrying term, in docid order;
 * fn returns non-zero to stop. */
typedef int (*xs_doc_fn)(void *ctx, xs_docid did);
xs_status xs_db_postings(const xs_db *db, const char *term, xs_doc_fn fn,
                         void *ctx, xs_err *err);
/* Call fn(ctx, value, len, 0) for every document's value in slot, in
 * docid order (Xapian value stream); fn returns non-zero to stop. */
xs_status xs_db_each_value(const xs_db *db, unsigned slot, xs_term_fn fn,
                           void *ctx, xs_err *err);
/* Every document's value in slot, by docid, read in one pass: *out is an
 * array of *n = last docid + 1 strings ("" when unset, and at index 0),
 * all in one malloc'd block: free(*out) frees everything. */
xs_status xs_db_value_table(const xs_db *db, unsigned slot, char ***out,
                            size_t *n, xs_err *err);
/* Value in slot of document did (malloc'd, "" when unset; caller frees). */
xs_status xs_db_value(const xs_db *db, xs_docid did, unsigned slot,
                      char **out, xs_err *err);
/* Length (sum of wdf) of document did; 0 if unknown. */
unsigned xs_db_doclength(const xs_db *db, xs_docid did);

/* The spelling suggestion for word (folded first, as xs_word_fold does):
 * Xapian's get_spelling_suggestion, at most two edits away, from the
 * words the indexer put in db's spelling table.  *out is malloc'd (caller
 * frees): "" when there is none, as when word is in the table itself. */
xs_status xs_db_suggest(const xs_db *db, const char *word, char **out,
                        xs_err *err);

/* ---------------------------------------------------------------- query */

typedef struct xs_query xs_query;

typedef enum xs_op {
    XS_OP_AND, XS_OP_OR, XS_OP_AND_NOT, XS_OP_FILTER
} xs_op;

/* Field prefixes and ranges the query parser knows; see indexer/ix.h. */
#define XS_PARSER_MAX 12
typedef struct xs_parser_conf {
    const char *free_prefixes[XS_PARSER_MAX][2]; /* {"title", "S"}, ...;
                                                    NULL-ended          */
    const char *bool_prefixes[XS_PARSER_MAX][2]; /* {"kind", "K"}, ...;
                                                    NULL-ended          */
    unsigned bool_lower;                /* bit i: bool_prefixes[i] values
                                           are matched ASCII-lowercased, as
                                           the indexer writes them         */
    unsigned bool_fold;                 /* bit i: bool_prefixes[i] values
                                           are matched folded as a name
                                           (xs_name_fold), as the indexer
                                           writes them                     */
    unsigned bool_dated;                /* bit i: bool_prefixes[i] is a date
                                           filter (year:), absent from the
                                           documents without a date       */
    int date_slot;                      /* value slot of YYYYMMDD, or -1    */
    int undated_too;                    /* date filters (ranges, dated
                                           fields) also match documents
                                           with no value in date_slot     */
    int default_or;                     /* words joined by OR, not AND      */
    int stopwords;                      /* drop Dutch stopwords (Snowball's
                                           list, xs_stopwords) from AND
                                           queries, as Xapian's Stopper   */
    int wildcards;                      /* stik*: the exact (unstemmed)
                                           terms starting with stik, at
                                           most the XS_WILDCARD_MAX most
                                           frequent                       */
    int exact;                          /* field "exact": the word as
                                           written (folded, unstemmed;
                                           query/ writes =word so)       */
    int compounds;                      /* a word of XS_COMPOUND_MIN letters
                                           or more also matches the compounds
                                           that start with it (Oosterweel:
                                           oosterweelverbinding), as one
                                           synonym with its stem          */
    int variants;                       /* a word also matches its other
                                           endings (shim/word-variants.tsv:
                                           woonzorgcentra, -centrum)      */
} xs_parser_conf;

#define XS_WILDCARD_MAX 200
#define XS_COMPOUND_MIN 6

/* Is word (lowercase) one of the Dutch stopwords? */
int xs_is_stopword(const char *word);

/* Parse a user query (AND/OR/NOT, "phrases", +must/-not, prefixes,
 * YYYY-MM-DD..YYYY-MM-DD ranges), stemming with `stem`, default operator
 * AND.  XS_BAD_QUERY with the parser's message on a malformed query. */
xs_status xs_query_parse(const xs_db *db, xs_stem *stem,
                         const xs_parser_conf *conf, const char *text,
                         xs_query **out, xs_err *err);
/* The query text with its misspelt words corrected from db's spelling
 * table (Xapian's FLAG_SPELLING_CORRECTION), fields and operators kept;
 * *out malloc'd, "" when no word needs it.  Errors as xs_query_parse. */
xs_status xs_query_correct(const xs_db *db, xs_stem *stem,
                           const xs_parser_conf *conf, const char *text,
                           char **out, xs_err *err);
/* Did parsing q meet a date filter (a range or a dated field)? */
int xs_query_dated(const xs_query *q);
/* A single term with within-query frequency wqf (weight multiplier). */
xs_status xs_query_term(const char *term, unsigned wqf, xs_query **out,
                        xs_err *err);
/* Combine n sub-queries (borrowed, copied in) with op; param is unused
 * (kept 0). */
xs_status xs_query_combine(xs_op op, xs_query *const *subs, size_t n,
                           unsigned param, xs_query **out, xs_err *err);
/* The query matching every document. */
xs_status xs_query_all(xs_query **out, xs_err *err);
/* Multiply the weight contribution of q by factor (>= 0). */
xs_status xs_query_scale(const xs_query *q, double factor, xs_query **out,
                         xs_err *err);
/* Match documents whose value in slot lies in [lo, hi] (either may be "",
 * meaning open). */
xs_status xs_query_range(unsigned slot, const char *lo, const char *hi,
                         xs_query **out, xs_err *err);
int xs_query_empty(const xs_query *q);
/* Xapian's description of the query (malloc'd), for --debug. */
char *xs_query_describe(const xs_query *q);
void xs_query_free(xs_query *q);

/* ---------------------------------------------------------------- search */

typedef struct xs_mset xs_mset;

#define XS_MAX_FACETS 6

typedef struct xs_search_opts {
    unsigned offset, limit;
    int sort_slot;          /* -1: by relevance; else by value, descending */
    int sort_ascending;     /* with sort_slot: ascending, documents without
                               a value last (as with descending)          */
    int tie_slot;           /* > 0, by relevance: equal weights in the
                               ascending order of this value slot, not of
                               docid (which depends on the shard layout)  */
    double bm25_k1, bm25_b; /* <= 0: Xapian defaults (1.0, 0.5)            */
    double bm25_k3;         /* query-term saturation; <= 0: default 1      */
    int exact;              /* look at every match: xs_mset_total, the
                               collapse counts and the facets are exact   */
    int collapse;           /* one result per value of collapse_slot       */
    unsigned collapse_slot;
    size_t nfacets;         /* count the values of facet_slots[0..n) over
                               all matches (Xapian ValueCountMatchSpy)    */
    unsigned facet_slots[XS_MAX_FACETS];
    unsigned facet_multi;   /* bit k: facet_slots[k] holds a list of values
                               joined with '\n', each counted once per
                               document                                   */
} xs_search_opts;

xs_status xs_search(const xs_db *db, const xs_query *q,
                    const xs_search_opts *opts, xs_mset **out, xs_err *err);
void xs_mset_free(xs_mset *m);
unsigned xs_mset_size(const xs_mset *m);
unsigned xs_mset_estimate(const xs_mset *m);
/* Number of matching documents (exact with opts.exact), counting every
 * document, collapsed or not. */
unsigned xs_mset_total(const xs_mset *m);
/* With opts.collapse: number of results (one per value; an estimate,
 * even with opts.exact: count the values with a facet), and how many
 * other matches result i stands for. */
unsigned xs_mset_results(const xs_mset *m);
unsigned xs_mset_collapsed(const xs_mset *m, unsigned i);
/* Facet k (order of opts.facet_slots): fn(ctx, value, len, count) for
 * each value seen: the max most frequent, most frequent first, or with
 * max 0 all, by value; documents without a value are not counted. */
xs_status xs_mset_facet(const xs_mset *m, size_t k, unsigned max,
                        xs_term_fn fn, void *ctx, xs_err *err);
xs_docid xs_mset_docid(const xs_mset *m, unsigned i);
double xs_mset_weight(const xs_mset *m, unsigned i);
/* Best passage of text for this result set's query, at most `chars`
 * characters, matched words wrapped in hi_start/hi_end (malloc'd). */
char *xs_mset_snippet(const xs_mset *m, xs_stem *stem, const char *text,
                      size_t len, size_t chars, const char *hi_start,
                      const char *hi_end);

/* Pseudo-relevance feedback: the nterms best expansion terms (Xapian
 * ESet, Robertson's term selection value) of the documents docs[0..n),
 * restricted to terms starting with prefix and not with skip_prefix
 * ("" for none), in decreasing order; fn gets each term with its weight
 * scaled to an integer x1000 in wdf. */
xs_status xs_expand(const xs_db *db, const xs_docid *docs, size_t n,
                    unsigned nterms, const char *prefix,
                    const char *skip_prefix, xs_term_fn fn, void *ctx,
                    xs_err *err);

/* Test hook: raise the C++ exception numbered `which` inside an exported
 * function and return its translation (for the error-mapping unit test);
 * _read as a function reading db does (with db NULL: as xs_test_raise). */
xs_status xs_test_raise(int which, xs_err *err);
xs_status xs_test_raise_read(const xs_db *db, int which, xs_err *err);

#ifdef __cplusplus
}
#endif
#endif /* XS_H */
