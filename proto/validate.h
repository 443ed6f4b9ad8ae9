/*
 * The rules an event must meet (EVENTS.md v1, and the limits and rejection
 * rules of proto/EVENTS.md), applied to the pairs of a decoded map.  The
 * codec hands the pairs in as views of the msgpack bytes; the JSON path
 * reaches this through the codec too (JSON -> msgpack -> decode), so every
 * producer meets the same rules.  The checks run in a fixed order, so the
 * fault reported for a bad event is always the same one: the envelope ("id",
 * "type", "at", "child", "v", "source"), then the body fields in the type's
 * table order (event.c), then unknown fields in map order.
 *
 * A rejection fills struct irk_diag with the field at fault and a reason an
 * operator can act on.  A reason quotes at most VALIDATE_ECHO_MAX bytes of
 * the producer's data, with control and non-ASCII bytes shown as '?', and
 * never the child id (it is masked with '*' wherever it would appear).
 */
#ifndef IRK_VALIDATE_H
#define IRK_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "proto/codec.h"
#include "proto/event.h"

/* A map with more pairs than this is rejected whole: no type has as many. */
#define VALIDATE_PAIRS_MAX 64

/* Bytes of producer data a reason quotes, at most. */
#define VALIDATE_ECHO_MAX 40

/* One key-value pair of the event map; both views borrow the buffer. */
struct validate_pair {
	const char *key;
	size_t klen;
	struct codec_val val;
};

/* True when the pair's key is name[0..len). */
static inline bool
validate_key_is(const struct validate_pair *p, const char *name, size_t len)
{
	return p->klen == len && memcmp(p->key, name, len) == 0;
}

/*
 * Check the n pairs of an event map and fill ev (which the caller has
 * reset with event_reset()) with copies of their values.  Returns 0, or
 * IRK_EINVAL with diag filled.  On failure ev->id is set when the id was
 * present, single and valid, else NULL; the rest of ev is unspecified.
 */
int validate_event(const struct validate_pair *pairs, size_t n,
    struct event *ev, struct irk_diag *diag);

/*
 * validate_event() for the pairs of a map that passed it before (the
 * store's log keeps events as they were accepted): ev (reset by the
 * caller) is filled the same, but no rule is checked again, so pairs that
 * never passed validate_event() must not come here.  Returns 0, or
 * IRK_EINVAL for pairs that cannot be an accepted event (a corrupt log);
 * no diagnostics.  In validate_stored.c.
 */
int validate_stored(
    const struct validate_pair *pairs, size_t n, struct event *ev);

/* True when s[0..n) is well-formed UTF-8 (no overlongs, surrogates). */
bool validate_utf8(const char *s, size_t n);

/* A valid event id: 1..IRK_ID_MAX bytes of UTF-8 with no NUL byte. */
bool validate_id(const char *s, size_t n);

/*
 * Write a quotable copy of s[0..n) into dst (size bytes, NUL-terminated):
 * at most VALIDATE_ECHO_MAX bytes, '?' for bytes outside printable ASCII
 * and for '"' and '\\', "..." when cut.  Returns the length written.
 */
size_t validate_echo(char *dst, size_t size, const char *s, size_t n);

#endif
