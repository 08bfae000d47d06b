/*
 * cp_date.c -- calendar dates as text: "YYYY-MM-DD" and runs of decimal
 * digits, shared by the readers (cp_reader.c, cp_valvas.c) and by
 * akkoord-fetch, which links this file alone.
 *
 * Owns: the Gregorian month lengths and leap years.  Never: allocates,
 * reads the locale or the clock.
 */
#include "cp.h"

int cp_digits(const char *s, size_t n, int *out)
{
    int v = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int cp_date_valid(const char *s, size_t len)
{
    static const unsigned char mdays[12] = {
        31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
    };
    int y, m, d, leap;

    if (!s || len != 10 || s[4] != '-' || s[7] != '-' ||
        cp_digits(s, 4, &y) || cp_digits(s + 5, 2, &m) ||
        cp_digits(s + 8, 2, &d))
        return 0;
    if (y < 1800 || y > 2999 || m < 1 || m > 12 || d < 1)
        return 0;
    leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}
