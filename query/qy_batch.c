/*
 * qy_batch.c -- running one job per agreement section on all cores.
 *
 * Owns: the list of section ids, worker threads (POSIX threads), one
 * snapshot handle per worker (Xapian handles are not shared between
 * threads), and putting the workers' output back in agreement order so
 * that the result does not depend on scheduling.
 * Never: lets two threads touch one handle; writes output out of order.
 */
#include "qy-int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct batch {
    const char *dir;           /* snapshot directory                       */
    const char *snapshot_id;   /* every worker must see this snapshot      */
    char **ids;                /* section ids, agreement order             */
    size_t n;
    char **out;                /* output of each section (malloc'd)        */
    size_t *outlen;
    int *rc;                   /* status of each section; -1: not run, see err */
    size_t next;               /* next section to take                     */
    xs_err err;                /* first failure of a worker (under lock)   */
    pthread_mutex_t lock;
    qy_section_job job;
    void *ctx;
} batch;

static xs_status list_ids(const ix_snapshot *s, batch *b, xs_err *err)
{
    unsigned n = xs_db_doccount(ix_snapshot_sections(s));
    xs_status st = xs_db_error(ix_snapshot_sections(s), err);
    if (st)
        return st;
    b->ids = calloc(n ? n : 1, sizeof *b->ids);
    if (!b->ids)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    for (xs_docid did = 1; did <= n; did++) {
        st = xs_db_value(ix_snapshot_sections(s), did, IX_SLOT_ID,
                         &b->ids[b->n], err);
        if (st)
            return st;
        b->n++;
    }
    return XS_OK;
}

/* Take the next section index, or -1 when all are taken. */
static long take(batch *b)
{
    pthread_mutex_lock(&b->lock);
    long i = b->next < b->n ? (long)b->next++ : -1;
    pthread_mutex_unlock(&b->lock);
    return i;
}

/* A worker failed outside a job: keep the first error for the caller
 * (the message moves from *err into the batch). */
static void note_failure(batch *b, xs_status st, xs_err *err)
{
    if (st == XS_NOT_FOUND)   /* the caller has it open: it is there, so */
        st = XS_IO;           /* this is a failure to open (EMFILE ...)  */
    pthread_mutex_lock(&b->lock);
    if (!b->err.code) {
        b->err = *err;
        b->err.code = st;
        *err = (xs_err){0};
    }
    pthread_mutex_unlock(&b->lock);
    xs_err_clear(err);
}

static void run_one(batch *b, const ix_snapshot *s, size_t i)
{
    xs_err err = {0};
    FILE *f = open_memstream(&b->out[i], &b->outlen[i]);
    if (!f) {
        b->rc[i] = -1;
        note_failure(b, xs_err_set(&err, XS_NOMEM, "out of memory"), &err);
        return;
    }
    b->rc[i] = b->job(s, b->ids[i], f, b->ctx);
    if (fclose(f) != 0 && !b->rc[i]) {
        b->rc[i] = -1;
        note_failure(b, xs_err_set(&err, XS_NOMEM, "out of memory"), &err);
    }
}

/* Open the worker's own handle on the batch's snapshot, with its tables. */
static xs_status open_own(const batch *b, ix_snapshot **s, xs_err *err)
{
    xs_status st = ix_snapshot_open(b->dir, s, err);
    if (!st && strcmp(ix_snapshot_id((*s)),
                      b->snapshot_id) != 0)  /* refuse to mix */
        st = xs_err_set(err, XS_RETRY, "index '%s' was replaced by another "
                        "snapshot while its sections were being processed; "
                        "run again", b->dir);
    if (!st)
        st = ix_snapshot_tables(*s, err);
    return st;
}

/* A job that failed may leave its handle unusable (Xapian 1.4.22's glass
 * cursors after a std::bad_alloc: faultsim saw the next section's read
 * crash), so the next section gets a handle opened afresh. */
static void *worker(void *arg)
{
    batch *b = arg;
    ix_snapshot *s = NULL;
    xs_err err = {0};
    xs_status st = open_own(b, &s, &err);
    if (st)
        note_failure(b, st, &err);
    for (long i; (i = take(b)) >= 0;) {
        if (!st && s == NULL && (st = open_own(b, &s, &err)))
            note_failure(b, st, &err);
        if (st) {
            b->rc[i] = -1;
            continue;
        }
        run_one(b, s, (size_t)i);
        if (b->rc[i] != 0) {
            ix_snapshot_close(s);
            s = NULL;
        }
    }
    ix_snapshot_close(s);
    return NULL;
}

/* Workers: $AKKOORD_THREADS (a whole number, clamped to 1..16) or the
 * online processors, never more than there are sections; 0 when
 * $AKKOORD_THREADS is not a number (err set). */
static unsigned thread_count(size_t n, xs_err *err)
{
    const char *env = getenv("AKKOORD_THREADS");
    long t = sysconf(_SC_NPROCESSORS_ONLN);
    if (env && *env) {
        char *end;
        errno = 0;
        t = strtol(env, &end, 10);
        if (*end || errno) {
            xs_err_set(err, XS_INVALID, "AKKOORD_THREADS='%s': want a whole "
                       "number (clamped to 1-16)", env);
            return 0;
        }
    }
    if (t < 1)
        t = 1;
    if (t > 16)
        t = 16;
    return (unsigned)((size_t)t < n ? (size_t)t : (n ? n : 1));
}

static void batch_release(batch *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->ids[i]);
        if (b->out)
            free(b->out[i]);
    }
    free(b->ids);
    free(b->out);
    free(b->outlen);
    free(b->rc);
    xs_err_clear(&b->err);
    pthread_mutex_destroy(&b->lock);
}

static int spawn(batch *b, unsigned nt)
{
    pthread_t th[16];
    unsigned started = 0;
    for (; started < nt; started++)
        if (pthread_create(&th[started], NULL, worker, b) != 0)
            break;
    if (!started)
        worker(b);              /* no threads to be had: do it here */
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    return 0;
}

int qy_each_section(const ix_snapshot *s, qy_section_job job, void *ctx,
                    qy_section_done done, void *dctx, xs_err *err)
{
    batch b = {.dir = ix_snapshot_dir(s), .snapshot_id = ix_snapshot_id(s),
               .job = job, .ctx = ctx};
    pthread_mutex_init(&b.lock, NULL);
    xs_status st = list_ids(s, &b, err);
    if (!st && (!(b.out = calloc(b.n + 1, sizeof *b.out)) ||
                !(b.outlen = calloc(b.n + 1, sizeof *b.outlen)) ||
                !(b.rc = calloc(b.n + 1, sizeof *b.rc))))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    unsigned nt = st ? 0 : thread_count(b.n, err);
    int rc = nt ? spawn(&b, nt) : -1;
    for (size_t i = 0; rc == 0 && i < b.n; i++) {
        if (b.rc[i] < 0) {         /* a worker failed: its error, not done */
            rc = -1;
            xs_err_clear(err);
            *err = b.err;
            b.err = (xs_err){0};
            break;
        }
        rc = done(dctx, b.ids[i], b.out[i] ? b.out[i] : "", b.outlen[i],
                  b.rc[i]);
    }
    batch_release(&b);
    return rc;
}
