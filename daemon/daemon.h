/*
 * struct daemon: everything the running irokpid holds, passed explicitly to
 * every part (no global state but the signal flags).
 */
#ifndef IRK_DAEMON_H
#define IRK_DAEMON_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stdint.h>
#include <time.h>

#include "daemon/config.h"
#include "daemon/hist.h"
#include "daemon/rebuild.h"
#include "domain/calendar.h"
#include "domain/timescale.h"
#include "store/store.h"

struct backup_job;
struct metrics;
struct query_asker;
struct kpi_query;
struct window;
struct zap;

struct daemon {
	struct config cfg;
	const char *config_path;   /* -c, or NULL; SIGHUP reads it again */
	const char *data_dir_flag; /* --data-dir, or NULL; it overrides */
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
	/* SIGHUP changes cfg's reloadable options, kpi and the holidays:
	 * queries that read them hold this shared, reload holds it
	 * exclusively (reload.c). */
	pthread_rwlock_t settings_lock;
	struct zap *zap; /* the ZAP handler, when an endpoint is tcp */
	time_t started;

	/* Since start-up; written by ingest, read by queries. */
	atomic_uint_fast64_t batches, duplicates, rejected, stored;
	atomic_uint_fast64_t commits; /* one for each group of batches */
	struct hist commit_hist;      /* store_ingest() of each group */
	atomic_uint_fast64_t breaches_published; /* sent on the PUB socket */

	/* With [metrics] listen: the HTTP server (metrics.c), and the monitor
	 * of the PUB socket that counts its peers (submon.c). */
	struct metrics *metrics;
	void *submon; /* PAIR, main thread only; NULL when off */
	atomic_int_fast64_t subscribers;

	struct rebuild rebuild;

	/* --clock FILE: "today" as the file says (clock.c); 0 until read. */
	const char *clock_file;
	atomic_int_fast32_t clock_day;
	struct timespec clock_mtime;
	off_t clock_size;
	bool clock_seen, clock_warned;

	/* Breaches (breach.c), main thread only: the last seq published on
	 * the PUB socket, the day last swept, the next heartbeat. */
	uint64_t pub_seq;
	int32_t swept_day;
	int64_t next_heartbeat;

	pthread_t query_thread;
	void *query_stop; /* inproc PAIR: main -> query thread */
	/* Query thread only: who asked the request in hand (query.c), and
	 * the backup being made, whose answer waits for it (query_backup.c).
	 */
	struct query_asker *asker;
	struct backup_job *backup;
};

/* The daemon's "today": the one clock every rule and query uses. */
int32_t daemon_today(const struct daemon *d);

/* clock.c: with --clock, read the file again if it changed.  Main thread. */
void daemon_clock_poll(struct daemon *d);

/*
 * breach.c, main thread.  breach_init() after the store opens: breaches
 * already in the log count as published.  breach_tick() each loop turn:
 * sweep when "today" changed (and at the first call), publish what the log
 * holds past what was published, and the heartbeat when due; returns the
 * milliseconds until the next heartbeat.  breach_publish_new() after a
 * commit that may have written breaches (met_late).
 */
void breach_init(struct daemon *d);
int64_t breach_tick(struct daemon *d, int64_t now_ms);
void breach_publish_new(struct daemon *d);

/*
 * ingest.c: read a message from the ingest socket, and those already
 * waiting behind it (up to INGEST_GROUP_BATCHES batches or
 * INGEST_GROUP_EVENTS events), store them in one commit and answer each.
 * Returns how many batches were stored or refused by the store.
 */
#define INGEST_GROUP_BATCHES 16
#define INGEST_GROUP_EVENTS  10000
size_t ingest_handle(struct daemon *d);

/*
 * reload.c: SIGHUP.  Read the configuration file again and apply what may
 * change without a restart (KPI targets, caseload and council settings,
 * horizons, holidays, client keys); log what changed and what would need a
 * restart.  A file that does not load changes nothing.  Main thread only.
 */
void daemon_reload(struct daemon *d);

/*
 * The working-day calendar with the override list in file ("" for none).
 * On success *out is owned by the caller (calendar_free()).  Returns 0 or
 * IRK_E* with "file:line: reason" in err.
 */
int daemon_load_calendar(
    const char *file, struct calendar **out, char *err, size_t errlen);

/*
 * query_kpi.c: the KPI query for window label as at today, with d's
 * settings, as the kpi query asks it; *w gets the window.  The settings are
 * borrowed: hold d->settings_lock shared while q is in use.  Returns 0, or
 * IRK_EINVAL when label is not a window.
 */
int daemon_kpi_query(struct daemon *d, const char *label, int32_t today,
    struct kpi_query *q, struct window *w);

/*
 * submon.c: count the peers of the PUB socket (d->subscribers) from its
 * monitor events.  submon_start() after the socket is bound, submon_drain()
 * when d->submon is readable, submon_stop() before the socket closes.  Main
 * thread only; d->subscribers may be read from any thread.
 */
int submon_start(struct daemon *d);
void submon_drain(struct daemon *d);
void submon_stop(struct daemon *d);

/* query.c: start and stop the query thread (it owns d->query). */
int query_start(struct daemon *d);
void query_stop(struct daemon *d);

#endif
