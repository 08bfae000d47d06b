/*
 * ix-int.h -- private to indexer/: the state of one build.
 *
 * Owns: struct ix_builder (shared by ix_build.c, ix_manifest.c, ix_fs.c) and
 * the per-input accounting that ends up in manifest.json.
 * Never: included outside indexer/.
 */
#ifndef IX_INT_H
#define IX_INT_H

#include "ix.h"

#include "../corpus/cp.h"

#include <jansson.h>

/* One input file as the manifest reports it. */
typedef struct ix_input {
    char *path;
    const char *role;            /* "decisions" or "agreement" (static)  */
    char sha256[65];
    unsigned long long bytes;
    unsigned long records;       /* valid records read                   */
    unsigned long skipped;       /* bad records skipped                  */
    unsigned long duplicates;    /* records whose id was seen before     */
    json_t *skipped_list;        /* first IX_LIST_MAX messages           */
    json_t *duplicate_list;      /* first IX_LIST_MAX ids                */
} ix_input;

#define IX_LIST_MAX 1000
#define IX_BATCH 2048      /* documents tokenized before they are written */

typedef struct ix_builder {
    const ix_build_opts *o;
    xs_stem *stem;
    xs_vocab *vocab;             /* for compound splitting ...           */
    xs_splitter *splitter;       /* ... over that vocabulary             */
    xs_writer *w;                /* the database being written           */
    int split;                   /* add compound parts to documents      */
    size_t batch_max;            /* IX_BATCH, or 1 for sections          */
    xs_doc *batch[IX_BATCH];     /* documents waiting to be written ...  */
    ix_input *batch_in[IX_BATCH];/* ... the input each came from ...     */
    char *batch_id[IX_BATCH];    /* ... and its unique term "Q<id>"      */
    size_t nbatch;
    ix_input **inputs;           /* owned, in reading order              */
    size_t ninputs;
    char *target;                /* opts->out_dir without trailing '/'   */
    char *tmp;                   /* scratch directory beside target      */
    char *lock_path;
    int lock_fd;
    unsigned long decisions, sections, skipped, duplicates, undated;
    char date_min[11], date_max[11];
    double t_begin, t_start, t_progress;
} ix_builder;

/* printf into a malloc'd string (NULL on failure). */
char *ix_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Inputs (ix_manifest.c): register a file (computes its sha256), note a
 * skipped record or a duplicate id, write manifest.json into b->tmp. */
xs_status ix_input_new(ix_builder *b, const char *path, const char *role,
                       ix_input **out, xs_err *err);
xs_status ix_input_note_skipped(ix_input *in, const char *msg, xs_err *err);
xs_status ix_input_note_duplicate(ix_input *in, const char *id, xs_err *err);
xs_status ix_manifest_write(ix_builder *b, xs_err *err);
void ix_build_release(ix_builder *b);

/* Progress (ix_manifest.c): rate-limited calls of opts->progress. */
void ix_progress(ix_builder *b, const cp_reader *r, const ix_input *in);
void ix_progress_end(ix_builder *b, const cp_reader *r, const ix_input *in);

/* Files (ix_fs.c): take the target's lock and make the scratch directory;
 * swap the finished scratch directory into place; remove what is left. */
xs_status ix_fs_begin(ix_builder *b, xs_err *err);
xs_status ix_fs_commit(ix_builder *b, xs_err *err);
void ix_fs_end(ix_builder *b);

double ix_now(void);

#endif /* IX_INT_H */
