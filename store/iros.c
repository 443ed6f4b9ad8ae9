/*
 * Each child's current IRO, a projection kept with the others: the IRO its
 * latest iro.allocated names (the last in timeline order), written when a
 * batch re-derives the child and removed when it has none.  Breaches and
 * the deadlines list read it there, so they name the IRO holding the case
 * now, whichever batch raised them, without loading the child's timeline.
 */
#include <stdio.h>
#include <string.h>

#include "domain/err.h"
#include "store/store_impl.h"

const char *
iros_latest(const struct timeline_buf *tb)
{
	const struct event *ev;
	size_t i;

	for (i = tb->n; i-- > 0;) {
		ev = tb->order[i];
		if (ev->type == EVT_IRO_ALLOCATED && ev->f[FLD_IRO].present &&
		    !ev->f[FLD_IRO].null)
			return ev->f[FLD_IRO].str;
	}
	return NULL;
}

int
iros_update(struct store *s, MDB_txn *txn, const char *child, const char *iro,
    bool fresh)
{
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)child;
	k.mv_size = strlen(child);
	if (fresh) {
		if (iro == NULL)
			return 0;
		v.mv_data = (void *)iro;
		v.mv_size = strlen(iro);
		rc = mdb_put(txn, s->iros, &k, &v, MDB_APPEND);
		return rc == 0 ? 0 : store_err(rc, "iros");
	}
	rc = mdb_get(txn, s->iros, &k, &v);
	if (rc != 0 && rc != MDB_NOTFOUND)
		return store_err(rc, "iros");
	if (iro == NULL) {
		if (rc == MDB_NOTFOUND)
			return 0;
		rc = mdb_del(txn, s->iros, &k, NULL);
		return rc == 0 ? 0 : store_err(rc, "iros");
	}
	if (rc == 0 && v.mv_size == strlen(iro) &&
	    memcmp(v.mv_data, iro, v.mv_size) == 0)
		return 0;
	v.mv_data = (void *)iro;
	v.mv_size = strlen(iro);
	rc = mdb_put(txn, s->iros, &k, &v, 0);
	return rc == 0 ? 0 : store_err(rc, "iros");
}

int
iros_get(
    struct store *s, MDB_txn *txn, const char *child, char *buf, size_t len)
{
	MDB_val k, v;
	int rc;

	buf[0] = '\0';
	k.mv_data = (void *)child;
	k.mv_size = strlen(child);
	if ((rc = mdb_get(txn, s->iros, &k, &v)) == MDB_NOTFOUND)
		return 0;
	if (rc != 0)
		return store_err(rc, "iros");
	snprintf(buf, len, "%.*s", (int)v.mv_size, (const char *)v.mv_data);
	return 0;
}
