/*
 * Child protection (KPIS.md, "Child protection (CP)"): the points of the
 * cp.* KPIs.  Plans are the child's cp_plan episodes; review conferences are
 * numbered within their plan.
 */
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts_impl.h"
#include "domain/series_names.h"

/* cp.repeat_plans: a plan is a repeat when an earlier plan is in the log or
 * the case system counts previous plans; broken down by the time since the
 * previous plan ended and by age at the start. */
static int
repeat_plans(const struct facts_ctx *c, struct points *out)
{
	const char *since;
	size_t i;
	int rc = 0;

	for (i = 0; i < c->ncp; i++) {
		const struct episode *p = &c->cp[i];
		int32_t day = p->start, prev_end;
		bool repeat =
		    i > 0 || ev_num(p->started, FLD_PREVIOUS_PLANS, 0) > 0;

		rc |= points_bucket(out, day, 1, S_CP_PLANS);
		if (!repeat)
			continue;
		prev_end = i > 0 ? c->cp[i - 1].end : DAY_NONE;
		if (prev_end == DAY_NONE || prev_end == DAY_NEVER)
			since = "unknown";
		else if (day < date_add_months(prev_end, 6))
			since = "under_6m";
		else if (day < date_add_months(prev_end, 12))
			since = "6_12m";
		else if (day < date_add_months(prev_end, 24))
			since = "1_2y";
		else
			since = "over_2y";
		rc |= points_bucket(out, day, 1, S_CP_REPEAT);
		rc |=
		    points_bucket(out, day, 1, S_CP_REPEAT_SINCE "%s", since);
		rc |= points_bucket(out, day, 1, S_CP_REPEAT_AGE "%s",
		    facts_age_band(c->dob, day));
	}
	return rc != 0 ? IRK_ENOMEM : 0;
}

int
facts_cp(const struct facts_ctx *c, struct points *out)
{
	return repeat_plans(c, out);
}

int
facts_group_cp(const char *group, const struct point *members, size_t n,
    struct points *out)
{
	(void)group;
	(void)members;
	(void)n;
	(void)out;
	return 0;
}
