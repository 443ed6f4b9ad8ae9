/*
 * The counters behind every KPI, and the reader that sums them.
 *
 * A bucket point adds to three counters of its series: its day, its month
 * and its year.  A window is then summed from whole years, whole months and
 * the days left over at its edges, each a short cursor walk, so a query costs
 * the same at ten thousand events as at ten million.
 */
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "store/store_impl.h"

#define BUCKET_KEY_MAX (SERIES_MAX + 1 + 1 + 4)

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

/* Add delta to one counter, deleting it when it comes back to zero. */
static int
counter_add(
    MDB_txn *txn, MDB_dbi dbi, unsigned char *key, size_t klen, int64_t delta)
{
	MDB_val k = { klen, key }, v;
	int64_t n = 0;
	int rc;

	rc = mdb_get(txn, dbi, &k, &v);
	if (rc == 0 && v.mv_size == sizeof(n))
		memcpy(&n, v.mv_data, sizeof(n));
	else if (rc != MDB_NOTFOUND)
		return rc == 0 ? IRK_ESTORE : store_err(rc, "counter");
	n += delta;
	if (n == 0) {
		rc = mdb_del(txn, dbi, &k, NULL);
		return rc == 0 || rc == MDB_NOTFOUND
			   ? 0
			   : store_err(rc, "counter");
	}
	v.mv_data = &n;
	v.mv_size = sizeof(n);
	if ((rc = mdb_put(txn, dbi, &k, &v, 0)) != 0)
		return store_err(rc, "counter");
	return 0;
}

int
buckets_add(struct store *s, MDB_txn *txn, const char *series, int32_t day,
    int64_t delta)
{
	unsigned char key[BUCKET_KEY_MAX];
	size_t slen = strlen(series);
	int rc;

	if ((rc = counter_add(txn, s->buckets, key,
		 bucket_key(key, series, slen, GRAIN_DAY, day), delta)) != 0 ||
	    (rc = counter_add(txn, s->buckets, key,
		 bucket_key(
		     key, series, slen, GRAIN_MONTH, date_month_index(day)),
		 delta)) != 0)
		return rc;
	return counter_add(txn, s->buckets, key,
	    bucket_key(key, series, slen, GRAIN_YEAR, date_year(day)), delta);
}

int
intervals_add(struct store *s, MDB_txn *txn, const char *series, int32_t day,
    int32_t until, int64_t delta)
{
	unsigned char key[SERIES_MAX + 1 + 8];
	size_t slen = strlen(series);

	memcpy(key, series, slen);
	key[slen] = 0;
	be32_put(key + slen + 1, day_key(day));
	be32_put(key + slen + 5, day_key(until));
	return counter_add(txn, s->intervals, key, slen + 9, delta);
}

/* Sum the counters of one series and grain with periods from..to. */
static int
range_sum(MDB_cursor *cur, const char *series, size_t slen, char grain,
    int32_t from, int32_t to, int64_t *acc)
{
	unsigned char key[BUCKET_KEY_MAX];
	MDB_val k, v;
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
		memcpy(&n, v.mv_data, sizeof(n));
		*acc += n;
	}
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "sum");
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
	int y, m, dd, rc;

	*out = 0;
	if (from > to)
		return 0;
	/* The first whole month at or after from, the last at or before to. */
	date_to_ymd(from, &y, &m, &dd);
	m0 = date_month_index(from) + (dd == 1 ? 0 : 1);
	m1 = date_month_index(to) + (to == date_month_last(to) ? 0 : -1);
	if (m0 > m1)
		return range_sum(cur, series, slen, GRAIN_DAY, from, to, out);
	if ((rc = range_sum(cur, series, slen, GRAIN_DAY, from,
		 date_month_first(m0) - 1, out)) != 0 ||
	    (rc = range_sum(cur, series, slen, GRAIN_DAY,
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

static int
reader_open(void *ctx, const char *series, int32_t from, int32_t to,
    int32_t at, int64_t *out)
{
	struct store_view *v = ctx;
	unsigned char key[SERIES_MAX + 1 + 8];
	size_t slen = strlen(series);
	MDB_cursor *cur;
	MDB_val k, val;
	int64_t n;
	int rc;

	*out = 0;
	if ((rc = mdb_cursor_open(store_view_txn(v),
		 store_view_store(v)->intervals, &cur)) != 0)
		return store_err(rc, "cursor");
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
		memcpy(&n, val.mv_data, sizeof(n));
		*out += n;
	}
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "open");
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
