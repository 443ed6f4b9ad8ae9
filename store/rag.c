/*
 * kpi_rag_changed: a KPI's fytd RAG colour, compared with the last one the
 * store saw, in the transaction of the batch or sweep that may change it.
 *
 * Only KPIs with a target in force have a RAG, so only those are computed,
 * with the catalogue's own code (domain/kpi.c) reading the counters through
 * a reader over the write transaction: its counters are flushed by then
 * (project_groups()), so the colour is the one a query would see after the
 * commit.  The last RAG of each KPI is kept in meta under "rag" 0x00 id;
 * a change writes it and appends the breach, so a restart or a rebuild
 * (which computes nothing here) never raises the same change again.  A
 * KPI that loses its value (fytd starts again on 1 April with nothing
 * counted yet) goes back to no RAG quietly; its next colour is a change.
 * An IRO's caseload over the ceiling is checked at the same points
 * (ceiling.c).
 */
#include <stdio.h>
#include <string.h>

#include "domain/err.h"
#include "domain/kpi.h"
#include "domain/window.h"
#include "store/store_impl.h"

#define RAG_KEY_MAX 80

static size_t
rag_key(unsigned char *key, const char *id)
{
	size_t len = strlen(id);

	if (len > RAG_KEY_MAX - 4)
		len = RAG_KEY_MAX - 4;
	memcpy(key, "rag", 4); /* its NUL separates */
	memcpy(key + 4, id, len);
	return 4 + len;
}

/* The KPI's last RAG (KPI_RAG_NONE when never seen), and replace it. */
static int
rag_swap(struct store *s, MDB_txn *txn, const char *id, enum kpi_rag now,
    enum kpi_rag *last)
{
	unsigned char key[RAG_KEY_MAX], byte = (unsigned char)now;
	MDB_val k, v;
	int rc;

	k.mv_data = key;
	k.mv_size = rag_key(key, id);
	*last = KPI_RAG_NONE;
	rc = mdb_get(txn, s->meta, &k, &v);
	if (rc == 0 && v.mv_size == 1)
		*last = (enum kpi_rag)(*(const unsigned char *)v.mv_data);
	else if (rc != 0 && rc != MDB_NOTFOUND)
		return store_err(rc, "meta rag");
	if (*last == now)
		return 0;
	v.mv_data = &byte;
	v.mv_size = 1;
	rc = mdb_put(txn, s->meta, &k, &v, 0);
	return rc == 0 ? 0 : store_err(rc, "meta rag");
}

int
rag_check(struct store *s, MDB_txn *txn)
{
	struct store_view view = { s, txn, { 0 } };
	struct kpi_result res = { 0 };
	struct store_breach b;
	struct kpi_query q;
	const struct kpi_target *t;
	const struct kpi_def *k;
	enum kpi_rag last;
	struct window w;
	size_t i;
	int rc = 0;

	/* After a failed rebuild, until one succeeds, the counters hold part
	 * of the children: no colour is to be trusted. */
	if (s->kpi == NULL || s->today == 0 || rebuild_marked(s, txn) ||
	    window_parse("fytd", s->today, &w) != 0)
		return 0;
	q = (struct kpi_query){ w.from, w.to, s->today, s->kpi };
	buckets_reader_init(&view.reader, &view);
	for (i = 0; i < kpi_count() && rc == 0; i++) {
		k = kpi_at(i);
		t = kpi_target_of(k, s->kpi);
		if (!t->set || t->better == KPI_BETTER_NONE)
			continue;
		if ((rc = kpi_compute(k, &view.reader, &q, &res)) != 0 ||
		    (rc = rag_swap(s, txn, kpi_id(k), res.rag, &last)) != 0)
			break;
		if (res.rag == last || res.rag == KPI_RAG_NONE)
			continue;
		memset(&b, 0, sizeof(b));
		b.kind = BREACH_KPI_RAG;
		b.deadline = b.raised = s->today;
		b.start = w.from;
		b.resolved = DAY_NEVER;
		snprintf(b.series, sizeof(b.series), "%s", kpi_id(k));
		b.rag_old = (uint8_t)last;
		b.rag_new = (uint8_t)res.rag;
		b.value = res.value;
		rc = breach_append(s, txn, &b);
	}
	kpi_result_free(&res);
	return rc != 0 ? rc : ceiling_check(s, txn, &view);
}

void
store_set_kpi(struct store *s, const struct kpi_settings *kpi)
{
	pthread_mutex_lock(&s->writer_lock);
	s->kpi = kpi;
	pthread_mutex_unlock(&s->writer_lock);
}
