/*
 * bench_query: where a kpi query's time goes, one request at a time, as
 * p50 / p99 / p99.9 in microseconds per query shape.
 *
 *   bench_query QUERY_ENDPOINT [ROUNDS]
 *	a running irokpid, through the client library (the CLI's path).  The
 *	first shape, "(stats)", is the cheapest query there is: the floor that
 *	the round trip and the query thread's dispatch set.
 *   bench_query direct DATA_DIR [ROUNDS]
 *	the same KPIs computed in this process on the store in DATA_DIR (the
 *	daemon stopped): what the query thread does for them, without sockets
 *	or packing.
 *   bench_query floor [ROUNDS]
 *	the transport alone: a ZeroMQ REQ to a ROUTER echo in another process
 *	over ipc (the daemon's path), and a unix socketpair echo (the kernel's
 *	floor for any round trip between two processes).
 */
#include <msgpack.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zmq.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/irokpi.h"
#include "domain/calendar.h"
#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi.h"
#include "domain/timescale.h"
#include "domain/window.h"
#include "store/store.h"
#include "proto/pack.h"

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The as-at day of every kpi shape. */
#define AS_AT "2020-06-30"

/* {"q":"kpi","ids":[id],"window":w,"as_at":AS_AT} (id NULL: all),
 * or {"q":"stats"} without a window. */
static void
request(msgpack_sbuffer *sb, const char *id, const char *window)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	if (window == NULL) {
		msgpack_pack_map(&pk, 1);
		pack_cstr(&pk, "q");
		pack_cstr(&pk, "stats");
		return;
	}
	msgpack_pack_map(&pk, id != NULL ? 4 : 3);
	pack_cstr(&pk, "q");
	pack_cstr(&pk, "kpi");
	pack_cstr(&pk, "window");
	pack_cstr(&pk, window);
	pack_cstr(&pk, "as_at");
	pack_cstr(&pk, AS_AT);
	if (id != NULL) {
		pack_cstr(&pk, "ids");
		msgpack_pack_array(&pk, 1);
		pack_cstr(&pk, id);
	}
}

static const struct {
	const char *id, *window;
} shapes[] = {
	{ "(stats)", NULL },
	{ "lac.review_timeliness", "fy2019" },
	{ "lac.review_timeliness", "2019-05" },
	{ "lac.review_timeliness", "2019-05-17..2020-02-03" },
	{ "cp.repeat_plans", "rolling12" },
	{ "lac.population", "fy2019" },
	{ "cp.plans_open", "fy2019" },
	{ NULL, "fy2019" },
};

/* Sorts lat[0..n) and prints one line of percentiles. */
static void
print_line(const char *id, const char *window, double *lat, int n)
{
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	printf("%-24s %-24s %9.1f %9.1f %9.1f\n", id, window, lat[n / 2],
	    lat[n * 99 / 100], lat[n * 999 / 1000]);
}

static void
print_header(void)
{
	printf("%-24s %-24s %9s %9s %9s\n", "kpi", "window", "p50_us",
	    "p99_us", "p99.9_us");
}

static int
run_socket(const char *endpoint, double *lat, int rounds)
{
	struct irokpi *k = NULL;
	size_t s;
	int i;

	if (irokpi_open(NULL, endpoint, &k) != 0) {
		fprintf(stderr, "bench_query: cannot open %s\n", endpoint);
		return 2;
	}
	printf("setup: %d sequential requests per shape over ipc, client "
	       "library, one client\n",
	    rounds);
	print_header();
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++) {
		msgpack_sbuffer req;
		char *reply = NULL;
		size_t len;

		msgpack_sbuffer_init(&req);
		request(&req, shapes[s].id, shapes[s].window);
		for (i = 0; i < rounds; i++) {
			double t0 = now_us();

			if (irokpi_query(
				k, req.data, req.size, &reply, &len) != 0) {
				fprintf(stderr, "bench_query: %s\n",
				    irokpi_errmsg(k));
				irokpi_close(&k);
				return 1;
			}
			lat[i] = now_us() - t0;
			free(reply);
		}
		msgpack_sbuffer_destroy(&req);
		print_line(shapes[s].id ? shapes[s].id : "(all)",
		    shapes[s].window ? shapes[s].window : "-", lat, rounds);
	}
	irokpi_close(&k);
	return 0;
}

/*
 * One shape as q_kpi() computes it: a view, then each KPI over the window
 * and over the previous one, with settings made once as the daemon's
 * are.  "(stats)" is a view begun and ended.
 */
static int
direct_once(struct store *st, const struct kpi_settings *settings,
    const char *id, const char *window)
{
	struct kpi_result res = { 0 }, prev = { 0 };
	struct store_view *view = NULL;
	struct kpi_query q = { 0 }, pq;
	struct window w, pw;
	int32_t today;
	size_t i;
	int rc;

	if ((rc = store_view_begin(st, &view)) != 0 || window == NULL) {
		store_view_end(&view);
		return rc;
	}
	if ((rc = date_parse(AS_AT, strlen(AS_AT), &today)) != 0 ||
	    (rc = window_parse(window, today, &w)) != 0)
		goto done;
	pw = window_previous(&w);
	q.settings = settings;
	q.today = today;
	q.from = w.from;
	q.to = w.to;
	pq = q;
	pq.from = pw.from;
	pq.to = pw.to;
	for (i = 0; i < kpi_count() && rc == 0; i++) {
		const struct kpi_def *k = kpi_at(i);

		if (id != NULL && strcmp(kpi_id(k), id) != 0)
			continue;
		if ((rc = kpi_compute(k, store_view_reader(view), &q, &res)) ==
		    0)
			rc = kpi_compute(
			    k, store_view_reader(view), &pq, &prev);
	}
done:
	kpi_result_free(&res);
	kpi_result_free(&prev);
	store_view_end(&view);
	return rc;
}

static int
run_direct(const char *dir, double *lat, int rounds)
{
	struct kpi_settings settings;
	struct timescale ts;
	struct calendar *cal = NULL;
	struct store *st = NULL;
	size_t s;
	int i, rc;

	timescale_defaults(&ts);
	kpi_settings_defaults(&settings);
	if ((rc = calendar_new(&cal)) != 0 ||
	    (rc = store_open(dir, (size_t)1 << 30, &ts, cal, &st)) != 0) {
		fprintf(
		    stderr, "bench_query: %s: %s\n", dir, irk_strerror(rc));
		calendar_free(&cal);
		return 2;
	}
	printf("setup: %d computations per shape in one process on %s, as "
	       "the query thread computes them (view, KPIs over the window "
	       "and the previous one), no sockets, no packing\n",
	    rounds, dir);
	print_header();
	for (s = 0; s < sizeof(shapes) / sizeof(shapes[0]) && rc == 0; s++) {
		for (i = 0; i < rounds && rc == 0; i++) {
			double t0 = now_us();

			rc = direct_once(
			    st, &settings, shapes[s].id, shapes[s].window);
			lat[i] = now_us() - t0;
		}
		if (rc == 0)
			print_line(shapes[s].id ? shapes[s].id : "(all)",
			    shapes[s].window ? shapes[s].window : "-", lat,
			    rounds);
	}
	if (rc != 0)
		fprintf(stderr, "bench_query: %s\n", irk_strerror(rc));
	store_close(&st);
	calendar_free(&cal);
	return rc != 0;
}

/* A ROUTER that sends back every message it gets, until killed. */
static void
echo_router(void *ctx, const char *endpoint, int ready_fd)
{
	void *s = zmq_socket(ctx, ZMQ_ROUTER);
	zmq_msg_t m;
	int more;

	if (s == NULL || zmq_bind(s, endpoint) != 0)
		_exit(1);
	if (write(ready_fd, "r", 1) != 1)
		_exit(1);
	for (;;) {
		do {
			zmq_msg_init(&m);
			if (zmq_msg_recv(&m, s, 0) < 0)
				_exit(1);
			more = zmq_msg_more(&m);
			if (zmq_msg_send(&m, s, more ? ZMQ_SNDMORE : 0) < 0)
				_exit(1);
		} while (more);
	}
}

static int
floor_zmq(const char *endpoint, double *lat, int rounds)
{
	char buf[64];
	void *ctx;
	void *req;
	int ready[2], i, rc = 0;
	pid_t pid;

	if (pipe(ready) != 0)
		return 2;
	if ((pid = fork()) == 0) {
		close(ready[0]);
		echo_router(zmq_ctx_new(), endpoint, ready[1]);
	}
	close(ready[1]);
	if (pid < 0 || read(ready[0], buf, 1) != 1) {
		close(ready[0]);
		return 2;
	}
	close(ready[0]);
	ctx = zmq_ctx_new();
	req = zmq_socket(ctx, ZMQ_REQ);
	if (req == NULL || zmq_connect(req, endpoint) != 0)
		rc = 2;
	for (i = 0; i < rounds && rc == 0; i++) {
		double t0 = now_us();

		if (zmq_send(req, "{\"q\":\"stats\"}", 13, 0) < 0 ||
		    zmq_recv(req, buf, sizeof(buf), 0) < 0)
			rc = 1;
		lat[i] = now_us() - t0;
	}
	zmq_close(req);
	zmq_ctx_term(ctx);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	if (rc == 0)
		print_line("(zeromq-echo)", "-", lat, rounds);
	return rc;
}

static int
floor_socketpair(double *lat, int rounds)
{
	char buf[64];
	int sv[2], i, rc = 0;
	ssize_t n;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return 2;
	if ((pid = fork()) == 0) {
		close(sv[0]);
		while ((n = read(sv[1], buf, sizeof(buf))) > 0)
			if (write(sv[1], buf, (size_t)n) != n)
				break;
		_exit(0);
	}
	close(sv[1]);
	for (i = 0; i < rounds && rc == 0 && pid > 0; i++) {
		double t0 = now_us();

		if (write(sv[0], "{\"q\":\"stats\"}", 13) != 13 ||
		    read(sv[0], buf, sizeof(buf)) <= 0)
			rc = 1;
		lat[i] = now_us() - t0;
	}
	close(sv[0]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (rc == 0 && pid > 0)
		print_line("(socketpair-echo)", "-", lat, rounds);
	return pid > 0 ? rc : 2;
}

static int
run_floor(double *lat, int rounds)
{
	char dir[] = "/tmp/bench_query.XXXXXX", endpoint[64];
	int rc;

	if (mkdtemp(dir) == NULL)
		return 2;
	snprintf(endpoint, sizeof(endpoint), "ipc://%s/echo.sock", dir);
	printf("setup: %d sequential 13-byte round trips between two "
	       "processes\n",
	    rounds);
	print_header();
	if ((rc = floor_zmq(endpoint, lat, rounds)) == 0)
		rc = floor_socketpair(lat, rounds);
	snprintf(endpoint, sizeof(endpoint), "%s/echo.sock", dir);
	unlink(endpoint);
	rmdir(dir);
	return rc;
}

static void
usage(void)
{
	fprintf(stderr, "usage: bench_query QUERY_ENDPOINT [ROUNDS]\n"
			"       bench_query direct DATA_DIR [ROUNDS]\n"
			"       bench_query floor [ROUNDS]\n");
}

int
main(int argc, char **argv)
{
	/* where ROUNDS is: after DATA_DIR for direct, else second */
	int args = argc > 1 && strcmp(argv[1], "direct") == 0 ? 3 : 2;
	int rounds = argc > args ? atoi(argv[args]) : 2000, rc;
	double *lat;

	if (argc < args || rounds < 10) {
		usage();
		return 2;
	}
	if ((lat = calloc((size_t)rounds, sizeof(*lat))) == NULL)
		return 2;
	if (strcmp(argv[1], "direct") == 0)
		rc = run_direct(argv[2], lat, rounds);
	else if (strcmp(argv[1], "floor") == 0)
		rc = run_floor(lat, rounds);
	else
		rc = run_socket(argv[1], lat, rounds);
	free(lat);
	return rc;
}
