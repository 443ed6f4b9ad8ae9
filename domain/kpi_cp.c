/*
 * Child protection (KPIS.md, "Child protection (CP)"): the cp.* KPIs from
 * the series facts_cp.c writes.  Where a breakdown splits the denominator
 * (categories, duration bands, when parents got the report) its items are
 * ratios over that denominator, so that each carries its count and its
 * share; other breakdowns are counts.  Count KPIs leave den at 0.
 */
#include <stdio.h>

#include "domain/err.h"
#include "domain/kpi_impl.h"
#include "domain/series_names.h"

static const char *const category_keys[] = { CP_CATEGORY_KEYS };
static const char *const outcome_keys[] = { CP_OUTCOME_KEYS };
static const char *const reason_keys[] = { CP_STOOD_DOWN_REASON_KEYS };
static const char *const gender_keys[] = { CP_GENDER_KEYS };
static const char *const age_keys[] = { CP_AGE_BAND_KEYS };
static const char *const duration_keys[] = { CP_DURATION_KEYS };

/* Sum of series prefix+key over the window. */
static int
sum_key(
    const struct kpi_ctx *c, const char *prefix, const char *key, int64_t *out)
{
	char series[SERIES_MAX];

	snprintf(series, sizeof(series), "%s%s", prefix, key);
	return kpi_sum(c, series, out);
}

/* Sum over the window of prefix+key for every key. */
static int
sum_keys(const struct kpi_ctx *c, const char *prefix, const char *const *keys,
    size_t nkeys, int64_t *out)
{
	int64_t v;
	size_t i;
	int rc;

	*out = 0;
	for (i = 0; i < nkeys; i++) {
		if ((rc = sum_key(c, prefix, keys[i], &v)) != 0)
			return rc;
		*out += v;
	}
	return 0;
}

/* Items prefix+key / den as ratios, for every key (even at 0). */
static int
shares(const struct kpi_ctx *c, struct kpi_result *res, const char *group,
    const char *prefix, const char *const *keys, size_t nkeys, int64_t den)
{
	int64_t v;
	size_t i;
	int rc;

	for (i = 0; i < nkeys; i++)
		if ((rc = sum_key(c, prefix, keys[i], &v)) != 0 ||
		    (rc = kpi_item(res, group, keys[i], v, den, true)) != 0)
			return rc;
	return 0;
}

/* cp.icpc_timeliness: initial conferences within icpc_wd working days of
 * the strategy discussion / those that had one; plus those that had none. */
static int
icpc_timeliness(const struct kpi_ctx *c, struct kpi_result *res)
{
	int64_t none;
	int rc;

	if ((rc = kpi_sum(c, S_CP_ICPC_TIMELY, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_ICPC, &res->den)) != 0 ||
	    (rc = kpi_sum(c, S_CP_ICPC_NO_STRATEGY, &none)) != 0)
		return rc;
	return kpi_item(res, "", "without_strategy", none, 0, false);
}

/* cp.rcpc_timeliness: review conferences by their due date; outstanding
 * (due in the window, unmet at its end or today if earlier), late ones by
 * number and reason. */
static int
rcpc_timeliness(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const numbers[] = { "first", "later" };
	int32_t end = c->q->to < c->q->today ? c->q->to : c->q->today;
	int64_t outstanding;
	int rc;

	if ((rc = kpi_sum(c, S_CP_RCPC_TIMELY, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_RCPC, &res->den)) != 0 ||
	    (rc = kpi_open(
		 c, S_CP_RCPC_DUE, c->q->from, end, end, &outstanding)) != 0 ||
	    (rc = kpi_item(res, "", "outstanding", outstanding, 0, false)) !=
		0 ||
	    (rc = kpi_counts(c, res, "late_by_review",
		 S_CP_RCPC_LATE_BY_NUMBER, numbers, NITEMS(numbers))) != 0)
		return rc;
	return kpi_each(c, res, "late_by_reason", S_CP_RCPC_LATE_BY_REASON);
}

/* cp.icpc_no_plan: children at initial conferences with no plan / all. */
static int
icpc_no_plan(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = sum_key(c, S_CP_ICPC_OUTCOME, "no_plan", &res->num)) != 0 ||
	    (rc = sum_keys(c, S_CP_ICPC_OUTCOME, outcome_keys,
		 NITEMS(outcome_keys), &res->den)) != 0)
		return rc;
	return kpi_counts(c, res, "outcome", S_CP_ICPC_OUTCOME, outcome_keys,
	    NITEMS(outcome_keys));
}

/* cp.report_to_parents: reports in time / initial and review conferences;
 * the same per kind, and when the report came. */
static int
report_to_parents(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const kinds[] = { "initial", "review" };
	static const char *const received[] = { "before", "on_the_day",
		"none" };
	int64_t timely, held;
	size_t i;
	int rc;

	for (i = 0; i < NITEMS(kinds); i++) {
		if ((rc = sum_key(c, S_CP_REPORT_TIMELY, kinds[i], &timely)) !=
			0 ||
		    (rc = sum_key(
			 c, S_CP_REPORT_CONFERENCES, kinds[i], &held)) != 0 ||
		    (rc = kpi_item(
			 res, "by_kind", kinds[i], timely, held, true)) != 0)
			return rc;
		res->num += timely;
		res->den += held;
	}
	return shares(c, res, "received", S_CP_REPORT_RECEIVED, received,
	    NITEMS(received), res->den);
}

/* cp.repeat_plans: repeats among plans started, by time since and age. */
static int
repeat_plans(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const since[] = { "under_6m", "6_12m", "1_2y",
		"over_2y", "unknown" };
	int rc;

	if ((rc = kpi_sum(c, S_CP_REPEAT, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_PLANS, &res->den)) != 0 ||
	    (rc = kpi_counts(c, res, "since_previous", S_CP_REPEAT_SINCE,
		 since, NITEMS(since))) != 0)
		return rc;
	return kpi_counts(c, res, "age_at_start", S_CP_REPEAT_AGE, age_keys,
	    NITEMS(age_keys));
}

/* cp.plans_open: plans open on the as-at day, by age band on that day,
 * gender and category. */
static int
plans_open(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = kpi_asat(c, S_CP_OPEN, c->as_at, &res->num)) != 0 ||
	    (rc = kpi_counts_asat(c, res, "age", S_CP_OPEN_AGE, age_keys,
		 NITEMS(age_keys))) != 0 ||
	    (rc = kpi_counts_asat(c, res, "gender", S_CP_OPEN_GENDER,
		 gender_keys, NITEMS(gender_keys))) != 0)
		return rc;
	return kpi_counts_asat(c, res, "category", S_CP_OPEN_CATEGORY,
	    category_keys, NITEMS(category_keys));
}

/* cp.plans_over_18m: open on the as-at day, started more than 18 months
 * before it. */
static int
plans_over_18m(const struct kpi_ctx *c, struct kpi_result *res)
{
	return kpi_asat(c, S_CP_OVER_18M, c->as_at, &res->num);
}

/* cp.plans_at_9m: open on the as-at day, run 9 months or more. */
static int
plans_at_9m(const struct kpi_ctx *c, struct kpi_result *res)
{
	return kpi_asat(c, S_CP_AT_9M, c->as_at, &res->num);
}

/* cp.plan_duration: 2 years and over / plans ended; every band's share. */
static int
plan_duration(const struct kpi_ctx *c, struct kpi_result *res)
{
	int rc;

	if ((rc = sum_key(c, S_CP_DURATION, "2y_plus", &res->num)) != 0 ||
	    (rc = sum_keys(c, S_CP_DURATION, duration_keys,
		 NITEMS(duration_keys), &res->den)) != 0)
		return rc;
	return shares(c, res, "duration", S_CP_DURATION, duration_keys,
	    NITEMS(duration_keys), res->den);
}

/* cp.ended_at_first_review: plans ended with no review conference or one
 * / plans ended; the two counted apart. */
static int
ended_at_first_review(const struct kpi_ctx *c, struct kpi_result *res)
{
	static const char *const reviews[] = { "none", "one" };
	int rc;

	if ((rc = sum_keys(c, S_CP_ENDED_BY_REVIEWS, reviews, NITEMS(reviews),
		 &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_ENDED, &res->den)) != 0)
		return rc;
	return kpi_counts(c, res, "review_conferences", S_CP_ENDED_BY_REVIEWS,
	    reviews, NITEMS(reviews));
}

/* cp.categories: plans started, and each category's count and share. */
static int
categories(const struct kpi_ctx *c, struct kpi_result *res)
{
	int64_t started;
	int rc;

	if ((rc = sum_keys(c, S_CP_CATEGORY, category_keys,
		 NITEMS(category_keys), &started)) != 0)
		return rc;
	res->num = started;
	return shares(c, res, "category", S_CP_CATEGORY, category_keys,
	    NITEMS(category_keys), started);
}

/* cp.conferences_disrupted: meetings stood down / meetings held; the same
 * per child, and stood-down meetings by reason. */
static int
conferences_disrupted(const struct kpi_ctx *c, struct kpi_result *res)
{
	int64_t children_held, children_stood_down;
	int rc;

	if ((rc = kpi_sum(c, S_CP_MEETINGS_STOOD_DOWN, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_MEETINGS_HELD, &res->den)) != 0 ||
	    (rc = kpi_sum(
		 c, S_CP_CHILDREN_STOOD_DOWN, &children_stood_down)) != 0 ||
	    (rc = kpi_sum(c, S_CP_CHILDREN_HELD, &children_held)) != 0 ||
	    (rc = kpi_item(res, "", "children", children_stood_down,
		 children_held, true)) != 0)
		return rc;
	return kpi_counts(c, res, "by_reason", S_CP_STOOD_DOWN_REASON,
	    reason_keys, NITEMS(reason_keys));
}

/*
 * A deadline KPI (KPIS.md, "Deadline KPIs"), with the items not met split
 * as lac.record_20wd splits them: `late` (done after the deadline),
 * `missing` (deadline passed, not done) and `not_yet_due` (not done,
 * deadline today or later: in no count yet).
 */
static int
deadline(const struct kpi_ctx *c, struct kpi_result *res, const char *met,
    const char *done, const char *pending)
{
	int64_t finished, awaited, not_due;
	int rc;

	if ((rc = kpi_deadline(c, met, done, pending, &res->num, &res->den)) !=
		0 ||
	    (rc = kpi_sum(c, done, &finished)) != 0 ||
	    (rc = kpi_open(c, pending, c->q->from, c->q->to, INT32_MIN,
		 &awaited)) != 0 ||
	    (rc = kpi_open(c, pending, c->q->from, c->q->to, c->q->today - 1,
		 &not_due)) != 0 ||
	    (rc = kpi_item(res, "", "late", finished - res->num, 0, false)) !=
		0 ||
	    (rc = kpi_item(res, "", "missing", awaited - not_due, 0, false)) !=
		0)
		return rc;
	return kpi_item(res, "", "not_yet_due", not_due, 0, false);
}

/* cp.record_distribution: records out within conference_record_wd working
 * days of the conference. */
static int
record_distribution(const struct kpi_ctx *c, struct kpi_result *res)
{
	return deadline(
	    c, res, S_CP_RECORD_MET, S_CP_RECORD_DONE, S_CP_RECORD_PENDING);
}

/* cp.plan_shared_5wd: plans given to the family within plan_shared_wd
 * working days of the start. */
static int
plan_shared(const struct kpi_ctx *c, struct kpi_result *res)
{
	return deadline(
	    c, res, S_CP_SHARED_MET, S_CP_SHARED_DONE, S_CP_SHARED_PENDING);
}

/* cp.chair_consistency: review conferences with the starting conference's
 * chair / review conferences in plans that have one; the others, and the
 * review conferences of plans without a starting conference. */
static int
chair_consistency(const struct kpi_ctx *c, struct kpi_result *res)
{
	int64_t no_start;
	int rc;

	if ((rc = kpi_sum(c, S_CP_CHAIR_SAME, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_CHAIR_REVIEWS, &res->den)) != 0 ||
	    (rc = kpi_sum(c, S_CP_CHAIR_NO_START, &no_start)) != 0 ||
	    (rc = kpi_item(res, "", "different_chair", res->den - res->num, 0,
		 false)) != 0)
		return rc;
	return kpi_item(res, "", "no_starting_conference", no_start, 0, false);
}

struct agency_ctx {
	const struct kpi_ctx *c;
	struct kpi_result *res;
};

/* One agency's item: attended / invited, for those invited in the window. */
static int
agency_item(void *arg, const char *code, int64_t invited)
{
	struct agency_ctx *a = arg;
	int64_t attended;
	int rc;

	if (invited == 0)
		return 0;
	if ((rc = sum_key(a->c, S_CP_AGENCY_ATTENDED, code, &attended)) != 0)
		return rc;
	return kpi_item(a->res, "agency", code, attended, invited, true);
}

/* cp.agency_attendance: attendances / invitations over every agency (an
 * uninvited one that came counted as invited), and per agency. */
static int
agency_attendance(const struct kpi_ctx *c, struct kpi_result *res)
{
	struct agency_ctx a = { c, res };
	int rc;

	if ((rc = kpi_sum(c, S_CP_AGENCY_ATTENDANCES, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_AGENCY_INVITATIONS, &res->den)) != 0)
		return rc;
	return c->r->each(c->r->ctx, S_CP_AGENCY_INVITED, c->q->from, c->q->to,
	    agency_item, &a);
}

/* cp.child_voice: conferences the child attended (the headline), those
 * with advocacy, and all conferences. */
static int
child_voice(const struct kpi_ctx *c, struct kpi_result *res)
{
	int64_t advocacy, conferences;
	int rc;

	if ((rc = kpi_sum(c, S_CP_VOICE_ATTENDED, &res->num)) != 0 ||
	    (rc = kpi_sum(c, S_CP_VOICE_ADVOCACY, &advocacy)) != 0 ||
	    (rc = kpi_sum(c, S_CP_VOICE_CONFERENCES, &conferences)) != 0 ||
	    (rc = kpi_item(res, "", "attended", res->num, 0, false)) != 0 ||
	    (rc = kpi_item(res, "", "advocacy", advocacy, 0, false)) != 0)
		return rc;
	return kpi_item(res, "", "conferences", conferences, 0, false);
}

/* KPIS.md order. */
const struct kpi_def kpi_cp_defs[] = {
	{ "cp.icpc_timeliness",
	    "Initial conferences within 15 working days of the strategy "
	    "discussion",
	    KPI_PERCENT, false, TARGET_HIGHER(95, 5), icpc_timeliness },
	{ "cp.rcpc_timeliness", "Review conferences held in timescale",
	    KPI_PERCENT, false, TARGET_HIGHER(95, 5), rcpc_timeliness },
	{ "cp.icpc_no_plan", "Initial conferences with no plan", KPI_PERCENT,
	    false, TARGET_NONE, icpc_no_plan },
	{ "cp.report_to_parents",
	    "Parents given the conference report in time", KPI_PERCENT, false,
	    TARGET_HIGHER(95, 5), report_to_parents },
	{ "cp.repeat_plans", "Child protection plans that are repeat plans",
	    KPI_PERCENT, false, TARGET_LOWER(19, 2), repeat_plans },
	{ "cp.plans_open", "Child protection plans open", KPI_COUNT, true,
	    TARGET_NONE, plans_open },
	{ "cp.plans_over_18m", "Child protection plans open over 18 months",
	    KPI_COUNT, true, TARGET_DIRECTION(KPI_BETTER_LOWER),
	    plans_over_18m },
	{ "cp.plans_at_9m", "Child protection plans open 9 months or more",
	    KPI_COUNT, true, TARGET_NONE, plans_at_9m },
	{ "cp.plan_duration",
	    "Child protection plans ended that lasted 2 years or more",
	    KPI_PERCENT, false, TARGET_DIRECTION(KPI_BETTER_LOWER),
	    plan_duration },
	{ "cp.ended_at_first_review",
	    "Child protection plans ended by the first review conference",
	    KPI_PERCENT, false, TARGET_NONE, ended_at_first_review },
	{ "cp.categories", "Child protection plans started, by category",
	    KPI_COUNT, false, TARGET_NONE, categories },
	{ "cp.conferences_disrupted",
	    "Conferences stood down or out of date (meetings)", KPI_PERCENT,
	    false, TARGET_DIRECTION(KPI_BETTER_LOWER), conferences_disrupted },
	{ "cp.record_distribution",
	    "Conference records distributed within 10 working days",
	    KPI_PERCENT, false, TARGET_DIRECTION(KPI_BETTER_HIGHER),
	    record_distribution },
	{ "cp.plan_shared_5wd",
	    "Child protection plans shared with the family within 5 working "
	    "days",
	    KPI_PERCENT, false, TARGET_DIRECTION(KPI_BETTER_HIGHER),
	    plan_shared },
	{ "cp.chair_consistency",
	    "Review conferences chaired by the plan's first chair",
	    KPI_PERCENT, false, TARGET_DIRECTION(KPI_BETTER_HIGHER),
	    chair_consistency },
	{ "cp.agency_attendance",
	    "Agencies at the conferences they were invited to", KPI_PERCENT,
	    false, TARGET_DIRECTION(KPI_BETTER_HIGHER), agency_attendance },
	{ "cp.child_voice", "Conferences the child attended", KPI_COUNT, false,
	    TARGET_NONE, child_voice },
};
const size_t kpi_cp_ndefs = NITEMS(kpi_cp_defs);
