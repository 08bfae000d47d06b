/*
 * st_write.c -- a site onto disk, whole or not at all: written into a
 * fresh directory beside the target, then exchanged with it in one
 * rename (renameat2 RENAME_EXCHANGE; a plain rename when the target does
 * not exist), the old site removed last.
 *
 * Owns: the checks of the target (a directory, empty or an earlier site,
 * never an index), the temporary directory and its removal.
 * Never: leaves a half-written site at the target; removes anything that
 * is not a site akkoord wrote.
 */
#define _GNU_SOURCE          /* renameat2 */
#include "st.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MARKER ".akkoord-site"

static int remove_one(const char *path, const struct stat *sb, int flag,
                      struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *dir)
{
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1: dir does not exist; 0: it may be replaced; -1 (err set): not. */
static int target_check(const char *dir, xs_err *err)
{
    struct stat sb;
    if (lstat(dir, &sb) != 0) {
        if (errno == ENOENT)
            return 1;
        xs_err_set(err, XS_IO, "%s: %s", dir, strerror(errno));
        return -1;
    }
    if (!S_ISDIR(sb.st_mode)) {
        xs_err_set(err, XS_INVALID, "'%s' exists and is not a directory; "
                   "nothing written", dir);
        return -1;
    }
    if (ix_dir_is_snapshot(dir)) {
        xs_err_set(err, XS_INVALID, "'%s' is an akkoord index; write the "
                   "site elsewhere", dir);
        return -1;
    }
    size_t n = strlen(dir) + sizeof MARKER + 1;
    char *m = malloc(n);
    if (!m) {
        xs_err_set(err, XS_NOMEM, "out of memory");
        return -1;
    }
    snprintf(m, n, "%s/%s", dir, MARKER);
    int ours = access(m, F_OK) == 0;
    free(m);
    if (ours || rmdir(dir) == 0 || (errno != ENOTEMPTY && errno != EEXIST))
        return ours ? 0 : 1;
    xs_err_set(err, XS_INVALID, "'%s' is not empty and not a site akkoord "
               "wrote (no %s); nothing written", dir, MARKER);
    return -1;
}

static xs_status page_write(const char *tmp, const st_page *p, xs_err *err)
{
    size_t n = strlen(tmp) + strlen(p->path) + 2;
    char *path = malloc(n);
    if (!path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    snprintf(path, n, "%s/%s", tmp, p->path);
    char *slash = strrchr(path, '/');
    if (slash > path + strlen(tmp)) {    /* s/ or d/ */
        *slash = '\0';
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            xs_err_set(err, XS_IO, "%s: %s", path, strerror(errno));
            free(path);
            return XS_IO;
        }
        *slash = '/';
    }
    FILE *f = fopen(path, "wb");
    int bad = !f || fwrite(p->body, 1, p->len, f) != p->len;
    if (f)
        bad |= fclose(f) != 0;
    xs_status st = bad ? xs_err_set(err, XS_IO, "%s: %s", path,
                                    strerror(errno ? errno : EIO))
                       : XS_OK;
    free(path);
    return st;
}

/* dir with "/"'s last component prefixed: "out/.site.tmp-XXXXXX". */
static char *tmp_name(const char *dir)
{
    size_t n = strlen(dir) + 16;
    char *t = malloc(n);
    if (t)
        snprintf(t, n, "%s.tmp-XXXXXX", dir);
    return t;
}

xs_status st_write(const st_site *site, const char *dir, xs_err *err)
{
    int fresh = target_check(dir, err);
    if (fresh < 0)
        return err->code;
    char *tmp = tmp_name(dir);
    if (!tmp || !mkdtemp(tmp)) {
        xs_status st = tmp ? xs_err_set(err, XS_IO, "cannot create a "
                                        "directory beside '%s': %s", dir,
                                        strerror(errno))
                           : xs_err_set(err, XS_NOMEM, "out of memory");
        free(tmp);
        return st;
    }
    chmod(tmp, 0755);
    xs_status st = XS_OK;
    for (size_t i = 0; !st && i < site->n; i++)
        st = page_write(tmp, &site->v[i], err);
    if (!st && fresh && rename(tmp, dir) != 0)
        st = xs_err_set(err, XS_IO, "cannot rename into '%s': %s", dir,
                        strerror(errno));
    if (!st && !fresh &&
        renameat2(AT_FDCWD, tmp, AT_FDCWD, dir, RENAME_EXCHANGE) != 0)
        st = xs_err_set(err, XS_IO, "cannot swap the site into '%s': %s",
                        dir, strerror(errno));
    remove_tree(tmp);      /* the new site when failed, else the old one */
    free(tmp);
    return st;
}
