/*
 * irokpi kpi: KPI figures over a window (PROTOCOL.md, query "kpi").
 *
 * With --json the reply's "kpis" map is printed as one line of JSON with
 * sorted keys, so that the answers of two daemons can be compared byte for
 * byte; otherwise a table, one row a KPI in id order, each followed by its
 * breakdown indented below it.  The daemon does all the arithmetic: this
 * file only formats.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"

enum { OPT_WINDOW = CLI_OPT_FIRST_LOCAL, OPT_AS_AT, OPT_JSON };

static void
usage(void)
{
	printf(
	    "usage: irokpi kpi [options] [ID...]\n"
	    "\n"
	    "KPI figures over a window: numerator, denominator, value and "
	    "breakdown, for\nthe KPIs named (all when none is).\n"
	    "\n"
	    "options:\n"
	    "  --window W       2019-04, 2019Q1, fy2019, fytd (default), "
	    "rolling12,\n"
	    "                   or FROM..TO (YYYY-MM-DD..YYYY-MM-DD)\n"
	    "  --as-at DATE     take DATE (YYYY-MM-DD) as today\n"
	    "  --json           print the \"kpis\" map as one line of JSON, "
	    "keys sorted\n" CLI_GLOBAL_HELP "  --help           this text\n"
	    "\n"
	    "Exit status: 0 done, 1 the daemon refused the query (unknown "
	    "KPI,\nbad window), 2 no answer or wrong usage.\n");
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The keys of an object, sorted; NULL if out of memory.  Caller frees. */
static const char **
sorted_keys(json_t *o, size_t *n)
{
	const char **keys, *key;
	json_t *v;
	size_t i = 0;

	*n = json_object_size(o);
	if ((keys = calloc(*n + 1, sizeof(*keys))) == NULL)
		return NULL;
	json_object_foreach(o, key, v)
	{
		if (i < *n)
			keys[i++] = key;
	}
	qsort(keys, i, sizeof(*keys), cmp_str);
	*n = i;
	return keys;
}

/* A number or other scalar as text; "-" for null or absent. */
static void
format_scalar(json_t *v, char *buf, size_t len)
{
	char *s;

	if (v == NULL || json_is_null(v))
		snprintf(buf, len, "-");
	else if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.15g", json_real_value(v));
	else if (json_is_string(v))
		snprintf(buf, len, "%s", json_string_value(v));
	else if (json_is_boolean(v))
		snprintf(buf, len, "%s", json_is_true(v) ? "true" : "false");
	else if ((s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS |
					JSON_REAL_PRECISION(15))) != NULL) {
		snprintf(buf, len, "%s", s);
		free(s);
	} else
		snprintf(buf, len, "?");
}

static bool
all_scalars(json_t *o)
{
	const char *key;
	json_t *v;

	json_object_foreach(o, key, v)
	{
		if (json_is_object(v))
			return false;
	}
	return true;
}

/*
 * A breakdown: "key: value" lines, a map of scalars on one line
 * ("children: den 14, num 12, value 85.7"), deeper maps indented further.
 */
static void
print_breakdown(json_t *o, int indent)
{
	const char **keys;
	json_t *v, *w;
	size_t i, j, n, m;
	char buf[256];

	if ((keys = sorted_keys(o, &n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		v = json_object_get(o, keys[i]);
		printf("%*s%s:", indent, "", keys[i]);
		if (!json_is_object(v)) {
			format_scalar(v, buf, sizeof(buf));
			printf(" %s\n", buf);
		} else if (all_scalars(v)) {
			const char **sub = sorted_keys(v, &m);

			for (j = 0; sub != NULL && j < m; j++) {
				w = json_object_get(v, sub[j]);
				format_scalar(w, buf, sizeof(buf));
				printf(
				    "%s %s %s", j > 0 ? "," : "", sub[j], buf);
			}
			printf("%s\n", m == 0 ? " -" : "");
			free(sub);
		} else {
			printf("\n");
			print_breakdown(v, indent + 4);
		}
	}
	free(keys);
}

static void
print_value(json_t *kpi, char *buf, size_t len)
{
	json_t *v = json_object_get(kpi, "value");
	const char *unit = json_string_value(json_object_get(kpi, "unit"));

	if (json_is_number(v) && unit != NULL && strcmp(unit, "percent") == 0)
		snprintf(buf, len, "%.1f%%", json_number_value(v));
	else
		format_scalar(v, buf, len);
}

static int
print_table(json_t *reply, json_t *kpis)
{
	json_t *win = json_object_get(reply, "window"), *kpi, *bd;
	const char *from, *to, *label, *today, **ids;
	char range[64], num[32], den[32], val[32];
	size_t i, n, w = 3;

	from = json_string_value(json_object_get(win, "from"));
	to = json_string_value(json_object_get(win, "to"));
	label = json_string_value(json_object_get(win, "label"));
	today = json_string_value(json_object_get(reply, "today"));
	snprintf(range, sizeof(range), "%s..%s", from != NULL ? from : "?",
	    to != NULL ? to : "?");
	if ((ids = sorted_keys(kpis, &n)) == NULL) {
		fprintf(stderr, "irokpi: kpi: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	printf("window %s: %s, today %s\n", label != NULL ? label : "?", range,
	    today != NULL ? today : "?");
	for (i = 0; i < n; i++)
		if (strlen(ids[i]) > w)
			w = strlen(ids[i]);
	printf("%-*s  %-22s %8s %8s %8s\n", (int)w, "KPI", "WINDOW", "NUM",
	    "DEN", "VALUE");
	for (i = 0; i < n; i++) {
		kpi = json_object_get(kpis, ids[i]);
		format_scalar(json_object_get(kpi, "num"), num, sizeof(num));
		format_scalar(json_object_get(kpi, "den"), den, sizeof(den));
		print_value(kpi, val, sizeof(val));
		printf("%-*s  %-22s %8s %8s %8s\n", (int)w, ids[i], range, num,
		    den, val);
		bd = json_object_get(kpi, "breakdown");
		if (json_is_object(bd))
			print_breakdown(bd, 4);
	}
	free(ids);
	return CLI_EXIT_OK;
}

int
cmd_kpi(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "window", required_argument, NULL, OPT_WINDOW },
		{ "as-at", required_argument, NULL, OPT_AS_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *window = NULL, *as_at = NULL;
	struct irokpi *k = NULL;
	json_t *req = NULL, *ids = NULL, *reply = NULL, *kpis;
	bool as_json = false;
	int ch, rc, ret = CLI_EXIT_FAIL;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage();
			return cli_finish_stdout();
		case OPT_WINDOW:
			window = optarg;
			break;
		case OPT_AS_AT:
			as_at = optarg;
			break;
		case OPT_JSON:
			as_json = true;
			break;
		default:
			if ((rc = cli_global_option(c, ch, optarg)) >= 0) {
				if (rc != CLI_EXIT_OK)
					return rc;
				break;
			}
			return cli_bad_option("kpi", argc, argv);
		}
	}
	if ((req = json_object()) == NULL || (ids = json_array()) == NULL)
		goto nomem;
	if (json_object_set_new(req, "q", json_string("kpi")) != 0)
		goto nomem;
	for (; optind < argc; optind++)
		if (json_array_append_new(
			ids, json_string_nocheck(argv[optind])) != 0)
			goto nomem;
	if (json_array_size(ids) > 0 && json_object_set(req, "ids", ids) != 0)
		goto nomem;
	if (window != NULL && json_object_set_new(req, "window",
				  json_string_nocheck(window)) != 0)
		goto nomem;
	if (as_at != NULL &&
	    json_object_set_new(req, "as_at", json_string_nocheck(as_at)) != 0)
		goto nomem;
	if (cli_open(c, "kpi", false, true, &k) != CLI_EXIT_OK)
		goto out;
	if ((ret = cli_query(c, k, req, &reply)) != CLI_EXIT_OK)
		goto out;
	kpis = json_object_get(reply, "kpis");
	if (!json_is_object(kpis)) {
		fprintf(
		    stderr, "irokpi: kpi: the reply has no \"kpis\" map\n");
		ret = CLI_EXIT_FAIL;
		goto out;
	}
	ret = as_json ? cli_print_json(kpis) : print_table(reply, kpis);
	if (ret == CLI_EXIT_OK)
		ret = cli_finish_stdout();
	goto out;

nomem:
	fprintf(stderr, "irokpi: kpi: out of memory\n");
	ret = CLI_EXIT_FAIL;
out:
	json_decref(reply);
	json_decref(ids);
	json_decref(req);
	irokpi_close(&k);
	return ret;
}
