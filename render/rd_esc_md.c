/*
 * rd_esc_md.c -- Markdown (CommonMark with raw HTML) escaping.
 *
 * Owns: which characters are Markdown or HTML syntax in running text.
 * Never: produces markup from corpus text: no emphasis, link, table cell
 * or HTML tag can start inside an escaped string.
 */
#include "rd.h"

#include <stdlib.h>
#include <string.h>

char *rd_md_escape(const char *s)
{
    char *out = malloc(5 * strlen(s) + 1), *p = out;
    if (!out)
        return NULL;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '&')
            p += sprintf(p, "&amp;");
        else if (c == '<')
            p += sprintf(p, "&lt;");
        else if (c == '>')
            p += sprintf(p, "&gt;");
        else if (strchr("\\`*_[]|~#", c) && c)
            *p++ = '\\', *p++ = (char)c;
        else if (c < 0x20 || c == 0x7F)
            *p++ = ' ';
        else
            *p++ = (char)c;
    }
    *p = '\0';
    return out;
}

int rd_md_put(FILE *f, const char *s)
{
    char *e = rd_md_escape(s);
    if (!e)
        return -1;
    fputs(e, f);
    free(e);
    return 0;
}
