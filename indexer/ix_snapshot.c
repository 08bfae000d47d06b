/*
 * ix_snapshot.c -- opening a snapshot for reading.
 *
 * Owns: locating the snapshot, opening both databases, refusing one built
 * with another index format or stemmer, reading its snapshot id.
 * Never: writes.  A rebuild may swap the directory while we open it; a
 * failed open is retried once against the new one.
 */
#include "ix-int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Check one metadata key of db against want. */
static xs_status check_meta(const xs_db *db, const char *path, const char *key,
                            const char *want, const char *what, xs_err *err)
{
    char *have = NULL;
    xs_status st = xs_db_metadata(db, key, &have, err);
    if (!st && strcmp(have, want) != 0)
        st = xs_err_set(err, XS_VERSION,
                        "index '%s' was built with %s '%s', this akkoord uses "
                        "'%s'; rebuild it with akkoord-index",
                        path, what, *have ? have : "(none)", want);
    free(have);
    return st;
}

static xs_status open_db(const char *dir, const char *role, xs_db **out,
                         xs_err *err)
{
    char *path = ix_strfmt("%s/%s", dir, role);
    if (!path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_db_open(path, out, err);
    if (st == XS_NOT_FOUND || st == XS_IO || st == XS_CORRUPT)
        st = xs_err_set(err, st, "cannot open index '%s': %s", dir,
                        err && err->msg ? err->msg : xs_status_str(st));
    if (!st)
        st = check_meta(*out, dir, "akkoord.format", IX_FORMAT,
                        "index format", err);
    if (!st)
        st = check_meta(*out, dir, "akkoord.stemmer", xs_stem_name(),
                        "stemmer", err);
    if (!st)
        st = check_meta(*out, dir, "akkoord.role", role, "role", err);
    free(path);
    return st;
}

/* The "snapshot" value of manifest.json, or "" when unreadable; NULL when
 * out of memory (jansson then leaves its message empty). */
static char *read_snapshot_id(const char *dir)
{
    char *path = ix_strfmt("%s/manifest.json", dir);
    json_error_t je;
    json_t *m = path ? json_load_file(path, 0, &je) : NULL;
    if (!m && (!path || !je.text[0] ||
               json_error_code(&je) == json_error_out_of_memory)) {
        free(path);
        return NULL;
    }
    const char *id = json_string_value(json_object_get(m, "snapshot"));
    char *out = strdup(id ? id : "");
    json_decref(m);
    free(path);
    return out;
}

static unsigned decisions_df(void *db, const char *term)
{
    return xs_db_termfreq(db, term);
}

static void tables_free(ix_tables *t)
{
    if (!t)
        return;
    free(t->ids);
    free(t->dossiers);
    free(t->ring);
    free(t);
}

void ix_snapshot_close(ix_snapshot *s)
{
    if (!s)
        return;
    tables_free(s->tables);
    xs_db_close(s->decisions);
    xs_db_close(s->sections);
    xs_splitter_free(s->split);
    xs_stem_free(s->stem);
    free(s->dir);
    free(s->id);
    free(s);
}

static xs_status snapshot_try(const char *dir, ix_snapshot *s, xs_err *err)
{
    struct stat sb;
    if (stat(dir, &sb) != 0)
        return xs_err_set(err, errno == ENOENT ? XS_NOT_FOUND : XS_IO,
                          "no index at '%s' (%m); build one with akkoord-index "
                          "or point -d/AKKOORD_DB at one", dir);
    xs_db_close(s->decisions);
    xs_db_close(s->sections);
    s->decisions = s->sections = NULL;
    xs_status st = open_db(dir, "decisions", &s->decisions, err);
    if (!st)
        st = open_db(dir, "sections", &s->sections, err);
    return st;
}

xs_status ix_snapshot_open(const char *dir, ix_snapshot **out, xs_err *err)
{
    *out = NULL;
    if (!dir)
        dir = ix_default_dir();
    ix_snapshot *s = calloc(1, sizeof *s);
    if (!s || !(s->dir = strdup(dir))) {
        free(s);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    xs_status st = snapshot_try(dir, s, err);
    if (st == XS_IO || st == XS_RETRY || st == XS_NOT_FOUND) {
        xs_err_clear(err);       /* swapped while we opened: once more */
        st = snapshot_try(dir, s, err);
    }
    if (!st)
        st = xs_stem_new(&s->stem, err);
    if (!st)
        st = xs_splitter_new(s->stem, decisions_df, s->decisions, &s->split,
                             err);
    if (!st && !(s->id = read_snapshot_id(dir)))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    if (st) {
        ix_snapshot_close(s);
        return st;
    }
    *out = s;
    return XS_OK;
}

/* ------------------------------------------------------------ tables */

typedef struct keyed { const char *key; xs_docid did; } keyed;

static int by_key(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->did > b->did) - (a->did < b->did);
}

/* Link the decisions of each dossier into a ring: sort the docids by
 * dossier, then point each to the next of its run and the last of a run
 * back to its first.  A decision without a dossier is a ring of one. */
static xs_status link_dossiers(ix_tables *t, xs_err *err)
{
    keyed *k = malloc((t->n ? t->n : 1) * sizeof *k);
    t->ring = malloc((t->n ? t->n : 1) * sizeof *t->ring);
    if (!k || !t->ring) {
        free(k);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    for (size_t d = 0; d < t->n; d++)
        k[d] = (keyed){t->dossiers[d], (xs_docid)d};
    qsort(k, t->n, sizeof *k, by_key);
    for (size_t i = 0, first = 0; i < t->n; i++) {
        int last = i + 1 == t->n || !*k[i].key ||
                   strcmp(k[i].key, k[i + 1].key) != 0;
        t->ring[k[i].did] = last ? k[first].did : k[i + 1].did;
        if (last)
            first = i + 1;
    }
    free(k);
    return XS_OK;
}

xs_status ix_snapshot_tables(ix_snapshot *s, xs_err *err)
{
    if (s->tables)
        return XS_OK;
    ix_tables *t = calloc(1, sizeof *t);
    if (!t)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    size_t n2 = 0;
    xs_status st = xs_db_value_table(s->decisions, IX_SLOT_ID, &t->ids,
                                     &t->n, err);
    if (!st)
        st = xs_db_value_table(s->decisions, IX_SLOT_DOSSIER, &t->dossiers,
                               &n2, err);
    if (!st && n2 != t->n)
        st = xs_err_set(err, XS_CORRUPT, "value tables of '%s' disagree",
                        s->dir);
    if (!st)
        st = link_dossiers(t, err);
    if (st) {
        tables_free(t);
        return st;
    }
    s->tables = t;
    return XS_OK;
}
