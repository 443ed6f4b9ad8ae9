/*
 * Breaches against the real irokpid, its clock moved through --clock FILE,
 * heard on the real PUB socket and asked for with the breaches query:
 *
 *  - two children enter care; the second's start is retracted, which
 *    removes its deadline: nothing is ever raised for it;
 *  - moving the clock to the day before the first review is due gives one
 *    due_soon, the day after it one overdue, a later day nothing; a late
 *    review then gives one met_late (and, in its own batch, due_soon for
 *    its decisions, whose deadline is within the horizon already);
 *  - the breaches query returns the four in order, once each, and pages;
 *  - irokpi deadlines lists B01's review and not B02's;
 *  - irokpi watch stopped after two breaches resumes from its state file
 *    with the other two, in order, once;
 *  - after a restart nothing is published again, and the heartbeat carries
 *    the last seq; a live watcher (topic filter, resuming from its state)
 *    hears the next overdue, and the review's own breaches never recur;
 *  - kpi_rag_changed (test_kpi_rag): once per change of a KPI's fytd RAG,
 *    never again after a restart, on SIGHUP when targets change;
 *  - the IRO in breaches and deadlines --iro, no met_late for a review
 *    outstanding when the child left care, and a plan reaching 9 months
 *    (test_iro_and_left_care);
 *  - over_ceiling once per crossing of an IRO's caseload over the ceiling
 *    (test_caseload_over_ceiling).
 */
#define _GNU_SOURCE

#include <errno.h>
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
#include <msgpack.h>
#include <zmq.h>

#include "tests/support/harness.h"

#define START "2020-01-06"

static struct harness h;
static void *zctx;
static void *sub; /* closed by teardown after a failure */

static long long
ms_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
set_clock(const char *day)
{
	assert_int_equal(harness_set_clock(&h, day), 0);
}

static void
write_file(const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", h.dir, name);
	assert_non_null(fp = fopen(path, "w"));
	fputs(text, fp);
	assert_int_equal(fclose(fp), 0);
}

/* irokpid --data-dir DIR --clock DIR/clock --config DIR/irokpid.conf -v,
 * under valgrind with IRK_VALGRIND. */
static int
start_daemon(void)
{
	char clk[PATH_MAX], conf[PATH_MAX];

	snprintf(clk, sizeof(clk), "%s/clock", h.dir);
	snprintf(conf, sizeof(conf), "%s/irokpid.conf", h.dir);
	return harness_start_with(&h, (const char *const[]){ "--clock", clk,
					  "--config", conf, "-v", NULL });
}

static void *
subscribe(void)
{
	char ep[PATH_MAX];
	int timeout = 200, zero = 0;
	void *s;

	snprintf(ep, sizeof(ep), "ipc://%s/breaches.sock", h.dir);
	assert_non_null(s = zmq_socket(zctx, ZMQ_SUB));
	assert_int_equal(zmq_setsockopt(s, ZMQ_RCVTIMEO, &timeout, 4), 0);
	assert_int_equal(zmq_setsockopt(s, ZMQ_LINGER, &zero, 4), 0);
	assert_int_equal(zmq_setsockopt(s, ZMQ_SUBSCRIBE, "", 0), 0);
	assert_int_equal(zmq_connect(s, ep), 0);
	return s;
}

/* Field of a msgpack map body; NULL when absent. */
static const msgpack_object *
body_get(const msgpack_object *m, const char *key)
{
	uint32_t i;

	for (i = 0; i < m->via.map.size; i++) {
		const msgpack_object *k = &m->via.map.ptr[i].key;

		if (k->type == MSGPACK_OBJECT_STR &&
		    k->via.str.size == strlen(key) &&
		    memcmp(k->via.str.ptr, key, k->via.str.size) == 0)
			return &m->via.map.ptr[i].val;
	}
	return NULL;
}

struct msg {
	char topic[128];
	char child[32];
	uint64_t seq;
};

/*
 * The next breach within ms milliseconds, heartbeats skipped (the last
 * heartbeat's seq into *hb when not NULL).  0, or -1 on timeout.
 */
static int
next_breach(void *s, long long ms, struct msg *m, uint64_t *hb)
{
	char body[4096];
	long long until = ms_now() + ms;
	msgpack_unpacked u;
	const msgpack_object *o;
	int n, b;

	while (ms_now() < until) {
		if ((n = zmq_recv(s, m->topic, sizeof(m->topic) - 1, 0)) < 0)
			continue;
		m->topic[n < (int)sizeof(m->topic) ? n : 0] = '\0';
		assert_true((b = zmq_recv(s, body, sizeof(body), 0)) > 0);
		msgpack_unpacked_init(&u);
		assert_int_equal(
		    msgpack_unpack_next(&u, body, (size_t)b, NULL),
		    MSGPACK_UNPACK_SUCCESS);
		assert_int_equal(u.data.type, MSGPACK_OBJECT_MAP);
		assert_non_null(o = body_get(&u.data, "seq"));
		m->seq = o->via.u64;
		m->child[0] = '\0';
		if ((o = body_get(&u.data, "child")) != NULL &&
		    o->via.str.size < sizeof(m->child)) {
			memcpy(m->child, o->via.str.ptr, o->via.str.size);
			m->child[o->via.str.size] = '\0';
		}
		msgpack_unpacked_destroy(&u);
		if (strcmp(m->topic, "heartbeat") == 0) {
			if (hb != NULL)
				*hb = m->seq;
			continue;
		}
		return 0;
	}
	return -1;
}

static void
publish(const char *name, const char *jsonl)
{
	char path[PATH_MAX];

	write_file(name, jsonl);
	snprintf(path, sizeof(path), "%s/%s", h.dir, name);
	assert_int_equal(harness_publish(&h, path), 0);
}

static json_t *
query(const char *fmt, ...)
{
	json_t *req, *reply = NULL;
	json_error_t jerr;
	va_list ap;

	va_start(ap, fmt);
	req = json_vpack_ex(&jerr, 0, fmt, ap);
	va_end(ap);
	assert_non_null(req);
	assert_int_equal(harness_query(&h, req, 5000, &reply), 0);
	json_decref(req);
	return reply;
}

/* The first review's deadline of child, from the deadlines query. */
static int
review_due(const char *child, char day[16])
{
	json_t *r = query("{s:s, s:i}", "q", "deadlines", "within", 3000);
	json_t *dl, *list = json_object_get(r, "deadlines");
	size_t i;
	int found = 0;

	json_array_foreach(list, i, dl)
	{
		if (strcmp(json_string_value(json_object_get(dl, "child")),
			child) != 0 ||
		    strcmp(json_string_value(json_object_get(dl, "subject")),
			"lac.review") != 0)
			continue;
		snprintf(day, 16, "%s",
		    json_string_value(json_object_get(dl, "deadline")));
		found++;
	}
	json_decref(r);
	return found;
}

static void
day_shift(const char *day, int by, char out[16])
{
	struct tm tm = { 0 };
	time_t t;

	assert_non_null(strptime(day, "%Y-%m-%d", &tm));
	tm.tm_hour = 12;
	t = timegm(&tm) + (time_t)by * 86400;
	gmtime_r(&t, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

static void
test_breaches(void **state)
{
	struct msg m = { "", "", 0 };
	char due[16], day[16], jsonl[1024];
	uint64_t hb = 0;
	json_t *r, *list, *b;
	struct run run;
	char statef[PATH_MAX];
	size_t i;
	static const char *const kinds[] = { "due_soon", "overdue", "due_soon",
		"met_late" };

	(void)state;
	/* deadline kinds only: the KPIs these events move have no RAG */
	write_file("irokpid.conf", "[lac.review_timeliness]\ntarget = none\n"
				   "[lac.record_20wd]\ntarget = none\n");
	set_clock("2020-01-01");
	assert_int_equal(start_daemon(), 0);
	sub = subscribe();
	/* the connection is up once a heartbeat arrives */
	assert_int_equal(next_breach(sub, 3000, &m, &hb), -1);
	assert_string_equal(m.topic, "heartbeat");

	publish("start.jsonl",
	    "{\"id\":\"b-1\",\"type\":\"lac.started\",\"at\":\"" START
	    "\",\"child\":\"B01\",\"legal_status\":\"V2\"}\n"
	    "{\"id\":\"b-2\",\"type\":\"lac.started\",\"at\":\"" START
	    "\",\"child\":\"B02\",\"legal_status\":\"V2\"}\n");
	assert_int_equal(review_due("B01", due), 1);
	assert_int_equal(review_due("B02", day), 1);
	assert_string_equal(due, day);
	publish("retract.jsonl",
	    "{\"id\":\"b-3\",\"type\":\"event.retracted\",\"at\":\"" START
	    "\",\"target\":\"b-2\",\"source\":\"test: wrong child\"}\n");
	assert_int_equal(review_due("B02", day), 0);
	/* the CLI's list, as at the start: B01's review, not B02's */
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "deadlines", "--within", "3000",
				 "--as-at", START, NULL }),
	    0);
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out, "lac.review"));
	assert_non_null(strstr(run.out, "B01"));
	assert_null(strstr(run.out, "B02"));
	assert_non_null(strstr(run.out, due));
	run_free(&run);

	/* the day before: due soon, once */
	day_shift(due, -1, day);
	set_clock(day);
	assert_int_equal(next_breach(sub, 4000, &m, NULL), 0);
	assert_string_equal(m.topic, "breach.due_soon.lac.review");
	assert_string_equal(m.child, "B01");
	assert_int_equal(m.seq, 1);
	/* the day after: overdue, once; two days after: nothing */
	day_shift(due, 1, day);
	set_clock(day);
	assert_int_equal(next_breach(sub, 4000, &m, NULL), 0);
	assert_string_equal(m.topic, "breach.overdue.lac.review");
	assert_int_equal(m.seq, 2);
	day_shift(due, 2, day);
	set_clock(day);
	assert_int_equal(next_breach(sub, 2500, &m, NULL), -1);

	/* the review, late: met_late */
	day_shift(due, 1, day);
	snprintf(jsonl, sizeof(jsonl),
	    "{\"id\":\"b-4\",\"type\":\"review.held\",\"at\":\"%s\","
	    "\"child\":\"B01\",\"iro\":\"IRO-B\",\"participation\":\"PN1\","
	    "\"sw_report_at\":null,\"permanence_plan\":false,"
	    "\"late_reason\":\"test\"}\n",
	    day);
	publish("review.jsonl", jsonl);
	/* the same batch: its decisions (5 wd) are due soon already, raised
	 * in its transaction (series order: decisions first) */
	assert_int_equal(next_breach(sub, 4000, &m, NULL), 0);
	assert_string_equal(m.topic, "breach.due_soon.lac.review_decisions");
	assert_int_equal(m.seq, 3);
	assert_int_equal(next_breach(sub, 4000, &m, NULL), 0);
	assert_string_equal(m.topic, "breach.met_late.lac.review");
	assert_int_equal(m.seq, 4);
	assert_int_equal(next_breach(sub, 2500, &m, NULL), -1);

	/* catch-up: all four, in order, once */
	r = query("{s:s, s:i}", "q", "breaches", "after", 0);
	assert_int_equal(json_integer_value(json_object_get(r, "last")), 4);
	list = json_object_get(r, "breaches");
	assert_int_equal(json_array_size(list), 4);
	json_array_foreach(list, i, b)
	{
		assert_int_equal(
		    json_integer_value(json_object_get(b, "seq")), i + 1);
		assert_string_equal(
		    json_string_value(json_object_get(b, "kind")), kinds[i]);
		assert_string_equal(
		    json_string_value(json_object_get(b, "child")), "B01");
	}
	json_decref(r);
	r = query("{s:s, s:i, s:i}", "q", "breaches", "after", 2, "limit", 1);
	list = json_object_get(r, "breaches");
	assert_int_equal(json_array_size(list), 1);
	assert_true(json_is_true(json_object_get(r, "more")));
	assert_int_equal(json_integer_value(
			     json_object_get(json_array_get(list, 0), "seq")),
	    3);
	json_decref(r);

	/* irokpi watch: a watcher stopped after two resumes from its state
	 * file with the other two, in order, once */
	snprintf(statef, sizeof(statef), "%s/watch.state", h.dir);
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "watch", "--from", "0",
				 "--state", statef, "--count", "2", NULL }),
	    0);
	assert_int_equal(run.status, 0);
	assert_int_equal(harness_count_lines(run.out, "1 breach.due_soon"), 1);
	assert_int_equal(harness_count_lines(run.out, "2 breach.overdue"), 1);
	assert_int_equal(harness_count_lines(run.out, ""), 2);
	run_free(&run);
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "watch", "--state", statef,
				 "--count", "2", "--json", NULL }),
	    0);
	assert_int_equal(run.status, 0);
	assert_int_equal(harness_count_lines(run.out, "{"), 2);
	assert_non_null(strstr(run.out, "\"seq\":3"));
	assert_non_null(strstr(run.out, "\"seq\":4"));
	assert_true(
	    strstr(run.out, "\"seq\":3") < strstr(run.out, "\"seq\":4"));
	run_free(&run);

	/* a restart publishes nothing again */
	zmq_close(sub);
	sub = NULL;
	assert_int_equal(harness_stop(&h), 0);
	assert_int_equal(start_daemon(), 0);
	sub = subscribe();
	hb = 0;
	assert_int_equal(next_breach(sub, 4500, &m, &hb), -1);
	assert_int_equal(hb, 4);
	r = query("{s:s, s:i}", "q", "breaches", "after", 0);
	assert_int_equal(json_integer_value(json_object_get(r, "last")), 4);
	json_decref(r);
	/* a live watcher, resuming at 4, hears the next overdue */
	assert_int_equal(
	    harness_cli_start(&h, &run, NULL,
		(const char *[]){ "watch", "--state", statef, "--topic",
		    "breach.overdue.", "--count", "1", NULL }),
	    0);
	usleep(500000);
	/* later deadlines (the late review's record and decisions) still
	 * come, but never the review's three again */
	day_shift(due, 40, day);
	set_clock(day);
	while (next_breach(sub, 2500, &m, NULL) == 0) {
		assert_true(m.seq > 4);
		assert_true(strstr(m.topic, ".lac.review") == NULL ||
			    strstr(m.topic, ".lac.review_") != NULL);
	}
	assert_int_equal(harness_cli_wait(&run), 0);
	assert_int_equal(run.status, 0);
	assert_int_equal(harness_count_lines(run.out, ""), 1);
	assert_non_null(strstr(run.out, " breach.overdue.lac.review_"));
	run_free(&run);
	r = query("{s:s, s:i}", "q", "breaches", "after", 4);
	list = json_object_get(r, "breaches");
	assert_true(json_array_size(list) > 0);
	json_array_foreach(list, i, b)
	{
		assert_string_equal(
		    json_string_value(json_object_get(b, "child")), "B01");
		assert_string_not_equal(
		    json_string_value(json_object_get(b, "subject")),
		    "lac.review");
	}
	json_decref(r);
}

/* The daemon with this configuration on 2020-01-01, a subscriber
 * connected (a heartbeat heard). */
static void
boot(const char *conf)
{
	struct msg m;
	uint64_t hb = 0;

	write_file("irokpid.conf", conf);
	set_clock("2020-01-01");
	assert_int_equal(start_daemon(), 0);
	sub = subscribe();
	assert_int_equal(next_breach(sub, 3000, &m, &hb), -1);
}

/* Stop the daemon and start it again, with a new subscriber. */
static void
restart(void)
{
	zmq_close(sub);
	sub = NULL;
	assert_int_equal(harness_stop(&h), 0);
	assert_int_equal(start_daemon(), 0);
	sub = subscribe();
}

/* Plans first..first+n-1 started on day, the last `repeats` of them
 * repeat plans. */
static void
plans(const char *name, int first, int n, int repeats, const char *day)
{
	char line[256], *buf;
	size_t len = 0;
	int i;

	assert_non_null(buf = calloc((size_t)n, sizeof(line)));
	for (i = first; i < first + n; i++)
		len += (size_t)snprintf(buf + len, sizeof(line),
		    "{\"id\":\"r-%d\",\"type\":\"cp_plan.started\","
		    "\"at\":\"%s\",\"child\":\"R%03d\","
		    "\"category\":\"neglect\",\"previous_plans\":%d}\n",
		    i, day, i, i >= first + n - repeats);
	publish(name, buf);
	free(buf);
}

/* kpi_rag_changed breaches of kpi in the log; the last one's old and new
 * (\"none\" for nil) into last[2][8] when there is one. */
static size_t
rag_changes(const char *kpi, char last[2][8])
{
	json_t *r = query("{s:s, s:i}", "q", "breaches", "after", 0);
	json_t *b, *list = json_object_get(r, "breaches");
	const char *o, *n;
	size_t i, count = 0;

	json_array_foreach(list, i, b)
	{
		if (strcmp(json_string_value(json_object_get(b, "kind")),
			"kpi_rag_changed") != 0 ||
		    strcmp(json_string_value(json_object_get(b, "kpi")),
			kpi) != 0)
			continue;
		assert_null(json_object_get(b, "child"));
		o = json_string_value(json_object_get(b, "old"));
		n = json_string_value(json_object_get(b, "new"));
		snprintf(last[0], 8, "%s", o != NULL ? o : "none");
		snprintf(last[1], 8, "%s", n != NULL ? n : "none");
		count++;
	}
	json_decref(r);
	return count;
}

/* How many of the breaches heard before a quiet `ms` have this topic. */
static int
heard(const char *topic, long long ms, uint64_t *seq)
{
	struct msg m;
	int n = 0;

	while (next_breach(sub, ms, &m, NULL) == 0)
		if (strcmp(m.topic, topic) == 0) {
			n++;
			if (seq != NULL)
				*seq = m.seq;
		}
	return n;
}

/*
 * kpi_rag_changed, on cp.repeat_plans (lower is better: 19%, amber to 21%):
 * ten first plans make it green (none -> green); two repeats (16.7%) change
 * nothing; a third (23.1%) turns it red, one breach; a fourth (28.6%)
 * nothing.  A restart publishes nothing again; a SIGHUP that moves the
 * target to 30 turns it green, once; a new financial year with nothing in
 * it yet takes the RAG away quietly.
 */
static void
test_kpi_rag(void **state)
{
	static const char *const topic =
	    "breach.kpi_rag_changed.cp.repeat_plans";
	char last[2][8];
	uint64_t seq = 0;
	struct run run;
	json_t *r;

	(void)state;
	boot("");

	plans("p1.jsonl", 1, 10, 0, "2019-12-16");
	assert_int_equal(heard(topic, 1500, NULL), 1);
	assert_int_equal(rag_changes("cp.repeat_plans", last), 1);
	assert_string_equal(last[0], "none");
	assert_string_equal(last[1], "green");

	plans("p2.jsonl", 11, 2, 2, "2019-12-17");
	assert_int_equal(heard(topic, 1500, NULL), 0);
	plans("p3.jsonl", 13, 1, 1, "2019-12-18");
	assert_int_equal(heard(topic, 1500, &seq), 1);
	plans("p4.jsonl", 14, 1, 1, "2019-12-19");
	assert_int_equal(heard(topic, 1500, NULL), 0);
	assert_int_equal(rag_changes("cp.repeat_plans", last), 2);
	assert_string_equal(last[0], "green");
	assert_string_equal(last[1], "red");
	r = query(
	    "{s:s, s:i, s:i}", "q", "breaches", "after", seq - 1, "limit", 1);
	assert_true(json_real_value(json_object_get(
			json_array_get(json_object_get(r, "breaches"), 0),
			"value")) == 23.1);
	json_decref(r);

	/* a restart publishes nothing again, nor a rebuild and a batch
	 * that changes nothing */
	restart();
	assert_int_equal(heard(topic, 3000, NULL), 0);
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "admin", "rebuild", NULL }),
	    0);
	assert_int_equal(run.status, 0);
	run_free(&run);
	publish("noop.jsonl",
	    "{\"id\":\"r-noop\",\"type\":\"event.retracted\","
	    "\"at\":\"2019-12-16\",\"target\":\"none\"}\n");
	assert_int_equal(heard(topic, 1500, NULL), 0);
	assert_int_equal(rag_changes("cp.repeat_plans", last), 2);

	/* new targets on SIGHUP: red -> green, once */
	write_file("irokpid.conf", "[cp.repeat_plans]\ntarget = 30\n");
	assert_int_equal(kill(h.daemon, SIGHUP), 0);
	assert_int_equal(heard(topic, 3000, NULL), 1);
	assert_int_equal(rag_changes("cp.repeat_plans", last), 3);
	assert_string_equal(last[0], "red");
	assert_string_equal(last[1], "green");

	/* 1 April: fytd starts again with nothing counted, no RAG, quietly */
	set_clock("2020-04-01");
	assert_int_equal(heard(topic, 3000, NULL), 0);
	assert_int_equal(rag_changes("cp.repeat_plans", last), 3);
}

/* The breaches of the log as "kind subject child iro" lines (iro "-" when
 * absent), for short checks. */
static char *
log_lines(void)
{
	json_t *r = query("{s:s, s:i}", "q", "breaches", "after", 0);
	json_t *b, *list = json_object_get(r, "breaches");
	const char *iro;
	char *out;
	size_t i, len = 0;

	assert_non_null(out = calloc(json_array_size(list) + 1, 128));
	json_array_foreach(list, i, b)
	{
		iro = json_string_value(json_object_get(b, "iro"));
		len += (size_t)snprintf(out + len, 128, "%s %s %s %s\n",
		    json_string_value(json_object_get(b, "kind")),
		    json_string_value(json_object_get(b, "subject")),
		    json_string_value(json_object_get(b, "child")),
		    iro != NULL ? iro : "-");
	}
	json_decref(r);
	return out;
}

/*
 * The IRO: a breach names the IRO holding the case when it is raised (the
 * child's latest iro.allocated) and irokpi deadlines --iro lists that IRO's
 * cases only, following a reallocation.  And a child who leaves care with
 * a review overdue gives no met_late: the episode's end closed the
 * deadline, nobody met it.
 */
static void
test_iro_and_left_care(void **state)
{
	char due[16], day[16], jsonl[512], *lines;
	struct run run;

	(void)state;
	write_file("irokpid.conf", "[lac.review_timeliness]\ntarget = none\n");
	set_clock("2020-01-01");
	assert_int_equal(start_daemon(), 0);
	publish("start.jsonl",
	    "{\"id\":\"i-1\",\"type\":\"lac.started\",\"at\":\"" START
	    "\",\"child\":\"I01\"}\n"
	    "{\"id\":\"i-2\",\"type\":\"lac.started\",\"at\":\"" START
	    "\",\"child\":\"I02\"}\n"
	    "{\"id\":\"i-3\",\"type\":\"iro.allocated\",\"at\":\"" START
	    "\",\"child\":\"I01\",\"iro\":\"IRO-A\"}\n"
	    "{\"id\":\"i-4\",\"type\":\"iro.allocated\",\"at\":\"" START
	    "\",\"child\":\"I02\",\"iro\":\"IRO-B\"}\n");
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "deadlines", "--within", "3000",
				 "--iro", "IRO-A", NULL }),
	    0);
	assert_int_equal(run.status, 0);
	assert_non_null(strstr(run.out, "I01"));
	assert_non_null(strstr(run.out, "IRO-A"));
	assert_null(strstr(run.out, "I02"));
	run_free(&run);
	/* I01 goes to IRO-C: IRO-A has nothing left */
	publish("realloc.jsonl", "{\"id\":\"i-5\",\"type\":\"iro.allocated\","
				 "\"at\":\"2020-01-10\",\"child\":\"I01\","
				 "\"iro\":\"IRO-C\"}\n");
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "deadlines", "--within", "3000",
				 "--iro", "IRO-A", "--json", NULL }),
	    0);
	assert_non_null(strstr(run.out, "\"deadlines\":[]"));
	run_free(&run);

	assert_int_equal(review_due("I01", due), 1);
	day_shift(due, 1, day);
	set_clock(day);
	usleep(2500000); /* a sweep */
	lines = log_lines();
	assert_string_equal(lines, "overdue lac.review I01 IRO-C\n"
				   "overdue lac.review I02 IRO-B\n");
	free(lines);

	/* I01 leaves care today with the review overdue: no met_late */
	snprintf(jsonl, sizeof(jsonl),
	    "{\"id\":\"i-6\",\"type\":\"lac.ended\",\"at\":\"%s\","
	    "\"child\":\"I01\"}\n",
	    day);
	publish("ended.jsonl", jsonl);
	/* I02's review today is met late, in IRO-B's name */
	snprintf(jsonl, sizeof(jsonl),
	    "{\"id\":\"i-7\",\"type\":\"review.held\",\"at\":\"%s\","
	    "\"child\":\"I02\",\"iro\":\"IRO-B\","
	    "\"participation\":\"PN1\",\"sw_report_at\":null,"
	    "\"permanence_plan\":false}\n",
	    day);
	publish("review.jsonl", jsonl);
	lines = log_lines();
	assert_null(strstr(lines, "met_late lac.review I01"));
	assert_non_null(strstr(lines, "met_late lac.review I02 IRO-B\n"));
	free(lines);

	/* I02's plan reaching 9 months is overdue the day after; ending the
	 * plan then closes it, without met_late, and its 18 months go */
	publish("plan.jsonl",
	    "{\"id\":\"i-8\",\"type\":\"cp_plan.started\",\"at\":\"" START
	    "\",\"child\":\"I02\",\"category\":\"neglect\"}\n");
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "deadlines", "--within", "3000",
				 "--json", NULL }),
	    0);
	assert_non_null(strstr(run.out,
	    "\"deadline\":\"2020-10-06\",\"iro\":\"IRO-B\","
	    "\"overdue\":false,\"subject\":\"cp.plan_9_months\""));
	assert_non_null(strstr(run.out,
	    "\"deadline\":\"2021-07-06\",\"iro\":\"IRO-B\","
	    "\"overdue\":false,\"subject\":\"cp.plan_18_months\""));
	run_free(&run);
	set_clock("2020-10-07");
	usleep(2500000); /* a sweep */
	publish("plan_end.jsonl",
	    "{\"id\":\"i-9\",\"type\":\"cp_plan.ended\","
	    "\"at\":\"2020-10-07\",\"child\":\"I02\"}\n");
	lines = log_lines();
	assert_non_null(strstr(lines, "overdue cp.plan_9_months I02 IRO-B\n"));
	assert_null(strstr(lines, "met_late cp.plan_9_months"));
	assert_null(strstr(lines, "cp.plan_18_months"));
	free(lines);
	assert_int_equal(harness_cli(&h, &run, NULL,
			     (const char *[]){ "deadlines", "--within", "3000",
				 "--json", NULL }),
	    0);
	assert_null(strstr(run.out, "cp.plan_9_months"));
	assert_null(strstr(run.out, "cp.plan_18_months"));
	run_free(&run);
}

/* Child `child` enters care (or leaves it, `ended`) on day, with IRO-X. */
static void
care(const char *child, const char *day, bool ended)
{
	char jsonl[512];

	snprintf(jsonl, sizeof(jsonl),
	    ended ? "{\"id\":\"%s-end\",\"type\":\"lac.ended\","
		    "\"at\":\"%s\",\"child\":\"%s\"}\n"
		  : "{\"id\":\"%s-in\",\"type\":\"lac.started\","
		    "\"at\":\"%s\",\"child\":\"%s\"}\n"
		    "{\"id\":\"%s-iro\",\"type\":\"iro.allocated\","
		    "\"at\":\"%s\",\"child\":\"%s\",\"iro\":\"IRO-X\"}\n",
	    child, day, child, child, day, child);
	publish("care.jsonl", jsonl);
}

/*
 * over_ceiling, with a ceiling of 2 weighted cases (a looked-after child
 * weighs 1.5): IRO-X goes over with its second child, once, stays over
 * with a third and after one leaves, comes back under when two have left,
 * and a new child is a new crossing.  A restart raises nothing again.
 */
static void
test_caseload_over_ceiling(void **state)
{
	static const char *const topic = "breach.over_ceiling.iro.caseload";
	struct run run;

	(void)state;
	boot("[caseload]\nceiling = 2\n");

	care("X1", "2019-12-02", false);
	assert_int_equal(heard(topic, 1000, NULL), 0);
	care("X2", "2019-12-03", false); /* 3.0 */
	assert_int_equal(heard(topic, 1500, NULL), 1);
	care("X3", "2019-12-04", false); /* 4.5 */
	care("X2", "2019-12-05", true);  /* 3.0 */
	assert_int_equal(heard(topic, 1500, NULL), 0);
	care("X3", "2019-12-06", true); /* 1.5: under */
	assert_int_equal(heard(topic, 1500, NULL), 0);
	care("X4", "2019-12-09", false); /* 3.0: over again */
	assert_int_equal(heard(topic, 1500, NULL), 1);

	restart();
	assert_int_equal(heard(topic, 3000, NULL), 0);
	assert_int_equal(
	    harness_cli(&h, &run, NULL,
		(const char *[]){ "watch", "--from", "0", "--topic",
		    "breach.over_ceiling.", "--count", "2", NULL }),
	    0);
	assert_int_equal(run.status, 0);
	assert_int_equal(harness_count_lines(run.out, ""), 2);
	assert_non_null(strstr(run.out,
	    " breach.over_ceiling.iro.caseload iro IRO-X value 3 raised "
	    "2020-01-01\n"));
	run_free(&run);
}

static int
setup(void **state)
{
	(void)state;
	if (harness_irokpid() == NULL || harness_irokpi() == NULL ||
	    harness_init(&h) != 0)
		return -1;
	zctx = zmq_ctx_new();
	return zctx != NULL ? 0 : -1;
}

static int
teardown(void **state)
{
	int rc;

	(void)state;
	if (sub != NULL)
		zmq_close(sub);
	sub = NULL;
	rc = h.daemon > 0 ? harness_stop(&h) : 0;
	harness_fini(&h);
	zmq_ctx_term(zctx);
	return rc == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_breaches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_kpi_rag, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_iro_and_left_care, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_caseload_over_ceiling, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
