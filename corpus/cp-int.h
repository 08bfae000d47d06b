/*
 * cp-int.h -- private helpers shared by the corpus layer's .c files.
 *
 * Owns: building heap-allocated error messages ("FILE: what"), the hex
 * form of a sha256 digest.
 * Never: included outside corpus/; holds state (every helper is pure).
 */
#ifndef CP_INT_H
#define CP_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cp.h"

/* A growable byte buffer, reused across records; always NUL-terminated
 * once reserved.  Owned by whoever embeds it (free ptr). */
typedef struct cp_buf {
    char *ptr;
    size_t len;
    size_t cap;
} cp_buf;

/* Room for need bytes and a NUL; append n bytes (NUL-terminated after).
 * Both return 0, or -1 when out of memory (b unchanged). */
int cp_buf_reserve(cp_buf *b, size_t need);
int cp_buf_append(cp_buf *b, const char *s, size_t n);

/* s[0..n) into b with every run of whitespace (space, tab, CR, LF,
 * U+00A0) squeezed to one space, and none at either end.  0, or -1 when
 * out of memory. */
int cp_ws_squeeze(cp_buf *b, const char *s, size_t n);

/* --------------------------------------------- API items (cp_valvas.c) */

/* The buffers a decision made from an API item points into; embedded in
 * the reader, reused from item to item. */
typedef struct cp_item_bufs {
    cp_buf title, alt, text, html, kind, date, position, ministers, themes;
} cp_item_bufs;

void cp_item_bufs_release(cp_item_bufs *b);

/* Is root an API item ({"type", "id", "attributes": {...}}) or a page
 * ({"data": [...]} with "count" or "links")? */
int cp_valvas_is_item(const json_t *root);
int cp_valvas_is_page(const json_t *root);

/* Make d from item (one data[] element; borrowed): d's strings point
 * into item and b, valid until the next call with b or item's release.
 * CP_BAD with *why a malloc'd "what is wrong" (the caller adds where),
 * CP_NOMEM (then *why is NULL). */
cp_status cp_valvas_item(json_t *item, cp_item_bufs *b, cp_decision *d,
                         char **why);

/* The Europe/Brussels calendar date "YYYY-MM-DD" of a UTC timestamp
 * "YYYY-MM-DDTHH:MM:SS[.fff]Z" into out[11].  0, -1 for a malformed
 * timestamp, -2 when the C library has no Europe/Brussels zone. */
int cp_utc_to_brussels(const char *s, size_t len, char out[11]);

/* Plain text of the HTML fragment s[0..len) (libxml2's HTML parser:
 * entities decoded, comments dropped, block elements and <br> separated
 * by a line break) appended to b, not yet squeezed.  0, -1 when out of
 * memory or libxml2 fails. */
int cp_html_text(const char *s, size_t len, cp_buf *b);

/* printf into a fresh malloc'd string; NULL when out of memory. */
char *cp_msg_vnew(const char *fmt, va_list ap);
char *cp_msg_new(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* "PATH: strerror(err)" with the first letter of the reason lowercased
 * ("x.jsonl: no such file or directory"); malloc'd, NULL when out of
 * memory. */
char *cp_msg_errno(const char *path, int err);

/* The 32-byte sha256 digest dig as 64 lowercase hex digits and a NUL. */
void cp_sha256_hex(const uint8_t dig[32], char hex[65]);

#endif /* CP_INT_H */
