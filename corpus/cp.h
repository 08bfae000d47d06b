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
 * API items (search API of beslissingenvlaamseregering.vlaanderen.be):
 * htmlContent becomes plain text with libxml2's HTML parser, meetingDate
 * (UTC) the Europe/Brussels calendar date through the C library's time
 * zone database (TZ is set to Europe/Brussels once, on the first item).
 *
 * Text normalisation done here (so every layer sees the same text): a
 * UTF-8 BOM on the first line and a trailing CR are dropped; in title and
 * text (and an item's alternative title) every run of whitespace (ASCII space, tab, CR, LF, U+00A0) becomes
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

/* Where a decision's fields came from (bits: a merged record has both). */
enum cp_source {
    CP_SRC_EXTRACT = 1 << 0,    /* a JSON Lines extract record            */
    CP_SRC_VALVAS = 1 << 1      /* an item of the official search API     */
};

/* A decision, from either format (corpus/README.md).  The fields after
 * url come from API items only (absent in extract records).  A list
 * field holds its values joined with '\n', sorted (strcmp) and without
 * repeats. */
typedef struct cp_decision {
    cp_str id;      /* required, non-empty                                */
    cp_str date;    /* "YYYY-MM-DD", a real calendar date, or absent        */
    cp_str kind;    /* e.g. "nota", "mededeling", or absent                 */
    cp_str title;   /* title and/or text is non-empty                       */
    cp_str text;
    cp_str url;
    cp_str uri;       /* Themis permalink (the API's `uri`)                */
    cp_str meeting;   /* meeting id                                       */
    cp_str position;  /* agenda position(s): "42" or "42,43"              */
    cp_str alt_title; /* the API's alternativeTitle                       */
    cp_str ministers; /* list: family names of the mandatees              */
    cp_str themes;    /* list: theme ids                                  */
    int meeting_type; /* meetingTypePosition 1-4, 0 when absent           */
    int year;       /* from date, 0 when absent                             */
    unsigned source;  /* enum cp_source                                     */
} cp_decision;

/* Label of a meetingTypePosition (1-4; fixtures README), NULL for others:
 * "Ministerraad - Plan Vlaamse Veerkracht", "Bijzondere ministerraad",
 * "Elektronische procedure", "Ministerraad". Static. */
const char *cp_meeting_type_label(int mtp);

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

/* Read the next record.  Blank lines are skipped.  Decisions come in
 * two formats, told apart by the shape of the file's first record: an
 * extract record ({"id", "date", ...}), or the search API's items, each
 * line one `data[]` element ({"type", "id", "attributes"}) or a whole
 * page ({"count", "data": [...], "links"}), whose items are returned one
 * by one (cp_reader_item tells which).  A record of the other format
 * later in the file is CP_BAD.  CP_BAD and CP_IO leave
 * a message "FILE:LINE: what is wrong" in cp_reader_error().  After CP_BAD
 * the next call continues with the following line (also after a line
 * longer than CP_MAX_LINE).  CP_EOF comes once every byte of the file
 * has been read: gzip members one after another, and trailing bytes that
 * are no gzip member are CP_IO. */
cp_status cp_reader_next_decision(cp_reader *r, cp_decision *d);
cp_status cp_reader_next_section(cp_reader *r, cp_section *s);

/* Format of the decisions read so far: "extract", "valvas", or NULL
 * before the first record.  Static. */
const char *cp_reader_format(const cp_reader *r);
/* Index (1-based) of the item last returned or rejected within the page
 * on cp_reader_line(), 0 when that line is no page. */
unsigned long cp_reader_item(const cp_reader *r);

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
 * Returns 1 when valid.  (cp_date.c, as is cp_digits.) */
int cp_date_valid(const char *s, size_t len);
/* The n bytes at s as a decimal number into *out: 0, or -1 when one of
 * them is no digit 0-9 (*out untouched).  n <= 9. */
int cp_digits(const char *s, size_t n, int *out);

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
