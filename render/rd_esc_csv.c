/*
 * rd_esc_csv.c -- CSV (RFC 4180) fields.
 *
 * Owns: quoting of a field.
 * Never: lets corpus text end a field or a record.
 */
#include "rd.h"

void rd_csv_field(FILE *f, const char *s, int last)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"')
            fputs("\"\"", f);
        else
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, f);
    }
    fputs(last ? "\"\r\n" : "\",", f);
}
