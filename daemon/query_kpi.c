/*
 * The kpi query (PROTOCOL.md): the KPIs asked for, over a window, each with
 * its target, RAG and the same figure for the previous comparable period.
 */
#include <msgpack.h>
#include <stdio.h>
#include <string.h>

#include "daemon/query_impl.h"
#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi.h"
#include "domain/window.h"
#include "proto/pack.h"

static void
pack_value(msgpack_packer *pk, const struct kpi_result *res)
{
	if (res->has_value)
		msgpack_pack_double(pk, res->value);
	else
		msgpack_pack_nil(pk);
}

static void
pack_ratio(msgpack_packer *pk, int64_t num, int64_t den)
{
	msgpack_pack_map(pk, 3);
	pack_cstr(pk, "num");
	msgpack_pack_int64(pk, num);
	pack_cstr(pk, "den");
	msgpack_pack_int64(pk, den);
	pack_cstr(pk, "value");
	if (den > 0)
		msgpack_pack_double(pk, kpi_percent(num, den));
	else
		msgpack_pack_nil(pk);
}

static void
pack_item_value(msgpack_packer *pk, const struct kpi_item *it)
{
	switch (it->kind) {
	case KPI_ITEM_RATIO:
		pack_ratio(pk, it->num, it->den);
		break;
	case KPI_ITEM_VALUE:
		msgpack_pack_map(pk, 3);
		pack_cstr(pk, "num");
		msgpack_pack_int64(pk, it->num);
		pack_cstr(pk, "den");
		msgpack_pack_int64(pk, it->den);
		pack_cstr(pk, "value");
		msgpack_pack_double(pk, it->value);
		break;
	case KPI_ITEM_COUNT:
		msgpack_pack_int64(pk, it->num);
		break;
	}
}

/* Items come in runs: "" items stand alone, others nest by group. */
static void
pack_breakdown(msgpack_packer *pk, const struct kpi_result *res)
{
	size_t i, j, entries = 0;

	for (i = 0; i < res->nitems; i = j) {
		for (j = i + 1;
		     j < res->nitems && res->items[i].group[0] != '\0' &&
		     strcmp(res->items[j].group, res->items[i].group) == 0;
		     j++)
			;
		entries++;
	}
	msgpack_pack_map(pk, entries);
	for (i = 0; i < res->nitems; i = j) {
		const struct kpi_item *it = &res->items[i];

		if (it->group[0] == '\0') {
			pack_cstr(pk, it->key);
			pack_item_value(pk, it);
			j = i + 1;
			continue;
		}
		for (j = i + 1; j < res->nitems &&
				strcmp(res->items[j].group, it->group) == 0;
		     j++)
			;
		pack_cstr(pk, it->group);
		msgpack_pack_map(pk, j - i);
		for (; i < j; i++) {
			pack_cstr(pk, res->items[i].key);
			pack_item_value(pk, &res->items[i]);
		}
	}
}

static const char *
unit_name(enum kpi_unit u)
{
	switch (u) {
	case KPI_PERCENT:
		return "percent";
	case KPI_AVERAGE:
		return "average";
	case KPI_COUNT:
		break;
	}
	return "count";
}

static void
pack_target(msgpack_packer *pk, const struct kpi_target *t)
{
	if (!t->set || t->better == KPI_BETTER_NONE) {
		msgpack_pack_nil(pk);
		return;
	}
	msgpack_pack_map(pk, 3);
	pack_cstr(pk, "value");
	msgpack_pack_double(pk, t->target);
	pack_cstr(pk, "better");
	pack_cstr(pk, kpi_better_name(t->better));
	pack_cstr(pk, "amber");
	msgpack_pack_double(pk, t->amber);
}

void
pack_kpi_result(msgpack_packer *pk, const struct kpi_result *res,
    const struct kpi_result *prev)
{
	const char *rag = kpi_rag_name(res->rag);

	msgpack_pack_map(pk, 8 + (res->as_at != DAY_NONE) + (prev != NULL));
	pack_cstr(pk, "title");
	pack_cstr(pk, kpi_title(res->def));
	pack_cstr(pk, "unit");
	pack_cstr(pk, unit_name(kpi_unit(res->def)));
	pack_cstr(pk, "num");
	msgpack_pack_int64(pk, res->num);
	pack_cstr(pk, "den");
	msgpack_pack_int64(pk, res->den);
	pack_cstr(pk, "value");
	pack_value(pk, res);
	if (res->as_at != DAY_NONE) {
		pack_cstr(pk, "as_at");
		pack_day(pk, res->as_at);
	}
	pack_cstr(pk, "target");
	pack_target(pk, &res->target);
	pack_cstr(pk, "rag");
	if (rag != NULL)
		pack_cstr(pk, rag);
	else
		msgpack_pack_nil(pk);
	if (prev != NULL) {
		pack_cstr(pk, "previous");
		msgpack_pack_map(pk, 3);
		pack_cstr(pk, "num");
		msgpack_pack_int64(pk, prev->num);
		pack_cstr(pk, "den");
		msgpack_pack_int64(pk, prev->den);
		pack_cstr(pk, "value");
		pack_value(pk, prev);
	}
	pack_cstr(pk, "breakdown");
	pack_breakdown(pk, res);
}

/* The KPIs a request names, or all. */
static int
kpi_select(const msgpack_object *req, const struct kpi_def **out, size_t *n,
    char *why, size_t whylen)
{
	const msgpack_object *ids = obj_map_get(req, "ids");
	char id[64];
	size_t i;

	*n = 0;
	if (ids == NULL || ids->type == MSGPACK_OBJECT_NIL ||
	    (ids->type == MSGPACK_OBJECT_ARRAY && ids->via.array.size == 0)) {
		for (i = 0; i < kpi_count(); i++)
			out[(*n)++] = kpi_at(i);
		return 0;
	}
	if (ids->type != MSGPACK_OBJECT_ARRAY ||
	    ids->via.array.size > kpi_count()) {
		snprintf(why, whylen, "ids: must be an array of KPI ids");
		return IRK_EINVAL;
	}
	for (i = 0; i < ids->via.array.size; i++) {
		const msgpack_object *o = &ids->via.array.ptr[i];

		if (o->type != MSGPACK_OBJECT_STR ||
		    o->via.str.size >= sizeof(id)) {
			snprintf(why, whylen, "ids: must be strings");
			return IRK_EINVAL;
		}
		memcpy(id, o->via.str.ptr, o->via.str.size);
		id[o->via.str.size] = '\0';
		if ((out[*n] = kpi_find(id)) == NULL) {
			snprintf(why, whylen, "unknown KPI \"%.40s\"", id);
			return IRK_EINVAL;
		}
		(*n)++;
	}
	return 0;
}

int
daemon_kpi_query(struct daemon *d, const char *label, int32_t today,
    struct kpi_query *q, struct window *w)
{
	if (window_parse(label, today, w) != 0)
		return IRK_EINVAL;
	memset(q, 0, sizeof(*q));
	q->settings = &d->kpi;
	q->today = today;
	q->from = w->from;
	q->to = w->to;
	return 0;
}

int
q_kpi(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	const struct kpi_def *sel[CONFIG_KPI_MAX];
	struct kpi_result res = { 0 }, prev = { 0 };
	struct store_view *view = NULL;
	struct kpi_query q, pq;
	struct window w, pw;
	char label[64] = "fytd", as_at[16];
	int32_t today;
	bool has;
	size_t n, i;
	int rc;

	if (kpi_count() > NITEMS(sel))
		return IRK_EFULL;
	if ((rc = kpi_select(req, sel, &n, why, whylen)) != 0)
		return rc;
	today = daemon_today(d);
	if (query_arg_str(req, "as_at", as_at, sizeof(as_at), &has) != 0 ||
	    (has && date_parse(as_at, strlen(as_at), &today) != 0)) {
		snprintf(why, whylen, "as_at: not a date YYYY-MM-DD");
		return IRK_EINVAL;
	}
	if (query_arg_str(req, "window", label, sizeof(label), &has) != 0 ||
	    daemon_kpi_query(d, label, today, &q, &w) != 0) {
		snprintf(why, whylen,
		    "window: \"%.40s\" is not one of YYYY-MM, YYYYQn, fyYYYY, "
		    "fytd, rolling12, FROM..TO",
		    label);
		return IRK_EINVAL;
	}
	pw = window_previous(&w);
	pq = q;
	pq.from = pw.from;
	pq.to = pw.to;
	if ((rc = store_view_begin(d->store, &view)) != 0) {
		snprintf(why, whylen, "store: %s", irk_strerror(rc));
		return rc;
	}
	msgpack_pack_map(pk, 4);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "today");
	pack_day(pk, q.today);
	pack_cstr(pk, "window");
	msgpack_pack_map(pk, 5);
	pack_cstr(pk, "label");
	pack_cstr(pk, label);
	pack_cstr(pk, "from");
	pack_day(pk, w.from);
	pack_cstr(pk, "to");
	pack_day(pk, w.to);
	pack_cstr(pk, "previous_from");
	pack_day(pk, pw.from);
	pack_cstr(pk, "previous_to");
	pack_day(pk, pw.to);
	pack_cstr(pk, "kpis");
	msgpack_pack_map(pk, n);
	for (i = 0; i < n; i++) {
		if ((rc = kpi_compute(
			 sel[i], store_view_reader(view), &q, &res)) != 0 ||
		    (rc = kpi_compute(
			 sel[i], store_view_reader(view), &pq, &prev)) != 0) {
			snprintf(why, whylen, "%s: %s", kpi_id(sel[i]),
			    irk_strerror(rc));
			break;
		}
		pack_cstr(pk, kpi_id(sel[i]));
		pack_kpi_result(pk, &res, &prev);
	}
	kpi_result_free(&res);
	kpi_result_free(&prev);
	store_view_end(&view);
	return rc;
}
