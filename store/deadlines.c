/*
 * The deadline index and the breach log (schema.h).
 *
 * The index is kept with the projections: every interval point of a child
 * whose series ends in ":due" (an outstanding deadline: due on its day,
 * resolved on its until) or ":pending" (an upload awaited: due on its
 * until, gone when the upload comes) has one entry keyed by the deadline's
 * month first, so a sweep reads only the months up to a day and never
 * walks the children.  Late and retracted events move or remove entries
 * exactly as they move the intervals.
 *
 * The month, then the child, rather than the day: a batch carries the
 * events of a few children, whose deadlines fall on days all over the
 * years; keyed by day, each entry landed on a page of its own and a commit
 * wrote most of the index.  Within a month a batch's children sit side by
 * side, so their entries share pages (on irokpi-sim's events, a batch of
 * 1000 dirtied 31 leaf pages of the index on average, against 78 by day).
 * Readers gather each month's entries and sort them by day, as the index
 * used to keep them.  Not the year, though it dirtied 7 pages: a reader
 * holds one period's entries in memory (about 200 bytes each), a year's
 * grows with the council into tens of MiB, a month's stays a twelfth.
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

#define DL_KEY_MAX (4 + IRK_CHILD_MAX + SERIES_MAX + 2 + 8)

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}

/* The key's first part: the month of day, as a u32 that sorts. */
static uint32_t
dl_month(int32_t day)
{
	return day_key(date_month_index(day));
}

/* month(BE) child 0x00 series 0x00 deadline(BE) start(BE) */
static size_t
dl_key(unsigned char *key, int32_t deadline, const char *series,
    const char *child, int32_t start)
{
	size_t slen = strlen(series), clen = strlen(child), off = 0;

	be32_put(key, dl_month(deadline));
	off = 4;
	memcpy(key + off, child, clen);
	off += clen;
	key[off++] = 0;
	memcpy(key + off, series, slen);
	off += slen;
	key[off++] = 0;
	be32_put(key + off, day_key(deadline));
	be32_put(key + off + 4, day_key(start));
	return off + 8;
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
	/* Done after the deadline: met_late, if it was published overdue
	 * (most were not: then one lookup, not two). */
	if ((rc = marked(s, txn, BREACH_OVERDUE, pt->series, child, deadline,
		 &over)) != 0 ||
	    !over)
		return rc;
	if ((rc = marked(s, txn, BREACH_MET_LATE, pt->series, child, deadline,
		 &late)) != 0)
		return rc;
	if (late || lapsed(owner, pt))
		return 0;
	breach_fill(&b, BREACH_MET_LATE, pt->series, child, deadline, pt->day,
	    resolved, resolved);
	return breach_append(s, txn, &b);
}

/*
 * Split an entry into dl (its IRO left empty); false when it is not one.
 * The month is the deadline's, so it is not kept.
 */
static bool
dl_split(const MDB_val *k, const MDB_val *v, struct store_deadline *dl)
{
	const unsigned char *p = k->mv_data, *z1, *z2;
	size_t n = k->mv_size;

	if (n < 4 + 1 + 1 + 8 || v->mv_size != sizeof(dl->resolved))
		return false;
	if ((z1 = memchr(p + 4, 0, n - 4 - 8)) == NULL ||
	    (z2 = memchr(z1 + 1, 0, (size_t)(p + n - 8 - (z1 + 1)))) == NULL ||
	    z2 != p + n - 9 || (size_t)(z1 - (p + 4)) >= sizeof(dl->child) ||
	    (size_t)(z2 - (z1 + 1)) >= sizeof(dl->series))
		return false;
	memcpy(dl->child, p + 4, (size_t)(z1 - (p + 4)) + 1);
	memcpy(dl->series, z1 + 1, (size_t)(z2 - (z1 + 1)) + 1);
	dl->deadline = day_unkey(be32_get(p + n - 8));
	dl->start = day_unkey(be32_get(p + n - 4));
	memcpy(&dl->resolved, v->mv_data, sizeof(dl->resolved));
	dl->iro[0] = '\0';
	return true;
}

/* By day, then as the index kept them before it was keyed by month. */
static int
dl_cmp(const void *x, const void *y)
{
	const struct store_deadline *a = x, *b = y;
	int c;

	if (a->deadline != b->deadline)
		return a->deadline < b->deadline ? -1 : 1;
	if ((c = strcmp(a->series, b->series)) != 0 ||
	    (c = strcmp(a->child, b->child)) != 0)
		return c;
	return (a->start > b->start) - (a->start < b->start);
}

/* The entries of one month, gathered to be sorted. */
struct dl_rows {
	struct store_deadline *v;
	size_t n, cap;
};

/* Sort m, call fn for each entry and empty m. */
static int
dl_rows_flush(struct dl_rows *m,
    int (*fn)(void *arg, struct store_deadline *dl), void *arg)
{
	size_t i;
	int rc = 0;

	if (m->n == 0)
		return 0;
	qsort(m->v, m->n, sizeof(m->v[0]), dl_cmp);
	for (i = 0; i < m->n && rc == 0; i++)
		rc = fn(arg, &m->v[i]);
	m->n = 0;
	return rc;
}

/*
 * Call fn for every entry with a deadline on or before `to`, by day: a
 * month is read whole, then sorted, so fn may write in txn (a cursor would
 * not survive it).  Stops at fn's first nonzero return and returns it.
 */
static int
dl_each(struct store *s, MDB_txn *txn, int32_t to,
    int (*fn)(void *arg, struct store_deadline *dl), void *arg)
{
	unsigned char key[4];
	struct dl_rows m = { NULL, 0, 0 };
	struct store_deadline dl, *nv;
	MDB_cursor *cur = NULL;
	uint32_t month = 0, last = dl_month(to);
	MDB_val k, v;
	int rc = 0, mrc;

	if ((mrc = mdb_cursor_open(txn, s->deadlines, &cur)) != 0)
		return store_err(mrc, "deadlines cursor");
	for (mrc = mdb_cursor_get(cur, &k, &v, MDB_FIRST); mrc == 0;
	     mrc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < 4)
			continue;
		if (be32_get(k.mv_data) > last)
			break;
		if (be32_get(k.mv_data) != month) {
			month = be32_get(k.mv_data);
			mdb_cursor_close(cur);
			cur = NULL;
			if ((rc = dl_rows_flush(&m, fn, arg)) != 0)
				goto done;
			/* fn may have written: seek the month again. */
			if ((mrc = mdb_cursor_open(txn, s->deadlines, &cur)) !=
			    0)
				break;
			be32_put(key, month);
			k.mv_data = key;
			k.mv_size = sizeof(key);
			if ((mrc = mdb_cursor_get(
				 cur, &k, &v, MDB_SET_RANGE)) != 0)
				break;
		}
		if (!dl_split(&k, &v, &dl) || dl.deadline > to)
			continue;
		if (m.n == m.cap) {
			m.cap = m.cap ? m.cap * 2 : 256;
			if ((nv = realloc(m.v, m.cap * sizeof(*nv))) == NULL) {
				rc = IRK_ENOMEM;
				goto done;
			}
			m.v = nv;
		}
		m.v[m.n++] = dl;
	}
	if (cur != NULL) {
		mdb_cursor_close(cur);
		cur = NULL;
	}
	if (mrc != 0 && mrc != MDB_NOTFOUND)
		rc = store_err(mrc, "deadlines");
	else
		rc = dl_rows_flush(&m, fn, arg);
done:
	if (cur != NULL)
		mdb_cursor_close(cur);
	free(m.v);
	return rc;
}

struct sweep_ctx {
	struct store *s;
	MDB_txn *txn;
	int32_t today;
	uint64_t written;
};

static int
sweep_one(void *arg, struct store_deadline *dl)
{
	struct sweep_ctx *c = arg;
	struct store_breach b;
	uint8_t kind;
	bool done;
	int rc;

	if (dl->resolved <= c->today)
		return 0; /* done, or no longer owed */
	kind = dl->deadline < c->today ? BREACH_OVERDUE : BREACH_DUE_SOON;
	if ((rc = marked(c->s, c->txn, kind, dl->series, dl->child,
		 dl->deadline, &done)) != 0 ||
	    done)
		return rc;
	breach_fill(&b, kind, dl->series, dl->child, dl->deadline, dl->start,
	    dl->resolved, c->today);
	if ((rc = breach_append(c->s, c->txn, &b)) != 0)
		return rc;
	c->written++;
	return 0;
}

static int
sweep_txn(struct store *s, MDB_txn *txn, int32_t today, int32_t soon_until,
    uint64_t *written)
{
	struct sweep_ctx c = { s, txn, today, 0 };
	int rc;

	rc = dl_each(s, txn, soon_until, sweep_one, &c);
	*written = c.written;
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

struct deadlines_ctx {
	struct store *s;
	MDB_txn *txn;
	int (*fn)(void *arg, const struct store_deadline *dl);
	void *arg;
};

static int
deadlines_one(void *arg, struct store_deadline *dl)
{
	struct deadlines_ctx *c = arg;
	int rc;

	if ((rc = iros_get(
		 c->s, c->txn, dl->child, dl->iro, sizeof(dl->iro))) != 0)
		return rc;
	return c->fn(c->arg, dl);
}

int
store_deadlines(struct store_view *view, int32_t to,
    int (*fn)(void *arg, const struct store_deadline *dl), void *arg)
{
	struct deadlines_ctx c = { store_view_store(view),
		store_view_txn(view), fn, arg };

	return dl_each(c.s, c.txn, to, deadlines_one, &c);
}
