/*
 * faultsim.c -- TEST SCAFFOLDING: the allocation-failure hook of the
 * faultsim build (make faultsim; after SQLite's test_malloc.c faultsim).
 *
 * Owns: one process-wide allocation counter and the decision to fail the
 * Nth allocation.  Linked only into $(O)/faultsim/akkoord-{index,query},
 * never into the product binaries, which keep no global mutable state:
 * the state below is the point of this file.
 * Never: changes what a successful allocation returns.
 *
 * Counted, in every thread (the counter is atomic):
 *   | what                         | how it is hooked                     |
 *   |------------------------------|--------------------------------------|
 *   | malloc calloc realloc        | ld --wrap, in our objects (C, shim)  |
 *   | strdup strndup               | ld --wrap                            |
 *   | open_memstream fopen gzdopen | ld --wrap (each allocates a stream)  |
 *   | jansson                      | json_set_alloc_funcs (constructor)   |
 *   | C++ operator new, new[]      | replaced (faultsim_new.cc): throws   |
 *   |                              | std::bad_alloc, Xapian's and ours    |
 *   | jansson's parser, Xapian's   | ld --wrap of json_loadb, json_loadfd,|
 *   | commit                       | json_load_file and WritableDatabase::|
 *   |                              | commit: one allocation each (below)  |
 * Two third-party calls are not safe when an allocation fails inside
 * them, so each counts as one allocation: only its first allocation can
 * fail (which they handle), and the others are neither counted nor failed.
 *   - jansson 2.14's lexer ignores a failed growth of its token buffer
 *     (lex_save, akheron/jansson#362): it drops a byte of the input, then
 *     reports a syntax error that is not there, fails an assertion or
 *     reads past the buffer.
 *   - Xapian 1.4.22's glass commit throws std::bad_alloc through a frame
 *     that may not throw: std::terminate (seen in the shards' commit).
 * Allocations inside other libraries that call malloc directly (libc,
 * zlib, libstemmer, liblinear) are not counted.  Counting starts with this
 * file's constructor, so what libraries do before main is never failed.
 *
 * Environment:
 *   | AKKOORD_FAULT_N=N        | fail the Nth counted allocation (0/unset: |
 *   |                          | none); a failure sets errno = ENOMEM      |
 *   | AKKOORD_FAULT_MODE=MODE  | oneshot (default): only the Nth fails;    |
 *   |                          | persistent: the Nth and every later one   |
 *   | AKKOORD_FAULT_COUNT=FILE | at exit, write "COUNT FAILED\n" to FILE:  |
 *   |                          | allocations counted, and how many of them |
 *   |                          | were failed                               |
 *   | AKKOORD_FAULT_TRACE=1    | print the stack of the first failed       |
 *   |                          | allocation on stderr (ASan's unwinder)    |
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <zlib.h>

#include "faultsim.h"

/* In the sanitizer runtime (weak: absent without -fsanitize=address). */
extern void __sanitizer_print_stack_trace(void) __attribute__((weak));

static atomic_ulong fs_count;     /* counted allocations so far          */
static atomic_ulong fs_failed;    /* of which failed                     */
static unsigned long fs_at;       /* AKKOORD_FAULT_N (0: never)          */
static int fs_persistent;         /* fail every allocation after fs_at   */
static int fs_trace;              /* AKKOORD_FAULT_TRACE                 */
static int fs_armed;              /* set by the constructor              */
static const char *fs_count_file; /* AKKOORD_FAULT_COUNT                 */
/* Inside a call that counts as one allocation: 1 before its first
 * allocation, 2 after it. */
static _Thread_local int fs_region;

int akk_faultsim_fail(void)
{
    if (!fs_armed || fs_region == 2)
        return 0;
    if (fs_region == 1)
        fs_region = 2;
    unsigned long n = atomic_fetch_add(&fs_count, 1) + 1;
    if (!fs_at || n < fs_at || (n > fs_at && !fs_persistent))
        return 0;
    if (atomic_fetch_add(&fs_failed, 1) == 0 && fs_trace &&
        __sanitizer_print_stack_trace) {
        fprintf(stderr, "faultsim: allocation %lu fails here:\n", n);
        __sanitizer_print_stack_trace();
    }
    errno = ENOMEM;
    return 1;
}

void akk_faultsim_region(int on)
{
    fs_region = on ? 1 : 0;
}

void *akk_faultsim_malloc(size_t n)
{
    return akk_faultsim_fail() ? NULL : __real_malloc(n);
}

/* __wrap_NAME: the allocation NAME(ARGS...), or NULL when it is to fail.
 * PARAMS is the parameter list, ARGS the same names in a call. */
#define FS_WRAP(type, name, params, args)                                    \
    type __real_##name params;                                               \
    type __wrap_##name params;                                               \
    type __wrap_##name params                                                \
    {                                                                        \
        return akk_faultsim_fail() ? NULL : __real_##name args;              \
    }

void *__wrap_malloc(size_t n);
void *__wrap_malloc(size_t n)
{
    return akk_faultsim_malloc(n);
}
FS_WRAP(void *, calloc, (size_t n, size_t size), (n, size))
FS_WRAP(void *, realloc, (void *p, size_t n), (p, n))
FS_WRAP(char *, strdup, (const char *s), (s))
FS_WRAP(char *, strndup, (const char *s, size_t n), (s, n))
FS_WRAP(FILE *, open_memstream, (char **buf, size_t *len), (buf, len))
FS_WRAP(FILE *, fopen, (const char *path, const char *mode), (path, mode))
FS_WRAP(gzFile, gzdopen, (int fd, const char *mode), (fd, mode))

/* A jansson parse counts as one allocation (see the top of this file). */
json_t *__real_json_loadb(const char *buf, size_t len, size_t flags,
                          json_error_t *err);
json_t *__real_json_load_file(const char *path, size_t flags,
                              json_error_t *err);
json_t *__wrap_json_loadb(const char *buf, size_t len, size_t flags,
                          json_error_t *err);
json_t *__wrap_json_load_file(const char *path, size_t flags,
                              json_error_t *err);
json_t *__real_json_loadfd(int fd, size_t flags, json_error_t *err);
json_t *__wrap_json_loadfd(int fd, size_t flags, json_error_t *err);

json_t *__wrap_json_loadb(const char *buf, size_t len, size_t flags,
                          json_error_t *err)
{
    akk_faultsim_region(1);
    json_t *j = __real_json_loadb(buf, len, flags, err);
    akk_faultsim_region(0);
    return j;
}

json_t *__wrap_json_load_file(const char *path, size_t flags,
                              json_error_t *err)
{
    akk_faultsim_region(1);
    json_t *j = __real_json_load_file(path, flags, err);
    akk_faultsim_region(0);
    return j;
}

json_t *__wrap_json_loadfd(int fd, size_t flags, json_error_t *err)
{
    akk_faultsim_region(1);
    json_t *j = __real_json_loadfd(fd, flags, err);
    akk_faultsim_region(0);
    return j;
}

static void fs_report(void)
{
    if (!fs_count_file)
        return;
    int fd = open(fs_count_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                  0644);
    if (fd < 0)
        return;
    dprintf(fd, "%lu %lu\n", atomic_load(&fs_count), atomic_load(&fs_failed));
    close(fd);
}

__attribute__((constructor)) static void fs_init(void)
{
    const char *n = getenv("AKKOORD_FAULT_N");
    const char *mode = getenv("AKKOORD_FAULT_MODE");
    fs_at = n && *n ? strtoul(n, NULL, 10) : 0;
    fs_persistent = mode && !strcmp(mode, "persistent");
    fs_trace = getenv("AKKOORD_FAULT_TRACE") != NULL;
    fs_count_file = getenv("AKKOORD_FAULT_COUNT");
    if (fs_count_file && *fs_count_file)
        atexit(fs_report);
    else
        fs_count_file = NULL;
    json_set_alloc_funcs(akk_faultsim_malloc, free);
    fs_armed = 1;
}
