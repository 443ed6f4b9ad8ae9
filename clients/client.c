/*
 * libirokpi: the handle, its settings, and queries (clients/irokpi.h).  The
 * pipelined publisher is in publish.c.
 *
 * Queries carry no id on the wire, so a DEALER that timed out could later
 * read the answer to the old question as the answer to a new one.  Hence the
 * "lazy pirate" rule: after a timeout the query socket is closed (linger 0)
 * and a new one is made for the next query.  The socket is made on the first
 * query, so a handle used only for publishing never opens one.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <msgpack.h>
#include <zmq.h>

#include "clients/client_impl.h"
#include "clients/irokpi.h"
#include "domain/err.h"
#include "proto/json.h"
#include "proto/keyfile.h"
#include "proto/wire.h"

int64_t
client_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
client_seterr(struct irokpi *k, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(k->err, sizeof(k->err), fmt, ap);
	va_end(ap);
	return rc;
}

int
client_zmq_fail(struct irokpi *k, const char *what)
{
	int e = zmq_errno();

	client_seterr(k, 0, "%s: %s", what, zmq_strerror(e));
	switch (e) {
	case ENOMEM:
		return IRK_ENOMEM;
	case EINVAL:
	case EPROTONOSUPPORT:
	case ENOCOMPATPROTO:
		return IRK_EINVAL;
	default:
		return IRK_EIO;
	}
}

int
client_dealer_open(struct irokpi *k, const char *ep, void **out)
{
	void *s;
	int zero = 0;
	int rc;

	if ((s = zmq_socket(k->ctx, ZMQ_DEALER)) == NULL)
		return client_zmq_fail(k, "zmq_socket");
	if (k->curve &&
	    (zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, k->keys.server_public,
		 IROKPI_KEY_Z85 - 1) != 0 ||
		zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, k->keys.public_key,
		    IROKPI_KEY_Z85 - 1) != 0 ||
		zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, k->keys.secret_key,
		    IROKPI_KEY_Z85 - 1) != 0)) {
		rc = client_zmq_fail(k, "CURVE keys");
		zmq_close(s);
		return rc;
	}
	if (zmq_setsockopt(s, ZMQ_LINGER, &zero, sizeof(zero)) != 0 ||
	    zmq_connect(s, ep) != 0) {
		rc = client_zmq_fail(k, ep);
		zmq_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

_Static_assert(IROKPI_KEY_Z85 == KEYFILE_Z85, "one key file format");

int
irokpi_curve_load(const char *server_pub_file, const char *client_key_file,
    struct irokpi_curve *out)
{
	struct irokpi_curve c;
	int rc;

	memset(&c, 0, sizeof(c));
	if ((rc = keyfile_read(server_pub_file, c.server_public)) != 0 ||
	    (rc = keyfile_read(client_key_file, c.secret_key)) != 0)
		return rc;
	if (zmq_curve_public(c.public_key, c.secret_key) != 0)
		return IRK_EINVAL;
	*out = c;
	return 0;
}

int
irokpi_open(const char *ingest_ep, const char *query_ep, struct irokpi **out)
{
	return irokpi_open_curve(ingest_ep, query_ep, NULL, out);
}

int
irokpi_open_curve(const char *ingest_ep, const char *query_ep,
    const struct irokpi_curve *curve, struct irokpi **out)
{
	struct irokpi *k = NULL;
	int rc;

	if (ingest_ep == NULL && query_ep == NULL)
		return IRK_EINVAL;
	if ((query_ep != NULL && strlen(query_ep) >= EP_MAX) ||
	    (ingest_ep != NULL && strlen(ingest_ep) >= EP_MAX))
		return IRK_EINVAL;
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return IRK_ENOMEM;
	k->query_timeout = DEF_QUERY_TIMEOUT;
	k->resend = DEF_RESEND;
	k->give_up = DEF_GIVE_UP;
	k->batch_max = DEF_BATCH;
	k->next_batch = 1;
	if (curve != NULL) {
		k->curve = true;
		k->keys = *curve;
	}
	if ((rc = publish_ring_alloc(k, DEF_INFLIGHT)) != 0)
		goto fail;
	if ((k->ctx = zmq_ctx_new()) == NULL) {
		rc = IRK_EIO;
		goto fail;
	}
	if (query_ep != NULL)
		snprintf(k->query_ep, sizeof(k->query_ep), "%s", query_ep);
	if (ingest_ep != NULL && (rc = publish_open(k, ingest_ep)) != 0)
		goto fail;
	*out = k;
	return 0;

fail:
	irokpi_close(&k);
	return rc;
}

void
irokpi_close(struct irokpi **kp)
{
	struct irokpi *k;

	if (kp == NULL || (k = *kp) == NULL)
		return;
	publish_close(k);
	if (k->query != NULL)
		zmq_close(k->query);
	if (k->ctx != NULL)
		zmq_ctx_term(k->ctx);
	free(k);
	*kp = NULL;
}

int
irokpi_set(struct irokpi *k, enum irokpi_option opt, long value)
{
	switch (opt) {
	case IROKPI_OPT_QUERY_TIMEOUT:
	case IROKPI_OPT_RESEND:
	case IROKPI_OPT_GIVE_UP:
		if (value < 1 || value > MAX_MS)
			return IRK_ERANGE;
		if (opt == IROKPI_OPT_QUERY_TIMEOUT)
			k->query_timeout = value;
		else if (opt == IROKPI_OPT_RESEND)
			k->resend = value;
		else
			k->give_up = value;
		return 0;
	case IROKPI_OPT_BATCH:
		if (value < 1 || value > WIRE_BATCH_MAX)
			return IRK_ERANGE;
		if (k->nused > 0)
			return IRK_EINVAL;
		k->batch_max = (size_t)value;
		return 0;
	case IROKPI_OPT_INFLIGHT:
		if (value < 1 || value > MAX_INFLIGHT)
			return IRK_ERANGE;
		if (k->nused > 0)
			return IRK_EINVAL;
		return publish_ring_alloc(k, (size_t)value);
	}
	return IRK_EINVAL;
}

const char *
irokpi_errmsg(const struct irokpi *k)
{
	return k->err;
}

void
irokpi_counts(const struct irokpi *k, struct irokpi_counts *out)
{
	*out = k->counts;
}

/* ---- Queries ---- */

static void
query_reset(struct irokpi *k)
{
	if (k->query != NULL) {
		zmq_close(k->query);
		k->query = NULL;
	}
}

int
irokpi_query(struct irokpi *k, const void *req, size_t req_len, char **reply,
    size_t *reply_len)
{
	zmq_pollitem_t item;
	zmq_msg_t m;
	msgpack_unpacked u;
	int64_t deadline, now;
	size_t off = 0, n = 0;
	char *copy = NULL;
	int more, rc, got = 0;

	if (k->query_ep[0] == '\0')
		return client_seterr(k, IRK_EINVAL, "no query endpoint");
	if (k->query == NULL &&
	    (rc = client_dealer_open(k, k->query_ep, &k->query)) != 0)
		return rc;
	/* The empty delimiter makes the daemon answer as to a REQ. */
	if (zmq_send(k->query, "", 0, ZMQ_SNDMORE) < 0 ||
	    zmq_send(k->query, req, req_len, 0) < 0) {
		rc = client_zmq_fail(k, "zmq_send");
		query_reset(k);
		return rc;
	}
	deadline = client_now_ms() + k->query_timeout;
	for (;;) {
		item.socket = k->query;
		item.fd = 0;
		item.events = ZMQ_POLLIN;
		item.revents = 0;
		now = client_now_ms();
		if (now >= deadline)
			break;
		if (zmq_poll(&item, 1, (long)(deadline - now)) < 0 &&
		    zmq_errno() != EINTR) {
			rc = client_zmq_fail(k, "zmq_poll");
			query_reset(k);
			return rc;
		}
		if (item.revents & ZMQ_POLLIN) {
			got = 1;
			break;
		}
	}
	if (!got) {
		query_reset(k);
		return client_seterr(k, IRK_ETIMEDOUT,
		    "no answer from %s within %ld ms", k->query_ep,
		    k->query_timeout);
	}
	/* [empty delimiter] body; keep the last frame as the body. */
	rc = 0;
	do {
		zmq_msg_init(&m);
		if (zmq_msg_recv(&m, k->query, 0) < 0) {
			zmq_msg_close(&m);
			free(copy);
			rc = client_zmq_fail(k, "zmq_msg_recv");
			query_reset(k);
			return rc;
		}
		more = zmq_msg_more(&m);
		if (zmq_msg_size(&m) > 0) {
			free(copy);
			n = zmq_msg_size(&m);
			if ((copy = malloc(n)) == NULL)
				rc = IRK_ENOMEM;
			else
				memcpy(copy, zmq_msg_data(&m), n);
		}
		zmq_msg_close(&m);
	} while (more);
	if (rc != 0 || copy == NULL) {
		free(copy);
		return rc != 0 ? rc
			       : client_seterr(k, IRK_EPROTO, "empty reply");
	}
	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, copy, n, &off) != MSGPACK_UNPACK_SUCCESS ||
	    u.data.type != MSGPACK_OBJECT_MAP || off != n) {
		msgpack_unpacked_destroy(&u);
		free(copy);
		return client_seterr(
		    k, IRK_EPROTO, "reply is not one msgpack map");
	}
	msgpack_unpacked_destroy(&u);
	*reply = copy;
	*reply_len = n;
	return 0;
}

/* jansson -> msgpack, for a query built as a json_t. */
static int
pack_json(msgpack_packer *pk, const json_t *j, int depth)
{
	const char *key, *s;
	json_t *val;
	size_t i, n;

	if (depth > 32)
		return IRK_EINVAL;
	switch (json_typeof(j)) {
	case JSON_OBJECT:
		msgpack_pack_map(pk, json_object_size(j));
		/* json_object_foreach wants a non-const object. */
		json_object_foreach((json_t *)j, key, val)
		{
			msgpack_pack_str_with_body(pk, key, strlen(key));
			if (pack_json(pk, val, depth + 1) != 0)
				return IRK_EINVAL;
		}
		return 0;
	case JSON_ARRAY:
		n = json_array_size(j);
		msgpack_pack_array(pk, n);
		for (i = 0; i < n; i++)
			if (pack_json(pk, json_array_get(j, i), depth + 1) !=
			    0)
				return IRK_EINVAL;
		return 0;
	case JSON_STRING:
		s = json_string_value(j);
		msgpack_pack_str_with_body(pk, s, json_string_length(j));
		return 0;
	case JSON_INTEGER:
		msgpack_pack_int64(pk, json_integer_value(j));
		return 0;
	case JSON_REAL:
		msgpack_pack_double(pk, json_real_value(j));
		return 0;
	case JSON_TRUE:
		msgpack_pack_true(pk);
		return 0;
	case JSON_FALSE:
		msgpack_pack_false(pk);
		return 0;
	case JSON_NULL:
		msgpack_pack_nil(pk);
		return 0;
	}
	return IRK_EINVAL;
}

int
irokpi_query_json(struct irokpi *k, const json_t *req, json_t **reply)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	json_t *j = NULL;
	char *buf = NULL;
	size_t len = 0;
	int rc;

	if (req == NULL || !json_is_object(req))
		return client_seterr(
		    k, IRK_EINVAL, "a query must be an object");
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	if ((rc = pack_json(&pk, req, 0)) != 0) {
		client_seterr(k, rc, "query nests too deep");
		goto out;
	}
	if (sb.data == NULL) {
		rc = IRK_ENOMEM;
		goto out;
	}
	if ((rc = irokpi_query(k, sb.data, sb.size, &buf, &len)) != 0)
		goto out;
	if ((rc = json_from_msgpack(buf, len, &j)) != 0) {
		client_seterr(k, rc, "reply cannot be read as JSON: %s",
		    irk_strerror(rc));
		goto out;
	}
	if (!json_is_object(j)) {
		json_decref(j);
		rc = client_seterr(k, IRK_EPROTO, "reply is not a map");
		goto out;
	}
	*reply = j;
out:
	free(buf);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}
