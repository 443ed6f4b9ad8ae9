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
#include "domain/series.h"

#define POINT_WIRE_FIXED 3 /* kind, shared, rest */

void
points_free(struct points *ps)
{
	free(ps->v);
	ps->v = NULL;
	ps->n = ps->cap = 0;
}

void
points_clear(struct points *ps)
{
	ps->n = 0;
}

static struct point *
points_push(struct points *ps)
{
	struct point *v;
	size_t cap;

	if (ps->n == ps->cap) {
		cap = ps->cap ? ps->cap * 2 : 32;
		if ((v = realloc(ps->v, cap * sizeof(*v))) == NULL)
			return NULL;
		ps->v = v;
		ps->cap = cap;
	}
	return &ps->v[ps->n++];
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
	vsnprintf(p->series, sizeof(p->series), fmt, ap);
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

void
points_normalize(struct points *ps)
{
	size_t i, out = 0;

	if (ps->n == 0)
		return;
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

static size_t
common_prefix(const char *a, const char *b)
{
	size_t i = 0;

	while (a[i] != '\0' && a[i] == b[i] && i < 255)
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
	size_t i, need, shared, rest;
	char *b, *q;

	for (i = 0; i < ps->n; i++) {
		const struct point *p = &ps->v[i];

		shared = common_prefix(prev, p->series);
		rest = strlen(p->series) - shared;
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
