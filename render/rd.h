/*
 * rd.h -- escaping corpus text for each language akkoord-query writes:
 * Markdown, HTML, CSV, JSON and the terminal.
 *
 * Owns: one module per target language (rd_esc_md.c, rd_esc_html.c,
 * rd_esc_csv.c, rd_esc_json.c, rd_esc_text.c), each the only place that
 * knows which characters are special there.
 * Never: depends on akkoord's records (a leaf: strings in, bytes out);
 * lets corpus text become markup, a link, a field or line of its own, or
 * a terminal escape.
 */
#ifndef RD_H
#define RD_H

#include <jansson.h>
#include <stdio.h>

/* Markdown+HTML: HTML specials become entities, Markdown punctuation gets
 * a backslash, control characters (newlines) become spaces (malloc'd;
 * NULL when out of memory). */
char *rd_md_escape(const char *s);
/* Print s escaped by rd_md_escape to f; -1 when out of memory. */
int rd_md_put(FILE *f, const char *s);

/* HTML text or a quoted attribute value: & < > " ' and, for renderers
 * that read Markdown inside HTML blocks, [ ] as character references;
 * control characters as spaces. */
void rd_html_put(FILE *f, const char *s);
/* s as a URL query component: every byte but A-Z a-z 0-9 - . _ ~ as
 * %XX (so also safe inside an HTML attribute). */
void rd_url_put(FILE *f, const char *s);
/* The same, newlines kept (text of a <pre>). */
void rd_html_put_lines(FILE *f, const char *s);

/* One CSV field (RFC 4180): quoted, quotes doubled, control characters as
 * spaces; then ',' or, when last, CRLF. */
void rd_csv_field(FILE *f, const char *s, int last);

/* Write o (taken over; NULL: a failed build) with jansson's flags and a
 * newline; -1 when o is NULL or cannot be written. */
int rd_json_put(FILE *f, size_t flags, json_t *o);

/* Print s for a terminal or a log: control characters as \xNN (C1 ones
 * as \uNNNN) and '\\' as \\\\, so that corpus text cannot move the cursor
 * or forge a line. */
void rd_text_put(FILE *f, const char *s);
/* Can s be a field of a whitespace-separated line (TREC run, id list):
 * non-empty, no space, no control character? */
int rd_word_ok(const char *s);

#endif /* RD_H */
