/*
 * bank_holidays: print the working-day calendar's bank holidays, one
 * YYYY-MM-DD a line, for bench/pg_kpi.py to load into PostgreSQL.  The SQL
 * side of the KPI equality check then uses the daemon's own list rather
 * than a copy typed by hand, which could drift from domain/calendar.c.
 *
 * usage: bank_holidays [FIRST_YEAR LAST_YEAR]   (default 2015 2030, the
 * built-in range)
 */
#include <stdio.h>
#include <stdlib.h>

#include "domain/calendar.h"
#include "domain/date.h"

int
main(int argc, char **argv)
{
	struct calendar *cal = NULL;
	char buf[DATE_STRLEN];
	int first = 2015, last = 2030;
	int32_t day, end;

	if (argc == 3) {
		first = atoi(argv[1]);
		last = atoi(argv[2]);
	} else if (argc != 1) {
		fprintf(
		    stderr, "usage: bank_holidays [FIRST_YEAR LAST_YEAR]\n");
		return 2;
	}
	if (!date_valid_ymd(first, 1, 1) || !date_valid_ymd(last, 12, 31) ||
	    calendar_new(&cal) != 0) {
		fprintf(stderr, "bank_holidays: bad years or no memory\n");
		return 1;
	}
	end = date_from_ymd(last, 12, 31);
	for (day = date_from_ymd(first, 1, 1); day <= end; day++) {
		if (!calendar_is_holiday(cal, day))
			continue;
		date_format(day, buf);
		puts(buf);
	}
	calendar_free(&cal);
	return fflush(stdout) == 0 ? 0 : 1;
}
