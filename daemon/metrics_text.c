/*
 * The /metrics page: Prometheus's text exposition format 0.0.4.  Every
 * family has # HELP and # TYPE, counters end in _total and units are in the
 * names (seconds, bytes).  Nothing here names a child: the daemon's counters,
 * the store's sizes and the KPIs' financial-year-to-date figures, computed
 * as the kpi query computes them (daemon_kpi_query(), kpi_compute()) on a
 * read-only view, so a scrape never waits for ingest.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "daemon/daemon.h"
#include "daemon/metrics.h"
#include "domain/err.h"
#include "domain/kpi.h"
#include "domain/window.h"

#define KPI_WINDOW "fytd"

/* What one KPI adds to the page. */
struct kpi_line {
	const char *id;
	int64_t num, den;
	bool has_value;
	double value;
	enum kpi_rag rag;
};

static void
family(FILE *fp, const char *name, const char *type, const char *help)
{
	fprintf(fp, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
counter(FILE *fp, const char *name, const char *help,
    const atomic_uint_fast64_t *v)
{
	family(fp, name, "counter", help);
	fprintf(fp, "%s %llu\n", name, (unsigned long long)atomic_load(v));
}

static void
gauge_u64(FILE *fp, const char *name, const char *help, uint64_t v)
{
	family(fp, name, "gauge", help);
	fprintf(fp, "%s %llu\n", name, (unsigned long long)v);
}

/* The count is loaded first and caps the buckets (hist.h). */
static void
histogram(FILE *fp, const char *name, const char *help, struct hist *h)
{
	const double *bounds = hist_bounds();
	uint64_t count = atomic_load(&h->count), le;
	size_t i;

	family(fp, name, "histogram", help);
	for (i = 0; i < HIST_NBOUNDS; i++) {
		le = atomic_load(&h->le[i]);
		fprintf(fp, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i],
		    (unsigned long long)(le < count ? le : count));
	}
	fprintf(fp, "%s_bucket{le=\"+Inf\"} %llu\n", name,
	    (unsigned long long)count);
	fprintf(
	    fp, "%s_sum %.9f\n", name, (double)atomic_load(&h->sum_ns) / 1e9);
	fprintf(fp, "%s_count %llu\n", name, (unsigned long long)count);
}

static void
health(struct daemon *d, FILE *fp)
{
	char path[CONFIG_PATH_MAX + 16];
	struct store_stats st;
	struct stat sb;
	int64_t subs = atomic_load(&d->subscribers);

	family(fp, "irokpi_build_info", "gauge",
	    "irokpid's version as a label; always 1.");
	fprintf(fp, "irokpi_build_info{version=\"%s\"} 1\n", IRK_VERSION);
	gauge_u64(fp, "irokpi_start_time_seconds",
	    "When irokpid started, in seconds since the Unix epoch.",
	    (uint64_t)d->started);
	counter(fp, "irokpi_events_stored_total",
	    "Events stored since start-up.", &d->stored);
	counter(fp, "irokpi_events_rejected_total",
	    "Events rejected as invalid since start-up.", &d->rejected);
	counter(fp, "irokpi_events_duplicate_total",
	    "Events already stored (same id), acknowledged and skipped, "
	    "since start-up.",
	    &d->duplicates);
	counter(fp, "irokpi_batches_total",
	    "Ingest batches committed since start-up.", &d->batches);
	histogram(fp, "irokpi_commit_duration_seconds",
	    "Time to store one ingest batch durably (one LMDB commit).",
	    &d->commit_hist);
	counter(fp, "irokpi_breaches_published_total",
	    "Breaches (every kind) sent on the breaches "
	    "socket since start-up.",
	    &d->breaches_published);
	gauge_u64(fp, "irokpi_subscribers",
	    "Connections to the breaches socket.",
	    subs > 0 ? (uint64_t)subs : 0);
	if (store_stats(d->store, &st) == 0) {
		gauge_u64(fp, "irokpi_log_events", "Events in the event log.",
		    st.events);
		gauge_u64(fp, "irokpi_lmdb_map_size_bytes",
		    "Bytes reserved for the LMDB map (it doubles when full).",
		    st.map_size);
		gauge_u64(fp, "irokpi_lmdb_used_bytes",
		    "Bytes of the LMDB map in use (pages to the last one).",
		    st.map_used);
	}
	snprintf(path, sizeof(path), "%s/data.mdb", d->cfg.data_dir);
	if (stat(path, &sb) == 0)
		gauge_u64(fp, "irokpi_lmdb_file_bytes",
		    "Size of the LMDB data file.", (uint64_t)sb.st_size);
}

/* Each KPI's fytd, as the kpi query gives it. */
static int
kpi_compute_all(struct daemon *d, struct kpi_line *lines, size_t n)
{
	struct kpi_result res = { 0 };
	struct store_view *view = NULL;
	struct kpi_query q;
	struct window w;
	size_t i;
	int rc;

	pthread_rwlock_rdlock(&d->settings_lock);
	if ((rc = daemon_kpi_query(d, KPI_WINDOW, daemon_today(d), &q, &w)) !=
		0 ||
	    (rc = store_view_begin(d->store, &view)) != 0)
		goto done;
	for (i = 0; i < n; i++) {
		if ((rc = kpi_compute(
			 kpi_at(i), store_view_reader(view), &q, &res)) != 0)
			break;
		lines[i].id = kpi_id(kpi_at(i));
		lines[i].num = res.num;
		lines[i].den = res.den;
		lines[i].has_value = res.has_value;
		lines[i].value = res.value;
		lines[i].rag = res.rag;
	}
	kpi_result_free(&res);
	store_view_end(&view);
done:
	pthread_rwlock_unlock(&d->settings_lock);
	return rc;
}

enum kpi_field { KF_VALUE, KF_NUM, KF_DEN, KF_RAG };

/* In enum kpi_field's order. */
static const struct {
	const char *name, *help;
} kpi_families[] = {
	{ "irokpi_kpi_value",
	    "A KPI's value in its unit (per cent, count or average); absent "
	    "when its denominator is 0." },
	{ "irokpi_kpi_numerator", "A KPI's numerator." },
	{ "irokpi_kpi_denominator", "A KPI's denominator." },
	{ "irokpi_kpi_rag",
	    "A KPI's RAG against its target: 1 green, 2 amber, 3 red; absent "
	    "without a target or a value." },
};

/* One field of a KPI's line; false when it has none. */
static bool
kpi_field(const struct kpi_line *l, enum kpi_field f, double *v)
{
	switch (f) {
	case KF_VALUE:
		*v = l->value;
		return l->has_value;
	case KF_NUM:
		*v = (double)l->num;
		return true;
	case KF_DEN:
		*v = (double)l->den;
		return true;
	case KF_RAG:
		*v = (double)l->rag;
		return l->rag != KPI_RAG_NONE;
	}
	return false;
}

static int
kpis(struct daemon *d, FILE *fp)
{
	struct kpi_line lines[CONFIG_KPI_MAX];
	size_t f, i, n = kpi_count();
	double v;
	int rc;

	if (n > CONFIG_KPI_MAX)
		return IRK_EFULL;
	if (rebuild_partial(&d->rebuild))
		n = 0; /* part derived: no KPI rather than a wrong one */
	if ((rc = kpi_compute_all(d, lines, n)) != 0)
		return rc;
	for (f = 0; f < NITEMS(kpi_families); f++) {
		family(
		    fp, kpi_families[f].name, "gauge", kpi_families[f].help);
		for (i = 0; i < n; i++)
			if (kpi_field(&lines[i], (enum kpi_field)f, &v))
				fprintf(fp,
				    "%s{kpi=\"%s\",window=\"%s\"} %.15g\n",
				    kpi_families[f].name, lines[i].id,
				    KPI_WINDOW, v);
	}
	return 0;
}

int
metrics_render(struct daemon *d, char **out, size_t *len)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *fp;
	int rc;

	if ((fp = open_memstream(&buf, &n)) == NULL)
		return IRK_ENOMEM;
	health(d, fp);
	rc = kpis(d, fp);
	if (fclose(fp) != 0 && rc == 0)
		rc = IRK_ENOMEM;
	if (rc != 0) {
		free(buf);
		return rc;
	}
	*out = buf;
	*len = n;
	return 0;
}
