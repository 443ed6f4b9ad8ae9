/*
 * The option table and the inih callback that fills struct config from it.
 * An unknown key, a bad value or a value out of bounds stops start-up with a
 * message naming the file, the line and the key.
 */
#include <errno.h>
#include <ini.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/config.h"
#include "domain/err.h"

enum opt_type { OPT_STR, OPT_INT, OPT_NUM, OPT_ENUM, OPT_BOOL };

struct opt {
	const char *section, *name;
	enum opt_type type;
	size_t off, size; /* offsetof / sizeof in struct config */
	const char *dflt;
	long long min, max;  /* OPT_INT, OPT_NUM */
	const char *choices; /* OPT_ENUM: '|'-separated */
	bool reloadable;
	const char *help;
};

#define STR(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

#define INT(f)  offsetof(struct config, f), sizeof(long long)
#define NUM(f)  offsetof(struct config, f), sizeof(double)
#define BOOL(f) offsetof(struct config, f), sizeof(bool)

/* Sorted by section, then name; config_print_options() shows this order. */
static const struct opt opts[] = {
	{ "breaches", "due_soon_wd", OPT_INT, INT(due_soon_wd), "5", 0, 60,
	    NULL, true,
	    "a deadline is due soon N working days ahead (used by breaches)" },
	{ "calendar", "holidays_file", OPT_STR, STR(holidays_file), "", 0, 0,
	    NULL, true,
	    "bank-holiday override list, one YYYY-MM-DD a line ('-' "
	    "removes)" },
	{ "calendar", "month_mode", OPT_ENUM, STR(month_mode), "calendar", 0,
	    0, "calendar|days", false,
	    "calendar months (the regulations) or 91/183 days (Mosaic)" },
	{ "caseload", "ceiling", OPT_NUM, NUM(caseload_ceiling), "105", 1,
	    10000, NULL, true,
	    "weighted cases per IRO before it is too many" },
	{ "caseload", "weight_cp", OPT_NUM, NUM(weight_cp), "1", 0, 10, NULL,
	    true, "weight of a child on a CP plan only" },
	{ "caseload", "weight_lac", OPT_NUM, NUM(weight_lac), "1.5", 0, 10,
	    NULL, true, "weight of a looked-after child" },
	{ "council", "child_population", OPT_INT, INT(child_population), "0",
	    0, 100000000, NULL, true,
	    "children living in the area, for rates per 10,000 (0: unknown)" },
	{ "endpoints", "allow_insecure_tcp", OPT_BOOL,
	    BOOL(allow_insecure_tcp), "false", 0, 0, NULL, false,
	    "bind tcp endpoints without CURVE (warned at every start)" },
	{ "endpoints", "breaches", OPT_STR, STR(breaches_endpoint), "", 0, 0,
	    NULL, false,
	    "PUB endpoint (default ipc://DATA_DIR/breaches.sock)" },
	{ "endpoints", "ingest", OPT_STR, STR(ingest_endpoint), "", 0, 0, NULL,
	    false,
	    "ingest ROUTER endpoint (default ipc://DATA_DIR/ingest.sock)" },
	{ "endpoints", "query", OPT_STR, STR(query_endpoint), "", 0, 0, NULL,
	    false,
	    "query ROUTER endpoint (default ipc://DATA_DIR/query.sock)" },
	{ "ingest", "max_batch_events", OPT_INT, INT(max_batch_events),
	    "10000", 1, 10000, NULL, false,
	    "events in one ingest batch, at most (the wire allows 10000)" },
	{ "ingest", "max_event_bytes", OPT_INT, INT(max_event_bytes), "65536",
	    1024, 65536, NULL, false,
	    "bytes of one frame (one event, one query) on the ROUTERs" },
	{ "ingest", "slow_commit_ms", OPT_INT, INT(slow_commit_ms), "1000", 1,
	    3600000, NULL, true,
	    "log a batch whose commit takes longer than this" },
	{ "keys", "producers_dir", OPT_STR, STR(producers_dir), "", 0, 0, NULL,
	    true, "folder of client public keys (NAME.pub) that may publish" },
	{ "keys", "readers_dir", OPT_STR, STR(readers_dir), "", 0, 0, NULL,
	    true,
	    "folder of client public keys (NAME.pub) that may query and "
	    "subscribe" },
	{ "keys", "server_key", OPT_STR, STR(server_key), "", 0, 0, NULL,
	    false,
	    "the daemon's CURVE secret key file (irokpi keygen); needed for "
	    "tcp" },
	{ "metrics", "listen", OPT_STR, STR(metrics_listen), "", 0, 0, NULL,
	    false,
	    "serve GET /metrics (Prometheus) on HOST:PORT, or PORT on "
	    "127.0.0.1; off when empty" },
	{ "standards", "conference_record_wd", OPT_INT,
	    INT(conference_record_wd), "10", 1, 100, NULL, false,
	    "conference record distributed within N working days" },
	{ "standards", "parents_report_icpc_wd", OPT_INT,
	    INT(parents_report_icpc_wd), "1", 0, 30, NULL, false,
	    "report to parents N working days before an initial conference" },
	{ "standards", "parents_report_rcpc_wd", OPT_INT,
	    INT(parents_report_rcpc_wd), "3", 0, 30, NULL, false,
	    "report to parents N working days before a review conference" },
	{ "standards", "plan_shared_wd", OPT_INT, INT(plan_shared_wd), "5", 1,
	    100, NULL, false, "CP plan shared with the family within N wd" },
	{ "standards", "qa_response_wd", OPT_INT, INT(qa_response_wd), "5", 1,
	    100, NULL, false, "QA alert answered within N working days" },
	{ "standards", "review_decisions_wd", OPT_INT,
	    INT(review_decisions_wd), "5", 1, 100, NULL, false,
	    "LAC review decisions uploaded within N working days" },
	{ "standards", "review_record_wd", OPT_INT, INT(review_record_wd),
	    "20", 1, 100, NULL, false,
	    "LAC review record uploaded within N working days" },
	{ "standards", "sw_report_days", OPT_INT, INT(sw_report_days), "1", 0,
	    30, NULL, false, "social worker's report N days before a review" },
	{ "store", "data_dir", OPT_STR, STR(data_dir), "", 0, 0, NULL, false,
	    "LMDB folder (created if missing); --data-dir overrides" },
	{ "store", "map_size_mb", OPT_INT, INT(map_size_mb), "1024", 1,
	    1 << 24, NULL, false,
	    "initial LMDB map size in MiB; grows by doubling when full" },
};

struct load_ctx {
	struct config *cfg;
	char why[256];
};

static int
opt_set(struct config *cfg, const struct opt *o, const char *value, char *why,
    size_t whylen)
{
	char *dst = (char *)cfg + o->off, *end;
	const char *c;
	long long v;
	double d;
	size_t len = strlen(value);

	switch (o->type) {
	case OPT_STR:
		if (len >= o->size) {
			snprintf(
			    why, whylen, "longer than %zu bytes", o->size - 1);
			return IRK_EINVAL;
		}
		memcpy(dst, value, len + 1);
		return 0;
	case OPT_INT:
		errno = 0;
		v = strtoll(value, &end, 10);
		if (errno != 0 || end == value || *end != '\0') {
			snprintf(why, whylen,
			    "\"%.32s\" is not a whole number", value);
			return IRK_EINVAL;
		}
		if (v < o->min || v > o->max) {
			snprintf(why, whylen, "%lld is outside %lld..%lld", v,
			    o->min, o->max);
			return IRK_ERANGE;
		}
		memcpy(dst, &v, sizeof(v));
		return 0;
	case OPT_NUM:
		errno = 0;
		d = strtod(value, &end);
		if (errno != 0 || end == value || *end != '\0' || d != d) {
			snprintf(
			    why, whylen, "\"%.32s\" is not a number", value);
			return IRK_EINVAL;
		}
		if (d < (double)o->min || d > (double)o->max) {
			snprintf(why, whylen, "%g is outside %lld..%lld", d,
			    o->min, o->max);
			return IRK_ERANGE;
		}
		memcpy(dst, &d, sizeof(d));
		return 0;
	case OPT_ENUM:
		for (c = o->choices; *c != '\0';) {
			size_t n = strcspn(c, "|");

			if (n == len && strncmp(c, value, n) == 0 &&
			    len < o->size) {
				memcpy(dst, value, len + 1);
				return 0;
			}
			c += n + (c[n] == '|');
		}
		snprintf(why, whylen, "\"%.32s\" is not one of %s", value,
		    o->choices);
		return IRK_EINVAL;
	case OPT_BOOL:
		if (strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ||
		    strcmp(value, "1") == 0)
			*(bool *)(void *)dst = true;
		else if (strcmp(value, "false") == 0 ||
			 strcmp(value, "no") == 0 || strcmp(value, "0") == 0)
			*(bool *)(void *)dst = false;
		else {
			snprintf(why, whylen, "\"%.32s\" is not true or false",
			    value);
			return IRK_EINVAL;
		}
		return 0;
	}
	return IRK_EINVAL;
}

void
config_defaults(struct config *cfg)
{
	char why[128];
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	for (i = 0; i < NITEMS(opts); i++)
		(void)opt_set(cfg, &opts[i], opts[i].dflt, why, sizeof(why));
	for (i = 0; i < kpi_count() && i < CONFIG_KPI_MAX; i++)
		cfg->targets[i] = *kpi_default_target(kpi_at(i));
}

/* A key of a KPI's own section: target, better or amber. */
static int
kpi_set(struct config *cfg, const struct kpi_def *k, const char *name,
    const char *value, char *why, size_t whylen)
{
	struct kpi_target *t = &cfg->targets[kpi_index(k)];
	char *end;
	double d;

	if (strcmp(name, "better") == 0) {
		if (strcmp(value, "higher") == 0)
			t->better = KPI_BETTER_HIGHER;
		else if (strcmp(value, "lower") == 0)
			t->better = KPI_BETTER_LOWER;
		else {
			snprintf(why, whylen,
			    "\"%.32s\" is not higher or lower", value);
			return IRK_EINVAL;
		}
		t->set = true;
		return 0;
	}
	if (strcmp(name, "target") == 0 && strcmp(value, "none") == 0) {
		t->set = false;
		return 0;
	}
	if (strcmp(name, "target") != 0 && strcmp(name, "amber") != 0) {
		snprintf(
		    why, whylen, "unknown option (target, better, amber)");
		return IRK_EINVAL;
	}
	errno = 0;
	d = strtod(value, &end);
	if (errno != 0 || end == value || *end != '\0' || d != d || d < 0) {
		snprintf(why, whylen, "\"%.32s\" is not a number >= 0", value);
		return IRK_EINVAL;
	}
	if (name[0] == 't') {
		t->target = d;
		t->set = true;
	} else
		t->amber = d;
	return 0;
}

/* inih callback: nonzero means success (inih's convention, not ours). */
static int
on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *ld = user;
	const struct kpi_def *k;
	char why[160];
	size_t i;

	if ((k = kpi_find(section)) != NULL) {
		if (kpi_set(ld->cfg, k, name, value, why, sizeof(why)) == 0)
			return 1;
		if (ld->why[0] == '\0')
			snprintf(ld->why, sizeof(ld->why), "[%s] %s: %s",
			    section, name, why);
		return 0;
	}
	for (i = 0; i < NITEMS(opts); i++) {
		if (strcmp(opts[i].section, section) != 0 ||
		    strcmp(opts[i].name, name) != 0)
			continue;
		if (opt_set(ld->cfg, &opts[i], value, why, sizeof(why)) == 0)
			return 1;
		if (ld->why[0] == '\0')
			snprintf(ld->why, sizeof(ld->why), "[%s] %s: %s",
			    section, name, why);
		return 0;
	}
	if (ld->why[0] == '\0')
		snprintf(ld->why, sizeof(ld->why), "[%s] %s: unknown option",
		    section, name);
	return 0;
}

int
config_load(const char *path, struct config *cfg, char *err, size_t errlen)
{
	struct load_ctx ld = { .cfg = cfg };
	FILE *fp;
	int rc;

	config_defaults(cfg);
	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return IRK_EIO;
	}
	rc = ini_parse_file(fp, on_ini, &ld);
	fclose(fp);
	if (rc == 0)
		return 0;
	snprintf(err, errlen, "%s:%d: %s", path, rc,
	    ld.why[0] != '\0' ? ld.why : "not a valid INI line");
	return IRK_EINVAL;
}

void
config_timescale(const struct config *cfg, struct timescale *ts)
{
	timescale_defaults(ts);
	ts->month_mode =
	    strcmp(cfg->month_mode, "days") == 0 ? MONTH_DAYS : MONTH_CALENDAR;
	ts->sw_report_days = (int)cfg->sw_report_days;
	ts->parents_report_icpc_wd = (int)cfg->parents_report_icpc_wd;
	ts->parents_report_rcpc_wd = (int)cfg->parents_report_rcpc_wd;
	ts->review_decisions_wd = (int)cfg->review_decisions_wd;
	ts->review_record_wd = (int)cfg->review_record_wd;
	ts->conference_record_wd = (int)cfg->conference_record_wd;
	ts->qa_response_wd = (int)cfg->qa_response_wd;
	ts->plan_shared_wd = (int)cfg->plan_shared_wd;
}

void
config_kpi_settings(const struct config *cfg, struct kpi_settings *s)
{
	kpi_settings_defaults(s);
	s->child_population = cfg->child_population;
	s->caseload_ceiling = cfg->caseload_ceiling;
	s->weight_lac = cfg->weight_lac;
	s->weight_cp = cfg->weight_cp;
	s->targets = cfg->targets;
}

static bool
opt_equal(const struct opt *o, const struct config *a, const struct config *b)
{
	const char *pa = (const char *)a + o->off,
		   *pb = (const char *)b + o->off;
	double da, db;

	switch (o->type) {
	case OPT_STR:
	case OPT_ENUM:
		return strcmp(pa, pb) == 0;
	case OPT_NUM:
		memcpy(&da, pa, sizeof(da));
		memcpy(&db, pb, sizeof(db));
		return da == db;
	case OPT_INT:
	case OPT_BOOL:
		break;
	}
	return memcmp(pa, pb, o->size) == 0;
}

static void
list_add(char *buf, size_t len, const char *section, const char *name)
{
	size_t used = strlen(buf);

	if (used < len)
		snprintf(buf + used, len - used, "%s[%s] %s",
		    used > 0 ? ", " : "", section, name);
}

size_t
config_reload(struct config *cur, const struct config *next, char *changed,
    size_t changedlen, char *restart, size_t restartlen)
{
	size_t i, n = 0;

	changed[0] = restart[0] = '\0';
	for (i = 0; i < NITEMS(opts); i++) {
		const struct opt *o = &opts[i];

		if (opt_equal(o, cur, next))
			continue;
		if (!o->reloadable) {
			list_add(restart, restartlen, o->section, o->name);
			continue;
		}
		memcpy((char *)cur + o->off, (const char *)next + o->off,
		    o->size);
		list_add(changed, changedlen, o->section, o->name);
		n++;
	}
	for (i = 0; i < kpi_count() && i < CONFIG_KPI_MAX; i++) {
		const struct kpi_target *a = &cur->targets[i],
					*b = &next->targets[i];

		if (a->set == b->set && a->better == b->better &&
		    a->target == b->target && a->amber == b->amber)
			continue;
		cur->targets[i] = *b;
		list_add(changed, changedlen, kpi_id(kpi_at(i)), "target");
		n++;
	}
	return n;
}

void
config_print_example(void)
{
	const char *section = "";
	size_t i;

	printf("# irokpid.conf: irokpid's configuration (irokpid.conf(5)).\n"
	       "# Every option is shown with its default, commented out.\n"
	       "# Options marked \"reload\" change on SIGHUP (systemctl "
	       "reload irokpid).\n");
	for (i = 0; i < NITEMS(opts); i++) {
		const struct opt *o = &opts[i];

		if (strcmp(section, o->section) != 0) {
			section = o->section;
			printf("\n[%s]\n", section);
		}
		printf("# %s%s\n#%s = %s\n", o->help,
		    o->reloadable ? " (reload)" : "", o->name, o->dflt);
	}
	printf("\n# A KPI's target, in a section named after the KPI id "
	       "(KPIS.md):\n"
	       "#[cp.repeat_plans]\n#target = 19   ; or none\n"
	       "#better = lower ; higher | lower\n#amber = 3\n");
}

void
config_print_options(void)
{
	size_t i;

	for (i = 0; i < NITEMS(opts); i++)
		printf("  [%s] %-16s default \"%s\"\n      %s\n",
		    opts[i].section, opts[i].name, opts[i].dflt, opts[i].help);
	printf("  [KPI id] target, better, amber\n"
	       "      a KPI's target (a number, or none), whether higher or\n"
	       "      lower is better, and the amber band; defaults from\n"
	       "      KPIS.md and the 2019-20 report\n");
}
