/*
 * The crash test (issue 6): a publisher feeds an irokpi-sim scenario while
 * the daemon is killed with SIGKILL at random moments, many times.
 *
 * `irokpi publish` keeps running across the restarts (its DEALER reconnects
 * and it resends every batch not acknowledged within --resend); when it has
 * finished, it is started again on the same file, so the later kills land
 * on batches of duplicates.  At the end, with the daemon up and the
 * publisher done:
 *
 *  - every event is in the log exactly once: stats "events" equals the
 *    number of distinct ids in the file, and `irokpi child` shows each
 *    sampled child's events with no id twice and as many as the file has;
 *  - nothing half-applied: `irokpi kpi --json` for several windows is
 *    byte-identical before and after `irokpi admin rebuild`, and again
 *    after a clean restart.
 *
 * Environment: IRK_CRASH_KILLS (default 200; 50 under IRK_VALGRIND),
 * IRK_CRASH_EVENTS (scenario lines, default 50000), IRK_CRASH_SEED (the
 * random kill times and the scenario; printed, so a failure can be
 * replayed), IRK_SIM (the generator; set by CMake).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <jansson.h>

#include "tests/support/harness.h"

#define SAMPLE_CHILDREN 8

static const char *const windows[][2] = {
	{ "fy2019", "2020-06-30" },
	{ "2019Q3", "2020-06-30" },
	{ "2020-02", "2020-06-30" },
	{ "rolling12", "2020-12-31" },
	{ "2019-04-01..2021-03-31", "2021-03-31" },
	{ "fytd", "2021-01-15" },
};

static long
env_long(const char *name, long dflt)
{
	const char *s = getenv(name);
	return s != NULL && *s != '\0' ? strtol(s, NULL, 10) : dflt;
}

/* Run irokpi-sim into DIR/scenario.jsonl; returns the path (static). */
static const char *
make_scenario(struct harness *h, long events, unsigned seed)
{
	static char path[PATH_MAX];
	char cmd[PATH_MAX * 2];
	const char *sim = getenv("IRK_SIM");

	assert_non_null(sim);
	snprintf(path, sizeof(path), "%s/scenario.jsonl", h->dir);
	snprintf(cmd, sizeof(cmd),
	    "'%s' --seed %u --events %ld --first-year 2019 --years 2 "
	    "> '%s'",
	    sim, seed, events, path);
	assert_int_equal(system(cmd), 0);
	return path;
}

/* Distinct ids in the file, and per child for the first few children. */
struct expect {
	size_t ids;
	char child[SAMPLE_CHILDREN][64];
	size_t child_ids[SAMPLE_CHILDREN];
	size_t nchild;
};

static void
scan_scenario(const char *path, struct expect *x)
{
	json_t *seen = json_object(), *per = json_object();
	char *line = NULL;
	size_t cap = 0;
	FILE *f = fopen(path, "r");

	assert_non_null(f);
	memset(x, 0, sizeof(*x));
	while (getline(&line, &cap, f) > 0) {
		json_t *ev = json_loads(line, 0, NULL);
		const char *id, *child, *type;

		assert_non_null(ev);
		id = json_string_value(json_object_get(ev, "id"));
		child = json_string_value(json_object_get(ev, "child"));
		type = json_string_value(json_object_get(ev, "type"));
		/* `irokpi child` does not list retractions. */
		if (type != NULL && strcmp(type, "event.retracted") == 0)
			child = NULL;
		assert_non_null(id);
		if (json_object_get(seen, id) == NULL) {
			json_object_set_new(seen, id, json_true());
			if (child != NULL) {
				json_t *n = json_object_get(per, child);
				if (n == NULL && x->nchild < SAMPLE_CHILDREN) {
					strncpy(x->child[x->nchild], child,
					    sizeof(x->child[0]) - 1);
					x->nchild++;
					n = json_integer(0);
					json_object_set_new(per, child, n);
				}
				if (n != NULL)
					json_integer_set(
					    n, json_integer_value(n) + 1);
			}
		}
		json_decref(ev);
	}
	free(line);
	fclose(f);
	x->ids = json_object_size(seen);
	for (size_t i = 0; i < x->nchild; i++)
		x->child_ids[i] = (size_t)json_integer_value(
		    json_object_get(per, x->child[i]));
	json_decref(seen);
	json_decref(per);
}

/* Every window's `kpi --json` output, concatenated; caller frees. */
static char *
all_kpis(struct harness *h)
{
	size_t total = 0;
	char *all = NULL;

	for (size_t i = 0; i < sizeof(windows) / sizeof(windows[0]); i++) {
		const char *argv[] = { "kpi", "--json", "--window",
			windows[i][0], "--as-at", windows[i][1], NULL };
		struct run r;
		assert_int_equal(harness_cli(h, &r, NULL, argv), 0);
		if (r.status != 0)
			fprintf(stderr, "kpi %s: %s", windows[i][0], r.err);
		assert_int_equal(r.status, 0);
		assert_true(r.out_len > 10);
		all = realloc(all, total + r.out_len + 1);
		assert_non_null(all);
		memcpy(all + total, r.out, r.out_len + 1);
		total += r.out_len;
		run_free(&r);
	}
	return all;
}

/*
 * `admin rebuild`, with `kpi` asked again and again while it runs: each
 * answer is the one before the rebuild, or a refusal that says the
 * projections are part rebuilt; never a KPI counted over half the
 * children.
 */
static void
rebuild_never_half(struct harness *h)
{
	const char *rebuild[] = { "admin", "rebuild", NULL };
	const char *kpi[] = { "kpi", "--json", "--window", windows[0][0],
		"--as-at", windows[0][1], NULL };
	struct run rb, r;
	char *want;
	int refused = 0, same = 0, rc;

	assert_int_equal(harness_cli(h, &r, NULL, kpi), 0);
	assert_int_equal(r.status, 0);
	want = strdup(r.out);
	run_free(&r);
	assert_int_equal(harness_cli_start(h, &rb, NULL, rebuild), 0);
	while ((rc = harness_cli_poll(&rb)) == 0) {
		assert_int_equal(harness_cli(h, &r, NULL, kpi), 0);
		if (r.status == 0) {
			assert_string_equal(r.out, want);
			same++;
		} else {
			if (strstr(r.err, "part rebuilt") == NULL)
				fprintf(
				    stderr, "kpi during rebuild: %s", r.err);
			assert_non_null(strstr(r.err, "part rebuilt"));
			refused++;
		}
		run_free(&r);
	}
	assert_int_equal(rc, 1);
	assert_int_equal(rb.status, 0);
	run_free(&rb);
	free(want);
	fprintf(stderr,
	    "during the rebuild: %d kpi answers refused, %d whole\n", refused,
	    same);
}

/* Each sampled child: as many events as distinct ids, none twice. */
static void
check_children(struct harness *h, const struct expect *x)
{
	for (size_t i = 0; i < x->nchild; i++) {
		const char *argv[] = { "child", "--json", x->child[i], NULL };
		json_t *reply, *events, *ids;
		struct run r;
		size_t k;
		json_t *e;

		assert_int_equal(harness_cli(h, &r, NULL, argv), 0);
		assert_int_equal(r.status, 0);
		reply = json_loads(r.out, 0, NULL);
		assert_non_null(reply);
		events = json_object_get(reply, "events");
		assert_true(json_is_array(events));
		ids = json_object();
		json_array_foreach(events, k, e)
		{
			const char *id =
			    json_string_value(json_object_get(e, "id"));
			assert_non_null(id);
			assert_null(json_object_get(ids, id)); /* once */
			json_object_set_new(ids, id, json_true());
		}
		assert_int_equal(json_array_size(events), x->child_ids[i]);
		json_decref(ids);
		json_decref(reply);
		run_free(&r);
	}
}

static void
test_crash_kill9(void **state)
{
	long kills =
	    env_long("IRK_CRASH_KILLS", harness_valgrind() ? 50 : 200);
	long nevents = env_long("IRK_CRASH_EVENTS", 50000);
	unsigned seed = (unsigned)env_long("IRK_CRASH_SEED", (long)time(NULL));
	const char *pub_argv[] = { "publish", "--batch", "200", "--inflight",
		"4", "--resend", "300", "--timeout", "120000", NULL, NULL };
	struct harness h;
	struct expect x;
	struct run pub;
	bool running = false;
	long publishes = 0, mid_publish = 0;
	time_t t0 = time(NULL);
	char *before, *after;
	const char *path;
	long long events;

	(void)state;
	fprintf(stderr, "crash test: seed %u, %ld kills, %ld events\n", seed,
	    kills, nevents);
	srand(seed);
	assert_int_equal(harness_init(&h), 0);
	path = make_scenario(&h, nevents, seed);
	scan_scenario(path, &x);
	pub_argv[9] = path;

	for (long k = 0; k < kills; k++) {
		/* Kill anywhere from during recovery to well into ingest. */
		struct timespec life = { 0, (long)(rand() % 400) * 1000000L };

		assert_int_equal(harness_start(&h), 0);
		if (!running) {
			assert_int_equal(
			    harness_cli_start(&h, &pub, NULL, pub_argv), 0);
			running = true;
			publishes++;
		}
		nanosleep(&life, NULL);
		/* Every fifth round a query is in flight at the kill too: a
		 * reader slot left behind.  (The daemon, first to open the
		 * store after a kill, has LMDB reset the reader table.) */
		if (k % 5 == 0) {
			const char *argv[] = { "kpi", "--json", "--window",
				"fy2019", NULL };
			struct run q;
			struct timespec t = { 0, 20000000L };
			assert_int_equal(
			    harness_cli_start(&h, &q, NULL, argv), 0);
			nanosleep(&t, NULL);
			assert_int_equal(harness_kill(&h), 128 + SIGKILL);
			assert_int_equal(
			    harness_cli_wait(&q), 0); /* any status */
			run_free(&q);
			assert_int_equal(harness_start(&h), 0);
		}
		switch (harness_cli_poll(&pub)) {
		case 0:
			mid_publish++;
			break;
		case 1: /* done: start it again on the next round */
			if (pub.status != 0)
				fprintf(
				    stderr, "publish: %s%s", pub.out, pub.err);
			assert_int_equal(pub.status, 0);
			run_free(&pub);
			running = false;
			break;
		default:
			fail();
		}
		assert_int_equal(harness_kill(&h), 128 + SIGKILL);
	}

	/* The last start: let the publisher finish, then once more. */
	assert_int_equal(harness_start(&h), 0);
	if (running) {
		assert_int_equal(harness_cli_wait(&pub), 0);
		if (pub.status != 0)
			fprintf(stderr, "publish: %s\n%s", pub.out, pub.err);
		assert_int_equal(pub.status, 0);
		run_free(&pub);
	}
	assert_int_equal(harness_cli(&h, &pub, NULL, pub_argv), 0);
	assert_int_equal(pub.status, 0);
	/* Everything was stored before: all duplicates now. */
	assert_non_null(strstr(pub.out, "stored 0,"));
	run_free(&pub);

	events = harness_events(&h);
	fprintf(stderr,
	    "crash test: %ld kills (%ld mid-publish), %ld publish runs, "
	    "%lld events stored, %zu distinct ids, %lds\n",
	    kills, mid_publish, publishes, events, x.ids,
	    (long)(time(NULL) - t0));
	assert_int_equal(events, (long long)x.ids);
	check_children(&h, &x);

	before = all_kpis(&h);
	rebuild_never_half(&h);
	after = all_kpis(&h);
	assert_string_equal(before, after);
	free(after);

	/* And a clean restart answers the same. */
	assert_int_equal(harness_stop(&h), 0);
	assert_int_equal(harness_start(&h), 0);
	after = all_kpis(&h);
	assert_string_equal(before, after);
	assert_int_equal(harness_events(&h), (long long)x.ids);
	free(after);
	free(before);
	assert_int_equal(harness_stop(&h), 0);
	harness_fini(&h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crash_kill9),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
