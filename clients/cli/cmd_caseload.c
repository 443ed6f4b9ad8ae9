/*
 * irokpi caseload: each IRO's weighted caseload on one day against the
 * ceiling (PROTOCOL.md, query "caseload"; KPIS.md iro.caseload): one row an
 * IRO in the daemon's order, then the average.  With --json, the reply
 * without its "ok" as one line of JSON with sorted keys.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"

enum { OPT_AS_AT = CLI_OPT_FIRST_LOCAL, OPT_JSON };

static void
usage(void)
{
	printf("usage: irokpi caseload [options]\n"
	       "\n"
	       "Each IRO's caseload on one day: the children allocated to "
	       "them, weighted\n(looked after 1.5, on a child protection "
	       "plan only 1, by default), the\nlooked-after and CP-only "
	       "children, and whether the weight is over the\nceiling; then "
	       "the average over IROs with any.\n"
	       "\n"
	       "options:\n"
	       "  --as-at DATE     the day (default: today)\n"
	       "  --json           the reply as one line of JSON, keys "
	       "sorted\n" CLI_GLOBAL_HELP "  --help           this text\n"
	       "\n"
	       "Exit status: 0 done, 1 the daemon refused, 2 no answer or "
	       "wrong usage.\n");
}

static const char *
iro_name(json_t *iro)
{
	const char *s = json_string_value(json_object_get(iro, "iro"));

	return s != NULL ? s : "?";
}

static int
print_table(json_t *reply)
{
	json_t *iros = json_object_get(reply, "iros"), *iro;
	const char *as_at = json_string_value(json_object_get(reply, "as_at"));
	char ceiling[32], weighted[32], lac[32], cp[32], average[32];
	size_t i, n = json_array_size(iros), over = 0;
	bool is_over;
	int w = 3;

	cli_format_scalar(
	    json_object_get(reply, "ceiling"), ceiling, sizeof(ceiling));
	printf("caseload as at %s, ceiling %s\n", as_at != NULL ? as_at : "?",
	    ceiling);
	for (i = 0; i < n; i++)
		if ((int)strlen(iro_name(json_array_get(iros, i))) > w)
			w = (int)strlen(iro_name(json_array_get(iros, i)));
	printf("%-*s  %8s %5s %5s  %s\n", w, "IRO", "WEIGHTED", "LAC", "CP",
	    "OVER");
	for (i = 0; i < n; i++) {
		iro = json_array_get(iros, i);
		cli_format_figure(json_object_get(iro, "weighted"), "average",
		    weighted, sizeof(weighted));
		cli_format_scalar(
		    json_object_get(iro, "lac"), lac, sizeof(lac));
		cli_format_scalar(json_object_get(iro, "cp"), cp, sizeof(cp));
		is_over = json_is_true(json_object_get(iro, "over"));
		over += is_over;
		printf("%-*s  %8s %5s %5s  %s\n", w, iro_name(iro), weighted,
		    lac, cp, is_over ? "yes" : "no");
	}
	cli_format_figure(json_object_get(reply, "average"), "average",
	    average, sizeof(average));
	printf("average %s; %zu of %zu IROs over the ceiling\n", average, over,
	    n);
	return CLI_EXIT_OK;
}

int
cmd_caseload(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "as-at", required_argument, NULL, OPT_AS_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *as_at = NULL;
	json_t *req = NULL;
	bool as_json = false;
	int ch, rc, ret = CLI_EXIT_FAIL;

	while ((ch = cli_next_option(
		    c, "caseload", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
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
	if (optind < argc)
		return cli_usage_error(
		    "caseload", "unexpected argument \"%s\"", argv[optind]);
	if ((req = json_pack("{s:s}", "q", "caseload")) == NULL ||
	    (as_at != NULL && json_object_set_new(req, "as_at",
				  json_string_nocheck(as_at)) != 0)) {
		fprintf(stderr, "irokpi: caseload: out of memory\n");
		goto out;
	}
	ret = cli_show(c, "caseload", req, as_json, print_table);
out:
	json_decref(req);
	return ret;
}
