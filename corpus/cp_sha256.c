/*
 * cp_sha256.c -- sha256 (FIPS 180-4) of a corpus file's bytes, via nettle.
 *
 * Owns: hashing a file as stored on disk (the gzip bytes for a .gz) in a
 * pass of its own, for checking what the reader hashed while it read
 * (cp_reader_sha256, which the manifest uses); the hex form of a digest.
 * Never: decompresses, prints, or keeps state between calls.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cp.h"
#include "cp-int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nettle/sha2.h>

enum { CP_SHA_CHUNK = 64 * 1024 };

/* Feed every byte of fd into ctx; 0 or an errno value. */
static int sha_feed(int fd, struct sha256_ctx *ctx, uint8_t *buf)
{
    ssize_t n;

    for (;;) {
        n = read(fd, buf, CP_SHA_CHUNK);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return errno;
        if (n == 0)
            return 0;
        sha256_update(ctx, (size_t)n, buf);
    }
}

void cp_sha256_hex(const uint8_t dig[32], char hex[65])
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < SHA256_DIGEST_SIZE; i++) {
        hex[2 * i] = digits[dig[i] >> 4];
        hex[2 * i + 1] = digits[dig[i] & 0xF];
    }
    hex[64] = '\0';
}

/* Open path for reading; a directory fails with EISDIR. */
static int sha_open(const char *path, int *err)
{
    struct stat sb;
    int fd = open(path, O_RDONLY | O_CLOEXEC);

    if (fd < 0) {
        *err = errno;
        return -1;
    }
    if (fstat(fd, &sb) != 0)
        *err = errno;
    else if (S_ISDIR(sb.st_mode))
        *err = EISDIR;
    else
        return fd;
    close(fd);
    return -1;
}

cp_status cp_file_sha256(const char *path, char hex[65], char **errmsg)
{
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    uint8_t *buf = NULL;
    cp_status st = CP_IO;
    int fd, err = 0;

    hex[0] = '\0';
    fd = sha_open(path, &err);
    if (fd < 0)
        goto done;
    buf = malloc(CP_SHA_CHUNK);
    if (!buf) {
        st = CP_NOMEM;
        goto done;
    }
    sha256_init(&ctx);
    err = sha_feed(fd, &ctx, buf);
    if (err)
        goto done;
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, dig);
    cp_sha256_hex(dig, hex);
    st = CP_OK;
done:
    if (fd >= 0)
        close(fd);
    free(buf);
    if (errmsg)
        *errmsg = st == CP_OK ? NULL
                  : st == CP_NOMEM ? cp_msg_new("%s: out of memory", path)
                  : cp_msg_errno(path, err);
    return st;
}
