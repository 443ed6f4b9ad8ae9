/*
 * The JSON mapping.  JSON is parsed by jansson and walked into msgpack-c's
 * packer; msgpack goes through codec_check() (untrusted bytes: bounded walk
 * first) and msgpack_unpack_next() into jansson values.  Both directions
 * recurse, with the depth capped at JSON_DEPTH_MAX, so the C stack stays
 * small whatever a line holds.
 *
 * jansson's error messages quote the text near the fault ("invalid token
 * near 'C1234'"), which may be a child id; the quote is cut off, and the
 * column says where to look instead.
 */
#include <limits.h>
#include <string.h>

#include "domain/err.h"
#include "proto/codec.h"
#include "proto/json.h"
#include "proto/validate.h"

#define JSON_ERR_NOMEM (-1)
#define JSON_ERR_DEEP  (-2)

static int
pack_json(msgpack_packer *pk, const json_t *j, int depth)
{
	const char *key;
	size_t klen, i;
	json_t *v;
	int rc;

	switch (json_typeof(j)) {
	case JSON_OBJECT:
		if (depth > JSON_DEPTH_MAX)
			return JSON_ERR_DEEP;
		if (msgpack_pack_map(pk, json_object_size(j)) != 0)
			return JSON_ERR_NOMEM;
		/* jansson 2.14 keeps insertion order. */
		json_object_keylen_foreach((json_t *)j, key, klen, v)
		{
			if (msgpack_pack_str_with_body(pk, key, klen) != 0)
				return JSON_ERR_NOMEM;
			if ((rc = pack_json(pk, v, depth + 1)) != 0)
				return rc;
		}
		return 0;
	case JSON_ARRAY:
		if (depth > JSON_DEPTH_MAX)
			return JSON_ERR_DEEP;
		if (msgpack_pack_array(pk, json_array_size(j)) != 0)
			return JSON_ERR_NOMEM;
		json_array_foreach(j, i, v)
		{
			if ((rc = pack_json(pk, v, depth + 1)) != 0)
				return rc;
		}
		return 0;
	case JSON_STRING:
		rc = msgpack_pack_str_with_body(
		    pk, json_string_value(j), json_string_length(j));
		break;
	case JSON_INTEGER:
		rc = msgpack_pack_int64(pk, json_integer_value(j));
		break;
	case JSON_REAL:
		rc = msgpack_pack_double(pk, json_real_value(j));
		break;
	case JSON_TRUE:
		rc = msgpack_pack_true(pk);
		break;
	case JSON_FALSE:
		rc = msgpack_pack_false(pk);
		break;
	case JSON_NULL:
	default:
		rc = msgpack_pack_nil(pk);
		break;
	}
	return rc != 0 ? JSON_ERR_NOMEM : 0;
}

/* jansson's message without the " near '...'" that quotes the input. */
static void
json_message(const json_error_t *err, char *buf, size_t size)
{
	const char *cut;
	size_t n;

	cut = strstr(err->text, " near '");
	n = cut != NULL ? (size_t)(cut - err->text) : strlen(err->text);
	if (n >= size)
		n = size - 1;
	memcpy(buf, err->text, n);
	buf[n] = '\0';
}

int
json_to_msgpack(
    const char *text, size_t len, msgpack_sbuffer *out, struct irk_diag *diag)
{
	json_error_t err;
	msgpack_packer pk;
	json_t *root = NULL;
	size_t start = out->size;
	char msg[JSON_ERROR_TEXT_LENGTH];
	int rc;

	root = json_loadb(text, len,
	    JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_REJECT_DUPLICATES, &err);
	if (root == NULL) {
		json_message(&err, msg, sizeof(msg));
		if (err.column > 0)
			return diag_set(diag, "(event)",
			    "not valid JSON: %s (column %d)", msg, err.column);
		return diag_set(diag, "(event)",
		    "not valid JSON: %s (byte %d)", msg, err.position);
	}
	if (!json_is_object(root)) {
		json_decref(root);
		return diag_set(diag, "(event)", "not a JSON object");
	}
	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	rc = pack_json(&pk, root, 1);
	json_decref(root);
	if (rc == 0)
		return 0;
	out->size = start;
	if (rc == JSON_ERR_DEEP)
		return diag_set(diag, "(event)",
		    "nested deeper than %d levels", JSON_DEPTH_MAX);
	diag_set(diag, "(event)", "out of memory");
	return IRK_ENOMEM;
}

static json_t *
from_object(const msgpack_object *o, int depth)
{
	const msgpack_object_kv *kv;
	json_t *j, *v;
	uint32_t i;

	switch (o->type) {
	case MSGPACK_OBJECT_NIL:
		return json_null();
	case MSGPACK_OBJECT_BOOLEAN:
		return json_boolean(o->via.boolean);
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		if (o->via.u64 > (uint64_t)LLONG_MAX)
			return NULL;
		return json_integer((json_int_t)o->via.u64);
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		return json_integer((json_int_t)o->via.i64);
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		return json_real(o->via.f64); /* NULL for NaN, infinity */
	case MSGPACK_OBJECT_STR:
		return json_stringn(o->via.str.ptr, o->via.str.size);
	case MSGPACK_OBJECT_ARRAY:
		if (depth > JSON_DEPTH_MAX || (j = json_array()) == NULL)
			return NULL;
		for (i = 0; i < o->via.array.size; i++) {
			v = from_object(&o->via.array.ptr[i], depth + 1);
			/* _new steals v; on failure it is released. */
			if (v == NULL || json_array_append_new(j, v) != 0) {
				json_decref(j);
				return NULL;
			}
		}
		return j;
	case MSGPACK_OBJECT_MAP:
		if (depth > JSON_DEPTH_MAX || (j = json_object()) == NULL)
			return NULL;
		for (i = 0; i < o->via.map.size; i++) {
			kv = &o->via.map.ptr[i];
			if (kv->key.type != MSGPACK_OBJECT_STR) {
				json_decref(j);
				return NULL;
			}
			v = from_object(&kv->val, depth + 1);
			if (v == NULL ||
			    json_object_setn_new(j, kv->key.via.str.ptr,
				kv->key.via.str.size, v) != 0) {
				json_decref(j);
				return NULL;
			}
		}
		return j;
	default:
		return NULL; /* bin, ext */
	}
}

json_t *
json_from_msgpack_object(const msgpack_object *o)
{
	if (o == NULL)
		return NULL;
	return from_object(o, 1);
}

int
json_from_msgpack(const char *buf, size_t len, json_t **out)
{
	msgpack_unpacked u;
	msgpack_unpack_return r;
	size_t off = 0;
	json_t *j;

	/* Bounds msgpack-c: every count within the bytes, depth capped. */
	if (codec_check(buf, len, JSON_DEPTH_MAX, NULL) != 0)
		return IRK_EPROTO;
	msgpack_unpacked_init(&u);
	r = msgpack_unpack_next(&u, buf, len, &off);
	if (r != MSGPACK_UNPACK_SUCCESS || off != len) {
		msgpack_unpacked_destroy(&u);
		return r == MSGPACK_UNPACK_NOMEM_ERROR ? IRK_ENOMEM
						       : IRK_EPROTO;
	}
	j = json_from_msgpack_object(&u.data);
	msgpack_unpacked_destroy(&u);
	if (j == NULL)
		return IRK_EINVAL;
	*out = j;
	return 0;
}

/*
 * The lenient scan behind json_peek_id(): enough of JSON's lexical rules
 * to step over values, none of its grammar.  Each returns the index after
 * what it consumed, or len when the text ends first.
 */
static size_t
skip_ws(const char *s, size_t len, size_t i)
{
	while (i < len &&
	       (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
		i++;
	return i;
}

/* s[i] is the opening quote; returns the index after the closing one. */
static size_t
skip_string(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			return i + 1;
	}
	return len;
}

/* A value of any kind: up to the ',' or '}' that ends it at its level. */
static size_t
skip_value(const char *s, size_t len, size_t i)
{
	int nest = 0;

	while (i < len) {
		switch (s[i]) {
		case '"':
			i = skip_string(s, len, i);
			continue;
		case '{':
		case '[':
			nest++;
			break;
		case '}':
		case ']':
			if (nest == 0)
				return i;
			nest--;
			break;
		case ',':
			if (nest == 0)
				return i;
			break;
		default:
			break;
		}
		i++;
	}
	return len;
}

int
json_peek_id(const char *text, size_t len, char *buf, size_t size)
{
	size_t i, k, n;
	json_t *j;
	int rc = IRK_ENOTFOUND;

	i = skip_ws(text, len, 0);
	if (i >= len || text[i] != '{')
		return IRK_ENOTFOUND;
	i++;
	for (;;) {
		i = skip_ws(text, len, i);
		if (i >= len || text[i] != '"')
			return IRK_ENOTFOUND;
		k = i;
		i = skip_string(text, len, i);
		if (i >= len)
			return IRK_ENOTFOUND;
		n = i - k;
		i = skip_ws(text, len, i);
		if (i >= len || text[i] != ':')
			return IRK_ENOTFOUND;
		i = skip_ws(text, len, i + 1);
		if (n == 4 && memcmp(text + k, "\"id\"", 4) == 0)
			break;
		i = skip_value(text, len, i);
		if (i >= len || text[i] != ',')
			return IRK_ENOTFOUND;
		i++;
	}
	/* The value: let jansson undo the escapes of the one string. */
	if (i >= len || text[i] != '"')
		return IRK_ENOTFOUND;
	k = i;
	i = skip_string(text, len, i);
	j = json_loadb(text + k, i - k, JSON_DECODE_ANY, NULL);
	if (j != NULL && json_is_string(j)) {
		n = json_string_length(j);
		if (validate_id(json_string_value(j), n) && n < size) {
			memcpy(buf, json_string_value(j), n);
			buf[n] = '\0';
			rc = 0;
		}
	}
	json_decref(j);
	return rc;
}

int
json_decode_event(
    const char *text, size_t len, struct event *ev, struct irk_diag *diag)
{
	msgpack_sbuffer sb;
	char id[IRK_ID_MAX + 1];
	int rc;

	msgpack_sbuffer_init(&sb);
	if ((rc = json_to_msgpack(text, len, &sb, diag)) != 0) {
		event_reset(ev);
		if (json_peek_id(text, len, id, sizeof(id)) == 0)
			ev->id = event_arena_str(ev, id, strlen(id));
		goto leave;
	}
	rc = codec_decode_event(sb.data, sb.size, ev, diag);

leave:
	msgpack_sbuffer_destroy(&sb);
	return rc;
}
