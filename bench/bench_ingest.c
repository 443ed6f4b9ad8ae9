/*
 * bench_ingest: the ingest half of bench/run.
 *
 *   bench_ingest prep EVENTS.jsonl OUT.bin
 *	encode every JSON line to the msgpack bytes a producer sends, once,
 *	as u32 length + bytes records, so that no run pays for JSON
 *   bench_ingest send ENDPOINT OUT.bin BATCH PRODUCERS FIRST COUNT [INFLIGHT]
 *	send events FIRST..FIRST+COUNT to irokpid's ingest socket over raw
 *	ZeroMQ DEALER sockets, PRODUCERS threads, each with up to INFLIGHT
 *	batches sent and not yet acked (default 1: each batch waits for the
 *	durable ack of the one before; libirokpi's publisher keeps 4);
 *	batches are dealt round-robin; prints one JSON line: events/s and
 *	ack latency
 *   bench_ingest floor DIR OUT.bin BATCH COUNT
 *	the storage floor: the same bytes appended to a bare LMDB database
 *	(MDB_APPEND, big-endian seq keys), one durable commit per BATCH
 *
 * Latency is from the first frame sent to the ack received: the commit
 * latency a producer sees.
 */
#include <errno.h>
#include <lmdb.h>
#include <msgpack.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zmq.h>

#include "proto/json.h"

struct events {
	char *buf;
	size_t len;
	size_t *off; /* record i: u32 length at buf + off[i] */
	size_t n;
};

struct producer {
	pthread_t th;
	void *zctx;
	const char *endpoint;
	const struct events *ev;
	size_t first, count, batch, producers, index, inflight;
	double *lat; /* microseconds, one per batch sent */
	size_t nlat;
	int failed;
};

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

static double
pct(const double *v, size_t n, double p)
{
	size_t i;

	if (n == 0)
		return 0;
	i = (size_t)(p * (double)(n - 1) + 0.5);
	return v[i];
}

static int
prep(const char *in, const char *out)
{
	FILE *f = fopen(in, "r"), *o = fopen(out, "w");
	msgpack_sbuffer sb;
	char *line = NULL;
	size_t cap = 0, n = 0;
	ssize_t len;

	if (f == NULL || o == NULL) {
		perror("prep");
		return 1;
	}
	msgpack_sbuffer_init(&sb);
	while ((len = getline(&line, &cap, f)) > 0) {
		uint32_t l;

		if (line[len - 1] == '\n')
			len--;
		if (len == 0)
			continue;
		sb.size = 0;
		if (json_to_msgpack(line, (size_t)len, &sb, NULL) != 0) {
			fprintf(stderr, "prep: line %zu not JSON\n", n + 1);
			return 1;
		}
		l = (uint32_t)sb.size;
		fwrite(&l, sizeof(l), 1, o);
		fwrite(sb.data, 1, sb.size, o);
		n++;
	}
	free(line);
	msgpack_sbuffer_destroy(&sb);
	fclose(f);
	if (fclose(o) != 0) {
		perror("prep");
		return 1;
	}
	fprintf(stderr, "prep: %zu events\n", n);
	return 0;
}

static int
events_load(const char *path, struct events *ev)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	size_t off = 0, cap = 0;
	uint32_t l;

	memset(ev, 0, sizeof(*ev));
	if (f == NULL || fstat(fileno(f), &st) != 0 ||
	    (ev->buf = malloc((size_t)st.st_size + 1)) == NULL ||
	    fread(ev->buf, 1, (size_t)st.st_size, f) != (size_t)st.st_size) {
		perror(path);
		return 1;
	}
	fclose(f);
	ev->len = (size_t)st.st_size;
	while (off + 4 <= ev->len) {
		if (ev->n == cap) {
			cap = cap ? cap * 2 : 1 << 16;
			if ((ev->off = realloc(
				 ev->off, cap * sizeof(size_t))) == NULL)
				return 1;
		}
		ev->off[ev->n++] = off;
		memcpy(&l, ev->buf + off, 4);
		off += 4 + l;
	}
	return 0;
}

static const char *
event_at(const struct events *ev, size_t i, size_t *len)
{
	uint32_t l;

	memcpy(&l, ev->buf + ev->off[i], 4);
	*len = l;
	return ev->buf + ev->off[i] + 4;
}

/* Send one batch, tagged tag: 0 or -1. */
static int
batch_send(
    void *sock, const struct events *ev, size_t from, size_t n, uint64_t tag)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t i, len;
	const char *raw;
	int rc = 0;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	msgpack_pack_str(&pk, 1);
	msgpack_pack_str_body(&pk, "v", 1);
	msgpack_pack_int(&pk, 1);
	msgpack_pack_str(&pk, 5);
	msgpack_pack_str_body(&pk, "batch", 5);
	msgpack_pack_uint64(&pk, tag);
	if (zmq_send(sock, sb.data, sb.size, ZMQ_SNDMORE) == -1)
		rc = -1;
	msgpack_sbuffer_destroy(&sb);
	for (i = 0; rc == 0 && i < n; i++) {
		raw = event_at(ev, from + i, &len);
		if (zmq_send(sock, raw, len, i + 1 < n ? ZMQ_SNDMORE : 0) ==
		    -1)
			rc = -1;
	}
	return rc;
}

/* The next ack, of the batch *tag: 0 when every event was taken. */
static int
ack_recv(void *sock, uint64_t *tag)
{
	msgpack_unpacked u;
	zmq_msg_t reply;
	size_t i, off = 0;
	int rc = 0, tagged = 0;

	zmq_msg_init(&reply);
	if (zmq_msg_recv(&reply, sock, 0) == -1) {
		zmq_msg_close(&reply);
		return -1;
	}
	/* An ack has "last_seq"; an error reply has "error". */
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, zmq_msg_data(&reply), zmq_msg_size(&reply),
		&off) != MSGPACK_UNPACK_SUCCESS ||
	    u.data.type != MSGPACK_OBJECT_MAP)
		rc = -1;
	else
		for (i = 0; i < u.data.via.map.size; i++) {
			const msgpack_object_kv *kv = &u.data.via.map.ptr[i];

			if (kv->key.type != MSGPACK_OBJECT_STR)
				continue;
			if (kv->key.via.str.size == 5 &&
			    memcmp(kv->key.via.str.ptr, "error", 5) == 0)
				rc = -1;
			if (kv->key.via.str.size == 5 &&
			    memcmp(kv->key.via.str.ptr, "batch", 5) == 0 &&
			    kv->val.type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
				*tag = kv->val.via.u64;
				tagged = 1;
			}
		}
	msgpack_unpacked_destroy(&u);
	zmq_msg_close(&reply);
	return rc == 0 && tagged ? 0 : -1;
}

/* A batch in flight: its tag and when it was sent. */
struct flight {
	uint64_t tag;
	double t0;
};

/* Take one ack and record its batch's latency from out[0..*n). */
static int
ack_take(struct producer *p, void *sock, struct flight *out, size_t *n)
{
	uint64_t tag;
	size_t i;

	if (ack_recv(sock, &tag) != 0)
		return -1;
	for (i = 0; i < *n && out[i].tag != tag; i++)
		;
	if (i == *n)
		return -1; /* an ack of no batch in flight */
	p->lat[p->nlat++] = now_us() - out[i].t0;
	out[i] = out[--*n];
	return 0;
}

static void *
producer_run(void *arg)
{
	struct producer *p = arg;
	void *sock = zmq_socket(p->zctx, ZMQ_DEALER);
	size_t b, from, n, nb = (p->count + p->batch - 1) / p->batch, nout = 0;
	struct flight *out = calloc(p->inflight, sizeof(*out));
	int linger = 0;

	zmq_setsockopt(sock, ZMQ_LINGER, &linger, sizeof(linger));
	if (out == NULL || zmq_connect(sock, p->endpoint) != 0) {
		p->failed = 1;
		goto done;
	}
	for (b = p->index; b < nb && !p->failed; b += p->producers) {
		from = p->first + b * p->batch;
		n = p->batch;
		if (b * p->batch + n > p->count)
			n = p->count - b * p->batch;
		if (nout == p->inflight && ack_take(p, sock, out, &nout) != 0)
			p->failed = 1;
		else {
			out[nout] = (struct flight){ b, now_us() };
			if (batch_send(sock, p->ev, from, n, b) != 0)
				p->failed = 1;
			else
				nout++;
		}
	}
	while (nout > 0 && !p->failed)
		if (ack_take(p, sock, out, &nout) != 0)
			p->failed = 1;
	if (p->failed)
		fprintf(
		    stderr, "send: producer %zu: a batch failed\n", p->index);
done:
	free(out);
	zmq_close(sock);
	return NULL;
}

static int
send_all(const char *endpoint, const char *file, size_t batch,
    size_t producers, size_t first, size_t count, size_t inflight)
{
	struct events ev;
	struct producer *p;
	double t0, t1, *all;
	size_t i, nall = 0, nb;
	void *zctx;
	int failed = 0;

	if (events_load(file, &ev) != 0)
		return 1;
	if (first >= ev.n)
		count = 0;
	else if (first + count > ev.n)
		count = ev.n - first;
	nb = (count + batch - 1) / batch;
	zctx = zmq_ctx_new();
	p = calloc(producers, sizeof(*p));
	all = calloc(nb + 1, sizeof(*all));
	for (i = 0; i < producers; i++) {
		p[i] = (struct producer){ .zctx = zctx,
			.endpoint = endpoint,
			.ev = &ev,
			.first = first,
			.count = count,
			.batch = batch,
			.producers = producers,
			.index = i,
			.inflight = inflight };
		p[i].lat = calloc(nb / producers + 2, sizeof(double));
	}
	t0 = now_us();
	for (i = 0; i < producers; i++)
		pthread_create(&p[i].th, NULL, producer_run, &p[i]);
	for (i = 0; i < producers; i++) {
		pthread_join(p[i].th, NULL);
		failed |= p[i].failed;
		memcpy(all + nall, p[i].lat, p[i].nlat * sizeof(double));
		nall += p[i].nlat;
		free(p[i].lat);
	}
	t1 = now_us();
	qsort(all, nall, sizeof(*all), cmp_double);
	printf("{\"events\": %zu, \"batch\": %zu, \"producers\": %zu, "
	       "\"inflight\": %zu, \"seconds\": %.3f, \"events_per_s\": %.0f, "
	       "\"ack_p50_us\": %.0f, \"ack_p99_us\": %.0f, \"ok\": %s}\n",
	    count, batch, producers, inflight, (t1 - t0) / 1e6,
	    (double)count / ((t1 - t0) / 1e6), pct(all, nall, 0.50),
	    pct(all, nall, 0.99), failed ? "false" : "true");
	free(all);
	free(p);
	zmq_ctx_term(zctx);
	free(ev.off);
	free(ev.buf);
	return failed;
}

static int
floor_run(const char *dir, const char *file, size_t batch, size_t count)
{
	struct events ev;
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_dbi dbi;
	MDB_val k, v;
	unsigned char key[8];
	double t0, t1, *lat, tb;
	size_t i, j, nb, nlat = 0, len;
	int rc;

	if (events_load(file, &ev) != 0)
		return 1;
	if (count > ev.n)
		count = ev.n;
	nb = (count + batch - 1) / batch;
	lat = calloc(nb + 1, sizeof(*lat));
	mkdir(dir, 0700);
	if ((rc = mdb_env_create(&env)) != 0 ||
	    (rc = mdb_env_set_mapsize(env, (size_t)64 << 30)) != 0 ||
	    (rc = mdb_env_open(env, dir, 0, 0600)) != 0 ||
	    (rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, NULL, 0, &dbi)) != 0 ||
	    (rc = mdb_txn_commit(txn)) != 0) {
		fprintf(stderr, "floor: %s\n", mdb_strerror(rc));
		return 1;
	}
	t0 = now_us();
	for (i = 0; i < count; i += batch) {
		tb = now_us();
		if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0)
			break;
		for (j = i; j < i + batch && j < count; j++) {
			uint64_t seq = j + 1;
			int b;

			for (b = 0; b < 8; b++)
				key[b] = (unsigned char)(seq >> (56 - 8 * b));
			k.mv_data = key;
			k.mv_size = 8;
			v.mv_data = (void *)event_at(&ev, j, &len);
			v.mv_size = len;
			if ((rc = mdb_put(txn, dbi, &k, &v, MDB_APPEND)) != 0)
				break;
		}
		if (rc != 0 || (rc = mdb_txn_commit(txn)) != 0)
			break;
		lat[nlat++] = now_us() - tb;
	}
	t1 = now_us();
	mdb_env_close(env);
	if (rc != 0) {
		fprintf(stderr, "floor: %s\n", mdb_strerror(rc));
		return 1;
	}
	qsort(lat, nlat, sizeof(*lat), cmp_double);
	printf("{\"events\": %zu, \"batch\": %zu, \"seconds\": %.3f, "
	       "\"events_per_s\": %.0f, \"commit_p50_us\": %.0f, "
	       "\"commit_p99_us\": %.0f}\n",
	    count, batch, (t1 - t0) / 1e6, (double)count / ((t1 - t0) / 1e6),
	    pct(lat, nlat, 0.50), pct(lat, nlat, 0.99));
	free(lat);
	free(ev.off);
	free(ev.buf);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "prep") == 0)
		return prep(argv[2], argv[3]);
	if ((argc == 8 || argc == 9) && strcmp(argv[1], "send") == 0 &&
	    (argc == 8 || strtoul(argv[8], NULL, 10) > 0))
		return send_all(argv[2], argv[3], strtoul(argv[4], NULL, 10),
		    strtoul(argv[5], NULL, 10), strtoul(argv[6], NULL, 10),
		    strtoul(argv[7], NULL, 10),
		    argc == 9 ? strtoul(argv[8], NULL, 10) : 1);
	if (argc == 6 && strcmp(argv[1], "floor") == 0)
		return floor_run(argv[2], argv[3], strtoul(argv[4], NULL, 10),
		    strtoul(argv[5], NULL, 10));
	fprintf(stderr,
	    "usage: bench_ingest prep EVENTS.jsonl OUT.bin\n"
	    "       bench_ingest send ENDPOINT OUT.bin BATCH PRODUCERS FIRST "
	    "COUNT [INFLIGHT]\n"
	    "       bench_ingest floor DIR OUT.bin BATCH COUNT\n");
	return 2;
}
