/*
 * qy_para.c -- understanding an agreement paragraph as text.
 *
 * Owns: repairing line-break hyphenation left by the PDF ("infor-matie" ->
 * "informatie") while keeping hyphenated words the corpus never writes
 * joined ("e-loket"), decided by a vocabulary callback (the index's own
 * words, never a hand list);
 * splitting a paragraph into sentences and long sentences into parts.
 * Never: touches Xapian directly (the callback does), allocates per word.
 */
#include "qy-int.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* A byte that can be part of a word: ASCII letter or digit, or any byte of
 * a multi-byte UTF-8 sequence (accented letters; good enough for Dutch). */
static int word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c >= 0x80;
}

static int lower_start(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || c >= 0xC3;
}

char *qy_para_repair(const char *text, qy_known_fn known, void *ctx)
{
    size_t len = strlen(text);
    char *out = malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0, wstart = 0;   /* wstart: where the current word began in out */
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        /* after one or two letters a hyphen is written, not a line break
         * (M-decreet, e-loket): the index knows their joined form only as
         * an extra term (xs_doc_index_text), which must not undo them */
        if (c == '-' && i > 0 && o > wstart + 2 &&
            word_byte((unsigned char)text[i - 1]) && i + 1 < len &&
            lower_start((unsigned char)text[i + 1])) {
            size_t j = i + 1;
            while (j < len && word_byte((unsigned char)text[j]))
                j++;
            /* candidate: out[wstart..o) + text[i+1..j) */
            size_t left = o - wstart, right = j - i - 1;
            char *joined = malloc(left + right + 1);
            if (!joined) {
                free(out);
                return NULL;
            }
            memcpy(joined, out + wstart, left);
            memcpy(joined + left, text + i + 1, right);
            joined[left + right] = '\0';
            int join = known(ctx, joined, left + right);
            free(joined);
            if (join < 0) {
                free(out);
                return NULL;
            }
            if (join)
                continue;        /* drop the hyphen, keep on copying */
        }
        if (!word_byte(c) && c != '-')
            wstart = o + 1;
        else if (c == '-')
            wstart = o + 1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return out;
}

/* Words that end with a full stop without ending a sentence. */
static int is_abbreviation(const char *s, size_t start, size_t dot)
{
    static const char *const abbr[] = {
        "bv", "bijv", "enz", "nr", "art", "vnl", "ca", "resp", "incl", "excl",
        "vs", "dhr", "mevr", "zgn", "o.a", "m.a.w", "m.b.t", "i.v.m", "t.o.v",
        "d.w.z", "e.a", "blz", "p", "min", "max", "cf", "etc", NULL};
    while (start < dot && (s[start] == '(' || s[start] == '"'))
        start++;
    size_t n = dot - start;
    for (size_t k = 0; abbr[k]; k++)
        if (strlen(abbr[k]) == n && strncasecmp(s + start, abbr[k], n) == 0)
            return 1;
    return n == 1;               /* initials: "J. Jambon" */
}

/* Does a sentence end at s[i] (a '.', '!' or '?')? */
static int sentence_ends(const char *s, size_t i, size_t wstart)
{
    size_t j = i + 1;
    while (s[j] == ')' || s[j] == '"' || s[j] == '\'')
        j++;
    if (s[j] != ' ')
        return s[j] == '\0';
    while (s[j] == ' ')
        j++;
    unsigned char n = (unsigned char)s[j];
    int next_ok = (n >= 'A' && n <= 'Z') || (n >= '0' && n <= '9') ||
                  n == 0xE2 /* quotes, dashes */ || n == '(' || n == '"' ||
                  n == '\'' || n == 0xC3 /* capital accented */;
    if (!next_ok)
        return 0;
    return s[i] != '.' || !is_abbreviation(s, wstart, i);
}

static int push_span(qy_spans *sp, size_t start, size_t end)
{
    if (sp->n == sp->cap) {
        size_t cap = sp->cap ? 2 * sp->cap : 16;
        qy_span *v = realloc(sp->v, cap * sizeof *v);
        if (!v)
            return -1;
        sp->v = v;
        sp->cap = cap;
    }
    sp->v[sp->n++] = (qy_span){start, end};
    return 0;
}

/* Trim spaces and push s[start..end) if non-empty. */
static int push_trimmed(qy_spans *sp, const char *s, size_t start, size_t end)
{
    while (start < end && s[start] == ' ')
        start++;
    while (end > start && s[end - 1] == ' ')
        end--;
    return end > start ? push_span(sp, start, end) : 0;
}

/* Count words in s[start..end). */
static size_t count_words(const char *s, size_t start, size_t end)
{
    size_t n = 0;
    for (size_t i = start; i < end; i++)
        if (s[i] != ' ' && (i == start || s[i - 1] == ' '))
            n++;
    return n;
}

/* Push a sentence; one of more than QY_LONG_SENTENCE words is split at
 * its semicolons (enumerations). */
static int push_sentence(qy_spans *sp, const char *s, size_t start, size_t end)
{
    if (count_words(s, start, end) <= QY_LONG_SENTENCE)
        return push_trimmed(sp, s, start, end);
    size_t from = start;
    for (size_t i = start; i < end; i++)
        if (s[i] == ';') {
            if (push_trimmed(sp, s, from, i + 1))
                return -1;
            from = i + 1;
        }
    return push_trimmed(sp, s, from, end);
}

int qy_para_split(const char *s, qy_spans *out)
{
    size_t start = 0, wstart = 0, i;
    memset(out, 0, sizeof *out);
    for (i = 0; s[i]; i++) {
        if (s[i] == ' ')
            wstart = i + 1;
        if ((s[i] == '.' || s[i] == '!' || s[i] == '?') &&
            sentence_ends(s, i, wstart)) {
            size_t end = i + 1;
            while (s[end] == ')' || s[end] == '"' || s[end] == '\'')
                end++;
            if (push_sentence(out, s, start, end))
                return -1;
            start = end;
        }
    }
    return push_sentence(out, s, start, i);
}

void qy_spans_release(qy_spans *sp)
{
    free(sp->v);
    memset(sp, 0, sizeof *sp);
}
