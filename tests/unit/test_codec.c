/*
 * proto/codec.c: the structure walk against hostile bytes (none of which
 * may reach an allocator: under AddressSanitizer a multi-gigabyte request
 * would abort the test), the reader on every msgpack encoding, the size
 * limit, and an encode/decode round-trip property over random valid events.
 * The property test prints its seed; IRK_SEED=N replays one.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <msgpack.h>

#include "domain/err.h"
#include "proto/codec.h"
#include "proto/json.h"
#include "proto/validate.h"

static struct event ev, ev2, ev3;

struct hostile {
	const char *name;
	const char *bytes;
	size_t len;
	const char *reason; /* a substring of the reason */
};

#define H(name, lit, reason)                       \
	{                                          \
		name, lit, sizeof(lit) - 1, reason \
	}

static const struct hostile hostile[] = {
	H("empty", "", "empty"),
	H("array32 of 2^32-1 items in 5 bytes", "\xdd\xff\xff\xff\xff",
	    "array of 4294967295 items in 0 bytes"),
	H("map32 of 2^32-1 pairs", "\xdf\xff\xff\xff\xff",
	    "map of 4294967295 pairs"),
	H("array16 of 65535 items", "\xdc\xff\xff\xc0\xc0", "array of"),
	H("map claiming more pairs than bytes", "\x82\xa1k",
	    "map of 2 pairs in 2 bytes"),
	H("str32 of 4 GB in 9 bytes",
	    "\xdb\xff\xff\xff\xff"
	    "abcd",
	    "truncated"),
	H("bin32 of 4 GB",
	    "\xc6\xff\xff\xff\xff"
	    "ab",
	    "truncated"),
	H("truncated str",
	    "\x81\xa2id\xa5"
	    "ab",
	    "truncated at byte 4"),
	H("truncated header", "\x81\xa2id\xd9", "truncated"),
	H("truncated uint64", "\xcf\x00\x00", "truncated"),
	H("truncated float64", "\xcb\x00", "truncated"),
	H("trailing bytes", "\x80\xc0\xc0", "2 bytes after the object"),
	H("two objects", "\x80\x80", "1 bytes after the object"),
	H("never-used byte 0xc1", "\x81\xa1k\xc1", "0xc1"),
	H("map with an integer key", "\x81\x01\xc0", "not a string (integer)"),
	H("map with a nil key", "\x81\xc0\xc0", "not a string (null)"),
	H("map with an array key", "\x81\x90\xc0", "not a string (array)"),
	H("map with a bin key", "\x81\xc4\x01k\xc0", "not a string (binary)"),
	H("fixext1", "\x81\xa1k\xd4\x01\x00", "ext"),
	H("ext8", "\x81\xa1k\xc7\x01\x05\x00", "ext"),
	H("timestamp32", "\x81\xa1k\xd6\xff\x00\x00\x00\x00", "ext"),
	H("ext32 of 4 GB", "\xc9\xff\xff\xff\xff\x05", "truncated"),
};

static void
test_check_hostile(void **state)
{
	struct irk_diag d;
	json_t *j = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < NITEMS(hostile); i++) {
		const struct hostile *h = &hostile[i];

		memset(&d, 0, sizeof(d));
		assert_int_equal(
		    codec_check(h->bytes, h->len, CODEC_DEPTH_MAX, &d),
		    IRK_EPROTO);
		print_message("%s: %s\n", h->name, d.reason);
		assert_string_equal(d.field, "(event)");
		assert_non_null(strstr(d.reason, h->reason));
		/* The paths that would hand the bytes to msgpack-c. */
		assert_int_equal(
		    codec_decode_event(h->bytes, h->len, &ev, &d), IRK_EPROTO);
		assert_null(ev.id);
		assert_int_equal(
		    json_from_msgpack(h->bytes, h->len, &j), IRK_EPROTO);
		assert_null(j);
	}
	assert_int_equal(codec_check(NULL, 0, 4, &d), IRK_EPROTO);
}

static void
test_check_depth(void **state)
{
	char buf[128];
	struct irk_diag d;
	json_t *j = NULL;
	int i;

	(void)state;
	/* 100 nested one-item arrays around a nil. */
	for (i = 0; i < 100; i++)
		buf[i] = '\x91';
	buf[100] = '\xc0';
	assert_int_equal(
	    codec_check(buf, 101, IRK_EVENT_DEPTH, &d), IRK_EPROTO);
	assert_string_equal(d.reason, "nested deeper than 4 levels");
	/* A limit above CODEC_DEPTH_MAX is capped, not trusted. */
	assert_int_equal(codec_check(buf, 101, 1000, &d), IRK_EPROTO);
	assert_string_equal(d.reason, "nested deeper than 64 levels");
	assert_int_equal(codec_check(buf, 101, -1, &d), IRK_EPROTO);
	assert_int_equal(json_from_msgpack(buf, 101, &j), IRK_EPROTO);
	assert_int_equal(codec_decode_event(buf, 101, &ev, &d), IRK_EPROTO);

	/* Exactly at the limit passes; one more does not. */
	assert_int_equal(codec_check(buf + 96, 5, 4, &d), 0);
	assert_int_equal(codec_check(buf + 95, 6, 4, &d), IRK_EPROTO);
	/* Empty containers count as a level too. */
	assert_int_equal(codec_check("\x91\x90", 2, 1, &d), IRK_EPROTO);
	assert_int_equal(codec_check("\x91\x90", 2, 2, &d), 0);
	/* A scalar alone is fine at depth 0. */
	assert_int_equal(codec_check("\x05", 1, 0, &d), 0);
	/* 64 deep passes a 64 limit. */
	assert_int_equal(codec_check(buf + 36, 65, 64, &d), 0);
}

static void
test_check_accepts(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct irk_diag d;

	(void)state;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "a", 1);
	msgpack_pack_array(&pk, 3);
	msgpack_pack_nil(&pk);
	msgpack_pack_double(&pk, 1.5);
	msgpack_pack_bin_with_body(&pk, "\0\1", 2);
	msgpack_pack_str_with_body(&pk, "b", 1);
	msgpack_pack_map(&pk, 0);
	msgpack_pack_str_with_body(&pk, "", 0);
	msgpack_pack_int64(&pk, INT64_MIN);
	assert_int_equal(codec_check(sb.data, sb.size, 2, &d), 0);
	assert_int_equal(codec_check(sb.data, sb.size, 1, &d), IRK_EPROTO);
	assert_int_equal(codec_check(sb.data, sb.size - 1, 2, &d), IRK_EPROTO);
	msgpack_sbuffer_destroy(&sb);
}

/* Every integer and float encoding reads back as written. */
static void
test_read_numbers(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct codec_val v;
	const char *p;
	struct irk_diag d;

	(void)state;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 14);
	msgpack_pack_fix_int8(&pk, -100);
	msgpack_pack_fix_int16(&pk, -30000);
	msgpack_pack_fix_int32(&pk, -2000000000);
	msgpack_pack_fix_int64(&pk, INT64_MIN);
	msgpack_pack_fix_uint8(&pk, 200);
	msgpack_pack_fix_uint16(&pk, 60000);
	msgpack_pack_fix_uint32(&pk, 4000000000u);
	msgpack_pack_fix_uint64(&pk, UINT64_MAX);
	msgpack_pack_int(&pk, -5);  /* negative fixint */
	msgpack_pack_int(&pk, 127); /* positive fixint */
	msgpack_pack_float(&pk, 2.5f);
	msgpack_pack_double(&pk, -0.125);
	msgpack_pack_true(&pk);
	msgpack_pack_fix_uint64(&pk, (uint64_t)INT64_MAX);
	assert_int_equal(codec_check(sb.data, sb.size, 1, &d), 0);
	p = codec_read(sb.data, &v);
	assert_ptr_equal(p, sb.data + sb.size);
	assert_int_equal(v.kind, CK_ARRAY);
	assert_int_equal(v.n, 14);
	p = v.p;
#define NEXT_INT(x)                               \
	do {                                      \
		p = codec_read(p, &v);            \
		assert_int_equal(v.kind, CK_INT); \
		assert_true(v.i == (x));          \
	} while (0)
	NEXT_INT(-100);
	NEXT_INT(-30000);
	NEXT_INT(-2000000000);
	NEXT_INT(INT64_MIN);
	NEXT_INT(200);
	NEXT_INT(60000);
	NEXT_INT(4000000000);
	p = codec_read(p, &v);
	assert_int_equal(v.kind, CK_UINT);
	assert_true(v.u == UINT64_MAX);
	NEXT_INT(-5);
	NEXT_INT(127);
#undef NEXT_INT
	p = codec_read(p, &v);
	assert_int_equal(v.kind, CK_FLOAT);
	assert_true(v.f == 2.5);
	p = codec_read(p, &v);
	assert_true(v.kind == CK_FLOAT && v.f == -0.125);
	p = codec_read(p, &v);
	assert_true(v.kind == CK_BOOL && v.b);
	p = codec_read(p, &v);
	assert_true(v.kind == CK_INT && v.i == INT64_MAX);
	assert_ptr_equal(p, sb.data + sb.size);
	msgpack_sbuffer_destroy(&sb);
}

static const char review_json[] =
    "{\"id\": \"big-1\", \"type\": \"review.held\", \"at\": \"2019-04-20\", "
    "\"child\": \"C100\", \"iro\": \"IRO7\", \"participation\": \"PN1\", "
    "\"sw_report_at\": \"2019-04-15\", \"permanence_plan\": true}";

static void
test_not_a_map(void **state)
{
	struct irk_diag d;

	(void)state;
	assert_int_equal(
	    codec_decode_event("\x92\x01\x02", 3, &ev, &d), IRK_EINVAL);
	assert_string_equal(d.field, "(event)");
	assert_string_equal(d.reason, "not a map");
	assert_int_equal(codec_decode_event("\xa2id", 3, &ev, &d), IRK_EINVAL);
	assert_string_equal(d.reason, "not a map");
	/* A stored record is not checked first: a byte that is no msgpack
	 * at all (0xc1), or nothing, is still refused. */
	assert_int_equal(codec_decode_stored("\xc1", 1, &ev), IRK_EINVAL);
	assert_int_equal(codec_decode_stored("", 0, &ev), IRK_EINVAL);
	assert_int_equal(
	    codec_decode_stored("\x92\x01\x02", 3, &ev), IRK_EINVAL);
}

/*
 * Over 4096 bytes is refused whatever it holds, naming the id if it can;
 * exactly 4096 bytes of a valid event fits (and fits the arena).
 */
static void
test_size_limit(void **state)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct irk_diag d;
	char item[IRK_STR_MAX];
	size_t i, pad = 0;
	int k;

	(void)state;
	memset(item, 'a', sizeof(item));
	/* 15 strings of 245 bytes and one that pads to exactly 4096. */
	for (pad = 1; pad <= IRK_STR_MAX; pad++) {
		msgpack_sbuffer_init(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_map(&pk, 10);
		msgpack_pack_str_with_body(&pk, "id", 2);
		msgpack_pack_str_with_body(&pk, "big-1", 5);
		msgpack_pack_str_with_body(&pk, "type", 4);
		msgpack_pack_str_with_body(&pk, "conference.held", 15);
		msgpack_pack_str_with_body(&pk, "at", 2);
		msgpack_pack_str_with_body(&pk, "2019-06-20", 10);
		msgpack_pack_str_with_body(&pk, "child", 5);
		msgpack_pack_str_with_body(&pk, "C1", 2);
		msgpack_pack_str_with_body(&pk, "kind", 4);
		msgpack_pack_str_with_body(&pk, "review", 6);
		msgpack_pack_str_with_body(&pk, "iro", 3);
		msgpack_pack_str_with_body(&pk, "I", 1);
		msgpack_pack_str_with_body(&pk, "outcome", 7);
		msgpack_pack_str_with_body(&pk, "plan", 4);
		msgpack_pack_str_with_body(&pk, "report_to_parents_at", 20);
		msgpack_pack_nil(&pk);
		for (k = 0; k < 2; k++) {
			msgpack_pack_str_with_body(&pk,
			    k ? "agencies_attended" : "agencies_invited",
			    k ? 17 : 16);
			msgpack_pack_array(&pk, 8);
			for (i = 0; i < 8; i++)
				msgpack_pack_str_with_body(
				    &pk, item, k == 1 && i == 7 ? pad : 245);
		}
		if (sb.size >= IRK_EVENT_MAX)
			break;
		msgpack_sbuffer_destroy(&sb);
	}
	assert_int_equal(sb.size, IRK_EVENT_MAX);
	assert_int_equal(codec_decode_event(sb.data, sb.size, &ev, &d), 0);
	assert_int_equal(ev.f[FLD_AGENCIES_INVITED].nstrs, 8);
	assert_int_equal(strlen(ev.f[FLD_AGENCIES_ATTENDED].strs[7]), pad);
	assert_true(ev.arena_used <= sizeof(ev.arena));
	print_message("4096-byte event: arena %zu of %zu bytes\n",
	    ev.arena_used, sizeof(ev.arena));

	/* One byte more: a string one longer. */
	msgpack_sbuffer_destroy(&sb);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 9);
	msgpack_pack_str_with_body(&pk, "id", 2);
	msgpack_pack_str_with_body(&pk, "big-2", 5);
	msgpack_pack_str_with_body(&pk, "type", 4);
	msgpack_pack_str_with_body(&pk, "review.held", 11);
	msgpack_pack_str_with_body(&pk, "at", 2);
	msgpack_pack_str_with_body(&pk, "2019-04-20", 10);
	msgpack_pack_str_with_body(&pk, "child", 5);
	msgpack_pack_str_with_body(&pk, "C1", 2);
	msgpack_pack_str_with_body(&pk, "iro", 3);
	msgpack_pack_str_with_body(&pk, "I", 1);
	msgpack_pack_str_with_body(&pk, "participation", 13);
	msgpack_pack_str_with_body(&pk, "PN1", 3);
	msgpack_pack_str_with_body(&pk, "sw_report_at", 12);
	msgpack_pack_nil(&pk);
	msgpack_pack_str_with_body(&pk, "permanence_plan", 15);
	msgpack_pack_true(&pk);
	msgpack_pack_str_with_body(&pk, "padding", 7);
	msgpack_pack_str(&pk, 5000);
	for (i = 0; i < 5000; i++)
		msgpack_pack_str_body(&pk, "x", 1);
	memset(&d, 0, sizeof(d));
	assert_int_equal(
	    codec_decode_event(sb.data, sb.size, &ev, &d), IRK_EINVAL);
	assert_string_equal(d.field, "(event)");
	assert_string_equal(d.reason, "over the size limit of 4096 bytes");
	assert_non_null(ev.id);
	assert_string_equal(ev.id, "big-2");
	/* Over the limit and malformed: still the size, no id. */
	assert_int_equal(
	    codec_decode_event(sb.data, sb.size - 1, &ev, &d), IRK_EINVAL);
	assert_string_equal(d.reason, "over the size limit of 4096 bytes");
	assert_null(ev.id);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_map_str(void **state)
{
	msgpack_sbuffer sb;
	const char *s;
	size_t n;

	(void)state;
	msgpack_sbuffer_init(&sb);
	assert_int_equal(
	    json_to_msgpack(review_json, strlen(review_json), &sb, NULL), 0);
	assert_int_equal(codec_check(sb.data, sb.size, 4, NULL), 0);
	assert_int_equal(codec_map_str(sb.data, sb.size, "child", &s, &n), 0);
	assert_int_equal(n, 4);
	assert_memory_equal(s, "C100", 4);
	assert_int_equal(
	    codec_map_str(sb.data, sb.size, "permanence_plan", &s, &n),
	    IRK_EINVAL);
	assert_int_equal(
	    codec_map_str(sb.data, sb.size, "nope", &s, &n), IRK_ENOTFOUND);
	assert_int_equal(
	    codec_map_str("\x91\xc0", 2, "id", &s, &n), IRK_ENOTFOUND);
	msgpack_sbuffer_destroy(&sb);
}

static void
test_encode_errors(void **state)
{
	msgpack_sbuffer sb;

	(void)state;
	msgpack_sbuffer_init(&sb);
	msgpack_sbuffer_write(&sb, "abc", 3);
	event_reset(&ev);
	ev.type = EVT_STRATEGY_HELD;
	assert_int_equal(codec_encode_event(&ev, &sb), IRK_EINVAL); /* no id */
	ev.id = "e";
	ev.type = EVT__COUNT;
	assert_int_equal(codec_encode_event(&ev, &sb), IRK_EINVAL);
	ev.type = EVT_CP_PLAN_STARTED;
	ev.f[FLD_CATEGORY].present = true;
	ev.f[FLD_CATEGORY].num = 99; /* no such category */
	assert_int_equal(codec_encode_event(&ev, &sb), IRK_EINVAL);
	assert_int_equal(sb.size, 3); /* nothing half-written */
	msgpack_sbuffer_destroy(&sb);
}

/* xorshift64*: small, seedable, the same everywhere. */
static uint64_t rng;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ull;
}

static int64_t
rnd_range(int64_t lo, int64_t hi)
{
	uint64_t span = (uint64_t)hi - (uint64_t)lo + 1;

	/* span 0 is the whole of int64_t. */
	return (int64_t)((uint64_t)lo + (span != 0 ? rnd() % span : rnd()));
}

/* A random valid string of 1..max bytes, some of it multi-byte UTF-8. */
static const char *
rnd_str(struct event *e, size_t max)
{
	static const char *pieces[] = { "a", "Z", "7", "-", " ", "_",
		"\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "'", "\"",
		"\\" };
	char buf[IRK_STR_MAX];
	size_t n = 0, want, k;
	const char *p;

	want = (size_t)rnd_range(1, rnd() % 4 == 0 ? (int64_t)max : 12);
	while (n < want) {
		p = pieces[rnd() % NITEMS(pieces)];
		k = strlen(p);
		if (n + k > max)
			break;
		memcpy(buf + n, p, k);
		n += k;
	}
	if (n == 0)
		buf[n++] = 'x';
	return event_arena_str(e, buf, n);
}

static void
rnd_time(struct irk_time *t, bool date_only)
{
	memset(t, 0, sizeof(*t));
	t->day = (int32_t)rnd_range(
	    date_from_ymd(1990, 1, 1), date_from_ymd(2040, 12, 31));
	if (date_only || rnd() % 2)
		return;
	t->has_time = true;
	t->sec = (int32_t)rnd_range(0, 86399);
	t->tz_min =
	    (int16_t)(rnd() % 3 == 0 ? 0
				     : rnd_range(-23 * 60 - 59, 23 * 60 + 59));
}

static void
rnd_event(struct event *e)
{
	const struct type_field *tf;
	const struct enum_value *vals;
	struct event_value *v;
	int64_t min, max;
	size_t i, k, n, nf;

	event_reset(e);
	e->type = (enum evt_type)(rnd() % EVT__COUNT);
	e->id = rnd_str(e, IRK_ID_MAX);
	rnd_time(&e->at, false);
	if (event_type_needs_child(e->type) || rnd() % 2)
		e->child = rnd_str(e, IRK_CHILD_MAX);
	if (rnd() % 3 == 0)
		e->source = rnd_str(e, 32);
	tf = event_type_fields(e->type, &nf);
	for (i = 0; i < nf; i++) {
		if (!tf[i].required && rnd() % 2)
			continue;
		v = &e->f[tf[i].field];
		v->present = true;
		event_field_bounds(tf[i].field, &min, &max);
		switch (event_field_kind(tf[i].field)) {
		case FK_STR:
			v->str = rnd_str(e, (size_t)max);
			break;
		case FK_BOOL:
			v->num = (int64_t)(rnd() % 2);
			break;
		case FK_INT:
			v->num = rnd() % 2 ? rnd_range(min,
						 min + 3 < max ? min + 3 : max)
					   : rnd_range(min, max);
			break;
		case FK_ENUM:
			vals = event_enum_values(tf[i].field, &n);
			v->num = vals[rnd() % n].value;
			break;
		case FK_TIME_OR_NULL:
			if (rnd() % 3 == 0) {
				v->null = true;
				v->time.day = DAY_NONE;
				break;
			}
			/* FALLTHROUGH */
		case FK_TIME:
			rnd_time(&v->time, false);
			break;
		case FK_DOB:
			rnd_time(&v->time, true);
			if (rnd() % 2) {
				int y, m, dd;

				date_to_ymd(v->time.day, &y, &m, &dd);
				v->time.day = date_from_ymd(y, m, 1);
				v->num = EVENT_DOB_MONTH;
			}
			break;
		case FK_STRS:
			n = (size_t)rnd_range(0, IRK_STRS_MAX);
			v->strs = event_arena_strs(e, n);
			v->nstrs = n;
			for (k = 0; k < n; k++)
				v->strs[k] = rnd_str(e, 20);
			break;
		}
	}
}

static void
assert_str_eq_or_null(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_time_eq(const struct irk_time *a, const struct irk_time *b)
{
	assert_int_equal(a->day, b->day);
	assert_int_equal(a->has_time, b->has_time);
	assert_int_equal(a->sec, b->sec);
	assert_int_equal(a->tz_min, b->tz_min);
}

static void
assert_events_equal(const struct event *a, const struct event *b)
{
	const struct event_value *x, *y;
	size_t f, k;

	assert_int_equal(a->type, b->type);
	assert_string_equal(a->id, b->id);
	assert_str_eq_or_null(a->child, b->child);
	assert_str_eq_or_null(a->source, b->source);
	assert_int_equal(a->v, b->v);
	assert_time_eq(&a->at, &b->at);
	for (f = 0; f < FLD__COUNT; f++) {
		x = &a->f[f];
		y = &b->f[f];
		assert_int_equal(x->present, y->present);
		if (!x->present)
			continue;
		assert_int_equal(x->null, y->null);
		switch (event_field_kind((enum evt_field)f)) {
		case FK_STR:
			assert_string_equal(x->str, y->str);
			break;
		case FK_TIME:
		case FK_TIME_OR_NULL:
			if (!x->null)
				assert_time_eq(&x->time, &y->time);
			break;
		case FK_DOB:
			assert_int_equal(x->time.day, y->time.day);
			assert_int_equal(x->num, y->num);
			break;
		case FK_STRS:
			assert_int_equal(x->nstrs, y->nstrs);
			for (k = 0; k < x->nstrs; k++)
				assert_string_equal(x->strs[k], y->strs[k]);
			break;
		default:
			assert_int_equal(x->num, y->num);
			break;
		}
	}
}

static uint64_t
seed_from_env(void)
{
	const char *s = getenv("IRK_SEED");

	if (s != NULL && *s != '\0')
		return strtoull(s, NULL, 0);
	return (uint64_t)time(NULL) ^ ((uint64_t)clock() << 32);
}

/*
 * The map of buf (an encoded event) with its pairs in a random order, in
 * out (len bytes, as buf): producers write keys in any order, and the log
 * keeps their bytes.
 */
static void
shuffle_pairs(const char *buf, size_t len, char *out)
{
	const char *at[VALIDATE_PAIRS_MAX + 1], *p;
	struct codec_val top, k, v;
	size_t order[VALIDATE_PAIRS_MAX], i, j, t, o;

	(void)codec_read(buf, &top);
	assert_int_equal(top.kind, CK_MAP);
	assert_true(top.n <= VALIDATE_PAIRS_MAX);
	o = (size_t)(top.p - buf);
	memcpy(out, buf, o);
	for (i = 0, p = top.p; i < top.n; i++) {
		at[i] = p;
		p = codec_read(codec_read(p, &k), &v);
		order[i] = i;
	}
	at[top.n] = p;
	assert_ptr_equal(p, buf + len);
	for (i = top.n; i > 1; i--) {
		j = (size_t)(rnd() % i);
		t = order[i - 1];
		order[i - 1] = order[j];
		order[j] = t;
	}
	for (i = 0; i < top.n; i++) {
		t = (size_t)(at[order[i] + 1] - at[order[i]]);
		memcpy(out + o, at[order[i]], t);
		o += t;
	}
	assert_int_equal(o, len);
}

static void
test_round_trip_property(void **state)
{
	static char shuffled[IRK_EVENT_MAX + 64];
	msgpack_sbuffer a, b;
	struct irk_diag d;
	uint64_t seed;
	int i, rc;

	(void)state;
	seed = seed_from_env();
	if (seed == 0)
		seed = 1;
	print_message(
	    "test_round_trip_property: IRK_SEED=%" PRIu64 "\n", seed);
	rng = seed;
	msgpack_sbuffer_init(&a);
	msgpack_sbuffer_init(&b);
	for (i = 0; i < 5000; i++) {
		rnd_event(&ev);
		a.size = 0;
		b.size = 0;
		assert_int_equal(codec_encode_event(&ev, &a), 0);
		memset(&d, 0, sizeof(d));
		rc = codec_decode_event(a.data, a.size, &ev2, &d);
		if (rc != 0)
			print_message("IRK_SEED=%" PRIu64
				      " event %d: %s: %s\n",
			    seed, i, d.field, d.reason);
		assert_int_equal(rc, 0);
		assert_events_equal(&ev, &ev2);
		/* Read back as the store reads its log: the same event,
		 * whatever the order of its keys. */
		assert_int_equal(codec_decode_stored(a.data, a.size, &ev3), 0);
		assert_events_equal(&ev, &ev3);
		shuffle_pairs(a.data, a.size, shuffled);
		assert_int_equal(
		    codec_decode_event(shuffled, a.size, &ev3, &d), 0);
		assert_events_equal(&ev, &ev3);
		assert_int_equal(
		    codec_decode_stored(shuffled, a.size, &ev3), 0);
		assert_events_equal(&ev, &ev3);
		/* The decoded event encodes to the same bytes. */
		assert_int_equal(codec_encode_event(&ev2, &b), 0);
		assert_int_equal(a.size, b.size);
		assert_memory_equal(a.data, b.data, a.size);
		/* And a copy is the same event. */
		event_copy(&ev3, &ev2);
		memset(ev2.arena, 0, ev2.arena_used);
		assert_events_equal(&ev, &ev3);
	}
	msgpack_sbuffer_destroy(&a);
	msgpack_sbuffer_destroy(&b);
}

/* Random bytes never crash the walk or the decoder, and never leak. */
static void
test_fuzz_bytes(void **state)
{
	msgpack_sbuffer a;
	struct irk_diag d;
	char buf[IRK_EVENT_MAX];
	size_t n, i;
	int iter, accepted = 0;

	(void)state;
	rng = seed_from_env() | 1;
	msgpack_sbuffer_init(&a);
	for (iter = 0; iter < 20000; iter++) {
		if (iter % 2 == 0) {
			/* A valid event with a few bytes flipped. */
			rnd_event(&ev);
			a.size = 0;
			assert_int_equal(codec_encode_event(&ev, &a), 0);
			n = a.size;
			memcpy(buf, a.data, n);
			for (i = 0; i < 1 + rnd() % 3; i++)
				buf[rnd() % n] = (char)rnd();
			if (rnd() % 4 == 0)
				n = (size_t)rnd() % n;
		} else {
			n = (size_t)(rnd() % 64);
			for (i = 0; i < n; i++)
				buf[i] = (char)rnd();
		}
		/* What the validator accepts, the store's reader reads the
		 * same. */
		if (codec_decode_event(buf, n, &ev2, &d) == 0) {
			assert_int_equal(codec_decode_stored(buf, n, &ev3), 0);
			assert_events_equal(&ev2, &ev3);
			accepted++;
		}
		if (codec_check(buf, n, 16, NULL) == 0) {
			json_t *j = NULL;

			if (json_from_msgpack(buf, n, &j) == 0)
				json_decref(j);
		}
	}
	/* Flipped bytes inside strings and numbers keep some events valid:
	 * the comparison above ran. */
	print_message(
	    "test_fuzz_bytes: %d altered events accepted\n", accepted);
	assert_true(accepted > 100);
	msgpack_sbuffer_destroy(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_hostile),
		cmocka_unit_test(test_check_depth),
		cmocka_unit_test(test_check_accepts),
		cmocka_unit_test(test_read_numbers),
		cmocka_unit_test(test_not_a_map),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_map_str),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_round_trip_property),
		cmocka_unit_test(test_fuzz_bytes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
