/* The in-memory series reader for tests. */
#include <string.h>

#include "domain/err.h"
#include "tests/support/memreader.h"

static int
mem_sum(void *ctx, const char *series, int32_t from, int32_t to, int64_t *out)
{
	const struct points *ps = ctx;
	size_t i;

	*out = 0;
	for (i = 0; i < ps->n; i++)
		if (ps->v[i].kind == PK_BUCKET &&
		    strcmp(ps->v[i].series, series) == 0 &&
		    ps->v[i].day >= from && ps->v[i].day <= to)
			*out += ps->v[i].n;
	return 0;
}

static int
mem_open(void *ctx, const char *series, int32_t from, int32_t to, int32_t at,
    int64_t *out)
{
	const struct points *ps = ctx;
	size_t i;

	*out = 0;
	for (i = 0; i < ps->n; i++)
		if (ps->v[i].kind == PK_INTERVAL &&
		    strcmp(ps->v[i].series, series) == 0 &&
		    ps->v[i].day >= from && ps->v[i].day <= to &&
		    ps->v[i].until > at)
			*out += ps->v[i].n;
	return 0;
}

static int
mem_each(void *ctx, const char *prefix, int32_t from, int32_t to,
    int (*fn)(void *, const char *, int64_t), void *arg)
{
	const struct points *ps = ctx;
	size_t plen = strlen(prefix), i, j;
	int64_t sum;
	int rc;

	for (i = 0; i < ps->n; i++) {
		const char *s = ps->v[i].series;
		bool seen = false;

		if (ps->v[i].kind != PK_BUCKET || strncmp(s, prefix, plen))
			continue;
		for (j = 0; j < i && !seen; j++)
			seen = ps->v[j].kind == PK_BUCKET &&
			       strcmp(ps->v[j].series, s) == 0;
		if (seen)
			continue;
		mem_sum(ctx, s, from, to, &sum);
		if ((rc = fn(arg, s + plen, sum)) != 0)
			return rc;
	}
	return 0;
}

void
memreader_init(struct series_reader *r, const struct points *ps)
{
	r->ctx = (void *)ps;
	r->sum = mem_sum;
	r->open = mem_open;
	r->each = mem_each;
}
