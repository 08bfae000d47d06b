/*
 * ix_build.c -- building a snapshot: corpus records in, Xapian documents
 * out, then an atomic swap into the target directory.
 *
 * Owns: the mapping from cp_decision/cp_section to terms, values and data
 * (the tables in ix.h), bad-record and duplicate accounting, the build
 * lock, the scratch directory beside the target and the final swap.
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

/* Build the "Q<id>"-style term prefix+s into buf (malloc'd, caller frees). */
static char *make_term(const char *prefix, const char *s, size_t len,
                       int lower)
{
    size_t pl = strlen(prefix);
    char *t = malloc(pl + len + 1);
    if (!t)
        return NULL;
    memcpy(t, prefix, pl);
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        t[pl + i] = (lower && c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
    t[pl + len] = '\0';
    return t;
}

static xs_status add_bool_term(xs_doc *doc, const char *prefix, cp_str s,
                               int lower, xs_err *err)
{
    if (!s.ptr || !s.len)
        return XS_OK;
    char *t = make_term(prefix, s.ptr, s.len, lower);
    if (!t)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_doc_add_term(doc, t, 0, err);
    free(t);
    return st;
}

/* Index title (weighted, and under the title prefix) and text. */
static xs_status index_fields(xs_doc *doc, cp_str title, cp_str text,
                              xs_err *err)
{
    xs_status st = XS_OK;
    if (title.ptr && title.len) {
        st = xs_doc_index_text(doc, title.ptr, title.len, IX_TITLE_WDF, "",
                               err);
        if (!st) {
            xs_doc_gap(doc, 100);
            st = xs_doc_index_text(doc, title.ptr, title.len, 1, "S", err);
        }
        xs_doc_gap(doc, 100);
    }
    if (!st && text.ptr && text.len)
        st = xs_doc_index_text(doc, text.ptr, text.len, 1, "", err);
    return st;
}

static xs_status set_data(xs_doc *doc, const ix_field *f, size_t n,
                          xs_err *err)
{
    char *data;
    size_t len;
    xs_status st = ix_data_encode(f, n, &data, &len, err);
    if (st)
        return st;
    st = xs_doc_set_data(doc, data, len, err);
    free(data);
    return st;
}

#define F(s) ((ix_field){(s).ptr, (s).ptr ? (s).len : 0})

static xs_status decision_doc(xs_doc *doc, const cp_decision *d, xs_err *err)
{
    xs_doc_clear(doc);
    xs_status st = index_fields(doc, d->title, d->text, err);
    if (!st)
        st = add_bool_term(doc, "K", d->kind, 1, err);
    if (!st && d->year) {
        char y[16];
        int n = snprintf(y, sizeof y, "%d", d->year);
        st = add_bool_term(doc, "Y", (cp_str){y, (size_t)n}, 0, err);
    }
    if (!st && d->date.ptr) {
        char v[8] = {d->date.ptr[0], d->date.ptr[1], d->date.ptr[2],
                     d->date.ptr[3], d->date.ptr[5], d->date.ptr[6],
                     d->date.ptr[8], d->date.ptr[9]};
        st = xs_doc_set_value(doc, IX_SLOT_DATE, v, 8, err);
    }
    if (!st) {
        ix_field f[IX_DEC_NFIELDS] = {F(d->id), F(d->date), F(d->kind),
                                      F(d->title), F(d->url), F(d->text)};
        st = set_data(doc, f, IX_DEC_NFIELDS, err);
    }
    return st;
}

static xs_status section_doc(xs_doc *doc, const cp_section *s, xs_err *err)
{
    xs_doc_clear(doc);
    xs_status st = index_fields(doc, s->title, s->text, err);
    if (!st) {
        const char *slash = memchr(s->id.ptr, '/', s->id.len);
        size_t n = slash ? (size_t)(slash - s->id.ptr) : s->id.len;
        st = add_bool_term(doc, "C", (cp_str){s->id.ptr, n}, 1, err);
    }
    if (!st) {
        ix_field f[IX_SEC_NFIELDS] = {F(s->id), F(s->chapter), F(s->number),
                                      F(s->title), F(s->path), F(s->text)};
        st = set_data(doc, f, IX_SEC_NFIELDS, err);
    }
    return st;
}

/* The document slot the next record is built in. */
static xs_status next_doc(ix_builder *b, xs_doc **out, xs_err *err)
{
    if (!b->batch[b->nbatch]) {
        xs_status st = xs_doc_new(b->stem, &b->batch[b->nbatch], err);
        if (st)
            return st;
    }
    *out = b->batch[b->nbatch];
    return XS_OK;
}

/* Write the waiting documents: learn their vocabulary, add the parts of
 * their compounds, then add or replace each under its unique id term
 * (counting a duplicate when the id was there: the last record wins). */
static xs_status flush_batch(ix_builder *b, xs_err *err)
{
    xs_status st = XS_OK;
    for (size_t i = 0; !st && b->split && i < b->nbatch; i++)
        st = xs_vocab_learn(b->vocab, b->batch[i], err);
    if (b->split)
        xs_splitter_reset(b->splitter);   /* the vocabulary grew */
    for (size_t i = 0; !st && b->split && i < b->nbatch; i++)
        st = xs_doc_add_splits(b->batch[i], b->splitter, err);
    for (size_t i = 0; !st && i < b->nbatch; i++) {
        int dup = xs_writer_has_term(b->w, b->batch_id[i]);
        st = xs_writer_replace(b->w, b->batch_id[i], b->batch[i], err);
        if (!st && dup)
            st = ix_input_note_duplicate(b->batch_in[i], b->batch_id[i] + 1,
                                         err);
    }
    for (size_t i = 0; i < b->nbatch; i++) {
        free(b->batch_id[i]);
        b->batch_id[i] = NULL;
    }
    b->nbatch = 0;
    return st;
}

/* Queue the document just built under id; write the batch when full. */
static xs_status put_doc(ix_builder *b, cp_str id, ix_input *in, xs_err *err)
{
    if (id.len > 200)
        return xs_err_set(err, XS_INVALID, "id longer than 200 bytes");
    char *term = make_term("Q", id.ptr, id.len, 0);
    if (!term)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_doc_add_term(b->batch[b->nbatch], term, 0, err);
    if (!st)
        st = xs_doc_set_value(b->batch[b->nbatch], IX_SLOT_ID, id.ptr, id.len,
                              err);
    if (st) {
        free(term);
        return st;
    }
    b->batch_id[b->nbatch] = term;
    b->batch_in[b->nbatch++] = in;
    return b->nbatch < b->batch_max ? XS_OK : flush_batch(b, err);
}

static void note_date(ix_builder *b, const cp_decision *d)
{
    if (!d->date.ptr) {
        b->undated++;
        return;
    }
    if (!b->date_min[0] || memcmp(d->date.ptr, b->date_min, 10) < 0)
        memcpy(b->date_min, d->date.ptr, 10);
    if (!b->date_max[0] || memcmp(d->date.ptr, b->date_max, 10) > 0)
        memcpy(b->date_max, d->date.ptr, 10);
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

/* Per-record wrapper: a record-level xs error (e.g. id too long) becomes
 * a bad record naming FILE:LINE. */
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
        if (b->o->interrupted && *b->o->interrupted)
            return xs_err_set(err, XS_ERROR, "interrupted");
        if (cs != CP_OK) {
            st = reader_failed(b, in, r, cs, err);
            continue;
        }
        in->records++;
        xs_doc *doc = NULL;
        st = next_doc(b, &doc, err);
        if (!st)
            st = decision_doc(doc, &d, err);
        if (!st)
            st = put_doc(b, d.id, in, err);
        if (st)
            st = record_failed(b, in, r, err);
        else
            note_date(b, &d);
        ix_progress(b, r, in);
    }
    return st;
}

static xs_status read_sections(ix_builder *b, ix_input *in,
                               cp_reader *r, xs_err *err)
{
    cp_section s;
    cp_status cs;
    xs_status st = XS_OK;
    while (!st && (cs = cp_reader_next_section(r, &s)) != CP_EOF) {
        if (b->o->interrupted && *b->o->interrupted)
            return xs_err_set(err, XS_ERROR, "interrupted");
        if (cs != CP_OK) {
            st = reader_failed(b, in, r, cs, err);
            continue;
        }
        in->records++;
        xs_doc *doc = NULL;
        st = next_doc(b, &doc, err);
        if (!st)
            st = section_doc(doc, &s, err);
        if (!st)
            st = put_doc(b, s.id, in, err);
        if (!st && in->duplicates) {
            /* a section id twice is a mistake in the agreement file */
            char *id = ix_strfmt("%.*s", (int)s.id.len, s.id.ptr);
            st = xs_err_set(err, XS_INVALID, "%s:%lu: duplicate section id '%s'",
                            in->path, cp_reader_line(r), id ? id : "");
            free(id);
            return st;
        }
        if (st)
            st = record_failed(b, in, r, err);
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
    if (cp_reader_open(path, &r, &msg) != CP_OK) {
        st = xs_err_set(err, XS_IO, "%s", msg ? msg : path);
        goto done;
    }
    st = !strcmp(role, "agreement") ? read_sections(b, in, r, err)
                                    : read_decisions(b, in, r, err);
    if (!st && in->records == 0)
        st = xs_err_set(err, XS_INVALID, "%s: no records", path);
done:
    if (r && in)
        ix_progress_end(b, r, in);
    cp_reader_close(r);
    free(msg);
    return st;
}

static xs_status write_meta(xs_writer *w, const char *role, xs_err *err)
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

/* Write database `name` of the snapshot from the files of one role. */
static xs_status write_db(ix_builder *b, const char *name, const char *role,
                          const char *const *paths, size_t n, xs_err *err)
{
    char *path = ix_strfmt("%s/%s", b->tmp, name);
    if (!path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    b->split = !strcmp(name, "decisions") && !b->o->no_split;
    b->batch_max = b->split ? IX_BATCH : 1;
    xs_status st = xs_writer_open(path, XS_WRITER_FRESH, &b->w, err);
    for (size_t i = 0; !st && i < n; i++)
        st = index_file(b, paths[i], role, err);
    if (!st)
        st = flush_batch(b, err);
    if (!st)
        st = write_meta(b->w, name, err);
    if (!st)
        st = xs_writer_commit(b->w, err);
    xs_writer_close(b->w);
    b->w = NULL;
    free(path);
    return st;
}

static xs_status build_into_tmp(ix_builder *b, xs_err *err)
{
    const ix_build_opts *o = b->o;
    xs_status st = write_db(b, "decisions", "decisions", o->corpus,
                            o->ncorpus, err);
    const char *agr[1] = {o->agreement};
    if (!st)
        st = write_db(b, "sections", "agreement", agr, o->agreement ? 1 : 0,
                      err);
    if (!st)
        st = ix_manifest_write(b, err);
    return st;
}

xs_status ix_build(const ix_build_opts *opts, ix_build_result *res,
                   xs_err *err)
{
    ix_builder b = {.o = opts, .lock_fd = -1, .t_begin = ix_now()};
    xs_status st = xs_stem_new(&b.stem, err);
    if (!st)
        st = xs_vocab_new(&b.vocab, err);
    if (!st)
        st = xs_splitter_new(b.stem, xs_vocab_df, b.vocab, &b.splitter, err);
    if (!st)
        st = ix_fs_begin(&b, err);
    if (!st)
        st = build_into_tmp(&b, err);
    if (!st)
        st = ix_fs_commit(&b, err);
    if (!st) {
        res->decisions = b.decisions;
        res->sections = b.sections;
        res->skipped = b.skipped;
        res->duplicates = b.duplicates;
        res->seconds = ix_now() - b.t_begin;
    }
    ix_fs_end(&b);
    ix_build_release(&b);
    for (size_t i = 0; i < IX_BATCH; i++) {
        xs_doc_free(b.batch[i]);
        free(b.batch_id[i]);
    }
    xs_splitter_free(b.splitter);
    xs_vocab_free(b.vocab);
    xs_stem_free(b.stem);
    return st;
}
