/*
 * The ingest socket: one multipart message is one batch (PROTOCOL.md).
 * Every event is decoded and validated on its own, so a bad one is rejected
 * with its field and reason while the rest are stored; the store commits the
 * batch durably, and only then does the producer get its ack.  A batch the
 * store could not take is answered with retry true and nothing stored.
 */
#include <errno.h>
#include <msgpack.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/statvfs.h>
#include <zmq.h>

#include "daemon/daemon.h"
#include "daemon/log.h"
#include "domain/err.h"
#include "proto/codec.h"
#include "proto/pack.h"
#include "proto/wire.h"

/* Below this, an I/O error on commit is most likely a full disk. */
#define DISK_LOW_BYTES (64ULL << 20)

/* The frames of one message: identity, optional delimiter, header, events. */
struct frames {
	zmq_msg_t *v;
	size_t n, cap;
	size_t dropped; /* frames past the batch limit, read and discarded */
};

static void
frames_close(struct frames *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		zmq_msg_close(&f->v[i]);
	free(f->v);
}

/* Read every frame of one message, keeping at most keep of them. */
static int
frames_recv(void *sock, struct frames *f, size_t keep)
{
	zmq_msg_t scratch, *m;
	int more;

	do {
		if (f->n == f->cap && f->n < keep) {
			size_t cap = f->cap ? f->cap * 2 : 64;
			zmq_msg_t *v = realloc(f->v, cap * sizeof(*v));

			if (v == NULL)
				return IRK_ENOMEM;
			f->v = v;
			f->cap = cap;
		}
		m = f->n < keep ? &f->v[f->n] : &scratch;
		zmq_msg_init(m);
		if (zmq_msg_recv(m, sock, 0) == -1) {
			zmq_msg_close(m);
			return errno == EINTR || errno == EAGAIN
				   ? IRK_ETIMEDOUT
				   : IRK_EIO;
		}
		more = zmq_msg_more(m);
		if (m == &scratch) {
			zmq_msg_close(m);
			f->dropped++;
		} else
			f->n++;
	} while (more);
	return 0;
}

/*
 * LMDB reports a short write on a full disk as EIO: say whether the disk
 * holding data.mdb (which may be a link elsewhere) is the reason.
 */
static void
log_disk_space(const struct daemon *d)
{
	char path[CONFIG_PATH_MAX + 16];
	struct statvfs fs;
	unsigned long long avail;

	snprintf(path, sizeof(path), "%s/data.mdb", d->cfg.data_dir);
	if (statvfs(path, &fs) != 0)
		return;
	avail = (unsigned long long)fs.f_bavail * fs.f_frsize;
	if (avail < DISK_LOW_BYTES)
		log_warnx("ingest: no space left for %s: %llu KiB free; "
			  "free some or grow the filesystem, and ingest "
			  "resumes by itself",
		    path, avail / 1024);
}

/* The header map {"v": 1, "batch": B}.  Returns 0 or IRK_EPROTO. */
static int
header_parse(const zmq_msg_t *m, uint64_t *batch, char *why, size_t whylen)
{
	const char *buf = zmq_msg_data((zmq_msg_t *)m);
	size_t len = zmq_msg_size((zmq_msg_t *)m), off = 0;
	const msgpack_object *o;
	struct irk_diag diag;
	msgpack_unpacked u;
	bool has_batch = false;
	int64_t v = 1;
	int rc = IRK_EPROTO;

	if (codec_check(buf, len, 2, &diag) != 0) {
		snprintf(why, whylen, "header: %s", diag.reason);
		return IRK_EPROTO;
	}
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, buf, len, &off) !=
		MSGPACK_UNPACK_SUCCESS ||
	    u.data.type != MSGPACK_OBJECT_MAP) {
		snprintf(why, whylen, "header: not a map");
		goto done;
	}
	if ((o = obj_map_get(&u.data, "batch")) != NULL &&
	    o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		*batch = o->via.u64;
		has_batch = true;
	}
	if ((o = obj_map_get(&u.data, "v")) != NULL)
		v = o->type == MSGPACK_OBJECT_POSITIVE_INTEGER
			? (int64_t)o->via.u64
			: -1;
	if (!has_batch)
		snprintf(why, whylen, "header: no unsigned \"batch\"");
	else if (v != WIRE_VERSION)
		snprintf(why, whylen, "header: unsupported version");
	else
		rc = 0;
done:
	msgpack_unpacked_destroy(&u);
	return rc;
}

static int
reply_send(struct daemon *d, const struct frames *f, bool delimiter,
    const msgpack_sbuffer *body, uint64_t batch)
{
	zmq_msg_t *id = &f->v[0];

	if (zmq_send(d->ingest, zmq_msg_data(id), zmq_msg_size(id),
		ZMQ_SNDMORE) == -1 ||
	    (delimiter && zmq_send(d->ingest, "", 0, ZMQ_SNDMORE) == -1) ||
	    zmq_send(d->ingest, body->data, body->size, 0) == -1) {
		if (errno == EHOSTUNREACH)
			log_warnx("ingest: producer left before the ack of "
				  "batch %llu (it will resend)",
			    (unsigned long long)batch);
		else
			log_warnx("ingest: ack of batch %llu: %s",
			    (unsigned long long)batch, zmq_strerror(errno));
		return IRK_EIO;
	}
	return 0;
}

/* Start a reply map of 4 entries with "v" and "batch" (nil if unknown). */
static void
reply_head(msgpack_sbuffer *sb, msgpack_packer *pk, const uint64_t *batch)
{
	msgpack_sbuffer_init(sb);
	msgpack_packer_init(pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(pk, 4);
	pack_cstr(pk, "v");
	msgpack_pack_int(pk, WIRE_VERSION);
	pack_cstr(pk, "batch");
	if (batch != NULL)
		msgpack_pack_uint64(pk, *batch);
	else
		msgpack_pack_nil(pk);
}

static int
reply_error(struct daemon *d, const struct frames *f, bool delimiter,
    const uint64_t *batch, const char *why, bool retry)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int rc;

	reply_head(&sb, &pk, batch);
	pack_cstr(&pk, "error");
	pack_cstr(&pk, why);
	pack_cstr(&pk, "retry");
	pack_bool(&pk, retry);
	rc = reply_send(d, f, delimiter, &sb, batch ? *batch : 0);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

static int
reply_ack(struct daemon *d, const struct frames *f, bool delimiter,
    uint64_t batch, uint64_t last_seq, const struct store_item *items,
    const struct irk_diag *diags, size_t n)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t i;
	int rc;

	reply_head(&sb, &pk, &batch);
	pack_cstr(&pk, "last_seq");
	msgpack_pack_uint64(&pk, last_seq);
	pack_cstr(&pk, "status");
	msgpack_pack_array(&pk, n);
	for (i = 0; i < n; i++) {
		if (items[i].valid) {
			msgpack_pack_int(&pk, items[i].status);
			continue;
		}
		msgpack_pack_array(&pk, 3);
		msgpack_pack_int(&pk, WIRE_STATUS_REJECTED);
		pack_cstr(&pk, diags[i].field);
		pack_cstr(&pk, diags[i].reason);
	}
	rc = reply_send(d, f, delimiter, &sb, batch);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

/* One producer's message, checked and waiting for the group's commit. */
struct batch_in {
	struct frames f;
	bool delimiter;
	size_t first; /* index of its first event frame */
	size_t n;     /* events */
	uint64_t id;  /* the producer's batch number */
	size_t at;    /* its first item in the group's arrays */
	size_t rejected;
};

/*
 * Receive one message and check its frames and header.  A message that is
 * not a batch to store is answered here and closed; returns 0 only for one
 * to store, whose frames the caller closes.
 */
static int
batch_recv(struct daemon *d, struct batch_in *b)
{
	char why[200];
	int rc;

	memset(b, 0, sizeof(*b));
	if ((rc = frames_recv(d->ingest, &b->f, WIRE_BATCH_MAX + 3)) != 0)
		goto refused;
	if (b->f.n < 2) {
		rc = IRK_EPROTO; /* an identity and nothing else: ignore */
		goto refused;
	}
	b->delimiter = zmq_msg_size(&b->f.v[1]) == 0;
	b->first = b->delimiter ? 3 : 2;
	rc = IRK_EPROTO;
	if (b->f.n < b->first) {
		reply_error(
		    d, &b->f, b->delimiter, NULL, "no header frame", false);
		goto refused;
	}
	if (header_parse(&b->f.v[b->first - 1], &b->id, why, sizeof(why)) !=
	    0) {
		reply_error(d, &b->f, b->delimiter, NULL, why, false);
		goto refused;
	}
	b->n = b->f.n - b->first;
	if (b->f.dropped > 0 || b->n > (size_t)d->cfg.max_batch_events) {
		snprintf(why, sizeof(why),
		    "more than %lld events in one batch",
		    d->cfg.max_batch_events);
		reply_error(d, &b->f, b->delimiter, &b->id, why, false);
		goto refused;
	}
	if (b->n == 0) {
		reply_error(
		    d, &b->f, b->delimiter, &b->id, "no events", false);
		goto refused;
	}
	return 0;
refused:
	frames_close(&b->f);
	return rc;
}

static bool
ingest_readable(struct daemon *d)
{
	int events = 0;
	size_t len = sizeof(events);

	return zmq_getsockopt(d->ingest, ZMQ_EVENTS, &events, &len) == 0 &&
	       (events & ZMQ_POLLIN) != 0;
}

/* Decode and validate every event of the group into items and diags. */
static void
group_decode(struct batch_in *group, size_t nb, struct store_item *items,
    struct irk_diag *diags, struct event *ev)
{
	size_t b, i;

	for (b = 0; b < nb; b++)
		for (i = 0; i < group[b].n; i++) {
			zmq_msg_t *m = &group[b].f.v[group[b].first + i];
			const char *raw = zmq_msg_data(m);
			size_t len = zmq_msg_size(m), at = group[b].at + i;

			if (codec_decode_event(raw, len, ev, &diags[at]) == 0)
				store_item_set(&items[at], ev, raw, len);
			else
				group[b].rejected++;
		}
}

/* Count what the commit did and ack each batch with its own statuses. */
static void
group_ack(struct daemon *d, struct batch_in *group, size_t nb,
    uint64_t last_seq, const struct store_item *items,
    const struct irk_diag *diags)
{
	size_t b, i, dups;

	for (b = 0; b < nb; b++) {
		const struct store_item *it = items + group[b].at;

		for (i = 0, dups = 0; i < group[b].n; i++)
			if (it[i].valid &&
			    it[i].status == WIRE_STATUS_DUPLICATE)
				dups++;
		atomic_fetch_add(&d->batches, 1);
		atomic_fetch_add(
		    &d->stored, group[b].n - group[b].rejected - dups);
		atomic_fetch_add(&d->duplicates, dups);
		atomic_fetch_add(&d->rejected, group[b].rejected);
		if (group[b].rejected > 0)
			log_info("ingest: batch %llu: %zu of %zu events "
				 "rejected",
			    (unsigned long long)group[b].id, group[b].rejected,
			    group[b].n);
		reply_ack(d, &group[b].f, group[b].delimiter, group[b].id,
		    last_seq, it, diags + group[b].at, group[b].n);
	}
}

/*
 * Batches already waiting when one arrives (several producers, each with
 * a batch in flight) are stored in the same transaction: one commit, one
 * fsync, and the pages they share written once.  Each is still acked or
 * refused on its own, and only after the commit.
 */
size_t
ingest_handle(struct daemon *d)
{
	struct batch_in group[INGEST_GROUP_BATCHES];
	struct store_item *items = NULL;
	struct irk_diag *diags = NULL;
	struct event *ev = NULL;
	size_t nb = 0, total = 0, b;
	uint64_t last_seq = 0, t0;
	char why[200];
	int rc;

	do {
		if (batch_recv(d, &group[nb]) == 0) {
			group[nb].at = total;
			total += group[nb].n;
			nb++;
		}
	} while (nb < INGEST_GROUP_BATCHES && total < INGEST_GROUP_EVENTS &&
		 ingest_readable(d));
	if (nb == 0)
		return 0;
	items = calloc(total, sizeof(*items));
	diags = calloc(total, sizeof(*diags));
	ev = malloc(sizeof(*ev));
	if (items == NULL || diags == NULL || ev == NULL) {
		for (b = 0; b < nb; b++)
			reply_error(d, &group[b].f, group[b].delimiter,
			    &group[b].id, "out of memory", true);
		goto done;
	}
	group_decode(group, nb, items, diags, ev);
	t0 = hist_now_ns();
	if ((rc = store_ingest(d->store, items, total, &last_seq)) != 0) {
		log_warnx("ingest: %zu batch(es) of %zu events not stored: "
			  "%s; the producers will resend",
		    nb, total, irk_strerror(rc));
		if (rc == IRK_EIO)
			log_disk_space(d);
		snprintf(why, sizeof(why), "store: %s", irk_strerror(rc));
		for (b = 0; b < nb; b++)
			reply_error(d, &group[b].f, group[b].delimiter,
			    &group[b].id, why, true);
		goto done;
	}
	hist_observe(&d->commit_hist, hist_now_ns() - t0);
	atomic_fetch_add(&d->commits, 1);
	group_ack(d, group, nb, last_seq, items, diags);
done:
	free(ev);
	free(diags);
	free(items);
	for (b = 0; b < nb; b++)
		frames_close(&group[b].f);
	return nb;
}
