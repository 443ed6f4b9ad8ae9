/*
 * The irokpi CLI against the real irokpid: what scripts rely on.
 *
 *  - publish of a fixture with duplicates, a retraction and bad lines: the
 *    exact summary line, every reject as FILE:LINE: id ID: FIELD: reason on
 *    stderr in line order, exit 1, and the good lines stored;
 *  - the same events shuffled (seeded; IRK_SEED replays a seed) into a
 *    second daemon, in small batches: byte-identical `kpi --json`;
 *  - kill -9 of the daemon in the middle of a 50,000-event publish, a
 *    restart on the same folder: the publish completes by itself, a second
 *    publish of the file stores nothing new, and every distinct id is stored
 *    exactly once;
 *  - --help everywhere, a bad window, usage errors, and no daemon at all.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "domain/err.h"
#include "tests/support/harness.h"

struct fixture {
	struct harness a, b;
};

static int
setup(void **state)
{
	struct fixture *f;

	if (harness_irokpid() == NULL || harness_irokpi() == NULL)
		return -1;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	if (harness_init(&f->a) != 0 || harness_init(&f->b) != 0) {
		harness_fini(&f->a);
		free(f);
		return -1;
	}
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;

	harness_fini(&f->a);
	harness_fini(&f->b);
	free(f);
	return 0;
}

/* The i-th line of s (0-based) into buf; "" past the end. */
static const char *
nth_line(const char *s, size_t i, char *buf, size_t len)
{
	const char *e;

	while (i-- > 0 && s != NULL && (s = strchr(s, '\n')) != NULL)
		s++;
	if (s == NULL || *s == '\0')
		return "";
	e = strchr(s, '\n');
	snprintf(
	    buf, len, "%.*s", (int)(e != NULL ? e - s : (long)strlen(s)), s);
	return buf;
}

static void
assert_prefix(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) != 0)
		fail_msg("\"%s\" does not start with \"%s\"", s, prefix);
}

/* "events" of `irokpi stats --json`, the way a script would read it. */
static long long
cli_events(struct harness *h)
{
	struct run r;
	json_t *j;
	long long n;

	assert_int_equal(harness_cli(h, &r, NULL,
			     (const char *[]){ "stats", "--json", NULL }),
	    0);
	assert_int_equal(r.status, 0);
	assert_int_equal(harness_count_lines(r.out, ""), 1);
	assert_non_null(j = json_loads(r.out, 0, NULL));
	assert_true(json_is_integer(json_object_get(j, "events")));
	n = json_integer_value(json_object_get(j, "events"));
	json_decref(j);
	run_free(&r);
	return n;
}

/* ---- (a) publish of a mixed fixture ---- */

static void
test_publish_mixed(void **state)
{
	struct fixture *f = *state;
	struct run r;
	char file[PATH_MAX], want[PATH_MAX + 64], line[1024];
	/* publish_mixed.jsonl: line, id, field of every bad line */
	static const struct {
		int line;
		const char *id, *field;
	} bad[] = {
		{ 6, "m-bad-json", "(event)" },   /* not JSON */
		{ 7, "m-unknown", "type" },       /* unknown type */
		{ 8, "m-enum", "participation" }, /* PN9 */
		{ 9, "m-missing", "iro" },        /* required field absent */
		{ 10, "m-date", "at" },           /* 2019-02-30 */
		{ 17, "-", "(event)" },           /* not JSON, no id */
	};
	size_t i;

	snprintf(
	    file, sizeof(file), "%s", harness_data("publish_mixed.jsonl"));
	assert_int_equal(harness_start(&f->a), 0);
	assert_int_equal(harness_cli(&f->a, &r, NULL,
			     (const char *[]){ "publish", file, NULL }),
	    0);
	assert_string_equal(r.out, "stored 8, duplicates 2, rejected 6\n");
	assert_int_equal(r.status, 1);
	assert_int_equal(harness_count_lines(r.err, ""), NITEMS(bad));
	for (i = 0; i < NITEMS(bad); i++) {
		snprintf(want, sizeof(want), "%s:%d: id %s: %s: ", file,
		    bad[i].line, bad[i].id, bad[i].field);
		assert_prefix(nth_line(r.err, i, line, sizeof(line)), want);
		assert_true(strlen(line) > strlen(want)); /* a reason */
	}
	run_free(&r);
	/* 8 good lines: the retraction counts, the duplicates do not. */
	assert_int_equal(cli_events(&f->a), 8);

	/* Again, from standard input: all duplicates, same rejects. */
	assert_int_equal(
	    harness_cli(&f->a, &r, file, (const char *[]){ "publish", NULL }),
	    0);
	assert_string_equal(r.out, "stored 0, duplicates 10, rejected 6\n");
	assert_int_equal(r.status, 1);
	assert_prefix(r.err, "-:6: id m-bad-json: (event): ");
	run_free(&r);
	assert_int_equal(cli_events(&f->a), 8);
}

/* ---- (b) arrival order does not matter ---- */

static uint64_t rng;

static uint64_t
rand64(void)
{
	/* xorshift64*: small, seedable, the same everywhere */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * UINT64_C(2685821657736338717);
}

static size_t
read_lines(const char *path, char ***out)
{
	char **v = NULL, *line = NULL, **p;
	size_t n = 0, cap = 0, lcap = 0;
	ssize_t len;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL)
		fail_msg("cannot open %s", path);
	while ((len = getline(&line, &lcap, fp)) > 0) {
		if (n == cap) {
			cap = cap == 0 ? 256 : cap * 2;
			if ((p = realloc(v, cap * sizeof(*v))) == NULL)
				fail();
			v = p;
		}
		v[n++] = strdup(line);
	}
	free(line);
	fclose(fp);
	*out = v;
	return n;
}

static void
kpi_json(
    struct harness *h, const char *window, const char *as_at, struct run *r)
{
	assert_int_equal(harness_cli(h, r, NULL,
			     (const char *[]){ "kpi", "--json", "--window",
				 window, "--as-at", as_at, NULL }),
	    0);
	if (r->status != 0)
		fail_msg("kpi exit %d: %s", r->status, r->err);
	assert_true(r->out_len > 2);
	assert_int_equal(r->out[0], '{');
	assert_int_equal(harness_count_lines(r->out, ""), 1);
}

static void
test_shuffled_same_kpis(void **state)
{
	struct fixture *f = *state;
	static const char *queries[][2] = {
		{ "fy2019", "2020-06-30" },
		{ "2019Q3", "2020-06-30" },
		{ "2019-04-01..2020-06-30", "2020-06-30" },
		{ "fytd", "2019-12-31" },
		{ "rolling12", "2020-03-31" },
	};
	char src[PATH_MAX], shuffled[PATH_MAX], *tmp, **lines = NULL;
	const char *seed_env = getenv("IRK_SEED");
	struct run r, ra, rb;
	size_t i, j, n;
	uint64_t seed;
	FILE *fp;

	seed = seed_env != NULL ? strtoull(seed_env, NULL, 0)
				: (uint64_t)time(NULL) ^ (uint64_t)getpid();
	print_message("shuffle seed %llu (set IRK_SEED to replay)\n",
	    (unsigned long long)seed);
	rng = seed != 0 ? seed : 1;

	snprintf(src, sizeof(src), "%s", harness_data("kpi_events.jsonl"));
	n = read_lines(src, &lines);
	assert_true(n > 100);
	for (i = n - 1; i > 0; i--) {
		j = (size_t)(rand64() % (i + 1));
		tmp = lines[i];
		lines[i] = lines[j];
		lines[j] = tmp;
	}
	snprintf(shuffled, sizeof(shuffled), "%s/shuffled.jsonl", f->b.dir);
	assert_non_null(fp = fopen(shuffled, "w"));
	for (i = 0; i < n; i++) {
		fputs(lines[i], fp);
		free(lines[i]);
	}
	free(lines);
	assert_int_equal(fclose(fp), 0);

	assert_int_equal(harness_start(&f->a), 0);
	assert_int_equal(harness_start(&f->b), 0);
	assert_int_equal(harness_cli(&f->a, &r, NULL,
			     (const char *[]){ "publish", src, NULL }),
	    0);
	assert_int_equal(r.status, 0);
	run_free(&r);
	/* Small batches, a narrow window, and everything twice. */
	for (i = 0; i < 2; i++) {
		assert_int_equal(
		    harness_cli(&f->b, &r, NULL,
			(const char *[]){ "publish", "--batch", "7",
			    "--inflight", "3", shuffled, NULL }),
		    0);
		assert_int_equal(r.status, 0);
		run_free(&r);
	}
	assert_int_equal(harness_events(&f->a), (long long)n);
	assert_int_equal(harness_events(&f->b), (long long)n);

	for (i = 0; i < NITEMS(queries); i++) {
		kpi_json(&f->a, queries[i][0], queries[i][1], &ra);
		kpi_json(&f->b, queries[i][0], queries[i][1], &rb);
		if (strcmp(ra.out, rb.out) != 0)
			fail_msg("kpi --window %s --as-at %s differs (seed "
				 "%llu):\nin order: %s\nshuffled: %s",
			    queries[i][0], queries[i][1],
			    (unsigned long long)seed, ra.out, rb.out);
		run_free(&ra);
		run_free(&rb);
	}
}

/* ---- (c) kill -9 during a publish ---- */

#define GEN_CHILDREN 6500

/*
 * About 52,000 valid events: children registered, looked after, reviewed
 * (with uploads), every third one also through strategy, conference and
 * plan.  Every 997th line is written twice.  Returns the number of lines;
 * *distinct gets the number of distinct ids.
 */
static size_t
generate(const char *path, size_t *distinct)
{
	char ev[512];
	size_t lines = 0, ids = 0;
	int c, k, m, day;
	FILE *fp;

	if ((fp = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s", path);
#define EMIT(...)                                      \
	do {                                           \
		snprintf(ev, sizeof(ev), __VA_ARGS__); \
		fputs(ev, fp);                         \
		lines++;                               \
		ids++;                                 \
		if (lines % 997 == 0) {                \
			fputs(ev, fp);                 \
			lines++;                       \
		}                                      \
	} while (0)
	for (c = 0; c < GEN_CHILDREN; c++) {
		m = 1 + c % 12;
		day = 1 + c % 28;
		EMIT("{\"id\":\"g%d-reg\",\"type\":\"child.registered\","
		     "\"at\":\"2018-%02d-%02d\",\"child\":\"G%d\","
		     "\"dob\":\"%d-%02d\",\"gender\":\"%c\"}\n",
		    c, m, day, c, 2003 + c % 15, m, "FMU"[c % 3]);
		EMIT("{\"id\":\"g%d-iro\",\"type\":\"iro.allocated\","
		     "\"at\":\"2018-%02d-%02d\",\"child\":\"G%d\","
		     "\"iro\":\"IRO-%d\"}\n",
		    c, m, day, c, c % 40);
		EMIT("{\"id\":\"g%d-lac\",\"type\":\"lac.started\","
		     "\"at\":\"2018-%02d-%02d\",\"child\":\"G%d\","
		     "\"legal_status\":\"C2\"}\n",
		    c, m, day, c);
		for (k = 0; k < 2; k++) {
			EMIT("{\"id\":\"g%d-rev%d\",\"type\":\"review.held\","
			     "\"at\":\"%d-%02d-%02d\",\"child\":\"G%d\","
			     "\"iro\":\"IRO-%d\",\"participation\":\"PN%d\","
			     "\"sw_report_at\":null,\"permanence_plan\":%s}\n",
			    c, k, 2019 + k, m, day, c, c % 40, c % 8,
			    c % 2 ? "true" : "false");
			EMIT("{\"id\":\"g%d-rec%d\","
			     "\"type\":\"review.record_uploaded\","
			     "\"at\":\"%d-%02d-%02d\",\"child\":\"G%d\","
			     "\"review_at\":\"%d-%02d-%02d\"}\n",
			    c, k, 2019 + k, m, day < 20 ? day + 5 : day, c,
			    2019 + k, m, day);
		}
		if (c % 3 == 0) {
			EMIT("{\"id\":\"g%d-str\",\"type\":\"strategy.held\","
			     "\"at\":\"2019-%02d-%02d\",\"child\":\"G%d\"}\n",
			    c, m, day, c);
			EMIT("{\"id\":\"g%d-icpc\","
			     "\"type\":\"conference.held\","
			     "\"at\":\"2019-%02d-%02d\",\"child\":\"G%d\","
			     "\"kind\":\"initial\",\"iro\":\"IRO-%d\","
			     "\"outcome\":\"plan\","
			     "\"report_to_parents_at\":null}\n",
			    c, m, day < 20 ? day + 8 : day, c, c % 40);
			EMIT("{\"id\":\"g%d-plan\","
			     "\"type\":\"cp_plan.started\","
			     "\"at\":\"2019-%02d-%02d\",\"child\":\"G%d\","
			     "\"category\":\"neglect\"}\n",
			    c, m, day < 20 ? day + 8 : day, c);
		}
	}
#undef EMIT
	if (fclose(fp) != 0)
		fail_msg("cannot write %s", path);
	*distinct = ids;
	return lines;
}

static void
test_kill9_exactly_once(void **state)
{
	struct fixture *f = *state;
	char file[PATH_MAX], want[128];
	struct run pub, r;
	size_t lines, distinct;
	long long at_kill = -1;
	int done;

	snprintf(file, sizeof(file), "%s/generated.jsonl", f->b.dir);
	lines = generate(file, &distinct);
	assert_true(lines >= 50000);

	assert_int_equal(harness_start(&f->a), 0);
	/* Small batches, so that the kill lands in the middle. */
	assert_int_equal(harness_cli_start(&f->a, &pub, NULL,
			     (const char *[]){ "publish", "--batch", "100",
				 "--timeout", "60000", file, NULL }),
	    0);
	while ((done = harness_cli_poll(&pub)) == 0) {
		if ((at_kill = harness_events(&f->a)) >= 5000)
			break;
	}
	assert_true(done >= 0);
	assert_int_equal(harness_kill(&f->a), 128 + 9);
	if (done)
		print_message("publish ended before the kill; the test "
			      "proves less\n");
	else
		print_message("killed at %lld events stored\n", at_kill);

	/* The same folder again: the publish must finish by itself. */
	assert_int_equal(harness_start(&f->a), 0);
	if (!done)
		assert_int_equal(harness_cli_wait(&pub), 0);
	if (pub.status != 0)
		fail_msg("publish exit %d: %s", pub.status, pub.err);
	snprintf(want, sizeof(want), "rejected 0\n");
	assert_non_null(strstr(pub.out, want));
	{
		unsigned long long s = 0, d = 0;

		assert_int_equal(
		    sscanf(pub.out, "stored %llu, duplicates %llu", &s, &d),
		    2);
		assert_int_equal(s + d, lines);
	}
	run_free(&pub);

	assert_int_equal(harness_cli(&f->a, &r, NULL,
			     (const char *[]){ "publish", file, NULL }),
	    0);
	snprintf(want, sizeof(want), "stored 0, duplicates %zu, rejected 0\n",
	    lines);
	assert_string_equal(r.out, want);
	assert_int_equal(r.status, 0);
	run_free(&r);
	assert_int_equal(cli_events(&f->a), (long long)distinct);

	/* And once more after a clean stop. */
	assert_int_equal(harness_stop(&f->a), 0);
	assert_int_equal(harness_start(&f->a), 0);
	assert_int_equal(harness_events(&f->a), (long long)distinct);
}

/* ---- (d) help, errors, no daemon ---- */

static void
expect_exit(struct harness *h, int status, const char *out_prefix,
    const char *err_prefix, const char *const argv[])
{
	struct run r;

	assert_int_equal(harness_cli(h, &r, NULL, argv), 0);
	if (r.status != status)
		fail_msg("%s %s: exit %d, not %d; stderr: %s", argv[0],
		    argv[1] != NULL ? argv[1] : "", r.status, status, r.err);
	if (out_prefix != NULL)
		assert_prefix(r.out, out_prefix);
	if (err_prefix != NULL)
		assert_prefix(r.err, err_prefix);
	run_free(&r);
}

static void
test_help_and_errors(void **state)
{
	struct fixture *f = *state;
	char file[PATH_MAX];
	struct run r;
	time_t t0;

	snprintf(
	    file, sizeof(file), "%s", harness_data("publish_mixed.jsonl"));
	/* No daemon needed for these. */
	expect_exit(
	    &f->b, 0, "usage: irokpi", "", (const char *[]){ "--help", NULL });
	expect_exit(&f->b, 0, "usage: irokpi publish", "",
	    (const char *[]){ "publish", "--help", NULL });
	expect_exit(&f->b, 0, "usage: irokpi kpi", "",
	    (const char *[]){ "kpi", "--help", NULL });
	expect_exit(&f->b, 0, "usage: irokpi stats", "",
	    (const char *[]){ "stats", "--help", NULL });
	expect_exit(
	    &f->b, 0, "irokpi ", "", (const char *[]){ "--version", NULL });
	expect_exit(
	    &f->b, 2, "", "irokpi: ", (const char *[]){ "frobnicate", NULL });
	expect_exit(&f->b, 2, "",
	    "irokpi: kpi: ", (const char *[]){ "kpi", "--bogus", NULL });
	expect_exit(&f->b, 2, "", "irokpi: publish: ",
	    (const char *[]){ "publish", "--batch", "0", file, NULL });
	expect_exit(&f->b, 2, "", "irokpi: publish: ",
	    (const char *[]){ "publish", "/nonexistent/events.jsonl", NULL });

	/* No daemon: a clear message and exit 2, within the timeout. */
	t0 = time(NULL);
	expect_exit(&f->b, 2, NULL, "irokpi: publish: ",
	    (const char *[]){ "publish", "--timeout", "1000", file, NULL });
	expect_exit(&f->b, 2, "",
	    "irokpi: ", (const char *[]){ "stats", "--timeout", "500", NULL });
	expect_exit(&f->b, 2, "",
	    "irokpi: ", (const char *[]){ "kpi", "--timeout", "500", NULL });
	assert_true(time(NULL) - t0 < 10);

	/* With a daemon: a bad window and an unknown KPI are refused. */
	assert_int_equal(harness_start(&f->a), 0);
	expect_exit(&f->a, 1, "",
	    "irokpi: ", (const char *[]){ "kpi", "--window", "fy20x9", NULL });
	expect_exit(&f->a, 1, "",
	    "irokpi: ", (const char *[]){ "kpi", "no.such_kpi", NULL });
	expect_exit(
	    &f->a, 0, "events: 0\n", "", (const char *[]){ "stats", NULL });
	/* Global options after the subcommand work too. */
	assert_int_equal(harness_cli(&f->a, &r, NULL,
			     (const char *[]){ "stats", "--json", "--timeout",
				 "3000", NULL }),
	    0);
	assert_int_equal(r.status, 0);
	assert_prefix(r.out, "{");
	assert_non_null(strstr(r.out, "\"events\":0"));
	run_free(&r);
	expect_exit(&f->a, 0, "window ", "",
	    (const char *[]){
		"kpi", "--window", "fy2019", "--as-at", "2020-06-30", NULL });
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_publish_mixed, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_shuffled_same_kpis, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_kill9_exactly_once, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_help_and_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
