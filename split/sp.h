/*
 * sp.h -- akkoord-split: an agreement PDF to agreement JSON Lines.
 *
 * Owns: the four steps of the split and their data: the layout model
 * (text lines with font, size and position, from poppler's C API), the
 * classifier (body / heading / running header or footer / footnote), the
 * text assembler with hyphen repair, and the JSON Lines writer (the
 * format of corpus/README.md "agreement.jsonl").
 * Never: prints, exits, or knows a particular document: every threshold
 * is derived from the document's own statistics.
 */
#ifndef SP_H
#define SP_H

#include <stddef.h>
#include <stdio.h>

typedef enum sp_status {
    SP_OK = 0,
    SP_BAD,     /* the input is no usable PDF (message says why and where) */
    SP_IO,      /* reading or writing a file failed                        */
    SP_NOMEM
} sp_status;

const char *sp_status_str(sp_status s);

/* What a line is, once classified. */
typedef enum sp_kind {
    SP_BODY = 0,
    SP_HEADING,     /* first line of a heading block                    */
    SP_TITLE,       /* a further line of that heading's block           */
    SP_FURNITURE,   /* running header or footer, page number           */
    SP_FOOTNOTE,    /* small text below a page's body text              */
    SP_CONTENTS     /* a line of a table-of-contents page               */
} sp_kind;

/* One text line of a page (poppler's reading order). */
typedef struct sp_line {
    char *text;         /* UTF-8, no newline, owned by the doc          */
    int page;           /* 1-based                                      */
    double x0, y0, x1, y1;  /* bounding box in points, y down            */
    int font;           /* index into sp_doc.fonts (dominant face)       */
    double size;        /* dominant font size, rounded to 0.1 pt         */
    sp_kind kind;       /* set by sp_classify, SP_BODY before           */
    int level;          /* SP_HEADING: depth of its number ("3" 1,
                           "3.2.1" 3); unnumbered: 1 in chapter size or
                           larger, 0 (one deeper than the heading before)
                           when smaller                                  */
} sp_line;

typedef struct sp_doc {
    sp_line *lines;
    size_t nlines;
    char **fonts;       /* distinct font names, owned                    */
    size_t nfonts;
    int npages;
    double page_h;      /* height of the first page                      */
} sp_doc;

/* ---- layout (sp_layout.c) ---- */

/* Read path (a PDF) into *out (caller frees with sp_doc_free).  SP_BAD
 * with a message "FILE: what" or "FILE: page N: what" for a file that is
 * not a PDF, is damaged, encrypted, has no pages or no text layer; SP_IO
 * when it cannot be read.  *err is malloc'd; the caller frees it. */
sp_status sp_doc_open(const char *path, sp_doc **out, char **err);
void sp_doc_free(sp_doc *d);

/* ---- reading order (sp_order.c) ---- */

/* Put the lines v[0, n) of one page of width page_w in reading order:
 * on a page with two columns, column by column within the bands that
 * full-width lines cut; else as they are.  Returns SP_NOMEM or SP_OK
 * (v is unchanged on SP_NOMEM). */
sp_status sp_page_order(sp_line *v, size_t n, double page_w);

/* ---- classifier (sp_class.c) ---- */

/* Depth of a section number at the start of s ("3" 1, "3.2.1" 3), 0 when
 * s does not start with one; *len gets its length in bytes (without a
 * trailing dot).  A number is 1-3 digits per part, at most 6 parts,
 * followed by a space or the end. */
int sp_number_depth(const char *s, size_t *len);

/* The statistics the classifier derives from a document. */
typedef struct sp_style {
    int body_font;      /* most used face (by characters) ...           */
    double body_size;   /* ... and size: the body text                  */
    double chapter_size;/* usual size of numbered depth-1 headings      */
} sp_style;

/* Set kind and level of every line of d; *st gets the statistics.
 * Returns SP_NOMEM or SP_OK. */
sp_status sp_classify(sp_doc *d, sp_style *st);

/* ---- assembler (sp_text.c) ---- */

/* A section of the agreement as it is written out. */
typedef struct sp_section {
    char *chapter;      /* chapter title                                 */
    int chapter_number;
    char *number;       /* "3.2.1"                                       */
    char *title;
    char **path;        /* "3.2 Title", ..., "3.2.1 Title"               */
    size_t npath;
    char *text;         /* number, title and body, one space between     */
} sp_section;

typedef struct sp_sections {
    sp_section *v;
    size_t n;
} sp_sections;

/* Build the sections of a classified doc.  SP_BAD "FILE: no numbered
 * headings found" when there are none. */
sp_status sp_sections_build(const sp_doc *d, sp_sections *out, char **err);
void sp_sections_release(sp_sections *s);

/* The hyphen repair.  A words set answers whether a word occurs in the
 * document (counted over the text with line ends as spaces). */
typedef struct sp_words sp_words;
sp_words *sp_words_new(void);
void sp_words_free(sp_words *w);
/* Count the words of s (runs of letters; hyphens split words). */
sp_status sp_words_add(sp_words *w, const char *s);
int sp_words_has(const sp_words *w, const char *word, size_t len);

/* Append line to buf (malloc'd, *buf may be NULL) with the join rule:
 * a soft hyphen (U+00AD) at the end of buf is dropped and the words
 * glued; "x-" + "y" becomes "xy" when x's last and y's first characters
 * are lower-case letters and the joined word is in w; else a space joins
 * (keeping "biodiversiteits- en", "e-", "2019-" and "Vlaams-"). */
sp_status sp_text_append(char **buf, size_t *len, const char *line,
                         const sp_words *w);

/* Drop a soft hyphen the last appended line ended with. */
void sp_text_finish(char *buf, size_t *len);

/* The chapter slug: lower case ASCII letters and digits, accents folded,
 * every other run as one '-', trimmed.  Malloc'd. */
char *sp_slug(const char *title);

/* ---- writer (sp_json.c) ---- */

/* Write the sections as JSON Lines to f. */
sp_status sp_sections_write(const sp_sections *s, FILE *f, char **err);

#endif /* SP_H */
