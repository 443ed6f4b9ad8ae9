/*
 * msgpack <-> struct event.
 *
 * Event bytes come from producers we do not control, and msgpack-c's own
 * decoder trusts them: a 5-byte array header makes it allocate gigabytes,
 * deep nesting comes back as "no memory", and trailing bytes pass as
 * success.  So every buffer is first walked by codec_check(), a bounded
 * structure walk that allocates nothing: exactly one object, every length
 * and count within the bytes that are left, nesting within a limit, string
 * map keys, no ext types, no trailing bytes.  Once a buffer has passed it,
 * the small reader below (codec_read) walks it without further checks, and
 * codec_decode_event() builds a struct event from it directly: no msgpack-c
 * object tree and no allocation per event.  msgpack-c is used to encode.
 */
#ifndef IRK_CODEC_H
#define IRK_CODEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "proto/event.h"

/* The deepest nesting codec_check() accepts, whatever max_depth says. */
#define CODEC_DEPTH_MAX 64

/*
 * Check that buf holds exactly one well-formed msgpack object of len bytes
 * whose containers nest at most max_depth deep (a top-level map is depth 1,
 * an array inside it depth 2; max_depth is capped at CODEC_DEPTH_MAX), whose
 * map keys are all strings, and which holds no ext type (timestamps
 * included).  Bin, float and the other types are structurally fine here;
 * the event validator rejects them where they do not belong.  Work is
 * linear in len and nothing is allocated.  Returns 0, or IRK_EPROTO with
 * diag (when not NULL) set to field "(event)" and the reason.
 */
int codec_check(
    const char *buf, size_t len, int max_depth, struct irk_diag *diag);

/*
 * Decode and validate one event: the size limit (IRK_EVENT_MAX), then
 * codec_check() with IRK_EVENT_DEPTH, then the rules of validate.h.  ev is
 * reset first and on success holds the event, every string copied into its
 * own arena (nothing borrows buf).  Returns 0, IRK_EPROTO when buf is not
 * one well-formed msgpack object, or IRK_EINVAL when it is not a valid
 * event (too large, not a map, a rule broken); diag then names the field at
 * fault and why.  On failure ev->id is the event's id when the id itself
 * could be read and was valid (so the ack can name the event), else NULL;
 * the rest of ev is unspecified.  No allocation.
 */
int codec_decode_event(
    const char *buf, size_t len, struct event *ev, struct irk_diag *diag);

/*
 * codec_decode_event() for bytes that passed it before (the store's log):
 * neither the size limit, nor codec_check(), nor the rules of validate.h
 * again (validate_stored() builds ev), since a rebuild decodes every event
 * of the log.  Bytes that never passed codec_decode_event() must not come
 * here: the reader below does no bounds checks.  ev is cleared with
 * event_reuse(): it must have been reset before.  Returns 0, or IRK_EINVAL
 * for bytes that cannot be an accepted event.
 */
int codec_decode_stored(const char *buf, size_t len, struct event *ev);

/*
 * Append ev to out as one msgpack map: "id", "type", "at", "child" and
 * "source" when set, "v" when not 1, then the body fields that are present
 * in the type's table order.  Times are written as event_time_format()
 * does (date, or date-time without its fraction of a second); a "YYYY-MM"
 * dob is written back as such (EVENT_DOB_MONTH).  ev is only read.  Returns
 * 0, IRK_EINVAL when ev has no id or an invalid type, or IRK_ENOMEM when out
 * could not grow; on failure out keeps what it held before the call.
 */
int codec_encode_event(const struct event *ev, msgpack_sbuffer *out);

/*
 * Find key in the top-level map of buf, which must have passed
 * codec_check().  On success *val and *vlen give the string value, a view
 * borrowed from buf (not NUL-terminated).  Returns 0, IRK_ENOTFOUND when
 * buf is not a map or has no such key, IRK_EINVAL when the value is not a
 * string.  The first match wins.
 */
int codec_map_str(const char *buf, size_t len, const char *key,
    const char **val, size_t *vlen);

/*
 * A reader for bytes that have passed codec_check(), and only for those: it
 * does no bounds checks.
 */
enum codec_kind {
	CK_NIL,
	CK_BOOL,
	CK_INT,   /* .i; every integer that fits int64_t */
	CK_UINT,  /* .u; a positive integer above INT64_MAX */
	CK_FLOAT, /* .f; float32 or float64 */
	CK_STR,   /* .p, .n bytes */
	CK_BIN,   /* .p, .n bytes */
	CK_ARRAY, /* .p first item, .n items */
	CK_MAP,   /* .p first key, .n pairs */
	CK_EXT,   /* .p, .n bytes (codec_check rejects it; for completeness) */
};

/* One value, a view borrowed from the buffer it was read from. */
struct codec_val {
	enum codec_kind kind;
	uint32_t n;
	const char *p;
	union {
		bool b;
		int64_t i;
		uint64_t u;
		double f;
	};
};

/*
 * Read the value at p into *v and return the byte after it, after all of a
 * container's contents.  Items of a container are read by calling it again
 * from v->p.
 */
const char *codec_read(const char *p, struct codec_val *v);

/* "null", "boolean", "integer", "float", "string", ... for diagnostics. */
const char *codec_kind_name(enum codec_kind k);

#endif
