/*
 * Child protection (KPIS.md, "Child protection (CP)"): the cp.* KPIs from
 * the series facts_cp.c writes.
 */
#include "domain/err.h"
#include "domain/kpi_impl.h"
#include "domain/series_names.h"

/* cp.repeat_plans: repeats among plans started, by time since and age. */
static int
repeat_plans(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const since[] = { "under_6m", "6_12m", "1_2y",
		"over_2y", "unknown" };
	static const char *const ages[] = { "unborn", "under_1", "1_4", "5_9",
		"10_15", "16_17", "unknown" };
	int rc;

	if ((rc = kpi_sum(c, S_CP_REPEAT, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_PLANS, &res->den)) != 0 ||
	    (rc = kpi_counts(c, res, "since_previous", S_CP_REPEAT_SINCE, since,
		 NITEMS(since))) != 0)
		return rc;
	return kpi_counts(c, res, "age_at_start", S_CP_REPEAT_AGE, ages,
	    NITEMS(ages));
}

/* KPIS.md order. */
const struct kpi_def kpi_cp_defs[] = {
	{ "cp.repeat_plans", "Child protection plans that are repeat plans",
	    KPI_PERCENT, false, TARGET_LOWER(19, 3), repeat_plans },
};
const size_t kpi_cp_ndefs = NITEMS(kpi_cp_defs);
