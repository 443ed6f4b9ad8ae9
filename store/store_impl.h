/*
 * Private to store/: the store's handles and the helpers its files share.
 * Only store/ includes lmdb.h; everything returned from here is IRK_E*.
 */
#ifndef IRK_STORE_IMPL_H
#define IRK_STORE_IMPL_H

#include <lmdb.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>

#include "domain/series.h"
#include "store/schema.h"
#include "store/store.h"

/*
 * A batch's stored events, keyed as in the timeline: what a snapshot taken
 * before the batch lacks to load its children's timelines, so that they
 * can be derived on another thread while the batch's transaction goes on.
 * Zero-initialise; overlay_free().  raw is borrowed: it must outlive the
 * overlay's use.
 */
struct overlay_ev {
	size_t off, len, clen;    /* key at keys + off; its child's length */
	const unsigned char *key; /* keys + off, from overlay_sort() on */
	const char *raw;
	size_t rawlen;
};

struct overlay {
	struct overlay_ev *v;
	size_t n, cap;
	unsigned char *keys;
	size_t klen, kcap;
	const char **targets; /* the batch's retractions' (borrowed) */
	size_t ntargets, tcap;
};

int overlay_add(struct overlay *o, const char *child, int32_t day,
    enum evt_type type, const char *id, const char *raw, size_t rawlen);
/* A stored retraction's target (borrowed, as raw is). */
int overlay_add_target(struct overlay *o, const char *target);
/* Sort the events in timeline order, after the last overlay_add(). */
void overlay_sort(struct overlay *o);
void overlay_reset(struct overlay *o);
void overlay_free(struct overlay *o);

struct deriver;

struct store {
	MDB_env *env;
	MDB_dbi evlog, ids, timeline, retracted, children, contrib, members,
	    buckets, intervals, opens, meta, deadlines, breaches, bmarks, iros;
	size_t map_size;
	/* Written by the writer, read by store_stats() in the query thread. */
	_Atomic uint64_t last_seq;
	/* store_set_today(), under writer_lock: a deadline that comes in
	 * already due soon or overdue is raised by its own batch. */
	int32_t today, soon_until;
	const struct kpi_settings *kpi; /* store_set_kpi(); NULL: no RAG */
	const struct timescale *ts;
	const struct calendar *cal;
	/* Readers hold it shared; growing the map takes it exclusively, as
	 * mdb_env_set_mapsize() needs no transaction open in the process. */
	pthread_rwlock_t resize_lock;
	/* One writer at a time: ingest (main thread) or a rebuild (its own
	 * thread).  LMDB serialises write transactions itself, but growing
	 * the map must also happen with no other writer between attempts. */
	pthread_mutex_t writer_lock;
	/* Children, or groups, per rebuild commit; 0: REBUILD_CHUNK.  Tests
	 * set a small one to cross many chunk boundaries. */
	size_t rebuild_chunk;
	/* Ingest's second thread (ingest.c), made at the first batch that
	 * uses it, and the overlay it reads; the writer's, under writer_lock.
	 * derive_min: new events from which it is used; 0: the default.
	 * Tests set 1 to use it for every batch. */
	struct deriver *ingest_deriver;
	struct overlay overlay;
	size_t derive_min;
	size_t batches_beside; /* batches it derived, for the tests */
	/* retract.c: a filter of the ids with a retraction, bits set by the
	 * writer while the deriver reads them. */
	_Atomic uint64_t *retract_filter;
};

/* The touched owners of one batch: children and groups, each once. */
struct touched {
	char **v;
	size_t n, cap;
};

int touched_add(struct touched *t, const char *s, size_t len);
void touched_sort_unique(struct touched *t);
/* Whether t, sorted (touched_sort_unique()), holds s. */
bool touched_has(const struct touched *t, const char *s);
void touched_free(struct touched *t);

/* MDB_* or errno -> IRK_E*, logging the detail once. */
int store_err(int mdb_rc, const char *what);

/* Double the map.  Called with no transaction of ours open. */
int store_grow(struct store *s);

/* rebuild.c: run again a rebuild that did not finish (its mark is in
 * meta), or the one an upgrade asked for (upgraded: nothing is logged
 * before it, as the upgrade was); 0 when there was none. */
int rebuild_resume(struct store *s, bool upgraded);
/* Whether txn sees a rebuild's mark: the projections are part rebuilt. */
bool rebuild_marked(struct store *s, MDB_txn *txn);
/* Empty the projections and set the mark in txn: rebuild_resume() then
 * derives them again. */
int rebuild_mark_set(struct store *s, MDB_txn *txn);

/* A read-only view, or (rag.c) a reader over the write transaction. */
struct store_view {
	struct store *s;
	MDB_txn *txn;
	struct series_reader reader;
};

/* deadlines.c: keep the deadline index for one interval delta of child
 * (and write met_late when a published overdue is met; owner: the child's
 * new points, which tell a deadline met from one its episode closed). */
int deadline_apply(struct store *s, MDB_txn *txn, const char *child,
    const struct points *owner, const struct point *pt, int64_t delta);

/* rag.c: compare each KPI with a target with its last RAG, as of
 * s->today, and append kpi_rag_changed for each that changed; then
 * ceiling_check().  Nothing before store_set_today() and store_set_kpi(). */
int rag_check(struct store *s, MDB_txn *txn);

/* ceiling.c, from rag_check(): append a breach for each IRO whose weighted
 * caseload went over the ceiling since the last check; view reads txn. */
int ceiling_check(struct store *s, MDB_txn *txn, struct store_view *view);

/* Append b to the breach log (its seq is set here) and mark it raised
 * (deadlines.c). */
int breach_append(struct store *s, MDB_txn *txn, struct store_breach *b);

/* evlog.c */
/* Append raw under *seq + 1 and index its id; *seq becomes the new seq.
 * IRK_EDUP, with nothing written, when the id is already stored. */
int evlog_append(struct store *s, MDB_txn *txn, const char *id,
    const char *raw, size_t len, uint64_t *seq);
int evlog_get(struct store *s, MDB_txn *txn, uint64_t seq, MDB_val *out);
/* The same through a cursor on evlog, for many reads in one transaction. */
int evlog_read(MDB_cursor *cur, uint64_t seq, MDB_val *out);
/* The log's comparator, for mdb_set_compare() before the log is used:
 * LMDB's default order, faster on its 8-byte keys. */
int evlog_key_cmp(const MDB_val *a, const MDB_val *b);
int evlog_find_id(
    struct store *s, MDB_txn *txn, const char *id, uint64_t *seq);

/* timeline.c */
int timeline_add(struct store *s, MDB_txn *txn, const char *child, int32_t day,
    enum evt_type type, const char *id, uint64_t seq);

/* A child's timeline, loaded: events in order, retracted ones left out. */
struct timeline_buf {
	struct event **pool; /* cap events, each its own allocation, since an
				event points into itself and cannot move */
	const struct event **order; /* the n loaded, in timeline order */
	size_t n, cap;
	bool unsure; /* timeline_load() */
};

/*
 * child's timeline into tb: what txn holds, and ov's events of child when
 * ov is not NULL (sorted; none of them in txn).  When one of ov's events
 * has a retraction, in txn or among ov's targets, tb->unsure is set and
 * the load stops: whether it counts depends on the batch's retractions,
 * which only the batch's own transaction can tell.
 */
int timeline_load(struct store *s, MDB_txn *txn, const struct overlay *ov,
    const char *child, struct timeline_buf *tb);
void timeline_buf_free(struct timeline_buf *tb);

/*
 * retract.c: a retraction (id rid) of target, in the index, with the child
 * of the ordinary event at the end of its chain of targets added to
 * children; and whether id is retracted now (EVENTS.md, applied down
 * chains of retractions).  Return 0 or IRK_E*.
 */
int retraction_add(struct store *s, MDB_txn *txn, const char *target,
    const char *rid, struct touched *children);
int retraction_test(struct store *s, MDB_txn *txn, const char *id, bool *out);
/* Whether the index (rcur: a cursor on it) holds a retraction of id, in
 * effect or not: for most events a look at a filter, else one seek. */
int retraction_any(
    const struct store *s, MDB_cursor *rcur, const char *id, bool *out);
/* Fill the filter of retracted ids from the index (store_open()), making
 * it when it is not there yet (store_close() frees it). */
int retraction_filter_load(struct store *s);

/* iros.c: the child's current IRO, the one its latest iro.allocated names
 * (NULL when none; borrowed from tb), into iros; iros_get() copies it into
 * buf, "" when none.  fresh: iros holds no child from this one on (a
 * rebuild, in key order), so it is appended without a lookup. */
const char *iros_latest(const struct timeline_buf *tb);
int iros_update(struct store *s, MDB_txn *txn, const char *child,
    const char *iro, bool fresh);
int iros_get(
    struct store *s, MDB_txn *txn, const char *child, char *buf, size_t len);

/*
 * Counter deltas of one batch (buckets.c), kept in memory and applied at the
 * end: a batch adds to the same month and year counters many times, so
 * deltas are merged as they are recorded (a hash table on the key) and
 * each counter is read and written once.  Counters are only read by views,
 * and in the batch's own transaction only after the flush at its end
 * (rag.c), so deferring them changes nothing that anyone can see.
 */
enum counter_db { COUNTER_BUCKETS, COUNTER_INTERVALS, COUNTER_OPENS };

struct delta {
	uint32_t off;  /* key bytes at keys + off */
	uint16_t len;  /* key length */
	uint8_t which; /* enum counter_db */
	uint8_t month; /* a month record: its days' changes are in `days` */
	uint32_t days; /* a month record's changes: index + 1 into months */
	uint64_t hash; /* of the key bytes */
	int64_t d;     /* the counter's change: a month record's total */
};

/* The change to each day of one month record (day[1..31]). */
struct month_delta {
	int64_t day[32];
};

struct deltas {
	struct delta *v; /* in the order first recorded, the flush's order */
	size_t n, cap;
	struct month_delta *months;
	size_t nmonths, monthscap;
	unsigned char *keys;
	size_t klen, kcap;
	uint32_t *slots; /* hash table: index + 1 into v, 0 when free */
	size_t nslots;   /* a power of two, at least twice n */
};

/* project.c: re-derive owners and apply what changed. */
struct projector {
	struct deltas deltas;
	struct timeline_buf tb;
	struct points old, new, members;
	struct touched groups;
	char *enc;
	size_t enclen, enccap;
	/* A rebuild's: contrib was emptied and owners come in key order, each
	 * once, so none has stored points and each is appended. */
	bool fresh;
};

int project_child(
    struct store *s, MDB_txn *txn, struct projector *p, const char *child);

/*
 * project_child() in two halves, which a rebuild and a batch run on two
 * threads (derive.c).  project_derive() only reads txn (the log's
 * databases) and what r points to: child's timeline into tb and its
 * points, normalised, into out (nothing when tb->unsure: timeline_load()).
 * project_apply() writes: child's IRO (iro may be NULL), and
 * new in place of its stored points, with what changed; enc, enclen: new
 * encoded (points_encode()), or NULL to encode it here when it changed.
 */
struct project_rules {
	struct store *s;
	const struct timescale *ts;
	const struct calendar *cal;
	const struct overlay *ov; /* NULL: txn holds every event */
};

int project_derive(MDB_txn *txn, const struct project_rules *r,
    const char *child, struct timeline_buf *tb, struct points *out);
int project_apply(struct store *s, MDB_txn *txn, struct projector *p,
    const char *child, const char *iro, const struct points *new,
    const char *enc, size_t enclen);
int project_groups(struct store *s, MDB_txn *txn, struct projector *p);
void projector_free(struct projector *p);

/* buckets.c: record a bucket or an interval point's delta (nothing is
 * written until deltas_flush). */
int buckets_add(struct deltas *ds, const struct point *pt, int64_t delta);
int intervals_add(struct deltas *ds, const struct point *pt, int64_t delta);
/* Apply every recorded delta in txn and empty ds (keeping its memory). */
int deltas_flush(struct store *s, MDB_txn *txn, struct deltas *ds);
/* Whether ds holds enough to be flushed now, to bound its memory. */
bool deltas_full(const struct deltas *ds);
/* Forget every recorded delta (of a failed attempt), keeping the memory. */
void deltas_reset(struct deltas *ds);
void deltas_free(struct deltas *ds);
void buckets_reader_init(struct series_reader *r, struct store_view *v);

/* The parts of a view that buckets.c reads. */
MDB_txn *store_view_txn(struct store_view *v);
struct store *store_view_store(struct store_view *v);

#endif
