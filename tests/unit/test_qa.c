/*
 * The KPIs of "Quality assurance and the service" (KPIS.md), from JSON
 * timelines through facts_derive_child() to kpi_compute() over the points:
 * qa.alerts, qa.response_5wd (the 5th working day against the 6th, bank
 * holidays, pending against today), qa.open_by_stage (stages as-at before,
 * on and after an escalation, resolved on the day), iro.caseload
 * (reallocation, weights and the ceiling from the settings, a child both
 * looked after and on a plan, short breaks), hsb.meetings and hsb.journey
 * (the 20th working day against the 21st).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/date.h"
#include "domain/kpi.h"
#include "domain/series_names.h"
#include "tests/support/memreader.h"
#include "tests/support/timeline.h"

#define EV(id, type, d, body)                                  \
	"{\"id\":\"" id "\",\"type\":\"" type "\",\"at\":\"" d \
	"\",\"child\":\"C\"" body "}"
#define RAISED(id, d, alert, kind, area)                               \
	EV(id, "qa_alert.raised", d,                                   \
	    ",\"alert\":\"" alert "\",\"iro\":\"I1\",\"kind\":\"" kind \
	    "\",\"area\":\"" area "\"")
#define CONCERN(id, d, alert) RAISED(id, d, alert, "concern", "lac")
#define RESPONDED(id, d, alert) \
	EV(id, "qa_alert.responded", d, ",\"alert\":\"" alert "\"")
#define ESCALATED(id, d, alert, stage)  \
	EV(id, "qa_alert.escalated", d, \
	    ",\"alert\":\"" alert "\",\"stage\":" stage)
#define RESOLVED(id, d, alert) \
	EV(id, "qa_alert.resolved", d, ",\"alert\":\"" alert "\"")
#define ALLOCATED(id, d, iro) \
	EV(id, "iro.allocated", d, ",\"iro\":\"" iro "\"")
#define LAC_STARTED(id, d, status) \
	EV(id, "lac.started", d, ",\"legal_status\":\"" status "\"")
#define LAC_ENDED(id, d) EV(id, "lac.ended", d, "")
#define PLAN_STARTED(id, d) \
	EV(id, "cp_plan.started", d, ",\"category\":\"neglect\"")
#define PLAN_ENDED(id, d) EV(id, "cp_plan.ended", d, "")
#define IDENTIFIED(id, d, brook) \
	EV(id, "hsb.identified", d, ",\"brook\":\"" brook "\"")
#define HSB_MEETING(id, d, kind, brook) \
	EV(id, "hsb.meeting_held", d,   \
	    ",\"kind\":\"" kind "\",\"brook\":\"" brook "\"")

/* Each child's lines, derived one child at a time into the same list. */
#define CHILD(ps, lines) derive_lines(lines, NITEMS(lines), ps)

#ifndef NITEMS
#define NITEMS(a) (sizeof(a) / sizeof((a)[0]))
#endif

static const struct kpi_item *
find_item(const struct kpi_result *r, const char *group, const char *key)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].group, group) == 0 &&
		    strcmp(r->items[i].key, key) == 0)
			return &r->items[i];
	return NULL;
}

static int64_t
count(const struct kpi_result *r, const char *group, const char *key)
{
	const struct kpi_item *it = find_item(r, group, key);

	if (it == NULL)
		fail_msg("no item %s/%s", group, key);
	return it->num;
}

/* kpi_compute of id over ps on the window from..to as seen on today. */
static void
compute(const char *id, const struct points *ps, const char *from,
    const char *to, const char *today, const struct kpi_settings *settings,
    struct kpi_result *res)
{
	struct series_reader r;
	struct kpi_query q = { day_of(from), day_of(to), day_of(today),
		settings };

	assert_non_null(kpi_find(id));
	memreader_init(&r, ps);
	assert_int_equal(kpi_compute(kpi_find(id), &r, &q, res), 0);
}

/* An as-at KPI on day (the window ends on it; today is later). */
static void
compute_on(const char *id, const struct points *ps, const char *day,
    const struct kpi_settings *settings, struct kpi_result *res)
{
	compute(id, ps, day, day, "2030-01-01", settings, res);
	assert_int_equal(res->as_at, day_of(day));
}

static void
test_alerts_by_area_and_kind(void **state)
{
	const char *lines[] = {
		CONCERN("a1", "2019-03-31", "x0"), /* before the window */
		CONCERN("a2", "2019-04-01", "x1"),
		CONCERN("a3", "2019-04-12", "x2"),
		/* The same alert raised again: counted once. */
		CONCERN("a4", "2019-04-15", "x2"),
		RAISED("a5", "2019-04-20", "x3", "good_practice", "lac"),
		RAISED("a6", "2019-04-30", "x4", "good_practice", "cp"),
		RAISED("a7", "2019-04-30", "x5", "concern", "cp"),
		RAISED("a8", "2019-05-01", "x6", "concern", "cp"), /* after */
	};
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	CHILD(&ps, lines);
	compute("qa.alerts", &ps, "2019-04-01", "2019-04-30", "2019-06-01",
	    NULL, &res);
	assert_int_equal(res.num, 5);
	assert_true(res.has_value);
	assert_true(res.value == 5);
	assert_int_equal(count(&res, "area", "lac"), 3);
	assert_int_equal(count(&res, "area", "cp"), 2);
	assert_int_equal(count(&res, "kind", "good_practice"), 2);
	assert_int_equal(count(&res, "kind", "concern"), 3);
	assert_int_equal(count(&res, "lac", "good_practice"), 1);
	assert_int_equal(count(&res, "lac", "concern"), 2);
	assert_int_equal(count(&res, "cp", "good_practice"), 1);
	assert_int_equal(count(&res, "cp", "concern"), 1);
	assert_int_equal(res.rag, KPI_RAG_NONE);

	/* An empty window: a count of 0, not an error. */
	compute("qa.alerts", &ps, "2010-04-01", "2011-03-31", "2019-06-01",
	    NULL, &res);
	assert_int_equal(res.num, 0);
	assert_int_equal(count(&res, "lac", "concern"), 0);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_response_fifth_working_day(void **state)
{
	/* Raised Monday 1 April 2019: the 5th working day is Monday 8th. */
	const char *on_fifth[] = { CONCERN("r", "2019-04-01", "x"),
		RESPONDED("p", "2019-04-08", "x") };
	const char *on_sixth[] = { CONCERN("r", "2019-04-01", "x"),
		RESPONDED("p", "2019-04-09", "x") };
	/* Raised Thursday 18 April 2019: Good Friday and Easter Monday are
	 * skipped, so the 5th working day is Monday 29th. */
	const char *easter[] = { CONCERN("r", "2019-04-18", "y"),
		RESPONDED("p", "2019-04-29", "y") };
	const char *easter_late[] = { CONCERN("r", "2019-04-18", "y"),
		RESPONDED("p", "2019-04-30", "y") };
	/* The earliest response counts; one dated before the raising does
	 * not; one on the raised day counts though it sorts first ("a" <
	 * "r"). */
	const char *earliest_late[] = { CONCERN("r", "2019-04-01", "z"),
		RESPONDED("p1", "2019-03-29", "z"),
		RESPONDED("p2", "2019-04-10", "z"),
		RESPONDED("p3", "2019-04-05", "other"),
		RESPONDED("p4", "2019-04-12", "z") };
	const char *same_day[] = { CONCERN("r", "2019-04-01", "w"),
		RESPONDED("a", "2019-04-01", "w") };
	/* Good practice alerts are not asked for a response. */
	const char *good[] = { RAISED(
	    "r", "2019-04-01", "g", "good_practice", "cp") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	CHILD(&ps, on_fifth);
	CHILD(&ps, on_sixth);
	CHILD(&ps, easter);
	CHILD(&ps, easter_late);
	CHILD(&ps, earliest_late);
	CHILD(&ps, same_day);
	CHILD(&ps, good);
	compute("qa.response_5wd", &ps, "2019-04-01", "2019-04-30",
	    "2019-06-01", NULL, &res);
	assert_int_equal(res.num, 3);
	assert_int_equal(res.den, 6);
	assert_true(res.value == 50.0);
	assert_int_equal(count(&res, "", "late"), 3);
	assert_int_equal(count(&res, "", "overdue"), 0);
	assert_int_equal(count(&res, "", "awaiting"), 0);
	/* The default target: 90% higher is better, amber within 10. */
	assert_true(res.target.set);
	assert_true(res.target.target == 90);
	assert_int_equal(res.rag, KPI_RAG_RED);

	/* Counted on the raised date: the Easter pair only. */
	compute("qa.response_5wd", &ps, "2019-04-18", "2019-04-18",
	    "2019-06-01", NULL, &res);
	assert_int_equal(res.num, 1);
	assert_int_equal(res.den, 2);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_response_pending_against_today(void **state)
{
	/* Raised Thursday 18 April 2019, due Monday 29th, never answered. */
	const char *lines[] = { CONCERN("r", "2019-04-18", "x") };
	const char *answered_late[] = { CONCERN("r", "2019-04-18", "y"),
		RESPONDED("p", "2019-05-20", "y") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	CHILD(&ps, lines);
	/* Today is the deadline: not in the denominator yet. */
	compute("qa.response_5wd", &ps, "2019-04-01", "2019-04-30",
	    "2019-04-29", NULL, &res);
	assert_int_equal(res.num, 0);
	assert_int_equal(res.den, 0);
	assert_false(res.has_value);
	assert_int_equal(res.rag, KPI_RAG_NONE);
	assert_int_equal(count(&res, "", "awaiting"), 1);
	assert_int_equal(count(&res, "", "overdue"), 0);
	/* The day after the deadline: in the denominator, not met. */
	compute("qa.response_5wd", &ps, "2019-04-01", "2019-04-30",
	    "2019-04-30", NULL, &res);
	assert_int_equal(res.num, 0);
	assert_int_equal(res.den, 1);
	assert_true(res.value == 0.0);
	assert_int_equal(count(&res, "", "awaiting"), 0);
	assert_int_equal(count(&res, "", "overdue"), 1);

	/* Answered late: in the denominator whatever today is. */
	CHILD(&ps, answered_late);
	compute("qa.response_5wd", &ps, "2019-04-01", "2019-04-30",
	    "2019-04-20", NULL, &res);
	assert_int_equal(res.num, 0);
	assert_int_equal(res.den, 1);
	assert_int_equal(count(&res, "", "late"), 1);
	assert_int_equal(count(&res, "", "awaiting"), 1);

	/* A window with no alerts: den 0 and no value. */
	compute("qa.response_5wd", &ps, "2019-05-01", "2019-05-31",
	    "2019-12-01", NULL, &res);
	assert_int_equal(res.den, 0);
	assert_false(res.has_value);
	kpi_result_free(&res);
	points_free(&ps);
}

/* Open alerts on day: stage_1..stage_4 as one number, digits 1-4, with
 * num (the total) checked against their sum. */
static int64_t
stages_on(const struct points *ps, const char *day)
{
	struct kpi_result res = { 0 };
	int64_t v;

	compute_on("qa.open_by_stage", ps, day, NULL, &res);
	v = count(&res, "", "stage_1") * 1000 +
	    count(&res, "", "stage_2") * 100 +
	    count(&res, "", "stage_3") * 10 + count(&res, "", "stage_4");
	assert_int_equal(res.num,
	    count(&res, "", "stage_1") + count(&res, "", "stage_2") +
		count(&res, "", "stage_3") + count(&res, "", "stage_4"));
	assert_true(res.value == (double)res.num);
	kpi_result_free(&res);
	return v;
}

static void
test_open_by_stage(void **state)
{
	const char *lines[] = {
		/* Dated before the raising: changes nothing. */
		ESCALATED("e0", "2019-03-30", "x", "2"),
		CONCERN("r", "2019-04-01", "x"),
		ESCALATED("e1", "2019-04-10", "x", "3"),
		/* Down to 2: the highest stage reached stays 3. */
		ESCALATED("e2", "2019-04-15", "x", "2"),
		ESCALATED("e3", "2019-04-20", "x", "4"),
		RESOLVED("z", "2019-05-01", "x"),
		/* After the resolution: changes nothing. */
		ESCALATED("e4", "2019-05-02", "x", "4"),
		/* Good practice alerts are never open. */
		RAISED("g", "2019-04-01", "g", "good_practice", "lac"),
	};
	/* Never escalated, never resolved: stage 1 for ever.  Escalated on
	 * the day it is resolved, and after: closed that day at stage 1. */
	const char *other[] = { CONCERN("r", "2019-04-05", "y"),
		CONCERN("s", "2019-04-08", "w"),
		ESCALATED("e", "2019-04-12", "w", "2"),
		RESOLVED("z", "2019-04-12", "w"),
		ESCALATED("f", "2019-04-15", "w", "3") };
	/* Raised and resolved on one day: never open. */
	const char *same_day[] = { CONCERN("r", "2019-04-02", "v"),
		RESOLVED("a", "2019-04-02", "v") };
	struct points ps = { 0 };

	(void)state;
	CHILD(&ps, lines);
	assert_int_equal(stages_on(&ps, "2019-03-31"), 0);
	assert_int_equal(stages_on(&ps, "2019-04-01"), 1000);
	assert_int_equal(stages_on(&ps, "2019-04-09"), 1000);
	assert_int_equal(stages_on(&ps, "2019-04-10"), 10);
	assert_int_equal(stages_on(&ps, "2019-04-15"), 10);
	assert_int_equal(stages_on(&ps, "2019-04-19"), 10);
	assert_int_equal(stages_on(&ps, "2019-04-20"), 1);
	assert_int_equal(stages_on(&ps, "2019-04-30"), 1);
	assert_int_equal(stages_on(&ps, "2019-05-01"), 0);
	assert_int_equal(stages_on(&ps, "2019-06-01"), 0);

	CHILD(&ps, other);
	CHILD(&ps, same_day);
	assert_int_equal(stages_on(&ps, "2019-04-02"), 1000);
	assert_int_equal(stages_on(&ps, "2019-04-08"), 3000);
	assert_int_equal(stages_on(&ps, "2019-04-11"), 2010);
	assert_int_equal(stages_on(&ps, "2019-04-12"), 1010);
	assert_int_equal(stages_on(&ps, "2019-04-15"), 1010);
	assert_int_equal(stages_on(&ps, "2019-04-20"), 1001);
	assert_int_equal(stages_on(&ps, "2020-04-20"), 1000);
	points_free(&ps);
}

static void
test_open_by_stage_as_at_today(void **state)
{
	const char *lines[] = { CONCERN("r", "2019-04-01", "x"),
		ESCALATED("e", "2019-04-10", "x", "2") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	CHILD(&ps, lines);
	/* The window ends after today: counted on today. */
	compute("qa.open_by_stage", &ps, "2019-04-01", "2019-04-30",
	    "2019-04-09", NULL, &res);
	assert_int_equal(res.as_at, day_of("2019-04-09"));
	assert_int_equal(count(&res, "", "stage_1"), 1);
	assert_int_equal(count(&res, "", "stage_2"), 0);
	compute("qa.open_by_stage", &ps, "2019-04-01", "2019-04-30",
	    "2019-04-10", NULL, &res);
	assert_int_equal(count(&res, "", "stage_1"), 0);
	assert_int_equal(count(&res, "", "stage_2"), 1);
	assert_int_equal(res.num, 1);
	kpi_result_free(&res);
	points_free(&ps);
}

/*
 * Child A: on a plan from 1 March 2019, looked after from 1 April with I1
 * (both: 1.5, once), moved to I2 on 1 June, no longer looked after from
 * 2 September (plan only: 1), off the plan on 2 December.  Child B: on a
 * plan from 1 April, not allocated until 5 April (I1).  Child C: short
 * breaks with I1 (weight 0).  Child D: looked after with I10.
 */
static const char *const child_a[] = {
	PLAN_STARTED("a1", "2019-03-01"),
	ALLOCATED("a2", "2019-04-01", "I1"),
	LAC_STARTED("a3", "2019-04-01", "C2"),
	ALLOCATED("a4", "2019-06-01", "I2"),
	LAC_ENDED("a5", "2019-09-02"),
	PLAN_ENDED("a6", "2019-12-02"),
};
static const char *const child_b[] = {
	PLAN_STARTED("b1", "2019-04-01"),
	ALLOCATED("b2", "2019-04-05", "I1"),
};
static const char *const child_c[] = {
	ALLOCATED("c1", "2019-04-01", "I1"),
	LAC_STARTED("c2", "2019-04-01", "V3"),
};
static const char *const child_d[] = {
	ALLOCATED("d1", "2019-07-01", "I10"),
	LAC_STARTED("d2", "2019-07-01", "C2"),
};

static void
caseload_points(struct points *ps)
{
	CHILD(ps, child_a);
	CHILD(ps, child_b);
	CHILD(ps, child_c);
	CHILD(ps, child_d);
}

/* The "iros" item of iro on res, checked for its place in id order. */
static const struct kpi_item *
iro_item(const struct kpi_result *res, const char *iro)
{
	const struct kpi_item *it = find_item(res, "iros", iro);

	if (it == NULL)
		fail_msg("no IRO %s", iro);
	assert_int_equal(it->kind, KPI_ITEM_VALUE);
	if (it > res->items && strcmp(it[-1].group, "iros") == 0)
		assert_true(strcmp(it[-1].key, it->key) < 0);
	return it;
}

static size_t
iro_count(const struct kpi_result *res)
{
	size_t i, n = 0;

	for (i = 0; i < res->nitems; i++)
		n += strcmp(res->items[i].group, "iros") == 0;
	return n;
}

static void
test_caseload_running_totals(void **state)
{
	struct points ps = { 0 };

	(void)state;
	CHILD(&ps, child_a);
	/* Looked after wins over the plan; moved on 1 June; plan only from
	 * 2 September; out of every caseload on 2 December. */
	assert_int_equal(points_total(&ps, S_IRO_CASELOAD_CP "I1"), 0);
	assert_int_equal(points_sum(&ps, S_IRO_CASELOAD_LAC "I1",
			     day_of("2019-04-01"), day_of("2019-04-01")),
	    1);
	assert_int_equal(points_sum(&ps, S_IRO_CASELOAD_LAC "I1",
			     day_of("2019-06-01"), day_of("2019-06-01")),
	    -1);
	assert_int_equal(points_sum(&ps, S_IRO_CASELOAD_LAC "I2",
			     day_of("2019-06-01"), day_of("2019-06-01")),
	    1);
	assert_int_equal(points_sum(&ps, S_IRO_CASELOAD_LAC "I2",
			     day_of("2019-09-02"), day_of("2019-09-02")),
	    -1);
	assert_int_equal(points_sum(&ps, S_IRO_CASELOAD_CP "I2",
			     day_of("2019-09-02"), day_of("2019-09-02")),
	    1);
	assert_int_equal(points_sum(&ps, S_IRO_CASELOAD_CP "I2",
			     day_of("2019-12-02"), day_of("2019-12-02")),
	    -1);
	assert_int_equal(points_total(&ps, S_IRO_CASELOAD_LAC "I1"), 0);
	assert_int_equal(points_total(&ps, S_IRO_CASELOAD_LAC "I2"), 0);
	assert_int_equal(points_total(&ps, S_IRO_CASELOAD_CP "I2"), 0);
	points_free(&ps);
}

static void
test_caseload_default_weights(void **state)
{
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	caseload_points(&ps);

	/* Before anything: no IRO, no value, not an error. */
	compute_on("iro.caseload", &ps, "2019-03-31", NULL, &res);
	assert_int_equal(res.den, 0);
	assert_int_equal(res.num, 0);
	assert_false(res.has_value);
	assert_int_equal(iro_count(&res), 0);
	assert_int_equal(count(&res, "", "children_lac"), 0);
	assert_int_equal(count(&res, "", "children_cp"), 0);

	/* 1 April: A (looked after and on a plan) counts 1.5 once; B is on
	 * a plan but held by nobody; C's short breaks count nowhere. */
	compute_on("iro.caseload", &ps, "2019-04-01", NULL, &res);
	assert_int_equal(iro_count(&res), 1);
	assert_true(iro_item(&res, "I1")->value == 1.5);
	assert_int_equal(iro_item(&res, "I1")->num, 1);
	assert_int_equal(iro_item(&res, "I1")->den, 0);
	assert_true(res.has_value);
	assert_true(res.value == 1.5);
	assert_int_equal(res.den, 1);
	assert_int_equal(res.num, 0);

	/* 5 April: B allocated to I1. */
	compute_on("iro.caseload", &ps, "2019-04-05", NULL, &res);
	assert_true(iro_item(&res, "I1")->value == 2.5);
	assert_int_equal(iro_item(&res, "I1")->den, 1);
	assert_int_equal(count(&res, "", "children_lac"), 1);
	assert_int_equal(count(&res, "", "children_cp"), 1);

	/* 31 May, the day before the move: still with I1. */
	compute_on("iro.caseload", &ps, "2019-05-31", NULL, &res);
	assert_int_equal(iro_count(&res), 1);
	assert_true(iro_item(&res, "I1")->value == 2.5);

	/* 1 June: A moves to I2.  (1 + 1.5) / 2 = 1.25, to 1.3. */
	compute_on("iro.caseload", &ps, "2019-06-01", NULL, &res);
	assert_int_equal(iro_count(&res), 2);
	assert_true(iro_item(&res, "I1")->value == 1.0);
	assert_int_equal(iro_item(&res, "I1")->num, 0);
	assert_int_equal(iro_item(&res, "I1")->den, 1);
	assert_true(iro_item(&res, "I2")->value == 1.5);
	assert_int_equal(res.den, 2);
	assert_true(res.value == 1.3);

	/* 2 September: A plan only (1) with I2; D with I10, listed in id
	 * order ("I1" < "I10" < "I2"). */
	compute_on("iro.caseload", &ps, "2019-09-02", NULL, &res);
	assert_int_equal(iro_count(&res), 3);
	assert_string_equal(res.items[2].key, "I1");
	assert_string_equal(res.items[3].key, "I10");
	assert_string_equal(res.items[4].key, "I2");
	assert_true(iro_item(&res, "I2")->value == 1.0);
	assert_int_equal(iro_item(&res, "I2")->den, 1);
	assert_true(iro_item(&res, "I10")->value == 1.5);
	assert_true(res.value == 1.2);

	/* 2 December: A off the plan; I2 holds nobody and is not listed. */
	compute_on("iro.caseload", &ps, "2019-12-02", NULL, &res);
	assert_int_equal(iro_count(&res), 2);
	assert_null(find_item(&res, "iros", "I2"));
	assert_int_equal(res.den, 2);
	assert_true(res.value == 1.3);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_caseload_settings(void **state)
{
	struct points ps = { 0 };
	struct kpi_result res = { 0 };
	struct kpi_settings s;

	(void)state;
	caseload_points(&ps);
	kpi_settings_defaults(&s);
	assert_true(s.weight_lac == 1.5);
	assert_true(s.weight_cp == 1);
	assert_true(s.caseload_ceiling == 105);

	/* On the ceiling is not over it; above it is. */
	s.caseload_ceiling = 2.5;
	compute_on("iro.caseload", &ps, "2019-04-05", &s, &res);
	assert_int_equal(res.num, 0);
	assert_int_equal(res.den, 1);
	s.caseload_ceiling = 2.4;
	compute_on("iro.caseload", &ps, "2019-04-05", &s, &res);
	assert_int_equal(res.num, 1);

	/* Weights from the settings: 2 looked after, 0.25 plan only. */
	s.weight_lac = 2;
	s.weight_cp = 0.25;
	s.caseload_ceiling = 2;
	compute_on("iro.caseload", &ps, "2019-04-05", &s, &res);
	assert_true(iro_item(&res, "I1")->value == 2.3); /* 2.25 */
	assert_true(res.value == 2.3);
	assert_int_equal(res.num, 1);

	/* Plan-only children weigh nothing: I1 (B only) is listed but not
	 * averaged. */
	s.weight_cp = 0;
	compute_on("iro.caseload", &ps, "2019-06-01", &s, &res);
	assert_int_equal(iro_count(&res), 2);
	assert_true(iro_item(&res, "I1")->value == 0);
	assert_int_equal(iro_item(&res, "I1")->den, 1);
	assert_int_equal(res.den, 1);
	assert_true(res.value == 2.0);
	assert_int_equal(res.num, 0);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_hsb_meetings(void **state)
{
	const char *lines[] = {
		HSB_MEETING("m1", "2019-03-31", "initial", "red"), /* before */
		HSB_MEETING("m2", "2019-04-01", "initial", "red"),
		HSB_MEETING("m3", "2019-04-10", "initial", "amber"),
		HSB_MEETING("m4", "2019-04-20", "review", "red"),
		HSB_MEETING("m5", "2019-04-30", "review", "amber_red"),
		HSB_MEETING("m6", "2019-04-30", "review", "amber_red"),
		HSB_MEETING("m7", "2019-05-01", "review", "red"), /* after */
	};
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	CHILD(&ps, lines);
	compute("hsb.meetings", &ps, "2019-04-01", "2019-04-30", "2019-06-01",
	    NULL, &res);
	assert_int_equal(res.num, 5);
	assert_int_equal(count(&res, "kind", "initial"), 2);
	assert_int_equal(count(&res, "kind", "review"), 3);
	assert_int_equal(count(&res, "brook", "amber"), 1);
	assert_int_equal(count(&res, "brook", "amber_red"), 2);
	assert_int_equal(count(&res, "brook", "red"), 2);
	assert_int_equal(count(&res, "initial", "red"), 1);
	assert_int_equal(count(&res, "initial", "amber_red"), 0);
	assert_int_equal(count(&res, "review", "amber_red"), 2);
	assert_int_equal(count(&res, "review", "red"), 1);
	assert_null(find_item(&res, "brook", "green"));
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_hsb_journey(void **state)
{
	/* Identified Monday 1 April 2019; Good Friday and Easter Monday
	 * skipped, the 20th working day is Wednesday 1 May. */
	const char *on_20th[] = { IDENTIFIED("i", "2019-04-01", "red"),
		HSB_MEETING("m", "2019-05-01", "initial", "red") };
	const char *on_21st[] = { IDENTIFIED("i", "2019-04-01", "amber_red"),
		HSB_MEETING("m", "2019-05-02", "initial", "amber_red") };
	/* A review meeting does not count; neither does an initial one
	 * before the identification.  Same day counts. */
	const char *review_only[] = { HSB_MEETING("m0", "2019-03-20",
					  "initial", "red"),
		IDENTIFIED("i", "2019-04-02", "red"),
		HSB_MEETING("m", "2019-04-03", "review", "red") };
	const char *same_day[] = { IDENTIFIED("i", "2019-04-03", "red"),
		HSB_MEETING("a", "2019-04-03", "initial", "red") };
	/* Green and amber: counted by category, not followed up. */
	const char *lower[] = { IDENTIFIED("i1", "2019-04-04", "green"),
		IDENTIFIED("i2", "2019-04-05", "amber") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	CHILD(&ps, on_20th);
	CHILD(&ps, on_21st);
	CHILD(&ps, review_only);
	CHILD(&ps, same_day);
	CHILD(&ps, lower);

	/* 2 April's deadline (2 May) has passed by 3 May. */
	compute("hsb.journey", &ps, "2019-04-01", "2019-04-30", "2019-05-03",
	    NULL, &res);
	assert_int_equal(res.num, 2);
	assert_int_equal(res.den, 4);
	assert_true(res.value == 50.0);
	assert_int_equal(count(&res, "", "late"), 1);
	assert_int_equal(count(&res, "", "overdue"), 1);
	assert_int_equal(count(&res, "", "awaiting"), 0);
	assert_int_equal(count(&res, "identified", "green"), 1);
	assert_int_equal(count(&res, "identified", "amber"), 1);
	assert_int_equal(count(&res, "identified", "amber_red"), 1);
	assert_int_equal(count(&res, "identified", "red"), 3);
	assert_int_equal(res.rag, KPI_RAG_NONE);

	/* On 2 May, 2 April's deadline is today: awaiting, not in den. */
	compute("hsb.journey", &ps, "2019-04-01", "2019-04-30", "2019-05-02",
	    NULL, &res);
	assert_int_equal(res.num, 2);
	assert_int_equal(res.den, 3);
	assert_int_equal(count(&res, "", "awaiting"), 1);

	/* No identifications: den 0, no value. */
	compute("hsb.journey", &ps, "2018-04-01", "2018-04-30", "2019-05-02",
	    NULL, &res);
	assert_int_equal(res.den, 0);
	assert_false(res.has_value);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_catalogue_rows(void **state)
{
	static const struct {
		const char *id;
		enum kpi_unit unit;
		bool as_at, target;
	} rows[] = {
		{ "qa.alerts", KPI_COUNT, false, false },
		{ "qa.response_5wd", KPI_PERCENT, false, true },
		{ "qa.open_by_stage", KPI_COUNT, true, false },
		{ "iro.caseload", KPI_AVERAGE, true, false },
		{ "hsb.meetings", KPI_COUNT, false, false },
		{ "hsb.journey", KPI_PERCENT, false, false },
	};
	const struct kpi_def *k, *prev = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(rows); i++) {
		k = kpi_find(rows[i].id);
		assert_non_null(k);
		assert_int_equal(kpi_unit(k), rows[i].unit);
		assert_int_equal(kpi_is_as_at(k), rows[i].as_at);
		assert_int_equal(kpi_default_target(k)->set, rows[i].target);
		/* In KPIS.md order, one after the other. */
		if (prev != NULL)
			assert_int_equal(kpi_index(k), kpi_index(prev) + 1);
		prev = k;
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alerts_by_area_and_kind),
		cmocka_unit_test(test_response_fifth_working_day),
		cmocka_unit_test(test_response_pending_against_today),
		cmocka_unit_test(test_open_by_stage),
		cmocka_unit_test(test_open_by_stage_as_at_today),
		cmocka_unit_test(test_caseload_running_totals),
		cmocka_unit_test(test_caseload_default_weights),
		cmocka_unit_test(test_caseload_settings),
		cmocka_unit_test(test_hsb_meetings),
		cmocka_unit_test(test_hsb_journey),
		cmocka_unit_test(test_catalogue_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
