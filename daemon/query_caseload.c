/*
 * The caseload query (PROTOCOL.md): every IRO's weighted caseload on one
 * day, against the configured ceiling.  It is the KPI iro.caseload
 * (KPIS.md) asked for one day, with its per-IRO breakdown laid out as a
 * list, so that the figures can never differ from the kpi query's.
 */
#include <msgpack.h>
#include <stdio.h>
#include <string.h>

#include "daemon/query_impl.h"
#include "domain/date.h"
#include "domain/err.h"
#include "domain/kpi.h"
#include "proto/pack.h"

#define CASELOAD_KPI   "iro.caseload"
#define CASELOAD_GROUP "iros" /* its breakdown: one value item per IRO */

static bool
is_iro(const struct kpi_item *it)
{
	return it->kind == KPI_ITEM_VALUE &&
	       strcmp(it->group, CASELOAD_GROUP) == 0;
}

/* Each IRO's item: key the IRO, value weighted, num LAC, den CP only. */
static void
pack_iros(msgpack_packer *pk, const struct kpi_result *res, double ceiling)
{
	size_t i, n = 0;

	for (i = 0; i < res->nitems; i++)
		n += is_iro(&res->items[i]);
	msgpack_pack_array(pk, n);
	for (i = 0; i < res->nitems; i++) {
		const struct kpi_item *it = &res->items[i];

		if (!is_iro(it))
			continue;
		msgpack_pack_map(pk, 5);
		pack_cstr(pk, "iro");
		pack_cstr(pk, it->key);
		pack_cstr(pk, "weighted");
		msgpack_pack_double(pk, it->value);
		pack_cstr(pk, "lac");
		msgpack_pack_int64(pk, it->num);
		pack_cstr(pk, "cp");
		msgpack_pack_int64(pk, it->den);
		pack_cstr(pk, "over");
		pack_bool(pk, it->value > ceiling);
	}
}

int
q_caseload(struct daemon *d, const msgpack_object *req, msgpack_packer *pk,
    char *why, size_t whylen)
{
	const struct kpi_def *k = kpi_find(CASELOAD_KPI);
	struct kpi_result res = { 0 };
	struct store_view *view = NULL;
	struct kpi_query q = { .settings = &d->kpi };
	char as_at[16];
	bool has;
	int rc;

	if (k == NULL) {
		snprintf(why, whylen, "caseload: no KPI %s in this irokpid",
		    CASELOAD_KPI);
		return IRK_ENOTFOUND;
	}
	q.today = daemon_today(d);
	if (query_arg_str(req, "as_at", as_at, sizeof(as_at), &has) != 0 ||
	    (has && date_parse(as_at, strlen(as_at), &q.today) != 0)) {
		snprintf(why, whylen, "as_at: not a date YYYY-MM-DD");
		return IRK_EINVAL;
	}
	q.from = q.to = q.today;
	if ((rc = store_view_begin(d->store, &view)) != 0) {
		snprintf(why, whylen, "store: %s", irk_strerror(rc));
		return rc;
	}
	rc = kpi_compute(k, store_view_reader(view), &q, &res);
	store_view_end(&view);
	if (rc != 0) {
		snprintf(
		    why, whylen, "%s: %s", CASELOAD_KPI, irk_strerror(rc));
		goto done;
	}
	msgpack_pack_map(pk, 5);
	pack_cstr(pk, "ok");
	msgpack_pack_true(pk);
	pack_cstr(pk, "as_at");
	pack_day(pk, q.today);
	pack_cstr(pk, "ceiling");
	msgpack_pack_double(pk, d->kpi.caseload_ceiling);
	pack_cstr(pk, "average");
	if (res.has_value)
		msgpack_pack_double(pk, res.value);
	else
		msgpack_pack_nil(pk);
	pack_cstr(pk, "iros");
	pack_iros(pk, &res, d->kpi.caseload_ceiling);
done:
	kpi_result_free(&res);
	return rc;
}
