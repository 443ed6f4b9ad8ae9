/*
 * The England and Wales working-day calendar.
 *
 * Holidays are kept twice, as sorted arrays of day numbers: every holiday
 * (for calendar_is_holiday) and the holidays that fall on a weekday (the
 * only ones that cost a working day).  Both are searched by bisection, so
 * an override list may hold any day, not only those of the built-in range.
 *
 * calendar_add_working_days() is on the hot path: the derivation asks it for
 * every review and conference of every child.  It does not step day by day.
 * It first moves n weekdays in O(1), then counts the weekday holidays it
 * passed over with two bisections and moves on by that many weekdays again,
 * until a move passes no holiday.  The answer costs O(log h) per round, and
 * there are as many rounds as there are runs of holidays in the way (one or
 * two in practice), whatever n is.
 *
 * The built-in days are computed by rule for 2015-2030 and then corrected
 * by a short table of the moved and extra days proclaimed in that range.
 */
#include <stdlib.h>
#include <string.h>

#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/err.h"

#define BUILTIN_FIRST_YEAR 2015
#define BUILTIN_LAST_YEAR  2030

/* A sorted, duplicate-free array of day numbers. */
struct dayset {
	int32_t *v;
	size_t n, cap;
};

struct calendar {
	struct dayset all;     /* every holiday */
	struct dayset weekday; /* the holidays that fall Monday to Friday */
};

/*
 * Changes to the rule-made days, by proclamation.  Ordered by date; the
 * order is for the reader only.
 */
static const struct {
	int y, m, d;
	bool holiday;
} bh_exceptions[] = {
	{ 2020, 5, 4, false },  /* early May moved to VE Day ... */
	{ 2020, 5, 8, true },   /* ... the 75th anniversary, Friday 8 May */
	{ 2022, 5, 30, false }, /* spring moved for the Platinum Jubilee ... */
	{ 2022, 6, 2, true },   /* ... to Thursday 2 June */
	{ 2022, 6, 3, true },   /* Platinum Jubilee, extra */
	{ 2022, 9, 19, true },  /* State Funeral of Queen Elizabeth II */
	{ 2023, 5, 8, true },   /* Coronation of King Charles III */
};

static bool
is_weekend(int32_t day)
{
	return date_weekday(day) >= 5;
}

/* Index of the first element > day (upper bound). */
static size_t
dayset_upper(const struct dayset *s, int32_t day)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->v[mid] <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Index of the first element >= day (lower bound). */
static size_t
dayset_lower(const struct dayset *s, int32_t day)
{
	size_t lo = 0, hi = s->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (s->v[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool
dayset_has(const struct dayset *s, int32_t day)
{
	size_t i = dayset_lower(s, day);

	return i < s->n && s->v[i] == day;
}

static int
dayset_reserve(struct dayset *s, size_t want)
{
	int32_t *v;
	size_t cap;

	if (want <= s->cap)
		return 0;
	cap = s->cap ? s->cap : 32;
	while (cap < want)
		cap *= 2;
	if ((v = realloc(s->v, cap * sizeof(*v))) == NULL)
		return IRK_ENOMEM;
	s->v = v;
	s->cap = cap;
	return 0;
}

/* Insert day; room for one more must have been reserved. */
static void
dayset_insert(struct dayset *s, int32_t day)
{
	size_t i = dayset_lower(s, day);

	if (i < s->n && s->v[i] == day)
		return;
	memmove(s->v + i + 1, s->v + i, (s->n - i) * sizeof(*s->v));
	s->v[i] = day;
	s->n++;
}

static void
dayset_remove(struct dayset *s, int32_t day)
{
	size_t i = dayset_lower(s, day);

	if (i >= s->n || s->v[i] != day)
		return;
	memmove(s->v + i, s->v + i + 1, (s->n - i - 1) * sizeof(*s->v));
	s->n--;
}

/* Weekday holidays in the closed range [from, to]. */
static size_t
count_weekday_holidays(const struct calendar *c, int32_t from, int32_t to)
{
	if (to < from)
		return 0;
	return dayset_upper(&c->weekday, to) - dayset_lower(&c->weekday, from);
}

/*
 * The nth weekday after day (n > 0), ignoring holidays.  From a Saturday or
 * Sunday the count starts as from the Friday before, whose next weekday is
 * the same Monday.
 */
static int64_t
weekdays_after(int64_t day, int64_t n)
{
	int w = date_weekday((int32_t)day);
	int64_t r;

	if (w >= 5) {
		day -= w - 4;
		w = 4;
	}
	r = n % 5;
	day += n / 5 * 7 + r;
	if (w + r > 4)
		day += 2;
	return day;
}

/* The nth weekday before day (n > 0); the mirror of weekdays_after(). */
static int64_t
weekdays_before(int64_t day, int64_t n)
{
	int w = date_weekday((int32_t)day);
	int64_t r;

	if (w >= 5) {
		day += 7 - w;
		w = 0;
	}
	r = n % 5;
	day -= n / 5 * 7 + r;
	if (w - r < 0)
		day -= 2;
	return day;
}

/* Easter Sunday of year y: the anonymous Gregorian computus (Meeus). */
static int32_t
easter_sunday(int y)
{
	int a, b, c, d, e, f, g, h, i, k, l, m;

	a = y % 19;
	b = y / 100;
	c = y % 100;
	d = b / 4;
	e = b % 4;
	f = (b + 8) / 25;
	g = (b - f + 1) / 3;
	h = (19 * a + b - d - g + 15) % 30;
	i = c / 4;
	k = c % 4;
	l = (32 + 2 * e + 2 * i - h - k) % 7;
	m = (a + 11 * h + 22 * l) / 451;
	return date_from_ymd(
	    y, (h + l - 7 * m + 114) / 31, (h + l - 7 * m + 114) % 31 + 1);
}

static int32_t
first_monday(int y, int m)
{
	int32_t d = date_from_ymd(y, m, 1);

	return d + (7 - date_weekday(d)) % 7;
}

static int32_t
last_monday(int y, int m)
{
	int32_t d = date_month_last(date_from_ymd(y, m, 1));

	return d - date_weekday(d);
}

/* The next weekday on or after day not already in out[0..n). */
static int32_t
substitute(int32_t day, const int32_t *out, size_t n)
{
	size_t i;
	bool taken;

	for (;;) {
		taken = is_weekend(day);
		for (i = 0; i < n && !taken; i++)
			taken = out[i] == day;
		if (!taken)
			return day;
		day++;
	}
}

/*
 * The rule-made bank holidays of year y into out (room for 8).  A fixed
 * holiday that falls at a weekend moves to the next weekday not already a
 * holiday: Christmas on a Saturday gives Monday 27 and (Boxing Day) Tuesday
 * 28 December; Christmas on a Sunday gives Boxing Day on Monday 26 and
 * Christmas on Tuesday 27 December.
 */
static size_t
rule_holidays(int y, int32_t *out)
{
	int32_t easter = easter_sunday(y);
	size_t n = 0;

	out[n] = substitute(date_from_ymd(y, 1, 1), out, n);
	n++;
	out[n++] = easter - 2; /* Good Friday */
	out[n++] = easter + 1; /* Easter Monday */
	out[n++] = first_monday(y, 5);
	out[n++] = last_monday(y, 5);
	out[n++] = last_monday(y, 8);
	out[n] = substitute(date_from_ymd(y, 12, 25), out, n);
	n++;
	out[n] = substitute(date_from_ymd(y, 12, 26), out, n);
	n++;
	return n;
}

static int
builtin_load(struct calendar *c)
{
	int32_t days[8];
	size_t i, n;
	int y, rc;

	for (y = BUILTIN_FIRST_YEAR; y <= BUILTIN_LAST_YEAR; y++) {
		n = rule_holidays(y, days);
		for (i = 0; i < n; i++)
			if ((rc = calendar_set_holiday(c, days[i], true)) != 0)
				return rc;
	}
	for (i = 0; i < NITEMS(bh_exceptions); i++) {
		rc = calendar_set_holiday(c,
		    date_from_ymd(bh_exceptions[i].y, bh_exceptions[i].m,
			bh_exceptions[i].d),
		    bh_exceptions[i].holiday);
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
calendar_new(struct calendar **out)
{
	struct calendar *c = NULL;
	int rc;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return IRK_ENOMEM;
	if ((rc = builtin_load(c)) != 0)
		goto fail;
	*out = c;
	return 0;

fail:
	calendar_free(&c);
	return rc;
}

void
calendar_free(struct calendar **cp)
{
	if (cp == NULL || *cp == NULL)
		return;
	free((*cp)->all.v);
	free((*cp)->weekday.v);
	free(*cp);
	*cp = NULL;
}

/*
 * Days outside years 1-9999 (DAY_NONE, DAY_NEVER) are refused with
 * IRK_EINVAL.  Room is reserved in both sets before either changes, so a
 * failed call leaves the calendar as it was.
 */
int
calendar_set_holiday(struct calendar *c, int32_t day, bool holiday)
{
	int y = date_year(day);
	int rc;

	if (y < 1 || y > 9999)
		return IRK_EINVAL;
	if (!holiday) {
		dayset_remove(&c->all, day);
		dayset_remove(&c->weekday, day);
		return 0;
	}
	if ((rc = dayset_reserve(&c->all, c->all.n + 1)) != 0 ||
	    (rc = dayset_reserve(&c->weekday, c->weekday.n + 1)) != 0)
		return rc;
	dayset_insert(&c->all, day);
	if (!is_weekend(day))
		dayset_insert(&c->weekday, day);
	return 0;
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r';
}

int
calendar_apply_overrides(
    struct calendar *c, const char *text, size_t len, int *bad_line)
{
	const char *p = text, *end = text + len, *eol, *b, *e;
	int32_t day;
	bool holiday;
	int line = 0, rc;

	while (p < end) {
		line++;
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			eol = end;
		b = p;
		e = eol;
		p = eol < end ? eol + 1 : end;
		while (b < e && is_blank(*b))
			b++;
		while (e > b && is_blank(e[-1]))
			e--;
		if (b == e || *b == '#')
			continue;
		holiday = *b != '-';
		if (!holiday)
			b++;
		if (date_parse(b, (size_t)(e - b), &day) != 0) {
			rc = IRK_EINVAL;
			goto fail;
		}
		if ((rc = calendar_set_holiday(c, day, holiday)) != 0)
			goto fail;
	}
	return 0;

fail:
	if (bad_line != NULL)
		*bad_line = line;
	return rc;
}

bool
calendar_is_holiday(const struct calendar *c, int32_t day)
{
	return dayset_has(&c->all, day);
}

bool
calendar_is_working_day(const struct calendar *c, int32_t day)
{
	return !is_weekend(day) && !dayset_has(&c->weekday, day);
}

/*
 * Each round moves k weekdays past the last position and counts the weekday
 * holidays in the stretch just crossed; those many working days are still
 * owed, so the next round moves that many more.  The stretch is never empty
 * while k > 0, and the holidays are finite, so the loop ends.  DAY_NONE and
 * DAY_NEVER come back unchanged.
 */
int32_t
calendar_add_working_days(const struct calendar *c, int32_t day, int n)
{
	int64_t pos, next;
	size_t k;

	if (n == 0 || day == DAY_NONE || day == DAY_NEVER)
		return day;
	pos = day;
	if (n > 0) {
		k = (size_t)n;
		while (k > 0) {
			next = weekdays_after(pos, (int64_t)k);
			k = count_weekday_holidays(
			    c, (int32_t)(pos + 1), (int32_t)next);
			pos = next;
		}
	} else {
		k = (size_t)(-(int64_t)n);
		while (k > 0) {
			next = weekdays_before(pos, (int64_t)k);
			k = count_weekday_holidays(
			    c, (int32_t)next, (int32_t)(pos - 1));
			pos = next;
		}
	}
	return (int32_t)pos;
}
