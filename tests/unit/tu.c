/*
 * tu.c -- helpers shared by the unit tests; see tu.h.
 */
#define _XOPEN_SOURCE 700

#include "tu.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ftw.h>
#include <sys/stat.h>

#include <cmocka.h>

char *tu_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    assert_true(n >= 0);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

char *tu_repo_path(const char *rel)
{
    const char *me = __FILE__;
    const char *root = getenv("AKKOORD_ROOT");
    const char *tail = strstr(me, "tests/unit/tu.c");
    if (me[0] != '/' && root && *root)
        return tu_printf("%s/%s", root, rel);
    return tu_printf("%.*s%s", tail ? (int)(tail - me) : 0, me, rel);
}

char *tu_mkdtemp(const char *name)
{
    const char *tmp = getenv("TMPDIR");
    char *dir = tu_printf("%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", name);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static int rm_entry(const char *path, const struct stat *sb, int flag,
                    struct FTW *ftw)
{
    (void)sb; (void)ftw;
    if (flag == FTW_DP || flag == FTW_D)
        chmod(path, 0700);
    remove(path);
    return 0;
}

void tu_rmtree(const char *dir)
{
    nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

char *tu_write(const char *dir, const char *name, const void *data,
               size_t len)
{
    char *path = tu_printf("%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    return path;
}

void tu_assert_contains(const char *s, const char *part)
{
    if (!s || !strstr(s, part))
        fail_msg("'%s' does not contain '%s'", s ? s : "(null)", part);
}
