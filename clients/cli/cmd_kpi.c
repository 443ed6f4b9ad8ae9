/*
 * irokpi kpi: KPI figures over a window (PROTOCOL.md, query "kpi").
 *
 * With --json the reply's "kpis" map is printed as one line of JSON with
 * sorted keys, so that the answers of two daemons can be compared byte for
 * byte; otherwise a table, one row a KPI in id order (what it counts over:
 * the window, or the as-at day; its figures; the previous period's value;
 * target and RAG), each followed by its breakdown indented below it.  The
 * daemon does all the arithmetic: this file only formats.
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
	    "KPI figures over a window: numerator, denominator, value, the "
	    "previous\nperiod's value, target, RAG and breakdown, for the "
	    "KPIs named (all when\nnone is).\n"
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

	if ((keys = cli_sorted_keys(o, &n)) == NULL)
		return;
	for (i = 0; i < n; i++) {
		v = json_object_get(o, keys[i]);
		printf("%*s%s:", indent, "", keys[i]);
		if (!json_is_object(v)) {
			cli_format_scalar(v, buf, sizeof(buf));
			printf(" %s\n", buf);
		} else if (all_scalars(v)) {
			const char **sub = cli_sorted_keys(v, &m);

			for (j = 0; sub != NULL && j < m; j++) {
				w = json_object_get(v, sub[j]);
				cli_format_scalar(w, buf, sizeof(buf));
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

/* One KPI's row: what it counts over, its figures, target and RAG. */
static void
print_row(const char *id, int w, json_t *kpi, const char *range)
{
	const char *unit = json_string_value(json_object_get(kpi, "unit"));
	const char *as_at = json_string_value(json_object_get(kpi, "as_at"));
	char over[96], num[32], den[32], val[32], prev[32], target[32];
	char rag[16];

	if (as_at != NULL)
		snprintf(over, sizeof(over), "as at %s", as_at);
	else
		snprintf(over, sizeof(over), "%s", range);
	cli_format_scalar(json_object_get(kpi, "num"), num, sizeof(num));
	cli_format_scalar(json_object_get(kpi, "den"), den, sizeof(den));
	cli_format_figure(
	    json_object_get(kpi, "value"), unit, val, sizeof(val));
	cli_format_figure(
	    json_object_get(json_object_get(kpi, "previous"), "value"), unit,
	    prev, sizeof(prev));
	cli_format_target(
	    json_object_get(kpi, "target"), unit, target, sizeof(target));
	cli_format_scalar(json_object_get(kpi, "rag"), rag, sizeof(rag));
	printf("%-*s  %-22s %8s %8s %8s %8s %8s  %s\n", w, id, over, num, den,
	    val, prev, target, rag);
}

static int
print_table(json_t *reply, json_t *kpis)
{
	json_t *win = json_object_get(reply, "window"), *bd;
	const char *from, *to, *pfrom, *pto, *label, *today, **ids;
	char range[64];
	size_t i, n, w = 3;

	from = json_string_value(json_object_get(win, "from"));
	to = json_string_value(json_object_get(win, "to"));
	pfrom = json_string_value(json_object_get(win, "previous_from"));
	pto = json_string_value(json_object_get(win, "previous_to"));
	label = json_string_value(json_object_get(win, "label"));
	today = json_string_value(json_object_get(reply, "today"));
	snprintf(range, sizeof(range), "%s..%s", from != NULL ? from : "?",
	    to != NULL ? to : "?");
	if ((ids = cli_sorted_keys(kpis, &n)) == NULL) {
		fprintf(stderr, "irokpi: kpi: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	printf("window %s: %s (previous %s..%s), today %s\n",
	    label != NULL ? label : "?", range, pfrom != NULL ? pfrom : "?",
	    pto != NULL ? pto : "?", today != NULL ? today : "?");
	for (i = 0; i < n; i++)
		if (strlen(ids[i]) > w)
			w = strlen(ids[i]);
	printf("%-*s  %-22s %8s %8s %8s %8s %8s  %s\n", (int)w, "KPI",
	    "WINDOW", "NUM", "DEN", "VALUE", "PREVIOUS", "TARGET", "RAG");
	for (i = 0; i < n; i++) {
		json_t *kpi = json_object_get(kpis, ids[i]);

		print_row(ids[i], (int)w, kpi, range);
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

	while ((ch = cli_next_option(
		    c, "kpi", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
		case OPT_WINDOW:
			window = optarg;
			break;
		case OPT_AS_AT:
			as_at = optarg;
			break;
		case OPT_JSON:
			as_json = true;
			break;
		}
	}
	if (ch < 0)
		return rc;
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
