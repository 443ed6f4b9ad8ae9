/*
 * Civil dates as day numbers.  A date is an int32_t count of days since
 * 1970-01-01 in the proleptic Gregorian calendar, so comparing, sorting and
 * adding days are plain integer operations and a date fits in an LMDB key.
 * Month arithmetic follows the regulations' calendar month: the same day of
 * month n months on, clamped to the last day of a shorter month.
 *
 * Pure functions: no allocation, no I/O, no clock.
 */
#ifndef IRK_DATE_H
#define IRK_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DAY_NONE    INT32_MIN /* absent or null */
#define DAY_NEVER   INT32_MAX /* has not happened (yet) */
#define DATE_STRLEN 11        /* "YYYY-MM-DD" and its NUL */

/*
 * A business time as written by a producer: the date part as written (no
 * time-zone conversion, KPIS.md "Business date"), and when a time was given,
 * the time of day and its UTC offset so that two date-times can be compared.
 */
struct irk_time {
	int32_t day;    /* business date; DAY_NONE when null */
	int32_t sec;    /* seconds since midnight, as written; 0 if no time */
	int16_t tz_min; /* UTC offset in minutes; 0 for Z */
	bool has_time;  /* a date-time, not a date only */
};

/* True when y-m-d is a real date (year 1..9999). */
bool date_valid_ymd(int y, int m, int d);

/* The day number of y-m-d; the date must be valid. */
int32_t date_from_ymd(int y, int m, int d);

/* Split a day number into year, month (1-12) and day of month (1-31). */
void date_to_ymd(int32_t day, int *y, int *m, int *d);

/*
 * Parse exactly "YYYY-MM-DD" (len bytes, no NUL needed) into *out.
 * Returns 0, or IRK_EINVAL for bad syntax or a date that does not exist;
 * *out is untouched on failure.
 */
int date_parse(const char *s, size_t len, int32_t *out);

/* Parse "YYYY-MM" into the first day of that month, as date_parse(). */
int date_parse_month(const char *s, size_t len, int32_t *out);

/*
 * Parse a date ("YYYY-MM-DD") or an RFC 3339 date-time
 * ("YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)", 't' or ' ' allowed for 'T',
 * 'z' for 'Z').  Returns 0 or IRK_EINVAL; *out is untouched on failure.
 */
int date_parse_time(const char *s, size_t len, struct irk_time *out);

/* Seconds since the epoch in UTC of a date-time (midnight UTC if no time). */
int64_t date_time_instant(const struct irk_time *t);

/* Write "YYYY-MM-DD" and a NUL into buf (DATE_STRLEN bytes at least). */
void date_format(int32_t day, char buf[DATE_STRLEN]);

/* 0 = Monday ... 6 = Sunday. */
int date_weekday(int32_t day);

/*
 * The same day of month n months later (n may be negative), clamped to the
 * last day of the target month: 31 May + 3 = 31 August, 30 November + 3 =
 * 28 or 29 February.
 */
int32_t date_add_months(int32_t day, int n);

/* Months since year 0: year * 12 + (month - 1).  Its inverse gives the 1st. */
int32_t date_month_index(int32_t day);

/* date_month_index(day), with day's day of the month in *mday (1..31). */
int32_t date_month_day(int32_t day, int *mday);
int32_t date_month_first(int32_t month_index);

/* Last day of the month that contains day. */
int32_t date_month_last(int32_t day);

/* Calendar year of day. */
int date_year(int32_t day);

/* Whole years of age on day `on` for a date of birth; -1 if on < dob. */
int date_age_years(int32_t dob, int32_t on);

#endif
