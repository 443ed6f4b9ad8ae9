/*
 * Batches that wait together are stored in one commit (PROTOCOL.md,
 * "Delivery"), and each is still answered on its own.  The daemon is
 * stopped (SIGSTOP) while one producer sends four messages, then let go,
 * so that they are queued when it reads the first:
 *
 *   A: five new events;
 *   B: a duplicate of one of A's, a new event, an invalid one, a new one;
 *   C: a header of an unknown version (refused alone, stores nothing);
 *   D: a duplicate of one of B's and a new event.
 *
 * Every round checks each reply's statuses, in its own batch's order, and
 * the counters; the stats' commits must show, in at least one of a few
 * rounds, that batches shared a commit.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <msgpack.h>
#include <zmq.h>

#include "proto/json.h"
#include "tests/support/harness.h"

#define ROUNDS 5

static struct harness h;

/* A batch message: header {"v": version, "batch": id}, then the events. */
static void
send_batch(void *dealer, int version, unsigned id, const char *const *lines)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t i, n = 0;

	while (lines[n] != NULL)
		n++;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "v", 1);
	msgpack_pack_int(&pk, version);
	msgpack_pack_str_with_body(&pk, "batch", 5);
	msgpack_pack_uint64(&pk, id);
	assert_int_equal(
	    zmq_send(dealer, sb.data, sb.size, ZMQ_SNDMORE), (int)sb.size);
	for (i = 0; i < n; i++) {
		sb.size = 0;
		assert_int_equal(
		    json_to_msgpack(lines[i], strlen(lines[i]), &sb, NULL), 0);
		assert_int_equal(zmq_send(dealer, sb.data, sb.size,
				     i + 1 < n ? ZMQ_SNDMORE : 0),
		    (int)sb.size);
	}
	msgpack_sbuffer_destroy(&sb);
}

static json_t *
recv_reply(void *dealer)
{
	json_t *reply = NULL;
	zmq_msg_t m;

	zmq_msg_init(&m);
	assert_true(zmq_msg_recv(&m, dealer, 0) >= 0);
	assert_int_equal(
	    json_from_msgpack(zmq_msg_data(&m), zmq_msg_size(&m), &reply), 0);
	zmq_msg_close(&m);
	return reply;
}

/* The reply is batch id's ack, with want[] as its statuses (-1: any
 * rejection, which is an array [2, field, reason]). */
static void
check_ack(json_t *reply, unsigned id, const int *want, size_t n)
{
	json_t *st = json_object_get(reply, "status");
	size_t i;

	assert_int_equal(
	    json_integer_value(json_object_get(reply, "batch")), id);
	assert_null(json_object_get(reply, "error"));
	assert_int_equal(json_array_size(st), n);
	for (i = 0; i < n; i++) {
		json_t *v = json_array_get(st, i);

		if (want[i] < 0)
			assert_int_equal(
			    json_integer_value(json_array_get(v, 0)), 2);
		else
			assert_int_equal(json_integer_value(v), want[i]);
	}
}

static long long
stat_of(const char *key)
{
	json_t *s = NULL;
	long long v;

	assert_int_equal(harness_stats(&h, &s), 0);
	v = json_integer_value(json_object_get(s, key));
	json_decref(s);
	return v;
}

/* One round; returns the commits it took for its three stored batches. */
static long long
one_round(void *dealer, unsigned r)
{
	char ev[8][200];
	const char *a[6], *b[5], *c[2], *d[3];
	static const int want_a[] = { 0, 0, 0, 0, 0 };
	static const int want_b[] = { 1, 0, -1, 0 };
	static const int want_d[] = { 1, 0 };
	long long events = stat_of("events"), commits = stat_of("commits");
	json_t *reply, *batch;
	size_t i;

	for (i = 0; i < 8; i++)
		snprintf(ev[i], sizeof(ev[i]),
		    "{\"id\": \"g%u-%zu\", \"type\": \"lac.started\", "
		    "\"at\": \"2019-05-%02zu\", \"child\": \"G%u-%zu\", "
		    "\"legal_status\": \"C2\"}",
		    r, i, i + 1, r, i);
	for (i = 0; i < 5; i++)
		a[i] = ev[i];
	a[5] = NULL;
	b[0] = ev[2];
	b[1] = ev[5];
	b[2] = "{\"id\": \"bad\", \"type\": \"lac.started\", \"at\": "
	       "\"2019-05-01\"}"; /* no child */
	b[3] = ev[6];
	b[4] = NULL;
	c[0] = ev[7];
	c[1] = NULL;
	d[0] = ev[5];
	d[1] = ev[7];
	d[2] = NULL;

	assert_int_equal(kill(h.daemon, SIGSTOP), 0);
	send_batch(dealer, 1, 10 * r + 1, a);
	send_batch(dealer, 1, 10 * r + 2, b);
	send_batch(dealer, 99, 10 * r + 3, c);
	send_batch(dealer, 1, 10 * r + 4, d);
	nanosleep(&(struct timespec){ 0, 100 * 1000 * 1000 }, NULL);
	assert_int_equal(kill(h.daemon, SIGCONT), 0);

	/* C is answered as it is read, so maybe before A and B; its header
	 * did not parse, so its reply has no batch number. */
	for (i = 0; i < 4; i++) {
		reply = recv_reply(dealer);
		batch = json_object_get(reply, "batch");
		if (json_is_null(batch)) {
			assert_non_null(strstr(
			    json_string_value(json_object_get(reply, "error")),
			    "unsupported version"));
			assert_true(
			    json_is_false(json_object_get(reply, "retry")));
		} else if (json_integer_value(batch) == 10 * r + 1)
			check_ack(reply, 10 * r + 1, want_a, 5);
		else if (json_integer_value(batch) == 10 * r + 2)
			check_ack(reply, 10 * r + 2, want_b, 4);
		else
			check_ack(reply, 10 * r + 4, want_d, 2);
		json_decref(reply);
	}
	assert_int_equal(stat_of("events"), events + 8);
	return stat_of("commits") - commits;
}

static void
test_group_commit(void **state)
{
	long long commits, fewest = 4;
	void *ctx, *dealer;
	unsigned r;

	(void)state;
	ctx = zmq_ctx_new();
	dealer = harness_connect(&h, ctx, ZMQ_DEALER, "ingest.sock",
	    harness_valgrind() ? 60000 : 10000);
	assert_non_null(dealer);
	for (r = 1; r <= ROUNDS && fewest > 1; r++) {
		commits = one_round(dealer, r);
		assert_true(commits >= 1 && commits <= 3);
		if (commits < fewest)
			fewest = commits;
	}
	fprintf(stderr,
	    "group commit: 3 batches in %lld commit(s) at best, "
	    "%u round(s)\n",
	    fewest, r - 1);
	assert_true(fewest < 3); /* they shared a commit */
	assert_int_equal(stat_of("batches"), 3 * (r - 1));
	assert_int_equal(stat_of("duplicates"), 2 * (r - 1));
	assert_int_equal(stat_of("rejected"), r - 1);
	zmq_close(dealer);
	zmq_ctx_term(ctx);
}

static int
setup(void **state)
{
	(void)state;
	return harness_init(&h) == 0 && harness_start(&h) == 0 ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	if (h.daemon > 0 && harness_stop(&h) != 0)
		return -1;
	harness_fini(&h);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_group_commit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
