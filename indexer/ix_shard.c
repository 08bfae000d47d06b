/*
 * ix_shard.c -- writing the decisions on both cores.
 *
 * Owns: batches of decisions copied out of the reader, split over
 * IX_SHARDS shards by a hash of their id (so a duplicate id always meets
 * its earlier record in the same shard: the last one wins), tokenized and
 * written by one thread per shard, and the final merge of the shards into
 * one compact single-file database (Xapian compaction).
 * Never: lets the machine change the snapshot: the shard count is fixed,
 * the vocabulary for compound splitting is complete for a batch before
 * any of it is split (each worker counts its own documents in the first
 * phase, the splitter adds the counts up in the second), and duplicates
 * are counted in record order.
 */
#include "ix-int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define IX_SHARDS 2
/* Flush a shard to disk every this many documents: Xapian's in-memory
 * changes get slower to merge as they grow (measured with bench/scale:
 * 100k decisions in 58 s at 2500, 119 s at Xapian's default 10000). */
#define IX_FLUSH_EVERY 2500

typedef struct slot {
    cp_decision d;          /* fields point into buf                      */
    char *buf;
    size_t cap;
    ix_input *in;
    unsigned shard;
    int dup;                /* replaced an earlier record with its id     */
    int merged;             /* ... of the other source: merged with it    */
} slot;

typedef enum phase {
    PH_TOKENIZE,            /* make the documents, count their words      */
    PH_WRITE,               /* split compounds, write                     */
    PH_CLOSE                /* commit, close, free the documents          */
} phase;

typedef struct worker {
    ix_shards *sh;
    unsigned k;
    xs_stem *stem;          /* per thread: stemmers memoise               */
    xs_splitter *split;
    xs_vocab *vocab;        /* word counts of this shard's documents      */
    xs_writer *w;
    xs_doc *docs[IX_BATCH]; /* docs[i] is slot i's document (own slots)   */
    phase ph;
    pthread_t th;
    int running;            /* th was started and is not joined yet       */
    unsigned unflushed;     /* documents since the last flush             */
    xs_status st;
    xs_err err;
} worker;

struct ix_shards {
    slot slots[IX_BATCH];
    size_t n;
    int split;
    worker w[IX_SHARDS];
    char *paths[IX_SHARDS];
    char *dst;              /* merge target while merging                 */
    pthread_t merge_th;
    int merging;            /* merge_th was started and is not joined yet */
    xs_status merge_st;
    xs_err merge_err;
};

/* FNV-1a: a stable hash, so the same id lands in the same shard. */
static unsigned shard_of(cp_str id)
{
    unsigned h = 2166136261u;
    for (size_t i = 0; i < id.len; i++)
        h = (h ^ (unsigned char)id.ptr[i]) * 16777619u;
    return h % IX_SHARDS;
}

/* Copy field s into the slot buffer at *pos. */
static cp_str copy_str(slot *sl, size_t *pos, cp_str s)
{
    if (!s.ptr)
        return s;
    cp_str out = {sl->buf + *pos, s.len};
    memcpy(sl->buf + *pos, s.ptr, s.len);
    sl->buf[*pos + s.len] = '\0';
    *pos += s.len + 1;
    return out;
}

/* The text fields of a decision, for copying them all. */
static cp_str *const *str_fields(cp_decision *d, cp_str *out[12])
{
    cp_str *f[12] = {&d->id, &d->date, &d->kind, &d->title, &d->text,
                     &d->url, &d->uri, &d->meeting, &d->position,
                     &d->alt_title, &d->ministers, &d->themes};
    memcpy(out, f, sizeof f);
    return out;
}

static int slot_fill(slot *sl, const cp_decision *d)
{
    cp_decision src = *d;
    cp_str *from[12], *to[12];
    str_fields(&src, from);
    size_t need = 0;
    for (size_t i = 0; i < 12; i++)
        need += from[i]->len + 1;
    if (need > sl->cap) {
        char *buf = realloc(sl->buf, need);
        if (!buf)
            return -1;
        sl->buf = buf;
        sl->cap = need;
    }
    size_t pos = 0;
    sl->d = *d;
    str_fields(&sl->d, to);
    for (size_t i = 0; i < 12; i++)
        *to[i] = copy_str(sl, &pos, *from[i]);
    sl->shard = shard_of(d->id);
    sl->dup = sl->merged = 0;
    return 0;
}

/* ------------------------------------------------------------ phases */

static xs_status tokenize(worker *w)
{
    ix_shards *sh = w->sh;
    for (size_t i = 0; i < sh->n; i++) {
        if (sh->slots[i].shard != w->k)
            continue;
        if (!w->docs[i] && xs_doc_new(w->stem, &w->docs[i], &w->err))
            return w->err.code;
        if (ix_decision_doc(w->docs[i], &sh->slots[i].d, &w->err))
            return w->err.code;
        if (sh->split && xs_vocab_learn(w->vocab, w->docs[i], &w->err))
            return w->err.code;
    }
    return XS_OK;
}

/* The record of sl meets the stored decision with its id (term): when
 * they come from different sources, doc becomes the two merged
 * (ix_merge.c); otherwise doc (sl's record alone) replaces it. */
static xs_status merge_stored(worker *w, slot *sl, xs_doc *doc,
                              const char *term)
{
    char *data = NULL;
    size_t len = 0;
    cp_decision old, both;
    xs_status st = xs_writer_data(w->w, term, &data, &len, &w->err);
    if (!st && data)
        st = ix_decision_from_data(data, len, &old, &w->err);
    if (!st && data && ix_decision_merge(&old, &sl->d, &both)) {
        sl->merged = 1;
        st = ix_decision_doc(doc, &both, &w->err);
    }
    free(data);
    return st;
}

static xs_status write_own(worker *w)
{
    ix_shards *sh = w->sh;
    if (sh->split)
        xs_splitter_reset(w->split);       /* the vocabulary grew */
    for (size_t i = 0; i < sh->n; i++) {
        slot *sl = &sh->slots[i];
        if (sl->shard != w->k)
            continue;
        char term[IX_TERM_MAX + 1];
        xs_status st = ix_term(IX_F_ID, sl->d.id.ptr, sl->d.id.len, term,
                               &w->err);
        if (!st)
            st = xs_writer_has_term(w->w, term, &sl->dup, &w->err);
        if (!st && sl->dup)
            st = merge_stored(w, sl, w->docs[i], term);
        if (!st && sh->split)
            st = xs_doc_add_splits(w->docs[i], w->split, &w->err);
        if (!st)
            st = xs_writer_replace(w->w, term, w->docs[i], &w->err);
        if (!st)
            st = xs_writer_add_spelling(w->w, w->docs[i], &w->err);
        if (!st && ++w->unflushed >= IX_FLUSH_EVERY) {
            st = xs_writer_commit(w->w, &w->err);   /* no fsync: scratch */
            w->unflushed = 0;
        }
        if (st)
            return st;
    }
    return XS_OK;
}

/* Commit and close the shard, and free what only writing needed (in the
 * worker, so that both shards do it at once). */
static xs_status close_own(worker *w)
{
    xs_status st = ix_write_meta(w->w, "decisions", &w->err);
    if (!st)
        st = xs_writer_commit(w->w, &w->err);
    xs_writer_close(w->w);
    w->w = NULL;
    for (size_t i = 0; i < IX_BATCH; i++) {
        xs_doc_free(w->docs[i]);
        w->docs[i] = NULL;
    }
    xs_splitter_free(w->split);
    w->split = NULL;
    return st;
}

static void *run_phase(void *arg)
{
    worker *w = arg;
    if (!w->st)
        w->st = w->ph == PH_TOKENIZE ? tokenize(w)
              : w->ph == PH_WRITE    ? write_own(w)
                                     : close_own(w);
    return NULL;
}

/* Start phase ph on every shard, one thread each (inline if a thread
 * cannot start). */
static void phase_start(ix_shards *sh, phase ph)
{
    for (unsigned k = 0; k < IX_SHARDS; k++) {
        worker *w = &sh->w[k];
        w->ph = ph;
        w->running = pthread_create(&w->th, NULL, run_phase, w) == 0;
        if (!w->running)
            run_phase(w);
    }
}

/* Wait for the phase started last; the first shard's error, if any. */
static xs_status phase_join(ix_shards *sh, xs_err *err)
{
    for (unsigned k = 0; k < IX_SHARDS; k++)
        if (sh->w[k].running) {
            pthread_join(sh->w[k].th, NULL);
            sh->w[k].running = 0;
        }
    for (unsigned k = 0; k < IX_SHARDS; k++)
        if (sh->w[k].st)
            return xs_err_set(err, sh->w[k].st, "%s",
                              sh->w[k].err.msg ? sh->w[k].err.msg
                                               : xs_status_str(sh->w[k].st));
    return XS_OK;
}

static xs_status parallel(ix_shards *sh, phase ph, xs_err *err)
{
    phase_start(sh, ph);
    return phase_join(sh, err);
}

/* The splitter's vocabulary: the word counts of all shards. */
static unsigned shards_df(void *ctx, const char *term)
{
    ix_shards *sh = ctx;
    unsigned df = 0;
    for (unsigned k = 0; k < IX_SHARDS; k++)
        df += xs_vocab_df(sh->w[k].vocab, term);
    return df;
}

/* ------------------------------------------------------------- batch */

/* Write the queued batch: tokenize on all shards, then (the vocabulary
 * now complete for the batch) split and write; duplicates are noted in
 * record order. */
static xs_status shards_flush(ix_builder *b, xs_err *err)
{
    ix_shards *sh = b->shards;
    xs_status st = parallel(sh, PH_TOKENIZE, err);
    if (!st)
        st = parallel(sh, PH_WRITE, err);
    for (size_t i = 0; !st && i < sh->n; i++) {
        slot *sl = &sh->slots[i];
        if (sl->merged)
            ix_input_note_merged(sl->in);
        if (!sl->dup || sl->merged)
            continue;
        char *id = ix_strfmt("%.*s", (int)sl->d.id.len, sl->d.id.ptr);
        st = id ? ix_input_note_duplicate(sl->in, id, err)
                : xs_err_set(err, XS_NOMEM, "out of memory");
        free(id);
    }
    sh->n = 0;
    return st;
}

xs_status ix_shards_add(ix_builder *b, const cp_decision *d, ix_input *in,
                        xs_err *err)
{
    ix_shards *sh = b->shards;
    if (slot_fill(&sh->slots[sh->n], d))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    sh->slots[sh->n++].in = in;
    return sh->n < IX_BATCH ? XS_OK : shards_flush(b, err);
}

/* --------------------------------------------------------- lifecycle */

static xs_status worker_open(ix_shards *sh, unsigned k, const char *path,
                             xs_err *err)
{
    worker *w = &sh->w[k];
    w->sh = sh;
    w->k = k;
    xs_status st = xs_stem_new(&w->stem, err);
    if (!st)
        st = xs_vocab_new(&w->vocab, err);
    if (!st)
        st = xs_splitter_new(w->stem, shards_df, sh, &w->split, err);
    if (!st)
        st = xs_writer_open(path, XS_WRITER_SCRATCH, &w->w, err);
    return st;
}

xs_status ix_shards_open(ix_builder *b, xs_err *err)
{
    ix_shards *sh = calloc(1, sizeof *sh);
    if (!sh)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    b->shards = sh;
    sh->split = !b->o->no_split;
    xs_status st = XS_OK;
    for (unsigned k = 0; !st && k < IX_SHARDS; k++) {
        sh->paths[k] = ix_strfmt("%s/decisions.shard%u", b->tmp, k);
        st = sh->paths[k] ? worker_open(sh, k, sh->paths[k], err)
                          : xs_err_set(err, XS_NOMEM, "out of memory");
    }
    return st;
}

xs_status ix_shards_close(ix_builder *b, xs_err *err)
{
    xs_status st = shards_flush(b, err);
    return st ? st : parallel(b->shards, PH_CLOSE, err);
}

static void *merge(void *arg)
{
    ix_shards *sh = arg;
    sh->merge_st = xs_compact((const char *const *)sh->paths, IX_SHARDS,
                              sh->dst, &sh->merge_err);
    return NULL;
}

xs_status ix_shards_merge_begin(ix_builder *b, const char *dst, xs_err *err)
{
    ix_shards *sh = b->shards;
    if (!(sh->dst = strdup(dst)))
        return xs_err_set(err, XS_NOMEM, "out of memory");
    sh->merging = pthread_create(&sh->merge_th, NULL, merge, sh) == 0;
    if (!sh->merging)
        merge(sh);
    return XS_OK;
}

static void merge_join(ix_shards *sh)
{
    if (sh->merging)
        pthread_join(sh->merge_th, NULL);
    sh->merging = 0;
}

xs_status ix_shards_merge_end(ix_builder *b, xs_err *err)
{
    ix_shards *sh = b->shards;
    merge_join(sh);
    for (unsigned k = 0; k < IX_SHARDS; k++)
        ix_remove_tree(sh->paths[k]);
    if (sh->merge_st)
        return xs_err_set(err, sh->merge_st, "%s",
                          sh->merge_err.msg ? sh->merge_err.msg
                                            : xs_status_str(sh->merge_st));
    return XS_OK;
}

void ix_shards_free(ix_shards *sh)
{
    if (!sh)
        return;
    phase_join(sh, NULL);
    merge_join(sh);
    for (unsigned k = 0; k < IX_SHARDS; k++) {
        worker *w = &sh->w[k];
        xs_writer_close(w->w);
        for (size_t i = 0; i < IX_BATCH; i++)
            xs_doc_free(w->docs[i]);
        xs_splitter_free(w->split);
        xs_vocab_free(w->vocab);
        xs_stem_free(w->stem);
        xs_err_clear(&w->err);
        free(sh->paths[k]);
    }
    for (size_t i = 0; i < IX_BATCH; i++)
        free(sh->slots[i].buf);
    xs_err_clear(&sh->merge_err);
    free(sh->dst);
    free(sh);
}
