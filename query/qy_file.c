/*
 * qy_file.c -- output files written whole or not at all.
 *
 * Owns: the temporary file ".NAME.tmp-PID-N" beside an output file, and
 * replacing the output with it in one rename after fsync, so that a full
 * disk or a crash leaves the previous report as it was, never half of a
 * new one.  A target that exists and is not a regular file (/dev/stdout,
 * a FIFO) is written in place; a symbolic link is followed, and the file
 * it names is replaced.
 * Never: leaves its temporary file behind on an error it sees.
 */
#define _GNU_SOURCE
#include "qy-int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The file to replace: path itself, or what its symlink names. */
static char *resolve(const char *path, int *in_place, xs_err *err)
{
    struct stat sb;
    *in_place = 0;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? strdup(path) : NULL;
    if (S_ISLNK(sb.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real && errno != ENOENT) {
            xs_err_set(err, XS_IO, "cannot follow '%s': %m", path);
            return NULL;
        }
        if (!real || stat(real, &sb) != 0)  /* dangling: make what it names */
            return real ? real : strdup(path);
        *in_place = !S_ISREG(sb.st_mode);
        return real;
    }
    *in_place = !S_ISREG(sb.st_mode);
    return strdup(path);
}

/* Create ".BASE.tmp-PID-N" beside o->path, for the first N free. */
static xs_status open_tmp(qy_file *o, xs_err *err)
{
    char *c = strdup(o->path), *d = strdup(o->path);
    const char *dir = d ? dirname(d) : NULL, *base = c ? basename(c) : NULL;
    size_t len = dir && base ? strlen(dir) + strlen(base) + 64 : 0;
    xs_status st = len && (o->tmp = malloc(len))
                       ? XS_OK : xs_err_set(err, XS_NOMEM, "out of memory");
    int fd = -1;
    for (long n = 0; !st && fd < 0 && n < 1000; n++) {
        snprintf(o->tmp, len, "%s/.%s.tmp-%ld-%ld", dir, base,
                 (long)getpid(), n);
        fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            st = xs_err_set(err, XS_IO, "cannot write '%s': %m", o->shown);
    }
    if (!st && fd < 0)
        st = xs_err_set(err, XS_IO, "cannot write '%s': no free temporary "
                        "name beside it", o->shown);
    if (!st && !(o->f = fdopen(fd, "w"))) {
        st = xs_err_set(err, XS_NOMEM, "out of memory");
        close(fd);
    }
    if (st && fd >= 0)
        unlink(o->tmp);
    if (st) {
        free(o->tmp);
        o->tmp = NULL;
    }
    free(c);
    free(d);
    return st;
}

xs_status qy_file_open(qy_file *o, const char *path, xs_err *err)
{
    int in_place;
    *o = (qy_file){0};
    o->shown = path;
    if (!(o->path = resolve(path, &in_place, err)))
        return err && err->code ? err->code
                                : xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = XS_OK;
    if (!in_place)
        st = open_tmp(o, err);
    else if (!(o->f = fopen(o->path, "w")))
        st = errno == ENOMEM ? xs_err_set(err, XS_NOMEM, "out of memory")
                             : xs_err_set(err, XS_IO, "cannot write '%s': %m",
                                          path);
    if (st) {                    /* nothing to close: release it all here */
        free(o->path);
        *o = (qy_file){0};
    }
    return st;
}

xs_status qy_file_close(qy_file *o, int ok, xs_err *err)
{
    xs_status st = XS_OK;
    if (o->f) {
        int bad = fflush(o->f) != 0 || ferror(o->f) ||
                  (o->tmp && fsync(fileno(o->f)) != 0);
        int e = errno;
        if (fclose(o->f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad && ok)
            st = xs_err_set(err, XS_IO, "cannot write '%s': %s", o->shown,
                            strerror(e));
    }
    if (!st && ok && o->tmp && rename(o->tmp, o->path) != 0)
        st = xs_err_set(err, XS_IO, "cannot replace '%s': %m", o->shown);
    if (o->tmp && (st || !ok))
        unlink(o->tmp);
    free(o->tmp);
    free(o->path);
    *o = (qy_file){0};
    return st;
}
