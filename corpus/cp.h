/*
 * cp.h -- streaming readers for the akkoord corpus formats.
 *
 * Owns: reading decisions and agreement sections from JSON Lines files,
 * plain or gzip-compressed (the first bytes decide), in one pass over the
 * file's bytes (so a pipe works) that also hashes them, one record at a
 * time in memory bounded by CP_MAX_LINE; validating each record and
 * naming the bad ones as "FILE:LINE: what is wrong"; escaping corpus text
 * quoted in a message; the sha256 of a corpus file.
 * Never: prints, exits, reads a file twice, or knows about Xapian.  The
 * formats are specified in corpus/README.md (RFC 8259 JSON, RFC 1952
 * gzip, FIPS 180-4 sha256).
 *
 * Text normalisation done here (so every layer sees the same text): a
 * UTF-8 BOM on the first line and a trailing CR are dropped; in title and
 * text every run of whitespace (ASCII space, tab, CR, LF, U+00A0) becomes
 * one space and leading/trailing whitespace is trimmed.
 */
#ifndef CP_H
#define CP_H

#include <stddef.h>

/* Bytes of the longest line (without its LF) the reader accepts: 64 MiB. */
enum { CP_MAX_LINE = 64 * 1024 * 1024 };

typedef enum cp_status {
    CP_OK = 0,
    CP_EOF,     /* no more records                                        */
    CP_BAD,     /* this record is invalid; the reader can go on (--skip)  */
    CP_IO,      /* the file cannot be read further (I/O, corrupt gzip)     */
    CP_NOMEM
} cp_status;

/* A text field: ptr is NULL when the field is absent or null.  Borrowed
 * from the reader, valid until the next cp_reader_next_* or close. */
typedef struct cp_str {
    const char *ptr;
    size_t len;
} cp_str;

typedef struct cp_decision {
    cp_str id;      /* required, non-empty                                */
    cp_str date;    /* "YYYY-MM-DD", a real calendar date, or absent        */
    cp_str kind;    /* e.g. "nota", "mededeling", or absent                 */
    cp_str title;   /* title and/or text is non-empty                       */
    cp_str text;
    cp_str url;
    int year;       /* from date, 0 when absent                             */
} cp_decision;

typedef struct cp_section {
    cp_str id;          /* required, e.g. "bestuurzaken/3.2.3"              */
    cp_str chapter;     /* e.g. "Bestuurzaken", may be absent               */
    int chapter_number; /* 0 when absent                                    */
    cp_str number;      /* e.g. "3.2.3", may be absent                      */
    cp_str title;
    cp_str path;        /* path elements joined with " > ", may be absent   */
    cp_str text;        /* required, non-empty                              */
} cp_section;

typedef struct cp_reader cp_reader;

/* Open path for reading (gzip or plain): a regular file or a FIFO (a
 * pipe, /dev/stdin, <(...)); nothing is read yet.  On failure returns
 * CP_IO or CP_NOMEM, sets *out to NULL and *errmsg to a malloc'd message
 * "FILE: what" (caller frees).  A directory is CP_IO "is a directory", a
 * device or socket CP_IO "not a regular file or pipe". */
cp_status cp_reader_open(const char *path, cp_reader **out, char **errmsg);
void cp_reader_close(cp_reader *r);

/* Read the next record.  Blank lines are skipped.  CP_BAD and CP_IO leave
 * a message "FILE:LINE: what is wrong" in cp_reader_error().  After CP_BAD
 * the next call continues with the following line (also after a line
 * longer than CP_MAX_LINE).  CP_EOF comes once every byte of the file
 * has been read: gzip members one after another, and trailing bytes that
 * are no gzip member are CP_IO. */
cp_status cp_reader_next_decision(cp_reader *r, cp_decision *d);
cp_status cp_reader_next_section(cp_reader *r, cp_section *s);

/* Message of the last CP_BAD/CP_IO/CP_NOMEM, "" if none; borrowed, valid
 * until the next call on r. */
const char *cp_reader_error(const cp_reader *r);
/* Line number (1-based) of the record last returned or rejected. */
unsigned long cp_reader_line(const cp_reader *r);
/* Bytes read from the file so far (compressed bytes for gzip); after
 * CP_EOF, all of the file as read, the bytes cp_reader_sha256 covers.
 * And the size of a regular file when it was opened (0 for a pipe), for
 * progress reporting. */
unsigned long long cp_reader_offset(const cp_reader *r);
unsigned long long cp_reader_size(const cp_reader *r);
/* After CP_EOF: the sha256 of every byte read, as 64 lowercase hex
 * digits, owned by r; NULL before the end of the file was reached (and
 * after CP_IO).  A file that grows while it is read is hashed as far as
 * it was read; one that shrank is CP_IO. */
const char *cp_reader_sha256(const cp_reader *r);

/* Validate a date "YYYY-MM-DD" (a real calendar date, years 1800-2999).
 * Returns 1 when valid. */
int cp_date_valid(const char *s, size_t len);

/* sha256 of the file's bytes as on disk, as 64 lowercase hex digits plus
 * NUL in hex[65].  CP_IO with *errmsg (malloc'd, "FILE: what") on failure.
 * Reads the file on its own: the indexer uses cp_reader_sha256, this is
 * for checking it. */
cp_status cp_file_sha256(const char *path, char hex[65], char **errmsg);

/* Corpus text s[0..len) made fit to quote in a message: C0 controls and
 * DEL as \xHH, C1 controls (U+0080..U+009F) as \u00HH, bytes that are
 * not UTF-8 as \xHH; the characters that start in the first max bytes
 * of s are kept, and "..." marks a cut.  Malloc'd (caller frees), NULL
 * when out of memory. */
char *cp_msg_escape(const char *s, size_t len, size_t max);

#endif /* CP_H */
