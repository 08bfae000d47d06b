/*
 * fz.h -- what the libFuzzer targets of tests/fuzz/ share: the invariant
 * check, feeding an input to a file-based reader, and the read loop with
 * the cp.h contract checks common to decisions and sections.
 * Never linked into akkoord itself.
 */
#ifndef FZ_H
#define FZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "../../corpus/cp.h"

#define CHECK(c)                                                              \
    do {                                                                      \
        if (!(c)) {                                                           \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__,        \
                    __LINE__, #c);                                            \
            abort();                                                          \
        }                                                                     \
    } while (0)

/* Prepare a file (a memfd, else a temp file) named name for inputs. */
void fz_setup(const char *name);
/* Make that file hold exactly data[0..size); returns its path. */
const char *fz_put(const uint8_t *data, size_t size);

/* A present string has the length it claims and no NUL inside. */
void fz_check_str(cp_str s);
/* Normalised title/text (cp.h "Text normalisation"). */
void fz_check_norm(cp_str s);

/* Read records of the input with next() until EOF or a stream error,
 * checking the reader's contract (line numbers advance, CP_BAD names the
 * file, end states are sticky) and calling check() on every good one. */
typedef cp_status (*fz_next_fn)(cp_reader *r, void *rec);
typedef void (*fz_check_fn)(const void *rec);
void fz_read_all(const uint8_t *data, size_t size, fz_next_fn next,
                 void *rec, fz_check_fn check);

#endif /* FZ_H */
