/*
 * The deadline index and the breach log (schema.h).
 *
 * The index is kept with the projections: every interval point of a child
 * whose series ends in ":due" (an outstanding deadline: due on its day,
 * resolved on its until) or ":pending" (an upload awaited: due on its
 * until, gone when the upload comes) has one entry keyed by the deadline
 * day first, so a sweep reads only what falls due up to a day and never
 * walks the children.  Late and retracted events move or remove entries
 * exactly as they move the intervals.
 *
 * A breach is appended to the log in the transaction that causes it (the
 * sweep's, or the batch's for met_late), together with a marker per (kind,
 * child, series, deadline) that makes it once ever: a restart, a rebuild or
 * a second sweep finds the marker and writes nothing.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "store/store_impl.h"

#define DL_KEY_MAX (4 + SERIES_MAX + IRK_CHILD_MAX + 2 + 4)

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* deadline(BE) series 0x00 child 0x00 start(BE) */
static size_t
dl_key(unsigned char *key, int32_t deadline, const char *series,
    const char *child, int32_t start)
{
	size_t slen = strlen(series), clen = strlen(child), off = 0;

	be32_put(key, day_key(deadline));
	off = 4;
	memcpy(key + off, series, slen);
	off += slen;
	key[off++] = 0;
	memcpy(key + off, child, clen);
	off += clen;
	key[off++] = 0;
	be32_put(key + off, day_key(start));
	return off + 4;
}

/* kind series 0x00 child 0x00 deadline(BE) */
static size_t
mark_key(unsigned char *key, uint8_t kind, const char *series,
    const char *child, int32_t deadline)
{
	size_t slen = strlen(series), clen = strlen(child), off = 0;

	key[off++] = kind;
	memcpy(key + off, series, slen);
	off += slen;
	key[off++] = 0;
	memcpy(key + off, child, clen);
	off += clen;
	key[off++] = 0;
	be32_put(key + off, day_key(deadline));
	return off + 4;
}

static int
marked(struct store *s, MDB_txn *txn, uint8_t kind, const char *series,
    const char *child, int32_t deadline, bool *yes)
{
	unsigned char key[DL_KEY_MAX];
	MDB_val k, v;
	int rc;

	k.mv_data = key;
	k.mv_size = mark_key(key, kind, series, child, deadline);
	rc = mdb_get(txn, s->bmarks, &k, &v);
	*yes = rc == 0;
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "bmarks");
}

int
breach_append(struct store *s, MDB_txn *txn, struct store_breach *b)
{
	unsigned char key[DL_KEY_MAX], sk[8];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc;

	if (b->child[0] != '\0' && b->iro[0] == '\0' &&
	    (rc = iros_get(s, txn, b->child, b->iro, sizeof(b->iro))) != 0)
		return rc;
	if ((rc = mdb_cursor_open(txn, s->breaches, &cur)) != 0)
		return store_err(rc, "breaches cursor");
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == 0 && k.mv_size == 8)
		b->seq = be64_get(k.mv_data) + 1;
	else if (rc == MDB_NOTFOUND)
		b->seq = 1;
	else
		return store_err(rc == 0 ? MDB_CORRUPTED : rc, "breaches");
	be64_put(sk, b->seq);
	k.mv_data = sk;
	k.mv_size = sizeof(sk);
	v.mv_data = b;
	v.mv_size = sizeof(*b);
	if ((rc = mdb_put(txn, s->breaches, &k, &v, MDB_APPEND)) != 0)
		return store_err(rc, "breaches");
	k.mv_data = key;
	k.mv_size = mark_key(key, b->kind, b->series, b->child, b->deadline);
	v.mv_data = sk;
	v.mv_size = sizeof(sk);
	if ((rc = mdb_put(txn, s->bmarks, &k, &v, 0)) != 0)
		return store_err(rc, "bmarks");
	return 0;
}

static void
breach_fill(struct store_breach *b, uint8_t kind, const char *series,
    const char *child, int32_t deadline, int32_t start, int32_t resolved,
    int32_t raised)
{
	memset(b, 0, sizeof(*b));
	b->kind = kind;
	b->deadline = deadline;
	b->start = start;
	b->resolved = resolved;
	b->raised = raised;
	snprintf(b->series, sizeof(b->series), "%s", series);
	snprintf(b->child, sizeof(b->child), "%s", child);
}

/* due_soon, or overdue before today, unless raised already. */
static int
breach_raise(struct store *s, MDB_txn *txn, const char *series,
    const char *child, int32_t deadline, int32_t start, int32_t resolved,
    int32_t today)
{
	struct store_breach b;
	uint8_t kind = deadline < today ? BREACH_OVERDUE : BREACH_DUE_SOON;
	bool done;
	int rc;

	if ((rc = marked(s, txn, kind, series, child, deadline, &done)) != 0 ||
	    done)
		return rc;
	breach_fill(&b, kind, series, child, deadline, start, resolved, today);
	return breach_append(s, txn, &b);
}

void
store_set_today(struct store *s, int32_t today, int32_t soon_until)
{
	pthread_mutex_lock(&s->writer_lock);
	s->today = today;
	s->soon_until = soon_until;
	pthread_mutex_unlock(&s->writer_lock);
}

/* A ":due" interval closed by the end of its episode, not met: the owner
 * has "<stem>:lapsed" on its until (domain/series_lac.h). */
static bool
lapsed(const struct points *owner, const struct point *pt)
{
	char name[SERIES_MAX];
	size_t i;

	snprintf(name, sizeof(name), "%.*s:lapsed",
	    (int)(strlen(pt->series) - strlen(":due")), pt->series);
	for (i = 0; i < owner->n; i++)
		if (owner->v[i].kind == PK_BUCKET &&
		    owner->v[i].day == pt->until &&
		    strcmp(owner->v[i].series, name) == 0)
			return true;
	return false;
}

/* Whether the child's new points still hold interval pt (a child can hold
 * the same one twice, and the diff then removes one of them). */
static bool
still_held(const struct points *owner, const struct point *pt)
{
	size_t i;

	for (i = 0; i < owner->n; i++)
		if (owner->v[i].kind == PK_INTERVAL &&
		    owner->v[i].day == pt->day &&
		    owner->v[i].until == pt->until &&
		    strcmp(owner->v[i].series, pt->series) == 0)
			return true;
	return false;
}

int
deadline_apply(struct store *s, MDB_txn *txn, const char *child,
    const struct points *owner, const struct point *pt, int64_t delta)
{
	unsigned char key[DL_KEY_MAX];
	struct store_breach b;
	int32_t deadline, resolved;
	bool due = ends_with(pt->series, ":due"), over, late;
	MDB_val k, v;
	int rc;

	if (!due && !ends_with(pt->series, ":pending"))
		return 0;
	deadline = due ? pt->day : pt->until;
	resolved = due ? pt->until : DAY_NEVER;
	if (deadline == DAY_NEVER || strlen(child) > IRK_CHILD_MAX)
		return 0;
	k.mv_data = key;
	k.mv_size = dl_key(key, deadline, pt->series, child, pt->day);
	if (delta < 0) {
		/* A moved interval gives its new point and then, or first,
		 * the old one with the same key: delete only the old. */
		if (still_held(owner, pt))
			return 0;
		rc = mdb_get(txn, s->deadlines, &k, &v);
		if (rc == MDB_NOTFOUND)
			return 0;
		if (rc != 0)
			return store_err(rc, "deadlines");
		if (v.mv_size != sizeof(resolved) ||
		    memcmp(v.mv_data, &resolved, sizeof(resolved)) != 0)
			return 0;
		rc = mdb_del(txn, s->deadlines, &k, NULL);
		return rc == 0 ? 0 : store_err(rc, "deadlines");
	}
	v.mv_data = &resolved;
	v.mv_size = sizeof(resolved);
	if ((rc = mdb_put(txn, s->deadlines, &k, &v, 0)) != 0)
		return store_err(rc, "deadlines");
	if (s->today != 0 && resolved > s->today && deadline <= s->soon_until)
		return breach_raise(s, txn, pt->series, child, deadline,
		    pt->day, resolved, s->today);
	if (!due || resolved == DAY_NEVER || resolved <= deadline)
		return 0;
	/* Done after the deadline: met_late, if it was published overdue. */
	if ((rc = marked(s, txn, BREACH_OVERDUE, pt->series, child, deadline,
		 &over)) != 0 ||
	    (rc = marked(s, txn, BREACH_MET_LATE, pt->series, child, deadline,
		 &late)) != 0)
		return rc;
	if (!over || late || lapsed(owner, pt))
		return 0;
	breach_fill(&b, BREACH_MET_LATE, pt->series, child, deadline, pt->day,
	    resolved, resolved);
	return breach_append(s, txn, &b);
}

/* Split a deadline key; false when it is not one. */
static bool
dl_split(const MDB_val *k, int32_t *deadline, const char **series,
    const char **child, int32_t *start)
{
	const unsigned char *p = k->mv_data, *z1, *z2;
	size_t n = k->mv_size;

	if (n < 4 + 1 + 1 + 4)
		return false;
	*deadline = day_unkey(be32_get(p));
	if ((z1 = memchr(p + 4, 0, n - 4 - 4)) == NULL)
		return false;
	if ((z2 = memchr(z1 + 1, 0, (size_t)(p + n - 4 - (z1 + 1)))) == NULL ||
	    z2 != p + n - 5)
		return false;
	*series = (const char *)p + 4;
	*child = (const char *)z1 + 1;
	*start = day_unkey(be32_get(p + n - 4));
	return true;
}

static int
sweep_txn(struct store *s, MDB_txn *txn, int32_t today, int32_t soon_until,
    uint64_t *written)
{
	unsigned char buf[DL_KEY_MAX];
	char series[SERIES_MAX], child[IRK_CHILD_MAX + 1];
	struct store_breach b;
	MDB_cursor *cur = NULL;
	const char *sp, *cp;
	int32_t deadline, start, resolved;
	uint8_t kind;
	MDB_val k, v;
	bool done;
	int rc = 0, mrc;

	*written = 0;
	if ((mrc = mdb_cursor_open(txn, s->deadlines, &cur)) != 0)
		return store_err(mrc, "deadlines cursor");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (!dl_split(&k, &deadline, &sp, &cp, &start) ||
		    v.mv_size != sizeof(resolved) ||
		    strlen(sp) >= sizeof(series) ||
		    strlen(cp) >= sizeof(child))
			continue;
		if (deadline > soon_until)
			break;
		memcpy(&resolved, v.mv_data, sizeof(resolved));
		if (resolved <= today)
			continue; /* done, or no longer owed */
		/* Writing moves the cursor's pages: copy, then come back. */
		snprintf(series, sizeof(series), "%s", sp);
		snprintf(child, sizeof(child), "%s", cp);
		memcpy(buf, k.mv_data, k.mv_size);
		kind = deadline < today ? BREACH_OVERDUE : BREACH_DUE_SOON;
		if ((rc = marked(
			 s, txn, kind, series, child, deadline, &done)) != 0)
			break;
		if (done)
			continue;
		breach_fill(
		    &b, kind, series, child, deadline, start, resolved, today);
		if ((rc = breach_append(s, txn, &b)) != 0)
			break;
		(*written)++;
		k.mv_data = buf;
		if ((mrc = mdb_cursor_get(cur, &k, &v, MDB_SET)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
		rc = store_err(mrc, "sweep");
	/* The day turned: deadline KPIs count what fell due, and fytd may
	 * have started again. */
	if (rc == 0)
		rc = rag_check(s, txn);
	return rc;
}

int
store_sweep(
    struct store *s, int32_t today, int32_t soon_until, uint64_t *written)
{
	MDB_txn *txn = NULL;
	int rc;

	pthread_mutex_lock(&s->writer_lock);
	for (;;) {
		if ((rc = mdb_txn_begin(s->env, NULL, 0, &txn)) != 0) {
			rc = store_err(rc, "begin sweep");
			break;
		}
		if ((rc = sweep_txn(s, txn, today, soon_until, written)) ==
		    0) {
			rc = mdb_txn_commit(txn);
			rc = rc == 0 ? 0 : store_err(rc, "commit sweep");
		} else
			mdb_txn_abort(txn);
		txn = NULL;
		if (rc != IRK_EFULL || (rc = store_grow(s)) != 0)
			break;
	}
	pthread_mutex_unlock(&s->writer_lock);
	return rc;
}

int
store_breaches_after(struct store_view *view, uint64_t after,
    int (*fn)(void *arg, const struct store_breach *b), void *arg)
{
	struct store *s = store_view_store(view);
	MDB_txn *txn = store_view_txn(view);
	struct store_breach b;
	unsigned char sk[8];
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc = 0, mrc;

	if ((mrc = mdb_cursor_open(txn, s->breaches, &cur)) != 0)
		return store_err(mrc, "breaches cursor");
	be64_put(sk, after + 1);
	k.mv_data = sk;
	k.mv_size = sizeof(sk);
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); mrc == 0;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		/* A record written before iro and the RAG fields were
		 * added is shorter: they read as zero. */
		if (v.mv_size < offsetof(struct store_breach, iro) ||
		    v.mv_size > sizeof(b))
			continue;
		memset(&b, 0, sizeof(b));
		memcpy(&b, v.mv_data, v.mv_size);
		b.iro[sizeof(b.iro) - 1] = '\0';
		b.series[sizeof(b.series) - 1] = '\0';
		b.child[sizeof(b.child) - 1] = '\0';
		if ((rc = fn(arg, &b)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
		rc = store_err(mrc, "breaches");
	return rc;
}

int
store_breach_last(struct store_view *view, uint64_t *seq)
{
	struct store *s = store_view_store(view);
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc;

	*seq = 0;
	if ((rc = mdb_cursor_open(store_view_txn(view), s->breaches, &cur)) !=
	    0)
		return store_err(rc, "breaches cursor");
	rc = mdb_cursor_get(cur, &k, &v, MDB_LAST);
	mdb_cursor_close(cur);
	if (rc == 0 && k.mv_size == 8)
		*seq = be64_get(k.mv_data);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "breaches");
}

int
store_deadlines(struct store_view *view, int32_t to,
    int (*fn)(void *arg, const struct store_deadline *dl), void *arg)
{
	struct store *s = store_view_store(view);
	struct store_deadline dl;
	MDB_cursor *cur = NULL;
	const char *sp, *cp;
	MDB_val k, v;
	int rc = 0, mrc;

	if ((mrc = mdb_cursor_open(
		 store_view_txn(view), s->deadlines, &cur)) != 0)
		return store_err(mrc, "deadlines cursor");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (!dl_split(&k, &dl.deadline, &sp, &cp, &dl.start) ||
		    v.mv_size != sizeof(dl.resolved))
			continue;
		if (dl.deadline > to)
			break;
		memcpy(&dl.resolved, v.mv_data, sizeof(dl.resolved));
		snprintf(dl.series, sizeof(dl.series), "%s", sp);
		snprintf(dl.child, sizeof(dl.child), "%s", cp);
		if ((rc = iros_get(s, store_view_txn(view), dl.child, dl.iro,
			 sizeof(dl.iro))) != 0 ||
		    (rc = fn(arg, &dl)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	if (rc == 0 && mrc != 0 && mrc != MDB_NOTFOUND)
		rc = store_err(mrc, "deadlines");
	return rc;
}
