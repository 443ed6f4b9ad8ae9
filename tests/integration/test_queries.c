/*
 * The query commands against the real irokpid, on one daemon fed two
 * fixtures: queries_events.jsonl (child Q01, out of order, with a review
 * retracted; child Q02, a short episode with a late review) and
 * kpi_events.jsonl (two years of reviews, plans and alerts).
 *
 *  - child: the timeline in KPIS.md order with seq, business date and the
 *    event as published; the retracted review marked and absent from the
 *    facts; the next review due 2019-07-26 open; every interval open on
 *    as_at listed, and no other, on the day it is resolved and the day
 *    before; the text form; an unknown child;
 *  - kpi: target, RAG and the previous period in --json and in the table;
 *  - report --fy 2019: Markdown and CSV rows built from the kpi answers for
 *    fy2019 and fy2018, whatever KPIs exist (the sections of KPIs still to
 *    come are checked when their KPI is there);
 *  - caseload (skipped until iro.caseload exists) against the KPI;
 *  - admin rebuild (skipped while the daemon has no rebuild query): the
 *    children count, and the same KPIs after it.
 *
 * Every date is given with --as-at: the daemon's clock never matters.
 */
#define _XOPEN_SOURCE 700

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "clients/irokpi.h"
#include "domain/err.h"
#include "proto/wire.h"
#include "tests/support/harness.h"

#define AS_AT   "2020-06-30" /* after both financial years */
#define CHILD   "Q01"
#define FY      "fy2019"
#define FY_PREV "fy2018"

static struct harness daemon_h;

static int
group_setup(void **state)
{
	struct run r;
	int rc = -1;

	(void)state;
	if (harness_irokpid() == NULL || harness_irokpi() == NULL ||
	    harness_init(&daemon_h) != 0 || harness_start(&daemon_h) != 0)
		return -1;
	if (harness_cli(&daemon_h, &r, NULL,
		(const char *[]){ "publish",
		    harness_data("queries_events.jsonl"), NULL }) != 0)
		return -1;
	if (r.status == 0 &&
	    strcmp(r.out, "stored 9, duplicates 0, rejected 0\n") == 0)
		rc = 0;
	else
		fprintf(stderr, "publish: exit %d: %s%s\n", r.status, r.out,
		    r.err);
	run_free(&r);
	if (rc != 0 || harness_cli(&daemon_h, &r, NULL,
			   (const char *[]){ "publish",
			       harness_data("kpi_events.jsonl"), NULL }) != 0)
		return -1;
	rc = r.status == 0 ? 0 : -1;
	run_free(&r);
	return rc;
}

/* A clean stop: under IRK_VALGRIND, memcheck's verdict on every query. */
static int
group_teardown(void **state)
{
	int status = harness_stop(&daemon_h);

	(void)state;
	if (status != 0)
		fprintf(stderr, "irokpid exited with %d\n", status);
	harness_fini(&daemon_h);
	return status == 0 ? 0 : -1;
}

/* ---- helpers ---- */

/* Run the CLI; fail the test unless it exits with status. */
static void
run_cli(struct run *r, int status, const char *const argv[])
{
	assert_int_equal(harness_cli(&daemon_h, r, NULL, argv), 0);
	if (r->status != status)
		fail_msg("irokpi %s: exit %d, not %d; stderr: %s", argv[0],
		    r->status, status, r->err);
}

/* Run a --json command; its one line of output, parsed. */
static json_t *
cli_json(const char *const argv[])
{
	struct run r;
	json_t *j;

	run_cli(&r, 0, argv);
	assert_int_equal(harness_count_lines(r.out, ""), 1);
	if ((j = json_loads(r.out, 0, NULL)) == NULL)
		fail_msg("not JSON: %s", r.out);
	run_free(&r);
	return j;
}

/* `kpi --json --window W --as-at AS_AT`: the "kpis" map. */
static json_t *
kpis_of(const char *window)
{
	return cli_json((const char *[]){
	    "kpi", "--json", "--window", window, "--as-at", AS_AT, NULL });
}

static const char *
str(json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	if (s == NULL)
		fail_msg("no string \"%s\"", key);
	return s;
}

static long long
num(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);

	if (!json_is_integer(v))
		fail_msg("no integer \"%s\"", key);
	return json_integer_value(v);
}

/* The i-th line of s (0-based), without its end of line, into buf. */
static char *
nth_line(const char *s, size_t i, char *buf, size_t len)
{
	const char *e;

	buf[0] = '\0';
	while (i-- > 0 && s != NULL && (s = strchr(s, '\n')) != NULL)
		s++;
	if (s == NULL || *s == '\0')
		return buf;
	e = strchr(s, '\n');
	snprintf(
	    buf, len, "%.*s", (int)(e != NULL ? e - s : (long)strlen(s)), s);
	return buf;
}

/* Split line on runs of blanks into at most max words; their number. */
static size_t
words(char *line, char *w[], size_t max)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(line, " ", &save); t != NULL && n < max;
	     t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	return n;
}

/* The first line of s that starts with prefix, into buf; NULL if none. */
static char *
line_starting(const char *s, const char *prefix, char *buf, size_t len)
{
	size_t i, n = harness_count_lines(s, "") + 1;

	for (i = 0; i < n; i++)
		if (strncmp(
			nth_line(s, i, buf, len), prefix, strlen(prefix)) == 0)
			return buf;
	return NULL;
}

/*
 * The body of the Markdown section "## title": from after the heading to
 * the next heading, copied into a malloc'd string; fails the test when
 * there is no such section.
 */
static char *
md_section(const char *md, const char *title)
{
	char heading[256];
	const char *s, *e;

	snprintf(heading, sizeof(heading), "\n## %s\n", title);
	if ((s = strstr(md, heading)) == NULL)
		fail_msg("no section \"%s\" in:\n%s", title, md);
	s += strlen(heading);
	e = strstr(s, "\n## ");
	return strndup(s, e != NULL ? (size_t)(e - s) : strlen(s));
}

/*
 * The cells of the Markdown table row of section whose first cell is
 * first, trimmed, into cells[]; their number, or 0 when there is no row.
 */
static size_t
md_row(const char *section, const char *first, char cells[][128], size_t max)
{
	char line[1024], *p, *bar, *end;
	size_t i, n, nl = harness_count_lines(section, "") + 1;

	for (i = 0; i < nl; i++) {
		nth_line(section, i, line, sizeof(line));
		if (line[0] != '|')
			continue;
		for (n = 0, p = line + 1;
		     n < max && (bar = strchr(p, '|')) != NULL; p = bar + 1) {
			*bar = '\0';
			while (*p == ' ')
				p++;
			for (end = bar; end > p && end[-1] == ' '; end--)
				;
			snprintf(cells[n++], 128, "%.*s", (int)(end - p), p);
		}
		if (n > 0 && strcmp(cells[0], first) == 0)
			return n;
	}
	return 0;
}

/* A KPI's headline as the report's Markdown writes it. */
static void
headline(json_t *kpi, char *buf, size_t len)
{
	const char *unit = str(kpi, "unit");
	json_t *v = json_object_get(kpi, "value");
	json_t *as_at = json_object_get(kpi, "as_at");

	if (json_is_null(v))
		snprintf(buf, len, "-");
	else if (strcmp(unit, "percent") == 0)
		snprintf(buf, len, "%.1f%% (%lld/%lld)", json_number_value(v),
		    num(kpi, "num"), num(kpi, "den"));
	else if (strcmp(unit, "average") == 0)
		snprintf(buf, len, "%.1f", json_number_value(v));
	else /* a count, which the daemon sends as a float */
		snprintf(buf, len, "%.15g", json_number_value(v));
	if (json_is_string(as_at))
		snprintf(buf + strlen(buf), len - strlen(buf), " at %s",
		    json_string_value(as_at));
}

/* The same figure bare, as the report's CSV writes it. */
static void
bare(json_t *v, char *buf, size_t len)
{
	if (json_is_integer(v))
		snprintf(buf, len, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, len, "%.15g", json_real_value(v));
	else
		snprintf(buf, len, "%s", "");
}

/* ---- child ---- */

/* Q01's events in timeline order; seq is the order of the fixture. */
static const struct {
	const char *id, *type, *at;
	long long seq;
	bool retracted;
} q01[] = {
	{ "q-001", "child.registered", "2019-03-10", 6, false },
	/* Same day: lac.started ranks before iro.allocated (KPIS.md). */
	{ "q-003", "lac.started", "2019-04-01", 4, false },
	{ "q-002", "iro.allocated", "2019-04-01", 5, false },
	/* Its "at" has a time: the business date is the date as written. */
	{ "q-004", "review.held", "2019-04-26", 3, false },
	{ "q-005", "review.held", "2019-07-20", 1, true },
};

/* The fixture line of event id, parsed. */
static json_t *
fixture_event(const char *id)
{
	json_error_t err;
	json_t *all, *ev = NULL;
	FILE *fp;
	char line[1024];

	assert_non_null(fp = fopen(harness_data("queries_events.jsonl"), "r"));
	while (ev == NULL && fgets(line, sizeof(line), fp) != NULL) {
		if ((all = json_loads(line, 0, &err)) == NULL)
			fail_msg("fixture: %s", err.text);
		if (strcmp(str(all, "id"), id) == 0)
			ev = all;
		else
			json_decref(all);
	}
	fclose(fp);
	if (ev == NULL)
		fail_msg("no %s in the fixture", id);
	return ev;
}

static bool
has_bucket(json_t *facts, const char *series, const char *day)
{
	json_t *p;
	size_t i;

	json_array_foreach(facts, i, p)
	{
		if (json_object_get(p, "n") != NULL &&
		    strcmp(str(p, "series"), series) == 0 &&
		    strcmp(str(p, "day"), day) == 0)
			return true;
	}
	return false;
}

/* `child ID --as-at DAY --json`, parsed. */
static json_t *
child_json(const char *child, const char *as_at)
{
	json_t *reply = cli_json((const char *[]){
	    "child", child, "--as-at", as_at, "--json", NULL });

	assert_string_equal(str(reply, "child"), child);
	assert_string_equal(str(reply, "as_at"), as_at);
	assert_null(json_object_get(reply, "ok"));
	return reply;
}

/*
 * open_deadlines must be exactly the interval facts not resolved on as_at
 * (resolved null or after it), in the order of the facts.
 */
static void
check_open_deadlines(json_t *reply, const char *as_at)
{
	json_t *open = json_object_get(reply, "open_deadlines"), *p;
	const char *resolved;
	size_t i, n = 0;

	json_array_foreach(json_object_get(reply, "facts"), i, p)
	{
		if (json_object_get(p, "due") == NULL)
			continue;
		resolved = json_string_value(json_object_get(p, "resolved"));
		if (resolved != NULL && strcmp(resolved, as_at) <= 0)
			continue;
		if (!json_equal(json_array_get(open, n), p))
			fail_msg("open deadline %zu on %s is not %s %s", n,
			    as_at, str(p, "series"), str(p, "due"));
		n++;
	}
	assert_int_equal(json_array_size(open), n);
}

/* Does reply list {series, due, resolved (NULL: null)} as open? */
static bool
lists_open(
    json_t *reply, const char *series, const char *due, const char *resolved)
{
	json_t *want, *d;
	bool found = false;
	size_t i;

	want = json_pack("{s:s, s:s, s:o}", "series", series, "due", due,
	    "resolved",
	    resolved != NULL ? json_string(resolved) : json_null());
	json_array_foreach(json_object_get(reply, "open_deadlines"), i, d)
	{
		found |= json_equal(d, want);
	}
	json_decref(want);
	return found;
}

static void
test_child_timeline(void **state)
{
	json_t *reply, *events, *ev, *facts, *want;
	size_t i;

	(void)state;
	reply = child_json(CHILD, "2019-06-30");
	events = json_object_get(reply, "events");
	assert_int_equal(json_array_size(events), NITEMS(q01));
	for (i = 0; i < NITEMS(q01); i++) {
		ev = json_array_get(events, i);
		assert_string_equal(str(ev, "id"), q01[i].id);
		assert_string_equal(str(ev, "type"), q01[i].type);
		assert_string_equal(str(ev, "at"), q01[i].at);
		assert_int_equal(num(ev, "seq"), q01[i].seq);
		assert_int_equal(
		    json_is_true(json_object_get(ev, "retracted")),
		    q01[i].retracted);
		want = fixture_event(q01[i].id);
		if (!json_equal(json_object_get(ev, "event"), want))
			fail_msg("%s is not shown as published", q01[i].id);
		json_decref(want);
	}

	/* First review due 2019-05-01 (20 working days after 2019-04-01,
	 * Easter skipped): held 2019-04-26, timely.  The retracted review of
	 * 2019-07-20 counts nowhere, so the second, due 3 months after the
	 * first (2019-07-26), is open. */
	facts = json_object_get(reply, "facts");
	assert_true(
	    has_bucket(facts, "lac.review_timeliness:reviews", "2019-04-26"));
	assert_true(has_bucket(
	    facts, "lac.review_timeliness:reviews_timely", "2019-04-26"));
	assert_false(
	    has_bucket(facts, "lac.review_timeliness:reviews", "2019-07-20"));
	check_open_deadlines(reply, "2019-06-30");
	assert_true(lists_open(
	    reply, "lac.review_timeliness:due", "2019-07-26", NULL));
	json_decref(reply);
}

/*
 * Q02's first review, due 2019-05-01, was held late on 2019-05-10: an
 * interval resolved that day.  It is open before it falls due, open the
 * day before it is resolved, and closed on the day itself.
 */
static void
test_child_deadline_edges(void **state)
{
	static const struct {
		const char *as_at;
		bool open;
	} days[] = {
		{ "2019-04-30", true },
		{ "2019-05-09", true },
		{ "2019-05-10", false },
		{ "2019-05-11", false },
	};
	json_t *reply;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(days); i++) {
		reply = child_json("Q02", days[i].as_at);
		assert_int_equal(
		    json_array_size(json_object_get(reply, "events")), 3);
		check_open_deadlines(reply, days[i].as_at);
		if (lists_open(reply, "lac.review_timeliness:due",
			"2019-05-01", "2019-05-10") != days[i].open)
			fail_msg("as at %s: the late review is %s",
			    days[i].as_at, days[i].open ? "not open" : "open");
		json_decref(reply);
	}
}

static void
test_child_text(void **state)
{
	char line[512], *w[8];
	struct run r;
	size_t i, n;

	(void)state;
	run_cli(&r, 0,
	    (const char *[]){ "child", CHILD, "--as-at", "2019-06-30", NULL });
	assert_string_equal(nth_line(r.out, 0, line, sizeof(line)),
	    "child Q01, as at 2019-06-30");
	n = words(nth_line(r.out, 1, line, sizeof(line)), w, NITEMS(w));
	assert_int_equal(n, 3);
	assert_string_equal(w[0], "DATE");
	for (i = 0; i < NITEMS(q01); i++) {
		n = words(
		    nth_line(r.out, 2 + i, line, sizeof(line)), w, NITEMS(w));
		assert_int_equal(n, q01[i].retracted ? 4 : 3);
		assert_string_equal(w[0], q01[i].at);
		assert_string_equal(w[1], q01[i].type);
		assert_string_equal(w[2], q01[i].id);
		if (q01[i].retracted)
			assert_string_equal(w[3], "retracted");
	}
	assert_non_null(strstr(r.out, "\nfacts:\n"));
	assert_non_null(strstr(r.out, "\nopen deadlines on 2019-06-30:\n"));
	assert_non_null(line_starting(strstr(r.out, "\nopen deadlines"),
	    "  2019-07-26  lac.review_timeliness:due", line, sizeof(line)));
	n = words(line, w, NITEMS(w));
	assert_int_equal(n, 3);
	assert_string_equal(w[2], "open");
	run_free(&r);
}

static void
test_child_unknown(void **state)
{
	struct irokpi *k = NULL;
	json_t *req, *reply = NULL, *want;
	char ep[PATH_MAX + 16];
	struct run r;

	(void)state;
	run_cli(&r, 1, (const char *[]){ "child", "NOBODY", NULL });
	assert_string_equal(r.out, "");
	assert_string_equal(r.err, "irokpi: unknown child\n");
	run_free(&r);
	run_cli(&r, 2, (const char *[]){ "child", NULL });
	run_free(&r);
	/* Events without a child are no child's: a retraction's id. */
	run_cli(&r, 1, (const char *[]){ "child", "q-006", NULL });
	run_free(&r);

	/* The reply itself, as PROTOCOL.md gives it. */
	snprintf(ep, sizeof(ep), "ipc://%s/%s", daemon_h.dir, WIRE_QUERY_SOCK);
	assert_int_equal(irokpi_open(NULL, ep, &k), 0);
	assert_non_null(
	    req = json_pack("{s:s, s:s}", "q", "child", "child", "NOBODY"));
	assert_int_equal(irokpi_query_json(k, req, &reply), 0);
	want = json_pack("{s:b, s:s}", "ok", 0, "error", "unknown child");
	assert_true(json_equal(reply, want));
	json_decref(want);
	json_decref(reply);
	json_decref(req);
	/* A child id that is not a string. */
	assert_non_null(
	    req = json_pack("{s:s, s:i}", "q", "child", "child", 7));
	assert_int_equal(irokpi_query_json(k, req, &reply), 0);
	assert_true(json_is_false(json_object_get(reply, "ok")));
	assert_string_equal(str(reply, "error"), "child: must be a child id");
	json_decref(reply);
	json_decref(req);
	irokpi_close(&k);
}

/* ---- kpi ---- */

static const char *
rag_of(json_t *kpi)
{
	json_t *t = json_object_get(kpi, "target");
	double v = json_number_value(json_object_get(kpi, "value"));
	double target = json_number_value(json_object_get(t, "value"));
	double amber = json_number_value(json_object_get(t, "amber"));

	if (strcmp(str(t, "better"), "lower") == 0) {
		v = -v;
		target = -target;
	}
	return v >= target ? "green" : v >= target - amber ? "amber" : "red";
}

/* A percentage as the tables show it: "63.6%", "-" for none. */
static void
percent(json_t *v, char *buf, size_t len)
{
	if (json_is_number(v))
		snprintf(buf, len, "%.1f%%", json_number_value(v));
	else
		snprintf(buf, len, "-");
}

static void
check_kpi_row(const char *out, const char *id, json_t *kpi, json_t *prev,
    const char *target)
{
	char line[512], want[64], *w[12];
	size_t n;

	if (line_starting(out, id, line, sizeof(line)) == NULL)
		fail_msg("no row for %s in:\n%s", id, out);
	n = words(line, w, NITEMS(w));
	assert_int_equal(n, 9);
	assert_string_equal(w[0], id);
	assert_string_equal(w[1], "2019-04-01..2020-03-31");
	snprintf(want, sizeof(want), "%lld", num(kpi, "num"));
	assert_string_equal(w[2], want);
	snprintf(want, sizeof(want), "%lld", num(kpi, "den"));
	assert_string_equal(w[3], want);
	percent(json_object_get(kpi, "value"), want, sizeof(want));
	assert_string_equal(w[4], want);
	percent(json_object_get(prev, "value"), want, sizeof(want));
	assert_string_equal(w[5], want);
	assert_string_equal(w[6], target[0] == '>' ? ">=" : "<=");
	assert_string_equal(w[7], target + 3);
	assert_string_equal(w[8], json_is_string(json_object_get(kpi, "rag"))
				      ? str(kpi, "rag")
				      : "-");
}

static void
test_kpi_target_rag_previous(void **state)
{
	static const struct {
		const char *id, *better, *shown;
		double target, amber;
	} want[] = {
		{ "lac.review_timeliness", "higher", ">= 98%", 98, 2 },
		{ "cp.repeat_plans", "lower", "<= 19%", 19, 2 },
	};
	json_t *now = kpis_of(FY), *before = kpis_of(FY_PREV), *kpi, *prev, *t,
	       *p, *target;
	char line[512], *w[12];
	struct run r;
	size_t i;

	(void)state;
	run_cli(&r, 0,
	    (const char *[]){ "kpi", "--window", FY, "--as-at", AS_AT, NULL });
	assert_string_equal(nth_line(r.out, 0, line, sizeof(line)),
	    "window fy2019: 2019-04-01..2020-03-31 (previous "
	    "2018-04-01..2019-03-31), today " AS_AT);
	for (i = 0; i < NITEMS(want); i++) {
		kpi = json_object_get(now, want[i].id);
		prev = json_object_get(before, want[i].id);
		assert_non_null(kpi);
		assert_non_null(prev);
		assert_string_equal(str(kpi, "unit"), "percent");
		/* The catalogue's default target (no configuration). */
		assert_non_null(t = json_object_get(kpi, "target"));
		target = json_pack("{s:f, s:s, s:f}", "value", want[i].target,
		    "better", want[i].better, "amber", want[i].amber);
		assert_true(json_equal(t, target));
		json_decref(target);
		if (json_is_null(json_object_get(kpi, "value")))
			assert_true(json_is_null(json_object_get(kpi, "rag")));
		else
			assert_string_equal(str(kpi, "rag"), rag_of(kpi));
		/* previous is fy2018's figure, asked for on the same day. */
		p = json_object_get(kpi, "previous");
		assert_int_equal(json_object_size(p), 3);
		assert_int_equal(num(p, "num"), num(prev, "num"));
		assert_int_equal(num(p, "den"), num(prev, "den"));
		assert_true(json_equal(json_object_get(p, "value"),
		    json_object_get(prev, "value")));
		check_kpi_row(r.out, want[i].id, kpi, prev, want[i].shown);
	}
	/* An as-at KPI is counted on the window's last day. */
	if ((kpi = json_object_get(now, "lac.population")) != NULL) {
		assert_string_equal(str(kpi, "as_at"), "2020-03-31");
		assert_non_null(line_starting(
		    r.out, "lac.population ", line, sizeof(line)));
		assert_true(words(line, w, NITEMS(w)) >= 4);
		assert_string_equal(w[1], "as");
		assert_string_equal(w[2], "at");
		assert_string_equal(w[3], "2020-03-31");
	}
	run_free(&r);
	json_decref(now);
	json_decref(before);
}

/* ---- report ---- */

static const struct {
	const char *kpi, *group, *title, *csv;
} sections[] = {
	{ "lac.participation", "codes", "Participation in LAC reviews by code",
	    "participation" },
	{ "cp.repeat_plans", "since_previous",
	    "Repeat child protection plans by time since the previous plan",
	    "repeat_plans_since" },
	{ "cp.repeat_plans", "age_at_start",
	    "Repeat child protection plans by age at start",
	    "repeat_plans_age" },
	{ "cp.categories", NULL,
	    "Child protection plans started by category of abuse",
	    "categories" },
	{ "cp.conferences_disrupted", NULL,
	    "Conferences stood down or out of date, by reason",
	    "conferences_disrupted" },
	{ "qa.alerts", NULL, "Quality assurance alerts by area and kind",
	    "qa_alerts" },
};

#define SUMMARY_TITLE \
	"Summary: what is working well and what we are worried about"

static json_t *
group_of(json_t *kpis, const char *kpi, const char *group)
{
	return json_object_get(
	    json_object_get(json_object_get(kpis, kpi), "breakdown"), group);
}

static void
test_report_md(void **state)
{
	json_t *now = kpis_of(FY), *before = kpis_of(FY_PREV), *kpi, *v;
	char cells[8][128], want[128], *body;
	const char *id, *key;
	struct run r;
	size_t i, rows = 0;

	(void)state;
	run_cli(&r, 0,
	    (const char *[]){
		"report", "--fy", "2019", "--as-at", AS_AT, NULL });
	assert_non_null(strstr(
	    r.out, "# IRO service annual report: fy2019 beside fy2018\n"));

	/* A summary row for every KPI, whatever the catalogue holds. */
	body = md_section(r.out, SUMMARY_TITLE);
	assert_int_equal(md_row(body, "KPI", cells, 8), 6);
	assert_string_equal(cells[2], FY);
	assert_string_equal(cells[3], FY_PREV);
	json_object_foreach(now, id, kpi)
	{
		if (md_row(body, id, cells, 8) != 6)
			fail_msg("no summary row for %s", id);
		assert_string_equal(cells[1], str(kpi, "title"));
		headline(kpi, want, sizeof(want));
		assert_string_equal(cells[2], want);
		headline(json_object_get(before, id), want, sizeof(want));
		assert_string_equal(cells[3], want);
		rows++;
	}
	/* The rows, the header and the line under it. */
	assert_int_equal(harness_count_lines(body, "| "), rows + 2);
	md_row(body, "lac.review_timeliness", cells, 8);
	assert_string_equal(cells[4], ">= 98%");
	md_row(body, "cp.repeat_plans", cells, 8);
	assert_string_equal(cells[4], "<= 19%");
	assert_string_equal(
	    cells[5], str(json_object_get(now, "cp.repeat_plans"), "rag"));
	free(body);

	/* The breakdown sections of the KPIs there are. */
	for (i = 0; i < NITEMS(sections); i++) {
		if (json_object_get(now, sections[i].kpi) == NULL) {
			assert_null(strstr(r.out, sections[i].title));
			continue;
		}
		body = md_section(r.out, sections[i].title);
		if (sections[i].group != NULL)
			json_object_foreach(
			    group_of(now, sections[i].kpi, sections[i].group),
			    key, v)
			{
				if (md_row(body, key, cells, 8) != 3)
					fail_msg("%s: no row %s",
					    sections[i].title, key);
				snprintf(want, sizeof(want), "%lld",
				    (long long)json_integer_value(v));
				assert_string_equal(cells[1], want);
				snprintf(want, sizeof(want), "%lld",
				    (long long)json_integer_value(
					json_object_get(
					    group_of(before, sections[i].kpi,
						sections[i].group),
					    key)));
				assert_string_equal(cells[2], want);
			}
		free(body);
	}
	run_free(&r);
	json_decref(now);
	json_decref(before);
}

/* A breakdown's ratio item, {num, den, value}. */
static bool
is_ratio(json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 3 &&
	       json_is_integer(json_object_get(v, "num")) &&
	       json_is_integer(json_object_get(v, "den"));
}

static long long
count_of(json_t *v)
{
	return json_integer_value(is_ratio(v) ? json_object_get(v, "num") : v);
}

static bool
has_groups(json_t *bd)
{
	const char *key;
	json_t *v;

	json_object_foreach(bd, key, v)
	{
		if (json_is_object(v) && !is_ratio(v))
			return true;
	}
	return false;
}

/*
 * A section showing a whole breakdown: a line "section,[group,]item,count,"
 * for every item of this year's, the group column there when either year
 * has a group.
 */
static void
check_flat_csv(const char *csv, const char *section, json_t *bd, json_t *prev)
{
	bool grouped = has_groups(bd) || has_groups(prev);
	const char *key, *sub;
	char want[512];
	json_t *v, *w;

	json_object_foreach(bd, key, v)
	{
		if (!json_is_object(v) || is_ratio(v)) {
			snprintf(want, sizeof(want), "\r\n%s,%s%s,%lld,",
			    section, grouped ? "," : "", key, count_of(v));
			if (strstr(csv, want) == NULL)
				fail_msg("no line %s", want + 2);
			continue;
		}
		json_object_foreach(v, sub, w)
		{
			snprintf(want, sizeof(want), "\r\n%s,%s,%s,%lld,",
			    section, key, sub, count_of(w));
			if (strstr(csv, want) == NULL)
				fail_msg("no line %s", want + 2);
		}
	}
}

static void
test_report_csv(void **state)
{
	json_t *now = kpis_of(FY), *before = kpis_of(FY_PREV), *kpi, *g, *v;
	char want[1024], a[8][64];
	const char *id, *key, *p;
	struct run r;
	size_t i, tables = 1;

	(void)state;
	run_cli(&r, 0,
	    (const char *[]){ "report", "--fy", "2019", "--as-at", AS_AT,
		"--format", "csv", NULL });
	/* RFC 4180: CRLF after every line, a blank line between tables. */
	for (p = r.out; (p = strchr(p, '\n')) != NULL; p++)
		assert_int_equal(p[-1], '\r');
	for (p = r.out; (p = strstr(p, "\r\n\r\n")) != NULL; p += 4) {
		assert_memory_equal(p + 4, "section,", 8);
		tables++;
	}
	assert_memory_equal(r.out,
	    "section,kpi,title,unit,fy2019,fy2019_num,fy2019_den,"
	    "fy2019_as_at,fy2018,fy2018_num,fy2018_den,fy2018_as_at,target,"
	    "better,amber,rag\r\n",
	    strlen("section,kpi,title,unit,fy2019,fy2019_num,fy2019_den,"
		   "fy2019_as_at,fy2018,fy2018_num,fy2018_den,fy2018_as_at,"
		   "target,better,amber,rag\r\n"));

	/* Summary rows, exactly; titles with a comma quoted. */
	json_object_foreach(now, id, kpi)
	{
		json_t *pk = json_object_get(before, id);
		json_t *t = json_object_get(kpi, "target");

		bare(json_object_get(kpi, "value"), a[0], sizeof(a[0]));
		bare(json_object_get(pk, "value"), a[1], sizeof(a[1]));
		bare(json_object_get(t, "value"), a[2], sizeof(a[2]));
		bare(json_object_get(t, "amber"), a[3], sizeof(a[3]));
		snprintf(want, sizeof(want),
		    "\r\nsummary,%s,%s%s%s,%s,%s,%lld,%lld,%s,%s,%lld,%lld,%s,"
		    "%s,%s,%s,%s\r\n",
		    id, strchr(str(kpi, "title"), ',') ? "\"" : "",
		    str(kpi, "title"),
		    strchr(str(kpi, "title"), ',') ? "\"" : "",
		    str(kpi, "unit"), a[0], num(kpi, "num"), num(kpi, "den"),
		    json_string_value(json_object_get(kpi, "as_at"))
			? str(kpi, "as_at")
			: "",
		    a[1], num(pk, "num"), num(pk, "den"),
		    json_string_value(json_object_get(pk, "as_at"))
			? str(pk, "as_at")
			: "",
		    a[2],
		    json_string_value(json_object_get(t, "better"))
			? str(t, "better")
			: "",
		    a[3],
		    json_string_value(json_object_get(kpi, "rag"))
			? str(kpi, "rag")
			: "");
		if (strstr(r.out, want) == NULL)
			fail_msg("no line %s in:\n%s", want + 2, r.out);
	}
	assert_non_null(strstr(r.out,
	    "\r\nsummary,lac.review_timeliness,LAC reviews held in timescale "
	    "(meetings),percent,"));

	/* Each section of a KPI that exists: its header, its rows. */
	for (i = 0; i < NITEMS(sections); i++) {
		snprintf(want, sizeof(want), "\r\n%s,", sections[i].csv);
		if (json_object_get(now, sections[i].kpi) == NULL) {
			assert_null(strstr(r.out, want));
			continue;
		}
		assert_non_null(strstr(r.out, want));
		if (sections[i].group == NULL) {
			check_flat_csv(r.out, sections[i].csv,
			    json_object_get(
				json_object_get(now, sections[i].kpi),
				"breakdown"),
			    json_object_get(
				json_object_get(before, sections[i].kpi),
				"breakdown"));
			tables--;
			continue;
		}
		g = group_of(now, sections[i].kpi, sections[i].group);
		json_object_foreach(g, key, v)
		{
			snprintf(want, sizeof(want), "\r\n%s,%s,%lld,%lld\r\n",
			    sections[i].csv, key,
			    (long long)json_integer_value(v),
			    (long long)json_integer_value(json_object_get(
				group_of(before, sections[i].kpi,
				    sections[i].group),
				key)));
			if (strstr(r.out, want) == NULL)
				fail_msg("no line %s", want + 2);
		}
		tables--;
	}
	assert_int_equal(tables, 1); /* the summary */
	run_free(&r);
	json_decref(now);
	json_decref(before);
}

/* ---- caseload ---- */

static void
test_caseload(void **state)
{
	json_t *kpis, *kpi, *reply, *iro, *item, *want;
	char line[256], *w[8];
	const char *name;
	struct run r;
	size_t i;

	(void)state;
	kpis = cli_json((const char *[]){ "kpi", "--json", "--window",
	    "2019-06-30..2019-06-30", "--as-at", "2019-06-30", NULL });
	if ((kpi = json_object_get(kpis, "iro.caseload")) == NULL) {
		json_decref(kpis);
		print_message("no KPI iro.caseload in this irokpid yet\n");
		skip();
	}
	reply = cli_json((const char *[]){
	    "caseload", "--as-at", "2019-06-30", "--json", NULL });
	assert_string_equal(str(reply, "as_at"), "2019-06-30");
	assert_true(json_is_real(json_object_get(reply, "ceiling")));
	assert_true(
	    json_number_value(json_object_get(reply, "ceiling")) == 105.0);
	assert_true(json_equal(
	    json_object_get(reply, "average"), json_object_get(kpi, "value")));
	/* The same figures as the KPI's breakdown, IRO for IRO. */
	assert_int_equal(json_array_size(json_object_get(reply, "iros")),
	    json_object_size(
		json_object_get(json_object_get(kpi, "breakdown"), "iros")));
	json_array_foreach(json_object_get(reply, "iros"), i, iro)
	{
		name = str(iro, "iro");
		item = json_object_get(
		    json_object_get(json_object_get(kpi, "breakdown"), "iros"),
		    name);
		assert_non_null(item);
		assert_int_equal(num(iro, "lac"), num(item, "num"));
		assert_int_equal(num(iro, "cp"), num(item, "den"));
		assert_true(json_equal(json_object_get(iro, "weighted"),
		    json_object_get(item, "value")));
		assert_int_equal(json_is_true(json_object_get(iro, "over")),
		    json_number_value(json_object_get(iro, "weighted")) > 105);
	}
	/* Q01, looked after since 2019-04-01, is IRO-Q1's only child. */
	want = json_pack("{s:s, s:f, s:i, s:i, s:b}", "iro", "IRO-Q1",
	    "weighted", 1.5, "lac", 1, "cp", 0, "over", 0);
	json_array_foreach(json_object_get(reply, "iros"), i, iro)
	{
		if (strcmp(str(iro, "iro"), "IRO-Q1") == 0)
			assert_true(json_equal(iro, want));
	}
	json_decref(want);

	run_cli(&r, 0,
	    (const char *[]){ "caseload", "--as-at", "2019-06-30", NULL });
	assert_string_equal(nth_line(r.out, 0, line, sizeof(line)),
	    "caseload as at 2019-06-30, ceiling 105");
	assert_non_null(line_starting(r.out, "IRO-Q1 ", line, sizeof(line)));
	assert_int_equal(words(line, w, NITEMS(w)), 5);
	assert_string_equal(w[1], "1.5");
	assert_string_equal(w[2], "1");
	assert_string_equal(w[3], "0");
	assert_string_equal(w[4], "no");
	assert_non_null(line_starting(r.out, "average ", line, sizeof(line)));
	run_free(&r);
	json_decref(reply);
	json_decref(kpis);
}

/* ---- admin rebuild ---- */

static void
test_admin_rebuild(void **state)
{
	json_t *stats = NULL, *status;
	unsigned long long children;
	double seconds;
	struct run before, r, after;

	(void)state;
	run_cli(&before, 0,
	    (const char *[]){
		"kpi", "--json", "--window", FY, "--as-at", AS_AT, NULL });
	assert_int_equal(harness_cli(&daemon_h, &r, NULL,
			     (const char *[]){ "admin", "rebuild", NULL }),
	    0);
	if (r.status == 1 && strstr(r.err, "unknown query") != NULL) {
		run_free(&r);
		run_free(&before);
		print_message("no rebuild query in this irokpid yet\n");
		skip();
	}
	if (r.status != 0)
		fail_msg("admin rebuild: exit %d: %s", r.status, r.err);
	assert_int_equal(harness_stats(&daemon_h, &stats), 0);
	assert_int_equal(sscanf(r.out, "rebuilt %llu children in %lf s\n",
			     &children, &seconds),
	    2);
	assert_int_equal(children, num(stats, "children"));
	assert_int_equal(harness_count_lines(r.out, ""), 1);
	run_free(&r);

	/* Rebuilt projections answer as the incremental ones did. */
	run_cli(&after, 0,
	    (const char *[]){
		"kpi", "--json", "--window", FY, "--as-at", AS_AT, NULL });
	assert_string_equal(after.out, before.out);
	run_free(&after);
	run_free(&before);

	status =
	    cli_json((const char *[]){ "admin", "rebuild", "--json", NULL });
	assert_string_equal(str(status, "state"), "done");
	assert_int_equal(num(status, "children"), num(stats, "children"));
	json_decref(status);
	json_decref(stats);
}

/* ---- usage ---- */

static void
test_usage(void **state)
{
	static const char *const cmds[] = { "child", "caseload", "report",
		"admin" };
	char want[64];
	struct run r;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(cmds); i++) {
		run_cli(&r, 0, (const char *[]){ cmds[i], "--help", NULL });
		snprintf(want, sizeof(want), "usage: irokpi %s ", cmds[i]);
		assert_memory_equal(r.out, want, strlen(want));
		run_free(&r);
	}
	run_cli(&r, 2, (const char *[]){ "report", NULL });
	assert_non_null(strstr(r.err, "--fy"));
	run_free(&r);
	run_cli(&r, 2,
	    (const char *[]){
		"report", "--fy", "2019", "--format", "xml", NULL });
	run_free(&r);
	run_cli(&r, 2, (const char *[]){ "report", "--fy", "nineteen", NULL });
	run_free(&r);
	run_cli(&r, 2, (const char *[]){ "admin", "frobnicate", NULL });
	run_free(&r);
	run_cli(&r, 2, (const char *[]){ "caseload", "extra", NULL });
	run_free(&r);
	/* The daemon refuses a bad as-at day. */
	run_cli(&r, 1,
	    (const char *[]){ "child", CHILD, "--as-at", "2019-02-30", NULL });
	assert_string_equal(r.err, "irokpi: as_at: not a date YYYY-MM-DD\n");
	run_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_child_timeline),
		cmocka_unit_test(test_child_deadline_edges),
		cmocka_unit_test(test_child_text),
		cmocka_unit_test(test_child_unknown),
		cmocka_unit_test(test_kpi_target_rag_previous),
		cmocka_unit_test(test_report_md),
		cmocka_unit_test(test_report_csv),
		cmocka_unit_test(test_caseload),
		cmocka_unit_test(test_usage),
		/* Last: it rewrites the projections the others read. */
		cmocka_unit_test(test_admin_rebuild),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
