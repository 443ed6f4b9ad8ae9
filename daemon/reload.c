/*
 * SIGHUP: reload what may change without a restart.
 *
 * The new file is read into a struct config of its own first; if it does
 * not load, nothing changes and the error is logged.  Otherwise, under the
 * settings lock held exclusively, the reloadable options and the KPI targets
 * are copied into d->cfg (config_reload), d->kpi is made again from it, and
 * the holiday list is applied to the calendar in place.  The kpi and caseload
 * queries hold the same lock shared (q_kpi_locked, q_caseload_locked), so a
 * query sees either the old settings or the new, never half of each.  The
 * key folders are read again by the ZAP handler, which swaps them under its
 * own mutex.  Options that need a restart (endpoints, store, standards) are
 * named in the log and left as they are.
 *
 * Ingest runs in the main thread, as this does, so the calendar never
 * changes under a batch; a rebuild runs in a thread of its own and reads the
 * calendar, so the holidays wait for the next SIGHUP while one runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "daemon/notify.h"
#include "daemon/query_impl.h"
#include "daemon/zap.h"
#include "domain/date.h"
#include "domain/err.h"

#define HOLIDAY_SCAN_FROM 1990
#define HOLIDAY_SCAN_TO   2100

int
daemon_load_calendar(
    const char *file, struct calendar **out, char *err, size_t errlen)
{
	struct calendar *cal = NULL;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = NULL;
	int bad = 0, rc;

	if ((rc = calendar_new(&cal)) != 0) {
		snprintf(err, errlen, "calendar: out of memory");
		return rc;
	}
	if (file[0] == '\0')
		goto done;
	rc = IRK_EIO;
	if ((fp = fopen(file, "r")) == NULL) {
		snprintf(err, errlen, "holidays file %s: cannot open", file);
		goto fail;
	}
	if (getdelim(&text, &len, '\0', fp) < 0 && ferror(fp)) {
		snprintf(err, errlen, "holidays file %s: cannot read", file);
		goto fail;
	}
	if (text != NULL &&
	    calendar_apply_overrides(cal, text, strlen(text), &bad) != 0) {
		snprintf(err, errlen,
		    "%s:%d: not a date YYYY-MM-DD or "
		    "-YYYY-MM-DD",
		    file, bad);
		rc = IRK_EINVAL;
		goto fail;
	}
done:
	if (fp != NULL)
		fclose(fp);
	free(text);
	*out = cal;
	return 0;
fail:
	if (fp != NULL)
		fclose(fp);
	free(text);
	calendar_free(&cal);
	return rc;
}

/* Make cur's holidays those of next; returns the days changed. */
static size_t
calendar_sync(struct calendar *cur, const struct calendar *next)
{
	int32_t day, last = date_from_ymd(HOLIDAY_SCAN_TO, 12, 31);
	size_t n = 0;

	for (day = date_from_ymd(HOLIDAY_SCAN_FROM, 1, 1); day <= last;
	     day++) {
		bool h = calendar_is_holiday(next, day);

		if (calendar_is_holiday(cur, day) != h &&
		    calendar_set_holiday(cur, day, h) == 0)
			n++;
	}
	return n;
}

void
daemon_reload(struct daemon *d)
{
	struct config *next = NULL;
	struct calendar *cal = NULL;
	struct rebuild_status rs;
	char err[CONFIG_PATH_MAX + 256], changed[1024], restart[1024];
	char holidays[160] = "", keys[160] = "";
	size_t nopt, np = 0, nr = 0, ndays;

	notify_reloading();
	if (d->config_path == NULL) {
		log_info("reload: no configuration file (-c); nothing to do");
		goto out;
	}
	if ((next = malloc(sizeof(*next))) == NULL) {
		log_warnx("reload: out of memory; nothing changed");
		goto out;
	}
	if (config_load(d->config_path, next, err, sizeof(err)) != 0) {
		log_warnx("reload: %s; nothing changed", err);
		goto out;
	}
	if (d->data_dir_flag != NULL)
		snprintf(next->data_dir, sizeof(next->data_dir), "%s",
		    d->data_dir_flag);
	if (daemon_load_calendar(
		next->holidays_file, &cal, err, sizeof(err)) != 0) {
		log_warnx("reload: %s; nothing changed", err);
		goto out;
	}
	rebuild_get_status(&d->rebuild, &rs);

	pthread_rwlock_wrlock(&d->settings_lock);
	nopt = config_reload(
	    &d->cfg, next, changed, sizeof(changed), restart, sizeof(restart));
	config_kpi_settings(&d->cfg, &d->kpi);
	if (rs.state == REBUILD_RUNNING)
		snprintf(holidays, sizeof(holidays),
		    "holidays not reloaded while a rebuild runs");
	else if ((ndays = calendar_sync(d->cal, cal)) > 0)
		snprintf(holidays, sizeof(holidays),
		    "holidays: %zu days changed (past deadlines keep the old "
		    "days until `irokpi admin rebuild`)",
		    ndays);
	else
		snprintf(holidays, sizeof(holidays), "holidays unchanged");
	pthread_rwlock_unlock(&d->settings_lock);
	/* New targets may change a KPI's RAG: sweep again at the next turn,
	 * which checks them (the deadlines it finds are marked already). */
	d->swept_day = 0;

	if (d->zap != NULL) {
		if (zap_reload(d->zap, &d->cfg, &np, &nr) == 0)
			snprintf(keys, sizeof(keys),
			    "; keys: %zu producers, %zu readers", np, nr);
		else
			snprintf(keys, sizeof(keys),
			    "; keys: not reloaded (see above)");
	}
	log_info("reload: %s: %zu option%s changed%s%s; %s%s", d->config_path,
	    nopt, nopt == 1 ? "" : "s", nopt > 0 ? ": " : "", changed,
	    holidays, keys);
	if (restart[0] != '\0')
		log_warnx("reload: a restart is needed to apply %s", restart);
out:
	calendar_free(&cal);
	free(next);
	notify_ready("reloaded");
}

int
q_kpi_locked(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	int rc;

	pthread_rwlock_rdlock(&d->settings_lock);
	rc = q_kpi(d, req, pk, why, whylen);
	pthread_rwlock_unlock(&d->settings_lock);
	return rc;
}

int
q_caseload_locked(struct daemon *d, const msgpack_object *req,
    msgpack_packer *pk, char *why, size_t whylen)
{
	int rc;

	pthread_rwlock_rdlock(&d->settings_lock);
	rc = q_caseload(d, req, pk, why, whylen);
	pthread_rwlock_unlock(&d->settings_lock);
	return rc;
}
