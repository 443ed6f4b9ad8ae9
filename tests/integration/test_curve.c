/*
 * Access control over tcp (127.0.0.1, ports picked free): the daemon is a
 * CURVE server with a ZAP handler.  A producer key publishes; a reader key
 * is refused on ingest but queries; an unknown key and a plain client get
 * nothing; a producer key cannot query.  Keys are made by `irokpi keygen`,
 * so its files are the format the daemon reads.  tcp without CURVE stops
 * start-up unless allow_insecure_tcp, which warns.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "tests/integration/ops_util.h"
#include "tests/support/harness.h"

#define READY_MS 30000

struct env {
	struct harness h;
	struct opsd d;
	char conf[300], log[300], ingest[64], query[64], breaches[64];
	char server_pub[300], producer[300], reader[300], stranger[300];
};

static void
keygen(struct env *e, const char *name)
{
	const char *argv[] = { "keygen", name, NULL };
	struct run r;

	assert_int_equal(harness_cli(&e->h, &r, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	assert_int_equal(strlen(r.out), 41); /* the public key and \n */
	run_free(&r);
}

static int
setup(void **state)
{
	struct env *e = calloc(1, sizeof(*e));
	char path[300], text[2048];
	struct stat st;

	if (e == NULL || harness_init(&e->h) != 0)
		return -1;
	*state = e;
	snprintf(e->ingest, sizeof(e->ingest), "tcp://127.0.0.1:%d",
	    ops_free_port());
	snprintf(
	    e->query, sizeof(e->query), "tcp://127.0.0.1:%d", ops_free_port());
	snprintf(e->breaches, sizeof(e->breaches), "tcp://127.0.0.1:%d",
	    ops_free_port());
	snprintf(path, sizeof(path), "%s/producers", e->h.dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/readers", e->h.dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/server", e->h.dir);
	keygen(e, path);
	snprintf(path, sizeof(path), "%s/producers/p1", e->h.dir);
	keygen(e, path);
	snprintf(path, sizeof(path), "%s/readers/r1", e->h.dir);
	keygen(e, path);
	snprintf(path, sizeof(path), "%s/stranger", e->h.dir);
	keygen(e, path);
	snprintf(path, sizeof(path), "%s/server.key", e->h.dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(
	    e->server_pub, sizeof(e->server_pub), "%s/server.pub", e->h.dir);
	snprintf(
	    e->producer, sizeof(e->producer), "%s/producers/p1.key", e->h.dir);
	snprintf(e->reader, sizeof(e->reader), "%s/readers/r1.key", e->h.dir);
	snprintf(
	    e->stranger, sizeof(e->stranger), "%s/stranger.key", e->h.dir);
	snprintf(e->conf, sizeof(e->conf), "%s/irokpid.conf", e->h.dir);
	snprintf(e->log, sizeof(e->log), "%s/daemon.log", e->h.dir);
	snprintf(text, sizeof(text),
	    "[endpoints]\ningest = %s\nquery = %s\nbreaches = %s\n"
	    "[keys]\nserver_key = %s/server.key\n"
	    "producers_dir = %s/producers\nreaders_dir = %s/readers\n",
	    e->ingest, e->query, e->breaches, e->h.dir, e->h.dir, e->h.dir);
	assert_int_equal(ops_write(e->conf, text), 0);
	e->d.pid = -1;
	return 0;
}

static int
teardown(void **state)
{
	struct env *e = *state;

	if (e->d.pid > 0)
		ops_stop(&e->d);
	harness_fini(&e->h);
	free(e);
	return 0;
}

static void
start(struct env *e)
{
	const char *args[] = { "-c", e->conf, "--data-dir", e->h.dir, NULL };

	assert_int_equal(ops_start(&e->d, e->log, args, NULL), 0);
	assert_true(ops_log_wait(&e->d, "ready:", READY_MS));
}

/* irokpi ARGS with the given keys (NULL: a plain client); exit status. */
static int
cli(struct env *e, const char *key, const char *const args[])
{
	const char *argv[24];
	struct run r;
	size_t n = 0, i;
	int status;

	for (i = 0; args[i] != NULL; i++)
		argv[n++] = args[i];
	argv[n++] = "--ingest";
	argv[n++] = e->ingest;
	argv[n++] = "--query";
	argv[n++] = e->query;
	argv[n++] = "--timeout";
	argv[n++] = "1500";
	if (key != NULL) {
		argv[n++] = "--server-key";
		argv[n++] = e->server_pub;
		argv[n++] = "--key";
		argv[n++] = key;
	}
	argv[n] = NULL;
	assert_int_equal(harness_cli(&e->h, &r, NULL, argv), 0);
	status = r.status;
	if (status != 0)
		fprintf(stderr, "irokpi %s: %d: %s", args[0], status, r.err);
	run_free(&r);
	return status;
}

static void
test_curve_access(void **state)
{
	struct env *e = *state;
	const char *events = harness_data("queries_events.jsonl");
	const char *publish[] = { "publish", events, NULL };
	const char *stats[] = { "stats", "--json", NULL };

	assert_non_null(events);
	start(e);
	assert_true(ops_log_wait(&e->d, "(tcp: CURVE)", 1000));
	/* A reader key may query, not publish. */
	assert_int_equal(cli(e, e->reader, stats), 0);
	assert_int_equal(cli(e, e->reader, publish), 2);
	assert_true(ops_log_wait(&e->d, "on ingest: key not allowed", 1000));
	/* A producer key publishes, but may not query. */
	assert_int_equal(cli(e, e->producer, publish), 0);
	assert_int_equal(cli(e, e->producer, stats), 2);
	/* An unknown key and a plain client get nothing either way. */
	assert_int_equal(cli(e, e->stranger, stats), 2);
	assert_int_equal(cli(e, e->stranger, publish), 2);
	assert_int_equal(cli(e, NULL, stats), 2);
	assert_int_equal(cli(e, NULL, publish), 2);
	/* Only the producer's events went in. */
	{
		const char *argv[] = { "stats", "--json", "--query", e->query,
			"--server-key", e->server_pub, "--key", e->reader,
			NULL };
		struct run r;

		assert_int_equal(harness_cli(&e->h, &r, NULL, argv), 0);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, "\"events\":9"));
		run_free(&r);
	}
	assert_int_equal(ops_stop(&e->d), 0);
}

static void
test_tcp_needs_curve(void **state)
{
	struct env *e = *state;
	char text[512], *log;

	snprintf(text, sizeof(text),
	    "[endpoints]\ningest = %s\nquery = %s\nbreaches = %s\n", e->ingest,
	    e->query, e->breaches);
	assert_int_equal(ops_write(e->conf, text), 0);
	{
		const char *args[] = { "-c", e->conf, "--data-dir", e->h.dir,
			NULL };

		assert_int_equal(ops_start(&e->d, e->log, args, NULL), 0);
		assert_int_equal(ops_wait(&e->d, 60000), 1);
		log = ops_read(e->log);
		assert_non_null(strstr(log, "tcp endpoints need CURVE"));
		free(log);
	}
	strcat(text, "allow_insecure_tcp = true\n");
	assert_int_equal(ops_write(e->conf, text), 0);
	start(e);
	assert_true(ops_log_wait(&e->d, "INSECURE: tcp://127.0.0.1", 1000));
	{
		const char *stats[] = { "stats", NULL };

		assert_int_equal(cli(e, NULL, stats), 0);
	}
	assert_int_equal(ops_stop(&e->d), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_curve_access, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_tcp_needs_curve, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
