/*
 * libirokpi (clients/irokpi.h) against the real irokpid.
 *
 *  - results come back once per event, in the order handed over, with the
 *    right status, across small batches and a narrow window, including
 *    events refused by the caller (irokpi_publish_reject()) and by the
 *    library (over IRK_EVENT_MAX);
 *  - the daemon stopped (SIGTERM) and then killed (SIGKILL) while batches
 *    are in flight: the publisher resends after the restart by itself and
 *    every event is stored once;
 *  - no daemon: irokpi_flush() gives up with IRK_ETIMEDOUT, keeps what is
 *    pending, and a later irokpi_flush() delivers it once a daemon is up;
 *  - queries: a timeout, then an answer on the same handle once the daemon
 *    is up (the query socket is replaced after a timeout), and an "ok":
 *    false reply for an unknown query.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>
#include <msgpack.h>

#include "clients/irokpi.h"
#include "proto/event.h"
#include "proto/json.h"
#include "proto/wire.h"
#include "tests/support/harness.h"

struct seen {
	size_t n, cap;
	struct irokpi_result *r; /* tag, status; strings not kept */
	char field[64][32];      /* field of the first 64 rejects, by order */
	char id[64][IRK_ID_MAX + 1];
	size_t nrej;
};

static void
on_result(const struct irokpi_result *res, void *arg)
{
	struct seen *s = arg;

	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 1024 : s->cap * 2;
		s->r = realloc(s->r, s->cap * sizeof(*s->r));
		assert_non_null(s->r);
	}
	s->r[s->n++] = *res;
	if (res->status == IROKPI_REJECTED && s->nrej < 64) {
		assert_non_null(res->field);
		assert_non_null(res->reason);
		snprintf(
		    s->field[s->nrej], sizeof(s->field[0]), "%s", res->field);
		snprintf(s->id[s->nrej], sizeof(s->id[0]), "%s",
		    res->id != NULL ? res->id : "-");
		s->nrej++;
	}
}

static int
setup(void **state)
{
	struct harness *h;

	if (harness_irokpid() == NULL || (h = calloc(1, sizeof(*h))) == NULL)
		return -1;
	if (harness_init(h) != 0) {
		free(h);
		return -1;
	}
	*state = h;
	return 0;
}

static int
teardown(void **state)
{
	harness_fini(*state);
	free(*state);
	return 0;
}

static void
endpoints(struct harness *h, char *in, char *q, size_t len)
{
	snprintf(in, len, "ipc://%s/%s", h->dir, WIRE_INGEST_SOCK);
	snprintf(q, len, "ipc://%s/%s", h->dir, WIRE_QUERY_SOCK);
}

/* Hand over one JSON event. */
static int
publish_json(struct irokpi *k, const char *json, uint64_t tag)
{
	msgpack_sbuffer sb;
	struct irk_diag diag;
	int rc;

	msgpack_sbuffer_init(&sb);
	assert_int_equal(json_to_msgpack(json, strlen(json), &sb, &diag), 0);
	rc = irokpi_publish(k, sb.data, sb.size, tag);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

/* A review of child C<n % 500>: a realistic few dozen per child. */
static void
review(char *buf, size_t len, const char *id, unsigned n, const char *pn)
{
	snprintf(buf, len,
	    "{\"id\":\"%s\",\"type\":\"review.held\",\"at\":\"2019-06-01\","
	    "\"child\":\"C%u\",\"iro\":\"I\",\"participation\":\"%s\","
	    "\"sw_report_at\":null,\"permanence_plan\":true}",
	    id, n % 500, pn);
}

static void
test_results_in_order(void **state)
{
	struct harness *h = *state;
	struct irokpi *k = NULL;
	struct irokpi_counts c;
	struct seen s = { 0 };
	char in[PATH_MAX + 16], q[PATH_MAX + 16], ev[6000], id[32];
	uint64_t tag;
	size_t i;

	assert_int_equal(harness_start(h), 0);
	endpoints(h, in, q, sizeof(in));
	assert_int_equal(irokpi_open(in, q, &k), 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_BATCH, 3), 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_INFLIGHT, 2), 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_BATCH, 0), IRK_ERANGE);
	irokpi_on_result(k, on_result, &s);
	for (tag = 1; tag <= 20; tag++) {
		snprintf(id, sizeof(id), "r-%d", (int)(tag == 8 ? 2 : tag));
		review(ev, sizeof(ev), id, 1,
		    tag == 5 || tag == 12 ? "PN8" : "PN2");
		if (tag == 15) {
			assert_int_equal(irokpi_publish_reject(k, tag, "r-15",
					     "(json)", "refused here"),
			    0);
			continue;
		}
		if (tag == 17) {
			/* Over IRK_EVENT_MAX: never sent. */
			snprintf(ev, sizeof(ev),
			    "{\"id\":\"r-17\",\"type\":\"pep.completed\","
			    "\"at\":\"2019-06-01\",\"child\":\"C1\","
			    "\"source\":\"%0*d\"}",
			    IRK_EVENT_MAX, 0);
		}
		assert_int_equal(publish_json(k, ev, tag), 0);
	}
	assert_int_equal(irokpi_flush(k), 0);
	assert_int_equal(irokpi_pending(k), 0);
	assert_int_equal(s.n, 20);
	for (i = 0; i < s.n; i++) {
		tag = s.r[i].tag;
		assert_int_equal(tag, i + 1);
		if (tag == 5 || tag == 12 || tag == 15 || tag == 17)
			assert_int_equal(s.r[i].status, IROKPI_REJECTED);
		else if (tag == 8)
			assert_int_equal(s.r[i].status, IROKPI_DUPLICATE);
		else
			assert_int_equal(s.r[i].status, IROKPI_STORED);
	}
	assert_int_equal(s.nrej, 4);
	assert_string_equal(s.field[0], "participation");
	assert_string_equal(s.id[0], "r-5");
	assert_string_equal(s.field[1], "participation");
	assert_string_equal(s.id[1], "r-12");
	assert_string_equal(s.field[2], "(json)");
	assert_string_equal(s.id[2], "r-15");
	assert_string_equal(s.field[3], "(event)");
	assert_string_equal(s.id[3], "r-17");
	irokpi_counts(k, &c);
	assert_int_equal(c.stored, 15);
	assert_int_equal(c.duplicates, 1);
	assert_int_equal(c.rejected, 4);
	assert_int_equal(c.last_seq, 15);
	irokpi_close(&k);
	assert_null(k);
	irokpi_close(&k); /* NULL-safe */
	free(s.r);
	assert_int_equal(harness_events(h), 15);
}

static void
test_restart_mid_publish(void **state)
{
	struct harness *h = *state;
	struct irokpi *k = NULL;
	struct irokpi_counts c;
	struct seen s = { 0 };
	char in[PATH_MAX + 16], q[PATH_MAX + 16], ev[512], id[32];
	uint64_t tag, total = 30000;
	size_t i;

	assert_int_equal(harness_start(h), 0);
	endpoints(h, in, q, sizeof(in));
	assert_int_equal(irokpi_open(in, NULL, &k), 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_BATCH, 200), 0);
	irokpi_on_result(k, on_result, &s);
	for (tag = 1; tag <= total; tag++) {
		snprintf(id, sizeof(id), "x-%llu", (unsigned long long)tag);
		review(ev, sizeof(ev), id, (unsigned)tag, "PN1");
		assert_int_equal(publish_json(k, ev, tag), 0);
		if (tag == 10000) {
			assert_int_equal(harness_stop(h), 0);
			assert_int_equal(harness_start(h), 0);
		} else if (tag == 20000) {
			assert_int_equal(harness_kill(h), 128 + 9);
			assert_int_equal(harness_start(h), 0);
		}
	}
	assert_int_equal(irokpi_flush(k), 0);
	assert_int_equal(s.n, total);
	for (i = 0; i < s.n; i++) {
		assert_int_equal(s.r[i].tag, i + 1);
		assert_int_not_equal(s.r[i].status, IROKPI_REJECTED);
	}
	irokpi_counts(k, &c);
	assert_int_equal(c.stored + c.duplicates, total);
	print_message(
	    "stored %llu, duplicates %llu, resends %llu, stray %llu\n",
	    (unsigned long long)c.stored, (unsigned long long)c.duplicates,
	    (unsigned long long)c.resends, (unsigned long long)c.stray);
	irokpi_close(&k);
	free(s.r);
	assert_int_equal(harness_events(h), (long long)total);
}

static void
test_give_up_then_retry(void **state)
{
	struct harness *h = *state;
	struct irokpi *k = NULL;
	struct seen s = { 0 };
	char in[PATH_MAX + 16], q[PATH_MAX + 16], ev[512];

	endpoints(h, in, q, sizeof(in));
	assert_int_equal(irokpi_open(in, NULL, &k), 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_GIVE_UP, 500), 0);
	irokpi_on_result(k, on_result, &s);
	review(ev, sizeof(ev), "late-1", 1, "PN1");
	assert_int_equal(publish_json(k, ev, 1), 0);
	assert_int_equal(irokpi_flush(k), IRK_ETIMEDOUT);
	assert_non_null(strstr(irokpi_errmsg(k), "no ack"));
	assert_int_equal(irokpi_pending(k), 1);
	assert_int_equal(s.n, 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_BATCH, 10), IRK_EINVAL);

	assert_int_equal(harness_start(h), 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_GIVE_UP, 10000), 0);
	assert_int_equal(irokpi_flush(k), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.r[0].status, IROKPI_STORED);
	assert_int_equal(irokpi_pending(k), 0);
	irokpi_close(&k);
	free(s.r);
}

static void
test_query(void **state)
{
	struct harness *h = *state;
	struct irokpi *k = NULL;
	char in[PATH_MAX + 16], q[PATH_MAX + 16];
	json_t *req, *reply = NULL;

	endpoints(h, in, q, sizeof(in));
	assert_int_equal(irokpi_open(NULL, NULL, &k), IRK_EINVAL);
	assert_int_equal(irokpi_open(NULL, q, &k), 0);
	assert_int_equal(irokpi_publish(k, "\x80", 1, 1), IRK_EINVAL);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_QUERY_TIMEOUT, 300), 0);
	req = json_pack("{s:s}", "q", "stats");
	assert_int_equal(irokpi_query_json(k, req, &reply), IRK_ETIMEDOUT);
	assert_null(reply);

	assert_int_equal(harness_start(h), 0);
	assert_int_equal(irokpi_set(k, IROKPI_OPT_QUERY_TIMEOUT, 5000), 0);
	assert_int_equal(irokpi_query_json(k, req, &reply), 0);
	assert_true(json_is_true(json_object_get(reply, "ok")));
	assert_true(json_is_integer(json_object_get(reply, "events")));
	json_decref(reply);
	json_decref(req);

	req = json_pack("{s:s}", "q", "no-such-query");
	assert_int_equal(irokpi_query_json(k, req, &reply), 0);
	assert_true(json_is_false(json_object_get(reply, "ok")));
	assert_true(json_is_string(json_object_get(reply, "error")));
	json_decref(reply);
	json_decref(req);
	irokpi_close(&k);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
		    test_results_in_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_restart_mid_publish, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_give_up_then_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_query, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
