/*
 * The batch transaction.  store_ingest() runs a batch in one write
 * transaction: append the events to the log and index them, re-derive the
 * children they touch and apply what changed, commit; on MDB_MAP_FULL it
 * aborts, doubles the map with no transaction open and runs the batch
 * again from the start.  Replaying is safe because nothing of an aborted
 * transaction remains.
 *
 * Deriving the touched children is the largest part of a batch.  When
 * the batch is big enough, a second thread derives them (derive.c) while
 * this one indexes the events and applies each child's points in order:
 * it reads the last commit, which the writer lock keeps the state this
 * transaction began from, with the batch's stored events laid over it
 * (struct overlay).  A child whose timeline the batch's retractions may
 * change is derived here, as the overlay does not carry what a retraction
 * does to other events: the child at the end of a retraction's chain
 * (retraction_add()), and the child of a new event with a retraction,
 * which the deriver finds and gives back (timeline_load(): unsure).
 */
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "proto/wire.h"
#include "store/derive.h"
#include "store/store_impl.h"

/* New events from which a batch's children are derived on a second
 * thread: below, starting the thread costs more than it saves (at 100 a
 * batch it was a few percent slower, at 1000 from a single producer, 10 to
 * 20 children a batch, a tenth faster). */
#define DERIVE_MIN_EVENTS 256

/* src into dst (size bytes), cut short if it must be: validation keeps
 * ids and children shorter than the fields (snprintf() was a few percent
 * of ingest). */
static void
field_copy(char *dst, size_t size, const char *src)
{
	size_t len = src != NULL ? strlen(src) : 0;

	if (len >= size)
		len = size - 1;
	memcpy(dst, src != NULL ? src : "", len);
	dst[len] = '\0';
}

void
store_item_set(struct store_item *it, const struct event *ev, const char *raw,
    size_t rawlen)
{
	it->valid = true;
	it->type = ev->type;
	it->day = ev->at.day;
	field_copy(it->id, sizeof(it->id), ev->id);
	field_copy(it->child, sizeof(it->child), ev->child);
	field_copy(it->target, sizeof(it->target),
	    ev->f[FLD_TARGET].present ? ev->f[FLD_TARGET].str : NULL);
	it->raw = raw;
	it->rawlen = rawlen;
	it->status = -1;
}

/* The batch's stored events other than retractions, timelined: in the
 * timeline index and in `children` (index_batch), or in ov. */
static bool
timelined(const struct store_item *it)
{
	return it->valid && it->status == WIRE_STATUS_STORED &&
	       it->type != EVT_EVENT_RETRACTED;
}

/*
 * What a batch touches: its children, sorted, each once; and of those, the
 * ones whose timelines its retractions change (the child at the end of a
 * retraction's chain: retraction_add()), which only this transaction can
 * derive.  (A new event with a retraction is left to the deriver to find:
 * timeline_load(), unsure.)
 */
struct batch_touch {
	struct touched children;
	struct touched retracted;
	size_t events; /* new events in the timelines */
};

static void
batch_touch_free(struct batch_touch *bt)
{
	touched_free(&bt->children);
	touched_free(&bt->retracted);
}

/* Append the batch to the log, with its retractions, and note what it
 * touches. */
static int
log_batch(struct store *s, MDB_txn *txn, struct store_item *items, size_t n,
    struct batch_touch *bt, uint64_t *seq)
{
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		struct store_item *it = &items[i];

		if (!it->valid)
			continue;
		rc = evlog_append(s, txn, it->id, it->raw, it->rawlen, seq);
		if (rc == IRK_EDUP) {
			it->status = WIRE_STATUS_DUPLICATE;
			continue;
		}
		if (rc != 0)
			return rc;
		it->status = WIRE_STATUS_STORED;
		if (it->type == EVT_EVENT_RETRACTED)
			rc = retraction_add(
			    s, txn, it->target, it->id, &bt->retracted);
		else {
			bt->events++;
			rc = touched_add(
			    &bt->children, it->child, strlen(it->child));
		}
		if (rc != 0)
			return rc;
	}
	touched_sort_unique(&bt->retracted);
	for (i = 0; i < bt->retracted.n; i++)
		if ((rc = touched_add(&bt->children, bt->retracted.v[i],
			 strlen(bt->retracted.v[i]))) != 0)
			return rc;
	touched_sort_unique(&bt->children);
	return 0;
}

/* The batch's timelined events, and its stored retractions' targets, into
 * ov for the deriver. */
static int
overlay_batch(const struct store_item *items, size_t n, struct overlay *ov)
{
	size_t i;
	int rc;

	overlay_reset(ov);
	for (i = 0; i < n; i++) {
		const struct store_item *it = &items[i];

		if (timelined(it))
			rc = overlay_add(ov, it->child, it->day, it->type,
			    it->id, it->raw, it->rawlen);
		else if (it->valid && it->status == WIRE_STATUS_STORED)
			rc = overlay_add_target(ov, it->target);
		else
			rc = 0;
		if (rc != 0)
			return rc;
	}
	overlay_sort(ov);
	return 0;
}

/* seq: the log's last before the batch, whose stored events follow it. */
static int
index_batch(struct store *s, MDB_txn *txn, const struct store_item *items,
    size_t n, uint64_t seq)
{
	MDB_val k, v = { 0, "" };
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		const struct store_item *it = &items[i];

		if (it->valid && it->status == WIRE_STATUS_STORED)
			seq++;
		if (!timelined(it))
			continue;
		if ((rc = timeline_add(s, txn, it->child, it->day, it->type,
			 it->id, seq)) != 0)
			return rc;
		k.mv_data = (void *)it->child;
		k.mv_size = strlen(it->child);
		rc = mdb_put(txn, s->children, &k, &v, MDB_NOOVERWRITE);
		if (rc != 0 && rc != MDB_KEYEXIST)
			return store_err(rc, "children");
	}
	return 0;
}

/*
 * Derive the touched children that the batch's retractions leave as they
 * were on the second thread, the others (and those it was unsure of) here,
 * and apply them all in order.
 */
static int
project_beside(struct store *s, MDB_txn *txn, struct projector *p,
    const struct store_item *items, size_t n, const struct batch_touch *bt,
    char **beside, size_t nbeside, uint64_t seq)
{
	const struct touched *children = &bt->children;
	struct derived dv;
	size_t i;
	int rc;

	if (s->ingest_deriver == NULL &&
	    (rc = deriver_new(s, &s->ingest_deriver)) != 0)
		return rc;
	if ((rc = overlay_batch(items, n, &s->overlay)) != 0 ||
	    (rc = deriver_start_list(
		 s->ingest_deriver, beside, nbeside, &s->overlay)) != 0)
		return rc;
	rc = index_batch(s, txn, items, n, seq);
	for (i = 0; rc == 0 && i < children->n; i++) {
		if (touched_has(&bt->retracted, children->v[i]))
			rc = project_child(s, txn, p, children->v[i]);
		else if ((rc = deriver_next(s->ingest_deriver, &dv)) != 0)
			break;
		else if (dv.unsure)
			rc = project_child(s, txn, p, dv.child);
		else
			rc = project_apply(s, txn, p, dv.child, dv.iro, dv.pts,
			    dv.enc, dv.enclen);
	}
	deriver_stop(s->ingest_deriver);
	deriver_trim(s->ingest_deriver);
	s->batches_beside++;
	return rc;
}

/* One attempt at the whole batch; on error the caller aborts txn. */
static int
ingest_txn(struct store *s, MDB_txn *txn, struct store_item *items, size_t n,
    struct projector *proj, uint64_t *seq)
{
	size_t min = s->derive_min ? s->derive_min : DERIVE_MIN_EVENTS;
	struct batch_touch bt = { 0 };
	uint64_t first = *seq;
	char **beside = NULL;
	size_t i, nbeside = 0;
	int rc;

	if ((rc = log_batch(s, txn, items, n, &bt, seq)) != 0)
		goto done;
	if (bt.events >= min && bt.children.n > bt.retracted.n) {
		if ((beside = calloc(bt.children.n, sizeof(*beside))) ==
		    NULL) {
			rc = IRK_ENOMEM;
			goto done;
		}
		for (i = 0; i < bt.children.n; i++)
			if (!touched_has(&bt.retracted, bt.children.v[i]))
				beside[nbeside++] = bt.children.v[i];
		rc = project_beside(
		    s, txn, proj, items, n, &bt, beside, nbeside, first);
	} else if ((rc = index_batch(s, txn, items, n, first)) == 0)
		for (i = 0; rc == 0 && i < bt.children.n; i++)
			rc = project_child(s, txn, proj, bt.children.v[i]);
	if (rc == 0 && (rc = project_groups(s, txn, proj)) == 0)
		rc = rag_check(s, txn);
done:
	free(beside);
	batch_touch_free(&bt);
	return rc;
}

int
store_ingest(
    struct store *s, struct store_item *items, size_t n, uint64_t *last_seq)
{
	struct projector proj = { 0 };
	MDB_txn *txn = NULL;
	uint64_t seq;
	int rc;

	pthread_mutex_lock(&s->writer_lock);
	for (;;) {
		seq = s->last_seq;
		touched_free(&proj.groups);
		deltas_reset(&proj.deltas); /* of a failed attempt */
		if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0) {
			rc = store_err(rc, "begin batch");
			break;
		}
		rc = ingest_txn(s, txn, items, n, &proj, &seq);
		if (rc == 0) {
			rc = mdb_txn_commit(txn);
			txn = NULL;
			if (rc == 0) {
				s->last_seq = seq;
				break;
			}
			rc = store_err(rc, "commit");
		} else {
			mdb_txn_abort(txn);
			txn = NULL;
		}
		if (rc != IRK_EFULL || (rc = store_grow(s)) != 0)
			break;
	}
	projector_free(&proj);
	*last_seq = s->last_seq;
	pthread_mutex_unlock(&s->writer_lock);
	return rc;
}
