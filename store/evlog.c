/*
 * The append-only event log and its id index.  Events are kept exactly as
 * the producer's msgpack bytes, under a sequence number that only grows;
 * the id index makes a second event with the same id a duplicate.
 */
#include <string.h>

#include "domain/err.h"
#include "store/store_impl.h"

int
evlog_append(struct store *s, MDB_txn *txn, const char *id, const char *raw,
    size_t len, uint64_t *seq)
{
	unsigned char key[8];
	uint64_t next = *seq + 1;
	MDB_val k, v;
	int rc;

	/* The id first: one search both finds a duplicate and indexes it. */
	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	v.mv_data = &next;
	v.mv_size = sizeof(next);
	rc = mdb_put(txn, s->ids, &k, &v, MDB_NOOVERWRITE);
	if (rc == MDB_KEYEXIST)
		return IRK_EDUP;
	if (rc != 0)
		return store_err(rc, "index id");
	be64_put(key, next);
	k.mv_data = key;
	k.mv_size = sizeof(key);
	v.mv_data = (void *)raw;
	v.mv_size = len;
	if ((rc = mdb_put(txn, s->evlog, &k, &v, MDB_APPEND)) != 0)
		return store_err(rc, "append");
	*seq = next;
	return 0;
}

/*
 * The log's order, for mdb_set_compare(): the order of LMDB's default
 * comparator (memcmp(), then the shorter first), so the database is the
 * same to mdb_dump(1) and to any reader that does not set it, but two
 * 8-byte keys compare as integers.  Its reads are a rebuild's random reads
 * (one per event loaded), and memcmp() called through the comparator at
 * each step of their searches was a tenth of them (callgrind).
 */
int
evlog_key_cmp(const MDB_val *a, const MDB_val *b)
{
	uint64_t x, y;

	if (a->mv_size == 8 && b->mv_size == 8) {
		x = be64_get(a->mv_data);
		y = be64_get(b->mv_data);
		return (x > y) - (x < y);
	}
	return key_order(a->mv_data, a->mv_size, b->mv_data, b->mv_size);
}

/* The log's key of seq, in buf. */
static MDB_val
seq_key(unsigned char buf[8], uint64_t seq)
{
	MDB_val k = { 8, buf };

	be64_put(buf, seq);
	return k;
}

int
evlog_get(struct store *s, MDB_txn *txn, uint64_t seq, MDB_val *out)
{
	unsigned char buf[8];
	MDB_val k = seq_key(buf, seq);
	int rc;

	if ((rc = mdb_get(txn, s->evlog, &k, out)) != 0)
		return store_err(rc, "read log");
	return 0;
}

/*
 * The same through a cursor on the log: a cursor finds the next event
 * without a search from the root when it is on the cursor's page (LMDB
 * looks there first), as a child's events often are.  Loading timelines
 * so, a rebuild's deriver ran 9% fewer instructions (callgrind).
 */
int
evlog_read(MDB_cursor *cur, uint64_t seq, MDB_val *out)
{
	unsigned char buf[8];
	MDB_val k = seq_key(buf, seq);
	int rc;

	if ((rc = mdb_cursor_get(cur, &k, out, MDB_SET)) != 0)
		return store_err(rc, "read log");
	return 0;
}

int
evlog_find_id(struct store *s, MDB_txn *txn, const char *id, uint64_t *seq)
{
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)id;
	k.mv_size = strlen(id);
	if ((rc = mdb_get(txn, s->ids, &k, &v)) != 0)
		return store_err(rc, "find id");
	if (v.mv_size != sizeof(*seq))
		return IRK_ESTORE;
	memcpy(seq, v.mv_data, sizeof(*seq));
	return 0;
}
