/*
 * The event store: an LMDB environment holding the event log, its indexes
 * and the KPI projections (schema.h), behind one writer and many readers.
 *
 * Writing is one call per batch, store_ingest(): it deduplicates, appends,
 * re-derives every child the batch touched and applies the difference to the
 * projections, all in one write transaction, and returns only after the
 * commit is durable.  When the map is full it aborts, grows the map with no
 * transaction open and replays the batch, so ingest never stops on
 * MDB_MAP_FULL.  Reading goes through a view (a read-only transaction) that
 * may live in another thread and never waits for the writer.
 */
#ifndef IRK_STORE_H
#define IRK_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "domain/calendar.h"
#include "domain/kpi.h"
#include "domain/series.h"
#include "domain/timescale.h"
#include "proto/event.h"

struct store;
struct store_view;

/*
 * Open (creating if needed) the store in the existing directory dir with an
 * initial map of map_size bytes (grown as needed).  Clears stale reader
 * slots, and runs again a rebuild that did not finish (store_rebuild()).
 * The store derives with ts and cal, which it borrows: they must
 * outlive it, or be replaced with store_set_rules().  On success *out is
 * owned by the caller; release it with store_close().  Returns 0 or IRK_E*;
 * *out is untouched on failure.
 */
int store_open(const char *dir, size_t map_size, const struct timescale *ts,
    const struct calendar *cal, struct store **out);

/*
 * Free the reader slots of processes that died holding a read transaction
 * (they pin old pages, so the file grows).  Logs how many; returns that
 * number.  store_open() does it once; the daemon again now and then.
 */
int store_clear_stale_readers(struct store *s);

/* NULL-safe; sets *sp to NULL.  No view may be open. */
void store_close(struct store **sp);

/* Replace the rules used by later derivations (both borrowed). */
void store_set_rules(
    struct store *s, const struct timescale *ts, const struct calendar *cal);

/*
 * One event of a batch handed to store_ingest(): what the store needs of a
 * validated event (kept small, as a batch holds up to 10,000), and its bytes.
 */
struct store_item {
	bool valid; /* false: rejected before the store, skip it */
	enum evt_type type;
	int32_t day; /* business date */
	char id[IRK_ID_MAX + 1];
	char child[IRK_CHILD_MAX + 1]; /* "" when absent */
	char target[IRK_ID_MAX + 1];   /* event.retracted only */
	const char *raw; /* its msgpack bytes, stored as they are; borrowed */
	size_t rawlen;
	int status; /* out: WIRE_STATUS_STORED or WIRE_STATUS_DUPLICATE */
};

/* Fill it from a validated event and its bytes (borrowed). */
void store_item_set(struct store_item *it, const struct event *ev,
    const char *raw, size_t rawlen);

/*
 * Store a batch durably: see the file comment (and ingest.c: a batch that
 * touches many children has them derived on a second thread while this
 * one indexes and applies them).  Fills each item's status and
 * *last_seq (the log's highest sequence number after the commit).  Returns 0,
 * or IRK_E* with nothing of the batch stored.
 */
int store_ingest(
    struct store *s, struct store_item *items, size_t n, uint64_t *last_seq);

/* What store_rebuild() did. */
struct store_rebuild_stats {
	uint64_t children; /* children re-derived */
	uint64_t groups;   /* groups (meetings) re-derived */
};

/*
 * Re-derive every projection from the log (rebuild.c): empty the
 * projections, then derive every child and then every group again from its
 * timeline, a few thousand per commit so that memory stays bounded; the
 * result equals the incremental state key for key.  Views see the
 * projections part rebuilt until it ends; ingest and sweeps wait.  Safe
 * from any thread.  Returns 0 or IRK_E*; on failure the projections are
 * part rebuilt, and the next store_open() rebuilds them again.
 */
int store_rebuild(struct store *s, struct store_rebuild_stats *out);

struct store_stats {
	uint64_t events;   /* entries in the event log */
	uint64_t last_seq; /* highest sequence number, 0 when empty */
	uint64_t children; /* distinct child ids */
	uint64_t map_size; /* bytes reserved for the map */
	uint64_t map_used; /* bytes in use (last page) */
};

int store_stats(struct store *s, struct store_stats *out);

/*
 * Begin a read-only view of the last commit.  Safe from any thread.  On
 * success *out is owned by the caller; release it with store_view_end().
 */
int store_view_begin(struct store *s, struct store_view **out);
void store_view_end(struct store_view **vp); /* NULL-safe, sets NULL */

/*
 * Breaches (deadlines.c).  A deadline is an interval point of a child whose
 * series ends in ":due" (due on its day, resolved on its until) or
 * ":pending" (due on its until, never resolved: it goes when done).  A
 * breach is once ever per (kind, child, series, deadline).
 *
 * kpi_rag_changed (rag.c) is once per change of a KPI's fytd RAG: the last
 * RAG of each KPI with a target is kept in the store, so a restart or a
 * rebuild finds it unchanged and writes nothing.  over_ceiling (ceiling.c)
 * is once per crossing of an IRO's weighted caseload over the ceiling.
 */
enum store_breach_kind {
	BREACH_DUE_SOON = 1,
	BREACH_OVERDUE = 2,
	BREACH_MET_LATE = 3,
	BREACH_KPI_RAG = 4,
	BREACH_OVER_CEILING = 5, /* an IRO's caseload went over (ceiling.c) */
};

struct store_breach {
	uint64_t seq;
	uint8_t kind;     /* enum store_breach_kind */
	int32_t deadline; /* the day it falls due; kpi_rag_changed: raised */
	int32_t start;    /* the interval's day (":pending": counted on) */
	int32_t resolved; /* DAY_NEVER while open */
	int32_t raised;   /* "today" of the sweep; met_late: the day done */
	char series[SERIES_MAX];       /* kpi_rag_changed: the KPI id */
	char child[IRK_CHILD_MAX + 1]; /* pseudonymous id; "" for a KPI */
	/* Added after the first breach logs: a record stored without them
	 * reads back with them zero. */
	char iro[IRK_ID_MAX + 1]; /* the child's IRO then ("" when unknown);
				     over_ceiling: the IRO */
	uint8_t rag_old, rag_new; /* kpi_rag_changed: enum kpi_rag */
	double value; /* kpi_rag_changed: the fytd value; over_ceiling: the
			 weighted caseload */
};

struct store_deadline {
	int32_t deadline, start, resolved;
	char series[SERIES_MAX];
	char child[IRK_CHILD_MAX + 1];
	char iro[IRK_ID_MAX + 1]; /* the child's IRO now; "" when unknown */
};

/*
 * The KPI settings the RAG check reads (borrowed: they must outlive the
 * store or be replaced; NULL, the default, checks nothing).  Batches and
 * sweeps after store_set_today() compare each KPI with a target in force
 * with its last RAG and append kpi_rag_changed when it changed.  Call it
 * from the writer's thread, or with no writer running.
 */
void store_set_kpi(struct store *s, const struct kpi_settings *kpi);

/*
 * In one write transaction, append a due_soon for every open deadline in
 * [today, soon_until] and an overdue for every one before today that has
 * none yet.  *written: how many.  Safe from the writer's thread.  Returns 0
 * or IRK_E*, nothing written on failure.
 */
int store_sweep(
    struct store *s, int32_t today, int32_t soon_until, uint64_t *written);

/*
 * The day later batches raise breaches against: a deadline a batch adds
 * that is open and on or before soon_until is raised (due_soon, or overdue
 * before today) in that batch's transaction.  Until it is called, only
 * store_sweep() raises.  Waits for a writer in progress.
 */
void store_set_today(struct store *s, int32_t today, int32_t soon_until);

/* Call fn for every breach after seq `after`, in order, until fn returns
 * nonzero (returned).  b is valid during the call only. */
int store_breaches_after(struct store_view *v, uint64_t after,
    int (*fn)(void *arg, const struct store_breach *b), void *arg);

/* The log's highest breach seq in the view, 0 when empty. */
int store_breach_last(struct store_view *v, uint64_t *seq);

/* Call fn for every indexed deadline on or before `to`, by day, with the
 * child's IRO filled in. */
int store_deadlines(struct store_view *v, int32_t to,
    int (*fn)(void *arg, const struct store_deadline *dl), void *arg);

/* The view as a KPI series reader; valid until store_view_end(). */
const struct series_reader *store_view_reader(struct store_view *v);

#endif
