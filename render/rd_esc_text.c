/*
 * rd_esc_text.c -- text for a terminal, a log or a line-based format.
 *
 * Owns: the visible form of control characters in corpus text; what may
 * stand as one whitespace-separated field.
 * Never: lets corpus text move the cursor, colour the terminal or forge a
 * line of its own.
 */
#include "rd.h"

int rd_word_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

void rd_text_put(FILE *f, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f) {
            fprintf(f, "\\x%02x", c);
        } else if (c == 0xC2 && (unsigned char)s[1] >= 0x80 &&
                   (unsigned char)s[1] <= 0x9F) {
            fprintf(f, "\\u%04x", (unsigned char)s[1]);   /* C1 control */
            s++;
        } else if (c == '\\') {
            fputs("\\\\", f);
        } else {
            fputc(c, f);
        }
    }
}
