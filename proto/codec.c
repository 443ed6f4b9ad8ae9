/*
 * The msgpack codec.  Decoding is two passes over the bytes, neither of
 * which allocates: codec_check() walks the structure with every length
 * checked against the bytes that are left and an explicit stack of open
 * containers (so depth costs no C stack and is capped), and then the
 * unchecked reader codec_read() collects the top-level pairs for the
 * validator.  The walk is what makes the second pass safe, so nothing here
 * reads bytes that codec_check() has not passed.
 *
 * Why not msgpack_unpack_next(): it builds an object tree in a zone (a
 * malloc per event at best), trusts the counts it reads and cannot bound
 * nesting.  Our own reader is a page of code we had to write for the check
 * anyway, and it is what lets the daemon decode several hundred thousand
 * events a second on one core.  Encoding uses msgpack-c's packer.
 */
#include <inttypes.h>
#include <string.h>

#include "domain/date.h"
#include "domain/err.h"
#include "proto/codec.h"
#include "proto/validate.h"

#define HEAD_SHORT (-1) /* the value runs past the end of the bytes */
#define HEAD_BAD   (-2) /* 0xc1, the one byte msgpack never uses */

static uint64_t
be(const unsigned char *p, size_t n)
{
	uint64_t x = 0;

	while (n-- > 0)
		x = x << 8 | *p++;
	return x;
}

static void
set_uint(struct codec_val *v, uint64_t u)
{
	if (u > INT64_MAX) {
		v->kind = CK_UINT;
		v->u = u;
	} else {
		v->kind = CK_INT;
		v->i = (int64_t)u;
	}
}

/*
 * Decode the head of the value at p, of which avail bytes may be read.
 * Fills *v; for a container v->n is its item (array) or pair (map) count
 * and v->p the byte after its header.  *size is the value's length, not
 * counting a container's contents.  Returns 0, HEAD_SHORT or HEAD_BAD.
 */
static int
head(const unsigned char *p, size_t avail, struct codec_val *v, size_t *size)
{
	unsigned b;
	size_t hl, lenb;
	uint64_t x;
	union {
		uint32_t u;
		float f;
	} f32;
	union {
		uint64_t u;
		double f;
	} f64;

	if (avail < 1)
		return HEAD_SHORT;
	b = p[0];
	if (b <= 0x7f) {
		v->kind = CK_INT;
		v->i = b;
		*size = 1;
		return 0;
	}
	if (b >= 0xe0) {
		v->kind = CK_INT;
		v->i = (int64_t)b - 0x100;
		*size = 1;
		return 0;
	}
	if (b <= 0x8f) {
		v->kind = CK_MAP;
		v->n = b & 0x0f;
		hl = 1;
		goto container;
	}
	if (b <= 0x9f) {
		v->kind = CK_ARRAY;
		v->n = b & 0x0f;
		hl = 1;
		goto container;
	}
	if (b <= 0xbf) {
		v->kind = CK_STR;
		v->n = b & 0x1f;
		hl = 1;
		goto bytes;
	}

	switch (b) {
	case 0xc0:
		v->kind = CK_NIL;
		*size = 1;
		return 0;
	case 0xc2:
	case 0xc3:
		v->kind = CK_BOOL;
		v->b = b == 0xc3;
		*size = 1;
		return 0;
	case 0xc4:
	case 0xc5:
	case 0xc6:
	case 0xd9:
	case 0xda:
	case 0xdb:
		v->kind = b <= 0xc6 ? CK_BIN : CK_STR;
		lenb = (size_t)1 << (b <= 0xc6 ? b - 0xc4 : b - 0xd9);
		hl = 1 + lenb;
		if (avail < hl)
			return HEAD_SHORT;
		v->n = (uint32_t)be(p + 1, lenb);
		goto bytes;
	case 0xc7:
	case 0xc8:
	case 0xc9:
		/* ext 8/16/32: length, then the type byte. */
		v->kind = CK_EXT;
		lenb = (size_t)1 << (b - 0xc7);
		hl = 2 + lenb;
		if (avail < hl)
			return HEAD_SHORT;
		v->n = (uint32_t)be(p + 1, lenb);
		goto bytes;
	case 0xd4:
	case 0xd5:
	case 0xd6:
	case 0xd7:
	case 0xd8:
		v->kind = CK_EXT;
		v->n = 1u << (b - 0xd4);
		hl = 2;
		goto bytes;
	case 0xca:
		if (avail < 5)
			return HEAD_SHORT;
		f32.u = (uint32_t)be(p + 1, 4);
		v->kind = CK_FLOAT;
		v->f = f32.f;
		*size = 5;
		return 0;
	case 0xcb:
		if (avail < 9)
			return HEAD_SHORT;
		f64.u = be(p + 1, 8);
		v->kind = CK_FLOAT;
		v->f = f64.f;
		*size = 9;
		return 0;
	case 0xcc:
	case 0xcd:
	case 0xce:
	case 0xcf:
		lenb = (size_t)1 << (b - 0xcc);
		if (avail < 1 + lenb)
			return HEAD_SHORT;
		set_uint(v, be(p + 1, lenb));
		*size = 1 + lenb;
		return 0;
	case 0xd0:
	case 0xd1:
	case 0xd2:
	case 0xd3:
		lenb = (size_t)1 << (b - 0xd0);
		if (avail < 1 + lenb)
			return HEAD_SHORT;
		x = be(p + 1, lenb);
		v->kind = CK_INT;
		/* Sign-extend from lenb bytes. */
		if (lenb < 8 && (x >> (lenb * 8 - 1)) != 0)
			x |= ~(uint64_t)0 << (lenb * 8);
		memcpy(&v->i, &x, sizeof(v->i));
		*size = 1 + lenb;
		return 0;
	case 0xdc:
	case 0xdd:
		v->kind = CK_ARRAY;
		lenb = b == 0xdc ? 2 : 4;
		hl = 1 + lenb;
		if (avail < hl)
			return HEAD_SHORT;
		v->n = (uint32_t)be(p + 1, lenb);
		goto container;
	case 0xde:
	case 0xdf:
		v->kind = CK_MAP;
		lenb = b == 0xde ? 2 : 4;
		hl = 1 + lenb;
		if (avail < hl)
			return HEAD_SHORT;
		v->n = (uint32_t)be(p + 1, lenb);
		goto container;
	default:
		return HEAD_BAD;
	}

bytes:
	if (avail < hl || avail - hl < v->n)
		return HEAD_SHORT;
	v->p = (const char *)p + hl;
	*size = hl + v->n;
	return 0;

container:
	v->p = (const char *)p + hl;
	*size = hl;
	return 0;
}

const char *
codec_kind_name(enum codec_kind k)
{
	switch (k) {
	case CK_NIL:
		return "null";
	case CK_BOOL:
		return "boolean";
	case CK_INT:
	case CK_UINT:
		return "integer";
	case CK_FLOAT:
		return "float";
	case CK_STR:
		return "string";
	case CK_BIN:
		return "binary";
	case CK_ARRAY:
		return "array";
	case CK_MAP:
		return "map";
	case CK_EXT:
		return "ext";
	}
	return "unknown";
}

/* An open container on codec_check()'s stack. */
struct frame {
	uint64_t left; /* values still to come; a map counts keys and values */
	bool map;
};

int
codec_check(const char *buf, size_t len, int max_depth, struct irk_diag *diag)
{
	const unsigned char *p = (const unsigned char *)buf, *start = p, *end;
	struct frame st[CODEC_DEPTH_MAX];
	struct codec_val v;
	uint64_t need;
	size_t size;
	int depth = 0, rc;
	bool key;

	if (buf == NULL || len == 0) {
		diag_set(diag, "(event)", "not valid msgpack (empty)");
		return IRK_EPROTO;
	}
	end = p + len;
	if (max_depth < 0 || max_depth > CODEC_DEPTH_MAX)
		max_depth = CODEC_DEPTH_MAX;
	for (;;) {
		/* A map's items alternate key, value: left is even at a key.
		 */
		key = depth > 0 && st[depth - 1].map &&
		      st[depth - 1].left % 2 == 0;
		rc = head(p, (size_t)(end - p), &v, &size);
		if (rc == HEAD_SHORT) {
			diag_set(diag, "(event)",
			    "not valid msgpack (truncated at byte %zu)",
			    (size_t)(p - start));
			return IRK_EPROTO;
		}
		if (rc == HEAD_BAD) {
			diag_set(diag, "(event)",
			    "not valid msgpack (byte 0xc1 at %zu)",
			    (size_t)(p - start));
			return IRK_EPROTO;
		}
		if (v.kind == CK_EXT) {
			diag_set(diag, "(event)",
			    "msgpack ext types are not accepted (byte %zu)",
			    (size_t)(p - start));
			return IRK_EPROTO;
		}
		if (key && v.kind != CK_STR) {
			diag_set(diag, "(event)",
			    "map key at byte %zu is not a string (%s)",
			    (size_t)(p - start), codec_kind_name(v.kind));
			return IRK_EPROTO;
		}
		p += size;
		if (v.kind == CK_ARRAY || v.kind == CK_MAP) {
			if (depth >= max_depth) {
				diag_set(diag, "(event)",
				    "nested deeper than %d levels", max_depth);
				return IRK_EPROTO;
			}
			/* Every item takes a byte at least. */
			need = v.kind == CK_MAP ? 2 * (uint64_t)v.n : v.n;
			if (need > (uint64_t)(end - p)) {
				diag_set(diag, "(event)",
				    "not valid msgpack (%s of %" PRIu32
				    " %s in %zu bytes)",
				    codec_kind_name(v.kind), v.n,
				    v.kind == CK_MAP ? "pairs" : "items",
				    (size_t)(end - p));
				return IRK_EPROTO;
			}
			if (need > 0) {
				st[depth].left = need;
				st[depth].map = v.kind == CK_MAP;
				depth++;
				continue;
			}
		}
		/* A value is complete: count it off, closing full containers.
		 */
		for (;;) {
			if (depth == 0)
				goto done;
			if (--st[depth - 1].left > 0)
				break;
			depth--;
		}
	}

done:
	if (p != end) {
		diag_set(diag, "(event)",
		    "not valid msgpack (%zu bytes after the object)",
		    (size_t)(end - p));
		return IRK_EPROTO;
	}
	return 0;
}

const char *
codec_read(const char *p, struct codec_val *v)
{
	const unsigned char *q = (const unsigned char *)p;
	struct codec_val t;
	uint64_t left;
	size_t size;

	(void)head(q, SIZE_MAX, v, &size);
	q += size;
	if (v->kind != CK_ARRAY && v->kind != CK_MAP)
		return (const char *)q;
	/* Skip the contents without recursion: count values still owed. */
	left = v->kind == CK_MAP ? 2 * (uint64_t)v->n : v->n;
	while (left > 0) {
		(void)head(q, SIZE_MAX, &t, &size);
		q += size;
		left--;
		if (t.kind == CK_ARRAY)
			left += t.n;
		else if (t.kind == CK_MAP)
			left += 2 * (uint64_t)t.n;
	}
	return (const char *)q;
}

int
codec_map_str(const char *buf, size_t len, const char *key, const char **val,
    size_t *vlen)
{
	struct codec_val top, k, v;
	const char *p;
	size_t klen = strlen(key), size;
	uint32_t i;

	if (head((const unsigned char *)buf, len, &top, &size) != 0 ||
	    top.kind != CK_MAP)
		return IRK_ENOTFOUND;
	for (i = 0, p = top.p; i < top.n; i++) {
		p = codec_read(p, &k);
		p = codec_read(p, &v);
		if (k.kind != CK_STR || k.n != klen ||
		    memcmp(k.p, key, klen) != 0)
			continue;
		if (v.kind != CK_STR)
			return IRK_EINVAL;
		*val = v.p;
		*vlen = v.n;
		return 0;
	}
	return IRK_ENOTFOUND;
}

/* For a rejection that stops before validation: name the event if we can. */
static void
peek_id(const char *buf, size_t len, struct event *ev)
{
	const char *s;
	size_t n;

	if (codec_map_str(buf, len, "id", &s, &n) == 0 && validate_id(s, n))
		ev->id = event_arena_str(ev, s, n);
}

/*
 * codec_read(), with the values an event is mostly made of (short strings,
 * small integers, true and false) read here: a stored event is about a
 * dozen of them, and the call was a third of decoding one.
 */
static inline const char *
read_value(const char *p, struct codec_val *v)
{
	unsigned char b = (unsigned char)*p;

	if (b >= 0xa0 && b <= 0xbf) {
		v->kind = CK_STR;
		v->n = b & 0x1f;
		v->p = p + 1;
		return p + 1 + v->n;
	}
	if (b <= 0x7f || b == 0xc2 || b == 0xc3) {
		v->kind = b <= 0x7f ? CK_INT : CK_BOOL;
		if (b <= 0x7f)
			v->i = b;
		else
			v->b = b == 0xc3;
		return p + 1;
	}
	return codec_read(p, v);
}

/*
 * The pairs of the top-level map of buf, which passed codec_check(), into
 * pairs[0..*n): 0, or IRK_EINVAL with diag set when buf is not a map or
 * has too many pairs for an event.
 */
static int
read_pairs(const char *buf, size_t len, struct validate_pair *pairs,
    uint32_t *n, struct irk_diag *diag)
{
	struct codec_val top, k;
	const char *p;
	size_t size;
	uint32_t i;

	if (head((const unsigned char *)buf, len, &top, &size) != 0 ||
	    top.kind != CK_MAP)
		return diag_set(diag, "(event)", "not a map");
	if (top.n > VALIDATE_PAIRS_MAX)
		return diag_set(diag, "(event)",
		    "more than %d fields (%" PRIu32 ")", VALIDATE_PAIRS_MAX,
		    top.n);
	for (i = 0, p = top.p; i < top.n; i++) {
		p = read_value(p, &k);
		pairs[i].key = k.p;
		pairs[i].klen = k.n;
		p = read_value(p, &pairs[i].val);
	}
	*n = top.n;
	return 0;
}

/* The rest of codec_decode_event(), for bytes that passed codec_check(). */
static int
decode_checked(
    const char *buf, size_t len, struct event *ev, struct irk_diag *diag)
{
	struct validate_pair pairs[VALIDATE_PAIRS_MAX];
	uint32_t n;
	int rc;

	if ((rc = read_pairs(buf, len, pairs, &n, diag)) != 0) {
		peek_id(buf, len, ev);
		return rc;
	}
	return validate_event(pairs, n, ev, diag);
}

int
codec_decode_event(
    const char *buf, size_t len, struct event *ev, struct irk_diag *diag)
{
	int rc;

	event_reset(ev);
	if (len > IRK_EVENT_MAX) {
		if (codec_check(buf, len, IRK_EVENT_DEPTH, NULL) == 0)
			peek_id(buf, len, ev);
		return diag_set(diag, "(event)",
		    "over the size limit of %d bytes", IRK_EVENT_MAX);
	}
	if ((rc = codec_check(buf, len, IRK_EVENT_DEPTH, diag)) != 0)
		return rc;
	return decode_checked(buf, len, ev, diag);
}

int
codec_decode_stored(const char *buf, size_t len, struct event *ev)
{
	struct validate_pair pairs[VALIDATE_PAIRS_MAX];
	uint32_t n;

	event_reuse(ev);
	if (read_pairs(buf, len, pairs, &n, NULL) != 0)
		return IRK_EINVAL;
	return validate_stored(pairs, n, ev);
}

/* Encoding. */

static int
pack_str(msgpack_packer *pk, const char *s)
{
	return msgpack_pack_str_with_body(pk, s, strlen(s));
}

static int
pack_time(msgpack_packer *pk, const struct irk_time *t)
{
	char buf[EVENT_TIME_STRLEN];
	size_t n;

	n = event_time_format(t, buf);
	return msgpack_pack_str_with_body(pk, buf, n);
}

static int
pack_value(msgpack_packer *pk, enum evt_field f, const struct event_value *v)
{
	char buf[DATE_STRLEN];
	const char *name;
	size_t i;
	int rc;

	switch (event_field_kind(f)) {
	case FK_STR:
		if (v->str == NULL)
			return IRK_EINVAL;
		return pack_str(pk, v->str);
	case FK_BOOL:
		return v->num ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
	case FK_INT:
		return msgpack_pack_int64(pk, v->num);
	case FK_ENUM:
		if ((name = event_enum_name(f, v->num)) == NULL)
			return IRK_EINVAL;
		return pack_str(pk, name);
	case FK_TIME_OR_NULL:
		if (v->null)
			return msgpack_pack_nil(pk);
		return pack_time(pk, &v->time);
	case FK_TIME:
		return pack_time(pk, &v->time);
	case FK_DOB:
		date_format(v->time.day, buf);
		return msgpack_pack_str_with_body(
		    pk, buf, v->num == EVENT_DOB_MONTH ? 7 : 10);
	case FK_STRS:
		if ((rc = msgpack_pack_array(pk, v->nstrs)) != 0)
			return rc;
		for (i = 0; i < v->nstrs; i++) {
			if (v->strs[i] == NULL)
				return IRK_EINVAL;
			if ((rc = pack_str(pk, v->strs[i])) != 0)
				return rc;
		}
		return 0;
	}
	return IRK_EINVAL;
}

int
codec_encode_event(const struct event *ev, msgpack_sbuffer *out)
{
	const struct type_field *tf;
	msgpack_packer pk;
	size_t start = out->size, n, nf, k;
	int rc = 0;

	if (ev->id == NULL || (unsigned)ev->type >= EVT__COUNT)
		return IRK_EINVAL;
	tf = event_type_fields(ev->type, &nf);
	n = 3 + (ev->child != NULL) + (ev->source != NULL) + (ev->v != 1);
	for (k = 0; k < nf; k++)
		n += ev->f[tf[k].field].present;

	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	if (msgpack_pack_map(&pk, n) != 0 || pack_str(&pk, "id") != 0 ||
	    pack_str(&pk, ev->id) != 0 || pack_str(&pk, "type") != 0 ||
	    pack_str(&pk, event_type_name(ev->type)) != 0 ||
	    pack_str(&pk, "at") != 0 || pack_time(&pk, &ev->at) != 0)
		goto nomem;
	if (ev->child != NULL &&
	    (pack_str(&pk, "child") != 0 || pack_str(&pk, ev->child) != 0))
		goto nomem;
	if (ev->v != 1 &&
	    (pack_str(&pk, "v") != 0 || msgpack_pack_int64(&pk, ev->v) != 0))
		goto nomem;
	if (ev->source != NULL &&
	    (pack_str(&pk, "source") != 0 || pack_str(&pk, ev->source) != 0))
		goto nomem;
	for (k = 0; k < nf; k++) {
		const struct event_value *v = &ev->f[tf[k].field];

		if (!v->present)
			continue;
		if (pack_str(&pk, event_field_name(tf[k].field)) != 0)
			goto nomem;
		if ((rc = pack_value(&pk, tf[k].field, v)) != 0)
			goto fail;
	}
	return 0;

nomem:
	rc = IRK_ENOMEM;
fail:
	/* msgpack-c's packers return -1; ours IRK_EINVAL for a bad event. */
	if (rc != IRK_EINVAL)
		rc = IRK_ENOMEM;
	out->size = start;
	return rc;
}
