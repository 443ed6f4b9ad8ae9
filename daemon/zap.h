/*
 * Access control for tcp endpoints: a ZAP handler (ZeroMQ RFC 27) answering
 * libzmq's CURVE handshakes from a thread of its own.
 *
 * Every tcp endpoint is a CURVE server with a ZAP domain: "ingest" for the
 * ingest ROUTER, "read" for the query ROUTER and the breaches PUB.  A client
 * whose public key is a file NAME.pub in [keys] producers_dir may use the
 * ingest domain; one in readers_dir may use the read domain (a key in both
 * folders may do both).  Every other client, and every mechanism but CURVE,
 * is refused with status 400, so it gets nothing.  The handler must be bound
 * before the public sockets: libzmq lets any CURVE client in when no handler
 * answers at inproc://zeromq.zap.01.
 */
#ifndef IRK_ZAP_H
#define IRK_ZAP_H

#include <stddef.h>

#include "daemon/config.h"
#include "proto/keyfile.h"

#define ZAP_DOMAIN_INGEST "ingest"
#define ZAP_DOMAIN_READ   "read"
#define ZAP_KEY_Z85       KEYFILE_Z85 /* proto/keyfile.h */

struct zap;

/*
 * Bind the handler in zctx, load the key folders of cfg and start the thread.
 * On success *out is owned by the caller; release it with zap_stop() before
 * zmq_ctx_term().  Returns 0 or IRK_E*.
 */
int zap_start(void *zctx, const struct config *cfg, struct zap **out);

/* Read the key folders again (SIGHUP); says how many keys each holds.
 * Returns 0 or IRK_E*, in which case the old keys stay. */
int zap_reload(struct zap *z, const struct config *cfg, size_t *producers,
    size_t *readers);

/* Stop the thread, close its socket, free.  NULL-safe; sets *zp to NULL. */
void zap_stop(struct zap **zp);

#endif
