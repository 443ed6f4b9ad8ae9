/*
 * irokpi child: one child's record (PROTOCOL.md, query "child"): the
 * timeline in the order the facts are derived from it, retracted events
 * marked; the points the child contributes to the KPIs; and the deadlines
 * still open on the as-at day.  With --json, the reply without its "ok" as
 * one line of JSON with sorted keys.
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
	printf("usage: irokpi child [options] ID\n"
	       "\n"
	       "Child ID's events in timeline order (business date, then the "
	       "KPIS.md type\norder, then id), retracted ones marked; the "
	       "points it contributes to the\nKPIs; and its deadlines still "
	       "open on the as-at day.\n"
	       "\n"
	       "options:\n"
	       "  --as-at DATE     the day open deadlines are judged on "
	       "(default: today)\n"
	       "  --json           the reply as one line of JSON, keys "
	       "sorted\n" CLI_GLOBAL_HELP "  --help           this text\n"
	       "\n"
	       "Exit status: 0 done, 1 the daemon refused (unknown child), 2 "
	       "no answer or\nwrong usage.\n");
}

static const char *
str_or(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : dflt;
}

/* The widest string under key among the objects of array a. */
static int
width_of(json_t *a, const char *key, int least)
{
	size_t i, len;
	int w = least;

	for (i = 0; i < json_array_size(a); i++) {
		len = strlen(str_or(json_array_get(a, i), key, ""));
		if ((int)len > w)
			w = (int)len;
	}
	return w;
}

static void
print_events(json_t *events)
{
	int tw = width_of(events, "type", 4), iw = width_of(events, "id", 2);
	size_t i;

	printf("%-10s  %-*s  %-*s\n", "DATE", tw, "TYPE", iw, "ID");
	for (i = 0; i < json_array_size(events); i++) {
		json_t *ev = json_array_get(events, i);
		bool retracted =
		    json_is_true(json_object_get(ev, "retracted"));

		printf("%-10s  %-*s  %-*s%s\n", str_or(ev, "at", "?"), tw,
		    str_or(ev, "type", "?"), retracted ? iw : 0,
		    str_or(ev, "id", "?"), retracted ? "  retracted" : "");
	}
}

/*
 * A bucket: day, series, +n.  An interval: due day, series, when it was
 * resolved (or "open").  A membership: day, group, "member".
 */
static void
print_facts(json_t *facts)
{
	int sw = width_of(facts, "series", 6);
	json_t *p, *n, *resolved;
	char buf[64];
	size_t i;

	printf("\nfacts:\n");
	if (json_array_size(facts) == 0)
		printf("  none\n");
	for (i = 0; i < json_array_size(facts); i++) {
		p = json_array_get(facts, i);
		if ((n = json_object_get(p, "n")) != NULL) {
			cli_format_scalar(n, buf, sizeof(buf));
			printf("  %-10s  %-*s  %s%s\n", str_or(p, "day", "?"),
			    sw, str_or(p, "series", "?"),
			    json_integer_value(n) > 0 ? "+" : "", buf);
		} else if (json_object_get(p, "due") != NULL) {
			resolved = json_object_get(p, "resolved");
			printf("  %-10s  %-*s  %s%s\n", str_or(p, "due", "?"),
			    sw, str_or(p, "series", "?"),
			    json_is_string(resolved) ? "until " : "open",
			    json_is_string(resolved)
				? json_string_value(resolved)
				: "");
		} else
			printf("  %-10s  %-*s  member\n",
			    str_or(p, "day", "?"), sw,
			    str_or(p, "group", "?"));
	}
}

static void
print_open(json_t *open, const char *as_at)
{
	json_t *d, *resolved;
	int sw = width_of(open, "series", 6);
	size_t i;

	printf("\nopen deadlines on %s:\n", as_at);
	if (json_array_size(open) == 0)
		printf("  none\n");
	for (i = 0; i < json_array_size(open); i++) {
		d = json_array_get(open, i);
		resolved = json_object_get(d, "resolved");
		printf("  %-10s  %-*s  %s%s\n", str_or(d, "due", "?"), sw,
		    str_or(d, "series", "?"),
		    json_is_string(resolved) ? "until " : "open",
		    json_is_string(resolved) ? json_string_value(resolved)
					     : "");
	}
}

static int
print_child(json_t *reply)
{
	printf("child %s, as at %s\n", str_or(reply, "child", "?"),
	    str_or(reply, "as_at", "?"));
	print_events(json_object_get(reply, "events"));
	print_facts(json_object_get(reply, "facts"));
	print_open(json_object_get(reply, "open_deadlines"),
	    str_or(reply, "as_at", "?"));
	return CLI_EXIT_OK;
}

int
cmd_child(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "as-at", required_argument, NULL, OPT_AS_AT },
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *as_at = NULL, *child;
	json_t *req = NULL;
	bool as_json = false;
	int ch, rc, ret = CLI_EXIT_FAIL;

	while ((ch = cli_next_option(
		    c, "child", argc, argv, longopts, usage, &rc)) > 0) {
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
	if (optind != argc - 1)
		return cli_usage_error("child", "give one child ID");
	child = argv[optind];
	if ((req = json_pack("{s:s}", "q", "child")) == NULL ||
	    json_object_set_new(req, "child", json_string_nocheck(child)) !=
		0 ||
	    (as_at != NULL && json_object_set_new(req, "as_at",
				  json_string_nocheck(as_at)) != 0)) {
		fprintf(stderr, "irokpi: child: out of memory\n");
		goto out;
	}
	ret = cli_show(c, "child", req, as_json, print_child);
out:
	json_decref(req);
	return ret;
}
