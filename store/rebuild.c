/*
 * Rebuild: re-derive every projection from the log, in chunks.
 *
 * One write transaction for the whole rebuild held every dirty page in
 * memory until its commit (LMDB keeps a write transaction's pages in
 * malloc'd memory: 335 MiB at 3M events).  Here the projections are
 * emptied, with a "rebuild" mark in meta, in a first commit; children are
 * derived meanwhile and after, on a second thread a chunk ahead
 * (derive.c), and applied REBUILD_CHUNK at a time, each chunk in a commit
 * of its own; then the groups, found in members, the same way (on this
 * thread only); the last commit removes the mark.  Memory stays that of
 * one chunk, and of the counters' deltas: those are carried from chunk to
 * chunk and written when they reach their bound (deltas_full()) or with
 * the first chunk of groups, as every chunk touches most of the same month
 * records (writing them at each commit was a sixth of the writer's time).
 * A step that finds the map full has mixed its deltas with those carried,
 * so the map is grown and the rebuild starts over: the map doubles each
 * time, so that costs at most about one rebuild more.
 *
 * Between the first and the last commit, views see the projections part
 * rebuilt (PROTOCOL.md, irokpid.8).  Ingest and the sweep wait for the
 * writer lock, held throughout, so nothing derives against a half-built
 * state and no RAG check runs on one.  A rebuild that fails or is killed
 * leaves the mark: store_open() runs the rebuild again before the store is
 * used.
 */
#include <stdio.h>
#include <string.h>

#include "daemon/log.h"
#include "domain/err.h"
#include "store/derive.h"
#include "store/store_impl.h"

/* Children, or groups, per commit: a few thousand pages dirty at most. */
#define REBUILD_CHUNK 4096

static const MDB_val mark = { 7, "rebuild" };

/* Empty the projections and set the mark, or (done) remove it. */
static int
rebuild_mark(struct store *s, MDB_txn *txn, bool done)
{
	const MDB_dbi projections[] = { s->contrib, s->members, s->buckets,
		s->intervals, s->opens, s->deadlines, s->iros };
	MDB_val k = mark, v = { 0, "" };
	size_t i;
	int rc;

	if (done) {
		rc = mdb_del(txn, s->meta, &k, NULL);
		return rc == 0 || rc == MDB_NOTFOUND
			   ? 0
			   : store_err(rc, "rebuild");
	}
	for (i = 0; i < NITEMS(projections); i++)
		if ((rc = mdb_drop(txn, projections[i], 0)) != 0)
			return store_err(rc, "rebuild: empty");
	rc = mdb_put(txn, s->meta, &k, &v, 0);
	return rc == 0 ? 0 : store_err(rc, "rebuild");
}

/*
 * The next at most a chunk of groups of members (group 0x00 child) after
 * *after (all from the first when after is empty) into t.  t->n == 0: none
 * left.  (Children come from the deriver, derive.c.)
 */
static int
next_groups(
    struct store *s, MDB_txn *txn, const char *after, struct touched *t)
{
	size_t chunk = s->rebuild_chunk ? s->rebuild_chunk : REBUILD_CHUNK;
	MDB_cursor *cur = NULL;
	const char *name, *z;
	size_t len, alen = strlen(after);
	char *last = NULL;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, s->members, &cur)) != 0)
		return store_err(rc, "rebuild cursor");
	/* A group's members follow "group 0x00": seek past them. */
	k.mv_data = (void *)after;
	k.mv_size = alen + (alen > 0);
	rc =
	    mdb_cursor_get(cur, &k, &v, alen == 0 ? MDB_FIRST : MDB_SET_RANGE);
	for (; rc == 0 && t->n < chunk;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		name = k.mv_data;
		len = k.mv_size;
		if ((z = memchr(name, 0, len)) != NULL)
			len = (size_t)(z - name);
		if (len >= SERIES_MAX) {
			rc = IRK_ESTORE;
			goto done;
		}
		if ((alen > 0 && len == alen &&
			memcmp(name, after, len) == 0) ||
		    (last != NULL && strlen(last) == len &&
			memcmp(last, name, len) == 0))
			continue;
		if ((rc = touched_add(t, name, len)) != 0)
			goto done;
		last = t->v[t->n - 1];
	}
	rc = rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "rebuild");
done:
	mdb_cursor_close(cur);
	return rc;
}

/*
 * The next at most a chunk of children after *after, into names: derived
 * by d's thread (started after *after when it is not running) and applied
 * here, in txn.
 */
static int
rebuild_children(struct store *s, MDB_txn *txn, struct projector *p,
    struct deriver *d, const char *after, struct touched *names)
{
	size_t chunk = s->rebuild_chunk ? s->rebuild_chunk : REBUILD_CHUNK;
	struct derived dv;
	int rc;

	if (!deriver_started(d) && (rc = deriver_start(d, after)) != 0)
		return rc;
	while (names->n < chunk) {
		if ((rc = deriver_next(d, &dv)) == IRK_ENOTFOUND)
			break;
		if (rc != 0 ||
		    (rc = touched_add(names, dv.child, strlen(dv.child))) !=
			0 ||
		    (rc = project_apply(s, txn, p, dv.child, dv.iro, dv.pts,
			 dv.enc, dv.enclen)) != 0)
			return rc;
	}
	/* The groups are found in members afterwards. */
	touched_free(&p->groups);
	return 0;
}

/* One chunk of groups, in txn: derive the next groups after *after. */
static int
rebuild_groups(struct store *s, MDB_txn *txn, struct projector *p,
    const char *after, struct touched *names)
{
	size_t i;
	int rc;

	if ((rc = next_groups(s, txn, after, names)) != 0)
		return rc;
	/* project_groups() derives p->groups, each once. */
	touched_free(&p->groups);
	for (i = 0; i < names->n; i++)
		if ((rc = touched_add(
			 &p->groups, names->v[i], strlen(names->v[i]))) != 0)
			return rc;
	return project_groups(s, txn, p);
}

/* Run one step in a transaction of its own. */
enum step { STEP_BEGIN, STEP_CHILDREN, STEP_GROUPS, STEP_END };

static int
rebuild_step(struct store *s, struct projector *p, struct deriver *d,
    enum step step, const char *after, struct touched *names)
{
	MDB_txn *txn = NULL;
	int rc;

	touched_free(names);
	touched_free(&p->groups);
	if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0)
		return store_err(rc, "begin rebuild");
	switch (step) {
	case STEP_BEGIN:
		rc = rebuild_mark(s, txn, false);
		break;
	case STEP_CHILDREN:
		rc = rebuild_children(s, txn, p, d, after, names);
		break;
	case STEP_GROUPS:
		rc = rebuild_groups(s, txn, p, after, names);
		break;
	case STEP_END: /* the groups' first step flushed what was carried */
		if ((rc = deltas_flush(s, txn, &p->deltas)) == 0)
			rc = rebuild_mark(s, txn, true);
		break;
	}
	if (rc == 0) {
		rc = mdb_txn_commit(txn);
		rc = rc == 0 ? 0 : store_err(rc, "commit rebuild");
	} else
		mdb_txn_abort(txn);
	if (rc == 0 && deriver_started(d))
		deriver_renew(d);
	else if (rc != 0)
		deriver_stop(d);
	return rc;
}

/* Derive every child, then every group, chunk by chunk. */
static int
rebuild_pass(struct store *s, struct projector *p, struct deriver *d,
    struct store_rebuild_stats *st)
{
	char after[SERIES_MAX] = "";
	struct touched names = { 0 };
	enum step step;
	int rc;

	memset(st, 0, sizeof(*st));
	/* The deriver reads only the log, which the first step leaves as it
	 * is: it starts deriving while the projections are emptied. */
	if ((rc = deriver_start(d, after)) != 0 ||
	    (rc = rebuild_step(s, p, d, STEP_BEGIN, after, &names)) != 0)
		goto done;
	for (step = STEP_CHILDREN; step <= STEP_GROUPS; step++) {
		after[0] = '\0';
		do {
			if ((rc = rebuild_step(
				 s, p, d, step, after, &names)) != 0)
				goto done;
			if (step == STEP_CHILDREN)
				st->children += names.n;
			else
				st->groups += names.n;
			if (names.n > 0)
				snprintf(after, sizeof(after), "%s",
				    names.v[names.n - 1]);
		} while (names.n > 0);
		deriver_stop(d);
	}
	rc = rebuild_step(s, p, d, STEP_END, after, &names);
done:
	touched_free(&names);
	return rc;
}

/* The rebuild, from the start again whenever a step finds the map full. */
static int
rebuild_all(struct store *s, struct projector *p, struct deriver *d,
    struct store_rebuild_stats *st)
{
	int rc;

	while ((rc = rebuild_pass(s, p, d, st)) == IRK_EFULL) {
		deriver_stop(d);
		deltas_reset(&p->deltas);
		touched_free(&p->groups);
		if ((rc = store_grow(s)) != 0)
			break;
	}
	return rc;
}

int
store_rebuild(struct store *s, struct store_rebuild_stats *out)
{
	struct projector proj = { .fresh = true };
	struct deriver *d = NULL;
	int rc;

	if ((rc = deriver_new(s, &d)) != 0)
		return rc;
	pthread_mutex_lock(&s->writer_lock);
	rc = rebuild_all(s, &proj, d, out);
	projector_free(&proj);
	deriver_free(&d);
	pthread_mutex_unlock(&s->writer_lock);
	return rc;
}

int
rebuild_mark_set(struct store *s, MDB_txn *txn)
{
	return rebuild_mark(s, txn, false);
}

bool
rebuild_marked(struct store *s, MDB_txn *txn)
{
	MDB_val k = mark, v;

	return mdb_get(txn, s->meta, &k, &v) == 0;
}

int
rebuild_resume(struct store *s, bool upgraded)
{
	struct store_rebuild_stats st;
	MDB_txn *txn = NULL;
	MDB_val k = mark, v;
	int rc;

	if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn)) != 0)
		return store_err(rc, "begin");
	rc = mdb_get(txn, s->meta, &k, &v);
	mdb_txn_abort(txn);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_err(rc, "meta");
	if (!upgraded) /* store_open() said why */
		log_info("store: a rebuild did not finish; running it again");
	if ((rc = store_rebuild(s, &st)) != 0)
		return rc;
	log_info("store: rebuilt %llu children and %llu groups",
	    (unsigned long long)st.children, (unsigned long long)st.groups);
	return 0;
}
