/* Window grammar and arithmetic for KPI queries. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/window.h"

int
window_fy_of(int32_t day)
{
	int y, m, d;

	date_to_ymd(day, &y, &m, &d);
	return m >= 4 ? y : y - 1;
}

static struct window
fy_window(int fy)
{
	struct window w = { date_from_ymd(fy, 4, 1),
		date_from_ymd(fy + 1, 3, 31) };

	return w;
}

/* Exactly n digits at s, as an int. */
static bool
digits(const char *s, size_t n, int *out)
{
	size_t i;
	int v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

int
window_parse(const char *s, int32_t today, struct window *out)
{
	size_t len = strlen(s);
	const char *dots;
	struct window w;
	int y, q;

	if (strcmp(s, "fytd") == 0) {
		w = fy_window(window_fy_of(today));
		w.to = today;
	} else if (strcmp(s, "rolling12") == 0) {
		w.from = date_add_months(today, -12) + 1;
		w.to = today;
	} else if (len == 6 && strncmp(s, "fy", 2) == 0 &&
		   digits(s + 2, 4, &y) && y >= 1) {
		w = fy_window(y);
	} else if (len == 6 && s[4] == 'Q' && digits(s, 4, &y) && y >= 1 &&
		   s[5] >= '1' && s[5] <= '4') {
		q = s[5] - '0';
		w.from = date_add_months(date_from_ymd(y, 4, 1), (q - 1) * 3);
		w.to = date_add_months(w.from, 3) - 1;
	} else if (len == 7 && date_parse_month(s, len, &w.from) == 0) {
		w.to = date_month_last(w.from);
	} else if ((dots = strstr(s, "..")) != NULL) {
		if (date_parse(s, (size_t)(dots - s), &w.from) != 0 ||
		    date_parse(dots + 2, strlen(dots + 2), &w.to) != 0)
			return IRK_EINVAL;
	} else
		return IRK_EINVAL;
	if (w.from > w.to)
		return IRK_EINVAL;
	*out = w;
	return 0;
}

struct window
window_previous(const struct window *w)
{
	struct window p;
	int y, m, d;

	date_to_ymd(w->from, &y, &m, &d);
	/* A window starting on the 1st (a month, quarter, financial year or
	 * fytd): the same dates a year earlier, month ends kept as month
	 * ends.  Any other: the same length immediately before. */
	if (d == 1) {
		p.from = date_add_months(w->from, -12);
		p.to = w->to == date_month_last(w->to)
			   ? date_month_last(date_add_months(w->to, -12))
			   : date_add_months(w->to, -12);
		return p;
	}
	p.to = w->from - 1;
	p.from = p.to - (w->to - w->from);
	return p;
}
