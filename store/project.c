/*
 * Projections: re-derive an owner's points and apply what changed.
 *
 * An owner is a child ("c" 0x00 child) or a group of siblings seen in one
 * meeting ("g" 0x00 group).  Its last points are kept in `contrib`; the new
 * ones come from the pure derivation in domain/facts.c; points_diff() gives
 * the deltas, which go to the buckets, the intervals and the member lists.
 * A child's member points change its groups, which are re-derived after
 * every child of the batch, each once.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/facts.h"
#include "store/store_impl.h"

struct apply_ctx {
	struct store *s;
	MDB_txn *txn;
	struct projector *p;
	const char *child;        /* the owner, when a child */
	const struct points *new; /* its new points */
};

/* members: group 0x00 child -> day, flags */
static int
member_apply(struct apply_ctx *c, const struct point *pt, int64_t delta)
{
	unsigned char key[SERIES_MAX + IRK_CHILD_MAX + 1];
	unsigned char val[12];
	size_t glen = pt->len, clen = strlen(c->child);
	MDB_val k, v;
	int rc;

	memcpy(key, pt->series, glen);
	key[glen] = 0;
	memcpy(key + glen + 1, c->child, clen);
	k.mv_data = key;
	k.mv_size = glen + 1 + clen;
	if (delta < 0) {
		rc = mdb_del(c->txn, c->s->members, &k, NULL);
		if (rc != 0 && rc != MDB_NOTFOUND)
			return store_err(rc, "members");
	} else {
		memcpy(val, &pt->day, 4);
		memcpy(val + 4, &pt->n, 8);
		v.mv_data = val;
		v.mv_size = sizeof(val);
		if ((rc = mdb_put(c->txn, c->s->members, &k, &v, 0)) != 0)
			return store_err(rc, "members");
	}
	return touched_add(&c->p->groups, pt->series, glen);
}

static int
apply_delta(void *arg, const struct point *pt, int64_t delta)
{
	struct apply_ctx *c = arg;
	int rc;

	switch (pt->kind) {
	case PK_BUCKET:
		return buckets_add(&c->p->deltas, pt, delta);
	case PK_INTERVAL:
		if (c->child != NULL &&
		    (rc = deadline_apply(
			 c->s, c->txn, c->child, c->new, pt, delta)) != 0)
			return rc;
		return intervals_add(&c->p->deltas, pt, delta);
	case PK_MEMBER:
		if (c->child == NULL)
			return IRK_EINVAL; /* groups have no members */
		return member_apply(c, pt, delta);
	}
	return IRK_EINVAL;
}

/* Replace owner's stored points with new (normalised; enc, enclen: new
 * encoded, or NULL), applying the difference. */
static int
owner_update(struct store *s, MDB_txn *txn, struct projector *p,
    const char *owner, size_t olen, const char *child,
    const struct points *new, const char *enc, size_t enclen)
{
	struct apply_ctx c = { s, txn, p, child, new };
	MDB_val k, v;
	int rc;

	k.mv_data = (void *)owner;
	k.mv_size = olen;
	rc = p->fresh ? MDB_NOTFOUND : mdb_get(txn, s->contrib, &k, &v);
	if (rc == 0)
		rc = points_decode(v.mv_data, v.mv_size, &p->old);
	else if (rc == MDB_NOTFOUND) {
		points_clear(&p->old);
		rc = 0;
	} else
		return store_err(rc, "contrib");
	if (rc != 0)
		return IRK_ESTORE;
	if (points_equal(&p->old, new))
		return 0;
	if ((rc = points_diff(&p->old, new, apply_delta, &c)) != 0)
		return rc;
	if (deltas_full(&p->deltas) &&
	    (rc = deltas_flush(s, txn, &p->deltas)) != 0)
		return rc;
	if (new->n == 0) {
		rc = mdb_del(txn, s->contrib, &k, NULL);
		return rc == 0 || rc == MDB_NOTFOUND
			   ? 0
			   : store_err(rc, "contrib");
	}
	if (enc == NULL) {
		p->enclen = 0;
		if ((rc = points_encode(
			 new, &p->enc, &p->enclen, &p->enccap)) != 0)
			return rc;
		enc = p->enc;
		enclen = p->enclen;
	}
	v.mv_data = (void *)enc;
	v.mv_size = enclen;
	/* Appending skips the search and fills the pages; an owner out of
	 * order (MDB_KEYEXIST) is put where it goes. */
	rc = p->fresh ? mdb_put(txn, s->contrib, &k, &v, MDB_APPEND)
		      : MDB_KEYEXIST;
	if (rc == MDB_KEYEXIST)
		rc = mdb_put(txn, s->contrib, &k, &v, 0);
	if (rc != 0)
		return store_err(rc, "contrib");
	return 0;
}

/* "c" or "g", 0x00, name */
static size_t
owner_key(char *buf, char kind, const char *name)
{
	size_t len = strlen(name);

	buf[0] = kind;
	buf[1] = 0;
	memcpy(buf + 2, name, len);
	return len + 2;
}

int
project_derive(MDB_txn *txn, const struct project_rules *r, const char *child,
    struct timeline_buf *tb, struct points *out)
{
	int rc;

	if ((rc = timeline_load(r->s, txn, r->ov, child, tb)) != 0 ||
	    tb->unsure)
		return rc;
	points_clear(out);
	if ((rc = facts_derive_child(r->ts, r->cal, tb->order, tb->n, out)) !=
	    0)
		return rc;
	points_normalize(out);
	return 0;
}

int
project_apply(struct store *s, MDB_txn *txn, struct projector *p,
    const char *child, const char *iro, const struct points *new,
    const char *enc, size_t enclen)
{
	char owner[IRK_CHILD_MAX + 2];
	int rc;

	if ((rc = iros_update(s, txn, child, iro, p->fresh)) != 0)
		return rc;
	return owner_update(s, txn, p, owner, owner_key(owner, 'c', child),
	    child, new, enc, enclen);
}

int
project_child(
    struct store *s, MDB_txn *txn, struct projector *p, const char *child)
{
	const struct project_rules r = { s, s->ts, s->cal, NULL };
	int rc;

	if ((rc = project_derive(txn, &r, child, &p->tb, &p->new)) != 0)
		return rc;
	return project_apply(
	    s, txn, p, child, iros_latest(&p->tb), &p->new, NULL, 0);
}

static int
project_group(
    struct store *s, MDB_txn *txn, struct projector *p, const char *group)
{
	char owner[SERIES_MAX + 2];
	size_t glen = strlen(group);
	MDB_cursor *cur = NULL;
	struct point *m;
	MDB_val k, v;
	int rc;

	points_clear(&p->members);
	if ((rc = mdb_cursor_open(txn, s->members, &cur)) != 0)
		return store_err(rc, "members cursor");
	k.mv_data = (void *)group;
	k.mv_size = glen + 1;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size <= glen || memcmp(k.mv_data, group, glen) ||
		    ((char *)k.mv_data)[glen] != 0)
			break;
		if (v.mv_size != 12) {
			rc = IRK_ESTORE;
			goto done;
		}
		if ((rc = points_member(&p->members, 0, 0, "%s", group)) != 0)
			goto done;
		m = &p->members.v[p->members.n - 1];
		memcpy(&m->day, v.mv_data, 4);
		memcpy(&m->n, (char *)v.mv_data + 4, 8);
	}
	if (rc != MDB_NOTFOUND && rc != 0) {
		rc = store_err(rc, "members");
		goto done;
	}
	points_clear(&p->new);
	if ((rc = facts_derive_group(
		 group, p->members.v, p->members.n, &p->new)) != 0)
		goto done;
	points_normalize(&p->new);
	rc = owner_update(s, txn, p, owner, owner_key(owner, 'g', group), NULL,
	    &p->new, NULL, 0);
done:
	mdb_cursor_close(cur);
	return rc;
}

int
project_groups(struct store *s, MDB_txn *txn, struct projector *p)
{
	size_t i;
	int rc;

	touched_sort_unique(&p->groups);
	for (i = 0; i < p->groups.n; i++)
		if ((rc = project_group(s, txn, p, p->groups.v[i])) != 0)
			return rc;
	touched_free(&p->groups);
	return deltas_flush(s, txn, &p->deltas);
}

void
projector_free(struct projector *p)
{
	deltas_free(&p->deltas);
	timeline_buf_free(&p->tb);
	points_free(&p->old);
	points_free(&p->new);
	points_free(&p->members);
	touched_free(&p->groups);
	free(p->enc);
	p->enc = NULL;
	p->enclen = p->enccap = 0;
}
