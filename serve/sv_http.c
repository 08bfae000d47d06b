/*
 * sv_http.c -- the HTTP side of serve (libmicrohttpd) and its main loop:
 * start the daemon on the first generation, then watch the snapshot and
 * swap in a new generation when akkoord-index replaced it, until SIGINT
 * or SIGTERM.
 *
 * Owns: the daemon's limits (connections, memory and time per
 * connection, URL length, methods), the current generation and its swap,
 * the access log counters.
 * Never: answers with anything but sv_route's answer or a 4xx of its
 * own; keeps a generation alive past the requests that use it.
 */
#include "sv-int.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#define SV_CONNECTIONS 256
#define SV_THREADS 4
#define SV_TIMEOUT_S 10           /* a request that does not end is cut */
#define SV_CONN_MEMORY (64u << 10)

sv_gen *sv_current(sv_server *sv)
{
    pthread_mutex_lock(&sv->lock);
    sv_gen *g = sv->cur;
    if (g)
        __atomic_add_fetch(&g->refs, 1, __ATOMIC_ACQ_REL);
    pthread_mutex_unlock(&sv->lock);
    return g;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status,
                             char *body, size_t len, const char *type)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(
        len, body ? body : (char *)"", body ? MHD_RESPMEM_MUST_FREE
                                            : MHD_RESPMEM_PERSISTENT);
    if (!r) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "Content-Security-Policy",
                            "default-src 'self'; img-src 'self' data:; "
                            "style-src 'self'; script-src 'self'; "
                            "frame-ancestors 'none'");
    MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
    enum MHD_Result rc = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return rc;
}

static enum MHD_Result plain(struct MHD_Connection *c, unsigned status,
                             const char *msg)
{
    char *body = strdup(msg);
    return reply(c, status, body, body ? strlen(body) : 0,
                 "text/plain; charset=utf-8");
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **state)
{
    sv_server *sv = cls;
    (void)version;
    (void)upload;
    if (!*state) {                /* first call: headers only */
        *state = sv;
        return MHD_YES;
    }
    if (*upload_size)
        return plain(c, 413, "akkoord serve is read-only: no request body\n");
    if (strcmp(method, "GET") && strcmp(method, "HEAD"))
        return plain(c, 405, "only GET and HEAD\n");
    if (strlen(url) > SV_URL_MAX)
        return plain(c, 414, "URL too long\n");
    const char *q = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "q");
    const char *page = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND,
                                                   "page");
    sv_answer a;
    sv_route(sv, url, q, page, &a);
    if (a.status >= 500)
        __atomic_add_fetch(&sv->failed, 1, __ATOMIC_RELAXED);
    __atomic_add_fetch(&sv->served, 1, __ATOMIC_RELAXED);
    return reply(c, a.status, a.body, a.len, a.type);
}

static xs_status address_of(const sv_opts *o, struct sockaddr_in *sa,
                            xs_err *err)
{
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)o->port);
    if (inet_pton(AF_INET, o->bind ? o->bind : "127.0.0.1", &sa->sin_addr) != 1)
        return xs_err_set(err, XS_INVALID, "--bind '%s' is not an IPv4 "
                          "address", o->bind);
    return XS_OK;
}

/* Swap in a new generation when the snapshot on disk changed. */
static void maybe_swap(sv_server *sv)
{
    sv_ident now;
    if (sv_identity(sv->o->db, &now) || sv_ident_same(&now, &sv->cur->ident))
        return;
    sv_gen *g = NULL;
    xs_err err = {0};
    if (sv_gen_new(sv->o, &g, &err)) {
        /* mid-swap or damaged: keep serving the old one, try again */
        fprintf(stderr, "akkoord-query: serve: new snapshot not taken yet: ");
        rd_text_put(stderr, err.msg ? err.msg : xs_status_str(err.code));
        fputc('\n', stderr);
        xs_err_clear(&err);
        return;
    }
    pthread_mutex_lock(&sv->lock);
    sv_gen *old = sv->cur;
    sv->cur = g;
    pthread_mutex_unlock(&sv->lock);
    fprintf(stderr, "akkoord-query: serve: swapped in snapshot %.16s\n",
            ix_snapshot_id(g->s));
    sv_gen_release(old);
}

/* Until SIGINT or SIGTERM (blocked in every thread, taken here). */
static void watch(sv_server *sv, const sigset_t *stop)
{
    struct timespec tick = {(time_t)(sv->o->poll_ms / 1000),
                            (long)(sv->o->poll_ms % 1000) * 1000000L};
    for (;;) {
        int sig = sigtimedwait(stop, NULL, &tick);
        if (sig == SIGINT || sig == SIGTERM)
            return;
        maybe_swap(sv);
    }
}

static struct MHD_Daemon *daemon_start(sv_server *sv, struct sockaddr_in *sa)
{
    return MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, sv, MHD_OPTION_SOCK_ADDR, sa,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned)SV_THREADS,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)SV_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SV_TIMEOUT_S,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SV_CONN_MEMORY,
        MHD_OPTION_END);
}

xs_status sv_run(const sv_opts *o, xs_err *err)
{
    struct sockaddr_in sa;
    xs_status st = address_of(o, &sa, err);
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);   /* before any thread */
    sv_server sv = {.o = o};
    pthread_mutex_init(&sv.lock, NULL);
    if (!st)
        st = sv_gen_new(o, &sv.cur, err);
    struct MHD_Daemon *d = st ? NULL : daemon_start(&sv, &sa);
    if (!st && !d)
        st = xs_err_set(err, XS_IO, "cannot listen on %s:%u (in use, or not "
                        "an address of this machine)", o->bind ? o->bind
                        : "127.0.0.1", o->port);
    if (!st) {
        const union MHD_DaemonInfo *info =
            MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
        fprintf(stderr, "akkoord-query: serving %.16s on http://%s:%u/\n",
                ix_snapshot_id(sv.cur->s), o->bind ? o->bind : "127.0.0.1",
                info ? (unsigned)info->port : o->port);
        watch(&sv, &stop);
        MHD_stop_daemon(d);
        fprintf(stderr, "akkoord-query: serve: stopped after %lu requests, "
                "%lu failed\n", sv.served, sv.failed);
    }
    sv_gen_release(sv.cur);
    pthread_mutex_destroy(&sv.lock);
    return st;
}
