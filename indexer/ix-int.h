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
    const char *format;          /* cp_reader_format (static), or NULL   */
    char sha256[65];             /* of the bytes read (ix_input_note_read) */
    unsigned long long bytes;    /* how many were read                   */
    unsigned long records;       /* valid records read                   */
    unsigned long skipped;       /* bad records skipped                  */
    unsigned long duplicates;    /* records whose id was seen before     */
    unsigned long merged;        /* ... from the other source: merged    */
    json_t *skipped_list;        /* first IX_LIST_MAX messages           */
    json_t *duplicate_list;      /* first IX_LIST_MAX ids                */
} ix_input;

/* Marker files (ix_fs.c).  A snapshot holds IX_SNAPSHOT_MARKER:
 * "akkoord snapshot\nformat F\nsnapshot ID\n", ID that of its manifest; a
 * scratch directory holds IX_SCRATCH_MARKER: its own name and "\n". */
#define IX_SNAPSHOT_MARKER "akkoord-snapshot"
#define IX_MARKER_SINCE "5"    /* the first IX_FORMAT with a marker */
#define IX_SCRATCH_MARKER "akkoord-scratch"

#define IX_LIST_MAX 1000
#define IX_BATCH 2048      /* decisions tokenized before they are written */

typedef struct ix_shards ix_shards;

typedef struct ix_builder {
    const ix_build_opts *o;
    xs_stem *stem;
    xs_doc *doc;                 /* the section being made               */
    xs_writer *w;                /* the sections database                */
    ix_shards *shards;           /* the decisions, on all cores          */
    ix_input **inputs;           /* owned, in reading order              */
    size_t ninputs;
    char *target;                /* opts->out_dir without trailing '/'   */
    char *tmp;                   /* scratch directory beside target      */
    char *lock_path;
    int lock_fd;
    unsigned long decisions, sections, skipped, duplicates, merged, undated,
        dated;
    char date_min[11], date_max[11];
    double t_begin, t_start, t_progress;
} ix_builder;

/* printf into a malloc'd string (NULL on failure). */
char *ix_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Inputs (ix_manifest.c): register a file, note what was read of it
 * (the sha256 and length of the bytes r read, once r is at CP_EOF; XS_IO
 * if it is not), a skipped record or a duplicate id, write manifest.json
 * into b->tmp. */
xs_status ix_input_new(ix_builder *b, const char *path, const char *role,
                       ix_input **out, xs_err *err);
xs_status ix_input_note_read(ix_input *in, const cp_reader *r, xs_err *err);
xs_status ix_input_note_skipped(ix_input *in, const char *msg, xs_err *err);
xs_status ix_input_note_duplicate(ix_input *in, const char *id, xs_err *err);
void ix_input_note_merged(ix_input *in);
xs_status ix_manifest_write(ix_builder *b, xs_err *err);
void ix_build_release(ix_builder *b);
/* The snapshot id of manifest m (ix_manifest.c): sha256 (hex) of its
 * canonical dump without "snapshot", "built", "files" and the input
 * paths.  Returns 0, or -1 on allocation failure. */
int ix_manifest_id(const json_t *m, char hex[65]);

/* The files table (ix_files.c): "files" of the snapshot in dir, a new
 * object (the caller's) of every file's bytes and crc32; and the check of
 * the snapshot open at dfd (named dir in messages) against it: XS_CORRUPT
 * for a file changed, cut or not a file, or a bad table; XS_NOT_FOUND for
 * a file missing; XS_IO when one cannot be read. */
xs_status ix_files_json(const char *dir, json_t **out, xs_err *err);
xs_status ix_files_check(int dfd, const char *dir, const json_t *files,
                         xs_err *err);

/* Progress (ix_manifest.c): rate-limited calls of opts->progress. */
void ix_progress(ix_builder *b, const cp_reader *r, const ix_input *in);
void ix_progress_end(ix_builder *b, const cp_reader *r, const ix_input *in);

/* Files (ix_fs.c): take the target's lock and make the scratch directory;
 * swap the finished scratch directory into place; remove what is left. */
xs_status ix_fs_begin(ix_builder *b, xs_err *err);
xs_status ix_fs_commit(ix_builder *b, xs_err *err);
void ix_fs_end(ix_builder *b);

double ix_now(void);

/* Documents (ix_doc.c): check that a record's fields fit the terms they
 * become (XS_INVALID "field 'kind' is longer than 244 bytes", from
 * ix_term_check: id and kind), so that a build can name the record's line;
 * fill doc from a record (clearing it first, checking it the same way),
 * with its unique "Q" term; a decision's doc keeps the words of its title
 * and text for the spelling table (xs_writer_add_spelling). */
xs_status ix_decision_check(const cp_decision *d, xs_err *err);
xs_status ix_section_check(const cp_section *s, xs_err *err);
xs_status ix_decision_doc(xs_doc *doc, const cp_decision *d, xs_err *err);
xs_status ix_section_doc(xs_doc *doc, const cp_section *s, xs_err *err);
/* The sources field of the document data for enum cp_source bits
 * (static): "extract", "valvas" or "extract+valvas". */
const char *ix_sources_name(unsigned source);

/* Merging (ix_merge.c).  The decision stored as data[0..len) (document
 * data of a decision, ix.h) into d, whose strings borrow data; XS_CORRUPT
 * when it is not.  Then the record nw that meets the stored old (same
 * id): *out = nw when nw's sources include old's (a later record of the
 * same source replaces the earlier, as before), else the two merged field
 * by field by the rule of ix_merge.c; returns 1 when merged, 0 when
 * replaced.  out borrows from old and nw. */
xs_status ix_decision_from_data(const char *data, size_t len, cp_decision *d,
                                xs_err *err);
int ix_decision_merge(const cp_decision *old, const cp_decision *nw,
                      cp_decision *out);
/* The merge rule as a new object for manifest.json, {field: "valvas" |
 * "extract" | "longer"}; NULL when out of memory. */
json_t *ix_merge_rule_json(void);

/* The akkoord.* metadata of a database of this role. */
xs_status ix_write_meta(xs_writer *w, const char *role, xs_err *err);

/* Decisions (ix_shard.c): open the shard writers in b->tmp, queue a
 * record (copied), write what is queued; close writes the last batch and
 * commits every shard (on all cores).  The merge into the single-file
 * database dst runs in a thread of its own between merge_begin and
 * merge_end, so that the caller can work meanwhile.  ix_shards_free
 * accepts NULL, and waits for a merge still running. */
xs_status ix_shards_open(ix_builder *b, xs_err *err);
xs_status ix_shards_add(ix_builder *b, const cp_decision *d, ix_input *in,
                        xs_err *err);
xs_status ix_shards_close(ix_builder *b, xs_err *err);
xs_status ix_shards_merge_begin(ix_builder *b, const char *dst, xs_err *err);
xs_status ix_shards_merge_end(ix_builder *b, xs_err *err);
void ix_shards_free(ix_shards *sh);

/* Remove a directory tree (ix_fs.c); errors ignored. */
void ix_remove_tree(const char *path);

#endif /* IX_INT_H */
