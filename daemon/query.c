/*
 * The query thread.  It owns the query ROUTER socket and answers each
 * request from a read-only view of the store, so queries never wait for
 * ingest and ingest never waits for them.  Requests are dispatched through a
 * table sorted by name (bsearch); PROTOCOL.md documents each.
 */
#include <errno.h>
#include <msgpack.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi.h"
#include "domain/window.h"
#include "proto/codec.h"
#include "proto/pack.h"
#include "daemon/query_impl.h"

#define QUERY_STOP_EP "inproc://irokpid-query-stop"

struct query_cmd {
	const char *name;
	query_fn fn;
	/* It reads the projections, which a rebuild empties and derives
	 * again a chunk at a time: refused meanwhile, never half an answer. */
	bool projections;
};

/* A string argument copied out of the request, NUL-terminated. */
int
query_arg_str(const msgpack_object *req, const char *key, char *buf,
    size_t len, bool *present)
{
	const msgpack_object *o = obj_map_get(req, key);

	*present = false;
	if (o == NULL || o->type == MSGPACK_OBJECT_NIL)
		return 0;
	if (o->type != MSGPACK_OBJECT_STR || o->via.str.size >= len)
		return IRK_EINVAL;
	memcpy(buf, o->via.str.ptr, o->via.str.size);
	buf[o->via.str.size] = '\0';
	*present = true;
	return 0;
}

void
pack_day(msgpack_packer *pk, int32_t day)
{
	char buf[DATE_STRLEN];

	date_format(day, buf);
	pack_cstr(pk, buf);
}

int
q_stats(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	struct store_stats st;
	int rc;

	(void)req;
	if ((rc = store_stats(d->store, &st)) != 0) {
		snprintf(why, whylen, "stats: %s", irk_strerror(rc));
		return rc;
	}
	msgpack_pack_map(pk, 12);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "events");
	msgpack_pack_uint64(pk, st.events);
	pack_cstr(pk, "last_seq");
	msgpack_pack_uint64(pk, st.last_seq);
	pack_cstr(pk, "children");
	msgpack_pack_uint64(pk, st.children);
	pack_cstr(pk, "uptime_s");
	msgpack_pack_uint64(pk, (uint64_t)(time(NULL) - d->started));
	pack_cstr(pk, "batches");
	msgpack_pack_uint64(pk, atomic_load(&d->batches));
	pack_cstr(pk, "commits");
	msgpack_pack_uint64(pk, atomic_load(&d->commits));
	pack_cstr(pk, "duplicates");
	msgpack_pack_uint64(pk, atomic_load(&d->duplicates));
	pack_cstr(pk, "rejected");
	msgpack_pack_uint64(pk, atomic_load(&d->rejected));
	pack_cstr(pk, "today");
	pack_day(pk, daemon_today(d));
	pack_cstr(pk, "map_size");
	msgpack_pack_uint64(pk, st.map_size);
	pack_cstr(pk, "map_used");
	msgpack_pack_uint64(pk, st.map_used);
	return 0;
}

/* Sorted by name for bsearch(3); query_start() checks the order. */
static const struct query_cmd query_cmds[] = {
	{ "backup", q_backup, false },
	{ "breaches", q_breaches, false },
	{ "caseload", q_caseload_locked, true },
	{ "child", q_child, true },
	{ "deadlines", q_deadlines, true },
	{ "kpi", q_kpi_locked, true },
	{ "rebuild", q_rebuild, false },
	{ "rebuild_status", q_rebuild_status, false },
	{ "stats", q_stats, false },
};

static int
cmd_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct query_cmd *)elem)->name);
}

/*
 * Answer one request body into sb (a reply map, ok or not).  Returns
 * QUERY_LATER when the handler answers later, else 0.
 */
static int
query_answer(
    struct daemon *d, const char *buf, size_t len, msgpack_sbuffer *sb)
{
	const struct query_cmd *c = NULL;
	const msgpack_object *q;
	struct irk_diag diag;
	msgpack_unpacked u;
	msgpack_packer pk;
	size_t off = 0;
	char name[32], why[256] = "";
	int rc = IRK_EINVAL;

	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_unpacked_init(&u);
	if (codec_check(buf, len, 4, &diag) != 0 ||
	    msgpack_unpack_next(&u, buf, len, &off) !=
		MSGPACK_UNPACK_SUCCESS ||
	    u.data.type != MSGPACK_OBJECT_MAP)
		snprintf(why, sizeof(why), "request: not a msgpack map");
	else if ((q = obj_map_get(&u.data, "q")) == NULL ||
		 q->type != MSGPACK_OBJECT_STR ||
		 q->via.str.size >= sizeof(name))
		snprintf(why, sizeof(why), "request: no \"q\" naming a query");
	else {
		memcpy(name, q->via.str.ptr, q->via.str.size);
		name[q->via.str.size] = '\0';
		c = bsearch(name, query_cmds, NITEMS(query_cmds),
		    sizeof(query_cmds[0]), cmd_cmp);
		if (c == NULL)
			snprintf(
			    why, sizeof(why), "unknown query \"%s\"", name);
		else if (c->projections && rebuild_partial(&d->rebuild))
			snprintf(why, sizeof(why),
			    "%s: the projections are part rebuilt (a rebuild "
			    "is running, or failed); ask again when "
			    "rebuild_status says done",
			    name);
		else
			rc = c->fn(d, &u.data, &pk, why, sizeof(why));
	}
	if (rc != 0 && rc != QUERY_LATER) {
		sb->size = 0; /* drop a partial answer */
		msgpack_pack_map(&pk, 2);
		pack_cstr(&pk, "ok");
		msgpack_pack_false(&pk);
		pack_cstr(&pk, "error");
		pack_cstr(&pk, why[0] ? why : irk_strerror(rc));
		rc = 0;
	}
	msgpack_unpacked_destroy(&u);
	return rc;
}

void
query_reply(struct daemon *d, const struct query_asker *to, const void *body,
    size_t len)
{
	if (zmq_send(d->query, to->id, to->id_len, ZMQ_SNDMORE) == -1 ||
	    (to->delimiter && zmq_send(d->query, "", 0, ZMQ_SNDMORE) == -1) ||
	    zmq_send(d->query, body, len, 0) == -1)
		log_debug(
		    "query: reply not delivered: %s", zmq_strerror(errno));
}

/* One request: identity, optional delimiter, body. */
static void
query_handle(struct daemon *d)
{
	zmq_msg_t parts[3];
	struct query_asker asker;
	msgpack_sbuffer sb;
	size_t n = 0, i;
	int more = 1;

	while (more) {
		zmq_msg_t *m = &parts[n < 3 ? n : 2];

		if (n >= 3)
			zmq_msg_close(m); /* too many frames: keep the last */
		zmq_msg_init(m);
		if (zmq_msg_recv(m, d->query, 0) == -1) {
			zmq_msg_close(m);
			goto done;
		}
		more = zmq_msg_more(m);
		if (n < 3)
			n++;
	}
	if (n < 2 || zmq_msg_size(&parts[0]) > sizeof(asker.id))
		goto done;
	asker.id_len = zmq_msg_size(&parts[0]);
	memcpy(asker.id, zmq_msg_data(&parts[0]), asker.id_len);
	asker.delimiter = n == 3;
	d->asker = &asker;
	msgpack_sbuffer_init(&sb);
	if (query_answer(d, zmq_msg_data(&parts[n - 1]),
		zmq_msg_size(&parts[n - 1]), &sb) != QUERY_LATER)
		query_reply(d, &asker, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	d->asker = NULL;
done:
	for (i = 0; i < n; i++)
		zmq_msg_close(&parts[i]);
}

static void *
query_main(void *arg)
{
	struct daemon *d = arg;
	void *stop = zmq_socket(d->zctx, ZMQ_PAIR), *done;
	zmq_pollitem_t items[3];

	if (stop == NULL || zmq_connect(stop, QUERY_STOP_EP) != 0 ||
	    (done = backup_done_socket(d)) == NULL)
		fatalx("query: inproc pipes: %s", zmq_strerror(errno));
	items[0] = (zmq_pollitem_t){ d->query, 0, ZMQ_POLLIN, 0 };
	items[1] = (zmq_pollitem_t){ stop, 0, ZMQ_POLLIN, 0 };
	items[2] = (zmq_pollitem_t){ done, 0, ZMQ_POLLIN, 0 };
	for (;;) {
		if (zmq_poll(items, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			log_warnx("query: poll: %s", zmq_strerror(errno));
			break;
		}
		if (items[1].revents & ZMQ_POLLIN)
			break;
		if (items[0].revents & ZMQ_POLLIN)
			query_handle(d);
		if (items[2].revents & ZMQ_POLLIN)
			backup_finish(d, done);
	}
	backup_finish(d, done); /* a backup under way ends first */
	zmq_close(done);
	zmq_close(stop);
	zmq_close(d->query);
	d->query = NULL;
	return NULL;
}

int
query_start(struct daemon *d)
{
	sigset_t all, old;
	int rc;

	for (size_t i = 1; i < NITEMS(query_cmds); i++)
		if (strcmp(query_cmds[i - 1].name, query_cmds[i].name) >= 0)
			fatalx("query table out of order at %s",
			    query_cmds[i].name);
	if ((d->query_stop = zmq_socket(d->zctx, ZMQ_PAIR)) == NULL ||
	    zmq_bind(d->query_stop, QUERY_STOP_EP) != 0)
		return IRK_EIO;
	/* Signals belong to the main thread's loop. */
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&d->query_thread, NULL, query_main, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return rc == 0 ? 0 : IRK_ENOMEM;
}

void
query_stop(struct daemon *d)
{
	if (d->query_stop == NULL)
		return;
	zmq_send(d->query_stop, "", 0, 0);
	pthread_join(d->query_thread, NULL);
	zmq_close(d->query_stop);
	d->query_stop = NULL;
}
