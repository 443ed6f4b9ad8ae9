/*
 * The counters behind every KPI, and the reader that sums them.
 *
 * A bucket point adds to two records of its series: its month's and its
 * year's.  A month record holds the month's total and the count of each of
 * its days, so a window is summed from whole years, whole months and the
 * days left over at its edges (read from at most two month records), a few
 * cursor steps whatever the size of the log.
 *
 * Days are kept inside their month rather than as keys of their own for the
 * writer's sake: a batch re-derives children whose points fall on days all
 * over the years, and with a key a day those deltas touched nearly every
 * page of the database, each copied and written at every commit.  A month
 * record gathers thirty-odd day keys into one, which makes the database
 * several times smaller and a batch's dirty pages as many times fewer.
 *
 * Intervals (a deadline due on a day, resolved on another or not yet) are
 * counted twice: by their exact days, and in `opens` by the month they
 * start in and the month they end in, each such cell a month record of
 * their end days.  "Due in the window and still open after a day" then
 * reads, for each whole month of the window, the cells from that day's
 * month on, however many intervals the month holds; only the days at the
 * window's ragged edges are walked an interval at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/grow.h"
#include "domain/hash.h"
#include "store/store_impl.h"

#define BUCKET_KEY_MAX (SERIES_MAX + 1 + 1 + 4)

/*
 * A month record's value: the month's total, a bitmap of the days that
 * have a count (bit d - 1 for day d), then those counts in day order, each
 * a varint (series.h): most take a byte, which keeps the database, and so
 * what a commit writes, small.  A day whose count comes back to zero
 * leaves the bitmap, and a month with none is deleted, so the encoding is
 * canonical.
 */
#define MONTH_REC_MAX (33 * VARINT_MAX)

struct month {
	int64_t total;
	int64_t day[32]; /* day[1..31] */
};

static int
month_decode(const MDB_val *v, struct month *m)
{
	const char *p = v->mv_data;
	size_t off = 0;
	int64_t bits;
	int d;

	memset(m, 0, sizeof(*m));
	if (varint_get(p, v->mv_size, &off, &m->total) != 0 ||
	    varint_get(p, v->mv_size, &off, &bits) != 0)
		return IRK_ESTORE;
	for (d = 1; d <= 31; d++)
		if ((bits & (int64_t)1 << (d - 1)) != 0 &&
		    varint_get(p, v->mv_size, &off, &m->day[d]) != 0)
			return IRK_ESTORE;
	return off == v->mv_size ? 0 : IRK_ESTORE;
}

/* The record's length in buf, or 0 when no day has a count. */
static size_t
month_encode(const struct month *m, char buf[MONTH_REC_MAX])
{
	int64_t bits = 0;
	size_t off;
	int d;

	for (d = 1; d <= 31; d++)
		if (m->day[d] != 0)
			bits |= (int64_t)1 << (d - 1);
	if (bits == 0)
		return 0;
	off = varint_put(buf, m->total);
	off += varint_put(buf + off, bits);
	for (d = 1; d <= 31; d++)
		if (m->day[d] != 0)
			off += varint_put(buf + off, m->day[d]);
	return off;
}

/* series 0x00 grain period(u32 BE) */
static size_t
bucket_key(unsigned char *buf, const char *series, size_t slen, char grain,
    int32_t period)
{
	memcpy(buf, series, slen);
	buf[slen] = 0;
	buf[slen + 1] = (unsigned char)grain;
	be32_put(buf + slen + 2, day_key(period));
	return slen + 6;
}

/* A table slot from a key's hash (hash_bytes()). */
static size_t
slot_of(uint64_t hash, size_t nslots)
{
	return (size_t)hash_mix(hash) & (nslots - 1);
}

/*
 * Double the table of slots (at least 4096) and place every delta again,
 * each at the first free slot from slot_of() of its hash.
 */
static int
table_grow(struct deltas *ds)
{
	size_t cap = ds->nslots ? ds->nslots * 2 : 4096, i, j;
	uint32_t *s;

	if ((s = calloc(cap, sizeof(*s))) == NULL)
		return IRK_ENOMEM;
	for (i = 0; i < ds->n; i++) {
		for (j = slot_of(ds->v[i].hash, cap); s[j] != 0;
		     j = (j + 1) & (cap - 1))
			;
		s[j] = (uint32_t)i + 1;
	}
	free(ds->slots);
	ds->slots = s;
	ds->nslots = cap;
	return 0;
}

/* The delta of (which, key), appended when it is new; NULL: no memory. */
static struct delta *
delta_find(struct deltas *ds, int which, const unsigned char *key, size_t klen)
{
	uint64_t hash = hash_bytes(key, klen);
	struct delta *v;
	size_t j;
	uint32_t idx;

	if (2 * (ds->n + 1) > ds->nslots && table_grow(ds) != 0)
		return NULL;
	for (j = slot_of(hash, ds->nslots); (idx = ds->slots[j]) != 0;
	     j = (j + 1) & (ds->nslots - 1)) {
		v = &ds->v[idx - 1];
		if (v->hash == hash && v->which == which && v->len == klen &&
		    memcmp(ds->keys + v->off, key, klen) == 0)
			return v;
	}
	if (grow(&ds->v, &ds->cap, ds->n + 1, sizeof(ds->v[0]), 1024) != 0 ||
	    grow(&ds->keys, &ds->kcap, ds->klen + klen, 1, 65536) != 0)
		return NULL;
	memcpy(ds->keys + ds->klen, key, klen);
	v = &ds->v[ds->n++];
	memset(v, 0, sizeof(*v));
	v->off = (uint32_t)ds->klen;
	v->len = (uint16_t)klen;
	v->which = (uint8_t)which;
	v->hash = hash;
	ds->klen += klen;
	ds->slots[j] = (uint32_t)ds->n;
	return v;
}

/*
 * Add d to day mday of the month record v.  Its days' changes are kept
 * beside it, a block of 31: a table of (record, day) changes, with a list
 * of them per record for the flush, missed the cache two or three times a
 * point.
 */
static int
day_push(struct deltas *ds, struct delta *v, int mday, int64_t d)
{
	if (v->days == 0) {
		if (grow(&ds->months, &ds->monthscap, ds->nmonths + 1,
			sizeof(ds->months[0]), 256) != 0)
			return IRK_ENOMEM;
		memset(&ds->months[ds->nmonths], 0, sizeof(ds->months[0]));
		v->days = (uint32_t)++ds->nmonths;
	}
	ds->months[v->days - 1].day[mday] += d;
	return 0;
}

/*
 * Add d to the counter (which, key), and to day mday (1-31) of it when it
 * is a month record (mday 0: it is not).  A batch's points fall on far
 * fewer counters than there are points, so merging here keeps what
 * deltas_flush applies small, and recording the days under their month
 * brings each record's changes together without sorting them.
 */
static int
delta_push(struct deltas *ds, int which, int mday, const unsigned char *key,
    size_t klen, int64_t d)
{
	struct delta *v;

	if ((v = delta_find(ds, which, key, klen)) == NULL)
		return IRK_ENOMEM;
	v->d += d;
	if (mday == 0)
		return 0;
	v->month = 1;
	return day_push(ds, v, mday, d);
}

int
buckets_add(struct deltas *ds, const struct point *pt, int64_t delta)
{
	unsigned char key[BUCKET_KEY_MAX];
	int d;
	int32_t month = date_month_day(pt->day, &d);

	return delta_push(ds, 0, d, key,
	    bucket_key(key, pt->series, pt->len, GRAIN_MONTH, month), delta);
}

/* series 0x00 month(u32 BE) until month(u32 BE) */
static size_t
open_key(unsigned char *buf, const char *series, size_t slen, int32_t month,
    uint32_t until_month)
{
	memcpy(buf, series, slen);
	buf[slen] = 0;
	be32_put(buf + slen + 1, day_key(month));
	be32_put(buf + slen + 5, until_month);
	return slen + 9;
}

/* An opens key's until month: OPEN_NEVER while open. */
static uint32_t
until_month(int32_t until)
{
	return until == DAY_NEVER ? OPEN_NEVER
				  : day_key(date_month_index(until));
}

int
intervals_add(struct deltas *ds, const struct point *pt, int64_t delta)
{
	unsigned char key[SERIES_MAX + 1 + 8];
	const char *series = pt->series;
	size_t slen = pt->len;
	int32_t day = pt->day, until = pt->until;
	int y, m, d = 1, rc;

	memcpy(key, series, slen);
	key[slen] = 0;
	be32_put(key + slen + 1, day_key(day));
	be32_put(key + slen + 5, day_key(until));
	if ((rc = delta_push(
		 ds, COUNTER_INTERVALS, 0, key, slen + 9, delta)) != 0)
		return rc;
	if (until != DAY_NEVER)
		date_to_ymd(until, &y, &m, &d);
	return delta_push(ds, COUNTER_OPENS, d, key,
	    open_key(
		key, series, slen, date_month_index(day), until_month(until)),
	    delta);
}

/* Add d to one counter, deleting it when it comes back to zero. */
static int
counter_add(MDB_cursor *cur, MDB_val *k, int64_t d)
{
	MDB_val v;
	int64_t n = 0;
	int rc;

	rc = mdb_cursor_get(cur, k, &v, MDB_SET);
	if (rc == 0) {
		if (v.mv_size != sizeof(n))
			return IRK_ESTORE;
		memcpy(&n, v.mv_data, sizeof(n));
		n += d;
		if (n == 0)
			rc = mdb_cursor_del(cur, 0);
		else {
			v.mv_data = &n;
			v.mv_size = sizeof(n);
			rc = mdb_cursor_put(cur, k, &v, MDB_CURRENT);
		}
	} else if (rc == MDB_NOTFOUND) {
		v.mv_data = &d;
		v.mv_size = sizeof(d);
		rc = mdb_cursor_put(cur, k, &v, 0);
	}
	return rc == 0 ? 0 : store_err(rc, "counter");
}

/*
 * Add the day changes of the month record v (key k) to it; a record whose
 * days all come back to what they were is not touched.  MDB_SET leaves k
 * pointing at the caller's bytes: a put of another size may move the node
 * that MDB_SET_KEY would have pointed k at.
 */
static int
month_add(MDB_cursor *cur, MDB_val *k, const struct deltas *ds,
    const struct delta *v)
{
	const int64_t *change = ds->months[v->days - 1].day;
	char buf[MONTH_REC_MAX];
	struct month m;
	MDB_val val;
	size_t len;
	int d, rc;

	for (d = 1; d <= 31 && change[d] == 0; d++)
		;
	if (d > 31)
		return 0;
	rc = mdb_cursor_get(cur, k, &val, MDB_SET);
	if (rc == 0 && month_decode(&val, &m) != 0)
		return IRK_ESTORE;
	if (rc == MDB_NOTFOUND)
		memset(&m, 0, sizeof(m));
	else if (rc != 0)
		return store_err(rc, "month");
	for (d = 1; d <= 31; d++) {
		m.day[d] += change[d];
		m.total += change[d];
	}
	if ((len = month_encode(&m, buf)) == 0)
		rc = rc == 0 ? mdb_cursor_del(cur, 0) : 0;
	else {
		val.mv_data = buf;
		val.mv_size = len;
		/* Found: replace it where the cursor is, without a search. */
		rc = mdb_cursor_put(cur, k, &val, rc == 0 ? MDB_CURRENT : 0);
	}
	return rc == 0 ? 0 : store_err(rc, "month");
}

/*
 * Add each month's merged change to its year: a point's year counter is
 * found from its month's key here, once per month, rather than hashed and
 * merged again for every point (half the pushes of a rebuild).
 */
static int
years_add(struct deltas *ds)
{
	unsigned char key[BUCKET_KEY_MAX];
	size_t i, n = ds->n, len;
	int32_t month;
	int64_t d;
	int y, m, dd, rc;

	for (i = 0; i < n; i++) {
		if (!ds->v[i].month || ds->v[i].which != COUNTER_BUCKETS ||
		    ds->v[i].d == 0)
			continue;
		len = ds->v[i].len;
		d = ds->v[i].d;
		memcpy(key, ds->keys + ds->v[i].off, len);
		month = day_unkey(be32_get(key + len - 4));
		date_to_ymd(date_month_first(month), &y, &m, &dd);
		key[len - 5] = GRAIN_YEAR;
		be32_put(key + len - 4, day_key(y));
		if ((rc = delta_push(ds, 0, 0, key, len, d)) != 0)
			return rc;
	}
	return 0;
}

/*
 * The counters are written in the order they were first recorded: the
 * order of puts changes nothing in the result, as counts add up in any
 * order, and the month records need no sort to bring their days together.
 */
int
deltas_flush(struct store *s, MDB_txn *txn, struct deltas *ds)
{
	const MDB_dbi dbs[] = { [COUNTER_BUCKETS] = s->buckets,
		[COUNTER_INTERVALS] = s->intervals,
		[COUNTER_OPENS] = s->opens };
	MDB_cursor *cur[NITEMS(dbs)] = { NULL };
	size_t i;
	int rc = 0;

	if (ds->n == 0)
		return 0;
	if ((rc = years_add(ds)) != 0) {
		deltas_reset(ds);
		return rc;
	}
	for (i = 0; i < NITEMS(dbs); i++)
		if ((rc = mdb_cursor_open(txn, dbs[i], &cur[i])) != 0) {
			rc = store_err(rc, "cursor");
			goto done;
		}
	for (i = 0; i < ds->n; i++) {
		const struct delta *v = &ds->v[i];
		MDB_val k;

		k.mv_data = ds->keys + v->off;
		k.mv_size = v->len;
		if (v->month)
			rc = month_add(cur[v->which], &k, ds, v);
		else if (v->d != 0)
			rc = counter_add(cur[v->which], &k, v->d);
		if (rc != 0)
			goto done;
	}
done:
	for (i = 0; i < NITEMS(dbs); i++)
		if (cur[i] != NULL)
			mdb_cursor_close(cur[i]);
	deltas_reset(ds);
	return rc;
}

/* Bytes of the deltas recorded, before a flush: a rebuild's chunk of
 * children touches about 7,000 month records, which fit. */
#define DELTAS_FLUSH_AT (8u << 20)

bool
deltas_full(const struct deltas *ds)
{
	return ds->n * (sizeof(ds->v[0]) + 2 * sizeof(ds->slots[0])) +
		   ds->klen + ds->nmonths * sizeof(ds->months[0]) >
	       DELTAS_FLUSH_AT;
}

void
deltas_reset(struct deltas *ds)
{
	ds->n = 0;
	ds->nmonths = 0;
	ds->klen = 0;
	if (ds->slots != NULL)
		memset(ds->slots, 0, ds->nslots * sizeof(ds->slots[0]));
}

void
deltas_free(struct deltas *ds)
{
	free(ds->v);
	free(ds->months);
	free(ds->keys);
	free(ds->slots);
	memset(ds, 0, sizeof(*ds));
}

/* Sum the counters of one series and grain with periods from..to: a year's
 * count, or a month record's total (its first varint). */
static int
range_sum(MDB_cursor *cur, const char *series, size_t slen, char grain,
    int32_t from, int32_t to, int64_t *acc)
{
	unsigned char key[BUCKET_KEY_MAX];
	MDB_val k, v;
	size_t off;
	int64_t n;
	int rc;

	if (from > to)
		return 0;
	k.mv_data = key;
	k.mv_size = bucket_key(key, series, slen, grain, from);
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		const unsigned char *kp = k.mv_data;

		if (k.mv_size != slen + 6 || memcmp(kp, series, slen) != 0 ||
		    kp[slen] != 0 || kp[slen + 1] != (unsigned char)grain ||
		    day_unkey(be32_get(kp + slen + 2)) > to)
			break;
		off = 0;
		if (grain == GRAIN_MONTH) {
			if (varint_get(v.mv_data, v.mv_size, &off, &n) != 0)
				return IRK_ESTORE;
		} else if (v.mv_size == sizeof(n))
			memcpy(&n, v.mv_data, sizeof(n));
		else
			return IRK_ESTORE;
		*acc += n;
	}
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "sum");
}

/* Sum the day counts of series from..to from their month records. */
static int
days_sum(MDB_cursor *cur, const char *series, size_t slen, int32_t from,
    int32_t to, int64_t *acc)
{
	unsigned char key[BUCKET_KEY_MAX];
	struct month m;
	int32_t last;
	MDB_val k, v;
	int y, mo, d, e, rc;

	for (; from <= to; from = last + 1) {
		last = date_month_last(from);
		if (last > to)
			last = to;
		k.mv_data = key;
		k.mv_size = bucket_key(
		    key, series, slen, GRAIN_MONTH, date_month_index(from));
		if ((rc = mdb_cursor_get(cur, &k, &v, MDB_SET)) ==
		    MDB_NOTFOUND)
			continue;
		if (rc != 0)
			return store_err(rc, "sum");
		if (month_decode(&v, &m) != 0)
			return IRK_ESTORE;
		date_to_ymd(from, &y, &mo, &d);
		for (e = d + (int)(last - from); d <= e; d++)
			*acc += m.day[d];
	}
	return 0;
}

/* The first whole month at or after from, *m0, and the last at or before
 * to, *m1 (none when *m0 > *m1). */
static void
whole_months(int32_t from, int32_t to, int32_t *m0, int32_t *m1)
{
	int y, m, d;

	date_to_ymd(from, &y, &m, &d);
	*m0 = date_month_index(from) + (d == 1 ? 0 : 1);
	*m1 = date_month_index(to) + (to == date_month_last(to) ? 0 : -1);
}

/*
 * from..to as days at the ragged edges, months inside, years in the middle:
 * [from, first month start) days, then months up to the first year start,
 * whole years, months, and the last partial month in days.
 */
static int
window_sum(MDB_cursor *cur, const char *series, int32_t from, int32_t to,
    int64_t *out)
{
	size_t slen = strlen(series);
	int32_t m0, m1, y0, y1;
	int rc;

	*out = 0;
	if (from > to)
		return 0;
	whole_months(from, to, &m0, &m1);
	if (m0 > m1)
		return days_sum(cur, series, slen, from, to, out);
	if ((rc = days_sum(cur, series, slen, from, date_month_first(m0) - 1,
		 out)) != 0 ||
	    (rc = days_sum(cur, series, slen,
		 date_month_last(date_month_first(m1)) + 1, to, out)) != 0)
		return rc;
	/* Whole years inside months m0..m1. */
	y0 = (m0 + 11) / 12;
	y1 = (m1 + 1) / 12 - 1;
	if (y0 > y1)
		return range_sum(cur, series, slen, GRAIN_MONTH, m0, m1, out);
	if ((rc = range_sum(
		 cur, series, slen, GRAIN_MONTH, m0, y0 * 12 - 1, out)) != 0 ||
	    (rc = range_sum(
		 cur, series, slen, GRAIN_MONTH, (y1 + 1) * 12, m1, out)) != 0)
		return rc;
	return range_sum(cur, series, slen, GRAIN_YEAR, y0, y1, out);
}

static int
reader_sum(
    void *ctx, const char *series, int32_t from, int32_t to, int64_t *out)
{
	struct store_view *v = ctx;
	MDB_cursor *cur;
	int rc;

	if ((rc = mdb_cursor_open(
		 store_view_txn(v), store_view_store(v)->buckets, &cur)) != 0)
		return store_err(rc, "cursor");
	rc = window_sum(cur, series, from, to, out);
	mdb_cursor_close(cur);
	return rc;
}

/* Add the intervals of series that start on a day from..to and end after
 * at, from the intervals' own keys. */
static int
open_walk(MDB_cursor *cur, const char *series, size_t slen, int32_t from,
    int32_t to, int32_t at, int64_t *acc)
{
	unsigned char key[SERIES_MAX + 1 + 8];
	MDB_val k, val;
	int64_t n;
	int rc;

	if (from > to)
		return 0;
	memcpy(key, series, slen);
	key[slen] = 0;
	be32_put(key + slen + 1, day_key(from));
	be32_put(key + slen + 5, 0);
	k.mv_data = key;
	k.mv_size = slen + 9;
	for (rc = mdb_cursor_get(cur, &k, &val, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
		const unsigned char *kp = k.mv_data;

		if (k.mv_size != slen + 9 || memcmp(kp, series, slen) != 0 ||
		    kp[slen] != 0 || day_unkey(be32_get(kp + slen + 1)) > to)
			break;
		if (day_unkey(be32_get(kp + slen + 5)) <= at)
			continue;
		if (val.mv_size != sizeof(n))
			return IRK_ESTORE;
		memcpy(&n, val.mv_data, sizeof(n));
		*acc += n;
	}
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "open");
}

/*
 * The same for the intervals that start in months m0..m1, from opens: in
 * each month, seek to the cell of at's month, count the days after at's
 * in it and every later cell whole.  A month costs a seek and the cells
 * it ends in from at's month on, however many intervals it holds; months
 * without a cell are skipped to the next that has one.
 */
static int
open_months(MDB_cursor *cur, const char *series, size_t slen, int32_t m0,
    int32_t m1, int32_t at, int64_t *acc)
{
	unsigned char key[SERIES_MAX + 1 + 8];
	uint32_t am = 0, um;
	struct month rec;
	int32_t month;
	MDB_val k, val;
	size_t off;
	int64_t n;
	int y, m, ad = 0, d, rc = 0;

	if (at != INT32_MIN) { /* INT32_MIN: every interval, from cell 0 */
		am = until_month(at);
		date_to_ymd(at, &y, &m, &ad);
	}
	for (month = m0; month <= m1;) {
		k.mv_data = key;
		k.mv_size = open_key(key, series, slen, month, am);
		for (rc = mdb_cursor_get(cur, &k, &val, MDB_SET_RANGE);
		     rc == 0; rc = mdb_cursor_get(cur, &k, &val, MDB_NEXT)) {
			const unsigned char *kp = k.mv_data;

			if (k.mv_size != slen + 9 ||
			    memcmp(kp, series, slen) != 0 || kp[slen] != 0)
				return 0; /* past the series */
			if (be32_get(kp + slen + 1) != day_key(month))
				break;
			um = be32_get(kp + slen + 5);
			if (um == am) {
				if (month_decode(&val, &rec) != 0)
					return IRK_ESTORE;
				for (d = ad + 1; d <= 31; d++)
					*acc += rec.day[d];
				continue;
			}
			off = 0;
			if (varint_get(val.mv_data, val.mv_size, &off, &n) !=
			    0)
				return IRK_ESTORE;
			*acc += n;
		}
		if (rc == MDB_NOTFOUND)
			return 0;
		if (rc != 0)
			return store_err(rc, "open");
		/* At the series' next month with a cell. */
		month = day_unkey(
		    be32_get((const unsigned char *)k.mv_data + slen + 1));
	}
	return 0;
}

/* Whole months from opens, the days at the window's ragged edges from
 * intervals (as window_sum() does with days). */
static int
reader_open(void *ctx, const char *series, int32_t from, int32_t to,
    int32_t at, int64_t *out)
{
	struct store_view *v = ctx;
	struct store *s = store_view_store(v);
	MDB_cursor *walk = NULL, *months = NULL;
	size_t slen = strlen(series);
	int32_t m0, m1;
	int rc;

	*out = 0;
	if (from > to || at == DAY_NEVER) /* nothing ends after never */
		return 0;
	if ((rc = mdb_cursor_open(store_view_txn(v), s->intervals, &walk)) !=
		0 ||
	    (rc = mdb_cursor_open(store_view_txn(v), s->opens, &months)) !=
		0) {
		rc = store_err(rc, "cursor");
		goto done;
	}
	whole_months(from, to, &m0, &m1);
	if (m0 > m1)
		rc = open_walk(walk, series, slen, from, to, at, out);
	else if ((rc = open_walk(walk, series, slen, from,
		      date_month_first(m0) - 1, at, out)) == 0 &&
		 (rc = open_walk(walk, series, slen,
		      date_month_last(date_month_first(m1)) + 1, to, at,
		      out)) == 0)
		rc = open_months(months, series, slen, m0, m1, at, out);
done:
	if (months != NULL)
		mdb_cursor_close(months);
	if (walk != NULL)
		mdb_cursor_close(walk);
	return rc;
}

static int
reader_each(void *ctx, const char *prefix, int32_t from, int32_t to,
    int (*fn)(void *, const char *, int64_t), void *arg)
{
	struct store_view *v = ctx;
	unsigned char key[BUCKET_KEY_MAX];
	char series[SERIES_MAX];
	size_t plen = strlen(prefix), slen;
	MDB_cursor *scan = NULL, *sum = NULL;
	MDB_txn *txn = store_view_txn(v);
	MDB_dbi dbi = store_view_store(v)->buckets;
	MDB_val k, val;
	int64_t n;
	int rc;

	if ((rc = mdb_cursor_open(txn, dbi, &scan)) != 0 ||
	    (rc = mdb_cursor_open(txn, dbi, &sum)) != 0) {
		rc = store_err(rc, "cursor");
		goto done;
	}
	memcpy(key, prefix, plen);
	k.mv_data = key;
	k.mv_size = plen;
	for (rc = mdb_cursor_get(scan, &k, &val, MDB_SET_RANGE); rc == 0;) {
		const char *kp = k.mv_data;

		if (k.mv_size < plen || memcmp(kp, prefix, plen) != 0)
			break;
		slen = strnlen(kp, k.mv_size);
		if (slen >= sizeof(series) || slen == k.mv_size) {
			rc = IRK_ESTORE;
			goto done;
		}
		memcpy(series, kp, slen);
		series[slen] = '\0';
		if ((rc = window_sum(sum, series, from, to, &n)) != 0 ||
		    (rc = fn(arg, series + plen, n)) != 0)
			goto done;
		/* Skip this series: the next key after series 0x00 0xff... */
		memcpy(key, series, slen);
		key[slen] = 1;
		k.mv_data = key;
		k.mv_size = slen + 1;
		rc = mdb_cursor_get(scan, &k, &val, MDB_SET_RANGE);
	}
	rc = rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "each");
done:
	if (sum != NULL)
		mdb_cursor_close(sum);
	if (scan != NULL)
		mdb_cursor_close(scan);
	return rc;
}

void
buckets_reader_init(struct series_reader *r, struct store_view *v)
{
	r->ctx = v;
	r->sum = reader_sum;
	r->open = reader_open;
	r->each = reader_each;
}
