/*
 * Breaches under load (issue 4): a year of a large council's events from
 * irokpi-sim (1500 families, some 2,500 children and 20,000 events)
 * published month by month while the clock moves to each month's end, so
 * that both sweeps (the day turns) and batches (a deadline already due, a
 * review held late) raise breaches, with two `irokpi watch --json --from 0`
 * running from the start.  At the end every breach the log holds has
 * reached both watchers, in seq order, none twice, none missing, each as
 * the log has it.
 *
 * Environment: IRK_LOAD_FAMILIES (default 1500; 150 under IRK_VALGRIND),
 * IRK_SIM (the generator; set by CMake).
 */
#define _GNU_SOURCE

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

#include <cmocka.h>
#include <jansson.h>

#include "tests/support/harness.h"

#define WATCHERS 2
#define STEPS    13 /* April 2019 .. March 2020, then what is left */

static struct harness h;

/* The scenario's lines, each with its business date. */
struct lines {
	char **v;
	size_t n, cap;
};

static void
scenario(struct lines *ls)
{
	char path[PATH_MAX], cmd[PATH_MAX * 2], *line = NULL;
	const char *sim = getenv("IRK_SIM"),
		   *env = getenv("IRK_LOAD_FAMILIES");
	long families = harness_valgrind() ? 150 : 1500;
	size_t cap = 0;
	FILE *fp;

	assert_non_null(sim);
	if (env != NULL)
		families = strtol(env, NULL, 10);
	snprintf(path, sizeof(path), "%s/scenario.jsonl", h.dir);
	snprintf(cmd, sizeof(cmd),
	    "'%s' --seed 4 --families %ld --first-year 2019 --years 1 > '%s'",
	    sim, families, path);
	assert_int_equal(system(cmd), 0);
	assert_non_null(fp = fopen(path, "r"));
	while (getline(&line, &cap, fp) > 0) {
		if (ls->n == ls->cap) {
			ls->cap = ls->cap ? ls->cap * 2 : 4096;
			assert_non_null(
			    ls->v = realloc(ls->v, ls->cap * sizeof(*ls->v)));
		}
		assert_non_null(ls->v[ls->n++] = strdup(line));
	}
	free(line);
	fclose(fp);
	printf("load: %ld families, %zu events\n", families, ls->n);
}

/* "YYYY-MM-DD" of a line's "at", or "" */
static void
line_day(const char *line, char day[16])
{
	const char *at = strstr(line, "\"at\":\"");

	day[0] = '\0';
	if (at != NULL)
		snprintf(day, 16, "%.10s", at + 6);
}

/* The last day of month m of the financial year 2019 (0: April 2019);
 * STEPS - 1: a month after the year, for what is dated later. */
static void
step_end(int m, char day[16])
{
	static const int mdays[] = { 30, 31, 30, 31, 31, 30, 31, 30, 31, 31,
		29, 31, 30 };
	int month = (3 + m) % 12 + 1, year = 2019 + (3 + m) / 12;
	char buf[48];

	snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, mdays[m]);
	snprintf(day, 16, "%.10s", buf);
}

/* Publish the lines dated in (from, to]; everything when last. */
static void
publish_step(
    const struct lines *ls, const char *from, const char *to, bool last)
{
	char path[PATH_MAX], day[16];
	size_t i;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/step.jsonl", h.dir);
	assert_non_null(fp = fopen(path, "w"));
	for (i = 0; i < ls->n; i++) {
		line_day(ls->v[i], day);
		if ((strcmp(day, from) > 0 && strcmp(day, to) <= 0) ||
		    (last && strcmp(day, from) > 0))
			fputs(ls->v[i], fp);
	}
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(harness_publish(&h, path), 0);
}

/* Wait until the daemon's today is day: its sweep for day has run. */
static void
wait_today(const char *day)
{
	json_t *st = NULL;
	int i;
	bool seen = false;

	for (i = 0; i < 200 && !seen; i++) {
		if (harness_stats(&h, &st) == 0) {
			seen = strcmp(json_string_value(
					  json_object_get(st, "today")),
				   day) == 0;
			json_decref(st);
		}
		if (!seen)
			usleep(50000);
	}
	assert_true(seen);
}

/* The whole log as "seq topic" lines, paged; its last seq in *last. */
static char *
log_all(uint64_t *last)
{
	json_t *req, *reply, *b;
	size_t i, len = 0, cap = 1 << 16;
	char *out;
	bool more = true;

	*last = 0;
	assert_non_null(out = malloc(cap));
	out[0] = '\0';
	while (more) {
		assert_non_null(req = json_pack("{s:s, s:I}", "q", "breaches",
				    "after", (json_int_t)*last));
		assert_int_equal(harness_query(&h, req, 10000, &reply), 0);
		json_decref(req);
		more = json_is_true(json_object_get(reply, "more"));
		json_array_foreach(json_object_get(reply, "breaches"), i, b)
		{
			if (len + 256 > cap)
				assert_non_null(out = realloc(out, cap *= 2));
			*last = (uint64_t)json_integer_value(
			    json_object_get(b, "seq"));
			len += (size_t)snprintf(out + len, cap - len,
			    "%llu %s\n", (unsigned long long)*last,
			    json_string_value(json_object_get(b, "topic")));
		}
		json_decref(reply);
	}
	return out;
}

/* A watcher's output as "seq topic" lines; NULL when a line is not a
 * breach. */
static char *
watched(const char *json_lines)
{
	const char *p = json_lines, *nl;
	size_t len = 0, cap = strlen(json_lines) + 1;
	json_error_t err;
	json_t *b;
	char *out;

	assert_non_null(out = malloc(cap));
	out[0] = '\0';
	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		b = json_loadb(p, (size_t)(nl - p), 0, &err);
		if (b == NULL || !json_is_integer(json_object_get(b, "seq"))) {
			json_decref(b);
			free(out);
			return NULL;
		}
		len += (size_t)snprintf(out + len, cap - len, "%llu %s\n",
		    (unsigned long long)json_integer_value(
			json_object_get(b, "seq")),
		    json_string_value(json_object_get(b, "topic")));
		json_decref(b);
	}
	return out;
}

static void
test_breach_load(void **state)
{
	struct lines ls = { 0 };
	struct run w[WATCHERS];
	char clk[PATH_MAX], from[16] = "0000-00-00", to[16], *log, *seen,
			    *text;
	uint64_t last;
	size_t i;
	int m, k, tries;
	time_t t0 = time(NULL);

	(void)state;
	scenario(&ls);
	snprintf(clk, sizeof(clk), "%s/clock", h.dir);
	assert_int_equal(harness_set_clock(&h, "2019-04-01"), 0);
	assert_int_equal(harness_start_with(&h,
			     (const char *const[]){ "--clock", clk, NULL }),
	    0);
	for (k = 0; k < WATCHERS; k++)
		assert_int_equal(harness_cli_start(&h, &w[k], NULL,
				     (const char *[]){ "watch", "--json",
					 "--from", "0", NULL }),
		    0);
	for (m = 0; m < STEPS; m++) {
		step_end(m, to);
		assert_int_equal(harness_set_clock(&h, to), 0);
		wait_today(to);
		publish_step(&ls, from, to, m == STEPS - 1);
		memcpy(from, to, sizeof(from));
	}
	log = log_all(&last);
	printf("load: %llu breaches, published in %lds\n",
	    (unsigned long long)last, (long)(time(NULL) - t0));
	assert_true(last > 100);
	/* Each watcher shows the whole log, in order, each once. */
	for (k = 0; k < WATCHERS; k++) {
		seen = NULL;
		for (tries = 0; tries < 300; tries++) {
			free(seen);
			text = harness_slurp(w[k].out_path, NULL);
			seen = text != NULL ? watched(text) : NULL;
			free(text);
			if (seen != NULL && strcmp(seen, log) == 0)
				break;
			usleep(100000);
		}
		assert_non_null(seen);
		assert_string_equal(seen, log);
		free(seen);
		kill(w[k].pid, SIGTERM);
		assert_int_equal(harness_cli_wait(&w[k]), 0);
		assert_int_equal(w[k].status, 0);
		run_free(&w[k]);
	}
	free(log);
	for (i = 0; i < ls.n; i++)
		free(ls.v[i]);
	free(ls.v);
	assert_int_equal(harness_stop(&h), 0);
}

static int
setup(void **state)
{
	(void)state;
	if (harness_irokpid() == NULL || harness_irokpi() == NULL)
		return -1;
	return harness_init(&h);
}

static int
teardown(void **state)
{
	(void)state;
	harness_fini(&h);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_breach_load),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
