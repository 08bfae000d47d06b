/*
 * sp-int.h -- helpers private to split/.
 *
 * Owns: the formatted-message helper every step uses.
 * Never: part of what other folders may include.
 */
#ifndef SP_INT_H
#define SP_INT_H

/* printf into a malloc'd string; NULL when out of memory. */
char *sp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* SP_INT_H */
