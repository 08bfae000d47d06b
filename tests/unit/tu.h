/*
 * tu.h -- helpers shared by the unit tests (tests/unit/test_*.c).
 *
 * Owns: formatted strings, paths into the repository, scratch directories
 * and files, substring assertions.  Every helper fails the running cmocka
 * test instead of returning an error.  Never linked into akkoord itself.
 */
#ifndef TU_H
#define TU_H

#include <stddef.h>

/* printf into a malloc'd string. */
char *tu_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Path of rel inside the repository (from this file's absolute path, or
 * $AKKOORD_ROOT); malloc'd. */
char *tu_repo_path(const char *rel);
/* A new scratch directory $TMPDIR/NAME-XXXXXX (malloc'd path). */
char *tu_mkdtemp(const char *name);
/* Remove dir and everything below it. */
void tu_rmtree(const char *dir);
/* Write len bytes to dir/name; returns the malloc'd path. */
char *tu_write(const char *dir, const char *name, const void *data,
               size_t len);
/* Fail unless s (may be NULL) contains part. */
void tu_assert_contains(const char *s, const char *part);

#endif /* TU_H */
