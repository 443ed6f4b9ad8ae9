/*
 * irokpi watch: breaches as they are raised, none missed, none twice
 * (PROTOCOL.md, "Breaches"; the "Clone" pattern of the ZeroMQ guide).
 *
 * The PUB socket is only the doorbell: a breach or a heartbeat whose seq is
 * past the last one shown makes watch ask the breaches query for everything
 * after it, and print those in order.  So a gap (a dropped message, a
 * restart of either side, a slow joiner) is filled from the log, and a seq
 * already shown is never shown again.  --state FILE keeps the last seq
 * across watch's own restarts.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <msgpack.h>
#include <zmq.h>

#include "clients/cli/cli.h"
#include "clients/irokpi.h"
#include "proto/wire.h"

#define TOPICS_MAX 16

enum {
	OPT_TOPIC = CLI_OPT_FIRST_LOCAL,
	OPT_FROM,
	OPT_JSON,
	OPT_STATE,
	OPT_BREACHES,
	OPT_COUNT
};

int cmd_watch(struct cli *c, int argc, char **argv);

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

struct watch {
	struct cli *c;
	struct irokpi *k;
	const char *topics[TOPICS_MAX];
	size_t ntopics;
	const char *state;
	bool json;
	uint64_t last; /* the last seq handled (shown or filtered out) */
	long count;    /* --count: stop after showing this many; 0 never */
	long shown;
};

static void
usage(void)
{
	printf(
	    "usage: irokpi watch [options]\n"
	    "\n"
	    "Print breaches as the daemon raises them, in order, each "
	    "once: a gap\nor a restart is filled from the daemon's breach "
	    "log.\n"
	    "\n"
	    "options:\n"
	    "  --topic PREFIX   only topics starting with PREFIX, e.g.\n"
	    "                   breach.overdue. (repeatable; default all)\n"
	    "  --from SEQ       show the breaches after SEQ first (0: all);\n"
	    "                   default: the state file, else only new "
	    "ones\n"
	    "  --state FILE     read the last seq from FILE, write it after "
	    "each\n"
	    "  --json           one JSON line per breach\n"
	    "  --count N        exit after N breaches\n"
	    "  --breaches EP    PUB endpoint (default: "
	    "ipc://DIR/breaches.sock)\n" CLI_GLOBAL_HELP
	    "  --help           this text\n"
	    "\n"
	    "Exit status: 0 done (signal or --count), 1 the daemon "
	    "refused, 2 no\nanswer or wrong usage.\n");
}

static bool
wanted(const struct watch *w, const char *topic)
{
	size_t i;

	if (w->ntopics == 0)
		return true;
	for (i = 0; i < w->ntopics; i++)
		if (strncmp(topic, w->topics[i], strlen(w->topics[i])) == 0)
			return true;
	return false;
}

static int
state_write(const struct watch *w)
{
	char tmp[4096];
	FILE *fp;

	if (w->state == NULL)
		return 0;
	snprintf(tmp, sizeof(tmp), "%s.tmp", w->state);
	if ((fp = fopen(tmp, "w")) == NULL)
		goto fail;
	fprintf(fp, "%llu\n", (unsigned long long)w->last);
	if (fclose(fp) != 0 || rename(tmp, w->state) != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "irokpi: watch: %s: %s\n", w->state, strerror(errno));
	return -1;
}

/* A string field, "none" when absent or nil (a RAG that was none). */
static const char *
field(json_t *b, const char *key)
{
	const char *s = json_string_value(json_object_get(b, key));

	return s != NULL ? s : "none";
}

static void
show(struct watch *w, json_t *b)
{
	const char *s, *iro;

	if (w->json) {
		cli_print_json(b);
	} else if (json_object_get(b, "kpi") != NULL) {
		printf("%llu %s %s -> %s value %g raised %s\n",
		    (unsigned long long)json_integer_value(
			json_object_get(b, "seq")),
		    field(b, "topic"), field(b, "old"), field(b, "new"),
		    json_number_value(json_object_get(b, "value")),
		    field(b, "raised"));
	} else if (json_object_get(b, "child") == NULL) {
		printf("%llu %s iro %s value %g raised %s\n",
		    (unsigned long long)json_integer_value(
			json_object_get(b, "seq")),
		    field(b, "topic"), field(b, "iro"),
		    json_number_value(json_object_get(b, "value")),
		    field(b, "raised"));
	} else {
		s = json_string_value(json_object_get(b, "done"));
		iro = json_string_value(json_object_get(b, "iro"));
		printf("%llu %s %s deadline %s raised %s%s%s%s%s\n",
		    (unsigned long long)json_integer_value(
			json_object_get(b, "seq")),
		    field(b, "topic"), field(b, "child"), field(b, "deadline"),
		    field(b, "raised"), s != NULL ? " done " : "",
		    s != NULL ? s : "", iro != NULL ? " iro " : "",
		    iro != NULL ? iro : "");
	}
	fflush(stdout);
	w->shown++;
}

/* Everything after w->last from the log, in order.  CLI_EXIT_*. */
static int
catch_up(struct watch *w)
{
	json_t *req, *reply = NULL, *list, *b;
	const char *topic;
	uint64_t seq;
	size_t i;
	bool more = true;
	int ret = CLI_EXIT_OK;

	while (more && ret == CLI_EXIT_OK && !stop) {
		if ((req = json_pack("{s:s, s:I}", "q", "breaches", "after",
			 (json_int_t)w->last)) == NULL)
			return CLI_EXIT_FAIL;
		ret = cli_query(w->c, w->k, req, &reply);
		json_decref(req);
		if (ret != CLI_EXIT_OK)
			return ret;
		list = json_object_get(reply, "breaches");
		more = json_is_true(json_object_get(reply, "more"));
		json_array_foreach(list, i, b)
		{
			seq = (uint64_t)json_integer_value(
			    json_object_get(b, "seq"));
			if (seq <= w->last)
				continue;
			topic = json_string_value(json_object_get(b, "topic"));
			if (topic != NULL && wanted(w, topic))
				show(w, b);
			w->last = seq;
			if (w->count > 0 && w->shown >= w->count) {
				more = false;
				break;
			}
		}
		json_decref(reply);
		reply = NULL;
		if (state_write(w) != 0)
			ret = CLI_EXIT_FAIL;
	}
	return ret;
}

/* The seq in a breach or heartbeat body; 0 when there is none. */
static uint64_t
body_seq(const char *buf, size_t len)
{
	msgpack_unpacked u;
	uint64_t seq = 0;
	uint32_t i;

	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, buf, len, NULL) ==
		MSGPACK_UNPACK_SUCCESS &&
	    u.data.type == MSGPACK_OBJECT_MAP)
		for (i = 0; i < u.data.via.map.size; i++) {
			const msgpack_object_kv *kv = &u.data.via.map.ptr[i];

			if (kv->key.type == MSGPACK_OBJECT_STR &&
			    kv->key.via.str.size == 3 &&
			    memcmp(kv->key.via.str.ptr, "seq", 3) == 0 &&
			    kv->val.type == MSGPACK_OBJECT_POSITIVE_INTEGER)
				seq = kv->val.via.u64;
		}
	msgpack_unpacked_destroy(&u);
	return seq;
}

static int
from_state(const char *path, uint64_t *out)
{
	unsigned long long v;
	FILE *fp;
	int ok;

	if ((fp = fopen(path, "r")) == NULL)
		return errno == ENOENT ? 1 : -1;
	ok = fscanf(fp, "%llu", &v) == 1;
	fclose(fp);
	if (!ok)
		return -1;
	*out = v;
	return 0;
}

static int
loop(struct watch *w, const char *ep)
{
	char topic[256], body[4096];
	void *ctx = NULL, *sub = NULL;
	int timeout = 500, zero = 0, n, b, ret = CLI_EXIT_FAIL;
	size_t i;

	if ((ctx = zmq_ctx_new()) == NULL ||
	    (sub = zmq_socket(ctx, ZMQ_SUB)) == NULL)
		goto out;
	zmq_setsockopt(sub, ZMQ_RCVTIMEO, &timeout, sizeof(timeout));
	zmq_setsockopt(sub, ZMQ_LINGER, &zero, sizeof(zero));
	zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "heartbeat", 9);
	if (w->ntopics == 0)
		zmq_setsockopt(sub, ZMQ_SUBSCRIBE, "breach.", 7);
	for (i = 0; i < w->ntopics; i++)
		zmq_setsockopt(
		    sub, ZMQ_SUBSCRIBE, w->topics[i], strlen(w->topics[i]));
	if (zmq_connect(sub, ep) != 0) {
		fprintf(stderr, "irokpi: watch: %s: %s\n", ep,
		    zmq_strerror(errno));
		goto out;
	}
	/* subscribed first, then the log: nothing falls between */
	if ((ret = catch_up(w)) != CLI_EXIT_OK)
		goto out;
	while (!stop && (w->count == 0 || w->shown < w->count)) {
		if ((n = zmq_recv(sub, topic, sizeof(topic) - 1, 0)) < 0)
			continue;
		b = zmq_recv(sub, body, sizeof(body), 0);
		if (b < 0 || b > (int)sizeof(body))
			continue;
		if (body_seq(body, (size_t)b) > w->last &&
		    (ret = catch_up(w)) != CLI_EXIT_OK)
			goto out;
	}
	ret = CLI_EXIT_OK;
out:
	if (sub != NULL)
		zmq_close(sub);
	if (ctx != NULL)
		zmq_ctx_term(ctx);
	return ret;
}

int
cmd_watch(struct cli *c, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "topic", required_argument, NULL, OPT_TOPIC },
		{ "from", required_argument, NULL, OPT_FROM },
		{ "json", no_argument, NULL, OPT_JSON },
		{ "state", required_argument, NULL, OPT_STATE },
		{ "breaches", required_argument, NULL, OPT_BREACHES },
		{ "count", required_argument, NULL, OPT_COUNT },
		CLI_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct watch w = { 0 };
	struct sigaction sa;
	const char *ep = NULL;
	char epbuf[4096];
	json_t *req = NULL, *reply = NULL;
	bool from = false;
	long v;
	int ch, rc, ret = CLI_EXIT_FAIL;

	w.c = c;
	while ((ch = cli_next_option(
		    c, "watch", argc, argv, longopts, usage, &rc)) > 0) {
		switch (ch) {
		case OPT_TOPIC:
			if (w.ntopics == TOPICS_MAX)
				return cli_usage_error(
				    "watch", "at most %d --topic", TOPICS_MAX);
			w.topics[w.ntopics++] = optarg;
			break;
		case OPT_FROM:
			if (cli_parse_long("watch", "--from", optarg, 0,
				LONG_MAX, &v) != 0)
				return CLI_EXIT_FAIL;
			w.last = (uint64_t)v;
			from = true;
			break;
		case OPT_JSON:
			w.json = true;
			break;
		case OPT_STATE:
			w.state = optarg;
			break;
		case OPT_BREACHES:
			ep = optarg;
			break;
		case OPT_COUNT:
			if (cli_parse_long("watch", "--count", optarg, 1,
				LONG_MAX, &w.count) != 0)
				return CLI_EXIT_FAIL;
			break;
		}
	}
	if (ch < 0)
		return rc;
	if (optind < argc)
		return cli_usage_error(
		    "watch", "unexpected argument \"%s\"", argv[optind]);
	if (ep == NULL) {
		if (c->data_dir == NULL)
			return cli_usage_error("watch",
			    "where is the daemon? --data-dir DIR (or "
			    "IROKPI_DIR) or --breaches EP");
		snprintf(epbuf, sizeof(epbuf), "ipc://%s/%s", c->data_dir,
		    WIRE_BREACHES_SOCK);
		ep = epbuf;
	}
	if (!from && w.state != NULL) {
		if ((rc = from_state(w.state, &w.last)) < 0) {
			fprintf(
			    stderr, "irokpi: watch: %s: not a seq\n", w.state);
			return CLI_EXIT_FAIL;
		}
		from = rc == 0;
	}
	if ((ret = cli_open(c, "watch", false, true, &w.k)) != CLI_EXIT_OK)
		return ret;
	if (!from) { /* only new ones: from the log's last */
		if ((req = json_pack(
			 "{s:s, s:i}", "q", "breaches", "limit", 1)) == NULL ||
		    (ret = cli_query(c, w.k, req, &reply)) != CLI_EXIT_OK)
			goto out;
		w.last = (uint64_t)json_integer_value(
		    json_object_get(reply, "last"));
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	ret = loop(&w, ep);
	if (ret == CLI_EXIT_OK)
		ret = cli_finish_stdout();
out:
	json_decref(req);
	json_decref(reply);
	irokpi_close(&w.k);
	return ret;
}
