/*
 * libFuzzer target: the msgpack event decoder, codec_decode_event(), fed
 * untrusted bytes as an ingest frame would be.  A decoded event must
 * re-encode (codec_encode_event) and decode again to the same id and type:
 * the daemon stores what it decoded, so a round trip that fails would be a
 * stored event nobody can read back.
 */
#include <assert.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <msgpack.h>

#include "fuzz/fuzz.h"
#include "proto/codec.h"
#include "proto/event.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct event ev, back;
	struct irk_diag diag;
	msgpack_sbuffer sb;

	if (codec_decode_event((const char *)data, size, &ev, &diag) != 0)
		return 0;
	msgpack_sbuffer_init(&sb);
	if (codec_encode_event(&ev, &sb) != 0)
		abort();
	if (codec_decode_event(sb.data, sb.size, &back, &diag) != 0)
		abort();
	if (back.type != ev.type || strcmp(back.id, ev.id) != 0)
		abort();
	msgpack_sbuffer_destroy(&sb);
	return 0;
}
