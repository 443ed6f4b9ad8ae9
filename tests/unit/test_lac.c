/*
 * The lac.* KPIs end to end: JSON lines of one child through
 * facts_derive_child() into points, then kpi_compute() over them with an
 * in-memory reader.  Each test pins the statutory edges of one KPI
 * (participation codes, the 24-hour report, working-day deadlines across
 * bank holidays and "today", review numbers, the as-at day, the 12-month
 * cohorts and the ages 5 and 16), with exact numerators and denominators.
 * lac.review_timeliness is covered by test_facts.c and test_kpi.c.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts.h"
#include "domain/kpi.h"
#include "domain/series_names.h"
#include "domain/timescale.h"
#include "proto/json.h"
#include "tests/support/memreader.h"
#include "tests/support/timeline.h"

/* One event of child C; body is "" or starts with a comma. */
#define EV(id, type, at, body)                                        \
	"{\"id\":\"" id "\",\"type\":\"" type "\",\"at\":\"" at "\"," \
	"\"child\":\"C\"" body "}"
#define START(id, at)    EV(id, "lac.started", at, ",\"legal_status\":\"C2\"")
#define START_SB(id, at) EV(id, "lac.started", at, ",\"legal_status\":\"V3\"")
#define END(id, at)      EV(id, "lac.ended", at, "")
#define BORN(id, dob)                            \
	EV(id, "child.registered", "2019-01-01", \
	    ",\"dob\":\"" dob "\",\"gender\":\"F\"")
#define REVIEW(id, at, pn, sw, perm)                        \
	EV(id, "review.held", at,                           \
	    ",\"iro\":\"I1\",\"participation\":\"" pn "\"," \
	    "\"sw_report_at\":" sw ",\"permanence_plan\":" perm)
#define HELD(id, at) REVIEW(id, at, "PN1", "null", "false")
#define SW(at)       "\"" at "\""
#define RECORD(id, at, review) \
	EV(id, "review.record_uploaded", at, ",\"review_at\":\"" review "\"")
#define DECISIONS(id, at, review)               \
	EV(id, "review.decisions_uploaded", at, \
	    ",\"review_at\":\"" review "\"")
#define PEP(id, at)    EV(id, "pep.completed", at, "")
#define HEALTH(id, at) EV(id, "health_assessment.completed", at, "")
#define DENTAL(id, at) EV(id, "dental_check.completed", at, "")

static int
cmp_events(const void *a, const void *b)
{
	return facts_event_cmp(
	    *(const struct event *const *)a, *(const struct event *const *)b);
}

/* As derive_lines() with a timescale of the test's own. */
static void
derive_with(const struct timescale *ts, const char *const *lines, size_t n,
    struct points *out)
{
	struct event **evs = calloc(n, sizeof(*evs));
	struct calendar *cal = NULL;
	struct irk_diag diag;
	size_t i;

	assert_non_null(evs);
	assert_int_equal(calendar_new(&cal), 0);
	for (i = 0; i < n; i++) {
		assert_non_null(evs[i] = malloc(sizeof(struct event)));
		if (json_decode_event(
			lines[i], strlen(lines[i]), evs[i], &diag) != 0)
			fail_msg(
			    "line %zu: %s: %s", i, diag.field, diag.reason);
	}
	qsort(evs, n, sizeof(evs[0]), cmp_events);
	assert_int_equal(facts_derive_child(ts, cal,
			     (const struct event *const *)evs, n, out),
	    0);
	points_normalize(out);
	for (i = 0; i < n; i++)
		free(evs[i]);
	free(evs);
	calendar_free(&cal);
}

/* Compute KPI id over ps for the window from..to with today. */
static void
compute(const struct points *ps, const char *id, const char *from,
    const char *to, const char *today, const struct kpi_settings *settings,
    struct kpi_result *res)
{
	struct series_reader r;
	struct kpi_query q = { day_of(from), day_of(to), day_of(today),
		settings };
	const struct kpi_def *k = kpi_find(id);

	if (k == NULL)
		fail_msg("no KPI %s", id);
	memreader_init(&r, ps);
	assert_int_equal(kpi_compute(k, &r, &q, res), 0);
}

static const struct kpi_item *
item(const struct kpi_result *r, const char *group, const char *key)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].group, group) == 0 &&
		    strcmp(r->items[i].key, key) == 0)
			return &r->items[i];
	fail_msg("no item %s/%s", group, key);
	return NULL;
}

static bool
has_item(const struct kpi_result *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nitems; i++)
		if (strcmp(r->items[i].key, key) == 0)
			return true;
	return false;
}

/*
 * KPI id for the window ending `to` (from 1 April 2000, today far ahead)
 * over the derived lines must give num / den; line is the caller's.
 */
static void
expect_at(const char *const *lines, size_t n, const char *id, const char *to,
    int64_t num, int64_t den, int line)
{
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	derive_lines(lines, n, &ps);
	compute(&ps, id, "2000-04-01", to, "2030-01-01", NULL, &res);
	if (res.num != num || res.den != den)
		fail_msg("line %d: %s to %s: %lld/%lld, expected %lld/%lld",
		    line, id, to, (long long)res.num, (long long)res.den,
		    (long long)num, (long long)den);
	kpi_result_free(&res);
	points_free(&ps);
}

#define EXPECT(lines, id, to, num, den) \
	expect_at(lines, NITEMS(lines), id, to, num, den, __LINE__)

static void
test_catalogue_order_and_defaults(void **state)
{
	static const char *const ids[] = { "lac.review_timeliness",
		"lac.participation", "lac.sw_report_24h", "lac.record_20wd",
		"lac.decisions_5wd", "lac.permanence_second_review",
		"lac.permanence_later_reviews", "lac.population", "lac.pep",
		"lac.health_assessment", "lac.dental_check" };
	const struct kpi_target *t;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(ids); i++)
		assert_string_equal(kpi_id(kpi_at(i)), ids[i]);
	t = kpi_default_target(kpi_find("lac.record_20wd"));
	assert_true(
	    t->set && t->target == 95 && t->better == KPI_BETTER_HIGHER);
	/* A direction without a target: no RAG until one is configured. */
	t = kpi_default_target(kpi_find("lac.participation"));
	assert_false(t->set);
	assert_int_equal(t->better, KPI_BETTER_HIGHER);
	assert_int_equal(
	    kpi_default_target(kpi_find("lac.sw_report_24h"))->better,
	    KPI_BETTER_HIGHER);
	assert_int_equal(
	    kpi_default_target(kpi_find("lac.population"))->better,
	    KPI_BETTER_NONE);
	assert_true(kpi_is_as_at(kpi_find("lac.population")));
	assert_int_equal(kpi_unit(kpi_find("lac.population")), KPI_COUNT);
	assert_false(kpi_is_as_at(kpi_find("lac.pep")));
}

static void
test_participation_codes(void **state)
{
	/* PN0 left out, PN4 in the headline but not in views; a review
	 * after the episode ended and one in short breaks count nowhere. */
	const char *lines[] = { START("s", "2019-04-01"),
		REVIEW("r1", "2019-04-10", "PN0", "null", "false"),
		REVIEW("r2", "2019-05-01", "PN1", "null", "false"),
		REVIEW("r3", "2019-06-01", "PN4", "null", "false"),
		REVIEW("r4", "2019-07-01", "PN7", "null", "false"),
		REVIEW("r5", "2019-08-01", "PN5", "null", "false"),
		END("e", "2019-09-01"),
		REVIEW("r6", "2019-09-01", "PN2", "null", "false"),
		START_SB("s2", "2019-10-01"),
		REVIEW("r7", "2019-10-20", "PN3", "null", "false") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	derive_lines(lines, NITEMS(lines), &ps);
	compute(&ps, "lac.participation", "2019-04-01", "2020-03-31",
	    "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 3);
	assert_int_equal(res.den, 4);
	assert_true(res.value == 75.0);
	assert_int_equal(item(&res, "", "views")->kind, KPI_ITEM_RATIO);
	assert_int_equal(item(&res, "", "views")->num, 2);
	assert_int_equal(item(&res, "", "views")->den, 4);
	assert_int_equal(item(&res, "codes", "PN0")->num, 1);
	assert_int_equal(item(&res, "codes", "PN1")->num, 1);
	assert_int_equal(item(&res, "codes", "PN2")->num, 0);
	assert_int_equal(item(&res, "codes", "PN3")->num, 0);
	assert_int_equal(item(&res, "codes", "PN4")->num, 1);
	assert_int_equal(item(&res, "codes", "PN5")->num, 1);
	assert_int_equal(item(&res, "codes", "PN6")->num, 0);
	assert_int_equal(item(&res, "codes", "PN7")->num, 1);

	/* Counted on the review date: April and May hold PN0 and PN1. */
	compute(&ps, "lac.participation", "2019-04-01", "2019-05-31",
	    "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 1);
	assert_int_equal(res.den, 1);
	assert_int_equal(item(&res, "codes", "PN0")->num, 1);

	/* Only a PN0 review: nothing to count, no value. */
	compute(&ps, "lac.participation", "2019-04-01", "2019-04-30",
	    "2020-06-30", NULL, &res);
	assert_int_equal(res.den, 0);
	assert_false(res.has_value);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_participation_seed_figures(void **state)
{
	/* The seed's 2019-20 table: 1214 / 1317 = 92.2%; views 1203. */
	static const int64_t counts[] = { 404, 659, 7, 0, 11, 87, 450, 103 };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(counts); i++)
		assert_int_equal(
		    points_bucket(&ps, day_of("2019-09-01"), counts[i],
			S_LAC_PARTICIPATION "PN%zu", i),
		    0);
	points_normalize(&ps);
	compute(&ps, "lac.participation", "2019-04-01", "2020-03-31",
	    "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 1214);
	assert_int_equal(res.den, 1317);
	assert_true(res.value == 92.2);
	assert_int_equal(item(&res, "", "views")->num, 1203);
	assert_int_equal(item(&res, "codes", "PN0")->num, 404);
	assert_int_equal(res.rag, KPI_RAG_NONE);
	kpi_result_free(&res);
	points_free(&ps);
}

/* Which sw_report_24h series one review lands in, with ts. */
static const char *
sw_class(const struct timescale *ts, const char *review)
{
	static const char *const series[] = { S_LAC_SW_REPORT_IN_TIME,
		S_LAC_SW_REPORT_LATE, S_LAC_SW_REPORT_NOT_RECEIVED };
	const char *lines[] = { START("s", "2019-04-01"), review };
	struct points ps = { 0 };
	const char *found = NULL;
	size_t i;

	derive_with(ts, lines, NITEMS(lines), &ps);
	for (i = 0; i < NITEMS(series); i++) {
		if (points_total(&ps, series[i]) == 0)
			continue;
		assert_int_equal(points_total(&ps, series[i]), 1);
		assert_null(found);
		found = series[i] + strlen("lac.sw_report_24h:");
	}
	points_free(&ps);
	return found != NULL ? found : "none";
}

#define SWREV(at, sw) REVIEW("r", at, "PN1", sw, "false")

static void
test_sw_report_edges(void **state)
{
	struct timescale ts;

	(void)state;
	timescale_defaults(&ts);
	/* Dates: the day before is in time, the same day is not. */
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10", SW("2019-06-09"))), "in_time");
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10", SW("2019-06-10"))), "late");
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10", SW("2019-06-12"))), "late");
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10", "null")), "not_received");
	/* Both date-times: 24 hours exactly is in time, a second less not. */
	assert_string_equal(sw_class(&ts, SWREV("2019-06-10T10:00:00Z",
					      SW("2019-06-09T10:00:00Z"))),
	    "in_time");
	assert_string_equal(sw_class(&ts, SWREV("2019-06-10T10:00:00Z",
					      SW("2019-06-09T10:00:01Z"))),
	    "late");
	/* The day before by date, but 23.5 hours by the clock (the review
	 * at 10:00 +01:00 is 09:00 UTC). */
	assert_string_equal(sw_class(&ts, SWREV("2019-06-10T10:00:00+01:00",
					      SW("2019-06-09T09:30:00Z"))),
	    "late");
	/* One side without a time: business dates decide. */
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10T08:00:00Z", SW("2019-06-09"))),
	    "in_time");
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10", SW("2019-06-09T23:59:00Z"))),
	    "in_time");
	/* A local standard of 2 days. */
	ts.sw_report_days = 2;
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10", SW("2019-06-09"))), "late");
	assert_string_equal(
	    sw_class(&ts, SWREV("2019-06-10", SW("2019-06-08"))), "in_time");
	assert_string_equal(sw_class(&ts, SWREV("2019-06-10T10:00:00Z",
					      SW("2019-06-08T10:00:01Z"))),
	    "late");
	assert_string_equal(sw_class(&ts, SWREV("2019-06-10T10:00:00Z",
					      SW("2019-06-08T10:00:00Z"))),
	    "in_time");
}

static void
test_sw_report_kpi(void **state)
{
	const char *lines[] = { START("s", "2019-04-01"),
		REVIEW("r1", "2019-04-20", "PN1", SW("2019-04-18"), "false"),
		REVIEW("r2", "2019-07-20", "PN1", SW("2019-07-20"), "false"),
		REVIEW("r3", "2020-01-20", "PN1", "null", "false"),
		REVIEW("r4", "2020-02-20", "PN0", SW("2020-02-19"), "false") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	derive_lines(lines, NITEMS(lines), &ps);
	compute(&ps, "lac.sw_report_24h", "2019-04-01", "2020-03-31",
	    "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 2);
	assert_int_equal(res.den, 4);
	assert_true(res.value == 50.0);
	assert_int_equal(item(&res, "", "late")->num, 1);
	assert_int_equal(item(&res, "", "not_received")->num, 1);
	compute(&ps, "lac.sw_report_24h", "2018-04-01", "2019-03-31",
	    "2020-06-30", NULL, &res);
	assert_int_equal(res.den, 0);
	assert_false(res.has_value);
	kpi_result_free(&res);
	points_free(&ps);
}

/* num * 10 + den of a deadline KPI over one review's timeline. */
static int64_t
deadline_of(
    const char *id, const char *const *lines, size_t n, const char *today)
{
	struct points ps = { 0 };
	struct kpi_result res = { 0 };
	int64_t v;

	derive_lines(lines, n, &ps);
	compute(&ps, id, "2019-04-01", "2020-03-31", today, NULL, &res);
	v = res.num * 10 + res.den;
	kpi_result_free(&res);
	points_free(&ps);
	return v;
}

static void
test_record_20wd_deadline(void **state)
{
	/* Thursday 18 April 2019 + 20 working days, Good Friday, Easter
	 * Monday and the early May bank holiday skipped: Tuesday 21 May. */
	const char *on_day[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-18"),
		RECORD("u", "2019-05-21", "2019-04-18") };
	const char *day_after[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-18"),
		RECORD("u", "2019-05-22", "2019-04-18") };
	/* The earliest upload counts, whichever order they come in. */
	const char *earliest_in_time[] = { START("s", "2019-04-01"),
		RECORD("u2", "2019-06-30", "2019-04-18"),
		HELD("r", "2019-04-18"),
		RECORD("u1", "2019-05-10", "2019-04-18") };
	const char *earliest_late[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-18"),
		RECORD("u1", "2019-05-22", "2019-04-18"),
		RECORD("u2", "2019-06-30", "2019-04-18") };
	/* An upload for a review that was not held is no upload at all. */
	const char *no_such_review[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-18"),
		RECORD("u", "2019-04-25", "2019-04-17") };
	/* Nor does a decisions upload stand in for the record. */
	const char *wrong_kind[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-18"),
		DECISIONS("u", "2019-04-25", "2019-04-18") };
	struct points ps = { 0 };
	int32_t until;

	(void)state;
	assert_int_equal(
	    deadline_of("lac.record_20wd", on_day, 3, "2020-06-30"), 11);
	assert_int_equal(
	    deadline_of("lac.record_20wd", day_after, 3, "2020-06-30"), 1);
	assert_int_equal(
	    deadline_of("lac.record_20wd", earliest_in_time, 4, "2020-06-30"),
	    11);
	assert_int_equal(
	    deadline_of("lac.record_20wd", earliest_late, 4, "2020-06-30"), 1);
	/* Not in, deadline passed: in the denominator only. */
	assert_int_equal(
	    deadline_of("lac.record_20wd", no_such_review, 3, "2020-06-30"),
	    1);
	assert_int_equal(
	    deadline_of("lac.record_20wd", wrong_kind, 3, "2020-06-30"), 1);
	/* Pending until the deadline, counted on the review's day. */
	derive_lines(no_such_review, 3, &ps);
	assert_int_equal(
	    points_first_interval(&ps, S_LAC_RECORD_PENDING, &until),
	    day_of("2019-04-18"));
	assert_int_equal(until, day_of("2019-05-21"));
	assert_int_equal(points_total(&ps, S_LAC_RECORD_DONE), 0);
	points_free(&ps);
	/* Today on the deadline: not passed yet, in no count; the day after
	 * it has. */
	assert_int_equal(
	    deadline_of("lac.record_20wd", no_such_review, 3, "2019-05-21"),
	    0);
	assert_int_equal(
	    deadline_of("lac.record_20wd", no_such_review, 3, "2019-05-22"),
	    1);
	/* Done before the deadline counts whatever today is. */
	assert_int_equal(
	    deadline_of("lac.record_20wd", on_day, 3, "2019-05-21"), 11);
}

static void
test_decisions_5wd_deadline(void **state)
{
	/* Monday 29 April 2019 + 5 working days, the early May bank
	 * holiday skipped: Tuesday 7 May. */
	const char *on_day[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-29"),
		DECISIONS("u", "2019-05-07", "2019-04-29") };
	const char *day_after[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-29"),
		DECISIONS("u", "2019-05-08", "2019-04-29") };
	const char *none[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-29") };

	(void)state;
	assert_int_equal(
	    deadline_of("lac.decisions_5wd", on_day, 3, "2020-06-30"), 11);
	assert_int_equal(
	    deadline_of("lac.decisions_5wd", day_after, 3, "2020-06-30"), 1);
	assert_int_equal(
	    deadline_of("lac.decisions_5wd", none, 2, "2019-05-07"), 0);
	assert_int_equal(
	    deadline_of("lac.decisions_5wd", none, 2, "2019-05-08"), 1);
	/* The record deadline is 20 working days: in time for that. */
	assert_int_equal(
	    deadline_of("lac.record_20wd", none, 2, "2019-05-08"), 0);
}

static void
test_upload_breakdown_and_local_standard(void **state)
{
	/* One review of each kind: met, late, missing (deadline 7 May 2019
	 * passed) and not yet due (held 10 March 2020, due 7 April). */
	const char *lines[] = { START("s", "2019-04-01"),
		HELD("r1", "2019-04-18"), HELD("r2", "2019-07-01"),
		HELD("r3", "2019-10-01"), HELD("r4", "2020-03-10"),
		RECORD("u1", "2019-05-01", "2019-04-18"),
		RECORD("u2", "2019-09-01", "2019-07-01") };
	const char *wd10[] = { START("s", "2019-04-01"),
		HELD("r", "2019-04-18"),
		RECORD("u", "2019-05-08", "2019-04-18") };
	struct timescale ts;
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	derive_lines(lines, NITEMS(lines), &ps);
	compute(&ps, "lac.record_20wd", "2019-04-01", "2020-03-31",
	    "2020-03-31", NULL, &res);
	assert_int_equal(res.num, 1);
	assert_int_equal(res.den, 3);
	assert_true(res.value == 33.3);
	assert_int_equal(res.rag, KPI_RAG_RED);
	assert_int_equal(item(&res, "", "late")->num, 1);
	assert_int_equal(item(&res, "", "missing")->num, 1);
	assert_int_equal(item(&res, "", "not_yet_due")->num, 1);
	/* Once its deadline is past the fourth is missing too. */
	compute(&ps, "lac.record_20wd", "2019-04-01", "2020-03-31",
	    "2020-04-09", NULL, &res);
	assert_int_equal(res.den, 4);
	assert_int_equal(item(&res, "", "missing")->num, 2);
	assert_int_equal(item(&res, "", "not_yet_due")->num, 0);
	kpi_result_free(&res);
	points_free(&ps);

	/* A local standard of 10 working days: 18 April 2019 + 10 = 7 May;
	 * the 8th is late. */
	timescale_defaults(&ts);
	ts.review_record_wd = 10;
	derive_with(&ts, wd10, NITEMS(wd10), &ps);
	assert_int_equal(points_total(&ps, S_LAC_RECORD_DONE), 1);
	assert_int_equal(points_total(&ps, S_LAC_RECORD_MET), 0);
	points_free(&ps);
}

static void
test_permanence_by_review_number(void **state)
{
	/* Reviews are numbered within their episode. */
	const char *lines[] = { START("s1", "2018-01-01"),
		REVIEW("a1", "2018-01-20", "PN1", "null", "true"),
		REVIEW("a2", "2018-04-20", "PN1", "null", "true"),
		REVIEW("a3", "2018-10-20", "PN1", "null", "false"),
		REVIEW("a4", "2019-04-20", "PN1", "null", "true"),
		END("e1", "2019-05-01"), START("s2", "2019-06-01"),
		REVIEW("b1", "2019-06-20", "PN1", "null", "true"),
		REVIEW("b2", "2019-09-20", "PN1", "null", "false"),
		REVIEW("b3", "2020-03-20", "PN1", "null", "true"),
		REVIEW("x", "2019-05-20", "PN1", "null", "true") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	derive_lines(lines, NITEMS(lines), &ps);
	compute(&ps, "lac.permanence_second_review", "2018-01-01",
	    "2020-03-31", "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 1);
	assert_int_equal(res.den, 2);
	compute(&ps, "lac.permanence_later_reviews", "2018-01-01",
	    "2020-03-31", "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 2);
	assert_int_equal(res.den, 3);
	assert_true(res.value == 66.7);
	/* fy2019: b2 (second, no plan), a4 and b3 (later, both with). */
	compute(&ps, "lac.permanence_second_review", "2019-04-01",
	    "2020-03-31", "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 0);
	assert_int_equal(res.den, 1);
	assert_true(res.value == 0.0);
	compute(&ps, "lac.permanence_later_reviews", "2019-04-01",
	    "2020-03-31", "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 2);
	assert_int_equal(res.den, 2);
	kpi_result_free(&res);
	points_free(&ps);
}

/* The population on day over lines. */
static int64_t
population_on(const char *const *lines, size_t n, const char *day)
{
	struct points ps = { 0 };
	struct kpi_result res = { 0 };
	int64_t v;

	derive_lines(lines, n, &ps);
	compute(&ps, "lac.population", "2019-04-01", day, "2030-01-01", NULL,
	    &res);
	assert_int_equal(res.as_at, day_of(day));
	assert_true(res.has_value);
	v = res.num;
	kpi_result_free(&res);
	points_free(&ps);
	return v;
}

static void
test_population_as_at(void **state)
{
	const char *ended[] = { START("s", "2019-04-01"),
		END("e", "2020-03-31") };
	const char *back_same_day[] = { START("s", "2019-04-01"),
		END("e", "2020-03-31"), START("s2", "2020-03-31") };
	const char *short_breaks[] = { START_SB("s", "2019-04-01") };

	(void)state;
	assert_int_equal(population_on(ended, 2, "2019-03-31"), 0);
	assert_int_equal(population_on(ended, 2, "2019-04-01"), 1);
	assert_int_equal(population_on(ended, 2, "2020-03-30"), 1);
	/* Ended on the as-at day: not looked after on it. */
	assert_int_equal(population_on(ended, 2, "2020-03-31"), 0);
	assert_int_equal(population_on(back_same_day, 3, "2020-03-31"), 1);
	assert_int_equal(population_on(back_same_day, 3, "2021-01-01"), 1);
	assert_int_equal(population_on(short_breaks, 1, "2019-06-01"), 0);
}

static void
test_population_per_10000(void **state)
{
	const char *lines[] = { START("s", "2019-04-01") };
	struct kpi_settings s;
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	kpi_settings_defaults(&s);
	/* The seed: 642 at 31 March 2020, 45.8 per 10,000. */
	assert_int_equal(
	    points_bucket(&ps, day_of("2015-06-01"), 700, S_LAC_POPULATION),
	    0);
	assert_int_equal(
	    points_bucket(&ps, day_of("2019-06-01"), -58, S_LAC_POPULATION),
	    0);
	points_normalize(&ps);
	s.child_population = 140175;
	compute(&ps, "lac.population", "2019-04-01", "2020-03-31",
	    "2020-06-30", &s, &res);
	assert_int_equal(res.num, 642);
	assert_true(res.value == 642);
	assert_int_equal(res.as_at, day_of("2020-03-31"));
	assert_int_equal(item(&res, "", "per_10000")->kind, KPI_ITEM_VALUE);
	assert_true(item(&res, "", "per_10000")->value == 45.8);
	assert_int_equal(item(&res, "", "per_10000")->num, 642);
	assert_int_equal(item(&res, "", "per_10000")->den, 140175);
	/* As at today when the window ends later. */
	compute(&ps, "lac.population", "2019-04-01", "2020-03-31",
	    "2019-05-01", &s, &res);
	assert_int_equal(res.as_at, day_of("2019-05-01"));
	assert_int_equal(res.num, 700);
	/* Population unknown: no rate. */
	s.child_population = 0;
	compute(&ps, "lac.population", "2019-04-01", "2020-03-31",
	    "2020-06-30", &s, &res);
	assert_false(has_item(&res, "per_10000"));
	points_free(&ps);

	/* One child, per 10,000 of 3: 3333.3. */
	derive_lines(lines, 1, &ps);
	s.child_population = 3;
	compute(&ps, "lac.population", "2019-04-01", "2020-03-31",
	    "2020-06-30", &s, &res);
	assert_true(item(&res, "", "per_10000")->value == 3333.3);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_pep_age_edges(void **state)
{
	/* fy2019 ends 31 March 2020: aged 5 to 15 then. */
	const char *aged_4[] = { BORN("b", "2015-04-01"),
		START("s", "2019-04-01"), PEP("p", "2019-09-01") };
	const char *aged_5[] = { BORN("b", "2015-03-31"),
		START("s", "2019-04-01"), PEP("p", "2019-09-01") };
	const char *aged_15[] = { BORN("b", "2004-04-01"),
		START("s", "2019-04-01"), PEP("p", "2019-09-01") };
	const char *aged_16[] = { BORN("b", "2004-03-31"),
		START("s", "2019-04-01"), PEP("p", "2019-09-01") };
	const char *born_month[] = { BORN("b", "2015-03"),
		START("s", "2019-04-01") };
	/* Born 29 February: 16 on 1 March in a common year, 5 on 1 March
	 * too. */
	const char *leap_16[] = { BORN("b", "2004-02-29"),
		START("s", "2019-04-01") };
	const char *leap_5[] = { BORN("b", "2012-02-29"),
		START("s", "2015-04-01") };
	const char *no_dob[] = { START("s", "2019-04-01"),
		PEP("p", "2019-09-01") };

	(void)state;
	EXPECT(aged_4, "lac.pep", "2020-03-31", 0, 0);
	EXPECT(aged_5, "lac.pep", "2020-03-31", 1, 1);
	EXPECT(aged_15, "lac.pep", "2020-03-31", 1, 1);
	EXPECT(aged_16, "lac.pep", "2020-03-31", 0, 0);
	EXPECT(born_month, "lac.pep", "2020-02-29", 0, 0);
	EXPECT(born_month, "lac.pep", "2020-03-01", 0, 1);
	EXPECT(leap_16, "lac.pep", "2020-02-28", 0, 1);
	EXPECT(leap_16, "lac.pep", "2020-02-29", 0, 0);
	EXPECT(leap_5, "lac.pep", "2017-02-28", 0, 0);
	EXPECT(leap_5, "lac.pep", "2017-03-01", 0, 1);
	EXPECT(no_dob, "lac.pep", "2020-03-31", 0, 0);
}

static void
test_pep_period_edges(void **state)
{
	/* Ended on the period's first day: not looked after in it. */
	const char *ended_first_day[] = { BORN("b", "2010-01-01"),
		START("s", "2018-06-01"), END("e", "2019-04-01") };
	const char *ended_second_day[] = { BORN("b", "2010-01-01"),
		START("s", "2018-06-01"), END("e", "2019-04-02") };
	const char *started_last_day[] = { BORN("b", "2010-01-01"),
		START("s", "2020-03-31") };
	const char *started_after[] = { BORN("b", "2010-01-01"),
		START("s", "2020-04-01") };
	const char *short_breaks[] = { BORN("b", "2010-01-01"),
		START_SB("s", "2019-06-01"), PEP("p", "2019-07-01") };
	/* The PEP must be in the 12 months: 1 April 2019 .. 31 March 2020. */
	const char *pep_before[] = { BORN("b", "2010-01-01"),
		START("s", "2018-06-01"), PEP("p", "2019-03-31") };
	const char *pep_first_day[] = { BORN("b", "2010-01-01"),
		START("s", "2018-06-01"), PEP("p", "2019-03-31"),
		PEP("p2", "2019-04-01") };
	const char *pep_after[] = { BORN("b", "2010-01-01"),
		START("s", "2018-06-01"), PEP("p", "2020-04-01") };
	/* Two episodes and two PEPs in the period: one child, once. */
	const char *twice[] = { BORN("b", "2010-01-01"),
		START("s1", "2019-05-01"), END("e1", "2019-06-01"),
		PEP("p1", "2019-05-15"), START("s2", "2019-09-01"),
		PEP("p2", "2019-10-01") };
	/* A PEP after the child left still counts (in the period). */
	const char *pep_after_leaving[] = { BORN("b", "2010-01-01"),
		START("s", "2018-06-01"), END("e", "2019-06-01"),
		PEP("p", "2019-08-01") };

	(void)state;
	EXPECT(ended_first_day, "lac.pep", "2020-03-31", 0, 0);
	EXPECT(ended_first_day, "lac.pep", "2020-03-30", 0, 1);
	EXPECT(ended_second_day, "lac.pep", "2020-03-31", 0, 1);
	EXPECT(ended_second_day, "lac.pep", "2020-04-01", 0, 0);
	EXPECT(started_last_day, "lac.pep", "2020-03-31", 0, 1);
	EXPECT(started_last_day, "lac.pep", "2020-03-30", 0, 0);
	EXPECT(started_after, "lac.pep", "2020-03-31", 0, 0);
	EXPECT(short_breaks, "lac.pep", "2020-03-31", 0, 0);
	EXPECT(pep_before, "lac.pep", "2020-03-31", 0, 1);
	EXPECT(pep_before, "lac.pep", "2020-03-30", 1, 1);
	EXPECT(pep_first_day, "lac.pep", "2020-03-31", 1, 1);
	EXPECT(pep_first_day, "lac.pep", "2020-04-01", 0, 1);
	EXPECT(pep_after, "lac.pep", "2020-03-31", 0, 1);
	EXPECT(pep_after, "lac.pep", "2020-04-01", 1, 1);
	EXPECT(twice, "lac.pep", "2020-03-31", 1, 1);
	EXPECT(twice, "lac.pep", "2019-07-31", 1, 1);
	EXPECT(twice, "lac.pep", "2019-04-30", 0, 0);
	EXPECT(pep_after_leaving, "lac.pep", "2020-03-31", 1, 1);
}

static void
test_pep_kpi_window(void **state)
{
	/* Window fy2019 answers for 12 months ending 31 March 2020 whatever
	 * its start; an empty one has no value. */
	const char *lines[] = { BORN("b", "2010-01-01"),
		START("s", "2018-06-01"), PEP("p", "2019-10-01") };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };

	(void)state;
	derive_lines(lines, NITEMS(lines), &ps);
	compute(&ps, "lac.pep", "2019-04-01", "2020-03-31", "2020-06-30", NULL,
	    &res);
	assert_int_equal(res.num, 1);
	assert_int_equal(res.den, 1);
	assert_true(res.value == 100.0);
	assert_int_equal(res.as_at, DAY_NONE);
	compute(&ps, "lac.pep", "2010-04-01", "2011-03-31", "2020-06-30", NULL,
	    &res);
	assert_int_equal(res.den, 0);
	assert_false(res.has_value);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_health_and_dental_cohort(void **state)
{
	/* fy2019: looked after on 31 March 2020, since 31 March 2019 at the
	 * latest. */
	const char *exactly_12m[] = { START("s", "2019-03-31"),
		HEALTH("h", "2019-04-01") };
	const char *a_day_short[] = { START("s", "2019-04-01"),
		HEALTH("h", "2019-04-02") };
	/* The check must fall in the 12 months: 1 April 2019 .. T. */
	const char *check_edge[] = { START("s", "2018-01-01"),
		DENTAL("d", "2019-03-31") };
	const char *ended_on_t[] = { START("s", "2018-01-01"),
		END("e", "2020-03-31"), HEALTH("h", "2019-06-01") };
	const char *ended_after_t[] = { START("s", "2018-01-01"),
		END("e", "2020-04-01"), HEALTH("h", "2019-06-01") };
	/* Ended and started again on one day: no day out of care. */
	const char *contiguous[] = { START("s1", "2018-06-01"),
		END("e1", "2019-09-01"), START("s2", "2019-09-01") };
	const char *a_day_out[] = { START("s1", "2018-06-01"),
		END("e1", "2019-09-01"), START("s2", "2019-09-02") };
	const char *short_breaks[] = { START_SB("s", "2018-01-01"),
		HEALTH("h", "2019-06-01") };
	/* Two checks in the 12 months: once. */
	const char *two_checks[] = { START("s", "2018-01-01"),
		DENTAL("d1", "2019-05-01"), DENTAL("d2", "2019-11-01") };

	(void)state;
	EXPECT(exactly_12m, "lac.health_assessment", "2020-03-31", 1, 1);
	EXPECT(exactly_12m, "lac.dental_check", "2020-03-31", 0, 1);
	EXPECT(exactly_12m, "lac.health_assessment", "2020-03-30", 0, 0);
	EXPECT(a_day_short, "lac.health_assessment", "2020-03-31", 0, 0);
	EXPECT(a_day_short, "lac.health_assessment", "2020-04-01", 1, 1);
	EXPECT(a_day_short, "lac.health_assessment", "2020-04-02", 0, 1);
	EXPECT(check_edge, "lac.dental_check", "2020-03-31", 0, 1);
	EXPECT(check_edge, "lac.dental_check", "2020-03-30", 1, 1);
	EXPECT(check_edge, "lac.health_assessment", "2020-03-30", 0, 1);
	EXPECT(ended_on_t, "lac.health_assessment", "2020-03-31", 0, 0);
	EXPECT(ended_on_t, "lac.health_assessment", "2020-03-30", 1, 1);
	EXPECT(ended_after_t, "lac.health_assessment", "2020-03-31", 1, 1);
	EXPECT(contiguous, "lac.health_assessment", "2020-03-31", 0, 1);
	EXPECT(a_day_out, "lac.health_assessment", "2020-03-31", 0, 0);
	EXPECT(a_day_out, "lac.health_assessment", "2020-09-02", 0, 1);
	EXPECT(short_breaks, "lac.health_assessment", "2020-03-31", 0, 0);
	EXPECT(two_checks, "lac.dental_check", "2020-03-31", 1, 1);
	EXPECT(two_checks, "lac.dental_check", "2020-10-31", 1, 1);
	EXPECT(two_checks, "lac.dental_check", "2020-11-01", 0, 1);
}

static void
test_health_cohort_leap_day(void **state)
{
	/* 29 February 2020 - 12 months is 28 February 2019. */
	const char *from_28_feb[] = { START("s", "2019-02-28") };
	const char *from_1_mar[] = { START("s", "2019-03-01") };
	/* From 29 February: 12 months on 1 March of a common year. */
	const char *from_29_feb[] = { START("s", "2020-02-29") };
	/* A check on 29 February 2020 is in the 12 months to 28 February
	 * 2021, not in those to 1 March. */
	const char *check_29_feb[] = { START("s", "2019-01-01"),
		HEALTH("h", "2020-02-29") };

	(void)state;
	EXPECT(from_28_feb, "lac.health_assessment", "2020-02-27", 0, 0);
	EXPECT(from_28_feb, "lac.health_assessment", "2020-02-28", 0, 1);
	EXPECT(from_1_mar, "lac.health_assessment", "2020-02-29", 0, 0);
	EXPECT(from_1_mar, "lac.health_assessment", "2020-03-01", 0, 1);
	EXPECT(from_29_feb, "lac.health_assessment", "2021-02-28", 0, 0);
	EXPECT(from_29_feb, "lac.health_assessment", "2021-03-01", 0, 1);
	EXPECT(check_29_feb, "lac.health_assessment", "2020-02-28", 0, 1);
	EXPECT(check_29_feb, "lac.health_assessment", "2020-02-29", 1, 1);
	EXPECT(check_29_feb, "lac.health_assessment", "2021-02-28", 1, 1);
	EXPECT(check_29_feb, "lac.health_assessment", "2021-03-01", 0, 1);
}

/*
 * The running totals against the definitions taken day by day, over
 * random timelines: for every end day T of two years, the cohorts and
 * numerators of lac.pep, lac.health_assessment and lac.dental_check from
 * the points must equal a direct count over the days of the 12 months
 * ending T.  Fixed seed: the same timelines every run.
 */
#define SWEEP_FIRST "2015-01-01"
#define SWEEP_DAYS  (8 * 366)

static uint32_t
next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

static int32_t
random_day(uint32_t *state, int32_t from, int32_t to)
{
	return from +
	       (int32_t)(next_random(state) % (uint32_t)(to - from + 1));
}

static int
day_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x > y) - (x < y);
}

struct random_child {
	char text[24][200];
	const char *lines[24];
	size_t n;
	int32_t dob;
	bool in_care[SWEEP_DAYS];    /* looked after, short breaks not */
	int32_t pep[SWEEP_DAYS + 1]; /* prefix counts of completions */
	int32_t health[SWEEP_DAYS + 1];
	int32_t dental[SWEEP_DAYS + 1];
};

static void
add_line(
    struct random_child *k, const char *type, int32_t day, const char *body)
{
	char at[DATE_STRLEN];

	date_format(day, at);
	snprintf(k->text[k->n], sizeof(k->text[0]),
	    "{\"id\":\"e%zu\",\"type\":\"%s\",\"at\":\"%s\",\"child\":\"C\"%"
	    "s}",
	    k->n, type, at, body);
	k->lines[k->n] = k->text[k->n];
	k->n++;
}

static void
random_child(uint32_t *state, struct random_child *k)
{
	static const char *const checks[] = { "pep.completed",
		"health_assessment.completed", "dental_check.completed" };
	int32_t base = day_of(SWEEP_FIRST), day[6], d;
	int32_t *prefix[] = { k->pep, k->health, k->dental };
	char body[64], dob[DATE_STRLEN];
	size_t i, j, nd = 1 + next_random(state) % 6;

	memset(k, 0, sizeof(*k));
	k->dob = random_day(state, day_of("2000-01-01"), day_of("2016-12-31"));
	date_format(k->dob, dob);
	snprintf(body, sizeof(body), ",\"dob\":\"%s\",\"gender\":\"M\"", dob);
	add_line(k, "child.registered", day_of("2015-01-01"), body);
	/* Episodes on sorted days: start, end, start, ...; an end may fall
	 * on the next start (contiguous) and the last may stay open. */
	for (i = 0; i < nd; i++)
		day[i] = random_day(
		    state, day_of("2016-01-01"), day_of("2021-12-31"));
	qsort(day, nd, sizeof(day[0]), day_cmp);
	for (i = 1; i + 1 < nd; i += 2)
		if (next_random(state) % 4 == 0)
			day[i + 1] = day[i];
	for (i = 0; i < nd; i += 2) {
		bool sb = next_random(state) % 7 == 0;
		int32_t end = i + 1 < nd ? day[i + 1] : base + SWEEP_DAYS;

		if (day[i] == end)
			continue; /* a zero-length episode: not written */
		add_line(k, "lac.started", day[i],
		    sb ? ",\"legal_status\":\"V4\""
		       : ",\"legal_status\":\"C2\"");
		if (i + 1 < nd)
			add_line(k, "lac.ended", end, "");
		for (d = day[i]; !sb && d < end; d++)
			k->in_care[d - base] = true;
	}
	for (j = 0; j < NITEMS(checks); j++) {
		size_t nc = next_random(state) % 4;

		for (i = 0; i < nc; i++) {
			d = random_day(
			    state, day_of("2016-01-01"), day_of("2021-12-31"));
			add_line(k, checks[j], d, "");
			prefix[j][d - base + 1]++;
		}
		for (i = 1; i <= SWEEP_DAYS; i++)
			prefix[j][i] += prefix[j][i - 1];
	}
}

/* Completions on days from..to (offsets into the sweep). */
static int32_t
done_in(const int32_t *prefix, int32_t from, int32_t to)
{
	return prefix[to + 1] - prefix[from];
}

static void
test_cohorts_match_day_by_day_definition(void **state)
{
	static struct random_child k;
	int32_t base = day_of(SWEEP_FIRST), t, a, d;
	uint32_t seed = 20200331;
	int run;

	(void)state;
	for (run = 0; run < 300; run++) {
		struct points ps = { 0 };

		random_child(&seed, &k);
		derive_lines(k.lines, k.n, &ps);
		for (t = day_of("2018-01-01"); t <= day_of("2021-12-31");
		     t++) {
			int age = date_age_years(k.dob, t);
			bool any = false, all = true;
			int64_t want[5], got[5];
			int i;

			/* The 12 months ending t: a .. t. */
			a = date_add_months(t, -12) + 1;
			for (d = a; d <= t; d++)
				any |= k.in_care[d - base];
			for (d = a - 1; d <= t; d++)
				all &= k.in_care[d - base];
			want[0] = any && age >= 5 && age <= 15;
			want[1] =
			    want[0] && done_in(k.pep, a - base, t - base) > 0;
			want[2] = all;
			want[3] =
			    all && done_in(k.health, a - base, t - base) > 0;
			want[4] =
			    all && done_in(k.dental, a - base, t - base) > 0;
			got[0] =
			    points_sum(&ps, S_LAC_PEP_COHORT, INT32_MIN, t);
			got[1] = points_sum(&ps, S_LAC_PEP_DONE, INT32_MIN, t);
			got[2] = points_sum(
			    &ps, S_LAC_CONTINUOUS_12M, INT32_MIN, t);
			got[3] =
			    points_sum(&ps, S_LAC_HEALTH_DONE, INT32_MIN, t);
			got[4] =
			    points_sum(&ps, S_LAC_DENTAL_DONE, INT32_MIN, t);
			for (i = 0; i < 5; i++)
				if (got[i] != want[i]) {
					char at[DATE_STRLEN];
					size_t l;

					date_format(t, at);
					for (l = 0; l < k.n; l++)
						print_message(
						    "%s\n", k.lines[l]);
					fail_msg(
					    "run %d, T %s, count %d: %lld, "
					    "expected %lld",
					    run, at, i, (long long)got[i],
					    (long long)want[i]);
				}
		}
		points_free(&ps);
	}
}

static void
test_empty_window(void **state)
{
	static const char *const ids[] = { "lac.participation",
		"lac.sw_report_24h", "lac.record_20wd", "lac.decisions_5wd",
		"lac.permanence_second_review", "lac.permanence_later_reviews",
		"lac.pep", "lac.health_assessment", "lac.dental_check" };
	struct points ps = { 0 };
	struct kpi_result res = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(ids); i++) {
		compute(&ps, ids[i], "2019-04-01", "2020-03-31", "2020-06-30",
		    NULL, &res);
		assert_int_equal(res.num, 0);
		assert_int_equal(res.den, 0);
		assert_false(res.has_value);
		assert_int_equal(res.rag, KPI_RAG_NONE);
	}
	compute(&ps, "lac.population", "2019-04-01", "2020-03-31",
	    "2020-06-30", NULL, &res);
	assert_int_equal(res.num, 0);
	assert_true(res.has_value && res.value == 0);
	kpi_result_free(&res);
}

static void
test_short_breaks_count_nowhere(void **state)
{
	const char *lines[] = { BORN("b", "2010-01-01"),
		START_SB("s", "2018-01-01"),
		REVIEW("r1", "2018-01-20", "PN1", SW("2018-01-10"), "true"),
		REVIEW("r2", "2018-04-20", "PN1", SW("2018-04-10"), "true"),
		REVIEW("r3", "2018-10-20", "PN1", SW("2018-10-10"), "true"),
		RECORD("u", "2018-01-21", "2018-01-20"),
		DECISIONS("d", "2018-01-21", "2018-01-20"),
		PEP("p", "2018-06-01"), HEALTH("h", "2018-06-01"),
		DENTAL("dc", "2018-06-01") };
	struct points ps = { 0 };
	size_t i;

	(void)state;
	derive_lines(lines, NITEMS(lines), &ps);
	for (i = 0; i < ps.n; i++)
		if (strncmp(ps.v[i].series, "lac", 3) == 0)
			fail_msg("short breaks wrote %s", ps.v[i].series);
	points_free(&ps);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalogue_order_and_defaults),
		cmocka_unit_test(test_participation_codes),
		cmocka_unit_test(test_participation_seed_figures),
		cmocka_unit_test(test_sw_report_edges),
		cmocka_unit_test(test_sw_report_kpi),
		cmocka_unit_test(test_record_20wd_deadline),
		cmocka_unit_test(test_decisions_5wd_deadline),
		cmocka_unit_test(test_upload_breakdown_and_local_standard),
		cmocka_unit_test(test_permanence_by_review_number),
		cmocka_unit_test(test_population_as_at),
		cmocka_unit_test(test_population_per_10000),
		cmocka_unit_test(test_pep_age_edges),
		cmocka_unit_test(test_pep_period_edges),
		cmocka_unit_test(test_pep_kpi_window),
		cmocka_unit_test(test_health_and_dental_cohort),
		cmocka_unit_test(test_health_cohort_leap_day),
		cmocka_unit_test(test_cohorts_match_day_by_day_definition),
		cmocka_unit_test(test_empty_window),
		cmocka_unit_test(test_short_breaks_count_nowhere),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
