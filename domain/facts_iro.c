/*
 * The IRO service (KPIS.md, iro.caseload): which IRO holds each child on
 * each day, and what the child counts as in that caseload.
 *
 * A child is held by the IRO its latest iro.allocated on or before the day
 * names (on a day with several, the last in timeline order).  It counts as
 * looked after while in a looked-after episode that is not short breaks,
 * else as CP while on a plan, else not at all.  The weights are settings
 * the KPI applies at query time, so the facts write plain running totals:
 * +1 in S_IRO_CASELOAD_LAC or S_IRO_CASELOAD_CP + IRO on the day the child
 * enters that caseload and status, -1 on the day it leaves them.  Both can
 * change only on an allocation day or an episode's first or last day, so
 * those are the only days looked at.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

enum load { LOAD_NONE, LOAD_LAC, LOAD_CP };

static enum load
load_on(const struct facts_ctx *c, int32_t day)
{
	const struct episode *lac = episode_at(c->lac, c->nlac, day);

	if (lac != NULL && !lac->short_breaks)
		return LOAD_LAC;
	if (episode_at(c->cp, c->ncp, day) != NULL)
		return LOAD_CP;
	return LOAD_NONE;
}

static int
day_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return x < y ? -1 : x > y;
}

/* The days the holder or the status may change, sorted, repeats kept.
 * *out is a new array the caller frees (NULL when there are none). */
static int
change_days(const struct facts_ctx *c, int32_t **out, size_t *count)
{
	size_t i, k = 0, cap = 2 * (c->nlac + c->ncp);
	int32_t *v;

	for (i = 0; i < c->n; i++)
		cap += c->ev[i]->type == EVT_IRO_ALLOCATED;
	*out = NULL;
	*count = 0;
	if (cap == 0)
		return 0;
	if ((v = malloc(cap * sizeof(*v))) == NULL)
		return IRK_ENOMEM;
	for (i = 0; i < c->n; i++)
		if (c->ev[i]->type == EVT_IRO_ALLOCATED)
			v[k++] = c->ev[i]->at.day;
	for (i = 0; i < c->nlac; i++) {
		v[k++] = c->lac[i].start;
		v[k++] = c->lac[i].end;
	}
	for (i = 0; i < c->ncp; i++) {
		v[k++] = c->cp[i].start;
		v[k++] = c->cp[i].end;
	}
	qsort(v, k, sizeof(*v), day_cmp);
	*out = v;
	*count = k;
	return 0;
}

/* +1 (or -1) in the caseload of iro for load, on day; nothing for none. */
static int
caseload_add(struct points *out, int32_t day, const char *iro, enum load load,
    int64_t n)
{
	if (iro == NULL || load == LOAD_NONE)
		return 0;
	return points_bucket(out, day, n, "%s%s",
	    load == LOAD_LAC ? S_IRO_CASELOAD_LAC : S_IRO_CASELOAD_CP, iro);
}

static bool
same_iro(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/* iro.caseload: the child's running totals, per IRO and status. */
int
facts_iro(const struct facts_ctx *c, struct points *out)
{
	const char *held_by = NULL, *counted_by = NULL;
	enum load load, counted_as = LOAD_NONE;
	int32_t *days = NULL, day;
	size_t i = 0, k, ndays;
	int rc;

	if ((rc = change_days(c, &days, &ndays)) != 0)
		return rc;
	for (k = 0; k < ndays && rc == 0; k++) {
		day = days[k];
		if (day == DAY_NEVER || (k > 0 && day == days[k - 1]))
			continue;
		/* The timeline is in day order: take the allocations up to
		 * and including day. */
		for (; i < c->n && c->ev[i]->at.day <= day; i++)
			if (c->ev[i]->type == EVT_IRO_ALLOCATED)
				held_by = ev_str(c->ev[i], FLD_IRO);
		load = load_on(c, day);
		if (load == counted_as && same_iro(held_by, counted_by))
			continue;
		if ((rc = caseload_add(
			 out, day, counted_by, counted_as, -1)) == 0)
			rc = caseload_add(out, day, held_by, load, 1);
		counted_by = held_by;
		counted_as = load;
	}
	free(days);
	return rc;
}
