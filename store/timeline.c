/*
 * Each child's timeline: an index whose keys sort in the order of KPIS.md
 * (business date, then type rank, then id), so that loading a child is one
 * cursor walk and the events come back already in derivation order.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/grow.h"
#include "domain/facts.h"
#include "proto/codec.h"
#include "store/store_impl.h"

/* child 0x00 day(u32 BE) rank(u8) id */
static size_t
timeline_key(unsigned char *buf, const char *child, int32_t day, int rank,
    const char *id)
{
	size_t clen = strlen(child), ilen = strlen(id);

	memcpy(buf, child, clen);
	buf[clen] = 0;
	be32_put(buf + clen + 1, day_key(day));
	buf[clen + 5] = (unsigned char)rank;
	memcpy(buf + clen + 6, id, ilen);
	return clen + 6 + ilen;
}

int
timeline_add(struct store *s, MDB_txn *txn, const char *child, int32_t day,
    enum evt_type type, const char *id, uint64_t seq)
{
	unsigned char key[IRK_CHILD_MAX + 6 + IRK_ID_MAX];
	MDB_val k, v;
	int rc;

	k.mv_data = key;
	k.mv_size = timeline_key(key, child, day, facts_type_rank(type), id);
	v.mv_data = &seq;
	v.mv_size = sizeof(seq);
	if ((rc = mdb_put(txn, s->timeline, &k, &v, 0)) != 0)
		return store_err(rc, "timeline");
	return 0;
}

static struct event *
timeline_slot(struct timeline_buf *tb)
{
	struct event **pool;
	const struct event **order;
	size_t cap;

	if (tb->n == tb->cap) {
		cap = tb->cap ? tb->cap * 2 : 16;
		if ((pool = realloc(tb->pool, cap * sizeof(*pool))) == NULL)
			return NULL;
		tb->pool = pool;
		memset(pool + tb->cap, 0, (cap - tb->cap) * sizeof(*pool));
		if ((order = realloc(tb->order, cap * sizeof(*order))) == NULL)
			return NULL;
		tb->order = order;
		tb->cap = cap;
	}
	if (tb->pool[tb->n] == NULL) {
		if ((tb->pool[tb->n] = malloc(sizeof(struct event))) == NULL)
			return NULL;
		event_reset(tb->pool[tb->n]); /* for codec_decode_stored() */
	}
	return tb->pool[tb->n];
}

/*
 * Whether id is retracted.  Most events have no retraction, which one seek
 * of the load's cursor in the index tells; the others go to
 * retraction_test(), which walks the chains.
 */
static int
timeline_gone(struct store *s, MDB_txn *txn, MDB_cursor *rcur, const char *id,
    bool *gone)
{
	int rc;

	if ((rc = retraction_any(s, rcur, id, gone)) != 0 || !*gone)
		return rc;
	return retraction_test(s, txn, id, gone);
}

int
overlay_add(struct overlay *o, const char *child, int32_t day,
    enum evt_type type, const char *id, const char *raw, size_t rawlen)
{
	size_t need = IRK_CHILD_MAX + 6 + IRK_ID_MAX;
	struct overlay_ev *v;

	if (grow(&o->v, &o->cap, o->n + 1, sizeof(o->v[0]), 256) != 0 ||
	    grow(&o->keys, &o->kcap, o->klen + need, 1, 65536) != 0)
		return IRK_ENOMEM;
	v = &o->v[o->n++];
	v->off = o->klen;
	v->len = timeline_key(
	    o->keys + o->klen, child, day, facts_type_rank(type), id);
	v->clen = strlen(child);
	v->raw = raw;
	v->rawlen = rawlen;
	o->klen += v->len;
	return 0;
}

int
overlay_add_target(struct overlay *o, const char *target)
{
	if (grow(&o->targets, &o->tcap, o->ntargets + 1, sizeof(o->targets[0]),
		64) != 0)
		return IRK_ENOMEM;
	o->targets[o->ntargets++] = target;
	return 0;
}

static int
target_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
overlay_ev_cmp(const void *a, const void *b)
{
	const struct overlay_ev *x = a, *y = b;

	return key_order(x->key, x->len, y->key, y->len);
}

void
overlay_sort(struct overlay *o)
{
	size_t i;

	/* The keys stay where they are from now on. */
	for (i = 0; i < o->n; i++)
		o->v[i].key = o->keys + o->v[i].off;
	if (o->n > 1)
		qsort(o->v, o->n, sizeof(o->v[0]), overlay_ev_cmp);
	if (o->ntargets > 1)
		qsort(o->targets, o->ntargets, sizeof(o->targets[0]),
		    target_cmp);
}

/* Whether a retraction of the overlay's event id is in txn (rcur) or
 * among ov's targets. */
static int
overlay_retracted(const struct store *s, const struct overlay *ov,
    MDB_cursor *rcur, const char *id, bool *any)
{
	int rc;

	if ((rc = retraction_any(s, rcur, id, any)) != 0 || *any)
		return rc;
	*any = ov->ntargets > 0 &&
	       bsearch(&id, ov->targets, ov->ntargets, sizeof(ov->targets[0]),
		   target_cmp) != NULL;
	return 0;
}

void
overlay_reset(struct overlay *o)
{
	o->n = 0;
	o->klen = 0;
	o->ntargets = 0;
}

void
overlay_free(struct overlay *o)
{
	free(o->v);
	free(o->keys);
	free(o->targets);
	memset(o, 0, sizeof(*o));
}

/* The first of ov's events of child (clen bytes), and the end of them. */
static void
overlay_find(const struct overlay *ov, const char *child, size_t clen,
    size_t *first, size_t *end)
{
	size_t lo = 0, hi = ov->n, mid;
	const struct overlay_ev *e;

	/* child 0x00 sorts before every key of child, and after every key
	 * of a child before it. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		e = &ov->v[mid];
		if (key_order(e->key, e->len, child, clen + 1) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (; lo < ov->n; lo++) {
		e = &ov->v[lo];
		if (e->clen != clen || memcmp(e->key, child, clen) != 0)
			break;
	}
	*end = lo;
}

int
timeline_load(struct store *s, MDB_txn *txn, const struct overlay *ov,
    const char *child, struct timeline_buf *tb)
{
	size_t clen = strlen(child), oi = 0, oend = 0;
	MDB_cursor *cur = NULL, *rcur = NULL, *lcur = NULL;
	const struct overlay_ev *oe;
	struct event *ev;
	MDB_val k, v, raw;
	uint64_t seq;
	bool gone, more, from_ov;
	int rc, crc; /* crc: the cursor's last step */

	tb->n = 0;
	tb->unsure = false;
	if (ov != NULL)
		overlay_find(ov, child, clen, &oi, &oend);
	if ((rc = mdb_cursor_open(txn, s->timeline, &cur)) != 0)
		return store_err(rc, "timeline cursor");
	if ((rc = mdb_cursor_open(txn, s->retracted, &rcur)) != 0) {
		mdb_cursor_close(cur);
		return store_err(rc, "retracted cursor");
	}
	if ((rc = mdb_cursor_open(txn, s->evlog, &lcur)) != 0) {
		mdb_cursor_close(rcur);
		mdb_cursor_close(cur);
		return store_err(rc, "log cursor");
	}
	k.mv_data = (void *)child;
	k.mv_size = clen + 1; /* child and its 0x00 separator */
	crc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
	for (;;) {
		more = crc == 0 && k.mv_size > clen + 6 &&
		       memcmp(k.mv_data, child, clen) == 0 &&
		       ((char *)k.mv_data)[clen] == 0;
		if (crc != 0 && crc != MDB_NOTFOUND) {
			rc = store_err(crc, "timeline");
			goto done;
		}
		/* The stored timeline and the overlay's, merged in order. */
		oe = oi < oend ? &ov->v[oi] : NULL;
		if (more && (oe == NULL || key_order(k.mv_data, k.mv_size,
					       oe->key, oe->len) < 0)) {
			memcpy(&seq, v.mv_data, sizeof(seq));
			if ((rc = evlog_read(lcur, seq, &raw)) != 0)
				goto done;
			crc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
			from_ov = false;
		} else if (oe != NULL) {
			raw.mv_data = (void *)oe->raw;
			raw.mv_size = oe->rawlen;
			oi++;
			from_ov = true;
		} else
			break;
		if ((ev = timeline_slot(tb)) == NULL) {
			rc = IRK_ENOMEM;
			goto done;
		}
		if (codec_decode_stored(raw.mv_data, raw.mv_size, ev) != 0) {
			rc = IRK_ESTORE; /* we stored it valid: corruption */
			goto done;
		}
		if (from_ov) {
			if ((rc = overlay_retracted(
				 s, ov, rcur, ev->id, &gone)) != 0 ||
			    (tb->unsure = gone))
				goto done;
		} else if ((rc = timeline_gone(s, txn, rcur, ev->id, &gone)) !=
			   0)
			goto done;
		if (!gone)
			tb->order[tb->n++] = ev;
	}
	rc = 0;
done:
	mdb_cursor_close(lcur);
	mdb_cursor_close(rcur);
	mdb_cursor_close(cur);
	return rc;
}

void
timeline_buf_free(struct timeline_buf *tb)
{
	size_t i;

	for (i = 0; i < tb->cap; i++)
		free(tb->pool[i]);
	free(tb->pool);
	free(tb->order);
	memset(tb, 0, sizeof(*tb));
}
