/*
 * faultsim.h -- TEST SCAFFOLDING: what faultsim_new.cc uses of faultsim.c
 * (the allocation-failure hook of the faultsim build; see faultsim.c and
 * tests/faultsim/README.md).  Never included by the product.
 */
#ifndef AKK_FAULTSIM_H
#define AKK_FAULTSIM_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Count one allocation; 1 if it is to fail (errno is then ENOMEM). */
int akk_faultsim_fail(void);
/* on = 1: the calling thread enters a call that counts as one allocation
 * (only its first can fail); on = 0: it leaves it. */
void akk_faultsim_region(int on);
/* malloc through the counter (jansson's allocator). */
void *akk_faultsim_malloc(size_t n);
/* The libc malloc behind ld --wrap=malloc (not counted). */
void *__real_malloc(size_t n);

#ifdef __cplusplus
}
#endif
#endif /* AKK_FAULTSIM_H */
