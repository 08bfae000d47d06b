/*
 * main.c -- akkoord-split: split an agreement PDF into agreement JSON
 * Lines (corpus/README.md "agreement.jsonl").
 *
 * Owns: the command line, the output file (written to a temp file beside
 * it, synced and renamed over it, so an existing file is never damaged),
 * messages and exit codes.  The work is in sp.h.
 */
#include "sp.h"
#include "sp-int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef AK_VERSION
#define AK_VERSION "0"
#endif

static const char *PROG = "akkoord-split";

typedef struct opts {
    const char *in;
    const char *out;        /* NULL: stdout */
    int lines;              /* --lines: the layout model, not sections */
} opts;

static void usage(FILE *f)
{
    fprintf(f,
"usage: akkoord-split [-o OUT.jsonl] [--lines] FILE.pdf\n"
"\n"
"Split the PDF of a coalition agreement into its sections, one JSON object\n"
"a line (id, chapter, chapter_number, number, title, path, text), as\n"
"akkoord-index --agreement reads them.  Headings, running headers, page\n"
"numbers, footnotes and the table of contents are recognised from the\n"
"document's own fonts and layout; words hyphenated at a line end are\n"
"joined when the joined word occurs elsewhere in the document.\n"
"\n"
"  -o, --output OUT  write to OUT (replaced atomically) instead of stdout\n"
"      --lines       print the classified text lines instead (page, kind,\n"
"                    level, size, font, x, y, text; tab-separated)\n"
"  -h, --help        this help\n"
"      --version     print the version\n"
"\n"
"Exit status: 0 success, 1 bad or unreadable PDF or write error (the\n"
"message names the file, and the page where there is one), 2 usage error.\n");
}

/* 0 ok, 1 help/version printed, 2 usage error. */
static int parse(int argc, char **argv, opts *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 1;
        } else if (!strcmp(a, "--version")) {
            printf("akkoord-split %s\n", AK_VERSION);
            return 1;
        } else if (!strcmp(a, "--lines")) {
            o->lines = 1;
        } else if (!strcmp(a, "-o") || !strcmp(a, "--output")) {
            if (++i == argc) {
                fprintf(stderr, "%s: option '%s' needs a file\n", PROG, a);
                return 2;
            }
            o->out = argv[i];
        } else if (a[0] == '-' && a[1] != '\0') {
            fprintf(stderr, "%s: unknown option '%s'\n", PROG, a);
            return 2;
        } else if (o->in) {
            fprintf(stderr, "%s: one PDF only ('%s' and '%s')\n", PROG,
                    o->in, a);
            return 2;
        } else {
            o->in = a;
        }
    }
    if (!o->in) {
        fprintf(stderr, "%s: no PDF given (try --help)\n", PROG);
        return 2;
    }
    return 0;
}

static const char *KIND[] = {"body", "heading", "title", "furniture",
                             "footnote", "contents"};

static sp_status lines_write(const sp_doc *d, FILE *f, char **err)
{
    for (size_t i = 0; i < d->nlines; i++) {
        const sp_line *l = &d->lines[i];
        if (fprintf(f, "%d\t%s\t%d\t%.1f\t%s\t%.0f\t%.0f\t%s\n", l->page,
                    KIND[l->kind], l->level, l->size,
                    l->font >= 0 ? d->fonts[l->font] : "-", l->x0, l->y0,
                    l->text) < 0) {
            *err = sp_printf("write error");
            return *err ? SP_IO : SP_NOMEM;
        }
    }
    return SP_OK;
}

static sp_status produce(const opts *o, FILE *f, char **err)
{
    sp_doc *d = NULL;
    sp_style st;
    sp_sections ss = {0};
    sp_status s = sp_doc_open(o->in, &d, err);
    if (s == SP_OK)
        s = sp_classify(d, &st);
    if (s == SP_OK && o->lines)
        s = lines_write(d, f, err);
    else if (s == SP_OK) {
        s = sp_sections_build(d, &ss, err);
        if (s == SP_BAD && *err) {      /* name the file */
            char *m = sp_printf("%s: %s", o->in, *err);
            free(*err);
            *err = m;
        }
        if (s == SP_OK)
            s = sp_sections_write(&ss, f, err);
    }
    sp_sections_release(&ss);
    sp_doc_free(d);
    return s;
}

/* Write to a temp file beside o->out, then rename it over o->out. */
static sp_status produce_file(const opts *o, char **err)
{
    char *tmp = sp_printf("%s.tmp-XXXXXX", o->out);
    if (!tmp)
        return SP_NOMEM;
    int fd = mkstemp(tmp);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        *err = sp_printf("%s: cannot create a temp file beside it: %s",
                         o->out, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(tmp);
        return *err ? SP_IO : SP_NOMEM;
    }
    sp_status s = produce(o, f, err);
    if (s == SP_OK && (fflush(f) != 0 || fsync(fileno(f)) != 0))
        s = SP_IO;
    if (fclose(f) != 0 && s == SP_OK)
        s = SP_IO;
    if (s == SP_OK && rename(tmp, o->out) != 0)
        s = SP_IO;
    if (s == SP_IO && !*err)
        *err = sp_printf("%s: %s", o->out, strerror(errno));
    else if (s == SP_IO && strncmp(*err, "write error", 11) == 0) {
        char *m = sp_printf("%s: %s", o->out, *err);
        free(*err);
        *err = m;
    }
    if (s != SP_OK)
        unlink(tmp);
    free(tmp);
    return s;
}

int main(int argc, char **argv)
{
    opts o = {0};
    int rc = parse(argc, argv, &o);
    if (rc)
        return rc == 1 ? (fclose(stdout) == 0 ? 0 : 1) : 2;
    char *err = NULL;
    sp_status s = o.out ? produce_file(&o, &err) : produce(&o, stdout, &err);
    if (s == SP_OK && !o.out && fclose(stdout) != 0) {
        s = SP_IO;
        err = sp_printf("stdout: %s", strerror(errno));
    }
    if (s != SP_OK) {
        fprintf(stderr, "%s: %s\n", PROG, err ? err : sp_status_str(s));
        free(err);
        return 1;
    }
    return 0;
}
