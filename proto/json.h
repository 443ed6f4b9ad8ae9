/*
 * JSON <-> msgpack, structurally, with jansson: what `irokpi publish` uses
 * to turn a JSON line into the msgpack map it sends, and `irokpi child` to
 * show stored msgpack events as JSON.  The mapping knows nothing of events:
 * object <-> map, array <-> array, string <-> str, integer <-> int, real <->
 * float64, true/false <-> bool, null <-> nil.  Events are validated only on
 * the msgpack side (codec_decode_event), so a JSON line and a msgpack
 * producer meet exactly the same rules.
 */
#ifndef IRK_JSON_H
#define IRK_JSON_H

#include <stddef.h>

#include <jansson.h>
#include <msgpack.h>

#include "proto/event.h"

/* The deepest nesting converted either way (msgpack-c stops at 32). */
#define JSON_DEPTH_MAX 16

/*
 * Convert one JSON text (text[0..len), no NUL needed) holding one object
 * into one msgpack map appended to out.  Keys keep their order; duplicate
 * keys are refused, as "\u0000" in a string is not (the event rules reject
 * a NUL byte naming the field).  Returns 0, or IRK_EINVAL with diag (when
 * not NULL) set to field "(event)" and "not valid JSON: MESSAGE (column
 * N)" (jansson's message, without the text it quotes), "not a JSON object",
 * or "nested deeper than 16 levels"; IRK_ENOMEM when out could not grow.  On
 * failure out keeps what it held before the call.
 */
int json_to_msgpack(
    const char *text, size_t len, msgpack_sbuffer *out, struct irk_diag *diag);

/*
 * Convert the msgpack object in buf[0..len), untrusted bytes, into JSON.
 * The bytes pass codec_check() first.  On success *out is a new reference
 * owned by the caller (release it with json_decref()).  Returns 0,
 * IRK_EPROTO when buf is not one well-formed msgpack object (or nests deeper
 * than JSON_DEPTH_MAX), IRK_EINVAL when it holds what JSON cannot
 * (bin, a non-UTF-8 string, an integer above INT64_MAX, a non-finite float),
 * or IRK_ENOMEM; *out is untouched on failure.
 */
int json_from_msgpack(const char *buf, size_t len, json_t **out);

/*
 * The JSON form of a decoded msgpack object (which msgpack-c has already
 * bounded).  Returns a new reference owned by the caller, or NULL when o
 * holds what JSON cannot (see json_from_msgpack), nests deeper than
 * JSON_DEPTH_MAX, or memory ran out.  o is only read.
 */
json_t *json_from_msgpack_object(const msgpack_object *o);

/*
 * Find the top-level "id" of a JSON line even when the line is not valid
 * JSON or not a valid event, so that a rejection can name the event.  The
 * scan stops at the first "id" key of the outer object and takes its value
 * if it is a string that is a valid event id (validate_id()).  On success
 * buf (size bytes; IRK_ID_MAX + 1 suffice) holds the id and a NUL.  Returns
 * 0 or IRK_ENOTFOUND.
 */
int json_peek_id(const char *text, size_t len, char *buf, size_t size);

/*
 * One JSON line to a validated event: json_to_msgpack(), then
 * codec_decode_event().  ev and diag as codec_decode_event() fills them;
 * when the line is not JSON at all, ev->id is still set if json_peek_id()
 * finds it.  Returns 0, IRK_EINVAL, IRK_EPROTO or IRK_ENOMEM.
 */
int json_decode_event(
    const char *text, size_t len, struct event *ev, struct irk_diag *diag);

#endif
