/*
 * struct daemon: everything the running irokpid holds, passed explicitly to
 * every part (no global state but the signal flags).
 */
#ifndef IRK_DAEMON_H
#define IRK_DAEMON_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#include "daemon/config.h"
#include "daemon/rebuild.h"
#include "domain/calendar.h"
#include "domain/timescale.h"
#include "store/store.h"

struct daemon {
	struct config cfg;
	char ingest_ep[CONFIG_PATH_MAX + 16];
	char query_ep[CONFIG_PATH_MAX + 16];
	char breaches_ep[CONFIG_PATH_MAX + 16];

	void *zctx;
	void *ingest;   /* ROUTER, owned by the main thread */
	void *query;    /* ROUTER, owned by the query thread once started */
	void *breaches; /* PUB */

	struct store *store;
	struct calendar *cal;
	struct timescale ts;
	struct kpi_settings kpi; /* its targets point into cfg */
	time_t started;

	/* Since start-up; written by ingest, read by queries. */
	atomic_uint_fast64_t batches, duplicates, rejected, stored;

	struct rebuild rebuild;

	pthread_t query_thread;
	void *query_stop; /* inproc PAIR: main -> query thread */
};

/* The daemon's "today": the one clock every rule and query uses. */
int32_t daemon_today(const struct daemon *d);

/* ingest.c: read one message from the ingest socket and answer it. */
int ingest_handle(struct daemon *d);

/* query.c: start and stop the query thread (it owns d->query). */
int query_start(struct daemon *d);
void query_stop(struct daemon *d);

#endif
