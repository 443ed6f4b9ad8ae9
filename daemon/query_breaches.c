/*
 * The breaches and deadlines queries (PROTOCOL.md, "Breaches").
 *
 * breaches: the log after a sequence number, in order, at most `limit`
 * (default and ceiling BREACHES_MAX), for a subscriber that saw a gap or is
 * starting.  deadlines: the open deadlines falling due on or before today +
 * `within` days (overdue ones included), by day, from the deadline index.
 */
#include <msgpack.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon/breach.h"
#include "daemon/query_impl.h"
#include "domain/date.h"
#include "domain/err.h"
#include "proto/pack.h"

#define BREACHES_MAX  1000
#define DEADLINES_MAX 10000
#define WITHIN_DAYS   28

/* An unsigned integer argument; absent or nil: def. */
static int
arg_uint(
    const msgpack_object *req, const char *key, uint64_t def, uint64_t *out)
{
	const msgpack_object *o = obj_map_get(req, key);

	*out = def;
	if (o == NULL || o->type == MSGPACK_OBJECT_NIL)
		return 0;
	if (o->type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return IRK_EINVAL;
	*out = o->via.u64;
	return 0;
}

struct collect {
	void *v; /* struct store_breach or struct store_deadline */
	size_t n, max, size;
	bool more;
	int32_t today;   /* deadlines: open on it */
	const char *iro; /* deadlines: this IRO's only, or NULL */
};

static int
collect_add(struct collect *c, const void *item)
{
	void *nv;

	if (c->n == c->max) {
		c->more = true;
		return 1;
	}
	if ((nv = realloc(c->v, (c->n + 1) * c->size)) == NULL)
		return IRK_ENOMEM;
	c->v = nv;
	memcpy((char *)c->v + c->n * c->size, item, c->size);
	c->n++;
	return 0;
}

static int
collect_breach(void *arg, const struct store_breach *b)
{
	return collect_add(arg, b);
}

static int
collect_deadline(void *arg, const struct store_deadline *dl)
{
	struct collect *c = arg;

	if (dl->resolved <= c->today ||
	    (c->iro != NULL && strcmp(dl->iro, c->iro) != 0))
		return 0;
	return collect_add(c, dl);
}

int
q_breaches(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	struct collect c = { NULL, 0, BREACHES_MAX,
		sizeof(struct store_breach), false, 0, NULL };
	struct store_view *v = NULL;
	uint64_t after, limit, last = 0;
	size_t i;
	int rc;

	(void)d;
	if (arg_uint(req, "after", 0, &after) != 0 ||
	    arg_uint(req, "limit", BREACHES_MAX, &limit) != 0 || limit == 0) {
		snprintf(why, whylen, "after and limit: positive integers");
		return IRK_EINVAL;
	}
	c.max = limit < BREACHES_MAX ? (size_t)limit : BREACHES_MAX;
	if ((rc = store_view_begin(d->store, &v)) != 0 ||
	    (rc = store_breach_last(v, &last)) != 0 ||
	    (rc = store_breaches_after(v, after, collect_breach, &c)) < 0) {
		snprintf(why, whylen, "breaches: %s", irk_strerror(rc));
		goto done;
	}
	rc = 0;
	msgpack_pack_map(pk, 4);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "last");
	msgpack_pack_uint64(pk, last);
	pack_cstr(pk, "more");
	pack_bool(pk, c.more);
	pack_cstr(pk, "breaches");
	msgpack_pack_array(pk, c.n);
	for (i = 0; i < c.n; i++)
		breach_pack(pk, &((struct store_breach *)c.v)[i]);
done:
	store_view_end(&v);
	free(c.v);
	return rc;
}

int
q_deadlines(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	struct collect c = { NULL, 0, DEADLINES_MAX,
		sizeof(struct store_deadline), false, 0, NULL };
	struct store_view *v = NULL;
	char subject[SERIES_MAX], day[DATE_STRLEN], iro[IRK_ID_MAX + 1];
	uint64_t within;
	bool present;
	size_t i;
	int rc;

	c.today = daemon_today(d);
	if (query_arg_str(req, "as_at", day, sizeof(day), &present) != 0 ||
	    (present && date_parse(day, strlen(day), &c.today) != 0)) {
		snprintf(why, whylen, "as_at: a YYYY-MM-DD date");
		return IRK_EINVAL;
	}
	if (query_arg_str(req, "iro", iro, sizeof(iro), &present) != 0) {
		snprintf(
		    why, whylen, "iro: a string of 1 to %d bytes", IRK_ID_MAX);
		return IRK_EINVAL;
	}
	c.iro = present ? iro : NULL;
	if (arg_uint(req, "within", WITHIN_DAYS, &within) != 0 ||
	    within > 3660) {
		snprintf(why, whylen, "within: days, 0 to 3660");
		return IRK_EINVAL;
	}
	if ((rc = store_view_begin(d->store, &v)) != 0 ||
	    (rc = store_deadlines(
		 v, c.today + (int32_t)within, collect_deadline, &c)) < 0) {
		snprintf(why, whylen, "deadlines: %s", irk_strerror(rc));
		goto done;
	}
	rc = 0;
	msgpack_pack_map(pk, 4);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "as_at");
	pack_day(pk, c.today);
	pack_cstr(pk, "more");
	pack_bool(pk, c.more);
	pack_cstr(pk, "deadlines");
	msgpack_pack_array(pk, c.n);
	for (i = 0; i < c.n; i++) {
		const struct store_deadline *dl =
		    &((struct store_deadline *)c.v)[i];

		breach_subject(dl->series, subject, sizeof(subject));
		msgpack_pack_map(pk, 4 + (dl->iro[0] != '\0'));
		pack_cstr(pk, "child");
		pack_cstr(pk, dl->child);
		if (dl->iro[0] != '\0') {
			pack_cstr(pk, "iro");
			pack_cstr(pk, dl->iro);
		}
		pack_cstr(pk, "subject");
		pack_cstr(pk, subject);
		pack_cstr(pk, "deadline");
		pack_day(pk, dl->deadline);
		pack_cstr(pk, "overdue");
		pack_bool(pk, dl->deadline < c.today);
	}
done:
	store_view_end(&v);
	free(c.v);
	return rc;
}
