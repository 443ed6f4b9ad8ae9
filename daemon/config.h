/*
 * irokpid's configuration: an INI file (parsed by inih) read against one
 * table of options, each with its default, bounds and whether SIGHUP may
 * change it.  Command-line flags override the file.  Defaults, checks and
 * the irokpid.conf(5) table all come from that one table.
 *
 * Besides the table, a section named after a KPI id sets that KPI's target:
 *
 *     [cp.repeat_plans]
 *     target = 19        ; or "none" for no target and no RAG
 *     better = lower     ; higher | lower
 *     amber = 3          ; amber band on the bad side, in the KPI's units
 */
#ifndef IRK_CONFIG_H
#define IRK_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "domain/kpi.h"
#include "domain/timescale.h"

#define CONFIG_PATH_MAX 4096
#define CONFIG_KPI_MAX  64

struct config {
	char data_dir[CONFIG_PATH_MAX];
	long long map_size_mb;
	char ingest_endpoint[CONFIG_PATH_MAX]; /* "" = ipc://DIR/ingest.sock */
	char query_endpoint[CONFIG_PATH_MAX];
	char breaches_endpoint[CONFIG_PATH_MAX];
	char holidays_file[CONFIG_PATH_MAX]; /* "" = built-in only */
	char month_mode[16];                 /* "calendar" | "days" */
	bool allow_insecure_tcp;             /* tcp endpoints without CURVE */

	/* [ingest]: batch limits and the slow-commit warning */
	long long max_batch_events, max_event_bytes, slow_commit_ms;

	/* [metrics]: HOST:PORT or PORT of GET /metrics; "" = off */
	char metrics_listen[256];

	/* [breaches]: the due-soon horizon, in working days */
	long long due_soon_wd;

	/* [keys]: CURVE for tcp endpoints (irokpi keygen writes them) */
	char server_key[CONFIG_PATH_MAX];    /* secret key file */
	char producers_dir[CONFIG_PATH_MAX]; /* *.pub that may publish */
	char readers_dir[CONFIG_PATH_MAX];   /* *.pub that may query */

	/* [standards]: local timescales (KPIS.md "Local standards") */
	long long sw_report_days, parents_report_icpc_wd,
	    parents_report_rcpc_wd, review_decisions_wd, review_record_wd,
	    conference_record_wd, qa_response_wd, plan_shared_wd;

	/* [council] and [caseload] */
	long long child_population;
	double caseload_ceiling, weight_lac, weight_cp;

	/* Per-KPI targets, by kpi_index(); the catalogue's defaults unless a
	 * section says otherwise. */
	struct kpi_target targets[CONFIG_KPI_MAX];
};

/* Fill cfg with every option's default. */
void config_defaults(struct config *cfg);

/*
 * Read path into cfg (defaults first).  On failure returns IRK_EINVAL or
 * IRK_EIO and writes "file:line: [section] key: reason" into err.
 */
int config_load(
    const char *path, struct config *cfg, char *err, size_t errlen);

/* The rules and KPI settings the configuration gives.  settings->targets
 * points into cfg, which must outlive it. */
void config_timescale(const struct config *cfg, struct timescale *ts);
void config_kpi_settings(const struct config *cfg, struct kpi_settings *s);

/*
 * SIGHUP: copy into cur every reloadable option (and the KPI targets) that
 * next changes.  changed gets the names of those copied, restart the names of
 * the options that differ but need a restart (both ", "-separated, "" when
 * none).  Returns the number of options copied.
 */
size_t config_reload(struct config *cur, const struct config *next,
    char *changed, size_t changedlen, char *restart, size_t restartlen);

/* Print the option table (name, default, meaning) for --help and docs. */
void config_print_options(void);

/* The option table as an example irokpid.conf: every option commented out
 * with its default (systemd/irokpid.conf is made by this). */
void config_print_example(void);

#endif
