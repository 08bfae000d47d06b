/*
 * cp-int.h -- private helpers shared by the corpus layer's .c files.
 *
 * Owns: building heap-allocated error messages ("FILE: what"), the hex
 * form of a sha256 digest.
 * Never: included outside corpus/; holds state (every helper is pure).
 */
#ifndef CP_INT_H
#define CP_INT_H

#include <stdarg.h>
#include <stdint.h>

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

/* The 32-byte sha256 digest dig as 64 lowercase hex digits and a NUL. */
void cp_sha256_hex(const uint8_t dig[32], char hex[65]);

#endif /* CP_INT_H */
