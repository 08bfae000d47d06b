/*
 * cp_reader.c -- streaming JSON Lines reader for decisions and sections.
 *
 * Owns: the one pass over the file's bytes (read(2) into one buffer that
 * feeds both the sha256 (FIPS 180-4, nettle) and zlib's inflate for gzip
 * members, RFC 1952), the line loop and its length limit, line hygiene
 * (BOM, CR, blank lines, NUL bytes, UTF-8 per RFC 3629), parsing each line
 * with jansson (RFC 8259), field validation, whitespace normalisation of
 * title and text, and the "FILE:LINE: what" messages.
 * Never: opens or reads the file twice, seeks, prints, exits, keeps global
 * state, or holds more than one line (plus its parsed tree) in memory.
 * The formats: corpus/README.md.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include "cp.h"
#include "cp-int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <nettle/sha2.h>
#include <zlib.h>

enum { CP_CHUNK = 64 * 1024 };
/* Quoted corpus text in a message: at most this many bytes of it. */
enum { CP_QUOTE_MAX = 64 };

/* What the first bytes said the file is. */
typedef enum rd_mode { RD_UNKNOWN, RD_PLAIN, RD_GZIP } rd_mode;

/* Field flags for fld_str(). */
enum { CP_F_REQUIRED = 1 << 0, CP_F_NULL_OK = 1 << 1 };

struct cp_reader {
    int fd;
    char *path;              /* as given by the caller, for messages      */
    unsigned long long size; /* regular file: its size at open, else 0    */
    unsigned long long nread;/* bytes read from fd so far                 */
    struct sha256_ctx sha;   /* of those bytes                            */
    char hex[65];            /* their sha256 once fd is at its end, or "" */
    unsigned char *raw;      /* bytes read, not yet consumed              */
    size_t raw_pos;
    size_t raw_len;
    int raw_eof;             /* read() returned 0                         */
    rd_mode mode;
    z_stream zs;             /* RD_GZIP: the member being inflated        */
    int zs_live;             /* inflateInit2 succeeded                    */
    int member_end;          /* the member ended; more may follow         */
    unsigned long member;    /* number of the member (1-based)            */
    int zerr;                /* inflate's error, reported after the bytes
                                it produced before it                     */
    unsigned char *zout;     /* RD_GZIP: inflated bytes                   */
    unsigned long line;      /* number of the line in buf                 */
    const char *chunk;       /* bytes not yet split in lines (into raw or
                                zout)                                     */
    size_t chunk_pos;
    size_t chunk_len;
    int at_eof;
    int skip_line;           /* drop the rest of an over-long line first  */
    cp_status sticky;        /* CP_IO/CP_NOMEM once the stream is broken  */
    cp_buf buf;              /* the current line, without its LF          */
    json_t *root;            /* the current record; owns id, date, ...    */
    cp_buf title;            /* normalised title                          */
    cp_buf text;             /* normalised text                           */
    cp_buf path_joined;      /* section path joined with " > "            */
    cp_item_bufs items;      /* what a decision from an API item borrows  */
    const char *format;      /* "extract", "valvas", NULL before a record */
    json_t *page;            /* the API page on this line, or NULL        */
    size_t page_next;        /* index of its next item                    */
    unsigned long item;      /* 1-based item of page last returned, or 0  */
    char *err;               /* heap message of the last failure, or NULL */
    const char *errp;        /* what cp_reader_error() returns            */
};

/* ---------------------------------------------------------------- UTF-8 */

/* Length of a valid UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t len, i;

    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

static int utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k;

    while (i < n) {
        k = utf8_seq(p + i, n - i);
        if (k == 0)
            return 0;
        i += k;
    }
    return 1;
}

/* ------------------------------------------------------------- messages */

char *cp_msg_vnew(const char *fmt, va_list ap)
{
    va_list ap2;
    char *s = NULL;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

char *cp_msg_new(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = cp_msg_vnew(fmt, ap);
    va_end(ap);
    return s;
}

char *cp_msg_errno(const char *path, int err)
{
    char *m = cp_msg_new("%s: %s", path, strerror(err));
    size_t at = strlen(path) + 2;

    if (m && m[at])
        m[at] = (char)tolower((unsigned char)m[at]);
    return m;
}

char *cp_msg_escape(const char *s, size_t len, size_t max)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t keep = len < max ? len : max;
    size_t i = 0, k, o = 0;
    /* at most 4 bytes out for each byte in; a character begun before
     * keep may end 3 bytes after it */
    char *out = malloc(4 * (keep + 3) + 4);

    if (!out)
        return NULL;
    while (i < keep) {
        k = utf8_seq(p + i, len - i);
        if (k == 0 || (k == 1 && (p[i] < 0x20 || p[i] == 0x7F))) {
            o += (size_t)sprintf(out + o, "\\x%02x", p[i]);
            k = 1;
        } else if (k == 2 && p[i] == 0xC2 && p[i + 1] <= 0x9F) {
            o += (size_t)sprintf(out + o, "\\u%04x", p[i + 1]);   /* C1 */
        } else {
            memcpy(out + o, p + i, k);
            o += k;
        }
        i += k;
    }
    if (i < len) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

/* Take ownership of body (NULL = out of memory) and make it the reader's
 * message "PATH:LINE: body".  Returns st, or CP_NOMEM when the message
 * cannot be built. */
static cp_status rd_fail(cp_reader *r, cp_status st, char *body)
{
    free(r->err);
    if (!body)
        r->err = NULL;
    else if (r->item)
        r->err = cp_msg_new("%s:%lu: item %lu: %s", r->path, r->line,
                            r->item, body);
    else
        r->err = cp_msg_new("%s:%lu: %s", r->path, r->line, body);
    free(body);
    r->errp = r->err ? r->err : "out of memory";
    return r->err ? st : CP_NOMEM;
}

static cp_status rd_bad(cp_reader *r, cp_status st, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static cp_status rd_bad(cp_reader *r, cp_status st, const char *fmt, ...)
{
    va_list ap;
    char *body;

    va_start(ap, fmt);
    body = cp_msg_vnew(fmt, ap);
    va_end(ap);
    return rd_fail(r, st, body);
}

/* -------------------------------------------------------------- buffers */

int cp_buf_reserve(cp_buf *b, size_t need)
{
    size_t cap = b->cap ? b->cap : 256;
    char *p;

    if (need < b->cap)
        return 0;
    if (need == SIZE_MAX)
        return -1;
    while (cap <= need)
        cap = cap > SIZE_MAX / 2 ? need + 1 : cap * 2;
    p = realloc(b->ptr, cap);
    if (!p)
        return -1;
    b->ptr = p;
    b->cap = cap;
    return 0;
}

int cp_buf_append(cp_buf *b, const char *s, size_t n)
{
    if (n > SIZE_MAX - b->len - 1 || cp_buf_reserve(b, b->len + n) != 0)
        return -1;
    memcpy(b->ptr + b->len, s, n);
    b->len += n;
    b->ptr[b->len] = '\0';
    return 0;
}

/* ------------------------------------------------------------ open/close */

/* Only regular files and FIFOs (pipes: /dev/stdin, <(...)) are read, in
 * one pass; *err is then 0, else an errno value (EISDIR for a directory)
 * or RD_NOT_FILE for a device or socket. */
enum { RD_NOT_FILE = -1 };

static int rd_kind(mode_t m)
{
    if (S_ISDIR(m))
        return EISDIR;
    return S_ISREG(m) || S_ISFIFO(m) ? 0 : RD_NOT_FILE;
}

/* Open path read-only.  It is looked at before it is opened, so that a
 * device is never opened, and again through the descriptor. */
static int rd_open_fd(const char *path, unsigned long long *size, int *err)
{
    struct stat sb;
    int fd = -1;

    *err = stat(path, &sb) != 0 ? errno : rd_kind(sb.st_mode);
    if (*err == 0) {
        fd = open(path, O_RDONLY | O_CLOEXEC);
        *err = fd < 0 || fstat(fd, &sb) != 0 ? errno : rd_kind(sb.st_mode);
    }
    if (*err != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    *size = S_ISREG(sb.st_mode) ? (unsigned long long)sb.st_size : 0;
    return fd;
}

static int rd_init(cp_reader *r, const char *path)
{
    r->path = strdup(path);
    r->raw = malloc(CP_CHUNK);
    r->zout = malloc(CP_CHUNK);
    if (!r->path || !r->raw || !r->zout || cp_buf_reserve(&r->buf, 0) != 0)
        return -1;
    sha256_init(&r->sha);
    r->errp = "";
    return 0;
}

cp_status cp_reader_open(const char *path, cp_reader **out, char **errmsg)
{
    cp_reader *r = calloc(1, sizeof *r);
    cp_status st = CP_NOMEM;
    char *msg = NULL;
    int err = 0;

    *out = NULL;
    if (errmsg)
        *errmsg = NULL;
    if (r)
        r->fd = -1;
    if (r && rd_init(r, path) == 0) {
        r->fd = rd_open_fd(path, &r->size, &err);
        if (r->fd >= 0) {
            *out = r;
            return CP_OK;
        }
        st = CP_IO;
        msg = err == RD_NOT_FILE
                  ? cp_msg_new("%s: not a regular file or pipe", path)
                  : cp_msg_errno(path, err);
    }
    cp_reader_close(r);
    if (st == CP_NOMEM || !msg) {
        free(msg);
        msg = cp_msg_new("%s: out of memory", path);
        st = CP_NOMEM;
    }
    if (errmsg)
        *errmsg = msg;
    else
        free(msg);
    return st;
}

void cp_reader_close(cp_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    if (r->zs_live)
        inflateEnd(&r->zs);
    json_decref(r->root);
    free(r->path);
    free(r->raw);
    free(r->zout);
    free(r->buf.ptr);
    free(r->title.ptr);
    free(r->text.ptr);
    free(r->path_joined.ptr);
    cp_item_bufs_release(&r->items);
    json_decref(r->page);
    free(r->err);
    free(r);
}

/* ------------------------------------------------------------ raw bytes */

/* Read more of the file after the bytes not yet consumed (moved to the
 * front of raw), feeding the sha256.  At the end of the file the digest
 * is taken; a regular file that ends before its size at open shrank
 * while it was read. */
static cp_status raw_read(cp_reader *r)
{
    uint8_t dig[SHA256_DIGEST_SIZE];
    ssize_t n;

    if (r->raw_pos > 0) {
        memmove(r->raw, r->raw + r->raw_pos, r->raw_len - r->raw_pos);
        r->raw_len -= r->raw_pos;
        r->raw_pos = 0;
    }
    n = read(r->fd, r->raw + r->raw_len, CP_CHUNK - r->raw_len);
    if (n < 0)
        return rd_fail(r, CP_IO, cp_msg_errno("read error", errno));
    if (n > 0) {
        sha256_update(&r->sha, (size_t)n, r->raw + r->raw_len);
        r->raw_len += (size_t)n;
        r->nread += (unsigned long long)n;
        return CP_OK;
    }
    r->raw_eof = 1;
    if (r->nread < r->size)
        return rd_bad(r, CP_IO, "file shrank while being read (%llu of %llu "
                      "bytes)", r->nread, r->size);
    sha256_digest(&r->sha, sizeof dig, dig);
    cp_sha256_hex(dig, r->hex);
    return CP_OK;
}

/* Have at least n unconsumed bytes, unless the file ends first. */
static cp_status raw_want(cp_reader *r, size_t n)
{
    cp_status st = CP_OK;

    while (st == CP_OK && r->raw_len - r->raw_pos < n && !r->raw_eof)
        st = raw_read(r);
    return st;
}

/* Do the unconsumed bytes start with the gzip magic 1f 8b? */
static int raw_gzip_magic(const cp_reader *r)
{
    return r->raw_len - r->raw_pos >= 2 && r->raw[r->raw_pos] == 0x1F &&
           r->raw[r->raw_pos + 1] == 0x8B;
}

/* The first two bytes decide: gzip (1f 8b, RFC 1952) or plain text. */
static cp_status rd_detect(cp_reader *r)
{
    cp_status st = raw_want(r, 2);

    if (st != CP_OK)
        return st;
    r->mode = raw_gzip_magic(r) ? RD_GZIP : RD_PLAIN;
    if (r->mode == RD_PLAIN)
        return CP_OK;
    r->member = 1;
    if (inflateInit2(&r->zs, 15 + 16) != Z_OK)    /* gzip wrapper only */
        return rd_bad(r, CP_NOMEM, "out of memory");
    r->zs_live = 1;
    return CP_OK;
}

/* Plain text: the chunk is the raw bytes themselves. */
static cp_status plain_fill(cp_reader *r)
{
    cp_status st = CP_OK;

    if (r->raw_pos == r->raw_len && !r->raw_eof)
        st = raw_read(r);
    if (st != CP_OK)
        return st;
    r->chunk = (const char *)r->raw + r->raw_pos;
    r->chunk_pos = 0;
    r->chunk_len = r->raw_len - r->raw_pos;
    r->raw_pos = r->raw_len;
    r->at_eof = r->chunk_len == 0;
    return CP_OK;
}

/* inflate's error zerr as CP_IO (or CP_NOMEM) with a message. */
static cp_status gz_error(cp_reader *r, int zerr)
{
    char member[48] = "";

    if (r->member > 1)
        snprintf(member, sizeof member, " (member %lu)", r->member);
    switch (zerr) {
    case Z_MEM_ERROR:
        return rd_bad(r, CP_NOMEM, "out of memory");
    case Z_BUF_ERROR:
        return rd_bad(r, CP_IO, "truncated gzip data (unexpected end of "
                      "file)%s", member);
    default:
        return rd_bad(r, CP_IO, "corrupt gzip data: %s%s",
                      r->zs.msg ? r->zs.msg : "invalid data", member);
    }
}

/* After a member's trailer: the end of the file, another member, or
 * trailing data, which is an error (RFC 1952 has no room for it). */
static cp_status gz_member_next(cp_reader *r)
{
    cp_status st = raw_want(r, 2);

    if (st != CP_OK)
        return st;
    if (r->raw_pos == r->raw_len) {
        r->at_eof = 1;
        return CP_OK;
    }
    if (!raw_gzip_magic(r))
        return rd_bad(r, CP_IO, "trailing data after gzip member %lu (at "
                      "byte %llu)", r->member,
                      r->nread - (r->raw_len - r->raw_pos));
    if (inflateReset(&r->zs) != Z_OK)
        return gz_error(r, Z_STREAM_ERROR);
    r->member++;
    r->member_end = 0;
    return CP_OK;
}

/* gzip: inflate raw bytes into zout until some come out, the file ends
 * or the data is bad.  Bytes inflated before an error are delivered
 * first, so that the complete lines before it are still read. */
static cp_status gz_fill(cp_reader *r)
{
    cp_status st = CP_OK;
    size_t made;
    int ret;

    r->chunk = (const char *)r->zout;
    r->chunk_pos = r->chunk_len = 0;
    for (;;) {
        if (r->zerr != Z_OK)
            return gz_error(r, r->zerr);
        if (r->member_end && ((st = gz_member_next(r)) != CP_OK || r->at_eof))
            return st;
        if (r->raw_pos == r->raw_len && !r->raw_eof &&
            (st = raw_read(r)) != CP_OK)
            return st;
        r->zs.next_in = r->raw + r->raw_pos;
        r->zs.avail_in = (uInt)(r->raw_len - r->raw_pos);
        r->zs.next_out = r->zout;
        r->zs.avail_out = CP_CHUNK;
        ret = inflate(&r->zs, Z_NO_FLUSH);
        r->raw_pos = r->raw_len - r->zs.avail_in;
        made = CP_CHUNK - r->zs.avail_out;
        if (ret == Z_STREAM_END)
            r->member_end = 1;
        else if (ret == Z_BUF_ERROR && r->raw_eof && r->raw_pos == r->raw_len)
            r->zerr = Z_BUF_ERROR;          /* the file stops mid-member */
        else if (ret != Z_OK && ret != Z_BUF_ERROR)
            r->zerr = ret;
        if (made > 0) {
            r->chunk_len = made;
            return CP_OK;
        }
    }
}

/* ---------------------------------------------------------------- lines */

/* Refill the chunk; sets at_eof at a clean end of input. */
static cp_status rd_fill(cp_reader *r)
{
    cp_status st = r->mode == RD_UNKNOWN ? rd_detect(r) : CP_OK;

    if (st != CP_OK)
        return st;
    return r->mode == RD_GZIP ? gz_fill(r) : plain_fill(r);
}

/* Move chunk bytes up to the next LF into buf; *done once the LF is seen.
 * A line over CP_MAX_LINE is bad; the rest of it is dropped later
 * (rd_skip), so that even a line of gigabytes costs no memory. */
static cp_status rd_take(cp_reader *r, int *done)
{
    const char *p = r->chunk + r->chunk_pos;
    size_t avail = r->chunk_len - r->chunk_pos;
    const char *nl = memchr(p, '\n', avail);
    size_t n = nl ? (size_t)(nl - p) : avail;

    r->chunk_pos += n + (nl != NULL);
    *done = nl != NULL;
    if (n > CP_MAX_LINE - r->buf.len) {
        r->skip_line = nl == NULL;
        return rd_bad(r, CP_BAD, "line longer than %d bytes", CP_MAX_LINE);
    }
    if (cp_buf_append(&r->buf, p, n) != 0)
        return rd_bad(r, CP_NOMEM, "out of memory (line too long)");
    return CP_OK;
}

/* Drop the rest of an over-long line, up to and with its LF. */
static cp_status rd_skip(cp_reader *r)
{
    cp_status st = CP_OK;
    const char *nl;

    while (r->skip_line && st == CP_OK) {
        if (r->chunk_pos == r->chunk_len) {
            if (r->at_eof)
                r->skip_line = 0;
            else
                st = rd_fill(r);
            continue;
        }
        nl = memchr(r->chunk + r->chunk_pos, '\n', r->chunk_len - r->chunk_pos);
        r->chunk_pos = nl ? (size_t)(nl - r->chunk) + 1 : r->chunk_len;
        r->skip_line = nl == NULL;
    }
    return st;
}

/* Read the next line (without its LF) into buf; CP_EOF at the end. */
static cp_status rd_line(cp_reader *r)
{
    int any = 0, done = 0;
    cp_status st = rd_skip(r);

    if (st != CP_OK)
        return st;
    r->buf.len = 0;
    r->buf.ptr[0] = '\0';
    r->line++;
    while (!done && st == CP_OK) {
        if (r->chunk_pos == r->chunk_len) {
            if (!r->at_eof)
                st = rd_fill(r);
            if (st == CP_OK && r->at_eof)
                break;
            if (st != CP_OK)
                break;
        }
        any = 1;
        st = rd_take(r, &done);
    }
    if (st == CP_OK && !any) {
        r->line--;
        st = CP_EOF;
    }
    return st;
}

static int is_blank(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Drop a BOM at the start of the file and a trailing CR; reject a BOM
 * starting a later line (files joined with cat), NUL bytes and invalid
 * UTF-8; *blank is set for lines holding only whitespace. */
static cp_status rd_clean(cp_reader *r, int *blank)
{
    cp_buf *b = &r->buf;

    if (b->len >= 3 && memcmp(b->ptr, "\xEF\xBB\xBF", 3) == 0) {
        if (r->line != 1)
            return rd_bad(r, CP_BAD, "byte order mark not at the start of "
                          "the file");
        memmove(b->ptr, b->ptr + 3, b->len - 3 + 1);
        b->len -= 3;
    }
    if (b->len > 0 && b->ptr[b->len - 1] == '\r')
        b->ptr[--b->len] = '\0';
    if (memchr(b->ptr, '\0', b->len))
        return rd_bad(r, CP_BAD, "NUL byte in line");
    *blank = is_blank(b->ptr, b->len);
    if (!*blank && !utf8_valid(b->ptr, b->len))
        return rd_bad(r, CP_BAD, "invalid UTF-8");
    return CP_OK;
}

/* Parse buf into root; it must be one JSON object and nothing else.
 * Duplicate keys and "\u0000" escapes are refused by jansson. */
static cp_status rd_parse(cp_reader *r)
{
    json_error_t je;
    char *q;
    cp_status st;

    json_decref(r->root);
    r->root = json_loadb(r->buf.ptr, r->buf.len,
                         JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &je);
    /* jansson 2.14 returns NULL without a message (and with its error
     * code unset) when an allocation fails before it could say why */
    if (!r->root && (!je.text[0] ||
                     json_error_code(&je) == json_error_out_of_memory))
        return rd_bad(r, CP_NOMEM, "out of memory");
    if (!r->root) {
        /* jansson quotes the text near the error: escaped here */
        q = cp_msg_escape(je.text, strlen(je.text), sizeof je.text);
        st = q ? rd_bad(r, CP_BAD, "not valid JSON: %s", q)
               : rd_bad(r, CP_NOMEM, "out of memory");
        free(q);
        return st;
    }
    if (!json_is_object(r->root))
        return rd_bad(r, CP_BAD, "not a JSON object");
    return CP_OK;
}

/* Read lines until one holds a JSON object, skipping blank lines. */
static cp_status rd_record(cp_reader *r)
{
    cp_status st;
    int blank;

    r->item = 0;
    do {
        blank = 0;
        st = rd_line(r);
        if (st == CP_IO || st == CP_NOMEM)
            r->sticky = st;
        if (st == CP_OK)
            st = rd_clean(r, &blank);
    } while (st == CP_OK && blank);
    return st == CP_OK ? rd_parse(r) : st;
}

/* Start a next_* call: a broken stream stays broken, otherwise the last
 * message is dropped. */
static cp_status rd_begin(cp_reader *r)
{
    if (r->sticky != CP_OK)
        return r->sticky;
    free(r->err);
    r->err = NULL;
    r->errp = "";
    json_decref(r->root);
    r->root = NULL;
    return CP_OK;
}

/* --------------------------------------------------------------- fields */

static cp_status fld_str(cp_reader *r, const char *name, unsigned flags,
                         cp_str *out)
{
    json_t *v = json_object_get(r->root, name);

    out->ptr = NULL;
    out->len = 0;
    if (!v && (flags & CP_F_REQUIRED))
        return rd_bad(r, CP_BAD, "missing field '%s'", name);
    if (!v || (json_is_null(v) && (flags & CP_F_NULL_OK)))
        return CP_OK;
    if (!json_is_string(v))
        return rd_bad(r, CP_BAD, "field '%s' is not a string%s", name,
                      (flags & CP_F_NULL_OK) ? " or null" : "");
    out->ptr = json_string_value(v);
    out->len = json_string_length(v);
    return CP_OK;
}

/* Code point of the valid UTF-8 sequence of k bytes at s. */
static unsigned utf8_cp(const unsigned char *s, size_t k)
{
    static const unsigned lead[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    unsigned c = s[0] & lead[k];
    size_t i;

    for (i = 1; i < k; i++)
        c = (c << 6) | (s[i] & 0x3Fu);
    return c;
}

/* Unicode White_Space, C0 and C1 controls, DEL: what splits or hides an
 * id in a tab-separated line, a TREC run or a terminal. */
static int space_or_control(unsigned c)
{
    return c <= 0x20 || (c >= 0x7F && c <= 0xA0) || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 ||
           c == 0x202F || c == 0x205F || c == 0x3000;
}

static int id_clean(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, k;

    while (i < n) {
        k = utf8_seq(p + i, n - i);
        if (k == 0 || space_or_control(utf8_cp(p + i, k)))
            return 0;
        i += k;
    }
    return 1;
}

static cp_status fld_id(cp_reader *r, cp_str *out)
{
    cp_status st = fld_str(r, "id", CP_F_REQUIRED, out);

    if (st == CP_OK && out->len == 0)
        return rd_bad(r, CP_BAD, "empty 'id'");
    if (st == CP_OK && !id_clean(out->ptr, out->len))
        return rd_bad(r, CP_BAD, "field 'id' contains whitespace or a "
                      "control character");
    return st;
}

/* Bytes of the normalised-away whitespace character at s, 0 if none. */
static size_t ws_len(const char *s, size_t n)
{
    if (s[0] == ' ' || s[0] == '\t' || s[0] == '\r' || s[0] == '\n')
        return 1;
    if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
        return 2;
    return 0;
}

int cp_ws_squeeze(cp_buf *b, const char *s, size_t n)
{
    size_t i = 0, w;
    int gap = 0;

    if (cp_buf_reserve(b, n) != 0)
        return -1;
    b->len = 0;
    while (i < n) {
        w = ws_len(s + i, n - i);
        if (w) {
            gap = b->len > 0;
            i += w;
            continue;
        }
        if (gap)
            b->ptr[b->len++] = ' ';
        gap = 0;
        b->ptr[b->len++] = s[i++];
    }
    b->ptr[b->len] = '\0';
    return 0;
}

/* Copy *out into b with whitespace runs squeezed to one space and
 * trimmed; *out then borrows b. */
static cp_status ws_squeeze(cp_reader *r, cp_buf *b, cp_str *out)
{
    if (cp_ws_squeeze(b, out->ptr, out->len) != 0)
        return rd_bad(r, CP_NOMEM, "out of memory");
    out->ptr = b->ptr;
    out->len = b->len;
    return CP_OK;
}

static cp_status fld_text(cp_reader *r, const char *name, unsigned flags,
                          cp_buf *b, cp_str *out)
{
    cp_status st = fld_str(r, name, flags, out);

    if (st != CP_OK || !out->ptr)
        return st;
    return ws_squeeze(r, b, out);
}

static cp_status fld_date(cp_reader *r, cp_decision *d)
{
    cp_status st = fld_str(r, "date", CP_F_NULL_OK, &d->date);
    char *q;

    if (st != CP_OK || !d->date.ptr)
        return st;
    if (!cp_date_valid(d->date.ptr, d->date.len)) {
        q = cp_msg_escape(d->date.ptr, d->date.len, CP_QUOTE_MAX);
        st = q ? rd_bad(r, CP_BAD, "malformed date '%s' (want YYYY-MM-DD)", q)
               : rd_bad(r, CP_NOMEM, "out of memory");
        free(q);
        return st;
    }
    cp_digits(d->date.ptr, 4, &d->year);     /* valid: digits */
    return CP_OK;
}

static cp_status fld_int(cp_reader *r, const char *name, int *out)
{
    json_t *v = json_object_get(r->root, name);
    json_int_t n;

    *out = 0;
    if (!v || json_is_null(v))
        return CP_OK;
    if (!json_is_integer(v))
        return rd_bad(r, CP_BAD, "field '%s' is not an integer or null", name);
    n = json_integer_value(v);
    if (n < 0 || n > INT_MAX)
        return rd_bad(r, CP_BAD, "field '%s' is out of range", name);
    *out = (int)n;
    return CP_OK;
}

/* Join the strings of array a with " > " into b. */
static cp_status path_join(cp_reader *r, json_t *a, cp_buf *b)
{
    size_t i, n = json_array_size(a);
    json_t *e;

    b->len = 0;
    for (i = 0; i < n; i++) {
        e = json_array_get(a, i);
        if (!json_is_string(e))
            return rd_bad(r, CP_BAD, "field 'path' is not an array of strings");
        if ((i > 0 && cp_buf_append(b, " > ", 3) != 0)
            || cp_buf_append(b, json_string_value(e), json_string_length(e)) != 0)
            return rd_bad(r, CP_NOMEM, "out of memory");
    }
    return CP_OK;
}

/* path: absent, null or [] leave out->ptr NULL. */
static cp_status fld_path(cp_reader *r, cp_str *out)
{
    json_t *v = json_object_get(r->root, "path");
    cp_status st;

    out->ptr = NULL;
    out->len = 0;
    if (!v || json_is_null(v) || (json_is_array(v) && json_array_size(v) == 0))
        return CP_OK;
    if (!json_is_array(v))
        return rd_bad(r, CP_BAD, "field 'path' is not an array of strings");
    st = path_join(r, v, &r->path_joined);
    if (st == CP_OK) {
        out->ptr = r->path_joined.ptr;
        out->len = r->path_joined.len;
    }
    return st;
}

/* -------------------------------------------------------------- records */

static cp_status dec_fields(cp_reader *r, cp_decision *d)
{
    cp_status st = fld_id(r, &d->id);

    d->source = CP_SRC_EXTRACT;
    if (st == CP_OK)
        st = fld_date(r, d);
    if (st == CP_OK)
        st = fld_str(r, "kind", CP_F_NULL_OK, &d->kind);
    if (st == CP_OK)
        st = fld_str(r, "url", CP_F_NULL_OK, &d->url);
    if (st == CP_OK)
        st = fld_text(r, "title", CP_F_NULL_OK, &r->title, &d->title);
    if (st == CP_OK)
        st = fld_text(r, "text", CP_F_NULL_OK, &r->text, &d->text);
    if (st == CP_OK && d->title.len == 0 && d->text.len == 0)
        st = rd_bad(r, CP_BAD, "empty 'title' and 'text'");
    return st;
}

static cp_status sec_fields(cp_reader *r, cp_section *s)
{
    cp_status st = fld_id(r, &s->id);

    if (st == CP_OK)
        st = fld_str(r, "chapter", CP_F_NULL_OK, &s->chapter);
    if (st == CP_OK)
        st = fld_int(r, "chapter_number", &s->chapter_number);
    if (st == CP_OK)
        st = fld_str(r, "number", CP_F_NULL_OK, &s->number);
    if (st == CP_OK)
        st = fld_text(r, "title", CP_F_NULL_OK, &r->title, &s->title);
    if (st == CP_OK)
        st = fld_path(r, &s->path);
    if (st == CP_OK)
        st = fld_text(r, "text", CP_F_REQUIRED, &r->text, &s->text);
    if (st == CP_OK && s->text.len == 0)
        st = rd_bad(r, CP_BAD, "empty 'text'");
    return st;
}

/* The file's format is that of its first record; a record of the other
 * format later is bad. */
static cp_status rd_format(cp_reader *r, const char *format)
{
    if (!r->format)
        r->format = format;
    if (r->format == format)
        return CP_OK;
    return rd_bad(r, CP_BAD, "%s in a file of %s", r->format[0] == 'e'
                  ? "an API item" : "an extract record", r->format[0] == 'e'
                  ? "extract records" : "API items");
}

/* An API item (from a line or a page) as d. */
static cp_status item_fields(cp_reader *r, json_t *item, cp_decision *d)
{
    char *why = NULL;
    cp_status st;

    if (!json_is_object(item))
        return rd_bad(r, CP_BAD, "item is not a JSON object");
    st = cp_valvas_item(item, &r->items, d, &why);
    if (st == CP_NOMEM)
        return rd_bad(r, CP_NOMEM, "out of memory");
    if (st != CP_OK)
        return rd_fail(r, st, why);
    if (!id_clean(d->id.ptr, d->id.len))
        return rd_bad(r, CP_BAD, "item 'id' contains whitespace or a "
                      "control character");
    return CP_OK;
}

/* The next item of the page, if it has one left (*took says so). */
static cp_status page_item(cp_reader *r, cp_decision *d, int *took)
{
    json_t *data = json_object_get(r->page, "data");

    *took = r->page_next < json_array_size(data);
    if (!*took) {
        json_decref(r->page);
        r->page = NULL;
        r->item = 0;
        return CP_OK;
    }
    r->item = (unsigned long)++r->page_next;
    return item_fields(r, json_array_get(data, r->page_next - 1), d);
}

/* A fresh line's record: an extract record, an API item, or a page
 * (then its first item; *again when it has none). */
static cp_status line_decision(cp_reader *r, cp_decision *d, int *again)
{
    cp_status st;
    int took = 0;

    *again = 0;
    if (!cp_valvas_is_page(r->root) && !cp_valvas_is_item(r->root)) {
        st = rd_format(r, "extract");
        return st == CP_OK ? dec_fields(r, d) : st;
    }
    st = rd_format(r, "valvas");
    if (st != CP_OK || cp_valvas_is_item(r->root))
        return st == CP_OK ? item_fields(r, r->root, d) : st;
    if (!json_is_array(json_object_get(r->root, "data")))
        return rd_bad(r, CP_BAD, "page 'data' is not an array");
    r->page = json_incref(r->root);
    r->page_next = 0;
    st = page_item(r, d, &took);
    *again = !took;
    return st;
}

cp_status cp_reader_next_decision(cp_reader *r, cp_decision *d)
{
    cp_status st = CP_OK;
    int took = 0, again = 1;

    memset(d, 0, sizeof *d);
    while (again) {
        again = 0;
        st = rd_begin(r);
        if (st == CP_OK && r->page)
            st = page_item(r, d, &took);
        if (st != CP_OK || took)
            break;
        if (st == CP_OK)
            st = rd_record(r);
        if (st == CP_OK)
            st = line_decision(r, d, &again);
    }
    if (st != CP_OK)
        memset(d, 0, sizeof *d);
    return st;
}

cp_status cp_reader_next_section(cp_reader *r, cp_section *s)
{
    cp_status st = rd_begin(r);

    memset(s, 0, sizeof *s);
    if (st == CP_OK)
        st = rd_record(r);
    if (st == CP_OK)
        st = sec_fields(r, s);
    if (st != CP_OK)
        memset(s, 0, sizeof *s);
    return st;
}

/* ------------------------------------------------------------ accessors */

const char *cp_reader_format(const cp_reader *r)
{
    return r->format;
}

unsigned long cp_reader_item(const cp_reader *r)
{
    return r->item;
}

const char *cp_reader_error(const cp_reader *r)
{
    return r->errp;
}

unsigned long cp_reader_line(const cp_reader *r)
{
    return r->line;
}

unsigned long long cp_reader_offset(const cp_reader *r)
{
    return r->nread;
}

const char *cp_reader_sha256(const cp_reader *r)
{
    return r->at_eof && r->hex[0] ? r->hex : NULL;
}

unsigned long long cp_reader_size(const cp_reader *r)
{
    return r->size;
}
