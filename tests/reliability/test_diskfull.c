/*
 * Disk full while committing (issue 6): the daemon's data.mdb lives on a
 * small tmpfs (8 MiB), the rest of its folder (lock file, log, CLI output)
 * on the ordinary disk, so the daemon can still say why.  Batches are sent
 * until one is refused; then:
 *
 *  - the refused batch is not acknowledged: an error with retry true, and
 *    nothing of it stored (stats "events" is the acknowledged count);
 *  - the daemon's log says why;
 *  - nothing is corrupted: KPIs equal a rebuild, a restart answers the same;
 *  - when space returns (the tmpfs is remounted larger), the same batch is
 *    stored and ingest goes on.
 *
 * Needs root and a kernel that lets the test mount tmpfs; skipped else.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <cmocka.h>
#include <jansson.h>
#include <msgpack.h>
#include <zmq.h>

#include "proto/json.h"
#include "tests/support/harness.h"

#define BATCH       250
#define MAX_BATCHES 2000

static struct harness h;
static char mnt[64];
static bool mounted;
static void *ctx, *dealer;

/* Send batch number b (events b*BATCH.. with fresh ids); the reply. */
static json_t *
send_batch(unsigned b)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	json_t *reply = NULL;
	zmq_msg_t m;
	char line[512];

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "v", 1);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_str_with_body(&pk, "batch", 5);
	msgpack_pack_uint64(&pk, b);
	assert_int_equal(
	    zmq_send(dealer, sb.data, sb.size, ZMQ_SNDMORE), (int)sb.size);
	for (unsigned i = 0; i < BATCH; i++) {
		unsigned n = b * BATCH + i;
		sb.size = 0;
		snprintf(line, sizeof(line),
		    "{\"id\": \"full-%u\", \"type\": \"lac.started\", "
		    "\"at\": \"2019-%02u-%02u\", \"child\": \"F%u\", "
		    "\"legal_status\": \"C2\", \"source\": "
		    "\"padding-padding-padding-padding-padding\"}",
		    n, 1 + n % 12, 1 + n % 28, n);
		assert_int_equal(
		    json_to_msgpack(line, strlen(line), &sb, NULL), 0);
		assert_int_equal(zmq_send(dealer, sb.data, sb.size,
				     i + 1 < BATCH ? ZMQ_SNDMORE : 0),
		    (int)sb.size);
	}
	msgpack_sbuffer_destroy(&sb);
	zmq_msg_init(&m);
	if (zmq_msg_recv(&m, dealer, 0) >= 0)
		assert_int_equal(json_from_msgpack(zmq_msg_data(&m),
				     zmq_msg_size(&m), &reply),
		    0);
	zmq_msg_close(&m);
	assert_non_null(reply);
	return reply;
}

/* Every status of the reply is 0 (stored). */
static bool
all_stored(const json_t *reply)
{
	const json_t *st = json_object_get(reply, "status");
	size_t i;
	json_t *v;

	if (json_array_size(st) != BATCH)
		return false;
	json_array_foreach(st, i, v) if (json_integer_value(v) != 0 ||
					 !json_is_integer(v)) return false;
	return true;
}

static char *
kpis(void)
{
	const char *argv[] = { "kpi", "--json", "--window", "fy2019",
		"--as-at", "2020-06-30", NULL };
	struct run r;
	char *out;

	assert_int_equal(harness_cli(&h, &r, NULL, argv), 0);
	assert_int_equal(r.status, 0);
	out = strdup(r.out);
	run_free(&r);
	return out;
}

static void
test_disk_full(void **state)
{
	unsigned b, full_at = 0;
	long long acked = 0;
	json_t *reply = NULL;
	char *before, *after;
	const char *why;

	(void)state;
	ctx = zmq_ctx_new();
	dealer = harness_connect(&h, ctx, ZMQ_DEALER, "ingest.sock", 60000);
	assert_non_null(dealer);

	for (b = 0; b < MAX_BATCHES; b++) {
		reply = send_batch(b);
		if (!all_stored(reply))
			break;
		acked += BATCH;
		json_decref(reply);
		reply = NULL;
	}
	assert_non_null(reply); /* the disk filled up */
	full_at = b;
	why = json_string_value(json_object_get(reply, "error"));
	fprintf(stderr, "disk full after %lld events: \"%s\"\n", acked,
	    why != NULL ? why : "(no error)");
	assert_non_null(why);
	assert_true(json_is_true(json_object_get(reply, "retry")));
	json_decref(reply);
	/* Not acknowledged, so not stored; and said why. */
	assert_int_equal(harness_events(&h), acked);
	/* LMDB turns a short write into EIO; the daemon looks at the free
	 * space of the disk data.mdb is on and says what an operator does. */
	assert_true(harness_log_count(&h, "commit"));
	assert_true(harness_log_count(&h, "not stored"));
	assert_true(harness_log_count(&h, "no space left for"));
	/* Still full: the same batch is refused the same way. */
	reply = send_batch(full_at);
	assert_true(json_is_true(json_object_get(reply, "retry")));
	json_decref(reply);
	assert_int_equal(harness_events(&h), acked);

	/* Nothing corrupted: a rebuild agrees, a restart too. */
	before = kpis();
	assert_int_equal(harness_stop(&h), 0);
	assert_int_equal(harness_start(&h), 0);
	assert_int_equal(harness_events(&h), acked);
	after = kpis();
	assert_string_equal(before, after);
	free(after);
	free(before);

	/* Space comes back: the batch goes in, and so do more. */
	assert_int_equal(
	    mount("tmpfs", mnt, "tmpfs", MS_REMOUNT, "size=256m,mode=0700"),
	    0);
	for (b = full_at; b < full_at + 4; b++) {
		reply = send_batch(b);
		assert_true(all_stored(reply));
		json_decref(reply);
		acked += BATCH;
	}
	assert_int_equal(harness_events(&h), acked);
	before = kpis();
	{
		const char *argv[] = { "admin", "rebuild", NULL };
		struct run r;
		assert_int_equal(harness_cli(&h, &r, NULL, argv), 0);
		assert_int_equal(r.status, 0);
		run_free(&r);
	}
	after = kpis();
	assert_string_equal(before, after);
	free(after);
	free(before);
	zmq_close(dealer);
	zmq_ctx_term(ctx);
}

static int
setup(void **state)
{
	char path[PATH_MAX], target[PATH_MAX];
	FILE *f;

	(void)state;
	if (geteuid() != 0) {
		fprintf(stderr, "not root: disk-full test skipped\n");
		return 0;
	}
	snprintf(mnt, sizeof(mnt), "/tmp/irk-full-XXXXXX");
	if (mkdtemp(mnt) == NULL)
		return -1;
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=8m,mode=0700") != 0) {
		fprintf(stderr, "mount tmpfs: %s: disk-full test skipped\n",
		    strerror(errno));
		rmdir(mnt);
		return 0;
	}
	mounted = true;
	/* data.mdb on the small tmpfs; the rest of the folder elsewhere. */
	if (harness_init(&h) != 0)
		return -1;
	snprintf(target, sizeof(target), "%s/data.mdb", mnt);
	snprintf(path, sizeof(path), "%s/data.mdb", h.dir);
	if ((f = fopen(target, "w")) == NULL)
		return -1;
	fclose(f);
	if (symlink(target, path) != 0 || harness_start(&h) != 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	if (!mounted)
		return 0;
	if (h.daemon > 0)
		harness_stop(&h);
	harness_fini(&h);
	umount(mnt);
	rmdir(mnt);
	return 0;
}

static void
test_maybe_disk_full(void **state)
{
	if (!mounted)
		skip();
	test_disk_full(state);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maybe_disk_full),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
