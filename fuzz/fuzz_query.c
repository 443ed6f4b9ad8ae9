/*
 * libFuzzer target: the query request path.  The daemon's own decoding
 * (daemon/query.c) is static, so this fuzzes what it is made of, in the same
 * order: codec_check() with depth 4, msgpack_unpack_next(), then the "window"
 * and "as_at" strings of the map through date_parse() and window_parse().
 * The raw input is also tried as a window and as a date, so the text
 * parsers get bytes no msgpack map would carry.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <msgpack.h>

#include "domain/date.h"
#include "domain/window.h"
#include "fuzz/fuzz.h"
#include "proto/codec.h"
#include "proto/event.h"

static const msgpack_object *
map_get(const msgpack_object *m, const char *key)
{
	size_t klen = strlen(key);

	for (uint32_t i = 0; i < m->via.map.size; i++) {
		const msgpack_object *k = &m->via.map.ptr[i].key;
		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == klen &&
		    memcmp(k->via.str.ptr, key, klen) == 0)
			return &m->via.map.ptr[i].val;
	}
	return NULL;
}

/* Copy a short string value into buf, as query_arg_str() does. */
static int
map_str(const msgpack_object *m, const char *key, char *buf, size_t size)
{
	const msgpack_object *v = map_get(m, key);

	if (v == NULL || v->type != MSGPACK_OBJECT_STR ||
	    v->via.str.size >= size)
		return -1;
	memcpy(buf, v->via.str.ptr, v->via.str.size);
	buf[v->via.str.size] = '\0';
	return 0;
}

static void
parse_text(const char *s, size_t len)
{
	char buf[128];
	struct window w;
	int32_t today = date_from_ymd(2020, 6, 30), day;

	if (len >= sizeof(buf))
		len = sizeof(buf) - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	(void)date_parse(s, len, &day);
	(void)date_parse_month(s, len, &day);
	if (window_parse(buf, today, &w) == 0) {
		if (w.from > w.to)
			__builtin_trap();
		(void)window_previous(&w);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct irk_diag diag;
	msgpack_unpacked u;
	size_t off = 0;
	char s[64];

	parse_text(buf, size);
	msgpack_unpacked_init(&u);
	if (codec_check(buf, size, 4, &diag) == 0) {
		/* codec_check passed: msgpack-c must read exactly it. */
		if (msgpack_unpack_next(&u, buf, size, &off) !=
			MSGPACK_UNPACK_SUCCESS ||
		    off != size)
			__builtin_trap();
		if (u.data.type == MSGPACK_OBJECT_MAP) {
			if (map_str(&u.data, "window", s, sizeof(s)) == 0)
				parse_text(s, strlen(s));
			if (map_str(&u.data, "as_at", s, 16) == 0)
				parse_text(s, strlen(s));
		}
	}
	msgpack_unpacked_destroy(&u);
	return 0;
}
