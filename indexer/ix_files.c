/*
 * ix_files.c -- the files table of a snapshot: the size and CRC-32 of
 * every file, written into manifest.json by the build and checked by every
 * open before Xapian reads a byte of the databases.
 *
 * Owns: listing a snapshot's files, checksumming them (zlib crc32), the
 * "files" object of manifest.json and the check against it.
 * Never: opens a path from the manifest that leaves the snapshot; writes.
 * Why: Xapian's glass format keeps no checksums and trusts its blocks: a
 * flipped byte in a block's directory or a term list makes Xapian read out
 * of bounds or loop forever (tests/cli/T43-damaged.sh).  A CRC-32 catches
 * every change of one byte (and every burst of up to 32 bits), the size
 * every cut.  Cost: one read of the index per open, about 0.4 ms per MB.
 *
 *   | "files" entry           | value                                    |
 *   |-------------------------|------------------------------------------|
 *   | path below the snapshot | {"bytes": size, "crc32": "8 hex digits"} |
 *   (every regular file but manifest.json, the two markers of ix_fs.c
 *   (written or removed after the manifest) and Xapian's lock files named
 *    "flintlock", in byte order of path: "decisions",
 *    "sections/docdata.glass", ...)
 */
#include "ix-int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define IX_FILES_DEPTH 2   /* the snapshot and its sections/ directory */
#define IX_CRC_BUF (256 * 1024)

/* CRC-32 and size of the open file fd; -1 with errno on a read error. */
static int crc_fd(int fd, char *buf, uint32_t *crc, unsigned long long *bytes)
{
    uLong c = crc32(0L, Z_NULL, 0);
    unsigned long long n = 0;
    for (;;) {
        ssize_t k = read(fd, buf, IX_CRC_BUF);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return -1;
        if (k == 0)
            break;
        c = crc32_z(c, (const Bytef *)buf, (z_size_t)k);
        n += (unsigned long long)k;
    }
    *crc = (uint32_t)c;
    *bytes = n;
    return 0;
}

/* ------------------------------------------------------------ writing */

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static int names_add(names *ns, char *s)
{
    if (!s)
        return -1;
    if (ns->n == ns->cap) {
        size_t cap = ns->cap ? 2 * ns->cap : 16;
        char **v = realloc(ns->v, cap * sizeof *v);
        if (!v) {
            free(s);
            return -1;
        }
        ns->v = v;
        ns->cap = cap;
    }
    ns->v[ns->n++] = s;
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Add the regular files below root/rel (rel "" for root) to ns. */
static xs_status collect(const char *root, const char *rel, int depth,
                         names *ns, xs_err *err)
{
    char *path = *rel ? ix_strfmt("%s/%s", root, rel) : strdup(root);
    DIR *d = path ? opendir(path) : NULL;
    xs_status st = XS_OK;
    if (!path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    if (!d) {
        st = xs_err_set(err, XS_IO, "cannot list '%s': %m", path);
        free(path);
        return st;
    }
    struct dirent *e;
    while (!st && (e = readdir(d)) != NULL) {
        struct stat sb;
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
            !strcmp(e->d_name, "flintlock") ||
            (!*rel && (!strcmp(e->d_name, "manifest.json") ||
                       !strcmp(e->d_name, IX_SCRATCH_MARKER) ||
                       !strcmp(e->d_name, IX_SNAPSHOT_MARKER))))
            continue;
        char *r = *rel ? ix_strfmt("%s/%s", rel, e->d_name) : strdup(e->d_name);
        if (!r) {
            st = xs_err_set(err, XS_NOMEM, "out of memory");
        } else if (fstatat(dirfd(d), e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) {
            st = xs_err_set(err, XS_IO, "cannot stat '%s/%s': %m", root, r);
        } else if (S_ISDIR(sb.st_mode) && depth > 1) {
            st = collect(root, r, depth - 1, ns, err);
        } else if (S_ISREG(sb.st_mode)) {
            if (names_add(ns, r) != 0)
                st = xs_err_set(err, XS_NOMEM, "out of memory");
            r = NULL;                   /* owned by ns (or freed) */
        }
        free(r);
    }
    closedir(d);
    free(path);
    return st;
}

/* The {"bytes", "crc32"} entry of root/rel into files. */
static xs_status entry_add(json_t *files, const char *root, const char *rel,
                           char *buf, xs_err *err)
{
    char *path = ix_strfmt("%s/%s", root, rel);
    if (!path)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    uint32_t crc = 0;
    unsigned long long bytes = 0;
    xs_status st = XS_OK;
    if (fd < 0 || crc_fd(fd, buf, &crc, &bytes) != 0)
        st = xs_err_set(err, XS_IO, "cannot read '%s': %m", path);
    if (fd >= 0)
        close(fd);
    char hex[9];
    snprintf(hex, sizeof hex, "%08" PRIx32, crc);
    if (!st && json_object_set_new(files, rel,
                                   json_pack("{s:I, s:s}", "bytes",
                                             (json_int_t)bytes, "crc32",
                                             hex)) != 0)
        st = xs_err_set(err, XS_NOMEM, "out of memory");
    free(path);
    return st;
}

xs_status ix_files_json(const char *dir, json_t **out, xs_err *err)
{
    *out = NULL;
    names ns = {0};
    json_t *files = json_object();
    char *buf = malloc(IX_CRC_BUF);
    xs_status st = files && buf ? collect(dir, "", IX_FILES_DEPTH, &ns, err)
                                : xs_err_set(err, XS_NOMEM, "out of memory");
    if (!st)
        qsort(ns.v, ns.n, sizeof *ns.v, by_name);
    for (size_t i = 0; !st && i < ns.n; i++)
        st = entry_add(files, dir, ns.v[i], buf, err);
    for (size_t i = 0; i < ns.n; i++)
        free(ns.v[i]);
    free(ns.v);
    free(buf);
    if (st) {
        json_decref(files);
        return st;
    }
    *out = files;
    return XS_OK;
}

/* ------------------------------------------------------------ checking */

/* A relative path of plain components (letters, digits, . _ -), none of
 * them "." or "..": it cannot leave the snapshot. */
static int safe_path(const char *p)
{
    if (!*p)
        return 0;
    for (const char *c = p; *c; c++) {
        if (*c == '/' && (c == p || c[1] == '/' || !c[1]))
            return 0;
        if (*c != '/' && *c != '.' && *c != '_' && *c != '-' &&
            !(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
            !(*c >= '0' && *c <= '9'))
            return 0;
    }
    for (const char *c = p; c; c = strchr(c, '/')) {
        c += *c == '/';
        if (!strncmp(c, "./", 2) || !strcmp(c, ".") || !strncmp(c, "../", 3) ||
            !strcmp(c, ".."))
            return 0;
    }
    return 1;
}

/* Check one entry of "files" against the file it names. */
static xs_status entry_check(int dfd, const char *dir, const char *rel,
                             const json_t *v, char *buf, xs_err *err)
{
    json_t *jb = json_object_get(v, "bytes");
    const char *want = json_string_value(json_object_get(v, "crc32"));
    if (!safe_path(rel) || !json_is_integer(jb) || json_integer_value(jb) < 0 ||
        !want || strlen(want) != 8)
        return xs_err_set(err, XS_CORRUPT,
                          "index '%s' is corrupt: manifest.json has a bad "
                          "entry for '%s' in \"files\"", dir, rel);
    int fd = openat(dfd, rel, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT
                   ? xs_err_set(err, XS_NOT_FOUND,
                                "cannot open index '%s': '%s' is missing", dir,
                                rel)
                   : xs_err_set(err, XS_IO,
                                "cannot open index '%s': cannot read '%s': %m",
                                dir, rel);
    struct stat sb;
    uint32_t crc = 0;
    unsigned long long bytes = 0;
    char hex[9];
    xs_status st = XS_OK;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
        st = xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: '%s' is not "
                        "a file", dir, rel);
    else if ((unsigned long long)sb.st_size !=
             (unsigned long long)json_integer_value(jb))
        st = xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: '%s' has "
                        "%lld bytes, manifest.json says %lld", dir, rel,
                        (long long)sb.st_size,
                        (long long)json_integer_value(jb));
    else if (crc_fd(fd, buf, &crc, &bytes) != 0)
        st = xs_err_set(err, XS_IO, "cannot open index '%s': cannot read "
                        "'%s': %m", dir, rel);
    if (!st) {
        snprintf(hex, sizeof hex, "%08" PRIx32, crc);
        if (strcmp(hex, want) != 0 ||
            bytes != (unsigned long long)json_integer_value(jb))
            st = xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: '%s' "
                            "does not match its checksum in manifest.json",
                            dir, rel);
    }
    close(fd);
    return st;
}

xs_status ix_files_check(int dfd, const char *dir, const json_t *files,
                         xs_err *err)
{
    if (!json_is_object(files) || !json_object_size(files))
        return xs_err_set(err, XS_CORRUPT, "index '%s' is corrupt: "
                          "manifest.json lists no files", dir);
    char *buf = malloc(IX_CRC_BUF);
    if (!buf)
        return xs_err_set(err, XS_NOMEM, "out of memory");
    xs_status st = XS_OK;
    const char *rel;
    json_t *v;
    json_object_foreach((json_t *)files, rel, v) {
        if ((st = entry_check(dfd, dir, rel, v, buf, err)) != XS_OK)
            break;
    }
    free(buf);
    return st;
}
