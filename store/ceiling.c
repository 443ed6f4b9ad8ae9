/*
 * An IRO's weighted caseload over the ceiling (KPIS.md, iro.caseload): a
 * breach per IRO each time it goes over, checked with the RAG (rag.c) in
 * the batch's or the sweep's transaction.
 *
 * It is not a deadline of a child, so it does not live in the deadline
 * index: the catalogue's iro.caseload, computed as at today through a
 * reader over the write transaction, gives each IRO's weighted caseload,
 * and meta holds "over" 0x00 IRO for every IRO over the ceiling when last
 * checked.  Going over writes the key and the breach; coming back under
 * removes the key, so the next crossing is a breach again, and a restart
 * or a rebuild (which checks nothing) raises none again.
 */
#include <stdio.h>
#include <string.h>

#include "domain/err.h"
#include "domain/kpi.h"
#include "store/store_impl.h"

#define OVER_KEY_MAX     (5 + IRK_ID_MAX)
#define CASELOAD_KPI     "iro.caseload"
#define CASELOAD_SUBJECT CASELOAD_KPI

static size_t
over_key(unsigned char *key, const char *iro, size_t len)
{
	if (len > IRK_ID_MAX)
		len = IRK_ID_MAX;
	memcpy(key, "over", 5); /* its NUL separates */
	memcpy(key + 5, iro, len);
	return 5 + len;
}

/* The IRO's item of res over the ceiling, or NULL. */
static const struct kpi_item *
over_item(
    const struct kpi_result *res, const char *iro, size_t len, double ceiling)
{
	size_t i;

	for (i = 0; i < res->nitems; i++)
		if (strcmp(res->items[i].group, "iros") == 0 &&
		    strlen(res->items[i].key) == len &&
		    memcmp(res->items[i].key, iro, len) == 0)
			return res->items[i].value > ceiling ? &res->items[i]
							     : NULL;
	return NULL;
}

/* Forget the IROs no longer over. */
static int
clear_under(struct store *s, MDB_txn *txn, const struct kpi_result *res)
{
	MDB_cursor *cur = NULL;
	MDB_val k, v;
	int rc;

	if ((rc = mdb_cursor_open(txn, s->meta, &cur)) != 0)
		return store_err(rc, "meta cursor");
	k.mv_data = "over";
	k.mv_size = 5;
	for (rc = mdb_cursor_get(cur, &k, &v, MDB_SET_RANGE); rc == 0;
	     rc = mdb_cursor_get(cur, &k, &v, MDB_NEXT)) {
		if (k.mv_size < 5 || memcmp(k.mv_data, "over", 5) != 0)
			break;
		if (over_item(res, (const char *)k.mv_data + 5, k.mv_size - 5,
			s->kpi->caseload_ceiling) == NULL &&
		    (rc = mdb_cursor_del(cur, 0)) != 0)
			break;
	}
	mdb_cursor_close(cur);
	return rc == 0 || rc == MDB_NOTFOUND ? 0 : store_err(rc, "meta over");
}

int
ceiling_check(struct store *s, MDB_txn *txn, struct store_view *view)
{
	const struct kpi_def *k = kpi_find(CASELOAD_KPI);
	struct kpi_query q = { s->today, s->today, s->today, s->kpi };
	struct kpi_result res = { 0 };
	unsigned char key[OVER_KEY_MAX];
	const struct kpi_item *it;
	struct store_breach b;
	MDB_val kv, v;
	size_t i;
	int rc;

	if (k == NULL || s->kpi->caseload_ceiling <= 0)
		return 0;
	if ((rc = kpi_compute(k, &view->reader, &q, &res)) != 0)
		goto done;
	for (i = 0; i < res.nitems; i++) {
		it = &res.items[i];
		if (strcmp(it->group, "iros") != 0 ||
		    it->value <= s->kpi->caseload_ceiling)
			continue;
		kv.mv_data = key;
		kv.mv_size = over_key(key, it->key, strlen(it->key));
		if ((rc = mdb_get(txn, s->meta, &kv, &v)) == 0)
			continue; /* over already */
		if (rc != MDB_NOTFOUND) {
			rc = store_err(rc, "meta over");
			goto done;
		}
		v.mv_data = "";
		v.mv_size = 0;
		if ((rc = mdb_put(txn, s->meta, &kv, &v, 0)) != 0) {
			rc = store_err(rc, "meta over");
			goto done;
		}
		memset(&b, 0, sizeof(b));
		b.kind = BREACH_OVER_CEILING;
		b.deadline = b.raised = s->today;
		b.start = s->today;
		b.resolved = DAY_NEVER;
		snprintf(b.series, sizeof(b.series), "%s", CASELOAD_SUBJECT);
		snprintf(b.iro, sizeof(b.iro), "%s", it->key);
		b.value = it->value;
		if ((rc = breach_append(s, txn, &b)) != 0)
			goto done;
	}
	rc = clear_under(s, txn, &res);
done:
	kpi_result_free(&res);
	return rc;
}
