/*
 * Point lists: building, normalising, diffing and the storage encoding.
 * The encoding is native-endian because it never leaves the machine's LMDB
 * file: kind u8, day i32, until i32, n i64, name length u8, name bytes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/err.h"
#include "domain/series.h"

#define POINT_WIRE_FIXED (1 + 4 + 4 + 8 + 1)

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

int
points_encode(const struct points *ps, char **buf, size_t *len, size_t *cap)
{
	size_t i, need, nlen;
	char *b, *q;

	for (i = 0; i < ps->n; i++) {
		const struct point *p = &ps->v[i];

		nlen = strlen(p->series);
		need = *len + POINT_WIRE_FIXED + nlen;
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
		memcpy(q, &p->day, 4);
		memcpy(q + 4, &p->until, 4);
		memcpy(q + 8, &p->n, 8);
		q[16] = (char)nlen;
		memcpy(q + 17, p->series, nlen);
		*len = need;
	}
	return 0;
}

int
points_decode(const char *buf, size_t len, struct points *ps)
{
	size_t off = 0, nlen;
	struct point *p;

	points_clear(ps);
	while (off < len) {
		if (len - off < POINT_WIRE_FIXED)
			return IRK_EPROTO;
		nlen = (unsigned char)buf[off + 17];
		if (nlen >= SERIES_MAX ||
		    len - off - POINT_WIRE_FIXED < nlen ||
		    (unsigned char)buf[off] > PK_MEMBER)
			return IRK_EPROTO;
		if ((p = points_push(ps)) == NULL)
			return IRK_ENOMEM;
		p->kind = (uint8_t)buf[off];
		memcpy(&p->day, buf + off + 1, 4);
		memcpy(&p->until, buf + off + 5, 4);
		memcpy(&p->n, buf + off + 9, 8);
		memcpy(p->series, buf + off + POINT_WIRE_FIXED, nlen);
		p->series[nlen] = '\0';
		off += POINT_WIRE_FIXED + nlen;
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
