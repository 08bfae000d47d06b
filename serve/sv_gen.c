/*
 * sv_gen.c -- one generation of the server: a snapshot opened, its
 * evaluator, its site built in memory, shared by the request threads
 * through a reference count.
 *
 * Owns: making a generation (everything a request may touch, ready before
 * it is published), its identity on disk (device and inode of the
 * snapshot directory and of its manifest), its search lock (a Xapian
 * database is not shared between threads), freeing it when the last
 * request lets go.
 * Never: publishes a generation half made.
 */
#include "sv-int.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int sv_identity(const char *db, sv_ident *id)
{
    struct stat a, b;
    size_t n = strlen(db) + 16;
    char *m = malloc(n);
    if (!m)
        return -1;
    snprintf(m, n, "%s/manifest.json", db);
    int rc = stat(db, &a) || stat(m, &b) ? -1 : 0;
    free(m);
    if (!rc)
        *id = (sv_ident){a.st_dev, a.st_ino, b.st_ino, b.st_mtime};
    return rc;
}

int sv_ident_same(const sv_ident *a, const sv_ident *b)
{
    return a->dev == b->dev && a->dir == b->dir && a->manifest == b->manifest &&
           a->mtime == b->mtime;
}

xs_status sv_gen_new(const sv_opts *o, sv_gen **out, xs_err *err)
{
    sv_gen *g = calloc(1, sizeof *g);
    *out = NULL;
    if (!g)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    g->refs = 1;
    pthread_mutex_init(&g->search, NULL);
    xs_status st = sv_identity(o->db, &g->ident)
                       ? xs_err_set(err, XS_NOT_FOUND, "no akkoord index in "
                                    "'%s'", o->db)
                       : ix_snapshot_open(o->db, &g->s, err);
    if (!st)
        st = ix_snapshot_tables(g->s, err);
    if (!st)
        st = qy_evaluator_new(g->s, &g->ev, err);
    if (!st && o->fixes &&
        !(g->marks = calloc(o->fixes->n ? o->fixes->n : 1, 1)))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    st_opts so = {o->params, g->ev, o->fixes, g->marks, 1};
    if (!st)
        st = st_build(g->s, &so, &g->site, err);
    if (st) {
        sv_gen_release(g);
        return st;
    }
    *out = g;
    return XS_OK;
}

void sv_gen_release(sv_gen *g)
{
    if (!g || __atomic_sub_fetch(&g->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    st_free(g->site);
    qy_evaluator_free(g->ev);
    ix_snapshot_close(g->s);
    free(g->marks);
    pthread_mutex_destroy(&g->search);
    free(g);
}
