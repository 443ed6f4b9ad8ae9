/*
 * Unit tests for domain/date.c: day numbers, the strict parsers, RFC 3339
 * date-times, weekdays, calendar-month arithmetic and ages.  Expected values
 * are written out by hand (or checked against a second, naive computation)
 * so that a wrong conversion cannot agree with itself.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "domain/date.h"
#include "domain/err.h"

/* The day number of a date that must parse. */
static int32_t
day_of(const char *s)
{
	int32_t day = DAY_NONE;

	assert_int_equal(date_parse(s, strlen(s), &day), 0);
	return day;
}

static void
assert_date(int32_t day, const char *want)
{
	char buf[DATE_STRLEN];

	date_format(day, buf);
	assert_string_equal(buf, want);
}

static int
parse_str(const char *s, int32_t *out)
{
	return date_parse(s, strlen(s), out);
}

static int
parse_time_str(const char *s, struct irk_time *out)
{
	return date_parse_time(s, strlen(s), out);
}

static void
test_anchors(void **state)
{
	(void)state;
	assert_int_equal(date_from_ymd(1970, 1, 1), 0);
	assert_int_equal(date_from_ymd(1969, 12, 31), -1);
	assert_int_equal(date_from_ymd(2000, 3, 1), 11017);
	assert_int_equal(date_from_ymd(2020, 1, 3), 18264);
	assert_int_equal(date_from_ymd(2019, 4, 1), 17987);
	assert_int_equal(date_from_ymd(1, 1, 1), -719162);
	assert_int_equal(date_from_ymd(9999, 12, 31), 2932896);
	assert_int_equal(day_of("1600-01-01"), -135140);
	assert_int_equal(day_of("2400-12-31"), 157419);
	assert_date(0, "1970-01-01");
	assert_date(-719162, "0001-01-01");
	assert_date(2932896, "9999-12-31");
	assert_date(18264, "2020-01-03");
}

/*
 * Every day from 1600 to 2400 (four leap-century cycles' worth of rules):
 * the successor of a day is the next calendar date, and format/parse/ymd all
 * agree.
 */
/* The day after y-m-d, by hand: the oracle of the conversions. */
static void
next_day(int *y, int *m, int *d)
{
	int dim[13] = { 0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (*y % 4 == 0 && (*y % 100 != 0 || *y % 400 == 0))
		dim[2] = 29;
	if (++*d > dim[*m]) {
		*d = 1;
		if (++*m > 12) {
			*m = 1;
			++*y;
		}
	}
}

static void
test_round_trip_every_day(void **state)
{
	int32_t day, back;
	int y = 1600, m = 1, d = 1, yy, mm, dd;
	char buf[DATE_STRLEN];

	(void)state;
	for (day = day_of("1600-01-01"); day <= day_of("2400-12-31"); day++) {
		date_to_ymd(day, &yy, &mm, &dd);
		assert_int_equal(yy, y);
		assert_int_equal(mm, m);
		assert_int_equal(dd, d);
		assert_int_equal(date_from_ymd(y, m, d), day);
		assert_true(date_valid_ymd(y, m, d));
		date_format(day, buf);
		assert_int_equal(strlen(buf), 10);
		back = DAY_NONE;
		assert_int_equal(date_parse(buf, 10, &back), 0);
		assert_int_equal(back, day);
		assert_int_equal(date_year(day), y);
		next_day(&y, &m, &d);
	}
	assert_int_equal(y, 2401);
}

static void
test_valid_ymd(void **state)
{
	(void)state;
	assert_true(date_valid_ymd(2000, 2, 29));
	assert_false(date_valid_ymd(1900, 2, 29));
	assert_false(date_valid_ymd(2100, 2, 29));
	assert_true(date_valid_ymd(2020, 2, 29));
	assert_false(date_valid_ymd(2019, 2, 29));
	assert_false(date_valid_ymd(2019, 4, 31));
	assert_true(date_valid_ymd(2019, 12, 31));
	assert_false(date_valid_ymd(2019, 13, 1));
	assert_false(date_valid_ymd(2019, 0, 1));
	assert_false(date_valid_ymd(2019, 1, 0));
	assert_false(date_valid_ymd(0, 1, 1));
	assert_true(date_valid_ymd(1, 1, 1));
	assert_true(date_valid_ymd(9999, 12, 31));
	assert_false(date_valid_ymd(10000, 1, 1));
}

static void
test_parse_rejects(void **state)
{
	static const char *bad[] = {
		"2019-02-29",
		"2020-02-30",
		"2019-13-01",
		"2019-00-10",
		"2019-01-00",
		"2019-04-31",
		"2019-1-01",
		"2019-01-1",
		"19-01-01",
		"0000-01-01",
		"2019/01/01",
		"2019-01-01x",
		"2019-01-01 ",
		" 2019-01-01",
		"+019-01-01",
		"2019-0a-01",
		"2019-01-01T00:00:00Z",
		"",
		"2019-01",
		"2019-01-0\xff",
	};
	int32_t day;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(bad); i++) {
		day = 12345;
		if (parse_str(bad[i], &day) != IRK_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(day, 12345); /* untouched */
	}
	/* Exactly len bytes are read: a longer buffer is not a date. */
	assert_int_equal(date_parse("2019-01-012", 10, &day), 0);
	assert_date(day, "2019-01-01");
	assert_int_equal(date_parse("2019-01-01", 9, &day), IRK_EINVAL);
	assert_int_equal(date_parse("2019-01-01", 11, &day), IRK_EINVAL);
}

static void
test_parse_month(void **state)
{
	static const char *bad[] = { "2019-4", "2019-13", "2019-00",
		"2019-04-01", "0000-01", "2019/04", "201904", "2019-04 " };
	int32_t day;
	size_t i;

	(void)state;
	assert_int_equal(date_parse_month("2019-04", 7, &day), 0);
	assert_date(day, "2019-04-01");
	assert_int_equal(date_parse_month("2020-02", 7, &day), 0);
	assert_date(day, "2020-02-01");
	assert_int_equal(date_parse_month("2019-12-25", 7, &day), 0);
	assert_date(day, "2019-12-01");
	for (i = 0; i < NITEMS(bad); i++) {
		day = 12345;
		if (date_parse_month(bad[i], strlen(bad[i]), &day) !=
		    IRK_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_int_equal(day, 12345);
	}
}

static void
test_parse_time_date_only(void **state)
{
	struct irk_time t;

	(void)state;
	memset(&t, 0x55, sizeof(t));
	assert_int_equal(parse_time_str("2019-04-01", &t), 0);
	assert_int_equal(t.day, day_of("2019-04-01"));
	assert_false(t.has_time);
	assert_int_equal(t.sec, 0);
	assert_int_equal(t.tz_min, 0);
	assert_int_equal(date_time_instant(&t), (int64_t)17987 * 86400);
}

static void
test_parse_time_variants(void **state)
{
	struct irk_time t;

	(void)state;
	assert_int_equal(parse_time_str("2019-04-01T10:20:30Z", &t), 0);
	assert_int_equal(t.day, day_of("2019-04-01"));
	assert_true(t.has_time);
	assert_int_equal(t.sec, 10 * 3600 + 20 * 60 + 30);
	assert_int_equal(t.tz_min, 0);

	assert_int_equal(parse_time_str("2019-04-01t10:20:30z", &t), 0);
	assert_int_equal(t.sec, 37230);
	assert_int_equal(t.tz_min, 0);

	assert_int_equal(parse_time_str("2019-04-01 00:00:00+01:00", &t), 0);
	assert_int_equal(t.day, day_of("2019-04-01"));
	assert_int_equal(t.sec, 0);
	assert_int_equal(t.tz_min, 60);

	assert_int_equal(parse_time_str("2019-04-01T23:59:59.5-05:30", &t), 0);
	assert_int_equal(t.sec, 86399);
	assert_int_equal(t.tz_min, -330);

	assert_int_equal(
	    parse_time_str("2019-04-01T12:00:00.123456789+23:59", &t), 0);
	assert_int_equal(t.sec, 43200);
	assert_int_equal(t.tz_min, 23 * 60 + 59);

	/* A leap second. */
	assert_int_equal(parse_time_str("2016-12-31T23:59:60Z", &t), 0);
	assert_int_equal(t.day, day_of("2016-12-31"));
	assert_int_equal(t.sec, 86400);

	/* "-00:00" (offset unknown) is UTC. */
	assert_int_equal(parse_time_str("2019-04-01T08:00:00-00:00", &t), 0);
	assert_int_equal(t.tz_min, 0);
	assert_int_equal(t.sec, 8 * 3600);
}

static void
test_parse_time_rejects(void **state)
{
	static const char *bad[] = {
		"2019-04-01T10:20Z",               /* no seconds */
		"2019-04-01T10:20:30",             /* no offset */
		"2019-04-01T10:20:30.Z",           /* empty fraction */
		"2019-04-01T10:20:30.1234567890Z", /* 10 digits */
		"2019-04-01T10:20:30.5",           /* fraction, no offset */
		"2019-04-01T24:00:00Z",            /* hour 24 */
		"2019-04-01T10:60:00Z",            /* minute 60 */
		"2019-04-01T10:20:61Z",            /* second 61 */
		"2019-04-01T10:20:30+24:00",       /* offset hour */
		"2019-04-01T10:20:30+01:60",       /* offset minute */
		"2019-04-01T10:20:30+0100",        /* offset without colon */
		"2019-04-01T10:20:30+01",          /* short offset */
		"2019-04-01T10:20:30Zx",           /* trailing junk */
		"2019-04-01T10:20:30+01:00 ",      /* trailing blank */
		"2019-04-01T10:20:30 Z",           /* blank before zone */
		"2019-04-01X10:20:30Z",            /* separator */
		"2019-04-01_10:20:30Z",            /* separator */
		"2019-04-01T1:20:30Z",             /* one-digit hour */
		"2019-04-01T10-20-30Z",            /* separators */
		"2019-04-01T",                     /* truncated */
		"2019-04-01 ",                     /* truncated */
		"2019-02-29T10:20:30Z",            /* no such date */
		"2019-4-01T10:20:30Z",             /* short month */
		"2019-04-01T10:20:30UTC",          /* zone name */
		"",
	};
	struct irk_time t, orig;
	size_t i;

	(void)state;
	memset(&orig, 0x5a, sizeof(orig));
	for (i = 0; i < NITEMS(bad); i++) {
		t = orig;
		if (parse_time_str(bad[i], &t) != IRK_EINVAL)
			fail_msg("accepted \"%s\"", bad[i]);
		assert_memory_equal(&t, &orig, sizeof(t)); /* untouched */
	}
	/* len bounds the input; the bytes after it are not read. */
	assert_int_equal(
	    date_parse_time("2019-04-01T10:20:30Z", 19, &t), IRK_EINVAL);
	assert_int_equal(
	    date_parse_time("2019-04-01T10:20:30Zjunk", 20, &t), 0);
	assert_int_equal(t.sec, 37230);
}

static int64_t
instant(const char *s)
{
	struct irk_time t;

	assert_int_equal(parse_time_str(s, &t), 0);
	return date_time_instant(&t);
}

static void
test_instants(void **state)
{
	struct irk_time t;

	(void)state;
	/* The same instant written in three offsets. */
	assert_int_equal(instant("2020-03-29T00:30:00Z"),
	    instant("2020-03-29T01:30:00+01:00"));
	assert_int_equal(instant("2020-03-29T00:30:00Z"),
	    instant("2020-03-28T19:00:00-05:30"));
	assert_int_equal(instant("2020-03-29T00:30:00Z"),
	    (int64_t)day_of("2020-03-29") * 86400 + 1800);

	/*
	 * The business date is the date as written: 00:30 at +01:00 on 1
	 * January is 23:30 UTC on 31 December, yet its day is 1 January.
	 */
	assert_int_equal(parse_time_str("2020-01-01T00:30:00+01:00", &t), 0);
	assert_int_equal(t.day, day_of("2020-01-01"));
	assert_int_equal(date_time_instant(&t),
	    (int64_t)day_of("2019-12-31") * 86400 + 23 * 3600 + 30 * 60);
	assert_true(instant("2020-01-01T00:30:00+01:00") <
		    instant("2020-01-01T00:00:00Z"));
	assert_true(instant("2019-12-31T23:59:59-01:00") >
		    instant("2020-01-01T00:30:00+01:00"));

	/* Fractions are dropped: the instant is to the second. */
	assert_int_equal(instant("2020-01-01T12:00:00.999Z"),
	    instant("2020-01-01T12:00:00Z"));

	/* A date only is midnight UTC. */
	assert_int_equal(
	    instant("2020-01-01"), instant("2020-01-01T00:00:00Z"));
	assert_int_equal(instant("1969-12-31"), -86400);

	/* Null sorts first. */
	t.day = DAY_NONE;
	t.sec = 0;
	t.tz_min = 0;
	t.has_time = false;
	assert_true(date_time_instant(&t) == INT64_MIN);
}

static void
test_format(void **state)
{
	char buf[DATE_STRLEN];
	int32_t day;

	(void)state;
	assert_date(day_of("2019-04-01"), "2019-04-01");
	assert_date(date_from_ymd(2020, 2, 29), "2020-02-29");
	assert_date(date_from_ymd(999, 12, 9), "0999-12-09");
	/* The sentinels are not dates, and what they print does not parse. */
	date_format(DAY_NONE, buf);
	assert_string_equal(buf, "0000-00-00");
	date_format(DAY_NEVER, buf);
	assert_string_equal(buf, "0000-00-00");
	date_format(date_from_ymd(1, 1, 1) - 1, buf);
	assert_string_equal(buf, "0000-00-00");
	assert_int_equal(date_parse(buf, 10, &day), IRK_EINVAL);
}

static void
test_weekday(void **state)
{
	int32_t day;
	int w;

	(void)state;
	assert_int_equal(date_weekday(0), 3);  /* Thursday */
	assert_int_equal(date_weekday(-1), 2); /* Wednesday */
	assert_int_equal(date_weekday(day_of("2020-01-03")), 4); /* Friday */
	assert_int_equal(date_weekday(day_of("2020-01-06")), 0); /* Monday */
	assert_int_equal(date_weekday(day_of("2000-02-29")), 1); /* Tuesday */
	assert_int_equal(date_weekday(day_of("2021-12-25")), 5); /* Saturday */
	assert_int_equal(date_weekday(day_of("2022-12-25")), 6); /* Sunday */
	assert_int_equal(date_weekday(day_of("1900-01-01")), 0); /* Monday */
	assert_int_equal(date_weekday(day_of("0001-01-01")), 0); /* Monday */
	/* Consecutive days cycle through 0..6. */
	w = date_weekday(day_of("1899-12-31"));
	for (day = day_of("1900-01-01"); day < day_of("2101-01-01"); day++) {
		w = (w + 1) % 7;
		assert_int_equal(date_weekday(day), w);
	}
}

static void
assert_add_months(const char *from, int n, const char *want)
{
	char buf[DATE_STRLEN];

	date_format(date_add_months(day_of(from), n), buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s %+d months: got %s, want %s", from, n, buf, want);
}

static void
test_add_months(void **state)
{
	(void)state;
	assert_add_months("2019-05-31", 3, "2019-08-31");
	assert_add_months("2019-11-30", 3, "2020-02-29"); /* leap */
	assert_add_months("2020-11-30", 3, "2021-02-28"); /* common */
	assert_add_months("2019-01-31", 1, "2019-02-28");
	assert_add_months("2020-01-31", 1, "2020-02-29");
	assert_add_months("2019-03-31", 1, "2019-04-30");
	assert_add_months("2019-08-31", 6, "2020-02-29");
	assert_add_months("2019-02-28", 1, "2019-03-28"); /* no spring back */
	assert_add_months("2019-12-15", 1, "2020-01-15");
	assert_add_months("2019-10-15", 6, "2020-04-15");
	assert_add_months("2020-02-29", 12, "2021-02-28");
	assert_add_months("2020-02-29", 48, "2024-02-29");
	assert_add_months("2020-02-29", 0, "2020-02-29");
	assert_add_months("2019-04-01", 120, "2029-04-01");
	/* Negative months. */
	assert_add_months("2020-01-15", -1, "2019-12-15");
	assert_add_months("2020-03-31", -1, "2020-02-29");
	assert_add_months("2019-03-31", -1, "2019-02-28");
	assert_add_months("2020-05-31", -3, "2020-02-29");
	assert_add_months("2020-01-31", -13, "2018-12-31");
	assert_add_months("2020-01-01", -24, "2018-01-01");
	assert_add_months("1970-01-31", -1, "1969-12-31");
	/* The sentinels pass through. */
	assert_int_equal(date_add_months(DAY_NONE, 3), DAY_NONE);
	assert_int_equal(date_add_months(DAY_NEVER, -3), DAY_NEVER);
}

/*
 * date_to_ymd() on every date of years 1 to 9999 (its fast path), checked
 * against the calendar advanced by hand, and on either side of them (the
 * general one).
 */
static void
test_to_ymd_every_date(void **state)
{
	int y = 1, m = 1, d = 1, yy, mm, dd;
	int32_t day;
	bool ok = true;

	(void)state;
	for (day = date_from_ymd(1, 1, 1); ok && day <= 2932896; day++) {
		date_to_ymd(day, &yy, &mm, &dd);
		ok = yy == y && mm == m && dd == d;
		next_day(&y, &m, &d);
	}
	assert_true(ok);
	assert_int_equal(y, 10000);
	date_to_ymd(date_from_ymd(1, 1, 1) - 1, &yy, &mm, &dd);
	assert_true(yy == 0 && mm == 12 && dd == 31);
	date_to_ymd(2932896 + 1, &yy, &mm, &dd);
	assert_true(yy == 10000 && mm == 1 && dd == 1);
	date_to_ymd(-800000, &yy, &mm, &dd); /* a date's value, not a date */
	assert_int_equal(date_from_ymd(yy, mm, dd), -800000);
}

static void
test_month_index(void **state)
{
	int32_t mi, day;
	int y, m, d, md;

	(void)state;
	assert_int_equal(
	    date_month_index(day_of("2019-04-15")), 2019 * 12 + 3);
	assert_int_equal(date_month_index(day_of("2019-04-01")), 24231);
	assert_int_equal(date_month_index(day_of("2019-04-30")), 24231);
	assert_int_equal(date_month_index(day_of("2020-01-01")), 24240);
	assert_date(date_month_first(24231), "2019-04-01");
	assert_date(date_month_first(24240), "2020-01-01");
	assert_date(date_month_first(24239), "2019-12-01");
	/* Every month from 1600 to 2400 round-trips. */
	for (mi = 1600 * 12; mi < 2401 * 12; mi++) {
		date_to_ymd(date_month_first(mi), &y, &m, &d);
		assert_int_equal(y, mi / 12);
		assert_int_equal(m, mi % 12 + 1);
		assert_int_equal(d, 1);
		assert_int_equal(date_month_index(date_month_first(mi)), mi);
		assert_int_equal(
		    date_month_index(date_month_last(date_month_first(mi))),
		    mi);
		assert_int_equal(
		    date_month_index(
			date_month_last(date_month_first(mi)) + 1),
		    mi + 1);
	}
	/* date_month_day() is the index and the day of the month, on every
	 * day of the same range. */
	for (day = date_month_first(1600 * 12);
	     day < date_month_first(2401 * 12); day++) {
		date_to_ymd(day, &y, &m, &d);
		assert_int_equal(date_month_day(day, &md), y * 12 + m - 1);
		assert_int_equal(md, d);
	}
}

static void
test_month_last(void **state)
{
	(void)state;
	assert_date(date_month_last(day_of("2020-02-10")), "2020-02-29");
	assert_date(date_month_last(day_of("2019-02-01")), "2019-02-28");
	assert_date(date_month_last(day_of("1900-02-14")), "1900-02-28");
	assert_date(date_month_last(day_of("2000-02-14")), "2000-02-29");
	assert_date(date_month_last(day_of("2019-12-05")), "2019-12-31");
	assert_date(date_month_last(day_of("2019-04-30")), "2019-04-30");
	assert_date(date_month_last(day_of("2019-09-01")), "2019-09-30");
}

static void
test_year(void **state)
{
	(void)state;
	assert_int_equal(date_year(day_of("2019-12-31")), 2019);
	assert_int_equal(date_year(day_of("2020-01-01")), 2020);
	assert_int_equal(date_year(-1), 1969);
	assert_int_equal(date_year(0), 1970);
}

static void
assert_age(const char *dob, const char *on, int want)
{
	int got = date_age_years(day_of(dob), day_of(on));

	if (got != want)
		fail_msg(
		    "born %s, on %s: age %d, want %d", dob, on, got, want);
}

static void
test_age(void **state)
{
	(void)state;
	assert_age("2010-06-15", "2010-06-15", 0);
	assert_age("2010-06-15", "2020-06-14", 9);
	assert_age("2010-06-15", "2020-06-15", 10);
	assert_age("2010-06-15", "2020-06-16", 10);
	assert_age("2010-06-15", "2020-05-31", 9);
	assert_age("2010-12-31", "2011-01-01", 0);
	assert_age("2010-12-31", "2011-12-30", 0);
	assert_age("2010-12-31", "2011-12-31", 1);
	assert_age("2010-01-01", "2027-12-31", 17);
	assert_age("2010-01-01", "2028-01-01", 18);
	/* Born 29 February: a year older on 1 March in a common year. */
	assert_age("2000-02-29", "2001-02-28", 0);
	assert_age("2000-02-29", "2001-03-01", 1);
	assert_age("2000-02-29", "2004-02-28", 3);
	assert_age("2000-02-29", "2004-02-29", 4);
	assert_age("2000-02-29", "2018-02-28", 17);
	assert_age("2000-02-29", "2018-03-01", 18);
	/* Born 28 February: a year older on 28 February, leap or not. */
	assert_age("2003-02-28", "2004-02-28", 1);
	assert_age("2003-02-28", "2004-02-27", 0);
	/* Born 1 March in a leap year: not older on 29 February. */
	assert_age("2004-03-01", "2008-02-29", 3);
	assert_age("2004-03-01", "2008-03-01", 4);
	/* Not yet born. */
	assert_int_equal(
	    date_age_years(day_of("2010-06-15"), day_of("2010-06-14")), -1);
	assert_int_equal(
	    date_age_years(day_of("2010-06-15"), day_of("1990-06-15")), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_round_trip_every_day),
		cmocka_unit_test(test_to_ymd_every_date),
		cmocka_unit_test(test_valid_ymd),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_month),
		cmocka_unit_test(test_parse_time_date_only),
		cmocka_unit_test(test_parse_time_variants),
		cmocka_unit_test(test_parse_time_rejects),
		cmocka_unit_test(test_instants),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_weekday),
		cmocka_unit_test(test_add_months),
		cmocka_unit_test(test_month_index),
		cmocka_unit_test(test_month_last),
		cmocka_unit_test(test_year),
		cmocka_unit_test(test_age),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
