/*
 * irokpi admin: operations on the daemon.  One so far, `admin rebuild`
 * (PROTOCOL.md, queries "rebuild" and "rebuild_status"): start re-deriving
 * every projection from the event log, then poll every 100 ms until the
 * rebuild has ended, and say how it went.  Each poll is a query of its own,
 * so --timeout bounds one answer, not the rebuild, which may take minutes on
 * a large log.
 *
 * `admin backup DIR` (query "backup") has the daemon write a consistent,
 * compacted copy of its store into DIR, a folder on the daemon's host, while
 * ingest goes on; DIR must not hold a store yet.  irokpid.8 tells how to
 * restore one.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"

#define POLL_MS           100
#define BACKUP_TIMEOUT_MS 3600000L /* a big store takes a while to copy */

enum { OPT_JSON = CLI_OPT_FIRST_LOCAL };

static void
usage(void)
{
	printf("usage: irokpi admin rebuild [options]\n"
	       "       irokpi admin backup [options] DIR\n"
	       "\n"
	       "backup: have the daemon copy its store (compacted, as of one "
	       "commit) into\nDIR on the daemon's host, while ingest goes on; "
	       "prints the folder, the\nlast sequence number in the copy and "
	       "its size.  Restore: stop irokpid, put\nDIR/data.mdb in the "
	       "data folder, start it (irokpid(8)).  Default timeout\n1 "
	       "hour.\n"
	       "\n"
	       "rebuild: re-derive every KPI projection from the event log "
	       "and wait until\nit is done; prints \"rebuilt N children in S "
	       "s\".  Queries go on answering\nfrom the last commit "
	       "meanwhile; ingest waits.\n"
	       "\n"
	       "options:\n"
	       "  --json           the last status as one line of JSON, keys "
	       "sorted\n" CLI_GLOBAL_HELP "  --help           this text\n"
	       "\n"
	       "Exit status: 0 done, 1 the rebuild failed or the daemon "
	       "refused, 2 no\nanswer or wrong usage.\n");
}

static void
sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

/* Start a rebuild and poll until it ends; *status is the last answer. */
static int
rebuild(struct cli *c, struct irokpi *k, json_t **status)
{
	json_t *start = NULL, *poll = NULL, *reply = NULL;
	const char *state;
	int ret = CLI_EXIT_FAIL;

	if ((start = json_pack("{s:s}", "q", "rebuild")) == NULL ||
	    (poll = json_pack("{s:s}", "q", "rebuild_status")) == NULL) {
		fprintf(stderr, "irokpi: admin: out of memory\n");
		goto out;
	}
	if ((ret = cli_query(c, k, start, &reply)) != CLI_EXIT_OK)
		goto out;
	for (;;) {
		json_decref(reply);
		reply = NULL;
		if ((ret = cli_query(c, k, poll, &reply)) != CLI_EXIT_OK)
			goto out;
		state = json_string_value(json_object_get(reply, "state"));
		if (state == NULL) {
			fprintf(stderr, "irokpi: admin: rebuild_status: the "
					"reply has no \"state\"\n");
			ret = CLI_EXIT_FAIL;
			goto out;
		}
		if (strcmp(state, "running") != 0)
			break;
		sleep_ms(POLL_MS);
	}
	*status = reply;
	reply = NULL;
out:
	json_decref(reply);
	json_decref(poll);
	json_decref(start);
	return ret;
}

static int
backup(struct cli *c, int nargs, char **args, bool as_json)
{
	struct irokpi *k = NULL;
	json_t *req = NULL, *reply = NULL;
	char cwd[PATH_MAX], *dir = NULL;
	size_t len;
	int ret = CLI_EXIT_FAIL;

	if (nargs != 1)
		return cli_usage_error("admin", "backup: give one DIR");
	if (args[0][0] == '/')
		dir = strdup(args[0]);
	else if (getcwd(cwd, sizeof(cwd)) != NULL) {
		len = strlen(cwd) + strlen(args[0]) + 2;
		if ((dir = malloc(len)) != NULL)
			snprintf(dir, len, "%s/%s", cwd, args[0]);
	}
	if (dir == NULL || (req = json_pack("{s:s,s:s}", "q", "backup", "dir",
				dir)) == NULL) {
		fprintf(
		    stderr, "irokpi: admin: backup: %s\n", strerror(errno));
		goto out;
	}
	if (c->timeout <= 0)
		c->timeout = BACKUP_TIMEOUT_MS;
	if ((ret = cli_open(c, "admin", false, true, &k)) != CLI_EXIT_OK)
		goto out;
	if ((ret = cli_query(c, k, req, &reply)) != CLI_EXIT_OK)
		goto out;
	json_object_del(reply, "ok");
	if (as_json)
		ret = cli_print_json(reply);
	else
		printf("backup %s: last seq %lld, %lld bytes, %.2f s\n", dir,
		    (long long)json_integer_value(
			json_object_get(reply, "last_seq")),
		    (long long)json_integer_value(
			json_object_get(reply, "bytes")),
		    json_number_value(json_object_get(reply, "seconds")));
	if (ret == CLI_EXIT_OK)
		ret = cli_finish_stdout();
out:
	json_decref(reply);
	json_decref(req);
	irokpi_close(&k);
	free(dir);
	return ret;
}

int
cmd_admin(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, OPT_JSON },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct irokpi *k = NULL;
	json_t *status = NULL;
	const char *err;
	bool as_json = false, done;
	int ch, rc, ret = CLI_EXIT_FAIL;

	while ((ch = cli_next_option(
		    c, "admin", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
		case OPT_JSON:
			as_json = true;
			break;
		}
	}
	if (ch < 0)
		return rc;
	if (optind >= argc)
		return cli_usage_error(
		    "admin", "give an action: rebuild or backup DIR");
	if (strcmp(argv[optind], "backup") == 0)
		return backup(
		    c, argc - optind - 1, argv + optind + 1, as_json);
	if (strcmp(argv[optind], "rebuild") != 0)
		return cli_usage_error(
		    "admin", "unknown action \"%s\"", argv[optind]);
	if (optind + 1 < argc)
		return cli_usage_error(
		    "admin", "unexpected argument \"%s\"", argv[optind + 1]);
	if ((ret = cli_open(c, "admin", false, true, &k)) != CLI_EXIT_OK)
		return ret;
	if ((ret = rebuild(c, k, &status)) != CLI_EXIT_OK)
		goto out;
	done = strcmp(json_string_value(json_object_get(status, "state")),
		   "done") == 0;
	json_object_del(status, "ok");
	if (as_json)
		ret = cli_print_json(status);
	else if (done)
		printf("rebuilt %lld children in %.2f s\n",
		    (long long)json_integer_value(
			json_object_get(status, "children")),
		    json_number_value(json_object_get(status, "seconds")));
	if (ret == CLI_EXIT_OK)
		ret = cli_finish_stdout();
	if (ret == CLI_EXIT_OK && !done) {
		/* "failed" comes with an error; the daemon marks a rebuild
		 * running before it answers "rebuild", so "idle" means that
		 * it restarted in between. */
		err = json_string_value(json_object_get(status, "error"));
		fprintf(stderr, "irokpi: admin rebuild: %s\n",
		    err != NULL
			? err
			: "no rebuild under way (did irokpid restart?)");
		ret = CLI_EXIT_REJECTED;
	}
out:
	json_decref(status);
	irokpi_close(&k);
	return ret;
}
