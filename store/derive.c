/*
 * The writer's deriver thread and the queue between it and the writer.
 *
 * For a rebuild, the thread walks `children` in key order, as the
 * writer's chunks do; for a batch (ingest.c), it takes the list of
 * children it is given.  It derives each child into a ring of `ahead`
 * slots: child i goes to slot i % ahead once the writer has given back
 * child i - ahead, and the writer takes them in order.  A rebuild's runs
 * across the writer's chunks, so it derives the next chunk's children
 * while the writer flushes the counters and commits (a sixth of the
 * rebuild's time, when it ran a chunk at a time).  A slot holds the
 * child's points encoded (points_encode()), and for a batch also as a
 * list; a rebuild's writer decodes them into a list of its own.  Each slot
 * keeps at most about twice what its child needs, so memory stays that of
 * a ring of children.
 *
 * The thread reads the log's databases (children, evlog, timeline,
 * retracted) in a read-only transaction of its own, begun in the thread
 * (MDB_NOTLS: its reader slot is not tied to it).  The writer holds the
 * writer lock throughout, so those databases do not change but by its own
 * hand: a rebuild writes none of them, and a batch's events are given to
 * the thread in an overlay (ingest.c says which children it may derive).
 * A rebuild's writer asks for a new snapshot after each commit
 * (deriver_renew()) so that the snapshot never keeps the pages of more
 * than one chunk from being reused; a batch's writer commits only after
 * the thread stopped.  deriver_stop() joins the thread, which ends its
 * transaction: the writer stops it before it grows the map (store_grow()
 * wants no transaction of ours open).  The rules (s->ts, s->cal) are only
 * read, as by the serial code; the rest is the thread's own: its timeline
 * buffer, the points it derives into and the slot it fills.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/grow.h"
#include "store/derive.h"

/* Children derived ahead of the writer: for a batch, enough to ride out a
 * long timeline on either side; for a rebuild, a chunk (REBUILD_CHUNK), so
 * that the thread derives the next chunk while the writer flushes this
 * one's counters and commits, about 20 ms (with 512 it stood idle a fifth
 * of a rebuild; with 2048, a tenth).  A side that waits for the other is
 * woken when half of the ring is there for it, not at each child: a
 * wake-up per child was about 5% of a rebuild's profile. */
#define AHEAD_LIST  64
#define AHEAD_WALK  4096
#define DERIVE_RING AHEAD_WALK
#define NOBODY      SIZE_MAX

struct slot {
	char child[IRK_CHILD_MAX + 1];
	struct points pts; /* for a batch; empty for a rebuild */
	char *enc;         /* the points encoded */
	size_t enclen, enccap;
	bool has_iro;
	char iro[IRK_STR_MAX + 1];
	bool unsure;
};

struct deriver {
	struct project_rules rules;
	char after[IRK_CHILD_MAX + 1]; /* the thread starts after it */
	char *const *list;             /* or it derives these, when not NULL */
	size_t nlist;
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
	bool renew; /* a commit since the snapshot was taken */
	bool done;  /* every child derived */
	int rc;     /* the thread's error, for child `produced` */
	/* The writer's: the next child it takes. */
	size_t next;
	size_t ahead;       /* slots in use: AHEAD_LIST or AHEAD_WALK */
	struct points pts;  /* the thread's, derived into */
	struct points wpts; /* a rebuild's writer's, decoded from a slot */
	struct slot slot[DERIVE_RING];
};

/* What a slot or the thread's buffers keep: the buffers grow to the
 * largest child seen, a timeline's events at over 4 KiB each, which across
 * the ring came to tens of MiB in a long run. */
#define KEEP_POINTS 128
#define KEEP_EVENTS 64
#define KEEP_BYTES  16384

/*
 * pts into the slot: its encoding, and for a batch (list) the points.  A
 * rebuild's slot keeps only the encoding (names prefix-compressed, numbers
 * as varints, where a list holds 136 bytes a point and at least 128
 * points), so that a ring of 4096 children costs a few MiB: with lists, a
 * ring of 512 took 10 MiB.  A slot's memory stays within twice what its
 * child needs (or a little).
 */
static int
slot_fill(struct slot *sl, const struct points *pts, bool list)
{
	size_t keep = pts->n > KEEP_POINTS ? pts->n : KEEP_POINTS;
	char *enc;

	if (list) {
		if (sl->pts.cap > 2 * keep)
			points_free(&sl->pts);
		if (grow(&sl->pts.v, &sl->pts.cap, pts->n, sizeof(pts->v[0]),
			KEEP_POINTS) != 0)
			return IRK_ENOMEM;
		if (pts->n > 0)
			memcpy(sl->pts.v, pts->v, pts->n * sizeof(pts->v[0]));
		sl->pts.n = pts->n;
	}
	sl->enclen = 0;
	if (points_encode(pts, &sl->enc, &sl->enclen, &sl->enccap) != 0)
		return IRK_ENOMEM;
	if (sl->enclen > 0 && sl->enccap > 2 * sl->enclen &&
	    sl->enccap > KEEP_BYTES &&
	    (enc = realloc(sl->enc, sl->enclen)) != NULL) {
		sl->enc = enc;
		sl->enccap = sl->enclen;
	}
	return 0;
}

/* Derive child i, named by name (len bytes), into its slot. */
static int
derive_one(
    struct deriver *d, MDB_txn *txn, size_t i, const char *name, size_t len)
{
	struct slot *sl = &d->slot[i % d->ahead];
	const char *iro;
	int rc;

	if (len >= sizeof(sl->child))
		return IRK_ESTORE;
	memcpy(sl->child, name, len);
	sl->child[len] = '\0';
	if ((rc = project_derive(
		 txn, &d->rules, sl->child, &d->tb, &d->pts)) != 0)
		return rc;
	if ((sl->unsure = d->tb.unsure))
		return 0;
	if ((rc = slot_fill(sl, &d->pts, d->list != NULL)) != 0)
		return rc;
	iro = iros_latest(&d->tb);
	if ((sl->has_iro = iro != NULL) && strlen(iro) >= sizeof(sl->iro))
		return IRK_ESTORE; /* longer than any event may hold */
	if (sl->has_iro)
		memcpy(sl->iro, iro, strlen(iro) + 1);
	return 0;
}

/* Wait until child i's slot is free; false: stop.  *renew: a commit since
 * the last call. */
static bool
slot_wait(struct deriver *d, size_t i, bool *renew)
{
	bool stop;

	pthread_mutex_lock(&d->mu);
	if (i >= d->released + d->ahead) {
		d->room_at = i + 1 - d->ahead + d->ahead / 2;
		while (!d->stop && d->released < d->room_at)
			pthread_cond_wait(&d->room, &d->mu);
		d->room_at = NOBODY;
	}
	stop = d->stop;
	*renew = d->renew;
	d->renew = false;
	pthread_mutex_unlock(&d->mu);
	return !stop;
}

/* Child i is in its slot. */
static void
slot_filled(struct deriver *d, size_t i)
{
	pthread_mutex_lock(&d->mu);
	if ((d->produced = i + 1) >= d->ready_at)
		pthread_cond_signal(&d->ready);
	pthread_mutex_unlock(&d->mu);
}

/* The thread's end: rc for child `produced` (0: every child derived, or
 * stopped). */
static void
derive_end(struct deriver *d, int rc, bool stop)
{
	pthread_mutex_lock(&d->mu);
	d->rc = rc;
	d->done = rc == 0 && !stop;
	pthread_cond_signal(&d->ready);
	pthread_mutex_unlock(&d->mu);
}

/* A cursor step's result: 0, MDB_NOTFOUND (no child left) or IRK_E*. */
static int
step_rc(int rc)
{
	return rc == 0 || rc == MDB_NOTFOUND ? rc : store_err(rc, "children");
}

/*
 * Position cur at the first child after name ("": the first child), in
 * k; with a fresh snapshot (renew), take it first.  Returns step_rc().
 */
static int
derive_seek(struct store *s, MDB_txn *txn, MDB_cursor **cur, bool renew,
    const char *name, MDB_val *k)
{
	MDB_val v;
	int rc;

	if (renew) {
		mdb_txn_reset(txn);
		if ((rc = mdb_txn_renew(txn)) != 0 ||
		    (rc = mdb_cursor_renew(txn, *cur)) != 0)
			return store_err(rc, "renew derive");
	} else if ((rc = mdb_cursor_open(txn, s->children, cur)) != 0)
		return store_err(rc, "derive cursor");
	k->mv_data = (void *)name;
	k->mv_size = strlen(name);
	if (k->mv_size == 0)
		return step_rc(mdb_cursor_get(*cur, k, &v, MDB_FIRST));
	rc = mdb_cursor_get(*cur, k, &v, MDB_SET_RANGE);
	if (rc == 0 && k->mv_size == strlen(name) &&
	    memcmp(k->mv_data, name, k->mv_size) == 0)
		rc = mdb_cursor_get(*cur, k, &v, MDB_NEXT);
	return step_rc(rc);
}

/* Walk `children` from after d->after, renewing the snapshot after the
 * writer's commits. */
static int
derive_walk(struct deriver *d, MDB_txn *txn, bool *stop)
{
	struct store *s = d->rules.s;
	MDB_cursor *cur = NULL;
	bool renew = false;
	MDB_val k, v;
	size_t i;
	int rc;

	rc = derive_seek(s, txn, &cur, false, d->after, &k);
	for (i = 0; rc == 0; i++) {
		if (!slot_wait(d, i, &renew)) {
			*stop = true;
			break;
		}
		/* The child before is the writer's: seek past it again. */
		if (renew && i > 0 &&
		    (rc = derive_seek(s, txn, &cur, true,
			 d->slot[(i - 1) % d->ahead].child, &k)) != 0)
			break;
		if ((rc = derive_one(d, txn, i, k.mv_data, k.mv_size)) != 0)
			break;
		slot_filled(d, i);
		rc = step_rc(mdb_cursor_get(cur, &k, &v, MDB_NEXT));
	}
	if (cur != NULL)
		mdb_cursor_close(cur);
	return rc == MDB_NOTFOUND ? 0 : rc;
}

/* Derive d->list, in one snapshot (the writer does not commit meanwhile). */
static int
derive_list(struct deriver *d, MDB_txn *txn, bool *stop)
{
	bool renew;
	size_t i;
	int rc;

	for (i = 0; i < d->nlist; i++) {
		if (!slot_wait(d, i, &renew)) {
			*stop = true;
			return 0;
		}
		if ((rc = derive_one(
			 d, txn, i, d->list[i], strlen(d->list[i]))) != 0)
			return rc;
		slot_filled(d, i);
	}
	return 0;
}

static void *
derive_run(void *arg)
{
	struct deriver *d = arg;
	MDB_txn *txn = NULL;
	bool stop = false;
	int rc;

	if ((rc = mdb_txn_begin(d->rules.s->env, NULL, MDB_RDONLY, &txn)) != 0)
		rc = store_err(rc, "begin derive");
	else if (d->list != NULL)
		rc = derive_list(d, txn, &stop);
	else
		rc = derive_walk(d, txn, &stop);
	if (txn != NULL)
		mdb_txn_abort(txn);
	derive_end(d, rc, stop);
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

static int
start(struct deriver *d)
{
	struct store *s = d->rules.s;

	d->rules.ts = s->ts;
	d->rules.cal = s->cal;
	d->produced = d->released = d->next = 0;
	d->room_at = d->ready_at = NOBODY;
	d->stop = d->renew = d->done = false;
	d->rc = 0;
	if (pthread_create(&d->thread, NULL, derive_run, d) != 0)
		return IRK_ENOMEM;
	d->started = true;
	return 0;
}

int
deriver_start(struct deriver *d, const char *after)
{
	if (strlen(after) >= sizeof(d->after))
		return IRK_EINVAL;
	memcpy(d->after, after, strlen(after) + 1);
	/* A ring of one chunk; the tests' small chunks wrap it often. */
	d->ahead = AHEAD_WALK;
	if (d->rules.s->rebuild_chunk > 0 &&
	    d->rules.s->rebuild_chunk < AHEAD_WALK)
		d->ahead = d->rules.s->rebuild_chunk < 2
			       ? 2
			       : d->rules.s->rebuild_chunk;
	d->list = NULL;
	d->rules.ov = NULL;
	return start(d);
}

int
deriver_start_list(
    struct deriver *d, char *const *names, size_t n, const struct overlay *ov)
{
	d->ahead = AHEAD_LIST;
	d->list = names;
	d->nlist = n;
	d->rules.ov = ov;
	return start(d);
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
	if (d->produced <= d->next && d->rc == 0 && !d->done) {
		d->ready_at = d->next + d->ahead / 2;
		while (d->produced < d->ready_at && d->rc == 0 && !d->done)
			pthread_cond_wait(&d->ready, &d->mu);
		d->ready_at = NOBODY;
	}
	if (d->produced <= d->next)
		rc = d->rc != 0 ? d->rc : IRK_ENOTFOUND;
	pthread_mutex_unlock(&d->mu);
	if (rc != 0)
		return rc;
	sl = &d->slot[d->next++ % d->ahead];
	out->child = sl->child;
	out->iro = sl->has_iro ? sl->iro : NULL;
	out->pts = &sl->pts;
	if (d->list == NULL && !sl->unsure) {
		if ((rc = points_decode(sl->enc, sl->enclen, &d->wpts)) != 0)
			return rc == IRK_EPROTO ? IRK_ESTORE : rc;
		out->pts = &d->wpts;
	}
	out->enc = sl->enc;
	out->enclen = sl->enclen;
	out->unsure = sl->unsure;
	return 0;
}

void
deriver_renew(struct deriver *d)
{
	pthread_mutex_lock(&d->mu);
	d->renew = true;
	pthread_mutex_unlock(&d->mu);
}

bool
deriver_started(const struct deriver *d)
{
	return d->started;
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
}

void
deriver_trim(struct deriver *d)
{
	size_t i;

	for (i = 0; i < DERIVE_RING; i++)
		if (d->slot[i].pts.cap > KEEP_POINTS) {
			points_free(&d->slot[i].pts);
			free(d->slot[i].enc);
			d->slot[i].enc = NULL;
			d->slot[i].enccap = 0;
		}
	if (d->tb.cap > KEEP_EVENTS)
		timeline_buf_free(&d->tb);
	if (d->pts.cap > KEEP_POINTS)
		points_free(&d->pts);
	points_free(&d->wpts);
}

void
deriver_free(struct deriver **dp)
{
	struct deriver *d;
	size_t i;

	if (dp == NULL || (d = *dp) == NULL)
		return;
	deriver_stop(d);
	for (i = 0; i < DERIVE_RING; i++) {
		points_free(&d->slot[i].pts);
		free(d->slot[i].enc);
	}
	timeline_buf_free(&d->tb);
	points_free(&d->pts);
	points_free(&d->wpts);
	pthread_cond_destroy(&d->room);
	pthread_cond_destroy(&d->ready);
	pthread_mutex_destroy(&d->mu);
	free(d);
	*dp = NULL;
}
