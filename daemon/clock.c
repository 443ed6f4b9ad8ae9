/*
 * The one source of "today".  Rules and queries never read the system clock
 * themselves, so tests and replays can set the day: with --clock FILE the
 * day is the YYYY-MM-DD the file holds, read again whenever its mtime
 * changes (the main loop checks it every turn); the query thread reads the
 * day the main thread last set.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "domain/date.h"

int32_t
daemon_today(const struct daemon *d)
{
	struct tm tm;
	time_t now;
	int32_t fixed;

	if (d->clock_file != NULL &&
	    (fixed = (int32_t)atomic_load(&d->clock_day)) != 0)
		return fixed;
	now = time(NULL);
	localtime_r(&now, &tm);
	return date_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void
daemon_clock_poll(struct daemon *d)
{
	char buf[64];
	struct stat st;
	size_t len;
	int32_t day;
	FILE *fp;

	if (d->clock_file == NULL)
		return;
	if (stat(d->clock_file, &st) != 0) {
		if (!d->clock_warned)
			log_warnx(
			    "clock %s: %s", d->clock_file, strerror(errno));
		d->clock_warned = true;
		return;
	}
	if (d->clock_seen && st.st_mtim.tv_sec == d->clock_mtime.tv_sec &&
	    st.st_mtim.tv_nsec == d->clock_mtime.tv_nsec &&
	    st.st_size == d->clock_size)
		return;
	if ((fp = fopen(d->clock_file, "r")) == NULL)
		return;
	len = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	buf[len] = '\0';
	while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' ||
			      buf[len - 1] == ' '))
		buf[--len] = '\0';
	d->clock_seen = true;
	d->clock_mtime = st.st_mtim;
	d->clock_size = st.st_size;
	if (date_parse(buf, len, &day) != 0) {
		log_warnx("clock %s: not a YYYY-MM-DD date", d->clock_file);
		return;
	}
	d->clock_warned = false;
	if ((int32_t)atomic_load(&d->clock_day) != day)
		log_info("clock: today is %s", buf);
	atomic_store(&d->clock_day, day);
}
