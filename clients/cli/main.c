/*
 * irokpi: the command-line client of irokpid.
 *
 * A table of subcommands (name, handler, one line of help), as in Redis's
 * command table; each handler lives in its own cmd_*.c.  main() reads the
 * global options up to the subcommand's name (getopt_long with "+", so it
 * stops there) and hands the rest over; every subcommand accepts the same
 * global options again, so `irokpi kpi --data-dir D` works as well as
 * `irokpi --data-dir D kpi`.  The helpers every subcommand shares (where the
 * daemon is, running a query under the CLI's exit-code rules) are here too.
 */
#define _XOPEN_SOURCE 700 /* realpath(3) */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"
#include "proto/wire.h"

#ifndef IROKPI_VERSION
#define IROKPI_VERSION "0.0.0"
#endif

#define QUERY_TIMEOUT_DEFAULT 5000

struct command {
	const char *name;
	cli_cmd_fn fn;
	const char *help;
};

/* In the order --help lists them. */
static const struct command commands[] = {
	{ "publish", cmd_publish,
	    "send JSON-lines events, report each reject" },
	{ "kpi", cmd_kpi, "KPI figures over a window" },
	{ "child", cmd_child,
	    "one child's timeline, facts and open deadlines" },
	{ "caseload", cmd_caseload, "each IRO's weighted caseload on a day" },
	{ "watch", cmd_watch,
	    "print breaches as raised, none missed or twice" },
	{ "deadlines", cmd_deadlines,
	    "open deadlines due within N days (cases going out of time)" },
	{ "report", cmd_report, "the annual report's tables for a year" },
	{ "stats", cmd_stats, "the daemon's counters" },
	{ "admin", cmd_admin, "operations: admin rebuild, admin backup DIR" },
	{ "keygen", cmd_keygen, "write a CURVE key pair NAME.key, NAME.pub" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: irokpi [global options] COMMAND [options] [args]\n"
		   "       irokpi --help | --version\n"
		   "\n"
		   "commands:\n");
	for (i = 0; i < NITEMS(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	fprintf(f,
	    "\n"
	    "global options (before or after COMMAND):\n" CLI_ENDPOINT_HELP
	    "  --timeout MS     queries: wait up to MS for each answer "
	    "(default 5000);\n"
	    "                   publish: give up after MS without any ack "
	    "(default 30000)\n"
	    "\n"
	    "`irokpi COMMAND --help` tells more.  Exit status: 0 done, 1 the "
	    "daemon\nrejected something, 2 no daemon, a timeout or wrong "
	    "usage.\n");
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "irokpi: %s%s", cmd != NULL ? cmd : "",
	    cmd != NULL ? ": " : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'irokpi %s%s--help'.\n", cmd != NULL ? cmd : "",
	    cmd != NULL ? " " : "");
	return CLI_EXIT_FAIL;
}

int
cli_bad_option(const char *cmd, int argc, char **argv)
{
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";

	if (strncmp(arg, "--", 2) != 0 && optopt > 0 && optopt < 0x100)
		return cli_usage_error(cmd,
		    "unknown option or missing value: "
		    "-%c",
		    optopt);
	return cli_usage_error(
	    cmd, "unknown option or missing value: %s", arg);
}

int
cli_next_option(struct cli *c, const char *cmd, int argc, char **argv,
    const struct option *longopts, void (*help)(void), int *ret)
{
	int ch, rc;

	opterr = 0;
	while ((ch = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (ch == 'h') {
			help();
			*ret = cli_finish_stdout();
			return -1;
		}
		if ((rc = cli_global_option(c, ch, optarg)) == CLI_EXIT_OK)
			continue;
		if (rc < 0 && ch != '?' && ch != ':')
			return ch;
		*ret = rc >= 0 ? rc : cli_bad_option(cmd, argc, argv);
		return -1;
	}
	return 0;
}

int
cli_parse_long(const char *cmd, const char *option, const char *s, long min,
    long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min || v > max) {
		cli_usage_error(cmd,
		    "%s: \"%s\" is not a number from %ld to %ld", option, s,
		    min, max);
		return -1;
	}
	*out = v;
	return 0;
}

int
cli_global_option(struct cli *c, int opt, const char *arg)
{
	switch (opt) {
	case CLI_OPT_DATA_DIR:
		c->data_dir = arg;
		return CLI_EXIT_OK;
	case CLI_OPT_INGEST:
		c->ingest = arg;
		return CLI_EXIT_OK;
	case CLI_OPT_QUERY:
		c->query = arg;
		return CLI_EXIT_OK;
	case CLI_OPT_SERVER_KEY:
		c->server_key = arg;
		return CLI_EXIT_OK;
	case CLI_OPT_KEY:
		c->key = arg;
		return CLI_EXIT_OK;
	case CLI_OPT_TIMEOUT:
		if (cli_parse_long(NULL, "--timeout", arg, 1, 86400000L,
			&c->timeout) != 0)
			return CLI_EXIT_FAIL;
		return CLI_EXIT_OK;
	}
	return -1;
}

/* ipc://DIR/NAME, DIR made absolute when it exists.  Caller frees. */
static char *
dir_endpoint(const char *dir, const char *name)
{
	char *abs, *ep = NULL;
	size_t n;

	abs = realpath(dir, NULL);
	n = strlen("ipc://") + strlen(abs != NULL ? abs : dir) + 1 +
	    strlen(name) + 1;
	if ((ep = malloc(n)) != NULL)
		snprintf(ep, n, "ipc://%s/%s", abs != NULL ? abs : dir, name);
	free(abs);
	return ep;
}

int
cli_open(struct cli *c, const char *cmd, bool ingest, bool query,
    struct irokpi **out)
{
	char *iep = NULL, *qep = NULL;
	struct irokpi_curve curve;
	int rc, ret = CLI_EXIT_FAIL;

	if (ingest && c->ingest == NULL && c->data_dir == NULL)
		return cli_usage_error(cmd, "where is the daemon? Give "
					    "--data-dir DIR (or set "
					    "IROKPI_DIR) or --ingest EP");
	if (query && c->query == NULL && c->data_dir == NULL)
		return cli_usage_error(cmd, "where is the daemon? Give "
					    "--data-dir DIR (or set "
					    "IROKPI_DIR) or --query EP");
	if (ingest)
		iep = c->ingest != NULL
			  ? strdup(c->ingest)
			  : dir_endpoint(c->data_dir, WIRE_INGEST_SOCK);
	if (query)
		qep = c->query != NULL
			  ? strdup(c->query)
			  : dir_endpoint(c->data_dir, WIRE_QUERY_SOCK);
	if ((ingest && iep == NULL) || (query && qep == NULL)) {
		fprintf(stderr, "irokpi: %s: out of memory\n", cmd);
		goto out;
	}
	if ((c->server_key != NULL) != (c->key != NULL)) {
		cli_usage_error(
		    cmd, "CURVE needs both --server-key and --key");
		goto out;
	}
	if (c->key != NULL &&
	    (rc = irokpi_curve_load(c->server_key, c->key, &curve)) != 0) {
		fprintf(stderr, "irokpi: %s: keys %s, %s: %s\n", cmd,
		    c->server_key, c->key,
		    rc == IRK_EIO ? strerror(errno) : "not a Z85 key");
		goto out;
	}
	if ((rc = irokpi_open_curve(
		 iep, qep, c->key != NULL ? &curve : NULL, out)) != 0) {
		fprintf(stderr, "irokpi: %s: cannot open %s%s%s: %s\n", cmd,
		    iep != NULL ? iep : "",
		    iep != NULL && qep != NULL ? ", " : "",
		    qep != NULL ? qep : "", irk_strerror(rc));
		goto out;
	}
	ret = CLI_EXIT_OK;
out:
	free(iep);
	free(qep);
	return ret;
}

int
cli_query(struct cli *c, struct irokpi *k, const json_t *req, json_t **reply)
{
	json_t *r = NULL;
	const char *err;
	long timeout = c->timeout > 0 ? c->timeout : QUERY_TIMEOUT_DEFAULT;
	int rc;

	irokpi_set(k, IROKPI_OPT_QUERY_TIMEOUT, timeout);
	if ((rc = irokpi_query_json(k, req, &r)) != 0) {
		if (rc == IRK_ETIMEDOUT)
			fprintf(stderr,
			    "irokpi: %s (is irokpid running there?)\n",
			    irokpi_errmsg(k));
		else
			fprintf(stderr, "irokpi: query failed: %s: %s\n",
			    irk_strerror(rc), irokpi_errmsg(k));
		return CLI_EXIT_FAIL;
	}
	if (!json_is_true(json_object_get(r, "ok"))) {
		err = json_string_value(json_object_get(r, "error"));
		fprintf(stderr, "irokpi: %s\n",
		    err != NULL ? err : "the daemon refused the query");
		json_decref(r);
		return CLI_EXIT_REJECTED;
	}
	*reply = r;
	return CLI_EXIT_OK;
}

int
cli_ask(struct cli *c, const char *cmd, const json_t *req, json_t **reply)
{
	struct irokpi *k = NULL;
	int ret;

	if ((ret = cli_open(c, cmd, false, true, &k)) != CLI_EXIT_OK)
		return ret;
	ret = cli_query(c, k, req, reply);
	irokpi_close(&k);
	return ret;
}

int
cli_show(struct cli *c, const char *cmd, const json_t *req, bool as_json,
    int (*print)(json_t *reply))
{
	json_t *reply = NULL;
	int ret;

	if ((ret = cli_ask(c, cmd, req, &reply)) != CLI_EXIT_OK)
		return ret;
	json_object_del(reply, "ok");
	ret = as_json ? cli_print_json(reply) : print(reply);
	if (ret == CLI_EXIT_OK)
		ret = cli_finish_stdout();
	json_decref(reply);
	return ret;
}

int
cli_print_json(const json_t *j)
{
	if (json_dumpf(j, stdout,
		JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(15) |
		    JSON_ENCODE_ANY) != 0 ||
	    putchar('\n') == EOF) {
		fprintf(stderr, "irokpi: writing stdout failed\n");
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int
cli_finish_stdout(void)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(
		    stderr, "irokpi: writing stdout: %s\n", strerror(errno));
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct cli c = { .timeout = -1 };
	const struct command *cmd = NULL;
	size_t i;
	int ch, rc;

	c.server_key = getenv("IROKPI_SERVER_KEY");
	c.key = getenv("IROKPI_KEY");
	if (c.server_key != NULL && c.server_key[0] == '\0')
		c.server_key = NULL;
	if (c.key != NULL && c.key[0] == '\0')
		c.key = NULL;
	c.data_dir = getenv("IROKPI_DIR");
	if (c.data_dir != NULL && c.data_dir[0] == '\0')
		c.data_dir = NULL;
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+hV", longopts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			usage(stdout);
			return cli_finish_stdout();
		case 'V':
			printf("irokpi %s (protocol v%d)\n", IROKPI_VERSION,
			    WIRE_VERSION);
			return cli_finish_stdout();
		default:
			if ((rc = cli_global_option(&c, ch, optarg)) >= 0) {
				if (rc != CLI_EXIT_OK)
					return rc;
				break;
			}
			return cli_bad_option(NULL, argc, argv);
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_EXIT_FAIL;
	}
	for (i = 0; i < NITEMS(commands); i++)
		if (strcmp(argv[optind], commands[i].name) == 0)
			cmd = &commands[i];
	if (cmd == NULL)
		return cli_usage_error(
		    NULL, "unknown command \"%s\"", argv[optind]);
	argc -= optind;
	argv += optind;
	optind = 0; /* glibc: start the next getopt_long() scan afresh */
	return cmd->fn(&c, argc, argv);
}
