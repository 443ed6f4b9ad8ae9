/*
 * Operations: a bad configuration stops start-up naming file, line and key;
 * SIGHUP changes a KPI target and the caseload ceiling and the next answers
 * show them; the daemon tells a NOTIFY_SOCKET READY=1, WATCHDOG=1 and
 * STOPPING=1; a backup taken while a publish goes on restores to a daemon
 * answering as a daemon fed exactly the events up to the backup's seq; a
 * store of the previous schema has its projections rebuilt at start, and
 * an older one is refused with a reason.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <jansson.h>
#include <lmdb.h>
#include <msgpack.h>
#include <zmq.h>

#include "store/schema.h"
#include "tests/integration/ops_util.h"
#include "tests/support/harness.h"

#define KPI      "lac.review_timeliness"
#define READY_MS 30000

static int
setup(void **state)
{
	struct harness *h = calloc(1, sizeof(*h));

	if (h == NULL || harness_init(h) != 0)
		return -1;
	*state = h;
	return 0;
}

static int
teardown(void **state)
{
	struct harness *h = *state;

	harness_fini(h);
	free(h);
	return 0;
}

static void
path_in(const struct harness *h, const char *name, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s/%s", h->dir, name);

	assert_true(n > 0 && (size_t)n < len);
}

/* Run irokpid to its end; its exit code, output in log. */
static int
run_daemon(const struct harness *h, const char *const args[], char **log)
{
	struct opsd o;
	char path[300];
	int rc;

	path_in(h, "run.log", path, sizeof(path));
	unlink(path);
	assert_int_equal(ops_start(&o, path, args, NULL), 0);
	rc = ops_wait(&o, 60000);
	*log = ops_read(path);
	return rc;
}

static void
test_bad_config(void **state)
{
	struct harness *h = *state;
	char conf[300], want[400], *log = NULL;
	const char *args[] = { "-c", conf, "--data-dir", h->dir, NULL };
	const char *check[] = { "-n", "-c", conf, "--data-dir", h->dir, NULL };

	path_in(h, "bad.conf", conf, sizeof(conf));
	assert_int_equal(ops_write(conf, "[caseload]\nceiling = 100\n"
					 "bogus = 1\n"),
	    0);
	assert_int_equal(run_daemon(h, args, &log), 1);
	snprintf(want, sizeof(want), "%s:3: [caseload] bogus: unknown option",
	    conf);
	assert_non_null(strstr(log, want));
	free(log);

	assert_int_equal(ops_write(conf, "# comment\n[ingest]\n"
					 "slow_commit_ms = 0\n"),
	    0);
	assert_int_equal(run_daemon(h, check, &log), 1);
	snprintf(want, sizeof(want),
	    "%s:3: [ingest] slow_commit_ms: 0 is outside", conf);
	assert_non_null(strstr(log, want));
	free(log);

	assert_int_equal(ops_write(conf, "[endpoints]\n"
					 "allow_insecure_tcp = maybe\n"),
	    0);
	assert_int_equal(run_daemon(h, check, &log), 1);
	snprintf(
	    want, sizeof(want), "%s:2: [endpoints] allow_insecure_tcp", conf);
	assert_non_null(strstr(log, want));
	free(log);

	/* The documented breaches horizon is accepted. */
	assert_int_equal(ops_write(conf, "[breaches]\ndue_soon_wd = 5\n"
					 "[" KPI "]\ntarget = 90\n"),
	    0);
	assert_int_equal(run_daemon(h, check, &log), 0);
	assert_non_null(strstr(log, "configuration OK"));
	free(log);
}

/* `irokpi ARGS --json` parsed; NULL on failure. */
static json_t *
cli_json(struct harness *h, const char *const argv[])
{
	struct run r;
	json_t *j = NULL;

	if (harness_cli(h, &r, NULL, argv) == 0 && r.status == 0)
		j = json_loads(r.out, 0, NULL);
	else
		fprintf(stderr, "cli: status %d: %s\n", r.status, r.err);
	run_free(&r);
	return j;
}

static double
kpi_target(struct harness *h)
{
	const char *argv[] = { "kpi", "--json", "--window", "fy2019",
		"--as-at", "2020-06-30", KPI, NULL };
	json_t *j = cli_json(h, argv);
	double v;

	assert_non_null(j);
	v = json_number_value(json_object_get(
	    json_object_get(json_object_get(j, KPI), "target"), "value"));
	json_decref(j);
	return v;
}

static double
ceiling(struct harness *h)
{
	const char *argv[] = { "caseload", "--json", NULL };
	json_t *j = cli_json(h, argv);
	double v;

	assert_non_null(j);
	v = json_number_value(json_object_get(j, "ceiling"));
	json_decref(j);
	return v;
}

static void
test_sighup_reload(void **state)
{
	struct harness *h = *state;
	struct opsd o;
	char conf[300], log[300];
	const char *args[] = { "-c", conf, "--data-dir", h->dir, NULL };

	path_in(h, "irokpid.conf", conf, sizeof(conf));
	path_in(h, "daemon.log", log, sizeof(log));
	assert_int_equal(ops_write(conf, "[caseload]\nceiling = 100\n"
					 "[" KPI "]\ntarget = 90\n"),
	    0);
	assert_int_equal(ops_start(&o, log, args, NULL), 0);
	assert_true(ops_log_wait(&o, "ready:", READY_MS));
	assert_true(kpi_target(h) == 90.0);
	assert_true(ceiling(h) == 100.0);

	assert_int_equal(ops_write(conf, "[caseload]\nceiling = 120\n"
					 "[" KPI "]\ntarget = 77\n"
					 "[store]\nmap_size_mb = 2048\n"),
	    0);
	assert_int_equal(kill(o.pid, SIGHUP), 0);
	assert_true(ops_log_wait(&o, "reload:", READY_MS));
	assert_true(ops_log_wait(&o, "[caseload] ceiling", 1000));
	assert_true(ops_log_wait(&o, "[" KPI "] target", 1000));
	assert_true(ops_log_wait(
	    &o, "restart is needed to apply [store] map_size_mb", 1000));
	assert_true(kpi_target(h) == 77.0);
	assert_true(ceiling(h) == 120.0);

	/* A file that does not load changes nothing. */
	assert_int_equal(ops_write(conf, "[caseload]\nceiling = lots\n"), 0);
	assert_int_equal(kill(o.pid, SIGHUP), 0);
	assert_true(ops_log_wait(&o, "nothing changed", READY_MS));
	assert_true(ceiling(h) == 120.0);
	assert_int_equal(ops_stop(&o), 0);
	assert_true(ops_log_wait(&o, "stopping:", 1000));
}

/* Datagrams on the fake NOTIFY_SOCKET until all of want were seen. */
static void
test_notify_watchdog(void **state)
{
	struct harness *h = *state;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct opsd o;
	char log[300], env_sock[200], buf[1024];
	const char *args[] = { "--data-dir", h->dir, NULL };
	const char *env[] = { env_sock, "WATCHDOG_USEC=200000",
		"WATCHDOG_PID=self", NULL };
	int fd, ready = 0, pings = 0, stopping = 0, waited = 0;

	path_in(h, "notify.sock", sa.sun_path, sizeof(sa.sun_path));
	path_in(h, "daemon.log", log, sizeof(log));
	snprintf(env_sock, sizeof(env_sock), "NOTIFY_SOCKET=%s", sa.sun_path);
	fd = socket(AF_UNIX, SOCK_DGRAM, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(ops_start(&o, log, args, env), 0);
	while (waited < READY_MS && (ready == 0 || pings < 3)) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0) {
			waited += 100;
			continue;
		}
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) <= 0)
			continue;
		buf[n] = '\0';
		if (strstr(buf, "READY=1") != NULL) {
			ready++;
			/* READY only once the sockets answer. */
			assert_true(harness_events(h) >= 0);
		}
		if (strstr(buf, "WATCHDOG=1") != NULL && ready > 0)
			pings++;
	}
	assert_int_equal(ready, 1);
	assert_true(pings >= 3);
	assert_true(ops_log_wait(&o, "watchdog: ping every 100 ms", 1000));
	kill(o.pid, SIGTERM);
	for (waited = 0; waited < 10000 && stopping == 0; waited += 100) {
		struct pollfd p = { fd, POLLIN, 0 };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((n = recv(fd, buf, sizeof(buf) - 1, 0)) <= 0)
			continue;
		buf[n] = '\0';
		stopping += strstr(buf, "STOPPING=1") != NULL;
	}
	assert_int_equal(stopping, 1);
	assert_int_equal(ops_wait(&o, 10000), 0);
	close(fd);
}

/* The first n lines of src into dst. */
static void
head_lines(const char *src, const char *dst, long long n)
{
	char *text = ops_read(src), *p;
	long long i;

	assert_non_null(text);
	for (p = text, i = 0; i < n && *p != '\0'; i++) {
		char *nl = strchr(p, '\n');

		p = nl != NULL ? nl + 1 : p + strlen(p);
	}
	*p = '\0';
	assert_int_equal(ops_write(dst, text), 0);
	free(text);
}

/* `irokpi ARGS` (--json) output; the caller frees it. */
static char *
cli_out(struct harness *h, const char *const argv[])
{
	struct run r;
	char *out;

	assert_int_equal(harness_cli(h, &r, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	out = strdup(r.out);
	run_free(&r);
	return out;
}

static char *
kpi_json(struct harness *h)
{
	const char *argv[] = { "kpi", "--json", "--window", "fy2019",
		"--as-at", "2020-06-30", NULL };

	return cli_out(h, argv);
}

static void
copy_file(const char *src, const char *dst)
{
	char buf[65536];
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

static void
test_backup_restore(void **state)
{
	struct harness *a = *state, b = { .daemon = -1 }, c = { .daemon = -1 };
	const char *events = harness_data("kpi_events.jsonl");
	const char *pub[] = { "publish", "--batch", "1", "--inflight", "1",
		events, NULL };
	char bdir[300], src[400], dst[400], *ans_b, *ans_c;
	const char *backup[] = { "admin", "backup", "--json", bdir, NULL };
	struct run r;
	json_t *bk, *st;
	long long seq, total;

	assert_non_null(events);
	path_in(a, "bk", bdir, sizeof(bdir));
	assert_int_equal(harness_start(a), 0);
	/* One event a batch: seq n is line n of the file. */
	assert_int_equal(harness_cli_start(a, &r, NULL, pub), 0);
	ops_sleep(150);
	bk = cli_json(a, backup);
	assert_non_null(bk);
	assert_int_equal(harness_cli_wait(&r), 0);
	assert_int_equal(r.status, 0);
	run_free(&r);
	seq = json_integer_value(json_object_get(bk, "last_seq"));
	json_decref(bk);
	total = harness_events(a);
	fprintf(stderr, "backup at seq %lld of %lld events\n", seq, total);
	assert_true(total > 0);
	assert_true(seq <= total);
	assert_int_equal(harness_stop(a), 0);

	/* Restore: the backup's data.mdb in a fresh data folder. */
	assert_int_equal(harness_init(&b), 0);
	snprintf(src, sizeof(src), "%s/data.mdb", bdir);
	snprintf(dst, sizeof(dst), "%s/data.mdb", b.dir);
	copy_file(src, dst);
	assert_int_equal(harness_start(&b), 0);
	assert_int_equal(harness_stats(&b, &st), 0);
	assert_int_equal(
	    json_integer_value(json_object_get(st, "last_seq")), seq);
	assert_int_equal(
	    json_integer_value(json_object_get(st, "events")), seq);
	json_decref(st);
	ans_b = kpi_json(&b);

	/* The reference: a daemon fed exactly the events 1..seq. */
	assert_int_equal(harness_init(&c), 0);
	snprintf(dst, sizeof(dst), "%s/head.jsonl", c.dir);
	head_lines(events, dst, seq);
	assert_int_equal(harness_start(&c), 0);
	{
		const char *p2[] = { "publish", dst, NULL };

		assert_int_equal(harness_cli(&c, &r, NULL, p2), 0);
		assert_int_equal(r.status, 0);
		run_free(&r);
	}
	assert_int_equal(harness_events(&c), seq);
	ans_c = kpi_json(&c);
	assert_string_equal(ans_b, ans_c);
	free(ans_b);
	free(ans_c);
	assert_int_equal(harness_stop(&b), 0);
	assert_int_equal(harness_stop(&c), 0);
	harness_fini(&b);
	harness_fini(&c);
}

static bool
bytes_contain(const char *buf, size_t len, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= len; i++)
		if (memcmp(buf + i, needle, n) == 0)
			return true;
	return false;
}

/* Send {"q": "backup", "dir": DIR/name} on the DEALER s. */
static void
send_backup(void *s, struct harness *h, const char *name)
{
	char dir[300];
	msgpack_sbuffer sb;
	msgpack_packer pk;

	snprintf(dir, sizeof(dir), "%s/%s", h->dir, name);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "q", 1);
	msgpack_pack_str_with_body(&pk, "backup", 6);
	msgpack_pack_str_with_body(&pk, "dir", 3);
	msgpack_pack_str_with_body(&pk, dir, strlen(dir));
	assert_true(zmq_send(s, sb.data, sb.size, 0) >= 0);
	msgpack_sbuffer_destroy(&sb);
}

/*
 * A backup runs beside the queries.  On one connection (so the daemon
 * reads them in this order): a backup, a second backup, stats.  The daemon
 * refuses the second backup and answers stats before the first backup is
 * done.  The copy used to run in the query thread, which then answered
 * nothing else until it was done: backup, second backup, stats.
 */
static void
test_backup_beside_queries(void **state)
{
	struct harness *a = *state;
	const char *events = harness_data("kpi_events.jsonl");
	const char *pub[] = { "publish", events, NULL };
	char ep[300], reply[512], order[64] = "";
	void *ctx = zmq_ctx_new(), *s = zmq_socket(ctx, ZMQ_DEALER);
	int zero = 0, timeout = 30000;
	struct run r;

	assert_int_equal(harness_start(a), 0);
	assert_int_equal(harness_cli(a, &r, NULL, pub), 0);
	assert_int_equal(r.status, 0);
	run_free(&r);
	zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, sizeof(timeout));
	snprintf(ep, sizeof(ep), "ipc://%s/query.sock", a->dir);
	assert_int_equal(zmq_connect(s, ep), 0);
	send_backup(s, a, "bk1");
	send_backup(s, a, "bk2");
	assert_int_equal(zmq_send(s, "\x81\xa1q\xa5stats", 8, 0), 8);
	for (int i = 0; i < 3; i++) {
		int n = zmq_recv(s, reply, sizeof(reply), 0);

		assert_true(n > 0);
		if (bytes_contain(reply, (size_t)n, "being made"))
			strcat(order, "refused ");
		else if (bytes_contain(reply, (size_t)n, "seconds"))
			strcat(order, "backup ");
		else
			strcat(order, "stats ");
	}
	fprintf(stderr, "answers in order: %s\n", order);
	assert_string_equal(order, "refused stats backup ");
	zmq_close(s);
	zmq_ctx_term(ctx);
	assert_int_equal(harness_stop(a), 0);
}

/*
 * Write schema version into the stopped daemon's store, as an older irokpid
 * left it; drop: and empty the counters, which a daemon that did not
 * rebuild them would then answer from.
 */
static void
store_set_schema(const struct harness *h, uint32_t version, bool drop)
{
	MDB_val k = { 6, "schema" }, v = { sizeof(version), &version };
	MDB_dbi meta, buckets;
	MDB_env *env;
	MDB_txn *txn;

	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, STORE_MAXDBS), 0);
	assert_int_equal(mdb_env_open(env, h->dir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	assert_int_equal(mdb_put(txn, meta, &k, &v, 0), 0);
	if (drop) {
		assert_int_equal(mdb_dbi_open(txn, "buckets", 0, &buckets), 0);
		assert_int_equal(mdb_drop(txn, buckets, 0), 0);
	}
	assert_int_equal(mdb_txn_commit(txn), 0);
	mdb_env_close(env);
}

static void
test_schema_upgrade(void **state)
{
	struct harness *h = *state;
	const char *events = harness_data("kpi_events.jsonl");
	const char *due[] = { "deadlines", "--json", "--within", "3650",
		NULL };
	const char *args[] = { "--data-dir", h->dir, NULL };
	char *kpi_before, *due_before, *out, *log = NULL;

	assert_non_null(events);
	assert_int_equal(harness_start(h), 0);
	assert_int_equal(harness_publish(h, events), 0);
	kpi_before = kpi_json(h);
	due_before = cli_out(h, due);
	assert_int_equal(harness_stop(h), 0);

	store_set_schema(h, SCHEMA_REBUILDS_FROM, true);
	assert_int_equal(harness_start(h), 0);
	assert_true(harness_log_count(h, "the projections are rebuilt") == 1);
	/* An upgrade's rebuild is not one that "did not finish". */
	assert_true(harness_log_count(h, "did not finish") == 0);
	out = kpi_json(h);
	assert_string_equal(out, kpi_before);
	free(out);
	out = cli_out(h, due);
	assert_string_equal(out, due_before);
	free(out);
	assert_int_equal(harness_stop(h), 0);

	/* Upgraded once: the next start rebuilds nothing. */
	assert_int_equal(harness_start(h), 0);
	out = kpi_json(h);
	assert_string_equal(out, kpi_before);
	free(out);
	assert_int_equal(harness_stop(h), 0);
	assert_true(harness_log_count(h, "the projections are rebuilt") == 1);

	store_set_schema(h, SCHEMA_REBUILDS_FROM - 1, false);
	assert_int_not_equal(run_daemon(h, args, &log), 0);
	assert_non_null(strstr(log, "written by another irokpid (schema"));
	free(log);
	free(kpi_before);
	free(due_before);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_bad_config, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_sighup_reload, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_notify_watchdog, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_backup_restore, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_backup_beside_queries, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_schema_upgrade, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
