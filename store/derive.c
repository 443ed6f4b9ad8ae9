/*
 * A rebuild's deriver thread and the queue between it and the writer.
 *
 * A ring of DERIVE_AHEAD slots: the thread fills child i into slot
 * i % DERIVE_AHEAD once the writer has given back child i - DERIVE_AHEAD,
 * and the writer takes them in order.  Each slot keeps its points' memory
 * from chunk to chunk, so memory stays that of DERIVE_AHEAD children.
 *
 * The thread reads the log's databases (evlog, timeline, retracted) in a
 * read-only transaction of its own, begun in the thread (MDB_NOTLS: its
 * reader slot is not tied to it) and ended before the thread exits, so at
 * each chunk's end, before the writer commits or grows the map
 * (store_grow() wants no transaction of ours open: deriver_stop() joins
 * the thread first).  A rebuild holds the writer lock throughout, so
 * those databases are the writer's too.  The rules (s->ts, s->cal) are
 * only read, as by the serial code; the rest is the thread's own: its
 * timeline buffer and the slot it fills.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "store/derive.h"

/* Children derived ahead of the writer: enough to ride out a long
 * timeline on either side.  A side that waits for the other is woken when
 * half of the ring is there for it, not at each child: a wake-up per child
 * was about 5% of a rebuild's profile. */
#define DERIVE_AHEAD 64
#define DERIVE_BATCH (DERIVE_AHEAD / 2)
#define NOBODY       SIZE_MAX

struct slot {
	struct points pts;
	char *enc; /* pts encoded */
	size_t enclen, enccap;
	bool has_iro;
	char iro[IRK_STR_MAX + 1];
};

struct deriver {
	struct project_rules rules;
	const struct touched *names;
	struct timeline_buf tb; /* the thread's */
	pthread_t thread;
	bool started;
	pthread_mutex_t mu;
	pthread_cond_t ready; /* a child derived, or the thread failed */
	pthread_cond_t room;  /* a child given back, or stop */
	/* Under mu: */
	size_t produced; /* children derived */
	size_t released; /* children the writer gave back */
	size_t room_at;  /* the thread waits for released to reach it */
	size_t ready_at; /* the writer waits for produced to reach it */
	bool stop;
	int rc; /* the thread's error, for child `produced` */
	/* The writer's: the next child it takes. */
	size_t next;
	struct slot slot[DERIVE_AHEAD];
};

/* Derive child i into its slot. */
static int
derive_one(struct deriver *d, MDB_txn *txn, size_t i)
{
	struct slot *sl = &d->slot[i % DERIVE_AHEAD];
	const char *iro;
	int rc;

	if ((rc = project_derive(
		 txn, &d->rules, d->names->v[i], &d->tb, &sl->pts)) != 0)
		return rc;
	sl->enclen = 0;
	if ((rc = points_encode(
		 &sl->pts, &sl->enc, &sl->enclen, &sl->enccap)) != 0)
		return rc;
	iro = iros_latest(&d->tb);
	if ((sl->has_iro = iro != NULL) && strlen(iro) >= sizeof(sl->iro))
		return IRK_ESTORE; /* longer than any event may hold */
	if (sl->has_iro)
		memcpy(sl->iro, iro, strlen(iro) + 1);
	return 0;
}

static void *
derive_run(void *arg)
{
	struct deriver *d = arg;
	MDB_txn *txn = NULL;
	bool stop = false;
	size_t i;
	int rc;

	rc = mdb_txn_begin(d->rules.s->env, NULL, MDB_RDONLY, &txn);
	rc = rc == 0 ? 0 : store_err(rc, "begin derive");
	for (i = 0; rc == 0 && i < d->names->n; i++) {
		pthread_mutex_lock(&d->mu);
		if (i >= d->released + DERIVE_AHEAD) {
			d->room_at = i + 1 - DERIVE_AHEAD + DERIVE_BATCH;
			while (!d->stop && d->released < d->room_at)
				pthread_cond_wait(&d->room, &d->mu);
			d->room_at = NOBODY;
		}
		stop = d->stop;
		pthread_mutex_unlock(&d->mu);
		if (stop)
			break;
		if ((rc = derive_one(d, txn, i)) != 0)
			break;
		pthread_mutex_lock(&d->mu);
		if ((d->produced = i + 1) >= d->ready_at)
			pthread_cond_signal(&d->ready);
		pthread_mutex_unlock(&d->mu);
	}
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (rc != 0) {
		pthread_mutex_lock(&d->mu);
		d->rc = rc;
		pthread_cond_signal(&d->ready);
		pthread_mutex_unlock(&d->mu);
	}
	return NULL;
}

int
deriver_new(struct store *s, struct deriver **out)
{
	struct deriver *d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return IRK_ENOMEM;
	d->rules.s = s;
	if (pthread_mutex_init(&d->mu, NULL) != 0)
		goto fail_mu;
	if (pthread_cond_init(&d->ready, NULL) != 0)
		goto fail_ready;
	if (pthread_cond_init(&d->room, NULL) != 0)
		goto fail_room;
	*out = d;
	return 0;

fail_room:
	pthread_cond_destroy(&d->ready);
fail_ready:
	pthread_mutex_destroy(&d->mu);
fail_mu:
	free(d);
	return IRK_ENOMEM;
}

int
deriver_start(struct deriver *d, const struct touched *names)
{
	struct store *s = d->rules.s;

	d->rules.ts = s->ts;
	d->rules.cal = s->cal;
	d->names = names;
	d->produced = d->released = d->next = 0;
	d->room_at = d->ready_at = NOBODY;
	d->stop = false;
	d->rc = 0;
	if (pthread_create(&d->thread, NULL, derive_run, d) != 0)
		return IRK_ENOMEM;
	d->started = true;
	return 0;
}

int
deriver_next(struct deriver *d, struct derived *out)
{
	struct slot *sl;
	int rc = 0;

	pthread_mutex_lock(&d->mu);
	/* Give back the one taken before, if any. */
	if ((d->released = d->next) >= d->room_at)
		pthread_cond_signal(&d->room);
	if (d->produced <= d->next && d->rc == 0) {
		d->ready_at = d->next + DERIVE_BATCH;
		if (d->ready_at > d->names->n)
			d->ready_at = d->names->n;
		while (d->produced < d->ready_at && d->rc == 0)
			pthread_cond_wait(&d->ready, &d->mu);
		d->ready_at = NOBODY;
	}
	if (d->produced <= d->next)
		rc = d->rc;
	pthread_mutex_unlock(&d->mu);
	if (rc != 0)
		return rc;
	sl = &d->slot[d->next++ % DERIVE_AHEAD];
	out->iro = sl->has_iro ? sl->iro : NULL;
	out->pts = &sl->pts;
	out->enc = sl->enc;
	out->enclen = sl->enclen;
	return 0;
}

void
deriver_stop(struct deriver *d)
{
	if (!d->started)
		return;
	pthread_mutex_lock(&d->mu);
	d->stop = true;
	pthread_cond_signal(&d->room);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->thread, NULL);
	d->started = false;
	d->names = NULL;
}

void
deriver_free(struct deriver **dp)
{
	struct deriver *d;
	size_t i;

	if (dp == NULL || (d = *dp) == NULL)
		return;
	deriver_stop(d);
	for (i = 0; i < DERIVE_AHEAD; i++) {
		points_free(&d->slot[i].pts);
		free(d->slot[i].enc);
	}
	timeline_buf_free(&d->tb);
	pthread_cond_destroy(&d->room);
	pthread_cond_destroy(&d->ready);
	pthread_mutex_destroy(&d->mu);
	free(d);
	*dp = NULL;
}
