/*
 * The catalogue as a table of (id, title, unit, compute function), in the
 * order of KPIS.md.  Each compute function reads its series through the
 * reader and fills the result; the statutory meaning of each series is in
 * facts.c, next to where it is written.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi.h"
#include "domain/series_names.h"

struct kpi_def {
	const char *id;
	const char *title;
	enum kpi_unit unit;
	int (*compute)(const struct series_reader *, const struct kpi_window *,
	    struct kpi_result *);
};

double
kpi_percent(int64_t num, int64_t den)
{
	return round((double)num * 1000.0 / (double)den) / 10.0;
}

static int
item_add(struct kpi_result *res, const char *group, const char *key,
    int64_t num, int64_t den, bool ratio)
{
	struct kpi_item *it;

	if (res->nitems == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 16;

		if ((it = realloc(res->items, cap * sizeof(*it))) == NULL)
			return IRK_ENOMEM;
		res->items = it;
		res->cap = cap;
	}
	it = &res->items[res->nitems++];
	snprintf(it->group, sizeof(it->group), "%s", group);
	snprintf(it->key, sizeof(it->key), "%s", key);
	it->num = num;
	it->den = den;
	it->ratio = ratio;
	return 0;
}

/* Sum a series over the window. */
static int
wsum(const struct series_reader *r, const struct kpi_window *w,
    const char *series, int64_t *out)
{
	return r->sum(r->ctx, series, w->from, w->to, out);
}

/* Fixed breakdown keys read as prefix + key, every key listed even at 0. */
static int
fixed_counts(const struct series_reader *r, const struct kpi_window *w,
    struct kpi_result *res, const char *group, const char *prefix,
    const char *const *keys, size_t nkeys)
{
	char series[SERIES_MAX];
	int64_t v;
	size_t i;
	int rc;

	for (i = 0; i < nkeys; i++) {
		snprintf(series, sizeof(series), "%s%s", prefix, keys[i]);
		if ((rc = wsum(r, w, series, &v)) != 0 ||
		    (rc = item_add(res, group, keys[i], v, 0, false)) != 0)
			return rc;
	}
	return 0;
}

struct each_ctx {
	struct kpi_result *res;
	const char *group;
};

static int
each_count(void *arg, const char *suffix, int64_t sum)
{
	struct each_ctx *c = arg;

	if (sum == 0)
		return 0;
	return item_add(c->res, c->group, suffix, sum, 0, false);
}

/* lac.review_timeliness: meetings headline, per child, outstanding, late. */
static int
lac_review_timeliness(const struct series_reader *r,
    const struct kpi_window *w, struct kpi_result *res)
{
	static const char *const numbers[] = { "first", "second", "later" };
	struct each_ctx ec = { res, "late_by_reason" };
	int64_t held, timely, outstanding;
	int32_t end = w->to < w->today ? w->to : w->today;
	int rc;

	if ((rc = wsum(r, w, S_LAC_MEETINGS_TIMELY, &res->num)) != 0 ||
	    (rc = wsum(r, w, S_LAC_MEETINGS, &res->den)) != 0 ||
	    (rc = wsum(r, w, S_LAC_REVIEWS, &held)) != 0 ||
	    (rc = wsum(r, w, S_LAC_REVIEWS_TIMELY, &timely)) != 0 ||
	    (rc = item_add(res, "", "children", timely, held, true)) != 0)
		return rc;
	outstanding = 0;
	if (end >= w->from && (rc = r->open(r->ctx, S_LAC_DUE, w->from, end,
				   end, &outstanding)) != 0)
		return rc;
	if ((rc = item_add(res, "", "outstanding", outstanding, 0, false)) !=
		0 ||
	    (rc = fixed_counts(r, w, res, "late_by_review",
		 S_LAC_LATE_BY_NUMBER, numbers, NITEMS(numbers))) != 0)
		return rc;
	return r->each(
	    r->ctx, S_LAC_LATE_BY_REASON, w->from, w->to, each_count, &ec);
}

/* cp.repeat_plans: repeats among plans started, by time since and age. */
static int
cp_repeat_plans(const struct series_reader *r, const struct kpi_window *w,
    struct kpi_result *res)
{
	static const char *const since[] = { "under_6m", "6_12m", "1_2y",
		"over_2y", "unknown" };
	static const char *const ages[] = { "unborn", "under_1", "1_4", "5_9",
		"10_15", "16_17", "unknown" };
	int rc;

	if ((rc = wsum(r, w, S_CP_REPEAT, &res->num)) != 0 ||
	    (rc = wsum(r, w, S_CP_PLANS, &res->den)) != 0 ||
	    (rc = fixed_counts(r, w, res, "since_previous", S_CP_REPEAT_SINCE,
		 since, NITEMS(since))) != 0)
		return rc;
	return fixed_counts(
	    r, w, res, "age_at_start", S_CP_REPEAT_AGE, ages, NITEMS(ages));
}

/* Catalogue order (KPIS.md); kpi_find() searches it linearly. */
static const struct kpi_def kpis[] = {
	{ "lac.review_timeliness", "LAC reviews held in timescale (meetings)",
	    KPI_PERCENT, lac_review_timeliness },
	{ "cp.repeat_plans", "Child protection plans that are repeat plans",
	    KPI_PERCENT, cp_repeat_plans },
};

size_t
kpi_count(void)
{
	return NITEMS(kpis);
}

const struct kpi_def *
kpi_at(size_t i)
{
	return i < NITEMS(kpis) ? &kpis[i] : NULL;
}

const struct kpi_def *
kpi_find(const char *id)
{
	size_t i;

	for (i = 0; i < NITEMS(kpis); i++)
		if (strcmp(kpis[i].id, id) == 0)
			return &kpis[i];
	return NULL;
}

const char *
kpi_id(const struct kpi_def *k)
{
	return k->id;
}

const char *
kpi_title(const struct kpi_def *k)
{
	return k->title;
}

enum kpi_unit
kpi_unit(const struct kpi_def *k)
{
	return k->unit;
}

void
kpi_result_free(struct kpi_result *res)
{
	free(res->items);
	memset(res, 0, sizeof(*res));
}

int
kpi_compute(const struct kpi_def *k, const struct series_reader *r,
    const struct kpi_window *w, struct kpi_result *res)
{
	int rc;

	kpi_result_free(res);
	res->def = k;
	if ((rc = k->compute(r, w, res)) != 0)
		return rc;
	if (k->unit == KPI_COUNT) {
		res->has_value = true;
		res->value = (double)res->num;
	} else if (res->den > 0) {
		res->has_value = true;
		res->value = kpi_percent(res->num, res->den);
	}
	return 0;
}
