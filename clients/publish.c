/*
 * libirokpi: the pipelined publisher (irokpi_publish() and friends).
 *
 * The publisher keeps a ring of inflight + 1 batches: the oldest outstanding
 * batch at `head`, then the later ones, then (maybe) the one being filled.
 * A batch goes FILLING -> WAITING (sent) -> DONE (acked), with a detour
 * through BACKOFF when the daemon answers "retry": true.  Acks may come in
 * any order (and twice, after a resend), but results are delivered only from
 * the head of the ring, so the caller sees them in the order it handed the
 * events over; a batch acked early simply waits for the ones before it.  The
 * ring's buffers are reused, so memory stays flat however many events pass.
 *
 * A batch keeps its id when resent, so whichever ack comes first completes
 * it and the other is counted as stray.  Batches are resent when their
 * resend timer runs out, when a "retry" back-off ends, and at once when the
 * ingest socket reconnects after a disconnect (a socket monitor tells us):
 * the daemon may have restarted and lost whatever was not yet committed.
 * ZeroMQ does the reconnecting itself.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>
#include <zmq.h>

#include "clients/client_impl.h"
#include "clients/irokpi.h"
#include "domain/err.h"
#include "proto/event.h"
#include "proto/wire.h"

#define BACKOFF_MIN 250 /* first "retry" back-off, doubled each time */
#define BACKOFF_MAX 4000

/*
 * Watch the ingest socket's connections through an inproc PAIR, so that a
 * reconnect (a restarted daemon) resends at once instead of at the timer.
 */
static int
monitor_open(struct irokpi *k)
{
	char ep[64];
	int zero = 0;
	int rc;

	snprintf(ep, sizeof(ep), "inproc://irokpi-monitor-%p", (void *)k);
	if (zmq_socket_monitor(k->ingest, ep,
		ZMQ_EVENT_CONNECTED | ZMQ_EVENT_DISCONNECTED) != 0)
		return client_zmq_fail(k, "zmq_socket_monitor");
	if ((k->monitor = zmq_socket(k->ctx, ZMQ_PAIR)) == NULL)
		return client_zmq_fail(k, "zmq_socket");
	if (zmq_setsockopt(k->monitor, ZMQ_LINGER, &zero, sizeof(zero)) != 0 ||
	    zmq_connect(k->monitor, ep) != 0) {
		rc = client_zmq_fail(k, ep);
		zmq_close(k->monitor);
		k->monitor = NULL;
		return rc;
	}
	return 0;
}

static void
ring_free(struct irokpi *k)
{
	size_t i;

	for (i = 0; i < k->nslots; i++) {
		free(k->ring[i].ent);
		free(k->ring[i].buf);
	}
	free(k->ring);
	k->ring = NULL;
	k->nslots = k->head = k->nused = 0;
}

int
publish_ring_alloc(struct irokpi *k, size_t inflight)
{
	struct batch *r;

	if ((r = calloc(inflight + 1, sizeof(*r))) == NULL)
		return IRK_ENOMEM;
	ring_free(k);
	k->ring = r;
	k->nslots = inflight + 1;
	k->inflight = inflight;
	return 0;
}

int
publish_open(struct irokpi *k, const char *ep)
{
	int rc;

	snprintf(k->ingest_ep, sizeof(k->ingest_ep), "%s", ep);
	if ((rc = client_dealer_open(k, ep, &k->ingest)) != 0)
		return rc;
	return monitor_open(k);
}

void
publish_close(struct irokpi *k)
{
	if (k->ingest != NULL) {
		if (k->monitor != NULL)
			zmq_socket_monitor(k->ingest, NULL, 0);
		zmq_close(k->ingest);
		k->ingest = NULL;
	}
	if (k->monitor != NULL) {
		zmq_close(k->monitor);
		k->monitor = NULL;
	}
	ring_free(k);
}

void
irokpi_on_result(struct irokpi *k, irokpi_result_cb cb, void *arg)
{
	k->cb = cb;
	k->cb_arg = arg;
}

/* ---- Batch buffers ---- */

static bool
key_is(const msgpack_object *o, const char *s)
{
	size_t n = strlen(s);

	return o->type == MSGPACK_OBJECT_STR && o->via.str.size == n &&
	       memcmp(o->via.str.ptr, s, n) == 0;
}

static const msgpack_object *
map_get(const msgpack_object *map, const char *key)
{
	uint32_t i;

	for (i = 0; i < map->via.map.size; i++)
		if (key_is(&map->via.map.ptr[i].key, key))
			return &map->via.map.ptr[i].val;
	return NULL;
}

static int
buf_reserve(struct batch *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->cap - b->used >= more)
		return 0;
	cap = b->cap == 0 ? 16384 : b->cap;
	while (cap - b->used < more)
		cap *= 2;
	if ((p = realloc(b->buf, cap)) == NULL)
		return IRK_ENOMEM;
	b->buf = p;
	b->cap = cap;
	return 0;
}

/* Append len bytes and a NUL; *off gets where they start. */
static int
buf_addstr(struct batch *b, const char *s, size_t len, size_t *off)
{
	int rc;

	if ((rc = buf_reserve(b, len + 1)) != 0)
		return rc;
	memcpy(b->buf + b->used, s, len);
	b->buf[b->used + len] = '\0';
	*off = b->used;
	b->used += len + 1;
	return 0;
}

static struct entry *
batch_add(struct batch *b)
{
	struct entry *e;
	size_t cap;

	if (b->nent == b->cap_ent) {
		cap = b->cap_ent == 0 ? 64 : b->cap_ent * 2;
		if ((e = realloc(b->ent, cap * sizeof(*e))) == NULL)
			return NULL;
		b->ent = e;
		b->cap_ent = cap;
	}
	e = &b->ent[b->nent];
	memset(e, 0, sizeof(*e));
	e->id = e->field = e->reason = NO_STR;
	e->status = -1;
	return e;
}

/*
 * The id of a msgpack event (p, len: the caller's bytes or the batch's), if
 * it is a map with a string "id", copied into the batch.  Used only for
 * rejected events, so its cost does not matter.
 */
static void
entry_find_id(struct batch *b, struct entry *e, const char *p, size_t len)
{
	msgpack_unpacked u;
	msgpack_object_kv *kv;
	char id[IRK_ID_MAX];
	size_t off = 0, n, id_off;
	uint32_t i;

	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, p, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    u.data.type != MSGPACK_OBJECT_MAP)
		goto out;
	for (i = 0; i < u.data.via.map.size; i++) {
		kv = &u.data.via.map.ptr[i];
		if (!key_is(&kv->key, "id") ||
		    kv->val.type != MSGPACK_OBJECT_STR)
			continue;
		n = kv->val.via.str.size;
		if (n == 0 || memchr(kv->val.via.str.ptr, '\0', n) != NULL)
			break;
		if (n > sizeof(id))
			n = sizeof(id);
		/* The string may live in b->buf, which buf_addstr() may
		 * move: copy it out first. */
		memcpy(id, kv->val.via.str.ptr, n);
		if (buf_addstr(b, id, n, &id_off) == 0)
			e->id = id_off;
		break;
	}
out:
	msgpack_unpacked_destroy(&u);
}

/* Record a rejection; strings are copied into the batch. */
static int
entry_reject(struct batch *b, struct entry *e, const char *field,
    size_t field_len, const char *reason, size_t reason_len)
{
	size_t off;
	int rc;

	e->status = IROKPI_REJECTED;
	if ((rc = buf_addstr(b, field, field_len, &off)) != 0)
		return rc;
	e->field = off;
	if ((rc = buf_addstr(b, reason, reason_len, &off)) != 0)
		return rc;
	e->reason = off;
	if (e->len > 0 && e->id == NO_STR)
		entry_find_id(b, e, b->buf + e->off, e->len);
	return 0;
}

/* ---- The ring ---- */

static struct batch *
slot(struct irokpi *k, size_t i)
{
	return &k->ring[(k->head + i) % k->nslots];
}

static struct batch *
filling(struct irokpi *k)
{
	struct batch *b;

	if (k->nused == 0)
		return NULL;
	b = slot(k, k->nused - 1);
	return b->state == B_FILLING ? b : NULL;
}

/* Batches sent or settled but not yet delivered. */
static size_t
outstanding(struct irokpi *k)
{
	return k->nused - (filling(k) != NULL ? 1 : 0);
}

/* Batches still waiting for the daemon. */
static size_t
unsettled(struct irokpi *k)
{
	size_t i, n = 0;

	for (i = 0; i < k->nused; i++)
		if (slot(k, i)->state == B_WAITING ||
		    slot(k, i)->state == B_BACKOFF)
			n++;
	return n;
}

size_t
irokpi_pending(const struct irokpi *k)
{
	size_t i, n = 0;

	for (i = 0; i < k->nused; i++)
		n += k->ring[(k->head + i) % k->nslots].nent;
	return n;
}

/* Hand the head batches that are DONE to the callback, in order. */
static void
deliver(struct irokpi *k)
{
	struct irokpi_result r;
	struct batch *b;
	struct entry *e;
	size_t i;

	while (k->nused > 0 && (b = slot(k, 0))->state == B_DONE) {
		for (i = 0; i < b->nent; i++) {
			e = &b->ent[i];
			memset(&r, 0, sizeof(r));
			r.tag = e->tag;
			r.status = (enum irokpi_status)e->status;
			if (e->len > 0) {
				r.event = b->buf + e->off;
				r.event_len = e->len;
			}
			switch (e->status) {
			case IROKPI_STORED:
				k->counts.stored++;
				break;
			case IROKPI_DUPLICATE:
				k->counts.duplicates++;
				break;
			default:
				k->counts.rejected++;
				r.id = e->id == NO_STR ? NULL : b->buf + e->id;
				r.field = b->buf + e->field;
				r.reason = b->buf + e->reason;
				break;
			}
			if (k->cb != NULL)
				k->cb(&r, k->cb_arg);
		}
		b->state = B_FREE;
		k->head = (k->head + 1) % k->nslots;
		k->nused--;
	}
}

/* ---- Sending ---- */

static int
send_frame(struct irokpi *k, const void *p, size_t len, int flags)
{
	if (zmq_send(k->ingest, p, len, flags) >= 0)
		return 0;
	return client_zmq_fail(k, "zmq_send");
}

/*
 * Put the batch on the wire: the header map, then each event that is to be
 * sent.  A DEALER queues up to its high-water mark (1000 messages) whether
 * or not the daemon is there; should the queue be full even so (a long
 * outage with a very short resend time), the batch simply waits for its
 * next turn instead of blocking the caller.  libzmq checks the mark on a
 * message's first frame only, so the other frames cannot fail that way.
 */
static int
batch_send(struct irokpi *k, struct batch *b)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t i, left = b->nsend;
	int rc;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str_with_body(&pk, "v", 1);
	msgpack_pack_int(&pk, WIRE_VERSION);
	msgpack_pack_str_with_body(&pk, "batch", 5);
	msgpack_pack_uint64(&pk, b->id);
	if (sb.data == NULL) {
		rc = IRK_ENOMEM;
		goto out;
	}
	b->state = B_WAITING;
	b->due = client_now_ms() + k->resend;
	if (zmq_send(k->ingest, sb.data, sb.size, ZMQ_SNDMORE | ZMQ_DONTWAIT) <
	    0) {
		rc =
		    zmq_errno() == EAGAIN ? 0 : client_zmq_fail(k, "zmq_send");
		goto out;
	}
	for (i = 0; i < b->nent && left > 0; i++) {
		if (b->ent[i].len == 0)
			continue;
		left--;
		if ((rc = send_frame(k, b->buf + b->ent[i].off, b->ent[i].len,
			 left > 0 ? ZMQ_SNDMORE : 0)) != 0)
			goto out;
	}
out:
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

/* ---- Receiving ---- */

static struct batch *
find_batch(struct irokpi *k, uint64_t id)
{
	struct batch *b;
	size_t i;

	for (i = 0; i < k->nused; i++) {
		b = slot(k, i);
		if (b->id == id &&
		    (b->state == B_WAITING || b->state == B_BACKOFF))
			return b;
	}
	return NULL;
}

static int
bad_reply(struct irokpi *k, const char *why)
{
	k->counts.bad_replies++;
	client_seterr(k, 0, "unusable ack from the daemon: %s", why);
	return 0;
}

/* Copy a verdict from the ack's status array into the batch. */
static int
apply_status(struct irokpi *k, struct batch *b, const msgpack_object *st)
{
	const msgpack_object *it, *f, *r;
	struct entry *e;
	size_t i, j = 0;
	int rc;

	/* Check everything first: a bad ack must not half-settle a batch. */
	for (i = 0; i < st->via.array.size; i++) {
		it = &st->via.array.ptr[i];
		if (it->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
		    (it->via.u64 == WIRE_STATUS_STORED ||
			it->via.u64 == WIRE_STATUS_DUPLICATE))
			continue;
		if (it->type == MSGPACK_OBJECT_ARRAY &&
		    it->via.array.size == 3 &&
		    it->via.array.ptr[0].type ==
			MSGPACK_OBJECT_POSITIVE_INTEGER &&
		    it->via.array.ptr[0].via.u64 == WIRE_STATUS_REJECTED &&
		    it->via.array.ptr[1].type == MSGPACK_OBJECT_STR &&
		    it->via.array.ptr[2].type == MSGPACK_OBJECT_STR)
			continue;
		return bad_reply(k, "a status item is neither 0, 1 nor "
				    "[2, field, reason]");
	}
	for (i = 0; i < b->nent; i++) {
		e = &b->ent[i];
		if (e->len == 0)
			continue; /* refused here, verdict already set */
		it = &st->via.array.ptr[j++];
		if (it->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
			e->status = (int)it->via.u64;
			continue;
		}
		f = &it->via.array.ptr[1];
		r = &it->via.array.ptr[2];
		if ((rc = entry_reject(b, e, f->via.str.ptr, f->via.str.size,
			 r->via.str.ptr, r->via.str.size)) != 0)
			return rc;
	}
	b->state = B_DONE;
	return 0;
}

/* 250 ms, doubled on each "retry" reply, at most 4 s. */
static long
backoff_ms(unsigned attempts)
{
	long ms = BACKOFF_MIN;

	while (attempts-- > 0 && ms < BACKOFF_MAX)
		ms *= 2;
	return ms < BACKOFF_MAX ? ms : BACKOFF_MAX;
}

/* One reply from the ingest socket: an ack or a batch error. */
static int
handle_ack(struct irokpi *k, const char *p, size_t len)
{
	msgpack_unpacked u;
	const msgpack_object *v, *bid, *st, *err, *retry, *seq;
	struct batch *b;
	size_t off = 0, i, n;
	int rc = 0;

	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, p, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    u.data.type != MSGPACK_OBJECT_MAP) {
		rc = bad_reply(k, "not a msgpack map");
		goto out;
	}
	v = map_get(&u.data, "v");
	if (v != NULL && (v->type != MSGPACK_OBJECT_POSITIVE_INTEGER ||
			     v->via.u64 != WIRE_VERSION)) {
		rc = bad_reply(k, "unknown \"v\"");
		goto out;
	}
	bid = map_get(&u.data, "batch");
	st = map_get(&u.data, "status");
	err = map_get(&u.data, "error");
	if (err != NULL) {
		n = err->type == MSGPACK_OBJECT_STR ? err->via.str.size : 0;
		if (n >= sizeof(k->refusal))
			n = sizeof(k->refusal) - 1;
		memcpy(k->refusal, n > 0 ? err->via.str.ptr : "", n);
		k->refusal[n] = '\0';
		client_seterr(k, 0, "daemon: %s", k->refusal);
	}
	if (bid == NULL || bid->type != MSGPACK_OBJECT_POSITIVE_INTEGER) {
		/* An error about a header it could not read: nothing to
		 * match, the batch's timer will resend it. */
		if (err == NULL)
			rc = bad_reply(k, "no \"batch\"");
		goto out;
	}
	if ((b = find_batch(k, bid->via.u64)) == NULL) {
		k->counts.stray++;
		goto out;
	}
	if (err != NULL) {
		retry = map_get(&u.data, "retry");
		if (retry != NULL && retry->type == MSGPACK_OBJECT_BOOLEAN &&
		    retry->via.boolean) {
			k->counts.retries++;
			b->state = B_BACKOFF;
			b->due = client_now_ms() + backoff_ms(b->attempts++);
			goto out;
		}
		/* Malformed batch: resending will not help.  Every event of
		 * it gets the daemon's reason, so none goes unreported. */
		k->last_ack = client_now_ms();
		for (i = 0; i < b->nent; i++)
			if (b->ent[i].len > 0 &&
			    (rc = entry_reject(b, &b->ent[i], "(batch)", 7,
				 k->refusal, strlen(k->refusal))) != 0)
				goto out;
		b->state = B_DONE;
		goto out;
	}
	if (st == NULL || st->type != MSGPACK_OBJECT_ARRAY ||
	    st->via.array.size != b->nsend) {
		rc = bad_reply(k, "\"status\" does not match the batch");
		goto out;
	}
	if ((rc = apply_status(k, b, st)) != 0 || b->state != B_DONE)
		goto out;
	k->last_ack = client_now_ms();
	k->refusal[0] = '\0';
	seq = map_get(&u.data, "last_seq");
	if (seq != NULL && seq->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
	    seq->via.u64 > k->counts.last_seq)
		k->counts.last_seq = seq->via.u64;
out:
	msgpack_unpacked_destroy(&u);
	return rc;
}

/* Read every message waiting on the ingest socket. */
static int
drain_ingest(struct irokpi *k)
{
	zmq_msg_t m;
	int more, rc = 0;

	for (;;) {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, k->ingest, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			if (zmq_errno() == EAGAIN || zmq_errno() == EINTR)
				return 0;
			return client_zmq_fail(k, "zmq_msg_recv");
		}
		/*
		 * The ack is one frame; should an empty delimiter come
		 * first (we send none), skip it.  Extra frames are junk.
		 */
		more = zmq_msg_more(&m);
		if (more && zmq_msg_size(&m) == 0) {
			zmq_msg_close(&m);
			continue;
		}
		if (!more)
			rc = handle_ack(k, zmq_msg_data(&m), zmq_msg_size(&m));
		else
			rc = bad_reply(k, "more than one frame");
		zmq_msg_close(&m);
		while (more) {
			zmq_msg_init(&m);
			if (zmq_msg_recv(&m, k->ingest, 0) < 0) {
				zmq_msg_close(&m);
				return client_zmq_fail(k, "zmq_msg_recv");
			}
			more = zmq_msg_more(&m);
			zmq_msg_close(&m);
		}
		if (rc != 0)
			return rc;
	}
}

/* Monitor events: note disconnects; resend everything on a reconnect. */
static int
drain_monitor(struct irokpi *k)
{
	zmq_msg_t m;
	uint16_t ev;
	size_t i;
	int more;

	for (;;) {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, k->monitor, ZMQ_DONTWAIT) < 0) {
			zmq_msg_close(&m);
			return 0;
		}
		ev = 0;
		if (zmq_msg_size(&m) >= 2)
			memcpy(&ev, zmq_msg_data(&m), sizeof(ev));
		more = zmq_msg_more(&m);
		zmq_msg_close(&m);
		while (more) { /* the endpoint frame */
			zmq_msg_init(&m);
			if (zmq_msg_recv(&m, k->monitor, 0) < 0) {
				zmq_msg_close(&m);
				return 0;
			}
			more = zmq_msg_more(&m);
			zmq_msg_close(&m);
		}
		if (ev == ZMQ_EVENT_DISCONNECTED) {
			k->disconnected = true;
		} else if (ev == ZMQ_EVENT_CONNECTED && k->disconnected) {
			k->disconnected = false;
			for (i = 0; i < k->nused; i++)
				if (slot(k, i)->state == B_WAITING)
					slot(k, i)->due = 0;
		}
	}
}

/*
 * One turn of the publisher: wait (up to the next timer, or not at all) for
 * the sockets, read acks, resend what is due, deliver, check the no-ack
 * clock.  Returns 0, IRK_ETIMEDOUT or another IRK_E*.
 */
static int
pump(struct irokpi *k, bool block)
{
	zmq_pollitem_t items[2];
	struct batch *b;
	int64_t now, next;
	size_t i;
	long wait;
	int rc, nitems = 1;

	now = client_now_ms();
	next = k->last_ack + k->give_up;
	for (i = 0; i < k->nused; i++) {
		b = slot(k, i);
		if ((b->state == B_WAITING || b->state == B_BACKOFF) &&
		    b->due < next)
			next = b->due;
	}
	wait = !block ? 0 : next <= now ? 0 : (long)(next - now);
	memset(items, 0, sizeof(items));
	items[0].socket = k->ingest;
	items[0].events = ZMQ_POLLIN;
	if (k->monitor != NULL) {
		items[1].socket = k->monitor;
		items[1].events = ZMQ_POLLIN;
		nitems = 2;
	}
	if (zmq_poll(items, nitems, wait) < 0 && zmq_errno() != EINTR)
		return client_zmq_fail(k, "zmq_poll");
	if ((items[0].revents & ZMQ_POLLIN) && (rc = drain_ingest(k)) != 0)
		return rc;
	if (nitems > 1 && (items[1].revents & ZMQ_POLLIN) &&
	    (rc = drain_monitor(k)) != 0)
		return rc;
	now = client_now_ms();
	for (i = 0; i < k->nused; i++) {
		b = slot(k, i);
		if ((b->state == B_WAITING || b->state == B_BACKOFF) &&
		    b->due <= now) {
			if ((rc = batch_send(k, b)) != 0)
				return rc;
			k->counts.resends++;
		}
	}
	deliver(k);
	if (unsettled(k) > 0 && now - k->last_ack >= k->give_up)
		return client_seterr(k, IRK_ETIMEDOUT,
		    "no ack from %s for %ld ms%s%s%s", k->ingest_ep,
		    k->give_up, k->refusal[0] != '\0' ? " (last reply: " : "",
		    k->refusal, k->refusal[0] != '\0' ? ")" : "");
	return 0;
}

/*
 * Send the filling batch once the window has room.  A batch of events all
 * refused here is settled without going on the wire.
 */
static int
submit(struct irokpi *k)
{
	struct batch *b = filling(k);
	int rc;

	if (b == NULL)
		return 0;
	if (b->nent == 0) {
		b->state = B_FREE;
		k->nused--;
		return 0;
	}
	while (outstanding(k) >= k->inflight)
		if ((rc = pump(k, true)) != 0)
			return rc;
	if (b->nsend == 0) {
		b->state = B_DONE;
		deliver(k);
		return 0;
	}
	if (unsettled(k) == 0)
		k->last_ack = client_now_ms(); /* a new no-ack period starts */
	b->id = k->next_batch++;
	b->attempts = 0;
	if ((rc = batch_send(k, b)) != 0)
		return rc; /* WAITING all the same: the timer tries again */
	k->counts.batches++;
	return pump(k, false);
}

/* The batch to add an event to, sending a full one first. */
static int
batch_for_add(struct irokpi *k, struct batch **out)
{
	struct batch *b;
	int rc;

	if (k->ingest == NULL)
		return client_seterr(k, IRK_EINVAL, "no ingest endpoint");
	b = filling(k);
	if (b != NULL && b->nent < k->batch_max) {
		*out = b;
		return 0;
	}
	if (b != NULL && (rc = submit(k)) != 0)
		return rc;
	/* outstanding <= inflight now, so a slot is free. */
	b = slot(k, k->nused);
	b->state = B_FILLING;
	b->nent = b->nsend = b->used = 0;
	k->nused++;
	*out = b;
	return 0;
}

int
irokpi_publish(struct irokpi *k, const void *event, size_t len, uint64_t tag)
{
	struct batch *b = NULL;
	struct entry *e;
	char reason[80];
	int rc;

	if (len == 0)
		return client_seterr(k, IRK_EINVAL, "empty event");
	if ((rc = batch_for_add(k, &b)) != 0)
		return rc;
	if ((e = batch_add(b)) == NULL)
		return IRK_ENOMEM;
	if (len > IRK_EVENT_MAX) {
		/*
		 * PROTOCOL.md: at most 4096 bytes an event.  Never sent, so
		 * it cannot push a frame past the daemon's ZMQ_MAXMSGSIZE,
		 * which would cost the connection, not just this event.
		 */
		snprintf(reason, sizeof(reason),
		    "event is %zu bytes, over the limit of %d", len,
		    IRK_EVENT_MAX);
		entry_find_id(b, e, event, len);
		if (entry_reject(b, e, "(event)", 7, reason, strlen(reason)) !=
		    0)
			return IRK_ENOMEM;
		e->tag = tag;
		b->nent++;
		return 0;
	}
	if (buf_reserve(b, len) != 0)
		return IRK_ENOMEM;
	e->tag = tag;
	e->off = b->used;
	e->len = len;
	memcpy(b->buf + b->used, event, len);
	b->used += len;
	b->nent++;
	b->nsend++;
	return 0;
}

int
irokpi_publish_reject(struct irokpi *k, uint64_t tag, const char *id,
    const char *field, const char *reason)
{
	struct batch *b = NULL;
	struct entry *e;
	size_t off;
	int rc;

	if (field == NULL)
		field = "(event)";
	if (reason == NULL)
		reason = "";
	if ((rc = batch_for_add(k, &b)) != 0)
		return rc;
	if ((e = batch_add(b)) == NULL)
		return IRK_ENOMEM;
	if (id != NULL) {
		if (buf_addstr(b, id, strlen(id), &off) != 0)
			return IRK_ENOMEM;
		e->id = off;
	}
	if (entry_reject(b, e, field, strlen(field), reason, strlen(reason)) !=
	    0)
		return IRK_ENOMEM;
	e->tag = tag;
	b->nent++;
	return 0;
}

int
irokpi_flush(struct irokpi *k)
{
	int rc;

	if (k->ingest == NULL)
		return k->nused == 0 ? 0 : IRK_EINVAL;
	k->last_ack = client_now_ms();
	if ((rc = submit(k)) != 0)
		return rc;
	while (k->nused > 0)
		if ((rc = pump(k, true)) != 0)
			return rc;
	return 0;
}
