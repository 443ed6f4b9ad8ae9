/*
 * Small msgpack-c packing helpers shared by the daemon's replies and the
 * clients' requests.
 */
#ifndef IRK_PACK_H
#define IRK_PACK_H

#include <msgpack.h>
#include <stdbool.h>
#include <string.h>

/* A NUL-terminated string. */
static inline void
pack_cstr(msgpack_packer *pk, const char *s)
{
	size_t len = strlen(s);

	msgpack_pack_str(pk, len);
	msgpack_pack_str_body(pk, s, len);
}

static inline void
pack_bool(msgpack_packer *pk, bool b)
{
	if (b)
		msgpack_pack_true(pk);
	else
		msgpack_pack_false(pk);
}

/* True when o is a string equal to s. */
static inline bool
obj_is_str(const msgpack_object *o, const char *s)
{
	size_t len = strlen(s);

	return o->type == MSGPACK_OBJECT_STR && o->via.str.size == len &&
	       memcmp(o->via.str.ptr, s, len) == 0;
}

/* The value under key s of map m, or NULL. */
static inline const msgpack_object *
obj_map_get(const msgpack_object *m, const char *s)
{
	uint32_t i;

	if (m->type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (i = 0; i < m->via.map.size; i++)
		if (obj_is_str(&m->via.map.ptr[i].key, s))
			return &m->via.map.ptr[i].val;
	return NULL;
}

#endif
