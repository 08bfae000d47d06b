/*
 * fuzz_decisions.c -- libFuzzer target for the decision reader (corpus/cp.h).
 *
 * Owns: feeding arbitrary bytes (plain JSON Lines or gzip) to
 * cp_reader_next_decision through a file, reading to the end, and checking
 * the reader's documented contract on every record it returns.
 * The input goes to a memfd read through /proc/self/fd/N (a temp dir when
 * memfd_create is missing): a disk file costs 100x the executions.
 * Never: leaves files behind.  Run it with `make fuzz` (tests/fuzz/README.md).
 */
#define _GNU_SOURCE             /* memfd_create */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../corpus/cp.h"

#define CHECK(c)                                                              \
    do {                                                                      \
        if (!(c)) {                                                           \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,        \
                    __LINE__, #c);                                            \
            abort();                                                          \
        }                                                                     \
    } while (0)

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

static void setup(void)
{
    const char *tmp = getenv("TMPDIR");

    atexit(cleanup);
    memfd = memfd_create("decisions.jsonl", 0);
    if (memfd >= 0) {
        snprintf(path, sizeof path, "/proc/self/fd/%d", memfd);
        return;
    }
    snprintf(dir, sizeof dir, "%s/akkoord-fuzz-XXXXXX",
             tmp && *tmp && strlen(tmp) < 32 ? tmp : "/tmp");
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/decisions.jsonl", dir);
}

/* Make the file at path hold exactly data[0..size). */
static void put_input(const uint8_t *data, size_t size)
{
    FILE *f;

    if (memfd >= 0) {
        CHECK(ftruncate(memfd, 0) == 0);
        CHECK(pwrite(memfd, data, size, 0) == (ssize_t)size);
        return;
    }
    f = fopen(path, "wb");
    CHECK(f != NULL);
    CHECK(fwrite(data, 1, size, f) == size);
    CHECK(fclose(f) == 0);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    setup();
    return 0;
}

/* A present string has the length it claims and no NUL inside. */
static void check_str(cp_str s)
{
    if (!s.ptr) {
        CHECK(s.len == 0);
        return;
    }
    CHECK(strlen(s.ptr) == s.len);
}

/* Normalised title/text: no tab/CR/LF/NBSP, no double, leading or trailing
 * space (cp.h "Text normalisation"). */
static void check_norm(cp_str s)
{
    check_str(s);
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    cp_reader *r = NULL;
    char *msg = NULL;
    cp_decision d;
    cp_status st;
    unsigned long last = 0;

    put_input(data, size);
    st = cp_reader_open(path, &r, &msg);
    CHECK(st == CP_OK && r != NULL && msg == NULL);
    CHECK(cp_reader_size(r) == size);
    for (;;) {
        st = cp_reader_next_decision(r, &d);
        (void)cp_reader_offset(r);
        if (st == CP_EOF || st == CP_IO || st == CP_NOMEM)
            break;
        /* every record or rejected line moves on by at least one line */
        CHECK(cp_reader_line(r) > last);
        last = cp_reader_line(r);
        if (st == CP_BAD) {
            const char *e = cp_reader_error(r);
            CHECK(strncmp(e, path, strlen(path)) == 0);
            CHECK(d.id.ptr == NULL && d.text.ptr == NULL);
            continue;
        }
        CHECK(st == CP_OK);
        CHECK(*cp_reader_error(r) == '\0');
        check_str(d.id);
        CHECK(d.id.ptr && d.id.len > 0);
        check_str(d.date);
        if (d.date.ptr) {
            CHECK(cp_date_valid(d.date.ptr, d.date.len));
            CHECK(d.year == atoi(d.date.ptr));
        } else {
            CHECK(d.year == 0);
        }
        check_str(d.kind);
        check_str(d.url);
        check_norm(d.title);
        check_norm(d.text);
        CHECK(d.title.len > 0 || d.text.len > 0);
    }
    if (st == CP_IO) {
        /* a broken stream stays broken, with a message */
        CHECK(*cp_reader_error(r) != '\0');
        CHECK(cp_reader_next_decision(r, &d) == CP_IO);
    } else if (st == CP_EOF) {
        CHECK(cp_reader_next_decision(r, &d) == CP_EOF);
    }
    cp_reader_close(r);
    return 0;
}
