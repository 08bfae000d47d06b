/*
 * ix_fs.c -- the files of a build: lock, scratch directory, atomic swap.
 *
 * Owns: the lock file ".NAME.lock" beside the target (flock, released by
 * the kernel even when the builder is killed), the scratch directory
 * "NAME.tmp-PID-XXXXXX" beside the target (with a marker naming itself),
 * the marker that proves a directory is a snapshot akkoord made, and
 * replacing the target with the scratch directory in one rename
 * (renameat2 RENAME_EXCHANGE where the file system has it).
 * Never: removes or overwrites anything it cannot prove it made (a target
 * without a marker agreeing with its manifest, or holding anything else; a
 * "NAME.tmp-*" that is not a marked scratch directory);
 * touches the target before the new snapshot is complete and synced.
 */
#define _GNU_SOURCE
#include "ix-int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const markers[] = {IX_SCRATCH_MARKER, IX_SNAPSHOT_MARKER};

/* Everything but the markers at the top (removed last, by ix_remove_tree). */
static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb; (void)flag;
    for (size_t i = 0; ftw->level == 1 && i < 2; i++)
        if (!strcmp(path + ftw->base, markers[i]))
            return 0;
    remove(path);
    return 0;
}

/* The markers go last: a build killed while it removes a stale scratch
 * directory leaves one that is still provably ours (remove_stale_scratch
 * takes it next time), not an orphan without its marker.  Allocates
 * nothing of its own: it cleans up after running out of memory. */
void ix_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
    int dfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd >= 0) {
        for (size_t i = 0; i < 2; i++)
            unlinkat(dfd, markers[i], 0);
        close(dfd);
    }
    rmdir(path);
}

static int sync_entry(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw)
{
    (void)sb; (void)ftw;
    int fd = open(path, (flag == FTW_F ? O_RDONLY : O_RDONLY | O_DIRECTORY) |
                            O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* fsync every file and directory below path (the shards are written
 * without syncing; the snapshot must be on disk before it is swapped in). */
static int sync_tree(const char *path)
{
    return nftw(path, sync_entry, 16, FTW_PHYS);
}

/* Split target into its directory and base name (both malloc'd). */
static int split_path(const char *target, char **dir, char **base)
{
    char *a = strdup(target), *c = strdup(target);
    *dir = a ? strdup(dirname(a)) : NULL;
    *base = c ? strdup(basename(c)) : NULL;
    free(a);
    free(c);
    return *dir && *base ? 0 : -1;
}

/* ------------------------------------------------------------ markers */

/* "NAME.tmp-PID-XXXXXX": digits, '-', six random letters or digits, and
 * optionally ".old" (a replaced snapshot moved aside). */
static int is_scratch_name(const char *name, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) || strncmp(name + n, ".tmp-", 5))
        return 0;
    const char *p = name + n + 5, *q = p;
    while (*q >= '0' && *q <= '9')
        q++;
    if (q == p || *q++ != '-')
        return 0;
    for (int i = 0; i < 6; i++, q++)
        if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') ||
              (*q >= '0' && *q <= '9')))
            return 0;
    return !*q || !strcmp(q, ".old");
}

/* Read file dir/name into buf (NUL-terminated); -1 unless it is a regular
 * file shorter than size. */
static int read_small(const char *dir, const char *name, char *buf,
                      size_t size)
{
    /* no allocation: out of memory must not read as "no marker" */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int fd = dfd < 0 ? -1
                     : openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd >= 0)
        close(dfd);
    struct stat sb;
    if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (size_t)sb.st_size >= size) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    ssize_t got = read(fd, buf, size - 1);
    close(fd);
    if (got != sb.st_size)
        return -1;
    buf[got] = '\0';
    return 0;
}

static xs_status write_small(const char *dir, const char *name,
                             const char *text, xs_err *err)
{
    char *p = ix_strfmt("%s/%s", dir, name);
    if (!p)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    int fd = open(p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    size_t n = strlen(text);
    int bad = fd < 0 || write(fd, text, n) != (ssize_t)n || fsync(fd) != 0;
    if (fd >= 0 && close(fd) != 0)
        bad = 1;
    xs_status st = bad ? xs_err_set(err, XS_IO, "cannot write '%s': %m", p)
                       : XS_OK;
    free(p);
    return st;
}

/* The scratch marker holds the scratch directory's own name. */
static int has_scratch_marker(const char *path, const char *name)
{
    char buf[512];
    size_t n = strlen(name);
    return read_small(path, IX_SCRATCH_MARKER, buf, sizeof buf) == 0 &&
           !strncmp(buf, name, n) && !strcmp(buf + n, "\n");
}

/* The snapshot id a snapshot's marker names, into id[65]; -1 when the
 * marker is missing or not one akkoord writes. */
static int marker_snapshot(const char *path, char id[65])
{
    char buf[256];
    const char *head = "akkoord snapshot\nformat ";
    if (read_small(path, IX_SNAPSHOT_MARKER, buf, sizeof buf) != 0 ||
        strncmp(buf, head, strlen(head)))
        return -1;
    const char *p = buf + strlen(head);
    while (*p >= '0' && *p <= '9')
        p++;
    if (p == buf + strlen(head) || strncmp(p, "\nsnapshot ", 10))
        return -1;
    p += 10;
    size_t n = strspn(p, "0123456789abcdef");
    if (n != 64 || strcmp(p + n, "\n"))
        return -1;
    memcpy(id, p, 64);
    id[64] = '\0';
    return 0;
}

/* 1 when the "snapshot" of path/manifest.json equals id, or there is no
 * manifest.json (a damaged snapshot of ours may be rebuilt); 0 when it
 * does not; -1 when out of memory. */
static int manifest_says(const char *path, const char *id)
{
    char *m = ix_strfmt("%s/manifest.json", path);
    struct stat sb;
    if (!m)
        return -1;
    if (lstat(m, &sb) != 0 && errno == ENOENT) {
        free(m);
        return 1;
    }
    json_error_t je;
    json_t *j = json_load_file(m, 0, &je);
    free(m);
    if (!j && (!je.text[0] || json_error_code(&je) == json_error_out_of_memory))
        return -1;
    const char *have = json_string_value(json_object_get(j, "snapshot"));
    int yes = have && !strcmp(have, id);
    json_decref(j);
    return yes;
}

/* Names a snapshot directory holds; anything else is not ours. */
static int is_snapshot_entry(const char *name)
{
    static const char *const ours[] = {".", "..", "decisions", "sections",
                                       "manifest.json", IX_SNAPSHOT_MARKER};
    for (size_t i = 0; i < sizeof ours / sizeof *ours; i++)
        if (!strcmp(name, ours[i]))
            return 1;
    return 0;
}

/* 0 when path is provably a snapshot akkoord made (its marker agrees with
 * its manifest, and it holds nothing else); else 1, with *why the reason
 * as a clause after the path, malloc'd (NULL when out of memory). */
static int not_ours(const char *path, char **why)
{
    char id[65];
    *why = NULL;
    if (marker_snapshot(path, id) != 0) {
        char *m = ix_strfmt("%s/manifest.json", path);
        int old = m && access(m, F_OK) == 0;
        free(m);
        *why = old ? ix_strfmt("has no valid '%s' marker (an index built "
                               "before format %s?): not replacing it; if it "
                               "is an old index, remove it and build again",
                               IX_SNAPSHOT_MARKER, IX_MARKER_SINCE)
                   : ix_strfmt("exists and is not an akkoord index; not "
                               "replacing it");
        return 1;
    }
    int says = manifest_says(path, id);
    if (says < 0)
        return 1;                /* not proven; *why NULL: out of memory */
    if (!says) {
        *why = ix_strfmt("has a manifest.json that does not name the "
                         "snapshot of its '%s' marker; not replacing it",
                         IX_SNAPSHOT_MARKER);
        return 1;
    }
    DIR *d = opendir(path);
    if (!d) {
        *why = ix_strfmt("cannot be listed (%s); not replacing it",
                         strerror(errno));
        return 1;
    }
    struct dirent *e;
    int foreign = 0;
    while (!foreign && (e = readdir(d)) != NULL)
        if ((foreign = !is_snapshot_entry(e->d_name)))
            *why = ix_strfmt("holds '%s', which akkoord did not make; not "
                             "replacing it", e->d_name);
    closedir(d);
    return foreign;
}

/* Scratch directories of builds that died hold no lock: remove those that
 * carry akkoord's name pattern, are real directories and hold a scratch
 * marker or a snapshot of ours (a scratch about to be swapped in, or an
 * old snapshot moved aside), and empty ones of that pattern.  Anything
 * else of that name is the user's. */
static void remove_stale_scratch(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!is_scratch_name(e->d_name, base))
            continue;
        struct stat sb;
        char *p = ix_strfmt("%s/%s", dir, e->d_name);
        char *why = NULL;
        if (p && lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode) &&
            (has_scratch_marker(p, e->d_name) || !not_ours(p, &why)))
            ix_remove_tree(p);
        else if (p)
            rmdir(p);   /* empty: a build killed before its marker was in
                           (or after it went out); holds nothing of anyone */
        free(why);
        free(p);
    }
    closedir(d);
}

static xs_status take_lock(ix_builder *b, const char *dir, const char *base,
                           xs_err *err)
{
    b->lock_path = ix_strfmt("%s/.%s.lock", dir, base);
    if (!b->lock_path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    b->lock_fd = open(b->lock_path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC,
                      0644);
    if (b->lock_fd < 0)
        return xs_err_set(err, XS_IO, "cannot create '%s': %m", b->lock_path);
    if (flock(b->lock_fd, LOCK_EX | LOCK_NB) != 0)
        return xs_err_set(err, errno == EWOULDBLOCK ? XS_LOCKED : XS_IO,
                          "another akkoord-index is building '%s' (lock '%s' "
                          "held); wait for it to finish", b->target,
                          b->lock_path);
    return XS_OK;
}

static int is_empty_dir(const char *path)
{
    DIR *d = opendir(path);
    if (!d)
        return 0;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)) != NULL)
        empty = !strcmp(e->d_name, ".") || !strcmp(e->d_name, "..");
    closedir(d);
    return empty;
}

/* The target may be absent, an empty directory or a snapshot akkoord
 * provably made; never a symbolic link (it would be replaced by a
 * directory, not followed). */
static xs_status check_target(const char *target, xs_err *err)
{
    struct stat sb;
    if (lstat(target, &sb) != 0)
        return errno == ENOENT ? XS_OK
                               : xs_err_set(err, XS_IO, "cannot use '%s': %m",
                                            target);
    if (S_ISLNK(sb.st_mode))
        return xs_err_set(err, XS_INVALID,
                          "'%s' is a symbolic link; give the directory it "
                          "points to", target);
    if (!S_ISDIR(sb.st_mode))
        return xs_err_set(err, XS_INVALID,
                          "'%s' exists and is not a directory; not replacing it",
                          target);
    if (is_empty_dir(target))
        return XS_OK;
    char *why;
    if (!not_ours(target, &why))
        return XS_OK;
    xs_status st = xs_err_set(err, why ? XS_INVALID : XS_NOMEM, "'%s' %s",
                              target, why ? why : "cannot be checked: out of "
                              "memory");
    free(why);
    return st;
}

const char *ix_out_dir_problem(const char *dir)
{
    if (!dir || !*dir)
        return "the index directory is an empty path";
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/')
        n--;
    const char *last = dir + n;
    while (last > dir && last[-1] != '/')
        last--;
    size_t len = (size_t)(dir + n - last);
    if ((len == 1 && *last == '.') || (len == 2 && !strncmp(last, "..", 2)) ||
        (n == 1 && *dir == '/'))
        return "name the index directory itself, not '.', '..' or '/'";
    return NULL;
}

int ix_dir_is_snapshot(const char *dir)
{
    char id[65];
    return marker_snapshot(dir, id) == 0;
}

/* A new index inside an existing snapshot would make that one not ours. */
static xs_status check_parent(const char *dir, xs_err *err)
{
    if (ix_dir_is_snapshot(dir))
        return xs_err_set(err, XS_INVALID, "'%s' is an akkoord index; build "
                          "the new one beside it, not inside", dir);
    return XS_OK;
}

/* mkdir "TARGET.tmp-PID-XXXXXX" with six random letters or digits (not
 * mkdtemp: its mode 0700 would make the index private to its builder). */
static xs_status make_scratch_dir(ix_builder *b, xs_err *err)
{
    static const char set[] = "abcdefghijklmnopqrstuvwxyz"
                              "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    for (int tries = 0; tries < 100; tries++) {
        unsigned char r[6];
        char suffix[7];
        if (getentropy(r, sizeof r) != 0)
            return xs_err_set(err, XS_IO, "no random bytes: %m");
        for (int i = 0; i < 6; i++)
            suffix[i] = set[r[i] % (sizeof set - 1)];
        suffix[6] = '\0';
        free(b->tmp);
        b->tmp = ix_strfmt("%s.tmp-%ld-%s", b->target, (long)getpid(),
                           suffix);
        if (!b->tmp)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        if (mkdir(b->tmp, 0755) == 0)
            return XS_OK;
        if (errno != EEXIST)
            break;
    }
    xs_status st = xs_err_set(err, XS_IO, "cannot create '%s': %m", b->tmp);
    free(b->tmp);                /* not made: nothing to remove */
    b->tmp = NULL;
    return st;
}

static xs_status make_scratch(ix_builder *b, xs_err *err)
{
    xs_status st = make_scratch_dir(b, err);
    if (st)
        return st;
    char *c = strdup(b->tmp);
    char *line = c ? ix_strfmt("%s\n", basename(c)) : NULL;
    st = line ? write_small(b->tmp, IX_SCRATCH_MARKER, line, err)
              : xs_err_set(err, XS_NOMEM, "out of memory");
    free(line);
    free(c);
    return st;
}

xs_status ix_fs_begin(ix_builder *b, xs_err *err)
{
    const char *bad = ix_out_dir_problem(b->o->out_dir);
    if (bad)
        return xs_err_set(err, XS_INVALID, "-o '%s': %s", b->o->out_dir, bad);
    char *dir = NULL, *base = NULL;
    size_t n = strlen(b->o->out_dir);
    while (n > 1 && b->o->out_dir[n - 1] == '/')
        n--;
    b->target = ix_strfmt("%.*s", (int)n, b->o->out_dir);
    if (!b->target || split_path(b->target, &dir, &base) != 0) {
        free(dir);
        free(base);
        return xs_err_set(err, XS_NOMEM, "out of memory");
    }
    xs_status st = check_target(b->target, err);
    if (!st)
        st = check_parent(dir, err);
    if (!st)
        st = take_lock(b, dir, base, err);
    if (!st) {
        remove_stale_scratch(dir, base);
        st = make_scratch(b, err);
    }
    free(dir);
    free(base);
    return st;
}

/* Turn the finished scratch directory into a snapshot: its marker (with
 * the snapshot id of its manifest) in, the scratch marker out. */
static xs_status seal_scratch(ix_builder *b, xs_err *err)
{
    char *m = ix_strfmt("%s/manifest.json", b->tmp);
    json_error_t je = {0};
    json_t *j = m ? json_load_file(m, 0, &je) : NULL;
    const char *id = json_string_value(json_object_get(j, "snapshot"));
    char *text = id ? ix_strfmt("akkoord snapshot\nformat %s\nsnapshot %s\n",
                                IX_FORMAT, id)
                    : NULL;
    int oom = !m || (id && !text) ||
              (!j && (!je.text[0] ||
                      json_error_code(&je) == json_error_out_of_memory));
    xs_status st = text ? write_small(b->tmp, IX_SNAPSHOT_MARKER, text, err)
                   : oom ? xs_err_set(err, XS_NOMEM, "out of memory")
                         : xs_err_set(err, XS_ERROR, "cannot read back '%s'",
                                      m);
    char *sm = st ? NULL : ix_strfmt("%s/%s", b->tmp, IX_SCRATCH_MARKER);
    if (!st && (!sm || unlink(sm) != 0))
        st = xs_err_set(err, XS_IO, "cannot remove '%s': %m",
                        sm ? sm : IX_SCRATCH_MARKER);
    free(sm);
    free(text);
    json_decref(j);
    free(m);
    return st;
}

static void sync_parent(const char *target)
{
    char *dir = NULL, *base = NULL;
    if (split_path(target, &dir, &base) == 0) {
        int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
    }
    free(dir);
    free(base);
}

/* Put b->tmp in place of b->target.  Afterwards b->tmp names the old
 * snapshot (or nothing), which ix_fs_end removes. */
xs_status ix_fs_commit(ix_builder *b, xs_err *err)
{
    xs_status st = check_target(b->target, err); /* changed while we built? */
    if (!st)
        st = seal_scratch(b, err);
    if (st)
        return st;
    if (sync_tree(b->tmp) != 0)
        return xs_err_set(err, XS_IO, "cannot sync '%s': %m", b->tmp);
    if (rename(b->tmp, b->target) == 0)   /* absent or empty target */
        goto synced;
    if (errno != EEXIST && errno != ENOTEMPTY)
        return xs_err_set(err, XS_IO, "cannot rename '%s' to '%s': %m", b->tmp,
                          b->target);
    if (renameat2(AT_FDCWD, b->tmp, AT_FDCWD, b->target, RENAME_EXCHANGE) != 0) {
        if (errno != EINVAL && errno != ENOSYS)
            return xs_err_set(err, XS_IO, "cannot swap '%s' into '%s': %m",
                              b->tmp, b->target);
        /* No atomic exchange here: move the old one aside first. */
        char *old = ix_strfmt("%s.old", b->tmp);
        if (!old)
            return xs_err_set(err, XS_NOMEM, "out of memory");
        if (rename(b->target, old) != 0 || rename(b->tmp, b->target) != 0) {
            st = xs_err_set(err, XS_IO, "cannot replace '%s': %m", b->target);
            rename(old, b->target);
        } else {
            ix_remove_tree(old);
        }
        free(old);
    }
synced:
    sync_parent(b->target);
    return st;
}

void ix_fs_end(ix_builder *b)
{
    if (b->tmp)
        ix_remove_tree(b->tmp);
    free(b->tmp);
    b->tmp = NULL;
    if (b->lock_fd >= 0)
        close(b->lock_fd);
    b->lock_fd = -1;
    free(b->lock_path);
    free(b->target);
    b->lock_path = b->target = NULL;
}
