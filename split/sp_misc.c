/*
 * sp_misc.c -- status names and the message helper of split/.
 *
 * Owns: sp_status_str and sp_printf.
 * Never: keeps state.
 */
#include "sp.h"
#include "sp-int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

const char *sp_status_str(sp_status s)
{
    switch (s) {
    case SP_OK:    return "ok";
    case SP_BAD:   return "bad input";
    case SP_IO:    return "input/output error";
    case SP_NOMEM: return "out of memory";
    }
    return "unknown status";
}

char *sp_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}
