/*
 * The catalogue's frame: the area tables joined in KPIS.md order, the
 * helpers compute functions read series with, and what every answer adds
 * to a compute function's numerator and denominator (value, target, RAG).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi.h"
#include "domain/kpi_impl.h"

/* The beginning of time for running totals: before any business date. */
#define KPI_EPOCH_YEAR 1900

static const struct {
	const struct kpi_def *defs;
	const size_t *n;
} areas[] = {
	{ kpi_lac_defs, &kpi_lac_ndefs },
	{ kpi_cp_defs, &kpi_cp_ndefs },
	{ kpi_qa_defs, &kpi_qa_ndefs },
};

void
kpi_settings_defaults(struct kpi_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->caseload_ceiling = 105;
	s->weight_lac = 1.5;
	s->weight_cp = 1;
}

double
kpi_percent(int64_t num, int64_t den)
{
	return round((double)num * 1000.0 / (double)den) / 10.0;
}

static struct kpi_item *
item_new(struct kpi_result *res, const char *group, const char *key)
{
	struct kpi_item *it;

	if (res->nitems == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 16;

		if ((it = realloc(res->items, cap * sizeof(*it))) == NULL)
			return NULL;
		res->items = it;
		res->cap = cap;
	}
	it = &res->items[res->nitems++];
	memset(it, 0, sizeof(*it));
	snprintf(it->group, sizeof(it->group), "%s", group);
	snprintf(it->key, sizeof(it->key), "%s", key);
	return it;
}

int
kpi_item(struct kpi_result *res, const char *group, const char *key,
    int64_t num, int64_t den, bool ratio)
{
	struct kpi_item *it;

	if ((it = item_new(res, group, key)) == NULL)
		return IRK_ENOMEM;
	it->kind = ratio ? KPI_ITEM_RATIO : KPI_ITEM_COUNT;
	it->num = num;
	it->den = den;
	return 0;
}

int
kpi_item_value(struct kpi_result *res, const char *group, const char *key,
    double value, int64_t num, int64_t den)
{
	struct kpi_item *it;

	if ((it = item_new(res, group, key)) == NULL)
		return IRK_ENOMEM;
	it->kind = KPI_ITEM_VALUE;
	it->value = value;
	it->num = num;
	it->den = den;
	return 0;
}

int
kpi_sum_range(const struct kpi_ctx *c, const char *series, int32_t from,
    int32_t to, int64_t *out)
{
	*out = 0;
	if (from > to)
		return 0;
	return c->r->sum(c->r->ctx, series, from, to, out);
}

int
kpi_sum(const struct kpi_ctx *c, const char *series, int64_t *out)
{
	return kpi_sum_range(c, series, c->q->from, c->q->to, out);
}

int32_t
kpi_epoch(void)
{
	return date_from_ymd(KPI_EPOCH_YEAR, 1, 1);
}

int
kpi_asat(
    const struct kpi_ctx *c, const char *series, int32_t day, int64_t *out)
{
	return kpi_sum_range(c, series, kpi_epoch(), day, out);
}

int
kpi_open(const struct kpi_ctx *c, const char *series, int32_t from, int32_t to,
    int32_t at, int64_t *out)
{
	*out = 0;
	if (from > to)
		return 0;
	return c->r->open(c->r->ctx, series, from, to, at, out);
}

int
kpi_deadline(const struct kpi_ctx *c, const char *met_series,
    const char *done_series, const char *pending_series, int64_t *num,
    int64_t *den)
{
	int64_t done, pending, not_yet;
	int rc;

	/* Pending items whose deadline is before today: all pending ones
	 * less those whose deadline is today or later. */
	if ((rc = kpi_sum(c, met_series, num)) != 0 ||
	    (rc = kpi_sum(c, done_series, &done)) != 0 ||
	    (rc = kpi_open(c, pending_series, c->q->from, c->q->to, INT32_MIN,
		 &pending)) != 0 ||
	    (rc = kpi_open(c, pending_series, c->q->from, c->q->to,
		 c->q->today - 1, &not_yet)) != 0)
		return rc;
	*den = done + pending - not_yet;
	return 0;
}

static int
counts(const struct kpi_ctx *c, struct kpi_result *res, const char *group,
    const char *prefix, const char *const *keys, size_t nkeys, bool as_at)
{
	char series[SERIES_MAX];
	int64_t v;
	size_t i;
	int rc;

	for (i = 0; i < nkeys; i++) {
		snprintf(series, sizeof(series), "%s%s", prefix, keys[i]);
		rc = as_at ? kpi_asat(c, series, c->as_at, &v)
			   : kpi_sum(c, series, &v);
		if (rc != 0 ||
		    (rc = kpi_item(res, group, keys[i], v, 0, false)) != 0)
			return rc;
	}
	return 0;
}

int
kpi_counts(const struct kpi_ctx *c, struct kpi_result *res, const char *group,
    const char *prefix, const char *const *keys, size_t nkeys)
{
	return counts(c, res, group, prefix, keys, nkeys, false);
}

int
kpi_counts_asat(const struct kpi_ctx *c, struct kpi_result *res,
    const char *group, const char *prefix, const char *const *keys,
    size_t nkeys)
{
	return counts(c, res, group, prefix, keys, nkeys, true);
}

struct each_ctx {
	struct kpi_result *res;
	const char *group;
};

static int
each_item(void *arg, const char *suffix, int64_t sum)
{
	struct each_ctx *e = arg;

	if (sum == 0)
		return 0;
	return kpi_item(e->res, e->group, suffix, sum, 0, false);
}

int
kpi_each(const struct kpi_ctx *c, struct kpi_result *res, const char *group,
    const char *prefix)
{
	struct each_ctx e = { res, group };

	return c->r->each(
	    c->r->ctx, prefix, c->q->from, c->q->to, each_item, &e);
}

int
kpi_each_asat(const struct kpi_ctx *c, struct kpi_result *res,
    const char *group, const char *prefix)
{
	struct each_ctx e = { res, group };

	return c->r->each(
	    c->r->ctx, prefix, kpi_epoch(), c->as_at, each_item, &e);
}

size_t
kpi_count(void)
{
	size_t i, n = 0;

	for (i = 0; i < NITEMS(areas); i++)
		n += *areas[i].n;
	return n;
}

const struct kpi_def *
kpi_at(size_t i)
{
	size_t a;

	for (a = 0; a < NITEMS(areas); a++) {
		if (i < *areas[a].n)
			return &areas[a].defs[i];
		i -= *areas[a].n;
	}
	return NULL;
}

size_t
kpi_index(const struct kpi_def *k)
{
	size_t a, base = 0;

	for (a = 0; a < NITEMS(areas); a++) {
		if (k >= areas[a].defs && k < areas[a].defs + *areas[a].n)
			return base + (size_t)(k - areas[a].defs);
		base += *areas[a].n;
	}
	return base;
}

const struct kpi_def *
kpi_find(const char *id)
{
	size_t i, n = kpi_count();

	for (i = 0; i < n; i++)
		if (strcmp(kpi_at(i)->id, id) == 0)
			return kpi_at(i);
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

bool
kpi_is_as_at(const struct kpi_def *k)
{
	return k->as_at;
}

const struct kpi_target *
kpi_default_target(const struct kpi_def *k)
{
	return &k->dflt;
}

const struct kpi_target *
kpi_target_of(const struct kpi_def *k, const struct kpi_settings *s)
{
	return s != NULL && s->targets != NULL ? &s->targets[kpi_index(k)]
					       : &k->dflt;
}

enum kpi_rag
kpi_rag_of(const struct kpi_target *t, double value)
{
	double gap;

	if (!t->set || t->better == KPI_BETTER_NONE)
		return KPI_RAG_NONE;
	/* How far on the bad side of the target the value is. */
	gap = t->better == KPI_BETTER_HIGHER ? t->target - value
					     : value - t->target;
	if (gap <= 0)
		return KPI_RAG_GREEN;
	return gap <= t->amber ? KPI_RAG_AMBER : KPI_RAG_RED;
}

const char *
kpi_rag_name(enum kpi_rag rag)
{
	switch (rag) {
	case KPI_RAG_GREEN:
		return "green";
	case KPI_RAG_AMBER:
		return "amber";
	case KPI_RAG_RED:
		return "red";
	case KPI_RAG_NONE:
		break;
	}
	return NULL;
}

const char *
kpi_better_name(enum kpi_better b)
{
	switch (b) {
	case KPI_BETTER_HIGHER:
		return "higher";
	case KPI_BETTER_LOWER:
		return "lower";
	case KPI_BETTER_NONE:
		break;
	}
	return NULL;
}

void
kpi_result_free(struct kpi_result *res)
{
	free(res->items);
	memset(res, 0, sizeof(*res));
}

int
kpi_compute(const struct kpi_def *k, const struct series_reader *r,
    const struct kpi_query *q, struct kpi_result *res)
{
	struct kpi_settings dflt;
	struct kpi_ctx c = { r, q, q->settings,
		q->to < q->today ? q->to : q->today };
	int rc;

	if (c.settings == NULL) {
		kpi_settings_defaults(&dflt);
		c.settings = &dflt;
	}
	kpi_result_free(res);
	res->def = k;
	res->as_at = k->as_at ? c.as_at : DAY_NONE;
	res->target = *kpi_target_of(k, c.settings);
	if ((rc = k->compute(&c, res)) != 0)
		return rc;
	if (res->has_value)
		; /* the compute function gave its own value */
	else if (k->unit == KPI_COUNT) {
		res->has_value = true;
		res->value = (double)res->num;
	} else if (res->den > 0) {
		res->has_value = true;
		res->value =
		    k->unit == KPI_PERCENT
			? kpi_percent(res->num, res->den)
			: round((double)res->num * 10.0 / (double)res->den) /
			      10.0;
	}
	res->rag = res->has_value ? kpi_rag_of(&res->target, res->value)
				  : KPI_RAG_NONE;
	return 0;
}
