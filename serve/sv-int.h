/*
 * sv-int.h -- private to serve/: a generation and the server's state.
 */
#ifndef SV_INT_H
#define SV_INT_H

#include "sv.h"

#include <pthread.h>
#include <sys/types.h>
#include <time.h>

/* Which snapshot is on disk: a swap by akkoord-index changes these. */
typedef struct sv_ident {
    dev_t dev;
    ino_t dir, manifest;
    time_t mtime;
} sv_ident;

/* 0, or -1 when db or its manifest cannot be stat'ed. */
int sv_identity(const char *db, sv_ident *id);
int sv_ident_same(const sv_ident *a, const sv_ident *b);

typedef struct sv_gen {
    ix_snapshot *s;
    qy_evaluator *ev;
    st_site *site;
    unsigned char *marks;     /* of the corrections, for the method page */
    sv_ident ident;
    pthread_mutex_t search;   /* held while s is searched               */
    int refs;                 /* atomic                                 */
} sv_gen;

/* Open o->db and build its site (seconds: all cores). */
xs_status sv_gen_new(const sv_opts *o, sv_gen **out, xs_err *err);
/* Let go of a reference; the last frees g. */
void sv_gen_release(sv_gen *g);

/* The server: the current generation behind a lock. */
typedef struct sv_server {
    const sv_opts *o;
    pthread_mutex_t lock;
    sv_gen *cur;
    unsigned long served, failed;   /* atomic: answers 2xx-4xx, 5xx */
} sv_server;

/* The current generation, with a reference for the caller. */
sv_gen *sv_current(sv_server *sv);

/* Answer a GET of url (q, page: its arguments, NULL when absent): status,
 * body (malloc'd) and its media type (static). */
typedef struct sv_answer {
    unsigned status;
    char *body;
    size_t len;
    const char *type;
} sv_answer;
void sv_route(sv_server *sv, const char *url, const char *q,
              const char *page, sv_answer *a);

#endif /* SV_INT_H */
