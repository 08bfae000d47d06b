/*
 * cp-int.h -- private helpers shared by the corpus layer's .c files.
 *
 * Owns: building heap-allocated error messages ("FILE: what").
 * Never: included outside corpus/; holds state (every helper is pure).
 */
#ifndef CP_INT_H
#define CP_INT_H

#include <stdarg.h>

/* printf into a fresh malloc'd string; NULL when out of memory. */
char *cp_msg_vnew(const char *fmt, va_list ap);
char *cp_msg_new(const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* "PATH: strerror(err)" with the first letter of the reason lowercased
 * ("x.jsonl: no such file or directory"); malloc'd, NULL when out of
 * memory. */
char *cp_msg_errno(const char *path, int err);

#endif /* CP_INT_H */
