/*
 * Children in care (KPIS.md, "Children in care (LAC)"): the lac.* KPIs from
 * the series facts_lac.c writes.
 */
#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi_impl.h"
#include "domain/series_names.h"

/* lac.review_timeliness: meetings headline, per child, outstanding, late. */
static int
review_timeliness(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const numbers[] = { "first", "second", "later" };
	int64_t held, timely, outstanding;
	int32_t end = c->q->to < c->q->today ? c->q->to : c->q->today;
	int rc;

	if ((rc = kpi_sum(c, S_LAC_MEETINGS_TIMELY, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_LAC_MEETINGS, &res->den)) != 0 ||
	    (rc = kpi_sum(c, S_LAC_REVIEWS, &held)) != 0 ||
	    (rc = kpi_sum(c, S_LAC_REVIEWS_TIMELY, &timely)) != 0 ||
	    (rc = kpi_item(res, "", "children", timely, held, true)) != 0 ||
	    (rc = kpi_open(c, S_LAC_DUE, c->q->from, end, end,
		 &outstanding)) != 0 ||
	    (rc = kpi_item(res, "", "outstanding", outstanding, 0, false)) !=
		0 ||
	    (rc = kpi_counts(c, res, "late_by_review", S_LAC_LATE_BY_NUMBER,
		 numbers, NITEMS(numbers))) != 0)
		return rc;
	return kpi_each(c, res, "late_by_reason", S_LAC_LATE_BY_REASON);
}

/* KPIS.md order. */
const struct kpi_def kpi_lac_defs[] = {
	{ "lac.review_timeliness", "LAC reviews held in timescale (meetings)",
	    KPI_PERCENT, false, TARGET_HIGHER(98, 2), review_timeliness },
};
const size_t kpi_lac_ndefs = NITEMS(kpi_lac_defs);
