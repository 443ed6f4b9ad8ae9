/*
 * The one source of "today".  Rules and queries never read the system clock
 * themselves, so tests and replays can set the day (issue: breaches/clock).
 */
#include <time.h>

#include "daemon/daemon.h"
#include "domain/date.h"

int32_t
daemon_today(const struct daemon *d)
{
	struct tm tm;
	time_t now = time(NULL);

	(void)d;
	localtime_r(&now, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}
