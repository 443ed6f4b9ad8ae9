/*
 * Civil dates as day numbers (days since 1970-01-01, proleptic Gregorian).
 *
 * The conversions are Howard Hinnant's days_from_civil and civil_from_days
 * ("chrono-Compatible Low-Level Date Algorithms"): branch-light, exact for
 * every year, and free of tables.  They are done in 64-bit arithmetic so
 * that no int32_t day number, not even DAY_NONE or DAY_NEVER, can overflow
 * on the way; only years 1-9999 are dates, everything else is the caller's
 * sentinel.
 *
 * The parsers are strict on purpose: a producer that writes "2019-1-01" or
 * "2019-02-29" has a bug that should be reported at ingest, not a date that
 * should be guessed.  Digits are checked by value, not with isdigit(3), so
 * the locale cannot widen what is accepted.  Fractions of a second are
 * checked and dropped: business times compare to the second.
 */
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"

#define SECS_PER_DAY 86400

static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (unsigned)((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1);
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

/* Day numbers of 0001-01-01 and 9999-12-31: the dates. */
#define DAY_FIRST (-719162)
#define DAY_LAST  2932896

/*
 * civil_from_days() for a date (DAY_FIRST..DAY_LAST), in 32-bit
 * arithmetic: Neri and Schneider's "Euclidean affine functions and their
 * application to calendar algorithms" (2022).  About a third of the
 * instructions of the general one, and a rebuild's writer converts every
 * point's day.
 */
static void
civil_from_date_day(int32_t day, int64_t *yp, int *mp, int *dp)
{
	/* Shifted by 82 eras of 400 years, so that every date is positive. */
	uint32_t n = (uint32_t)(day + 719468 + 146097 * 82);
	uint32_t n1 = 4 * n + 3, c = n1 / 146097, nc = n1 % 146097 / 4;
	uint64_t p2 = (uint64_t)2939745 * (4 * nc + 3);
	uint32_t z = (uint32_t)(p2 >> 32);
	uint32_t ny = (uint32_t)p2 / 2939745 / 4;
	uint32_t n3 = 2141 * ny + 197913, m = n3 >> 16;
	bool jan_feb = ny >= 306;

	*yp = (int64_t)(100 * c + z) - 400 * 82 + jan_feb;
	*mp = (int)(jan_feb ? m - 12 : m);
	*dp = (int)((n3 & 0xffff) / 2141 + 1);
}

static void
civil_from_days(int64_t z, int64_t *yp, int *mp, int *dp)
{
	int64_t era, y;
	unsigned doe, yoe, doy, mp0;

	if (z >= DAY_FIRST && z <= DAY_LAST) {
		civil_from_date_day((int32_t)z, yp, mp, dp);
		return;
	}
	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp0 = (5 * doy + 2) / 153;
	*dp = (int)(doy - (153 * mp0 + 2) / 5 + 1);
	*mp = (int)(mp0 < 10 ? mp0 + 3 : mp0 - 9);
	*yp = y + (*mp <= 2);
}

static bool
is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
days_in_month(int64_t y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
		30, 31 };

	if (m == 2 && is_leap(y))
		return 29;
	return dim[m - 1];
}

/* Division rounding towards minus infinity, for negative month indexes. */
static int64_t
floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b != 0) && ((a < 0) != (b < 0)))
		q--;
	return q;
}

/* n decimal digits at s, or -1 if any byte is not a digit. */
static int
digits(const char *s, int n)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool
date_valid_ymd(int y, int m, int d)
{
	if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
		return false;
	return d <= days_in_month(y, m);
}

int32_t
date_from_ymd(int y, int m, int d)
{
	return (int32_t)days_from_civil(y, m, d);
}

void
date_to_ymd(int32_t day, int *y, int *m, int *d)
{
	int64_t yy;

	civil_from_days(day, &yy, m, d);
	*y = (int)yy;
}

int
date_parse(const char *s, size_t len, int32_t *out)
{
	int y, m, d;

	if (s == NULL || len != 10 || s[4] != '-' || s[7] != '-')
		return IRK_EINVAL;
	if ((y = digits(s, 4)) < 0 || (m = digits(s + 5, 2)) < 0 ||
	    (d = digits(s + 8, 2)) < 0)
		return IRK_EINVAL;
	if (!date_valid_ymd(y, m, d))
		return IRK_EINVAL;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int
date_parse_month(const char *s, size_t len, int32_t *out)
{
	int y, m;

	if (s == NULL || len != 7 || s[4] != '-')
		return IRK_EINVAL;
	if ((y = digits(s, 4)) < 0 || (m = digits(s + 5, 2)) < 0)
		return IRK_EINVAL;
	if (!date_valid_ymd(y, m, 1))
		return IRK_EINVAL;
	*out = date_from_ymd(y, m, 1);
	return 0;
}

/*
 * RFC 3339 section 5.6, with the seconds and the offset required:
 *   YYYY-MM-DD ('T' | 't' | ' ') HH:MM:SS [.d{1,9}] ('Z' | 'z' | (+|-)HH:MM)
 * Second 60 (a leap second) is accepted anywhere, as RFC 3339 syntax does;
 * "-00:00" (offset unknown) is taken as UTC.
 */
int
date_parse_time(const char *s, size_t len, struct irk_time *out)
{
	struct irk_time t = { 0 };
	size_t p, nfrac;
	int hh, mm, ss, oh, om, sign;

	if (s == NULL || len < 10 || date_parse(s, 10, &t.day) != 0)
		return IRK_EINVAL;
	if (len == 10) {
		*out = t;
		return 0;
	}
	/* The shortest date-time: "YYYY-MM-DDTHH:MM:SSZ". */
	if (len < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return IRK_EINVAL;
	if ((hh = digits(s + 11, 2)) < 0 || (mm = digits(s + 14, 2)) < 0 ||
	    (ss = digits(s + 17, 2)) < 0 || hh > 23 || mm > 59 || ss > 60)
		return IRK_EINVAL;
	p = 19;
	if (s[p] == '.') {
		for (p++, nfrac = 0; p < len && s[p] >= '0' && s[p] <= '9';
		     p++)
			nfrac++;
		if (nfrac < 1 || nfrac > 9 || p >= len)
			return IRK_EINVAL;
	}
	if (s[p] == 'Z' || s[p] == 'z') {
		if (p + 1 != len)
			return IRK_EINVAL;
		t.tz_min = 0;
	} else if (s[p] == '+' || s[p] == '-') {
		if (p + 6 != len || s[p + 3] != ':')
			return IRK_EINVAL;
		if ((oh = digits(s + p + 1, 2)) < 0 ||
		    (om = digits(s + p + 4, 2)) < 0 || oh > 23 || om > 59)
			return IRK_EINVAL;
		sign = s[p] == '-' ? -1 : 1;
		t.tz_min = (int16_t)(sign * (oh * 60 + om));
	} else
		return IRK_EINVAL;
	t.sec = hh * 3600 + mm * 60 + ss;
	t.has_time = true;
	*out = t;
	return 0;
}

/*
 * The time as written minus its offset.  A null time (day DAY_NONE) gives
 * INT64_MIN, so it sorts before every real instant.
 */
int64_t
date_time_instant(const struct irk_time *t)
{
	if (t->day == DAY_NONE)
		return INT64_MIN;
	return (int64_t)t->day * SECS_PER_DAY + t->sec -
	       (int64_t)t->tz_min * 60;
}

/*
 * Written by hand rather than with snprintf(3): no format-truncation
 * warnings and no locale.  A day outside years 1-9999 (DAY_NONE, DAY_NEVER)
 * is written as "0000-00-00", which date_parse() refuses, so that a sentinel
 * cannot come back as a date.
 */
void
date_format(int32_t day, char buf[DATE_STRLEN])
{
	int64_t y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	if (y < 1 || y > 9999) {
		memcpy(buf, "0000-00-00", DATE_STRLEN);
		return;
	}
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

/* 1970-01-01 was a Thursday (3). */
int
date_weekday(int32_t day)
{
	return (int)(((int64_t)day % 7 + 7 + 3) % 7);
}

/* DAY_NONE and DAY_NEVER are not dates and come back unchanged. */
int32_t
date_add_months(int32_t day, int n)
{
	int64_t y, mi;
	int m, d, dim;

	if (day == DAY_NONE || day == DAY_NEVER)
		return day;
	civil_from_days(day, &y, &m, &d);
	mi = y * 12 + (m - 1) + n;
	y = floor_div(mi, 12);
	m = (int)(mi - y * 12) + 1;
	if (d > (dim = days_in_month(y, m)))
		d = dim;
	return (int32_t)days_from_civil(y, m, d);
}

int32_t
date_month_index(int32_t day)
{
	int d;

	return date_month_day(day, &d);
}

int32_t
date_month_day(int32_t day, int *mday)
{
	int64_t y;
	int m;

	civil_from_days(day, &y, &m, mday);
	return (int32_t)(y * 12 + (m - 1));
}

int32_t
date_month_first(int32_t month_index)
{
	int64_t y = floor_div(month_index, 12);

	return (int32_t)days_from_civil(y, (int)(month_index - y * 12) + 1, 1);
}

int32_t
date_month_last(int32_t day)
{
	int64_t y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	return (int32_t)days_from_civil(y, m, days_in_month(y, m));
}

int
date_year(int32_t day)
{
	int64_t y;
	int m, d;

	civil_from_days(day, &y, &m, &d);
	return (int)y;
}

/*
 * A year is added when (month, day) of `on` reaches that of the birth date.
 * For a birth date of 29 February this makes the birthday 1 March in a
 * common year, as in England and Wales law: (2, 29) is not reached until
 * the month is March when February has 28 days.
 */
int
date_age_years(int32_t dob, int32_t on)
{
	int64_t yb, yo, age;
	int mb, db, mo, dd;

	if (on < dob)
		return -1;
	civil_from_days(dob, &yb, &mb, &db);
	civil_from_days(on, &yo, &mo, &dd);
	age = yo - yb;
	if (mo < mb || (mo == mb && dd < db))
		age--;
	return (int)age;
}
