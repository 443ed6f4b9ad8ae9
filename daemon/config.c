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

enum opt_type { OPT_STR, OPT_INT, OPT_ENUM };

struct opt {
	const char *section, *name;
	enum opt_type type;
	size_t off, size; /* offsetof / sizeof in struct config */
	const char *dflt;
	long long min, max;  /* OPT_INT */
	const char *choices; /* OPT_ENUM: '|'-separated */
	bool reloadable;
	const char *help;
};

#define STR(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

/* Sorted by section, then name; config_print_options() shows this order. */
static const struct opt opts[] = {
	{ "calendar", "holidays_file", OPT_STR, STR(holidays_file), "", 0, 0,
	    NULL, false,
	    "bank-holiday override list, one YYYY-MM-DD a line ('-' "
	    "removes)" },
	{ "calendar", "month_mode", OPT_ENUM, STR(month_mode), "calendar", 0,
	    0, "calendar|days", false,
	    "calendar months (the regulations) or 91/183 days (Mosaic)" },
	{ "endpoints", "breaches", OPT_STR, STR(breaches_endpoint), "", 0, 0,
	    NULL, false,
	    "PUB endpoint (default ipc://DATA_DIR/breaches.sock)" },
	{ "endpoints", "ingest", OPT_STR, STR(ingest_endpoint), "", 0, 0, NULL,
	    false,
	    "ingest ROUTER endpoint (default ipc://DATA_DIR/ingest.sock)" },
	{ "endpoints", "query", OPT_STR, STR(query_endpoint), "", 0, 0, NULL,
	    false,
	    "query ROUTER endpoint (default ipc://DATA_DIR/query.sock)" },
	{ "store", "data_dir", OPT_STR, STR(data_dir), "", 0, 0, NULL, false,
	    "LMDB folder (created if missing); --data-dir overrides" },
	{ "store", "map_size_mb", OPT_INT,
	    offsetof(struct config, map_size_mb), sizeof(long long), "1024", 1,
	    1 << 24, NULL, false,
	    "initial LMDB map size in MiB; grows by doubling when full" },
};

/* inih reports the line of the first error; the callback keeps its why. */
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
}

/* inih callback: nonzero means success (inih's convention, not ours). */
static int
on_ini(void *user, const char *section, const char *name, const char *value)
{
	struct load_ctx *ld = user;
	char why[160];
	size_t i;

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
config_print_options(void)
{
	size_t i;

	for (i = 0; i < NITEMS(opts); i++)
		printf("  [%s] %-16s default \"%s\"\n      %s\n",
		    opts[i].section, opts[i].name, opts[i].dflt, opts[i].help);
}
