/*
 * The insides of struct irokpi, shared by client.c (the handle, its
 * settings, queries) and publish.c (the pipelined publisher).  Private to
 * libirokpi: nothing outside clients/ includes this.
 */
#ifndef IRK_CLIENT_IMPL_H
#define IRK_CLIENT_IMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "clients/irokpi.h"

#define DEF_QUERY_TIMEOUT 5000
#define DEF_BATCH         1000
#define DEF_INFLIGHT      4
#define DEF_RESEND        10000
#define DEF_GIVE_UP       30000
#define MAX_INFLIGHT      64
#define MAX_MS            86400000L
#define EP_MAX            1024 /* bytes of an endpoint, with its NUL */

enum batch_state { B_FREE, B_FILLING, B_WAITING, B_BACKOFF, B_DONE };

/*
 * One event of a batch.  Its msgpack bytes (or, for an event refused here,
 * nothing) live in the batch's buffer at off; the strings of a rejection
 * (id, field, reason) are appended to the same buffer when the verdict is
 * known, and named by offset because the buffer may move.
 */
struct entry {
	uint64_t tag;
	size_t off, len;          /* event bytes; len 0 if never sent */
	size_t id, field, reason; /* string offsets; NO_STR when absent */
	int status;               /* IROKPI_*, or -1 while unknown */
};

#define NO_STR SIZE_MAX

struct batch {
	enum batch_state state;
	uint64_t id; /* the header's "batch" */
	struct entry *ent;
	size_t nent, cap_ent;
	size_t nsend; /* entries that go on the wire */
	char *buf;    /* event bytes, then verdict strings */
	size_t used, cap;
	int64_t due;       /* WAITING: resend at; BACKOFF: retry at */
	unsigned attempts; /* "retry" replies so far */
};

struct irokpi {
	void *ctx;
	void *ingest;           /* DEALER, or NULL */
	void *monitor;          /* PAIR fed by the ingest socket's monitor */
	void *query;            /* DEALER, or NULL until first needed */
	char ingest_ep[EP_MAX]; /* "" when there is no ingest side */
	char query_ep[EP_MAX];  /* "" when there is no query side */
	bool disconnected;      /* ingest lost its peer since last connect */
	bool curve;             /* sockets are CURVE clients with keys */
	struct irokpi_curve keys;

	long query_timeout, resend, give_up;
	size_t batch_max, inflight;

	struct batch *ring; /* inflight + 1 slots */
	size_t nslots, head, nused;
	uint64_t next_batch;
	int64_t last_ack; /* start of the current no-ack period */

	irokpi_result_cb cb;
	void *cb_arg;
	struct irokpi_counts counts;
	char err[256];     /* irokpi_errmsg() */
	char refusal[200]; /* latest error reply, "" after an ack */
};

/* Milliseconds of CLOCK_MONOTONIC. */
int64_t client_now_ms(void);

/* Set irokpi_errmsg()'s text; returns rc, for `return client_seterr(..)`. */
int client_seterr(struct irokpi *k, int rc, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Map zmq_errno() to IRK_E*, keeping ZeroMQ's words in the message. */
int client_zmq_fail(struct irokpi *k, const char *what);

/*
 * A DEALER connected to ep with linger 0.  On success *out is owned by the
 * caller (zmq_close()).  Returns 0 or IRK_E*.
 */
int client_dealer_open(struct irokpi *k, const char *ep, void **out);

/*
 * The publisher's side of irokpi_open(): the ingest DEALER on ep and the
 * monitor that tells of reconnects.  Returns 0 or IRK_E*; what was opened
 * is closed by publish_close() all the same.
 */
int publish_open(struct irokpi *k, const char *ep);

/* Close the ingest sockets and free the ring; NULL-safe members. */
void publish_close(struct irokpi *k);

/*
 * (Re)make the ring for inflight batches in flight; nothing may be pending.
 * Returns 0 or IRK_ENOMEM (the old ring is kept then).
 */
int publish_ring_alloc(struct irokpi *k, size_t inflight);

#endif
