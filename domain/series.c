/*
 * Point lists: building, normalising, diffing and the storage encoding.
 * The encoding (points_encode) is prefix-compressed names and varints: a
 * child's list is rewritten whenever the child changes, so its size is what
 * an ingest commit writes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/grow.h"
#include "domain/names.h"
#include "domain/series.h"

#define POINT_WIRE_FIXED 3 /* kind, shared, rest */

void
points_free(struct points *ps)
{
	free(ps->v);
	free(ps->tmp);
	free(ps->scratch);
	name_ranks_free(ps->names);
	memset(ps, 0, sizeof(*ps));
}

void
points_clear(struct points *ps)
{
	ps->n = 0;
}

static struct point *
points_push(struct points *ps)
{
	if (grow(&ps->v, &ps->cap, ps->n + 1, sizeof(ps->v[0]), 32) != 0)
		return NULL;
	return &ps->v[ps->n++];
}

/* Append len bytes of s to the name out[0..o), as far as it has room. */
static size_t
name_append(char *out, size_t o, const char *s, size_t len)
{
	if (len > SERIES_MAX - 1 - o)
		len = SERIES_MAX - 1 - o;
	memcpy(out + o, s, len);
	return o + len;
}

/*
 * vsnprintf into a name of SERIES_MAX, done here for the formats the facts
 * use, literal text and %s, since printf's machinery was a twentieth of a
 * rebuild; any other format goes to vsnprintf, from the start.
 */
static size_t
series_format(char *out, const char *fmt, va_list ap)
{
	const char *f, *pct, *a;
	size_t o = 0;
	va_list cp;

	va_copy(cp, ap);
	for (f = fmt; (pct = strchr(f, '%')) != NULL; f = pct + 2) {
		if (pct[1] != 's') {
			vsnprintf(out, SERIES_MAX, fmt, cp);
			va_end(cp);
			return strlen(out);
		}
		o = name_append(out, o, f, (size_t)(pct - f));
		a = va_arg(ap, const char *);
		o = name_append(out, o, a, strlen(a));
	}
	va_end(cp);
	o = name_append(out, o, f, strlen(f));
	out[o] = '\0';
	return o;
}

static int
points_vadd(struct points *ps, uint8_t kind, int32_t day, int32_t until,
    int64_t n, const char *fmt, va_list ap)
{
	struct point *p;

	if ((p = points_push(ps)) == NULL)
		return IRK_ENOMEM;
	p->kind = kind;
	p->day = day;
	p->until = until;
	p->n = n;
	p->len = (uint8_t)series_format(p->series, fmt, ap);
	return 0;
}

int
points_bucket(struct points *ps, int32_t day, int64_t n, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = points_vadd(ps, PK_BUCKET, day, 0, n, fmt, ap);
	va_end(ap);
	return rc;
}

int
points_interval(
    struct points *ps, int32_t day, int32_t until, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = points_vadd(ps, PK_INTERVAL, day, until, 1, fmt, ap);
	va_end(ap);
	return rc;
}

int
points_member(
    struct points *ps, int32_t day, int64_t flags, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = points_vadd(ps, PK_MEMBER, day, 0, flags, fmt, ap);
	va_end(ap);
	return rc;
}

/* Order of identity: kind, series, then day and until (not for members). */
static int
point_key_cmp(const struct point *a, const struct point *b)
{
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if ((c = strcmp(a->series, b->series)) != 0)
		return c;
	if (a->kind == PK_MEMBER)
		return 0;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if (a->until != b->until)
		return a->until < b->until ? -1 : 1;
	return 0;
}

static int
point_sort_cmp(const void *x, const void *y)
{
	const struct point *a = x, *b = y;
	int c;

	if ((c = point_key_cmp(a, b)) != 0)
		return c;
	/* Members of one group: a deterministic survivor, the earliest day. */
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return 0;
}

/*
 * Sorting compares names only among a list's members: each point's name is
 * ranked, and the rank goes with the point's kind, day and until into two
 * integers (its order of identity), which sort with its index; strcmp in
 * qsort was a twelfth of a rebuild.  Bucket and interval names are few and
 * come back in every list, so they are ranked among all the names seen
 * (names.h).  A member point names its meeting, seldom seen again: members are
 * ranked among the list's own, as points of other kinds never compare with
 * them.
 */
struct point_key {
	uint64_t hi; /* kind, rank of the name, day */
	uint64_t lo; /* until, index in the list */
};

/* The most points sorted by key: a rank and an index fit 24 and 32 bits. */
#define POINT_KEYS_MAX ((size_t)1 << 24)

static bool
key_less(const struct point_key *a, const struct point_key *b)
{
	return a->hi != b->hi ? a->hi < b->hi : a->lo < b->lo;
}

/* Sort k[0..n) (distinct keys), t a scratch of n: runs of 16, merged. */
static struct point_key *
keys_sort(struct point_key *k, struct point_key *t, size_t n)
{
	struct point_key x, *src = k, *dst = t, *sw;
	size_t i, j, w, lo, mid, hi, a, b, o;

	for (i = 0; i < n; i += 16) {
		hi = i + 16 < n ? i + 16 : n;
		for (j = i + 1; j < hi; j++) {
			x = k[j];
			for (w = j; w > i && key_less(&x, &k[w - 1]); w--)
				k[w] = k[w - 1];
			k[w] = x;
		}
	}
	for (w = 16; w < n; w *= 2) {
		for (lo = 0; lo < n; lo += 2 * w) {
			mid = lo + w < n ? lo + w : n;
			hi = lo + 2 * w < n ? lo + 2 * w : n;
			for (a = lo, b = mid, o = lo; o < hi; o++)
				dst[o] =
				    b >= hi || (a < mid &&
						   !key_less(&src[b], &src[a]))
					? src[a++]
					: src[b++];
		}
		sw = src;
		src = dst;
		dst = sw;
	}
	return src;
}

/* The scratch of points_normalize for n points: keys and their merge
 * buffer, the members, and the merged list. */
static int
scratch_reserve(struct points *ps, size_t n)
{
	size_t need = 2 * n * sizeof(struct point_key) +
		      n * sizeof(const struct point *);
	struct point *t;
	void *sc;

	if (ps->tmpcap < n) {
		if ((t = realloc(ps->tmp, n * sizeof(*t))) == NULL)
			return IRK_ENOMEM;
		ps->tmp = t;
		ps->tmpcap = n;
	}
	if (ps->scratchlen < need) {
		if ((sc = realloc(ps->scratch, need)) == NULL)
			return IRK_ENOMEM;
		ps->scratch = sc;
		ps->scratchlen = need;
	}
	return 0;
}

static int
point_name_cmp(const void *x, const void *y)
{
	return strcmp((*(const struct point *const *)x)->series,
	    (*(const struct point *const *)y)->series);
}

/* The members' ranks among themselves, into keys[i].hi for member i. */
static void
members_rank(const struct points *ps, const struct point **m, size_t nm,
    struct point_key *keys)
{
	uint32_t r = 0;
	size_t j;

	qsort(m, nm, sizeof(m[0]), point_name_cmp);
	for (j = 0; j < nm; j++) {
		if (j > 0 && point_name_cmp(&m[j - 1], &m[j]) != 0)
			r++;
		keys[m[j] - ps->v].hi = r;
	}
}

/* Each point's key, sorted, in *sorted: 0 or an error. */
static int
points_keys(struct points *ps, struct point_key **sorted)
{
	size_t n = ps->n, i, nm = 0;
	struct point_key *keys;
	const struct point **members;
	const uint32_t *rank;
	uint32_t id;
	int rc;

	if ((rc = scratch_reserve(ps, n)) != 0 ||
	    (rc = name_ranks_reserve(&ps->names, n)) != 0)
		return rc;
	keys = ps->scratch;
	members = (const struct point **)(keys + 2 * n);
	for (i = 0; i < n; i++) {
		const struct point *p = &ps->v[i];

		if (p->kind == PK_MEMBER) {
			members[nm++] = p;
			continue;
		}
		if ((rc = name_ranks_find(
			 ps->names, p->series, p->len, &id)) != 0)
			return rc;
		keys[i].hi = id; /* until ranked */
	}
	rank = name_ranks_settle(ps->names);
	members_rank(ps, members, nm, keys);
	for (i = 0; i < n; i++) {
		const struct point *p = &ps->v[i];
		uint64_t r =
		    p->kind == PK_MEMBER ? keys[i].hi : rank[keys[i].hi];

		keys[i].hi = (uint64_t)p->kind << 56 | r << 32 |
			     ((uint32_t)p->day ^ 0x80000000u);
		keys[i].lo =
		    (uint64_t)((uint32_t)p->until ^ 0x80000000u) << 32 | i;
	}
	*sorted = keys_sort(keys, keys + n, n);
	return 0;
}

/* Merge equal points of the sorted keys into ps->tmp, which becomes v. */
static void
points_merge(struct points *ps, const struct point_key *k)
{
	struct point *out = ps->tmp, *sw;
	size_t i, o = 0, cap;

	for (i = 0; i < ps->n; i++) {
		const struct point *p = &ps->v[(uint32_t)k[i].lo];
		bool same =
		    i > 0 && (p->kind == PK_MEMBER
				     ? k[i].hi >> 32 == k[i - 1].hi >> 32
				     : k[i].hi == k[i - 1].hi &&
					   k[i].lo >> 32 == k[i - 1].lo >> 32);

		if (same) {
			if (p->kind == PK_MEMBER)
				out[o - 1].n |= p->n;
			else
				out[o - 1].n += p->n;
		} else
			out[o++] = *p;
	}
	sw = ps->v;
	ps->v = out;
	ps->tmp = sw;
	cap = ps->cap;
	ps->cap = ps->tmpcap;
	ps->tmpcap = cap;
	ps->n = o;
}

/* The slow path, for a list too long for keys or out of memory. */
static void
points_sort_merge(struct points *ps)
{
	size_t i, out = 0;

	qsort(ps->v, ps->n, sizeof(ps->v[0]), point_sort_cmp);
	for (i = 0; i < ps->n; i++) {
		struct point *p = &ps->v[i];

		if (out > 0 && point_key_cmp(&ps->v[out - 1], p) == 0) {
			if (p->kind == PK_MEMBER)
				ps->v[out - 1].n |= p->n;
			else
				ps->v[out - 1].n += p->n;
			continue;
		}
		if (out != i)
			ps->v[out] = *p;
		out++;
	}
	ps->n = out;
}

void
points_normalize(struct points *ps)
{
	struct point_key *k;
	size_t i, out;

	if (ps->n == 0)
		return;
	if (ps->n < POINT_KEYS_MAX && points_keys(ps, &k) == 0)
		points_merge(ps, k);
	else
		points_sort_merge(ps);
	for (i = out = 0; i < ps->n; i++) {
		if (ps->v[i].kind != PK_MEMBER && ps->v[i].n == 0)
			continue;
		if (out != i)
			ps->v[out] = ps->v[i];
		out++;
	}
	ps->n = out;
}

int
points_diff(const struct points *old, const struct points *new,
    int (*fn)(void *, const struct point *, int64_t), void *arg)
{
	size_t i = 0, j = 0;
	int c, rc;

	while (i < old->n || j < new->n) {
		const struct point *a = i < old->n ? &old->v[i] : NULL;
		const struct point *b = j < new->n ? &new->v[j] : NULL;

		if (a == NULL)
			c = 1;
		else if (b == NULL)
			c = -1;
		else
			c = point_key_cmp(a, b);
		if (c < 0) {
			rc = fn(arg, a, a->kind == PK_MEMBER ? -1 : -a->n);
			i++;
		} else if (c > 0) {
			rc = fn(arg, b, b->kind == PK_MEMBER ? 1 : b->n);
			j++;
		} else {
			rc = 0;
			if (a->kind == PK_MEMBER) {
				if (a->n != b->n || a->day != b->day) {
					if ((rc = fn(arg, a, -1)) == 0)
						rc = fn(arg, b, 1);
				}
			} else if (a->n != b->n)
				rc = fn(arg, b, b->n - a->n);
			i++;
			j++;
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

size_t
varint_put(char *q, int64_t v)
{
	uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
	size_t k = 0;

	while (u >= 0x80) {
		q[k++] = (char)(u | 0x80);
		u >>= 7;
	}
	q[k++] = (char)u;
	return k;
}

int
varint_get(const char *buf, size_t len, size_t *off, int64_t *v)
{
	uint64_t u = 0;
	unsigned shift;

	for (shift = 0; shift < 64; shift += 7) {
		unsigned char b;

		if (*off >= len)
			return IRK_EPROTO;
		b = (unsigned char)buf[(*off)++];
		u |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
			return 0;
		}
	}
	return IRK_EPROTO;
}

/* Bytes a and b share at their start, at most 255; a word at a time, as
 * neighbours in a list share most of their names or all of them. */
static size_t
common_prefix(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t n = alen < blen ? alen : blen, i = 0;
	uint64_t x, y;

	if (n > 255)
		n = 255;
	for (; i + 8 <= n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if (x != y)
			break;
	}
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/*
 * Per point: kind u8; the length of the name it shares with the previous
 * point's (u8) and of the rest (u8), the rest; then zigzag varints of day
 * (from the previous point's day), until (from day, for an interval) and n.
 * A normalised list is sorted by name and day, so most points cost a few
 * bytes and a child's list stays inside one LMDB page.
 */
int
points_encode(const struct points *ps, char **buf, size_t *len, size_t *cap)
{
	const char *prev = "";
	int32_t prevday = 0;
	size_t i, need, shared, rest, slen, prevlen = 0;
	char *b, *q;

	for (i = 0; i < ps->n; i++) {
		const struct point *p = &ps->v[i];

		slen = p->len;
		shared = common_prefix(prev, prevlen, p->series, slen);
		rest = slen - shared;
		need = *len + POINT_WIRE_FIXED + rest + 3 * 10;
		if (need > *cap) {
			size_t ncap = *cap ? *cap : 256;

			while (ncap < need)
				ncap *= 2;
			if ((b = realloc(*buf, ncap)) == NULL)
				return IRK_ENOMEM;
			*buf = b;
			*cap = ncap;
		}
		q = *buf + *len;
		*q++ = (char)p->kind;
		*q++ = (char)shared;
		*q++ = (char)rest;
		memcpy(q, p->series + shared, rest);
		q += rest;
		q += varint_put(q, (int64_t)p->day - prevday);
		q += varint_put(q, p->kind == PK_INTERVAL
				       ? (int64_t)p->until - p->day
				       : (int64_t)p->until);
		q += varint_put(q, p->n);
		*len = (size_t)(q - *buf);
		prev = p->series;
		prevlen = slen;
		prevday = p->day;
	}
	return 0;
}

int
points_decode(const char *buf, size_t len, struct points *ps)
{
	size_t off = 0, shared, rest, prevlen = 0;
	int32_t prevday = 0;
	int64_t day, until, n;
	struct point *p;

	points_clear(ps);
	while (off < len) {
		if (len - off < 3 || (unsigned char)buf[off] > PK_MEMBER)
			return IRK_EPROTO;
		shared = (unsigned char)buf[off + 1];
		rest = (unsigned char)buf[off + 2];
		if (shared > prevlen || shared + rest >= SERIES_MAX ||
		    len - off - 3 < rest)
			return IRK_EPROTO;
		if ((p = points_push(ps)) == NULL)
			return IRK_ENOMEM;
		p->kind = (uint8_t)buf[off];
		if (ps->n > 1)
			memcpy(p->series, ps->v[ps->n - 2].series, shared);
		memcpy(p->series + shared, buf + off + 3, rest);
		p->series[shared + rest] = '\0';
		p->len = (uint8_t)(shared + rest);
		off += 3 + rest;
		if (varint_get(buf, len, &off, &day) != 0 ||
		    varint_get(buf, len, &off, &until) != 0 ||
		    varint_get(buf, len, &off, &n) != 0)
			return IRK_EPROTO;
		day += prevday;
		if (p->kind == PK_INTERVAL)
			until += day;
		if (day < INT32_MIN || day > INT32_MAX || until < INT32_MIN ||
		    until > INT32_MAX)
			return IRK_EPROTO;
		p->day = (int32_t)day;
		p->until = (int32_t)until;
		p->n = n;
		prevday = p->day;
		prevlen = shared + rest;
	}
	return 0;
}

bool
points_equal(const struct points *a, const struct points *b)
{
	size_t i;

	if (a->n != b->n)
		return false;
	for (i = 0; i < a->n; i++)
		if (point_key_cmp(&a->v[i], &b->v[i]) != 0 ||
		    a->v[i].n != b->v[i].n || a->v[i].day != b->v[i].day)
			return false;
	return true;
}
