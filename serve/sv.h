/*
 * sv.h -- akkoord-query serve: the site of the snapshot (site/st.h) from
 * memory, and a search, over HTTP (libmicrohttpd), read-only.
 *
 * Owns: the server's generations (a snapshot, its evaluator and its site,
 * swapped whole when akkoord-index replaces the snapshot, without a
 * failed request), the routes, the limits of a request.
 * Never: reads a file to answer a request (every page is in memory: a
 * path outside the site cannot reach the disk); writes anything.
 */
#ifndef SV_H
#define SV_H

#include "../site/st.h"

#define SV_QUERY_MAX 500         /* bytes of a search query            */
#define SV_URL_MAX 2048          /* bytes of a request's URL           */
#define SV_PAGE_MAX 100          /* result pages of a search           */

typedef struct sv_opts {
    const char *db;              /* the snapshot directory             */
    const char *bind;            /* address, default 127.0.0.1         */
    unsigned port;               /* 0: a free port                     */
    const qy_params *params;
    const qy_fixes *fixes;       /* NULL: none                         */
    unsigned poll_ms;            /* how often the snapshot is checked  */
} sv_opts;

/* Serve until SIGINT or SIGTERM.  Prints "serving SNAPSHOT on
 * http://ADDR:PORT/" on stderr when ready, and each snapshot swap.
 * Errors: the snapshot (as ix_snapshot_open), the address (XS_INVALID),
 * the port (XS_IO). */
xs_status sv_run(const sv_opts *o, xs_err *err);

#endif /* SV_H */
