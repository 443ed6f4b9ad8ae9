/*
 * GET /metrics (issue 8): the real irokpid with [metrics] listen on a free
 * loopback port and --clock in the fixture's financial year, fed by the real
 * CLI and scraped over a plain socket.  The page counts what was stored, its
 * histogram counts every batch, each KPI's gauges equal `irokpi kpi --json`
 * (no value gauge when den is 0), the breaches socket's subscribers come
 * and go, promtool finds nothing to say about it, and every metric the
 * example Grafana dashboard queries is on it.  Another path is 404, another
 * method 405; without [metrics] nothing listens; a port taken stops
 * start-up.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <jansson.h>

#include "tests/integration/ops_util.h"
#include "tests/support/harness.h"

#define READY_MS 60000 /* valgrind starts slowly */
#define KPI      "lac.review_timeliness"
#define TODAY    "2020-03-31" /* fytd: fy2019, the fixture's busy year */

struct ctx {
	struct harness h;
	struct opsd o;
	int port;
	char log[300], conf[300], clock[300];
};

static int
setup(void **state)
{
	struct ctx *c = calloc(1, sizeof(*c));

	if (c == NULL || harness_init(&c->h) != 0)
		return -1;
	c->o.pid = -1;
	snprintf(c->log, sizeof(c->log), "%s/run.log", c->h.dir);
	snprintf(c->conf, sizeof(c->conf), "%s/irokpid.conf", c->h.dir);
	snprintf(c->clock, sizeof(c->clock), "%s/today", c->h.dir);
	*state = c;
	return 0;
}

static int
teardown(void **state)
{
	struct ctx *c = *state;

	if (c->o.pid > 0)
		ops_stop(&c->o);
	harness_fini(&c->h);
	free(c);
	return 0;
}

/* irokpid -c conf --data-dir DIR --clock FILE with conf's text. */
static void
start(struct ctx *c, const char *conf)
{
	const char *args[] = { "-c", c->conf, "--data-dir", c->h.dir,
		"--clock", c->clock, NULL };

	assert_int_equal(ops_write(c->conf, conf), 0);
	assert_int_equal(ops_write(c->clock, TODAY "\n"), 0);
	assert_int_equal(ops_start(&c->o, c->log, args, NULL), 0);
	assert_true(ops_log_wait(&c->o, "ready:", READY_MS));
}

static void
start_metrics(struct ctx *c)
{
	char conf[128], want[128];

	assert_true((c->port = ops_free_port()) > 0);
	snprintf(conf, sizeof(conf), "[metrics]\nlisten = %d\n", c->port);
	start(c, conf);
	snprintf(want, sizeof(want),
	    "metrics: listening on http://127.0.0.1:%d/metrics", c->port);
	assert_true(ops_log_wait(&c->o, want, 1000));
}

/*
 * One HTTP/1.0 request to 127.0.0.1:port.  Returns the status code, with
 * the head and the body (NUL-terminated, the caller's to free); -1 with
 * errno when it could not connect, -2 on a reply that is not HTTP.
 */
static int
http(int port, const char *method, const char *path, char **head, char **body)
{
	struct sockaddr_in sa;
	struct timeval tv = { 60, 0 };
	char req[256], *buf = NULL, *sep, *tmp;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, status = -2, e;

	*head = *body = NULL;
	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	n = snprintf(req, sizeof(req),
	    "%s %s HTTP/1.0\r\nHost: 127.0.0.1\r\n"
	    "Content-Length: 0\r\n\r\n",
	    method, path);
	assert_int_equal(write(fd, req, (size_t)n), n);
	for (;;) {
		if (cap - len < 4096) {
			cap = cap ? cap * 2 : 65536;
			assert_non_null(tmp = realloc(buf, cap));
			buf = tmp;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	if (buf == NULL)
		return -2;
	buf[len] = '\0';
	if ((sep = strstr(buf, "\r\n\r\n")) != NULL &&
	    sscanf(buf, "HTTP/1.%*d %d", &status) == 1) {
		*sep = '\0';
		assert_non_null(*body = strdup(sep + 4));
		*head = buf;
		return status;
	}
	free(buf);
	return -2;
}

/* GET /metrics, 200 with the exposition's content type; its body. */
static char *
scrape(int port)
{
	char *head, *body;

	assert_int_equal(http(port, "GET", "/metrics", &head, &body), 200);
	assert_non_null(strstr(head,
	    "\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8"));
	free(head);
	return body;
}

/* The value of the sample named exactly series ("name" or
 * "name{labels}"); NAN when the page has none. */
static double
sample(const char *body, const char *series)
{
	size_t n = strlen(series);
	const char *p;

	for (p = body; p != NULL && *p != '\0'; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (strncmp(p, series, n) == 0 && p[n] == ' ')
			return strtod(p + n + 1, NULL);
	}
	return NAN;
}

static double
kpi_sample(const char *body, const char *family, const char *kpi)
{
	char series[160];

	snprintf(series, sizeof(series), "%s{kpi=\"%s\",window=\"fytd\"}",
	    family, kpi);
	return sample(body, series);
}

/* `irokpi ARGS` exits 0; its stdout (the caller frees). */
static char *
cli_out(struct ctx *c, const char *const argv[], const char *stdin_path)
{
	struct run r;
	char *out;

	assert_int_equal(harness_cli(&c->h, &r, stdin_path, argv), 0);
	if (r.status != 0)
		fprintf(
		    stderr, "irokpi %s: %d: %s\n", argv[0], r.status, r.err);
	assert_int_equal(r.status, 0);
	assert_non_null(out = strdup(r.out));
	run_free(&r);
	return out;
}

static void
publish_fixture(struct ctx *c)
{
	const char *argv[] = { "publish", NULL };

	free(cli_out(c, argv, harness_data("kpi_events.jsonl")));
}

/*
 * Every KPI's fytd gauges equal the kpi query's answer; with the store empty
 * no KPI but the counts has a value, after the fixture the headline one has.
 */
static void
check_kpis(struct ctx *c, const char *body, bool empty)
{
	const char *argv[] = { "kpi", "--json", NULL };
	const char *id;
	json_t *all, *k;
	char *out = cli_out(c, argv, NULL);
	size_t without_value = 0;

	assert_non_null(all = json_loads(out, 0, NULL));
	free(out);
	assert_true(json_object_size(all) > 10);
	json_object_foreach(all, id, k)
	{
		json_t *v = json_object_get(k, "value");

		assert_true(
		    kpi_sample(body, "irokpi_kpi_numerator", id) ==
		    (double)json_integer_value(json_object_get(k, "num")));
		assert_true(
		    kpi_sample(body, "irokpi_kpi_denominator", id) ==
		    (double)json_integer_value(json_object_get(k, "den")));
		if (json_is_number(v))
			assert_true(
			    fabs(kpi_sample(body, "irokpi_kpi_value", id) -
				 json_number_value(v)) < 1e-9);
		else {
			assert_true(
			    isnan(kpi_sample(body, "irokpi_kpi_value", id)));
			without_value++;
		}
	}
	json_decref(all);
	if (empty) {
		assert_true(without_value > 10);
		assert_true(isnan(kpi_sample(body, "irokpi_kpi_value", KPI)));
		assert_true(
		    kpi_sample(body, "irokpi_kpi_denominator", KPI) == 0);
	} else {
		assert_true(
		    kpi_sample(body, "irokpi_kpi_denominator", KPI) > 0);
		assert_false(isnan(kpi_sample(body, "irokpi_kpi_value", KPI)));
	}
}

static void
check_histogram(const char *body)
{
	double batches = sample(body, "irokpi_batches_total"),
	       count = sample(body, "irokpi_commit_duration_seconds_count"),
	       inf = sample(
		   body, "irokpi_commit_duration_seconds_bucket{le=\"+Inf\"}"),
	       one = sample(
		   body, "irokpi_commit_duration_seconds_bucket{le=\"1\"}"),
	       sum = sample(body, "irokpi_commit_duration_seconds_sum");

	assert_true(batches >= 1);
	assert_true(count == batches);
	assert_true(inf == count);
	assert_true(one <= count);
	assert_true(sum > 0);
}

/* promtool check metrics < page: exit 0 and not a word. */
static void
check_promtool(struct ctx *c, const char *body)
{
	char page[300], out[300], err[300];
	char *argv[] = { "sh", "-c", "exec promtool check metrics < \"$1\"",
		"sh", page, NULL };
	char *o, *e;

	snprintf(page, sizeof(page), "%s/metrics.txt", c->h.dir);
	snprintf(out, sizeof(out), "%s/promtool.out", c->h.dir);
	snprintf(err, sizeof(err), "%s/promtool.err", c->h.dir);
	assert_int_equal(ops_write(page, body), 0);
	assert_int_equal(harness_run_to(argv, out, err), 0);
	assert_non_null(o = harness_slurp(out, NULL));
	assert_non_null(e = harness_slurp(err, NULL));
	if (o[0] != '\0' || e[0] != '\0')
		fprintf(stderr, "promtool: %s%s", o, e);
	assert_string_equal(o, "");
	assert_string_equal(e, "");
	free(o);
	free(e);
}

/* Each "expr" under j: every irokpi_ name in it is a family of body. */
static size_t
check_exprs(const json_t *j, const char *body)
{
	const char *key, *p, *s;
	const json_t *v;
	size_t i, n = 0;
	char name[96], want[128];

	if (json_is_array(j)) {
		json_array_foreach(j, i, v) n += check_exprs(v, body);
		return n;
	}
	if (!json_is_object(j))
		return 0;
	json_object_foreach((json_t *)j, key, v)
	{
		if (strcmp(key, "expr") != 0 || !json_is_string(v)) {
			n += check_exprs(v, body);
			continue;
		}
		s = json_string_value(v);
		for (p = strstr(s, "irokpi_"); p != NULL;
		     p = strstr(p, "irokpi_")) {
			for (i = 0;
			     i < sizeof(name) - 1 &&
			     (islower((unsigned char)p[i]) || p[i] == '_');
			     i++)
				name[i] = p[i];
			name[i] = '\0';
			p += i;
			if (i > 7 && strcmp(name + i - 7, "_bucket") == 0)
				name[i - 7] = '\0';
			snprintf(want, sizeof(want), "\n# TYPE %s ", name);
			if (strstr(body, want) == NULL)
				fprintf(stderr,
				    "dashboard: %s is not on the "
				    "page\n",
				    name);
			assert_non_null(strstr(body, want));
			n++;
		}
	}
	return n;
}

static void
check_dashboard(const char *body)
{
	const char *dir = getenv("IRK_EXAMPLES");
	char path[PATH_MAX];
	json_error_t jerr;
	json_t *dash;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/grafana-dashboard.json", dir);
	dash = json_load_file(path, 0, &jerr);
	if (dash == NULL)
		fprintf(stderr, "%s:%d: %s\n", path, jerr.line, jerr.text);
	assert_non_null(dash);
	assert_true(check_exprs(json_object_get(dash, "panels"), body) >= 10);
	json_decref(dash);
}

/* Wait until the page's series is within lo..hi. */
static bool
sample_becomes(int port, const char *series, double lo, double hi)
{
	double got = NAN;
	int waited;
	char *body;

	for (waited = 0; waited < READY_MS; waited += 100) {
		body = scrape(port);
		got = sample(body, series);
		free(body);
		if (got >= lo && got <= hi)
			return true;
		ops_sleep(100);
	}
	fprintf(stderr, "%s %g, want %g..%g\n", series, got, lo, hi);
	return false;
}

static void
test_scrape(void **state)
{
	struct ctx *c = *state;
	const char *watch[] = { "watch", NULL };
	struct run w;
	char *body;

	start_metrics(c);
	body = scrape(c->port);
	assert_true(sample(body, "irokpi_events_stored_total") == 0);
	assert_true(sample(body, "irokpi_commit_duration_seconds_count") == 0);
	check_kpis(c, body, true);
	free(body);

	publish_fixture(c);
	/* Breaches go out after the ack, in the same loop turn. */
	assert_true(sample_becomes(
	    c->port, "irokpi_breaches_published_total", 1, INFINITY));
	body = scrape(c->port);
	assert_true(sample(body, "irokpi_events_stored_total") ==
		    (double)harness_events(&c->h));
	assert_true(sample(body, "irokpi_events_stored_total") > 100);
	assert_true(sample(body, "irokpi_log_events") ==
		    sample(body, "irokpi_events_stored_total"));
	assert_true(sample(body, "irokpi_events_rejected_total") == 0);
	assert_true(sample(body, "irokpi_lmdb_used_bytes") > 0);
	assert_true(sample(body, "irokpi_lmdb_used_bytes") <=
		    sample(body, "irokpi_lmdb_map_size_bytes"));
	assert_true(sample(body, "irokpi_build_info{version=\"" IRK_VERSION
				 "\"}") == 1);
	check_histogram(body);
	check_kpis(c, body, false);
	check_promtool(c, body);
	check_dashboard(body);
	free(body);

	/* Sent again: every event a duplicate, nothing more stored. */
	publish_fixture(c);
	body = scrape(c->port);
	assert_true(sample(body, "irokpi_events_duplicate_total") ==
		    sample(body, "irokpi_events_stored_total"));
	free(body);

	assert_int_equal(harness_cli_start(&c->h, &w, NULL, watch), 0);
	assert_true(sample_becomes(c->port, "irokpi_subscribers", 1, 1));
	kill(w.pid, SIGTERM);
	assert_int_equal(harness_cli_wait(&w), 0);
	run_free(&w);
	assert_true(sample_becomes(c->port, "irokpi_subscribers", 0, 0));

	assert_int_equal(ops_stop(&c->o), 0);
}

static void
test_not_metrics(void **state)
{
	struct ctx *c = *state;
	char *head, *body;

	start_metrics(c);
	assert_int_equal(http(c->port, "GET", "/", &head, &body), 404);
	free(head);
	free(body);
	assert_int_equal(
	    http(c->port, "GET", "/metrics/x", &head, &body), 404);
	free(head);
	free(body);
	assert_int_equal(http(c->port, "POST", "/metrics", &head, &body), 405);
	assert_non_null(strstr(head, "\r\nAllow: GET, HEAD"));
	free(head);
	free(body);
	assert_int_equal(
	    http(c->port, "DELETE", "/metrics", &head, &body), 405);
	free(head);
	free(body);
	assert_int_equal(ops_stop(&c->o), 0);
}

/* Without [metrics] the daemon holds no tcp socket at all. */
static void
test_off_by_default(void **state)
{
	struct ctx *c = *state;
	char fddir[64], link[PATH_MAX], *log;
	struct dirent *de;
	ssize_t n;
	DIR *dp;
	size_t sockets = 0;
	char *tcp, *tcp6, inode[32];

	start(c, "[ingest]\nslow_commit_ms = 5000\n");
	tcp = harness_slurp("/proc/net/tcp", NULL);
	tcp6 = harness_slurp("/proc/net/tcp6", NULL);
	assert_non_null(tcp);
	snprintf(fddir, sizeof(fddir), "/proc/%ld/fd", (long)c->o.pid);
	assert_non_null(dp = opendir(fddir));
	while ((de = readdir(dp)) != NULL) {
		char path[PATH_MAX];
		unsigned long ino;

		snprintf(path, sizeof(path), "%s/%s", fddir, de->d_name);
		if ((n = readlink(path, link, sizeof(link) - 1)) <= 0)
			continue;
		link[n] = '\0';
		if (sscanf(link, "socket:[%lu]", &ino) != 1)
			continue;
		sockets++;
		/* /proc/net/tcp's inode column, between spaces. */
		snprintf(inode, sizeof(inode), " %lu ", ino);
		assert_null(strstr(tcp, inode));
		assert_true(tcp6 == NULL || strstr(tcp6, inode) == NULL);
	}
	closedir(dp);
	assert_true(sockets > 0); /* the ipc sockets, at least */
	assert_int_equal(ops_stop(&c->o), 0);
	assert_non_null(log = ops_read(c->log));
	assert_null(strstr(log, "metrics:"));
	free(log);
	free(tcp);
	free(tcp6);
}

/* A port already taken stops start-up, saying so; so does a bad value. */
static void
test_bind_failure(void **state)
{
	struct ctx *c = *state;
	const char *args[] = { "-c", c->conf, "--data-dir", c->h.dir, NULL };
	const char *check[] = { "-n", "-c", c->conf, "--data-dir", c->h.dir,
		NULL };
	struct sockaddr_in sa;
	socklen_t len = sizeof(sa);
	char conf[128], want[128], *log;
	int fd, one = 1;

	assert_true((fd = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	snprintf(conf, sizeof(conf), "[metrics]\nlisten = 127.0.0.1:%d\n",
	    ntohs(sa.sin_port));
	assert_int_equal(ops_write(c->conf, conf), 0);
	assert_int_equal(ops_start(&c->o, c->log, args, NULL), 0);
	assert_int_equal(ops_wait(&c->o, READY_MS), 1);
	close(fd);
	snprintf(want, sizeof(want),
	    "metrics: cannot serve [metrics] listen = 127.0.0.1:%d",
	    ntohs(sa.sin_port));
	assert_non_null(log = ops_read(c->log));
	assert_non_null(strstr(log, want));
	assert_null(strstr(log, "ready:"));
	free(log);

	assert_int_equal(ops_write(c->conf, "[metrics]\nlisten = 70000\n"), 0);
	assert_int_equal(ops_start(&c->o, c->log, check, NULL), 0);
	assert_int_equal(ops_wait(&c->o, READY_MS), 1);
	assert_non_null(log = ops_read(c->log));
	assert_non_null(strstr(log, "[metrics] listen: \"70000\" is not a "
				    "port 1..65535"));
	free(log);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scrape, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_not_metrics, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_off_by_default, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_bind_failure, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
