/*
 * libirokpi: the client side of the irokpid wire protocol (proto/PROTOCOL.md).
 *
 * One struct irokpi holds a ZeroMQ context and up to two sockets: a DEALER on
 * the daemon's ingest ROUTER, for publishing events, and a DEALER on its
 * query ROUTER, for questions.  Both are optional, so a reporting tool need
 * not know where events go and a bridge script need not know about queries.
 *
 * Publishing is pipelined.  Events are handed over one at a time, each with
 * a caller's tag (a line number, a row id); the library groups them into
 * batches, keeps a few batches in flight, matches acks by batch id, resends
 * what is not acknowledged in time (safe: the daemon dedups by event id) and
 * reports every event's fate through a callback, in the order the events were
 * handed over.  The caller's thread does all the work: there is no background
 * thread, and I/O happens inside irokpi_publish(), irokpi_flush() and
 * irokpi_query().  A struct irokpi must be used by one thread at a time.
 *
 * Every function that can fail returns 0 or a negative IRK_E* code
 * (domain/err.h); irokpi_errmsg() then tells more in words.
 */
#ifndef IROKPI_H
#define IROKPI_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "domain/err.h"

struct irokpi;

/*
 * Connect to the daemon.  ingest_ep and query_ep are ZeroMQ endpoints
 * ("ipc:///run/irokpi/ingest.sock"); either may be NULL when that side is not
 * used.  Connecting never waits for the daemon: ZeroMQ connects (and
 * reconnects) in the background, so a daemon that is down is noticed only as
 * a timeout.  On success *out is owned by the caller; release it with
 * irokpi_close().  Returns 0, IRK_EINVAL (both endpoints NULL, or one that
 * ZeroMQ refuses), IRK_ENOMEM or IRK_EIO; *out is untouched on failure.
 */
int irokpi_open(
    const char *ingest_ep, const char *query_ep, struct irokpi **out);

/*
 * CURVE keys for tcp endpoints (irokpid.conf(5), [keys]): the server's
 * public key and the client's key pair, each 40 Z85 characters.
 */
#define IROKPI_KEY_Z85 41 /* with the NUL */

struct irokpi_curve {
	char server_public[IROKPI_KEY_Z85];
	char public_key[IROKPI_KEY_Z85];
	char secret_key[IROKPI_KEY_Z85];
};

/*
 * Fill *out from key files as `irokpi keygen` writes them: server_pub_file
 * holds the server's public key (NAME.pub), client_key_file the client's
 * secret key (NAME.key; the public key is derived from it).  Returns 0,
 * IRK_EIO (a file cannot be read; errno set) or IRK_EINVAL (not a key).
 */
int irokpi_curve_load(const char *server_pub_file, const char *client_key_file,
    struct irokpi_curve *out);

/*
 * irokpi_open() with CURVE on both sockets (curve NULL: as irokpi_open()).
 * curve is copied.  A daemon that refuses the key answers nothing: publish
 * and query then time out.
 */
int irokpi_open_curve(const char *ingest_ep, const char *query_ep,
    const struct irokpi_curve *curve, struct irokpi **out);

/*
 * Close the sockets (ZMQ_LINGER 0: anything unsent is dropped, so call
 * irokpi_flush() first) and free the handle.  Events still pending are
 * dropped without a callback.  NULL-safe; sets *kp to NULL.
 */
void irokpi_close(struct irokpi **kp);

/* Settings for irokpi_set(); times are in milliseconds. */
enum irokpi_option {
	IROKPI_OPT_QUERY_TIMEOUT, /* wait for a query reply; default 5000 */
	IROKPI_OPT_BATCH,    /* events per batch, 1..10000; default 1000 */
	IROKPI_OPT_INFLIGHT, /* batches in flight, 1..64; default 4 */
	IROKPI_OPT_RESEND,   /* resend an unacked batch; default 10000 */
	IROKPI_OPT_GIVE_UP,  /* no ack at all for this long; default 30000 */
};

/*
 * Change a setting.  Times must be 1..86400000 ms.  IROKPI_OPT_BATCH and
 * IROKPI_OPT_INFLIGHT may change only while nothing is pending.  Returns 0,
 * IRK_ERANGE for a value out of bounds, or IRK_EINVAL (unknown option, or
 * events pending).
 */
int irokpi_set(struct irokpi *k, enum irokpi_option opt, long value);

/*
 * Words on the latest failure (or "" when there was none), e.g. the reason of
 * a daemon's error reply.  Borrowed: valid until the next call on k.
 */
const char *irokpi_errmsg(const struct irokpi *k);

/* ---- Publishing ---- */

/* An event's fate; the values are the ack's status codes (proto/wire.h). */
enum irokpi_status {
	IROKPI_STORED = 0,    /* stored now */
	IROKPI_DUPLICATE = 1, /* an event with this id was stored before */
	IROKPI_REJECTED = 2,  /* not stored: see field and reason */
};

/*
 * What the result callback is told about one event: the caller's tag and
 * the status; for a rejected event also the field at fault ("(event)" for
 * the whole event), the reason, and the event's id (NULL when it has none
 * readable); id, field and reason are NULL otherwise.  event and event_len
 * are the msgpack bytes as handed over (NULL and 0 for an event refused by
 * the caller or for being too large).  Every pointer is borrowed and valid
 * only during the callback.
 */
struct irokpi_result {
	uint64_t tag;
	enum irokpi_status status;
	const char *id;
	const char *field;
	const char *reason;
	const void *event;
	size_t event_len;
};

/*
 * Called once for every event handed over, in the order they were handed
 * over, from inside irokpi_publish(), irokpi_publish_reject() or
 * irokpi_flush().  It must not call irokpi_* functions on the same handle.
 */
typedef void (*irokpi_result_cb)(const struct irokpi_result *res, void *arg);

/* Set (or clear, with NULL) the result callback and its argument. */
void irokpi_on_result(struct irokpi *k, irokpi_result_cb cb, void *arg);

/*
 * Hand over one event, len bytes of msgpack (one map, EVENTS.md), with the
 * caller's tag.  The bytes are copied; the caller keeps event.  The event
 * joins the batch being filled; a full batch is sent as soon as fewer than
 * IROKPI_OPT_INFLIGHT batches are in flight, and until then this call waits,
 * reading acks and resending as needed (so it may run callbacks).  An event
 * over IRK_EVENT_MAX bytes is not sent: it is reported as rejected, in its
 * turn, with field "(event)".  Returns 0, IRK_EINVAL (no ingest endpoint, or
 * len 0), IRK_ENOMEM, IRK_EIO, or IRK_ETIMEDOUT when no ack at all came for
 * IROKPI_OPT_GIVE_UP ms.  On failure the event was not taken, and what was
 * pending stays pending: irokpi_flush() tries again, irokpi_close() drops it.
 */
int irokpi_publish(
    struct irokpi *k, const void *event, size_t len, uint64_t tag);

/*
 * Report an event that the caller refused itself (say, a line that is not
 * JSON) as rejected, in its turn among the others, without sending anything.
 * id may be NULL; field and reason are copied.  Returns as irokpi_publish().
 */
int irokpi_publish_reject(struct irokpi *k, uint64_t tag, const char *id,
    const char *field, const char *reason);

/*
 * Send the batch being filled and wait until every event handed over has had
 * its callback.  The no-ack clock starts again at this call.  Returns 0,
 * IRK_ETIMEDOUT (no ack at all for IROKPI_OPT_GIVE_UP ms; the rest stays
 * pending, see irokpi_pending()), IRK_EIO or IRK_ENOMEM.
 */
int irokpi_flush(struct irokpi *k);

/* Events handed over that have not had their callback yet. */
size_t irokpi_pending(const struct irokpi *k);

/* Running totals since irokpi_open(). */
struct irokpi_counts {
	uint64_t stored, duplicates, rejected; /* callbacks by status */
	uint64_t batches;                      /* batches sent (first time) */
	uint64_t resends;                      /* batches sent again */
	uint64_t retries;                      /* "retry": true replies */
	uint64_t stray;                        /* acks for no pending batch */
	uint64_t bad_replies;                  /* replies that made no sense */
	uint64_t last_seq;                     /* highest last_seq acked */
};

void irokpi_counts(const struct irokpi *k, struct irokpi_counts *out);

/* ---- Queries ---- */

/*
 * Send one query, req_len bytes of msgpack (a map with "q"), and wait up to
 * IROKPI_OPT_QUERY_TIMEOUT ms for the reply.  On success *reply is a
 * malloc(3)ed copy of the reply's msgpack bytes, owned by the caller (free it
 * with free()), and *reply_len its length.  A reply with "ok" false is a
 * success here: the caller reads "error" from it.  Returns 0, IRK_EINVAL (no
 * query endpoint), IRK_ETIMEDOUT (no reply in time; the socket is then
 * replaced, so a late reply can never answer a later query), IRK_EPROTO (a
 * reply that is not one msgpack map), IRK_ENOMEM or IRK_EIO; *reply is
 * untouched on failure.
 */
int irokpi_query(struct irokpi *k, const void *req, size_t req_len,
    char **reply, size_t *reply_len);

/*
 * irokpi_query() with a jansson object in and out.  req is borrowed.  On
 * success *reply is a new reference owned by the caller (json_decref() it).
 * Returns as irokpi_query(), and IRK_EINVAL for a req that is not an object.
 */
int irokpi_query_json(struct irokpi *k, const json_t *req, json_t **reply);

#endif
