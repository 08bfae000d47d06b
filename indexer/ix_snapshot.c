/*
 * ix_snapshot.c -- opening a snapshot for reading.
 *
 * Owns: locating the snapshot, checking it before Xapian reads it, opening
 * both databases, refusing one built with another index format or
 * stemmer, reading its snapshot id.
 * Never: writes; lets Xapian read a file that does not match manifest.json
 * (Xapian trusts its files: see ix_files.c).  A rebuild may swap the
 * directory while we open it; a failed open is retried once against the
 * new one.
 *
 * The checks, in order (all XS_VERSION or XS_CORRUPT, naming the index):
 *   1. manifest.json is there and is a JSON object;
 *   2. it was written for this index format and stemmer;
 *   3. its snapshot id is the hash of its contents (ix_manifest_id);
 *   4. every file has the size and CRC-32 it lists (ix_files_check);
 *   5. both databases open, with this format, stemmer and role;
 *   6. each holds the documents 1..N, N as manifest.json counts them.
 * Manifest and files are read through one directory descriptor, so they
 * come from the same snapshot even if a rebuild swaps it meanwhile; the
 * databases are opened by path, and the open is tried again when the
 * directory at that path is no longer the one checked.
 */
#include "ix-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct ix_tables {
    size_t n;            /* last docid + 1                                 */
    char **ids;          /* IX_SLOT_ID by docid ("" for none)              */
    char **dossiers;     /* IX_SLOT_DOSSIER by docid                       */
    char **dates;        /* IX_SLOT_DATE by docid ("" when unknown)        */
    xs_docid *ring;      /* next docid of the same dossier, in a ring      */
    unsigned *order;     /* position of the id in strcmp order (0: none)   */
};

struct ix_snapshot {
    xs_db *decisions;
    xs_db *sections;
    xs_stem *stem;
    xs_splitter *split;  /* compound splitter over the decisions' terms */
    char *dir;
    char *id;            /* snapshot id from manifest.json ("" if none) */
    ix_tables *tables;   /* NULL until ix_snapshot_tables()             */
};

/* Opens tried again after one that may have met a rebuild's swap (the
 * directory replaced, or removed under us); rebuilds may follow back to
 * back. */
#define IX_OPEN_RETRIES 3

static xs_status version_error(xs_err *err, const char *dir, const char *what,
                               const char *have, const char *want)
{
    return xs_err_set(err, XS_VERSION,
                      "index '%s' was built with %s '%s', this akkoord uses "
                      "'%s'; rebuild it with akkoord-index",
                      dir, what, have && *have ? have : "(none)", want);
}

/* Check one metadata key of db against want. */
static xs_status check_meta(const xs_db *db, const char *path, const char *key,
                            const char *want, const char *what, xs_err *err)
{
    char *have = NULL;
    xs_status st = xs_db_metadata(db, key, &have, err);
    if (!st && strcmp(have, want) != 0)
        st = version_error(err, path, what, have, want);
    free(have);
    return st;
}

/* Its documents are 1..want, as the build made them: a count from the
 * files (damaged, they may claim any number) is never trusted to size a
 * table. */
static xs_status check_count(const xs_db *db, const char *dir,
                             const char *role, json_int_t want, xs_err *err)
{
    unsigned n = xs_db_doccount(db), last = xs_db_lastdocid(db);
    xs_status st = xs_db_error(db, err);    /* not damage: out of memory */
    if (st || ((json_int_t)n == want && last == n))
        return st;
    return xs_err_set(err, XS_CORRUPT,
                      "index '%s' is corrupt: %s: %u documents (last id %u), "
                      "manifest.json counts %lld", dir, role, n, last,
                      (long long)want);
}

static xs_status open_db(const char *dir, const char *root, const char *role,
                         xs_db **out, xs_err *err)
{
    char *path = ix_strfmt("%s/%s", root, role);
    if (!path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = xs_db_open(path, out, err);
    if (st == XS_CORRUPT)
        st = xs_err_set(err, st, "index '%s' is corrupt: %s: %s", dir, role,
                        err && err->msg ? err->msg : xs_status_str(st));
    else if (st == XS_NOT_FOUND || st == XS_IO)
        st = xs_err_set(err, st, "cannot open index '%s': %s", dir,
                        err && err->msg ? err->msg : xs_status_str(st));
    if (!st)
        st = xs_db_set_name(*out, dir, role, err);
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

/* manifest.json of the snapshot open at dfd.  XS_NOT_FOUND when there is
 * none (retried: a rebuild may be removing the directory), XS_CORRUPT
 * when it is not a JSON object. */
static xs_status manifest_load(int dfd, const char *dir, json_t **out,
                               xs_err *err)
{
    *out = NULL;
    int fd = openat(dfd, "manifest.json", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT
                   ? xs_err_set(err, XS_NOT_FOUND,
                                "index '%s' has no manifest.json", dir)
                   : xs_err_set(err, XS_IO, "cannot open index '%s': cannot "
                                "read 'manifest.json': %m", dir);
    struct stat sb;
    json_error_t je;
    json_t *m = NULL;
    xs_status st = XS_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        st = xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: "
                        "'manifest.json' is not a file", dir);
    else if (!(m = json_loadfd(fd, JSON_REJECT_DUPLICATES, &je)))
        st = json_error_code(&je) == json_error_out_of_memory || !je.text[0]
                 ? xs_err_set(err, XS_NOMEM, "out of memory")
                 : xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: "
                              "manifest.json: %s (line %d)", dir, je.text,
                              je.line);
    else if (!json_is_object(m))
        st = xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: "
                        "manifest.json is not a JSON object", dir);
    close(fd);
    if (st)
        json_decref(m);
    else
        *out = m;
    return st;
}

/* Checks 2 to 4 of manifest m. */
static xs_status manifest_check(int dfd, const char *dir, const json_t *m,
                                xs_err *err)
{
    json_t *v = json_object_get(m, "versions");
    const char *format = json_string_value(json_object_get(v, "index_format"));
    const char *stemmer = json_string_value(json_object_get(v, "stemmer"));
    const char *id = json_string_value(json_object_get(m, "snapshot"));
    char want[65];
    if (!format || strcmp(format, IX_FORMAT) != 0)
        return version_error(err, dir, "index format", format, IX_FORMAT);
    if (!stemmer || strcmp(stemmer, xs_stem_name()) != 0)
        return version_error(err, dir, "stemmer", stemmer, xs_stem_name());
    if (ix_manifest_id(m, want) != 0)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    if (!id || strcmp(id, want) != 0)
        return xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: "
                          "manifest.json does not match its snapshot id", dir);
    return ix_files_check(dfd, dir, json_object_get(m, "files"), err);
}

/* counts.KEY of manifest m, or -1 when it is not a count. */
static json_int_t manifest_count(const json_t *m, const char *key)
{
    json_t *c = json_object_get(json_object_get(m, "counts"), key);
    return json_is_integer(c) && json_integer_value(c) >= 0
               ? json_integer_value(c) : -1;
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
    free(t->dates);
    free(t->ring);
    free(t->order);
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
    free(s->id);
    s->id = NULL;
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return xs_err_set(err, errno == ENOENT ? XS_NOT_FOUND : XS_IO,
                          "cannot open index '%s': %m", dir);
    json_t *m = NULL;
    struct stat was;
    xs_status st = fstat(dfd, &was) != 0
                       ? xs_err_set(err, XS_IO, "cannot open index '%s': %m",
                                    dir)
                       : manifest_load(dfd, dir, &m, err);
    if (!st)
        st = manifest_check(dfd, dir, m, err);
    /* The databases through the directory already checked and open, so
     * that all of one snapshot is read even when a rebuild swaps another
     * in now; without /proc, by path, and dir must still be that
     * directory afterwards. */
    char root[64];
    snprintf(root, sizeof root, "/proc/self/fd/%d", dfd);
    const char *via = access(root, X_OK) == 0 ? root : dir;
    if (!st)
        st = open_db(dir, via, "decisions", &s->decisions, err);
    if (!st)
        st = open_db(dir, via, "sections", &s->sections, err);
    close(dfd);
    if (!st && via == dir &&
        (stat(dir, &sb) != 0 || sb.st_dev != was.st_dev ||
         sb.st_ino != was.st_ino))
        st = xs_err_set(err, XS_RETRY, "index '%s' was replaced while it "
                        "was opened", dir);
    if (!st)
        st = check_count(s->decisions, dir, "decisions",
                         manifest_count(m, "decisions"), err);
    if (!st)
        st = check_count(s->sections, dir, "sections",
                         manifest_count(m, "sections"), err);
    if (!st && !(s->id = strdup(json_string_value(json_object_get(m,
                                                              "snapshot")))))
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    json_decref(m);
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
    for (int again = 0; again < IX_OPEN_RETRIES &&
                        (st == XS_IO || st == XS_RETRY || st == XS_NOT_FOUND);
         again++) {
        xs_err_clear(err);       /* swapped while we opened: again */
        st = snapshot_try(dir, s, err);
    }
    if (!st)
        st = xs_stem_new(&s->stem, err);
    if (!st)
        st = xs_splitter_new(s->stem, decisions_df, s->decisions, &s->split,
                             err);
    if (st) {
        ix_snapshot_close(s);
        return st;
    }
    *out = s;
    return XS_OK;
}

/* ------------------------------------------------------------ tables */

typedef struct keyed { const char *key, *id; xs_docid did; } keyed;

static int by_key(const void *x, const void *y)
{
    const keyed *a = x, *b = y;
    int c = strcmp(a->key, b->key);
    if (!c)
        c = strcmp(a->id, b->id);
    return c ? c : (a->did > b->did) - (a->did < b->did);
}

/* Link the decisions of each dossier into a ring: sort the docids by
 * dossier and decision id (not docid: the ring's order must not depend
 * on the shard layout), then point each to the next of its run and the
 * last of a run back to its first.  A decision without a dossier, and a
 * docid without a decision, is a ring of one. */
static xs_status link_dossiers(ix_tables *t, xs_err *err)
{
    keyed *k = malloc((t->n ? t->n : 1) * sizeof *k);
    t->ring = malloc((t->n ? t->n : 1) * sizeof *t->ring);
    if (!k || !t->ring) {
        free(k);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    for (size_t d = 0; d < t->n; d++)
        k[d] = (keyed){t->dossiers[d], t->ids[d], (xs_docid)d};
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

/* t->order: every docid's place in the sorted ids. */
static xs_status order_ids(ix_tables *t, xs_err *err)
{
    keyed *k = malloc((t->n ? t->n : 1) * sizeof *k);
    t->order = calloc(t->n ? t->n : 1, sizeof *t->order);
    if (!k || !t->order) {
        free(k);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    for (size_t d = 0; d < t->n; d++)
        k[d] = (keyed){"", t->ids[d], (xs_docid)d};
    qsort(k, t->n, sizeof *k, by_key);
    for (size_t i = 0, pos = 0; i < t->n; i++)
        if (*k[i].id)
            t->order[k[i].did] = (unsigned)++pos;
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
    size_t n3 = n2;
    if (!st)
        st = xs_db_value_table(s->decisions, IX_SLOT_DATE,
                               &t->dates, &n3, err);
    if (!st && (n2 != t->n || n3 != t->n)) {
        xs_err_set(err, XS_CORRUPT, "value tables disagree");
        st = xs_db_blame(s->decisions, err);
    }
    /* every decision has an id (output keys on it); with several shards
     * the docids have gaps, which have none */
    size_t with_id = 0;
    for (size_t d = 1; !st && d < t->n; d++)
        with_id += *t->ids[d] != '\0';
    unsigned all = xs_db_doccount(s->decisions);
    if (!st && with_id != all) {
        xs_err_set(err, XS_CORRUPT, "%zu of %u decisions have no id",
                   all - with_id, all);
        st = xs_db_blame(s->decisions, err);
    }
    if (!st)
        st = link_dossiers(t, err);
    if (!st)
        st = order_ids(t, err);
    if (st) {
        tables_free(t);
        return st;
    }
    s->tables = t;
    return XS_OK;
}

/* --------------------------------------------------------- accessors */

size_t ix_tables_size(const ix_tables *t) { return t->n; }

const char *ix_tables_id(const ix_tables *t, xs_docid d)
{
    return d < t->n ? t->ids[d] : "";
}

const char *ix_tables_dossier(const ix_tables *t, xs_docid d)
{
    return d < t->n ? t->dossiers[d] : "";
}

const char *ix_tables_date(const ix_tables *t, xs_docid d)
{
    return d < t->n ? t->dates[d] : "";
}

xs_docid ix_tables_next(const ix_tables *t, xs_docid d)
{
    return d < t->n ? t->ring[d] : d;
}

unsigned ix_tables_order(const ix_tables *t, xs_docid d)
{
    return d < t->n ? t->order[d] : 0;
}

xs_db *ix_snapshot_decisions(const ix_snapshot *s) { return s->decisions; }
xs_db *ix_snapshot_sections(const ix_snapshot *s) { return s->sections; }
xs_stem *ix_snapshot_stem(const ix_snapshot *s) { return s->stem; }
xs_splitter *ix_snapshot_splitter(const ix_snapshot *s) { return s->split; }
const char *ix_snapshot_dir(const ix_snapshot *s) { return s->dir; }
const char *ix_snapshot_id(const ix_snapshot *s) { return s->id; }

const ix_tables *ix_snapshot_get_tables(const ix_snapshot *s)
{
    return s->tables;
}
