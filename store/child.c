/*
 * A child's record for the child query (child.h): one cursor walk over the
 * timeline index, each event read back from the log with its retraction
 * looked up, and the child's points from `contrib`.  Unlike timeline_load(),
 * which feeds the derivation and so leaves retracted events out and decodes
 * every event, this keeps every event and reads only its type, since it
 * shows the bytes as they were received.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/grow.h"
#include "proto/codec.h"
#include "store/child.h"
#include "store/store_impl.h"

static struct child_event *
timeline_push(struct child_timeline *tl)
{
	if (grow(&tl->v, &tl->cap, tl->n + 1, sizeof(tl->v[0]), 32) != 0)
		return NULL;
	return &tl->v[tl->n++];
}

static int
child_known(struct store *s, MDB_txn *txn, const char *child)
{
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)child;
	k.mv_size = strlen(child);
	if ((rc = mdb_get(txn, s->children, &k, &v)) != 0)
		return store_err(rc, "children");
	return 0;
}

/* Fill ev from one timeline entry: key child 0x00 day rank id, value seq. */
static int
event_read(struct store *s, MDB_txn *txn, size_t clen, const MDB_val *k,
    const MDB_val *v, struct child_event *ev)
{
	const unsigned char *key = k->mv_data;
	size_t idlen = k->mv_size - (clen + 6);
	const char *type;
	size_t tlen;
	MDB_val raw;
	int rc;

	if (v->mv_size != sizeof(ev->seq) || idlen > IRK_ID_MAX)
		return IRK_ESTORE;
	memcpy(&ev->seq, v->mv_data, sizeof(ev->seq));
	ev->day = day_unkey(be32_get(key + clen + 1));
	memcpy(ev->id, key + clen + 6, idlen);
	ev->id[idlen] = '\0';
	if ((rc = evlog_get(s, txn, ev->seq, &raw)) != 0)
		return rc;
	ev->raw = raw.mv_data;
	ev->rawlen = raw.mv_size;
	/* Stored events passed codec_check() on their way in. */
	if (codec_map_str(ev->raw, ev->rawlen, "type", &type, &tlen) != 0 ||
	    event_type_from_name(type, tlen, &ev->type) != 0)
		return IRK_ESTORE;
	return retraction_test(s, txn, ev->id, &ev->retracted);
}

int
child_timeline_load(
    struct store_view *v, const char *child, struct child_timeline *tl)
{
	struct store *s = store_view_store(v);
	MDB_txn *txn = store_view_txn(v);
	size_t clen = strlen(child);
	struct child_event *ev;
	MDB_cursor *cur = NULL;
	MDB_val k, val;
	int rc;

	tl->n = 0;
	if (clen == 0 || clen > IRK_CHILD_MAX)
		return IRK_ENOTFOUND;
	if ((rc = child_known(s, txn, child)) != 0)
		return rc;
	if ((rc = mdb_cursor_open(txn, s->timeline, &cur)) != 0)
		return store_err(rc, "timeline cursor");
	k.mv_data = (void *)child;
	k.mv_size = clen + 1; /* child and its 0x00 separator */
	for (rc = mdb_cursor_get(cur, &k, &val, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
		if (k.mv_size <= clen + 6 || memcmp(k.mv_data, child, clen) ||
		    ((char *)k.mv_data)[clen] != 0)
			break;
		if ((ev = timeline_push(tl)) == NULL) {
			rc = IRK_ENOMEM;
			goto done;
		}
		if ((rc = event_read(s, txn, clen, &k, &val, ev)) != 0)
			goto done;
	}
	rc = rc == MDB_NOTFOUND || rc == 0 ? 0 : store_err(rc, "timeline");
done:
	mdb_cursor_close(cur);
	return rc;
}

void
child_timeline_free(struct child_timeline *tl)
{
	free(tl->v);
	memset(tl, 0, sizeof(*tl));
}

int
child_points(struct store_view *v, const char *child, struct points *out)
{
	char owner[IRK_CHILD_MAX + 2];
	size_t clen = strlen(child);
	MDB_val k, val;
	int rc;

	points_clear(out);
	if (clen == 0 || clen > IRK_CHILD_MAX)
		return 0;
	/* The owner key of project.c: "c" 0x00 child. */
	owner[0] = 'c';
	owner[1] = 0;
	memcpy(owner + 2, child, clen);
	k.mv_data = owner;
	k.mv_size = clen + 2;
	rc =
	    mdb_get(store_view_txn(v), store_view_store(v)->contrib, &k, &val);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_err(rc, "contrib");
	rc = points_decode(val.mv_data, val.mv_size, out);
	return rc == IRK_ENOMEM ? rc : rc != 0 ? IRK_ESTORE : 0;
}
