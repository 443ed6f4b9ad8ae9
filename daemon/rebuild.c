/*
 * The rebuild thread.  One at a time; the store's writer lock keeps it and
 * ingest apart, so a rebuild only delays batches, it never loses one.
 */
#include <signal.h>
#include <time.h>

#include "daemon/log.h"
#include "daemon/rebuild.h"
#include "domain/err.h"

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) +
	       (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void *
rebuild_main(void *arg)
{
	struct rebuild *r = arg;
	struct store_rebuild_stats st;
	struct timespec t0;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	log_info("rebuild: started");
	rc = store_rebuild(r->store, &st);
	pthread_mutex_lock(&r->lock);
	r->seconds = seconds_since(&t0);
	r->error = rc;
	if (rc == 0) {
		r->stats = st;
		r->state = REBUILD_DONE;
		log_info(
		    "rebuild: %llu children and %llu groups re-derived in "
		    "%.2f s",
		    (unsigned long long)st.children,
		    (unsigned long long)st.groups, r->seconds);
	} else {
		r->state = REBUILD_FAILED;
		log_warnx("rebuild: failed after %.2f s: %s; the projections "
			  "are part rebuilt, so KPI queries are refused until "
			  "a rebuild succeeds (the next start runs one)",
		    r->seconds, irk_strerror(rc));
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

int
rebuild_init(struct rebuild *r, struct store *s)
{
	r->joinable = false;
	r->state = REBUILD_IDLE;
	r->store = s;
	r->seconds = 0;
	r->error = 0;
	return pthread_mutex_init(&r->lock, NULL) == 0 ? 0 : IRK_ENOMEM;
}

int
rebuild_start(struct rebuild *r)
{
	sigset_t all, old;
	int rc = 0;

	pthread_mutex_lock(&r->lock);
	if (r->state == REBUILD_RUNNING) {
		rc = IRK_EDUP;
		goto done;
	}
	if (r->joinable) {
		pthread_join(r->thread, NULL); /* the last one has ended */
		r->joinable = false;
	}
	r->state = REBUILD_RUNNING;
	/* Signals belong to the main thread's loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	if (pthread_create(&r->thread, NULL, rebuild_main, r) != 0) {
		r->state = REBUILD_FAILED;
		r->error = rc = IRK_ENOMEM;
	} else
		r->joinable = true;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
done:
	pthread_mutex_unlock(&r->lock);
	return rc;
}

void
rebuild_get_status(struct rebuild *r, struct rebuild_status *out)
{
	pthread_mutex_lock(&r->lock);
	out->state = r->state;
	out->stats = r->stats;
	out->seconds = r->seconds;
	out->error = r->error;
	pthread_mutex_unlock(&r->lock);
}

bool
rebuild_partial(struct rebuild *r)
{
	struct rebuild_status st;

	rebuild_get_status(r, &st);
	return st.state == REBUILD_RUNNING || st.state == REBUILD_FAILED;
}

const char *
rebuild_state_name(enum rebuild_state s)
{
	switch (s) {
	case REBUILD_RUNNING:
		return "running";
	case REBUILD_DONE:
		return "done";
	case REBUILD_FAILED:
		return "failed";
	case REBUILD_IDLE:
		break;
	}
	return "idle";
}

void
rebuild_fini(struct rebuild *r)
{
	if (r->joinable)
		pthread_join(r->thread, NULL);
	r->joinable = false;
	pthread_mutex_destroy(&r->lock);
}
