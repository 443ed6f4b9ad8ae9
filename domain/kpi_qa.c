/*
 * Quality assurance and the service (KPIS.md): the qa.*, iro.* and hsb.*
 * KPIs from the series facts_qa.c and facts_iro.c write.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi_impl.h"
#include "domain/series_names.h"

/* Where running totals start: as kpi_asat() reads them (kpi.c). */

static double
one_decimal(double v)
{
	return round(v * 10.0) / 10.0;
}

/* Rows and columns a two_way() table may have (areas x kinds, kinds x
 * Brook categories). */
#define TWO_WAY_MAX 4

/*
 * Counts of a two-way table of series prefix + row ":" + column over the
 * window: each row's and each column's total, then each row's cells, as
 * groups (row_group: rows, col_group: columns, then one group per row).
 * *total gets the sum of every cell.
 */
static int
two_way(const struct kpi_ctx *c, struct kpi_result *res, const char *prefix,
    const char *row_group, const char *const *rows, size_t nrows,
    const char *col_group, const char *const *cols, size_t ncols,
    int64_t *total)
{
	char series[SERIES_MAX];
	int64_t cell[TWO_WAY_MAX][TWO_WAY_MAX] = { { 0 } }, sum;
	size_t r, k;
	int rc;

	if (nrows > TWO_WAY_MAX || ncols > TWO_WAY_MAX)
		return IRK_EINVAL;
	*total = 0;
	for (r = 0; r < nrows; r++)
		for (k = 0; k < ncols; k++) {
			snprintf(series, sizeof(series), "%s%s:%s", prefix,
			    rows[r], cols[k]);
			if ((rc = kpi_sum(c, series, &cell[r][k])) != 0)
				return rc;
			*total += cell[r][k];
		}
	for (r = 0; r < nrows; r++) {
		for (k = 0, sum = 0; k < ncols; k++)
			sum += cell[r][k];
		if ((rc = kpi_item(res, row_group, rows[r], sum, 0, false)) !=
		    0)
			return rc;
	}
	for (k = 0; k < ncols; k++) {
		for (r = 0, sum = 0; r < nrows; r++)
			sum += cell[r][k];
		if ((rc = kpi_item(res, col_group, cols[k], sum, 0, false)) !=
		    0)
			return rc;
	}
	for (r = 0; r < nrows; r++)
		for (k = 0; k < ncols; k++)
			if ((rc = kpi_item(res, rows[r], cols[k], cell[r][k],
				 0, false)) != 0)
				return rc;
	return 0;
}

/*
 * A deadline KPI (KPIS.md, "Deadline KPIs") with what its headline leaves
 * out: "late" (done after the deadline), "overdue" (not done, deadline
 * before today) and "awaiting" (not done, deadline today or later, so not
 * yet in the denominator).
 */
static int
deadline_items(const struct kpi_ctx *c, struct kpi_result *res,
    const char *met, const char *done, const char *pending)
{
	int64_t done_n, pending_n, awaiting;
	int rc;

	if ((rc = kpi_deadline(c, met, done, pending, &res->num, &res->den)) !=
		0 ||
	    (rc = kpi_sum(c, done, &done_n)) != 0 ||
	    (rc = kpi_open(c, pending, c->q->from, c->q->to, INT32_MIN,
		 &pending_n)) != 0 ||
	    (rc = kpi_open(c, pending, c->q->from, c->q->to, c->q->today - 1,
		 &awaiting)) != 0 ||
	    (rc = kpi_item(res, "", "late", done_n - res->num, 0, false)) !=
		0 ||
	    (rc = kpi_item(
		 res, "", "overdue", pending_n - awaiting, 0, false)) != 0)
		return rc;
	return kpi_item(res, "", "awaiting", awaiting, 0, false);
}

/* qa.alerts: alerts raised in the window, by area, by kind and both. */
static int
alerts(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const areas[] = { QA_AREA_NAMES };
	static const char *const kinds[] = { QA_ALERT_KIND_NAMES };

	return two_way(c, res, S_QA_ALERTS, "area", areas, NITEMS(areas),
	    "kind", kinds, NITEMS(kinds), &res->num);
}

/* qa.response_5wd: concern alerts answered within the local standard. */
static int
response(const struct kpi_ctx *c, struct kpi_result *res)
{
	return deadline_items(c, res, S_QA_RESPONSE_MET, S_QA_RESPONSE_DONE,
	    S_QA_RESPONSE_PENDING);
}

/* qa.open_by_stage: concern alerts open on the as-at day, by the highest
 * stage they had reached. */
static int
open_by_stage(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const stages[] = { QA_STAGE_NAMES };
	size_t i, first = res->nitems;
	int rc;

	if ((rc = kpi_counts_asat(
		 c, res, "", S_QA_OPEN, stages, NITEMS(stages))) != 0)
		return rc;
	for (i = first; i < res->nitems; i++)
		res->num += res->items[i].num;
	return 0;
}

/*
 * iro.caseload.  The "iros" items are gathered in the result itself, one
 * per IRO holding a child on the as-at day: num the looked-after children,
 * den the CP-only ones; the weights come afterwards.
 */
struct caseload_gather {
	struct kpi_result *res;
	size_t first; /* res->items[first..] are the IROs */
	bool cp;      /* filling den (CP only) rather than num */
};

static int
caseload_gather(void *arg, const char *iro, int64_t children)
{
	struct caseload_gather *g = arg;
	struct kpi_item *it;
	size_t i;
	int rc;

	if (children == 0)
		return 0;
	for (i = g->first; i < g->res->nitems; i++)
		if (strcmp(g->res->items[i].key, iro) == 0)
			break;
	if (i == g->res->nitems &&
	    (rc = kpi_item_value(g->res, "iros", iro, 0, 0, 0)) != 0)
		return rc;
	it = &g->res->items[i];
	if (g->cp)
		it->den = children;
	else
		it->num = children;
	return 0;
}

static int
item_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct kpi_item *)a)->key,
	    ((const struct kpi_item *)b)->key);
}

/*
 * iro.caseload: each IRO's caseload on the as-at day weighted with the
 * configured weights; the value is the average over IROs with a weight
 * above 0, num the IROs over the ceiling (as the caseload query shows
 * them: the weighted caseload to one decimal), den the IROs averaged.
 */
static int
caseload(const struct kpi_ctx *c, struct kpi_result *res)
{
	const struct kpi_settings *s = c->settings;
	struct caseload_gather g;
	struct kpi_item *it;
	int64_t lac = 0, cp = 0;
	double weighted, sum = 0;
	size_t totals = res->nitems, i;
	int rc;

	if ((rc = kpi_item(res, "", "children_lac", 0, 0, false)) != 0 ||
	    (rc = kpi_item(res, "", "children_cp", 0, 0, false)) != 0)
		return rc;
	g = (struct caseload_gather){ res, res->nitems, false };
	if ((rc = c->r->each(c->r->ctx, S_IRO_CASELOAD_LAC, kpi_epoch(),
		 c->as_at, caseload_gather, &g)) != 0)
		return rc;
	g.cp = true;
	if ((rc = c->r->each(c->r->ctx, S_IRO_CASELOAD_CP, kpi_epoch(),
		 c->as_at, caseload_gather, &g)) != 0)
		return rc;
	qsort(res->items + g.first, res->nitems - g.first,
	    sizeof(res->items[0]), item_key_cmp);
	for (i = g.first; i < res->nitems; i++) {
		it = &res->items[i];
		weighted = (double)it->num * s->weight_lac +
			   (double)it->den * s->weight_cp;
		it->value = one_decimal(weighted);
		lac += it->num;
		cp += it->den;
		if (weighted <= 0)
			continue;
		sum += weighted;
		res->den++;
		if (it->value > s->caseload_ceiling)
			res->num++;
	}
	res->items[totals].num = lac;
	res->items[totals + 1].num = cp;
	if (res->den > 0) {
		res->has_value = true;
		res->value = one_decimal(sum / (double)res->den);
	}
	return 0;
}

/* hsb.meetings: meetings held in the window by kind and Brook category. */
static int
hsb_meetings(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const kinds[] = { HSB_KIND_NAMES };
	static const char *const brooks[] = { HSB_MEETING_BROOK_NAMES };

	return two_way(c, res, S_HSB_MEETINGS, "kind", kinds, NITEMS(kinds),
	    "brook", brooks, NITEMS(brooks), &res->num);
}

/* hsb.journey: amber_red and red identifications in the window with an
 * initial meeting in 20 working days; every identification by category. */
static int
hsb_journey(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const brooks[] = { HSB_BROOK_NAMES };
	int rc;

	if ((rc = deadline_items(c, res, S_HSB_JOURNEY_MET, S_HSB_JOURNEY_DONE,
		 S_HSB_JOURNEY_PENDING)) != 0)
		return rc;
	return kpi_counts(
	    c, res, "identified", S_HSB_IDENTIFIED, brooks, NITEMS(brooks));
}

/* KPIS.md order. */
const struct kpi_def kpi_qa_defs[] = {
	{ "qa.alerts", "Quality assurance alerts raised", KPI_COUNT, false,
	    TARGET_NONE, alerts },
	{ "qa.response_5wd",
	    "Concern alerts responded to within 5 working days", KPI_PERCENT,
	    false, TARGET_HIGHER(90, 10), response },
	{ "qa.open_by_stage", "Concern alerts open, by escalation stage",
	    KPI_COUNT, true, TARGET_NONE, open_by_stage },
	{ "iro.caseload", "Average weighted IRO caseload", KPI_AVERAGE, true,
	    TARGET_NONE, caseload },
	{ "hsb.meetings", "Harmful sexual behaviour meetings held", KPI_COUNT,
	    false, TARGET_NONE, hsb_meetings },
	{ "hsb.journey",
	    "Amber-red and red HSB identifications with an initial meeting "
	    "within 20 working days",
	    KPI_PERCENT, false, TARGET_NONE, hsb_journey },
};
const size_t kpi_qa_ndefs = NITEMS(kpi_qa_defs);
