/*
 * ix_build.c -- building a snapshot: corpus records in, Xapian documents
 * out, then an atomic swap into the target directory.
 *
 * Owns: the order of a build (decisions through ix_shard.c, sections,
 * manifest, swap), bad-record accounting and --skip-bad, the agreement's
 * duplicate-id rule.  Documents are made in ix_doc.c.
 * Never: modifies the snapshot at the target in place; leaves the scratch
 * directory behind on a handled failure; prints (warnings go to opts->warn).
 */
#define _GNU_SOURCE
#include "ix.h"
#include "ix-int.h"

#include "../corpus/cp.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Write a section; *dup tells that its id was there already (then
 * nothing is written: a section id twice is a mistake in the file). */
static xs_status put_section(ix_builder *b, const cp_section *sec, int *dup,
                             xs_err *err)
{
    char term[IX_TERM_MAX + 1];
    xs_status st = ix_section_doc(b->doc, sec, err);
    if (!st)
        st = ix_term(IX_F_ID, sec->id.ptr, sec->id.len, term, err);
    *dup = 0;
    if (!st)
        st = xs_writer_has_term(b->w, term, dup, err);
    if (!st && !*dup)
        st = xs_writer_replace(b->w, term, b->doc, err);
    return st;
}

/* A signal asked us to stop (checked per record, and once more before
 * the swap, since merging and the sections can outlast the reading). */
static int interrupted(const ix_builder *b)
{
    return b->o->interrupted && *b->o->interrupted;
}

/* A bad record: fail, or (with --skip-bad) warn, count and go on. */
static xs_status bad_record(ix_builder *b, ix_input *in, const char *msg,
                            xs_err *err)
{
    if (!b->o->skip_bad)
        return xs_err_set(err, XS_INVALID, "%s", msg);
    if (b->o->warn)
        b->o->warn(b->o->ctx, msg);
    return ix_input_note_skipped(in, msg, err);
}

/* A record that ix_*_check refused becomes a bad record naming FILE:LINE
 * (the reader has just returned it). */
static xs_status record_failed(ix_builder *b, ix_input *in, cp_reader *r,
                               xs_err *err)
{
    if (err->code != XS_INVALID)
        return err->code;
    char *msg = ix_strfmt("%s:%lu: %s", in->path, cp_reader_line(r),
                          err->msg ? err->msg : "invalid record");
    if (!msg)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_err_clear(err);
    xs_status st = bad_record(b, in, msg, err);
    free(msg);
    return st;
}

static xs_status reader_failed(ix_builder *b, ix_input *in, cp_reader *r,
                               cp_status cs, xs_err *err)
{
    if (cs == CP_BAD)
        return bad_record(b, in, cp_reader_error(r), err);
    if (cs == CP_NOMEM)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    return xs_err_set(err, XS_IO, "%s", cp_reader_error(r));
}

static xs_status read_decisions(ix_builder *b, ix_input *in,
                                cp_reader *r, xs_err *err)
{
    cp_decision d;
    cp_status cs;
    xs_status st = XS_OK;
    while (!st && (cs = cp_reader_next_decision(r, &d)) != CP_EOF) {
        if (interrupted(b))
            return xs_err_set(err, XS_ERROR, "interrupted");
        if (cs != CP_OK) {
            st = reader_failed(b, in, r, cs, err);
            continue;
        }
        if (ix_decision_check(&d, err)) {
            st = record_failed(b, in, r, err);
            continue;
        }
        /* an error now is not this record's: the batch written here
         * holds many */
        in->records++;
        st = ix_shards_add(b, &d, in, err);
        ix_progress(b, r, in);
    }
    return st;
}

static xs_status dup_section(const ix_input *in, const cp_reader *r,
                              const cp_section *s, xs_err *err)
{
    char *id = cp_msg_escape(s->id.ptr, s->id.len, s->id.len);
    xs_status st = id ? xs_err_set(err, XS_INVALID,
                                   "%s:%lu: duplicate section id '%s'",
                                   in->path, cp_reader_line(r), id)
                      : xs_err_set(err, XS_NOMEM, "out of memory");
    free(id);
    return st;
}

static xs_status read_sections(ix_builder *b, ix_input *in,
                               cp_reader *r, xs_err *err)
{
    cp_section s;
    cp_status cs;
    xs_status st = XS_OK;
    while (!st && (cs = cp_reader_next_section(r, &s)) != CP_EOF) {
        if (interrupted(b))
            return xs_err_set(err, XS_ERROR, "interrupted");
        if (cs != CP_OK) {
            st = reader_failed(b, in, r, cs, err);
            continue;
        }
        if (ix_section_check(&s, err)) {
            st = record_failed(b, in, r, err);
            continue;
        }
        in->records++;
        int dup = 0;
        st = put_section(b, &s, &dup, err);
        if (dup)
            return dup_section(in, r, &s, err);
    }
    return st;
}

/* Read one input file into w; role is "decisions" or "agreement". */
static xs_status index_file(ix_builder *b, const char *path,
                            const char *role, xs_err *err)
{
    ix_input *in = NULL;
    cp_reader *r = NULL;
    char *msg = NULL;
    xs_status st = ix_input_new(b, path, role, &in, err);
    if (st)
        goto done;
    cp_status cs = cp_reader_open(path, &r, &msg);
    if (cs != CP_OK) {
        st = xs_err_set(err, cs == CP_NOMEM ? XS_NOMEM : XS_IO, "%s",
                        msg ? msg : path);
        goto done;
    }
    st = !strcmp(role, "agreement") ? read_sections(b, in, r, err)
                                    : read_decisions(b, in, r, err);
    if (!st)
        st = ix_input_note_read(in, r, err);
    if (!st && strcmp(role, "agreement"))
        in->format = cp_reader_format(r);
    if (!st && in->records == 0)
        st = xs_err_set(err, XS_INVALID, "%s: no records", path);
done:
    if (r && in)
        ix_progress_end(b, r, in);
    cp_reader_close(r);
    free(msg);
    return st;
}

xs_status ix_write_meta(xs_writer *w, const char *role, xs_err *err)
{
    xs_status st = xs_writer_set_metadata(w, "akkoord.format", IX_FORMAT, err);
    if (!st)
        st = xs_writer_set_metadata(w, "akkoord.stemmer", xs_stem_name(), err);
    if (!st)
        st = xs_writer_set_metadata(w, "akkoord.version", AK_VERSION, err);
    if (!st)
        st = xs_writer_set_metadata(w, "akkoord.role", role, err);
    return st;
}

static int note_date(void *ctx, const char *v, size_t len, unsigned zero)
{
    (void)zero;
    ix_builder *b = ctx;
    if (len != 8)
        return 0;
    char d[11];
    snprintf(d, sizeof d, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
    if (!b->date_min[0] || strcmp(d, b->date_min) < 0)
        memcpy(b->date_min, d, sizeof d);
    if (!b->date_max[0] || strcmp(d, b->date_max) > 0)
        memcpy(b->date_max, d, sizeof d);
    b->dated++;
    return 0;
}

/* The date range of the decisions as indexed (after duplicates were
 * replaced), from the date value slot of the finished database. */
static xs_status read_dates(ix_builder *b, const char *path, xs_err *err)
{
    xs_db *db = NULL;
    xs_status st = xs_db_open(path, &db, err);
    if (!st)
        st = xs_db_each_value(db, IX_SLOT_DATE, note_date, b, err);
    if (!st)
        b->undated = xs_db_doccount(db) - b->dated;
    if (!st)
        st = xs_db_error(db, err);
    xs_db_close(db);
    return st;
}

/* Read, write and commit the decisions, and start merging the shards
 * into dst (see finish_decisions). */
static xs_status write_decisions(ix_builder *b, const char *dst, xs_err *err)
{
    xs_status st = ix_shards_open(b, err);
    for (size_t i = 0; !st && i < b->o->ncorpus; i++)
        st = index_file(b, b->o->corpus[i], "decisions", err);
    if (!st)
        st = ix_shards_close(b, err);
    if (!st)
        st = ix_shards_merge_begin(b, dst, err);
    return st;
}

/* Wait for the merge into dst and read the date range. */
static xs_status finish_decisions(ix_builder *b, const char *dst, xs_err *err)
{
    xs_status st = ix_shards_merge_end(b, err);
    if (!st)
        st = read_dates(b, dst, err);
    return st;
}

static xs_status write_sections(ix_builder *b, xs_err *err)
{
    char *path = ix_strfmt("%s/sections", b->tmp);
    if (!path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_writer_open(path, 0, &b->w, err);
    if (!st && b->o->agreement)
        st = index_file(b, b->o->agreement, "agreement", err);
    if (!st)
        st = ix_write_meta(b->w, "sections", err);
    if (!st)
        st = xs_writer_commit(b->w, err);
    xs_writer_close(b->w);
    b->w = NULL;
    free(path);
    return st;
}

/* The sections are written while the decision shards merge; an error in
 * the decisions is reported first, as if they had been written first. */
static xs_status build_into_tmp(ix_builder *b, xs_err *err)
{
    char *dst = ix_strfmt("%s/decisions", b->tmp);
    if (!dst)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = write_decisions(b, dst, err);
    if (!st) {
        xs_err serr = {0};
        xs_status sst = write_sections(b, &serr);
        st = finish_decisions(b, dst, err);
        if (!st && sst)
            st = xs_err_set(err, sst, "%s",
                            serr.msg ? serr.msg : xs_status_str(sst));
        xs_err_clear(&serr);
    }
    if (!st)
        st = ix_manifest_write(b, err);
    free(dst);
    return st;
}

xs_status ix_build(const ix_build_opts *opts, ix_build_result *res,
                   xs_err *err)
{
    ix_builder b = {.o = opts, .lock_fd = -1, .t_begin = ix_now()};
    xs_status st = xs_stem_new(&b.stem, err);
    if (!st)
        st = xs_doc_new(b.stem, &b.doc, err);
    if (!st)
        st = ix_fs_begin(&b, err);
    if (!st)
        st = build_into_tmp(&b, err);
    if (!st && interrupted(&b))
        st = xs_err_set(err, XS_ERROR, "interrupted");
    if (!st)
        st = ix_fs_commit(&b, err);
    if (!st) {
        res->decisions = b.decisions;
        res->sections = b.sections;
        res->skipped = b.skipped;
        res->duplicates = b.duplicates;
        res->seconds = ix_now() - b.t_begin;
    }
    ix_shards_free(b.shards);      /* writers closed before the scratch
                                      directory goes */
    ix_fs_end(&b);
    ix_build_release(&b);
    xs_doc_free(b.doc);
    xs_stem_free(b.stem);
    return st;
}
