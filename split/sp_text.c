/*
 * sp_text.c -- the text assembler: lines to running text, with PDF
 * hyphenation repaired, and the chapter slug.
 *
 * Owns: the document's word set and the join rule of two lines:
 *   "ab\u00AD" + "cd"  -> "abcd"      soft hyphen: always a break
 *   "ab-" + "cd"       -> "abcd"      both sides lower-case letters and
 *                                     "abcd" occurs elsewhere as a word
 *   "ab-" + "cd"       -> "ab-cd"     "ab-cd" occurs as a compound, or
 *                                     neither form is known (digits and
 *                                     capitals always stay: "2019-2024",
 *                                     "Vlaams-Brabant")
 *   "ab-" + "en"       -> "ab- en"    "en" follows a hyphen and a space
 *                                     elsewhere ("biodiversiteits- en")
 *   otherwise one space.  Soft hyphens inside a line and private-use
 *   glyphs (symbol-font bullets) are dropped.
 * Never: decides what a line is (sp_class.c) or what a section is.
 */
#include "sp.h"
#include "sp-int.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

#define SOFT_HYPHEN "\xC2\xAD"

struct sp_words {
    GHashTable *t;      /* kind byte + lower-cased text -> 1 */
};

/* Kinds of entries of the word set. */
enum { W_WORD = 'w', W_COMPOUND = 'h', W_AFTER_SUSPENDED = 's' };

sp_words *sp_words_new(void)
{
    sp_words *w = malloc(sizeof *w);
    if (w)
        w->t = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    return w;
}

void sp_words_free(sp_words *w)
{
    if (!w)
        return;
    g_hash_table_destroy(w->t);
    free(w);
}

static int is_letter(gunichar c) { return g_unichar_isalpha(c); }

/* Length in bytes of the run of letters at s (may be 0). */
static size_t letters_at(const char *s, const char *end)
{
    const char *p = s;
    while (p < end && *p && is_letter(g_utf8_get_char(p)))
        p = g_utf8_next_char(p);
    return (size_t)(p - s);
}

static char *entry_key(int kind, const char *s, size_t len)
{
    char *low = g_utf8_strdown(s, (gssize)len);
    char *key = g_strdup_printf("%c%s", kind, low);
    g_free(low);
    return key;
}

static void words_put(sp_words *w, int kind, const char *s, size_t len)
{
    g_hash_table_add(w->t, entry_key(kind, s, len));
}

static int words_known(const sp_words *w, int kind, const char *s, size_t len)
{
    char *key = entry_key(kind, s, len);
    int r = g_hash_table_contains(w->t, key);
    g_free(key);
    return r;
}

int sp_words_has(const sp_words *w, const char *word, size_t len)
{
    return words_known(w, W_WORD, word, len);
}

/* A copy of line without soft hyphens, private-use characters and outer
 * spaces, runs of spaces as one; *soft_end says whether it ended in a
 * soft hyphen. */
static char *line_clean(const char *line, int *soft_end)
{
    GString *g = g_string_new(NULL);
    *soft_end = 0;
    for (const char *p = line; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (c == 0xAD) {
            *soft_end = 1;
            continue;
        }
        *soft_end = *soft_end && g_unichar_isspace(c);
        if (c >= 0xE000 && c <= 0xF8FF)
            continue;
        if (g_unichar_isspace(c)) {
            if (g->len > 0 && g->str[g->len - 1] != ' ')
                g_string_append_c(g, ' ');
            continue;
        }
        g_string_append_len(g, p, g_utf8_next_char(p) - p);
    }
    while (g->len > 0 && g->str[g->len - 1] == ' ')
        g_string_truncate(g, g->len - 1);
    return g_string_free(g, FALSE);
}

sp_status sp_words_add(sp_words *w, const char *s)
{
    int soft;
    char *t = line_clean(s, &soft);
    const char *end = t + strlen(t);
    for (const char *p = t; *p;) {
        size_t n = letters_at(p, end);
        if (n == 0) {
            p = g_utf8_next_char(p);
            continue;
        }
        words_put(w, W_WORD, p, n);
        const char *q = p + n;
        if (*q == '-' && q[1] == ' ' && letters_at(q + 2, end))
            words_put(w, W_AFTER_SUSPENDED, q + 2, letters_at(q + 2, end));
        size_t m;
        if (*q == '-' && (m = letters_at(q + 1, end)) > 0)
            words_put(w, W_COMPOUND, p, n + 1 + m);
        p = q;
    }
    g_free(t);
    return SP_OK;
}

/* Start of the UTF-8 character that ends at s[len]. */
static size_t prev_char(const char *s, size_t len)
{
    return (size_t)(g_utf8_find_prev_char(s, s + len) - s);
}

typedef enum join { J_SPACE, J_GLUE, J_DROP_HYPHEN } join;

/* How "...x-" (buf, len, ending in '-') and line join. */
static join hyphen_join(const char *buf, size_t len, const char *line,
                        const sp_words *w)
{
    size_t h = len - 1;                 /* the hyphen */
    if (h == 0 || buf[h - 1] == ' ')
        return J_SPACE;                 /* a dash, not a hyphen */
    size_t x = h;                       /* start of the letters before it */
    while (x > 0 && is_letter(g_utf8_get_char(buf + prev_char(buf, x))))
        x = prev_char(buf, x);
    size_t y = letters_at(line, line + strlen(line));
    if (x == h || y == 0)
        return g_unichar_isalnum(g_utf8_get_char(line)) ? J_GLUE : J_SPACE;
    gunichar xl = g_utf8_get_char(buf + prev_char(buf, h));
    gunichar yf = g_utf8_get_char(line);
    if (g_unichar_islower(xl) && g_unichar_islower(yf)) {
        char *joined = g_strdup_printf("%.*s%.*s", (int)(h - x), buf + x,
                                       (int)y, line);
        int known = sp_words_has(w, joined, strlen(joined));
        g_free(joined);
        if (known)
            return J_DROP_HYPHEN;
    }
    char *comp = g_strdup_printf("%.*s%.*s", (int)(len - x), buf + x,
                                 (int)y, line);
    int compound = words_known(w, W_COMPOUND, comp, strlen(comp));
    g_free(comp);
    if (!compound && words_known(w, W_AFTER_SUSPENDED, line, y))
        return J_SPACE;
    return J_GLUE;
}

static int ends_with(const char *s, size_t len, const char *tail)
{
    size_t n = strlen(tail);
    return len >= n && memcmp(s + len - n, tail, n) == 0;
}

sp_status sp_text_append(char **buf, size_t *len, const char *line,
                         const sp_words *w)
{
    int soft;
    char *t = line_clean(line, &soft);
    if (t[0] == '\0') {
        g_free(t);
        return SP_OK;
    }
    size_t n = *len;
    join j = J_SPACE;
    if (n == 0)
        j = J_GLUE;
    else if (ends_with(*buf, n, SOFT_HYPHEN))
        j = J_GLUE, n -= strlen(SOFT_HYPHEN);
    else if ((*buf)[n - 1] == '-')
        j = hyphen_join(*buf, n, t, w);
    if (j == J_DROP_HYPHEN)
        n--;
    size_t tl = strlen(t), extra = soft ? strlen(SOFT_HYPHEN) : 0;
    char *b = realloc(*buf, n + 1 + tl + extra + 1);
    if (!b) {
        g_free(t);
        return SP_NOMEM;
    }
    if (j == J_SPACE)
        b[n++] = ' ';
    memcpy(b + n, t, tl);
    n += tl;
    if (soft)
        memcpy(b + n, SOFT_HYPHEN, extra), n += extra;
    b[n] = '\0';
    *buf = b;
    *len = n;
    g_free(t);
    return SP_OK;
}

void sp_text_finish(char *buf, size_t *len)
{
    if (buf && ends_with(buf, *len, SOFT_HYPHEN)) {
        *len -= strlen(SOFT_HYPHEN);
        buf[*len] = '\0';
    }
}

char *sp_slug(const char *title)
{
    char *ascii = g_str_to_ascii(title, "C");
    GString *g = g_string_new(NULL);
    for (const char *p = ascii; *p; p++) {
        if (g_ascii_isalnum(*p))
            g_string_append_c(g, g_ascii_tolower(*p));
        else if (g->len > 0 && g->str[g->len - 1] != '-')
            g_string_append_c(g, '-');
    }
    if (g->len > 0 && g->str[g->len - 1] == '-')
        g_string_truncate(g, g->len - 1);
    g_free(ascii);
    char *s = strdup(g->str);
    g_string_free(g, TRUE);
    return s;
}
