/*
 * Retractions (EVENTS.md): a retracted event must leave every answer as if
 * it had never arrived, and that holds for a retraction too: retracting a
 * retraction brings its target back.  So an event is retracted when at
 * least one retraction of it is itself in effect, that is, not retracted;
 * the rule is applied down the chain, whatever order the events came in.
 *
 * The index holds every retraction of every target (schema.h: target 0x00
 * retraction id).  Walking it from an ordinary event only ever climbs to
 * retractions of retractions, so it cannot loop; retractions alone can form
 * a cycle (r1 retracts r2, r2 retracts r1), which targets no ordinary
 * event.  RETRACT_DEPTH_MAX bounds both walks all the same: past it, an
 * event counts as not retracted.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/hash.h"
#include "proto/codec.h"
#include "store/store_impl.h"

#define RETRACT_DEPTH_MAX 16
#define RETRACT_KEY_MAX   (2 * IRK_ID_MAX + 1)

/*
 * The targets are also kept in a filter (a Bloom filter of FILTER_BITS):
 * an id with any of its FILTER_PROBES bits clear has no retraction, which
 * nearly every event learns so, without the seek in the index that was a
 * tenth of a rebuild's deriving.  Bits are only ever set, by
 * retraction_add() before its commit, so the filter holds at least every
 * committed target; one set by a transaction that was then aborted costs a
 * seek, never an answer.  The writer sets bits while the deriver reads
 * them: hence atomic words, in relaxed order, as a deriver is started (a
 * lock taken) after the commits whose targets it must see.  128 KiB: of
 * the ids without a retraction, 1 in 45,000 goes on to the index at
 * 10,000 targets, 1 in 65 at 100,000.
 */
#define FILTER_BITS   ((size_t)1 << 20)
#define FILTER_PROBES 3

static void
filter_add(struct store *s, const char *id, size_t len)
{
	uint64_t h = hash_mix(hash_bytes(id, len)), bit;
	int i;

	for (i = 0; i < FILTER_PROBES; i++, h >>= 20) {
		bit = h & (FILTER_BITS - 1);
		atomic_fetch_or_explicit(&s->retract_filter[bit / 64],
		    (uint64_t)1 << bit % 64, memory_order_relaxed);
	}
}

static bool
filter_may_hold(const struct store *s, const char *id, size_t len)
{
	uint64_t h = hash_mix(hash_bytes(id, len)), bit;
	int i;

	for (i = 0; i < FILTER_PROBES; i++, h >>= 20) {
		bit = h & (FILTER_BITS - 1);
		if ((atomic_load_explicit(
			 &s->retract_filter[bit / 64], memory_order_relaxed) &
			(uint64_t)1 << bit % 64) == 0)
			return false;
	}
	return true;
}

int
retraction_filter_load(struct store *s)
{
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	const char *z;
	MDB_val k, v;
	int rc;

	if (s->retract_filter == NULL &&
	    (s->retract_filter = calloc(
		 FILTER_BITS / 64, sizeof(s->retract_filter[0]))) == NULL)
		return IRK_ENOMEM;
	if ((rc = mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn)) != 0 ||
	    (rc = mdb_cursor_open(txn, s->retracted, &cur)) != 0)
		goto done;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if ((z = memchr(k.mv_data, 0, k.mv_size)) == NULL) {
			rc = IRK_ESTORE;
			goto done;
		}
		filter_add(
		    s, k.mv_data, (size_t)(z - (const char *)k.mv_data));
	}
	rc = rc == MDB_NOTFOUND ? 0 : rc;
done:
	if (cur != NULL)
		mdb_cursor_close(cur);
	if (txn != NULL)
		mdb_txn_abort(txn);
	return rc == 0 || rc == IRK_ESTORE ? rc : store_err(rc, "retracted");
}

static size_t
retract_key(unsigned char *key, const char *target, const char *rid)
{
	size_t tlen = strlen(target), rlen = strlen(rid);

	memcpy(key, target, tlen);
	key[tlen] = 0;
	memcpy(key + tlen + 1, rid, rlen);
	return tlen + 1 + rlen;
}

/*
 * Whether id is retracted, depth levels down.  The retractions of id are
 * read one at a time, each sought again after the walk above it moved the
 * cursor.
 */
static int
retracted_at(MDB_cursor *cur, const char *id, int depth, bool *out)
{
	unsigned char key[RETRACT_KEY_MAX];
	char rid[IRK_ID_MAX + 1] = "";
	size_t idlen = strlen(id), rlen;
	MDB_val k, v;
	bool gone;
	int rc;

	*out = false;
	if (depth > RETRACT_DEPTH_MAX)
		return 0;
	for (;;) {
		k.mv_data = key;
		k.mv_size = retract_key(key, id, rid);
		rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE);
		/* past the one just walked, if it is still there */
		if (rc == 0 && rid[0] != '\0' &&
		    k.mv_size == idlen + 1 + strlen(rid) &&
		    memcmp(k.mv_data, key, k.mv_size) == 0)
			rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT);
		if (rc == MDB_NOTFOUND)
			return 0;
		if (rc != 0)
			return store_err(rc, "retracted");
		if (k.mv_size <= idlen + 1 ||
		    memcmp(k.mv_data, id, idlen) != 0 ||
		    ((const char *)k.mv_data)[idlen] != 0)
			return 0;
		rlen = k.mv_size - idlen - 1;
		if (rlen > IRK_ID_MAX)
			return IRK_ESTORE;
		memcpy(rid, (const char *)k.mv_data + idlen + 1, rlen);
		rid[rlen] = '\0';
		if ((rc = retracted_at(cur, rid, depth + 1, &gone)) != 0)
			return rc;
		if (!gone) {
			*out = true;
			return 0;
		}
	}
}

int
retraction_any(
    const struct store *s, MDB_cursor *rcur, const char *id, bool *out)
{
	size_t len = strlen(id);
	MDB_val k, v;
	int rc;

	if (!filter_may_hold(s, id, len)) {
		*out = false;
		return 0;
	}
	k.mv_data = (void *)id;
	k.mv_size = len + 1; /* the id and its 0x00 separator */
	rc = mdb_cursor_get(rcur, &k, &v, MDB_SET_RANGE);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_err(rc, "retracted");
	*out = rc == 0 && k.mv_size > len + 1 &&
	       memcmp(k.mv_data, id, len + 1) == 0;
	return 0;
}

int
retraction_test(struct store *s, MDB_txn *txn, const char *id, bool *out)
{
	MDB_cursor *cur;
	int rc;

	if ((rc = mdb_cursor_open(txn, s->retracted, &cur)) != 0)
		return store_err(rc, "retracted cursor");
	rc = retracted_at(cur, id, 0, out);
	mdb_cursor_close(cur);
	return rc;
}

int
retraction_add(struct store *s, MDB_txn *txn, const char *target,
    const char *rid, struct touched *children)
{
	unsigned char key[RETRACT_KEY_MAX];
	char next[IRK_ID_MAX + 1];
	struct event *ev = NULL;
	struct irk_diag diag;
	uint64_t seq;
	MDB_val k, v;
	int rc, depth;

	k.mv_data = key;
	k.mv_size = retract_key(key, target, rid);
	v.mv_data = "";
	v.mv_size = 0;
	filter_add(s, target, strlen(target));
	if ((rc = mdb_put(txn, s->retracted, &k, &v, MDB_NOOVERWRITE)) != 0)
		return rc == MDB_KEYEXIST ? 0 : store_err(rc, "retract");
	/*
	 * What changes is the ordinary event at the end of the chain of
	 * targets: re-derive its child.  A target not in yet is born with
	 * its retractions when it comes.
	 */
	if ((ev = malloc(sizeof(*ev))) == NULL)
		return IRK_ENOMEM;
	snprintf(next, sizeof(next), "%s", target);
	for (depth = 0; depth <= RETRACT_DEPTH_MAX; depth++) {
		if ((rc = evlog_find_id(s, txn, next, &seq)) != 0 ||
		    (rc = evlog_get(s, txn, seq, &v)) != 0)
			break;
		if (codec_decode_event(v.mv_data, v.mv_size, ev, &diag) != 0) {
			rc = IRK_ESTORE; /* we stored it valid: corruption */
			break;
		}
		if (ev->type != EVT_EVENT_RETRACTED) {
			if (ev->child != NULL)
				rc = touched_add(
				    children, ev->child, strlen(ev->child));
			break;
		}
		snprintf(next, sizeof(next), "%s", ev->f[FLD_TARGET].str);
	}
	free(ev);
	return rc == IRK_ENOTFOUND ? 0 : rc;
}
