/*
 * The statutory rules of lac.review_timeliness and cp.repeat_plans, through
 * facts_derive_child() and facts_derive_group(): due dates of first, second
 * and later reviews, the edges (on the due date, a day after, month ends,
 * bank holidays), episodes, meetings, and the repeat plan breakdowns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "domain/date.h"
#include "domain/facts.h"
#include "domain/series_names.h"
#include "tests/support/timeline.h"

#define START(id, d)                                              \
	"{\"id\":\"" id "\",\"type\":\"lac.started\",\"at\":\"" d \
	"\",\"child\":\"C\"}"
#define END(id, d)                                              \
	"{\"id\":\"" id "\",\"type\":\"lac.ended\",\"at\":\"" d \
	"\",\"child\":\"C\"}"
#define REVIEW(id, d)                                                  \
	"{\"id\":\"" id "\",\"type\":\"review.held\",\"at\":\"" d      \
	"\",\"child\":\"C\",\"iro\":\"I1\",\"participation\":\"PN1\"," \
	"\"sw_report_at\":null,\"permanence_plan\":false}"

/* Reviews held and timely in a timeline, as one number: held * 100 + timely.
 */
static int64_t
held_timely(const char *const *lines, size_t n)
{
	struct points ps = { 0 };
	int64_t v;

	derive_lines(lines, n, &ps);
	v = points_total(&ps, S_LAC_REVIEWS) * 100 +
	    points_total(&ps, S_LAC_REVIEWS_TIMELY);
	points_free(&ps);
	return v;
}

static void
test_first_review_20_working_days_across_easter(void **state)
{
	/* 1 April 2019 + 20 working days, Good Friday 19 and Easter Monday
	 * 22 April skipped: due Wednesday 1 May. */
	const char *on_time[] = { START("s", "2019-04-01"),
		REVIEW("r", "2019-05-01") };
	const char *late[] = { START("s", "2019-04-01"),
		REVIEW("r", "2019-05-02") };

	(void)state;
	assert_int_equal(held_timely(on_time, 2), 101);
	assert_int_equal(held_timely(late, 2), 100);
}

static void
test_second_review_month_end_clamping(void **state)
{
	/* First review 31 May 2019; second due 31 August. */
	const char *on_due[] = { START("s", "2019-05-10"),
		REVIEW("r1", "2019-05-31"), REVIEW("r2", "2019-08-31") };
	const char *day_after[] = { START("s", "2019-05-10"),
		REVIEW("r1", "2019-05-31"), REVIEW("r2", "2019-09-01") };
	/* 30 November + 3 months: 29 February in 2020, 28 in 2019. */
	const char *leap[] = { START("s", "2019-11-04"),
		REVIEW("r1", "2019-11-30"), REVIEW("r2", "2020-02-29") };
	const char *leap_late[] = { START("s", "2019-11-04"),
		REVIEW("r1", "2019-11-30"), REVIEW("r2", "2020-03-01") };
	const char *common[] = { START("s", "2018-11-02"),
		REVIEW("r1", "2018-11-30"), REVIEW("r2", "2019-02-28") };
	const char *common_late[] = { START("s", "2018-11-02"),
		REVIEW("r1", "2018-11-30"), REVIEW("r2", "2019-03-01") };

	(void)state;
	assert_int_equal(held_timely(on_due, 3), 202);
	assert_int_equal(held_timely(day_after, 3), 201);
	assert_int_equal(held_timely(leap, 3), 202);
	assert_int_equal(held_timely(leap_late, 3), 201);
	assert_int_equal(held_timely(common, 3), 202);
	assert_int_equal(held_timely(common_late, 3), 201);
}

static void
test_later_reviews_six_months_from_previous(void **state)
{
	/* The second is late (held 1 Oct, due 26 Jul); the third is due six
	 * months after the second was actually held: 1 April 2020. */
	const char *lines[] = { START("s", "2019-04-01"),
		REVIEW("r1", "2019-04-26"), REVIEW("r2", "2019-10-01"),
		REVIEW("r3", "2020-04-01"), REVIEW("r4", "2020-10-02") };
	struct points ps = { 0 };

	(void)state;
	derive_lines(lines, 5, &ps);
	assert_int_equal(points_total(&ps, S_LAC_REVIEWS), 4);
	assert_int_equal(points_total(&ps, S_LAC_REVIEWS_TIMELY), 2);
	assert_int_equal(points_total(&ps, S_LAC_LATE_BY_NUMBER "second"), 1);
	assert_int_equal(points_total(&ps, S_LAC_LATE_BY_NUMBER "later"), 1);
	assert_int_equal(points_total(&ps, S_LAC_LATE_BY_NUMBER "first"), 0);
	assert_int_equal(points_total(&ps, S_LAC_LATE_BY_REASON "unknown"), 2);
	/* Without a meeting each review is its own meeting. */
	assert_int_equal(points_total(&ps, S_LAC_MEETINGS), 4);
	assert_int_equal(points_total(&ps, S_LAC_MEETINGS_TIMELY), 2);
	points_free(&ps);
}

static void
test_outstanding_intervals(void **state)
{
	const char *open[] = { START("s", "2019-04-01") };
	const char *ended_before_due[] = { START("s", "2019-04-01"),
		END("e", "2019-04-20") };
	const char *ended_after_due[] = { START("s", "2019-04-01"),
		END("e", "2019-06-20") };
	const char *late[] = { START("s", "2019-04-01"),
		REVIEW("r", "2019-05-10") };
	struct points ps = { 0 };
	int32_t until;

	(void)state;
	derive_lines(open, 1, &ps);
	assert_int_equal(points_first_interval(&ps, S_LAC_DUE, &until),
	    day_of("2019-05-01"));
	assert_int_equal(until, DAY_NEVER);
	points_free(&ps);

	derive_lines(ended_before_due, 2, &ps);
	assert_int_equal(
	    points_first_interval(&ps, S_LAC_DUE, &until), DAY_NONE);
	points_free(&ps);

	derive_lines(ended_after_due, 2, &ps);
	assert_int_equal(points_first_interval(&ps, S_LAC_DUE, &until),
	    day_of("2019-05-01"));
	assert_int_equal(until, day_of("2019-06-20"));
	points_free(&ps);

	/* Held late: outstanding from the due date until it was held, then
	 * the next one is open. */
	derive_lines(late, 2, &ps);
	assert_int_equal(points_first_interval(&ps, S_LAC_DUE, &until),
	    day_of("2019-05-01"));
	assert_int_equal(until, day_of("2019-05-10"));
	points_free(&ps);
}

static void
test_reviews_outside_episodes_and_short_breaks_count_nowhere(void **state)
{
	const char *outside[] = { REVIEW("r0", "2019-03-01"),
		START("s", "2019-04-01"), END("e", "2019-04-10"),
		REVIEW("r1", "2019-04-11") };
	const char *short_breaks[] = {
		"{\"id\":\"s\",\"type\":\"lac.started\",\"at\":\"2019-04-01\","
		"\"child\":\"C\",\"legal_status\":\"V3\"}",
		REVIEW("r1", "2019-04-11")
	};
	struct points ps = { 0 };

	(void)state;
	assert_int_equal(held_timely(outside, 4), 0);
	derive_lines(short_breaks, 2, &ps);
	assert_int_equal(ps.n, 0);
	points_free(&ps);
}

static void
test_same_day_end_and_start_opens_a_new_episode(void **state)
{
	/* The end sorts first, so the start opens a new episode whose first
	 * review is due 20 working days after 3 June 2019 (1 July). */
	const char *lines[] = { START("s1", "2019-01-07"),
		START("s2", "2019-06-03"), END("e1", "2019-06-03"),
		REVIEW("r", "2019-07-01") };
	const char *late[] = { START("s1", "2019-01-07"),
		START("s2", "2019-06-03"), END("e1", "2019-06-03"),
		REVIEW("r", "2019-07-02") };

	(void)state;
	assert_int_equal(held_timely(lines, 4), 101);
	assert_int_equal(held_timely(late, 4), 100);
}

static void
test_meeting_counts_once_and_late_if_any_child_late(void **state)
{
	struct points members = { 0 }, out = { 0 };

	(void)state;
	points_member(&members, day_of("2019-05-02"), MEMBER_SEEN, "%s",
	    G_LAC_MEETING "m1");
	points_member(&members, day_of("2019-05-01"), MEMBER_SEEN, "%s",
	    G_LAC_MEETING "m1");
	assert_int_equal(
	    facts_derive_group(G_LAC_MEETING "m1", members.v, 2, &out), 0);
	assert_int_equal(points_total(&out, S_LAC_MEETINGS), 1);
	assert_int_equal(points_sum(&out, S_LAC_MEETINGS, day_of("2019-05-01"),
			     day_of("2019-05-01")),
	    1); /* on the earliest day */
	assert_int_equal(points_total(&out, S_LAC_MEETINGS_TIMELY), 1);

	points_clear(&out);
	members.v[1].n |= MEMBER_LATE;
	assert_int_equal(
	    facts_derive_group(G_LAC_MEETING "m1", members.v, 2, &out), 0);
	assert_int_equal(points_total(&out, S_LAC_MEETINGS), 1);
	assert_int_equal(points_total(&out, S_LAC_MEETINGS_TIMELY), 0);

	/* A group with no members contributes nothing. */
	points_clear(&out);
	assert_int_equal(
	    facts_derive_group(G_LAC_MEETING "m1", NULL, 0, &out), 0);
	assert_int_equal(out.n, 0);
	points_free(&members);
	points_free(&out);
}

static void
test_meeting_review_emits_member_not_meeting(void **state)
{
	const char *lines[] = { START("s", "2019-04-01"),
		"{\"id\":\"r\",\"type\":\"review.held\",\"at\":\"2019-05-02\","
		"\"child\":\"C\",\"iro\":\"I1\",\"participation\":\"PN1\","
		"\"sw_report_at\":null,\"permanence_plan\":false,"
		"\"meeting\":\"m9\",\"late_reason\":\"chair ill\"}" };
	struct points ps = { 0 };
	size_t i, members = 0;

	(void)state;
	derive_lines(lines, 2, &ps);
	for (i = 0; i < ps.n; i++)
		if (ps.v[i].kind == PK_MEMBER) {
			members++;
			assert_string_equal(
			    ps.v[i].series, G_LAC_MEETING "m9");
			assert_true(ps.v[i].n & MEMBER_LATE);
		}
	assert_int_equal(members, 1);
	/* derive_lines() derived the group: one late meeting. */
	assert_int_equal(points_total(&ps, S_LAC_MEETINGS), 1);
	assert_int_equal(points_total(&ps, S_LAC_MEETINGS_TIMELY), 0);
	assert_int_equal(
	    points_total(&ps, S_LAC_LATE_BY_REASON "chair ill"), 1);
	points_free(&ps);
}

#define PLAN(id, d, extra)                                            \
	"{\"id\":\"" id "\",\"type\":\"cp_plan.started\",\"at\":\"" d \
	"\",\"child\":\"C\",\"category\":\"neglect\"" extra "}"
#define PLAN_END(id, d)                                             \
	"{\"id\":\"" id "\",\"type\":\"cp_plan.ended\",\"at\":\"" d \
	"\",\"child\":\"C\"}"
#define DOB(id, d, dob)                                                \
	"{\"id\":\"" id "\",\"type\":\"child.registered\",\"at\":\"" d \
	"\",\"child\":\"C\",\"dob\":\"" dob "\",\"gender\":\"F\"}"

/* The breakdown keys of the one repeat plan in lines. */
static void
assert_repeat(
    const char *const *lines, size_t n, const char *since, const char *age)
{
	char series[SERIES_MAX];
	struct points ps = { 0 };

	derive_lines(lines, n, &ps);
	assert_int_equal(points_total(&ps, S_CP_REPEAT), 1);
	snprintf(series, sizeof(series), S_CP_REPEAT_SINCE "%s", since);
	if (points_total(&ps, series) != 1)
		fail_msg("expected since %s", since);
	snprintf(series, sizeof(series), S_CP_REPEAT_AGE "%s", age);
	if (points_total(&ps, series) != 1)
		fail_msg("expected age %s", age);
	points_free(&ps);
}

static void
test_repeat_plans_by_time_since_previous(void **state)
{
	const char *under6[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-06-01"), PLAN("p2", "2018-11-30", "") };
	const char *six12[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-06-01"), PLAN("p2", "2018-12-01", "") };
	const char *one2[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-06-01"), PLAN("p2", "2019-06-01", "") };
	const char *over2[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-06-01"), PLAN("p2", "2020-06-01", "") };
	const char *counted[] = { PLAN(
	    "p1", "2018-01-01", ",\"previous_plans\":2") };
	struct points ps = { 0 };

	(void)state;
	assert_repeat(under6, 3, "under_6m", "unknown");
	assert_repeat(six12, 3, "6_12m", "unknown");
	assert_repeat(one2, 3, "1_2y", "unknown");
	assert_repeat(over2, 3, "over_2y", "unknown");
	assert_repeat(counted, 1, "unknown", "unknown");

	/* Two plans started, one of them a repeat. */
	derive_lines(under6, 3, &ps);
	assert_int_equal(points_total(&ps, S_CP_PLANS), 2);
	points_free(&ps);
}

static void
test_repeat_plans_by_age_at_start(void **state)
{
	const char *unborn[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-02-01"), PLAN("p2", "2018-03-01", ""),
		DOB("d", "2018-03-01", "2018-05-01") };
	const char *under1[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-02-01"), PLAN("p2", "2018-03-01", ""),
		DOB("d", "2018-03-01", "2017-03-02") };
	const char *one4[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-02-01"), PLAN("p2", "2018-03-01", ""),
		DOB("d", "2018-03-01", "2017-03-01") };
	const char *ten15[] = { PLAN("p1", "2018-01-01", ""),
		PLAN_END("e1", "2018-02-01"), PLAN("p2", "2018-03-01", ""),
		DOB("d", "2018-03-01", "2005-01") };
	/* The latest registration wins, even one after the plan. */
	const char *latest[] = { DOB("d1", "2017-01-01", "2005-01-01"),
		PLAN("p1", "2018-01-01", ""), PLAN_END("e1", "2018-02-01"),
		PLAN("p2", "2018-03-01", ""),
		DOB("d2", "2019-01-01", "2012-06-01") };

	(void)state;
	assert_repeat(unborn, 4, "under_6m", "unborn");
	assert_repeat(under1, 4, "under_6m", "under_1");
	assert_repeat(one4, 4, "under_6m", "1_4");
	assert_repeat(ten15, 4, "under_6m", "10_15");
	assert_repeat(latest, 5, "under_6m", "5_9");
}

static void
test_plan_started_inside_open_plan_changes_nothing(void **state)
{
	const char *lines[] = { PLAN("p1", "2018-01-01", ""),
		PLAN("p2", "2018-03-01", ""), PLAN_END("e1", "2018-06-01"),
		PLAN_END("e2", "2018-07-01") };
	struct points ps = { 0 };

	(void)state;
	derive_lines(lines, 4, &ps);
	assert_int_equal(points_total(&ps, S_CP_PLANS), 1);
	assert_int_equal(points_total(&ps, S_CP_REPEAT), 0);
	points_free(&ps);
}

static void
test_timeline_order(void **state)
{
	struct event a, b;

	(void)state;
	event_reset(&a);
	event_reset(&b);
	a.at.day = b.at.day = 100;
	a.id = "b";
	b.id = "a";
	a.type = EVT_LAC_ENDED;
	b.type = EVT_LAC_STARTED;
	assert_true(facts_event_cmp(&a, &b) < 0); /* ends before starts */
	a.type = EVT_REVIEW_HELD;
	b.type = EVT_CHILD_REGISTERED;
	assert_true(facts_event_cmp(&a, &b) > 0);
	b.type = EVT_REVIEW_HELD;
	assert_true(facts_event_cmp(&a, &b) > 0); /* then by id */
	b.at.day = 101;
	assert_true(facts_event_cmp(&a, &b) < 0); /* date first */
	assert_true(facts_type_rank(EVT_STRATEGY_HELD) <
		    facts_type_rank(EVT_CHILD_REGISTERED));
	assert_true(facts_type_rank(EVT_CHILD_REGISTERED) <
		    facts_type_rank(EVT_IRO_ALLOCATED));
	assert_true(facts_type_rank(EVT_IRO_ALLOCATED) <
		    facts_type_rank(EVT_PEP_COMPLETED));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		    test_first_review_20_working_days_across_easter),
		cmocka_unit_test(test_second_review_month_end_clamping),
		cmocka_unit_test(test_later_reviews_six_months_from_previous),
		cmocka_unit_test(test_outstanding_intervals),
		cmocka_unit_test(
		    test_reviews_outside_episodes_and_short_breaks_count_nowhere),
		cmocka_unit_test(
		    test_same_day_end_and_start_opens_a_new_episode),
		cmocka_unit_test(
		    test_meeting_counts_once_and_late_if_any_child_late),
		cmocka_unit_test(test_meeting_review_emits_member_not_meeting),
		cmocka_unit_test(test_repeat_plans_by_time_since_previous),
		cmocka_unit_test(test_repeat_plans_by_age_at_start),
		cmocka_unit_test(
		    test_plan_started_inside_open_plan_changes_nothing),
		cmocka_unit_test(test_timeline_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
