/*
 * The child query (PROTOCOL.md): one child's timeline as stored, retracted
 * events marked, the points it contributes to the projections, and the
 * deadlines still open on a day.  It answers "why does this KPI count this
 * child so?" from what the store holds, without deriving anything again.
 * The child id is in the request and the reply only: it is never logged.
 */
#include <msgpack.h>
#include <stdio.h>
#include <string.h>

#include "daemon/query_impl.h"
#include "domain/date.h"
#include "domain/err.h"
#include "proto/pack.h"
#include "store/child.h"

static void
pack_day_or_nil(msgpack_packer *pk, int32_t day)
{
	if (day == DAY_NEVER)
		msgpack_pack_nil(pk);
	else
		pack_day(pk, day);
}

static void
pack_events(msgpack_packer *pk, const struct child_timeline *tl)
{
	size_t i;

	msgpack_pack_array(pk, tl->n);
	for (i = 0; i < tl->n; i++) {
		const struct child_event *ev = &tl->v[i];

		msgpack_pack_map(pk, 6);
		pack_cstr(pk, "seq");
		msgpack_pack_uint64(pk, ev->seq);
		pack_cstr(pk, "id");
		pack_cstr(pk, ev->id);
		pack_cstr(pk, "type");
		pack_cstr(pk, event_type_name(ev->type));
		pack_cstr(pk, "at");
		pack_day(pk, ev->day);
		pack_cstr(pk, "retracted");
		pack_bool(pk, ev->retracted);
		/* The stored bytes are one msgpack map: copy them as they
		 * are, so the event is shown exactly as it was received. */
		pack_cstr(pk, "event");
		pk->callback(pk->data, ev->raw, ev->rawlen);
	}
}

static void
pack_facts(msgpack_packer *pk, const struct points *ps)
{
	size_t i;

	msgpack_pack_array(pk, ps->n);
	for (i = 0; i < ps->n; i++) {
		const struct point *p = &ps->v[i];

		switch (p->kind) {
		case PK_BUCKET:
			msgpack_pack_map(pk, 3);
			pack_cstr(pk, "series");
			pack_cstr(pk, p->series);
			pack_cstr(pk, "day");
			pack_day(pk, p->day);
			pack_cstr(pk, "n");
			msgpack_pack_int64(pk, p->n);
			break;
		case PK_INTERVAL:
			msgpack_pack_map(pk, 3);
			pack_cstr(pk, "series");
			pack_cstr(pk, p->series);
			pack_cstr(pk, "due");
			pack_day(pk, p->day);
			pack_cstr(pk, "resolved");
			pack_day_or_nil(pk, p->until);
			break;
		default: /* PK_MEMBER */
			msgpack_pack_map(pk, 2);
			pack_cstr(pk, "group");
			pack_cstr(pk, p->series);
			pack_cstr(pk, "day");
			pack_day(pk, p->day);
			break;
		}
	}
}

/* Interval points not resolved on as_at: due already or still to come. */
static bool
open_on(const struct point *p, int32_t as_at)
{
	return p->kind == PK_INTERVAL && p->until > as_at;
}

static void
pack_open_deadlines(msgpack_packer *pk, const struct points *ps, int32_t as_at)
{
	size_t i, n = 0;

	for (i = 0; i < ps->n; i++)
		n += open_on(&ps->v[i], as_at);
	msgpack_pack_array(pk, n);
	for (i = 0; i < ps->n; i++) {
		if (!open_on(&ps->v[i], as_at))
			continue;
		msgpack_pack_map(pk, 3);
		pack_cstr(pk, "series");
		pack_cstr(pk, ps->v[i].series);
		pack_cstr(pk, "due");
		pack_day(pk, ps->v[i].day);
		pack_cstr(pk, "resolved");
		pack_day_or_nil(pk, ps->v[i].until);
	}
}

int
q_child(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	struct child_timeline tl = { 0 };
	struct points ps = { 0 };
	struct store_view *view = NULL;
	char child[IRK_CHILD_MAX + 1], as_at_s[16];
	int32_t as_at = daemon_today(d);
	bool has;
	int rc;

	if (query_arg_str(req, "child", child, sizeof(child), &has) != 0 ||
	    !has || child[0] == '\0') {
		snprintf(why, whylen, "child: must be a child id");
		return IRK_EINVAL;
	}
	if (query_arg_str(req, "as_at", as_at_s, sizeof(as_at_s), &has) != 0 ||
	    (has && date_parse(as_at_s, strlen(as_at_s), &as_at) != 0)) {
		snprintf(why, whylen, "as_at: not a date YYYY-MM-DD");
		return IRK_EINVAL;
	}
	if ((rc = store_view_begin(d->store, &view)) != 0) {
		snprintf(why, whylen, "store: %s", irk_strerror(rc));
		return rc;
	}
	if ((rc = child_timeline_load(view, child, &tl)) != 0 ||
	    (rc = child_points(view, child, &ps)) != 0) {
		snprintf(why, whylen, "%s",
		    rc == IRK_ENOTFOUND ? "unknown child" : irk_strerror(rc));
		goto done;
	}
	msgpack_pack_map(pk, 6);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "child");
	pack_cstr(pk, child);
	pack_cstr(pk, "as_at");
	pack_day(pk, as_at);
	pack_cstr(pk, "events");
	pack_events(pk, &tl);
	pack_cstr(pk, "facts");
	pack_facts(pk, &ps);
	pack_cstr(pk, "open_deadlines");
	pack_open_deadlines(pk, &ps, as_at);
done:
	/* The events' bytes are the view's: pack them before it ends. */
	store_view_end(&view);
	child_timeline_free(&tl);
	points_free(&ps);
	return rc;
}
