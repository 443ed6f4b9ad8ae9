/*
 * Each child's timeline: an index whose keys sort in the order of KPIS.md
 * (business date, then type rank, then id), so that loading a child is one
 * cursor walk and the events come back already in derivation order.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
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
	if (tb->pool[tb->n] == NULL &&
	    (tb->pool[tb->n] = malloc(sizeof(struct event))) == NULL)
		return NULL;
	return tb->pool[tb->n];
}

/*
 * Whether id is retracted.  Most events have no retraction, which one seek
 * of the load's cursor in the index (schema.h: target 0x00 retraction id)
 * tells; the others go to retraction_test(), which walks the chains.
 */
static int
timeline_gone(struct store *s, MDB_txn *txn, MDB_cursor *rcur, const char *id,
    bool *gone)
{
	size_t len = strlen(id);
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)id;
	k.mv_size = len + 1; /* the id and its 0x00 separator */
	rc = mdb_cursor_get(rcur, &k, &v, MDB_SET_RANGE);
	if (rc == MDB_NOTFOUND ||
	    (rc == 0 && (k.mv_size <= len + 1 ||
			    memcmp(k.mv_data, id, len + 1) != 0))) {
		*gone = false;
		return 0;
	}
	if (rc != 0)
		return store_err(rc, "retracted");
	return retraction_test(s, txn, id, gone);
}

int
timeline_load(
    struct store *s, MDB_txn *txn, const char *child, struct timeline_buf *tb)
{
	size_t clen = strlen(child);
	MDB_cursor *cur = NULL, *rcur = NULL;
	struct event *ev;
	MDB_val k, v, raw;
	uint64_t seq;
	bool gone;
	int rc;

	tb->n = 0;
	if ((rc = mdb_cursor_open(txn, s->timeline, &cur)) != 0)
		return store_err(rc, "timeline cursor");
	if ((rc = mdb_cursor_open(txn, s->retracted, &rcur)) != 0) {
		mdb_cursor_close(cur);
		return store_err(rc, "retracted cursor");
	}
	k.mv_data = (void *)child;
	k.mv_size = clen + 1; /* child and its 0x00 separator */
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= clen + 6 || memcmp(k.mv_data, child, clen) ||
		    ((char *)k.mv_data)[clen] != 0)
			break;
		memcpy(&seq, v.mv_data, sizeof(seq));
		if ((rc = evlog_get(s, txn, seq, &raw)) != 0)
			goto done;
		if ((ev = timeline_slot(tb)) == NULL) {
			rc = IRK_ENOMEM;
			goto done;
		}
		if (codec_decode_stored(raw.mv_data, raw.mv_size, ev) != 0) {
			rc = IRK_ESTORE; /* we stored it valid: corruption */
			goto done;
		}
		if ((rc = timeline_gone(s, txn, rcur, ev->id, &gone)) != 0)
			goto done;
		if (gone)
			continue;
		tb->order[tb->n++] = ev;
	}
	rc = rc == MDB_NOTFOUND || rc == 0 ? 0 : store_err(rc, "timeline");
done:
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
