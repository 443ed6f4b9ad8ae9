/*
 * irokpi deadlines: what is coming due, a service manager's list of the
 * cases going out of timescale (PROTOCOL.md, query "deadlines"): one row a
 * deadline open today that falls due within N days, overdue ones first.
 * With --json, the reply without its "ok" as one line of JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"

enum { OPT_AS_AT = CLI_OPT_FIRST_LOCAL, OPT_IRO, OPT_JSON, OPT_WITHIN };

int cmd_deadlines(struct cli *c, int argc, char **argv);

static void
usage(void)
{
	printf("usage: irokpi deadlines [options]\n"
	       "\n"
	       "The deadlines open today that fall due within N days, "
	       "overdue ones\nfirst, by day: child (pseudonymous id), its "
	       "IRO, what is due, the day.\n"
	       "\n"
	       "options:\n"
	       "  --within N       days ahead (default 28)\n"
	       "  --iro ID         only the children this IRO holds now\n"
	       "  --as-at DATE     the day (default: the daemon's today)\n"
	       "  --json           the reply as one line of JSON, keys "
	       "sorted\n" CLI_GLOBAL_HELP "  --help           this text\n"
	       "\n"
	       "Exit status: 0 done, 1 the daemon refused, 2 no answer or "
	       "wrong usage.\n");
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : "?";
}

static int
print_table(json_t *reply)
{
	json_t *list = json_object_get(reply, "deadlines"), *dl;
	size_t i, over = 0;

	printf("deadlines as at %s\n", str(reply, "as_at"));
	printf("%-10s  %-24s  %-16s  %-12s  %s\n", "DUE", "WHAT", "CHILD",
	    "IRO", "OVERDUE");
	json_array_foreach(list, i, dl)
	{
		bool late = json_is_true(json_object_get(dl, "overdue"));

		over += late;
		printf("%-10s  %-24s  %-16s  %-12s  %s\n", str(dl, "deadline"),
		    str(dl, "subject"), str(dl, "child"), str(dl, "iro"),
		    late ? "yes" : "no");
	}
	printf("%zu deadlines, %zu overdue%s\n", json_array_size(list), over,
	    json_is_true(json_object_get(reply, "more")) ? " (list cut)" : "");
	return CLI_EXIT_OK;
}

int
cmd_deadlines(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "as-at", required_argument, NULL, OPT_AS_AT },
		{ "within", required_argument, NULL, OPT_WITHIN },
		{ "iro", required_argument, NULL, OPT_IRO },
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *as_at = NULL, *iro = NULL;
	json_t *req = NULL;
	bool as_json = false;
	long within = 28;
	int ch, rc, ret = CLI_EXIT_FAIL;

	while ((ch = cli_next_option(
		    c, "deadlines", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
		case OPT_AS_AT:
			as_at = optarg;
			break;
		case OPT_WITHIN:
			if (cli_parse_long("deadlines", "--within", optarg, 0,
				3660, &within) != 0)
				return CLI_EXIT_FAIL;
			break;
		case OPT_IRO:
			iro = optarg;
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
		    "deadlines", "unexpected argument \"%s\"", argv[optind]);
	if ((req = json_pack("{s:s, s:I}", "q", "deadlines", "within",
		 (json_int_t)within)) == NULL ||
	    (as_at != NULL && json_object_set_new(req, "as_at",
				  json_string_nocheck(as_at)) != 0) ||
	    (iro != NULL &&
		json_object_set_new(req, "iro", json_string(iro)) != 0)) {
		fprintf(stderr, "irokpi: deadlines: out of memory\n");
		goto out;
	}
	ret = cli_show(c, "deadlines", req, as_json, print_table);
out:
	json_decref(req);
	return ret;
}
