/*
 * libFuzzer target: the JSON-lines parser.  Each input is one line as
 * `irokpi publish` reads it: json_to_msgpack() (then, when that worked, the
 * msgpack back to JSON with json_from_msgpack()), json_peek_id() and
 * json_decode_event().
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <jansson.h>
#include <msgpack.h>

#include "fuzz/fuzz.h"
#include "proto/event.h"
#include "proto/json.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct event ev;
	const char *text = (const char *)data;
	char id[IRK_ID_MAX + 1];
	struct irk_diag diag;
	msgpack_sbuffer sb;
	json_t *j = NULL;

	msgpack_sbuffer_init(&sb);
	if (json_to_msgpack(text, size, &sb, &diag) == 0) {
		/* What json_to_msgpack made must be one checked object. */
		if (json_from_msgpack(sb.data, sb.size, &j) == 0)
			json_decref(j);
	}
	msgpack_sbuffer_destroy(&sb);
	(void)json_peek_id(text, size, id, sizeof(id));
	(void)json_decode_event(text, size, &ev, &diag);
	return 0;
}
