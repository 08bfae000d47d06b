/*
 * fz.c -- shared helpers of the fuzz targets; see fz.h.
 */
#define _GNU_SOURCE             /* memfd_create */

#include "fz.h"

#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* One input file per fuzzing process: libFuzzer runs inputs one at a time. */
static char dir[64];
static char path[96];
static int memfd = -1;

static void cleanup(void)
{
    if (memfd >= 0) {
        close(memfd);
        return;
    }
    unlink(path);
    rmdir(dir);
}

void fz_setup(const char *name)
{
    const char *tmp = getenv("TMPDIR");
    atexit(cleanup);
    memfd = memfd_create(name, 0);
    if (memfd >= 0) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
        return;
    }
    snprintf(dir, sizeof dir, "%s/akkoord-fuzz-XXXXXX",
             tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/%s", dir, name);
}

const char *fz_put(const uint8_t *data, size_t size)
{
    if (memfd >= 0) {
        CHECK(ftruncate(memfd, 0) == 0);
        CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);
        return path;
    }
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);
    return path;
}

void fz_check_str(cp_str s)
{
    if (!s.ptr) {
        CHECK(s.len == 0);
        return;
    }
    CHECK(strlen(s.ptr) == s.len);
}

void fz_check_norm(cp_str s)
{
    fz_check_str(s);
    if (!s.ptr || s.len == 0)
        return;
    CHECK(s.ptr[0] != ' ' && s.ptr[s.len - 1] != ' ');
    for (size_t i = 0; i < s.len; i++) {
        CHECK(s.ptr[i] != '\t' && s.ptr[i] != '\r' && s.ptr[i] != '\n');
        CHECK(!(s.ptr[i] == ' ' && s.ptr[i + 1] == ' '));
        CHECK(!((unsigned char)s.ptr[i] == 0xC2 && i + 1 < s.len &&
                (unsigned char)s.ptr[i + 1] == 0xA0));
    }
}

void fz_read_all(const uint8_t *data, size_t size, fz_next_fn next,
                 void *rec, fz_check_fn check)
{
    cp_reader *r = NULL;
    char *msg = NULL;
    unsigned long last = 0;
    const char *p = fz_put(data, size);
    cp_status st = cp_reader_open(p, &r, &msg);
    CHECK(st == CP_OK && r != NULL && msg == NULL);
    CHECK(cp_reader_size(r) == size);
    for (;;) {
        st = next(r, rec);
        (void)cp_reader_offset(r);
        if (st == CP_EOF || st == CP_IO || st == CP_NOMEM)
            break;
        /* every record or rejected line moves on by at least one line */
        CHECK(cp_reader_line(r) > last);
        last = cp_reader_line(r);
        if (st == CP_BAD) {
            CHECK(strncmp(cp_reader_error(r), p, strlen(p)) == 0);
            continue;
        }
        CHECK(st == CP_OK);
        CHECK(*cp_reader_error(r) == '\0');
        check(rec);
    }
    if (st == CP_IO) {
        /* a broken stream stays broken, with a message */
        CHECK(*cp_reader_error(r) != '\0');
        CHECK(next(r, rec) == CP_IO);
    } else if (st == CP_EOF) {
        CHECK(next(r, rec) == CP_EOF);
    }
    cp_reader_close(r);
}
