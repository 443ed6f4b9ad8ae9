/*
 * irokpi stats: the daemon's counters (PROTOCOL.md, query "stats").
 *
 * Readable "key: value" lines, the ones a person looks for first (events,
 * last_seq, children, uptime_s) at the top and the rest in key order; or,
 * with --json, the reply without its "ok" as one line of JSON with sorted
 * keys.  Keys the daemon adds later are shown without a change here.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"

enum { OPT_JSON = CLI_OPT_FIRST_LOCAL };

/* Shown first, in this order; then every other key, sorted. */
static const char *const first_keys[] = {
	"events",
	"last_seq",
	"children",
	"uptime_s",
};

static void
usage(void)
{
	printf("usage: irokpi stats [options]\n"
	       "\n"
	       "The daemon's counters: events stored (events), the last "
	       "sequence number\n(last_seq), children seen, uptime in seconds "
	       "(uptime_s), and what it\ncounted since it started.\n"
	       "\n"
	       "options:\n"
	       "  --json           one line of JSON, keys "
	       "sorted\n" CLI_GLOBAL_HELP "  --help           this text\n"
	       "\n"
	       "Exit status: 0 done, 1 the daemon refused, 2 no answer or "
	       "wrong usage.\n");
}

static void
print_pair(const char *key, json_t *v)
{
	char *s;

	if (json_is_string(v)) {
		printf("%s: %s\n", key, json_string_value(v));
		return;
	}
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY |
			      JSON_REAL_PRECISION(15));
	printf("%s: %s\n", key, s != NULL ? s : "?");
	free(s);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
print_lines(json_t *reply)
{
	const char **rest, *key;
	json_t *v;
	size_t i, j, n = 0;

	for (i = 0; i < NITEMS(first_keys); i++)
		if ((v = json_object_get(reply, first_keys[i])) != NULL)
			print_pair(first_keys[i], v);
	if ((rest = calloc(json_object_size(reply) + 1, sizeof(*rest))) ==
	    NULL) {
		fprintf(stderr, "irokpi: stats: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	json_object_foreach(reply, key, v)
	{
		for (j = 0; j < NITEMS(first_keys); j++)
			if (strcmp(key, first_keys[j]) == 0)
				break;
		if (j == NITEMS(first_keys))
			rest[n++] = key;
	}
	qsort(rest, n, sizeof(*rest), cmp_str);
	for (i = 0; i < n; i++)
		print_pair(rest[i], json_object_get(reply, rest[i]));
	free(rest);
	return CLI_EXIT_OK;
}

int
cmd_stats(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	json_t *req;
	bool as_json = false;
	int ch, rc, ret;

	while ((ch = cli_next_option(
		    c, "stats", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
		case OPT_JSON:
			as_json = true;
			break;
		}
	}
	if (ch < 0)
		return rc;
	if (optind < argc)
		return cli_usage_error(
		    "stats", "unexpected argument \"%s\"", argv[optind]);
	if ((req = json_pack("{s:s}", "q", "stats")) == NULL) {
		fprintf(stderr, "irokpi: stats: out of memory\n");
		return CLI_EXIT_FAIL;
	}
	ret = cli_show(c, "stats", req, as_json, print_lines);
	json_decref(req);
	return ret;
}
