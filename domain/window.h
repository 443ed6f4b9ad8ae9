/*
 * KPI windows (KPIS.md, "Period"): "2019-04", "2019Q1" (April-June 2019),
 * "fy2019" (1 April 2019 - 31 March 2020), "fytd", "rolling12" and
 * "FROM..TO".  Pure: "today" is an argument.
 */
#ifndef IRK_WINDOW_H
#define IRK_WINDOW_H

#include <stddef.h>
#include <stdint.h>

struct window {
	int32_t from, to; /* both days included */
};

/*
 * Parse a window relative to today.  Returns 0, or IRK_EINVAL when the text
 * is none of the forms or names days that do not exist, or FROM is after TO.
 */
int window_parse(const char *s, int32_t today, struct window *out);

/* The financial year (April to March) that contains day: 2019 for
 * 2020-03-31. */
int window_fy_of(int32_t day);

/*
 * The previous comparable period.  A window that starts on the 1st of a
 * month (a month, a quarter, a financial year, fytd) compares with the same
 * dates a year earlier; any other (rolling12, FROM..TO) with the period of
 * the same length just before it.
 */
struct window window_previous(const struct window *w);

#endif
