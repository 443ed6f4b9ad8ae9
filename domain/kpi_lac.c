/*
 * Children in care (KPIS.md, "Children in care (LAC)"): the lac.* KPIs from
 * the series facts_lac.c writes.  lac.pep, lac.health_assessment and
 * lac.dental_check read running totals on the window's last day: they are
 * the figures for the 12 months ending then (see facts_lac.c for why).
 */
#include <math.h>
#include <stdio.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi_impl.h"
#include "domain/series_names.h"

/* The seed reports most of these figures without a target: higher is
 * better, no target until the configuration sets one. */
#define BETTER_HIGHER TARGET_DIRECTION(KPI_BETTER_HIGHER)

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
	    (rc = kpi_open(
		 c, S_LAC_DUE, c->q->from, end, end, &outstanding)) != 0 ||
	    (rc = kpi_item(res, "", "outstanding", outstanding, 0, false)) !=
		0 ||
	    (rc = kpi_counts(c, res, "late_by_review", S_LAC_LATE_BY_NUMBER,
		 numbers, NITEMS(numbers))) != 0)
		return rc;
	return kpi_each(c, res, "late_by_reason", S_LAC_LATE_BY_REASON);
}

/*
 * lac.participation: PN1-PN6 / PN1-PN7 (PN0, under 4, left out); `views`
 * also leaves PN4 (attended, did not contribute) out of the numerator; and
 * the count of every code.
 */
static int
participation(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const codes[] = { "PN0", "PN1", "PN2", "PN3", "PN4",
		"PN5", "PN6", "PN7" };
	char series[SERIES_MAX];
	int64_t n[NITEMS(codes)];
	size_t i;
	int rc;

	for (i = 0; i < NITEMS(codes); i++) {
		snprintf(series, sizeof(series), S_LAC_PARTICIPATION "%s",
		    codes[i]);
		if ((rc = kpi_sum(c, series, &n[i])) != 0)
			return rc;
	}
	res->num = n[1] + n[2] + n[3] + n[4] + n[5] + n[6];
	res->den = res->num + n[7];
	if ((rc = kpi_item(
		 res, "", "views", res->num - n[4], res->den, true)) != 0)
		return rc;
	for (i = 0; i < NITEMS(codes); i++)
		if ((rc = kpi_item(res, "codes", codes[i], n[i], 0, false)) !=
		    0)
			return rc;
	return 0;
}

/* lac.sw_report_24h: reports in time / reviews held; the others split
 * into late and not received. */
static int
sw_report(const struct kpi_ctx *c, struct kpi_result *res)
{
	int64_t late, none;
	int rc;

	if ((rc = kpi_sum(c, S_LAC_SW_REPORT_IN_TIME, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_LAC_SW_REPORT_LATE, &late)) != 0 ||
	    (rc = kpi_sum(c, S_LAC_SW_REPORT_NOT_RECEIVED, &none)) != 0)
		return rc;
	res->den = res->num + late + none;
	if ((rc = kpi_item(res, "", "late", late, 0, false)) != 0)
		return rc;
	return kpi_item(res, "", "not_received", none, 0, false);
}

/*
 * A review upload deadline (KPIS.md, "Deadline KPIs"), with the items
 * that are not met split: `late` (uploaded after the deadline), `missing`
 * (deadline passed, nothing uploaded) and `not_yet_due` (nothing uploaded,
 * deadline today or later: in no count yet).
 */
static int
upload_deadline(const struct kpi_ctx *c, struct kpi_result *res,
    const char *met, const char *done, const char *pending)
{
	int64_t uploaded, awaited, not_due;
	int rc;

	if ((rc = kpi_deadline(c, met, done, pending, &res->num, &res->den)) !=
		0 ||
	    (rc = kpi_sum(c, done, &uploaded)) != 0 ||
	    (rc = kpi_open(c, pending, c->q->from, c->q->to, INT32_MIN,
		 &awaited)) != 0 ||
	    (rc = kpi_open(c, pending, c->q->from, c->q->to, c->q->today - 1,
		 &not_due)) != 0 ||
	    (rc = kpi_item(res, "", "late", uploaded - res->num, 0, false)) !=
		0 ||
	    (rc = kpi_item(res, "", "missing", awaited - not_due, 0, false)) !=
		0)
		return rc;
	return kpi_item(res, "", "not_yet_due", not_due, 0, false);
}

/* lac.record_20wd: records uploaded within 20 working days. */
static int
record(const struct kpi_ctx *c, struct kpi_result *res)
{
	return upload_deadline(
	    c, res, S_LAC_RECORD_MET, S_LAC_RECORD_DONE, S_LAC_RECORD_PENDING);
}

/* lac.decisions_5wd: decisions uploaded within 5 working days. */
static int
decisions(const struct kpi_ctx *c, struct kpi_result *res)
{
	return upload_deadline(c, res, S_LAC_DECISIONS_MET,
	    S_LAC_DECISIONS_DONE, S_LAC_DECISIONS_PENDING);
}

/* lac.permanence_second_review: 2nd reviews with a permanence plan. */
static int
permanence_second(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = kpi_sum(c, S_LAC_PERM_SECOND_WITH_PLAN, &res->num)) != 0)
		return rc;
	return kpi_sum(c, S_LAC_PERM_SECOND, &res->den);
}

/* lac.permanence_later_reviews: 3rd and later reviews with one. */
static int
permanence_later(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = kpi_sum(c, S_LAC_PERM_LATER_WITH_PLAN, &res->num)) != 0)
		return rc;
	return kpi_sum(c, S_LAC_PERM_LATER, &res->den);
}

/* lac.population: looked after on the as-at day, and per 10,000 children
 * of the configured population (when it is known). */
static int
population(const struct kpi_ctx *c, struct kpi_result *res)
{
	int64_t children = c->settings->child_population;
	int rc;

	if ((rc = kpi_asat(c, S_LAC_POPULATION, c->as_at, &res->num)) != 0)
		return rc;
	if (children <= 0)
		return 0;
	return kpi_item_value(res, "", "per_10000",
	    round((double)res->num * 100000.0 / (double)children) / 10.0,
	    res->num, children);
}

/* lac.pep: of the children looked after in the 12 months to the window's
 * end and aged 5-15 then, those with a PEP in those 12 months. */
static int
pep(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = kpi_asat(c, S_LAC_PEP_DONE, c->q->to, &res->num)) != 0)
		return rc;
	return kpi_asat(c, S_LAC_PEP_COHORT, c->q->to, &res->den);
}

/* lac.health_assessment: of the children looked after continuously for
 * 12 months at the window's end, those assessed in the 12 months to it. */
static int
health_assessment(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = kpi_asat(c, S_LAC_HEALTH_DONE, c->q->to, &res->num)) != 0)
		return rc;
	return kpi_asat(c, S_LAC_CONTINUOUS_12M, c->q->to, &res->den);
}

/* lac.dental_check: as lac.health_assessment with dental checks. */
static int
dental_check(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = kpi_asat(c, S_LAC_DENTAL_DONE, c->q->to, &res->num)) != 0)
		return rc;
	return kpi_asat(c, S_LAC_CONTINUOUS_12M, c->q->to, &res->den);
}

/* KPIS.md order. */
const struct kpi_def kpi_lac_defs[] = {
	{ "lac.review_timeliness", "LAC reviews held in timescale (meetings)",
	    KPI_PERCENT, false, TARGET_HIGHER(98, 2), review_timeliness },
	{ "lac.participation", "Children who participated in their review",
	    KPI_PERCENT, false, BETTER_HIGHER, participation },
	{ "lac.sw_report_24h",
	    "Social work reports available 24 hours before the review",
	    KPI_PERCENT, false, BETTER_HIGHER, sw_report },
	{ "lac.record_20wd", "Review records uploaded within 20 working days",
	    KPI_PERCENT, false, TARGET_HIGHER(95, 5), record },
	{ "lac.decisions_5wd",
	    "Review decisions uploaded within 5 working days", KPI_PERCENT,
	    false, BETTER_HIGHER, decisions },
	{ "lac.permanence_second_review",
	    "Permanence plans at the second review", KPI_PERCENT, false,
	    BETTER_HIGHER, permanence_second },
	{ "lac.permanence_later_reviews",
	    "Permanence plans at third and later reviews", KPI_PERCENT, false,
	    BETTER_HIGHER, permanence_later },
	{ "lac.population", "Children looked after", KPI_COUNT, true,
	    TARGET_NONE, population },
	{ "lac.pep",
	    "Looked after children aged 5-15 with a PEP (12 months to the "
	    "period end)",
	    KPI_PERCENT, false, BETTER_HIGHER, pep },
	{ "lac.health_assessment",
	    "Children looked after 12 months with a health assessment in the "
	    "last 12 months",
	    KPI_PERCENT, false, BETTER_HIGHER, health_assessment },
	{ "lac.dental_check",
	    "Children looked after 12 months with a dental check in the last "
	    "12 months",
	    KPI_PERCENT, false, BETTER_HIGHER, dental_check },
};
const size_t kpi_lac_ndefs = NITEMS(kpi_lac_defs);
