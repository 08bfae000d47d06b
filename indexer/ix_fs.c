/*
 * ix_fs.c -- the files of a build: lock, scratch directory, atomic swap.
 *
 * Owns: the lock file ".NAME.lock" beside the target (flock, released by
 * the kernel even when the builder is killed), the scratch directory
 * "NAME.tmp-PID" beside the target, and replacing the target with it in one
 * rename (renameat2 RENAME_EXCHANGE where the file system has it).
 * Never: removes or overwrites a target that is not an akkoord snapshot;
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

static int remove_entry(const char *path, const struct stat *sb, int flag,
                        struct FTW *ftw)
{
    (void)sb; (void)flag; (void)ftw;
    remove(path);
    return 0;
}

void ix_remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
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

/* Scratch directories of builds that died hold no lock: remove them. */
static void remove_stale_scratch(const char *dir, const char *base)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    size_t n = strlen(base);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, base, n) || strncmp(e->d_name + n, ".tmp-", 5))
            continue;
        char *p = ix_strfmt("%s/%s", dir, e->d_name);
        if (p)
            ix_remove_tree(p);
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
    b->lock_fd = open(b->lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (b->lock_fd < 0)
        return xs_err_set(err, XS_IO, "cannot create '%s': %m", b->lock_path);
    if (flock(b->lock_fd, LOCK_EX | LOCK_NB) != 0)
        return xs_err_set(err, errno == EWOULDBLOCK ? XS_LOCKED : XS_IO,
                          "another akkoord-index is building '%s' (lock '%s' "
                          "held); wait for it to finish", b->target,
                          b->lock_path);
    return XS_OK;
}

/* 1 if path holds a snapshot, 0 if not, -1 when out of memory. */
static int is_snapshot(const char *path)
{
    char *m = ix_strfmt("%s/manifest.json", path);
    char *d = ix_strfmt("%s/decisions", path);
    int yes = !m || !d ? -1 : access(m, F_OK) == 0 && access(d, F_OK) == 0;
    free(m);
    free(d);
    return yes;
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

/* The target may be absent, an empty directory or an akkoord snapshot. */
static xs_status check_target(const char *target, xs_err *err)
{
    struct stat sb;
    if (lstat(target, &sb) != 0)
        return errno == ENOENT ? XS_OK
                               : xs_err_set(err, XS_IO, "cannot use '%s': %m",
                                            target);
    if (!S_ISDIR(sb.st_mode))
        return xs_err_set(err, XS_INVALID,
                          "'%s' exists and is not a directory; not replacing it",
                          target);
    int snap = is_snapshot(target);
    if (snap < 0)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    if (!snap && !is_empty_dir(target))
        return xs_err_set(err, XS_INVALID,
                          "'%s' exists and is not an akkoord index; not "
                          "replacing it", target);
    return XS_OK;
}

xs_status ix_fs_begin(ix_builder *b, xs_err *err)
{
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
        st = take_lock(b, dir, base, err);
    if (!st) {
        remove_stale_scratch(dir, base);
        b->tmp = ix_strfmt("%s.tmp-%ld", b->target, (long)getpid());
        if (!b->tmp)
            st = xs_err_set(err, XS_NOMEM, "out of memory");
        else if (mkdir(b->tmp, 0755) != 0)
            st = xs_err_set(err, XS_IO, "cannot create '%s': %m", b->tmp);
    }
    free(dir);
    free(base);
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
