/*
 * rd_esc_html.c -- HTML escaping of text and attribute values.
 *
 * Owns: the character references of corpus text in HTML (text nodes and
 * double- or single-quoted attributes alike).
 * Never: lets a tag, a comment, an attribute or a Markdown link start
 * inside an escaped string; allocates (streams to the FILE).
 */
#include "rd.h"

static void html_put(FILE *f, const char *s, int lines)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n' && lines) {
            fputc('\n', f);
            continue;
        }
        switch (c) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        case '[': fputs("&#91;", f); break;
        case ']': fputs("&#93;", f); break;
        default: fputc(c < 0x20 || c == 0x7F ? ' ' : c, f);
        }
    }
}


void rd_html_put(FILE *f, const char *s)
{
    html_put(f, s, 0);
}

void rd_html_put_lines(FILE *f, const char *s)
{
    html_put(f, s, 1);
}

void rd_url_put(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        int plain = (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
                    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
                    *p == '_' || *p == '~';
        if (plain)
            fputc(*p, f);
        else
            fprintf(f, "%%%02X", *p);
    }
}
