/*
 * Properties of the store over random scenarios (sim/), with no sockets:
 *
 *  - order independence: the same events ingested in another order, in
 *    other batch sizes, with every event sent twice, leave projections that
 *    are equal key for key (buckets, intervals, opens, contributions,
 *    members);
 *  - retracting an event and publishing it again under a new id restores
 *    every projection;
 *  - incremental equals rebuild: store_rebuild() leaves the projections
 *    equal, key for key, to the incremental ones, and the KPIs the store
 *    answers equal those of a from-scratch derivation of every child from
 *    the surviving events;
 *  - the deadlines come by day (then subject, child, start), every entry
 *    of the index once, whatever the order of its keys;
 *  - the log's comparator orders keys as LMDB's default one does.
 *
 * The seed is printed; IRK_SEED=N replays one.  IRK_PROP_RUNS sets how many
 * scenarios (default 4).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "domain/date.h"
#include "domain/err.h"
#include "domain/facts.h"
#include "domain/kpi.h"
#include "proto/codec.h"
#include "proto/json.h"
#include "proto/wire.h"
#include "sim/sim.h"
#include "store/store_impl.h"
#include "tests/support/memreader.h"
#include "tests/support/timeline.h"
#include "tests/support/tmpdir.h"

struct raw {
	char *buf;
	size_t len;
	struct event *ev; /* decoded once, reused */
};

struct stream {
	struct raw *v;
	size_t n, cap;
};

static int
collect(void *arg, const char *line, size_t len)
{
	struct stream *s = arg;
	msgpack_sbuffer sb;
	struct irk_diag diag;
	struct raw *r;

	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->v = realloc(s->v, s->cap * sizeof(*s->v));
		assert_non_null(s->v);
	}
	r = &s->v[s->n++];
	msgpack_sbuffer_init(&sb);
	assert_int_equal(json_to_msgpack(line, len, &sb, &diag), 0);
	r->buf = sb.data;
	r->len = sb.size;
	r->ev = malloc(sizeof(*r->ev));
	assert_non_null(r->ev);
	if (codec_decode_event(r->buf, r->len, r->ev, &diag) != 0)
		fail_msg("sim wrote an invalid event: %s: %s", diag.field,
		    diag.reason);
	return 0;
}

static void
stream_free(struct stream *s)
{
	size_t i;

	for (i = 0; i < s->n; i++) {
		free(s->v[i].buf);
		free(s->v[i].ev);
	}
	free(s->v);
}

static uint64_t rng;

static uint64_t
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Ingest the events at order[0..n) in random batch sizes up to max. */
static void
ingest(struct store *s, const struct stream *st, const size_t *order, size_t n,
    size_t max)
{
	struct store_item *items = calloc(max, sizeof(*items));
	uint64_t last;
	size_t i = 0, b, k;

	assert_non_null(items);
	while (i < n) {
		b = 1 + next() % max;
		if (b > n - i)
			b = n - i;
		for (k = 0; k < b; k++) {
			const struct raw *r = &st->v[order[i + k]];

			store_item_set(&items[k], r->ev, r->buf, r->len);
		}
		assert_int_equal(store_ingest(s, items, b, &last), 0);
		i += b;
	}
	free(items);
}

/* Every key and value of one database of a and b are equal. */
static void
assert_db_equal(
    struct store *a, struct store *b, MDB_dbi da, MDB_dbi db, const char *name)
{
	MDB_txn *ta, *tb;
	MDB_cursor *ca, *cb;
	MDB_val ka, va, kb, vb;
	int ra, rb;
	size_t n = 0;

	assert_int_equal(mdb_txn_begin(a->env, NULL, MDB_RDONLY, &ta), 0);
	assert_int_equal(mdb_txn_begin(b->env, NULL, MDB_RDONLY, &tb), 0);
	assert_int_equal(mdb_cursor_open(ta, da, &ca), 0);
	assert_int_equal(mdb_cursor_open(tb, db, &cb), 0);
	ra = mdb_cursor_get(ca, &ka, &va, MDB_FIRST);
	rb = mdb_cursor_get(cb, &kb, &vb, MDB_FIRST);
	while (ra == 0 && rb == 0) {
		if (ka.mv_size != kb.mv_size ||
		    memcmp(ka.mv_data, kb.mv_data, ka.mv_size) != 0 ||
		    va.mv_size != vb.mv_size ||
		    memcmp(va.mv_data, vb.mv_data, va.mv_size) != 0)
			fail_msg("%s differs at entry %zu (key %.*s)", name, n,
			    (int)ka.mv_size, (char *)ka.mv_data);
		n++;
		ra = mdb_cursor_get(ca, &ka, &va, MDB_NEXT);
		rb = mdb_cursor_get(cb, &kb, &vb, MDB_NEXT);
	}
	if (ra != rb)
		fail_msg(
		    "%s: one store has more entries (after %zu)", name, n);
	mdb_cursor_close(ca);
	mdb_cursor_close(cb);
	mdb_txn_abort(ta);
	mdb_txn_abort(tb);
}

static int
cmp_ev(const void *a, const void *b)
{
	return facts_event_cmp(
	    *(const struct event *const *)a, *(const struct event *const *)b);
}

static int
cmp_child(const void *a, const void *b)
{
	const struct event *x = *(const struct event *const *)a;
	const struct event *y = *(const struct event *const *)b;
	int c = strcmp(x->child, y->child);

	return c != 0 ? c : facts_event_cmp(x, y);
}

/*
 * EVENTS.md's rule, written again for the oracle: id is retracted when a
 * retraction of it in the stream is not itself retracted (chains of any
 * length; the store bounds them at 16, which no scenario reaches).
 */
static bool
oracle_retracted(const struct stream *st, const char *id, int depth)
{
	for (size_t i = 0; i < st->n && depth < 16; i++) {
		const struct event *r = st->v[i].ev;

		if (r->type == EVT_EVENT_RETRACTED &&
		    strcmp(r->f[FLD_TARGET].str, id) == 0 &&
		    !oracle_retracted(st, r->id, depth + 1))
			return true;
	}
	return false;
}

/* From scratch: every child derived from its surviving events, once. */
static void
oracle(const struct stream *st, const struct timescale *ts,
    const struct calendar *cal, struct points *out)
{
	const struct event **evs = calloc(st->n, sizeof(*evs));
	size_t i, j, n = 0;

	assert_non_null(evs);
	/* Keep the first of each id that is not retracted. */
	for (i = 0; i < st->n; i++) {
		const struct event *e = st->v[i].ev;
		bool dup = false;

		if (e->type == EVT_EVENT_RETRACTED ||
		    oracle_retracted(st, e->id, 0))
			continue;
		for (j = 0; j < n && !dup; j++)
			dup = strcmp(evs[j]->id, e->id) == 0;
		if (!dup)
			evs[n++] = e;
	}
	qsort(evs, n, sizeof(*evs), cmp_child);
	for (i = 0; i < n; i = j) {
		for (j = i + 1;
		     j < n && strcmp(evs[j]->child, evs[i]->child) == 0; j++)
			;
		qsort(evs + i, j - i, sizeof(*evs), cmp_ev);
		assert_int_equal(
		    facts_derive_child(ts, cal, evs + i, j - i, out), 0);
	}
	derive_groups(out);
	free(evs);
}

/* A day from 2014 to 2021: the sim's years, and a margin either side. */
static int32_t
random_day(void)
{
	return date_from_ymd(2014, 1, 1) + (int32_t)(next() % (8 * 366));
}

/*
 * The store's open() (whole months from opens, edges from intervals)
 * against the truth's for random windows and as-of days, over every
 * interval series: whole months, ragged edges, centuries, as-of days
 * inside the window's months, before it, after it, never, and none
 * (INT32_MIN).
 */
static void
assert_opens_equal(const struct series_reader *a,
    const struct series_reader *b, const struct points *truth)
{
	const char *names[64];
	size_t nnames = 0, i, j, t, counted = 0;
	int32_t from, to, at;
	int64_t na, nb;

	for (i = 0; i < truth->n; i++) {
		if (truth->v[i].kind != PK_INTERVAL)
			continue;
		for (j = 0; j < nnames; j++)
			if (strcmp(names[j], truth->v[i].series) == 0)
				break;
		if (j == nnames && nnames < NITEMS(names))
			names[nnames++] = truth->v[i].series;
	}
	assert_true(nnames >= 3);
	for (t = 0; t < 400; t++) {
		from = random_day();
		to = from + (int32_t)(next() % (t % 2 ? 40 : 800));
		if (t % 50 == 0) { /* centuries: months without a cell */
			from = date_from_ymd(1900, 1, 1);
			to = date_from_ymd(2199, 12, 31);
		}
		switch (next() % 5) {
		case 0:
			at = INT32_MIN;
			break;
		case 1:
			at = to;
			break;
		case 2:
			at = next() % 2 ? DAY_NEVER : DAY_NEVER - 1;
			break;
		default:
			at = random_day();
		}
		for (j = 0; j < nnames; j++) {
			assert_int_equal(
			    a->open(a->ctx, names[j], from, to, at, &na), 0);
			assert_int_equal(
			    b->open(b->ctx, names[j], from, to, at, &nb), 0);
			if (na != nb)
				fail_msg("%s from %d to %d after %d: %lld != "
					 "%lld",
				    names[j], from, to, at, (long long)na,
				    (long long)nb);
			counted += na > 0;
		}
	}
	assert_true(counted > 100);
}

static void
assert_kpis_equal(const struct series_reader *a, const struct series_reader *b,
    const struct kpi_query *w)
{
	struct kpi_result ra = { 0 }, rb = { 0 };
	size_t i, k;

	for (k = 0; k < kpi_count(); k++) {
		assert_int_equal(kpi_compute(kpi_at(k), a, w, &ra), 0);
		assert_int_equal(kpi_compute(kpi_at(k), b, w, &rb), 0);
		if (ra.num != rb.num || ra.den != rb.den)
			fail_msg("%s: %lld/%lld != %lld/%lld",
			    kpi_id(kpi_at(k)), (long long)ra.num,
			    (long long)ra.den, (long long)rb.num,
			    (long long)rb.den);
		assert_int_equal(ra.nitems, rb.nitems);
		for (i = 0; i < ra.nitems; i++) {
			assert_string_equal(
			    ra.items[i].group, rb.items[i].group);
			assert_string_equal(ra.items[i].key, rb.items[i].key);
			assert_int_equal(ra.items[i].num, rb.items[i].num);
			assert_int_equal(ra.items[i].den, rb.items[i].den);
		}
	}
	kpi_result_free(&ra);
	kpi_result_free(&rb);
}

/* Store one event built from a JSON line. */
static void
ingest_json(struct store *s, const char *line)
{
	struct stream tmp = { 0 };
	struct store_item item;
	uint64_t last;

	collect(&tmp, line, strlen(line));
	store_item_set(&item, tmp.v[0].ev, tmp.v[0].buf, tmp.v[0].len);
	assert_int_equal(store_ingest(s, &item, 1, &last), 0);
	assert_int_equal(item.status, WIRE_STATUS_STORED);
	stream_free(&tmp);
}

/*
 * Retract a stored event, then publish it again under a new id (a
 * correction that turns out to be no change): every projection must come
 * back to what it was, which b (untouched) still holds.
 */
static void
retract_and_republish(
    struct store *a, struct store *b, const struct stream *st, int rounds)
{
	char line[256], id[IRK_ID_MAX + 16];
	msgpack_sbuffer sb;
	struct store_item item;
	struct event *copy = malloc(sizeof(*copy));
	uint64_t last;
	int r;

	assert_non_null(copy);
	for (r = 0; r < rounds; r++) {
		const struct event *e = st->v[next() % st->n].ev;

		if (e->type == EVT_EVENT_RETRACTED ||
		    strstr(e->id, "-w") != NULL) /* sim's retracted mistakes */
			continue;
		snprintf(line, sizeof(line),
		    "{\"id\":\"undo-%d-%s\",\"type\":\"event.retracted\","
		    "\"at\":\"2020-01-01\",\"target\":\"%s\"}",
		    r, e->id, e->id);
		ingest_json(a, line);
		event_copy(copy, e);
		snprintf(id, sizeof(id), "%s-again", e->id);
		copy->id = id;
		msgpack_sbuffer_init(&sb);
		assert_int_equal(codec_encode_event(copy, &sb), 0);
		store_item_set(&item, copy, sb.data, sb.size);
		assert_int_equal(store_ingest(a, &item, 1, &last), 0);
		msgpack_sbuffer_destroy(&sb);
		assert_db_equal(a, b, a->buckets, b->buckets, "undo buckets");
		assert_db_equal(
		    a, b, a->intervals, b->intervals, "undo intervals");
		assert_db_equal(a, b, a->opens, b->opens, "undo opens");
		assert_db_equal(a, b, a->members, b->members, "undo members");
	}
	free(copy);
}

static void
assert_rebuilt_equal(struct store *a, struct store *b)
{
	assert_db_equal(a, b, a->buckets, b->buckets, "rebuilt buckets");
	assert_db_equal(a, b, a->intervals, b->intervals, "rebuilt intervals");
	assert_db_equal(a, b, a->opens, b->opens, "rebuilt opens");
	assert_db_equal(a, b, a->contrib, b->contrib, "rebuilt contrib");
	assert_db_equal(a, b, a->members, b->members, "rebuilt members");
	assert_db_equal(a, b, a->deadlines, b->deadlines, "rebuilt deadlines");
	assert_db_equal(a, b, a->iros, b->iros, "rebuilt iros");
}

/*
 * A rebuild's writer, and ingest's for a batch derived on the second
 * thread, apply each child through project_apply(), wrapped here at link
 * time (-Wl,--wrap, core.cmake): the apply_full_at-th call fails with
 * IRK_EFULL, as a full map does, while the deriver thread is ahead of it.
 * The writer must stop that thread, grow the map and do the chunk or the
 * batch again.  Calls inside project.c (project_child()) are not wrapped.
 */
static int apply_full_at;

int __real_project_apply(struct store *s, MDB_txn *txn, struct projector *p,
    const char *child, const char *iro, const struct points *new,
    const char *enc, size_t enclen);
int __wrap_project_apply(struct store *s, MDB_txn *txn, struct projector *p,
    const char *child, const char *iro, const struct points *new,
    const char *enc, size_t enclen);

int
__wrap_project_apply(struct store *s, MDB_txn *txn, struct projector *p,
    const char *child, const char *iro, const struct points *new,
    const char *enc, size_t enclen)
{
	if (apply_full_at > 0 && --apply_full_at == 0)
		return IRK_EFULL;
	return __real_project_apply(s, txn, p, child, iro, new, enc, enclen);
}

/* A rebuild of s in chunks of chunk children, whose writer finds the map
 * full at its full_at-th child. */
static void
rebuild_full_at(struct store *s, size_t chunk, int full_at)
{
	struct store_rebuild_stats rebuilt;
	size_t map = s->map_size;

	s->rebuild_chunk = chunk;
	apply_full_at = full_at;
	assert_int_equal(store_rebuild(s, &rebuilt), 0);
	assert_int_equal(apply_full_at, 0);
	assert_true(s->map_size > map); /* grown */
	assert_true(rebuilt.children > chunk && rebuilt.groups > 5);
}

/* Overwrite the log's record of the event halfway along the timelines
 * with an event that does not read back: an empty map. */
static void
corrupt_event(struct store *s)
{
	MDB_val k, v, bad = { 1, "\x80" };
	MDB_cursor *cur = NULL;
	MDB_txn *txn = NULL;
	unsigned char key[8];
	MDB_stat st;
	uint64_t seq;
	size_t i;

	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_stat(txn, s->timeline, &st), 0);
	assert_int_equal(mdb_cursor_open(txn, s->timeline, &cur), 0);
	assert_int_equal(mdb_cursor_get(cur, &k, &v, MDB_FIRST), 0);
	for (i = 0; i < st.ms_entries / 2; i++)
		assert_int_equal(mdb_cursor_get(cur, &k, &v, MDB_NEXT), 0);
	memcpy(&seq, v.mv_data, sizeof(seq));
	mdb_cursor_close(cur);
	be64_put(key, seq);
	k.mv_data = key;
	k.mv_size = sizeof(key);
	assert_int_equal(mdb_put(txn, s->evlog, &k, &bad, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

/* What a rebuild killed after its first chunks leaves (rebuild.c). */
static void
interrupt_rebuild(struct store *s)
{
	MDB_val k = { 7, "rebuild" }, v = { 0, "" };
	MDB_txn *txn = NULL;

	assert_int_equal(mdb_txn_begin(s->env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_put(txn, s->meta, &k, &v, 0), 0);
	assert_int_equal(mdb_drop(txn, s->buckets, 0), 0);
	assert_int_equal(mdb_drop(txn, s->contrib, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
}

struct dl_walk {
	struct store_deadline prev;
	size_t n;
};

static int
dl_in_order(void *arg, const struct store_deadline *dl)
{
	struct dl_walk *w = arg;
	const struct store_deadline *p = &w->prev;
	int c;

	if (w->n++ > 0) {
		if ((c = (p->deadline > dl->deadline) -
			 (p->deadline < dl->deadline)) == 0 &&
		    (c = strcmp(p->series, dl->series)) == 0 &&
		    (c = strcmp(p->child, dl->child)) == 0)
			c = (p->start > dl->start) - (p->start < dl->start);
		assert_true(c < 0);
	}
	w->prev = *dl;
	return 0;
}

/* Every indexed deadline, once and in order. */
static void
assert_deadlines_in_order(struct store *s, struct store_view *v)
{
	struct dl_walk w = { 0 };
	MDB_stat st;

	assert_int_equal(
	    store_deadlines(v, date_from_ymd(2100, 1, 1), dl_in_order, &w), 0);
	assert_int_equal(mdb_stat(store_view_txn(v), s->deadlines, &st), 0);
	assert_int_equal(w.n, st.ms_entries);
	assert_true(w.n > 100);
}

static void
one_scenario(uint64_t seed)
{
	struct sim_config cfg;
	struct stream st = { 0 };
	struct calendar *cal = NULL;
	struct timescale ts;
	struct store *a = NULL, *b = NULL;
	struct store_view *va = NULL;
	struct series_reader mem;
	struct points truth = { 0 };
	struct store_rebuild_stats rebuilt;
	char *da, *db;
	size_t *order, *twice, i, n;
	struct kpi_query w[5];

	sim_defaults(&cfg);
	cfg.seed = seed;
	cfg.families = 120;
	cfg.duplicate_rate = 0.05;
	cfg.retract_rate = 0.05;
	cfg.shuffle_rate = 0.3;
	cfg.late_review_rate = 0.2;
	assert_int_equal(sim_run(&cfg, collect, &st), 0);
	n = st.n;
	rng = seed * 2654435761u + 1;

	assert_int_equal(calendar_new(&cal), 0);
	timescale_defaults(&ts);
	da = tmpdir_make();
	db = tmpdir_make();
	assert_int_equal(store_open(da, 1 << 20, &ts, cal, &a), 0);
	assert_int_equal(store_open(db, 1 << 20, &ts, cal, &b), 0);

	order = calloc(n, sizeof(*order));
	twice = calloc(2 * n, sizeof(*twice));
	if (order == NULL || twice == NULL)
		fail_msg("out of memory");
	for (i = 0; i < n; i++)
		order[i] = i;
	/* a: each batch without a retraction derived on ingest's second
	 * thread (ingest.c), b on the writer's own as a rule (most of its
	 * bigger batches have a retraction); both equal the rebuild. */
	a->derive_min = 1;
	apply_full_at = 25;
	ingest(a, &st, order, n, 50);
	assert_int_equal(apply_full_at, 0);
	assert_true(a->batches_beside > 10);
	/* b: every event twice, the whole lot shuffled, bigger batches. */
	for (i = 0; i < 2 * n; i++)
		twice[i] = i % n;
	for (i = 2 * n - 1; i > 0; i--) {
		size_t j = next() % (i + 1), t = twice[i];

		twice[i] = twice[j];
		twice[j] = t;
	}
	ingest(b, &st, twice, 2 * n, 400);

	assert_db_equal(a, b, a->buckets, b->buckets, "buckets");
	assert_db_equal(a, b, a->intervals, b->intervals, "intervals");
	assert_db_equal(a, b, a->opens, b->opens, "opens");
	assert_db_equal(a, b, a->contrib, b->contrib, "contrib");
	assert_db_equal(a, b, a->members, b->members, "members");
	assert_db_equal(a, b, a->children, b->children, "children");

	/* Rebuilt from the log, a equals the incremental b key for key,
	 * across many chunk boundaries (children and groups). */
	rebuild_full_at(a, 5, 7);
	assert_rebuilt_equal(a, b);
	/* The deriver's ring is a chunk: here it wraps every 70 children,
	 * and the map is full when the deriver is a ring ahead. */
	rebuild_full_at(a, 70, 68);
	assert_rebuilt_equal(a, b);
	/* A rebuild cut short (its mark left, a projection half gone) is
	 * run again when the store is opened. */
	interrupt_rebuild(a);
	store_close(&a);
	assert_int_equal(store_open(da, 1 << 20, &ts, cal, &a), 0);
	assert_rebuilt_equal(a, b);

	oracle(&st, &ts, cal, &truth);
	memreader_init(&mem, &truth);
	assert_int_equal(store_view_begin(a, &va), 0);
	w[0] = (struct kpi_query){ date_from_ymd(2017, 4, 1),
		date_from_ymd(2018, 3, 31), date_from_ymd(2020, 3, 31), NULL };
	w[1] = (struct kpi_query){ date_from_ymd(2018, 4, 1),
		date_from_ymd(2019, 3, 31), date_from_ymd(2018, 12, 31),
		NULL };
	w[2] = (struct kpi_query){ date_from_ymd(2018, 5, 17),
		date_from_ymd(2019, 2, 3), date_from_ymd(2019, 6, 1), NULL };
	w[3] = (struct kpi_query){ date_from_ymd(2010, 1, 1),
		date_from_ymd(2030, 12, 31), date_from_ymd(2030, 12, 31),
		NULL };
	/* No whole month inside: days from two month records. */
	w[4] = (struct kpi_query){ date_from_ymd(2018, 5, 17),
		date_from_ymd(2018, 6, 10), date_from_ymd(2019, 6, 1), NULL };
	for (i = 0; i < NITEMS(w); i++)
		assert_kpis_equal(store_view_reader(va), &mem, &w[i]);
	assert_opens_equal(store_view_reader(va), &mem, &truth);
	assert_deadlines_in_order(a, va);
	store_view_end(&va);

	retract_and_republish(a, b, &st, 5);

	/* An event that does not read back stops the deriver: the rebuild
	 * fails, both threads stopped. */
	corrupt_event(a);
	assert_int_equal(store_rebuild(a, &rebuilt), IRK_ESTORE);

	points_free(&truth);
	free(order);
	free(twice);
	store_close(&a);
	store_close(&b);
	tmpdir_remove(da);
	tmpdir_remove(db);
	calendar_free(&cal);
	stream_free(&st);
}

static void
test_order_independence_and_rebuild(void **state)
{
	const char *env = getenv("IRK_SEED"),
		   *runs_env = getenv("IRK_PROP_RUNS");
	uint64_t seed = env ? strtoull(env, NULL, 10) : (uint64_t)time(NULL);
	int runs = env ? 1 : runs_env ? atoi(runs_env) : 4, i;

	(void)state;
	for (i = 0; i < runs; i++) {
		fprintf(stderr, "# seed %llu (replay: IRK_SEED=%llu)\n",
		    (unsigned long long)(seed + (uint64_t)i),
		    (unsigned long long)(seed + (uint64_t)i));
		one_scenario(seed + (uint64_t)i);
	}
}

/* lac.review_timeliness for fy2019 in s: num and den. */
static void
review_timeliness(struct store *s, int64_t *num, int64_t *den)
{
	struct kpi_query q = { date_from_ymd(2019, 4, 1),
		date_from_ymd(2020, 3, 31), date_from_ymd(2020, 3, 31), NULL };
	struct kpi_result res = { 0 };
	struct store_view *v = NULL;

	assert_int_equal(store_view_begin(s, &v), 0);
	assert_int_equal(kpi_compute(kpi_find("lac.review_timeliness"),
			     store_view_reader(v), &q, &res),
	    0);
	*num = res.num;
	*den = res.den;
	kpi_result_free(&res);
	store_view_end(&v);
}

/* A child in care, a review of it, and retractions (ids a1, e1, r1-r6). */
static const char *const lines[] = {
	"{\"id\":\"a1\",\"type\":\"lac.started\",\"at\":"
	"\"2019-04-01\",\"child\":\"K1\",\"legal_status\":\"C2\"}",
	"{\"id\":\"e1\",\"type\":\"review.held\",\"at\":"
	"\"2019-04-18\",\"child\":\"K1\",\"iro\":\"I1\","
	"\"participation\":\"PN1\",\"sw_report_at\":null,"
	"\"permanence_plan\":false}",
	"{\"id\":\"r1\",\"type\":\"event.retracted\",\"at\":"
	"\"2019-05-01\",\"target\":\"e1\"}",
	"{\"id\":\"r2\",\"type\":\"event.retracted\",\"at\":"
	"\"2019-05-02\",\"target\":\"r1\"}",
	"{\"id\":\"r3\",\"type\":\"event.retracted\",\"at\":"
	"\"2019-05-03\",\"target\":\"r2\"}",
	"{\"id\":\"r5\",\"type\":\"event.retracted\",\"at\":"
	"\"2019-05-04\",\"target\":\"r6\"}",
	"{\"id\":\"r6\",\"type\":\"event.retracted\",\"at\":"
	"\"2019-05-04\",\"target\":\"r5\"}",
};

/*
 * Retractions of retractions, by hand (the scenarios have them too): r2
 * withdraws r1, so e1 counts again; r3 withdraws r2, so it is gone again;
 * r5 and r6 retract each other, which touches no ordinary event.  Also in
 * the other order, r3 first, as arrival order must not matter.
 */
static void
test_retracted_retraction(void **state)
{
	/* After how many lines, e1 counts (1 of 1) or not (0 of 0). */
	static const int64_t in_order[] = { 0, 1, 0, 1, 0, 0, 0 };
	struct calendar *cal = NULL;
	struct timescale ts;
	struct store *s = NULL;
	int64_t num, den;
	char *dir;
	size_t i;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	timescale_defaults(&ts);
	for (int pass = 0; pass < 2; pass++) {
		dir = tmpdir_make();
		assert_int_equal(store_open(dir, 1 << 20, &ts, cal, &s), 0);
		if (pass == 1) /* r3 first: r2 arrives already withdrawn */
			ingest_json(s, lines[4]);
		for (i = 0; i < NITEMS(lines); i++) {
			if (pass == 1 && i == 4)
				continue;
			ingest_json(s, lines[i]);
			review_timeliness(s, &num, &den);
			if (i == 0)
				continue; /* no review yet */
			if (pass == 0) {
				assert_int_equal(num, in_order[i]);
				assert_int_equal(den, in_order[i]);
			}
		}
		assert_int_equal(num, 0); /* r3 holds: e1 is gone */
		assert_int_equal(den, 0);
		store_close(&s);
		tmpdir_remove(dir);
	}
	calendar_free(&cal);
}

/* Ingest lines[at[0]], lines[at[1]]... (n of them) in one batch. */
static void
ingest_batch(struct store *s, const size_t *at, size_t n)
{
	struct stream tmp = { 0 };
	struct store_item items[8];
	uint64_t last;
	size_t i;

	assert_true(n <= NITEMS(items));
	for (i = 0; i < n; i++)
		collect(&tmp, lines[at[i]], strlen(lines[at[i]]));
	for (i = 0; i < n; i++)
		store_item_set(
		    &items[i], tmp.v[i].ev, tmp.v[i].buf, tmp.v[i].len);
	assert_int_equal(store_ingest(s, items, n, &last), 0);
	stream_free(&tmp);
}

/*
 * Batches derived on ingest's second thread (ingest.c) with a new event
 * that a retraction takes away: r1 ahead of its target e1 in the same
 * batch, which the thread's snapshot does not hold; e1 after r1 was
 * stored; and r2 withdrawing r1 in the batch that brings e1.
 */
static void
test_batch_retractions_beside(void **state)
{
	static const size_t target_first[] = { 0, 2, 1 }; /* a1 r1 e1 */
	static const size_t retracted_first[] = { 0, 2 }; /* a1 r1 */
	static const size_t withdrawn[] = { 3, 1 };       /* r2 e1 */
	struct calendar *cal = NULL;
	struct timescale ts;
	struct store *s = NULL;
	int64_t num, den;
	char *dir;

	(void)state;
	assert_int_equal(calendar_new(&cal), 0);
	timescale_defaults(&ts);

	dir = tmpdir_make();
	assert_int_equal(store_open(dir, 1 << 20, &ts, cal, &s), 0);
	s->derive_min = 1;
	ingest_batch(s, target_first, NITEMS(target_first));
	assert_int_equal(s->batches_beside, 1);
	review_timeliness(s, &num, &den);
	assert_int_equal(den, 0); /* e1 is gone */
	store_close(&s);
	tmpdir_remove(dir);

	for (int pass = 0; pass < 2; pass++) {
		dir = tmpdir_make();
		assert_int_equal(store_open(dir, 1 << 20, &ts, cal, &s), 0);
		s->derive_min = 1;
		ingest_batch(s, retracted_first, NITEMS(retracted_first));
		if (pass == 0) {
			ingest_batch(s, &target_first[2], 1); /* e1 */
			review_timeliness(s, &num, &den);
			assert_int_equal(den, 0); /* r1 holds */
		} else {
			ingest_batch(s, withdrawn, NITEMS(withdrawn));
			review_timeliness(s, &num, &den);
			assert_int_equal(den, 1); /* r2 withdrew r1 */
		}
		assert_int_equal(s->batches_beside, 2);
		store_close(&s);
		tmpdir_remove(dir);
	}
	calendar_free(&cal);
}

/* Write schema version into the closed store in dir, as an older irokpid
 * left it, and copy it compacted into to: a map with no free page. */
static void
set_schema_compact(const char *dir, uint32_t version, const char *to)
{
	MDB_val k = { 6, "schema" }, v = { sizeof(version), &version };
	MDB_env *env;
	MDB_txn *txn;
	MDB_dbi meta;

	assert_int_equal(mdb_env_create(&env), 0);
	assert_int_equal(mdb_env_set_maxdbs(env, STORE_MAXDBS), 0);
	assert_int_equal(mdb_env_open(env, dir, 0, 0600), 0);
	assert_int_equal(mdb_txn_begin(env, NULL, 0, &txn), 0);
	assert_int_equal(mdb_dbi_open(txn, "meta", 0, &meta), 0);
	assert_int_equal(mdb_put(txn, meta, &k, &v, 0), 0);
	assert_int_equal(mdb_txn_commit(txn), 0);
	assert_int_equal(mdb_env_copy2(env, to, MDB_CP_COMPACT), 0);
	mdb_env_close(env);
}

/*
 * An older schema's store opened with a map no larger than its data (LMDB
 * sizes the map to the data when asked for less; a compacted copy has no
 * free page): the upgrade's transaction (new databases, the projections
 * emptied) finds the map full and must grow it, as every write does,
 * rather than refuse to open.
 */
static void
test_upgrade_full_map(void **state)
{
	struct sim_config cfg;
	struct stream st = { 0 };
	struct calendar *cal = NULL;
	struct timescale ts;
	struct store *s = NULL;
	int64_t num, den, num2, den2;
	char *dir, *copy, path[512];
	struct stat sb;
	size_t *order, i;

	(void)state;
	sim_defaults(&cfg);
	cfg.seed = 7;
	cfg.families = 300;
	assert_int_equal(sim_run(&cfg, collect, &st), 0);
	assert_non_null(order = calloc(st.n, sizeof(*order)));
	for (i = 0; i < st.n; i++)
		order[i] = i;
	assert_int_equal(calendar_new(&cal), 0);
	timescale_defaults(&ts);
	dir = tmpdir_make();
	copy = tmpdir_make();
	assert_int_equal(store_open(dir, 1 << 20, &ts, cal, &s), 0);
	ingest(s, &st, order, st.n, 200);
	review_timeliness(s, &num, &den);
	assert_true(den > 100);
	store_close(&s);

	set_schema_compact(dir, SCHEMA_REBUILDS_FROM, copy);
	snprintf(path, sizeof(path), "%s/data.mdb", copy);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 1 << 20); /* the map is the data's size */
	assert_int_equal(store_open(copy, 1 << 20, &ts, cal, &s), 0);
	assert_true(s->map_size > (size_t)sb.st_size); /* grown */
	review_timeliness(s, &num2, &den2);
	assert_int_equal(num2, num);
	assert_int_equal(den2, den);
	store_close(&s);
	tmpdir_remove(dir);
	tmpdir_remove(copy);
	calendar_free(&cal);
	free(order);
	stream_free(&st);
}

/* The log's comparator orders keys as LMDB's default one does (the
 * oracle: mdb_cmp() on a database without a comparator of its own), so a
 * log written by either reads the same with the other. */
static void
test_log_order(void **state)
{
	struct calendar *cal = NULL;
	struct timescale ts;
	struct store *s = NULL;
	unsigned char a[12], b[12];
	MDB_val ka, kb;
	MDB_txn *txn;
	unsigned seed = (unsigned)time(NULL);
	char *dir;
	int i, j, got, want;

	(void)state;
	printf("log order seed %u\n", seed);
	srand(seed);
	assert_int_equal(calendar_new(&cal), 0);
	timescale_defaults(&ts);
	dir = tmpdir_make();
	assert_int_equal(store_open(dir, 1 << 20, &ts, cal, &s), 0);
	assert_int_equal(mdb_txn_begin(s->env, NULL, MDB_RDONLY, &txn), 0);
	for (i = 0; i < 200000; i++) {
		/* Mostly 8 bytes, as the log's keys are; often sharing a
		 * prefix, as its sequence numbers do. */
		ka.mv_size = rand() % 4 ? 8 : (size_t)(rand() % 13);
		kb.mv_size = rand() % 4 ? 8 : (size_t)(rand() % 13);
		for (j = 0; j < 12; j++) {
			a[j] = (unsigned char)rand();
			b[j] = rand() % 3 ? a[j] : (unsigned char)rand();
		}
		ka.mv_data = a;
		kb.mv_data = b;
		got = evlog_key_cmp(&ka, &kb);
		want = mdb_cmp(txn, s->ids, &ka, &kb);
		assert_int_equal(
		    (got > 0) - (got < 0), (want > 0) - (want < 0));
	}
	mdb_txn_abort(txn);
	store_close(&s);
	tmpdir_remove(dir);
	calendar_free(&cal);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_independence_and_rebuild),
		cmocka_unit_test(test_retracted_retraction),
		cmocka_unit_test(test_batch_retractions_beside),
		cmocka_unit_test(test_upgrade_full_map),
		cmocka_unit_test(test_log_order),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
