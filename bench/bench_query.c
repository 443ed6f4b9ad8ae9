/*
 * bench_query: latency of kpi queries against a running irokpid, through
 * the client library (the CLI's path), one request at a time.  Prints the
 * setup and, per query shape, p50 / p99 / p99.9 in microseconds.  The
 * first shape, "(stats)", is the cheapest query there is: the floor that
 * the socket round trip and the query thread's dispatch set.
 *
 * usage: bench_query QUERY_ENDPOINT [ROUNDS]
 */
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clients/irokpi.h"
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

/* {"q":"kpi","ids":[id],"window":w,"as_at":"2020-06-30"} (id NULL: all),
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
	pack_cstr(&pk, "2020-06-30");
	if (id != NULL) {
		pack_cstr(&pk, "ids");
		msgpack_pack_array(&pk, 1);
		pack_cstr(&pk, id);
	}
}

int
main(int argc, char **argv)
{
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
	struct irokpi *k = NULL;
	int rounds = argc > 2 ? atoi(argv[2]) : 2000;
	double *lat;
	size_t s;
	int i;

	if (argc < 2 || rounds < 10) {
		fprintf(
		    stderr, "usage: bench_query QUERY_ENDPOINT [ROUNDS]\n");
		return 2;
	}
	if (irokpi_open(NULL, argv[1], &k) != 0 ||
	    (lat = calloc((size_t)rounds, sizeof(*lat))) == NULL) {
		fprintf(stderr, "bench_query: cannot open %s\n", argv[1]);
		return 2;
	}
	printf("setup: %d sequential requests per shape over ipc, client "
	       "library, one client\n",
	    rounds);
	printf("%-24s %-24s %9s %9s %9s\n", "kpi", "window", "p50_us",
	    "p99_us", "p99.9_us");
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
				return 1;
			}
			lat[i] = now_us() - t0;
			free(reply);
		}
		msgpack_sbuffer_destroy(&req);
		qsort(lat, (size_t)rounds, sizeof(*lat), cmp_double);
		printf("%-24s %-24s %9.1f %9.1f %9.1f\n",
		    shapes[s].id ? shapes[s].id : "(all)",
		    shapes[s].window ? shapes[s].window : "-", lat[rounds / 2],
		    lat[rounds * 99 / 100], lat[rounds * 999 / 1000]);
	}
	free(lat);
	irokpi_close(&k);
	return 0;
}
