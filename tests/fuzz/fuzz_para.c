/*
 * fuzz_para.c -- libFuzzer target for paragraph text handling (query/).
 *
 * Owns: qy_para_repair with a deterministic vocabulary, qy_para_split on
 * the repaired text, and rd_md_escape, checking their contracts: repair
 * only drops hyphens; sentence spans lie in bounds, in order, without
 * overlap and trimmed; escaped text has no raw '<' '>' and no unescaped
 * '[' ']'.  Also renders a decision and a hit made of the input
 * (fields split at 0x1F) with qy_print_decision / qy_print_hits /
 * qy_print_section_row: Markdown
 * output has no raw '<' and no control bytes, text output no control
 * bytes either (hostile corpus text, see tests/cli/T21-md-escape.sh).
 * Never: touches Xapian or files.
 */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../query/qy-int.h"
#include "fz.h"


typedef struct known_ctx {
    unsigned calls;
} known_ctx;

/* Deterministic vocabulary: a word is "known" when its length is not a
 * multiple of 3 and it does not start with 'q'.  Also checks that the
 * candidate word is NUL-terminated at len and holds no hyphen or space. */
static int known(void *ctx, const char *word, size_t len)
{
    known_ctx *k = ctx;

    k->calls++;
    CHECK(word[len] == '\0');
    CHECK(memchr(word, ' ', len) == NULL);
    return len % 3 != 0 && word[0] != 'q';
}

/* out is text with zero or more '-' bytes deleted. */
static void check_repair(const char *text, const char *out)
{
    const char *t = text, *o = out;

    while (*o) {
        if (*t == *o) {
            t++, o++;
            continue;
        }
        CHECK(*t == '-');
        t++;
    }
    while (*t) {
        CHECK(*t == '-');
        t++;
    }
}

static void check_spans(const char *s, const qy_spans *sp)
{
    size_t len = strlen(s), prev = 0;

    CHECK(sp->n <= sp->cap);
    for (size_t i = 0; i < sp->n; i++) {
        qy_span v = sp->v[i];
        CHECK(v.start < v.end && v.end <= len);
        CHECK(v.start >= prev);
        CHECK(s[v.start] != ' ' && s[v.end - 1] != ' ');
        prev = v.end;
    }
}

/* No raw HTML specials or control bytes; every Markdown special is
 * preceded by an escaping backslash. */
static void check_md(const char *in, const char *e)
{
    size_t n = strlen(e);

    CHECK(n <= 5 * strlen(in));
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)e[i];
        CHECK(c != '<' && c != '>' && c != '\n' && c >= 0x20 && c != 0x7F);
        if (c == '\\') {
            CHECK(i + 1 < n && strchr("\\`*_[]|~#", e[i + 1]));
            i++;
            continue;
        }
        CHECK(c != '[' && c != ']' && c != '`' && c != '*' && c != '_');
        if (c == '&')
            CHECK(strncmp(e + i, "&amp;", 5) == 0 ||
                  strncmp(e + i, "&lt;", 4) == 0 ||
                  strncmp(e + i, "&gt;", 4) == 0);
    }
}

/* No control bytes but '\n' (no terminal escapes); in Markdown no raw
 * '<' (HTML) either. */
static void check_rendered(const char *out, size_t n, int md)
{
    CHECK(strlen(out) == n);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)out[i];
        CHECK(c >= 0x20 || c == '\n');
        CHECK(c != 0x7F);
        CHECK(!md || c != '<');
    }
}

/* Length of a valid UTF-8 sequence at s (RFC 3629), 0 when invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned c = s[0], lo = 0x80, hi = 0xBF;
    size_t len;

    if (c < 0x80)
        return 1;
    if (c < 0xC2 || c > 0xF4)
        return 0;
    len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
    hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
    if (n < len || s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    return len;
}

/* Bytes of invalid UTF-8 become '?': records in the index passed the
 * reader's UTF-8 check (and jansson refuses anything else). */
static void make_utf8(char *s)
{
    size_t n = strlen(s), i = 0, k;

    while (i < n) {
        k = utf8_seq((const unsigned char *)s + i, n - i);
        if (k == 0)
            s[i++] = '?';
        else
            i += k;
    }
}

/* A decision from text: id, kind, title, url, text separated by 0x1F (the
 * date is one the reader accepts, or absent); snippet from the text with
 * \x01/\x02 highlight marks kept.  Render it every way. */
static void check_render(const char *text)
{
    char *copy = strdup(text), *f[5] = {"", "", "", "", ""}, *p = copy;
    qy_style style = {.color = 0, .width = 40};
    size_t n = 0, len;
    char *out;
    FILE *m;

    CHECK(copy != NULL);
    make_utf8(copy);
    for (size_t k = 0; k < 5 && p; k++) {
        f[k] = p;
        p = strchr(p, 0x1F);
        if (p)
            *p++ = '\0';
    }
    qy_decision d = {.docid = 1, .id = *f[0] ? f[0] : "x",
                     .date = strlen(text) % 2 ? "2022-03-04" : "",
                     .kind = f[1], .title = f[2], .url = f[3], .text = f[4]};
    qy_hit hit = {.d = d, .rank = 1, .score = 1.0, .snippet = f[4]};
    qy_hits hits = {.hits = &hit, .n = 1, .total = 1, .results = 1,
                    .explain = NULL};
    qy_section sec = {.docid = 1, .id = d.id, .chapter = f[1],
                      .number = f[3], .title = f[2], .path = "",
                      .text = f[4]};

    for (int fmt = QY_TEXT; fmt <= QY_MD; fmt++) {
        for (int what = 0; what < 3; what++) {
            m = open_memstream(&out, &len);
            CHECK(m != NULL);
            if (what == 0)
                CHECK(qy_print_decision(m, &d, (qy_format)fmt, &style) == 0);
            else if (what == 1)
                CHECK(qy_print_hits(m, &hits, (qy_format)fmt, &style) == 0);
            else
                CHECK(qy_print_section_row(m, &sec, (qy_format)fmt) == 0);
            CHECK(fclose(m) == 0);
            if (fmt != QY_JSON)
                check_rendered(out, len, fmt == QY_MD);
            free(out);
            n++;
        }
    }
    CHECK(n == 9);
    free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1), *rep, *esc;
    known_ctx k = {0};
    qy_spans sp;

    CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';          /* the API takes C strings: stop at a NUL */

    rep = qy_para_repair(text, known, &k);
    CHECK(rep != NULL);
    check_repair(text, rep);

    CHECK(qy_para_split(rep, &sp) == 0);
    check_spans(rep, &sp);
    qy_spans_release(&sp);
    CHECK(sp.v == NULL && sp.n == 0);

    CHECK(qy_para_split(text, &sp) == 0);
    check_spans(text, &sp);
    qy_spans_release(&sp);

    esc = rd_md_escape(text);
    CHECK(esc != NULL);
    check_md(text, esc);

    check_render(text);

    free(esc);
    free(rep);
    free(text);
    return 0;
}
