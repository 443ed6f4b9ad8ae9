/*
 * Unit tests for domain/calendar.c: the built-in England and Wales bank
 * holidays against the published lists (GOV.UK, "UK bank holidays"),
 * working-day arithmetic across weekends, bank holidays and Easter, and the
 * override list.  calendar_add_working_days() is also checked against a
 * naive count over every start day of 2014-2032 and every n in -300..300,
 * on the built-in calendar and on one with long runs of extra holidays.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/err.h"

static int32_t
day_of(const char *s)
{
	int32_t day = DAY_NONE;

	assert_int_equal(date_parse(s, strlen(s), &day), 0);
	return day;
}

static int
setup(void **state)
{
	struct calendar *c = NULL;

	if (calendar_new(&c) != 0)
		return -1;
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct calendar *c = *state;

	calendar_free(&c);
	return 0;
}

/*
 * Compare the holidays of year y with want (NULL-terminated, in date
 * order), by scanning every day of the year.
 */
static void
assert_year(const struct calendar *c, int y, const char *const *want)
{
	int32_t day, last = date_from_ymd(y, 12, 31);
	char buf[DATE_STRLEN];
	size_t i = 0;

	for (day = date_from_ymd(y, 1, 1); day <= last; day++) {
		if (!calendar_is_holiday(c, day))
			continue;
		date_format(day, buf);
		if (want[i] == NULL)
			fail_msg("%d: unexpected holiday %s", y, buf);
		if (strcmp(buf, want[i]) != 0)
			fail_msg("%d: holiday %s, want %s", y, buf, want[i]);
		/* A bank holiday is never a working day. */
		assert_false(calendar_is_working_day(c, day));
		i++;
	}
	if (want[i] != NULL)
		fail_msg("%d: missing holiday %s", y, want[i]);
}

static void
test_holidays_2015_2019(void **state)
{
	static const char *const y2015[] = { "2015-01-01", "2015-04-03",
		"2015-04-06", "2015-05-04", "2015-05-25", "2015-08-31",
		"2015-12-25", "2015-12-28", NULL };
	/* Christmas on a Sunday: Boxing Day Monday 26, Christmas Tuesday. */
	static const char *const y2016[] = { "2016-01-01", "2016-03-25",
		"2016-03-28", "2016-05-02", "2016-05-30", "2016-08-29",
		"2016-12-26", "2016-12-27", NULL };
	/* New Year's Day on a Sunday. */
	static const char *const y2017[] = { "2017-01-02", "2017-04-14",
		"2017-04-17", "2017-05-01", "2017-05-29", "2017-08-28",
		"2017-12-25", "2017-12-26", NULL };
	static const char *const y2018[] = { "2018-01-01", "2018-03-30",
		"2018-04-02", "2018-05-07", "2018-05-28", "2018-08-27",
		"2018-12-25", "2018-12-26", NULL };
	static const char *const y2019[] = { "2019-01-01", "2019-04-19",
		"2019-04-22", "2019-05-06", "2019-05-27", "2019-08-26",
		"2019-12-25", "2019-12-26", NULL };
	struct calendar *c = *state;

	assert_year(c, 2015, y2015);
	assert_year(c, 2016, y2016);
	assert_year(c, 2017, y2017);
	assert_year(c, 2018, y2018);
	assert_year(c, 2019, y2019);
}

static void
test_holidays_2020_2023(void **state)
{
	/* Early May moved to Friday 8 May (VE Day). */
	static const char *const y2020[] = { "2020-01-01", "2020-04-10",
		"2020-04-13", "2020-05-08", "2020-05-25", "2020-08-31",
		"2020-12-25", "2020-12-28", NULL };
	/* Christmas on a Saturday: Monday 27 and Tuesday 28. */
	static const char *const y2021[] = { "2021-01-01", "2021-04-02",
		"2021-04-05", "2021-05-03", "2021-05-31", "2021-08-30",
		"2021-12-27", "2021-12-28", NULL };
	/*
	 * New Year on a Saturday; spring moved to Thursday 2 June, Friday 3
	 * June (Platinum Jubilee); Monday 19 September (State Funeral);
	 * Christmas on a Sunday.
	 */
	static const char *const y2022[] = { "2022-01-03", "2022-04-15",
		"2022-04-18", "2022-05-02", "2022-06-02", "2022-06-03",
		"2022-08-29", "2022-09-19", "2022-12-26", "2022-12-27", NULL };
	/* Monday 8 May (Coronation), New Year on a Sunday. */
	static const char *const y2023[] = { "2023-01-02", "2023-04-07",
		"2023-04-10", "2023-05-01", "2023-05-08", "2023-05-29",
		"2023-08-28", "2023-12-25", "2023-12-26", NULL };
	struct calendar *c = *state;

	assert_year(c, 2020, y2020);
	assert_year(c, 2021, y2021);
	assert_year(c, 2022, y2022);
	assert_year(c, 2023, y2023);
	/* The days the proclamations moved are ordinary working days. */
	assert_true(calendar_is_working_day(c, day_of("2020-05-04")));
	assert_true(calendar_is_working_day(c, day_of("2022-05-30")));
}

static void
test_holidays_2024_2030(void **state)
{
	static const char *const y2024[] = { "2024-01-01", "2024-03-29",
		"2024-04-01", "2024-05-06", "2024-05-27", "2024-08-26",
		"2024-12-25", "2024-12-26", NULL };
	static const char *const y2025[] = { "2025-01-01", "2025-04-18",
		"2025-04-21", "2025-05-05", "2025-05-26", "2025-08-25",
		"2025-12-25", "2025-12-26", NULL };
	/* Boxing Day on a Saturday. */
	static const char *const y2026[] = { "2026-01-01", "2026-04-03",
		"2026-04-06", "2026-05-04", "2026-05-25", "2026-08-31",
		"2026-12-25", "2026-12-28", NULL };
	static const char *const y2027[] = { "2027-01-01", "2027-03-26",
		"2027-03-29", "2027-05-03", "2027-05-31", "2027-08-30",
		"2027-12-27", "2027-12-28", NULL };
	static const char *const y2028[] = { "2028-01-03", "2028-04-14",
		"2028-04-17", "2028-05-01", "2028-05-29", "2028-08-28",
		"2028-12-25", "2028-12-26", NULL };
	static const char *const y2029[] = { "2029-01-01", "2029-03-30",
		"2029-04-02", "2029-05-07", "2029-05-28", "2029-08-27",
		"2029-12-25", "2029-12-26", NULL };
	static const char *const y2030[] = { "2030-01-01", "2030-04-19",
		"2030-04-22", "2030-05-06", "2030-05-27", "2030-08-26",
		"2030-12-25", "2030-12-26", NULL };
	struct calendar *c = *state;

	assert_year(c, 2024, y2024);
	assert_year(c, 2025, y2025);
	assert_year(c, 2026, y2026);
	assert_year(c, 2027, y2027);
	assert_year(c, 2028, y2028);
	assert_year(c, 2029, y2029);
	assert_year(c, 2030, y2030);
}

/* The built-ins are 2015-2030 exactly: 16 years of 8, plus 2 and 1. */
static void
test_builtin_range(void **state)
{
	static const char *const none[] = { NULL };
	struct calendar *c = *state;
	int32_t day;
	int n = 0;

	for (day = day_of("2000-01-01"); day < day_of("2040-01-01"); day++)
		n += calendar_is_holiday(c, day);
	assert_int_equal(n, 16 * 8 + 2 + 1);
	assert_year(c, 2014, none);
	assert_year(c, 2031, none);
	assert_false(calendar_is_holiday(c, day_of("2014-12-25")));
	assert_false(calendar_is_holiday(c, day_of("2031-01-01")));
	assert_true(calendar_is_working_day(c, day_of("2014-12-25")));
	assert_true(calendar_is_working_day(c, day_of("2031-01-01")));
}

static void
test_working_day_predicate(void **state)
{
	struct calendar *c = *state;

	assert_true(
	    calendar_is_working_day(c, day_of("2020-01-03"))); /* Fri */
	assert_false(calendar_is_working_day(c, day_of("2020-01-04")));
	assert_false(calendar_is_working_day(c, day_of("2020-01-05")));
	assert_true(
	    calendar_is_working_day(c, day_of("2020-01-06"))); /* Mon */
	/* Weekends are not holidays, and 25 Dec 2021 (Saturday) is neither. */
	assert_false(calendar_is_holiday(c, day_of("2020-01-04")));
	assert_false(calendar_is_holiday(c, day_of("2021-12-25")));
	assert_false(calendar_is_working_day(c, day_of("2021-12-25")));
	assert_true(calendar_is_holiday(c, day_of("2021-12-27")));
	assert_false(calendar_is_working_day(c, day_of("2021-12-27")));
}

static void
assert_add(const struct calendar *c, const char *from, int n, const char *want)
{
	char buf[DATE_STRLEN];

	date_format(calendar_add_working_days(c, day_of(from), n), buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s %+d working days: got %s, want %s", from, n, buf,
		    want);
}

static void
test_add_weekends(void **state)
{
	struct calendar *c = *state;

	assert_add(c, "2020-01-03", 1, "2020-01-06"); /* Fri -> Mon */
	assert_add(c, "2020-01-02", 1, "2020-01-03"); /* Thu -> Fri */
	assert_add(c, "2020-01-06", 5, "2020-01-13"); /* a week */
	assert_add(c, "2020-01-03", 5, "2020-01-10"); /* Fri -> Fri */
	assert_add(c, "2020-01-03", 6, "2020-01-13");
	assert_add(c, "2020-01-08", 4, "2020-01-14"); /* Wed -> Tue */
	assert_add(c, "2020-01-04", 1, "2020-01-06"); /* Sat -> Mon */
	assert_add(c, "2020-01-05", 1, "2020-01-06"); /* Sun -> Mon */
	assert_add(c, "2020-01-05", 5, "2020-01-10");
	assert_add(c, "2020-01-06", -1, "2020-01-03"); /* Mon -> Fri */
	assert_add(c, "2020-01-04", -1, "2020-01-03"); /* Sat -> Fri */
	assert_add(c, "2020-01-05", -1, "2020-01-03"); /* Sun -> Fri */
	assert_add(c, "2020-01-05", -5, "2019-12-27");
	assert_add(c, "2020-01-13", -5, "2020-01-06");
	assert_add(c, "2020-01-14", -4, "2020-01-08");
	/* n == 0 is the day itself, working or not. */
	assert_add(c, "2020-01-04", 0, "2020-01-04");
	assert_add(c, "2020-04-10", 0, "2020-04-10");
	assert_add(c, "2020-01-06", 0, "2020-01-06");
}

static void
test_add_holidays(void **state)
{
	struct calendar *c = *state;

	/* Easter 2020: Good Friday 10 April, Easter Monday 13 April. */
	assert_add(c, "2020-04-09", 1, "2020-04-14");
	assert_add(c, "2020-04-08", 2, "2020-04-14");
	assert_add(c, "2020-04-10", 1, "2020-04-14"); /* from a holiday */
	assert_add(c, "2020-04-13", 1, "2020-04-14");
	assert_add(c, "2020-04-14", -1, "2020-04-09");
	assert_add(c, "2020-04-13", -1, "2020-04-09");
	assert_add(c, "2020-04-10", -1, "2020-04-09");
	assert_add(c, "2020-04-15", -2, "2020-04-09");
	/* VE Day 2020 (Friday) and not the Monday before it. */
	assert_add(c, "2020-05-01", 1, "2020-05-04");
	assert_add(c, "2020-05-07", 1, "2020-05-11");
	/* Christmas 2021 on a Saturday, New Year 2022 on a Saturday. */
	assert_add(c, "2021-12-24", 1, "2021-12-29");
	assert_add(c, "2021-12-24", 3, "2021-12-31");
	assert_add(c, "2021-12-24", 4, "2022-01-04");
	assert_add(c, "2022-01-04", -4, "2021-12-24");
	assert_add(c, "2022-01-04", -1, "2021-12-31");
	/* Platinum Jubilee: Thursday 2 and Friday 3 June 2022. */
	assert_add(c, "2022-06-01", 1, "2022-06-06");
	assert_add(c, "2022-06-06", -1, "2022-06-01");
	/* Christmas 2022 on a Sunday: Monday 26 and Tuesday 27. */
	assert_add(c, "2022-12-23", 1, "2022-12-28");
	/* Coronation 2023: Monday 1 May and Monday 8 May. */
	assert_add(c, "2023-04-28", 5, "2023-05-09");
	assert_add(c, "2023-04-28", 6, "2023-05-10");
	/*
	 * 20 working days (lac.review_timeliness, first review) across
	 * Christmas 2019: 23, 24, 27, 30, 31 Dec, 2-3, 6-10, 13-17, 20-22 Jan.
	 */
	assert_add(c, "2019-12-20", 20, "2020-01-22");
	assert_add(c, "2020-01-22", -20, "2019-12-20");
	/* 15 working days (cp.icpc_timeliness) over Easter 2019. */
	assert_add(c, "2019-04-10", 15, "2019-05-03");
	/* Hundreds of days: 2020 has 254 working days. */
	assert_add(c, "2019-12-31", 254, "2020-12-31");
	assert_add(c, "2020-12-31", -254, "2019-12-31");
	assert_add(c, "2019-12-31", 255, "2021-01-04");
}

/*
 * The nth working day after or before every day in [from, to], for every n
 * in -nmax..nmax, against a table of the working days built from
 * calendar_is_working_day() alone.
 */
static void
check_against_naive(
    const struct calendar *c, int32_t from, int32_t to, int nmax)
{
	int32_t lo = from - 2 * 366, hi = to + 2 * 366, day, got, want;
	int32_t *wd = NULL;
	size_t nwd = 0, i, after;
	int n;

	assert_non_null(wd = calloc((size_t)(hi - lo + 1), sizeof(*wd)));
	for (day = lo; day <= hi; day++)
		if (calendar_is_working_day(c, day))
			wd[nwd++] = day;
	for (day = from, after = 0; day <= to; day++) {
		/* after: index of the first working day > day. */
		while (wd[after] <= day)
			after++;
		for (n = -nmax; n <= nmax; n++) {
			if (n == 0)
				want = day;
			else if (n > 0)
				want = wd[after + (size_t)n - 1];
			else {
				/* The first working day < day, then back. */
				i = after;
				if (wd[i - 1] == day)
					i--;
				want = wd[i - (size_t)(-n)];
			}
			got = calendar_add_working_days(c, day, n);
			if (got != want)
				fail_msg("day %d %+d: got %d, want %d", day, n,
				    got, want);
		}
	}
	free(wd);
}

static void
test_add_against_naive(void **state)
{
	struct calendar *c = *state;

	check_against_naive(
	    c, day_of("2014-01-01"), day_of("2032-12-31"), 300);
}

/* Long runs of holidays, holidays at weekends, and holidays at random. */
static void
test_add_against_naive_dense(void **state)
{
	struct calendar *c = *state;
	uint32_t seed = 12345;
	int32_t day;

	for (day = day_of("2024-07-01"); day <= day_of("2024-08-31"); day++)
		assert_int_equal(calendar_set_holiday(c, day, true), 0);
	for (day = day_of("2025-01-04"); day <= day_of("2025-12-31"); day += 7)
		assert_int_equal(calendar_set_holiday(c, day, true), 0);
	for (day = day_of("2026-01-01"); day <= day_of("2027-12-31"); day++) {
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 3 == 0)
			assert_int_equal(
			    calendar_set_holiday(c, day, true), 0);
	}
	assert_add(c, "2024-06-28", 1, "2024-09-02");
	assert_add(c, "2024-09-02", -1, "2024-06-28");
	check_against_naive(
	    c, day_of("2023-01-01"), day_of("2029-12-31"), 300);
}

static void
test_set_holiday(void **state)
{
	struct calendar *c = *state;

	/* A Wednesday. */
	assert_true(calendar_is_working_day(c, day_of("2031-01-01")));
	assert_int_equal(
	    calendar_set_holiday(c, day_of("2031-01-01"), true), 0);
	assert_true(calendar_is_holiday(c, day_of("2031-01-01")));
	assert_false(calendar_is_working_day(c, day_of("2031-01-01")));
	assert_add(c, "2030-12-31", 1, "2031-01-02");
	/* Twice is once. */
	assert_int_equal(
	    calendar_set_holiday(c, day_of("2031-01-01"), true), 0);
	assert_int_equal(
	    calendar_set_holiday(c, day_of("2031-01-01"), false), 0);
	assert_false(calendar_is_holiday(c, day_of("2031-01-01")));
	assert_add(c, "2030-12-31", 1, "2031-01-01");
	/* Removing a day that is not a holiday is not an error. */
	assert_int_equal(
	    calendar_set_holiday(c, day_of("2031-01-01"), false), 0);
	/* A Saturday holiday costs no working day. */
	assert_int_equal(
	    calendar_set_holiday(c, day_of("2031-01-04"), true), 0);
	assert_true(calendar_is_holiday(c, day_of("2031-01-04")));
	assert_add(c, "2031-01-03", 1, "2031-01-06");
	/* Removing a built-in day. */
	assert_int_equal(
	    calendar_set_holiday(c, day_of("2020-12-28"), false), 0);
	assert_true(calendar_is_working_day(c, day_of("2020-12-28")));
	assert_add(c, "2020-12-24", 1, "2020-12-28");
	/* Sentinels are not days. */
	assert_int_equal(calendar_set_holiday(c, DAY_NONE, true), IRK_EINVAL);
	assert_int_equal(calendar_set_holiday(c, DAY_NEVER, true), IRK_EINVAL);
	assert_int_equal(calendar_add_working_days(c, DAY_NONE, 5), DAY_NONE);
	assert_int_equal(
	    calendar_add_working_days(c, DAY_NEVER, -5), DAY_NEVER);
}

static void
test_overrides(void **state)
{
	static const char text[] = "# England and Wales, 2031\r\n"
				   "\r\n"
				   "  2031-01-01  \n"
				   "2031-04-11\r\n"
				   "\t2031-04-14\t\n"
				   "   # indented comment\n"
				   "-2020-12-28\n"
				   "-2019-07-01\n" /* not a holiday */
				   "2031-05-05";   /* no final newline */
	struct calendar *c = *state;
	int bad = -1;

	assert_int_equal(
	    calendar_apply_overrides(c, text, strlen(text), &bad), 0);
	assert_int_equal(bad, -1);
	assert_true(calendar_is_holiday(c, day_of("2031-01-01")));
	assert_true(calendar_is_holiday(c, day_of("2031-04-11")));
	assert_true(calendar_is_holiday(c, day_of("2031-04-14")));
	assert_true(calendar_is_holiday(c, day_of("2031-05-05")));
	assert_false(calendar_is_holiday(c, day_of("2020-12-28")));
	assert_false(calendar_is_holiday(c, day_of("2019-07-01")));
	assert_true(calendar_is_holiday(c, day_of("2020-12-25")));
	assert_add(c, "2031-04-10", 1, "2031-04-15");
	/* Empty text, and text that is all comments. */
	assert_int_equal(calendar_apply_overrides(c, "", 0, &bad), 0);
	assert_int_equal(calendar_apply_overrides(c, "#\n\n  \n", 6, &bad), 0);
	assert_int_equal(bad, -1);
	/* len bounds the text: "2031-06-02" is not read. */
	assert_int_equal(
	    calendar_apply_overrides(c, "2031-05-26\n2031-06-02", 11, &bad),
	    0);
	assert_true(calendar_is_holiday(c, day_of("2031-05-26")));
	assert_false(calendar_is_holiday(c, day_of("2031-06-02")));
}

static void
test_overrides_bad_line(void **state)
{
	static const char text[] = "2031-05-26\n"
				   "# comment\n"
				   "2031-02-29\n"
				   "2031-08-25\n";
	static const char *const bad_lines[] = { "2031-1-01", "2031-13-01",
		"- 2031-01-01", "--2031-01-01", "+2031-01-01", "-",
		"2031-01-01 # New Year", "2031-01-01x", "20310101", "x",
		"2031-01-01 2031-01-02" };
	struct calendar *c = *state;
	char buf[64];
	size_t i;
	int bad = 0;

	assert_int_equal(
	    calendar_apply_overrides(c, text, strlen(text), &bad), IRK_EINVAL);
	assert_int_equal(bad, 3);
	/* Lines before the bad one are applied, those after are not. */
	assert_true(calendar_is_holiday(c, day_of("2031-05-26")));
	assert_false(calendar_is_holiday(c, day_of("2031-08-25")));

	for (i = 0; i < NITEMS(bad_lines); i++) {
		/* The bad line is the second one. */
		strcpy(buf, "2019-07-01\n");
		strcat(buf, bad_lines[i]);
		strcat(buf, "\n");
		bad = 0;
		if (calendar_apply_overrides(c, buf, strlen(buf), &bad) !=
		    IRK_EINVAL)
			fail_msg("accepted \"%s\"", bad_lines[i]);
		assert_int_equal(bad, 2);
	}
	/* bad_line may be NULL. */
	assert_int_equal(
	    calendar_apply_overrides(c, "nope", 4, NULL), IRK_EINVAL);
}

static void
test_new_free(void **state)
{
	struct calendar *c = NULL;

	(void)state;
	calendar_free(&c);
	calendar_free(NULL);
	assert_int_equal(calendar_new(&c), 0);
	assert_non_null(c);
	calendar_free(&c);
	assert_null(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_holidays_2015_2019, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_holidays_2020_2023, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_holidays_2024_2030, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_builtin_range, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_working_day_predicate, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_add_weekends, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_add_holidays, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_add_against_naive, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_add_against_naive_dense, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_set_holiday, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_overrides, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_overrides_bad_line, setup, teardown),
		cmocka_unit_test(test_new_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
