/*
 * qy-int.h -- private to query/: paragraph analysis, generated queries,
 * section ranking and the evaluation model shared by qy_*.c.
 *
 * Owns: the parameters of ranking and evaluation (one table, qy_params),
 * the structs that carry a section from text to report.
 * Never: included outside query/, its unit tests and render/ (whose
 * renderers write these structs).
 */
#ifndef QY_INT_H
#define QY_INT_H

#include "qy.h"

/* The first error that a call without a status (xs_db_termfreq,
 * xs_db_doccount, xs_db_doclength) met on s's databases, copied into err;
 * XS_OK if none.  Checked before results computed with them are used. */
xs_status qy_snapshot_error(const ix_snapshot *s, xs_err *err);

/* ------------------------------------------------------- paragraphs */

#define QY_LONG_SENTENCE 45   /* words; longer sentences split at ';' */

/* Is word (len bytes, not NUL-terminated in general) a word of the
 * vocabulary?  Used to decide "infor-matie" -> "informatie".  1 yes, 0 no,
 * -1 could not tell (out of memory, a failed look-up): then
 * qy_para_repair fails. */
typedef int (*qy_known_fn)(void *ctx, const char *word, size_t len);

/* Copy of text with line-break hyphens removed where `known` accepts the
 * joined word (malloc'd; NULL on allocation failure or when known
 * failed). */
char *qy_para_repair(const char *text, qy_known_fn known, void *ctx);

typedef struct qy_span { size_t start, end; } qy_span;
typedef struct qy_spans { qy_span *v; size_t n, cap; } qy_spans;

/* Split text into sentences (byte spans, trimmed).  Returns 0, or -1 on
 * allocation failure.  Release with qy_spans_release(). */
int qy_para_split(const char *text, qy_spans *out);
void qy_spans_release(qy_spans *sp);

/* ------------------------------------------------------- parameters */

typedef struct qy_params {
    double max_df;         /* drop terms in more than this share of docs   */
    double max_sf;         /* ... or of the agreement's sections           */
    unsigned min_terms;    /* a sentence with fewer content terms is not
                              searched (and so not checkable)             */
    double k1, b, k3;      /* BM25 (k3: saturation of repeated query words) */
    unsigned depth;        /* results fetched for the whole section        */
    unsigned commit_depth; /* ... for each commitment                      */
    double rrf_k;          /* reciprocal rank fusion constant              */
    double w_section;      /* weight of the whole-section list in fusion   */
    double w_commit;       /* weight of all commitment lists together      */
    unsigned fb_docs;      /* pseudo-relevance feedback: top documents ... */
    unsigned fb_terms;     /* ... giving this many expansion terms ...     */
    double fb_weight;      /* ... weighted this much in total              */
    double split_weight;   /* weight of compound parts (0: no splitting)   */
    double w_heading;      /* weight of the section's own title words      */
    double w_title;        /* weight of matches in decision titles         */
    int fb_commit;         /* feedback for commitment queries too          */
    double w_dossier;      /* siblings of a top decision get this share of
                              its score (0: off)                          */
    unsigned dossier_depth;/* ... for the top this many decisions          */
    int repair;            /* repair PDF hyphenation                       */
    int fuse;              /* use commitment lists (else section only)     */
} qy_params;

/* The defaults, tuned on qrels-dev as a whole (docs/ranking.md). */
qy_params qy_params_default(void);
/* Override parameters of p from text ("name=value,name=value"; NULL or
 * "" changes nothing), each checked against its range (qy_params.c).
 * Returns 0, or -1 with the bad part and the rule in msg (p may be partly
 * changed).  _env reads $AKKOORD_PARAMS, for experiments (bench/quality). */
int qy_params_parse(qy_params *p, const char *text, char *msg, size_t size);
int qy_params_env(qy_params *p, char *msg, size_t size);

/* ------------------------------------------------------ query terms */

typedef struct qy_term {
    char *term;            /* "Z<stem>"                                    */
    unsigned wqf;          /* occurrences in the text                      */
    unsigned df;           /* decisions containing it                      */
    double scale;          /* weight multiplier (1 for text terms)         */
} qy_term;

typedef struct qy_terms { qy_term *v; size_t n; } qy_terms;

/* Content terms of text: tokenized and stemmed exactly as the index was
 * (Xapian TermGenerator through the shim), keeping terms that occur in the
 * decisions but in at most max_df of them. */
xs_status qy_terms_of(const ix_snapshot *s, const qy_params *p,
                      const char *text, size_t len, qy_terms *out,
                      xs_err *err);
void qy_terms_release(qy_terms *t);
/* OR of the terms, each weighted by its wqf; NULL-safe for n == 0. */
xs_status qy_terms_query(const qy_terms *t, xs_query **out, xs_err *err);

/* ---------------------------------------------------------- ranking */

typedef struct qy_hitlist {
    xs_docid *docs;
    double *weight;        /* BM25 weight                                  */
    double *norm;          /* weight / max possible weight, 0..1           */
    double max;            /* max possible weight of the query             */
    size_t n;
} qy_hitlist;

typedef struct qy_commit {
    qy_span span;          /* in the repaired text                         */
    qy_terms terms;
    int boilerplate;       /* too few content terms: no commitment         */
    qy_hitlist hits;
} qy_commit;

/* A ranked decision; order is ix_tables_order of doc, the tie-break. */
typedef struct qy_ranked { xs_docid doc; double score; unsigned order; }
    qy_ranked;

typedef struct qy_analysis {
    qy_section sec;
    char *text;            /* repaired section text (heading removed)      */
    qy_commit *commits;
    size_t ncommits;
    qy_hitlist section_hits;
    qy_ranked *ranking;    /* fused, best first                            */
    size_t nranking;
} qy_analysis;

/* Analyse a section: repair, split, one query per commitment and one for
 * the whole section, fused into a ranking.  Release with
 * qy_analysis_release(). */
xs_status qy_analyse(const ix_snapshot *s, const qy_params *p,
                     const char *section_id, qy_analysis *out, xs_err *err);
void qy_analysis_release(qy_analysis *a);

/* The naive baseline, for comparison only: the raw section text as one
 * query through Xapian's QueryParser (words OR-ed), default BM25.  Fills
 * out->ranking only. */
xs_status qy_analyse_naive(const ix_snapshot *s, const char *section_id,
                           unsigned n, qy_analysis *out, xs_err *err);

/* ----------------------------------------------------------- models */

#define QY_MODEL_MAX 64    /* features a model may have                    */

/* A fitted logistic-regression model read from its text (format in
 * query/qy_model.c).  names[0..n) are the features the caller computes;
 * the text must weigh each exactly once.  origin names the text in
 * messages ("evidence.model:3: unknown feature 'x'", XS_INVALID). */
typedef struct qy_model qy_model;
xs_status qy_model_parse(const char *text, const char *origin,
                         const char *const *names, size_t n, qy_model **out,
                         xs_err *err);
void qy_model_free(qy_model *m);
/* Features of the model: the caller's n, then the word features the
 * file brings ("w word:STEM W"). */
size_t qy_model_nfeat(const qy_model *m);
/* Set x[n + i] = 1 for each word feature i whose stem is among
 * stems[0..n) (x must have qy_model_nfeat entries). */
void qy_model_set_words(const qy_model *m, const char *const *stems, size_t n,
                        double *x);
/* P(positive | x), x[0..qy_model_nfeat) in the order of names, then the
 * word features; -1 when out of memory. */
double qy_model_prob(const qy_model *m, const double *x);
double qy_model_threshold(const qy_model *m);
/* The stricter threshold (the threshold itself when the file has none). */
double qy_model_strong(const qy_model *m);
/* The margin (0 when the file has none). */
double qy_model_margin(const qy_model *m);
/* SHA-256 (hex) of the model's text. */
const char *qy_model_sha256(const qy_model *m);
/* Write a model file (make model). */
int qy_model_write(FILE *f, const char *name, const char *comment,
                   const char *const *names, size_t n, const double *w,
                   double bias, double threshold, double strong,
                   double margin);

typedef struct qy_stager qy_stager;

/* Features of a sentence: is commitment i of a checkable (names in
 * qy_commit_feature_names, NULL-terminated; x has QY_COMMIT_NFEAT). */
#define QY_COMMIT_NFEAT 27
extern const char *const qy_commit_feature_names[];
/* 0, or -1 when out of memory (x is then incomplete). */
int qy_commit_features(const qy_analysis *a, size_t i, double *x);
/* The distinct stems of the words of s[0..len), sorted (malloc'd; free
 * with qy_stems_free).  Returns -1 when out of memory. */
int qy_sentence_stems(xs_stem *stem, const char *s, size_t len, char ***out,
                      size_t *n);
void qy_stems_free(char **v, size_t n);

/* Features of a (commitment, decision) pair for one analysed section; the
 * context caches each decision's terms. */
#define QY_EVIDENCE_NFEAT 31
extern const char *const qy_evidence_feature_names[];
typedef struct qy_evctx qy_evctx;
struct qy_evaluator;
xs_status qy_evctx_new(const ix_snapshot *s, const qy_analysis *a,
                       const struct qy_evaluator *ev, qy_evctx **out,
                       xs_err *err);
void qy_evctx_free(qy_evctx *e);
xs_status qy_evidence_features(qy_evctx *e, size_t commit, xs_docid d,
                               double *x, xs_err *err);
/* "waarom": the commitment's words (as written) whose stems decision d
 * has, rarest first, at most five, joined by ", " (malloc'd; "" when
 * none; NULL with err set on failure). */
char *qy_evidence_why(qy_evctx *e, size_t commit, xs_docid d, xs_err *err);
/* Rank of d in the section ranking (1-based; 0: not ranked). */
unsigned qy_evctx_secrank(const qy_evctx *e, xs_docid d);
/* The decisions evaluate weighs for commitment i: its best QY_CANDIDATES
 * hits, the other dossier stages of its best ten, and the best
 * QY_SECTION_CANDIDATES of the section ranking, each once, into out (room
 * for QY_CANDIDATES_MAX); returns how many. */
#define QY_CANDIDATES 30
#define QY_SECTION_CANDIDATES 40
#define QY_CANDIDATES_MAX 130
size_t qy_candidates(const qy_evctx *e, size_t i, xs_docid *out);

/* The two models of evaluate: is a sentence a checkable commitment, and
 * does a decision directly carry out a commitment.  Built in from
 * query/commitment.model and query/evidence.model, or read from the
 * folder $AKKOORD_MODELS (experiments and cross-validation). */
typedef struct qy_models {
    qy_model *commit, *evidence;
} qy_models;
xs_status qy_models_load(qy_models *m, xs_err *err);
void qy_models_release(qy_models *m);

/* ------------------------------------------------------- evaluation */

/* The stage ladder, lowest first: what a decision itself decides
 * (query/stages.tsv, docs/evaluation.md). */
typedef enum qy_stage {
    QY_STAGE_UNKNOWN,      /* the text says nothing about what was decided */
    QY_STAGE_REFUSED,      /* weigert, keurt niet goed                     */
    QY_STAGE_NOTED,        /* neemt kennis, a mededeling                   */
    QY_STAGE_ADVICE,       /* an opinion on another government's text      */
    QY_STAGE_DRAFT,        /* principiële goedkeuring, voorontwerp         */
    QY_STAGE_APPROVED,     /* a plan, subsidy, agreement, appointment      */
    QY_STAGE_FINAL,        /* a regulatory text finally adopted            */
    QY_STAGE_ENACTED       /* a decree ratified and promulgated            */
} qy_stage;

/* Name shown in reports ("principiële goedkeuring"). */
const char *qy_stage_name(qy_stage st);
/* Its table key ("draft"): a word, for class names and JSON. */
const char *qy_stage_key(qy_stage st);
#define QY_NSTAGES (QY_STAGE_ENACTED + 1)
/* Stage from its table key ("draft") or report name; -1 if neither. */
int qy_stage_parse(const char *name, qy_stage *out);
/* SHA-256 (hex) of the built-in query/stages.tsv. */
const char *qy_stage_table_sha256(void);

/* The stage rules, parsed.  table NULL: the built-in query/stages.tsv.
 * XS_INVALID names the bad line ("stages.tsv:12: ..."). */
typedef struct qy_stager qy_stager;
xs_status qy_stager_new(const char *table, qy_stager **out, xs_err *err);
void qy_stager_free(qy_stager *st);
/* The stage of d into *out: the first rule that matches its text (a
 * mededeling that matches none is noted); -1 when out of memory. */
int qy_stager_detect(const qy_stager *st, const qy_decision *d,
                     qy_stage *out);
/* The stage of text s[0..len) and the table line of the rule that gave
 * it (*line 0: no rule matched; QY_LINE_NOMEM: out of memory). */
#define QY_LINE_NOMEM 0xFFFFFFFFu
qy_stage qy_stager_text(const qy_stager *st, const char *s, size_t len,
                        unsigned *line);
/* Rules in the table, and rule i's test sentence, stage and line. */
size_t qy_stager_rules(const qy_stager *st);
const char *qy_stager_example(const qy_stager *st, size_t i, qy_stage *stage,
                              unsigned *line);
/* Is d about a decree (its title names a decreet, not a besluit)?  A
 * decree is complete when ratified, a besluit when finally adopted.
 * 1 yes, 0 no, -1 out of memory. */
int qy_is_decree(const qy_decision *d);

typedef enum qy_verdict {
    QY_DONE,               /* uitgevoerd                                   */
    QY_IN_PROGRESS,        /* in uitvoering                                */
    QY_NONE,               /* geen beslissing gevonden                     */
    QY_UNCHECKABLE,        /* niet toetsbaar: no checkable commitment      */
    QY_NVERDICTS
} qy_verdict;
const char *qy_verdict_name(qy_verdict v);

/* What evaluate knows of every decision before it looks at a section:
 * its stage and kind, read once per snapshot. */
typedef struct qy_docinfo {
    unsigned char stage;   /* qy_stage                                     */
    unsigned char decree;  /* qy_is_decree                                 */
    unsigned char mededeling, undated;
    unsigned acts;         /* kinds of act its title names (query/act-words.tsv) */
} qy_docinfo;

/* The act table (query/act-words.tsv): kinds of act a sentence promises and
 * the words a decision's title uses for them. */
typedef struct qy_acts qy_acts;
xs_status qy_acts_new(qy_acts **out, xs_err *err);
void qy_acts_free(qy_acts *a);
/* *mask: bit i set when text s[0..len) has a word of act i, on the
 * sentence side (title 0) or the title side (title 1).  0, or -1 when out
 * of memory. */
int qy_acts_of(const qy_acts *a, const char *s, size_t len, int title,
               unsigned *mask);

/* Everything evaluate needs besides a section, made once and shared
 * read-only by every section (and thread): the stage rules, the two
 * models, the per-decision table, the corpus date range. */
typedef struct qy_evaluator {
    qy_stager *stager;
    qy_acts *acts;
    qy_models models;
    qy_docinfo *info;      /* by docid (snapshot tables->n entries)        */
    size_t ninfo;
    char first[11], last[11];  /* corpus date range                        */
    size_t undated;        /* decisions without a date                     */
} qy_evaluator;

/* Needs s->tables loaded.  Errors: a bad built-in or $AKKOORD_MODELS
 * model (XS_INVALID, XS_IO), reading the index. */
xs_status qy_evaluator_new(const ix_snapshot *s, qy_evaluator **out,
                           xs_err *err);
void qy_evaluator_free(qy_evaluator *ev);

typedef struct qy_cite {
    size_t ref;            /* index into qy_report.refs                    */
    double strength;       /* P(direct) from the evidence model            */
    char *excerpt;         /* verbatim from the decision text, or NULL     */
    char *why;             /* the commitment's words the decision has      */
    int sibling;           /* cited as a stage of a cited dossier          */
} qy_cite;

typedef struct qy_item {
    char *text;            /* the sentence                                 */
    qy_verdict verdict;
    double checkable;      /* P(checkable commitment)                      */
    qy_stage furthest;     /* furthest stage among its evidence's dossiers */
    qy_cite *cites;        /* direct evidence                              */
    size_t ncites;
    qy_cite *related;      /* "verwant": related, not evidence             */
    size_t nrelated;
    qy_verdict machine;    /* the verdict evaluate gave                    */
    const struct qy_fix *fix; /* the editor's correction (verdict is then
                              its verdict), or NULL; borrowed             */
} qy_item;

typedef struct qy_ref {
    qy_decision d;
    qy_stage stage;
    char *link;
    size_t dossier;        /* refs with equal dossier are one matter       */
} qy_ref;

typedef struct qy_report {
    qy_analysis a;
    qy_item *items;        /* every sentence, in text order                */
    size_t nitems;
    qy_ref *refs;
    size_t nrefs;
    size_t *related;       /* refs of top-ranked decisions not cited above */
    size_t nrelated;
    size_t ndossiers;
    const char *snapshot;  /* borrowed from the snapshot                   */
    const qy_evaluator *ev;/* borrowed: models and corpus facts (footer)   */
    qy_params params;      /* the parameters it was made with (footer)     */
    const struct qy_fixes *fixes; /* corrections laid over it, or NULL    */
} qy_report;

/* A (commitment, decision) pair weighed by the evidence model. */
typedef struct qy_pair {
    size_t item;           /* the commitment (sentence index)              */
    xs_docid doc;
    double p;              /* P(direct)                                    */
    int cited, related;    /* set by qy_assign                             */
    size_t tag;            /* the caller's, kept with the pair by the sort */
    unsigned order;        /* ix_tables_order of doc: ties (0: by docid)  */
} qy_pair;

#define QY_CITES_MAX 6          /* evidence cited per commitment          */
#define QY_RELATED_PER_ITEM 3   /* "verwant" shown per commitment         */

/* Sort v by P (best first, ties by item then docid) and choose: a
 * decision is cited under the commitments it best carries out (its highest
 * P, and any other within margin of it) when that P reaches threshold, at
 * most QY_CITES_MAX per commitment; other pairs of at least threshold / 2
 * are "verwant", at most QY_RELATED_PER_ITEM per commitment.  Returns -1
 * when out of memory. */
int qy_assign(qy_pair *v, size_t n, size_t nitems, double threshold,
              double margin);
/* Does stage st complete the act (a decree: ratified; anything else:
 * finally adopted or approved)? */
int qy_completes(qy_stage st, int decree);
/* The verdict of a checkable commitment whose evidence is docs[0..n)
 * with P p[]: uitgevoerd when a decision with P at least strong (the
 * evidence model's strong threshold), or another stage of its dossier,
 * completes the act; in uitvoering with evidence short of that; geen
 * beslissing gevonden without.  *furthest: the furthest stage of their
 * dossiers. */
qy_verdict qy_verdict_of(const qy_evaluator *ev, const ix_tables *tb,
                         const xs_docid *docs, const double *p, size_t n,
                         double strong, qy_stage *furthest);

xs_status qy_evaluate(const ix_snapshot *s, const qy_evaluator *ev,
                      const qy_params *p, const char *section_id,
                      qy_report *out, xs_err *err);
void qy_report_release(qy_report *r);

/* ------------------------------------------------------ corrections */

/* Editorial corrections (qy_fix.c): a TSV file, one line per correction
 * "section<TAB>commitment<TAB>verdict<TAB>note<TAB>who<TAB>date"; the
 * commitment is the sentence's text or its start (12 bytes at least). */
enum { QY_FIX_SECTION, QY_FIX_COMMITMENT, QY_FIX_VERDICT, QY_FIX_NOTE,
       QY_FIX_WHO, QY_FIX_DATE };
typedef struct qy_fix {
    char *field[6];        /* by QY_FIX_*, as written                      */
    qy_verdict verdict;
    unsigned line;         /* in the file                                  */
} qy_fix;

typedef struct qy_fixes {
    qy_fix *v;
    size_t n;
    char *path;            /* as given                                     */
    char sha256[65];       /* of the file's bytes                          */
} qy_fixes;

/* Read and check path; XS_INVALID names the line ("fix.tsv:3: unknown
 * verdict 'klaar' ..."), XS_NOT_FOUND / XS_IO the file. */
xs_status qy_fixes_load(const char *path, qy_fixes **out, xs_err *err);
void qy_fixes_free(qy_fixes *fx);
/* Lay the corrections of r's section over r (fx NULL: none): the one
 * sentence each names gets its verdict (machine keeps evaluate's).
 * mark[k] (fx->n entries, the caller's) is set for each correction of
 * the section: QY_FIX_APPLIED, _STALE (no sentence), _AMBIGUOUS (more
 * than one); a correction of a section never seen stays 0. */
enum { QY_FIX_UNSEEN, QY_FIX_APPLIED, QY_FIX_STALE, QY_FIX_AMBIGUOUS };
void qy_fixes_apply(const qy_fixes *fx, qy_report *r, unsigned char *mark);
/* Why a correction with mark was not applied (static); NULL: it was. */
const char *qy_fix_problem(unsigned char mark);

/* ---------------------------------------------------------- overview */

typedef struct qy_overview_row {
    char *id, *chapter, *number, *title, *file;
    size_t v[QY_NVERDICTS];  /* sentences per verdict                     */
} qy_overview_row;

typedef struct qy_overview {
    qy_overview_row *rows;   /* in agreement order                        */
    size_t n;
} qy_overview;

/* Worker side: write r's row as one record line (its report is file). */
int qy_overview_record(FILE *f, const qy_report *r, const char *file);
/* Main side: add a record written by qy_overview_record; XS_CORRUPT if it
 * is not one, XS_NOMEM when out of memory (then ov is unchanged). */
xs_status qy_overview_take(qy_overview *ov, const char *rec, size_t len);
void qy_overview_release(qy_overview *ov);

/* --------------------------------------------------- all sections */

/* A job for one section: write its output to out; return an exit code
 * (0 ok).  Runs in a worker thread with the worker's own snapshot. */
typedef int (*qy_section_job)(const ix_snapshot *s, const char *section_id,
                              FILE *out, void *ctx);
/* Called in agreement order, in the calling thread, with each section's
 * output and code; return non-zero to stop. */
typedef int (*qy_section_done)(void *ctx, const char *section_id,
                               const char *out, size_t len, int rc);

/* Run job for every section of the snapshot on all cores
 * ($AKKOORD_THREADS to override), handing the outputs to done in order.
 * Returns done's last non-zero result, or -1 (err set) on failure, also
 * of a worker outside a job (its snapshot, its output buffer): then done
 * has seen the sections before the first that could not run. */
int qy_each_section(const ix_snapshot *s, qy_section_job job, void *ctx,
                    qy_section_done done, void *dctx, xs_err *err);

/* ------------------------------------------------------ output files */

/* An output file written whole or not at all (qy_file.c): open makes a
 * temporary file beside path (a target that is not a regular file is
 * written in place; a symlink is followed); close with ok flushes, syncs
 * and renames it over path, without ok (or after a write error) removes
 * it.  Errors name path. */
typedef struct qy_file {
    FILE *f;
    const char *shown;   /* path as given, for messages (borrowed)       */
    char *path;          /* the file replaced                            */
    char *tmp;           /* temporary file, or NULL when in place        */
} qy_file;

xs_status qy_file_open(qy_file *o, const char *path, xs_err *err);
xs_status qy_file_close(qy_file *o, int ok, xs_err *err);

/* ---------------------------------------------------- query syntax */

/* The checks of a user query the parser does not make (qy_syntax.c):
 * an unknown field, a field without a value, year:abc, a backwards date
 * range; XS_BAD_QUERY with a message saying which. */
xs_status qy_check_fields(const char *q, xs_err *err);
/* q with each =word (the word as written, not its stem) as the parser's
 * exact:word (malloc'd; NULL when out of memory). */
char *qy_exact_rewrite(const char *q);
/* The parser's complaint why (may be NULL) in plain words (static). */
const char *qy_plain_parse_error(const char *why);

#endif /* QY_INT_H */
