/*
 * KPI arithmetic over known series: numerator, denominator, value rounding,
 * an empty window, outstanding against "today", and the breakdown shapes.
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

static void
test_review_timeliness(void **state)
{
	struct points ps = { 0 };
	struct series_reader r;
	struct kpi_result res = { 0 };
	struct kpi_query w = { day_of("2019-04-01"), day_of("2020-03-31"),
		day_of("2020-06-30"), NULL };
	int i;

	(void)state;
	/* 1430 meetings, 1407 timely: the seed's 98.4%. */
	for (i = 0; i < 1430; i++)
		points_bucket(&ps, day_of("2019-06-01") + i % 200, 1, "%s",
		    S_LAC_MEETINGS);
	for (i = 0; i < 1407; i++)
		points_bucket(&ps, day_of("2019-06-01") + i % 200, 1, "%s",
		    S_LAC_MEETINGS_TIMELY);
	points_bucket(&ps, day_of("2019-05-01"), 3, S_LAC_LATE_BY_REASON "x");
	points_bucket(&ps, day_of("2018-05-01"), 3, S_LAC_LATE_BY_REASON "y");
	/* Outstanding: due inside the window, open after its end. */
	points_interval(&ps, day_of("2020-03-01"), DAY_NEVER, S_LAC_DUE);
	points_interval(
	    &ps, day_of("2020-03-01"), day_of("2020-03-20"), S_LAC_DUE);
	points_interval(&ps, day_of("2019-03-01"), DAY_NEVER, S_LAC_DUE);
	points_normalize(&ps);
	memreader_init(&r, &ps);
	assert_int_equal(
	    kpi_compute(kpi_find("lac.review_timeliness"), &r, &w, &res), 0);
	assert_int_equal(res.num, 1407);
	assert_int_equal(res.den, 1430);
	assert_true(res.has_value);
	assert_true(res.value == 98.4);
	assert_int_equal(item(&res, "", "outstanding")->num, 1);
	assert_int_equal(item(&res, "late_by_reason", "x")->num, 3);
	assert_int_equal(item(&res, "late_by_review", "first")->num, 0);

	/* Today inside the window: outstanding counts up to today only. */
	w.today = day_of("2020-03-10");
	assert_int_equal(
	    kpi_compute(kpi_find("lac.review_timeliness"), &r, &w, &res), 0);
	assert_int_equal(item(&res, "", "outstanding")->num, 2);
	w.today = day_of("2020-02-10");
	assert_int_equal(
	    kpi_compute(kpi_find("lac.review_timeliness"), &r, &w, &res), 0);
	assert_int_equal(item(&res, "", "outstanding")->num, 0);

	/* A window with no data: den 0 and no value, not an error. */
	w = (struct kpi_query){ day_of("2010-04-01"), day_of("2011-03-31"),
		day_of("2020-01-01"), NULL };
	assert_int_equal(
	    kpi_compute(kpi_find("lac.review_timeliness"), &r, &w, &res), 0);
	assert_int_equal(res.den, 0);
	assert_false(res.has_value);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_repeat_plans(void **state)
{
	struct points ps = { 0 };
	struct series_reader r;
	struct kpi_result res = { 0 };
	struct kpi_query w = { day_of("2019-04-01"), day_of("2020-03-31"),
		day_of("2020-06-30"), NULL };

	(void)state;
	points_bucket(&ps, day_of("2019-07-01"), 722, S_CP_PLANS);
	points_bucket(&ps, day_of("2019-07-01"), 156, S_CP_REPEAT);
	points_bucket(&ps, day_of("2019-07-01"), 40, S_CP_REPEAT_SINCE "1_2y");
	points_bucket(&ps, day_of("2019-07-01"), 9, S_CP_REPEAT_AGE "unborn");
	points_normalize(&ps);
	memreader_init(&r, &ps);
	assert_int_equal(
	    kpi_compute(kpi_find("cp.repeat_plans"), &r, &w, &res), 0);
	assert_int_equal(res.num, 156);
	assert_int_equal(res.den, 722);
	assert_true(res.value == 21.6);
	assert_int_equal(item(&res, "since_previous", "1_2y")->num, 40);
	assert_int_equal(item(&res, "since_previous", "over_2y")->num, 0);
	assert_int_equal(item(&res, "age_at_start", "unborn")->num, 9);
	kpi_result_free(&res);
	points_free(&ps);
}

static void
test_catalogue(void **state)
{
	size_t i;

	(void)state;
	assert_true(kpi_count() >= 2);
	for (i = 0; i < kpi_count(); i++) {
		assert_ptr_equal(kpi_find(kpi_id(kpi_at(i))), kpi_at(i));
		assert_non_null(kpi_title(kpi_at(i)));
	}
	assert_null(kpi_find("no.such"));
	assert_true(kpi_percent(1214, 1317) == 92.2);
	assert_true(kpi_percent(1, 3) == 33.3);
	assert_true(kpi_percent(2, 3) == 66.7);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_review_timeliness),
		cmocka_unit_test(test_repeat_plans),
		cmocka_unit_test(test_catalogue),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
