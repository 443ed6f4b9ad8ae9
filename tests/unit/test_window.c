/* KPI windows: every form of KPIS.md, the bad ones, and the previous
 * comparable period. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "domain/date.h"
#include "domain/window.h"
#include "tests/support/timeline.h"

static void
assert_window(
    const char *text, const char *today, const char *from, const char *to)
{
	struct window w;

	if (window_parse(text, day_of(today), &w) != 0)
		fail_msg("%s refused", text);
	if (w.from != day_of(from) || w.to != day_of(to))
		fail_msg("%s: wrong range", text);
}

static void
test_forms(void **state)
{
	(void)state;
	assert_window("2019-04", "2020-01-01", "2019-04-01", "2019-04-30");
	assert_window("2020-02", "2020-01-01", "2020-02-01", "2020-02-29");
	assert_window("2019Q1", "2020-01-01", "2019-04-01", "2019-06-30");
	assert_window("2019Q3", "2020-01-01", "2019-10-01", "2019-12-31");
	assert_window("2019Q4", "2020-01-01", "2020-01-01", "2020-03-31");
	assert_window("fy2019", "2020-01-01", "2019-04-01", "2020-03-31");
	assert_window("fytd", "2020-01-15", "2019-04-01", "2020-01-15");
	assert_window("fytd", "2020-04-01", "2020-04-01", "2020-04-01");
	assert_window("fytd", "2020-03-31", "2019-04-01", "2020-03-31");
	assert_window("rolling12", "2020-03-31", "2019-04-01", "2020-03-31");
	assert_window("rolling12", "2020-02-29", "2019-03-01", "2020-02-29");
	assert_window("2019-05-17..2019-06-02", "2020-01-01", "2019-05-17",
	    "2019-06-02");
	assert_window("2019-05-17..2019-05-17", "2020-01-01", "2019-05-17",
	    "2019-05-17");
}

static void
test_bad_forms(void **state)
{
	static const char *const bad[] = { "", "fy", "fy19", "2019Q5",
		"2019Q0", "2019-13", "2019-4", "2019-02-30..2019-03-01",
		"2019-05-02..2019-05-01", "2019-05-01..", "..2019-05-01",
		"rolling", "FYTD", "2019-04-01", "fy2019x" };
	struct window w;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (window_parse(bad[i], day_of("2020-01-01"), &w) == 0)
			fail_msg("\"%s\" accepted", bad[i]);
}

static void
test_previous_period(void **state)
{
	struct window w = { day_of("2019-04-01"), day_of("2020-03-31") }, p;

	(void)state;
	p = window_previous(&w);
	assert_int_equal(p.from, day_of("2018-04-01"));
	assert_int_equal(p.to, day_of("2019-03-31"));
	w = (struct window){ day_of("2020-02-01"), day_of("2020-02-29") };
	p = window_previous(&w);
	assert_int_equal(p.from, day_of("2019-02-01"));
	assert_int_equal(p.to, day_of("2019-02-28"));
	/* fytd: the same span a year before. */
	w = (struct window){ day_of("2020-04-01"), day_of("2020-11-27") };
	p = window_previous(&w);
	assert_int_equal(p.from, day_of("2019-04-01"));
	assert_int_equal(p.to, day_of("2019-11-27"));
	w = (struct window){ day_of("2019-05-10"), day_of("2019-05-19") };
	p = window_previous(&w);
	assert_int_equal(p.from, day_of("2019-04-30"));
	assert_int_equal(p.to, day_of("2019-05-09"));
	assert_int_equal(window_fy_of(day_of("2020-03-31")), 2019);
	assert_int_equal(window_fy_of(day_of("2020-04-01")), 2020);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms),
		cmocka_unit_test(test_bad_forms),
		cmocka_unit_test(test_previous_period),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
